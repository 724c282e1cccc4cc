/* test-factors.c — the forces split into the theory's elements (docs/model.md, "Force factors").
 *
 * Each group of factors must sum to the force that cd_system_evaluate()
 * reports (to rounding), the all-nodes and one-node ways must agree, and
 * each factor must have its closed form on small networks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-generate.h"
#include "cd-model-json.h"
#include "cd-system.h"

static CdModel *
load (const char *text)
{
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_data (text, strlen (text), &error);

  g_assert_no_error (error);
  return model;
}

static void
assert_close (double a,
              double b,
              double tol)
{
  if (!(fabs (a - b) <= tol * (1.0 + fabs (a) + fabs (b))))
    g_error ("%.17g differs from %.17g by more than %g", a, b, tol);
}

/* At a state y, each force from the breakdown and from the evaluation at
 * every node, and the factors of every node against the one-node way. */
static void
check_sums (const CdSystem *sys,
            double          t,
            const double   *y)
{
  guint n = cd_system_get_n_nodes (sys);
  g_autoptr(CdWorkspace) ws = cd_workspace_new (sys);
  g_autofree double *dydt = g_new (double, cd_system_get_n_state (sys));
  g_autofree double *buf = g_new (double, 4 * (gsize) MAX (n, 1));
  g_autofree double *factors = g_new (double, CD_N_FACTORS * (gsize) MAX (n, 1));
  CdForces forces = { buf, buf + n, buf + 2 * n, buf + 3 * n };

  cd_system_evaluate (sys, cd_system_get_piece_at (sys, t), t, y, dydt, &forces, ws);
  cd_system_evaluate_factors (sys, t, y, factors, ws);
  for (guint i = 0; i < n; i++)
    {
      CdForceBreakdown b;
      double sum[4] = { 0 };

      g_assert_true (cd_system_force_breakdown (sys, t, y, i, &b));
      for (guint k = 0; k < CD_N_FACTORS; k++)
        {
          g_assert_cmpfloat (b.factor[k], ==, factors[(gsize) k * n + i]);
          sum[cd_factor_force (k)] += b.factor[k];
        }
      assert_close (b.gravity, forces.gravity[i], 1e-12);
      assert_close (b.pressure, forces.pressure[i], 1e-12);
      assert_close (b.thrust, forces.thrust[i], 1e-12);
      assert_close (b.resistance, forces.resistance[i], 1e-12);
      assert_close (sum[CD_FACTOR_OF_GRAVITY], b.gravity, 1e-15);
      assert_close (sum[CD_FACTOR_OF_PRESSURE], b.pressure, 1e-15);
      assert_close (sum[CD_FACTOR_OF_THRUST], b.thrust, 1e-15);
      assert_close (sum[CD_FACTOR_OF_RESISTANCE], b.resistance, 1e-15);
      assert_close (b.net, b.gravity + b.pressure + b.thrust - b.resistance, 1e-15);
      assert_close (b.x, y[i], 0.0);
    }
}

/* The national model during its emergency, at a state away from x0. */
static void
test_sums_national (void)
{
  g_autoptr(CdModel) model = cd_generate_national (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autofree double *y = NULL;
  GRand *rand = g_rand_new_with_seed (7);

  g_assert_no_error (error);
  y = g_new (double, cd_system_get_n_state (sys));
  for (guint s = 0; s < cd_system_get_n_state (sys); s++)
    y[s] = g_rand_double (rand);
  for (guint k = 0; k < cd_system_get_n_pieces (sys); k++)
    check_sums (sys, cd_system_get_piece (sys, k)->t_start + 0.5, y);
  g_rand_free (rand);
}

/* Version 1's factors in closed form: P_command 0, the fragmentation term
 * shared by ideas and powers, appraisal on or off by having a superior. */
static void
test_version1_closed_form (void)
{
  g_autoptr(CdModel) model = load (
    "{ \"parameters\": { \"gravity\": { \"interest\": 2, \"trust\": 3 },"
    "    \"pressure\": { \"admin\": 1.5, \"crisis\": 2 },"
    "    \"thrust\": { \"info\": 0.5, \"appraisal\": 0.25 },"
    "    \"resistance\": { \"fragmentation\": 2, \"burden\": 1, \"compensation\": 0.5,"
    "                      \"supervision\": 0.2, \"law\": 0.5 } },"
    "  \"nodes\": [ { \"id\": \"c\", \"x0\": 0.8 },"
    "    { \"id\": \"a\", \"x0\": 0.4, \"fragmentation\": 0.6, \"capacity\": 0.7,"
    "      \"vulnerability\": 0.2 },"
    "    { \"id\": \"b\", \"x0\": 0.3 } ],"
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"c\", \"target\": \"a\", \"weight\": 0.5 },"
    "    { \"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\", \"interest\": 0.5,"
    "      \"trust\": 0.2, \"info\": 0.4 } ],"
    "  \"events\": [ { \"onset\": 0, \"magnitude\": 1, \"decay\": 1e300,"
    "    \"impact\": { \"a\": 1, \"b\": 0.5 } } ] }");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  double y[5] = { 0.8, 0.4, 0.3, 0.2, 0.0 };
  CdForceBreakdown b;
  double damping = 0.8 * 0.5;

  g_assert_no_error (error);
  g_assert_true (cd_system_force_breakdown (sys, 0.0, y, 1, &b));
  assert_close (b.factor[CD_FACTOR_G_INTEREST], 2 * 0.5 * 0.3, 1e-15);
  assert_close (b.factor[CD_FACTOR_G_TRUST], 3 * 0.2 * 0.3, 1e-15);
  assert_close (b.factor[CD_FACTOR_P_ADMIN], 1.5 * 0.8, 1e-15);
  g_assert_cmpfloat (b.factor[CD_FACTOR_P_COMMAND], ==, 0.0);
  /* C_a = S_a + ι S_b = 1 + 0.4 · 0.5 */
  assert_close (b.factor[CD_FACTOR_P_CRISIS], 2 * 0.2 * (1 + 0.4 * 0.5), 1e-15);
  assert_close (b.factor[CD_FACTOR_T_INFO], 0.5 * 0.4, 1e-15);
  assert_close (b.factor[CD_FACTOR_T_APPRAISAL], 0.25, 1e-15);
  assert_close (b.factor[CD_FACTOR_R_IDEAS], damping * 2 * 0.6 / 2, 1e-15);
  assert_close (b.factor[CD_FACTOR_R_POWERS], damping * 2 * 0.6 / 2, 1e-15);
  assert_close (b.factor[CD_FACTOR_R_BENEFITS], damping * 1 * 0.5 * 0.7 * 0.8, 1e-15);
  g_assert_cmpint (b.top_partner, ==, 2);
  g_assert_cmpint (b.top_superior, ==, 0);
  /* b has no superior: no appraisal */
  g_assert_true (cd_system_force_breakdown (sys, 0.0, y, 2, &b));
  g_assert_cmpfloat (b.factor[CD_FACTOR_T_APPRAISAL], ==, 0.0);
  g_assert_cmpint (b.top_superior, ==, -1);
  g_assert_false (cd_system_force_breakdown (sys, 0.0, y, 3, &b));
  check_sums (sys, 0.0, y);
}

static void
test_names (void)
{
  static const char *const expected[CD_N_FACTORS] = {
    "G_interest", "G_trust", "P_admin", "P_command", "P_crisis", "T_info", "T_appraisal",
    "R_ideas", "R_powers", "R_benefits"
  };

  for (guint k = 0; k < CD_N_FACTORS; k++)
    {
      g_assert_cmpstr (cd_factor_name (k), ==, expected[k]);
      g_assert_cmpint (cd_factor_force (k), ==, "GGPPPTTRRR"[k] == 'G' ? CD_FACTOR_OF_GRAVITY
                                               : "GGPPPTTRRR"[k] == 'P' ? CD_FACTOR_OF_PRESSURE
                                               : "GGPPPTTRRR"[k] == 'T' ? CD_FACTOR_OF_THRUST
                                               : CD_FACTOR_OF_RESISTANCE);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/factors/names", test_names);
  g_test_add_func ("/factors/version1-closed-form", test_version1_closed_form);
  g_test_add_func ("/factors/sums-national", test_sums_national);
  return g_test_run ();
}
