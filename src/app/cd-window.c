/* cd-window.c — the main window (see cd-window.h and, for how it is split
 * into files, cd-window-private.h): the object, its views, the time
 * cursor, runs and selection, and the editing commands its actions call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-analysis-view.h"
#include "cd-window-private.h"
#include "coordyn-resources.h"

/* A whole run plays in this many seconds, whatever its length in model time. */
#define PLAY_SECONDS 12.0

G_DEFINE_FINAL_TYPE (CdWindow, cd_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SIDEBAR_WIDTH,
  PROP_TIMESERIES_HEIGHT,
  PROP_TOOL,
  PROP_PLAYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The tools by their names in win.tool. */
static const char *const tool_names[] = {
  "select", "node", "command", "partnership", "delete", "pick",
};

static void update_selection_views (CdWindow *self);

/* ---- Messages ----------------------------------------------------------- */

/* A toast's title is markup: a message naming a file "R&D <draft>.json"
 * would otherwise show nothing. */
static AdwToast *
toast_new (const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  return adw_toast_new (escaped);
}

void
cd_window_show_toast (CdWindow   *self,
                      const char *message)
{
  AdwToast *toast;

  g_return_if_fail (CD_IS_WINDOW (self));
  toast = toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
cd_window_show_warning (CdWindow   *self,
                        const char *message)
{
  AdwToast *toast;

  g_return_if_fail (CD_IS_WINDOW (self));
  toast = toast_new (message);
  adw_toast_set_timeout (toast, 0);
  /* Normal priority, queued after what is showing: libadwaita 1.2 (Debian
   * 12) hides a toast that a high-priority one postpones while its
   * entrance animation may still be running, and when that animation ends
   * its "done" handler writes through the toast's freed record — the
   * SIGSEGV test-app-window hit under load (adw_animation_skip →
   * g_object_unref). */
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
cd_window_show_error (CdWindow   *self,
                      const char *heading,
                      const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  g_free (self->last_error);
  self->last_error = g_strdup (body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- Time cursor and runs ----------------------------------------------- */

static CdRun *
current_run (CdWindow *self)
{
  return cd_runner_get_run (self->runner);
}

static guint
cursor_sample (CdWindow *self)
{
  CdRun *run = current_run (self);

  if (run == NULL || run->trajectory->n_samples == 0)
    return 0;
  return cd_trajectory_index_at (run->trajectory, self->cursor_t);
}

static void
set_cursor (CdWindow *self,
            double    t)
{
  guint sample;
  g_autofree char *label = NULL;

  self->cursor_t = isfinite (t) ? MAX (t, 0.0) : 0.0;
  sample = cursor_sample (self);
  cd_canvas_set_sample (self->canvas, sample);
  cd_force_view_set_sample (self->force_view, sample);
  cd_timeseries_view_set_cursor (self->timeseries, self->cursor_t);
  cd_timeline_set_cursor (self->timeline, self->cursor_t);
  /* Translators: the time cursor's read-out */
  label = g_strdup_printf (_("t = %.1f"), self->cursor_t);
  gtk_label_set_text (GTK_LABEL (self->time_label), label);
  if (fabs (gtk_adjustment_get_value (self->time_adjustment) - self->cursor_t) > 1e-9)
    gtk_adjustment_set_value (self->time_adjustment, self->cursor_t);
}

static void
on_time_adjustment_changed (GtkAdjustment *adj,
                            CdWindow      *self)
{
  set_cursor (self, gtk_adjustment_get_value (adj));
}

static void
on_scrub (GtkWidget *widget,
          double     t,
          CdWindow  *self)
{
  set_cursor (self, t);
}

/* A model just opened shows the force-field diagram of the government the
 * largest forces act on at the time shown (the four added, as the diagram
 * draws them), so the theory's picture is on screen from the first second
 * and never a diagram of zeros; the best-connected one breaks ties and
 * stands in when the run has no forces.  Of those, one that answers to a
 * superior and is simulated: a top-level government has no administrative
 * pressure, appraisal or (often) partner, and a fixed one is not moved by
 * its forces, so either can open on a diagram of resistance alone.  Any
 * government when none qualifies. */
static void
select_opening (CdWindow *self,
                CdRun    *run)
{
  const CdModel *model = cd_document_get_model (self->document);
  const CdTrajectory *traj = run->trajectory;
  g_autofree guint *degree = g_new0 (guint, model->nodes->len + 1);
  g_autofree double *force = g_new0 (double, model->nodes->len + 1);
  g_autoptr (GHashTable) index = cd_model_node_index (model);
  int best = -1;

  self->select_on_run = FALSE;
  for (guint e = 0; e < model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);
      int a = GPOINTER_TO_INT (g_hash_table_lookup (index, edge->source)) - 1;
      int b = GPOINTER_TO_INT (g_hash_table_lookup (index, edge->target)) - 1;
      if (a >= 0)
        degree[a]++;
      if (b >= 0)
        degree[b]++;
    }
  if (traj->gravity != NULL && traj->n_samples > 0 && traj->n_nodes == model->nodes->len)
    {
      gsize row = (gsize) cd_trajectory_index_at (traj, self->cursor_t) * traj->n_nodes;

      for (guint i = 0; i < traj->n_nodes; i++)
        force[i] = fabs (traj->gravity[row + i]) + fabs (traj->pressure[row + i])
                   + fabs (traj->thrust[row + i]) + fabs (traj->resistance[row + i]);
    }
  {
    g_autofree guint8 *has_superior = cd_model_has_superior (model);

    for (int pass = 0; pass < 2 && best < 0; pass++)
      for (guint i = 0; i < model->nodes->len; i++)
        {
          gboolean qualifies = pass == 1 || (has_superior[i]
                                             && !((CdNode *) g_ptr_array_index (model->nodes,
                                                                                 i))->fixed);

          if (qualifies
              && (best < 0 || force[i] > force[best] + 1e-12
                  || (fabs (force[i] - force[best]) <= 1e-12 && degree[i] > degree[best])))
            best = (int) i;
        }
  }
  self->quiet_selection = TRUE;
  if (best >= 0)
    cd_canvas_select_node (self->canvas, best, FALSE);
  self->quiet_selection = FALSE;
}

/* A held slider at rest for this long after its preview came gets its
 * exact run (and a release lost to a broken grab cannot leave a preview up). */
#define SETTLE_MS 400

static gboolean
settle (gpointer data)
{
  CdWindow *self = data;

  self->settle_timeout = 0;
  if (self->previewed)
    cd_window_run (self);
  return G_SOURCE_REMOVE;
}

static void
on_run_changed (CdRunner *runner,
                CdWindow *self)
{
  CdRun *run = current_run (self);
  double t_end;

  if (run == NULL)
    return;
  t_end = run->trajectory->n_samples > 0 ? run->trajectory->t[run->trajectory->n_samples - 1] : 0;
  gtk_adjustment_set_upper (self->time_adjustment, t_end);
  g_clear_handle_id (&self->settle_timeout, g_source_remove);
  if (run->preview && !cd_runner_get_running (runner))
    self->settle_timeout = g_timeout_add (SETTLE_MS, settle, self);
  cd_canvas_set_run (self->canvas, run);
  cd_force_view_set_run (self->force_view, run);
  cd_timeseries_view_set_run (self->timeseries, run);
  gtk_widget_queue_draw (GTK_WIDGET (self->timeline));
  if (self->select_on_run)
    select_opening (self, run);
  update_selection_views (self);
  set_cursor (self, MIN (self->cursor_t, t_end));
}

/* Results that are not of the model on screen (a run cancelled or failed,
 * or edits made with live re-run off) say so, over the canvas. */
static void
update_outdated (CdWindow *self)
{
  gboolean outdated = cd_runner_get_run (self->runner) != NULL
                      && (cd_runner_get_outdated (self->runner) || self->edited_since_run);

  gtk_widget_set_visible (self->outdated_box, outdated && !cd_runner_get_running (self->runner));
  /* A preview on screen says so until the exact run replaces it. */
  gtk_widget_set_visible (self->preview_label, cd_runner_get_preview (self->runner)
                                               && !gtk_widget_get_visible (self->outdated_box));
}

static void
on_runner_outdated (CdRunner   *runner,
                    GParamSpec *pspec,
                    CdWindow   *self)
{
  update_outdated (self);
}

void
cd_window_run (CdWindow *self)
{
  self->edited_since_run = FALSE;
  self->previewed = FALSE;
  g_clear_handle_id (&self->settle_timeout, g_source_remove);
  cd_runner_request (self->runner, cd_document_get_model (self->document));
  update_outdated (self);
}

/* A move of a held slider: a preview (cd-runner.h). */
static void
run_preview (CdWindow *self)
{
  self->edited_since_run = FALSE;
  self->previewed = TRUE;
  cd_runner_request_preview (self->runner, cd_document_get_model (self->document),
                             self->cursor_t);
  g_clear_handle_id (&self->settle_timeout, g_source_remove);
  update_outdated (self);
}

/* win.slider-held: a number row's slider pressed (TRUE) or let go. */
void
cd_window_set_slider_held (CdWindow *self,
                           gboolean  held)
{
  held = !!held;
  if (self->slider_held == held)
    return;
  self->slider_held = held;
  /* The picture left on screen is always the exact run's. */
  if (!held && self->previewed)
    cd_window_run (self);
}

void
cd_window_cancel_run (CdWindow *self)
{
  if (!cd_runner_get_running (self->runner))
    return;
  cd_runner_cancel (self->runner);
  /* With an earlier result the out-of-date note says it all. */
  if (cd_runner_get_run (self->runner) == NULL)
    cd_window_show_toast (self, _("Run cancelled: Ctrl+R runs it again"));
}

static gboolean
reveal_progress (gpointer data)
{
  CdWindow *self = data;

  self->progress_timeout = 0;
  gtk_widget_set_visible (self->progress_box, TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_runner_running (CdRunner   *runner,
                   GParamSpec *pspec,
                   CdWindow   *self)
{
  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  /* A preview is over in a frame or two; the exact run may take longer. */
  if (cd_runner_get_running (runner) && !cd_runner_get_running_preview (runner))
    /* Quick runs finish before this: no flicker while a slider is dragged. */
    self->progress_timeout = g_timeout_add (300, reveal_progress, self);
  else
    gtk_widget_set_visible (self->progress_box, FALSE);
  update_outdated (self);
}

static void
on_runner_progress (CdRunner   *runner,
                    GParamSpec *pspec,
                    CdWindow   *self)
{
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 cd_runner_get_progress (runner));
}

static void
on_runner_error (CdRunner   *runner,
                 GParamSpec *pspec,
                 CdWindow   *self)
{
  const char *error = cd_runner_get_error (runner);

  if (error != NULL)
    {
      /* Translators: %s is the integrator's reason */
      g_autofree char *text = g_strdup_printf (_("The simulation failed: %s"), error);
      cd_window_show_toast (self, text);
    }
}

static void
on_document_changed (CdDocument *document,
                     guint       flags,
                     CdWindow   *self)
{
  /* Opening, upgrading and undoing change the model's version. */
  if (flags & (CD_CHANGE_REPLACED | CD_CHANGE_STRUCTURE))
    cd_window_update_actions (self);
  if (flags & CD_CHANGE_REPLACED)
    {
      /* A newly opened model shows its outcome first; Play starts it over. */
      self->cursor_t = cd_document_get_model (document)->sim.t_end;
      self->select_on_run = TRUE;
      cd_window_run (self);
      return;
    }
  if (flags == CD_CHANGE_POSITIONS)
    return;
  if (cd_settings_get_live_rerun (self->settings) && self->slider_held
      && !(flags & CD_CHANGE_STRUCTURE))
    run_preview (self);
  else if (cd_settings_get_live_rerun (self->settings))
    cd_window_run (self);
  else
    {
      self->edited_since_run = TRUE;
      update_outdated (self);
    }
}

static void
update_title (CdWindow *self)
{
  g_autofree char *title = cd_document_dup_title (self->document);
  g_autofree char *full = NULL;

  full = cd_document_get_dirty (self->document) ? g_strdup_printf ("• %s", title)
                                                 : g_strdup (title);
  gtk_window_set_title (GTK_WINDOW (self), full);
}

static void
on_title_changed (CdDocument *document,
                  GParamSpec *pspec,
                  CdWindow   *self)
{
  update_title (self);
}

static void
on_undo_state (CdDocument *document,
               GParamSpec *pspec,
               CdWindow   *self)
{
  cd_window_update_actions (self);
}

/* ---- Playing ------------------------------------------------------------ */

static gboolean
play_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double upper = gtk_adjustment_get_upper (self->time_adjustment);
  double t;

  if (self->play_last_us == 0)
    self->play_last_us = now;
  t = self->cursor_t + (now - self->play_last_us) / 1e6 * upper / PLAY_SECONDS;
  self->play_last_us = now;
  if (t >= upper)
    {
      set_cursor (self, upper);
      self->play_tick = 0;
      cd_window_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  set_cursor (self, t);
  return G_SOURCE_CONTINUE;
}

/* Property "playing", which win.play toggles. */
void
cd_window_set_playing (CdWindow *self,
                       gboolean  playing)
{
  playing = !!playing;
  if (self->playing == playing)
    return;
  self->playing = playing;
  if (playing)
    {
      /* From the end, play starts over. */
      if (self->cursor_t >= gtk_adjustment_get_upper (self->time_adjustment) - 1e-9)
        set_cursor (self, 0.0);
      self->play_last_us = 0;
      self->play_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), play_tick, NULL, NULL);
    }
  else if (self->play_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->play_tick);
      self->play_tick = 0;
    }
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

/* ---- Selection ---------------------------------------------------------- */

/* The partnership index (among partnerships, in file order) of edge e of
 * `model`, or −1. */
static int
partnership_index (const CdModel *model,
                   guint          e)
{
  int p = 0;

  if (e >= model->edges->len)
    return -1;
  if (((CdEdge *) g_ptr_array_index (model->edges, e))->kind != CD_EDGE_PARTNERSHIP)
    return -1;
  for (guint k = 0; k < e; k++)
    p += ((CdEdge *) g_ptr_array_index (model->edges, k))->kind == CD_EDGE_PARTNERSHIP;
  return p;
}

/* The selection as the views of the run know it: the run's model may lag
 * the document by one edit, so governments and partnerships are found by
 * id.  Indices into run->model's nodes, and partnership indices. */
static void
run_selection (CdWindow *self,
               CdRun    *run,
               GArray   *run_nodes,
               GArray   *run_pairs)
{
  const CdModel *model = cd_document_get_model (self->document);
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (self->canvas);
  g_autoptr (GArray) edges = cd_canvas_get_selected_edges (self->canvas);

  if (run == NULL)
    return;
  for (guint k = 0; k < nodes->len; k++)
    {
      const CdNode *n = g_ptr_array_index (model->nodes, g_array_index (nodes, guint, k));
      int i = cd_model_find_node (run->model, n->id);
      if (i >= 0)
        {
          guint u = (guint) i;
          g_array_append_val (run_nodes, u);
        }
    }
  for (guint k = 0; k < edges->len; k++)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, g_array_index (edges, guint, k));
      int i = cd_model_find_edge (run->model, e->kind, e->source, e->target);
      int p = i >= 0 ? partnership_index (run->model, (guint) i) : -1;
      if (p >= 0)
        {
          guint u = (guint) p;
          g_array_append_val (run_pairs, u);
        }
    }
}

static void
update_selection_views (CdWindow *self)
{
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (self->canvas);
  g_autoptr (GArray) edges = cd_canvas_get_selected_edges (self->canvas);
  g_autoptr (GArray) run_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) run_pairs = g_array_new (FALSE, FALSE, sizeof (guint));
  int first_node = nodes->len > 0 ? (int) g_array_index (nodes, guint, 0) : -1;
  int first_edge = edges->len > 0 ? (int) g_array_index (edges, guint, 0) : -1;

  cd_inspector_set_selection (self->inspector, first_node, first_node < 0 ? first_edge : -1,
                              nodes->len + edges->len);
  run_selection (self, current_run (self), run_nodes, run_pairs);
  cd_force_view_set_node (self->force_view,
                          run_nodes->len > 0 ? (int) g_array_index (run_nodes, guint, 0) : -1);
  cd_timeseries_view_set_nodes (self->timeseries, (const guint *) (gpointer) run_nodes->data,
                                run_nodes->len);
  cd_timeseries_view_set_partnerships (self->timeseries,
                                       (const guint *) (gpointer) run_pairs->data, run_pairs->len);
}

static void
on_selection_changed (CdCanvas *canvas,
                      CdWindow *self)
{
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (canvas);
  g_autoptr (GArray) edges = cd_canvas_get_selected_edges (canvas);

  update_selection_views (self);
  /* Selecting something is asking about it: show its attributes, unless the
   * user is working on the parameters or a scenario. */
  if (nodes->len + edges->len == 1 && !self->quiet_selection
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->side_stack), "scenario") != 0)
    gtk_stack_set_visible_child_name (self->side_stack, "selection");
}

static void
on_canvas_message (CdCanvas   *canvas,
                   const char *message,
                   CdWindow   *self)
{
  cd_window_show_toast (self, message);
}

static void
on_node_picked (CdCanvas *canvas,
                int       node,
                CdWindow *self)
{
  cd_scenario_panel_pick_node (self->scenario_panel, node);
}

/* ---- Tools -------------------------------------------------------------- */

static const char *
tool_hint_text (CdTool tool)
{
  switch (tool)
    {
    case CD_TOOL_ADD_NODE:
      return _("Click on the canvas to place a government — Esc to stop");
    case CD_TOOL_ADD_COMMAND:
      return _("Click the superior, then the subordinate — Esc to stop");
    case CD_TOOL_ADD_PARTNERSHIP:
      return _("Click one government, then its partner — Esc to stop");
    case CD_TOOL_DELETE:
      return _("Click a government or a tie to delete it — Esc to stop");
    case CD_TOOL_PICK:
      return _("Click the governments this emergency hits — Esc to stop");
    case CD_TOOL_SELECT:
    default:
      return NULL;
    }
}

/* Property "tool" (by name), which win.tool sets. */
void
cd_window_set_tool (CdWindow *self,
                    CdTool    tool)
{
  const char *hint = tool_hint_text (tool);

  if (tool != CD_TOOL_PICK)
    cd_scenario_panel_stop_picking (self->scenario_panel);
  cd_canvas_set_tool (self->canvas, tool);
  gtk_label_set_text (GTK_LABEL (self->tool_hint), hint ? hint : "");
  gtk_widget_set_visible (self->tool_hint, hint != NULL);
  if (self->tool != tool)
    {
      self->tool = tool;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
    }
}

static void
set_tool_by_name (CdWindow   *self,
                  const char *name)
{
  CdTool tool = CD_TOOL_SELECT;

  /* Picking is started by the scenario panel, not by name. */
  for (guint k = 0; k < CD_TOOL_PICK; k++)
    if (g_strcmp0 (name, tool_names[k]) == 0)
      tool = (CdTool) k;
  cd_window_set_tool (self, tool);
}

static void
on_picking_changed (CdScenarioPanel *panel,
                    CdWindow        *self)
{
  if (cd_scenario_panel_get_picking (panel) >= 0)
    cd_window_set_tool (self, CD_TOOL_PICK);
  else if (cd_canvas_get_tool (self->canvas) == CD_TOOL_PICK)
    cd_window_set_tool (self, CD_TOOL_SELECT);
}

/* ---- Panels ------------------------------------------------------------- */

static void
on_event_activated (CdTimeline *timeline,
                    int         index,
                    CdWindow   *self)
{
  gtk_stack_set_visible_child_name (self->side_stack, "scenario");
  cd_scenario_panel_show_event (self->scenario_panel, index);
}

static void
on_intervention_activated (CdTimeline *timeline,
                           int         index,
                           CdWindow   *self)
{
  gtk_stack_set_visible_child_name (self->side_stack, "scenario");
  cd_scenario_panel_show_intervention (self->scenario_panel, index);
}

static void
on_plot_kind (GtkDropDown *dropdown,
              GParamSpec  *pspec,
              CdWindow    *self)
{
  cd_timeseries_view_set_kind (self->timeseries,
                               (CdTimeseriesKind) gtk_drop_down_get_selected (dropdown));
}

/* ---- Editing commands --------------------------------------------------- */

void
cd_window_undo (CdWindow *self)
{
  g_autofree char *label = g_strdup (cd_document_get_undo_label (self->document));

  if (cd_document_undo (self->document) && label != NULL)
    {
      /* Translators: toast after undo, %s is the step, e.g. "Add Government" */
      g_autofree char *text = g_strdup_printf (_("Undone: %s"), label);
      cd_window_show_toast (self, text);
    }
}

void
cd_window_add_government (CdWindow *self,
                          CdLevel   level)
{
  CdAddNode add = { level, 0, 0, NULL };
  g_autoptr (GError) error = NULL;
  const CdModel *model = cd_document_get_model (self->document);

  cd_canvas_get_center (self->canvas, &add.x, &add.y);
  if (!isfinite (add.x) || !isfinite (add.y))
    add.x = add.y = 0.0;
  /* Successive additions must not sit on top of each other. */
  add.x += 30.0 * (model->nodes->len % 5);
  add.y += 30.0 * ((model->nodes->len / 5) % 5);
  if (!cd_document_apply (self->document, _("Add Government"), NULL, CD_CHANGE_STRUCTURE,
                          cd_edit_add_node, &add, &error))
    {
      cd_window_show_toast (self, error->message);
      return;
    }
  cd_canvas_select_node (self->canvas, cd_model_find_node (cd_document_get_model (self->document),
                                                          add.out_id), FALSE);
  g_free (add.out_id);
}

void
cd_window_connect_selection (CdWindow   *self,
                             CdEdgeKind  kind)
{
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (self->canvas);
  const CdModel *model = cd_document_get_model (self->document);
  g_autoptr (GError) error = NULL;
  CdAddEdge add;

  if (nodes->len != 2)
    {
      cd_window_show_toast (self, _("Select two governments to connect (Shift+click the second)"));
      return;
    }
  add.kind = kind;
  add.source = ((CdNode *) g_ptr_array_index (model->nodes, g_array_index (nodes, guint, 0)))->id;
  add.target = ((CdNode *) g_ptr_array_index (model->nodes, g_array_index (nodes, guint, 1)))->id;
  if (!cd_document_apply (self->document, add.kind == CD_EDGE_COMMAND ? _("Add Command Line")
                                                                     : _("Add Partnership"),
                          NULL, CD_CHANGE_STRUCTURE, cd_edit_add_edge, &add, &error))
    cd_window_show_toast (self, error->message);
}

void
cd_window_lay_out (CdWindow     *self,
                   CdLayoutKind  kind)
{
  g_autoptr (GError) error = NULL;

  if (!cd_document_apply (self->document, _("Lay Out"), NULL, CD_CHANGE_POSITIONS,
                          cd_edit_layout, &kind, &error))
    {
      cd_window_show_toast (self, error->message);
      return;
    }
  cd_canvas_fit (self->canvas);
}

void
cd_window_set_parameter (CdWindow   *self,
                         const char *path,
                         double      value)
{
  CdParam p;

  if (!cd_param_from_path (path, &p) || !cd_param_value_in_range (p, value))
    {
      g_autofree char *text = g_strdup_printf (_("Cannot set %s to %g"), path, value);
      cd_window_show_toast (self, text);
      return;
    }
  cd_document_break_merge (self->document);
  cd_document_set_param (self->document, p, value);
  cd_document_break_merge (self->document);
}

/* ---- Panes -------------------------------------------------------------- */

/* Pane positions are measured from the start; the settings keep the sizes
 * of the side panel and the chart, which is what a user adjusts (properties
 * "sidebar-width" and "timeseries-height", bound by CdSettings).  Set, they
 * place the panes for the window's default size, then once laid out the
 * positions are corrected for what that estimate cannot know (borders, the
 * header bar's height), so a size kept does not creep from start to start. */
static gboolean
correct_panes (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  CdWindow *self = CD_WINDOW (widget);
  int sidebar = gtk_widget_get_width (GTK_WIDGET (self->force_paned));
  int chart = gtk_widget_get_height (gtk_paned_get_end_child (self->bottom_paned));

  if (sidebar <= 0 || chart <= 0)
    return G_SOURCE_CONTINUE;
  if (self->want_sidebar > 0)
    gtk_paned_set_position (self->side_paned, gtk_paned_get_position (self->side_paned)
                                              + sidebar - self->want_sidebar);
  if (self->want_chart > 0)
    gtk_paned_set_position (self->bottom_paned, gtk_paned_get_position (self->bottom_paned)
                                                + chart - self->want_chart);
  self->want_sidebar = self->want_chart = 0;
  self->pane_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
want_pane_sizes (CdWindow *self)
{
  if (self->pane_tick == 0)
    self->pane_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), correct_panes, NULL, NULL);
}

static void
set_sidebar_width (CdWindow *self,
                   int       sidebar)
{
  int width, height;

  self->want_sidebar = sidebar;
  want_pane_sizes (self);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  gtk_paned_set_position (self->side_paned, MAX (300, width - sidebar));
}

/* The force-field diagram is the heart of the window: it keeps its part of
 * the side column (three fifths at first — 400 px at 1280×720, what its
 * text needs at full size — or what the user dragged it to, and never
 * under FORCE_MIN_HEIGHT) as the window changes size.  Set once from the
 * size the window opens at, it stayed 400 px tall in a window maximized on
 * a 1080p screen, and its text shrank to fit while the parameters below
 * had the room. */
#define FORCE_MIN_HEIGHT 360

static void
place_force_pane (GtkPaned   *paned,
                  GParamSpec *pspec,
                  CdWindow   *self)
{
  int room, want;

  /* max-position is what the parameters below leave at their smallest;
   * the share is of the whole column */
  g_object_get (paned, "max-position", &room, NULL);
  want = MAX ((int) lround (self->force_share * gtk_widget_get_height (GTK_WIDGET (paned))),
              FORCE_MIN_HEIGHT);
  if (room <= 0 || gtk_paned_get_position (paned) == MIN (want, room))
    return;
  self->placing_force = TRUE;
  gtk_paned_set_position (paned, MIN (want, room));
  self->placing_force = FALSE;
}

static void
on_force_pane_moved (GtkPaned   *paned,
                     GParamSpec *pspec,
                     CdWindow   *self)
{
  int column = gtk_widget_get_height (GTK_WIDGET (paned));

  /* Only the user's drags: a column too short for FORCE_MIN_HEIGHT must
   * not lower the share it returns to when the window grows again. */
  if (self->placing_force || column <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (paned)))
    return;
  self->force_share = CLAMP ((double) gtk_paned_get_position (paned) / column, 0.1, 0.9);
}

static void
set_timeseries_height (CdWindow *self,
                       int       chart)
{
  int width, height;

  self->want_chart = chart;
  want_pane_sizes (self);
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  /* about 47 px of header bar above the panes */
  gtk_paned_set_position (self->bottom_paned, MAX (200, height - 47 - chart));
}

/* The sizes are read from the panes' children once they have been laid out
 * at the new position: after the frame that paints them. */
static void
on_panes_painted (GdkFrameClock *clock,
                  CdWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_panes_painted, self);
  self->panes_moved = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_WIDTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESERIES_HEIGHT]);
}

static void
on_pane_moved (GtkPaned   *paned,
               GParamSpec *pspec,
               CdWindow   *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  /* Not shown yet: nothing has a size worth keeping. */
  if (clock == NULL || self->panes_moved)
    return;
  self->panes_moved = TRUE;
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_panes_painted), self, 0);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
}

/* ---- Window ------------------------------------------------------------- */

/* The view preferences are CdSettings's (the win.* actions of the same
 * names toggle them there): every window follows them. */
static void
on_view_setting_changed (CdSettings *settings,
                         GParamSpec *pspec,
                         CdWindow   *self)
{
  cd_canvas_set_show_glyphs (self->canvas, cd_settings_get_show_force_glyphs (settings));
  cd_canvas_set_show_flow (self->canvas, cd_settings_get_show_flow_arrows (settings));
}

static void
cd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CdWindow *self = CD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_WIDTH:
      g_value_set_int (value, gtk_widget_get_width (GTK_WIDGET (self->force_paned)));
      break;
    case PROP_TIMESERIES_HEIGHT:
      g_value_set_int (value, gtk_widget_get_height (gtk_paned_get_end_child (self->bottom_paned)));
      break;
    case PROP_TOOL:
      g_value_set_string (value, tool_names[self->tool]);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CdWindow *self = CD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SIDEBAR_WIDTH:
      set_sidebar_width (self, g_value_get_int (value));
      break;
    case PROP_TIMESERIES_HEIGHT:
      set_timeseries_height (self, g_value_get_int (value));
      break;
    case PROP_TOOL:
      set_tool_by_name (self, g_value_get_string (value));
      break;
    case PROP_PLAYING:
      cd_window_set_playing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
cd_window_close_request (GtkWindow *window)
{
  CdWindow *self = CD_WINDOW (window);

  if (cd_window_hold_close (self))
    return TRUE;
  cd_runner_cancel (self->runner);
  return GTK_WINDOW_CLASS (cd_window_parent_class)->close_request (window);
}

static void
cd_window_unrealize (GtkWidget *widget)
{
  CdWindow *self = CD_WINDOW (widget);

  if (self->panes_moved)
    g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (widget), on_panes_painted,
                                          self);
  self->panes_moved = FALSE;
  GTK_WIDGET_CLASS (cd_window_parent_class)->unrealize (widget);
}

static void
cd_window_dispose (GObject *object)
{
  CdWindow *self = CD_WINDOW (object);

  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  g_clear_handle_id (&self->settle_timeout, g_source_remove);
  if (self->runner != NULL)
    {
      cd_runner_cancel (self->runner);
      g_signal_handlers_disconnect_by_data (self->runner, self);
    }
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_WINDOW);
  g_clear_object (&self->runner);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (cd_window_parent_class)->dispose (object);
}

static void
cd_window_finalize (GObject *object)
{
  CdWindow *self = CD_WINDOW (object);

  g_free (self->last_error);
  G_OBJECT_CLASS (cd_window_parent_class)->finalize (object);
}

static void
cd_window_class_init (CdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = cd_window_dispose;
  object_class->finalize = cd_window_finalize;
  object_class->get_property = cd_window_get_property;
  object_class->set_property = cd_window_set_property;
  widget_class->unrealize = cd_window_unrealize;
  window_class->close_request = cd_window_close_request;

  /* The sizes of the side panel and the chart, in logical pixels. */
  properties[PROP_SIDEBAR_WIDTH] =
    g_param_spec_int ("sidebar-width", NULL, NULL, 0, G_MAXINT, 360, flags);
  properties[PROP_TIMESERIES_HEIGHT] =
    g_param_spec_int ("timeseries-height", NULL, NULL, 0, G_MAXINT, 300, flags);
  /* The canvas's tool by name ("select", "node", "command", "partnership",
   * "delete", "pick"): win.tool. */
  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, "select", flags);
  /* The time cursor moving through the run: win.play. */
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Referencing the resource bundle keeps the linker from dropping it (and
   * its registering constructor) out of the static app library. */
  (void) coordyn_get_resource ();
  g_type_ensure (CD_TYPE_CANVAS);
  g_type_ensure (CD_TYPE_FORCE_VIEW);
  g_type_ensure (CD_TYPE_TIMESERIES_VIEW);
  g_type_ensure (CD_TYPE_TIMELINE);
  g_type_ensure (CD_TYPE_PARAM_PANEL);
  g_type_ensure (CD_TYPE_INSPECTOR);
  g_type_ensure (CD_TYPE_SCENARIO_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CdWindow, name)
  BIND (header_bar);
  BIND (view_stack);
  BIND (toast_overlay);
  BIND (side_paned);
  BIND (bottom_paned);
  BIND (force_paned);
  BIND (canvas);
  BIND (tool_hint);
  BIND (progress_bar);
  BIND (progress_box);
  BIND (outdated_box);
  BIND (preview_label);
  BIND (play_button);
  BIND (time_adjustment);
  BIND (time_label);
  BIND (plot_kind);
  BIND (timeline);
  BIND (timeseries);
  BIND (force_view);
  BIND (side_stack);
  BIND (param_panel);
  BIND (inspector);
  BIND (scenario_panel);
  BIND (recent_submenu);
  BIND (examples_submenu);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_canvas_message);
  gtk_widget_class_bind_template_callback (widget_class, on_node_picked);
  gtk_widget_class_bind_template_callback (widget_class, on_picking_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_event_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_intervention_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_scrub);
  gtk_widget_class_bind_template_callback (widget_class, on_time_adjustment_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_plot_kind);
  gtk_widget_class_bind_template_callback (widget_class, on_pane_moved);

  cd_window_class_actions_init (klass);
}

static void
cd_window_init (CdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->force_share = 0.6;
  g_signal_connect (self->force_paned, "notify::max-position", G_CALLBACK (place_force_pane),
                    self);
  g_signal_connect (self->force_paned, "notify::position", G_CALLBACK (on_force_pane_moved),
                    self);

  self->settings = cd_settings_get_default ();
  self->document = cd_document_new ();
  self->runner = cd_runner_new ();

  cd_window_actions_init (self);
  on_view_setting_changed (self->settings, NULL, self);
  g_signal_connect_object (self->settings, "notify::show-force-glyphs",
                           G_CALLBACK (on_view_setting_changed), self, 0);
  g_signal_connect_object (self->settings, "notify::show-flow-arrows",
                           G_CALLBACK (on_view_setting_changed), self, 0);
  cd_settings_bind_window (self->settings, GTK_WINDOW (self));

  cd_canvas_set_document (self->canvas, self->document);
  cd_timeline_set_document (self->timeline, self->document);
  cd_timeline_set_axis_source (self->timeline, GTK_WIDGET (self->timeseries));
  cd_param_panel_set_document (self->param_panel, self->document);
  cd_inspector_set_document (self->inspector, self->document);
  cd_scenario_panel_set_document (self->scenario_panel, self->document);

  g_signal_connect (self->document, "changed", G_CALLBACK (on_document_changed), self);
  g_signal_connect (self->document, "notify::title", G_CALLBACK (on_title_changed), self);
  g_signal_connect (self->document, "notify::dirty", G_CALLBACK (on_title_changed), self);
  g_signal_connect (self->document, "notify::can-undo", G_CALLBACK (on_undo_state), self);
  g_signal_connect (self->document, "notify::can-redo", G_CALLBACK (on_undo_state), self);
  g_signal_connect (self->runner, "run-changed", G_CALLBACK (on_run_changed), self);
  g_signal_connect (self->runner, "notify::running", G_CALLBACK (on_runner_running), self);
  g_signal_connect (self->runner, "notify::progress", G_CALLBACK (on_runner_progress), self);
  g_signal_connect (self->runner, "notify::error", G_CALLBACK (on_runner_error), self);
  g_signal_connect (self->runner, "notify::outdated", G_CALLBACK (on_runner_outdated), self);
  g_signal_connect (self->runner, "notify::preview", G_CALLBACK (on_runner_outdated), self);

  /* The analyses get a page of their own beside the model. */
  cd_window_add_page (self, cd_analysis_view_new (self->document), "analysis", _("Analysis"),
                      "coordyn-analysis-symbolic");
  cd_window_files_init (self);
  update_title (self);
  cd_window_update_actions (self);
  set_cursor (self, 0.0);
}

CdWindow *
cd_window_new (GtkApplication *app)
{
  return g_object_new (CD_TYPE_WINDOW, "application", app, NULL);
}

CdDocument *
cd_window_get_document (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);
  return self->document;
}

CdRunner *
cd_window_get_runner (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);
  return self->runner;
}

AdwViewStackPage *
cd_window_add_page (CdWindow   *self,
                    GtkWidget  *child,
                    const char *name,
                    const char *title,
                    const char *icon_name)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);
  return adw_view_stack_add_titled_with_icon (self->view_stack, child, name, title, icon_name);
}

double
cd_window_get_cursor_time (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), 0.0);
  return self->cursor_t;
}

void
cd_window_set_cursor_time (CdWindow *self,
                           double    t)
{
  g_return_if_fail (CD_IS_WINDOW (self));
  set_cursor (self, t);
}

CdTimeseriesKind
cd_window_get_series_kind (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), CD_TIMESERIES_MEAN_AND_LOSS);
  return (CdTimeseriesKind) MIN (gtk_drop_down_get_selected (self->plot_kind),
                                 CD_TIMESERIES_TRUST);
}

CdExportSnapshot *
cd_window_dup_export_snapshot (CdWindow *self)
{
  CdRun *run;
  CdExportSnapshot *snapshot;
  GtkWidget *views[CD_N_FIGURE_VIEWS];

  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);

  run = current_run (self);
  snapshot = cd_export_snapshot_new (cd_document_get_model (self->document), run,
                                     cd_runner_get_running (self->runner)
                                     || cd_runner_get_outdated (self->runner)
                                     || cd_runner_get_preview (self->runner));
  snapshot->time = self->cursor_t;
  snapshot->series = cd_window_get_series_kind (self);
  snapshot->show_glyphs = cd_settings_get_show_force_glyphs (self->settings);
  snapshot->show_flows = cd_settings_get_show_flow_arrows (self->settings);
  run_selection (self, run, snapshot->nodes, snapshot->partnerships);
  views[CD_FIGURE_NETWORK] = GTK_WIDGET (self->canvas);
  views[CD_FIGURE_FORCES] = GTK_WIDGET (self->force_view);
  views[CD_FIGURE_TIMESERIES] = GTK_WIDGET (self->timeseries);
  for (guint v = 0; v < CD_N_FIGURE_VIEWS; v++)
    cd_export_snapshot_set_size (snapshot, (CdFigureView) v, gtk_widget_get_width (views[v]),
                                 gtk_widget_get_height (views[v]));
  g_free (snapshot->title);
  snapshot->title = cd_document_dup_title (self->document);
  return snapshot;
}

CdCanvas *
cd_window_get_canvas (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);
  return self->canvas;
}

CdTimeseriesView *
cd_window_get_timeseries (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);
  return self->timeseries;
}

const char *
cd_window_get_last_error (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);
  return self->last_error;
}
