/* cd-runner.h — runs the simulation off the main thread, newest request wins.
 *
 * A request copies the model (cheap, on the main thread) and hands the copy
 * to a CdWorker that compiles and integrates it; a newer request cancels
 * the older one, whose result is then never delivered.  Results come back on the main
 * thread as an immutable CdRun that views may keep as long as they like.
 *
 * While a slider is dragged the app asks for previews instead: a quicker
 * run of the same model (docs/model.md's numbers at a looser tolerance,
 * sampled more coarsely; see cd-runner.c for exactly how) that keeps up
 * with the hand on large models, and the exact run when the slider is let
 * go.  A preview in progress is not cancelled by the next one: that one
 * waits, the newest replacing any waiting, so a steady drag still shows a
 * new picture every preview rather than none until the hand stops.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-model.h"
#include "cd-simulate.h"
#include "cd-system.h"

G_BEGIN_DECLS

/* One finished run: the model it was made from, compiled, and its samples
 * (forces and trust included).  Reference counted, never changed. */
typedef struct
{
  CdModel      *model;
  CdSystem     *system;
  CdTrajectory *trajectory;
  gboolean      preview;     /* a preview (cd_runner_request_preview), not the exact run */
} CdRun;

CdRun *cd_run_ref   (CdRun *run);
void   cd_run_unref (CdRun *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdRun, cd_run_unref)

#define CD_TYPE_RUNNER (cd_runner_get_type ())
G_DECLARE_FINAL_TYPE (CdRunner, cd_runner, CD, RUNNER, GObject)

CdRunner   *cd_runner_new          (void);

/* Starts a run of a copy of model, cancelling any run in progress. */
void        cd_runner_request      (CdRunner      *self,
                                    const CdModel *model);
/* Starts a preview of a copy of model for a slider being dragged, sampled
 * so that the time t_shown is among its samples, exactly as the exact run
 * samples it.  When exact runs of this runner take less than a frame or
 * two there is nothing to gain: then it is an exact request. */
void        cd_runner_request_preview (CdRunner      *self,
                                       const CdModel *model,
                                       double         t_shown);
/* Cancels the run in progress (the user's Cancel, a newer request, closing):
 * its result will never be delivered, and the previous run stays. */
void        cd_runner_cancel       (CdRunner      *self);

/* The newest finished run, or NULL before the first. */
CdRun      *cd_runner_get_run      (CdRunner      *self);
gboolean    cd_runner_get_running  (CdRunner      *self);
double      cd_runner_get_progress (CdRunner      *self);
/* Why the newest run failed, or NULL. */
const char *cd_runner_get_error    (CdRunner      *self);
/* Whether the run held is not of the newest request — one is still running,
 * or it was cancelled or failed — so views showing it must say it is out of
 * date.  FALSE without a run.  Property "outdated". */
gboolean    cd_runner_get_outdated (CdRunner      *self);
/* Whether the run held is a preview (views showing it say so): property
 * "preview". */
gboolean    cd_runner_get_preview  (CdRunner      *self);
/* Whether the run in progress is a preview (no progress bar for those). */
gboolean    cd_runner_get_running_preview (CdRunner *self);
/* How many runs have been delivered (for tests and status). */
guint       cd_runner_get_n_delivered (CdRunner   *self);

G_END_DECLS
