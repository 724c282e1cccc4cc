/* test-recovery.c — crash recovery and autosave failures through the real
 * application: an autosave a "crashed" session left behind is offered at
 * start-up, and Recover opens it in a window with unsaved changes, on top of
 * the file on disk; an autosave that cannot be written is shown once per
 * streak of failures as a toast in the window.
 *
 * Runs in its own XDG_STATE_HOME under the build directory, so neither the
 * user's autosaves nor those of tests running beside it are touched.
 * Needs a display (CI: xvfb-run -a meson test).  Without one it FAILS with
 * a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cd-application.h"
#include "cd-autosave.h"
#include "cd-model-json.h"
#include "cd-test-util.h"
#include "cd-window.h"

#define EXAMPLE "yangtze-river-delta.json"

static CdApplication *app;
static char *autosave_dir;
static char *example_uri;
static CdModel *edited;         /* what the crashed session had */
static CdWindow *recovered;
static guint n_failed;

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* What a session that crashed while editing the example leaves: its
 * autosave, written by CdAutosave itself, kept after the autosave is gone
 * (a clean close would have removed it). */
static char *
leave_crash_autosave (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CdDocument) doc = cd_document_new ();
  g_autoptr (GFile) file = g_file_new_for_uri (example_uri);
  CdAutosave *autosave;
  g_autofree char *data = NULL;
  gsize length;
  char *path;

  g_assert_true (cd_document_load (doc, file, &error));
  g_assert_no_error (error);
  g_assert_true (cd_document_set_param (doc, CD_PARAM_RESISTANCE_LAW, 0.875));
  g_assert_true (cd_document_get_dirty (doc));
  edited = cd_model_copy (cd_document_get_model (doc));

  autosave = cd_autosave_new (doc, autosave_dir);
  g_assert_true (cd_autosave_save_now (autosave, &error));
  g_assert_no_error (error);
  path = g_strdup (cd_autosave_get_path (autosave));
  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_object_unref (autosave);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_set_contents (path, data, length, &error));
  g_assert_no_error (error);
  return path;
}

static gboolean
dialog_mapped (gpointer data)
{
  AdwMessageDialog **dialog = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWidget) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_mapped (w))
        {
          *dialog = ADW_MESSAGE_DIALOG (w);
          return TRUE;
        }
    }
  return FALSE;
}

static GPtrArray *
app_windows (void)
{
  GPtrArray *found = g_ptr_array_new ();

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (CD_IS_WINDOW (l->data))
      g_ptr_array_add (found, l->data);
  return found;
}

static void
test_recover (void)
{
  g_autofree char *crash_path = leave_crash_autosave ();
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GPtrArray) entries = NULL;
  g_autoptr (GFile) example = g_file_new_for_uri (example_uri);
  AdwMessageDialog *dialog = NULL;
  CdAutosave *autosave;
  CdDocument *doc;

  /* Started as the desktop starts it: the first window offers recovery. */
  g_application_activate (G_APPLICATION (app));
  cd_test_wait_for (dialog_mapped, &dialog, "the recovery dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Recover Unsaved Changes?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                            cd_model_display_name (edited)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), EXAMPLE));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "recover");
  before = app_windows ();
  g_assert_cmpuint (before->len, ==, 1);
  g_assert_false (cd_document_get_dirty (cd_window_get_document (before->pdata[0])));

  adw_message_dialog_response (dialog, "recover");
  gtk_window_destroy (GTK_WINDOW (dialog));

  after = app_windows ();
  g_assert_cmpuint (after->len, ==, 2);
  for (guint i = 0; i < after->len; i++)
    if (after->pdata[i] != before->pdata[0])
      recovered = after->pdata[i];
  g_assert_nonnull (recovered);
  cd_test_wait_for (cd_test_is_mapped, recovered, "the recovered window");

  /* The crashed session's changes, unsaved, over the file on disk. */
  doc = cd_window_get_document (recovered);
  g_assert_true (cd_document_get_dirty (doc));
  g_assert_true (cd_model_equal (cd_document_get_model (doc), edited));
  g_assert_true (g_file_equal (cd_document_get_file (doc), example));
  g_assert_cmpstr (cd_document_get_undo_label (doc), ==, "Recover Unsaved Changes");
  /* Marked unsaved where the user sees it. */
  g_assert_nonnull (gtk_window_get_title (GTK_WINDOW (recovered)));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (recovered)), "• "));

  /* Its old autosave is gone; the new window keeps its own. */
  g_assert_false (g_file_test (crash_path, G_FILE_TEST_EXISTS));
  autosave = g_object_get_data (G_OBJECT (recovered), "cd-autosave");
  g_assert_true (CD_IS_AUTOSAVE (autosave));
  entries = cd_autosave_list (autosave_dir);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((CdAutosaveEntry *) entries->pdata[0])->path, ==,
                   cd_autosave_get_path (autosave));

  /* Undo goes back to what is on disk. */
  g_assert_true (cd_document_undo (doc));
  g_assert_false (cd_document_get_dirty (doc));
  g_assert_true (cd_document_redo (doc));
  g_assert_true (cd_document_get_dirty (doc));
}

static void
count_labels (GtkWidget  *root,
              const char *part,
              guint      *n)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), part) != NULL)
    (*n)++;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    count_labels (c, part, n);
}

static guint
failure_toasts (void)
{
  guint n = 0;

  cd_test_iterate (20);
  count_labels (GTK_WIDGET (recovered), "could not be autosaved", &n);
  return n;
}

static void
on_failed (CdAutosave   *autosave,
           const GError *error,
           gpointer      data)
{
  g_assert_nonnull (error);
  n_failed++;
}

/* The autosave folder replaced by a regular file: no write can succeed,
 * whoever runs the test (root ignores permissions). */
static void
break_folder (gboolean broken)
{
  g_autofree char *aside = g_strconcat (autosave_dir, ".aside", NULL);

  if (broken)
    {
      g_autoptr (GError) error = NULL;
      g_assert_cmpint (g_rename (autosave_dir, aside), ==, 0);
      g_assert_true (g_file_set_contents (autosave_dir, "not a folder", -1, &error));
    }
  else
    {
      g_assert_cmpint (g_unlink (autosave_dir), ==, 0);
      g_assert_cmpint (g_rename (aside, autosave_dir), ==, 0);
    }
}

static void
failing_save (CdAutosave *autosave,
              CdDocument *doc,
              double      law)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cd_document_set_param (doc, CD_PARAM_RESISTANCE_LAW, law));
  g_assert_false (cd_autosave_save_now (autosave, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, autosave_dir));
}

static void
test_failure_toast (void)
{
  CdAutosave *autosave;
  CdDocument *doc;
  g_autoptr (GError) error = NULL;

  if (recovered == NULL)
    {
      g_test_fail_printf ("needs the window recovered by /app/recovery/dialog");
      return;
    }
  autosave = g_object_get_data (G_OBJECT (recovered), "cd-autosave");
  doc = cd_window_get_document (recovered);
  g_signal_connect (autosave, "failed", G_CALLBACK (on_failed), NULL);
  g_assert_cmpuint (failure_toasts (), ==, 0);

  /* Two failed attempts in a row: one toast, naming where and why. */
  break_folder (TRUE);
  failing_save (autosave, doc, 0.25);
  g_assert_cmpuint (n_failed, ==, 1);
  g_assert_cmpuint (failure_toasts (), ==, 1);
  failing_save (autosave, doc, 0.5);
  g_assert_cmpuint (n_failed, ==, 1);
  g_assert_cmpuint (failure_toasts (), ==, 1);
  {
    guint n = 0;
    count_labels (GTK_WIDGET (recovered), autosave_dir, &n);
    g_assert_cmpuint (n, ==, 1);
  }

  /* Writable again: the streak ends; the next failure is told again. */
  break_folder (FALSE);
  g_assert_true (cd_document_set_param (doc, CD_PARAM_RESISTANCE_LAW, 0.625));
  g_assert_true (cd_autosave_save_now (autosave, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_failed, ==, 1);
  break_folder (TRUE);
  failing_save (autosave, doc, 0.75);
  g_assert_cmpuint (n_failed, ==, 2);
  break_folder (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *state = NULL;
  g_autofree char *example = NULL;
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  const char *examples = g_getenv ("COORDYN_EXAMPLES_DIR");
  int status;

  /* Before anything asks GLib for the state directory (it is cached).  One
   * per process: `meson test --repeat` runs two at once. */
  name = g_strdup_printf ("state-recovery-%d", (int) getpid ());
  state = g_build_filename (builddir ? builddir : ".", name, NULL);
  remove_tree (state);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/recovery"))
    return 1;
  autosave_dir = cd_autosave_default_dir ();
  g_assert_true (g_str_has_prefix (autosave_dir, state));
  example = g_build_filename (examples ? examples : SOURCE_EXAMPLES_DIR, EXAMPLE, NULL);
  example_uri = g_filename_to_uri (example, NULL, &error);
  g_assert_no_error (error);

  /* The real application; not unique, so it needs no session bus. */
  app = cd_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app))
                           | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/app/recovery/dialog", test_recover);
  g_test_add_func ("/app/recovery/autosave-failure-toast", test_failure_toast);
  status = g_test_run ();

  {
    g_autoptr (GPtrArray) windows = app_windows ();
    for (guint i = 0; i < windows->len; i++)
      gtk_window_destroy (windows->pdata[i]);
  }
  g_object_unref (app);
  g_clear_pointer (&edited, cd_model_free);
  g_free (autosave_dir);
  g_free (example_uri);
  remove_tree (state);
  return status;
}
