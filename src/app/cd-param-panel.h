/* cd-param-panel.h — every parameter of the model, grouped by force, with
 * the update rule and the simulation settings.
 *
 * Built from the engine's parameter table (cd-params.h), so a parameter
 * added there appears here with its label, range, default and meaning.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_PARAM_PANEL (cd_param_panel_get_type ())
G_DECLARE_FINAL_TYPE (CdParamPanel, cd_param_panel, CD, PARAM_PANEL, AdwBin)

GtkWidget *cd_param_panel_new          (void);
void       cd_param_panel_set_document (CdParamPanel *self,
                                        CdDocument   *document);

G_END_DECLS
