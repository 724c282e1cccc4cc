/* cd-render-test-util.c — see cd-render-test-util.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "cd-render-test-util.h"

void
run_init (Run     *run,
          CdModel *model)
{
  g_autoptr(GError) error = NULL;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;

  run->model = model;
  run->system = cd_system_new (model, &error);
  g_assert_no_error (error);
  options.forces = TRUE;
  options.trust = TRUE;
  run->traj = cd_simulate_trajectory (run->system, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run->traj);
}

void
run_clear (Run *run)
{
  g_clear_pointer (&run->traj, cd_trajectory_free);
  g_clear_pointer (&run->system, cd_system_free);
  g_clear_pointer (&run->model, cd_model_free);
}

void
save_snapshot (cairo_surface_t *surface,
               const char      *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "render-snapshots", NULL);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
}
