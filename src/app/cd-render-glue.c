/* cd-render-glue.c — desktop style to render style, and widget frames drawn
 * into images handed to GTK as textures (see cd-render-glue.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "cd-render-glue.h"

void
cd_widget_render_style (GtkWidget     *widget,
                        CdRenderStyle *style)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  cd_render_style_init (style, adw_style_manager_get_dark (manager) ? CD_STYLE_DARK
                                                                     : CD_STYLE_NORMAL);
  style->high_contrast = adw_style_manager_get_high_contrast (manager);
}

static cairo_t *
cd_widget_begin_cairo_area (GtkSnapshot *snapshot,
                            int          width,
                            int          height)
{
  return gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

cairo_t *
cd_widget_begin_cairo (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  return cd_widget_begin_cairo_area (snapshot, gtk_widget_get_width (widget),
                                     gtk_widget_get_height (widget));
}

/* Images in flight: the texture of a frame stays with GTK (the widget's
 * render node) while the next frame is drawn, so a frame takes an image no
 * texture holds any more.  Two alternate (60-frame runs under GL and cairo
 * never needed a third); a third is made only if both are held, a fourth
 * only while all three are, and then not kept. */
#define POOL_SIZE 3

/* Frames at the display's scale and quick frames below it (while the user
 * pans or zooms on a 2× display) keep pools of their own, so that going
 * from one to the other allocates nothing. */
enum
{
  POOL_FULL,
  POOL_QUICK,
  N_POOLS
};

struct _CdWidgetImage
{
  cairo_surface_t *pool[N_POOLS][POOL_SIZE];
  cairo_surface_t *current;   /* between begin and end: ours, or NULL (drawn by GTK) */
  int              width, height;   /* of the current frame, widget pixels */
  int              scale;           /* of the last frame begun */
  gboolean         scaled_up;       /* the current frame is below the display's scale */
  gboolean         via_cairo;       /* GTK's cairo renderer draws the window */
};

CdWidgetImage *
cd_widget_image_new (void)
{
  return g_new0 (CdWidgetImage, 1);
}

void
cd_widget_image_free (CdWidgetImage *image)
{
  if (image == NULL)
    return;
  /* textures still on screen hold their own references */
  for (guint p = 0; p < N_POOLS; p++)
    for (guint k = 0; k < POOL_SIZE; k++)
      g_clear_pointer (&image->pool[p][k], cairo_surface_destroy);
  g_clear_pointer (&image->current, cairo_surface_destroy);
  g_free (image);
}

/* An image of pw × ph device pixels no texture holds, new or from `pool`;
 * a new reference. */
static cairo_surface_t *
take_image (cairo_surface_t **pool,
            int               pw,
            int               ph)
{
  cairo_surface_t *s;
  int empty = -1;

  for (guint k = 0; k < POOL_SIZE; k++)
    {
      s = pool[k];
      if (s != NULL && (cairo_image_surface_get_width (s) != pw
                        || cairo_image_surface_get_height (s) != ph))
        /* the widget was resized: its textures keep what they need */
        g_clear_pointer (&pool[k], cairo_surface_destroy);
      s = pool[k];
      if (s == NULL)
        {
          if (empty < 0)
            empty = (int) k;
        }
      else if (cairo_surface_get_reference_count (s) == 1)
        return cairo_surface_reference (s);
    }
  s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  if (cairo_surface_status (s) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (s);
      return NULL;
    }
  if (empty >= 0)
    pool[empty] = cairo_surface_reference (s);
  else
    g_debug ("cd_widget_image: all %d images held by GTK, one more for this frame", POOL_SIZE);
  return s;
}

cairo_t *
cd_widget_image_begin (CdWidgetImage *image,
                       GtkWidget     *widget,
                       GtkSnapshot   *snapshot)
{
  return cd_widget_image_begin_at (image, widget, snapshot, 0);
}

cairo_t *
cd_widget_image_begin_at (CdWidgetImage *image,
                          GtkWidget     *widget,
                          GtkSnapshot   *snapshot,
                          int            scale)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int display_scale = CLAMP (gtk_widget_get_scale_factor (widget), 1, 8);
  cairo_surface_t *s;

  g_return_val_if_fail (image != NULL && image->current == NULL, NULL);
  if (width <= 0 || height <= 0)
    return NULL;
  scale = scale <= 0 || scale > display_scale ? display_scale : scale;
  image->scaled_up = scale < display_scale;
  {
    GtkNative *native = gtk_widget_get_native (widget);
    GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
    image->via_cairo = renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
  }
  /* cairo takes at most 32767 pixels a side */
  s = width <= 32767 / scale && height <= 32767 / scale
      ? take_image (image->pool[image->scaled_up ? POOL_QUICK : POOL_FULL], width * scale,
                    height * scale)
      : NULL;
  if (s == NULL)
    {
      /* GTK draws the recording at the display's scale */
      image->scale = display_scale;
      return cd_widget_begin_cairo (widget, snapshot);
    }
  image->scale = scale;
  cairo_surface_set_device_scale (s, scale, scale);
  image->current = s;
  image->width = width;
  image->height = height;
  return cairo_create (s);
}

void
cd_widget_image_end (CdWidgetImage *image,
                     cairo_t       *cr,
                     GtkSnapshot   *snapshot)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  cairo_surface_t *s;
  int stride, ph;

  g_return_if_fail (image != NULL);
  if (cr != NULL)
    cairo_destroy (cr);
  s = g_steal_pointer (&image->current);
  if (s == NULL)
    return;   /* drawn into the snapshot itself */
  cairo_surface_flush (s);
  if (image->via_cairo)
    {
      /* GTK's cairo renderer (no GL) copies a texture and draws it through
       * pixman's padded, filtered path: 20 ms a 1920×1080 frame.  Painted
       * from a cairo node instead, the image lands pixel for pixel on the
       * window's surface, a plain copy.  The recording keeps a snapshot of
       * the image, which cairo detaches before the image is drawn into
       * again. */
      cairo_t *node_cr = cd_widget_begin_cairo_area (snapshot, image->width, image->height);

      cairo_set_source_surface (node_cr, s, 0, 0);
      /* A quick frame is scaled up, pixel doubled: pixman's bilinear path
       * takes 9 ms to fill a 3840×2160 window, more than drawing the frame,
       * nearest 3.5 ms (bench-render); the sharp frame follows soon. */
      if (image->scaled_up)
        cairo_pattern_set_filter (cairo_get_source (node_cr), CAIRO_FILTER_FAST);
      cairo_set_operator (node_cr, CAIRO_OPERATOR_SOURCE);
      cairo_paint (node_cr);
      cairo_destroy (node_cr);
      cairo_surface_destroy (s);
      return;
    }
  stride = cairo_image_surface_get_stride (s);
  ph = cairo_image_surface_get_height (s);
  /* The texture reads the pixels in place (CAIRO_FORMAT_ARGB32 is
   * premultiplied native-endian ARGB, which is GDK_MEMORY_DEFAULT) and
   * holds the surface until GTK lets go of it: only then is the image
   * drawn into again, so no copy is needed. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (s), (gsize) stride * ph,
                                      (GDestroyNotify) cairo_surface_destroy, s);
  texture = gdk_memory_texture_new (cairo_image_surface_get_width (s), ph, GDK_MEMORY_DEFAULT,
                                    bytes, stride);
  gtk_snapshot_append_texture (snapshot, texture,
                               &GRAPHENE_RECT_INIT (0, 0, image->width, image->height));
}

int
cd_widget_image_get_scale (CdWidgetImage *image)
{
  g_return_val_if_fail (image != NULL, 0);
  return image->scale;
}

static void
on_dark_changed (AdwStyleManager *manager,
                 GParamSpec      *pspec,
                 GtkWidget       *widget)
{
  gtk_widget_queue_draw (widget);
}

void
cd_widget_follow_style (GtkWidget *widget)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_dark_changed), widget, 0);
  g_signal_connect_object (manager, "notify::high-contrast", G_CALLBACK (on_dark_changed),
                           widget, 0);
}
