/* cd-render-private.h — text and small drawing helpers shared inside src/render.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "cd-figure.h"
#include "cd-palette.h"
#include "cd-model.h"
#include "cd-network-view.h"
#include "cd-simulate.h"
#include "cd-system.h"

G_BEGIN_DECLS

typedef enum
{
  CD_ANCHOR_START  = 0,   /* horizontal: left */
  CD_ANCHOR_CENTER = 1,
  CD_ANCHOR_END    = 2,   /* right */
} CdAnchor;

/* The style to use when the caller passed NULL. */
const CdRenderStyle *cd_render_style_or_default (const CdRenderStyle *style);

/* A layout in the style's font at `size` px (before font_scale). */
PangoLayout *cd_render_layout         (cairo_t             *cr,
                                       const CdRenderStyle *style,
                                       double               size,
                                       gboolean             bold);
/* Sets the text and returns its logical size in px. */
void         cd_render_layout_set     (PangoLayout         *layout,
                                       const char          *text,
                                       double              *width,
                                       double              *height);
/* Draws a laid-out text with its box anchored at (x, y): h/v anchors say
 * which side of the box sits at x / y. */
/* The size cd_render_layout_set would give `text` in `layout`, remembered
 * across frames under `key` (from cd_render_layout_key: font, resolution,
 * hinting).  On a miss the layout is left holding `text`; on a hit it is
 * not touched, so set the text before drawing. */
char        *cd_render_layout_key     (PangoLayout         *layout);
void         cd_render_text_size_cached (const char        *key,
                                       PangoLayout         *layout,
                                       const char          *text,
                                       double              *width,
                                       double              *height);
void         cd_render_layout_draw    (cairo_t             *cr,
                                       PangoLayout         *layout,
                                       double               x,
                                       double               y,
                                       CdAnchor             h,
                                       CdAnchor             v,
                                       CdColor              color);
/* One-shot: draws text and returns its width (height in *height). */
double       cd_render_text           (cairo_t             *cr,
                                       const CdRenderStyle *style,
                                       const char          *text,
                                       double               size,
                                       gboolean             bold,
                                       double               x,
                                       double               y,
                                       CdAnchor             h,
                                       CdAnchor             v,
                                       CdColor              color,
                                       double              *height);
double       cd_render_text_width     (cairo_t             *cr,
                                       const CdRenderStyle *style,
                                       const char          *text,
                                       double               size,
                                       gboolean             bold);

void         cd_render_fill_background (cairo_t             *cr,
                                        int                  width,
                                        int                  height,
                                        const CdRenderStyle *style);
/* A centred message (what is missing and how to get it). */
void         cd_render_message        (cairo_t             *cr,
                                       int                  width,
                                       int                  height,
                                       const char          *message,
                                       const CdRenderStyle *style);
/* Number formatting for labels: never "nan" or "inf" (an em dash instead). */
char        *cd_render_format_value   (double               value,
                                       int                  decimals);
/* An arrow from (x0, y0) to (x1, y1) with a head of length `head` px. */
void         cd_render_arrow          (cairo_t             *cr,
                                       double               x0,
                                       double               y0,
                                       double               x1,
                                       double               y1,
                                       double               head,
                                       double               width);

/* Where something was drawn, so that tests can check that layouts never
 * overlap and stay inside the figure.  Text boxes are logical extents. */
typedef enum
{
  CD_BOX_TEXT,
  CD_BOX_MARK,      /* an arrow, a swatch, a legend panel */
  CD_BOX_AREA,      /* the part of a figure the network was fitted into */
} CdBoxKind;

typedef struct
{
  double    x, y, width, height;
  CdBoxKind kind;
  guint     owner;   /* a government's name: 1 + the government's index; else 0 */
  gboolean  leader;  /* a name drawn apart from its government, joined by a line */
} CdRenderBox;

/* A government's shape as drawn: its centre and the radius of the circle
 * it fills (a star's or hexagon's points reach no further). */
typedef struct
{
  double x, y, r;
  guint  owner;      /* 1 + the government's index */
  /* the force glyph under it (x0, y0, x1, y1), empty (x1 < x0) if none:
   * a name under the glyph is by its government */
  double gx0, gy0, gx1, gy1;
} CdRenderShape;

/* An edge as drawn, from rim to rim, between governments a and b. */
typedef struct
{
  double x0, y0, x1, y1;
  guint  a, b;
} CdRenderSegment;

/* A probe of the text a drawing shows, for tests that check what a reader
 * sees from the layout rather than from pixels.  Between begin and end,
 * in the calling thread, every text drawn by cd_render_layout_draw (and
 * the force diagram's) onto the target surface, not into a group, is
 * recorded: its box in the figure's units (the surface's device scale
 * undone) and its font size there.  end returns the smallest size (+inf
 * if none) and appends the boxes (CD_BOX_TEXT) to `boxes` if not NULL. */
void         cd_render_probe_begin    (void);
double       cd_render_probe_end      (GArray              *boxes);
/* The same, also appending each text (a string the caller frees, in the
 * boxes' order) to `texts` if not NULL. */
double       cd_render_probe_end_texts (GArray             *boxes,
                                        GPtrArray          *texts);
/* Records a layout about to be drawn with its origin at (x, y). */
void         cd_render_probe_text     (cairo_t             *cr,
                                       PangoLayout         *layout,
                                       double               x,
                                       double               y);

/* The network's compact legend (force colours when `forces`, with the
 * parts the glyphs split them into for `model`'s version; the
 * coordination ramp, level shapes; the two roles of command lines when
 * the model has emergency ones) flowed into rows no wider than max_w from
 * (x, y); draws only when `draw`.  model may be NULL (no parts, no
 * roles).  Returns its height; its widest row in *used_w when not NULL.
 * For a figure that sets it apart from the network. */
double       cd_render_network_legend_strip (cairo_t             *cr,
                                             double               x,
                                             double               y,
                                             double               max_w,
                                             const CdModel       *model,
                                             gboolean             forces,
                                             gboolean             draw,
                                             const CdRenderStyle *style,
                                             double              *used_w);

/* The force diagram with or without its title and subtitle; boxes as
 * cd_render_force_field_boxes. */
void         cd_render_force_field_full  (cairo_t             *cr,
                                          int                  width,
                                          int                  height,
                                          const CdModel       *model,
                                          const CdSystem      *system,
                                          const CdTrajectory  *traj,
                                          guint                node,
                                          guint                sample,
                                          const CdRenderStyle *style,
                                          gboolean             show_title,
                                          GArray              *boxes);
/* How many of the force diagram's texts, drawn at this size as
 * cd_render_force_field_full draws them, end in "…" or are left out for
 * want of room: 0 when the reader sees every word. */
guint        cd_render_force_field_cut   (int                  width,
                                          int                  height,
                                          const CdModel       *model,
                                          const CdSystem      *system,
                                          const CdTrajectory  *traj,
                                          guint                node,
                                          guint                sample,
                                          const CdRenderStyle *style,
                                          gboolean             show_title);
/* The height the force diagram needs at this width to show everything at
 * its type size, nothing cut. */
double       cd_render_force_field_height (int                  width,
                                           const CdModel       *model,
                                           const CdSystem      *system,
                                           const CdTrajectory  *traj,
                                           guint                node,
                                           guint                sample,
                                           const CdRenderStyle *style,
                                           gboolean             show_title);

/* cd_figure_draw that also appends the boxes of the network's names,
 * legend (strip or panel) and, with a preset, the area the network was
 * fitted into (CD_BOX_AREA), or of the force diagram's texts and arrows,
 * to `boxes`. */
void         cd_figure_draw_boxes     (cairo_t             *cr,
                                       int                  width,
                                       int                  height,
                                       const CdModel       *model,
                                       const CdSystem      *system,
                                       const CdTrajectory  *traj,
                                       const CdFigureSpec  *spec,
                                       GArray              *boxes);

/* The time unit of a model's time axes ("days"), or NULL when the model
 * does not say. */
const char  *cd_render_time_unit      (const CdModel       *model);

gboolean     cd_render_box_intersects (const CdRenderBox  *a,
                                       const CdRenderBox  *b);

/* cd_render_force_field() that also appends a CdRenderBox for every text and
 * arrow it draws to `boxes` (may be NULL). */
void         cd_render_force_field_boxes (cairo_t             *cr,
                                          int                  width,
                                          int                  height,
                                          const CdModel       *model,
                                          const CdSystem      *system,
                                          const CdTrajectory  *traj,
                                          guint                node,
                                          guint                sample,
                                          const CdRenderStyle *style,
                                          GArray              *boxes);

/* cd_render_network() that also appends the box of every name (CD_BOX_TEXT)
 * and the legend's box (CD_BOX_MARK), if it drew one, to `boxes` (may be
 * NULL). */
void         cd_render_network_boxes   (cairo_t                *cr,
                                        int                     width,
                                        int                     height,
                                        const CdNetworkView    *view,
                                        const CdModel          *model,
                                        const CdSystem         *system,
                                        const CdTrajectory     *traj,
                                        guint                   sample,
                                        const CdNetworkOverlay *overlay,
                                        const CdRenderStyle    *style,
                                        GArray                 *boxes);
/* The same, also appending every government's shape (CdRenderShape) and
 * every edge (CdRenderSegment) on the frame to `shapes` and `segments`
 * (either may be NULL): for tests that check names against them. */
void         cd_render_network_layout  (cairo_t                *cr,
                                        int                     width,
                                        int                     height,
                                        const CdNetworkView    *view,
                                        const CdModel          *model,
                                        const CdSystem         *system,
                                        const CdTrajectory     *traj,
                                        guint                   sample,
                                        const CdNetworkOverlay *overlay,
                                        const CdRenderStyle    *style,
                                        GArray                 *boxes,
                                        GArray                 *shapes,
                                        GArray                 *segments);

G_END_DECLS
