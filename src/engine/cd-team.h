/* cd-team.h — a loop shared among threads, each taking what it can.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CdTeam CdTeam;

/* Does item `item` of a loop; items are independent of each other. */
typedef void (*CdTeamFunc) (gpointer data,
                            guint    item);

/* A team of `threads` threads: the caller's and threads − 1 helpers. */
CdTeam *cd_team_new   (guint       threads);
void    cd_team_free  (CdTeam     *team);
guint   cd_team_size  (const CdTeam *team);

/* Calls func (data, i) once for every i in [0, n_items), on the caller's
 * thread and on the helpers that are free to take items; returns when all
 * are done.  The caller never waits for a helper to start: on a busy
 * machine it may do every item itself.  A team runs one loop at a time
 * (it belongs to one integration). */
void    cd_team_run   (CdTeam     *team,
                       guint       n_items,
                       CdTeamFunc  func,
                       gpointer    data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdTeam, cd_team_free)

G_END_DECLS
