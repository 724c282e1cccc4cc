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
  g_autoptr(CdWorkspace) ws = NULL;
  g_autofree double *y = NULL, *dydt = NULL, *buf = NULL;
  const CdPiece *piece;
  CdForces forces;
  guint n, np;
  double g_b, g_t, p_a, sum, best;

  g_return_val_if_fail (system != NULL && out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  out->top_partner = out->top_superior = -1;
  n = system->n_nodes;
  np = system->n_partnerships;
  if (node >= n)
    return FALSE;
  if (traj != NULL && (traj->n_nodes != n || traj->n_samples == 0))
    traj = NULL;   /* results of another model */

  y = g_new0 (double, system->n_state);
  dydt = g_new0 (double, system->n_state);
  buf = g_new0 (double, 4 * (gsize) n);
  cd_system_initial_state (system, y);
  if (traj != NULL)
    {
      sample = MIN (sample, traj->n_samples - 1);
      out->t = traj->t[sample];
      memcpy (y, traj->x + (gsize) sample * n, n * sizeof (double));
      if (traj->trust != NULL && traj->n_partnerships == np)
        memcpy (y + n, traj->trust + (gsize) sample * np, np * sizeof (double));
      y[n + np] = traj->loss[sample];
    }
  forces.gravity = buf;
  forces.pressure = buf + n;
  forces.thrust = buf + 2 * n;
  forces.resistance = buf + 3 * n;
  ws = cd_workspace_new (system);
  piece = &system->pieces[cd_system_piece_at (system, out->t)];
  cd_system_evaluate (system, piece, out->t, y, dydt, &forces, ws);

  out->x = y[node];
  out->gravity = forces.gravity[node];
  out->pressure = forces.pressure[node];
  out->thrust = forces.thrust[node];
  out->resistance = forces.resistance[node];
  out->net = out->gravity + out->pressure + out->thrust - out->resistance;

  g_b = piece->params[CD_PARAM_GRAVITY_INTEREST];
  g_t = piece->params[CD_PARAM_GRAVITY_TRUST];
  p_a = piece->params[CD_PARAM_PRESSURE_ADMIN];

  /* Partner contributions to G_i: (g_b b_ij + g_τ τ_ij) x_j / k_i. */
  sum = 0;
  best = -1;
  for (guint k = system->partner_start[node]; k < system->partner_start[node + 1]; k++)
    {
      guint j = system->partner_node[k], e = system->partner_edge[k];
      double c = (g_b * system->pair_interest[e] + g_t * y[n + e]) * y[j];
      sum += c;
      if (c > best)
        {
          best = c;
          out->top_partner = (int) j;
        }
    }
  out->top_partner_share = sum > 0 ? best / sum : 0;

  /* Superior contributions to H_i: h_si x_s / Σ h. */
  sum = 0;
  best = -1;
  for (guint k = system->superior_start[node]; k < system->superior_start[node + 1]; k++)
    {
      guint s = system->superior_node[k];
      double c = system->superior_weight[k] * y[s];
      sum += c;
      if (c > best)
        {
          best = c;
          out->top_superior = (int) s;
        }
    }
  out->top_superior_share = sum > 0 ? best / sum : 0;
  out->pressure_admin = p_a * sum * system->inv_weight_sum[node];
  /* The rest of P_i is the crisis term p_c v_i C_i. */
  out->pressure_crisis = MAX (out->pressure - out->pressure_admin, 0);
  return TRUE;
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

static char *
pct (double share)
{
  return g_strdup_printf ("%d %%", (int) lround (CLAMP (share, 0, 1) * 100));
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
  CdForceBreakdown b;
  const CdNode *nd;
  CdColor fg, muted;
  double fs, ls, pad, dw, cx, top, rowh, maxv, scale, thick, head, side_x;
  g_autofree char *title = NULL, *sub = NULL, *t_s = NULL, *x_s = NULL;
  double vals[4];
  PangoLayout *layout, *bold;
  gboolean narrow;

  g_return_if_fail (cr != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  if (model == NULL || system == NULL || system->n_nodes != model->nodes->len)
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
  fg = cd_palette_foreground (style);
  muted = cd_palette_muted (style);
  fs = style->font_scale;
  ls = style->line_scale;
  pad = 14 * fs;
  narrow = width < 560 * fs;
  /* Side panel to the right on a wide canvas, below on a narrow one. */
  dw = narrow ? width - 2 * pad : (width - 2 * pad) * 0.6;
  side_x = narrow ? pad : pad + dw + pad;

  title = g_strdup_printf (_("Forces on %s"), cd_node_display_name (nd));
  t_s = cd_render_format_value (b.t, 2);
  x_s = cd_render_format_value (b.x, 3);
  sub = g_strdup_printf (_("%s government · t = %s · coordination x = %s"),
                         cd_level_label (nd->level), t_s, x_s);
  {
    double h1, h2;
    cd_render_text (cr, style, title, 18, TRUE, pad, pad, CD_ANCHOR_START, CD_ANCHOR_START, fg,
                    &h1);
    cd_render_text (cr, style, sub, 13, FALSE, pad, pad + h1 + 2, CD_ANCHOR_START,
                    CD_ANCHOR_START, muted, &h2);
    top = pad + h1 + h2 + 40 * fs;
  }

  layout = cd_render_layout (cr, style, 13, FALSE);
  bold = cd_render_layout (cr, style, 13, TRUE);
  {
    double avail = (narrow ? height * 0.62 : height - pad) - top;
    rowh = CLAMP (avail / 5.6, 30 * fs, 110 * fs);
    /* centre the diagram in the room it has */
    if (!narrow)
      top += MAX (avail - rowh * 5.2, 0) / 2;
  }
  thick = CLAMP (rowh * 0.22, 6 * ls, 24 * ls);
  head = thick * 1.6;
  vals[0] = b.gravity;
  vals[1] = b.pressure;
  vals[2] = b.thrust;
  vals[3] = b.resistance;
  maxv = 0;
  for (int k = 0; k < 4; k++)
    {
      if (!isfinite (vals[k]) || vals[k] < 0)
        vals[k] = 0;
      maxv = MAX (maxv, vals[k]);
    }
  maxv = MAX (maxv, fabs (b.net));
  cx = pad + dw * 0.5;
  scale = maxv > 0 ? (dw * 0.46) / maxv : 0;

  /* The state line: where the government stands now. */
  cairo_save (cr);
  cd_color_set_source (cr, fg);
  cairo_set_line_width (cr, 2 * ls);
  cairo_move_to (cr, cx, top - 6 * fs);
  cairo_line_to (cr, cx, top + rowh * 3.2);
  cairo_stroke (cr);
  cd_render_layout_set (layout, _("driving forces →"), NULL, NULL);
  cd_render_layout_draw (cr, layout, cx - 8 * fs, top - 8 * fs, CD_ANCHOR_END, CD_ANCHOR_END,
                         muted);
  cd_render_layout_set (layout, _("← restraining force"), NULL, NULL);
  cd_render_layout_draw (cr, layout, cx + 8 * fs, top - 8 * fs, CD_ANCHOR_START, CD_ANCHOR_END,
                         muted);

  /* driving: gravity, pressure, thrust from the left */
  for (int k = 0; k < 3; k++)
    {
      double y = top + rowh * (k + 0.5);
      double len = vals[k] * scale;
      g_autofree char *val = fmt (vals[k]);
      g_autofree char *lab = g_strdup_printf ("%s  %s", cd_force_label ((CdForce) k), val);
      CdColor c = cd_palette_force ((CdForce) k, style);
      if (k == CD_FORCE_PRESSURE && len > 0.5 && b.pressure > 0)
        {
          /* the crisis part is hatched, the administrative part solid: the
           * theory's two sources of pressure, in one colour */
          double admin_len = len * CLAMP (b.pressure_admin / b.pressure, 0, 1);
          fat_arrow (cr, cx - len, cx, y, thick, MIN (head, len));
          cd_color_set_source (cr, c);
          cairo_fill (cr);
          if (len - admin_len > 0.5)
            {
              cairo_save (cr);
              cairo_rectangle (cr, cx - len + admin_len, y - thick * 1.1, len - admin_len + 1,
                               thick * 2.2);
              cairo_clip (cr);
              fat_arrow (cr, cx - len, cx, y, thick, MIN (head, len));
              cairo_clip (cr);
              cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (style), 0.7));
              cairo_set_line_width (cr, 2.0 * ls);
              for (double hx = cx - len - thick * 2; hx < cx + thick * 2; hx += 7 * ls)
                {
                  cairo_move_to (cr, hx, y + thick * 1.2);
                  cairo_line_to (cr, hx + thick * 2.4, y - thick * 1.2);
                }
              cairo_stroke (cr);
              cairo_restore (cr);
            }
        }
      else if (len > 0.5)
        {
          fat_arrow (cr, cx - len, cx, y, thick, MIN (head, len));
          cd_color_set_source (cr, c);
          cairo_fill (cr);
        }
      cd_render_layout_set (bold, lab, NULL, NULL);
      cd_render_layout_draw (cr, bold, MAX (cx - len, pad), y - thick - 2, CD_ANCHOR_START,
                             CD_ANCHOR_END, c);
      if (k == CD_FORCE_PRESSURE)
        {
          g_autofree char *adm = fmt (b.pressure_admin), *cri = fmt (b.pressure_crisis);
          g_autofree char *split = g_strdup_printf (_("administrative %s (solid) · crisis %s (hatched)"),
                                                    adm, cri);
          cd_render_layout_set (layout, split, NULL, NULL);
          cd_render_layout_draw (cr, layout, MAX (cx - len, pad), y + thick + 2, CD_ANCHOR_START,
                                 CD_ANCHOR_START, muted);
        }
    }
  /* restraining: resistance from the right, level with pressure */
  {
    double y = top + rowh * 1.5;
    double len = vals[3] * scale;
    g_autofree char *val = fmt (vals[3]);
    g_autofree char *lab = g_strdup_printf ("%s  %s", cd_force_label (CD_FORCE_RESISTANCE), val);
    CdColor c = cd_palette_force (CD_FORCE_RESISTANCE, style);
    if (len > 0.5)
      {
        fat_arrow (cr, cx + len, cx, y, thick, MIN (head, len));
        cd_color_set_source (cr, c);
        cairo_fill (cr);
      }
    cd_render_layout_set (bold, lab, NULL, NULL);
    cd_render_layout_draw (cr, bold, MIN (cx + len, pad + dw), y - thick - 2, CD_ANCHOR_END,
                           CD_ANCHOR_END, c);
  }
  /* net force, below a rule */
  {
    double y = top + rowh * 3.9;
    double len = fabs (b.net) * scale;
    CdColor c = cd_palette_force (CD_FORCE_NET, style);
    g_autofree char *val = fmt (b.net);
    g_autofree char *lab = g_strdup_printf (b.net >= 0 ? _("net force %s: toward coordination")
                                                       : _("net force %s: away from coordination"),
                                            val);
    cd_color_set_source (cr, cd_palette_grid (style));
    cairo_set_line_width (cr, 1 * ls);
    cairo_move_to (cr, pad, top + rowh * 3.25);
    cairo_line_to (cr, pad + dw, top + rowh * 3.25);
    cairo_stroke (cr);
    if (len > 0.5)
      {
        fat_arrow (cr, cx, cx + (b.net >= 0 ? len : -len), y, thick, MIN (head, len));
        cd_color_set_source (cr, c);
        cairo_fill (cr);
      }
    cd_color_set_source (cr, fg);
    cairo_set_line_width (cr, 2 * ls);
    cairo_move_to (cr, cx, y - thick * 1.3);
    cairo_line_to (cr, cx, y + thick * 1.3);
    cairo_stroke (cr);
    cd_render_layout_set (bold, lab, NULL, NULL);
    cd_render_layout_draw (cr, bold, cx, y + thick + 4 * fs, CD_ANCHOR_CENTER, CD_ANCHOR_START,
                           c);
  }

  /* side panel: who contributes */
  {
    double y = narrow ? top + rowh * 4.9 : top;
    double lh;
    GString *text = g_string_new (NULL);
    g_autofree char *adm = fmt (b.pressure_admin), *cri = fmt (b.pressure_crisis);

    if (b.top_partner >= 0)
      {
        g_autofree char *p = pct (b.top_partner_share);
        g_string_append_printf (text, _("Largest pull of gravity: %s (%s of it)"),
                                cd_node_display_name (g_ptr_array_index (model->nodes,
                                                                         b.top_partner)), p);
      }
    else
      g_string_append (text, _("No partners: no gravity."));
    g_string_append_c (text, '\n');
    g_string_append_printf (text, _("Pressure: administrative %s, crisis %s"), adm, cri);
    g_string_append_c (text, '\n');
    if (b.top_superior >= 0)
      {
        g_autofree char *p = pct (b.top_superior_share);
        g_string_append_printf (text, _("Largest superior: %s (%s of administrative pressure)"),
                                cd_node_display_name (g_ptr_array_index (model->nodes,
                                                                         b.top_superior)), p);
      }
    else
      g_string_append (text, _("No superior: no administrative pressure."));
    if (system->rule == CD_RULE_LOGIT)
      {
        const CdPiece *piece = &system->pieces[cd_system_piece_at (system, b.t)];
        double beta = piece->params[CD_PARAM_DYNAMICS_RATIONALITY];
        double target = 1.0 / (1.0 + exp (-beta * b.net));
        g_autofree char *tg = fmt (target);
        g_string_append_c (text, '\n');
        g_string_append_printf (text, _("Moving toward x = σ(βF) = %s"), tg);
      }
    if (nd->fixed)
      {
        g_string_append_c (text, '\n');
        g_string_append (text, _("Stance fixed: x is held at its initial value."));
      }
    pango_layout_set_width (layout, (int) ((narrow ? width - 2 * pad : width - side_x - pad)
                                           * PANGO_SCALE));
    pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_spacing (layout, (int) (6 * fs * PANGO_SCALE));
    cd_render_layout_set (bold, _("Who contributes"), NULL, &lh);
    cd_render_layout_draw (cr, bold, side_x, y, CD_ANCHOR_START, CD_ANCHOR_START, fg);
    cd_render_layout_set (layout, text->str, NULL, NULL);
    cd_render_layout_draw (cr, layout, side_x, y + lh + 6 * fs, CD_ANCHOR_START, CD_ANCHOR_START,
                           fg);
    g_string_free (text, TRUE);
  }
  cairo_restore (cr);
  g_object_unref (layout);
  g_object_unref (bold);
}
