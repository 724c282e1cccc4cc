/* bench-render.c — canvas frame time on the national model (issue 6.3).
 *
 * Draws the 3,209-government national model with force glyphs on at
 * 1920×1080 into an image surface, as the app's canvas does, at several
 * zoom levels, and prints milliseconds per frame.  The target is ≤ 8 ms.
 * A figure, not a test: nothing here asserts a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cd-generate.h"
#include "cd-render.h"
#include "cd-simulate.h"

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
  int frames = argc > 1 ? atoi (argv[1]) : 30;
  gint64 t0, best;

  /* bench-render [FRAMES [ZOOM]]: one zoom only, e.g. under callgrind */
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
  cd_render_style_init (&style, CD_STYLE_NORMAL);
  cd_network_overlay_init (&overlay);
  overlay.show_glyphs = TRUE;
  t0 = g_get_monotonic_time ();
  cd_network_view_sync (view, model);
  printf ("national model: %u governments, %u edges; sync (spatial index) %.2f ms\n",
          model->nodes->len, model->edges->len, (g_get_monotonic_time () - t0) / 1000.0);
  printf ("%-8s %-10s %-10s %s\n", "zoom", "ms/frame", "best ms", "(1920x1080, glyphs, labels, "
          "legend; node 1 radius px)");
  for (guint z = 0; z < n_zooms; z++)
    {
      cd_network_view_fit (view, 1920, 1080, 10);
      cd_network_view_zoom_at (view, zooms[z], 960, 540);
      /* one warm-up frame for font caches */
      cd_render_network (cr, 1920, 1080, view, model, system, traj, traj->n_samples - 1,
                         &overlay, &style);
      t0 = g_get_monotonic_time ();
      /* best of N as well as the mean: the machine is shared */
      best = G_MAXINT64;
      for (int f = 0; f < frames; f++)
        {
          gint64 t1 = g_get_monotonic_time ();
          cd_render_network (cr, 1920, 1080, view, model, system, traj,
                             (guint) f % traj->n_samples, &overlay, &style);
          cairo_surface_flush (surface);
          best = MIN (best, g_get_monotonic_time () - t1);
        }
      if (g_getenv ("BENCH_PNG_DIR"))
        {
          /* the frame as drawn, to compare before/after by eye */
          g_autofree char *name = g_strdup_printf ("bench-render-zoom%g.png", zooms[z]);
          g_autofree char *path = g_build_filename (g_getenv ("BENCH_PNG_DIR"), name, NULL);
          cairo_surface_write_to_png (surface, path);
        }
      printf ("%-8.1f %-10.2f %-10.2f %.1f\n", zooms[z],
              (g_get_monotonic_time () - t0) / 1000.0 / MAX (frames, 1), best / 1000.0,
              cd_network_view_node_radius (view, 1, &style));
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return 0;
}
