/* cd-window-thesis.c — Analysis → The Theory's Five Conclusions: one click
 * opens a conclusion's network, sets up its experiment on the Experiments
 * page and runs it (docs/thesis.md; `coordyn-cli thesis N` runs the same).
 *
 * Only the window's and the Analysis page's public calls: the experiment
 * runs from its bundled spec, with its own model, as "Open Spec…" runs one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-analysis-view.h"
#include "cd-experiment-view.h"
#include "cd-experiment.h"
#include "cd-thesis.h"
#include "cd-window-private.h"

typedef struct
{
  char *spec;
  char *model;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_free (p->spec);
  g_free (p->model);
  g_free (p);
}

static void
open_and_run (CdWindow *self,
              gpointer  data)
{
  Pending *p = data;
  g_autoptr(GFile) file = g_file_new_for_path (p->model);
  g_autoptr(GError) error = NULL;
  GtkWidget *analysis;
  CdExperimentView *experiments;

  if (!cd_window_open_file (self, file))
    return;
  analysis = adw_view_stack_get_child_by_name (self->view_stack, "analysis");
  g_return_if_fail (CD_IS_ANALYSIS_VIEW (analysis));
  adw_view_stack_set_visible_child (self->view_stack, analysis);
  experiments = CD_EXPERIMENT_VIEW (cd_analysis_view_show_experiments (CD_ANALYSIS_VIEW (analysis)));
  if (!cd_experiment_view_load_spec (experiments, p->spec, &error))
    {
      cd_window_show_error (self, _("Could Not Set Up the Experiment"), error->message);
      return;
    }
  cd_experiment_view_run (experiments);
}

void
cd_window_open_thesis (CdWindow *self,
                       guint     n)
{
  g_autofree char *spec = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(CdExperiment) exp = NULL;
  g_autoptr(GError) error = NULL;
  Pending *p;

  g_return_if_fail (CD_IS_WINDOW (self));

  spec = n >= 1 && n <= CD_THESIS_N_CONCLUSIONS ? cd_thesis_spec_path (n) : NULL;
  if (spec == NULL)
    {
      /* Translators: %s is a folder. */
      g_autofree char *message = g_strdup_printf (_("The experiments are not installed in %s."),
                                                  cd_thesis_dir ());
      cd_window_show_error (self, _("Could Not Set Up the Experiment"), message);
      return;
    }
  /* Read first, so a broken installation says so before anything is discarded. */
  exp = cd_experiment_load_file (spec, &error);
  if (exp == NULL)
    {
      cd_window_show_error (self, _("Could Not Set Up the Experiment"), error->message);
      return;
    }
  dir = g_path_get_dirname (spec);
  p = g_new0 (Pending, 1);
  p->spec = g_steal_pointer (&spec);
  p->model = g_path_is_absolute (exp->model_path) ? g_strdup (exp->model_path)
                                                  : g_build_filename (dir, exp->model_path, NULL);
  cd_window_confirm_discard (self, open_and_run, p, pending_free);
}
