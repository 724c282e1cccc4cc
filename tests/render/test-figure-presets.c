/* test-figure-presets.c — figures for a journal and a slide, checked from
 * what they lay out rather than from pixels alone.
 *
 * Every view (network, force diagram, time series) and every analysis
 * chart of the Yangtze River Delta example is drawn at the column, page
 * and slide presets while the render library's text probe records each
 * text it draws.  The tests assert what a reader of the printed figure
 * sees: every text inside the figure and none on another, the smallest
 * type at least 7 pt at final size on paper (2.5 % of the slide's height
 * on a slide), every landmark (central and provincial government) named,
 * the network's legend off the network, and a white background on paper.
 * The figures go to render-snapshots/ in the build folder to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-analysis-figure.h"
#include "cd-figure.h"
#include "cd-generate.h"
#include "cd-model-json.h"
#include "cd-plot.h"
#include "cd-render-private.h"
#include "cd-render-test-util.h"

/* Typographers' smallest size for a figure at final size, in points. */
#define MIN_PRINT_PT 7.0
/* The presentation's rule for a projector: no text under 2.5 % of the
 * screen's height. */
#define MIN_SLIDE_SHARE 0.025

static const CdFigurePreset presets[] = {
  CD_FIGURE_PRESET_COLUMN, CD_FIGURE_PRESET_PAGE, CD_FIGURE_PRESET_SLIDE,
};

static CdModel *
load_example (void)
{
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  CdModel *model;

  if (dir == NULL)
    g_error ("COORDYN_EXAMPLES_DIR is not set; run through 'meson test', which sets it");
  path = g_build_filename (dir, "yangtze-river-delta.json", NULL);
  model = cd_model_load_file (path, &error);
  g_assert_no_error (error);
  return model;
}

static gboolean
is_print (CdFigurePreset preset)
{
  return preset == CD_FIGURE_PRESET_COLUMN || preset == CD_FIGURE_PRESET_PAGE;
}

/* What a figure drew: its surface (at scale 1: a unit is a pixel), the
 * probe's text boxes and smallest size, and the drawing's own boxes. */
typedef struct
{
  cairo_surface_t *surface;
  GArray          *texts;
  GArray          *boxes;
  double           min_size;
  int              width, height;
} Drawn;

static void
drawn_clear (Drawn *d)
{
  g_clear_pointer (&d->surface, cairo_surface_destroy);
  g_clear_pointer (&d->texts, g_array_unref);
  g_clear_pointer (&d->boxes, g_array_unref);
}

static cairo_t *
drawn_begin (Drawn *d,
             int    width,
             int    height)
{
  memset (d, 0, sizeof *d);
  d->width = width;
  d->height = height;
  d->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  d->texts = g_array_new (FALSE, FALSE, sizeof (CdRenderBox));
  d->boxes = g_array_new (FALSE, FALSE, sizeof (CdRenderBox));
  cd_render_probe_begin ();
  return cairo_create (d->surface);
}

static void
drawn_end (Drawn      *d,
           cairo_t    *cr,
           const char *snapshot)
{
  d->min_size = cd_render_probe_end (d->texts);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (d->surface);
  if (snapshot != NULL)
    save_snapshot (d->surface, snapshot);
}

/* Every text inside the figure, none over another, none smaller than the
 * preset allows. */
static void
check_texts (const Drawn    *d,
             CdFigurePreset  preset,
             const char     *what)
{
  const double slack = 0.5;
  double min_size;

  g_assert_cmpuint (d->texts->len, >, 0);
  for (guint i = 0; i < d->texts->len; i++)
    {
      const CdRenderBox *a = &g_array_index (d->texts, CdRenderBox, i);

      if (a->x < -slack || a->y < -slack || a->x + a->width > d->width + slack
          || a->y + a->height > d->height + slack)
        g_error ("%s: text %u (%.1f, %.1f, %.1f × %.1f) leaves the %d × %d figure", what, i,
                 a->x, a->y, a->width, a->height, d->width, d->height);
      for (guint j = i + 1; j < d->texts->len; j++)
        {
          const CdRenderBox *b = &g_array_index (d->texts, CdRenderBox, j);
          /* a box shrunk by the slack: glyphs' logical boxes of stacked
           * rows touch */
          CdRenderBox sa = { a->x + slack, a->y + slack, a->width - 2 * slack,
                             a->height - 2 * slack, CD_BOX_TEXT, 0 };

          if (cd_render_box_intersects (&sa, b))
            g_error ("%s: texts %u (%.1f, %.1f, %.1f × %.1f) and %u (%.1f, %.1f, %.1f × %.1f) "
                     "overlap", what, i, a->x, a->y, a->width, a->height, j, b->x, b->y,
                     b->width, b->height);
        }
    }
  /* a slide's units are 1.6 of its 1920 × 1080 pixels */
  min_size = is_print (preset) ? MIN_PRINT_PT : MIN_SLIDE_SHARE * 1080 / 1.6;
  g_test_message ("%s: %u texts, smallest %.2f units (at least %.2f)", what, d->texts->len,
                  d->min_size, min_size);
  g_assert_cmpfloat (d->min_size, >=, min_size - 1e-9);
}

/* Paper is white: the corners are pure white, and so is most of the page
 * between the marks. */
static void
check_white (const Drawn *d,
             const char  *what)
{
  const guint8 *data = cairo_image_surface_get_data (d->surface);
  int stride = cairo_image_surface_get_stride (d->surface);
  guint64 white = 0;
  const int corners[4][2] = { { 0, 0 }, { d->width - 1, 0 }, { 0, d->height - 1 },
                              { d->width - 1, d->height - 1 } };

  for (int k = 0; k < 4; k++)
    {
      guint32 px = *(const guint32 *) (data + (gsize) corners[k][1] * stride
                                       + (gsize) corners[k][0] * 4);
      if (px != 0xFFFFFFFFu)
        g_error ("%s: corner (%d, %d) is #%08X, not white", what, corners[k][0],
                 corners[k][1], px);
    }
  for (int y = 0; y < d->height; y++)
    for (int x = 0; x < d->width; x++)
      white += *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4) == 0xFFFFFFFFu;
  g_test_message ("%s: %.0f %% white", what, 100.0 * white / ((double) d->width * d->height));
  g_assert_cmpfloat ((double) white / ((double) d->width * d->height), >, 0.4);
}

static void
test_views (void)
{
  Run run = { 0 };
  const CdModel *model;
  int xuancheng;

  run_init (&run, load_example ());
  model = run.model;
  xuancheng = cd_model_find_node (model, "xuancheng");
  g_assert_cmpint (xuancheng, >=, 0);
  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    for (CdFigureView view = CD_FIGURE_NETWORK; view <= CD_FIGURE_TIMESERIES; view++)
      {
        g_autofree char *what = g_strdup_printf ("%s %s", cd_figure_preset_to_string (presets[p]),
                                                 cd_figure_view_to_string (view));
        g_autofree char *snap = g_strdup_printf ("preset-%s-%s",
                                                 cd_figure_preset_to_string (presets[p]),
                                                 cd_figure_view_to_string (view));
        guint node = (guint) xuancheng;
        CdFigureSpec spec;
        Drawn d;
        cairo_t *cr;

        cd_figure_spec_init (&spec);
        spec.view = view;
        spec.nodes = &node;
        spec.n_nodes = 1;
        cd_figure_spec_apply_preset (&spec, presets[p], model, run.system, run.traj);
        g_assert_cmpint (spec.preset, ==, presets[p]);
        if (is_print (presets[p]))
          {
            /* the journal's width, in points */
            g_assert_cmpint (spec.width, ==, presets[p] == CD_FIGURE_PRESET_COLUMN ? 241 : 496);
            g_assert_cmpint (spec.style, ==, CD_STYLE_PRINT);
          }
        else
          {
            /* 1920 × 1080 pixels */
            g_assert_cmpint ((int) ceil (spec.width * spec.scale), ==, 1920);
            g_assert_cmpint ((int) ceil (spec.height * spec.scale), ==, 1080);
            g_assert_cmpint (spec.style, ==, CD_STYLE_PROJECTOR);
          }
        cr = drawn_begin (&d, spec.width, spec.height);
        cd_figure_draw_boxes (cr, spec.width, spec.height, model, run.system, run.traj, &spec,
                              d.boxes);
        drawn_end (&d, cr, snap);
        check_texts (&d, presets[p], what);
        if (is_print (presets[p]))
          check_white (&d, what);

        if (view == CD_FIGURE_NETWORK)
          {
            const CdRenderBox *area = NULL, *legend = NULL;

            for (guint b = 0; b < d.boxes->len; b++)
              {
                const CdRenderBox *box = &g_array_index (d.boxes, CdRenderBox, b);
                if (box->kind == CD_BOX_AREA)
                  area = box;
                else if (box->kind == CD_BOX_MARK)
                  legend = box;
              }
            /* the legend apart from the network: in its strip below */
            g_assert_nonnull (area);
            g_assert_nonnull (legend);
            g_assert_false (cd_render_box_intersects (area, legend));
            g_assert_cmpfloat (legend->y, >=, area->y + area->height - 1e-9);
            /* every landmark named */
            for (guint i = 0; i < model->nodes->len; i++)
              {
                const CdNode *nd = g_ptr_array_index (model->nodes, i);
                gboolean named = FALSE;

                for (guint b = 0; b < d.boxes->len && !named; b++)
                  named = g_array_index (d.boxes, CdRenderBox, b).owner == i + 1;
                if (nd->level <= CD_LEVEL_PROVINCIAL && !named)
                  g_error ("%s: the landmark %s has no name", what, cd_node_display_name (nd));
              }
          }
        drawn_clear (&d);
      }
  run_clear (&run);
}

/* --no-title and --no-time leave them out, and the figure stays laid out. */
static void
test_no_title_no_time (void)
{
  Run run = { 0 };
  g_autofree char *title = NULL;

  run_init (&run, load_example ());
  for (CdFigureView view = CD_FIGURE_NETWORK; view <= CD_FIGURE_TIMESERIES; view++)
    {
      guint node = 0;
      guint n_texts[2];

      for (int k = 0; k < 2; k++)
        {
          CdFigureSpec spec;
          Drawn d;
          cairo_t *cr;

          cd_figure_spec_init (&spec);
          spec.view = view;
          spec.nodes = &node;
          spec.n_nodes = 1;
          spec.show_title = k == 0;
          spec.show_time = k == 0;
          spec.time = 20;
          cd_figure_spec_apply_preset (&spec, CD_FIGURE_PRESET_COLUMN, run.model, run.system,
                                       run.traj);
          cr = drawn_begin (&d, spec.width, spec.height);
          cd_figure_draw_boxes (cr, spec.width, spec.height, run.model, run.system, run.traj,
                                &spec, d.boxes);
          drawn_end (&d, cr, k == 0 ? NULL : "preset-column-untitled");
          check_texts (&d, CD_FIGURE_PRESET_COLUMN, cd_figure_view_to_string (view));
          n_texts[k] = d.texts->len;
          drawn_clear (&d);
        }
      /* the network loses "t = 20.00", the force diagram its title and
       * subtitle, the time series its title (its cursor has no text) */
      g_test_message ("%s: %u texts with title and time, %u without",
                      cd_figure_view_to_string (view), n_texts[0], n_texts[1]);
      g_assert_cmpuint (n_texts[1], <, n_texts[0]);
    }
  run_clear (&run);
}

/* The analyses' results for the charts, with small settings. */
typedef struct
{
  CdModel      *model;
  CdEquilibria *eqs;
  CdSweep      *sweep;
  CdTornado    *tornado;
  CdSobol      *sobol;
  CdMonteCarlo *mc;
  GPtrArray    *outcomes;
  GPtrArray    *curves;
} Analyses;

static void
analyses_init (Analyses *a)
{
  CdEquilibriaOptions eq_options = CD_EQUILIBRIA_OPTIONS_INIT;
  CdMonteCarloOptions mc_options = { 0 };
  g_autoptr (GError) error = NULL;

  memset (a, 0, sizeof *a);
  a->model = load_example ();
  a->eqs = cd_find_equilibria (a->model, 0, &eq_options, NULL, &error);
  g_assert_no_error (error);
  a->sweep = cd_sweep_run (a->model, CD_PARAM_GRAVITY_TRUST, 0, 3, 6, 0, TRUE, NULL, NULL, NULL,
                           &error);
  g_assert_no_error (error);
  a->tornado = cd_tornado_run (a->model, 0.1, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  a->sobol = cd_sobol_run (a->model, a->model->ranges, 0.1, 4, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  mc_options.n_runs = 20;
  mc_options.seed = 7;
  mc_options.bands = TRUE;
  a->mc = cd_montecarlo_run (a->model, NULL, &mc_options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  a->outcomes = cd_compare_scenarios (a->model, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  a->curves = cd_compare_trajectories (a->model, a->outcomes, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
analyses_clear (Analyses *a)
{
  g_clear_pointer (&a->eqs, cd_equilibria_free);
  g_clear_pointer (&a->sweep, cd_sweep_free);
  g_clear_pointer (&a->tornado, cd_tornado_free);
  g_clear_pointer (&a->sobol, cd_sobol_free);
  g_clear_pointer (&a->mc, cd_montecarlo_free);
  g_clear_pointer (&a->outcomes, g_ptr_array_unref);
  g_clear_pointer (&a->curves, g_ptr_array_unref);
  g_clear_pointer (&a->model, cd_model_free);
}

static void
test_analysis_charts (void)
{
  static const char *const names[] = {
    "equilibrium", "sweep", "tornado", "sobol", "montecarlo", "scenarios",
  };
  Analyses a;

  analyses_init (&a);
  for (guint p = 0; p < G_N_ELEMENTS (presets); p++)
    for (CdAnalysisFigureKind kind = CD_ANALYSIS_FIGURE_EQUILIBRIUM;
         kind <= CD_ANALYSIS_FIGURE_SCENARIOS; kind++)
      for (CdAnalysisOutcome outcome = CD_ANALYSIS_OUTCOME_COORDINATION;
           outcome <= CD_ANALYSIS_OUTCOME_LOSS; outcome++)
        {
          g_autofree char *what = NULL;
          g_autofree char *snap = NULL;
          CdAnalysisFigure figure;
          CdFigureSize size;
          CdRenderStyle style;
          Drawn d;
          cairo_t *cr;

          /* only these three have a loss chart */
          if (outcome == CD_ANALYSIS_OUTCOME_LOSS && kind != CD_ANALYSIS_FIGURE_TORNADO
              && kind != CD_ANALYSIS_FIGURE_SOBOL && kind != CD_ANALYSIS_FIGURE_MONTECARLO)
            continue;
          what = g_strdup_printf ("%s %s%s", cd_figure_preset_to_string (presets[p]),
                                  names[kind], outcome ? " (loss)" : "");
          snap = g_strdup_printf ("preset-%s-%s%s", cd_figure_preset_to_string (presets[p]),
                                  names[kind], outcome ? "-loss" : "");
          cd_analysis_figure_init (&figure, kind, a.model);
          figure.outcome = outcome;
          figure.equilibria = a.eqs;
          figure.equilibrium = cd_analysis_figure_default_equilibrium (a.eqs);
          figure.sweep = a.sweep;
          figure.tornado = a.tornado;
          figure.sobol = a.sobol;
          figure.montecarlo = a.mc;
          figure.outcomes = a.outcomes;
          figure.curves = a.curves;
          g_assert_true (cd_analysis_figure_ready (&figure));
          cd_analysis_figure_size (&figure, presets[p], &size);
          cd_render_style_init (&style, size.style);
          cr = drawn_begin (&d, size.width, size.height);
          cd_render_analysis_figure (cr, size.width, size.height, &figure, &style);
          drawn_end (&d, cr, snap);
          check_texts (&d, presets[p], what);
          if (is_print (presets[p]))
            check_white (&d, what);
          drawn_clear (&d);
        }
  analyses_clear (&a);
}

/* At national size (3,209 governments) the equilibrium chart is a
 * histogram of how many governments coordinate how much, not 3,209 bars:
 * a few dozen texts, none over another, the y axis counting governments,
 * the print figure no taller than its preset; the Yangtze example keeps a
 * bar per government. */
static void
test_national_histogram (void)
{
  g_autoptr (CdModel) national = cd_generate_national (1);
  g_autoptr (CdModel) small = load_example ();
  CdEquilibriaOptions options = CD_EQUILIBRIA_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  CdEquilibria *eqs[2];
  const CdModel *models[2] = { national, small };

  eqs[0] = cd_find_equilibria (national, 0, &options, NULL, &error);
  g_assert_no_error (error);
  eqs[1] = cd_find_equilibria (small, 0, &options, NULL, &error);
  g_assert_no_error (error);
  for (guint m = 0; m < 2; m++)
    for (guint p = 0; p <= G_N_ELEMENTS (presets); p++)
      {
        /* the three presets, then the app's page at its usual size */
        CdFigurePreset preset = p < G_N_ELEMENTS (presets) ? presets[p]
                                                           : CD_FIGURE_PRESET_NONE;
        g_autofree char *what = g_strdup_printf ("%s %s equilibrium", m == 0 ? "national"
                                                 : "yangtze", cd_figure_preset_to_string (preset));
        g_autofree char *snap = g_strdup_printf ("preset-%s-equilibrium-%s",
                                                 cd_figure_preset_to_string (preset),
                                                 m == 0 ? "national" : "yangtze");
        g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
        CdAnalysisFigure figure;
        CdFigureSize size, plain;
        CdRenderStyle style;
        gboolean counts_governments = FALSE;
        Drawn d;
        cairo_t *cr;

        cd_analysis_figure_init (&figure, CD_ANALYSIS_FIGURE_EQUILIBRIUM, models[m]);
        figure.equilibria = eqs[m];
        figure.equilibrium = cd_analysis_figure_default_equilibrium (eqs[m]);
        g_assert_true (cd_analysis_figure_ready (&figure));
        cd_analysis_figure_size (&figure, preset, &size);
        cd_figure_preset_size (preset, &plain);
        cd_render_style_init (&style, size.style);
        cr = drawn_begin (&d, size.width, size.height);
        cd_render_analysis_figure (cr, size.width, size.height, &figure, &style);
        d.min_size = cd_render_probe_end_texts (d.texts, texts);
        g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
        cairo_destroy (cr);
        cairo_surface_flush (d.surface);
        save_snapshot (d.surface, snap);
        if (preset != CD_FIGURE_PRESET_NONE)
          check_texts (&d, preset, what);
        for (guint i = 0; i < texts->len; i++)
          counts_governments |= g_strcmp0 (g_ptr_array_index (texts, i), "governments") == 0;
        g_test_message ("%s: %d × %d, %u texts", what, size.width, size.height, texts->len);
        if (m == 0)
          {
            g_assert_true (counts_governments);
            g_assert_cmpuint (texts->len, <, 60);
            g_assert_cmpint (size.height, ==, plain.height);
          }
        else
          {
            g_assert_false (counts_governments);
            g_assert_cmpuint (texts->len, >, cd_system_get_n_nodes (eqs[1]->system));
          }
        drawn_clear (&d);
      }
  cd_equilibria_free (eqs[0]);
  cd_equilibria_free (eqs[1]);
}

/* The Monte Carlo chart draws the base run with the band, and says so when
 * a sampled range leaves out its parameter's base value. */
static void
test_montecarlo_base (void)
{
  g_autoptr (CdModel) model = load_example ();
  g_autoptr (GArray) ranges = g_array_new (FALSE, FALSE, sizeof (CdRange));
  g_autoptr (GError) error = NULL;
  CdMonteCarloOptions options = { 0 };
  CdRange r = { 0 };
  const double base = model->params.values[CD_PARAM_RESISTANCE_FRAGMENTATION];

  options.n_runs = 8;
  options.seed = 3;
  options.bands = TRUE;
  for (int k = 0; k < 2; k++)
    {
      g_autoptr (CdMonteCarlo) mc = NULL;
      g_autofree char *note = NULL;

      /* first a range around the base value, then one below it */
      r.param = CD_PARAM_RESISTANCE_FRAGMENTATION;
      r.dist = CD_DIST_UNIFORM;
      r.min = k == 0 ? base * 0.8 : base * 0.3;
      r.max = k == 0 ? base * 1.2 : base * 0.6;
      g_array_set_size (ranges, 0);
      g_array_append_val (ranges, r);
      mc = cd_montecarlo_run (model, ranges, &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (mc->base_mean);
      g_assert_nonnull (mc->base_loss);
      g_assert_cmpfloat (mc->base_values[0], ==, base);
      note = cd_montecarlo_excluded_note (mc);
      g_assert_cmpint (cd_montecarlo_range_excludes_base (mc, 0), ==, k == 1);
      g_assert_true ((note != NULL) == (k == 1));
      if (note != NULL)
        {
          g_autofree char *value = g_strdup_printf ("%g", base);
          g_assert_nonnull (strstr (note, value));
        }
      /* the base run is the model's own run */
      {
        g_autoptr (CdSystem) system = cd_system_new (model, &error);
        CdRunOptions run_options = CD_RUN_OPTIONS_INIT;
        g_autoptr (CdTrajectory) traj = cd_simulate_trajectory (system, &run_options, NULL,
                                                                &error);
        g_assert_no_error (error);
        g_assert_cmpuint (traj->n_samples, ==, mc->n_times);
        for (guint i = 0; i < mc->n_times; i += 50)
          g_assert_cmpfloat (fabs (mc->base_mean[i] - traj->mean_coordination[i]), <, 1e-9);
      }
    }
}

/* Time axes name the model's unit of time when it gives one: the time
 * series, the Monte Carlo chart and the scenarios' chart. */
static void
test_time_unit (void)
{
  Run run = { 0 };
  CdMonteCarloOptions mc_options = { 0 };
  g_autoptr (CdMonteCarlo) mc = NULL;
  g_autoptr (GPtrArray) outcomes = NULL;
  g_autoptr (GPtrArray) curves = NULL;
  g_autoptr (GError) error = NULL;

  run_init (&run, load_example ());
  mc_options.n_runs = 4;
  mc_options.seed = 1;
  mc_options.bands = TRUE;
  mc = cd_montecarlo_run (run.model, NULL, &mc_options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  outcomes = cd_compare_scenarios (run.model, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  curves = cd_compare_trajectories (run.model, outcomes, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (int k = 0; k < 2; k++)
    for (int chart = 0; chart < 3; chart++)
      {
        const char *want = k == 0 ? "time" : "time (days)";
        g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 800, 500);
        cairo_t *cr = cairo_create (surface);
        CdRenderStyle style;
        gboolean found = FALSE;

        g_free (run.model->time_unit);
        run.model->time_unit = k == 0 ? NULL : g_strdup ("days");
        cd_render_style_init (&style, CD_STYLE_NORMAL);
        cd_render_probe_begin ();
        if (chart == 0)
          {
            CdTimeseriesSpec spec;

            cd_timeseries_spec_init (&spec, CD_TIMESERIES_MEAN_AND_LOSS);
            cd_render_timeseries (cr, 800, 500, run.model, run.traj, &spec, -1, &style);
          }
        else
          {
            CdAnalysisFigure figure;

            cd_analysis_figure_init (&figure, chart == 1 ? CD_ANALYSIS_FIGURE_MONTECARLO
                                                         : CD_ANALYSIS_FIGURE_SCENARIOS,
                                     run.model);
            figure.montecarlo = mc;
            figure.outcomes = outcomes;
            figure.curves = curves;
            cd_render_analysis_figure (cr, 800, 500, &figure, &style);
          }
        cd_render_probe_end_texts (NULL, texts);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
        for (guint i = 0; i < texts->len && !found; i++)
          found = g_strcmp0 (g_ptr_array_index (texts, i), want) == 0;
        if (!found)
          g_error ("chart %d with time unit %s: no axis titled \"%s\"", chart,
                   k == 0 ? "(none)" : "days", want);
      }
  run_clear (&run);
}

static void
test_time_title (void)
{
  g_autofree char *none = cd_plot_time_title (NULL);
  g_autofree char *empty = cd_plot_time_title ("");
  g_autofree char *days = cd_plot_time_title ("days");

  g_assert_cmpstr (none, ==, "time");
  g_assert_cmpstr (empty, ==, "time");
  g_assert_cmpstr (days, ==, "time (days)");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/presets/views", test_views);
  g_test_add_func ("/render/presets/no-title-no-time", test_no_title_no_time);
  g_test_add_func ("/render/presets/analysis-charts", test_analysis_charts);
  g_test_add_func ("/render/presets/national-histogram", test_national_histogram);
  g_test_add_func ("/render/presets/montecarlo-base", test_montecarlo_base);
  g_test_add_func ("/render/presets/time-title", test_time_title);
  g_test_add_func ("/render/presets/time-unit", test_time_unit);
  return g_test_run ();
}
