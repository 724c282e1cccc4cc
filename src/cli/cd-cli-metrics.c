/* cd-cli-metrics.c — `metrics`: network metrics of the partnership network as CSV.
 *
 * In coordyn-cli-graphics, not coordyn-cli, because the metrics use igraph,
 * whose libraries would otherwise be loaded by every engine command.  Same
 * conventions as the analyses (cd-cli-analysis.c): CSV to -o FILE or
 * standard output, exit 0, 1 for an invalid model, 2 for a usage error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-analysis-csv.h"
#include "cd-cli.h"

int
cd_cli_metrics (int    argc,
                char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdMetrics) m = NULL;
  g_autoptr(GError) error = NULL;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Network metrics of the partnership network, one row per government: degree (number\n"
       "of partners), superiors and subordinates on command lines, betweenness (raw and\n"
       "normalized), eigenvector centrality (largest = 1), broker (1 if its departure would\n"
       "split the partnership network) and isolated (1 if it has no partner)."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "metrics")
      || !cd_cli_check_files ("metrics", (const char *[]) { argv[1], NULL },
                              (CdCliOutput[]) { { "-o", output } }, 1))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  m = cd_network_metrics (model, &error);
  if (m == NULL)
    {
      cd_cli_report (argv[1], "%s", error->message);
      return CD_EXIT_FAILED;
    }

  out = cd_cli_open_output_or_report ("metrics", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  cd_analysis_csv_metrics (&(CdCsvSink) { out, NULL }, m, model);
  return cd_cli_finish_output ("metrics", out, output);
}
