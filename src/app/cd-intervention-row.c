/* cd-intervention-row.c — one policy change in the Scenario panel (see
 * cd-intervention-row.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-intervention-row.h"
#include "cd-number-row.h"

struct _CdInterventionRow
{
  AdwExpanderRow  parent_instance;

  CdDocument     *document;
  guint           index;
  gboolean        building;      /* setting the values shown: not an edit */

  GtkAdjustment  *at;            /* the time's entry */

  /* template children */
  GtkWidget      *at_row;
  GtkWidget      *add_row;       /* Add Setting's, kept last */
  GtkWidget      *add_button;
};

G_DEFINE_FINAL_TYPE (CdInterventionRow, cd_intervention_row, ADW_TYPE_EXPANDER_ROW)

enum
{
  EDIT,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
model_version (CdInterventionRow *self)
{
  return cd_document_get_model (self->document)->version;
}

/* A copy of the policy change as the model has it now, or NULL if it is
 * gone. */
static CdIntervention *
current_intervention (CdInterventionRow *self)
{
  const CdModel *model = cd_document_get_model (self->document);

  if (self->index >= model->interventions->len)
    return NULL;
  return cd_intervention_copy (g_ptr_array_index (model->interventions, self->index));
}

/* key: what a run of value edits shares, so they merge into one undo step
 * (NULL: a step of its own); structural: the rows must be built again. */
static void
emit_edit (CdInterventionRow *self,
           CdIntervention    *iv,
           const char        *key,
           gboolean           structural)
{
  g_signal_emit (self, signals[EDIT], 0, iv, key, structural);
}

/* The first parameter iv does not set yet, or CD_N_PARAMS when it sets them
 * all.  Add Setting needs one: cd_intervention_add() updates a parameter
 * already set instead of adding a second setting for it. */
static CdParam
first_unset_param (const CdIntervention *iv,
                   int                   version)
{
  for (CdParam p = 0; cd_param_next_in_version (&p, version); p++)
    {
      gboolean set = FALSE;

      for (guint k = 0; k < iv->settings->len && !set; k++)
        set = g_array_index (iv->settings, CdSetting, k).param == (CdParam) p;
      if (!set)
        return (CdParam) p;
    }
  return CD_N_PARAMS;
}

static void
on_at_changed (CdInterventionRow *self,
               GtkAdjustment     *adj)
{
  g_autofree char *key = g_strdup_printf ("intervention:%u:-1", self->index);
  g_autoptr (CdIntervention) iv = NULL;

  if (self->building || (iv = current_intervention (self)) == NULL)
    return;
  iv->at = gtk_adjustment_get_value (adj);
  emit_edit (self, iv, key, FALSE);
}

static void
on_value_changed (GtkAdjustment     *adj,
                  CdInterventionRow *self)
{
  int setting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (adj), "setting"));
  g_autofree char *key = g_strdup_printf ("intervention:%u:%d", self->index, setting);
  g_autoptr (CdIntervention) iv = NULL;

  if (self->building || (iv = current_intervention (self)) == NULL
      || (guint) setting >= iv->settings->len)
    return;
  g_array_index (iv->settings, CdSetting, setting).value = gtk_adjustment_get_value (adj);
  emit_edit (self, iv, key, FALSE);
}

static void
on_param_changed (AdwComboRow       *combo,
                  GParamSpec        *pspec,
                  CdInterventionRow *self)
{
  int setting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (combo), "setting"));
  CdParam list[CD_N_PARAMS];
  guint n = cd_params_in_version (model_version (self), list);
  guint selected = adw_combo_row_get_selected (combo);
  g_autoptr (CdIntervention) iv = NULL;
  CdSetting *s;
  CdParam p;

  if (self->building || selected >= n || (iv = current_intervention (self)) == NULL
      || (guint) setting >= iv->settings->len)
    return;
  p = list[selected];
  s = &g_array_index (iv->settings, CdSetting, setting);
  /* Two settings of one parameter at one time would contradict each other
   * (and the file keeps one value per parameter): refused, and the row
   * shows the parameter set before. */
  for (guint k = 0; k < iv->settings->len; k++)
    if (k != (guint) setting && g_array_index (iv->settings, CdSetting, k).param == p)
      {
        g_autofree char *text =
          g_strdup_printf (_("This policy change already sets “%s”: change that setting instead"),
                           _(cd_param_info (p)->label));

        gtk_widget_activate_action (GTK_WIDGET (self), "win.show-message", "s", text);
        self->building = TRUE;
        for (guint at = 0; at < n; at++)
          if (list[at] == s->param)
            adw_combo_row_set_selected (combo, at);
        self->building = FALSE;
        return;
      }
  s->param = p;
  /* Keep the value valid for the newly chosen parameter. */
  if (!cd_param_value_in_range (p, s->value))
    s->value = cd_param_info (p)->default_value;
  emit_edit (self, iv, NULL, TRUE);
}

static void
on_add_setting (CdInterventionRow *self)
{
  g_autoptr (CdIntervention) iv = current_intervention (self);
  CdParameters in_force;
  CdParam p;

  if (iv == NULL || (p = first_unset_param (iv, model_version (self))) == CD_N_PARAMS)
    return;
  /* Start from the value already in force then, so the new setting changes
   * nothing until the user moves it. */
  cd_model_parameters_at (cd_document_get_model (self->document), iv->at, &in_force);
  cd_intervention_add (iv, p, in_force.values[p]);
  emit_edit (self, iv, NULL, TRUE);
}

static void
on_remove_setting (GtkButton         *button,
                   CdInterventionRow *self)
{
  int setting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "setting"));
  g_autoptr (CdIntervention) iv = current_intervention (self);

  if (iv == NULL || (guint) setting >= iv->settings->len)
    return;
  g_array_remove_index (iv->settings, setting);
  emit_edit (self, iv, NULL, TRUE);
}

static void
on_remove_clicked (CdInterventionRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

/* The parameter and its new value, with a button to drop the setting. */
static void
add_setting (CdInterventionRow *self,
             guint              k,
             const CdSetting   *s)
{
  const CdParamInfo *info = cd_param_info (s->param);
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *combo, *value_row, *remove;
  GtkAdjustment *adj;
  CdParam list[CD_N_PARAMS];
  guint n = cd_params_in_version (model_version (self), list), at = 0;

  /* The parameters of the model's version (docs/model.md, "Model 2"). */
  for (guint p = 0; p < n; p++)
    {
      gtk_string_list_append (names, _(cd_param_info (list[p])->label));
      if (list[p] == s->param)
        at = p;
    }
  combo = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), _("Parameter"));
  adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), at);
  g_object_set_data (G_OBJECT (combo), "setting", GUINT_TO_POINTER (k));
  g_signal_connect (combo, "notify::selected", G_CALLBACK (on_param_changed), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), combo);

  value_row = cd_number_row_new (_("New value"), cd_param_range_text (s->param),
                                 _(cd_param_description (s->param, model_version (self))), 0.0,
                                 info->bound == CD_BOUND_UNIT ? 1.0 : info->soft_max, 0.01, 2,
                                 TRUE, &adj);
  gtk_adjustment_set_value (adj, s->value);
  g_object_set_data (G_OBJECT (adj), "setting", GUINT_TO_POINTER (k));
  g_signal_connect (adj, "value-changed", G_CALLBACK (on_value_changed), self);
  remove = cd_number_row_add_remove_button (value_row, _("Remove this setting"));
  g_object_set_data (G_OBJECT (remove), "setting", GUINT_TO_POINTER (k));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_setting), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), value_row);
}

static void
cd_intervention_row_dispose (GObject *object)
{
  CdInterventionRow *self = CD_INTERVENTION_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_INTERVENTION_ROW);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (cd_intervention_row_parent_class)->dispose (object);
}

static void
cd_intervention_row_class_init (CdInterventionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_intervention_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/"
                                               "cd-intervention-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CdInterventionRow, at_row);
  gtk_widget_class_bind_template_child (widget_class, CdInterventionRow, add_row);
  gtk_widget_class_bind_template_child (widget_class, CdInterventionRow, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_add_setting);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);

  /* (CdIntervention *intervention, const char *key, gboolean structural):
   * the policy change as it should become (the row keeps it). */
  signals[EDIT] =
    g_signal_new ("edit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_POINTER, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cd_intervention_row_init (CdInterventionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->at = cd_number_row_add_time_entry (self->at_row);
  g_signal_connect_swapped (self->at, "value-changed", G_CALLBACK (on_at_changed), self);
}

GtkWidget *
cd_intervention_row_new (CdDocument *document,
                         guint       index)
{
  const CdModel *model;
  const CdIntervention *iv;
  g_autofree char *title = NULL;
  g_autoptr (GString) subtitle = g_string_new (NULL);
  CdInterventionRow *self;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);
  model = cd_document_get_model (document);
  g_return_val_if_fail (index < model->interventions->len, NULL);

  iv = g_ptr_array_index (model->interventions, index);
  self = g_object_new (CD_TYPE_INTERVENTION_ROW, NULL);
  self->document = g_object_ref (document);
  self->index = index;
  self->building = TRUE;
  for (guint k = 0; k < iv->settings->len; k++)
    {
      const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
      if (k > 0)
        g_string_append (subtitle, ", ");
      g_string_append_printf (subtitle, "%s = %g", _(cd_param_info (s->param)->label), s->value);
    }
  title = g_strdup_printf (_("At t = %g"), iv->at);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle->str);
  gtk_adjustment_set_value (self->at, iv->at);

  /* The settings go between the time and Add Setting, which stays last. */
  g_object_ref (self->add_row);
  adw_expander_row_remove (ADW_EXPANDER_ROW (self), self->add_row);
  for (guint k = 0; k < iv->settings->len; k++)
    add_setting (self, k, &g_array_index (iv->settings, CdSetting, k));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->add_row);
  g_object_unref (self->add_row);
  if (first_unset_param (iv, model->version) == CD_N_PARAMS)
    {
      gtk_widget_set_sensitive (self->add_button, FALSE);
      gtk_widget_set_tooltip_text (self->add_button,
                                   _("This policy change already sets every parameter"));
    }
  self->building = FALSE;
  return GTK_WIDGET (self);
}

guint
cd_intervention_row_get_index (CdInterventionRow *self)
{
  g_return_val_if_fail (CD_IS_INTERVENTION_ROW (self), 0);
  return self->index;
}
