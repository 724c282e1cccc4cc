/* cd-analysis-view.c — the Analysis page (see cd-analysis-view.h).
 *
 * One job at a time: a request copies the model on the main thread and
 * hands the copy to a CdWorker, which calls the engine with the worker's
 * progress callback and cancellable, so the engine's threads never touch a
 * widget.  A finished job that has been superseded is dropped; the newest
 * one replaces that analysis's results.
 *
 * The charts are the render library's (cd-analysis-figure.h), drawn from
 * the results as they are, so that `coordyn-cli … --figure` draws the same.
 * Each pane's charts and results are in a file of its own (see
 * cd-analysis-view-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-analysis-csv.h"
#include "cd-analysis-figure.h"
#include "cd-analysis-view-private.h"
#include "cd-experiment-view.h"
#include "cd-policy-view.h"
#include "cd-result-table.h"

static const char *const kind_names[N_KINDS] = {
  "equilibria", "sweep", "sensitivity", "montecarlo", "scenarios", "metrics",
};

static int
kind_from_name (const char *name)
{
  for (int k = 0; k < N_KINDS; k++)
    if (g_strcmp0 (name, kind_names[k]) == 0)
      return k;
  return -1;
}

static const char *
kind_title (Kind kind)
{
  switch (kind)
    {
    case KIND_EQUILIBRIA:
      return _("Equilibria");
    case KIND_SWEEP:
      return _("Sweep");
    case KIND_SENSITIVITY:
      return _("Sensitivity");
    case KIND_MONTECARLO:
      return _("Monte Carlo");
    case KIND_SCENARIOS:
      return _("Scenarios");
    case KIND_METRICS:
    default:
      return _("Network metrics");
    }
}

/* ---- Jobs ----------------------------------------------------------------- */


static void
job_clear (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->model, cd_model_free);
  g_clear_pointer (&job->scenarios, g_strfreev);
  g_clear_pointer (&job->eqs, cd_equilibria_free);
  g_clear_pointer (&job->sweep, cd_sweep_free);
  g_clear_pointer (&job->tornado, cd_tornado_free);
  g_clear_pointer (&job->sobol_result, cd_sobol_free);
  g_clear_pointer (&job->mc, cd_montecarlo_free);
  g_clear_pointer (&job->outcomes, g_ptr_array_unref);
  g_clear_pointer (&job->curves, g_ptr_array_unref);
  g_clear_pointer (&job->metrics, cd_metrics_free);
}

static Job *
job_ref (Job *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
job_unref (Job *job)
{
  g_atomic_rc_box_release_full (job, job_clear);
}

/* Multi-stage jobs: from now on progress f is lo + span · f of the whole. */
static void
job_set_stage (Job    *job,
               double  lo,
               double  span)
{
  cd_worker_set_stage (job->worker, lo, span);
}

/* Called on the worker thread (or the engine's, as each analysis says). */
static void
on_job_progress (double   fraction,
                 gpointer user_data)
{
  Job *job = user_data;

  cd_worker_set_fraction (job->worker, isfinite (fraction) ? CLAMP (fraction, 0.0, 1.0) : 0.0);
}

static gboolean
run_scenarios (Job          *job,
               GCancellable *cancellable,
               GError      **error)
{
  job_set_stage (job, 0.0, 0.5);
  job->outcomes = cd_compare_scenarios (job->model, (const char * const *) job->scenarios,
                                        on_job_progress, job, cancellable, error);
  if (job->outcomes == NULL)
    return FALSE;
  /* The outcomes come from the engine, as the CLI's do; the curves are
   * the same runs kept whole for the chart. */
  job_set_stage (job, 0.5, 0.5);
  job->curves = cd_compare_trajectories (job->model, job->outcomes, on_job_progress, job,
                                         cancellable, error);
  return job->curves != NULL;
}

static gboolean
run_job (CdWorker      *worker,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **out_error)
{
  Job *job = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;

  job_set_stage (job, 0.0, 1.0);
  switch (job->kind)
    {
    case KIND_EQUILIBRIA:
      {
        CdEquilibriaOptions options = CD_EQUILIBRIA_OPTIONS_INIT;
        options.progress = on_job_progress;
        options.progress_data = job;
        job->eqs = cd_find_equilibria (job->model, job->at, &options, cancellable, &error);
        ok = job->eqs != NULL;
      }
      break;
    case KIND_SWEEP:
      job->sweep = cd_sweep_run (job->model, job->param, job->from, job->to, job->steps,
                                 job->at, job->all, on_job_progress, job, cancellable, &error);
      ok = job->sweep != NULL;
      break;
    case KIND_SENSITIVITY:
      job_set_stage (job, 0.0, job->sobol ? 0.25 : 1.0);
      job->tornado = cd_tornado_run (job->model, job->delta, 0, on_job_progress, job,
                                     cancellable, &error);
      ok = job->tornado != NULL;
      if (ok && job->sobol)
        {
          job_set_stage (job, 0.25, 0.75);
          job->sobol_result = cd_sobol_run (job->model, job->model->ranges, job->delta,
                                            job->sobol_n, 0, on_job_progress, job, cancellable,
                                            &error);
          ok = job->sobol_result != NULL;
        }
      break;
    case KIND_MONTECARLO:
      {
        CdMonteCarloOptions options = { 0 };
        options.n_runs = job->runs;
        options.seed = job->seed;
        options.threads = job->threads;
        g_autoptr(GArray) box = NULL;

        options.bands = TRUE;
        if (job->mc_around_values)
          box = cd_ranges_around_values (job->model, MC_DEFAULT_DELTA, &error);
        if (!job->mc_around_values || box != NULL)
          job->mc = cd_montecarlo_run (job->model, box, &options, on_job_progress, job,
                                       cancellable, &error);
        ok = job->mc != NULL;
      }
      break;
    case KIND_SCENARIOS:
      ok = run_scenarios (job, cancellable, &error);
      break;
    case KIND_METRICS:
      job->metrics = cd_network_metrics (job->model, &error);
      ok = job->metrics != NULL;
      break;
    default:
      g_assert_not_reached ();
    }
  /* An engine that notices the cancellation late still reports it as such:
   * the worker sees to that. */
  if (!ok)
    g_propagate_error (out_error, g_steal_pointer (&error));
  return ok;
}

/* ---- The view --------------------------------------------------------------- */


G_DEFINE_FINAL_TYPE (CdAnalysisView, cd_analysis_view, ADW_TYPE_BIN)

static CdParam sweep_selected    (CdAnalysisView *self);
static void    fill_sweep_params (CdAnalysisView *self,
                                  int             version);

/* Every chart, by the name the tests use: one list to reset them all. */
static const struct { const char *name; gsize offset; } charts[] = {
  { "eq", G_STRUCT_OFFSET (CdAnalysisView, eq_chart) },
  { "sweep", G_STRUCT_OFFSET (CdAnalysisView, sweep_chart) },
  { "tornado-mean", G_STRUCT_OFFSET (CdAnalysisView, tornado_mean) },
  { "tornado-loss", G_STRUCT_OFFSET (CdAnalysisView, tornado_loss) },
  { "sobol-mean", G_STRUCT_OFFSET (CdAnalysisView, sobol_mean) },
  { "sobol-loss", G_STRUCT_OFFSET (CdAnalysisView, sobol_loss) },
  { "fan-mean", G_STRUCT_OFFSET (CdAnalysisView, fan_mean) },
  { "fan-loss", G_STRUCT_OFFSET (CdAnalysisView, fan_loss) },
  { "scenarios", G_STRUCT_OFFSET (CdAnalysisView, scenario_chart) },
};

static void show_results (CdAnalysisView *self, Kind kind);

/* Experiments and Policy Design have a run bar of their own, at the top:
 * on their pages the view's bar, which speaks of the other analyses
 * ("Done." under a policy search still running), shows only while one of
 * those runs, with its progress and Cancel. */
static void
update_run_bar (CdAnalysisView *self)
{
  const char *page;
  gboolean own_bar;

  if (self->disposed || self->pages == NULL || self->run_bar == NULL)
    return;
  page = gtk_stack_get_visible_child_name (self->pages);
  own_bar = g_strcmp0 (page, "experiment") == 0 || g_strcmp0 (page, "policy") == 0;
  gtk_widget_set_visible (GTK_WIDGET (self->run_bar), !own_bar || self->worker != NULL);
}

/* The job's worker runs (its progress shown), or none (NULL). */
static void
set_running (CdAnalysisView *self,
             CdWorker       *worker)
{
  cd_run_bar_set_worker (self->run_bar, worker);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "analysis.cancel", worker != NULL);
  update_run_bar (self);
}

static void
on_job_done (CdWorker     *worker,
             const GError *error,
             gpointer      user_data)
{
  CdAnalysisView *self = CD_ANALYSIS_VIEW (user_data);
  Job *job = cd_worker_get_data (worker);
  gboolean current = worker == self->worker;

  if (self->disposed)
    return;
  if (current)
    {
      g_signal_handlers_disconnect_by_data (worker, self);
      g_clear_object (&self->worker);
      g_clear_pointer (&self->running, job_unref);
      set_running (self, NULL);
    }
  self->n_finished++;
  /* A superseded job's answer, or its cancellation, is of no interest. */
  if (!current)
    return;
  if (error != NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* Translators: %s is the analysis, e.g. "Sweep" */
        text = g_strdup_printf (_("%s cancelled."), kind_title (job->kind));
      else
        /* Translators: %s is the analysis, the second %s the engine's reason */
        text = g_strdup_printf (_("%s failed: %s"), kind_title (job->kind), error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cd_run_bar_set_status (self->run_bar, text);
      else
        cd_run_bar_show_message (self->run_bar, text);
      return;
    }
  g_clear_pointer (&self->results[job->kind], job_unref);
  self->results[job->kind] = job_ref (job);
  self->stale[job->kind] = FALSE;
  show_results (self, job->kind);
}

static double
spin_value (GtkSpinButton *spin)
{
  /* Typed text counts even if the user never left the field. */
  gtk_spin_button_update (spin);
  return gtk_spin_button_get_value (spin);
}

/* Reads the settings on screen into a new job; NULL with a message when
 * they do not make sense. */
static Job *
make_job (CdAnalysisView *self,
          Kind            kind)
{
  const CdModel *model = cd_document_get_model (self->document);
  Job *job;

  job = g_atomic_rc_box_new0 (Job);
  job->kind = kind;
  job->model = cd_model_copy (model);
  switch (kind)
    {
    case KIND_EQUILIBRIA:
      job->at = spin_value (self->eq_at);
      break;
    case KIND_SWEEP:
      job->param = sweep_selected (self);
      job->from = spin_value (self->sweep_from);
      job->to = spin_value (self->sweep_to);
      job->steps = (guint) spin_value (self->sweep_steps);
      job->all = gtk_check_button_get_active (self->sweep_all);
      job->at = spin_value (self->sweep_at);
      if (job->param >= CD_N_PARAMS || job->from == job->to
          || !cd_param_value_in_range (job->param, job->from)
          || !cd_param_value_in_range (job->param, job->to))
        {
          g_autofree char *text = NULL;
          if (job->param >= CD_N_PARAMS)
            job->param = 0;
          /* Translators: the first %s is a parameter, the second its valid range */
          text = g_strdup_printf (_("Sweep: From and To must differ and stay within the "
                                    "range of %s, %s."), param_label (job->param),
                                  cd_param_range_text (job->param));
          cd_run_bar_show_message (self->run_bar, text);
          job_unref (job);
          return NULL;
        }
      break;
    case KIND_SENSITIVITY:
      job->delta = spin_value (self->sens_delta);
      job->sobol = gtk_check_button_get_active (self->sens_sobol);
      job->sobol_n = (guint) spin_value (self->sens_n);
      break;
    case KIND_MONTECARLO:
      job->runs = (guint) spin_value (self->mc_runs);
      job->seed = (guint64) spin_value (self->mc_seed);
      job->threads = (guint) spin_value (self->mc_threads);
      /* A model without "ranges" (most, at first) is studied over the box
       * the Sobol indices use without them; the summary says so. */
      job->mc_around_values = model->ranges->len == 0;
      break;
    case KIND_SCENARIOS:
      {
        g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
        for (GtkWidget *c = gtk_widget_get_first_child (self->scenario_checks); c != NULL;
             c = gtk_widget_get_next_sibling (c))
          if (GTK_IS_CHECK_BUTTON (c) && gtk_check_button_get_active (GTK_CHECK_BUTTON (c)))
            g_strv_builder_add (names, g_object_get_data (G_OBJECT (c), "cd-scenario"));
        job->scenarios = g_strv_builder_end (names);
      }
      break;
    case KIND_METRICS:
    default:
      break;
    }
  return job;
}

/* The newest request wins: the one running is cancelled and forgotten. */
static void
drop_running (CdAnalysisView *self)
{
  if (self->worker != NULL)
    {
      cd_worker_cancel (self->worker);
      g_signal_handlers_disconnect_by_data (self->worker, self);
      g_clear_object (&self->worker);
    }
  g_clear_pointer (&self->running, job_unref);
}

gboolean
cd_analysis_view_run (CdAnalysisView *self,
                      const char     *name)
{
  g_autofree char *text = NULL;
  int kind;
  Job *job;

  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), FALSE);
  kind = kind_from_name (name);
  if (kind < 0)
    return FALSE;
  gtk_stack_set_visible_child_name (self->pages, kind_names[kind]);
  job = make_job (self, kind);
  if (job == NULL)
    return TRUE;

  drop_running (self);
  self->running = job_ref (job);
  /* The job (and so the worker's data) is the view's reference from make_job. */
  self->worker = job->worker = cd_worker_new (run_job, job, (GDestroyNotify) job_unref);
  if (kind == KIND_EQUILIBRIA || kind == KIND_METRICS)
    cd_worker_set_fraction (self->worker, -1.0);
  set_running (self, self->worker);
  /* Translators: %s is the analysis, e.g. "Monte Carlo" */
  text = g_strdup_printf (_("%s: running…"), kind_title (kind));
  cd_run_bar_set_status (self->run_bar, text);
  /* done runs even when cancelled, so the view always learns that the job
   * has ended. */
  cd_worker_start (self->worker, G_OBJECT (self), NULL, on_job_done, self);
  return TRUE;
}

void
cd_analysis_view_cancel (CdAnalysisView *self)
{
  g_return_if_fail (CD_IS_ANALYSIS_VIEW (self));
  if (self->worker != NULL)
    {
      cd_worker_cancel (self->worker);
      cd_run_bar_set_status (self->run_bar, _("Cancelling…"));
    }
}

/* ---- Results on screen ------------------------------------------------------ */

void
cd_analysis_view_set_summary (CdAnalysisView *self,
                              GtkLabel       *label,
                              Kind            kind,
                              const char     *text)
{
  gtk_label_set_text (label, text);
  cd_run_bar_set_status (self->run_bar, self->stale[kind]
                    ? _("The model has changed since these results: run again to update them.")
                    : _("Done."));
}

static void
show_results (CdAnalysisView *self,
              Kind            kind)
{
  Job *job = self->results[kind];

  if (job == NULL)
    return;
  switch (kind)
    {
    case KIND_EQUILIBRIA:
      cd_analysis_view_show_equilibria (self, job);
      break;
    case KIND_SWEEP:
      cd_analysis_view_show_sweep (self, job);
      break;
    case KIND_SENSITIVITY:
      cd_analysis_view_show_sensitivity (self, job);
      break;
    case KIND_MONTECARLO:
      cd_analysis_view_show_montecarlo (self, job);
      break;
    case KIND_SCENARIOS:
      cd_analysis_view_show_scenarios (self, job);
      break;
    case KIND_METRICS:
      cd_analysis_view_show_metrics (self, job);
      break;
    default:
      break;
    }
}

/* ---- CSV -------------------------------------------------------------------- */

/* "dir/name.csv" + "-bands" → "dir/name-bands.csv". */
static char *
sibling_path (const char *path,
              const char *suffix)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);

  if (dot == NULL || (slash != NULL && dot < slash))
    return g_strconcat (path, suffix, NULL);
  return g_strdup_printf ("%.*s%s%s", (int) (dot - path), path, suffix, dot);
}

gboolean
cd_analysis_view_save_csv (CdAnalysisView *self,
                           const char     *name,
                           const char     *path,
                           GError        **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) second = g_string_new (NULL);
  g_autofree char *second_path = NULL;
  CdCsvSink sink = { NULL, text }, second_sink = { NULL, second };
  int kind;
  Job *job;

  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), FALSE);
  kind = kind_from_name (name);
  job = kind >= 0 ? self->results[kind] : NULL;
  if (job == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There are no results to save yet: run the analysis first"));
      return FALSE;
    }
  switch ((Kind) kind)
    {
    case KIND_EQUILIBRIA:
      cd_analysis_csv_equilibria (&sink, job->eqs);
      break;
    case KIND_SWEEP:
      cd_analysis_csv_sweep (&sink, job->sweep);
      break;
    case KIND_SENSITIVITY:
      cd_analysis_csv_tornado (&sink, job->tornado);
      if (job->sobol_result != NULL)
        {
          cd_analysis_csv_sobol (&second_sink, job->sobol_result);
          second_path = sibling_path (path, "-sobol");
        }
      break;
    case KIND_MONTECARLO:
      cd_analysis_csv_montecarlo (&sink, job->mc);
      if (cd_analysis_csv_bands (&second_sink, job->mc))
        second_path = sibling_path (path, "-bands");
      break;
    case KIND_SCENARIOS:
      cd_analysis_csv_comparison (&sink, job->outcomes);
      break;
    case KIND_METRICS:
    default:
      cd_analysis_csv_metrics (&sink, job->metrics, job->model);
      break;
    }
  /* g_file_set_contents writes beside and renames: never a half file. */
  if (!g_file_set_contents (path, text->str, text->len, error))
    return FALSE;
  if (second_path != NULL
      && !g_file_set_contents (second_path, second->str, second->len, error))
    return FALSE;
  return TRUE;
}

static void
on_csv_response (GtkNativeDialog *dialog,
                 int              response,
                 CdAnalysisView  *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "cd-kind");
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      cd_run_bar_show_message (self->run_bar, _("Results can only be saved to a local file"));
      return;
    }
  if (cd_analysis_view_save_csv (self, name, path, &error))
    {
      g_autofree char *base = g_path_get_basename (path);
      /* Translators: %s is a file name */
      text = g_strdup_printf (_("Results saved as %s"), base);
      cd_run_bar_show_message (self->run_bar, text);
    }
  else
    cd_run_bar_show_message (self->run_bar, error->message);
}

static void
export_csv (CdAnalysisView *self,
            const char     *name)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *suggested = NULL;
  int kind = kind_from_name (name);
  GtkRoot *root;

  if (kind < 0)
    return;
  if (self->results[kind] == NULL)
    {
      cd_run_bar_show_message (self->run_bar,
                               _("There are no results to save yet: run the analysis first"));
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Results"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV table"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  suggested = g_strdup_printf ("%s.csv", kind_names[kind]);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), suggested);
  g_object_set_data (G_OBJECT (self->chooser), "cd-kind", (gpointer) kind_names[kind]);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_csv_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- Actions and the document ------------------------------------------------- */

static void
action_run (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  cd_analysis_view_run (CD_ANALYSIS_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
action_cancel (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  cd_analysis_view_cancel (CD_ANALYSIS_VIEW (widget));
}

static void
action_export_csv (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  export_csv (CD_ANALYSIS_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
rebuild_scenarios (CdAnalysisView *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->scenario_checks)) != NULL)
    gtk_box_remove (GTK_BOX (self->scenario_checks), child);
  if (model->scenarios->len == 0)
    {
      GtkWidget *label = gtk_label_new (_("This model has no scenarios."));
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (self->scenario_checks), label);
      return;
    }
  for (guint i = 0; i < model->scenarios->len; i++)
    {
      const CdScenario *sc = g_ptr_array_index (model->scenarios, i);
      GtkWidget *check = gtk_check_button_new_with_label (cd_localized_lookup (sc->names,
                                                                               sc->name));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_tooltip_text (check, sc->description && *sc->description
                                            ? sc->description
                                            : _("Compare this scenario with the base model"));
      g_object_set_data_full (G_OBJECT (check), "cd-scenario", g_strdup (sc->name), g_free);
      gtk_box_append (GTK_BOX (self->scenario_checks), check);
    }
}

/* The times whose parameters the equilibria and the sweep use lie in the run. */
static void
update_time_range (CdAnalysisView *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  GtkSpinButton *spins[] = { self->eq_at, self->sweep_at };

  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      GtkAdjustment *adj = gtk_spin_button_get_adjustment (spins[i]);

      gtk_adjustment_set_upper (adj, model->sim.t_end);
      if (gtk_adjustment_get_value (adj) > model->sim.t_end)
        gtk_adjustment_set_value (adj, model->sim.t_end);
    }
}

static void
on_document_changed (CdDocument     *document,
                     guint           flags,
                     CdAnalysisView *self)
{
  gboolean any = FALSE;

  if (flags == CD_CHANGE_POSITIONS)
    return;
  if (flags & (CD_CHANGE_REPLACED | CD_CHANGE_STRUCTURE))
    rebuild_scenarios (self);
  if (cd_document_get_model (document)->version != self->sweep_version)
    fill_sweep_params (self, cd_document_get_model (document)->version);
  update_time_range (self);
  if (flags & CD_CHANGE_REPLACED)
    {
      /* Another model: the old results would only mislead. */
      if (self->worker != NULL)
        cd_worker_cancel (self->worker);
      for (int k = 0; k < N_KINDS; k++)
        g_clear_pointer (&self->results[k], job_unref);
      g_list_store_remove_all (self->eq_store);
      g_list_store_remove_all (self->scenario_store);
      g_list_store_remove_all (self->metrics_store);
      for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
        cd_chart_view_set_ready (G_STRUCT_MEMBER (CdChartView *, self, charts[i].offset), FALSE);
      gtk_label_set_text (self->eq_summary, "");
      gtk_label_set_text (self->sweep_summary, "");
      gtk_label_set_text (self->sens_summary, "");
      gtk_label_set_text (self->mc_summary, "");
      gtk_label_set_text (self->scenario_summary, "");
      gtk_label_set_text (self->metrics_summary, "");
      cd_run_bar_set_status (self->run_bar, _("Choose an analysis on the left and run it."));
      return;
    }
  for (int k = 0; k < N_KINDS; k++)
    if (self->results[k] != NULL)
      {
        self->stale[k] = TRUE;
        any = TRUE;
      }
  if (any && self->running == NULL)
    cd_run_bar_set_status (self->run_bar,
                           _("The model has changed since these results: run again to update "
                             "them."));
}

/* The parameter chosen for a sweep, or CD_N_PARAMS. */
static CdParam
sweep_selected (CdAnalysisView *self)
{
  guint k = gtk_drop_down_get_selected (self->sweep_param);

  return k < self->sweep_n ? self->sweep_list[k] : CD_N_PARAMS;
}

static void
on_sweep_param (GtkDropDown    *dropdown,
                GParamSpec     *pspec,
                CdAnalysisView *self)
{
  CdParam p = sweep_selected (self);
  double lo, hi;

  if (p >= CD_N_PARAMS)
    return;
  lo = cd_param_lower (p);
  hi = cd_param_upper (p);
  /* A positive parameter never reaches 0. */
  if (cd_param_info (p)->bound == CD_BOUND_POSITIVE)
    lo = (hi - lo) / 1000.0;
  gtk_adjustment_configure (gtk_spin_button_get_adjustment (self->sweep_from), lo, lo,
                            cd_param_info (p)->bound == CD_BOUND_UNIT ? 1.0 : hi * 10,
                            0.05, 0.5, 0);
  gtk_adjustment_configure (gtk_spin_button_get_adjustment (self->sweep_to), hi, lo,
                            cd_param_info (p)->bound == CD_BOUND_UNIT ? 1.0 : hi * 10,
                            0.05, 0.5, 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (dropdown),
                               _(cd_param_description (p, self->sweep_version)));
}

/* Exactly the parameters of the model's version (docs/model.md, "Model 2"),
 * keeping the one selected where the new version has it. */
static void
fill_sweep_params (CdAnalysisView *self,
                   int             version)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  CdParam selected = sweep_selected (self);
  guint at = 0;

  self->sweep_version = version;
  self->sweep_n = cd_params_in_version (version, self->sweep_list);
  for (guint k = 0; k < self->sweep_n; k++)
    {
      g_autofree char *text = g_strdup_printf ("%s (%s)", param_label (self->sweep_list[k]),
                                               cd_param_info (self->sweep_list[k])->symbol);
      gtk_string_list_append (list, text);
      if (self->sweep_list[k] == selected)
        at = k;
    }
  gtk_drop_down_set_model (self->sweep_param, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->sweep_param, at);
}

static void
setup_sweep_params (CdAnalysisView *self)
{
  fill_sweep_params (self, CD_MODEL_VERSION_MIN);
  g_signal_connect (self->sweep_param, "notify::selected", G_CALLBACK (on_sweep_param), self);
  /* Gravity from trust is the feedback that makes tipping points: a good first sweep. */
  gtk_drop_down_set_selected (self->sweep_param, 1);   /* gravity.trust, in every version */
  on_sweep_param (self->sweep_param, NULL, self);
}

static void
setup_tables (CdAnalysisView *self)
{
  const CdColumnSpec eq_columns[] = {
    { _("#"), CD_COLUMN_INTEGER, 0, FALSE },
    { _("Stability"), CD_COLUMN_TEXT, 0, TRUE },
    { _("Max. real eigenvalue"), CD_COLUMN_NUMBER, 4, FALSE },
    { _("Mean coordination x̄"), CD_COLUMN_NUMBER, 3, FALSE },
  };
  const CdColumnSpec scenario_columns[] = {
    { _("Scenario"), CD_COLUMN_TEXT, 0, TRUE },
    { _("Final x̄"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Peak x̄"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Time to x̄ = 0.5"), CD_COLUMN_NUMBER, 1, FALSE },
    { _("Total loss"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Δ final x̄"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Δ peak x̄"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Δ time to 0.5"), CD_COLUMN_NUMBER, 1, FALSE },
    { _("Δ total loss"), CD_COLUMN_NUMBER, 3, FALSE },
  };
  const char *levels[CD_N_LEVELS + 1] = { NULL };
  /* the words cd_analysis_view_show_metrics puts in the Role column */
  const char *roles[] = { _("broker"), _("isolated"), NULL };
  const CdColumnSpec metrics_columns[] = {
    { _("Government"), CD_COLUMN_TEXT, 0, TRUE },
    { _("Level"), CD_COLUMN_TEXT, 0, FALSE, levels },
    /* third, not last: the finding of the table, and at 1280×720 the nine
     * columns are wider than the pane, so the last one scrolled away */
    { _("Role"), CD_COLUMN_TEXT, 0, FALSE, roles },
    { _("Partners"), CD_COLUMN_INTEGER, 0, FALSE },
    { _("Superiors"), CD_COLUMN_INTEGER, 0, FALSE },
    { _("Subordinates"), CD_COLUMN_INTEGER, 0, FALSE },
    { _("Betweenness"), CD_COLUMN_NUMBER, 2, FALSE },
    { _("Betweenness (0–1)"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Eigenvector centrality"), CD_COLUMN_NUMBER, 3, FALSE },
  };

  for (guint l = 0; l < CD_N_LEVELS; l++)
    levels[l] = cd_level_label ((CdLevel) l);

  self->eq_store = cd_result_table_setup (self->eq_table, eq_columns, G_N_ELEMENTS (eq_columns));
  g_signal_connect (gtk_column_view_get_model (self->eq_table), "selection-changed",
                    G_CALLBACK (cd_analysis_view_on_eq_selected), self);
  self->scenario_store = cd_result_table_setup (self->scenario_table, scenario_columns,
                                                G_N_ELEMENTS (scenario_columns));
  self->metrics_store = cd_result_table_setup (self->metrics_table, metrics_columns,
                                               G_N_ELEMENTS (metrics_columns));
}

/* The mean and loss charts of one analysis share a draw function; each
 * owns the ChartData that says which of the two it is. */
static void
set_pair_draw_func (CdAnalysisView   *self,
                    CdChartView      *mean,
                    CdChartView      *loss,
                    CdChartDrawFunc   draw)
{
  for (int k = 0; k < 2; k++)
    {
      ChartData *d = g_new0 (ChartData, 1);

      d->self = self;
      d->loss = k == 1;
      cd_chart_view_set_draw_func (k ? loss : mean, draw, d, g_free);
    }
}

static void
setup_charts (CdAnalysisView *self)
{
  cd_chart_view_set_draw_func (self->eq_chart, cd_analysis_view_draw_equilibrium, self, NULL);
  cd_chart_view_set_file_stem (self->eq_chart, "equilibrium");
  cd_chart_view_set_placeholder (self->eq_chart,
                                 _("Find the equilibria, then select one to see each "
                                   "government's coordination there."));
  cd_chart_view_set_draw_func (self->sweep_chart, cd_analysis_view_draw_sweep, self, NULL);
  cd_chart_view_set_file_stem (self->sweep_chart, "bifurcation");
  cd_chart_view_set_draw_func (self->scenario_chart, cd_analysis_view_draw_scenarios, self, NULL);
  cd_chart_view_set_file_stem (self->scenario_chart, "scenarios");

  set_pair_draw_func (self, self->tornado_mean, self->tornado_loss, cd_analysis_view_draw_tornado);
  set_pair_draw_func (self, self->sobol_mean, self->sobol_loss, cd_analysis_view_draw_sobol);
  set_pair_draw_func (self, self->fan_mean, self->fan_loss, cd_analysis_view_draw_fan);
  cd_chart_view_set_file_stem (self->tornado_mean, "tornado-coordination");
  cd_chart_view_set_file_stem (self->tornado_loss, "tornado-loss");
  cd_chart_view_set_file_stem (self->sobol_mean, "sobol-coordination");
  cd_chart_view_set_file_stem (self->sobol_loss, "sobol-loss");
  cd_chart_view_set_file_stem (self->fan_mean, "montecarlo-coordination");
  cd_chart_view_set_file_stem (self->fan_loss, "montecarlo-loss");
}

/* ---- Object ----------------------------------------------------------------- */

static void
cd_analysis_view_dispose (GObject *object)
{
  CdAnalysisView *self = CD_ANALYSIS_VIEW (object);

  self->disposed = TRUE;
  drop_running (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_ANALYSIS_VIEW);
  for (int k = 0; k < N_KINDS; k++)
    g_clear_pointer (&self->results[k], job_unref);
  g_clear_object (&self->eq_store);
  g_clear_object (&self->scenario_store);
  g_clear_object (&self->metrics_store);
  G_OBJECT_CLASS (cd_analysis_view_parent_class)->dispose (object);
}

static void
cd_analysis_view_class_init (CdAnalysisViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_analysis_view_dispose;

  g_type_ensure (CD_TYPE_CHART_VIEW);
  g_type_ensure (CD_TYPE_RUN_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-analysis-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CdAnalysisView, name)
  BIND (pages);
  BIND (run_bar);
  BIND (eq_at);
  BIND (eq_table);
  BIND (eq_chart);
  BIND (eq_summary);
  BIND (sweep_param);
  BIND (sweep_from);
  BIND (sweep_to);
  BIND (sweep_steps);
  BIND (sweep_all);
  BIND (sweep_at);
  BIND (sweep_chart);
  BIND (sweep_summary);
  BIND (sens_delta);
  BIND (sens_sobol);
  BIND (sens_n);
  BIND (tornado_mean);
  BIND (tornado_loss);
  BIND (sobol_mean);
  BIND (sobol_loss);
  BIND (sens_summary);
  BIND (mc_runs);
  BIND (mc_seed);
  BIND (mc_threads);
  BIND (fan_mean);
  BIND (fan_loss);
  BIND (mc_summary);
  BIND (scenario_checks);
  BIND (scenario_chart);
  BIND (scenario_table);
  BIND (scenario_summary);
  BIND (metrics_table);
  BIND (metrics_summary);
#undef BIND

  gtk_widget_class_install_action (widget_class, "analysis.run", "s", action_run);
  gtk_widget_class_install_action (widget_class, "analysis.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "analysis.export-csv", "s", action_export_csv);
}

static void
cd_analysis_view_init (CdAnalysisView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Monte Carlo uses every core unless told otherwise. */
  gtk_spin_button_set_value (self->mc_threads, g_get_num_processors ());
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "analysis.cancel", FALSE);
  setup_sweep_params (self);
  setup_tables (self);
  setup_charts (self);
  g_signal_connect_swapped (self->pages, "notify::visible-child", G_CALLBACK (update_run_bar),
                            self);
}

GtkWidget *
cd_analysis_view_new (CdDocument *document)
{
  CdAnalysisView *self;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);
  self = g_object_new (CD_TYPE_ANALYSIS_VIEW, NULL);
  self->document = g_object_ref (document);
  g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
  fill_sweep_params (self, cd_document_get_model (document)->version);
  rebuild_scenarios (self);
  update_time_range (self);
  /* Experiments have a page of their own, with their own worker. */
  gtk_stack_page_set_icon_name (gtk_stack_add_titled (self->pages,
                                                      cd_experiment_view_new (document),
                                                      "experiment", _("Experiments")),
                                "view-grid-symbolic");
  /* So has policy design (issue: the cheapest mix of levers). */
  gtk_stack_page_set_icon_name (gtk_stack_add_titled (self->pages,
                                                      cd_policy_view_new (document),
                                                      "policy", _("Policy Design")),
                                "emblem-money-symbolic");
  return GTK_WIDGET (self);
}

GtkWidget *
cd_analysis_view_show_experiments (CdAnalysisView *self)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), NULL);

  gtk_stack_set_visible_child_name (self->pages, "experiment");
  return gtk_stack_get_child_by_name (self->pages, "experiment");
}

GtkWidget *
cd_analysis_view_show_policy (CdAnalysisView *self)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), NULL);

  gtk_stack_set_visible_child_name (self->pages, "policy");
  return gtk_stack_get_child_by_name (self->pages, "policy");
}

/* ---- Test-only accessors ---------------------------------------------------- */

gboolean
cd_analysis_view_get_running (CdAnalysisView *self)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), FALSE);
  return self->running != NULL;
}

guint
cd_analysis_view_get_n_finished (CdAnalysisView *self)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), 0);
  return self->n_finished;
}

double
cd_analysis_view_get_progress (CdAnalysisView *self)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), -1.0);
  if (self->worker == NULL)
    return -1.0;
  return cd_worker_get_fraction (self->worker);
}

const char *
cd_analysis_view_get_status (CdAnalysisView *self)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), NULL);
  return cd_run_bar_get_status (self->run_bar);
}

guint
cd_analysis_view_get_n_results (CdAnalysisView *self,
                                const char     *name)
{
  int kind = kind_from_name (name);
  Job *job;

  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), 0);
  job = kind >= 0 ? self->results[kind] : NULL;
  if (job == NULL)
    return 0;
  switch ((Kind) kind)
    {
    case KIND_EQUILIBRIA:
      return job->eqs->equilibria->len;
    case KIND_SWEEP:
      return job->sweep->points->len;
    case KIND_SENSITIVITY:
      return job->tornado->bars->len;
    case KIND_MONTECARLO:
      return job->mc->n_rows;
    case KIND_SCENARIOS:
      return job->outcomes->len;
    case KIND_METRICS:
    default:
      return job->metrics->n_nodes;
    }
}

CdChartView *
cd_analysis_view_get_chart (CdAnalysisView *self,
                            const char     *name)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    if (g_strcmp0 (name, charts[i].name) == 0)
      return G_STRUCT_MEMBER (CdChartView *, self, charts[i].offset);
  return NULL;
}

GtkColumnView *
cd_analysis_view_get_table (CdAnalysisView *self,
                            const char     *name)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), NULL);
  if (g_strcmp0 (name, "equilibria") == 0)
    return self->eq_table;
  if (g_strcmp0 (name, "scenarios") == 0)
    return self->scenario_table;
  if (g_strcmp0 (name, "metrics") == 0)
    return self->metrics_table;
  return NULL;
}

GtkWidget *
cd_analysis_view_get_control (CdAnalysisView *self,
                              const char     *name)
{
  const struct { const char *name; gsize offset; } controls[] = {
    { "eq-at", G_STRUCT_OFFSET (CdAnalysisView, eq_at) },
    { "sweep-param", G_STRUCT_OFFSET (CdAnalysisView, sweep_param) },
    { "sweep-from", G_STRUCT_OFFSET (CdAnalysisView, sweep_from) },
    { "sweep-to", G_STRUCT_OFFSET (CdAnalysisView, sweep_to) },
    { "sweep-steps", G_STRUCT_OFFSET (CdAnalysisView, sweep_steps) },
    { "sweep-all", G_STRUCT_OFFSET (CdAnalysisView, sweep_all) },
    { "sweep-at", G_STRUCT_OFFSET (CdAnalysisView, sweep_at) },
    { "sens-delta", G_STRUCT_OFFSET (CdAnalysisView, sens_delta) },
    { "sens-sobol", G_STRUCT_OFFSET (CdAnalysisView, sens_sobol) },
    { "sens-n", G_STRUCT_OFFSET (CdAnalysisView, sens_n) },
    { "mc-runs", G_STRUCT_OFFSET (CdAnalysisView, mc_runs) },
    { "mc-seed", G_STRUCT_OFFSET (CdAnalysisView, mc_seed) },
    { "mc-threads", G_STRUCT_OFFSET (CdAnalysisView, mc_threads) },
  };

  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), NULL);
  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    if (g_strcmp0 (name, controls[i].name) == 0)
      return G_STRUCT_MEMBER (GtkWidget *, self, controls[i].offset);
  return NULL;
}
