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
#include "cd-model-upgrade.h"
#include "cd-simulate.h"
#include "cd-system.h"

/* JSON written with ' for " to keep the C readable. */
static CdModel *
load (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdelimit (g_strdup (text), "'", '"');
  CdModel *model = cd_model_load_data (json, strlen (json), &error);

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
  cd_system_evaluate_factors (sys, t, y, y + n, factors, ws);
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
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"c\", \"target\": \"a\","
    "      \"weight\": 0.5 },"
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

/* The national model upgraded, with a fifth of its command lines in the
 * emergency role, appraisal weights of its own on some governments, and
 * every new channel open. */
static CdModel *
national_version2 (void)
{
  g_autoptr(CdModel) v1 = cd_generate_national (1);
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_upgrade (v1, &error);
  GRand *rand = g_rand_new_with_seed (11);

  g_assert_no_error (error);
  for (guint e = 0; e < model->edges->len; e++)
    {
      CdEdge *edge = g_ptr_array_index (model->edges, e);
      if (edge->kind == CD_EDGE_COMMAND && g_rand_double (rand) < 0.2)
        edge->role = CD_ROLE_EMERGENCY;
    }
  for (guint i = 0; i < model->nodes->len; i++)
    {
      CdNode *node = g_ptr_array_index (model->nodes, i);
      node->fragmentation_ideas = g_rand_double (rand);
      node->fragmentation_powers = g_rand_double (rand);
      if (g_rand_double (rand) < 0.3)
        {
          node->has_appraisal = TRUE;
          node->appraisal = g_rand_double (rand);
        }
    }
  model->params.values[CD_PARAM_PRESSURE_COMMAND] = 1.5;
  model->params.values[CD_PARAM_RESISTANCE_SUPERVISION] = 0.4;
  model->params.values[CD_PARAM_RESISTANCE_LAW] = 0.3;
  g_rand_free (rand);
  g_assert_true (cd_model_validate (model, &error));
  return model;
}

static void
test_sums_national_version2 (void)
{
  g_autoptr(CdModel) model = national_version2 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autofree double *y = NULL;
  GRand *rand = g_rand_new_with_seed (5);

  g_assert_no_error (error);
  y = g_new (double, cd_system_get_n_state (sys));
  for (guint s = 0; s < cd_system_get_n_state (sys); s++)
    y[s] = g_rand_double (rand);
  for (guint k = 0; k < cd_system_get_n_pieces (sys); k++)
    check_sums (sys, cd_system_get_piece (sys, k)->t_start + 0.5, y);
  g_rand_free (rand);
}

/* Every sample of a run: the factors (as --factors writes them) sum to the
 * forces (as --forces writes them). */
static gboolean
check_sample (const CdSample *s,
              gpointer        user_data,
              GError        **error)
{
  const CdSystem *sys = user_data;
  guint n = cd_system_get_n_nodes (sys);
  g_autoptr(CdWorkspace) ws = cd_workspace_new (sys);
  g_autofree double *f = g_new (double, CD_N_FACTORS * (gsize) n);

  cd_system_evaluate_factors (sys, s->t, s->x, s->trust, f, ws);
  for (guint i = 0; i < n; i++)
    {
      double sum[4] = { 0 };
      for (guint k = 0; k < CD_N_FACTORS; k++)
        sum[cd_factor_force (k)] += f[(gsize) k * n + i];
      assert_close (sum[CD_FACTOR_OF_GRAVITY], s->forces->gravity[i], 1e-12);
      assert_close (sum[CD_FACTOR_OF_PRESSURE], s->forces->pressure[i], 1e-12);
      assert_close (sum[CD_FACTOR_OF_THRUST], s->forces->thrust[i], 1e-12);
      assert_close (sum[CD_FACTOR_OF_RESISTANCE], s->forces->resistance[i], 1e-12);
    }
  return TRUE;
}

static void
test_samples_version2 (void)
{
  g_autoptr(CdModel) model = national_version2 ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = NULL;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;

  model->sim.t_end = 12.0;
  model->sim.dt = 1.0;
  sys = cd_system_new (model, &error);
  g_assert_no_error (error);
  options.forces = TRUE;
  options.threads = 1;
  g_assert_true (cd_simulate (sys, &options, check_sample, sys, NULL, &error));
  g_assert_no_error (error);
}

/* ---- version 2's channels in closed form --------------------------------- */

static CdForceBreakdown
breakdown_of (const char *json,
              const char *id,
              double      t)
{
  g_autoptr(CdModel) model = load (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autofree double *y = NULL;
  CdForceBreakdown b;

  g_assert_no_error (error);
  y = g_new (double, cd_system_get_n_state (sys));
  cd_system_initial_state (sys, y);
  g_assert_true (cd_system_force_breakdown (sys, t, y, cd_model_find_node (model, id), &b));
  check_sums (sys, t, y);
  return b;
}

/* A government under one emergency superior (x_s = 0.8, h = 0.5) in a
 * constant crisis S = 2 it alone feels: A = C / (1 + C) = 2/3, so
 * P_command = p_k · 2/3 · 0.8; no administrative superior, so P_admin = 0;
 * the crisis presses p_c v C. */
static void
test_v2_emergency_command (void)
{
  CdForceBreakdown b = breakdown_of (
    "{ 'version': 2, 'parameters': { 'pressure': { 'admin': 3, 'command': 1.5, 'crisis': 0.5 } },"
    "  'nodes': [ { 'id': 's', 'x0': 0.8, 'fixed': true }, { 'id': 'i', 'vulnerability': 0.4 } ],"
    "  'edges': [ { 'kind': 'command', 'source': 's', 'target': 'i', 'weight': 0.5,"
    "               'role': 'emergency' } ],"
    "  'events': [ { 'onset': 0, 'magnitude': 2, 'decay': 1e300, 'impact': { 'i': 1 } } ] }",
    "i", 3.0);

  assert_close (b.factor[CD_FACTOR_P_COMMAND], 1.5 * (2.0 / 3.0) * 0.8, 1e-14);
  g_assert_cmpfloat (b.factor[CD_FACTOR_P_ADMIN], ==, 0.0);
  assert_close (b.factor[CD_FACTOR_P_CRISIS], 0.5 * 0.4 * 2.0, 1e-14);
  /* a superior of either role: the default appraisal is 1 */
  assert_close (b.factor[CD_FACTOR_T_APPRAISAL], 0.5, 1e-15);
  g_assert_cmpint (b.top_superior, ==, 0);
  g_assert_cmpfloat (b.top_superior_share, ==, 1.0);

  /* no crisis felt: the emergency command system does not press */
  b = breakdown_of (
    "{ 'version': 2, 'parameters': { 'pressure': { 'command': 1.5 } },"
    "  'nodes': [ { 'id': 's', 'x0': 0.8 }, { 'id': 'i' } ],"
    "  'edges': [ { 'kind': 'command', 'source': 's', 'target': 'i', 'role': 'emergency' } ] }",
    "i", 0.0);
  g_assert_cmpfloat (b.factor[CD_FACTOR_P_COMMAND], ==, 0.0);
}

/* Supervision reaches a government through its superiors: σ = min(1, Σ h). */
static void
test_v2_supervision (void)
{
#define SUPERVISION_MODEL \
    "{ 'version': 2, 'parameters': { 'resistance': { 'supervision': 0.5, 'ideas': 2," \
    "    'powers': 3, 'burden': 0 } }," \
    "  'nodes': [ { 'id': 'a' }, { 'id': 'b' }, { 'id': 'c', 'fragmentation_ideas': 0.2," \
    "    'fragmentation_powers': 0.4 } ]," \
    "  'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'c', 'weight': %s }," \
    "    { 'kind': 'command', 'source': 'b', 'target': 'c', 'weight': %s," \
    "      'role': 'emergency' } ] }"
  g_autofree char *below = g_strdup_printf (SUPERVISION_MODEL, "0.3", "0.4");
  g_autofree char *above = g_strdup_printf (SUPERVISION_MODEL, "0.8", "0.6");
  double bare = 2 * 0.2 + 3 * 0.4;
  CdForceBreakdown b;

  b = breakdown_of (below, "c", 0.0);
  assert_close (b.resistance, (1 - 0.5 * 0.7) * bare, 1e-14);
  b = breakdown_of (above, "c", 0.0);
  assert_close (b.resistance, (1 - 0.5 * 1.0) * bare, 1e-14);
  /* a government without superiors is not supervised */
  b = breakdown_of (above, "a", 0.0);
  assert_close (b.resistance, 2 * 0.5 + 3 * 0.5, 1e-14);
}

/* Trust dissolves the fragmentation of ideas: R_ideas = r_I f^I (1 − τ̄). */
static void
test_v2_trust_dissolves_ideas (void)
{
  CdForceBreakdown b = breakdown_of (
    "{ 'version': 2, 'parameters': { 'resistance': { 'ideas': 2, 'powers': 1, 'law': 0.5 } },"
    "  'nodes': [ { 'id': 'i', 'fragmentation_ideas': 0.6, 'fragmentation_powers': 0.5 },"
    "    { 'id': 'j' }, { 'id': 'k' } ],"
    "  'edges': [ { 'kind': 'partnership', 'source': 'i', 'target': 'j', 'trust': 0.2 },"
    "    { 'kind': 'partnership', 'source': 'k', 'target': 'i', 'trust': 0.6 } ] }",
    "i", 0.0);

  assert_close (b.factor[CD_FACTOR_R_IDEAS], 2 * 0.6 * (1 - 0.4), 1e-14);
  /* law acts only on powers */
  assert_close (b.factor[CD_FACTOR_R_POWERS], 1 * 0.5 * (1 - 0.5), 1e-14);
}

/* Law acts on powers only, and supervision on all three parts. */
static void
test_v2_law_only_powers (void)
{
#define LAW_MODEL \
    "{ 'version': 2, 'parameters': { 'resistance': { 'law': %s, 'ideas': 1, 'powers': 1," \
    "    'burden': 1, 'compensation': 0.5 } }," \
    "  'nodes': [ { 'id': 'i', 'capacity': 0.8, 'vulnerability': 0.25 } ] }"
  g_autofree char *none = g_strdup_printf (LAW_MODEL, "0");
  g_autofree char *full = g_strdup_printf (LAW_MODEL, "1");
  CdForceBreakdown a = breakdown_of (none, "i", 0.0);
  CdForceBreakdown b = breakdown_of (full, "i", 0.0);

  g_assert_cmpfloat (a.factor[CD_FACTOR_R_IDEAS], ==, b.factor[CD_FACTOR_R_IDEAS]);
  g_assert_cmpfloat (a.factor[CD_FACTOR_R_BENEFITS], ==, b.factor[CD_FACTOR_R_BENEFITS]);
  assert_close (a.factor[CD_FACTOR_R_POWERS], 0.5, 1e-15);
  g_assert_cmpfloat (b.factor[CD_FACTOR_R_POWERS], ==, 0.0);
  assert_close (a.factor[CD_FACTOR_R_BENEFITS], 0.5 * 0.8 * 0.75, 1e-15);
}

/* Appraisal per government: its own weight, or 1 with a superior, else 0. */
static void
test_v2_appraisal (void)
{
  const char *json =
    "{ 'version': 2, 'parameters': { 'thrust': { 'appraisal': 2 } },"
    "  'nodes': [ { 'id': 'top' }, { 'id': 'own', 'appraisal': 0.3 },"
    "    { 'id': 'sub' }, { 'id': 'lone', 'appraisal': 0.7 } ],"
    "  'edges': [ { 'kind': 'command', 'source': 'top', 'target': 'own' },"
    "    { 'kind': 'command', 'source': 'top', 'target': 'sub' } ] }";

  g_assert_cmpfloat (breakdown_of (json, "top", 0).factor[CD_FACTOR_T_APPRAISAL], ==, 0.0);
  assert_close (breakdown_of (json, "own", 0).factor[CD_FACTOR_T_APPRAISAL], 0.6, 1e-15);
  assert_close (breakdown_of (json, "sub", 0).factor[CD_FACTOR_T_APPRAISAL], 2.0, 1e-15);
  assert_close (breakdown_of (json, "lone", 0).factor[CD_FACTOR_T_APPRAISAL], 1.4, 1e-15);
}

typedef struct
{
  GArray *rows;   /* of double: every x, then the loss, of every sample */
} Keep;

static gboolean
keep_sample (const CdSample *s,
             gpointer        user_data,
             GError        **error)
{
  const CdSystem *sys = ((gpointer *) user_data)[0];
  GArray *rows = ((gpointer *) user_data)[1];

  g_array_append_vals (rows, s->x, cd_system_get_n_nodes (sys));
  g_array_append_vals (rows, &s->loss, 1);
  return TRUE;
}

static GArray *
run_model (const CdModel *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (double));
  gpointer data[2] = { sys, rows };

  g_assert_no_error (error);
  options.threads = 1;
  g_assert_true (cd_simulate (sys, &options, keep_sample, data, NULL, &error));
  return rows;
}

/* docs/model.md, "Upgrade": with supervision, law and every trust at 0 an
 * upgraded model simulates as before.  Trust stays 0 only while nothing
 * builds it (trust gain 0); the sums are grouped differently in the two
 * right-hand sides, so the runs agree to rounding, not bit for bit. */
static void
test_upgrade_simulates_as_before (void)
{
  g_autoptr(CdModel) v1 = cd_generate_national (1);
  g_autoptr(CdModel) v2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) a = NULL, b = NULL;

  for (guint e = 0; e < v1->edges->len; e++)
    ((CdEdge *) g_ptr_array_index (v1->edges, e))->trust = 0.0;
  v1->params.values[CD_PARAM_DYNAMICS_TRUST_GAIN] = 0.0;
  v1->params.values[CD_PARAM_RESISTANCE_SUPERVISION] = 0.0;
  v1->params.values[CD_PARAM_RESISTANCE_LAW] = 0.0;
  for (guint k = 0; k < v1->interventions->len; k++)
    {
      CdIntervention *iv = g_ptr_array_index (v1->interventions, k);
      for (guint s = iv->settings->len; s-- > 0;)
        {
          CdParam p = g_array_index (iv->settings, CdSetting, s).param;
          if (p == CD_PARAM_RESISTANCE_SUPERVISION || p == CD_PARAM_RESISTANCE_LAW
              || p == CD_PARAM_DYNAMICS_TRUST_GAIN)
            g_array_remove_index (iv->settings, s);
        }
    }
  v1->sim.t_end = 30;
  v1->sim.dt = 0.5;
  v2 = cd_model_upgrade (v1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v2->version, ==, 2);
  a = run_model (v1);
  b = run_model (v2);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint k = 0; k < a->len; k++)
    assert_close (g_array_index (a, double, k), g_array_index (b, double, k), 1e-9);
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
  g_test_add_func ("/factors/sums-national-version2", test_sums_national_version2);
  g_test_add_func ("/factors/samples-version2", test_samples_version2);
  g_test_add_func ("/factors/v2/emergency-command", test_v2_emergency_command);
  g_test_add_func ("/factors/v2/supervision", test_v2_supervision);
  g_test_add_func ("/factors/v2/trust-dissolves-ideas", test_v2_trust_dissolves_ideas);
  g_test_add_func ("/factors/v2/law-only-powers", test_v2_law_only_powers);
  g_test_add_func ("/factors/v2/appraisal", test_v2_appraisal);
  g_test_add_func ("/factors/upgrade-simulates-as-before", test_upgrade_simulates_as_before);
  return g_test_run ();
}
