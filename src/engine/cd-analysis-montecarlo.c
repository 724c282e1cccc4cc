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
  g_free (mc->base_values);
  g_free (mc->base_mean);
  g_free (mc->base_loss);
  g_free (mc->series_mean);
  g_free (mc->series_loss);
  g_free (mc);
}

gboolean
cd_montecarlo_range_excludes_base (const CdMonteCarlo *mc,
                                   guint               i)
{
  const CdRange *r;
  double base;

  g_return_val_if_fail (mc != NULL && i < mc->ranges->len, FALSE);
  /* a study put together from shards knows no model */
  if (mc->base_values == NULL)
    return FALSE;
  r = &g_array_index (mc->ranges, CdRange, i);
  base = mc->base_values[i];
  /* a little slack: a bound written as 0.3 for a base of 0.1 + 0.2 */
  return base < r->min - 1e-12 * MAX (1, fabs (r->min))
         || base > r->max + 1e-12 * MAX (1, fabs (r->max));
}

char *
cd_montecarlo_excluded_note (const CdMonteCarlo *mc)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;

  g_return_val_if_fail (mc != NULL, NULL);
  for (guint i = 0; i < mc->ranges->len; i++)
    if (cd_montecarlo_range_excludes_base (mc, i))
      {
        const CdRange *r = &g_array_index (mc->ranges, CdRange, i);
        /* Translators: one sampled range that leaves out its parameter's
         * base value: the parameter's name, the range's ends, the base value */
        g_ptr_array_add (items, g_strdup_printf (_("%s sampled in [%g, %g] but %g in the model"),
                                                 _(cd_param_info (r->param)->label), r->min,
                                                 r->max, mc->base_values[i]));
      }
  if (items->len == 0)
    return NULL;
  g_ptr_array_add (items, NULL);
  /* Translators: separates the items of a list inside a sentence */
  list = g_strjoinv (_("; "), (char **) items->pdata);
  /* Translators: %s lists the parameters whose sampled range leaves out
   * their value in the model, e.g. "fragmentation sampled in [1.5, 3] but
   * 4 in the model" */
  return g_strdup_printf (ngettext ("Outside the sampled range: %s. The runs never use the "
                                    "model's own value, so the band need not contain the base "
                                    "run.",
                                    "Outside the sampled ranges: %s. The runs never use the "
                                    "model's own values, so the band need not contain the base "
                                    "run.", items->len - 1), list);
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

void
cd_montecarlo_compute_bands (CdMonteCarlo *mc,
                             const double *mean_series,
                             const double *loss_series)
{
  g_autofree double *column = NULL;

  g_return_if_fail (mc != NULL && mc->n_rows > 0 && mc->n_times > 0);

  column = g_new (double, mc->n_rows);
  g_free (mc->t);
  g_free (mc->band_mean);
  g_free (mc->band_loss);
  mc->t = g_new (double, mc->n_times);
  for (guint k = 0; k < mc->n_times; k++)
    mc->t[k] = k * mc->dt;
  mc->band_mean = g_new (double, (gsize) mc->n_times * CD_MC_N_BANDS);
  mc->band_loss = g_new (double, (gsize) mc->n_times * CD_MC_N_BANDS);
  bands_of (mean_series, mc->n_rows, mc->n_times, column, mc->band_mean);
  bands_of (loss_series, mc->n_rows, mc->n_times, column, mc->band_loss);
}

gboolean
cd_montecarlo_bands_fit (guint    n_rows,
                         guint    n_times,
                         GError **error)
{
  if ((double) n_times * n_rows * 2 * sizeof (double) <= (double) MAX_BAND_BYTES)
    return TRUE;
  g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_TOO_LARGE,
               _("bands for %u runs of %u samples would need more than %u "
                 "GiB; use fewer runs or a larger dt"), n_rows, n_times,
               (guint) (MAX_BAND_BYTES >> 30));
  return FALSE;
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

      if (!cd_param_in_version (r->param, model->version))
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                       _("ranges.%s: not a parameter of version %d models"),
                       cd_param_info (r->param)->path, model->version);
          return NULL;
        }
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
  mc->base_values = g_new (double, MAX (d, 1));
  for (guint i = 0; i < d; i++)
    mc->base_values[i] = cd_param_overlay_base_values (ov)[g_array_index (mc->ranges, CdRange,
                                                                          i).param];
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

  if (options->bands || options->keep_series)
    {
      guint n_times = cd_param_overlay_n_samples (ov);
      if (!cd_montecarlo_bands_fit (mc->n_rows, n_times, error))
        return NULL;
      mc->n_times = n_times;
      mc->dt = model->sim.dt;
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
      CdOutcome base;

      cd_montecarlo_compute_bands (mc, mean_series, loss_series);
      /* the base run, one more run, for the chart to read the band against */
      mc->base_mean = g_new (double, mc->n_times);
      mc->base_loss = g_new (double, mc->n_times);
      if (!cd_param_overlay_run (ov, cd_param_overlay_base_values (ov), &base, mc->base_mean,
                                 mc->base_loss, cancellable, error))
        {
          g_prefix_error (error, "base run: ");
          return NULL;
        }
    }
  if (options->keep_series)
    {
      mc->series_mean = g_steal_pointer (&mean_series);
      mc->series_loss = g_steal_pointer (&loss_series);
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
