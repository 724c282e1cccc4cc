/* coordyn-cli-graphics.c — every command of coordyn-cli, with every
 * library: cairo, pango and igraph for `render`, `metrics`, `thesis` and
 * the analyses' --figure; SuiteSparse and ARPACK, with BLAS, LAPACK and
 * the Fortran runtime, for `equilibria` and `sweep`; GIO, json-glib and
 * NLopt for the analyses and studies, and for model files that are not
 * plain JSON.
 *
 * Not meant to be run by hand: coordyn-cli replaces itself with this
 * program, with the same arguments, for every command but its own four
 * (run, validate, upgrade, generate), and for those when a model file
 * needs json-glib (see coordyn-cli.c), so that its own start without
 * loading these libraries.  Messages, --help and exit statuses are those
 * of coordyn-cli.
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
  { "equilibria", cd_cli_equilibria },
  { "sweep", cd_cli_sweep },
  { "sensitivity", cd_cli_sensitivity },
  { "montecarlo", cd_cli_montecarlo },
  { "compare", cd_cli_compare },
  { "fit", cd_cli_fit },
  { "experiment", cd_cli_experiment },
  { "optimize", cd_cli_optimize },
  { "merge", cd_cli_merge },
  { "montecarlo-merge", cd_cli_merge },
  /* coordyn-cli's own, for a model file it hands over (coordyn-cli.c)
   * and a run under an institutional arrangement */
  { "run",      cd_cli_run },
  { "validate", cd_cli_validate },
  { "generate", cd_cli_generate },
  { "upgrade",  cd_cli_upgrade },
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

  /* Run by hand: point to coordyn-cli. */
  cd_cli_report_unknown_command (argc >= 2 ? argv[1] : "");
  fprintf (stderr, "%s\n", _("'coordyn-cli COMMAND --help' describes each command."));
  return CD_EXIT_USAGE;
}
