/* cd-cli-thesis.c — `coordyn-cli thesis N`: the theory's five conclusions
 * as experiments (docs/thesis.md).
 *
 * Each conclusion is a bundled experiment spec (data/thesis/N-*.json) on
 * the shared-basin example under institutional arrangements.  This command
 * finds it by its number and runs it as `coordyn-cli experiment` would
 * (the same table, byte for byte), and can draw its figure (the app's
 * Experiments chart: the spec's first output over its two varied
 * parameters, a panel per arrangement) and print the Markdown tables that
 * docs/thesis.md quotes, so that the document and the program cannot
 * drift apart silently (tests/analysis/test-thesis checks them).  It lives
 * in coordyn-cli-graphics because the figure needs cairo.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "cd-analysis-csv.h"
#include "cd-cli.h"
#include "cd-cli-study.h"
#include "cd-experiment.h"
#include "cd-export.h"
#include "cd-grid-chart.h"
#include "cd-thesis.h"

#define N_CONCLUSIONS CD_THESIS_N_CONCLUSIONS

typedef struct
{
  CdExperiment *exp;
  CdOutcome    *outcomes;
} Results;

static gboolean
collect (guint64          first,
         guint            n,
         const CdOutcome *outcomes,
         gpointer         user_data,
         GError         **error)
{
  Results *res = user_data;

  memcpy (res->outcomes + first, outcomes, n * sizeof (CdOutcome));
  return TRUE;
}

/* The value of the spec's first output at variant v (arrangement and
 * scenario) and levels i, j of its first two varied parameters. */
static double
value_at (const Results *res,
          guint          v,
          guint          i,
          guint          j)
{
  const CdExperiment *exp = res->exp;
  guint64 r = v;
  double value;

  for (guint k = 0; k < exp->vary->len; k++)
    r = r * ((CdExperimentVary *) g_ptr_array_index (exp->vary, k))->n_values
        + (k == 0 ? i : k == 1 ? j : 0);
  if (!cd_experiment_output_value (g_array_index (exp->outputs, CdExperimentOutput, 0),
                                   &res->outcomes[r], &value))
    return NAN;
  return value;
}

static guint
n_variants (const CdExperiment *exp)
{
  return exp->scenarios->len * exp->institutions->len;
}

static const char *
variant_name (const CdExperiment *exp,
              guint               v)
{
  return cd_experiment_institution_name (exp, v / exp->scenarios->len);
}

/* One Markdown table per arrangement: the first output, rows the first
 * varied parameter, columns the second, three decimals. */
static void
write_tables (FILE          *out,
              const Results *res)
{
  const CdExperiment *exp = res->exp;
  const CdExperimentVary *vx = g_ptr_array_index (exp->vary, 0);
  const CdExperimentVary *vy = exp->vary->len > 1 ? g_ptr_array_index (exp->vary, 1) : NULL;
  guint n_y = vy != NULL ? vy->n_values : 1;
  const char *output = cd_experiment_output_name (g_array_index (exp->outputs,
                                                                 CdExperimentOutput, 0));

  for (guint v = 0; v < n_variants (exp); v++)
    {
      fprintf (out, "%s`%s`, %s:\n\n| %s", v > 0 ? "\n" : "", variant_name (exp, v), output,
               cd_param_info (vx->param)->path);
      if (vy != NULL)
        fprintf (out, " \\ %s", cd_param_info (vy->param)->path);
      fputs (" |", out);
      for (guint j = 0; j < n_y; j++)
        if (vy != NULL)
          fprintf (out, " %g |", vy->values[j]);
        else
          fputs (" |", out);
      fputs ("\n|---|", out);
      for (guint j = 0; j < n_y; j++)
        fputs ("---|", out);
      fputc ('\n', out);
      for (guint i = 0; i < vx->n_values; i++)
        {
          fprintf (out, "| %g |", vx->values[i]);
          for (guint j = 0; j < n_y; j++)
            {
              double value = value_at (res, v, i, j);
              if (isnan (value))
                fputs (" – |", out);
              else
                fprintf (out, " %.3f |", value);
            }
          fputc ('\n', out);
        }
    }
}

typedef struct
{
  const Results *res;
  const char    *title;
} FigureData;

static const char *
output_title (CdExperimentOutput output)
{
  switch (output)
    {
    case CD_EXPERIMENT_OUTPUT_FINAL_MEAN:   return _("Final mean coordination");
    case CD_EXPERIMENT_OUTPUT_PEAK_MEAN:    return _("Peak mean coordination");
    case CD_EXPERIMENT_OUTPUT_TIME_OF_PEAK: return _("Time of the peak");
    case CD_EXPERIMENT_OUTPUT_TIME_TO_HALF: return _("Time to reach 0.5");
    case CD_EXPERIMENT_OUTPUT_TOTAL_LOSS:
    case CD_N_EXPERIMENT_OUTPUTS:
    default:                                return _("Total loss");
    }
}

static void
draw_figure (cairo_t  *cr,
             int       width,
             int       height,
             gpointer  user_data)
{
  const FigureData *fd = user_data;
  const Results *res = fd->res;
  const CdExperiment *exp = res->exp;
  const CdExperimentVary *vx = g_ptr_array_index (exp->vary, 0);
  const CdExperimentVary *vy = exp->vary->len > 1 ? g_ptr_array_index (exp->vary, 1) : NULL;
  guint n_y = vy != NULL ? vy->n_values : 1, n = n_variants (exp);
  g_autofree CdGridPanel *panels = g_new0 (CdGridPanel, n);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  CdExperimentOutput output = g_array_index (exp->outputs, CdExperimentOutput, 0);
  CdRenderStyle style;
  CdGridChart chart = { 0 };
  double one = 0;

  for (guint v = 0; v < n; v++)
    {
      double *values = g_new (double, (gsize) vx->n_values * n_y);
      const CdInstitution *inst = g_ptr_array_index (exp->institutions, v / exp->scenarios->len);

      for (guint j = 0; j < n_y; j++)
        for (guint i = 0; i < vx->n_values; i++)
          values[(gsize) j * vx->n_values + i] = value_at (res, v, i, j);
      g_ptr_array_add (owned, values);
      panels[v].values = values;
      panels[v].title = inst != NULL ? cd_institution_display_name (inst) : _("No arrangement");
    }
  cd_render_style_init (&style, FALSE);
  chart.kind = vy != NULL ? CD_GRID_CHART_HEATMAP : CD_GRID_CHART_LINES;
  chart.title = fd->title;
  chart.x_title = _(cd_param_info (vx->param)->label);
  chart.x = vx->values;
  chart.n_x = vx->n_values;
  chart.y_title = vy != NULL ? _(cd_param_info (vy->param)->label) : NULL;
  chart.y = vy != NULL ? vy->values : &one;
  chart.n_y = n_y;
  chart.value_title = output_title (output);
  if (output == CD_EXPERIMENT_OUTPUT_FINAL_MEAN || output == CD_EXPERIMENT_OUTPUT_PEAK_MEAN)
    {
      /* Coordination on its own scale, so the panels of every figure compare. */
      chart.fix_range = TRUE;
      chart.lo = 0;
      chart.hi = 1;
    }
  chart.panels = panels;
  chart.n_panels = n;
  cd_render_grid_chart (cr, width, height, &chart, &style);
}

static int
list_conclusions (void)
{
  for (guint n = 1; n <= N_CONCLUSIONS; n++)
    {
      g_autofree char *path = cd_thesis_spec_path (n);
      g_autoptr(GError) error = NULL;
      g_autoptr(CdExperiment) exp = path ? cd_experiment_load_file (path, &error) : NULL;

      printf ("%s\n   %s\n   %s\n", _(cd_thesis_claim (n)), path ? path : "-",
              exp != NULL && exp->description ? exp->description
                                              : (error ? error->message : ""));
    }
  return CD_EXIT_OK;
}

int
cd_cli_thesis (int    argc,
               char **argv)
{
  gboolean table = FALSE, list = FALSE;
  CdCliProgress progress = CD_CLI_PROGRESS_INIT ("thesis");
  int width = 1200, height = 640;
  g_autofree char *output = NULL;
  g_autofree char *figure = NULL;
  GOptionEntry entries[] = {
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure,
      N_("Also draw the experiment's chart to FILE (.png, .svg or .pdf)"), N_("FILE") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, N_("Figure width (default 1200)"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, N_("Figure height (default 640)"), N_("H") },
    { "table", 0, 0, G_OPTION_ARG_NONE, &table,
      N_("Write the Markdown tables docs/thesis.md quotes instead of the CSV"), NULL },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the five experiments"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("N"));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree CdOutcome *outcomes = NULL;
  Results res = { NULL, NULL };
  CdExportFormat format;
  guint64 n;
  char *end = NULL;
  FILE *out;
  gboolean ok;

  g_option_context_set_summary (context,
    N_("Run the experiment of the theory's conclusion N (1-5, docs/thesis.md): 1 the missing\n"
       "dynamic mechanism, 2 interest and trust, 3 administrative and command pressure,\n"
       "4 information sharing and appraisal, 5 supervision and law. Writes the table of\n"
       "coordyn-cli experiment for its bundled spec; with --figure also its chart."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse (context, &argc, &argv, "thesis"))
    return CD_EXIT_USAGE;
  if (list)
    return list_conclusions ();
  if (argc != 2)
    return cd_cli_usage_error ("thesis", _("give the number of a conclusion, 1 to %d"),
                               N_CONCLUSIONS);
  n = g_ascii_strtoull (argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || n < 1 || n > N_CONCLUSIONS)
    return cd_cli_usage_error ("thesis", _("give the number of a conclusion, 1 to %d"),
                               N_CONCLUSIONS);
  if (figure != NULL && !cd_export_format_from_path (figure, &format))
    return cd_cli_usage_error ("thesis", _("--figure must end in .png, .svg or .pdf"));
  if (width < 200 || width > 20000 || height < 150 || height > 20000)
    return cd_cli_usage_error ("thesis", _("--width and --height must be 200–20000 and "
                                           "150–20000"));
  if (!cd_cli_check_files ("thesis", NULL,
                           (CdCliOutput[]) { { "-o", output }, { "--figure", figure } }, 2))
    return CD_EXIT_USAGE;

  path = cd_thesis_spec_path ((guint) n);
  if (path == NULL)
    {
      cd_cli_report_command ("thesis", _("no spec for conclusion %u in %s"), (guint) n,
                             cd_thesis_dir ());
      return CD_EXIT_FAILED;
    }
  res.exp = cd_experiment_load_file (path, &error);
  if (res.exp == NULL)
    {
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        cd_cli_report (path, "%s", lines[i]);
      return CD_EXIT_FAILED;
    }
  outcomes = g_new0 (CdOutcome, res.exp->n_runs);
  res.outcomes = outcomes;
  ok = cd_experiment_run (res.exp, 0, res.exp->n_runs, 0, collect, &res,
                          isatty (STDERR_FILENO) ? cd_cli_progress_draw : NULL, &progress, NULL,
                          &error);
  cd_cli_progress_end (&progress);
  if (!ok)
    {
      cd_cli_report (path, "%s", error->message);
      cd_experiment_free (res.exp);
      return CD_EXIT_FAILED;
    }

  out = cd_cli_open_output_or_report ("thesis", output);
  ok = out != NULL;
  if (ok && table)
    write_tables (out, &res);
  else if (ok)
    {
      CdCsvSink sink = { out, NULL };
      cd_analysis_csv_experiment_header (&sink, res.exp);
      cd_analysis_csv_experiment_rows (&sink, res.exp, 0, (guint) res.exp->n_runs, outcomes);
    }
  if (ok && cd_cli_finish_output ("thesis", out, output) != CD_EXIT_OK)
    ok = FALSE;
  if (ok && figure != NULL)
    {
      FigureData fd = { &res, _(cd_thesis_claim (n)) };

      if (!cd_export_to_file (format, figure, width, height, 2.0, draw_figure, &fd, NULL,
                              &error))
        {
          /* the message names the file already, as for the other commands */
          cd_cli_report_command ("thesis", "%s", error->message);
          ok = FALSE;
        }
    }
  cd_experiment_free (res.exp);
  return ok ? CD_EXIT_OK : CD_EXIT_FAILED;
}
