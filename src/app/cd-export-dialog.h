/* cd-export-dialog.h — Export Figure… and Export Results as CSV… for the
 * Model page.
 *
 * A figure is described as a CdFigureSpec and drawn by src/render's
 * cd_figure_export, exactly as `coordyn-cli render` draws it, so a figure
 * saved from the app can be made again from the command line with the same
 * model, --time, --node, --series, size, scale and style.  The table is the
 * CSV of `coordyn-cli run --forces --trust`, written from the run on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-figure.h"
#include "cd-window.h"

G_BEGIN_DECLS

#define CD_TYPE_EXPORT_DIALOG (cd_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CdExportDialog, cd_export_dialog, CD, EXPORT_DIALOG, AdwWindow)

/* The dialog for win's Model page, opening on the view the user is most
 * likely to want (the force diagram when a government is selected). */
GtkWidget *cd_export_dialog_new          (CdWindow           *win);

/* Fills spec with `view` as the Model page shows it now: the time cursor,
 * the selected governments and partnerships (indices into the run's
 * model), the chart's series, the glyph and flow settings and the view's
 * size on screen (at least 1 × 1); normal style, scale 1.  The index arrays
 * spec points to are returned in *storage: g_free them after the spec. */
void       cd_export_dialog_fill_spec    (CdWindow           *win,
                                          CdFigureView        view,
                                          CdFigureSpec       *spec,
                                          guint             **storage);

/* Writes the figure of spec from win's current run to path (atomically).
 * Fails with a message for the user when there are no results, when they
 * are out of date or not of the model on screen, or when spec is wrong.
 * On success remembers path's folder as the next export's. */
gboolean   cd_export_dialog_export_to    (CdWindow           *win,
                                          const CdFigureSpec *spec,
                                          CdExportFormat      format,
                                          const char         *path,
                                          GError            **error);

/* Writes win's current run as CSV (docs/model.md's columns with forces and
 * trust, as `coordyn-cli run --forces --trust`) to path, atomically. */
gboolean   cd_export_dialog_export_csv_to (CdWindow          *win,
                                           const char        *path,
                                           GError           **error);

/* The same two exports in a worker thread, so the window keeps drawing
 * while a large PNG, PDF or table is written.  What to write is taken now
 * (the run is held, the model and spec copied), so the user may go on
 * editing.  The file appears, atomically, only in a successful _finish, on
 * the calling thread; failed or cancelled (at any time before _finish),
 * neither the file nor a temporary one is left and an existing file is
 * untouched.  Refusals (no results, out of date, a wrong spec) come back
 * through _finish too.  The CSV checks cancellable between rows. */
void       cd_export_dialog_export_async (CdWindow            *win,
                                          const CdFigureSpec  *spec,
                                          CdExportFormat       format,
                                          const char          *path,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void       cd_export_dialog_export_csv_async (CdWindow            *win,
                                              const char          *path,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* For both: on success remembers path's folder as the next export's. */
gboolean   cd_export_dialog_export_finish (GAsyncResult       *result,
                                           GError            **error);

/* What the file chooser's Export does once a path is chosen: the dialog
 * shows it is busy (its Cancel, or Escape, cancels the export and leaves
 * it open), then closes with a toast on the window, or shows the error.
 * A path without a known extension gets the chosen format's. */
void       cd_export_dialog_save_to      (CdExportDialog     *self,
                                          const char         *path);
gboolean   cd_export_dialog_get_busy     (CdExportDialog     *self);

/* The same for the CSV chooser: starts the export and returns the window
 * that shows its progress (presented only if the export takes a moment;
 * closing it cancels), destroyed when the export ends and finalized only
 * once the worker has returned; NULL if it was refused at once (the error
 * is shown). */
GtkWindow *cd_export_dialog_save_csv_to  (CdWindow           *win,
                                          const char         *path);

/* The window actions: the dialog, and a file chooser for the CSV. */
void       cd_export_dialog_present      (CdWindow           *win);
void       cd_export_dialog_choose_csv   (CdWindow           *win);
/* For tests: the size above which cd_export_dialog_choose_csv() asks first
 * (CD_CSV_WARN_OUTPUT, 1 GiB). */
void       cd_export_dialog_set_csv_warning_size (guint64       bytes);

G_END_DECLS
