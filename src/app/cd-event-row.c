/* cd-event-row.c — one emergency in the Scenario panel (see
 * cd-event-row.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cd-event-row.h"
#include "cd-number-row.h"

struct _CdEventRow
{
  AdwExpanderRow  parent_instance;

  CdDocument     *document;
  guint           index;
  gboolean        building;      /* setting the values shown: not an edit */

  GtkAdjustment  *onset;         /* the entries' values */
  GtkAdjustment  *magnitude;
  GtkAdjustment  *decay;

  /* template children */
  AdwEntryRow    *name_row;
  GtkWidget      *onset_row;
  GtkWidget      *magnitude_row;
  GtkWidget      *decay_row;
  AdwActionRow   *pick_row;
  GtkToggleButton *pick_button;
};

G_DEFINE_FINAL_TYPE (CdEventRow, cd_event_row, ADW_TYPE_EXPANDER_ROW)

enum
{
  EDIT,
  REMOVE,
  PICK_TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A copy of the emergency as the model has it now, or NULL if it is gone. */
static CdEvent *
current_event (CdEventRow *self)
{
  const CdModel *model = cd_document_get_model (self->document);

  if (self->index >= model->events->len)
    return NULL;
  return cd_event_copy (g_ptr_array_index (model->events, self->index));
}

/* key: what a run of value edits shares, so they merge into one undo step
 * (NULL: a step of its own); structural: the rows must be built again. */
static void
emit_edit (CdEventRow *self,
           CdEvent    *ev,
           const char *key,
           gboolean    structural)
{
  g_signal_emit (self, signals[EDIT], 0, ev, key, structural);
}

static void
on_number_changed (CdEventRow    *self,
                   GtkAdjustment *adj)
{
  const char *field = adj == self->onset ? "onset" : adj == self->magnitude ? "magnitude"
                                                                            : "decay";
  g_autofree char *key = g_strdup_printf ("event:%u:%s", self->index, field);
  g_autoptr (CdEvent) ev = NULL;
  double v = gtk_adjustment_get_value (adj);

  if (self->building || (ev = current_event (self)) == NULL)
    return;
  if (adj == self->onset)
    ev->onset = v;
  else if (adj == self->magnitude)
    ev->magnitude = v;
  else
    ev->decay = v;
  emit_edit (self, ev, key, FALSE);
}

static void
on_impact_changed (GtkAdjustment *adj,
                   CdEventRow    *self)
{
  const char *node = g_object_get_data (G_OBJECT (adj), "node");
  g_autofree char *key = g_strdup_printf ("event:%u:impact:%s", self->index, node);
  g_autoptr (CdEvent) ev = NULL;

  if (self->building || (ev = current_event (self)) == NULL)
    return;
  cd_event_set_impact (ev, node, gtk_adjustment_get_value (adj));
  emit_edit (self, ev, key, FALSE);
}

static void
on_name_apply (CdEventRow *self)
{
  g_autoptr (CdEvent) ev = current_event (self);

  if (ev == NULL)
    return;
  g_free (ev->name);
  ev->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  cd_localized_replace_shown (ev->names, ev->name);
  emit_edit (self, ev, NULL, TRUE);
}

static void
on_remove_impact (GtkButton  *button,
                  CdEventRow *self)
{
  g_autoptr (CdEvent) ev = current_event (self);

  if (ev == NULL)
    return;
  cd_event_set_impact (ev, g_object_get_data (G_OBJECT (button), "node"), -1.0);
  emit_edit (self, ev, NULL, TRUE);
}

static void
on_remove_clicked (CdEventRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
on_pick_toggled (CdEventRow *self)
{
  if (!self->building)
    g_signal_emit (self, signals[PICK_TOGGLED], 0,
                   gtk_toggle_button_get_active (self->pick_button));
}

/* A row per government hit, with its impact and a button to drop it. */
static void
add_impact (CdEventRow     *self,
            const CdModel  *model,
            const CdImpact *impact)
{
  int n = cd_model_find_node (model, impact->node);
  GtkAdjustment *adj;
  GtkWidget *row, *remove;

  row = cd_number_row_new (n >= 0 ? cd_node_display_name (g_ptr_array_index (model->nodes, n))
                                  : impact->node,
                           NULL, _("How hard this emergency hits this government"), 0.0, 1.0,
                           0.1, 2, TRUE, &adj);
  gtk_adjustment_set_value (adj, impact->a);
  g_object_set_data_full (G_OBJECT (adj), "node", g_strdup (impact->node), g_free);
  g_signal_connect (adj, "value-changed", G_CALLBACK (on_impact_changed), self);

  remove = cd_number_row_add_remove_button (row, _("No longer hit"));
  g_object_set_data_full (G_OBJECT (remove), "node", g_strdup (impact->node), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_impact), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
}

static void
cd_event_row_dispose (GObject *object)
{
  CdEventRow *self = CD_EVENT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_EVENT_ROW);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (cd_event_row_parent_class)->dispose (object);
}

static void
cd_event_row_class_init (CdEventRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_event_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-event-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CdEventRow, name_row);
  gtk_widget_class_bind_template_child (widget_class, CdEventRow, onset_row);
  gtk_widget_class_bind_template_child (widget_class, CdEventRow, magnitude_row);
  gtk_widget_class_bind_template_child (widget_class, CdEventRow, decay_row);
  gtk_widget_class_bind_template_child (widget_class, CdEventRow, pick_row);
  gtk_widget_class_bind_template_child (widget_class, CdEventRow, pick_button);
  gtk_widget_class_bind_template_callback (widget_class, on_name_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_pick_toggled);

  /* (CdEvent *event, const char *key, gboolean structural): the emergency
   * as it should become (the row keeps it). */
  signals[EDIT] =
    g_signal_new ("edit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_POINTER, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* (gboolean picking) */
  signals[PICK_TOGGLED] =
    g_signal_new ("pick-toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
cd_event_row_init (CdEventRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The entries of every number in the app (cd-number-row.h). */
  self->onset = cd_number_row_add_time_entry (self->onset_row);
  self->magnitude = cd_number_row_add_entry (self->magnitude_row, 0.0, 100.0, 0.1, 2);
  self->decay = cd_number_row_add_entry (self->decay_row, 0.01, 1e6, 0.1, 2);
  g_signal_connect_swapped (self->onset, "value-changed", G_CALLBACK (on_number_changed), self);
  g_signal_connect_swapped (self->magnitude, "value-changed", G_CALLBACK (on_number_changed),
                            self);
  g_signal_connect_swapped (self->decay, "value-changed", G_CALLBACK (on_number_changed), self);
}

GtkWidget *
cd_event_row_new (CdDocument *document,
                  guint       index,
                  gboolean    picking)
{
  const CdModel *model;
  const CdEvent *ev;
  g_autofree char *subtitle = NULL;
  CdEventRow *self;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);
  model = cd_document_get_model (document);
  g_return_val_if_fail (index < model->events->len, NULL);

  ev = g_ptr_array_index (model->events, index);
  self = g_object_new (CD_TYPE_EVENT_ROW, NULL);
  self->document = g_object_ref (document);
  self->index = index;
  self->building = TRUE;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 *cd_event_display_name (ev) ? cd_event_display_name (ev)
                                                             : _("Unnamed emergency"));
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "From t = %g, magnitude %g, %u government hit",
                                           "From t = %g, magnitude %g, %u governments hit",
                                           ev->impacts->len),
                              ev->onset, ev->magnitude, ev->impacts->len);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), cd_event_display_name (ev));
  gtk_adjustment_set_value (self->onset, ev->onset);
  gtk_adjustment_set_value (self->magnitude, ev->magnitude);
  gtk_adjustment_set_value (self->decay, ev->decay);
  gtk_toggle_button_set_active (self->pick_button, picking);
  adw_action_row_set_subtitle (self->pick_row,
                               ev->impacts->len == 0 ? _("None yet: pick them on the network")
                                                     : _("Impact 0–1 each"));
  for (guint k = 0; k < ev->impacts->len; k++)
    add_impact (self, model, &g_array_index (ev->impacts, CdImpact, k));
  self->building = FALSE;
  return GTK_WIDGET (self);
}

guint
cd_event_row_get_index (CdEventRow *self)
{
  g_return_val_if_fail (CD_IS_EVENT_ROW (self), 0);
  return self->index;
}
