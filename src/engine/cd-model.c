/* cd-model.c — construction, copying and id-consistent editing of CdModel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd-model.h"
#include "cd-model-fields.h"

static const char *const level_names[CD_N_LEVELS] = {
  "central", "provincial", "municipal", "county", "other"
};

const char *
cd_level_to_string (CdLevel level)
{
  g_return_val_if_fail (level < CD_N_LEVELS, "other");
  return level_names[level];
}

gboolean
cd_level_from_string (const char *text,
                      CdLevel    *out_level)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = 0; i < CD_N_LEVELS; i++)
    if (strcmp (text, level_names[i]) == 0)
      {
        *out_level = (CdLevel) i;
        return TRUE;
      }
  return FALSE;
}

static const char *const role_names[CD_N_ROLES] = { "administrative", "emergency" };

const char *
cd_role_to_string (CdCommandRole role)
{
  g_return_val_if_fail (role < CD_N_ROLES, "administrative");
  return role_names[role];
}

gboolean
cd_role_from_string (const char    *text,
                     CdCommandRole *out_role)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (guint i = 0; i < CD_N_ROLES; i++)
    if (strcmp (text, role_names[i]) == 0)
      {
        *out_role = (CdCommandRole) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- localized texts ---------------------------------------------------- */

static void
localized_clear (gpointer data)
{
  CdLocalized *l = data;
  g_clear_pointer (&l->lang, g_free);
  g_clear_pointer (&l->text, g_free);
}

GArray *
cd_localized_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (CdLocalized));
  g_array_set_clear_func (array, localized_clear);
  return array;
}

GArray *
cd_localized_array_copy (const GArray *array)
{
  GArray *copy = cd_localized_array_new ();

  for (guint i = 0; array != NULL && i < array->len; i++)
    {
      const CdLocalized *l = &g_array_index (array, CdLocalized, i);
      cd_localized_set (copy, l->lang, l->text);
    }
  return copy;
}

void
cd_localized_set (GArray     *array,
                  const char *lang,
                  const char *text)
{
  CdLocalized l;

  g_return_if_fail (array != NULL && lang != NULL);

  for (guint i = 0; i < array->len; i++)
    {
      CdLocalized *it = &g_array_index (array, CdLocalized, i);
      if (strcmp (it->lang, lang) == 0)
        {
          if (text == NULL)
            g_array_remove_index (array, i);
          else
            {
              g_free (it->text);
              it->text = g_strdup (text);
            }
          return;
        }
    }
  if (text == NULL)
    return;
  l.lang = g_strdup (lang);
  l.text = g_strdup (text);
  g_array_append_val (array, l);
}

static const char *
localized_find (const GArray *array,
                const char   *lang)
{
  for (guint i = 0; i < array->len; i++)
    {
      const CdLocalized *l = &g_array_index (array, CdLocalized, i);
      if (strcmp (l->lang, lang) == 0)
        return l->text;
    }
  return NULL;
}

/* The text for the user's language, following g_get_language_names() (so
 * LANGUAGE=zh_CN picks "zh_CN", then "zh"); the fallback when none fits.
 * The C locale (containers, minimal installs, LANG=C.UTF-8) is English,
 * the language of the program's own text: it takes "en" where there is
 * one, so a scenario reads "Campaign-style coordination", not its key. */
const char *
cd_localized_lookup (const GArray *array,
                     const char   *fallback)
{
  const char *const *langs;
  const char *text;

  if (array == NULL || array->len == 0)
    return fallback;
  langs = g_get_language_names ();
  for (guint k = 0; langs[k] != NULL; k++)
    {
      if (strcmp (langs[k], "C") == 0 || strcmp (langs[k], "POSIX") == 0)
        {
          text = localized_find (array, "en");
          return text != NULL ? text : fallback;
        }
      if ((text = localized_find (array, langs[k])) != NULL)
        return text;
    }
  return fallback;
}

/* A user who renames something sees the name in their own language: change
 * the entry that cd_localized_lookup() shows, if there is one, so that the
 * new name is what appears. */
void
cd_localized_replace_shown (GArray     *array,
                            const char *text)
{
  const char *shown = cd_localized_lookup (array, NULL);

  for (guint i = 0; shown != NULL && i < array->len; i++)
    {
      CdLocalized *l = &g_array_index (array, CdLocalized, i);
      if (l->text == shown)
        {
          g_free (l->text);
          l->text = g_strdup (text);
          return;
        }
    }
}

/* ---- nodes, edges, events, interventions, scenarios ---------------------- */

CdNode *
cd_node_new (const char *id)
{
  CdNode *node = g_new0 (CdNode, 1);

  g_return_val_if_fail (id != NULL, NULL);

  node->id = g_strdup (id);
  node->name = g_strdup (id);
  node->names = cd_localized_array_new ();
  node->level = CD_LEVEL_OTHER;
  node->capacity = 0.5;
  node->vulnerability = 0.5;
  node->fragmentation = 0.5;
  node->fragmentation_ideas = 0.5;
  node->fragmentation_powers = 0.5;
  node->appraisal = 1.0;
  node->x0 = 0.1;
  return node;
}

CdNode *
cd_node_copy (const CdNode *node)
{
  CdNode *copy = g_memdup2 (node, sizeof *node);

  copy->id = g_strdup (node->id);
  copy->name = g_strdup (node->name);
  copy->names = cd_localized_array_copy (node->names);
  return copy;
}

void
cd_node_free (CdNode *node)
{
  if (node == NULL)
    return;
  g_free (node->id);
  g_free (node->name);
  g_clear_pointer (&node->names, g_array_unref);
  g_free (node);
}

CdEdge *
cd_edge_new (CdEdgeKind  kind,
             const char *source,
             const char *target)
{
  CdEdge *edge = g_new0 (CdEdge, 1);

  edge->kind = kind;
  edge->source = g_strdup (source);
  edge->target = g_strdup (target);
  edge->weight = 1.0;
  edge->interest = 0.5;
  edge->trust = 0.2;
  edge->info = 0.5;
  return edge;
}

CdEdge *
cd_edge_copy (const CdEdge *edge)
{
  CdEdge *copy = g_memdup2 (edge, sizeof *edge);

  copy->source = g_strdup (edge->source);
  copy->target = g_strdup (edge->target);
  return copy;
}

void
cd_edge_free (CdEdge *edge)
{
  if (edge == NULL)
    return;
  g_free (edge->source);
  g_free (edge->target);
  g_free (edge);
}

static void
impact_clear (gpointer data)
{
  g_clear_pointer (&((CdImpact *) data)->node, g_free);
}

CdEvent *
cd_event_new (void)
{
  CdEvent *event = g_new0 (CdEvent, 1);

  event->name = g_strdup ("");
  event->names = cd_localized_array_new ();
  event->onset = 0.0;
  event->magnitude = 1.0;
  event->decay = 1.0;
  event->impacts = g_array_new (FALSE, TRUE, sizeof (CdImpact));
  g_array_set_clear_func (event->impacts, impact_clear);
  return event;
}

CdEvent *
cd_event_copy (const CdEvent *event)
{
  CdEvent *copy = cd_event_new ();

  g_free (copy->name);
  copy->name = g_strdup (event->name);
  g_array_unref (copy->names);
  copy->names = cd_localized_array_copy (event->names);
  copy->onset = event->onset;
  copy->magnitude = event->magnitude;
  copy->decay = event->decay;
  /* Copied in one go: cd_event_set_impact() searches first, which made
   * copying a national-scale emergency quadratic. */
  for (guint i = 0; i < event->impacts->len; i++)
    {
      CdImpact im = g_array_index (event->impacts, CdImpact, i);
      im.node = g_strdup (im.node);
      g_array_append_val (copy->impacts, im);
    }
  return copy;
}

void
cd_event_free (CdEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->name);
  g_clear_pointer (&event->names, g_array_unref);
  g_clear_pointer (&event->impacts, g_array_unref);
  g_free (event);
}

/* Sets (or, for a < 0, removes) the impact of an event on one government. */
void
cd_event_set_impact (CdEvent    *event,
                     const char *node_id,
                     double      a)
{
  CdImpact im;

  g_return_if_fail (event != NULL && node_id != NULL);

  for (guint i = 0; i < event->impacts->len; i++)
    {
      CdImpact *it = &g_array_index (event->impacts, CdImpact, i);
      if (strcmp (it->node, node_id) == 0)
        {
          if (a < 0)
            g_array_remove_index (event->impacts, i);
          else
            it->a = a;
          return;
        }
    }
  if (a < 0)
    return;
  im.node = g_strdup (node_id);
  im.a = a;
  g_array_append_val (event->impacts, im);
}

double
cd_event_get_impact (const CdEvent *event,
                     const char    *node_id)
{
  for (guint i = 0; i < event->impacts->len; i++)
    {
      const CdImpact *it = &g_array_index (event->impacts, CdImpact, i);
      if (strcmp (it->node, node_id) == 0)
        return it->a;
    }
  return 0.0;
}

CdIntervention *
cd_intervention_new (double at)
{
  CdIntervention *iv = g_new0 (CdIntervention, 1);

  iv->at = at;
  iv->settings = g_array_new (FALSE, TRUE, sizeof (CdSetting));
  return iv;
}

CdIntervention *
cd_intervention_copy (const CdIntervention *iv)
{
  CdIntervention *copy = cd_intervention_new (iv->at);

  g_array_append_vals (copy->settings, iv->settings->data, iv->settings->len);
  return copy;
}

void
cd_intervention_free (CdIntervention *iv)
{
  if (iv == NULL)
    return;
  g_clear_pointer (&iv->settings, g_array_unref);
  g_free (iv);
}

/* Adds a setting, or replaces the value where the parameter is already set. */
void
cd_intervention_add (CdIntervention *iv,
                     CdParam         param,
                     double          value)
{
  CdSetting s = { param, value };

  for (guint i = 0; i < iv->settings->len; i++)
    if (g_array_index (iv->settings, CdSetting, i).param == param)
      {
        g_array_index (iv->settings, CdSetting, i).value = value;
        return;
      }
  g_array_append_val (iv->settings, s);
}

static GPtrArray *
interventions_copy (const GPtrArray *list)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_intervention_free);

  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (copy, cd_intervention_copy (g_ptr_array_index (list, i)));
  return copy;
}

CdScenario *
cd_scenario_new (const char *name)
{
  CdScenario *scenario = g_new0 (CdScenario, 1);

  scenario->name = g_strdup (name);
  scenario->names = cd_localized_array_new ();
  scenario->description = g_strdup ("");
  return scenario;
}

CdScenario *
cd_scenario_copy (const CdScenario *scenario)
{
  CdScenario *copy = g_memdup2 (scenario, sizeof *scenario);

  copy->name = g_strdup (scenario->name);
  copy->names = cd_localized_array_copy (scenario->names);
  copy->description = g_strdup (scenario->description);
  copy->interventions = scenario->interventions ? interventions_copy (scenario->interventions)
                                                : NULL;
  return copy;
}

void
cd_scenario_free (CdScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->name);
  g_clear_pointer (&scenario->names, g_array_unref);
  g_free (scenario->description);
  g_clear_pointer (&scenario->interventions, g_ptr_array_unref);
  g_free (scenario);
}

/* ---- the model ----------------------------------------------------------- */

void
cd_sim_settings_init_defaults (CdSimSettings *sim)
{
  sim->t_end = 50.0;
  sim->dt = 0.1;
  sim->rtol = 1e-8;
  sim->atol = 1e-10;
}

CdModel *
cd_model_new (void)
{
  CdModel *model = g_new0 (CdModel, 1);

  model->version = 1;
  model->name = g_strdup ("");
  model->description = g_strdup ("");
  model->names = cd_localized_array_new ();
  model->descriptions = cd_localized_array_new ();
  cd_parameters_init_defaults (&model->params);
  cd_sim_settings_init_defaults (&model->sim);
  model->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_node_free);
  model->edges = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_edge_free);
  model->events = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_event_free);
  model->interventions = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_intervention_free);
  model->scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_scenario_free);
  model->ranges = g_array_new (FALSE, TRUE, sizeof (CdRange));
  return model;
}

CdModel *
cd_model_new_version (int version)
{
  CdModel *model;

  g_return_val_if_fail (version >= CD_MODEL_VERSION_MIN && version <= CD_MODEL_VERSION_LATEST,
                        NULL);
  model = cd_model_new ();
  model->version = version;
  return model;
}

CdModel *
cd_model_copy (const CdModel *model)
{
  CdModel *copy;

  g_return_val_if_fail (model != NULL, NULL);

  copy = cd_model_new ();
  copy->version = model->version;
  copy->time_unit = g_strdup (model->time_unit);
  g_free (copy->name);
  copy->name = g_strdup (model->name);
  g_free (copy->description);
  copy->description = g_strdup (model->description);
  g_array_unref (copy->names);
  copy->names = cd_localized_array_copy (model->names);
  g_array_unref (copy->descriptions);
  copy->descriptions = cd_localized_array_copy (model->descriptions);
  copy->params = model->params;
  copy->sim = model->sim;
  for (guint i = 0; i < model->nodes->len; i++)
    g_ptr_array_add (copy->nodes, cd_node_copy (g_ptr_array_index (model->nodes, i)));
  for (guint i = 0; i < model->edges->len; i++)
    g_ptr_array_add (copy->edges, cd_edge_copy (g_ptr_array_index (model->edges, i)));
  for (guint i = 0; i < model->events->len; i++)
    g_ptr_array_add (copy->events, cd_event_copy (g_ptr_array_index (model->events, i)));
  g_ptr_array_unref (copy->interventions);
  copy->interventions = interventions_copy (model->interventions);
  for (guint i = 0; i < model->scenarios->len; i++)
    g_ptr_array_add (copy->scenarios, cd_scenario_copy (g_ptr_array_index (model->scenarios, i)));
  g_array_append_vals (copy->ranges, model->ranges->data, model->ranges->len);
  return copy;
}

void
cd_model_free (CdModel *model)
{
  if (model == NULL)
    return;
  g_free (model->name);
  g_free (model->description);
  g_free (model->time_unit);
  g_clear_pointer (&model->names, g_array_unref);
  g_clear_pointer (&model->descriptions, g_array_unref);
  g_clear_pointer (&model->nodes, g_ptr_array_unref);
  g_clear_pointer (&model->edges, g_ptr_array_unref);
  g_clear_pointer (&model->events, g_ptr_array_unref);
  g_clear_pointer (&model->interventions, g_ptr_array_unref);
  g_clear_pointer (&model->scenarios, g_ptr_array_unref);
  g_clear_pointer (&model->ranges, g_array_unref);
  g_free (model);
}

gboolean
cd_number_same (double a,
                double b)
{
  if (a == b)
    return signbit (a) == signbit (b);
  return isnan (a) && isnan (b);
}

static gboolean
text_same (const char *a,
           const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

gboolean
cd_localized_array_equal (const GArray *a,
                          const GArray *b)
{
  guint na = a ? a->len : 0, nb = b ? b->len : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    {
      const CdLocalized *p = &g_array_index (a, CdLocalized, i);
      const CdLocalized *q = &g_array_index (b, CdLocalized, i);
      if (!text_same (p->lang, q->lang) || !text_same (p->text, q->text))
        return FALSE;
    }
  return TRUE;
}

static gboolean
interventions_same (const GPtrArray *a,
                    const GPtrArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint k = 0; k < a->len; k++)
    {
      const CdIntervention *p = g_ptr_array_index (a, k);
      const CdIntervention *q = g_ptr_array_index (b, k);

      if (!cd_number_same (p->at, q->at) || p->settings->len != q->settings->len)
        return FALSE;
      for (guint j = 0; j < p->settings->len; j++)
        {
          const CdSetting *u = &g_array_index (p->settings, CdSetting, j);
          const CdSetting *v = &g_array_index (q->settings, CdSetting, j);
          if (u->param != v->param || !cd_number_same (u->value, v->value))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
events_same (const GPtrArray *a,
             const GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint k = 0; k < a->len; k++)
    {
      const CdEvent *p = g_ptr_array_index (a, k);
      const CdEvent *q = g_ptr_array_index (b, k);

      if (!cd_number_same (p->onset, q->onset) || !cd_number_same (p->magnitude, q->magnitude)
          || !cd_number_same (p->decay, q->decay) || p->impacts->len != q->impacts->len
          || !text_same (p->name, q->name) || !cd_localized_array_equal (p->names, q->names))
        return FALSE;
      for (guint j = 0; j < p->impacts->len; j++)
        {
          const CdImpact *u = &g_array_index (p->impacts, CdImpact, j);
          const CdImpact *v = &g_array_index (q->impacts, CdImpact, j);
          if (!cd_number_same (u->a, v->a) || !text_same (u->node, v->node))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
scenarios_same (const GPtrArray *a,
                const GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint k = 0; k < a->len; k++)
    {
      const CdScenario *p = g_ptr_array_index (a, k);
      const CdScenario *q = g_ptr_array_index (b, k);

      if (!text_same (p->name, q->name) || !cd_localized_array_equal (p->names, q->names)
          || !text_same (p->description, q->description)
          || !p->rule_set != !q->rule_set || (p->rule_set && p->rule != q->rule)
          || !interventions_same (p->interventions, q->interventions))
        return FALSE;
      for (guint i = 0; i < CD_N_PARAMS; i++)
        if (!p->param_set[i] != !q->param_set[i]
            || (p->param_set[i] && !cd_number_same (p->param_value[i], q->param_value[i])))
          return FALSE;
    }
  return TRUE;
}

static gboolean
ranges_same (const GArray *a,
             const GArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint k = 0; k < a->len; k++)
    {
      const CdRange *p = &g_array_index (a, CdRange, k);
      const CdRange *q = &g_array_index (b, CdRange, k);

      /* A uniform range's mode is not in the file. */
      if (p->param != q->param || p->dist != q->dist || !cd_number_same (p->min, q->min)
          || !cd_number_same (p->max, q->max)
          || (p->dist == CD_DIST_TRIANGULAR && !cd_number_same (p->mode, q->mode)))
        return FALSE;
    }
  return TRUE;
}

/* Two models are equal when they save to the same file (and a government's
 * appraisal is its own in both or the default in both): field by field,
 * cheapest first, each government and tie through the field table, and
 * stopping at the first difference (microseconds on the national model,
 * where comparing the saved texts took ~200 ms). */
gboolean
cd_model_equal (const CdModel *a,
                const CdModel *b)
{
  const CdFieldInfo *node_fields, *edge_fields;
  guint n_node_fields, n_edge_fields;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a == b)
    return TRUE;
  if (a->version != b->version || a->params.rule != b->params.rule
      || !text_same (a->time_unit, b->time_unit)
      || a->nodes->len != b->nodes->len || a->edges->len != b->edges->len
      || a->events->len != b->events->len || a->interventions->len != b->interventions->len
      || a->scenarios->len != b->scenarios->len || a->ranges->len != b->ranges->len)
    return FALSE;
  for (CdParam p = 0; cd_param_next_in_version (&p, a->version); p++)
    if (!cd_number_same (a->params.values[p], b->params.values[p]))
      return FALSE;
  if (!cd_number_same (a->sim.t_end, b->sim.t_end) || !cd_number_same (a->sim.dt, b->sim.dt)
      || !cd_number_same (a->sim.rtol, b->sim.rtol) || !cd_number_same (a->sim.atol, b->sim.atol))
    return FALSE;
  if (!text_same (a->name, b->name) || !text_same (a->description, b->description)
      || !cd_localized_array_equal (a->names, b->names)
      || !cd_localized_array_equal (a->descriptions, b->descriptions))
    return FALSE;

  node_fields = cd_node_fields (&n_node_fields);
  for (guint i = 0; i < a->nodes->len; i++)
    {
      const CdNode *p = g_ptr_array_index (a->nodes, i);
      const CdNode *q = g_ptr_array_index (b->nodes, i);

      for (guint f = 0; f < n_node_fields; f++)
        if (cd_field_in_version (&node_fields[f], a->version)
            && !cd_field_equal (&node_fields[f], p, q))
          return FALSE;
    }
  edge_fields = cd_edge_fields (&n_edge_fields);
  for (guint e = 0; e < a->edges->len; e++)
    {
      const CdEdge *p = g_ptr_array_index (a->edges, e);
      const CdEdge *q = g_ptr_array_index (b->edges, e);

      if (p->kind != q->kind)
        return FALSE;
      for (guint f = 0; f < n_edge_fields; f++)
        if (cd_field_in_version (&edge_fields[f], a->version)
            && cd_field_of_edge_kind (&edge_fields[f], p->kind)
            && !cd_field_equal (&edge_fields[f], p, q))
          return FALSE;
    }
  return events_same (a->events, b->events)
         && interventions_same (a->interventions, b->interventions)
         && scenarios_same (a->scenarios, b->scenarios)
         && ranges_same (a->ranges, b->ranges);
}

guint8 *
cd_model_has_superior (const CdModel *model)
{
  g_autoptr(GHashTable) index = cd_model_node_index (model);
  guint8 *has = g_new0 (guint8, MAX (model->nodes->len, 1));

  for (guint e = 0; e < model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (index, edge->target));

      if (edge->kind == CD_EDGE_COMMAND && i > 0)
        has[i - 1] = 1;
    }
  return has;
}

void
cd_model_pin_default_appraisals (CdModel *model)
{
  g_autofree guint8 *has_superior = NULL;

  g_return_if_fail (model != NULL);

  if (model->version < 2)
    return;
  has_superior = cd_model_has_superior (model);
  for (guint i = 0; i < model->nodes->len; i++)
    {
      CdNode *node = g_ptr_array_index (model->nodes, i);

      if (!node->has_appraisal)
        {
          node->appraisal = has_superior[i] ? 1.0 : 0.0;
          node->has_appraisal = TRUE;
        }
    }
}

double
cd_model_node_appraisal (const CdModel *model,
                         guint          index)
{
  const CdNode *node;

  g_return_val_if_fail (index < model->nodes->len, 0.0);

  node = g_ptr_array_index (model->nodes, index);
  if (node->has_appraisal)
    return node->appraisal;
  for (guint e = 0; e < model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);
      if (edge->kind == CD_EDGE_COMMAND && strcmp (edge->target, node->id) == 0)
        return 1.0;
    }
  return 0.0;
}

int
cd_model_find_node (const CdModel *model,
                    const char    *id)
{
  g_return_val_if_fail (model != NULL && id != NULL, -1);

  for (guint i = 0; i < model->nodes->len; i++)
    if (strcmp (((CdNode *) g_ptr_array_index (model->nodes, i))->id, id) == 0)
      return (int) i;
  return -1;
}

/* The edge of this kind between a and b; a partnership matches either way. */
int
cd_model_find_edge (const CdModel *model,
                    CdEdgeKind     kind,
                    const char    *a,
                    const char    *b)
{
  for (guint i = 0; i < model->edges->len; i++)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, i);
      if (e->kind != kind)
        continue;
      if (strcmp (e->source, a) == 0 && strcmp (e->target, b) == 0)
        return (int) i;
      if (kind == CD_EDGE_PARTNERSHIP && strcmp (e->source, b) == 0 && strcmp (e->target, a) == 0)
        return (int) i;
    }
  return -1;
}

/* id → index + 1 (so that 0 means "absent" with GPOINTER_TO_INT). */
GHashTable *
cd_model_node_index (const CdModel *model)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < model->nodes->len; i++)
    g_hash_table_insert (index, ((CdNode *) g_ptr_array_index (model->nodes, i))->id,
                         GINT_TO_POINTER (i + 1));
  return index;
}

char *
cd_model_unique_node_id (const CdModel *model,
                         const char    *stem)
{
  for (guint k = 1;; k++)
    {
      g_autofree char *id = g_strdup_printf ("%s%u", stem, k);
      if (cd_model_find_node (model, id) < 0)
        return g_steal_pointer (&id);
    }
}

CdScenario *
cd_scenario_with_values (const CdModel *model,
                         int            scenario,
                         const char    *name,
                         const CdParam *params,
                         const double  *values,
                         guint          n)
{
  CdScenario *sc;

  g_return_val_if_fail (model != NULL && name != NULL, NULL);
  g_return_val_if_fail (scenario >= -1 && scenario < (int) model->scenarios->len, NULL);
  if (scenario >= 0)
    {
      sc = cd_scenario_copy (g_ptr_array_index (model->scenarios, scenario));
      g_free (sc->name);
      sc->name = g_strdup (name);
      /* the other scenario's names in other languages are not this one's */
      g_clear_pointer (&sc->names, g_array_unref);
      sc->names = cd_localized_array_new ();
    }
  else
    sc = cd_scenario_new (name);
  for (guint j = 0; j < n; j++)
    {
      sc->param_set[params[j]] = TRUE;
      sc->param_value[params[j]] = values[j];
    }
  return sc;
}

/* Removes a government and everything that refers to it: its edges and its
 * impacts in every event. */
void
cd_model_remove_node (CdModel *model,
                      guint    index)
{
  g_autofree char *id = NULL;

  g_return_if_fail (index < model->nodes->len);

  id = g_strdup (((CdNode *) g_ptr_array_index (model->nodes, index))->id);
  for (guint i = model->edges->len; i-- > 0;)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, i);
      if (strcmp (e->source, id) == 0 || strcmp (e->target, id) == 0)
        g_ptr_array_remove_index (model->edges, i);
    }
  for (guint i = 0; i < model->events->len; i++)
    cd_event_set_impact (g_ptr_array_index (model->events, i), id, -1.0);
  g_ptr_array_remove_index (model->nodes, index);
}

static void
replace_string (char      **slot,
                const char *text)
{
  g_free (*slot);
  *slot = g_strdup (text);
}

/* Changes an id everywhere it is used; FALSE if new_id is empty or taken. */
gboolean
cd_model_rename_node (CdModel    *model,
                      guint       index,
                      const char *new_id)
{
  CdNode *node;
  g_autofree char *old_id = NULL;

  g_return_val_if_fail (index < model->nodes->len, FALSE);

  node = g_ptr_array_index (model->nodes, index);
  if (new_id == NULL || *new_id == '\0')
    return FALSE;
  if (strcmp (node->id, new_id) == 0)
    return TRUE;
  if (cd_model_find_node (model, new_id) >= 0)
    return FALSE;

  old_id = g_steal_pointer (&node->id);
  node->id = g_strdup (new_id);
  for (guint i = 0; i < model->edges->len; i++)
    {
      CdEdge *e = g_ptr_array_index (model->edges, i);
      if (strcmp (e->source, old_id) == 0)
        replace_string (&e->source, new_id);
      if (strcmp (e->target, old_id) == 0)
        replace_string (&e->target, new_id);
    }
  for (guint i = 0; i < model->events->len; i++)
    {
      CdEvent *ev = g_ptr_array_index (model->events, i);
      for (guint k = 0; k < ev->impacts->len; k++)
        {
          CdImpact *im = &g_array_index (ev->impacts, CdImpact, k);
          if (strcmp (im->node, old_id) == 0)
            replace_string (&im->node, new_id);
        }
    }
  return TRUE;
}

const char *
cd_node_display_name (const CdNode *node)
{
  return cd_localized_lookup (node->names, node->name);
}

const char *
cd_event_display_name (const CdEvent *event)
{
  return cd_localized_lookup (event->names, event->name);
}

const char *
cd_model_display_name (const CdModel *model)
{
  return cd_localized_lookup (model->names, model->name);
}

const char *
cd_model_display_description (const CdModel *model)
{
  return cd_localized_lookup (model->descriptions, model->description);
}

int
cd_model_find_scenario (const CdModel *model,
                        const char    *name)
{
  for (guint i = 0; i < model->scenarios->len; i++)
    if (strcmp (((CdScenario *) g_ptr_array_index (model->scenarios, i))->name, name) == 0)
      return (int) i;
  return -1;
}

CdModel *
cd_model_apply_scenario (const CdModel *model,
                         int            index,
                         GError       **error)
{
  CdModel *copy;
  const CdScenario *sc;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (index >= -1 && index < (int) model->scenarios->len, NULL);

  copy = cd_model_copy (model);
  if (index < 0)
    return copy;

  sc = g_ptr_array_index (model->scenarios, index);
  for (guint p = 0; p < CD_N_PARAMS; p++)
    if (sc->param_set[p])
      copy->params.values[p] = sc->param_value[p];
  if (sc->rule_set)
    copy->params.rule = sc->rule;
  if (sc->interventions != NULL)
    {
      g_ptr_array_unref (copy->interventions);
      copy->interventions = interventions_copy (sc->interventions);
    }
  return copy;
}

typedef struct
{
  double at;
  guint  file_index;
} InterventionKey;

static int
intervention_key_compare (gconstpointer a,
                          gconstpointer b)
{
  const InterventionKey *ka = a, *kb = b;

  if (ka->at != kb->at)
    return ka->at < kb->at ? -1 : 1;
  return (ka->file_index > kb->file_index) - (ka->file_index < kb->file_index);
}

/* Interventions apply in order of `at`, and in file order at equal times. */
GPtrArray *
cd_model_sorted_interventions (const CdModel *model)
{
  guint n = model->interventions->len;
  g_autofree InterventionKey *keys = g_new (InterventionKey, MAX (n, 1));
  GPtrArray *sorted = g_ptr_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    {
      keys[i].at = ((CdIntervention *) g_ptr_array_index (model->interventions, i))->at;
      keys[i].file_index = i;
    }
  qsort (keys, n, sizeof *keys, intervention_key_compare);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (model->interventions, keys[i].file_index));
  return sorted;
}

void
cd_model_parameters_at (const CdModel *model,
                        double         t,
                        CdParameters  *out_params)
{
  g_autoptr(GPtrArray) sorted = cd_model_sorted_interventions (model);

  *out_params = model->params;
  for (guint i = 0; i < sorted->len; i++)
    {
      const CdIntervention *iv = g_ptr_array_index (sorted, i);
      if (iv->at > t)
        break;
      for (guint k = 0; k < iv->settings->len; k++)
        {
          const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
          out_params->values[s->param] = s->value;
        }
    }
}
