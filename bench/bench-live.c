/* bench-live.c — what one slider move costs on a 60-government model (issue 6.4).
 *
 * The target: a model of 60 governments re-simulated and redrawn within
 * 16 ms of a slider move.  This does what the app does for one move, stage
 * by stage, on a synthetic model (cd_generate_hierarchy, seed 60) three to
 * four times larger than the examples (a central government, 5 provinces,
 * 15 cities, 39 counties; command lines down the hierarchy, partnerships
 * between near neighbours of the same level, 2 emergencies, 1 policy
 * change; t_end 60, dt 0.1):
 *
 *   copy       cd_model_copy of the edited model plus the parameter change
 *              (the runner copies the document's model for its thread)
 *   compile    cd_system_new
 *   simulate   cd_simulate_trajectory with forces and trust (as cd-runner.c)
 *   canvas     cd_render_network at 1280×800 with force glyphs, labels,
 *              legend and time read-out (as cd-canvas.c)
 *   series     cd_render_timeseries, x̄ and loss with markers, 1280×300
 *   forces     cd_render_force_field of a province, 400×300
 *
 * into image surfaces, and prints the best and the median of N moves for
 * each stage and for the total.  A figure, not a test: nothing here
 * asserts a time.  `bench-live --check` prints the run's final numbers to
 * 17 digits, to compare an engine change against the numbers before it.
 *
 * `--national` does the same on the national model (3,209 governments,
 * issue 17: a picture within 100 ms of a move), and `--dt D` samples every
 * D rather than the model's dt.  Then it measures the app's own path
 * through CdRunner (cd-runner.c), move by move, from the request to the
 * three pictures drawn from the run delivered on the main thread:
 *
 *   drag       cd_runner_request_preview, as the window does for each
 *              move while a slider is held (the preview run)
 *   release    cd_runner_request, as on letting go (the exact run)
 *
 * with wall and process CPU time (both threads), and how far the preview
 * is from the exact run at the times both have ("preview error").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd-generate.h"
#include "cd-render.h"
#include "cd-runner.h"
#include "cd-simulate.h"
#include "cd-system.h"

#define N_PROVINCES      5
#define N_CITIES         15
#define N_COUNTIES       39

enum { STAGE_COPY, STAGE_COMPILE, STAGE_SIMULATE, STAGE_CANVAS, STAGE_SERIES, STAGE_FORCES,
       STAGE_TOTAL, N_STAGES };

static const char *stage_names[N_STAGES] = {
  "copy + change", "compile", "simulate", "canvas 1280x800", "time series 1280x300",
  "force field 400x300", "total",
};

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* 60 governments from the synthetic generator, at the examples' scale of
 * hierarchy: 1 central, 5 provincial, 15 municipal, 39 county. */
static CdModel *
make_model (gboolean national)
{
  CdModel *m;

  if (national)
    return cd_generate_national (1);
  m = cd_generate_hierarchy (60, N_PROVINCES, N_CITIES, N_COUNTIES);
  g_free (m->name);
  m->name = g_strdup ("Live re-run benchmark (60 governments)");
  return m;
}

/* This thread's CPU time in µs: on a shared machine it varies less than the
 * wall clock, which also counts the time other processes held the core. */
static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The process's CPU time in µs: the runner's worker thread and this one. */
static gint64
process_cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof (double), compare_double);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The run's last sample to 17 digits, and the largest force: for --check. */
static void
print_check (const CdTrajectory *traj)
{
  guint last = traj->n_samples - 1;
  gsize n = traj->n_nodes;
  double sum_x = 0, sum_g = 0, sum_r = 0, sum_tau = 0;

  for (gsize i = 0; i < n; i++)
    {
      sum_x += traj->x[last * n + i];
      sum_g += traj->gravity[last * n + i];
      sum_r += traj->resistance[last * n + i];
    }
  for (gsize e = 0; e < traj->n_partnerships; e++)
    sum_tau += traj->trust[last * traj->n_partnerships + e];
  printf ("check: x̄(60) %.17g  loss %.17g  Σx %.17g  ΣG %.17g  ΣR %.17g  Στ %.17g\n",
          traj->mean_coordination[last], traj->loss[last], sum_x, sum_g, sum_r, sum_tau);
  printf ("check: x̄(10) %.17g  x̄(35.3) %.17g\n",
          traj->mean_coordination[cd_trajectory_index_at (traj, 10.0)],
          traj->mean_coordination[cd_trajectory_index_at (traj, 35.3)]);
}

typedef struct
{
  cairo_t         *canvas, *series, *forces;
  CdNetworkView   *view;
  CdNetworkOverlay overlay;
  CdTimeseriesSpec spec;
  CdRenderStyle    style;
} Pictures;

/* The three views' drawing of a run at time t, as on screen. */
static void
draw_run (Pictures *pic,
          CdRun    *run,
          double    t)
{
  guint sample = cd_trajectory_index_at (run->trajectory, t);

  cd_render_network (pic->canvas, 1280, 800, pic->view, run->model, run->system, run->trajectory,
                     sample, &pic->overlay, &pic->style);
  cd_render_timeseries (pic->series, 1280, 300, run->model, run->trajectory, &pic->spec,
                        run->trajectory->t[sample], &pic->style);
  cd_render_force_field (pic->forces, 400, 300, run->model, run->system, run->trajectory, 1,
                         sample, &pic->style);
}

static void
on_delivered (CdRunner *runner,
              gboolean *done)
{
  *done = TRUE;
}

/* One request through the runner until its run is delivered and drawn;
 * wall and process CPU in ms. */
static CdRun *
runner_move (CdRunner      *runner,
             const CdModel *model,
             gboolean       preview,
             double         t,
             Pictures      *pic,
             double        *wall_ms,
             double        *cpu_ms)
{
  gint64 t0 = g_get_monotonic_time (), c0 = process_cpu_now ();
  gboolean done = FALSE;
  gulong id = g_signal_connect (runner, "run-changed", G_CALLBACK (on_delivered), &done);

  if (preview)
    cd_runner_request_preview (runner, model, t);
  else
    cd_runner_request (runner, model);
  while (!done && (cd_runner_get_running (runner) || g_main_context_pending (NULL)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (runner, id);
  if (!done)
    {
      fprintf (stderr, "bench-live: the run failed: %s\n",
               cd_runner_get_error (runner) ? cd_runner_get_error (runner) : "?");
      exit (1);
    }
  draw_run (pic, cd_runner_get_run (runner), t);
  *wall_ms = (g_get_monotonic_time () - t0) / 1000.0;
  *cpu_ms = (process_cpu_now () - c0) / 1000.0;
  return cd_run_ref (cd_runner_get_run (runner));
}

/* Largest |a - b| over the samples the preview has, of x, trust, x̄ and
 * loss, and of the four forces relative to the largest force. */
static void
preview_error (const CdTrajectory *pre,
               const CdTrajectory *exact,
               double             *err_x,
               double             *err_force)
{
  gsize n = exact->n_nodes, np = exact->n_partnerships;
  double top = 0;

  *err_x = *err_force = 0;
  for (gsize k = 0; k < (gsize) exact->n_samples * n; k++)
    top = MAX (top, MAX (MAX (fabs (exact->gravity[k]), fabs (exact->pressure[k])),
                         MAX (fabs (exact->thrust[k]), fabs (exact->resistance[k]))));
  for (guint s = 0; s < pre->n_samples; s++)
    {
      guint e = cd_trajectory_index_at (exact, pre->t[s]);

      if (exact->t[e] != pre->t[s])
        {
          fprintf (stderr, "bench-live: the preview's time %.17g is not the exact run's\n",
                   pre->t[s]);
          exit (1);
        }
      *err_x = MAX (*err_x, fabs (pre->mean_coordination[s] - exact->mean_coordination[e]));
      *err_x = MAX (*err_x, fabs (pre->loss[s] - exact->loss[e]));
      for (gsize i = 0; i < n; i++)
        {
          *err_x = MAX (*err_x, fabs (pre->x[s * n + i] - exact->x[e * n + i]));
          *err_force = MAX (*err_force, fabs (pre->gravity[s * n + i] - exact->gravity[e * n + i]));
          *err_force = MAX (*err_force,
                            fabs (pre->pressure[s * n + i] - exact->pressure[e * n + i]));
          *err_force = MAX (*err_force, fabs (pre->thrust[s * n + i] - exact->thrust[e * n + i]));
          *err_force = MAX (*err_force,
                            fabs (pre->resistance[s * n + i] - exact->resistance[e * n + i]));
        }
      for (gsize j = 0; j < np; j++)
        *err_x = MAX (*err_x, fabs (pre->trust[s * np + j] - exact->trust[e * np + j]));
    }
  *err_force /= MAX (top, 1e-300);
}

/* The drag and release paths through CdRunner (see the top). */
static void
bench_runner (CdModel  *document,
              guint     moves,
              Pictures *pic)
{
  g_autoptr (CdRunner) runner = cd_runner_new ();
  g_autofree double *drag_wall = g_new0 (double, moves);
  g_autofree double *drag_cpu = g_new0 (double, moves);
  g_autofree double *rel_wall = g_new0 (double, moves);
  g_autofree double *rel_cpu = g_new0 (double, moves);
  double admin0 = document->params.values[CD_PARAM_PRESSURE_ADMIN];
  double worst_x = 0, worst_force = 0, w, c;
  guint n_preview_samples = 0, n_exact_samples = 0;
  const double t_shown = 12.0;

  /* the model as opened: the runner learns how long an exact run takes */
  cd_run_unref (runner_move (runner, document, FALSE, t_shown, pic, &w, &c));
  for (guint move = 0; move < moves; move++)
    {
      g_autoptr (CdRun) pre = NULL;
      g_autoptr (CdRun) exact = NULL;
      double ex, ef;

      /* a drag over ±20 % of administrative pressure, a release at each position */
      document->params.values[CD_PARAM_PRESSURE_ADMIN] =
        admin0 * (0.8 + 0.4 * ((move % 21) / 20.0));
      pre = runner_move (runner, document, TRUE, t_shown, pic, &drag_wall[move],
                         &drag_cpu[move]);
      if (!pre->preview)
        {
          fprintf (stderr, "bench-live: the runner did not preview\n");
          exit (1);
        }
      /* the next drag move before the release, as a hand does */
      document->params.values[CD_PARAM_PRESSURE_ADMIN] *= 1.01;
      g_clear_pointer (&pre, cd_run_unref);
      pre = runner_move (runner, document, TRUE, t_shown, pic, &w, &c);
      exact = runner_move (runner, document, FALSE, t_shown, pic, &rel_wall[move],
                           &rel_cpu[move]);
      preview_error (pre->trajectory, exact->trajectory, &ex, &ef);
      worst_x = MAX (worst_x, ex);
      worst_force = MAX (worst_force, ef);
      n_preview_samples = pre->trajectory->n_samples;
      n_exact_samples = exact->trajectory->n_samples;
    }
  document->params.values[CD_PARAM_PRESSURE_ADMIN] = admin0;
  printf ("\nthe app's path (CdRunner), %u moves, request to three pictures drawn:\n", moves);
  printf ("%-22s %9s %9s %9s %9s   (wall and process CPU, ms)\n", "path", "best ms", "median",
          "best cpu", "median");
  {
    double *sets[2][2] = { { drag_wall, drag_cpu }, { rel_wall, rel_cpu } };
    const char *names[2] = { "drag (preview)", "release (exact)" };

    for (guint p = 0; p < 2; p++)
      {
        double bw = INFINITY, bc = INFINITY;
        for (guint m = 0; m < moves; m++)
          {
            bw = MIN (bw, sets[p][0][m]);
            bc = MIN (bc, sets[p][1][m]);
          }
        printf ("%-22s %9.1f %9.1f %9.1f %9.1f\n", names[p], bw, median (sets[p][0], moves), bc,
                median (sets[p][1], moves));
      }
  }
  printf ("preview: %u samples against %u; preview error: x, trust, mean and loss %.2g, "
          "forces %.2g of the largest\n", n_preview_samples, n_exact_samples, worst_x,
          worst_force);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(CdModel) document = NULL;
  g_autoptr(CdNetworkView) view = cd_network_view_new ();
  g_autofree double *times = NULL;
  g_autofree double *cpu_times = NULL;
  CdRenderStyle style;
  CdNetworkOverlay overlay;
  CdTimeseriesSpec spec;
  cairo_surface_t *canvas_s, *series_s, *forces_s;
  cairo_t *canvas_cr, *series_cr, *forces_cr;
  gboolean check = FALSE, national = FALSE;
  guint moves = 50, n_partnerships = 0, n_commands = 0;
  double admin0, dt = 0.0;
  double best[N_STAGES], best_cpu[N_STAGES];

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--check") == 0)
      check = TRUE;
    else if (strcmp (argv[i], "--national") == 0)
      national = TRUE;
    else if (strcmp (argv[i], "--dt") == 0 && i + 1 < argc && atof (argv[i + 1]) > 0)
      dt = atof (argv[++i]);
    else if (atoi (argv[i]) > 0)
      moves = (guint) atoi (argv[i]);
    else
      {
        fprintf (stderr, "usage: bench-live [--check] [--national] [--dt D] [MOVES]\n");
        return 2;
      }
  document = make_model (national);
  admin0 = document->params.values[CD_PARAM_PRESSURE_ADMIN];

  for (guint e = 0; e < document->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (document->edges, e);
      if (edge->kind == CD_EDGE_PARTNERSHIP)
        n_partnerships++;
      else
        n_commands++;
    }

  cd_render_style_init (&style, CD_STYLE_NORMAL);
  cd_network_overlay_init (&overlay);
  overlay.show_labels = TRUE;
  overlay.show_glyphs = TRUE;
  overlay.show_legend = TRUE;
  overlay.show_time = TRUE;
  cd_timeseries_spec_init (&spec, CD_TIMESERIES_MEAN_AND_LOSS);
  spec.show_events = TRUE;
  spec.show_interventions = TRUE;
  spec.show_legend = TRUE;

  canvas_s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1280, 800);
  series_s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1280, 300);
  forces_s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  canvas_cr = cairo_create (canvas_s);
  series_cr = cairo_create (series_s);
  forces_cr = cairo_create (forces_s);
  /* The canvas syncs its view on structural edits only, not on a slider. */
  cd_network_view_sync (view, document);
  cd_network_view_fit (view, 1280, 800, 48.0);

  times = g_new0 (double, (gsize) N_STAGES * (moves + 1));
  cpu_times = g_new0 (double, (gsize) N_STAGES * (moves + 1));
  for (guint s = 0; s < N_STAGES; s++)
    best[s] = best_cpu[s] = INFINITY;

  /* move 0 warms font and glyph caches and is not counted */
  for (guint move = 0; move <= moves; move++)
    {
      g_autoptr(CdModel) model = NULL;
      g_autoptr(CdSystem) system = NULL;
      g_autoptr(CdTrajectory) traj = NULL;
      g_autoptr(GError) error = NULL;
      CdRunOptions options = CD_RUN_OPTIONS_INIT;
      CdRunStats stats = { 0 };
      gint64 t[N_STAGES + 1], c[N_STAGES + 1];
      guint sample;

      /* a slider dragged back and forth over ±20 % of administrative pressure */
      document->params.values[CD_PARAM_PRESSURE_ADMIN] =
        admin0 * (0.8 + 0.4 * ((move % 21) / 20.0));

      t[0] = g_get_monotonic_time ();
      c[0] = cpu_now ();
      model = cd_model_copy (document);
      t[1] = g_get_monotonic_time ();
      c[1] = cpu_now ();
      system = cd_system_new (model, &error);
      if (system == NULL)
        {
          fprintf (stderr, "bench-live: %s\n", error->message);
          return 1;
        }
      t[2] = g_get_monotonic_time ();
      c[2] = cpu_now ();
      options.forces = TRUE;
      options.trust = TRUE;
      options.dt = dt;
      options.stats = &stats;
      traj = cd_simulate_trajectory (system, &options, NULL, &error);
      if (traj == NULL)
        {
          fprintf (stderr, "bench-live: %s\n", error->message);
          return 1;
        }
      t[3] = g_get_monotonic_time ();
      c[3] = cpu_now ();
      /* the cursor where a user would leave it: during the flood's response */
      sample = cd_trajectory_index_at (traj, 12.0);
      cd_render_network (canvas_cr, 1280, 800, view, model, system, traj, sample, &overlay,
                         &style);
      cairo_surface_flush (canvas_s);
      t[4] = g_get_monotonic_time ();
      c[4] = cpu_now ();
      cd_render_timeseries (series_cr, 1280, 300, model, traj, &spec, traj->t[sample], &style);
      cairo_surface_flush (series_s);
      t[5] = g_get_monotonic_time ();
      c[5] = cpu_now ();
      cd_render_force_field (forces_cr, 400, 300, model, system, traj, 1, sample, &style);
      cairo_surface_flush (forces_s);
      t[6] = g_get_monotonic_time ();
      c[6] = cpu_now ();

      if (move == 0)
        {
          printf ("model: %u governments, %u command lines, %u partnerships, %u emergencies, "
                  "%u policy change; %u samples (t_end %g, dt %g); node 1 radius %.1f px\n"
                  "run: %" G_GUINT64_FORMAT " steps (%" G_GUINT64_FORMAT " rejected), %"
                  G_GUINT64_FORMAT " right-hand side evaluations\n",
                  model->nodes->len, n_commands, n_partnerships, model->events->len,
                  model->interventions->len, traj->n_samples, model->sim.t_end, model->sim.dt,
                  cd_network_view_node_radius (view, 1, &style), stats.steps, stats.rejected,
                  stats.evaluations);
          if (check)
            print_check (traj);
          if (g_getenv ("BENCH_PNG_DIR"))
            {
              const char *dir = g_getenv ("BENCH_PNG_DIR");
              g_autofree char *a = g_build_filename (dir, "bench-live-canvas.png", NULL);
              g_autofree char *b = g_build_filename (dir, "bench-live-series.png", NULL);
              g_autofree char *f = g_build_filename (dir, "bench-live-forces.png", NULL);
              cairo_surface_write_to_png (canvas_s, a);
              cairo_surface_write_to_png (series_s, b);
              cairo_surface_write_to_png (forces_s, f);
            }
          continue;
        }
      for (guint s = 0; s < N_STAGES; s++)
        {
          double ms = (s == STAGE_TOTAL ? t[6] - t[0] : t[s + 1] - t[s]) / 1000.0;
          double cpu = (s == STAGE_TOTAL ? c[6] - c[0] : c[s + 1] - c[s]) / 1000.0;
          times[s * (moves + 1) + move - 1] = ms;
          cpu_times[s * (moves + 1) + move - 1] = cpu;
          best[s] = MIN (best[s], ms);
          best_cpu[s] = MIN (best_cpu[s], cpu);
        }
    }

  printf ("%-22s %9s %9s %9s %9s   (%u slider moves; wall and this thread's CPU)\n",
          "stage", "best ms", "median", "best cpu", "median", moves);
  for (guint s = 0; s < N_STAGES; s++)
    printf ("%-22s %9.3f %9.3f %9.3f %9.3f\n", stage_names[s], best[s],
            median (times + s * (moves + 1), moves), best_cpu[s],
            median (cpu_times + s * (moves + 1), moves));

  if (national)
    {
      Pictures pic = { canvas_cr, series_cr, forces_cr, view, overlay, spec, style };
      bench_runner (document, moves, &pic);
    }

  cairo_destroy (canvas_cr);
  cairo_destroy (series_cr);
  cairo_destroy (forces_cr);
  cairo_surface_destroy (canvas_s);
  cairo_surface_destroy (series_s);
  cairo_surface_destroy (forces_s);
  return 0;
}
