/* cd-force-field.h — Lewin-style force-field diagram of one government.
 *
 * The theory's central picture: driving forces (gravity, pressure, thrust)
 * push a government toward coordination, resistance pushes back, and the
 * net force decides where it moves.  The diagram shows the four forces at
 * one sample as labelled arrows with magnitudes, the net force, x and the
 * time, and beside it who contributes most: the partner with the largest
 * share of gravity and the superior with the largest share of pressure.
 * Each force's arrow is split into its parts (docs/model.md, "Force
 * factors"), each part in a shade of the force's colour and named with
 * its value under the arrow, and a sentence says which part weighs most.
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

/* In words, which part of the driving forces and which of resistance
 * weighs most, with its share ("Resistance is mostly fragmented powers
 * (62 %)"), a line each; NULL when every force is 0.  Translated. */
char    *cd_force_dominance_text    (const CdModel          *model,
                                     const CdForceBreakdown *breakdown);

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
