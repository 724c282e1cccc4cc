/* cd-export-dialog.h — Export Figure… and Export Results as CSV… for the
 * Model page.
 *
 * A figure is described as a CdFigureSpec and drawn by src/render's
 * cd_figure_export, exactly as `coordyn-cli render` draws it, so a figure
 * saved from the app can be made again from the command line with the same
 * model, --time, --node, --series, size, scale and style.  The table is the
 * CSV of `coordyn-cli run --forces --trust`, written from the run on screen.
 *
 * What to export is a CdExportSnapshot, which the window makes; nothing
 * here knows the window.  Messages for it go through its action
 * win.show-message, errors to a dialog over it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-export-snapshot.h"
#include "cd-worker.h"

G_BEGIN_DECLS

#define CD_TYPE_EXPORT_DIALOG (cd_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CdExportDialog, cd_export_dialog, CD, EXPORT_DIALOG, AdwWindow)

/* The dialog over parent for what snapshot (transfer full) shows, opening
 * on the network at its size on screen. */
GtkWidget *cd_export_dialog_new          (GtkWindow              *parent,
                                          CdExportSnapshot       *snapshot);
/* A newer snapshot (transfer full), e.g. once a run in progress is done:
 * what the dialog says can or cannot be exported follows it. */
void       cd_export_dialog_set_snapshot (CdExportDialog         *self,
                                          CdExportSnapshot       *snapshot);

/* Writes the figure of spec from snapshot's run to path (atomically).
 * Fails with a message for the user when the snapshot cannot be exported
 * (its problem) or when spec is wrong.  On success remembers path's folder
 * as the next export's. */
gboolean   cd_export_dialog_export_to    (const CdExportSnapshot *snapshot,
                                          const CdFigureSpec     *spec,
                                          CdExportFormat          format,
                                          const char             *path,
                                          GError                **error);

/* Writes snapshot's run as CSV (docs/model.md's columns with forces and
 * trust, as `coordyn-cli run --forces --trust`) to path, atomically. */
gboolean   cd_export_dialog_export_csv_to (const CdExportSnapshot *snapshot,
                                           const char             *path,
                                           GError                **error);

/* The same two exports in a CdWorker (returned, transfer full; the CSV
 * reports its progress through it), so the window keeps drawing while a
 * large PNG, PDF or table is written.  What to write is taken now (the run
 * is held, the model and spec copied).  The file appears, atomically, just
 * before done is called with error NULL; failed or cancelled (at any time
 * before done), neither the file nor a temporary one is left and an
 * existing file is untouched.  Refusals (the snapshot's problem, a wrong
 * spec) come through done too.  The application is held until done.  On
 * success remembers path's folder as the next export's. */
CdWorker  *cd_export_dialog_export_async (const CdExportSnapshot *snapshot,
                                          const CdFigureSpec     *spec,
                                          CdExportFormat          format,
                                          const char             *path,
                                          GCancellable           *cancellable,
                                          CdWorkerDoneFunc        done,
                                          gpointer                user_data);
CdWorker  *cd_export_dialog_export_csv_async (const CdExportSnapshot *snapshot,
                                              const char             *path,
                                              GCancellable           *cancellable,
                                              CdWorkerDoneFunc        done,
                                              gpointer                user_data);

/* What the file chooser's Export does once a path is chosen: the dialog
 * shows it is busy (its Cancel, or Escape, cancels the export and leaves
 * it open), then closes with a toast on its parent, or shows the error.
 * A path without a known extension gets the chosen format's. */
void       cd_export_dialog_save_to      (CdExportDialog         *self,
                                          const char             *path);
gboolean   cd_export_dialog_get_busy     (CdExportDialog         *self);

/* The same for the CSV chooser: starts the export and returns the window
 * that shows its progress (presented only if the export takes a moment;
 * closing it cancels), destroyed when the export ends; NULL if it was
 * refused at once (the error is shown). */
GtkWindow *cd_export_dialog_save_csv_to  (GtkWindow              *parent,
                                          const CdExportSnapshot *snapshot,
                                          const char             *path);

/* Export Results as CSV…: a file chooser over parent, then
 * cd_export_dialog_save_csv_to; snapshot (transfer full) is what to write. */
void       cd_export_dialog_choose_csv   (GtkWindow              *parent,
                                          CdExportSnapshot       *snapshot);
/* For tests: the size above which cd_export_dialog_choose_csv() asks first
 * (CD_CSV_WARN_OUTPUT, 1 GiB). */
void       cd_export_dialog_set_csv_warning_size (guint64         bytes);

G_END_DECLS
