/* cd-scenario-panel.c — emergencies, policy changes, named scenarios (see cd-scenario-panel.h).
 *
 * The rows are CdEventRow and CdInterventionRow (templates); the panel
 * lays them out, applies what they ask as undo steps and keeps which one
 * is open, and which emergency's governments are being picked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cd-edits.h"
#include "cd-event-row.h"
#include "cd-intervention-row.h"
#include "cd-scenario-panel.h"
#include "cd-scenario-row.h"

struct _CdScenarioPanel
{
  AdwBin      parent_instance;

  CdDocument *document;
  gboolean    editing;
  gboolean    updating;
  int         expanded_event;
  int         expanded_intervention;
  int         expanded_scenario;
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

/* ---- Emergencies -------------------------------------------------------- */

static void
on_event_edit (CdEventRow      *row,
               CdEvent         *ev,
               const char      *key,
               gboolean         structural,
               CdScenarioPanel *self)
{
  commit_event (self, (int) cd_event_row_get_index (row), ev, key, structural);
}

static void
on_event_remove (CdEventRow      *row,
                 CdScenarioPanel *self)
{
  int index = (int) cd_event_row_get_index (row);

  cd_scenario_panel_stop_picking (self);
  cd_document_apply (self->document, _("Remove Emergency"), NULL, CD_CHANGE_STRUCTURE,
                     cd_edit_remove_event, &index, NULL);
}

static void
on_event_pick (CdEventRow      *row,
               gboolean         picking,
               CdScenarioPanel *self)
{
  if (self->updating)
    return;
  self->picking = picking ? (int) cd_event_row_get_index (row) : -1;
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

static void
on_expanded (AdwExpanderRow  *row,
             GParamSpec      *pspec,
             CdScenarioPanel *self)
{
  int open = -1;

  if (self->updating)
    return;
  if (CD_IS_EVENT_ROW (row))
    {
      if (adw_expander_row_get_expanded (row))
        open = (int) cd_event_row_get_index (CD_EVENT_ROW (row));
      self->expanded_event = open;
    }
  else if (CD_IS_SCENARIO_ROW (row))
    {
      if (adw_expander_row_get_expanded (row))
        open = (int) cd_scenario_row_get_index (CD_SCENARIO_ROW (row));
      self->expanded_scenario = open;
    }
  else
    {
      if (adw_expander_row_get_expanded (row))
        open = (int) cd_intervention_row_get_index (CD_INTERVENTION_ROW (row));
      self->expanded_intervention = open;
    }
}

static GtkWidget *
event_row (CdScenarioPanel *self,
           int              index)
{
  GtkWidget *row = cd_event_row_new (self->document, (guint) index, self->picking == index);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), index == self->expanded_event
                                                         || index == self->picking);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_expanded), self);
  g_signal_connect (row, "edit", G_CALLBACK (on_event_edit), self);
  g_signal_connect (row, "remove", G_CALLBACK (on_event_remove), self);
  g_signal_connect (row, "pick-toggled", G_CALLBACK (on_event_pick), self);
  return row;
}

/* ---- Policy changes ----------------------------------------------------- */

static void
on_intervention_edit (CdInterventionRow *row,
                      CdIntervention    *iv,
                      const char        *key,
                      gboolean           structural,
                      CdScenarioPanel   *self)
{
  commit_intervention (self, (int) cd_intervention_row_get_index (row), iv, key, structural);
}

static void
on_intervention_remove (CdInterventionRow *row,
                        CdScenarioPanel   *self)
{
  int index = (int) cd_intervention_row_get_index (row);

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
  GtkWidget *row = cd_intervention_row_new (self->document, (guint) index);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), index == self->expanded_intervention);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_expanded), self);
  g_signal_connect (row, "edit", G_CALLBACK (on_intervention_edit), self);
  g_signal_connect (row, "remove", G_CALLBACK (on_intervention_remove), self);
  return row;
}

/* ---- Named scenarios ---------------------------------------------------- */

static void
on_scenario_edit (CdScenarioRow   *row,
                  CdScenario      *sc,
                  const char      *key,
                  gboolean         structural,
                  CdScenarioPanel *self)
{
  CdSetScenario set = { (int) cd_scenario_row_get_index (row), sc };

  self->expanded_scenario = set.index;
  commit (self, _("Edit Scenario"), cd_edit_set_scenario, &set, key, structural);
}

static void
on_scenario_remove (CdScenarioRow   *row,
                    CdScenarioPanel *self)
{
  int index = (int) cd_scenario_row_get_index (row);

  self->expanded_scenario = -1;
  commit (self, _("Delete Scenario"), cd_edit_remove_scenario, &index, NULL, TRUE);
}

static void
append_scenario (CdScenarioPanel *self,
                 CdScenario      *sc,
                 const char      *label)
{
  CdSetScenario set = { -1, sc };

  self->expanded_scenario = (int) model_of (self)->scenarios->len;
  commit (self, label, cd_edit_set_scenario, &set, NULL, TRUE);
}

static void
on_scenario_duplicate (CdScenarioRow   *row,
                       CdScenarioPanel *self)
{
  const CdModel *model = model_of (self);
  guint index = cd_scenario_row_get_index (row);
  g_autoptr (CdScenario) sc = NULL;
  g_autofree char *stem = NULL;

  if (index >= model->scenarios->len)
    return;
  sc = cd_scenario_copy (g_ptr_array_index (model->scenarios, index));
  stem = g_strdup_printf ("%s-copy", sc->name);
  g_free (sc->name);
  sc->name = cd_document_unique_scenario_key (self->document, stem);
  /* The names are the file's data in each language, not the UI's text. */
  for (guint i = 0; i < sc->names->len; i++)
    {
      CdLocalized *l = &g_array_index (sc->names, CdLocalized, i);
      char *text = g_strdup_printf (g_str_has_prefix (l->lang, "zh") ? "%s（副本）" : "%s (copy)",
                                    l->text);
      g_free (l->text);
      l->text = text;
    }
  append_scenario (self, sc, _("Duplicate Scenario"));
}

static void
on_add_scenario (GtkButton       *button,
                 CdScenarioPanel *self)
{
  const CdModel *model = model_of (self);
  g_autofree char *key = cd_document_unique_scenario_key (self->document, "scenario");
  g_autoptr (CdScenario) sc = cd_scenario_new (key);
  guint n = model->scenarios->len + 1;
  g_autofree char *en = g_strdup_printf ("Scenario %u", n);
  g_autofree char *zh = g_strdup_printf ("情景 %u", n);

  /* Named in both of the app's languages, as the bundled examples are: the
   * names are data the file keeps, whichever language the app runs in. */
  cd_localized_set (sc->names, "en", en);
  cd_localized_set (sc->names, "zh_CN", zh);
  append_scenario (self, sc, _("Add Scenario"));
}

static GtkWidget *
scenario_row (CdScenarioPanel *self,
              int              index)
{
  GtkWidget *row = cd_scenario_row_new (self->document, (guint) index);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), index == self->expanded_scenario);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_expanded), self);
  g_signal_connect (row, "edit", G_CALLBACK (on_scenario_edit), self);
  g_signal_connect (row, "remove", G_CALLBACK (on_scenario_remove), self);
  g_signal_connect (row, "duplicate", G_CALLBACK (on_scenario_duplicate), self);
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
  /* The version decides which parameters a scenario row offers. */
  g_string_append_printf (out, "V%d|", model->version);
  for (guint k = 0; k < model->scenarios->len; k++)
    {
      const CdScenario *sc = g_ptr_array_index (model->scenarios, k);

      g_string_append_printf (out, "S%s|%s|%s|", sc->name, cd_scenario_display_name (sc),
                              sc->description);
      for (guint j = 0; j < sc->names->len; j++)
        g_string_append_printf (out, "%s=%s|", g_array_index (sc->names, CdLocalized, j).lang,
                                g_array_index (sc->names, CdLocalized, j).text);
      for (guint p = 0; p < CD_N_PARAMS; p++)
        if (sc->param_set[p])
          g_string_append_printf (out, "%u=%s|", p,
                                  g_ascii_dtostr (num, sizeof num, sc->param_value[p]));
    }
  return g_string_free (out, FALSE);
}

static void
rebuild (CdScenarioPanel *self)
{
  const CdModel *model;
  GtkWidget *page, *events, *ivs, *scenarios;
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

  scenarios = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (scenarios), _("Named Scenarios"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (scenarios),
                                         _("The same network under other parameter values, "
                                           "compared with the base model on the Analysis page"));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (scenarios),
                                           add_button (_("Add a scenario"),
                                                       G_CALLBACK (on_add_scenario), self));
  for (guint k = 0; k < model->scenarios->len; k++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (scenarios), scenario_row (self, (int) k));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (scenarios));

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
      self->expanded_event = self->expanded_intervention = self->expanded_scenario = -1;
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
  self->expanded_event = self->expanded_intervention = self->expanded_scenario = -1;
  self->picking = -1;
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
