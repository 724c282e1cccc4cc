/* cd-policy-view.c — the Policy design page (see cd-policy-view.h).
 *
 * A run copies the document's model on the main thread, reads the levers
 * from the grid (the engine checks them and names a bad one) and hands
 * both to a CdWorker, whose thread runs cd_optimize_run with the worker's
 * progress and cancellable.  The front comes back whole and the chart draws
 * it with the renderer coordyn-cli optimize --figure uses; the click's hit
 * test is the renderer's too, at the chart view's size and style, so a
 * click chooses exactly the point under it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cd-analysis-csv.h"
#include "cd-atomic-file.h"
#include "cd-pareto-chart.h"
#include "cd-policy-view.h"
#include "cd-render-glue.h"
#include "cd-run-bar.h"
#include "cd-worker.h"

/* Pixels a click may miss a point by and still choose it. */
#define HIT_RADIUS 12.0

typedef struct
{
  CdModel          *model;
  CdLever           levers[CD_OPTIMIZE_MAX_LEVERS];
  guint             n_levers;
  CdOptimizeOptions options;
  CdOptimize       *result;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->model, cd_model_free);
  g_clear_pointer (&job->result, cd_optimize_free);
  g_free (job);
}

struct _CdPolicyView
{
  AdwBin         parent_instance;

  CdDocument    *document;
  CdWorker      *worker;       /* the search running, or NULL */
  CdOptimize    *result;       /* the last one finished */
  CdParetoChart  chart_data;
  int            selected;     /* front row chosen, or −1 */
  gboolean       stale;        /* the model has changed since */
  guint          n_finished;
  gint64         started;
  double         seconds;
  GtkFileChooserNative *chooser;

  /* template children */
  GtkGrid       *lever_grid;
  GtkDropDown   *objective_choice;
  GtkDropDown   *scenario_choice;
  GtkCheckButton *target_check;
  GtkSpinButton *target_spin;
  GtkLabel      *mix_label;
  CdChartView   *chart;
  GtkLabel      *summary;
  CdRunBar      *run_bar;

  GtkDropDown   *lever_param[CD_POLICY_VIEW_ROWS];
  GtkSpinButton *lever_cost[CD_POLICY_VIEW_ROWS];
  GtkSpinButton *lever_max[CD_POLICY_VIEW_ROWS];

  /* the parameters of the open model's version, in the choices' order
   * (choice 0 is "none", choice k parameter params[k − 1]) */
  CdParam        params[CD_N_PARAMS];
  guint          n_params;
};

G_DEFINE_FINAL_TYPE (CdPolicyView, cd_policy_view, ADW_TYPE_BIN)

/* "Legal basis (μ_l)": the label, and the symbol of docs/model.md. */
static char *
param_title (CdParam param)
{
  return g_strdup_printf ("%s (%s)", _(cd_param_info (param)->label),
                          cd_param_info (param)->symbol);
}

/* ---- The levers ------------------------------------------------------------- */

static int
row_param (CdPolicyView *self,
           guint         row)
{
  guint k = gtk_drop_down_get_selected (self->lever_param[row]);

  return k >= 1 && k <= self->n_params ? (int) self->params[k - 1] : -1;
}

static guint
param_choice (CdPolicyView *self,
              int           param)
{
  for (guint k = 0; k < self->n_params; k++)
    if ((int) self->params[k] == param)
      return k + 1;
  return 0;
}

/* A row's Max spans its parameter's range and starts at its top; a row
 * without a parameter has nothing to set. */
static void
on_row_param (GtkDropDown  *dropdown,
              GParamSpec   *pspec,
              CdPolicyView *self)
{
  for (guint row = 0; row < CD_POLICY_VIEW_ROWS; row++)
    if (self->lever_param[row] == dropdown)
      {
        int p = row_param (self, row);

        gtk_widget_set_sensitive (GTK_WIDGET (self->lever_cost[row]), p >= 0);
        gtk_widget_set_sensitive (GTK_WIDGET (self->lever_max[row]), p >= 0);
        if (p >= 0)
          {
            gtk_spin_button_set_range (self->lever_max[row], cd_param_lower (p),
                                       cd_param_upper (p));
            gtk_spin_button_set_value (self->lever_max[row], cd_param_upper (p));
          }
      }
}

static GtkSpinButton *
lever_spin (double      lower,
            double      upper,
            double      value,
            const char *tooltip)
{
  GtkAdjustment *adj = gtk_adjustment_new (value, lower, upper, 0.05, 0.5, 0);
  GtkWidget *spin = gtk_spin_button_new (adj, 0, 2);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);
  gtk_widget_set_tooltip_text (spin, tooltip);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  return GTK_SPIN_BUTTON (spin);
}

/* The choices of parameter: those of the open model's version.  A row
 * keeps its parameter when the new version has it. */
static void
fill_param_choices (CdPolicyView *self)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  int version = cd_document_get_model (self->document)->version;
  int kept[CD_POLICY_VIEW_ROWS];

  for (guint row = 0; row < CD_POLICY_VIEW_ROWS; row++)
    kept[row] = self->n_params > 0 ? row_param (self, row) : -1;
  gtk_string_list_append (list, _("None"));
  self->n_params = 0;
  for (CdParam p = 0; cd_param_next_in_version (&p, version); p++)
    {
      g_autofree char *text = param_title (p);
      gtk_string_list_append (list, text);
      self->params[self->n_params++] = p;
    }
  for (guint row = 0; row < CD_POLICY_VIEW_ROWS; row++)
    {
      gtk_drop_down_set_model (self->lever_param[row], G_LIST_MODEL (list));
      gtk_drop_down_set_selected (self->lever_param[row], param_choice (self, kept[row]));
      on_row_param (self->lever_param[row], NULL, self);
    }
}

static void
setup_grid (CdPolicyView *self)
{
  const char *heads[] = { N_("Lever"), N_("Cost per unit"), N_("Max") };

  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    {
      GtkWidget *label = gtk_label_new (_(heads[c]));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (self->lever_grid, label, (int) c, 0, 1, 1);
    }
  for (guint row = 0; row < CD_POLICY_VIEW_ROWS; row++)
    {
      GtkWidget *dropdown = gtk_drop_down_new (NULL, NULL);

      gtk_widget_set_hexpand (dropdown, TRUE);
      gtk_widget_set_tooltip_text (dropdown, _("The parameter this lever sets"));
      self->lever_param[row] = GTK_DROP_DOWN (dropdown);
      self->lever_cost[row] = lever_spin (0, 1e6, 1,
                                          _("What one unit of the parameter's value costs"));
      self->lever_max[row] = lever_spin (0, 1, 1, _("The most the lever may be set to"));
      gtk_grid_attach (self->lever_grid, dropdown, 0, (int) row + 1, 1, 1);
      gtk_grid_attach (self->lever_grid, GTK_WIDGET (self->lever_cost[row]), 1, (int) row + 1,
                       1, 1);
      gtk_grid_attach (self->lever_grid, GTK_WIDGET (self->lever_max[row]), 2, (int) row + 1,
                       1, 1);
    }
  fill_param_choices (self);
  for (guint row = 0; row < CD_POLICY_VIEW_ROWS; row++)
    g_signal_connect (self->lever_param[row], "notify::selected", G_CALLBACK (on_row_param),
                      self);
}

void
cd_policy_view_set_lever (CdPolicyView *self,
                          guint         row,
                          int           param,
                          double        cost,
                          double        max)
{
  g_return_if_fail (CD_IS_POLICY_VIEW (self) && row < CD_POLICY_VIEW_ROWS);

  gtk_drop_down_set_selected (self->lever_param[row], param_choice (self, param));
  gtk_spin_button_set_value (self->lever_cost[row], cost);
  if (param >= 0 && !isnan (max))
    gtk_spin_button_set_value (self->lever_max[row], max);
}

void
cd_policy_view_set_objective (CdPolicyView *self,
                              guint         objective,
                              double        target)
{
  g_return_if_fail (CD_IS_POLICY_VIEW (self));

  gtk_drop_down_set_selected (self->objective_choice, objective);
  gtk_check_button_set_active (self->target_check, !isnan (target));
  if (!isnan (target))
    gtk_spin_button_set_value (self->target_spin, target);
}

/* The base the search starts from: the model itself (choice 0) or one of
 * its scenarios; the choice follows the scenario it named when the list
 * changes, else goes back to the model. */
static void
rebuild_scenarios (CdPolicyView *self)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  const CdModel *model = cd_document_get_model (self->document);
  GListModel *old = gtk_drop_down_get_model (self->scenario_choice);
  guint was = gtk_drop_down_get_selected (self->scenario_choice);
  g_autofree char *name = NULL;
  guint select = 0;

  if (old != NULL && was != GTK_INVALID_LIST_POSITION && was > 0)
    name = g_strdup (gtk_string_list_get_string (GTK_STRING_LIST (old), was));
  gtk_string_list_append (list, _("Base model"));
  for (guint i = 0; i < model->scenarios->len; i++)
    {
      const CdScenario *sc = g_ptr_array_index (model->scenarios, i);

      gtk_string_list_append (list, sc->name);
      if (name != NULL && g_strcmp0 (name, sc->name) == 0)
        select = i + 1;
    }
  gtk_drop_down_set_model (self->scenario_choice, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->scenario_choice, select);
}

void
cd_policy_view_set_scenario (CdPolicyView *self,
                             int           scenario)
{
  g_return_if_fail (CD_IS_POLICY_VIEW (self));
  gtk_drop_down_set_selected (self->scenario_choice, (guint) (scenario + 1));
}

/* ---- Running ---------------------------------------------------------------- */

static gboolean
run_thread (CdWorker     *worker,
            gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  Job *job = data;

  job->result = cd_optimize_run (job->model, job->levers, job->n_levers, &job->options,
                                 cd_worker_report_progress, worker, cancellable, error);
  return job->result != NULL;
}

/* The search worker runs (its progress shown), or none (NULL). */
static void
set_running (CdPolicyView *self,
             CdWorker     *worker)
{
  cd_run_bar_set_worker (self->run_bar, worker);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.cancel", worker != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.run", worker == NULL);
}

static void show_results (CdPolicyView *self);

static void
on_done (CdWorker     *worker,
         const GError *error,
         gpointer      user_data)
{
  CdPolicyView *self = user_data;

  self->n_finished++;
  if (worker != self->worker)
    return;
  set_running (self, NULL);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        cd_run_bar_set_status (self->run_bar,
                               _("Search cancelled; the front shown is the earlier one."));
      else
        {
          /* Translators: %s is the engine's reason */
          g_autofree char *text = g_strdup_printf (_("The search failed: %s"), error->message);
          cd_run_bar_show_message (self->run_bar, text);
        }
      g_clear_object (&self->worker);
      return;
    }
  {
    Job *job = cd_worker_get_data (worker);

    /* The worker frees its data with itself: take the front out of it. */
    g_clear_pointer (&self->result, cd_optimize_free);
    self->result = g_steal_pointer (&job->result);
  }
  g_clear_object (&self->worker);
  self->stale = FALSE;
  self->seconds = (g_get_monotonic_time () - self->started) / 1e6;
  show_results (self);
}

gboolean
cd_policy_view_run (CdPolicyView *self)
{
  g_autoptr (GError) error = NULL;
  Job *job;

  g_return_val_if_fail (CD_IS_POLICY_VIEW (self), FALSE);

  job = g_new0 (Job, 1);
  job->model = cd_model_copy (cd_document_get_model (self->document));
  job->options = (CdOptimizeOptions) CD_OPTIMIZE_OPTIONS_INIT;
  job->options.objective = gtk_drop_down_get_selected (self->objective_choice) == 1
                           ? CD_OPTIMIZE_COORDINATION : CD_OPTIMIZE_LOSS;
  {
    guint k = gtk_drop_down_get_selected (self->scenario_choice);

    job->options.scenario = k != GTK_INVALID_LIST_POSITION
                            && k <= job->model->scenarios->len ? (int) k - 1 : -1;
  }
  if (gtk_check_button_get_active (self->target_check))
    {
      job->options.has_target = TRUE;
      job->options.target = gtk_spin_button_get_value (self->target_spin);
    }
  for (guint row = 0; row < CD_POLICY_VIEW_ROWS; row++)
    {
      int p = row_param (self, row);
      double max = gtk_spin_button_get_value (self->lever_max[row]);

      if (p < 0)
        continue;
      /* the top of the range is the default the CLI takes without MAX */
      if (!cd_lever_init (&job->levers[job->n_levers], (CdParam) p,
                          gtk_spin_button_get_value (self->lever_cost[row]),
                          max >= cd_param_upper (p) ? NAN : max, job->model->version, &error))
        break;
      for (guint i = 0; i < job->n_levers; i++)
        if (job->levers[i].param == (CdParam) p)
          {
            /* Translators: %s is a parameter's name. */
            g_set_error (&error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                         _("%s is chosen for two levers; choose it once"),
                         _(cd_param_info (p)->label));
            break;
          }
      if (error != NULL)
        break;
      job->n_levers++;
    }
  if (error == NULL && job->n_levers == 0)
    g_set_error_literal (&error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                         _("Choose at least one lever"));
  if (error != NULL)
    {
      job_free (job);
      cd_run_bar_show_message (self->run_bar, error->message);
      return FALSE;
    }
  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
  g_clear_object (&self->worker);

  cd_run_bar_set_status (self->run_bar, _("Searching for the cheapest mixes…"));
  self->worker = cd_worker_new (run_thread, job, job_free);
  self->started = g_get_monotonic_time ();
  set_running (self, self->worker);
  cd_worker_start (self->worker, G_OBJECT (self), NULL, on_done, self);
  return TRUE;
}

void
cd_policy_view_cancel (CdPolicyView *self)
{
  g_return_if_fail (CD_IS_POLICY_VIEW (self));
  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
}

/* ---- Results ---------------------------------------------------------------- */

static void
draw_chart (cairo_t             *cr,
            int                  width,
            int                  height,
            const CdRenderStyle *style,
            gpointer             user_data)
{
  CdPolicyView *self = user_data;

  if (self->result == NULL)
    return;
  cd_render_pareto_chart (cr, width, height, &self->chart_data, style);
}

/* "Cost 1.2: total loss 3.4, final mean coordination 0.61; Legal basis
 * 0.8, …": a mix, in the user's language. */
static char *
mix_text (const CdOptimize *opt,
          const CdMix      *mix)
{
  g_autoptr (GString) text = g_string_new (NULL);

  /* Translators: a mix's cost and what a run of it gives. */
  g_string_append_printf (text, _("Cost %.4g: total loss %.4g, final mean coordination %.3f"),
                          mix->cost, mix->total_loss, mix->final_mean);
  for (guint i = 0; i < opt->n_levers; i++)
    {
      g_autofree char *title = param_title (opt->levers[i].param);
      g_string_append_printf (text, "\n%s = %.4g", title, mix->values[i]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_selection (CdPolicyView *self)
{
  gboolean chosen = self->result != NULL && self->selected >= 0;

  self->chart_data.selected = self->selected;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.apply", chosen);
  if (chosen)
    {
      g_autofree char *text = mix_text (self->result, &g_array_index (self->result->front, CdMix,
                                                                      self->selected));
      gtk_label_set_text (self->mix_label, text);
    }
  else
    gtk_label_set_text (self->mix_label, _("No mix chosen."));
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

void
cd_policy_view_select (CdPolicyView *self,
                       int           row)
{
  g_return_if_fail (CD_IS_POLICY_VIEW (self));
  g_return_if_fail (row >= -1 && (self->result == NULL || row < (int) self->result->front->len));

  self->selected = self->result != NULL ? row : -1;
  update_selection (self);
}

/* The row to choose first: the cheapest on the front that reaches the
 * target (the target's mix, or one as cheap that does better), else the
 * cheapest row. */
static int
first_choice (const CdOptimize *opt)
{
  if (opt->has_target && opt->target_reached)
    for (guint i = 0; i < opt->front->len; i++)
      if (g_array_index (opt->front, CdMix, i).final_mean >= opt->target)
        return (int) i;
  return opt->front->len > 0 ? 0 : -1;
}

static void
show_results (CdPolicyView *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *target = cd_optimize_target_text (self->result);

  cd_pareto_chart_init (&self->chart_data, self->result);
  self->chart_data.show_title = TRUE;
  cd_chart_view_set_ready (self->chart, TRUE);
  g_string_append_printf (text,
                          /* Translators: mixes on the front, runs made, seconds taken. */
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u mix on the front, from %u runs in %.1f s.",
                                       "%u mixes on the front, from %u runs in %.1f s.",
                                       self->result->front->len),
                          self->result->front->len, self->result->n_runs, self->seconds);
  if (target != NULL)
    g_string_append_printf (text, " %s", target);
  gtk_label_set_text (self->summary, text->str);
  cd_run_bar_set_status (self->run_bar, _("Click a point of the chart to read its mix."));
  self->selected = first_choice (self->result);
  update_selection (self);
}

static void
on_chart_click (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                CdPolicyView    *self)
{
  int row = cd_policy_view_hit (self, x, y);

  if (row >= 0)
    cd_policy_view_select (self, row);
}

int
cd_policy_view_hit (CdPolicyView *self,
                    double        x,
                    double        y)
{
  CdRenderStyle style;

  g_return_val_if_fail (CD_IS_POLICY_VIEW (self), -1);

  if (self->result == NULL || !cd_chart_view_get_ready (self->chart))
    return -1;
  /* the size and style the chart view draws with (cd-chart-view.c) */
  cd_widget_render_style (GTK_WIDGET (self->chart), &style);
  return cd_pareto_chart_hit (gtk_widget_get_width (GTK_WIDGET (self->chart)),
                              gtk_widget_get_height (GTK_WIDGET (self->chart)),
                              &self->chart_data, &style, x, y, HIT_RADIUS);
}

gboolean
cd_policy_view_apply (CdPolicyView *self)
{
  const CdModel *model;
  const CdMix *mix;
  CdParam params[CD_OPTIMIZE_MAX_LEVERS];
  g_autofree char *stem = NULL, *name = NULL, *text = NULL;
  g_autoptr (CdScenario) sc = NULL;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (CD_IS_POLICY_VIEW (self), FALSE);
  if (self->result == NULL || self->selected < 0)
    {
      cd_run_bar_show_message (self->run_bar, _("Choose a mix on the chart first"));
      return FALSE;
    }
  model = cd_document_get_model (self->document);
  mix = &g_array_index (self->result->front, CdMix, self->selected);
  for (guint i = 0; i < self->result->n_levers; i++)
    params[i] = self->result->levers[i].param;
  /* Translators: the name of the scenario made from a policy mix; %.4g is its cost. */
  stem = g_strdup_printf (_("Policy mix, cost %.4g"), mix->cost);
  name = cd_document_unique_scenario_name (self->document, stem);
  /* the scenario the search ran is gone if the model changed since: then
   * the mix stands on the model's own values, as the search's base did */
  sc = cd_scenario_with_values (model,
                                self->result->scenario < (int) model->scenarios->len
                                ? self->result->scenario : -1,
                                name, params, mix->values, self->result->n_levers);
  if (!cd_document_add_scenario (self->document, _("Apply Policy Mix as Scenario"), sc, &error))
    {
      cd_run_bar_show_message (self->run_bar, error->message);
      return FALSE;
    }
  /* Translators: %s is a scenario's name. */
  text = g_strdup_printf (_("Added the scenario “%s”"), name);
  cd_run_bar_show_message (self->run_bar, text);
  return TRUE;
}

gboolean
cd_policy_view_save_csv (CdPolicyView *self,
                         const char   *path,
                         GError      **error)
{
  g_autoptr (GString) text = g_string_new (NULL);

  g_return_val_if_fail (CD_IS_POLICY_VIEW (self) && path != NULL, FALSE);

  if (self->result == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("There is no front to save yet: find the cheapest mixes first"));
      return FALSE;
    }
  cd_analysis_csv_optimize (&(CdCsvSink) { NULL, text }, self->result);
  return cd_atomic_file_set_contents (path, text->str, text->len, error);
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     CdPolicyView    *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL, *base = NULL, *text = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      cd_run_bar_show_message (self->run_bar, _("Only local files can be used here"));
      return;
    }
  base = g_path_get_basename (path);
  if (!cd_policy_view_save_csv (self, path, &error))
    text = g_strdup_printf ("%s: %s", base, error->message);
  else
    /* Translators: %s is a file name */
    text = g_strdup_printf (_("Results saved as %s"), base);
  cd_run_bar_show_message (self->run_bar, text);
}

/* ---- Actions and the document ----------------------------------------------- */

static void
action_run (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  cd_policy_view_run (CD_POLICY_VIEW (widget));
}

static void
action_cancel (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  cd_policy_view_cancel (CD_POLICY_VIEW (widget));
}

static void
action_apply (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  cd_policy_view_apply (CD_POLICY_VIEW (widget));
}

static void
action_export_csv (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  CdPolicyView *self = CD_POLICY_VIEW (widget);
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->result == NULL)
    {
      cd_run_bar_show_message (self->run_bar,
                               _("There is no front to save yet: find the cheapest mixes first"));
      return;
    }
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
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "pareto.csv");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_document_changed (CdDocument   *document,
                     guint         flags,
                     CdPolicyView *self)
{
  if (flags == CD_CHANGE_POSITIONS)
    return;
  if (flags & (CD_CHANGE_REPLACED | CD_CHANGE_STRUCTURE))
    rebuild_scenarios (self);
  if (flags & CD_CHANGE_REPLACED)
    {
      /* another model: its front means nothing for this one */
      fill_param_choices (self);
      g_clear_pointer (&self->result, cd_optimize_free);
      self->selected = -1;
      cd_chart_view_set_ready (self->chart, FALSE);
      gtk_label_set_text (self->summary, "");
      update_selection (self);
      return;
    }
  if (self->result != NULL && !self->stale)
    {
      self->stale = TRUE;
      if (self->worker == NULL)
        cd_run_bar_set_status (self->run_bar, _("The model has changed since this front: run "
                                                "again to update it."));
    }
}

/* ---- Object ----------------------------------------------------------------- */

static void
cd_policy_view_dispose (GObject *object)
{
  CdPolicyView *self = CD_POLICY_VIEW (object);

  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_POLICY_VIEW);
  g_clear_pointer (&self->result, cd_optimize_free);
  G_OBJECT_CLASS (cd_policy_view_parent_class)->dispose (object);
}

static void
cd_policy_view_class_init (CdPolicyViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_policy_view_dispose;

  g_type_ensure (CD_TYPE_CHART_VIEW);
  g_type_ensure (CD_TYPE_RUN_BAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-policy-view.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CdPolicyView, name)
  BIND (lever_grid);
  BIND (objective_choice);
  BIND (scenario_choice);
  BIND (target_check);
  BIND (target_spin);
  BIND (mix_label);
  BIND (chart);
  BIND (summary);
  BIND (run_bar);
#undef BIND

  gtk_widget_class_install_action (widget_class, "policy.run", NULL, action_run);
  gtk_widget_class_install_action (widget_class, "policy.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "policy.apply", NULL, action_apply);
  gtk_widget_class_install_action (widget_class, "policy.export-csv", NULL, action_export_csv);
}

static void
cd_policy_view_init (CdPolicyView *self)
{
  g_autoptr (GtkStringList) objectives = gtk_string_list_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->selected = -1;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.cancel", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "policy.apply", FALSE);
  gtk_string_list_append (objectives, _("Total loss"));
  gtk_string_list_append (objectives, _("Final mean coordination"));
  gtk_drop_down_set_model (self->objective_choice, G_LIST_MODEL (objectives));
  gtk_label_set_text (self->mix_label, _("No mix chosen."));
  cd_chart_view_set_draw_func (self->chart, draw_chart, self, NULL);
  cd_chart_view_set_placeholder (self->chart,
                                 _("Find the cheapest mixes to see the front of cost against "
                                   "the objective."));
  cd_chart_view_set_file_stem (self->chart, "pareto");
  g_signal_connect (click, "released", G_CALLBACK (on_chart_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self->chart), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
cd_policy_view_new (CdDocument *document)
{
  CdPolicyView *self;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);
  self = g_object_new (CD_TYPE_POLICY_VIEW, NULL);
  self->document = g_object_ref (document);
  g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
  setup_grid (self);
  rebuild_scenarios (self);
  return GTK_WIDGET (self);
}

/* ---- Test-only accessors ---------------------------------------------------- */

gboolean
cd_policy_view_get_running (CdPolicyView *self)
{
  return self->worker != NULL;
}

guint
cd_policy_view_get_n_finished (CdPolicyView *self)
{
  return self->n_finished;
}

const CdOptimize *
cd_policy_view_get_result (CdPolicyView *self)
{
  return self->result;
}

int
cd_policy_view_get_selected (CdPolicyView *self)
{
  return self->selected;
}

const char *
cd_policy_view_get_status (CdPolicyView *self)
{
  return cd_run_bar_get_status (self->run_bar);
}

const char *
cd_policy_view_get_mix_text (CdPolicyView *self)
{
  return gtk_label_get_text (self->mix_label);
}

CdChartView *
cd_policy_view_get_chart (CdPolicyView *self)
{
  return self->chart;
}
