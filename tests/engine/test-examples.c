/* test-examples.c — every bundled example loads, validates and runs.
 *
 * The examples are the first thing a user opens, so each one (and each of
 * its scenarios) is run to the end and its output checked for what docs/model.md
 * guarantees: finite numbers, coordination and trust within [0, 1], a loss
 * that starts at 0 and never falls, and a file that saves back losslessly.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-analysis-compare.h"
#include "cd-institution.h"
#include "cd-model-json.h"
#include "cd-simulate.h"

static void
check_run (const CdModel *model,
           const char    *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdTrajectory) tr = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  gsize n, m;

  g_assert_no_error (error);
  g_assert_nonnull (sys);
  opt.forces = TRUE;
  opt.trust = TRUE;
  tr = cd_simulate_trajectory (sys, &opt, NULL, &error);
  if (error != NULL)
    g_test_message ("%s: %s", what, error->message);
  g_assert_no_error (error);
  g_assert_cmpuint (tr->n_samples, ==, cd_run_n_samples (model->sim.t_end, model->sim.dt));
  n = tr->n_nodes;
  m = tr->n_partnerships;
  g_assert_cmpuint (n, ==, model->nodes->len);

  g_assert_cmpfloat (tr->loss[0], ==, 0.0);
  for (guint k = 0; k < tr->n_samples; k++)
    {
      g_assert_true (isfinite (tr->mean_coordination[k]));
      g_assert_cmpfloat (tr->mean_coordination[k], >=, 0.0);
      g_assert_cmpfloat (tr->mean_coordination[k], <=, 1.0);
      g_assert_true (isfinite (tr->loss[k]));
      if (k > 0)
        g_assert_cmpfloat (tr->loss[k], >=, tr->loss[k - 1]);
      for (gsize i = 0; i < n; i++)
        {
          double x = tr->x[k * n + i];
          g_assert_true (isfinite (x));
          /* the integrator may overshoot a bound by its tolerance, no more */
          g_assert_cmpfloat (x, >=, -1e-9);
          g_assert_cmpfloat (x, <=, 1.0 + 1e-9);
          g_assert_true (isfinite (tr->gravity[k * n + i]));
          g_assert_true (isfinite (tr->pressure[k * n + i]));
          g_assert_true (isfinite (tr->thrust[k * n + i]));
          g_assert_true (isfinite (tr->resistance[k * n + i]));
          g_assert_cmpfloat (tr->resistance[k * n + i], >=, 0.0);
        }
      for (gsize e = 0; e < m; e++)
        {
          double t = tr->trust[k * m + e];
          g_assert_true (isfinite (t));
          g_assert_cmpfloat (t, >=, -1e-9);
          g_assert_cmpfloat (t, <=, 1.0 + 1e-9);
        }
    }
  g_test_message ("%s: %u samples, X(t_end) = %.4f, L(t_end) = %.4f", what, tr->n_samples,
                  tr->mean_coordination[tr->n_samples - 1], tr->loss[tr->n_samples - 1]);
}

static void
test_example (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = cd_model_load_file (path, &error);
  g_autoptr(CdModel) again = NULL;
  g_autofree char *json = NULL;

  if (error != NULL)
    g_test_message ("%s: %s", path, error->message);
  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_cmpuint (model->nodes->len, >, 0);
  g_assert_true (cd_model_validate (model, &error));
  g_assert_no_error (error);
  /* the model file names itself: the window title and the open dialog show it */
  g_assert_cmpstr (model->name, !=, "");

  json = cd_model_to_json (model, NULL);
  again = cd_model_load_data (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_true (cd_model_equal (model, again));

  check_run (model, path);
  for (guint s = 0; s < model->scenarios->len; s++)
    {
      g_autoptr(CdModel) variant = cd_model_apply_scenario (model, (int) s, &error);
      g_autofree char *what = g_strdup_printf ("%s, scenario \"%s\"", path,
                                               ((CdScenario *) g_ptr_array_index (model->scenarios,
                                                                                  s))->name);
      g_assert_no_error (error);
      g_assert_true (cd_model_validate (variant, &error));
      g_assert_no_error (error);
      check_run (variant, what);
    }
}

/* The numbers data/examples/README.md gives for shared-basin.json under each
 * bundled arrangement: mean coordination at t = 5, 10, 15, 30, 80 and the
 * total loss, to the digits the README prints. */
static void
test_shared_basin_arrangements (gconstpointer data)
{
  static const struct { const char *name; double x[5]; double loss; } rows[] = {
    { NULL,                  { 0.105, 0.097, 0.857, 0.856, 0.855 }, 39.02 },
    { "china-campaign",      { 0.086, 0.081, 0.858, 0.851, 0.849 }, 39.07 },
    { "china-institutional", { 0.938, 0.943, 0.947, 0.944, 0.943 }, 33.07 },
    { "united-states",       { 0.767, 0.856, 0.875, 0.858, 0.857 }, 33.08 },
    { "japan",               { 0.860, 0.868, 0.899, 0.870, 0.868 }, 33.07 },
  };
  static const double times[5] = { 5, 10, 15, 30, 80 };
  g_autofree char *path = g_build_filename (data, "shared-basin.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = cd_model_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (model->version, ==, 2);
  for (guint k = 0; k < G_N_ELEMENTS (rows); k++)
    {
      g_autoptr(CdInstitution) inst = rows[k].name ? cd_institution_find (rows[k].name, &error)
                                                   : NULL;
      g_autoptr(CdModel) arranged = NULL;
      g_autoptr(CdSystem) sys = NULL;
      g_autoptr(CdTrajectory) tr = NULL;
      CdRunOptions opt = CD_RUN_OPTIONS_INIT;

      g_assert_no_error (error);
      arranged = inst ? cd_institution_apply (inst, model, &error) : cd_model_copy (model);
      g_assert_no_error (error);
      sys = cd_system_new (arranged, &error);
      g_assert_no_error (error);
      tr = cd_simulate_trajectory (sys, &opt, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < 5; i++)
        {
          guint s = (guint) llround (times[i] / model->sim.dt);
          if (fabs (tr->mean_coordination[s] - rows[k].x[i]) > 5e-4 + 1e-12)
            {
              g_test_message ("%s at t = %g: X = %.4f, the README says %.3f",
                              rows[k].name ? rows[k].name : "no arrangement", times[i],
                              tr->mean_coordination[s], rows[k].x[i]);
              g_test_fail ();
            }
        }
      if (fabs (tr->loss[tr->n_samples - 1] - rows[k].loss) > 5e-3 + 1e-12)
        {
          g_test_message ("%s: total loss %.3f, the README says %.2f",
                          rows[k].name ? rows[k].name : "no arrangement",
                          tr->loss[tr->n_samples - 1], rows[k].loss);
          g_test_fail ();
        }
    }
}

/* The table data/examples/README.md gives for the Huai River pair, which
 * were migrated to model 2 (the numbers changed with it, on purpose: see
 * the README): mean coordination at t = 5, 10, 15, 20, 30, 50, 80 and the
 * total loss, to the digits printed. */
static void
test_huai_pair (gconstpointer data)
{
  static const struct { const char *file; double x[7]; double loss; } rows[] = {
    { "flood-campaign.json",    { 0.014, 0.012, 0.754, 0.663, 0.333, 0.292, 0.293 }, 53.3 },
    { "flood-institution.json", { 0.064, 0.052, 0.925, 0.897, 0.877, 0.873, 0.873 }, 49.1 },
  };
  static const double times[7] = { 5, 10, 15, 20, 30, 50, 80 };

  for (guint k = 0; k < G_N_ELEMENTS (rows); k++)
    {
      g_autofree char *path = g_build_filename (data, rows[k].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CdModel) model = cd_model_load_file (path, &error);
      g_autoptr(CdSystem) sys = NULL;
      g_autoptr(CdTrajectory) tr = NULL;
      CdRunOptions opt = CD_RUN_OPTIONS_INIT;

      g_assert_no_error (error);
      g_assert_cmpint (model->version, ==, 2);
      sys = cd_system_new (model, &error);
      g_assert_no_error (error);
      tr = cd_simulate_trajectory (sys, &opt, NULL, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < G_N_ELEMENTS (times); i++)
        {
          guint s = (guint) llround (times[i] / model->sim.dt);
          if (fabs (tr->mean_coordination[s] - rows[k].x[i]) > 5e-4 + 1e-12)
            {
              g_test_message ("%s at t = %g: X = %.4f, the README says %.3f", rows[k].file,
                              times[i], tr->mean_coordination[s], rows[k].x[i]);
              g_test_fail ();
            }
        }
      if (fabs (tr->loss[tr->n_samples - 1] - rows[k].loss) > 0.05 + 1e-12)
        {
          g_test_message ("%s: total loss %.3f, the README says %.1f", rows[k].file,
                          tr->loss[tr->n_samples - 1], rows[k].loss);
          g_test_fail ();
        }
    }
}

static void
test_no_examples (gconstpointer data)
{
  g_test_fail_printf ("no *.json model in %s: the bundled examples are missing",
                      (const char *) data);
}

/* g_ptr_array_sort passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
main (int    argc,
      char **argv)
{
  const char *dir_path;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_test_init (&argc, &argv, NULL);

  dir_path = g_getenv ("COORDYN_EXAMPLES_DIR");
  if (dir_path == NULL)
    dir_path = SOURCE_EXAMPLES_DIR;
  dir = g_dir_open (dir_path, 0, &error);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *stem = g_strndup (file, strlen (file) - strlen (".json"));
      g_autofree char *test_path = g_strdup_printf ("/engine/examples/%s", stem);
      char *path = g_build_filename (dir_path, file, NULL);

      g_ptr_array_add (paths, path);
      g_test_add_data_func (test_path, path, test_example);
    }
  if (names->len == 0)
    g_test_add_data_func ("/engine/examples/none-found", dir_path, test_no_examples);
  else
    {
      g_test_add_data_func ("/engine/examples/shared-basin-arrangements", dir_path,
                            test_shared_basin_arrangements);
      g_test_add_data_func ("/engine/examples/huai-pair", dir_path, test_huai_pair);
    }

  return g_test_run ();
}
