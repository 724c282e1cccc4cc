/* cd-window-network.c — File → Import Network… and Export Network…, and
 * networks dropped on the window: GraphML, or a CSV file of governments
 * with one of ties (cd-network-io.h does the reading and writing).
 *
 * An imported network replaces the model like Open does (after the
 * unsaved-changes question) and has no file yet: saving asks where.
 * Export writes GraphML to the file the user picks, or the CSV pair into a
 * folder the user picks (nodes.csv and edges.csv): under the Flatpak's
 * file portal the app may write only what the user chose, so a second file
 * beside a chosen one would be refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cd-network-io.h"
#include "cd-window-private.h"

/* Which of two CSV files holds the ties: the one whose header names a
 * source column. */
static gboolean
is_edges_csv (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *head = NULL;
  g_autoptr (GFileInputStream) in = NULL;
  char buf[4096];
  gssize n;

  if (path == NULL || (in = g_file_read (file, NULL, NULL)) == NULL)
    return FALSE;
  n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf - 1, NULL, NULL);
  if (n <= 0)
    return FALSE;
  buf[n] = '\0';
  head = g_strndup (buf, strcspn (buf, "\r\n"));
  return strstr (head, "source") != NULL && strstr (head, "target") != NULL;
}

static gboolean
has_suffix (GFile      *file,
            const char *suffix)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name != NULL ? g_ascii_strdown (name, -1) : NULL;

  return lower != NULL && g_str_has_suffix (lower, suffix);
}

gboolean
cd_window_files_are_network (GFile *const *files,
                             guint         n_files)
{
  if (n_files == 1)
    return has_suffix (files[0], ".graphml");
  return n_files == 2 && has_suffix (files[0], ".csv") && has_suffix (files[1], ".csv");
}

typedef struct
{
  CdModel   *model;
  GPtrArray *warnings;
} Imported;

static void
imported_free (gpointer data)
{
  Imported *im = data;

  g_clear_pointer (&im->model, cd_model_free);
  g_clear_pointer (&im->warnings, g_ptr_array_unref);
  g_free (im);
}

static void
take_imported (CdWindow *self,
               gpointer  data)
{
  Imported *im = data;
  g_autofree char *done = NULL;

  done = g_strdup_printf (ngettext ("Imported a network of %u government",
                                    "Imported a network of %u governments",
                                    im->model->nodes->len), im->model->nodes->len);
  cd_document_set_model (self->document, g_steal_pointer (&im->model), NULL);
  for (guint i = 0; i < im->warnings->len; i++)
    cd_window_show_warning (self, g_ptr_array_index (im->warnings, i));
  cd_window_show_toast (self, done);
}

gboolean
cd_window_import_network (CdWindow     *self,
                          GFile *const *files,
                          guint         n_files)
{
  g_autoptr (GError) error = NULL;
  Imported *im;
  CdModel *model = NULL;
  GPtrArray *warnings;

  g_return_val_if_fail (CD_IS_WINDOW (self), FALSE);

  if (!cd_window_files_are_network (files, n_files))
    {
      cd_window_show_error (self, _("Could Not Import the Network"),
                            _("Choose one GraphML file (.graphml), or two CSV files: one of "
                              "governments (with an id column) and one of ties (with source "
                              "and target columns)."));
      return FALSE;
    }
  warnings = g_ptr_array_new_with_free_func (g_free);
  if (n_files == 1)
    {
      g_autofree char *path = g_file_get_path (files[0]);
      model = cd_network_import_graphml (path, NULL, warnings, &error);
    }
  else
    {
      gboolean second_is_edges = is_edges_csv (files[1]) || !is_edges_csv (files[0]);
      g_autofree char *nodes = g_file_get_path (files[second_is_edges ? 0 : 1]);
      g_autofree char *edges = g_file_get_path (files[second_is_edges ? 1 : 0]);

      model = cd_network_import_csv (nodes, edges, NULL, warnings, &error);
    }
  if (model == NULL)
    {
      g_ptr_array_unref (warnings);
      cd_window_show_error (self, _("Could Not Import the Network"), error->message);
      return FALSE;
    }
  im = g_new0 (Imported, 1);
  im->model = model;
  im->warnings = warnings;
  cd_window_confirm_discard (self, take_imported, im, imported_free);
  return TRUE;
}

static void
on_import_response (GtkNativeDialog *dialog,
                    int              response,
                    CdWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) list = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        g_ptr_array_add (files, g_list_model_get_item (list, i));
      cd_window_import_network (self, (GFile *const *) files->pdata, files->len);
    }
  g_clear_object (&self->chooser);
}

void
cd_window_choose_network (CdWindow *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) networks = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Network"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                         _("_Cancel"));
  /* Translators: a file type: GraphML, or a CSV pair of governments and ties. */
  gtk_file_filter_set_name (networks, _("Networks (GraphML, or two CSV files)"));
  gtk_file_filter_add_pattern (networks, "*.graphml");
  gtk_file_filter_add_pattern (networks, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), networks);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_response), self);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- export ----------------------------------------------------------------- */

gboolean
cd_window_export_network_to (CdWindow *self,
                             GFile    *target,
                             gboolean  csv,
                             GError  **error)
{
  const CdModel *model = cd_document_get_model (self->document);

  if (!csv)
    {
      gsize length;
      g_autofree char *text = cd_network_to_graphml (model, &length);

      /* replaced only once written in full */
      return g_file_replace_contents (target, text, length, NULL, FALSE,
                                      G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
    }
  else
    {
      g_autofree char *nodes = NULL;
      g_autofree char *edges = NULL;
      g_autoptr (GFile) nodes_file = g_file_get_child (target, "nodes.csv");
      g_autoptr (GFile) edges_file = g_file_get_child (target, "edges.csv");

      cd_network_to_csv (model, &nodes, &edges);
      return g_file_replace_contents (nodes_file, nodes, strlen (nodes), NULL, FALSE,
                                      G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error)
             && g_file_replace_contents (edges_file, edges, strlen (edges), NULL, FALSE,
                                         G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
    }
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    CdWindow        *self)
{
  gboolean csv = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "csv"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr (GError) error = NULL;

      if (file != NULL && !cd_window_export_network_to (self, file, csv, &error))
        cd_window_show_error (self, _("Could Not Export the Network"), error->message);
      else if (file != NULL)
        cd_window_show_toast (self, csv ? _("Network exported as nodes.csv and edges.csv")
                                        : _("Network exported as GraphML"));
    }
  g_clear_object (&self->chooser);
}

void
cd_window_choose_network_export (CdWindow *self,
                                 gboolean  csv)
{
  GtkFileChooserNative *chooser;

  if (csv)
    chooser = gtk_file_chooser_native_new (_("Export Network as CSV: Choose a Folder"),
                                           GTK_WINDOW (self),
                                           GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                           _("_Export"), _("_Cancel"));
  else
    {
      g_autofree char *title = cd_document_dup_title (self->document);
      g_autofree char *name = NULL;
      g_autoptr (GtkFileFilter) graphml = gtk_file_filter_new ();

      chooser = gtk_file_chooser_native_new (_("Export Network"), GTK_WINDOW (self),
                                             GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                             _("_Cancel"));
      gtk_file_filter_set_name (graphml, "GraphML");
      gtk_file_filter_add_pattern (graphml, "*.graphml");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), graphml);
      g_strdelimit (title, "/\\:", '-');
      name = g_strdup_printf ("%s.graphml", title);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  g_object_set_data (G_OBJECT (chooser), "csv", GINT_TO_POINTER (csv));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), self);
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
