/* cd-analysis-compare.h — named scenarios side by side.
 *
 * The base model and each scenario (cd_model_apply_scenario) are run to
 * t_end; the outcomes and their differences from the base make the table
 * a workshop reads: final and peak mean coordination, time to reach 0.5,
 * total loss.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-analysis.h"
#include "cd-institution.h"

G_BEGIN_DECLS

typedef struct
{
  char      *name;          /* "base" for the model itself */
  int        index;         /* −1 for the base (and for every row of cd_compare_models) */
  char      *label;         /* what a chart calls it (an arrangement's name in the user's
                             * language), or NULL: the scenario's name */
  CdOutcome  outcome;
} CdScenarioOutcome;

/* Outcomes of the base model (first) and of the named scenarios, in the
 * order given (names NULL: every scenario in file order).  An unknown name
 * is an error that names it. */
GPtrArray *cd_compare_scenarios (const CdModel      *model,
                                 const char * const *names,
                                 CdProgressFunc      progress,
                                 gpointer            progress_data,
                                 GCancellable       *cancellable,
                                 GError            **error);

/* The runs behind outcomes (from cd_compare_scenarios on the same model)
 * kept whole, for charts: one CdTrajectory per outcome, in order, each run
 * with default options.  progress (may be NULL) is called after each run. */
GPtrArray *cd_compare_trajectories (const CdModel      *model,
                                    const GPtrArray    *outcomes,
                                    CdProgressFunc      progress,
                                    gpointer            progress_data,
                                    GCancellable       *cancellable,
                                    GError            **error);

/* Outcomes of n versions of one network, models[k] named names[k] (index
 * −1 in each outcome): the base model and the model under each
 * institutional arrangement, say.  A failed run names its model. */
GPtrArray *cd_compare_models (const CdModel *const *models,
                              const char *const   *names,
                              guint                n,
                              CdProgressFunc       progress,
                              gpointer             progress_data,
                              GCancellable        *cancellable,
                              GError             **error);

/* The base model (named "base") and the model under each arrangement
 * (named after it, cd_institution_apply), in this order: the rows of
 * `coordyn-cli compare MODEL --institution A --institution B`.
 * out_models, when not NULL, receives the models run (of CdModel, base
 * first), for cd_compare_models_trajectories. */
GPtrArray *cd_compare_institutions (const CdModel               *model,
                                    const CdInstitution *const  *institutions,
                                    guint                        n,
                                    GPtrArray                  **out_models,
                                    CdProgressFunc               progress,
                                    gpointer                     progress_data,
                                    GCancellable                *cancellable,
                                    GError                     **error);

/* The runs of cd_compare_models kept whole, one CdTrajectory per model. */
GPtrArray *cd_compare_models_trajectories (const CdModel *const *models,
                                           guint                n,
                                           CdProgressFunc       progress,
                                           gpointer             progress_data,
                                           GCancellable        *cancellable,
                                           GError             **error);

void cd_scenario_outcome_free (CdScenarioOutcome *so);

G_END_DECLS
