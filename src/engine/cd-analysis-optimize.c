/* cd-analysis-optimize.c — policy design: the cheapest mix of levers
 * (see cd-analysis-optimize.h; the method and its limits in docs/policy.md).
 *
 * The search works in the unit box z ∈ [0, 1]^k, value_i = lower_i +
 * z_i (upper_i − lower_i), so that one step size and one tolerance suit
 * every lever.  Its goodness g is the objective with larger better (final
 * mean coordination, or minus the total loss).  Every run lands in an
 * archive; the front is read from the archive at the end, so whatever a
 * solve runs on its way counts, at the cost it has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <nlopt.h>

#include "cd-analysis-optimize.h"
#include "cd-number.h"

/* ---- the search's settings -------------------------------------------------
 * Chosen on the examples (docs/policy.md, "Settings"): the budget ladder
 * and starts give every part of the front a solve; the tolerances are
 * far below what a front is read at. */

/* Budgets of the ladder: BUDGETS_BASE + BUDGETS_PER_LEVER · k. */
#define BUDGETS_BASE        16
#define BUDGETS_PER_LEVER   4
/* Sobol points of the design: DESIGN_BASE + DESIGN_PER_LEVER · k. */
#define DESIGN_BASE         64
#define DESIGN_PER_LEVER    32
/* Solves per budget of the ladder, from the best distinct mixes within it. */
#define STARTS_PER_BUDGET   3
/* Two starts closer than this (max-norm in the unit box) are one. */
#define DISTINCT_STARTS     0.05
/* COBYLA: first step and the step at which it stops, in the unit box;
 * runs per solve at most, per lever plus one. */
#define SOLVE_FIRST_STEP    0.1
#define REFINE_FIRST_STEP   0.05
#define SOLVE_XTOL          1e-4
#define SOLVE_RUNS_PER_DIM  50
#define REFINE_RUNS_PER_DIM 30
/* Front rows improving on the row before by less than this fraction of the
 * objective's range are left out; adjacent rows further apart than
 * REFINE_GAP are bisected, for at most REFINE_ROUNDS rounds of at most
 * REFINE_GAPS gaps each, until their costs are closer than REFINE_MIN_COST
 * of the cost's range. */
#define FRONT_MIN_STEP      1e-3
#define REFINE_GAP          2.5e-3
#define REFINE_ROUNDS       12
#define REFINE_GAPS         16
#define REFINE_MIN_COST     1e-4
/* The target: solves of least cost from this many of the cheapest mixes
 * that reach it (or of highest coordination from the nearest ones). */
#define TARGET_STARTS       3

/* ---- levers ---------------------------------------------------------------- */

const char *
cd_optimize_objective_name (CdOptimizeObjective objective)
{
  return objective == CD_OPTIMIZE_COORDINATION ? "coordination" : "loss";
}

gboolean
cd_optimize_objective_from_name (const char          *name,
                                 CdOptimizeObjective *out)
{
  if (g_strcmp0 (name, "loss") == 0)
    *out = CD_OPTIMIZE_LOSS;
  else if (g_strcmp0 (name, "coordination") == 0)
    *out = CD_OPTIMIZE_COORDINATION;
  else
    return FALSE;
  return TRUE;
}

gboolean
cd_lever_init (CdLever  *lever,
               CdParam   param,
               double    cost,
               double    max,
               int       model_version,
               GError  **error)
{
  const CdParamInfo *info;

  g_return_val_if_fail (lever != NULL && param < CD_N_PARAMS, FALSE);
  info = cd_param_info (param);
  if (!cd_param_in_version (param, model_version))
    {
      /* Translators: %s is a parameter path, %d the model's version. */
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("lever %s: models of version %d have no such parameter"), info->path,
                   model_version);
      return FALSE;
    }
  if (!isfinite (cost) || cost < 0)
    {
      /* Translators: %s is a parameter path. */
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("lever %s: the cost per unit must be a number ≥ 0"), info->path);
      return FALSE;
    }
  lever->param = param;
  lever->cost = cost;
  lever->lower = cd_param_clamp (param, cd_param_lower (param));
  lever->upper = cd_param_upper (param);
  if (!isnan (max))
    {
      if (!isfinite (max) || !cd_param_value_in_range (param, max) || !(max > lever->lower))
        {
          /* Translators: %s is a parameter path, %g a number, the last %s its valid range. */
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                       _("lever %s: the most it may be set to, %g, must lie within %s and "
                         "above %g"), info->path, max, cd_param_range_text (param),
                       lever->lower);
          return FALSE;
        }
      lever->upper = max;
    }
  return TRUE;
}

gboolean
cd_lever_parse (CdLever     *lever,
                const char  *text,
                int          model_version,
                GError     **error)
{
  g_auto (GStrv) parts = NULL;
  CdParam param;
  double cost, max = NAN;
  guint n;

  g_return_val_if_fail (lever != NULL && text != NULL, FALSE);
  parts = g_strsplit (text, ":", -1);
  n = g_strv_length (parts);
  if (n < 2 || n > 3)
    {
      /* Translators: %s is what the user wrote; PATH:COST[:MAX] stays as it is. */
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("lever \"%s\": write it as PATH:COST or PATH:COST:MAX, e.g. "
                     "resistance.law:2:0.8"), text);
      return FALSE;
    }
  if (!cd_param_from_path (parts[0], &param))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("lever \"%s\": no numeric parameter \"%s\" (e.g. resistance.law)"), text,
                   parts[0]);
      return FALSE;
    }
  for (guint k = 1; k < n; k++)
    {
      CdNumberText kind = cd_number_scan (parts[k], k == 1 ? &cost : &max);

      if (kind == CD_NUMBER_OUT_OF_RANGE)
        {
          /* Translators: the lever as written, then its number. */
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                       _("lever \"%s\": \"%s\" is too large or too close to 0 for a number "
                         "(from 2.2e-308 to 1.8e308)"), text, parts[k]);
          return FALSE;
        }
      if (kind == CD_NUMBER_NOT)
        {
          if (k == 1)
            g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                         _("lever \"%s\": the cost \"%s\" is not a number"), text, parts[1]);
          else
            g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                         _("lever \"%s\": the most it may be set to, \"%s\", is not a number"),
                         text, parts[2]);
          return FALSE;
        }
    }
  return cd_lever_init (lever, param, cost, max, model_version, error);
}

double
cd_mix_goodness (const CdMix         *mix,
                 CdOptimizeObjective  objective)
{
  return objective == CD_OPTIMIZE_COORDINATION ? mix->final_mean : -mix->total_loss;
}

/* ---- the problem -------------------------------------------------------------- */

typedef struct
{
  const CdParamOverlay *ov;
  const double         *base;        /* CD_N_PARAMS base values */
  guint                 k;
  const CdLever        *levers;
  CdOptimizeObjective   objective;
  double                cost_lo;     /* the cost of the cheapest mix (every lever at its bottom) */
  double                cost_span;   /* the dearest's less that, or 1 when they are equal */
  GCancellable         *cancellable;
} Problem;

/* A lever's value at z in the unit box.  Within SNAP of an end it is the
 * end: the solver's 1e-20 is no policy anyone would set. */
#define SNAP 1e-9

static double
lever_value (const CdLever *l,
             double         z)
{
  double v;

  z = z < SNAP ? 0.0 : z > 1.0 - SNAP ? 1.0 : z;
  v = l->lower + z * (l->upper - l->lower);
  return CLAMP (v, l->lower, l->upper);
}

static void
mix_from_unit (const Problem *pr,
               const double  *z,
               CdMix         *mix)
{
  memset (mix, 0, sizeof *mix);
  for (guint i = 0; i < pr->k; i++)
    {
      mix->values[i] = lever_value (&pr->levers[i], z[i]);
      mix->cost += pr->levers[i].cost * mix->values[i];
    }
}

static double
unit_cost (const Problem *pr,
           const double  *z)
{
  double c = 0;

  for (guint i = 0; i < pr->k; i++)
    c += pr->levers[i].cost * lever_value (&pr->levers[i], z[i]);
  return c;
}

static gboolean
run_mix (const Problem  *pr,
         CdMix          *mix,
         GError        **error)
{
  double values[CD_N_PARAMS];
  CdOutcome out;

  memcpy (values, pr->base, sizeof values);
  for (guint i = 0; i < pr->k; i++)
    values[pr->levers[i].param] = mix->values[i];
  if (!cd_param_overlay_run (pr->ov, values, &out, NULL, NULL, pr->cancellable, error))
    return FALSE;
  mix->total_loss = out.total_loss;
  mix->final_mean = out.final_mean;
  return TRUE;
}

/* ---- solves ------------------------------------------------------------------- */

typedef enum
{
  /* Best goodness (of `objective`) with cost ≤ bound. */
  TASK_BUDGET,
  /* Least cost with final mean coordination ≥ bound. */
  TASK_TARGET,
} TaskKind;

typedef struct
{
  TaskKind             kind;
  CdOptimizeObjective  objective;
  double               bound;
  double               z0[CD_OPTIMIZE_MAX_LEVERS];
  double               first_step;
  int                  max_runs;
  /* What it ran, in order, and why it stopped early. */
  GArray              *runs;          /* of CdMix */
  GError              *error;
  /* While it runs. */
  const Problem       *pr;
  nlopt_opt            nl;
  gint                *stop;          /* atomic: another task failed */
  gint                *n_runs;        /* atomic: runs made, for progress */
} Task;

static gboolean
task_run (Task         *t,
          const double *z,
          CdMix        *mix)
{
  mix_from_unit (t->pr, z, mix);
  if (t->error == NULL && !g_atomic_int_get (t->stop) && run_mix (t->pr, mix, &t->error))
    {
      g_array_append_val (t->runs, *mix);
      g_atomic_int_inc (t->n_runs);
      return TRUE;
    }
  nlopt_force_stop (t->nl);
  return FALSE;
}

static double
budget_objective (unsigned      n,
                  const double *z,
                  double       *grad,
                  void         *data)
{
  Task *t = data;
  CdMix mix;

  return task_run (t, z, &mix) ? cd_mix_goodness (&mix, t->objective) : 0.0;
}

static double
budget_constraint (unsigned      n,
                   const double *z,
                   double       *grad,
                   void         *data)
{
  Task *t = data;

  return (unit_cost (t->pr, z) - t->bound) / t->pr->cost_span;
}

static double
target_objective (unsigned      n,
                  const double *z,
                  double       *grad,
                  void         *data)
{
  Task *t = data;

  return (unit_cost (t->pr, z) - t->pr->cost_lo) / t->pr->cost_span;
}

static double
target_constraint (unsigned      n,
                   const double *z,
                   double       *grad,
                   void         *data)
{
  Task *t = data;
  CdMix mix;

  return task_run (t, z, &mix) ? t->bound - mix.final_mean : 0.0;
}

/* One solve by COBYLA in the unit box: a fixed sequence of runs from its
 * start, whatever thread it is on. */
static void
task_solve (Task *t)
{
  double z[CD_OPTIMIZE_MAX_LEVERS], lo[CD_OPTIMIZE_MAX_LEVERS], hi[CD_OPTIMIZE_MAX_LEVERS];
  double value;
  guint k = t->pr->k;

  for (guint i = 0; i < k; i++)
    {
      lo[i] = 0.0;
      hi[i] = 1.0;
      z[i] = CLAMP (t->z0[i], 0.0, 1.0);
    }
  t->nl = nlopt_create (NLOPT_LN_COBYLA, k);
  nlopt_set_lower_bounds (t->nl, lo);
  nlopt_set_upper_bounds (t->nl, hi);
  nlopt_set_initial_step1 (t->nl, t->first_step);
  nlopt_set_xtol_abs1 (t->nl, SOLVE_XTOL);
  nlopt_set_maxeval (t->nl, t->max_runs);
  if (t->kind == TASK_BUDGET)
    {
      nlopt_set_max_objective (t->nl, budget_objective, t);
      nlopt_add_inequality_constraint (t->nl, budget_constraint, t, 0.0);
    }
  else
    {
      nlopt_set_min_objective (t->nl, target_objective, t);
      nlopt_add_inequality_constraint (t->nl, target_constraint, t, 0.0);
    }
  /* Whatever it returns, the runs it made are what counts. */
  nlopt_optimize (t->nl, z, &value);
  nlopt_destroy (t->nl);
  t->nl = NULL;
}

typedef struct
{
  Task   *tasks;
  guint   n_tasks;
  gint    next;          /* atomic */
  GMutex  lock;
  GCond   cond;
  guint   done;
  guint   workers_left;
} Pool;

static gpointer
pool_worker (gpointer data)
{
  Pool *p = data;

  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&p->next, 1);

      if (i >= p->n_tasks)
        break;
      task_solve (&p->tasks[i]);
      if (p->tasks[i].error != NULL)
        g_atomic_int_set (p->tasks[i].stop, 1);
      g_mutex_lock (&p->lock);
      p->done++;
      g_cond_signal (&p->cond);
      g_mutex_unlock (&p->lock);
    }
  g_mutex_lock (&p->lock);
  p->workers_left--;
  g_cond_signal (&p->cond);
  g_mutex_unlock (&p->lock);
  return NULL;
}

/* ---- the search ----------------------------------------------------------------- */

typedef struct
{
  Problem         pr;
  guint           threads;
  GArray         *archive;       /* of CdMix: every run, in a fixed order */
  gint            stop;
  gint            n_runs;
  CdProgressFunc  progress;
  gpointer        progress_data;
  /* The part of the whole that the current stage is. */
  double          stage_start;
  double          stage_span;
} Search;

static void
report (double   fraction,
        gpointer data)
{
  Search *s = data;

  if (s->progress != NULL)
    s->progress (s->stage_start + s->stage_span * CLAMP (fraction, 0.0, 1.0), s->progress_data);
}

/* Runs the tasks on the search's threads, then appends their runs to the
 * archive in task order. */
static gboolean
run_tasks (Search  *s,
           GArray  *tasks,
           GError **error)
{
  Pool p = { 0 };
  g_autoptr (GPtrArray) workers = g_ptr_array_new ();
  guint threads = MIN (s->threads, tasks->len), reported = G_MAXUINT;
  gboolean ok = TRUE;

  if (tasks->len == 0)
    return TRUE;
  p.tasks = (Task *) tasks->data;
  p.n_tasks = tasks->len;
  p.workers_left = threads;
  g_mutex_init (&p.lock);
  g_cond_init (&p.cond);
  for (guint i = 0; i < tasks->len; i++)
    {
      Task *t = &p.tasks[i];
      t->pr = &s->pr;
      t->stop = &s->stop;
      t->n_runs = &s->n_runs;
      t->runs = g_array_new (FALSE, FALSE, sizeof (CdMix));
    }
  for (guint i = 0; i < threads; i++)
    g_ptr_array_add (workers, g_thread_new ("cd-optimize", pool_worker, &p));
  g_mutex_lock (&p.lock);
  while (p.workers_left > 0)
    {
      if (p.done != reported)
        {
          reported = p.done;
          g_mutex_unlock (&p.lock);
          report ((double) reported / p.n_tasks, s);
          g_mutex_lock (&p.lock);
          continue;
        }
      g_cond_wait (&p.cond, &p.lock);
    }
  g_mutex_unlock (&p.lock);
  for (guint i = 0; i < workers->len; i++)
    g_thread_join (g_ptr_array_index (workers, i));
  g_mutex_clear (&p.lock);
  g_cond_clear (&p.cond);

  for (guint i = 0; i < tasks->len; i++)
    {
      Task *t = &p.tasks[i];

      if (ok && t->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&t->error));
          ok = FALSE;
        }
      g_clear_error (&t->error);
      g_array_append_vals (s->archive, t->runs->data, t->runs->len);
      g_array_unref (t->runs);
      t->runs = NULL;
    }
  if (ok && g_cancellable_set_error_if_cancelled (s->pr.cancellable, error))
    ok = FALSE;
  return ok;
}

/* Runs these mixes (given in the unit box) as one batch. */
static gboolean
run_design (Search       *s,
            const double *zs,
            guint         n,
            GError      **error)
{
  g_autofree double *values = g_new (double, (gsize) n * CD_N_PARAMS);
  g_autofree CdOutcome *outcomes = g_new (CdOutcome, n);
  g_autofree CdMix *mixes = g_new (CdMix, n);

  for (guint r = 0; r < n; r++)
    {
      double *row = values + (gsize) r * CD_N_PARAMS;

      mix_from_unit (&s->pr, zs + (gsize) r * s->pr.k, &mixes[r]);
      memcpy (row, s->pr.base, CD_N_PARAMS * sizeof (double));
      for (guint i = 0; i < s->pr.k; i++)
        row[s->pr.levers[i].param] = mixes[r].values[i];
    }
  if (!cd_param_overlay_run_batch (s->pr.ov, n, values, s->threads, outcomes, NULL, NULL,
                                   s->progress != NULL ? report : NULL, s,
                                   s->pr.cancellable, error))
    return FALSE;
  for (guint r = 0; r < n; r++)
    {
      mixes[r].total_loss = outcomes[r].total_loss;
      mixes[r].final_mean = outcomes[r].final_mean;
    }
  g_array_append_vals (s->archive, mixes, n);
  s->n_runs += n;
  return TRUE;
}

static void
unit_of_mix (const Problem *pr,
             const CdMix   *mix,
             double        *z)
{
  for (guint i = 0; i < pr->k; i++)
    {
      const CdLever *l = &pr->levers[i];
      z[i] = l->upper > l->lower ? (mix->values[i] - l->lower) / (l->upper - l->lower) : 0.0;
      z[i] = CLAMP (z[i], 0.0, 1.0);
    }
}

/* Moves z toward the cheapest mix (the origin) until it costs at most budget. */
static void
scale_to_budget (const Problem *pr,
                 double        *z,
                 double         budget)
{
  double c = unit_cost (pr, z);

  if (c > budget && c > pr->cost_lo)
    {
      double f = MAX (budget - pr->cost_lo, 0.0) / (c - pr->cost_lo);
      for (guint i = 0; i < pr->k; i++)
        z[i] *= f;
    }
}

static double
max_distance (const double *a,
              const double *b,
              guint         k)
{
  double d = 0;

  for (guint i = 0; i < k; i++)
    d = MAX (d, fabs (a[i] - b[i]));
  return d;
}

/* Archive entries in order of goodness (best first), ties by archive order. */
typedef struct
{
  const CdMix         *mixes;
  CdOptimizeObjective  objective;
} Ranking;

static int
compare_goodness (const void *a,
                  const void *b,
                  void       *data)
{
  const Ranking *rk = data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  double ga = cd_mix_goodness (&rk->mixes[ia], rk->objective);
  double gb = cd_mix_goodness (&rk->mixes[ib], rk->objective);

  if (ga != gb)
    return ga > gb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

/* By cost, the better of equal costs first, then by archive order. */
static int
compare_cost (const void *a,
              const void *b,
              void       *data)
{
  const Ranking *rk = data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  const CdMix *ma = &rk->mixes[ia], *mb = &rk->mixes[ib];

  if (ma->cost != mb->cost)
    return ma->cost < mb->cost ? -1 : 1;
  return compare_goodness (a, b, data);
}

static guint *
rank_archive (const Search        *s,
              CdOptimizeObjective  objective)
{
  guint *order = g_new (guint, MAX (s->archive->len, 1));
  Ranking rk = { (const CdMix *) s->archive->data, objective };

  for (guint i = 0; i < s->archive->len; i++)
    order[i] = i;
  g_qsort_with_data (order, s->archive->len, sizeof (guint), compare_goodness, &rk);
  return order;
}

static Task
task_new (TaskKind             kind,
          CdOptimizeObjective  objective,
          double               bound,
          const double        *z0,
          guint                k,
          double               first_step,
          int                  max_runs)
{
  Task t = { 0 };

  t.kind = kind;
  t.objective = objective;
  t.bound = bound;
  memcpy (t.z0, z0, k * sizeof (double));
  t.first_step = first_step;
  t.max_runs = max_runs;
  return t;
}

/* Solves at each budget of the ladder from the best distinct mixes that
 * budget affords (ranked by `objective`). */
static void
add_budget_tasks (Search              *s,
                  GArray              *tasks,
                  CdOptimizeObjective  objective,
                  const double        *budgets,
                  guint                n_budgets)
{
  g_autofree guint *order = rank_archive (s, objective);
  const CdMix *mixes = (const CdMix *) s->archive->data;
  guint k = s->pr.k;

  for (guint b = 0; b < n_budgets; b++)
    {
      double chosen[STARTS_PER_BUDGET][CD_OPTIMIZE_MAX_LEVERS];
      guint n_chosen = 0;

      for (guint r = 0; r < s->archive->len && n_chosen < STARTS_PER_BUDGET; r++)
        {
          const CdMix *m = &mixes[order[r]];
          double z[CD_OPTIMIZE_MAX_LEVERS];
          gboolean distinct = TRUE;

          if (m->cost > budgets[b])
            continue;
          unit_of_mix (&s->pr, m, z);
          for (guint c = 0; c < n_chosen && distinct; c++)
            distinct = max_distance (chosen[c], z, k) >= DISTINCT_STARTS;
          if (!distinct)
            continue;
          memcpy (chosen[n_chosen++], z, sizeof z);
          {
            Task t = task_new (TASK_BUDGET, objective, budgets[b], z, k, SOLVE_FIRST_STEP,
                               SOLVE_RUNS_PER_DIM * (k + 1));
            g_array_append_val (tasks, t);
          }
        }
    }
}

/* Indices of the front in the archive: by cost, each better than the row
 * before by more than min_step. */
static GArray *
front_indices (const Search        *s,
               CdOptimizeObjective  objective,
               double               min_step)
{
  const CdMix *mixes = (const CdMix *) s->archive->data;
  g_autofree guint *order = g_new (guint, MAX (s->archive->len, 1));
  GArray *front = g_array_new (FALSE, FALSE, sizeof (guint));
  Ranking rk = { mixes, objective };
  double last = -INFINITY;

  for (guint i = 0; i < s->archive->len; i++)
    order[i] = i;
  g_qsort_with_data (order, s->archive->len, sizeof (guint), compare_cost, &rk);
  for (guint i = 0; i < s->archive->len; i++)
    {
      double g = cd_mix_goodness (&mixes[order[i]], objective);
      if (front->len == 0 || g > last + min_step)
        {
          g_array_append_val (front, order[i]);
          last = g;
        }
    }
  return front;
}

static double
goodness_range (const Search        *s,
                CdOptimizeObjective  objective)
{
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < s->archive->len; i++)
    {
      double g = cd_mix_goodness (&g_array_index (s->archive, CdMix, i), objective);
      lo = MIN (lo, g);
      hi = MAX (hi, g);
    }
  return hi > lo ? hi - lo : 0.0;
}

typedef struct
{
  guint  a;          /* front rows a and a + 1 … */
  guint  best;       /* … up to this one, closer in cost to a + 1 than a bisection splits */
  double gap;
} Gap;

static int
compare_gaps (const void *a,
              const void *b)
{
  const Gap *x = a, *y = b;

  if (x->gap != y->gap)
    return x->gap > y->gap ? -1 : 1;
  return x->a < y->a ? -1 : x->a > y->a;
}

/* Bisects the front where adjacent rows are far apart: a budget halfway
 * between their costs, solved from the point of the segment between them at
 * that cost and from the dearer one scaled back to it (the best of the
 * dearer one's step, see below). */
static gboolean
refine_front (Search  *s,
              GError **error)
{
  guint k = s->pr.k;

  for (guint round = 0; round < REFINE_ROUNDS; round++)
    {
      double range = goodness_range (s, s->pr.objective);
      g_autoptr (GArray) front = front_indices (s, s->pr.objective, FRONT_MIN_STEP * range);
      g_autoptr (GArray) gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
      g_autoptr (GArray) tasks = g_array_new (FALSE, FALSE, sizeof (Task));
      const CdMix *mixes = (const CdMix *) s->archive->data;
      const double min_cost = REFINE_MIN_COST * s->pr.cost_span;

      if (range == 0)
        return TRUE;
      for (guint i = 0; i + 1 < front->len; i++)
        {
          const CdMix *a = &mixes[g_array_index (front, guint, i)];
          const CdMix *b = &mixes[g_array_index (front, guint, i + 1)];
          Gap g = { i, i + 1, 0.0 };

          /* Rows closer in cost than a bisection splits are one step of
           * the front, rising to the best of them: a poor row just below a
           * much better one at nearly the same cost must not hide the rise
           * (the flood example's loss front jumped 1.2 % of its range that
           * way, over a stretch of cost no budget had looked at). */
          while (g.best + 1 < front->len
                 && mixes[g_array_index (front, guint, g.best + 1)].cost - b->cost
                    <= min_cost)
            g.best++;
          g.gap = cd_mix_goodness (&mixes[g_array_index (front, guint, g.best)],
                                   s->pr.objective)
                  - cd_mix_goodness (a, s->pr.objective);
          if (g.gap > REFINE_GAP * range && b->cost - a->cost > min_cost)
            g_array_append_val (gaps, g);
        }
      if (gaps->len == 0)
        return TRUE;
      g_array_sort (gaps, compare_gaps);
      for (guint j = 0; j < MIN (gaps->len, REFINE_GAPS); j++)
        {
          const Gap *g = &g_array_index (gaps, Gap, j);
          const CdMix *a = &mixes[g_array_index (front, guint, g->a)];
          const CdMix *b = &mixes[g_array_index (front, guint, g->a + 1)];
          const CdMix *best = &mixes[g_array_index (front, guint, g->best)];
          double budget = 0.5 * (a->cost + b->cost);
          double za[CD_OPTIMIZE_MAX_LEVERS], zb[CD_OPTIMIZE_MAX_LEVERS], zm[CD_OPTIMIZE_MAX_LEVERS];
          Task t;

          unit_of_mix (&s->pr, a, za);
          unit_of_mix (&s->pr, best, zb);
          for (guint d = 0; d < k; d++)
            zm[d] = 0.5 * (za[d] + zb[d]);
          t = task_new (TASK_BUDGET, s->pr.objective, budget, zm, k, REFINE_FIRST_STEP,
                        REFINE_RUNS_PER_DIM * (k + 1));
          g_array_append_val (tasks, t);
          scale_to_budget (&s->pr, zb, budget);
          if (max_distance (zb, zm, k) >= DISTINCT_STARTS)
            {
              t = task_new (TASK_BUDGET, s->pr.objective, budget, zb, k, REFINE_FIRST_STEP,
                            REFINE_RUNS_PER_DIM * (k + 1));
              g_array_append_val (tasks, t);
            }
        }
      s->stage_start = 0.75 + 0.25 * round / REFINE_ROUNDS;
      s->stage_span = 0.25 / REFINE_ROUNDS;
      if (!run_tasks (s, tasks, error))
        return FALSE;
    }
  return TRUE;
}

/* The cheapest run reaching the target, or −1; best: the run of highest
 * coordination. */
static int
cheapest_reaching (const Search *s,
                   double        target,
                   int          *best)
{
  int found = -1;

  *best = -1;
  for (guint i = 0; i < s->archive->len; i++)
    {
      const CdMix *m = &g_array_index (s->archive, CdMix, i);
      if (m->final_mean >= target
          && (found < 0 || m->cost < g_array_index (s->archive, CdMix, found).cost))
        found = (int) i;
      if (*best < 0 || m->final_mean > g_array_index (s->archive, CdMix, *best).final_mean)
        *best = (int) i;
    }
  return found;
}

/* Least cost reaching the target: if nothing found so far reaches it, first
 * the highest coordination the whole box allows, solved from the mixes of
 * highest coordination; then least cost from the cheapest mixes that reach
 * it. */
static gboolean
search_target (Search  *s,
               double   target,
               GError **error)
{
  guint k = s->pr.k;
  int best;

  if (cheapest_reaching (s, target, &best) < 0)
    {
      g_autoptr (GArray) tasks = g_array_new (FALSE, FALSE, sizeof (Task));
      double top = s->pr.cost_lo + s->pr.cost_span;

      add_budget_tasks (s, tasks, CD_OPTIMIZE_COORDINATION, &top, 1);
      s->stage_start = 0.6;
      s->stage_span = 0.075;
      if (!run_tasks (s, tasks, error))
        return FALSE;
    }
  if (cheapest_reaching (s, target, &best) >= 0)
    {
      g_autoptr (GArray) tasks = g_array_new (FALSE, FALSE, sizeof (Task));
      g_autoptr (GArray) reaching = g_array_new (FALSE, FALSE, sizeof (guint));
      const CdMix *mixes = (const CdMix *) s->archive->data;
      double chosen[TARGET_STARTS][CD_OPTIMIZE_MAX_LEVERS];
      guint n_chosen = 0;

      for (guint i = 0; i < s->archive->len; i++)
        if (mixes[i].final_mean >= target)
          g_array_append_val (reaching, i);
      /* cheapest first; of equal costs the higher coordination, then archive order */
      g_qsort_with_data (reaching->data, reaching->len, sizeof (guint), compare_cost,
                         &(Ranking) { mixes, CD_OPTIMIZE_COORDINATION });
      for (guint r = 0; r < reaching->len && n_chosen < TARGET_STARTS; r++)
        {
          double z[CD_OPTIMIZE_MAX_LEVERS];
          gboolean distinct = TRUE;

          unit_of_mix (&s->pr, &mixes[g_array_index (reaching, guint, r)], z);
          for (guint c = 0; c < n_chosen && distinct; c++)
            distinct = max_distance (chosen[c], z, k) >= DISTINCT_STARTS;
          if (!distinct)
            continue;
          memcpy (chosen[n_chosen++], z, sizeof z);
          {
            Task t = task_new (TASK_TARGET, CD_OPTIMIZE_COORDINATION, target, z, k,
                               SOLVE_FIRST_STEP, SOLVE_RUNS_PER_DIM * (k + 1));
            g_array_append_val (tasks, t);
          }
        }
      s->stage_start = 0.675;
      s->stage_span = 0.075;
      if (!run_tasks (s, tasks, error))
        return FALSE;
    }
  return TRUE;
}

/* The design: the cheapest and the dearest mix; for each budget of the
 * ladder the mixes that spend it on one lever alone, and the balanced mix
 * (every lever the same share of its range) that spends it; and n_sobol
 * points of a Sobol sequence shifted at random by the seed (Cranley–
 * Patterson rotation), so that a seed gives other points, all spread as
 * evenly. */
static double *
make_design (const Problem *pr,
             guint64        seed,
             const double  *budgets,
             guint          n_budgets,
             guint          n_sobol,
             guint         *n_points)
{
  guint k = pr->k, n = 0, cap = 2 + n_budgets * (k + 1) + n_sobol;
  double *zs = g_new0 (double, (gsize) cap * k);
  gsl_qrng *q = gsl_qrng_alloc (gsl_qrng_sobol, k);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double shift[CD_OPTIMIZE_MAX_LEVERS], point[CD_OPTIMIZE_MAX_LEVERS];

  /* the cheapest (all zero) and the dearest */
  n++;
  for (guint i = 0; i < k; i++)
    zs[(gsize) n * k + i] = 1.0;
  n++;
  for (guint b = 0; b < n_budgets; b++)
    {
      double extra = budgets[b] - pr->cost_lo;
      double *z;

      for (guint i = 0; i < k; i++)
        {
          const CdLever *l = &pr->levers[i];
          double range_cost = l->cost * (l->upper - l->lower);

          z = zs + (gsize) n++ * k;
          z[i] = range_cost > 0 ? MIN (1.0, extra / range_cost) : 1.0;
        }
      z = zs + (gsize) n++ * k;
      for (guint i = 0; i < k; i++)
        z[i] = 1.0;
      scale_to_budget (pr, z, budgets[b]);
    }
  gsl_rng_set (rng, (unsigned long) seed);
  for (guint i = 0; i < k; i++)
    shift[i] = gsl_rng_uniform (rng);
  /* skip the origin, the sequence's first point */
  gsl_qrng_get (q, point);
  for (guint r = 0; r < n_sobol; r++)
    {
      double *z = zs + (gsize) n++ * k;
      gsl_qrng_get (q, point);
      for (guint i = 0; i < k; i++)
        z[i] = fmod (point[i] + shift[i], 1.0);
    }
  gsl_qrng_free (q);
  gsl_rng_free (rng);
  g_assert (n == cap);
  *n_points = n;
  return zs;
}

/* ---- the whole ------------------------------------------------------------------- */

void
cd_optimize_free (CdOptimize *opt)
{
  if (opt == NULL)
    return;
  g_clear_pointer (&opt->front, g_array_unref);
  g_free (opt);
}

static double
masked_from (const CdModel *model,
             CdParam        param)
{
  double at = NAN;

  for (guint i = 0; i < model->interventions->len; i++)
    {
      const CdIntervention *iv = g_ptr_array_index (model->interventions, i);
      for (guint j = 0; j < iv->settings->len; j++)
        if (g_array_index (iv->settings, CdSetting, j).param == param
            && (isnan (at) || iv->at < at))
          at = iv->at;
    }
  return at;
}

CdOptimize *
cd_optimize_run (const CdModel            *model,
                 const CdLever            *levers,
                 guint                     n_levers,
                 const CdOptimizeOptions  *options,
                 CdProgressFunc            progress,
                 gpointer                  progress_data,
                 GCancellable             *cancellable,
                 GError                  **error)
{
  g_autoptr (CdOptimize) opt = NULL;
  g_autoptr (CdModel) variant = NULL;
  g_autoptr (CdParamOverlay) ov = NULL;
  g_autoptr (GArray) tasks = NULL;
  g_autoptr (GArray) archive = NULL;
  g_autoptr (GArray) front = NULL;
  g_autofree double *budgets = NULL;
  g_autofree double *design = NULL;
  Search s = { 0 };
  guint n_budgets, n_design, k = n_levers;
  double cost_hi = 0;

  g_return_val_if_fail (model != NULL && options != NULL, NULL);
  g_return_val_if_fail (n_levers == 0 || levers != NULL, NULL);
  g_return_val_if_fail (options->scenario >= -1
                        && options->scenario < (int) model->scenarios->len, NULL);

  if (n_levers == 0 || n_levers > CD_OPTIMIZE_MAX_LEVERS)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("give from 1 to %d levers"), CD_OPTIMIZE_MAX_LEVERS);
      return NULL;
    }
  for (guint i = 0; i < k; i++)
    {
      if (!cd_param_in_version (levers[i].param, model->version))
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                       _("lever %s: models of version %d have no such parameter"),
                       cd_param_info (levers[i].param)->path, model->version);
          return NULL;
        }
      for (guint j = 0; j < i; j++)
        if (levers[j].param == levers[i].param)
          {
            /* Translators: %s is a parameter path. */
            g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                         _("lever %s is given twice"), cd_param_info (levers[i].param)->path);
            return NULL;
          }
    }
  if (options->has_target && !(options->target >= 0 && options->target <= 1))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("the target is a final mean coordination, from 0 to 1"));
      return NULL;
    }

  variant = cd_model_apply_scenario (model, options->scenario, error);
  if (variant == NULL)
    return NULL;
  ov = cd_param_overlay_new (variant, error);
  if (ov == NULL)
    return NULL;

  opt = g_new0 (CdOptimize, 1);
  opt->objective = options->objective;
  opt->n_levers = k;
  memcpy (opt->levers, levers, k * sizeof (CdLever));
  opt->scenario = options->scenario;
  opt->seed = options->seed;
  opt->has_target = options->has_target;
  opt->target = options->target;
  for (guint i = 0; i < k; i++)
    opt->masked_from[i] = masked_from (variant, levers[i].param);

  archive = g_array_new (FALSE, FALSE, sizeof (CdMix));
  s.pr.ov = ov;
  s.pr.base = cd_param_overlay_base_values (ov);
  s.pr.k = k;
  s.pr.levers = opt->levers;
  s.pr.objective = options->objective;
  s.pr.cancellable = cancellable;
  for (guint i = 0; i < k; i++)
    {
      s.pr.cost_lo += levers[i].cost * levers[i].lower;
      cost_hi += levers[i].cost * levers[i].upper;
    }
  s.pr.cost_span = cost_hi > s.pr.cost_lo ? cost_hi - s.pr.cost_lo : 1.0;
  s.threads = options->threads > 0 ? options->threads : g_get_num_processors ();
  s.archive = archive;
  s.progress = progress;
  s.progress_data = progress_data;

  /* The ladder: equal steps of cost above the cheapest mix; with no cost
   * at all, one budget (everything is free). */
  n_budgets = cost_hi > s.pr.cost_lo ? BUDGETS_BASE + BUDGETS_PER_LEVER * k : 1;
  budgets = g_new (double, n_budgets);
  for (guint b = 0; b < n_budgets; b++)
    budgets[b] = b + 1 == n_budgets ? cost_hi
                                    : s.pr.cost_lo + (cost_hi - s.pr.cost_lo) * (b + 1) / n_budgets;

  design = make_design (&s.pr, options->seed, budgets, n_budgets,
                        DESIGN_BASE + DESIGN_PER_LEVER * k, &n_design);
  s.stage_start = 0;
  s.stage_span = 0.1;
  if (!run_design (&s, design, n_design, error))
    return NULL;

  tasks = g_array_new (FALSE, FALSE, sizeof (Task));
  add_budget_tasks (&s, tasks, options->objective, budgets, n_budgets);
  s.stage_start = 0.1;
  s.stage_span = 0.5;
  if (!run_tasks (&s, tasks, error))
    return NULL;

  if (options->has_target && !search_target (&s, options->target, error))
    return NULL;
  s.stage_start = 0.75;
  s.stage_span = 0.25;
  if (!refine_front (&s, error))
    return NULL;

  front = front_indices (&s, options->objective,
                         FRONT_MIN_STEP * goodness_range (&s, options->objective));
  opt->front = g_array_sized_new (FALSE, FALSE, sizeof (CdMix), front->len);
  for (guint i = 0; i < front->len; i++)
    g_array_append_val (opt->front, g_array_index (archive, CdMix, g_array_index (front, guint, i)));
  if (options->has_target)
    {
      int best, found = cheapest_reaching (&s, options->target, &best);

      opt->target_reached = found >= 0;
      opt->target_mix = g_array_index (archive, CdMix, found >= 0 ? found : best);
    }
  opt->n_runs = (guint) s.n_runs;
  if (progress != NULL)
    progress (1.0, progress_data);
  return g_steal_pointer (&opt);
}

void
cd_optimize_mix_parameters (const CdOptimize *opt,
                            const double     *base,
                            const CdMix      *mix,
                            double           *values)
{
  g_return_if_fail (opt != NULL && base != NULL && mix != NULL && values != NULL);
  memcpy (values, base, CD_N_PARAMS * sizeof (double));
  for (guint i = 0; i < opt->n_levers; i++)
    values[opt->levers[i].param] = mix->values[i];
}

char *
cd_optimize_target_text (const CdOptimize *opt)
{
  g_autoptr (GString) mix = g_string_new (NULL);
  const CdMix *m;

  g_return_val_if_fail (opt != NULL, NULL);
  if (!opt->has_target)
    return NULL;
  m = &opt->target_mix;
  for (guint i = 0; i < opt->n_levers; i++)
    g_string_append_printf (mix, "%s%s = %.6g", i > 0 ? ", " : "",
                            cd_param_info (opt->levers[i].param)->path, m->values[i]);
  if (opt->target_reached)
    /* Translators: the first %g is the target (a final mean coordination),
     * then the cost, the mix ("resistance.law = 0.5, …"), and what it gives. */
    return g_strdup_printf (_("target %g: the cheapest mix found costs %.6g: %s; final mean "
                              "coordination %.6g, total loss %.6g"),
                            opt->target, m->cost, mix->str, m->final_mean, m->total_loss);
  /* Translators: %g is the target; then the highest final mean coordination
   * found, its cost and its mix. */
  return g_strdup_printf (_("target %g: no mix within the levers' bounds reaches it; the highest "
                            "final mean coordination found is %.6g, at cost %.6g: %s"),
                          opt->target, m->final_mean, m->cost, mix->str);
}
