/* cd-force-field.c — Lewin-style force-field diagram of one government.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-force-field.h"
#include "cd-render-private.h"

gboolean
cd_force_breakdown_compute (const CdSystem     *system,
                            const CdTrajectory *traj,
                            guint               node,
                            guint               sample,
                            CdForceBreakdown   *out)
{
  g_autofree double *y = NULL;
  guint n, np;
  double t = 0.0;

  g_return_val_if_fail (system != NULL && out != NULL, FALSE);
  n = cd_system_get_n_nodes (system);
  np = cd_system_get_n_partnerships (system);
  if (node >= n)
    {
      memset (out, 0, sizeof *out);
      out->top_partner = out->top_superior = -1;
      return FALSE;
    }
  if (traj != NULL && (traj->n_nodes != n || traj->n_samples == 0))
    traj = NULL;   /* results of another model */

  /* The state at the sample: x, trust (τ0 where the run kept none), loss. */
  y = g_new0 (double, cd_system_get_n_state (system));
  cd_system_initial_state (system, y);
  if (traj != NULL)
    {
      sample = MIN (sample, traj->n_samples - 1);
      t = traj->t[sample];
      memcpy (y, traj->x + (gsize) sample * n, n * sizeof (double));
      if (traj->trust != NULL && traj->n_partnerships == np)
        memcpy (y + n, traj->trust + (gsize) sample * np, np * sizeof (double));
      y[n + np] = traj->loss[sample];
    }
  return cd_system_force_breakdown (system, t, y, node, out);
}

/* A fat horizontal arrow from x0 to x1 (tip at x1) centred on y. */
static void
fat_arrow (cairo_t *cr,
           double   x0,
           double   x1,
           double   y,
           double   thick,
           double   head)
{
  double dir = x1 >= x0 ? 1 : -1;
  double len = fabs (x1 - x0);
  double body = MAX (len - head, 0);

  head = MIN (head, len);
  cairo_move_to (cr, x0, y - thick / 2);
  cairo_line_to (cr, x0 + dir * body, y - thick / 2);
  cairo_line_to (cr, x0 + dir * body, y - thick);
  cairo_line_to (cr, x1, y);
  cairo_line_to (cr, x0 + dir * body, y + thick);
  cairo_line_to (cr, x0 + dir * body, y + thick / 2);
  cairo_line_to (cr, x0, y + thick / 2);
  cairo_close_path (cr);
}

static char *
fmt (double v)
{
  return cd_render_format_value (v, 3);
}

/* "53 %" with a no-break space: a wrapped sentence never leaves "%)"
 * alone on its last line. */
static char *
pct (double share)
{
  return g_strdup_printf ("%d\u00a0%%", (int) lround (CLAMP (share, 0, 1) * 100));
}

/* Everything the diagram draws goes through here, so that a test can
 * collect the boxes and check that nothing overlaps. */
typedef struct
{
  cairo_t             *cr;
  const CdRenderStyle *style;
  GArray              *boxes;
  guint                cut;     /* texts ended in "…" or left out for want of room */
} Ctx;

static void
add_box (Ctx      *c,
         double    x,
         double    y,
         double    w,
         double    h,
         CdBoxKind kind)
{
  CdRenderBox box = { x, y, w, h, kind };

  if (c->boxes != NULL && w > 0 && h > 0)
    g_array_append_val (c->boxes, box);
}

/* A layout limited to `width` px that wraps at word (or, for Chinese, at
 * character) boundaries and ends in "…" after `max_lines` lines. */
static PangoLayout *
text_layout (Ctx        *c,
             double      size,
             gboolean    bold,
             const char *markup,
             double      width,
             int         max_lines)
{
  PangoLayout *layout = cd_render_layout (c->cr, c->style, size, bold);

  pango_layout_set_markup (layout, markup, -1);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (MAX (width, 1) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_height (layout, -MAX (max_lines, 1));
    }
  return layout;
}

static void
layout_size (PangoLayout *layout,
             double      *w,
             double      *h)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (w)
    *w = (double) logical.width / PANGO_SCALE;
  if (h)
    *h = (double) logical.height / PANGO_SCALE;
}

/* Draws `layout` with its logical box's h/v anchor at (x, y) and records the
 * box.  Honours the logical x offset that right-aligned wrapped text has. */
/* Whether the layout shows less than its whole text: ended in "…", or, when
 * its height limit falls between two paragraphs, the later ones left out
 * with no "…" at all (Pango ellipsizes only a paragraph it cuts). */
static gboolean
layout_is_cut (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  int n = pango_layout_get_line_count (layout);
  PangoLayoutLine *last;
  int end;

  if (pango_layout_is_ellipsized (layout))
    return TRUE;
  if (n == 0)
    return text[0] != '\0';
  last = pango_layout_get_line_readonly (layout, n - 1);
  end = last->start_index + last->length;
  while (text[end] == '\n' || text[end] == ' ')
    end++;
  return text[end] != '\0';
}

static void
put_text (Ctx         *c,
          PangoLayout *layout,
          double       x,
          double       y,
          CdAnchor     h,
          CdAnchor     v,
          CdColor      color)
{
  PangoRectangle logical;
  double w, hh, lx, bx, by;

  pango_layout_get_extents (layout, NULL, &logical);
  c->cut += layout_is_cut (layout);
  w = (double) logical.width / PANGO_SCALE;
  hh = (double) logical.height / PANGO_SCALE;
  lx = (double) logical.x / PANGO_SCALE;
  bx = x - w * 0.5 * h;
  by = y - hh * 0.5 * v;
  cairo_move_to (c->cr, bx - lx, by - (double) logical.y / PANGO_SCALE);
  cd_color_set_source (c->cr, color);
  cd_render_probe_text (c->cr, layout, bx - lx, by - (double) logical.y / PANGO_SCALE);
  pango_cairo_show_layout (c->cr, layout);
  cairo_new_path (c->cr);
  add_box (c, bx, by, w, hh, CD_BOX_TEXT);
}

static char *
escaped (const char *text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

/* The parts of one force (cd_factor_parts) and their values at the sample. */
typedef struct
{
  guint        n;
  CdFactorPart part[CD_MAX_FACTOR_PARTS];
  double       value[CD_MAX_FACTOR_PARTS];
} Parts;

static void
parts_of (const CdModel          *model,
          const CdForceBreakdown *b,
          CdForce                 force,
          Parts                  *out)
{
  out->n = cd_factor_parts (model->version, force, out->part);
  for (guint j = 0; j < out->n; j++)
    {
      double v = cd_factor_part_value (&out->part[j], b->factor);
      out->value[j] = isfinite (v) && v > 0 ? v : 0;
    }
}

/* Diagonal lines in the background's colour over the current clip: the
 * deeper shade's pattern, so that the third part reads apart in print and
 * in grey as well as by its lightness. */
static void
hatch (Ctx    *c,
       double  x0,
       double  y0,
       double  x1,
       double  y1,
       double  step)
{
  cairo_t *cr = c->cr;
  double h = y1 - y0;

  cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (c->style), 0.7));
  cairo_set_line_width (cr, MAX (step * 0.28, 1.0));
  for (double hx = x0 - h; hx < x1 + h; hx += step)
    {
      cairo_move_to (cr, hx, y1);
      cairo_line_to (cr, hx + h, y0);
    }
  cairo_stroke (cr);
}

/* A driving or restraining arrow (tip at `tip`), split along its length
 * into its parts, left to right in their order (parts may be NULL: one
 * colour), each in its shade, with a hairline of background between. */
static void
force_arrow (Ctx         *c,
             double       tail,
             double       tip,
             double       y,
             double       thick,
             double       head,
             CdForce      force,
             const Parts *parts)
{
  cairo_t *cr = c->cr;
  double len = fabs (tip - tail), ls = c->style->line_scale, total = 0, at;
  double left = MIN (tail, tip);

  if (!(len > 0.5))
    return;
  fat_arrow (cr, tail, tip, y, thick, MIN (head, len));
  cd_color_set_source (cr, cd_palette_force (force, c->style));
  cairo_fill (cr);
  add_box (c, left, y - thick, len, 2 * thick, CD_BOX_MARK);
  for (guint j = 0; parts != NULL && j < parts->n; j++)
    total += parts->value[j];
  if (parts == NULL || parts->n < 2 || !(total > 0))
    return;
  cairo_save (cr);
  fat_arrow (cr, tail, tip, y, thick, MIN (head, len));
  cairo_clip (cr);
  at = left;
  for (guint j = 0; j < parts->n; j++)
    {
      double w = len * parts->value[j] / total;
      if (w <= 0)
        continue;
      cairo_rectangle (cr, at, y - thick * 1.1, w, thick * 2.2);
      cd_color_set_source (cr, cd_palette_factor (force, parts->part[j].shade, c->style));
      cairo_fill (cr);
      if (parts->part[j].shade == 2 && w > 1)
        {
          cairo_save (cr);
          cairo_rectangle (cr, at, y - thick * 1.1, w, thick * 2.2);
          cairo_clip (cr);
          hatch (c, at, y - thick * 1.1, at + w, y + thick * 1.1, 7 * ls);
          cairo_restore (cr);
        }
      at += w;
    }
  /* hairlines where one part ends and the next begins */
  at = left;
  cd_color_set_source (cr, cd_palette_background (c->style));
  cairo_set_line_width (cr, 1.5 * ls);
  for (guint j = 0; j + 1 < parts->n; j++)
    {
      double w = len * parts->value[j] / total;
      at += w;
      if (w > 0.5 && parts->value[j + 1] / total * len > 0.5)
        {
          cairo_move_to (cr, at, y - thick * 1.2);
          cairo_line_to (cr, at, y + thick * 1.2);
        }
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* One part's swatch in a caption or legend: its shade, hatched for the
 * deeper one. */
static void
part_swatch (Ctx                *c,
             CdForce             force,
             const CdFactorPart *part,
             double              x,
             double              y,
             double              w,
             double              h)
{
  cairo_t *cr = c->cr;

  cairo_rectangle (cr, x, y, w, h);
  cd_color_set_source (cr, cd_palette_factor (force, part->shade, c->style));
  cairo_fill (cr);
  if (part->shade == 2)
    {
      cairo_save (cr);
      cairo_rectangle (cr, x, y, w, h);
      cairo_clip (cr);
      hatch (c, x, y, x + w, y + h, 4 * c->style->line_scale);
      cairo_restore (cr);
    }
  add_box (c, x, y, w, h, CD_BOX_MARK);
}

/* A force's parts under its arrow, each "▪ name value", flowing in rows
 * no wider than `width` from (x, y); draws only when `draw`.  Returns
 * the height; the widest row in *used_w when not NULL. */
static double
parts_caption (Ctx         *c,
               CdForce      force,
               const Parts *parts,
               double       x,
               double       y,
               double       width,
               gboolean     draw,
               double      *used_w)
{
  double fs = c->style->font_scale, sw = 9 * fs, gap = 12 * fs, at_x = x, at_y = y;
  double row = 0, widest = 0;
  CdColor muted = cd_palette_muted (c->style);

  for (guint j = 0; j < parts->n; j++)
    {
      g_autofree char *v = fmt (parts->value[j]);
      g_autofree char *label = escaped (parts->part[j].label);
      g_autofree char *m = g_strdup_printf ("%s %s", label, v);
      PangoLayout *l = text_layout (c, 12, FALSE, m, -1, 1);
      double tw, th, w;

      layout_size (l, &tw, &th);
      if (sw + 4 * fs + tw > width)
        {
          /* narrower than one item: the name ellipsized */
          g_object_unref (l);
          l = text_layout (c, 12, FALSE, m, MAX (width - sw - 4 * fs, 1), 1);
          layout_size (l, &tw, &th);
        }
      w = sw + 4 * fs + tw;
      row = MAX (row, th);
      if (at_x > x && at_x + w > x + width + 0.01)
        {
          at_x = x;
          at_y += row + 2 * fs;
        }
      if (draw)
        {
          part_swatch (c, force, &parts->part[j], at_x, at_y + th / 2 - sw * 0.4, sw, sw * 0.8);
          put_text (c, l, at_x + sw + 4 * fs, at_y, CD_ANCHOR_START, CD_ANCHOR_START, muted);
        }
      widest = MAX (widest, at_x + w - x);
      at_x += w + gap;
      g_object_unref (l);
    }
  if (used_w)
    *used_w = widest;
  return parts->n > 0 ? at_y + row - y : 0;
}

char *
cd_force_dominance_text (const CdModel          *model,
                         const CdForceBreakdown *b)
{
  GString *text = g_string_new (NULL);
  const CdFactorPart *top_drive = NULL, *top_resist = NULL;
  CdFactorPart parts[CD_N_FORCES - 1][CD_MAX_FACTOR_PARTS];
  double drive = 0, resist = 0, best_drive = 0, best_resist = 0;

  g_return_val_if_fail (model != NULL && b != NULL, NULL);
  /* the largest part on each side, and its share of that side */
  for (int k = 0; k < CD_FORCE_NET; k++)
    {
      guint n = cd_factor_parts (model->version, (CdForce) k, parts[k]);
      for (guint j = 0; j < n; j++)
        {
          double v = cd_factor_part_value (&parts[k][j], b->factor);
          if (!isfinite (v) || v <= 0)
            continue;
          if (k == CD_FORCE_RESISTANCE)
            {
              resist += v;
              if (v > best_resist)
                {
                  best_resist = v;
                  top_resist = &parts[k][j];
                }
            }
          else
            {
              drive += v;
              if (v > best_drive)
                {
                  best_drive = v;
                  top_drive = &parts[k][j];
                }
            }
        }
    }
  if (top_drive != NULL)
    {
      g_autofree char *p = pct (best_drive / drive);
      /* Translators: the largest of the seven parts of gravity, pressure
       * and thrust, e.g. "Driving forces are mostly shared interest (48 %)" */
      g_string_append_printf (text, _("Driving forces are mostly %s (%s)"), top_drive->phrase, p);
    }
  if (top_resist != NULL)
    {
      g_autofree char *p = pct (best_resist / resist);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: the largest part of resistance, e.g. "Resistance is
       * mostly fragmented powers (62 %)" */
      g_string_append_printf (text, _("Resistance is mostly %s (%s)"), top_resist->phrase, p);
    }
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

/* The text beside the diagram: which parts weigh most (unless the
 * subtitle says it), who contributes most, and where x heads. */
static char *
contributions_text (const CdModel          *model,
                    const CdSystem         *system,
                    const CdNode           *nd,
                    const CdForceBreakdown *b,
                    gboolean                with_dominance)
{
  GString *text = g_string_new (NULL);
  g_autofree char *dominant = with_dominance ? cd_force_dominance_text (model, b) : NULL;

  if (dominant != NULL)
    {
      g_string_append (text, dominant);
      g_string_append_c (text, '\n');
    }
  if (b->top_partner >= 0)
    {
      g_autofree char *p = pct (b->top_partner_share);
      g_string_append_printf (text, _("Largest pull of gravity: %s (%s of it)"),
                              cd_node_display_name (g_ptr_array_index (model->nodes,
                                                                       b->top_partner)), p);
    }
  else
    g_string_append (text, _("No partners: no gravity."));
  g_string_append_c (text, '\n');
  if (b->top_superior >= 0)
    {
      g_autofree char *p = pct (b->top_superior_share);
      const char *name = cd_node_display_name (g_ptr_array_index (model->nodes,
                                                                  b->top_superior));
      /* model 2's command lines carry emergency command as well */
      if (model->version >= 2)
        g_string_append_printf (text, _("Largest superior: %s (%s of the pressure from command "
                                        "lines)"), name, p);
      else
        g_string_append_printf (text, _("Largest superior: %s (%s of administrative pressure)"),
                                name, p);
    }
  else
    g_string_append (text, _("No superior: no administrative pressure."));
  if (cd_system_get_rule (system) == CD_RULE_LOGIT)
    {
      const CdPiece *piece = cd_system_get_piece_at (system, b->t);
      double beta = piece->params[CD_PARAM_DYNAMICS_RATIONALITY];
      double target = 1.0 / (1.0 + exp (-beta * b->net));
      g_autofree char *tg = fmt (target);
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Moving toward x = σ(βF) = %s"), tg);
    }
  if (nd->fixed)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Stance fixed: x is held at its initial value."));
    }
  return g_string_free (text, FALSE);
}

/* The layout works in bands from the top, each band its own rows, so that
 * no two texts can overlap whatever the numbers are:
 *
 *   title, subtitle (wraps)
 *   "driving forces →" | "← restraining force"   (two rows if narrow)
 *   label column │ arrows meeting at the state line, one row per force
 *   pressure caption (admin solid / crisis hatched, wraps)
 *   ─── net force row, its sentence below
 *   Who contributes (below when narrow, beside when wide; ellipsized)
 *
 * Labels sit in their own column left of the arrows, so a short arrow can
 * never push a label onto another one. */
/* What every pass of one frame draws; the passes differ in their style
 * (type size) and compact level only. */
typedef struct
{
  cairo_t                *cr;
  int                     width, height;
  const CdModel          *model;
  const CdSystem         *system;
  const CdNode           *nd;
  const CdForceBreakdown *b;
  gboolean                show_title;
} Panel;

static double
force_field_pass (const Panel         *panel,
                  const CdRenderStyle *style,
                  int                  compact,
                  GArray              *boxes,
                  guint               *cut)
{
  cairo_t *cr = panel->cr;
  const int width = panel->width, height = panel->height;
  const CdModel *model = panel->model;
  const CdSystem *system = panel->system;
  const CdNode *nd = panel->nd;
  const gboolean show_title = panel->show_title;
  Ctx c = { cr, style, boxes, 0 };
  /* A panel too short for every word at ease (compact > 0) closes the
   * gaps between bands to half, puts the headings on one line, then sets
   * the sentences a size and two sizes smaller, down to the smallest type
   * the figure has anyway (the captions' 12, then 11).  Past that (a
   * projector's type cannot shrink), it leaves out what a reader loses
   * least: the "driving forces → / ← restraining force" row, which the
   * arrows' directions and the coloured force names say again (4), then
   * the "Who contributes" heading, its sentences set off by a rule (5). */
  double tg = compact >= 1 ? 0.5 : 1.0;
  gboolean directions = compact < 4, who_heading = compact < 5;
  double body_pt = compact >= 3 ? 11 : compact >= 2 ? 12 : 13;
  CdForceBreakdown b = *panel->b;
  CdColor fg, muted;
  double fs, ls, pad, dx0, dx1, dw, y, col_w, ax0, ax1, cx, half, maxv, scale;
  double thick, gap, label_h, row_h, head, side_x, side_y, bottom;
  double vals[CD_N_FORCES];
  PangoLayout *labels[CD_N_FORCES] = { NULL };
  gboolean wide, two_line;

  fg = cd_palette_foreground (style);
  muted = cd_palette_muted (style);
  fs = style->font_scale;
  ls = style->line_scale;
  pad = (width < 400 * fs ? 10 : 14) * fs;
  wide = width >= 560 * fs;
  dx0 = pad;
  dx1 = wide ? pad + (width - 2 * pad) * 0.6 : width - pad;
  dw = dx1 - dx0;
  cairo_save (cr);

  /* title and subtitle across the whole width; without them, a figure
   * whose caption names the government */
  y = pad;
  if (show_title)
    {
      g_autofree char *name = escaped (cd_node_display_name (nd));
      g_autofree char *title = g_strdup_printf (_("Forces on %s"), name);
      g_autofree char *t_s = cd_render_format_value (b.t, 2);
      g_autofree char *x_s = cd_render_format_value (b.x, 3);
      g_autofree char *sub = g_strdup_printf (_("%s government · t = %s · coordination x = %s"),
                                              cd_level_label (nd->level), t_s, x_s);
      g_autofree char *sub_m = escaped (sub);
      PangoLayout *l;
      double h;

      l = text_layout (&c, width < 400 * fs ? 16 : 18, TRUE, title, width - 2 * pad, 1);
      layout_size (l, NULL, &h);
      put_text (&c, l, pad, y, CD_ANCHOR_START, CD_ANCHOR_START, fg);
      g_object_unref (l);
      y += h + 2 * fs * tg;
      l = text_layout (&c, body_pt, FALSE, sub_m, width - 2 * pad, 2);
      layout_size (l, NULL, &h);
      put_text (&c, l, pad, y, CD_ANCHOR_START, CD_ANCHOR_START, muted);
      g_object_unref (l);
      y += h + 4 * fs * tg;
      /* which part weighs most, under the title where a narrow panel
       * cannot cut it off: the reading the diagram is for */
      {
        g_autofree char *dominant = cd_force_dominance_text (model, &b);
        if (dominant != NULL)
          {
            g_autofree char *dm = escaped (dominant);
            l = text_layout (&c, body_pt, FALSE, dm, width - 2 * pad, 4);
            layout_size (l, NULL, &h);
            put_text (&c, l, pad, y, CD_ANCHOR_START, CD_ANCHOR_START, fg);
            g_object_unref (l);
            y += h;
          }
      }
      y += 6 * fs * tg;
    }

  vals[CD_FORCE_GRAVITY] = b.gravity;
  vals[CD_FORCE_PRESSURE] = b.pressure;
  vals[CD_FORCE_THRUST] = b.thrust;
  vals[CD_FORCE_RESISTANCE] = b.resistance;
  vals[CD_FORCE_NET] = b.net;
  maxv = 0;
  for (int k = 0; k < CD_N_FORCES; k++)
    {
      if (!isfinite (vals[k]) || (k != CD_FORCE_NET && vals[k] < 0))
        vals[k] = 0;
      maxv = MAX (maxv, fabs (vals[k]));
    }

  /* The label column: "name  value" on one line when it leaves the arrows
   * at least half the width, else name over value. */
  {
    double one = 0;
    for (int k = 0; k < CD_FORCE_NET; k++)
      {
        g_autofree char *name = escaped (cd_force_label ((CdForce) k));
        g_autofree char *val = fmt (vals[k]);
        g_autofree char *m = g_strdup_printf ("<b>%s</b>  %s", name, val);
        PangoLayout *l = text_layout (&c, 13, FALSE, m, -1, 1);
        double w;
        layout_size (l, &w, NULL);
        one = MAX (one, w);
        g_object_unref (l);
      }
    two_line = one > 0.5 * dw;
    col_w = 0;
    label_h = 0;
    /* the net force row has no label here: its sentence goes below it */
    for (int k = 0; k < CD_FORCE_NET; k++)
      {
        g_autofree char *name = escaped (cd_force_label ((CdForce) k));
        g_autofree char *val = fmt (vals[k]);
        g_autofree char *m = g_strdup_printf (two_line ? "<b>%s</b>\n%s" : "<b>%s</b>  %s",
                                              name, val);
        double w, h;
        labels[k] = text_layout (&c, 13, FALSE, m, two_line ? 0.45 * dw : -1, 2);
        layout_size (labels[k], &w, &h);
        col_w = MAX (col_w, w);
        label_h = MAX (label_h, h);
      }
  }
  ax0 = dx0 + col_w + 10 * fs;
  ax1 = dx1;
  half = (ax1 - ax0) / 2;
  cx = ax0 + half;
  /* room for the arrow head past the widest arrow */
  scale = maxv > 0 ? (half - 2 * ls) / maxv : 0;

  /* headings either side of the state line */
  if (directions)
    {
      double lw = cx - 6 * fs - dx0, rw = dx1 - cx - 6 * fs, wl, wr, hl, hr;
      PangoLayout *left, *right;
      g_autofree char *lm = escaped (_("driving forces →"));
      g_autofree char *rm = escaped (_("← restraining force"));

      left = text_layout (&c, 12, FALSE, lm, -1, 1);
      right = text_layout (&c, 12, FALSE, rm, -1, 1);
      layout_size (left, &wl, &hl);
      layout_size (right, &wr, &hr);
      if (wl <= lw && wr <= rw)
        {
          put_text (&c, left, cx - 6 * fs, y, CD_ANCHOR_END, CD_ANCHOR_START, muted);
          put_text (&c, right, cx + 6 * fs, y, CD_ANCHOR_START, CD_ANCHOR_START, muted);
          y += MAX (hl, hr) + 4 * fs * tg;
        }
      else if (compact >= 1 && wl + 12 * fs + wr <= dw)
        {
          /* short: one row still, the pair moved left as far as the right
           * one needs, the arrows under them saying which way each is */
          double rx = MIN (cx + 6 * fs, dx1 - wr), lx = MIN (cx - 6 * fs, rx - 12 * fs);

          put_text (&c, left, lx, y, CD_ANCHOR_END, CD_ANCHOR_START, muted);
          put_text (&c, right, rx, y, CD_ANCHOR_START, CD_ANCHOR_START, muted);
          y += MAX (hl, hr) + 4 * fs * tg;
        }
      else
        {
          /* narrow: one heading per row, the right one pulled left as far as
           * it needs to fit */
          g_object_unref (left);
          g_object_unref (right);
          left = text_layout (&c, 12, FALSE, lm, lw, 2);
          pango_layout_set_alignment (left, PANGO_ALIGN_RIGHT);
          layout_size (left, NULL, &hl);
          put_text (&c, left, cx - 6 * fs, y, CD_ANCHOR_END, CD_ANCHOR_START, muted);
          y += hl;
          if (wr <= rw)
            put_text (&c, right, cx + 6 * fs, y, CD_ANCHOR_START, CD_ANCHOR_START, muted);
          else
            {
              right = text_layout (&c, 12, FALSE, rm, dw, 2);
              layout_size (right, &wr, &hr);
              put_text (&c, right, dx1, y, CD_ANCHOR_END, CD_ANCHOR_START, muted);
            }
          y += hr + 4 * fs * tg;
        }
      g_object_unref (left);
      g_object_unref (right);
    }

  /* Each force's parts under its arrow, on the arrow's own side of the
   * state line when they fit in one row there (driving forces left of it,
   * resistance right), else across the whole width, wrapping; and the net
   * force's sentence. */
  Parts parts[CD_FORCE_NET];
  double cap_x[CD_FORCE_NET], cap_w[CD_FORCE_NET], cap_h[CD_FORCE_NET];
  PangoLayout *cap_n = NULL;
  double cap_n_x = ax0, cap_n_h = 0, caps_h = 0;
  {
    g_autofree char *val = fmt (b.net);
    g_autofree char *sentence = g_strdup_printf (b.net >= 0
                                                 ? _("net force %s: toward coordination")
                                                 : _("net force %s: away from coordination"),
                                                 val);
    g_autofree char *nm = escaped (sentence);
    double w;

    for (int k = 0; k < CD_FORCE_NET; k++)
      {
        double one, room_lo, room_hi;

        parts_of (model, &b, (CdForce) k, &parts[k]);
        parts_caption (&c, (CdForce) k, &parts[k], 0, 0, G_MAXDOUBLE / 4, FALSE, &one);
        room_lo = k == CD_FORCE_RESISTANCE ? cx + 6 * fs : dx0;
        room_hi = k == CD_FORCE_RESISTANCE ? dx1 : cx - 6 * fs;
        if (one <= room_hi - room_lo)
          {
            cap_x[k] = k == CD_FORCE_RESISTANCE ? room_lo : room_hi - one;
            cap_w[k] = one;
          }
        else
          {
            cap_x[k] = dx0;
            cap_w[k] = dw;
          }
        cap_h[k] = parts_caption (&c, (CdForce) k, &parts[k], 0, 0, cap_w[k], FALSE, &one);
        /* wrapped across the width: resistance's still ends at the right,
         * under its arrow; each as wide as its widest row, so that the
         * state line is broken only where a caption does cross it */
        if (k == CD_FORCE_RESISTANCE && cap_w[k] == dw)
          cap_x[k] = dx1 - one;
        cap_w[k] = one;
        caps_h += cap_h[k] > 0 ? cap_h[k] + 3 * fs * tg : 0;
      }

    /* indented under the arrows when that leaves it one line, else the
     * whole width */
    cap_n = text_layout (&c, 12, TRUE, nm, -1, 1);
    layout_size (cap_n, &w, NULL);
    if (w > ax1 - ax0)
      cap_n_x = dx0;
    g_object_unref (cap_n);
    cap_n = text_layout (&c, 12, TRUE, nm, dx1 - cap_n_x, 2);
    layout_size (cap_n, NULL, &cap_n_h);
  }

  /* Vertical budget: the diagram at its smallest first, then the text
   * beside or below it at its natural height, then spare room grows the
   * arrows and the gaps between rows. */
  {
    g_autofree char *who = contributions_text (model, system, nd, &b, !show_title);
    g_autofree char *who_m = escaped (who);
    PangoLayout *heading, *body;
    double min_thick = 4 * ls, max_thick = (wide ? 16 : 12) * ls;
    double min_gap = 4 * fs * tg, max_gap = (wide ? 22 : 12) * fs;
    double fixed, min_h, avail, spare, hh, bh, side_w, line_h;
    g_autofree char *heading_m = escaped (_("Who contributes"));

    fixed = 2 * fs + caps_h + 9 * fs * tg + cap_n_h + 2 * fs * tg;
    min_h = 5 * MAX (label_h, 2 * min_thick) + 3.5 * min_gap + fixed;
    side_w = wide ? width - pad - (dx1 + 1.5 * pad) : dw;
    side_x = wide ? dx1 + 1.5 * pad : dx0;

    heading = text_layout (&c, MIN (13, body_pt + 1), TRUE, heading_m, side_w, 1);
    layout_size (heading, NULL, &hh);
    if (!who_heading)
      hh = 0;
    body = text_layout (&c, body_pt, FALSE, who_m, side_w, 1000);
    pango_layout_set_spacing (body, (int) (4 * fs * tg * PANGO_SCALE));
    layout_size (body, NULL, &bh);
    {
      PangoLayoutIter *it = pango_layout_get_iter (body);
      PangoRectangle r;
      pango_layout_iter_get_line_extents (it, NULL, &r);
      line_h = (double) r.height / PANGO_SCALE;
      pango_layout_iter_free (it);
    }

    avail = height - pad - y;
    if (wide)
      spare = avail - min_h;
    else
      spare = avail - min_h - ((10 * fs + hh + 4 * fs) * tg + bh);
    spare = MAX (spare, 0);
    /* thicker arrows first, then wider gaps */
    thick = CLAMP (min_thick + spare / 10, min_thick, max_thick);
    spare -= 5 * (MAX (label_h, 2 * thick) - MAX (label_h, 2 * min_thick));
    gap = MIN (max_gap, min_gap + MAX (spare, 0) / 3.5);
    row_h = MAX (label_h, 2 * thick);
    head = thick * 1.6;

    side_y = wide ? y : 0;
    {
      double state_top = y - 2 * fs, state_bottom;
      double ry[CD_N_FORCES], cap_y[CD_FORCE_NET];

      for (int k = 0; k < CD_FORCE_NET; k++)
        {
          ry[k] = y + row_h / 2;
          y += row_h;
          cap_y[k] = y + 3 * fs * tg;
          if (cap_h[k] > 0)
            y += 3 * fs * tg + cap_h[k];
          y += k < CD_FORCE_RESISTANCE ? gap : 0;
        }
      state_bottom = y + 2 * fs;
      y += gap * 0.5;
      /* the rule between the forces and their sum */
      cd_color_set_source (cr, cd_palette_grid (style));
      cairo_set_line_width (cr, 1 * ls);
      cairo_move_to (cr, dx0, y + 2 * fs);
      cairo_line_to (cr, dx1, y + 2 * fs);
      cairo_stroke (cr);
      y += 9 * fs * tg;
      ry[CD_FORCE_NET] = y + row_h / 2;
      y += row_h;

      for (int k = 0; k < CD_N_FORCES; k++)
        {
          double len = fabs (vals[k]) * scale;

          /* the darker text shade: the fill reads below 4.5:1 as text */
          if (labels[k] != NULL)
            put_text (&c, labels[k], dx0, ry[k], CD_ANCHOR_START, CD_ANCHOR_CENTER,
                      cd_palette_force_text ((CdForce) k, style));
          if (k == CD_FORCE_RESISTANCE)
            force_arrow (&c, cx + len, cx, ry[k], thick, head, (CdForce) k, &parts[k]);
          else if (k == CD_FORCE_NET)
            force_arrow (&c, cx, cx + (vals[k] >= 0 ? len : -len), ry[k], thick, head,
                         (CdForce) k, NULL);
          else
            force_arrow (&c, cx - len, cx, ry[k], thick, head, (CdForce) k, &parts[k]);
          if (k < CD_FORCE_NET)
            parts_caption (&c, (CdForce) k, &parts[k], cap_x[k], cap_y[k], cap_w[k], TRUE,
                           NULL);
        }
      put_text (&c, cap_n, cap_n_x, y + 2 * fs * tg, CD_ANCHOR_START, CD_ANCHOR_START,
                cd_palette_force_text (CD_FORCE_NET, style));
      y += 2 * fs * tg + cap_n_h;

      /* the state line: where the government stands now, broken where a
       * caption runs across it */
      cd_color_set_source (cr, fg);
      cairo_set_line_width (cr, 2 * ls);
      {
        double from = state_top;
        for (int k = 0; k < CD_FORCE_NET; k++)
          if (cap_h[k] > 0 && cap_x[k] < cx + 2 * ls && cap_x[k] + cap_w[k] > cx - 2 * ls)
            {
              cairo_move_to (cr, cx, from);
              cairo_line_to (cr, cx, cap_y[k] - 1 * fs);
              from = cap_y[k] + cap_h[k] + 1 * fs;
            }
        cairo_move_to (cr, cx, from);
        cairo_line_to (cr, cx, state_bottom);
      }
      cairo_move_to (cr, cx, ry[CD_FORCE_NET] - row_h / 2 - 2 * fs);
      cairo_line_to (cr, cx, ry[CD_FORCE_NET] + row_h / 2 + 2 * fs);
      cairo_stroke (cr);
    }

    /* who contributes: beside the diagram when wide, below when narrow,
     * cut to the room left with "…" rather than clipped mid-line */
    bottom = y;
    if (!wide)
      side_y = y + 10 * fs * tg;
    avail = height - pad * 0.5 - side_y;
    if (avail >= hh + 4 * fs * tg + line_h && side_w > 20)
      {
        if (who_heading)
          put_text (&c, heading, side_x, side_y, CD_ANCHOR_START, CD_ANCHOR_START, fg);
        else
          {
            /* a hairline over the sentences, in the heading's place */
            cd_color_set_source (cr, cd_palette_grid (style));
            cairo_set_line_width (cr, 1 * ls);
            cairo_move_to (cr, side_x, side_y + 1 * fs * tg);
            cairo_line_to (cr, side_x + MIN (side_w, 40 * fs), side_y + 1 * fs * tg);
            cairo_stroke (cr);
          }
        double room = avail - hh - 4 * fs * tg, limit = room;

        /* Pango's height limit leaves the spacing between lines out, so a
         * body cut to it can still overrun: cut a line shorter until it
         * fits (without this, a 1080p presentation showed the heading and
         * no sentence at all) */
        pango_layout_set_ellipsize (body, PANGO_ELLIPSIZE_END);
        do
          {
            pango_layout_set_height (body, (int) (limit * PANGO_SCALE));
            layout_size (body, NULL, &bh);
            limit -= line_h;
          }
        while (bh > room + 0.5 && limit >= line_h);
        if (bh > 0 && bh <= room + 0.5)
          put_text (&c, body, side_x, side_y + hh + 4 * fs * tg, CD_ANCHOR_START, CD_ANCHOR_START,
                    fg);
        else
          c.cut++;
      }
    else
      c.cut += 2;   /* the heading and its sentences */
    g_object_unref (heading);
    g_object_unref (body);
  }
  g_object_unref (cap_n);
  for (int k = 0; k < CD_N_FORCES; k++)
    g_clear_object (&labels[k]);
  cairo_restore (cr);
  if (cut != NULL)
    *cut = c.cut;
  return bottom;
}

void
cd_render_force_field_boxes (cairo_t             *cr,
                             int                  width,
                             int                  height,
                             const CdModel       *model,
                             const CdSystem      *system,
                             const CdTrajectory  *traj,
                             guint                node,
                             guint                sample,
                             const CdRenderStyle *style,
                             GArray              *boxes)
{
  cd_render_force_field_full (cr, width, height, model, system, traj, node, sample, style, TRUE,
                              boxes);
}

static void force_field_draw (cairo_t             *cr,
                              int                  width,
                              int                  height,
                              const CdModel       *model,
                              const CdSystem      *system,
                              const CdTrajectory  *traj,
                              guint                node,
                              guint                sample,
                              const CdRenderStyle *style,
                              gboolean             show_title,
                              GArray              *boxes,
                              guint               *cut);

double
cd_render_force_field_height (int                  width,
                              const CdModel       *model,
                              const CdSystem      *system,
                              const CdTrajectory  *traj,
                              guint                node,
                              guint                sample,
                              const CdRenderStyle *style,
                              gboolean             show_title)
{
  g_autoptr (GArray) boxes = g_array_new (FALSE, FALSE, sizeof (CdRenderBox));
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  double tall, bottom = 0;

  style = cd_render_style_or_default (style);
  /* Laid out with room to spare (arrows and gaps at their largest), then
   * measured by what it drew; the room below is the margin above. */
  tall = MAX (width, 400) * 3.0;
  force_field_draw (cr, width, (int) tall, model, system, traj, node, sample, style, show_title,
                    boxes, NULL);
  for (guint i = 0; i < boxes->len; i++)
    {
      const CdRenderBox *b = &g_array_index (boxes, CdRenderBox, i);
      bottom = MAX (bottom, b->y + b->height);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  if (boxes->len == 0)
    return MAX (width * 0.5, 100);
  return ceil (bottom + (width < 400 * style->font_scale ? 10 : 14) * style->font_scale);
}

/* A pass drawn into a group that is thrown away, for its measures: the
 * texts it cut, and (if bottom is not NULL) how far down it reached. */
static guint
measure_pass (const Panel         *panel,
              const CdRenderStyle *style,
              int                  compact,
              double              *bottom)
{
  guint cut = 0;
  double reached;

  cairo_push_group (panel->cr);
  reached = force_field_pass (panel, style, compact, NULL, &cut);
  cairo_pattern_destroy (cairo_pop_group (panel->cr));
  if (bottom != NULL)
    *bottom = reached;
  return cut;
}

static void
force_field_draw (cairo_t             *cr,
                  int                  width,
                  int                  height,
                  const CdModel       *model,
                  const CdSystem      *system,
                  const CdTrajectory  *traj,
                  guint                node,
                  guint                sample,
                  const CdRenderStyle *style,
                  gboolean             show_title,
                  GArray              *boxes,
                  guint               *cut)
{
  CdForceBreakdown b;
  CdRenderStyle s;
  const CdNode *nd;
  Panel panel;
  double floor_scale;
  guint n = 0;              /* texts the last measured pass cut */
  gboolean counted = FALSE; /* n is compact level 0's at the size s has now */

  g_return_if_fail (cr != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  if (model == NULL || system == NULL || cd_system_get_n_nodes (system) != model->nodes->len)
    {
      cd_render_message (cr, width, height,
                         _("No compiled model: check the model for errors."), style);
      return;
    }
  if (!cd_force_breakdown_compute (system, traj, node, sample, &b))
    {
      cd_render_message (cr, width, height,
                         _("Select a government to see the forces on it."), style);
      return;
    }
  nd = g_ptr_array_index (model->nodes, node);
  panel = (Panel) { cr, width, height, model, system, nd, &b, show_title };

  /* A panel too short for the diagram at this type size (projector type in
   * a side panel) gets smaller type and lines, down to 0.8 of normal
   * (0.6 of projector type), rather than losing its bottom rows.  Measured
   * in a throw-away group (measure_pass) so that the metrics are the
   * target's. */
  s = *style;
  floor_scale = MIN (style->font_scale, MAX (0.8, 0.6 * style->font_scale));
  for (int attempt = 0; attempt < 6; attempt++)
    {
      double bottom;

      n = measure_pass (&panel, &s, 0, &bottom);
      if (bottom <= height - 4 || s.font_scale <= floor_scale + 1e-9)
        {
          counted = TRUE;
          break;
        }
      s.font_scale = MAX (s.font_scale * MAX (0.9 * (height - 4) / bottom, 0.6), floor_scale);
      s.line_scale = style->line_scale * s.font_scale / style->font_scale;
    }

  /* Then every word of the text: the panel compacted a step at a time
   * until nothing is cut ("Largest superior" with a long name in a
   * 400 px side panel, four sentences under a projector's diagram).  Only
   * desktop type shrinks further, to the floor above; a projector's is at
   * the room's smallest already.  The pass above that ended the loop
   * already counted what compact level 0 cuts at this size. */
  {
    const int most = 5;
    int compact = 0;

    if (!counted)
      n = measure_pass (&panel, &s, 0, NULL);
    while (n > 0 && compact < most)
      n = measure_pass (&panel, &s, ++compact, NULL);
    while (n > 0 && style->font_scale <= 1 + 1e-9 && s.font_scale > floor_scale + 1e-9)
      {
        s.font_scale = MAX (s.font_scale * 0.95, floor_scale);
        s.line_scale = style->line_scale * s.font_scale / style->font_scale;
        n = measure_pass (&panel, &s, compact, NULL);
      }
    force_field_pass (&panel, &s, compact, boxes, cut);
  }
}

void
cd_render_force_field_full (cairo_t             *cr,
                            int                  width,
                            int                  height,
                            const CdModel       *model,
                            const CdSystem      *system,
                            const CdTrajectory  *traj,
                            guint                node,
                            guint                sample,
                            const CdRenderStyle *style,
                            gboolean             show_title,
                            GArray              *boxes)
{
  force_field_draw (cr, width, height, model, system, traj, node, sample, style, show_title,
                    boxes, NULL);
}

guint
cd_render_force_field_cut (int                  width,
                           int                  height,
                           const CdModel       *model,
                           const CdSystem      *system,
                           const CdTrajectory  *traj,
                           guint                node,
                           guint                sample,
                           const CdRenderStyle *style,
                           gboolean             show_title)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  guint cut = 0;

  force_field_draw (cr, width, height, model, system, traj, node, sample, style, show_title,
                    NULL, &cut);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return cut;
}

void
cd_render_force_field (cairo_t             *cr,
                       int                  width,
                       int                  height,
                       const CdModel       *model,
                       const CdSystem      *system,
                       const CdTrajectory  *traj,
                       guint                node,
                       guint                sample,
                       const CdRenderStyle *style)
{
  cd_render_force_field_boxes (cr, width, height, model, system, traj, node, sample, style, NULL);
}
