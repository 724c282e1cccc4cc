/* bench-scale.c — does a run cost in proportion to the network (issue 17)?
 *
 * Builds the national model (seed 1) and a model of K disjoint copies of it
 * (cd_generate_copies, K = 16 by default), whose every copy evolves exactly
 * as the original, and measures per state variable:
 *
 * - one right-hand side evaluation, in this thread, batches of the two
 *   models interleaved so that a drift of the machine's speed touches both;
 *   the same with the K copies' governments listed in a random order, read
 *   in the file's order and in the graph order (cd-system-order.c);
 * - a whole run (t_end 60, dt 0.1, samples discarded) in one thread, and
 *   the large model's run as coordyn-cli does it (threads as the engine
 *   chooses);
 *
 * and prints the ratio K copies : one copy, wall and CPU time (this
 * thread's: the figure to quote on a shared machine), with the peak RSS.
 * Prints figures; asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "cd-generate.h"
#include "cd-simulate.h"
#include "cd-system-private.h"

static double
wall_now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
process_cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
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

  return getrusage (RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss / 1024.0 : NAN;
}

typedef struct
{
  const char  *name;
  CdSystem    *sys;
  CdWorkspace *ws;
  double      *y;
  double      *dydt;
  const CdPiece *piece;
  guint        batch;         /* evaluations per timed batch */
  double      *wall;          /* per evaluation, per batch */
  double      *cpu;
} Subject;

static void
subject_init (Subject      *s,
              const char   *name,
              CdModel      *model,
              CdOrderChoice order,
              guint         repeat)
{
  g_autoptr(GError) error = NULL;
  guint n_state;

  s->name = name;
  s->sys = cd_system_new (model, &error);
  if (s->sys == NULL)
    g_error ("bench-scale: %s", error->message);
  cd_system_order (s->sys, order);
  n_state = cd_system_get_n_state (s->sys);
  s->ws = cd_workspace_new (s->sys);
  s->y = g_new (double, n_state);
  s->dydt = g_new (double, n_state);
  cd_system_initial_state (s->sys, s->y);
  /* t = 26: both emergencies active, so the crisis terms are computed */
  s->piece = cd_system_get_piece_at (s->sys, 26.0);
  /* about 20 ms a batch */
  s->batch = MAX (1u, (guint) (4e8 / n_state / 40));
  s->wall = g_new (double, repeat);
  s->cpu = g_new (double, repeat);
}

static void
subject_time_batch (Subject *s,
                    guint    round)
{
  double w0 = wall_now (), c0 = cpu_now ();

  for (guint r = 0; r < s->batch; r++)
    cd_system_evaluate (s->sys, s->piece, 26.0, s->y, s->dydt, NULL, s->ws);
  s->wall[round] = (wall_now () - w0) / s->batch;
  s->cpu[round] = (cpu_now () - c0) / s->batch;
}

static gboolean
discard (const CdSample *sample,
         gpointer        data,
         GError        **error)
{
  return TRUE;
}

typedef struct
{
  double   wall, cpu;
  CdRunStats stats;
} RunTime;

static RunTime
time_run (CdSystem *sys,
          guint     threads)
{
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  RunTime t = { 0 };
  double w0, c0;

  opt.threads = threads;
  opt.stats = &t.stats;
  w0 = wall_now ();
  c0 = process_cpu_now ();
  if (!cd_simulate (sys, &opt, discard, NULL, NULL, &error))
    g_error ("bench-scale: %s", error->message);
  t.wall = wall_now () - w0;
  t.cpu = process_cpu_now () - c0;
  return t;
}

int
main (int    argc,
      char **argv)
{
  int copies = 16, repeat = 11, runs = 3;
  GOptionEntry entries[] = {
    { "copies", 'k', 0, G_OPTION_ARG_INT, &copies, "Copies of the national model (default 16)",
      "K" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat,
      "Timed batches of evaluations of each model (default 11)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Whole runs of each model (default 3; 0: none)",
      "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) one = NULL;
  g_autoptr(CdModel) many = NULL;
  g_autoptr(CdModel) shuffled = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (17);
  Subject s1, sk, st, sf, sg;
  double w1, wk, c1, ck;
  guint n1, nk;
  double load[3] = { 0 };

  g_option_context_set_summary (context,
    "Cost per state variable of the national model and of K disjoint copies of it.\n"
    "Prints figures; asserts nothing.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || copies < 1 || repeat < 1
      || runs < 0)
    {
      fprintf (stderr, "bench-scale: %s\n",
               error ? error->message : "copies and repeat must be positive");
      return 2;
    }

  one = cd_generate_national (1);
  many = cd_generate_copies (one, (guint) copies);
  subject_init (&s1, "national", one, CD_ORDER_AUTO, (guint) repeat);
  subject_init (&sk, "copies", many, CD_ORDER_AUTO, (guint) repeat);
  subject_init (&st, "copies, threads", many, CD_ORDER_AUTO, (guint) repeat);

  cd_workspace_set_threads (st.ws, g_get_num_processors ());
  n1 = cd_system_get_n_state (s1.sys);
  nk = cd_system_get_n_state (sk.sys);
  if (getloadavg (load, 3) < 0)
    load[0] = NAN;
  printf ("national model: %u state variables; %d copies: %u; load average %.2f\n", n1, copies,
          nk, load[0]);

  /* warm up, then interleaved batches */
  subject_time_batch (&s1, 0);
  subject_time_batch (&sk, 0);
  subject_time_batch (&st, 0);

  for (int r = 0; r < repeat; r++)
    {
      subject_time_batch (&s1, r);
      subject_time_batch (&sk, r);
      subject_time_batch (&st, r);

    }
  w1 = median (s1.wall, repeat);
  wk = median (sk.wall, repeat);
  c1 = median (s1.cpu, repeat);
  ck = median (sk.cpu, repeat);
  printf ("one evaluation (median of %d batches): one copy %.1f µs, %d copies %.1f µs; "
          "CPU %.1f µs and %.1f µs\n", repeat, 1e6 * w1, copies, 1e6 * wk, 1e6 * c1, 1e6 * ck);
  printf ("  per state variable, %d copies : one copy = %.2f (wall), %.2f (CPU)\n", copies,
          (wk / nk) / (w1 / n1), (ck / nk) / (c1 / n1));
  {
    double wt = median (st.wall, repeat);
    guint used = cd_system_threads_worth_it (st.sys, g_get_num_processors ());

    printf ("  %d copies on %u threads: %.1f µs, per state variable %.2f of one copy in one "
            "thread\n", copies, used, 1e6 * wt, (wt / nk) / (w1 / n1));
  }
  if (runs > 0)
    {
      g_autofree double *r1w = g_new (double, runs);
      g_autofree double *rkw = g_new (double, runs);
      g_autofree double *rkc = g_new (double, runs);
      g_autofree double *r1c = g_new (double, runs);
      g_autofree double *rtw = g_new (double, runs);
      g_autofree double *rtc = g_new (double, runs);
      RunTime a = { 0 }, b = { 0 }, c = { 0 };

      for (int r = 0; r < runs; r++)
        {
          a = time_run (s1.sys, 1);
          b = time_run (sk.sys, 1);
          c = time_run (sk.sys, 0);
          r1w[r] = a.wall, r1c[r] = a.cpu;
          rkw[r] = b.wall, rkc[r] = b.cpu;
          rtw[r] = c.wall, rtc[r] = c.cpu;
        }
      printf ("whole run, t_end 60, dt 0.1, samples discarded (median of %d, interleaved):\n",
              runs);
      printf ("  one copy, one thread     %8.3f s  CPU %8.3f s  %" G_GUINT64_FORMAT
              " evaluations\n", median (r1w, runs), median (r1c, runs), a.stats.evaluations);
      printf ("  %2d copies, one thread    %8.3f s  CPU %8.3f s  %" G_GUINT64_FORMAT
              " evaluations\n", copies, median (rkw, runs), median (rkc, runs),
              b.stats.evaluations);
      printf ("  %2d copies, as the engine chooses  %8.3f s  CPU %8.3f s  %" G_GUINT64_FORMAT
              " evaluations\n", copies, median (rtw, runs), median (rtc, runs),
              c.stats.evaluations);
      printf ("  per state variable and evaluation, %d copies : one copy = %.2f (one thread, "
              "wall), %.2f (CPU); %.2f (as the engine chooses, wall)\n", copies,
              (median (rkw, runs) / nk / b.stats.evaluations)
              / (median (r1w, runs) / n1 / a.stats.evaluations),
              (median (rkc, runs) / nk / b.stats.evaluations)
              / (median (r1c, runs) / n1 / a.stats.evaluations),
              (median (rtw, runs) / nk / c.stats.evaluations)
              / (median (r1w, runs) / n1 / a.stats.evaluations));
    }
  if (getloadavg (load, 3) < 0)
    load[0] = NAN;
  printf ("load average %.2f\n", load[0]);
  printf ("peak RSS %.0f MiB (both models, their workspaces and runs)\n", peak_rss_mib ());

  /* The copies with their governments shuffled, in turn with one copy
   * again: read in the file's order and in the graph order. */
  shuffled = cd_model_copy (many);
  for (guint i = shuffled->nodes->len - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i + 1);
      gpointer t = shuffled->nodes->pdata[i];

      shuffled->nodes->pdata[i] = shuffled->nodes->pdata[j];
      shuffled->nodes->pdata[j] = t;
    }
  subject_init (&sf, "shuffled, file order", shuffled, CD_ORDER_FILE, (guint) repeat);
  subject_init (&sg, "shuffled, graph order", shuffled, CD_ORDER_AUTO, (guint) repeat);
  subject_time_batch (&sf, 0);
  subject_time_batch (&sg, 0);
  for (int r = 0; r < repeat; r++)
    {
      subject_time_batch (&s1, r);
      subject_time_batch (&sf, r);
      subject_time_batch (&sg, r);
    }
  c1 = median (s1.cpu, repeat);
  {
    double cf = median (sf.cpu, repeat), cg = median (sg.cpu, repeat);

    printf ("%d copies, governments shuffled (median of %d batches, CPU): %.1f µs in the "
            "file's order, %.1f µs in the graph order (%s); one copy %.1f µs\n", copies, repeat,
            1e6 * cf, 1e6 * cg, sg.sys->order ? "chosen" : "NOT chosen", 1e6 * c1);
    printf ("  per state variable, shuffled : one copy = %.2f (file's order), %.2f (graph "
            "order)\n", (cf / nk) / (c1 / n1), (cg / nk) / (c1 / n1));
  }

  return 0;
}
