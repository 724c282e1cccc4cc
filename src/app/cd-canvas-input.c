/* cd-canvas-input.c — the canvas from the pointer: clicks with each tool,
 * dragging governments and the rubber band, panning, zooming with the
 * wheel and a pinch, hover, the rename popover and the context menu (see
 * cd-canvas.h; the canvas's parts are listed in cd-canvas-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-canvas-private.h"
#include "cd-edits.h"

/* ---- Input -------------------------------------------------------------- */

void
cd_canvas_emit_error (CdCanvas *self,
                      GError   *error)
{
  if (error != NULL)
    cd_canvas_emit_message (self, error->message);
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
      cd_canvas_emit_error (self, error);
      return;
    }
  index = cd_model_find_node (cd_canvas_model (self), add.out_id);
  g_free (add.out_id);
  cd_canvas_select_node (self, index, FALSE);
}

static void
connect_nodes (CdCanvas *self,
               int       source,
               int       target)
{
  const CdModel *model = cd_canvas_model_of_doc (self);
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
      cd_canvas_emit_error (self, error);
      return;
    }
  model = cd_canvas_model_of_doc (self);
  cd_canvas_select_edge (self, (int) model->edges->len - 1, FALSE);
}

void
cd_canvas_connect_step (CdCanvas *self,
                        int       node)
{
  if (self->pending_source < 0)
    self->pending_source = node;
  else if (node != self->pending_source)
    {
      int source = self->pending_source;
      self->pending_source = -1;
      connect_nodes (self, source, node);
    }
}

static void
start_move (CdCanvas *self)
{
  const CdModel *model = cd_canvas_model (self);
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
  const CdModel *model = cd_canvas_model (self);
  CdRenderStyle style;
  int node, edge;

  if (model == NULL)
    return;
  cd_canvas_end_key_burst (self);
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
      g_autoptr (GArray) order = cd_canvas_tab_order (self);
      cd_canvas_set_focus (self, node, cd_canvas_rank_in (order, node), FALSE);
    }

  switch (self->tool)
    {
    case CD_TOOL_SELECT:
      if (node >= 0)
        {
          if (extend)
            cd_canvas_select_node (self, node, TRUE);
          else if (!cd_canvas_node_selected (self, node))
            cd_canvas_select_node (self, node, FALSE);
          if (cd_canvas_node_selected (self, node))
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
      else
        cd_canvas_connect_step (self, node);
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
        cd_canvas_emit_node_picked (self, node);
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
    cd_canvas_interacted (self);
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
      const CdModel *model = cd_canvas_model (self);

      for (guint k = 0; k < inside->len; k++)
        {
          guint i = g_array_index (inside, guint, k);
          if (!cd_canvas_node_selected (self, (int) i) && i < model->nodes->len)
            {
              g_ptr_array_add (self->sel_node_ids,
                               g_strdup (((CdNode *) g_ptr_array_index (model->nodes, i))->id));
              cd_canvas_rebuild_masks (self);
            }
        }
      cd_canvas_selection_changed (self);
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
  cd_canvas_interacted (self);
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
  if (cd_canvas_model (self) == NULL)
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
  cd_canvas_interacted (self);
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
  cd_canvas_interacted (self);
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
    cd_canvas_emit_error (self, error);
  gtk_popover_popdown (GTK_POPOVER (self->rename_popover));
}

void
cd_canvas_rename_node (CdCanvas *self,
                       int       index)
{
  const CdModel *model = cd_canvas_model (self);
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

  if (cd_canvas_model (self) == NULL)
    return;
  cd_widget_render_style (GTK_WIDGET (self), &style);
  node = cd_network_view_node_at (self->view, x, y, &style);

  if (button == GDK_BUTTON_PRIMARY && n_press == 2 && node >= 0 && self->tool == CD_TOOL_SELECT)
    cd_canvas_rename_node (self, node);
  else if (button == GDK_BUTTON_SECONDARY)
    {
      GdkRectangle rect = { (int) x, (int) y, 1, 1 };
      int edge = node < 0 ? cd_network_view_edge_at (self->view, x, y, 6.0) : -1;

      if (node >= 0 && !cd_canvas_node_selected (self, node))
        cd_canvas_select_node (self, node, FALSE);
      else if (edge >= 0)
        cd_canvas_select_edge (self, edge, FALSE);
      gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &rect);
      gtk_popover_popup (GTK_POPOVER (self->context_menu));
    }
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

/* ---- Setting up --------------------------------------------------------- */

void
cd_canvas_init_input (CdCanvas *self)
{
  GtkGesture *drag, *pan, *click, *zoom;
  GtkEventController *motion, *scroll;
  g_autoptr (GMenuModel) menu = NULL;
  GtkWidget *box, *label;

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

}
