/* cd-inspector.c — the selection's attributes (see cd-inspector.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-edits.h"
#include "cd-inspector.h"
#include "cd-model-fields.h"
#include "cd-number-row.h"
#include "cd-render.h"

struct _CdInspector
{
  AdwBin      parent_instance;

  CdDocument *document;
  int         node;
  int         edge;
  guint       n_selected;
  gboolean    editing;    /* our own edit: the widgets already show it */
  gboolean    updating;
  char       *shown;      /* signature of what the rows show */
};

G_DEFINE_FINAL_TYPE (CdInspector, cd_inspector, ADW_TYPE_BIN)

static void rebuild (CdInspector *self);

static void
apply_field (CdInspector *self,
             CdSetField  *set,
             const char  *label)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *key = g_strdup_printf ("inspector:%d:%d:%s", set->node, set->edge, set->field);
  gboolean ok;

  if (self->updating || self->document == NULL)
    return;
  self->editing = TRUE;
  ok = cd_document_apply (self->document, label, key,
                          g_str_equal (set->field, "id") || g_str_equal (set->field, "name")
                          || g_str_equal (set->field, "level")
                            ? CD_CHANGE_STRUCTURE : CD_CHANGE_VALUES,
                          cd_edit_set_field, set, &error);
  self->editing = FALSE;
  if (!ok)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      /* Tell the window, which shows it as a toast, and show the model again. */
      if (root != NULL && error != NULL)
        gtk_widget_activate_action (GTK_WIDGET (self), "win.show-message", "s", error->message);
      rebuild (self);
    }
}

static void
on_number_changed (GtkAdjustment *adj,
                   CdInspector   *self)
{
  CdSetField set = { .node = self->node, .edge = self->edge };

  set.field = g_object_get_data (G_OBJECT (adj), "field");
  set.number = gtk_adjustment_get_value (adj);
  /* Translators: undo step for editing a government's or tie's attribute */
  apply_field (self, &set, _("Change Attribute"));
}

static void
on_text_applied (AdwEntryRow *row,
                 CdInspector *self)
{
  CdSetField set = { .node = self->node, .edge = -1 };

  set.field = g_object_get_data (G_OBJECT (row), "field");
  set.text = gtk_editable_get_text (GTK_EDITABLE (row));
  apply_field (self, &set, g_str_equal (set.field, "id") ? _("Change Id") : _("Rename Government"));
  rebuild (self);
}

static void
on_level_selected (AdwComboRow *row,
                   GParamSpec  *pspec,
                   CdInspector *self)
{
  CdSetField set = { .node = self->node, .edge = -1, .field = "level" };

  set.integer = (int) adw_combo_row_get_selected (row);
  apply_field (self, &set, _("Change Level"));
}

static void
on_fixed_toggled (GtkSwitch   *sw,
                  GParamSpec  *pspec,
                  CdInspector *self)
{
  CdSetField set = { .node = self->node, .edge = -1, .field = "fixed" };

  set.integer = gtk_switch_get_active (sw);
  apply_field (self, &set, _("Change Fixed Stance"));
}

/* A slider row for every number of a government or a tie, in the field
 * table's order, with its label and meaning from the table. */
static void
on_role_selected (AdwComboRow *row,
                  GParamSpec  *pspec,
                  CdInspector *self)
{
  CdSetField set = { .node = -1, .edge = self->edge, .field = "role" };

  set.integer = (int) adw_combo_row_get_selected (row);
  /* Translators: undo step for making a command line administrative or emergency */
  apply_field (self, &set, _("Change Command Role"));
}

/* The role of a command line (version 2). */
static void
add_role (CdInspector  *self,
          GtkWidget    *group,
          const CdEdge *edge)
{
  const CdFieldInfo *f = cd_field_find (FALSE, "role");
  g_autoptr (GtkStringList) roles = gtk_string_list_new (NULL);
  GtkWidget *row = adw_combo_row_new ();

  /* Translators: the role of a command line: the standing central-local hierarchy */
  gtk_string_list_append (roles, C_("command role", "Administrative"));
  /* Translators: the role of a command line: the emergency command system */
  gtk_string_list_append (roles, C_("command role", "Emergency"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(f->label));
  /* The meaning as a tooltip, as the number rows have it: as a subtitle
   * it squeezed the choice to "Emerg…" in a narrow panel. */
  gtk_widget_set_tooltip_text (row, _(f->description));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (roles));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), edge->role);
  g_signal_connect (row, "notify::selected", G_CALLBACK (on_role_selected), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
add_numbers (CdInspector   *self,
             GtkWidget     *group,
             const CdModel *model,
             gconstpointer  object,
             CdEdgeKind     kind,
             gboolean       is_node)
{
  guint n;
  const CdFieldInfo *fields = is_node ? cd_node_fields (&n) : cd_edge_fields (&n);

  for (guint k = 0; k < n; k++)
    {
      const CdFieldInfo *f = &fields[k];
      GtkAdjustment *adj;
      GtkWidget *row;

      if ((f->type != CD_FIELD_NUMBER && f->type != CD_FIELD_OPTIONAL_NUMBER)
          || !cd_field_in_version (f, model->version)
          || (!is_node && !cd_field_of_edge_kind (f, kind)))
        continue;
      /* (0, 1] cannot reach its lower end. */
      row = cd_number_row_new (_(f->label), NULL, _(f->description),
                               f->range == CD_FIELD_RANGE_WEIGHT ? 0.01 : 0.0, 1.0, 0.01, 2,
                               TRUE, &adj);
      /* An unset appraisal shows the value it has: its default. */
      gtk_adjustment_set_value (adj, f->type == CD_FIELD_OPTIONAL_NUMBER
                                       && !cd_field_is_set (f, object)
                                     ? cd_model_node_appraisal (model, (guint) self->node)
                                     : cd_field_get_number (f, object));
      g_object_set_data (G_OBJECT (adj), "field", (gpointer) f->key);
      g_signal_connect (adj, "value-changed", G_CALLBACK (on_number_changed), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
}

static GtkWidget *
add_entry (CdInspector *self,
           GtkWidget   *group,
           const char  *field,
           const char  *title,
           const char  *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_object_set_data (G_OBJECT (row), "field", (gpointer) field);
  g_signal_connect (row, "apply", G_CALLBACK (on_text_applied), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

/* A version-1 file is offered the upgrade where its attributes are edited:
 * model 2's fields (ideas and powers, appraisal, command roles) are what
 * the user would look for here. */
static gboolean
offers_upgrade (CdInspector *self)
{
  return self->document != NULL && cd_document_get_model (self->document)->version == 1;
}

static GtkWidget *
upgrade_button (void)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Upgrade to Model 2…"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.upgrade-model");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Give fragmentation of ideas and of powers, appraisal "
                                         "and emergency command their own values"));
  return button;
}

static GtkWidget *
upgrade_group (void)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("A Model 1 File"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("One fragmentation, uniform appraisal, no emergency command"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), upgrade_button ());
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return group;
}

static GtkWidget *
placeholder (CdInspector *self)
{
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "find-location-symbolic");
  if (self->n_selected > 1)
    {
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Item Selected",
                                                             "%u Items Selected",
                                                             self->n_selected),
                                                self->n_selected);
      adw_status_page_set_title (ADW_STATUS_PAGE (status), title);
      adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                       _("Select a single government or tie to edit it"));
    }
  else
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Nothing Selected"));
      adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                       _("Click a government or a tie on the network to edit "
                                         "its attributes"));
    }
  gtk_widget_add_css_class (status, "compact");
  if (offers_upgrade (self))
    adw_status_page_set_child (ADW_STATUS_PAGE (status), upgrade_button ());
  return status;
}

/* The field of the entry row that has the keyboard focus, if any: a rebuild
 * replaces every row, and a keyboard user must not be thrown out of the
 * panel by pressing Enter in it. */
static const char *
focused_field (CdInspector *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return NULL;
  for (GtkWidget *w = focus; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    if (ADW_IS_ENTRY_ROW (w))
      return g_object_get_data (G_OBJECT (w), "field");
  return NULL;
}

static GtkWidget *
find_field_row (GtkWidget  *widget,
                const char *field)
{
  if (ADW_IS_ENTRY_ROW (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "field"),
                                              field) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_field_row (c, field);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void rebuild_rows (CdInspector *self);

/* The values of every field the rows show, through the field table. */
static void
append_signature (GString       *text,
                  gconstpointer  object,
                  CdEdgeKind     kind,
                  gboolean       is_node)
{
  guint n;
  const CdFieldInfo *fields = is_node ? cd_node_fields (&n) : cd_edge_fields (&n);

  for (guint k = 0; k < n; k++)
    {
      const CdFieldInfo *f = &fields[k];
      const char *at = (const char *) object + f->offset;

      if (!is_node && !cd_field_of_edge_kind (f, kind))
        continue;
      switch (f->type)
        {
        case CD_FIELD_ID:
        case CD_FIELD_TEXT:
          g_string_append_printf (text, ":%s", *(char *const *) (gconstpointer) at);
          break;
        case CD_FIELD_LEVEL:
        case CD_FIELD_KIND:
        case CD_FIELD_ROLE:
          g_string_append_printf (text, ":%d", *(const int *) (gconstpointer) at);
          break;
        case CD_FIELD_OPTIONAL_NUMBER:
          g_string_append_printf (text, ":%d:%.17g", cd_field_is_set (f, object),
                                  *(const double *) (gconstpointer) at);
          break;
        case CD_FIELD_BOOLEAN:
          g_string_append_printf (text, ":%d", *(const gboolean *) (gconstpointer) at);
          break;
        case CD_FIELD_NUMBER:
          g_string_append_printf (text, ":%.17g", *(const double *) (gconstpointer) at);
          break;
        default:
          break;
        }
    }
}

/* What the rows show, as text, so that edits elsewhere (a force slider, a
 * drag) do not rebuild the panel: a rebuild costs milliseconds and would
 * end a drag on one of its sliders. */
static char *
shown_signature (CdInspector *self)
{
  const CdModel *model = self->document ? cd_document_get_model (self->document) : NULL;

  if (model == NULL || self->n_selected != 1 || (self->node < 0 && self->edge < 0))
    return g_strdup_printf ("none:%u:v%d", self->n_selected, model != NULL ? model->version : 0);
  if (self->node >= 0 && (guint) self->node < model->nodes->len)
    {
      const CdNode *n = g_ptr_array_index (model->nodes, self->node);
      GString *text = g_string_new (NULL);

      /* The version decides the rows; the default appraisal follows superiors. */
      g_string_printf (text, "node:%d:v%d:%.17g", self->node, model->version,
                       model->version >= 2 ? cd_model_node_appraisal (model, (guint) self->node)
                                           : 0.0);
      append_signature (text, n, CD_EDGE_COMMAND, TRUE);
      return g_string_free (text, FALSE);
    }
  if (self->node < 0 && (guint) self->edge < model->edges->len)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, self->edge);
      int a = cd_model_find_node (model, e->source);
      int b = cd_model_find_node (model, e->target);
      GString *text = g_string_new (NULL);

      /* The ends are shown by their names. */
      g_string_printf (text, "edge:%d:v%d:%s:%s", self->edge, model->version,
                       a >= 0 ? cd_node_display_name (g_ptr_array_index (model->nodes, a))
                              : e->source,
                       b >= 0 ? cd_node_display_name (g_ptr_array_index (model->nodes, b))
                              : e->target);
      append_signature (text, e, e->kind, FALSE);
      return g_string_free (text, FALSE);
    }
  return g_strdup ("out-of-range");
}

static void
rebuild (CdInspector *self)
{
  const char *field = focused_field (self);   /* static strings: survive the rebuild */
  GtkWidget *row;

  g_free (self->shown);
  self->shown = shown_signature (self);
  rebuild_rows (self);
  if (field != NULL && (row = find_field_row (GTK_WIDGET (self), field)) != NULL)
    gtk_widget_grab_focus (row);
}

static void
rebuild_rows (CdInspector *self)
{
  const CdModel *model = self->document ? cd_document_get_model (self->document) : NULL;
  GtkWidget *page, *group;

  self->updating = TRUE;
  if (model == NULL || self->n_selected != 1
      || (self->node < 0 && self->edge < 0)
      || (self->node >= 0 && (guint) self->node >= model->nodes->len)
      || (self->node < 0 && (guint) self->edge >= model->edges->len))
    {
      adw_bin_set_child (ADW_BIN (self), placeholder (self));
      self->updating = FALSE;
      return;
    }

  page = adw_preferences_page_new ();
  if (offers_upgrade (self))
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                              ADW_PREFERENCES_GROUP (upgrade_group ()));
  group = adw_preferences_group_new ();
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  if (self->node >= 0)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, self->node);
      g_autoptr (GtkStringList) levels = gtk_string_list_new (NULL);
      const CdFieldInfo *fixed;
      GtkWidget *level_row, *fixed_row, *sw;

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Government"));
      add_entry (self, group, "name", _(cd_field_find (TRUE, "name")->label),
                 cd_node_display_name (node));
      add_entry (self, group, "id", _(cd_field_find (TRUE, "id")->label), node->id);

      for (guint l = 0; l < CD_N_LEVELS; l++)
        gtk_string_list_append (levels, cd_level_label (l));
      level_row = adw_combo_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (level_row),
                                     _(cd_field_find (TRUE, "level")->label));
      adw_combo_row_set_model (ADW_COMBO_ROW (level_row), G_LIST_MODEL (levels));
      adw_combo_row_set_selected (ADW_COMBO_ROW (level_row), node->level);
      g_signal_connect (level_row, "notify::selected", G_CALLBACK (on_level_selected), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), level_row);

      add_numbers (self, group, model, node, CD_EDGE_COMMAND, TRUE);

      fixed = cd_field_find (TRUE, "fixed");
      fixed_row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fixed_row), _(fixed->label));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (fixed_row), _(fixed->description));
      sw = gtk_switch_new ();
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_switch_set_active (GTK_SWITCH (sw), node->fixed);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_fixed_toggled), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (fixed_row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (fixed_row), sw);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), fixed_row);
    }
  else
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, self->edge);
      int a = cd_model_find_node (model, edge->source);
      int b = cd_model_find_node (model, edge->target);
      g_autofree char *desc = NULL;

      desc = g_strdup_printf (edge->kind == CD_EDGE_COMMAND ? _("From %s down to %s")
                                                             : _("Between %s and %s"),
                              cd_node_display_name (g_ptr_array_index (model->nodes, a)),
                              cd_node_display_name (g_ptr_array_index (model->nodes, b)));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), desc);
      if (edge->kind == CD_EDGE_COMMAND)
        {
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Command Line"));
          add_numbers (self, group, model, edge, edge->kind, FALSE);
          if (model->version >= 2)
            add_role (self, group, edge);
        }
      else
        {
          adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Partnership"));
          add_numbers (self, group, model, edge, edge->kind, FALSE);
        }
    }
  adw_bin_set_child (ADW_BIN (self), page);
  self->updating = FALSE;
}

static void
on_document_changed (CdDocument  *document,
                     guint        flags,
                     CdInspector *self)
{
  g_autofree char *shown = NULL;

  /* Rebuilding under a slider being dragged would end the drag. */
  if (self->editing)
    return;
  shown = shown_signature (self);
  if (g_strcmp0 (shown, self->shown) != 0)
    rebuild (self);
}

static void
cd_inspector_dispose (GObject *object)
{
  CdInspector *self = CD_INSPECTOR (object);

  cd_document_unfollow (&self->document, self);
  g_clear_pointer (&self->shown, g_free);
  G_OBJECT_CLASS (cd_inspector_parent_class)->dispose (object);
}

static void
cd_inspector_class_init (CdInspectorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_inspector_dispose;
}

static void
cd_inspector_init (CdInspector *self)
{
  self->node = self->edge = -1;
  rebuild (self);
}

GtkWidget *
cd_inspector_new (void)
{
  return g_object_new (CD_TYPE_INSPECTOR, NULL);
}

void
cd_inspector_set_document (CdInspector *self,
                           CdDocument  *document)
{
  g_return_if_fail (CD_IS_INSPECTOR (self));

  cd_document_follow (&self->document, document, self, G_CALLBACK (on_document_changed));
  rebuild (self);
}

void
cd_inspector_set_selection (CdInspector *self,
                            int          node,
                            int          edge,
                            guint        n_selected)
{
  g_return_if_fail (CD_IS_INSPECTOR (self));

  if (self->node == node && self->edge == edge && self->n_selected == n_selected)
    return;
  self->node = node;
  self->edge = edge;
  self->n_selected = n_selected;
  rebuild (self);
}
