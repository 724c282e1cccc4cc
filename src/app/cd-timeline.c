/* cd-timeline.c — emergencies and policy changes on a strip (see cd-timeline.h).
 *
 * The strip is simple enough (markers and short labels) that it is drawn
 * here with the shared palette rather than through a chart of src/render.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "cd-edits.h"
#include "cd-render-glue.h"
#include "cd-timeline.h"
#include "cd-timeseries-view.h"

#define MARGIN 16.0

struct _CdTimeline
{
  GtkWidget   parent_instance;

  CdDocument *document;
  double      cursor;
  GtkWidget  *axis_source;     /* weak: the chart below */
  int         drag_event;        /* index being dragged, −1 */
  int         drag_intervention;
  double      drag_t0;
  guint       drag_serial;
};

G_DEFINE_FINAL_TYPE (CdTimeline, cd_timeline, GTK_TYPE_WIDGET)

enum
{
  EVENT_ACTIVATED,
  INTERVENTION_ACTIVATED,
  SCRUB,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static double
t_end_of (CdTimeline *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  return model->sim.t_end > 0.0 ? model->sim.t_end : 1.0;
}

static gboolean
chart_axis (CdTimeline *self,
            double     *offset,
            double     *scale)
{
  return self->axis_source != NULL
         && cd_timeseries_view_get_time_axis (CD_TIMESERIES_VIEW (self->axis_source), offset,
                                              scale);
}

static double
t_to_px (CdTimeline *self,
         double      t)
{
  double offset, scale;
  double w = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * MARGIN;

  if (chart_axis (self, &offset, &scale))
    return offset + scale * CLAMP (t, 0.0, t_end_of (self));
  return MARGIN + CLAMP (t / t_end_of (self), 0.0, 1.0) * MAX (w, 1.0);
}

static double
px_to_t (CdTimeline *self,
         double      px)
{
  double offset, scale;
  double w = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * MARGIN;

  if (chart_axis (self, &offset, &scale))
    return CLAMP ((px - offset) / scale, 0.0, t_end_of (self));
  return CLAMP ((px - MARGIN) / MAX (w, 1.0), 0.0, 1.0) * t_end_of (self);
}

static void
draw_marker (cairo_t       *cr,
             PangoLayout   *layout,
             double         x,
             double         h,
             gboolean       up,
             CdColor        color,
             CdColor        text,
             const char    *label)
{
  int tw, th;

  cd_color_set_source (cr, color);
  cairo_set_line_width (cr, 2.0);
  cairo_move_to (cr, x, 4);
  cairo_line_to (cr, x, h - 4);
  cairo_stroke (cr);
  if (up)
    {
      cairo_move_to (cr, x - 6, 4);
      cairo_line_to (cr, x + 6, 4);
      cairo_line_to (cr, x, 14);
    }
  else
    {
      cairo_move_to (cr, x - 6, h - 4);
      cairo_line_to (cr, x + 6, h - 4);
      cairo_line_to (cr, x, h - 14);
    }
  cairo_close_path (cr);
  cairo_fill (cr);

  pango_layout_set_text (layout, label, -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cd_color_set_source (cr, text);
  cairo_move_to (cr, x + 8, up ? 2 : h - th - 2);
  pango_cairo_show_layout (cr, layout);
}

/* The room a label at x has on its row: up to the next marker of that row
 * (emergencies on top, policy changes at the bottom) or the widget's end.
 * A fixed width cut "Nankai Trough earthquake" with room to spare. */
static double
label_room (CdTimeline    *self,
            const CdModel *model,
            double         x,
            gboolean       up)
{
  double next = gtk_widget_get_width (GTK_WIDGET (self));

  if (up)
    for (guint k = 0; k < model->events->len; k++)
      {
        double e = t_to_px (self, ((const CdEvent *) g_ptr_array_index (model->events, k))->onset);
        if (e > x + 1 && e < next)
          next = e;
      }
  else
    for (guint k = 0; k < model->interventions->len; k++)
      {
        double e = t_to_px (self,
                            ((const CdIntervention *) g_ptr_array_index (model->interventions,
                                                                          k))->at);
        if (e > x + 1 && e < next)
          next = e;
      }
  return MAX (60.0, next - x - 14.0);
}

/* A policy change's label: the parameter it sets, or how many it sets. */
static char *
intervention_label (const CdIntervention *iv)
{
  if (iv->settings->len == 1)
    {
      CdParam param = g_array_index (iv->settings, CdSetting, 0).param;
      return g_strdup (_(cd_param_info (param)->label));
    }
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u policy change",
                                       "%u policy changes", iv->settings->len),
                          iv->settings->len);
}

static void
cd_timeline_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  CdTimeline *self = CD_TIMELINE (widget);
  const CdModel *model;
  CdRenderStyle style;
  PangoLayout *layout;
  double h = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->document == NULL)
    return;
  model = cd_document_get_model (self->document);
  cd_widget_render_style (widget, &style);
  cr = cd_widget_begin_cairo (widget, snapshot);
  layout = gtk_widget_create_pango_layout (widget, NULL);
  pango_layout_set_width (layout, 160 * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);

  /* The time axis. */
  cd_color_set_source (cr, cd_palette_grid (&style));
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, t_to_px (self, 0.0), h / 2);
  cairo_line_to (cr, t_to_px (self, t_end_of (self)), h / 2);
  cairo_stroke (cr);

  for (guint k = 0; k < model->events->len; k++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, k);
      g_autofree char *label = NULL;

      label = *cd_event_display_name (ev) != '\0' ? g_strdup (cd_event_display_name (ev))
                                : g_strdup_printf (_("Emergency %u"), k + 1);
      pango_layout_set_width (layout, (int) (label_room (self, model, t_to_px (self, ev->onset),
                                                         TRUE) * PANGO_SCALE));
      draw_marker (cr, layout, t_to_px (self, ev->onset), h, TRUE, cd_palette_event (&style),
                   cd_palette_foreground (&style), label);
    }
  for (guint k = 0; k < model->interventions->len; k++)
    {
      const CdIntervention *iv = g_ptr_array_index (model->interventions, k);
      g_autofree char *label = intervention_label (iv);
      pango_layout_set_width (layout, (int) (label_room (self, model, t_to_px (self, iv->at),
                                                         FALSE) * PANGO_SCALE));
      draw_marker (cr, layout, t_to_px (self, iv->at), h, FALSE,
                   cd_palette_intervention (&style), cd_palette_foreground (&style), label);
    }
  if (self->cursor >= 0.0)
    {
      cd_color_set_source (cr, cd_palette_selection (&style));
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, t_to_px (self, self->cursor), 0);
      cairo_line_to (cr, t_to_px (self, self->cursor), h);
      cairo_stroke (cr);
    }
  g_object_unref (layout);
  cairo_destroy (cr);
}

/* The marker under x (within 8 px), preferring the one the user aimed at
 * vertically: emergencies hang from the top, policy changes stand at the
 * bottom. */
static void
hit (CdTimeline *self,
     double      x,
     double      y,
     int        *event,
     int        *intervention)
{
  const CdModel *model = cd_document_get_model (self->document);
  gboolean top = y < gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double best = 8.0;

  *event = *intervention = -1;
  for (guint k = 0; k < model->events->len; k++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, k);
      double d = fabs (t_to_px (self, ev->onset) - x) + (top ? 0.0 : 4.0);
      if (d < best)
        {
          best = d;
          *event = (int) k;
        }
    }
  for (guint k = 0; k < model->interventions->len; k++)
    {
      const CdIntervention *iv = g_ptr_array_index (model->interventions, k);
      double d = fabs (t_to_px (self, iv->at) - x) + (top ? 4.0 : 0.0);
      if (d < best)
        {
          best = d;
          *event = -1;
          *intervention = (int) k;
        }
    }
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               CdTimeline     *self)
{
  const CdModel *model;

  if (self->document == NULL)
    return;
  model = cd_document_get_model (self->document);
  hit (self, x, y, &self->drag_event, &self->drag_intervention);
  self->drag_serial++;
  cd_document_break_merge (self->document);
  if (self->drag_event >= 0)
    {
      self->drag_t0 = ((CdEvent *) g_ptr_array_index (model->events, self->drag_event))->onset;
      g_signal_emit (self, signals[EVENT_ACTIVATED], 0, self->drag_event);
    }
  else if (self->drag_intervention >= 0)
    {
      self->drag_t0 = ((CdIntervention *) g_ptr_array_index (model->interventions,
                                                             self->drag_intervention))->at;
      g_signal_emit (self, signals[INTERVENTION_ACTIVATED], 0, self->drag_intervention);
    }
  else
    g_signal_emit (self, signals[SCRUB], 0, px_to_t (self, x));
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                CdTimeline     *self)
{
  const CdModel *model;
  g_autofree char *key = NULL;
  double x0, y0, t;

  if (self->document == NULL || fabs (dx) < 3.0)
    return;
  model = cd_document_get_model (self->document);
  gtk_gesture_drag_get_start_point (gesture, &x0, &y0);
  /* Whole tenths: times a user can read back and type. */
  t = round (px_to_t (self, t_to_px (self, self->drag_t0) + dx) * 10.0) / 10.0;
  key = g_strdup_printf ("timeline:%u", self->drag_serial);
  if (self->drag_event >= 0 && (guint) self->drag_event < model->events->len)
    {
      g_autoptr (CdEvent) ev = cd_event_copy (g_ptr_array_index (model->events, self->drag_event));
      CdSetEvent set = { self->drag_event, ev };
      ev->onset = t;
      cd_document_apply (self->document, _("Move Emergency"), key, CD_CHANGE_VALUES,
                         cd_edit_set_event, &set, NULL);
    }
  else if (self->drag_intervention >= 0
           && (guint) self->drag_intervention < model->interventions->len)
    {
      g_autoptr (CdIntervention) iv =
        cd_intervention_copy (g_ptr_array_index (model->interventions, self->drag_intervention));
      CdSetIntervention set = { self->drag_intervention, iv };
      iv->at = t;
      cd_document_apply (self->document, _("Move Policy Change"), key, CD_CHANGE_VALUES,
                         cd_edit_set_intervention, &set, NULL);
    }
  else
    g_signal_emit (self, signals[SCRUB], 0, px_to_t (self, x0 + dx));
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             CdTimeline     *self)
{
  if (self->document != NULL)
    cd_document_break_merge (self->document);
  self->drag_event = self->drag_intervention = -1;
}

static void
on_changed (CdDocument *document,
            guint       flags,
            CdTimeline *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cd_timeline_dispose (GObject *object)
{
  CdTimeline *self = CD_TIMELINE (object);

  cd_document_unfollow (&self->document, self);
  g_clear_weak_pointer (&self->axis_source);
  G_OBJECT_CLASS (cd_timeline_parent_class)->dispose (object);
}

static void
cd_timeline_class_init (CdTimelineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cd_timeline_dispose;
  widget_class->snapshot = cd_timeline_snapshot;
  gtk_widget_class_set_css_name (widget_class, "cd-timeline");

  signals[EVENT_ACTIVATED] =
    g_signal_new ("event-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[INTERVENTION_ACTIVATED] =
    g_signal_new ("intervention-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SCRUB] =
    g_signal_new ("scrub", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
}

/* The marker whose label (right of it on its row: emergencies on top,
 * policy changes below) is under (x, y), as -1 or an index in each. */
static void
label_at (CdTimeline    *self,
          const CdModel *model,
          double         x,
          double         y,
          int           *event,
          int           *intervention)
{
  gboolean up = y < gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  guint n = up ? model->events->len : model->interventions->len;
  double best = -G_MAXDOUBLE;

  *event = *intervention = -1;
  for (guint k = 0; k < n; k++)
    {
      double px = up ? t_to_px (self, ((const CdEvent *) g_ptr_array_index (model->events,
                                                                             k))->onset)
                     : t_to_px (self, ((const CdIntervention *) g_ptr_array_index (
                                         model->interventions, k))->at);

      if (px < x && px > best && x <= px + 8 + label_room (self, model, px, up))
        {
          best = px;
          *(up ? event : intervention) = (int) k;
        }
    }
}

/* Over a marker, its whole name: a label that still had to be cut
 * ("…") is read here, an emergency's or a policy change's. */
static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  CdTimeline *self)
{
  const CdModel *model;
  int event, intervention;

  if (keyboard || self->document == NULL)
    return FALSE;
  model = cd_document_get_model (self->document);
  hit (self, x, y, &event, &intervention);
  if (event < 0 && intervention < 0)
    label_at (self, model, x, y, &event, &intervention);
  if (event >= 0)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, event);
      g_autofree char *fallback = g_strdup_printf (_("Emergency %u"), (guint) event + 1);

      gtk_tooltip_set_text (tooltip, *cd_event_display_name (ev) != '\0'
                                     ? cd_event_display_name (ev) : fallback);
      return TRUE;
    }
  if (intervention >= 0)
    {
      /* a policy change's label is cut in a crowd too */
      g_autofree char *label = intervention_label (g_ptr_array_index (model->interventions,
                                                                      intervention));
      gtk_tooltip_set_text (tooltip, label);
      return TRUE;
    }
  return FALSE;
}

static void
cd_timeline_init (CdTimeline *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  self->cursor = -1.0;
  self->drag_event = self->drag_intervention = -1;
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 44);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _("Emergencies (top) and policy changes (bottom): click one to "
                                 "edit it, drag it to move it in time"));
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
  cd_widget_follow_style (GTK_WIDGET (self));
}

GtkWidget *
cd_timeline_new (void)
{
  return g_object_new (CD_TYPE_TIMELINE, NULL);
}

void
cd_timeline_set_document (CdTimeline *self,
                          CdDocument *document)
{
  g_return_if_fail (CD_IS_TIMELINE (self));

  cd_document_follow (&self->document, document, self, G_CALLBACK (on_changed));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_timeline_set_cursor (CdTimeline *self,
                        double      t)
{
  g_return_if_fail (CD_IS_TIMELINE (self));
  self->cursor = t;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_timeline_set_axis_source (CdTimeline *self,
                             GtkWidget  *timeseries)
{
  g_return_if_fail (CD_IS_TIMELINE (self));
  g_return_if_fail (timeseries == NULL || CD_IS_TIMESERIES_VIEW (timeseries));

  g_set_weak_pointer (&self->axis_source, timeseries);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
