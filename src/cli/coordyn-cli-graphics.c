/* coordyn-cli-graphics.c — the commands of coordyn-cli that need cairo,
 * pango or igraph: `render`, `metrics`, `thesis` (its figures), and the
 * analyses when --figure asks for their chart; and those that need
 * SuiteSparse and ARPACK, with BLAS, LAPACK and the Fortran runtime:
 * `equilibria` and `sweep`, always.
 *
 * Not meant to be run by hand: coordyn-cli replaces itself with this
 * program, with the same arguments, when one of these commands is asked
 * for (see coordyn-cli.c), so that the other commands start without
 * loading these libraries.  Messages, --help and exit statuses are those
 * of coordyn-cli.  The analyses without --figure are in
 * coordyn-cli-analysis.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cd-atomic-file.h"
#include "cd-cli.h"

static const struct
{
  const char  *name;
  CdCliCommand run;
} commands[] = {
  { "render",  cd_cli_render },
  { "metrics", cd_cli_metrics },
  { "thesis",  cd_cli_thesis },
  { "import",  cd_cli_import },
  { "export",  cd_cli_export },
  /* the same commands as coordyn-cli's, with the figure hooks set */
  { "equilibria", cd_cli_equilibria },
  { "sweep", cd_cli_sweep },
  { "sensitivity", cd_cli_sensitivity },
  { "montecarlo", cd_cli_montecarlo },
  { "compare", cd_cli_compare },
  { "optimize", cd_cli_optimize },
};

int
main (int    argc,
      char **argv)
{
  cd_cli_tune_memory ();
  cd_cli_setup_locale ();
  cd_cli_figure_hooks = &cd_cli_graphics_figure_hooks;
  /* SIGINT, SIGTERM, SIGHUP: remove the temporary file of an output being
   * written (the old file stays) and exit 130, 143, 129 (README). */
  cd_atomic_file_handle_signals (TRUE);

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      if (strcmp (argv[1], commands[i].name) == 0)
        return commands[i].run (argc - 1, argv + 1);

  /* Run by hand, or with a command coordyn-cli itself runs: point to coordyn-cli. */
  cd_cli_report_unknown_command (argc >= 2 ? argv[1] : "");
  fprintf (stderr, "%s\n", _("'coordyn-cli COMMAND --help' describes each command."));
  return CD_EXIT_USAGE;
}
