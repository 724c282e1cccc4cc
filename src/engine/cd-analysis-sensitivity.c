/* cd-analysis-sensitivity.c — tornado and Sobol indices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>

#include "cd-analysis-sensitivity.h"

/* Below this the outputs differ only by integration noise. */
#define VARIANCE_FLOOR 1e-20

void
cd_tornado_free (CdTornado *tornado)
{
  if (tornado == NULL)
    return;
  g_clear_pointer (&tornado->bars, g_array_unref);
  g_free (tornado);
}

static int
compare_bars (gconstpointer a,
              gconstpointer b)
{
  const CdTornadoBar *ba = a, *bb = b;

  if (ba->swing_mean != bb->swing_mean)
    return ba->swing_mean < bb->swing_mean ? 1 : -1;
  if (ba->swing_loss != bb->swing_loss)
    return ba->swing_loss < bb->swing_loss ? 1 : -1;
  return (int) ba->param - (int) bb->param;
}

static void
box_around (CdParam param,
            double  base,
            double  delta,
            double *low,
            double *high)
{
  double span = delta * (cd_param_upper (param) - cd_param_lower (param));

  *low = cd_param_clamp (param, base - span);
  *high = cd_param_clamp (param, base + span);
}

/* δ, the share of each parameter's range the tornado and the box move it */
static gboolean
delta_is_fraction (double   delta,
                   GError **error)
{
  if (delta > 0.0 && delta <= 1.0)
    return TRUE;
  g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
               _("delta must be a fraction of each parameter's range in (0, 1], not %g"), delta);
  return FALSE;
}

GArray *
cd_ranges_around_values (const CdModel *model,
                         double         delta,
                         GError       **error)
{
  g_autoptr(CdParamOverlay) ov = NULL;
  g_autoptr(GArray) ranges = NULL;
  const double *base;

  g_return_val_if_fail (model != NULL, NULL);

  if (!delta_is_fraction (delta, error))
    return NULL;
  ov = cd_param_overlay_new (model, error);
  if (ov == NULL)
    return NULL;
  base = cd_param_overlay_base_values (ov);
  ranges = g_array_new (FALSE, FALSE, sizeof (CdRange));
  for (CdParam k = 0; cd_param_next_in_version (&k, model->version); k++)
    {
      CdRange r = { k, CD_DIST_UNIFORM, 0, 0, 0 };
      box_around (k, base[k], delta, &r.min, &r.max);
      if (r.max > r.min)
        g_array_append_val (ranges, r);
    }
  if (ranges->len == 0)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("no parameter varies: every range is a single value"));
      return NULL;
    }
  return g_steal_pointer (&ranges);
}

CdTornado *
cd_tornado_run (const CdModel  *model,
                double          delta,
                guint           threads,
                CdProgressFunc  progress,
                gpointer        progress_data,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autoptr(CdParamOverlay) ov = NULL;
  g_autoptr(CdTornado) tornado = NULL;
  g_autofree double *values = NULL;
  g_autofree CdOutcome *outcomes = NULL;
  CdParam list[CD_N_PARAMS];
  guint n_params, n_runs;
  const double *base;

  g_return_val_if_fail (model != NULL, NULL);

  /* Every parameter of the model's version, each its own pair of runs. */
  n_params = cd_params_in_version (model->version, list);
  n_runs = 1 + 2 * n_params;
  if (!delta_is_fraction (delta, error))
    return NULL;
  ov = cd_param_overlay_new (model, error);
  if (ov == NULL)
    return NULL;
  base = cd_param_overlay_base_values (ov);
  tornado = g_new0 (CdTornado, 1);
  tornado->delta = delta;
  tornado->bars = g_array_sized_new (FALSE, TRUE, sizeof (CdTornadoBar), CD_N_PARAMS);

  /* Run 0 is the base; runs 2k + 1 and 2k + 2 move parameter k down, up. */
  values = g_new (double, (gsize) n_runs * CD_N_PARAMS);
  for (guint r = 0; r < n_runs; r++)
    memcpy (values + (gsize) r * CD_N_PARAMS, base, CD_N_PARAMS * sizeof (double));
  for (guint k = 0; k < n_params; k++)
    {
      CdTornadoBar bar = { 0 };
      CdParam p = list[k];
      bar.param = p;
      bar.base = base[p];
      box_around (p, base[p], delta, &bar.low, &bar.high);
      values[(gsize) (2 * k + 1) * CD_N_PARAMS + p] = bar.low;
      values[(gsize) (2 * k + 2) * CD_N_PARAMS + p] = bar.high;
      g_array_append_val (tornado->bars, bar);
    }
  outcomes = g_new0 (CdOutcome, n_runs);
  if (!cd_param_overlay_run_batch (ov, n_runs, values, threads, outcomes, NULL, NULL, progress,
                                   progress_data, cancellable, error))
    return NULL;

  tornado->base = outcomes[0];
  for (guint k = 0; k < n_params; k++)
    {
      CdTornadoBar *bar = &g_array_index (tornado->bars, CdTornadoBar, k);
      bar->out_low = outcomes[2 * k + 1];
      bar->out_high = outcomes[2 * k + 2];
      bar->swing_mean = MAX (fabs (bar->out_low.final_mean - outcomes[0].final_mean),
                             fabs (bar->out_high.final_mean - outcomes[0].final_mean));
      bar->swing_loss = MAX (fabs (bar->out_low.total_loss - outcomes[0].total_loss),
                             fabs (bar->out_high.total_loss - outcomes[0].total_loss));
    }
  g_array_sort (tornado->bars, compare_bars);
  return g_steal_pointer (&tornado);
}

/* ---- Sobol ---------------------------------------------------------------- */

void
cd_sobol_free (CdSobol *sobol)
{
  if (sobol == NULL)
    return;
  g_free (sobol->ranges);
  g_free (sobol->first_mean);
  g_free (sobol->total_mean);
  g_free (sobol->first_loss);
  g_free (sobol->total_loss);
  g_free (sobol->first_mean_conf);
  g_free (sobol->total_mean_conf);
  g_free (sobol->first_loss_conf);
  g_free (sobol->total_loss_conf);
  g_free (sobol);
}

double
cd_range_quantile (const CdRange *range,
                   double         u)
{
  double a = range->min, b = range->max, c = range->mode, split;

  u = CLAMP (u, 0.0, 1.0);
  if (range->dist == CD_DIST_UNIFORM || b <= a)
    return a + u * (b - a);
  split = (c - a) / (b - a);
  if (u < split)
    return a + sqrt (u * (b - a) * (c - a));
  return b - sqrt ((1.0 - u) * (b - a) * (b - c));
}

/* Saltelli 2010 first order, Jansen total, for one output, over the rows
 * rows[0..n) of the design (all of them, or a bootstrap resample).  The
 * first-order sum multiplies f_B by a difference: with f_B itself (a mean
 * coordination of 0.85 varying by 0.02, say) its error grows with the
 * output's mean, not its spread — the Yangtze example gave S = 3.6 at
 * N = 128 and a first-order index 36 times its total index at N = 4096.
 * Centring f_B on the mean of A and B removes a term that is 0 in
 * expectation and leaves the estimator unbiased (as SALib does, by
 * standardizing).  Returns the variance of the output over A and B. */
static double
sobol_indices (const double *f_a,
               const double *f_b,
               const double *f_ab,    /* n_params × n_base */
               guint         n_base,
               const guint  *rows,
               guint         n,
               guint         n_params,
               double       *first,
               double       *total)
{
  double mean = 0.0, v = 0.0;

  for (guint j = 0; j < n; j++)
    mean += f_a[rows[j]] + f_b[rows[j]];
  mean /= 2.0 * n;
  for (guint j = 0; j < n; j++)
    v += (f_a[rows[j]] - mean) * (f_a[rows[j]] - mean)
         + (f_b[rows[j]] - mean) * (f_b[rows[j]] - mean);
  v /= 2.0 * n;
  for (guint i = 0; i < n_params; i++)
    {
      double s1 = 0.0, st = 0.0;
      const double *f_abi = f_ab + (gsize) i * n_base;
      for (guint k = 0; k < n; k++)
        {
          guint j = rows[k];
          s1 += (f_b[j] - mean) * (f_abi[j] - f_a[j]);
          st += (f_a[j] - f_abi[j]) * (f_a[j] - f_abi[j]);
        }
      /* No variance, nothing to apportion: every index is 0. */
      first[i] = v > VARIANCE_FLOOR ? s1 / n / v : 0.0;
      total[i] = v > VARIANCE_FLOOR ? st / (2.0 * n) / v : 0.0;
    }
  return v;
}

/* The indices of one output and the half-widths of their 95 % intervals:
 * 1.96 standard deviations of the indices over CD_SOBOL_BOOTSTRAP
 * resamples of the design's rows (with a fixed seed, so a study repeats
 * exactly), as SALib reports them. */
static double
sobol_output (const double *f,
              guint         n,
              guint         d,
              double       *first,
              double       *total,
              double       *first_conf,
              double       *total_conf)
{
  g_autofree guint *rows = g_new (guint, n);
  g_autofree double *bf = g_new (double, d);
  g_autofree double *bt = g_new (double, d);
  g_autofree double *sum = g_new0 (double, 4 * (gsize) d);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double v;

  for (guint j = 0; j < n; j++)
    rows[j] = j;
  v = sobol_indices (f, f + n, f + 2 * (gsize) n, n, rows, n, d, first, total);
  gsl_rng_set (rng, 1);
  for (guint r = 0; r < CD_SOBOL_BOOTSTRAP; r++)
    {
      for (guint j = 0; j < n; j++)
        rows[j] = (guint) gsl_rng_uniform_int (rng, n);
      sobol_indices (f, f + n, f + 2 * (gsize) n, n, rows, n, d, bf, bt);
      for (guint i = 0; i < d; i++)
        {
          sum[4 * i] += bf[i];
          sum[4 * i + 1] += bf[i] * bf[i];
          sum[4 * i + 2] += bt[i];
          sum[4 * i + 3] += bt[i] * bt[i];
        }
    }
  gsl_rng_free (rng);
  for (guint i = 0; i < d; i++)
    {
      double mf = sum[4 * i] / CD_SOBOL_BOOTSTRAP, mt = sum[4 * i + 2] / CD_SOBOL_BOOTSTRAP;

      first_conf[i] = 1.96 * sqrt (MAX (sum[4 * i + 1] / CD_SOBOL_BOOTSTRAP - mf * mf, 0.0));
      total_conf[i] = 1.96 * sqrt (MAX (sum[4 * i + 3] / CD_SOBOL_BOOTSTRAP - mt * mt, 0.0));
    }
  return v;
}

void
cd_sobol_part_free (CdSobolPart *part)
{
  if (part == NULL)
    return;
  g_free (part->ranges);
  g_free (part->values);
  g_free (part->outcomes);
  g_free (part);
}

CdSobolPart *
cd_sobol_run_part (const CdModel  *model,
                   const GArray   *ranges,
                   double          delta,
                   guint           n_base,
                   guint           shard,
                   guint           n_shards,
                   guint           threads,
                   CdProgressFunc  progress,
                   gpointer        progress_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(CdParamOverlay) ov = NULL;
  g_autoptr(CdSobolPart) part = NULL;
  g_autofree double *point = NULL;
  g_autofree double *row_a = NULL;
  g_autofree double *row_b = NULL;
  const double *base;
  guint d = 0, n = n_base, lo, hi;
  gsl_qrng *qrng;

  g_return_val_if_fail (model != NULL, NULL);

  if (n_base < 2 || n_base > CD_SOBOL_MAX_BASE)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("the Sobol base sample size must be between 2 and %u, not %u"),
                   CD_SOBOL_MAX_BASE, n_base);
      return NULL;
    }
  ov = cd_param_overlay_new (model, error);
  if (ov == NULL)
    return NULL;
  base = cd_param_overlay_base_values (ov);

  part = g_new0 (CdSobolPart, 1);
  part->ranges = g_new0 (CdRange, CD_N_PARAMS);
  if (ranges != NULL && ranges->len > 0)
    for (guint i = 0; i < ranges->len && d < CD_N_PARAMS; i++)
      {
        const CdRange *r = &g_array_index (ranges, CdRange, i);

        if (!cd_param_in_version (r->param, model->version))
          {
            g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                         _("ranges.%s: not a parameter of version %d models"),
                         cd_param_info (r->param)->path, model->version);
            return NULL;
          }
        part->ranges[d++] = *r;
      }
  else
    {
      g_autoptr(GArray) box = cd_ranges_around_values (model, delta, error);

      if (box == NULL)
        return NULL;
      for (guint i = 0; i < box->len && d < CD_N_PARAMS; i++)
        part->ranges[d++] = g_array_index (box, CdRange, i);
    }
  if (d == 0)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("no parameter varies: every range is a single value"));
      return NULL;
    }
  part->n_params = d;
  part->n_base = n;
  part->n_runs = n * (d + 2);
  if (n_shards > 1)
    {
      g_return_val_if_fail (shard >= 1 && shard <= n_shards, NULL);
      lo = (guint) ((guint64) (shard - 1) * part->n_runs / n_shards);
      hi = (guint) ((guint64) shard * part->n_runs / n_shards);
    }
  else
    {
      lo = 0;
      hi = part->n_runs;
    }
  part->first_run = lo;
  part->n_rows = hi - lo;

  /* Runs 0..n−1: A; n..2n−1: B; then for each i, A with column i from B.
   * Every point of the sequence is drawn, for any part, so that a run has
   * the same values whichever part computes it. */
  part->values = g_new (double, (gsize) MAX (part->n_rows, 1) * CD_N_PARAMS);
  point = g_new (double, 2 * d);
  row_a = g_new (double, CD_N_PARAMS);
  row_b = g_new (double, CD_N_PARAMS);
  qrng = gsl_qrng_alloc (gsl_qrng_sobol, 2 * d);
  /* The first Sobol point is the origin, a corner of every range: skip it. */
  gsl_qrng_get (qrng, point);
  for (guint j = 0; j < n; j++)
    {
      gsl_qrng_get (qrng, point);
      memcpy (row_a, base, CD_N_PARAMS * sizeof (double));
      memcpy (row_b, base, CD_N_PARAMS * sizeof (double));
      for (guint i = 0; i < d; i++)
        {
          row_a[part->ranges[i].param] = cd_range_quantile (&part->ranges[i], point[i]);
          row_b[part->ranges[i].param] = cd_range_quantile (&part->ranges[i], point[d + i]);
        }
      for (guint b = 0; b < d + 2; b++)
        {
          guint r = b * n + j;
          double *row;

          if (r < lo || r >= hi)
            continue;
          row = part->values + (gsize) (r - lo) * CD_N_PARAMS;
          memcpy (row, b == 1 ? row_b : row_a, CD_N_PARAMS * sizeof (double));
          if (b >= 2)
            {
              CdParam p = part->ranges[b - 2].param;
              row[p] = row_b[p];
            }
        }
    }
  gsl_qrng_free (qrng);

  part->outcomes = g_new0 (CdOutcome, MAX (part->n_rows, 1));
  if (!cd_param_overlay_run_batch (ov, part->n_rows, part->values, threads, part->outcomes,
                                   NULL, NULL, progress, progress_data, cancellable, error))
    {
      if (lo > 0)
        g_prefix_error (error, "(runs of this shard count from %u) ", lo);
      return NULL;
    }
  return g_steal_pointer (&part);
}

CdSobol *
cd_sobol_from_outcomes (const CdRange *ranges,
                        guint          d,
                        guint          n,
                        const double  *final_mean,
                        const double  *total_loss)
{
  CdSobol *sobol;

  g_return_val_if_fail (ranges != NULL && d > 0 && n >= 2, NULL);

  sobol = g_new0 (CdSobol, 1);
  sobol->n_params = d;
  sobol->ranges = g_memdup2 (ranges, d * sizeof (CdRange));
  sobol->n_base = n;
  sobol->n_runs = n * (d + 2);
  sobol->first_mean = g_new0 (double, d);
  sobol->total_mean = g_new0 (double, d);
  sobol->first_loss = g_new0 (double, d);
  sobol->total_loss = g_new0 (double, d);
  sobol->first_mean_conf = g_new0 (double, d);
  sobol->total_mean_conf = g_new0 (double, d);
  sobol->first_loss_conf = g_new0 (double, d);
  sobol->total_loss_conf = g_new0 (double, d);
  sobol->variance_mean = sobol_output (final_mean, n, d, sobol->first_mean, sobol->total_mean,
                                       sobol->first_mean_conf, sobol->total_mean_conf);
  sobol->variance_loss = sobol_output (total_loss, n, d, sobol->first_loss, sobol->total_loss,
                                       sobol->first_loss_conf, sobol->total_loss_conf);
  return sobol;
}

CdSobol *
cd_sobol_run (const CdModel  *model,
              const GArray   *ranges,
              double          delta,
              guint           n_base,
              guint           threads,
              CdProgressFunc  progress,
              gpointer        progress_data,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(CdSobolPart) part = NULL;
  g_autofree double *f_mean = NULL;
  g_autofree double *f_loss = NULL;

  part = cd_sobol_run_part (model, ranges, delta, n_base, 0, 0, threads, progress,
                            progress_data, cancellable, error);
  if (part == NULL)
    return NULL;
  f_mean = g_new (double, part->n_runs);
  f_loss = g_new (double, part->n_runs);
  for (guint r = 0; r < part->n_runs; r++)
    {
      f_mean[r] = part->outcomes[r].final_mean;
      f_loss[r] = part->outcomes[r].total_loss;
    }
  return cd_sobol_from_outcomes (part->ranges, part->n_params, part->n_base, f_mean, f_loss);
}
