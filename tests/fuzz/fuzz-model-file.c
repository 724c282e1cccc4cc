/* fuzz-model-file.c — libFuzzer target for a model file on disk, read the
 * way coordyn-cli and the app read one.
 *
 * The bytes are written to a file, which then goes through exactly the
 * calls of `coordyn-cli validate/run` and of the app's Open: the regular-
 * file checks and read() of cd_model_load_file() (cd-file.c), the parser,
 * the shape pass and the validation; then what the app does next (places
 * governments without a position, cd_layout_place_missing()) and what `run`
 * does (compile, write the CSV header and a few rows through the atomic
 * writer into a file beside it).  Invariants:
 *   - from the file, the same model or the same error word for word as
 *     from the same bytes in memory (cd_model_load_data(), which the fuzz
 *     target fuzz-model-load.c holds to json-glib);
 *   - a refusal is a CD_MODEL_ERROR with a non-empty UTF-8 message;
 *   - a model that loads saves (atomically, to disk) to a file that loads
 *     back equal;
 *   - the CSV written is complete, starts with the header, has no NaN or
 *     infinity, and leaves no temporary file;
 *   - the same file truncated while it is read is refused as changed,
 *     never read half.
 * Special files (FIFOs, devices, directories) cannot be fuzzed: they are
 * tests (tests/robustness/test-hostile-files.c).  The same function is
 * linked into the replay driver so the seeds run in the ordinary suite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cd-atomic-file.h"
#include "cd-csv.h"
#include "cd-file.h"
#include "cd-layout.h"
#include "cd-model-json.h"
#include "cd-simulate.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define FUZZ_MAX_SAMPLES 20
#define FUZZ_MAX_STEPS   5000
/* cd_layout_place_missing() lays out this many governments in a few
 * milliseconds; a fuzzer's inputs rarely have more. */
#define FUZZ_MAX_LAYOUT  50

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
fail (const char *fmt, ...)
{
  va_list args;

  fputs ("fuzz-model-file: invariant broken: ", stderr);
  va_start (args, fmt);
  vfprintf (stderr, fmt, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

static char *dir;

static void
remove_dir (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
check_refusal (const GError *error,
               const char   *what)
{
  if (error == NULL || error->domain != CD_MODEL_ERROR || error->message == NULL
      || *error->message == '\0' || !g_utf8_validate (error->message, -1, NULL))
    fail ("%s: not a CD_MODEL_ERROR with a message: %s", what,
          error ? error->message : "(no error)");
}

/* Only regular files the target made, none left half written. */
static void
check_folder (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (name[0] == '.')
      fail ("a temporary file was left behind: %s", name);
}

typedef struct
{
  const char *path;
  gsize       to;
  guint       calls;
} Truncation;

static void
truncate_once (int      fd,
               gsize    done,
               gpointer user_data)
{
  Truncation *t = user_data;

  if (t->calls++ == 0 && truncate (t->path, (off_t) t->to) != 0)
    fail ("could not truncate %s", t->path);
}

typedef struct
{
  CdCsvWriter *writer;
  guint        count;
} Rows;

static gboolean
on_sample (const CdSample *s,
           gpointer        user_data,
           GError        **error)
{
  Rows *rows = user_data;

  if (!cd_csv_write_sample (s, rows->writer, error))
    return FALSE;
  if (++rows->count >= FUZZ_MAX_SAMPLES)
    {
      g_set_error_literal (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT, "enough rows");
      return FALSE;
    }
  return TRUE;
}

/* As `coordyn-cli run MODEL -o FILE` writes its CSV. */
static void
write_csv (const CdModel *model,
           const char    *csv_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdAtomicFile) file = NULL;
  g_autoptr(CdCsvWriter) writer = NULL;
  g_autofree char *text = NULL;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  Rows rows = { NULL, 0 };
  gboolean ok;
  gsize len;

  if (sys == NULL)
    fail ("a model that passed validation did not compile: %s", error->message);
  file = cd_atomic_file_new (csv_path, &error);
  if (file == NULL)
    fail ("could not start %s: %s", csv_path, error->message);
  writer = cd_csv_writer_new (cd_atomic_file_get_stream (file), sys, TRUE, TRUE);
  rows.writer = writer;
  options.forces = TRUE;
  options.trust = TRUE;
  options.max_steps = FUZZ_MAX_STEPS;
  options.threads = 1;
  ok = cd_csv_write_header (writer, &error)
       && cd_simulate (sys, &options, on_sample, &rows, NULL, &error);
  g_clear_pointer (&writer, cd_csv_writer_free);
  if (!ok && !g_error_matches (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT))
    {
      /* As the CLI does: no partial CSV; the file that was there stays. */
      if (error == NULL || error->domain != CD_SIMULATE_ERROR)
        fail ("the run failed without a simulation error");
      g_clear_pointer (&file, cd_atomic_file_abandon);
      check_folder ();
      return;
    }
  if (!cd_atomic_file_commit (g_steal_pointer (&file), &error))
    fail ("could not commit %s: %s", csv_path, error->message);
  if (!g_file_get_contents (csv_path, &text, &len, NULL))
    fail ("the CSV is not there");
  if (!g_str_has_prefix (text, "t,mean_coordination,loss") || len == 0 || text[len - 1] != '\n')
    fail ("the CSV is not complete:\n%.400s", text);
  {
    const char *rows_start = strchr (text, '\n');
    g_autofree char *lower = g_ascii_strdown (rows_start ? rows_start : "", -1);
    if (strstr (lower, "nan") != NULL || strstr (lower, "inf") != NULL)
      fail ("a non-finite number reached the CSV");
  }
  check_folder ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) memory_error = NULL;
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdModel) from_memory = NULL;
  g_autofree char *path = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *csv = NULL;

  if (dir == NULL)
    {
      /* In memory where there is a tmpfs: every save and CSV is synced to
       * disk, which would be most of the time of an input.  Under
       * $FUZZ_SCRATCH when .ci/fuzz.sh sets it, which removes the folders
       * of jobs libFuzzer ends without running atexit (a crash, a
       * timeout). */
      const char *parent = g_getenv ("FUZZ_SCRATCH");
      if (parent == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
        parent = "/dev/shm";
      if (parent != NULL)
        {
          char *template = g_build_filename (parent, "fuzz-model-file-XXXXXX", NULL);
          dir = g_mkdtemp (template);
          if (dir == NULL)
            g_free (template);
        }
      if (dir == NULL)
        dir = g_dir_make_tmp ("fuzz-model-file-XXXXXX", NULL);
      if (dir == NULL)
        fail ("no temporary folder");
      atexit (remove_dir);
    }
  path = g_build_filename (dir, "model.json", NULL);
  saved = g_build_filename (dir, "saved.json", NULL);
  csv = g_build_filename (dir, "run.csv", NULL);
  /* The input, as a file a user opens (written plainly: the file may be
   * anything, and writing it is not what is tested). */
  if (!g_file_set_contents (path, (const char *) data, (gssize) size, NULL))
    fail ("could not write the input to %s", path);

  model = cd_model_load_file (path, &error);
  from_memory = cd_model_load_data ((const char *) data, size, &memory_error);
  if ((model == NULL) != (from_memory == NULL))
    fail ("%s from the file, %s from memory: %s", model ? "loads" : "refused",
          from_memory ? "loads" : "refused", model ? memory_error->message : error->message);
  if (model == NULL)
    {
      check_refusal (error, "cd_model_load_file");
      if (error->code != memory_error->code || strcmp (error->message, memory_error->message) != 0)
        fail ("the file and memory refuse differently:\n  %s\n  %s", error->message,
              memory_error->message);
      return 0;
    }
  if (!cd_model_equal (model, from_memory))
    fail ("the file and memory load different models");

  /* The app's Open places governments that have no position. */
  if (model->nodes->len <= FUZZ_MAX_LAYOUT)
    {
      g_autoptr(CdModel) placed = cd_model_copy (model);
      g_clear_error (&error);
      if (!cd_layout_place_missing (placed, 1, &error))
        {
          if (error == NULL || *error->message == '\0')
            fail ("cd_layout_place_missing failed without a message");
        }
      else if (!cd_model_validate (placed, &error))
        fail ("placing the governments made the model invalid: %s", error->message);
    }

  /* Saved (the app's Save, `generate -o`) and read back from disk. */
  g_clear_error (&error);
  if (!cd_model_save_file (model, saved, &error))
    fail ("could not save: %s", error->message);
  {
    g_autoptr(CdModel) again = cd_model_load_file (saved, &error);
    g_autoptr(CdModel) pinned = cd_model_copy (model);

    if (again == NULL)
      fail ("a saved file does not load again: %s", error->message);
    /* The file pins default appraisals (saving writes every value). */
    cd_model_pin_default_appraisals (pinned);
    if (!cd_model_equal (pinned, again))
      fail ("a model saved to disk and read back is not equal");
  }
  check_folder ();

  write_csv (model, csv);

  /* The same file truncated while it is read: refused as changed. */
  {
    Truncation t = { path, size / 2, 0 };
    g_autoptr(CdModel) half = NULL;

    g_clear_error (&error);
    cd_file_set_read_hook (truncate_once, &t);
    half = cd_model_load_file (path, &error);
    cd_file_set_read_hook (NULL, NULL);
    if (size > 0 && t.calls == 0)
      fail ("the read hook was never called");
    if (size > 0 && half != NULL)
      fail ("a file truncated while it was read loaded");
    if (size > 0 && (error == NULL || error->code != CD_MODEL_ERROR_IO
                     || strstr (error->message, "changed") == NULL))
      fail ("a file truncated while it was read was not refused as changed: %s",
            error ? error->message : "(no error)");
  }
  return 0;
}
