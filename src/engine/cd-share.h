/* cd-share.h — a loop whose items an owner thread does from the front
 * while a helper, when it has nothing else to do, takes them from the back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CdShare CdShare;

typedef void (*CdShareFunc) (gpointer data,
                             guint    item);

/* Most items one loop may have. */
#define CD_SHARE_MAX_ITEMS ((1u << 20) - 1)

CdShare  *cd_share_new  (void);
void      cd_share_free (CdShare *share);

/* The owner: does items 0 … n_items − 1 of func, from the front, while a
 * helper in cd_share_help() may take some from the back; returns when every
 * item is done, the helper's included.  One owner thread per CdShare. */
void      cd_share_run  (CdShare     *share,
                         guint        n_items,
                         CdShareFunc  func,
                         gpointer     data);

/* The helper: does items of the loop running, if any, from the back, until
 * none is left; TRUE if it did one.  Never waits. */
gboolean  cd_share_help (CdShare     *share);
/* One turn of a loop that waits for another thread: a pause, and every
 * so many turns (*turns counts them) the processor offered to others
 * instead, in case the thread waited for was descheduled on a busy
 * machine. */
void      cd_share_wait_turn (guint *turns);

/* How many items the helper has done, in its own thread. */
guint64   cd_share_get_helped (CdShare *share);

G_END_DECLS
