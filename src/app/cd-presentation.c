/* cd-presentation.c — presentation mode (see cd-presentation.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cd-canvas.h"
#include "cd-presentation.h"
#include "cd-render.h"
/* the legend strip and the render probe: the presentation lays out its
 * legend apart from the network, and its tests measure what it draws */
#include "cd-render-private.h"
#include "cd-settings.h"
#include "cd-window.h"
#include "coordyn-resources.h"

/* A whole run plays in this many seconds, as in the main window, so a
 * room sees the same pace whatever the model's time unit. */
#define PLAY_SECONDS 12.0
/* The smallest text drawn, as a share of the screen's height: legible
 * from the back of a classroom (2.5 % is 18 px on a 720-line projector). */
#define ROOM_MIN_TEXT 0.025
/* The render's smallest type (legends, tick labels) in px at font_scale 1. */
#define RENDER_MIN_FONT 11.0
/* The pointer hides after this long without moving: it would sit in the
 * middle of the projected network otherwise. */
#define POINTER_HIDE_MS 2000

struct _CdPresentation
{
  AdwWindow            parent_instance;

  /* template children */
  GtkWidget           *scenario_label;
  GtkWidget           *subtitle_label;
  GtkWidget           *time_label;
  GtkWidget           *network_area;
  GtkWidget           *chart_area;
  GtkWidget           *hint_label;

  CdDocument          *document;
  CdRunner            *runner;
  /* One slot per scenario, slot 0 the base model: its run once it has
   * arrived, or why it failed. */
  GPtrArray           *runs;       /* of CdRun or NULL */
  GPtrArray           *errors;     /* of char* or NULL */
  int                  computing;  /* the slot the runner works on, −1: none */

  int                  scenario;   /* −1: base model */
  double               t;
  char                *node_id;    /* the government in the force diagram */
  CdPresentationChart  chart;

  CdNetworkView       *view;
  CdRun               *view_run;   /* the run the view was last synced to */

  guint                play_tick;
  gint64               play_last_us;
  guint                pointer_timeout;
  guint                room_idle;
  /* force_title_fits' last answer and what it was for */
  CdRun               *title_run;   /* compared, never dereferenced */
  int                  title_node, title_w, title_h;
  guint                title_sample;
  double               title_font;
  gboolean             title_fits;
};

G_DEFINE_FINAL_TYPE (CdPresentation, cd_presentation, ADW_TYPE_WINDOW)

static GtkCssProvider *css_provider;
/* The user's text scale (the presentation-font-scale setting), shared by
 * every presentation like the CSS that depends on it. */
static double font_scale = 1.6;
/* The height of the screen the presentation fills; the type grows with it. */
static int room_height = 720;

/* Above the default setting (1.6), the user's scale enlarges everything. */
static double
user_factor (void)
{
  return MAX (1.0, font_scale / 1.6);
}

/* The drawings' font scale: their smallest type ROOM_MIN_TEXT of the
 * screen's height at least. */
static double
room_font_scale (void)
{
  return ROOM_MIN_TEXT * room_height * user_factor () / RENDER_MIN_FONT;
}

/* ---- Style -------------------------------------------------------------- */

static void
presentation_style (CdRenderStyle *style)
{
  cd_render_style_init (style, CD_STYLE_PROJECTOR);
  style->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  style->font_scale = room_font_scale ();
  style->line_scale = MAX (style->line_scale, style->line_scale * room_height / 720.0);
}

/* The labels take the same ink and paper as the drawings, so the screen
 * reads as one surface rather than panels (libadwaita's greys are softer
 * than the projector's pure black and white). */
static void
update_css (void)
{
  CdRenderStyle style;
  g_autofree char *bg = NULL;
  g_autofree char *fg = NULL;
  g_autofree char *muted = NULL;
  g_autofree char *css = NULL;
  /* The read-outs are sized by the screen's height, as the drawings' type
   * is; the hint line, the smallest, keeps to ROOM_MIN_TEXT. */
  double h = room_height * user_factor ();
  char scenario_px[G_ASCII_DTOSTR_BUF_SIZE], subtitle_px[G_ASCII_DTOSTR_BUF_SIZE];
  char time_px[G_ASCII_DTOSTR_BUF_SIZE], hint_px[G_ASCII_DTOSTR_BUF_SIZE];

  presentation_style (&style);
  /* CSS wants "." whatever the locale. */
  g_ascii_formatd (scenario_px, sizeof scenario_px, "%.1f", 0.045 * h);
  g_ascii_formatd (subtitle_px, sizeof subtitle_px, "%.1f", 0.029 * h);
  g_ascii_formatd (time_px, sizeof time_px, "%.1f", 0.06 * h);
  g_ascii_formatd (hint_px, sizeof hint_px, "%.1f", (ROOM_MIN_TEXT + 0.001) * h);
  bg = cd_color_to_hex (cd_palette_background (&style));
  fg = cd_color_to_hex (cd_palette_foreground (&style));
  muted = cd_color_to_hex (cd_palette_muted (&style));
  css = g_strdup_printf (
    "window.cd-presentation { background-color: %s; color: %s; }\n"
    "window.cd-presentation .cd-present-scenario { font-size: %spx; font-weight: 800; }\n"
    "window.cd-presentation .cd-present-subtitle { font-size: %spx; color: %s; }\n"
    "window.cd-presentation .cd-present-time { font-size: %spx; font-weight: 800;"
    " font-feature-settings: \"tnum\"; }\n"
    "window.cd-presentation .cd-present-hint { font-size: %spx; color: %s; }\n",
    bg, fg, scenario_px, subtitle_px, muted, time_px, hint_px, muted);
  gtk_css_provider_load_from_data (css_provider, css, -1);
}

static void
on_style_changed (AdwStyleManager *manager,
                  GParamSpec      *pspec,
                  CdPresentation  *self)
{
  update_css ();
  gtk_widget_queue_draw (self->network_area);
  gtk_widget_queue_draw (self->chart_area);
}

static void
on_font_scale_changed (CdSettings     *settings,
                       GParamSpec     *pspec,
                       CdPresentation *self)
{
  font_scale = cd_settings_get_presentation_font_scale (settings);
  on_style_changed (NULL, NULL, self);
}

static void
ensure_css (GtkWidget *widget)
{
  if (css_provider != NULL)
    return;
  css_provider = gtk_css_provider_new ();
  update_css ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (widget),
                                              GTK_STYLE_PROVIDER (css_provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* ---- Runs --------------------------------------------------------------- */

static guint
n_slots (CdPresentation *self)
{
  return cd_document_get_model (self->document)->scenarios->len + 1;
}

static CdRun *
shown_run (CdPresentation *self)
{
  guint slot = (guint) (self->scenario + 1);

  return slot < self->runs->len ? g_ptr_array_index (self->runs, slot) : NULL;
}

static const char *
shown_error (CdPresentation *self)
{
  guint slot = (guint) (self->scenario + 1);

  return slot < self->errors->len ? g_ptr_array_index (self->errors, slot) : NULL;
}

static double
run_end (CdPresentation *self)
{
  CdRun *run = shown_run (self);

  if (run != NULL && run->trajectory->n_samples > 0)
    return run->trajectory->t[run->trajectory->n_samples - 1];
  return cd_document_get_model (self->document)->sim.t_end;
}

/* One key press moves one time unit on the usual horizons; on a short run
 * a tenth of it, so that ten presses always cross the whole run or less. */
static double
time_step (CdPresentation *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  double end = run_end (self);

  return MAX (model->sim.dt, end >= 10.0 ? 1.0 : end / 10.0);
}

static void
request_slot (CdPresentation *self,
              guint           slot)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CdModel) model = NULL;

  model = cd_model_apply_scenario (cd_document_get_model (self->document), (int) slot - 1, &error);
  if (model == NULL)
    {
      g_free (g_ptr_array_index (self->errors, slot));
      g_ptr_array_index (self->errors, slot) = g_strdup (error->message);
      return;
    }
  self->computing = (int) slot;
  cd_runner_request (self->runner, model);
}

/* The shown scenario first, then the others in order, one at a time, so
 * that stepping through scenarios in front of a room never waits. */
static void
schedule_runs (CdPresentation *self)
{
  guint shown = (guint) (self->scenario + 1);

  if (self->computing >= 0)
    {
      if ((guint) self->computing == shown || shown_run (self) != NULL
          || shown_error (self) != NULL)
        return;
      /* A background run for another scenario yields to the one asked for. */
      cd_runner_cancel (self->runner);
      self->computing = -1;
    }
  if (shown_run (self) == NULL && shown_error (self) == NULL)
    {
      request_slot (self, shown);
      return;
    }
  for (guint slot = 0; slot < self->runs->len; slot++)
    if (g_ptr_array_index (self->runs, slot) == NULL
        && g_ptr_array_index (self->errors, slot) == NULL)
      {
        request_slot (self, slot);
        return;
      }
}

static void update_display (CdPresentation *self);

static void
on_run_changed (CdRunner       *runner,
                CdPresentation *self)
{
  CdRun *run = cd_runner_get_run (runner);
  guint slot;

  if (self->computing < 0 || run == NULL)
    return;
  slot = (guint) self->computing;
  self->computing = -1;
  if (slot < self->runs->len)
    {
      g_clear_pointer (&g_ptr_array_index (self->runs, slot), cd_run_unref);
      g_ptr_array_index (self->runs, slot) = cd_run_ref (run);
    }
  update_display (self);
  schedule_runs (self);
}

static void
on_runner_error (CdRunner       *runner,
                 GParamSpec     *pspec,
                 CdPresentation *self)
{
  const char *error = cd_runner_get_error (runner);
  guint slot;

  if (error == NULL || self->computing < 0)
    return;
  slot = (guint) self->computing;
  self->computing = -1;
  if (slot < self->errors->len)
    {
      g_free (g_ptr_array_index (self->errors, slot));
      g_ptr_array_index (self->errors, slot) = g_strdup (error);
    }
  update_display (self);
  schedule_runs (self);
}

static void
reset_runs (CdPresentation *self)
{
  guint n = n_slots (self);

  cd_runner_cancel (self->runner);
  self->computing = -1;
  /* A new run may come at a freed one's address: make the view resync. */
  self->view_run = NULL;
  g_ptr_array_set_size (self->runs, 0);
  g_ptr_array_set_size (self->errors, 0);
  g_ptr_array_set_size (self->runs, n);
  g_ptr_array_set_size (self->errors, n);
}

/* ---- The government in the force diagram -------------------------------- */

/* The government the emergencies hit hardest (magnitude × impact), where
 * the forces have the most to show; the first one without emergencies. */
static int
default_node (const CdModel *model)
{
  g_autofree double *hit = NULL;
  int best = model->nodes->len > 0 ? 0 : -1;

  if (model->nodes->len == 0)
    return -1;
  hit = g_new0 (double, model->nodes->len);
  for (guint k = 0; k < model->events->len; k++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, k);

      for (guint j = 0; j < ev->impacts->len; j++)
        {
          const CdImpact *impact = &g_array_index (ev->impacts, CdImpact, j);
          int i = cd_model_find_node (model, impact->node);
          if (i >= 0)
            hit[i] += ev->magnitude * impact->a;
        }
    }
  for (guint i = 1; i < model->nodes->len; i++)
    if (hit[i] > hit[best])
      best = (int) i;
  return best;
}

static int
node_index (CdPresentation *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  int i = self->node_id != NULL ? cd_model_find_node (model, self->node_id) : -1;

  return i;
}

static void
set_node (CdPresentation *self,
          int             index)
{
  const CdModel *model = cd_document_get_model (self->document);

  g_clear_pointer (&self->node_id, g_free);
  if (index >= 0 && (guint) index < model->nodes->len)
    self->node_id = g_strdup (((CdNode *) g_ptr_array_index (model->nodes, index))->id);
  update_display (self);
}

/* ---- Display ------------------------------------------------------------ */

static guint
shown_sample (CdPresentation *self)
{
  CdRun *run = shown_run (self);

  if (run == NULL || run->trajectory->n_samples == 0)
    return 0;
  return cd_trajectory_index_at (run->trajectory, self->t + 1e-9);
}

static char *
scenario_name (const CdModel *model,
               int            scenario)
{
  const CdScenario *sc;

  if (scenario < 0)
    return g_strdup (_("Base model"));
  sc = g_ptr_array_index (model->scenarios, scenario);
  return g_strdup (cd_localized_lookup (sc->names, sc->name));
}

static void
update_display (CdPresentation *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  g_autofree char *time_text = NULL;
  g_autofree char *name = scenario_name (model, self->scenario);
  g_autofree char *subtitle = NULL;
  g_autofree char *state = NULL;
  int node = node_index (self);

  /* Translators: the time read-out, e.g. "t = 12.0" */
  time_text = g_strdup_printf (_("t = %.1f"), self->t);
  gtk_label_set_text (GTK_LABEL (self->time_label), time_text);
  gtk_label_set_text (GTK_LABEL (self->scenario_label), name);

  if (shown_error (self) != NULL)
    state = g_strdup (_("the simulation failed"));
  else if (shown_run (self) == NULL)
    state = g_strdup (_("simulating…"));
  else if (self->chart == CD_PRESENTATION_CHART_FORCES && node >= 0)
    state = g_strdup (cd_node_display_name (g_ptr_array_index (model->nodes, node)));
  if (model->scenarios->len > 0)
    /* Translators: model name · scenario position, e.g. "Yangtze River Delta · 2 of 3" */
    subtitle = g_strdup_printf (_("%s · %d of %u"), cd_model_display_name (model),
                                self->scenario + 2, model->scenarios->len + 1);
  else
    subtitle = g_strdup (cd_model_display_name (model));
  if (state != NULL)
    {
      char *both = g_strdup_printf ("%s · %s", subtitle, state);
      g_free (subtitle);
      subtitle = both;
    }
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), subtitle);

  gtk_widget_queue_draw (self->network_area);
  gtk_widget_queue_draw (self->chart_area);
}

static void
set_time (CdPresentation *self,
          double          t)
{
  double end = run_end (self);

  self->t = isfinite (t) ? CLAMP (t, 0.0, end) : 0.0;
  update_display (self);
}

/* A message in the middle of an area: no run yet, or a failed one. */
static void
draw_message (cairo_t             *cr,
              int                  width,
              int                  height,
              const char          *message,
              const CdRenderStyle *style)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 20");
  int tw, th;

  cd_color_set_source (cr, cd_palette_background (style));
  cairo_paint (cr);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, MAX (1, width - 80) * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, message, -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cd_color_set_source (cr, cd_palette_muted (style));
  cairo_move_to (cr, 40, (height - th) / 2.0);
  pango_cairo_show_layout (cr, layout);
  pango_font_description_free (font);
  g_object_unref (layout);
}

static char *
waiting_message (CdPresentation *self)
{
  const char *error = shown_error (self);

  if (error != NULL)
    /* Translators: %s is the reason */
    return g_strdup_printf (_("This scenario could not be simulated: %s"), error);
  return g_strdup (_("Simulating…"));
}

/* The network with its legend strip below it, apart: drawn over it, as
 * on the desktop canvas, the legend would hide governments, and beside it
 * it took a quarter of a projector's width.  Every government of a small
 * network is named (farther out with a leader line where its neighbours
 * crowd it).  Appends the boxes of the names and the legend to boxes (may
 * be NULL). */
static void
paint_network (CdPresentation *self,
               cairo_t        *cr,
               int             width,
               int             height,
               GArray         *boxes,
               GArray         *shapes,
               GArray         *segments)
{
  CdRun *run = shown_run (self);
  CdRenderStyle style;
  CdNetworkOverlay overlay;
  g_autofree gboolean *selected = NULL;
  double strip_w, strip_h, pad, margin;
  int node;

  presentation_style (&style);
  if (run == NULL)
    {
      g_autofree char *message = waiting_message (self);
      draw_message (cr, width, height, message, &style);
      return;
    }
  if (run != self->view_run)
    {
      cd_network_view_sync (self->view, run->model);
      self->view_run = run;
    }
  pad = 6.0 * style.font_scale;
  strip_h = cd_render_network_legend_strip (cr, 0, 0, width - 2 * pad, run->model, TRUE, FALSE,
                                            &style, &strip_w);
  /* the names find room between the governments, spread to fill the area,
   * rather than in a wide border round them */
  margin = 12.0 * style.line_scale;
  /* a compact layout on a wide screen spreads out to fill it: names find
   * room between the governments, and the network reads from the back */
  cd_network_view_fit_fill (self->view, width, MAX (1, (int) (height - strip_h - pad)), margin,
                            &style, TRUE, 1.8);

  cd_network_overlay_init (&overlay);
  overlay.show_labels = TRUE;
  overlay.show_glyphs = TRUE;
  overlay.show_legend = FALSE;
  overlay.show_time = FALSE;   /* the large read-out above says it */
  overlay.name_all = TRUE;
  node = cd_model_find_node (run->model, self->node_id != NULL ? self->node_id : "");
  if (node >= 0 && self->chart == CD_PRESENTATION_CHART_FORCES)
    {
      selected = g_new0 (gboolean, run->model->nodes->len);
      selected[node] = TRUE;
      overlay.selected_nodes = selected;
    }
  /* the names keep above the strip: the network is drawn in its own band */
  cd_render_network_layout (cr, width, (int) (height - strip_h - pad), self->view, run->model,
                            run->system, run->trajectory, shown_sample (self), &overlay, &style,
                            boxes, shapes, segments);
  cd_color_set_source (cr, cd_palette_background (&style));
  cairo_rectangle (cr, 0, height - strip_h - pad, width, strip_h + pad);
  cairo_fill (cr);
  cd_render_network_legend_strip (cr, (width - strip_w) / 2.0, height - strip_h, strip_w + 1,
                                  run->model, TRUE, TRUE, &style, NULL);
  if (boxes != NULL)
    {
      CdRenderBox legend = { (width - strip_w) / 2.0, height - strip_h, strip_w, strip_h,
                             CD_BOX_MARK, 0 };
      g_array_append_val (boxes, legend);
    }
}

/* The CSS is changed outside of a layout pass. */
static gboolean
apply_room_height (gpointer data)
{
  CdPresentation *self = data;
  int h = gtk_widget_get_height (GTK_WIDGET (self));

  self->room_idle = 0;
  if (h > 0 && h != room_height)
    {
      room_height = h;
      update_css ();
      gtk_widget_queue_draw (self->network_area);
      gtk_widget_queue_draw (self->chart_area);
    }
  return G_SOURCE_REMOVE;
}

/* The screen the presentation fills sets its type size: checked at every
 * frame, as the window goes full screen after it first draws. */
static void
check_room_height (CdPresentation *self)
{
  if (gtk_widget_get_height (GTK_WIDGET (self)) != room_height && self->room_idle == 0)
    self->room_idle = g_idle_add (apply_room_height, self);
}

static void
draw_network (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  check_room_height (user_data);
  paint_network (user_data, cr, width, height, NULL, NULL, NULL);
}

/* Whether the force diagram has room for its title and subtitle.  They
 * repeat the read-outs above (the time) and the selection ring: on a
 * short screen they give way to the rest.  Measured once for a frame's
 * size, state and style (and before a probe, so as not to be counted). */
static gboolean
force_title_fits_for (CdPresentation *self,
                      int             node,
                      int             width,
                      int             height)
{
  CdRun *run = shown_run (self);
  CdRenderStyle style;
  guint sample;

  if (run == NULL || node < 0)
    return TRUE;
  sample = shown_sample (self);
  presentation_style (&style);
  if (self->title_run != run || self->title_node != node || self->title_sample != sample
      || self->title_w != width || self->title_h != height
      || self->title_font != style.font_scale)
    {
      self->title_run = run;
      self->title_node = node;
      self->title_sample = sample;
      self->title_w = width;
      self->title_h = height;
      self->title_font = style.font_scale;
      self->title_fits = cd_render_force_field_height (width, run->model, run->system,
                                                       run->trajectory, (guint) node, sample,
                                                       &style, TRUE) <= height;
    }
  return self->title_fits;
}

/* The same for the government shown. */
static gboolean
force_title_fits (CdPresentation *self,
                  int             width,
                  int             height)
{
  CdRun *run = shown_run (self);

  if (run == NULL)
    return TRUE;
  return force_title_fits_for (self, cd_model_find_node (run->model, self->node_id != NULL
                                                                     ? self->node_id : ""),
                               width, height);
}

static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  CdPresentation *self = user_data;
  CdRun *run = shown_run (self);
  CdRenderStyle style;
  int node;

  presentation_style (&style);
  if (run == NULL)
    {
      cd_color_set_source (cr, cd_palette_background (&style));
      cairo_paint (cr);
      return;
    }
  node = cd_model_find_node (run->model, self->node_id != NULL ? self->node_id : "");
  if (self->chart == CD_PRESENTATION_CHART_FORCES && node >= 0)
    {
      cd_render_force_field_full (cr, width, height, run->model, run->system, run->trajectory,
                                  (guint) node, shown_sample (self), &style,
                                  force_title_fits (self, width, height), NULL);
    }
  else
    {
      CdTimeseriesSpec spec;

      /* as on a slide: the legend in rows of its own under the axes and a
       * long title on two lines, nothing cut or over the curves */
      style.paper = TRUE;
      cd_timeseries_spec_init (&spec, CD_TIMESERIES_MEAN_AND_LOSS);
      spec.show_events = TRUE;
      spec.show_interventions = TRUE;
      spec.show_legend = TRUE;
      cd_render_timeseries (cr, width, height, run->model, run->trajectory, &spec, self->t,
                            &style);
    }
}

/* ---- Playing ------------------------------------------------------------ */

static void
stop_playing (CdPresentation *self)
{
  if (self->play_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->play_tick);
  self->play_tick = 0;
}

static gboolean
play_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  CdPresentation *self = CD_PRESENTATION (widget);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double end = run_end (self);
  double elapsed = (now - self->play_last_us) / (double) G_USEC_PER_SEC;

  self->play_last_us = now;
  /* Wait for the run rather than racing the clock past it. */
  if (shown_run (self) == NULL)
    return G_SOURCE_CONTINUE;
  set_time (self, self->t + elapsed * end / PLAY_SECONDS);
  if (self->t >= end)
    {
      self->play_tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* ---- Actions ------------------------------------------------------------ */

static void
action_step_time (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  CdPresentation *self = CD_PRESENTATION (widget);
  double step = time_step (self);
  /* Land on whole steps, so the read-out shows 12.0 rather than 12.04
   * after playing. */
  double k = round (self->t / step) + g_variant_get_int32 (param);

  stop_playing (self);
  set_time (self, k * step);
}

static void
action_time_start (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  CdPresentation *self = CD_PRESENTATION (widget);

  stop_playing (self);
  set_time (self, 0.0);
}

static void
action_time_end (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  CdPresentation *self = CD_PRESENTATION (widget);

  stop_playing (self);
  set_time (self, run_end (self));
}

static void
action_play (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  CdPresentation *self = CD_PRESENTATION (widget);

  if (self->play_tick != 0)
    {
      stop_playing (self);
      return;
    }
  /* Space at the end replays from the start. */
  if (self->t >= run_end (self) - 1e-9)
    set_time (self, 0.0);
  self->play_last_us = g_get_monotonic_time ();
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
    if (clock != NULL)
      self->play_last_us = gdk_frame_clock_get_frame_time (clock);
  }
  self->play_tick = gtk_widget_add_tick_callback (widget, play_tick, NULL, NULL);
}

static void
action_scenario (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  CdPresentation *self = CD_PRESENTATION (widget);
  int n = (int) n_slots (self);
  int slot = self->scenario + 1 + g_variant_get_int32 (param);

  /* Wrap around: a clicker has only two buttons. */
  slot = ((slot % n) + n) % n;
  self->scenario = slot - 1;
  schedule_runs (self);
  set_time (self, self->t);
}

static void
action_chart (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  CdPresentation *self = CD_PRESENTATION (widget);

  self->chart = self->chart == CD_PRESENTATION_CHART_FORCES ? CD_PRESENTATION_CHART_TIMESERIES
                                                            : CD_PRESENTATION_CHART_FORCES;
  update_display (self);
}

static void
action_node (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  CdPresentation *self = CD_PRESENTATION (widget);
  int n = (int) cd_document_get_model (self->document)->nodes->len;
  int i = node_index (self);

  if (n == 0)
    return;
  i = i < 0 ? 0 : (((i + g_variant_get_int32 (param)) % n) + n) % n;
  /* Choosing a government is asking for its forces. */
  self->chart = CD_PRESENTATION_CHART_FORCES;
  set_node (self, i);
}

static void
action_leave (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  gtk_window_close (GTK_WINDOW (widget));
}

/* ---- Pointer ------------------------------------------------------------ */

static gboolean
hide_pointer (gpointer data)
{
  CdPresentation *self = data;

  self->pointer_timeout = 0;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
  return G_SOURCE_REMOVE;
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           CdPresentation           *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
  g_clear_handle_id (&self->pointer_timeout, g_source_remove);
  self->pointer_timeout = g_timeout_add (POINTER_HIDE_MS, hide_pointer, self);
}

/* A click on a government shows its forces; that is how a facilitator
 * answers "and what about Xuancheng?". */
static void
on_network_pressed (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    CdPresentation  *self)
{
  CdRun *run = shown_run (self);
  CdRenderStyle style;
  int node;

  if (run == NULL || self->view_run != run)
    return;
  presentation_style (&style);
  node = cd_network_view_node_at (self->view, x, y, &style);
  if (node < 0)
    return;
  self->chart = CD_PRESENTATION_CHART_FORCES;
  set_node (self, cd_model_find_node (cd_document_get_model (self->document),
                                      ((CdNode *) g_ptr_array_index (run->model->nodes,
                                                                     node))->id));
}

/* ---- Document ----------------------------------------------------------- */

static void
on_document_changed (CdDocument     *document,
                     guint           flags,
                     CdPresentation *self)
{
  const CdModel *model = cd_document_get_model (document);

  if (flags == CD_CHANGE_POSITIONS)
    return;
  reset_runs (self);
  if (self->scenario >= (int) model->scenarios->len)
    self->scenario = -1;
  if (node_index (self) < 0)
    set_node (self, default_node (model));
  schedule_runs (self);
  update_display (self);
}

/* ---- Object ------------------------------------------------------------- */

static void
cd_presentation_dispose (GObject *object)
{
  CdPresentation *self = CD_PRESENTATION (object);

  stop_playing (self);
  g_clear_handle_id (&self->pointer_timeout, g_source_remove);
  g_clear_handle_id (&self->room_idle, g_source_remove);
  if (self->runner != NULL)
    {
      cd_runner_cancel (self->runner);
      g_signal_handlers_disconnect_by_data (self->runner, self);
    }
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_PRESENTATION);
  g_clear_object (&self->runner);
  g_clear_object (&self->document);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  G_OBJECT_CLASS (cd_presentation_parent_class)->dispose (object);
}

static void
cd_presentation_finalize (GObject *object)
{
  CdPresentation *self = CD_PRESENTATION (object);

  g_clear_pointer (&self->view, cd_network_view_free);
  g_free (self->node_id);
  G_OBJECT_CLASS (cd_presentation_parent_class)->finalize (object);
}

/* The keys, caught before the window's own bindings: those would spend
 * the arrows and Space on moving the focus, of which there is none here. */
static void
add_keys (CdPresentation *self)
{
  static const struct { guint key; GdkModifierType mods; const char *action; int arg; } keys[] = {
    { GDK_KEY_Right, 0, "presentation.step-time", 1 },
    { GDK_KEY_Left, 0, "presentation.step-time", -1 },
    { GDK_KEY_KP_Right, 0, "presentation.step-time", 1 },
    { GDK_KEY_KP_Left, 0, "presentation.step-time", -1 },
    { GDK_KEY_Right, GDK_SHIFT_MASK, "presentation.step-time", 10 },
    { GDK_KEY_Left, GDK_SHIFT_MASK, "presentation.step-time", -10 },
    { GDK_KEY_Down, 0, "presentation.scenario", 1 },
    { GDK_KEY_Up, 0, "presentation.scenario", -1 },
    { GDK_KEY_Page_Down, 0, "presentation.scenario", 1 },
    { GDK_KEY_Page_Up, 0, "presentation.scenario", -1 },
    { GDK_KEY_KP_Down, 0, "presentation.scenario", 1 },
    { GDK_KEY_KP_Up, 0, "presentation.scenario", -1 },
    { GDK_KEY_n, 0, "presentation.node", 1 },
    { GDK_KEY_N, GDK_SHIFT_MASK, "presentation.node", -1 },
    { GDK_KEY_Home, 0, "presentation.time-start", 0 },
    { GDK_KEY_End, 0, "presentation.time-end", 0 },
    { GDK_KEY_space, 0, "presentation.play", 0 },
    { GDK_KEY_c, 0, "presentation.chart", 0 },
    { GDK_KEY_Escape, 0, "presentation.leave", 0 },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[k].key, keys[k].mods),
                                                gtk_named_action_new (keys[k].action));
      /* Only the stepping actions take an argument. */
      if (g_str_equal (keys[k].action, "presentation.step-time")
          || g_str_equal (keys[k].action, "presentation.scenario")
          || g_str_equal (keys[k].action, "presentation.node"))
        gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (keys[k].arg));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
cd_presentation_class_init (CdPresentationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_presentation_dispose;
  object_class->finalize = cd_presentation_finalize;

  (void) coordyn_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-presentation.ui");
  gtk_widget_class_bind_template_child (widget_class, CdPresentation, scenario_label);
  gtk_widget_class_bind_template_child (widget_class, CdPresentation, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CdPresentation, time_label);
  gtk_widget_class_bind_template_child (widget_class, CdPresentation, network_area);
  gtk_widget_class_bind_template_child (widget_class, CdPresentation, chart_area);
  gtk_widget_class_bind_template_child (widget_class, CdPresentation, hint_label);

  gtk_widget_class_install_action (widget_class, "presentation.step-time", "i",
                                   action_step_time);
  gtk_widget_class_install_action (widget_class, "presentation.time-start", NULL,
                                   action_time_start);
  gtk_widget_class_install_action (widget_class, "presentation.time-end", NULL, action_time_end);
  gtk_widget_class_install_action (widget_class, "presentation.play", NULL, action_play);
  gtk_widget_class_install_action (widget_class, "presentation.scenario", "i", action_scenario);
  gtk_widget_class_install_action (widget_class, "presentation.chart", NULL, action_chart);
  gtk_widget_class_install_action (widget_class, "presentation.node", "i", action_node);
  gtk_widget_class_install_action (widget_class, "presentation.leave", NULL, action_leave);
}

static void
cd_presentation_init (CdPresentation *self)
{
  GtkEventController *motion;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));
  add_keys (self);
  font_scale = cd_settings_get_presentation_font_scale (cd_settings_get_default ());
  ensure_css (GTK_WIDGET (self));
  update_css ();
  g_signal_connect_object (cd_settings_get_default (), "notify::presentation-font-scale",
                           G_CALLBACK (on_font_scale_changed), self, 0);

  self->runner = cd_runner_new ();
  self->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_run_unref);
  self->errors = g_ptr_array_new_with_free_func (g_free);
  self->computing = -1;
  self->scenario = -1;
  self->view = cd_network_view_new ();
  self->chart = CD_PRESENTATION_CHART_FORCES;

  {
    /* the keys wrap between items, never inside one ("Esc / leave"): a
     * lone space (within an item) becomes a no-break space; the runs of
     * spaces between items stay breakable */
    const char *hint = _("← → time    ↑ ↓ scenario    Space play    C chart    "
                         "N or click: government    Esc leave");
    GString *kept = g_string_new (NULL);

    for (const char *c = hint; *c != '\0'; c++)
      if (*c == ' ' && c[1] != ' ' && (c == hint || c[-1] != ' '))
        g_string_append (kept, "\u00a0");
      else
        g_string_append_c (kept, *c);
    gtk_label_set_text (GTK_LABEL (self->hint_label), kept->str);
    g_string_free (kept, TRUE);
  }
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->network_area), draw_network, self,
                                  NULL);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->chart_area), draw_chart, self, NULL);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (on_network_pressed), self);
  gtk_widget_add_controller (self->network_area, GTK_EVENT_CONTROLLER (click));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (self->runner, "run-changed", G_CALLBACK (on_run_changed), self);
  g_signal_connect (self->runner, "notify::error", G_CALLBACK (on_runner_error), self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (on_style_changed), self, 0);
}

CdPresentation *
cd_presentation_new (GtkWindow  *parent,
                     CdDocument *document,
                     CdRun      *run,
                     int         node)
{
  CdPresentation *self;
  const CdModel *model;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);

  self = g_object_new (CD_TYPE_PRESENTATION, NULL);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), parent);
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
      if (gtk_window_get_application (parent) != NULL)
        gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
    }
  self->document = g_object_ref (document);
  model = cd_document_get_model (document);
  reset_runs (self);
  /* The window's run is the base model's when nothing changed since. */
  if (run != NULL && cd_model_equal (run->model, model))
    g_ptr_array_index (self->runs, 0) = cd_run_ref (run);
  set_node (self, node >= 0 && (guint) node < model->nodes->len ? node : default_node (model));
  g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
  schedule_runs (self);
  update_display (self);
  return self;
}

/* ---- Entry point -------------------------------------------------------- */

/* On a laptop with a projector, present on the monitor the main window is
 * not on, so the facilitator keeps the editor in front of them. */
static GdkMonitor *
projector_monitor (GtkWindow *parent)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (parent));
  GListModel *monitors = gdk_display_get_monitors (display);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (parent));
  GdkMonitor *own = surface != NULL ? gdk_display_get_monitor_at_surface (display, surface)
                                    : NULL;
  guint n = g_list_model_get_n_items (monitors);

  if (n < 2)
    return NULL;
  for (guint k = 0; k < n; k++)
    {
      g_autoptr (GdkMonitor) monitor = g_list_model_get_item (monitors, k);
      if (monitor != own)
        return monitor;   /* still owned by the list */
    }
  return NULL;
}

static void
action_presentation (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  CdWindow *window;
  CdPresentation *presentation;
  g_autoptr (GArray) selected = NULL;
  GdkMonitor *monitor;
  int node = -1;

  /* F5 again leaves, as in slide software. */
  if (CD_IS_PRESENTATION (active))
    {
      gtk_window_close (active);
      return;
    }
  if (!CD_IS_WINDOW (active))
    return;
  window = CD_WINDOW (active);
  selected = cd_canvas_get_selected_nodes (cd_window_get_canvas (window));
  if (selected->len > 0)
    node = (int) g_array_index (selected, guint, 0);
  presentation = cd_presentation_new (active, cd_window_get_document (window),
                                      cd_runner_get_run (cd_window_get_runner (window)), node);
  /* The room sees the moment the facilitator was explaining, not t = 0. */
  cd_presentation_set_time (presentation, cd_window_get_cursor_time (window));
  monitor = projector_monitor (active);
  if (monitor == NULL)
    {
      GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (active));
      if (surface != NULL)
        monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (active)),
                                                      surface);
    }
  /* The monitor's size as well, for a session without a window manager
   * (a kiosk, Xvfb) where the full-screen request goes unanswered. */
  if (monitor != NULL)
    {
      GdkRectangle geometry;
      gdk_monitor_get_geometry (monitor, &geometry);
      gtk_window_set_default_size (GTK_WINDOW (presentation), geometry.width, geometry.height);
      gtk_window_fullscreen_on_monitor (GTK_WINDOW (presentation), monitor);
    }
  else
    gtk_window_fullscreen (GTK_WINDOW (presentation));
  gtk_window_present (GTK_WINDOW (presentation));
}

void
cd_presentation_install_action (GtkApplication *app)
{
  static const GActionEntry entries[] = {
    { "presentation", action_presentation },
  };
  static const char *const accels[] = { "F5", NULL };

  g_return_if_fail (GTK_IS_APPLICATION (app));
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (app, "app.presentation", accels);
}

/* ---- Accessors ---------------------------------------------------------- */

void
cd_presentation_set_time (CdPresentation *self,
                          double          t)
{
  g_return_if_fail (CD_IS_PRESENTATION (self));
  stop_playing (self);
  set_time (self, t);
}

double
cd_presentation_get_time (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), 0.0);
  return self->t;
}

int
cd_presentation_get_scenario (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), -1);
  return self->scenario;
}

CdPresentationChart
cd_presentation_get_chart (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), CD_PRESENTATION_CHART_FORCES);
  return self->chart;
}

int
cd_presentation_get_node (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), -1);
  return node_index (self);
}

const char *
cd_presentation_get_time_text (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->time_label));
}

const char *
cd_presentation_get_scenario_text (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->scenario_label));
}

gboolean
cd_presentation_get_ready (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), FALSE);
  return shown_run (self) != NULL;
}

CdRun *
cd_presentation_get_run (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), NULL);
  return shown_run (self);
}

/* A read-out label's box in the window and its type size in px. */
static void
measure_label (CdPresentation *self,
               GtkWidget      *label,
               GArray         *boxes,
               double         *min_px)
{
  graphene_rect_t r;
  PangoFontDescription *font;

  if (!gtk_widget_get_visible (label) || !gtk_widget_compute_bounds (label, GTK_WIDGET (self), &r))
    return;
  {
    CdRenderBox box = { r.origin.x, r.origin.y, r.size.width, r.size.height, CD_BOX_TEXT, 0 };
    g_array_append_val (boxes, box);
  }
  font = pango_context_get_font_description (gtk_widget_get_pango_context (label));
  if (font != NULL && pango_font_description_get_size (font) > 0)
    {
      double size = pango_font_description_get_size (font) / (double) PANGO_SCALE;
      /* CSS px are absolute; points are 96/72 px */
      if (!pango_font_description_get_size_is_absolute (font))
        size *= 96.0 / 72.0;
      *min_px = MIN (*min_px, size);
    }
}

/* The drawing area's drawing into a recording surface, probed. */
static double
measure_area (CdPresentation *self,
              GtkWidget      *area,
              gboolean        network,
              GArray         *boxes,
              guint          *n_named)
{
  graphene_rect_t r;
  g_autoptr (GArray) drawn = g_array_new (FALSE, FALSE, sizeof (CdRenderBox));
  cairo_surface_t *surface;
  cairo_t *cr;
  double min_px;
  int w = gtk_widget_get_width (area), h = gtk_widget_get_height (area);

  if (w <= 0 || h <= 0 || !gtk_widget_compute_bounds (area, GTK_WIDGET (self), &r))
    return INFINITY;
  if (!network)
    force_title_fits (self, w, h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  cd_render_probe_begin ();
  g_autoptr (GArray) names = g_array_new (FALSE, FALSE, sizeof (CdRenderBox));
  if (network)
    {
      paint_network (self, cr, w, h, names, NULL, NULL);
      for (guint k = 0; k < names->len; k++)
        *n_named += g_array_index (names, CdRenderBox, k).owner > 0;
    }
  else
    draw_chart (GTK_DRAWING_AREA (area), cr, w, h, self);
  min_px = cd_render_probe_end (drawn);
  /* the probe saw the names as texts: say whose each is, and whether a
   * leader joins it to its government */
  for (guint k = 0; k < drawn->len; k++)
    {
      CdRenderBox *b = &g_array_index (drawn, CdRenderBox, k);
      for (guint j = 0; j < names->len; j++)
        {
          const CdRenderBox *n = &g_array_index (names, CdRenderBox, j);
          if (n->owner > 0 && fabs (n->x - b->x) < 0.5 && fabs (n->y - b->y) < 0.5
              && fabs (n->width - b->width) < 1 && fabs (n->height - b->height) < 1)
            {
              b->owner = n->owner;
              b->leader = n->leader;
              break;
            }
        }
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  for (guint k = 0; k < drawn->len; k++)
    {
      CdRenderBox b = g_array_index (drawn, CdRenderBox, k);
      b.x += r.origin.x;
      b.y += r.origin.y;
      g_array_append_val (boxes, b);
    }
  return min_px;
}

double
cd_presentation_measure (CdPresentation *self,
                         GArray         *boxes,
                         guint          *n_named)
{
  double min_px = INFINITY, network_px, chart_px;
  guint named = 0;

  g_return_val_if_fail (CD_IS_PRESENTATION (self), INFINITY);
  g_return_val_if_fail (boxes != NULL, INFINITY);
  measure_label (self, self->scenario_label, boxes, &min_px);
  measure_label (self, self->subtitle_label, boxes, &min_px);
  measure_label (self, self->time_label, boxes, &min_px);
  measure_label (self, self->hint_label, boxes, &min_px);
  /* not inside MIN (), which would draw twice */
  network_px = measure_area (self, self->network_area, TRUE, boxes, &named);
  chart_px = measure_area (self, self->chart_area, FALSE, boxes, &named);
  min_px = MIN (min_px, MIN (network_px, chart_px));
  if (n_named != NULL)
    *n_named = named;
  return min_px;
}

void
cd_presentation_measure_shapes (CdPresentation *self,
                                GArray         *shapes,
                                GArray         *segments)
{
  graphene_rect_t r;
  g_autoptr (GArray) sh = g_array_new (FALSE, FALSE, sizeof (CdRenderShape));
  g_autoptr (GArray) sg = g_array_new (FALSE, FALSE, sizeof (CdRenderSegment));
  cairo_surface_t *surface;
  cairo_t *cr;
  int w = gtk_widget_get_width (self->network_area), h = gtk_widget_get_height (self->network_area);

  g_return_if_fail (CD_IS_PRESENTATION (self));
  if (w <= 0 || h <= 0 || !gtk_widget_compute_bounds (self->network_area, GTK_WIDGET (self), &r))
    return;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  paint_network (self, cr, w, h, NULL, sh, sg);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  for (guint k = 0; shapes != NULL && k < sh->len; k++)
    {
      CdRenderShape s = g_array_index (sh, CdRenderShape, k);
      s.x += r.origin.x;
      s.y += r.origin.y;
      s.gx0 += r.origin.x;
      s.gx1 += r.origin.x;
      s.gy0 += r.origin.y;
      s.gy1 += r.origin.y;
      g_array_append_val (shapes, s);
    }
  for (guint k = 0; segments != NULL && k < sg->len; k++)
    {
      CdRenderSegment s = g_array_index (sg, CdRenderSegment, k);
      s.x0 += r.origin.x;
      s.y0 += r.origin.y;
      s.x1 += r.origin.x;
      s.y1 += r.origin.y;
      g_array_append_val (segments, s);
    }
}

guint
cd_presentation_force_cut (CdPresentation *self,
                           int             node)
{
  CdRun *run;
  CdRenderStyle style;
  int w, h;

  g_return_val_if_fail (CD_IS_PRESENTATION (self), 0);
  run = shown_run (self);
  w = gtk_widget_get_width (self->chart_area);
  h = gtk_widget_get_height (self->chart_area);
  if (run == NULL || w <= 0 || h <= 0)
    return 0;
  if (node < 0)
    node = cd_model_find_node (run->model, self->node_id != NULL ? self->node_id : "");
  if (node < 0 || (guint) node >= run->model->nodes->len)
    return 0;
  presentation_style (&style);
  /* with the title as draw_chart decides it */
  return cd_render_force_field_cut (w, h, run->model, run->system, run->trajectory,
                                    (guint) node, shown_sample (self), &style,
                                    force_title_fits_for (self, node, w, h));
}

int
cd_presentation_get_room_height (CdPresentation *self)
{
  g_return_val_if_fail (CD_IS_PRESENTATION (self), 0);
  return room_height;
}
