/* cd-cli-run.c — `run`, `validate` and `generate`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd-analysis.h"
#include "cd-cli.h"
#include "cd-csv.h"
#include "cd-generate.h"
#include "cd-institution.h"
#include "cd-locale.h"
#include "cd-model-json.h"
#include "cd-model-upgrade.h"
#include "cd-simulate.h"

int
cd_cli_run (int    argc,
            char **argv)
{
  gboolean forces = FALSE, factors = FALSE, trust = FALSE;
  double t_end = 0.0, dt = 0.0;
  guint64 max_output = CD_CSV_MAX_OUTPUT;
  g_autofree char *t_end_text = NULL, *dt_text = NULL, *max_output_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *institution = NULL;
  GOptionEntry entries[] = {
    { "institution", 0, 0, G_OPTION_ARG_STRING, &institution,
      N_("Run the model under an institutional arrangement: a bundled NAME or a FILE "
         "(docs/institutions.md)"), N_("NAME|FILE") },
    { "forces", 0, 0, G_OPTION_ARG_NONE, &forces,
      N_("Add the four forces G, P, T, R of every government"), NULL },
    { "factors", 0, 0, G_OPTION_ARG_NONE, &factors,
      N_("Add the ten force factors of every government (docs/model.md, \"Force factors\")"),
      NULL },
    { "trust", 0, 0, G_OPTION_ARG_NONE, &trust, N_("Add the trust of every partnership"), NULL },
    { "t-end", 0, 0, G_OPTION_ARG_STRING, &t_end_text,
      N_("Simulate until T (default: the model's)"), N_("T") },
    { "dt", 0, 0, G_OPTION_ARG_STRING, &dt_text, N_("Sample every D (default: the model's)"),
      N_("D") },
    CD_CLI_MAX_OUTPUT_ENTRY (&max_output_text),
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(CdCsvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  CdRunStats stats = { 0 };
  FILE *out;
  gboolean ok;

  g_option_context_set_summary (context,
    N_("Simulate a model and write one CSV row per sample: t, mean_coordination, loss, x:ID for\n"
       "each government; with --forces G:ID, P:ID, T:ID, R:ID; with --factors G_interest:ID,\n"
       "G_trust:ID, P_admin:ID, P_command:ID, P_crisis:ID, T_info:ID, T_appraisal:ID, R_ideas:ID,\n"
       "R_powers:ID, R_benefits:ID; with --trust trust:A|B."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "run"))
    return CD_EXIT_USAGE;
  if ((t_end_text != NULL && !cd_cli_parse_number ("run", "--t-end", t_end_text, TRUE, &t_end))
      || (dt_text != NULL && !cd_cli_parse_number ("run", "--dt", dt_text, TRUE, &dt))
      || (max_output_text != NULL
          && !cd_cli_parse_size ("run", "--max-output", max_output_text, &max_output))
      || !cd_cli_check_files ("run", (const char *[]) { argv[1], NULL },
                              (CdCliOutput[]) { { "-o", output } }, 1))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  if (institution != NULL)
    {
      g_autoptr(CdInstitution) inst = cd_cli_find_institution ("run", institution);
      CdModel *applied = inst != NULL ? cd_cli_apply_institution (argv[1], inst, model) : NULL;

      if (applied == NULL)
        return CD_EXIT_FAILED;
      cd_model_free (model);
      model = applied;
    }
  if (t_end > 0)
    model->sim.t_end = t_end;
  if (dt > 0)
    model->sim.dt = dt;
  if (!(model->sim.dt <= model->sim.t_end))
    return cd_cli_usage_error ("run", _("dt (%g) must not exceed t_end (%g)"), model->sim.dt,
                               model->sim.t_end);
  /* Loading validated the model (and applying an institution the result);
   * since then only t_end and dt changed, checked above. */
  sys = cd_system_new_validated (model);
  if (!cd_cli_check_output_size ("run", _("the CSV"),
                                 cd_csv_estimate_run (sys, model->sim.t_end, model->sim.dt,
                                                      forces, trust), max_output))
    return CD_EXIT_FAILED;

  out = cd_cli_open_output_or_report ("run", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  options.forces = forces;
  options.trust = trust;
  /* Rows of x alone: the trust is neither interpolated nor handed over. */
  options.x_only = !forces && !trust && !factors;
  writer = cd_csv_writer_new (out, sys, forces, trust);
  cd_csv_writer_set_factors (writer, factors);
  /* Formatting on a second thread too: a helper's where rows are wide, the
   * integration's while it waits where they are not (cd-csv.c). */
  cd_csv_writer_set_threads (writer, 0);
  options.prepare = cd_csv_prepare_sample;
  options.prepare_data = writer;
  /* Synced to disk as it is written, so that the commit's fsync is short. */
  cd_csv_writer_sync_as_written (writer);
  /* The one run of the command: this thread helps it along between rows. */
  options.help_integrate = TRUE;
  options.stats = &stats;
  ok = cd_csv_write_header (writer, &error)
       && cd_simulate (sys, &options, cd_csv_write_sample, writer, NULL, &error)
       && cd_csv_writer_finish (writer, &error);
  g_debug ("run: %" G_GUINT64_FORMAT " steps (%" G_GUINT64_FORMAT " rejected), %"
           G_GUINT64_FORMAT " evaluations; corners of the right-hand side: %" G_GUINT64_FORMAT
           " landed on, %" G_GUINT64_FORMAT " stepped over; %" G_GUINT64_FORMAT " parts of "
           "stages done by the thread that writes the CSV", stats.steps, stats.rejected,
           stats.evaluations, stats.corners_landed, stats.corners_passed, stats.helped);
  if (!ok)
    cd_cli_abandon_output (out);   /* never leave a truncated CSV that looks complete */
  else
    ok = cd_cli_close_output (out, output, &error);
  if (!ok && g_error_matches (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT))
    {
      /* the output failed, not the model: name the output, as the other
       * commands do ("could not write the output: …" names no file) */
      g_autofree char *message = NULL;

      if (output == NULL || strcmp (output, "-") == 0)
        cd_cli_stdout_failure_reported ();
      message = cd_cli_place_message (output == NULL || strcmp (output, "-") == 0
                                      ? _("standard output") : output, error->message);
      cd_cli_report_command ("run", "%s", message);
      return CD_EXIT_FAILED;
    }
  if (!ok && error->domain == G_FILE_ERROR)
    {
      /* closing it: the message names the output already */
      cd_cli_report_command ("run", "%s", error->message);
      return CD_EXIT_FAILED;
    }
  if (!ok)
    {
      cd_cli_report (argv[1], "%s", error->message);
      return CD_EXIT_FAILED;
    }
  cd_cli_leave_for_exit (g_steal_pointer (&writer));
  cd_cli_leave_for_exit (g_steal_pointer (&sys));
  cd_cli_leave_for_exit (g_steal_pointer (&model));
  return CD_EXIT_OK;
}

int
cd_cli_validate (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  guint n_command = 0, n_partnership = 0, n_fixed = 0;
  g_auto(GStrv) counts = g_new0 (char *, 7);
  g_autofree char *summary = NULL;
  g_autofree char *details = NULL;

  g_option_context_set_summary (context,
    N_("Check a model file against every rule of the model format. Prints 'ok' and a summary,\n"
       "or one line per problem naming where it is, and exits with status 1."));
  if (!cd_cli_parse_model_command (context, &argc, &argv, "validate"))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  for (guint i = 0; i < model->edges->len; i++)
    {
      if (((CdEdge *) g_ptr_array_index (model->edges, i))->kind == CD_EDGE_COMMAND)
        n_command++;
      else
        n_partnership++;
    }
  for (guint i = 0; i < model->nodes->len; i++)
    n_fixed += ((CdNode *) g_ptr_array_index (model->nodes, i))->fixed ? 1 : 0;
  /* One count per kind of thing, each in the singular or plural it needs;
   * "ok: " starts the line in every language, for scripts. */
  counts[0] = g_strdup_printf (ngettext ("%u government (%u fixed)", "%u governments (%u fixed)",
                                         model->nodes->len), model->nodes->len, n_fixed);
  counts[1] = g_strdup_printf (ngettext ("%u command line", "%u command lines", n_command),
                               n_command);
  counts[2] = g_strdup_printf (ngettext ("%u partnership", "%u partnerships", n_partnership),
                               n_partnership);
  counts[3] = g_strdup_printf (ngettext ("%u emergency", "%u emergencies", model->events->len),
                               model->events->len);
  counts[4] = g_strdup_printf (ngettext ("%u policy change", "%u policy changes",
                                         model->interventions->len),
                               model->interventions->len);
  counts[5] = g_strdup_printf (ngettext ("%u scenario", "%u scenarios", model->scenarios->len),
                               model->scenarios->len);
  summary = cd_locale_join_list ((const char * const *) counts, -1, FALSE);
  if (*model->name)
    {
      char *named = cd_cli_place_message (model->name, summary);
      g_free (summary);
      summary = named;
    }
  /* Translators: the end of coordyn-cli validate's summary; the first %s is
   * the model's dynamics.rule (logit or replicator, as in the file), t_end
   * and dt the model file's own keys. */
  details = g_strdup_printf (_("; rule %s, t_end %g, dt %g"),
                             cd_rule_to_string (model->params.rule), model->sim.t_end,
                             model->sim.dt);
  printf ("ok: %s%s\n", summary, details);
  return CD_EXIT_OK;
}

int
cd_cli_upgrade (int    argc,
                char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the version-2 model to FILE (required; it is replaced atomically)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdModel) upgraded = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
    N_("Make a version-1 model a version-2 model, as docs/model.md, \"Upgrade\", says: each\n"
       "government's fragmentation becomes its fragmentation of ideas and of powers, the\n"
       "fragmentation resistance is split equally between ideas and powers (in policy changes,\n"
       "scenarios and ranges too), every command line is administrative. Version 2 gives\n"
       "supervision, law and trust their own channels, so the results may change; with\n"
       "supervision, law and every trust at 0 they do not."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "upgrade"))
    return CD_EXIT_USAGE;
  if (output == NULL || *output == '\0')
    return cd_cli_usage_error ("upgrade", _("say where to write the upgraded model: -o FILE"));
  if (!cd_cli_check_files ("upgrade", (const char *[]) { argv[1], NULL },
                           (CdCliOutput[]) { { "-o", output, .file_only = TRUE } }, 1))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  if (model->version != 1)
    {
      cd_cli_report (argv[1], _("the model is already version %d; there is nothing to upgrade"),
                     model->version);
      return CD_EXIT_FAILED;
    }
  upgraded = cd_model_upgrade (model, &error);
  if (upgraded == NULL || !cd_model_save_file (upgraded, output, &error))
    {
      cd_cli_report (output, "%s", error->message);
      return CD_EXIT_FAILED;
    }
  return CD_EXIT_OK;
}

int
cd_cli_generate (int    argc,
                 char **argv)
{
  gint64 seed = 1, copies = 1, governments = 0;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed (default 1)"), N_("S") },
    { "governments", 0, 0, G_OPTION_ARG_INT64, &governments,
      N_("How many governments a 'hierarchy' has (4 to 1,000,000)"), N_("N") },
    { "copies", 0, 0, G_OPTION_ARG_INT64, &copies,
      N_("Write K disjoint copies of the model in one (default 1)"), N_("K") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the model to FILE (default: standard output)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("national|hierarchy");
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gsize length;
  gboolean national;

  g_option_context_set_summary (context,
    N_("Write a synthetic model. 'national': 1 central, 31 provincial, 333 prefecture-level and\n"
       "2,844 county-level governments, command lines down the hierarchy, partnerships between\n"
       "near neighbours of the same level, a basin flood, a later epidemic, one policy change.\n"
       "'hierarchy': the same construction with --governments in all, in the national model's\n"
       "proportions, for measuring how runs grow with the network."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse (context, &argc, &argv, "generate")
      || !cd_cli_check_files ("generate", NULL, (CdCliOutput[]) { { "-o", output } }, 1))
    return CD_EXIT_USAGE;
  /* one kind: 'generate national national' is not a wrong kind */
  if (argc > 2)
    {
      g_autofree char *shown = g_utf8_make_valid (argv[2], -1);

      return cd_cli_usage_error ("generate", _("unexpected argument \"%s\""), shown);
    }
  national = argc == 2 && strcmp (argv[1], "national") == 0;
  if (argc != 2 || !(national || strcmp (argv[1], "hierarchy") == 0))
    return cd_cli_usage_error ("generate",
                               _("the kind of model must be 'national' or 'hierarchy'"));
  if (seed < 0 || seed > G_MAXUINT32)
    return cd_cli_usage_error ("generate", _("--seed must be between 0 and %u"), G_MAXUINT32);
  if (national && governments != 0)
    return cd_cli_usage_error ("generate", _("--governments is for 'hierarchy' only"));
  if (!national && (governments < 4 || governments > CD_MODEL_MAX_NODES))
    return cd_cli_usage_error ("generate", _("--governments must be between 4 and %u"),
                               (guint) CD_MODEL_MAX_NODES);
  if (copies < 1 || copies * (national ? 3209 : governments) > CD_MODEL_MAX_NODES)
    return cd_cli_usage_error ("generate",
                               _("--copies must be at least 1, with at most %u governments "
                                 "in all"), (guint) CD_MODEL_MAX_NODES);

  if (national)
    model = cd_generate_national ((guint32) seed);
  else
    {
      /* China's proportions: 31 provinces and 333 prefectures to 2,844 counties. */
      guint rest = (guint) governments - 1;
      guint n_provinces = MAX (1, (guint) round (rest * (double) CD_NATIONAL_PROVINCES
                                                 / CD_NATIONAL_GOVERNMENTS_BELOW));
      guint n_cities = MAX (n_provinces, (guint) round (rest * (double) CD_NATIONAL_PREFECTURES
                                                        / CD_NATIONAL_GOVERNMENTS_BELOW));

      n_cities = MIN (n_cities, (rest - n_provinces) / 2);
      n_provinces = MIN (n_provinces, n_cities);
      model = cd_generate_hierarchy ((guint32) seed, n_provinces, n_cities,
                                     rest - n_provinces - n_cities);
    }
  if (copies > 1)
    {
      CdModel *many = cd_generate_copies (model, (guint) copies);
      cd_model_free (model);
      model = many;
    }
  if (output == NULL || strcmp (output, "-") == 0)
    {
      json = cd_model_to_json (model, &length);
      if (fwrite (json, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          cd_cli_stdout_failure_reported ();
          cd_cli_report_command ("generate", "%s", _("could not write to standard output"));
          return CD_EXIT_FAILED;
        }
    }
  else if (!cd_model_save_file (model, output, &error))
    {
      cd_cli_report_command ("generate", "%s", error->message);
      return CD_EXIT_FAILED;
    }
  return CD_EXIT_OK;
}
