/* test-montecarlo.c — Monte Carlo: reproducible whatever the threads and the
 * sharding, and quantile bands right on a case whose distribution is known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cd-analysis-montecarlo.h"
#include "cd-model-json.h"

static CdModel *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_data (json, strlen (json), &error);

  g_assert_no_error (error);
  return model;
}

/* A small network with an emergency, an intervention and four ranges. */
static const char study_json[] =
  "{ \"simulation\": {\"t_end\": 20, \"dt\": 0.5},"
  "  \"nodes\": [ {\"id\": \"c\", \"level\": \"central\"}, {\"id\": \"p\"}, {\"id\": \"q\"},"
  "             {\"id\": \"r\", \"vulnerability\": 0.9} ],"
  "  \"edges\": [ {\"kind\": \"command\", \"source\": \"c\", \"target\": \"p\"},"
  "             {\"kind\": \"command\", \"source\": \"c\", \"target\": \"q\"},"
  "             {\"kind\": \"partnership\", \"source\": \"p\", \"target\": \"q\"},"
  "             {\"kind\": \"partnership\", \"source\": \"q\", \"target\": \"r\"} ],"
  "  \"events\": [ {\"onset\": 2, \"magnitude\": 1, \"decay\": 4,"
  "                \"impact\": {\"r\": 1, \"q\": 0.5}} ],"
  "  \"interventions\": [ {\"at\": 10, \"set\": {\"resistance.law\": 0.5}} ],"
  "  \"ranges\": {"
  "    \"gravity.trust\": {\"distribution\": \"triangular\","
  "                      \"min\": 0.5, \"max\": 2, \"mode\": 1},"
  "    \"pressure.crisis\": {\"distribution\": \"uniform\", \"min\": 1, \"max\": 3},"
  "    \"resistance.law\": {\"distribution\": \"uniform\", \"min\": 0, \"max\": 0.3},"
  "    \"dynamics.rationality\": {\"distribution\": \"uniform\", \"min\": 2, \"max\": 6} } }";

static CdMonteCarlo *
study (const CdModel *model,
       guint          threads,
       guint          shard,
       guint          n_shards)
{
  CdMonteCarloOptions options = { 60, 42, shard, n_shards, threads, FALSE };
  g_autoptr(GError) error = NULL;
  CdMonteCarlo *mc = cd_montecarlo_run (model, NULL, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (mc);
  return mc;
}

static void
test_reproducible (void)
{
  g_autoptr(CdModel) model = load (study_json);
  g_autoptr(CdMonteCarlo) one = study (model, 1, 0, 0);
  guint d = one->ranges->len;

  g_assert_cmpuint (one->n_rows, ==, 60);
  for (guint threads = 2; threads <= 4; threads *= 2)
    {
      g_autoptr(CdMonteCarlo) many = study (model, threads, 0, 0);
      g_assert_cmpmem (many->samples, 60 * d * sizeof (double), one->samples,
                       60 * d * sizeof (double));
      g_assert_cmpmem (many->outcomes, 60 * sizeof (CdOutcome), one->outcomes,
                       60 * sizeof (CdOutcome));
    }

  /* Shards of unequal sizes, computed with different thread counts, put
   * back together are the whole study. */
  for (guint n_shards = 1; n_shards <= 7; n_shards += 3)
    {
      guint next = 0;
      for (guint k = 1; k <= n_shards; k++)
        {
          g_autoptr(CdMonteCarlo) part = study (model, 1 + k % 3, k, n_shards);
          g_assert_cmpuint (part->first_run, ==, next);
          g_assert_cmpmem (part->samples, part->n_rows * d * sizeof (double),
                           one->samples + (gsize) next * d, part->n_rows * d * sizeof (double));
          g_assert_cmpmem (part->outcomes, part->n_rows * sizeof (CdOutcome),
                           one->outcomes + next, part->n_rows * sizeof (CdOutcome));
          next += part->n_rows;
        }
      g_assert_cmpuint (next, ==, 60);
    }

  /* Samples lie in their ranges, and another seed gives other samples. */
  {
    double other[4];
    for (guint r = 0; r < 60; r++)
      for (guint i = 0; i < d; i++)
        {
          const CdRange *range = &g_array_index (one->ranges, CdRange, i);
          double v = one->samples[r * d + i];
          g_assert_cmpfloat (v, >=, range->min);
          g_assert_cmpfloat (v, <=, range->max);
        }
    cd_montecarlo_sample (one->ranges, 43, 0, other);
    g_assert_cmpfloat (other[0], !=, one->samples[0]);
  }
}

static void
test_quantile_function (void)
{
  const double v[] = { 1, 2, 3, 4 };

  /* numpy.quantile([1, 2, 3, 4], p) */
  g_assert_cmpfloat_with_epsilon (cd_quantile_sorted (v, 4, 0.0), 1.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (cd_quantile_sorted (v, 4, 0.25), 1.75, 1e-15);
  g_assert_cmpfloat_with_epsilon (cd_quantile_sorted (v, 4, 0.5), 2.5, 1e-15);
  g_assert_cmpfloat_with_epsilon (cd_quantile_sorted (v, 4, 0.95), 3.85, 1e-15);
  g_assert_cmpfloat_with_epsilon (cd_quantile_sorted (v, 4, 1.0), 4.0, 1e-15);
  g_assert_cmpfloat_with_epsilon (cd_quantile_sorted (v, 1, 0.3), 1.0, 1e-15);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

/* One government alone, no partners, no superiors: F = −r_f f, so it
 * settles at x* = σ(−β r_f f) = σ(−2 r_f) for β = 4, f = 1/2, and after
 * t = 50 with λ = 1 it is there to e^−50.  With r_f ~ U[0, 2] the final
 * mean coordination is a decreasing function of a uniform sample, so its
 * p-quantile is σ(−2 · 2(1 − p)). */
static void
test_known_quantiles (void)
{
  g_autoptr(CdModel) model = load (
    "{ \"parameters\": {\"thrust\": {\"info\": 0, \"appraisal\": 0},"
    "                   \"resistance\": {\"burden\": 0}},"
    "  \"simulation\": {\"t_end\": 50, \"dt\": 1},"
    "  \"nodes\": [ {\"id\": \"alone\", \"fragmentation\": 0.5, \"x0\": 0.5} ],"
    "  \"ranges\": {\"resistance.fragmentation\": {\"min\": 0, \"max\": 2}} }");
  CdMonteCarloOptions options = { 4000, 2024, 0, 0, 0, TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(CdMonteCarlo) mc = cd_montecarlo_run (model, NULL, &options, NULL, NULL, NULL,
                                                  &error);
  g_autofree double *finals = NULL;
  guint last;

  g_assert_no_error (error);
  g_assert_cmpuint (mc->n_times, ==, 51);
  last = mc->n_times - 1;
  g_assert_cmpfloat (mc->t[last], ==, 50.0);
  finals = g_new (double, mc->n_rows);
  for (guint r = 0; r < mc->n_rows; r++)
    {
      double rf = mc->samples[r];
      finals[r] = mc->outcomes[r].final_mean;
      /* to the integrator's tolerance (rtol 1e-8) */
      g_assert_cmpfloat_with_epsilon (finals[r], 1.0 / (1.0 + exp (2.0 * rf)), 1e-7);
    }
  qsort (finals, mc->n_rows, sizeof (double), compare_doubles);
  for (guint b = 0; b < CD_MC_N_BANDS; b++)
    {
      double p = cd_mc_band_levels[b];
      double band = mc->band_mean[last * CD_MC_N_BANDS + b];
      double expected = 1.0 / (1.0 + exp (4.0 * (1.0 - p)));
      /* exactly the empirical quantile of the runs' final values … */
      g_assert_cmpfloat_with_epsilon (band, cd_quantile_sorted (finals, mc->n_rows, p), 1e-15);
      /* … and, 4000 runs being many, near the true one (4 standard errors) */
      g_assert_cmpfloat_with_epsilon (band, expected, 0.02);
      /* no emergency: no loss */
      g_assert_cmpfloat (mc->band_loss[last * CD_MC_N_BANDS + b], ==, 0.0);
    }
  /* bands are ordered at every time, and all start at x0 */
  for (guint k = 0; k < mc->n_times; k++)
    for (guint b = 1; b < CD_MC_N_BANDS; b++)
      g_assert_cmpfloat (mc->band_mean[k * CD_MC_N_BANDS + b], >=,
                         mc->band_mean[k * CD_MC_N_BANDS + b - 1]);
  g_assert_cmpfloat_with_epsilon (mc->band_mean[0], 0.5, 1e-15);
}

static void
test_bad_ranges (void)
{
  g_autoptr(CdModel) model = load ("{ \"nodes\": [ {\"id\": \"a\"} ] }");
  CdMonteCarloOptions options = { 10, 1, 0, 0, 1, FALSE };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (CdRange));
  CdRange backwards = { CD_PARAM_RESISTANCE_LAW, CD_DIST_UNIFORM, 0.8, 0.2, 0.5 };

  g_assert_null (cd_montecarlo_run (model, NULL, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID);
  g_clear_error (&error);
  g_array_append_val (ranges, backwards);
  g_assert_null (cd_montecarlo_run (model, ranges, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "ranges.resistance.law"));
}

/* A --ranges file: the ranges alone or a model's "ranges" member; held to
 * the model reader's JSON and its messages, each naming file and place. */
static void
test_ranges_file (void)
{
  static const struct { const char *text, *error; } cases[] = {
    { "{\"resistance.law\": {\"distribution\": \"uniform\", \"min\": 0, \"max\": 0.5}}", NULL },
    { "{\"ranges\": {\"resistance.law\": {\"min\": 0, \"max\": 0.5}}, \"nodes\": []}", NULL },
    { "{'resistance.law': {'min': 0, 'max': 1}}", "line 1, column 2: JSON strings take double" },
    { "{\"resistance.law\": {\"min\": 0, \"max\": 1}} /* x */", "line 1, column 42: JSON has no" },
    { "{\"resistance.law\": {\"min\": 0, \"max\": 01}}", "line 1, column 38: not a JSON number" },
    { "{\"resistance.law\": {\"min\": 0, \"max\": 1}", "line 1, column " },
    { "", "the file is empty" },
    { "{\"resistance.law\": {\"min\": 0, \"max\": 2}}", "ranges.resistance.law" },
  };
  g_autofree char *dir = g_dir_make_tmp ("cd-ranges-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ranges.json", NULL);

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ranges = NULL;

      g_assert_true (g_file_set_contents (path, cases[k].text, -1, NULL));
      ranges = cd_ranges_load_file (path, &error);
      if (cases[k].error == NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (ranges->len, ==, 1);
          g_assert_cmpfloat (g_array_index (ranges, CdRange, 0).max, ==, 0.5);
          continue;
        }
      g_assert_null (ranges);
      g_assert_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_nonnull (strstr (error->message, cases[k].error));
    }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/montecarlo/reproducible", test_reproducible);
  g_test_add_func ("/analysis/montecarlo/quantile-function", test_quantile_function);
  g_test_add_func ("/analysis/montecarlo/known-quantiles", test_known_quantiles);
  g_test_add_func ("/analysis/montecarlo/bad-ranges", test_bad_ranges);
  g_test_add_func ("/analysis/montecarlo/ranges-file", test_ranges_file);
  return g_test_run ();
}
