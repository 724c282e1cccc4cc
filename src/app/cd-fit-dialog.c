/* cd-fit-dialog.c — Fit to Observed Data (see cd-fit-dialog.h).
 *
 * The fit runs in a CdWorker on a copy of the model, the observed file read
 * again in the thread; the dialog holds no model logic: cd_fit does the
 * fitting, cd_fit_to_scenario makes the scenario, the render library's
 * CdPlot draws the chart from plain arrays.  After the fit the worker also
 * runs the fitted model once, so the curves drawn are the model's own
 * samples, not lines joining the fitted values at the observed times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "cd-fit-dialog.h"
#include "cd-observed.h"
#include "cd-palette.h"
#include "cd-plot.h"
#include "cd-render-glue.h"
#include "cd-simulate.h"
#include "cd-system.h"
#include "cd-worker.h"

typedef struct
{
  CdModel      *model;       /* the copy the fit runs on */
  char         *path;
  CdParam       params[CD_N_PARAMS];
  guint         n_params;
  CdObserved   *observed;    /* read in the thread */
  CdFitResult  *result;
  CdTrajectory *curve;       /* the fitted model's run, trust kept */
} FitJob;

static void
fit_job_free (gpointer data)
{
  FitJob *job = data;

  g_clear_pointer (&job->model, cd_model_free);
  g_free (job->path);
  g_clear_pointer (&job->observed, cd_observed_free);
  g_clear_pointer (&job->result, cd_fit_result_free);
  g_clear_pointer (&job->curve, cd_trajectory_free);
  g_free (job);
}

struct _CdFitDialog
{
  AdwWindow     parent_instance;

  CdDocument   *document;
  char         *path;
  CdObserved   *observed;     /* what the chart shows before a fit */
  CdWorker     *worker;
  FitJob       *done;         /* the last finished fit */
  char         *status;

  GtkWidget    *file_label;
  GtkWidget    *checks[CD_N_PARAMS];
  GtkWidget    *run_button;
  GtkWidget    *cancel_button;
  GtkWidget    *progress;
  GtkWidget    *status_label;
  GtkWidget    *chart;
  GtkWidget    *table;
  GtkWidget    *notes;
  GtkWidget    *apply_button;
};

G_DEFINE_FINAL_TYPE (CdFitDialog, cd_fit_dialog, ADW_TYPE_WINDOW)

static void
set_status (CdFitDialog *self,
            const char  *text)
{
  g_free (self->status);
  self->status = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
}

/* ---- the chart -------------------------------------------------------------- */

static double
curve_value (const CdTrajectory     *tr,
             const CdObservedColumn *col,
             guint                   k)
{
  switch (col->kind)
    {
    case CD_OBSERVED_MEAN:  return tr->mean_coordination[k];
    case CD_OBSERVED_LOSS:  return tr->loss[k];
    case CD_OBSERVED_X:     return tr->x[(gsize) k * tr->n_nodes + col->index];
    case CD_OBSERVED_TRUST: return tr->trust[(gsize) k * tr->n_partnerships + col->index];
    default:                return NAN;
    }
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  CdFitDialog *self = data;
  const CdObserved *obs = self->done != NULL ? self->done->observed : self->observed;
  const CdTrajectory *tr = self->done != NULL ? self->done->curve : NULL;
  CdRenderStyle style;
  g_autoptr (CdPlot) plot = NULL;
  double lo = INFINITY, hi = -INFINITY, t_end = 1.0;

  cd_widget_render_style (GTK_WIDGET (area), &style);
  plot = cd_plot_new (cr, 0, 0, width, height, &style);
  if (obs == NULL)
    {
      cd_plot_set_title (plot, _("No observed data yet: open a CSV file or drop one here"));
      cd_plot_set_x_range (plot, 0, 1, TRUE);
      cd_plot_set_y_range (plot, 0, 1, TRUE);
      cd_plot_draw_axes (plot);
      return;
    }
  for (guint r = 0; r < obs->n_rows; r++)
    {
      t_end = MAX (t_end, obs->t[r]);
      for (guint c = 0; c < obs->n_columns; c++)
        {
          double v = obs->values[(gsize) r * obs->n_columns + c];
          if (isfinite (v))
            {
              lo = MIN (lo, v);
              hi = MAX (hi, v);
            }
        }
    }
  if (tr != NULL)
    {
      t_end = MAX (t_end, tr->t[tr->n_samples - 1]);
      for (guint c = 0; c < obs->n_columns; c++)
        for (guint k = 0; k < tr->n_samples; k++)
          {
            double v = curve_value (tr, &obs->columns[c], k);
            lo = MIN (lo, v);
            hi = MAX (hi, v);
          }
    }
  if (!(hi > lo))
    {
      lo = isfinite (lo) ? lo - 0.5 : 0.0;
      hi = lo + 1.0;
    }
  cd_plot_set_title (plot, tr != NULL ? _("Observed (points) and fitted (lines)")
                                      : _("Observed data"));
  cd_plot_set_x_title (plot, _("time"));
  cd_plot_set_x_range (plot, 0, t_end, TRUE);
  cd_plot_set_y_range (plot, MIN (lo, 0.0), hi, TRUE);
  for (guint c = 0; c < obs->n_columns; c++)
    cd_plot_add_legend (plot, obs->columns[c].name, cd_palette_series (c, &style),
                        tr != NULL ? CD_LEGEND_LINE : CD_LEGEND_POINT, CD_LINE_SOLID);
  cd_plot_set_legend_below (plot, TRUE);
  cd_plot_draw_axes (plot);
  for (guint c = 0; c < obs->n_columns; c++)
    {
      CdColor color = cd_palette_series (c, &style);
      g_autofree double *x = g_new (double, MAX (obs->n_rows, 1));
      g_autofree double *y = g_new (double, MAX (obs->n_rows, 1));
      guint n = 0;

      if (tr != NULL)
        {
          g_autofree double *v = g_new (double, tr->n_samples);
          for (guint k = 0; k < tr->n_samples; k++)
            v[k] = curve_value (tr, &obs->columns[c], k);
          cd_plot_line (plot, 0, tr->t, v, 1, tr->n_samples, color, 2.0, CD_LINE_SOLID);
        }
      for (guint r = 0; r < obs->n_rows; r++)
        {
          double v = obs->values[(gsize) r * obs->n_columns + c];
          if (isfinite (v))
            {
              x[n] = obs->t[r];
              y[n++] = v;
            }
        }
      cd_plot_points (plot, x, y, n, color, 3.0);
    }
  cd_plot_draw_legend (plot);
}

/* ---- the estimate table ---------------------------------------------------- */

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_grid_remove (GTK_GRID (box), child);
}

static GtkWidget *
cell (const char *text,
      gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), !header);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

static char *
number (double value)
{
  return isfinite (value) ? g_strdup_printf ("%.4g", value) : g_strdup ("–");
}

static void
show_result (CdFitDialog *self)
{
  const CdFitResult *res = self->done->result;
  const char *headers[] = { _("Parameter"), _("Estimate"), _("Std. error"),
                            _("Interval (95 %)"), _("Method") };
  GtkWidget *child;

  clear_box (self->table);
  for (guint h = 0; h < G_N_ELEMENTS (headers); h++)
    gtk_grid_attach (GTK_GRID (self->table), cell (headers[h], TRUE), h, 0, 1, 1);
  for (guint j = 0; j < res->n_params; j++)
    {
      const CdFitEstimate *e = &res->estimates[j];
      g_autofree char *est = number (e->estimate);
      g_autofree char *se = number (e->std_error);
      g_autofree char *a = number (e->ci_low);
      g_autofree char *b = number (e->ci_high);
      g_autofree char *ci = isfinite (e->ci_low) ? g_strdup_printf ("[%s, %s]", a, b)
                                                 : g_strdup (_("not determined"));

      gtk_grid_attach (GTK_GRID (self->table),
                       cell (_(cd_param_info (e->param)->label), FALSE), 0, j + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (self->table), cell (est, FALSE), 1, j + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (self->table), cell (se, FALSE), 2, j + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (self->table), cell (ci, FALSE), 3, j + 1, 1, 1);
      gtk_grid_attach (GTK_GRID (self->table),
                       cell (!e->identifiable ? "–"
                             : e->method == CD_FIT_INTERVALS_PROFILE
                               ? _("profile likelihood") : _("Wald"), FALSE),
                       4, j + 1, 1, 1);
    }

  while ((child = gtk_widget_get_first_child (self->notes)) != NULL)
    gtk_box_remove (GTK_BOX (self->notes), child);
  {
    g_autofree char *summary =
      g_strdup_printf (_("%u observations; residual RMS %.4g; %u of %u starts reached the best "
                         "fit"), res->n_observations, res->rms, res->n_best, res->n_starts);
    GtkWidget *label = gtk_label_new (summary);

    gtk_label_set_xalign (GTK_LABEL (label), 0.0);
    gtk_label_set_wrap (GTK_LABEL (label), TRUE);
    gtk_widget_add_css_class (label, "dim-label");
    gtk_box_append (GTK_BOX (self->notes), label);
  }
  for (guint w = 0; w < res->warnings->len; w++)
    {
      GtkWidget *label = gtk_label_new (g_ptr_array_index (res->warnings, w));

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "cd-mark-warning");
      gtk_box_append (GTK_BOX (self->notes), label);
    }
  gtk_widget_set_sensitive (self->apply_button, TRUE);
}

/* ---- running ----------------------------------------------------------------- */

static gboolean
fit_thread (CdWorker     *worker,
            gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  FitJob *job = data;
  CdFitOptions options = CD_FIT_OPTIONS_INIT;
  g_autoptr (CdModel) fitted = NULL;
  g_autoptr (CdSystem) sys = NULL;
  CdRunOptions run = CD_RUN_OPTIONS_INIT;

  job->observed = cd_observed_load_file (job->path, error);
  if (job->observed == NULL || !cd_observed_bind (job->observed, job->model, error))
    return FALSE;
  options.progress = cd_worker_report_progress;
  options.progress_data = worker;
  cd_worker_set_stage (worker, 0.0, 0.95);
  job->result = cd_fit (job->model, -1, job->observed, job->params, job->n_params, &options,
                        cancellable, error);
  if (job->result == NULL)
    return FALSE;
  cd_worker_set_stage (worker, 0.95, 0.05);
  fitted = cd_fit_apply (job->model, -1, job->result);
  sys = cd_system_new (fitted, error);
  if (sys == NULL)
    return FALSE;
  run.trust = TRUE;
  job->curve = cd_simulate_trajectory (sys, &run, cancellable, error);
  return job->curve != NULL;
}

static void
update_sensitivity (CdFitDialog *self)
{
  gboolean running = self->worker != NULL;
  gboolean any = FALSE;

  for (guint p = 0; p < CD_N_PARAMS; p++)
    any |= gtk_check_button_get_active (GTK_CHECK_BUTTON (self->checks[p]));
  gtk_widget_set_sensitive (self->run_button, !running && any && self->path != NULL);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->progress, running);
}

static void
on_progress (CdWorker    *worker,
             CdFitDialog *self)
{
  double f = cd_worker_get_fraction (worker);

  if (f < 0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), f);
}

static void
on_fit_done (CdWorker     *worker,
             const GError *error,
             gpointer      user_data)
{
  CdFitDialog *self = user_data;

  if (worker != self->worker)
    return;   /* superseded */
  if (error == NULL)
    {
      FitJob *job = cd_worker_get_data (worker);

      /* Take the results out of the worker's job, which goes with it. */
      g_clear_pointer (&self->done, fit_job_free);
      self->done = g_new0 (FitJob, 1);
      self->done->observed = g_steal_pointer (&job->observed);
      self->done->result = g_steal_pointer (&job->result);
      self->done->curve = g_steal_pointer (&job->curve);
      show_result (self);
      set_status (self, _("Fit done"));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_status (self, _("Fit cancelled"));
  else
    set_status (self, error->message);
  g_clear_object (&self->worker);
  update_sensitivity (self);
  gtk_widget_queue_draw (self->chart);
}

gboolean
cd_fit_dialog_run (CdFitDialog *self)
{
  FitJob *job;

  g_return_val_if_fail (CD_IS_FIT_DIALOG (self), FALSE);
  if (self->worker != NULL || self->path == NULL)
    return FALSE;
  job = g_new0 (FitJob, 1);
  for (guint p = 0; p < CD_N_PARAMS; p++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->checks[p])))
      job->params[job->n_params++] = p;
  if (job->n_params == 0)
    {
      fit_job_free (job);
      return FALSE;
    }
  job->model = cd_model_copy (cd_document_get_model (self->document));
  job->path = g_strdup (self->path);
  self->worker = cd_worker_new (fit_thread, job, fit_job_free);
  g_signal_connect_object (self->worker, "progress", G_CALLBACK (on_progress), self, 0);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0.0);
  set_status (self, _("Fitting…"));
  cd_worker_start (self->worker, G_OBJECT (self), NULL, on_fit_done, self);
  update_sensitivity (self);
  return TRUE;
}

void
cd_fit_dialog_cancel (CdFitDialog *self)
{
  g_return_if_fail (CD_IS_FIT_DIALOG (self));
  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
}

/* ---- loading ------------------------------------------------------------------ */

gboolean
cd_fit_dialog_load (CdFitDialog *self,
                    GFile       *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *base = g_file_get_basename (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (CdObserved) obs = NULL;

  g_return_val_if_fail (CD_IS_FIT_DIALOG (self), FALSE);
  obs = path != NULL ? cd_observed_load_file (path, &error) : NULL;
  if (obs != NULL)
    cd_observed_bind (obs, cd_document_get_model (self->document), &error);
  if (obs == NULL || error != NULL)
    {
      set_status (self, error != NULL ? error->message : _("Not a local file"));
      return FALSE;
    }
  g_clear_pointer (&self->observed, cd_observed_free);
  self->observed = g_steal_pointer (&obs);
  g_clear_pointer (&self->done, fit_job_free);
  g_free (self->path);
  self->path = g_steal_pointer (&path);
  gtk_label_set_text (GTK_LABEL (self->file_label), base);
  {
    g_autofree char *text = g_strdup_printf (ngettext ("%u observed value loaded",
                                                       "%u observed values loaded",
                                                       self->observed->n_values),
                                             self->observed->n_values);
    set_status (self, text);
  }
  clear_box (self->table);
  gtk_widget_set_sensitive (self->apply_button, FALSE);
  update_sensitivity (self);
  gtk_widget_queue_draw (self->chart);
  return TRUE;
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  CdFitDialog     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL)
        cd_fit_dialog_load (self, file);
    }
  g_object_unref (dialog);
}

static void
on_open_clicked (CdFitDialog *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) csv = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Observed Data"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CdFitDialog   *self)
{
  return G_VALUE_HOLDS (value, G_TYPE_FILE)
         && cd_fit_dialog_load (self, g_value_get_object (value));
}

void
cd_fit_dialog_set_param (CdFitDialog *self,
                         CdParam      param,
                         gboolean     chosen)
{
  g_return_if_fail (CD_IS_FIT_DIALOG (self) && param < CD_N_PARAMS);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (self->checks[param]), chosen);
}

/* ---- applying ------------------------------------------------------------------ */

gboolean
cd_fit_dialog_apply (CdFitDialog *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  g_autoptr (CdScenario) sc = NULL;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (CD_IS_FIT_DIALOG (self), FALSE);
  if (self->done == NULL)
    return FALSE;
  base = g_path_get_basename (self->path);
  {
    /* Translators: the name of the scenario made from a fit; %s is the data file. */
    g_autofree char *stem = g_strdup_printf (_("Fitted to %s"), base);
    name = cd_document_unique_scenario_name (self->document, stem);
  }
  sc = cd_fit_to_scenario (model, -1, self->done->result, name);
  if (!cd_document_add_scenario (self->document, _("Apply Fit as Scenario"), sc, &error))
    {
      set_status (self, error->message);
      return FALSE;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Added the scenario “%s”"), name);
    set_status (self, text);
  }
  return TRUE;
}

/* ---- the window ----------------------------------------------------------------- */

static void
cd_fit_dialog_dispose (GObject *object)
{
  CdFitDialog *self = CD_FIT_DIALOG (object);

  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (cd_fit_dialog_parent_class)->dispose (object);
}

static void
cd_fit_dialog_finalize (GObject *object)
{
  CdFitDialog *self = CD_FIT_DIALOG (object);

  g_free (self->path);
  g_free (self->status);
  g_clear_pointer (&self->observed, cd_observed_free);
  g_clear_pointer (&self->done, fit_job_free);
  G_OBJECT_CLASS (cd_fit_dialog_parent_class)->finalize (object);
}

static void
cd_fit_dialog_class_init (CdFitDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_fit_dialog_dispose;
  object_class->finalize = cd_fit_dialog_finalize;
}

static void
cd_fit_dialog_init (CdFitDialog *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *open = gtk_button_new_with_mnemonic (_("_Open Observed Data…"));
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *side_scroll = gtk_scrolled_window_new ();
  GtkWidget *main_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *params_title = gtk_label_new (_("Parameters to fit"));
  GtkWidget *table_scroll = gtk_scrolled_window_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);

  gtk_window_set_title (GTK_WINDOW (self), _("Fit to Observed Data"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), open);
  g_signal_connect_swapped (open, "clicked", G_CALLBACK (on_open_clicked), self);
  gtk_box_append (GTK_BOX (toolbar), header);

  /* the side: the file, the parameters, Fit and Cancel */
  gtk_widget_set_margin_start (side, 12);
  gtk_widget_set_margin_end (side, 12);
  gtk_widget_set_margin_top (side, 12);
  gtk_widget_set_margin_bottom (side, 12);
  self->file_label = gtk_label_new (_("No observed data"));
  gtk_label_set_xalign (GTK_LABEL (self->file_label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (self->file_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (self->file_label, "heading");
  gtk_box_append (GTK_BOX (side), self->file_label);
  gtk_label_set_xalign (GTK_LABEL (params_title), 0.0);
  gtk_widget_add_css_class (params_title, "dim-label");
  gtk_box_append (GTK_BOX (side), params_title);
  for (guint p = 0; p < CD_N_PARAMS; p++)
    {
      const CdParamInfo *info = cd_param_info (p);
      g_autofree char *text = g_strdup_printf ("%s (%s)", _(info->label), info->path);

      self->checks[p] = gtk_check_button_new_with_label (text);
      gtk_widget_set_tooltip_text (self->checks[p], _(info->description));
      g_signal_connect_swapped (self->checks[p], "toggled", G_CALLBACK (update_sensitivity),
                                self);
      gtk_box_append (GTK_BOX (side), self->checks[p]);
    }
  self->run_button = gtk_button_new_with_mnemonic (_("_Fit"));
  gtk_widget_add_css_class (self->run_button, "suggested-action");
  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (cd_fit_dialog_run), self);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cd_fit_dialog_cancel),
                            self);
  gtk_box_append (GTK_BOX (buttons), self->run_button);
  gtk_box_append (GTK_BOX (buttons), self->cancel_button);
  gtk_box_append (GTK_BOX (side), buttons);
  self->progress = gtk_progress_bar_new ();
  gtk_box_append (GTK_BOX (side), self->progress);
  self->status_label = gtk_label_new ("");
  gtk_label_set_wrap (GTK_LABEL (self->status_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status_label), 0.0);
  gtk_box_append (GTK_BOX (side), self->status_label);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (side_scroll), side);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (side_scroll), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (side_scroll, 300, -1);

  /* the main area: the chart, the estimates, the notes, Apply */
  gtk_widget_set_margin_start (main_box, 12);
  gtk_widget_set_margin_end (main_box, 12);
  gtk_widget_set_margin_top (main_box, 12);
  gtk_widget_set_margin_bottom (main_box, 12);
  self->chart = gtk_drawing_area_new ();
  gtk_widget_set_vexpand (self->chart, TRUE);
  gtk_widget_set_size_request (self->chart, 400, 300);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->chart), draw_chart, self, NULL);
  gtk_box_append (GTK_BOX (main_box), self->chart);
  self->table = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->table), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->table), 4);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (table_scroll), self->table);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (table_scroll), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_box_append (GTK_BOX (main_box), table_scroll);
  self->notes = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (main_box), self->notes);
  self->apply_button = gtk_button_new_with_mnemonic (_("_Apply as New Scenario"));
  gtk_widget_set_halign (self->apply_button, GTK_ALIGN_END);
  gtk_widget_set_sensitive (self->apply_button, FALSE);
  g_signal_connect_swapped (self->apply_button, "clicked", G_CALLBACK (cd_fit_dialog_apply),
                            self);
  gtk_box_append (GTK_BOX (main_box), self->apply_button);

  gtk_paned_set_start_child (GTK_PANED (paned), side_scroll);
  gtk_paned_set_position (GTK_PANED (paned), 340);
  gtk_paned_set_resize_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_end_child (GTK_PANED (paned), main_box);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (toolbar), paned);
  adw_window_set_content (ADW_WINDOW (self), toolbar);

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  update_sensitivity (self);
}

CdFitDialog *
cd_fit_dialog_new (GtkWindow  *parent,
                   CdDocument *document)
{
  CdFitDialog *self = g_object_new (CD_TYPE_FIT_DIALOG, "transient-for", parent, NULL);

  self->document = g_object_ref (document);
  return self;
}

gboolean
cd_fit_dialog_get_running (CdFitDialog *self)
{
  return self->worker != NULL;
}

const CdFitResult *
cd_fit_dialog_get_result (CdFitDialog *self)
{
  return self->done != NULL ? self->done->result : NULL;
}

const char *
cd_fit_dialog_get_status (CdFitDialog *self)
{
  return self->status;
}
