/* test-equilibria.c — equilibria, stability and sweeps against hand-derived results.
 *
 * The test system: two symmetric partners a and b with interest 1 and no
 * pressure or thrust, so F_i = g_b·x_j − r_f·f_i.  With f_i = 1/2 and
 * g_b = r_f = c this is F = c·x_j − c/2, and under the logit rule
 * x = σ(β(c·x − c/2)) has the symmetric root 1/2 always, which loses
 * stability in a pitchfork at β·c = 4: one equilibrium below, three above.
 * On the symmetric diagonal the Jacobian's eigenvalues are
 * λ(±β·c·x*(1 − x*) − 1), so the symmetric mode's sign decides stability.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-analysis-equilibria.h"
#include "cd-analysis-sweep.h"
#include "cd-model-json.h"

static CdModel *
pair_model (const char *rule,
            double      interest_weight,
            double      fragmentation_weight,
            double      beta,
            double      trust_gain,
            double      trust_decay,
            double      f_a,
            double      f_b)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
    "{ \"parameters\": {"
    "    \"gravity\": {\"interest\": %.17g, \"trust\": 0},"
    "    \"pressure\": {\"admin\": 0, \"crisis\": 0},"
    "    \"thrust\": {\"info\": 0, \"appraisal\": 0},"
    "    \"resistance\": {\"fragmentation\": %.17g, \"burden\": 0},"
    "    \"dynamics\": {\"rule\": \"%s\", \"rationality\": %.17g, \"trust_gain\": %.17g,"
    "                   \"trust_decay\": %.17g} },"
    "  \"nodes\": [ {\"id\": \"a\", \"fragmentation\": %.17g, \"x0\": 0.1},"
    "             {\"id\": \"b\", \"fragmentation\": %.17g, \"x0\": 0.1} ],"
    "  \"edges\": [ {\"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\","
    "              \"interest\": 1, \"trust\": 0} ] }",
    interest_weight, fragmentation_weight, rule, beta, trust_gain, trust_decay, f_a, f_b);
  CdModel *model = cd_model_load_data (json, strlen (json), &error);

  g_assert_no_error (error);
  return model;
}

static void
check_pitchfork_side (double   c,
                      double   beta,
                      guint    expected,
                      gboolean hold_trust)
{
  g_autoptr(CdModel) model = pair_model ("logit", c, c, beta, 0.0, hold_trust ? 0.0 : 1.0,
                                         0.5, 0.5);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdEquilibria) eqs = cd_find_equilibria (model, 0.0, NULL, NULL, &error);
  guint n_stable = 0;

  g_assert_no_error (error);
  g_assert_nonnull (eqs);
  g_assert_cmpint (eqs->trust_held, ==, hold_trust);
  g_assert_cmpuint (eqs->equilibria->len, ==, expected);
  for (guint k = 0; k < eqs->equilibria->len; k++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (eqs->equilibria, k);
      double x = eq->y[0];
      double symmetric_mode = beta * c * x * (1.0 - x) - 1.0;

      /* Symmetric: both governments at the same level, trust decayed to 0. */
      g_assert_cmpfloat_with_epsilon (eq->y[0], eq->y[1], 1e-8);
      g_assert_cmpfloat_with_epsilon (eq->y[2], 0.0, 1e-9);
      /* A root of x = σ(β(c x − c/2)). */
      g_assert_cmpfloat_with_epsilon (x, 1.0 / (1.0 + exp (-beta * (c * x - c / 2))), 1e-9);
      g_assert_cmpint (eq->stable, ==, symmetric_mode < 0);
      /* The largest eigenvalue: the symmetric mode (λ = 1), or trust's
       * −η_d (1 − x_a x_b) (η_d = 1, η_g = 0) if that is larger. */
      g_assert_cmpfloat_with_epsilon (eq->max_real,
                                      MAX (symmetric_mode,
                                           hold_trust ? -G_MAXDOUBLE : -(1.0 - x * x)),
                                      1e-6);
      n_stable += eq->stable;
    }
  if (expected == 3)
    {
      const CdEquilibrium *middle = g_ptr_array_index (eqs->equilibria, 1);
      g_assert_cmpfloat_with_epsilon (middle->y[0], 0.5, 1e-9);
      g_assert_false (middle->stable);
      g_assert_cmpuint (n_stable, ==, 2);
    }
  else
    g_assert_cmpuint (n_stable, ==, 1);
}

static void
test_pitchfork (void)
{
  /* β = 4: the pitchfork is at c = 1. */
  check_pitchfork_side (0.8, 4.0, 1, FALSE);
  check_pitchfork_side (0.95, 4.0, 1, FALSE);
  check_pitchfork_side (1.5, 4.0, 3, FALSE);
  check_pitchfork_side (3.0, 4.0, 3, FALSE);
  /* The same with trust frozen (no dynamics: left out of the state). */
  check_pitchfork_side (0.8, 4.0, 1, TRUE);
  check_pitchfork_side (1.5, 4.0, 3, TRUE);
  /* Other β, same product. */
  check_pitchfork_side (0.3, 10.0, 1, FALSE);
  check_pitchfork_side (0.6, 10.0, 3, FALSE);
}

/* Replicator corners.  F_a = c·x_b − r_a, F_b = c·x_a − r_b with r_i = r_f f_i,
 * r_f = 5, f_a = 0.1 (r_a = 0.5) and f_b = 0.1 or 0.5 (r_b = 0.5 or 2.5).
 * A corner is evolutionarily stable iff every government's net force points
 * into its corner: x_i = 1 needs F_i > 0, x_i = 0 needs F_i < 0.
 *   c = 2, r = (0.5, 0.5): (0,0): F = (−0.5, −0.5) ESS; (1,1): F = (1.5, 1.5) ESS;
 *     (1,0): F_a = −0.5 with x_a = 1: not; (0,1) likewise.
 *   c = 2, r = (0.5, 2.5): (0,0): F = (−0.5, −2.5) ESS; (1,1): F_b = −0.5: not;
 *     (1,0): F_a = −0.5 with x_a = 1: not; (0,1): F_a = 1.5 with x_a = 0: not. */
static void
check_corners (double         r_b,
               const gboolean ess_expected[4])   /* (0,0), (1,0), (0,1), (1,1) */
{
  g_autoptr(CdModel) model = pair_model ("replicator", 2.0, 5.0, 4.0, 0.5, 0.1,
                                         0.1, r_b / 5.0);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdEquilibria) eqs = cd_find_equilibria (model, 0.0, NULL, NULL, &error);
  guint n_corners = 0;

  g_assert_no_error (error);
  g_assert_true (eqs->corners_enumerated);
  for (guint k = 0; k < eqs->equilibria->len; k++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (eqs->equilibria, k);
      guint which;
      double f_a_net, f_b_net;

      if (!eq->corner)
        continue;
      n_corners++;
      which = (eq->y[0] > 0.5 ? 1 : 0) + (eq->y[1] > 0.5 ? 2 : 0);
      g_assert_cmpint (eq->ess, ==, ess_expected[which]);
      /* Trust at its own balance: 1 where both coordinate, else 0. */
      g_assert_cmpfloat_with_epsilon (eq->y[2], which == 3 ? 1.0 : 0.0, 1e-12);
      /* The x-block of the Jacobian is diagonal there: eigenvalues
       * (1 − 2x_i) λ F_i.  The largest real part covers them and trust's. */
      f_a_net = 2.0 * eq->y[1] - 0.5;
      f_b_net = 2.0 * eq->y[0] - r_b;
      g_assert_cmpfloat_with_epsilon (
        eq->max_real,
        MAX (MAX ((1 - 2 * eq->y[0]) * f_a_net, (1 - 2 * eq->y[1]) * f_b_net),
             which == 3 ? -0.5 * 1.0 * 1.5 : -0.1),
        1e-6);
      g_assert_cmpint (eq->ess, ==, eq->stable);
    }
  g_assert_cmpuint (n_corners, ==, 4);
}

static void
test_replicator_corners (void)
{
  const gboolean symmetric[4] = { TRUE, FALSE, FALSE, TRUE };
  const gboolean lopsided[4] = { TRUE, FALSE, FALSE, FALSE };

  check_corners (0.5, symmetric);
  check_corners (2.5, lopsided);
}

/* Lines of a sweep: up and down break exactly at their tipping point;
 * every "all" branch keeps one stability and has one point at each value
 * of its range (each equilibrium is followed on from the last value, so
 * none is missed); here the low and the high attractor are each one
 * branch over their whole range, and so is the saddle between. */
static void
check_branches (const CdSweep *sweep,
                double         step)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  GHashTable *up_down[2] = { g_hash_table_new (NULL, NULL), g_hash_table_new (NULL, NULL) };
  guint n_stable_branches = 0, n_unstable_branches = 0;

  for (guint i = 0; i < sweep->points->len; i++)
    {
      const CdSweepPoint *p = &g_array_index (sweep->points, CdSweepPoint, i);
      const CdSweepPoint *last;

      if (p->direction != CD_SWEEP_ALL)
        {
          g_hash_table_add (up_down[p->direction], GUINT_TO_POINTER (p->branch));
          if (i > 0 && (last = p - 1)->direction == p->direction)
            g_assert_cmpint (p->branch != last->branch, ==, p->tipping);
          continue;
        }
      last = g_hash_table_lookup (seen, GUINT_TO_POINTER (p->branch));
      if (last != NULL)
        {
          g_assert_cmpint (p->stable, ==, last->stable);
          g_assert_cmpfloat (p->value, >, last->value + step / 2);
          g_assert_cmpfloat (p->value, <, last->value + 1.5 * step);
        }
      else if (p->stable)
        n_stable_branches++;
      else
        n_unstable_branches++;
      g_hash_table_insert (seen, GUINT_TO_POINTER (p->branch), g_memdup2 (p, sizeof *p));
    }
  g_test_message ("%u stable and %u unstable branches", n_stable_branches, n_unstable_branches);
  g_assert_cmpuint (g_hash_table_size (up_down[CD_SWEEP_UP]), ==, 2);
  g_assert_cmpuint (g_hash_table_size (up_down[CD_SWEEP_DOWN]), ==, 2);
  g_assert_cmpuint (n_stable_branches, ==, 2);
  g_assert_cmpuint (n_unstable_branches, ==, 1);
  g_hash_table_unref (up_down[0]);
  g_hash_table_unref (up_down[1]);
}

/* Below the pitchfork coordination stays low until the low branch ends;
 * coming down it stays high until the high branch ends at a lower value. */
static void
test_sweep_hysteresis (void)
{
  g_autoptr(CdModel) model = pair_model ("logit", 1.0, 1.5, 4.0, 0.0, 1.0, 0.5, 0.5);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSweep) sweep = NULL;
  double up = 0, down = 0;
  guint n_up = 0, n_down = 0, n_all_unstable = 0;

  /* F = g_b x_j − 0.75: bistable for g_b in a window around 1.5. */
  sweep = cd_sweep_run (model, CD_PARAM_GRAVITY_INTEREST, 0.0, 4.0, 40, 0.0, TRUE, NULL, NULL,
                        NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cd_sweep_tipping_point (sweep, CD_SWEEP_UP, &up));
  g_assert_true (cd_sweep_tipping_point (sweep, CD_SWEEP_DOWN, &down));
  g_test_message ("switches on at %g going up, off at %g going down", up, down);
  g_assert_cmpfloat (up, >, down + 0.5);
  for (guint i = 0; i < sweep->points->len; i++)
    {
      const CdSweepPoint *p = &g_array_index (sweep->points, CdSweepPoint, i);
      if (p->direction == CD_SWEEP_UP)
        {
          n_up++;
          g_assert_true (p->stable);
          /* low before the switch, high from it on */
          g_assert_cmpint (p->mean_coordination > 0.5, ==, p->value >= up - 1e-12);
        }
      else if (p->direction == CD_SWEEP_DOWN)
        {
          n_down++;
          g_assert_cmpint (p->mean_coordination > 0.5, ==, p->value > down + 1e-12);
        }
      else if (!p->stable)
        {
          /* the unstable branch lives only inside the bistable window */
          n_all_unstable++;
          g_assert_cmpfloat (p->value, >, down - 0.1 - 1e-9);
          g_assert_cmpfloat (p->value, <, up + 1e-9);
        }
    }
  g_assert_cmpuint (n_up, ==, 41);
  g_assert_cmpuint (n_down, ==, 41);
  g_assert_cmpuint (n_all_unstable, >, 0);
  check_branches (sweep, 4.0 / 40);
}

/* The Wenchuan example has dozens of equilibria once trust weighs enough,
 * more than the random starts find at any one value; following each one
 * found on to the next value keeps its branch whole instead of leaving
 * scattered single points (without it, 202 of 288 branches were a single point). */
static void
test_sweep_follows_every_branch (void)
{
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : ".", "wenchuan-counterpart-support.json",
                                            NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = cd_model_load_file (path, &error);
  g_autoptr(CdSweep) sweep = NULL;
  g_autoptr(GHashTable) length = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer n;
  guint singles = 0, points = 0;

  g_assert_no_error (error);
  sweep = cd_sweep_run (model, CD_PARAM_GRAVITY_TRUST, 0.0, 4.0, 40, 0.0, TRUE, NULL, NULL, NULL,
                        &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sweep->points->len; i++)
    {
      const CdSweepPoint *p = &g_array_index (sweep->points, CdSweepPoint, i);
      gpointer key = GUINT_TO_POINTER (p->branch);

      if (p->direction != CD_SWEEP_ALL)
        continue;
      points++;
      g_hash_table_insert (length, key,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (length, key))
                                             + 1));
    }
  g_hash_table_iter_init (&iter, length);
  while (g_hash_table_iter_next (&iter, NULL, &n))
    singles += GPOINTER_TO_UINT (n) == 1;
  g_test_message ("%u equilibria on %u branches, %u of them single points", points,
                  g_hash_table_size (length), singles);
  g_assert_cmpuint (g_hash_table_size (length), >, 100);
  g_assert_cmpuint (singles * 10, <, g_hash_table_size (length));
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
} CancelAfter;

static void
cancel_after_three (double   fraction,
                    gpointer data)
{
  CancelAfter *c = data;

  if (++c->calls == 3)
    g_cancellable_cancel (c->cancellable);
}

/* A fine sweep where continuation never needs relaxing still stops at the
 * next step once cancelled (the app's Cancel and newest-request-wins). */
static void
test_sweep_cancel (void)
{
  g_autoptr(CdModel) model = pair_model ("logit", 1.0, 1.5, 4.0, 0.0, 1.0, 0.5, 0.5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CancelAfter c = { cancellable, 0 };
  CdSweep *sweep;

  sweep = cd_sweep_run (model, CD_PARAM_GRAVITY_INTEREST, 0.0, 0.5, 10000, 0.0, FALSE,
                        cancel_after_three, &c, cancellable, &error);
  g_assert_null (sweep);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (c.calls, ==, 3);
}

static void
test_bad_requests (void)
{
  g_autoptr(CdModel) model = pair_model ("logit", 1.0, 1.0, 4.0, 0.0, 1.0, 0.5, 0.5);
  g_autoptr(GError) error = NULL;
  CdSweep *sweep;

  sweep = cd_sweep_run (model, CD_PARAM_RESISTANCE_LAW, 0.0, 2.0, 10, 0.0, FALSE, NULL, NULL,
                        NULL, &error);
  g_assert_null (sweep);
  g_assert_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "resistance.law"));
  g_clear_error (&error);
  g_assert_null (cd_find_equilibria (model, NAN, NULL, NULL, &error));
  g_assert_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/equilibria/pitchfork", test_pitchfork);
  g_test_add_func ("/analysis/equilibria/replicator-corners", test_replicator_corners);
  g_test_add_func ("/analysis/sweep/hysteresis", test_sweep_hysteresis);
  g_test_add_func ("/analysis/sweep/follows-every-branch", test_sweep_follows_every_branch);
  g_test_add_func ("/analysis/sweep/cancel", test_sweep_cancel);
  g_test_add_func ("/analysis/equilibria/bad-requests", test_bad_requests);
  return g_test_run ();
}
