/* cd-render-test-util.h — what the render tests share: a model simulated
 * with forces and trust, and snapshots written into the build folder for
 * a person to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "cd-model.h"
#include "cd-simulate.h"
#include "cd-system.h"

G_BEGIN_DECLS

typedef struct
{
  CdModel      *model;
  CdSystem     *system;
  CdTrajectory *traj;
} Run;

/* Compiles model (taking it) and simulates it with forces and trust;
 * asserts that both work. */
void run_init       (Run             *run,
                     CdModel         *model);
void run_clear      (Run             *run);

/* Writes surface to render-snapshots/NAME.png in the test build folder. */
void save_snapshot  (cairo_surface_t *surface,
                     const char      *name);

G_END_DECLS
