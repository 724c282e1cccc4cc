/* cd-kinks.h — the times at which the right-hand side has a corner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-system.h"

G_BEGIN_DECLS

/* The times strictly inside piece `piece` (which ends at the next piece's
 * start or at t_end, whichever is first) at which some government's worst
 * reported crisis, max_{d∈D_i} h_id S_d(t), passes from one subordinate to
 * another: corners of the right-hand side in time.  Sorted, distinct; an
 * array of double. */
GArray *cd_system_kinks (const CdSystem *system,
                         guint           piece,
                         double          t_end);

G_END_DECLS
