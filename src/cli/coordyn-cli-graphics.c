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

#include "cd-cli.h"

static const CdCliHelperCommand commands[] = {
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
  cd_cli_figure_hooks = &cd_cli_graphics_figure_hooks;
  return cd_cli_helper_main (argc, argv, commands, G_N_ELEMENTS (commands));
}
