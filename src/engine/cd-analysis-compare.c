/* cd-analysis-compare.c — running scenarios side by side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-analysis-compare.h"

void
cd_scenario_outcome_free (CdScenarioOutcome *so)
{
  if (so == NULL)
    return;
  g_free (so->name);
  g_free (so->label);
  g_free (so);
}

GPtrArray *
cd_compare_scenarios (const CdModel      *model,
                      const char * const *names,
                      CdProgressFunc      progress,
                      gpointer            progress_data,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_autoptr(GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cd_scenario_outcome_free);
  g_autoptr(GArray) wanted = g_array_new (FALSE, FALSE, sizeof (int));
  int base = -1;

  g_return_val_if_fail (model != NULL, NULL);

  g_array_append_val (wanted, base);
  if (names == NULL)
    for (int i = 0; i < (int) model->scenarios->len; i++)
      g_array_append_val (wanted, i);
  else
    for (guint k = 0; names[k] != NULL; k++)
      {
        int i = cd_model_find_scenario (model, names[k]);
        if (i < 0)
          {
            /* Two whole sentences rather than a suffix, so that each translates. */
            if (model->scenarios->len == 0)
              g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                           _("no scenario named \"%s\" in the model (it has none)"), names[k]);
            else
              g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                           _("no scenario named \"%s\" in the model"), names[k]);
            return NULL;
          }
        g_array_append_val (wanted, i);
      }

  for (guint k = 0; k < wanted->len; k++)
    {
      int i = g_array_index (wanted, int, k);
      g_autoptr(CdModel) variant = cd_model_apply_scenario (model, i, error);
      g_autoptr(CdSystem) sys = NULL;
      CdScenarioOutcome *so;
      const char *name;

      if (variant == NULL)
        return NULL;
      name = i < 0 ? "base" : ((CdScenario *) g_ptr_array_index (model->scenarios, i))->name;
      sys = cd_system_new (variant, error);
      so = g_new0 (CdScenarioOutcome, 1);
      so->name = g_strdup (name);
      so->index = i;
      g_ptr_array_add (out, so);
      if (sys == NULL || !cd_outcome_of_system (sys, &so->outcome, cancellable, error))
        {
          g_prefix_error (error, "scenario \"%s\": ", name);
          return NULL;
        }
      if (progress)
        progress ((double) (k + 1) / wanted->len, progress_data);
    }
  return g_steal_pointer (&out);
}

GPtrArray *
cd_compare_trajectories (const CdModel   *model,
                         const GPtrArray *outcomes,
                         CdProgressFunc   progress,
                         gpointer         progress_data,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_autoptr(GPtrArray) out = NULL;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (outcomes != NULL, NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_trajectory_free);
  for (guint i = 0; i < outcomes->len; i++)
    {
      const CdScenarioOutcome *so = g_ptr_array_index (outcomes, i);
      CdRunOptions options = CD_RUN_OPTIONS_INIT;
      g_autoptr(CdModel) variant = cd_model_apply_scenario (model, so->index, error);
      g_autoptr(CdSystem) sys = NULL;
      CdTrajectory *traj;

      if (variant == NULL)
        return NULL;
      sys = cd_system_new (variant, error);
      if (sys == NULL)
        return NULL;
      traj = cd_simulate_trajectory (sys, &options, cancellable, error);
      if (traj == NULL)
        {
          g_prefix_error (error, "scenario \"%s\": ", so->name);
          return NULL;
        }
      g_ptr_array_add (out, traj);
      if (progress)
        progress ((double) (i + 1) / outcomes->len, progress_data);
    }
  return g_steal_pointer (&out);
}

GPtrArray *
cd_compare_models (const CdModel *const *models,
                   const char *const   *names,
                   guint                n,
                   CdProgressFunc       progress,
                   gpointer             progress_data,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(GPtrArray) out =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cd_scenario_outcome_free);

  g_return_val_if_fail (models != NULL && names != NULL, NULL);

  for (guint k = 0; k < n; k++)
    {
      g_autoptr(CdSystem) sys = cd_system_new (models[k], error);
      CdScenarioOutcome *so = g_new0 (CdScenarioOutcome, 1);

      so->name = g_strdup (names[k]);
      so->index = -1;
      g_ptr_array_add (out, so);
      if (sys == NULL || !cd_outcome_of_system (sys, &so->outcome, cancellable, error))
        {
          g_prefix_error (error, "\"%s\": ", names[k]);
          return NULL;
        }
      if (progress)
        progress ((double) (k + 1) / n, progress_data);
    }
  return g_steal_pointer (&out);
}

GPtrArray *
cd_compare_institutions (const CdModel              *model,
                         const CdInstitution *const *institutions,
                         guint                       n,
                         GPtrArray                 **out_models,
                         CdProgressFunc              progress,
                         gpointer                    progress_data,
                         GCancellable               *cancellable,
                         GError                    **error)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_model_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GPtrArray *out;

  g_return_val_if_fail (model != NULL && (institutions != NULL || n == 0), NULL);

  g_ptr_array_add (models, cd_model_copy (model));
  g_ptr_array_add (names, (gpointer) "base");
  for (guint k = 0; k < n; k++)
    {
      CdModel *variant = cd_institution_apply (institutions[k], model, error);

      if (variant == NULL)
        return NULL;
      g_ptr_array_add (models, variant);
      g_ptr_array_add (names, institutions[k]->name);
    }
  out = cd_compare_models ((const CdModel *const *) models->pdata,
                           (const char *const *) names->pdata, models->len, progress,
                           progress_data, cancellable, error);
  for (guint k = 0; out != NULL && k < n; k++)
    ((CdScenarioOutcome *) g_ptr_array_index (out, k + 1))->label =
      g_strdup (cd_institution_display_name (institutions[k]));
  if (out != NULL && out_models != NULL)
    *out_models = g_steal_pointer (&models);
  return out;
}

GPtrArray *
cd_compare_models_trajectories (const CdModel *const *models,
                                guint                n,
                                CdProgressFunc       progress,
                                gpointer             progress_data,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_trajectory_free);

  g_return_val_if_fail (models != NULL || n == 0, NULL);

  for (guint k = 0; k < n; k++)
    {
      CdRunOptions options = CD_RUN_OPTIONS_INIT;
      g_autoptr(CdSystem) sys = cd_system_new (models[k], error);
      CdTrajectory *traj;

      if (sys == NULL)
        return NULL;
      traj = cd_simulate_trajectory (sys, &options, cancellable, error);
      if (traj == NULL)
        return NULL;
      g_ptr_array_add (out, traj);
      if (progress)
        progress ((double) (k + 1) / n, progress_data);
    }
  return g_steal_pointer (&out);
}
