/* bench-equilibria.c — equilibria with stability, and sweeps, at national size.
 *
 *   bench-equilibria [OPTION…] [MODEL.json]
 *
 * Without a model file: the national model (cd_generate_national, seed 1).
 * Prints the size of the problem (state dimensions, non-zeros of the
 * Jacobian, colours), then for each repetition the wall and CPU seconds of
 * the equilibrium search and its result; with --sweep, of the sweep.  With
 * --crossover, dense against sparse on generated hierarchies of growing
 * size, to place CD_EQ_DENSE_MAX.  Prints the load average: on a shared
 * machine wall times mean little without it.  Asserts nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cd-analysis-equilibria.h"
#include "cd-analysis-sweep.h"
#include "cd-generate.h"
#include "cd-jacobian.h"
#include "cd-model-json.h"
/* the size of the Jacobian is counted on the state the analysis maps, from
 * the system's own arrays */
#include "cd-system-private.h"

static double
now_wall (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
now_cpu (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
print_load (void)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    printf ("load average: %s", text);
}

static gboolean
parse_method (const char *text,
              CdEqMethod *out)
{
  if (g_strcmp0 (text, "auto") == 0)
    *out = CD_EQ_METHOD_AUTO;
  else if (g_strcmp0 (text, "dense") == 0)
    *out = CD_EQ_METHOD_DENSE;
  else if (g_strcmp0 (text, "sparse") == 0)
    *out = CD_EQ_METHOD_SPARSE;
  else
    return FALSE;
  return TRUE;
}

static void
describe (const CdModel *model,
          double         at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdEqProblem) problem = NULL;
  g_autoptr(CdJacobian) jac = NULL;
  g_autofree guint *map = NULL;
  CdParameters params;
  guint dim = 0;

  if (sys == NULL)
    g_error ("%s", error->message);
  cd_model_parameters_at (model, at, &params);
  map = g_new (guint, sys->n_state);
  for (guint i = 0; i < sys->n_nodes; i++)
    if (!sys->fixed[i])
      map[dim++] = i;
  for (guint e = 0; e < sys->n_partnerships; e++)
    map[dim++] = sys->n_nodes + e;
  jac = cd_jacobian_new_for_system (sys, map, dim);
  printf ("model: %u governments, %u partnerships; state %u dimensions; Jacobian %u non-zeros, "
          "%u colours\n", sys->n_nodes, sys->n_partnerships, dim,
          cd_jacobian_matrix (jac)->nnz, cd_jacobian_n_colours (jac));
}

/* Returns the CPU seconds (on a shared machine the steadier figure). */
static double
time_equilibria (const CdModel             *model,
                 const CdEquilibriaOptions *options,
                 double                     at,
                 gboolean                   verbose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdEquilibria) eqs = NULL;
  double w0 = now_wall (), c0 = now_cpu (), wall, cpu;
  guint n_stable = 0;

  eqs = cd_find_equilibria (model, at, options, NULL, &error);
  wall = now_wall () - w0;
  cpu = now_cpu () - c0;
  if (eqs == NULL)
    g_error ("equilibria: %s", error->message);
  for (guint k = 0; k < eqs->equilibria->len; k++)
    n_stable += ((CdEquilibrium *) g_ptr_array_index (eqs->equilibria, k))->stable;
  if (verbose)
    {
      printf ("equilibria (%s): %.3f s wall, %.3f s CPU; %u found, %u stable;", eqs->sparse
              ? "sparse" : "dense", wall, cpu, eqs->equilibria->len, n_stable);
      for (guint k = 0; k < eqs->equilibria->len && k < 8; k++)
        {
          const CdEquilibrium *eq = g_ptr_array_index (eqs->equilibria, k);
          printf (" [x̄ %.4f, max Re λ %.6g]", eq->mean_coordination, eq->max_real);
        }
      printf ("\n");
    }
  return cpu;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

static void
progress_dot (double   fraction,
              gpointer data)
{
  fprintf (stderr, "\r%5.1f %%", 100 * fraction);
}

int
main (int    argc,
      char **argv)
{
  int repeat = 1, starts = -1, steps = 10;
  double at = 0.0, from = 0.0, to = 1.0;
  gboolean crossover = FALSE, progress = FALSE, all = FALSE, no_eq = FALSE;
  g_autofree char *method_text = NULL;
  g_autofree char *sweep_param = NULL;
  g_autofree char *hierarchy = NULL;
  GOptionEntry entries[] = {
    { "hierarchy", 0, 0, G_OPTION_ARG_STRING, &hierarchy,
      "Instead of the national model, cd_generate_hierarchy with P provinces, C cities and K "
      "counties", "P,C,K" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Repetitions (default 1)", "N" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method_text, "auto, dense or sparse", "M" },
    { "starts", 0, 0, G_OPTION_ARG_INT, &starts, "Random starts (default: the analysis's)",
      "N" },
    { "sweep", 0, 0, G_OPTION_ARG_STRING, &sweep_param, "Also sweep this parameter", "PARAM" },
    { "from", 0, 0, G_OPTION_ARG_DOUBLE, &from, "Sweep from (default 0)", "V" },
    { "to", 0, 0, G_OPTION_ARG_DOUBLE, &to, "Sweep to (default 1)", "V" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Sweep steps (default 10)", "N" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, "Sweep with every equilibrium (--all)", NULL },
    { "no-equilibria", 0, 0, G_OPTION_ARG_NONE, &no_eq, "Only the sweep", NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &progress, "Progress on stderr", NULL },
    { "crossover", 0, 0, G_OPTION_ARG_NONE, &crossover,
      "Dense against sparse on growing hierarchies", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[MODEL.json]");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  CdEquilibriaOptions options = CD_EQUILIBRIA_OPTIONS_INIT;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || repeat < 1 || argc > 2
      || (method_text != NULL && !parse_method (method_text, &options.method)))
    {
      fprintf (stderr, "bench-equilibria: %s\n", error ? error->message : "bad arguments");
      return 2;
    }
  if (starts >= 0)
    options.n_random = starts;
  if (progress)
    options.progress = progress_dot;
  print_load ();

  if (crossover)
    {
      /* Hierarchies from 4 to 97 governments (about twice as many
       * partnerships). */
      static const guint sizes[][3] = {
        { 1, 1, 2 }, { 1, 2, 4 }, { 1, 3, 6 }, { 2, 4, 8 }, { 2, 6, 12 }, { 3, 9, 24 },
        { 4, 12, 32 }, { 6, 18, 48 }, { 8, 24, 64 },
      };

      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autoptr(CdModel) m = cd_generate_hierarchy (1, sizes[s][0], sizes[s][1],
                                                        sizes[s][2]);
          g_autofree double *cpu = g_new (double, 2 * (gsize) repeat);
          double median[2];

          describe (m, at);
          /* dense and sparse in turn, so that a drift of the machine's
           * speed touches both alike */
          for (int r = 0; r < repeat; r++)
            for (guint k = 0; k < 2; k++)
              {
                CdEquilibriaOptions o = options;
                o.method = k == 0 ? CD_EQ_METHOD_DENSE : CD_EQ_METHOD_SPARSE;
                cpu[k * repeat + r] = time_equilibria (m, &o, at, r == 0);
              }
          for (guint k = 0; k < 2; k++)
            {
              qsort (cpu + k * repeat, repeat, sizeof (double), compare_double);
              median[k] = cpu[k * repeat + repeat / 2];
            }
          printf ("  median CPU of %d: dense %.4f s, sparse %.4f s (dense/sparse %.2f)\n",
                  repeat, median[0], median[1], median[0] / median[1]);
          fflush (stdout);
        }
      print_load ();
      return 0;
    }

  if (argc == 2)
    {
      model = cd_model_load_file (argv[1], &error);
      if (model == NULL)
        g_error ("%s", error->message);
    }
  else if (hierarchy != NULL)
    {
      guint p = 0, c = 0, k = 0;

      if (sscanf (hierarchy, "%u,%u,%u", &p, &c, &k) != 3 || p < 1 || c < p || k < c)
        g_error ("--hierarchy P,C,K with 1 ≤ P ≤ C ≤ K");
      model = cd_generate_hierarchy (1, p, c, k);
    }
  else
    model = cd_generate_national (1);
  describe (model, at);

  for (int r = 0; r < repeat && !no_eq; r++)
    time_equilibria (model, &options, at, TRUE);

  if (sweep_param != NULL)
    {
      CdParam param;

      if (!cd_param_from_path (sweep_param, &param))
        g_error ("no parameter %s", sweep_param);
      for (int r = 0; r < repeat; r++)
        {
          g_autoptr(CdSweep) sweep = NULL;
          double w0 = now_wall (), c0 = now_cpu ();
          double up = NAN, down = NAN;

          sweep = cd_sweep_run (model, param, from, to, steps, at, all,
                                progress ? progress_dot : NULL, NULL, NULL, &error);
          if (sweep == NULL)
            g_error ("sweep: %s", error->message);
          cd_sweep_tipping_point (sweep, CD_SWEEP_UP, &up);
          cd_sweep_tipping_point (sweep, CD_SWEEP_DOWN, &down);
          printf ("sweep %s %g → %g, %d steps%s: %.3f s wall, %.3f s CPU; %u points; tipping "
                  "up %g, down %g\n", sweep_param, from, to, steps, all ? " --all" : "",
                  now_wall () - w0, now_cpu () - c0, sweep->points->len, up, down);
        }
    }
  print_load ();
  return 0;
}
