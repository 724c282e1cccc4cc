/* cd-scenario-row.h — one named scenario in the Scenario panel: its key,
 * its English and Chinese names, its description and its overrides.
 *
 * Like CdInterventionRow it edits nothing itself: it emits "edit" with the
 * scenario as it should become, and the panel applies that as an undo
 * step (cd_edit_set_scenario), so the row and tests make the same edits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_SCENARIO_ROW (cd_scenario_row_get_type ())
G_DECLARE_FINAL_TYPE (CdScenarioRow, cd_scenario_row, CD, SCENARIO_ROW, AdwExpanderRow)

/* Signals: "edit" (CdScenario *scenario, const char *key, gboolean
 * structural), "remove", "duplicate". */
GtkWidget *cd_scenario_row_new       (CdDocument    *document,
                                      guint          index);
guint      cd_scenario_row_get_index (CdScenarioRow *self);

/* The name shown for a scenario: in the user's language when it has one. */
const char *cd_scenario_display_name (const CdScenario *scenario);

G_END_DECLS
