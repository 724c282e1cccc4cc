/* cd-canvas.c — the network canvas (see cd-canvas.h).
 *
 * All drawing and hit testing is src/render's CdNetworkView; this file only
 * turns pointer and keyboard input into selections and CdDocument edits.
 *
 * Keyboard use (issue 5.6) goes through widget actions ("canvas.focus-next",
 * "canvas.move-focused", …) bound to keys, so that tests and assistive
 * technologies drive exactly the code a key press does.
 *
 * On a 2× display a national frame at full density costs about three times
 * a frame at scale 1, too much for a pan drag to follow the pointer.  So,
 * as map and drawing programs do, frames drawn while the user moves the
 * view or what it shows (see interacted ()) are drawn at scale 1 and scaled
 * up by GTK, and one frame at the full scale follows once nothing has
 * moved for SHARP_DELAY_MS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-canvas.h"
#include "cd-edits.h"
#include "cd-render-glue.h"

/* A selected edge, by identity, so selections survive edits that shift
 * indices (and are dropped when the edge goes away). */
typedef struct
{
  CdEdgeKind kind;
  char      *source;
  char      *target;
  int        index;     /* in the model as of the last rebuild: follows renames */
} EdgeKey;

static void
edge_key_free (gpointer data)
{
  EdgeKey *key = data;

  g_free (key->source);
  g_free (key->target);
  g_free (key);
}

typedef enum
{
  DRAG_NONE,
  DRAG_MOVE,
  DRAG_BAND,
  DRAG_PAN,
} DragMode;

struct _CdCanvas
{
  GtkWidget       parent_instance;

  CdDocument     *document;
  CdRun          *run;
  gboolean        run_matches;   /* the run's nodes and edges are the model's */
  guint           sample;
  CdNetworkView  *view;
  CdWidgetImage  *image;         /* frames drawn in place, at the display's density */
  gboolean        quick;         /* the user is moving things: frames at scale 1 */
  guint           sharp_source;  /* the timeout that ends `quick` */
  gboolean        needs_fit;
  /* The size last allocated, and the transform the last fit gave: while the
   * view is still that one, a new size fits again (the user has not
   * zoomed or panned); otherwise the view keeps its centre. */
  int             alloc_w, alloc_h;
  double          fit_transform[3];

  CdTool          tool;
  CdLevel         add_level;
  gboolean        show_glyphs;
  gboolean        show_flow;

  GPtrArray      *sel_node_ids;  /* of char*, in selection order */
  GArray         *sel_node_index;/* of int, parallel: index at the last rebuild */
  GPtrArray      *sel_edges;     /* of EdgeKey */
  GArray         *sel_node_mask; /* of gboolean, per node of the model */
  GArray         *sel_edge_mask;
  guint           known_nodes;   /* node and edge counts at the last rebuild */
  guint           known_edges;

  /* Keyboard focus: a government by id (like the selection, so it survives
   * edits), its index at the last rebuild, and its place in the Tab order. */
  char           *focus_id;
  int             focus_index;
  guint           focus_rank;
  guint           key_burst;     /* arrow moves: one undo step per burst */
  gboolean        key_moving;
  char           *description;   /* accessible, of the focused government */

  int             hovered_node;
  int             hovered_edge;
  int             pending_source;
  double          pointer_x, pointer_y;

  DragMode        drag_mode;
  double          drag_x0, drag_y0;        /* pixels at press */
  double          drag_dx, drag_dy;
  char          **drag_ids;                /* nodes being moved */
  double         *drag_start_x, *drag_start_y;
  guint           drag_serial;
  double          pan_zoom, pan_x0, pan_y0;
  double          pinch_zoom0;

  GtkWidget      *rename_popover;
  GtkWidget      *rename_entry;
  int             rename_node;
  GtkWidget      *context_menu;
};

G_DEFINE_FINAL_TYPE (CdCanvas, cd_canvas, GTK_TYPE_WIDGET)

enum
{
  SELECTION_CHANGED,
  NODE_PICKED,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const CdModel *
model_of (CdCanvas *self)
{
  return self->document != NULL ? cd_document_get_model (self->document) : NULL;
}

/* For callers that only run with a document set (input handlers, edits). */
static const CdModel *
model_of_doc (CdCanvas *self)
{
  const CdModel *model;

  g_assert (self->document != NULL);
  model = cd_document_get_model (self->document);
  g_assert (model != NULL);
  return model;
}

/* Whether the run was made from a model with the same nodes and edges in
 * the same order: only then may its arrays be read by the model's indices. */
static gboolean
run_matches_model (const CdRun   *run,
                   const CdModel *model)
{
  if (run == NULL || model == NULL)
    return FALSE;
  if (run->model->nodes->len != model->nodes->len || run->model->edges->len != model->edges->len)
    return FALSE;
  for (guint i = 0; i < model->nodes->len; i++)
    if (strcmp (((CdNode *) g_ptr_array_index (model->nodes, i))->id,
                ((CdNode *) g_ptr_array_index (run->model->nodes, i))->id) != 0)
      return FALSE;
  for (guint i = 0; i < model->edges->len; i++)
    {
      const CdEdge *a = g_ptr_array_index (model->edges, i);
      const CdEdge *b = g_ptr_array_index (run->model->edges, i);
      if (a->kind != b->kind || strcmp (a->source, b->source) != 0
          || strcmp (a->target, b->target) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Renaming a government's id (the inspector does) keeps its index and the
 * counts of nodes and edges; no other single edit does both and loses an id.
 * So when an id we hold has vanished but the counts are unchanged, the
 * government at the index it had is the same one, renamed: keep holding it,
 * so the selection and the keyboard focus survive the rename. */
static const char *
renamed_id (CdCanvas      *self,
            const CdModel *model,
            int            old_index)
{
  if (model->nodes->len != self->known_nodes || model->edges->len != self->known_edges
      || old_index < 0 || (guint) old_index >= model->nodes->len)
    return NULL;
  return ((CdNode *) g_ptr_array_index (model->nodes, old_index))->id;
}

static gboolean
id_selected (CdCanvas   *self,
             const char *id)
{
  for (guint k = 0; k < self->sel_node_ids->len; k++)
    if (g_str_equal (g_ptr_array_index (self->sel_node_ids, k), id))
      return TRUE;
  return FALSE;
}

static void
rebuild_masks (CdCanvas *self)
{
  const CdModel *model = model_of (self);
  guint n_nodes = model ? model->nodes->len : 0;
  guint n_edges = model ? model->edges->len : 0;
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) keep_index = g_array_new (FALSE, FALSE, sizeof (int));

  g_array_set_size (self->sel_node_mask, 0);
  g_array_set_size (self->sel_node_mask, n_nodes);
  g_array_set_size (self->sel_edge_mask, 0);
  g_array_set_size (self->sel_edge_mask, n_edges);
  if (model == NULL)
    {
      g_ptr_array_set_size (self->sel_node_ids, 0);
      g_array_set_size (self->sel_node_index, 0);
      g_ptr_array_set_size (self->sel_edges, 0);
      g_clear_pointer (&self->focus_id, g_free);
      self->focus_index = -1;
      self->known_nodes = self->known_edges = 0;
      return;
    }

  for (guint k = 0; k < self->sel_node_ids->len; k++)
    {
      const char *id = g_ptr_array_index (self->sel_node_ids, k);
      int i = cd_model_find_node (model, id);

      if (i < 0)
        {
          /* Entries added since the last rebuild have no index yet. */
          int old = k < self->sel_node_index->len ? g_array_index (self->sel_node_index, int, k)
                                                  : -1;
          const char *renamed = renamed_id (self, model, old);
          if (renamed != NULL && !id_selected (self, renamed))
            {
              id = renamed;
              i = old;
            }
        }
      if (i >= 0 && !g_array_index (self->sel_node_mask, gboolean, i))
        {
          g_array_index (self->sel_node_mask, gboolean, i) = TRUE;
          g_ptr_array_add (keep, g_strdup (id));
          g_array_append_val (keep_index, i);
        }
    }
  g_ptr_array_set_size (self->sel_node_ids, 0);
  for (guint k = 0; k < keep->len; k++)
    g_ptr_array_add (self->sel_node_ids, g_strdup (g_ptr_array_index (keep, k)));
  g_array_set_size (self->sel_node_index, 0);
  g_array_append_vals (self->sel_node_index, keep_index->data, keep_index->len);

  for (guint k = self->sel_edges->len; k-- > 0;)
    {
      EdgeKey *key = g_ptr_array_index (self->sel_edges, k);
      int e = cd_model_find_edge (model, key->kind, key->source, key->target);

      /* An edge whose end was renamed sits at the same index, same kind. */
      if (e < 0 && n_nodes == self->known_nodes && n_edges == self->known_edges
          && key->index >= 0 && (guint) key->index < n_edges
          && ((CdEdge *) g_ptr_array_index (model->edges, key->index))->kind == key->kind)
        {
          const CdEdge *edge = g_ptr_array_index (model->edges, key->index);
          g_free (key->source);
          g_free (key->target);
          key->source = g_strdup (edge->source);
          key->target = g_strdup (edge->target);
          e = key->index;
        }
      key->index = e;
      if (e >= 0)
        g_array_index (self->sel_edge_mask, gboolean, e) = TRUE;
      else
        g_ptr_array_remove_index (self->sel_edges, k);
    }

  if (self->focus_id != NULL)
    {
      int i = cd_model_find_node (model, self->focus_id);
      const char *renamed = i < 0 ? renamed_id (self, model, self->focus_index) : NULL;

      if (renamed != NULL)
        {
          g_free (self->focus_id);
          self->focus_id = g_strdup (renamed);
          i = self->focus_index;
        }
      self->focus_index = i;
    }
  self->known_nodes = n_nodes;
  self->known_edges = n_edges;
}

/* How long the view must stay still before a sharp frame follows the quick
 * ones: several times the gap between two events of a drag, a held key or
 * playback (8–33 ms), so that none of them lets a sharp frame in between,
 * and short enough that the sharp one seems to come as the hand stops. */
#define SHARP_DELAY_MS 180

static gboolean
on_sharp_timeout (gpointer data)
{
  CdCanvas *self = data;

  self->sharp_source = 0;
  self->quick = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* The user has just moved the view or what it shows (a pan, a zoom, a drag
 * of governments or of the rubber band, the time cursor): redraws, and on
 * a display of scale 2 or more draws at scale 1 until nothing has moved for
 * SHARP_DELAY_MS, then once at the full scale.  Each call restarts the
 * wait, so the sharp frame always comes after the last movement.  A 1×
 * display has nothing to gain: its frames are all alike. */
static void
interacted (CdCanvas *self)
{
  if (gtk_widget_get_scale_factor (GTK_WIDGET (self)) > 1)
    {
      self->quick = TRUE;
      g_clear_handle_id (&self->sharp_source, g_source_remove);
      self->sharp_source = g_timeout_add (SHARP_DELAY_MS, on_sharp_timeout, self);
      g_source_set_name_by_id (self->sharp_source, "[coordyn] canvas sharp frame");
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void update_accessible (CdCanvas *self);

static void
selection_changed (CdCanvas *self)
{
  rebuild_masks (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void     refocus_at_rank   (CdCanvas *self);
static gboolean focus_valid       (CdCanvas *self);
static void     end_key_burst     (CdCanvas *self);
static GArray  *tab_order         (CdCanvas *self);
static guint    rank_in           (const GArray *order,
                                   int           index);
static void     set_focus         (CdCanvas *self,
                                   int       index,
                                   guint     rank,
                                   gboolean  reveal);

static void
on_document_changed (CdDocument *document,
                     guint       flags,
                     CdCanvas   *self)
{
  const CdModel *model = model_of (self);
  guint n_before = self->sel_node_ids->len + self->sel_edges->len;

  cd_network_view_sync (self->view, model);
  if (flags & CD_CHANGE_REPLACED)
    {
      g_ptr_array_set_size (self->sel_node_ids, 0);
      g_ptr_array_set_size (self->sel_edges, 0);
      g_clear_pointer (&self->focus_id, g_free);
      self->focus_index = -1;
      self->needs_fit = TRUE;
      self->pending_source = -1;
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
  self->hovered_node = self->hovered_edge = -1;
  if (self->pending_source >= 0 && (guint) self->pending_source >= model->nodes->len)
    self->pending_source = -1;
  self->run_matches = run_matches_model (self->run, model);
  rebuild_masks (self);
  /* The focused government was deleted: keep the keyboard where it was in
   * the Tab order rather than throwing it back to the start. */
  if (self->focus_id != NULL && self->focus_index < 0)
    refocus_at_rank (self);
  if (n_before != self->sel_node_ids->len + self->sel_edges->len || (flags & CD_CHANGE_STRUCTURE))
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_canvas_set_document (CdCanvas   *self,
                        CdDocument *document)
{
  g_return_if_fail (CD_IS_CANVAS (self));

  cd_document_follow (&self->document, document, self, G_CALLBACK (on_document_changed));
  if (document != NULL)
    on_document_changed (document, CD_CHANGE_STRUCTURE | CD_CHANGE_REPLACED, self);
}

void
cd_canvas_set_run (CdCanvas *self,
                   CdRun    *run)
{
  g_return_if_fail (CD_IS_CANVAS (self));

  if (run != NULL)
    cd_run_ref (run);
  g_clear_pointer (&self->run, cd_run_unref);
  self->run = run;
  self->run_matches = run_matches_model (run, model_of (self));
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_canvas_set_sample (CdCanvas *self,
                      guint     sample)
{
  g_return_if_fail (CD_IS_CANVAS (self));

  if (self->sample == sample)
    return;
  self->sample = sample;
  update_accessible (self);
  /* playback and the time slider's drag step through samples */
  interacted (self);
}

void
cd_canvas_set_tool (CdCanvas *self,
                    CdTool    tool)
{
  static const char *cursors[] = {
    [CD_TOOL_SELECT] = "default",
    [CD_TOOL_ADD_NODE] = "copy",
    [CD_TOOL_ADD_COMMAND] = "crosshair",
    [CD_TOOL_ADD_PARTNERSHIP] = "crosshair",
    [CD_TOOL_DELETE] = "not-allowed",
    [CD_TOOL_PICK] = "pointer",
  };

  g_return_if_fail (CD_IS_CANVAS (self));

  self->tool = tool;
  self->pending_source = -1;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursors[tool]);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

CdTool
cd_canvas_get_tool (CdCanvas *self)
{
  g_return_val_if_fail (CD_IS_CANVAS (self), CD_TOOL_SELECT);
  return self->tool;
}

void
cd_canvas_set_add_level (CdCanvas *self,
                         CdLevel   level)
{
  g_return_if_fail (CD_IS_CANVAS (self));
  self->add_level = level;
}

void
cd_canvas_set_show_glyphs (CdCanvas *self,
                           gboolean  show)
{
  g_return_if_fail (CD_IS_CANVAS (self));
  self->show_glyphs = show;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_canvas_set_show_flow (CdCanvas *self,
                         gboolean  show)
{
  g_return_if_fail (CD_IS_CANVAS (self));
  self->show_flow = show;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_canvas_zoom (CdCanvas *self,
                double    factor)
{
  g_return_if_fail (CD_IS_CANVAS (self));

  cd_network_view_zoom_at (self->view, factor, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
  /* the zoom keys, often pressed several times in a row */
  interacted (self);
}

/* Fits the network to w × h with room for what the canvas draws around
 * the nodes in its current style (the glyphs, when shown), and a margin
 * clear of the tool buttons' column. */
static void
fit_view (CdCanvas *self,
          int       w,
          int       h)
{
  CdRenderStyle style;

  cd_widget_render_style (GTK_WIDGET (self), &style);
  cd_network_view_fit_for (self->view, w, h, 48.0, &style, self->show_glyphs);
  cd_network_view_get_transform (self->view, &self->fit_transform[0], &self->fit_transform[1],
                                 &self->fit_transform[2]);
}

static gboolean
view_is_fitted (CdCanvas *self)
{
  double t[3];

  cd_network_view_get_transform (self->view, &t[0], &t[1], &t[2]);
  return memcmp (t, self->fit_transform, sizeof t) == 0;
}

void
cd_canvas_fit (CdCanvas *self)
{
  int w, h;

  g_return_if_fail (CD_IS_CANVAS (self));

  w = gtk_widget_get_width (GTK_WIDGET (self));
  h = gtk_widget_get_height (GTK_WIDGET (self));
  if (w <= 1 || h <= 1)
    {
      self->needs_fit = TRUE;
      return;
    }
  fit_view (self, w, h);
  self->needs_fit = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_canvas_get_transform (CdCanvas *self,
                         double   *zoom,
                         double   *pan_x,
                         double   *pan_y)
{
  g_return_if_fail (CD_IS_CANVAS (self));
  cd_network_view_get_transform (self->view, zoom, pan_x, pan_y);
}

void
cd_canvas_get_center (CdCanvas *self,
                      double   *mx,
                      double   *my)
{
  g_return_if_fail (CD_IS_CANVAS (self));
  cd_network_view_to_model (self->view, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                            gtk_widget_get_height (GTK_WIDGET (self)) / 2.0, mx, my);
}

GArray *
cd_canvas_get_selected_nodes (CdCanvas *self)
{
  const CdModel *model = model_of (self);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint k = 0; model != NULL && k < self->sel_node_ids->len; k++)
    {
      int i = cd_model_find_node (model, g_ptr_array_index (self->sel_node_ids, k));
      if (i >= 0)
        {
          guint u = (guint) i;
          g_array_append_val (out, u);
        }
    }
  return out;
}

GArray *
cd_canvas_get_selected_edges (CdCanvas *self)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint e = 0; e < self->sel_edge_mask->len; e++)
    if (g_array_index (self->sel_edge_mask, gboolean, e))
      g_array_append_val (out, e);
  return out;
}

static gboolean
node_selected (CdCanvas *self,
               int       index)
{
  return index >= 0 && (guint) index < self->sel_node_mask->len
         && g_array_index (self->sel_node_mask, gboolean, index);
}

void
cd_canvas_clear_selection (CdCanvas *self)
{
  g_return_if_fail (CD_IS_CANVAS (self));

  if (self->sel_node_ids->len == 0 && self->sel_edges->len == 0)
    return;
  g_ptr_array_set_size (self->sel_node_ids, 0);
  g_ptr_array_set_size (self->sel_edges, 0);
  selection_changed (self);
}

static void
toggle_node (CdCanvas *self,
             int       index)
{
  const CdNode *node = g_ptr_array_index (model_of_doc (self)->nodes, index);

  for (guint k = 0; k < self->sel_node_ids->len; k++)
    if (g_str_equal (g_ptr_array_index (self->sel_node_ids, k), node->id))
      {
        g_ptr_array_remove_index (self->sel_node_ids, k);
        return;
      }
  g_ptr_array_add (self->sel_node_ids, g_strdup (node->id));
}

void
cd_canvas_select_node (CdCanvas *self,
                       int       index,
                       gboolean  extend)
{
  const CdModel *model = model_of (self);

  g_return_if_fail (CD_IS_CANVAS (self));

  if (!extend)
    {
      g_ptr_array_set_size (self->sel_node_ids, 0);
      g_ptr_array_set_size (self->sel_edges, 0);
    }
  if (model != NULL && index >= 0 && (guint) index < model->nodes->len)
    toggle_node (self, index);
  selection_changed (self);
}

void
cd_canvas_select_edge (CdCanvas *self,
                       int       index,
                       gboolean  extend)
{
  const CdModel *model = model_of (self);

  g_return_if_fail (CD_IS_CANVAS (self));

  if (!extend)
    {
      g_ptr_array_set_size (self->sel_node_ids, 0);
      g_ptr_array_set_size (self->sel_edges, 0);
    }
  if (model != NULL && index >= 0 && (guint) index < model->edges->len)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, index);
      EdgeKey *key = g_new0 (EdgeKey, 1);

      key->kind = e->kind;
      key->source = g_strdup (e->source);
      key->target = g_strdup (e->target);
      key->index = index;
      g_ptr_array_add (self->sel_edges, key);
    }
  selection_changed (self);
}

void
cd_canvas_select_all (CdCanvas *self)
{
  const CdModel *model = model_of (self);

  g_return_if_fail (CD_IS_CANVAS (self));

  g_ptr_array_set_size (self->sel_node_ids, 0);
  g_ptr_array_set_size (self->sel_edges, 0);
  for (guint i = 0; model != NULL && i < model->nodes->len; i++)
    g_ptr_array_add (self->sel_node_ids,
                     g_strdup (((CdNode *) g_ptr_array_index (model->nodes, i))->id));
  selection_changed (self);
}

gboolean
cd_canvas_delete_selection (CdCanvas *self)
{
  g_autoptr (GArray) edges = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree const char **ids = NULL;
  CdDelete del = { 0 };

  g_return_val_if_fail (CD_IS_CANVAS (self), FALSE);

  if (self->document == NULL || (self->sel_node_ids->len == 0 && self->sel_edges->len == 0))
    return FALSE;
  edges = cd_canvas_get_selected_edges (self);
  ids = g_new0 (const char *, self->sel_node_ids->len + 1);
  for (guint k = 0; k < self->sel_node_ids->len; k++)
    ids[k] = g_ptr_array_index (self->sel_node_ids, k);
  del.node_ids = ids;
  del.edges = (const int *) (gpointer) edges->data;
  del.n_edges = edges->len;
  if (!cd_document_apply (self->document, _("Delete"), NULL, CD_CHANGE_STRUCTURE,
                          cd_edit_delete, &del, &error))
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return FALSE;
    }
  cd_canvas_clear_selection (self);
  return TRUE;
}

/* ---- Drawing ------------------------------------------------------------ */

static void
cd_canvas_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  CdCanvas *self = CD_CANVAS (widget);
  const CdModel *model = model_of (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  CdRenderStyle style;
  CdNetworkOverlay overlay;
  const CdRun *run = self->run_matches ? self->run : NULL;
  cairo_t *cr;

  if (model == NULL || width <= 0 || height <= 0)
    return;

  cd_widget_render_style (widget, &style);
  cd_network_overlay_init (&overlay);
  overlay.selected_nodes = (const gboolean *) (gpointer) self->sel_node_mask->data;
  overlay.selected_edges = (const gboolean *) (gpointer) self->sel_edge_mask->data;
  overlay.hovered_node = self->hovered_node;
  overlay.hovered_edge = self->hovered_edge;
  /* The ring only while the keyboard is in use here, as GTK draws focus. */
  overlay.focus_node = gtk_widget_has_visible_focus (widget) && focus_valid (self)
                       ? self->focus_index : -1;
  overlay.show_labels = TRUE;
  overlay.show_glyphs = self->show_glyphs;
  overlay.show_flow_arrows = self->show_flow;
  overlay.show_legend = TRUE;
  overlay.show_time = TRUE;
  /* the window's tool column over the canvas (ui/cd-window.ui: a button
   * 12 px from the right edge) */
  overlay.inset_right = 60;
  overlay.rubber_band = self->drag_mode == DRAG_BAND;
  overlay.band_x0 = self->drag_x0;
  overlay.band_y0 = self->drag_y0;
  overlay.band_x1 = self->drag_x0 + self->drag_dx;
  overlay.band_y1 = self->drag_y0 + self->drag_dy;
  overlay.pending_source = self->pending_source;
  overlay.pending_kind = self->tool == CD_TOOL_ADD_COMMAND ? CD_EDGE_COMMAND
                                                           : CD_EDGE_PARTNERSHIP;
  overlay.pending_x = self->pointer_x;
  overlay.pending_y = self->pointer_y;

  /* An image of our own rather than gtk_snapshot_append_cairo: the renderer
   * writes its pixels in place instead of building a layer to replay from a
   * recording, and at scale 2 it draws 2× pixels (issue 6.3) — but for
   * quick frames while the user moves things. */
  cr = cd_widget_image_begin_at (self->image, widget, snapshot, self->quick ? 1 : 0);
  cd_render_network (cr, width, height, self->view, model, run ? run->system : NULL,
                     run ? run->trajectory : NULL, self->sample, &overlay, &style);
  cd_widget_image_end (self->image, cr, snapshot);
}

static void
cd_canvas_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  CdCanvas *self = CD_CANVAS (widget);
  gboolean resized = width != self->alloc_w || height != self->alloc_h;

  /* A window made larger shows the network larger, unless the user has
   * chosen a view of their own, which then stays centred where it was. */
  if (resized && self->alloc_w > 1 && self->alloc_h > 1 && !self->needs_fit)
    {
      if (view_is_fitted (self))
        self->needs_fit = TRUE;
      else
        cd_network_view_pan_by (self->view, (width - self->alloc_w) / 2.0,
                                (height - self->alloc_h) / 2.0);
    }
  self->alloc_w = width;
  self->alloc_h = height;
  if (self->needs_fit && width > 1 && height > 1)
    {
      fit_view (self, width, height);
      self->needs_fit = FALSE;
    }
  if (self->rename_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->rename_popover));
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
cd_canvas_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 500;
}

static gboolean
cd_canvas_query_tooltip (GtkWidget  *widget,
                         int         x,
                         int         y,
                         gboolean    keyboard,
                         GtkTooltip *tooltip)
{
  CdCanvas *self = CD_CANVAS (widget);
  const CdModel *model = model_of (self);
  CdRenderStyle style;
  const CdNode *node;
  g_autofree char *text = NULL;
  int i;

  if (model == NULL)
    return FALSE;
  cd_widget_render_style (widget, &style);
  i = cd_network_view_node_at (self->view, x, y, &style);
  if (i < 0 || (guint) i >= model->nodes->len)
    return FALSE;
  node = g_ptr_array_index (model->nodes, i);
  if (self->run_matches && self->run != NULL && self->run->trajectory->n_samples > 0)
    {
      const CdTrajectory *traj = self->run->trajectory;
      guint s = MIN (self->sample, traj->n_samples - 1);
      double xv = traj->x[(gsize) s * traj->n_nodes + i];

      /* Translators: tooltip: name, level, coordination x at time t */
      text = g_strdup_printf (_("%s (%s)\nCoordination %.2f at t = %.1f"),
                              cd_node_display_name (node), cd_level_label (node->level),
                              isfinite (xv) ? xv : 0.0, traj->t[s]);
    }
  else
    text = g_strdup_printf (_("%s (%s)\nInitial coordination %.2f"), cd_node_display_name (node),
                            cd_level_label (node->level), node->x0);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- Input -------------------------------------------------------------- */

static void
emit_error (CdCanvas *self,
            GError   *error)
{
  if (error != NULL)
    g_signal_emit (self, signals[MESSAGE], 0, error->message);
}

static void
add_node_at (CdCanvas *self,
             double    px,
             double    py)
{
  CdAddNode add = { self->add_level, 0, 0, NULL };
  g_autoptr (GError) error = NULL;
  int index;

  cd_network_view_to_model (self->view, px, py, &add.x, &add.y);
  if (!cd_document_apply (self->document, _("Add Government"), NULL, CD_CHANGE_STRUCTURE,
                          cd_edit_add_node, &add, &error))
    {
      emit_error (self, error);
      return;
    }
  index = cd_model_find_node (model_of (self), add.out_id);
  g_free (add.out_id);
  cd_canvas_select_node (self, index, FALSE);
}

static void
connect_nodes (CdCanvas *self,
               int       source,
               int       target)
{
  const CdModel *model = model_of_doc (self);
  CdAddEdge add;
  g_autoptr (GError) error = NULL;
  CdEdgeKind kind = self->tool == CD_TOOL_ADD_COMMAND ? CD_EDGE_COMMAND : CD_EDGE_PARTNERSHIP;

  add.kind = kind;
  add.source = ((CdNode *) g_ptr_array_index (model->nodes, source))->id;
  add.target = ((CdNode *) g_ptr_array_index (model->nodes, target))->id;
  if (!cd_document_apply (self->document,
                          kind == CD_EDGE_COMMAND ? _("Add Command Line") : _("Add Partnership"),
                          NULL, CD_CHANGE_STRUCTURE, cd_edit_add_edge, &add, &error))
    {
      emit_error (self, error);
      return;
    }
  model = model_of_doc (self);
  cd_canvas_select_edge (self, (int) model->edges->len - 1, FALSE);
}

static void
start_move (CdCanvas *self)
{
  const CdModel *model = model_of (self);
  guint n = self->sel_node_ids->len;

  g_clear_pointer (&self->drag_ids, g_strfreev);
  g_clear_pointer (&self->drag_start_x, g_free);
  g_clear_pointer (&self->drag_start_y, g_free);
  self->drag_ids = g_new0 (char *, n + 1);
  self->drag_start_x = g_new0 (double, n);
  self->drag_start_y = g_new0 (double, n);
  for (guint k = 0; k < n; k++)
    {
      const char *id = g_ptr_array_index (self->sel_node_ids, k);
      int i = cd_model_find_node (model, id);
      self->drag_ids[k] = g_strdup (id);
      if (i >= 0)
        cd_network_view_node_position (self->view, i, &self->drag_start_x[k],
                                       &self->drag_start_y[k]);
    }
  /* One drag is one undo step: every update shares this key. */
  self->drag_serial++;
  cd_document_break_merge (self->document);
  self->drag_mode = DRAG_MOVE;
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               CdCanvas       *self)
{
  GdkModifierType mods =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  gboolean extend = (mods & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0;
  const CdModel *model = model_of (self);
  CdRenderStyle style;
  int node, edge;

  if (model == NULL)
    return;
  end_key_burst (self);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  cd_widget_render_style (GTK_WIDGET (self), &style);
  self->drag_x0 = x;
  self->drag_y0 = y;
  self->drag_dx = self->drag_dy = 0.0;
  self->drag_mode = DRAG_NONE;
  node = cd_network_view_node_at (self->view, x, y, &style);
  edge = node < 0 ? cd_network_view_edge_at (self->view, x, y, 6.0) : -1;
  /* The keyboard carries on from the government last clicked. */
  if (node >= 0)
    {
      g_autoptr (GArray) order = tab_order (self);
      set_focus (self, node, rank_in (order, node), FALSE);
    }

  switch (self->tool)
    {
    case CD_TOOL_SELECT:
      if (node >= 0)
        {
          if (extend)
            cd_canvas_select_node (self, node, TRUE);
          else if (!node_selected (self, node))
            cd_canvas_select_node (self, node, FALSE);
          if (node_selected (self, node))
            start_move (self);
        }
      else if (edge >= 0)
        cd_canvas_select_edge (self, edge, extend);
      else if (mods & GDK_CONTROL_MASK)
        {
          self->drag_mode = DRAG_PAN;
          cd_network_view_get_transform (self->view, &self->pan_zoom, &self->pan_x0,
                                         &self->pan_y0);
        }
      else
        {
          if (!extend)
            cd_canvas_clear_selection (self);
          self->drag_mode = DRAG_BAND;
        }
      break;
    case CD_TOOL_ADD_NODE:
      if (node >= 0)
        cd_canvas_select_node (self, node, FALSE);
      else
        add_node_at (self, x, y);
      break;
    case CD_TOOL_ADD_COMMAND:
    case CD_TOOL_ADD_PARTNERSHIP:
      if (node < 0)
        self->pending_source = -1;
      else if (self->pending_source < 0)
        self->pending_source = node;
      else if (node != self->pending_source)
        {
          int source = self->pending_source;
          self->pending_source = -1;
          connect_nodes (self, source, node);
        }
      break;
    case CD_TOOL_DELETE:
      if (node >= 0)
        cd_canvas_select_node (self, node, FALSE);
      else if (edge >= 0)
        cd_canvas_select_edge (self, edge, FALSE);
      else
        break;
      cd_canvas_delete_selection (self);
      break;
    case CD_TOOL_PICK:
      if (node >= 0)
        g_signal_emit (self, signals[NODE_PICKED], 0, node);
      break;
    default:
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                CdCanvas       *self)
{
  gboolean moved = FALSE;

  self->drag_dx = dx;
  self->drag_dy = dy;
  switch (self->drag_mode)
    {
    case DRAG_MOVE:
      if (hypot (dx, dy) >= 3.0 && self->drag_ids != NULL)
        {
          guint n = g_strv_length (self->drag_ids);
          g_autofree double *xs = g_new (double, n);
          g_autofree double *ys = g_new (double, n);
          g_autofree char *key = g_strdup_printf ("move:%u", self->drag_serial);
          double zoom, pan_x, pan_y;
          CdMoveNodes move;

          cd_network_view_get_transform (self->view, &zoom, &pan_x, &pan_y);
          for (guint k = 0; k < n; k++)
            {
              xs[k] = self->drag_start_x[k] + dx / zoom;
              ys[k] = self->drag_start_y[k] + dy / zoom;
            }
          move.node_ids = (const char * const *) self->drag_ids;
          move.x = xs;
          move.y = ys;
          cd_document_apply (self->document, n == 1 ? _("Move Government") : _("Move Governments"),
                             key, CD_CHANGE_POSITIONS, cd_edit_move_nodes, &move, NULL);
          moved = TRUE;
        }
      break;
    case DRAG_PAN:
      cd_network_view_set_transform (self->view, self->pan_zoom, self->pan_x0 + dx,
                                     self->pan_y0 + dy);
      moved = TRUE;
      break;
    case DRAG_BAND:
      /* the band follows the pointer over the whole frame */
      moved = TRUE;
      break;
    case DRAG_NONE:
    default:
      break;
    }
  /* a click's jitter below the move threshold stays sharp */
  if (moved)
    interacted (self);
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             CdCanvas       *self)
{
  if (self->drag_mode == DRAG_BAND && hypot (dx, dy) >= 3.0)
    {
      g_autoptr (GArray) inside = cd_network_view_nodes_in_rect (self->view, self->drag_x0,
                                                                 self->drag_y0,
                                                                 self->drag_x0 + dx,
                                                                 self->drag_y0 + dy);
      const CdModel *model = model_of (self);

      for (guint k = 0; k < inside->len; k++)
        {
          guint i = g_array_index (inside, guint, k);
          if (!node_selected (self, (int) i) && i < model->nodes->len)
            {
              g_ptr_array_add (self->sel_node_ids,
                               g_strdup (((CdNode *) g_ptr_array_index (model->nodes, i))->id));
              rebuild_masks (self);
            }
        }
      selection_changed (self);
    }
  if (self->drag_mode == DRAG_MOVE)
    cd_document_break_merge (self->document);
  self->drag_mode = DRAG_NONE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_pan_begin (GtkGestureDrag *gesture,
              double          x,
              double          y,
              CdCanvas       *self)
{
  cd_network_view_get_transform (self->view, &self->pan_zoom, &self->pan_x0, &self->pan_y0);
}

static void
on_pan_update (GtkGestureDrag *gesture,
               double          dx,
               double          dy,
               CdCanvas       *self)
{
  cd_network_view_set_transform (self->view, self->pan_zoom, self->pan_x0 + dx, self->pan_y0 + dy);
  interacted (self);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           CdCanvas                 *self)
{
  CdRenderStyle style;
  int node, edge;

  self->pointer_x = x;
  self->pointer_y = y;
  if (model_of (self) == NULL)
    return;
  cd_widget_render_style (GTK_WIDGET (self), &style);
  node = cd_network_view_node_at (self->view, x, y, &style);
  edge = node < 0 ? cd_network_view_edge_at (self->view, x, y, 6.0) : -1;
  if (node != self->hovered_node || edge != self->hovered_edge || self->pending_source >= 0)
    {
      self->hovered_node = node;
      self->hovered_edge = edge;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave (GtkEventControllerMotion *controller,
          CdCanvas                 *self)
{
  self->hovered_node = self->hovered_edge = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           CdCanvas                 *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  GdkModifierType mods =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  GdkScrollUnit unit = gtk_event_controller_scroll_get_unit (controller);
  double px = self->pointer_x, py = self->pointer_y;

  (void) event;
  /* A mouse wheel zooms around the pointer; a touchpad pans, and zooms
   * with Ctrl, as in maps and drawing programs. */
  if (unit == GDK_SCROLL_UNIT_WHEEL || (mods & GDK_CONTROL_MASK))
    {
      double step = unit == GDK_SCROLL_UNIT_WHEEL ? dy : dy / 20.0;
      cd_network_view_zoom_at (self->view, pow (1.2, -step), px, py);
    }
  else
    cd_network_view_pan_by (self->view, -dx, -dy);
  interacted (self);
  return TRUE;
}

static void
on_pinch_begin (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                CdCanvas         *self)
{
  self->pinch_zoom0 = 1.0;
}

static void
on_pinch (GtkGestureZoom *gesture,
          double          scale,
          CdCanvas       *self)
{
  double cx, cy;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;
  if (self->pinch_zoom0 > 0.0 && scale > 0.0)
    cd_network_view_zoom_at (self->view, scale / self->pinch_zoom0, cx, cy);
  self->pinch_zoom0 = scale;
  interacted (self);
}

/* ---- Rename popover and context menu ------------------------------------ */

static void
popover_point_at_node (CdCanvas   *self,
                       GtkWidget  *popover,
                       int         index)
{
  double mx, my, px, py;
  GdkRectangle rect;

  cd_network_view_node_position (self->view, index, &mx, &my);
  cd_network_view_to_pixels (self->view, mx, my, &px, &py);
  rect.x = (int) px;
  rect.y = (int) py;
  rect.width = rect.height = 1;
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &rect);
}

static void
on_rename_activate (GtkEntry *entry,
                    CdCanvas *self)
{
  CdSetField set = { .node = self->rename_node, .edge = -1, .field = "name" };
  g_autoptr (GError) error = NULL;

  set.text = gtk_editable_get_text (GTK_EDITABLE (entry));
  if (!cd_document_apply (self->document, _("Rename Government"), NULL, CD_CHANGE_STRUCTURE,
                          cd_edit_set_field, &set, &error))
    emit_error (self, error);
  gtk_popover_popdown (GTK_POPOVER (self->rename_popover));
}

void
cd_canvas_rename_node (CdCanvas *self,
                       int       index)
{
  const CdModel *model = model_of (self);
  const CdNode *node;

  g_return_if_fail (CD_IS_CANVAS (self));

  if (model == NULL || index < 0 || (guint) index >= model->nodes->len)
    return;
  node = g_ptr_array_index (model->nodes, index);
  self->rename_node = index;
  gtk_editable_set_text (GTK_EDITABLE (self->rename_entry), cd_node_display_name (node));
  popover_point_at_node (self, self->rename_popover, index);
  gtk_popover_popup (GTK_POPOVER (self->rename_popover));
  gtk_widget_grab_focus (self->rename_entry);
}

static void
on_click_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  CdCanvas         *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  CdRenderStyle style;
  int node;

  if (model_of (self) == NULL)
    return;
  cd_widget_render_style (GTK_WIDGET (self), &style);
  node = cd_network_view_node_at (self->view, x, y, &style);

  if (button == GDK_BUTTON_PRIMARY && n_press == 2 && node >= 0 && self->tool == CD_TOOL_SELECT)
    cd_canvas_rename_node (self, node);
  else if (button == GDK_BUTTON_SECONDARY)
    {
      GdkRectangle rect = { (int) x, (int) y, 1, 1 };
      int edge = node < 0 ? cd_network_view_edge_at (self->view, x, y, 6.0) : -1;

      if (node >= 0 && !node_selected (self, node))
        cd_canvas_select_node (self, node, FALSE);
      else if (edge >= 0)
        cd_canvas_select_edge (self, edge, FALSE);
      gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
      gtk_popover_popup (GTK_POPOVER (self->context_menu));
    }
}

/* ---- Keyboard ----------------------------------------------------------- */

/* Arrow steps in pixels, so a step looks the same at any zoom. */
#define KEY_STEP       8.0
#define KEY_STEP_LARGE 48.0

typedef struct
{
  guint   index;
  CdLevel level;
  double  x, y;
} OrderKey;

static int
compare_order (gconstpointer a,
               gconstpointer b)
{
  const OrderKey *p = a;
  const OrderKey *q = b;

  if (p->level != q->level)
    return p->level < q->level ? -1 : 1;
  if (p->y != q->y)
    return p->y < q->y ? -1 : 1;
  if (p->x != q->x)
    return p->x < q->x ? -1 : 1;
  return p->index < q->index ? -1 : p->index > q->index;
}

/* The Tab order: central government first, then level by level, each level
 * top to bottom and left to right as drawn — how a sighted reader scans a
 * hierarchy, and stable while nothing moves.  Elements are guint. */
static GArray *
tab_order (CdCanvas *self)
{
  const CdModel *model = model_of (self);
  guint n = model != NULL ? model->nodes->len : 0;
  g_autofree OrderKey *keys = NULL;
  GArray *order = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);

  if (n == 0 || cd_network_view_get_n_nodes (self->view) != n)
    return order;
  keys = g_new (OrderKey, n);
  for (guint i = 0; i < n; i++)
    {
      keys[i].index = i;
      keys[i].level = ((CdNode *) g_ptr_array_index (model->nodes, i))->level;
      cd_network_view_node_position (self->view, i, &keys[i].x, &keys[i].y);
    }
  qsort (keys, n, sizeof *keys, compare_order);
  for (guint i = 0; i < n; i++)
    g_array_append_val (order, keys[i].index);
  return order;
}

static guint
rank_in (const GArray *order,
         int           index)
{
  for (guint r = 0; r < order->len; r++)
    if ((int) g_array_index (order, guint, r) == index)
      return r;
  return 0;
}

static gboolean
focus_valid (CdCanvas *self)
{
  const CdModel *model = model_of (self);

  return model != NULL && self->focus_index >= 0 && (guint) self->focus_index < model->nodes->len;
}

/* Pans so node i is on screen, centred when it was not. */
static void
reveal_node (CdCanvas *self,
             int       index)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  double margin = 48.0, mx, my, px, py;

  if (w <= 2 * margin || h <= 2 * margin
      || (guint) index >= cd_network_view_get_n_nodes (self->view))
    return;
  cd_network_view_node_position (self->view, (guint) index, &mx, &my);
  cd_network_view_to_pixels (self->view, mx, my, &px, &py);
  if (px < margin || px > w - margin || py < margin || py > h - margin)
    cd_network_view_pan_by (self->view, w / 2.0 - px, h / 2.0 - py);
}

static void
end_key_burst (CdCanvas *self)
{
  if (!self->key_moving)
    return;
  self->key_moving = FALSE;
  if (self->document != NULL)
    cd_document_break_merge (self->document);
}

static void
set_focus (CdCanvas *self,
           int       index,
           guint     rank,
           gboolean  reveal)
{
  const CdModel *model = model_of (self);

  g_clear_pointer (&self->focus_id, g_free);
  self->focus_index = -1;
  if (model != NULL && index >= 0 && (guint) index < model->nodes->len)
    {
      self->focus_id = g_strdup (((CdNode *) g_ptr_array_index (model->nodes, index))->id);
      self->focus_index = index;
      self->focus_rank = rank;
      if (reveal)
        reveal_node (self, index);
    }
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
refocus_at_rank (CdCanvas *self)
{
  g_autoptr (GArray) order = tab_order (self);

  if (order->len == 0)
    set_focus (self, -1, 0, FALSE);
  else
    {
      guint rank = MIN (self->focus_rank, order->len - 1);
      set_focus (self, (int) g_array_index (order, guint, rank), rank, FALSE);
    }
}

/* Moves the keyboard focus one government along the Tab order; FALSE at
 * either end, so that Tab there leaves the canvas as it would any widget. */
static gboolean
focus_step (CdCanvas *self,
            int       direction)
{
  g_autoptr (GArray) order = tab_order (self);
  int next;

  end_key_burst (self);
  if (order->len == 0)
    return FALSE;
  if (!focus_valid (self))
    next = direction > 0 ? 0 : (int) order->len - 1;
  else
    {
      next = (int) rank_in (order, self->focus_index) + direction;
      if (next < 0 || next >= (int) order->len)
        return FALSE;
    }
  set_focus (self, (int) g_array_index (order, guint, next), (guint) next, TRUE);
  return TRUE;
}

static void
move_focused (CdCanvas *self,
              double    dx,
              double    dy)
{
  const CdModel *model = model_of (self);
  g_autoptr (GPtrArray) ids = NULL;
  g_autofree double *xs = NULL;
  g_autofree double *ys = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GError) error = NULL;
  double zoom, pan_x, pan_y;
  CdMoveNodes move;

  if (!focus_valid (self) || model == NULL)
    {
      /* Nothing to move: the arrows look around instead. */
      cd_network_view_pan_by (self->view, -dx, -dy);
      interacted (self);
      return;
    }

  /* As with a drag: a focused government that is part of the selection
   * carries the selection along; otherwise it moves alone. */
  ids = g_ptr_array_new ();
  g_ptr_array_add (ids, self->focus_id);
  if (node_selected (self, self->focus_index))
    for (guint k = 0; k < self->sel_node_ids->len; k++)
      if (!g_str_equal (g_ptr_array_index (self->sel_node_ids, k), self->focus_id))
        g_ptr_array_add (ids, g_ptr_array_index (self->sel_node_ids, k));
  xs = g_new (double, ids->len);
  ys = g_new (double, ids->len);
  cd_network_view_get_transform (self->view, &zoom, &pan_x, &pan_y);
  for (guint k = 0; k < ids->len; k++)
    {
      int i = cd_model_find_node (model, g_ptr_array_index (ids, k));
      g_assert (i >= 0);
      cd_network_view_node_position (self->view, (guint) i, &xs[k], &ys[k]);
      xs[k] += dx / zoom;
      ys[k] += dy / zoom;
    }
  g_ptr_array_add (ids, NULL);

  /* Held arrows repeat presses without releases: the presses up to the
   * release are one step, as a drag is. */
  if (!self->key_moving)
    {
      self->key_burst++;
      self->key_moving = TRUE;
      cd_document_break_merge (self->document);
    }
  key = g_strdup_printf ("keymove:%u", self->key_burst);
  move.node_ids = (const char * const *) ids->pdata;
  move.x = xs;
  move.y = ys;
  if (!cd_document_apply (self->document,
                          ids->len == 2 ? _("Move Government") : _("Move Governments"), key,
                          CD_CHANGE_POSITIONS, cd_edit_move_nodes, &move, &error))
    emit_error (self, error);
  reveal_node (self, self->focus_index);
  /* a held arrow key repeats */
  interacted (self);
}

/* Enter on the focused government does what a click on it does with the
 * current tool, so every tool works without a pointer. */
static void
activate_focused (CdCanvas *self,
                  gboolean  extend)
{
  int node = self->focus_index;

  end_key_burst (self);
  if (!focus_valid (self))
    return;
  switch (self->tool)
    {
    case CD_TOOL_ADD_COMMAND:
    case CD_TOOL_ADD_PARTNERSHIP:
      if (self->pending_source < 0)
        self->pending_source = node;
      else if (node != self->pending_source)
        {
          int source = self->pending_source;
          self->pending_source = -1;
          connect_nodes (self, source, node);
        }
      break;
    case CD_TOOL_DELETE:
      cd_canvas_select_node (self, node, FALSE);
      cd_canvas_delete_selection (self);
      break;
    case CD_TOOL_PICK:
      g_signal_emit (self, signals[NODE_PICKED], 0, node);
      break;
    case CD_TOOL_SELECT:
    case CD_TOOL_ADD_NODE:
    default:
      cd_canvas_select_node (self, node, extend);
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cancel (CdCanvas *self)
{
  end_key_burst (self);
  if (self->pending_source >= 0)
    self->pending_source = -1;
  else if (self->tool != CD_TOOL_SELECT)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.tool", "s", "select");
  else
    cd_canvas_clear_selection (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
action_focus_next (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  focus_step (CD_CANVAS (widget), 1);
}

static void
action_focus_previous (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  focus_step (CD_CANVAS (widget), -1);
}

static void
action_move_focused (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  double dx, dy;

  g_variant_get (param, "(dd)", &dx, &dy);
  if (isfinite (dx) && isfinite (dy))
    move_focused (CD_CANVAS (widget), dx, dy);
}

static void
action_pan (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  CdCanvas *self = CD_CANVAS (widget);
  double dx, dy;

  g_variant_get (param, "(dd)", &dx, &dy);
  if (!isfinite (dx) || !isfinite (dy))
    return;
  cd_network_view_pan_by (self->view, -dx, -dy);
  interacted (self);
}

static void
action_activate_focused (GtkWidget  *widget,
                         const char *name,
                         GVariant   *param)
{
  activate_focused (CD_CANVAS (widget), FALSE);
}

static void
action_extend_focused (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  activate_focused (CD_CANVAS (widget), TRUE);
}

static void
action_delete_selection (GtkWidget  *widget,
                         const char *name,
                         GVariant   *param)
{
  CdCanvas *self = CD_CANVAS (widget);

  end_key_burst (self);
  if (!cd_canvas_delete_selection (self))
    g_signal_emit (self, signals[MESSAGE], 0,
                   _("Select a government or a tie to delete (Enter selects the focused one)"));
}

static void
action_cancel (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  cancel (CD_CANVAS (widget));
}

/* Tab is a binding with a callback rather than an action so that at the
 * last government it can decline and let the focus leave the canvas. */
static gboolean
on_tab (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  return focus_step (CD_CANVAS (widget), g_variant_get_int32 (args));
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 CdCanvas              *self)
{
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_Right: case GDK_KEY_Up: case GDK_KEY_Down:
    case GDK_KEY_KP_Left: case GDK_KEY_KP_Right: case GDK_KEY_KP_Up: case GDK_KEY_KP_Down:
      end_key_burst (self);
      break;
    default:
      break;
    }
}

static void
on_focus_enter (GtkEventControllerFocus *controller,
                CdCanvas                *self)
{
  /* Arriving by Tab (or a click) starts at the selection, else at the top of
   * the order; no panning, a click must not move the view. */
  if (!focus_valid (self))
    {
      g_autoptr (GArray) order = tab_order (self);
      g_autoptr (GArray) selected = cd_canvas_get_selected_nodes (self);

      if (selected->len > 0)
        {
          int i = (int) g_array_index (selected, guint, 0);
          set_focus (self, i, rank_in (order, i), FALSE);
        }
      else if (order->len > 0)
        set_focus (self, (int) g_array_index (order, guint, 0), 0, FALSE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                CdCanvas                *self)
{
  end_key_burst (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- Accessibility ------------------------------------------------------ */

static char *
describe_node (CdCanvas *self,
               int       index)
{
  const CdModel *model = model_of_doc (self);
  const CdNode *node = g_ptr_array_index (model->nodes, index);
  const char *name = cd_node_display_name (node);
  const char *level = cd_level_label (node->level);
  const char *selected = node_selected (self, index) ? _(", selected") : "";

  if (self->run_matches && self->run != NULL && self->run->trajectory->n_samples > 0)
    {
      const CdTrajectory *traj = self->run->trajectory;
      guint s = MIN (self->sample, traj->n_samples - 1);
      double x = traj->x[(gsize) s * traj->n_nodes + index];

      /* Translators: read by a screen reader for the focused government:
       * name, level ("provincial"), coordination; the last %s is ", selected"
       * or nothing.  E.g. "Jiangsu, provincial government, coordination 0.82" */
      return g_strdup_printf (_("%s, %s government, coordination %.2f%s"), name, level,
                              isfinite (x) ? x : 0.0, selected);
    }
  /* Translators: as above, before any run: its initial coordination x0 */
  return g_strdup_printf (_("%s, %s government, initial coordination %.2f%s"), name, level,
                          node->x0, selected);
}

static void
update_accessible (CdCanvas *self)
{
  const CdModel *model = model_of (self);
  g_autofree char *text = NULL;

  if (focus_valid (self))
    text = describe_node (self, self->focus_index);
  else if (model != NULL)
    {
      g_autofree char *governments =
        g_strdup_printf (ngettext ("%u government", "%u governments", model->nodes->len),
                         model->nodes->len);
      g_autofree char *ties = g_strdup_printf (ngettext ("%u tie", "%u ties", model->edges->len),
                                               model->edges->len);

      /* Translators: the canvas's description when no government has the
       * keyboard focus; says how to use it from the keyboard.  The first
       * %s is "N governments", the second "N ties". */
      text = g_strdup_printf (_("%s and %s. Tab moves between governments, the arrow keys move "
                                "the focused one, Enter selects it."), governments, ties);
    }
  else
    text = g_strdup (_("No model"));
  if (g_strcmp0 (text, self->description) == 0)
    return;
  g_free (self->description);
  self->description = g_steal_pointer (&text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description, -1);
}

int
cd_canvas_get_focus_node (CdCanvas *self)
{
  g_return_val_if_fail (CD_IS_CANVAS (self), -1);
  return focus_valid (self) ? self->focus_index : -1;
}

void
cd_canvas_set_focus_node (CdCanvas *self,
                          int       index)
{
  g_autoptr (GArray) order = NULL;

  g_return_if_fail (CD_IS_CANVAS (self));

  end_key_burst (self);
  order = tab_order (self);
  set_focus (self, index, index >= 0 ? rank_in (order, index) : 0, index >= 0);
}

int
cd_canvas_get_last_frame_scale (CdCanvas *self)
{
  g_return_val_if_fail (CD_IS_CANVAS (self), 0);
  return cd_widget_image_get_scale (self->image);
}

const char *
cd_canvas_get_description (CdCanvas *self)
{
  g_return_val_if_fail (CD_IS_CANVAS (self), NULL);
  return self->description;
}

static GMenuModel *
build_context_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) edit = g_menu_new ();
  g_autoptr (GMenu) add = g_menu_new ();
  g_autoptr (GMenu) view = g_menu_new ();

  g_menu_append (edit, _("_Rename…"), "win.rename");
  g_menu_append (edit, _("Connect by _Command Line"), "win.connect::command");
  g_menu_append (edit, _("Connect by _Partnership"), "win.connect::partnership");
  g_menu_append (edit, _("_Delete"), "win.delete");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  g_menu_append (add, _("Add _Government"), "win.add-government::municipal");
  g_menu_append (add, _("Select _All"), "win.select-all");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (add));
  g_menu_append (view, _("Lay Out as _Hierarchy"), "win.layout::hierarchy");
  g_menu_append (view, _("Lay Out by _Ties"), "win.layout::force");
  g_menu_append (view, _("_Fit to Window"), "win.fit");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (view));
  return G_MENU_MODEL (menu);
}

/* ---- GObject ------------------------------------------------------------ */

static void
cd_canvas_dispose (GObject *object)
{
  CdCanvas *self = CD_CANVAS (object);

  g_clear_handle_id (&self->sharp_source, g_source_remove);
  g_clear_pointer (&self->rename_popover, gtk_widget_unparent);
  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  cd_document_unfollow (&self->document, self);
  g_clear_pointer (&self->run, cd_run_unref);
  G_OBJECT_CLASS (cd_canvas_parent_class)->dispose (object);
}

static void
cd_canvas_finalize (GObject *object)
{
  CdCanvas *self = CD_CANVAS (object);

  g_clear_pointer (&self->view, cd_network_view_free);
  g_clear_pointer (&self->image, cd_widget_image_free);
  g_ptr_array_unref (self->sel_node_ids);
  g_ptr_array_unref (self->sel_edges);
  g_array_unref (self->sel_node_mask);
  g_array_unref (self->sel_edge_mask);
  g_strfreev (self->drag_ids);
  g_array_unref (self->sel_node_index);
  g_free (self->focus_id);
  g_free (self->description);
  g_free (self->drag_start_x);
  g_free (self->drag_start_y);
  G_OBJECT_CLASS (cd_canvas_parent_class)->finalize (object);
}

static void
cd_canvas_class_init (CdCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_canvas_dispose;
  object_class->finalize = cd_canvas_finalize;
  widget_class->snapshot = cd_canvas_snapshot;
  widget_class->size_allocate = cd_canvas_size_allocate;
  widget_class->measure = cd_canvas_measure;
  widget_class->query_tooltip = cd_canvas_query_tooltip;

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[NODE_PICKED] =
    g_signal_new ("node-picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "cd-canvas");
  /* A group: a focusable region whose parts (governments) are reached with
   * the keyboard; its description names the focused one. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_install_action (widget_class, "canvas.focus-next", NULL, action_focus_next);
  gtk_widget_class_install_action (widget_class, "canvas.focus-previous", NULL,
                                   action_focus_previous);
  gtk_widget_class_install_action (widget_class, "canvas.move-focused", "(dd)",
                                   action_move_focused);
  gtk_widget_class_install_action (widget_class, "canvas.pan", "(dd)", action_pan);
  gtk_widget_class_install_action (widget_class, "canvas.activate-focused", NULL,
                                   action_activate_focused);
  gtk_widget_class_install_action (widget_class, "canvas.extend-focused", NULL,
                                   action_extend_focused);
  gtk_widget_class_install_action (widget_class, "canvas.delete-selection", NULL,
                                   action_delete_selection);
  gtk_widget_class_install_action (widget_class, "canvas.cancel", NULL, action_cancel);

  for (guint k = 0; k < 2; k++)
    {
      static const guint tabs[] = { GDK_KEY_Tab, GDK_KEY_KP_Tab };
      gtk_widget_class_add_binding (widget_class, tabs[k], 0, on_tab, "i", 1);
      gtk_widget_class_add_binding (widget_class, tabs[k], GDK_SHIFT_MASK, on_tab, "i", -1);
    }
  {
    static const struct { guint key, kp; double x, y; } arrows[] = {
      { GDK_KEY_Left, GDK_KEY_KP_Left, -1, 0 },
      { GDK_KEY_Right, GDK_KEY_KP_Right, 1, 0 },
      { GDK_KEY_Up, GDK_KEY_KP_Up, 0, -1 },
      { GDK_KEY_Down, GDK_KEY_KP_Down, 0, 1 },
    };
    for (guint k = 0; k < G_N_ELEMENTS (arrows); k++)
      {
        guint keys[] = { arrows[k].key, arrows[k].kp };
        for (guint j = 0; j < 2; j++)
          {
            gtk_widget_class_add_binding_action (widget_class, keys[j], 0, "canvas.move-focused",
                                                 "(dd)", arrows[k].x * KEY_STEP,
                                                 arrows[k].y * KEY_STEP);
            gtk_widget_class_add_binding_action (widget_class, keys[j], GDK_SHIFT_MASK,
                                                 "canvas.move-focused", "(dd)",
                                                 arrows[k].x * KEY_STEP_LARGE,
                                                 arrows[k].y * KEY_STEP_LARGE);
            gtk_widget_class_add_binding_action (widget_class, keys[j], GDK_CONTROL_MASK,
                                                 "canvas.pan", "(dd)",
                                                 arrows[k].x * KEY_STEP_LARGE,
                                                 arrows[k].y * KEY_STEP_LARGE);
          }
      }
  }
  {
    static const guint enters[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter };
    for (guint k = 0; k < G_N_ELEMENTS (enters); k++)
      {
        gtk_widget_class_add_binding_action (widget_class, enters[k], 0,
                                             "canvas.activate-focused", NULL);
        gtk_widget_class_add_binding_action (widget_class, enters[k], GDK_SHIFT_MASK,
                                             "canvas.extend-focused", NULL);
        gtk_widget_class_add_binding_action (widget_class, enters[k], GDK_CONTROL_MASK,
                                             "canvas.extend-focused", NULL);
      }
  }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "canvas.delete-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "canvas.delete-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0,
                                       "canvas.delete-selection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "canvas.cancel", NULL);
}

static void
cd_canvas_init (CdCanvas *self)
{
  GtkGesture *drag, *pan, *click, *zoom;
  GtkEventController *motion, *scroll, *key, *focus;
  g_autoptr (GMenuModel) menu = NULL;
  GtkWidget *box, *label;

  self->view = cd_network_view_new ();
  self->image = cd_widget_image_new ();
  self->needs_fit = TRUE;
  self->show_glyphs = TRUE;
  self->add_level = CD_LEVEL_MUNICIPAL;
  self->hovered_node = self->hovered_edge = self->pending_source = -1;
  self->sel_node_ids = g_ptr_array_new_with_free_func (g_free);
  self->sel_node_index = g_array_new (FALSE, FALSE, sizeof (int));
  self->focus_index = -1;
  self->sel_edges = g_ptr_array_new_with_free_func (edge_key_free);
  self->sel_node_mask = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->sel_edge_mask = g_array_new (FALSE, TRUE, sizeof (gboolean));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  pan = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (pan), GDK_BUTTON_MIDDLE);
  g_signal_connect (pan, "drag-begin", G_CALLBACK (on_pan_begin), self);
  g_signal_connect (pan, "drag-update", G_CALLBACK (on_pan_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pan));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_pinch), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Network of governments"), -1);
  update_accessible (self);

  /* Rename popover: an entry, Enter applies. */
  self->rename_popover = gtk_popover_new ();
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (_("Name"));
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_widget_add_css_class (label, "heading");
  self->rename_entry = gtk_entry_new ();
  gtk_entry_set_activates_default (GTK_ENTRY (self->rename_entry), FALSE);
  g_signal_connect (self->rename_entry, "activate", G_CALLBACK (on_rename_activate), self);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), self->rename_entry);
  gtk_popover_set_child (GTK_POPOVER (self->rename_popover), box);
  gtk_widget_set_parent (self->rename_popover, GTK_WIDGET (self));

  menu = build_context_menu ();
  self->context_menu = gtk_popover_menu_new_from_model (menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  cd_widget_follow_style (GTK_WIDGET (self));
}

GtkWidget *
cd_canvas_new (void)
{
  return g_object_new (CD_TYPE_CANVAS, NULL);
}
