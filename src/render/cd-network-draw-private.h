/* cd-network-draw-private.h — what the files that draw the network share
 * (cd-network-draw.c, cd-network-labels.c, cd-network-legend.c): a frame,
 * resolved once, and the steps each file provides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-network-view.h"
#include "cd-raster.h"
#include "cd-render-private.h"

G_BEGIN_DECLS

#define LOD_OUTLINE     3.5
#define LOD_ARROWHEAD   4.0
#define LOD_FLOW        6.0
#define LOD_LABEL       7.0
#define LOD_GLYPH       9.0
#define MAX_LABELS      600
#define COLOR_BINS      32
#define COLOR_BINS_FINE 256
#define TRUST_BINS      8
#define OCC_CELL        4

/* What one frame needs, resolved once. */
typedef struct
{
  cairo_t                *cr;
  int                     width, height;
  const CdNetworkView    *view;
  const CdModel          *model;
  const CdSystem         *system;
  const CdTrajectory     *traj;
  guint                   sample;
  const CdNetworkOverlay *ov;
  const CdRenderStyle    *style;
  guint                   n;
  double                 *px, *py, *r;   /* per node, pixels */
  double                 *core;          /* per node: radius hiding what is under it */
  guint8                 *visible;
  guint                   n_edges;
  const double           *x;             /* coordination at the sample */
  double                 *x_owned;
  const double           *trust;         /* per partnership, or NULL */
  guint                  *partnership_of_edge;
  double                  t;
  gboolean                stale;         /* traj does not match the model */
  GArray                 *boxes;         /* for tests, or NULL */
  CdRaster                raster;        /* edges and specks, when rastering */
  gboolean                rastering;
  double                  corner_text_h; /* the "t = …" box, top left */
  char                   *corner_text;   /* its text, or NULL */
  double                  corner_text_w;
  double                 *below;         /* per node: the height of its glyph, 0 without */
  double                 *glyph_x;       /* per node: its glyph's drawn left and right ends */
  /* the force factors at the sample (CD_N_FACTORS × n, factor-major) that
   * split the glyphs' bars into parts; made on the first glyph */
  double                 *factors;
  gboolean                factors_tried;
  gboolean                glyph_parts;   /* some glyph was drawn split: the legend says how */
  /* the legend, placed before the names so that none goes under it */
  gboolean                legend_shown;
  double                  legend_x, legend_y, legend_w, legend_h;
  gboolean                legend_parts;  /* the compact one names the forces' parts */
  cairo_pattern_t        *legend_content; /* the full panel, drawn in advance */
  gboolean                label_boxes;   /* many names: backdrops, not halos */
  gboolean                pixels;        /* the target is pixels (image, recording) */
  /* label occupancy bitmap */
  guint8                 *occ;
  /* the same without the nodes too small to carry a name, which the
   * central government's name may cover where nothing else is free; made
   * on first need */
  guint8                 *solid;
  GArray                 *names;         /* CdRenderBox of every name placed */
  /* the cells the edges cross (outside the nodes), which a name avoids
   * where it can: NULL on a large network, where names cross lines anyway */
  guint8                 *edge_occ;
  GArray                 *shapes;        /* for tests: CdRenderShape, or NULL */
  GArray                 *segments;      /* for tests: CdRenderSegment, or NULL */
  int                     occ_w, occ_h;
} Frame;

/* cd-network-draw.c: the occupancy bitmaps of OCC_CELL-pixel cells, the
 * frame's size (`occ` for names: nodes, glyphs and names mark it; another
 * for glyphs alone), and the strip the caller's controls cover. */
void     cd_network_bits_mark         (Frame        *f,
                                       guint8       *bits,
                                       double        x0,
                                       double        y0,
                                       double        x1,
                                       double        y1);
/* Whether the box is free; off the frame counts as free. */
gboolean cd_network_bits_free         (Frame        *f,
                                       const guint8 *bits,
                                       double        x0,
                                       double        y0,
                                       double        x1,
                                       double        y1);
void     cd_network_occ_mark          (Frame        *f,
                                       double        x0,
                                       double        y0,
                                       double        x1,
                                       double        y1);
/* A label must lie wholly inside the frame, unlike a glyph. */
gboolean cd_network_label_free        (Frame        *f,
                                       const guint8 *bits,
                                       double        x0,
                                       double        y0,
                                       double        x1,
                                       double        y1);
double   cd_network_inset_right       (const Frame  *f);

/* cd-network-labels.c */
void     cd_network_draw_glyphs       (Frame        *f);
void     cd_network_draw_labels       (Frame        *f);

/* cd-network-legend.c: the legend's place is chosen from the nodes and
 * glyphs before the names are placed, and drawn over them. */
void     cd_network_place_legend      (Frame        *f);
void     cd_network_draw_legend       (Frame        *f);
void     cd_network_place_corner_text (Frame        *f);
void     cd_network_draw_corner_text  (Frame        *f);
/* Whether node i carries the selection or the focus ring. */
gboolean cd_network_node_is_marked    (const Frame  *f,
                                       guint         i);

G_END_DECLS
