/* cd-analysis-sensitivity.h — which lever moves the outcome most.
 *
 * Tornado (local, one at a time): every parameter moves ±delta of its
 * range (range = [lower, cd_param_upper]: the slider's soft maximum for
 * the unbounded ones), clamped to its valid range, all others at their
 * base values; bars are ranked by the largest change of final mean
 * coordination, then of total loss.
 *
 * Sobol (global): first-order and total indices of final mean coordination
 * and total loss, from a Sobol quasi-random design (GSL qrng) with the
 * Saltelli (2010) first-order (on centred outputs) and Jansen (1999) total
 * estimators, N·(d + 2) runs for d parameters, each index with the
 * half-width of its 95 % bootstrap interval.  The parameters and their ranges are the given
 * uncertainty ranges (the model's "ranges"); without any, every parameter
 * over the tornado's ±delta box around its base value.
 *
 * Both follow the overlay rule of cd-analysis.h: interventions still apply
 * on top of the values tried.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-analysis.h"

G_BEGIN_DECLS

#define CD_SOBOL_MAX_BASE 1000000
#define CD_SOBOL_BOOTSTRAP 200   /* resamples for the indices' 95 % intervals */

typedef struct
{
  CdParam   param;
  double    base;
  double    low;            /* the values tried */
  double    high;
  CdOutcome out_low;
  CdOutcome out_high;
  double    swing_mean;     /* max |Δ final mean coordination| over low and high */
  double    swing_loss;     /* max |Δ total loss| */
} CdTornadoBar;

typedef struct
{
  double     delta;
  CdOutcome  base;
  GArray    *bars;          /* of CdTornadoBar, ranked */
} CdTornado;

CdTornado *cd_tornado_run  (const CdModel  *model,
                            double          delta,
                            guint           threads,
                            CdProgressFunc  progress,
                            gpointer        progress_data,
                            GCancellable   *cancellable,
                            GError        **error);
void       cd_tornado_free (CdTornado      *tornado);

typedef struct
{
  guint    n_params;
  CdRange *ranges;          /* n_params, the design's parameters */
  guint    n_base;          /* N */
  guint    n_runs;          /* N (d + 2) */
  double   variance_mean;   /* of final mean coordination over A and B */
  double   variance_loss;
  double  *first_mean;      /* S_i, n_params each */
  double  *total_mean;      /* S_Ti */
  double  *first_loss;
  double  *total_loss;
  /* half-widths of the 95 % bootstrap intervals of the four above */
  double  *first_mean_conf;
  double  *total_mean_conf;
  double  *first_loss_conf;
  double  *total_loss_conf;
} CdSobol;

/* Without a model's own "ranges": every parameter of its version that can
 * move, uniform over ±delta of its range around the model's value
 * (clamped to the range), a GArray of CdRange.  What Sobol indices vary
 * without ranges, and the app's Monte Carlo too.  NULL with an error if
 * delta is not in (0, 1] or no parameter can move. */
GArray  *cd_ranges_around_values (const CdModel *model,
                                  double         delta,
                                  GError       **error);

CdSobol *cd_sobol_run  (const CdModel  *model,
                        const GArray   *ranges,
                        double          delta,
                        guint           n_base,
                        guint           threads,
                        CdProgressFunc  progress,
                        gpointer        progress_data,
                        GCancellable   *cancellable,
                        GError        **error);
void     cd_sobol_free (CdSobol        *sobol);

/* Part of a Sobol design, run: what a shard of `sensitivity --sobol`
 * computes.  The design's runs are numbered as cd_sobol_run lays them out
 * (A, then B, then A with column i from B for each i); shard k of n takes
 * runs ⌊(k−1)R/n⌋ … ⌊kR/n⌋ − 1 of the R = N (d + 2). */
typedef struct
{
  guint      n_params;
  CdRange   *ranges;        /* n_params, the design's parameters */
  guint      n_base;        /* N */
  guint      n_runs;        /* N (d + 2), the whole design */
  guint      first_run;     /* this part: runs first_run … first_run + n_rows − 1 */
  guint      n_rows;
  double    *values;        /* n_rows × CD_N_PARAMS: each run's parameter values */
  CdOutcome *outcomes;      /* n_rows */
} CdSobolPart;

/* shard 0 or n_shards ≤ 1: the whole design. */
CdSobolPart *cd_sobol_run_part      (const CdModel  *model,
                                     const GArray   *ranges,
                                     double          delta,
                                     guint           n_base,
                                     guint           shard,
                                     guint           n_shards,
                                     guint           threads,
                                     CdProgressFunc  progress,
                                     gpointer        progress_data,
                                     GCancellable   *cancellable,
                                     GError        **error);
void         cd_sobol_part_free     (CdSobolPart    *part);

/* The indices from the outcomes of every run of a design (final mean
 * coordination and total loss, N (d + 2) each, in run order): the one
 * computation behind both a whole study and merged shards. */
CdSobol     *cd_sobol_from_outcomes (const CdRange  *ranges,
                                     guint           n_params,
                                     guint           n_base,
                                     const double   *final_mean,
                                     const double   *total_loss);

/* Maps u in [0, 1) to a value of the range (inverse CDF). */
double   cd_range_quantile (const CdRange *range,
                            double         u);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTornado, cd_tornado_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSobol, cd_sobol_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSobolPart, cd_sobol_part_free)

G_END_DECLS
