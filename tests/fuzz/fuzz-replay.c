/* fuzz-replay.c — runs the fuzz target on files, without libFuzzer.
 *
 * Built when fuzzing is off, so that the seed corpus and every input that
 * once crashed (tests/fuzz/regressions/) are re-checked by the ordinary
 * `meson test`, with whatever sanitizers the build has.  Arguments are
 * files or directories; output is TAP, one line per file.  Each input runs
 * in a child process, so one broken invariant (an abort) names its file
 * and the others still run.
 *
 * Paths after `--known-bugs` hold inputs for bugs found but not fixed yet
 * (each directory has a README saying which): those must still fail, as
 * TAP TODO items; one that passes is reported as a failure so that it gets
 * moved to regressions/ and stays fixed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
collect (const char *path,
         GPtrArray  *files,
         GString    *problems)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return TRUE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_string_append_printf (problems, "%s: no such file or directory\n", path);
      return FALSE;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = g_build_filename (path, name, NULL);
      /* READMEs describe a folder; they are not inputs. */
      if (name[0] != '.' && g_strcmp0 (name, "README.md") != 0
          && g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (files, g_steal_pointer (&full));
    }
  return TRUE;
}

typedef struct
{
  char     *path;
  gboolean  known_bug;
} Input;

static void
input_free (gpointer p)
{
  Input *in = p;
  g_free (in->path);
  g_free (in);
}

static int
compare_inputs (gconstpointer a,
                gconstpointer b)
{
  const Input *x = *(Input *const *) a, *y = *(Input *const *) b;
  if (x->known_bug != y->known_bug)
    return x->known_bug ? 1 : -1;
  return g_strcmp0 (x->path, y->path);
}

/* Runs one input in a child; returns TRUE when every invariant held. */
static gboolean
replay_one (const char *path,
            GString    *why)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  pid_t pid;
  int status;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      g_string_assign (why, error->message);
      return FALSE;
    }
  fflush (stdout);
  fflush (stderr);
  pid = fork ();
  if (pid < 0)
    {
      g_string_assign (why, "could not fork");
      return FALSE;
    }
  if (pid == 0)
    {
      LLVMFuzzerTestOneInput ((const uint8_t *) data, len);
      g_clear_pointer (&data, g_free);
      /* exit(), not _exit(): LeakSanitizer checks the child at exit. */
      exit (0);
    }
  if (waitpid (pid, &status, 0) < 0)
    {
      g_string_assign (why, "lost the child process");
      return FALSE;
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return TRUE;
  if (WIFSIGNALED (status))
    g_string_printf (why, "killed by signal %d (see the message above)", WTERMSIG (status));
  else
    g_string_printf (why, "exited with status %d (see the message above)",
                     WEXITSTATUS (status));
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (input_free);
  g_autoptr(GString) problems = g_string_new (NULL);
  gboolean ok = TRUE, known_bugs = FALSE;
  guint n_inputs = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

      if (g_strcmp0 (argv[i], "--known-bugs") == 0)
        {
          known_bugs = TRUE;
          continue;
        }
      ok = collect (argv[i], files, problems) && ok;
      for (guint j = 0; j < files->len; j++)
        {
          Input *in = g_new0 (Input, 1);
          in->path = g_steal_pointer (&files->pdata[j]);
          in->known_bug = known_bugs;
          g_ptr_array_add (inputs, in);
          n_inputs += !known_bugs;
        }
    }
  g_ptr_array_sort (inputs, compare_inputs);

  printf ("TAP version 13\n");
  if (!ok || n_inputs == 0)
    {
      /* A replay with nothing to replay would pass while checking nothing. */
      printf ("1..1\nnot ok 1 - inputs to replay\n# %s# found %u inputs\n",
              problems->str, n_inputs);
      return 1;
    }
  printf ("1..%u\n", inputs->len);
  for (guint i = 0; i < inputs->len; i++)
    {
      const Input *in = inputs->pdata[i];
      g_autoptr(GString) why = g_string_new (NULL);
      gboolean passed;

      printf ("# %s\n", in->path);
      passed = replay_one (in->path, why);
      if (in->known_bug && passed)
        {
          printf ("not ok %u - %s: a known bug no longer shows; move the input to "
                  "tests/fuzz/regressions/\n", i + 1, in->path);
          ok = FALSE;
        }
      else if (in->known_bug)
        printf ("not ok %u - %s # TODO known bug, not fixed yet: %s\n", i + 1, in->path,
                why->str);
      else if (passed)
        printf ("ok %u - %s\n", i + 1, in->path);
      else
        {
          printf ("not ok %u - %s: %s\n", i + 1, in->path, why->str);
          ok = FALSE;
        }
    }
  return ok ? 0 : 1;
}
