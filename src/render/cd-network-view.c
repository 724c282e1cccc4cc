/* cd-network-view.c — the network canvas: view transform, spatial index,
 * level of detail and drawing.
 *
 * Speed comes from three things, so the 3,209-node national model redraws
 * within a frame budget: a uniform grid over model space (hit tests touch
 * only nearby cells), drawing straight into pixels where the target has
 * them (cd-raster.c: lines, arrowheads, glyph bars and one cached sprite
 * per node level, stance and colour bin; cairo paths for SVG and PDF), and
 * level of detail (outlines, arrowheads, glyphs and labels appear only once
 * nodes are large enough on screen to carry them).  Drawing is in
 * cd-network-draw.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-network-view.h"
#include "cd-render-private.h"

/* On-screen radius of a municipal node, before level and style scaling. */
#define MIN_BASE_R      2.0
#define MAX_BASE_R     16.0

struct _CdNetworkView
{
  double   zoom, pan_x, pan_y;
  double   fit_zoom;
  /* the layout stretched along one axis (both ≥ 1) to fill a room's
   * screen: cd_network_view_fit_fill; 1 after any other fit */
  double   sx, sy;

  guint    n_nodes;
  double  *pos;          /* 2 × n_nodes, model units */
  guint8  *level;
  guint   *draw_order;   /* lower levels first, so central governments are on top */
  guint   *draw_rank;    /* inverse of draw_order */
  double   node_unit;    /* model-space radius of a municipal node */
  double   min_x, min_y, max_x, max_y;

  guint    n_edges;
  guint   *edge_a, *edge_b;
  guint8  *edge_kind;

  /* uniform grid over the node bounding box */
  double   gx0, gy0, cell;
  guint    gw, gh;
  guint   *node_cell_start;   /* gw × gh + 1 */
  guint   *node_cell_items;
  guint   *edge_cell_start;
  guint   *edge_cell_items;
};

CdNetworkView *
cd_network_view_new (void)
{
  CdNetworkView *view = g_new0 (CdNetworkView, 1);

  view->zoom = view->fit_zoom = 1.0;
  view->sx = view->sy = 1.0;
  view->node_unit = 1.0;
  view->cell = 1.0;
  return view;
}

static void
clear_index (CdNetworkView *view)
{
  g_clear_pointer (&view->pos, g_free);
  g_clear_pointer (&view->level, g_free);
  g_clear_pointer (&view->draw_order, g_free);
  g_clear_pointer (&view->draw_rank, g_free);
  g_clear_pointer (&view->edge_a, g_free);
  g_clear_pointer (&view->edge_b, g_free);
  g_clear_pointer (&view->edge_kind, g_free);
  g_clear_pointer (&view->node_cell_start, g_free);
  g_clear_pointer (&view->node_cell_items, g_free);
  g_clear_pointer (&view->edge_cell_start, g_free);
  g_clear_pointer (&view->edge_cell_items, g_free);
  view->n_nodes = view->n_edges = 0;
}

void
cd_network_view_free (CdNetworkView *view)
{
  if (view == NULL)
    return;
  clear_index (view);
  g_free (view);
}

static int
compare_level_desc (gconstpointer a,
                    gconstpointer b,
                    gpointer      data)
{
  const guint8 *level = data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;

  if (level[ia] != level[ib])
    return (int) level[ib] - (int) level[ia];
  return (ia > ib) - (ia < ib);
}

static inline guint
cell_of (const CdNetworkView *view,
         double               x,
         double               y,
         guint               *cx,
         guint               *cy)
{
  double fx = floor ((x - view->gx0) / view->cell);
  double fy = floor ((y - view->gy0) / view->cell);

  *cx = (guint) CLAMP (fx, 0, view->gw - 1);
  *cy = (guint) CLAMP (fy, 0, view->gh - 1);
  return *cy * view->gw + *cx;
}

/* Counting sort of (cell, item) pairs into CSR arrays. */
static void
build_csr (guint          n_cells,
           const GArray  *pairs,
           guint        **out_start,
           guint        **out_items)
{
  guint *start = g_new0 (guint, n_cells + 1);
  guint *items = g_new (guint, MAX (pairs->len / 2, 1));
  guint *fill;

  for (guint i = 0; i < pairs->len; i += 2)
    start[g_array_index (pairs, guint, i) + 1]++;
  for (guint c = 0; c < n_cells; c++)
    start[c + 1] += start[c];
  fill = g_memdup2 (start, sizeof (guint) * n_cells);
  for (guint i = 0; i < pairs->len; i += 2)
    items[fill[g_array_index (pairs, guint, i)]++] = g_array_index (pairs, guint, i + 1);
  g_free (fill);
  *out_start = start;
  *out_items = items;
}

void
cd_network_view_sync (CdNetworkView *view,
                      const CdModel *model)
{
  g_autoptr(GHashTable) index = NULL;
  g_autoptr(GArray) pairs = NULL;
  double cx = 0, cy = 0, spread;
  guint n_placed = 0, n_missing = 0, k = 0;

  g_return_if_fail (view != NULL && model != NULL);
  clear_index (view);
  view->n_nodes = model->nodes->len;
  view->pos = g_new0 (double, 2 * MAX (view->n_nodes, 1));
  view->level = g_new0 (guint8, MAX (view->n_nodes, 1));

  for (guint i = 0; i < view->n_nodes; i++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, i);
      view->level[i] = (guint8) node->level;
      if (node->has_pos && isfinite (node->pos[0]) && isfinite (node->pos[1]))
        {
          view->pos[2 * i] = node->pos[0];
          view->pos[2 * i + 1] = node->pos[1];
          cx += node->pos[0];
          cy += node->pos[1];
          n_placed++;
        }
      else
        n_missing++;
    }
  /* Unplaced nodes go on a ring around the placed ones, in file order. */
  if (n_missing > 0)
    {
      double r;
      if (n_placed > 0)
        {
          double far = 0;
          cx /= n_placed;
          cy /= n_placed;
          for (guint i = 0; i < view->n_nodes; i++)
            {
              const CdNode *node = g_ptr_array_index (model->nodes, i);
              if (node->has_pos)
                far = MAX (far, hypot (view->pos[2 * i] - cx, view->pos[2 * i + 1] - cy));
            }
          r = far + 100;
        }
      else
        r = 60.0 * sqrt ((double) n_missing) + 40;
      for (guint i = 0; i < view->n_nodes; i++)
        {
          const CdNode *node = g_ptr_array_index (model->nodes, i);
          double a;
          if (node->has_pos && isfinite (node->pos[0]) && isfinite (node->pos[1]))
            continue;
          a = -G_PI / 2 + 2 * G_PI * k++ / n_missing;
          view->pos[2 * i] = cx + r * cos (a);
          view->pos[2 * i + 1] = cy + r * sin (a);
        }
    }

  view->min_x = view->min_y = 0;
  view->max_x = view->max_y = 0;
  for (guint i = 0; i < view->n_nodes; i++)
    {
      double x = view->pos[2 * i], y = view->pos[2 * i + 1];
      if (i == 0 || x < view->min_x) view->min_x = x;
      if (i == 0 || x > view->max_x) view->max_x = x;
      if (i == 0 || y < view->min_y) view->min_y = y;
      if (i == 0 || y > view->max_y) view->max_y = y;
    }
  spread = MAX (view->max_x - view->min_x, view->max_y - view->min_y);
  if (!(spread > 0))
    spread = 100;
  {
    /* Typical spacing between neighbours if the nodes covered their box evenly. */
    double w = MAX (view->max_x - view->min_x, spread * 0.05);
    double h = MAX (view->max_y - view->min_y, spread * 0.05);
    double spacing = sqrt (w * h / MAX (view->n_nodes, 1));
    /* One government has no neighbours to measure against: give it the
     * room of a workshop model's (about 40 units: 11 px at zoom 1), not
     * the speck a box of a 20th of the fallback spread gave it. */
    if (view->n_nodes <= 1)
      spacing = 40;
    view->node_unit = 0.28 * spacing;
    view->cell = MAX (spacing, spread / 2048);
    view->gx0 = view->min_x;
    view->gy0 = view->min_y;
    view->gw = (guint) CLAMP (ceil (w / view->cell) + 1, 1, 2048);
    view->gh = (guint) CLAMP (ceil (h / view->cell) + 1, 1, 2048);
  }

  view->draw_order = g_new (guint, MAX (view->n_nodes, 1));
  view->draw_rank = g_new (guint, MAX (view->n_nodes, 1));
  for (guint i = 0; i < view->n_nodes; i++)
    view->draw_order[i] = i;
  g_qsort_with_data (view->draw_order, view->n_nodes, sizeof (guint), compare_level_desc,
                     view->level);
  for (guint r = 0; r < view->n_nodes; r++)
    view->draw_rank[view->draw_order[r]] = r;

  pairs = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < view->n_nodes; i++)
    {
      guint gx, gy, c = cell_of (view, view->pos[2 * i], view->pos[2 * i + 1], &gx, &gy);
      g_array_append_val (pairs, c);
      g_array_append_val (pairs, i);
    }
  build_csr (view->gw * view->gh, pairs, &view->node_cell_start, &view->node_cell_items);

  /* Edges: ends resolved to indices once, and each edge entered in every
   * cell its segment passes through (sampled at half a cell). */
  index = cd_model_node_index (model);
  view->n_edges = model->edges->len;
  view->edge_a = g_new (guint, MAX (view->n_edges, 1));
  view->edge_b = g_new (guint, MAX (view->n_edges, 1));
  view->edge_kind = g_new (guint8, MAX (view->n_edges, 1));
  g_array_set_size (pairs, 0);
  for (guint e = 0; e < view->n_edges; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);
      gpointer va, vb;
      double ax, ay, bx, by, len;
      guint steps, last = G_MAXUINT;

      view->edge_kind[e] = (guint8) edge->kind;
      if (!g_hash_table_lookup_extended (index, edge->source, NULL, &va)
          || !g_hash_table_lookup_extended (index, edge->target, NULL, &vb))
        {
          /* a dangling edge (mid-edit): never drawn or hit */
          view->edge_a[e] = view->edge_b[e] = G_MAXUINT;
          continue;
        }
      /* the index stores i + 1 so that node 0 is not NULL */
      view->edge_a[e] = GPOINTER_TO_UINT (va) - 1;
      view->edge_b[e] = GPOINTER_TO_UINT (vb) - 1;
      ax = view->pos[2 * view->edge_a[e]];
      ay = view->pos[2 * view->edge_a[e] + 1];
      bx = view->pos[2 * view->edge_b[e]];
      by = view->pos[2 * view->edge_b[e] + 1];
      len = hypot (bx - ax, by - ay);
      steps = (guint) MIN (ceil (len / (view->cell * 0.5)), 8192);
      for (guint s = 0; s <= steps; s++)
        {
          double t = steps ? (double) s / steps : 0;
          guint gx, gy, c = cell_of (view, ax + t * (bx - ax), ay + t * (by - ay), &gx, &gy);
          if (c == last)
            continue;
          last = c;
          g_array_append_val (pairs, c);
          g_array_append_val (pairs, e);
        }
    }
  build_csr (view->gw * view->gh, pairs, &view->edge_cell_start, &view->edge_cell_items);
}

guint
cd_network_view_get_n_nodes (const CdNetworkView *view)
{
  g_return_val_if_fail (view != NULL, 0);
  return view->n_nodes;
}

guint
cd_network_view_get_n_edges (const CdNetworkView *view)
{
  g_return_val_if_fail (view != NULL, 0);
  return view->n_edges;
}

static inline double scaled_base_radius (const CdNetworkView *view,
                                         double               line_scale);

/* How far the drawing of a node of each level reaches from its centre at
 * the view's zoom, in pixels: left, right, up, down.  The node's own reach
 * is the one its sprite is drawn with (rings included, and a small gap);
 * the glyph under it counts only where the level of detail draws one. */
static void
level_reach (const CdNetworkView *view,
             const CdRenderStyle *style,
             gboolean             glyphs,
             double               reach[CD_N_LEVELS][4])
{
  double ls = style->line_scale;

  for (int l = 0; l < CD_N_LEVELS; l++)
    {
      double r = scaled_base_radius (view, ls) * cd_palette_level_size ((CdLevel) l);
      double node = r * 1.12 + 3.5 * ls + 2, half, below;

      reach[l][0] = reach[l][1] = reach[l][2] = reach[l][3] = node;
      if (glyphs && cd_network_glyph_reach (r, style, &half, &below))
        {
          reach[l][0] = reach[l][1] = MAX (node, half + 2);
          reach[l][3] = MAX (node, below + 2);
        }
    }
}

/* Whether every node, with what is drawn around it, fits in avail_w ×
 * avail_h pixels at zoom z; the pixel box the drawing spans, before pan,
 * in box[4] (x0, y0, x1, y1). */
static gboolean
fits_at (CdNetworkView       *view,
         double               z,
         double               avail_w,
         double               avail_h,
         const CdRenderStyle *style,
         gboolean             glyphs,
         double               box[4])
{
  double reach[CD_N_LEVELS][4];

  view->zoom = z;
  level_reach (view, style, glyphs, reach);
  box[0] = box[1] = G_MAXDOUBLE;
  box[2] = box[3] = -G_MAXDOUBLE;
  for (guint i = 0; i < view->n_nodes; i++)
    {
      const double *e = reach[MIN (view->level[i], CD_N_LEVELS - 1)];
      double x = view->pos[2 * i] * z * view->sx, y = view->pos[2 * i + 1] * z * view->sy;

      box[0] = MIN (box[0], x - e[0]);
      box[2] = MAX (box[2], x + e[1]);
      box[1] = MIN (box[1], y - e[2]);
      box[3] = MAX (box[3], y + e[3]);
    }
  return box[2] - box[0] <= avail_w && box[3] - box[1] <= avail_h;
}

void
cd_network_view_fit_for (CdNetworkView       *view,
                         int                  width,
                         int                  height,
                         double               margin,
                         const CdRenderStyle *style,
                         gboolean             glyphs)
{
  double w, h, avail_w, avail_h, hi, lo, box[4];

  g_return_if_fail (view != NULL);
  style = cd_render_style_or_default (style);
  view->sx = view->sy = 1.0;
  w = MAX (view->max_x - view->min_x, 1e-9);
  h = MAX (view->max_y - view->min_y, 1e-9);
  margin = isfinite (margin) ? MAX (margin, 0) : 0;
  avail_w = MAX (width - 2 * margin, 10);
  avail_h = MAX (height - 2 * margin, 10);
  /* The room around the nodes is only what the drawing at the fitted
   * zoom needs: a fixed allowance for the largest node, its glyph and a
   * name on every side left a national map, whose nodes are specks, in
   * 40 % of the canvas.  Node sizes follow the zoom, so the zoom is the
   * largest at which every node, with its rings and (where glyphs show at
   * that zoom) its glyph, fits: found by bisection, the fit being a
   * fixed point of "zoom -> sizes -> zoom".  Names need no room of their
   * own: the placer puts them on whichever side of a node has room. */
  hi = MIN (avail_w / w, avail_h / h);
  if (view->n_nodes <= 1 || !isfinite (hi) || hi > 1e6)
    view->zoom = 1.0;
  else
    {
      lo = hi * 1e-3;
      if (fits_at (view, hi, avail_w, avail_h, style, glyphs, box))
        lo = hi;
      else if (!fits_at (view, lo, avail_w, avail_h, style, glyphs, box))
        lo = hi;   /* the nodes alone are larger than the canvas: show them all the same */
      else
        for (int k = 0; k < 48 && hi - lo > lo * 1e-6; k++)
          {
            double mid = 0.5 * (lo + hi);
            if (fits_at (view, mid, avail_w, avail_h, style, glyphs, box))
              lo = mid;
            else
              hi = mid;
          }
      view->zoom = lo;
    }
  view->fit_zoom = view->zoom;
  /* centre what is drawn, not the nodes' centres: a glyph below the
   * lowest row would otherwise be cut off while room is left above */
  fits_at (view, view->zoom, avail_w, avail_h, style, glyphs, box);
  view->pan_x = width / 2.0 - (box[0] + box[2]) / 2.0;
  view->pan_y = height / 2.0 - (box[1] + box[3]) / 2.0;
}

void
cd_network_view_fit_fill (CdNetworkView       *view,
                          int                  width,
                          int                  height,
                          double               margin,
                          const CdRenderStyle *style,
                          gboolean             glyphs,
                          double               max_stretch)
{
  double avail_w, avail_h, box[4], bw, bh, s;

  cd_network_view_fit_for (view, width, height, margin, style, glyphs);
  if (view->n_nodes <= 1 || !(max_stretch > 1))
    return;
  margin = isfinite (margin) ? MAX (margin, 0) : 0;
  avail_w = MAX (width - 2 * margin, 10);
  avail_h = MAX (height - 2 * margin, 10);
  fits_at (view, view->zoom, avail_w, avail_h, style, glyphs, box);
  bw = box[2] - box[0];
  bh = box[3] - box[1];
  /* The drawing fills one side; the node centres spread along the other
   * until its drawing fills that too.  The reach around each node (its
   * size, its glyph) does not grow with the spread, so the stretch is
   * found from the centres' extent alone, then checked. */
  if (bw < avail_w - 1 && bh >= avail_h - 1)
    {
      double span = (view->max_x - view->min_x) * view->zoom;
      if (span <= 0)
        return;
      s = MIN (max_stretch, 1 + (avail_w - bw) / span);
      view->sx = s;
    }
  else if (bh < avail_h - 1 && bw >= avail_w - 1)
    {
      double span = (view->max_y - view->min_y) * view->zoom;
      if (span <= 0)
        return;
      s = MIN (max_stretch, 1 + (avail_h - bh) / span);
      view->sy = s;
    }
  else
    return;
  fits_at (view, view->zoom, avail_w, avail_h, style, glyphs, box);
  view->pan_x = width / 2.0 - (box[0] + box[2]) / 2.0;
  view->pan_y = height / 2.0 - (box[1] + box[3]) / 2.0;
}

void
cd_network_view_fit (CdNetworkView *view,
                     int            width,
                     int            height,
                     double         margin)
{
  cd_network_view_fit_for (view, width, height, margin, NULL, TRUE);
}

void
cd_network_view_get_transform (const CdNetworkView *view,
                               double              *zoom,
                               double              *pan_x,
                               double              *pan_y)
{
  g_return_if_fail (view != NULL);
  if (zoom) *zoom = view->zoom;
  if (pan_x) *pan_x = view->pan_x;
  if (pan_y) *pan_y = view->pan_y;
}

void
cd_network_view_set_transform (CdNetworkView *view,
                               double         zoom,
                               double         pan_x,
                               double         pan_y)
{
  g_return_if_fail (view != NULL);
  g_return_if_fail (zoom > 0 && isfinite (zoom) && isfinite (pan_x) && isfinite (pan_y));
  view->zoom = zoom;
  view->pan_x = pan_x;
  view->pan_y = pan_y;
}

void
cd_network_view_zoom_at (CdNetworkView *view,
                         double         factor,
                         double         px,
                         double         py)
{
  double mx, my, z;

  g_return_if_fail (view != NULL);
  if (!(factor > 0) || !isfinite (factor))
    return;
  cd_network_view_to_model (view, px, py, &mx, &my);
  z = CLAMP (view->zoom * factor, view->fit_zoom / 20, view->fit_zoom * 400);
  view->zoom = z;
  view->pan_x = px - mx * z * view->sx;
  view->pan_y = py - my * z * view->sy;
}

void
cd_network_view_pan_by (CdNetworkView *view,
                        double         dx,
                        double         dy)
{
  g_return_if_fail (view != NULL);
  if (isfinite (dx) && isfinite (dy))
    {
      view->pan_x += dx;
      view->pan_y += dy;
    }
}

double
cd_network_view_relative_zoom (const CdNetworkView *view)
{
  g_return_val_if_fail (view != NULL, 1.0);
  return view->zoom / view->fit_zoom;
}

void
cd_network_view_to_pixels (const CdNetworkView *view,
                           double               mx,
                           double               my,
                           double              *px,
                           double              *py)
{
  *px = mx * view->zoom * view->sx + view->pan_x;
  *py = my * view->zoom * view->sy + view->pan_y;
}

void
cd_network_view_to_model (const CdNetworkView *view,
                          double               px,
                          double               py,
                          double              *mx,
                          double              *my)
{
  *mx = (px - view->pan_x) / (view->zoom * view->sx);
  *my = (py - view->pan_y) / (view->zoom * view->sy);
}

void
cd_network_view_node_position (const CdNetworkView *view,
                               guint                i,
                               double              *mx,
                               double              *my)
{
  g_return_if_fail (view != NULL && i < view->n_nodes);
  *mx = view->pos[2 * i];
  *my = view->pos[2 * i + 1];
}

gboolean
cd_network_view_edge_ends (const CdNetworkView *view,
                           guint                e,
                           guint               *a,
                           guint               *b)
{
  g_return_val_if_fail (view != NULL, FALSE);
  if (e >= view->n_edges || view->edge_a[e] == G_MAXUINT)
    return FALSE;
  *a = view->edge_a[e];
  *b = view->edge_b[e];
  return TRUE;
}

static inline double
base_radius (const CdNetworkView *view)
{
  return CLAMP (view->node_unit * view->zoom, MIN_BASE_R, MAX_BASE_R);
}

/* A heavier style (the projector's) draws nodes larger, but no larger than
 * the room the layout gives them (node_unit at this zoom): multiplied
 * regardless, the Yangtze example's governments overlapped one another in
 * the presentation view and left no place for most names.  Specks (the
 * national map in a small window) still grow to the style's smallest node
 * size, so that they show from the back of a room. */
static inline double
scaled_base_radius (const CdNetworkView *view,
                    double               line_scale)
{
  double r = base_radius (view);

  if (line_scale <= 1.0)
    return r * line_scale;
  return MIN (r * line_scale, MAX (r, MAX (MIN_BASE_R * line_scale, view->node_unit * view->zoom)));
}

static inline double
radius_px (const CdNetworkView *view,
           guint                i,
           double               line_scale)
{
  return scaled_base_radius (view, line_scale) * cd_palette_level_size ((CdLevel) view->level[i]);
}

double
cd_network_view_node_radius (const CdNetworkView *view,
                             guint                i,
                             const CdRenderStyle *style)
{
  g_return_val_if_fail (view != NULL && i < view->n_nodes, 0);
  return radius_px (view, i, cd_render_style_or_default (style)->line_scale);
}

/* Cells overlapping the model-space box [x0, x1] × [y0, y1]. */
static void
cell_range (const CdNetworkView *view,
            double x0, double y0, double x1, double y1,
            guint *cx0, guint *cy0, guint *cx1, guint *cy1)
{
  cell_of (view, x0, y0, cx0, cy0);
  cell_of (view, x1, y1, cx1, cy1);
}

int
cd_network_view_node_at (const CdNetworkView *view,
                         double               px,
                         double               py,
                         const CdRenderStyle *style)
{
  double mx, my, reach, slack = 3.0;
  guint cx0, cy0, cx1, cy1;
  int best = -1, near = -1;
  double near_d = G_MAXDOUBLE;
  double ls;

  g_return_val_if_fail (view != NULL, -1);
  if (view->n_nodes == 0)
    return -1;
  ls = cd_render_style_or_default (style)->line_scale;
  cd_network_view_to_model (view, px, py, &mx, &my);
  reach = (scaled_base_radius (view, ls) * cd_palette_level_size (CD_LEVEL_CENTRAL) + slack)
          / view->zoom;
  cell_range (view, mx - reach, my - reach, mx + reach, my + reach, &cx0, &cy0, &cx1, &cy1);
  for (guint gy = cy0; gy <= cy1; gy++)
    for (guint gx = cx0; gx <= cx1; gx++)
      {
        guint c = gy * view->gw + gx;
        for (guint k = view->node_cell_start[c]; k < view->node_cell_start[c + 1]; k++)
          {
            guint i = view->node_cell_items[k];
            double dx = view->pos[2 * i] * view->zoom * view->sx + view->pan_x - px;
            double dy = view->pos[2 * i + 1] * view->zoom * view->sy + view->pan_y - py;
            double d = hypot (dx, dy), r = radius_px (view, i, ls);
            if (d <= r)
              {
                if (best < 0 || view->draw_rank[i] > view->draw_rank[best])
                  best = (int) i;
              }
            else if (d <= r + slack && d - r < near_d)
              {
                near_d = d - r;
                near = (int) i;
              }
          }
      }
  return best >= 0 ? best : near;
}

static double
segment_distance (double px, double py,
                  double ax, double ay,
                  double bx, double by)
{
  double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy, t;

  if (l2 <= 0)
    return hypot (px - ax, py - ay);
  t = CLAMP (((px - ax) * dx + (py - ay) * dy) / l2, 0, 1);
  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

int
cd_network_view_edge_at (const CdNetworkView *view,
                         double               px,
                         double               py,
                         double               tolerance)
{
  double mx, my, reach;
  guint cx0, cy0, cx1, cy1;
  int best = -1;
  double best_d = G_MAXDOUBLE;

  g_return_val_if_fail (view != NULL, -1);
  if (view->n_edges == 0)
    return -1;
  tolerance = MAX (tolerance, 0.5);
  cd_network_view_to_model (view, px, py, &mx, &my);
  /* A segment is indexed in the cells its samples fall in; one more cell
   * of reach covers the corners it clips between samples. */
  reach = tolerance / view->zoom + view->cell;
  cell_range (view, mx - reach, my - reach, mx + reach, my + reach, &cx0, &cy0, &cx1, &cy1);
  for (guint gy = cy0; gy <= cy1; gy++)
    for (guint gx = cx0; gx <= cx1; gx++)
      {
        guint c = gy * view->gw + gx;
        for (guint k = view->edge_cell_start[c]; k < view->edge_cell_start[c + 1]; k++)
          {
            guint e = view->edge_cell_items[k];
            guint a = view->edge_a[e], b = view->edge_b[e];
            double d;
            if (a == G_MAXUINT)
              continue;
            d = segment_distance (px, py,
                                  view->pos[2 * a] * view->zoom * view->sx + view->pan_x,
                                  view->pos[2 * a + 1] * view->zoom * view->sy + view->pan_y,
                                  view->pos[2 * b] * view->zoom * view->sx + view->pan_x,
                                  view->pos[2 * b + 1] * view->zoom * view->sy + view->pan_y);
            if (d <= tolerance && (d < best_d || (d == best_d && (int) e < best)))
              {
                best_d = d;
                best = (int) e;
              }
          }
      }
  return best;
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return (x > y) - (x < y);
}

GArray *
cd_network_view_nodes_in_rect (const CdNetworkView *view,
                               double               x0,
                               double               y0,
                               double               x1,
                               double               y1)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));
  double mx0, my0, mx1, my1;
  guint cx0, cy0, cx1, cy1;

  g_return_val_if_fail (view != NULL, out);
  if (view->n_nodes == 0)
    return out;
  cd_network_view_to_model (view, MIN (x0, x1), MIN (y0, y1), &mx0, &my0);
  cd_network_view_to_model (view, MAX (x0, x1), MAX (y0, y1), &mx1, &my1);
  if (mx1 < view->min_x || mx0 > view->max_x || my1 < view->min_y || my0 > view->max_y)
    return out;
  cell_range (view, mx0, my0, mx1, my1, &cx0, &cy0, &cx1, &cy1);
  for (guint gy = cy0; gy <= cy1; gy++)
    for (guint gx = cx0; gx <= cx1; gx++)
      {
        guint c = gy * view->gw + gx;
        for (guint k = view->node_cell_start[c]; k < view->node_cell_start[c + 1]; k++)
          {
            guint i = view->node_cell_items[k];
            double x = view->pos[2 * i], y = view->pos[2 * i + 1];
            if (x >= mx0 && x <= mx1 && y >= my0 && y <= my1)
              g_array_append_val (out, i);
          }
      }
  g_array_sort (out, compare_guint);
  return out;
}

void
cd_network_overlay_init (CdNetworkOverlay *overlay)
{
  g_return_if_fail (overlay != NULL);
  memset (overlay, 0, sizeof *overlay);
  overlay->hovered_node = -1;
  overlay->hovered_edge = -1;
  overlay->focus_node = -1;
  overlay->pending_source = -1;
  overlay->show_labels = TRUE;
  overlay->show_glyphs = TRUE;
  overlay->show_legend = TRUE;
  overlay->show_time = TRUE;
}
