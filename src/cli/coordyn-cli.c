/* coordyn-cli.c — the headless front end: dispatches to subcommands.
 *
 * The commands that only need the engine run in this executable, which
 * loads GLib, json-glib and GSL and nothing else, so that a script calling
 * it thousands of times does not pay for libraries it never uses.  `render`
 * (cairo, pango), `metrics` (igraph, which brings BLAS, LAPACK, GLPK,
 * libxml2 and more), `equilibria` and `sweep` (SuiteSparse KLU and ARPACK,
 * which bring BLAS, LAPACK and the Fortran runtime) are in
 * coordyn-cli-graphics, which this program replaces itself with (exec:
 * same process, standard streams, exit status).  So are the other analysis
 * commands when --figure asks for their chart: the helper runs the same
 * command code and draws the chart as well, and without --figure they
 * start here as fast as ever.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cd-atomic-file.h"
#include "cd-cli.h"

#define GRAPHICS_HELPER "coordyn-cli-graphics"

typedef struct
{
  const char  *name;
  CdCliCommand run;
  const char  *summary;
  gboolean     figure;    /* takes --figure, which coordyn-cli-graphics draws */
} Command;

/* The summaries are translated where --help prints them. */
static const Command commands[] = {
  { "run",      cd_cli_run,      N_("simulate a model and write the CSV of every sample") },
  { "validate", cd_cli_validate, N_("check a model file and print a one-line summary") },
  { "generate", cd_cli_generate, N_("write a synthetic model (national: China's hierarchy)") },
  { "upgrade",  cd_cli_upgrade,
    N_("make a version-1 model a version-2 model (results may change)") },
  /* NULL: the command is in coordyn-cli-graphics. */
  { "render",   NULL,
    N_("draw the network, a force field or time series to PNG/SVG/PDF") },
  { "equilibria", NULL, N_("list the equilibria and whether each is stable") },
  { "sweep", NULL, N_("sweep a parameter up and down: tipping points, hysteresis") },
  { "sensitivity", cd_cli_sensitivity, N_("rank the levers: tornado, or Sobol indices"), TRUE },
  { "montecarlo", cd_cli_montecarlo, N_("run a seeded, shardable uncertainty study"), TRUE },
  { "compare", cd_cli_compare, N_("run the named scenarios side by side"), TRUE },
  { "fit", cd_cli_fit, N_("estimate parameters from observed data, and how sure they are") },
  { "experiment", cd_cli_experiment,
    N_("run every combination of a spec's parameter values (BehaviorSpace-style)") },
  { "optimize", cd_cli_optimize,
    N_("the cheapest mix of levers: the Pareto front of cost against loss or coordination"),
    TRUE },
  { "merge", cd_cli_merge, N_("merge the shards of a study run with --shard K/N") },
  { "montecarlo-merge", cd_cli_merge, N_("the same as merge (its former name)") },
  { "metrics", NULL, N_("centrality, brokers and isolated governments") },
  { "thesis", NULL, N_("run the experiment of one of the theory's five conclusions") },
  { "import", NULL, N_("make a model of a network from GraphML or CSV") },
  { "export", NULL, N_("write a model's network as GraphML or CSV") },
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

/* Where coordyn-cli-graphics is: beside this program in the build tree
 * (tools/run, the tests), else in the package's libexec folder found from
 * this program's own folder, so that a tree staged with DESTDIR or moved to
 * another prefix runs its own helper, else where it was installed. */
static char *
graphics_helper_path (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = NULL;

  if (exe == NULL)
    return g_strdup (CD_CLI_GRAPHICS_INSTALLED);
  dir = g_path_get_dirname (exe);
  if (g_str_has_prefix (exe, BUILD_ROOT G_DIR_SEPARATOR_S))
    return g_build_filename (dir, GRAPHICS_HELPER, NULL);
  if (!g_path_is_absolute (CD_CLI_BINDIR) && !g_path_is_absolute (CD_CLI_LIBEXECDIR)
      && g_str_has_suffix (dir, G_DIR_SEPARATOR_S CD_CLI_BINDIR))
    {
      g_autofree char *root = g_strndup (dir, strlen (dir) - strlen (CD_CLI_BINDIR) - 1);
      g_autofree char *path = g_build_filename (root, CD_CLI_LIBEXECDIR, GRAPHICS_HELPER,
                                                NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&path);
    }
  return g_strdup (CD_CLI_GRAPHICS_INSTALLED);
}

/* Runs a command of coordyn-cli-graphics with the same arguments; returns only on failure. */
static int
exec_graphics (char **argv)
{
  g_autofree char *helper = graphics_helper_path ();
  g_autofree char *message = NULL;
  int saved;

  execv (helper, argv);
  saved = errno;
  /* "coordyn-cli render: /usr/libexec/coordyn/coordyn-cli-graphics: No such file…" */
  message = cd_cli_place_message (helper, g_strerror (saved));
  cd_cli_report_command (argv[1], "%s", message);
  return CD_EXIT_FAILED;
}

/* Whether the command's arguments ask for a figure: "--figure FILE" or
 * "--figure=FILE" before any "--" (after which nothing is an option). */
static gboolean
wants_figure (int    argc,
              char **argv)
{
  for (int i = 2; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        return FALSE;
      if (strcmp (argv[i], "--figure") == 0 || strncmp (argv[i], "--figure=", 9) == 0)
        return TRUE;
    }
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  cd_cli_tune_memory ();
  cd_cli_setup_locale ();
  /* SIGINT, SIGTERM, SIGHUP: remove the temporary file of an output being
   * written (the old file stays) and exit 130, 143, 129 (README). */
  cd_atomic_file_handle_signals (TRUE);

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
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run != NULL && !(commands[i].figure && wants_figure (argc, argv))
             ? commands[i].run (argc - 1, argv + 1)
             : exec_graphics (argv);

  cd_cli_report_unknown_command (argv[1]);
  print_help (stderr);
  return CD_EXIT_USAGE;
}
