/* coordyn-cli.c — the headless front end: dispatches to subcommands.
 *
 * Three executables share the commands, so that each starts with only the
 * libraries it needs; on a virtual machine where a page fault costs 25 µs,
 * mapping a library costs about half a millisecond.
 *  - This one runs what a script calls thousands of times — `run`,
 *    `validate`, `upgrade`, `generate` — with GLib, GSL and the C library
 *    alone: 5 ms to start (bench/README.md, "Issue 17, twelfth pass").
 *  - coordyn-cli-analysis runs the analyses and studies (`sensitivity`,
 *    `montecarlo`, `compare`, `fit`, `experiment`, `optimize`, `merge`),
 *    which need GIO's cancellation, json-glib's specs and NLopt.
 *  - coordyn-cli-graphics runs those that need cairo, pango, igraph or
 *    libxml2 (`render`, `metrics`, `thesis`, `import`, `export`), those
 *    that need SuiteSparse and ARPACK (`equilibria`, `sweep`), and the
 *    analyses when --figure asks for their chart.
 * This program replaces itself with the helper (exec: same process,
 * standard streams, exit status), found in libexecdir/coordyn.
 *
 * The engine reaches GIO and json-glib only through cd-gio-glue.h, whose
 * versions here never cancel and hand a file the strict JSON parser does
 * not take — with comments, say — to coordyn-cli-analysis, whole command
 * and all, since json-glib reads it there exactly as it always has.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cd-atomic-file.h"
#include "cd-cli.h"
#include "cd-gio-glue.h"
#include "cd-model-json.h"

#define ANALYSIS_HELPER "coordyn-cli-analysis"
#define GRAPHICS_HELPER "coordyn-cli-graphics"

typedef enum
{
  HERE,              /* in this program: `run` below */
  ANALYSIS,          /* coordyn-cli-analysis */
  ANALYSIS_FIGURE,   /* the same, or coordyn-cli-graphics with --figure */
  GRAPHICS,          /* coordyn-cli-graphics */
} Where;

typedef struct
{
  const char  *name;
  Where        where;
  CdCliCommand run;
  const char  *summary;
} Command;

/* The summaries are translated where --help prints them. */
static const Command commands[] = {
  { "run", HERE, cd_cli_run, N_("simulate a model and write the CSV of every sample") },
  { "validate", HERE, cd_cli_validate, N_("check a model file and print a one-line summary") },
  { "generate", HERE, cd_cli_generate,
    N_("write a synthetic model (national: China's hierarchy)") },
  { "upgrade", HERE, cd_cli_upgrade,
    N_("make a version-1 model a version-2 model (results may change)") },
  { "render", GRAPHICS, NULL,
    N_("draw the network, a force field or time series to PNG/SVG/PDF") },
  { "equilibria", GRAPHICS, NULL, N_("list the equilibria and whether each is stable") },
  { "sweep", GRAPHICS, NULL, N_("sweep a parameter up and down: tipping points, hysteresis") },
  { "sensitivity", ANALYSIS_FIGURE, NULL, N_("rank the levers: tornado, or Sobol indices") },
  { "montecarlo", ANALYSIS_FIGURE, NULL, N_("run a seeded, shardable uncertainty study") },
  { "compare", ANALYSIS_FIGURE, NULL, N_("run the named scenarios side by side") },
  { "fit", ANALYSIS, NULL, N_("estimate parameters from observed data, and how sure they are") },
  { "experiment", ANALYSIS, NULL,
    N_("run every combination of a spec's parameter values (BehaviorSpace-style)") },
  { "optimize", ANALYSIS_FIGURE, NULL,
    N_("the cheapest mix of levers: the Pareto front of cost against loss or coordination") },
  { "merge", ANALYSIS, NULL, N_("merge the shards of a study run with --shard K/N") },
  { "montecarlo-merge", ANALYSIS, NULL, N_("the same as merge (its former name)") },
  { "metrics", GRAPHICS, NULL, N_("centrality, brokers and isolated governments") },
  { "thesis", GRAPHICS, NULL, N_("run the experiment of one of the theory's five conclusions") },
  { "import", GRAPHICS, NULL, N_("make a model of a network from GraphML or CSV") },
  { "export", GRAPHICS, NULL, N_("write a model's network as GraphML or CSV") },
};

static void
print_help (FILE *out)
{
  int width = 0;

  fprintf (out, "%s",
           _("Usage: coordyn-cli COMMAND [OPTION…]\n\n"
             "Simulate the four-force model of inter-governmental emergency coordination.\n\n"
             "Commands:\n"));
  /* One column for the summaries, as wide as the longest name needs. */
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) strlen (commands[i].name));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-*s %s\n", width, commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("'coordyn-cli COMMAND --help' describes each command."));
}

/* Where a helper is: beside this program in the build tree (tools/run, the
 * tests), else in the package's libexec folder found from this program's
 * own folder, so that a tree staged with DESTDIR or moved to another prefix
 * runs its own helpers, else where they were installed. */
static char *
helper_path (const char *name)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;

  if (exe == NULL)
    return g_build_filename (CD_CLI_HELPERS_INSTALLED, name, NULL);
  dir = g_path_get_dirname (exe);
  if (g_str_has_prefix (exe, BUILD_ROOT G_DIR_SEPARATOR_S))
    return g_build_filename (dir, name, NULL);
  if (!g_path_is_absolute (CD_CLI_BINDIR) && !g_path_is_absolute (CD_CLI_LIBEXECDIR)
      && g_str_has_suffix (dir, G_DIR_SEPARATOR_S CD_CLI_BINDIR))
    {
      g_autofree char *root = g_strndup (dir, strlen (dir) - strlen (CD_CLI_BINDIR) - 1);
      g_autofree char *path = g_build_filename (root, CD_CLI_LIBEXECDIR, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  return g_build_filename (CD_CLI_HELPERS_INSTALLED, name, NULL);
}

/* Runs the command in a helper with the same arguments; returns only on failure. */
static int
exec_helper (const char  *name,
             char       **argv)
{
  g_autofree char *helper = helper_path (name);
  g_autofree char *message = NULL;
  int saved;

  execv (helper, argv);
  saved = errno;
  cd_cli_setup_locale ();   /* not done before a hand-over from main () */
  /* "coordyn-cli render: /usr/libexec/coordyn/coordyn-cli-graphics: No such file…" */
  message = cd_cli_place_message (helper, g_strerror (saved));
  cd_cli_report_command (argv[1], "%s", message);
  return CD_EXIT_FAILED;
}

/* Whether the command's arguments hold `option` ("--institution FILE" or
 * "--institution=FILE") before any "--" (after which nothing is an option). */
static gboolean
has_option (int         argc,
            char      **argv,
            const char *option)
{
  gsize len = strlen (option);

  for (int i = 2; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return FALSE;
      if (strncmp (argv[i], option, len) == 0 && (argv[i][len] == '\0' || argv[i][len] == '='))
        return TRUE;
    }
  return FALSE;
}

/* The whole command line, for cd_cli_hand_over. */
static char **command_line;

static void
hand_over (void)
{
  exit (exec_helper (ANALYSIS_HELPER, command_line));
}

/* The command argv asks for, or NULL. */
static const Command *
find_command (int    argc,
              char **argv)
{
  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      if (strcmp (argv[1], commands[i].name) == 0)
        return &commands[i];
  return NULL;
}

/* The helper a command runs in, or NULL for this program. */
static const char *
helper_for (const Command  *command,
            int             argc,
            char          **argv)
{
  switch (command->where)
    {
    case HERE:
      /* An institutional arrangement is a JSON spec that may need
       * json-glib: that run goes to the helper from the start. */
      return command->run == cd_cli_run && has_option (argc, argv, "--institution")
             ? ANALYSIS_HELPER : NULL;
    case ANALYSIS:
      return ANALYSIS_HELPER;
    case ANALYSIS_FIGURE:
      return has_option (argc, argv, "--figure") ? GRAPHICS_HELPER : ANALYSIS_HELPER;
    case GRAPHICS:
    default:
      return GRAPHICS_HELPER;
    }
}

int
main (int    argc,
      char **argv)
{
  const Command *command = find_command (argc, argv);
  const char *helper = command != NULL ? helper_for (command, argc, argv) : NULL;

  /* A helper sets everything up itself: this program only replaces itself
   * with it, and sets up the messages' language if that fails. */
  if (helper != NULL)
    return exec_helper (helper, argv);

  cd_cli_check_stdout_at_exit ();
  cd_cli_tune_memory ();
  cd_cli_setup_locale ();
  /* SIGINT, SIGTERM, SIGHUP: remove the temporary file of an output being
   * written (the old file stays) and exit 130, 143, 129 (README). */
  cd_atomic_file_handle_signals (TRUE);
  command_line = argv;
  cd_cli_hand_over = hand_over;

  if (command != NULL)
    return command->run (argc - 1, argv + 1);
  if (argc < 2)
    {
      print_help (stderr);
      return CD_EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_help (stdout);
      return CD_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("coordyn-cli %s\n", PACKAGE_VERSION);
      return CD_EXIT_OK;
    }
  cd_cli_report_unknown_command (argv[1]);
  print_help (stderr);
  return CD_EXIT_USAGE;
}

/* ---- cd-gio-glue.h without GIO and json-glib ------------------------------ */

gboolean
cd_cancelled (GCancellable  *cancellable,
              GError       **error)
{
  /* Only GIO makes a GCancellable, and no command here cancels. */
  g_return_val_if_fail (cancellable == NULL, FALSE);
  return FALSE;
}

/* cd_cli_load_model() sees the code and hands the command over; the
 * message is for a reader that does not. */
CdJsonDoc *
cd_json_parse_lenient (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_set_error_literal (error, CD_MODEL_ERROR, CD_MODEL_ERROR_NEEDS_JSON_GLIB,
                       _("the file is not plain JSON, and only coordyn-cli-analysis has "
                         "the reader for the rest"));
  return NULL;
}
