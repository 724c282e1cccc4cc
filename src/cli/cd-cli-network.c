/* cd-cli-network.c — `import` and `export`: networks from and to GraphML
 * and CSV (cd-network-io.h).
 *
 * In coordyn-cli-graphics: reading GraphML needs libxml2, and a network
 * without positions is laid out with igraph.  Output goes through a
 * temporary file renamed into place only when complete, so a refused
 * input leaves no output file, and the file that was there is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-model-json.h"
#include "cd-network-io.h"

/* Writes text to out, the file at path (NULL: standard output); on
 * failure abandons out and reports, for command, the file and the reason. */
static gboolean
write_text (const char *command,
            FILE       *out,
            const char *path,
            const char *text,
            gsize       length)
{
  g_autofree char *message = NULL;
  int saved;

  if (fwrite (text, 1, length, out) == length && fflush (out) == 0)
    return TRUE;
  saved = errno;
  if (path == NULL || strcmp (path, "-") == 0)
    cd_cli_stdout_failure_reported ();
  cd_cli_abandon_output (out);
  message = cd_cli_place_message (path == NULL || strcmp (path, "-") == 0
                                  ? _("standard output") : path, g_strerror (saved));
  cd_cli_report_command (command, "%s", message);
  return FALSE;
}

int
cd_cli_import (int    argc,
               char **argv)
{
  g_autofree char *graphml = NULL;
  g_autofree char *nodes = NULL;
  g_autofree char *edges = NULL;
  g_autofree char *edge_kind = NULL;
  g_autofree char *output = NULL;
  int version = G_MININT;
  GOptionEntry entries[] = {
    { "graphml", 0, 0, G_OPTION_ARG_FILENAME, &graphml,
      N_("Read the network from this GraphML file (Gephi, networkx, igraph, yEd)"),
      N_("FILE") },
    { "nodes", 0, 0, G_OPTION_ARG_FILENAME, &nodes,
      N_("Read the governments from this CSV file (a column id, and any of the node fields)"),
      N_("NODES.csv") },
    { "edges", 0, 0, G_OPTION_ARG_FILENAME, &edges,
      N_("Read the ties from this CSV file (columns source and target, and any of the edge "
         "fields)"), N_("EDGES.csv") },
    { "edge-kind", 0, 0, G_OPTION_ARG_STRING, &edge_kind,
      N_("What a directed tie that names no kind is: partnership (the default) or command"),
      N_("KIND") },
    { "version", 0, 0, G_OPTION_ARG_INT, &version,
      N_("Make a model of format version 1 or 2 (default: what a GraphML file exported by "
         "Coordyn says, else 2); in 2 a fragmentation becomes both fragmentation_ideas and "
         "fragmentation_powers"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the model to FILE (default: standard output)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  CdImportOptions options = CD_IMPORT_OPTIONS_INIT;
  gsize length;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Make a model of a network from GraphML, or from a CSV file of governments and one of\n"
       "ties. Attributes are the model's field names: on a government name (else label,\n"
       "else the id), level, capacity, vulnerability, fragmentation (model 2:\n"
       "fragmentation_ideas, fragmentation_powers, appraisal), x0, fixed, x and y; on a tie\n"
       "kind, weight, role (model 2), interest, trust, info. Others are ignored, with one\n"
       "warning. An\n"
       "undirected GraphML edge is a partnership. A network without positions is laid out.\n"
       "Anything wrong is refused naming the file and the line, and no model is written."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse (context, &argc, &argv, "import"))
    return CD_EXIT_USAGE;
  if (argc != 1)
    return cd_cli_usage_error ("import", _("unexpected argument \"%s\""), argv[1]);
  if ((graphml != NULL) == (nodes != NULL || edges != NULL))
    return cd_cli_usage_error ("import", _("give either --graphml FILE or --nodes and --edges"));
  if (graphml == NULL && (nodes == NULL || edges == NULL))
    return cd_cli_usage_error ("import", _("--nodes and --edges go together"));
  if (version != G_MININT
      && (version < CD_MODEL_VERSION_MIN || version > CD_MODEL_VERSION_LATEST))
    return cd_cli_usage_error ("import", _("--version must be 1 or 2"));
  options.version = MAX (version, 0);
  if (edge_kind == NULL || strcmp (edge_kind, "partnership") == 0)
    options.edge_kind = CD_EDGE_PARTNERSHIP;
  else if (strcmp (edge_kind, "command") == 0)
    options.edge_kind = CD_EDGE_COMMAND;
  else
    return cd_cli_usage_error ("import", _("--edge-kind must be partnership or command, not "
                                           "\"%s\""), edge_kind);

  if (!cd_cli_check_files ("import", (const char *[]) { graphml ? graphml : nodes,
                                                       graphml ? NULL : edges, NULL },
                           (CdCliOutput[]) { { "-o", output } }, 1))
    return CD_EXIT_USAGE;

  if (graphml != NULL)
    model = cd_network_import_graphml (graphml, &options, warnings, &error);
  else
    model = cd_network_import_csv (nodes, edges, &options, warnings, &error);
  if (model == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return CD_EXIT_FAILED;
    }
  for (guint i = 0; i < warnings->len; i++)
    {
      /* Translators: a warning about an import; %s is the sentence. */
      g_autofree char *line = g_strdup_printf (_("warning: %s"),
                                               (const char *) g_ptr_array_index (warnings, i));
      cd_cli_report_command ("import", "%s", line);
    }

  json = cd_model_to_json (model, &length);
  out = cd_cli_open_output_or_report ("import", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  if (!write_text ("import", out, output, json, length))
    return CD_EXIT_FAILED;
  return cd_cli_finish_output ("import", out, output);
}

int
cd_cli_export (int    argc,
               char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *nodes = NULL;
  g_autofree char *edges = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format,
      N_("graphml, or csv (a file of governments and one of ties)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the GraphML to FILE (default: standard output)"), N_("FILE") },
    { "nodes", 0, 0, G_OPTION_ARG_FILENAME, &nodes,
      N_("With --format csv: write the governments to this file"), N_("NODES.csv") },
    { "edges", 0, 0, G_OPTION_ARG_FILENAME, &edges,
      N_("With --format csv: write the ties to this file"), N_("EDGES.csv") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
    N_("Write a model's network as GraphML with typed keys (which networkx, Gephi and igraph\n"
       "read), or as two CSV files, with the model's field names as attributes. Importing\n"
       "what is exported gives the same network."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "export"))
    return CD_EXIT_USAGE;
  if (format == NULL || (strcmp (format, "graphml") != 0 && strcmp (format, "csv") != 0))
    return cd_cli_usage_error ("export", _("--format must be graphml or csv"));
  if (strcmp (format, "csv") == 0 && (nodes == NULL || edges == NULL || output != NULL))
    return cd_cli_usage_error ("export", _("--format csv writes two files: give --nodes and "
                                           "--edges (and no -o)"));
  if (strcmp (format, "graphml") == 0 && (nodes != NULL || edges != NULL))
    return cd_cli_usage_error ("export", _("--nodes and --edges are for --format csv"));
  if (!cd_cli_check_files ("export", (const char *[]) { argv[1], NULL },
                           (CdCliOutput[]) { { "-o", output,
                                               .no_stdout = strcmp (format, "csv") == 0 },
                                             { "--nodes", nodes }, { "--edges", edges } }, 3))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;

  if (strcmp (format, "graphml") == 0)
    {
      gsize length;
      g_autofree char *text = cd_network_to_graphml (model, &length);
      FILE *out = cd_cli_open_output_or_report ("export", output);

      if (out == NULL)
        return CD_EXIT_FAILED;
      if (!write_text ("export", out, output, text, length))
        return CD_EXIT_FAILED;
      return cd_cli_finish_output ("export", out, output);
    }
  else
    {
      g_autofree char *nodes_csv = NULL;
      g_autofree char *edges_csv = NULL;
      FILE *n_out, *e_out;

      cd_network_to_csv (model, &nodes_csv, &edges_csv);
      n_out = cd_cli_open_output_or_report ("export", nodes);
      if (n_out == NULL)
        return CD_EXIT_FAILED;
      e_out = cd_cli_open_output_or_report ("export", edges);
      if (e_out == NULL)
        {
          cd_cli_abandon_output (n_out);
          return CD_EXIT_FAILED;
        }
      /* Both written in full before either takes its name. */
      if (!write_text ("export", n_out, nodes, nodes_csv, strlen (nodes_csv)))
        {
          cd_cli_abandon_output (e_out);
          return CD_EXIT_FAILED;
        }
      if (!write_text ("export", e_out, edges, edges_csv, strlen (edges_csv)))
        {
          cd_cli_abandon_output (n_out);
          return CD_EXIT_FAILED;
        }
      if (cd_cli_finish_output ("export", n_out, nodes) != CD_EXIT_OK)
        {
          cd_cli_abandon_output (e_out);
          return CD_EXIT_FAILED;
        }
      return cd_cli_finish_output ("export", e_out, edges);
    }
}
