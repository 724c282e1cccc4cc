/* cd-canvas-keyboard.c — the canvas from the keyboard (issue 5.6): a focus
 * ring moved through the governments with Tab, arrows that move the
 * focused one or pan, Enter, Delete and Escape, all through widget actions
 * bound to the keys; and what assistive technologies are told of the
 * focused government (see cd-canvas.h and cd-canvas-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-canvas-private.h"
#include "cd-edits.h"

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
GArray *
cd_canvas_tab_order (CdCanvas *self)
{
  const CdModel *model = cd_canvas_model (self);
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

guint
cd_canvas_rank_in (const GArray *order,
                   int           index)
{
  for (guint r = 0; r < order->len; r++)
    if ((int) g_array_index (order, guint, r) == index)
      return r;
  return 0;
}

gboolean
cd_canvas_focus_valid (CdCanvas *self)
{
  const CdModel *model = cd_canvas_model (self);

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

void
cd_canvas_end_key_burst (CdCanvas *self)
{
  if (!self->key_moving)
    return;
  self->key_moving = FALSE;
  if (self->document != NULL)
    cd_document_break_merge (self->document);
}

void
cd_canvas_set_focus (CdCanvas *self,
                     int       index,
                     guint     rank,
                     gboolean  reveal)
{
  const CdModel *model = cd_canvas_model (self);

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
  cd_canvas_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_canvas_refocus_at_rank (CdCanvas *self)
{
  g_autoptr (GArray) order = cd_canvas_tab_order (self);

  if (order->len == 0)
    cd_canvas_set_focus (self, -1, 0, FALSE);
  else
    {
      guint rank = MIN (self->focus_rank, order->len - 1);
      cd_canvas_set_focus (self, (int) g_array_index (order, guint, rank), rank, FALSE);
    }
}

/* Moves the keyboard focus one government along the Tab order; FALSE at
 * either end, so that Tab there leaves the canvas as it would any widget. */
static gboolean
focus_step (CdCanvas *self,
            int       direction)
{
  g_autoptr (GArray) order = cd_canvas_tab_order (self);
  int next;

  cd_canvas_end_key_burst (self);
  if (order->len == 0)
    return FALSE;
  if (!cd_canvas_focus_valid (self))
    next = direction > 0 ? 0 : (int) order->len - 1;
  else
    {
      next = (int) cd_canvas_rank_in (order, self->focus_index) + direction;
      if (next < 0 || next >= (int) order->len)
        return FALSE;
    }
  cd_canvas_set_focus (self, (int) g_array_index (order, guint, next), (guint) next, TRUE);
  return TRUE;
}

static void
move_focused (CdCanvas *self,
              double    dx,
              double    dy)
{
  const CdModel *model = cd_canvas_model (self);
  g_autoptr (GPtrArray) ids = NULL;
  g_autofree double *xs = NULL;
  g_autofree double *ys = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GError) error = NULL;
  double zoom, pan_x, pan_y;
  CdMoveNodes move;

  if (!cd_canvas_focus_valid (self) || model == NULL)
    {
      /* Nothing to move: the arrows look around instead. */
      cd_network_view_pan_by (self->view, -dx, -dy);
      cd_canvas_interacted (self);
      return;
    }

  /* As with a drag: a focused government that is part of the selection
   * carries the selection along; otherwise it moves alone. */
  ids = g_ptr_array_new ();
  g_ptr_array_add (ids, self->focus_id);
  if (cd_canvas_node_selected (self, self->focus_index))
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
    cd_canvas_emit_error (self, error);
  reveal_node (self, self->focus_index);
  /* a held arrow key repeats */
  cd_canvas_interacted (self);
}

/* Enter on the focused government does what a click on it does with the
 * current tool, so every tool works without a pointer. */
static void
activate_focused (CdCanvas *self,
                  gboolean  extend)
{
  int node = self->focus_index;

  cd_canvas_end_key_burst (self);
  if (!cd_canvas_focus_valid (self))
    return;
  switch (self->tool)
    {
    case CD_TOOL_ADD_COMMAND:
    case CD_TOOL_ADD_PARTNERSHIP:
      cd_canvas_connect_step (self, node);
      break;
    case CD_TOOL_DELETE:
      cd_canvas_select_node (self, node, FALSE);
      cd_canvas_delete_selection (self);
      break;
    case CD_TOOL_PICK:
      cd_canvas_emit_node_picked (self, node);
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
  cd_canvas_end_key_burst (self);
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
  cd_canvas_interacted (self);
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

  cd_canvas_end_key_burst (self);
  if (!cd_canvas_delete_selection (self))
    cd_canvas_emit_message (self, _("Select a government or a tie to delete (Enter selects the "
                                    "focused one)"));
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
      cd_canvas_end_key_burst (self);
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
  if (!cd_canvas_focus_valid (self))
    {
      g_autoptr (GArray) order = cd_canvas_tab_order (self);
      g_autoptr (GArray) selected = cd_canvas_get_selected_nodes (self);

      if (selected->len > 0)
        {
          int i = (int) g_array_index (selected, guint, 0);
          cd_canvas_set_focus (self, i, cd_canvas_rank_in (order, i), FALSE);
        }
      else if (order->len > 0)
        cd_canvas_set_focus (self, (int) g_array_index (order, guint, 0), 0, FALSE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                CdCanvas                *self)
{
  cd_canvas_end_key_burst (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- Accessibility ------------------------------------------------------ */

static char *
describe_node (CdCanvas *self,
               int       index)
{
  const CdModel *model = cd_canvas_model_of_doc (self);
  const CdNode *node = g_ptr_array_index (model->nodes, index);
  const char *name = cd_node_display_name (node);
  const char *level = cd_level_label (node->level);
  const char *selected = cd_canvas_node_selected (self, index) ? _(", selected") : "";

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

void
cd_canvas_update_accessible (CdCanvas *self)
{
  const CdModel *model = cd_canvas_model (self);
  g_autofree char *text = NULL;

  if (cd_canvas_focus_valid (self))
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
  return cd_canvas_focus_valid (self) ? self->focus_index : -1;
}

void
cd_canvas_set_focus_node (CdCanvas *self,
                          int       index)
{
  g_autoptr (GArray) order = NULL;

  g_return_if_fail (CD_IS_CANVAS (self));

  cd_canvas_end_key_burst (self);
  order = cd_canvas_tab_order (self);
  cd_canvas_set_focus (self, index, index >= 0 ? cd_canvas_rank_in (order, index) : 0, index >= 0);
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

/* ---- Setting up --------------------------------------------------------- */

void
cd_canvas_class_init_keyboard (GtkWidgetClass *widget_class)
{
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

void
cd_canvas_init_keyboard (CdCanvas *self)
{
  GtkEventController *key, *focus;

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect (focus, "enter", G_CALLBACK (on_focus_enter), self);
  g_signal_connect (focus, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}
