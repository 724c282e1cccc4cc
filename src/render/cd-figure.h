/* cd-figure.h — one named figure of a run: the network, a government's force
 * diagram or a time series, at a time, in a style.
 *
 * `coordyn-cli render` and the app's Export Figure dialog both describe
 * what they want as a CdFigureSpec and draw it here, so a figure exported
 * from the app is byte for byte the one the command line makes with the
 * same model, time and options.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "cd-export.h"
#include "cd-model.h"
#include "cd-palette.h"
#include "cd-plot.h"
#include "cd-simulate.h"
#include "cd-system.h"

G_BEGIN_DECLS

typedef enum
{
  CD_FIGURE_NETWORK,      /* the whole network, fitted to the figure */
  CD_FIGURE_FORCES,       /* the force-field diagram of nodes[0] */
  CD_FIGURE_TIMESERIES,   /* a time series of kind `series` */
} CdFigureView;

typedef struct
{
  CdFigureView      view;
  /* The state shown: the sample at or before `time`; < 0: the end of the
   * run, and no cursor on a time series. */
  double            time;
  int               width, height;   /* logical units: pixels at scale 1, points in SVG/PDF */
  double            scale;           /* PNG pixels per unit, 0.1…10 */
  /* Indices into the model's nodes: the government of FORCES; the
   * governments of a NODES or FORCES time series. */
  const guint      *nodes;
  guint             n_nodes;
  CdTimeseriesKind  series;
  /* Partnerships (indices among partnerships, file order) of a TRUST time
   * series; none: the first dozen, a legible number. */
  const guint      *partnerships;
  guint             n_partnerships;
  CdStylePreset     style;
  gboolean          show_legend;
  gboolean          show_labels;     /* network: names */
  gboolean          show_glyphs;     /* network: force glyphs */
  gboolean          show_flows;      /* network: gravity and pressure flows */
} CdFigureSpec;

/* The command line's defaults: the network at the end of the run, 1200 × 800
 * at scale 1, mean coordination and loss, normal style, legend, labels and
 * glyphs on, flows off. */
void         cd_figure_spec_init      (CdFigureSpec       *spec);

gboolean     cd_figure_view_from_string (const char       *text,
                                         CdFigureView     *out_view);
const char  *cd_figure_view_to_string (CdFigureView        view);   /* "network", … */
gboolean     cd_figure_series_from_string (const char     *text,
                                           CdTimeseriesKind *out_kind);
const char  *cd_figure_series_to_string (CdTimeseriesKind  kind);  /* "mean", … */

/* Whether spec can be drawn from this run (sizes, scale, time, node and
 * partnership indices, a government where one is needed); the error
 * (CD_EXPORT_ERROR_INVALID) says what is wrong in the user's words. */
gboolean     cd_figure_check          (const CdModel      *model,
                                       const CdTrajectory *traj,
                                       const CdFigureSpec *spec,
                                       GError            **error);

/* Draws the figure over (0, 0, width, height) of cr, background included,
 * ignoring spec's own size.  traj must have been run with forces and trust
 * for glyphs, force series and trust series (they draw a message without). */
void         cd_figure_draw           (cairo_t            *cr,
                                       int                 width,
                                       int                 height,
                                       const CdModel      *model,
                                       const CdSystem     *system,
                                       const CdTrajectory *traj,
                                       const CdFigureSpec *spec);

/* Checks spec, then writes the figure at spec's size and scale to path,
 * atomically, stopped by cancellable if not NULL (see cd_export_to_file). */
gboolean     cd_figure_export         (const CdModel      *model,
                                       const CdSystem     *system,
                                       const CdTrajectory *traj,
                                       const CdFigureSpec *spec,
                                       CdExportFormat      format,
                                       const char         *path,
                                       GCancellable       *cancellable,
                                       GError            **error);
/* The same into file, which the caller commits or abandons (the app's
 * exports commit on the main thread, so that a cancel cannot race it). */
gboolean     cd_figure_export_to_file (const CdModel      *model,
                                       const CdSystem     *system,
                                       const CdTrajectory *traj,
                                       const CdFigureSpec *spec,
                                       CdExportFormat      format,
                                       CdAtomicFile       *file,
                                       GCancellable       *cancellable,
                                       GError            **error);

G_END_DECLS
