/* test-limits.c — hostile and broken model files meet clear refusals.
 *
 * Each case feeds the reader something a careless export, a corrupted disk
 * or a hostile sender could produce, and checks that it is refused with a
 * message naming the place, that nothing crashes, and that memory stays in
 * proportion to the input — never to what the input merely asks for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cd-model-json.h"
#include "cd-simulate.h"
#include "cd-system.h"
#include "cd-test-sanitized.h"

/* ---- helpers --------------------------------------------------------------- */

/* Sanitizers keep shadow memory and quarantines: memory figures from such a
 * build say nothing about the reader (SANITIZED). */

/* Resets the peak resident size (VmHWM) so a case can measure its own peak;
 * FALSE where the kernel does not allow it. */
static gboolean
peak_reset (void)
{
  /* Not g_file_set_contents(): it replaces by renaming, which /proc refuses. */
  FILE *f = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fputs ("5", f) >= 0;
  return fclose (f) == 0 && ok;
}

/* Peak resident size in KiB since the last reset, 0 if unknown. */
static guint64
peak_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static guint64
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line ? g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

static CdModel *
load_text (const char *text,
           GError    **error)
{
  return cd_model_load_data (text, strlen (text), error);
}

/* length −1: the text is NUL-terminated. */
static void
assert_refused (const char   *text,
                gssize        length,
                CdModelError  code,
                const char   *expected_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;

  model = cd_model_load_data (text, length < 0 ? strlen (text) : (gsize) length, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, (int) code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, expected_part) == NULL)
    g_error ("expected \"%s\" in the message, got: %s", expected_part, error->message);
  g_test_message ("refused: %s", error->message);
}

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("coordyn-limits-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* ---- size ------------------------------------------------------------------ */

static void
test_file_too_large (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  guint64 before;
  int fd;

  /* A sparse file: it takes no disk space, and the reader must refuse it
   * by its size alone; reading it would touch 256 MiB of pages. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) CD_MODEL_MAX_FILE_SIZE + 1), ==, 0);
  close (fd);

  before = rss_kib ();
  model = cd_model_load_file (path, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "GiB"));
  g_test_message ("refused: %s", error->message);
  /* Resident size, not the mapping: a sparse file read in would add 256 MiB. */
  if (!SANITIZED)
    g_assert_cmpuint (rss_kib (), <, before + 16 * 1024);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_file_at_limit_in_memory (void)
{
  /* The same limit holds for data handed over in memory (the app's paste). */
  assert_refused ("", (gssize) CD_MODEL_MAX_FILE_SIZE + 1, CD_MODEL_ERROR_TOO_LARGE, "GiB");
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = cd_model_load_file ("/nonexistent/coordyn/model.json", &error);

  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
  /* The caller puts the path in front ("model.json: No such file…"). */
  g_assert_cmpstr (error->message, ==, g_strerror (ENOENT));
}

static void
test_too_many_nodes (void)
{
  guint n = CD_MODEL_MAX_NODES + 1;
  g_autoptr(GString) text = g_string_sized_new ((gsize) n * 16 + 64);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  gboolean measured = peak_reset ();
  guint64 base = rss_kib (), peak;

  g_string_append (text, "{\"nodes\":[");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s{\"id\":\"%x\"}", i ? "," : "", i);
  g_string_append (text, "]}");
  g_test_message ("%u governments in %" G_GSIZE_FORMAT " bytes", n, text->len);

  model = cd_model_load_data (text->str, text->len, &error);
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nodes: more than 1000000 entries"));

  peak = peak_kib ();
  if (!measured || peak == 0)
    g_test_message ("SKIP memory measurement: /proc/self/clear_refs or VmHWM not available");
  else if (SANITIZED)
    g_test_message ("SKIP memory bound in a sanitizer build (peak grew by %" G_GUINT64_FORMAT
                    " MiB)", (peak - MIN (peak, base)) / 1024);
  else
    {
      /* json-glib builds the whole tree before the count is checked; that
       * costs a few hundred bytes per tiny node.  What must not happen is
       * building a million CdNodes, copies, or an index on top of it. */
      g_test_message ("peak resident size grew by %" G_GUINT64_FORMAT " MiB for a %"
                      G_GSIZE_FORMAT " MiB file", (peak - MIN (peak, base)) / 1024,
                      text->len >> 20);
      g_assert_cmpuint (peak - MIN (peak, base), <, (guint64) 1536 * 1024);
    }
}

/* ---- syntax ---------------------------------------------------------------- */

static void
test_deep_nesting (void)
{
  gsize n = 100000;
  g_autofree char *arrays = g_malloc (n + 1);
  g_autoptr(GString) objects = g_string_new ("{\"nodes\":[{\"id\":\"a\"}],\"name\":");

  memset (arrays, '[', n);
  arrays[n] = '\0';
  /* Refused by the byte scan with a place, before json-glib could recurse. */
  assert_refused (arrays, n, CD_MODEL_ERROR_SYNTAX, "line 1, column 65: nested more than 64");

  for (guint i = 0; i < 100000; i++)
    g_string_append (objects, "{\"a\":");
  assert_refused (objects->str, objects->len, CD_MODEL_ERROR_SYNTAX, "nested more than 64");
}

static void
test_brackets_in_strings (void)
{
  g_autoptr(GString) text = g_string_new ("{\"nodes\":[{\"id\":\"a\",\"name\":\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;

  /* Brackets inside a string (and escaped quotes) are text, not nesting. */
  for (guint i = 0; i < 1000; i++)
    g_string_append (text, "[{\\\"");
  g_string_append (text, "\"}]}");
  model = cd_model_load_data (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (((CdNode *) model->nodes->pdata[0])->name), ==, 3000);
}

static void
test_huge_numbers (void)
{
  assert_refused ("{\"nodes\":[{\"id\":\"a\",\"capacity\":1e400}]}", -1, CD_MODEL_ERROR_INVALID,
                  "nodes[0].capacity: the number is too large");
  assert_refused ("{\"nodes\":[{\"id\":\"a\"}],\"simulation\":{\"t_end\":-1e400}}", -1,
                  CD_MODEL_ERROR_INVALID, "simulation.t_end: the number is too large");
  assert_refused ("{\"nodes\":[{\"id\":\"a\"}],\"events\":[{\"onset\":0,\"magnitude\":1e999999,"
                  "\"decay\":1}]}", -1, CD_MODEL_ERROR_INVALID, "events[0].magnitude");
}

static void
test_tiny_numbers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;

  /* Underflow is not an error: 1e-400 is 0, and a zero capacity is valid. */
  model = load_text ("{\"nodes\":[{\"id\":\"a\",\"capacity\":1e-400,\"x0\":4.9e-324}]}", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (((CdNode *) model->nodes->pdata[0])->capacity, ==, 0.0);
  g_assert_cmpfloat (((CdNode *) model->nodes->pdata[0])->x0, >, 0.0);
}

static void
test_invalid_utf8 (void)
{
  static const char latin1[] = "{\"nodes\":[\n  {\"id\":\"M\xfcnchen\"}]}";
  static const char overlong[] = "{\"nodes\":[{\"id\":\"\xc0\xaf\"}]}";

  assert_refused (latin1, sizeof latin1 - 1, CD_MODEL_ERROR_SYNTAX,
                  "line 2, column 11: invalid UTF-8");
  assert_refused (overlong, sizeof overlong - 1, CD_MODEL_ERROR_SYNTAX, "invalid UTF-8");
}

static void
test_nul_bytes (void)
{
  static const char nul[] = "{\"nodes\":[{\"id\":\"a\0b\"}]}";

  assert_refused (nul, sizeof nul - 1, CD_MODEL_ERROR_SYNTAX, "line 1, column 19: a NUL byte");
  /* A NUL after the end of the object is still in the file. */
  assert_refused ("{\"nodes\":[{\"id\":\"a\"}]}\0", 23, CD_MODEL_ERROR_SYNTAX, "a NUL byte");
}

static void
test_lone_surrogates (void)
{
  /* json-glib turns these escapes into bytes that are not UTF-8 (and, right
   * before a closing quote, also swallows the quote): the byte scan names
   * them where they are. */
  assert_refused ("{\"nodes\":[{\"id\":\"a\\ud800\"}]}", -1, CD_MODEL_ERROR_SYNTAX,
                  "line 1, column 19: not valid text");
  assert_refused ("{\"nodes\":[{\"id\":\"a\\ud800bc\"}]}", -1, CD_MODEL_ERROR_SYNTAX,
                  "line 1, column 19: not valid text");
  assert_refused ("{\"nodes\":[{\"id\":\"a\\ud800\\u0041\"}]}", -1, CD_MODEL_ERROR_SYNTAX,
                  "line 1, column 19: not valid text");
  assert_refused ("{\"nodes\":[{\"id\":\"a\"}],\"names\":{\"\\udc00xy\":\"x\"}}", -1,
                  CD_MODEL_ERROR_SYNTAX, "line 1, column 33: not valid text");
}

static void
test_huge_strings (void)
{
  gsize n = 16 * 1024 * 1024;
  g_autoptr(GString) text = g_string_sized_new (n + 128);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdModel) again = NULL;
  g_autofree char *json = NULL;
  gsize len;

  /* A 16 MiB name is odd but legal: it loads, saves and loads back. */
  g_string_append (text, "{\"nodes\":[{\"id\":\"a\",\"name\":\"");
  for (gsize i = 0; i < n / 4; i++)
    g_string_append (text, "政x");  /* 3 + 1 bytes */
  g_string_append (text, "\"}]}");
  model = cd_model_load_data (text->str, text->len, &error);
  g_assert_no_error (error);
  json = cd_model_to_json (model, &len);
  again = cd_model_load_data (json, len, &error);
  g_assert_no_error (error);
  g_assert_true (cd_model_equal (model, again));
  g_assert_cmpuint (strlen (((CdNode *) again->nodes->pdata[0])->name), ==, n);
}

static void
test_duplicate_keys (void)
{
  /* JSON (RFC 8259) leaves duplicate names undefined and json-glib keeps
   * the last one silently, which would drop the first list of governments
   * without a word: the reader refuses them, naming the key and place. */
  assert_refused ("{\"nodes\":[{\"id\":\"first\"}],\"nodes\":[{\"id\":\"second\"}]}", -1,
                  CD_MODEL_ERROR_SYNTAX, "line 1, column 27: the key \"nodes\" appears twice");
  assert_refused ("{\"nodes\":[{\"id\":\"a\",\"x0\":0.1,\"x0\":0.9}]}", -1,
                  CD_MODEL_ERROR_SYNTAX, "the key \"x0\" appears twice");
}

/* ---- a small file must not ask for unbounded memory ------------------------ */

static void
test_small_file_huge_run (void)
{
  const char *text =
    "{\"nodes\":[{\"id\":\"a\"},{\"id\":\"b\"}],"
    "\"edges\":[{\"kind\":\"partnership\",\"source\":\"a\",\"target\":\"b\"}],"
    "\"simulation\":{\"t_end\":1e12,\"dt\":1e-6}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_text (text, &error);
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(CdTrajectory) traj = NULL;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  guint64 before;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (text), <, 1024);
  sys = cd_system_new (model, &error);
  g_assert_no_error (error);

  before = rss_kib ();
  traj = cd_simulate_trajectory (sys, NULL, NULL, &error);
  g_assert_null (traj);
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);

  /* Fewer samples than can be counted overflow nothing either. */
  options.forces = TRUE;
  options.trust = TRUE;
  options.t_end = 1e9;
  options.dt = 1.0;
  traj = cd_simulate_trajectory (sys, &options, NULL, &error);
  g_assert_null (traj);
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE);
  g_clear_error (&error);
  if (!SANITIZED)
    g_assert_cmpuint (rss_kib (), <, before + 16 * 1024);
}

static gboolean
count_sample (const CdSample *s,
              gpointer        user_data,
              GError        **error)
{
  guint *count = user_data;
  (*count)++;
  return TRUE;
}

static void
test_uncountable_samples_streamed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = load_text ("{\"nodes\":[{\"id\":\"a\"}],"
                                        "\"simulation\":{\"t_end\":1e300,\"dt\":1e-300}}", &error);
  g_autoptr(CdSystem) sys = NULL;
  guint count = 0;

  g_assert_no_error (error);
  sys = cd_system_new (model, &error);
  g_assert_no_error (error);
  /* Streaming keeps no samples, but their index must still fit. */
  g_assert_false (cd_simulate (sys, NULL, count_sample, &count, NULL, &error));
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE);
  g_assert_cmpuint (count, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/robustness/limits/file-too-large", test_file_too_large);
  g_test_add_func ("/robustness/limits/data-too-large", test_file_at_limit_in_memory);
  g_test_add_func ("/robustness/limits/missing-file", test_missing_file);
  g_test_add_func ("/robustness/limits/too-many-nodes", test_too_many_nodes);
  g_test_add_func ("/robustness/limits/deep-nesting", test_deep_nesting);
  g_test_add_func ("/robustness/limits/brackets-in-strings", test_brackets_in_strings);
  g_test_add_func ("/robustness/limits/huge-numbers", test_huge_numbers);
  g_test_add_func ("/robustness/limits/tiny-numbers", test_tiny_numbers);
  g_test_add_func ("/robustness/limits/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/robustness/limits/nul-bytes", test_nul_bytes);
  g_test_add_func ("/robustness/limits/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/robustness/limits/huge-strings", test_huge_strings);
  g_test_add_func ("/robustness/limits/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/robustness/limits/small-file-huge-run", test_small_file_huge_run);
  g_test_add_func ("/robustness/limits/uncountable-samples", test_uncountable_samples_streamed);

  return g_test_run ();
}
