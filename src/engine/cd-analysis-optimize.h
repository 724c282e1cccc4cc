/* cd-analysis-optimize.h — policy design: the cheapest mix of levers.
 *
 * A lever is a parameter with a cost per unit of its value, between the
 * bottom of its valid range and a top (its range's, or a lower one the user
 * sets).  The cost of a mix is Σ cost_i · value_i.  The result is the
 * Pareto front of cost against one outcome — total loss minimized or final
 * mean coordination maximized — and, when asked, the cheapest mix whose
 * final mean coordination reaches a target.
 *
 * The method (docs/policy.md): ε-constraint scalarization.  A seeded,
 * randomly shifted Sobol design and the single-lever and balanced mixes
 * at a ladder of budgets are run first; then, for each budget B of the
 * ladder, "best outcome with cost ≤ B" is solved by COBYLA (NLopt) from the
 * best mixes found within that budget; gaps left in the front are then
 * bisected with new budgets until the front is dense.  Every mix the
 * search runs is kept with its outcome, and the front is the nondominated
 * set of all of them, so each row is exactly a run of its mix.
 *
 * Determinism: the solves are independent tasks, each a fixed sequence of
 * runs; they are spread over threads and their runs gathered in task order,
 * so the result is the same for any thread count.
 *
 * Values are applied as every analysis applies them (cd-analysis.h): they
 * replace the base values of the model, or of the scenario; interventions
 * still apply on top from their time on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-analysis.h"

G_BEGIN_DECLS

/* Levers one optimization takes at most: the search grows with their
 * number, and a policy mix of more is better studied in parts. */
#define CD_OPTIMIZE_MAX_LEVERS 8

typedef enum
{
  CD_OPTIMIZE_LOSS,           /* total loss, minimized */
  CD_OPTIMIZE_COORDINATION,   /* final mean coordination, maximized */
} CdOptimizeObjective;

const char *cd_optimize_objective_name      (CdOptimizeObjective  objective);
gboolean    cd_optimize_objective_from_name (const char          *name,
                                             CdOptimizeObjective *out);

typedef struct
{
  CdParam param;
  double  cost;     /* per unit of the parameter's value, ≥ 0 */
  double  lower;    /* the bottom of its valid range (a positive parameter's kept above 0) */
  double  upper;    /* its range's top (the slider's for an unbounded one), or MAX */
} CdLever;

/* A lever on param at cost per unit, up to max (NAN: the top of the
 * parameter's range, or the slider's soft maximum for an unbounded one).
 * Refuses, naming the lever, a parameter that models of this version do
 * not have, a negative or non-finite cost, and a max outside the valid
 * range or not above the bottom. */
gboolean    cd_lever_init                   (CdLever             *lever,
                                             CdParam              param,
                                             double               cost,
                                             double               max,
                                             int                  model_version,
                                             GError             **error);
/* "PATH:COST[:MAX]", as coordyn-cli optimize --lever takes it. */
gboolean    cd_lever_parse                  (CdLever             *lever,
                                             const char          *text,
                                             int                  model_version,
                                             GError             **error);

/* A mix and what a run of it gives. */
typedef struct
{
  double cost;
  double total_loss;
  double final_mean;
  double values[CD_OPTIMIZE_MAX_LEVERS];   /* in the levers' order */
} CdMix;

/* The objective's value of a mix, larger is better: final mean
 * coordination, or minus the total loss. */
double      cd_mix_goodness                 (const CdMix         *mix,
                                             CdOptimizeObjective  objective);

typedef struct
{
  CdOptimizeObjective objective;
  int                 scenario;    /* −1: the model itself */
  guint64             seed;
  guint               threads;     /* 0: every core */
  gboolean            has_target;
  double              target;      /* final mean coordination to reach */
} CdOptimizeOptions;

#define CD_OPTIMIZE_OPTIONS_INIT { CD_OPTIMIZE_LOSS, -1, 1, 0, FALSE, 0.0 }

typedef struct
{
  CdOptimizeObjective objective;
  guint               n_levers;
  CdLever             levers[CD_OPTIMIZE_MAX_LEVERS];
  int                 scenario;
  guint64             seed;
  GArray             *front;          /* of CdMix, by cost: the nondominated mixes */
  gboolean            has_target;
  double              target;
  gboolean            target_reached;
  /* The cheapest mix reaching the target; when none does, the one with the
   * highest final mean coordination found. */
  CdMix               target_mix;
  guint               n_runs;         /* runs the search made */
  /* Per lever: the earliest time an intervention sets its parameter (from
   * then on the lever has no effect), or NAN when none does. */
  double              masked_from[CD_OPTIMIZE_MAX_LEVERS];
} CdOptimize;

/* Finds the front.  progress is called from the calling thread. */
CdOptimize *cd_optimize_run                 (const CdModel            *model,
                                             const CdLever            *levers,
                                             guint                     n_levers,
                                             const CdOptimizeOptions  *options,
                                             CdProgressFunc            progress,
                                             gpointer                  progress_data,
                                             GCancellable             *cancellable,
                                             GError                  **error);
void        cd_optimize_free                (CdOptimize               *opt);

/* The parameter values of a run of the mix: the model's (or scenario's)
 * base values with the levers' in place; values holds CD_N_PARAMS. */
void        cd_optimize_mix_parameters      (const CdOptimize         *opt,
                                             const double             *base,
                                             const CdMix              *mix,
                                             double                   *values);

/* The target's outcome in a sentence, in the user's language: the cheapest
 * mix and what it gives, or that none within the bounds reaches it.  NULL
 * when no target was asked for. */
char       *cd_optimize_target_text         (const CdOptimize         *opt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdOptimize, cd_optimize_free)

G_END_DECLS
