/* bench-engine.c — where the time of a run goes: load, compile, integrate, write.
 *
 * Generates the national model in-process (or loads a given file), then
 * times each stage of `coordyn-cli run` separately (formatting the numbers
 * too), counts steps and right-hand side evaluations, and compares the GSL
 * steppers on cost and on the error they actually reach against a much
 * tighter reference run.
 * Prints figures only: nothing here asserts a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE 1   /* sched_setaffinity */

#include "config.h"

#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <glib/gstdio.h>

#include "cd-csv.h"
#include "cd-generate.h"
#include "cd-model-json.h"
#include "cd-simulate.h"
#include "cd-system.h"

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU time: on a machine shared with other work the wall time says little,
 * the CPU time of the thread (or process) doing the work somewhat more. */
static double
cpu_now (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
double_compare (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof *v, double_compare);
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double
peak_rss_mib (void)
{
  struct rusage ru;

  if (getrusage (RUSAGE_SELF, &ru) != 0)
    return NAN;
  return ru.ru_maxrss / 1024.0;   /* Linux reports KiB */
}

static gboolean
discard_sample (const CdSample *s,
                gpointer        user_data,
                GError        **error)
{
  return TRUE;
}

/* Largest |difference| of mean coordination, loss, x and trust from a
 * reference trajectory, over every sample. */
typedef struct
{
  const CdTrajectory *ref;
  double              worst;
} Deviation;

static gboolean
measure_deviation (const CdSample *s,
                   gpointer        user_data,
                   GError        **error)
{
  Deviation *d = user_data;
  const CdTrajectory *r = d->ref;
  gsize n = r->n_nodes, e = r->n_partnerships, row = s->index;

  d->worst = MAX (d->worst, fabs (s->mean_coordination - r->mean_coordination[row]));
  d->worst = MAX (d->worst, fabs (s->loss - r->loss[row]));
  for (gsize i = 0; i < n; i++)
    d->worst = MAX (d->worst, fabs (s->x[i] - r->x[row * n + i]));
  for (gsize i = 0; i < e; i++)
    d->worst = MAX (d->worst, fabs (s->trust[i] - r->trust[row * e + i]));
  return TRUE;
}

typedef struct
{
  CdStepper   stepper;
  const char *name;
} StepperName;

static const StepperName steppers[] = {
  { CD_STEPPER_TSIT5, "tsit5" },
  { CD_STEPPER_DOPRI5, "dopri5" },
  { CD_STEPPER_RK8PD, "rk8pd" },
  { CD_STEPPER_RKCK, "rkck" },
  { CD_STEPPER_RKF45, "rkf45" },
  { CD_STEPPER_RK4, "rk4" },
  { CD_STEPPER_MSADAMS, "msadams" },
};

/* Best wall time; median wall and CPU time of this thread when asked for. */
static gboolean
run_best_of (const CdSystem     *sys,
             const CdRunOptions *options,
             CdSampleFunc        sink,
             gpointer            sink_data,
             guint               repeat,
             double             *best,
             double             *median_wall,
             double             *median_cpu,
             GError            **error)
{
  g_autofree double *walls = g_new (double, repeat);
  g_autofree double *cpus = g_new (double, repeat);

  *best = INFINITY;
  for (guint r = 0; r < repeat; r++)
    {
      double t0 = now (), c0 = cpu_now (CLOCK_THREAD_CPUTIME_ID);
      if (!cd_simulate (sys, options, sink, sink_data, NULL, error))
        return FALSE;
      walls[r] = now () - t0;
      cpus[r] = cpu_now (CLOCK_THREAD_CPUTIME_ID) - c0;
      *best = MIN (*best, walls[r]);
    }
  if (median_wall)
    *median_wall = median (walls, repeat);
  if (median_cpu)
    *median_cpu = median (cpus, repeat);
  return TRUE;
}

/* The integration pinned to each processor in turn.  The two cores of the
 * VM these figures come from are not always equal: for a while cache-bound
 * code (this) ran 1.4 times slower on one than on the other, while a
 * dependent chain of floating-point operations took the same on both
 * (bench/README.md, "Issue 17, fifth pass").  Which core a run's threads
 * land on then moves its time by more than most changes do. */
static void
time_per_cpu (const CdSystem *sys,
              CdRunOptions   *options,
              int             repeat)
{
#ifdef __linux__
  cpu_set_t all;

  if (sched_getaffinity (0, sizeof all, &all) != 0)
    return;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    {
      g_autoptr(GError) error = NULL;
      cpu_set_t one;
      double best, median_wall, cpu_time;

      if (!CPU_ISSET (cpu, &all))
        continue;
      CPU_ZERO (&one);
      CPU_SET (cpu, &one);
      if (sched_setaffinity (0, sizeof one, &one) != 0)
        continue;
      if (run_best_of (sys, options, discard_sample, NULL, repeat, &best, &median_wall,
                       &cpu_time, &error))
        printf ("  on processor %-3d  best %.4f s, median %.4f s\n", cpu, best, median_wall);
      else
        fprintf (stderr, "bench-engine: %s\n", error->message);
    }
  sched_setaffinity (0, sizeof all, &all);
#else
  printf ("  (--per-cpu: processors can only be chosen on Linux here)\n");
#endif
}

/* Formatting the run's numbers (x of every sample, as the CSV has them),
 * a row at a time as the writer does (eight numbers at a time where the
 * processor has AVX-512) and one number at a time. */
static void
time_formatting (const CdSystem *sys,
                 int             repeat)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTrajectory) run = cd_simulate_trajectory (sys, NULL, NULL, &error);
  gsize n, cells;
  g_autofree char *text = NULL;
  double row_best = INFINITY, one_best = INFINITY;
  gboolean same = TRUE;

  if (run == NULL)
    {
      fprintf (stderr, "bench-engine: %s\n", error->message);
      return;
    }
  n = run->n_nodes;
  cells = (gsize) run->n_samples * n;
  /* a row's text and the 32 bytes past it that may be written */
  text = g_malloc (2 * (n * 26 + 32));
  for (int r = 0; r < repeat; r++)
    {
      double t0 = now (), t1, t2;
      gsize row_length = 0, one_length = 0;

      for (guint k = 0; k < run->n_samples; k++)
        row_length += cd_g17_put_cells (text, run->x + k * n, n) - text;
      t1 = now ();
      for (guint k = 0; k < run->n_samples; k++)
        {
          char *p = text + n * 26 + 32;

          for (gsize i = 0; i < n; i++)
            {
              *p++ = ',';
              p += cd_format_g17 (p, run->x[k * n + i]);
            }
          one_length += p - (text + n * 26 + 32);
        }
      t2 = now ();
      same = same && row_length == one_length;
      row_best = MIN (row_best, t1 - t0);
      one_best = MIN (one_best, t2 - t1);
    }
  printf ("format x of every sample (%" G_GSIZE_FORMAT " numbers, best of %d): a row at a "
          "time %.1f ns a number (%s), one at a time %.1f ns%s\n", cells, repeat,
          1e9 * row_best / cells,
          cd_g17_vectorized () ? "eight at a time, AVX-512" : "one at a time: no AVX-512",
          1e9 * one_best / cells, same ? "" : "  LENGTHS DIFFER");
}

int
main (int    argc,
      char **argv)
{
  double t_end = 60.0, dt = 0.1;
  int repeat = 3, csv_threads = 0;
  gboolean no_steppers = FALSE, forces = FALSE, trust = FALSE, per_cpu = FALSE;
  g_autofree char *csv_path = NULL;
  GOptionEntry entries[] = {
    { "t-end", 0, 0, G_OPTION_ARG_DOUBLE, &t_end, "Simulate until T (default 60)", "T" },
    { "dt", 0, 0, G_OPTION_ARG_DOUBLE, &dt, "Sample every D (default 0.1)", "D" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Best of N for each timing (default 3)",
      "N" },
    { "forces", 0, 0, G_OPTION_ARG_NONE, &forces, "Also write the four forces", NULL },
    { "trust", 0, 0, G_OPTION_ARG_NONE, &trust, "Also write trust", NULL },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      "Write the CSV here (default: a temporary file, removed)", "FILE" },
    { "no-steppers", 0, 0, G_OPTION_ARG_NONE, &no_steppers, "Skip the stepper comparison",
      NULL },
    { "per-cpu", 0, 0, G_OPTION_ARG_NONE, &per_cpu,
      "Also time the integration on each processor in turn (are the cores equal?)", NULL },
    { "csv-threads", 0, 0, G_OPTION_ARG_INT, &csv_threads,
      "Threads formatting the CSV (default 0: as coordyn-cli run, 2 where there are 2 cores)",
      "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[MODEL.json]");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdSystem) sys = NULL;
  g_autofree char *json = NULL;
  g_autofree char *tmp_dir = NULL;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  CdRunStats stats = { 0 };
  double t0, t_load = INFINITY, t_compile = INFINITY, t_integrate, t_total;
  double t_integrate_median, cpu_integrate;
  g_autofree double *total_walls = NULL;
  g_autofree double *total_cpus = NULL;
  gsize length = 0;
  guint n_samples;

  g_option_context_set_summary (context,
    "Times the stages of a run on the national model (generated with seed 1) or on MODEL.json,\n"
    "and compares the integrators. Prints figures; asserts nothing.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc > 2 || repeat < 1
      || !(t_end > 0) || !(dt > 0) || dt > t_end)
    {
      fprintf (stderr, "bench-engine: %s\n",
               error ? error->message : "usage: bench-engine [OPTION…] [MODEL.json]; "
                                        "t-end, dt and repeat must be positive, dt ≤ t-end");
      return 2;
    }

  /* The model as file text, so that loading is timed as the CLI does it. */
  if (argc == 2)
    {
      if (!g_file_get_contents (argv[1], &json, &length, &error))
        {
          fprintf (stderr, "bench-engine: %s\n", error->message);
          return 1;
        }
    }
  else
    {
      g_autoptr(CdModel) generated = NULL;

      t0 = now ();
      generated = cd_generate_national (1);
      json = cd_model_to_json (generated, &length);
      printf ("generate national (seed 1)     %8.4f s  (%.1f MB of JSON)\n", now () - t0,
              length / 1e6);
    }

  for (int r = 0; r < repeat; r++)
    {
      g_clear_pointer (&model, cd_model_free);
      t0 = now ();
      model = cd_model_load_data (json, length, &error);
      if (model == NULL)
        {
          fprintf (stderr, "bench-engine: %s: %s\n", argc == 2 ? argv[1] : "national",
                   error->message);
          return 1;
        }
      t_load = MIN (t_load, now () - t0);
    }
  g_assert (model != NULL);   /* repeat ≥ 1 */
  model->sim.t_end = t_end;
  model->sim.dt = dt;
  for (int r = 0; r < repeat; r++)
    {
      g_clear_pointer (&sys, cd_system_free);
      t0 = now ();
      sys = cd_system_new (model, &error);
      if (sys == NULL)
        {
          fprintf (stderr, "bench-engine: %s\n", error->message);
          return 1;
        }
      t_compile = MIN (t_compile, now () - t0);
    }
  g_assert (sys != NULL);
  n_samples = cd_run_n_samples (t_end, dt);
  printf ("model: %u governments, %u partnerships, %u state variables, %u pieces; "
          "t_end %g, dt %g (%u samples), rtol %g, atol %g\n",
          cd_system_get_n_nodes (sys), cd_system_get_n_partnerships (sys),
          cd_system_get_n_state (sys), cd_system_get_n_pieces (sys), t_end, dt, n_samples,
          cd_system_get_sim (sys)->rtol, cd_system_get_sim (sys)->atol);
  printf ("load JSON (best of %d)          %8.4f s\n", repeat, t_load);
  printf ("compile (best of %d)            %8.4f s\n", repeat, t_compile);

  options.forces = forces;
  options.trust = trust;
  options.stats = &stats;
  options.threads = 1;   /* the integration alone, in this thread */
  if (!run_best_of (sys, &options, discard_sample, NULL, repeat, &t_integrate,
                    &t_integrate_median, &cpu_integrate, &error))
    {
      fprintf (stderr, "bench-engine: %s\n", error->message);
      return 1;
    }
  printf ("integrate, default (best of %d) %8.4f s  %" G_GUINT64_FORMAT " steps (%"
          G_GUINT64_FORMAT " rejected), %" G_GUINT64_FORMAT " evaluations, %.0f evaluations/s,"
          " %.2f µs per evaluation\n", repeat, t_integrate, stats.steps, stats.rejected,
          stats.evaluations, stats.evaluations / t_integrate,
          1e6 * t_integrate / stats.evaluations);
  printf ("  median of %d: wall %.4f s, CPU %.4f s (%.2f µs of CPU per evaluation); corners "
          "of the right-hand side: %" G_GUINT64_FORMAT " landed on, %" G_GUINT64_FORMAT
          " stepped over\n", repeat, t_integrate_median, cpu_integrate,
          1e6 * cpu_integrate / stats.evaluations, stats.corners_landed, stats.corners_passed);

  if (per_cpu)
    time_per_cpu (sys, &options, repeat);
  time_formatting (sys, repeat);

  /* Integration and CSV writing together, as `coordyn-cli run` does them:
   * with a second core, integrating on a worker thread while this one
   * writes. */
  options.threads = 0;
  if (csv_path == NULL)
    {
      tmp_dir = g_dir_make_tmp ("coordyn-bench-XXXXXX", &error);
      if (tmp_dir == NULL)
        {
          fprintf (stderr, "bench-engine: %s\n", error->message);
          return 1;
        }
      csv_path = g_build_filename (tmp_dir, "run.csv", NULL);
    }
  t_total = INFINITY;
  total_walls = g_new (double, repeat);
  total_cpus = g_new (double, repeat);
  for (int r = 0; r < repeat; r++)
    {
      g_autoptr(CdCsvWriter) writer = NULL;
      FILE *out = fopen (csv_path, "w");
      double c0 = cpu_now (CLOCK_PROCESS_CPUTIME_ID);
      gboolean ok;

      if (out == NULL)
        {
          fprintf (stderr, "bench-engine: cannot write %s\n", csv_path);
          return 1;
        }
      t0 = now ();
      writer = cd_csv_writer_new (out, sys, forces, trust);
      cd_csv_writer_set_threads (writer, csv_threads);
      options.prepare = cd_csv_prepare_sample;   /* as coordyn-cli run */
      options.prepare_data = writer;
      options.help_integrate = TRUE;
      ok = cd_csv_write_header (writer, &error)
           && cd_simulate (sys, &options, cd_csv_write_sample, writer, NULL, &error)
           && cd_csv_writer_finish (writer, &error);
      ok = (fclose (out) == 0) && ok;
      if (!ok)
        {
          fprintf (stderr, "bench-engine: %s\n", error ? error->message : "write failed");
          return 1;
        }
      total_walls[r] = now () - t0;
      total_cpus[r] = cpu_now (CLOCK_PROCESS_CPUTIME_ID) - c0;
      t_total = MIN (t_total, total_walls[r]);
    }
  {
    GStatBuf st;
    double mb = g_stat (csv_path, &st) == 0 ? st.st_size / 1e6 : NAN;
    printf ("integrate + write CSV           %8.4f s  (%.1f MB; %s; CSV formatted on %s)\n",
            t_total, mb,
            g_get_num_processors () > 1 && cd_system_get_n_state (sys) >= 1024
            ? "pipelined: integration on a second thread" : "one thread",
            csv_threads == 1 ? "one thread"
            : "two threads: a helper where rows are wide, the integration's while it waits");
    printf ("  median of %d: wall %.4f s, CPU of the process %.4f s; the consumer's thread "
            "did %" G_GUINT64_FORMAT " parts of stages in the last run\n", repeat,
            median (total_walls, repeat), median (total_cpus, repeat), stats.helped);
  }
  if (tmp_dir != NULL)
    {
      g_remove (csv_path);
      g_rmdir (tmp_dir);
    }
  printf ("load + compile + integrate + write  %8.4f s;  peak RSS %.1f MiB\n",
          t_load + t_compile + t_total, peak_rss_mib ());

  if (!no_steppers)
    {
      g_autoptr(CdModel) tight_model = cd_model_copy (model);
      g_autoptr(CdSystem) tight = NULL;
      g_autoptr(CdTrajectory) ref = NULL;
      CdRunOptions ref_options = CD_RUN_OPTIONS_INIT;

      /* The error each stepper really makes, against rk8pd at a tolerance
       * 10^4 times tighter. */
      tight_model->sim.rtol = cd_system_get_sim (sys)->rtol * 1e-4;
      tight_model->sim.atol = cd_system_get_sim (sys)->atol * 1e-4;
      tight = cd_system_new (tight_model, &error);
      ref_options.trust = TRUE;
      ref = tight ? cd_simulate_trajectory (tight, &ref_options, NULL, &error) : NULL;
      if (ref == NULL)
        {
          fprintf (stderr, "bench-engine: reference run: %s\n", error->message);
          return 1;
        }
      printf ("\nsteppers at rtol %g, atol %g (error: largest |difference| of any output "
              "from rk8pd at rtol %g):\n", cd_system_get_sim (sys)->rtol,
              cd_system_get_sim (sys)->atol,
              cd_system_get_sim (tight)->rtol);
      printf ("  %-8s %10s %9s %9s %12s %10s %11s\n", "stepper", "time (s)", "steps",
              "rejected", "evaluations", "evals/step", "error");
      for (guint s = 0; s < G_N_ELEMENTS (steppers); s++)
        {
          CdRunOptions o = CD_RUN_OPTIONS_INIT;
          Deviation dev = { ref, 0.0 };
          double t_best;

          o.stepper = steppers[s].stepper;
          o.stats = &stats;
          o.threads = 1;
          if (!run_best_of (sys, &o, discard_sample, NULL, repeat, &t_best, NULL, NULL,
                            &error))
            {
              printf ("  %-8s failed: %s\n", steppers[s].name, error->message);
              g_clear_error (&error);
              continue;
            }
          if (!cd_simulate (sys, &o, measure_deviation, &dev, NULL, &error))
            {
              printf ("  %-8s failed: %s\n", steppers[s].name, error->message);
              g_clear_error (&error);
              continue;
            }
          printf ("  %-8s %10.4f %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT " %12"
                  G_GUINT64_FORMAT " %10.2f %11.2e\n", steppers[s].name, t_best, stats.steps,
                  stats.rejected, stats.evaluations,
                  (double) stats.evaluations / MAX (stats.steps + stats.rejected, 1),
                  dev.worst);
        }
    }
  return 0;
}
