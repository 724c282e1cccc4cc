/* test-simulate.c — the integrator against closed forms of docs/model.md.
 *
 * Every expected value here is worked out by hand from docs/model.md's equations
 * for models small enough that the answer has a closed form (constant net
 * force, linear trust equation, exponential crisis decay), so a wrong sign,
 * a wrong mean or a breakpoint crossed one step early shows up as a number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "cd-generate.h"
#include "cd-model-json.h"
#include "cd-simulate.h"
#include "cd-system.h"

/* Closed forms are compared to this absolute tolerance at every sample. */
#define TOL 1e-7

static double
sigma (double z)
{
  return 1.0 / (1.0 + exp (-z));
}

static CdModel *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_data (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

static CdSystem *
compile (const CdModel *model)
{
  g_autoptr(GError) error = NULL;
  CdSystem *sys = cd_system_new (model, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sys);
  return sys;
}

static CdTrajectory *
run_model (const CdModel *model,
           gboolean       forces,
           CdStepper      stepper)
{
  g_autoptr(CdSystem) sys = compile (model);
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  CdTrajectory *tr;

  opt.forces = forces;
  opt.trust = TRUE;
  opt.stepper = stepper;
  tr = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tr);
  g_assert_cmpuint (tr->n_samples, ==, cd_run_n_samples (model->sim.t_end, model->sim.dt));
  return tr;
}

static CdTrajectory *
run_json (const char *json,
          gboolean    forces)
{
  g_autoptr(CdModel) model = load (json);
  return run_model (model, forces, CD_STEPPER_RK8PD);
}

/* Sample k is taken at exactly k·dt (docs/model.md, Numerics). */
static void
assert_sample_times (const CdTrajectory *tr,
                     double              dt)
{
  for (guint k = 0; k < tr->n_samples; k++)
    g_assert_cmpfloat (tr->t[k], ==, k * dt);
}

/* ---- closed forms ---------------------------------------------------------- */

/* Node "b" has two fixed superiors and no partners: H_b is a constant
 * weighted mean, there is no crisis, so F_b is constant and the logit
 * dynamic is linear: x(t) = σ(βF) + (x0 − σ(βF)) e^(−λt). */
static const char *const constant_force_model =
  "{ \"parameters\": {"
  "    \"pressure\": { \"admin\": 0.9, \"crisis\": 1.5 },"
  "    \"thrust\": { \"info\": 0.6, \"appraisal\": 0.4 },"
  "    \"resistance\": { \"fragmentation\": 1.8, \"burden\": 1.1, \"compensation\": 0.25,"
  "                      \"supervision\": 0.2, \"law\": 0.1 },"
  "    \"dynamics\": { \"rationality\": 3.0, \"rate\": 0.7, \"rule\": \"%s\" } },"
  "  \"simulation\": { \"t_end\": 10, \"dt\": 0.25 },"
  "  \"nodes\": ["
  "    { \"id\": \"s1\", \"fixed\": true, \"x0\": 0.6, \"capacity\": 0.9 },"
  "    { \"id\": \"s2\", \"fixed\": true, \"x0\": 0.2, \"vulnerability\": 0.9 },"
  "    { \"id\": \"b\", \"x0\": %s, \"capacity\": 0.4, \"vulnerability\": 0.5,"
  "      \"fragmentation\": 0.3 } ],"
  "  \"edges\": ["
  "    { \"kind\": \"command\", \"source\": \"s1\", \"target\": \"b\", \"weight\": 0.5 },"
  "    { \"kind\": \"command\", \"source\": \"s2\", \"target\": \"b\", \"weight\": 0.25 } ] }";

/* The same forces worked out by hand. */
#define CF_H  ((0.5 * 0.6 + 0.25 * 0.2) / (0.5 + 0.25))
#define CF_P  (0.9 * CF_H)                       /* no crisis: p_c v C = 0 */
#define CF_T  (0.6 * 0.0 + 0.4)                  /* no partners: Ī = 0; has superiors */
#define CF_R  ((1 - 0.2) * (1 - 0.1) * (1.8 * 0.3 + 1.1 * (1 - 0.25) * 0.4 * (1 - 0.5)))
#define CF_F  (0.0 + CF_P + CF_T - CF_R)

static void
test_logit_constant_force (void)
{
  /* The dense pairs too: most samples fall inside their steps. */
  const CdStepper steppers[] = { CD_STEPPER_RK8PD, CD_STEPPER_RKF45, CD_STEPPER_RKCK,
                                 CD_STEPPER_TSIT5, CD_STEPPER_DOPRI5 };
  g_autofree char *json = g_strdup_printf (constant_force_model, "logit", "0.05");
  g_autoptr(CdModel) model = load (json);
  const double x0 = 0.05, lambda = 0.7, target = sigma (3.0 * CF_F);

  /* The hand value is nowhere near a corner, so the test can tell σ(βF)
   * from a wrong force. */
  g_assert_cmpfloat (target, >, 0.6);
  g_assert_cmpfloat (target, <, 0.95);

  for (guint s = 0; s < G_N_ELEMENTS (steppers); s++)
    {
      g_autoptr(CdTrajectory) tr = run_model (model, TRUE, steppers[s]);

      g_assert_cmpuint (tr->n_samples, ==, 41);
      assert_sample_times (tr, 0.25);
      for (guint k = 0; k < tr->n_samples; k++)
        {
          double t = tr->t[k];
          double expected = target + (x0 - target) * exp (-lambda * t);
          const double *x = tr->x + k * 3;

          g_assert_cmpfloat_with_epsilon (x[2], expected, TOL);
          g_assert_cmpfloat (x[0], ==, 0.6);
          g_assert_cmpfloat (x[1], ==, 0.2);
          g_assert_cmpfloat_with_epsilon (tr->mean_coordination[k], (0.6 + 0.2 + expected) / 3,
                                          TOL);
          g_assert_cmpfloat (tr->loss[k], ==, 0.0);
          g_assert_cmpfloat_with_epsilon (tr->gravity[k * 3 + 2], 0.0, 1e-15);
          g_assert_cmpfloat_with_epsilon (tr->pressure[k * 3 + 2], CF_P, 1e-13);
          g_assert_cmpfloat_with_epsilon (tr->thrust[k * 3 + 2], CF_T, 1e-13);
          g_assert_cmpfloat_with_epsilon (tr->resistance[k * 3 + 2], CF_R, 1e-13);
        }
      /* After 10 time constants × 0.7 the run is close to the fixed point. */
      g_assert_cmpfloat_with_epsilon (tr->x[40 * 3 + 2], target, 1e-3);
    }
}

/* Replicator, constant F: dx/dt = λ x (1 − x) F is the logistic equation,
 * x(t) = 1 / (1 + (1 − x0)/x0 · e^(−λFt)); checked from both sides. */
static void
test_replicator_logistic (void)
{
  const char *starts[] = { "0.05", "0.5", "0.97" };

  for (guint s = 0; s < G_N_ELEMENTS (starts); s++)
    {
      g_autofree char *json = g_strdup_printf (constant_force_model, "replicator", starts[s]);
      g_autoptr(CdTrajectory) tr = run_json (json, TRUE);
      double x0 = g_ascii_strtod (starts[s], NULL);

      g_assert_cmpfloat (CF_F, >, 0.1);
      for (guint k = 0; k < tr->n_samples; k++)
        {
          double t = tr->t[k];
          double expected = 1.0 / (1.0 + (1.0 - x0) / x0 * exp (-0.7 * CF_F * t));

          g_assert_cmpfloat_with_epsilon (tr->x[k * 3 + 2], expected, TOL);
          g_assert_cmpfloat_with_epsilon (tr->resistance[k * 3 + 2], CF_R, 1e-13);
        }
    }
}

/* A replicator corner is an equilibrium: x0 = 0 and x0 = 1 never move. */
static void
test_replicator_corners (void)
{
  const char *starts[] = { "0", "1" };

  for (guint s = 0; s < G_N_ELEMENTS (starts); s++)
    {
      g_autofree char *json = g_strdup_printf (constant_force_model, "replicator", starts[s]);
      g_autoptr(CdTrajectory) tr = run_json (json, FALSE);
      double x0 = g_ascii_strtod (starts[s], NULL);

      for (guint k = 0; k < tr->n_samples; k++)
        g_assert_cmpfloat (tr->x[k * 3 + 2], ==, x0);
    }
}

/* A fixed node is a scenario input: it stays bit-for-bit at x0 whatever
 * pulls on it (partners, superiors, a crisis), under both rules. */
static void
test_fixed_node (gconstpointer data)
{
  const char *rule = data;
  g_autofree char *json = g_strdup_printf (
    "{ \"parameters\": { \"dynamics\": { \"rule\": \"%s\" } },"
    "  \"simulation\": { \"t_end\": 8, \"dt\": 0.5 },"
    "  \"nodes\": [ { \"id\": \"boss\", \"x0\": 0.9 },"
    "               { \"id\": \"f\", \"x0\": 0.123456789, \"fixed\": true },"
    "               { \"id\": \"p\", \"x0\": 0.8 } ],"
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"boss\", \"target\": \"f\" },"
    "               { \"kind\": \"partnership\", \"source\": \"f\", \"target\": \"p\" } ],"
    "  \"events\": [ { \"onset\": 1, \"magnitude\": 5, \"decay\": 2,"
    "                  \"impact\": { \"f\": 1, \"p\": 1 } } ] }", rule);
  g_autoptr(CdTrajectory) tr = run_json (json, TRUE);
  gboolean others_moved = FALSE;

  for (guint k = 0; k < tr->n_samples; k++)
    {
      g_assert_cmpfloat (tr->x[k * 3 + 1], ==, 0.123456789);
      others_moved |= tr->x[k * 3 + 2] != 0.8;
    }
  /* The force on it is real, it just does not act. */
  g_assert_cmpfloat (tr->pressure[4 * 3 + 1], >, 0.0);
  g_assert_true (others_moved);
}

/* Trust between two fixed nodes: with p = x_a x_b constant the trust
 * equation is linear, dτ/dt = A − (A + B) τ, A = η_g (1 + ι) p,
 * B = η_d (1 − p), so τ(t) = τ* + (τ0 − τ*) e^(−(A+B)t), τ* = A/(A+B). */
static void
test_trust_closed_form (void)
{
  const char *json =
    "{ \"parameters\": { \"dynamics\": { \"trust_gain\": 0.45, \"trust_decay\": 0.15 } },"
    "  \"simulation\": { \"t_end\": 20, \"dt\": 0.5 },"
    "  \"nodes\": [ { \"id\": \"a\", \"x0\": 0.8, \"fixed\": true },"
    "               { \"id\": \"b\", \"x0\": 0.5, \"fixed\": true },"
    "               { \"id\": \"c\", \"x0\": 0, \"fixed\": true } ],"
    "  \"edges\": [ { \"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\","
    "                 \"trust\": 0.1, \"info\": 0.6 },"
    "               { \"kind\": \"partnership\", \"source\": \"c\", \"target\": \"b\","
    "                 \"trust\": 0.9, \"info\": 0.3 } ] }";
  g_autoptr(CdTrajectory) tr = run_json (json, FALSE);
  const double p = 0.8 * 0.5;
  const double A = 0.45 * (1 + 0.6) * p, B = 0.15 * (1 - p), star = A / (A + B);

  g_assert_nonnull (tr->trust);
  g_assert_cmpuint (tr->n_partnerships, ==, 2);
  for (guint k = 0; k < tr->n_samples; k++)
    {
      double t = tr->t[k];
      /* c never coordinates, so trust with it only erodes: τ = 0.9 e^(−η_d t). */
      g_assert_cmpfloat_with_epsilon (tr->trust[k * 2 + 0],
                                      star + (0.1 - star) * exp (-(A + B) * t), TOL);
      g_assert_cmpfloat_with_epsilon (tr->trust[k * 2 + 1], 0.9 * exp (-0.15 * t), TOL);
    }
  g_assert_cmpfloat (tr->trust[0], ==, 0.1);
  g_assert_cmpfloat (tr->trust[1], ==, 0.9);
}

/* Loss with fixed x and one event: dL/dt = Σ v_i S_i (1 − M_i) with
 * S_i = m a_i e^(−(t − t0)/d), so L(t) = Σ v_i (1 − M_i) a_i · m d (1 − e^(−(t − t0)/d))
 * from t0 on and exactly 0 before. */
static void
test_loss_closed_form (void)
{
  const char *json =
    "{ \"simulation\": { \"t_end\": 10, \"dt\": 0.25 },"
    "  \"nodes\": [ { \"id\": \"a\", \"x0\": 0.7, \"capacity\": 0.6, \"vulnerability\": 0.8,"
    "                 \"fixed\": true },"
    "               { \"id\": \"b\", \"x0\": 0.3, \"capacity\": 0.2, \"vulnerability\": 0.4,"
    "                 \"fixed\": true },"
    "               { \"id\": \"bystander\", \"x0\": 0.5, \"vulnerability\": 1 } ],"
    "  \"edges\": [ { \"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\" } ],"
    "  \"events\": [ { \"name\": \"flood\", \"onset\": 2.5, \"magnitude\": 3, \"decay\": 2,"
    "                  \"impact\": { \"a\": 0.9, \"b\": 0.5 } } ] }";
  g_autoptr(CdTrajectory) tr = run_json (json, FALSE);
  /* M_i = x_i (c_i + Σ_j c_j x_j) / (1 + k_i) */
  const double M_a = 0.7 * (0.6 + 0.2 * 0.3) / 2, M_b = 0.3 * (0.2 + 0.6 * 0.7) / 2;
  const double weight = 0.8 * (1 - M_a) * 0.9 + 0.4 * (1 - M_b) * 0.5;

  for (guint k = 0; k < tr->n_samples; k++)
    {
      double t = tr->t[k];
      double expected = t < 2.5 ? 0.0 : weight * 3 * 2 * (1 - exp (-(t - 2.5) / 2));

      if (t <= 2.5)
        g_assert_cmpfloat (tr->loss[k], ==, 0.0);
      else
        g_assert_cmpfloat_with_epsilon (tr->loss[k], expected, TOL);
    }
  g_assert_cmpfloat (tr->loss[tr->n_samples - 1], >, 1.0);
}

/* ---- forces at t = 0 ---------------------------------------------------------- */

/* Five governments with two superiors for m2, partners on both sides of
 * p2 and m1, and crises at several levels, so every mean, weighted mean and
 * maximum of docs/model.md is exercised. */
static const char *const forces_model =
  "{ \"parameters\": {"
  "    \"gravity\": { \"interest\": 1.2, \"trust\": 0.8 },"
  "    \"pressure\": { \"admin\": 0.9, \"crisis\": 1.5 },"
  "    \"thrust\": { \"info\": 0.6, \"appraisal\": 0.4 },"
  "    \"resistance\": { \"fragmentation\": 1.8, \"burden\": 1.1, \"compensation\": 0.3,"
  "                      \"supervision\": 0.2, \"law\": 0.1 },"
  "    \"dynamics\": { \"rationality\": 2.5, \"rate\": 0.8, \"trust_gain\": 0.4,"
  "                    \"trust_decay\": 0.2 } },"
  "  \"simulation\": { \"t_end\": 1, \"dt\": 0.5 },"
  "  \"nodes\": ["
  "    { \"id\": \"c\",  \"level\": \"central\", \"x0\": 0.9, \"capacity\": 0.8,"
  "      \"vulnerability\": 0.1, \"fragmentation\": 0.2 },"
  "    { \"id\": \"p1\", \"x0\": 0.4, \"capacity\": 0.5, \"vulnerability\": 0.6,"
  "      \"fragmentation\": 0.5 },"
  "    { \"id\": \"p2\", \"x0\": 0.3, \"capacity\": 0.4, \"vulnerability\": 0.7,"
  "      \"fragmentation\": 0.4 },"
  "    { \"id\": \"m1\", \"x0\": 0.2, \"capacity\": 0.3, \"vulnerability\": 0.8,"
  "      \"fragmentation\": 0.6 },"
  "    { \"id\": \"m2\", \"x0\": 0.1, \"capacity\": 0.2, \"vulnerability\": 0.9,"
  "      \"fragmentation\": 0.7 } ],"
  "  \"edges\": ["
  "    { \"kind\": \"command\", \"source\": \"c\",  \"target\": \"p1\", \"weight\": 1 },"
  "    { \"kind\": \"command\", \"source\": \"c\",  \"target\": \"p2\", \"weight\": 0.5 },"
  "    { \"kind\": \"command\", \"source\": \"p1\", \"target\": \"m1\", \"weight\": 0.8 },"
  "    { \"kind\": \"command\", \"source\": \"p1\", \"target\": \"m2\", \"weight\": 0.4 },"
  "    { \"kind\": \"command\", \"source\": \"p2\", \"target\": \"m2\", \"weight\": 0.6 },"
  "    { \"kind\": \"partnership\", \"source\": \"p1\", \"target\": \"p2\","
  "      \"interest\": 0.6, \"trust\": 0.3, \"info\": 0.7 },"
  "    { \"kind\": \"partnership\", \"source\": \"m1\", \"target\": \"p2\","
  "      \"interest\": 0.2, \"trust\": 0.5, \"info\": 0.4 },"
  "    { \"kind\": \"partnership\", \"source\": \"m1\", \"target\": \"m2\","
  "      \"interest\": 0.9, \"trust\": 0.1, \"info\": 0.2 } ],"
  "  \"events\": ["
  "    { \"onset\": 0, \"magnitude\": 2, \"decay\": 5,"
  "      \"impact\": { \"m1\": 0.5, \"m2\": 1.0, \"p2\": 0.3 } },"
  "    { \"onset\": 0, \"magnitude\": 1, \"decay\": 1,"
  "      \"impact\": { \"m2\": 0.4, \"c\": 0.2 } } ] }";

static void
test_forces_at_zero (void)
{
  g_autoptr(CdModel) model = load (forces_model);
  g_autoptr(CdSystem) sys = compile (model);
  g_autoptr(CdTrajectory) tr = run_model (model, TRUE, CD_STEPPER_RK8PD);
  g_autoptr(CdWorkspace) ws = cd_workspace_new (sys);
  /* index: c p1 p2 m1 m2 */
  const double x[5] = { 0.9, 0.4, 0.3, 0.2, 0.1 };
  const double c[5] = { 0.8, 0.5, 0.4, 0.3, 0.2 };
  const double v[5] = { 0.1, 0.6, 0.7, 0.8, 0.9 };
  const double f[5] = { 0.2, 0.5, 0.4, 0.6, 0.7 };
  /* S at t = 0: event 1 gives 2·a, event 2 gives 1·a */
  const double S[5] = { 1 * 0.2, 0, 2 * 0.3, 2 * 0.5, 2 * 1.0 + 1 * 0.4 };
  /* C = S_i + (1/k_i) Σ ι S_j + max_d h S_d; for p1 the worst report is m2's
   * (0.4 · 2.4 = 0.96) although m1 has the heavier line (0.8 · 1.0). */
  const double C[5] = {
    S[0] + 0 + MAX (1.0 * S[1], 0.5 * S[2]),
    S[1] + 0.7 * S[2] + MAX (0.8 * S[3], 0.4 * S[4]),
    S[2] + (0.7 * S[1] + 0.4 * S[3]) / 2 + 0.6 * S[4],
    S[3] + (0.4 * S[2] + 0.2 * S[4]) / 2 + 0,
    S[4] + 0.2 * S[3] + 0,
  };
  const double G[5] = {
    0,
    (1.2 * 0.6 + 0.8 * 0.3) * x[2],
    ((1.2 * 0.6 + 0.8 * 0.3) * x[1] + (1.2 * 0.2 + 0.8 * 0.5) * x[3]) / 2,
    ((1.2 * 0.2 + 0.8 * 0.5) * x[2] + (1.2 * 0.9 + 0.8 * 0.1) * x[4]) / 2,
    (1.2 * 0.9 + 0.8 * 0.1) * x[3],
  };
  const double H[5] = {
    0, x[0], x[0], x[1], (0.4 * x[1] + 0.6 * x[2]) / (0.4 + 0.6),
  };
  const double T[5] = {
    0,
    0.6 * 0.7 + 0.4,
    0.6 * (0.7 + 0.4) / 2 + 0.4,
    0.6 * (0.4 + 0.2) / 2 + 0.4,
    0.6 * 0.2 + 0.4,
  };
  /* M_i = x_i (c_i + Σ_j c_j x_j) / (1 + k_i) */
  const double M[5] = {
    x[0] * c[0],
    x[1] * (c[1] + c[2] * x[2]) / 2,
    x[2] * (c[2] + c[1] * x[1] + c[3] * x[3]) / 3,
    x[3] * (c[3] + c[2] * x[2] + c[4] * x[4]) / 3,
    x[4] * (c[4] + c[3] * x[3]) / 2,
  };
  const double tau[3] = { 0.3, 0.5, 0.1 }, iota[3] = { 0.7, 0.4, 0.2 };
  const guint pa[3] = { 1, 3, 3 }, pb[3] = { 2, 2, 4 };
  double y[5 + 3 + 1], dydt[5 + 3 + 1], loss_rate = 0;
  double g[5], p[5], th[5], r[5];
  CdForces forces = { g, p, th, r };

  g_assert_cmpuint (cd_system_get_n_state (sys), ==, 9);
  for (guint i = 0; i < 5; i++)
    {
      double P = 0.9 * H[i] + 1.5 * v[i] * C[i];
      double R = (1 - 0.2) * (1 - 0.1) * (1.8 * f[i] + 1.1 * (1 - 0.3) * c[i] * (1 - v[i]));

      g_test_message ("node %u: G %.6f P %.6f T %.6f R %.6f", i, G[i], P, T[i], R);
      g_assert_cmpfloat_with_epsilon (tr->gravity[i], G[i], 1e-12);
      g_assert_cmpfloat_with_epsilon (tr->pressure[i], P, 1e-12);
      g_assert_cmpfloat_with_epsilon (tr->thrust[i], T[i], 1e-12);
      g_assert_cmpfloat_with_epsilon (tr->resistance[i], R, 1e-12);
    }

  /* The right-hand side at t = 0 from the same hand values. */
  cd_system_initial_state (sys, y);
  cd_system_evaluate (sys, cd_system_get_piece_at (sys, 0.0), 0.0, y, dydt, &forces,
                      ws);
  for (guint i = 0; i < 5; i++)
    {
      double F = G[i] + 0.9 * H[i] + 1.5 * v[i] * C[i] + T[i]
                 - 0.72 * (1.8 * f[i] + 1.1 * 0.7 * c[i] * (1 - v[i]));
      g_assert_cmpfloat_with_epsilon (dydt[i], 0.8 * (sigma (2.5 * F) - x[i]), 1e-12);
      g_assert_cmpfloat (g[i], ==, tr->gravity[i]);
      g_assert_cmpfloat (p[i], ==, tr->pressure[i]);
      g_assert_cmpfloat (th[i], ==, tr->thrust[i]);
      g_assert_cmpfloat (r[i], ==, tr->resistance[i]);
      loss_rate += v[i] * S[i] * (1 - M[i]);
    }
  for (guint e = 0; e < 3; e++)
    {
      double both = x[pa[e]] * x[pb[e]];
      double expected = 0.4 * (1 + iota[e]) * both * (1 - tau[e]) - 0.2 * (1 - both) * tau[e];
      g_assert_cmpfloat_with_epsilon (dydt[5 + e], expected, 1e-12);
    }
  g_assert_cmpfloat_with_epsilon (dydt[8], loss_rate, 1e-12);
  g_assert_cmpfloat (loss_rate, >, 0.0);
}

/* The right-hand side takes the nodes' exponentials several at a time
 * (libmvec where glibc has it): every node's rate, wherever it falls in a
 * vector or the scalar tail, fixed or not, at ordinary and saturating
 * forces, must be the formula's λ (σ(β F) − x) to the last few bits. */
static void
test_rates_every_node (void)
{
  const double betas[] = { 4.0, 60.0, 1e-3 };

  for (guint n_counties = 0; n_counties < 10; n_counties++)
    for (guint b = 0; b < G_N_ELEMENTS (betas); b++)
      for (int rule = 0; rule < 2; rule++)
        {
          g_autoptr(CdModel) model = cd_generate_hierarchy (7 + n_counties, 1, 1, 1 + n_counties);
          g_autoptr(CdSystem) sys = NULL;
          g_autoptr(CdWorkspace) ws = NULL;
          g_autoptr(GRand) rand = g_rand_new_with_seed (n_counties * 10 + b);
          g_autofree double *y = NULL, *dydt = NULL, *g = NULL, *p = NULL, *th = NULL, *r = NULL;
          CdForces forces;
          double beta = betas[b], lambda = 0.7;
          guint n;

          model->params.values[CD_PARAM_DYNAMICS_RATIONALITY] = beta;
          model->params.values[CD_PARAM_DYNAMICS_RATE] = lambda;
          model->params.rule = rule == 0 ? CD_RULE_LOGIT : CD_RULE_REPLICATOR;
          for (guint i = 0; i < model->nodes->len; i += 3)
            ((CdNode *) model->nodes->pdata[i])->fixed = TRUE;
          sys = compile (model);
          ws = cd_workspace_new (sys);
          n = cd_system_get_n_nodes (sys);
          y = g_new (double, cd_system_get_n_state (sys));
          dydt = g_new (double, cd_system_get_n_state (sys));
          g = g_new (double, n), p = g_new (double, n);
          th = g_new (double, n), r = g_new (double, n);
          forces = (CdForces) { g, p, th, r };
          cd_system_initial_state (sys, y);
          for (guint i = 0; i < n; i++)
            y[i] = g_rand_double (rand);
          cd_system_evaluate (sys, cd_system_get_piece_at (sys, 1.0), 1.0, y, dydt,
                              &forces, ws);
          for (guint i = 0; i < n; i++)
            {
              double F = g[i] + p[i] + (th[i] - r[i]);
              double expected = rule == 0 ? lambda * (sigma (beta * F) - y[i])
                                          : lambda * y[i] * (1.0 - y[i]) * F;

              if (((CdNode *) model->nodes->pdata[i])->fixed)
                g_assert_cmpfloat (dydt[i], ==, 0.0);
              else
                g_assert_cmpfloat_with_epsilon (dydt[i], expected,
                                                1e-15 * MAX (1.0, fabs (expected)));
            }
        }
}

/* ---- the right-hand side against docs/model.md written out plainly ----------------- */

/* A random model small enough to write out by hand: what the test knows of
 * it, kept apart from the CdSystem so that the reference below reads
 * nothing the right-hand side computed. */
typedef struct
{
  guint   n, n_pairs, n_cmd, n_events;
  double  c[24], v[24], f[24];
  gboolean fixed[24];
  guint   pa[60], pb[60];
  double  b[60], iota[60];
  guint   cs[60], cd[60];
  double  h[60];
  double  onset[3], mag[3], decay[3], a[3][24];
} RandomNet;

static char *
random_net_json (GRand     *rand,
                 RandomNet *net,
                 gboolean   replicator)
{
  GString *json = g_string_new ("{ \"parameters\": { \"dynamics\": { \"rule\": ");
  gboolean first = TRUE;

  g_string_append_printf (json, "\"%s\", \"rationality\": %.17g, \"trust_gain\": %.17g },"
                          " \"pressure\": { \"admin\": %.17g, \"crisis\": %.17g } },"
                          " \"nodes\": [", replicator ? "replicator" : "logit",
                          g_rand_double_range (rand, 0.5, 6.0), g_rand_double (rand),
                          g_rand_double_range (rand, 0.0, 2.0),
                          g_rand_double_range (rand, 0.0, 3.0));
  memset (net, 0, sizeof *net);
  net->n = g_rand_int_range (rand, 1, 24);
  for (guint i = 0; i < net->n; i++)
    {
      net->c[i] = g_rand_double (rand);
      net->v[i] = g_rand_double (rand);
      net->f[i] = g_rand_double (rand);
      net->fixed[i] = g_rand_int_range (rand, 0, 5) == 0;
      g_string_append_printf (json, "%s{ \"id\": \"n%u\", \"capacity\": %.17g,"
                              " \"vulnerability\": %.17g, \"fragmentation\": %.17g,"
                              " \"fixed\": %s }", i ? ", " : "", i, net->c[i], net->v[i],
                              net->f[i], net->fixed[i] ? "true" : "false");
    }
  g_string_append (json, " ], \"edges\": [");
  /* Partnerships and command lines between random pairs; a command line
   * always runs from the lower index down, so there is no cycle, and
   * several superiors, several subordinates and none all occur. */
  for (guint i = 0; i < net->n; i++)
    for (guint j = i + 1; j < net->n; j++)
      {
        if (net->n_pairs < 60 && g_rand_int_range (rand, 0, 4) == 0)
          {
            guint e = net->n_pairs++;
            gboolean flip = g_rand_boolean (rand);

            net->pa[e] = flip ? j : i, net->pb[e] = flip ? i : j;
            net->b[e] = g_rand_double (rand), net->iota[e] = g_rand_double (rand);
            g_string_append_printf (json, "%s{ \"kind\": \"partnership\", \"source\": \"n%u\","
                                    " \"target\": \"n%u\", \"interest\": %.17g,"
                                    " \"info\": %.17g }", first ? "" : ", ", net->pa[e],
                                    net->pb[e], net->b[e], net->iota[e]);
            first = FALSE;
          }
        if (net->n_cmd < 60 && g_rand_int_range (rand, 0, 6) == 0)
          {
            guint e = net->n_cmd++;

            net->cs[e] = i, net->cd[e] = j, net->h[e] = g_rand_double_range (rand, 0.05, 1.0);
            g_string_append_printf (json, "%s{ \"kind\": \"command\", \"source\": \"n%u\","
                                    " \"target\": \"n%u\", \"weight\": %.17g }",
                                    first ? "" : ", ", i, j, net->h[e]);
            first = FALSE;
          }
      }
  g_string_append (json, " ], \"events\": [");
  /* Onsets in increasing order, so that event k is the k-th to begin. */
  net->n_events = g_rand_int_range (rand, 0, 4);
  for (guint k = 0; k < net->n_events; k++)
    {
      gboolean first_impact = TRUE;

      net->onset[k] = 1.0 + k + g_rand_double (rand) * 0.5;
      net->mag[k] = g_rand_double_range (rand, 0.1, 3.0);
      net->decay[k] = g_rand_double_range (rand, 0.5, 5.0);
      g_string_append_printf (json, "%s{ \"onset\": %.17g, \"magnitude\": %.17g,"
                              " \"decay\": %.17g, \"impact\": {", k ? ", " : "",
                              net->onset[k], net->mag[k], net->decay[k]);
      for (guint i = 0; i < net->n; i++)
        if (g_rand_int_range (rand, 0, 2) == 0)
          {
            net->a[k][i] = g_rand_double (rand);
            g_string_append_printf (json, "%s\"n%u\": %.17g", first_impact ? "" : ", ", i,
                                    net->a[k][i]);
            first_impact = FALSE;
          }
      g_string_append (json, "} }");
    }
  /* A policy change between the onsets: the per-piece terms must follow. */
  g_string_append (json, " ], \"interventions\": [ { \"at\": 1.75, \"set\": {"
                   " \"resistance.law\": 0.5, \"gravity.trust\": 2.5,"
                   " \"dynamics.trust_decay\": 0.3, \"thrust.appraisal\": 1.5 } } ] }");
  return g_string_free (json, FALSE);
}

/* docs/model.md's right-hand side, term by term as it is written there. */
static void
reference_rates (const RandomNet *net,
                 const double    *p,
                 CdRule           rule,
                 double           t,
                 const double    *y,
                 double          *dydt)
{
  const guint n = net->n;
  const double *x = y, *tau = y + n;
  double S[24] = { 0 }, loss = 0.0;

  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < net->n_events; k++)
      if (t >= net->onset[k])
        S[i] += net->mag[k] * net->a[k][i] * exp (-(t - net->onset[k]) / net->decay[k]);
  for (guint i = 0; i < n; i++)
    {
      double k_i = 0, G = 0, shared = 0, info = 0, worst = 0, hx = 0, hsum = 0, draw = 0;
      double P, T, R, F;
      gboolean has_superior = FALSE;

      for (guint e = 0; e < net->n_pairs; e++)
        if (net->pa[e] == i || net->pb[e] == i)
          {
            guint j = net->pa[e] == i ? net->pb[e] : net->pa[e];

            k_i++;
            G += (p[CD_PARAM_GRAVITY_INTEREST] * net->b[e] + p[CD_PARAM_GRAVITY_TRUST] * tau[e])
                 * x[j];
            shared += net->iota[e] * S[j];
            info += net->iota[e];
            draw += net->c[j] * x[j];
          }
      for (guint e = 0; e < net->n_cmd; e++)
        {
          if (net->cd[e] == i)
            hx += net->h[e] * x[net->cs[e]], hsum += net->h[e], has_superior = TRUE;
          if (net->cs[e] == i)
            worst = MAX (worst, net->h[e] * S[net->cd[e]]);
        }
      G = k_i > 0 ? G / k_i : 0.0;
      P = p[CD_PARAM_PRESSURE_ADMIN] * (has_superior ? hx / hsum : 0.0)
          + p[CD_PARAM_PRESSURE_CRISIS] * net->v[i]
            * (S[i] + (k_i > 0 ? shared / k_i : 0.0) + worst);
      T = p[CD_PARAM_THRUST_INFO] * (k_i > 0 ? info / k_i : 0.0)
          + p[CD_PARAM_THRUST_APPRAISAL] * has_superior;
      R = (1 - p[CD_PARAM_RESISTANCE_SUPERVISION]) * (1 - p[CD_PARAM_RESISTANCE_LAW])
          * (p[CD_PARAM_RESISTANCE_FRAGMENTATION] * net->f[i]
             + p[CD_PARAM_RESISTANCE_BURDEN] * (1 - p[CD_PARAM_RESISTANCE_COMPENSATION])
               * net->c[i] * (1 - net->v[i]));
      F = G + P + T - R;
      if (net->fixed[i])
        dydt[i] = 0.0;
      else if (rule == CD_RULE_LOGIT)
        dydt[i] = p[CD_PARAM_DYNAMICS_RATE] * (sigma (p[CD_PARAM_DYNAMICS_RATIONALITY] * F) - x[i]);
      else
        dydt[i] = p[CD_PARAM_DYNAMICS_RATE] * x[i] * (1 - x[i]) * F;
      loss += net->v[i] * S[i] * (1 - x[i] * (net->c[i] + draw) / (1 + k_i));
    }
  for (guint e = 0; e < net->n_pairs; e++)
    {
      double both = x[net->pa[e]] * x[net->pb[e]];
      dydt[n + e] = p[CD_PARAM_DYNAMICS_TRUST_GAIN] * (1.0 + net->iota[e]) * both * (1.0 - tau[e])
                    - p[CD_PARAM_DYNAMICS_TRUST_DECAY] * (1.0 - both) * tau[e];
    }
  dydt[n + net->n_pairs] = loss;
}

/* The right-hand side's layout (one record per node and per half-edge,
 * single superiors without a loop, clearing only impacted severities, the
 * trust rates in the node loop) against the plain equations, on random
 * networks with several superiors and subordinates, fixed nodes, events and
 * a policy change; one workspace throughout, pieces taken out of order, so
 * that a cached term left from another piece shows. */
static void
test_rhs_random_networks (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  guint several = 0, crises = 0;

  for (guint m = 0; m < 300; m++)
    {
      RandomNet net;
      gboolean replicator = m % 3 == 2;
      g_autofree char *json = random_net_json (rand, &net, replicator);
      g_autoptr(CdModel) model = load (json);
      g_autoptr(CdSystem) sys = compile (model);
      g_autoptr(CdWorkspace) ws = cd_workspace_new (sys);
      double y[24 + 60 + 1], dydt[24 + 60 + 1], expected[24 + 60 + 1];
      double g[24], pr[24], th[24], r[24], g2[24], pr2[24], th2[24], r2[24];
      CdForces forces = { g, pr, th, r }, forces2 = { g2, pr2, th2, r2 };

      g_assert_cmpuint (cd_system_get_n_state (sys), ==, net.n + net.n_pairs + 1);
      for (guint i = 0; i < net.n; i++)
        several += cd_system_get_n_superiors (sys, i) > 1;
      for (guint round = 0; round < 2 * cd_system_get_n_pieces (sys) + 1; round++)
        {
          /* last piece first, then back to the start, then forward */
          guint n_pieces = cd_system_get_n_pieces (sys);
          guint pc = round == 0 ? n_pieces - 1 : (round - 1) % n_pieces;
          const CdPiece *piece = cd_system_get_piece (sys, pc);
          double t = piece->t_start + g_rand_double (rand) * 0.2;

          g_assert_cmpuint (cd_system_piece_at (sys, t), ==, pc);
          crises += piece->n_active_events > 0;
          for (guint s = 0; s + 1 < cd_system_get_n_state (sys); s++)
            y[s] = g_rand_double (rand);
          y[cd_system_get_n_state (sys) - 1] = 0.0;
          reference_rates (&net, piece->params, cd_system_get_rule (sys), t, y, expected);
          cd_system_evaluate (sys, piece, t, y, dydt, &forces, ws);
          for (guint s = 0; s < cd_system_get_n_state (sys); s++)
            {
              /* the trust rates too: where the processor has FMA the node
               * loop fuses their multiply-adds */
              if (fabs (dydt[s] - expected[s]) > 1e-12 * MAX (1.0, fabs (expected[s])))
                g_error ("model %u (%s), piece %u, state %u: %.17g, expected %.17g\n%s", m,
                         replicator ? "replicator" : "logit", pc, s, dydt[s], expected[s],
                         json);
            }
          /* Forces alone (no rates) are the same forces. */
          cd_system_evaluate (sys, piece, t, y, NULL, &forces2, ws);
          for (guint i = 0; i < net.n; i++)
            {
              g_assert_cmpfloat (g2[i], ==, g[i]);
              g_assert_cmpfloat (pr2[i], ==, pr[i]);
              g_assert_cmpfloat (th2[i], ==, th[i]);
              g_assert_cmpfloat (r2[i], ==, r[i]);
            }
        }
    }
  /* The random networks did exercise what they are for. */
  g_assert_cmpuint (several, >, 100);
  g_assert_cmpuint (crises, >, 200);
}

/* ---- breakpoints ------------------------------------------------------------- */

static const char *const breakpoint_model =
  "{ \"parameters\": { \"dynamics\": { \"rule\": \"%s\" } },"
  "  \"simulation\": { \"t_end\": 5, \"dt\": 0.25 },"
  "  \"nodes\": [ { \"id\": \"a\", \"x0\": 0.3, \"vulnerability\": 0.6 },"
  "               { \"id\": \"b\", \"x0\": 0.2, \"vulnerability\": 0.7 } ],"
  "  \"edges\": [ { \"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\","
  "                 \"info\": 0.4 } ]"
  "  %s }";

typedef struct
{
  GArray *piece;
} PieceLog;

static gboolean
log_piece (const CdSample *s,
           gpointer        user_data,
           GError        **error)
{
  PieceLog *log = user_data;
  g_array_append_val (log->piece, s->piece);
  return TRUE;
}

static GArray *
pieces_of (const char *json)
{
  g_autoptr(CdModel) model = load (json);
  g_autoptr(CdSystem) sys = compile (model);
  g_autoptr(GError) error = NULL;
  PieceLog log = { g_array_new (FALSE, FALSE, sizeof (guint)) };

  g_assert_true (cd_simulate (sys, NULL, log_piece, &log, NULL, &error));
  g_assert_no_error (error);
  return log.piece;
}

static void
assert_rows_identical (const CdTrajectory *a,
                       const CdTrajectory *b,
                       guint               k)
{
  gsize n = a->n_nodes, m = a->n_partnerships;

  g_assert_cmpmem (a->x + k * n, n * sizeof (double), b->x + k * n, n * sizeof (double));
  g_assert_cmpmem (a->trust + k * m, m * sizeof (double), b->trust + k * m, m * sizeof (double));
  g_assert_cmpmem (&a->loss[k], sizeof (double), &b->loss[k], sizeof (double));
  g_assert_cmpmem (&a->mean_coordination[k], sizeof (double),
                   &b->mean_coordination[k], sizeof (double));
}

static void
assert_forces_identical (const CdTrajectory *a,
                         const CdTrajectory *b,
                         guint               k)
{
  gsize n = a->n_nodes;

  g_assert_cmpmem (a->gravity + k * n, n * sizeof (double), b->gravity + k * n,
                   n * sizeof (double));
  g_assert_cmpmem (a->pressure + k * n, n * sizeof (double), b->pressure + k * n,
                   n * sizeof (double));
  g_assert_cmpmem (a->thrust + k * n, n * sizeof (double), b->thrust + k * n, n * sizeof (double));
  g_assert_cmpmem (a->resistance + k * n, n * sizeof (double), b->resistance + k * n,
                   n * sizeof (double));
}

/* An event at t_k changes nothing before t_k (bit for bit against the same
 * model without it), the sample at t_k already reports its crisis in the
 * forces (same state, new piece), and the run diverges after it. */
static void
test_breakpoint_event (gconstpointer data)
{
  const char *rule = data;
  const double onsets[] = { 2.5, 2.6 };
  g_autofree char *plain_json = g_strdup_printf (breakpoint_model, rule, "");
  g_autoptr(CdTrajectory) plain = run_json (plain_json, TRUE);

  for (guint o = 0; o < G_N_ELEMENTS (onsets); o++)
    {
      char onset[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *events = g_strdup_printf (
        ", \"events\": [ { \"onset\": %s, \"magnitude\": 2, \"decay\": 3,"
        "                  \"impact\": { \"b\": 0.5 } } ]",
        g_ascii_dtostr (onset, sizeof onset, onsets[o]));
      g_autofree char *json = g_strdup_printf (breakpoint_model, rule, events);
      g_autoptr(CdTrajectory) tr = run_json (json, TRUE);
      g_autoptr(GArray) pieces = pieces_of (json);
      guint first_after = 0;

      for (guint k = 0; k < tr->n_samples; k++)
        {
          if (tr->t[k] < onsets[o])
            {
              assert_rows_identical (tr, plain, k);
              assert_forces_identical (tr, plain, k);
              g_assert_cmpuint (g_array_index (pieces, guint, k), ==, 0);
            }
          else
            {
              g_assert_cmpuint (g_array_index (pieces, guint, k), ==, 1);
              if (first_after == 0)
                first_after = k;
            }
        }
      g_assert_cmpuint (first_after, ==, onsets[o] == 2.5 ? 10 : 11);
      if (onsets[o] == 2.5)
        {
          /* At the breakpoint: the state has not moved yet, the forces are
           * the new piece's. S_b = m a e^0 = 1; C_b = S_b; C_a = ι S_b / k_a. */
          assert_rows_identical (tr, plain, 10);
          g_assert_cmpfloat_with_epsilon (tr->pressure[10 * 2 + 1] - plain->pressure[10 * 2 + 1],
                                          2.0 * 0.7 * 1.0, 1e-12);
          g_assert_cmpfloat_with_epsilon (tr->pressure[10 * 2 + 0] - plain->pressure[10 * 2 + 0],
                                          2.0 * 0.6 * 0.4 * 1.0, 1e-12);
          g_assert_cmpfloat (tr->loss[10], ==, 0.0);
        }
      /* full effect after: more pressure, more coordination, a loss */
      g_assert_cmpfloat (tr->x[(first_after + 1) * 2 + 1], >, plain->x[(first_after + 1) * 2 + 1]);
      g_assert_cmpfloat (tr->loss[first_after + 1], >, 0.0);
      g_assert_cmpfloat (plain->loss[first_after + 1], ==, 0.0);
    }
}

/* The same for a policy change: resistance.law = 0.5 halves R from 2.5 on. */
static void
test_breakpoint_intervention (gconstpointer data)
{
  const char *rule = data;
  g_autofree char *plain_json = g_strdup_printf (breakpoint_model, rule, "");
  g_autofree char *json = g_strdup_printf (breakpoint_model, rule,
    ", \"interventions\": [ { \"at\": 2.5, \"set\": { \"resistance.law\": 0.5 } } ]");
  g_autoptr(CdTrajectory) plain = run_json (plain_json, TRUE);
  g_autoptr(CdTrajectory) tr = run_json (json, TRUE);
  g_autoptr(GArray) pieces = pieces_of (json);

  for (guint k = 0; k < tr->n_samples; k++)
    {
      if (tr->t[k] < 2.5)
        {
          assert_rows_identical (tr, plain, k);
          assert_forces_identical (tr, plain, k);
          g_assert_cmpuint (g_array_index (pieces, guint, k), ==, 0);
        }
      else
        {
          g_assert_cmpuint (g_array_index (pieces, guint, k), ==, 1);
          for (guint i = 0; i < 2; i++)
            g_assert_cmpfloat_with_epsilon (tr->resistance[k * 2 + i],
                                            0.5 * plain->resistance[k * 2 + i], 1e-14);
        }
    }
  g_assert_cmpfloat (tr->t[10], ==, 2.5);
  assert_rows_identical (tr, plain, 10);
  /* with R halved, coordination rises faster from 2.5 on */
  g_assert_cmpfloat (tr->x[11 * 2 + 0], >, plain->x[11 * 2 + 0]);
  g_assert_cmpfloat (tr->x[20 * 2 + 1], >, plain->x[20 * 2 + 1]);
}

/* Interventions apply by `at`, and in file order at equal times; a later
 * one in the file with an earlier time still comes first. */
static void
test_intervention_order (void)
{
  const char *orders[][2] = {
    { "0.2", "0.6" },
    { "0.6", "0.2" },
  };

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autofree char *ivs = g_strdup_printf (
        ", \"interventions\": ["
        "    { \"at\": 4, \"set\": { \"resistance.law\": 0.9 } },"
        "    { \"at\": 2.5, \"set\": { \"resistance.law\": %s, \"resistance.supervision\": 0.5 } },"
        "    { \"at\": 2.5, \"set\": { \"resistance.law\": %s } } ]",
        orders[o][0], orders[o][1]);
      g_autofree char *json = g_strdup_printf (breakpoint_model, "logit", ivs);
      g_autoptr(CdModel) model = load (json);
      g_autoptr(CdTrajectory) tr = run_model (model, TRUE, CD_STEPPER_RK8PD);
      double last = g_ascii_strtod (orders[o][1], NULL);
      /* R_a with defaults: r_f f + r_b c (1 − v) = 2·0.5 + 1·0.5·0.4 */
      double base = 2.0 * 0.5 + 1.0 * 0.5 * (1 - 0.6);
      CdParameters at;

      for (guint k = 0; k < tr->n_samples; k++)
        {
          double t = tr->t[k], expected;
          if (t < 2.5)
            expected = base;
          else if (t < 4)
            expected = (1 - 0.5) * (1 - last) * base;
          else
            expected = (1 - 0.5) * (1 - 0.9) * base;
          g_assert_cmpfloat_with_epsilon (tr->resistance[k * 2 + 0], expected, 1e-14);
        }
      cd_model_parameters_at (model, 3.0, &at);
      g_assert_cmpfloat (at.values[CD_PARAM_RESISTANCE_LAW], ==, last);
      cd_model_parameters_at (model, 2.4999, &at);
      g_assert_cmpfloat (at.values[CD_PARAM_RESISTANCE_LAW], ==, 0.0);
    }
}

/* ---- run control ------------------------------------------------------------- */

typedef struct
{
  GCancellable *cancellable;
  guint         count;
  guint         cancel_at;
} CancelData;

static gboolean
cancel_after (const CdSample *s,
              gpointer        user_data,
              GError        **error)
{
  CancelData *d = user_data;

  d->count++;
  if (s->index == d->cancel_at)
    g_cancellable_cancel (d->cancellable);
  return TRUE;
}

static void
test_cancel (void)
{
  g_autoptr(CdModel) model = load (forces_model);
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTrajectory) tr = NULL;
  CancelData d = { cancellable, 0, 3 };

  model->sim.t_end = 50;
  model->sim.dt = 0.1;
  sys = compile (model);
  g_assert_false (cd_simulate (sys, NULL, cancel_after, &d, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* samples 0…3 were delivered; the run stopped before sample 4 */
  g_assert_cmpuint (d.count, ==, 4);
  g_clear_error (&error);

  /* the trajectory form reports it too, and returns nothing */
  tr = cd_simulate_trajectory (sys, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (tr);
}

static gboolean
count_sample (const CdSample *s,
              gpointer        user_data,
              GError        **error)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static void
test_step_budget (void)
{
  g_autoptr(CdModel) model = load (forces_model);
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdTrajectory) tr = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  guint count = 0;

  model->sim.t_end = 50;
  sys = compile (model);
  opt.max_steps = 10;
  g_assert_false (cd_simulate (sys, &opt, count_sample, &count, NULL, &error));
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "10 steps"));
  g_assert_cmpuint (count, <, cd_run_n_samples (50, model->sim.dt));
  g_clear_error (&error);

  tr = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE);
  g_assert_null (tr);
  g_clear_error (&error);

  /* the default budget is ample for the same run */
  g_assert_true (cd_simulate (sys, NULL, count_sample, &count, NULL, &error));
  g_assert_no_error (error);
}

/* A consumer that fails stops the run with its own error. */
static gboolean
fail_at_two (const CdSample *s,
             gpointer        user_data,
             GError        **error)
{
  (*(guint *) user_data)++;
  if (s->index == 2)
    {
      g_set_error_literal (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT, "disk full");
      return FALSE;
    }
  return TRUE;
}

static void
test_consumer_failure (void)
{
  g_autoptr(CdModel) model = load (forces_model);
  g_autoptr(CdSystem) sys = compile (model);
  g_autoptr(GError) error = NULL;
  guint count = 0;

  g_assert_false (cd_simulate (sys, NULL, fail_at_two, &count, NULL, &error));
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT);
  g_assert_cmpuint (count, ==, 3);
}

/* Options t_end/dt override the model's; bad ones are refused, not run. */
static void
test_bad_options (void)
{
  g_autoptr(CdModel) model = load (forces_model);
  g_autoptr(CdSystem) sys = compile (model);
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  guint count = 0;

  opt.t_end = 1.0;
  opt.dt = 2.0;
  g_assert_false (cd_simulate (sys, &opt, count_sample, &count, NULL, &error));
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_FAILED);
  g_assert_cmpuint (count, ==, 0);
  g_clear_error (&error);

  opt.t_end = 2.0;
  opt.dt = 0.5;
  g_assert_true (cd_simulate (sys, &opt, count_sample, &count, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 5);
}

/* ---- trajectories ------------------------------------------------------------ */

typedef struct
{
  GArray *t, *mean, *loss, *x, *trust, *g, *p, *th, *r;
  guint   n, m;
} Stream;

static gboolean
stream_sample (const CdSample *s,
               gpointer        user_data,
               GError        **error)
{
  Stream *st = user_data;

  g_assert_cmpuint (s->index, ==, st->t->len);
  g_array_append_val (st->t, s->t);
  g_array_append_val (st->mean, s->mean_coordination);
  g_array_append_val (st->loss, s->loss);
  g_array_append_vals (st->x, s->x, st->n);
  g_array_append_vals (st->trust, s->trust, st->m);
  g_assert_nonnull (s->forces);
  g_array_append_vals (st->g, s->forces->gravity, st->n);
  g_array_append_vals (st->p, s->forces->pressure, st->n);
  g_array_append_vals (st->th, s->forces->thrust, st->n);
  g_array_append_vals (st->r, s->forces->resistance, st->n);
  return TRUE;
}

#define ASSERT_SAME(garray, ptr, count) \
  g_assert_cmpmem ((garray)->data, (garray)->len * sizeof (double), (ptr), \
                   (gsize) (count) * sizeof (double))

static void
test_trajectory_equals_stream (void)
{
  g_autoptr(CdModel) model = load (forces_model);
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(CdTrajectory) tr = NULL;
  g_autoptr(CdTrajectory) bare = NULL;
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  Stream st = { 0 };
  GArray **arrays[] = { &st.t, &st.mean, &st.loss, &st.x, &st.trust, &st.g, &st.p, &st.th,
                        &st.r };
  guint K, n = 5, m = 3;

  model->sim.t_end = 6;
  model->sim.dt = 0.2;
  sys = compile (model);
  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    *arrays[i] = g_array_new (FALSE, FALSE, sizeof (double));
  st.n = n;
  st.m = m;
  opt.forces = TRUE;
  opt.trust = TRUE;
  g_assert_true (cd_simulate (sys, &opt, stream_sample, &st, NULL, &error));
  g_assert_no_error (error);
  tr = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);

  K = cd_run_n_samples (6, 0.2);
  g_assert_cmpuint (K, ==, 31);
  g_assert_cmpuint (tr->n_samples, ==, K);
  g_assert_cmpuint (tr->n_nodes, ==, n);
  g_assert_cmpuint (tr->n_partnerships, ==, m);
  ASSERT_SAME (st.t, tr->t, K);
  ASSERT_SAME (st.mean, tr->mean_coordination, K);
  ASSERT_SAME (st.loss, tr->loss, K);
  ASSERT_SAME (st.x, tr->x, K * n);
  ASSERT_SAME (st.trust, tr->trust, K * m);
  ASSERT_SAME (st.g, tr->gravity, K * n);
  ASSERT_SAME (st.p, tr->pressure, K * n);
  ASSERT_SAME (st.th, tr->thrust, K * n);
  ASSERT_SAME (st.r, tr->resistance, K * n);
  for (guint k = 0; k < K; k++)
    {
      double sum = 0;
      for (guint i = 0; i < n; i++)
        sum += tr->x[k * n + i];
      g_assert_cmpfloat_with_epsilon (tr->mean_coordination[k], sum / n, 1e-15);
    }

  /* Without forces or trust asked for, those arrays are absent and the
   * state is the same bits: asking for output does not change the run. */
  bare = cd_simulate_trajectory (sys, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (bare->trust);
  g_assert_null (bare->gravity);
  g_assert_null (bare->resistance);
  g_assert_cmpmem (bare->x, K * n * sizeof (double), tr->x, K * n * sizeof (double));
  g_assert_cmpmem (bare->loss, K * sizeof (double), tr->loss, K * sizeof (double));

  g_assert_cmpuint (cd_trajectory_index_at (tr, 0.0), ==, 0);
  g_assert_cmpuint (cd_trajectory_index_at (tr, 0.3), ==, 1);
  g_assert_cmpuint (cd_trajectory_index_at (tr, tr->t[7]), ==, 7);
  g_assert_cmpuint (cd_trajectory_index_at (tr, 100), ==, K - 1);

  for (guint i = 0; i < G_N_ELEMENTS (arrays); i++)
    g_array_unref (*arrays[i]);
}

/* cd_simulate_trajectory_reusing() into the arrays of an earlier run,
 * larger, smaller or without forces and trust, gives the bits of a fresh
 * run; a failed run takes the arrays all the same (ASan would see a leak
 * or a double free). */
static void
test_trajectory_reusing (void)
{
  g_autoptr(CdModel) model = load (forces_model);
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(CdTrajectory) fresh = NULL;
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  CdTrajectory *reused = NULL;
  const double times[] = { 0.0, 1.2, 2.4, 5.8 };
  guint n = 5, m = 3;

  model->sim.t_end = 6;
  model->sim.dt = 0.2;
  sys = compile (model);
  opt.forces = TRUE;
  opt.trust = TRUE;
  fresh = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);
  /* bare, then with everything (larger), then 4 samples (smaller), then all again */
  reused = cd_simulate_trajectory_reusing (sys, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  reused = cd_simulate_trajectory_reusing (sys, &opt, reused, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reused->n_samples, ==, fresh->n_samples);
  g_assert_cmpmem (reused->x, fresh->n_samples * n * sizeof (double), fresh->x,
                   fresh->n_samples * n * sizeof (double));
  g_assert_cmpmem (reused->trust, fresh->n_samples * m * sizeof (double), fresh->trust,
                   fresh->n_samples * m * sizeof (double));
  g_assert_cmpmem (reused->resistance, fresh->n_samples * n * sizeof (double),
                   fresh->resistance, fresh->n_samples * n * sizeof (double));
  opt.times = times;
  opt.n_times = G_N_ELEMENTS (times);
  reused = cd_simulate_trajectory_reusing (sys, &opt, reused, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reused->n_samples, ==, 4);
  g_assert_cmpfloat (reused->t[3], ==, 5.8);
  opt.times = NULL;
  opt.n_times = 0;
  reused = cd_simulate_trajectory_reusing (sys, &opt, reused, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (reused->gravity, fresh->n_samples * n * sizeof (double), fresh->gravity,
                   fresh->n_samples * n * sizeof (double));
  g_assert_cmpmem (reused->loss, fresh->n_samples * sizeof (double), fresh->loss,
                   fresh->n_samples * sizeof (double));
  /* a run that fails (too many samples) frees what it was given */
  opt.dt = 1e-12;
  opt.t_end = 1e9;
  g_assert_null (cd_simulate_trajectory_reusing (sys, &opt, reused, NULL, &error));
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE);
}

/* Two runs of the same system, also from two threads at once, give the same bits. */
static gpointer
run_thread (gpointer data)
{
  return cd_simulate_trajectory (data, NULL, NULL, NULL);
}

static void
test_deterministic_threads (void)
{
  g_autoptr(CdModel) model = load (forces_model);
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(CdTrajectory) a = NULL;
  g_autoptr(CdTrajectory) b = NULL;
  GThread *thread;

  model->sim.t_end = 10;
  sys = compile (model);
  thread = g_thread_new ("run", run_thread, sys);
  a = cd_simulate_trajectory (sys, NULL, NULL, NULL);
  b = g_thread_join (thread);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpmem (a->x, a->n_samples * a->n_nodes * sizeof (double),
                   b->x, b->n_samples * b->n_nodes * sizeof (double));
  g_assert_cmpmem (a->loss, a->n_samples * sizeof (double), b->loss,
                   b->n_samples * sizeof (double));
}

/* ---- nothing non-finite is ever reported ---------------------------------------- */

typedef struct
{
  guint  n;
  double first_bad_t;
  char  *first_bad;
} FiniteCheck;

static void
note_value (FiniteCheck *c,
            const char  *what,
            double       t,
            double       v)
{
  if (!isfinite (v) && c->first_bad == NULL)
    {
      c->first_bad = g_strdup_printf ("%s = %g at t = %g", what, v, t);
      c->first_bad_t = t;
    }
}

static gboolean
check_finite (const CdSample *s,
              gpointer        user_data,
              GError        **error)
{
  FiniteCheck *c = user_data;

  note_value (c, "mean_coordination", s->t, s->mean_coordination);
  note_value (c, "loss", s->t, s->loss);
  for (guint i = 0; i < c->n; i++)
    {
      note_value (c, "x", s->t, s->x[i]);
      note_value (c, "G", s->t, s->forces->gravity[i]);
      note_value (c, "P", s->t, s->forces->pressure[i]);
      note_value (c, "T", s->t, s->forces->thrust[i]);
      note_value (c, "R", s->t, s->forces->resistance[i]);
    }
  return TRUE;
}

/* Valid files whose numbers are extreme: a run either reports finite
 * values only or stops with CD_SIMULATE_ERROR_NOT_FINITE — NaN and inf
 * must never reach a sample consumer (the CSV, the screen). */
static void
test_non_finite_never_reported (void)
{
  const struct { const char *why; const char *json; } cases[] = {
    /* 1/d_k overflows to inf for a subnormal decay time, and at t = t_k
     * (t − t_k)·(1/d_k) = 0·inf = NaN although e^(−0/d) = 1 exactly */
    { "subnormal decay",
      "{ \"simulation\": { \"t_end\": 1, \"dt\": 0.5 }, \"nodes\": [ { \"id\": \"a\" } ],"
      "  \"events\": [ { \"onset\": 1, \"magnitude\": 1, \"decay\": 5e-324,"
      "                  \"impact\": { \"a\": 1 } } ] }" },
    /* p_c v C = 1e10 · 0.5 · 1e308 overflows while the state stays finite */
    { "overflowing pressure",
      "{ \"simulation\": { \"t_end\": 1, \"dt\": 0.5 }, \"nodes\": [ { \"id\": \"a\" } ],"
      "  \"parameters\": { \"pressure\": { \"crisis\": 1e10 } },"
      "  \"events\": [ { \"onset\": 1, \"magnitude\": 1e308, \"decay\": 1,"
      "                  \"impact\": { \"a\": 1 } } ] }" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CdModel) model = load (cases[i].json);
      g_autoptr(CdSystem) sys = compile (model);
      g_autoptr(GError) error = NULL;
      CdRunOptions opt = CD_RUN_OPTIONS_INIT;
      FiniteCheck c = { cd_system_get_n_nodes (sys), 0, NULL };
      gboolean ok;

      opt.forces = TRUE;
      ok = cd_simulate (sys, &opt, check_finite, &c, NULL, &error);
      if (c.first_bad != NULL)
        g_test_message ("FAIL %s: a sample reported %s", cases[i].why, c.first_bad);
      if (c.first_bad != NULL)
        g_test_fail_printf ("%s: a sample reported %s (run %s)", cases[i].why, c.first_bad,
                            ok ? "succeeded" : "failed");
      else if (!ok)
        g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_NOT_FINITE);
      g_free (c.first_bad);
    }
}

/* Samples at given times (observed data): on the grid they are the grid's
 * samples, bit for bit; off it, the interpolant agrees with a run that
 * lands there; across a breakpoint the new piece is reported; times that
 * do not increase, or leave [0, t_end], are refused. */
static void
test_sample_times (void)
{
  g_autofree char *json = g_strdup_printf (breakpoint_model, "logit",
    ", \"events\": [ { \"onset\": 1.5, \"magnitude\": 2, \"decay\": 1,"
    "                 \"impact\": { \"a\": 1 } } ]");
  g_autoptr(CdModel) model = load (json);
  g_autoptr(CdSystem) sys = compile (model);
  g_autoptr(CdTrajectory) grid = NULL;
  g_autoptr(CdTrajectory) at = NULL;
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  const double on_grid[] = { 0.0, 0.5, 1.5, 2.75, 5.0 };
  const guint grid_index[] = { 0, 2, 6, 11, 20 };
  const double off_grid[] = { 0.013, 1.234, 1.5, 3.999 };
  const double bad[][2] = { { 0.5, 0.5 }, { 0.7, 0.2 }, { -0.1, 1 }, { 1, 5.5 } };

  opt.trust = TRUE;
  grid = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);
  opt.times = on_grid;
  opt.n_times = G_N_ELEMENTS (on_grid);
  at = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at->n_samples, ==, G_N_ELEMENTS (on_grid));
  for (guint i = 0; i < G_N_ELEMENTS (on_grid); i++)
    {
      g_assert_cmpfloat (at->t[i], ==, on_grid[i]);
      g_assert_cmpfloat (at->x[2 * i], ==, grid->x[2 * grid_index[i]]);
      g_assert_cmpfloat (at->x[2 * i + 1], ==, grid->x[2 * grid_index[i] + 1]);
      g_assert_cmpfloat (at->trust[i], ==, grid->trust[grid_index[i]]);
      g_assert_cmpfloat (at->loss[i], ==, grid->loss[grid_index[i]]);
    }
  g_clear_pointer (&at, cd_trajectory_free);

  opt.times = off_grid;
  opt.n_times = G_N_ELEMENTS (off_grid);
  at = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (off_grid); i++)
    {
      g_autoptr(CdTrajectory) landed = NULL;
      CdRunOptions to = CD_RUN_OPTIONS_INIT;
      guint last;

      to.t_end = off_grid[i];
      to.dt = off_grid[i];
      to.trust = TRUE;
      landed = cd_simulate_trajectory (sys, &to, NULL, &error);
      g_assert_no_error (error);
      last = landed->n_samples - 1;
      g_assert_cmpfloat (landed->t[last], ==, off_grid[i]);
      g_assert_cmpfloat_with_epsilon (at->x[2 * i], landed->x[2 * last], TOL);
      g_assert_cmpfloat_with_epsilon (at->x[2 * i + 1], landed->x[2 * last + 1], TOL);
      g_assert_cmpfloat_with_epsilon (at->loss[i], landed->loss[last], TOL);
      g_assert_cmpfloat_with_epsilon (at->trust[i], landed->trust[last], TOL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;

      opt.times = bad[i];
      opt.n_times = 2;
      g_assert_null (cd_simulate_trajectory (sys, &opt, NULL, &bad_error));
      g_assert_error (bad_error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_FAILED);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/simulate/closed-form/logit-constant-force", test_logit_constant_force);
  g_test_add_func ("/engine/simulate/closed-form/replicator-logistic", test_replicator_logistic);
  g_test_add_func ("/engine/simulate/closed-form/replicator-corners", test_replicator_corners);
  g_test_add_data_func ("/engine/simulate/closed-form/fixed-node/logit", "logit",
                        test_fixed_node);
  g_test_add_data_func ("/engine/simulate/closed-form/fixed-node/replicator", "replicator",
                        test_fixed_node);
  g_test_add_func ("/engine/simulate/closed-form/trust", test_trust_closed_form);
  g_test_add_func ("/engine/simulate/closed-form/loss", test_loss_closed_form);
  g_test_add_func ("/engine/simulate/forces-at-zero", test_forces_at_zero);
  g_test_add_func ("/engine/simulate/rates-every-node", test_rates_every_node);
  g_test_add_func ("/engine/simulate/rhs-random-networks", test_rhs_random_networks);
  g_test_add_data_func ("/engine/simulate/breakpoint/event/logit", "logit",
                        test_breakpoint_event);
  g_test_add_data_func ("/engine/simulate/breakpoint/event/replicator", "replicator",
                        test_breakpoint_event);
  g_test_add_data_func ("/engine/simulate/breakpoint/intervention/logit", "logit",
                        test_breakpoint_intervention);
  g_test_add_data_func ("/engine/simulate/breakpoint/intervention/replicator", "replicator",
                        test_breakpoint_intervention);
  g_test_add_func ("/engine/simulate/breakpoint/intervention-order", test_intervention_order);
  g_test_add_func ("/engine/simulate/cancel", test_cancel);
  g_test_add_func ("/engine/simulate/step-budget", test_step_budget);
  g_test_add_func ("/engine/simulate/consumer-failure", test_consumer_failure);
  g_test_add_func ("/engine/simulate/bad-options", test_bad_options);
  g_test_add_func ("/engine/simulate/trajectory-equals-stream", test_trajectory_equals_stream);
  g_test_add_func ("/engine/simulate/trajectory-reusing", test_trajectory_reusing);
  g_test_add_func ("/engine/simulate/sample-times", test_sample_times);
  g_test_add_func ("/engine/simulate/deterministic-threads", test_deterministic_threads);
  g_test_add_func ("/engine/simulate/non-finite-never-reported", test_non_finite_never_reported);

  return g_test_run ();
}
