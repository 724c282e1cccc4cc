/* cd-cli-study.c — `experiment` and `merge` (alias `montecarlo-merge`):
 * studies that outgrow one run, and the shards they split into.
 *
 * `experiment SPEC.json` runs a BehaviorSpace-style full factorial
 * (docs/experiments.md), streaming its rows a block at a time.  `--shard
 * K/N` (here, and in `montecarlo` and `sensitivity --sobol`) computes one
 * part of a study into a shard file whose preamble says which study it is
 * part of (cd-shard.h); `merge` checks a set of shards — one study, every
 * part once — and writes exactly the bytes the unsharded command writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cd-analysis-csv.h"
#include "cd-cli-study.h"
#include "cd-csv.h"
#include "cd-shard.h"

/* ---- shared with montecarlo and sensitivity ------------------------------- */

gboolean
cd_cli_parse_shard (const char *text,
                    guint      *shard,
                    guint      *n_shards)
{
  g_auto(GStrv) parts = NULL;
  guint64 k, n;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, "/", -1);
  if (g_strv_length (parts) != 2)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    if (!g_ascii_isdigit (parts[i][0]))
      return FALSE;
  errno = 0;
  k = g_ascii_strtoull (parts[0], &end, 10);
  if (errno != 0 || *end != '\0')
    return FALSE;
  n = g_ascii_strtoull (parts[1], &end, 10);
  if (errno != 0 || *end != '\0' || n < 1 || n > G_MAXUINT || k < 1 || k > n)
    return FALSE;
  *shard = (guint) k;
  *n_shards = (guint) n;
  return TRUE;
}

CdShardHead *
cd_cli_shard_head (CdShardKind kind,
                   guint       shard,
                   guint       n_shards,
                   guint64     total,
                   const char *model_path)
{
  g_autoptr(CdShardHead) head = cd_shard_head_new (kind, shard, n_shards, total);
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = cd_shard_file_sha256 (model_path, &error);

  if (digest == NULL)
    {
      cd_cli_report (model_path, "%s", error->message);
      return NULL;
    }
  cd_shard_head_add (head, "model", "%s", digest);
  return g_steal_pointer (&head);
}

/* ---- progress on a terminal ----------------------------------------------- */

void
cd_cli_progress_draw (double   fraction,
                      gpointer data)
{
  CdCliProgress *p = data;
  gint64 now = g_get_monotonic_time ();
  int percent = (int) (100.0 * CLAMP (fraction, 0.0, 1.0));

  if (percent == p->percent || (now - p->last < 200000 && percent < 100))
    return;
  p->percent = percent;
  p->last = now;
  /* Translators: shown on a terminal while a study runs; %s is a command, %d a percentage. */
  fprintf (stderr, _("\rcoordyn-cli %s: %d %% done"), p->command, percent);
  fflush (stderr);
}

void
cd_cli_progress_end (CdCliProgress *p)
{
  if (p->percent >= 0)
    fputs ("\r\033[K", stderr);
}

/* ---- experiment ------------------------------------------------------------ */

typedef struct
{
  const CdCsvSink    *sink;
  const CdExperiment *exp;
} RowsTarget;

static gboolean
write_rows (guint64          first,
            guint            n,
            const CdOutcome *outcomes,
            gpointer         user_data,
            GError         **error)
{
  RowsTarget *t = user_data;

  cd_analysis_csv_experiment_rows (t->sink, t->exp, first, n, outcomes);
  if (ferror (t->sink->file))
    {
      int saved = errno;
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                           g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

int
cd_cli_experiment (int    argc,
                   char **argv)
{
  g_autofree char *shard_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *max_output_text = NULL;
  guint64 max_output = CD_CSV_MAX_OUTPUT;
  int threads = G_MININT;
  GOptionEntry entries[] = {
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: every core)"), N_("K") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard_text,
      N_("Compute only the K-th of N equal parts of the study (K from 1 to N), for "
         "'coordyn-cli merge'"), N_("K/N") },
    CD_CLI_MAX_OUTPUT_ENTRY (&max_output_text),
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("SPEC.json"));
  g_autoptr(CdExperiment) exp = NULL;
  g_autoptr(CdShardHead) head = NULL;
  g_autoptr(GError) error = NULL;
  guint shard = 0, n_shards = 0;
  guint64 first = 0, count;
  CdCliProgress progress = CD_CLI_PROGRESS_INIT ("experiment");
  gboolean ok;
  CdCsvSink sink;
  RowsTarget target;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Run every combination of the values a spec file gives its parameters (and of its\n"
       "scenarios), BehaviorSpace-style. One row per run: run, scenario, the varied\n"
       "parameters in the spec's order, then the outputs it asks for; the scenario varies\n"
       "slowest, the last parameter fastest. The spec is described in docs/experiments.md."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse (context, &argc, &argv, "experiment"))
    return CD_EXIT_USAGE;
  if (argc != 2)
    return cd_cli_usage_error ("experiment", ngettext ("expected one experiment spec, got %d "
                                                       "argument",
                                                       "expected one experiment spec, got %d "
                                                       "arguments", argc - 1), argc - 1);
  if (threads != G_MININT && (threads < 1 || threads > 4096))
    return cd_cli_usage_error ("experiment", _("--threads must be from 1 to 4096"));
  threads = MAX (threads, 0);
  if (shard_text != NULL && !cd_cli_parse_shard (shard_text, &shard, &n_shards))
    return cd_cli_usage_error ("experiment", _("--shard must be K/N with 1 ≤ K ≤ N, not \"%s\""),
                               shard_text);
  if ((max_output_text != NULL
       && !cd_cli_parse_size ("experiment", "--max-output", max_output_text, &max_output))
      || !cd_cli_check_files ("experiment", (const char *[]) { argv[1], NULL },
                              (CdCliOutput[]) { { "-o", output } }, 1))
    return CD_EXIT_USAGE;

  exp = cd_experiment_load_file (argv[1], &error);
  if (exp == NULL)
    {
      /* One line per problem, each naming the spec, as for a model. */
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        cd_cli_report (argv[1], "%s", lines[i]);
      return CD_EXIT_FAILED;
    }
  /* The model the spec names is an input too. */
  {
    g_autofree char *dir = g_path_get_dirname (argv[1]);
    g_autofree char *model = g_path_is_absolute (exp->model_path)
                             ? g_strdup (exp->model_path)
                             : g_build_filename (dir, exp->model_path, NULL);

    if (!cd_cli_check_files ("experiment", (const char *[]) { argv[1], model, NULL },
                             (CdCliOutput[]) { { "-o", output } }, 1))
      return CD_EXIT_USAGE;
  }
  count = exp->n_runs;
  if (shard_text != NULL)
    {
      head = cd_shard_head_new (CD_SHARD_EXPERIMENT, shard, n_shards, exp->n_runs);
      cd_shard_head_add (head, "spec", "sha256:%s", exp->spec_sha256);
      cd_shard_head_add (head, "model", "%s", exp->model_sha256);
      /* An arrangement found by name is a file of its own: it is part of the study. */
      for (guint k = 0; k < exp->institutions->len; k++)
        {
          const CdInstitution *inst = g_ptr_array_index (exp->institutions, k);
          if (inst != NULL)
            cd_shard_head_add (head, "institution", "%s sha256:%s", inst->name, inst->sha256);
        }
      first = head->first;
      count = head->count;
    }
  /* A row per run: run, scenario, the varied values, the outputs. */
  if (!cd_cli_check_output_size ("experiment", _("the CSV"),
                                 cd_csv_estimate_table ((double) count,
                                                        2.0 + exp->vary->len
                                                        + exp->outputs->len), max_output))
    return CD_EXIT_FAILED;

  out = cd_cli_open_output_or_report ("experiment", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  sink = (CdCsvSink) { out, NULL };
  if (head != NULL)
    cd_shard_write_head (&sink, head);
  cd_analysis_csv_experiment_header (&sink, exp);
  target = (RowsTarget) { &sink, exp };
  ok = cd_experiment_run (exp, first, count, (guint) threads, write_rows, &target,
                          isatty (STDERR_FILENO) ? cd_cli_progress_draw : NULL, &progress, NULL,
                          &error);
  cd_cli_progress_end (&progress);
  if (!ok)
    {
      cd_cli_abandon_output (out);
      cd_cli_report (argv[1], "%s", error->message);
      return CD_EXIT_FAILED;
    }
  return cd_cli_finish_output ("experiment", out, output);
}

/* ---- merge ----------------------------------------------------------------- */

int
cd_cli_merge (int    argc,
              char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *bands_path = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the merged CSV to FILE (default: standard output)"), N_("FILE") },
    { "bands", 0, 0, G_OPTION_ARG_FILENAME, &bands_path,
      N_("Write the bands of a montecarlo study run with --bands to FILE"), N_("FILE") },
    { NULL }
  };
  /* "merge", or "montecarlo-merge", its name before it merged every kind of shard */
  const char *command = argv[0];
  g_autoptr(GOptionContext) context = g_option_context_new (N_("SHARD.csv…"));
  g_autoptr(CdShardSet) set = NULL;
  g_autoptr(GError) error = NULL;
  FILE *out, *bands = NULL;

  g_option_context_set_summary (context,
    N_("Merge the shards of a study run with --shard K/N ('montecarlo', 'sensitivity --sobol'\n"
       "or 'experiment') into exactly the CSV the unsharded command writes. Refuses shards of\n"
       "different studies, a shard given twice and a missing one; the shards may be given in\n"
       "any order (shard-*.csv)."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse (context, &argc, &argv, command))
    return CD_EXIT_USAGE;
  if (argc < 2)
    return cd_cli_usage_error (command, _("expected one or more shard files"));
  if (!cd_cli_check_files (command, (const char *const *) argv + 1,
                           (CdCliOutput[]) { { "-o", output }, { "--bands", bands_path } }, 2))
    return CD_EXIT_USAGE;

  set = cd_shard_set_open ((const char *const *) argv + 1, (guint) argc - 1, &error);
  if (set == NULL)
    {
      cd_cli_report_command (command, "%s", error->message);
      return CD_EXIT_FAILED;
    }
  if (cd_shard_set_has_trajectories (set) && bands_path == NULL)
    return cd_cli_usage_error (command, _("the shards carry each run's trajectory for the bands "
                                          "(montecarlo --bands): give --bands FILE"));
  if (!cd_shard_set_has_trajectories (set) && bands_path != NULL)
    return cd_cli_usage_error (command, _("--bands: these shards carry no trajectories; run "
                                          "'montecarlo --shard K/N' with --bands for bands"));

  out = cd_cli_open_output_or_report (command, output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  if (bands_path != NULL && (bands = cd_cli_open_output_or_report (command, bands_path)) == NULL)
    {
      cd_cli_abandon_output (out);
      return CD_EXIT_FAILED;
    }
  if (!cd_shard_set_merge (set, &(CdCsvSink) { out, NULL },
                           bands ? &(CdCsvSink) { bands, NULL } : NULL, &error))
    {
      cd_cli_abandon_output (out);
      if (bands != NULL)
        cd_cli_abandon_output (bands);
      cd_cli_report_command (command, "%s", error->message);
      return CD_EXIT_FAILED;
    }
  if (cd_cli_finish_output (command, out, output) != CD_EXIT_OK)
    {
      if (bands != NULL)
        cd_cli_abandon_output (bands);
      return CD_EXIT_FAILED;
    }
  if (bands != NULL)
    return cd_cli_finish_output (command, bands, bands_path);
  return CD_EXIT_OK;
}
