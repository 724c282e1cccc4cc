/* cd-analysis-montecarlo.h — uncertainty: many runs over parameter ranges.
 *
 * Each run's parameters are drawn from a stream that depends only on the
 * study's seed and the run's index (a SplitMix64 hash of both, then
 * SplitMix64 steps, one per range in order), so a run gives the same
 * numbers whatever the thread count and whichever shard computes it.  A
 * study of R runs cut into N shards gives shard K (1-based) the runs
 * ⌊(K−1)R/N⌋ … ⌊KR/N⌋ − 1: the shards' rows, in order, are the study's.
 *
 * Sampled values replace the model's base values; interventions still
 * apply on top (cd-analysis.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-analysis.h"

G_BEGIN_DECLS

#define CD_MC_MAX_RUNS 100000000u
#define CD_MC_N_BANDS  5

/* The quantiles of the bands: 5, 25, 50, 75 and 95 %. */
extern const double cd_mc_band_levels[CD_MC_N_BANDS];

typedef struct
{
  GArray    *ranges;        /* of CdRange, the sampled parameters in column order */
  guint      n_runs;        /* in the whole study */
  guint64    seed;
  guint      first_run;     /* this shard's runs: first_run … first_run + n_rows − 1 */
  guint      n_rows;
  double    *samples;       /* n_rows × ranges->len */
  CdOutcome *outcomes;      /* n_rows */
  /* With bands or kept series: n_times samples, dt apart. */
  guint      n_times;
  double     dt;
  /* With bands: each sample time with CD_MC_N_BANDS quantiles. */
  double    *t;
  double    *band_mean;     /* n_times × CD_MC_N_BANDS */
  double    *band_loss;
  /* The model's own value of each sampled parameter (ranges->len), and,
   * with bands, the base run with those values (n_times each): what the
   * band is read against. */
  double    *base_values;
  double    *base_mean;
  double    *base_loss;
  /* With keep_series: every run's mean coordination and loss at each
   * sample, n_rows × n_times each (what a shard needs for the bands). */
  double    *series_mean;
  double    *series_loss;
} CdMonteCarlo;

typedef struct
{
  guint    n_runs;
  guint64  seed;
  guint    shard;           /* 1-based; 0 with n_shards 0 or 1: the whole study */
  guint    n_shards;
  guint    threads;         /* 0: every core */
  gboolean bands;           /* keep trajectories and compute quantile bands */
  gboolean keep_series;     /* keep each run's trajectory in series_mean/series_loss */
} CdMonteCarloOptions;

CdMonteCarlo *cd_montecarlo_run    (const CdModel             *model,
                                    const GArray              *ranges,
                                    const CdMonteCarloOptions *options,
                                    CdProgressFunc             progress,
                                    gpointer                   progress_data,
                                    GCancellable              *cancellable,
                                    GError                   **error);
void          cd_montecarlo_free   (CdMonteCarlo              *mc);

/* Sets mc->t and the bands from the trajectories of mc->n_rows runs of
 * mc->n_times samples dt apart (run-major, as series_mean): the one
 * computation behind both a whole study's bands and merged shards'. */
void          cd_montecarlo_compute_bands (CdMonteCarlo       *mc,
                                           const double       *mean_series,
                                           const double       *loss_series);
/* Whether trajectories of n_rows runs of n_times samples fit the memory
 * bands may take (2 GiB); if not, error names the sizes. */
gboolean      cd_montecarlo_bands_fit     (guint               n_rows,
                                           guint               n_times,
                                           GError            **error);

/* Run `run`'s sampled values, one per range. */
void          cd_montecarlo_sample (const GArray              *ranges,
                                    guint64                    seed,
                                    guint                      run,
                                    double                    *out);

/* The runs of shard k (1-based) of n. */
void          cd_montecarlo_shard_bounds (guint                n_runs,
                                          guint                shard,
                                          guint                n_shards,
                                          guint               *first,
                                          guint               *count);

/* Whether range i of mc leaves out its parameter's base value. */
gboolean      cd_montecarlo_range_excludes_base (const CdMonteCarlo *mc,
                                                 guint               i);
/* A sentence for the reader when a sampled range leaves out its
 * parameter's base value, so that the band need not contain the base
 * run, naming each such range; NULL when every range contains its base
 * value.  Translated; the caller frees it. */
char         *cd_montecarlo_excluded_note (const CdMonteCarlo *mc);

/* Ranges from a JSON file holding an object in the model file's "ranges"
 * syntax ({"resistance.law": {"distribution": "uniform", "min": 0, "max": 1}}),
 * or a whole object with a "ranges" member; errors name the place. */
GArray       *cd_ranges_load_file  (const char                *path,
                                    GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdMonteCarlo, cd_montecarlo_free)

G_END_DECLS
