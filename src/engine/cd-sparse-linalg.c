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

#define ARPACK_TOL         1e-12
#define ARPACK_MAX_RESTART 3000
/* An off-diagonal entry above −this (relative to the largest entry) counts
 * as ≥ 0: finite differences leave noise of about 1e-9 on entries that
 * are 0 at the point (a partner's pull where the partner is at 0). */
#define METZLER_NOISE      1e-6

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

CdSparseLU *
cd_sparse_lu_new (const CdSparseMatrix *s)
{
  g_autoptr(CdSparseLU) lu = g_new0 (CdSparseLU, 1);

  g_return_val_if_fail (s != NULL, NULL);

  klu_defaults (&lu->common);
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

  if (lu->numeric != NULL)
    klu_free_numeric (&lu->numeric, &lu->common);
  for (guint q = 0; q < m->nnz; q++)
    {
      if (!isfinite (m->value[q]))
        return FALSE;
      lu->shifted[q] = m->value[q];
    }
  if (shift != 0.0)
    for (guint k = 0; k < m->n; k++)
      lu->shifted[lu->diagonal[k]] -= shift;
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
  g_autofree double *row_sum = g_new0 (double, MAX (n, 1));
  g_autofree double *diag = g_new0 (double, MAX (n, 1));
  double largest = 0.0, most_negative = 0.0, bound = -G_MAXDOUBLE, sigma = 0.0;
  gboolean invert;
  int nev = (int) n_wanted, ncv, lworkl, ido = 0, info = 1, nconv;
  int iparam[11] = { 0 }, ipntr[14] = { 0 };
  g_autofree double *resid = NULL, *v = NULL, *workd = NULL, *workl = NULL;
  g_autofree double *dr = NULL, *di = NULL, *zv = NULL, *workev = NULL;
  g_autofree int *select = NULL;
  g_autofree Ritz *ritz = NULL;
  const char *which;
  gboolean ok = TRUE;
  guint steps = 0;

  g_return_val_if_fail (m != NULL && re != NULL && im != NULL && n_found != NULL, FALSE);
  g_return_val_if_fail (n_wanted >= 1 && (guint) n >= n_wanted + 3, FALSE);
  *n_found = 0;

  for (int k = 0; k < n; k++)
    for (int q = m->col_start[k]; q < m->col_start[k + 1]; q++)
      {
        int r = m->row_index[q];
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
  for (int r = 0; r < n; r++)
    bound = MAX (bound, diag[r] + row_sum[r]);
  invert = most_negative >= -METZLER_NOISE * MAX (1.0, largest);
  if (invert)
    {
      /* Right of every eigenvalue (Gershgorin), so that the nearest one is
       * the Perron root. */
      sigma = bound + MAX (1e-3, 1e-3 * fabs (bound));
      if (lu == NULL || !cd_sparse_lu_factor (lu, m, sigma))
        return FALSE;
    }
  which = invert ? "LM" : "LR";
  ncv = MIN (n, MAX (2 * nev + 1, invert ? 20 : 40));
  lworkl = 3 * ncv * ncv + 6 * ncv;
  resid = g_new (double, n);
  v = g_new (double, (gsize) n * ncv);
  workd = g_new (double, 3 * (gsize) n);
  workl = g_new (double, lworkl);
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
  iparam[0] = 1;                       /* exact shifts */
  iparam[2] = ARPACK_MAX_RESTART;
  iparam[6] = 1;                       /* OP is the matrix or the inverse, B = I */

  g_mutex_lock (&arpack_lock);
  for (;;)
    {
      dnaupd_c (&ido, "I", n, which, nev, ARPACK_TOL, resid, ncv, v, n, iparam, ipntr, workd,
                workl, lworkl, &info);
      if (ido != -1 && ido != 1)
        break;
      if ((++steps & 63) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          ok = FALSE;
          break;
        }
      {
        double *x = workd + ipntr[0] - 1, *y = workd + ipntr[1] - 1;
        if (invert)
          {
            memcpy (y, x, n * sizeof (double));
            if (!cd_sparse_lu_solve (lu, y))
              {
                ok = FALSE;
                break;
              }
          }
        else
          cd_sparse_matrix_multiply (m, x, y);
      }
    }
  if (ok && info != 0)
    ok = FALSE;   /* < 0: an error; 1: not converged in ARPACK_MAX_RESTART restarts */
  if (ok)
    {
      select = g_new0 (int, ncv);
      dr = g_new0 (double, nev + 1);
      di = g_new0 (double, nev + 1);
      zv = g_new0 (double, (gsize) n * (nev + 1));
      workev = g_new0 (double, 3 * ncv);
      dneupd_c (1, "A", select, dr, di, zv, n, 0.0, 0.0, workev, "I", n, which, nev, ARPACK_TOL,
                resid, ncv, v, n, iparam, ipntr, workd, workl, lworkl, &info);
      ok = info == 0;
    }
  g_mutex_unlock (&arpack_lock);
  if (!ok)
    return FALSE;

  nconv = MIN (iparam[4], nev + 1);
  ritz = g_new0 (Ritz, MAX (nconv, 1));
  for (int j = 0; j < nconv; j++)
    {
      double mr = dr[j], mi = di[j];

      if (!isfinite (mr) || !isfinite (mi))
        return FALSE;
      if (invert)
        {
          /* λ = σ + 1/μ */
          double d = mr * mr + mi * mi;
          if (d == 0.0)
            return FALSE;
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
  *n_found = MIN ((guint) nconv, n_wanted);
  for (guint j = 0; j < *n_found; j++)
    {
      re[j] = ritz[j].re;
      im[j] = ritz[j].im;
    }
  if (start != NULL && nconv > 0)
    {
      const double *vec = zv + (gsize) ritz[0].column * n;
      double norm = 0.0;

      for (int k = 0; k < n; k++)
        norm += vec[k] * vec[k];
      if (norm > 0.0 && isfinite (norm))
        for (int k = 0; k < n; k++)
          start[k] = vec[k] / sqrt (norm);
    }
  return *n_found > 0;
}
