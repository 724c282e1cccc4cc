/* cd-arrangement-compare.c — the open network under several institutional
 * arrangements side by side (see cd-arrangement-compare.h).
 *
 * The comparison is the engine's (cd_compare_institutions, the rows of
 * `coordyn-cli compare --institution`), then each model run whole
 * (cd_compare_models_trajectories) for the small multiples.  Both run in
 * one CdWorker in two stages; the window only lays out and draws.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cd-analysis-compare.h"
#include "cd-arrangement-compare.h"
#include "cd-institution.h"
#include "cd-network-view.h"
#include "cd-plot.h"
#include "cd-render-glue.h"
#include "cd-result-table.h"
#include "cd-worker.h"

/* What one comparison needs and gives, owned by its worker. */
typedef struct
{
  CdModel   *model;      /* the document's model when it started */
  GPtrArray *insts;      /* of CdInstitution */
  GPtrArray *outcomes;   /* of CdScenarioOutcome, base first */
  GPtrArray *models;     /* of CdModel, base first */
  GPtrArray *trajs;      /* of CdTrajectory, base first */
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->model, cd_model_free);
  g_clear_pointer (&job->insts, g_ptr_array_unref);
  g_clear_pointer (&job->outcomes, g_ptr_array_unref);
  g_clear_pointer (&job->models, g_ptr_array_unref);
  g_clear_pointer (&job->trajs, g_ptr_array_unref);
  g_free (job);
}

struct _CdArrangementCompare
{
  AdwWindow      parent_instance;

  CdDocument    *document;
  GPtrArray     *offered;      /* of CdInstitution, in the list's order */
  GtkWidget     *choices;      /* GtkListBox: a check per arrangement */
  GtkWidget     *compare;
  GtkWidget     *cancel;
  GtkWidget     *progress;
  GtkWidget     *summary;
  GtkWidget     *cards;        /* GtkFlowBox */
  GtkColumnView *table;
  GListStore    *store;
  CdWorker      *worker;       /* the running comparison, or NULL */
  Job           *shown;        /* the results on screen (its worker's data), or NULL */
  CdWorker      *shown_worker; /* holds `shown` */
};

G_DEFINE_FINAL_TYPE (CdArrangementCompare, cd_arrangement_compare, ADW_TYPE_WINDOW)

/* ---- Running ------------------------------------------------------------ */

static gboolean
compare_thread (CdWorker      *worker,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Job *job = data;

  cd_worker_set_stage (worker, 0.0, 0.5);
  job->outcomes = cd_compare_institutions (job->model,
                                           (const CdInstitution *const *) job->insts->pdata,
                                           job->insts->len, &job->models,
                                           cd_worker_report_progress, worker, cancellable,
                                           error);
  if (job->outcomes == NULL)
    return FALSE;
  cd_worker_set_stage (worker, 0.5, 0.5);
  job->trajs = cd_compare_models_trajectories ((const CdModel *const *) job->models->pdata,
                                               job->models->len, cd_worker_report_progress,
                                               worker, cancellable, error);
  return job->trajs != NULL;
}

static void
set_running (CdArrangementCompare *self,
             gboolean              running)
{
  gtk_widget_set_visible (self->cancel, running);
  gtk_widget_set_visible (self->progress, running);
  gtk_widget_set_sensitive (self->compare, !running);
  gtk_widget_set_sensitive (self->choices, !running);
}

static void
on_progress (CdWorker             *worker,
             CdArrangementCompare *self)
{
  double f = cd_worker_get_fraction (worker);

  if (f < 0.0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), f);
}

static const char *
outcome_label (const CdScenarioOutcome *so)
{
  if (so->label != NULL)
    return so->label;
  return so->index < 0 && g_strcmp0 (so->name, "base") == 0 ? _("Base model") : so->name;
}

/* The network at the end of the run, coloured by x on the one ramp. */
static void
draw_network (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        data)
{
  CdArrangementCompare *self = data;
  guint k = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "cd-index"));
  CdNetworkView *view = g_object_get_data (G_OBJECT (area), "cd-view");
  const CdModel *model;
  const CdTrajectory *traj;
  CdNetworkOverlay overlay;
  CdRenderStyle style;

  if (self->shown == NULL || k >= self->shown->trajs->len || view == NULL)
    return;
  model = g_ptr_array_index (self->shown->models, k);
  traj = g_ptr_array_index (self->shown->trajs, k);
  cd_widget_render_style (GTK_WIDGET (area), &style);
  cd_network_view_fit_for (view, width, height, 6.0, &style, FALSE);
  cd_network_overlay_init (&overlay);
  overlay.show_labels = FALSE;
  overlay.show_glyphs = FALSE;
  overlay.show_flow_arrows = FALSE;
  overlay.show_legend = FALSE;
  overlay.show_time = FALSE;
  cd_render_network (cr, width, height, view, model, NULL, traj,
                     traj->n_samples > 0 ? traj->n_samples - 1 : 0, &overlay, &style);
}

/* Mean coordination on [0, 1] over the run; the base dashed behind each
 * arrangement, so every panel reads against it. */
static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  CdArrangementCompare *self = data;
  guint k = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (area), "cd-index"));
  const CdTrajectory *base, *traj;
  CdChartSpec spec = { 0 };
  CdSeries series[2] = { { 0 } };
  CdRenderStyle style;
  guint n = 0;

  if (self->shown == NULL || k >= self->shown->trajs->len)
    return;
  base = g_ptr_array_index (self->shown->trajs, 0);
  traj = g_ptr_array_index (self->shown->trajs, k);
  cd_widget_render_style (GTK_WIDGET (area), &style);
  spec.x_title = _("time");
  spec.y_title = _("mean x̄");
  spec.fix_y = TRUE;
  spec.y_lo = 0.0;
  spec.y_hi = 1.0;
  if (k > 0)
    series[n++] = (CdSeries) { NULL, base->t, base->mean_coordination, NULL, base->n_samples,
                               cd_palette_muted (&style), CD_LINE_DASHED, 1.5, 0 };
  series[n++] = (CdSeries) { NULL, traj->t, traj->mean_coordination, NULL, traj->n_samples,
                             cd_palette_series (k, &style), CD_LINE_SOLID, 2.0, 0 };
  cd_render_line_chart (cr, width, height, &spec, series, n, &style);
}

static void
free_view (gpointer view)
{
  cd_network_view_free (view);
}

static GtkWidget *
card (CdArrangementCompare *self,
      guint                 k)
{
  const CdScenarioOutcome *so = g_ptr_array_index (self->shown->outcomes, k);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (outcome_label (so));
  GtkWidget *network = gtk_drawing_area_new ();
  GtkWidget *chart = gtk_drawing_area_new ();
  CdNetworkView *view = cd_network_view_new ();
  g_autofree char *final = g_strdup_printf (_("Final x̄ %.3f"), so->outcome.final_mean);
  GtkWidget *value = gtk_label_new (final);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (title, "heading");
  /* Narrow enough for five panels in a row: long names wrap, on up to
   * three lines ("Japan: basic act and wide-area union" and "United
   * States: compact and federal support" lost their ends on two). */
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_lines (GTK_LABEL (title), 3);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 13);
  gtk_label_set_width_chars (GTK_LABEL (title), 12);
  gtk_widget_set_tooltip_text (title, outcome_label (so));
  gtk_widget_set_margin_top (title, 6);
  gtk_widget_add_css_class (value, "caption");
  gtk_widget_add_css_class (value, "dim-label");
  cd_network_view_sync (view, g_ptr_array_index (self->shown->models, k));
  g_object_set_data_full (G_OBJECT (network), "cd-view", view, free_view);
  g_object_set_data (G_OBJECT (network), "cd-index", GUINT_TO_POINTER (k));
  g_object_set_data (G_OBJECT (chart), "cd-index", GUINT_TO_POINTER (k));
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (network), 130);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (network), 130);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (chart), 120);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (network), draw_network, self, NULL);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (chart), draw_chart, self, NULL);
  gtk_widget_set_overflow (box, GTK_OVERFLOW_HIDDEN);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), network);
  gtk_box_append (GTK_BOX (box), chart);
  return box;
}

static void
show_results (CdArrangementCompare *self)
{
  const CdOutcome *base = &((CdScenarioOutcome *) g_ptr_array_index (self->shown->outcomes,
                                                                      0))->outcome;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->cards)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->cards), child);
  g_list_store_remove_all (self->store);
  for (guint i = 0; i < self->shown->outcomes->len; i++)
    {
      const CdScenarioOutcome *so = g_ptr_array_index (self->shown->outcomes, i);
      const CdOutcome *o = &so->outcome;
      g_autoptr (CdTableRow) row = cd_table_row_new (i, 9);

      gtk_flow_box_append (GTK_FLOW_BOX (self->cards), card (self, i));
      cd_table_row_set_text (row, 0, outcome_label (so));
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
      g_list_store_append (self->store, row);
    }
  gtk_label_set_text (GTK_LABEL (self->summary),
                      _("Each panel: the governments coloured by coordination x at the end of "
                        "the run, and mean coordination x̄ over time (the base model dashed), "
                        "all on one scale from 0 to 1. Differences (Δ) are each arrangement "
                        "minus the base model; “–” where x̄ never reaches 0.5. Arrangements "
                        "are illustrative (docs/institutions.md)."));
}

static void
on_done (CdWorker     *worker,
         const GError *error,
         gpointer      data)
{
  CdArrangementCompare *self = data;

  /* Closed while it ran: the worker kept the object, not its widgets. */
  if (self->offered == NULL)
    return;
  if (self->worker == worker)
    g_clear_object (&self->worker);
  set_running (self, FALSE);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (GTK_LABEL (self->summary),
                            _("Cancelled: the comparison was stopped before it finished."));
      else
        gtk_label_set_text (GTK_LABEL (self->summary), error->message);
      return;
    }
  g_set_object (&self->shown_worker, worker);
  self->shown = cd_worker_get_data (worker);
  show_results (self);
}

void
cd_arrangement_compare_run (CdArrangementCompare *self)
{
  const CdModel *model;
  Job *job;

  g_return_if_fail (CD_IS_ARRANGEMENT_COMPARE (self));

  if (self->worker != NULL)
    return;
  model = cd_document_get_model (self->document);
  job = g_new0 (Job, 1);
  job->insts = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_institution_free);
  for (GtkWidget *row = gtk_widget_get_first_child (self->choices); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "cd-check");
      guint k = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "cd-index"));

      if (check != NULL && gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        g_ptr_array_add (job->insts, cd_institution_copy (g_ptr_array_index (self->offered, k)));
    }
  if (job->insts->len == 0)
    {
      job_free (job);
      gtk_label_set_text (GTK_LABEL (self->summary),
                          _("Tick at least one arrangement to compare with the base model."));
      return;
    }
  job->model = cd_model_copy (model);
  self->worker = cd_worker_new (compare_thread, job, job_free);
  g_signal_connect_object (self->worker, "progress", G_CALLBACK (on_progress), self, 0);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), 0.0);
  gtk_label_set_text (GTK_LABEL (self->summary), _("Running the model under each arrangement…"));
  set_running (self, TRUE);
  cd_worker_start (self->worker, G_OBJECT (self), NULL, on_done, self);
}

void
cd_arrangement_compare_cancel (CdArrangementCompare *self)
{
  g_return_if_fail (CD_IS_ARRANGEMENT_COMPARE (self));

  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
}

gboolean
cd_arrangement_compare_get_running (CdArrangementCompare *self)
{
  g_return_val_if_fail (CD_IS_ARRANGEMENT_COMPARE (self), FALSE);
  return self->worker != NULL;
}

GPtrArray *
cd_arrangement_compare_get_outcomes (CdArrangementCompare *self)
{
  g_return_val_if_fail (CD_IS_ARRANGEMENT_COMPARE (self), NULL);
  return self->shown != NULL ? self->shown->outcomes : NULL;
}

/* ---- The list of arrangements ------------------------------------------- */

static void
offer (CdArrangementCompare *self,
       CdInstitution        *inst,
       gboolean              chosen)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cd_institution_display_name (inst));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), inst->name);
  gtk_widget_set_tooltip_text (row, cd_institution_display_description (inst));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), chosen);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "cd-check", check);
  g_object_set_data (G_OBJECT (row), "cd-index", GUINT_TO_POINTER (self->offered->len));
  g_ptr_array_add (self->offered, inst);
  gtk_list_box_append (GTK_LIST_BOX (self->choices), row);
}

gboolean
cd_arrangement_compare_add_file (CdArrangementCompare *self,
                                 const char           *path,
                                 GError              **error)
{
  CdInstitution *inst;

  g_return_val_if_fail (CD_IS_ARRANGEMENT_COMPARE (self), FALSE);

  inst = cd_institution_load_file (path, error);
  if (inst == NULL)
    return FALSE;
  offer (self, inst, TRUE);
  return TRUE;
}

gboolean
cd_arrangement_compare_set_chosen (CdArrangementCompare *self,
                                   const char           *name,
                                   gboolean              chosen)
{
  g_return_val_if_fail (CD_IS_ARRANGEMENT_COMPARE (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (self->choices); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      guint k = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "cd-index"));
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "cd-check");

      if (check != NULL && k < self->offered->len
          && g_str_equal (((CdInstitution *) g_ptr_array_index (self->offered, k))->name, name))
        {
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), chosen);
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_file_chosen (GtkNativeDialog      *chooser,
                int                   response,
                CdArrangementCompare *self)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL
      && (path = g_file_get_path (file)) != NULL
      && !cd_arrangement_compare_add_file (self, path, &error))
    gtk_label_set_text (GTK_LABEL (self->summary), error->message);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
on_add_file (GtkButton            *button,
             CdArrangementCompare *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Arrangement"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Arrangements (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_compare_clicked (GtkButton            *button,
                    CdArrangementCompare *self)
{
  cd_arrangement_compare_run (self);
}

static void
on_cancel_clicked (GtkButton            *button,
                   CdArrangementCompare *self)
{
  cd_arrangement_compare_cancel (self);
}

/* ---- The window --------------------------------------------------------- */

static void
cd_arrangement_compare_dispose (GObject *object)
{
  CdArrangementCompare *self = CD_ARRANGEMENT_COMPARE (object);

  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  self->shown = NULL;
  g_clear_object (&self->shown_worker);
  g_clear_object (&self->document);
  g_clear_pointer (&self->offered, g_ptr_array_unref);
  G_OBJECT_CLASS (cd_arrangement_compare_parent_class)->dispose (object);
}

static void
cd_arrangement_compare_class_init (CdArrangementCompareClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_arrangement_compare_dispose;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0,
                                       "window.close", NULL);
}

static GtkWidget *
build_sidebar (CdArrangementCompare *self)
{
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *heading = gtk_label_new (_("Arrangements"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *add = gtk_button_new_with_mnemonic (_("Add a _File…"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_size_request (side, 260, -1);
  gtk_widget_set_margin_start (side, 12);
  gtk_widget_set_margin_end (side, 6);
  gtk_widget_set_margin_top (side, 12);
  gtk_widget_set_margin_bottom (side, 12);
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_box_append (GTK_BOX (side), heading);

  self->choices = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->choices), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->choices, "boxed-list");
  gtk_widget_set_valign (self->choices, GTK_ALIGN_START);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->choices);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (side), scroller);

  gtk_widget_set_tooltip_text (add, _("Compare an arrangement of your own "
                                      "(a coordyn-institution file)"));
  g_signal_connect (add, "clicked", G_CALLBACK (on_add_file), self);
  gtk_box_append (GTK_BOX (side), add);

  self->progress = gtk_progress_bar_new ();
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_box_append (GTK_BOX (side), self->progress);

  self->compare = gtk_button_new_with_mnemonic (_("_Compare"));
  gtk_widget_add_css_class (self->compare, "suggested-action");
  gtk_widget_set_hexpand (self->compare, TRUE);
  g_signal_connect (self->compare, "clicked", G_CALLBACK (on_compare_clicked), self);
  self->cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_visible (self->cancel, FALSE);
  g_signal_connect (self->cancel, "clicked", G_CALLBACK (on_cancel_clicked), self);
  gtk_box_append (GTK_BOX (buttons), self->compare);
  gtk_box_append (GTK_BOX (buttons), self->cancel);
  gtk_box_append (GTK_BOX (side), buttons);
  return side;
}

static GtkWidget *
build_results (CdArrangementCompare *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *table_frame = gtk_frame_new (NULL);
  GtkWidget *table_scroller = gtk_scrolled_window_new ();
  const CdColumnSpec columns[] = {
    { _("Arrangement"), CD_COLUMN_TEXT, 0, TRUE },
    { _("Final x̄"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Peak x̄"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Time to x̄ = 0.5"), CD_COLUMN_NUMBER, 1, FALSE },
    { _("Total loss"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Δ final x̄"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Δ peak x̄"), CD_COLUMN_NUMBER, 3, FALSE },
    { _("Δ time to 0.5"), CD_COLUMN_NUMBER, 1, FALSE },
    { _("Δ total loss"), CD_COLUMN_NUMBER, 3, FALSE },
  };

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);

  self->summary = gtk_label_new (_("Tick the arrangements to compare and press Compare: the "
                                   "network is run under each, on the same crisis."));
  gtk_label_set_wrap (GTK_LABEL (self->summary), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0.0);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_box_append (GTK_BOX (box), self->summary);

  self->cards = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->cards), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->cards), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->cards), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->cards), 5);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->cards), 8);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->cards), 8);
  gtk_box_append (GTK_BOX (box), self->cards);

  self->table = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  self->store = cd_result_table_setup (self->table, columns, G_N_ELEMENTS (columns));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (table_scroller), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (table_scroller),
                                 GTK_WIDGET (self->table));
  gtk_frame_set_child (GTK_FRAME (table_frame), table_scroller);
  gtk_box_append (GTK_BOX (box), table_frame);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
  gtk_widget_set_hexpand (scroller, TRUE);
  return scroller;
}

static void
cd_arrangement_compare_init (CdArrangementCompare *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *content = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);

  self->offered = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_institution_free);
  gtk_window_set_title (GTK_WINDOW (self), _("Compare Arrangements"));
  gtk_window_set_default_size (GTK_WINDOW (self), 1180, 680);
  gtk_box_append (GTK_BOX (toolbar), header);
  /* A pane, not a box: a box would give the list its natural width (the
   * arrangements' names unwrapped) before the panels got any. */
  gtk_paned_set_start_child (GTK_PANED (content), build_sidebar (self));
  gtk_paned_set_end_child (GTK_PANED (content), build_results (self));
  gtk_paned_set_resize_start_child (GTK_PANED (content), FALSE);
  gtk_paned_set_shrink_start_child (GTK_PANED (content), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (content), FALSE);
  gtk_paned_set_position (GTK_PANED (content), 290);
  gtk_widget_set_vexpand (content, TRUE);
  gtk_box_append (GTK_BOX (toolbar), content);
  adw_window_set_content (ADW_WINDOW (self), toolbar);
}

GtkWidget *
cd_arrangement_compare_new (GtkWindow  *parent,
                            CdDocument *document)
{
  CdArrangementCompare *self;
  g_autoptr (GPtrArray) entries = NULL;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);

  self = g_object_new (CD_TYPE_ARRANGEMENT_COMPARE, "transient-for", parent, "modal", FALSE,
                       NULL);
  self->document = g_object_ref (document);
  entries = cd_institution_list ();
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      const CdInstitutionEntry *e = g_ptr_array_index (entries, i);
      g_autoptr (GError) error = NULL;
      CdInstitution *inst = cd_institution_load_file (e->path, &error);

      /* A broken file of the user's is named rather than hidden. */
      if (inst == NULL)
        gtk_label_set_text (GTK_LABEL (self->summary), error->message);
      else
        offer (self, inst, TRUE);
    }
  return GTK_WIDGET (self);
}
