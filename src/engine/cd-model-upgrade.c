/* cd-model-upgrade.c — a version-1 model made a version-2 model (docs/model.md, "Upgrade").
 *
 * The upgrade is an explicit user action: the results may change (they do
 * not where supervision, law and every trust are 0).  Nothing of the
 * network changes but the fields that version 2 splits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-model-json.h"
#include "cd-model-upgrade.h"

/* An intervention's settings with resistance.fragmentation = v replaced, in
 * its place, by resistance.ideas = v / 2 and resistance.powers = v / 2. */
static void
upgrade_settings (CdIntervention *iv)
{
  g_autoptr(GArray) old = iv->settings;

  iv->settings = g_array_new (FALSE, TRUE, sizeof (CdSetting));
  for (guint k = 0; k < old->len; k++)
    {
      const CdSetting *s = &g_array_index (old, CdSetting, k);

      if (s->param == CD_PARAM_RESISTANCE_FRAGMENTATION)
        {
          cd_intervention_add (iv, CD_PARAM_RESISTANCE_IDEAS, s->value / 2);
          cd_intervention_add (iv, CD_PARAM_RESISTANCE_POWERS, s->value / 2);
        }
      else
        cd_intervention_add (iv, s->param, s->value);
    }
}

static void
upgrade_interventions (GPtrArray *list)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    upgrade_settings (g_ptr_array_index (list, i));
}

CdModel *
cd_model_upgrade (const CdModel *model,
                  GError       **error)
{
  g_autoptr(CdModel) up = NULL;
  g_autoptr(GArray) ranges = NULL;
  double r_f;

  g_return_val_if_fail (model != NULL, NULL);

  if (model->version != 1)
    {
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID,
                   _("the model is already version %d; only version-1 models are upgraded"),
                   model->version);
      return NULL;
    }

  up = cd_model_copy (model);
  up->version = 2;

  /* r_I = r_P = r_f / 2: with f^I = f^P = f, r_I f^I + r_P f^P = r_f f. */
  r_f = model->params.values[CD_PARAM_RESISTANCE_FRAGMENTATION];
  up->params.values[CD_PARAM_RESISTANCE_IDEAS] = r_f / 2;
  up->params.values[CD_PARAM_RESISTANCE_POWERS] = r_f / 2;

  for (guint i = 0; i < up->nodes->len; i++)
    {
      CdNode *node = g_ptr_array_index (up->nodes, i);

      node->fragmentation_ideas = node->fragmentation;
      node->fragmentation_powers = node->fragmentation;
      node->has_appraisal = FALSE;
    }
  for (guint e = 0; e < up->edges->len; e++)
    ((CdEdge *) g_ptr_array_index (up->edges, e))->role = CD_ROLE_ADMINISTRATIVE;

  upgrade_interventions (up->interventions);
  for (guint s = 0; s < up->scenarios->len; s++)
    {
      CdScenario *sc = g_ptr_array_index (up->scenarios, s);

      if (sc->param_set[CD_PARAM_RESISTANCE_FRAGMENTATION])
        {
          double v = sc->param_value[CD_PARAM_RESISTANCE_FRAGMENTATION];

          sc->param_set[CD_PARAM_RESISTANCE_FRAGMENTATION] = FALSE;
          sc->param_set[CD_PARAM_RESISTANCE_IDEAS] = TRUE;
          sc->param_value[CD_PARAM_RESISTANCE_IDEAS] = v / 2;
          sc->param_set[CD_PARAM_RESISTANCE_POWERS] = TRUE;
          sc->param_value[CD_PARAM_RESISTANCE_POWERS] = v / 2;
        }
      upgrade_interventions (sc->interventions);
    }

  /* A range over r_f becomes one over r_I and one over r_P, in its place. */
  ranges = g_steal_pointer (&up->ranges);
  up->ranges = g_array_new (FALSE, TRUE, sizeof (CdRange));
  for (guint k = 0; k < ranges->len; k++)
    {
      CdRange range = g_array_index (ranges, CdRange, k);

      if (range.param != CD_PARAM_RESISTANCE_FRAGMENTATION)
        {
          g_array_append_val (up->ranges, range);
          continue;
        }
      range.min /= 2;
      range.max /= 2;
      range.mode /= 2;
      range.param = CD_PARAM_RESISTANCE_IDEAS;
      g_array_append_val (up->ranges, range);
      range.param = CD_PARAM_RESISTANCE_POWERS;
      g_array_append_val (up->ranges, range);
    }

  if (!cd_model_validate (up, error))
    return NULL;
  return g_steal_pointer (&up);
}
