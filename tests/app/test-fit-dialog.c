/* test-fit-dialog.c — Fit to Observed Data in the app: the bundled
 * synthetic series loaded into the dialog for the Yangtze example, two
 * parameters fitted in the background, the estimates the command line
 * gives, a cancelled fit that leaves the last result, and the estimates
 * applied as a new scenario (one undo step).  Saves the dialog as
 * fit-dialog.png (G_TEST_BUILDDIR) to be looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include <locale.h>
#include <glib/gi18n.h>

#include "cd-fit-dialog.h"
#include "cd-locale.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdWindow *window;

static gboolean
fit_finished (gpointer data)
{
  return !cd_fit_dialog_get_running (data);
}

static void
test_fit_and_apply (void)
{
  CdDocument *doc = cd_window_get_document (window);
  g_autofree char *path = g_build_filename (g_getenv ("COORDYN_EXAMPLES_DIR"), "fit",
                                            "yangtze-synthetic-observed.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  CdFitDialog *dialog = cd_fit_dialog_new (GTK_WINDOW (window), doc);
  const CdFitResult *res;
  guint scenarios = cd_document_get_model (doc)->scenarios->len;

  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_false (cd_fit_dialog_run (dialog));   /* no data yet */
  g_assert_true (cd_fit_dialog_load (dialog, file));
  cd_fit_dialog_set_param (dialog, CD_PARAM_PRESSURE_CRISIS, TRUE);
  cd_fit_dialog_set_param (dialog, CD_PARAM_RESISTANCE_FRAGMENTATION, TRUE);

  /* cancelled at once: nothing to show, and said so */
  g_assert_true (cd_fit_dialog_run (dialog));
  cd_fit_dialog_cancel (dialog);
  cd_test_wait_for (fit_finished, dialog, "the cancelled fit to end");
  g_assert_null (cd_fit_dialog_get_result (dialog));
  g_assert_cmpstr (cd_fit_dialog_get_status (dialog), ==, _("Fit cancelled"));

  g_assert_true (cd_fit_dialog_run (dialog));
  g_assert_true (cd_fit_dialog_get_running (dialog));
  cd_test_wait_for (fit_finished, dialog, "the fit to end");
  res = cd_fit_dialog_get_result (dialog);
  g_assert_nonnull (res);
  g_assert_cmpuint (res->n_params, ==, 2);
  /* the numbers docs/fitting.md quotes from coordyn-cli fit */
  g_assert_cmpfloat_with_epsilon (res->estimates[0].estimate, 1.5387, 1e-3);
  g_assert_cmpfloat_with_epsilon (res->estimates[1].estimate, 4.4904, 1e-3);
  g_object_unref (cd_test_snapshot (GTK_WIDGET (dialog), "fit-dialog.png"));

  g_assert_true (cd_fit_dialog_apply (dialog));
  g_assert_cmpuint (cd_document_get_model (doc)->scenarios->len, ==, scenarios + 1);
  {
    const CdModel *model = cd_document_get_model (doc);
    const CdScenario *sc = g_ptr_array_index (model->scenarios, scenarios);

    g_autofree char *want = g_strdup_printf (_("Fitted to %s"),
                                             "yangtze-synthetic-observed.csv");

    g_assert_cmpstr (sc->name, ==, want);
    g_assert_true (sc->param_set[CD_PARAM_PRESSURE_CRISIS]);
    g_assert_cmpfloat (sc->param_value[CD_PARAM_PRESSURE_CRISIS], ==,
                       res->estimates[0].estimate);
  }
  g_assert_true (cd_document_undo (doc));
  g_assert_cmpuint (cd_document_get_model (doc)->scenarios->len, ==, scenarios);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Data that do not fit the model are refused where they are wrong. */
static void
test_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coordyn-fit-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bad.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  CdFitDialog *dialog = cd_fit_dialog_new (GTK_WINDOW (window),
                                           cd_window_get_document (window));

  g_assert_true (g_file_set_contents (path, "t,x:atlantis\n0,0.1\n", -1, NULL));
  g_assert_false (cd_fit_dialog_load (dialog, file));
  g_assert_nonnull (strstr (cd_fit_dialog_get_status (dialog), "x:atlantis"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* In the user's language when LANGUAGE asks (a screenshot in Chinese);
   * the test environment's C.UTF-8 keeps it English otherwise. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!cd_test_init_gtk ("/app/fit-dialog"))
    return 1;
  window = cd_test_window_new (NULL, 1280, 800, NULL);
  cd_test_wait_for_run (window);
  g_test_add_func ("/app/fit-dialog/fit-and-apply", test_fit_and_apply);
  g_test_add_func ("/app/fit-dialog/refused", test_refused);
  return g_test_run ();
}
