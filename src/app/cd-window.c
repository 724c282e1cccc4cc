/* cd-window.c — the main window (see cd-window.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-analysis-view.h"
#include "cd-edits.h"
#include "cd-export-dialog.h"
#include "cd-force-view.h"
#include "cd-inspector.h"
#include "cd-layout.h"
#include "cd-param-panel.h"
#include "cd-scenario-panel.h"
#include "cd-settings.h"
#include "cd-timeline.h"
#include "cd-window.h"
#include "coordyn-resources.h"

#define BUILTIN_EXAMPLE "/io/github/coordyn/Coordyn/examples/yangtze-river-delta.json"
/* A whole run plays in this many seconds, whatever its length in model time. */
#define PLAY_SECONDS 12.0

typedef void (*ContinueFunc) (CdWindow *self, gpointer data);

struct _CdWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwHeaderBar        *header_bar;
  AdwViewStack        *view_stack;
  AdwToastOverlay     *toast_overlay;
  GtkPaned            *side_paned;
  GtkPaned            *bottom_paned;
  GtkPaned            *force_paned;
  CdCanvas            *canvas;
  GtkWidget           *tool_hint;
  GtkWidget           *progress_bar;
  GtkWidget           *progress_box;
  GtkWidget           *outdated_box;
  GtkWidget           *play_button;
  GtkAdjustment       *time_adjustment;
  GtkWidget           *time_label;
  GtkDropDown         *plot_kind;
  CdTimeline          *timeline;
  CdTimeseriesView    *timeseries;
  CdForceView         *force_view;
  GtkStack            *side_stack;
  CdParamPanel        *param_panel;
  CdInspector         *inspector;
  CdScenarioPanel     *scenario_panel;
  GMenu               *recent_submenu;
  GMenu               *examples_submenu;

  CdSettings          *settings;
  CdDocument          *document;
  CdRunner            *runner;
  double               cursor_t;
  guint                play_tick;
  gint64               play_last_us;
  guint                progress_timeout;
  guint                pane_idle;
  guint                pane_tick;
  int                  want_sidebar;      /* sizes to correct the panes to, or 0 */
  int                  want_chart;
  gboolean             close_confirmed;
  gboolean             select_on_run;
  gboolean             quiet_selection;   /* selecting for the user: keep the panel */
  gboolean             edited_since_run;  /* live re-run off and the model changed */
  char                *last_error;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (CdWindow, cd_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SIDEBAR_WIDTH,
  PROP_TIMESERIES_HEIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_error_dialog (CdWindow   *self,
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

/* A model just opened shows the force-field diagram of its best-connected
 * government, so the theory's picture is on screen from the first second. */
static void
select_most_connected (CdWindow *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  g_autofree guint *degree = g_new0 (guint, model->nodes->len + 1);
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
  for (guint i = 0; i < model->nodes->len; i++)
    if (best < 0 || degree[i] > degree[best])
      best = (int) i;
  self->quiet_selection = TRUE;
  if (best >= 0)
    cd_canvas_select_node (self->canvas, best, FALSE);
  self->quiet_selection = FALSE;
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
  cd_canvas_set_run (self->canvas, run);
  cd_force_view_set_run (self->force_view, run);
  cd_timeseries_view_set_run (self->timeseries, run);
  gtk_widget_queue_draw (GTK_WIDGET (self->timeline));
  if (self->select_on_run)
    select_most_connected (self);
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
}

static void
on_runner_outdated (CdRunner   *runner,
                    GParamSpec *pspec,
                    CdWindow   *self)
{
  update_outdated (self);
}

static void
request_run (CdWindow *self)
{
  self->edited_since_run = FALSE;
  cd_runner_request (self->runner, cd_document_get_model (self->document));
  update_outdated (self);
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
  if (cd_runner_get_running (runner))
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
  if (flags & CD_CHANGE_REPLACED)
    {
      /* A newly opened model shows its outcome first; Play starts it over. */
      self->cursor_t = cd_document_get_model (document)->sim.t_end;
      self->select_on_run = TRUE;
      request_run (self);
      return;
    }
  if (flags == CD_CHANGE_POSITIONS)
    return;
  if (cd_settings_get_live_rerun (self->settings))
    request_run (self);
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
update_undo_actions (CdWindow *self)
{
  const char *undo = cd_document_get_undo_label (self->document);
  const char *redo = cd_document_get_redo_label (self->document);
  g_autofree char *undo_tip = NULL;
  g_autofree char *redo_tip = NULL;
  GAction *action;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "undo");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), cd_document_can_undo (self->document));
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "redo");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), cd_document_can_redo (self->document));
  (void) undo;
  (void) redo;
  (void) undo_tip;
  (void) redo_tip;
}

static void
on_undo_state (CdDocument *document,
               GParamSpec *pspec,
               CdWindow   *self)
{
  update_undo_actions (self);
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

static void
update_selection_views (CdWindow *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (self->canvas);
  g_autoptr (GArray) edges = cd_canvas_get_selected_edges (self->canvas);
  g_autoptr (GArray) run_nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) run_pairs = g_array_new (FALSE, FALSE, sizeof (guint));
  CdRun *run = current_run (self);
  int first_node = nodes->len > 0 ? (int) g_array_index (nodes, guint, 0) : -1;
  int first_edge = edges->len > 0 ? (int) g_array_index (edges, guint, 0) : -1;

  cd_inspector_set_selection (self->inspector, first_node, first_node < 0 ? first_edge : -1,
                              nodes->len + edges->len);

  /* The views draw the run, whose model may lag the document by one edit:
   * translate by id. */
  if (run != NULL)
    {
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

static void
set_tool (CdWindow *self,
          CdTool    tool)
{
  static const char *names[] = { "select", "node", "command", "partnership", "delete", "pick" };
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "tool");
  const char *hint = tool_hint_text (tool);

  if (tool != CD_TOOL_PICK)
    cd_scenario_panel_stop_picking (self->scenario_panel);
  cd_canvas_set_tool (self->canvas, tool);
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (names[tool]));
  gtk_label_set_text (GTK_LABEL (self->tool_hint), hint ? hint : "");
  gtk_widget_set_visible (self->tool_hint, hint != NULL);
}

static void
on_picking_changed (CdScenarioPanel *panel,
                    CdWindow        *self)
{
  if (cd_scenario_panel_get_picking (panel) >= 0)
    set_tool (self, CD_TOOL_PICK);
  else if (cd_canvas_get_tool (self->canvas) == CD_TOOL_PICK)
    set_tool (self, CD_TOOL_SELECT);
}

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

/* ---- Recent files and examples ------------------------------------------ */

static void
rebuild_recent_menu (CdWindow *self)
{
  const char * const *uris = cd_settings_get_recent_files (self->settings);

  g_menu_remove_all (self->recent_submenu);
  for (guint k = 0; uris[k] != NULL; k++)
    {
      g_autoptr (GFile) file = g_file_new_for_uri (uris[k]);
      g_autofree char *name = g_file_get_basename (file);
      g_autoptr (GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-uri",
                                               g_variant_new_string (uris[k]));
      g_menu_append_item (self->recent_submenu, item);
    }
  if (uris[0] == NULL)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_("No Recent Models"), "win.none");
      g_menu_append_item (self->recent_submenu, item);
    }
}

static void
remember_recent (CdWindow *self,
                 GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  cd_settings_add_recent_file (self->settings, uri);
  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

static void
on_recent_changed (CdSettings *settings,
                   GParamSpec *pspec,
                   CdWindow   *self)
{
  rebuild_recent_menu (self);
}

static void
on_view_setting_changed (CdSettings *settings,
                         GParamSpec *pspec,
                         CdWindow   *self)
{
  cd_canvas_set_show_glyphs (self->canvas, cd_settings_get_show_force_glyphs (settings));
  cd_canvas_set_show_flow (self->canvas, cd_settings_get_show_flow_arrows (settings));
}

static const char *
examples_dir (void)
{
  const char *env = g_getenv ("COORDYN_EXAMPLES_DIR");

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_DIR))
    return env;
  /* Installed examples first; the source tree's when running uninstalled. */
  if (g_file_test (EXAMPLES_DIR, G_FILE_TEST_IS_DIR))
    return EXAMPLES_DIR;
  return SOURCE_EXAMPLES_DIR;
}

static gboolean
have_builtin_example (void)
{
  return g_resources_get_info (BUILTIN_EXAMPLE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL);
}

static void
build_examples_menu (CdWindow *self)
{
  g_autoptr (GDir) dir = g_dir_open (examples_dir (), 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_menu_remove_all (self->examples_submenu);
  if (have_builtin_example ())
    g_menu_append (self->examples_submenu, _("Yangtze River Delta (built in)"),
                   "win.open-example::builtin");
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) (gpointer) g_strcmp0);
  for (guint k = 0; k < names->len; k++)
    {
      const char *file = *(const char **) (gpointer) &g_ptr_array_index (names, k);
      g_autofree char *path = g_build_filename (examples_dir (), file, NULL);
      g_autofree char *label = g_strndup (file, strlen (file) - strlen (".json"));
      g_autoptr (GMenuItem) item = NULL;

      g_strdelimit (label, "-_", ' ');
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-example",
                                               g_variant_new_string (path));
      g_menu_append_item (self->examples_submenu, item);
    }
}

/* ---- Files -------------------------------------------------------------- */

gboolean
cd_window_open_file (CdWindow *self,
                     GFile    *file)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (CD_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!cd_document_load (self->document, file, &error))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      /* Translators: %s is a file name */
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);
      show_error_dialog (self, heading, error->message);
      return FALSE;
    }
  remember_recent (self, file);
  return TRUE;
}

gboolean
cd_window_open_builtin_example (CdWindow *self)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (CD_IS_WINDOW (self), FALSE);

  bytes = g_resources_lookup_data (BUILTIN_EXAMPLE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL || !cd_document_load_bytes (self->document, bytes, &error))
    {
      show_error_dialog (self, _("Could Not Open the Built-in Example"), error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  ContinueFunc func;
  gpointer     data;
  GDestroyNotify destroy;
} Continuation;

static void
continuation_free (Continuation *c)
{
  if (c->destroy != NULL)
    c->destroy (c->data);
  g_free (c);
}

static void save_as (CdWindow *self, Continuation *then);

static gboolean
save_to (CdWindow *self,
         GFile    *file)
{
  g_autoptr (GError) error = NULL;

  if (!cd_document_save (self->document, file, &error))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), name);
      show_error_dialog (self, heading, error->message);
      return FALSE;
    }
  remember_recent (self, file);
  cd_window_show_toast (self, _("Saved"));
  return TRUE;
}

static void
run_continuation (CdWindow     *self,
                  Continuation *then)
{
  if (then == NULL)
    return;
  then->func (self, then->data);
  continuation_free (then);
}

/* Saves (asking for a file if there is none), then continues. */
static void
save (CdWindow     *self,
      Continuation *then)
{
  GFile *file = cd_document_get_file (self->document);

  if (file == NULL)
    {
      save_as (self, then);
      return;
    }
  if (save_to (self, file))
    run_continuation (self, then);
  else if (then != NULL)
    continuation_free (then);
}

static void
on_save_as_response (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  CdWindow *self = g_object_get_data (G_OBJECT (dialog), "window");
  Continuation *then = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL && save_to (self, file))
        {
          run_continuation (self, then);
          then = NULL;
        }
    }
  if (then != NULL)
    continuation_free (then);
  g_clear_object (&self->chooser);
}

static void
add_filters (GtkFileChooser *chooser)
{
  g_autoptr (GtkFileFilter) models = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (models, _("Coordyn models"));
  gtk_file_filter_add_pattern (models, "*.coordyn.json");
  gtk_file_filter_add_pattern (models, "*.json");
  gtk_file_filter_add_mime_type (models, "application/json");
  gtk_file_chooser_add_filter (chooser, models);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

static void
save_as (CdWindow     *self,
         Continuation *then)
{
  g_autofree char *title = cd_document_dup_title (self->document);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save Model"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser));
  if (cd_document_get_file (self->document) != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), cd_document_get_file (self->document),
                               NULL);
  else
    {
      g_strdelimit (title, "/\\:", '-');
      name = g_strdup_printf ("%s.coordyn.json", title);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "window", self);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_as_response), then);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  CdWindow *self = CD_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  Continuation *then = user_data;

  if (g_str_equal (response, "save"))
    save (self, then);
  else if (g_str_equal (response, "discard"))
    run_continuation (self, then);
  else
    continuation_free (then);
}

/* Runs func at once if nothing would be lost, otherwise after the user
 * chose to save or discard the changes (never if they cancel). */
static void
confirm_discard (CdWindow      *self,
                 ContinueFunc   func,
                 gpointer       data,
                 GDestroyNotify destroy)
{
  Continuation *then = g_new0 (Continuation, 1);
  g_autofree char *title = NULL;
  GtkWidget *dialog;

  then->func = func;
  then->data = data;
  then->destroy = destroy;
  if (!cd_document_get_dirty (self->document))
    {
      run_continuation (self, then);
      return;
    }
  title = cd_document_dup_title (self->document);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);
  /* Translators: %s is the model's name */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes which are not saved will "
                                    "be permanently lost."), title);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_discard_response), then);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
do_new (CdWindow *self,
        gpointer  data)
{
  cd_document_set_model (self->document, cd_model_new (), NULL);
}

static void
do_open_file (CdWindow *self,
              gpointer  data)
{
  cd_window_open_file (self, G_FILE (data));
}

static void
do_open_builtin (CdWindow *self,
                 gpointer  data)
{
  cd_window_open_builtin_example (self);
}

static void
do_close (CdWindow *self,
          gpointer  data)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  CdWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL)
        confirm_discard (self, do_open_file, file, g_object_unref);
    }
  g_clear_object (&self->chooser);
}

/* ---- Actions ------------------------------------------------------------ */

static void
action_new (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  confirm_discard (CD_WINDOW (user_data), do_new, NULL, NULL);
}

static void
action_open (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Model"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_open_uri (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  confirm_discard (CD_WINDOW (user_data), do_open_file,
                   g_file_new_for_uri (g_variant_get_string (param, NULL)), g_object_unref);
}

static void
action_open_example (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  const char *which = g_variant_get_string (param, NULL);

  if (g_str_equal (which, "builtin"))
    confirm_discard (CD_WINDOW (user_data), do_open_builtin, NULL, NULL);
  else
    confirm_discard (CD_WINDOW (user_data), do_open_file, g_file_new_for_path (which),
                     g_object_unref);
}

static void
action_save (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  save (CD_WINDOW (user_data), NULL);
}

static void
action_save_as (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  save_as (CD_WINDOW (user_data), NULL);
}

static void
action_undo (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  g_autofree char *label = g_strdup (cd_document_get_undo_label (self->document));

  if (cd_document_undo (self->document) && label != NULL)
    {
      /* Translators: toast after undo, %s is the step, e.g. "Add Government" */
      g_autofree char *text = g_strdup_printf (_("Undone: %s"), label);
      cd_window_show_toast (self, text);
    }
}

static void
action_redo (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  cd_document_redo (CD_WINDOW (user_data)->document);
}

static void
action_delete (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);

  if (!cd_canvas_delete_selection (self->canvas))
    cd_window_show_toast (self, _("Select a government or a tie to delete"));
}

static void
action_select_all (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  cd_canvas_select_all (CD_WINDOW (user_data)->canvas);
}

static void
action_rename (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (self->canvas);

  if (nodes->len > 0)
    cd_canvas_rename_node (self->canvas, (int) g_array_index (nodes, guint, 0));
}

static gboolean
level_from_variant (GVariant *param,
                    CdLevel  *level)
{
  return cd_level_from_string (g_variant_get_string (param, NULL), level);
}

/* Adds a government of the given level at the centre of the view, at once
 * (keyboard and tests; the add tool places it where the user clicks). */
static void
action_add_government (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  CdAddNode add = { CD_LEVEL_MUNICIPAL, 0, 0, NULL };
  g_autoptr (GError) error = NULL;
  const CdModel *model = cd_document_get_model (self->document);

  if (!level_from_variant (param, &add.level))
    return;
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

static void
action_add_level (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  CdLevel level;

  if (!level_from_variant (param, &level))
    return;
  cd_canvas_set_add_level (self->canvas, level);
  set_tool (self, CD_TOOL_ADD_NODE);
}

/* Connects the first two selected governments: first → second. */
static void
action_connect (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (self->canvas);
  const CdModel *model = cd_document_get_model (self->document);
  g_autoptr (GError) error = NULL;
  CdAddEdge add;

  if (nodes->len != 2)
    {
      cd_window_show_toast (self, _("Select two governments to connect (Shift+click the second)"));
      return;
    }
  add.kind = g_str_equal (g_variant_get_string (param, NULL), "command") ? CD_EDGE_COMMAND
                                                                          : CD_EDGE_PARTNERSHIP;
  add.source = ((CdNode *) g_ptr_array_index (model->nodes, g_array_index (nodes, guint, 0)))->id;
  add.target = ((CdNode *) g_ptr_array_index (model->nodes, g_array_index (nodes, guint, 1)))->id;
  if (!cd_document_apply (self->document, add.kind == CD_EDGE_COMMAND ? _("Add Command Line")
                                                                     : _("Add Partnership"),
                          NULL, CD_CHANGE_STRUCTURE, cd_edit_add_edge, &add, &error))
    cd_window_show_toast (self, error->message);
}

static void
action_tool (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  const char *name = g_variant_get_string (param, NULL);
  CdTool tool = CD_TOOL_SELECT;

  if (g_str_equal (name, "node"))
    tool = CD_TOOL_ADD_NODE;
  else if (g_str_equal (name, "command"))
    tool = CD_TOOL_ADD_COMMAND;
  else if (g_str_equal (name, "partnership"))
    tool = CD_TOOL_ADD_PARTNERSHIP;
  else if (g_str_equal (name, "delete"))
    tool = CD_TOOL_DELETE;
  set_tool (self, tool);
}

static void
action_layout (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  const char *which = g_variant_get_string (param, NULL);
  CdLayoutKind kind = g_str_equal (which, "hierarchy") ? CD_LAYOUT_KIND_HIERARCHY
                    : g_str_equal (which, "force") ? CD_LAYOUT_KIND_FORCE
                    : CD_LAYOUT_KIND_AUTO;
  g_autoptr (GError) error = NULL;

  if (!cd_document_apply (self->document, _("Lay Out"), NULL, CD_CHANGE_POSITIONS,
                          cd_edit_layout, &kind, &error))
    {
      cd_window_show_toast (self, error->message);
      return;
    }
  cd_canvas_fit (self->canvas);
}

static void
action_fit (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  cd_canvas_fit (CD_WINDOW (user_data)->canvas);
}

static void
action_zoom_in (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  cd_canvas_zoom (CD_WINDOW (user_data)->canvas, 1.25);
}

static void
action_zoom_out (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  cd_canvas_zoom (CD_WINDOW (user_data)->canvas, 0.8);
}

static void
action_run (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  request_run (CD_WINDOW (user_data));
}

static void
action_cancel_run (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);

  if (!cd_runner_get_running (self->runner))
    return;
  cd_runner_cancel (self->runner);
  /* With an earlier result the out-of-date note says it all. */
  if (cd_runner_get_run (self->runner) == NULL)
    cd_window_show_toast (self, _("Run cancelled: Ctrl+R runs it again"));
}

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
      g_action_group_activate_action (G_ACTION_GROUP (self), "play", NULL);
      return G_SOURCE_REMOVE;
    }
  set_cursor (self, t);
  return G_SOURCE_CONTINUE;
}

static void
action_play (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  gboolean playing = !g_variant_get_boolean (g_action_get_state (G_ACTION (action)));

  g_simple_action_set_state (action, g_variant_new_boolean (playing));
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
}

static void
action_fullscreen (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  GtkWindow *window = GTK_WINDOW (user_data);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* ((sd)): a parameter's path and its new value, e.g. ("resistance.law", 0.5). */
static void
action_set_parameter (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  CdWindow *self = CD_WINDOW (user_data);
  const char *path;
  double value;
  CdParam p;

  g_variant_get (param, "(&sd)", &path, &value);
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

static void
action_export_figure (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  cd_export_dialog_present (CD_WINDOW (user_data));
}

static void
action_export_csv (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  cd_export_dialog_choose_csv (CD_WINDOW (user_data));
}

static void
action_show_message (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  cd_window_show_toast (CD_WINDOW (user_data), g_variant_get_string (param, NULL));
}

static void
action_none (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
}

static const GActionEntry win_entries[] = {
  { "new", action_new },
  { "open", action_open },
  { "open-uri", action_open_uri, "s" },
  { "open-example", action_open_example, "s" },
  { "save", action_save },
  { "save-as", action_save_as },
  { "export-figure", action_export_figure },
  { "export-csv", action_export_csv },
  { "undo", action_undo },
  { "redo", action_redo },
  { "delete", action_delete },
  { "select-all", action_select_all },
  { "rename", action_rename },
  { "add-government", action_add_government, "s" },
  { "add-level", action_add_level, "s" },
  { "connect", action_connect, "s" },
  { "tool", action_tool, "s", "'select'" },
  { "layout", action_layout, "s" },
  { "fit", action_fit },
  { "zoom-in", action_zoom_in },
  { "zoom-out", action_zoom_out },
  { "run", action_run },
  { "cancel-run", action_cancel_run },
  { "play", action_play, NULL, "false" },
  { "fullscreen", action_fullscreen },
  { "set-parameter", action_set_parameter, "(sd)" },
  { "show-message", action_show_message, "s" },
  { "none", action_none },
};

/* ---- Drag and drop ------------------------------------------------------ */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CdWindow      *self)
{
  GFile *file;

  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;
  file = g_value_get_object (value);
  confirm_discard (self, do_open_file, g_object_ref (file), g_object_unref);
  return TRUE;
}

/* ---- Window ------------------------------------------------------------- */

static gboolean
cd_window_close_request (GtkWindow *window)
{
  CdWindow *self = CD_WINDOW (window);

  if (!self->close_confirmed && cd_document_get_dirty (self->document))
    {
      confirm_discard (self, do_close, NULL, NULL);
      return TRUE;
    }
  cd_runner_cancel (self->runner);
  return GTK_WINDOW_CLASS (cd_window_parent_class)->close_request (window);
}

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
  /* The force-field diagram is the heart of the window: give it room. */
  gtk_paned_set_position (self->force_paned, MAX (360, (int) (height * 0.5)));
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
 * at the new position, which happens before idle callbacks run. */
static gboolean
notify_pane_sizes (gpointer data)
{
  CdWindow *self = data;

  self->pane_idle = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_WIDTH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMESERIES_HEIGHT]);
  return G_SOURCE_REMOVE;
}

static void
on_pane_moved (GtkPaned   *paned,
               GParamSpec *pspec,
               CdWindow   *self)
{
  if (self->pane_idle == 0)
    self->pane_idle = g_idle_add (notify_pane_sizes, self);
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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_window_dispose (GObject *object)
{
  CdWindow *self = CD_WINDOW (object);

  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  g_clear_handle_id (&self->pane_idle, g_source_remove);
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

  object_class->dispose = cd_window_dispose;
  object_class->finalize = cd_window_finalize;
  object_class->get_property = cd_window_get_property;
  object_class->set_property = cd_window_set_property;
  window_class->close_request = cd_window_close_request;

  /* The sizes of the side panel and the chart, in logical pixels. */
  properties[PROP_SIDEBAR_WIDTH] =
    g_param_spec_int ("sidebar-width", NULL, NULL, 0, G_MAXINT, 360,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TIMESERIES_HEIGHT] =
    g_param_spec_int ("timeseries-height", NULL, NULL, 0, G_MAXINT, 300,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
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
  gtk_widget_class_bind_template_child (widget_class, CdWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, side_paned);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, bottom_paned);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, force_paned);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, tool_hint);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, outdated_box);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, time_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, plot_kind);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, timeseries);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, force_view);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, param_panel);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, scenario_panel);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, recent_submenu);
  gtk_widget_class_bind_template_child (widget_class, CdWindow, examples_submenu);
}

static void
cd_window_init (CdWindow *self)
{
  g_autoptr (GAction) glyphs = NULL;
  g_autoptr (GAction) flow = NULL;
  g_autoptr (GAction) live = NULL;
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = cd_settings_get_default ();
  self->document = cd_document_new ();
  self->runner = cd_runner_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries),
                                   self);
  glyphs = G_ACTION (g_property_action_new ("show-force-glyphs", self->settings,
                                            "show-force-glyphs"));
  flow = G_ACTION (g_property_action_new ("show-flow-arrows", self->settings,
                                          "show-flow-arrows"));
  live = G_ACTION (g_property_action_new ("live-rerun", self->settings, "live-rerun"));
  g_action_map_add_action (G_ACTION_MAP (self), glyphs);
  g_action_map_add_action (G_ACTION_MAP (self), flow);
  g_action_map_add_action (G_ACTION_MAP (self), live);
  on_view_setting_changed (self->settings, NULL, self);
  g_signal_connect_object (self->settings, "notify::show-force-glyphs",
                           G_CALLBACK (on_view_setting_changed), self, 0);
  g_signal_connect_object (self->settings, "notify::show-flow-arrows",
                           G_CALLBACK (on_view_setting_changed), self, 0);

  cd_settings_bind_window (self->settings, GTK_WINDOW (self));
  g_signal_connect (self->side_paned, "notify::position", G_CALLBACK (on_pane_moved), self);
  g_signal_connect (self->bottom_paned, "notify::position", G_CALLBACK (on_pane_moved), self);

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
  g_signal_connect (self->canvas, "selection-changed", G_CALLBACK (on_selection_changed), self);
  g_signal_connect (self->canvas, "message", G_CALLBACK (on_canvas_message), self);
  g_signal_connect (self->canvas, "node-picked", G_CALLBACK (on_node_picked), self);
  g_signal_connect (self->scenario_panel, "picking-changed", G_CALLBACK (on_picking_changed), self);
  g_signal_connect (self->timeline, "event-activated", G_CALLBACK (on_event_activated), self);
  g_signal_connect (self->timeline, "intervention-activated",
                    G_CALLBACK (on_intervention_activated), self);
  g_signal_connect (self->timeline, "scrub", G_CALLBACK (on_scrub), self);
  g_signal_connect (self->timeseries, "scrub", G_CALLBACK (on_scrub), self);
  g_signal_connect (self->time_adjustment, "value-changed",
                    G_CALLBACK (on_time_adjustment_changed), self);
  g_signal_connect (self->plot_kind, "notify::selected", G_CALLBACK (on_plot_kind), self);
  g_signal_connect_object (self->settings, "notify::recent-files",
                           G_CALLBACK (on_recent_changed), self, 0);

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  /* The analyses get a page of their own beside the model. */
  cd_window_add_page (self, cd_analysis_view_new (self->document), "analysis", _("Analysis"),
                      "utilities-system-monitor-symbolic");
  rebuild_recent_menu (self);
  build_examples_menu (self);
  update_title (self);
  update_undo_actions (self);
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

GtkWidget *
cd_window_get_force_view (CdWindow *self)
{
  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->force_view);
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
