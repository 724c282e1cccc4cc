/* bench-optimize.c — policy design's benchmark (issue 16: a 3-lever
 * optimization on the Yangtze River Delta example, ≤ 30 s on 2 cores):
 * levers resistance.law at 2 per unit, resistance.supervision at 1 and
 * thrust.appraisal at 1 up to 2, total loss against cost, target final
 * mean coordination 0.9, seed 1 — the command
 *
 *   coordyn-cli optimize yangtze-river-delta.json --lever resistance.law:2 \
 *     --lever resistance.supervision:1 --lever thrust.appraisal:1:2 --target 0.9
 *
 * Prints each repeat's wall and process CPU time, their medians, the load
 * average before and after, the runs the search made and the front's size.
 * Asserts no time.
 *
 * Usage: bench-optimize [REPEATS] [THREADS]   (default 3 repeats, 2 threads)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "cd-analysis-optimize.h"
#include "cd-model-json.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec
         + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void
print_load (const char *when)
{
  double load[3] = { -1, -1, -1 };
  FILE *f = fopen ("/proc/loadavg", "r");

  if (f != NULL)
    {
      if (fscanf (f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
        load[0] = load[1] = load[2] = -1;
      fclose (f);
    }
  printf ("load %s: %.2f %.2f %.2f (%u processors)\n", when, load[0], load[1], load[2],
          g_get_num_processors ());
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *model_path = g_build_filename (SOURCE_EXAMPLES_DIR,
                                                  "yangtze-river-delta.json", NULL);
  const char *lever_texts[] = { "resistance.law:2", "resistance.supervision:1",
                                "thrust.appraisal:1:2" };
  guint repeats = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 3;
  guint threads = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 2;
  g_autoptr (GError) error = NULL;
  g_autoptr (CdModel) model = NULL;
  g_autofree double *wall = NULL, *cpu = NULL;
  CdLever levers[3];
  CdOptimizeOptions options = CD_OPTIMIZE_OPTIONS_INIT;

  repeats = CLAMP (repeats, 1, 50);
  threads = CLAMP (threads, 1, 64);
  model = cd_model_load_file (model_path, &error);
  for (guint i = 0; model != NULL && i < G_N_ELEMENTS (levers); i++)
    if (!cd_lever_parse (&levers[i], lever_texts[i], model->version, &error))
      break;
  if (error != NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  options.threads = threads;
  options.has_target = TRUE;
  options.target = 0.9;
  wall = g_new (double, repeats);
  cpu = g_new (double, repeats);
  printf ("optimize: Yangtze River Delta, 3 levers, objective loss, target 0.9, "
          "%u thread(s)\n", threads);
  print_load ("before");
  for (guint r = 0; r < repeats; r++)
    {
      double c0 = cpu_seconds ();
      gint64 start = g_get_monotonic_time ();
      g_autoptr (CdOptimize) opt = cd_optimize_run (model, levers, 3, &options, NULL, NULL,
                                                    NULL, &error);
      g_autofree char *target = NULL;

      wall[r] = (g_get_monotonic_time () - start) / 1e6;
      cpu[r] = cpu_seconds () - c0;
      if (opt == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      target = cd_optimize_target_text (opt);
      printf ("repeat %u: wall %.2f s, cpu %.2f s; %u runs, %u mixes on the front\n  %s\n",
              r + 1, wall[r], cpu[r], opt->n_runs, opt->front->len, target);
      fflush (stdout);
    }
  qsort (wall, repeats, sizeof (double), compare_double);
  qsort (cpu, repeats, sizeof (double), compare_double);
  printf ("median wall %.2f s (best %.2f, worst %.2f), median cpu %.2f s, of %u\n",
          wall[repeats / 2], wall[0], wall[repeats - 1], cpu[repeats / 2], repeats);
  print_load ("after");
  return 0;
}
