/* cd-sparse-linalg.c — KLU factorizations and ARPACK eigenvalues
 * (see cd-sparse-linalg.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <arpack.h>
#include <klu.h>

#include "cd-sparse-linalg.h"

#define ARPACK_TOL         1e-10
/* Restarts: a wanted eigenvalue that stands apart converges in tens; one in
 * a cluster ARPACK cannot resolve does not converge in thousands. */
#define ARPACK_MAX_RESTART 50
/* Inverse iterations for the Collatz-Wielandt bound (see below). */
#define CW_MAX_ITER        20
/* An off-diagonal entry above −this (relative to the largest entry) counts
 * as ≥ 0: finite differences leave noise of about 1e-9 on entries that
 * are 0 at the point (a partner's pull where the partner is at 0). */
#define METZLER_NOISE      1e-6
/* A refactorization with the old pivots is kept unless its pivots spread
 * this far (KLU's cheap estimate of the reciprocal condition number,
 * min |u_kk| / max |u_kk|).  Its reciprocal pivot growth would say more
 * but costs two thirds of a refactorization; Newton corrects an
 * inaccurate step at the next one. */
#define REFACTOR_RCOND     1e-12

struct _CdSparseLU
{
  klu_common    common;
  klu_symbolic *symbolic;
  klu_numeric  *numeric;
  guint         n;
  int          *col_start;     /* the structure's, borrowed for KLU (not const there) */
  int          *row_index;
  int          *diagonal;      /* per column, the index of its diagonal entry */
  double       *shifted;       /* the values factored */
};

/* With pivoting FALSE: no block triangular form and diagonal pivots
 * always (unless one is exactly 0), so that the factors are those of a
 * symmetric permutation P M Pᵀ, as the M-matrix test below needs. */
static CdSparseLU *
sparse_lu_new (const CdSparseMatrix *s,
               gboolean              pivoting)
{
  g_autoptr(CdSparseLU) lu = g_new0 (CdSparseLU, 1);

  g_return_val_if_fail (s != NULL, NULL);

  klu_defaults (&lu->common);
  if (!pivoting)
    {
      lu->common.btf = 0;
      lu->common.tol = 0.0;
    }
  lu->n = s->n;
  lu->col_start = g_memdup2 (s->col_start, (s->n + 1) * sizeof (int));
  lu->row_index = g_memdup2 (s->row_index, MAX (s->nnz, 1) * sizeof (int));
  lu->diagonal = g_new (int, MAX (s->n, 1));
  lu->shifted = g_new (double, MAX (s->nnz, 1));
  for (guint k = 0; k < s->n; k++)
    {
      lu->diagonal[k] = -1;
      for (int q = s->col_start[k]; q < s->col_start[k + 1]; q++)
        if (s->row_index[q] == (int) k)
          lu->diagonal[k] = q;
      g_return_val_if_fail (lu->diagonal[k] >= 0, NULL);
    }
  lu->symbolic = klu_analyze ((int) s->n, lu->col_start, lu->row_index, &lu->common);
  if (lu->symbolic == NULL)
    return NULL;
  return g_steal_pointer (&lu);
}

CdSparseLU *
cd_sparse_lu_new (const CdSparseMatrix *s)
{
  return sparse_lu_new (s, TRUE);
}

CdSparseLU *
cd_sparse_lu_new_unpivoted (const CdSparseMatrix *s)
{
  return sparse_lu_new (s, FALSE);
}

void
cd_sparse_lu_free (CdSparseLU *lu)
{
  if (lu == NULL)
    return;
  if (lu->numeric != NULL)
    klu_free_numeric (&lu->numeric, &lu->common);
  if (lu->symbolic != NULL)
    klu_free_symbolic (&lu->symbolic, &lu->common);
  g_free (lu->col_start);
  g_free (lu->row_index);
  g_free (lu->diagonal);
  g_free (lu->shifted);
  g_free (lu);
}

gboolean
cd_sparse_lu_factor (CdSparseLU           *lu,
                     const CdSparseMatrix *m,
                     double                shift)
{
  g_return_val_if_fail (m->n == lu->n, FALSE);

  for (guint q = 0; q < m->nnz; q++)
    {
      if (!isfinite (m->value[q]))
        return FALSE;
      lu->shifted[q] = m->value[q];
    }
  if (shift != 0.0)
    for (guint k = 0; k < m->n; k++)
      lu->shifted[lu->diagonal[k]] -= shift;
  /* The pivots of the last factorization again, when they still serve:
   * Newton's Jacobians change little from step to step, and σI − M for a
   * Metzler M and σ beyond its spectrum is an M-matrix, which needs no
   * pivoting.  Otherwise a fresh factorization, with pivoting. */
  if (lu->numeric != NULL)
    {
      if (klu_refactor (lu->col_start, lu->row_index, lu->shifted, lu->symbolic, lu->numeric,
                        &lu->common)
          && lu->common.status == KLU_OK
          && klu_rcond (lu->symbolic, lu->numeric, &lu->common)
          && lu->common.rcond >= REFACTOR_RCOND)
        return TRUE;
      klu_free_numeric (&lu->numeric, &lu->common);
    }
  lu->numeric = klu_factor (lu->col_start, lu->row_index, lu->shifted, lu->symbolic, &lu->common);
  if (lu->numeric == NULL || lu->common.status != KLU_OK)
    {
      if (lu->numeric != NULL)
        klu_free_numeric (&lu->numeric, &lu->common);
      return FALSE;
    }
  return TRUE;
}

gboolean
cd_sparse_lu_solve (CdSparseLU *lu,
                    double     *b)
{
  g_return_val_if_fail (lu->numeric != NULL, FALSE);
  return klu_solve (lu->symbolic, lu->numeric, (int) lu->n, 1, b, &lu->common) != 0;
}

/* ---- eigenvalues ------------------------------------------------------------ */

static GMutex arpack_lock;

typedef struct
{
  double re, im;
  guint  column;     /* of its Ritz vector (the real part) */
} Ritz;

static int
compare_ritz (const void *a,
              const void *b)
{
  const Ritz *ra = a, *rb = b;

  if (ra->re != rb->re)
    return ra->re > rb->re ? -1 : 1;
  return (ra->im < rb->im) - (ra->im > rb->im);
}

typedef enum { ARPACK_OK, ARPACK_NOT_CONVERGED, ARPACK_FAILED } ArpackStatus;

/* One ARPACK run for nev eigenvalues of OP (the matrix, or (M − σI)⁻¹ when
 * invert), from resid (overwritten); the Ritz values, as eigenvalues of m,
 * and their vectors land in *ritz_out and *vectors_out (n per column). */
static ArpackStatus
run_arpack (const CdSparseMatrix *m,
            CdSparseLU           *lu,
            gboolean              invert,
            double                sigma,
            int                   nev,
            double                tol,
            int                   max_restart,
            const double         *start,
            Ritz                **ritz_out,
            double              **vectors_out,
            int                  *nconv_out,
            GCancellable         *cancellable)
{
  const int n = (int) m->n;
  const char *which = invert ? "LM" : "LR";
  int ncv = MIN (n, MAX (2 * nev + 1, invert ? 20 : 40));
  int lworkl = 3 * ncv * ncv + 6 * ncv, ido = 0, info = 1, nconv;
  int iparam[11] = { 0 }, ipntr[14] = { 0 };
  g_autofree double *resid = g_memdup2 (start, n * sizeof (double));
  g_autofree double *v = g_new (double, (gsize) n * ncv);
  g_autofree double *workd = g_new (double, 3 * (gsize) n);
  g_autofree double *workl = g_new (double, lworkl);
  g_autofree double *dr = g_new0 (double, nev + 1);
  g_autofree double *di = g_new0 (double, nev + 1);
  g_autofree double *zv = g_new0 (double, (gsize) n * (nev + 1));
  g_autofree double *workev = g_new0 (double, 3 * ncv);
  g_autofree int *select = g_new0 (int, ncv);
  g_autofree Ritz *ritz = NULL;
  ArpackStatus status = ARPACK_OK;
  guint steps = 0;

  iparam[0] = 1;                       /* exact shifts */
  iparam[2] = max_restart;
  iparam[6] = 1;                       /* OP is the matrix or the inverse, B = I */

  g_mutex_lock (&arpack_lock);
  for (;;)
    {
      dnaupd_c (&ido, "I", n, which, nev, tol, resid, ncv, v, n, iparam, ipntr, workd, workl,
                lworkl, &info);
      if (ido != -1 && ido != 1)
        break;
      if ((++steps & 63) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          status = ARPACK_FAILED;
          break;
        }
      {
        double *x = workd + ipntr[0] - 1, *y = workd + ipntr[1] - 1;
        if (invert)
          {
            memcpy (y, x, n * sizeof (double));
            if (!cd_sparse_lu_solve (lu, y))
              {
                status = ARPACK_FAILED;
                break;
              }
          }
        else
          cd_sparse_matrix_multiply (m, x, y);
      }
    }
  /* info 1: not converged in ARPACK_MAX_RESTART restarts; < 0: an error */
  if (status == ARPACK_OK && info != 0)
    status = info == 1 ? ARPACK_NOT_CONVERGED : ARPACK_FAILED;
  if (status == ARPACK_OK)
    {
      dneupd_c (1, "A", select, dr, di, zv, n, 0.0, 0.0, workev, "I", n, which, nev, tol, resid,
                ncv, v, n, iparam, ipntr, workd, workl, lworkl, &info);
      if (info != 0)
        status = ARPACK_FAILED;
    }
  g_mutex_unlock (&arpack_lock);
  if (status != ARPACK_OK)
    return status;

  nconv = MIN (iparam[4], nev + 1);
  ritz = g_new0 (Ritz, MAX (nconv, 1));
  for (int j = 0; j < nconv; j++)
    {
      double mr = dr[j], mi = di[j];

      if (!isfinite (mr) || !isfinite (mi))
        return ARPACK_FAILED;
      if (invert)
        {
          /* λ = σ + 1/μ */
          double d = mr * mr + mi * mi;
          if (d == 0.0)
            return ARPACK_FAILED;
          ritz[j].re = sigma + mr / d;
          ritz[j].im = -mi / d;
        }
      else
        {
          ritz[j].re = mr;
          ritz[j].im = mi;
        }
      /* a complex pair's vector: real part in column j, imaginary in j + 1 */
      ritz[j].column = (mi != 0.0 && j > 0 && di[j - 1] == -mi && dr[j - 1] == mr) ? j - 1 : j;
    }
  qsort (ritz, nconv, sizeof *ritz, compare_ritz);
  *ritz_out = g_steal_pointer (&ritz);
  *vectors_out = g_steal_pointer (&zv);
  *nconv_out = nconv;
  return nconv > 0 ? ARPACK_OK : ARPACK_FAILED;
}

/* Bounds on the rightmost eigenvalue s of a Metzler matrix M, and a shift
 * just right of it.  For any v > 0, min_i (Mv)_i / v_i ≤ s ≤ max_i (Mv)_i / v_i
 * (Collatz-Wielandt, on M + cI ≥ 0), and s ≥ max_i m_ii.  v is improved by
 * inverse iteration with (σ₀I − M)⁻¹, which is ≥ 0 for σ₀ beyond s and so
 * keeps it positive; σ₀ is Gershgorin's bound.  Why: Gershgorin's bound
 * can be far right of s, and then a cluster of eigenvalues near s (the
 * trust of thousands of partnerships decaying alike) maps to a cluster in
 * (M − σI)⁻¹ that ARPACK cannot resolve; from just right of the upper
 * bound the same eigenvalues spread out. */
static gboolean
perron_bounds (const CdSparseMatrix *m,
               CdSparseLU           *lu,
               double                gershgorin,
               double                max_diagonal,
               double               *lower,
               double               *upper)
{
  const guint n = m->n;
  g_autofree double *v = g_new (double, n);
  g_autofree double *mv = g_new (double, n);
  double sigma0 = gershgorin + MAX (1e-3, 1e-3 * fabs (gershgorin));
  double last = G_MAXDOUBLE;

  *lower = max_diagonal;
  *upper = gershgorin;
  if (!cd_sparse_lu_factor (lu, m, sigma0))
    return FALSE;
  for (guint k = 0; k < n; k++)
    v[k] = 1.0;
  for (guint iter = 0; iter < CW_MAX_ITER; iter++)
    {
      double top = 0.0, hi = -G_MAXDOUBLE, lo = G_MAXDOUBLE;

      /* v ← (σ₀I − M)⁻¹ v = −(M − σ₀I)⁻¹ v */
      if (!cd_sparse_lu_solve (lu, v))
        return FALSE;
      for (guint k = 0; k < n; k++)
        {
          v[k] = -v[k];
          top = MAX (top, v[k]);
        }
      if (!(top > 0.0) || !isfinite (top))
        return FALSE;
      for (guint k = 0; k < n; k++)
        v[k] = MAX (v[k] / top, 1e-300);
      cd_sparse_matrix_multiply (m, v, mv);
      for (guint k = 0; k < n; k++)
        {
          double r = mv[k] / v[k];
          hi = MAX (hi, r);
          lo = MIN (lo, r);
        }
      if (!isfinite (hi))
        return FALSE;
      *upper = MIN (*upper, hi);
      *lower = MAX (*lower, lo);
      if (*upper - *lower <= 1e-12 * MAX (1.0, fabs (*upper))
          || last - *upper <= 1e-3 * (*upper - *lower))
        break;
      last = *upper;
    }
  return TRUE;
}

/* Whether σI − M is a nonsingular M-matrix, that is σ > s for a Metzler M
 * (1), or not (0); −1 if the test cannot tell.  A Z-matrix is one exactly
 * when its LU factors without pivoting have a positive diagonal (its
 * leading principal minors are positive), whatever symmetric permutation
 * and positive row scaling come first; lu factors M − σI = −(σI − M), so
 * its pivots must all be negative. */
static int
is_beyond_spectrum (CdSparseLU           *lu,
                    const CdSparseMatrix *m,
                    double                sigma)
{
  const double *pivot;

  if (!cd_sparse_lu_factor (lu, m, sigma))
    return lu->common.status == KLU_SINGULAR ? 0 : -1;
  for (guint k = 0; k < lu->n; k++)
    if (lu->numeric->Pnum[k] != lu->symbolic->Q[k])
      return -1;   /* a zero diagonal pivot made KLU pivot after all */
  pivot = lu->numeric->Udiag;
  for (guint k = 0; k < lu->n; k++)
    if (!(pivot[k] < 0.0))
      return 0;
  return 1;
}

/* s to within 1e-12 (relative) by bisection between its bounds, with the
 * M-matrix test: for when ARPACK cannot single the Perron root out of a
 * cluster of all but equal eigenvalues. */
static gboolean
perron_root_by_bisection (const CdSparseMatrix *m,
                          double                lower,
                          double                upper,
                          double               *root)
{
  g_autoptr(CdSparseLU) lu = cd_sparse_lu_new_unpivoted (m);
  double lo = lower - 1e-12 * MAX (1.0, fabs (lower)), hi = upper;

  if (lu == NULL)
    return FALSE;
  /* hi must be beyond the spectrum: the bound may sit on s itself */
  for (guint widen = 0; is_beyond_spectrum (lu, m, hi) != 1; widen++)
    {
      if (widen >= 20)
        return FALSE;
      hi += MAX (upper - lower, 1e-12 * MAX (1.0, fabs (upper))) * (1u << widen);
    }
  for (guint iter = 0; iter < 100 && hi - lo > 1e-12 * MAX (1.0, fabs (hi)); iter++)
    {
      double mid = 0.5 * (lo + hi);

      switch (is_beyond_spectrum (lu, m, mid))
        {
        case 1:
          hi = mid;
          break;
        case 0:
          lo = mid;
          break;
        default:
          return FALSE;
        }
    }
  *root = hi;
  return TRUE;
}

/* Metzler: every off-diagonal entry ≥ 0, up to the noise of finite
 * differences; also gives Gershgorin's bound and the largest diagonal. */
static gboolean
is_metzler (const CdSparseMatrix *m,
            double               *gershgorin,
            double               *max_diagonal)
{
  g_autofree double *row_sum = g_new0 (double, MAX (m->n, 1));
  g_autofree double *diag = g_new0 (double, MAX (m->n, 1));
  double largest = 0.0, most_negative = 0.0;

  for (guint k = 0; k < m->n; k++)
    for (int q = m->col_start[k]; q < m->col_start[k + 1]; q++)
      {
        guint r = m->row_index[q];
        double a = m->value[q];

        if (!isfinite (a))
          return FALSE;
        largest = MAX (largest, fabs (a));
        if (r == k)
          diag[r] = a;
        else
          {
            row_sum[r] += fabs (a);
            most_negative = MIN (most_negative, a);
          }
      }
  *gershgorin = -G_MAXDOUBLE;
  *max_diagonal = -G_MAXDOUBLE;
  for (guint r = 0; r < m->n; r++)
    {
      *gershgorin = MAX (*gershgorin, diag[r] + row_sum[r]);
      *max_diagonal = MAX (*max_diagonal, diag[r]);
    }
  return most_negative >= -METZLER_NOISE * MAX (1.0, largest);
}

int
cd_sparse_metzler_stable (const CdSparseMatrix *m,
                          CdSparseLU           *unpivoted,
                          double                threshold)
{
  double gershgorin, max_diagonal;

  g_return_val_if_fail (m != NULL && unpivoted != NULL, -1);

  if (!is_metzler (m, &gershgorin, &max_diagonal))
    return -1;
  /* the two bounds settle it without a factorization */
  if (gershgorin < threshold)
    return 1;
  if (max_diagonal >= threshold)
    return 0;
  return is_beyond_spectrum (unpivoted, m, threshold);
}

gboolean
cd_sparse_rightmost_eigenvalues (const CdSparseMatrix *m,
                                 CdSparseLU           *lu,
                                 guint                 n_wanted,
                                 double               *start,
                                 double               *re,
                                 double               *im,
                                 guint                *n_found,
                                 GCancellable         *cancellable)
{
  const int n = (int) m->n;
  g_autofree double *resid = g_new (double, MAX (n, 1));
  g_autofree double *vectors = NULL;
  g_autofree Ritz *ritz = NULL;
  double bound, sigma = 0.0, max_diagonal, lower = -G_MAXDOUBLE, upper = G_MAXDOUBLE;
  gboolean invert, tight;
  ArpackStatus status;
  int nconv = 0;

  g_return_val_if_fail (m != NULL && re != NULL && im != NULL && n_found != NULL, FALSE);
  g_return_val_if_fail (n_wanted >= 1 && (guint) n >= n_wanted + 3, FALSE);
  *n_found = 0;

  for (guint q = 0; q < m->nnz; q++)
    if (!isfinite (m->value[q]))
      return FALSE;
  invert = is_metzler (m, &bound, &max_diagonal);
  if (invert)
    {
      /* Right of every eigenvalue, so that the nearest one is the Perron
       * root, and as near it as is known to be safe. */
      if (lu == NULL || !perron_bounds (m, lu, bound, max_diagonal, &lower, &upper))
        return FALSE;
      sigma = upper + MAX (1e-2 * (upper - lower), 1e-9 * MAX (1.0, fabs (upper)));
      if (!cd_sparse_lu_factor (lu, m, sigma))
        return FALSE;
    }

  /* A fixed vector with every component positive (the Perron vector of a
   * Metzler matrix is ≥ 0, so they never miss each other), plus the last
   * call's eigenvector when given: mixed, so that an exact eigenvector
   * does not end the Krylov space at once, which would make ARPACK draw a
   * random vector of its own. */
  {
    double norm_start = 0.0, norm_fixed = 0.0;

    for (int k = 0; k < n; k++)
      {
        resid[k] = 1.0 + 0.5 * (double) (((guint) k * 2654435761u) % 1024u) / 1024.0;
        norm_fixed += resid[k] * resid[k];
        if (start != NULL)
          norm_start += start[k] * start[k];
      }
    if (start != NULL && norm_start > 0.0 && isfinite (norm_start))
      for (int k = 0; k < n; k++)
        resid[k] = start[k] / sqrt (norm_start) + 0.01 * resid[k] / sqrt (norm_fixed);
  }

  /* The few rightmost; if they do not converge (several wanted ones in a
   * cluster of thousands: a network has many governments alike), the one
   * stability needs. */
  tight = invert && upper - lower <= 1e-9 * MAX (1.0, fabs (upper));
  status = run_arpack (m, lu, invert, sigma, (int) n_wanted, ARPACK_TOL,
                       !invert ? 10 * ARPACK_MAX_RESTART
                               : tight ? ARPACK_MAX_RESTART / 5 : ARPACK_MAX_RESTART,
                       resid, &ritz, &vectors, &nconv, cancellable);
  if (status == ARPACK_NOT_CONVERGED && invert)
    {
      /* A cluster of eigenvalues all but equal to the Perron root (the
       * trust of thousands of idle partnerships decaying at one rate),
       * which ARPACK cannot tell apart: the root itself, from its bounds. */
      double root = upper;

      if (!tight && !perron_root_by_bisection (m, lower, upper, &root))
        return FALSE;
      re[0] = root;
      im[0] = 0.0;
      *n_found = 1;
      return TRUE;
    }
  if (status != ARPACK_OK)
    return FALSE;
  /* The Perron root lies within its bounds, whatever ARPACK says (up to
   * its tolerance): if not, the answer is wrong, not merely inexact. */
  if (invert && (ritz[0].re > upper + 1e-7 * MAX (1.0, fabs (upper))
                 || ritz[0].re < lower - 1e-7 * MAX (1.0, fabs (lower))))
    return FALSE;

  *n_found = MIN ((guint) nconv, n_wanted);
  for (guint j = 0; j < *n_found; j++)
    {
      re[j] = ritz[j].re;
      im[j] = ritz[j].im;
    }
  if (start != NULL)
    {
      const double *vec = vectors + (gsize) ritz[0].column * n;
      double norm = 0.0;

      for (int k = 0; k < n; k++)
        norm += vec[k] * vec[k];
      if (norm > 0.0 && isfinite (norm))
        for (int k = 0; k < n; k++)
          start[k] = vec[k] / sqrt (norm);
    }
  return TRUE;
}
