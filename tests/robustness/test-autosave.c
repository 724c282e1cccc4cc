/* test-autosave.c — unsaved changes survive a crash; a failed save loses
 * nothing.
 *
 * Drives a real CdDocument with a CdAutosave in a temporary directory: the
 * autosave appears only while there are unsaved changes, goes away on save,
 * and what a "crashed" session left behind comes back as one undoable step
 * on top of the file on disk.  Saving where it cannot succeed (a parent
 * that is a regular file; a full filesystem) must fail with a message and
 * leave the previous file as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cd-autosave.h"
#include "cd-document.h"
#include "cd-model-json.h"

static const char model_text[] =
  "{\"name\":\"Autosave test\",\"nodes\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
  "\"edges\":[{\"kind\":\"partnership\",\"source\":\"a\",\"target\":\"b\"}]}";

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("coordyn-autosave-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
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

static CdDocument *
document_with_model (void)
{
  g_autoptr(GError) error = NULL;
  CdDocument *doc = cd_document_new ();
  CdModel *model = cd_model_load_data (model_text, strlen (model_text), &error);

  g_assert_no_error (error);
  cd_document_set_model (doc, model, NULL);
  return doc;
}

static guint
count_autosaves (const char *dir)
{
  g_autoptr(GPtrArray) entries = cd_autosave_list (dir);
  return entries->len;
}

static void
test_written_only_while_dirty (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *saved = g_build_filename (dir, "model.json", NULL);
  g_autofree char *autosave_dir = g_build_filename (dir, "autosave", NULL);
  g_autoptr(CdDocument) doc = document_with_model ();
  g_autoptr(CdAutosave) autosave = cd_autosave_new (doc, autosave_dir);
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) read_back = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *original = NULL;

  /* Clean: nothing to keep. */
  g_assert_true (cd_autosave_save_now (autosave, &error));
  g_assert_false (g_file_test (cd_autosave_get_path (autosave), G_FILE_TEST_EXISTS));

  g_assert_true (cd_document_set_param (doc, CD_PARAM_RESISTANCE_LAW, 0.75));
  g_assert_true (cd_document_get_dirty (doc));
  g_assert_true (cd_autosave_save_now (autosave, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (cd_autosave_get_path (autosave), G_FILE_TEST_IS_REGULAR));

  read_back = cd_autosave_read (cd_autosave_get_path (autosave), &original, &error);
  g_assert_no_error (error);
  g_assert_true (cd_model_equal (read_back, cd_document_get_model (doc)));
  g_assert_null (original);
  entries = cd_autosave_list (autosave_dir);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((CdAutosaveEntry *) entries->pdata[0])->title, ==, "Autosave test");

  /* Saving the document removes its autosave. */
  g_assert_true (cd_document_save (doc, file, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_autosaves (autosave_dir), ==, 0);

  /* So does closing cleanly (the CdAutosave goes with its window). */
  g_assert_true (cd_document_set_param (doc, CD_PARAM_RESISTANCE_LAW, 0.5));
  g_assert_true (cd_autosave_save_now (autosave, &error));
  g_assert_cmpuint (count_autosaves (autosave_dir), ==, 1);
  g_clear_object (&autosave);
  g_assert_cmpuint (count_autosaves (autosave_dir), ==, 0);

  remove_tree (dir);
}

static void
test_recover_after_crash (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *saved = g_build_filename (dir, "model.json", NULL);
  g_autofree char *autosave_dir = g_build_filename (dir, "autosave", NULL);
  g_autoptr(CdDocument) doc = document_with_model ();
  g_autoptr(CdDocument) after = cd_document_new ();
  g_autoptr(CdAutosave) autosave = cd_autosave_new (doc, autosave_dir);
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) on_disk = NULL;
  g_autoptr(CdModel) edited = NULL;
  g_autoptr(CdModel) recovered = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *left_behind = NULL;
  g_autofree char *original = NULL;
  gsize length;

  g_assert_true (cd_document_save (doc, file, &error));
  on_disk = cd_model_copy (cd_document_get_model (doc));
  g_assert_true (cd_document_set_param (doc, CD_PARAM_DYNAMICS_RATE, 3.0));
  edited = cd_model_copy (cd_document_get_model (doc));
  g_assert_true (cd_autosave_save_now (autosave, &error));

  /* A crash: the process dies with the autosave on disk.  Here the file is
   * kept aside and put back after the clean teardown removed it. */
  g_assert_true (g_file_get_contents (cd_autosave_get_path (autosave), &left_behind, &length,
                                      NULL));
  {
    g_autofree char *path = g_strdup (cd_autosave_get_path (autosave));
    g_clear_object (&autosave);
    g_assert_true (g_file_set_contents (path, left_behind, (gssize) length, NULL));
  }

  /* Next start: it is listed, read back, and restored on top of the file. */
  entries = cd_autosave_list (autosave_dir);
  g_assert_cmpuint (entries->len, ==, 1);
  recovered = cd_autosave_read (((CdAutosaveEntry *) entries->pdata[0])->path, &original,
                                &error);
  g_assert_no_error (error);
  g_assert_nonnull (original);
  {
    g_autoptr(GFile) back = g_file_new_for_uri (original);
    g_assert_true (g_file_equal (back, file));
  }
  g_assert_true (cd_autosave_restore (after, recovered, original, &error));
  g_assert_no_error (error);
  g_assert_true (cd_model_equal (cd_document_get_model (after), edited));
  g_assert_true (cd_document_get_dirty (after));
  g_assert_true (g_file_equal (cd_document_get_file (after), file));
  /* Undo goes back to what is on disk. */
  g_assert_true (cd_document_undo (after));
  g_assert_cmpfloat (cd_document_get_model (after)->params.values[CD_PARAM_DYNAMICS_RATE], ==,
                     on_disk->params.values[CD_PARAM_DYNAMICS_RATE]);
  g_assert_false (cd_document_get_dirty (after));

  remove_tree (dir);
}

static void
test_damaged_autosave (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "1-1-0.autosave.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_assert_true (g_file_set_contents (path, "{\"format\":\"coordyn-autosave\",\"version\":1,"
                                      "\"model\":\"{\\\"nodes\\\":5}\"}", -1, NULL));
  model = cd_autosave_read (path, NULL, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nodes"));
  /* Listed all the same (as damaged), so the user hears of it. */
  entries = cd_autosave_list (dir);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_null (((CdAutosaveEntry *) entries->pdata[0])->title);
  remove_tree (dir);
}

static void
test_autosave_cannot_write (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *blocker = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *autosave_dir = g_build_filename (blocker, "autosave", NULL);
  g_autoptr(CdDocument) doc = document_with_model ();
  g_autoptr(CdAutosave) autosave = NULL;
  g_autoptr(GError) error = NULL;

  /* A parent that is a regular file: refused even to root. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  autosave = cd_autosave_new (doc, autosave_dir);
  g_assert_true (cd_document_set_param (doc, CD_PARAM_RESISTANCE_LAW, 0.25));
  g_assert_false (cd_autosave_save_now (autosave, &error));
  g_assert_nonnull (error);
  g_test_message ("autosave refused: %s", error->message);
  g_clear_object (&autosave);
  remove_tree (dir);
}

static void
assert_failed_save_keeps_previous (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "model.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CdDocument) doc = document_with_model ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *big = NULL;
  g_autoptr(CdModel) still = NULL;

  g_assert_true (cd_document_save (doc, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  /* A description far larger than the filesystem. */
  big = g_strnfill (512 * 1024, 'x');
  {
    g_autoptr(CdModel) copy = cd_model_copy (cd_document_get_model (doc));
    g_free (copy->description);
    copy->description = g_steal_pointer (&big);
    cd_document_set_model (doc, g_steal_pointer (&copy), file);
  }
  g_assert_false (cd_document_save (doc, file, &error));
  g_assert_nonnull (error);
  g_test_message ("save refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, "model.json"));

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  g_clear_error (&error);
  still = cd_model_load_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (still);
}

static void
test_failed_save_parent_is_file (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *blocker = g_build_filename (dir, "plain-file", NULL);
  g_autofree char *path = g_build_filename (blocker, "model.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CdDocument) doc = document_with_model ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (blocker, "keep me", -1, NULL));
  g_assert_false (cd_document_save (doc, file, &error));
  g_assert_nonnull (error);
  g_test_message ("save refused: %s", error->message);
  g_assert_true (cd_document_get_dirty (doc) || cd_document_get_file (doc) == NULL
                 || !g_file_equal (cd_document_get_file (doc), file));
  {
    g_autofree char *kept = NULL;
    g_assert_true (g_file_get_contents (blocker, &kept, NULL, NULL));
    g_assert_cmpstr (kept, ==, "keep me");
  }
  remove_tree (dir);
}

static void
test_failed_save_disk_full (void)
{
  g_autofree char *dir = NULL;

  /* The checks run in a child, so that a failed assertion cannot leave the
   * tmpfs mounted behind it. */
  if (g_test_subprocess ())
    {
      assert_failed_save_keeps_previous (g_getenv ("COORDYN_FULL_DIR"));
      return;
    }
  dir = temp_dir ();
  /* A 64 KiB tmpfs is a full disk on demand; mounting needs privileges. */
  if (mount ("coordyn-test", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0700") != 0)
    {
      g_autofree char *why = g_strdup_printf ("SKIP: cannot mount a small tmpfs here (%s); "
                                              "the full-disk case is not tested",
                                              g_strerror (errno));
      g_test_skip (why);
      g_rmdir (dir);
      return;
    }
  g_setenv ("COORDYN_FULL_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT
                                   | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_assert_cmpint (umount (dir), ==, 0);
  g_test_trap_assert_passed ();
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/robustness/autosave/written-only-while-dirty", test_written_only_while_dirty);
  g_test_add_func ("/robustness/autosave/recover-after-crash", test_recover_after_crash);
  g_test_add_func ("/robustness/autosave/damaged", test_damaged_autosave);
  g_test_add_func ("/robustness/autosave/cannot-write", test_autosave_cannot_write);
  g_test_add_func ("/robustness/save/parent-is-a-file", test_failed_save_parent_is_file);
  g_test_add_func ("/robustness/save/disk-full", test_failed_save_disk_full);

  return g_test_run ();
}
