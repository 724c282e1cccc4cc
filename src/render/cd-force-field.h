/* cd-force-field.h — Lewin-style force-field diagram of one government.
 *
 * The theory's central picture: driving forces (gravity, pressure, thrust)
 * push a government toward coordination, resistance pushes back, and the
 * net force decides where it moves.  The diagram shows the four forces at
 * one sample as labelled arrows with magnitudes, the net force, x and the
 * time, and beside it who contributes most: the partner with the largest
 * share of gravity and the superior with the largest share of pressure,
 * with pressure split into its administrative and crisis parts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "cd-model.h"
#include "cd-palette.h"
#include "cd-simulate.h"
#include "cd-system.h"

G_BEGIN_DECLS

/* The numbers the diagram shows (CdForceBreakdown, cd-system.h) of `node`
 * at `sample`: cd_system_force_breakdown() at the trajectory's state (x and,
 * when kept, trust; otherwise τ0, which is exact only at t = 0).  traj may be NULL: the
 * initial state at t = 0.  Returns FALSE if node is out of range. */
gboolean cd_force_breakdown_compute (const CdSystem     *system,
                                     const CdTrajectory *traj,
                                     guint               node,
                                     guint               sample,
                                     CdForceBreakdown   *out);

/* Draws the diagram over (0, 0, width, height), background included.
 * traj may be NULL (t = 0).  A node out of range draws a message. */
void     cd_render_force_field      (cairo_t             *cr,
                                     int                  width,
                                     int                  height,
                                     const CdModel       *model,
                                     const CdSystem      *system,
                                     const CdTrajectory  *traj,
                                     guint                node,
                                     guint                sample,
                                     const CdRenderStyle *style);

G_END_DECLS
