/* cd-number-row.h — a preferences row with a slider and a numeric entry.
 *
 * Shared by the parameter panel, the inspector and the scenario panel so
 * every number in the app is set the same way.  libadwaita 1.2 has no
 * AdwSpinRow, hence an AdwActionRow with a GtkScale and a GtkSpinButton
 * sharing one GtkAdjustment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Returns the row; *out_adjustment (not owned) carries the value.
 * with_scale FALSE gives the entry alone (unbounded values, times). */
GtkWidget *cd_number_row_new (const char     *title,
                              const char     *subtitle,
                              const char     *tooltip,
                              double          lower,
                              double          upper,
                              double          step,
                              guint           digits,
                              gboolean        with_scale,
                              GtkAdjustment **out_adjustment);

/* The numeric entry of cd_number_row_new() put at the end of row, an
 * AdwActionRow made elsewhere (in a template), and named for assistive
 * technology by the row's title; returns its adjustment (not owned). */
GtkAdjustment *cd_number_row_add_entry      (GtkWidget *row,
                                             double     lower,
                                             double     upper,
                                             double     step,
                                             guint      digits);
/* The same for a model time (an emergency's onset, when a policy change
 * takes effect): 0 to 10⁶ in steps of 0.1, with two decimals. */
GtkAdjustment *cd_number_row_add_time_entry (GtkWidget *row);

/* Puts a flat "remove" button (tooltip says what it removes) at the end of
 * row and returns it, for the caller to connect to "clicked". */
GtkWidget *cd_number_row_add_remove_button (GtkWidget  *row,
                                            const char *tooltip);

G_END_DECLS
