/* test-hostile-cli.c — coordyn-cli against hostile files, careless
 * arguments and interruptions, as a user's shell would run it.
 *
 * - A model truncated while it is read (a preloaded read()/mmap() that
 *   truncates it, truncate-on-read.c): an error, not SIGBUS (exit 135).
 * - A FIFO nobody writes to, a directory, a device: refused at once.
 * - An output that is the model itself (same path, a link, another
 *   spelling), for every command that reads a model and writes a file:
 *   refused before anything is touched.
 * - An output far too large: refused before it starts, unless
 *   --max-output raises the limit.
 * - SIGINT, SIGTERM, SIGHUP in the middle of writing: exit 130, 143, 129,
 *   the old output kept, no temporary file left.
 * - Every numeric option of every command given nan, 0, inf, a negative or
 *   an empty file name: a usage error (exit 2) that says what is wrong.
 * - A replaced output keeps its permissions, and a symbolic link stays a
 *   link to the file that was replaced.
 * - The national model with absurd settings ends with a message within
 *   30 s of processor time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* posix_openpt(), grantpt(), unlockpt(), ptsname() */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

typedef struct
{
  int    status;     /* exit status, or 128 + signal when killed */
  char  *out;
  char  *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static const char *
cli (void)
{
  const char *path = g_getenv ("COORDYN_CLI");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("COORDYN_CLI does not name coordyn-cli (meson test sets it)");
  return path;
}

static char *work_dir;

static char *
work_path (const char *name)
{
  return g_build_filename (work_dir, name, NULL);
}

static const char *
example (const char *name)
{
  static char path[4096];

  g_snprintf (path, sizeof path, "%s/%s", g_getenv ("COORDYN_EXAMPLES_DIR"), name);
  return path;
}

/* Runs coordyn-cli with argv (NULL-terminated, without the program) and
 * extra environment pairs (NULL-terminated "NAME", "VALUE", …).
 * g_spawn_sync, not GSubprocess: GSubprocess reads and closes the child's
 * pipes on GLib's worker threads, synchronized inside libgio where
 * ThreadSanitizer cannot see it, and the TSan run reported GLib's own
 * bookkeeping as races.  With stdout_setup, the child's standard output
 * is what that sets up, and r->out stays NULL. */
static void
spawn_cli (Result               *r,
           const char * const   *env,
           const char * const   *argv,
           GSpawnChildSetupFunc  stdout_setup)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int wait_status = 0;

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    envp = g_environ_setenv (envp, env[i], env[i + 1], TRUE);
  g_ptr_array_add (args, (gpointer) cli ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  g_spawn_sync (work_dir, (char **) args->pdata, envp,
                stdout_setup != NULL ? G_SPAWN_CHILD_INHERITS_STDOUT : G_SPAWN_DEFAULT,
                stdout_setup, NULL, stdout_setup != NULL ? NULL : &r->out, &r->err,
                &wait_status, &error);
  g_assert_no_error (error);
  r->status = WIFSIGNALED (wait_status) ? 128 + WTERMSIG (wait_status)
                                        : WEXITSTATUS (wait_status);
}

static void
run_env (Result             *r,
         const char * const *env,
         const char * const *argv)
{
  spawn_cli (r, env, argv, NULL);
}

static void
run (Result             *r,
     const char * const *argv)
{
  run_env (r, NULL, argv);
}

#define ARGS(...) ((const char * const[]) { __VA_ARGS__, NULL })

static void
assert_status (const Result *r,
               int           status,
               const char   *part)
{
  g_test_message ("exit %d: %s", r->status, r->err);
  if (r->status != status || (part != NULL && strstr (r->err, part) == NULL))
    g_error ("expected exit %d with \"%s\"; got exit %d:\n%s", status, part ? part : "",
             r->status, r->err);
}

static char *
read_all (const char *path)
{
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
write_all (const char *path,
           const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Names in the work folder that start with a dot: temporary files. */
static guint
count_temporary_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (work_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] == '.')
      {
        g_test_message ("temporary file left: %s", name);
        n++;
      }
  return n;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *text = read_all (from);

  write_all (to, text);
}

/* ---- a file truncated while it is read ------------------------------------- */

static void
test_truncated_while_read (void)
{
  const char *preload = g_getenv ("COORDYN_TEST_PRELOAD");
  g_autofree char *model = work_path ("t.json");
  g_autoptr(GString) env_preload = g_string_new (preload);
  Result r = { 0 };

  if (preload == NULL || !g_file_test (preload, G_FILE_TEST_EXISTS))
    g_error ("COORDYN_TEST_PRELOAD does not name truncate-on-read.so (meson test sets it)");
  if (g_getenv ("LD_PRELOAD") != NULL)
    g_string_append_printf (env_preload, ":%s", g_getenv ("LD_PRELOAD"));

  /* The national model: 2.3 MB, several reads and pages past the 1000
   * bytes it is cut to.  Generated, so the test has its own copy. */
  run (&r, ARGS ("generate", "national", "-o", "t.json"));
  assert_status (&r, 0, NULL);
  result_clear (&r);

  for (guint k = 0; k < 2; k++)
    {
      const char *command = k == 0 ? "validate" : "run";

      if (k > 0)
        {
          run (&r, ARGS ("generate", "national", "-o", "t.json"));
          result_clear (&r);
        }
      /* the sanitizers' runtimes must come first; they then allow this */
      run_env (&r, ARGS ("LD_PRELOAD", env_preload->str, "COORDYN_TEST_TRUNCATE", model,
                         "COORDYN_TEST_TRUNCATE_TO", "1000",
                         "ASAN_OPTIONS", "verify_asan_link_order=0:detect_leaks=0"),
               k == 0 ? ARGS ("validate", "t.json") : ARGS ("run", "t.json", "-o", "/dev/null"));
      g_test_message ("%s", command);
      /* exit 135 (SIGBUS) when the file was mapped */
      assert_status (&r, 1, "t.json: the file changed while it was being read");
      result_clear (&r);
      {
        GStatBuf st;
        g_assert_cmpint (g_stat (model, &st), ==, 0);
        g_assert_cmpint (st.st_size, ==, 1000);   /* the preload did truncate it */
      }
    }
}

/* ---- not a regular file ---------------------------------------------------- */

static void
test_not_regular (void)
{
  g_autofree char *fifo = work_path ("f.json");
  g_autofree char *dir = work_path ("d.json");
  Result r = { 0 };
  gint64 start;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  /* `mkfifo f.json; coordyn-cli validate f.json` hung for ever */
  start = g_get_monotonic_time ();
  run (&r, ARGS ("validate", "f.json"));
  assert_status (&r, 1, "f.json: is not a regular file (it is a named pipe)");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
  result_clear (&r);
  run (&r, ARGS ("run", "d.json"));
  assert_status (&r, 1, "d.json: is a directory");
  result_clear (&r);
  run (&r, ARGS ("validate", "/dev/zero"));
  assert_status (&r, 1, "/dev/zero: is not a regular file (it is a character device)");
  result_clear (&r);
  g_unlink (fifo);
  g_rmdir (dir);
}

/* ---- an output that is the input ------------------------------------------- */

static void
test_output_is_input (void)
{
  /* Each command that reads a model and writes a file, with its output
   * option in place of the file to write. */
  static const char *const commands[][10] = {
    { "run", "m.json", "-o", "@" },
    { "equilibria", "m.json", "-o", "@" },
    { "sweep", "m.json", "gravity.interest", "0", "1", "2", "-o", "@" },
    { "sensitivity", "m.json", "-o", "@" },
    { "montecarlo", "m.json", "--runs", "2", "--seed", "1", "-o", "@" },
    { "montecarlo", "m.json", "--runs", "2", "--seed", "1", "--bands", "@" },
    { "compare", "m.json", "-o", "@" },
    { "metrics", "m.json", "-o", "@" },
    { "render", "m.json", "--format", "png", "-o", "@" },
    { "upgrade", "m.json", "-o", "@" },
    { "fit", "m.json", "m.json", "--param", "gravity.trust", "-o", "@" },
    { "fit", "m.json", "m.json", "--param", "gravity.trust", "--write-model", "@" },
    { "export", "m.json", "--format", "graphml", "-o", "@" },
    { "export", "m.json", "--format", "csv", "--nodes", "@", "--edges", "e.csv" },
  };
  static const char *const spellings[] = { "m.json", "./m.json", "link.json", "hard.json" };
  g_autofree char *model = work_path ("m.json");
  g_autofree char *soft = work_path ("link.json");
  g_autofree char *hard = work_path ("hard.json");
  g_autofree char *before = NULL;

  copy_file (example ("yangtze-river-delta.json"), model);
  before = read_all (model);
  g_assert_cmpint (symlink ("m.json", soft), ==, 0);
  g_assert_cmpint (link (model, hard), ==, 0);

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    for (guint s = 0; s < G_N_ELEMENTS (spellings); s++)
      {
        const char *argv[12] = { NULL };
        Result r = { 0 };
        g_autofree char *after = NULL;
        guint n = 0;

        for (; commands[c][n] != NULL; n++)
          argv[n] = strcmp (commands[c][n], "@") == 0 ? spellings[s] : commands[c][n];
        run (&r, argv);
        assert_status (&r, 2, "is the same file as m.json, which this command reads");
        result_clear (&r);
        after = read_all (model);
        g_assert_cmpstr (after, ==, before);
      }
  /* -o and --bands on one file */
  {
    Result r = { 0 };
    run (&r, ARGS ("montecarlo", "m.json", "--runs", "2", "--seed", "1", "-o", "x.csv",
                   "--bands", "./x.csv"));
    assert_status (&r, 2, "-o and --bands name the same file");
    result_clear (&r);
  }
  /* an import over its own input */
  {
    g_autofree char *graphml = work_path ("net.graphml");
    Result r = { 0 };

    write_all (graphml, "<graphml/>");
    run (&r, ARGS ("import", "--graphml", "net.graphml", "-o", "./net.graphml"));
    assert_status (&r, 2, "is the same file as net.graphml");
    result_clear (&r);
    g_unlink (graphml);
  }
  /* a shard merged over itself */
  {
    g_autofree char *shard = work_path ("shard.csv");
    Result r = { 0 };

    write_all (shard, "run,final_mean_coordination,total_loss\n0,0.5,1\n");
    run (&r, ARGS ("montecarlo-merge", "shard.csv", "-o", "shard.csv"));
    assert_status (&r, 2, "is the same file as shard.csv");
    result_clear (&r);
    g_unlink (shard);
  }
  g_unlink (soft);
  g_unlink (hard);
  g_unlink (model);
  g_assert_cmpuint (count_temporary_files (), ==, 0);
}

/* ---- output size ----------------------------------------------------------- */

static void
test_output_size (void)
{
  g_autofree char *out = work_path ("big.csv");
  g_autofree char *text = NULL;
  Result r = { 0 };

  write_all (out, "old\n");
  /* started writing about 470 GB */
  run (&r, ARGS ("run", example ("tutorial.json"), "--t-end", "4000", "--dt", "1e-6", "-o",
                 "big.csv"));
  assert_status (&r, 1, "the CSV would be about 480.0");
  g_assert_nonnull (strstr (r.err, "over the limit of 16.0"));
  g_assert_nonnull (strstr (r.err, "--max-output"));
  result_clear (&r);
  text = read_all (out);
  g_assert_cmpstr (text, ==, "old\n");
  g_clear_pointer (&text, g_free);

  /* a limit of its own, lower */
  run (&r, ARGS ("run", example ("tutorial.json"), "--max-output", "1K", "-o", "big.csv"));
  assert_status (&r, 1, "over the limit of 1.0");
  result_clear (&r);
  /* and higher: human sizes */
  run (&r, ARGS ("run", example ("tutorial.json"), "--max-output", "10G", "-o", "big.csv"));
  assert_status (&r, 0, NULL);
  result_clear (&r);
  text = read_all (out);
  g_assert_true (g_str_has_prefix (text, "t,mean_coordination,loss,"));

  /* a study of a hundred million runs (14 GB), and its bands */
  run (&r, ARGS ("montecarlo", example ("yangtze-river-delta.json"), "--runs", "100000000",
                 "--seed", "1", "--max-output", "1G", "-o", "/dev/null"));
  assert_status (&r, 1, "the CSV would be about 14.0");
  result_clear (&r);
  run (&r, ARGS ("montecarlo", example ("yangtze-river-delta.json"), "--runs", "10",
                 "--seed", "1", "--max-output", "2K", "--bands", "/dev/null", "-o", "/dev/null"));
  assert_status (&r, 1, "the bands would be about");
  result_clear (&r);
  /* an experiment of a hundred million runs (12 GB) */
  {
    g_autofree char *spec = work_path ("spec.json");
    g_autofree char *model = work_path ("exp-model.json");

    copy_file (example ("tutorial.json"), model);
    write_all (spec, "{ \"format\": \"coordyn-experiment\", \"version\": 1, "
                     "\"model\": \"exp-model.json\", \"vary\": { "
                     "\"resistance.law\": {\"from\": 0, \"to\": 1, \"steps\": 9999}, "
                     "\"thrust.info\": {\"from\": 0, \"to\": 2, \"steps\": 9999} }, "
                     "\"outputs\": [\"final_mean_coordination\", \"total_loss\"] }");
    run (&r, ARGS ("experiment", "spec.json", "--max-output", "1G", "-o", "/dev/null"));
    assert_status (&r, 1, "the CSV would be about");
    result_clear (&r);
    /* and the model it names is an input too */
    run (&r, ARGS ("experiment", "spec.json", "-o", "exp-model.json"));
    assert_status (&r, 2, "is the same file as");
    g_unlink (spec);
    g_unlink (model);
  }
  result_clear (&r);
  g_unlink (out);
}

/* ---- signals --------------------------------------------------------------- */

static void
test_signals (void)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  g_autofree char *out = work_path ("out.csv");

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(GSubprocess) proc = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      gint64 start;
      gboolean started = FALSE;

      write_all (out, "old\n");
      g_assert_cmpint (g_chmod (out, 0640), ==, 0);
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      g_subprocess_launcher_set_cwd (launcher, work_dir);
      /* about 8 GB if it were let finish */
      proc = g_subprocess_launcher_spawn (launcher, &error, cli (), "run",
                                          example ("tutorial.json"), "--t-end", "1000000",
                                          "--dt", "0.01", "-o", "out.csv", NULL);
      g_assert_no_error (error);
      /* Signalled once it is writing its temporary file. */
      start = g_get_monotonic_time ();
      while (!started && g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
        {
          g_autoptr(GDir) dir = g_dir_open (work_dir, 0, NULL);
          const char *name;

          while ((name = g_dir_read_name (dir)) != NULL)
            if (g_str_has_prefix (name, ".out.csv."))
              {
                g_autofree char *path = work_path (name);
                GStatBuf st;
                started = g_stat (path, &st) == 0 && st.st_size > 0;
              }
          g_usleep (10000);
        }
      g_assert_true (started);
      g_subprocess_send_signal (proc, signals[i]);
      g_subprocess_wait (proc, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("signal %d: exited %d", signals[i],
                      g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc)
                                                        : -1);
      g_assert_true (g_subprocess_get_if_exited (proc));
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 128 + signals[i]);
      text = read_all (out);
      g_assert_cmpstr (text, ==, "old\n");
      g_assert_cmpuint (count_temporary_files (), ==, 0);
    }
  g_unlink (out);
}

/* ---- option values --------------------------------------------------------- */

static void
test_option_values (void)
{
  static const struct { const char *argv[12]; const char *says; } cases[] = {
    { { "run", "@", "--dt", "nan" }, "--dt must be a number greater than 0, not “nan”" },
    { { "run", "@", "--dt", "0" }, "--dt must be a number greater than 0, not “0”" },
    { { "run", "@", "--dt", "-0.1" }, "--dt must be a number greater than 0" },
    { { "run", "@", "--dt", "" }, "--dt must be a number greater than 0, not “”" },
    /* decimal only, as in a model file: strtod read 0x10 as 16 */
    { { "run", "@", "--dt", "0x10" }, "--dt must be a number greater than 0, not “0x10”" },
    { { "run", "@", "--t-end", " 5" }, "--t-end must be a number greater than 0, not “ 5”" },
    { { "run", "@", "--t-end", "0" }, "--t-end must be a number greater than 0, not “0”" },
    { { "run", "@", "--t-end", "nan" }, "--t-end must be a number greater than 0" },
    { { "run", "@", "--t-end", "inf" }, "--t-end must be a number greater than 0, not “inf”" },
    { { "run", "@", "--t-end", "1e999" }, "--t-end is too large or too close to 0 for a number" },
    { { "run", "@", "--dt", "1e-400" }, "--dt is too large or too close to 0 for a number" },
    { { "run", "@", "--t-end", "5", "--dt", "10" }, "dt (10) must not exceed t_end (5)" },
    { { "run", "@", "-o", "" }, "-o needs a file name, not an empty one" },
    { { "run", "@", "--max-output", "0" }, "--max-output must be a size such as 500M" },
    { { "run", "@", "--max-output", "ten" }, "--max-output must be a size" },
    { { "run", "@", "--max-output", "-5G" }, "--max-output must be a size" },
    { { "run", "@", "--max-output", "10X" }, "--max-output must be a size" },
    { { "generate", "national", "--seed", "-1" }, "--seed must be between 0 and" },
    { { "generate", "national", "-o", "" }, "-o needs a file name" },
    { { "equilibria", "@", "--at", "nan" }, "--at must be a number ≥ 0, not “nan”" },
    { { "equilibria", "@", "--at", "-1" }, "--at must be a number ≥ 0" },
    { { "equilibria", "@", "--starts", "-5" }, "--starts must be from 0 to 100000" },
    { { "equilibria", "@", "--seed", "-1" }, "--seed ≥ 0" },
    { { "equilibria", "@", "-o", "" }, "-o needs a file name" },
    /* the option given, not one equilibria does not have */
    { { "equilibria", "@", "--preset", "column" }, "--preset goes with --figure FILE" },
    /* an SVG written into a.png */
    { { "render", "@", "--format", "svg", "-o", "a.png" },
      "-o a.png names a png file, but --format is svg" },
    { { "sweep", "@", "gravity.interest", "nan", "1", "5" }, "FROM and TO must be numbers" },
    { { "sweep", "@", "gravity.interest", "1e999", "1", "5" },
      "FROM is too large or too close to 0 for a number" },
    { { "sweep", "@", "gravity.interest", "0", "1e-400", "5" },
      "TO is too large or too close to 0 for a number" },
    { { "sweep", "@", "gravity.interest", "0", "1", "0" }, "STEPS must be a whole number" },
    { { "sweep", "@", "gravity.interest", "0", "1", "5", "--at", "inf" }, "--at must be" },
    { { "sensitivity", "@", "--delta", "nan" }, "--delta must be a number greater than 0" },
    { { "sensitivity", "@", "--delta", "2" }, "--delta must be in (0, 1]" },
    { { "sensitivity", "@", "--sobol", "0" }, "--sobol must be from 2 to" },
    { { "sensitivity", "@", "--threads", "0" }, "--threads must be from 1 to 4096" },
    { { "montecarlo", "@", "--runs", "0", "--seed", "1" }, "--runs must be a whole number" },
    { { "montecarlo", "@", "--runs", "5", "--seed", "-1" }, "--seed must be a whole number" },
    { { "montecarlo", "@", "--runs", "5", "--seed", "1", "--threads", "0" },
      "--threads must be from 1 to 4096" },
    { { "montecarlo", "@", "--runs", "5", "--seed", "1", "--shard", "0/2" },
      "--shard must be K/N" },
    { { "montecarlo", "@", "--runs", "5", "--seed", "1", "--bands", "" },
      "--bands needs a file name" },
    { { "montecarlo", "@", "--runs", "5", "--seed", "1", "--max-output", "nan" },
      "--max-output must be a size" },
    { { "render", "@", "--time", "nan", "-o", "x.png" }, "--time must be a number ≥ 0" },
    { { "render", "@", "--time", "-1", "-o", "x.png" }, "--time must be a number ≥ 0" },
    { { "render", "@", "--width", "0", "-o", "x.png" }, "--width and --height must be" },
    { { "render", "@", "--scale", "nan", "-o", "x.png" }, "--scale must be 0.1 to 10" },
    { { "render", "@", "-o", "" }, "-o needs a file name" },
    { { "compare", "@", "-o", "" }, "-o needs a file name" },
    { { "metrics", "@", "-o", "" }, "-o needs a file name" },
    { { "montecarlo-merge", "@", "-o", "" }, "-o needs a file name" },
    { { "merge", "@", "--bands", "" }, "--bands needs a file name" },
    { { "upgrade", "@", "-o", "" }, "say where to write the upgraded model" },
    { { "fit", "@", "@", "--param", "gravity.trust", "--starts", "0" },
      "--starts must be from 1 to" },
    { { "fit", "@", "@", "--param", "gravity.trust", "--write-model", "" },
      "--write-model needs a file name" },
    { { "import", "--graphml", "@", "--version", "0" }, "--version must be 1 or 2" },
    { { "export", "@", "--format", "graphml", "-o", "" }, "-o needs a file name" },
    { { "experiment", "@", "--threads", "0" }, "--threads must be from 1 to 4096" },
    /* GLib took --FLAG=VALUE as --FLAG: --forces=no turned the forces on */
    { { "run", "@", "--forces=no" }, "--forces takes no value: give --forces alone" },
    { { "run", "@", "--trust=" }, "--trust takes no value" },
    { { "render", "@", "--no-legend=false", "-o", "x.png" }, "--no-legend takes no value" },
    { { "sweep", "@", "gravity.interest", "0", "1", "5", "--all=0" }, "--all takes no value" },
    /* - wrote a file named "-" (render, upgrade, fit --write-model), or two
     * outputs went to standard output one into the other */
    { { "render", "@", "--format", "png", "-o", "-" }, "-o -: this is written to a file only" },
    { { "upgrade", "@", "-o", "-" }, "-o -: this is written to a file only" },
    { { "fit", "@", "@", "--param", "gravity.trust", "--write-model", "-" },
      "--write-model -: this is written to a file only" },
    { { "montecarlo", "@", "--runs", "5", "--seed", "1", "--bands", "-" },
      "-o and --bands would both write to standard output" },
    { { "export", "@", "--format", "csv", "--nodes", "-", "--edges", "-" },
      "--nodes and --edges would both write to standard output" },
    /* 'the kind of model must be national or hierarchy' for a second one */
    { { "generate", "national", "national" }, "unexpected argument \"national\"" },
    /* a value that is not text: GLib's reason did not name the option */
    { { "run", "@", "--dt", "\xff" }, "the value of --dt is not text in the encoding" },
    { { "run", "@", "--institution=a\xfe" }, "the value of --institution is not text" },
    /* a negative number, which GLib takes for an option: how to give it */
    { { "sweep", "@", "gravity.interest", "1", "-1", "5" },
      "to give the negative number -1, put -- before the arguments" },
  };
  const char *model = example ("tutorial.json");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[13] = { NULL };
      Result r = { 0 };

      for (guint k = 0; cases[i].argv[k] != NULL; k++)
        argv[k] = strcmp (cases[i].argv[k], "@") == 0 ? model : cases[i].argv[k];
      run (&r, argv);
      assert_status (&r, 2, cases[i].says);
      g_assert_nonnull (strstr (r.err, "--help"));
      result_clear (&r);
    }
  g_assert_cmpuint (count_temporary_files (), ==, 0);
}

/* An output in a folder that is not there: found before the work (fit ran
 * to the end, then could not write), exit status 1 as before. */
static void
test_missing_folder (void)
{
  static const struct { const char *argv[12]; const char *says; } cases[] = {
    { { "fit", "Y", "O", "--param", "gravity.trust", "--write-model", "nodir/m.json" },
      "coordyn-cli fit: --write-model nodir/m.json: there is no folder nodir" },
    { { "fit", "Y", "O", "--param", "gravity.trust", "-o", "nodir/f.csv" },
      "coordyn-cli fit: -o nodir/f.csv: there is no folder nodir" },
    { { "thesis", "1", "-o", "nodir/t.csv" }, "-o nodir/t.csv: there is no folder nodir" },
    { { "thesis", "1", "--figure", "nodir/t.png" }, "--figure nodir/t.png: there is no folder" },
    { { "run", "@", "-o", "nodir/x.csv" }, "-o nodir/x.csv: there is no folder nodir" },
  };
  g_autofree char *model = g_strdup (example ("tutorial.json"));
  g_autofree char *yangtze = g_strdup (example ("yangtze-river-delta.json"));
  g_autofree char *observed = g_strdup (example ("fit/yangtze-synthetic-observed.csv"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *argv[13] = { NULL };
      Result r = { 0 };

      for (guint k = 0; cases[i].argv[k] != NULL; k++)
        {
          const char *a = cases[i].argv[k];

          argv[k] = strcmp (a, "@") == 0 ? model : strcmp (a, "Y") == 0 ? yangtze
                    : strcmp (a, "O") == 0 ? observed : a;
        }
      run (&r, argv);
      assert_status (&r, 1, cases[i].says);
      /* nothing was computed: fit prints its summary only after the fit */
      g_assert_null (strstr (r.err, "observations"));
      result_clear (&r);
    }
}

/* ---- a full disk ------------------------------------------------------------ */

static void
stdout_to_dev_full (gpointer data)
{
  int fd = open ("/dev/full", O_WRONLY);

  if (fd >= 0)
    dup2 (fd, STDOUT_FILENO);
}

/* Runs coordyn-cli with its standard output on /dev/full. */
static void
run_to_full (Result             *r,
             const char * const *argv)
{
  spawn_cli (r, NULL, argv, stdout_to_dev_full);
}

/* What a command prints last stayed in the buffer until exit, where a full
 * disk lost it with exit status 0 (validate, thesis --list, --help); and
 * export named no file when it could not write one. */
static void
test_full_disk (void)
{
  const char *model = example ("tutorial.json");
  const char *const *cases[] = {
    ARGS ("validate", model),
    ARGS ("thesis", "--list"),
    ARGS ("--help"),
    ARGS ("--version"),
    ARGS ("run", "--help"),
    ARGS ("export", model, "--format", "graphml"),
    ARGS ("run", model, "--t-end", "1"),
  };
  Result r = { 0 };

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      run_to_full (&r, cases[i]);
      /* GLib writes --help itself, and the reason is gone by exit */
      assert_status (&r, 1, i == 4 ? "coordyn-cli: could not write to standard output"
                                   : "standard output: No space left on device");
      /* said once */
      g_assert_null (strstr (strstr (r.err, "standard output") + 1, "standard output"));
      result_clear (&r);
    }
  /* run named the model for its output's failure, small (when it is
   * closed) or large (as it is written) */
  run (&r, ARGS ("run", model, "-o", "/dev/full"));
  assert_status (&r, 1, "coordyn-cli run: /dev/full: No space left on device");
  result_clear (&r);
  run (&r, ARGS ("run", model, "--dt", "0.0001", "-o", "/dev/full"));
  assert_status (&r, 1, "coordyn-cli run: /dev/full: could not write the output: No space");
  result_clear (&r);
  /* thesis said "full.png: full.png: No space left on device" */
  {
    g_autofree char *link = work_path ("full.png");

    g_assert_cmpint (symlink ("/dev/full", link), ==, 0);
    run (&r, ARGS ("thesis", "1", "--figure", "full.png", "-o", "/dev/null"));
    assert_status (&r, 1, "coordyn-cli thesis: full.png: No space left on device");
    result_clear (&r);
    g_unlink (link);
  }
  run (&r, ARGS ("export", model, "--format", "graphml", "-o", "/dev/full"));
  assert_status (&r, 1, "coordyn-cli export: /dev/full: No space left on device");
  result_clear (&r);
  run (&r, ARGS ("export", model, "--format", "csv", "--nodes", "n.csv", "--edges", "/dev/full"));
  assert_status (&r, 1, "coordyn-cli export: /dev/full: No space left on device");
  result_clear (&r);
  {
    g_autofree char *nodes = work_path ("n.csv");

    g_assert_false (g_file_test (nodes, G_FILE_TEST_EXISTS));
  }
}

/* ---- progress on a terminal ------------------------------------------------ */

static void
stderr_to_terminal (gpointer data)
{
  int fd = open (data, O_RDWR | O_NOCTTY);

  if (fd >= 0)
    dup2 (fd, STDERR_FILENO);
}

/* Runs coordyn-cli with its standard error on a terminal; what it wrote
 * there into *shown. */
static void
run_on_terminal (Result             *r,
                 const char * const *argv,
                 char              **shown)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  GString *text = g_string_new (NULL);
  int wait_status = 0;
  int master = posix_openpt (O_RDWR | O_NOCTTY);
  char buffer[4096];
  ssize_t n;

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");
  g_ptr_array_add (args, (gpointer) cli ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  /* what it writes there (a few lines of percentages) fits the terminal's buffer */
  g_spawn_sync (work_dir, (char **) args->pdata, envp, G_SPAWN_CHILD_INHERITS_STDERR,
                stderr_to_terminal, ptsname (master), &r->out, NULL, &wait_status, &error);
  g_assert_no_error (error);
  r->status = WIFSIGNALED (wait_status) ? 128 + WTERMSIG (wait_status)
                                        : WEXITSTATUS (wait_status);
  g_assert_cmpint (fcntl (master, F_SETFL, O_NONBLOCK), ==, 0);
  while ((n = read (master, buffer, sizeof buffer)) > 0)
    g_string_append_len (text, buffer, n);
  close (master);
  r->err = g_strdup ("");
  *shown = g_string_free (text, FALSE);
}

/* Montecarlo, sensitivity, compare and thesis ran for minutes without a
 * sign of progress; on a terminal they show a percentage, as experiment
 * does, and nothing when standard error is a file or a pipe. */
static void
test_progress (void)
{
  g_autofree char *model = g_strdup (example ("yangtze-river-delta.json"));
  const char *const *cases[] = {
    ARGS ("montecarlo", model, "--runs", "40", "--seed", "1", "-o", "/dev/null"),
    ARGS ("sensitivity", model, "-o", "/dev/null"),
    ARGS ("sensitivity", model, "--sobol", "4", "-o", "/dev/null"),
    ARGS ("compare", model, "-o", "/dev/null"),
    ARGS ("thesis", "1", "-o", "/dev/null"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = NULL;
      Result r = { 0 };

      run_on_terminal (&r, cases[i], &shown);
      g_test_message ("%s: %s", cases[i][0], shown);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (shown, " % done"));
      /* the line is cleared at the end */
      g_assert_nonnull (strstr (shown, "\r\033[K"));
      result_clear (&r);
      run (&r, cases[i]);
      assert_status (&r, 0, NULL);
      g_assert_cmpstr (r.err, ==, "");
      result_clear (&r);
    }
}

/* In the user's language, like every message. */
static void
test_option_values_translated (void)
{
  static const char *const envs[] = { "LANGUAGE", "zh_CN", NULL };
  Result r = { 0 };

  run_env (&r, envs, ARGS ("run", example ("tutorial.json"), "--dt", "nan"));
  g_test_message ("%s", r.err);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_null (strstr (r.err, "must be a number"));
  g_assert_nonnull (strstr (r.err, "--dt"));
  result_clear (&r);
}

/* ---- replacing an output --------------------------------------------------- */

static void
test_replace_keeps_mode_and_link (void)
{
  g_autofree char *out = work_path ("private.csv");
  g_autofree char *target = work_path ("target.csv");
  g_autofree char *link = work_path ("link.csv");
  g_autofree char *model = work_path ("saved.json");
  g_autofree char *model_link = work_path ("model-link.json");
  g_autofree char *text = NULL;
  GStatBuf st;
  Result r = { 0 };

  /* a mode-600 file became 644 */
  write_all (out, "old\n");
  g_assert_cmpint (g_chmod (out, 0600), ==, 0);
  run (&r, ARGS ("run", example ("tutorial.json"), "-o", "private.csv"));
  assert_status (&r, 0, NULL);
  result_clear (&r);
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  text = read_all (out);
  g_assert_true (g_str_has_prefix (text, "t,"));
  g_clear_pointer (&text, g_free);

  /* a symbolic link became a regular file */
  write_all (target, "old\n");
  g_assert_cmpint (g_chmod (target, 0640), ==, 0);
  g_assert_cmpint (symlink ("target.csv", link), ==, 0);
  run (&r, ARGS ("run", example ("tutorial.json"), "-o", "link.csv"));
  assert_status (&r, 0, NULL);
  result_clear (&r);
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (target, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  text = read_all (target);
  g_assert_true (g_str_has_prefix (text, "t,"));
  g_clear_pointer (&text, g_free);

  /* and a saved model (generate -o, the app's Save) the same */
  write_all (model, "{}");
  g_assert_cmpint (g_chmod (model, 0600), ==, 0);
  g_assert_cmpint (symlink ("saved.json", model_link), ==, 0);
  run (&r, ARGS ("generate", "national", "-o", "model-link.json"));
  assert_status (&r, 0, NULL);
  result_clear (&r);
  g_assert_cmpint (g_lstat (model_link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (g_stat (model, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpint (st.st_size, >, 1000000);

  g_assert_cmpuint (count_temporary_files (), ==, 0);
  g_unlink (out);
  g_unlink (link);
  g_unlink (target);
  g_unlink (model_link);
  g_unlink (model);
}

/* ---- bounded time ---------------------------------------------------------- */

static double
children_cpu_s (void)
{
  struct rusage ru;

  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &ru), ==, 0);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec
         + ru.ru_stime.tv_usec / 1e6;
}

static void
test_absurd_national_run (void)
{
  g_autofree char *model = work_path ("absurd.json");
  g_autofree char *text = NULL;
  g_autoptr(GString) absurd = NULL;
  Result r = { 0 };
  double before;
  gint64 start;

  run (&r, ARGS ("generate", "national", "-o", "absurd.json"));
  assert_status (&r, 0, NULL);
  result_clear (&r);
  text = read_all (model);
  absurd = g_string_new (text);
  /* an adjustment rate a million times the national model's */
  g_assert_cmpuint (g_string_replace (absurd, "\"rate\": 1,", "\"rate\": 1e6,", 1), ==, 1);
  write_all (model, absurd->str);

  before = children_cpu_s ();
  start = g_get_monotonic_time ();
  run (&r, ARGS ("run", "absurd.json", "-o", "/dev/null"));
  g_test_message ("%.2f s of processor time, %.2f s in all",
                  children_cpu_s () - before, (g_get_monotonic_time () - start) / 1e6);
  assert_status (&r, 1, "steps to reach");
  result_clear (&r);
  /* Processor time, which the machine's load stretches little: a guard
   * against the old 200,000,000-step budget (hours), not a speed check.
   * The budget takes ≈ 10 s of an idle core; AddressSanitizer on a loaded
   * machine took 85 s (2026-12-05), hence the wide margin. */
  g_assert_cmpfloat (children_cpu_s () - before, <, 300.0);
  g_unlink (model);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  work_dir = g_dir_make_tmp ("coordyn-hostile-cli-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/robustness/hostile-cli/truncated-while-read", test_truncated_while_read);
  g_test_add_func ("/robustness/hostile-cli/not-regular", test_not_regular);
  g_test_add_func ("/robustness/hostile-cli/output-is-input", test_output_is_input);
  g_test_add_func ("/robustness/hostile-cli/output-size", test_output_size);
  g_test_add_func ("/robustness/hostile-cli/signals", test_signals);
  g_test_add_func ("/robustness/hostile-cli/option-values", test_option_values);
  g_test_add_func ("/robustness/hostile-cli/missing-folder", test_missing_folder);
  g_test_add_func ("/robustness/hostile-cli/full-disk", test_full_disk);
  g_test_add_func ("/robustness/hostile-cli/progress", test_progress);
  g_test_add_func ("/robustness/hostile-cli/option-values-translated",
                   test_option_values_translated);
  g_test_add_func ("/robustness/hostile-cli/replace-keeps-mode-and-link",
                   test_replace_keeps_mode_and_link);
  g_test_add_func ("/robustness/hostile-cli/absurd-national-run", test_absurd_national_run);

  status = g_test_run ();
  {
    g_autoptr(GDir) dir = g_dir_open (work_dir, 0, NULL);
    const char *name;
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = work_path (name);
        g_unlink (path);
      }
    g_rmdir (work_dir);
  }
  return status;
}
