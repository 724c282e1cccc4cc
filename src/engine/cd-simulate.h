/* cd-simulate.h — integrating a CdSystem (docs/model.md, "Numerics").
 *
 * Runs piece by piece between breakpoints with an embedded Runge–Kutta
 * stepper driven by GSL odeiv2, restarting it at each breakpoint, and hands each sample
 * (t = k·dt) to a callback — so the CLI can stream rows and the app can
 * keep a CdTrajectory.  Cancellable between steps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-system.h"

G_BEGIN_DECLS

#define CD_SIMULATE_ERROR (cd_simulate_error_quark ())

typedef enum
{
  CD_SIMULATE_ERROR_FAILED,     /* the integrator could not continue */
  CD_SIMULATE_ERROR_NOT_FINITE, /* the state left the finite numbers */
  CD_SIMULATE_ERROR_TOO_LARGE,  /* too many samples or steps */
  CD_SIMULATE_ERROR_OUTPUT,     /* the sample consumer failed */
} CdSimulateError;

GQuark cd_simulate_error_quark (void);

typedef enum
{
  CD_STEPPER_TSIT5,   /* Tsitouras 5(4) with dense output: the default, see cd-simulate.c */
  CD_STEPPER_DOPRI5,  /* Dormand–Prince 5(4) with dense output, under the same error control */
  CD_STEPPER_RK8PD,   /* Dormand–Prince 8(7) */
  CD_STEPPER_RKF45,
  CD_STEPPER_RKCK,
  CD_STEPPER_RK4,     /* classic 4th order, step doubling for the error: for comparison */
  CD_STEPPER_MSADAMS, /* variable-order Adams: for comparison */
} CdStepper;

/* What a run cost, for benchmarks. */
typedef struct
{
  guint64 steps;        /* step attempts, rejected ones included */
  guint64 rejected;
  guint64 evaluations;  /* right-hand side evaluations */
  guint64 helped;       /* parts of stages the consumer's thread did (a pipelined run) */
  guint64 corners_landed;   /* corners of the right-hand side a step was cut short for */
  guint64 corners_passed;   /* corners stepped over: too weak to matter (cd-simulate.c) */
} CdRunStats;

typedef void (*CdProgressFunc) (double fraction, gpointer user_data);

typedef struct
{
  guint           index;
  double          t;
  double          mean_coordination;
  double          loss;
  const double   *x;        /* n_nodes */
  const double   *trust;    /* n_partnerships; NULL in a run with CdRunOptions.x_only */
  const CdForces *forces;   /* NULL unless asked for */
  guint           piece;
  guint           prepared; /* k > 0: CdRunOptions.prepare has done its part for this
                             * sample, in its slot k − 1; 0: it has not */
} CdSample;

/* The part of a consumer's work on a sample that needs neither order nor
 * any state of the consumer's: formatting a CSV row (cd_csv_prepare_sample).
 * In a pipelined run (CdRunOptions.threads) the integration's thread calls
 * it for the samples waiting in the ring whenever the ring is full, instead
 * of waiting for room, and the caller's thread for the others: the two
 * cores share the consumer's work as they can.  The consumer then gets the
 * samples in order with sample.prepared = slot + 1; slot, below
 * CD_RUN_PREPARE_SLOTS, is the sample's until the consumer has returned.
 * Returns FALSE to leave the sample to the consumer alone.  Not called in
 * runs with forces (the consumer evaluates them) nor in runs on one thread. */
typedef gboolean (*CdPrepareFunc) (const CdSample *sample,
                                   guint           slot,
                                   gpointer        user_data);

#define CD_RUN_PREPARE_SLOTS 8

typedef struct
{
  gboolean       forces;         /* evaluate G, P, T, R at each sample */
  gboolean       trust;          /* (trust is always in the state; this only asks to keep it) */
  double         t_end;          /* ≤ 0: the model's */
  double         dt;             /* ≤ 0: the model's */
  CdStepper      stepper;
  guint64        max_steps;      /* 0: cd_max_steps(), the budget of every run */
  CdProgressFunc progress;       /* called with the fraction of t_end done; may be NULL */
  gpointer       progress_data;
  CdRunStats    *stats;          /* filled in when not NULL */
  guint          threads;        /* 1: all in the caller's thread; 0: integrate on a second
                                  * thread while the caller consumes samples, when the model
                                  * is large and there are cores to spare, and share a very
                                  * large model's right-hand side among the cores (same
                                  * numbers either way) */
  const double  *times;          /* not NULL: sample at exactly these n_times times instead of
                                  * at k·dt (increasing, in [0, t_end]; dt is then unused),
                                  * read off the interpolant like the others: observed data
                                  * are compared with the model at their own times */
  guint          n_times;
  gboolean       x_only;         /* the consumer reads t, x, loss and mean_coordination only
                                  * (sample.trust is NULL; not with forces): a sample inside
                                  * a step is interpolated, checked and handed over for those
                                  * alone, a third of the state on the national model */
  CdPrepareFunc  prepare;        /* may be NULL: see CdPrepareFunc */
  gpointer       prepare_data;
  gboolean       help_integrate; /* in a pipelined run of a large model, the caller's thread
                                  * does parts of the integration's stages whenever it has
                                  * no sample to consume, spinning rather than sleeping
                                  * (same numbers): for a caller with nothing else running,
                                  * such as `coordyn-cli run`, not for one of several runs
                                  * sharing the cores */
} CdRunOptions;

#define CD_RUN_OPTIONS_INIT { FALSE, FALSE, 0.0, 0.0, CD_STEPPER_TSIT5, 0, NULL, NULL, NULL, 0, \
                              NULL, 0, FALSE, NULL, NULL, FALSE }

/* The step budget of every run (the app, the CLI, the analyses and the
 * tests alike), in steps times (state variables + CD_STEP_OVERHEAD): a
 * step costs about 20 ns per state variable and the price of about 30
 * more, so this is a few seconds of one core (2 to 6 measured on a busy
 * 2-core machine) whatever the model's size.  A run that needs more is
 * refused as too stiff for an explicit method, or its settings as absurd:
 * the national model's own run takes 226 steps and its budget is 28,535;
 * the tutorial's takes 236 and its budget is 7.3 million (docs/model.md,
 * "Limits"). */
#define CD_MAX_STEP_WORK  ((guint64) 1 << 28)
#define CD_STEP_OVERHEAD  32
/* ... but never fewer steps than this: a model of a million governments
 * (2.9 million state variables) would get 91, and its run took 253 (with
 * the tolerances halved, before issue 17; fewer now). */
#define CD_MIN_STEPS      4096

/* The budget for a system: CD_MAX_STEP_WORK / (n_state + CD_STEP_OVERHEAD),
 * at least CD_MIN_STEPS. */
guint64  cd_max_steps     (const CdSystem *system);

/* Returns FALSE (with error set) to stop the run. */
typedef gboolean (*CdSampleFunc) (const CdSample *sample,
                                  gpointer        user_data,
                                  GError        **error);

guint    cd_run_n_samples (double t_end,
                           double dt);

gboolean cd_simulate      (const CdSystem     *system,
                           const CdRunOptions *options,
                           CdSampleFunc        on_sample,
                           gpointer            user_data,
                           GCancellable       *cancellable,
                           GError            **error);

/* A whole run kept in memory: samples × nodes arrays, row-major. */
typedef struct
{
  guint   n_samples;
  guint   n_nodes;
  guint   n_partnerships;
  double *t;
  double *mean_coordination;
  double *loss;
  double *x;
  double *trust;        /* NULL unless asked for */
  double *gravity;      /* the four: NULL unless forces were asked for */
  double *pressure;
  double *thrust;
  double *resistance;
} CdTrajectory;

CdTrajectory *cd_simulate_trajectory (const CdSystem     *system,
                                      const CdRunOptions *options,
                                      GCancellable       *cancellable,
                                      GError            **error);
/* The same into the arrays of `reuse` (NULL: new ones), a trajectory an
 * earlier call returned that no one reads any more; it is taken whatever
 * happens (freed on error).  Arrays are resized in place, so a run of about
 * the size of the last one writes into pages already mapped: the app's
 * runs while a slider is dragged (cd-runner.c) do that. */
CdTrajectory *cd_simulate_trajectory_reusing (const CdSystem     *system,
                                              const CdRunOptions *options,
                                              CdTrajectory       *reuse,
                                              GCancellable       *cancellable,
                                              GError            **error);
void          cd_trajectory_free     (CdTrajectory       *trajectory);

/* The sample at or just before time t. */
guint         cd_trajectory_index_at (const CdTrajectory *trajectory,
                                      double              t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTrajectory, cd_trajectory_free)

G_END_DECLS
