/* cd-cli-render.c — `render`: draw a view of a model to PNG, SVG or PDF.
 *
 * Uses exactly the drawing code of the app's canvas and charts (src/render),
 * so a figure made here for a report is the figure on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd-cli.h"
#include "cd-render.h"
#include "cd-simulate.h"

typedef enum
{
  VIEW_NETWORK,
  VIEW_FORCES,
  VIEW_TIMESERIES,
} View;

typedef struct
{
  View              view;
  CdModel          *model;
  CdSystem         *system;
  CdTrajectory     *traj;
  CdNetworkView    *net;
  CdNetworkOverlay  overlay;
  CdTimeseriesSpec  spec;
  CdRenderStyle     style;
  guint             sample;
  guint             node;
  double            t;
} Job;

static void
draw (cairo_t  *cr,
      int       width,
      int       height,
      gpointer  data)
{
  Job *job = data;

  switch (job->view)
    {
    case VIEW_NETWORK:
      cd_network_view_fit (job->net, width, height, 10);
      cd_render_network (cr, width, height, job->net, job->model, job->system, job->traj,
                         job->sample, &job->overlay, &job->style);
      break;
    case VIEW_FORCES:
      cd_render_force_field (cr, width, height, job->model, job->system, job->traj, job->node,
                             job->sample, &job->style);
      break;
    case VIEW_TIMESERIES:
    default:
      cd_render_timeseries (cr, width, height, job->model, job->traj, &job->spec, job->t,
                            &job->style);
      break;
    }
}

int
cd_cli_render (int    argc,
               char **argv)
{
  g_autofree char *view_s = NULL, *format_s = NULL, *output = NULL, *style_s = NULL;
  g_autofree char *series_s = NULL;
  g_auto(GStrv) node_ids = NULL;
  double t = -1.0, scale = 1.0;
  int width = 1200, height = 800;
  gboolean no_legend = FALSE, no_labels = FALSE, no_glyphs = FALSE, flows = FALSE;
  GOptionEntry entries[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, &view_s,
      "network, forces (force field of one government) or timeseries", "VIEW" },
    { "time", 0, 0, G_OPTION_ARG_DOUBLE, &t, "Show the state at time T (default: the end)", "T" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Width in pixels or points (default 1200)", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height (default 800)", "H" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale, "PNG pixels per unit (default 1)", "S" },
    { "node", 0, 0, G_OPTION_ARG_STRING_ARRAY, &node_ids,
      "Government for --view forces; governments for --series nodes (repeatable)", "ID" },
    { "series", 0, 0, G_OPTION_ARG_STRING, &series_s,
      "For timeseries: mean (default), nodes, forces or trust", "KIND" },
    { "style", 0, 0, G_OPTION_ARG_STRING, &style_s, "normal (default), dark or projector",
      "STYLE" },
    { "flows", 0, 0, G_OPTION_ARG_NONE, &flows, "Network: draw gravity and pressure flows", NULL },
    { "no-legend", 0, 0, G_OPTION_ARG_NONE, &no_legend, "Leave out the legend", NULL },
    { "no-labels", 0, 0, G_OPTION_ARG_NONE, &no_labels, "Network: leave out names", NULL },
    { "no-glyphs", 0, 0, G_OPTION_ARG_NONE, &no_glyphs, "Network: leave out force glyphs", NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_s,
      "png, svg or pdf (default: from the file name)", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the figure to FILE", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("MODEL.json");
  g_autoptr(GError) error = NULL;
  g_autofree guint *nodes = NULL;
  guint n_nodes = 0;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  CdExportFormat format;
  CdStylePreset preset = CD_STYLE_NORMAL;
  Job job = { 0 };
  int status = CD_EXIT_OK;

  g_option_context_set_summary (context,
    "Draw a view of a model, as the app shows it, to a PNG, SVG or PDF file.\n"
    "The model is simulated first (with forces and trust) to show the state at --time.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cd_cli_parse (context, &argc, &argv, "render"))
    return CD_EXIT_USAGE;
  if (argc != 2)
    return cd_cli_usage_error ("render", "expected one model file, got %d arguments", argc - 1);
  if (output == NULL)
    return cd_cli_usage_error ("render", "-o FILE is required");
  if (view_s == NULL || strcmp (view_s, "network") == 0)
    job.view = VIEW_NETWORK;
  else if (strcmp (view_s, "forces") == 0)
    job.view = VIEW_FORCES;
  else if (strcmp (view_s, "timeseries") == 0)
    job.view = VIEW_TIMESERIES;
  else
    return cd_cli_usage_error ("render", "--view must be network, forces or timeseries, not '%s'",
                               view_s);
  if (format_s != NULL)
    {
      if (!cd_export_format_from_string (format_s, &format))
        return cd_cli_usage_error ("render", "--format must be png, svg or pdf, not '%s'",
                                   format_s);
    }
  else if (!cd_export_format_from_path (output, &format))
    return cd_cli_usage_error ("render", "cannot tell the format from '%s': give --format",
                               output);
  if (style_s != NULL && !cd_style_preset_from_string (style_s, &preset))
    return cd_cli_usage_error ("render", "--style must be normal, dark or projector, not '%s'",
                               style_s);
  if (width < 1 || width > 20000 || height < 1 || height > 20000)
    return cd_cli_usage_error ("render", "--width and --height must be 1 to 20000");
  if (!(scale >= 0.1 && scale <= 10))
    return cd_cli_usage_error ("render", "--scale must be 0.1 to 10");
  if (!isfinite (t) || (t < 0 && t != -1.0))
    return cd_cli_usage_error ("render", "--time must be a time ≥ 0");

  job.model = cd_cli_load_model (argv[1]);
  if (job.model == NULL)
    return CD_EXIT_FAILED;
  if (t > job.model->sim.t_end)
    {
      status = cd_cli_usage_error ("render", "--time %g is after the end of the run (%g)", t,
                                   job.model->sim.t_end);
      goto out;
    }

  if (node_ids != NULL)
    {
      n_nodes = g_strv_length (node_ids);
      nodes = g_new (guint, n_nodes);
      for (guint i = 0; i < n_nodes; i++)
        {
          int k = cd_model_find_node (job.model, node_ids[i]);
          if (k < 0)
            {
              status = cd_cli_usage_error ("render", "--node: no government \"%s\" in %s",
                                           node_ids[i], argv[1]);
              goto out;
            }
          nodes[i] = (guint) k;
        }
    }
  if (job.view == VIEW_FORCES && n_nodes == 0)
    {
      status = cd_cli_usage_error ("render", "--view forces needs --node ID");
      goto out;
    }

  cd_timeseries_spec_init (&job.spec, CD_TIMESERIES_MEAN_AND_LOSS);
  if (series_s != NULL)
    {
      static const char * const kinds[] = { "mean", "nodes", "forces", "trust" };
      guint k;
      for (k = 0; k < G_N_ELEMENTS (kinds); k++)
        if (strcmp (series_s, kinds[k]) == 0)
          break;
      if (k == G_N_ELEMENTS (kinds))
        {
          status = cd_cli_usage_error ("render",
                                       "--series must be mean, nodes, forces or trust, not '%s'",
                                       series_s);
          goto out;
        }
      job.spec.kind = (CdTimeseriesKind) k;
    }
  job.spec.nodes = nodes;
  job.spec.n_nodes = n_nodes;
  if (job.view == VIEW_TIMESERIES && (job.spec.kind == CD_TIMESERIES_NODES
                                      || job.spec.kind == CD_TIMESERIES_FORCES) && n_nodes == 0)
    {
      status = cd_cli_usage_error ("render", "--series %s needs --node ID", series_s);
      goto out;
    }
  job.spec.show_legend = !no_legend;

  job.system = cd_system_new (job.model, &error);
  if (job.system == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[1], error->message);
      status = CD_EXIT_FAILED;
      goto out;
    }
  options.forces = TRUE;
  options.trust = TRUE;
  job.traj = cd_simulate_trajectory (job.system, &options, NULL, &error);
  if (job.traj == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[1], error->message);
      status = CD_EXIT_FAILED;
      goto out;
    }
  if (job.view == VIEW_TIMESERIES && job.spec.kind == CD_TIMESERIES_TRUST)
    {
      /* every partnership, up to a legible dozen */
      guint np = MIN (job.traj->n_partnerships, 12);
      g_autofree guint *ps = g_new (guint, MAX (np, 1));
      for (guint i = 0; i < np; i++)
        ps[i] = i;
      job.spec.partnerships = ps;
      job.spec.n_partnerships = np;
      job.t = t;
      cd_render_style_init (&job.style, preset);
      if (!cd_export_to_file (format, output, width, height, scale, draw, &job, &error))
        {
          fprintf (stderr, "coordyn-cli render: %s\n", error->message);
          status = CD_EXIT_FAILED;
        }
      goto out;
    }
  job.sample = t < 0 ? job.traj->n_samples - 1 : cd_trajectory_index_at (job.traj, t);
  job.t = t;
  job.node = n_nodes ? nodes[0] : 0;
  cd_render_style_init (&job.style, preset);
  job.net = cd_network_view_new ();
  cd_network_view_sync (job.net, job.model);
  cd_network_overlay_init (&job.overlay);
  job.overlay.show_legend = !no_legend;
  job.overlay.show_labels = !no_labels;
  job.overlay.show_glyphs = !no_glyphs;
  job.overlay.show_flow_arrows = flows;

  if (!cd_export_to_file (format, output, width, height, scale, draw, &job, &error))
    {
      fprintf (stderr, "coordyn-cli render: %s\n", error->message);
      status = CD_EXIT_FAILED;
    }

out:
  g_clear_pointer (&job.net, cd_network_view_free);
  g_clear_pointer (&job.traj, cd_trajectory_free);
  g_clear_pointer (&job.system, cd_system_free);
  g_clear_pointer (&job.model, cd_model_free);
  return status;
}
