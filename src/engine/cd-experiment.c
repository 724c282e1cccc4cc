/* cd-experiment.c — experiment specs: strict reading, writing, and running
 * the full factorial in blocks.
 *
 * The spec is read the way a model file is (cd-model-json.c): its text
 * becomes a JSON tree through the same parser, so its syntax errors are
 * worded the same way with their line and column; then every key is
 * checked and every problem reported with its place, and a spec with any
 * problem runs nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "cd-experiment.h"
#include "cd-file.h"
#include "cd-json.h"
#include "cd-locale.h"
#include "cd-model-json-private.h"
#include "cd-shard.h"

G_DEFINE_QUARK (cd-experiment-error-quark, cd_experiment_error)

/* Runs handed to the batch runner at a time: large enough that the
 * threads rarely wait for each other at the end of a block, small enough
 * that a study of any size streams. */
#define BLOCK_RUNS 8192u

static const char *const output_names[CD_N_EXPERIMENT_OUTPUTS] = {
  [CD_EXPERIMENT_OUTPUT_FINAL_MEAN] = "final_mean_coordination",
  [CD_EXPERIMENT_OUTPUT_PEAK_MEAN] = "peak_mean_coordination",
  [CD_EXPERIMENT_OUTPUT_TIME_OF_PEAK] = "time_of_peak",
  [CD_EXPERIMENT_OUTPUT_TIME_TO_HALF] = "time_to_half",
  [CD_EXPERIMENT_OUTPUT_TOTAL_LOSS] = "total_loss",
};

const char *
cd_experiment_output_name (CdExperimentOutput output)
{
  g_return_val_if_fail (output < CD_N_EXPERIMENT_OUTPUTS, NULL);
  return output_names[output];
}

gboolean
cd_experiment_output_from_name (const char         *name,
                                CdExperimentOutput *out)
{
  for (guint i = 0; i < CD_N_EXPERIMENT_OUTPUTS; i++)
    if (strcmp (name, output_names[i]) == 0)
      {
        *out = (CdExperimentOutput) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
cd_experiment_output_value (CdExperimentOutput output,
                            const CdOutcome   *o,
                            double            *value)
{
  switch (output)
    {
    case CD_EXPERIMENT_OUTPUT_FINAL_MEAN:   *value = o->final_mean; return TRUE;
    case CD_EXPERIMENT_OUTPUT_PEAK_MEAN:    *value = o->peak_mean; return TRUE;
    case CD_EXPERIMENT_OUTPUT_TIME_OF_PEAK: *value = o->t_peak; return TRUE;
    case CD_EXPERIMENT_OUTPUT_TIME_TO_HALF: *value = o->time_to_half; return o->reached_half;
    case CD_EXPERIMENT_OUTPUT_TOTAL_LOSS:   *value = o->total_loss; return TRUE;
    case CD_N_EXPERIMENT_OUTPUTS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

static void
vary_free (gpointer data)
{
  CdExperimentVary *v = data;

  g_free (v->values);
  g_free (v);
}

static CdExperiment *
experiment_alloc (void)
{
  CdExperiment *exp = g_new0 (CdExperiment, 1);

  exp->vary = g_ptr_array_new_with_free_func (vary_free);
  exp->scenarios = g_array_new (FALSE, FALSE, sizeof (int));
  exp->outputs = g_array_new (FALSE, FALSE, sizeof (CdExperimentOutput));
  exp->institutions = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_institution_free);
  exp->institution_refs = g_ptr_array_new_with_free_func (g_free);
  return exp;
}

void
cd_experiment_free (CdExperiment *exp)
{
  if (exp == NULL)
    return;
  g_free (exp->model_path);
  g_clear_pointer (&exp->model, cd_model_free);
  g_free (exp->description);
  g_clear_pointer (&exp->vary, g_ptr_array_unref);
  g_clear_pointer (&exp->scenarios, g_array_unref);
  g_clear_pointer (&exp->outputs, g_array_unref);
  g_clear_pointer (&exp->institutions, g_ptr_array_unref);
  g_clear_pointer (&exp->institution_refs, g_ptr_array_unref);
  g_free (exp->spec_sha256);
  g_free (exp->model_sha256);
  g_free (exp);
}

/* The number of runs, or 0 past CD_EXPERIMENT_MAX_RUNS. */
static guint64
count_runs (const CdExperiment *exp)
{
  guint64 n = (guint64) exp->scenarios->len * MAX (exp->institutions->len, 1);

  for (guint i = 0; i < exp->vary->len; i++)
    {
      const CdExperimentVary *v = g_ptr_array_index (exp->vary, i);
      if (v->n_values == 0 || n > CD_EXPERIMENT_MAX_RUNS / v->n_values)
        return 0;
      n *= v->n_values;
    }
  return n <= CD_EXPERIMENT_MAX_RUNS ? n : 0;
}

static char *
number_text (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (cd_format_double_shortest (buf, v));
}

/* ---- checking values: shared by the reader and the editing functions ---- */

/* Problems found so far, each "place: what", one per line: the model
 * reader's list, reported in this file's error domain. */
typedef CdProblems Problems;
#define problem cd_problems_add

static gboolean
problems_report (Problems          *p,
                 CdExperimentError  code,
                 GError           **error)
{
  return cd_problems_report_as (p, CD_EXPERIMENT_ERROR, code, error);
}

/* A value of `param` at `place`: within its range. */
static gboolean
check_value (Problems   *p,
             const char *place,
             CdParam     param,
             double      v)
{
  if (cd_param_value_in_range (param, v))
    return TRUE;
  {
    g_autofree char *t = number_text (v);
    problem (p, place, _("%s is outside the range of %s (%s)"), t, cd_param_info (param)->path,
             cd_param_range_text (param));
  }
  return FALSE;
}

/* Each value once: a value twice would run the same combinations twice. */
static void
check_distinct (Problems               *p,
                const char             *place,
                const CdExperimentVary *v)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_double_hash, g_double_equal, g_free,
                                                      NULL);

  for (guint i = 0; i < v->n_values; i++)
    {
      double *key = g_new (double, 1);
      gpointer earlier;

      *key = v->values[i];
      if (g_hash_table_lookup_extended (seen, key, NULL, &earlier))
        {
          g_autofree char *t = number_text (v->values[i]);
          g_autofree char *where = g_strdup_printf ("%s[%u]", place, i);
          /* Translators: %s is a number, %u the index of the list entry that has it already. */
          problem (p, where, _("%s is already in the list (entry %u)"), t,
                   GPOINTER_TO_UINT (earlier));
          g_free (key);
          continue;
        }
      g_hash_table_insert (seen, key, GUINT_TO_POINTER (i));
    }
}

static void
fill_grid (CdExperimentVary *v)
{
  v->n_values = v->steps + 1;
  v->values = g_new (double, v->n_values);
  /* The same grid as `coordyn-cli sweep`, ending exactly at `to`. */
  for (guint k = 0; k <= v->steps; k++)
    v->values[k] = k == v->steps ? v->to : v->from + (v->to - v->from) * ((double) k / v->steps);
}

/* ---- reading the spec ---------------------------------------------------- */

typedef struct
{
  Problems        problems;
  gboolean        utf8_checked;
  CdExperiment   *exp;
  GPtrArray      *scenario_names;   /* as the spec lists them */
  GArray         *scenario_places;  /* their indices in the spec's list */
  gboolean        has_institutions;
} Reader;

static gboolean
expect (Reader            *r,
        const char        *place,
        const CdJsonValue *value,
        gboolean           ok,
        const char        *wanted)
{
  if (!ok)
    /* Translators: both %s are kinds of JSON value, such as "a number". */
    problem (&r->problems, place, _("expected %s, got %s"), wanted,
             cd_json_value_kind_name (value));
  return ok;
}

static gboolean
read_number (Reader            *r,
             const char        *place,
             const CdJsonValue *value,
             double            *out)
{
  double v;

  if (!expect (r, place, value, value->kind == CD_JSON_INT || value->kind == CD_JSON_DOUBLE,
               _("a number")))
    return FALSE;
  v = value->kind == CD_JSON_INT ? (double) value->u.integer : value->u.number;
  if (!isfinite (v))
    {
      problem (&r->problems, place, _("the number is too large to be represented"));
      return FALSE;
    }
  *out = v == 0.0 ? 0.0 : v;
  return TRUE;
}

static gboolean
read_text (Reader            *r,
           const char        *place,
           const CdJsonValue *value,
           const char       **out)
{
  if (!expect (r, place, value, value->kind == CD_JSON_STRING, _("a string")))
    return FALSE;
  if (!r->utf8_checked && !g_utf8_validate (value->u.string, -1, NULL))
    {
      problem (&r->problems, place, _("not valid text: a \\u escape names half of a "
               "surrogate pair"));
      return FALSE;
    }
  *out = value->u.string;
  return TRUE;
}

static gboolean
read_array (Reader            *r,
            const char        *place,
            const CdJsonValue *value,
            guint              max_len)
{
  if (!expect (r, place, value, value->kind == CD_JSON_ARRAY, _("an array")))
    return FALSE;
  if (value->len == 0)
    {
      problem (&r->problems, place, _("an empty list: give at least one entry"));
      return FALSE;
    }
  if (value->len > max_len)
    {
      problem (&r->problems, place, _("more than %u entries; such an experiment is refused"),
               max_len);
      return FALSE;
    }
  return TRUE;
}

static gboolean
valid_key (Reader     *r,
           const char *place,
           const char *key)
{
  if (r->utf8_checked || g_utf8_validate (key, -1, NULL))
    return TRUE;
  problem (&r->problems, place, _("not a valid key: a \\u escape names half of a "
           "surrogate pair"));
  return FALSE;
}

/* "vary.PATH": {"from": a, "to": b, "steps": n}. */
static void
read_grid (Reader            *r,
           const char        *place,
           const CdJsonValue *value,
           CdExperimentVary  *v)
{
  gboolean has_from = FALSE, has_to = FALSE, has_steps = FALSE;
  guint before = r->problems.count;

  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      g_autofree char *sub = g_strdup_printf ("%s.%s", place, m->key);

      if (!valid_key (r, place, m->key))
        continue;
      if (strcmp (m->key, "from") == 0)
        has_from = read_number (r, sub, &m->value, &v->from)
                   && check_value (&r->problems, sub, v->param, v->from);
      else if (strcmp (m->key, "to") == 0)
        has_to = read_number (r, sub, &m->value, &v->to)
                 && check_value (&r->problems, sub, v->param, v->to);
      else if (strcmp (m->key, "steps") == 0)
        {
          if (m->value.kind != CD_JSON_INT || m->value.u.integer < 1
              || m->value.u.integer >= CD_EXPERIMENT_MAX_VALUES)
            /* Translators: "%u" is the largest number of steps. */
            problem (&r->problems, sub, _("the number of steps must be a whole number from 1 "
                                          "to %u"), CD_EXPERIMENT_MAX_VALUES - 1);
          else
            {
              v->steps = (guint) m->value.u.integer;
              has_steps = TRUE;
            }
        }
      else
        problem (&r->problems, sub, _("unknown key"));
    }
  for (guint k = 0; k < 3; k++)
    {
      static const char *const keys[] = { "from", "to", "steps" };
      if (!cd_json_object_get_member (value, keys[k]))
        /* Translators: the first %s is what the entry is, the second a JSON key
           kept in English. */
        problem (&r->problems, place, _("%s needs \"%s\""), _("a from/to grid"), keys[k]);
    }
  if (r->problems.count != before || !has_from || !has_to || !has_steps)
    return;
  if (v->from == v->to)
    {
      g_autofree char *t = number_text (v->from);
      problem (&r->problems, place, _("\"from\" and \"to\" are the same value; for one value "
                                      "write a list, such as [%s]"), t);
      return;
    }
  v->grid = TRUE;
  fill_grid (v);
}

static void
read_vary (Reader            *r,
           const CdJsonValue *value)
{
  if (!expect (r, "vary", value, value->kind == CD_JSON_OBJECT, _("an object")))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      g_autofree char *place = g_strdup_printf ("vary.%s", m->key);
      CdExperimentVary *v;
      CdParam param;
      guint before;

      if (!valid_key (r, "vary", m->key))
        continue;
      if (!cd_param_from_path (m->key, &param))
        {
          problem (&r->problems, place, _("no numeric parameter \"%s\""), m->key);
          continue;
        }
      v = g_new0 (CdExperimentVary, 1);
      v->param = param;
      g_ptr_array_add (r->exp->vary, v);
      if (m->value.kind == CD_JSON_OBJECT)
        {
          read_grid (r, place, &m->value, v);
          continue;
        }
      if (m->value.kind != CD_JSON_ARRAY)
        {
          problem (&r->problems, place, _("expected a list of values or {\"from\": …, \"to\": …, "
                                          "\"steps\": …}, got %s"),
                   cd_json_value_kind_name (&m->value));
          continue;
        }
      if (!read_array (r, place, &m->value, CD_EXPERIMENT_MAX_VALUES))
        continue;
      before = r->problems.count;
      v->values = g_new (double, m->value.len);
      for (guint k = 0; k < m->value.len; k++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", place, k);
          double x = 0.0;

          if (read_number (r, sub, &m->value.u.items[k], &x))
            check_value (&r->problems, sub, param, x);
          v->values[k] = x;
        }
      v->n_values = m->value.len;
      /* A value that did not read is no duplicate of another. */
      if (r->problems.count == before)
        check_distinct (&r->problems, place, v);
    }
}

static void
read_scenarios (Reader            *r,
                const CdJsonValue *value)
{
  if (!read_array (r, "scenarios", value, CD_EXPERIMENT_MAX_VALUES))
    return;
  r->exp->has_scenarios = TRUE;
  for (guint k = 0; k < value->len; k++)
    {
      g_autofree char *place = g_strdup_printf ("scenarios[%u]", k);
      const char *name;

      if (!read_text (r, place, &value->u.items[k], &name))
        continue;
      for (guint j = 0; j < r->scenario_names->len; j++)
        if (strcmp (g_ptr_array_index (r->scenario_names, j), name) == 0)
          {
            /* Translators: %s is a scenario's name, %u the index of its first entry. */
            problem (&r->problems, place, _("\"%s\" is already in the list (entry %u)"), name,
                     g_array_index (r->scenario_places, guint, j));
            name = NULL;
            break;
          }
      if (name == NULL)
        continue;
      g_ptr_array_add (r->scenario_names, g_strdup (name));
      g_array_append_val (r->scenario_places, k);
    }
}

/* "institutions": ["base", "japan", "my-arrangement.json"], resolved once
 * the model is known (resolve_institutions). */
static void
read_institutions (Reader            *r,
                   const CdJsonValue *value)
{
  if (!read_array (r, "institutions", value, CD_EXPERIMENT_MAX_VALUES))
    return;
  r->has_institutions = TRUE;
  for (guint k = 0; k < value->len; k++)
    {
      g_autofree char *place = g_strdup_printf ("institutions[%u]", k);
      const char *name;
      gboolean twice = FALSE;

      if (!read_text (r, place, &value->u.items[k], &name))
        continue;
      for (guint j = 0; j < r->exp->institution_refs->len; j++)
        if (strcmp (g_ptr_array_index (r->exp->institution_refs, j), name) == 0)
          {
            problem (&r->problems, place, _("\"%s\" is already in the list (entry %u)"), name,
                     j);
            twice = TRUE;
          }
      if (*name == '\0')
        problem (&r->problems, place, _("the name of the arrangement is empty"));
      else if (!twice)
        g_ptr_array_add (r->exp->institution_refs, g_strdup (name));
    }
}

static void
read_outputs (Reader            *r,
              const CdJsonValue *value)
{
  if (!read_array (r, "outputs", value, CD_N_EXPERIMENT_OUTPUTS * 4))
    return;
  for (guint k = 0; k < value->len; k++)
    {
      g_autofree char *place = g_strdup_printf ("outputs[%u]", k);
      CdExperimentOutput output;
      const char *name;
      gboolean twice = FALSE;

      if (!read_text (r, place, &value->u.items[k], &name))
        continue;
      if (!cd_experiment_output_from_name (name, &output))
        {
          g_autofree char *known = cd_locale_join_list (output_names, CD_N_EXPERIMENT_OUTPUTS,
                                                          FALSE);
          /* Translators: the first %s is what the spec has, the second the
           * list of output names (kept in English). */
          problem (&r->problems, place, _("\"%s\" is not an output; use one of %s"), name, known);
          continue;
        }
      for (guint j = 0; j < r->exp->outputs->len; j++)
        twice |= g_array_index (r->exp->outputs, CdExperimentOutput, j) == output;
      if (twice)
        {
          /* Translators: %s is the name of an output column. */
          problem (&r->problems, place, _("\"%s\" is listed twice"), name);
          continue;
        }
      g_array_append_val (r->exp->outputs, output);
    }
}

static void
read_top (Reader            *r,
          const CdJsonValue *root)
{
  static const char *const required[] = { "format", "version", "model", "vary", "outputs" };

  for (guint i = 0; i < root->len; i++)
    {
      const CdJsonMember *m = &root->u.members[i];
      const char *text;
      double v;

      if (!valid_key (r, NULL, m->key))
        continue;
      if (strcmp (m->key, "format") == 0)
        {
          if (read_text (r, m->key, &m->value, &text)
              && strcmp (text, CD_EXPERIMENT_FORMAT) != 0)
            problem (&r->problems, m->key,
                     _("\"%s\" is not a Coordyn experiment; expected \"%s\""), text,
                     CD_EXPERIMENT_FORMAT);
        }
      else if (strcmp (m->key, "version") == 0)
        {
          if (read_number (r, m->key, &m->value, &v) && v != CD_EXPERIMENT_VERSION)
            {
              g_autofree char *vt = number_text (v);
              problem (&r->problems, m->key,
                       _("version %s is not supported; this Coordyn reads experiment "
                         "version %d"), vt, CD_EXPERIMENT_VERSION);
            }
        }
      else if (strcmp (m->key, "model") == 0)
        {
          if (!read_text (r, m->key, &m->value, &text))
            continue;
          if (*text == '\0')
            problem (&r->problems, m->key, _("the path of the model file is empty"));
          else
            r->exp->model_path = g_strdup (text);
        }
      else if (strcmp (m->key, "description") == 0)
        {
          if (read_text (r, m->key, &m->value, &text))
            r->exp->description = g_strdup (text);
        }
      else if (strcmp (m->key, "vary") == 0)
        read_vary (r, &m->value);
      else if (strcmp (m->key, "scenarios") == 0)
        read_scenarios (r, &m->value);
      else if (strcmp (m->key, "outputs") == 0)
        read_outputs (r, &m->value);
      else if (strcmp (m->key, "institutions") == 0)
        read_institutions (r, &m->value);
      else
        problem (&r->problems, m->key, _("unknown key"));
    }
  for (guint k = 0; k < G_N_ELEMENTS (required); k++)
    if (!cd_json_object_get_member (root, required[k]))
      problem (&r->problems, NULL, _("%s needs \"%s\""), _("an experiment"), required[k]);
}

/* The model, its problems each on a line of their own as "model: PATH: …". */
static gboolean
load_model (Reader     *r,
            const char *base_dir,
            GError    **error)
{
  CdExperiment *exp = r->exp;
  g_autofree char *path = NULL;
  g_autoptr(GError) local = NULL;

  path = g_path_is_absolute (exp->model_path) || base_dir == NULL || strcmp (base_dir, ".") == 0
         ? g_strdup (exp->model_path) : g_build_filename (base_dir, exp->model_path, NULL);
  exp->model = cd_model_load_file (path, &local);
  if (exp->model != NULL)
    exp->model_sha256 = cd_shard_file_sha256 (path, &local);
  if (exp->model == NULL || exp->model_sha256 == NULL)
    {
      g_auto(GStrv) lines = g_strsplit (local->message, "\n", -1);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          /* Messages about the file itself (it cannot be read) name it already. */
          g_autofree char *line = g_str_has_prefix (lines[i], path)
                                  ? g_strdup (lines[i])
                                  : g_strdup_printf (C_("place: message", "%s: %s"), path,
                                                     lines[i]);
          if (i > 0)
            g_string_append_c (text, '\n');
          g_string_append_printf (text, C_("place: message", "%s: %s"), "model", line);
        }
      g_set_error_literal (error, CD_EXPERIMENT_ERROR, CD_EXPERIMENT_ERROR_MODEL, text->str);
      return FALSE;
    }
  return TRUE;
}

/* Scenario names to indices, now that the model is known. */
static void
resolve_scenarios (Reader *r)
{
  CdExperiment *exp = r->exp;
  int base = -1;

  if (!exp->has_scenarios)
    {
      g_array_append_val (exp->scenarios, base);
      return;
    }
  for (guint j = 0; j < r->scenario_names->len; j++)
    {
      const char *name = g_ptr_array_index (r->scenario_names, j);
      g_autofree char *place = g_strdup_printf ("scenarios[%u]",
                                                g_array_index (r->scenario_places, guint, j));
      int index = cd_model_find_scenario (exp->model, name);

      if (strcmp (name, "base") == 0)
        {
          if (index >= 0)
            problem (&r->problems, place,
                     _("the model has a scenario named \"base\", which cannot be told from the "
                       "model itself (\"base\" here); rename the scenario"));
          g_array_append_val (exp->scenarios, base);
        }
      else if (index < 0)
        /* Translators: the first %s is a scenario's name, the second a model file. */
        problem (&r->problems, place, _("no scenario named \"%s\" in %s"), name,
                 exp->model_path);
      else
        g_array_append_val (exp->scenarios, index);
    }
}

/* Arrangement names (or files, relative to the spec's folder) to
 * arrangements, now that the model is known. */
static void
resolve_institutions (Reader     *r,
                      const char *base_dir)
{
  CdExperiment *exp = r->exp;

  if (!r->has_institutions)
    {
      g_ptr_array_add (exp->institutions, NULL);
      return;
    }
  exp->has_institutions = TRUE;
  for (guint k = 0; k < exp->institution_refs->len; k++)
    {
      const char *ref = g_ptr_array_index (exp->institution_refs, k);
      g_autofree char *place = g_strdup_printf ("institutions[%u]", k);
      g_autofree char *path = NULL;
      g_autoptr(GError) local = NULL;
      CdInstitution *inst;

      if (strcmp (ref, "base") == 0)
        {
          g_ptr_array_add (exp->institutions, NULL);
          continue;
        }
      /* A file is relative to the spec, as the model is. */
      if ((strchr (ref, G_DIR_SEPARATOR) != NULL || g_str_has_suffix (ref, ".json"))
          && !g_path_is_absolute (ref) && base_dir != NULL && strcmp (base_dir, ".") != 0)
        path = g_build_filename (base_dir, ref, NULL);
      inst = cd_institution_find (path != NULL ? path : ref, &local);
      if (inst == NULL)
        {
          g_auto(GStrv) lines = g_strsplit (local->message, "\n", -1);
          for (guint i = 0; lines[i] != NULL; i++)
            problem (&r->problems, place, "%s", lines[i]);
          continue;
        }
      if (exp->model->version < 2)
        /* Translators: %s is the arrangement's name; "coordyn-cli upgrade" is a command. */
        problem (&r->problems, place, _("the arrangement \"%s\" applies to version-2 models "
                                        "only, and the model is version 1; upgrade it first: "
                                        "coordyn-cli upgrade MODEL.json -o NEW.json"), inst->name);
      g_ptr_array_add (exp->institutions, inst);
    }
}

CdExperiment *
cd_experiment_load_data (const char *data,
                         gsize       length,
                         const char *base_dir,
                         GError    **error)
{
  g_autoptr(CdExperiment) exp = NULL;
  g_autoptr(CdJsonDoc) doc = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) places = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GString) text = g_string_new (NULL);
  const CdJsonValue *root;
  Reader r = { { text, 0 }, FALSE, NULL, names, places, FALSE };

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  root = cd_json_read_spec (data, length, CD_JSON_SPEC_EXPERIMENT, CD_EXPERIMENT_MAX_FILE_SIZE,
                            CD_EXPERIMENT_ERROR, CD_EXPERIMENT_ERROR_INVALID, &doc,
                            &r.utf8_checked, error);
  if (root == NULL)
    return NULL;

  exp = experiment_alloc ();
  r.exp = exp;
  read_top (&r, root);
  if (!problems_report (&r.problems, CD_EXPERIMENT_ERROR_INVALID, error))
    return NULL;

  if (!load_model (&r, base_dir, error))
    return NULL;
  /* Model 2 splits some parameters and adds others: a spec varies only
   * what its model's version has (docs/model.md, "Model 2"). */
  for (guint i = 0; i < exp->vary->len; i++)
    {
      const CdExperimentVary *v = g_ptr_array_index (exp->vary, i);
      if (!cd_param_in_version (v->param, exp->model->version))
        {
          g_autofree char *place = g_strdup_printf ("vary.%s", cd_param_info (v->param)->path);
          /* Translators: %d is a model file's format version, 1 or 2. */
          problem (&r.problems, place, _("not a parameter of version %d models"),
                   exp->model->version);
        }
    }
  resolve_scenarios (&r);
  resolve_institutions (&r, base_dir);
  if (r.problems.count == 0)
    {
      exp->n_runs = count_runs (exp);
      if (exp->n_runs == 0)
        problem (&r.problems, "vary", _("more than %u combinations; an experiment may have at "
                                        "most that many runs"), CD_EXPERIMENT_MAX_RUNS);
    }
  if (!problems_report (&r.problems, CD_EXPERIMENT_ERROR_INVALID, error))
    return NULL;
  exp->spec_sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                                  length);
  return g_steal_pointer (&exp);
}

CdExperiment *
cd_experiment_load_file (const char *path,
                         GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  /* Read, never mapped, and only a regular file (cd-file.h); a huge file
   * is refused by its size before it is read. */
  if (!cd_file_read_regular (path, CD_EXPERIMENT_MAX_FILE_SIZE, &contents, &length, &local))
    {
      g_set_error_literal (error, CD_EXPERIMENT_ERROR,
                           g_error_matches (local, CD_FILE_ERROR, CD_FILE_ERROR_TOO_LARGE)
                           ? CD_EXPERIMENT_ERROR_INVALID : CD_EXPERIMENT_ERROR_IO,
                           local->message);
      return NULL;
    }
  dir = g_path_get_dirname (path);
  return cd_experiment_load_data (contents, length, dir, error);
}

/* ---- building one in memory ---------------------------------------------- */

CdExperiment *
cd_experiment_new (const CdModel *model,
                   const char    *model_path)
{
  CdExperiment *exp;
  int base = -1;

  g_return_val_if_fail (model != NULL, NULL);

  exp = experiment_alloc ();
  exp->model = cd_model_copy (model);
  exp->model_path = g_strdup (model_path);
  g_array_append_val (exp->scenarios, base);
  g_ptr_array_add (exp->institutions, NULL);
  for (CdExperimentOutput o = 0; o < CD_N_EXPERIMENT_OUTPUTS; o++)
    if (o != CD_EXPERIMENT_OUTPUT_TIME_OF_PEAK)
      g_array_append_val (exp->outputs, o);
  exp->n_runs = 1;
  return exp;
}

static gboolean
add_checked (CdExperiment     *exp,
             CdExperimentVary *v,
             Problems         *p,
             GError          **error)
{
  const char *path = cd_param_info (v->param)->path;
  g_autofree char *place = g_strdup_printf ("vary.%s", path);

  for (guint i = 0; i < exp->vary->len; i++)
    if (((CdExperimentVary *) g_ptr_array_index (exp->vary, i))->param == v->param)
      problem (p, place, _("the parameter is varied already"));
  if (!cd_param_in_version (v->param, exp->model->version))
    problem (p, place, _("not a parameter of version %d models"), exp->model->version);
  for (guint i = 0; i < v->n_values; i++)
    {
      g_autofree char *sub = g_strdup_printf ("%s[%u]", place, i);
      check_value (p, sub, v->param, v->values[i]);
    }
  check_distinct (p, place, v);
  g_ptr_array_add (exp->vary, v);
  if (p->count == 0 && count_runs (exp) == 0)
    problem (p, "vary", _("more than %u combinations; an experiment may have at most that many "
                          "runs"), CD_EXPERIMENT_MAX_RUNS);
  if (p->count > 0)
    {
      g_ptr_array_remove_index (exp->vary, exp->vary->len - 1);
      return problems_report (p, CD_EXPERIMENT_ERROR_INVALID, error);
    }
  exp->n_runs = count_runs (exp);
  return TRUE;
}

gboolean
cd_experiment_add_vary (CdExperiment *exp,
                        CdParam       param,
                        const double *values,
                        guint         n,
                        GError      **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  Problems p = { text, 0 };
  CdExperimentVary *v;

  g_return_val_if_fail (exp != NULL && param < CD_N_PARAMS, FALSE);
  g_return_val_if_fail (n > 0 && n <= CD_EXPERIMENT_MAX_VALUES && values != NULL, FALSE);

  v = g_new0 (CdExperimentVary, 1);
  v->param = param;
  v->n_values = n;
  v->values = g_memdup2 (values, n * sizeof (double));
  return add_checked (exp, v, &p, error);
}

gboolean
cd_experiment_add_grid (CdExperiment *exp,
                        CdParam       param,
                        double        from,
                        double        to,
                        guint         steps,
                        GError      **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  Problems p = { text, 0 };
  g_autofree char *place = NULL;
  CdExperimentVary *v;

  g_return_val_if_fail (exp != NULL && param < CD_N_PARAMS, FALSE);

  place = g_strdup_printf ("vary.%s", cd_param_info (param)->path);
  if (steps < 1 || steps >= CD_EXPERIMENT_MAX_VALUES)
    problem (&p, place, _("the number of steps must be a whole number from 1 to %u"),
             CD_EXPERIMENT_MAX_VALUES - 1);
  else if (!(from != to) || !isfinite (from) || !isfinite (to))
    {
      g_autofree char *t = number_text (from);
      problem (&p, place, _("\"from\" and \"to\" are the same value; for one value write a "
                            "list, such as [%s]"), t);
    }
  if (!problems_report (&p, CD_EXPERIMENT_ERROR_INVALID, error))
    return FALSE;
  v = g_new0 (CdExperimentVary, 1);
  v->param = param;
  v->grid = TRUE;
  v->from = from;
  v->to = to;
  v->steps = steps;
  fill_grid (v);
  return add_checked (exp, v, &p, error);
}

gboolean
cd_experiment_set_scenarios (CdExperiment *exp,
                             const int    *scenarios,
                             guint         n,
                             GError      **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  Problems p = { text, 0 };
  g_autoptr(GArray) old = NULL;

  g_return_val_if_fail (exp != NULL && exp->model != NULL, FALSE);
  g_return_val_if_fail (n > 0 && scenarios != NULL, FALSE);

  for (guint k = 0; k < n; k++)
    {
      g_autofree char *place = g_strdup_printf ("scenarios[%u]", k);
      if (scenarios[k] < -1 || scenarios[k] >= (int) exp->model->scenarios->len)
        problem (&p, place, _("no such scenario in the model"));
      for (guint j = 0; j < k; j++)
        if (scenarios[j] == scenarios[k])
          problem (&p, place, _("the scenario is listed twice"));
    }
  if (!problems_report (&p, CD_EXPERIMENT_ERROR_INVALID, error))
    return FALSE;
  old = g_steal_pointer (&exp->scenarios);
  exp->scenarios = g_array_sized_new (FALSE, FALSE, sizeof (int), n);
  g_array_append_vals (exp->scenarios, scenarios, n);
  if (count_runs (exp) == 0)
    {
      g_array_unref (exp->scenarios);
      exp->scenarios = g_steal_pointer (&old);
      g_set_error (error, CD_EXPERIMENT_ERROR, CD_EXPERIMENT_ERROR_INVALID,
                   _("more than %u combinations; an experiment may have at most that many runs"),
                   CD_EXPERIMENT_MAX_RUNS);
      return FALSE;
    }
  exp->has_scenarios = TRUE;
  exp->n_runs = count_runs (exp);
  return TRUE;
}

/* ---- writing the spec ---------------------------------------------------- */

static void
append_string (GString    *out,
               const char *s)
{
  g_string_append_c (out, '"');
  for (const char *c = s; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_printf (out, "\\%c", *c);
      else if ((guchar) *c < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *c);
      else
        g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

static void
append_number (GString *out,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (out, cd_format_double_shortest (buf, v));
}

char *
cd_experiment_to_json (const CdExperiment *exp)
{
  GString *out = g_string_new ("{\n");

  g_return_val_if_fail (exp != NULL && exp->model_path != NULL, NULL);

  g_string_append_printf (out, "  \"format\": \"%s\",\n  \"version\": %d,\n",
                          CD_EXPERIMENT_FORMAT, CD_EXPERIMENT_VERSION);
  if (exp->description != NULL)
    {
      g_string_append (out, "  \"description\": ");
      append_string (out, exp->description);
      g_string_append (out, ",\n");
    }
  g_string_append (out, "  \"model\": ");
  append_string (out, exp->model_path);
  g_string_append (out, ",\n  \"vary\": {");
  for (guint i = 0; i < exp->vary->len; i++)
    {
      const CdExperimentVary *v = g_ptr_array_index (exp->vary, i);

      g_string_append (out, i > 0 ? ",\n    " : "\n    ");
      append_string (out, cd_param_info (v->param)->path);
      g_string_append (out, ": ");
      if (v->grid)
        {
          g_string_append (out, "{\"from\": ");
          append_number (out, v->from);
          g_string_append (out, ", \"to\": ");
          append_number (out, v->to);
          g_string_append_printf (out, ", \"steps\": %u}", v->steps);
          continue;
        }
      g_string_append_c (out, '[');
      for (guint k = 0; k < v->n_values; k++)
        {
          if (k > 0)
            g_string_append (out, ", ");
          append_number (out, v->values[k]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append (out, exp->vary->len > 0 ? "\n  },\n" : "},\n");
  if (exp->has_scenarios)
    {
      g_string_append (out, "  \"scenarios\": [");
      for (guint k = 0; k < exp->scenarios->len; k++)
        {
          int s = g_array_index (exp->scenarios, int, k);
          if (k > 0)
            g_string_append (out, ", ");
          append_string (out, s < 0 ? "base"
                              : ((CdScenario *) g_ptr_array_index (exp->model->scenarios, s))->name);
        }
      g_string_append (out, "],\n");
    }
  if (exp->has_institutions)
    {
      g_string_append (out, "  \"institutions\": [");
      for (guint k = 0; k < exp->institution_refs->len; k++)
        {
          if (k > 0)
            g_string_append (out, ", ");
          append_string (out, g_ptr_array_index (exp->institution_refs, k));
        }
      g_string_append (out, "],\n");
    }
  g_string_append (out, "  \"outputs\": [");
  for (guint k = 0; k < exp->outputs->len; k++)
    {
      if (k > 0)
        g_string_append (out, ", ");
      append_string (out, output_names[g_array_index (exp->outputs, CdExperimentOutput, k)]);
    }
  g_string_append (out, "]\n}\n");
  return g_string_free (out, FALSE);
}

/* ---- running ------------------------------------------------------------- */

void
cd_experiment_levels (const CdExperiment *exp,
                      guint64             run,
                      guint              *scenario,
                      guint              *levels)
{
  g_return_if_fail (exp != NULL && run < exp->n_runs);

  for (guint i = exp->vary->len; i-- > 0;)
    {
      const CdExperimentVary *v = g_ptr_array_index (exp->vary, i);
      levels[i] = (guint) (run % v->n_values);
      run /= v->n_values;
    }
  *scenario = (guint) (run % exp->scenarios->len);
}

guint
cd_experiment_institution (const CdExperiment *exp,
                           guint64             run)
{
  guint64 per_institution;

  g_return_val_if_fail (exp != NULL && run < exp->n_runs, 0);

  per_institution = exp->n_runs / MAX (exp->institutions->len, 1);
  return (guint) (run / per_institution);
}

const char *
cd_experiment_institution_name (const CdExperiment *exp,
                                guint               index)
{
  const CdInstitution *inst;

  g_return_val_if_fail (exp != NULL && index < exp->institutions->len, NULL);

  inst = g_ptr_array_index (exp->institutions, index);
  return inst != NULL ? inst->name : "base";
}

typedef struct
{
  CdProgressFunc progress;
  gpointer       data;
  double         done;     /* runs finished before this block */
  double         block;    /* runs in this block */
  double         total;
} BlockProgress;

static void
block_progress (double   fraction,
                gpointer user_data)
{
  BlockProgress *bp = user_data;

  bp->progress ((bp->done + fraction * bp->block) / bp->total, bp->data);
}

gboolean
cd_experiment_run (const CdExperiment  *exp,
                   guint64              first,
                   guint64              count,
                   guint                threads,
                   CdExperimentRowsFunc rows,
                   gpointer             rows_data,
                   CdProgressFunc       progress,
                   gpointer             progress_data,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(GPtrArray) overlays = NULL;
  g_autofree double *values = NULL;
  g_autofree CdOutcome *outcomes = NULL;
  g_autofree guint *levels = NULL;
  guint64 per_scenario, run, end = first + count;
  guint n_variants;
  BlockProgress bp = { progress, progress_data, 0, 0, (double) MAX (count, 1) };

  g_return_val_if_fail (exp != NULL && rows != NULL, FALSE);
  g_return_val_if_fail (first <= exp->n_runs && count <= exp->n_runs - first, FALSE);

  /* One compiled model per variant: an arrangement (slowest) and a scenario. */
  n_variants = exp->scenarios->len * MAX (exp->institutions->len, 1);
  overlays = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_param_overlay_free);
  g_ptr_array_set_size (overlays, n_variants);
  per_scenario = exp->n_runs / n_variants;
  values = g_new (double, (gsize) BLOCK_RUNS * CD_N_PARAMS);
  outcomes = g_new (CdOutcome, BLOCK_RUNS);
  levels = g_new0 (guint, MAX (exp->vary->len, 1));

  for (run = first; run < end;)
    {
      guint s = (guint) (run / per_scenario), n;
      const double *base;
      CdParamOverlay *ov = g_ptr_array_index (overlays, s);

      n = (guint) MIN (MIN (end, (s + 1) * per_scenario) - run, BLOCK_RUNS);
      if (ov == NULL)
        {
          int index = g_array_index (exp->scenarios, int, s % exp->scenarios->len);
          const CdInstitution *inst = exp->institutions->len > 0
                                      ? g_ptr_array_index (exp->institutions,
                                                           s / exp->scenarios->len)
                                      : NULL;
          g_autoptr(CdModel) arranged = inst != NULL
                                        ? cd_institution_apply (inst, exp->model, error)
                                        : cd_model_copy (exp->model);
          g_autoptr(CdModel) variant = arranged != NULL
                                       ? cd_model_apply_scenario (arranged, index, error) : NULL;

          ov = variant != NULL ? cd_param_overlay_new (variant, error) : NULL;
          if (ov == NULL)
            return FALSE;
          g_ptr_array_index (overlays, s) = ov;
        }
      base = cd_param_overlay_base_values (ov);
      for (guint i = 0; i < n; i++)
        {
          double *row = values + (gsize) i * CD_N_PARAMS;
          guint scenario;

          memcpy (row, base, CD_N_PARAMS * sizeof (double));
          cd_experiment_levels (exp, run + i, &scenario, levels);
          for (guint k = 0; k < exp->vary->len; k++)
            {
              const CdExperimentVary *v = g_ptr_array_index (exp->vary, k);
              row[v->param] = v->values[levels[k]];
            }
        }
      bp.block = n;
      if (!cd_param_overlay_run_batch (ov, n, values, threads, outcomes, NULL, NULL,
                                       progress ? block_progress : NULL, &bp, cancellable,
                                       error))
        {
          /* The batch numbers its runs from 0: name them as the table does. */
          if (run > 0)
            {
              g_autofree char *from = g_strdup_printf ("%" G_GUINT64_FORMAT, run);
              /* Translators: %s is the number of a run; a message follows. */
              g_prefix_error (error, _("(the runs of this block count from %s) "), from);
            }
          return FALSE;
        }
      if (!rows (run, n, outcomes, rows_data, error))
        return FALSE;
      run += n;
      bp.done += n;
    }
  if (progress != NULL && count == 0)
    progress (1.0, progress_data);
  return TRUE;
}
