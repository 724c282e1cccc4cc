/* cd-model-read.c — pass 2 of reading a model file: the JSON tree into a CdModel.
 *
 * Only shapes are checked here (unknown keys, wrong types, unknown enum
 * values), each problem named by its place in the file; values and
 * structure are cd_model_validate()'s (cd-model-validate.c).  The fields of
 * governments and ties are read through their table (cd-model-fields.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "cd-model-json-private.h"
#include "cd-json.h"
#include "cd-model-fields.h"

/* ---- pass 2: shapes -------------------------------------------------------- */

/* Where a value is in the file, as a chain up to the top.  It is spelled
 * out ("edges[3].target") only when a problem is reported there: building
 * the text for every value was a fifth of the time to read a large file. */
typedef struct _Place Place;
struct _Place
{
  const Place *parent;
  const char  *key;     /* NULL: entry `index` of an array */
  guint        index;
};

/* Joined as "base.key" ("key" at the top) and "base[index]". */
static void
place_append (GString     *out,
              const Place *place)
{
  if (place == NULL)
    return;
  place_append (out, place->parent);
  if (place->key != NULL)
    {
      if (out->len > 0)
        g_string_append_c (out, '.');
      g_string_append (out, place->key);
    }
  else
    g_string_append_printf (out, "[%u]", place->index);
}

typedef struct
{
  CdProblems  problems;
  CdModel  *model;
  gboolean  utf8_checked;   /* every string of the tree is known to be UTF-8 */
  int       version;        /* the file's, read first: which keys it may have */
} Reader;

static void problem_at (Reader *r, const Place *place, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
problem_at (Reader      *r,
            const Place *place,
            const char  *fmt,
            ...)
{
  g_autoptr(GString) where = NULL;
  g_autofree char *text = NULL;
  va_list args;

  /* Past the limit only the count matters. */
  if (r->problems.count >= CD_MODEL_MAX_ERRORS)
    {
      r->problems.count++;
      return;
    }
  where = g_string_new (NULL);
  place_append (where, place);
  va_start (args, fmt);
  text = g_strdup_vprintf (fmt, args);
  va_end (args);
  cd_problems_add (&r->problems, where->str, "%s", text);
}

static const char *
value_kind_name (const CdJsonValue *value)
{
  switch (value->kind)
    {
    /* Translators: the kinds of JSON value, shown as "expected %s, got %s". */
    case CD_JSON_OBJECT:  return _("an object");
    case CD_JSON_ARRAY:   return _("an array");
    case CD_JSON_NULL:    return "null";
    case CD_JSON_STRING:  return _("a string");
    case CD_JSON_BOOLEAN: return _("a boolean");
    case CD_JSON_INT:
    case CD_JSON_DOUBLE:  return _("a number");
    default:              return _("something else");
    }
}

const char *
cd_json_value_kind_name (const CdJsonValue *value)
{
  return value_kind_name (value);
}

/* wanted is untranslated (N_): it is translated only when it is reported.
 * Translating it for every value read took a fifth of loading the national
 * model (gettext takes a lock on every call). */
static gboolean
expect (Reader            *r,
        const Place       *place,
        const CdJsonValue *value,
        gboolean           ok,
        const char        *wanted)
{
  if (!ok)
    /* Translators: both %s are kinds of JSON value, such as "a number". */
    problem_at (r, place, _("expected %s, got %s"), _(wanted), value_kind_name (value));
  return ok;
}

static gboolean
read_number (Reader            *r,
             const Place       *place,
             const CdJsonValue *value,
             double            *out)
{
  double v;

  if (!expect (r, place, value, value->kind == CD_JSON_INT || value->kind == CD_JSON_DOUBLE,
               N_("a number")))
    return FALSE;
  v = value->kind == CD_JSON_INT ? (double) value->u.integer : value->u.number;
  if (!isfinite (v))
    {
      problem_at (r, place, _("the number is too large to be represented"));
      return FALSE;
    }
  /* -0 is read as 0: "-0" comes back from json-glib as the integer 0, so a
   * -0.0 kept here would not survive save and load (found by fuzzing), and
   * it would print as "-0" in the CSV. */
  *out = v == 0.0 ? 0.0 : v;
  return TRUE;
}

/* The text itself, which lives as long as the tree. */
static gboolean
read_text (Reader            *r,
           const Place       *place,
           const CdJsonValue *value,
           const char       **out)
{
  if (!expect (r, place, value, value->kind == CD_JSON_STRING, N_("a string")))
    return FALSE;
  /* The byte scan saw valid UTF-8, but json-glib decodes a lone \ud800
   * escape into bytes that are not: such text could not be saved. */
  if (!r->utf8_checked && !g_utf8_validate (value->u.string, -1, NULL))
    {
      problem_at (r, place, _("not valid text: a \\u escape names half of a "
                  "surrogate pair"));
      return FALSE;
    }
  *out = value->u.string;
  return TRUE;
}

static gboolean
read_string (Reader            *r,
             const Place       *place,
             const CdJsonValue *value,
             char             **out)
{
  const char *text;

  if (!read_text (r, place, value, &text))
    return FALSE;
  g_free (*out);
  *out = g_strdup (text);
  return TRUE;
}

static gboolean
read_bool (Reader            *r,
           const Place       *place,
           const CdJsonValue *value,
           gboolean          *out)
{
  if (!expect (r, place, value, value->kind == CD_JSON_BOOLEAN, N_("true or false")))
    return FALSE;
  *out = value->u.boolean;
  return TRUE;
}

/* Called for each member of an object; returns FALSE, having done nothing,
 * for a key it does not know. */
typedef gboolean (*FieldFunc) (Reader *r, const Place *place, const char *key,
                               const CdJsonValue *value, gpointer data);

/* Calls `field` for each member; with `closed`, keys `field` does not know
 * are reported. */
static gboolean
read_object (Reader            *r,
             const Place       *place,
             const CdJsonValue *value,
             gboolean           closed,
             FieldFunc          field,
             gpointer           data)
{
  if (!expect (r, place, value, value->kind == CD_JSON_OBJECT, N_("an object")))
    return FALSE;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      Place sub = { place, m->key, 0 };

      if (!r->utf8_checked && !g_utf8_validate (m->key, -1, NULL))
        {
          g_autofree char *shown = g_utf8_make_valid (m->key, -1);
          Place bad = { place, shown, 0 };
          problem_at (r, &bad, _("not a valid key: a \\u escape names half of a "
                      "surrogate pair"));
          continue;
        }
      if (!field (r, &sub, m->key, &m->value, data) && closed)
        problem_at (r, &sub, _("unknown key"));
    }
  return TRUE;
}

static gboolean
expect_array (Reader            *r,
              const Place       *place,
              const CdJsonValue *value,
              guint              max_len)
{
  if (!expect (r, place, value, value->kind == CD_JSON_ARRAY, N_("an array")))
    return FALSE;
  if (value->len > max_len)
    {
      problem_at (r, place, _("more than %u entries; such a model is refused"), max_len);
      return FALSE;
    }
  return TRUE;
}

static gboolean
localized_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
                 gpointer data)
{
  const char *text;

  if (*key == '\0')
    {
      problem_at (r, place, _("a language code must not be empty"));
      return TRUE;
    }
  if (read_text (r, place, value, &text))
    cd_localized_set (data, key, text);
  return TRUE;
}

static void
read_localized (Reader *r, const Place *place, const CdJsonValue *value, GArray *into)
{
  read_object (r, place, value, FALSE, localized_field, into);
}

/* A key of the other format version, named at its place. */
static void
version_problem (Reader      *r,
                 const Place *place,
                 const char  *key)
{
  if (r->version < 2)
    problem_at (r, place, _("\"%s\" is a version-2 key, and this file is version 1; say "
                            "\"version\": 2, or upgrade the file with coordyn-cli upgrade"),
                key);
  else if (strcmp (key, "fragmentation") == 0)
    problem_at (r, place, _("version 2 splits \"fragmentation\" into \"fragmentation_ideas\" "
                            "and \"fragmentation_powers\""));
  else if (strcmp (key, "resistance.fragmentation") == 0)
    problem_at (r, place, _("version 2 replaces \"resistance.fragmentation\" with "
                            "\"resistance.ideas\" and \"resistance.powers\""));
  else
    problem_at (r, place, _("\"%s\" is a version-1 key, and this file is version 2"), key);
}

/* parameters: { "gravity": { "interest": 1 }, …, "dynamics": { "rule": "logit" } } */
typedef struct
{
  gboolean *set;      /* may be NULL */
  double   *values;
  gboolean *rule_set; /* may be NULL */
  CdRule   *rule;
  CdGroup   group;
} ParamsTarget;

static gboolean
param_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
             gpointer data)
{
  ParamsTarget *t = data;
  g_autofree char *path = g_strconcat (cd_group_key (t->group), ".", key, NULL);
  CdParam param;

  if (t->group == CD_GROUP_DYNAMICS && strcmp (key, "rule") == 0)
    {
      const char *text;
      if (!read_text (r, place, value, &text))
        return TRUE;
      if (!cd_rule_from_string (text, t->rule))
        problem_at (r, place, _("\"%s\" is not a rule; use \"logit\" or \"replicator\""), text);
      else if (t->rule_set)
        *t->rule_set = TRUE;
      return TRUE;
    }
  if (!cd_param_from_path (path, &param))
    {
      problem_at (r, place, _("unknown key"));
      return TRUE;
    }
  if (!cd_param_in_version (param, r->version))
    {
      version_problem (r, place, path);
      return TRUE;
    }
  if (read_number (r, place, value, &t->values[param]) && t->set)
    t->set[param] = TRUE;
  return TRUE;
}

static gboolean
group_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
             gpointer data)
{
  ParamsTarget *t = data;

  for (guint g = 0; g < CD_N_GROUPS; g++)
    if (strcmp (key, cd_group_key ((CdGroup) g)) == 0)
      {
        t->group = (CdGroup) g;
        read_object (r, place, value, FALSE, param_field, t);
        return TRUE;
      }
  problem_at (r, place, _("unknown key"));
  return TRUE;
}

static void
read_parameters (Reader *r, const Place *place, const CdJsonValue *value, ParamsTarget *t)
{
  read_object (r, place, value, FALSE, group_field, t);
}

static gboolean
simulation_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
                  gpointer data)
{
  CdSimSettings *sim = &r->model->sim;

  if (strcmp (key, "t_end") == 0)
    read_number (r, place, value, &sim->t_end);
  else if (strcmp (key, "dt") == 0)
    read_number (r, place, value, &sim->dt);
  else if (strcmp (key, "rtol") == 0)
    read_number (r, place, value, &sim->rtol);
  else if (strcmp (key, "atol") == 0)
    read_number (r, place, value, &sim->atol);
  else if (strcmp (key, "time_unit") == 0)
    read_string (r, place, value, &r->model->time_unit);
  else
    return FALSE;
  return TRUE;
}

/* Reads a field of the table (cd-model-fields.h) into a CdNode or CdEdge;
 * FALSE if its value was not read. */
static gboolean
read_field (Reader            *r,
            const Place       *place,
            const CdFieldInfo *f,
            const CdJsonValue *value,
            gpointer           object)
{
  char *at = (char *) object + f->offset;

  switch (f->type)
    {
    case CD_FIELD_ID:
    case CD_FIELD_TEXT:
      return read_string (r, place, value, (char **) (gpointer) at);
    case CD_FIELD_NAMES:
      read_localized (r, place, value, *(GArray **) (gpointer) at);
      return TRUE;
    case CD_FIELD_LEVEL:
      {
        const char *text;
        if (!read_text (r, place, value, &text))
          return FALSE;
        if (cd_level_from_string (text, (CdLevel *) (gpointer) at))
          return TRUE;
        problem_at (r, place,
                    _("\"%s\" is not a level; use central, provincial, municipal, county "
                      "or other"),
                    text);
        return FALSE;
      }
    case CD_FIELD_ROLE:
      {
        const char *text;
        if (!read_text (r, place, value, &text))
          return FALSE;
        if (cd_role_from_string (text, (CdCommandRole *) (gpointer) at))
          return TRUE;
        problem_at (r, place, _("\"%s\" is not a role; use \"administrative\" or \"emergency\""),
                    text);
        return FALSE;
      }
    case CD_FIELD_NUMBER:
      return read_number (r, place, value, (double *) (gpointer) at);
    case CD_FIELD_OPTIONAL_NUMBER:
      return (*(gboolean *) (gpointer) ((char *) object + f->flag_offset)
                = read_number (r, place, value, (double *) (gpointer) at));
    case CD_FIELD_BOOLEAN:
      return read_bool (r, place, value, (gboolean *) (gpointer) at);
    case CD_FIELD_POSITION:
      {
        double *pos = (double *) (gpointer) at;
        gboolean *has_pos = (gboolean *) (gpointer) ((char *) object + f->flag_offset);

        if (!expect (r, place, value, value->kind == CD_JSON_ARRAY, N_("an array [x, y]")))
          return FALSE;
        if (value->len != 2)
          {
            problem_at (r, place,
                        g_dngettext (GETTEXT_PACKAGE, "expected two numbers [x, y], got %u value",
                                     "expected two numbers [x, y], got %u values", value->len),
                        value->len);
            return FALSE;
          }
        *has_pos = read_number (r, place, &value->u.items[0], &pos[0])
                   && read_number (r, place, &value->u.items[1], &pos[1]);
        return *has_pos;
      }
    case CD_FIELD_KIND:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* ---- nodes ---- */

typedef struct
{
  CdNode   *node;
  gboolean  has_id;
  gboolean  has_name;
} NodeTarget;

static gboolean
node_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
            gpointer data)
{
  NodeTarget *t = data;
  const CdFieldInfo *f = cd_field_find (TRUE, key);
  gboolean ok;

  if (f == NULL)
    return FALSE;
  if (!cd_field_in_version (f, r->version))
    {
      version_problem (r, place, key);
      return TRUE;
    }
  ok = read_field (r, place, f, value, t->node);
  if (f->type == CD_FIELD_ID)
    t->has_id = ok;
  else if (f->offset == G_STRUCT_OFFSET (CdNode, name))
    t->has_name = ok;
  return TRUE;
}

static void
read_nodes (Reader *r, const Place *place, const CdJsonValue *value)
{
  if (!expect_array (r, place, value, CD_MODEL_MAX_NODES))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonValue *item = &value->u.items[i];
      Place sub = { place, NULL, i };
      NodeTarget t = { cd_node_new (""), FALSE, FALSE };

      read_object (r, &sub, item, TRUE, node_field, &t);
      if (!t.has_id && item->kind == CD_JSON_OBJECT && !cd_json_object_get_member (item, "id"))
        problem_at (r, &sub, _("a government needs an \"id\""));
      if (!t.has_name)
        {
          g_free (t.node->name);
          t.node->name = g_strdup (t.node->id);
        }
      g_ptr_array_add (r->model->nodes, t.node);
    }
}

/* ---- edges ---- */

typedef struct
{
  CdEdge     *edge;
  gboolean    has[8];
  gboolean    command_field;      /* a field of a command line was present */
  gboolean    partnership_field;  /* a field of a partnership was present */
  const char *kind;
} EdgeTarget;

static gboolean
edge_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
            gpointer data)
{
  EdgeTarget *t = data;
  const CdFieldInfo *f = cd_field_find (FALSE, key);

  if (f == NULL)
    return FALSE;
  if (!cd_field_in_version (f, r->version))
    {
      version_problem (r, place, key);
      return TRUE;
    }
  switch (f->owner)
    {
    case CD_FIELD_OF_EDGE:
      /* The kind is read as text and known only once the whole tie is. */
      if (f->type == CD_FIELD_KIND)
        t->has[0] = read_text (r, place, value, &t->kind);
      else if (f->offset == G_STRUCT_OFFSET (CdEdge, source))
        t->has[1] = read_field (r, place, f, value, t->edge);
      else
        t->has[2] = read_field (r, place, f, value, t->edge);
      break;
    case CD_FIELD_OF_COMMAND:
      t->command_field = TRUE;
      read_field (r, place, f, value, t->edge);
      break;
    case CD_FIELD_OF_PARTNERSHIP:
      t->partnership_field = TRUE;
      read_field (r, place, f, value, t->edge);
      break;
    case CD_FIELD_OF_NODE:
    default:
      g_return_val_if_reached (FALSE);
    }
  return TRUE;
}

static void
read_edges (Reader *r, const Place *place, const CdJsonValue *value)
{
  if (!expect_array (r, place, value, CD_MODEL_MAX_EDGES))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      Place sub = { place, NULL, i };
      EdgeTarget t = { cd_edge_new (CD_EDGE_COMMAND, "", "") };

      if (read_object (r, &sub, &value->u.items[i], TRUE, edge_field, &t))
        {
          if (!t.has[0])
            problem_at (r, &sub, _("an edge needs a \"kind\": \"command\" or \"partnership\""));
          else if (strcmp (t.kind, "command") == 0)
            {
              t.edge->kind = CD_EDGE_COMMAND;
              if (t.partnership_field)
                problem_at (r, &sub, r->version < 2
                            ? _("a command line has only a weight, not interest, trust or info")
                            : _("a command line has only a weight and a role, not interest, "
                                "trust or info"));
            }
          else if (strcmp (t.kind, "partnership") == 0)
            {
              t.edge->kind = CD_EDGE_PARTNERSHIP;
              if (t.command_field)
                problem_at (r, &sub, r->version < 2 ? _("a partnership has no weight")
                                                    : _("a partnership has no weight or role"));
            }
          else
            problem_at (r, &sub,
                        _("kind \"%s\" is not an edge kind; use \"command\" or \"partnership\""),
                        t.kind);
          if (!t.has[1])
            problem_at (r, &sub, _("an edge needs a \"source\""));
          if (!t.has[2])
            problem_at (r, &sub, _("an edge needs a \"target\""));
        }
      g_ptr_array_add (r->model->edges, t.edge);
    }
}

/* ---- events ---- */

static gboolean
impact_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
              gpointer data)
{
  CdImpact impact;

  /* Keys of one object are distinct (a repeated key is refused while
   * parsing), so append directly: cd_event_set_impact() searches the list
   * first, which made a national-scale emergency quadratic to read. */
  if (read_number (r, place, value, &impact.a))
    {
      impact.node = g_strdup (key);
      g_array_append_val (((CdEvent *) data)->impacts, impact);
    }
  return TRUE;
}

static gboolean
event_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
             gpointer data)
{
  CdEvent *ev = data;

  if (strcmp (key, "name") == 0)
    read_string (r, place, value, &ev->name);
  else if (strcmp (key, "names") == 0)
    read_localized (r, place, value, ev->names);
  else if (strcmp (key, "onset") == 0)
    read_number (r, place, value, &ev->onset);
  else if (strcmp (key, "magnitude") == 0)
    read_number (r, place, value, &ev->magnitude);
  else if (strcmp (key, "decay") == 0)
    read_number (r, place, value, &ev->decay);
  else if (strcmp (key, "impact") == 0)
    read_object (r, place, value, FALSE, impact_field, ev);
  else
    return FALSE;
  return TRUE;
}

static const char *const event_required[] = { "onset", "magnitude", "decay", NULL };

static void
require_members (Reader            *r,
                 const Place       *place,
                 const CdJsonValue *value,
                 const char *const *required,
                 const char        *what)
{
  if (value->kind != CD_JSON_OBJECT)
    return;
  for (guint k = 0; required[k]; k++)
    if (!cd_json_object_get_member (value, required[k]))
      /* Translators: the first %s is what the entry is, the second a JSON key
         kept in English. */
      problem_at (r, place, _("%s needs \"%s\""), what, required[k]);
}

static void
read_events (Reader *r, const Place *place, const CdJsonValue *value)
{
  if (!expect_array (r, place, value, CD_MODEL_MAX_EDGES))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonValue *item = &value->u.items[i];
      Place sub = { place, NULL, i };
      CdEvent *ev = cd_event_new ();

      read_object (r, &sub, item, TRUE, event_field, ev);
      require_members (r, &sub, item, event_required, _("an emergency"));
      g_ptr_array_add (r->model->events, ev);
    }
}

/* ---- interventions ---- */

static gboolean
setting_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
               gpointer data)
{
  CdParam param;
  double v;

  if (strcmp (key, "dynamics.rule") == 0)
    {
      problem_at (r, place, _("the rule is not numeric and cannot change during a run"));
      return TRUE;
    }
  if (!cd_param_from_path (key, &param))
    {
      problem_at (r, place, _("no parameter \"%s\""), key);
      return TRUE;
    }
  if (!cd_param_in_version (param, r->version))
    {
      version_problem (r, place, key);
      return TRUE;
    }
  if (read_number (r, place, value, &v))
    cd_intervention_add (data, param, v);
  return TRUE;
}

typedef struct
{
  CdIntervention *iv;
  gboolean        has_at;
} InterventionTarget;

static gboolean
intervention_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
                    gpointer data)
{
  InterventionTarget *t = data;

  if (strcmp (key, "at") == 0)
    t->has_at = read_number (r, place, value, &t->iv->at);
  else if (strcmp (key, "set") == 0)
    read_object (r, place, value, FALSE, setting_field, t->iv);
  else
    return FALSE;
  return TRUE;
}

static void
read_interventions (Reader            *r,
                    const Place       *place,
                    const CdJsonValue *value,
                    GPtrArray         *into)
{
  if (!expect_array (r, place, value, CD_MODEL_MAX_EDGES))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonValue *item = &value->u.items[i];
      Place sub = { place, NULL, i };
      InterventionTarget t = { cd_intervention_new (0.0), FALSE };

      read_object (r, &sub, item, TRUE, intervention_field, &t);
      if (!t.has_at && item->kind == CD_JSON_OBJECT && !cd_json_object_get_member (item, "at"))
        problem_at (r, &sub, _("a policy change needs \"at\", its time"));
      g_ptr_array_add (into, t.iv);
    }
}

/* ---- scenarios and ranges (extensions) ---- */

static gboolean
scenario_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
                gpointer data)
{
  CdScenario *sc = data;

  if (strcmp (key, "name") == 0)
    read_string (r, place, value, &sc->name);
  else if (strcmp (key, "names") == 0)
    read_localized (r, place, value, sc->names);
  else if (strcmp (key, "description") == 0)
    read_string (r, place, value, &sc->description);
  else if (strcmp (key, "parameters") == 0)
    {
      ParamsTarget t = { sc->param_set, sc->param_value, &sc->rule_set, &sc->rule };
      read_parameters (r, place, value, &t);
    }
  else if (strcmp (key, "interventions") == 0)
    {
      g_clear_pointer (&sc->interventions, g_ptr_array_unref);
      sc->interventions =
        g_ptr_array_new_with_free_func ((GDestroyNotify) cd_intervention_free);
      read_interventions (r, place, value, sc->interventions);
    }
  else
    return FALSE;
  return TRUE;
}

static void
read_scenarios (Reader *r, const Place *place, const CdJsonValue *value)
{
  if (!expect_array (r, place, value, 100000))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonValue *item = &value->u.items[i];
      Place sub = { place, NULL, i };
      CdScenario *sc = cd_scenario_new ("");

      read_object (r, &sub, item, TRUE, scenario_field, sc);
      require_members (r, &sub, item, (const char *const[]) { "name", NULL }, _("a scenario"));
      g_ptr_array_add (r->model->scenarios, sc);
    }
}

typedef struct
{
  CdRange  range;
  gboolean has_min, has_max, has_mode;
} RangeTarget;

static gboolean
range_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
             gpointer data)
{
  RangeTarget *t = data;

  if (strcmp (key, "min") == 0)
    t->has_min = read_number (r, place, value, &t->range.min);
  else if (strcmp (key, "max") == 0)
    t->has_max = read_number (r, place, value, &t->range.max);
  else if (strcmp (key, "mode") == 0)
    t->has_mode = read_number (r, place, value, &t->range.mode);
  else if (strcmp (key, "distribution") == 0)
    {
      const char *text;
      if (!read_text (r, place, value, &text))
        return TRUE;
      if (strcmp (text, "uniform") == 0)
        t->range.dist = CD_DIST_UNIFORM;
      else if (strcmp (text, "triangular") == 0)
        t->range.dist = CD_DIST_TRIANGULAR;
      else
        problem_at (r, place,
                    _("\"%s\" is not a distribution; use \"uniform\" or \"triangular\""), text);
    }
  else
    return FALSE;
  return TRUE;
}

static gboolean
ranges_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
              gpointer data)
{
  RangeTarget t = { { 0 } };

  if (!cd_param_from_path (key, &t.range.param))
    {
      problem_at (r, place, _("no numeric parameter \"%s\""), key);
      return TRUE;
    }
  if (!cd_param_in_version (t.range.param, r->version))
    {
      version_problem (r, place, key);
      return TRUE;
    }
  read_object (r, place, value, TRUE, range_field, &t);
  if (!t.has_min || !t.has_max)
    problem_at (r, place, _("a range needs \"min\" and \"max\""));
  if (t.range.dist == CD_DIST_TRIANGULAR && !t.has_mode)
    problem_at (r, place, _("a triangular range needs \"mode\""));
  if (t.range.dist == CD_DIST_UNIFORM)
    t.range.mode = 0.5 * (t.range.min + t.range.max);
  g_array_append_val (r->model->ranges, t.range);
  return TRUE;
}

/* ---- top level ---- */

static gboolean
top_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
           gpointer data)
{
  CdModel *m = r->model;

  if (strcmp (key, "nodes") == 0)
    read_nodes (r, place, value);
  else if (strcmp (key, "edges") == 0)
    read_edges (r, place, value);
  else if (strcmp (key, "events") == 0)
    read_events (r, place, value);
  else if (strcmp (key, "format") == 0)
    {
      const char *text;
      if (read_text (r, place, value, &text) && strcmp (text, CD_MODEL_FORMAT) != 0)
        problem_at (r, place, _("\"%s\" is not a Coordyn model; expected \"%s\""),
                    text, CD_MODEL_FORMAT);
    }
  else if (strcmp (key, "version") == 0)
    {
      double v;
      /* Read before everything else (cd_model_read_doc): here only checked. */
      if (read_number (r, place, value, &v)
          && !(v >= CD_MODEL_VERSION_MIN && v <= CD_MODEL_VERSION_LATEST && v == (int) v))
        {
          /* An integer as written: as a double, 9007199254740993 would
           * print as another number. */
          g_autofree char *vt = value->kind == CD_JSON_INT
                                ? g_strdup_printf ("%" G_GINT64_FORMAT, value->u.integer)
                                : cd_number_text (v);
          problem_at (r, place, _("version %s is not supported; this Coordyn reads versions "
                                  "%d to %d"),
                      vt, CD_MODEL_VERSION_MIN, CD_MODEL_VERSION_LATEST);
        }
    }
  else if (strcmp (key, "name") == 0)
    read_string (r, place, value, &m->name);
  else if (strcmp (key, "description") == 0)
    read_string (r, place, value, &m->description);
  else if (strcmp (key, "names") == 0)
    read_localized (r, place, value, m->names);
  else if (strcmp (key, "descriptions") == 0)
    read_localized (r, place, value, m->descriptions);
  else if (strcmp (key, "parameters") == 0)
    {
      ParamsTarget t = { NULL, m->params.values, NULL, &m->params.rule };
      read_parameters (r, place, value, &t);
    }
  else if (strcmp (key, "simulation") == 0)
    read_object (r, place, value, TRUE, simulation_field, NULL);
  else if (strcmp (key, "interventions") == 0)
    read_interventions (r, place, value, m->interventions);
  else if (strcmp (key, "scenarios") == 0)
    read_scenarios (r, place, value);
  else if (strcmp (key, "ranges") == 0)
    read_object (r, place, value, FALSE, ranges_field, NULL);
  else
    return FALSE;
  return TRUE;
}

CdModel *
cd_model_read_doc (const CdJsonDoc  *doc,
                   gboolean          utf8_checked,
                   GError          **error)
{
  g_autoptr(CdModel) model = cd_model_read_doc_shapes (doc, utf8_checked, error);

  if (model == NULL || !cd_model_validate (model, error))
    return NULL;
  return g_steal_pointer (&model);
}

CdModel *
cd_model_read_doc_shapes (const CdJsonDoc  *doc,
                          gboolean          utf8_checked,
                          GError          **error)
{
  const CdJsonValue *root = cd_json_spec_root (doc, CD_JSON_SPEC_MODEL, CD_MODEL_ERROR,
                                               CD_MODEL_ERROR_INVALID, error);
  g_autoptr(CdModel) model = NULL;
  Reader r = { { NULL, 0 }, NULL, utf8_checked };

  if (root == NULL)
    return NULL;

  model = cd_model_new ();
  r.model = model;
  /* The version decides which keys the rest may have, wherever it is. */
  {
    const CdJsonValue *v = cd_json_object_get_member (root, "version");
    double number = v == NULL ? 1.0
                    : v->kind == CD_JSON_INT ? (double) v->u.integer
                    : v->kind == CD_JSON_DOUBLE ? v->u.number : 1.0;

    if (number >= CD_MODEL_VERSION_MIN && number <= CD_MODEL_VERSION_LATEST
        && number == (int) number)
      model->version = (int) number;
  }
  r.version = model->version;
  r.problems.text = g_string_new (NULL);
  read_object (&r, NULL, root, TRUE, top_field, NULL);
  if (r.problems.count == 0 && !cd_json_object_get_member (root, "nodes"))
    cd_problems_add (&r.problems, "nodes", _("a model needs a list of governments"));
  if (!cd_problems_report (&r.problems, error))
    {
      g_string_free (r.problems.text, TRUE);
      return NULL;
    }
  g_string_free (r.problems.text, TRUE);
  return g_steal_pointer (&model);
}
