/* cd-analysis-sweep.h — sweeping one parameter: bifurcation diagrams,
 * tipping points and hysteresis.
 *
 * Natural-parameter continuation: the parameter moves from `from` to `to`
 * in `steps` steps and back; at each step Newton starts from the previous
 * equilibrium.  When Newton fails, lands on an unstable state, or the
 * branch moves by more than CD_SWEEP_JUMP in one step, the branch has
 * ended (a fold): the dynamics are integrated from the previous equilibrium
 * to the attractor they fall to, and that point is marked as a tipping
 * point.  Up and down therefore follow the stable branch the system is on,
 * and where they differ the model shows hysteresis.  Unstable branches,
 * which continuation along attractors cannot follow, come from a full
 * multi-start search at every value when asked (direction "all"), seeded
 * with the previous value's equilibria so that each branch is followed
 * on.  That search finds equilibria in no order, so they are linked into
 * branches afterwards: from one value to the next, by state (see
 * CD_SWEEP_LINK).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-analysis-equilibria.h"

G_BEGIN_DECLS

#define CD_SWEEP_JUMP      0.05     /* max-norm change of the state that counts as a jump */
/* max-norm distance per step between states on one "all" branch */
#define CD_SWEEP_LINK      0.2
#define CD_SWEEP_MAX_STEPS 100000

typedef enum
{
  CD_SWEEP_UP,
  CD_SWEEP_DOWN,
  CD_SWEEP_ALL,     /* every equilibrium found at that value */
} CdSweepDirection;

typedef struct
{
  double           value;
  CdSweepDirection direction;
  double           mean_coordination;
  gboolean         stable;
  gboolean         tipping;   /* the branch ended before this point and jumped here */
  /* Points of one direction with the same branch lie on one line, in
   * order of value.  Up and down: a new branch starts at each tipping
   * point.  All: an equilibrium continues the branch of the one at the
   * previous value that has the same stability and the nearest state, no
   * further than CD_SWEEP_LINK, each continued at most once. */
  guint            branch;
} CdSweepPoint;

typedef struct
{
  CdParam  param;
  GArray  *points;          /* of CdSweepPoint: up, then down, then all */
} CdSweep;

/* Inline, so that writing a sweep's CSV does not link the solvers: the
 * engine commands of coordyn-cli, which write CSV, must not load KLU and
 * ARPACK (tests/engine/test-cli-split.c). */
static inline const char *
cd_sweep_direction_to_string (CdSweepDirection direction)
{
  switch (direction)
    {
    case CD_SWEEP_UP:   return "up";
    case CD_SWEEP_DOWN: return "down";
    case CD_SWEEP_ALL:
    default:            return "all";
    }
}

CdSweep *cd_sweep_run  (const CdModel  *model,
                        CdParam         param,
                        double          from,
                        double          to,
                        guint           steps,
                        double          at,
                        gboolean        all_equilibria,
                        CdProgressFunc  progress,
                        gpointer        progress_data,
                        GCancellable   *cancellable,
                        GError        **error);
void     cd_sweep_free (CdSweep        *sweep);

/* The first tipping point met going up and going down; FALSE if none. */
gboolean cd_sweep_tipping_point (const CdSweep    *sweep,
                                 CdSweepDirection  direction,
                                 double           *out_value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSweep, cd_sweep_free)

G_END_DECLS
