/* cd-analysis-montecarlo.c — seeded, shardable Monte Carlo with quantile bands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-analysis-montecarlo.h"
#include "cd-analysis-sensitivity.h"
#include "cd-file.h"
#include "cd-model-json.h"

const double cd_mc_band_levels[CD_MC_N_BANDS] = { 0.05, 0.25, 0.50, 0.75, 0.95 };

/* Trajectories kept for the bands may take at most this much memory. */
#define MAX_BAND_BYTES ((gsize) 2 << 30)

static inline guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

void
cd_montecarlo_sample (const GArray *ranges,
                      guint64       seed,
                      guint         run,
                      double       *out)
{
  guint64 state = seed, mixed;

  /* Hash (seed, run) into the stream's start: nearby seeds and runs give
   * unrelated streams, and nothing depends on who runs what when. */
  mixed = splitmix64 (&state);
  state = mixed ^ (G_GUINT64_CONSTANT (0xD1B54A32D192ED03) * ((guint64) run + 1));
  splitmix64 (&state);
  for (guint i = 0; i < ranges->len; i++)
    {
      /* 53 random bits: a double uniform in [0, 1). */
      double u = (splitmix64 (&state) >> 11) * 0x1.0p-53;
      out[i] = cd_range_quantile (&g_array_index (ranges, CdRange, i), u);
    }
}

void
cd_montecarlo_shard_bounds (guint  n_runs,
                            guint  shard,
                            guint  n_shards,
                            guint *first,
                            guint *count)
{
  guint64 lo, hi;

  if (n_shards <= 1)
    {
      *first = 0;
      *count = n_runs;
      return;
    }
  g_return_if_fail (shard >= 1 && shard <= n_shards);
  lo = (guint64) (shard - 1) * n_runs / n_shards;
  hi = (guint64) shard * n_runs / n_shards;
  *first = (guint) lo;
  *count = (guint) (hi - lo);
}

void
cd_montecarlo_free (CdMonteCarlo *mc)
{
  if (mc == NULL)
    return;
  g_clear_pointer (&mc->ranges, g_array_unref);
  g_free (mc->samples);
  g_free (mc->outcomes);
  g_free (mc->t);
  g_free (mc->band_mean);
  g_free (mc->band_loss);
  g_free (mc);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

static void
bands_of (const double *series,
          guint         n_rows,
          guint         n_times,
          double       *column,
          double       *bands)
{
  for (guint k = 0; k < n_times; k++)
    {
      for (guint r = 0; r < n_rows; r++)
        column[r] = series[(gsize) r * n_times + k];
      qsort (column, n_rows, sizeof (double), compare_doubles);
      for (guint b = 0; b < CD_MC_N_BANDS; b++)
        bands[(gsize) k * CD_MC_N_BANDS + b] = cd_quantile_sorted (column, n_rows,
                                                                   cd_mc_band_levels[b]);
    }
}

CdMonteCarlo *
cd_montecarlo_run (const CdModel             *model,
                   const GArray              *ranges,
                   const CdMonteCarloOptions *options,
                   CdProgressFunc             progress,
                   gpointer                   progress_data,
                   GCancellable              *cancellable,
                   GError                   **error)
{
  g_autoptr(CdParamOverlay) ov = NULL;
  g_autoptr(CdMonteCarlo) mc = NULL;
  g_autofree double *values = NULL;
  g_autofree double *mean_series = NULL;
  g_autofree double *loss_series = NULL;
  guint d;

  g_return_val_if_fail (model != NULL && options != NULL, NULL);

  if (ranges == NULL || ranges->len == 0)
    ranges = model->ranges;
  if (ranges->len == 0)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("no uncertainty ranges: add a \"ranges\" section to the model or give a "
                     "ranges file"));
      return NULL;
    }
  if (options->n_runs < 1 || options->n_runs > CD_MC_MAX_RUNS)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("the number of runs must be between 1 and %u, not %u"), CD_MC_MAX_RUNS,
                   options->n_runs);
      return NULL;
    }
  if (options->n_shards > 1 && (options->shard < 1 || options->shard > options->n_shards))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("shard %u of %u: a shard is numbered from 1 to the number of shards"),
                   options->shard, options->n_shards);
      return NULL;
    }
  for (guint i = 0; i < ranges->len; i++)
    {
      const CdRange *r = &g_array_index (ranges, CdRange, i);
      const char *path = cd_param_info (r->param)->path;
      if (!(r->min <= r->max) || !cd_param_value_in_range (r->param, r->min)
          || !cd_param_value_in_range (r->param, r->max))
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                       _("ranges.%s: min %g and max %g must be in order and within %s"), path,
                       r->min, r->max, cd_param_range_text (r->param));
          return NULL;
        }
      if (r->dist == CD_DIST_TRIANGULAR && !(r->mode >= r->min && r->mode <= r->max))
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                       _("ranges.%s: the mode %g must lie between min and max"), path, r->mode);
          return NULL;
        }
      for (guint k = 0; k < i; k++)
        if (g_array_index (ranges, CdRange, k).param == r->param)
          {
            g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                         _("ranges.%s: a second range for the same parameter"), path);
            return NULL;
          }
    }

  ov = cd_param_overlay_new (model, error);
  if (ov == NULL)
    return NULL;

  mc = g_new0 (CdMonteCarlo, 1);
  d = ranges->len;
  mc->ranges = g_array_sized_new (FALSE, FALSE, sizeof (CdRange), d);
  g_array_append_vals (mc->ranges, ranges->data, d);
  mc->n_runs = options->n_runs;
  mc->seed = options->seed;
  cd_montecarlo_shard_bounds (options->n_runs, options->shard, options->n_shards,
                              &mc->first_run, &mc->n_rows);
  mc->samples = g_new (double, (gsize) MAX (mc->n_rows, 1) * d);
  mc->outcomes = g_new0 (CdOutcome, MAX (mc->n_rows, 1));
  values = g_new (double, (gsize) MAX (mc->n_rows, 1) * CD_N_PARAMS);
  for (guint r = 0; r < mc->n_rows; r++)
    {
      double *row = values + (gsize) r * CD_N_PARAMS;
      double *sample = mc->samples + (gsize) r * d;

      cd_montecarlo_sample (mc->ranges, mc->seed, mc->first_run + r, sample);
      memcpy (row, cd_param_overlay_base_values (ov), CD_N_PARAMS * sizeof (double));
      for (guint i = 0; i < d; i++)
        row[g_array_index (mc->ranges, CdRange, i).param] = sample[i];
    }

  if (options->bands)
    {
      guint n_times = cd_param_overlay_n_samples (ov);
      if ((double) n_times * mc->n_rows * 2 * sizeof (double) > (double) MAX_BAND_BYTES)
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_TOO_LARGE,
                       _("bands for %u runs of %u samples would need more than %u "
                         "GiB; use fewer runs or a larger dt"), mc->n_rows, n_times,
                       (guint) (MAX_BAND_BYTES >> 30));
          return NULL;
        }
      mc->n_times = n_times;
      mean_series = g_new (double, (gsize) n_times * MAX (mc->n_rows, 1));
      loss_series = g_new (double, (gsize) n_times * MAX (mc->n_rows, 1));
    }

  if (!cd_param_overlay_run_batch (ov, mc->n_rows, values, options->threads, mc->outcomes,
                                   mean_series, loss_series, progress, progress_data,
                                   cancellable, error))
    {
      /* Name the run by its index in the whole study, not in the shard. */
      if (mc->first_run > 0)
        g_prefix_error (error, "(runs of this shard count from %u) ", mc->first_run);
      return NULL;
    }

  if (options->bands && mc->n_rows > 0)
    {
      g_autofree double *column = g_new (double, mc->n_rows);
      double dt = model->sim.dt;

      mc->t = g_new (double, mc->n_times);
      for (guint k = 0; k < mc->n_times; k++)
        mc->t[k] = k * dt;
      mc->band_mean = g_new (double, (gsize) mc->n_times * CD_MC_N_BANDS);
      mc->band_loss = g_new (double, (gsize) mc->n_times * CD_MC_N_BANDS);
      bands_of (mean_series, mc->n_rows, mc->n_times, column, mc->band_mean);
      bands_of (loss_series, mc->n_rows, mc->n_times, column, mc->band_loss);
    }
  return g_steal_pointer (&mc);
}

GArray *
cd_ranges_load_file (const char *path,
                     GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  g_autoptr(CdModel) holder = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *ranges_text = NULL;
  g_autofree char *wrapped = NULL;
  JsonNode *root, *ranges;
  gsize length = 0;
  GArray *out;

  g_return_val_if_fail (path != NULL, NULL);

  /* as strict as a model file, and its syntax errors worded the same way;
   * read as safely (cd-file.h: not mapped, a FIFO or a device refused, a
   * huge file refused by its size before it is read) */
  if (!cd_file_read_regular (path, CD_MODEL_MAX_FILE_SIZE, &contents, &length, &local)
      || !cd_model_check_json (contents, length, &local)
      || !json_parser_load_from_data (parser, contents, (gssize) length, &local))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID, "%s: %s", path,
                   local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("%s: expected a JSON object of ranges, such as {\"resistance.law\": "
                     "{\"distribution\": \"uniform\", \"min\": 0, \"max\": 1}}"), path);
      return NULL;
    }
  ranges = root;
  if (json_object_has_member (json_node_get_object (root), "ranges"))
    ranges = json_object_get_member (json_node_get_object (root), "ranges");

  /* Reuse the model reader, which checks ranges strictly and names the
   * place of each problem, by wrapping them in the smallest valid model. */
  ranges_text = json_to_string (ranges, FALSE);
  wrapped = g_strdup_printf ("{\"nodes\": [{\"id\": \"ranges\"}], \"ranges\": %s}", ranges_text);
  holder = cd_model_load_data (wrapped, strlen (wrapped), &local);
  if (holder == NULL)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID, "%s: %s", path,
                   local->message);
      return NULL;
    }
  out = g_array_sized_new (FALSE, FALSE, sizeof (CdRange), holder->ranges->len);
  g_array_append_vals (out, holder->ranges->data, holder->ranges->len);
  return out;
}
