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
#include "cd-figure.h"
#include "cd-layout.h"
#include "cd-render.h"
#include "cd-simulate.h"

int
cd_cli_render (int    argc,
               char **argv)
{
  g_autofree char *view_s = NULL, *format_s = NULL, *output = NULL, *style_s = NULL;
  g_autofree char *series_s = NULL, *preset_s = NULL, *time_s = NULL;
  g_auto(GStrv) node_ids = NULL;
  /* Not given (the preset's, or the default's): G_MININT, and −G_MAXDOUBLE
   * for scale, values nobody types, so that an explicit -1 is refused. */
  double t = -1.0, scale = -G_MAXDOUBLE;
  int width = G_MININT, height = G_MININT;
  gboolean no_legend = FALSE, no_labels = FALSE, no_glyphs = FALSE, flows = FALSE;
  gboolean no_title = FALSE, no_time = FALSE;
  CdFigurePreset preset = CD_FIGURE_PRESET_NONE;
  GOptionEntry entries[] = {
    { "view", 0, 0, G_OPTION_ARG_STRING, &view_s,
      N_("network, forces (force field of one government) or timeseries"), N_("VIEW") },
    { "time", 0, 0, G_OPTION_ARG_STRING, &time_s,
      N_("Show the state at time T (default: the end)"), N_("T") },
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset_s,
      N_("column (85 mm wide) or page (175 mm) for a journal: sizes in points, print type, "
         "white, PNG at 300 dpi; slide: 1920 × 1080 in the projector style"), N_("PRESET") },
    { "width", 0, 0, G_OPTION_ARG_INT, &width,
      N_("Width in pixels or points (default 1200, or the preset's)"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_INT, &height,
      N_("Height (default 800, or what the preset gives the view)"), N_("H") },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &scale,
      N_("PNG pixels per unit (default 1, or the preset's)"), N_("S") },
    { "node", 0, 0, G_OPTION_ARG_STRING_ARRAY, &node_ids,
      N_("Government for --view forces; governments for --series nodes (repeatable)"), N_("ID") },
    { "series", 0, 0, G_OPTION_ARG_STRING, &series_s,
      N_("For timeseries: mean (default), nodes, forces or trust"), N_("KIND") },
    { "style", 0, 0, G_OPTION_ARG_STRING, &style_s,
      N_("normal (default), dark, projector or print (default: the preset's)"), N_("STYLE") },
    { "flows", 0, 0, G_OPTION_ARG_NONE, &flows, N_("Network: draw gravity and pressure flows"),
      NULL },
    { "no-legend", 0, 0, G_OPTION_ARG_NONE, &no_legend, N_("Leave out the legend"), NULL },
    { "no-labels", 0, 0, G_OPTION_ARG_NONE, &no_labels, N_("Network: leave out names"), NULL },
    { "no-glyphs", 0, 0, G_OPTION_ARG_NONE, &no_glyphs, N_("Network: leave out force glyphs"),
      NULL },
    { "no-title", 0, 0, G_OPTION_ARG_NONE, &no_title,
      N_("Leave out the title (a journal's caption carries it)"), NULL },
    { "no-time", 0, 0, G_OPTION_ARG_NONE, &no_time,
      N_("Leave out the time stamp (network) or the time cursor (time series)"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_s,
      N_("png, svg or pdf (default: from the file name)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the figure to FILE"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(GError) error = NULL;
  g_autofree guint *nodes = NULL;
  guint n_nodes = 0;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  CdExportFormat format;
  CdStylePreset style = CD_STYLE_NORMAL;
  CdFigureSpec spec;
  CdModel *model = NULL;
  CdSystem *system = NULL;
  CdTrajectory *traj = NULL;
  int status = CD_EXIT_OK;

  g_option_context_set_summary (context,
    N_("Draw a view of a model, as the app shows it, to a PNG, SVG or PDF file.\n"
       "The model is simulated first (with forces and trust) to show the state at --time."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse (context, &argc, &argv, "render"))
    return CD_EXIT_USAGE;
  if (argc != 2)
    return cd_cli_usage_error ("render", ngettext ("expected one model file, got %d argument",
                                                   "expected one model file, got %d arguments",
                                                   argc - 1), argc - 1);
  if (output == NULL)
    return cd_cli_usage_error ("render", _("-o FILE is required"));
  if (!cd_cli_check_files ("render", (const char *[]) { argv[1], NULL },
                           (CdCliOutput[]) { { "-o", output, .file_only = TRUE } }, 1))
    return CD_EXIT_USAGE;
  cd_figure_spec_init (&spec);
  if (view_s != NULL && !cd_figure_view_from_string (view_s, &spec.view))
    return cd_cli_usage_error ("render",
                               _("--view must be network, forces or timeseries, not '%s'"),
                               view_s);
  if (format_s != NULL)
    {
      CdExportFormat named;

      if (!cd_export_format_from_string (format_s, &format))
        return cd_cli_usage_error ("render", _("--format must be png, svg or pdf, not '%s'"),
                                   format_s);
      /* an SVG in a.png opens nowhere: a name that says another format is
       * a slip in one of the two */
      if (cd_export_format_from_path (output, &named) && named != format)
        /* Translators: e.g. "-o a.png names a png file, but --format is svg". */
        return cd_cli_usage_error ("render", _("-o %s names a %s file, but --format is %s; "
                                               "make them agree"),
                                   output, cd_export_format_to_string (named),
                                   cd_export_format_to_string (format));
    }
  else if (!cd_export_format_from_path (output, &format))
    return cd_cli_usage_error ("render", _("cannot tell the format from '%s': give --format"),
                               output);
  if (preset_s != NULL && (!cd_figure_preset_from_string (preset_s, &preset)
                           || preset == CD_FIGURE_PRESET_NONE))
    return cd_cli_usage_error ("render", _("--preset must be column, page or slide, not '%s'"),
                               preset_s);
  if (style_s != NULL && !cd_style_preset_from_string (style_s, &style))
    return cd_cli_usage_error ("render",
                               _("--style must be normal, dark, projector or print, not '%s'"),
                               style_s);
  if ((width != G_MININT && (width < 1 || width > 20000))
      || (height != G_MININT && (height < 1 || height > 20000)))
    return cd_cli_usage_error ("render", _("--width and --height must be 1 to 20000"));
  if (scale != -G_MAXDOUBLE && !(scale >= 0.1 && scale <= 10))
    return cd_cli_usage_error ("render", _("--scale must be 0.1 to 10"));
  if (time_s != NULL && !cd_cli_parse_number ("render", "--time", time_s, FALSE, &t))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  /* Governments without a position are placed as the app places them when
   * it opens the file (same layout, same seed), so the figure is the one
   * the app shows. */
  {
    g_autoptr(GError) layout_error = NULL;

    if (!cd_layout_place_missing (model, 1, &layout_error))
      {
        cd_cli_report (argv[1], "%s", layout_error->message);
        status = CD_EXIT_FAILED;
        goto out;
      }
  }
  if (t > model->sim.t_end)
    {
      status = cd_cli_usage_error ("render", _("--time %g is after the end of the run (%g)"), t,
                                   model->sim.t_end);
      goto out;
    }

  if (node_ids != NULL)
    {
      n_nodes = g_strv_length (node_ids);
      nodes = g_new (guint, n_nodes);
      for (guint i = 0; i < n_nodes; i++)
        {
          int k = cd_model_find_node (model, node_ids[i]);
          if (k < 0)
            {
              status = cd_cli_usage_error ("render", _("--node: no government \"%s\" in %s"),
                                           node_ids[i], argv[1]);
              goto out;
            }
          nodes[i] = (guint) k;
        }
    }
  if (spec.view == CD_FIGURE_FORCES && n_nodes == 0)
    {
      status = cd_cli_usage_error ("render", _("--view forces needs --node ID"));
      goto out;
    }

  if (series_s != NULL && !cd_figure_series_from_string (series_s, &spec.series))
    {
      status = cd_cli_usage_error ("render",
                                   _("--series must be mean, nodes, forces or trust, not '%s'"),
                                   series_s);
      goto out;
    }
  if (spec.view == CD_FIGURE_TIMESERIES && (spec.series == CD_TIMESERIES_NODES
                                            || spec.series == CD_TIMESERIES_FORCES)
      && n_nodes == 0)
    {
      status = cd_cli_usage_error ("render", _("--series %s needs --node ID"), series_s);
      goto out;
    }

  system = cd_system_new (model, &error);
  if (system == NULL)
    {
      cd_cli_report (argv[1], "%s", error->message);
      status = CD_EXIT_FAILED;
      goto out;
    }
  options.forces = TRUE;
  options.trust = TRUE;
  traj = cd_simulate_trajectory (system, &options, NULL, &error);
  if (traj == NULL)
    {
      cd_cli_report (argv[1], "%s", error->message);
      status = CD_EXIT_FAILED;
      goto out;
    }

  spec.time = t;
  spec.nodes = nodes;
  spec.n_nodes = n_nodes;
  spec.show_legend = !no_legend;
  spec.show_labels = !no_labels;
  spec.show_glyphs = !no_glyphs;
  spec.show_flows = flows;
  spec.show_title = !no_title;
  spec.show_time = !no_time;
  /* The preset's size, scale and style, and a height for what the view
   * shows; what the command line gives explicitly wins. */
  cd_figure_spec_apply_preset (&spec, preset, model, system, traj);
  if (style_s != NULL)
    spec.style = style;
  if (width > 0)
    {
      spec.width = width;
      cd_figure_spec_fit_height (&spec, model, system, traj);
    }
  if (height > 0)
    spec.height = height;
  if (scale > 0)
    spec.scale = scale;
  if (!cd_figure_export (model, system, traj, &spec, format, output, NULL, &error))
    {
      cd_cli_report_command ("render", "%s", error->message);
      status = CD_EXIT_FAILED;
    }

out:
  g_clear_pointer (&traj, cd_trajectory_free);
  g_clear_pointer (&system, cd_system_free);
  g_clear_pointer (&model, cd_model_free);
  return status;
}
