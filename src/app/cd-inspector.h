/* cd-inspector.h — every attribute of the selected government or tie,
 * editable, each change one undo step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_INSPECTOR (cd_inspector_get_type ())
G_DECLARE_FINAL_TYPE (CdInspector, cd_inspector, CD, INSPECTOR, AdwBin)

GtkWidget *cd_inspector_new           (void);
void       cd_inspector_set_document  (CdInspector *self,
                                       CdDocument  *document);
/* What to show: a node index, else an edge index, else a placeholder. */
void       cd_inspector_set_selection (CdInspector *self,
                                       int          node,
                                       int          edge,
                                       guint        n_selected);

G_END_DECLS
