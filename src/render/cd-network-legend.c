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

/* What a legend explains beyond the level shapes and the ramp. */
typedef struct
{
  gboolean forces;     /* the force colours (glyphs are drawn) */
  int      parts;      /* the model version whose factor parts the glyphs show; 0: none */
  gboolean emergency;  /* the model has emergency command lines */
} LegendWhat;

static gboolean
model_has_emergency (const CdModel *model)
{
  if (model == NULL || model->version < 2)
    return FALSE;
  for (guint e = 0; e < model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);
      if (edge->kind == CD_EDGE_COMMAND && edge->role == CD_ROLE_EMERGENCY)
        return TRUE;
    }
  return FALSE;
}

static void
legend_what_for (LegendWhat    *what,
                 const CdModel *model,
                 gboolean       forces)
{
  what->forces = forces;
  what->parts = forces && model != NULL ? model->version : 0;
  what->emergency = model_has_emergency (model);
}

/* A force's swatch: for a force split into parts, the parts side by side
 * in their shades and order, with a gap between, as the glyphs draw them. */
static void
force_swatch (cairo_t             *cr,
              CdForce              force,
              int                  version,
              double               x,
              double               y,
              double               w,
              double               h,
              const CdRenderStyle *style)
{
  CdFactorPart parts[CD_MAX_FACTOR_PARTS];
  guint n = version > 0 ? cd_factor_parts (version, force, parts) : 0;
  double gap = MAX (1.0, 1.5 * style->line_scale), pw;

  if (n < 2)
    {
      cd_color_set_source (cr, cd_palette_force (force, style));
      cairo_rectangle (cr, x, y, w, h);
      cairo_fill (cr);
      return;
    }
  pw = (w - gap * (n - 1)) / n;
  for (guint j = 0; j < n; j++)
    {
      cd_color_set_source (cr, cd_palette_factor (force, parts[j].shade, style));
      cairo_rectangle (cr, x + j * (pw + gap), y, pw, h);
      cairo_fill (cr);
    }
}

/* The names of a force's parts in their order, "interest · trust"; NULL
 * when it is not split. */
static char *
parts_names (CdForce force,
             int     version)
{
  CdFactorPart parts[CD_MAX_FACTOR_PARTS];
  guint n = version > 0 ? cd_factor_parts (version, force, parts) : 0;
  GString *s;

  if (n < 2)
    return NULL;
  s = g_string_new (parts[0].label);
  for (guint j = 1; j < n; j++)
    g_string_append_printf (s, " · %s", parts[j].label);
  return g_string_free (s, FALSE);
}

/* A command line's swatch: an arrow from x to x + w, its shaft solid
 * (administrative) or dashed in the emergencies' colour. */
static void
line_swatch (cairo_t             *cr,
             gboolean             emergency,
             double               x,
             double               cy,
             double               w,
             const CdRenderStyle *style)
{
  double ls = style->line_scale, head = 5 * ls, lw = (emergency ? 1.6 : 1.3) * ls;

  cairo_save (cr);
  cd_color_set_source (cr, emergency ? cd_palette_emergency_line (style)
                                     : cd_palette_edge (CD_EDGE_COMMAND, style));
  cairo_set_line_width (cr, lw);
  if (emergency)
    {
      double dash[2] = { 4 * ls, 2.5 * ls };
      cairo_set_dash (cr, dash, 2, 0);
    }
  cairo_move_to (cr, x, cy);
  cairo_line_to (cr, x + w - head, cy);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_move_to (cr, x + w, cy);
  cairo_line_to (cr, x + w - head, cy - head * 0.5);
  cairo_line_to (cr, x + w - head, cy + head * 0.5);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_restore (cr);
}

/* The full legend's three sections, each drawn from (x, y) in a column
 * of the given width; each returns its height. */
static double
legend_forces (cairo_t             *cr,
               PangoLayout         *layout,
               double               x,
               double               y,
               double               width,
               double               row,
               const LegendWhat    *what,
               const CdRenderStyle *style)
{
  double fs = style->font_scale, ls = style->line_scale, sw = 16 * MAX (fs, ls), at = y;
  CdColor fg = cd_palette_foreground (style), muted = cd_palette_muted (style);

  for (int k = 0; k < CD_N_FORCES; k++)
    {
      g_autofree char *names = parts_names ((CdForce) k, what->parts);

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
        force_swatch (cr, (CdForce) k, what->parts, x, at + row / 2 - 4 * ls,
                      names != NULL ? sw * 1.5 : sw, 8 * ls, style);
      {
        double lx = x + (names != NULL ? sw * 1.5 : sw) + 6 * fs, lw, nw = 0;

        cd_render_layout_set (layout, cd_force_label ((CdForce) k), &lw, NULL);
        cd_render_layout_draw (cr, layout, lx, at + row / 2, CD_ANCHOR_START, CD_ANCHOR_CENTER,
                               fg);
        if (names != NULL)
          {
            cd_render_layout_set (layout, names, &nw, NULL);
            if (lx + lw + 8 * fs + nw <= x + width)
              {
                /* the parts after the force's name when the column has
                 * room, in their order left to right as the swatch and
                 * the glyphs show them */
                cd_render_layout_draw (cr, layout, lx + lw + 8 * fs, at + row / 2,
                                       CD_ANCHOR_START, CD_ANCHOR_CENTER, muted);
                g_clear_pointer (&names, g_free);
              }
          }
      }
      at += row;
      if (names != NULL)
        {
          /* else on a line of their own under it */
          double h, indent = sw * 0.5;
          pango_layout_set_width (layout, (int) (MAX (width - indent, 40) * PANGO_SCALE));
          pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
          cd_render_layout_set (layout, names, NULL, &h);
          cd_render_layout_draw (cr, layout, x + indent, at, CD_ANCHOR_START, CD_ANCHOR_START,
                                 muted);
          pango_layout_set_width (layout, -1);
          at += h + 3 * fs;
        }
    }
  cd_render_layout_set (layout, _("glyph: resistance ← | → driving"), NULL, NULL);
  cd_render_layout_draw (cr, layout, x, at + row / 2, CD_ANCHOR_START, CD_ANCHOR_CENTER,
                         muted);
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
             const LegendWhat    *what,
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
  if (what->emergency)
    {
      /* the two roles of a command line (model 2) told apart by the dash
       * as well as the colour */
      double sw = 26 * MAX (fs, style->line_scale);
      for (int role = 0; role < 2; role++)
        {
          line_swatch (cr, role == 1, x, at + row / 2, sw, style);
          cd_render_layout_set (layout, role == 1 ? _("emergency command (dashed)")
                                                  : _("administrative command"), NULL, NULL);
          cd_render_layout_draw (cr, layout, x + sw + 6 * fs, at + row / 2, CD_ANCHOR_START,
                                 CD_ANCHOR_CENTER, fg);
          at += row;
        }
    }
  return at - y;
}

static double
full_legend (cairo_t             *cr,
             double               x,
             double               y,
             double               width,
             const LegendWhat    *what,
             const CdRenderStyle *style)
{
  PangoLayout *layout;
  double fs, row, col, gap, h;
  gboolean with_forces = what->forces;

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
          hf = legend_forces (cr, layout, at, y, col, row, what, style);
          at += col + gap;
        }
      hl = legend_levels (cr, layout, at, y, col, row, style);
      hr = legend_ramp (cr, layout, at + col + gap, y, col, row, what, style);
      h = MAX (hf, MAX (hl, hr));
    }
  else
    {
      h = with_forces ? legend_forces (cr, layout, x, y, width, row, what, style) : 0;
      h += legend_levels (cr, layout, x, y + h, width, row, style);
      h += legend_ramp (cr, layout, x, y + h, width, row, what, style);
    }
  cairo_restore (cr);
  g_object_unref (layout);
  return h;
}

double
cd_render_network_legend (cairo_t             *cr,
                          double               x,
                          double               y,
                          double               width,
                          gboolean             with_forces,
                          const CdRenderStyle *style)
{
  return cd_render_network_legend_for (cr, x, y, width, NULL, with_forces, style);
}

double
cd_render_network_legend_for (cairo_t             *cr,
                              double               x,
                              double               y,
                              double               width,
                              const CdModel       *model,
                              gboolean             with_forces,
                              const CdRenderStyle *style)
{
  LegendWhat what;

  g_return_val_if_fail (cr != NULL, 0);
  legend_what_for (&what, model, with_forces);
  return full_legend (cr, x, y, width, &what, style);
}

/* The compact legend: one strip that flows into as few rows as its width
 * allows — force colours (when glyphs show, with their parts), the
 * coordination ramp, level shapes, and the two roles of command lines
 * when the model has emergency ones — in small type, so that it covers a
 * few governments at most.  Draws only when `draw`; returns the height
 * and the width used. */
enum
{
  ITEM_FORCE,
  ITEM_RAMP,
  ITEM_LEVEL,
  ITEM_LINE,
};

static double
compact_legend (Frame            *f,
                double            x,
                double            y,
                double            max_w,
                const LegendWhat *what,
                gboolean          draw,
                double           *used_w)
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
  struct { int kind, index; } items[CD_N_FORCES + 1 + CD_N_LEVELS + 2];
  guint n_items = 0;

  /* with the parts the forces' items are long, one or two to a row: the
   * net force's marker then goes with the ramp, which is short */
  if (what->forces)
    for (int k = 0; k < (what->parts > 0 ? CD_FORCE_NET : CD_N_FORCES); k++)
      {
        items[n_items].kind = ITEM_FORCE;
        items[n_items++].index = k;
      }
  items[n_items].kind = ITEM_RAMP;
  items[n_items++].index = 0;
  if (what->forces && what->parts > 0)
    {
      items[n_items].kind = ITEM_FORCE;
      items[n_items++].index = CD_FORCE_NET;
    }
  for (int l = 0; l < CD_N_LEVELS; l++)
    {
      items[n_items].kind = ITEM_LEVEL;
      items[n_items++].index = l;
    }
  if (what->emergency)
    for (int role = 0; role < 2; role++)
      {
        items[n_items].kind = ITEM_LINE;
        items[n_items++].index = role;
      }

  cd_render_text_size_cached (key, layout, "Ag", NULL, &row);
  row += 3 * fs;
  for (guint it = 0; it < n_items; it++)
    {
      int kind = items[it].kind, index = items[it].index;
      g_autofree char *names = NULL, *owned = NULL;
      const char *label;
      double tw, iw, w;

      switch (kind)
        {
        case ITEM_FORCE:
          label = cd_force_label ((CdForce) index);
          names = parts_names ((CdForce) index, what->parts);
          if (names != NULL)
            /* Translators: a force and its parts as the glyphs split it,
             * left to right: "gravity (interest · trust)" */
            label = owned = g_strdup_printf (C_("force and its parts", "%s (%s)"), label, names);
          iw = names != NULL ? icon * 1.8 : icon;
          break;
        case ITEM_RAMP:
          label = _("coordination x");
          iw = ramp;
          break;
        case ITEM_LEVEL:
          label = cd_level_label ((CdLevel) index);
          iw = icon;
          break;
        default:
          label = index == 1 ? _("emergency command") : _("administrative command");
          iw = icon * 2.4;
          break;
        }
      cd_render_text_size_cached (key, layout, label, &tw, NULL);
      if (draw)
        pango_layout_set_text (layout, label, -1);
      w = iw + 4 * fs + tw;
      /* the ramp and the command lines start rows of their own, so that
       * forces, levels and lines read as groups */
      if (at_x > x && (at_x + w > x + max_w || (kind == ITEM_RAMP)
                       || (kind == ITEM_LINE && index == 0)))
        {
          at_x = x;
          at_y += row;
        }
      if (draw)
        {
          double cy = at_y + row / 2;
          if (kind == ITEM_FORCE && index == CD_FORCE_NET)
            {
              cd_color_set_source (cr, cd_palette_force (CD_FORCE_NET, st));
              cairo_move_to (cr, at_x + icon / 2, cy - icon * 0.45);
              cairo_line_to (cr, at_x, cy + icon * 0.45);
              cairo_line_to (cr, at_x + icon, cy + icon * 0.45);
              cairo_close_path (cr);
              cairo_fill (cr);
            }
          else if (kind == ITEM_FORCE)
            force_swatch (cr, (CdForce) index, what->parts, at_x, cy - icon * 0.35, iw,
                          icon * 0.7, st);
          else if (kind == ITEM_RAMP)
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
          else if (kind == ITEM_LEVEL)
            {
              CdLevel l = (CdLevel) index;
              double r = icon * 0.55 * cd_palette_level_size (l) / 1.2;
              cd_render_shape_path (cr, cd_palette_level_shape (l), at_x + icon / 2, cy, r);
              cd_color_set_source (cr, cd_palette_coordination (0.5, st));
              cairo_fill_preserve (cr);
              cairo_set_line_width (cr, 0.8 * ls);
              cd_color_set_source (cr, fg);
              cairo_stroke (cr);
            }
          else
            line_swatch (cr, index == 1, at_x, cy, iw, st);
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
                                const CdModel       *model,
                                gboolean             forces,
                                gboolean             draw,
                                const CdRenderStyle *style,
                                double              *used_w)
{
  /* compact_legend needs only the frame's context and style */
  Frame f = { 0 };
  LegendWhat what;

  g_return_val_if_fail (cr != NULL, 0);
  f.cr = cr;
  f.style = cd_render_style_or_default (style);
  legend_what_for (&what, model, forces);
  return compact_legend (&f, x, y, max_w, &what, draw, used_w);
}

/* What the legend over a frame explains: the parts only where some glyph
 * was drawn split (a network drawn without its system has none). */
static void
frame_legend_what (const Frame *f,
                   LegendWhat  *what)
{
  gboolean forces = f->ov->show_glyphs && f->traj && f->traj->gravity;

  legend_what_for (what, f->model, forces);
  if (!f->glyph_parts)
    what->parts = 0;
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

/* The best of the compact legend's widths and corners for `what`: its
 * cost (legend_cost; G_MAXDOUBLE when none fits), size and corner. */
static double
compact_place (Frame            *f,
               const LegendWhat *what,
               double            pad,
               double            top,
               double            right,
               double           *w,
               double           *h,
               guint            *corner)
{
  /* a flat strip, or a narrower block when that hides less */
  static const double widths[] = { 400, 280, 190 };
  const CdRenderStyle *st = f->style;
  double cap = f->width * 0.6 - 2 * pad, best = G_MAXDOUBLE;

  for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
    {
      double mw = MIN (widths[k] * st->font_scale, cap), cw, ch;
      if (mw < 120 * st->font_scale)
        continue;
      ch = compact_legend (f, 0, 0, mw, what, FALSE, &cw);
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
              *corner = c;
              *w = cw;
              *h = ch;
            }
        }
    }
  return best;
}

/* Chooses the legend's place from the nodes and glyphs already drawn and
 * claims it in the label occupancy map, so that no name goes under it;
 * cd_network_draw_legend paints it, on top, once the names are down. */
void
cd_network_place_legend (Frame *f)
{
  cairo_t *cr = f->cr;
  const CdRenderStyle *st = f->style;
  LegendWhat what;
  double pad = 8 * st->font_scale, w = 0, h = 0, top, right;
  cairo_pattern_t *content = NULL;
  double cx[4], cy[4];
  double best = G_MAXDOUBLE;
  guint bc = 0;

  frame_legend_what (f, &what);
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
      h = full_legend (cr, pad, 0, w, &what, st);
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
      /* the forces' parts named when the glyphs show them, unless that
       * makes the legend hide governments (by more than a small one's
       * worth) that the legend without them would not: in a cramped
       * frame the force diagram still names them */
      LegendWhat plain = what;
      double w1 = 0, h1 = 0;
      guint bc1 = 0;

      best = compact_place (f, &what, pad, top, right, &w, &h, &bc);
      if (what.parts > 0)
        {
          double best1;
          plain.parts = 0;
          best1 = compact_place (f, &plain, pad, top, right, &w1, &h1, &bc1);
          if (best >= 1e9 || best > best1 * 1.1 + 2)
            {
              best = best1;
              w = w1;
              h = h1;
              bc = bc1;
              what = plain;
            }
        }
      f->legend_parts = what.parts > 0;
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
  LegendWhat what;
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
    {
      frame_legend_what (f, &what);
      what.parts = f->legend_parts ? what.parts : 0;
      compact_legend (f, pad, pad, w + 1, &what, TRUE, NULL);
    }
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
