/* cd-analysis-equilibria.h — equilibria of the dynamics and their stability.
 *
 * With no emergency active and the parameters in force at a chosen time,
 * the state is z = (x of every government that is not fixed, trust of every
 * partnership); fixed governments are held at x0 and the loss is not part
 * of an equilibrium.  When trust_gain = trust_decay = 0 trust has no
 * dynamics at all: it is then held at its initial value and left out of z,
 * so that its identically zero eigenvalues do not make every equilibrium
 * look neutrally stable.
 *
 * Equilibria are found from a diagonal grid and seeded random starts (and
 * from where the dynamics settle from all-0, all-1 and the initial state),
 * kept when inside [0, 1], and deduplicated.  Stability is read from the
 * eigenvalues of the Jacobian (central differences): stable when every
 * real part is below −1e-8.
 *
 * Two ways to the same results.  Up to CD_EQ_DENSE_MAX dimensions the
 * Jacobian is dense: GSL's hybrid Powell solver finds the roots and
 * gsl_eigen_nonsymm gives every eigenvalue.  Beyond, dense matrices cost
 * O(n²) memory and O(n³) time, so the Jacobian is sparse, evaluated by
 * coloured finite differences over the network's structure (cd-jacobian.h);
 * roots are found by Newton's method with a backtracking line search and
 * SuiteSparse KLU for the linear systems, and stability from the few
 * rightmost eigenvalues, found by ARPACK (cd-sparse-linalg.h): n_eigen is
 * then that few, not the dimension.  CdEquilibriaOptions.method (or, for
 * CD_EQ_METHOD_AUTO, the environment variable COORDYN_EQ_METHOD = dense or
 * sparse, so that the tests run both on any model) chooses otherwise.
 *
 * The search at national size.  Beyond CD_EQ_DENSE_MAX dimensions a
 * uniformly random state is far from every equilibrium (on generated
 * hierarchies, none of 64 such starts converged from 271 dimensions up,
 * each costing up to a hundred sparse Jacobians), so there a random start
 * is relaxed by the dynamics first and polished by Newton: it samples the
 * stable states, each by the size of its basin.  The default number of
 * random starts is then CD_EQ_LARGE_RANDOM rather than 64.  Unstable
 * equilibria come from the diagonal grid, whose starts go to Newton as on
 * small models, and in a sweep from the previous value's equilibria.
 *
 * With the replicator rule every corner (each free x in {0, 1})
 * is an equilibrium too, and is evolutionarily stable exactly when it is a
 * strict Nash state (x_i = 1 where F_i > 0, x_i = 0 where F_i < 0), which
 * for this dynamic is the same as asymptotic stability in the x directions.
 * Corners are enumerated for up to CD_EQ_MAX_CORNER_NODES free governments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-analysis.h"

G_BEGIN_DECLS

/* The dense path up to this many state dimensions (free governments plus
 * partnerships), the sparse one beyond.  By CPU time the sparse path is as
 * fast from about 15 dimensions and 17× faster at 100 (bench-equilibria
 * --crossover), but up to 100 both take under a second, and the dense one
 * is GSL's hybrid solver, whose choice of equilibria on models with many
 * (the examples) users have seen; beyond, the dense path's O(n³) takes
 * seconds to hours. */
#define CD_EQ_DENSE_MAX        100
/* Beyond this the analysis refuses: KLU and ARPACK index with int, and
 * every equilibrium found keeps a full state. */
#define CD_EQ_MAX_DIM          4000000
#define CD_EQ_MAX_CORNER_NODES 12

typedef enum
{
  CD_EQ_METHOD_AUTO,        /* dense up to CD_EQ_DENSE_MAX dimensions, else sparse */
  CD_EQ_METHOD_DENSE,
  CD_EQ_METHOD_SPARSE,
} CdEqMethod;

typedef struct
{
  double  *y;               /* full state, n_state values (loss 0) */
  double   mean_coordination;
  gboolean stable;
  double   max_real;        /* largest real part of the Jacobian's eigenvalues */
  guint    n_eigen;         /* dense: all of them; sparse: the rightmost few, first */
  double  *eigen_re;
  double  *eigen_im;
  gboolean corner;          /* replicator: every free x is 0 or 1 */
  gboolean ess;             /* replicator corner that is evolutionarily stable */
} CdEquilibrium;

void cd_equilibrium_free (CdEquilibrium *eq);

/* The number of random starts when none is asked for: 64, or
 * CD_EQ_LARGE_RANDOM beyond CD_EQ_DENSE_MAX dimensions. */
#define CD_EQ_STARTS_DEFAULT   G_MAXUINT
#define CD_EQ_SMALL_RANDOM     64
#define CD_EQ_LARGE_RANDOM     8

typedef struct
{
  guint          n_grid;    /* diagonal starts x = k/(n_grid − 1) */
  guint          n_random;  /* random starts, or CD_EQ_STARTS_DEFAULT */
  guint32        seed;
  CdEqMethod     method;
  CdProgressFunc progress;  /* the fraction of the starts done; may be NULL */
  gpointer       progress_data;
} CdEquilibriaOptions;

#define CD_EQUILIBRIA_OPTIONS_INIT { 11, CD_EQ_STARTS_DEFAULT, 1, CD_EQ_METHOD_AUTO, NULL, NULL }

typedef struct
{
  GPtrArray *equilibria;    /* of CdEquilibrium, sorted by mean coordination */
  gboolean   corners_enumerated;
  gboolean   trust_held;
  gboolean   sparse;        /* found by the sparse path */
  guint      n_state;
  CdSystem  *system;        /* labels and sizes */
} CdEquilibria;

CdEquilibria *cd_find_equilibria (const CdModel             *model,
                                  double                     at,
                                  const CdEquilibriaOptions *options,
                                  GCancellable              *cancellable,
                                  GError                   **error);
void          cd_equilibria_free (CdEquilibria              *eqs);

/* The lower level, for continuation (cd-analysis-sweep.h). */
typedef struct _CdEqProblem CdEqProblem;

CdEqProblem *cd_eq_problem_new       (const CdSystem *system,
                                      const double   *params,
                                      gboolean        hold_trust,
                                      CdEqMethod      method,
                                      GError        **error);
void         cd_eq_problem_free      (CdEqProblem    *problem);
guint        cd_eq_problem_dim       (const CdEqProblem *problem);
gboolean     cd_eq_problem_is_sparse (const CdEqProblem *problem);
/* Lets solve and classify give up (returning FALSE) once it is cancelled:
 * on a large model one of them can take a second or more. */
void         cd_eq_problem_set_cancellable (CdEqProblem  *problem,
                                            GCancellable *cancellable);
void         cd_eq_problem_set_param (CdEqProblem    *problem,
                                      CdParam         param,
                                      double          value);
void         cd_eq_problem_pack      (const CdEqProblem *problem,
                                      const double   *y,
                                      double         *z);
void         cd_eq_problem_unpack    (const CdEqProblem *problem,
                                      const double   *z,
                                      double         *y);
/* Newton-type solve from z; TRUE when it converged inside [0, 1]. */
gboolean     cd_eq_problem_solve     (CdEqProblem    *problem,
                                      double         *z);
/* Integrates dz/dt = f(z) until it settles, then polishes with solve. */
gboolean     cd_eq_problem_relax     (CdEqProblem    *problem,
                                      double         *z,
                                      GCancellable   *cancellable,
                                      GError        **error);
/* The multi-start search at the problem's parameters (no corners).  Newton
 * starts first from each of seeds (CdEquilibrium, may be NULL): in a sweep,
 * the equilibria of the previous value, so that every branch found once is
 * followed on, stable or not, wherever the random starts miss it. */
GPtrArray   *cd_eq_problem_find_all  (CdEqProblem    *problem,
                                      const CdEquilibriaOptions *options,
                                      const GPtrArray *seeds,
                                      GCancellable   *cancellable,
                                      GError        **error);
/* Whether z is a stable equilibrium, as classify would say, but on the
 * sparse path with one factorization instead of eigenvalues when the
 * Jacobian is a Metzler matrix (cd_sparse_metzler_stable): for the many
 * substeps of a sweep.  FALSE if it cannot tell. */
gboolean     cd_eq_problem_is_stable (CdEqProblem    *problem,
                                      const double   *z,
                                      gboolean       *stable);
/* Fills everything but y and corner/ess. */
gboolean     cd_eq_problem_classify  (CdEqProblem    *problem,
                                      const double   *z,
                                      CdEquilibrium  *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdEquilibria, cd_equilibria_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdEqProblem, cd_eq_problem_free)

G_END_DECLS
