/* cd-network-draw.c — drawing the network: edges by trust, nodes by x,
 * flow arrows and overlays, and the frame that puts it all together.  The
 * force glyphs and names are drawn in cd-network-labels.c, the legend and
 * the time in cd-network-legend.c (see cd-network-draw-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-network-draw-private.h"

/* Occupancy bitmaps of OCC_CELL-pixel cells, the frame's size: `occ` for
 * labels (nodes, glyphs and names mark it), another for glyphs alone. */
void
cd_network_bits_mark (Frame  *f,
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
gboolean
cd_network_bits_free (Frame        *f,
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

void
cd_network_occ_mark (Frame  *f,
                     double  x0,
                     double  y0,
                     double  x1,
                     double  y1)
{
  cd_network_bits_mark (f, f->occ, x0, y0, x1, y1);
  if (f->solid != NULL)
    cd_network_bits_mark (f, f->solid, x0, y0, x1, y1);
}

/* A label must lie wholly inside the frame, unlike a glyph. */
gboolean
cd_network_label_free (Frame        *f,
                       const guint8 *bits,
                       double        x0,
                       double        y0,
                       double        x1,
                       double        y1)
{
  if (x0 < 0 || y0 < 0 || x1 > f->width || y1 > f->height)
    return FALSE;
  return cd_network_bits_free (f, bits, x0, y0, x1, y1);
}

/* The strip along the right edge that the caller's controls cover, no
 * wider than half the frame. */
double
cd_network_inset_right (const Frame *f)
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
  g_free (f->edge_occ);
  if (f->names)
    g_array_unref (f->names);
  g_free (f->below);
  g_free (f->glyph_x);
  g_free (f->factors);
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

/* Whether edge e is a line of the emergency command system (model 2),
 * drawn dashed in the emergencies' colour. */
static inline gboolean
is_emergency (const Frame  *f,
              const CdEdge *edge)
{
  return edge->kind == CD_EDGE_COMMAND && f->model->version >= 2
         && edge->role == CD_ROLE_EMERGENCY;
}

/* The dashes of an emergency command line: long enough to read as a line
 * zoomed out, with gaps that never read as a partnership's width. */
static void
emergency_dashes (const Frame *f,
                  double       es,
                  double      *dash)
{
  dash[0] = MAX (7 * es, 3.5 * f->style->line_scale * 0.6);
  dash[1] = MAX (4 * es, 2.0 * f->style->line_scale * 0.6);
}

/* A dashed segment into the pixel layer. */
static void
raster_dashed (Frame  *f,
               double  x0,
               double  y0,
               double  x1,
               double  y1,
               double  es)
{
  double dash[2], dx = x1 - x0, dy = y1 - y0, len = sqrt (dx * dx + dy * dy);

  if (!(len > 0))
    return;
  emergency_dashes (f, es, dash);
  for (double at = 0; at < len; at += dash[0] + dash[1])
    {
      double end = MIN (at + dash[0], len);
      cd_raster_line (&f->raster, x0 + dx * at / len, y0 + dy * at / len, x0 + dx * end / len,
                      y0 + dy * end / len);
    }
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
  CdColor ec = cd_palette_emergency_line (st);
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
      /* administrative lines, then the emergency ones over them */
      for (int pass = 0; pass < 2; pass++)
        {
          double lw = pass == 0 ? 1.3 * es : 1.6 * es;
          cd_raster_set_color (&f->raster, pass == 0 ? cc : ec, lw);
          for (guint e = 0; e < f->model->edges->len; e++)
            {
              const CdEdge *edge = g_ptr_array_index (f->model->edges, e);
              guint a, b;
              double dx, dy, len, head, ux, uy, ex, ey, bx, by;
              if (edge->kind != CD_EDGE_COMMAND || is_emergency (f, edge) != (pass == 1)
                  || !edge_ends_at (f, e, &a, &b) || !segment_on_screen (f, a, b))
                continue;
              dx = f->px[b] - f->px[a];
              dy = f->py[b] - f->py[a];
              len = sqrt (dx * dx + dy * dy);
              if (!heads || len < f->r[a] + f->r[b] + 4)
                {
                  if (pass == 0)
                    raster_edge (f, a, b);
                  else if (len > f->core[a] + f->core[b])
                    raster_dashed (f, f->px[a] + dx / len * f->core[a],
                                   f->py[a] + dy / len * f->core[a],
                                   f->px[b] - dx / len * f->core[b],
                                   f->py[b] - dy / len * f->core[b], es);
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
              if (pass == 0)
                cd_raster_line (&f->raster, f->px[a] + ux * f->r[a], f->py[a] + uy * f->r[a],
                                bx + ux * 0.5, by + uy * 0.5);
              else
                raster_dashed (f, f->px[a] + ux * f->r[a], f->py[a] + uy * f->r[a],
                               bx + ux * 0.5, by + uy * 0.5, es);
              cd_raster_triangle (&f->raster, ex, ey, bx - uy * head * 0.5, by + ux * head * 0.5,
                                  bx + uy * head * 0.5, by - ux * head * 0.5);
            }
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

  /* Command lines: superior → subordinate, arrowheads once there is room;
   * the emergency command system's dashed, in the emergencies' colour. */
  for (int pass = 0; pass < 2; pass++)
    {
      double lw = pass == 0 ? 1.3 * es : 1.6 * es;
      cd_color_set_source (cr, pass == 0 ? cc : ec);
      cairo_set_line_width (cr, lw);
      for (guint e = 0; e < f->model->edges->len; e++)
        {
          const CdEdge *edge = g_ptr_array_index (f->model->edges, e);
          guint a, b;
          double dx, dy, len, ex, ey, head = MAX (6 * es, 5);
          if (edge->kind != CD_EDGE_COMMAND || is_emergency (f, edge) != (pass == 1)
              || !edge_ends_at (f, e, &a, &b) || !segment_on_screen (f, a, b))
            continue;
          dx = f->px[b] - f->px[a];
          dy = f->py[b] - f->py[a];
          len = hypot (dx, dy);
          if (pass == 1)
            {
              double dash[2];
              emergency_dashes (f, es, dash);
              cairo_set_dash (cr, dash, 2, 0);
            }
          if (!heads || len < f->r[a] + f->r[b] + 4)
            {
              cairo_move_to (cr, f->px[a], f->py[a]);
              cairo_line_to (cr, f->px[b], f->py[b]);
              continue;
            }
          ex = f->px[b] - dx / len * (f->r[b] + 2);
          ey = f->py[b] - dy / len * (f->r[b] + 2);
          cairo_stroke (cr);
          if (pass == 0)
            cd_render_arrow (cr, f->px[a] + dx / len * f->r[a], f->py[a] + dy / len * f->r[a],
                             ex, ey, head, lw);
          else
            {
              /* a dashed shaft to the head's base, the head solid */
              double ux = dx / len, uy = dy / len, bx = ex - ux * head, by = ey - uy * head;
              cairo_move_to (cr, f->px[a] + ux * f->r[a], f->py[a] + uy * f->r[a]);
              cairo_line_to (cr, bx, by);
              cairo_stroke (cr);
              cairo_set_dash (cr, NULL, 0, 0);
              cairo_move_to (cr, ex, ey);
              cairo_line_to (cr, bx - uy * head * 0.5, by + ux * head * 0.5);
              cairo_line_to (cr, bx + uy * head * 0.5, by - ux * head * 0.5);
              cairo_close_path (cr);
              cairo_fill (cr);
            }
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
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
  cd_render_network_layout (cr, width, height, view, model, system, traj, sample, overlay, style,
                            boxes, NULL, NULL);
}

/* Names avoid the edges up to this many of them; beyond, a network is too
 * dense for a name to find a place clear of every line, and marking them
 * would cost a frame's budget at national scale. */
#define EDGE_MAP_MAX 2000

/* The cells the edges cross between the rims of their ends (and the
 * edges themselves for tests). */
static void
map_edges (Frame *f)
{
  guint n_edges = f->model->edges->len;
  gboolean map = f->ov->show_labels && n_edges <= EDGE_MAP_MAX;
  double half = 1.5 * f->style->line_scale;

  if (map)
    f->edge_occ = g_new0 (guint8, (gsize) f->occ_w * f->occ_h);
  if (!map && f->segments == NULL)
    return;
  for (guint e = 0; e < n_edges; e++)
    {
      guint a, b;
      double dx, dy, len, ux, uy, x0, y0, x1, y1;

      if (!edge_ends_at (f, e, &a, &b) || a == b || !segment_on_screen (f, a, b)
          || !f->visible[a] || !f->visible[b])
        continue;
      dx = f->px[b] - f->px[a];
      dy = f->py[b] - f->py[a];
      len = hypot (dx, dy);
      if (!(len > f->r[a] + f->r[b]))
        continue;
      ux = dx / len;
      uy = dy / len;
      x0 = f->px[a] + ux * f->r[a];
      y0 = f->py[a] + uy * f->r[a];
      x1 = f->px[b] - ux * f->r[b];
      y1 = f->py[b] - uy * f->r[b];
      if (f->segments != NULL)
        {
          CdRenderSegment seg = { x0, y0, x1, y1, a, b };
          g_array_append_val (f->segments, seg);
        }
      if (map)
        {
          double l = hypot (x1 - x0, y1 - y0);
          int steps = (int) ceil (l / (OCC_CELL / 2.0));
          for (int k = 0; k <= steps && steps < 100000; k++)
            {
              double t = (double) k / MAX (steps, 1);
              double x = x0 + (x1 - x0) * t, y = y0 + (y1 - y0) * t;
              cd_network_bits_mark (f, f->edge_occ, x - half, y - half, x + half, y + half);
            }
        }
    }
}

void
cd_render_network_layout (cairo_t                *cr,
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
                          GArray                 *segments)
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
  f.shapes = shapes;
  f.segments = segments;
  frame_init (&f);
  map_edges (&f);

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
  cd_network_draw_glyphs (&f);
  if (f.rastering)
    {
      cd_raster_end (&f.raster);
      f.rastering = FALSE;
    }
  /* What is drawn over the network claims its room before the names do,
   * so that no name is ever under the time or the legend; the legend's
   * place is chosen from the nodes and glyphs alone. */
  cd_network_place_corner_text (&f);
  /* names under the caller's tool column could not be read */
  if (cd_network_inset_right (&f) > 0)
    cd_network_occ_mark (&f, f.width - cd_network_inset_right (&f), 0, f.width, f.height);
  if (overlay->show_legend)
    cd_network_place_legend (&f);
  cd_network_draw_labels (&f);
  for (guint i = 0; shapes != NULL && i < f.n; i++)
    if (f.visible[i])
      {
        CdRenderShape shape = { f.px[i], f.py[i], f.r[i], i + 1, 0, 0, -1, -1 };
        if (f.below != NULL && f.below[i] > 0)
          {
            shape.gx0 = f.glyph_x[2 * i];
            shape.gx1 = f.glyph_x[2 * i + 1];
            shape.gy0 = f.py[i] + f.r[i];
            shape.gy1 = shape.gy0 + f.below[i] + 4 * style->line_scale;
          }
        g_array_append_val (shapes, shape);
      }
  draw_overlay (&f);
  cd_network_draw_corner_text (&f);
  cd_network_draw_legend (&f);
  cairo_restore (cr);
  frame_clear (&f);
}
