/* cd-network-labels.c — the network's force glyphs and its names, placed
 * where they collide with nothing (see cd-network-draw-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-network-draw-private.h"

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

/* The factors of every government at the frame's sample, from the
 * system the trajectory came from: NULL without one (or trust without the
 * trajectory's and no τ0 to stand in). */
static const double *
frame_factors (Frame *f)
{
  g_autofree double *tau0 = NULL;
  g_autoptr (CdWorkspace) ws = NULL;
  const double *trust = f->trust;

  if (f->factors_tried)
    return f->factors;
  f->factors_tried = TRUE;
  if (f->system == NULL || f->traj == NULL || cd_system_get_n_nodes (f->system) != f->n
      || cd_system_get_n_edges (f->system) != f->model->edges->len)
    return NULL;
  if (trust == NULL)
    {
      /* a run that kept no trust: τ0, as the force diagram does */
      guint np = cd_system_get_n_partnerships (f->system), k = 0;
      tau0 = g_new0 (double, MAX (np, 1));
      for (guint e = 0; e < f->model->edges->len && k < np; e++)
        {
          const CdEdge *edge = g_ptr_array_index (f->model->edges, e);
          if (edge->kind == CD_EDGE_PARTNERSHIP)
            tau0[k++] = edge->trust;
        }
      trust = tau0;
    }
  ws = cd_workspace_new (f->system);
  f->factors = g_new (double, (gsize) CD_N_FACTORS * MAX (f->n, 1));
  cd_system_evaluate_factors (f->system, f->t, f->x, trust, f->factors, ws);
  return f->factors;
}

/* Bars of `force`'s parts for node i from `at` over `w` pixels (left to
 * right in the parts' order, as the legend lists them), each in its shade
 * and apart from the next by a gap of the backdrop, so that two parts
 * read as two even where their shades are hard to tell apart; returns
 * FALSE (drawing nothing) when the factors are not to hand. */
static gboolean
glyph_parts (Frame   *f,
             guint    i,
             CdForce  force,
             double   at,
             double   y,
             double   w,
             double   h)
{
  const double *factors = frame_factors (f);
  CdFactorPart parts[CD_MAX_FACTOR_PARTS];
  double value[CD_MAX_FACTOR_PARTS], total = 0, fv[CD_N_FACTORS];
  double gap = MAX (1.0, 0.5 * glyph_size (f->style));
  guint n, shown = 0;

  if (factors == NULL)
    return FALSE;
  for (guint k = 0; k < CD_N_FACTORS; k++)
    fv[k] = factors[(gsize) k * f->n + i];
  n = cd_factor_parts (f->model->version, force, parts);
  for (guint j = 0; j < n; j++)
    {
      value[j] = cd_factor_part_value (&parts[j], fv);
      if (!isfinite (value[j]) || value[j] < 0)
        value[j] = 0;
      total += value[j];
    }
  if (!(total > 0))
    return FALSE;
  for (guint j = 0; j < n; j++)
    {
      double pw = w * value[j] / total;
      /* the gap comes out of the part before it, and only where both
       * parts are wide enough to keep some colour */
      double cut = shown > 0 && pw > 2 * gap ? gap : 0;
      if (pw <= 0)
        continue;
      fill_rect (f, cd_palette_factor (force, parts[j].shade, f->style), at + cut, y, pw - cut,
                 h);
      at += pw;
      shown++;
    }
  f->glyph_parts = TRUE;
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
  /* each force in its parts' shades; without the factors (no system),
   * the four forces only */
  for (int k = 0; k < 3; k++)
    {
      double w = v[k] * inv_max * half;
      if (!glyph_parts (f, i, (CdForce) k, at, y0, w, h))
        fill_rect (f, cd_palette_force ((CdForce) k, st), at, y0, w, h);
      at += w;
    }
  {
    double w = v[3] * inv_max * half;
    if (!glyph_parts (f, i, CD_FORCE_RESISTANCE, x0 - w, y0, w, h))
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
  /* what is drawn, not the bars' whole reach: a large node's glyph band
   * spanned four radii and shut its neighbours' names out of their sides */
  {
    double nx = x0 + CLAMP (net * inv_max, -1, 1) * half, s = 3.5 * gs;
    f->glyph_x[2 * i] = MIN (back_x0 - 1, nx - s);
    f->glyph_x[2 * i + 1] = MAX (back_x1 + 1, nx + s);
  }
  cd_network_occ_mark (f, f->glyph_x[2 * i], y0, f->glyph_x[2 * i + 1], y0 + h + 6 * gs);
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

static void paint_label (Frame *f, PangoLayout *layout, guint i, double lx, double ly,
                         double w, double h, gboolean crowded, gboolean leader);
static gboolean leader_ends (Frame *f, guint i, double lx, double ly, double w, double h,
                             double *x0, double *y0, double *x1, double *y1);

/* Claims the cells a leader line runs through: in `bits`, or (NULL) in
 * the occupancy maps. */
static void
mark_leader (Frame   *f,
             guint8  *bits,
             double   x0,
             double   y0,
             double   x1,
             double   y1)
{
  int steps = (int) ceil (hypot (x1 - x0, y1 - y0) / (OCC_CELL / 2.0));

  for (int k = 0; k <= steps; k++)
    {
      double x = x0 + (x1 - x0) * k / MAX (steps, 1), y = y0 + (y1 - y0) * k / MAX (steps, 1);

      if (bits != NULL)
        cd_network_bits_mark (f, bits, x - 0.5, y - 0.5, x + 0.5, y + 0.5);
      else
        cd_network_occ_mark (f, x - 0.5, y - 0.5, x + 0.5, y + 0.5);
    }
}
static const guint8 *solid_map (Frame *f);

/* The distance from a box to a circle's rim (0 where they touch). */
static double
box_circle_gap (double lx,
                double ly,
                double w,
                double h,
                double cx,
                double cy,
                double r)
{
  double dx = cx < lx ? lx - cx : cx > lx + w ? cx - lx - w : 0;
  double dy = cy < ly ? ly - cy : cy > ly + h ? cy - ly - h : 0;

  return MAX (0, hypot (dx, dy) - r);
}

/* Whether a name at this box reads as government i's without a line to
 * it: no farther from its node (or the glyph under it) than most of a
 * line of text, and nearer to it than to any other government.  "Middle
 * Province" drawn a diagonal away from its hexagon sat closer to its
 * neighbour's and named the wrong one. */
static double
own_gap (Frame  *f,
         guint   i,
         double  lx,
         double  ly,
         double  w,
         double  h)
{
  double own = box_circle_gap (lx, ly, w, h, f->px[i], f->py[i], f->r[i]);

  if (f->below != NULL && f->below[i] > 0)
    {
      /* the glyph's box: a name under the glyph is by its own node */
      double gx0 = f->glyph_x[2 * i], gy0 = f->py[i] + f->r[i];
      double gx1 = f->glyph_x[2 * i + 1], gy1 = gy0 + f->below[i] + 4 * f->style->line_scale;
      double dx = MAX (0, MAX (gx0 - (lx + w), lx - gx1));
      double dy = MAX (0, MAX (gy0 - (ly + h), ly - gy1));
      own = MIN (own, hypot (dx, dy));
    }
  return own;
}

static gboolean
label_displaced (Frame  *f,
                 guint   i,
                 double  lx,
                 double  ly,
                 double  w,
                 double  h)
{
  double own = own_gap (f, i, lx, ly, w, h);

  if (own > 0.75 * h)
    return TRUE;
  for (guint j = 0; j < f->n; j++)
    if (j != i && f->visible[j]
        && box_circle_gap (lx, ly, w, h, f->px[j], f->py[j], f->r[j]) + 1 < own)
      return TRUE;
  return FALSE;
}

/* Whether a name's box at (lx, ly) is about as near to a government other
 * than i (within half a line more) as to its own: it could be either's. */
static gboolean
touches_other (Frame  *f,
               guint   i,
               double  lx,
               double  ly,
               double  w,
               double  h)
{
  double own = own_gap (f, i, lx, ly, w, h);

  for (guint j = 0; j < f->n; j++)
    if (j != i && f->visible[j]
        && box_circle_gap (lx, ly, w, h, f->px[j], f->py[j], f->r[j]) < own + h / 2)
      return TRUE;
  return FALSE;
}

/* The cells of the edges' map a name's box covers (a pixel in from its
 * sides): how much line would run under the name. */
static guint
edge_cells (Frame  *f,
            double  x0,
            double  y0,
            double  x1,
            double  y1)
{
  int a = MAX (0, (int) floor ((x0 + 1) / OCC_CELL));
  int b = MIN (f->occ_w - 1, (int) floor ((x1 - 1) / OCC_CELL));
  int c = MAX (0, (int) floor ((y0 + 1) / OCC_CELL));
  int d = MIN (f->occ_h - 1, (int) floor ((y1 - 1) / OCC_CELL));
  guint n = 0;

  for (int y = c; y <= d; y++)
    for (int x = a; x <= b; x++)
      n += f->edge_occ[y * f->occ_w + x] != 0;
  return n;
}

/* The leader line from government i's rim to the nearest point of a box
 * at (lx, ly): its ends in *x0 … *y1; FALSE when the box touches the rim. */
static gboolean
leader_ends (Frame  *f,
             guint   i,
             double  lx,
             double  ly,
             double  w,
             double  h,
             double *x0,
             double *y0,
             double *x1,
             double *y1)
{
  double px = f->px[i], py = f->py[i], r = f->r[i];
  double cx = CLAMP (px, lx, lx + w), cy = CLAMP (py, ly, ly + h);
  double d = hypot (cx - px, cy - py), ux, uy;

  if (!(d > r + 2))
    return FALSE;
  ux = (cx - px) / d;
  uy = (cy - py) / d;
  *x0 = px + ux * (r + 1);
  *y0 = py + uy * (r + 1);
  *x1 = cx - ux * 2;
  *y1 = cy - uy * 2;
  return TRUE;
}

/* Whether a leader from government i to the box crosses nothing placed
 * (another node, a glyph, a name) in `bits`: a line through a name reads
 * as a strike-through.  The edges' cells it crosses add to *crossed if
 * not NULL (a leader across a line reads as a branch of it). */
static gboolean
leader_scan (Frame        *f,
             const guint8 *bits,
             guint         i,
             double        lx,
             double        ly,
             double        w,
             double        h,
             guint        *crossed,
             guint        *blocked)
{
  double x0, y0, x1, y1, l, own = f->r[i] * 1.5 + OCC_CELL;
  int steps;

  if (!leader_ends (f, i, lx, ly, w, h, &x0, &y0, &x1, &y1))
    return TRUE;
  l = hypot (x1 - x0, y1 - y0);
  steps = (int) ceil (l / (OCC_CELL / 2.0));
  for (int k = 0; k <= steps; k++)
    {
      double x = x0 + (x1 - x0) * k / MAX (steps, 1), y = y0 + (y1 - y0) * k / MAX (steps, 1);
      /* the node's own square and glyph are marked: not obstacles */
      if (hypot (x - f->px[i], y - f->py[i]) < own
          || (f->below != NULL && f->below[i] > 0 && y > f->py[i]
              && y < f->py[i] + f->r[i] + f->below[i] + OCC_CELL
              && fabs (x - f->px[i]) < f->r[i] * 2.0 + OCC_CELL))
        continue;
      /* the name's own box (the leader ends 2 px short of it); no wider,
       * or a leader's last stretch could strike through a neighbouring
       * name that the box touches (the basin authority's through
       * "Central Government") */
      if (x >= lx - 2.5 && x <= lx + w + 2.5 && y >= ly - 2.5 && y <= ly + h + 2.5)
        continue;
      if (!cd_network_bits_free (f, bits, x, y, x, y))
        {
          if (blocked == NULL)
            return FALSE;
          (*blocked)++;
        }
      if (crossed != NULL && f->edge_occ != NULL
          && !cd_network_bits_free (f, f->edge_occ, x, y, x, y))
        (*crossed)++;
    }
  return blocked == NULL || *blocked == 0;
}

static gboolean
leader_clear (Frame        *f,
              const guint8 *bits,
              guint         i,
              double        lx,
              double        ly,
              double        w,
              double        h,
              guint        *crossed)
{
  return leader_scan (f, bits, i, lx, ly, w, h, crossed, NULL);
}

/* Whether segment (x0, y0)–(x1, y1) passes through the box (Liang–Barsky). */
static gboolean
segment_meets_box (double x0,
                   double y0,
                   double x1,
                   double y1,
                   double bx,
                   double by,
                   double bw,
                   double bh)
{
  double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { x0 - bx, bx + bw - x0, y0 - by, by + bh - y0 };

  for (int k = 0; k < 4; k++)
    {
      double t;

      if (p[k] == 0)
        {
          if (q[k] < 0)
            return FALSE;
          continue;
        }
      t = q[k] / p[k];
      if (p[k] < 0)
        t0 = MAX (t0, t);
      else
        t1 = MIN (t1, t);
      if (t0 > t1)
        return FALSE;
    }
  return TRUE;
}

/* How many names already placed the leader from government i to a box at
 * (lx, ly) would strike through (a pixel in from their sides). */
static guint
leader_names_crossed (Frame  *f,
                      guint   i,
                      double  lx,
                      double  ly,
                      double  w,
                      double  h)
{
  double x0, y0, x1, y1;
  guint n = 0;

  if (f->names == NULL || !leader_ends (f, i, lx, ly, w, h, &x0, &y0, &x1, &y1))
    return 0;
  for (guint k = 0; k < f->names->len; k++)
    {
      const CdRenderBox *b = &g_array_index (f->names, CdRenderBox, k);
      n += segment_meets_box (x0, y0, x1, y1, b->x + 1, b->y + 1, b->width - 2, b->height - 2);
    }
  return n;
}

/* force: a name the user asked for (a selected, hovered or focused node) is
 * drawn even where it finds no free place, below its node on a backdrop.
 * bits: the occupancy map to place it by (f->occ, or f->solid).  With
 * `score` (and the edges' map), every place is weighed rather than the
 * first free one taken: a name across a line, or apart from its node,
 * costs more than one beside it and clear; in a room (name_all) a short
 * leader is among the places.  Returns whether the name was drawn. */
static gboolean
draw_label (Frame        *f,
            PangoLayout  *layout,
            const char   *font_key,
            guint         i,
            double        below,
            gboolean      force,
            const guint8 *bits,
            gboolean      score)
{
  const CdRenderStyle *st = f->style;
  const CdNode *node = g_ptr_array_index (f->model->nodes, i);
  const char *name = cd_node_display_name (node);
  double w, h, lx = 0, ly = 0;
  double px = f->px[i], py = f->py[i], r = f->r[i], s = 8 * st->font_scale;
  enum { N_PLACES = G_N_ELEMENTS (label_places) };
  double gaps[2] = { 2, 2 + 6 * st->font_scale };
  gboolean open[N_PLACES], any = FALSE, crowded = FALSE, leader = FALSE;
  guint c;

  score = score && f->edge_occ != NULL;
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
      open[c] = force || cd_network_label_free (f, bits, x0, y0, x0 + 2, y0 + s);
      any = any || open[c];
    }
  if (!any && bits != f->solid && !(score && f->ov->name_all))
    return FALSE;
  /* the size from the cache: most candidates find no room and need no shaping */
  cd_render_text_size_cached (font_key, layout, name, &w, &h);
  if (score)
    {
      double best = G_MAXDOUBLE;

      for (c = 0; c < N_PLACES; c++)
        {
          double x, y, cost;
          guint crossed;

          if (!open[c])
            continue;
          label_origin (&label_places[c], px, py, r, gaps[label_places[c].ring], below, w, h, &x,
                        &y);
          if (!cd_network_label_free (f, bits, x, y, x + w, y + h))
            continue;
          crossed = edge_cells (f, x, y, x + w, y + h);
          /* the places' order, then a line under the name, then a name
           * about as near another government as its own (under its glyph
           * by a diamond, "Shanghai" read as Jiashan's name), then one that
           * would need a leader to be read as this node's */
          cost = 0.1 * c + (crossed > 0 ? 6 + crossed : 0)
                 + (touches_other (f, i, x, y, w, h) ? 2 : 0);
          if (label_displaced (f, i, x, y, w, h))
            {
              guint along = 0;
              cost += 6 + 3 * label_places[c].ring
                      + (leader_clear (f, bits, i, x, y, w, h, &along) ? along : 20);
            }
          if (cost < best)
            {
              best = cost;
              lx = x;
              ly = y;
              leader = FALSE;
            }
        }
      for (int ring = 1; f->ov->name_all && ring <= 2; ring++)
        for (int k = 0; k < 16; k++)
          {
            double a = k * G_PI / 8.0, ux = cos (a), uy = sin (a);
            double d = r + ring * 0.9 * h + (uy > 0.3 ? below : 0);
            double ax = px + ux * d, ay = py + uy * d;
            double x = ux > 0.3 ? ax : ux < -0.3 ? ax - w : ax - w / 2;
            double y = uy > 0.3 ? ay : uy < -0.3 ? ay - h : ay - h / 2;
            double cost;
            guint crossed, along = 0;

            if (x + w > f->width - cd_network_inset_right (f)
                || !cd_network_label_free (f, bits, x, y, x + w, y + h)
                || !leader_clear (f, bits, i, x, y, w, h, &along))
              continue;
            crossed = edge_cells (f, x, y, x + w, y + h);
            /* a short leader beats a name across a thick line, a long
             * one does not */
            cost = 6 + 3 * ring + along + 0.01 * k + (crossed > 0 ? 6 + crossed : 0);
            if (cost < best)
              {
                best = cost;
                lx = x;
                ly = y;
                leader = TRUE;
              }
          }
      c = best < G_MAXDOUBLE ? N_PLACES + 1 : N_PLACES;
    }
  else
    for (c = 0; c < N_PLACES; c++)
      {
        if (!open[c])
          continue;
        label_origin (&label_places[c], px, py, r, gaps[label_places[c].ring], below, w, h, &lx,
                      &ly);
        if (cd_network_label_free (f, bits, lx, ly, lx + w, ly + h))
          break;
      }
  /* A landmark's last resort (placed by the solid map): beside its node, a
   * little up or down, clear of a neighbour's glyph level with it. */
  for (int k = 0; c == N_PLACES && bits == f->solid && k < 8; k++)
    {
      /* half a line at most: "Shanghai" a whole line below its hexagon sat
       * by its neighbour's diamond and read as its name; further off, a
       * leader joins it (draw_label_leader) */
      static const double shift[2] = { -0.5, 0.5 };
      const LabelPlace *p = &label_places[k % 2 == 0 ? 1 : 2];   /* right, left */
      double dy = shift[(k / 2) % 2] * h;
      int ring = k / 4;

      label_origin (p, px, py, r, gaps[ring], below, w, h, &lx, &ly);
      ly += dy;
      if (cd_network_label_free (f, bits, lx, ly, lx + w, ly + h))
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
  paint_label (f, layout, i, lx, ly, w, h, crowded, leader);
  return TRUE;
}

/* Claims the box of government i's name at (lx, ly) and draws the name
 * there, on a halo (or, crowded, a backdrop) in the background colour;
 * with a thin line from its node when it is apart from it (leader, or
 * found so). */
static void
paint_label (Frame       *f,
             PangoLayout *layout,
             guint        i,
             double       lx,
             double       ly,
             double       w,
             double       h,
             gboolean     crowded,
             gboolean     leader)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  const char *name = cd_node_display_name (g_ptr_array_index (f->model->nodes, i));

  leader = leader || (!crowded && label_displaced (f, i, lx, ly, w, h));
  cd_network_occ_mark (f, lx, ly, lx + w, ly + h);
  {
    CdRenderBox box = { lx, ly, w, h, CD_BOX_TEXT, i + 1, leader };
    if (f->boxes)
      g_array_append_val (f->boxes, box);
    g_array_append_val (f->names, box);
  }
  if (leader)
    {
      /* from the rim toward the nearest point of the name's box */
      double x0, y0, x1, y1;

      if (leader_ends (f, i, lx, ly, w, h, &x0, &y0, &x1, &y1))
        {
          /* claimed as a name's box is: a name placed later over the
           * line would read as struck through */
          mark_leader (f, NULL, x0, y0, x1, y1);
          cairo_save (cr);
          cairo_set_line_width (cr, 1.5 * st->line_scale);
          cd_color_set_source (cr, cd_palette_muted (st));
          cairo_move_to (cr, x0, y0);
          cairo_line_to (cr, x1, y1);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
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
}

/* A name that found no free place next to its node, farther out in one of
 * sixteen directions (up to `rings` name heights), joined to its node by a
 * thin leader line: in a room every government must be named, and in a
 * tight cluster the next free spot may be a few name heights away.
 * Placed by the map that lets names cover edges but never a node, a glyph
 * or another name, inside the frame; the nearest place whose leader runs
 * through no name (the basin authority's struck "Central Government"
 * through) nor node nor glyph, else the nearest through no name.
 * Returns whether the name was drawn. */
static double
leader_place (Frame  *f,
              guint   i,
              double  below,
              int     rings,
              double  w,
              double  h,
              double *best_x,
              double *best_y)
{
  const guint8 *bits = solid_map (f);
  double px = f->px[i], py = f->py[i], r = f->r[i], best = G_MAXDOUBLE;

  for (int ring = 1; ring <= rings; ring++)
    for (int k = 0; k < 32; k++)
      {
        /* nearest first: below and beside before above, as a reader's eye
         * goes; then the directions between, to route a leader past a name */
        static const int order[16] = { 4, 0, 8, 12, 2, 6, 10, 14, 3, 5, 1, 7, 9, 11, 13, 15 };
        double a = (order[k % 16] + (k >= 16 ? 0.5 : 0)) * G_PI / 8.0, ux = cos (a), uy = sin (a);
        double d = r + ring * 0.9 * h + (uy > 0.3 ? below : 0);
        double ax = px + ux * d, ay = py + uy * d;
        /* the box's side that faces the node touches the anchor */
        double lx = ux > 0.3 ? ax : ux < -0.3 ? ax - w : ax - w / 2;
        double ly = uy > 0.3 ? ay : uy < -0.3 ? ay - h : ay - h / 2;
        guint blocked = 0;
        double cost;

        if (lx < 0 || ly < 0 || lx + w > f->width - cd_network_inset_right (f)
            || ly + h > f->height || !cd_network_label_free (f, bits, lx, ly, lx + w, ly + h))
          continue;
        leader_scan (f, bits, i, lx, ly, w, h, NULL, &blocked);
        /* the nearest place first, as before; but a leader through a name
         * (a strike-through) only when every one would be, and over a
         * node or a glyph only when every other is: in a room every
         * government is named even so, by the least bad of them */
        cost = ring * 16 + k + 1000.0 * (blocked > 0)
               + 100000.0 * leader_names_crossed (f, i, lx, ly, w, h);
        if (cost < best)
          {
            best = cost;
            *best_x = lx;
            *best_y = ly;
          }
      }
  return best;
}

static gboolean
draw_label_leader (Frame        *f,
                   PangoLayout  *layout,
                   const char   *font_key,
                   guint         i,
                   double        below,
                   int           rings)
{
  const char *name = cd_node_display_name (g_ptr_array_index (f->model->nodes, i));
  double w, h, x = 0, y = 0, best;

  cd_render_text_size_cached (font_key, layout, name, &w, &h);
  best = leader_place (f, i, below, rings, w, h, &x, &y);
  if (best >= 100000.0 && strchr (name, ' ') != NULL)
    {
      /* every leader strikes through a name: a long name on two lines
       * ("Upper County (flood- / detention area)") may find a clear one */
      PangoLayout *two = pango_layout_copy (layout);
      double w2, h2, x2 = 0, y2 = 0, best2;
      int width;

      cd_render_layout_set (two, name, &w2, NULL);
      width = (int) ceil (w2 * 0.6);
      pango_layout_set_width (two, width * PANGO_SCALE);
      pango_layout_set_wrap (two, PANGO_WRAP_WORD);
      {
        PangoRectangle logical;
        pango_layout_get_extents (two, NULL, &logical);
        w2 = (double) logical.width / PANGO_SCALE;
        h2 = (double) logical.height / PANGO_SCALE;
      }
      best2 = pango_layout_get_line_count (two) > 1
              ? leader_place (f, i, below, rings, w2, h2, &x2, &y2) : G_MAXDOUBLE;
      if (best2 < 100000.0)
        {
          paint_label (f, two, i, x2, y2, w2, h2, FALSE, TRUE);
          g_object_unref (two);
          return TRUE;
        }
      g_object_unref (two);
    }
  if (best < G_MAXDOUBLE)
    paint_label (f, layout, i, x, y, w, h, FALSE, TRUE);
  return best < G_MAXDOUBLE;
}

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
void
cd_network_draw_glyphs (Frame *f)
{
  const CdRenderStyle *st = f->style;
  gboolean glyphs = f->ov->show_glyphs && f->traj && f->traj->gravity;
  double inv_max = glyphs ? glyph_scale (f) : 0;
  double *below = f->below = g_new0 (double, MAX (f->n, 1));
  f->glyph_x = g_new0 (double, 2 * MAX (f->n, 1));

  /* Nodes claim their own space before any label does. */
  for (guint i = 0; i < f->n; i++)
    if (f->visible[i])
      cd_network_occ_mark (f, f->px[i] - f->r[i], f->py[i] - f->r[i], f->px[i] + f->r[i],
                           f->py[i] + f->r[i]);
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
            if (!cd_network_bits_free (f, taken, x0 + 1, y0 + 1, x1 - 1, y1 - 1))
              continue;
            cd_network_bits_mark (f, taken, x0, y0, x1, y1);
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

  if (f->solid != NULL)
    return f->solid;
  f->solid = g_new0 (guint8, (gsize) f->occ_w * f->occ_h);
  for (guint i = 0; i < f->n; i++)
    {
      if (!f->visible[i])
        continue;
      if (f->r[i] >= LOD_LABEL * st->line_scale)
        cd_network_bits_mark (f, f->solid, f->px[i] - f->r[i], f->py[i] - f->r[i],
                              f->px[i] + f->r[i], f->py[i] + f->r[i]);
      if (f->below[i] > 0)
        {
          /* the box draw_glyph marks */
          double y0 = f->py[i] + f->r[i] + 4 * st->line_scale;
          cd_network_bits_mark (f, f->solid, f->glyph_x[2 * i], y0, f->glyph_x[2 * i + 1],
                                y0 + f->below[i]);
        }
    }
  if (f->corner_text != NULL)
    cd_network_bits_mark (f, f->solid, 0, 0, 15 * st->font_scale + f->corner_text_w,
                          f->corner_text_h);
  if (f->legend_shown)
    {
      double pad = 8 * st->font_scale;
      cd_network_bits_mark (f, f->solid, f->legend_x, f->legend_y,
                            f->legend_x + f->legend_w + 2 * pad,
                            f->legend_y + f->legend_h + 2 * pad);
    }
  if (cd_network_inset_right (f) > 0)
    cd_network_bits_mark (f, f->solid, f->width - cd_network_inset_right (f), 0, f->width,
                          f->height);
  for (guint k = 0; k < f->names->len; k++)
    {
      const CdRenderBox *b = &g_array_index (f->names, CdRenderBox, k);
      double x0, y0, x1, y1;

      cd_network_bits_mark (f, f->solid, b->x, b->y, b->x + b->width, b->y + b->height);
      if (b->leader && b->owner > 0
          && leader_ends (f, b->owner - 1, b->x, b->y, b->width, b->height, &x0, &y0, &x1, &y1))
        mark_leader (f, f->solid, x0, y0, x1, y1);
    }
  return f->solid;
}

/* A landmark's name that found no place on one line, on two ("Central /
 * Government"): a long name beside a node at the edge of a narrow figure
 * fits no other way.  Placed by the map a landmark falls back to. */
static gboolean
draw_label_wrapped (Frame        *f,
                    PangoLayout  *layout,
                    const char   *font_key,
                    guint         i,
                    double        below,
                    const guint8 *bits,
                    gboolean      score)
{
  const char *name = cd_node_display_name (g_ptr_array_index (f->model->nodes, i));
  PangoLayout *two = pango_layout_copy (layout);
  g_autofree char *key = NULL;
  double w;
  int width;
  gboolean drawn;

  /* only between words: a Chinese name would break between its
   * characters, one above the other ("嘉 / 兴 / 市") */
  if (strchr (name, ' ') == NULL)
    {
      g_object_unref (two);
      return FALSE;
    }
  cd_render_layout_set (two, name, &w, NULL);
  /* left-aligned, so that the box starts where the text does; words are
   * not cut (a single long word just keeps its line) */
  width = (int) ceil (w * 0.6);
  pango_layout_set_width (two, width * PANGO_SCALE);
  pango_layout_set_wrap (two, PANGO_WRAP_WORD);
  key = g_strdup_printf ("%s|wrap %d|", font_key, width);
  drawn = pango_layout_get_line_count (two) > 1
          && draw_label (f, two, key, i, below, FALSE, bits, score);
  g_object_unref (two);
  return drawn;
}

/* Names, where they find room that nothing placed before them (nodes,
 * glyphs, the time, the legend) has claimed. */
void
cd_network_draw_labels (Frame *f)
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
        if (f->visible[i] && cd_network_node_is_marked (f, i))
          {
            int lvl = ((const CdNode *) g_ptr_array_index (f->model->nodes, i))->level;
            PangoLayout *layout = level_layout (f, layouts, font_keys, lvl);

            if (!draw_label (f, layout, font_keys[lvl], i, below[i], FALSE, f->occ, TRUE))
              draw_label (f, layout, font_keys[lvl], i, below[i], TRUE, f->occ, FALSE);
          }
      /* Then the highest level first, so the provinces win a crowded spot;
       * in a room, where every name is drawn, the other bodies (a basin
       * authority, a regional union: few, and in the middle of things)
       * before the cities and counties fill the room around them, or
       * their leader had to strike through a name. */
      for (int step = 0; step < CD_N_LEVELS && placed < MAX_LABELS; step++)
        for (guint i = 0; i < f->n && placed < MAX_LABELS; i++)
          {
            static const int room_order[CD_N_LEVELS] = {
              CD_LEVEL_CENTRAL, CD_LEVEL_PROVINCIAL, CD_LEVEL_OTHER, CD_LEVEL_MUNICIPAL,
              CD_LEVEL_COUNTY
            };
            int lvl = f->ov->name_all ? room_order[step] : step;
            const CdNode *node = g_ptr_array_index (f->model->nodes, i);
            PangoLayout *layout;

            /* The central and provincial governments are named at any
             * zoom: on a national map they are how a reader finds their
             * way, and a name may cover county specks too small to carry
             * names of their own (never a named node, a glyph or a name). */
            gboolean landmark = lvl <= CD_LEVEL_PROVINCIAL;
            /* in a room, every one of a small network's governments */
            gboolean name_all = f->ov->name_all && f->n <= CD_NETWORK_NAME_ALL_MAX;

            if ((int) node->level != lvl || !f->visible[i] || cd_network_node_is_marked (f, i)
                || (f->r[i] < LOD_LABEL * st->line_scale && !landmark && !name_all))
              continue;
            layout = level_layout (f, layouts, font_keys, lvl);
            /* Beside the node and clear of the lines where it can (in a
             * room, a short leader rather than across a thick line); then
             * the fallbacks. */
            if (!draw_label (f, layout, font_keys[lvl], i, below[i], FALSE, f->occ, TRUE)
                && (landmark || name_all)
                && !draw_label_wrapped (f, layout, font_keys[lvl], i, below[i], f->occ, TRUE)
                && !draw_label (f, layout, font_keys[lvl], i, below[i], FALSE, solid_map (f),
                                FALSE)
                && !draw_label_wrapped (f, layout, font_keys[lvl], i, below[i], solid_map (f),
                                        FALSE))
              draw_label_leader (f, layout, font_keys[lvl], i, below[i], 14);
            placed++;
          }
    }
  for (int l = 0; l < CD_N_LEVELS; l++)
    {
      g_clear_object (&layouts[l]);
      g_free (font_keys[l]);
    }
}
