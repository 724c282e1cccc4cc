/* cd-sparse-linalg.h — sparse LU (SuiteSparse KLU) and the rightmost
 * eigenvalues (ARPACK) of a sparse matrix, for equilibria at national size.
 *
 * Rightmost eigenvalues.  Stability needs the eigenvalue with the largest
 * real part, which Krylov methods find poorly as it is (it is neither the
 * largest in magnitude nor, in general, near a known point).  The
 * Jacobians of this model are Metzler matrices — every off-diagonal entry
 * is ≥ 0, since coordination, trust and the pulls between them only ever
 * reinforce each other — and a Metzler matrix's rightmost eigenvalue s is
 * real (Perron–Frobenius on M + cI ≥ 0), with every eigenvalue in the disc
 * of centre −c and radius s + c.  So for any real σ > s, s is the
 * eigenvalue nearest σ, and the largest in magnitude of (M − σI)⁻¹:
 * shift-invert Arnoldi (ARPACK dnaupd, OP = (M − σI)⁻¹ applied by the LU)
 * finds it reliably.  σ is taken just right of Gershgorin's bound on s.
 * The Metzler property is checked on the matrix itself, up to the noise
 * of finite differences; a matrix that is not Metzler is handed to ARPACK
 * as it is with which = "LR" (largest real part), which converges more
 * slowly and may fail, failing the call.
 *
 * ARPACK keeps state between calls in Fortran SAVE variables, so calls are
 * serialized by a lock; and its start vector is always given (a random
 * one would make results differ from run to run).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-jacobian.h"

G_BEGIN_DECLS

typedef struct _CdSparseLU CdSparseLU;

/* The fill-reducing ordering for matrices of this structure (KLU's BTF and
 * AMD), computed once; NULL if KLU refuses the structure. */
CdSparseLU *cd_sparse_lu_new    (const CdSparseMatrix *structure);
void        cd_sparse_lu_free   (CdSparseLU           *lu);
/* Without pivoting (nor the block triangular form): only for
 * cd_sparse_metzler_stable. */
CdSparseLU *cd_sparse_lu_new_unpivoted (const CdSparseMatrix *structure);
/* Factors m − shift·I (m of the structure given to new); FALSE when it is
 * singular or not finite. */
gboolean    cd_sparse_lu_factor (CdSparseLU           *lu,
                                 const CdSparseMatrix *m,
                                 double                shift);
/* b ← (m − shift·I)⁻¹ b with the last factorization. */
gboolean    cd_sparse_lu_solve  (CdSparseLU           *lu,
                                 double               *b);

/* Up to n_wanted eigenvalues of m with the largest real parts, found with
 * ARPACK (see above); lu is used (refactored) for the shift-invert, and
 * start, when not NULL, is the start vector and receives the eigenvector
 * of the rightmost eigenvalue (to start the next call near it).  Writes
 * *n_found ≤ n_wanted values into re and im, the rightmost first.  FALSE
 * if ARPACK did not converge, was cancelled or failed.  m->n must be at
 * least n_wanted + 3. */
gboolean    cd_sparse_rightmost_eigenvalues (const CdSparseMatrix *m,
                                             CdSparseLU           *lu,
                                             guint                 n_wanted,
                                             double               *start,
                                             double               *re,
                                             double               *im,
                                             guint                *n_found,
                                             GCancellable         *cancellable);

/* Whether every eigenvalue of m has a real part below threshold, for a
 * Metzler m, with one factorization and no eigenvalue: 1 yes, 0 no; −1 if m
 * is not Metzler or the test cannot tell.  A Metzler matrix's rightmost
 * eigenvalue s is below t exactly when tI − m is a nonsingular M-matrix,
 * which is when its LU factors without pivoting have a positive diagonal.
 * unpivoted comes from cd_sparse_lu_new_unpivoted. */
int         cd_sparse_metzler_stable (const CdSparseMatrix *m,
                                      CdSparseLU           *unpivoted,
                                      double                threshold);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSparseLU, cd_sparse_lu_free)

G_END_DECLS
