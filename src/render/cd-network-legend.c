/* cd-network-legend.c — the network's legend (full, compact, as a strip)
 * placed where it hides the fewest governments, and the time in the
 * corner (see cd-network-draw-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-network-draw-private.h"

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

gboolean
cd_network_node_is_marked (const Frame *f,
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
        cost += cd_network_node_is_marked (f, i) ? 1e9 : o * (1 + f->r[i]);
    }
  /* and the glyphs and the time already placed (the label occupancy map) */
  for (int yy = c; yy <= d; yy++)
    for (int xx = a; xx <= b; xx++)
      cost += f->occ[yy * f->occ_w + xx] ? 0.05 : 0;
  return cost;
}

/* Chooses the legend's place from the nodes and glyphs already drawn and
 * claims it in the label occupancy map, so that no name goes under it;
 * cd_network_draw_legend paints it, on top, once the names are down. */
void
cd_network_place_legend (Frame *f)
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
  right = f->width - cd_network_inset_right (f);
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
  cd_network_occ_mark (f, f->legend_x, f->legend_y, f->legend_x + w + 2 * pad,
                       f->legend_y + h + 2 * pad);
}

void
cd_network_draw_legend (Frame *f)
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
void
cd_network_place_corner_text (Frame *f)
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
  cd_network_occ_mark (f, 0, 0, pad * 1.5 + f->corner_text_w, f->corner_text_h);
}

void
cd_network_draw_corner_text (Frame *f)
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
