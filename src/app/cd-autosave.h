/* cd-autosave.h — periodic autosave of unsaved changes, and crash recovery.
 *
 * One CdAutosave watches one CdDocument.  While the document has unsaved
 * changes it is written every minute (atomically) to its own file in
 * g_get_user_state_dir()/coordyn/autosave/, with the path of the file the
 * user was editing.  Saving the document, or closing it cleanly, removes
 * the autosave; a crash leaves it, and the next start-up offers to recover
 * it (cd_autosave_offer_recovery()).
 *
 * An autosave that cannot be written emits ::failed (GError *) once, at the
 * first failure of a streak; a successful write ends the streak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_AUTOSAVE_INTERVAL_SECONDS 60

#define CD_TYPE_AUTOSAVE (cd_autosave_get_type ())
G_DECLARE_FINAL_TYPE (CdAutosave, cd_autosave, CD, AUTOSAVE, GObject)

/* dir NULL: the default directory (cd_autosave_default_dir()). */
CdAutosave *cd_autosave_new            (CdDocument  *document,
                                        const char  *dir);
const char *cd_autosave_get_path       (CdAutosave  *self);

/* Writes the document now if it has unsaved changes not yet autosaved, and
 * removes the autosave if it has none.  The timer calls this.  A failure
 * that starts a streak also emits ::failed. */
gboolean    cd_autosave_save_now       (CdAutosave  *self,
                                        GError     **error);
/* Removes the autosave: the user saved, or closed without keeping changes. */
void        cd_autosave_discard        (CdAutosave  *self);

char       *cd_autosave_default_dir    (void);

/* What a previous session left behind, oldest first. */
typedef struct
{
  char   *path;       /* the autosave file */
  char   *original;   /* the file being edited, NULL for an unsaved model */
  char   *title;      /* the model's display name, for the dialog */
  gint64  modified;   /* seconds since the epoch */
} CdAutosaveEntry;

void        cd_autosave_entry_free     (CdAutosaveEntry *entry);
GPtrArray  *cd_autosave_list           (const char  *dir);   /* of CdAutosaveEntry */
CdModel    *cd_autosave_read           (const char  *path,
                                        char       **out_original,
                                        GError     **error);

/* Puts a recovered model into document as one undoable step on top of the
 * original file (if it still loads), so the document shows unsaved changes
 * and Undo returns to what is on disk. */
gboolean    cd_autosave_restore        (CdDocument  *document,
                                        CdModel     *recovered,
                                        const char  *original,
                                        GError     **error);

/* Called once per autosave the user chose to recover; the callee opens a
 * window for it (usually with cd_autosave_restore()).  The autosave file is
 * removed after the call returns TRUE. */
typedef gboolean (*CdRecoverFunc) (CdModel    *recovered,
                                   const char *original,
                                   gpointer    user_data);

/* If dir holds autosaves, asks with an AdwMessageDialog whether to recover
 * them; returns FALSE (and shows nothing) when there are none. */
gboolean    cd_autosave_offer_recovery (GtkWindow     *parent,
                                        const char    *dir,
                                        CdRecoverFunc  recover,
                                        gpointer       user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdAutosaveEntry, cd_autosave_entry_free)

G_END_DECLS
