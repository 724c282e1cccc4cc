/* test-cli-split.c — coordyn-cli loads only what its own commands need, and
 * still runs every other command through coordyn-cli-analysis or
 * coordyn-cli-graphics.
 *
 * run, validate, upgrade and generate must start fast when a script calls
 * them thousands of times, so coordyn-cli must need neither cairo, pango
 * nor igraph (nor GTK), nor GIO, json-glib or NLopt, and the analyses
 * should start without the drawing libraries: the first tests read the
 * ELF NEEDED entries of the three executables (parsed here, so the check
 * needs no binutils) and name every library that should not be there.
 * The others copy the executables into a staged installation (bin/ and
 * libexec/coordyn/ under a temporary folder, as `meson install --destdir`
 * lays them out) and check that coordyn-cli finds its helpers there — for
 * their commands, and for a model file only json-glib can word — and says
 * which file it looked for when a helper is missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <elf.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>

#if GLIB_SIZEOF_VOID_P == 8
typedef Elf64_Ehdr Ehdr;
typedef Elf64_Shdr Shdr;
typedef Elf64_Dyn Dyn;
#define NATIVE_CLASS ELFCLASS64
#else
typedef Elf32_Ehdr Ehdr;
typedef Elf32_Shdr Shdr;
typedef Elf32_Dyn Dyn;
#define NATIVE_CLASS ELFCLASS32
#endif

static const char *
env_executable (const char *variable)
{
  const char *path = g_getenv (variable);

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("%s is not set to an executable (got %s); run through 'meson test', which sets it",
             variable, path ? path : "nothing");
  return path;
}

/* The DT_NEEDED names of an executable built for this machine: the dynamic
 * section's entries, whose names are in the string table its header links to. */
static GPtrArray *
elf_needed (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GPtrArray) needed = g_ptr_array_new_with_free_func (g_free);
  gsize size = 0;
  const Ehdr *eh;
  gboolean found_dynamic = FALSE;

  g_file_get_contents (path, &data, &size, &error);
  g_assert_no_error (error);
  eh = (const Ehdr *) data;
  if (size < sizeof *eh || memcmp (eh->e_ident, ELFMAG, SELFMAG) != 0
      || eh->e_ident[EI_CLASS] != NATIVE_CLASS)
    g_error ("%s is not an ELF executable of this machine's class", path);
  if (eh->e_shoff == 0 || eh->e_shentsize != sizeof (Shdr)
      || eh->e_shoff + (guint64) eh->e_shnum * sizeof (Shdr) > size)
    g_error ("%s: no readable section headers", path);

  for (guint i = 0; i < eh->e_shnum; i++)
    {
      const Shdr *sh = (const Shdr *) (data + eh->e_shoff) + i;
      const Shdr *strtab;

      if (sh->sh_type != SHT_DYNAMIC)
        continue;
      found_dynamic = TRUE;
      g_assert_cmpuint (sh->sh_link, <, eh->e_shnum);
      strtab = (const Shdr *) (data + eh->e_shoff) + sh->sh_link;
      g_assert_cmpuint (sh->sh_offset + sh->sh_size, <=, size);
      g_assert_cmpuint (strtab->sh_offset + strtab->sh_size, <=, size);
      for (const Dyn *d = (const Dyn *) (data + sh->sh_offset);
           (const char *) (d + 1) <= data + sh->sh_offset + sh->sh_size && d->d_tag != DT_NULL;
           d++)
        if (d->d_tag == DT_NEEDED)
          {
            g_assert_cmpuint (d->d_un.d_val, <, strtab->sh_size);
            g_ptr_array_add (needed, g_strndup (data + strtab->sh_offset + d->d_un.d_val,
                                                strtab->sh_size - d->d_un.d_val));
          }
    }
  if (!found_dynamic)
    g_error ("%s has no dynamic section: not a dynamically linked executable", path);
  return g_steal_pointer (&needed);
}

static char *
join_names (GPtrArray *names)
{
  g_ptr_array_add (names, NULL);
  g_ptr_array_set_size (names, names->len - 1);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* The entries of NEEDED that start with one of the prefixes up to NULL. */
static GPtrArray *
matching (GPtrArray  *needed,
          const char *const *prefixes)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < needed->len; i++)
    for (guint k = 0; prefixes[k] != NULL; k++)
      if (g_str_has_prefix (g_ptr_array_index (needed, i), prefixes[k]))
        {
          g_ptr_array_add (found, g_ptr_array_index (needed, i));
          break;
        }
  return found;
}

static const char *const graphics_libraries[] = {
  "libcairo", "libpango", "libigraph", "libgtk", "libadwaita", "libgdk", "libharfbuzz",
  "libfreetype", "libfontconfig", "libpng", "libblas", "liblapack", "libglpk", "libxml2",
  "libstdc++", "libgfortran", NULL
};

/* What only the helper's commands use (cd-gio-glue.h says how coordyn-cli
 * does without GIO and json-glib). */
static const char *const helper_only_libraries[] = {
  "libgio", "libgobject", "libjson-glib", "libnlopt", "libmount", "libselinux", "libblkid",
  "libffi", "libgmodule", NULL
};

/* Fails the test, naming them, if `program` needs any of `libraries`. */
static void
fail_if_needed (const char        *program,
                GPtrArray         *needed,
                const char *const *libraries,
                const char        *why)
{
  g_autoptr(GPtrArray) found = matching (needed, libraries);

  if (found->len > 0)
    {
      g_autofree char *names = join_names (found);
      g_test_fail_printf ("%s needs %s: %s", program, names, why);
    }
}

static void
test_cli_libraries (void)
{
  const char *cli = env_executable ("COORDYN_CLI");
  g_autoptr(GPtrArray) needed = elf_needed (cli);
  g_autoptr(GPtrArray) libc = matching (needed, (const char *const[]) { "libc.so", NULL });
  g_autofree char *all = join_names (needed);

  g_test_message ("%s needs: %s", cli, all);
  /* The parser works: the C library is there (GLib and GSL may be linked
   * in statically, src/cli/meson.build). */
  g_assert_cmpuint (libc->len, ==, 1);
  fail_if_needed ("coordyn-cli", needed, graphics_libraries,
                  "one of its commands references drawing or graph code (these belong in "
                  "coordyn-cli-graphics)");
  fail_if_needed ("coordyn-cli", needed, helper_only_libraries,
                  "one of its commands reaches GIO, json-glib or NLopt other than through "
                  "cd-gio-glue.h");
}

static void
test_analysis_libraries (void)
{
  const char *helper = env_executable ("COORDYN_CLI_ANALYSIS");
  g_autoptr(GPtrArray) needed = elf_needed (helper);
  g_autoptr(GPtrArray) json = matching (needed, (const char *const[]) { "libjson-glib", NULL });
  g_autofree char *all = join_names (needed);

  g_test_message ("%s needs: %s", helper, all);
  g_assert_cmpuint (json->len, ==, 1);
  fail_if_needed ("coordyn-cli-analysis", needed, graphics_libraries,
                  "an analysis references drawing or graph code (these belong in "
                  "coordyn-cli-graphics)");
}

static void
test_graphics_libraries (void)
{
  const char *helper = env_executable ("COORDYN_CLI_GRAPHICS");
  g_autoptr(GPtrArray) needed = elf_needed (helper);
  g_autoptr(GPtrArray) cairo = matching (needed, (const char *const[]) { "libcairo", NULL });
  g_autoptr(GPtrArray) igraph = matching (needed, (const char *const[]) { "libigraph", NULL });
  g_autofree char *all = join_names (needed);

  /* The split is where the tests above assume it is, and the parser sees
   * the libraries it must not find in coordyn-cli. */
  g_test_message ("%s needs: %s", helper, all);
  g_assert_cmpuint (cairo->len, ==, 1);
  g_assert_cmpuint (igraph->len, ==, 1);
}

typedef struct
{
  char *root;
  char *cli;
  char *graphics;
  char *analysis;
  char *lenient;   /* a model whose syntax error json-glib words */
} Staged;

static void
copy_executable (const char *from,
                 const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *dir = g_path_get_dirname (to);
  gsize size = 0;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_get_contents (from, &data, &size, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, data, size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (to, 0755), ==, 0);
}

/* bin/coordyn-cli and, with_helpers, libexec/coordyn/coordyn-cli-graphics
 * and coordyn-cli-analysis in a temporary folder, laid out as configured
 * (CLI_BINDIR, CLI_LIBEXECDIR). */
static void
stage (Staged  *s,
       gboolean with_helpers)
{
  g_autoptr(GError) error = NULL;

  s->root = g_dir_make_tmp ("coordyn-cli-split-XXXXXX", &error);
  g_assert_no_error (error);
  s->cli = g_build_filename (s->root, CLI_BINDIR, "coordyn-cli", NULL);
  s->graphics = g_build_filename (s->root, CLI_LIBEXECDIR, "coordyn-cli-graphics", NULL);
  s->analysis = g_build_filename (s->root, CLI_LIBEXECDIR, "coordyn-cli-analysis", NULL);
  copy_executable (env_executable ("COORDYN_CLI"), s->cli);
  if (with_helpers)
    {
      copy_executable (env_executable ("COORDYN_CLI_GRAPHICS"), s->graphics);
      copy_executable (env_executable ("COORDYN_CLI_ANALYSIS"), s->analysis);
    }
  s->lenient = g_build_filename (s->root, "lenient.json", NULL);
  g_file_set_contents (s->lenient, "{\"nodes\": [1 2]}", -1, &error);
  g_assert_no_error (error);
}

/* Removes a folder this test made and everything in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        if (g_file_test (child, G_FILE_TEST_IS_DIR)
            && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
unstage (Staged *s)
{
  remove_tree (s->root);
  g_free (s->root);
  g_free (s->cli);
  g_free (s->graphics);
  g_free (s->analysis);
  g_free (s->lenient);
}

/* Runs ARGV (NULL-terminated); returns the exit status. */
static int
run (const char *const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static char *
example (const char *name)
{
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");

  if (dir == NULL)
    g_error ("COORDYN_EXAMPLES_DIR is not set; run through 'meson test', which sets it");
  return g_build_filename (dir, name, NULL);
}

static void
test_staged_finds_helper (void)
{
  Staged s = { 0 };
  g_autofree char *model = example ("tutorial.json");
  g_autofree char *png = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *data = NULL;
  gsize size = 0;

  stage (&s, TRUE);
  png = g_build_filename (s.root, "out.png", NULL);

  g_assert_cmpint (run ((const char *const[]) { s.cli, "metrics", model, NULL }, &out, &err),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "id,"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run ((const char *const[]) { s.cli, "render", model, "-o", png, "--width",
                                                "200", "--height", "100", NULL }, &out, &err),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_file_get_contents (png, &data, &size, NULL));
  g_assert_cmpuint (size, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* An analysis with --figure is run by the helper, which draws its chart;
   * its CSV is the one coordyn-cli writes itself. */
  g_assert_cmpint (run ((const char *const[]) { s.cli, "compare", model, "--figure", png,
                                                NULL }, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "scenario,"));
  g_clear_pointer (&data, g_free);
  g_assert_true (g_file_get_contents (png, &data, &size, NULL));
  g_assert_cmpuint (size, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* An analysis without --figure is coordyn-cli-analysis's. */
  g_assert_cmpint (run ((const char *const[]) { s.cli, "compare", model, NULL }, &out, &err),
                   ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "scenario,"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A file the strict parser does not take is read again by
   * coordyn-cli-analysis, whose json-glib words the error, with
   * coordyn-cli's name and status. */
  g_assert_cmpint (run ((const char *const[]) { s.cli, "validate", s.lenient, NULL },
                        &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_test_message ("stderr: %s", err);
  g_assert_nonnull (strstr (err, "line 1, column 12: unexpected number `1', expected "
                                 "character `,'"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A usage error comes from the helper with coordyn-cli's words and status. */
  g_assert_cmpint (run ((const char *const[]) { s.cli, "render", model, NULL }, &out, &err),
                   ==, 2);
  g_assert_nonnull (strstr (err, "coordyn-cli render: -o FILE is required"));
  g_assert_nonnull (strstr (err, "Try 'coordyn-cli render --help'."));

  unstage (&s);
}

static void
test_staged_missing_helper (void)
{
  Staged s = { 0 };
  g_autofree char *model = example ("tutorial.json");
  g_autofree char *out = NULL, *err = NULL;

  /* Without a helper beside it, coordyn-cli falls back to the configured
   * installation, which would make this test pass for the wrong reason. */
  if (g_file_test (CLI_GRAPHICS_INSTALLED, G_FILE_TEST_EXISTS)
      || g_file_test (CLI_ANALYSIS_INSTALLED, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("SKIP: coordyn-cli's helpers are installed on this machine, so a staged "
                   "coordyn-cli without them would still find them");
      g_printerr ("SKIP: %s or %s is installed: the missing-helper case cannot be tested\n",
                  CLI_GRAPHICS_INSTALLED, CLI_ANALYSIS_INSTALLED);
      return;
    }
  stage (&s, FALSE);
  g_assert_cmpint (run ((const char *const[]) { s.cli, "metrics", model, NULL }, &out, &err),
                   ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_test_message ("stderr: %s", err);
  g_assert_true (g_str_has_prefix (err, "coordyn-cli metrics: " CLI_GRAPHICS_INSTALLED ": "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* coordyn-cli's own commands need no helper on plain JSON, but the
   * analyses and a file only json-glib can word need coordyn-cli-analysis,
   * and a figure coordyn-cli-graphics. */
  g_assert_cmpint (run ((const char *const[]) { s.cli, "validate", model, NULL }, &out, &err),
                   ==, 0);
  g_assert_true (g_str_has_prefix (out, "ok:"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char *const[]) { s.cli, "compare", model, NULL }, &out, &err),
                   ==, 1);
  g_assert_true (g_str_has_prefix (err, "coordyn-cli compare: " CLI_ANALYSIS_INSTALLED ": "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char *const[]) { s.cli, "validate", s.lenient, NULL },
                        &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (err, "coordyn-cli validate: " CLI_ANALYSIS_INSTALLED ": "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run ((const char *const[]) { s.cli, "compare", model, "--figure", "x.png",
                                                NULL }, &out, &err), ==, 1);
  g_assert_true (g_str_has_prefix (err, "coordyn-cli compare: " CLI_GRAPHICS_INSTALLED ": "));
  unstage (&s);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* coordyn-cli leaves its heap alone under MALLOC_PERTURB_, which meson
   * test sets for every test (cd_cli_tune_memory): the commands run here
   * go through that tuning, so that one test still does. */
  g_setenv ("MALLOC_PERTURB_", "0", TRUE);

  g_test_add_func ("/cli-split/libraries/cli", test_cli_libraries);
  g_test_add_func ("/cli-split/libraries/analysis", test_analysis_libraries);
  g_test_add_func ("/cli-split/libraries/graphics", test_graphics_libraries);
  g_test_add_func ("/cli-split/staged/finds-helper", test_staged_finds_helper);
  g_test_add_func ("/cli-split/staged/missing-helper", test_staged_missing_helper);
  return g_test_run ();
}
