/* cd-window-files.c — the window's model files: opening (the chooser, the
 * recent files, the examples, a file dropped on the window), saving, and
 * asking before unsaved changes would be lost (see cd-window-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cd-window-private.h"

#define BUILTIN_EXAMPLE "/io/github/coordyn/Coordyn/examples/yangtze-river-delta.json"

/* ---- Recent files and examples ------------------------------------------ */

static void
rebuild_recent_menu (CdWindow *self)
{
  const char * const *uris = cd_settings_get_recent_files (self->settings);

  g_menu_remove_all (self->recent_submenu);
  for (guint k = 0; uris[k] != NULL; k++)
    {
      g_autoptr (GFile) file = g_file_new_for_uri (uris[k]);
      g_autofree char *name = g_file_get_basename (file);
      g_autoptr (GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-uri",
                                               g_variant_new_string (uris[k]));
      g_menu_append_item (self->recent_submenu, item);
    }
  if (uris[0] == NULL)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (_("No Recent Models"), "win.none");
      g_menu_append_item (self->recent_submenu, item);
    }
}

static void
remember_recent (CdWindow *self,
                 GFile    *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  cd_settings_add_recent_file (self->settings, uri);
  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

static void
on_recent_changed (CdSettings *settings,
                   GParamSpec *pspec,
                   CdWindow   *self)
{
  rebuild_recent_menu (self);
}

static const char *
examples_dir (void)
{
  const char *env = g_getenv ("COORDYN_EXAMPLES_DIR");

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_DIR))
    return env;
  /* Installed examples first; the source tree's when running uninstalled. */
  if (g_file_test (EXAMPLES_DIR, G_FILE_TEST_IS_DIR))
    return EXAMPLES_DIR;
  return SOURCE_EXAMPLES_DIR;
}

static gboolean
have_builtin_example (void)
{
  return g_resources_get_info (BUILTIN_EXAMPLE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL);
}

static void
build_examples_menu (CdWindow *self)
{
  g_autoptr (GDir) dir = g_dir_open (examples_dir (), 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_menu_remove_all (self->examples_submenu);
  if (have_builtin_example ())
    g_menu_append (self->examples_submenu, _("Yangtze River Delta (built in)"),
                   "win.open-example::builtin");
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) (gpointer) g_strcmp0);
  for (guint k = 0; k < names->len; k++)
    {
      const char *file = *(const char **) (gpointer) &g_ptr_array_index (names, k);
      g_autofree char *path = g_build_filename (examples_dir (), file, NULL);
      g_autofree char *label = g_strndup (file, strlen (file) - strlen (".json"));
      g_autoptr (GMenuItem) item = NULL;

      g_strdelimit (label, "-_", ' ');
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-example",
                                               g_variant_new_string (path));
      g_menu_append_item (self->examples_submenu, item);
    }
}

/* ---- Files -------------------------------------------------------------- */

gboolean
cd_window_open_file (CdWindow *self,
                     GFile    *file)
{
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (CD_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!cd_document_load (self->document, file, &error))
    {
      /* The heading names the file; its folder, which made a long heading
       * wrap at every "/", goes under the reason, on a line of its own. */
      g_autofree char *where = g_file_get_parse_name (file);
      g_autofree char *name = g_path_get_basename (where);
      /* Translators: %s is a file name */
      g_autofree char *heading = g_strdup_printf (_("Could Not Open “%s”"), name);
      g_autofree char *body = g_strdup_printf ("%s\n\n%s", error->message, where);

      cd_window_show_error (self, heading, body);
      return FALSE;
    }
  remember_recent (self, file);
  return TRUE;
}

gboolean
cd_window_open_builtin_example (CdWindow *self)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (CD_IS_WINDOW (self), FALSE);

  bytes = g_resources_lookup_data (BUILTIN_EXAMPLE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL || !cd_document_load_bytes (self->document, bytes, &error))
    {
      cd_window_show_error (self, _("Could Not Open the Built-in Example"), error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  CdWindowContinueFunc func;
  gpointer             data;
  GDestroyNotify       destroy;
} Continuation;

static void
continuation_free (Continuation *c)
{
  if (c->destroy != NULL)
    c->destroy (c->data);
  g_free (c);
}

static void save_as (CdWindow *self, Continuation *then);

static gboolean
save_to (CdWindow *self,
         GFile    *file)
{
  g_autoptr (GError) error = NULL;

  if (!cd_document_save (self->document, file, &error))
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *heading = g_strdup_printf (_("Could Not Save “%s”"), name);
      cd_window_show_error (self, heading, error->message);
      return FALSE;
    }
  remember_recent (self, file);
  cd_window_show_toast (self, _("Saved"));
  return TRUE;
}

static void
run_continuation (CdWindow     *self,
                  Continuation *then)
{
  if (then == NULL)
    return;
  then->func (self, then->data);
  continuation_free (then);
}

/* Saves (asking for a file if there is none), then continues. */
static void
save (CdWindow     *self,
      Continuation *then)
{
  GFile *file = cd_document_get_file (self->document);

  if (file == NULL)
    {
      save_as (self, then);
      return;
    }
  if (save_to (self, file))
    run_continuation (self, then);
  else if (then != NULL)
    continuation_free (then);
}

static void
on_save_as_response (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  CdWindow *self = g_object_get_data (G_OBJECT (dialog), "window");
  Continuation *then = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL && save_to (self, file))
        {
          run_continuation (self, then);
          then = NULL;
        }
    }
  if (then != NULL)
    continuation_free (then);
  g_clear_object (&self->chooser);
}

static void
add_filters (GtkFileChooser *chooser)
{
  g_autoptr (GtkFileFilter) models = gtk_file_filter_new ();
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (models, _("Coordyn models"));
  gtk_file_filter_add_pattern (models, "*.coordyn.json");
  gtk_file_filter_add_pattern (models, "*.json");
  gtk_file_filter_add_mime_type (models, "application/json");
  gtk_file_chooser_add_filter (chooser, models);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
}

static void
save_as (CdWindow     *self,
         Continuation *then)
{
  g_autofree char *title = cd_document_dup_title (self->document);
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Save Model"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser));
  if (cd_document_get_file (self->document) != NULL)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), cd_document_get_file (self->document),
                               NULL);
  else
    {
      g_strdelimit (title, "/\\:", '-');
      name = g_strdup_printf ("%s.coordyn.json", title);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_object_set_data (G_OBJECT (chooser), "window", self);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_as_response), then);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  CdWindow *self = CD_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  Continuation *then = user_data;

  if (g_str_equal (response, "save"))
    save (self, then);
  else if (g_str_equal (response, "discard"))
    run_continuation (self, then);
  else
    continuation_free (then);
}

void
cd_window_confirm_discard (CdWindow            *self,
                           CdWindowContinueFunc func,
                           gpointer             data,
                           GDestroyNotify       destroy)
{
  Continuation *then = g_new0 (Continuation, 1);
  g_autofree char *title = NULL;
  GtkWidget *dialog;

  then->func = func;
  then->data = data;
  then->destroy = destroy;
  if (!cd_document_get_dirty (self->document))
    {
      run_continuation (self, then);
      return;
    }
  title = cd_document_dup_title (self->document);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), NULL);
  /* Translators: %s is the model's name */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” has unsaved changes. Changes which are not saved will "
                                    "be permanently lost."), title);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_discard_response), then);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
do_new (CdWindow *self,
        gpointer  data)
{
  /* New models are of the latest version (docs/model.md, "Model 2"). */
  cd_document_set_model (self->document, cd_model_new_version (CD_MODEL_VERSION_LATEST), NULL);
}

static void
do_open_file (CdWindow *self,
              gpointer  data)
{
  cd_window_open_file (self, G_FILE (data));
}

static void
do_open_builtin (CdWindow *self,
                 gpointer  data)
{
  cd_window_open_builtin_example (self);
}

static void
do_close (CdWindow *self,
          gpointer  data)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  CdWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      if (file != NULL)
        cd_window_confirm_discard (self, do_open_file, file, g_object_unref);
    }
  g_clear_object (&self->chooser);
}

/* ---- Drag and drop ------------------------------------------------------ */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CdWindow      *self)
{
  GFile *file;

  /* A .graphml file, or a pair of CSV files, is a network to import. */
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *list = g_value_get_boxed (value);
      g_autoptr (GPtrArray) files = g_ptr_array_new ();

      for (GSList *l = list; l != NULL; l = l->next)
        g_ptr_array_add (files, l->data);
      if (cd_window_files_are_network ((GFile *const *) files->pdata, files->len))
        return cd_window_import_network (self, (GFile *const *) files->pdata, files->len);
      if (files->len != 1)
        return FALSE;
      file = g_ptr_array_index (files, 0);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    file = g_value_get_object (value);
  else
    return FALSE;
  if (cd_window_files_are_network (&file, 1))
    return cd_window_import_network (self, &file, 1);
  cd_window_confirm_discard (self, do_open_file, g_object_ref (file), g_object_unref);
  return TRUE;
}

/* ---- What the window's actions call -------------------------------------- */

void
cd_window_new_model (CdWindow *self)
{
  cd_window_confirm_discard (self, do_new, NULL, NULL);
}

void
cd_window_choose_file (CdWindow *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open Model"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_open_response), self);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
cd_window_open_when_safe (CdWindow *self,
                          GFile    *file)
{
  cd_window_confirm_discard (self, do_open_file, g_object_ref (file), g_object_unref);
}

void
cd_window_open_example (CdWindow   *self,
                        const char *which)
{
  g_autoptr (GFile) file = NULL;

  if (g_str_equal (which, "builtin"))
    {
      cd_window_confirm_discard (self, do_open_builtin, NULL, NULL);
      return;
    }
  file = g_file_new_for_path (which);
  cd_window_open_when_safe (self, file);
}

void
cd_window_save (CdWindow *self)
{
  save (self, NULL);
}

void
cd_window_save_as (CdWindow *self)
{
  save_as (self, NULL);
}

gboolean
cd_window_hold_close (CdWindow *self)
{
  if (self->close_confirmed || !cd_document_get_dirty (self->document))
    return FALSE;
  cd_window_confirm_discard (self, do_close, NULL, NULL);
  return TRUE;
}

void
cd_window_files_init (CdWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  /* A file list first: a CSV pair arrives as one. */
  gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);

  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  g_signal_connect_object (self->settings, "notify::recent-files",
                           G_CALLBACK (on_recent_changed), self, 0);
  rebuild_recent_menu (self);
  build_examples_menu (self);
}
