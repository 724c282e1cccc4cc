/* cd-run-bar.h — the line under a view that runs work in the background:
 * a status message, a progress bar and a Cancel button.
 *
 * The policy, experiment and analysis views each run one CdWorker at a
 * time and show the same three things while it runs; this is that strip,
 * once.  The view's .ui places it and gives its words (the status it
 * starts with, the Cancel button's label, mnemonic and tooltip, the action
 * that cancels), so each view keeps its own, translated, and its
 * mnemonics stay apart from its other buttons'.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cd-worker.h"

G_BEGIN_DECLS

#define CD_TYPE_RUN_BAR (cd_run_bar_get_type ())
G_DECLARE_FINAL_TYPE (CdRunBar, cd_run_bar, CD, RUN_BAR, GtkBox)

CdRunBar   *cd_run_bar_new          (void);

/* The status line.  Property "status". */
void        cd_run_bar_set_status   (CdRunBar   *self,
                                     const char *text);
const char *cd_run_bar_get_status   (CdRunBar   *self);
/* The status, also shown as a message by the window ("win.show-message"):
 * for what the user must not miss, such as a failure. */
void        cd_run_bar_show_message (CdRunBar   *self,
                                     const char *text);

/* A worker: shows the progress bar from 0 and the Cancel button, and
 * follows its progress (a fraction, or a pulse while it cannot say) until
 * the next call.  NULL: hides them again. */
void        cd_run_bar_set_worker   (CdRunBar   *self,
                                     CdWorker   *worker);
gboolean    cd_run_bar_get_running  (CdRunBar   *self);

G_END_DECLS
