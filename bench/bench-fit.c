/* bench-fit.c — a two-parameter fit on the Yangtze River Delta example
 * (issue 15: ≤ 2 s): the bundled synthetic observed series, pressure.crisis
 * and resistance.fragmentation, the default 8 starts and intervals, on 1
 * and 2 threads.  Prints the wall time of each repeat and their median, the
 * runs of the model it took, and the estimates; asserts no time.
 *
 * Usage: bench-fit [REPEATS] [--profile]   (default 5 repeats)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd-fit.h"
#include "cd-model-json.h"
#include "cd-observed.h"

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *model_path = g_build_filename (SOURCE_EXAMPLES_DIR,
                                                  "yangtze-river-delta.json", NULL);
  g_autofree char *observed_path = g_build_filename (SOURCE_EXAMPLES_DIR, "fit",
                                                     "yangtze-synthetic-observed.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdObserved) obs = NULL;
  const CdParam params[] = { CD_PARAM_PRESSURE_CRISIS, CD_PARAM_RESISTANCE_FRAGMENTATION };
  guint repeats = argc > 1 && argv[1][0] != '-' ? (guint) strtoul (argv[1], NULL, 10) : 5;
  gboolean profile = argc > 1 && strcmp (argv[argc - 1], "--profile") == 0;
  double load[3] = { 0 };
  FILE *loadavg;

  model = cd_model_load_file (model_path, &error);
  if (model != NULL)
    obs = cd_observed_load_file (observed_path, &error);
  if (obs == NULL || !cd_observed_bind (obs, model, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  repeats = CLAMP (repeats, 1, 100);
  loadavg = fopen ("/proc/loadavg", "r");
  if (loadavg != NULL)
    {
      if (fscanf (loadavg, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
        load[0] = load[1] = load[2] = -1;
      fclose (loadavg);
    }
  printf ("fit of pressure.crisis and resistance.fragmentation to %u observations "
          "(%s intervals), %u processors, load %.2f %.2f %.2f\n",
          obs->n_values, profile ? "profile" : "auto", g_get_num_processors (), load[0],
          load[1], load[2]);
  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autofree double *seconds = g_new (double, repeats);
      CdFitOptions options = CD_FIT_OPTIONS_INIT;
      g_autoptr(CdFitResult) last = NULL;

      options.threads = threads;
      options.intervals = profile ? CD_FIT_INTERVALS_PROFILE : CD_FIT_INTERVALS_AUTO;
      for (guint r = 0; r < repeats; r++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(CdFitResult) res = cd_fit (model, -1, obs, params, 2, &options, NULL,
                                               &error);

          seconds[r] = (g_get_monotonic_time () - start) / 1e6;
          if (res == NULL)
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          g_clear_pointer (&last, cd_fit_result_free);
          last = g_steal_pointer (&res);
        }
      qsort (seconds, repeats, sizeof (double), compare_double);
      printf ("threads %u: median %.3f s (best %.3f, worst %.3f of %u); "
              "pressure.crisis %.4f ± %.4f, resistance.fragmentation %.4f ± %.4f\n",
              threads, seconds[repeats / 2], seconds[0], seconds[repeats - 1], repeats,
              last->estimates[0].estimate, last->estimates[0].std_error,
              last->estimates[1].estimate, last->estimates[1].std_error);
    }
  return 0;
}
