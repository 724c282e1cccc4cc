/* cd-jacobian.h — sparse Jacobians by finite differences with graph colouring.
 *
 * A network's right-hand side couples each variable to a few others, so
 * its Jacobian is sparse.  Columns that share no row (structurally
 * orthogonal) can be perturbed together: one pair of evaluations then
 * gives every one of their entries (Curtis, Powell and Reid 1974).  The
 * columns are coloured greedily, largest first, so that no two of one
 * colour share a row; a Jacobian then costs two evaluations per colour
 * (central differences) instead of two per column.
 *
 * The structure comes from the compiled system's adjacency, not from the
 * equations: a government's rate may depend on its own state, on every
 * government it is joined to (partners, superiors, subordinates) and on the
 * trust of each of its partnerships; a partnership's trust on its own value
 * and on its two ends.  That is a superset of what model 1 and model 2
 * couple, so a new term along those lines keeps it right.  A coupling
 * outside it is caught while evaluating (at the first evaluation and every
 * eighth after): a row that changes under a colour none of whose columns
 * it holds means the structure is wrong, which is reported (g_critical) and
 * fails the evaluation rather than giving a wrong Jacobian.  A coupling to
 * a column of a colour the row does hold cannot be told apart from the
 * row's own entries; tests/analysis/test-sparse.c compares the whole
 * Jacobian with dense differences on random models for that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-system.h"

G_BEGIN_DECLS

/* A square matrix in compressed sparse columns, as KLU takes it: the rows
 * of column k are row_index[col_start[k] … col_start[k + 1] − 1], sorted,
 * and every column holds its diagonal. */
typedef struct
{
  guint   n;
  guint   nnz;
  int    *col_start;
  int    *row_index;
  double *value;
} CdSparseMatrix;

/* out = M v */
void cd_sparse_matrix_multiply (const CdSparseMatrix *m,
                                const double         *v,
                                double               *out);

/* f(z) for a Jacobian; returns FALSE to stop (a value not finite). */
typedef gboolean (*CdVectorFunc) (const double *z,
                                  double       *f,
                                  gpointer      data);

typedef struct _CdJacobian CdJacobian;

/* From each row's columns (CSR over n rows, any order, repeats allowed);
 * the diagonal is added where missing. */
CdJacobian *cd_jacobian_new            (guint              n,
                                        const guint       *row_start,
                                        const guint       *column);
/* The structure of cd_system_evaluate over the equilibrium state z, whose
 * entry k is y[map[k]] (map: coordination of free governments, then
 * possibly trust; see cd-analysis-equilibria.h). */
CdJacobian *cd_jacobian_new_for_system (const CdSystem    *system,
                                        const guint       *map,
                                        guint              dim);
void        cd_jacobian_free           (CdJacobian        *jac);

guint       cd_jacobian_n_colours      (const CdJacobian  *jac);
/* The matrix: the structure always, the values after an evaluation. */
const CdSparseMatrix *cd_jacobian_matrix (const CdJacobian *jac);

/* Central differences with step h around z (z is not changed).  FALSE when
 * f failed or the structure missed a coupling. */
gboolean    cd_jacobian_evaluate       (CdJacobian        *jac,
                                        CdVectorFunc       f,
                                        gpointer           data,
                                        const double      *z,
                                        double             h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJacobian, cd_jacobian_free)

G_END_DECLS
