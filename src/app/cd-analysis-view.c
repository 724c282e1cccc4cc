/* cd-analysis-view.c — the Analysis page (see cd-analysis-view.h).
 *
 * One job at a time: a request copies the model on the main thread and
 * hands the copy to a GTask worker, which calls the engine with a progress
 * callback and the job's GCancellable.  The worker writes progress into
 * the job (an atomic int) and a main-loop timer shows it, so the engine's
 * threads never touch a widget.  A finished job that has been superseded
 * is dropped; the newest one replaces that analysis's results.
 *
 * This file includes the engine's analysis headers but not the render
 * library's (both name a CdTornadoBar): charts go through
 * cd-analysis-charts.h, which takes plain arrays.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-analysis-charts.h"
#include "cd-analysis-csv.h"
#include "cd-analysis-view.h"
#include "cd-result-table.h"

typedef enum
{
  KIND_EQUILIBRIA,
  KIND_SWEEP,
  KIND_SENSITIVITY,
  KIND_MONTECARLO,
  KIND_SCENARIOS,
  KIND_METRICS,
  N_KINDS
} Kind;

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

/* A request and, once done, its results.  Reference counted (g_atomic_rc_box):
 * the task holds one reference, the view one while it runs and one while it
 * shows the results. */
typedef struct
{
  Kind      kind;
  guint     generation;
  CdModel  *model;             /* the copy the analysis ran on */
  gint      progress;          /* parts per million; −1: no progress reported (pulse) */
  double    stage_lo;          /* progress of multi-stage jobs: lo + span · fraction */
  double    stage_span;

  /* settings */
  double    at;
  CdParam   param;
  double    from, to;
  guint     steps;
  gboolean  all;
  double    delta;
  gboolean  sobol;
  guint     sobol_n;
  guint     runs;
  guint64   seed;
  guint     threads;
  GStrv     scenarios;         /* NULL: none ticked */

  /* results */
  CdEquilibria *eqs;
  CdSweep      *sweep;
  CdTornado    *tornado;
  CdSobol      *sobol_result;
  CdMonteCarlo *mc;
  GPtrArray    *outcomes;      /* of CdScenarioOutcome, base first */
  GPtrArray    *curve_names;   /* display names, parallel to outcomes */
  GPtrArray    *curves;        /* of CdTrajectory (mean coordination over time) */
  CdMetrics    *metrics;
} Job;

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
  g_clear_pointer (&job->curve_names, g_ptr_array_unref);
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

static void
job_set_stage (Job    *job,
               double  lo,
               double  span)
{
  job->stage_lo = lo;
  job->stage_span = span;
}

/* Called on the worker thread (or the engine's, as each analysis says). */
static void
on_job_progress (double   fraction,
                 gpointer user_data)
{
  Job *job = user_data;
  double f = isfinite (fraction) ? CLAMP (fraction, 0.0, 1.0) : 0.0;

  g_atomic_int_set (&job->progress, (gint) ((job->stage_lo + job->stage_span * f) * 1e6));
}

static gboolean
run_scenarios (Job          *job,
               GCancellable *cancellable,
               GError      **error)
{
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  guint n;

  job_set_stage (job, 0.0, 0.5);
  job->outcomes = cd_compare_scenarios (job->model, (const char * const *) job->scenarios,
                                        on_job_progress, job, cancellable, error);
  if (job->outcomes == NULL)
    return FALSE;
  /* The outcomes come from the engine, as the CLI's do; the curves are
   * the same runs kept whole for the chart. */
  n = job->outcomes->len;
  job->curves = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_trajectory_free);
  job->curve_names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      const CdScenarioOutcome *so = g_ptr_array_index (job->outcomes, i);
      g_autoptr (CdModel) applied = NULL;
      g_autoptr (CdSystem) system = NULL;
      CdTrajectory *traj;

      applied = cd_model_apply_scenario (job->model, so->index, error);
      if (applied == NULL)
        return FALSE;
      system = cd_system_new (applied, error);
      if (system == NULL)
        return FALSE;
      traj = cd_simulate_trajectory (system, &options, cancellable, error);
      if (traj == NULL)
        return FALSE;
      g_ptr_array_add (job->curves, traj);
      if (so->index < 0)
        g_ptr_array_add (job->curve_names, g_strdup (_("base model")));
      else
        {
          const CdScenario *sc = g_ptr_array_index (job->model->scenarios, so->index);
          g_ptr_array_add (job->curve_names, g_strdup (cd_localized_lookup (sc->names,
                                                                            sc->name)));
        }
      on_job_progress ((double) (i + 1) / n, job);
    }
  return TRUE;
}

static void
run_job (GTask        *task,
         gpointer      source_object,
         gpointer      task_data,
         GCancellable *cancellable)
{
  Job *job = task_data;
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
        options.bands = TRUE;
        job->mc = cd_montecarlo_run (job->model, NULL, &options, on_job_progress, job,
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
  /* An engine that notices the cancellation late still reports it as such. */
  if (ok && g_cancellable_is_cancelled (cancellable))
    {
      ok = FALSE;
      g_clear_error (&error);
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* ---- The view --------------------------------------------------------------- */

struct _CdAnalysisView
{
  AdwBin          parent_instance;

  CdDocument     *document;
  Job            *running;
  GCancellable   *cancellable;
  guint           progress_timer;
  guint           generation;
  guint           n_finished;
  gboolean        disposed;
  Job            *results[N_KINDS];
  gboolean        stale[N_KINDS];
  GListStore     *eq_store;
  GListStore     *scenario_store;
  GListStore     *metrics_store;
  GtkFileChooserNative *chooser;

  /* template children */
  GtkStack       *pages;
  GtkLabel       *status;
  GtkWidget      *progress;
  GtkWidget      *cancel_button;
  GtkSpinButton  *eq_at;
  GtkColumnView  *eq_table;
  CdChartView    *eq_chart;
  GtkLabel       *eq_summary;
  GtkDropDown    *sweep_param;
  GtkSpinButton  *sweep_from;
  GtkSpinButton  *sweep_to;
  GtkSpinButton  *sweep_steps;
  GtkCheckButton *sweep_all;
  GtkSpinButton  *sweep_at;
  CdChartView    *sweep_chart;
  GtkLabel       *sweep_summary;
  GtkSpinButton  *sens_delta;
  GtkCheckButton *sens_sobol;
  GtkSpinButton  *sens_n;
  CdChartView    *tornado_mean;
  CdChartView    *tornado_loss;
  CdChartView    *sobol_mean;
  CdChartView    *sobol_loss;
  GtkLabel       *sens_summary;
  GtkSpinButton  *mc_runs;
  GtkSpinButton  *mc_seed;
  GtkSpinButton  *mc_threads;
  CdChartView    *fan_mean;
  CdChartView    *fan_loss;
  GtkLabel       *mc_summary;
  GtkWidget      *scenario_checks;
  CdChartView    *scenario_chart;
  GtkColumnView  *scenario_table;
  GtkLabel       *scenario_summary;
  GtkColumnView  *metrics_table;
  GtkLabel       *metrics_summary;
};

G_DEFINE_FINAL_TYPE (CdAnalysisView, cd_analysis_view, ADW_TYPE_BIN)

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

static const char *
param_label (CdParam param)
{
  return _(cd_param_info (param)->label);
}

static void
set_status (CdAnalysisView *self,
            const char     *text)
{
  gtk_label_set_text (self->status, text);
}

static void
show_message (CdAnalysisView *self,
              const char     *text)
{
  set_status (self, text);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-message", "s", text);
}

static void
stop_progress (CdAnalysisView *self)
{
  g_clear_handle_id (&self->progress_timer, g_source_remove);
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "analysis.cancel", FALSE);
}

static gboolean
on_progress_timer (gpointer data)
{
  CdAnalysisView *self = data;
  gint ppm;

  if (self->running == NULL)
    {
      self->progress_timer = 0;
      return G_SOURCE_REMOVE;
    }
  ppm = g_atomic_int_get (&self->running->progress);
  if (ppm < 0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), ppm / 1e6);
  return G_SOURCE_CONTINUE;
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CdAnalysisView *self = CD_ANALYSIS_VIEW (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);
  gboolean current = job == self->running;

  if (self->disposed)
    return;
  if (current)
    {
      g_clear_pointer (&self->running, job_unref);
      g_clear_object (&self->cancellable);
      stop_progress (self);
    }
  self->n_finished++;
  /* A superseded job's answer, or its cancellation, is of no interest. */
  if (!current)
    return;
  if (!ok)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* Translators: %s is the analysis, e.g. "Sweep" */
        text = g_strdup_printf (_("%s cancelled."), kind_title (job->kind));
      else
        /* Translators: %s is the analysis, the second %s the engine's reason */
        text = g_strdup_printf (_("%s failed: %s"), kind_title (job->kind), error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, text);
      else
        show_message (self, text);
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
  job->progress = (kind == KIND_EQUILIBRIA || kind == KIND_METRICS) ? -1 : 0;
  switch (kind)
    {
    case KIND_EQUILIBRIA:
      job->at = spin_value (self->eq_at);
      break;
    case KIND_SWEEP:
      job->param = (CdParam) gtk_drop_down_get_selected (self->sweep_param);
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
          show_message (self, text);
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
      if (model->ranges->len == 0)
        {
          show_message (self, _("Monte Carlo: this model has no uncertainty ranges. Add a "
                                "\"ranges\" section to the model file to say which parameters "
                                "are uncertain and how."));
          job_unref (job);
          return NULL;
        }
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

gboolean
cd_analysis_view_run (CdAnalysisView *self,
                      const char     *name)
{
  g_autoptr (GTask) task = NULL;
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

  /* The newest request wins. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->running, job_unref);

  job->generation = ++self->generation;
  self->cancellable = g_cancellable_new ();
  self->running = job_ref (job);
  task = g_task_new (self, self->cancellable, on_job_done, NULL);
  g_task_set_source_tag (task, cd_analysis_view_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_unref);
  /* Results are delivered even when cancelled, so the view always learns
   * that the job has ended. */
  g_task_set_return_on_cancel (task, FALSE);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0);
  gtk_widget_set_visible (self->progress, TRUE);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "analysis.cancel", TRUE);
  if (self->progress_timer == 0)
    self->progress_timer = g_timeout_add (100, on_progress_timer, self);
  /* Translators: %s is the analysis, e.g. "Monte Carlo" */
  text = g_strdup_printf (_("%s: running…"), kind_title (kind));
  set_status (self, text);
  g_task_run_in_thread (task, run_job);
  return TRUE;
}

void
cd_analysis_view_cancel (CdAnalysisView *self)
{
  g_return_if_fail (CD_IS_ANALYSIS_VIEW (self));
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      set_status (self, _("Cancelling…"));
    }
}

/* ---- Results on screen ------------------------------------------------------ */

static void
set_summary (CdAnalysisView *self,
             GtkLabel       *label,
             Kind            kind,
             const char     *text)
{
  gtk_label_set_text (label, text);
  set_status (self, self->stale[kind]
                    ? _("The model has changed since these results: run again to update them.")
                    : _("Done."));
}

static const CdEquilibrium *
selected_equilibrium (CdAnalysisView *self)
{
  Job *job = self->results[KIND_EQUILIBRIA];
  int i = cd_result_table_get_selected (self->eq_table);

  if (job == NULL || i < 0 || (guint) i >= job->eqs->equilibria->len)
    return NULL;
  return g_ptr_array_index (job->eqs->equilibria, i);
}

static void
draw_eq (cairo_t             *cr,
         int                  width,
         int                  height,
         const CdRenderStyle *style,
         gpointer             user_data)
{
  CdAnalysisView *self = user_data;
  Job *job = self->results[KIND_EQUILIBRIA];
  const CdEquilibrium *eq = selected_equilibrium (self);
  const CdSystem *sys;
  g_autofree const char **labels = NULL;
  g_autofree char *title = NULL;
  int index = cd_result_table_get_selected (self->eq_table);

  if (job == NULL || eq == NULL)
    return;
  sys = job->eqs->system;
  /* A bar needs about 14 px to be told apart and labelled: beyond, how
   * many governments coordinate how much (a national model has 3,209). */
  if (sys->n_nodes * 14.0 > height)
    {
      /* Translators: the title of a histogram of the governments'
       * coordination at one equilibrium; %d is its number in the table,
       * %s says whether it is stable, %u is the number of governments */
      title = g_strdup_printf (_("Equilibrium %d (%s), %u governments"), index + 1,
                               eq->stable ? _("stable") : _("unstable"), sys->n_nodes);
      cd_analysis_draw_node_histogram (cr, width, height, title, eq->y, sys->n_nodes, style);
      return;
    }
  labels = g_new0 (const char *, sys->n_nodes + 1);
  for (guint i = 0; i < sys->n_nodes; i++)
    {
      int n = cd_model_find_node (job->model, sys->node_ids[i]);
      labels[i] = n >= 0 ? cd_node_display_name (g_ptr_array_index (job->model->nodes, n))
                         : sys->node_ids[i];
    }
  /* Translators: %d is the equilibrium's number in the table; the second
   * %s says whether it is stable */
  title = g_strdup_printf (_("Equilibrium %d (%s): coordination of each government"), index + 1,
                           eq->stable ? _("stable") : _("unstable"));
  cd_analysis_draw_node_bars (cr, width, height, title, labels, eq->y, sys->n_nodes, style);
}

static void
on_eq_selected (GtkSelectionModel *model,
                guint              position,
                guint              n_items,
                CdAnalysisView    *self)
{
  cd_chart_view_set_ready (self->eq_chart, selected_equilibrium (self) != NULL);
}

static void
show_equilibria (CdAnalysisView *self,
                 Job            *job)
{
  GPtrArray *eqs = job->eqs->equilibria;
  gboolean replicator = job->eqs->system->rule == CD_RULE_REPLICATOR;
  g_autoptr (GString) text = g_string_new (NULL);
  guint n_stable = 0, first_stable = G_MAXUINT;
  GtkSelectionModel *selection;

  g_list_store_remove_all (self->eq_store);
  for (guint k = 0; k < eqs->len; k++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (eqs, k);
      g_autoptr (CdTableRow) row = cd_table_row_new (k, 4);
      g_autofree char *stability = NULL;

      if (replicator && eq->corner)
        stability = g_strdup (eq->ess ? _("stable corner (evolutionarily stable)")
                                      : _("corner, not evolutionarily stable"));
      else
        stability = g_strdup (eq->stable ? _("stable") : _("unstable"));
      cd_table_row_set_number (row, 0, k + 1);
      cd_table_row_set_text (row, 1, stability);
      cd_table_row_set_number (row, 2, eq->max_real);
      cd_table_row_set_number (row, 3, eq->mean_coordination);
      if (eq->stable)
        {
          cd_table_row_set_style (row, "success");
          n_stable++;
          if (first_stable == G_MAXUINT)
            first_stable = k;
        }
      g_list_store_append (self->eq_store, row);
    }
  /* Translators: equilibria found; %g is the time whose parameters were used */
  g_string_append_printf (text, ngettext ("%u equilibrium with the parameters in force at "
                                          "t = %g, ", "%u equilibria with the parameters in "
                                          "force at t = %g, ", eqs->len), eqs->len, job->at);
  /* "1 of them stable" reads oddly of a single equilibrium. */
  if (eqs->len == 1)
    g_string_append (text, n_stable == 1 ? _("and it is stable.") : _("and it is unstable."));
  else
    g_string_append_printf (text, ngettext ("%u of them stable.", "%u of them stable.",
                                            n_stable), n_stable);
  if (n_stable > 1)
    g_string_append (text, _(" More than one stable state: where the network ends up depends "
                             "on where it starts, so history matters."));
  if (job->eqs->trust_held)
    g_string_append (text, _(" Trust has no dynamics here (trust gain and decay are 0), so it "
                             "is held at its initial values."));
  if (replicator && !job->eqs->corners_enumerated)
    g_string_append_printf (text, _(" More than %u free governments: corners were not "
                                    "enumerated."), CD_EQ_MAX_CORNER_NODES);
  g_string_append (text, _(" Select a row to see each government's coordination there."));
  set_summary (self, self->eq_summary, KIND_EQUILIBRIA, text->str);

  /* Show a stable one first: that is where the network can rest. */
  selection = gtk_column_view_get_model (self->eq_table);
  if (eqs->len > 0)
    {
      guint want = first_stable != G_MAXUINT ? first_stable : 0;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));
      for (guint p = 0; p < n; p++)
        {
          g_autoptr (CdTableRow) row = g_list_model_get_item (G_LIST_MODEL (selection), p);
          if (cd_table_row_get_index (row) == want)
            gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (selection), p);
        }
    }
  cd_chart_view_set_ready (self->eq_chart, selected_equilibrium (self) != NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self->eq_chart));
}

static void
draw_sweep (cairo_t             *cr,
            int                  width,
            int                  height,
            const CdRenderStyle *style,
            gpointer             user_data)
{
  CdAnalysisView *self = user_data;
  Job *job = self->results[KIND_SWEEP];
  g_autofree CdSweepChartPoint *points = NULL;
  g_autofree char *x_title = NULL;
  GArray *pts;

  if (job == NULL)
    return;
  pts = job->sweep->points;
  points = g_new0 (CdSweepChartPoint, pts->len + 1);
  for (guint i = 0; i < pts->len; i++)
    {
      const CdSweepPoint *p = &g_array_index (pts, CdSweepPoint, i);
      points[i].value = p->value;
      points[i].direction = p->direction == CD_SWEEP_UP     ? CD_SWEEP_CHART_UP
                            : p->direction == CD_SWEEP_DOWN ? CD_SWEEP_CHART_DOWN
                                                            : CD_SWEEP_CHART_ALL;
      points[i].mean = p->mean_coordination;
      points[i].stable = p->stable;
      points[i].tipping = p->tipping;
      points[i].branch = p->branch;
    }
  /* Translators: the sweep's x axis: the parameter's label and its symbol */
  x_title = g_strdup_printf (_("%s (%s)"), param_label (job->sweep->param),
                             cd_param_info (job->sweep->param)->symbol);
  cd_analysis_draw_sweep (cr, width, height, x_title, points, pts->len, style);
}

static void
show_sweep (CdAnalysisView *self,
            Job            *job)
{
  g_autoptr (GString) text = g_string_new (NULL);
  double up = 0, down = 0;
  gboolean has_up = cd_sweep_tipping_point (job->sweep, CD_SWEEP_UP, &up);
  gboolean has_down = cd_sweep_tipping_point (job->sweep, CD_SWEEP_DOWN, &down);
  const char *name = param_label (job->sweep->param);

  if (has_up && has_down && fabs (up - down) > 1e-12)
    /* Translators: the parameter's name, then where the state tips going up and
     * going down, then the width of the window between them */
    g_string_printf (text, _("Raising %s, the state tips at %.4g; lowering it again, it tips "
                             "back only at %.4g. Hysteresis: between the two both outcomes "
                             "are stable (a window %.4g wide), so where the network ends up "
                             "depends on where it came from."),
                     name, up, down, fabs (up - down));
  else if (has_up && has_down)
    g_string_printf (text, _("Raising or lowering %s, the state tips at %.4g both ways: no "
                             "hysteresis at this step size."), name, up);
  else if (has_up)
    g_string_printf (text, _("Raising %s, the state tips at %.4g; lowering it, it does not "
                             "tip back within the range."), name, up);
  else if (has_down)
    g_string_printf (text, _("Lowering %s, the state tips at %.4g; raising it, it did not "
                             "tip within the range."), name, down);
  else
    g_string_printf (text, _("No tipping point: the equilibrium moves smoothly with %s over "
                             "this range."), name);
  {
    /* The path followed from the initial state is not the whole story when
     * the search finds other stable states at the same values. */
    GArray *pts = job->sweep->points;
    gboolean other = FALSE;
    for (guint i = 0; i < pts->len && !other; i++)
      {
        const CdSweepPoint *a = &g_array_index (pts, CdSweepPoint, i);
        gboolean near = FALSE;
        if (a->direction != CD_SWEEP_ALL || !a->stable)
          continue;
        for (guint k = 0; k < pts->len && !near; k++)
          {
            const CdSweepPoint *b = &g_array_index (pts, CdSweepPoint, k);
            near = b->direction != CD_SWEEP_ALL && b->value == a->value
                   && fabs (b->mean_coordination - a->mean_coordination) < 0.05;
          }
        other = !near;
      }
    if (other)
      g_string_append (text, _(" Other stable states exist along the way (solid lines off the "
                               "path followed): where the network settles depends on where it "
                               "starts."));
  }
  /* Translators: %g is the time whose parameter values the sweep held the
   * other parameters at */
  g_string_append_printf (text, _(" The other parameters as in force at t = %g, with no "
                                  "emergency active."), job->at);
  g_string_append (text, _(" Solid: stable equilibria; dashed: unstable ones; circles: where "
                           "the state tips."));
  set_summary (self, self->sweep_summary, KIND_SWEEP, text->str);
  cd_chart_view_set_ready (self->sweep_chart, TRUE);
}

typedef struct
{
  CdAnalysisView *self;
  gboolean        loss;
} ChartData;

static void
draw_tornado (cairo_t             *cr,
              int                  width,
              int                  height,
              const CdRenderStyle *style,
              gpointer             user_data)
{
  ChartData *data = user_data;
  Job *job = data->self->results[KIND_SENSITIVITY];
  g_autofree CdTornadoChartBar *bars = NULL;
  GArray *src;

  if (job == NULL)
    return;
  src = job->tornado->bars;
  bars = g_new0 (CdTornadoChartBar, src->len + 1);
  for (guint i = 0; i < src->len; i++)
    {
      const CdTornadoBar *b = &g_array_index (src, CdTornadoBar, i);
      bars[i].label = param_label (b->param);
      bars[i].low = data->loss ? b->out_low.total_loss : b->out_low.final_mean;
      bars[i].high = data->loss ? b->out_high.total_loss : b->out_high.final_mean;
    }
  cd_analysis_draw_tornado (cr, width, height,
                            data->loss ? _("Which lever moves the total loss")
                                       : _("Which lever moves final coordination"),
                            data->loss ? _("total loss at the end of the run")
                                       : _("final mean coordination x̄ (0–1)"),
                            bars, src->len,
                            data->loss ? job->tornado->base.total_loss
                                       : job->tornado->base.final_mean,
                            job->delta, style);
}

static void
draw_sobol (cairo_t             *cr,
            int                  width,
            int                  height,
            const CdRenderStyle *style,
            gpointer             user_data)
{
  ChartData *data = user_data;
  Job *job = data->self->results[KIND_SENSITIVITY];
  g_autofree const char **labels = NULL;
  g_autofree char *title = NULL;
  const CdSobol *s;

  if (job == NULL || job->sobol_result == NULL)
    return;
  s = job->sobol_result;
  labels = g_new0 (const char *, s->n_params + 1);
  for (guint i = 0; i < s->n_params; i++)
    labels[i] = param_label (s->ranges[i].param);
  /* Translators: %u is the Sobol design's base sample size N, the second
   * the number of simulations it took */
  title = g_strdup_printf (data->loss ? _("Sobol indices of total loss (N = %u, %u runs)")
                                      : _("Sobol indices of final coordination (N = %u, %u runs)"),
                           s->n_base, s->n_runs);
  cd_analysis_draw_sobol (cr, width, height, title, labels,
                          data->loss ? s->first_loss : s->first_mean,
                          data->loss ? s->total_loss : s->total_mean,
                          data->loss ? s->first_loss_conf : s->first_mean_conf,
                          data->loss ? s->total_loss_conf : s->total_mean_conf, s->n_params,
                          style);
}

static void
show_sensitivity (CdAnalysisView *self,
                  Job            *job)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const CdTornado *t = job->tornado;

  g_string_printf (text, _("Base run: final mean coordination %.3f, total loss %.3f. Each "
                           "parameter moved by ±%g %% of its range; the widest bar is the "
                           "strongest lever."), t->base.final_mean, t->base.total_loss,
                   round (job->delta * 1000) / 10);
  if (t->bars->len > 0)
    g_string_append_printf (text, _(" Strongest for coordination: %s."),
                            param_label (g_array_index (t->bars, CdTornadoBar, 0).param));
  if (job->sobol_result == NULL && job->sobol)
    g_string_append (text, _(" No Sobol indices."));
  else if (job->sobol_result != NULL && job->model->ranges->len == 0)
    g_string_append (text, _(" The model has no uncertainty ranges, so the Sobol indices "
                             "vary every parameter over the tornado's ±δ box."));
  if (job->sobol_result != NULL)
    {
      const CdSobol *s = job->sobol_result;
      double widest = 0;

      for (guint i = 0; i < s->n_params; i++)
        widest = MAX (widest, MAX (MAX (s->first_mean_conf[i], s->total_mean_conf[i]),
                                   MAX (s->first_loss_conf[i], s->total_loss_conf[i])));
      /* An index known to ±0.1 or worse cannot rank levers that differ by
       * less: say how rough the estimate is and what helps. */
      if (widest >= 0.1)
        g_string_append_printf (text, _(" The Sobol indices are rough at N = %u (95 %% "
                                        "intervals up to ±%.2f, the whiskers): a larger N "
                                        "narrows them."), s->n_base, widest);
    }
  set_summary (self, self->sens_summary, KIND_SENSITIVITY, text->str);
  cd_chart_view_set_ready (self->tornado_mean, TRUE);
  cd_chart_view_set_ready (self->tornado_loss, TRUE);
  cd_chart_view_set_placeholder (self->sobol_mean, _("Tick “Sobol indices” to compute them."));
  cd_chart_view_set_placeholder (self->sobol_loss, _("Tick “Sobol indices” to compute them."));
  cd_chart_view_set_ready (self->sobol_mean, job->sobol_result != NULL);
  cd_chart_view_set_ready (self->sobol_loss, job->sobol_result != NULL);
}

static void
draw_fan (cairo_t             *cr,
          int                  width,
          int                  height,
          const CdRenderStyle *style,
          gpointer             user_data)
{
  ChartData *data = user_data;
  Job *job = data->self->results[KIND_MONTECARLO];
  g_autofree char *title = NULL;
  const CdMonteCarlo *mc;

  if (job == NULL || job->mc->n_times == 0)
    return;
  mc = job->mc;
  /* Translators: %u is the number of Monte Carlo runs */
  title = g_strdup_printf (data->loss ? ngettext ("Cumulative loss over %u run",
                                                  "Cumulative loss over %u runs", mc->n_runs)
                                      : ngettext ("Mean coordination over %u run",
                                                  "Mean coordination over %u runs", mc->n_runs),
                           mc->n_runs);
  cd_analysis_draw_fan (cr, width, height, title,
                        data->loss ? _("cumulative loss") : _("mean coordination x̄ (0–1)"),
                        mc->t, data->loss ? mc->band_loss : mc->band_mean, mc->n_times,
                        !data->loss,
                        data->loss ? cd_palette_event (style) : cd_palette_series (0, style),
                        style);
}

static void
show_montecarlo (CdAnalysisView *self,
                 Job            *job)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const CdMonteCarlo *mc = job->mc;
  guint last = mc->n_times > 0 ? mc->n_times - 1 : 0;

  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, mc->seed);

  /* The seed is printed first: xgettext cannot read G_GUINT64_FORMAT in a msgid.
   * Translators: %u is the number of runs, %s the seed */
  g_string_printf (text, ngettext ("%u run, seed %s, sampling ", "%u runs, seed %s, sampling ",
                                   mc->n_runs), mc->n_runs, seed);
  {
    g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *list = NULL;

    for (guint i = 0; i < mc->ranges->len; i++)
      {
        const CdRange *r = &g_array_index (mc->ranges, CdRange, i);
        g_ptr_array_add (items, g_strdup_printf ("%s %s [%g, %g]", param_label (r->param),
                                                 r->dist == CD_DIST_UNIFORM ? _("uniform")
                                                                            : _("triangular"),
                                                 r->min, r->max));
      }
    list = cd_analysis_join_list ((const char * const *) items->pdata, items->len, TRUE);
    g_string_append (text, list);
  }
  g_string_append_c (text, '.');
  if (mc->n_times > 0)
    g_string_append_printf (text, _(" At the end: median mean coordination %.3f (90 %% of runs "
                                    "between %.3f and %.3f), median loss %.3f."),
                            mc->band_mean[(gsize) last * CD_MC_N_BANDS + 2],
                            mc->band_mean[(gsize) last * CD_MC_N_BANDS + 0],
                            mc->band_mean[(gsize) last * CD_MC_N_BANDS + 4],
                            mc->band_loss[(gsize) last * CD_MC_N_BANDS + 2]);
  set_summary (self, self->mc_summary, KIND_MONTECARLO, text->str);
  cd_chart_view_set_ready (self->fan_mean, mc->n_times > 0);
  cd_chart_view_set_ready (self->fan_loss, mc->n_times > 0);
}

static void
draw_scenarios (cairo_t             *cr,
                int                  width,
                int                  height,
                const CdRenderStyle *style,
                gpointer             user_data)
{
  CdAnalysisView *self = user_data;
  Job *job = self->results[KIND_SCENARIOS];
  g_autofree const double **t = NULL;
  g_autofree const double **y = NULL;
  g_autofree guint *n = NULL;
  guint k;

  if (job == NULL)
    return;
  k = job->curves->len;
  t = g_new0 (const double *, k + 1);
  y = g_new0 (const double *, k + 1);
  n = g_new0 (guint, k + 1);
  for (guint i = 0; i < k; i++)
    {
      const CdTrajectory *traj = g_ptr_array_index (job->curves, i);
      t[i] = traj->t;
      y[i] = traj->mean_coordination;
      n[i] = traj->n_samples;
    }
  cd_analysis_draw_curves (cr, width, height, _("Mean coordination by scenario"),
                           _("mean coordination x̄ (0–1)"),
                           (const char * const *) job->curve_names->pdata, t, y, n, k, style);
}

static void
show_scenarios (CdAnalysisView *self,
                Job            *job)
{
  const CdOutcome *base = &((CdScenarioOutcome *) g_ptr_array_index (job->outcomes, 0))->outcome;
  g_autoptr (GString) text = g_string_new (NULL);

  g_list_store_remove_all (self->scenario_store);
  for (guint i = 0; i < job->outcomes->len; i++)
    {
      const CdScenarioOutcome *so = g_ptr_array_index (job->outcomes, i);
      const CdOutcome *o = &so->outcome;
      g_autoptr (CdTableRow) row = cd_table_row_new (i, 9);

      cd_table_row_set_text (row, 0, g_ptr_array_index (job->curve_names, i));
      cd_table_row_set_number (row, 1, o->final_mean);
      cd_table_row_set_number (row, 2, o->peak_mean);
      cd_table_row_set_number (row, 3, o->reached_half ? o->time_to_half : NAN);
      cd_table_row_set_number (row, 4, o->total_loss);
      if (i > 0)
        {
          cd_table_row_set_number (row, 5, o->final_mean - base->final_mean);
          cd_table_row_set_number (row, 6, o->peak_mean - base->peak_mean);
          cd_table_row_set_number (row, 7, o->reached_half && base->reached_half
                                             ? o->time_to_half - base->time_to_half : NAN);
          cd_table_row_set_number (row, 8, o->total_loss - base->total_loss);
        }
      else
        cd_table_row_set_style (row, "heading");
      g_list_store_append (self->scenario_store, row);
    }
  if (job->outcomes->len == 1)
    g_string_append (text, job->model->scenarios->len == 0
                             ? _("This model has no scenarios: only the base run is shown.")
                             : _("No scenario ticked: only the base run is shown."));
  else
    g_string_append (text, _("Differences (Δ) are each scenario minus the base model; "
                             "“–” where mean coordination never reaches 0.5."));
  set_summary (self, self->scenario_summary, KIND_SCENARIOS, text->str);
  cd_chart_view_set_ready (self->scenario_chart, TRUE);
}

static void
show_metrics (CdAnalysisView *self,
              Job            *job)
{
  const CdMetrics *m = job->metrics;
  g_autoptr (GPtrArray) brokers = g_ptr_array_new ();
  g_autoptr (GPtrArray) isolated = g_ptr_array_new ();
  g_autofree char *broker_list = NULL;
  g_autofree char *isolated_list = NULL;
  g_autofree char *text = NULL;

  g_list_store_remove_all (self->metrics_store);
  for (guint i = 0; i < m->n_nodes && i < job->model->nodes->len; i++)
    {
      const CdNode *node = g_ptr_array_index (job->model->nodes, i);
      g_autoptr (CdTableRow) row = cd_table_row_new (i, 9);
      const char *name = cd_node_display_name (node);

      cd_table_row_set_text (row, 0, name);
      cd_table_row_set_text (row, 1, cd_level_label (node->level));
      cd_table_row_set_number (row, 2, m->degree[i]);
      cd_table_row_set_number (row, 3, m->n_superiors[i]);
      cd_table_row_set_number (row, 4, m->n_subordinates[i]);
      cd_table_row_set_number (row, 5, m->betweenness[i]);
      cd_table_row_set_number (row, 6, m->betweenness_normalized[i]);
      cd_table_row_set_number (row, 7, m->eigenvector[i]);
      if (m->broker[i])
        {
          cd_table_row_set_text (row, 8, _("broker"));
          cd_table_row_set_style (row, "accent");
          g_ptr_array_add (brokers, (gpointer) name);
        }
      else if (m->isolated[i])
        {
          cd_table_row_set_text (row, 8, _("isolated"));
          cd_table_row_set_style (row, "warning");
          g_ptr_array_add (isolated, (gpointer) name);
        }
      g_list_store_append (self->metrics_store, row);
    }
  broker_list = cd_analysis_join_list ((const char * const *) brokers->pdata, brokers->len, TRUE);
  isolated_list = cd_analysis_join_list ((const char * const *) isolated->pdata, isolated->len,
                                         TRUE);
  /* Translators: the two %s are lists of government names (or "none") */
  text = g_strdup_printf (_("Brokers (their departure would split the partnership network): "
                            "%s. Isolated (no partnership): %s. Click a column to sort."),
                          brokers->len ? broker_list : _("none"),
                          isolated->len ? isolated_list : _("none"));
  set_summary (self, self->metrics_summary, KIND_METRICS, text);
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
      show_equilibria (self, job);
      break;
    case KIND_SWEEP:
      show_sweep (self, job);
      break;
    case KIND_SENSITIVITY:
      show_sensitivity (self, job);
      break;
    case KIND_MONTECARLO:
      show_montecarlo (self, job);
      break;
    case KIND_SCENARIOS:
      show_scenarios (self, job);
      break;
    case KIND_METRICS:
      show_metrics (self, job);
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
      show_message (self, _("Results can only be saved to a local file"));
      return;
    }
  if (cd_analysis_view_save_csv (self, name, path, &error))
    {
      g_autofree char *base = g_path_get_basename (path);
      /* Translators: %s is a file name */
      text = g_strdup_printf (_("Results saved as %s"), base);
      show_message (self, text);
    }
  else
    show_message (self, error->message);
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
      show_message (self, _("There are no results to save yet: run the analysis first"));
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
  update_time_range (self);
  if (flags & CD_CHANGE_REPLACED)
    {
      /* Another model: the old results would only mislead. */
      if (self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
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
      set_status (self, _("Choose an analysis on the left and run it."));
      return;
    }
  for (int k = 0; k < N_KINDS; k++)
    if (self->results[k] != NULL)
      {
        self->stale[k] = TRUE;
        any = TRUE;
      }
  if (any && self->running == NULL)
    set_status (self, _("The model has changed since these results: run again to update "
                        "them."));
}

static void
on_sweep_param (GtkDropDown    *dropdown,
                GParamSpec     *pspec,
                CdAnalysisView *self)
{
  guint p = gtk_drop_down_get_selected (dropdown);
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
  gtk_widget_set_tooltip_text (GTK_WIDGET (dropdown), _(cd_param_info (p)->description));
}

static void
setup_sweep_params (CdAnalysisView *self)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);

  for (guint p = 0; p < CD_N_PARAMS; p++)
    {
      g_autofree char *text = g_strdup_printf ("%s (%s)", param_label (p),
                                               cd_param_info (p)->symbol);
      gtk_string_list_append (list, text);
    }
  gtk_drop_down_set_model (self->sweep_param, G_LIST_MODEL (list));
  g_signal_connect (self->sweep_param, "notify::selected", G_CALLBACK (on_sweep_param), self);
  /* Gravity from trust is the feedback that makes tipping points: a good first sweep. */
  gtk_drop_down_set_selected (self->sweep_param, CD_PARAM_GRAVITY_TRUST);
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
  const CdColumnSpec metrics_columns[] = {
    { _("Government"), CD_COLUMN_TEXT, 0, TRUE },
    { _("Level"), CD_COLUMN_TEXT, 0, FALSE },
    { _("Partners"), CD_COLUMN_INTEGER, 0, FALSE },
    { _("Superiors"), CD_COLUMN_INTEGER, 0, FALSE },
    { _("Subordinates"), CD_COLUMN_INTEGER, 0, FALSE },
    { _("Betweenness"), CD_COLUMN_NUMBER, 2, FALSE },
    { _("Betweenness (normalized)"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Eigenvector centrality"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Role"), CD_COLUMN_TEXT, 0, FALSE },
  };

  self->eq_store = cd_result_table_setup (self->eq_table, eq_columns, G_N_ELEMENTS (eq_columns));
  g_signal_connect (gtk_column_view_get_model (self->eq_table), "selection-changed",
                    G_CALLBACK (on_eq_selected), self);
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
  cd_chart_view_set_draw_func (self->eq_chart, draw_eq, self, NULL);
  cd_chart_view_set_file_stem (self->eq_chart, "equilibrium");
  cd_chart_view_set_placeholder (self->eq_chart,
                                 _("Find the equilibria, then select one to see each "
                                   "government's coordination there."));
  cd_chart_view_set_draw_func (self->sweep_chart, draw_sweep, self, NULL);
  cd_chart_view_set_file_stem (self->sweep_chart, "bifurcation");
  cd_chart_view_set_draw_func (self->scenario_chart, draw_scenarios, self, NULL);
  cd_chart_view_set_file_stem (self->scenario_chart, "scenarios");

  set_pair_draw_func (self, self->tornado_mean, self->tornado_loss, draw_tornado);
  set_pair_draw_func (self, self->sobol_mean, self->sobol_loss, draw_sobol);
  set_pair_draw_func (self, self->fan_mean, self->fan_loss, draw_fan);
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
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->running, job_unref);
  g_clear_handle_id (&self->progress_timer, g_source_remove);
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
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-analysis-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CdAnalysisView, name)
  BIND (pages);
  BIND (status);
  BIND (progress);
  BIND (cancel_button);
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
}

GtkWidget *
cd_analysis_view_new (CdDocument *document)
{
  CdAnalysisView *self;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);
  self = g_object_new (CD_TYPE_ANALYSIS_VIEW, NULL);
  self->document = g_object_ref (document);
  g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
  rebuild_scenarios (self);
  update_time_range (self);
  return GTK_WIDGET (self);
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
  gint ppm;

  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), -1.0);
  if (self->running == NULL)
    return -1.0;
  ppm = g_atomic_int_get (&self->running->progress);
  return ppm < 0 ? -1.0 : ppm / 1e6;
}

const char *
cd_analysis_view_get_status (CdAnalysisView *self)
{
  g_return_val_if_fail (CD_IS_ANALYSIS_VIEW (self), NULL);
  return gtk_label_get_text (self->status);
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
