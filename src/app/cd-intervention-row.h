/* cd-intervention-row.h — one policy change in the Scenario panel, as an
 * expander row (template ui/cd-intervention-row.ui): its time and the
 * parameters it sets, each with its new value.
 *
 * The row edits nothing itself: it emits "edit" with the policy change as
 * it should become (the panel applies it as an undo step) and "remove".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_INTERVENTION_ROW (cd_intervention_row_get_type ())
G_DECLARE_FINAL_TYPE (CdInterventionRow, cd_intervention_row, CD, INTERVENTION_ROW,
                      AdwExpanderRow)

/* The row of policy change index of document's model. */
GtkWidget *cd_intervention_row_new       (CdDocument        *document,
                                          guint              index);
guint      cd_intervention_row_get_index (CdInterventionRow *self);

G_END_DECLS
