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

G_BEGIN_DECLS

typedef struct
{
  char      *name;          /* "base" for the model itself */
  int        index;         /* −1 for the base */
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

void cd_scenario_outcome_free (CdScenarioOutcome *so);

G_END_DECLS
