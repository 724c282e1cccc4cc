/* test-factors.c — each force drawn in its parts (docs/model.md, "Force
 * factors"), and the emergency command system drawn apart.
 *
 * The parts are checked where a reader meets them: the parts of every
 * force sum to it, in both model versions; a glyph's bars are split in
 * the parts' proportions, measured in pixels; the legends name the parts
 * (and, for a model with emergency command lines, both roles of a line);
 * an emergency command line is drawn dashed in its own colour and an
 * administrative one is not; the dominance sentence names the largest
 * part.  Snapshots land in render-snapshots for a person to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>

#include "cd-render.h"
#include "cd-render-private.h"
#include "cd-render-test-util.h"
#include "cd-simulate.h"

/* Two twin cities that are partners, each under a province (an
 * administrative line) and, in version 2, a headquarters (an emergency
 * line), and a flood that hits both: every part of every force has
 * something in it mid-flood.  The twins are alike, so that their glyphs
 * are too. */
static CdModel *
twins_model (int      version,
             gboolean emergency)
{
  CdModel *m = cd_model_new_version (version);
  static const struct { const char *id; CdLevel level; double x, y; } nodes[] = {
    /* a diamond, so that the legend has a free corner */
    { "prov", CD_LEVEL_PROVINCIAL, 200, 0 },
    { "hq", CD_LEVEL_OTHER, 200, 600 },
    { "city-a", CD_LEVEL_MUNICIPAL, 0, 300 },
    { "city-b", CD_LEVEL_MUNICIPAL, 400, 300 },
  };
  CdEvent *ev;
  CdEdge *e;

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      CdNode *n = cd_node_new (nodes[i].id);
      n->level = nodes[i].level;
      n->has_pos = TRUE;
      n->pos[0] = nodes[i].x;
      n->pos[1] = nodes[i].y;
      n->x0 = 0.3;
      g_ptr_array_add (m->nodes, n);
    }
  g_ptr_array_add (m->edges, cd_edge_new (CD_EDGE_COMMAND, "prov", "city-a"));
  g_ptr_array_add (m->edges, cd_edge_new (CD_EDGE_COMMAND, "prov", "city-b"));
  e = cd_edge_new (CD_EDGE_COMMAND, "hq", "city-a");
  if (emergency)
    e->role = CD_ROLE_EMERGENCY;
  g_ptr_array_add (m->edges, e);
  e = cd_edge_new (CD_EDGE_COMMAND, "hq", "city-b");
  if (emergency)
    e->role = CD_ROLE_EMERGENCY;
  g_ptr_array_add (m->edges, e);
  e = cd_edge_new (CD_EDGE_PARTNERSHIP, "city-a", "city-b");
  e->trust = 0.4;
  g_ptr_array_add (m->edges, e);
  ev = cd_event_new ();
  ev->onset = 2;
  ev->magnitude = 0.6;
  ev->decay = 30;
  cd_event_set_impact (ev, "city-a", 1.0);
  cd_event_set_impact (ev, "city-b", 1.0);
  g_ptr_array_add (m->events, ev);
  m->sim.t_end = 20;
  m->sim.dt = 0.5;
  return m;
}

static const CdForce driving_and_resistance[] = {
  CD_FORCE_GRAVITY, CD_FORCE_PRESSURE, CD_FORCE_THRUST, CD_FORCE_RESISTANCE,
};

static double
force_of (const CdForceBreakdown *b,
          CdForce                 force)
{
  switch (force)
    {
    case CD_FORCE_GRAVITY:
      return b->gravity;
    case CD_FORCE_PRESSURE:
      return b->pressure;
    case CD_FORCE_THRUST:
      return b->thrust;
    default:
      return b->resistance;
    }
}

/* Every factor of a force in exactly one of its parts, and the parts'
 * values summing to the force, for every government at every sample. */
static void
check_parts_sum (int version)
{
  Run run = { 0 };
  guint expect[2][4] = { { 2, 2, 2, 2 }, { 2, 3, 2, 3 } };

  run_init (&run, twins_model (version, version >= 2));
  for (guint k = 0; k < 4; k++)
    {
      CdFactorPart parts[CD_MAX_FACTOR_PARTS];
      CdForce force = driving_and_resistance[k];
      guint n = cd_factor_parts (version, force, parts), seen = 0, all = 0;

      g_assert_cmpuint (n, ==, expect[version - 1][k]);
      for (guint j = 0; j < n; j++)
        {
          g_assert_cmpuint (seen & parts[j].mask, ==, 0);
          seen |= parts[j].mask;
          g_assert_nonnull (parts[j].label);
          g_assert_cmpuint (parts[j].shade, <, 3);
          /* no two parts of a force share a shade */
          for (guint i = 0; i < j; i++)
            g_assert_cmpuint (parts[i].shade, !=, parts[j].shade);
        }
      for (guint f = 0; f < CD_N_FACTORS; f++)
        if ((CdForce) cd_factor_force ((CdFactor) f) == force
            && !(version < 2 && f == CD_FACTOR_P_COMMAND))
          all |= 1u << f;
      g_assert_cmpuint (seen, ==, all);
    }
  {
    CdFactorPart none[CD_MAX_FACTOR_PARTS];
    g_assert_cmpuint (cd_factor_parts (version, CD_FORCE_NET, none), ==, 0);
  }

  for (guint s = 0; s < run.traj->n_samples; s += 3)
    for (guint i = 0; i < run.model->nodes->len; i++)
      {
        CdForceBreakdown b;
        g_assert_true (cd_force_breakdown_compute (run.system, run.traj, i, s, &b));
        for (guint k = 0; k < 4; k++)
          {
            CdFactorPart parts[CD_MAX_FACTOR_PARTS];
            CdForce force = driving_and_resistance[k];
            guint n = cd_factor_parts (version, force, parts);
            double sum = 0;
            for (guint j = 0; j < n; j++)
              sum += cd_factor_part_value (&parts[j], b.factor);
            g_assert_cmpfloat_with_epsilon (sum, force_of (&b, force),
                                            1e-9 * MAX (1, fabs (force_of (&b, force))));
          }
      }
  run_clear (&run);
}

static void
test_parts_sum_v1 (void)
{
  check_parts_sum (1);
}

static void
test_parts_sum_v2 (void)
{
  check_parts_sum (2);
}

/* Whether the pixel at (x, y) is within tol of c. */
static gboolean
pixel_is (cairo_surface_t *s,
          int              x,
          int              y,
          CdColor          c,
          int              tol)
{
  const guint8 *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  guint32 p;

  if (x < 0 || y < 0 || x >= cairo_image_surface_get_width (s)
      || y >= cairo_image_surface_get_height (s))
    return FALSE;
  p = *(const guint32 *) (data + y * stride + x * 4);
  return abs ((int) ((p >> 16) & 0xff) - (int) lround (c.r * 255)) <= tol
         && abs ((int) ((p >> 8) & 0xff) - (int) lround (c.g * 255)) <= tol
         && abs ((int) (p & 0xff) - (int) lround (c.b * 255)) <= tol;
}

/* Pixels of colour c on row y between x0 and x1. */
static int
run_of (cairo_surface_t *s,
        int              y,
        int              x0,
        int              x1,
        CdColor          c)
{
  int n = 0;

  for (int x = x0; x <= x1; x++)
    n += pixel_is (s, x, y, c, 3);
  return n;
}

/* The network at `sample`, fitted with room for the glyphs, with or
 * without its legend. */
static cairo_surface_t *
draw (Run                 *run,
      guint                sample,
      const CdRenderStyle *style,
      int                  w,
      int                  h,
      CdNetworkView       *view,
      gboolean             legend)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);
  CdNetworkOverlay ov;

  cd_network_overlay_init (&ov);
  ov.show_legend = legend;
  cd_network_view_sync (view, run->model);
  cd_network_view_fit_for (view, w, h, 60, style, TRUE);
  cd_render_network (cr, w, h, view, run->model, run->system, run->traj, sample, &ov, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* City A's glyph, on the row through its bars: each force's bar is split
 * into its parts' shades in the parts' proportions, and the bars of the
 * four forces are in the forces' proportions. */
static void
test_glyph_split (void)
{
  Run run = { 0 };
  CdRenderStyle style;
  g_autoptr (CdNetworkView) view = cd_network_view_new ();
  cairo_surface_t *s;
  CdForceBreakdown b;
  guint sample;
  int a;
  double mx, my, px, py, r, row_y, width[4], total_px = 0, total_v = 0, gs;

  /* large type and lines (glyph unit 8 px), so that the glyph's bars are
   * wide enough to measure */
  cd_render_style_init (&style, CD_STYLE_NORMAL);
  style.line_scale = style.font_scale = 4;
  gs = 8;
  run_init (&run, twins_model (2, TRUE));
  sample = cd_trajectory_index_at (run.traj, 8.0);
  a = cd_model_find_node (run.model, "city-a");
  s = draw (&run, sample, &style, 1800, 1400, view, FALSE);
  save_snapshot (s, "factors-glyphs");
  g_assert_true (cd_force_breakdown_compute (run.system, run.traj, a, sample, &b));

  cd_network_view_node_position (view, a, &mx, &my);
  cd_network_view_to_pixels (view, mx, my, &px, &py);
  r = cd_network_view_node_radius (view, a, &style);
  /* draw_glyph's bar: 4 lines' width under the rim, 6 glyph units tall;
   * its middle row */
  row_y = py + r + 4 * style.line_scale + 3 * gs;
  for (guint k = 0; k < 4; k++)
    {
      CdForce force = driving_and_resistance[k];
      CdFactorPart parts[CD_MAX_FACTOR_PARTS];
      guint n = cd_factor_parts (2, force, parts);
      int px_part[CD_MAX_FACTOR_PARTS], sum = 0;
      double value = force_of (&b, force);

      g_assert_cmpuint (n, >=, 2);
      for (guint j = 0; j < n; j++)
        {
          px_part[j] = run_of (s, (int) row_y, (int) (px - 2 * r - 200), (int) (px + 2 * r + 200),
                               cd_palette_factor (force, parts[j].shade, &style));
          sum += px_part[j];
        }
      g_test_message ("%s %.3f: %d px in %u parts", cd_force_key (force), value, sum, n);
      {
        /* what is drawn over the bar: a gap of half a glyph unit before
         * each part after the first that is wider than two gaps (as
         * glyph_parts cuts them), and half the zero tick (a unit wide) on
         * the part next to zero (gravity's first, resistance's last) */
        double gap = 0.5 * gs, bar = sum, expect[CD_MAX_FACTOR_PARTS], v[CD_MAX_FACTOR_PARTS];
        guint shown = 0;

        for (int pass = 0; pass < 2; pass++)
          {
            double lost = 0;
            shown = 0;
            for (guint j = 0; j < n; j++)
              {
                double pw;
                v[j] = cd_factor_part_value (&parts[j], b.factor);
                pw = bar * v[j] / value;
                expect[j] = pw;
                if (pw <= 0)
                  continue;
                if (shown > 0 && pw > 2 * gap)
                  expect[j] -= gap;
                shown++;
              }
            if (k == 0)
              expect[0] -= gs / 2;
            if (k == 3)
              expect[n - 1] -= gs / 2;
            /* the bar's full width from what was seen and what is lost */
            for (guint j = 0; j < n; j++)
              lost += bar * v[j] / value - MAX (expect[j], 0);
            bar = sum + lost;
          }
        for (guint j = 0; j < n; j++)
          {
            g_test_message ("  %s %.3f: %d px of %.1f expected", parts[j].label, v[j],
                            px_part[j], expect[j]);
            /* each part's share of its bar, to a pixel of anti-aliasing
             * each side */
            g_assert_cmpfloat (fabs (px_part[j] - MAX (expect[j], 0)), <=, 2.5);
            if (v[j] / value > 0.1)
              g_assert_cmpint (px_part[j], >, 0);
          }
        width[k] = bar;
      }
      total_px += width[k];
      total_v += value;
    }
  for (guint k = 0; k < 4; k++)
    g_assert_cmpfloat (fabs (width[k] / total_px - force_of (&b, driving_and_resistance[k])
                             / total_v), <, 0.05);
  cairo_surface_destroy (s);
  run_clear (&run);
}

/* The texts a drawing shows, from the render library's text probe. */
static GPtrArray *
texts_of_strip (const CdModel       *model,
                const CdRenderStyle *style)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1600, 400);
  cairo_t *cr = cairo_create (s);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  cd_render_probe_begin ();
  cd_render_network_legend_strip (cr, 0, 0, 1600, model, TRUE, TRUE, style, NULL);
  cd_render_probe_end_texts (NULL, texts);
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return texts;
}

static GPtrArray *
texts_of_full (const CdModel       *model,
               const CdRenderStyle *style)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 900);
  cairo_t *cr = cairo_create (s);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  cd_render_probe_begin ();
  cd_render_network_legend_for (cr, 0, 0, 300, model, TRUE, style);
  cd_render_probe_end_texts (NULL, texts);
  save_snapshot (s, model != NULL && model->version >= 2 ? "factors-legend-v2"
                                                           : "factors-legend");
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  return texts;
}

static gboolean
has_text (GPtrArray  *texts,
          const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (strstr (g_ptr_array_index (texts, i), text) != NULL)
      return TRUE;
  return FALSE;
}

/* The legends name each force's parts, in the glyphs' order, and the two
 * roles of a command line where the model has emergency ones. */
static void
test_legends (void)
{
  CdRenderStyle style;
  g_autoptr (CdModel) v1 = twins_model (1, FALSE);
  g_autoptr (CdModel) v2 = twins_model (2, TRUE);
  g_autoptr (CdModel) v2_admin = twins_model (2, FALSE);

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  {
    g_autoptr (GPtrArray) t = texts_of_strip (v2, &style);
    g_assert_true (has_text (t, "gravity (interest · trust)"));
    g_assert_true (has_text (t, "pressure (administrative · command · crisis)"));
    g_assert_true (has_text (t, "thrust (information · appraisal)"));
    g_assert_true (has_text (t, "resistance (ideas · powers · benefits)"));
    g_assert_true (has_text (t, "emergency command"));
    g_assert_true (has_text (t, "administrative command"));
  }
  {
    /* model 1: one fragmentation channel, no command part, no roles */
    g_autoptr (GPtrArray) t = texts_of_strip (v1, &style);
    g_assert_true (has_text (t, "pressure (administrative · crisis)"));
    g_assert_true (has_text (t, "resistance (fragmentation · benefits)"));
    g_assert_false (has_text (t, "emergency command"));
    g_assert_false (has_text (t, "command ·"));
  }
  {
    g_autoptr (GPtrArray) t = texts_of_strip (v2_admin, &style);
    g_assert_true (has_text (t, "pressure (administrative · command · crisis)"));
    g_assert_false (has_text (t, "emergency command"));
  }
  {
    /* without a model, the legend as it always was */
    g_autoptr (GPtrArray) t = texts_of_strip (NULL, &style);
    g_assert_true (has_text (t, "gravity"));
    g_assert_false (has_text (t, "interest"));
  }
  {
    g_autoptr (GPtrArray) t = texts_of_full (v2, &style);
    g_assert_true (has_text (t, "interest · trust"));
    g_assert_true (has_text (t, "administrative · command · crisis"));
    g_assert_true (has_text (t, "ideas · powers · benefits"));
    g_assert_true (has_text (t, "emergency command (dashed)"));
  }
  {
    g_autoptr (GPtrArray) t = texts_of_full (NULL, &style);
    g_assert_false (has_text (t, "interest"));
    g_assert_false (has_text (t, "emergency command"));
  }
}

/* The legend over the network names the parts once the glyphs are split. */
static void
test_legend_in_frame (void)
{
  Run run = { 0 };
  CdRenderStyle style;
  g_autoptr (CdNetworkView) view = cd_network_view_new ();
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  cairo_surface_t *s;

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  run_init (&run, twins_model (2, TRUE));
  cd_render_probe_begin ();
  s = draw (&run, cd_trajectory_index_at (run.traj, 8.0), &style, 1400, 900, view, TRUE);
  cd_render_probe_end_texts (NULL, texts);
  g_assert_true (has_text (texts, "gravity (interest · trust)"));
  g_assert_true (has_text (texts, "emergency command"));
  cairo_surface_destroy (s);
  run_clear (&run);
}

/* Along an emergency command line: dashes of the emergency colour with
 * gaps between; along an administrative one, none of that colour. */
static void
check_line (Run                 *run,
            CdNetworkView       *view,
            cairo_surface_t     *s,
            const char          *source,
            const char          *target,
            const CdRenderStyle *style,
            int                 *on,
            int                 *off,
            int                 *runs)
{
  int a = cd_model_find_node (run->model, source), b = cd_model_find_node (run->model, target);
  double ax, ay, bx, by, ra, rb, len;
  gboolean was_on = FALSE;
  CdColor ec = cd_palette_emergency_line (style);

  cd_network_view_node_position (view, a, &ax, &ay);
  cd_network_view_to_pixels (view, ax, ay, &ax, &ay);
  cd_network_view_node_position (view, b, &bx, &by);
  cd_network_view_to_pixels (view, bx, by, &bx, &by);
  ra = cd_network_view_node_radius (view, a, style);
  rb = cd_network_view_node_radius (view, b, style);
  len = hypot (bx - ax, by - ay);
  *on = *off = *runs = 0;
  /* the shaft, clear of both ends and of the arrowhead */
  for (double d = ra + 10; d < len - rb - 30; d += 0.5)
    {
      double x = ax + (bx - ax) * d / len, y = ay + (by - ay) * d / len;
      gboolean hit = FALSE;
      /* the line may sit half a pixel either side of the sampled point */
      for (int dy = -1; dy <= 1 && !hit; dy++)
        for (int dx = -1; dx <= 1 && !hit; dx++)
          hit = pixel_is (s, (int) floor (x) + dx, (int) floor (y) + dy, ec, 40);
      if (hit)
        (*on)++;
      else
        (*off)++;
      if (hit && !was_on)
        (*runs)++;
      was_on = hit;
    }
}

static void
test_emergency_lines (void)
{
  CdRenderStyle style;

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  for (int emergency = 0; emergency < 2; emergency++)
    {
      Run run = { 0 };
      g_autoptr (CdNetworkView) view = cd_network_view_new ();
      cairo_surface_t *s;
      int on, off, runs;

      run_init (&run, twins_model (2, emergency));
      s = draw (&run, cd_trajectory_index_at (run.traj, 8.0), &style, 1400, 900, view, FALSE);
      save_snapshot (s, emergency ? "factors-emergency-lines" : "factors-admin-lines");
      check_line (&run, view, s, "hq", "city-a", &style, &on, &off, &runs);
      g_test_message ("hq → city-a (%s): %d samples on, %d off, %d dashes",
                      emergency ? "emergency" : "administrative", on, off, runs);
      if (emergency)
        {
          /* dashed: several dashes, with gaps a good part of the length */
          g_assert_cmpint (runs, >=, 5);
          g_assert_cmpint (on, >, off / 2);
          g_assert_cmpint (off, >, on / 5);
        }
      else
        g_assert_cmpint (on, ==, 0);
      /* the administrative line from the province never takes the colour */
      check_line (&run, view, s, "prov", "city-a", &style, &on, &off, &runs);
      g_assert_cmpint (on, ==, 0);
      cairo_surface_destroy (s);
      run_clear (&run);
    }
  {
    /* a version-1 model has no roles: none of the colour either */
    Run run = { 0 };
    g_autoptr (CdNetworkView) view = cd_network_view_new ();
    cairo_surface_t *s;
    int on, off, runs;

    run_init (&run, twins_model (1, FALSE));
    s = draw (&run, cd_trajectory_index_at (run.traj, 8.0), &style, 1400, 900, view, FALSE);
    check_line (&run, view, s, "hq", "city-a", &style, &on, &off, &runs);
    g_assert_cmpint (on, ==, 0);
    cairo_surface_destroy (s);
    run_clear (&run);
  }
}

/* The dominance sentence names the largest part on each side, with its
 * share; model 1's fragmentation is one part. */
static void
test_dominance (void)
{
  g_autoptr (CdModel) v1 = cd_model_new_version (1);
  g_autoptr (CdModel) v2 = cd_model_new_version (2);
  CdForceBreakdown b = { 0 };
  g_autofree char *t2 = NULL, *t1 = NULL, *none = NULL;

  b.factor[CD_FACTOR_G_INTEREST] = 0.2;
  b.factor[CD_FACTOR_G_TRUST] = 0.1;
  b.factor[CD_FACTOR_P_COMMAND] = 0.5;
  b.factor[CD_FACTOR_P_CRISIS] = 0.2;
  b.factor[CD_FACTOR_R_IDEAS] = 0.3;
  b.factor[CD_FACTOR_R_POWERS] = 0.4;
  b.factor[CD_FACTOR_R_BENEFITS] = 0.3;
  t2 = cd_force_dominance_text (v2, &b);
  g_test_message ("%s", t2);
  g_assert_nonnull (strstr (t2, "emergency command (50\u00a0%)"));
  g_assert_nonnull (strstr (t2, "fragmented powers (40\u00a0%)"));
  /* model 1: no command channel, and ideas with powers one channel */
  b.factor[CD_FACTOR_P_COMMAND] = 0;
  b.factor[CD_FACTOR_P_ADMIN] = 0.5;
  t1 = cd_force_dominance_text (v1, &b);
  g_test_message ("%s", t1);
  g_assert_nonnull (strstr (t1, "administrative pressure (50\u00a0%)"));
  g_assert_nonnull (strstr (t1, "fragmented ideas and powers (70\u00a0%)"));
  memset (&b, 0, sizeof b);
  none = cd_force_dominance_text (v2, &b);
  g_assert_null (none);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/factors/parts-sum-to-force-v1", test_parts_sum_v1);
  g_test_add_func ("/render/factors/parts-sum-to-force-v2", test_parts_sum_v2);
  g_test_add_func ("/render/factors/glyph-split-in-proportion", test_glyph_split);
  g_test_add_func ("/render/factors/legends", test_legends);
  g_test_add_func ("/render/factors/legend-in-frame", test_legend_in_frame);
  g_test_add_func ("/render/factors/emergency-lines-dashed", test_emergency_lines);
  g_test_add_func ("/render/factors/dominance", test_dominance);
  return g_test_run ();
}
