/* bench-montecarlo.c — Monte Carlo throughput: runs per second on 1 and 2
 * threads (issue 6.5: 1,000 runs of the Yangtze River Delta example in
 * ≤ 2 s on 2 cores).  Prints figures; asserts no time.
 *
 * Usage: bench-montecarlo [MODEL.json] [RUNS]
 * (default: the bundled yangtze-river-delta.json, 1000 runs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cd-analysis-montecarlo.h"
#include "cd-model-json.h"

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  guint runs = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 1000;
  double rate_one = 0.0;

  path = argc > 1 ? g_strdup (argv[1])
                  : g_build_filename (SOURCE_EXAMPLES_DIR, "yangtze-river-delta.json", NULL);
  model = cd_model_load_file (path, &error);
  if (model == NULL)
    {
      fprintf (stderr, "%s: %s\n", path, error->message);
      return 1;
    }
  if (model->ranges->len == 0)
    {
      fprintf (stderr, "%s: the model has no \"ranges\" to sample\n", path);
      return 1;
    }
  printf ("model %s: %u governments, %u ties, %u ranges, %u runs, %u processors\n", path,
          model->nodes->len, model->edges->len, model->ranges->len, runs,
          g_get_num_processors ());
  for (guint threads = 1; threads <= 2; threads++)
    {
      CdMonteCarloOptions options = { runs, 1, 0, 0, threads, FALSE };
      g_autoptr(CdMonteCarlo) mc = NULL;
      gint64 start = g_get_monotonic_time ();
      double seconds, rate;

      mc = cd_montecarlo_run (model, NULL, &options, NULL, NULL, NULL, &error);
      if (mc == NULL)
        {
          fprintf (stderr, "%s: %s\n", path, error->message);
          return 1;
        }
      seconds = (g_get_monotonic_time () - start) / 1e6;
      rate = runs / seconds;
      if (threads == 1)
        rate_one = rate;
      printf ("threads %u: %.3f s, %.0f runs/s, speed-up %.2f\n", threads, seconds, rate,
              rate / rate_one);
    }
  return 0;
}
