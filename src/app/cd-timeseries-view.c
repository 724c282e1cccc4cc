/* cd-timeseries-view.c — time-series widget (see cd-timeseries-view.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cd-plot.h"
#include "cd-render-glue.h"
#include "cd-timeseries-view.h"

struct _CdTimeseriesView
{
  GtkWidget         parent_instance;

  CdRun            *run;
  CdTimeseriesKind  kind;
  GArray           *nodes;      /* of guint */
  GArray           *pairs;      /* of guint */
  double            cursor;
  GtkWidget        *readout;
};

G_DEFINE_FINAL_TYPE (CdTimeseriesView, cd_timeseries_view, GTK_TYPE_WIDGET)

enum
{
  SCRUB,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
make_spec (CdTimeseriesView *self,
           CdTimeseriesSpec *spec)
{
  cd_timeseries_spec_init (spec, self->kind);
  spec->nodes = (const guint *) (gpointer) self->nodes->data;
  spec->n_nodes = self->nodes->len;
  spec->partnerships = (const guint *) (gpointer) self->pairs->data;
  spec->n_partnerships = self->pairs->len;
  spec->show_events = TRUE;
  spec->show_interventions = TRUE;
  spec->show_legend = TRUE;
}

static void
cd_timeseries_view_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  CdTimeseriesView *self = CD_TIMESERIES_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  CdTimeseriesSpec spec;
  CdRenderStyle style;
  cairo_t *cr;

  if (self->run != NULL && width > 0 && height > 0)
    {
      make_spec (self, &spec);
      cd_widget_render_style (widget, &style);
      cr = cd_widget_begin_cairo (widget, snapshot);
      cd_render_timeseries (cr, width, height, self->run->model, self->run->trajectory, &spec,
                            self->cursor, &style);
      cairo_destroy (cr);
    }
  gtk_widget_snapshot_child (widget, self->readout, snapshot);
}

static double
time_at (CdTimeseriesView *self,
         double            px)
{
  CdTimeseriesSpec spec;
  CdRenderStyle style;

  make_spec (self, &spec);
  cd_widget_render_style (GTK_WIDGET (self), &style);
  return cd_timeseries_time_at (gtk_widget_get_width (GTK_WIDGET (self)),
                                gtk_widget_get_height (GTK_WIDGET (self)), self->run->model,
                                self->run->trajectory, &spec, &style, px);
}

static void
append_value (GString    *text,
              const char *label,
              double      value)
{
  /* A value that is not finite is never shown as "nan". */
  if (isfinite (value))
    g_string_append_printf (text, "   %s %.3f", label, value);
  else
    g_string_append_printf (text, "   %s –", label);
}

static void
update_readout (CdTimeseriesView *self,
                double            px)
{
  const CdTrajectory *traj;
  g_autoptr (GString) text = NULL;
  const CdModel *model;
  double t;
  guint s;

  if (self->run == NULL || self->run->trajectory->n_samples == 0)
    return;
  traj = self->run->trajectory;
  model = self->run->model;
  t = time_at (self, px);
  s = cd_plot_nearest_index (traj->t, traj->n_samples, t);
  text = g_string_new (NULL);
  g_string_append_printf (text, "t = %.2f", traj->t[s]);
  switch (self->kind)
    {
    case CD_TIMESERIES_MEAN_AND_LOSS:
      append_value (text, _("mean coordination"), traj->mean_coordination[s]);
      append_value (text, _("loss"), traj->loss[s]);
      break;
    case CD_TIMESERIES_NODES:
      for (guint k = 0; k < self->nodes->len && k < 4; k++)
        {
          guint i = g_array_index (self->nodes, guint, k);
          if (i < traj->n_nodes)
            append_value (text, cd_node_display_name (g_ptr_array_index (model->nodes, i)),
                          traj->x[(gsize) s * traj->n_nodes + i]);
        }
      break;
    case CD_TIMESERIES_FORCES:
      if (self->nodes->len > 0 && traj->gravity != NULL)
        {
          guint i = g_array_index (self->nodes, guint, 0);
          gsize at = (gsize) s * traj->n_nodes + i;
          if (i < traj->n_nodes)
            {
              append_value (text, cd_force_label (CD_FORCE_GRAVITY), traj->gravity[at]);
              append_value (text, cd_force_label (CD_FORCE_PRESSURE), traj->pressure[at]);
              append_value (text, cd_force_label (CD_FORCE_THRUST), traj->thrust[at]);
              append_value (text, cd_force_label (CD_FORCE_RESISTANCE), traj->resistance[at]);
            }
        }
      break;
    case CD_TIMESERIES_TRUST:
      for (guint k = 0; k < self->pairs->len && k < 4 && traj->trust != NULL; k++)
        {
          guint p = g_array_index (self->pairs, guint, k);
          if (p < traj->n_partnerships)
            append_value (text, cd_system_get_partnership_label (self->run->system, p),
                          traj->trust[(gsize) s * traj->n_partnerships + p]);
        }
      break;
    default:
      break;
    }
  gtk_label_set_text (GTK_LABEL (self->readout), text->str);
  gtk_widget_set_visible (self->readout, TRUE);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           CdTimeseriesView         *self)
{
  update_readout (self, x);
}

static void
on_leave (GtkEventControllerMotion *controller,
          CdTimeseriesView         *self)
{
  gtk_widget_set_visible (self->readout, FALSE);
}

static void
scrub (CdTimeseriesView *self,
       double            px)
{
  if (self->run != NULL && self->run->trajectory->n_samples > 0)
    g_signal_emit (self, signals[SCRUB], 0, time_at (self, px));
}

static void
on_drag_begin (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               CdTimeseriesView *self)
{
  scrub (self, x);
}

static void
on_drag_update (GtkGestureDrag   *gesture,
                double            dx,
                double            dy,
                CdTimeseriesView *self)
{
  double x0, y0;

  gtk_gesture_drag_get_start_point (gesture, &x0, &y0);
  scrub (self, x0 + dx);
  update_readout (self, x0 + dx);
}

static void
cd_timeseries_view_dispose (GObject *object)
{
  CdTimeseriesView *self = CD_TIMESERIES_VIEW (object);

  g_clear_pointer (&self->readout, gtk_widget_unparent);
  g_clear_pointer (&self->run, cd_run_unref);
  G_OBJECT_CLASS (cd_timeseries_view_parent_class)->dispose (object);
}

static void
cd_timeseries_view_finalize (GObject *object)
{
  CdTimeseriesView *self = CD_TIMESERIES_VIEW (object);

  g_array_unref (self->nodes);
  g_array_unref (self->pairs);
  G_OBJECT_CLASS (cd_timeseries_view_parent_class)->finalize (object);
}

static void
cd_timeseries_view_class_init (CdTimeseriesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_timeseries_view_dispose;
  object_class->finalize = cd_timeseries_view_finalize;
  widget_class->snapshot = cd_timeseries_view_snapshot;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cd-timeseries-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  /* The time under the pointer, when the user clicks or drags on the chart. */
  signals[SCRUB] =
    g_signal_new ("scrub", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
}

static void
cd_timeseries_view_init (CdTimeseriesView *self)
{
  GtkEventController *motion;
  GtkGesture *drag;

  self->nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  self->pairs = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cursor = -1.0;

  self->readout = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->readout, "cd-readout");
  gtk_widget_set_halign (self->readout, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->readout, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->readout, 4);
  gtk_widget_set_can_target (self->readout, FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (self->readout), PANGO_ELLIPSIZE_END);
  gtk_widget_set_visible (self->readout, FALSE);
  gtk_widget_set_parent (self->readout, GTK_WIDGET (self));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 120);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  cd_widget_follow_style (GTK_WIDGET (self));
}

GtkWidget *
cd_timeseries_view_new (void)
{
  return g_object_new (CD_TYPE_TIMESERIES_VIEW, NULL);
}

void
cd_timeseries_view_set_run (CdTimeseriesView *self,
                            CdRun            *run)
{
  g_return_if_fail (CD_IS_TIMESERIES_VIEW (self));

  if (run != NULL)
    cd_run_ref (run);
  g_clear_pointer (&self->run, cd_run_unref);
  self->run = run;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_timeseries_view_set_kind (CdTimeseriesView *self,
                             CdTimeseriesKind  kind)
{
  g_return_if_fail (CD_IS_TIMESERIES_VIEW (self));
  self->kind = kind;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_timeseries_view_set_nodes (CdTimeseriesView *self,
                              const guint      *nodes,
                              guint             n)
{
  g_return_if_fail (CD_IS_TIMESERIES_VIEW (self));
  g_array_set_size (self->nodes, 0);
  g_array_append_vals (self->nodes, nodes, n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_timeseries_view_set_partnerships (CdTimeseriesView *self,
                                     const guint      *pairs,
                                     guint             n)
{
  g_return_if_fail (CD_IS_TIMESERIES_VIEW (self));
  g_array_set_size (self->pairs, 0);
  g_array_append_vals (self->pairs, pairs, n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_timeseries_view_set_cursor (CdTimeseriesView *self,
                               double            t)
{
  g_return_if_fail (CD_IS_TIMESERIES_VIEW (self));
  self->cursor = t;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const CdTrajectory *
cd_timeseries_view_get_trajectory (CdTimeseriesView *self)
{
  g_return_val_if_fail (CD_IS_TIMESERIES_VIEW (self), NULL);
  return self->run != NULL ? self->run->trajectory : NULL;
}

gboolean
cd_timeseries_view_get_time_axis (CdTimeseriesView *self,
                                  double           *offset,
                                  double           *scale)
{
  int width;
  double px0, px1, t0, t1;

  g_return_val_if_fail (CD_IS_TIMESERIES_VIEW (self), FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  if (self->run == NULL || self->run->trajectory->n_samples < 2 || width < 10)
    return FALSE;
  /* The render library maps pixels to time linearly inside the plot area;
   * two interior probes recover that line. */
  px0 = width * 0.4;
  px1 = width * 0.6;
  t0 = time_at (self, px0);
  t1 = time_at (self, px1);
  if (!(t1 > t0))
    return FALSE;
  *scale = (px1 - px0) / (t1 - t0);
  *offset = px0 - *scale * t0;
  return isfinite (*scale) && isfinite (*offset);
}

gboolean
cd_timeseries_view_measure_legend (CdTimeseriesView *self,
                                   double            legend[4],
                                   GArray           *points)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  CdTimeseriesSpec spec;
  CdRenderStyle style;
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (CD_IS_TIMESERIES_VIEW (self), FALSE);
  if (self->run == NULL || width <= 0 || height <= 0)
    return FALSE;
  make_spec (self, &spec);
  cd_widget_render_style (widget, &style);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cd_plot_probe_begin ();
  cd_render_timeseries (cr, width, height, self->run->model, self->run->trajectory, &spec,
                        self->cursor, &style);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return cd_plot_probe_end (legend, points);
}
