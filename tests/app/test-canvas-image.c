/* test-canvas-image.c — the canvas reaches GTK as one texture of its size
 * times the display's scale factor, whose pixels are the renderer's own
 * frame (issue 6.3): not a cairo node replayed from a recording, and not a
 * scale-1 picture scaled up on a 2× display.
 *
 * Under GTK's cairo renderer (no GL) the image is painted from one cairo
 * node instead, which lands on the window pixel for pixel.
 *
 * While the user moves the view (a pan, a zoom, governments moved with the
 * keys, the time cursor) a 2× display gets frames at scale 1, and once
 * nothing has moved for a moment one at scale 2 (cd-canvas.c, interacted):
 * each is the renderer's own frame at its scale, pixel for pixel, and the
 * sharp one comes by itself, from GTK's frame clock.  At scale 1 the frames
 * while moving are the still ones.
 *
 * Run three times by meson: as the display is, with GDK_SCALE=2, and with
 * GSK_RENDERER=cairo at scale 2 (the test checks that the scale and the
 * renderer asked for are in effect, so no run can pass in another's place).
 * Needs a display (CI: xvfb-run -a meson test); without one it FAILS with a
 * message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <adwaita.h>

#include "cd-canvas.h"
#include "cd-document.h"
#include "cd-render-glue.h"
#include "cd-test-util.h"

static GtkWindow *window;
static CdCanvas *canvas;
static CdDocument *document;

/* Three governments and two lines: the central one in the middle of the
 * fitted view, so its pixels are known. */
static CdModel *
small_model (void)
{
  CdModel *model = cd_model_new ();
  static const struct { const char *id; CdLevel level; double x, y, x0; } nodes[] = {
    { "centre", CD_LEVEL_CENTRAL, 0, 0, 0.8 },
    { "west", CD_LEVEL_PROVINCIAL, -200, 0, 0.1 },
    { "east", CD_LEVEL_MUNICIPAL, 200, 0, 0.5 },
  };

  for (guint k = 0; k < G_N_ELEMENTS (nodes); k++)
    {
      CdNode *node = cd_node_new (nodes[k].id);
      node->level = nodes[k].level;
      node->has_pos = TRUE;
      node->pos[0] = nodes[k].x;
      node->pos[1] = nodes[k].y;
      node->x0 = nodes[k].x0;
      g_ptr_array_add (model->nodes, node);
    }
  g_ptr_array_add (model->edges, cd_edge_new (CD_EDGE_COMMAND, "centre", "west"));
  g_ptr_array_add (model->edges, cd_edge_new (CD_EDGE_PARTNERSHIP, "west", "east"));
  return model;
}

/* What the canvas itself draws (its snapshot function: children and CSS
 * are GTK's), as GTK asks for it each frame. */
static GskRenderNode *
canvas_node (void)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (GTK_WIDGET (canvas), snapshot);
  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/* The texture and cairo nodes under node. */
static void
collect (GskRenderNode *node,
         GPtrArray     *textures,
         guint         *n_cairo)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint k = 0; k < gsk_container_node_get_n_children (node); k++)
        collect (gsk_container_node_get_child (node, k), textures, n_cairo);
      break;
    case GSK_TRANSFORM_NODE:
      collect (gsk_transform_node_get_child (node), textures, n_cairo);
      break;
    case GSK_CLIP_NODE:
      collect (gsk_clip_node_get_child (node), textures, n_cairo);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      collect (gsk_rounded_clip_node_get_child (node), textures, n_cairo);
      break;
    case GSK_OPACITY_NODE:
      collect (gsk_opacity_node_get_child (node), textures, n_cairo);
      break;
    case GSK_DEBUG_NODE:
      collect (gsk_debug_node_get_child (node), textures, n_cairo);
      break;
    case GSK_TEXTURE_NODE:
      g_ptr_array_add (textures, node);
      break;
    case GSK_CAIRO_NODE:
      (*n_cairo)++;
      break;
    default:
      break;
    }
}

/* An opaque colour as a premultiplied ARGB32 pixel, as cairo stores it. */
static guint32
argb (CdColor c)
{
  return 0xff000000u | ((guint32) (c.r * 255 + 0.5) << 16) | ((guint32) (c.g * 255 + 0.5) << 8)
         | (guint32) (c.b * 255 + 0.5);
}

/* Whether GTK's cairo renderer draws the canvas's window. */
static gboolean
via_cairo (void)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (GTK_WIDGET (canvas)));

  return GSK_IS_CAIRO_RENDERER (renderer);
}

/* The frame as it reaches the window: pw × ph ARGB32 pixels, from the one
 * texture (its pixels as they are) or the one cairo node (drawn at the
 * scale); asserts that it is one or the other, as the renderer wants. */
static guint32 *
frame_pixels (GskRenderNode *root,
              int            w,
              int            h,
              int            scale)
{
  g_autoptr (GPtrArray) textures = g_ptr_array_new ();
  int pw = w * scale, ph = h * scale;
  guint32 *pixels = g_new (guint32, (gsize) pw * ph);
  guint n_cairo = 0;

  collect (root, textures, &n_cairo);
  if (via_cairo ())
    {
      cairo_surface_t *surface;
      cairo_t *cr;

      g_assert_cmpuint (textures->len, ==, 0);
      g_assert_cmpuint (n_cairo, ==, 1);
      surface = cairo_image_surface_create_for_data ((guchar *) pixels, CAIRO_FORMAT_ARGB32,
                                                     pw, ph, pw * 4);
      cairo_surface_set_device_scale (surface, scale, scale);
      cr = cairo_create (surface);
      gsk_render_node_draw (root, cr);
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      cairo_surface_destroy (surface);
    }
  else
    {
      GskRenderNode *node;
      GdkTexture *texture;
      graphene_rect_t bounds;

      g_assert_cmpuint (n_cairo, ==, 0);
      g_assert_cmpuint (textures->len, ==, 1);
      node = g_ptr_array_index (textures, 0);
      gsk_render_node_get_bounds (node, &bounds);
      g_assert_cmpfloat (bounds.origin.x, ==, 0);
      g_assert_cmpfloat (bounds.origin.y, ==, 0);
      g_assert_cmpfloat (bounds.size.width, ==, w);
      g_assert_cmpfloat (bounds.size.height, ==, h);
      texture = gsk_texture_node_get_texture (node);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, pw);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, ph);
      /* downloaded as CAIRO_FORMAT_ARGB32 pixels */
      gdk_texture_download (texture, (guchar *) pixels, (gsize) pw * 4);
    }
  return pixels;
}

static gboolean
canvas_allocated (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (canvas)) > 1
         && gtk_widget_get_height (GTK_WIDGET (canvas)) > 1;
}

/* The scale the display should have: GDK_SCALE when it is set. */
static int
expected_scale (void)
{
  const char *env = g_getenv ("GDK_SCALE");

  return env != NULL && *env != '\0' ? atoi (env) : 0;
}

/* What a still canvas shows, drawn by the renderer straight into pw × ph
 * ARGB32 pixels at `scale`: the canvas's model, view and selection, with
 * nothing hovered or focused. */
static guint32 *
reference_pixels (int w,
                  int h,
                  int scale)
{
  g_autoptr (CdNetworkView) view = cd_network_view_new ();
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (canvas);
  g_autoptr (GArray) edges = cd_canvas_get_selected_edges (canvas);
  const CdModel *model = cd_document_get_model (document);
  g_autofree gboolean *node_mask = g_new0 (gboolean, model->nodes->len + 1);
  g_autofree gboolean *edge_mask = g_new0 (gboolean, model->edges->len + 1);
  int pw = w * scale, ph = h * scale;
  guint32 *pixels = g_new (guint32, (gsize) pw * ph);
  cairo_surface_t *surface;
  cairo_t *cr;
  CdRenderStyle style;
  CdNetworkOverlay overlay;
  double zoom, pan_x, pan_y;

  for (guint k = 0; k < nodes->len; k++)
    node_mask[g_array_index (nodes, guint, k)] = TRUE;
  for (guint k = 0; k < edges->len; k++)
    edge_mask[g_array_index (edges, guint, k)] = TRUE;
  cd_network_view_sync (view, model);
  cd_canvas_get_transform (canvas, &zoom, &pan_x, &pan_y);
  cd_network_view_set_transform (view, zoom, pan_x, pan_y);
  cd_widget_render_style (GTK_WIDGET (canvas), &style);
  cd_network_overlay_init (&overlay);
  overlay.selected_nodes = node_mask;
  overlay.selected_edges = edge_mask;
  overlay.inset_right = 60;   /* as the canvas leaves for the window's tools */
  surface = cairo_image_surface_create_for_data ((guchar *) pixels, CAIRO_FORMAT_ARGB32, pw, ph,
                                                 pw * 4);
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  cd_render_network (cr, w, h, view, model, NULL, NULL, 0, &overlay, &style);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  return pixels;
}

static void
test_texture (void)
{
  g_autoptr (GskRenderNode) root = NULL;
  g_autoptr (CdNetworkView) view = cd_network_view_new ();
  g_autofree guint32 *pixels = NULL;
  const CdModel *model = cd_document_get_model (document);
  const char *want_renderer = g_getenv ("GSK_RENDERER");
  cairo_surface_t *reference;
  cairo_t *cr;
  CdRenderStyle style;
  CdNetworkOverlay overlay;
  const guint32 *ref, *got;
  int w, h, scale, pw, ph, ref_stride;
  guint n_differ = 0;
  double mx, my, cx, cy;
  guint32 centre, background;

  cd_test_wait_for (cd_test_is_mapped, window, "the window to map");
  cd_test_wait_for (canvas_allocated, NULL, "the canvas to get its size");
  cd_test_iterate (20);
  cd_canvas_fit (canvas);
  cd_test_iterate (20);
  w = gtk_widget_get_width (GTK_WIDGET (canvas));
  h = gtk_widget_get_height (GTK_WIDGET (canvas));
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (canvas));
  g_test_message ("canvas %d×%d at scale %d", w, h, scale);
  if (expected_scale () > 0)
    g_assert_cmpint (scale, ==, expected_scale ());
  if (g_strcmp0 (want_renderer, "cairo") == 0)
    g_assert_true (via_cairo ());
  g_test_message ("renderer %s", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (
                                    gtk_widget_get_native (GTK_WIDGET (canvas)))));
  pw = w * scale;
  ph = h * scale;

  /* What the canvas hands GTK: one texture over its whole area (or one
   * cairo node for the cairo renderer), at device pixels. */
  root = canvas_node ();
  g_assert_nonnull (root);
  pixels = frame_pixels (root, w, h, scale);

  /* The same frame from the renderer straight into an image at that
   * density: the view fitted as the canvas fits it, the overlay the
   * canvas draws with nothing selected, hovered or focused. */
  cd_network_view_sync (view, model);
  cd_network_view_fit (view, w, h, 48.0);
  cd_widget_render_style (GTK_WIDGET (canvas), &style);
  cd_network_overlay_init (&overlay);
  reference = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  cairo_surface_set_device_scale (reference, scale, scale);
  cr = cairo_create (reference);
  cd_render_network (cr, w, h, view, model, NULL, NULL, 0, &overlay, &style);
  cairo_destroy (cr);
  cairo_surface_flush (reference);
  g_assert_cmpint (cairo_surface_status (reference), ==, CAIRO_STATUS_SUCCESS);
  ref = (const guint32 *) (gpointer) cairo_image_surface_get_data (reference);
  ref_stride = cairo_image_surface_get_stride (reference) / 4;
  got = pixels;
  for (int j = 0; j < ph; j++)
    for (int i = 0; i < pw; i++)
      if (got[(gsize) j * pw + i] != ref[(gsize) j * ref_stride + i])
        {
          if (n_differ++ == 0)
            g_test_message ("first differing pixel (%d, %d): %08x, reference %08x", i, j,
                            got[(gsize) j * pw + i], ref[(gsize) j * ref_stride + i]);
        }
  g_assert_cmpuint (n_differ, ==, 0);

  /* The central government's middle, at device pixels: its own fill, not
   * the background — so the frame holds the network, not just a clear. */
  cd_network_view_node_position (view, 0, &mx, &my);
  cd_network_view_to_pixels (view, mx, my, &cx, &cy);
  g_assert_cmpfloat (cx, >, 0);
  g_assert_cmpfloat (cx, <, w);
  g_assert_cmpfloat (cy, >, 0);
  g_assert_cmpfloat (cy, <, h);
  centre = got[(gsize) (int) (cy * scale) * pw + (int) (cx * scale)];
  background = argb (cd_palette_background (&style));
  g_test_message ("centre pixel %08x, background %08x", centre, background);
  g_assert_cmphex (centre >> 24, ==, 0xff);
  g_assert_cmphex (centre, !=, background);
  {
    /* node colours are binned along the ramp (1/32 of it): close, not equal */
    guint32 want = argb (cd_palette_coordination (0.8, &style));
    for (int shift = 0; shift < 24; shift += 8)
      g_assert_cmpint (ABS ((int) ((centre >> shift) & 0xff) - (int) ((want >> shift) & 0xff)),
                       <=, 24);
  }
  /* the four corners of the frame are inside the texture and opaque */
  g_assert_cmphex (got[0] >> 24, ==, 0xff);
  g_assert_cmphex (got[(gsize) ph * pw - 1] >> 24, ==, 0xff);
  cairo_surface_destroy (reference);
}

/* Frames after the first reuse images GTK has let go of, and never draw
 * into one a texture (or a cairo node) still shows: an earlier frame keeps
 * its pixels while later frames are drawn. */
static void
test_textures_stay (void)
{
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (
    (GDestroyNotify) gsk_render_node_unref);
  g_autoptr (GPtrArray) copies = g_ptr_array_new_with_free_func (g_free);
  int w = gtk_widget_get_width (GTK_WIDGET (canvas));
  int h = gtk_widget_get_height (GTK_WIDGET (canvas));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (canvas));
  gsize size = (gsize) w * scale * h * scale * 4;

  for (guint f = 0; f < 6; f++)
    {
      GskRenderNode *root;

      /* each frame different: the selection moves from node to node */
      cd_canvas_select_node (canvas, (int) (f % 3), FALSE);
      root = canvas_node ();
      g_assert_nonnull (root);
      g_ptr_array_add (kept, root);
      g_ptr_array_add (copies, frame_pixels (root, w, h, scale));
      if (f > 0)
        /* a different selection is a different picture */
        g_assert_true (memcmp (g_ptr_array_index (copies, f),
                               g_ptr_array_index (copies, f - 1), size) != 0);
    }
  /* all six held at once: none was drawn over by a later frame */
  for (guint f = 0; f < kept->len; f++)
    {
      g_autofree guint32 *now = frame_pixels (g_ptr_array_index (kept, f), w, h, scale);

      g_assert_true (memcmp (now, g_ptr_array_index (copies, f), size) == 0);
    }
  cd_canvas_clear_selection (canvas);
}

/* ---- Quick frames while the view moves -------------------------------- */

static gboolean
frame_is_sharp (gpointer data)
{
  return cd_canvas_get_last_frame_scale (canvas)
         == gtk_widget_get_scale_factor (GTK_WIDGET (canvas));
}

/* The canvas's frame now, asserted to be at `scale` and to be, pixel for
 * pixel, the renderer's frame at that scale; `what` names it. */
static void
assert_frame (int         scale,
              const char *what)
{
  g_autoptr (GskRenderNode) root = canvas_node ();
  g_autofree guint32 *got = NULL;
  g_autofree guint32 *want = NULL;
  int w = gtk_widget_get_width (GTK_WIDGET (canvas));
  int h = gtk_widget_get_height (GTK_WIDGET (canvas));
  gsize n = (gsize) w * scale * h * scale, n_differ = 0;

  g_assert_nonnull (root);
  g_test_message ("%s: frame at scale %d", what, cd_canvas_get_last_frame_scale (canvas));
  g_assert_cmpint (cd_canvas_get_last_frame_scale (canvas), ==, scale);
  /* for the GL renderers: a texture of w·scale × h·scale over w × h */
  got = frame_pixels (root, w, h, scale);
  want = reference_pixels (w, h, scale);
  for (gsize k = 0; k < n; k++)
    if (got[k] != want[k] && n_differ++ == 0)
      g_test_message ("%s: first differing pixel (%d, %d): %08x, reference %08x", what,
                      (int) (k % (gsize) (w * scale)), (int) (k / (gsize) (w * scale)), got[k],
                      want[k]);
  g_assert_cmpuint (n_differ, ==, 0);
}

/* One way the user moves things, through the canvas's own entry points:
 * the actions its keys are bound to, what the window calls for the zoom
 * keys and the time cursor, and the handlers of its pointer gestures (their
 * signals emitted as GTK does for a drag or a wheel turn).  `end`, if any,
 * ends it as releasing the button does. */
typedef struct
{
  const char *path;
  void      (*move) (int step);
  void      (*end)  (void);
} Move;

/* The canvas's event controller of `type` (for a drag gesture: on
 * `button`). */
static GtkEventController *
controller (GType type,
            guint button)
{
  g_autoptr (GListModel) list = gtk_widget_observe_controllers (GTK_WIDGET (canvas));

  for (guint k = 0; k < g_list_model_get_n_items (list); k++)
    {
      g_autoptr (GtkEventController) c = g_list_model_get_item (list, k);

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type)
          && (!GTK_IS_GESTURE_SINGLE (c)
              || gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (c)) == button))
        return c;   /* the canvas holds it */
    }
  g_error ("the canvas has no %s for button %u", g_type_name (type), button);
  return NULL;
}

/* A drag with `button` from (x, y), by step × (10, 4) pixels so far. */
static void
drag (guint  button,
      double x,
      double y,
      int    step)
{
  GtkEventController *gesture = controller (GTK_TYPE_GESTURE_DRAG, button);

  if (step == 0)
    g_signal_emit_by_name (gesture, "drag-begin", x, y);
  g_signal_emit_by_name (gesture, "drag-update", 10.0 * (step + 1), 4.0 * (step + 1));
}

static void
move_middle_drag (int step)
{
  /* the middle button pans */
  drag (GDK_BUTTON_MIDDLE, 100, 100, step);
}

static void
move_wheel (int step)
{
  gboolean handled = FALSE;

  /* a mouse wheel zooms around the pointer */
  g_signal_emit_by_name (controller (GTK_TYPE_EVENT_CONTROLLER_SCROLL, 0), "scroll", 0.0,
                         step % 2 ? 1.0 : -1.0, &handled);
  g_assert_true (handled);
}

static void
move_drag_government (int step)
{
  const CdModel *model = cd_document_get_model (document);
  const CdNode *west = g_ptr_array_index (model->nodes, 1);
  double zoom, pan_x, pan_y;

  /* pressed on "west" and dragged: it is selected and moves */
  cd_canvas_get_transform (canvas, &zoom, &pan_x, &pan_y);
  if (step == 0)
    drag (GDK_BUTTON_PRIMARY, west->pos[0] * zoom + pan_x, west->pos[1] * zoom + pan_y, 0);
  else
    drag (GDK_BUTTON_PRIMARY, 0, 0, step);
}

static void
end_drag_government (void)
{
  const CdModel *model = cd_document_get_model (document);
  const CdNode *west = g_ptr_array_index (model->nodes, 1);
  g_autoptr (GArray) selected = cd_canvas_get_selected_nodes (canvas);

  g_signal_emit_by_name (controller (GTK_TYPE_GESTURE_DRAG, GDK_BUTTON_PRIMARY), "drag-end",
                         30.0, 12.0);
  /* the drag did what it is for */
  g_assert_cmpuint (selected->len, ==, 1);
  g_assert_cmpuint (g_array_index (selected, guint, 0), ==, 1);
  g_assert_cmpfloat (west->pos[0], !=, -200);
}

static void
move_pan (int step)
{
  /* Ctrl+arrow; a drag pans through the same view transform */
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.pan", "(dd)", 24.0, step % 2 ? -8.0
                                                                                        : 8.0);
}

static void
move_zoom (int step)
{
  cd_canvas_zoom (canvas, step % 2 ? 0.8 : 1.25);
}

static void
move_government (int step)
{
  if (cd_canvas_get_focus_node (canvas) != 1)
    cd_canvas_set_focus_node (canvas, 1);
  /* an arrow key on the focused government */
  gtk_widget_activate_action (GTK_WIDGET (canvas), "canvas.move-focused", "(dd)", 0.0,
                              step % 2 ? -8.0 : 8.0);
}

static void
move_time (int step)
{
  /* playback or the time slider's drag */
  cd_canvas_set_sample (canvas, (guint) step + 1);
}

static const Move moves[] = {
  { "/app/canvas-image/quick/pan", move_pan, NULL },
  { "/app/canvas-image/quick/zoom", move_zoom, NULL },
  { "/app/canvas-image/quick/move-government", move_government, NULL },
  { "/app/canvas-image/quick/time", move_time, NULL },
  { "/app/canvas-image/quick/middle-drag", move_middle_drag, NULL },
  { "/app/canvas-image/quick/wheel", move_wheel, NULL },
  { "/app/canvas-image/quick/drag-government", move_drag_government, end_drag_government },
};

/* A frame drawn while the user moves things is at scale 1 (on a 1×
 * display: the still frame); after the pause, GTK draws by itself a frame
 * at the display's scale, the still canvas's frame pixel for pixel.  With
 * a government selected: highlights are drawn in both. */
static void
test_quick_while_moving (gconstpointer data)
{
  const Move *move = data;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (canvas));

  cd_canvas_fit (canvas);
  cd_canvas_select_node (canvas, 0, FALSE);
  cd_test_wait_for (frame_is_sharp, NULL, "a sharp frame before moving");
  for (int step = 0; step < 3; step++)
    {
      move->move (step);
      assert_frame (1, "while moving");
    }
  if (move->end != NULL)
    move->end ();
  cd_test_wait_for (frame_is_sharp, NULL, "the sharp frame after moving");
  assert_frame (scale, "still");
  cd_canvas_clear_selection (canvas);
  cd_canvas_set_focus_node (canvas, -1);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/canvas-image"))
    return 1;

  document = cd_document_new ();
  cd_document_set_model (document, small_model (), NULL);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 480, 360);
  canvas = CD_CANVAS (cd_canvas_new ());
  cd_canvas_set_document (canvas, document);
  gtk_window_set_child (window, GTK_WIDGET (canvas));
  /* no focus ring: the reference frame is drawn without one */
  gtk_window_set_focus_visible (window, FALSE);
  gtk_window_present (window);

  g_test_add_func ("/app/canvas-image/texture", test_texture);
  g_test_add_func ("/app/canvas-image/textures-stay", test_textures_stay);
  for (guint k = 0; k < G_N_ELEMENTS (moves); k++)
    g_test_add_data_func (moves[k].path, &moves[k], test_quick_while_moving);
  status = g_test_run ();
  gtk_window_destroy (window);
  g_object_unref (document);
  return status;
}
