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

/* Sizes made for where a figure ends up.  Column and page are a journal's
 * widths in points (what SVG and PDF measure in) in the print style, with
 * PNGs at 300 dpi; slide is a 16:9 slide in the projector style, its PNG
 * 1920 × 1080 pixels.  Every preset keeps the network's legend off the
 * network, in a strip of its own. */
typedef enum
{
  CD_FIGURE_PRESET_NONE,     /* the caller's own size and style */
  CD_FIGURE_PRESET_COLUMN,   /* one column of a journal page: 85 mm wide */
  CD_FIGURE_PRESET_PAGE,     /* the whole width of a page: 175 mm */
  CD_FIGURE_PRESET_SLIDE,    /* 1920 × 1080, projector style */
} CdFigurePreset;

#define CD_FIGURE_COLUMN_MM 85.0
#define CD_FIGURE_PAGE_MM   175.0
/* Pixels per point of a print preset's PNG: 300 dpi. */
#define CD_FIGURE_PRINT_PNG_SCALE (300.0 / 72.0)

typedef struct
{
  int           width, height;   /* logical units: points in SVG and PDF */
  double        scale;           /* PNG pixels per unit */
  CdStylePreset style;
} CdFigureSize;

gboolean     cd_figure_preset_from_string (const char     *text,
                                           CdFigurePreset *out_preset);
const char  *cd_figure_preset_to_string (CdFigurePreset    preset);   /* "column", … */
/* What the preset is for, translated, for a menu: "Journal column (85 mm)". */
const char  *cd_figure_preset_label     (CdFigurePreset    preset);
/* The preset's width, PNG scale and style, and the height of a chart of
 * ordinary proportions (a figure whose content sets its height, such as
 * the network or a force diagram, asks cd_figure_spec_apply_preset).
 * NONE gives the command line's defaults, 1200 × 800 at scale 1, normal. */
void         cd_figure_preset_size      (CdFigurePreset    preset,
                                         CdFigureSize     *size);
/* The points of a width in millimetres, rounded to whole points. */
int          cd_figure_mm_to_points     (double            mm);

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
  gboolean          show_title;      /* force diagram and time series: the title */
  gboolean          show_time;       /* network: "t = …"; time series: the cursor */
  /* Not NONE: laid out for that preset (the network's legend in a strip
   * below it rather than in a corner of the network). */
  CdFigurePreset    preset;
} CdFigureSpec;

/* The command line's defaults: the network at the end of the run, 1200 × 800
 * at scale 1, mean coordination and loss, normal style, legend, labels,
 * glyphs, title and time on, flows off, no preset. */
void         cd_figure_spec_init      (CdFigureSpec       *spec);

/* Sets spec's preset, size, scale and style for what it shows: the
 * preset's width, and a height that suits the view (the network's own
 * proportions with its legend strip, the force diagram's natural height,
 * a chart's ordinary proportions).  Call after the view, nodes and
 * series are set. */
void         cd_figure_spec_apply_preset (CdFigureSpec     *spec,
                                          CdFigurePreset    preset,
                                          const CdModel    *model,
                                          const CdSystem   *system,
                                          const CdTrajectory *traj);
/* The height of a column or page figure at spec's width (which may differ
 * from the preset's), as cd_figure_spec_apply_preset chooses it; other
 * presets keep their height. */
void         cd_figure_spec_fit_height  (CdFigureSpec     *spec,
                                         const CdModel    *model,
                                         const CdSystem   *system,
                                         const CdTrajectory *traj);

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
