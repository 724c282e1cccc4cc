/* cd-scenario-panel.c — emergencies and policy changes (see cd-scenario-panel.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cd-edits.h"
#include "cd-number-row.h"
#include "cd-scenario-panel.h"

struct _CdScenarioPanel
{
  AdwBin      parent_instance;

  CdDocument *document;
  gboolean    editing;
  gboolean    updating;
  int         expanded_event;
  int         expanded_intervention;
  int         picking;
  GtkWidget  *page;
  char       *shown;   /* signature of the model parts the rows were built from */
  gboolean    stale;   /* the model changed while hidden: rebuild when shown */
};

G_DEFINE_FINAL_TYPE (CdScenarioPanel, cd_scenario_panel, ADW_TYPE_BIN)

enum
{
  PICKING_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void rebuild (CdScenarioPanel *self);

static const CdModel *
model_of (CdScenarioPanel *self)
{
  return cd_document_get_model (self->document);
}

/* Picking for an emergency that is gone (removed, undone) stops. */
static void
forget_lost_pick (CdScenarioPanel *self)
{
  if (self->picking >= 0 && (guint) self->picking >= model_of (self)->events->len)
    {
      self->picking = -1;
      g_signal_emit (self, signals[PICKING_CHANGED], 0);
    }
}

static void
report (CdScenarioPanel *self,
        GError          *error)
{
  if (error != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-message", "s", error->message);
}

/* Applies an edit made in a row.  A value edit keeps the rows (editing), so
 * the slider being dragged stays; a refused edit is reported and the rows
 * rebuilt to show the model as it is. */
static void
commit (CdScenarioPanel *self,
        const char      *label,
        CdEditFunc       edit,
        gpointer         data,
        const char      *key,
        gboolean         structural)
{
  g_autoptr (GError) error = NULL;

  if (self->updating)
    return;
  self->editing = !structural;
  if (!cd_document_apply (self->document, label, key,
                          structural ? CD_CHANGE_STRUCTURE : CD_CHANGE_VALUES,
                          edit, data, &error))
    {
      report (self, error);
      self->editing = FALSE;
      rebuild (self);
    }
  self->editing = FALSE;
}

/* Applies a replacement of event `index`. */
static void
commit_event (CdScenarioPanel *self,
              int              index,
              CdEvent         *ev,
              const char      *key,
              gboolean         structural)
{
  CdSetEvent set = { index, ev };

  commit (self, _("Edit Emergency"), cd_edit_set_event, &set, key, structural);
}

static void
commit_intervention (CdScenarioPanel *self,
                     int              index,
                     CdIntervention  *iv,
                     const char      *key,
                     gboolean         structural)
{
  CdSetIntervention set = { index, iv };

  commit (self, _("Edit Policy Change"), cd_edit_set_intervention, &set, key, structural);
}

/* A flat icon button at the end of a row, acting on event or policy change
 * `index`. */
static GtkWidget *
row_button (CdScenarioPanel *self,
            const char      *icon,
            const char      *tooltip,
            int              index,
            GCallback        on_clicked)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data (G_OBJECT (button), "index", GINT_TO_POINTER (index));
  g_signal_connect (button, "clicked", on_clicked, self);
  return button;
}

/* ---- Emergencies -------------------------------------------------------- */

static void
on_event_number (GtkAdjustment   *adj,
                 CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (adj), "index"));
  const char *field = g_object_get_data (G_OBJECT (adj), "field");
  const CdModel *model = model_of (self);
  g_autoptr (CdEvent) ev = NULL;
  g_autofree char *key = g_strdup_printf ("event:%d:%s", index, field);
  double v = gtk_adjustment_get_value (adj);

  if (self->updating || index < 0 || (guint) index >= model->events->len)
    return;
  ev = cd_event_copy (g_ptr_array_index (model->events, index));
  if (g_str_equal (field, "onset"))
    ev->onset = v;
  else if (g_str_equal (field, "magnitude"))
    ev->magnitude = v;
  else if (g_str_equal (field, "decay"))
    ev->decay = v;
  else
    {
      /* "impact:<node id>" */
      cd_event_set_impact (ev, field + strlen ("impact:"), v);
    }
  commit_event (self, index, ev, key, FALSE);
}

static void
on_event_name (AdwEntryRow     *row,
               CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "index"));
  const CdModel *model = model_of (self);
  g_autoptr (CdEvent) ev = NULL;

  if (index < 0 || (guint) index >= model->events->len)
    return;
  ev = cd_event_copy (g_ptr_array_index (model->events, index));
  g_free (ev->name);
  ev->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  cd_localized_replace_shown (ev->names, ev->name);
  commit_event (self, index, ev, NULL, TRUE);
}

static void
on_remove_impact (GtkButton       *button,
                  CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));
  const char *node = g_object_get_data (G_OBJECT (button), "node");
  g_autoptr (CdEvent) ev = cd_event_copy (g_ptr_array_index (model_of (self)->events, index));

  cd_event_set_impact (ev, node, -1.0);
  commit_event (self, index, ev, NULL, TRUE);
}

static void
on_remove_event (GtkButton       *button,
                 CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));

  cd_scenario_panel_stop_picking (self);
  cd_document_apply (self->document, _("Remove Emergency"), NULL, CD_CHANGE_STRUCTURE,
                     cd_edit_remove_event, &index, NULL);
}

static void
on_pick_toggled (GtkToggleButton *button,
                 CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));

  if (self->updating)
    return;
  self->picking = gtk_toggle_button_get_active (button) ? index : -1;
  g_signal_emit (self, signals[PICKING_CHANGED], 0);
  rebuild (self);
}

static void
on_add_event (GtkButton       *button,
              CdScenarioPanel *self)
{
  g_autoptr (CdEvent) ev = cd_event_new ();
  const CdModel *model = model_of (self);
  CdSetEvent set = { -1, NULL };

  g_free (ev->name);
  ev->name = g_strdup_printf (_("Emergency %u"), model->events->len + 1);
  ev->onset = model->sim.t_end / 5.0;
  ev->magnitude = 1.0;
  ev->decay = MAX (model->sim.t_end / 10.0, 0.1);
  set.event = ev;
  self->expanded_event = (int) model->events->len;
  cd_document_apply (self->document, _("Add Emergency"), NULL, CD_CHANGE_STRUCTURE,
                     cd_edit_set_event, &set, NULL);
}

static GtkWidget *
event_number (CdScenarioPanel *self,
              int              index,
              const char      *field,
              const char      *title,
              const char      *tooltip,
              double           lower,
              double           upper,
              double           value,
              gboolean         with_scale)
{
  GtkAdjustment *adj;
  GtkWidget *row = cd_number_row_new (title, NULL, tooltip, lower, upper, 0.1, 2, with_scale,
                                      &adj);

  gtk_adjustment_set_value (adj, value);
  g_object_set_data (G_OBJECT (adj), "index", GINT_TO_POINTER (index));
  g_object_set_data_full (G_OBJECT (adj), "field", g_strdup (field), g_free);
  g_signal_connect (adj, "value-changed", G_CALLBACK (on_event_number), self);
  return row;
}

static void
on_expanded (AdwExpanderRow  *row,
             GParamSpec      *pspec,
             CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "index"));
  gboolean is_event = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "event"));

  if (self->updating)
    return;
  if (is_event)
    self->expanded_event = adw_expander_row_get_expanded (row) ? index : -1;
  else
    self->expanded_intervention = adw_expander_row_get_expanded (row) ? index : -1;
}

static GtkWidget *
event_row (CdScenarioPanel *self,
           int              index)
{
  const CdModel *model = model_of (self);
  const CdEvent *ev = g_ptr_array_index (model->events, index);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *name, *remove, *pick;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 *cd_event_display_name (ev) ? cd_event_display_name (ev)
                                                             : _("Unnamed emergency"));
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "From t = %g, magnitude %g, %u government hit",
                                           "From t = %g, magnitude %g, %u governments hit",
                                           ev->impacts->len),
                              ev->onset, ev->magnitude, ev->impacts->len);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  g_object_set_data (G_OBJECT (row), "index", GINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (row), "event", GINT_TO_POINTER (TRUE));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), index == self->expanded_event
                                                         || index == self->picking);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_expanded), self);

  remove = row_button (self, "user-trash-symbolic", _("Remove this emergency"), index,
                       G_CALLBACK (on_remove_event));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove);

  name = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name), _("Name"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (name), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (name), cd_event_display_name (ev));
  g_object_set_data (G_OBJECT (name), "index", GINT_TO_POINTER (index));
  g_signal_connect (name, "apply", G_CALLBACK (on_event_name), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), name);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            event_number (self, index, "onset", _("Onset"),
                                          _("When the emergency starts (model time)"), 0.0,
                                          1e6, ev->onset, FALSE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            event_number (self, index, "magnitude", _("Magnitude"),
                                          _("Its severity at onset; it then decays"), 0.0, 100.0,
                                          ev->magnitude, FALSE));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                            event_number (self, index, "decay", _("Decay time"),
                                          _("Time constant of its exponential decay: after this "
                                            "long it is down to about a third"),
                                          0.01, 1e6, ev->decay, FALSE));

  pick = gtk_toggle_button_new_with_label (_("Pick on Network"));
  gtk_widget_set_tooltip_text (pick, _("Click governments on the network to add them as hit by "
                                       "this emergency; press Escape or click again to stop"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (pick), self->picking == index);
  g_object_set_data (G_OBJECT (pick), "index", GINT_TO_POINTER (index));
  g_signal_connect (pick, "toggled", G_CALLBACK (on_pick_toggled), self);
  gtk_widget_set_valign (pick, GTK_ALIGN_CENTER);
  {
    GtkWidget *pick_row = adw_action_row_new ();
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (pick_row), _("Governments hit"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (pick_row),
                                 ev->impacts->len == 0 ? _("None yet: pick them on the network")
                                                       : _("Impact 0–1 each"));
    adw_action_row_add_suffix (ADW_ACTION_ROW (pick_row), pick);
    adw_expander_row_add_row (ADW_EXPANDER_ROW (row), pick_row);
  }

  for (guint k = 0; k < ev->impacts->len; k++)
    {
      const CdImpact *im = &g_array_index (ev->impacts, CdImpact, k);
      int n = cd_model_find_node (model, im->node);
      g_autofree char *field = g_strdup_printf ("impact:%s", im->node);
      GtkWidget *irow, *del;

      irow = event_number (self, index, field,
                           n >= 0 ? cd_node_display_name (g_ptr_array_index (model->nodes, n))
                                  : im->node,
                           _("How hard this emergency hits this government"), 0.0, 1.0, im->a,
                           TRUE);
      del = row_button (self, "list-remove-symbolic", _("No longer hit"), index,
                        G_CALLBACK (on_remove_impact));
      g_object_set_data_full (G_OBJECT (del), "node", g_strdup (im->node), g_free);
      adw_action_row_add_suffix (ADW_ACTION_ROW (irow), del);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), irow);
    }
  return row;
}

/* ---- Policy changes ----------------------------------------------------- */

static void
on_iv_number (GtkAdjustment   *adj,
              CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (adj), "index"));
  int setting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (adj), "setting"));
  const CdModel *model = model_of (self);
  g_autoptr (CdIntervention) iv = NULL;
  g_autofree char *key = g_strdup_printf ("intervention:%d:%d", index, setting);

  if (self->updating || index < 0 || (guint) index >= model->interventions->len)
    return;
  iv = cd_intervention_copy (g_ptr_array_index (model->interventions, index));
  if (setting < 0)
    iv->at = gtk_adjustment_get_value (adj);
  else if ((guint) setting < iv->settings->len)
    g_array_index (iv->settings, CdSetting, setting).value = gtk_adjustment_get_value (adj);
  commit_intervention (self, index, iv, key, FALSE);
}

static void
on_iv_param (AdwComboRow     *row,
             GParamSpec      *pspec,
             CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "index"));
  int setting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "setting"));
  g_autoptr (CdIntervention) iv = NULL;
  CdSetting *s;
  CdParam list[CD_N_PARAMS];
  guint n = cd_params_in_version (model_of (self)->version, list);
  guint selected = adw_combo_row_get_selected (row);
  CdParam p;

  if (self->updating || selected >= n)
    return;
  p = list[selected];
  iv = cd_intervention_copy (g_ptr_array_index (model_of (self)->interventions, index));
  /* Two settings of one parameter at one time would contradict each other
   * (and the file keeps one value per parameter). */
  for (guint k = 0; k < iv->settings->len; k++)
    if (k != (guint) setting && g_array_index (iv->settings, CdSetting, k).param == p)
      {
        g_autoptr (GError) error =
          g_error_new (G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("This policy change already sets “%s”: change that setting instead"),
                       _(cd_param_info (p)->label));
        report (self, error);
        rebuild (self);
        return;
      }
  s = &g_array_index (iv->settings, CdSetting, setting);
  s->param = p;
  /* Keep the value valid for the newly chosen parameter. */
  if (!cd_param_value_in_range (p, s->value))
    s->value = cd_param_info (p)->default_value;
  commit_intervention (self, index, iv, NULL, TRUE);
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
on_iv_add_setting (GtkButton       *button,
                   CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));
  const CdModel *model = model_of (self);
  g_autoptr (CdIntervention) iv = NULL;
  CdParameters in_force;
  CdParam p;

  if (index < 0 || (guint) index >= model->interventions->len)
    return;
  iv = cd_intervention_copy (g_ptr_array_index (model->interventions, index));
  p = first_unset_param (iv, model->version);
  if (p == CD_N_PARAMS)
    return;
  /* Start from the value already in force then, so the new setting changes
   * nothing until the user moves it. */
  cd_model_parameters_at (model, iv->at, &in_force);
  cd_intervention_add (iv, p, in_force.values[p]);
  commit_intervention (self, index, iv, NULL, TRUE);
}

static void
on_iv_remove_setting (GtkButton       *button,
                      CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));
  int setting = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "setting"));
  g_autoptr (CdIntervention) iv =
    cd_intervention_copy (g_ptr_array_index (model_of (self)->interventions, index));

  g_array_remove_index (iv->settings, setting);
  commit_intervention (self, index, iv, NULL, TRUE);
}

static void
on_remove_intervention (GtkButton       *button,
                        CdScenarioPanel *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "index"));

  cd_document_apply (self->document, _("Remove Policy Change"), NULL, CD_CHANGE_STRUCTURE,
                     cd_edit_remove_intervention, &index, NULL);
}

static void
on_add_intervention (GtkButton       *button,
                     CdScenarioPanel *self)
{
  const CdModel *model = model_of (self);
  g_autoptr (CdIntervention) iv = cd_intervention_new (model->sim.t_end / 2.0);
  CdSetIntervention set = { -1, NULL };

  /* The commonest reform in the theory: benefit compensation. */
  cd_intervention_add (iv, CD_PARAM_RESISTANCE_COMPENSATION, 1.0);
  set.intervention = iv;
  self->expanded_intervention = (int) model->interventions->len;
  cd_document_apply (self->document, _("Add Policy Change"), NULL, CD_CHANGE_STRUCTURE,
                     cd_edit_set_intervention, &set, NULL);
}

static GtkWidget *
intervention_row (CdScenarioPanel *self,
                  int              index)
{
  const CdIntervention *iv = g_ptr_array_index (model_of (self)->interventions, index);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *remove, *at_row, *add;
  GtkAdjustment *adj;
  g_autofree char *title = g_strdup_printf (_("At t = %g"), iv->at);
  g_autoptr (GString) subtitle = g_string_new (NULL);

  for (guint k = 0; k < iv->settings->len; k++)
    {
      const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
      if (k > 0)
        g_string_append (subtitle, ", ");
      g_string_append_printf (subtitle, "%s = %g", _(cd_param_info (s->param)->label), s->value);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle->str);
  g_object_set_data (G_OBJECT (row), "index", GINT_TO_POINTER (index));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), index == self->expanded_intervention);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_expanded), self);

  remove = row_button (self, "user-trash-symbolic", _("Remove this policy change"), index,
                       G_CALLBACK (on_remove_intervention));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), remove);

  at_row = cd_number_row_new (_("Time"), NULL, _("From when the new values are in force"), 0.0,
                              1e6, 0.1, 2, FALSE, &adj);
  gtk_adjustment_set_value (adj, iv->at);
  g_object_set_data (G_OBJECT (adj), "index", GINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (adj), "setting", GINT_TO_POINTER (-1));
  g_signal_connect (adj, "value-changed", G_CALLBACK (on_iv_number), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), at_row);

  for (guint k = 0; k < iv->settings->len; k++)
    {
      const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
      const CdParamInfo *info = cd_param_info (s->param);
      g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
      GtkWidget *combo, *value_row, *del;
      CdParam list[CD_N_PARAMS];
      guint n = cd_params_in_version (model_of (self)->version, list), at = 0;

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
      g_object_set_data (G_OBJECT (combo), "index", GINT_TO_POINTER (index));
      g_object_set_data (G_OBJECT (combo), "setting", GINT_TO_POINTER (k));
      g_signal_connect (combo, "notify::selected", G_CALLBACK (on_iv_param), self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), combo);

      value_row = cd_number_row_new (_("New value"), cd_param_range_text (s->param),
                                     _(cd_param_description (s->param,
                                                             model_of (self)->version)), 0.0,
                                     info->bound == CD_BOUND_UNIT ? 1.0 : info->soft_max, 0.01, 2,
                                     TRUE, &adj);
      gtk_adjustment_set_value (adj, s->value);
      g_object_set_data (G_OBJECT (adj), "index", GINT_TO_POINTER (index));
      g_object_set_data (G_OBJECT (adj), "setting", GINT_TO_POINTER (k));
      g_signal_connect (adj, "value-changed", G_CALLBACK (on_iv_number), self);
      del = row_button (self, "list-remove-symbolic", _("Remove this setting"), index,
                        G_CALLBACK (on_iv_remove_setting));
      g_object_set_data (G_OBJECT (del), "setting", GINT_TO_POINTER (k));
      adw_action_row_add_suffix (ADW_ACTION_ROW (value_row), del);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), value_row);
    }

  add = gtk_button_new_with_label (_("Add Setting"));
  gtk_widget_set_margin_top (add, 6);
  gtk_widget_set_margin_bottom (add, 6);
  gtk_widget_set_halign (add, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (add), "index", GINT_TO_POINTER (index));
  if (first_unset_param (iv, model_of (self)->version) == CD_N_PARAMS)
    {
      gtk_widget_set_sensitive (add, FALSE);
      gtk_widget_set_tooltip_text (add, _("This policy change already sets every parameter"));
    }
  g_signal_connect (add, "clicked", G_CALLBACK (on_iv_add_setting), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), add);
  return row;
}

/* ---- Building ----------------------------------------------------------- */

static GtkWidget *
add_button (const char *tooltip,
            GCallback   callback,
            gpointer    self)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("list-add-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

/* What the rows show, as text: rebuilding is costly (a row per government
 * an emergency hits, 3,177 for the national model's flood: seconds), so an
 * edit elsewhere — a force slider, an attribute in the inspector — that
 * leaves this text unchanged leaves the rows alone. */
static char *
shown_signature (CdScenarioPanel *self)
{
  const CdModel *model = model_of (self);
  g_autoptr (GHashTable) index = cd_model_node_index (model);
  GString *out = g_string_new (NULL);
  char num[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint k = 0; k < model->events->len; k++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, k);

      g_string_append_printf (out, "E%s|", cd_event_display_name (ev));
      g_string_append_printf (out, "%s|", g_ascii_dtostr (num, sizeof num, ev->onset));
      g_string_append_printf (out, "%s|", g_ascii_dtostr (num, sizeof num, ev->magnitude));
      g_string_append_printf (out, "%s|", g_ascii_dtostr (num, sizeof num, ev->decay));
      for (guint j = 0; j < ev->impacts->len; j++)
        {
          const CdImpact *im = &g_array_index (ev->impacts, CdImpact, j);
          int n = GPOINTER_TO_INT (g_hash_table_lookup (index, im->node)) - 1;

          g_string_append_printf (out, "%s=%s=%s|", im->node,
                                  n >= 0 ? cd_node_display_name (g_ptr_array_index (model->nodes,
                                                                                    n))
                                         : "",
                                  g_ascii_dtostr (num, sizeof num, im->a));
        }
    }
  for (guint k = 0; k < model->interventions->len; k++)
    {
      const CdIntervention *iv = g_ptr_array_index (model->interventions, k);

      g_string_append_printf (out, "I%s|", g_ascii_dtostr (num, sizeof num, iv->at));
      for (guint j = 0; j < iv->settings->len; j++)
        {
          const CdSetting *set = &g_array_index (iv->settings, CdSetting, j);
          g_string_append_printf (out, "%d=%s|", (int) set->param,
                                  g_ascii_dtostr (num, sizeof num, set->value));
        }
    }
  return g_string_free (out, FALSE);
}

static void
rebuild (CdScenarioPanel *self)
{
  const CdModel *model;
  GtkWidget *page, *events, *ivs;
  double scroll = 0.0;
  GtkWidget *old = adw_bin_get_child (ADW_BIN (self));

  if (self->document == NULL)
    return;
  model = model_of (self);
  forget_lost_pick (self);
  /* Keep the scroll position across rebuilds. */
  if (old != NULL)
    {
      GtkWidget *sw = gtk_widget_get_first_child (old);
      if (GTK_IS_SCROLLED_WINDOW (sw))
        {
          GtkScrolledWindow *scrolled = GTK_SCROLLED_WINDOW (sw);
          scroll = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scrolled));
        }
    }

  self->updating = TRUE;
  page = adw_preferences_page_new ();
  events = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (events), _("Emergencies"));
  adw_preferences_group_set_description (
    ADW_PREFERENCES_GROUP (events),
    _("Floods, epidemics, spills: each adds crisis pressure to the governments it hits, "
      "decaying over time"));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (events),
                                           add_button (_("Add an emergency"),
                                                       G_CALLBACK (on_add_event), self));
  for (guint k = 0; k < model->events->len; k++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (events), event_row (self, (int) k));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (events));

  ivs = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (ivs), _("Policy Changes"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (ivs),
                                         _("Reforms that set parameters from a time on: "
                                           "compensation, supervision, a legal basis…"));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (ivs),
                                           add_button (_("Add a policy change"),
                                                       G_CALLBACK (on_add_intervention), self));
  for (guint k = 0; k < model->interventions->len; k++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (ivs), intervention_row (self, (int) k));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (ivs));

  adw_bin_set_child (ADW_BIN (self), page);
  self->page = page;
  self->stale = FALSE;
  g_free (self->shown);
  self->shown = shown_signature (self);
  {
    GtkWidget *sw = gtk_widget_get_first_child (page);
    if (GTK_IS_SCROLLED_WINDOW (sw))
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (sw)),
                                scroll);
  }
  self->updating = FALSE;
}

static void
on_document_changed (CdDocument      *document,
                     guint            flags,
                     CdScenarioPanel *self)
{
  if (flags & CD_CHANGE_REPLACED)
    {
      self->expanded_event = self->expanded_intervention = -1;
      cd_scenario_panel_stop_picking (self);
    }
  if (self->editing || flags == CD_CHANGE_POSITIONS)
    return;
  forget_lost_pick (self);
  /* Hidden (another side page is up): build when it is shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  if (!(flags & CD_CHANGE_REPLACED))
    {
      g_autofree char *shown = shown_signature (self);
      if (g_strcmp0 (shown, self->shown) == 0)
        return;
    }
  rebuild (self);
}

static void
cd_scenario_panel_map (GtkWidget *widget)
{
  CdScenarioPanel *self = CD_SCENARIO_PANEL (widget);

  if (self->stale)
    rebuild (self);
  GTK_WIDGET_CLASS (cd_scenario_panel_parent_class)->map (widget);
}

static void
cd_scenario_panel_dispose (GObject *object)
{
  CdScenarioPanel *self = CD_SCENARIO_PANEL (object);

  cd_document_unfollow (&self->document, self);
  g_clear_pointer (&self->shown, g_free);
  G_OBJECT_CLASS (cd_scenario_panel_parent_class)->dispose (object);
}

static void
cd_scenario_panel_class_init (CdScenarioPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_scenario_panel_dispose;
  GTK_WIDGET_CLASS (klass)->map = cd_scenario_panel_map;

  signals[PICKING_CHANGED] =
    g_signal_new ("picking-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cd_scenario_panel_init (CdScenarioPanel *self)
{
  self->expanded_event = self->expanded_intervention = self->picking = -1;
}

GtkWidget *
cd_scenario_panel_new (void)
{
  return g_object_new (CD_TYPE_SCENARIO_PANEL, NULL);
}

void
cd_scenario_panel_set_document (CdScenarioPanel *self,
                                CdDocument      *document)
{
  g_return_if_fail (CD_IS_SCENARIO_PANEL (self));

  cd_document_follow (&self->document, document, self, G_CALLBACK (on_document_changed));
  rebuild (self);
}

void
cd_scenario_panel_show_event (CdScenarioPanel *self,
                              int              index)
{
  g_return_if_fail (CD_IS_SCENARIO_PANEL (self));
  self->expanded_event = index;
  rebuild (self);
}

void
cd_scenario_panel_show_intervention (CdScenarioPanel *self,
                                     int              index)
{
  g_return_if_fail (CD_IS_SCENARIO_PANEL (self));
  self->expanded_intervention = index;
  rebuild (self);
}

int
cd_scenario_panel_get_picking (CdScenarioPanel *self)
{
  g_return_val_if_fail (CD_IS_SCENARIO_PANEL (self), -1);
  return self->picking;
}

void
cd_scenario_panel_stop_picking (CdScenarioPanel *self)
{
  g_return_if_fail (CD_IS_SCENARIO_PANEL (self));

  if (self->picking < 0)
    return;
  self->picking = -1;
  g_signal_emit (self, signals[PICKING_CHANGED], 0);
  rebuild (self);
}

void
cd_scenario_panel_pick_node (CdScenarioPanel *self,
                             int              node)
{
  const CdModel *model;
  g_autoptr (CdEvent) ev = NULL;
  const CdNode *n;

  g_return_if_fail (CD_IS_SCENARIO_PANEL (self));

  model = model_of (self);
  if (self->picking < 0 || (guint) self->picking >= model->events->len
      || node < 0 || (guint) node >= model->nodes->len)
    return;
  n = g_ptr_array_index (model->nodes, node);
  ev = cd_event_copy (g_ptr_array_index (model->events, self->picking));
  if (cd_event_get_impact (ev, n->id) > 0.0)
    return;
  cd_event_set_impact (ev, n->id, 1.0);
  commit_event (self, self->picking, ev, NULL, TRUE);
}
