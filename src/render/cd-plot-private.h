/* cd-plot-private.h — plot internals shared with the charts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-plot.h"

G_BEGIN_DECLS

/* Computes the data area without drawing (cd_plot_draw_axes does this
 * first); used to map pixels to data for hover without a redraw. */
void cd_plot_layout (CdPlot *plot);

G_END_DECLS
