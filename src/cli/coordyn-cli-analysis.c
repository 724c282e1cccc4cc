/* coordyn-cli-analysis.c — the commands of coordyn-cli that need GIO,
 * json-glib or NLopt: the analyses and studies (`sensitivity`,
 * `montecarlo`, `compare`, `fit`, `experiment`, `optimize`, `merge`), and
 * coordyn-cli's own four (`run`, `validate`, `upgrade`, `generate`) for a
 * model file only json-glib reads and for a run under an institutional
 * arrangement (a JSON spec).
 *
 * Not meant to be run by hand: coordyn-cli replaces itself with this
 * program, with the same arguments, for these (see coordyn-cli.c), so that
 * its own commands start without these libraries, and these without
 * cairo, pango and igraph, which are coordyn-cli-graphics's.  Messages,
 * --help and exit statuses are those of coordyn-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-cli.h"

static const CdCliHelperCommand commands[] = {
  { "sensitivity", cd_cli_sensitivity },
  { "montecarlo", cd_cli_montecarlo },
  { "compare", cd_cli_compare },
  { "fit", cd_cli_fit },
  { "experiment", cd_cli_experiment },
  { "optimize", cd_cli_optimize },
  { "merge", cd_cli_merge },
  { "montecarlo-merge", cd_cli_merge },
  { "run", cd_cli_run },
  { "validate", cd_cli_validate },
  { "generate", cd_cli_generate },
  { "upgrade", cd_cli_upgrade },
};

int
main (int    argc,
      char **argv)
{
  return cd_cli_helper_main (argc, argv, commands, G_N_ELEMENTS (commands));
}
