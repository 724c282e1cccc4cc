/* test-tableau.c — the order conditions of the dense steppers' pairs
 * (cd-tableau.c).
 *
 * A mistyped coefficient does not show in a run: the error control still
 * holds the estimate to the tolerance, only with more steps, or with an
 * estimate that no longer measures the error.  So every condition is
 * checked here, with the trees written out as sums over the tableau:
 * - the 5th-order solution b: the 17 conditions up to order 5, and that it
 *   is not of order 6 by accident of a wrong test;
 * - the embedded solution b̂ = b − e: the 8 up to order 4, and not order 5
 *   (else the estimate would not measure the 5th-order solution's error);
 * - the interpolant b(θ): the 8 up to order 4 at every θ, b(1) = b, b(0) = 0;
 * - the nodes: c_i = Σ_j a_ij, and first-same-as-last (row 7 = b, c_7 = 1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib.h>

#include "cd-tableau.h"

#define S CD_TABLEAU_STAGES

/* The decimals of Tsitouras's paper satisfy the conditions to about 1e-15;
 * a wrong digit anywhere but the last ones breaks one by far more. */
#define TOL 1e-13

typedef struct
{
  double c[S], c2[S], c3[S], c4[S];
  double ac[S], ac2[S], ac3[S], aac[S], aac2[S], aaac[S], acac[S];
} Trees;

/* (A v)_i over the stages, A the stage coefficients (row i has i entries). */
static void
apply_a (const CdTableau *tab,
         const double    *v,
         double          *out)
{
  for (guint i = 0; i < S; i++)
    {
      out[i] = 0.0;
      for (guint j = 0; j < i; j++)
        out[i] += tab->a[i][j] * v[j];
    }
}

static void
trees_of (const CdTableau *tab,
          Trees           *t)
{
  double cac[S];

  for (guint i = 0; i < S; i++)
    {
      t->c[i] = tab->c[i];
      t->c2[i] = tab->c[i] * tab->c[i];
      t->c3[i] = t->c2[i] * tab->c[i];
      t->c4[i] = t->c3[i] * tab->c[i];
    }
  apply_a (tab, t->c, t->ac);
  apply_a (tab, t->c2, t->ac2);
  apply_a (tab, t->c3, t->ac3);
  apply_a (tab, t->ac, t->aac);
  apply_a (tab, t->ac2, t->aac2);
  apply_a (tab, t->aac, t->aaac);
  for (guint i = 0; i < S; i++)
    cac[i] = tab->c[i] * t->ac[i];
  apply_a (tab, cac, t->acac);
}

static double
dot (const double *w,
     const double *v)
{
  double sum = 0.0;

  for (guint i = 0; i < S; i++)
    sum += w[i] * v[i];
  return sum;
}

static double
dot3 (const double *w,
      const double *u,
      const double *v)
{
  double sum = 0.0;

  for (guint i = 0; i < S; i++)
    sum += w[i] * u[i] * v[i];
  return sum;
}

/* The largest violation of the conditions up to `order` (at most 5) for
 * weights w, each condition Σ w Φ(tree) = θ^r / γ(tree) for a tree of r
 * nodes (θ = 1 for a step's solution). */
static double
violation (const Trees  *t,
           const double *w,
           guint         order,
           double        theta)
{
  static const double one[S] = { 1, 1, 1, 1, 1, 1, 1 };
  const double th[6] = { 1, theta, theta * theta, pow (theta, 3), pow (theta, 4),
                         pow (theta, 5) };
  struct { guint r; double value, gamma; } cond[] = {
    { 1, dot (w, one), 1 },
    { 2, dot (w, t->c), 2 },
    { 3, dot (w, t->c2), 3 },
    { 3, dot (w, t->ac), 6 },
    { 4, dot (w, t->c3), 4 },
    { 4, dot3 (w, t->c, t->ac), 8 },
    { 4, dot (w, t->ac2), 12 },
    { 4, dot (w, t->aac), 24 },
    { 5, dot (w, t->c4), 5 },
    { 5, dot3 (w, t->c2, t->ac), 10 },
    { 5, dot3 (w, t->ac, t->ac), 20 },
    { 5, dot3 (w, t->c, t->ac2), 15 },
    { 5, dot3 (w, t->c, t->aac), 30 },
    { 5, dot (w, t->ac3), 20 },
    { 5, dot (w, t->acac), 40 },
    { 5, dot (w, t->aac2), 60 },
    { 5, dot (w, t->aaac), 120 },
  };
  double worst = 0.0;

  for (guint k = 0; k < G_N_ELEMENTS (cond); k++)
    if (cond[k].r <= order)
      worst = MAX (worst, fabs (cond[k].value - th[cond[k].r] / cond[k].gamma));
  return worst;
}

/* Σ b c⁵ = 1/6 is one of order 6's conditions: a 5th-order pair misses it. */
static double
sixth_order_miss (const Trees  *t,
                  const double *w)
{
  double c5[S];

  for (guint i = 0; i < S; i++)
    c5[i] = t->c4[i] * t->c[i];
  return fabs (dot (w, c5) - 1.0 / 6);
}

static void
check_tableau (gconstpointer data)
{
  const CdTableau *tab = data;
  Trees t;
  double b[S], b_hat[S];

  trees_of (tab, &t);
  for (guint i = 0; i < S; i++)
    {
      double row = 0.0;

      for (guint j = 0; j < i; j++)
        row += tab->a[i][j];
      g_assert_cmpfloat_with_epsilon (row, tab->c[i], TOL);
      b[i] = i + 1 < S ? tab->a[S - 1][i] : 0.0;
      b_hat[i] = b[i] - tab->e[i];
    }
  /* First same as last: stage 7 is f at the 5th-order solution. */
  g_assert_cmpfloat (tab->c[S - 1], ==, 1.0);

  g_test_message ("%s: order conditions of b met to %.2e, of b-hat to %.2e", tab->name, violation (&t, b, 5, 1.0),
                  violation (&t, b_hat, 4, 1.0));
  g_assert_cmpfloat (violation (&t, b, 5, 1.0), <, TOL);
  g_assert_cmpfloat (sixth_order_miss (&t, b), >, 1e-6);
  g_assert_cmpfloat (violation (&t, b_hat, 4, 1.0), <, TOL);
  g_assert_cmpfloat (violation (&t, b_hat, 5, 1.0), >, 1e-6);

  for (guint step = 0; step <= 20; step++)
    {
      double theta = step / 20.0, w[S];

      for (guint j = 0; j < S; j++)
        w[j] = theta * (tab->p[j][0] + theta * (tab->p[j][1] + theta * (tab->p[j][2]
                                                                     + theta * tab->p[j][3])));
      g_assert_cmpfloat (violation (&t, w, 4, theta), <, TOL);
      if (step == 20)
        for (guint j = 0; j < S; j++)
          g_assert_cmpfloat_with_epsilon (w[j], b[j], TOL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/engine/tableau/dormand-prince", &cd_tableau_dormand_prince,
                        check_tableau);
  g_test_add_data_func ("/engine/tableau/tsitouras", &cd_tableau_tsitouras, check_tableau);
  return g_test_run ();
}
