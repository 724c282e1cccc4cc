/* cd-institution.c — institutional arrangements: reading, finding, applying.
 *
 * The file is read the way a model file and an experiment spec are: its
 * text becomes a JSON tree through the model reader's parser (so syntax
 * errors are worded the same way, with line and column), then every key is
 * checked and every problem reported with its place; a file with any
 * problem gives no arrangement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "cd-file.h"
#include "cd-institution.h"
#include "cd-json.h"
#include "cd-model-json-private.h"
#include "cd-shard.h"

G_DEFINE_QUARK (cd-institution-error-quark, cd_institution_error)

static const char *const attr_keys[CD_N_INSTITUTION_ATTRS] = {
  [CD_INSTITUTION_ATTR_APPRAISAL] = "appraisal",
  [CD_INSTITUTION_ATTR_FRAGMENTATION_IDEAS] = "fragmentation_ideas",
  [CD_INSTITUTION_ATTR_FRAGMENTATION_POWERS] = "fragmentation_powers",
};

const char *
cd_institution_attr_key (CdInstitutionAttr attr)
{
  g_return_val_if_fail (attr < CD_N_INSTITUTION_ATTRS, NULL);
  return attr_keys[attr];
}

static void
node_rule_free (gpointer data)
{
  CdInstitutionNodeRule *rule = data;

  g_strfreev (rule->ids);
  g_free (rule);
}

static CdInstitution *
institution_alloc (void)
{
  CdInstitution *inst = g_new0 (CdInstitution, 1);

  inst->name = g_strdup ("");
  inst->description = g_strdup ("");
  inst->names = cd_localized_array_new ();
  inst->descriptions = cd_localized_array_new ();
  inst->node_rules = g_ptr_array_new_with_free_func (node_rule_free);
  inst->line_rules = g_ptr_array_new_with_free_func (g_free);
  return inst;
}

void
cd_institution_free (CdInstitution *inst)
{
  if (inst == NULL)
    return;
  g_free (inst->name);
  g_free (inst->description);
  g_clear_pointer (&inst->names, g_array_unref);
  g_clear_pointer (&inst->descriptions, g_array_unref);
  g_clear_pointer (&inst->node_rules, g_ptr_array_unref);
  g_clear_pointer (&inst->line_rules, g_ptr_array_unref);
  g_free (inst->path);
  g_free (inst->sha256);
  g_free (inst);
}

CdInstitution *
cd_institution_copy (const CdInstitution *inst)
{
  CdInstitution *copy;

  g_return_val_if_fail (inst != NULL, NULL);

  copy = institution_alloc ();
  g_free (copy->name);
  copy->name = g_strdup (inst->name);
  g_free (copy->description);
  copy->description = g_strdup (inst->description);
  g_array_unref (copy->names);
  copy->names = cd_localized_array_copy (inst->names);
  g_array_unref (copy->descriptions);
  copy->descriptions = cd_localized_array_copy (inst->descriptions);
  memcpy (copy->param_set, inst->param_set, sizeof inst->param_set);
  memcpy (copy->param_value, inst->param_value, sizeof inst->param_value);
  for (guint i = 0; i < inst->node_rules->len; i++)
    {
      const CdInstitutionNodeRule *rule = g_ptr_array_index (inst->node_rules, i);
      CdInstitutionNodeRule *dup = g_memdup2 (rule, sizeof *rule);

      dup->ids = g_strdupv (rule->ids);
      g_ptr_array_add (copy->node_rules, dup);
    }
  for (guint i = 0; i < inst->line_rules->len; i++)
    g_ptr_array_add (copy->line_rules,
                     g_memdup2 (g_ptr_array_index (inst->line_rules, i),
                                sizeof (CdInstitutionLineRule)));
  copy->path = g_strdup (inst->path);
  copy->sha256 = g_strdup (inst->sha256);
  return copy;
}

const char *
cd_institution_display_name (const CdInstitution *inst)
{
  g_return_val_if_fail (inst != NULL, NULL);
  return cd_localized_lookup (inst->names, inst->name);
}

const char *
cd_institution_display_description (const CdInstitution *inst)
{
  g_return_val_if_fail (inst != NULL, NULL);
  return cd_localized_lookup (inst->descriptions, inst->description);
}

gboolean
cd_institution_has_network_rules (const CdInstitution *inst)
{
  g_return_val_if_fail (inst != NULL, FALSE);
  return inst->node_rules->len > 0 || inst->line_rules->len > 0;
}

/* ---- reading --------------------------------------------------------------- */

typedef struct
{
  CdProblems     problems;
  gboolean       utf8_checked;
  CdInstitution *inst;
} Reader;

#define PROBLEM(r, place, ...) cd_problems_add (&(r)->problems, (place), __VA_ARGS__)

static gboolean
expect (Reader            *r,
        const char        *place,
        const CdJsonValue *value,
        gboolean           ok,
        const char        *wanted)
{
  if (!ok)
    /* Translators: both %s are kinds of JSON value, such as "a number". */
    PROBLEM (r, place, _("expected %s, got %s"), wanted, cd_json_value_kind_name (value));
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
      PROBLEM (r, place, _("the number is too large to be represented"));
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
      PROBLEM (r, place, _("not valid text: a \\u escape names half of a surrogate pair"));
      return FALSE;
    }
  *out = value->u.string;
  return TRUE;
}

static gboolean
valid_key (Reader     *r,
           const char *place,
           const char *key)
{
  if (r->utf8_checked || g_utf8_validate (key, -1, NULL))
    return TRUE;
  PROBLEM (r, place, _("not a valid key: a \\u escape names half of a surrogate pair"));
  return FALSE;
}

static char *
sub_place (const char *place,
           const char *key)
{
  return place == NULL || *place == '\0' ? g_strdup (key) : g_strdup_printf ("%s.%s", place, key);
}

static void
read_localized (Reader            *r,
                const char        *place,
                const CdJsonValue *value,
                GArray            *into)
{
  if (!expect (r, place, value, value->kind == CD_JSON_OBJECT, _("an object")))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      g_autofree char *sub = NULL;
      const char *text;

      if (!valid_key (r, place, m->key))
        continue;
      sub = sub_place (place, m->key);
      if (*m->key == '\0')
        PROBLEM (r, place, _("a language code must not be empty"));
      else if (read_text (r, sub, &m->value, &text))
        cd_localized_set (into, m->key, text);
    }
}

/* "parameters": {"resistance": {"law": 0.7}, …}, as a model file has them. */
static void
read_parameters (Reader            *r,
                 const CdJsonValue *value)
{
  CdInstitution *inst = r->inst;

  if (!expect (r, "parameters", value, value->kind == CD_JSON_OBJECT, _("an object")))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *g = &value->u.members[i];
      g_autofree char *gplace = NULL;
      gboolean known = FALSE;

      if (!valid_key (r, "parameters", g->key))
        continue;
      gplace = sub_place ("parameters", g->key);
      for (guint k = 0; k < CD_N_GROUPS; k++)
        known |= strcmp (g->key, cd_group_key ((CdGroup) k)) == 0;
      if (!known)
        {
          PROBLEM (r, gplace, _("unknown key"));
          continue;
        }
      if (!expect (r, gplace, &g->value, g->value.kind == CD_JSON_OBJECT, _("an object")))
        continue;
      for (guint j = 0; j < g->value.len; j++)
        {
          const CdJsonMember *m = &g->value.u.members[j];
          g_autofree char *path = NULL;
          g_autofree char *place = NULL;
          CdParam param;
          double v;

          if (!valid_key (r, gplace, m->key))
            continue;
          path = g_strconcat (g->key, ".", m->key, NULL);
          place = sub_place ("parameters", path);
          if (strcmp (path, "dynamics.rule") == 0)
            {
              PROBLEM (r, place, _("the update rule is a modelling choice, not an institution; "
                                   "an arrangement cannot set it"));
              continue;
            }
          if (!cd_param_from_path (path, &param))
            {
              PROBLEM (r, place, _("unknown key"));
              continue;
            }
          if (!cd_param_in_version (param, 2))
            {
              PROBLEM (r, place, _("version 2 replaces \"resistance.fragmentation\" with "
                                   "\"resistance.ideas\" and \"resistance.powers\""));
              continue;
            }
          if (!read_number (r, place, &m->value, &v))
            continue;
          if (!cd_param_value_in_range (param, v))
            {
              g_autofree char *t = cd_number_text (v);
              PROBLEM (r, place, _("%s is outside the range of %s (%s)"), t, path,
                       cd_param_range_text (param));
              continue;
            }
          inst->param_set[param] = TRUE;
          inst->param_value[param] = v;
        }
    }
}

/* "level": "provincial" or ["provincial", "municipal"], into a bit set. */
static void
read_levels (Reader            *r,
             const char        *place,
             const CdJsonValue *value,
             guint             *out)
{
  const CdJsonValue *items = value;
  guint n = 1;

  if (value->kind == CD_JSON_ARRAY)
    {
      if (value->len == 0)
        {
          PROBLEM (r, place, _("an empty list: give at least one entry"));
          return;
        }
      items = value->u.items;
      n = value->len;
    }
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *sub = value->kind == CD_JSON_ARRAY ? g_strdup_printf ("%s[%u]", place, k)
                                                          : g_strdup (place);
      const char *text;
      CdLevel level;

      if (!read_text (r, sub, &items[k], &text))
        continue;
      if (!cd_level_from_string (text, &level))
        PROBLEM (r, sub, _("\"%s\" is not a level; use central, provincial, municipal, county "
                           "or other"), text);
      else
        *out |= 1u << level;
    }
}

static void
read_node_where (Reader                *r,
                 const char            *place,
                 const CdJsonValue     *value,
                 CdInstitutionNodeRule *rule)
{
  if (!expect (r, place, value, value->kind == CD_JSON_OBJECT, _("an object")))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      g_autofree char *sub = NULL;

      if (!valid_key (r, place, m->key))
        continue;
      sub = sub_place (place, m->key);
      if (strcmp (m->key, "level") == 0)
        read_levels (r, sub, &m->value, &rule->levels);
      else if (strcmp (m->key, "superior") == 0)
        {
          if (expect (r, sub, &m->value, m->value.kind == CD_JSON_BOOLEAN, _("true or false")))
            rule->superior = m->value.u.boolean ? CD_INSTITUTION_SUPERIOR_WITH
                                                : CD_INSTITUTION_SUPERIOR_WITHOUT;
        }
      else if (strcmp (m->key, "ids") == 0)
        {
          g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

          if (!expect (r, sub, &m->value, m->value.kind == CD_JSON_ARRAY, _("an array")))
            continue;
          if (m->value.len == 0)
            {
              PROBLEM (r, sub, _("an empty list: give at least one entry"));
              continue;
            }
          for (guint k = 0; k < m->value.len; k++)
            {
              g_autofree char *item = g_strdup_printf ("%s[%u]", sub, k);
              const char *text;

              if (read_text (r, item, &m->value.u.items[k], &text))
                g_ptr_array_add (ids, g_strdup (text));
            }
          g_ptr_array_add (ids, NULL);
          g_strfreev (rule->ids);
          rule->ids = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
        }
      else
        PROBLEM (r, sub, _("unknown key"));
    }
}

static void
read_node_values (Reader            *r,
                  const char        *place,
                  const CdJsonValue *value,
                  gboolean           scale,
                  gboolean          *mask,
                  double            *values)
{
  if (!expect (r, place, value, value->kind == CD_JSON_OBJECT, _("an object")))
    return;
  if (value->len == 0)
    PROBLEM (r, place, _("an empty object: name at least one attribute"));
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      g_autofree char *sub = NULL;
      guint a;
      double v;

      if (!valid_key (r, place, m->key))
        continue;
      sub = sub_place (place, m->key);
      for (a = 0; a < CD_N_INSTITUTION_ATTRS; a++)
        if (strcmp (m->key, attr_keys[a]) == 0)
          break;
      if (a == CD_N_INSTITUTION_ATTRS)
        {
          /* Translators: the list is of JSON keys, kept in English. */
          PROBLEM (r, sub, _("unknown key; a rule may set appraisal, fragmentation_ideas or "
                             "fragmentation_powers"));
          continue;
        }
      if (!read_number (r, sub, &m->value, &v))
        continue;
      if (scale ? v < 0 : (v < 0 || v > 1))
        {
          g_autofree char *t = cd_number_text (v);
          PROBLEM (r, sub, scale ? _("%s is not a factor: use a number ≥ 0")
                                 : _("%s is outside [0, 1]"), t);
          continue;
        }
      mask[a] = TRUE;
      values[a] = v;
    }
}

static void
read_node_rules (Reader            *r,
                 const CdJsonValue *value)
{
  if (!expect (r, "governments", value, value->kind == CD_JSON_ARRAY, _("an array")))
    return;
  if (value->len > CD_INSTITUTION_MAX_RULES)
    {
      PROBLEM (r, "governments", _("more than %u rules"), CD_INSTITUTION_MAX_RULES);
      return;
    }
  for (guint k = 0; k < value->len; k++)
    {
      const CdJsonValue *item = &value->u.items[k];
      g_autofree char *place = g_strdup_printf ("governments[%u]", k);
      CdInstitutionNodeRule *rule = g_new0 (CdInstitutionNodeRule, 1);
      gboolean any = FALSE;

      g_ptr_array_add (r->inst->node_rules, rule);
      if (!expect (r, place, item, item->kind == CD_JSON_OBJECT, _("an object")))
        continue;
      for (guint i = 0; i < item->len; i++)
        {
          const CdJsonMember *m = &item->u.members[i];
          g_autofree char *sub = NULL;

          if (!valid_key (r, place, m->key))
            continue;
          sub = sub_place (place, m->key);
          if (strcmp (m->key, "where") == 0)
            read_node_where (r, sub, &m->value, rule);
          else if (strcmp (m->key, "set") == 0)
            read_node_values (r, sub, &m->value, FALSE, rule->set, rule->set_value);
          else if (strcmp (m->key, "scale") == 0)
            read_node_values (r, sub, &m->value, TRUE, rule->scale, rule->scale_value);
          else if (strcmp (m->key, "description") != 0)
            PROBLEM (r, sub, _("unknown key"));
          else if (m->value.kind != CD_JSON_STRING)
            expect (r, sub, &m->value, FALSE, _("a string"));
        }
      for (guint a = 0; a < CD_N_INSTITUTION_ATTRS; a++)
        {
          any |= rule->set[a] || rule->scale[a];
          if (rule->set[a] && rule->scale[a])
            PROBLEM (r, place, _("\"%s\" is both set and scaled; do one"), attr_keys[a]);
        }
      if (!cd_json_object_get_member (item, "set") && !cd_json_object_get_member (item, "scale"))
        PROBLEM (r, place, _("a rule needs \"set\" or \"scale\""));
      else if (!any && r->problems.count == 0)
        PROBLEM (r, place, _("a rule needs \"set\" or \"scale\""));
    }
}

static void
read_line_where (Reader                *r,
                 const char            *place,
                 const CdJsonValue     *value,
                 CdInstitutionLineRule *rule)
{
  if (!expect (r, place, value, value->kind == CD_JSON_OBJECT, _("an object")))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      g_autofree char *sub = NULL;
      const char *text;
      CdCommandRole role;

      if (!valid_key (r, place, m->key))
        continue;
      sub = sub_place (place, m->key);
      if (strcmp (m->key, "source_level") == 0)
        read_levels (r, sub, &m->value, &rule->source_levels);
      else if (strcmp (m->key, "target_level") == 0)
        read_levels (r, sub, &m->value, &rule->target_levels);
      else if (strcmp (m->key, "role") == 0)
        {
          if (!read_text (r, sub, &m->value, &text))
            continue;
          if (!cd_role_from_string (text, &role))
            PROBLEM (r, sub, _("\"%s\" is not a role; use \"administrative\" or \"emergency\""),
                     text);
          else
            rule->role = role;
        }
      else
        PROBLEM (r, sub, _("unknown key"));
    }
}

static void
read_line_set (Reader                *r,
               const char            *place,
               const CdJsonValue     *value,
               CdInstitutionLineRule *rule)
{
  if (!expect (r, place, value, value->kind == CD_JSON_OBJECT, _("an object")))
    return;
  if (value->len == 0)
    PROBLEM (r, place, _("an empty object: name at least one attribute"));
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      g_autofree char *sub = NULL;
      const char *text;
      CdCommandRole role;
      double v;

      if (!valid_key (r, place, m->key))
        continue;
      sub = sub_place (place, m->key);
      if (strcmp (m->key, "role") == 0)
        {
          if (!read_text (r, sub, &m->value, &text))
            continue;
          if (!cd_role_from_string (text, &role))
            PROBLEM (r, sub, _("\"%s\" is not a role; use \"administrative\" or \"emergency\""),
                     text);
          else
            rule->set_role = role;
        }
      else if (strcmp (m->key, "weight") == 0)
        {
          if (!read_number (r, sub, &m->value, &v))
            continue;
          if (!(v > 0 && v <= 1))
            {
              g_autofree char *t = cd_number_text (v);
              PROBLEM (r, sub, _("%s is outside (0, 1]"), t);
              continue;
            }
          rule->set_weight = TRUE;
          rule->weight = v;
        }
      else
        /* Translators: "role" and "weight" are JSON keys, kept in English. */
        PROBLEM (r, sub, _("unknown key; a command-line rule may set role or weight"));
    }
}

static void
read_line_rules (Reader            *r,
                 const CdJsonValue *value)
{
  if (!expect (r, "command_lines", value, value->kind == CD_JSON_ARRAY, _("an array")))
    return;
  if (value->len > CD_INSTITUTION_MAX_RULES)
    {
      PROBLEM (r, "command_lines", _("more than %u rules"), CD_INSTITUTION_MAX_RULES);
      return;
    }
  for (guint k = 0; k < value->len; k++)
    {
      const CdJsonValue *item = &value->u.items[k];
      g_autofree char *place = g_strdup_printf ("command_lines[%u]", k);
      CdInstitutionLineRule *rule = g_new0 (CdInstitutionLineRule, 1);

      rule->role = -1;
      rule->set_role = -1;
      g_ptr_array_add (r->inst->line_rules, rule);
      if (!expect (r, place, item, item->kind == CD_JSON_OBJECT, _("an object")))
        continue;
      for (guint i = 0; i < item->len; i++)
        {
          const CdJsonMember *m = &item->u.members[i];
          g_autofree char *sub = NULL;

          if (!valid_key (r, place, m->key))
            continue;
          sub = sub_place (place, m->key);
          if (strcmp (m->key, "where") == 0)
            read_line_where (r, sub, &m->value, rule);
          else if (strcmp (m->key, "set") == 0)
            read_line_set (r, sub, &m->value, rule);
          else if (strcmp (m->key, "description") != 0)
            PROBLEM (r, sub, _("unknown key"));
          else if (m->value.kind != CD_JSON_STRING)
            expect (r, sub, &m->value, FALSE, _("a string"));
        }
      if (!cd_json_object_get_member (item, "set"))
        PROBLEM (r, place, _("a rule needs \"set\""));
    }
}

static void
read_top (Reader            *r,
          const CdJsonValue *root)
{
  static const char *const required[] = { "format", "version", "name" };

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
              && strcmp (text, CD_INSTITUTION_FORMAT) != 0)
            PROBLEM (r, m->key, _("\"%s\" is not a Coordyn institutional arrangement; "
                                  "expected \"%s\""), text, CD_INSTITUTION_FORMAT);
        }
      else if (strcmp (m->key, "version") == 0)
        {
          if (read_number (r, m->key, &m->value, &v) && v != CD_INSTITUTION_VERSION)
            {
              g_autofree char *vt = cd_number_text (v);
              PROBLEM (r, m->key, _("version %s is not supported; this Coordyn reads "
                                    "arrangement version %d"), vt, CD_INSTITUTION_VERSION);
            }
        }
      else if (strcmp (m->key, "name") == 0)
        {
          gunichar control;

          if (!read_text (r, m->key, &m->value, &text))
            continue;
          if (*text == '\0')
            PROBLEM (r, m->key, _("the name must not be empty"));
          /* The name is what `--institution` and an experiment's
           * "institutions" give, and a cell of a study's table, whose
           * shards are merged line by line: printable text, as a
           * scenario's name (cd-model-validate.c). */
          else if ((control = cd_text_first_control (text)) != 0)
            PROBLEM (r, m->key, _("a control character (U+%04X) in the name; the name is how "
                                  "commands and the CSV refer to the arrangement, so it must "
                                  "be printable text"), control);
          g_free (r->inst->name);
          r->inst->name = g_strdup (text);
        }
      else if (strcmp (m->key, "names") == 0)
        read_localized (r, m->key, &m->value, r->inst->names);
      else if (strcmp (m->key, "description") == 0)
        {
          if (read_text (r, m->key, &m->value, &text))
            {
              g_free (r->inst->description);
              r->inst->description = g_strdup (text);
            }
        }
      else if (strcmp (m->key, "descriptions") == 0)
        read_localized (r, m->key, &m->value, r->inst->descriptions);
      else if (strcmp (m->key, "parameters") == 0)
        read_parameters (r, &m->value);
      else if (strcmp (m->key, "governments") == 0)
        read_node_rules (r, &m->value);
      else if (strcmp (m->key, "command_lines") == 0)
        read_line_rules (r, &m->value);
      else if (strcmp (m->key, "sources") == 0)
        {
          /* Where each value comes from (docs/institutions.md): text for the
           * reader, an array of strings. */
          if (!expect (r, m->key, &m->value, m->value.kind == CD_JSON_ARRAY, _("an array")))
            continue;
          for (guint k = 0; k < m->value.len; k++)
            {
              g_autofree char *sub = g_strdup_printf ("sources[%u]", k);
              read_text (r, sub, &m->value.u.items[k], &text);
            }
        }
      else
        PROBLEM (r, m->key, _("unknown key"));
    }
  for (guint k = 0; k < G_N_ELEMENTS (required); k++)
    if (!cd_json_object_get_member (root, required[k]))
      /* Translators: the first %s is what the file is, the second a JSON key. */
      PROBLEM (r, NULL, _("%s needs \"%s\""), _("an institutional arrangement"), required[k]);
}

static gboolean
report (CdProblems *p,
        GError    **error)
{
  if (p->count == 0)
    return TRUE;
  if (p->count > CD_MODEL_MAX_ERRORS)
    {
      g_string_append_c (p->text, '\n');
      /* Translators: after the first 20 problems of a file; %u is how many more. */
      g_string_append_printf (p->text, ngettext ("… and %u more problem", "… and %u more problems",
                                                 p->count - CD_MODEL_MAX_ERRORS),
                              p->count - CD_MODEL_MAX_ERRORS);
    }
  g_set_error_literal (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_INVALID, p->text->str);
  return FALSE;
}

CdInstitution *
cd_institution_load_data (const char *data,
                          gsize       length,
                          GError    **error)
{
  g_autoptr(CdInstitution) inst = NULL;
  g_autoptr(CdJsonDoc) doc = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const CdJsonValue *root;
  Reader r = { { text, 0 }, FALSE, NULL };

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  root = cd_json_read_spec (data, length, CD_JSON_SPEC_INSTITUTION, CD_INSTITUTION_MAX_FILE_SIZE,
                            CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_INVALID, &doc,
                            &r.utf8_checked, error);
  if (root == NULL)
    return NULL;
  inst = institution_alloc ();
  r.inst = inst;
  read_top (&r, root);
  if (!report (&r.problems, error))
    return NULL;
  inst->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
  return g_steal_pointer (&inst);
}

CdInstitution *
cd_institution_load_file (const char *path,
                          GError    **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *display = NULL;
  g_autofree char *contents = NULL;
  CdInstitution *inst;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  /* Read, never mapped (cd-file.h: a file truncated while mapped is
   * SIGBUS), only a regular file (opening a FIFO nobody writes to would
   * wait for ever), and one too large refused by its size before it is
   * read. */
  if (!cd_file_read_regular (path, CD_INSTITUTION_MAX_FILE_SIZE, &contents, &length, &local))
    {
      g_set_error (error, CD_INSTITUTION_ERROR,
                   g_error_matches (local, CD_FILE_ERROR, CD_FILE_ERROR_TOO_LARGE)
                   ? CD_INSTITUTION_ERROR_INVALID : CD_INSTITUTION_ERROR_IO,
                   C_("place: message", "%s: %s"), display, local->message);
      return NULL;
    }
  g_clear_error (&local);
  inst = cd_institution_load_data (contents, length, &local);
  if (inst == NULL)
    {
      /* Each line of the message names the file, as a model's problems do. */
      g_auto(GStrv) lines = g_strsplit (local->message, "\n", -1);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (text, '\n');
          g_string_append_printf (text, C_("place: message", "%s: %s"), display, lines[i]);
        }
      g_set_error_literal (error, CD_INSTITUTION_ERROR, local->code, text->str);
      return NULL;
    }
  inst->path = g_strdup (path);
  return inst;
}

/* ---- finding ----------------------------------------------------------------- */

static const char *
bundled_dir (void)
{
  const char *env = g_getenv ("COORDYN_INSTITUTIONS_DIR");

  if (env != NULL && *env != '\0')
    return env;
  /* Installed arrangements first; the source tree's when running uninstalled. */
  if (g_file_test (INSTITUTIONS_DIR, G_FILE_TEST_IS_DIR))
    return INSTITUTIONS_DIR;
  return SOURCE_INSTITUTIONS_DIR;
}

GStrv
cd_institution_dirs (void)
{
  GStrv dirs = g_new0 (char *, 3);

  dirs[0] = g_strdup (bundled_dir ());
  dirs[1] = g_build_filename (g_get_user_data_dir (), "coordyn", "institutions", NULL);
  return dirs;
}

void
cd_institution_entry_free (CdInstitutionEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->path);
  g_free (entry);
}

static int
entry_compare (gconstpointer a,
               gconstpointer b)
{
  const CdInstitutionEntry *ea = *(CdInstitutionEntry *const *) a;
  const CdInstitutionEntry *eb = *(CdInstitutionEntry *const *) b;

  return strcmp (ea->name, eb->name);
}

GPtrArray *
cd_institution_list (void)
{
  g_auto(GStrv) dirs = cd_institution_dirs ();
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_institution_entry_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[d], 0, NULL);
      const char *file;

      while (dir != NULL && (file = g_dir_read_name (dir)) != NULL)
        {
          CdInstitutionEntry *entry;
          char *stem;

          if (!g_str_has_suffix (file, ".json") || strlen (file) == strlen (".json"))
            continue;
          stem = g_strndup (file, strlen (file) - strlen (".json"));
          if (!g_hash_table_add (seen, stem))
            continue;
          entry = g_new0 (CdInstitutionEntry, 1);
          entry->name = g_strdup (stem);
          entry->path = g_build_filename (dirs[d], file, NULL);
          entry->bundled = d == 0;
          g_ptr_array_add (out, entry);
        }
    }
  g_ptr_array_sort (out, entry_compare);
  return out;
}

CdInstitution *
cd_institution_find (const char *name_or_file,
                     GError    **error)
{
  g_auto(GStrv) dirs = NULL;
  g_autoptr(GPtrArray) known = NULL;
  g_autoptr(GString) names = NULL;
  g_autofree char *folders = NULL;

  g_return_val_if_fail (name_or_file != NULL, NULL);

  if (strchr (name_or_file, G_DIR_SEPARATOR) != NULL || g_str_has_suffix (name_or_file, ".json"))
    return cd_institution_load_file (name_or_file, error);
  if (*name_or_file == '\0')
    {
      g_set_error_literal (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_NOT_FOUND,
                           _("the name of the arrangement is empty"));
      return NULL;
    }
  dirs = cd_institution_dirs ();
  for (guint d = 0; dirs[d] != NULL; d++)
    {
      g_autofree char *file = g_strconcat (name_or_file, ".json", NULL);
      g_autofree char *path = g_build_filename (dirs[d], file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return cd_institution_load_file (path, error);
    }
  known = cd_institution_list ();
  names = g_string_new (NULL);
  for (guint i = 0; i < known->len; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, ((CdInstitutionEntry *) g_ptr_array_index (known, i))->name);
    }
  folders = g_strjoinv (", ", dirs);
  if (known->len == 0)
    /* Translators: the first %s is a name, the second a list of folders. */
    g_set_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_NOT_FOUND,
                 _("no institutional arrangement named \"%s\" (looked in %s, which have none)"),
                 name_or_file, folders);
  else
    /* Translators: the first %s is a name, the second a list of folders, the
     * third a list of the arrangements' names. */
    g_set_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_NOT_FOUND,
                 _("no institutional arrangement named \"%s\" (looked in %s); known: %s"),
                 name_or_file, folders, names->str);
  return NULL;
}

/* ---- applying ------------------------------------------------------------------ */

static gboolean
check_model (const CdInstitution *inst,
             const CdModel       *model,
             GError             **error)
{
  if (model->version >= 2)
    return TRUE;
  /* Translators: %s is the arrangement's name; "coordyn-cli upgrade" is a command. */
  g_set_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_MODEL,
               _("the arrangement \"%s\" applies to version-2 models only, and this model is "
                 "version 1 (one fragmentation, appraisal by whether a government has a "
                 "superior); upgrade it first: coordyn-cli upgrade MODEL.json -o NEW.json"),
               inst->name);
  return FALSE;
}

static gboolean
node_selected (const CdInstitutionNodeRule *rule,
               const CdNode                *node,
               gboolean                     has_superior)
{
  if (rule->levels != 0 && (rule->levels & (1u << node->level)) == 0)
    return FALSE;
  if (rule->superior == CD_INSTITUTION_SUPERIOR_WITH && !has_superior)
    return FALSE;
  if (rule->superior == CD_INSTITUTION_SUPERIOR_WITHOUT && has_superior)
    return FALSE;
  return rule->ids == NULL || g_strv_contains ((const char * const *) rule->ids, node->id);
}

static double *
node_attr (CdNode            *node,
           CdInstitutionAttr  attr)
{
  switch (attr)
    {
    case CD_INSTITUTION_ATTR_APPRAISAL:            return &node->appraisal;
    case CD_INSTITUTION_ATTR_FRAGMENTATION_IDEAS:  return &node->fragmentation_ideas;
    case CD_INSTITUTION_ATTR_FRAGMENTATION_POWERS: return &node->fragmentation_powers;
    case CD_N_INSTITUTION_ATTRS:
    default:
      g_return_val_if_reached (NULL);
    }
}

CdModel *
cd_institution_apply (const CdInstitution *inst,
                      const CdModel       *model,
                      GError             **error)
{
  g_autoptr(CdModel) out = NULL;
  g_autofree guint8 *superior = NULL;
  g_autofree double *appraisal = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (inst != NULL && model != NULL, NULL);

  if (!check_model (inst, model, error))
    return NULL;
  out = cd_model_copy (model);
  for (guint p = 0; p < CD_N_PARAMS; p++)
    if (inst->param_set[p])
      out->params.values[p] = inst->param_value[p];

  /* Selections read the network as the model has it: a rule's effect does
   * not depend on the rules before it, except where two set one value. */
  superior = cd_model_has_superior (model);
  appraisal = g_new (double, MAX (model->nodes->len, 1));
  for (guint i = 0; i < model->nodes->len; i++)
    appraisal[i] = cd_model_node_appraisal (model, i);
  for (guint k = 0; k < inst->node_rules->len; k++)
    {
      const CdInstitutionNodeRule *rule = g_ptr_array_index (inst->node_rules, k);

      for (guint j = 0; rule->ids != NULL && rule->ids[j] != NULL; j++)
        if (cd_model_find_node (model, rule->ids[j]) < 0)
          {
            /* Translators: the place of an id in an arrangement file, then the id. */
            g_set_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_MODEL,
                         _("%s: governments[%u].where.ids[%u]: the model has no government "
                           "\"%s\""), inst->name, k, j, rule->ids[j]);
            return NULL;
          }
      for (guint i = 0; i < out->nodes->len; i++)
        {
          CdNode *node = g_ptr_array_index (out->nodes, i);

          if (!node_selected (rule, node, superior[i]))
            continue;
          for (guint a = 0; a < CD_N_INSTITUTION_ATTRS; a++)
            {
              double *v = node_attr (node, (CdInstitutionAttr) a);

              if (a == CD_INSTITUTION_ATTR_APPRAISAL && (rule->set[a] || rule->scale[a]))
                {
                  /* The default (1 with a superior, else 0) becomes a value. */
                  if (!node->has_appraisal)
                    node->appraisal = appraisal[i];
                  node->has_appraisal = TRUE;
                }
              if (rule->set[a])
                *v = rule->set_value[a];
              else if (rule->scale[a])
                *v = MIN (1.0, *v * rule->scale_value[a]);
            }
        }
    }
  for (guint k = 0; k < inst->line_rules->len; k++)
    {
      const CdInstitutionLineRule *rule = g_ptr_array_index (inst->line_rules, k);

      for (guint e = 0; e < out->edges->len; e++)
        {
          CdEdge *edge = g_ptr_array_index (out->edges, e);
          const CdNode *s, *t;

          if (edge->kind != CD_EDGE_COMMAND)
            continue;
          if (rule->role >= 0 && edge->role != (CdCommandRole) rule->role)
            continue;
          s = g_ptr_array_index (out->nodes, cd_model_find_node (out, edge->source));
          t = g_ptr_array_index (out->nodes, cd_model_find_node (out, edge->target));
          if (rule->source_levels != 0 && (rule->source_levels & (1u << s->level)) == 0)
            continue;
          if (rule->target_levels != 0 && (rule->target_levels & (1u << t->level)) == 0)
            continue;
          if (rule->set_role >= 0)
            edge->role = (CdCommandRole) rule->set_role;
          if (rule->set_weight)
            edge->weight = rule->weight;
        }
    }
  if (!cd_model_validate (out, &local))
    {
      g_set_error (error, CD_INSTITUTION_ERROR, CD_INSTITUTION_ERROR_MODEL,
                   C_("place: message", "%s: %s"), inst->name, local->message);
      return NULL;
    }
  return g_steal_pointer (&out);
}

CdScenario *
cd_institution_to_scenario (const CdInstitution *inst,
                            const CdModel       *model,
                            GError             **error)
{
  CdScenario *sc;

  g_return_val_if_fail (inst != NULL && model != NULL, NULL);

  if (!check_model (inst, model, error))
    return NULL;
  sc = cd_scenario_new (inst->name);
  g_array_unref (sc->names);
  sc->names = cd_localized_array_copy (inst->names);
  g_free (sc->description);
  sc->description = g_strdup (inst->description);
  memcpy (sc->param_set, inst->param_set, sizeof sc->param_set);
  memcpy (sc->param_value, inst->param_value, sizeof sc->param_value);
  return sc;
}
