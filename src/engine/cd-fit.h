/* cd-fit.h — fitting the model's parameters to observed data
 * (docs/fitting.md).
 *
 * Nonlinear least squares with GSL's multifit_nlinear trust region, the
 * parameters held in their valid ranges by a smooth bounded transform,
 * from several deterministic starts (the model's own values and Sobol
 * points in the ranges) so that a local minimum is not taken for the
 * answer.  Uncertainty: the covariance s²(JᵀJ)⁻¹ from the Jacobian at the
 * optimum and Student-t 95 % intervals (Wald) where the model is close
 * enough to linear for them, profile-likelihood intervals where it is not
 * (or everywhere, or nowhere, on request); parameters the data cannot
 * determine are named.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-model.h"
#include "cd-observed.h"
#include "cd-simulate.h"

G_BEGIN_DECLS

typedef enum
{
  CD_FIT_INTERVALS_AUTO,     /* Wald, checked at its ends; profile where it fails the check */
  CD_FIT_INTERVALS_WALD,     /* estimate ± t·SE, SE from the Jacobian at the optimum */
  CD_FIT_INTERVALS_PROFILE,  /* where the profiled sum of squares crosses the F threshold */
} CdFitIntervals;

#define CD_FIT_DEFAULT_STARTS 8
#define CD_FIT_MAX_STARTS     1000

typedef struct
{
  guint          n_starts;    /* 0: CD_FIT_DEFAULT_STARTS */
  guint          threads;     /* 0: every core */
  CdFitIntervals intervals;
  CdProgressFunc progress;    /* called from the calling thread; may be NULL */
  gpointer       progress_data;
} CdFitOptions;

#define CD_FIT_OPTIONS_INIT { 0, 0, CD_FIT_INTERVALS_AUTO, NULL, NULL }

typedef struct
{
  CdParam  param;
  double   estimate;
  double   std_error;        /* NaN when the data do not determine the parameter */
  double   ci_low;           /* 95 %; NaN when not determined */
  double   ci_high;
  gboolean identifiable;     /* FALSE: no effect, or confounded with others */
  gboolean at_bound;         /* the estimate is at an end of the valid range */
  gboolean reaches_bound;    /* the interval was cut at an end of the valid range */
  CdFitIntervals method;     /* how ci_low and ci_high were made: WALD or PROFILE */
  double   wald_check[2];    /* AUTO: the profiled rise of the sum of squares at the Wald
                              * interval's low and high ends, as a fraction of the
                              * threshold's (1 for a linear model); NaN if not checked */
} CdFitEstimate;

typedef struct
{
  guint          n_params;
  CdFitEstimate *estimates;      /* n_params, in the order asked */
  double        *correlation;    /* n_params × n_params; NaN where not determined */
  guint          n_observations;
  guint          dof;            /* n_observations − n_params */
  double         rss;            /* sum of squared residuals at the optimum */
  double         rms;            /* sqrt (rss / n_observations) */
  double        *column_rms;     /* per observed column */
  double         t_quantile;     /* Student t, 0.975, dof */
  CdFitIntervals intervals;      /* as asked; each estimate says what it got */
  guint          n_starts;
  guint          n_best;         /* starts that ended at the best fit */
  guint          n_failed;       /* starts whose runs failed (too stiff, not finite) */
  double         worst_local;    /* largest sum of squares among the other local minima; NaN if none */
  double         condition;      /* of the column-scaled Jacobian */
  GPtrArray     *warnings;       /* of char *: plain sentences in the user's language */
  double        *fitted;         /* the model at each observation, in the order of the
                                  * observed table (row-major, NaN where no value) */
} CdFitResult;

/* Fits `params` (each once) of the model as scenario `scenario` sees it
 * (−1: the base model) to observed data bound to the model. */
CdFitResult *cd_fit               (const CdModel       *model,
                                   int                  scenario,
                                   const CdObserved    *observed,
                                   const CdParam       *params,
                                   guint                n_params,
                                   const CdFitOptions  *options,
                                   GCancellable        *cancellable,
                                   GError             **error);
void         cd_fit_result_free   (CdFitResult         *result);

/* A copy of the model with the estimates in: as base values (scenario −1)
 * or as scenario's parameters. */
CdModel     *cd_fit_apply         (const CdModel       *model,
                                   int                  scenario,
                                   const CdFitResult   *result);

/* The same estimates as a new scenario named `name`, which keeps the
 * settings of `scenario` (−1: none) and adds the estimates. */
CdScenario  *cd_fit_to_scenario   (const CdModel       *model,
                                   int                  scenario,
                                   const CdFitResult   *result,
                                   const char          *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdFitResult, cd_fit_result_free)

G_END_DECLS
