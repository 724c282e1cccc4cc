/* bench-render.c — canvas frame time on the national model (issue 6.3).
 *
 * Draws the 3,209-government national model with force glyphs on at
 * 1920×1080 into an image surface, as the app's canvas does, at several
 * zoom levels, and prints milliseconds per frame (median, best, mean).  The
 * target is ≤ 8 ms.  Beside them the app's path (cd-render-glue.c: images
 * of the canvas's size used in turn, at scale 1 and at a 2× display's
 * device scale), and the frames drawn through a recording surface, as
 * gtk_snapshot_append_cairo did before.  While the user pans or zooms, a
 * 2× display gets the scale-1 frame (the "app" column) scaled up by GTK:
 * on the GPU under GL, by pixman under GTK's cairo renderer, whose cost is
 * the "up 2x" column (nearest, as cd-render-glue.c does there).  A figure,
 * not a test: nothing here asserts a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd-generate.h"
#include "cd-render.h"
#include "cd-simulate.h"

static int
compare_gint64 (const void *a,
                const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return (x > y) - (x < y);
}

/* Median of n times in microseconds (sorts them). */
static double
median_ms (gint64 *us,
           int     n)
{
  qsort (us, n, sizeof *us, compare_gint64);
  return (n % 2 ? us[n / 2] : (us[n / 2 - 1] + us[n / 2]) / 2.0) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  const double all_zooms[] = { 1.0, 2.0, 4.0, 8.0, 16.0, 20.0, 40.0 };
  double one_zoom[1];
  const double *zooms = all_zooms;
  guint n_zooms = G_N_ELEMENTS (all_zooms);
  g_autoptr(CdModel) model = cd_generate_national (1);
  g_autoptr(CdSystem) system = NULL;
  g_autoptr(CdTrajectory) traj = NULL;
  g_autoptr(CdNetworkView) view = cd_network_view_new ();
  g_autoptr(GError) error = NULL;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  CdNetworkOverlay overlay;
  CdRenderStyle style;
  cairo_surface_t *surface;
  cairo_t *cr;
  int frames = argc > 1 ? MAX (atoi (argv[1]), 1) : 30;
  g_autofree gint64 *times = g_new (gint64, frames);
  g_autofree gint64 *app_times = g_new (gint64, frames);
  g_autofree gint64 *cold_times = g_new (gint64, frames);
  g_autofree gint64 *hidpi_times = g_new (gint64, frames);
  g_autofree gint64 *rec_times = g_new (gint64, frames);
  g_autofree gint64 *up_times = g_new (gint64, frames);
  /* the app's images: two in turn, as GTK hands them back (the one it
   * shows is held while the next frame is drawn) */
  cairo_surface_t *images[2], *hidpi[2], *window2x;
  gint64 t0, total;

  /* bench-render [FRAMES [ZOOM [image]]]: one zoom only, e.g. under
   * callgrind; "image" leaves out the recording-surface frames */
  gboolean app = !(argc > 3 && g_strcmp0 (argv[3], "image") == 0);

  if (argc > 2)
    {
      one_zoom[0] = g_ascii_strtod (argv[2], NULL);
      zooms = one_zoom;
      n_zooms = 1;
    }
  system = cd_system_new (model, &error);
  if (system == NULL)
    {
      fprintf (stderr, "bench-render: %s\n", error->message);
      return 1;
    }
  options.forces = TRUE;
  options.trust = TRUE;
  options.t_end = 20;
  options.dt = 1;
  traj = cd_simulate_trajectory (system, &options, NULL, &error);
  if (traj == NULL)
    {
      fprintf (stderr, "bench-render: %s\n", error->message);
      return 1;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);
  cr = cairo_create (surface);
  for (guint k = 0; k < G_N_ELEMENTS (images); k++)
    {
      images[k] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1920, 1080);
      hidpi[k] = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 3840, 2160);
      cairo_surface_set_device_scale (hidpi[k], 2, 2);
    }
  /* a 2x window's surface, where GTK's cairo renderer paints the canvas */
  window2x = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 3840, 2160);
  cairo_surface_set_device_scale (window2x, 2, 2);
  cd_render_style_init (&style, CD_STYLE_NORMAL);
  cd_network_overlay_init (&overlay);
  overlay.show_glyphs = TRUE;
  t0 = g_get_monotonic_time ();
  cd_network_view_sync (view, model);
  printf ("national model: %u governments, %u edges; sync (spatial index) %.2f ms\n",
          model->nodes->len, model->edges->len, (g_get_monotonic_time () - t0) / 1000.0);
  /* "image": straight into an image surface (PNG export, this issue's
   * figure); "app": into a recording surface then replayed into the image,
   * which is what GTK does with gtk_snapshot_append_cairo. */
  printf ("1920x1080, glyphs, labels, legend; every frame a different time sample; ms per frame.\n"
          "warm: node sprites kept from the frame before; cold: dropped before each frame;\n"
          "app: warm, into one of two images in turn, as the canvas does (the texture\n"
          "wraps the image: no copy); app 2x: the same at a 2x display's 3840x2160 pixels;\n"
          "rec: through a recording surface, as gtk_snapshot_append_cairo (text sizes are\n"
          "cached in all); while panning or zooming a 2x display draws the app frame and\n"
          "GTK scales it up: up 2x is that under GTK's cairo renderer (nearest, pixman)\n");
  printf ("%-6s %-9s %-8s %-8s %-12s %-10s %-9s %-13s %-11s %-10s %s\n", "zoom", "median",
          "best", "mean", "cold median", "app median", "app best", "app 2x median", "rec median",
          "up 2x", "node 1 radius px");
  for (guint z = 0; z < n_zooms; z++)
    {
      cd_network_view_fit (view, 1920, 1080, 10);
      cd_network_view_zoom_at (view, zooms[z], 960, 540);
      /* one warm-up frame for font caches */
      cd_render_network (cr, 1920, 1080, view, model, system, traj, traj->n_samples - 1,
                         &overlay, &style);
      /* median and best of N as well as the mean: the machine is shared */
      total = 0;
      for (int f = 0; f < frames; f++)
        {
          gint64 t1 = g_get_monotonic_time ();
          cd_render_network (cr, 1920, 1080, view, model, system, traj,
                             (guint) f % traj->n_samples, &overlay, &style);
          cairo_surface_flush (surface);
          times[f] = g_get_monotonic_time () - t1;
          total += times[f];
        }
      if (g_getenv ("BENCH_PNG_DIR"))
        {
          /* the last sample's frame, to compare before/after by eye */
          cd_render_network (cr, 1920, 1080, view, model, system, traj, traj->n_samples - 1,
                             &overlay, &style);
          g_autofree char *name = g_strdup_printf ("bench-render-zoom%g.png", zooms[z]);
          g_autofree char *path = g_build_filename (g_getenv ("BENCH_PNG_DIR"), name, NULL);
          cairo_surface_write_to_png (surface, path);
        }
      /* cold: nothing kept from the frame before (node sprites, the
       * layer), as after a zoom step or a style change */
      for (int f = 0; f < frames; f++)
        {
          gint64 t1;
          cd_render_network_drop_caches ();
          t1 = g_get_monotonic_time ();
          cd_render_network (cr, 1920, 1080, view, model, system, traj,
                             (guint) f % traj->n_samples, &overlay, &style);
          cairo_surface_flush (surface);
          cold_times[f] = g_get_monotonic_time () - t1;
        }
      for (int f = 0; f < (app ? frames : 0); f++)
        {
          gint64 t1;

          for (int d = 0; d < 2; d++)
            {
              cairo_surface_t *image = (d ? hidpi : images)[f % G_N_ELEMENTS (images)];
              cairo_t *icr;

              t1 = g_get_monotonic_time ();
              icr = cairo_create (image);
              cd_render_network (icr, 1920, 1080, view, model, system, traj,
                                 (guint) f % traj->n_samples, &overlay, &style);
              cairo_destroy (icr);
              cairo_surface_flush (image);
              (d ? hidpi_times : app_times)[f] = g_get_monotonic_time () - t1;
            }
          {
            /* the quick frame as the cairo renderer puts it on a 2x window
             * (cd-render-glue.c: a cairo node painting the image) */
            cairo_t *wcr = cairo_create (window2x);

            t1 = g_get_monotonic_time ();
            cairo_set_source_surface (wcr, images[f % G_N_ELEMENTS (images)], 0, 0);
            cairo_pattern_set_filter (cairo_get_source (wcr), CAIRO_FILTER_FAST);
            cairo_set_operator (wcr, CAIRO_OPERATOR_SOURCE);
            cairo_paint (wcr);
            cairo_surface_flush (window2x);
            up_times[f] = g_get_monotonic_time () - t1;
            cairo_destroy (wcr);
          }
          t1 = g_get_monotonic_time ();
          cairo_surface_t *rec = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
          cairo_t *rcr = cairo_create (rec);
          cd_render_network (rcr, 1920, 1080, view, model, system, traj,
                             (guint) f % traj->n_samples, &overlay, &style);
          cairo_destroy (rcr);
          cairo_save (cr);
          cairo_set_source_surface (cr, rec, 0, 0);
          cairo_paint (cr);
          cairo_restore (cr);
          cairo_surface_destroy (rec);
          cairo_surface_flush (surface);
          rec_times[f] = g_get_monotonic_time () - t1;
        }
      {
        double mean = total / 1000.0 / frames, med = median_ms (times, frames);
        g_autofree char *app_med = app ? g_strdup_printf ("%.2f", median_ms (app_times, frames))
                                       : g_strdup ("-");
        g_autofree char *app_best = app ? g_strdup_printf ("%.2f", app_times[0] / 1000.0)
                                        : g_strdup ("-");
        g_autofree char *hidpi_med = app ? g_strdup_printf ("%.2f", median_ms (hidpi_times, frames))
                                         : g_strdup ("-");
        g_autofree char *rec_med = app ? g_strdup_printf ("%.2f", median_ms (rec_times, frames))
                                       : g_strdup ("-");
        g_autofree char *up_med = app ? g_strdup_printf ("%.2f", median_ms (up_times, frames))
                                      : g_strdup ("-");
        printf ("%-6g %-9.2f %-8.2f %-8.2f %-12.2f %-10s %-9s %-13s %-11s %-10s %.1f\n", zooms[z],
                med, times[0] / 1000.0, mean, median_ms (cold_times, frames), app_med, app_best,
                hidpi_med, rec_med, up_med, cd_network_view_node_radius (view, 1, &style));
      }
    }
  if (app)
    {
      /* what handing GTK a copy of each frame (g_bytes_new) would add,
       * against wrapping the image and taking it back once GTK lets go */
      gsize size = (gsize) cairo_image_surface_get_stride (images[0]) * 1080;
      for (int f = 0; f < frames; f++)
        {
          gint64 t1 = g_get_monotonic_time ();
          GBytes *copy = g_bytes_new (cairo_image_surface_get_data (images[f % 2]), size);
          times[f] = g_get_monotonic_time () - t1;
          g_bytes_unref (copy);
        }
      printf ("a copy of a 1920x1080 frame for the texture: %.2f ms median (the app makes none)\n",
              median_ms (times, frames));
      /* the other filters GTK's cairo renderer could scale a quick frame
       * with, and the 1:1 copy of a sharp frame there */
      for (guint k = 0; k < 3; k++)
        {
          static const cairo_filter_t filters[] = {
            CAIRO_FILTER_BILINEAR, CAIRO_FILTER_GOOD, CAIRO_FILTER_FAST
          };
          static const char *names[] = {
            "up 2x with cairo's bilinear filter instead of nearest",
            "up 2x with cairo's good filter instead of nearest",
            "a sharp 2x frame copied 1:1 onto the window, for comparison"
          };

          for (int f = 0; f < frames; f++)
            {
              cairo_t *wcr = cairo_create (window2x);
              gint64 t1 = g_get_monotonic_time ();

              cairo_set_source_surface (wcr, (k < 2 ? images : hidpi)[f % 2], 0, 0);
              cairo_pattern_set_filter (cairo_get_source (wcr), filters[k]);
              cairo_set_operator (wcr, CAIRO_OPERATOR_SOURCE);
              cairo_paint (wcr);
              cairo_surface_flush (window2x);
              times[f] = g_get_monotonic_time () - t1;
              cairo_destroy (wcr);
            }
          printf ("%s: %.2f ms median\n", names[k], median_ms (times, frames));
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (images); k++)
    {
      cairo_surface_destroy (images[k]);
      cairo_surface_destroy (hidpi[k]);
    }
  cairo_surface_destroy (window2x);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return 0;
}
