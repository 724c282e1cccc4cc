/* cd-kinks.h — where and when the right-hand side has a corner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-system.h"

G_BEGIN_DECLS

/* One government's corner: at time t the worst crisis reported to `node`,
 * max_{d∈D_i} h_id S_d(t), passes from one subordinate to another, and the
 * slope of that maximum changes by slope_jump there: a corner of the
 * right-hand side in time. */
typedef struct
{
  double t;
  guint  node;
  double slope_jump;
} CdCorner;

/* The corners strictly inside piece `piece` (which ends at the next piece's
 * start or at t_end, whichever is first), one per government and time:
 * sorted by time, then government; an array of CdCorner. */
GArray *cd_system_corners (const CdSystem *system,
                           guint           piece,
                           double          t_end);

/* A bound on how much d²x_i/dt² jumps at the corner, for i = corner->node,
 * in the state y (the file's order) with f(t, y) in dydt if known (NULL
 * if not: a bound that holds for any state is taken where it needs it). */
double  cd_system_corner_jump (const CdSystem *system,
                               guint           piece,
                               const CdCorner *corner,
                               const double   *y,
                               const double   *dydt);

/* The same for the log-odds z_i = log(x_i / (1 − x_i)) the integrator
 * follows under the replicator rule (dz_i/dt = λ F_i): a bound on the jump
 * of d²z_i/dt², λ |dF_i|, which needs no state (0 for a fixed government). */
double  cd_system_corner_jump_logodds (const CdSystem *system,
                                       guint           piece,
                                       const CdCorner *corner);

G_END_DECLS
