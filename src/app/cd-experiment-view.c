/* cd-experiment-view.c — the Experiments page (see cd-experiment-view.h).
 *
 * A run builds a CdExperiment on the main thread — from the grid, on a
 * copy of the document's model, or from the spec file again — and hands
 * it to a CdWorker, whose thread runs the engine's experiment with the
 * worker's progress and cancellable.  The outcomes come back whole; the
 * chart reads them through the run numbering of cd-experiment.h, so the
 * page keeps no second copy in another layout.
 *
 * This file includes the engine's analysis headers but not cd-plot.h
 * (both name a CdTornadoBar): the chart is drawn by cd-grid-chart.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-analysis-csv.h"
#include "cd-experiment-view.h"
#include "cd-grid-chart.h"
#include "cd-locale.h"
#include "cd-run-bar.h"
#include "cd-worker.h"

/* The chart shows at most this many panels; the CSV has every run. */
#define MAX_PANELS 12

typedef struct
{
  CdExperiment *exp;
  CdOutcome    *outcomes;   /* exp->n_runs */
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->exp, cd_experiment_free);
  g_free (job->outcomes);
  g_free (job);
}

struct _CdExperimentView
{
  AdwBin        parent_instance;

  CdDocument   *document;
  CdWorker     *worker;        /* the experiment running, or NULL */
  Job          *result;        /* the last one finished */
  gboolean      stale;         /* the model has changed since */
  double        seconds;       /* what it took */
  gint64        started;
  guint         n_finished;
  char         *spec_path;     /* a spec in use instead of the grid, or NULL */
  CdExperiment *spec;
  GtkFileChooserNative *chooser;

  /* template children */
  GtkLabel      *runs_label;
  GtkWidget     *vary_group;
  GtkGrid       *vary_grid;
  GtkWidget     *scenario_group;
  GtkWidget     *scenario_checks;
  GtkWidget     *spec_box;
  GtkLabel      *spec_label;
  GtkDropDown   *output_choice;
  GtkDropDown   *kind_choice;
  CdChartView   *chart;
  GtkLabel      *summary;
  CdRunBar      *run_bar;

  /* the parameters of the open model's version, in the choices' order
   * (choice 0 is "none", choice k parameter params[k − 1]) */
  CdParam        params[CD_N_PARAMS];
  guint          n_params;

  /* the grid's rows, built in code */
  GtkDropDown   *vary_param[CD_EXPERIMENT_VIEW_ROWS];
  GtkSpinButton *vary_from[CD_EXPERIMENT_VIEW_ROWS];
  GtkSpinButton *vary_to[CD_EXPERIMENT_VIEW_ROWS];
  GtkSpinButton *vary_steps[CD_EXPERIMENT_VIEW_ROWS];
};

G_DEFINE_FINAL_TYPE (CdExperimentView, cd_experiment_view, ADW_TYPE_BIN)

static const char *
param_label (CdParam param)
{
  return _(cd_param_info (param)->label);
}

/* "Legal basis (μ_l)": the label, and the symbol of docs/model.md. */
static char *
param_title (CdParam param)
{
  return g_strdup_printf ("%s (%s)", param_label (param), cd_param_info (param)->symbol);
}

static const char *
output_title (CdExperimentOutput output)
{
  switch (output)
    {
    case CD_EXPERIMENT_OUTPUT_FINAL_MEAN:
      return _("Final mean coordination");
    case CD_EXPERIMENT_OUTPUT_PEAK_MEAN:
      return _("Peak mean coordination");
    case CD_EXPERIMENT_OUTPUT_TIME_OF_PEAK:
      return _("Time of the peak");
    case CD_EXPERIMENT_OUTPUT_TIME_TO_HALF:
      return _("Time to reach 0.5");
    case CD_EXPERIMENT_OUTPUT_TOTAL_LOSS:
    case CD_N_EXPERIMENT_OUTPUTS:
    default:
      return _("Total loss");
    }
}

static const char *
scenario_title (const CdExperiment *exp,
                guint               s)
{
  int index = g_array_index (exp->scenarios, int, s);
  const CdScenario *sc;

  if (index < 0)
    return _("Base model");
  sc = g_ptr_array_index (exp->model->scenarios, index);
  return cd_localized_lookup (sc->names, sc->name);
}

/* Whether the runs differ by more than their values: scenarios or
 * institutional arrangements, which get a panel (and a name) each. */
static gboolean
has_variants (const CdExperiment *exp)
{
  return exp->scenarios->len > 1 || exp->has_scenarios || exp->has_institutions;
}

/* What a panel holds: variant v is arrangement v / scenarios, then the
 * scenario ("Japan: basic act and wide-area union, Base model"). */
static char *
variant_title (const CdExperiment *exp,
               guint               v)
{
  guint n_scenarios = exp->scenarios->len;
  const CdInstitution *inst;

  if (!exp->has_institutions)
    return g_strdup (scenario_title (exp, v));
  inst = g_ptr_array_index (exp->institutions, v / n_scenarios);
  {
    const char *parts[2] = { inst != NULL ? cd_institution_display_name (inst)
                                          : _("No arrangement"),
                             scenario_title (exp, v % n_scenarios) };

    return cd_locale_join_list (parts, exp->scenarios->len > 1 || exp->has_scenarios ? 2 : 1,
                                  FALSE);
  }
}

/* ---- The settings ----------------------------------------------------------- */

static int
row_param (CdExperimentView *self,
           guint             row)
{
  guint selected = gtk_drop_down_get_selected (self->vary_param[row]);

  /* Item 0 is "none". */
  return selected == 0 || selected > self->n_params ? -1 : (int) self->params[selected - 1];
}

/* The choice that names param (0, "none", for −1 or one this version lacks). */
static guint
param_choice (CdExperimentView *self,
              int               param)
{
  for (guint k = 0; k < self->n_params; k++)
    if ((int) self->params[k] == param)
      return k + 1;
  return 0;
}

static GArray *
ticked_scenarios (CdExperimentView *self)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (int));

  for (GtkWidget *child = gtk_widget_get_first_child (self->scenario_checks); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_CHECK_BUTTON (child) && gtk_check_button_get_active (GTK_CHECK_BUTTON (child)))
      {
        int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "cd-scenario")) - 2;
        g_array_append_val (out, index);
      }
  return out;
}

guint64
cd_experiment_view_get_n_planned (CdExperimentView *self)
{
  g_autoptr(GArray) scenarios = NULL;
  guint64 n;

  g_return_val_if_fail (CD_IS_EXPERIMENT_VIEW (self), 0);
  if (self->spec != NULL)
    return self->spec->n_runs;
  scenarios = ticked_scenarios (self);
  n = scenarios->len;
  for (guint row = 0; row < CD_EXPERIMENT_VIEW_ROWS; row++)
    if (row_param (self, row) >= 0)
      n *= (guint64) gtk_spin_button_get_value_as_int (self->vary_steps[row]) + 1;
  return n;
}

static void
update_runs_label (CdExperimentView *self)
{
  guint64 n = cd_experiment_view_get_n_planned (self);
  g_autofree char *text = NULL;

  if (n == 0)
    text = g_strdup (_("Tick a scenario to run"));
  else
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
      /* Translators: how many runs the experiment will make; %s is a number. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s run", "%s runs", n), number);
    }
  gtk_label_set_text (self->runs_label, text);
}

static void
on_setting_changed (CdExperimentView *self)
{
  update_runs_label (self);
}

/* The spins of a row over the parameter's range (a positive one from
 * 1/1000 of it, as elsewhere). */
static void
on_row_param (GtkDropDown      *dropdown,
              GParamSpec       *pspec,
              CdExperimentView *self)
{
  for (guint row = 0; row < CD_EXPERIMENT_VIEW_ROWS; row++)
    if (self->vary_param[row] == dropdown)
      {
        int p = row_param (self, row);
        double lo, hi, top;

        gtk_widget_set_sensitive (GTK_WIDGET (self->vary_from[row]), p >= 0);
        gtk_widget_set_sensitive (GTK_WIDGET (self->vary_to[row]), p >= 0);
        gtk_widget_set_sensitive (GTK_WIDGET (self->vary_steps[row]), p >= 0);
        gtk_widget_set_tooltip_text (GTK_WIDGET (dropdown),
                                     p >= 0 ? _(cd_param_info (p)->description)
                                            : _("Choose a parameter to vary"));
        if (p >= 0 && pspec != NULL)
          {
            lo = cd_param_lower (p);
            hi = cd_param_upper (p);
            if (cd_param_info (p)->bound == CD_BOUND_POSITIVE)
              lo = (hi - lo) / 1000.0;
            top = cd_param_info (p)->bound == CD_BOUND_UNIT ? 1.0 : hi * 10;
            gtk_adjustment_configure (gtk_spin_button_get_adjustment (self->vary_from[row]), lo,
                                      lo, top, 0.05, 0.5, 0);
            gtk_adjustment_configure (gtk_spin_button_get_adjustment (self->vary_to[row]), hi,
                                      lo, top, 0.05, 0.5, 0);
          }
      }
  update_runs_label (self);
}

static GtkSpinButton *
grid_spin (double      lower,
           double      upper,
           double      value,
           guint       digits,
           const char *tooltip)
{
  GtkAdjustment *adj = gtk_adjustment_new (value, lower, upper, digits ? 0.05 : 1,
                                           digits ? 0.5 : 5, 0);
  GtkWidget *spin = gtk_spin_button_new (adj, 0, digits);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), digits ? 5 : 3);
  gtk_widget_set_tooltip_text (spin, tooltip);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  return GTK_SPIN_BUTTON (spin);
}

/* The choices of parameter: those of the open model's version (model 2
 * splits fragmentation in two and adds command pressure).  A row keeps its
 * parameter when the new version has it. */
static void
fill_param_choices (CdExperimentView *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  int version = cd_document_get_model (self->document)->version;
  int kept[CD_EXPERIMENT_VIEW_ROWS];

  for (guint row = 0; row < CD_EXPERIMENT_VIEW_ROWS; row++)
    kept[row] = self->n_params > 0 ? row_param (self, row) : -1;
  gtk_string_list_append (list, _("None"));
  self->n_params = 0;
  for (CdParam p = 0; cd_param_next_in_version (&p, version); p++)
    {
      g_autofree char *text = param_title (p);
      gtk_string_list_append (list, text);
      self->params[self->n_params++] = p;
    }
  for (guint row = 0; row < CD_EXPERIMENT_VIEW_ROWS; row++)
    {
      gtk_drop_down_set_model (self->vary_param[row], G_LIST_MODEL (list));
      gtk_drop_down_set_selected (self->vary_param[row], param_choice (self, kept[row]));
    }
}

static void
setup_grid (CdExperimentView *self)
{
  const char *heads[] = { N_("From"), N_("To"), N_("Steps") };
  /* Law against compensation: two of the theory's mechanisms, a first study. */
  const int defaults[CD_EXPERIMENT_VIEW_ROWS] = {
    CD_PARAM_RESISTANCE_LAW, CD_PARAM_RESISTANCE_COMPENSATION, -1,
  };

  /* Each parameter on three lines: its choice, then From, To and Steps
   * under their names, so the page stays narrow and the chart wide. */
  for (guint row = 0; row < CD_EXPERIMENT_VIEW_ROWS; row++)
    {
      self->vary_param[row] = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));
      gtk_widget_set_hexpand (GTK_WIDGET (self->vary_param[row]), TRUE);
      if (row > 0)
        gtk_widget_set_margin_top (GTK_WIDGET (self->vary_param[row]), 10);
      self->vary_from[row] = grid_spin (0, 1, 0, 2, _("The first value of the parameter"));
      self->vary_to[row] = grid_spin (0, 1, 1, 2, _("The last value of the parameter"));
      self->vary_steps[row] = grid_spin (1, 1000, 5, 0,
                                         _("Equal steps from From to To: the parameter takes "
                                           "steps + 1 values"));
      gtk_grid_attach (self->vary_grid, GTK_WIDGET (self->vary_param[row]), 0, 3 * row, 3, 1);
      for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
        {
          GtkWidget *label = gtk_label_new (_(heads[c]));
          gtk_label_set_xalign (GTK_LABEL (label), 0);
          gtk_widget_add_css_class (label, "dim-label");
          gtk_widget_add_css_class (label, "caption");
          gtk_grid_attach (self->vary_grid, label, c, 3 * row + 1, 1, 1);
        }
      gtk_grid_attach (self->vary_grid, GTK_WIDGET (self->vary_from[row]), 0, 3 * row + 2, 1, 1);
      gtk_grid_attach (self->vary_grid, GTK_WIDGET (self->vary_to[row]), 1, 3 * row + 2, 1, 1);
      gtk_grid_attach (self->vary_grid, GTK_WIDGET (self->vary_steps[row]), 2, 3 * row + 2, 1, 1);
    }
  fill_param_choices (self);
  /* Every row exists before any handler, which counts the runs of all, runs. */
  for (guint row = 0; row < CD_EXPERIMENT_VIEW_ROWS; row++)
    {
      g_signal_connect (self->vary_param[row], "notify::selected", G_CALLBACK (on_row_param),
                        self);
      g_signal_connect_swapped (self->vary_steps[row], "value-changed",
                                G_CALLBACK (on_setting_changed), self);
      gtk_drop_down_set_selected (self->vary_param[row], param_choice (self, defaults[row]));
      on_row_param (self->vary_param[row], NULL, self);
    }
}

static void
rebuild_scenarios (CdExperimentView *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  GtkWidget *child, *base;

  while ((child = gtk_widget_get_first_child (self->scenario_checks)) != NULL)
    gtk_box_remove (GTK_BOX (self->scenario_checks), child);
  /* The data is the scenario's index + 2, so that 0 (no data) means nothing. */
  base = gtk_check_button_new_with_label (_("Base model"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (base), TRUE);
  gtk_widget_set_tooltip_text (base, _("The model as it is, without a scenario"));
  g_object_set_data (G_OBJECT (base), "cd-scenario", GINT_TO_POINTER (1));
  g_signal_connect_swapped (base, "toggled", G_CALLBACK (on_setting_changed), self);
  gtk_box_append (GTK_BOX (self->scenario_checks), base);
  for (guint i = 0; i < model->scenarios->len; i++)
    {
      const CdScenario *sc = g_ptr_array_index (model->scenarios, i);
      GtkWidget *check = gtk_check_button_new_with_label (cd_localized_lookup (sc->names,
                                                                               sc->name));
      gtk_widget_set_tooltip_text (check, sc->description && *sc->description
                                            ? sc->description
                                            : _("Run every combination under this scenario too"));
      g_object_set_data (G_OBJECT (check), "cd-scenario", GINT_TO_POINTER ((int) i + 2));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_setting_changed), self);
      gtk_box_append (GTK_BOX (self->scenario_checks), check);
    }
  update_runs_label (self);
}

void
cd_experiment_view_set_vary (CdExperimentView *self,
                             guint             row,
                             int               param,
                             double            from,
                             double            to,
                             guint             steps)
{
  g_return_if_fail (CD_IS_EXPERIMENT_VIEW (self) && row < CD_EXPERIMENT_VIEW_ROWS);
  g_return_if_fail (param >= -1 && param < CD_N_PARAMS);

  gtk_drop_down_set_selected (self->vary_param[row], param_choice (self, param));
  if (param >= 0)
    {
      gtk_spin_button_set_value (self->vary_from[row], from);
      gtk_spin_button_set_value (self->vary_to[row], to);
      gtk_spin_button_set_value (self->vary_steps[row], steps);
    }
  update_runs_label (self);
}

void
cd_experiment_view_set_scenario (CdExperimentView *self,
                                 int               index,
                                 gboolean          ticked)
{
  g_return_if_fail (CD_IS_EXPERIMENT_VIEW (self));

  for (GtkWidget *child = gtk_widget_get_first_child (self->scenario_checks); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "cd-scenario")) == index + 2)
      gtk_check_button_set_active (GTK_CHECK_BUTTON (child), ticked);
}

/* The model's path as a spec in spec_dir names it: relative below it,
 * else absolute. */
static char *
model_path_from (const char *spec_dir,
                 const char *model_path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (spec_dir);
  g_autoptr(GFile) model = g_file_new_for_path (model_path);
  char *relative = g_file_get_relative_path (dir, model);

  return relative != NULL ? relative : g_file_get_path (model);
}

/* The experiment the grid describes, on a copy of the open model. */
static CdExperiment *
grid_experiment (CdExperimentView *self,
                 const char       *model_path,
                 GError          **error)
{
  g_autoptr(CdExperiment) exp = cd_experiment_new (cd_document_get_model (self->document),
                                                   model_path);
  g_autoptr(GArray) scenarios = ticked_scenarios (self);
  gboolean any = FALSE;

  for (guint row = 0; row < CD_EXPERIMENT_VIEW_ROWS; row++)
    {
      int p = row_param (self, row);

      if (p < 0)
        continue;
      any = TRUE;
      if (!cd_experiment_add_grid (exp, p, gtk_spin_button_get_value (self->vary_from[row]),
                                   gtk_spin_button_get_value (self->vary_to[row]),
                                   (guint) gtk_spin_button_get_value_as_int (self->vary_steps[row]),
                                   error))
        return NULL;
    }
  if (!any)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Choose at least one parameter to vary."));
      return NULL;
    }
  if (scenarios->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Tick the base model or a scenario to run."));
      return NULL;
    }
  /* Only a real choice of scenarios goes into a spec. */
  if (scenarios->len > 1 || g_array_index (scenarios, int, 0) != -1)
    if (!cd_experiment_set_scenarios (exp, (const int *) scenarios->data, scenarios->len,
                                      error))
      return NULL;
  return g_steal_pointer (&exp);
}

/* ---- Running ------------------------------------------------------------------ */

static gboolean
collect (guint64          first,
         guint            n,
         const CdOutcome *outcomes,
         gpointer         user_data,
         GError         **error)
{
  Job *job = user_data;

  memcpy (job->outcomes + first, outcomes, n * sizeof (CdOutcome));
  return TRUE;
}

static gboolean
run_thread (CdWorker     *worker,
            gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  Job *job = data;

  job->outcomes = g_new0 (CdOutcome, MAX (job->exp->n_runs, 1));
  return cd_experiment_run (job->exp, 0, job->exp->n_runs, 0, collect, job,
                            cd_worker_report_progress, worker, cancellable, error);
}

/* The experiment's worker runs (its progress shown), or none (NULL). */
static void
set_running (CdExperimentView *self,
             CdWorker         *worker)
{
  cd_run_bar_set_worker (self->run_bar, worker);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "experiment.cancel", worker != NULL);
}

static void show_results (CdExperimentView *self);

static void
on_done (CdWorker     *worker,
         const GError *error,
         gpointer      user_data)
{
  CdExperimentView *self = user_data;
  gboolean current = worker == self->worker;

  self->n_finished++;
  if (!current)
    return;
  g_clear_object (&self->worker);
  set_running (self, NULL);
  if (error != NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cd_run_bar_set_status (self->run_bar,
                               _("Experiment cancelled; the results shown are the earlier ones."));
      else
        {
          /* Translators: %s is the engine's reason */
          text = g_strdup_printf (_("The experiment failed: %s"), error->message);
          cd_run_bar_show_message (self->run_bar, text);
        }
      return;
    }
  {
    Job *job = cd_worker_get_data (worker);
    Job *taken = g_new0 (Job, 1);

    /* The worker frees its data with itself: take the results out of it. */
    taken->exp = g_steal_pointer (&job->exp);
    taken->outcomes = g_steal_pointer (&job->outcomes);
    g_clear_pointer (&self->result, job_free);
    self->result = taken;
  }
  self->stale = FALSE;
  self->seconds = (g_get_monotonic_time () - self->started) / 1e6;
  show_results (self);
}

gboolean
cd_experiment_view_run (CdExperimentView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdExperiment) exp = NULL;
  Job *job;

  g_return_val_if_fail (CD_IS_EXPERIMENT_VIEW (self), FALSE);

  if (self->spec_path != NULL)
    exp = cd_experiment_load_file (self->spec_path, &error);
  else
    exp = grid_experiment (self, NULL, &error);
  if (exp == NULL)
    {
      cd_run_bar_show_message (self->run_bar, error->message);
      return FALSE;
    }
  if (exp->n_runs > CD_EXPERIMENT_VIEW_MAX_RUNS)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, exp->n_runs);
      g_autofree char *text = g_strdup_printf (
        /* Translators: %s is the study's runs, %u the most this page keeps. */
        _("%s runs are more than this page keeps (%u): export the spec and run it with "
          "coordyn-cli experiment, on a cluster if need be."),
        number, CD_EXPERIMENT_VIEW_MAX_RUNS);
      cd_run_bar_show_message (self->run_bar, text);
      return FALSE;
    }
  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
  g_clear_object (&self->worker);

  job = g_new0 (Job, 1);
  job->exp = g_steal_pointer (&exp);
  {
    g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, job->exp->n_runs);
    g_autofree char *text = g_strdup_printf (
      /* Translators: %s is a number of runs. */
      g_dngettext (GETTEXT_PACKAGE, "Running the experiment: %s run…",
                   "Running the experiment: %s runs…", job->exp->n_runs), number);
    cd_run_bar_set_status (self->run_bar, text);
  }
  self->worker = cd_worker_new (run_thread, job, job_free);
  self->started = g_get_monotonic_time ();
  set_running (self, self->worker);
  cd_worker_start (self->worker, G_OBJECT (self), NULL, on_done, self);
  return TRUE;
}

void
cd_experiment_view_cancel (CdExperimentView *self)
{
  g_return_if_fail (CD_IS_EXPERIMENT_VIEW (self));
  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
}

/* ---- Results ------------------------------------------------------------------ */

static CdExperimentOutput
chosen_output (CdExperimentView *self)
{
  guint k = gtk_drop_down_get_selected (self->output_choice);
  const CdExperiment *exp = self->result ? self->result->exp : NULL;

  if (exp == NULL || exp->outputs->len == 0)
    return CD_EXPERIMENT_OUTPUT_FINAL_MEAN;
  return g_array_index (exp->outputs, CdExperimentOutput, MIN (k, exp->outputs->len - 1));
}

/* The run of scenario s with level[k] of each varied parameter. */
static guint64
run_of (const CdExperiment *exp,
        guint               s,
        const guint        *level)
{
  guint64 r = s;

  for (guint k = 0; k < exp->vary->len; k++)
    r = r * ((CdExperimentVary *) g_ptr_array_index (exp->vary, k))->n_values + level[k];
  return r;
}

static void
draw_chart (cairo_t             *cr,
            int                  width,
            int                  height,
            const CdRenderStyle *style,
            gpointer             user_data)
{
  CdExperimentView *self = user_data;
  const Job *res = self->result;
  const CdExperiment *exp;
  const CdExperimentVary *vx, *vy = NULL;
  CdExperimentOutput output = chosen_output (self);
  gboolean heat = gtk_drop_down_get_selected (self->kind_choice) == 0;
  g_autofree char *x_title = NULL, *y_title = NULL, *note = NULL;
  g_autofree CdGridPanel *panels = NULL;
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autofree guint *level = NULL;
  static const double one = 0;
  guint n_y, n_panels, n_total = 1, n_rest;
  CdGridChart chart = { 0 };

  if (res == NULL || res->exp->vary->len == 0)
    {
      cd_render_grid_chart (cr, width, height, &chart, style);
      return;
    }
  exp = res->exp;
  vx = g_ptr_array_index (exp->vary, 0);
  if (exp->vary->len >= 2)
    vy = g_ptr_array_index (exp->vary, 1);
  if (vy == NULL)
    heat = FALSE;
  n_y = vy ? vy->n_values : 1;
  /* Panels: every arrangement and scenario, and every level of the parameters after the
   * second. */
  n_total = exp->scenarios->len * exp->institutions->len;
  for (guint k = 2; k < exp->vary->len; k++)
    n_total *= ((CdExperimentVary *) g_ptr_array_index (exp->vary, k))->n_values;
  n_panels = MIN (n_total, MAX_PANELS);
  panels = g_new0 (CdGridPanel, n_panels);
  level = g_new0 (guint, exp->vary->len);
  for (guint p = 0; p < n_panels; p++)
    {
      double *values = g_new (double, (gsize) vx->n_values * n_y);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      guint rest = p, s;

      /* p in the table's order: the scenario slowest, the last parameter fastest. */
      for (guint k = exp->vary->len; k-- > 2;)
        {
          const CdExperimentVary *v = g_ptr_array_index (exp->vary, k);
          level[k] = rest % v->n_values;
          rest /= v->n_values;
        }
      s = rest;
      if (has_variants (exp))
        g_ptr_array_add (parts, variant_title (exp, s));
      for (guint k = 2; k < exp->vary->len; k++)
        {
          const CdExperimentVary *v = g_ptr_array_index (exp->vary, k);
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          /* The symbol (t_i), not the label: a panel's title is short. */
          g_ptr_array_add (parts, g_strdup_printf ("%s = %s", cd_param_info (v->param)->symbol,
                                                   g_ascii_formatd (buf, sizeof buf, "%.4g",
                                                                    v->values[level[k]])));
        }
      for (guint j = 0; j < n_y; j++)
        for (guint i = 0; i < vx->n_values; i++)
          {
            double v;
            level[0] = i;
            if (vy != NULL)
              level[1] = j;
            if (!cd_experiment_output_value (output, &res->outcomes[run_of (exp, s, level)], &v))
              v = NAN;
            values[(gsize) j * vx->n_values + i] = v;
          }
      g_ptr_array_add (owned, values);
      panels[p].values = values;
      if (parts->len > 0)
        {
          char *t = cd_locale_join_list ((const char *const *) parts->pdata, parts->len,
                                           FALSE);
          g_ptr_array_add (owned, t);
          panels[p].title = t;
        }
    }
  n_rest = n_total - n_panels;
  x_title = param_title (vx->param);
  if (vy != NULL)
    y_title = param_title (vy->param);
  if (!heat && gtk_drop_down_get_selected (self->kind_choice) == 0)
    note = g_strdup (_("A heat map needs two varied parameters: these are lines."));
  else if (n_rest > 0)
    /* Translators: the first %u is the panels shown, the second how many there are. */
    note = g_strdup_printf (_("The first %u of %u panels; the CSV has every run."), n_panels,
                            n_total);
  chart.kind = heat ? CD_GRID_CHART_HEATMAP : CD_GRID_CHART_LINES;
  chart.title = output_title (output);
  chart.x_title = x_title;
  chart.x = vx->values;
  chart.n_x = vx->n_values;
  chart.y_title = y_title;
  chart.y = vy ? vy->values : &one;
  chart.n_y = n_y;
  chart.value_title = output_title (output);
  chart.panels = panels;
  chart.n_panels = n_panels;
  chart.note = note;
  cd_render_grid_chart (cr, width, height, &chart, style);
}

/* "Legal basis = 1, Benefit compensation = 0, Base model": a run's
 * combination, to read, with the list separator of the user's language. */
static char *
combination_text (const CdExperiment *exp,
                  guint64             run)
{
  g_autofree guint *level = g_new0 (guint, MAX (exp->vary->len, 1));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  guint s;

  cd_experiment_levels (exp, run, &s, level);
  for (guint k = 0; k < exp->vary->len; k++)
    {
      const CdExperimentVary *v = g_ptr_array_index (exp->vary, k);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_ptr_array_add (items, g_strdup_printf ("%s = %s", param_label (v->param),
                                               g_ascii_formatd (buf, sizeof buf, "%.4g",
                                                                v->values[level[k]])));
    }
  if (has_variants (exp))
    g_ptr_array_add (items, variant_title (exp, cd_experiment_institution (exp, run)
                                                * exp->scenarios->len + s));
  return cd_locale_join_list ((const char *const *) items->pdata, items->len, FALSE);
}

static void
update_summary (CdExperimentView *self)
{
  const Job *res = self->result;
  CdExperimentOutput output = chosen_output (self);
  guint64 best = G_MAXUINT64, worst = G_MAXUINT64;
  double hi = -G_MAXDOUBLE, lo = G_MAXDOUBLE;
  g_autofree char *best_text = NULL, *worst_text = NULL, *hi_text = NULL, *lo_text = NULL;
  g_autofree char *text = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (res == NULL)
    {
      gtk_label_set_text (self->summary, "");
      return;
    }
  for (guint64 r = 0; r < res->exp->n_runs; r++)
    {
      double v;
      if (!cd_experiment_output_value (output, &res->outcomes[r], &v))
        continue;
      if (v > hi)
        hi = v, best = r;
      if (v < lo)
        lo = v, worst = r;
    }
  if (best == G_MAXUINT64)
    {
      /* Translators: %s is an outcome, such as "Time to reach 0.5". */
      text = g_strdup_printf (_("%s: no run has a value (mean coordination never reaches 0.5)."),
                              output_title (output));
      gtk_label_set_text (self->summary, text);
      return;
    }
  best_text = combination_text (res->exp, best);
  worst_text = combination_text (res->exp, worst);
  hi_text = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", hi));
  lo_text = g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", lo));
  /* Translators: an outcome, then its highest value and where, its lowest and where. */
  text = g_strdup_printf (_("%s: highest %s at %s; lowest %s at %s."), output_title (output),
                          hi_text, best_text, lo_text, worst_text);
  gtk_label_set_text (self->summary, text);
}

static void
show_results (CdExperimentView *self)
{
  const CdExperiment *exp = self->result->exp;
  g_autoptr(GtkStringList) outputs = gtk_string_list_new (NULL);
  g_autofree char *text = NULL, *runs = NULL;
  guint keep = gtk_drop_down_get_selected (self->output_choice);

  for (guint k = 0; k < exp->outputs->len; k++)
    gtk_string_list_append (outputs,
                            output_title (g_array_index (exp->outputs, CdExperimentOutput, k)));
  gtk_drop_down_set_model (self->output_choice, G_LIST_MODEL (outputs));
  gtk_drop_down_set_selected (self->output_choice,
                              keep < exp->outputs->len ? keep : 0);
  cd_chart_view_set_ready (self->chart, exp->vary->len > 0);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
  update_summary (self);
  runs = g_strdup_printf ("%" G_GUINT64_FORMAT, exp->n_runs);
  /* Translators: %s is a number of runs, %.1f seconds. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Experiment done: %s run in %.1f s.",
                                       "Experiment done: %s runs in %.1f s.", exp->n_runs),
                          runs, self->seconds);
  cd_run_bar_set_status (self->run_bar, text);
}

static void
on_choice_changed (CdExperimentView *self)
{
  if (self->result == NULL)
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
  update_summary (self);
}

/* ---- Specs and CSV ------------------------------------------------------------ */

gboolean
cd_experiment_view_load_spec (CdExperimentView *self,
                              const char       *path,
                              GError          **error)
{
  g_autoptr(CdExperiment) spec = NULL;
  g_autofree char *base = NULL, *model = NULL, *runs = NULL, *text = NULL;

  g_return_val_if_fail (CD_IS_EXPERIMENT_VIEW (self), FALSE);

  if (path != NULL)
    {
      spec = cd_experiment_load_file (path, error);
      if (spec == NULL)
        return FALSE;
    }
  g_clear_pointer (&self->spec, cd_experiment_free);
  g_clear_pointer (&self->spec_path, g_free);
  gtk_widget_set_sensitive (self->vary_group, spec == NULL);
  gtk_widget_set_sensitive (self->scenario_group, spec == NULL);
  gtk_widget_set_visible (self->spec_box, spec != NULL);
  if (spec != NULL)
    {
      base = g_path_get_basename (path);
      model = g_path_get_basename (spec->model_path);
      runs = g_strdup_printf ("%" G_GUINT64_FORMAT, spec->n_runs);
      /* Translators: a spec file, its model file, its runs, its varied parameters and
       * scenarios. */
      text = g_strdup_printf (_("Running the spec %s: model %s, %s runs (%u parameters varied, "
                                "%u scenarios). The grid above is not used."),
                              base, model, runs, spec->vary->len, spec->scenarios->len);
      gtk_label_set_text (self->spec_label, text);
      self->spec_path = g_strdup (path);
      self->spec = g_steal_pointer (&spec);
    }
  update_runs_label (self);
  return TRUE;
}

gboolean
cd_experiment_view_save_spec (CdExperimentView *self,
                              const char       *path,
                              GError          **error)
{
  g_autofree char *dir = NULL, *model_path = NULL, *text = NULL;
  g_autoptr(CdExperiment) exp = NULL;

  g_return_val_if_fail (CD_IS_EXPERIMENT_VIEW (self) && path != NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (self->spec != NULL)
    {
      /* The model where the spec read it, named from the new folder. */
      g_autofree char *spec_dir = g_path_get_dirname (self->spec_path);
      g_autofree char *absolute = g_path_is_absolute (self->spec->model_path)
                                  ? g_strdup (self->spec->model_path)
                                  : g_build_filename (spec_dir, self->spec->model_path, NULL);
      g_autofree char *canonical = g_canonicalize_filename (absolute, NULL);

      model_path = model_path_from (dir, canonical);
      g_free (self->spec->model_path);
      self->spec->model_path = g_strdup (model_path);
      text = cd_experiment_to_json (self->spec);
      g_free (self->spec->model_path);
      self->spec->model_path = g_strdup (absolute);
    }
  else
    {
      GFile *file = cd_document_get_file (self->document);
      g_autofree char *model_file = file ? g_file_get_path (file) : NULL;

      if (model_file == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("Save the model first: a spec names the model file it runs."));
          return FALSE;
        }
      if (cd_document_get_dirty (self->document))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("Save the model first: the spec names its file, which does not "
                                 "have your latest changes yet."));
          return FALSE;
        }
      model_path = model_path_from (dir, model_file);
      exp = grid_experiment (self, model_path, error);
      if (exp == NULL)
        return FALSE;
      text = cd_experiment_to_json (exp);
    }
  return g_file_set_contents (path, text, -1, error);
}

gboolean
cd_experiment_view_save_csv (CdExperimentView *self,
                             const char       *path,
                             GError          **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  CdCsvSink sink = { NULL, text };

  g_return_val_if_fail (CD_IS_EXPERIMENT_VIEW (self) && path != NULL, FALSE);

  if (self->result == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There are no results to save yet: run the experiment first"));
      return FALSE;
    }
  cd_analysis_csv_experiment_header (&sink, self->result->exp);
  cd_analysis_csv_experiment_rows (&sink, self->result->exp, 0, (guint) self->result->exp->n_runs,
                                   self->result->outcomes);
  /* g_file_set_contents writes beside and renames: never a half file. */
  return g_file_set_contents (path, text->str, text->len, error);
}

typedef enum
{
  CHOOSE_OPEN_SPEC,
  CHOOSE_SAVE_SPEC,
  CHOOSE_SAVE_CSV,
} Choose;

static void
on_chooser_response (GtkNativeDialog  *dialog,
                     int               response,
                     CdExperimentView *self)
{
  Choose what = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "cd-choose"));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *base = NULL, *text = NULL;
  gboolean ok;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      cd_run_bar_show_message (self->run_bar, _("Only local files can be used here"));
      return;
    }
  base = g_path_get_basename (path);
  switch (what)
    {
    case CHOOSE_OPEN_SPEC:
      ok = cd_experiment_view_load_spec (self, path, &error);
      if (ok)
        /* Translators: %s is a file name */
        text = g_strdup_printf (_("Spec %s loaded: run it with Run Experiment."), base);
      break;
    case CHOOSE_SAVE_SPEC:
      ok = cd_experiment_view_save_spec (self, path, &error);
      if (ok)
        /* Translators: %s is a file name */
        text = g_strdup_printf (_("Spec saved as %s: coordyn-cli experiment %s runs it."), base,
                                base);
      break;
    case CHOOSE_SAVE_CSV:
    default:
      ok = cd_experiment_view_save_csv (self, path, &error);
      if (ok)
        /* Translators: %s is a file name */
        text = g_strdup_printf (_("Results saved as %s"), base);
      break;
    }
  if (!ok)
    {
      /* A spec's problems come one a line: the first says what is wrong. */
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", 2);
      g_autofree char *first = g_strdup_printf ("%s: %s", base, lines[0]);
      cd_run_bar_show_message (self->run_bar, first);
      return;
    }
  cd_run_bar_show_message (self->run_bar, text);
}

static void
choose_file (CdExperimentView *self,
             Choose            what)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean save = what != CHOOSE_OPEN_SPEC;
  const char *title = what == CHOOSE_OPEN_SPEC ? _("Open Experiment Spec")
                      : what == CHOOSE_SAVE_SPEC ? _("Export Experiment Spec")
                      : _("Export Results");

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (title,
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               save ? GTK_FILE_CHOOSER_ACTION_SAVE
                                                    : GTK_FILE_CHOOSER_ACTION_OPEN,
                                               save ? _("_Save") : _("_Open"), _("_Cancel"));
  if (what == CHOOSE_SAVE_CSV)
    {
      gtk_file_filter_set_name (filter, _("CSV table"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      gtk_file_filter_add_pattern (filter, "*.csv");
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "experiment.csv");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("Experiment spec (JSON)"));
      gtk_file_filter_add_mime_type (filter, "application/json");
      gtk_file_filter_add_pattern (filter, "*.json");
      if (save)
        gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "experiment.json");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_set_data (G_OBJECT (self->chooser), "cd-choose", GINT_TO_POINTER (what));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- Actions and the document ------------------------------------------------- */

static void
action_run (GtkWidget *widget, const char *name, GVariant *param)
{
  cd_experiment_view_run (CD_EXPERIMENT_VIEW (widget));
}

static void
action_cancel (GtkWidget *widget, const char *name, GVariant *param)
{
  cd_experiment_view_cancel (CD_EXPERIMENT_VIEW (widget));
}

static void
action_open_spec (GtkWidget *widget, const char *name, GVariant *param)
{
  choose_file (CD_EXPERIMENT_VIEW (widget), CHOOSE_OPEN_SPEC);
}

static void
action_export_spec (GtkWidget *widget, const char *name, GVariant *param)
{
  choose_file (CD_EXPERIMENT_VIEW (widget), CHOOSE_SAVE_SPEC);
}

static void
action_export_csv (GtkWidget *widget, const char *name, GVariant *param)
{
  CdExperimentView *self = CD_EXPERIMENT_VIEW (widget);

  if (self->result == NULL)
    {
      cd_run_bar_show_message (self->run_bar,
                               _("There are no results to save yet: run the experiment first"));
      return;
    }
  choose_file (self, CHOOSE_SAVE_CSV);
}

static void
action_clear_spec (GtkWidget *widget, const char *name, GVariant *param)
{
  cd_experiment_view_load_spec (CD_EXPERIMENT_VIEW (widget), NULL, NULL);
}

static void
on_document_changed (CdDocument       *document,
                     guint             flags,
                     CdExperimentView *self)
{
  if (flags == CD_CHANGE_POSITIONS)
    return;
  if (flags & (CD_CHANGE_REPLACED | CD_CHANGE_STRUCTURE))
    rebuild_scenarios (self);
  if (flags & CD_CHANGE_REPLACED)
    fill_param_choices (self);
  if (self->result != NULL && self->spec == NULL && !self->stale)
    {
      self->stale = TRUE;
      if (self->worker == NULL)
        cd_run_bar_set_status (self->run_bar,
                               _("The model has changed since these results: run again to update "
                                 "them."));
    }
}

/* ---- Object ------------------------------------------------------------------- */

static void
cd_experiment_view_dispose (GObject *object)
{
  CdExperimentView *self = CD_EXPERIMENT_VIEW (object);

  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_EXPERIMENT_VIEW);
  g_clear_pointer (&self->result, job_free);
  g_clear_pointer (&self->spec, cd_experiment_free);
  g_clear_pointer (&self->spec_path, g_free);
  G_OBJECT_CLASS (cd_experiment_view_parent_class)->dispose (object);
}

static void
cd_experiment_view_class_init (CdExperimentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_experiment_view_dispose;

  g_type_ensure (CD_TYPE_CHART_VIEW);
  g_type_ensure (CD_TYPE_RUN_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-experiment-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CdExperimentView, name)
  BIND (runs_label);
  BIND (vary_group);
  BIND (vary_grid);
  BIND (scenario_group);
  BIND (scenario_checks);
  BIND (spec_box);
  BIND (spec_label);
  BIND (output_choice);
  BIND (kind_choice);
  BIND (chart);
  BIND (summary);
  BIND (run_bar);
#undef BIND

  gtk_widget_class_install_action (widget_class, "experiment.run", NULL, action_run);
  gtk_widget_class_install_action (widget_class, "experiment.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "experiment.open-spec", NULL, action_open_spec);
  gtk_widget_class_install_action (widget_class, "experiment.export-spec", NULL,
                                   action_export_spec);
  gtk_widget_class_install_action (widget_class, "experiment.export-csv", NULL,
                                   action_export_csv);
  gtk_widget_class_install_action (widget_class, "experiment.clear-spec", NULL,
                                   action_clear_spec);
}

static void
cd_experiment_view_init (CdExperimentView *self)
{
  g_autoptr(GtkStringList) outputs = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "experiment.cancel", FALSE);
  for (CdExperimentOutput o = 0; o < CD_N_EXPERIMENT_OUTPUTS; o++)
    if (o != CD_EXPERIMENT_OUTPUT_TIME_OF_PEAK)
      gtk_string_list_append (outputs, output_title (o));
  gtk_drop_down_set_model (self->output_choice, G_LIST_MODEL (outputs));
  g_signal_connect_swapped (self->output_choice, "notify::selected",
                            G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->kind_choice, "notify::selected",
                            G_CALLBACK (on_choice_changed), self);
  cd_chart_view_set_draw_func (self->chart, draw_chart, self, NULL);
  cd_chart_view_set_placeholder (self->chart,
                                 _("Run the experiment to see each combination's outcome."));
  cd_chart_view_set_file_stem (self->chart, "experiment");
}

GtkWidget *
cd_experiment_view_new (CdDocument *document)
{
  CdExperimentView *self;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);
  self = g_object_new (CD_TYPE_EXPERIMENT_VIEW, NULL);
  self->document = g_object_ref (document);
  g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
  setup_grid (self);
  rebuild_scenarios (self);
  return GTK_WIDGET (self);
}

/* ---- Test-only accessors ------------------------------------------------------ */

gboolean
cd_experiment_view_get_running (CdExperimentView *self)
{
  return self->worker != NULL;
}

guint
cd_experiment_view_get_n_finished (CdExperimentView *self)
{
  return self->n_finished;
}

guint64
cd_experiment_view_get_n_results (CdExperimentView *self)
{
  return self->result ? self->result->exp->n_runs : 0;
}

const char *
cd_experiment_view_get_status (CdExperimentView *self)
{
  return cd_run_bar_get_status (self->run_bar);
}

CdChartView *
cd_experiment_view_get_chart (CdExperimentView *self)
{
  return self->chart;
}

GtkDropDown *
cd_experiment_view_get_choice (CdExperimentView *self,
                               const char       *name)
{
  if (g_strcmp0 (name, "output") == 0)
    return self->output_choice;
  if (g_strcmp0 (name, "kind") == 0)
    return self->kind_choice;
  return NULL;
}
