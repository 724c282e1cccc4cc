/* test-model-json.c — the model file: every error class with its place,
 * docs/model.md's defaults, lossless round trips and atomic saving.
 *
 * A researcher's only clue to a broken file is the message, so each case
 * asserts the exact place (`edges[3].target`) as well as the reason, and
 * that nothing at all was loaded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cd-atomic-file.h"
#include "cd-generate.h"
#include "cd-json.h"
#include "cd-model-json.h"
#include "cd-model-upgrade.h"
#include "cd-simulate.h"
#include "cd-system.h"

/* Cases are written with ' for " so that they stay readable. */
static char *
dq (const char *text)
{
  char *s = g_strdup (text);

  for (char *p = s; *p; p++)
    if (*p == '\'')
      *p = '"';
  return s;
}

static CdModel *
load_ok (const char *text)
{
  g_autofree char *json = dq (text);
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_data (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

/* Loads raw bytes that must fail with `code` and a message holding `needle`. */
static void
expect_error_bytes (const char *data,
                    gsize       length,
                    int         code,
                    const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = cd_model_load_data (data, length, &error);

  g_assert_null (model);
  g_assert_nonnull (error);
  if (!g_error_matches (error, CD_MODEL_ERROR, code) || strstr (error->message, needle) == NULL)
    g_test_message ("input: %.*s\nwanted code %d with \"%s\"\ngot code %d: %s",
                    (int) MIN (length, 400), data, code, needle, error->code, error->message);
  g_assert_error (error, CD_MODEL_ERROR, code);
  g_assert_nonnull (strstr (error->message, needle));
}

static void
expect_error (const char *text,
              int         code,
              const char *needle)
{
  g_autofree char *json = dq (text);
  g_autofree char *want = dq (needle);

  expect_error_bytes (json, strlen (json), code, want);
}

#define INVALID CD_MODEL_ERROR_INVALID
#define SYNTAX  CD_MODEL_ERROR_SYNTAX

#define NODE_A    "'nodes': [ { 'id': 'a' } ]"
#define NODES_AB  "'nodes': [ { 'id': 'a' }, { 'id': 'b' } ]"
#define NODES_ABC "'nodes': [ { 'id': 'a' }, { 'id': 'b' }, { 'id': 'c' } ]"

typedef struct
{
  const char *json;
  const char *needle;
} Case;

static void
run_cases (const Case *cases,
           guint       n,
           int         code)
{
  for (guint i = 0; i < n; i++)
    expect_error (cases[i].json, code, cases[i].needle);
}

static void
test_unknown_keys (void)
{
  const Case cases[] = {
    { "{ " NODE_A ", 'bogus': 1 }", "bogus: unknown key" },
    { "{ 'nodes': [ { 'id': 'a', 'colour': 'red' } ] }", "nodes[0].colour: unknown key" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b',"
      " 'colour': 1 } ] }", "edges[0].colour: unknown key" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 1, 'decay': 1, 'colour': 1 } ] }",
      "events[0].colour: unknown key" },
    { "{ " NODE_A ", 'parameters': { 'magic': { } } }", "parameters.magic: unknown key" },
    { "{ " NODE_A ", 'parameters': { 'gravity': { 'charm': 1 } } }",
      "parameters.gravity.charm: unknown key" },
    /* a real parameter in the wrong group is unknown there */
    { "{ " NODE_A ", 'parameters': { 'gravity': { 'admin': 1 } } }",
      "parameters.gravity.admin: unknown key" },
    { "{ " NODE_A ", 'simulation': { 'speed': 2 } }", "simulation.speed: unknown key" },
    { "{ " NODE_A ", 'interventions': [ { 'at': 1, 'when': 2 } ] }",
      "interventions[0].when: unknown key" },
    { "{ " NODE_A ", 'interventions': [ { 'at': 1, 'set': { 'gravity.charm': 1 } } ] }",
      "interventions[0].set.gravity.charm: no parameter 'gravity.charm'" },
    { "{ " NODE_A ", 'scenarios': [ { 'name': 's', 'colour': 1 } ] }",
      "scenarios[0].colour: unknown key" },
    { "{ " NODE_A ", 'ranges': { 'gravity.charm': { 'min': 0, 'max': 1 } } }",
      "ranges.gravity.charm: no numeric parameter 'gravity.charm'" },
  };
  run_cases (cases, G_N_ELEMENTS (cases), INVALID);
}

static void
test_wrong_types (void)
{
  const Case cases[] = {
    { "{ 'nodes': { } }", "nodes: expected an array, got an object" },
    { "{ 'nodes': [ 1 ] }", "nodes[0]: expected an object, got a number" },
    { "{ 'nodes': [ { 'id': 1 } ] }", "nodes[0].id: expected a string, got a number" },
    { "{ 'nodes': [ { 'id': 'a', 'name': true } ] }",
      "nodes[0].name: expected a string, got a boolean" },
    { "{ 'nodes': [ { 'id': 'a', 'level': 1 } ] }",
      "nodes[0].level: expected a string, got a number" },
    { "{ 'nodes': [ { 'id': 'a', 'capacity': '0.5' } ] }",
      "nodes[0].capacity: expected a number, got a string" },
    { "{ 'nodes': [ { 'id': 'a', 'vulnerability': null } ] }",
      "nodes[0].vulnerability: expected a number, got null" },
    { "{ 'nodes': [ { 'id': 'a', 'fragmentation': [ ] } ] }",
      "nodes[0].fragmentation: expected a number, got an array" },
    { "{ 'nodes': [ { 'id': 'a', 'x0': { } } ] }",
      "nodes[0].x0: expected a number, got an object" },
    { "{ 'nodes': [ { 'id': 'a', 'fixed': 1 } ] }",
      "nodes[0].fixed: expected true or false, got a number" },
    { "{ 'nodes': [ { 'id': 'a', 'fixed': 'true' } ] }",
      "nodes[0].fixed: expected true or false, got a string" },
    { "{ 'nodes': [ { 'id': 'a', 'pos': 'left' } ] }",
      "nodes[0].pos: expected an array [x, y], got a string" },
    { "{ 'nodes': [ { 'id': 'a', 'pos': [ 1, 2, 3 ] } ] }",
      "nodes[0].pos: expected two numbers [x, y], got 3 values" },
    { "{ 'nodes': [ { 'id': 'a', 'pos': [ 1 ] } ] }",
      "nodes[0].pos: expected two numbers [x, y], got 1 value" },
    { "{ 'nodes': [ { 'id': 'a', 'pos': [ 1, 'b' ] } ] }",
      "nodes[0].pos: expected a number, got a string" },
    { "{ 'nodes': [ { 'id': 'a', 'names': [ ] } ] }",
      "nodes[0].names: expected an object, got an array" },
    { "{ " NODES_AB ", 'edges': { } }", "edges: expected an array, got an object" },
    { "{ " NODES_AB ", 'edges': [ 'a-b' ] }", "edges[0]: expected an object, got a string" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 1, 'source': 'a', 'target': 'b' } ] }",
      "edges[0].kind: expected a string, got a number" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 0, 'target': 'b' } ] }",
      "edges[0].source: expected a string, got a number" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': null } ] }",
      "edges[0].target: expected a string, got null" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b',"
      " 'weight': '1' } ] }", "edges[0].weight: expected a number, got a string" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b',"
      " 'interest': true } ] }", "edges[0].interest: expected a number, got a boolean" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b',"
      " 'trust': [ 0.2 ] } ] }", "edges[0].trust: expected a number, got an array" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b',"
      " 'info': { } } ] }", "edges[0].info: expected a number, got an object" },
    { "{ " NODE_A ", 'events': { } }", "events: expected an array, got an object" },
    { "{ " NODE_A ", 'events': [ { 'onset': '0', 'magnitude': 1, 'decay': 1 } ] }",
      "events[0].onset: expected a number, got a string" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': false, 'decay': 1 } ] }",
      "events[0].magnitude: expected a number, got a boolean" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 1, 'decay': null } ] }",
      "events[0].decay: expected a number, got null" },
    { "{ " NODE_A ", 'events': [ { 'name': 7, 'onset': 0, 'magnitude': 1, 'decay': 1 } ] }",
      "events[0].name: expected a string, got a number" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 1, 'decay': 1, 'impact': [ ] } ] }",
      "events[0].impact: expected an object, got an array" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 1, 'decay': 1,"
      " 'impact': { 'a': 'high' } } ] }", "events[0].impact.a: expected a number, got a string" },
    { "{ " NODE_A ", 'parameters': 3 }", "parameters: expected an object, got a number" },
    { "{ " NODE_A ", 'parameters': { 'gravity': [ ] } }",
      "parameters.gravity: expected an object, got an array" },
    { "{ " NODE_A ", 'parameters': { 'gravity': { 'interest': '1' } } }",
      "parameters.gravity.interest: expected a number, got a string" },
    { "{ " NODE_A ", 'parameters': { 'dynamics': { 'rule': 1 } } }",
      "parameters.dynamics.rule: expected a string, got a number" },
    { "{ " NODE_A ", 'simulation': [ ] }", "simulation: expected an object, got an array" },
    { "{ " NODE_A ", 'simulation': { 'dt': '0.1' } }",
      "simulation.dt: expected a number, got a string" },
    { "{ " NODE_A ", 'simulation': { 't_end': true } }",
      "simulation.t_end: expected a number, got a boolean" },
    { "{ " NODE_A ", 'interventions': { } }", "interventions: expected an array, got an object" },
    { "{ " NODE_A ", 'interventions': [ 5 ] }",
      "interventions[0]: expected an object, got a number" },
    { "{ " NODE_A ", 'interventions': [ { 'at': '1' } ] }",
      "interventions[0].at: expected a number, got a string" },
    { "{ " NODE_A ", 'interventions': [ { 'at': 1, 'set': [ ] } ] }",
      "interventions[0].set: expected an object, got an array" },
    { "{ " NODE_A ", 'interventions': [ { 'at': 1, 'set': { 'resistance.law': 'max' } } ] }",
      "interventions[0].set.resistance.law: expected a number, got a string" },
    { "{ " NODE_A ", 'name': 4 }", "name: expected a string, got a number" },
    { "{ " NODE_A ", 'description': [ ] }", "description: expected a string, got an array" },
    { "{ " NODE_A ", 'format': 1 }", "format: expected a string, got a number" },
    { "{ " NODE_A ", 'version': '1' }", "version: expected a number, got a string" },
    { "{ " NODE_A ", 'scenarios': [ { 'name': 's', 'parameters': { 'resistance':"
      " { 'law': 'high' } } } ] }",
      "scenarios[0].parameters.resistance.law: expected a number, got a string" },
    { "{ " NODE_A ", 'ranges': { 'gravity.trust': { 'min': 'low', 'max': 1 } } }",
      "ranges.gravity.trust.min: expected a number, got a string" },
  };
  run_cases (cases, G_N_ELEMENTS (cases), INVALID);
}

static void
test_missing_fields (void)
{
  const Case cases[] = {
    { "{ }", "nodes: a model needs a list of governments" },
    { "{ 'name': 'no governments' }", "nodes: a model needs a list of governments" },
    { "{ 'nodes': [ { 'name': 'nameless' } ] }", "nodes[0]: a government needs an 'id'" },
    { "{ " NODES_AB ", 'edges': [ { 'source': 'a', 'target': 'b' } ] }",
      "edges[0]: an edge needs a 'kind'" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'target': 'b' } ] }",
      "edges[0]: an edge needs a 'source'" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a' } ] }",
      "edges[0]: an edge needs a 'target'" },
    { "{ " NODE_A ", 'events': [ { 'magnitude': 1, 'decay': 1 } ] }",
      "events[0]: an emergency needs 'onset'" },
    { "{ " NODE_A ", 'events': [ { 'onset': 1, 'decay': 1 } ] }",
      "events[0]: an emergency needs 'magnitude'" },
    { "{ " NODE_A ", 'events': [ { 'onset': 1, 'magnitude': 1 } ] }",
      "events[0]: an emergency needs 'decay'" },
    { "{ " NODE_A ", 'interventions': [ { 'set': { } } ] }",
      "interventions[0]: a policy change needs 'at'" },
    { "{ " NODE_A ", 'scenarios': [ { 'description': 'x' } ] }",
      "scenarios[0]: a scenario needs 'name'" },
    { "{ " NODE_A ", 'ranges': { 'gravity.trust': { 'min': 0 } } }",
      "ranges.gravity.trust: a range needs 'min' and 'max'" },
  };
  run_cases (cases, G_N_ELEMENTS (cases), INVALID);
}

static void
test_out_of_range (void)
{
  const Case cases[] = {
    { "{ 'nodes': [ { 'id': 'a', 'capacity': 1.5 } ] }",
      "nodes[0].capacity: 1.5 is outside [0, 1]" },
    { "{ 'nodes': [ { 'id': 'a', 'capacity': -0.01 } ] }",
      "nodes[0].capacity: -0.01 is outside [0, 1]" },
    { "{ 'nodes': [ { 'id': 'a', 'vulnerability': -0.1 } ] }",
      "nodes[0].vulnerability: -0.1 is outside [0, 1]" },
    { "{ 'nodes': [ { 'id': 'a', 'fragmentation': 2 } ] }",
      "nodes[0].fragmentation: 2 is outside [0, 1]" },
    { "{ 'nodes': [ { 'id': 'a' }, { 'id': 'b', 'x0': 1.0000001 } ] }",
      "nodes[1].x0: 1.0000001 is outside [0, 1]" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b',"
      " 'weight': 0 } ] }", "edges[0].weight: 0 is outside (0, 1]" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b',"
      " 'weight': 1.5 } ] }", "edges[0].weight: 1.5 is outside (0, 1]" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b',"
      " 'interest': 1.1 } ] }", "edges[0].interest: 1.1 is outside [0, 1]" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b',"
      " 'trust': -0.1 } ] }", "edges[0].trust: -0.1 is outside [0, 1]" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b',"
      " 'info': 2 } ] }", "edges[0].info: 2 is outside [0, 1]" },
    { "{ " NODE_A ", 'events': [ { 'onset': -1, 'magnitude': 1, 'decay': 1 } ] }",
      "events[0].onset: -1 is negative" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': -1, 'decay': 1 } ] }",
      "events[0].magnitude: -1 is negative" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 1, 'decay': 0 } ] }",
      "events[0].decay: 0 is not positive" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 1, 'decay': -2 } ] }",
      "events[0].decay: -2 is not positive" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 1, 'decay': 1,"
      " 'impact': { 'a': 1.5 } } ] }", "events[0].impact.a: 1.5 is outside [0, 1]" },
    { "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 1, 'decay': 1 },"
      " { 'onset': 0, 'magnitude': 1, 'decay': 1, 'impact': { 'zz': 0.5 } } ] }",
      "events[1].impact.zz: no node 'zz'" },
    { "{ " NODE_A ", 'interventions': [ { 'at': -1, 'set': { } } ] }",
      "interventions[0].at: -1 is negative" },
    { "{ " NODE_A ", 'interventions': [ { 'at': 1, 'set': { 'resistance.law': 1.5 } } ] }",
      "interventions[0].set.resistance.law: 1.5 is outside the range of resistance.law ([0, 1])" },
    { "{ " NODE_A ", 'simulation': { 't_end': 0 } }", "simulation.t_end: 0 is not positive" },
    { "{ " NODE_A ", 'simulation': { 't_end': -5 } }", "simulation.t_end: -5 is not positive" },
    { "{ " NODE_A ", 'simulation': { 't_end': 1, 'dt': 2 } }",
      "simulation.dt: 2 is outside (0, t_end]" },
    { "{ " NODE_A ", 'simulation': { 'dt': 0 } }", "simulation.dt: 0 is outside (0, t_end]" },
    { "{ " NODE_A ", 'simulation': { 'dt': -0.1 } }", "simulation.dt: -0.1 is outside (0, t_end]" },
    { "{ " NODE_A ", 'simulation': { 'rtol': 0 } }", "simulation.rtol: 0 is not positive" },
    { "{ " NODE_A ", 'simulation': { 'rtol': -1e-8 } }",
      "simulation.rtol: -1e-08 is not positive" },
    { "{ " NODE_A ", 'simulation': { 'atol': -1e-12 } }", "simulation.atol: -1e-12 is negative" },
    { "{ " NODE_A ", 'scenarios': [ { 'name': 's', 'parameters': { 'dynamics':"
      " { 'rate': 0 } } } ] }",
      "scenarios[0].parameters.dynamics.rate: 0 is outside the range of dynamics.rate (> 0)" },
    { "{ " NODE_A ", 'ranges': { 'resistance.law': { 'min': 0.5, 'max': 1.5 } } }",
      "ranges.resistance.law: min and max must lie within [0, 1]" },
    { "{ " NODE_A ", 'ranges': { 'resistance.law': { 'min': 0.6, 'max': 0.5 } } }",
      "ranges.resistance.law: min is greater than max" },
  };
  run_cases (cases, G_N_ELEMENTS (cases), INVALID);
}

/* Boundaries that docs/model.md allows must load. */
static void
test_boundaries_accepted (void)
{
  const char *ok[] = {
    "{ 'nodes': [ { 'id': 'a', 'capacity': 0, 'vulnerability': 1, 'fragmentation': 0,"
    " 'x0': 1, 'fixed': true } ] }",
    "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b',"
    " 'weight': 1e-9 }, { 'kind': 'partnership', 'source': 'a', 'target': 'b',"
    " 'interest': 0, 'trust': 1, 'info': 0 } ] }",
    "{ " NODE_A ", 'events': [ { 'onset': 0, 'magnitude': 0, 'decay': 1e-6,"
    " 'impact': { 'a': 1 } } ] }",
    "{ " NODE_A ", 'interventions': [ { 'at': 0, 'set': { 'resistance.law': 1 } } ] }",
    "{ " NODE_A ", 'simulation': { 't_end': 1, 'dt': 1, 'rtol': 1e-3, 'atol': 0 } }",
    "{ " NODE_A ", 'format': 'coordyn-model', 'version': 1 }",
    "{ " NODE_A ", 'version': 1.0 }",
    "{ 'nodes': [ ] }",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(CdModel) model = load_ok (ok[i]);
      g_autoptr(GError) error = NULL;
      g_assert_true (cd_model_validate (model, &error));
      g_assert_no_error (error);
    }
}

/* Every parameter against its docs/model.md range: ≥ 0, [0, 1] or > 0, checked
 * at the top level, in an intervention and in a scenario. */
static void
test_parameter_ranges (void)
{
  static const struct
  {
    const char *path;
    CdBound     bound;
  } expected[] = {
    { "gravity.interest", CD_BOUND_NON_NEGATIVE },
    { "gravity.trust", CD_BOUND_NON_NEGATIVE },
    { "pressure.admin", CD_BOUND_NON_NEGATIVE },
    { "pressure.command", CD_BOUND_NON_NEGATIVE },
    { "pressure.crisis", CD_BOUND_NON_NEGATIVE },
    { "thrust.info", CD_BOUND_NON_NEGATIVE },
    { "thrust.appraisal", CD_BOUND_NON_NEGATIVE },
    { "resistance.fragmentation", CD_BOUND_NON_NEGATIVE },
    { "resistance.ideas", CD_BOUND_NON_NEGATIVE },
    { "resistance.powers", CD_BOUND_NON_NEGATIVE },
    { "resistance.burden", CD_BOUND_NON_NEGATIVE },
    { "resistance.compensation", CD_BOUND_UNIT },
    { "resistance.supervision", CD_BOUND_UNIT },
    { "resistance.law", CD_BOUND_UNIT },
    { "dynamics.rationality", CD_BOUND_POSITIVE },
    { "dynamics.rate", CD_BOUND_POSITIVE },
    { "dynamics.trust_gain", CD_BOUND_NON_NEGATIVE },
    { "dynamics.trust_decay", CD_BOUND_NON_NEGATIVE },
  };

  g_assert_cmpuint (G_N_ELEMENTS (expected), ==, CD_N_PARAMS);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      CdParam param;
      const CdParamInfo *info;
      g_auto(GStrv) parts = g_strsplit (expected[i].path, ".", 2);
      const char *good[3], *bad[3];
      guint n_good = 0, n_bad = 0;
      const char *ver;

      g_assert_true (cd_param_from_path (expected[i].path, &param));
      info = cd_param_info (param);
      g_assert_cmpstr (info->path, ==, expected[i].path);
      g_assert_cmpint (info->bound, ==, expected[i].bound);
      switch (expected[i].bound)
        {
        case CD_BOUND_NON_NEGATIVE:
          good[n_good++] = "0"; good[n_good++] = "1000";
          bad[n_bad++] = "-0.5";
          break;
        case CD_BOUND_UNIT:
          good[n_good++] = "0"; good[n_good++] = "1";
          bad[n_bad++] = "-0.1"; bad[n_bad++] = "1.5";
          break;
        case CD_BOUND_POSITIVE:
          good[n_good++] = "1e-09"; good[n_good++] = "50";
          bad[n_bad++] = "0"; bad[n_bad++] = "-1";
          break;
        default:
          g_assert_not_reached ();
        }

      /* The parameters model 1 does not have, in a version-2 file. */
      ver = cd_param_in_version (param, 1) ? "" : "'version': 2, ";
      for (guint k = 0; k < n_good; k++)
        {
          g_autofree char *json = g_strdup_printf (
            "{ %s" NODE_A ", 'parameters': { '%s': { '%s': %s } },"
            " 'interventions': [ { 'at': 1, 'set': { '%s': %s } } ] }", ver,
            parts[0], parts[1], good[k], expected[i].path, good[k]);
          g_autoptr(CdModel) model = load_ok (json);
          g_assert_cmpfloat (model->params.values[param], ==, g_ascii_strtod (good[k], NULL));
        }
      for (guint k = 0; k < n_bad; k++)
        {
          g_autofree char *top = g_strdup_printf (
            "{ %s" NODE_A ", 'parameters': { '%s': { '%s': %s } } }", ver, parts[0], parts[1],
            bad[k]);
          g_autofree char *top_msg = g_strdup_printf (
            "parameters.%s: %s is outside the range of %s (%s)", expected[i].path, bad[k],
            expected[i].path, cd_param_range_text (param));
          g_autofree char *iv = g_strdup_printf (
            "{ %s" NODE_A ", 'interventions': [ { 'at': 0, 'set': { } },"
            " { 'at': 2, 'set': { '%s': %s } } ] }", ver, expected[i].path, bad[k]);
          g_autofree char *iv_msg = g_strdup_printf (
            "interventions[1].set.%s: %s is outside the range", expected[i].path, bad[k]);
          g_autofree char *sc = g_strdup_printf (
            "{ %s" NODE_A ", 'scenarios': [ { 'name': 's',"
            " 'parameters': { '%s': { '%s': %s } } } ] }", ver,
            parts[0], parts[1], bad[k]);
          g_autofree char *sc_msg = g_strdup_printf (
            "scenarios[0].parameters.%s: %s is outside", expected[i].path, bad[k]);

          expect_error (top, INVALID, top_msg);
          expect_error (iv, INVALID, iv_msg);
          expect_error (sc, INVALID, sc_msg);
        }
    }
  g_assert_cmpstr (cd_param_range_text (CD_PARAM_GRAVITY_TRUST), ==, "≥ 0");
  g_assert_cmpstr (cd_param_range_text (CD_PARAM_RESISTANCE_LAW), ==, "[0, 1]");
  g_assert_cmpstr (cd_param_range_text (CD_PARAM_DYNAMICS_RATE), ==, "> 0");
}

static void
test_structure (void)
{
  const Case cases[] = {
    { "{ 'nodes': [ { 'id': 'a' }, { 'id': 'b' }, { 'id': 'a' } ] }",
      "nodes[2].id: duplicate id 'a' (also nodes[0])" },
    { "{ 'nodes': [ { 'id': 'a' }, { 'id': '' } ] }", "nodes[1].id: the id must not be empty" },
    /* docs/model.md's own example */
    { "{ 'nodes': [ { 'id': 'a' }, { 'id': 'b' }, { 'id': 's' } ], 'edges': ["
      " { 'kind': 'command', 'source': 'a', 'target': 'b' },"
      " { 'kind': 'partnership', 'source': 'a', 'target': 's' },"
      " { 'kind': 'command', 'source': 'a', 'target': 's' },"
      " { 'kind': 'command', 'source': 'b', 'target': 'sx' } ] }",
      "edges[3].target: no node 'sx'" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'q', 'target': 'b' } ] }",
      "edges[0].source: no node 'q'" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'a' } ] }",
      "edges[0]: joins 'a' to itself" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'b', 'target': 'b' } ] }",
      "edges[0]: joins 'b' to itself" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b' },"
      " { 'kind': 'partnership', 'source': 'b', 'target': 'a' } ] }",
      "edges[1]: a second partnership between 'b' and 'a' (also edges[0])" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b' },"
      " { 'kind': 'partnership', 'source': 'a', 'target': 'b' } ] }",
      "edges[1]: a second partnership between 'a' and 'b' (also edges[0])" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b' },"
      " { 'kind': 'command', 'source': 'a', 'target': 'b', 'weight': 0.5 } ] }",
      "edges[1]: a second command line between 'a' and 'b' (also edges[0])" },
    { "{ " NODES_ABC ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b' },"
      " { 'kind': 'command', 'source': 'b', 'target': 'c' },"
      " { 'kind': 'command', 'source': 'c', 'target': 'a' } ] }",
      "edges[2]: command cycle a → b → c → a" },
    /* the cycle is named without the path that led into it */
    { "{ 'nodes': [ { 'id': 'r' }, { 'id': 'a' }, { 'id': 'b' }, { 'id': 'c' } ], 'edges': ["
      " { 'kind': 'command', 'source': 'r', 'target': 'a' },"
      " { 'kind': 'command', 'source': 'a', 'target': 'b' },"
      " { 'kind': 'command', 'source': 'b', 'target': 'c' },"
      " { 'kind': 'command', 'source': 'c', 'target': 'a' } ] }",
      "edges[3]: command cycle a → b → c → a" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b' },"
      " { 'kind': 'command', 'source': 'b', 'target': 'a' } ] }",
      "edges[1]: command cycle a → b → a" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'boss', 'source': 'a', 'target': 'b' } ] }",
      "edges[0]: kind 'boss' is not an edge kind" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b',"
      " 'interest': 0.5 } ] }", "edges[0]: a command line has only a weight" },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a', 'target': 'b',"
      " 'weight': 0.5 } ] }", "edges[0]: a partnership has no weight" },
    { "{ 'nodes': [ { 'id': 'a', 'level': 'mayor' } ] }",
      "nodes[0].level: 'mayor' is not a level" },
    { "{ " NODE_A ", 'parameters': { 'dynamics': { 'rule': 'greedy' } } }",
      "parameters.dynamics.rule: 'greedy' is not a rule" },
    { "{ " NODE_A ", 'interventions': [ { 'at': 1, 'set': { 'dynamics.rule': 'replicator' } } ] }",
      "interventions[0].set.dynamics.rule: the rule is not numeric" },
    { "{ " NODE_A ", 'format': 'other-model' }", "format: 'other-model' is not a Coordyn model" },
    { "{ " NODE_A ", 'version': 3 }", "version: version 3 is not supported" },
    { "{ " NODE_A ", 'version': 1.5 }", "version: version 1.5 is not supported" },
  };
  run_cases (cases, G_N_ELEMENTS (cases), INVALID);

  /* a command line and a partnership may join the same pair, either way round */
  {
    g_autoptr(CdModel) model = load_ok (
      "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b' },"
      " { 'kind': 'partnership', 'source': 'b', 'target': 'a' } ] }");
    g_assert_cmpuint (model->edges->len, ==, 2);
  }
}

/* All problems are reported at once, each with its place; past the limit
 * the rest are counted. */
static void
test_many_errors (void)
{
  g_autoptr(GString) json = g_string_new ("{ \"nodes\": [");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;

  expect_error ("{ 'nodes': [ { 'id': 'a', 'capacity': 2, 'x0': -1 } ], 'bogus': 1 }", INVALID,
                "bogus: unknown key");
  for (guint i = 0; i < 30; i++)
    g_string_append_printf (json, "%s{ \"id\": \"n%u\", \"capacity\": 7 }", i ? ", " : "", i);
  g_string_append (json, "] }");
  model = cd_model_load_data (json->str, json->len, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nodes[0].capacity: 7 is outside [0, 1]\n"
                                            "nodes[1].capacity: 7 is outside [0, 1]"));
  g_assert_nonnull (strstr (error->message, "nodes[19].capacity"));
  g_assert_null (strstr (error->message, "nodes[20].capacity"));
  g_assert_nonnull (strstr (error->message, "and 10 more problems"));

  g_clear_error (&error);
  {
    g_autofree char *two = dq ("{ 'nodes': [ { 'id': 'a', 'capacity': 2, 'x0': -1 } ] }");
    g_autoptr(CdModel) m2 = cd_model_load_data (two, strlen (two), &error);
    g_assert_null (m2);
    g_assert_nonnull (strstr (error->message, "nodes[0].capacity: 2 is outside [0, 1]"));
    g_assert_nonnull (strstr (error->message, "nodes[0].x0: -1 is outside [0, 1]"));
  }
}

static void
test_syntax (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GString) deep = g_string_new ("{ \"nodes\": [ { \"id\": \"a\" } ],\n  \"name\": ");
  const char bad_utf8[] = "{ \"nodes\": [ { \"id\": \"a\" } ],\n \"name\":\"x\xff\" }";
  const char with_nul[] = "{ \"nodes\": [ { \"id\": \"a\" } ],\n \"name\":\"x\0\" }";
  const char *trailing_comma = "{\n  \"nodes\": [\n    { \"id\": \"a\", }\n  ]\n}";

  model = cd_model_load_data (trailing_comma, strlen (trailing_comma), &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX);
  g_test_message ("syntax: %s", error->message);
  g_assert_true (g_regex_match_simple ("^line 3, column 1[4-7]: ", error->message, 0, 0));
  g_clear_error (&error);

  expect_error_bytes (bad_utf8, sizeof bad_utf8 - 1, SYNTAX, "line 2, column 11: invalid UTF-8");
  expect_error_bytes (with_nul, sizeof with_nul - 1, SYNTAX, "line 2, column 11: a NUL byte");
  /* a NUL byte in the first line, before anything else is wrong */
  expect_error_bytes ("{\0}", 3, SYNTAX, "line 1, column 2: a NUL byte");

  for (guint i = 0; i < CD_MODEL_MAX_DEPTH + 5; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < CD_MODEL_MAX_DEPTH + 5; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, " }");
  expect_error_bytes (deep->str, deep->len, SYNTAX, "line 2, column ");
  expect_error_bytes (deep->str, deep->len, SYNTAX, "nested more than 64 levels deep");
  {
    /* brackets inside strings are text, not nesting */
    g_autoptr(GString) text = g_string_new ("{ \"nodes\": [ { \"id\": \"");
    for (guint i = 0; i < 200; i++)
      g_string_append (text, "[{");
    g_string_append (text, "\\\"\" } ] }");
    model = cd_model_load_data (text->str, text->len, &error);
    g_assert_no_error (error);
    g_assert_nonnull (model);
    g_clear_pointer (&model, cd_model_free);
  }

  expect_error ("{ 'nodes': [ { 'id': 'a', 'capacity': 1e400 } ] }", INVALID,
                "nodes[0].capacity: the number is too large to be represented");
  expect_error ("{ 'nodes': [ { 'id': 'a' } ], 'simulation': { 't_end': -1e400 } }", INVALID,
                "simulation.t_end: the number is too large to be represented");
  expect_error_bytes ("", 0, SYNTAX, "the file is empty");
  expect_error ("[ { 'id': 'a' } ]", INVALID, "a model file holds one JSON object, not an array");
  expect_error ("'model'", INVALID, "a model file holds one JSON object, not a string");
  expect_error ("{ 'nodes': [ ] } x", SYNTAX, "line 1, column ");
  expect_error ("{ 'nodes': [ { 'id': 'a } ] }", SYNTAX, "line 1, column ");
  expect_error ("{ 'nodes': [ { 'id': 'a' } ]", SYNTAX, "line 1, column ");

  /* What RFC 8259 refuses inside a string, and json-glib alone let
   * through: other JSON tools would not read such a file. */
  expect_error_bytes ("{ \"nodes\": [ { \"id\": \"a\tb\" } ] }", 32, SYNTAX,
                      "line 1, column 24: a control character inside a string");
  expect_error_bytes ("{ \"nodes\": [ { \"id\":\n\"a\nb\" } ] }", 32, SYNTAX,
                      "line 2, column 3: a control character inside a string");
  expect_error ("{ 'nodes': [ { 'id': 'a\\qb' } ] }", SYNTAX,
                "line 1, column 24: an escape JSON does not have");
  expect_error ("{ 'nodes': [ { 'id': 'a\\u12G4' } ] }", SYNTAX,
                "line 1, column 24: \\u must be followed by four hexadecimal digits");
  expect_error ("{ 'nodes': [ { 'id': 'a\\u12' } ] }", SYNTAX,
                "\\u must be followed by four hexadecimal digits");
  /* and numbers JSON does not have: json-glib read 01 as 1, .5 as 0.5, 0x1 as 1 */
  for (const char *const *bad = (const char *[]) { "01", "1.", ".5", "0x1", "1e", "-", "12a",
                                                   "-.5", "1e+", NULL };
       *bad != NULL; bad++)
    {
      g_autofree char *text = g_strdup_printf ("{ 'nodes': [ { 'id': 'a', 'x0': %s } ] }", *bad);
      expect_error (text, SYNTAX, "line 1, column 33: not a JSON number");
    }
  for (const char *const *good = (const char *[]) { "0", "-0", "0.25", "1e-3", "2.5E-1",
                                                    "0.5e0", "1E0", NULL };
       *good != NULL; good++)
    {
      g_autofree char *text = g_strdup_printf ("{ \"nodes\": [ { \"id\": \"a\", "
                                               "\"x0\": %s } ] }", *good);
      model = cd_model_load_data (text, strlen (text), &error);
      g_assert_no_error (error);
      g_clear_pointer (&model, cd_model_free);
    }
  /* json-glib's reasons, put into the user's language elsewhere, read in
   * English as json-glib words them */
  expect_error_bytes ("{\"nodes\" [ ]}", 13, SYNTAX,
                      "line 1, column 8: unexpected string constant \"nodes\", expected "
                      "character `:'");
  /* a lone surrogate, which json-glib reads as a string without its
   * closing quote, is named by the byte scan */
  expect_error_bytes ("{\"nodes\": [ {\"id\": \"\\ud800\"} ]}", 31, SYNTAX,
                      "line 1, column 21: not valid text: a \\u escape names half of a "
                      "surrogate pair");
  /* a comma after the last item, a key without quotes */
  expect_error ("{ 'nodes': [ { 'id': 'a' }, ] }", SYNTAX,
                "line 1, column 27: a comma after the last item; JSON allows none before ]");
  expect_error ("{ 'nodes': [ { 'id': 'a', } ] }", SYNTAX,
                "line 1, column 25: a comma after the last item; JSON allows none before }");
  expect_error_bytes ("{ nodes: [ ] }", 14, SYNTAX,
                      "line 1, column 3: a key must be a string in double quotes");
  {
    /* commas and brackets inside strings are text */
    const char *text = "{ \"nodes\": [ { \"id\": \"a, ]\" } ] }";
    model = cd_model_load_data (text, strlen (text), &error);
    g_assert_no_error (error);
    g_clear_pointer (&model, cd_model_free);
  }
  /* a bare word as a value, named where it stands even when the file also
   * ends early (the scan's "never closed" came first and pointed at the
   * first {) */
  expect_error ("{ 'nodes': [ { 'id': a } ] }", SYNTAX,
                "line 1, column 22: a word that is not a JSON value: text goes in double quotes");
  expect_error ("{ 'nodes': [ { 'id': 'a', 'x0': NaN", SYNTAX,
                "line 1, column 33: a word that is not a JSON value");
  /* brackets: where one is never closed, or closes what it did not open */
  expect_error ("{ 'nodes': [ { 'id': 'a' }", SYNTAX,
                "line 1, column 12: this [ is never closed; the file ends before its ]");
  expect_error ("{\n  'nodes': [ { 'id': 'a' } }", SYNTAX,
                "line 2, column 28: } closes the [ opened at line 2, column 12");
  expect_error ("{ 'nodes': [ { 'id': 'a' ] ] }", SYNTAX,
                "line 1, column 26: ] closes the { opened at line 1, column 14");
  /* nor single-quoted strings and comments, which json-glib also read */
  expect_error_bytes ("{'nodes': [ {'id': 'a'} ]}", 26, SYNTAX,
                      "line 1, column 2: JSON strings take double quotes");
  expect_error ("{ 'nodes': [ { 'id': 'a' } ] /* a remark */ }", SYNTAX,
                "line 1, column 30: JSON has no comments");
  {
    /* inside a string both are text */
    const char *text = "{ \"nodes\": [ { \"id\": \"it's a/b // c\" } ] }";
    model = cd_model_load_data (text, strlen (text), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((CdNode *) g_ptr_array_index (model->nodes, 0))->id, ==, "it's a/b // c");
    g_clear_pointer (&model, cd_model_free);
  }
  {
    /* and every escape JSON does have still reads (in a name: an id may
     * hold no control character) */
    const char *escapes = "{ \"nodes\": [ { \"id\": \"a\", \"name\": \"q\\\" \\\\ \\/ \\b \\f \\n "
                          "\\r \\t \\u00e9 \\ud83c\\udf0a\" } ] }";
    model = cd_model_load_data (escapes, strlen (escapes), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((CdNode *) g_ptr_array_index (model->nodes, 0))->name, ==,
                     "q\" \\ / \b \f \n \r \t é 🌊");
    g_clear_pointer (&model, cd_model_free);
  }
  {
    /* An escape character went raw into the CSV header and into messages. */
    const char *ids[] = { "a\\u001b[31m", "a\\nb", "\\u007f", "x\\u0085", "\\t" };
    for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
      {
        g_autofree char *text = g_strdup_printf ("{ \"nodes\": [ { \"id\": \"b\" }, "
                                                 "{ \"id\": \"%s\" } ] }", ids[k]);
        expect_error (text, INVALID, "nodes[1].id: a control character (U+00");
      }
    expect_error ("{ 'nodes': [ { 'id': 'a' } ], 'scenarios': [ { 'name': 'x\\ty' } ] }",
                  INVALID, "scenarios[0].name: a control character (U+0009) in a scenario "
                  "name");
  }
}

static void
test_load_file_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("coordyn-test-XXXXXX", &error);
  g_autofree char *missing = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(CdModel) model = NULL;

  g_assert_no_error (error);
  missing = g_build_filename (dir, "missing.json", NULL);
  model = cd_model_load_file (missing, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
  /* The caller names the file ("missing.json: No such file or directory"). */
  g_assert_cmpstr (error->message, ==, g_strerror (ENOENT));
  g_clear_error (&error);

  bad = g_build_filename (dir, "bad.json", NULL);
  g_assert_true (g_file_set_contents (bad, "{ \"nodes\": [ { \"id\": \"a\", \"x0\": 3 } ] }", -1,
                                      NULL));
  model = cd_model_load_file (bad, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nodes[0].x0: 3 is outside [0, 1]"));
  g_clear_error (&error);

  /* an empty file, which cannot even be mapped on some systems */
  g_assert_true (g_file_set_contents (bad, "", 0, NULL));
  model = cd_model_load_file (bad, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  /* a directory is not a model */
  model = cd_model_load_file (dir, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "is a directory"));
  g_clear_error (&error);

  g_remove (bad);
  g_rmdir (dir);
}

/* In-memory edits are checked by the same rules. */
static void
test_validate_edits (void)
{
  g_autoptr(CdModel) model = load_ok ("{ " NODES_ABC " }");
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (model->edges, cd_edge_new (CD_EDGE_COMMAND, "a", "b"));
  g_ptr_array_add (model->edges, cd_edge_new (CD_EDGE_COMMAND, "b", "c"));
  g_assert_true (cd_model_validate (model, &error));
  g_ptr_array_add (model->edges, cd_edge_new (CD_EDGE_COMMAND, "c", "a"));
  g_assert_false (cd_model_validate (model, &error));
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "edges[2]: command cycle a → b → c → a"));
  g_clear_error (&error);

  g_ptr_array_remove_index (model->edges, 2);
  ((CdNode *) g_ptr_array_index (model->nodes, 1))->x0 = NAN;
  g_assert_false (cd_model_validate (model, &error));
  g_assert_nonnull (strstr (error->message, "nodes[1].x0: NaN is outside [0, 1]"));
  g_clear_error (&error);

  ((CdNode *) g_ptr_array_index (model->nodes, 1))->x0 = 0.5;
  model->params.values[CD_PARAM_GRAVITY_TRUST] = INFINITY;
  g_assert_false (cd_model_validate (model, &error));
  g_assert_nonnull (strstr (error->message, "parameters.gravity.trust: infinity is outside"));
  g_clear_error (&error);

  model->params.values[CD_PARAM_GRAVITY_TRUST] = 1;
  model->sim.t_end = NAN;
  g_assert_false (cd_model_validate (model, &error));
  g_assert_nonnull (strstr (error->message, "simulation.t_end: NaN is not positive"));
}

/* ---- defaults --------------------------------------------------------------- */

static void
test_defaults (void)
{
  g_autoptr(CdModel) model = load_ok ("{ 'nodes': [ { 'id': 'a' } ] }");
  g_autoptr(CdModel) edges = load_ok (
    "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b' },"
    " { 'kind': 'partnership', 'source': 'a', 'target': 'b' } ],"
    " 'events': [ { 'onset': 1, 'magnitude': 2, 'decay': 3 } ] }");
  /* docs/model.md's parameter table, in CdParam order */
  const double params[CD_N_PARAMS] = {
    1.0, 1.0, 1.0, 1.0, 2.0, 0.5, 0.5, 2.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 4.0, 1.0, 0.5, 0.1,
  };
  const CdNode *n;
  const CdEdge *e;
  const CdEvent *ev;

  g_assert_cmpuint (model->nodes->len, ==, 1);
  n = g_ptr_array_index (model->nodes, 0);
  g_assert_cmpstr (n->id, ==, "a");
  g_assert_cmpstr (n->name, ==, "a");
  g_assert_cmpint (n->level, ==, CD_LEVEL_OTHER);
  g_assert_cmpfloat (n->capacity, ==, 0.5);
  g_assert_cmpfloat (n->vulnerability, ==, 0.5);
  g_assert_cmpfloat (n->fragmentation, ==, 0.5);
  g_assert_cmpfloat (n->x0, ==, 0.1);
  g_assert_false (n->fixed);
  g_assert_false (n->has_pos);

  for (guint i = 0; i < CD_N_PARAMS; i++)
    {
      g_assert_cmpfloat (model->params.values[i], ==, params[i]);
      g_assert_cmpfloat (cd_param_info (i)->default_value, ==, params[i]);
    }
  g_assert_cmpint (model->params.rule, ==, CD_RULE_LOGIT);
  g_assert_cmpfloat (model->sim.t_end, ==, 50);
  g_assert_cmpfloat (model->sim.dt, ==, 0.1);
  g_assert_cmpfloat (model->sim.rtol, ==, 1e-8);
  g_assert_cmpfloat (model->sim.atol, ==, 1e-10);
  g_assert_cmpuint (model->edges->len, ==, 0);
  g_assert_cmpuint (model->events->len, ==, 0);
  g_assert_cmpuint (model->interventions->len, ==, 0);
  g_assert_cmpuint (model->scenarios->len, ==, 0);
  g_assert_cmpuint (model->ranges->len, ==, 0);
  g_assert_cmpstr (model->name, ==, "");
  g_assert_cmpstr (model->description, ==, "");

  e = g_ptr_array_index (edges->edges, 0);
  g_assert_cmpint (e->kind, ==, CD_EDGE_COMMAND);
  g_assert_cmpfloat (e->weight, ==, 1.0);
  e = g_ptr_array_index (edges->edges, 1);
  g_assert_cmpint (e->kind, ==, CD_EDGE_PARTNERSHIP);
  g_assert_cmpfloat (e->interest, ==, 0.5);
  g_assert_cmpfloat (e->trust, ==, 0.2);
  g_assert_cmpfloat (e->info, ==, 0.5);
  ev = g_ptr_array_index (edges->events, 0);
  g_assert_cmpstr (ev->name, ==, "");
  g_assert_cmpuint (ev->impacts->len, ==, 0);
  g_assert_cmpfloat (cd_event_get_impact (ev, "a"), ==, 0.0);

  /* an explicit name is kept, the id is not copied over it */
  {
    g_autoptr(CdModel) named = load_ok ("{ 'nodes': [ { 'id': 'a', 'name': 'Alpha' } ] }");
    g_assert_cmpstr (((CdNode *) g_ptr_array_index (named->nodes, 0))->name, ==, "Alpha");
  }
}

/* ---- round trips ------------------------------------------------------------- */

static const char *const rich_model =
  "{ 'format': 'coordyn-model', 'version': 1,"
  "  'name': 'Basin \\'flood\\' \\\\ test\\n\\u0001', 'names': { 'zh_CN': '流域洪水', 'en': 'Basin' },"
  "  'description': 'Two provinces, one city.', 'descriptions': { 'zh_CN': '两个省' },"
  "  'parameters': { 'gravity': { 'interest': 1.3 }, 'resistance': { 'law': 0.25 },"
  "                  'dynamics': { 'rule': 'replicator', 'rate': 0.30000000000000004 } },"
  "  'simulation': { 't_end': 12, 'dt': 0.3, 'rtol': 1e-9, 'atol': 1e-12 },"
  "  'nodes': ["
  "    { 'id': 'c', 'name': '中央', 'names': { 'en': 'Centre' }, 'level': 'central',"
  "      'x0': 0.9, 'fixed': true, 'pos': [ -10.5, 3e-5 ] },"
  "    { 'id': 'p,1', 'level': 'provincial', 'capacity': 0.7, 'x0': 0.2 },"
  "    { 'id': 'p\\'2', 'level': 'provincial', 'vulnerability': 0.9, 'x0': 0.1 },"
  "    { 'id': 'm', 'level': 'municipal', 'fragmentation': 0.8 },"
  "    { 'id': 'k', 'level': 'county', 'x0': 0.3333333333333333 } ],"
  "  'edges': ["
  "    { 'kind': 'command', 'source': 'c', 'target': 'p,1', 'weight': 0.8 },"
  "    { 'kind': 'command', 'source': 'c', 'target': 'p\\'2' },"
  "    { 'kind': 'command', 'source': 'p,1', 'target': 'm' },"
  "    { 'kind': 'partnership', 'source': 'p\\'2', 'target': 'p,1', 'interest': 0.9,"
  "      'trust': 0.4, 'info': 0.1 },"
  "    { 'kind': 'partnership', 'source': 'm', 'target': 'k' } ],"
  "  'events': ["
  "    { 'name': 'flood', 'names': { 'zh_CN': '洪水' }, 'onset': 2, 'magnitude': 3,"
  "      'decay': 4, 'impact': { 'm': 1, 'p,1': 0.5 } },"
  "    { 'onset': 0.9, 'magnitude': 1, 'decay': 0.5, 'impact': { 'k': 0.25 } } ],"
  "  'interventions': ["
  "    { 'at': 6, 'set': { 'resistance.compensation': 0.5, 'thrust.info': 2 } },"
  "    { 'at': 3, 'set': { 'pressure.admin': 1.5 } } ],"
  "  'scenarios': ["
  "    { 'name': 'strong law', 'names': { 'zh_CN': '强法治' }, 'description': 'law 0.8',"
  "      'parameters': { 'resistance': { 'law': 0.8 }, 'dynamics': { 'rule': 'logit' } },"
  "      'interventions': [ { 'at': 1, 'set': { 'gravity.trust': 3 } } ] },"
  "    { 'name': 'no change', 'parameters': { } } ],"
  "  'ranges': {"
  "    'gravity.trust': { 'distribution': 'triangular', 'min': 0.5, 'max': 2, 'mode': 1 },"
  "    'resistance.law': { 'distribution': 'uniform', 'min': 0, 'max': 0.5 } } }";

static CdTrajectory *
simulate (const CdModel *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  CdTrajectory *tr;

  g_assert_no_error (error);
  opt.forces = TRUE;
  opt.trust = TRUE;
  tr = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (tr);
  return tr;
}

static void
assert_same_run (const CdTrajectory *a,
                 const CdTrajectory *b)
{
  gsize k = a->n_samples, n = a->n_nodes, m = a->n_partnerships;

  g_assert_cmpuint (a->n_samples, ==, b->n_samples);
  g_assert_cmpuint (a->n_nodes, ==, b->n_nodes);
  g_assert_cmpmem (a->t, k * sizeof (double), b->t, k * sizeof (double));
  g_assert_cmpmem (a->loss, k * sizeof (double), b->loss, k * sizeof (double));
  g_assert_cmpmem (a->x, k * n * sizeof (double), b->x, k * n * sizeof (double));
  g_assert_cmpmem (a->trust, k * m * sizeof (double), b->trust, k * m * sizeof (double));
  g_assert_cmpmem (a->gravity, k * n * sizeof (double), b->gravity, k * n * sizeof (double));
  g_assert_cmpmem (a->pressure, k * n * sizeof (double), b->pressure, k * n * sizeof (double));
  g_assert_cmpmem (a->thrust, k * n * sizeof (double), b->thrust, k * n * sizeof (double));
  g_assert_cmpmem (a->resistance, k * n * sizeof (double), b->resistance, k * n * sizeof (double));
}

static void
test_round_trip (void)
{
  g_autoptr(CdModel) m1 = load_ok (rich_model);
  g_autoptr(CdModel) m2 = NULL;
  g_autoptr(CdModel) m3 = NULL;
  g_autoptr(CdModel) m4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *j1 = NULL;
  g_autofree char *j2 = NULL;
  g_autofree char *dir = g_dir_make_tmp ("coordyn-test-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(CdTrajectory) r1 = NULL;
  g_autoptr(CdTrajectory) r3 = NULL;
  gsize len1, saved_len;
  const CdScenario *sc;
  const CdRange *rg;
  const CdNode *n;

  g_assert_no_error (error);
  /* values that need all 17 digits must survive */
  ((CdNode *) g_ptr_array_index (m1->nodes, 3))->x0 = 1.0 / 3.0;
  ((CdNode *) g_ptr_array_index (m1->nodes, 1))->capacity = 0.1 + 0.2;
  ((CdEdge *) g_ptr_array_index (m1->edges, 4))->trust = nextafter (0.2, 1.0);
  ((CdNode *) g_ptr_array_index (m1->nodes, 4))->pos[0] = -1e300;
  ((CdNode *) g_ptr_array_index (m1->nodes, 4))->pos[1] = 5e-324;
  ((CdNode *) g_ptr_array_index (m1->nodes, 4))->has_pos = TRUE;

  j1 = cd_model_to_json (m1, &len1);
  g_assert_cmpuint (len1, ==, strlen (j1));
  m2 = cd_model_load_data (j1, len1, &error);
  g_assert_no_error (error);
  j2 = cd_model_to_json (m2, NULL);
  g_assert_cmpstr (j1, ==, j2);
  g_assert_true (cd_model_equal (m1, m2));

  n = g_ptr_array_index (m2->nodes, 3);
  g_assert_cmpfloat (n->x0, ==, 1.0 / 3.0);
  g_assert_cmpfloat (((CdNode *) g_ptr_array_index (m2->nodes, 1))->capacity, ==, 0.1 + 0.2);
  g_assert_cmpfloat (((CdEdge *) g_ptr_array_index (m2->edges, 4))->trust, ==,
                     nextafter (0.2, 1.0));
  g_assert_cmpfloat (((CdNode *) g_ptr_array_index (m2->nodes, 4))->pos[1], ==, 5e-324);
  g_assert_cmpfloat (m2->params.values[CD_PARAM_DYNAMICS_RATE], ==, 0.30000000000000004);

  /* the extensions, by content */
  g_assert_cmpstr (m2->name, ==, "Basin \"flood\" \\ test\n\001");
  g_assert_cmpuint (m2->names->len, ==, 2);
  g_assert_cmpstr (g_array_index (m2->names, CdLocalized, 0).lang, ==, "zh_CN");
  g_assert_cmpstr (g_array_index (m2->names, CdLocalized, 0).text, ==, "流域洪水");
  g_assert_cmpstr (g_array_index (m2->descriptions, CdLocalized, 0).text, ==, "两个省");
  n = g_ptr_array_index (m2->nodes, 0);
  g_assert_cmpstr (n->name, ==, "中央");
  g_assert_cmpstr (g_array_index (n->names, CdLocalized, 0).text, ==, "Centre");
  g_assert_true (n->has_pos);
  g_assert_cmpfloat (n->pos[0], ==, -10.5);
  g_assert_cmpint (n->level, ==, CD_LEVEL_CENTRAL);
  g_assert_cmpstr (((CdEvent *) g_ptr_array_index (m2->events, 0))->name, ==, "flood");
  g_assert_cmpstr (g_array_index (((CdEvent *) g_ptr_array_index (m2->events, 0))->names,
                                  CdLocalized, 0).text, ==, "洪水");
  g_assert_cmpuint (m2->scenarios->len, ==, 2);
  sc = g_ptr_array_index (m2->scenarios, 0);
  g_assert_cmpstr (sc->name, ==, "strong law");
  g_assert_cmpstr (sc->description, ==, "law 0.8");
  g_assert_cmpstr (g_array_index (sc->names, CdLocalized, 0).text, ==, "强法治");
  g_assert_true (sc->param_set[CD_PARAM_RESISTANCE_LAW]);
  g_assert_false (sc->param_set[CD_PARAM_GRAVITY_TRUST]);
  g_assert_cmpfloat (sc->param_value[CD_PARAM_RESISTANCE_LAW], ==, 0.8);
  g_assert_true (sc->rule_set);
  g_assert_cmpint (sc->rule, ==, CD_RULE_LOGIT);
  g_assert_nonnull (sc->interventions);
  g_assert_cmpuint (sc->interventions->len, ==, 1);
  sc = g_ptr_array_index (m2->scenarios, 1);
  g_assert_null (sc->interventions);
  g_assert_false (sc->rule_set);
  g_assert_cmpuint (m2->ranges->len, ==, 2);
  rg = &g_array_index (m2->ranges, CdRange, 0);
  g_assert_cmpint (rg->param, ==, CD_PARAM_GRAVITY_TRUST);
  g_assert_cmpint (rg->dist, ==, CD_DIST_TRIANGULAR);
  g_assert_cmpfloat (rg->min, ==, 0.5);
  g_assert_cmpfloat (rg->max, ==, 2);
  g_assert_cmpfloat (rg->mode, ==, 1);
  rg = &g_array_index (m2->ranges, CdRange, 1);
  g_assert_cmpint (rg->dist, ==, CD_DIST_UNIFORM);

  /* through a file: the same text, the same model, the same bits when run */
  path = g_build_filename (dir, "model.json", NULL);
  g_assert_true (cd_model_save_file (m1, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &saved, &saved_len, NULL));
  g_assert_cmpstr (saved, ==, j1);
  m3 = cd_model_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_true (cd_model_equal (m1, m3));
  r1 = simulate (m1);
  r3 = simulate (m3);
  assert_same_run (r1, r3);
  g_assert_cmpuint (r1->n_samples, ==, 41);

  /* saving over it replaces it and leaves nothing else behind */
  m3->sim.t_end = 6;
  g_assert_true (cd_model_save_file (m3, path, &error));
  m4 = cd_model_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (m4->sim.t_end, ==, 6);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    g_assert_cmpstr (g_dir_read_name (d), ==, "model.json");
    g_assert_null (g_dir_read_name (d));
  }

  g_remove (path);
  g_rmdir (dir);
}

/* A minimal file gains every value on save, and the saved file runs the same. */
static void
test_round_trip_minimal (void)
{
  g_autoptr(CdModel) m1 = load_ok ("{ 'nodes': [ { 'id': 'a' }, { 'id': 'b' } ],"
                                   " 'edges': [ { 'kind': 'partnership', 'source': 'a',"
                                   " 'target': 'b' } ], 'simulation': { 't_end': 3 } }");
  g_autofree char *j1 = cd_model_to_json (m1, NULL);
  g_autoptr(CdModel) m2 = load_ok (j1);
  g_autofree char *j2 = cd_model_to_json (m2, NULL);
  g_autoptr(CdTrajectory) r1 = simulate (m1);
  g_autoptr(CdTrajectory) r2 = simulate (m2);
  const char *keys[] = { "\"rationality\"", "\"trust_decay\"", "\"rule\"", "\"atol\"",
                         "\"capacity\"", "\"fixed\"", "\"interest\"", "\"info\"",
                         "\"compensation\"", "\"format\": \"coordyn-model\"", "\"version\": 1" };

  g_assert_cmpstr (j1, ==, j2);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_nonnull (strstr (j1, keys[i]));
  assert_same_run (r1, r2);
}

static void
test_scenarios (void)
{
  g_autoptr(CdModel) model = load_ok (rich_model);
  g_autoptr(CdModel) base = NULL;
  g_autoptr(CdModel) strong = NULL;
  g_autoptr(CdModel) same = NULL;
  g_autoptr(GError) error = NULL;
  const CdIntervention *iv;
  int idx;

  g_assert_cmpint (cd_model_find_scenario (model, "strong law"), ==, 0);
  g_assert_cmpint (cd_model_find_scenario (model, "no change"), ==, 1);
  g_assert_cmpint (cd_model_find_scenario (model, "nothing"), ==, -1);

  base = cd_model_apply_scenario (model, -1, &error);
  g_assert_no_error (error);
  g_assert_true (cd_model_equal (base, model));

  idx = cd_model_find_scenario (model, "strong law");
  strong = cd_model_apply_scenario (model, idx, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (strong->params.values[CD_PARAM_RESISTANCE_LAW], ==, 0.8);
  g_assert_cmpfloat (strong->params.values[CD_PARAM_GRAVITY_INTEREST], ==, 1.3);
  g_assert_cmpint (strong->params.rule, ==, CD_RULE_LOGIT);
  g_assert_cmpuint (strong->interventions->len, ==, 1);
  iv = g_ptr_array_index (strong->interventions, 0);
  g_assert_cmpfloat (iv->at, ==, 1);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 0).param, ==, CD_PARAM_GRAVITY_TRUST);
  g_assert_cmpfloat (g_array_index (iv->settings, CdSetting, 0).value, ==, 3);
  g_assert_true (cd_model_validate (strong, &error));
  /* the base model is untouched */
  g_assert_cmpfloat (model->params.values[CD_PARAM_RESISTANCE_LAW], ==, 0.25);
  g_assert_cmpint (model->params.rule, ==, CD_RULE_REPLICATOR);
  g_assert_cmpuint (model->interventions->len, ==, 2);

  /* a scenario with no overrides keeps the base model's interventions and rule */
  same = cd_model_apply_scenario (model, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (same->interventions->len, ==, 2);
  g_assert_cmpint (same->params.rule, ==, CD_RULE_REPLICATOR);
  g_assert_cmpmem (same->params.values, sizeof same->params.values,
                   model->params.values, sizeof model->params.values);
  {
    /* and simulates exactly as the base model */
    g_autoptr(CdTrajectory) a = simulate (same);
    g_autoptr(CdTrajectory) b = simulate (model);
    g_autoptr(CdTrajectory) c = simulate (strong);
    assert_same_run (a, b);
    g_assert_true (memcmp (c->x, b->x, b->n_samples * b->n_nodes * sizeof (double)) != 0);
  }
}

/* ---- atomic save --------------------------------------------------------------- */

static const char old_text[] = "{ \"nodes\": [ { \"id\": \"old\" } ] }\n";

static void
assert_file_is_old (const char *path)
{
  g_autofree char *text = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_cmpmem (text, len, old_text, sizeof old_text - 1);
}

static void
assert_only_entry (const char *dir,
                   const char *name)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *entry;
  guint count = 0;

  g_assert_nonnull (d);
  while ((entry = g_dir_read_name (d)) != NULL)
    {
      g_test_message ("left in %s: %s", dir, entry);
      g_assert_cmpstr (entry, ==, name);
      count++;
    }
  g_assert_cmpuint (count, ==, 1);
}

static void
test_save_failures (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_ok (rich_model);
  g_autofree char *dir = g_dir_make_tmp ("coordyn-test-XXXXXX", &error);
  g_autofree char *target = NULL;
  g_autofree char *nested = NULL;

  g_assert_no_error (error);

  /* the target is a directory: refused, the directory is left alone */
  target = g_build_filename (dir, "model.json", NULL);
  g_assert_cmpint (g_mkdir (target, 0755), ==, 0);
  g_assert_false (cd_model_save_file (model, target, &error));
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_file_test (target, G_FILE_TEST_IS_DIR));
  assert_only_entry (dir, "model.json");
  g_clear_error (&error);
  g_rmdir (target);

  /* a directory that does not exist */
  nested = g_build_filename (dir, "no-such-dir", "model.json", NULL);
  g_assert_false (cd_model_save_file (model, nested, &error));
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "no-such-dir"));
  /* the folder is what refused, and the message says so */
  {
    g_autofree char *folder = g_path_get_dirname (nested);
    g_autofree char *expected = g_strdup_printf ("cannot create a file in %s: ", folder);
    g_assert_nonnull (strstr (error->message, expected));
  }
  g_assert_false (g_file_test (nested, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_rmdir (dir);
}

/* Replacing a large file (from 8 MiB its cached pages are dropped on a
 * thread while the new one is written, cd-atomic-file.c): abandoned, the
 * old file is as it was; committed, the new one has taken its place; no
 * temporary file is left either way. */
static void
test_save_over_large_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("coordyn-test-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.csv", NULL);
  gsize size = (gsize) 9 << 20;
  g_autofree char *old = g_malloc (size);
  g_autofree char *text = NULL;
  CdAtomicFile *file;
  gsize len;

  g_assert_no_error (error);
  for (gsize i = 0; i < size; i++)
    old[i] = (char) ('a' + i % 26);
  g_assert_true (g_file_set_contents (path, old, size, NULL));

  file = cd_atomic_file_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (cd_atomic_file_get_fd (file), "new\n", 4), ==, 4);
  cd_atomic_file_abandon (file);
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_cmpmem (text, len, old, size);
  assert_only_entry (dir, "run.csv");
  g_clear_pointer (&text, g_free);

  g_assert_true (cd_atomic_file_set_contents (path, "new\n", 4, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, &len, NULL));
  g_assert_cmpmem (text, len, "new\n", 4);
  assert_only_entry (dir, "run.csv");
  g_remove (path);
  g_rmdir (dir);
}

/* A read-only directory: the save fails and the old file is byte-identical.
 * Root ignores permissions, so there this case cannot be made to fail; the
 * file-size-limit case below covers a failed save over an existing file
 * whoever runs it. */
static void
test_save_read_only_dir (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_ok (rich_model);
  g_autofree char *dir = g_dir_make_tmp ("coordyn-test-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "model.json", NULL);
  gboolean writable;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, old_text, -1, NULL));
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  writable = access (dir, W_OK) == 0;
  if (writable)
    {
      g_chmod (dir, 0755);
      g_remove (path);
      g_rmdir (dir);
      g_test_skip ("SKIP: running as root, a read-only directory is still writable; "
                   "/engine/model-json/save/failed-write-keeps-old covers a failed save");
      return;
    }
  g_assert_false (cd_model_save_file (model, path, &error));
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
  g_chmod (dir, 0755);
  assert_file_is_old (path);
  assert_only_entry (dir, "model.json");
  g_remove (path);
  g_rmdir (dir);
}

/* A write that fails halfway (the file-size limit stands in for a full
 * disk) leaves the existing file byte-identical and no temporary file. */
static void
test_save_failed_write_keeps_old (void)
{
  const char *dir = g_getenv ("CD_TEST_SAVE_DIR");

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdModel) model = load_ok (rich_model);
      g_autofree char *path = g_build_filename (dir, "model.json", NULL);
      struct rlimit limit = { 16, 16 };

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      g_assert_false (cd_model_save_file (model, path, &error));
      g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
      g_printerr ("save failed as intended: %s\n", error->message);
      return;
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *tmp = g_dir_make_tmp ("coordyn-test-XXXXXX", &error);
      g_autofree char *path = g_build_filename (tmp, "model.json", NULL);

      g_assert_no_error (error);
      g_assert_true (g_file_set_contents (path, old_text, -1, NULL));
      g_setenv ("CD_TEST_SAVE_DIR", tmp, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
      g_unsetenv ("CD_TEST_SAVE_DIR");
      g_test_trap_assert_passed ();
      g_test_trap_assert_stderr ("*save failed as intended*");
      assert_file_is_old (path);
      assert_only_entry (tmp, "model.json");
      g_remove (path);
      g_rmdir (tmp);
    }
}

/* ---- the strict parser against the old path ----------------------------- */

/* Loads `data` both ways — the strict parser first (cd_model_load_data)
 * and json-glib only — and fails unless both give the same model (same
 * saved bytes) or the same error.  Returns whether the strict parser took
 * the text, so that a test can tell it was exercised. */
static gboolean
same_either_way (const char *label,
                 const char *data,
                 gsize       length)
{
  g_autoptr(GError) fast_error = NULL;
  g_autoptr(GError) slow_error = NULL;
  g_autoptr(CdModel) fast = cd_model_load_data (data, length, &fast_error);
  g_autoptr(CdModel) slow = cd_model_load_data_json_glib (data, length, &slow_error);
  g_autoptr(CdJsonDoc) doc = cd_json_parse_strict (data, length, CD_MODEL_MAX_DEPTH);

  if ((fast == NULL) != (slow == NULL))
    {
      g_test_fail_printf ("%s: %s with the strict parser, %s through json-glib (%s)", label,
                          fast ? "loads" : "refused", slow ? "loads" : "refused",
                          fast_error ? fast_error->message : slow_error->message);
      return doc != NULL;
    }
  if (fast != NULL)
    {
      gsize fast_len, slow_len;
      g_autofree char *fast_json = cd_model_to_json (fast, &fast_len);
      g_autofree char *slow_json = cd_model_to_json (slow, &slow_len);

      if (!cd_model_equal (fast, slow) || fast_len != slow_len
          || memcmp (fast_json, slow_json, fast_len) != 0)
        g_test_fail_printf ("%s: the two ways load different models", label);
    }
  else if (fast_error->domain != slow_error->domain || fast_error->code != slow_error->code
           || strcmp (fast_error->message, slow_error->message) != 0)
    g_test_fail_printf ("%s: the two ways refuse with different errors:\n  %s\n  %s", label,
                        fast_error->message, slow_error->message);
  return doc != NULL;
}

/* Inputs where json-glib 1.6, the old byte scan and RFC 8259 part ways. */
static const char *const tricky_inputs[] = {
  "\xef\xbb\xbf{'nodes':[{'id':'a'}]}",
  "[{'nodes':[{'id':'a'}]}]",
  "{'nodes':[{'id':'a'}]} {'nodes':[]}",
  "{'nodes':[{'id':'a'}]}]",
  "{'nodes':[{'id':'a'}]} 1",
  "{'nodes':[{'id':'a'}]} true",
  "{'nodes':[{'id':'a'}],'version':1234567890123456789}",
  "{'nodes':[{'id':'a'}],'version':-9223372036854775808}",
  "{'nodes':[{'id':'a'}],'version':99999999999999999999}",
  "{'nodes':[{'id':'a','x0':100000000000000000000}]}",
  "{'nodes':[{'id':'a'}],'\\u006eodes':[]}",
  "{'nodes':[{'id':'a\\u00e9\\ud83d\\ude00\\n\\t\\'\\\\\\/\\b\\f\\r'}]}",
  "{'nodes':[{'id':'a\\uD83D\\uDE00','name':'\\u4E2D\\u6587'}]}",
  "{'nodes':[{'id':'a\\ud800'}]}",
  "{'nodes':[{'id':'a\\udc00'}]}",
  "{'nodes':[{'id':'a\\ud800\\u0041'}]}",
  "{'nodes':[{'id':'a\\ud800x'}]}",
  "{'nodes':[{'id':'a\\u0000b'}]}",
  "{'nodes':[{'id':'a\\u12'}]}",
  "{'nodes':[{'id':'a\\x41'}]}",
  "{'nodes':[{'id':'a','name':'tab\there'}]}",
  "{'nodes':[{'id':'a'}],'\\ud800':1}",
  "{'nodes':[{'id':'a','x0':-0}]}",
  "{'nodes':[{'id':'a','x0':-0.0}]}",
  "{'nodes':[{'id':'a','x0':0e5}]}",
  "{'nodes':[{'id':'a','x0':1E-1}]}",
  "{'nodes':[{'id':'a','x0':1e400}]}",
  "{'nodes':[{'id':'a','x0':-1e400}]}",
  "{'nodes':[{'id':'a','x0':1e-400}]}",
  "{'nodes':[{'id':'a','x0':4.9e-324}]}",
  "{'nodes':[{'id':'a','x0':2.2250738585072014e-308}]}",
  "{'nodes':[{'id':'a','x0':0.1000000000000000055511151231257827}]}",
  "{'nodes':[{'id':'a','x0':0.30000000000000004}]}",
  "{'nodes':[{'id':'a','x0':0.99999999999999999999}]}",
  "{'nodes':[{'id':'a','x0':123456789012345678}]}",
  "{'nodes':[{'id':'a','x0':1234567890123456789}]}",
  "{'nodes':[{'id':'a','x0':12345678901234567890}]}",
  "{'nodes':[{'id':'a','x0':18446744073709551617}]}",
  "{'nodes':[{'id':'a','x0':-9223372036854775808}]}",
  "{'nodes':[{'id':'a','x0':9007199254740993.0}]}",
  "{'nodes':[{'id':'a','x0':0x10}]}",
  "{'nodes':[{'id':'a','x0':010}]}",
  "{'nodes':[{'id':'a','x0':.5}]}",
  "{'nodes':[{'id':'a','x0':5.}]}",
  "{'nodes':[{'id':'a','x0':1.5e}]}",
  "{'nodes':[{'id':'a','x0':- 0.5}]}",
  "{'nodes':[{'id':'a','x0':+0.5}]}",
  "{'nodes':[{'id':'a','x0':NaN}]}",
  "{'nodes':[{'id':'a','x0':Infinity}]}",
  "{'nodes':[{'id':'a','fixed':True}]}",
  "{'version':1.0,'nodes':[]}",
  "{'version':1e0,'nodes':[]}",
  "{'version':-0,'nodes':[]}",
  "{'nodes':[{'id':'a','id':'b'}]}",
  "{'nodes':[{'id':'a','\\u0069d':'b'}]}",
  "{'nodes':[{'id':'a'}],'x':1,'x':2}",
  "{'nodes':[{'id':'a'}],'names':{'zh':'x','en':'y','zh':'z'}}",
  "{'nodes':[{'id':'a',}]}",
  "{'nodes':[{'id':'a'},]}",
  "{/* c */'nodes':[{'id':'a'}]}",
  "{'nodes':[{'id':'a'}]} // c",
  "# c\n{'nodes':[{'id':'a'}]}",
  "\xef\xbb\xbf{'nodes':[{'id':'a'}]}",
  "",
  " \n\t\r ",
  "{",
  "{'nodes':[{'id':'a'",
  "{'nodes':[{'id':'a'}]}\r\n",
  "{\r\n'nodes'\t:\r[ {'id' : 'a' } ]\n}",
  "{\f'nodes':[]}",
  "{nodes:[{'id':'a'}]}",
  "{'nodes':[{'id':'a'}]}{'x':1}",
  "{'nodes':[{'id':'a'}]} x",
  "{'nodes':[{'id':'a'}]};",
  "var x = {'nodes':[{'id':'a'}]};",
  "[1,2]",
  "'x'",
  "1",
  "null",
  "true",
  "{'nodes':[{'id':'a'}],'names':{'':'x'}}",
  "{'nodes':[{'id':'a','pos':[1,2,3]}]}",
  "{'nodes':[{'id':'a','pos':[1e400,2]}]}",
  "{'nodes':[{'id':'a','x0':'0.5'}]}",
  "{'nodes':[{'x0':0.5},7,'x',null,[],true]}",
  "{'nodes':[{'id':'a'},{'id':'b'}],'edges':[{'kind':'command','source':'a','target':'b',"
  "'trust':1},{'kind':'x'},{},3,{'kind':'partnership','source':'a','target':'b','weight':1}]}",
  "{'nodes':[{'id':'a'}],'events':[{'impact':{'a':0.5,'b':2}},"
  "{'onset':-1,'magnitude':1,'decay':0}]}",
  "{'nodes':[{'id':'a'}],'interventions':[{'set':{'dynamics.rule':1,'nope':2,"
  "'gravity.trust':'x'}},{'at':-1,'set':{'gravity.trust':99}}]}",
  "{'nodes':[{'id':'a'}],'scenarios':[{'parameters':{'dynamics':{'rule':'x'},"
  "'gravity':{'bad':1},'nope':{}},'interventions':[{}]},{'name':''},{'name':''}]}",
  "{'nodes':[{'id':'a'}],'ranges':{'gravity.trust':{'distribution':'triangular','min':2},"
  "'nope':{},'gravity.interest':{'min':0,'max':1,'extra':1}}}",
  "{'format':'x','version':2.5,'nodes':[{'id':'a'}],"
  "'simulation':{'t_end':-1,'dt':0,'rtol':0,'atol':-1,'x':1}}",
  "{'format':1,'version':'1','name':2,'description':[],'parameters':3,'simulation':[],"
  "'nodes':{},'edges':{},'events':1,'interventions':'x','scenarios':null,'ranges':[]}",
};

static GString *
nested (const char *open,
        const char *close,
        int         levels)
{
  GString *s = g_string_new ("{'nodes':[],'names':");

  for (int i = 0; i < levels; i++)
    g_string_append (s, open);
  g_string_append (s, "1");
  for (int i = 0; i < levels; i++)
    g_string_append (s, close);
  g_string_append_c (s, '}');
  return s;
}

static void
test_strict_tricky (void)
{
  guint taken = 0;

  for (guint i = 0; i < G_N_ELEMENTS (tricky_inputs); i++)
    {
      g_autofree char *json = dq (tricky_inputs[i]);
      g_autofree char *label = g_strdup_printf ("tricky input %u (%s)", i, json);
      taken += same_either_way (label, json, strlen (json));
    }
  /* Nesting at the limit and one past it, in objects and in arrays. */
  for (int levels = CD_MODEL_MAX_DEPTH - 3; levels <= CD_MODEL_MAX_DEPTH; levels++)
    {
      g_autoptr(GString) objects = nested ("{'a':", "}", levels);
      g_autoptr(GString) arrays = nested ("[", "]", levels);
      g_autofree char *o = dq (objects->str);
      g_autofree char *a = dq (arrays->str);
      g_autofree char *label = g_strdup_printf ("%d levels", levels);

      taken += same_either_way (label, o, strlen (o));
      taken += same_either_way (label, a, strlen (a));
    }
  /* Repeated keys in an object big enough for the hash table. */
  for (int variant = 0; variant < 3; variant++)
    {
      g_autoptr(GString) s = g_string_new ("{\"nodes\":[{\"id\":\"a\"}],\"events\":[{\"onset\":0,"
                                           "\"magnitude\":1,\"decay\":1,\"impact\":{");
      for (int k = 0; k < 100; k++)
        g_string_append_printf (s, "%s\"n%d\":0.5", k ? "," : "", k);
      if (variant == 1)
        g_string_append (s, ",\"n57\":0.5");
      else if (variant == 2)
        g_string_append (s, ",\"n\\u0035\":0.5");
      g_string_append (s, "}}]}");
      taken += same_either_way ("big impact object", s->str, s->len);
    }
  g_test_message ("the strict parser took %u of the tricky inputs", taken);
  g_assert_cmpuint (taken, >, 10);
}

/* Replaces, inserts, deletes or copies bytes, and splices in JSON tokens. */
static void
mutate (GString *s,
        GRand   *rand)
{
  static const char *const tokens[] = {
    "{", "}", "[", "]", ":", ",", "\"", "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00",
    "\\\"", "\\/", "\\n", "\\u00e9", "\\x", "'", "true", "false", "null", "-", "0", "1",
    "0.5", "1e400", "1e-320", "-0", "-0.0", "01", "0x1F", "12345678901234567890", ".5",
    "1.5e", "+1", "NaN", "/* c */", "// c\n", "\r", "\t", " ", "\xef\xbb\xbf", "\xc3\xa9",
    "\xed\xa0\x80", "\xff", "\x01", "\"id\"", "\"kind\"", "\"nodes\"", "\"edges\"", "\"x0\"",
    "\"impact\"", "\"zh\"", "\"\"", "\"gravity.trust\"", "\"dynamics.rule\"", "\"source\"",
    "\"partnership\"", "\"command\"", "[[[[[[[[[[[[[[[[", "{\"a\":1,\"a\":2}",
  };
  int n = g_rand_int_range (rand, 1, 4);

  for (int k = 0; k < n; k++)
    {
      gsize len = s->len;
      gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) len + 1);

      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0:
          if (len > 0)
            s->str[MIN (at, len - 1)] = (char) g_rand_int_range (rand, 0, 256);
          break;
        case 1:
          if (at < len)
            {
              gsize n_bytes = (gsize) g_rand_int_range (rand, 1, 16);
              g_string_erase (s, (gssize) at, (gssize) MIN (n_bytes, len - at));
            }
          break;
        case 2:
          if (len > 0)
            g_string_truncate (s, at);
          break;
        case 3:
          if (len > 2)
            {
              gsize from = (gsize) g_rand_int_range (rand, 0, (gint32) len);
              gsize n_bytes = (gsize) g_rand_int_range (rand, 1, 40);
              g_autofree char *piece = NULL;

              n_bytes = MIN (n_bytes, len - from);
              piece = g_strndup (s->str + from, n_bytes);
              g_string_insert_len (s, (gssize) at, piece, (gssize) n_bytes);
            }
          break;
        default:
          g_string_insert (s, (gssize) at,
                           tokens[g_rand_int_range (rand, 0, G_N_ELEMENTS (tokens))]);
          break;
        }
    }
}

static void
collect_files (const char *dir,
               GPtrArray  *files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) d = g_dir_open (dir, 0, &error);
  const char *name;

  /* A missing seed folder would make the comparison vacuous. */
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
}

static void
test_strict_files (void)
{
  const char *examples = g_getenv ("COORDYN_EXAMPLES_DIR");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20241129);
  guint taken = 0, mutants = 0, mutants_taken = 0;

  g_assert_nonnull (examples);
  collect_files (examples, files);
  collect_files (g_test_get_filename (G_TEST_DIST, "fuzz", "corpus", NULL), files);
  collect_files (g_test_get_filename (G_TEST_DIST, "fuzz", "regressions", NULL), files);
  g_assert_cmpuint (files->len, >, 20);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *data = NULL;
      gsize length;
      g_autoptr(GError) error = NULL;

      g_file_get_contents (path, &data, &length, &error);
      g_assert_no_error (error);
      taken += same_either_way (path, data, length);
      /* Every shipped example is plain JSON: it must take the fast way. */
      if (g_str_has_prefix (path, examples))
        {
          g_autoptr(CdJsonDoc) doc = cd_json_parse_strict (data, length, CD_MODEL_MAX_DEPTH);
          if (doc == NULL)
            g_test_fail_printf ("%s: the strict parser did not take a shipped example", path);
        }
      for (int k = 0; k < 300; k++)
        {
          g_autoptr(GString) m = g_string_new_len (data, (gssize) length);
          g_autofree char *label = NULL;

          mutate (m, rand);
          label = g_strdup_printf ("%s, mutant %d", path, k);
          mutants++;
          mutants_taken += same_either_way (label, m->str, m->len);
        }
    }
  g_test_message ("%u files (%u by the strict parser), %u mutants (%u by the strict parser)",
                  files->len, taken, mutants, mutants_taken);
  g_assert_cmpuint (mutants_taken, >, mutants / 50);
}

/* The national model, as written, takes the strict parser and loads the
 * same as through json-glib. */
static void
test_strict_national (void)
{
  g_autoptr(CdModel) model = cd_generate_national (1);
  gsize length;
  g_autofree char *json = cd_model_to_json (model, &length);
  g_autoptr(CdJsonDoc) doc = cd_json_parse_strict (json, length, CD_MODEL_MAX_DEPTH);

  g_assert_nonnull (doc);
  g_assert_true (same_either_way ("national model", json, length));
}

/* A decimal through the strict parser, or FALSE if it gave the text up. */
static gboolean
strict_number (const char *literal,
               CdJsonKind *kind,
               double     *value)
{
  g_autofree char *json = g_strdup_printf ("{\"x\":%s}", literal);
  g_autoptr(CdJsonDoc) doc = cd_json_parse_strict (json, strlen (json), CD_MODEL_MAX_DEPTH);
  const CdJsonValue *x;

  if (doc == NULL)
    return FALSE;
  x = cd_json_object_get_member (cd_json_doc_get_root (doc), "x");
  g_assert_nonnull (x);
  *kind = x->kind;
  *value = x->kind == CD_JSON_INT ? (double) x->u.integer : x->u.number;
  return TRUE;
}

static void
check_number (const char *literal,
              guint      *taken)
{
  CdJsonKind kind;
  double got, want;

  if (!strict_number (literal, &kind, &got))
    return;
  (*taken)++;
  want = g_ascii_strtod (literal, NULL);
  /* Bits, not ==: -0.0 and 0.0 must not pass for each other. */
  if (memcmp (&got, &want, sizeof got) != 0)
    g_test_fail_printf ("%s read as %.17g, strtod says %.17g", literal, got, want);
  if ((kind == CD_JSON_INT) != (strpbrk (literal, ".eE") == NULL))
    g_test_fail_printf ("%s read as an %s", literal, kind == CD_JSON_INT ? "integer" : "double");
}

/* Every decimal the strict parser takes is the double json-glib makes of
 * it (g_strtod, correctly rounded): random literals of 1 to 20 digits, and
 * integers past 2^53 whose halves are ties between two doubles. */
static void
test_strict_numbers (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint taken = 0;
  char literal[96];

  for (int i = 0; i < 300000; i++)
    {
      int digits = g_rand_int_range (rand, 1, 21), n_int = g_rand_int_range (rand, 0, 21);
      int p = 0;

      n_int = MIN (n_int, digits);
      if (g_rand_boolean (rand))
        literal[p++] = '-';
      if (n_int == 0)
        literal[p++] = '0';
      for (int k = 0; k < n_int; k++)
        literal[p++] = (char) ('0' + g_rand_int_range (rand, k == 0 ? 1 : 0, 10));
      if (n_int < digits || g_rand_int_range (rand, 0, 4) == 0)
        {
          literal[p++] = '.';
          for (int k = 0; k < MAX (1, digits - n_int); k++)
            literal[p++] = (char) ('0' + g_rand_int_range (rand, 0, 10));
        }
      literal[p] = '\0';
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_snprintf (literal + p, sizeof literal - (gsize) p, "e%d",
                    g_rand_int_range (rand, -30, 31));
      check_number (literal, &taken);
    }
  for (int i = 0; i < 100000; i++)
    {
      guint64 v = (((guint64) g_rand_int (rand) << 32) | g_rand_int (rand)) >> 10;

      v |= (guint64) 1 << 53;
      if (g_rand_boolean (rand))
        v |= 1;
      g_snprintf (literal, sizeof literal, "%" G_GUINT64_FORMAT ".0", v);
      check_number (literal, &taken);
      g_snprintf (literal, sizeof literal, "%" G_GUINT64_FORMAT "e-%d", v,
                  g_rand_int_range (rand, 1, 20));
      check_number (literal, &taken);
      g_snprintf (literal, sizeof literal, "%" G_GUINT64_FORMAT "e%d",
                  v % G_GUINT64_CONSTANT (100000000000000000), g_rand_int_range (rand, 1, 20));
      check_number (literal, &taken);
    }
  g_test_message ("%u decimals compared", taken);
  g_assert_cmpuint (taken, >, 500000);
}

/* What the strict parser must leave to json-glib, so that json-glib's
 * reading or its error message is kept. */
static void
test_strict_gives_up (void)
{
  static const char *const refused[] = {
    "", " ", "1", "{} x", "{}{}", "[] []", "{/**/}", "{} // c", "{'a':1,}",
    "{'a':[1,]}", "{a:1}", "{\\'a\\':1}", "{'a':01}", "{'a':0x1}", "{'a':.5}", "{'a':5.}",
    "{'a':+1}", "{'a':- 1}", "{'a':NaN}", "{'a':True}", "{'a':'\\u0000'}", "{'a':'\\ud800'}",
    "{'a':'\\udc00\\ud800'}", "{'a':'\\q'}", "{'a':'\t'}",
    "{'a':12345678901234567890}", "{'a':9223372036854775808}", "{'a':-9223372036854775809}",
    "{'a':1,'a':2}", "{'a':1,'\\u0061':2}", "{'a':'\xc0\x80'}",
    "{'a':'\xed\xa0\x80'}", "{\f}",
  };
  /* What it takes as json-glib does (the differential tests hold it to the
   * same trees): a byte-order mark, an array at the top, numbers out of
   * the doubles' range, integers of 19 digits that fit in 64 bits. */
  static const char *const taken[] = {
    "[]", "\xef\xbb\xbf{}", "{'a':1e400}", "{'a':1e-400}", "{'a':1234567890123456789}",
    "{'a':9223372036854775807}", "{'a':-9223372036854775808}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (taken); i++)
    {
      g_autofree char *json = dq (taken[i]);
      g_autoptr(CdJsonDoc) doc = cd_json_parse_strict (json, strlen (json), CD_MODEL_MAX_DEPTH);

      if (doc == NULL)
        g_test_fail_printf ("the strict parser refused %s", json);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *json = dq (refused[i]);
      g_autoptr(CdJsonDoc) doc = cd_json_parse_strict (json, strlen (json), CD_MODEL_MAX_DEPTH);

      if (doc != NULL)
        g_test_fail_printf ("the strict parser took %s", json);
    }
  {
    /* A NUL after the object: refused, like any byte after it. */
    static const char with_nul[] = "{}\0";
    g_autoptr(CdJsonDoc) doc = cd_json_parse_strict (with_nul, sizeof with_nul - 1,
                                                     CD_MODEL_MAX_DEPTH);
    g_assert_null (doc);
  }
}

/* ---- model 2 (docs/model.md, "Model 2") ---------------------------------- */

/* Keys of the other version are refused where they are, also inside
 * policy changes, scenarios and ranges. */
static void
test_version_keys (void)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "{ 'nodes': [ { 'id': 'a', 'fragmentation_ideas': 0.5 } ] }",
      "nodes[0].fragmentation_ideas: 'fragmentation_ideas' is a version-2 key" },
    { "{ 'nodes': [ { 'id': 'a', 'appraisal': 0.5 } ] }", "nodes[0].appraisal: " },
    { "{ " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b',"
      " 'role': 'emergency' } ] }", "edges[0].role: " },
    { "{ " NODE_A ", 'parameters': { 'pressure': { 'command': 1 } } }",
      "parameters.pressure.command: " },
    { "{ " NODE_A ", 'interventions': [ { 'at': 1, 'set': { 'resistance.ideas': 1 } } ] }",
      "interventions[0].set.resistance.ideas: " },
    { "{ " NODE_A ", 'scenarios': [ { 'name': 's', 'parameters': { 'resistance':"
      " { 'powers': 1 } } } ] }", "scenarios[0].parameters.resistance.powers: " },
    { "{ " NODE_A ", 'scenarios': [ { 'name': 's', 'interventions': [ { 'at': 0,"
      " 'set': { 'pressure.command': 1 } } ] } ] }",
      "scenarios[0].interventions[0].set.pressure.command: " },
    { "{ " NODE_A ", 'ranges': { 'resistance.ideas': { 'min': 0, 'max': 1 } } }",
      "ranges.resistance.ideas: " },
    { "{ 'version': 2, 'nodes': [ { 'id': 'a', 'fragmentation': 0.5 } ] }",
      "nodes[0].fragmentation: version 2 splits" },
    { "{ 'version': 2, " NODE_A ", 'parameters': { 'resistance': { 'fragmentation': 1 } } }",
      "parameters.resistance.fragmentation: version 2 replaces" },
    { "{ 'version': 2, " NODE_A ", 'interventions': [ { 'at': 1,"
      " 'set': { 'resistance.fragmentation': 1 } } ] }",
      "interventions[0].set.resistance.fragmentation: version 2 replaces" },
    { "{ 'version': 2, " NODE_A ", 'ranges': { 'resistance.fragmentation':"
      " { 'min': 0, 'max': 1 } } }", "ranges.resistance.fragmentation: version 2 replaces" },
    { "{ 'version': 2, " NODES_AB ", 'edges': [ { 'kind': 'command', 'source': 'a',"
      " 'target': 'b', 'role': 'joint' } ] }", "edges[0].role: 'joint' is not a role" },
    { "{ 'version': 2, " NODES_AB ", 'edges': [ { 'kind': 'partnership', 'source': 'a',"
      " 'target': 'b', 'role': 'emergency' } ] }",
      "edges[0]: a partnership has no weight or role" },
    { "{ 'version': 2, 'nodes': [ { 'id': 'a', 'appraisal': 1.5 } ] }",
      "nodes[0].appraisal: 1.5 is outside [0, 1]" },
    { "{ 'version': 2, 'nodes': [ { 'id': 'a', 'fragmentation_powers': -1 } ] }",
      "nodes[0].fragmentation_powers: -1 is outside [0, 1]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    expect_error (cases[i].json, INVALID, cases[i].message);
}

/* A cycle through command lines of both roles is a cycle. */
static void
test_version2_cycle (void)
{
  expect_error ("{ 'version': 2, " NODES_AB ", 'edges': ["
                " { 'kind': 'command', 'source': 'a', 'target': 'b', 'role': 'emergency' },"
                " { 'kind': 'command', 'source': 'b', 'target': 'a' } ] }",
                INVALID, "command cycle");
}

/* Version 2 loads with its defaults, saves every value (an unset appraisal
 * as its default) and loads back the same. */
static void
test_version2_round_trip (void)
{
  g_autoptr(CdModel) model = load_ok (
    "{ 'version': 2, 'simulation': { 'time_unit': 'days' },"
    "  'parameters': { 'pressure': { 'command': 2 }, 'resistance': { 'ideas': 0.5 } },"
    "  'nodes': [ { 'id': 'a' }, { 'id': 'b', 'appraisal': 0.25 }, { 'id': 'c' } ],"
    "  'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b', 'role': 'emergency' },"
    "    { 'kind': 'command', 'source': 'a', 'target': 'c' } ] }");
  g_autoptr(CdModel) again = NULL;
  g_autoptr(CdModel) pinned = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autoptr(GError) error = NULL;
  const CdNode *a, *b, *c;

  g_assert_cmpint (model->version, ==, 2);
  g_assert_cmpstr (model->time_unit, ==, "days");
  g_assert_cmpfloat (model->params.values[CD_PARAM_PRESSURE_COMMAND], ==, 2.0);
  g_assert_cmpfloat (model->params.values[CD_PARAM_RESISTANCE_IDEAS], ==, 0.5);
  g_assert_cmpfloat (model->params.values[CD_PARAM_RESISTANCE_POWERS], ==, 1.0);
  a = g_ptr_array_index (model->nodes, 0);
  b = g_ptr_array_index (model->nodes, 1);
  c = g_ptr_array_index (model->nodes, 2);
  g_assert_cmpfloat (a->fragmentation_ideas, ==, 0.5);
  g_assert_cmpfloat (a->fragmentation_powers, ==, 0.5);
  g_assert_false (a->has_appraisal);
  g_assert_true (b->has_appraisal);
  g_assert_false (c->has_appraisal);
  g_assert_cmpfloat (cd_model_node_appraisal (model, 0), ==, 0.0);
  g_assert_cmpfloat (cd_model_node_appraisal (model, 1), ==, 0.25);
  g_assert_cmpfloat (cd_model_node_appraisal (model, 2), ==, 1.0);
  g_assert_cmpint (((CdEdge *) g_ptr_array_index (model->edges, 0))->role, ==,
                   CD_ROLE_EMERGENCY);
  g_assert_cmpint (((CdEdge *) g_ptr_array_index (model->edges, 1))->role, ==,
                   CD_ROLE_ADMINISTRATIVE);

  json = cd_model_to_json (model, NULL);
  g_assert_nonnull (strstr (json, "\"version\": 2"));
  g_assert_nonnull (strstr (json, "\"time_unit\": \"days\""));
  g_assert_nonnull (strstr (json, "\"command\": 2"));
  g_assert_null (strstr (json, "\"fragmentation\""));
  g_assert_nonnull (strstr (json, "{ \"id\": \"a\", \"name\": \"a\", \"level\": \"other\", "
                                  "\"capacity\": 0.5, \"vulnerability\": 0.5, "
                                  "\"fragmentation_ideas\": 0.5, \"fragmentation_powers\": 0.5, "
                                  "\"appraisal\": 0, \"x0\": 0.1"));
  g_assert_nonnull (strstr (json, "{ \"id\": \"c\", \"name\": \"c\", \"level\": \"other\", "
                                  "\"capacity\": 0.5, \"vulnerability\": 0.5, "
                                  "\"fragmentation_ideas\": 0.5, \"fragmentation_powers\": 0.5, "
                                  "\"appraisal\": 1, \"x0\": 0.1"));
  g_assert_nonnull (strstr (json, "\"weight\": 1, \"role\": \"emergency\" }"));
  again = cd_model_load_data (json, strlen (json), &error);
  g_assert_no_error (error);
  json2 = cd_model_to_json (again, NULL);
  g_assert_cmpstr (json, ==, json2);
  /* the file pins the default appraisals: it loads as the model with them
   * pinned, which simulates identically (found by fuzzing) */
  g_assert_false (cd_model_equal (model, again));
  pinned = cd_model_copy (model);
  cd_model_pin_default_appraisals (pinned);
  g_assert_true (cd_model_equal (pinned, again));
  for (guint i = 0; i < model->nodes->len; i++)
    g_assert_cmpfloat (cd_model_node_appraisal (again, i), ==, cd_model_node_appraisal (model, i));

  /* a government that gains a superior gets appraisal 1 */
  cd_model_remove_node (model, 1);
  g_assert_cmpfloat (cd_model_node_appraisal (model, 0), ==, 0.0);
  g_ptr_array_add (model->edges, cd_edge_new (CD_EDGE_COMMAND, "c", "a"));
  g_ptr_array_remove_index (model->edges, 0);
  g_assert_true (cd_model_validate (model, &error));
  g_assert_cmpfloat (cd_model_node_appraisal (model, 0), ==, 1.0);
  g_assert_cmpfloat (cd_model_node_appraisal (model, 1), ==, 0.0);
}

/* docs/model.md, "Upgrade", including every place that sets r_f. */
static void
test_upgrade (void)
{
  g_autoptr(CdModel) v1 = load_ok (
    "{ 'parameters': { 'resistance': { 'fragmentation': 3 } },"
    "  'nodes': [ { 'id': 'a', 'fragmentation': 0.3 }, { 'id': 'b' } ],"
    "  'edges': [ { 'kind': 'command', 'source': 'a', 'target': 'b', 'weight': 0.5 } ],"
    "  'interventions': [ { 'at': 2, 'set': { 'resistance.law': 0.5,"
    "    'resistance.fragmentation': 1, 'thrust.info': 1 } } ],"
    "  'scenarios': [ { 'name': 's', 'parameters': { 'resistance': { 'fragmentation': 4 } },"
    "    'interventions': [ { 'at': 1, 'set': { 'resistance.fragmentation': 2 } } ] } ],"
    "  'ranges': { 'resistance.law': { 'min': 0, 'max': 1 },"
    "    'resistance.fragmentation': { 'distribution': 'triangular', 'min': 1, 'max': 3,"
    "      'mode': 2 } } }");
  g_autoptr(CdModel) v2 = NULL;
  g_autoptr(CdModel) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const CdIntervention *iv;
  const CdScenario *sc;
  const CdNode *a;
  const CdRange *r;

  v2 = cd_model_upgrade (v1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v2->version, ==, 2);
  g_assert_cmpfloat (v2->params.values[CD_PARAM_RESISTANCE_IDEAS], ==, 1.5);
  g_assert_cmpfloat (v2->params.values[CD_PARAM_RESISTANCE_POWERS], ==, 1.5);
  a = g_ptr_array_index (v2->nodes, 0);
  g_assert_cmpfloat (a->fragmentation_ideas, ==, 0.3);
  g_assert_cmpfloat (a->fragmentation_powers, ==, 0.3);
  g_assert_false (a->has_appraisal);
  g_assert_cmpint (((CdEdge *) g_ptr_array_index (v2->edges, 0))->role, ==,
                   CD_ROLE_ADMINISTRATIVE);
  /* in its place: law, ideas, powers, info */
  iv = g_ptr_array_index (v2->interventions, 0);
  g_assert_cmpuint (iv->settings->len, ==, 4);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 1).param, ==,
                   CD_PARAM_RESISTANCE_IDEAS);
  g_assert_cmpfloat (g_array_index (iv->settings, CdSetting, 1).value, ==, 0.5);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 2).param, ==,
                   CD_PARAM_RESISTANCE_POWERS);
  g_assert_cmpfloat (g_array_index (iv->settings, CdSetting, 2).value, ==, 0.5);
  sc = g_ptr_array_index (v2->scenarios, 0);
  g_assert_false (sc->param_set[CD_PARAM_RESISTANCE_FRAGMENTATION]);
  g_assert_true (sc->param_set[CD_PARAM_RESISTANCE_IDEAS]);
  g_assert_cmpfloat (sc->param_value[CD_PARAM_RESISTANCE_POWERS], ==, 2.0);
  iv = g_ptr_array_index (sc->interventions, 0);
  g_assert_cmpfloat (g_array_index (iv->settings, CdSetting, 0).value, ==, 1.0);
  g_assert_cmpuint (v2->ranges->len, ==, 3);
  r = &g_array_index (v2->ranges, CdRange, 1);
  g_assert_cmpint (r->param, ==, CD_PARAM_RESISTANCE_IDEAS);
  g_assert_cmpfloat (r->min, ==, 0.5);
  g_assert_cmpfloat (r->max, ==, 1.5);
  g_assert_cmpfloat (r->mode, ==, 1.0);
  g_assert_cmpint (g_array_index (v2->ranges, CdRange, 2).param, ==,
                   CD_PARAM_RESISTANCE_POWERS);

  /* saved and loaded back, it saves the same (its appraisals now its own:
   * saving writes every value) */
  json = cd_model_to_json (v2, NULL);
  again = cd_model_load_data (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_true (((CdNode *) g_ptr_array_index (again->nodes, 0))->has_appraisal);
  {
    g_autofree char *json2 = cd_model_to_json (again, NULL);
    g_assert_cmpstr (json, ==, json2);
  }
  /* a version-2 model is refused */
  g_assert_null (cd_model_upgrade (v2, &error));
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID);
}

/* cd_json_read_spec, the prologue of the institution and experiment
 * readers: the size cap, the parse and the object at the top, each error in
 * the caller's domain and code. */
static void
test_read_spec (void)
{
  g_autoptr(CdJsonDoc) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = NULL;
  const CdJsonValue *root;
  gboolean utf8_checked = FALSE;
  const gsize cap = (gsize) 1 << 20;
  const GQuark domain = g_quark_from_static_string ("test-spec");
  const char *object = "{\"a\": 1}", *broken = "{\"a\": }";

  root = cd_json_read_spec (object, strlen (object), CD_JSON_SPEC_EXPERIMENT, cap, domain, 7,
                            &doc, &utf8_checked, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_nonnull (doc);
  g_assert_true (root == cd_json_doc_get_root (doc));
  g_assert_true (utf8_checked);
  g_assert_nonnull (cd_json_object_get_member (root, "a"));
  g_clear_pointer (&doc, cd_json_doc_free);

  root = cd_json_read_spec ("[1]", 3, CD_JSON_SPEC_INSTITUTION, cap, domain, 7, &doc, NULL,
                            &error);
  g_assert_null (root);
  g_assert_null (doc);
  g_assert_error (error, domain, 7);
  g_assert_cmpstr (error->message, ==,
                   "an institutional arrangement holds one JSON object, not an array");
  g_clear_error (&error);

  root = cd_json_read_spec ("", 0, CD_JSON_SPEC_EXPERIMENT, cap, domain, 7, &doc, NULL, &error);
  g_assert_null (root);
  g_assert_error (error, domain, 7);
  g_clear_error (&error);

  root = cd_json_read_spec (broken, strlen (broken), CD_JSON_SPEC_MODEL, cap, domain, 7, &doc,
                            NULL, &error);
  g_assert_null (root);
  g_assert_error (error, domain, 7);     /* a syntax error, in the caller's code */
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_clear_error (&error);

  /* One byte over the cap is refused before it is parsed. */
  big = g_strnfill (cap + 1, ' ');
  root = cd_json_read_spec (big, cap + 1, CD_JSON_SPEC_EXPERIMENT, cap, domain, 7, &doc, NULL,
                            &error);
  g_assert_null (root);
  g_assert_error (error, domain, 7);
  g_assert_cmpstr (error->message, ==, "the file is larger than 1 MiB: not an experiment spec");
  g_clear_error (&error);
  root = cd_json_read_spec (big, cap + 1, CD_JSON_SPEC_INSTITUTION, cap, domain, 7, &doc, NULL,
                            &error);
  g_assert_error (error, domain, 7);
  g_assert_cmpstr (error->message, ==,
                   "the file is larger than 1 MiB: not an institutional arrangement");
  g_clear_error (&error);
}

/* A file of one of Coordyn's other two kinds is refused in one sentence
 * that says what it is, not key by key; a format that is none of the three
 * is reported with the file's other problems (the "other-model" case of
 * test_errors). */
static void
test_other_kind_of_file (void)
{
  static const struct
  {
    CdJsonSpec  spec;
    const char *format;
    const char *message;   /* NULL: the format is the spec's own, or unknown */
  } cases[] = {
    { CD_JSON_SPEC_MODEL, "coordyn-institution",
      "format: this file is an institutional arrangement, not a model: apply it to a model "
      "(coordyn-cli run or compare --institution, or the app's Apply Arrangement as Scenario)" },
    { CD_JSON_SPEC_MODEL, "coordyn-experiment",
      "format: this file is an experiment spec, not a model: run it with coordyn-cli "
      "experiment, or open it on the Experiments page of the app's Analysis view" },
    { CD_JSON_SPEC_MODEL, "coordyn-model", NULL },
    { CD_JSON_SPEC_INSTITUTION, "coordyn-model",
      "format: this file is a model, not an institutional arrangement" },
    { CD_JSON_SPEC_INSTITUTION, "coordyn-experiment",
      "format: this file is an experiment spec, not an institutional arrangement" },
    { CD_JSON_SPEC_INSTITUTION, "coordyn-institution", NULL },
    { CD_JSON_SPEC_EXPERIMENT, "coordyn-model",
      "format: this file is a model, not an experiment spec: a spec names its model under "
      "\"model\"" },
    { CD_JSON_SPEC_EXPERIMENT, "coordyn-institution",
      "format: this file is an institutional arrangement, not an experiment spec: a spec "
      "lists arrangements under \"institutions\"" },
    { CD_JSON_SPEC_EXPERIMENT, "coordyn-experiment", NULL },
    { CD_JSON_SPEC_EXPERIMENT, "coordyn-experiments", NULL },
  };
  const GQuark domain = g_quark_from_static_string ("test-spec");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CdJsonDoc) doc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = g_strdup_printf ("{\"format\": \"%s\", \"unknown\": 1}",
                                               cases[i].format);
      const CdJsonValue *root = cd_json_read_spec (text, strlen (text), cases[i].spec,
                                                   (gsize) 1 << 20, domain, 7, &doc, NULL,
                                                   &error);

      g_test_message ("case %u: %s", i, text);
      if (cases[i].message == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (root);
        }
      else
        {
          g_assert_null (root);
          g_assert_null (doc);
          g_assert_error (error, domain, 7);
          g_assert_cmpstr (error->message, ==, cases[i].message);
        }
    }

  /* The model reader says so in one line, whatever else the file holds. */
  {
    g_autoptr(GError) error = NULL;
    const char *institution = "{\"format\": \"coordyn-institution\", \"version\": 1, "
                              "\"name\": \"x\", \"governments\": []}";
    g_autoptr(CdModel) model = cd_model_load_data (institution, strlen (institution), &error);

    g_assert_null (model);
    g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message,
                                     "format: this file is an institutional arrangement"));
    g_assert_null (strchr (error->message, '\n'));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/model-json/errors/unknown-keys", test_unknown_keys);
  g_test_add_func ("/engine/model-json/errors/read-spec", test_read_spec);
  g_test_add_func ("/engine/model-json/errors/other-kind-of-file", test_other_kind_of_file);
  g_test_add_func ("/engine/model-json/errors/wrong-types", test_wrong_types);
  g_test_add_func ("/engine/model-json/errors/missing-fields", test_missing_fields);
  g_test_add_func ("/engine/model-json/errors/out-of-range", test_out_of_range);
  g_test_add_func ("/engine/model-json/errors/parameter-ranges", test_parameter_ranges);
  g_test_add_func ("/engine/model-json/errors/structure", test_structure);
  g_test_add_func ("/engine/model-json/errors/many", test_many_errors);
  g_test_add_func ("/engine/model-json/errors/syntax", test_syntax);
  g_test_add_func ("/engine/model-json/errors/load-file", test_load_file_errors);
  g_test_add_func ("/engine/model-json/errors/validate-edits", test_validate_edits);
  g_test_add_func ("/engine/model-json/boundaries-accepted", test_boundaries_accepted);
  g_test_add_func ("/engine/model-json/defaults", test_defaults);
  g_test_add_func ("/engine/model-json/round-trip/rich", test_round_trip);
  g_test_add_func ("/engine/model-json/round-trip/minimal", test_round_trip_minimal);
  g_test_add_func ("/engine/model-json/scenarios", test_scenarios);
  g_test_add_func ("/engine/model-json/version2/keys", test_version_keys);
  g_test_add_func ("/engine/model-json/version2/cycle", test_version2_cycle);
  g_test_add_func ("/engine/model-json/version2/round-trip", test_version2_round_trip);
  g_test_add_func ("/engine/model-json/version2/upgrade", test_upgrade);
  g_test_add_func ("/engine/model-json/save/failures", test_save_failures);
  g_test_add_func ("/engine/model-json/save/read-only-dir", test_save_read_only_dir);
  g_test_add_func ("/engine/model-json/save/over-large-file", test_save_over_large_file);
  g_test_add_func ("/engine/model-json/save/failed-write-keeps-old",
                   test_save_failed_write_keeps_old);

  g_test_add_func ("/engine/model-json/strict/same-either-way/tricky", test_strict_tricky);
  g_test_add_func ("/engine/model-json/strict/same-either-way/files", test_strict_files);
  g_test_add_func ("/engine/model-json/strict/same-either-way/national", test_strict_national);
  g_test_add_func ("/engine/model-json/strict/numbers", test_strict_numbers);
  g_test_add_func ("/engine/model-json/strict/gives-up", test_strict_gives_up);

  return g_test_run ();
}
