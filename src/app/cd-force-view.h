/* cd-force-view.h — the Lewin-style force-field diagram of the selected
 * government at the time cursor (drawing in src/render/cd-force-field.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cd-runner.h"

G_BEGIN_DECLS

#define CD_TYPE_FORCE_VIEW (cd_force_view_get_type ())
G_DECLARE_FINAL_TYPE (CdForceView, cd_force_view, CD, FORCE_VIEW, GtkWidget)

GtkWidget *cd_force_view_new        (void);
/* run NULL or node −1: a hint saying what to do instead of a diagram. */
void       cd_force_view_set_run    (CdForceView *self,
                                     CdRun       *run);
void       cd_force_view_set_node   (CdForceView *self,
                                     int          node);
void       cd_force_view_set_sample (CdForceView *self,
                                     guint        sample);
/* How many of the diagram's texts, drawn for government `node` (-1: the
 * one shown) at the widget's size, end in "…" or are left out for want of
 * room; 0 without a diagram. */
guint      cd_force_view_count_cut  (CdForceView *self,
                                     int          node);

G_END_DECLS
