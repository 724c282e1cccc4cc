/* cd-edits.c — undoable model edits (see cd-edits.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-edits.h"
#include "cd-layout.h"
#include "cd-model-fields.h"
#include "cd-model-upgrade.h"

#define EDIT_ERROR (g_quark_from_static_string ("cd-edit-error"))

static const char *
level_stem (CdLevel level)
{
  /* Ids are keys in the file, not display text: keep them ASCII. */
  switch (level)
    {
    case CD_LEVEL_CENTRAL: return "central";
    case CD_LEVEL_PROVINCIAL: return "province";
    case CD_LEVEL_MUNICIPAL: return "city";
    case CD_LEVEL_COUNTY: return "county";
    case CD_LEVEL_OTHER:
    case CD_N_LEVELS:
    default: return "gov";
    }
}

gboolean
cd_edit_add_node (CdModel  *model,
                  gpointer  data,
                  GError  **error)
{
  CdAddNode *add = data;
  g_autofree char *id = NULL;
  CdNode *node;

  if (!isfinite (add->x) || !isfinite (add->y))
    {
      g_set_error_literal (error, EDIT_ERROR, 0, _("The position is not a finite number"));
      return FALSE;
    }
  id = cd_model_unique_node_id (model, level_stem (add->level));
  node = cd_node_new (id);
  node->level = add->level;
  node->has_pos = TRUE;
  node->pos[0] = round (add->x * 10.0) / 10.0;
  node->pos[1] = round (add->y * 10.0) / 10.0;
  g_ptr_array_add (model->nodes, node);
  g_free (add->out_id);
  add->out_id = g_steal_pointer (&id);
  return TRUE;
}

gboolean
cd_edit_add_edge (CdModel  *model,
                  gpointer  data,
                  GError  **error)
{
  const CdAddEdge *add = data;

  if (strcmp (add->source, add->target) == 0)
    {
      g_set_error_literal (error, EDIT_ERROR, 0, _("A tie must join two different governments"));
      return FALSE;
    }
  if (cd_model_find_edge (model, add->kind, add->source, add->target) >= 0)
    {
      g_set_error (error, EDIT_ERROR, 0,
                   add->kind == CD_EDGE_COMMAND
                     ? _("There already is a command line from “%s” to “%s”")
                     : _("There already is a partnership between “%s” and “%s”"),
                   add->source, add->target);
      return FALSE;
    }
  /* Validation after the edit reports a command cycle with its place. */
  g_ptr_array_add (model->edges, cd_edge_new (add->kind, add->source, add->target));
  return TRUE;
}

gboolean
cd_edit_delete (CdModel  *model,
                gpointer  data,
                GError  **error)
{
  const CdDelete *del = data;
  g_autoptr (GPtrArray) doomed = g_ptr_array_new ();

  /* Edges first, by identity, since removing nodes shifts indices. */
  for (guint k = 0; k < del->n_edges; k++)
    if (del->edges[k] >= 0 && (guint) del->edges[k] < model->edges->len)
      g_ptr_array_add (doomed, g_ptr_array_index (model->edges, del->edges[k]));
  for (guint k = 0; k < doomed->len; k++)
    g_ptr_array_remove (model->edges, g_ptr_array_index (doomed, k));

  for (guint k = 0; del->node_ids != NULL && del->node_ids[k] != NULL; k++)
    {
      int i = cd_model_find_node (model, del->node_ids[k]);
      if (i >= 0)
        cd_model_remove_node (model, (guint) i);
    }
  return TRUE;
}

gboolean
cd_edit_move_nodes (CdModel  *model,
                    gpointer  data,
                    GError  **error)
{
  const CdMoveNodes *move = data;

  for (guint k = 0; move->node_ids[k] != NULL; k++)
    {
      int i = cd_model_find_node (model, move->node_ids[k]);
      CdNode *node;

      if (i < 0 || !isfinite (move->x[k]) || !isfinite (move->y[k]))
        continue;
      node = g_ptr_array_index (model->nodes, i);
      node->has_pos = TRUE;
      node->pos[0] = round (move->x[k] * 10.0) / 10.0;
      node->pos[1] = round (move->y[k] * 10.0) / 10.0;
    }
  return TRUE;
}

gboolean
cd_edit_layout (CdModel  *model,
                gpointer  data,
                GError  **error)
{
  switch (*(const CdLayoutKind *) data)
    {
    case CD_LAYOUT_KIND_HIERARCHY:
      return cd_layout_hierarchy (model, error);
    case CD_LAYOUT_KIND_FORCE:
      return cd_layout_force_directed (model, 1, error);
    case CD_LAYOUT_KIND_AUTO:
    default:
      return cd_layout_auto (model, 1, error);
    }
}

/* A number, a switch or a command line's role, through the field table. */
static gboolean
set_number (const CdFieldInfo *f,
            gpointer           object,
            const CdSetField  *set,
            GError           **error)
{
  g_return_val_if_fail (f != NULL, FALSE);

  if (f->type == CD_FIELD_BOOLEAN)
    {
      *(gboolean *) (gpointer) ((char *) object + f->offset) = set->integer != 0;
      return TRUE;
    }
  if (f->type == CD_FIELD_ROLE)
    {
      if (set->integer < 0 || set->integer >= CD_N_ROLES)
        return FALSE;
      *(CdCommandRole *) (gpointer) ((char *) object + f->offset) = (CdCommandRole) set->integer;
      return TRUE;
    }
  g_return_val_if_fail (f->type == CD_FIELD_NUMBER || f->type == CD_FIELD_OPTIONAL_NUMBER, FALSE);
  if (!isfinite (set->number) || !cd_field_value_in_range (f, set->number))
    {
      if (f->range == CD_FIELD_RANGE_WEIGHT)
        g_set_error_literal (error, EDIT_ERROR, 0,
                             _("The weight of a command line must be in (0, 1]"));
      else
        g_set_error (error, EDIT_ERROR, 0, _("%s must be between 0 and 1"), f->key);
      return FALSE;
    }
  cd_field_set_number (f, object, set->number);
  return TRUE;
}

gboolean
cd_edit_set_field (CdModel  *model,
                   gpointer  data,
                   GError  **error)
{
  const CdSetField *set = data;

  if (set->node >= 0 && (guint) set->node < model->nodes->len)
    {
      CdNode *node = g_ptr_array_index (model->nodes, set->node);

      if (g_str_equal (set->field, "id"))
        {
          if (set->text == NULL || *set->text == '\0')
            {
              g_set_error_literal (error, EDIT_ERROR, 0, _("The id must not be empty"));
              return FALSE;
            }
          if (!cd_model_rename_node (model, (guint) set->node, set->text))
            {
              g_set_error (error, EDIT_ERROR, 0, _("The id “%s” is already taken"), set->text);
              return FALSE;
            }
          return TRUE;
        }
      if (g_str_equal (set->field, "name"))
        {
          g_free (node->name);
          /* An empty name means "same as the id", as in the file format. */
          node->name = g_strdup (set->text != NULL && *set->text != '\0' ? set->text : node->id);
          cd_localized_replace_shown (node->names, node->name);
          return TRUE;
        }
      if (g_str_equal (set->field, "level"))
        {
          if (set->integer < 0 || set->integer >= CD_N_LEVELS)
            return FALSE;
          node->level = (CdLevel) set->integer;
          return TRUE;
        }
      return set_number (cd_field_find (TRUE, set->field), node, set, error);
    }
  if (set->edge >= 0 && (guint) set->edge < model->edges->len)
    return set_number (cd_field_find (FALSE, set->field), g_ptr_array_index (model->edges,
                                                                             set->edge),
                       set, error);
  g_set_error_literal (error, EDIT_ERROR, 0, _("Nothing is selected"));
  return FALSE;
}

gboolean
cd_edit_set_sim (CdModel  *model,
                 gpointer  data,
                 GError  **error)
{
  const CdSetSim *set = data;

  if (!(set->sim.t_end > 0.0) || !(set->sim.dt > 0.0) || set->sim.dt > set->sim.t_end
      || !(set->sim.rtol > 0.0) || !(set->sim.atol >= 0.0)
      || !isfinite (set->sim.t_end) || !isfinite (set->sim.atol))
    {
      g_set_error_literal (error, EDIT_ERROR, 0,
                           _("Simulation settings need t_end > 0, 0 < dt ≤ t_end, rtol > 0 and "
                             "atol ≥ 0"));
      return FALSE;
    }
  model->sim = set->sim;
  return TRUE;
}

gboolean
cd_edit_set_rule (CdModel  *model,
                  gpointer  data,
                  GError  **error)
{
  model->params.rule = *(const CdRule *) data;
  return TRUE;
}

gboolean
cd_edit_reset_params (CdModel  *model,
                      gpointer  data,
                      GError  **error)
{
  CdParameters defaults;

  cd_parameters_init_defaults (&defaults);
  for (guint p = 0; p < CD_N_PARAMS; p++)
    if (data == NULL || cd_param_info (p)->group == *(const CdGroup *) data)
      model->params.values[p] = defaults.values[p];
  if (data == NULL || *(const CdGroup *) data == CD_GROUP_DYNAMICS)
    model->params.rule = defaults.rule;
  return TRUE;
}

/* Events and policy changes: item goes to the end for index < 0, else in
 * place of the one at index (freed with free_item, as the array would); an
 * index past the end is refused and item freed. */
static gboolean
put_item (GPtrArray      *array,
          int             index,
          gpointer        item,
          GDestroyNotify  free_item)
{
  if (index >= 0 && (guint) index >= array->len)
    {
      free_item (item);
      return FALSE;
    }
  if (index < 0)
    g_ptr_array_add (array, item);
  else
    {
      free_item (g_ptr_array_index (array, index));
      g_ptr_array_index (array, index) = item;
    }
  return TRUE;
}

static gboolean
remove_item (GPtrArray *array,
             int        index)
{
  if (index < 0 || (guint) index >= array->len)
    return FALSE;
  g_ptr_array_remove_index (array, index);
  return TRUE;
}

gboolean
cd_edit_set_event (CdModel  *model,
                   gpointer  data,
                   GError  **error)
{
  const CdSetEvent *set = data;
  const CdEvent *ev = set->event;

  if (!isfinite (ev->onset) || ev->onset < 0.0 || !isfinite (ev->magnitude) || ev->magnitude < 0.0
      || !isfinite (ev->decay) || ev->decay <= 0.0)
    {
      g_set_error_literal (error, EDIT_ERROR, 0,
                           _("An emergency needs onset ≥ 0, magnitude ≥ 0 and decay > 0"));
      return FALSE;
    }
  return put_item (model->events, set->index, cd_event_copy (ev),
                   (GDestroyNotify) cd_event_free);
}

gboolean
cd_edit_remove_event (CdModel  *model,
                      gpointer  data,
                      GError  **error)
{
  return remove_item (model->events, *(const int *) data);
}

gboolean
cd_edit_set_intervention (CdModel  *model,
                          gpointer  data,
                          GError  **error)
{
  const CdSetIntervention *set = data;
  const CdIntervention *iv = set->intervention;

  if (!isfinite (iv->at) || iv->at < 0.0)
    {
      g_set_error_literal (error, EDIT_ERROR, 0, _("A policy change needs a time ≥ 0"));
      return FALSE;
    }
  for (guint k = 0; k < iv->settings->len; k++)
    {
      const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
      if (!cd_param_value_in_range (s->param, s->value))
        {
          g_set_error (error, EDIT_ERROR, 0, _("%s must be in %s"),
                       cd_param_info (s->param)->path, cd_param_range_text (s->param));
          return FALSE;
        }
    }
  return put_item (model->interventions, set->index, cd_intervention_copy (iv),
                   (GDestroyNotify) cd_intervention_free);
}

gboolean
cd_edit_remove_intervention (CdModel  *model,
                             gpointer  data,
                             GError  **error)
{
  return remove_item (model->interventions, *(const int *) data);
}

gboolean
cd_edit_set_scenario (CdModel  *model,
                      gpointer  data,
                      GError  **error)
{
  const CdSetScenario *set = data;

  if (set->scenario == NULL || set->scenario->name == NULL || *set->scenario->name == '\0')
    {
      g_set_error_literal (error, EDIT_ERROR, 0, _("A scenario needs a name"));
      return FALSE;
    }
  for (guint k = 0; k < model->scenarios->len; k++)
    if ((int) k != set->index
        && g_strcmp0 (((CdScenario *) g_ptr_array_index (model->scenarios, k))->name,
                      set->scenario->name) == 0)
      {
        /* Translators: %s is a scenario's key, as commands name it */
        g_set_error (error, EDIT_ERROR, 0, _("There is already a scenario named “%s”"),
                     set->scenario->name);
        return FALSE;
      }
  return put_item (model->scenarios, set->index, cd_scenario_copy (set->scenario),
                   (GDestroyNotify) cd_scenario_free);
}

gboolean
cd_edit_remove_scenario (CdModel  *model,
                         gpointer  data,
                         GError  **error)
{
  return remove_item (model->scenarios, *(const int *) data);
}

gboolean
cd_edit_upgrade (CdModel  *model,
                 gpointer  data,
                 GError  **error)
{
  g_autoptr (CdModel) upgraded = cd_model_upgrade (model, error);
  CdModel old;

  if (upgraded == NULL)
    return FALSE;
  /* The document owns the model's struct: swap the contents, so that the
   * old ones are freed with `upgraded`. */
  old = *model;
  *model = *upgraded;
  *upgraded = old;
  return TRUE;
}
