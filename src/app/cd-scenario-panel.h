/* cd-scenario-panel.h — emergencies, policy changes and named scenarios, edited in lists.
 *
 * An emergency has a name, onset, magnitude, decay and the governments it
 * hits, each with an impact; "Pick on Network" lets the user click them on
 * the canvas.  A policy change sets parameters from a time on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_SCENARIO_PANEL (cd_scenario_panel_get_type ())
G_DECLARE_FINAL_TYPE (CdScenarioPanel, cd_scenario_panel, CD, SCENARIO_PANEL, AdwBin)

GtkWidget *cd_scenario_panel_new              (void);
void       cd_scenario_panel_set_document     (CdScenarioPanel *self,
                                               CdDocument      *document);
/* Opens one for editing (from the timeline). */
void       cd_scenario_panel_show_event       (CdScenarioPanel *self,
                                               int              index);
void       cd_scenario_panel_show_intervention (CdScenarioPanel *self,
                                                int              index);
/* The emergency whose impacted governments are being picked, or −1. */
int        cd_scenario_panel_get_picking      (CdScenarioPanel *self);
void       cd_scenario_panel_stop_picking     (CdScenarioPanel *self);
/* Adds (or keeps) the government as impacted by the emergency being picked. */
void       cd_scenario_panel_pick_node        (CdScenarioPanel *self,
                                               int              node);

G_END_DECLS
