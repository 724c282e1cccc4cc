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

/* A trust series of every partnership of a large model is unreadable. */
#define MAX_DEFAULT_PARTNERSHIPS 12

/* Network margin in pixels, as the command line has always drawn it. */
#define NETWORK_MARGIN 10

static const char * const view_names[] = { "network", "forces", "timeseries" };
static const char * const series_names[] = { "mean", "nodes", "forces", "trust" };

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
      || (guint) spec->style > CD_STYLE_PROJECTOR)
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

void
cd_figure_draw (cairo_t            *cr,
                int                 width,
                int                 height,
                const CdModel      *model,
                const CdSystem     *system,
                const CdTrajectory *traj,
                const CdFigureSpec *spec)
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
        CdNetworkOverlay overlay;

        cd_network_view_sync (net, model);
        /* room for what this style draws around the nodes, no more */
        cd_network_view_fit_for (net, width, height, NETWORK_MARGIN, &style, spec->show_glyphs);
        cd_network_overlay_init (&overlay);
        overlay.show_legend = spec->show_legend;
        overlay.show_labels = spec->show_labels;
        overlay.show_glyphs = spec->show_glyphs;
        overlay.show_flow_arrows = spec->show_flows;
        cd_render_network (cr, width, height, net, model, system, traj, sample, &overlay,
                           &style);
      }
      break;

    case CD_FIGURE_FORCES:
      /* Out of range (or none) draws the diagram's own message. */
      cd_render_force_field (cr, width, height, model, system, traj,
                             spec->n_nodes > 0 ? spec->nodes[0] : G_MAXUINT, sample, &style);
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
        cd_render_timeseries (cr, width, height, model, traj, &ts, spec->time, &style);
      }
      break;
    }
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
