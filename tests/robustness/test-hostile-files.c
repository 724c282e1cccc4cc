/* test-hostile-files.c — model files that are not what they seem.
 *
 * Things a shared folder, a careless script or a hostile sender can hand
 * the reader: a directory, a FIFO nobody writes to, a device, a socket; a
 * file another program truncates, grows or rewrites while it is read; two
 * documents in one file; large files whose error json-glib would have
 * worded at forty times their size; numbers and escapes JSON readers
 * disagree about.  Each is refused with a message naming what is wrong,
 * without a signal, a hang, or memory out of proportion to the file
 * (docs/model.md, "Limits").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cd-file.h"
#include "cd-model-json.h"
#include "cd-test-sanitized.h"

/* Sanitizers keep shadow memory and quarantines: memory figures from such a
 * build say nothing about the reader (SANITIZED). */

/* ---- helpers --------------------------------------------------------------- */

static char *
temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("coordyn-hostile-XXXXXX", &error);

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
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
write_file (const char *path,
            const char *data,
            gsize       length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);
}

/* Loads path; must be refused with code and a message holding `part`. */
static void
assert_file_refused (const char   *path,
                     CdModelError  code,
                     const char   *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = cd_model_load_file (path, &error);

  g_assert_null (model);
  g_assert_nonnull (error);
  g_test_message ("%s: %s", path, error->message);
  g_assert_error (error, CD_MODEL_ERROR, (int) code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  if (strstr (error->message, part) == NULL)
    g_error ("expected \"%s\" in the message, got: %s", part, error->message);
}

static void
assert_text_refused (const char   *text,
                     gsize         length,
                     CdModelError  code,
                     const char   *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = cd_model_load_data (text, length, &error);

  g_assert_null (model);
  g_assert_nonnull (error);
  g_test_message ("refused: %.300s", error->message);
  g_assert_error (error, CD_MODEL_ERROR, (int) code);
  if (strstr (error->message, part) == NULL)
    g_error ("expected \"%s\" in the message, got: %s", part, error->message);
}

static void
assert_str_refused (const char   *text,
                    CdModelError  code,
                    const char   *part)
{
  assert_text_refused (text, strlen (text), code, part);
}

/* Peak resident size in KiB since the last reset; FALSE where the kernel
 * does not let a process reset it. */
static gboolean
peak_reset (void)
{
  FILE *f = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (f == NULL)
    return FALSE;
  ok = fputs ("5", f) >= 0;
  return fclose (f) == 0 && ok;
}

static guint64
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, field);
  return line ? g_ascii_strtoull (line + strlen (field), NULL, 10) : 0;
}

/* ---- not a regular file ---------------------------------------------------- */

static void
test_directory (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *link = g_build_filename (dir, "model.json", NULL);

  assert_file_refused (dir, CD_MODEL_ERROR_IO, "is a directory");
  /* A link to a directory is a directory too. */
  g_assert_cmpint (symlink (dir, link), ==, 0);
  assert_file_refused (link, CD_MODEL_ERROR_IO, "is a directory");
  remove_tree (dir);
}

typedef struct
{
  const char *path;
  char       *message;
  gint        done;
} FifoLoad;

static gpointer
load_in_thread (gpointer data)
{
  FifoLoad *f = data;
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_file (f->path, &error);

  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
  f->message = g_strdup (error->message);
  g_atomic_int_set (&f->done, TRUE);
  return NULL;
}

static void
test_fifo_without_writer (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "f.json", NULL);
  FifoLoad f = { NULL, NULL, FALSE };
  GThread *thread;
  gint64 start;
  gboolean blocked;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  /* In a thread, so that a reader that blocks fails the test instead of
   * hanging it: nobody opens this FIFO for writing. */
  f.path = path;
  start = g_get_monotonic_time ();
  thread = g_thread_new ("load-fifo", load_in_thread, &f);
  while (!g_atomic_int_get (&f.done) && g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC)
    g_usleep (1000);
  blocked = !g_atomic_int_get (&f.done);
  if (blocked)
    {
      /* Unblock it: a writer that opens and closes at once. */
      int fd = g_open (path, O_WRONLY | O_NONBLOCK, 0);
      if (fd >= 0)
        close (fd);
    }
  g_thread_join (thread);
  g_test_message ("returned after %.3f s: %s", (g_get_monotonic_time () - start) / 1e6,
                  f.message);
  g_assert_false (blocked);
  g_assert_nonnull (strstr (f.message, "is not a regular file"));
  g_assert_nonnull (strstr (f.message, "named pipe"));
  g_free (f.message);
  remove_tree (dir);
}

static void
test_devices_and_sockets (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *sock_path = g_build_filename (dir, "s.json", NULL);
  struct sockaddr_un addr = { 0 };
  int fd;

  assert_file_refused ("/dev/null", CD_MODEL_ERROR_IO, "character device");
  assert_file_refused ("/dev/zero", CD_MODEL_ERROR_IO, "is not a regular file");

  fd = socket (AF_UNIX, SOCK_STREAM, 0);
  g_assert_cmpint (fd, >=, 0);
  addr.sun_family = AF_UNIX;
  g_assert_cmpuint (strlen (sock_path), <, sizeof addr.sun_path);
  strcpy (addr.sun_path, sock_path);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  assert_file_refused (sock_path, CD_MODEL_ERROR_IO, "socket");
  close (fd);
  remove_tree (dir);
}

/* ---- a file that changes while it is read ---------------------------------- */

typedef enum
{
  CHANGE_TRUNCATE,
  CHANGE_GROW,
  CHANGE_REWRITE,   /* same size, new content and modification time */
} Change;

typedef struct
{
  const char *path;
  Change      change;
  guint       calls;
} ChangeHook;

static void
change_file (int      fd,
             gsize    done,
             gpointer user_data)
{
  ChangeHook *h = user_data;

  if (h->calls++ != 0)
    return;
  switch (h->change)
    {
    case CHANGE_TRUNCATE:
      /* What `truncate -s 1000` does to a file being read: with the file
       * mapped, the next page touched beyond the end was SIGBUS. */
      g_assert_cmpint (truncate (h->path, 1000), ==, 0);
      break;
    case CHANGE_GROW:
      {
        int wfd = g_open (h->path, O_WRONLY | O_APPEND, 0);
        g_assert_cmpint (wfd, >=, 0);
        g_assert_cmpint (write (wfd, "\n\n\n\n", 4), ==, 4);
        close (wfd);
      }
      break;
    case CHANGE_REWRITE:
      {
        int wfd = g_open (h->path, O_WRONLY, 0);
        struct timespec times[2] = { { 0, UTIME_OMIT }, { 12345, 0 } };
        g_assert_cmpint (wfd, >=, 0);
        g_assert_cmpint (pwrite (wfd, "  ", 2, 0), ==, 2);
        g_assert_cmpint (futimens (wfd, times), ==, 0);
        close (wfd);
      }
      break;
    }
  (void) fd;
  (void) done;
}

/* A valid model of a few MiB: several chunks of the reader. */
static GString *
big_valid_model (guint n_nodes)
{
  GString *text = g_string_new ("{\n  \"nodes\": [\n");

  for (guint i = 0; i < n_nodes; i++)
    g_string_append_printf (text, "    { \"id\": \"n%u\", \"name\": \"Government number %u\", "
                            "\"capacity\": 0.%06u, \"x0\": 0.5, \"pos\": [%u, %u] }%s\n", i, i,
                            i, i % 997, i / 997, i + 1 < n_nodes ? "," : "");
  g_string_append (text, "  ]\n}\n");
  return text;
}

static void
test_changed_while_read (void)
{
  static const Change changes[] = { CHANGE_TRUNCATE, CHANGE_GROW, CHANGE_REWRITE };
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "model.json", NULL);
  g_autoptr(GString) text = big_valid_model (40000);

  g_assert_cmpuint (text->len, >, 3 << 20);
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      ChangeHook hook = { path, changes[i], 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(CdModel) model = NULL;

      write_file (path, text->str, text->len);
      /* unchanged, it loads */
      model = cd_model_load_file (path, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (model->nodes->len, ==, 40000);
      g_clear_pointer (&model, cd_model_free);

      cd_file_set_read_hook (change_file, &hook);
      model = cd_model_load_file (path, &error);
      cd_file_set_read_hook (NULL, NULL);
      g_assert_cmpuint (hook.calls, >, 0);
      g_assert_null (model);
      g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO);
      g_assert_nonnull (strstr (error->message, "changed while it was being read"));
      g_test_message ("change %u: %s", i, error->message);
    }
  remove_tree (dir);
}

/* ---- trailing content ------------------------------------------------------ */

static void
test_trailing_content (void)
{
  static const char two[] = "{\"nodes\":[{\"id\":\"a\"}]}\n{\"nodes\":[{\"id\":\"b\"}]}\n";
  g_autoptr(GString) large = big_valid_model (20000);

  assert_text_refused (two, sizeof two - 1, CD_MODEL_ERROR_SYNTAX,
                       "line 2, column 1: more text after the end of the JSON document");
  assert_str_refused ("{\"nodes\":[{\"id\":\"a\"}]} 7", CD_MODEL_ERROR_SYNTAX,
                       "line 1, column 24: more text after the end");
  assert_str_refused ("{\"nodes\":[{\"id\":\"a\"}]}]", CD_MODEL_ERROR_SYNTAX,
                       "line 1, column 23: more text after the end");
  /* A CSV file or other text given as a model is not JSON at all: said
   * so at its start, not "more text after the end" at its first comma. */
  assert_str_refused ("t,mean_coordination\n0,0.1\n", CD_MODEL_ERROR_SYNTAX,
                      "line 1, column 1: not JSON: a model (like every file of Coordyn's) is "
                      "one JSON object");
  assert_str_refused ("\n 0,1\n", CD_MODEL_ERROR_SYNTAX,
                      "line 2, column 2: not JSON: a model");
  assert_str_refused ("\"a\" \"b\"", CD_MODEL_ERROR_SYNTAX, "is it a CSV file");
  {
    g_autoptr(GString) csv = g_string_new ("t,x:a\n");

    while (csv->len <= 1 << 20)
      g_string_append (csv, "0.25,0.5\n");
    assert_text_refused (csv->str, csv->len, CD_MODEL_ERROR_SYNTAX,
                         "line 1, column 1: not JSON: a model");
  }
  /* A key without its value: json-glib said "unexpected character `}',
   * expected character `}'". */
  assert_str_refused ("{\"name\": }", CD_MODEL_ERROR_SYNTAX,
                      "line 1, column 8: a key without its value");
  assert_str_refused ("{\"name\":\n , \"nodes\": []}", CD_MODEL_ERROR_SYNTAX,
                      "line 1, column 8: a key without its value");
  assert_str_refused ("{\"nodes\": [{\"id\": \"a:b\", \"x0\": ]}", CD_MODEL_ERROR_SYNTAX,
                      "column 30: a key without its value");
  /* Spaces and line breaks after the document are fine. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CdModel) model = cd_model_load_data ("{\"nodes\":[{\"id\":\"a\"}]}\n \r\n\t", 26,
                                                   &error);
    g_assert_no_error (error);
  }
  /* A large file takes the other path: the same words. */
  g_string_append (large, "{\"nodes\":[]}\n");
  g_assert_cmpuint (large->len, >, 1 << 20);
  assert_text_refused (large->str, large->len, CD_MODEL_ERROR_SYNTAX,
                       "line 20005, column 1: more text after the end of the JSON document");
}

/* ---- large files: worded without json-glib --------------------------------- */

static void
test_large_file_errors (void)
{
  g_autoptr(GString) text = big_valid_model (20000);
  gsize end = text->len - strlen ("\n  ]\n}\n");
  g_autoptr(GString) t = NULL;

  /* the last item's comma forgotten, far into a 2 MiB file */
  t = g_string_new (text->str);
  g_string_insert (t, end, " { \"id\": \"z\" }");
  assert_text_refused (t->str, t->len, CD_MODEL_ERROR_SYNTAX,
                       "line 20002, column 109: unexpected character `{', expected character "
                       "`,' or `]'");
  g_string_free (g_steal_pointer (&t), TRUE);

  /* a string never closed */
  t = g_string_new (text->str);
  g_string_truncate (t, end);
  g_string_append (t, ", { \"id\": \"z");
  assert_text_refused (t->str, t->len, CD_MODEL_ERROR_SYNTAX,
                       "a string without its closing quote");
  g_string_free (g_steal_pointer (&t), TRUE);

  /* a key twice, once escaped */
  t = g_string_new (text->str);
  g_string_insert (t, end, ", { \"id\": \"z\", \"\\u0069d\": \"y\" }");
  assert_text_refused (t->str, t->len, CD_MODEL_ERROR_SYNTAX, "holds the key \"id\" twice");
  g_string_free (g_steal_pointer (&t), TRUE);

  /* an array at the top */
  t = g_string_new ("[");
  g_string_append (t, text->str);
  g_string_append (t, "]");
  assert_text_refused (t->str, t->len, CD_MODEL_ERROR_INVALID,
                       "a model file holds one JSON object, not an array");
  g_string_free (g_steal_pointer (&t), TRUE);

  /* what the byte scan words is worded the same in a large file */
  t = g_string_new (text->str);
  g_string_insert (t, end, ", { \"id\": \"z\\u0000\" }");
  assert_text_refused (t->str, t->len, CD_MODEL_ERROR_SYNTAX,
                       "\\u0000 is a NUL character");
  g_string_free (g_steal_pointer (&t), TRUE);
}

/* ---- numbers and escapes --------------------------------------------------- */

static void
test_numbers_and_escapes (void)
{
  /* json-glib reads 99999999999999999999 as -1: the version said "-1". */
  assert_str_refused ("{\"version\":99999999999999999999,\"nodes\":[{\"id\":\"a\"}]}",
                       CD_MODEL_ERROR_SYNTAX,
                       "line 1, column 12: the integer 99999999999999999999 does not fit");
  assert_str_refused ("{\"version\":1234567890123456789,\"nodes\":[{\"id\":\"a\"}]}",
                       CD_MODEL_ERROR_INVALID,
                       "version: version 1234567890123456789 is not supported");
  assert_str_refused ("{\"version\":-9223372036854775808,\"nodes\":[{\"id\":\"a\"}]}",
                       CD_MODEL_ERROR_INVALID, "version -9223372036854775808 is not");
  /* it wrapped a coordinate to -1 without a word */
  assert_str_refused ("{\"nodes\":[{\"id\":\"a\",\"x0\":100000000000000000000}]}",
                       CD_MODEL_ERROR_SYNTAX, "write it with an exponent, such as 1e20");
  /* json-glib cut "a\u0000b" to "a", then reported a duplicate id */
  assert_str_refused ("{\"nodes\":[{\"id\":\"a\\u0000b\"},{\"id\":\"a\"}]}",
                       CD_MODEL_ERROR_SYNTAX, "line 1, column 19: \\u0000 is a NUL character");
  /* keys that are the same once decoded */
  assert_str_refused ("{\"nodes\":[{\"id\":\"a\"}],\"\\u006eodes\":[]}",
                       CD_MODEL_ERROR_SYNTAX, "appears twice in one object");
}

/* ---- memory ---------------------------------------------------------------- */

/* Writes a file of about `size` bytes made by `make`, frees the text, loads
 * the file and checks it is refused with `part` at a peak of at most 3 times
 * its size and 64 MiB over what the process held before. */
static void
assert_refused_within_memory (const char *what,
                              GString    *text,
                              CdModelError code,
                              const char *part)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "hostile.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  gsize size = text->len;
  guint64 base, peak;
  gboolean measured;

  write_file (path, text->str, text->len);
  g_string_free (text, TRUE);
  measured = peak_reset ();
  base = status_kib ("VmRSS:");
  model = cd_model_load_file (path, &error);
  peak = status_kib ("VmHWM:");
  g_assert_null (model);
  g_assert_error (error, CD_MODEL_ERROR, (int) code);
  g_test_message ("%s (%" G_GSIZE_FORMAT " MiB): %.200s", what, size >> 20, error->message);
  if (strstr (error->message, part) == NULL)
    g_error ("expected \"%s\" in the message, got: %s", part, error->message);
  if (!measured || peak == 0)
    g_test_message ("SKIP memory: /proc/self/clear_refs or VmHWM not available");
  else if (SANITIZED)
    g_test_message ("SKIP memory bound in a sanitizer build (peak grew by %" G_GUINT64_FORMAT
                    " MiB)", (peak - MIN (peak, base)) >> 10);
  else
    {
      guint64 grew = peak - MIN (peak, base);
      g_test_message ("  peak resident size grew by %" G_GUINT64_FORMAT " MiB: %.2f × the "
                      "file", grew >> 10, grew * 1024.0 / size);
      g_assert_cmpuint (grew * 1024, <=, 3 * (guint64) size + ((guint64) 64 << 20));
    }
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_refusal_memory (void)
{
  gsize target = (gsize) 96 << 20;
  GString *text;

  /* 96 MiB of zeros under a key the reader does not know: 16 bytes of tree
   * for every 2 bytes of text.  It took 17 times its size to refuse. */
  text = g_string_sized_new (target + 64);
  g_string_append (text, "{\"nodes\":[{\"id\":\"a\"}],\"junk\":[0");
  while (text->len < target)
    g_string_append (text, ",0,0,0,0,0,0,0,0");
  g_string_append (text, "]}");
  assert_refused_within_memory ("an array of zeros under an unknown key", text,
                                CD_MODEL_ERROR_TOO_LARGE, "too many values for a file");

  /* The same file, valid as JSON up to a missing comma at the very end:
   * json-glib builds its whole tree (40 times the text) before it finds
   * the error. */
  text = g_string_sized_new (target + 64);
  g_string_append (text, "{\"nodes\":[{\"id\":\"a\"}],\"junk\":[\"");
  while (text->len < target)
    g_string_append (text, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  g_string_append (text, "\" \"b\"]}");
  assert_refused_within_memory ("a syntax error at the end of a large file", text,
                                CD_MODEL_ERROR_SYNTAX, "expected character `,' or `]'");

  /* Many small objects under a known key, refused by their shape. */
  text = g_string_sized_new (target + 64);
  g_string_append (text, "{\"nodes\":[{\"id\":\"a\"}],\"events\":[1");
  while (text->len < target)
    g_string_append (text, ",[1,2],{\"a\":1}");
  g_string_append (text, "]}");
  assert_refused_within_memory ("small values of the wrong kinds", text,
                                CD_MODEL_ERROR_TOO_LARGE, "too many values");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/robustness/hostile-files/directory", test_directory);
  g_test_add_func ("/robustness/hostile-files/fifo-without-writer", test_fifo_without_writer);
  g_test_add_func ("/robustness/hostile-files/devices-and-sockets", test_devices_and_sockets);
  g_test_add_func ("/robustness/hostile-files/changed-while-read", test_changed_while_read);
  g_test_add_func ("/robustness/hostile-files/trailing-content", test_trailing_content);
  g_test_add_func ("/robustness/hostile-files/large-file-errors", test_large_file_errors);
  g_test_add_func ("/robustness/hostile-files/numbers-and-escapes", test_numbers_and_escapes);
  g_test_add_func ("/robustness/hostile-files/refusal-memory", test_refusal_memory);

  return g_test_run ();
}
