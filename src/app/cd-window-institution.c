/* cd-window-institution.c — institutional arrangements in the window
 * (docs/institutions.md): "Apply Arrangement as Scenario…", which makes an
 * arrangement's parameter values a new named scenario of the open model
 * (one undo step), and "Compare Arrangements…", which opens
 * CdArrangementCompare on it.
 *
 * Both need a version-2 model: on a version-1 model they say so and offer
 * the upgrade instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-arrangement-compare.h"
#include "cd-institution.h"
#include "cd-window-private.h"

/* A version-1 model cannot hold an arrangement: say why and offer the
 * upgrade.  TRUE when the model is version 2. */
static gboolean
needs_model_2 (CdWindow *self)
{
  if (cd_document_get_model (self->document)->version >= 2)
    return TRUE;
  cd_window_show_toast (self, _("Institutional arrangements need model 2: upgrade the model "
                                "first"));
  cd_window_upgrade_model (self);
  return FALSE;
}

gboolean
cd_window_apply_arrangement_named (CdWindow    *self,
                                   const char  *name_or_file,
                                   GError     **error)
{
  const CdModel *model = cd_document_get_model (self->document);
  g_autoptr (CdInstitution) inst = NULL;
  g_autoptr (CdScenario) sc = NULL;
  CdSetScenario set = { -1, NULL };

  inst = cd_institution_find (name_or_file, error);
  if (inst == NULL)
    return FALSE;
  sc = cd_institution_to_scenario (inst, model, error);
  if (sc == NULL)
    return FALSE;
  /* Applied twice, it is a second scenario to vary, not a clash. */
  {
    char *key = cd_document_unique_scenario_key (self->document, sc->name);

    g_free (sc->name);
    sc->name = key;
  }
  set.scenario = sc;
  if (!cd_document_apply (self->document, _("Apply Arrangement as Scenario"), NULL,
                          CD_CHANGE_STRUCTURE, cd_edit_set_scenario, &set, error))
    return FALSE;
  gtk_stack_set_visible_child_name (self->side_stack, "scenario");
  if (cd_institution_has_network_rules (inst))
    {
      /* Translators: %s is an arrangement's name, "United States" */
      g_autofree char *text = g_strdup_printf (_("“%s” is now a scenario. Its rules for "
                                                 "appraisal and command lines are not part of "
                                                 "a scenario: Compare Arrangements applies "
                                                 "them too"),
                                               cd_institution_display_name (inst));
      cd_window_show_toast (self, text);
    }
  else
    {
      /* Translators: %s is an arrangement's name, "Japan" */
      g_autofree char *text = g_strdup_printf (_("“%s” is now a scenario"),
                                               cd_institution_display_name (inst));
      cd_window_show_toast (self, text);
    }
  return TRUE;
}

static void
apply_reporting (CdWindow   *self,
                 const char *name_or_file)
{
  g_autoptr (GError) error = NULL;

  if (!cd_window_apply_arrangement_named (self, name_or_file, &error) && error != NULL)
    cd_window_show_error (self, _("Could Not Apply the Arrangement"), error->message);
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                CdWindow        *self)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL
      && (path = g_file_get_path (file)) != NULL)
    apply_reporting (self, path);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
choose_file (CdWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Open Arrangement"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Arrangements (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             CdWindow         *self)
{
  GtkWidget *list = g_object_get_data (G_OBJECT (dialog), "cd-list");

  if (g_str_equal (response, "file"))
    {
      choose_file (self);
      return;
    }
  if (!g_str_equal (response, "apply"))
    return;
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "cd-check");

      if (check != NULL && gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        {
          apply_reporting (self, g_object_get_data (G_OBJECT (row), "cd-path"));
          return;
        }
    }
}

GtkWidget *
cd_window_apply_arrangement (CdWindow *self)
{
  g_autoptr (GPtrArray) entries = cd_institution_list ();
  GtkWidget *dialog, *list, *scroller;
  GtkCheckButton *group = NULL;

  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);

  if (!needs_model_2 (self))
    return NULL;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Apply an Arrangement as a Scenario"),
                                   _("Its parameter values become a new named scenario of this "
                                     "model, which the Analysis page compares with the base "
                                     "model. The values are illustrative."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < entries->len; i++)
    {
      const CdInstitutionEntry *e = g_ptr_array_index (entries, i);
      g_autoptr (CdInstitution) inst = cd_institution_load_file (e->path, NULL);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     inst != NULL ? cd_institution_display_name (inst) : e->name);
      adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   inst != NULL ? cd_institution_display_description (inst)
                                                : _("This file is not a valid arrangement"));
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_set_sensitive (row, inst != NULL);
      gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      if (group == NULL && inst != NULL)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      if (group == NULL)
        group = GTK_CHECK_BUTTON (check);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_object_set_data (G_OBJECT (row), "cd-check", check);
      g_object_set_data_full (G_OBJECT (row), "cd-path", g_strdup (e->path), g_free);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 380);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  g_object_set_data (G_OBJECT (dialog), "cd-list", list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "file", _("From a _File…"),
                                    "apply", _("_Apply"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "apply", group != NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

GtkWidget *
cd_window_compare_arrangements (CdWindow *self)
{
  GtkWidget *compare;

  g_return_val_if_fail (CD_IS_WINDOW (self), NULL);

  if (!needs_model_2 (self))
    return NULL;
  compare = cd_arrangement_compare_new (GTK_WINDOW (self), self->document);
  gtk_window_present (GTK_WINDOW (compare));
  return compare;
}
