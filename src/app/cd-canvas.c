/* cd-canvas.c — the network canvas (see cd-canvas.h): the model and run
 * it shows, the selection, the view's transform and drawing.  Pointer
 * input is in cd-canvas-input.c, the keyboard in cd-canvas-keyboard.c.
 *
 * All drawing and hit testing is src/render's CdNetworkView; the canvas
 * only turns pointer and keyboard input into selections and CdDocument
 * edits.
 *
 * Keyboard use (issue 5.6) goes through widget actions ("canvas.focus-next",
 * "canvas.move-focused", …) bound to keys, so that tests and assistive
 * technologies drive exactly the code a key press does.
 *
 * On a 2× display a national frame at full density costs about three times
 * a frame at scale 1, too much for a pan drag to follow the pointer.  So,
 * as map and drawing programs do, frames drawn while the user moves the
 * view or what it shows (see cd_canvas_interacted ()) are drawn at scale 1 and scaled
 * up by GTK, and one frame at the full scale follows once nothing has
 * moved for SHARP_DELAY_MS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-canvas-private.h"
/* the render probe, for cd_canvas_measure_text */
#include "cd-render-private.h"
#include "cd-edits.h"

static void
edge_key_free (gpointer data)
{
  EdgeKey *key = data;

  g_free (key->source);
  g_free (key->target);
  g_free (key);
}

G_DEFINE_FINAL_TYPE (CdCanvas, cd_canvas, GTK_TYPE_WIDGET)

enum
{
  SELECTION_CHANGED,
  NODE_PICKED,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
cd_canvas_emit_message (CdCanvas   *self,
                        const char *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

void
cd_canvas_emit_node_picked (CdCanvas *self,
                            int       node)
{
  g_signal_emit (self, signals[NODE_PICKED], 0, node);
}

const CdModel *
cd_canvas_model (CdCanvas *self)
{
  return self->document != NULL ? cd_document_get_model (self->document) : NULL;
}

/* For callers that only run with a document set (input handlers, edits). */
const CdModel *
cd_canvas_model_of_doc (CdCanvas *self)
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

void
cd_canvas_rebuild_masks (CdCanvas *self)
{
  const CdModel *model = cd_canvas_model (self);
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
void
cd_canvas_interacted (CdCanvas *self)
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

void
cd_canvas_selection_changed (CdCanvas *self)
{
  cd_canvas_rebuild_masks (self);
  cd_canvas_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
on_document_changed (CdDocument *document,
                     guint       flags,
                     CdCanvas   *self)
{
  const CdModel *model = cd_canvas_model (self);
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
  cd_canvas_rebuild_masks (self);
  /* The focused government was deleted: keep the keyboard where it was in
   * the Tab order rather than throwing it back to the start. */
  if (self->focus_id != NULL && self->focus_index < 0)
    cd_canvas_refocus_at_rank (self);
  if (n_before != self->sel_node_ids->len + self->sel_edges->len || (flags & CD_CHANGE_STRUCTURE))
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  cd_canvas_update_accessible (self);
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
  self->run_matches = run_matches_model (run, cd_canvas_model (self));
  cd_canvas_update_accessible (self);
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
  cd_canvas_update_accessible (self);
  /* playback and the time slider's drag step through samples */
  cd_canvas_interacted (self);
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
  cd_canvas_interacted (self);
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
  const CdModel *model = cd_canvas_model (self);
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

gboolean
cd_canvas_node_selected (CdCanvas *self,
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
  cd_canvas_selection_changed (self);
}

static void
toggle_node (CdCanvas *self,
             int       index)
{
  const CdNode *node = g_ptr_array_index (cd_canvas_model_of_doc (self)->nodes, index);

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
  const CdModel *model = cd_canvas_model (self);

  g_return_if_fail (CD_IS_CANVAS (self));

  if (!extend)
    {
      g_ptr_array_set_size (self->sel_node_ids, 0);
      g_ptr_array_set_size (self->sel_edges, 0);
    }
  if (model != NULL && index >= 0 && (guint) index < model->nodes->len)
    toggle_node (self, index);
  cd_canvas_selection_changed (self);
}

void
cd_canvas_select_edge (CdCanvas *self,
                       int       index,
                       gboolean  extend)
{
  const CdModel *model = cd_canvas_model (self);

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
  cd_canvas_selection_changed (self);
}

void
cd_canvas_select_all (CdCanvas *self)
{
  const CdModel *model = cd_canvas_model (self);

  g_return_if_fail (CD_IS_CANVAS (self));

  g_ptr_array_set_size (self->sel_node_ids, 0);
  g_ptr_array_set_size (self->sel_edges, 0);
  for (guint i = 0; model != NULL && i < model->nodes->len; i++)
    g_ptr_array_add (self->sel_node_ids,
                     g_strdup (((CdNode *) g_ptr_array_index (model->nodes, i))->id));
  cd_canvas_selection_changed (self);
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
      cd_canvas_emit_message (self, error->message);
      return FALSE;
    }
  cd_canvas_clear_selection (self);
  return TRUE;
}

/* ---- Drawing ------------------------------------------------------------ */

/* What the canvas shows over the network: the selection, the pointer,
 * the tool's rubber band. */
static void
canvas_overlay (CdCanvas         *self,
                CdNetworkOverlay *ov)
{
  GtkWidget *widget = GTK_WIDGET (self);
  CdNetworkOverlay overlay;

  cd_network_overlay_init (&overlay);
  overlay.selected_nodes = (const gboolean *) (gpointer) self->sel_node_mask->data;
  overlay.selected_edges = (const gboolean *) (gpointer) self->sel_edge_mask->data;
  overlay.hovered_node = self->hovered_node;
  overlay.hovered_edge = self->hovered_edge;
  /* The ring only while the keyboard is in use here, as GTK draws focus. */
  overlay.focus_node = gtk_widget_has_visible_focus (widget) && cd_canvas_focus_valid (self)
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
  *ov = overlay;
}

static void
cd_canvas_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  CdCanvas *self = CD_CANVAS (widget);
  const CdModel *model = cd_canvas_model (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  CdRenderStyle style;
  CdNetworkOverlay overlay;
  const CdRun *run = self->run_matches ? self->run : NULL;
  cairo_t *cr;

  if (model == NULL || width <= 0 || height <= 0)
    return;

  cd_widget_render_style (widget, &style);
  canvas_overlay (self, &overlay);

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
  const CdModel *model = cd_canvas_model (self);
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

  cd_canvas_class_init_keyboard (widget_class);
}

static void
cd_canvas_init (CdCanvas *self)
{
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

  cd_canvas_init_input (self);
  cd_canvas_init_keyboard (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Network of governments"), -1);
  cd_canvas_update_accessible (self);

  cd_widget_follow_style (GTK_WIDGET (self));
}

GtkWidget *
cd_canvas_new (void)
{
  return g_object_new (CD_TYPE_CANVAS, NULL);
}

double
cd_canvas_measure_text (CdCanvas *self,
                        GArray   *boxes,
                        guint    *n_named)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const CdModel *model = cd_canvas_model (self);
  const CdRun *run = self->run_matches ? self->run : NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr (GArray) drawn = g_array_new (FALSE, FALSE, sizeof (CdRenderBox));
  CdRenderStyle style;
  CdNetworkOverlay overlay;
  cairo_surface_t *surface;
  cairo_t *cr;
  double min_px;

  g_return_val_if_fail (CD_IS_CANVAS (self), INFINITY);
  g_return_val_if_fail (boxes != NULL, INFINITY);
  if (n_named != NULL)
    *n_named = 0;
  if (model == NULL || width <= 0 || height <= 0)
    return INFINITY;
  cd_widget_render_style (widget, &style);
  canvas_overlay (self, &overlay);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cd_render_probe_begin ();
  cd_render_network_boxes (cr, width, height, self->view, model, run ? run->system : NULL,
                           run ? run->trajectory : NULL, self->sample, &overlay, &style, drawn);
  min_px = cd_render_probe_end (NULL);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  for (guint k = 0; k < drawn->len; k++)
    {
      const CdRenderBox *b = &g_array_index (drawn, CdRenderBox, k);
      if (n_named != NULL && b->owner > 0)
        (*n_named)++;
    }
  g_array_append_vals (boxes, drawn->data, drawn->len);
  return min_px;
}

void
cd_canvas_measure_shapes (CdCanvas *self,
                          GArray   *shapes,
                          GArray   *segments)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const CdModel *model = cd_canvas_model (self);
  const CdRun *run = self->run_matches ? self->run : NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  CdRenderStyle style;
  CdNetworkOverlay overlay;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_if_fail (CD_IS_CANVAS (self));
  if (model == NULL || width <= 0 || height <= 0)
    return;
  cd_widget_render_style (widget, &style);
  canvas_overlay (self, &overlay);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cd_render_network_layout (cr, width, height, self->view, model, run ? run->system : NULL,
                            run ? run->trajectory : NULL, self->sample, &overlay, &style, NULL,
                            shapes, segments);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}
