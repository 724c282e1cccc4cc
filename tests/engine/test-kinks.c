/* test-kinks.c — the corners of the right-hand side (cd-kinks.c) and runs
 * across them.
 *
 * The worst crisis reported up to a government, max_d h_d S_d(t), switches
 * from one subordinate to another at times that follow from the events
 * alone; here they are worked out independently (closed form, or a plain
 * scan and bisection of the same sums of exponentials) and compared, and a
 * run across such a switch is compared with a much tighter one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "cd-kinks.h"
#include "cd-model-json.h"
#include "cd-simulate.h"
#include "cd-system-private.h"

static CdModel *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_data (json, strlen (json), &error);

  g_assert_no_error (error);
  return model;
}

static CdSystem *
compile (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load (json);
  CdSystem *sys = cd_system_new (model, &error);

  g_assert_no_error (error);
  return sys;
}

/* s commands a and b; a is hit by a fast emergency, b by a slow one, both
 * from t = 0: h_a S_a = 0.8 · 2.5 e^{−t} = 2 e^{−t}, h_b S_b = 1 · e^{−t/5}.
 * They cross where 2 e^{−t} = e^{−t/5}: t = ln 2 / 0.8. */
static const char *two_subordinates =
  "{ \"simulation\": { \"t_end\": 4, \"dt\": 0.1 },"
  "  \"nodes\": [ { \"id\": \"s\" }, { \"id\": \"a\" }, { \"id\": \"b\" } ],"
  "  \"edges\": [ { \"kind\": \"command\", \"source\": \"s\", \"target\": \"a\","
  "                 \"weight\": 0.8 },"
  "               { \"kind\": \"command\", \"source\": \"s\", \"target\": \"b\" } ],"
  "  \"events\": [ { \"onset\": 0, \"magnitude\": 2.5, \"decay\": 1,"
  "                  \"impact\": { \"a\": 1 } },"
  "                { \"onset\": 0, \"magnitude\": 1, \"decay\": 5,"
  "                  \"impact\": { \"b\": 1 } } ] }";

static void
test_closed_form (void)
{
  g_autoptr(CdSystem) sys = compile (two_subordinates);
  g_autoptr(GArray) corners = NULL;

  g_assert_cmpuint (sys->n_pieces, ==, 1);
  corners = cd_system_corners (sys, 0, 4.0);
  g_assert_cmpuint (corners->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (g_array_index (corners, CdCorner, 0).t, log (2.0) / 0.8,
                                  1e-13);

  /* A piece that ends before the switch has none. */
  g_array_unref (corners);
  corners = cd_system_corners (sys, 0, 0.5);
  g_assert_cmpuint (corners->len, ==, 0);
}

/* No crisis pressure, or one shape of emergency only: nothing switches. */
static void
test_none (void)
{
  const char *no_pressure =
    "{ \"parameters\": { \"pressure\": { \"crisis\": 0 } },"
    "  \"nodes\": [ { \"id\": \"s\" }, { \"id\": \"a\" }, { \"id\": \"b\" } ],"
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"s\", \"target\": \"a\" },"
    "               { \"kind\": \"command\", \"source\": \"s\", \"target\": \"b\" } ],"
    "  \"events\": [ { \"onset\": 0, \"magnitude\": 2.5, \"decay\": 1,"
    "                  \"impact\": { \"a\": 1 } },"
    "                { \"onset\": 0, \"magnitude\": 1, \"decay\": 5,"
    "                  \"impact\": { \"b\": 1 } } ] }";
  const char *one_decay =
    "{ \"nodes\": [ { \"id\": \"s\" }, { \"id\": \"a\" }, { \"id\": \"b\" } ],"
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"s\", \"target\": \"a\" },"
    "               { \"kind\": \"command\", \"source\": \"s\", \"target\": \"b\" } ],"
    "  \"events\": [ { \"onset\": 0, \"magnitude\": 2.5, \"decay\": 2,"
    "                  \"impact\": { \"a\": 1 } },"
    "                { \"onset\": 1, \"magnitude\": 1, \"decay\": 2,"
    "                  \"impact\": { \"b\": 1 } } ] }";
  const char *jsons[] = { no_pressure, one_decay };

  for (guint j = 0; j < G_N_ELEMENTS (jsons); j++)
    {
      g_autoptr(CdSystem) sys = compile (jsons[j]);

      for (guint p = 0; p < sys->n_pieces; p++)
        {
          g_autoptr(GArray) corners = cd_system_corners (sys, p, 50.0);
          g_assert_cmpuint (corners->len, ==, 0);
        }
    }
}

/* h_d S_d(t) of subordinate q of node i, computed plainly. */
static double
report (const CdSystem *sys,
        guint           q,
        guint           n_active,
        double          t)
{
  guint d = sys->subordinate_node[q];
  double s = 0.0;

  for (guint k = 0; k < n_active; k++)
    for (guint j = sys->impact_start[k]; j < sys->impact_start[k + 1]; j++)
      if (sys->impact_node[j] == d)
        s += sys->event_magnitude[k] * sys->impact_a[j]
             * exp (-(t - sys->event_onset[k]) * sys->event_inv_decay[k]);
  return sys->subordinate_weight[q] * s;
}

/* The switching times of node 0's worst subordinate in [a, b], by a scan on
 * a fine grid and bisection: an independent count of what cd_system_corners
 * should find. */
static GArray *
scan (const CdSystem *sys,
      guint           piece,
      double          a,
      double          b)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_active = sys->pieces[piece].n_active_events;
  guint from = sys->subordinate_start[0], to = sys->subordinate_start[1];
  const guint steps = 200000;
  guint prev = G_MAXUINT;
  double t_prev = a;

  for (guint j = 0; j <= steps; j++)
    {
      double t = a + (b - a) * j / steps;
      guint best = from;

      for (guint q = from; q < to; q++)
        if (report (sys, q, n_active, t) > report (sys, best, n_active, t))
          best = q;
      if (prev != G_MAXUINT && best != prev)
        {
          double lo = t_prev, hi = t;

          for (guint it = 0; it < 100; it++)
            {
              double mid = 0.5 * (lo + hi);
              if (report (sys, best, n_active, mid) > report (sys, prev, n_active, mid))
                hi = mid;
              else
                lo = mid;
            }
          g_array_append_val (out, hi);
        }
      prev = best;
      t_prev = t;
    }
  return out;
}

static void
check_against_scan (const char *json,
                    guint       expected)
{
  g_autoptr(CdSystem) sys = compile (json);
  g_autoptr(GArray) corners = cd_system_corners (sys, sys->n_pieces - 1, 40.0);
  g_autoptr(GArray) scanned = scan (sys, sys->n_pieces - 1,
                                    sys->pieces[sys->n_pieces - 1].t_start, 40.0);

  g_assert_cmpuint (scanned->len, ==, expected);
  g_assert_cmpuint (corners->len, ==, scanned->len);
  for (guint j = 0; j < corners->len; j++)
    g_assert_cmpfloat_with_epsilon (g_array_index (corners, CdCorner, j).t,
                                    g_array_index (scanned, double, j), 1e-9);
}

/* Three rates: a leads, b overtakes, a leads again (two roots of one
 * difference); a third subordinate c never leads. */
static void
test_two_switches (void)
{
  const char *json =
    "{ \"nodes\": [ { \"id\": \"s\" }, { \"id\": \"a\" }, { \"id\": \"b\" },"
    "               { \"id\": \"c\" } ],"
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"s\", \"target\": \"a\" },"
    "               { \"kind\": \"command\", \"source\": \"s\", \"target\": \"b\" },"
    "               { \"kind\": \"command\", \"source\": \"s\", \"target\": \"c\","
    "                 \"weight\": 0.1 } ],"
    "  \"events\": [ { \"onset\": 0, \"magnitude\": 1, \"decay\": 1,"
    "                  \"impact\": { \"a\": 1 } },"
    "                { \"onset\": 0, \"magnitude\": 0.1, \"decay\": 10,"
    "                  \"impact\": { \"a\": 1, \"c\": 1 } },"
    "                { \"onset\": 0, \"magnitude\": 0.6, \"decay\": 3,"
    "                  \"impact\": { \"b\": 1 } } ] }";

  check_against_scan (json, 2);
}

/* More decay rates than the exact root isolation takes: the grid finds the
 * switch all the same. */
static void
test_many_rates (void)
{
  GString *json = g_string_new (
    "{ \"nodes\": [ { \"id\": \"s\" }, { \"id\": \"a\" }, { \"id\": \"b\" } ],"
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"s\", \"target\": \"a\" },"
    "               { \"kind\": \"command\", \"source\": \"s\", \"target\": \"b\" } ],"
    "  \"events\": [ { \"onset\": 0, \"magnitude\": 1, \"decay\": 20,"
    "                  \"impact\": { \"b\": 1 } }");

  for (guint k = 0; k < 11; k++)
    g_string_append_printf (json,
                            ", { \"onset\": 0, \"magnitude\": 0.3, \"decay\": %u,"
                            "    \"impact\": { \"a\": 1 } }", k + 1);
  g_string_append (json, " ] }");
  check_against_scan (json->str, 1);
  g_string_free (json, TRUE);
}

/* The largest difference, in x and the loss, between a run of the model
 * with the default stepper (its costs into *stats) and rk8pd at a
 * tolerance 10^5 times tighter. */
static double
worst_against_rk8pd (CdModel    *model,
                     CdRunStats *stats)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdSystem) tight = NULL;
  g_autoptr(CdTrajectory) run = NULL;
  g_autoptr(CdTrajectory) ref = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  double rtol = model->sim.rtol, atol = model->sim.atol, worst = 0.0;

  g_assert_no_error (error);
  opt.trust = TRUE;
  opt.stats = stats;
  run = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);
  model->sim.rtol = 1e-13;
  model->sim.atol = 1e-15;
  tight = cd_system_new (model, &error);
  model->sim.rtol = rtol;
  model->sim.atol = atol;
  g_assert_no_error (error);
  opt.stats = NULL;
  opt.stepper = CD_STEPPER_RK8PD;
  ref = cd_simulate_trajectory (tight, &opt, NULL, &error);
  g_assert_no_error (error);
  for (gsize j = 0; j < (gsize) run->n_samples * run->n_nodes; j++)
    worst = MAX (worst, fabs (run->x[j] - ref->x[j]));
  for (guint k = 0; k < run->n_samples; k++)
    worst = MAX (worst, fabs (run->loss[k] - ref->loss[k]));
  return worst;
}

/* A run across the switch agrees with rk8pd. */
static void
test_run_across (void)
{
  g_autoptr(CdModel) model = load (two_subordinates);
  double worst = worst_against_rk8pd (model, NULL);

  g_test_message ("largest difference %.3g", worst);
  g_assert_cmpfloat (worst, <, 1e-7);
}

/* The corner's slope jump and the bound on how much d²x/dt² jumps there. */
static void
test_jump (void)
{
  g_autoptr(CdSystem) sys = compile (two_subordinates);
  g_autoptr(GArray) corners = cd_system_corners (sys, 0, 4.0);
  const CdCorner *c;
  const double *params = sys->pieces[0].params;
  double lambda = params[CD_PARAM_DYNAMICS_RATE], beta = params[CD_PARAM_DYNAMICS_RATIONALITY];
  double dF, y[3] = { 0.3, 0.5, 0.5 }, dydt[3] = { 0.0, 0.0, 0.0 }, sigma;

  g_assert_cmpuint (corners->len, ==, 1);
  c = &g_array_index (corners, CdCorner, 0);
  g_assert_cmpuint (c->node, ==, 0);
  g_assert_cmpfloat_with_epsilon (c->t, log (2.0) / 0.8, 1e-13);
  /* 2 e^{−t} and e^{−t/5} meet at v = 2^{−1/4}; the slope goes from −v to
   * −v/5 */
  g_assert_cmpfloat_with_epsilon (c->slope_jump, 0.8 * pow (2.0, -0.25), 1e-12);

  dF = params[CD_PARAM_PRESSURE_CRISIS] * sys->vulnerability[0] * c->slope_jump;
  g_assert_cmpfloat (dF, >, 0.0);
  /* without f(t, y): the largest slope of the logistic, β/4 */
  g_assert_cmpfloat_with_epsilon (cd_system_corner_jump (sys, 0, c, y, NULL),
                                  lambda * beta * 0.25 * dF, 1e-15);
  /* with it: σ(βF) = x + (dx/dt)/λ */
  dydt[0] = 0.4 * lambda;
  sigma = 0.7;
  g_assert_cmpfloat_with_epsilon (cd_system_corner_jump (sys, 0, c, y, dydt),
                                  lambda * beta * sigma * (1.0 - sigma) * dF, 1e-15);
  /* a government settled at x = 1 feels nothing of it */
  y[0] = 1.0;
  dydt[0] = 0.0;
  g_assert_cmpfloat (cd_system_corner_jump (sys, 0, c, y, dydt), ==, 0.0);
}

/* A run lands on a corner that matters and steps over one that cannot
 * (the crisis pressure a billion times weaker), and either run agrees with
 * rk8pd. */
static void
test_land_or_pass (void)
{
  static const struct { double crisis; guint64 landed, passed; } cases[] = {
    { 2.0, 1, 0 },
    { 2e-9, 0, 1 },
  };

  for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
    {
      g_autoptr(CdModel) model = load (two_subordinates);
      CdRunStats stats = { 0 };
      double worst;

      model->params.values[CD_PARAM_PRESSURE_CRISIS] = cases[j].crisis;
      worst = worst_against_rk8pd (model, &stats);
      g_test_message ("p_c %g: largest difference %.3g", cases[j].crisis, worst);
      g_assert_cmpuint (stats.corners_landed, ==, cases[j].landed);
      g_assert_cmpuint (stats.corners_passed, ==, cases[j].passed);
      g_assert_cmpfloat (worst, <, 1e-7);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/kinks/closed-form", test_closed_form);
  g_test_add_func ("/engine/kinks/none", test_none);
  g_test_add_func ("/engine/kinks/two-switches", test_two_switches);
  g_test_add_func ("/engine/kinks/many-rates", test_many_rates);
  g_test_add_func ("/engine/kinks/run-across", test_run_across);
  g_test_add_func ("/engine/kinks/jump", test_jump);
  g_test_add_func ("/engine/kinks/land-or-pass", test_land_or_pass);
  return g_test_run ();
}
