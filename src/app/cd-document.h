/* cd-document.h — the open model: its single owner, with undo, redo and a file.
 *
 * Every edit goes through cd_document_apply(), which snapshots the model
 * first (cd_model_copy), runs the edit, validates the result and either
 * keeps it as one undo step or restores the snapshot.  Snapshots rather than
 * inverse operations because an edit may touch anything (renaming an id
 * rewrites edges and impacts) and a copy is always right.  Consecutive edits
 * with the same merge key (one slider, one drag) coalesce into one step.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-model.h"

G_BEGIN_DECLS

#define CD_TYPE_DOCUMENT (cd_document_get_type ())
G_DECLARE_FINAL_TYPE (CdDocument, cd_document, CD, DOCUMENT, GObject)

/* What an edit changed: the structure (governments, ties, events — anything
 * that changes what is drawn or listed) or only values. */
typedef enum
{
  CD_CHANGE_VALUES    = 0,
  CD_CHANGE_STRUCTURE = 1 << 0,
  CD_CHANGE_POSITIONS = 1 << 1,   /* only positions: no re-run needed */
  CD_CHANGE_REPLACED  = 1 << 2,   /* a new model (New, Open): views reset */
} CdChangeFlags;

/* Applies an edit to model; returns FALSE with error set to refuse it. */
typedef gboolean (*CdEditFunc) (CdModel  *model,
                                gpointer  user_data,
                                GError  **error);

CdDocument    *cd_document_new            (void);

const CdModel *cd_document_get_model      (CdDocument    *self);
GFile         *cd_document_get_file       (CdDocument    *self);
gboolean       cd_document_get_dirty      (CdDocument    *self);
char          *cd_document_dup_title      (CdDocument    *self);

/* Replaces the whole model (New, Open): clears undo, marks it clean. */
void           cd_document_set_model      (CdDocument    *self,
                                           CdModel       *model,
                                           GFile         *file);

/* Loads a file; on failure the current model is kept and error names the
 * place.  Nodes without positions are laid out. */
gboolean       cd_document_load           (CdDocument    *self,
                                           GFile         *file,
                                           GError       **error);
gboolean       cd_document_load_bytes     (CdDocument    *self,
                                           GBytes        *bytes,
                                           GError       **error);
gboolean       cd_document_save           (CdDocument    *self,
                                           GFile         *file,
                                           GError       **error);

/* label is shown as "Undo <label>"; merge_key may be NULL (never merges). */
gboolean       cd_document_apply          (CdDocument    *self,
                                           const char    *label,
                                           const char    *merge_key,
                                           CdChangeFlags  flags,
                                           CdEditFunc     edit,
                                           gpointer       user_data,
                                           GError       **error);
/* Adds a copy of scenario to the model as one undoable step ("Undo
 * <label>"): a fit's estimates, a policy mix. */
gboolean       cd_document_add_scenario   (CdDocument       *self,
                                           const char       *label,
                                           const CdScenario *scenario,
                                           GError          **error);
/* stem, or "stem (2)", "stem (3)", … in the user's language: the first
 * name no scenario of the model has. */
char          *cd_document_unique_scenario_name (CdDocument *self,
                                                 const char *stem);
/* The same as a key, the same in every language: stem, or "stem-2",
 * "stem-3", …, for a scenario whose names in each language are its
 * `names` (the Scenario panel's, an institutional arrangement's). */
char          *cd_document_unique_scenario_key  (CdDocument *self,
                                                 const char *stem);
/* Ends coalescing, so the next edit with the same key is a new step. */
void           cd_document_break_merge    (CdDocument    *self);

gboolean       cd_document_can_undo       (CdDocument    *self);
gboolean       cd_document_can_redo       (CdDocument    *self);
const char    *cd_document_get_undo_label (CdDocument    *self);
const char    *cd_document_get_redo_label (CdDocument    *self);
gboolean       cd_document_undo           (CdDocument    *self);
gboolean       cd_document_redo           (CdDocument    *self);

/* For views of the document (canvas, panels, timeline): makes *slot hold
 * document, connected so that on_changed (CdDocument *, guint flags,
 * instance) runs on each "changed".  Whatever instance had connected to the
 * document *slot held before is disconnected first.  The connection dies
 * with instance too. */
void           cd_document_follow         (CdDocument   **slot,
                                           CdDocument    *document,
                                           gpointer       instance,
                                           GCallback      on_changed);
/* Stops following (for dispose): disconnects and clears *slot. */
void           cd_document_unfollow       (CdDocument   **slot,
                                           gpointer       instance);

/* Convenience edits used by the panels. */
gboolean       cd_document_set_param      (CdDocument    *self,
                                           CdParam        param,
                                           double         value);

G_END_DECLS
