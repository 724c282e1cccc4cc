/* cd-scenario-row.c — one named scenario (see cd-scenario-row.h).
 *
 * A scenario overrides some of the model's parameters (docs: README, "File
 * format extensions"); the row lists those overrides as sliders, each with
 * a button to drop it, and offers the parameters it does not override yet.
 * Its names are the file's: `name` is the key that commands and the CSV use
 * (`coordyn-cli compare --scenario KEY`), `names.en` and `names.zh_CN` what
 * people read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-number-row.h"
#include "cd-scenario-row.h"

struct _CdScenarioRow
{
  AdwExpanderRow  parent_instance;

  CdDocument     *document;
  guint           index;
  gboolean        building;
  CdParam         offered[CD_N_PARAMS];   /* the Add Override list, after its prompt */
  guint           n_offered;
};

G_DEFINE_FINAL_TYPE (CdScenarioRow, cd_scenario_row, ADW_TYPE_EXPANDER_ROW)

enum
{
  EDIT,
  REMOVE,
  DUPLICATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
cd_scenario_display_name (const CdScenario *scenario)
{
  return cd_localized_lookup (scenario->names, scenario->name);
}

/* The name in exactly that language, or NULL. */
static const char *
name_in (const GArray *names,
         const char   *lang)
{
  for (guint i = 0; names != NULL && i < names->len; i++)
    if (g_str_equal (g_array_index (names, CdLocalized, i).lang, lang))
      return g_array_index (names, CdLocalized, i).text;
  return NULL;
}

/* A copy of the scenario as the model has it now, or NULL if it is gone. */
static CdScenario *
current_scenario (CdScenarioRow *self)
{
  const CdModel *model = cd_document_get_model (self->document);

  if (self->index >= model->scenarios->len)
    return NULL;
  return cd_scenario_copy (g_ptr_array_index (model->scenarios, self->index));
}

static void
emit_edit (CdScenarioRow *self,
           CdScenario    *scenario,
           const char    *key,
           gboolean       structural)
{
  g_signal_emit (self, signals[EDIT], 0, scenario, key, structural);
}

/* ---- Names -------------------------------------------------------------- */

static void
on_text_applied (AdwEntryRow   *row,
                 CdScenarioRow *self)
{
  const char *field = g_object_get_data (G_OBJECT (row), "field");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr (CdScenario) sc = current_scenario (self);

  if (self->building || sc == NULL)
    return;
  if (g_str_equal (field, "name"))
    {
      g_free (sc->name);
      sc->name = g_steal_pointer (&text);
    }
  else if (g_str_equal (field, "description"))
    {
      g_free (sc->description);
      sc->description = g_steal_pointer (&text);
    }
  else
    /* An emptied name is no name in that language (the key is shown). */
    cd_localized_set (sc->names, field, *text != '\0' ? text : NULL);
  emit_edit (self, sc, NULL, TRUE);
}

static GtkWidget *
entry_row (CdScenarioRow *self,
           const char    *field,
           const char    *title,
           const char    *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  g_object_set_data (G_OBJECT (row), "field", (gpointer) field);
  g_signal_connect (row, "apply", G_CALLBACK (on_text_applied), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  return row;
}

/* ---- Overrides ---------------------------------------------------------- */

static void
on_value_changed (GtkAdjustment *adj,
                  CdScenarioRow *self)
{
  CdParam p = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (adj), "param"));
  g_autofree char *key = g_strdup_printf ("scenario:%u:%d", self->index, (int) p);
  g_autoptr (CdScenario) sc = NULL;
  double value = gtk_adjustment_get_value (adj);

  if (self->building || (sc = current_scenario (self)) == NULL)
    return;
  /* Rationality and rate must stay > 0: the slider's 0 end means "tiny". */
  if (cd_param_info (p)->bound == CD_BOUND_POSITIVE && value <= 0.0)
    value = 0.01;
  sc->param_set[p] = TRUE;
  sc->param_value[p] = value;
  emit_edit (self, sc, key, FALSE);
}

static void
on_remove_override (GtkButton     *button,
                    CdScenarioRow *self)
{
  CdParam p = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "param"));
  g_autoptr (CdScenario) sc = current_scenario (self);

  if (sc == NULL)
    return;
  sc->param_set[p] = FALSE;
  sc->param_value[p] = 0.0;
  emit_edit (self, sc, NULL, TRUE);
}

static void
on_add_override (AdwComboRow   *combo,
                 GParamSpec    *pspec,
                 CdScenarioRow *self)
{
  guint selected = adw_combo_row_get_selected (combo);
  g_autoptr (CdScenario) sc = NULL;
  CdParam p;

  /* Item 0 is the prompt. */
  if (self->building || selected == 0 || selected > self->n_offered
      || (sc = current_scenario (self)) == NULL)
    return;
  p = self->offered[selected - 1];
  /* Start from the base model's value, so the override changes nothing
   * until the user moves it. */
  sc->param_set[p] = TRUE;
  sc->param_value[p] = cd_document_get_model (self->document)->params.values[p];
  emit_edit (self, sc, NULL, TRUE);
}

static void
add_override (CdScenarioRow    *self,
              const CdScenario *sc,
              CdParam           p,
              int               version)
{
  const CdParamInfo *info = cd_param_info (p);
  GtkWidget *row, *remove;
  GtkAdjustment *adj;
  double upper = info->bound == CD_BOUND_UNIT ? 1.0 : MAX (info->soft_max, sc->param_value[p]);

  row = cd_number_row_new (_(info->label), cd_param_range_text (p),
                           _(cd_param_description (p, version)), 0.0, upper, 0.01, 2, TRUE,
                           &adj);
  gtk_adjustment_set_value (adj, sc->param_value[p]);
  g_object_set_data (G_OBJECT (adj), "param", GUINT_TO_POINTER (p));
  g_signal_connect (adj, "value-changed", G_CALLBACK (on_value_changed), self);
  remove = cd_number_row_add_remove_button (row, _("Remove this override: use the base "
                                                   "model's value"));
  g_object_set_data (G_OBJECT (remove), "param", GUINT_TO_POINTER (p));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_override), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
}

static void
add_override_chooser (CdScenarioRow    *self,
                      const CdScenario *sc,
                      int               version)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *combo;

  self->n_offered = 0;
  for (CdParam p = 0; cd_param_next_in_version (&p, version); p++)
    if (!sc->param_set[p])
      self->offered[self->n_offered++] = p;
  if (self->n_offered == 0)
    return;
  gtk_string_list_append (names, _("Choose a parameter…"));
  for (guint k = 0; k < self->n_offered; k++)
    gtk_string_list_append (names, _(cd_param_info (self->offered[k])->label));
  combo = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), _("Add Override"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (combo),
                               _("A parameter this scenario sets to its own value"));
  adw_combo_row_set_model (ADW_COMBO_ROW (combo), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 0);
  g_signal_connect (combo, "notify::selected", G_CALLBACK (on_add_override), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), combo);
}

/* ---- Duplicate, delete -------------------------------------------------- */

static void
on_duplicate (GtkButton     *button,
              CdScenarioRow *self)
{
  g_signal_emit (self, signals[DUPLICATE], 0);
}

static void
on_remove (GtkButton     *button,
           CdScenarioRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
add_buttons (CdScenarioRow *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *duplicate = gtk_button_new_with_mnemonic (_("D_uplicate"));
  GtkWidget *remove = gtk_button_new_with_mnemonic (_("_Delete Scenario"));

  gtk_widget_set_valign (duplicate, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (duplicate, _("A copy of this scenario, to vary"));
  gtk_widget_add_css_class (remove, "destructive-action");
  g_signal_connect (duplicate, "clicked", G_CALLBACK (on_duplicate), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), duplicate);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
}

/* ---- The row ------------------------------------------------------------ */

static void
cd_scenario_row_dispose (GObject *object)
{
  CdScenarioRow *self = CD_SCENARIO_ROW (object);

  g_clear_object (&self->document);
  G_OBJECT_CLASS (cd_scenario_row_parent_class)->dispose (object);
}

static void
cd_scenario_row_class_init (CdScenarioRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_scenario_row_dispose;

  /* (CdScenario *scenario, const char *key, gboolean structural): the
   * scenario as it should become (the row keeps it). */
  signals[EDIT] =
    g_signal_new ("edit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_POINTER, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[DUPLICATE] =
    g_signal_new ("duplicate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cd_scenario_row_init (CdScenarioRow *self)
{
}

GtkWidget *
cd_scenario_row_new (CdDocument *document,
                     guint       index)
{
  const CdModel *model;
  const CdScenario *sc;
  g_autoptr (GString) subtitle = g_string_new (NULL);
  CdScenarioRow *self;
  guint n = 0;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);
  model = cd_document_get_model (document);
  g_return_val_if_fail (index < model->scenarios->len, NULL);

  sc = g_ptr_array_index (model->scenarios, index);
  self = g_object_new (CD_TYPE_SCENARIO_ROW, NULL);
  self->document = g_object_ref (document);
  self->index = index;
  self->building = TRUE;

  for (CdParam p = 0; cd_param_next_in_version (&p, model->version); p++)
    if (sc->param_set[p])
      n++;
  /* Translators: a scenario's key (as commands name it) and how many parameters it sets */
  g_string_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%s · %u override",
                                          "%s · %u overrides", n), sc->name, n);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), cd_scenario_display_name (sc));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self), FALSE);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle->str);

  entry_row (self, "en", _("English Name"), name_in (sc->names, "en"));
  entry_row (self, "zh_CN", _("Chinese Name"), name_in (sc->names, "zh_CN"));
  entry_row (self, "name", _("Key (for Commands)"), sc->name);
  entry_row (self, "description", _("Description"), sc->description);
  for (CdParam p = 0; cd_param_next_in_version (&p, model->version); p++)
    if (sc->param_set[p])
      add_override (self, sc, p, model->version);
  add_override_chooser (self, sc, model->version);
  add_buttons (self);
  self->building = FALSE;
  return GTK_WIDGET (self);
}

guint
cd_scenario_row_get_index (CdScenarioRow *self)
{
  g_return_val_if_fail (CD_IS_SCENARIO_ROW (self), 0);
  return self->index;
}
