/* test-experiment.c — experiment specs: read strictly with every problem at
 * its place, written back to the same spec, and run as the full factorial
 * whose every row is the run of its combination, whatever the threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cd-analysis-csv.h"
#include "cd-experiment.h"
#include "cd-model-json.h"
#include "cd-model-upgrade.h"

static char *dir;

/* Two partners under an emergency, a scenario that changes the law, and
 * one named "base" in a second file. */
static const char model_json[] =
  "{ \"simulation\": {\"t_end\": 12, \"dt\": 0.5},"
  "  \"nodes\": [ {\"id\": \"a\"}, {\"id\": \"b\", \"fragmentation\": 0.4},"
  "             {\"id\": \"c\", \"vulnerability\": 0.9} ],"
  "  \"edges\": [ {\"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\"},"
  "             {\"kind\": \"command\", \"source\": \"a\", \"target\": \"c\"} ],"
  "  \"events\": [ {\"onset\": 1, \"magnitude\": 1, \"decay\": 3, \"impact\": {\"c\": 1}} ],"
  "  \"scenarios\": [ {\"name\": \"law\", \"parameters\": {\"resistance\": {\"law\": 0.8}}},"
  "                 {\"name\": \"slow\", \"parameters\": {\"dynamics\": {\"rate\": 0.3}}} ] }";

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* Loads a spec from text, relative to the test's folder. */
static CdExperiment *
load_spec (const char *text,
           GError    **error)
{
  return cd_experiment_load_data (text, strlen (text), dir, error);
}

static const char good_spec[] =
  "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
  "  \"description\": \"law against compensation\","
  "  \"vary\": { \"resistance.law\": [0.1, 0.9, 0.5],"
  "            \"resistance.compensation\": {\"from\": 0, \"to\": 1, \"steps\": 4} },"
  "  \"scenarios\": [\"slow\", \"base\"],"
  "  \"outputs\": [\"total_loss\", \"time_to_half\", \"final_mean_coordination\"] }";

static void
test_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdExperiment) exp = load_spec (good_spec, &error);
  const CdExperimentVary *law, *comp;
  guint scenario, levels[2];

  g_assert_no_error (error);
  g_assert_cmpuint (exp->n_runs, ==, 2 * 3 * 5);
  g_assert_cmpstr (exp->model_path, ==, "model.json");
  g_assert_cmpstr (exp->description, ==, "law against compensation");
  g_assert_cmpuint (exp->vary->len, ==, 2);
  law = g_ptr_array_index (exp->vary, 0);
  comp = g_ptr_array_index (exp->vary, 1);
  g_assert_cmpint (law->param, ==, CD_PARAM_RESISTANCE_LAW);
  g_assert_false (law->grid);
  /* a list keeps its order */
  g_assert_cmpfloat (law->values[1], ==, 0.9);
  /* a grid has steps + 1 values, the last exactly `to` */
  g_assert_true (comp->grid);
  g_assert_cmpuint (comp->n_values, ==, 5);
  g_assert_cmpfloat (comp->values[0], ==, 0.0);
  g_assert_cmpfloat (comp->values[1], ==, 0.25);
  g_assert_cmpfloat (comp->values[4], ==, 1.0);
  /* scenarios in the spec's order, "base" the model itself */
  g_assert_cmpuint (exp->scenarios->len, ==, 2);
  g_assert_cmpint (g_array_index (exp->scenarios, int, 0), ==, 1);
  g_assert_cmpint (g_array_index (exp->scenarios, int, 1), ==, -1);
  g_assert_cmpuint (exp->outputs->len, ==, 3);
  g_assert_cmpint (g_array_index (exp->outputs, CdExperimentOutput, 0), ==,
                   CD_EXPERIMENT_OUTPUT_TOTAL_LOSS);
  g_assert_nonnull (exp->spec_sha256);
  g_assert_true (g_str_has_prefix (exp->model_sha256, "sha256:"));

  /* nested-loop order: the scenario slowest, the last parameter fastest */
  cd_experiment_levels (exp, 0, &scenario, levels);
  g_assert_cmpuint (scenario, ==, 0);
  g_assert_cmpuint (levels[0], ==, 0);
  g_assert_cmpuint (levels[1], ==, 0);
  cd_experiment_levels (exp, 1, &scenario, levels);
  g_assert_cmpuint (levels[0], ==, 0);
  g_assert_cmpuint (levels[1], ==, 1);
  cd_experiment_levels (exp, 5, &scenario, levels);
  g_assert_cmpuint (levels[0], ==, 1);
  g_assert_cmpuint (levels[1], ==, 0);
  cd_experiment_levels (exp, 29, &scenario, levels);
  g_assert_cmpuint (scenario, ==, 1);
  g_assert_cmpuint (levels[0], ==, 2);
  g_assert_cmpuint (levels[1], ==, 4);
}

/* Every problem at its place, all of them at once. */
static void
test_errors (void)
{
  g_autofree char *based = path_of ("based.json");
  g_autofree char *broken = path_of ("broken.json");
  struct { const char *spec; const char *messages[4]; } cases[] = {
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1,, }",
      { "line 1, column" } },
    { "[1, 2]", { "one JSON object, not an array" } },
    /* a model given as a spec: one sentence, not its keys one by one */
    { "{ \"format\": \"coordyn-model\", \"version\": 2, \"nodes\": [] }",
      { "format: this file is a model, not an experiment spec" } },
    { "{ \"format\": \"coordyn-experiments\", \"version\": 2, \"model\": \"model.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\"], \"institutions\": [] }",
      { "format: \"coordyn-experiments\" is not a Coordyn experiment; expected "
        "\"coordyn-experiment\"",
        "version: version 2 is not supported; this Coordyn reads experiment version 1",
        "institutions: an empty list: give at least one entry" } },
    /* arrangements: known names or files, once each, on a version-2 model only */
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model2.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\"],"
      "  \"institutions\": [\"japan\", \"atlantis\", \"japan\", \"nonesuch.json\", 3] }",
      { "institutions[2]: \"japan\" is already in the list (entry 0)",
        "institutions[4]: expected a string, got a number" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model2.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\"],"
      "  \"institutions\": [\"base\", \"atlantis\", \"nonesuch.json\"] }",
      { "institutions[1]: no institutional arrangement named \"atlantis\"",
        "institutions[2]: ", "nonesuch.json" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\"], \"institutions\": [\"japan\"] }",
      { "institutions[0]: the arrangement \"japan\" applies to version-2 models only, and the "
        "model is version 1; upgrade it first" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"vary\": [] }",
      { "vary: expected an object, got an array", "an experiment needs \"model\"",
        "an experiment needs \"outputs\"" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": { \"resistance.law\": [0, 1.5, \"x\", 0],"
      "            \"resistance.nonesuch\": [1],"
      "            \"thrust.info\": [1, 2, 1] },"
      "  \"outputs\": [\"total_loss\"] }",
      { "vary.resistance.law[1]: 1.5 is outside the range of resistance.law ([0, 1])",
        "vary.resistance.law[2]: expected a number, got a string",
        "vary.thrust.info[2]: 1 is already in the list (entry 0)",
        "vary.resistance.nonesuch: no numeric parameter \"resistance.nonesuch\"" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": { \"dynamics.rate\": [] },"
      "  \"outputs\": [\"total_loss\"] }",
      { "vary.dynamics.rate: an empty list" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": { \"dynamics.rate\": {\"from\": 0, \"to\": 2, \"steps\": 2.5, \"by\": 1},"
      "            \"resistance.law\": {\"from\": 0.5, \"to\": 0.5, \"steps\": 3},"
      "            \"gravity.trust\": {\"from\": 1},"
      "            \"thrust.info\": \"all\" },"
      "  \"outputs\": [\"total_loss\"] }",
      { "vary.dynamics.rate.from: 0 is outside the range of dynamics.rate (> 0)",
        "vary.dynamics.rate.steps: the number of steps must be a whole number from 1 to",
        "vary.dynamics.rate.by: unknown key",
        "vary.resistance.law: \"from\" and \"to\" are the same value; for one value write a "
        "list, such as [0.5]" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": { \"gravity.trust\": {\"from\": 1},"
      "            \"thrust.info\": \"all\" },"
      "  \"outputs\": [\"total_loss\"] }",
      { "vary.gravity.trust: a from/to grid needs \"to\"",
        "vary.thrust.info: expected a list of values or {\"from\": …, \"to\": …, \"steps\": …}, "
        "got a string" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\", \"loss\", \"total_loss\"],"
      "  \"scenarios\": [\"law\", \"nonesuch\", \"law\"] }",
      { "outputs[1]: \"loss\" is not an output; use one of final_mean_coordination, "
        "peak_mean_coordination, time_of_peak, time_to_half, total_loss",
        "outputs[2]: \"total_loss\" is listed twice",
        "scenarios[2]: \"law\" is already in the list (entry 0)" } },
    /* scenarios are known once the model is */
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\"], \"scenarios\": [\"law\", \"nonesuch\"] }",
      { "scenarios[1]: no scenario named \"nonesuch\" in model.json" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"based.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\"], \"scenarios\": [\"base\"] }",
      { "scenarios[0]: the model has a scenario named \"base\"" } },
    /* the model's own problems, at their place in the model */
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"broken.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\"] }",
      { "model: ", "broken.json: edges[0].target: no node \"zz\"" } },
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"nonesuch.json\","
      "  \"vary\": {}, \"outputs\": [\"total_loss\"] }",
      { "model: ", "nonesuch.json" } },
    /* a parameter of model 2 in a version-1 model */
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": { \"resistance.ideas\": [0, 1] }, \"outputs\": [\"total_loss\"] }",
      { "vary.resistance.ideas: not a parameter of version 1 models" } },
    /* a study too large to run */
    { "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
      "  \"vary\": { \"resistance.law\": {\"from\": 0, \"to\": 1, \"steps\": 99999},"
      "            \"gravity.trust\": {\"from\": 0, \"to\": 1, \"steps\": 99999} },"
      "  \"outputs\": [\"total_loss\"] }",
      { "vary: more than 100000000 combinations" } },
  };

  g_assert_true (g_file_set_contents (based, "{ \"nodes\": [ {\"id\": \"a\"} ],"
                                      " \"scenarios\": [ {\"name\": \"base\"} ] }", -1, NULL));
  g_assert_true (g_file_set_contents (broken, "{ \"nodes\": [ {\"id\": \"a\"} ], \"edges\": "
                                      "[ {\"kind\": \"partnership\", \"source\": \"a\", "
                                      "\"target\": \"zz\"} ] }", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdExperiment) exp = load_spec (cases[i].spec, &error);

      g_assert_null (exp);
      g_assert_nonnull (error);
      g_assert_true (error->domain == CD_EXPERIMENT_ERROR);
      for (guint k = 0; k < G_N_ELEMENTS (cases[i].messages) && cases[i].messages[k]; k++)
        if (strstr (error->message, cases[i].messages[k]) == NULL)
          {
            g_test_message ("case %u: no \"%s\" in:\n%s", i, cases[i].messages[k],
                            error->message);
            g_test_fail ();
          }
    }

  /* A parameter of the other version is one problem, said once (it was
   * said twice, in two wordings, by two checks). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CdExperiment) exp = load_spec ("{ \"format\": \"coordyn-experiment\", "
                                             "\"version\": 1, \"model\": \"model.json\", "
                                             "\"vary\": { \"resistance.ideas\": [0, 1] }, "
                                             "\"outputs\": [\"total_loss\"] }", &error);

    g_assert_null (exp);
    g_assert_error (error, CD_EXPERIMENT_ERROR, CD_EXPERIMENT_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==,
                     "vary.resistance.ideas: not a parameter of version 1 models");
  }
}

/* The spec written back reads as the same experiment, and writes the same. */
static void
test_write (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdExperiment) exp = load_spec (good_spec, &error);
  g_autoptr(CdExperiment) again = NULL;
  g_autofree char *text = NULL, *text_again = NULL;
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdExperiment) built = NULL;
  g_autofree char *built_text = NULL;
  const double laws[] = { 0.1, 0.9, 0.5 };

  g_assert_no_error (error);
  text = cd_experiment_to_json (exp);
  again = load_spec (text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_runs, ==, exp->n_runs);
  text_again = cd_experiment_to_json (again);
  g_assert_cmpstr (text_again, ==, text);
  g_assert_nonnull (strstr (text, "\"resistance.compensation\": {\"from\": 0, \"to\": 1, "
                                  "\"steps\": 4}"));
  g_assert_nonnull (strstr (text, "\"scenarios\": [\"slow\", \"base\"]"));

  /* the same experiment built in memory, as the app does */
  model = cd_model_copy (exp->model);
  built = cd_experiment_new (model, "model.json");
  g_assert_cmpuint (built->n_runs, ==, 1);
  g_assert_true (cd_experiment_add_vary (built, CD_PARAM_RESISTANCE_LAW, laws, 3, &error));
  g_assert_true (cd_experiment_add_grid (built, CD_PARAM_RESISTANCE_COMPENSATION, 0, 1, 4,
                                         &error));
  g_assert_no_error (error);
  g_assert_cmpuint (built->n_runs, ==, 15);
  /* a parameter twice, a value out of range, a grid of one point */
  g_assert_false (cd_experiment_add_grid (built, CD_PARAM_RESISTANCE_LAW, 0, 1, 2, &error));
  g_assert_nonnull (strstr (error->message, "vary.resistance.law: the parameter is varied"));
  g_clear_error (&error);
  g_assert_false (cd_experiment_add_vary (built, CD_PARAM_GRAVITY_TRUST,
                                          (const double[]) { -1 }, 1, &error));
  g_assert_nonnull (strstr (error->message, "vary.gravity.trust[0]: -1 is outside"));
  g_clear_error (&error);
  g_assert_false (cd_experiment_add_grid (built, CD_PARAM_GRAVITY_TRUST, 1, 1, 2, &error));
  g_clear_error (&error);
  g_assert_cmpuint (built->vary->len, ==, 2);
  g_assert_cmpuint (built->n_runs, ==, 15);
  built_text = cd_experiment_to_json (built);
  g_assert_nonnull (strstr (built_text, "\"resistance.law\": [0.1, 0.9, 0.5]"));
}

typedef struct
{
  CdOutcome *outcomes;
  guint64    next;
} Collect;

static gboolean
collect (guint64          first,
         guint            n,
         const CdOutcome *outcomes,
         gpointer         user_data,
         GError         **error)
{
  Collect *c = user_data;

  /* blocks come in order */
  g_assert_cmpuint (first, ==, c->next);
  memcpy (c->outcomes + first, outcomes, n * sizeof (CdOutcome));
  c->next = first + n;
  return TRUE;
}

static CdOutcome *
run_all (const CdExperiment *exp,
         guint64             first,
         guint64             count,
         guint               threads)
{
  g_autoptr(GError) error = NULL;
  Collect c = { g_new0 (CdOutcome, exp->n_runs), first };

  g_assert_true (cd_experiment_run (exp, first, count, threads, collect, &c, NULL, NULL, NULL,
                                    &error));
  g_assert_no_error (error);
  g_assert_cmpuint (c.next, ==, first + count);
  return c.outcomes;
}

/* Each row is the run of its combination: the scenario applied, then the
 * varied values as the model's own; the same for any threads and parts. */
static void
test_run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdExperiment) exp = load_spec (good_spec, &error);
  g_autofree CdOutcome *one = NULL;
  g_autofree guint *levels = NULL;

  g_assert_no_error (error);
  one = run_all (exp, 0, exp->n_runs, 1);
  levels = g_new (guint, exp->vary->len);
  for (guint64 r = 0; r < exp->n_runs; r++)
    {
      g_autoptr(CdModel) variant = NULL;
      g_autoptr(CdSystem) sys = NULL;
      CdOutcome expected;
      guint scenario;

      cd_experiment_levels (exp, r, &scenario, levels);
      variant = cd_model_apply_scenario (exp->model, g_array_index (exp->scenarios, int, scenario),
                                         &error);
      g_assert_no_error (error);
      for (guint i = 0; i < exp->vary->len; i++)
        {
          const CdExperimentVary *v = g_ptr_array_index (exp->vary, i);
          variant->params.values[v->param] = v->values[levels[i]];
        }
      sys = cd_system_new (variant, &error);
      g_assert_no_error (error);
      g_assert_true (cd_outcome_of_system (sys, &expected, NULL, &error));
      g_assert_cmpmem (&one[r], sizeof expected, &expected, sizeof expected);
    }
  /* the scenario matters: "slow" (rate 0.3) moves less by t_end than the base */
  g_assert_cmpfloat (one[0].peak_mean, !=, one[15].peak_mean);

  for (guint threads = 2; threads <= 3; threads++)
    {
      g_autofree CdOutcome *many = run_all (exp, 0, exp->n_runs, threads);
      g_assert_cmpmem (many, exp->n_runs * sizeof (CdOutcome), one,
                       exp->n_runs * sizeof (CdOutcome));
    }
  {
    g_autofree CdOutcome *part = run_all (exp, 7, 11, 2);
    g_assert_cmpmem (part + 7, 11 * sizeof (CdOutcome), one + 7, 11 * sizeof (CdOutcome));
  }
}

/* The table: its header, a row's cells, and no time_to_half where X never reaches 0.5. */
static void
test_table (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdExperiment) exp = load_spec (good_spec, &error);
  g_autofree CdOutcome *outcomes = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  CdCsvSink sink = { NULL, text };
  g_auto(GStrv) lines = NULL;

  g_assert_no_error (error);
  outcomes = run_all (exp, 0, exp->n_runs, 0);
  cd_analysis_csv_experiment_header (&sink, exp);
  cd_analysis_csv_experiment_rows (&sink, exp, 0, (guint) exp->n_runs, outcomes);
  lines = g_strsplit (text->str, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 30 + 1);
  g_assert_cmpstr (lines[0], ==, "run,scenario,resistance.law,resistance.compensation,"
                                 "total_loss,time_to_half,final_mean_coordination");
  g_assert_true (g_str_has_prefix (lines[1], "0,slow,0.10000000000000001,0,"));
  g_assert_true (g_str_has_prefix (lines[30], "29,base,0.5,1,"));
  for (guint r = 0; r < 30; r++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[r + 1], ",", -1);
      g_assert_cmpuint (g_strv_length (cells), ==, 7);
      g_assert_cmpint (cells[5][0] == '\0', ==, !outcomes[r].reached_half);
    }
}

static const char institutions_spec[] =
  "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model2.json\","
  "  \"vary\": { \"resistance.law\": [0, 0.5] },"
  "  \"scenarios\": [\"base\", \"slow\"],"
  "  \"institutions\": [\"base\", \"japan\", \"mine.json\"],"
  "  \"outputs\": [\"final_mean_coordination\", \"total_loss\"] }";

/* Arrangements as the slowest level: every row is the run of the model
 * under its arrangement, then its scenario, then its values; the table
 * names the arrangement; the spec writes back the same. */
static void
test_institutions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdExperiment) exp = NULL;
  g_autoptr(CdExperiment) again = NULL;
  g_autofree CdOutcome *outcomes = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  CdCsvSink sink = { NULL, text };
  g_auto(GStrv) lines = NULL;
  guint levels[1];

  exp = load_spec (institutions_spec, &error);
  g_assert_no_error (error);
  g_assert_true (exp->has_institutions);
  g_assert_cmpuint (exp->institutions->len, ==, 3);
  g_assert_cmpuint (exp->n_runs, ==, 3 * 2 * 2);
  g_assert_cmpstr (cd_experiment_institution_name (exp, 0), ==, "base");
  g_assert_cmpstr (cd_experiment_institution_name (exp, 1), ==, "japan");
  g_assert_cmpstr (cd_experiment_institution_name (exp, 2), ==, "mine");
  outcomes = run_all (exp, 0, exp->n_runs, 2);
  for (guint64 r = 0; r < exp->n_runs; r++)
    {
      guint inst = cd_experiment_institution (exp, r), scenario;
      const CdInstitution *arrangement = g_ptr_array_index (exp->institutions, inst);
      g_autoptr(CdModel) arranged = NULL;
      g_autoptr(CdModel) variant = NULL;
      g_autoptr(CdSystem) sys = NULL;
      CdOutcome expected;

      cd_experiment_levels (exp, r, &scenario, levels);
      g_assert_cmpuint (inst, ==, r / 4);
      g_assert_cmpuint (scenario, ==, (r / 2) % 2);
      g_assert_cmpuint (levels[0], ==, r % 2);
      arranged = arrangement != NULL ? cd_institution_apply (arrangement, exp->model, &error)
                                     : cd_model_copy (exp->model);
      g_assert_no_error (error);
      variant = cd_model_apply_scenario (arranged, g_array_index (exp->scenarios, int, scenario),
                                         &error);
      g_assert_no_error (error);
      variant->params.values[CD_PARAM_RESISTANCE_LAW] = levels[0] == 0 ? 0.0 : 0.5;
      sys = cd_system_new (variant, &error);
      g_assert_no_error (error);
      g_assert_true (cd_outcome_of_system (sys, &expected, NULL, &error));
      g_assert_cmpmem (&outcomes[r], sizeof expected, &expected, sizeof expected);
    }
  /* The arrangement matters. */
  g_assert_cmpfloat (outcomes[0].final_mean, !=, outcomes[4].final_mean);

  cd_analysis_csv_experiment_header (&sink, exp);
  cd_analysis_csv_experiment_rows (&sink, exp, 0, (guint) exp->n_runs, outcomes);
  lines = g_strsplit (text->str, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "run,institution,scenario,resistance.law,"
                                 "final_mean_coordination,total_loss");
  g_assert_true (g_str_has_prefix (lines[1], "0,base,base,0,"));
  g_assert_true (g_str_has_prefix (lines[7], "6,japan,slow,0,"));
  g_assert_true (g_str_has_prefix (lines[12], "11,mine,slow,0.5,"));

  json = cd_experiment_to_json (exp);
  g_assert_nonnull (strstr (json, "\"institutions\": [\"base\", \"japan\", \"mine.json\"]"));
  again = load_spec (json, &error);
  g_assert_no_error (error);
  json2 = cd_experiment_to_json (again);
  g_assert_cmpstr (json, ==, json2);
  g_assert_cmpuint (again->n_runs, ==, exp->n_runs);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *model = NULL;
  g_autofree char *model2 = NULL;
  g_autofree char *mine = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("coordyn-experiment-XXXXXX", NULL);
  g_assert_nonnull (dir);
  model = path_of ("model.json");
  g_assert_true (g_file_set_contents (model, model_json, -1, NULL));
  /* The same network as version 2, and an arrangement file beside the specs. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CdModel) m1 = cd_model_load_file (model, &error);
    g_autoptr(CdModel) m2 = NULL;

    g_assert_no_error (error);
    m2 = cd_model_upgrade (m1, &error);
    g_assert_no_error (error);
    model2 = path_of ("model2.json");
    g_assert_true (cd_model_save_file (m2, model2, &error));
    mine = path_of ("mine.json");
    g_assert_true (g_file_set_contents (mine, "{\"format\": \"coordyn-institution\", "
                                        "\"version\": 1, \"name\": \"mine\", \"parameters\": "
                                        "{\"dynamics\": {\"rate\": 2}}}", -1, NULL));
  }

  g_test_add_func ("/analysis/experiment/read", test_read);
  g_test_add_func ("/analysis/experiment/errors", test_errors);
  g_test_add_func ("/analysis/experiment/write", test_write);
  g_test_add_func ("/analysis/experiment/run", test_run);
  g_test_add_func ("/analysis/experiment/table", test_table);
  g_test_add_func ("/analysis/experiment/institutions", test_institutions);
  status = g_test_run ();

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = path_of (name);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return status;
}
