/* test-institution.c — institutional arrangements (docs/institutions.md).
 *
 * The reader against every kind of mistake, each at its place; the rules
 * applied to exactly the governments and lines they select; parameters
 * laid over the model's; a version-1 model refused; finding by name in the
 * bundled and the user's folders and by path; the bundled arrangements
 * complete (names in English and Chinese) and applicable to a network;
 * comparisons whose rows are the runs of the applied models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "cd-analysis-compare.h"
#include "cd-institution.h"
#include "cd-model-json.h"

/* JSON written with ' for " to keep the C readable. */
static char *
quote (const char *text)
{
  return g_strdelimit (g_strdup (text), "'", '"');
}

static CdModel *
load_model (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = quote (text);
  CdModel *model = cd_model_load_data (json, strlen (json), &error);

  g_assert_no_error (error);
  return model;
}

static CdInstitution *
load_inst (const char *text,
           GError    **error)
{
  g_autofree char *json = quote (text);

  return cd_institution_load_data (json, strlen (json), error);
}

#define HEAD "{'format': 'coordyn-institution', 'version': 1, 'name': 't'"

/* A version-2 network: a centre, a basin body, two provinces, a city and
 * a county under the first province; one partnership. */
static const char *const network =
  "{'format': 'coordyn-model', 'version': 2, 'name': 'net',"
  " 'parameters': {'resistance': {'law': 0.3, 'ideas': 1.5}},"
  " 'nodes': ["
  "  {'id': 'c', 'level': 'central', 'fixed': true, 'x0': 0.5},"
  "  {'id': 'b', 'level': 'other'},"
  "  {'id': 'p', 'level': 'provincial', 'fragmentation_powers': 0.8},"
  "  {'id': 'q', 'level': 'provincial', 'appraisal': 0.25},"
  "  {'id': 'm', 'level': 'municipal'},"
  "  {'id': 'k', 'level': 'county', 'fragmentation_ideas': 0.9}],"
  " 'edges': ["
  "  {'kind': 'command', 'source': 'c', 'target': 'b'},"
  "  {'kind': 'command', 'source': 'c', 'target': 'p'},"
  "  {'kind': 'command', 'source': 'c', 'target': 'q'},"
  "  {'kind': 'command', 'source': 'b', 'target': 'p', 'weight': 0.5},"
  "  {'kind': 'command', 'source': 'p', 'target': 'm'},"
  "  {'kind': 'command', 'source': 'p', 'target': 'k', 'role': 'emergency'},"
  "  {'kind': 'partnership', 'source': 'p', 'target': 'q'}],"
  " 'events': [{'onset': 2, 'magnitude': 1, 'decay': 3, 'impact': {'m': 1}}],"
  " 'simulation': {'t_end': 10, 'dt': 0.5}}";

static const CdNode *
node (const CdModel *model,
      const char    *id)
{
  int i = cd_model_find_node (model, id);

  g_assert_cmpint (i, >=, 0);
  return g_ptr_array_index (model->nodes, i);
}

static const CdEdge *
command (const CdModel *model,
         const char    *source,
         const char    *target)
{
  int e = cd_model_find_edge (model, CD_EDGE_COMMAND, source, target);

  g_assert_cmpint (e, >=, 0);
  return g_ptr_array_index (model->edges, e);
}

static void
test_parameters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_model (network);
  g_autoptr(CdInstitution) inst =
    load_inst (HEAD ", 'parameters': {'resistance': {'law': 0.9, 'compensation': 0.4},"
               " 'pressure': {'command': 2}, 'dynamics': {'trust_gain': 0}}}", &error);
  g_autoptr(CdModel) out = NULL;

  g_assert_no_error (error);
  g_assert_false (cd_institution_has_network_rules (inst));
  out = cd_institution_apply (inst, model, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (out->params.values[CD_PARAM_RESISTANCE_LAW], ==, 0.9);
  g_assert_cmpfloat (out->params.values[CD_PARAM_RESISTANCE_COMPENSATION], ==, 0.4);
  g_assert_cmpfloat (out->params.values[CD_PARAM_PRESSURE_COMMAND], ==, 2.0);
  g_assert_cmpfloat (out->params.values[CD_PARAM_DYNAMICS_TRUST_GAIN], ==, 0.0);
  /* What the arrangement does not set stays the model's. */
  g_assert_cmpfloat (out->params.values[CD_PARAM_RESISTANCE_IDEAS], ==, 1.5);
  for (CdParam p = 0; p < CD_N_PARAMS; p++)
    if (!inst->param_set[p])
      g_assert_cmpfloat (out->params.values[p], ==, model->params.values[p]);
  /* The network is untouched, and so is the model it was applied to. */
  g_assert_cmpuint (out->nodes->len, ==, model->nodes->len);
  g_assert_cmpfloat (model->params.values[CD_PARAM_RESISTANCE_LAW], ==, 0.3);
  g_assert_true (cd_model_validate (out, &error));
}

static void
test_node_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_model (network);
  g_autoptr(CdInstitution) inst =
    load_inst (HEAD ", 'governments': ["
               " {'where': {'superior': true}, 'set': {'appraisal': 0.6}},"
               " {'where': {'level': ['municipal', 'county']}, 'set': {'appraisal': 0.9}},"
               " {'where': {'level': 'provincial'}, 'scale': {'fragmentation_powers': 2}},"
               " {'where': {'ids': ['k']}, 'scale': {'fragmentation_ideas': 0.5}},"
               " {'where': {'superior': false}, 'set': {'fragmentation_ideas': 0.1}}]}", &error);
  g_autoptr(CdModel) out = NULL;

  g_assert_no_error (error);
  g_assert_true (cd_institution_has_network_rules (inst));
  out = cd_institution_apply (inst, model, &error);
  g_assert_no_error (error);
  /* The centre has no superior: it keeps its default appraisal 0. */
  g_assert_false (node (out, "c")->has_appraisal);
  g_assert_cmpfloat (cd_model_node_appraisal (out, 0), ==, 0.0);
  g_assert_cmpfloat (node (out, "c")->fragmentation_ideas, ==, 0.1);
  /* Every government with a superior gets 0.6, set, so saved in the file… */
  g_assert_true (node (out, "b")->has_appraisal);
  g_assert_cmpfloat (node (out, "b")->appraisal, ==, 0.6);
  g_assert_cmpfloat (node (out, "q")->appraisal, ==, 0.6);
  /* …then cities and counties 0.9: rules apply in file order. */
  g_assert_cmpfloat (node (out, "m")->appraisal, ==, 0.9);
  g_assert_cmpfloat (node (out, "k")->appraisal, ==, 0.9);
  /* Scaled, capped at 1. */
  g_assert_cmpfloat (node (out, "p")->fragmentation_powers, ==, 1.0);
  g_assert_cmpfloat (node (out, "q")->fragmentation_powers, ==, 1.0);
  g_assert_cmpfloat (node (out, "m")->fragmentation_powers, ==, 0.5);
  g_assert_cmpfloat (node (out, "k")->fragmentation_ideas, ==, 0.45);
  g_assert_cmpfloat (node (out, "m")->fragmentation_ideas, ==, 0.5);
}

static void
test_node_rule_scales_default_appraisal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_model (network);
  g_autoptr(CdInstitution) inst =
    load_inst (HEAD ", 'governments': [{'where': {'level': ['provincial', 'municipal']},"
               " 'scale': {'appraisal': 0.5}}]}", &error);
  g_autoptr(CdModel) out = cd_institution_apply (inst, model, &error);

  g_assert_no_error (error);
  /* The default (1 with a superior) is what is scaled; q's own 0.25 too. */
  g_assert_cmpfloat (node (out, "p")->appraisal, ==, 0.5);
  g_assert_cmpfloat (node (out, "m")->appraisal, ==, 0.5);
  g_assert_cmpfloat (node (out, "q")->appraisal, ==, 0.125);
  g_assert_false (node (out, "k")->has_appraisal);
}

static void
test_line_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_model (network);
  g_autoptr(CdInstitution) inst =
    load_inst (HEAD ", 'command_lines': ["
               " {'where': {'source_level': 'central', 'target_level': 'provincial'},"
               "  'set': {'role': 'emergency'}},"
               " {'where': {'source_level': 'other'}, 'set': {'weight': 0.2}},"
               " {'where': {'role': 'emergency', 'source_level': 'provincial'},"
               "  'set': {'role': 'administrative', 'weight': 0.7}}]}", &error);
  g_autoptr(CdModel) out = cd_institution_apply (inst, model, &error);

  g_assert_no_error (error);
  g_assert_cmpint (command (out, "c", "p")->role, ==, CD_ROLE_EMERGENCY);
  g_assert_cmpint (command (out, "c", "q")->role, ==, CD_ROLE_EMERGENCY);
  g_assert_cmpint (command (out, "c", "b")->role, ==, CD_ROLE_ADMINISTRATIVE);
  g_assert_cmpfloat (command (out, "c", "p")->weight, ==, 1.0);
  g_assert_cmpfloat (command (out, "b", "p")->weight, ==, 0.2);
  g_assert_cmpint (command (out, "b", "p")->role, ==, CD_ROLE_ADMINISTRATIVE);
  g_assert_cmpint (command (out, "p", "k")->role, ==, CD_ROLE_ADMINISTRATIVE);
  g_assert_cmpfloat (command (out, "p", "k")->weight, ==, 0.7);
  /* An administrative line of the same source is not selected by role. */
  g_assert_cmpfloat (command (out, "p", "m")->weight, ==, 1.0);
}

static void
test_version_1_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model =
    load_model ("{'nodes': [{'id': 'a'}, {'id': 'b'}],"
                " 'edges': [{'kind': 'command', 'source': 'a', 'target': 'b'}]}");
  g_autoptr(CdInstitution) inst = load_inst (HEAD "}", &error);
  g_autoptr(CdModel) out = NULL;
  g_autoptr(CdScenario) sc = NULL;

  g_assert_no_error (error);
  out = cd_institution_apply (inst, model, &error);
  g_assert_null (out);
  g_assert_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_MODEL);
  g_assert_nonnull (strstr (error->message, "version 1"));
  g_assert_nonnull (strstr (error->message, "coordyn-cli upgrade"));
  g_clear_error (&error);
  sc = cd_institution_to_scenario (inst, model, &error);
  g_assert_null (sc);
  g_assert_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_MODEL);
}

static void
test_unknown_id_at_apply (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_model (network);
  g_autoptr(CdInstitution) inst =
    load_inst (HEAD ", 'governments': [{'where': {'ids': ['m', 'zz']},"
               " 'set': {'appraisal': 1}}]}", &error);
  g_autoptr(CdModel) out = NULL;

  g_assert_no_error (error);
  out = cd_institution_apply (inst, model, &error);
  g_assert_null (out);
  g_assert_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_MODEL);
  g_assert_cmpstr (error->message, ==,
                   "t: governments[0].where.ids[1]: the model has no government \"zz\"");
}

static void
test_to_scenario (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_model (network);
  g_autoptr(CdInstitution) inst =
    load_inst ("{'format': 'coordyn-institution', 'version': 1, 'name': 'us',"
               " 'names': {'en': 'United States', 'zh_CN': '美国'}, 'description': 'a compact',"
               " 'parameters': {'resistance': {'law': 0.7}},"
               " 'governments': [{'where': {}, 'set': {'appraisal': 0.2}}]}", &error);
  g_autoptr(CdScenario) sc = NULL;
  g_autoptr(CdModel) variant = NULL;

  g_assert_no_error (error);
  sc = cd_institution_to_scenario (inst, model, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sc->name, ==, "us");
  g_assert_cmpstr (sc->description, ==, "a compact");
  g_assert_true (cd_localized_array_equal (sc->names, inst->names));
  g_assert_true (sc->param_set[CD_PARAM_RESISTANCE_LAW]);
  g_assert_cmpfloat (sc->param_value[CD_PARAM_RESISTANCE_LAW], ==, 0.7);
  g_assert_false (sc->param_set[CD_PARAM_RESISTANCE_IDEAS]);
  g_assert_false (sc->rule_set);
  g_assert_null (sc->interventions);
  /* As a scenario of the model, it gives the arrangement's parameters. */
  g_ptr_array_add (model->scenarios, g_steal_pointer (&sc));
  variant = cd_model_apply_scenario (model, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (variant->params.values[CD_PARAM_RESISTANCE_LAW], ==, 0.7);
}

typedef struct
{
  const char *json;
  const char *message;
} BadCase;

static void
test_errors (void)
{
  static const BadCase cases[] = {
    { "[1]", "an institutional arrangement holds one JSON object, not an array" },
    { "{'format': 'coordyn-model', 'version': 1, 'name': 'x'}",
      "format: this file is a model, not an institutional arrangement" },
    { "{'format': 'coordyn-institutions', 'version': 1, 'name': 'x'}",
      "format: \"coordyn-institutions\" is not a Coordyn institutional arrangement; expected "
      "\"coordyn-institution\"" },
    { "{'format': 'coordyn-institution', 'version': 2, 'name': 'x'}",
      "version: version 2 is not supported; this Coordyn reads arrangement version 1" },
    { "{'format': 'coordyn-institution', 'version': 1}",
      "an institutional arrangement needs \"name\"" },
    { HEAD ", 'name': ''}", NULL },
    { "{'format': 'coordyn-institution', 'version': 1, 'name': 'two\\nlines'}",
      "name: a control character (U+000A) in the name; the name is how commands and the CSV "
      "refer to the arrangement, so it must be printable text" },
    { HEAD ", 'colour': 1}", "colour: unknown key" },
    { HEAD ", 'parameters': {'resistance': {'law': 1.5}}}",
      "parameters.resistance.law: 1.5 is outside the range of resistance.law ([0, 1])" },
    { HEAD ", 'parameters': {'resistance': {'fragmentation': 1}}}",
      "parameters.resistance.fragmentation: version 2 replaces \"resistance.fragmentation\" "
      "with \"resistance.ideas\" and \"resistance.powers\"" },
    { HEAD ", 'parameters': {'dynamics': {'rule': 'logit'}}}",
      "parameters.dynamics.rule: the update rule is a modelling choice, not an institution; an "
      "arrangement cannot set it" },
    { HEAD ", 'parameters': {'force': {'law': 1}}}", "parameters.force: unknown key" },
    { HEAD ", 'parameters': {'resistance': {'lw': 1}}}", "parameters.resistance.lw: unknown key" },
    { HEAD ", 'parameters': {'resistance': {'law': '1'}}}",
      "parameters.resistance.law: expected a number, got a string" },
    { HEAD ", 'governments': {}}", "governments: expected an array, got an object" },
    { HEAD ", 'governments': [{'where': {'level': 'state'}, 'set': {'appraisal': 1}}]}",
      "governments[0].where.level: \"state\" is not a level; use central, provincial, "
      "municipal, county or other" },
    { HEAD ", 'governments': [{'where': {'level': []}, 'set': {'appraisal': 1}}]}",
      "governments[0].where.level: an empty list: give at least one entry" },
    { HEAD ", 'governments': [{'where': {'superior': 1}, 'set': {'appraisal': 1}}]}",
      "governments[0].where.superior: expected true or false, got a number" },
    { HEAD ", 'governments': [{'where': {'name': 'x'}, 'set': {'appraisal': 1}}]}",
      "governments[0].where.name: unknown key" },
    { HEAD ", 'governments': [{'set': {'appraisal': 1.5}}]}",
      "governments[0].set.appraisal: 1.5 is outside [0, 1]" },
    { HEAD ", 'governments': [{'scale': {'appraisal': -1}}]}",
      "governments[0].scale.appraisal: -1 is not a factor: use a number ≥ 0" },
    { HEAD ", 'governments': [{'set': {'capacity': 1}}]}",
      "governments[0].set.capacity: unknown key; a rule may set appraisal, fragmentation_ideas "
      "or fragmentation_powers" },
    { HEAD ", 'governments': [{'set': {'appraisal': 1}, 'scale': {'appraisal': 1}}]}",
      "governments[0]: \"appraisal\" is both set and scaled; do one" },
    { HEAD ", 'governments': [{'where': {}}]}", "governments[0]: a rule needs \"set\" or \"scale\"" },
    { HEAD ", 'governments': [{'set': {}}]}",
      "governments[0].set: an empty object: name at least one attribute" },
    { HEAD ", 'command_lines': [{'where': {'role': 'military'}, 'set': {'weight': 1}}]}",
      "command_lines[0].where.role: \"military\" is not a role; use \"administrative\" or "
      "\"emergency\"" },
    { HEAD ", 'command_lines': [{'set': {'weight': 0}}]}",
      "command_lines[0].set.weight: 0 is outside (0, 1]" },
    { HEAD ", 'command_lines': [{'set': {'kind': 'partnership'}}]}",
      "command_lines[0].set.kind: unknown key; a command-line rule may set role or weight" },
    { HEAD ", 'command_lines': [{'where': {'source_level': 'central'}}]}",
      "command_lines[0]: a rule needs \"set\"" },
    { HEAD ", 'names': {'': 'x'}}", "names: a language code must not be empty" },
    { HEAD ", 'sources': ['a', 2]}", "sources[1]: expected a string, got a number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdInstitution) inst = load_inst (cases[i].json, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (inst);
      g_assert_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_INVALID);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* An arrangement given as a file that is not one (a FIFO nobody writes to,
 * a directory) or is far too large is refused at once, by the file's name:
 * it is read as every other input is (cd-file.h), never mapped. */
static void
test_not_a_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coordyn-inst-XXXXXX", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.json", NULL);
  g_autofree char *big = g_build_filename (dir, "big.json", NULL);
  g_autofree char *text = g_strnfill (CD_INSTITUTION_MAX_FILE_SIZE + 1, ' ');
  const char *paths[] = { fifo, dir, big };

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_true (g_file_set_contents (big, text, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdInstitution) inst = cd_institution_load_file (paths[i], &error);
      int code = paths[i] == big ? CD_INSTITUTION_ERROR_INVALID : CD_INSTITUTION_ERROR_IO;

      g_assert_null (inst);
      g_assert_error (error, CD_INSTITUTION_ERROR, code);
      g_assert_true (g_str_has_prefix (error->message, paths[i]));
    }
  g_unlink (fifo);
  g_unlink (big);
  g_rmdir (dir);
}

static void
test_syntax_error_named (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("coordyn-inst-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr(CdInstitution) inst = NULL;

  g_assert_true (g_file_set_contents (path, "{\"format\": \"coordyn-institution\",\n oops}", -1,
                                      NULL));
  inst = cd_institution_load_file (path, &error);
  g_assert_null (inst);
  g_assert_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_INVALID);
  /* The file, then the line and column, as for a model file. */
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_find (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *user_dir = g_build_filename (g_get_user_data_dir (), "coordyn", "institutions",
                                                NULL);
  g_autofree char *mine = g_build_filename (user_dir, "mine.json", NULL);
  g_autofree char *shadow = g_build_filename (user_dir, "japan.json", NULL);
  g_autoptr(CdInstitution) a = NULL;
  g_autoptr(CdInstitution) b = NULL;
  g_autoptr(CdInstitution) c = NULL;
  g_autoptr(CdInstitution) d = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_auto(GStrv) dirs = cd_institution_dirs ();
  gboolean saw_mine = FALSE;

  g_assert_cmpstr (dirs[1], ==, user_dir);
  g_assert_cmpint (g_mkdir_with_parents (user_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (mine, "{\"format\": \"coordyn-institution\", "
                                      "\"version\": 1, \"name\": \"mine\"}", -1, NULL));
  g_assert_true (g_file_set_contents (shadow, "{\"format\": \"coordyn-institution\", "
                                      "\"version\": 1, \"name\": \"fake-japan\"}", -1, NULL));

  a = cd_institution_find ("mine", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->name, ==, "mine");
  g_assert_cmpstr (a->path, ==, mine);
  /* A bundled name means the bundled file, whatever the user has. */
  b = cd_institution_find ("japan", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->name, ==, "japan");
  g_assert_true (g_str_has_prefix (b->path, dirs[0]));
  /* A path is a file. */
  c = cd_institution_find (mine, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (c->sha256, ==, a->sha256);

  d = cd_institution_find ("atlantis", &error);
  g_assert_null (d);
  g_assert_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "\"atlantis\""));
  g_assert_nonnull (strstr (error->message, "china-campaign, china-institutional, japan, mine, "
                                            "united-states"));
  g_clear_error (&error);

  list = cd_institution_list ();
  for (guint i = 0; i < list->len; i++)
    {
      const CdInstitutionEntry *e = g_ptr_array_index (list, i);
      if (strcmp (e->name, "japan") == 0)
        g_assert_true (e->bundled);
      if (strcmp (e->name, "mine") == 0)
        {
          saw_mine = TRUE;
          g_assert_false (e->bundled);
        }
      if (i > 0)
        g_assert_cmpstr (((CdInstitutionEntry *) g_ptr_array_index (list, i - 1))->name, <,
                         e->name);
    }
  g_assert_true (saw_mine);
  g_unlink (mine);
  g_unlink (shadow);
}

/* Every bundled arrangement: complete, in both languages, and applicable. */
static void
test_bundled (void)
{
  static const char *const required[] = { "china-campaign", "china-institutional",
                                          "united-states", "japan" };
  g_autoptr(CdModel) model = load_model (network);

  for (guint k = 0; k < G_N_ELEMENTS (required); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdInstitution) inst = cd_institution_find (required[k], &error);
      g_autoptr(CdInstitution) copy = NULL;
      g_autoptr(CdModel) out = NULL;
      const char *zh;
      guint n_set = 0;

      g_assert_no_error (error);
      g_assert_cmpstr (inst->name, ==, required[k]);
      g_assert_cmpstr (*inst->description ? "ok" : "", ==, "ok");
      zh = NULL;
      for (guint i = 0; i < inst->names->len; i++)
        if (strcmp (g_array_index (inst->names, CdLocalized, i).lang, "zh_CN") == 0)
          zh = g_array_index (inst->names, CdLocalized, i).text;
      g_assert_nonnull (zh);
      for (CdParam p = 0; p < CD_N_PARAMS; p++)
        n_set += inst->param_set[p];
      g_assert_cmpuint (n_set, >=, 5);
      out = cd_institution_apply (inst, model, &error);
      g_assert_no_error (error);
      g_assert_true (cd_model_validate (out, &error));
      copy = cd_institution_copy (inst);
      g_assert_cmpstr (copy->sha256, ==, inst->sha256);
      g_assert_cmpuint (copy->node_rules->len, ==, inst->node_rules->len);
    }
}

static void
test_compare (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_model (network);
  g_autoptr(CdInstitution) us = cd_institution_find ("united-states", &error);
  g_autoptr(CdInstitution) jp = cd_institution_find ("japan", &error);
  const CdInstitution *insts[2] = { us, jp };
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) curves = NULL;

  g_assert_no_error (error);
  rows = cd_compare_institutions (model, insts, 2, &models, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpuint (models->len, ==, 3);
  g_assert_cmpstr (((CdScenarioOutcome *) rows->pdata[0])->name, ==, "base");
  g_assert_cmpstr (((CdScenarioOutcome *) rows->pdata[1])->name, ==, "united-states");
  g_assert_cmpstr (((CdScenarioOutcome *) rows->pdata[2])->name, ==, "japan");
  curves = cd_compare_models_trajectories ((const CdModel *const *) models->pdata, models->len,
                                           NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < 3; k++)
    {
      g_autoptr(CdModel) expect = k == 0 ? cd_model_copy (model)
                                         : cd_institution_apply (insts[k - 1], model, &error);
      g_autoptr(CdSystem) sys = cd_system_new (expect, &error);
      const CdScenarioOutcome *so = rows->pdata[k];
      const CdTrajectory *tr = curves->pdata[k];
      CdOutcome o;

      g_assert_no_error (error);
      g_assert_true (cd_model_equal (expect, models->pdata[k]));
      g_assert_true (cd_outcome_of_system (sys, &o, NULL, &error));
      g_assert_cmpfloat (o.final_mean, ==, so->outcome.final_mean);
      g_assert_cmpfloat (o.total_loss, ==, so->outcome.total_loss);
      g_assert_cmpfloat (tr->mean_coordination[tr->n_samples - 1], ==, o.final_mean);
    }
  /* The arrangements do change the run. */
  g_assert_cmpfloat (((CdScenarioOutcome *) rows->pdata[1])->outcome.final_mean, !=,
                     ((CdScenarioOutcome *) rows->pdata[0])->outcome.final_mean);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/engine/institution/parameters", test_parameters);
  g_test_add_func ("/engine/institution/node-rules", test_node_rules);
  g_test_add_func ("/engine/institution/node-rule-scales-default-appraisal",
                   test_node_rule_scales_default_appraisal);
  g_test_add_func ("/engine/institution/line-rules", test_line_rules);
  g_test_add_func ("/engine/institution/version-1-refused", test_version_1_refused);
  g_test_add_func ("/engine/institution/unknown-id", test_unknown_id_at_apply);
  g_test_add_func ("/engine/institution/to-scenario", test_to_scenario);
  g_test_add_func ("/engine/institution/errors", test_errors);
  g_test_add_func ("/engine/institution/syntax-error", test_syntax_error_named);
  g_test_add_func ("/engine/institution/not-a-file", test_not_a_file);
  g_test_add_func ("/engine/institution/find", test_find);
  g_test_add_func ("/engine/institution/bundled", test_bundled);
  g_test_add_func ("/engine/institution/compare", test_compare);
  return g_test_run ();
}
