/* cd-network-draw.c — drawing the network: edges by trust, nodes by x,
 * force glyphs, flow arrows, labels without collisions, overlays, legend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-network-view.h"
#include "cd-raster.h"
#include "cd-render-private.h"

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
  /* the legend, placed before the names so that none goes under it */
  gboolean                legend_shown;
  double                  legend_x, legend_y, legend_w, legend_h;
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
  int                     occ_w, occ_h;
} Frame;

/* Occupancy bitmaps of OCC_CELL-pixel cells, the frame's size: `occ` for
 * labels (nodes, glyphs and names mark it), another for glyphs alone. */
static void
bits_mark (Frame  *f,
           guint8 *bits,
           double  x0,
           double  y0,
           double  x1,
           double  y1)
{
  int a = MAX (0, (int) floor (x0 / OCC_CELL)), b = MIN (f->occ_w - 1, (int) floor (x1 / OCC_CELL));
  int c = MAX (0, (int) floor (y0 / OCC_CELL)), d = MIN (f->occ_h - 1, (int) floor (y1 / OCC_CELL));

  for (int y = c; y <= d; y++)
    for (int x = a; x <= b; x++)
      bits[y * f->occ_w + x] = 1;
}

/* Whether the box is free; off the frame counts as free (the box is clipped). */
static gboolean
bits_free (Frame        *f,
           const guint8 *bits,
           double        x0,
           double        y0,
           double        x1,
           double        y1)
{
  int a = MAX (0, (int) floor (x0 / OCC_CELL)), b = MIN (f->occ_w - 1, (int) floor (x1 / OCC_CELL));
  int c = MAX (0, (int) floor (y0 / OCC_CELL)), d = MIN (f->occ_h - 1, (int) floor (y1 / OCC_CELL));

  for (int y = c; y <= d; y++)
    for (int x = a; x <= b; x++)
      if (bits[y * f->occ_w + x])
        return FALSE;
  return TRUE;
}

static void
occ_mark (Frame  *f,
          double  x0,
          double  y0,
          double  x1,
          double  y1)
{
  bits_mark (f, f->occ, x0, y0, x1, y1);
  if (f->solid != NULL)
    bits_mark (f, f->solid, x0, y0, x1, y1);
}

/* A label must lie wholly inside the frame, unlike a glyph. */
static gboolean
label_free (Frame        *f,
            const guint8 *bits,
            double        x0,
            double        y0,
            double        x1,
            double        y1)
{
  if (x0 < 0 || y0 < 0 || x1 > f->width || y1 > f->height)
    return FALSE;
  return bits_free (f, bits, x0, y0, x1, y1);
}

/* The strip along the right edge that the caller's controls cover, no
 * wider than half the frame. */
static double
inset_right (const Frame *f)
{
  double inset = f->ov->inset_right;

  return isfinite (inset) ? CLAMP (inset, 0, f->width / 2.0) : 0;
}

static void
frame_init (Frame *f)
{
  const CdNetworkView *view = f->view;
  double margin;
  guint np = 0;

  f->n = f->model->nodes->len;
  if (f->traj != NULL && (f->traj->n_nodes != f->n || f->traj->n_samples == 0))
    {
      /* Results of an older version of the model: do not paint them on this one. */
      f->stale = TRUE;
      f->traj = NULL;
    }
  if (f->system != NULL && cd_system_get_n_nodes (f->system) != f->n)
    f->system = NULL;
  if (f->traj)
    {
      f->sample = MIN (f->sample, f->traj->n_samples - 1);
      f->t = f->traj->t[f->sample];
      f->x = f->traj->x + (gsize) f->sample * f->n;
    }
  else
    {
      f->x_owned = g_new (double, MAX (f->n, 1));
      for (guint i = 0; i < f->n; i++)
        f->x_owned[i] = ((const CdNode *) g_ptr_array_index (f->model->nodes, i))->x0;
      f->x = f->x_owned;
      f->t = 0;
    }

  f->n_edges = cd_network_view_get_n_edges (f->view);
  f->partnership_of_edge = g_new (guint, MAX (f->model->edges->len, 1));
  for (guint e = 0; e < f->model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (f->model->edges, e);
      f->partnership_of_edge[e] = edge->kind == CD_EDGE_PARTNERSHIP ? np++ : G_MAXUINT;
    }
  if (f->traj && f->traj->trust && f->traj->n_partnerships == np)
    f->trust = f->traj->trust + (gsize) f->sample * np;

  f->px = g_new (double, MAX (f->n, 1));
  f->py = g_new (double, MAX (f->n, 1));
  f->r = g_new (double, MAX (f->n, 1));
  f->visible = g_new0 (guint8, MAX (f->n, 1));
  margin = 60 * f->style->line_scale;
  for (guint i = 0; i < f->n && i < cd_network_view_get_n_nodes (view); i++)
    {
      double mx, my;
      cd_network_view_node_position (view, i, &mx, &my);
      cd_network_view_to_pixels (view, mx, my, &f->px[i], &f->py[i]);
      f->r[i] = cd_network_view_node_radius (view, i, f->style);
      f->visible[i] = f->px[i] > -margin && f->px[i] < f->width + margin
                      && f->py[i] > -margin && f->py[i] < f->height + margin;
    }
  f->occ_w = f->width / OCC_CELL + 1;
  f->occ_h = f->height / OCC_CELL + 1;
  f->occ = g_new0 (guint8, (gsize) f->occ_w * f->occ_h);
}

static void
frame_clear (Frame *f)
{
  g_free (f->px);
  g_free (f->py);
  g_free (f->r);
  g_free (f->visible);
  g_free (f->core);
  g_free (f->x_owned);
  g_free (f->partnership_of_edge);
  g_free (f->occ);
  g_free (f->solid);
  if (f->names)
    g_array_unref (f->names);
  g_free (f->below);
  g_free (f->corner_text);
  g_clear_pointer (&f->legend_content, cairo_pattern_destroy);
}

/* Edge ends from the view's index (resolved once per sync, not per frame). */
static inline gboolean
edge_ends_at (const Frame *f,
              guint        e,
              guint       *a,
              guint       *b)
{
  if (f->model->edges->len != f->n_edges
      || !cd_network_view_edge_ends (f->view, e, a, b))
    return FALSE;
  return *a < f->n && *b < f->n;
}

/* Whether segment a–b can touch the screen (cheap box test). */
static gboolean
segment_on_screen (const Frame *f,
                   guint        a,
                   guint        b)
{
  double x0 = MIN (f->px[a], f->px[b]), x1 = MAX (f->px[a], f->px[b]);
  double y0 = MIN (f->py[a], f->py[b]), y1 = MAX (f->py[a], f->py[b]);

  return x1 >= -20 && x0 <= f->width + 20 && y1 >= -20 && y0 <= f->height + 20;
}

static double
edge_scale (const Frame *f)
{
  /* Lines thin out with the nodes so a zoomed-out national map is not a
   * grey blanket, and never grow thicker than they need to. */
  double base = f->r != NULL && f->n > 0 ? f->r[0] / cd_palette_level_size (
      ((const CdNode *) g_ptr_array_index (f->model->nodes, 0))->level) / f->style->line_scale
    : 8.0;
  return CLAMP (base / 10.0, 0.3, 1.0) * f->style->line_scale;
}

/* How far from each node's centre its opaque shape hides whatever lies
 * under it, in pixels: the shape's inscribed radius less the antialiased
 * rim and the half pixel a sprite may be moved by; 0 for a node not drawn.
 * Fills f->core. */
static void
node_cores (Frame *f)
{
  double k[CD_N_LEVELS];

  for (int l = 0; l < CD_N_LEVELS; l++)
    switch (cd_palette_level_shape ((CdLevel) l))
      {
      case CD_SHAPE_STAR:    k[l] = 0.44; break;   /* inner vertices at r/2 */
      case CD_SHAPE_HEXAGON: k[l] = 0.866; break;
      case CD_SHAPE_DIAMOND: k[l] = 0.707; break;
      case CD_SHAPE_SQUARE:  k[l] = 0.8; break;
      case CD_SHAPE_CIRCLE:
      default:               k[l] = 1.0; break;
      }
  f->core = g_new (double, MAX (f->n, 1));
  for (guint i = 0; i < f->n; i++)
    {
      CdLevel l = ((const CdNode *) g_ptr_array_index (f->model->nodes, i))->level;
      f->core[i] = f->visible[i] && l < CD_N_LEVELS
                   ? MAX (k[l] * f->r[i] - 1.5 / f->raster.scale, 0) : 0;
    }
}

/* A line from node a to node b into the pixel layer, less the parts the
 * two nodes, drawn later, will hide: at the fitted zoom that is a third
 * of every partnership's pixels, for the same picture. */
static void
raster_edge (Frame *f,
             guint  a,
             guint  b)
{
  double dx = f->px[b] - f->px[a], dy = f->py[b] - f->py[a];
  double len = sqrt (dx * dx + dy * dy), ta, tb;

  if (!(len > 0))
    return;
  ta = f->core[a] / len;
  tb = f->core[b] / len;
  if (ta + tb >= 1)
    return;   /* wholly under the two nodes */
  cd_raster_line (&f->raster, f->px[a] + dx * ta, f->py[a] + dy * ta,
                  f->px[b] - dx * tb, f->py[b] - dy * tb);
}

static void
draw_edges (Frame *f)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  double es = edge_scale (f);
  double base_r = f->n ? f->r[0] / cd_palette_level_size (
      ((const CdNode *) g_ptr_array_index (f->model->nodes, 0))->level) : 0;
  CdColor pc = cd_palette_edge (CD_EDGE_PARTNERSHIP, st);
  CdColor cc = cd_palette_edge (CD_EDGE_COMMAND, st);
  gboolean heads = base_r >= LOD_ARROWHEAD * st->line_scale;

  cairo_save (cr);
  /* Zoomed out, thousands of hairlines: butt caps and cairo's fast
   * antialiasing cost a fraction of full coverage and look the same. */
  if (!heads)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_FAST);
  else
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* Partnerships, one path per trust bin: width shows trust. */
  guint8 *bins = g_new (guint8, MAX (f->model->edges->len, 1));
  for (guint e = 0; e < f->model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (f->model->edges, e);
      guint a, b;
      double tau;
      bins[e] = G_MAXUINT8;
      if (edge->kind != CD_EDGE_PARTNERSHIP || !edge_ends_at (f, e, &a, &b)
          || !segment_on_screen (f, a, b))
        continue;
      tau = f->trust ? f->trust[f->partnership_of_edge[e]] : edge->trust;
      if (!isfinite (tau))
        tau = 0;
      bins[e] = (guint8) MIN (floor (CLAMP (tau, 0, 1) * TRUST_BINS), TRUST_BINS - 1);
    }
  if (f->rastering)
    {
      node_cores (f);
      /* On screen (and in PNGs): thousands of lines written straight into
       * a layer rather than stroked one by one, which cost nearly all of a
       * national-map frame (issue 6.3).  Their ends are under the nodes, so
       * butt ends look the same as round ones. */
      for (guint e = 0; e < f->model->edges->len; e++)
        {
          guint a, b, bin = bins[e];
          if (bin == G_MAXUINT8)
            continue;
          cd_network_view_edge_ends (f->view, e, &a, &b);
          cd_raster_set_color (&f->raster, cd_color_with_alpha (pc, 0.55 + 0.35 * bin / TRUST_BINS),
                               (0.8 + 5.0 * (bin + 0.5) / TRUST_BINS) * es);
          raster_edge (f, a, b);
        }
      cd_raster_set_color (&f->raster, cc, 1.3 * es);
      for (guint e = 0; e < f->model->edges->len; e++)
        {
          const CdEdge *edge = g_ptr_array_index (f->model->edges, e);
          guint a, b;
          double dx, dy, len, head, ux, uy, ex, ey, bx, by;
          if (edge->kind != CD_EDGE_COMMAND || !edge_ends_at (f, e, &a, &b)
              || !segment_on_screen (f, a, b))
            continue;
          dx = f->px[b] - f->px[a];
          dy = f->py[b] - f->py[a];
          len = sqrt (dx * dx + dy * dy);
          if (!heads || len < f->r[a] + f->r[b] + 4)
            {
              raster_edge (f, a, b);
              continue;
            }
          /* the same geometry as cd_render_arrow: shaft to the head's base */
          ux = dx / len;
          uy = dy / len;
          ex = f->px[b] - ux * (f->r[b] + 2);
          ey = f->py[b] - uy * (f->r[b] + 2);
          head = MIN (MAX (6 * es, 5), len);
          bx = ex - ux * head;
          by = ey - uy * head;
          cd_raster_line (&f->raster, f->px[a] + ux * f->r[a], f->py[a] + uy * f->r[a],
                          bx + ux * 0.5, by + uy * 0.5);
          cd_raster_triangle (&f->raster, ex, ey, bx - uy * head * 0.5, by + ux * head * 0.5,
                              bx + uy * head * 0.5, by - ux * head * 0.5);
        }
      g_free (bins);
      cairo_restore (cr);
      return;
    }
  for (guint bin = 0; bin < TRUST_BINS; bin++)
    {
      gboolean any = FALSE;
      for (guint e = 0; e < f->model->edges->len; e++)
        {
          guint a, b;
          if (bins[e] != bin)
            continue;
          cd_network_view_edge_ends (f->view, e, &a, &b);
          cairo_move_to (cr, f->px[a], f->py[a]);
          cairo_line_to (cr, f->px[b], f->py[b]);
          any = TRUE;
        }
      if (any)
        {
          cairo_set_line_width (cr, (0.8 + 5.0 * (bin + 0.5) / TRUST_BINS) * es);
          cd_color_set_source (cr, cd_color_with_alpha (pc, 0.55 + 0.35 * bin / TRUST_BINS));
          cairo_stroke (cr);
        }
    }

  g_free (bins);

  /* Command lines: superior → subordinate, arrowheads once there is room. */
  cd_color_set_source (cr, cc);
  cairo_set_line_width (cr, 1.3 * es);
  for (guint e = 0; e < f->model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (f->model->edges, e);
      guint a, b;
      double dx, dy, len, ex, ey;
      if (edge->kind != CD_EDGE_COMMAND || !edge_ends_at (f, e, &a, &b)
          || !segment_on_screen (f, a, b))
        continue;
      dx = f->px[b] - f->px[a];
      dy = f->py[b] - f->py[a];
      len = hypot (dx, dy);
      if (!heads || len < f->r[a] + f->r[b] + 4)
        {
          cairo_move_to (cr, f->px[a], f->py[a]);
          cairo_line_to (cr, f->px[b], f->py[b]);
          continue;
        }
      ex = f->px[b] - dx / len * (f->r[b] + 2);
      ey = f->py[b] - dy / len * (f->r[b] + 2);
      cairo_stroke (cr);
      cd_render_arrow (cr, f->px[a] + dx / len * f->r[a], f->py[a] + dy / len * f->r[a], ex, ey,
                       MAX (6 * es, 5), 1.3 * es);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Gravity each partner sends, pressure each superior sends: small
 * arrowheads along the edge, sized by their share. */
static void
draw_flows (Frame *f)
{
  const CdRenderStyle *st = f->style;
  cairo_t *cr = f->cr;
  double max_share = 0;
  g_autofree double *pull = g_new (double, 2 * (gsize) MAX (f->model->edges->len, 1));
  double *to_target = pull, *to_source = pull + MAX (f->model->edges->len, 1);
  CdColor gc = cd_palette_force (CD_FORCE_GRAVITY, st);
  CdColor pc = cd_palette_force (CD_FORCE_PRESSURE, st);
  double es = edge_scale (f);

  /* A system compiled from other ties (the model edited since) has no
   * flows for these. */
  if (cd_system_get_n_edges (f->system) != f->model->edges->len)
    return;
  cd_system_edge_pulls (f->system, f->t, f->x, f->trust, to_target, to_source);

  for (int pass = 0; pass < 2; pass++)
    for (guint e = 0; e < f->model->edges->len; e++)
      {
        const CdEdge *edge = g_ptr_array_index (f->model->edges, e);
        guint a, b;
        if (!edge_ends_at (f, e, &a, &b) || !segment_on_screen (f, a, b))
          continue;
        for (int dir = 0; dir < 2; dir++)
          {
            guint from = dir ? b : a, to = dir ? a : b;
            double share, len, ux, uy, cx, cy, size;
            CdColor col;
            if (edge->kind == CD_EDGE_PARTNERSHIP)
              {
                share = dir ? to_source[e] : to_target[e];
                col = gc;
              }
            else
              {
                if (dir == 1)
                  continue;   /* pressure flows down only */
                share = to_target[e];
                col = pc;
              }
            if (!isfinite (share) || share <= 0)
              continue;
            if (pass == 0)
              {
                max_share = MAX (max_share, share);
                continue;
              }
            len = hypot (f->px[to] - f->px[from], f->py[to] - f->py[from]);
            if (len < f->r[from] + f->r[to] + 12)
              continue;
            ux = (f->px[to] - f->px[from]) / len;
            uy = (f->py[to] - f->py[from]) / len;
            /* at 62 % of the way, past the middle, toward the receiver */
            cx = f->px[from] + ux * len * 0.62;
            cy = f->py[from] + uy * len * 0.62;
            size = (4 + 8 * sqrt (share / max_share)) * es;
            cairo_move_to (cr, cx + ux * size * 0.6, cy + uy * size * 0.6);
            cairo_line_to (cr, cx - ux * size * 0.4 - uy * size * 0.45,
                           cy - uy * size * 0.4 + ux * size * 0.45);
            cairo_line_to (cr, cx - ux * size * 0.4 + uy * size * 0.45,
                           cy - uy * size * 0.4 - ux * size * 0.45);
            cairo_close_path (cr);
            cd_color_set_source (cr, col);
            cairo_fill (cr);
          }
      }
}

/* One node's shape at (x, y): fill by x, outline, and the rings that mark
 * the central government and a fixed stance.  A speck (below the outline
 * size) gets a faint thin outline only. */
static void
node_shape (cairo_t             *cr,
            const CdRenderStyle *st,
            CdLevel              level,
            gboolean             fixed,
            double               x,
            double               y,
            double               r,
            CdColor              fill)
{
  CdColor outline = cd_palette_foreground (st);

  cd_render_shape_path (cr, cd_palette_level_shape (level), x, y, r);
  cd_color_set_source (cr, fill);
  cairo_fill_preserve (cr);
  if (r < LOD_OUTLINE * 2 * st->line_scale)
    {
      /* specks need only a hint of an edge */
      cairo_set_line_width (cr, 0.6 * st->line_scale);
      cd_color_set_source (cr, cd_color_with_alpha (outline, 0.5));
      cairo_stroke (cr);
      return;
    }
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, (r >= LOD_OUTLINE * 2 ? 1.5 : 0.8) * st->line_scale
                            * (st->high_contrast ? 1.3 : 1.0));
  cd_color_set_source (cr, cd_color_with_alpha (outline, st->high_contrast ? 1.0 : 0.75));
  cairo_stroke (cr);
  if (level == CD_LEVEL_CENTRAL && r >= LOD_OUTLINE * 2)
    {
      /* central: a ring around the star, so it reads even in greyscale */
      cairo_arc (cr, x, y, r * 1.12, 0, 2 * G_PI);
      cairo_set_line_width (cr, 1.2 * st->line_scale);
      cairo_stroke (cr);
    }
  if (fixed && r >= LOD_OUTLINE * 2)
    {
      /* fixed stance (a scenario input): a dashed outer ring */
      double dash[] = { 3 * st->line_scale, 2 * st->line_scale };
      cairo_save (cr);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_set_line_width (cr, 1.2 * st->line_scale);
      cairo_arc (cr, x, y, r + 3.5 * st->line_scale, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
}

/* Sprites for nodes up to this size in device pixels: at the largest zoom
 * a central government with its rings is ~75 px, ~120 px on a projector. */
#define SPRITE_MAX_PX 128
/* the most sprite pixels one thread keeps (16 MiB) */
#define SPRITE_CACHE_MAX_PX (4 << 20)

/* Node sprites kept from frame to frame in each thread, for one zoom and
 * one style: while time plays or the pointer moves, drawing them again
 * each frame was a tenth of it.  Any change of size or style starts over
 * in the older of two slots, so that the canvas's quick frames at scale 1
 * and its sharp ones at scale 2 on a HiDPI display keep a set each. */
typedef struct
{
  gboolean        used;
  gboolean        dark, high_contrast;
  double          line_scale, scale, base;
  gsize           pixels;
  CdRasterSprite *sprite[CD_N_LEVELS][2][COLOR_BINS_FINE];
  /* per level and stance, the shape's fill coverage and its outline and
   * rings alone, from which a sprite of any colour is composed */
  cairo_surface_t *fill[CD_N_LEVELS][2], *outline[CD_N_LEVELS][2];
} SpriteCache;

static void
sprite_cache_clear (SpriteCache *c)
{
  for (int l = 0; l < CD_N_LEVELS; l++)
    for (int x = 0; x < 2; x++)
      for (guint b = 0; b < COLOR_BINS_FINE; b++)
        g_clear_pointer (&c->sprite[l][x][b], cd_raster_sprite_free);
  for (int l = 0; l < CD_N_LEVELS; l++)
    for (int x = 0; x < 2; x++)
      {
        g_clear_pointer (&c->fill[l][x], cairo_surface_destroy);
        g_clear_pointer (&c->outline[l][x], cairo_surface_destroy);
      }
  c->pixels = 0;
}

#define SPRITE_SLOTS 2

typedef struct
{
  SpriteCache slot[SPRITE_SLOTS];
  guint       last;   /* the slot used by the latest frame */
} SpriteCaches;

static void
sprite_caches_free (SpriteCaches *cs)
{
  for (guint k = 0; k < SPRITE_SLOTS; k++)
    sprite_cache_clear (&cs->slot[k]);
  g_free (cs);
}

static GPrivate sprite_cache = G_PRIVATE_INIT ((GDestroyNotify) sprite_caches_free);

/* This thread's sprites for the frame's node size and style. */
static SpriteCache *
sprite_cache_for (const Frame *f,
                  double       scale)
{
  const CdRenderStyle *st = f->style;
  SpriteCaches *cs = g_private_get (&sprite_cache);
  SpriteCache *c;
  /* every radius is this base times the level's size and the line scale */
  double base = f->r[0] / cd_palette_level_size (
    ((const CdNode *) g_ptr_array_index (f->model->nodes, 0))->level);

  if (cs == NULL)
    {
      cs = g_new0 (SpriteCaches, 1);
      g_private_set (&sprite_cache, cs);
    }
  for (guint k = 0; k < SPRITE_SLOTS; k++)
    {
      c = &cs->slot[k];
      if (c->used && c->dark == st->dark && c->high_contrast == st->high_contrast
          && c->line_scale == st->line_scale && c->scale == scale && c->base == base
          && c->pixels < SPRITE_CACHE_MAX_PX / SPRITE_SLOTS)
        {
          cs->last = k;
          return c;
        }
    }
  /* none fits: start over in the slot the latest frame did not use */
  cs->last = (cs->last + 1) % SPRITE_SLOTS;
  c = &cs->slot[cs->last];
  sprite_cache_clear (c);
  c->used = TRUE;
  c->dark = st->dark;
  c->high_contrast = st->high_contrast;
  c->line_scale = st->line_scale;
  c->scale = scale;
  c->base = base;
  return c;
}

/* One node's sprite: its outline over its fill coverage in `fill`, as
 * node_shape draws it.  The coverage and the outline come from cairo once
 * per level and stance; each colour is then a pass over the pixels, where
 * drawing every colour with cairo was most of a frame after a zoom step. */
static CdRasterSprite *
node_sprite (SpriteCache         *c,
             const CdRenderStyle *st,
             CdLevel              level,
             gboolean             fixed,
             int                  size,
             double               scale,
             double               r,
             CdColor              fill)
{
  cairo_surface_t **fs = &c->fill[level][fixed ? 1 : 0], **os = &c->outline[level][fixed ? 1 : 0];
  cairo_surface_t *image;
  CdRasterSprite *sprite;
  guint32 premul;

  if (*fs == NULL || cairo_image_surface_get_width (*fs) != size)
    {
      cairo_t *scr;
      CdColor clear = { 0, 0, 0, 0 };

      g_clear_pointer (fs, cairo_surface_destroy);
      g_clear_pointer (os, cairo_surface_destroy);
      *fs = cairo_image_surface_create (CAIRO_FORMAT_A8, size, size);
      scr = cairo_create (*fs);
      cairo_scale (scr, scale, scale);
      cd_render_shape_path (scr, cd_palette_level_shape (level), size / 2.0 / scale,
                            size / 2.0 / scale, r);
      cairo_fill (scr);
      cairo_destroy (scr);
      *os = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
      scr = cairo_create (*os);
      cairo_scale (scr, scale, scale);
      /* a clear fill draws nothing: the outline and rings alone */
      node_shape (scr, st, level, fixed, size / 2.0 / scale, size / 2.0 / scale, r, clear);
      cairo_destroy (scr);
      cairo_surface_flush (*fs);
      cairo_surface_flush (*os);
    }
  premul = cd_raster_premultiply (fill);
  image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  {
    const guint8 *cov = cairo_image_surface_get_data (*fs);
    const guint8 *out = cairo_image_surface_get_data (*os);
    guint8 *dst = cairo_image_surface_get_data (image);
    int cs = cairo_image_surface_get_stride (*fs), os_stride = cairo_image_surface_get_stride (*os);
    int ds = cairo_image_surface_get_stride (image);

    for (int j = 0; j < size; j++)
      for (int i = 0; i < size; i++)
        {
          guint32 m = cov[j * cs + i];
          guint32 o = ((const guint32 *) (gconstpointer) (out + j * os_stride))[i];
          guint32 ia = 255 - (o >> 24), px = o;
          /* the fill at its coverage, then the outline over it; most
           * pixels are empty or wholly inside */
          if (m == 255 && o == 0)
            px = premul;
          else if (m > 0 && ia > 0)
            for (int k = 0; k < 32; k += 8)
              {
                guint32 fk = (((premul >> k) & 0xff) * m + 127) / 255;
                px += ((fk * ia + 127) / 255) << k;
              }
          ((guint32 *) (gpointer) (dst + j * ds))[i] = px;
        }
  }
  cairo_surface_mark_dirty (image);
  sprite = cd_raster_sprite_new (image);
  cairo_surface_destroy (image);
  return sprite;
}

void
cd_render_network_drop_caches (void)
{
  SpriteCaches *cs = g_private_get (&sprite_cache);

  if (cs != NULL)
    for (guint k = 0; k < SPRITE_SLOTS; k++)
      {
        sprite_cache_clear (&cs->slot[k]);
        cs->slot[k].used = FALSE;
      }
  cd_raster_drop_cache ();
}

static void
draw_nodes (Frame *f)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  guint *order;
  double scale = f->rastering ? f->raster.scale : 1;
  SpriteCache *sprites = f->rastering ? sprite_cache_for (f, scale) : NULL;

  /* lower levels first, so the higher ones lie on top */
  order = g_new (guint, MAX (f->n, 1));
  {
    guint k = 0;
    for (int lvl = CD_N_LEVELS - 1; lvl >= 0; lvl--)
      for (guint i = 0; i < f->n; i++)
        if (((const CdNode *) g_ptr_array_index (f->model->nodes, i))->level == (CdLevel) lvl)
          order[k++] = i;
  }

  for (guint k = 0; k < f->n; k++)
    {
      guint i = order[k];
      const CdNode *node = g_ptr_array_index (f->model->nodes, i);
      double r = f->r[i], xv = f->x[i];
      double reach = r * 1.12 + 3.5 * st->line_scale + 2;
      guint b, bins;

      if (!f->visible[i])
        continue;
      if (!f->rastering || 2 * reach * scale + 2 > SPRITE_MAX_PX)
        {
          /* big nodes (and vector output): drawn as paths, above the
           * layer, which is painted as soon as the first one comes */
          if (f->rastering)
            {
              cd_raster_end (&f->raster);
              f->rastering = FALSE;
            }
          node_shape (cr, st, node->level, node->fixed, f->px[i], f->py[i], r,
                      cd_palette_coordination (xv, st));
          continue;
        }
      /* Rastered: one small image per level, stance and colour, composited
       * at each node — thousands of shapes cost a few hundred pixels each
       * instead of a fill and a stroke each (issue 6.3).  The colour is
       * binned to 1/32 of the ramp, finer than the eye tells apart on a
       * small node; a large one, with more colour to compare, to 1/256. */
      bins = 2 * reach * scale + 2 > 64 ? COLOR_BINS_FINE : COLOR_BINS;
      b = (guint) CLAMP (floor ((isfinite (xv) ? xv : 0) * bins), 0, bins - 1);
      {
        CdRasterSprite **sp = &sprites->sprite[node->level][node->fixed ? 1 : 0][b];
        if (*sp == NULL)
          {
            int size = (int) ceil (2 * reach * scale) + 2;
            *sp = node_sprite (sprites, st, node->level, node->fixed, size, scale, r,
                               cd_palette_coordination ((b + 0.5) / bins, st));
            sprites->pixels += (gsize) size * size;
          }
        cd_raster_sprite (&f->raster, *sp, f->px[i], f->py[i]);
      }
    }
  g_free (order);
}

/* The force glyph: a diverging bar under the node.  Driving forces
 * (gravity, pressure, thrust) stack to the right of the zero tick,
 * resistance extends to the left; a triangle marks the net force. */
static double
glyph_scale (const Frame *f)
{
  const CdTrajectory *tr = f->traj;
  double m = 0;
  gsize off = (gsize) f->sample * f->n;

  for (guint i = 0; i < f->n; i++)
    {
      double d = tr->gravity[off + i] + tr->pressure[off + i] + tr->thrust[off + i];
      if (isfinite (d))
        m = MAX (m, d);
      if (isfinite (tr->resistance[off + i]))
        m = MAX (m, tr->resistance[off + i]);
    }
  return m > 0 ? 1.0 / m : 0;
}

/* Glyph size: with the lines, and with the type where that is larger, so
 * that on a projector the bars do not shrink next to 1.6x names. */
static double
glyph_size (const CdRenderStyle *st)
{
  return MAX (st->line_scale, st->font_scale) * sqrt (MAX (st->font_scale, 1.0));
}

/* Fills into the pixel layer while there is one (seven cairo fills per
 * glyph were most of a frame once thousands of glyphs show), else with
 * cairo: the same shapes either way. */
static void
fill_rect (Frame   *f,
           CdColor  color,
           double   x,
           double   y,
           double   width,
           double   height)
{
  if (f->rastering)
    {
      cd_raster_set_color (&f->raster, color, 1);
      cd_raster_rect (&f->raster, x, y, width, height);
      return;
    }
  cd_color_set_source (f->cr, color);
  cairo_rectangle (f->cr, x, y, width, height);
  cairo_fill (f->cr);
}

static void
fill_triangle (Frame   *f,
               CdColor  color,
               double   x0,
               double   y0,
               double   x1,
               double   y1,
               double   x2,
               double   y2)
{
  if (f->rastering)
    {
      cd_raster_set_color (&f->raster, color, 1);
      cd_raster_triangle (&f->raster, x0, y0, x1, y1, x2, y2);
      return;
    }
  cd_color_set_source (f->cr, color);
  cairo_move_to (f->cr, x0, y0);
  cairo_line_to (f->cr, x1, y1);
  cairo_line_to (f->cr, x2, y2);
  cairo_close_path (f->cr);
  cairo_fill (f->cr);
}

gboolean
cd_network_glyph_reach (double               radius,
                        const CdRenderStyle *style,
                        double              *half,
                        double              *below)
{
  double gs;

  style = cd_render_style_or_default (style);
  if (!(radius >= LOD_GLYPH * style->line_scale))
    return FALSE;
  gs = glyph_size (style);
  /* as draw_glyph lays it out: bars up to `half` either side, the net
   * marker's triangle 3.5 gs wider, a pixel of backdrop; below, the gap,
   * the bar and the marker */
  if (half)
    *half = MAX (radius * 2.0, 22 * gs) + 3.5 * gs + 1;
  if (below)
    *below = radius + 4 * style->line_scale + 12 * gs;
  return TRUE;
}

static double
draw_glyph (Frame  *f,
            guint   i,
            double  inv_max)
{
  const CdRenderStyle *st = f->style;
  const CdTrajectory *tr = f->traj;
  gsize off = (gsize) f->sample * f->n + i;
  double v[4] = { tr->gravity[off], tr->pressure[off], tr->thrust[off], tr->resistance[off] };
  double gs = glyph_size (st);
  double half = MAX (f->r[i] * 2.0, 22 * gs);
  double h = 6 * gs;
  double x0 = f->px[i], y0 = f->py[i] + f->r[i] + 4 * st->line_scale;
  double at = x0, net, back_x0, back_x1;

  for (int k = 0; k < 4; k++)
    if (!isfinite (v[k]) || v[k] < 0)
      v[k] = 0;
  net = v[0] + v[1] + v[2] - v[3];
  /* The backdrop keeps the bars legible over lines; it spans the bars and
   * the zero tick only, not the glyph's whole slot, which in a crowded
   * network laid a pale band over the neighbouring governments. */
  back_x0 = x0 - MAX (v[3] * inv_max * half, 2 * gs);
  back_x1 = x0 + MAX ((v[0] + v[1] + v[2]) * inv_max * half, 2 * gs);
  fill_rect (f, cd_color_with_alpha (cd_palette_background (st), 0.85),
             back_x0 - 1, y0 - 1, back_x1 - back_x0 + 2, h + 2);
  for (int k = 0; k < 3; k++)
    {
      double w = v[k] * inv_max * half;
      fill_rect (f, cd_palette_force ((CdForce) k, st), at, y0, w, h);
      at += w;
    }
  {
    double w = v[3] * inv_max * half;
    fill_rect (f, cd_palette_force (CD_FORCE_RESISTANCE, st), x0 - w, y0, w, h);
  }
  /* zero tick and net marker */
  fill_rect (f, cd_palette_foreground (st), x0 - gs / 2, y0 - 1.5 * gs, gs, h + 3 * gs);
  {
    double nx = x0 + CLAMP (net * inv_max, -1, 1) * half, ny = y0 + h + 1;
    double s = 3.5 * gs;
    fill_triangle (f, cd_palette_force (CD_FORCE_NET, st),
                   nx, ny, nx - s, ny + s * 1.4, nx + s, ny + s * 1.4);
  }
  occ_mark (f, x0 - half, y0, x0 + half, y0 + h + 6 * gs);
  return h + 6 * gs;
}

/* The places a name may go, in the order they are tried: below the node
 * (and its glyph), right, left, above, then the four diagonals, the
 * right-hand ones first as text runs that way; then below and above slid
 * to start or end near the node's centre; then the first eight a few
 * pixels further out, past a neighbour's rim.  Each is a direction, a
 * ring (the gap from the node's edge) and, below and above, a slide. */
typedef struct { signed char ux, uy, ring, slide; } LabelPlace;

static const LabelPlace label_places[] = {
  { 0, 1, 0, 0 }, { 1, 0, 0, 0 }, { -1, 0, 0, 0 }, { 0, -1, 0, 0 },
  { 1, -1, 0, 0 }, { 1, 1, 0, 0 }, { -1, -1, 0, 0 }, { -1, 1, 0, 0 },
  { 0, 1, 0, 1 }, { 0, 1, 0, -1 }, { 0, -1, 0, 1 }, { 0, -1, 0, -1 },
  { 0, 1, 1, 0 }, { 1, 0, 1, 0 }, { -1, 0, 1, 0 }, { 0, -1, 1, 0 },
  { 1, -1, 1, 0 }, { 1, 1, 1, 0 }, { -1, -1, 1, 0 }, { -1, 1, 1, 0 },
};

/* The top left corner of a w × h box at place p around a node at (px, py)
 * of radius r: g is the place's gap from the rim, below the room a glyph
 * takes under the node. */
static void
label_origin (const LabelPlace *p,
              double            px,
              double            py,
              double            r,
              double            g,
              double            below,
              double            w,
              double            h,
              double           *x,
              double           *y)
{
  if (p->ux == 0)
    *x = p->slide == 0 ? px - w / 2 : p->slide > 0 ? px - r / 2 : px + r / 2 - w;
  else if (p->uy == 0)
    *x = p->ux > 0 ? px + r + g + 2 : px - r - g - 2 - w;
  else
    *x = p->ux > 0 ? px + 0.71 * r + g : px - 0.71 * r - g - w;
  if (p->uy == 0)
    *y = py - h / 2;
  else if (p->ux == 0)
    *y = p->uy > 0 ? py + r + g + below : py - r - g - h;
  else
    *y = p->uy > 0 ? py + 0.71 * r + g : py - 0.71 * r - g - h;
}

/* force: a name the user asked for (a selected, hovered or focused node) is
 * drawn even where it finds no free place, below its node on a backdrop.
 * bits: the occupancy map to place it by (f->occ, or f->solid).  Returns
 * whether the name was drawn. */
static gboolean
draw_label (Frame        *f,
            PangoLayout  *layout,
            const char   *font_key,
            guint         i,
            double        below,
            gboolean      force,
            const guint8 *bits)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  const CdNode *node = g_ptr_array_index (f->model->nodes, i);
  const char *name = cd_node_display_name (node);
  double w, h, lx = 0, ly = 0;
  double px = f->px[i], py = f->py[i], r = f->r[i], s = 8 * st->font_scale;
  enum { N_PLACES = G_N_ELEMENTS (label_places) };
  double gaps[2] = { 2, 2 + 6 * st->font_scale };
  gboolean open[N_PLACES], any = FALSE, crowded = FALSE;
  guint c;

  /* A sliver of each place, 2 px wide and shorter than any line of text,
   * on the side of the place that touches the node, so that it lies
   * inside the name's box whatever the name's size: where no sliver is
   * free, no name fits, and its size need not be looked up (thousands of
   * lookups a frame at the zoom where every county is a candidate). */
  for (c = 0; c < N_PLACES; c++)
    {
      double x0, y0;

      label_origin (&label_places[c], px, py, r, gaps[label_places[c].ring], below, 2, s, &x0,
                    &y0);
      open[c] = force || label_free (f, bits, x0, y0, x0 + 2, y0 + s);
      any = any || open[c];
    }
  if (!any && bits != f->solid)
    return FALSE;
  /* the size from the cache: most candidates find no room and need no shaping */
  cd_render_text_size_cached (font_key, layout, name, &w, &h);
  for (c = 0; c < N_PLACES; c++)
    {
      if (!open[c])
        continue;
      label_origin (&label_places[c], px, py, r, gaps[label_places[c].ring], below, w, h, &lx,
                    &ly);
      if (label_free (f, bits, lx, ly, lx + w, ly + h))
        break;
    }
  /* A landmark's last resort (placed by the solid map): beside its node, a
   * little up or down, clear of a neighbour's glyph level with it. */
  for (int k = 0; c == N_PLACES && bits == f->solid && k < 16; k++)
    {
      static const double shift[4] = { -0.5, 0.5, -1.0, 1.0 };
      const LabelPlace *p = &label_places[k % 2 == 0 ? 1 : 2];   /* right, left */
      double dy = shift[(k / 2) % 4] * h;
      int ring = k / 8;

      label_origin (p, px, py, r, gaps[ring], below, w, h, &lx, &ly);
      ly += dy;
      if (label_free (f, bits, lx, ly, lx + w, ly + h))
        c = N_PLACES + 1;
    }
  if (c == N_PLACES)
    {
      if (!force)
        return FALSE;
      /* no free place: below the node, on a backdrop */
      crowded = TRUE;
      lx = px - w / 2;
      ly = py + r + 2 + below;
    }
  occ_mark (f, lx, ly, lx + w, ly + h);
  {
    CdRenderBox box = { lx, ly, w, h, CD_BOX_TEXT, i + 1 };
    if (f->boxes)
      g_array_append_val (f->boxes, box);
    g_array_append_val (f->names, box);
  }
  pango_layout_set_text (layout, name, -1);
  if (f->label_boxes || crowded)
    {
      /* a busy frame: a backdrop, one small fill; stroking the outline of
       * every letter cost 1.5 M instructions a name, half of a zoomed-in
       * national frame */
      cairo_rectangle (cr, lx - 1.5, ly, w + 3, h);
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (st),
                                                     crowded ? 0.9 : 0.75));
      cairo_fill (cr);
    }
  else if (f->pixels)
    {
      /* A halo in the background colour keeps text legible over edges.  In
       * pixels, the name drawn eight times around its place: stroking the
       * outline of every letter cost 1.5 M instructions a name, half of a
       * zoomed-in frame, and the glyphs are cached. */
      double o = 1.5 * st->font_scale, d = o * 0.7071;
      const double off[8][2] = { { o, 0 }, { -o, 0 }, { 0, o }, { 0, -o },
                                 { d, d }, { d, -d }, { -d, d }, { -d, -d } };
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (st), 0.75));
      for (guint k = 0; k < G_N_ELEMENTS (off); k++)
        {
          cairo_move_to (cr, lx + off[k][0], ly + off[k][1]);
          pango_cairo_show_layout (cr, layout);
        }
      cairo_new_path (cr);
    }
  else
    {
      /* vector output: the outline itself, stroked */
      cairo_move_to (cr, lx, ly);
      pango_cairo_layout_path (cr, layout);
      cairo_set_line_width (cr, 3.0 * st->font_scale);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (st), 0.9));
      cairo_stroke (cr);
    }
  cd_render_layout_draw (cr, layout, lx, ly, CD_ANCHOR_START, CD_ANCHOR_START,
                         cd_palette_foreground (st));
  return TRUE;
}

static gboolean node_is_marked (const Frame *f, guint i);

/* The layout for names of one level, made on first use. */
static PangoLayout *
level_layout (Frame        *f,
              PangoLayout **layouts,
              char        **font_keys,
              int           lvl)
{
  if (layouts[lvl] == NULL)
    {
      layouts[lvl] = cd_render_layout (f->cr, f->style, lvl == 0 ? 14 : lvl == 1 ? 13 : 12,
                                       lvl <= 1);
      font_keys[lvl] = cd_render_layout_key (layouts[lvl]);
    }
  return layouts[lvl];
}

/* Force glyphs, where they fit; their heights go to f->below so that
 * names go under them. */
static void
draw_glyphs (Frame *f)
{
  const CdRenderStyle *st = f->style;
  gboolean glyphs = f->ov->show_glyphs && f->traj && f->traj->gravity;
  double inv_max = glyphs ? glyph_scale (f) : 0;
  double *below = f->below = g_new0 (double, MAX (f->n, 1));

  /* Nodes claim their own space before any label does. */
  for (guint i = 0; i < f->n; i++)
    if (f->visible[i])
      occ_mark (f, f->px[i] - f->r[i], f->py[i] - f->r[i], f->px[i] + f->r[i], f->py[i] + f->r[i]);
  if (glyphs)
    {
      /* A glyph goes where no other glyph is, the higher levels first: bars
       * drawn over bars could not be read (a zoomed-in national frame had
       * thousands in heaps), and skipping them halves such a frame. */
      guint8 *taken = g_new0 (guint8, (gsize) f->occ_w * f->occ_h);
      double gs = glyph_size (st);

      for (int lvl = 0; lvl < CD_N_LEVELS; lvl++)
        for (guint i = 0; i < f->n; i++)
          {
            const CdNode *node = g_ptr_array_index (f->model->nodes, i);
            double half, x0, x1, y0, y1;

            if ((int) node->level != lvl || !f->visible[i]
                || f->r[i] < LOD_GLYPH * st->line_scale)
              continue;
            /* the box draw_glyph fills, less a pixel so that neighbours may touch */
            half = MAX (f->r[i] * 2.0, 22 * gs);
            x0 = f->px[i] - half;
            x1 = f->px[i] + half;
            y0 = f->py[i] + f->r[i] + 4 * st->line_scale - 1.5 * gs;
            y1 = y0 + 6 * gs + 6.4 * gs;
            if (!bits_free (f, taken, x0 + 1, y0 + 1, x1 - 1, y1 - 1))
              continue;
            bits_mark (f, taken, x0, y0, x1, y1);
            below[i] = draw_glyph (f, i, inv_max);
          }
      g_free (taken);
    }
  /* the pixel layer ends here: names go on top, as text */
  if (f->rastering)
    {
      cd_raster_end (&f->raster);
      f->rastering = FALSE;
    }
}

/* The occupancy map a central government's name is placed by where the
 * usual one has no room: what the usual one holds less the nodes too
 * small to carry a name of their own.  On a national map the centre is
 * thick with county specks, and its name, the one a viewer looks for
 * first, found no place at any zoom that shows the whole country. */
static const guint8 *
solid_map (Frame *f)
{
  const CdRenderStyle *st = f->style;
  double gs = glyph_size (st);

  if (f->solid != NULL)
    return f->solid;
  f->solid = g_new0 (guint8, (gsize) f->occ_w * f->occ_h);
  for (guint i = 0; i < f->n; i++)
    {
      if (!f->visible[i])
        continue;
      if (f->r[i] >= LOD_LABEL * st->line_scale)
        bits_mark (f, f->solid, f->px[i] - f->r[i], f->py[i] - f->r[i], f->px[i] + f->r[i],
                   f->py[i] + f->r[i]);
      if (f->below[i] > 0)
        {
          /* the box draw_glyph marks */
          double half = MAX (f->r[i] * 2.0, 22 * gs), y0 = f->py[i] + f->r[i] + 4 * st->line_scale;
          bits_mark (f, f->solid, f->px[i] - half, y0, f->px[i] + half, y0 + f->below[i]);
        }
    }
  if (f->corner_text != NULL)
    bits_mark (f, f->solid, 0, 0, 15 * st->font_scale + f->corner_text_w, f->corner_text_h);
  if (f->legend_shown)
    {
      double pad = 8 * st->font_scale;
      bits_mark (f, f->solid, f->legend_x, f->legend_y, f->legend_x + f->legend_w + 2 * pad,
                 f->legend_y + f->legend_h + 2 * pad);
    }
  if (inset_right (f) > 0)
    bits_mark (f, f->solid, f->width - inset_right (f), 0, f->width, f->height);
  for (guint k = 0; k < f->names->len; k++)
    {
      const CdRenderBox *b = &g_array_index (f->names, CdRenderBox, k);
      bits_mark (f, f->solid, b->x, b->y, b->x + b->width, b->y + b->height);
    }
  return f->solid;
}

/* A landmark's name that found no place on one line, on two ("Central /
 * Government"): a long name beside a node at the edge of a narrow figure
 * fits no other way.  Placed by the map a landmark falls back to. */
static gboolean
draw_label_wrapped (Frame       *f,
                    PangoLayout *layout,
                    const char  *font_key,
                    guint        i,
                    double       below)
{
  const char *name = cd_node_display_name (g_ptr_array_index (f->model->nodes, i));
  PangoLayout *two = pango_layout_copy (layout);
  g_autofree char *key = NULL;
  double w;
  int width;
  gboolean drawn;

  cd_render_layout_set (two, name, &w, NULL);
  /* left-aligned, so that the box starts where the text does; words are
   * not cut (a single long word just keeps its line) */
  width = (int) ceil (w * 0.6);
  pango_layout_set_width (two, width * PANGO_SCALE);
  pango_layout_set_wrap (two, PANGO_WRAP_WORD);
  key = g_strdup_printf ("%s|wrap %d|", font_key, width);
  drawn = pango_layout_get_line_count (two) > 1
          && draw_label (f, two, key, i, below, FALSE, solid_map (f));
  g_object_unref (two);
  return drawn;
}

/* Names, where they find room that nothing placed before them (nodes,
 * glyphs, the time, the legend) has claimed. */
static void
draw_labels (Frame *f)
{
  const CdRenderStyle *st = f->style;
  PangoLayout *layouts[CD_N_LEVELS] = { NULL };
  char *font_keys[CD_N_LEVELS] = { NULL };
  const double *below = f->below;
  guint placed = 0;

  f->names = g_array_new (FALSE, FALSE, sizeof (CdRenderBox));
  if (f->ov->show_labels)
    {
      guint eligible = 0;
      for (guint i = 0; i < f->n; i++)
        eligible += f->visible[i] && f->r[i] >= LOD_LABEL * st->line_scale;
      f->label_boxes = eligible > 24;
      /* The names the user is pointing at come first and always show, at
       * any zoom: the selection, the hovered and the focused node. */
      for (guint i = 0; i < f->n; i++)
        if (f->visible[i] && node_is_marked (f, i))
          {
            int lvl = ((const CdNode *) g_ptr_array_index (f->model->nodes, i))->level;
            PangoLayout *layout = level_layout (f, layouts, font_keys, lvl);

            draw_label (f, layout, font_keys[lvl], i, below[i], TRUE, f->occ);
          }
      /* Then the highest level first, so the provinces win a crowded spot. */
      for (int lvl = 0; lvl < CD_N_LEVELS && placed < MAX_LABELS; lvl++)
        for (guint i = 0; i < f->n && placed < MAX_LABELS; i++)
          {
            const CdNode *node = g_ptr_array_index (f->model->nodes, i);
            PangoLayout *layout;

            /* The central and provincial governments are named at any
             * zoom: on a national map they are how a reader finds their
             * way, and a name may cover county specks too small to carry
             * names of their own (never a named node, a glyph or a name). */
            gboolean landmark = lvl <= CD_LEVEL_PROVINCIAL;

            if ((int) node->level != lvl || !f->visible[i] || node_is_marked (f, i)
                || (f->r[i] < LOD_LABEL * st->line_scale && !landmark))
              continue;
            layout = level_layout (f, layouts, font_keys, lvl);
            if (!draw_label (f, layout, font_keys[lvl], i, below[i], FALSE, f->occ) && landmark
                && !draw_label (f, layout, font_keys[lvl], i, below[i], FALSE, solid_map (f)))
              draw_label_wrapped (f, layout, font_keys[lvl], i, below[i]);
            placed++;
          }
    }
  for (int l = 0; l < CD_N_LEVELS; l++)
    {
      g_clear_object (&layouts[l]);
      g_free (font_keys[l]);
    }
}

static void
ring (cairo_t *cr,
      double   x,
      double   y,
      double   r,
      CdColor  c,
      double   width)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, r, 0, 2 * G_PI);
  cairo_set_line_width (cr, width);
  cd_color_set_source (cr, c);
  cairo_stroke (cr);
}

static void
draw_overlay (Frame *f)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  const CdNetworkOverlay *ov = f->ov;
  CdColor sel = cd_palette_selection (st);
  double ls = st->line_scale;

  cairo_save (cr);
  for (guint e = 0; e < f->model->edges->len; e++)
    {
      gboolean selected = ov->selected_edges && ov->selected_edges[e];
      guint a, b;
      if (!(selected || (int) e == ov->hovered_edge) || !edge_ends_at (f, e, &a, &b))
        continue;
      cairo_move_to (cr, f->px[a], f->py[a]);
      cairo_line_to (cr, f->px[b], f->py[b]);
      cairo_set_line_width (cr, (selected ? 4.0 : 3.0) * ls);
      cd_color_set_source (cr, cd_color_with_alpha (sel, selected ? 0.9 : 0.5));
      cairo_stroke (cr);
    }
  for (guint i = 0; i < f->n; i++)
    if (ov->selected_nodes && ov->selected_nodes[i])
      ring (cr, f->px[i], f->py[i], f->r[i] + 3.5 * ls, sel, 2.5 * ls);
  if (ov->hovered_node >= 0 && (guint) ov->hovered_node < f->n)
    ring (cr, f->px[ov->hovered_node], f->py[ov->hovered_node], f->r[ov->hovered_node] + 3 * ls,
          cd_color_with_alpha (sel, 0.55), 2 * ls);
  if (ov->focus_node >= 0 && (guint) ov->focus_node < f->n)
    {
      double dash[] = { 4 * ls, 3 * ls };
      cairo_save (cr);
      cairo_set_dash (cr, dash, 2, 0);
      ring (cr, f->px[ov->focus_node], f->py[ov->focus_node], f->r[ov->focus_node] + 7 * ls,
            cd_palette_foreground (st), 1.5 * ls);
      cairo_restore (cr);
    }
  if (ov->pending_source >= 0 && (guint) ov->pending_source < f->n)
    {
      double dash[] = { 6 * ls, 4 * ls };
      guint s = ov->pending_source;
      cairo_save (cr);
      cairo_set_dash (cr, dash, 2, 0);
      cd_color_set_source (cr, sel);
      if (ov->pending_kind == CD_EDGE_COMMAND)
        cd_render_arrow (cr, f->px[s], f->py[s], ov->pending_x, ov->pending_y, 10 * ls, 2 * ls);
      else
        {
          cairo_set_line_width (cr, 2 * ls);
          cairo_move_to (cr, f->px[s], f->py[s]);
          cairo_line_to (cr, ov->pending_x, ov->pending_y);
          cairo_stroke (cr);
        }
      cairo_restore (cr);
    }
  if (ov->rubber_band)
    {
      double x0 = MIN (ov->band_x0, ov->band_x1), y0 = MIN (ov->band_y0, ov->band_y1);
      double w = fabs (ov->band_x1 - ov->band_x0), h = fabs (ov->band_y1 - ov->band_y0);
      cairo_rectangle (cr, x0 + 0.5, y0 + 0.5, w, h);
      cd_color_set_source (cr, cd_color_with_alpha (sel, 0.15));
      cairo_fill_preserve (cr);
      cd_color_set_source (cr, sel);
      cairo_set_line_width (cr, 1 * ls);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* The full legend's three sections, each drawn from (x, y) in a column
 * of the given width; each returns its height. */
static double
legend_forces (cairo_t             *cr,
               PangoLayout         *layout,
               double               x,
               double               y,
               double               row,
               const CdRenderStyle *style)
{
  double fs = style->font_scale, ls = style->line_scale, sw = 16 * MAX (fs, ls), at = y;
  CdColor fg = cd_palette_foreground (style);

  for (int k = 0; k < CD_N_FORCES; k++)
    {
      cd_color_set_source (cr, cd_palette_force ((CdForce) k, style));
      if (k == CD_FORCE_NET)
        {
          double cx = x + sw / 2, cy = at + row / 2 - 3 * ls;
          cairo_move_to (cr, cx, cy);
          cairo_line_to (cr, cx - 4 * ls, cy + 6 * ls);
          cairo_line_to (cr, cx + 4 * ls, cy + 6 * ls);
          cairo_close_path (cr);
          cairo_fill (cr);
        }
      else
        {
          cairo_rectangle (cr, x, at + row / 2 - 4 * ls, sw, 8 * ls);
          cairo_fill (cr);
        }
      cd_render_layout_set (layout, cd_force_label ((CdForce) k), NULL, NULL);
      cd_render_layout_draw (cr, layout, x + sw + 6 * fs, at + row / 2, CD_ANCHOR_START,
                             CD_ANCHOR_CENTER, fg);
      at += row;
    }
  cd_render_layout_set (layout, _("glyph: resistance ← | → driving"), NULL, NULL);
  cd_render_layout_draw (cr, layout, x, at + row / 2, CD_ANCHOR_START, CD_ANCHOR_CENTER,
                         cd_palette_muted (style));
  at += row + 4 * fs;
  return at - y;
}

/* level shapes, two columns */
static double
legend_levels (cairo_t             *cr,
               PangoLayout         *layout,
               double               x,
               double               y,
               double               width,
               double               row,
               const CdRenderStyle *style)
{
  double fs = style->font_scale, ls = style->line_scale, sw = 16 * MAX (fs, ls), at = y;
  double col = MAX (width / 2, 100 * fs);
  CdColor fg = cd_palette_foreground (style);

  for (int l = 0; l < CD_N_LEVELS; l++)
    {
      double cx = x + (l % 2) * col + sw / 2, cy = at + row / 2;
      double r = 5.5 * ls * cd_palette_level_size ((CdLevel) l) / 1.2;
      cd_render_shape_path (cr, cd_palette_level_shape ((CdLevel) l), cx, cy, r);
      cd_color_set_source (cr, cd_palette_coordination (0.5, style));
      cairo_fill_preserve (cr);
      cairo_set_line_width (cr, 1 * ls);
      cd_color_set_source (cr, fg);
      cairo_stroke (cr);
      cd_render_layout_set (layout, cd_level_label ((CdLevel) l), NULL, NULL);
      cd_render_layout_draw (cr, layout, cx + sw / 2 + 6 * fs, cy, CD_ANCHOR_START,
                             CD_ANCHOR_CENTER, fg);
      if (l % 2 == 1 || l == CD_N_LEVELS - 1)
        at += row;
    }
  at += 4 * fs;
  return at - y;
}

/* the coordination ramp and what lines and arrows mean */
static double
legend_ramp (cairo_t             *cr,
             PangoLayout         *layout,
             double               x,
             double               y,
             double               width,
             double               row,
             const CdRenderStyle *style)
{
  double fs = style->font_scale, bw = MIN (width, 220 * fs), bh = 10 * style->line_scale;
  double at = y;
  CdColor fg = cd_palette_foreground (style);

  cd_render_layout_set (layout, _("coordination x"), NULL, NULL);
  cd_render_layout_draw (cr, layout, x, at, CD_ANCHOR_START, CD_ANCHOR_START, fg);
  at += row;
  for (int k = 0; k < 64; k++)
    {
      cd_color_set_source (cr, cd_palette_coordination ((k + 0.5) / 64, style));
      cairo_rectangle (cr, x + bw * k / 64, at, bw / 64 + 0.6, bh);
      cairo_fill (cr);
    }
  cairo_rectangle (cr, x + 0.5, at + 0.5, bw - 1, bh - 1);
  cairo_set_line_width (cr, 1);
  cd_color_set_source (cr, cd_color_with_alpha (fg, 0.5));
  cairo_stroke (cr);
  at += bh + 2;
  cd_render_layout_set (layout, "0", NULL, NULL);
  cd_render_layout_draw (cr, layout, x, at, CD_ANCHOR_START, CD_ANCHOR_START, fg);
  cd_render_layout_set (layout, "0.5", NULL, NULL);
  cd_render_layout_draw (cr, layout, x + bw / 2, at, CD_ANCHOR_CENTER, CD_ANCHOR_START, fg);
  cd_render_layout_set (layout, "1", NULL, NULL);
  cd_render_layout_draw (cr, layout, x + bw, at, CD_ANCHOR_END, CD_ANCHOR_START, fg);
  at += row;
  cd_render_layout_set (layout, _("line width: trust · arrow: command"), NULL, NULL);
  cd_render_layout_draw (cr, layout, x, at, CD_ANCHOR_START, CD_ANCHOR_START,
                         cd_palette_muted (style));
  at += row;
  return at - y;
}

double
cd_render_network_legend (cairo_t             *cr,
                          double               x,
                          double               y,
                          double               width,
                          gboolean             with_forces,
                          const CdRenderStyle *style)
{
  PangoLayout *layout;
  double fs, row, col, gap, h;

  g_return_val_if_fail (cr != NULL, 0);
  style = cd_render_style_or_default (style);
  fs = style->font_scale;
  layout = cd_render_layout (cr, style, 12, FALSE);
  cd_render_layout_set (layout, "Ag", NULL, &row);
  row += 3 * fs;
  col = 230 * fs;
  gap = 24 * fs;
  cairo_save (cr);
  if (width >= (with_forces ? 3 : 2) * col + 2 * gap)
    {
      /* wide (below a presentation's network): the sections side by
       * side, so that the legend takes a third of the height */
      double at = x, hf = 0, hl, hr;

      if (with_forces)
        {
          hf = legend_forces (cr, layout, at, y, row, style);
          at += col + gap;
        }
      hl = legend_levels (cr, layout, at, y, col, row, style);
      hr = legend_ramp (cr, layout, at + col + gap, y, col, row, style);
      h = MAX (hf, MAX (hl, hr));
    }
  else
    {
      h = with_forces ? legend_forces (cr, layout, x, y, row, style) : 0;
      h += legend_levels (cr, layout, x, y + h, width, row, style);
      h += legend_ramp (cr, layout, x, y + h, width, row, style);
    }
  cairo_restore (cr);
  g_object_unref (layout);
  return h;
}

/* The compact legend: one strip that flows into as few rows as its width
 * allows — force colours (when glyphs show), the coordination ramp, level
 * shapes — in small type, so that it covers a few governments at most.
 * Draws only when `draw`; returns the height and the width used. */
static double
compact_legend (Frame    *f,
                double    x,
                double    y,
                double    max_w,
                gboolean  forces,
                gboolean  draw,
                double   *used_w)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  double fs = st->font_scale, ls = st->line_scale;
  double gap = 10 * fs, icon = 9 * MAX (fs, ls), ramp = 44 * fs;
  double row, at_x = x, at_y = y, widest = 0;
  CdColor fg = cd_palette_foreground (st);
  PangoLayout *layout = cd_render_layout (cr, st, 11, FALSE);
  /* sizes from the text-size cache: the legend is measured at three
   * widths every frame, and shaping its dozen labels each time cost more
   * than drawing it */
  g_autofree char *key = cd_render_layout_key (layout);
  /* items: forces 0..4, ramp 5, levels 6.. */
  int first = forces ? 0 : CD_N_FORCES;

  cd_render_text_size_cached (key, layout, "Ag", NULL, &row);
  row += 3 * fs;
  for (int item = first; item < CD_N_FORCES + 1 + CD_N_LEVELS; item++)
    {
      const char *label;
      double tw, iw, w;

      if (item < CD_N_FORCES)
        label = cd_force_label ((CdForce) item);
      else if (item == CD_N_FORCES)
        label = _("coordination x");
      else
        label = cd_level_label ((CdLevel) (item - CD_N_FORCES - 1));
      cd_render_text_size_cached (key, layout, label, &tw, NULL);
      if (draw)
        pango_layout_set_text (layout, label, -1);
      iw = item == CD_N_FORCES ? ramp : icon;
      w = iw + 4 * fs + tw;
      /* the ramp starts a row of its own, so forces and levels read as
       * groups */
      if (at_x > x && (at_x + w > x + max_w || item == CD_N_FORCES))
        {
          at_x = x;
          at_y += row;
        }
      if (draw)
        {
          double cy = at_y + row / 2;
          if (item < CD_N_FORCES)
            {
              cd_color_set_source (cr, cd_palette_force ((CdForce) item, st));
              if (item == CD_FORCE_NET)
                {
                  cairo_move_to (cr, at_x + icon / 2, cy - icon * 0.45);
                  cairo_line_to (cr, at_x, cy + icon * 0.45);
                  cairo_line_to (cr, at_x + icon, cy + icon * 0.45);
                  cairo_close_path (cr);
                }
              else
                cairo_rectangle (cr, at_x, cy - icon * 0.35, icon, icon * 0.7);
              cairo_fill (cr);
            }
          else if (item == CD_N_FORCES)
            {
              for (int k = 0; k < 32; k++)
                {
                  cd_color_set_source (cr, cd_palette_coordination ((k + 0.5) / 32, st));
                  cairo_rectangle (cr, at_x + ramp * k / 32, cy - icon * 0.35, ramp / 32 + 0.6,
                                   icon * 0.7);
                  cairo_fill (cr);
                }
              cairo_rectangle (cr, at_x, cy - icon * 0.35, ramp, icon * 0.7);
              cairo_set_line_width (cr, 0.8);
              cd_color_set_source (cr, cd_color_with_alpha (fg, 0.5));
              cairo_stroke (cr);
            }
          else
            {
              CdLevel l = (CdLevel) (item - CD_N_FORCES - 1);
              double r = icon * 0.55 * cd_palette_level_size (l) / 1.2;
              cd_render_shape_path (cr, cd_palette_level_shape (l), at_x + icon / 2, cy, r);
              cd_color_set_source (cr, cd_palette_coordination (0.5, st));
              cairo_fill_preserve (cr);
              cairo_set_line_width (cr, 0.8 * ls);
              cd_color_set_source (cr, fg);
              cairo_stroke (cr);
            }
          cd_render_layout_draw (cr, layout, at_x + iw + 4 * fs, cy, CD_ANCHOR_START,
                                 CD_ANCHOR_CENTER, fg);
        }
      widest = MAX (widest, at_x + w - x);
      at_x += w + gap;
    }
  g_object_unref (layout);
  if (used_w)
    *used_w = widest;
  return at_y + row - y;
}

double
cd_render_network_legend_strip (cairo_t             *cr,
                                double               x,
                                double               y,
                                double               max_w,
                                gboolean             forces,
                                gboolean             draw,
                                const CdRenderStyle *style,
                                double              *used_w)
{
  /* compact_legend needs only the frame's context and style */
  Frame f = { 0 };

  g_return_val_if_fail (cr != NULL, 0);
  f.cr = cr;
  f.style = cd_render_style_or_default (style);
  return compact_legend (&f, x, y, max_w, forces, draw, used_w);
}

/* How much of node i (with its glyph and label room below) the rectangle
 * hides, from 0 to 1. */
static double
node_overlap (const Frame *f,
              guint        i,
              double       x,
              double       y,
              double       w,
              double       h)
{
  double r = MAX (f->r[i], 2);
  double x0 = f->px[i] - r * 1.5, x1 = f->px[i] + r * 1.5;
  double y0 = f->py[i] - r, y1 = f->py[i] + r * 2 + 12 * f->style->font_scale;
  double ox = MIN (x1, x + w) - MAX (x0, x), oy = MIN (y1, y + h) - MAX (y0, y);

  if (ox <= 0 || oy <= 0)
    return 0;
  return ox * oy / ((x1 - x0) * (y1 - y0));
}

static gboolean
node_is_marked (const Frame *f,
                guint        i)
{
  const CdNetworkOverlay *ov = f->ov;
  return (ov->selected_nodes && ov->selected_nodes[i]) || (int) i == ov->hovered_node
         || (int) i == ov->focus_node || (int) i == ov->pending_source;
}

/* What a legend box at (x, y) would hide: governments weighted by size
 * and by how much of each it covers; 1e9 for one that is selected,
 * hovered or focused, which the legend must never hide. */
static double
legend_cost (const Frame *f,
             double       x,
             double       y,
             double       w,
             double       h)
{
  double cost = 0;
  int a = MAX (0, (int) floor (x / OCC_CELL));
  int b = MIN (f->occ_w - 1, (int) floor ((x + w) / OCC_CELL));
  int c = MAX (0, (int) floor (y / OCC_CELL));
  int d = MIN (f->occ_h - 1, (int) floor ((y + h) / OCC_CELL));

  for (guint i = 0; i < f->n; i++)
    {
      double o;
      if (!f->visible[i])
        continue;
      o = node_overlap (f, i, x, y, w, h);
      if (o > 0)
        cost += node_is_marked (f, i) ? 1e9 : o * (1 + f->r[i]);
    }
  /* and the glyphs and the time already placed (the label occupancy map) */
  for (int yy = c; yy <= d; yy++)
    for (int xx = a; xx <= b; xx++)
      cost += f->occ[yy * f->occ_w + xx] ? 0.05 : 0;
  return cost;
}

/* Chooses the legend's place from the nodes and glyphs already drawn and
 * claims it in the label occupancy map, so that no name goes under it;
 * draw_legend_panel paints it, on top, once the names are down. */
static void
place_legend_panel (Frame *f)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  gboolean forces = f->ov->show_glyphs && f->traj && f->traj->gravity;
  double pad = 8 * st->font_scale, w = 0, h = 0, top, right;
  cairo_pattern_t *content = NULL;
  double cx[4], cy[4];
  double best = G_MAXDOUBLE;
  guint bc = 0;

  top = MAX (f->corner_text_h, 0) + pad;
  /* the right-hand corners clear of the caller's tool column */
  right = f->width - inset_right (f);
  if (f->ov->legend_full)
    {
      w = 230 * st->font_scale;
      if (w + 2 * pad > f->width * 0.5)
        return;   /* too small a canvas: the legend would hide the network */
      cairo_save (cr);
      /* a group only as large as the legend, not the whole canvas */
      cairo_rectangle (cr, 0, 0, w + 2 * pad, f->height);
      cairo_clip (cr);
      cairo_push_group (cr);
      h = cd_render_network_legend (cr, pad, 0, w, forces, st);
      content = cairo_pop_group (cr);
      cairo_restore (cr);
      if (h + 2 * pad > f->height * 0.8)
        {
          cairo_pattern_destroy (content);
          return;
        }
      /* corners in order of preference on a tie: bottom left, top left
       * (below the time), bottom right, top right (where the app keeps its
       * tool buttons) */
      for (guint c = 0; c < 4; c++)
        {
          double x = c < 2 ? pad : right - w - 3 * pad;
          double y = c % 2 == 0 ? f->height - h - 3 * pad : top;
          double cost = legend_cost (f, x, y, w + 2 * pad, h + 2 * pad);
          if (cost < best)
            {
              best = cost;
              bc = c;
            }
        }
    }
  else
    {
      /* a flat strip, or a narrower block when that hides less */
      static const double widths[] = { 400, 280, 190 };
      double cap = f->width * 0.6 - 2 * pad;

      for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
        {
          double mw = MIN (widths[k] * st->font_scale, cap), cw, ch;
          if (mw < 120 * st->font_scale)
            continue;
          ch = compact_legend (f, 0, 0, mw, forces, FALSE, &cw);
          if (ch + 2 * pad > f->height * 0.5)
            continue;
          for (guint c = 0; c < 4; c++)
            {
              double x = c < 2 ? pad : right - cw - 3 * pad;
              double y = c % 2 == 0 ? f->height - ch - 3 * pad : top;
              double cost = legend_cost (f, x, y, cw + 2 * pad, ch + 2 * pad);
              /* ties: the smaller box, then the preferred corner */
              cost += (cw * ch) * 1e-7;
              if (cost < best)
                {
                  best = cost;
                  bc = c;
                  w = cw;
                  h = ch;
                }
            }
        }
    }
  if (best >= 1e9)
    {
      /* no legend fits, or every corner would hide what the user is
       * working on */
      g_clear_pointer (&content, cairo_pattern_destroy);
      return;
    }
  cx[0] = cx[1] = pad;
  cx[2] = cx[3] = right - w - 3 * pad;
  cy[0] = cy[2] = f->height - h - 3 * pad;
  cy[1] = cy[3] = top;
  f->legend_shown = TRUE;
  f->legend_x = cx[bc];
  f->legend_y = cy[bc];
  f->legend_w = w;
  f->legend_h = h;
  f->legend_content = content;
  occ_mark (f, f->legend_x, f->legend_y, f->legend_x + w + 2 * pad, f->legend_y + h + 2 * pad);
}

static void
draw_legend_panel (Frame *f)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  gboolean forces = f->ov->show_glyphs && f->traj && f->traj->gravity;
  double pad = 8 * st->font_scale, w = f->legend_w, h = f->legend_h;

  if (!f->legend_shown)
    return;
  cairo_save (cr);
  cairo_translate (cr, f->legend_x, f->legend_y);
  cairo_rectangle (cr, 0.5, 0.5, w + 2 * pad - 1, h + 2 * pad - 1);
  cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (st), 0.9));
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1);
  cd_color_set_source (cr, st->high_contrast ? cd_palette_foreground (st) : cd_palette_grid (st));
  cairo_stroke (cr);
  if (f->legend_content != NULL)
    {
      cairo_translate (cr, 0, pad);
      cairo_set_source (cr, f->legend_content);
      cairo_paint (cr);
    }
  else
    compact_legend (f, pad, pad, w + 1, forces, TRUE, NULL);
  cairo_restore (cr);
  if (f->boxes)
    {
      CdRenderBox box = { f->legend_x, f->legend_y, w + 2 * pad, h + 2 * pad, CD_BOX_MARK };
      g_array_append_val (f->boxes, box);
    }
}

/* The time (or a warning that the results are stale) in the top left
 * corner: measured before the names, which keep clear of it. */
static void
place_corner_text (Frame *f)
{
  const CdRenderStyle *st = f->style;
  double pad = 10 * st->font_scale;

  if (f->stale)
    f->corner_text = g_strdup (_("results are out of date: run again"));
  else if (f->traj && f->ov->show_time)
    {
      g_autofree char *t = cd_render_format_value (f->t, 2);
      f->corner_text = g_strdup_printf (_("t = %s"), t);
    }
  if (f->corner_text == NULL)
    return;
  f->corner_text_w = cd_render_text_width (f->cr, st, f->corner_text, 15, TRUE);
  f->corner_text_h = pad * 0.5 + 20 * st->font_scale + pad * 0.5;
  occ_mark (f, 0, 0, pad * 1.5 + f->corner_text_w, f->corner_text_h);
}

static void
draw_corner_text (Frame *f)
{
  const CdRenderStyle *st = f->style;
  double pad = 10 * st->font_scale, h = 20 * st->font_scale;

  if (f->corner_text == NULL)
    return;
  cairo_rectangle (f->cr, pad * 0.5, pad * 0.5, f->corner_text_w + pad, h + pad * 0.5);
  cd_color_set_source (f->cr, cd_color_with_alpha (cd_palette_background (st), 0.85));
  cairo_fill (f->cr);
  cd_render_text (f->cr, st, f->corner_text, 15, TRUE, pad, pad * 0.75, CD_ANCHOR_START,
                  CD_ANCHOR_START, f->stale ? cd_palette_event (st) : cd_palette_foreground (st),
                  NULL);
}

void
cd_render_network (cairo_t                *cr,
                   int                     width,
                   int                     height,
                   const CdNetworkView    *view,
                   const CdModel          *model,
                   const CdSystem         *system,
                   const CdTrajectory     *traj,
                   guint                   sample,
                   const CdNetworkOverlay *overlay,
                   const CdRenderStyle    *style)
{
  cd_render_network_boxes (cr, width, height, view, model, system, traj, sample, overlay, style,
                           NULL);
}

void
cd_render_network_boxes (cairo_t                *cr,
                         int                     width,
                         int                     height,
                         const CdNetworkView    *view,
                         const CdModel          *model,
                         const CdSystem         *system,
                         const CdTrajectory     *traj,
                         guint                   sample,
                         const CdNetworkOverlay *overlay,
                         const CdRenderStyle    *style,
                         GArray                 *boxes)
{
  CdNetworkOverlay default_overlay;
  Frame f = { 0 };

  g_return_if_fail (cr != NULL && view != NULL && model != NULL);
  style = cd_render_style_or_default (style);
  if (overlay == NULL)
    {
      cd_network_overlay_init (&default_overlay);
      overlay = &default_overlay;
    }
  if (model->nodes->len == 0)
    {
      cd_render_fill_background (cr, width, height, style);
      /* centred in the room left of the caller's tool column */
      cd_render_message (cr, MAX (width - MAX (overlay->inset_right, 0), 1), height,
                         _("No governments yet. Press G (or the + button), then click "
                           "here to add one; or open an example from the menu."), style);
      return;
    }
  if (cd_network_view_get_n_nodes (view) != model->nodes->len)
    {
      /* The caller forgot cd_network_view_sync after an edit. */
      cd_render_fill_background (cr, width, height, style);
      cd_render_message (cr, width, height, _("The view is out of date with the model."), style);
      g_warning ("cd_render_network: view has %u nodes, model %u: call cd_network_view_sync",
                 cd_network_view_get_n_nodes (view), model->nodes->len);
      return;
    }
  f.cr = cr;
  f.width = MAX (width, 1);
  f.height = MAX (height, 1);
  f.view = view;
  f.model = model;
  f.system = system;
  f.traj = traj;
  f.sample = sample;
  f.ov = overlay;
  f.style = style;
  f.boxes = boxes;
  frame_init (&f);

  cairo_save (cr);
  /* edges and the smallest nodes go into one pixel layer where the target
   * takes one (screen, PNG); vector output keeps cairo paths */
  {
    cairo_surface_type_t type = cairo_surface_get_type (cairo_get_group_target (cr));
    f.pixels = type == CAIRO_SURFACE_TYPE_IMAGE || type == CAIRO_SURFACE_TYPE_RECORDING;
  }
  /* the background too, in the layer or in place: GTK's recording then
   * replays no frame-sized fill under a frame-sized copy */
  f.rastering = cd_raster_begin_on (&f.raster, cr, width, height,
                                    cd_palette_background (style));
  if (!f.rastering || !f.raster.filled)
    cd_render_fill_background (cr, width, height, style);
  draw_edges (&f);
  if (overlay->show_flow_arrows && f.system && f.n > 0
      && f.r[0] / cd_palette_level_size (((const CdNode *) g_ptr_array_index (model->nodes,
                                                                               0))->level)
         >= LOD_FLOW * style->line_scale)
    {
      if (f.rastering)
        {
          cd_raster_end (&f.raster);
          f.rastering = FALSE;
        }
      draw_flows (&f);
    }
  draw_nodes (&f);
  draw_glyphs (&f);
  if (f.rastering)
    {
      cd_raster_end (&f.raster);
      f.rastering = FALSE;
    }
  /* What is drawn over the network claims its room before the names do,
   * so that no name is ever under the time or the legend; the legend's
   * place is chosen from the nodes and glyphs alone. */
  place_corner_text (&f);
  /* names under the caller's tool column could not be read */
  if (inset_right (&f) > 0)
    occ_mark (&f, f.width - inset_right (&f), 0, f.width, f.height);
  if (overlay->show_legend)
    place_legend_panel (&f);
  draw_labels (&f);
  draw_overlay (&f);
  draw_corner_text (&f);
  draw_legend_panel (&f);
  cairo_restore (cr);
  frame_clear (&f);
}
