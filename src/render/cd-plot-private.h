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

/* How many rows of y categories the laid-out area holds with each row's
 * label clear of the next (at least 1): beyond that they overprint. */
guint cd_plot_category_rows_that_fit (CdPlot *plot);

G_END_DECLS
