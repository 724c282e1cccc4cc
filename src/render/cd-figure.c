/* cd-figure.c — one named figure of a run (see cd-figure.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-figure.h"
#include "cd-force-field.h"
#include "cd-network-view.h"
#include "cd-render-private.h"

/* A trust series of every partnership of a large model is unreadable. */
#define MAX_DEFAULT_PARTNERSHIPS 12

/* Network margin in pixels, as the command line has always drawn it. */
#define NETWORK_MARGIN 10

static const char * const view_names[] = { "network", "forces", "timeseries" };
static const char * const series_names[] = { "mean", "nodes", "forces", "trust" };
static const char * const preset_names[] = { "none", "column", "page", "slide" };

gboolean
cd_figure_preset_from_string (const char     *text,
                              CdFigurePreset *out_preset)
{
  g_return_val_if_fail (out_preset != NULL, FALSE);

  for (guint k = 0; text != NULL && k < G_N_ELEMENTS (preset_names); k++)
    if (g_ascii_strcasecmp (text, preset_names[k]) == 0)
      {
        *out_preset = (CdFigurePreset) k;
        return TRUE;
      }
  return FALSE;
}

const char *
cd_figure_preset_to_string (CdFigurePreset preset)
{
  return (guint) preset < G_N_ELEMENTS (preset_names) ? preset_names[preset] : "none";
}

const char *
cd_figure_preset_label (CdFigurePreset preset)
{
  switch (preset)
    {
    case CD_FIGURE_PRESET_COLUMN:
      return _("Journal column (85 mm)");
    case CD_FIGURE_PRESET_PAGE:
      return _("Journal page width (175 mm)");
    case CD_FIGURE_PRESET_SLIDE:
      return _("Slide (1920 × 1080)");
    case CD_FIGURE_PRESET_NONE:
    default:
      return _("Custom size");
    }
}

int
cd_figure_mm_to_points (double mm)
{
  return (int) round (mm / 25.4 * 72.0);
}

void
cd_figure_preset_size (CdFigurePreset  preset,
                       CdFigureSize   *size)
{
  g_return_if_fail (size != NULL);

  switch (preset)
    {
    case CD_FIGURE_PRESET_COLUMN:
      /* a column is narrow: a chart a little less than square reads best */
      size->width = cd_figure_mm_to_points (CD_FIGURE_COLUMN_MM);
      size->height = (int) round (size->width * 0.75);
      size->scale = CD_FIGURE_PRINT_PNG_SCALE;
      size->style = CD_STYLE_PRINT;
      break;
    case CD_FIGURE_PRESET_PAGE:
      size->width = cd_figure_mm_to_points (CD_FIGURE_PAGE_MM);
      size->height = (int) round (size->width * 0.56);
      size->scale = CD_FIGURE_PRINT_PNG_SCALE;
      size->style = CD_STYLE_PRINT;
      break;
    case CD_FIGURE_PRESET_SLIDE:
      /* 1920 × 1080 pixels: 1200 × 675 units at 1.6 pixels each, so that
       * the projector style's smallest type (11 units × 1.6) comes to 28 px,
       * 2.6 % of the slide's height, legible from the back of a room */
      size->width = 1200;
      size->height = 675;
      size->scale = 1.6;
      size->style = CD_STYLE_PROJECTOR;
      break;
    case CD_FIGURE_PRESET_NONE:
    default:
      size->width = 1200;
      size->height = 800;
      size->scale = 1.0;
      size->style = CD_STYLE_NORMAL;
      break;
    }
}

void
cd_figure_spec_init (CdFigureSpec *spec)
{
  g_return_if_fail (spec != NULL);

  memset (spec, 0, sizeof *spec);
  spec->view = CD_FIGURE_NETWORK;
  spec->time = -1.0;
  spec->width = 1200;
  spec->height = 800;
  spec->scale = 1.0;
  spec->series = CD_TIMESERIES_MEAN_AND_LOSS;
  spec->style = CD_STYLE_NORMAL;
  spec->show_legend = TRUE;
  spec->show_labels = TRUE;
  spec->show_glyphs = TRUE;
  spec->show_flows = FALSE;
  spec->show_title = TRUE;
  spec->show_time = TRUE;
  spec->preset = CD_FIGURE_PRESET_NONE;
}

gboolean
cd_figure_view_from_string (const char   *text,
                            CdFigureView *out_view)
{
  g_return_val_if_fail (out_view != NULL, FALSE);

  for (guint k = 0; text != NULL && k < G_N_ELEMENTS (view_names); k++)
    if (strcmp (text, view_names[k]) == 0)
      {
        *out_view = (CdFigureView) k;
        return TRUE;
      }
  return FALSE;
}

const char *
cd_figure_view_to_string (CdFigureView view)
{
  return (guint) view < G_N_ELEMENTS (view_names) ? view_names[view] : "network";
}

gboolean
cd_figure_series_from_string (const char       *text,
                              CdTimeseriesKind *out_kind)
{
  g_return_val_if_fail (out_kind != NULL, FALSE);

  /* The names follow CdTimeseriesKind's order. */
  G_STATIC_ASSERT (CD_TIMESERIES_MEAN_AND_LOSS == 0 && CD_TIMESERIES_TRUST == 3);
  for (guint k = 0; text != NULL && k < G_N_ELEMENTS (series_names); k++)
    if (strcmp (text, series_names[k]) == 0)
      {
        *out_kind = (CdTimeseriesKind) k;
        return TRUE;
      }
  return FALSE;
}

const char *
cd_figure_series_to_string (CdTimeseriesKind kind)
{
  return (guint) kind < G_N_ELEMENTS (series_names) ? series_names[kind] : "mean";
}

static gboolean
needs_node (const CdFigureSpec *spec)
{
  return spec->view == CD_FIGURE_FORCES
         || (spec->view == CD_FIGURE_TIMESERIES
             && (spec->series == CD_TIMESERIES_NODES || spec->series == CD_TIMESERIES_FORCES));
}

gboolean
cd_figure_check (const CdModel      *model,
                 const CdTrajectory *traj,
                 const CdFigureSpec *spec,
                 GError            **error)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  if ((guint) spec->view >= G_N_ELEMENTS (view_names)
      || (guint) spec->series >= G_N_ELEMENTS (series_names)
      || (guint) spec->style > CD_STYLE_PRINT
      || (guint) spec->preset >= G_N_ELEMENTS (preset_names))
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("Unknown kind of figure"));
      return FALSE;
    }
  if (spec->width < 1 || spec->width > 20000 || spec->height < 1 || spec->height > 20000)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("The figure’s width and height must be 1 to 20000, not %d × %d"),
                   spec->width, spec->height);
      return FALSE;
    }
  if (!(spec->scale >= 0.1 && spec->scale <= 10))
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("The figure’s scale must be 0.1 to 10"));
      return FALSE;
    }
  if (!isfinite (spec->time) || spec->time > model->sim.t_end)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("The time %g is not in the run (0 to %g)"), spec->time, model->sim.t_end);
      return FALSE;
    }
  if (traj == NULL || traj->n_samples == 0)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("There are no results to draw: run the simulation first"));
      return FALSE;
    }
  if (traj->n_nodes != model->nodes->len)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("The results are not of this model: run the simulation again"));
      return FALSE;
    }
  for (guint k = 0; k < spec->n_nodes; k++)
    if (spec->nodes[k] >= model->nodes->len)
      {
        g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                     _("Government number %u is not in the model"), spec->nodes[k] + 1);
        return FALSE;
      }
  for (guint k = 0; k < spec->n_partnerships; k++)
    if (spec->partnerships[k] >= traj->n_partnerships)
      {
        g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                     _("Partnership number %u is not in the results"), spec->partnerships[k] + 1);
        return FALSE;
      }
  if (needs_node (spec) && spec->n_nodes == 0)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   spec->view == CD_FIGURE_FORCES
                   ? _("Select a government to draw the forces on it")
                   : _("Select one or more governments to plot"));
      return FALSE;
    }
  return TRUE;
}

/* The network's legend strip in a preset figure: the time (when shown)
 * over the compact legend, across the width under the network.  Returns
 * its height, 0 when it has nothing to show; draws from y when `draw`. */
static double
legend_strip (cairo_t             *cr,
              int                  width,
              double               y,
              const CdModel       *model,
              const char          *time_text,
              gboolean             legend,
              gboolean             forces,
              const CdRenderStyle *style,
              gboolean             draw,
              GArray              *boxes)
{
  double pad = 8 * style->font_scale, th = 0, lh = 0, at;

  if (time_text == NULL && !legend)
    return 0;
  at = y + pad;
  if (time_text != NULL)
    {
      if (draw)
        cd_render_text (cr, style, time_text, 12, TRUE, pad, at, CD_ANCHOR_START,
                        CD_ANCHOR_START, cd_palette_foreground (style), &th);
      else
        {
          PangoLayout *layout = cd_render_layout (cr, style, 12, TRUE);
          cd_render_layout_set (layout, time_text, NULL, &th);
          g_object_unref (layout);
        }
      at += th + (legend ? pad * 0.5 : 0);
    }
  if (legend)
    {
      double used = 0;

      lh = cd_render_network_legend_strip (cr, pad, at, width - 2 * pad, model, forces, draw,
                                           style, &used);
      if (draw && boxes != NULL)
        {
          CdRenderBox box = { pad, at, used, lh, CD_BOX_MARK, 0 };
          g_array_append_val (boxes, box);
        }
      at += lh;
    }
  return at + pad - y;
}

static char *
time_text_of (const CdFigureSpec *spec,
              const CdTrajectory *traj,
              guint               sample)
{
  g_autofree char *t = NULL;

  if (!spec->show_time || traj == NULL || traj->n_samples == 0)
    return NULL;
  t = cd_render_format_value (traj->t[MIN (sample, traj->n_samples - 1)], 2);
  return g_strdup_printf (_("t = %s"), t);
}

static gboolean
legend_has_forces (const CdFigureSpec *spec,
                   const CdTrajectory *traj)
{
  /* the force colours explain the glyphs: only where glyphs are drawn */
  return spec->show_glyphs && traj != NULL && traj->gravity != NULL;
}

void
cd_figure_draw_boxes (cairo_t            *cr,
                      int                 width,
                      int                 height,
                      const CdModel      *model,
                      const CdSystem     *system,
                      const CdTrajectory *traj,
                      const CdFigureSpec *spec,
                      GArray             *boxes)
{
  CdRenderStyle style;
  guint sample;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (model != NULL);
  g_return_if_fail (spec != NULL);

  cd_render_style_init (&style, spec->style);
  sample = traj == NULL || traj->n_samples == 0 ? 0
           : spec->time < 0 ? traj->n_samples - 1
           : cd_trajectory_index_at (traj, spec->time);

  switch (spec->view)
    {
    case CD_FIGURE_NETWORK:
      {
        g_autoptr (CdNetworkView) net = cd_network_view_new ();
        g_autofree char *time_text = NULL;
        CdNetworkOverlay overlay;
        double strip = 0, net_h = height;
        gboolean apart = spec->preset != CD_FIGURE_PRESET_NONE;

        cd_network_overlay_init (&overlay);
        overlay.show_legend = spec->show_legend;
        overlay.show_labels = spec->show_labels;
        overlay.show_glyphs = spec->show_glyphs;
        overlay.show_flow_arrows = spec->show_flows;
        overlay.show_time = spec->show_time;
        if (apart)
          {
            /* A preset keeps the legend and the time off the network: in a
             * strip of their own below it. */
            time_text = time_text_of (spec, traj, sample);
            strip = legend_strip (cr, width, 0, model, time_text, spec->show_legend,
                                  legend_has_forces (spec, traj), &style, FALSE, NULL);
            net_h = MAX (height - strip, 20);
            overlay.show_legend = FALSE;
            overlay.show_time = FALSE;
            cd_render_fill_background (cr, width, height, &style);
          }
        cd_network_view_sync (net, model);
        /* room for what this style draws around the nodes, no more */
        cd_network_view_fit_for (net, width, (int) net_h,
                                 apart ? NETWORK_MARGIN * style.font_scale : NETWORK_MARGIN,
                                 &style, spec->show_glyphs);
        cd_render_network_boxes (cr, width, (int) net_h, net, model, system, traj, sample,
                                 &overlay, &style, boxes);
        if (apart)
          {
            legend_strip (cr, width, net_h, model, time_text, spec->show_legend,
                          legend_has_forces (spec, traj), &style, TRUE, boxes);
            if (boxes != NULL)
              {
                CdRenderBox area = { 0, 0, width, net_h, CD_BOX_AREA, 0 };
                g_array_append_val (boxes, area);
              }
          }
      }
      break;

    case CD_FIGURE_FORCES:
      /* Out of range (or none) draws the diagram's own message. */
      cd_render_force_field_full (cr, width, height, model, system, traj,
                                  spec->n_nodes > 0 ? spec->nodes[0] : G_MAXUINT, sample, &style,
                                  spec->show_title, boxes);
      break;

    case CD_FIGURE_TIMESERIES:
    default:
      {
        guint defaults[MAX_DEFAULT_PARTNERSHIPS];
        CdTimeseriesSpec ts;

        cd_timeseries_spec_init (&ts, spec->series);
        ts.nodes = spec->nodes;
        ts.n_nodes = spec->n_nodes;
        ts.partnerships = spec->partnerships;
        ts.n_partnerships = spec->n_partnerships;
        if (spec->series == CD_TIMESERIES_TRUST && spec->n_partnerships == 0 && traj != NULL)
          {
            ts.n_partnerships = MIN (traj->n_partnerships, MAX_DEFAULT_PARTNERSHIPS);
            for (guint k = 0; k < ts.n_partnerships; k++)
              defaults[k] = k;
            ts.partnerships = defaults;
          }
        ts.show_legend = spec->show_legend;
        ts.show_title = spec->show_title;
        cd_render_timeseries (cr, width, height, model, traj, &ts,
                              spec->show_time ? spec->time : -1.0, &style);
      }
      break;
    }
}

void
cd_figure_draw (cairo_t            *cr,
                int                 width,
                int                 height,
                const CdModel      *model,
                const CdSystem     *system,
                const CdTrajectory *traj,
                const CdFigureSpec *spec)
{
  cd_figure_draw_boxes (cr, width, height, model, system, traj, spec, NULL);
}

/* The network's proportions: its height over its width as laid out, within
 * what a page can take. */
static double
network_aspect (const CdModel *model)
{
  g_autoptr (CdNetworkView) net = cd_network_view_new ();
  double x0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y0 = G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  guint n;

  cd_network_view_sync (net, model);
  n = cd_network_view_get_n_nodes (net);
  for (guint i = 0; i < n; i++)
    {
      double x, y;
      cd_network_view_node_position (net, i, &x, &y);
      x0 = MIN (x0, x);
      x1 = MAX (x1, x);
      y0 = MIN (y0, y);
      y1 = MAX (y1, y);
    }
  if (n < 2 || !(x1 > x0))
    return 0.75;
  return CLAMP ((y1 - y0) / (x1 - x0), 0.45, 1.25);
}

void
cd_figure_spec_apply_preset (CdFigureSpec       *spec,
                             CdFigurePreset      preset,
                             const CdModel      *model,
                             const CdSystem     *system,
                             const CdTrajectory *traj)
{
  CdFigureSize size;

  g_return_if_fail (spec != NULL);
  g_return_if_fail (model != NULL);

  cd_figure_preset_size (preset, &size);
  spec->preset = preset;
  spec->width = size.width;
  spec->height = size.height;
  spec->scale = size.scale;
  spec->style = size.style;
  cd_figure_spec_fit_height (spec, model, system, traj);
}

void
cd_figure_spec_fit_height (CdFigureSpec       *spec,
                           const CdModel      *model,
                           const CdSystem     *system,
                           const CdTrajectory *traj)
{
  CdFigureSize size;
  CdRenderStyle style;

  g_return_if_fail (spec != NULL);
  g_return_if_fail (model != NULL);

  /* A slide is the screen's size whatever it shows; on a page the content
   * sets the height. */
  if (spec->preset != CD_FIGURE_PRESET_COLUMN && spec->preset != CD_FIGURE_PRESET_PAGE)
    return;
  cd_figure_preset_size (spec->preset, &size);
  /* a chart keeps the preset's proportions at another width */
  spec->height = (int) round ((double) size.height * spec->width / size.width);
  cd_render_style_init (&style, spec->style);
  if (spec->view == CD_FIGURE_NETWORK)
    {
      cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      cairo_t *cr = cairo_create (surface);
      guint sample = traj == NULL || traj->n_samples == 0 ? 0
                     : spec->time < 0 ? traj->n_samples - 1
                     : cd_trajectory_index_at (traj, spec->time);
      g_autofree char *time_text = time_text_of (spec, traj, sample);
      double strip = legend_strip (cr, spec->width, 0, model, time_text, spec->show_legend,
                                   legend_has_forces (spec, traj), &style, FALSE, NULL);
      double margin = NETWORK_MARGIN * style.font_scale;

      spec->height = (int) ceil ((spec->width - 2 * margin) * network_aspect (model) + 2 * margin
                                 + strip);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  else if (spec->view == CD_FIGURE_FORCES && spec->n_nodes > 0
           && spec->nodes[0] < model->nodes->len && system != NULL)
    {
      guint sample = traj == NULL || traj->n_samples == 0 ? 0
                     : spec->time < 0 ? traj->n_samples - 1
                     : cd_trajectory_index_at (traj, spec->time);

      spec->height = (int) ceil (cd_render_force_field_height (spec->width, model, system, traj,
                                                               spec->nodes[0], sample, &style,
                                                               spec->show_title));
    }
  spec->height = CLAMP (spec->height, 1, 20000);
}

typedef struct
{
  const CdModel      *model;
  const CdSystem     *system;
  const CdTrajectory *traj;
  const CdFigureSpec *spec;
} Job;

static void
draw_job (cairo_t  *cr,
          int       width,
          int       height,
          gpointer  data)
{
  Job *job = data;

  cd_figure_draw (cr, width, height, job->model, job->system, job->traj, job->spec);
}

gboolean
cd_figure_export (const CdModel      *model,
                  const CdSystem     *system,
                  const CdTrajectory *traj,
                  const CdFigureSpec *spec,
                  CdExportFormat      format,
                  const char         *path,
                  GCancellable       *cancellable,
                  GError            **error)
{
  Job job = { model, system, traj, spec };

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!cd_figure_check (model, traj, spec, error))
    return FALSE;
  return cd_export_to_file (format, path, spec->width, spec->height, spec->scale, draw_job,
                            &job, cancellable, error);
}

gboolean
cd_figure_export_to_file (const CdModel      *model,
                          const CdSystem     *system,
                          const CdTrajectory *traj,
                          const CdFigureSpec *spec,
                          CdExportFormat      format,
                          CdAtomicFile       *file,
                          GCancellable       *cancellable,
                          GError            **error)
{
  Job job = { model, system, traj, spec };

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (file != NULL, FALSE);

  if (!cd_figure_check (model, traj, spec, error))
    return FALSE;
  return cd_export_to_atomic_file (format, file, spec->width, spec->height, spec->scale,
                                   draw_job, &job, cancellable, error);
}
