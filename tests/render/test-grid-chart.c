/* test-grid-chart.c — an experiment's heat map and line small multiples:
 * each cell in the ramp's colour for its value (lowest and highest at the
 * ramp's ends), a cell without a value crossed out rather than coloured,
 * cells of uneven list values on a true scale, the same colour for the
 * same value in every panel, lines for every level, nothing drawn outside
 * the figure, and a message when there is nothing to draw.  Snapshots go
 * to render-snapshots/ for a person to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-grid-chart.h"
#include "cd-render-test-util.h"

static CdColor
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *data;
  guint32 argb;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  argb = *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4);
  return (CdColor) { ((argb >> 16) & 0xff) / 255.0, ((argb >> 8) & 0xff) / 255.0,
                     (argb & 0xff) / 255.0, 1.0 };
}

static double
color_distance (CdColor a,
                CdColor b)
{
  return fabs (a.r - b.r) + fabs (a.g - b.g) + fabs (a.b - b.b);
}

/* Whether some pixel of the image is within tol of colour c. */
static gboolean
has_color (cairo_surface_t *surface,
           CdColor          c,
           double           tol)
{
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);

  for (int y = 0; y < h; y += 2)
    for (int x = 0; x < w; x += 2)
      if (color_distance (pixel (surface, x, y), c) < tol)
        return TRUE;
  return FALSE;
}

static void
test_heatmap (void)
{
  const double x[] = { 0, 0.25, 0.5, 1 };          /* a list, unevenly spaced */
  const double y[] = { 2, 0, 1 };                   /* and out of order */
  double a[12], b[12];
  CdGridPanel panels[2] = { { "base", a }, { "institution", b } };
  CdGridChart chart = {
    CD_GRID_CHART_HEATMAP, "final mean coordination", "resistance.law", x, 4,
    "thrust.info", y, 3, "final_mean_coordination", TRUE, 0.0, 1.0, panels, 2, NULL,
  };
  CdRenderStyle style;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 900, 420);
  cairo_t *cr = cairo_create (surface);

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  for (guint j = 0; j < 3; j++)
    for (guint i = 0; i < 4; i++)
      {
        a[j * 4 + i] = x[i] * (1 + y[j]) / 3.0;   /* 0 … 1 */
        b[j * 4 + i] = 0.5;
      }
  b[5] = NAN;                                        /* no value */
  cd_render_grid_chart (cr, 900, 420, &chart, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  save_snapshot (surface, "grid-heatmap");
  /* the ramp's ends for 0 and 1, and its middle for 0.5 (panel b) */
  g_assert_true (has_color (surface, cd_palette_coordination (0.0, &style), 0.02));
  g_assert_true (has_color (surface, cd_palette_coordination (1.0, &style), 0.02));
  g_assert_true (has_color (surface, cd_palette_coordination (0.5, &style), 0.02));
  /* 0.75 appears nowhere in the data, so not in any cell — only in the bar,
   * which spans every colour: the test of colour is of the cells, and a
   * value off the data reads nowhere but the bar */
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* The values only: a panel of constant value draws one colour wherever its
 * range is fixed, and the middle of the data's range when it is not. */
static void
test_heatmap_range (void)
{
  const double x[] = { 1, 2 }, y[] = { 1, 2 };
  double v[4] = { 3, 3, 3, 3 }, w[4] = { 1, 2, 3, 5 };
  CdGridPanel panels[2] = { { NULL, v }, { NULL, w } };
  CdGridChart chart = {
    CD_GRID_CHART_HEATMAP, NULL, "a", x, 2, "b", y, 2, "total_loss", FALSE, 0, 0, panels, 2,
    "note under the panels",
  };
  CdRenderStyle style;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 600, 300);
  cairo_t *cr = cairo_create (surface);

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  cd_render_grid_chart (cr, 600, 300, &chart, &style);
  save_snapshot (surface, "grid-heatmap-range");
  /* over the data's range [1, 5], 3 is the ramp's middle, 5 its top */
  g_assert_true (has_color (surface, cd_palette_coordination (0.5, &style), 0.02));
  g_assert_true (has_color (surface, cd_palette_coordination (1.0, &style), 0.02));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_lines (void)
{
  const double x[] = { 0, 0.5, 1 }, y[] = { 0, 1 };
  double a[6] = { 0.1, 0.4, 0.9, 0.2, 0.5, 1.0 };
  double b[6] = { 0.0, 0.3, 0.6, NAN, 0.4, 0.7 };
  CdGridPanel panels[2] = { { "base", a }, { "law", b } };
  CdGridChart chart = {
    CD_GRID_CHART_LINES, "lines", "resistance.law", x, 3, "thrust.info", y, 2,
    "final_mean_coordination", FALSE, 0, 0, panels, 2, NULL,
  };
  CdRenderStyle style;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 360);
  cairo_t *cr = cairo_create (surface);

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  cd_render_grid_chart (cr, 800, 360, &chart, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  save_snapshot (surface, "grid-lines");
  /* one colour per level of the second parameter */
  g_assert_true (has_color (surface, cd_palette_series (0, &style), 0.05));
  g_assert_true (has_color (surface, cd_palette_series (1, &style), 0.05));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
test_empty (void)
{
  CdGridChart chart = { 0 };
  CdRenderStyle style;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 300, 200);
  cairo_t *cr = cairo_create (surface);

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  cd_render_grid_chart (cr, 300, 200, &chart, &style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  /* a message, in the foreground colour, on the background */
  g_assert_true (has_color (surface, cd_palette_background (&style), 0.01));
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/grid-chart/heatmap", test_heatmap);
  g_test_add_func ("/render/grid-chart/heatmap-range", test_heatmap_range);
  g_test_add_func ("/render/grid-chart/lines", test_lines);
  g_test_add_func ("/render/grid-chart/empty", test_empty);
  return g_test_run ();
}
