/* cd-window.h — the main window: one open model, its views and its actions.
 *
 * The window is a thin coordinator: CdDocument owns the model, CdRunner
 * simulates it, and the canvas, panels and charts each show one aspect.
 * More pages (e.g. "Analysis") go into the header's view switcher with
 * cd_window_add_page().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-canvas.h"
#include "cd-document.h"
#include "cd-export-snapshot.h"
#include "cd-runner.h"
#include "cd-timeseries-view.h"

G_BEGIN_DECLS

#define CD_TYPE_WINDOW (cd_window_get_type ())
G_DECLARE_FINAL_TYPE (CdWindow, cd_window, CD, WINDOW, AdwApplicationWindow)

CdWindow   *cd_window_new                  (GtkApplication *app);

CdDocument *cd_window_get_document         (CdWindow       *self);
CdRunner   *cd_window_get_runner           (CdWindow       *self);

/* Loads a file; a failure is reported in a dialog naming the place and
 * the current model is kept.  Returns whether it loaded. */
gboolean    cd_window_open_file            (CdWindow       *self,
                                            GFile          *file);
/* The example built into the program (the Yangtze River Delta). */
gboolean    cd_window_open_builtin_example (CdWindow       *self);

/* Adds a page beside "Model" in the header's view switcher. */
AdwViewStackPage *cd_window_add_page       (CdWindow       *self,
                                            GtkWidget      *child,
                                            const char     *name,
                                            const char     *title,
                                            const char     *icon_name);

/* Networks (cd-window-network.c): one .graphml file, or two .csv files
 * (governments and ties, either order). */
gboolean    cd_window_files_are_network    (GFile *const   *files,
                                            guint           n_files);
/* Imports, then replaces the model once unsaved changes are dealt with;
 * FALSE (after saying why) if the files cannot be imported. */
gboolean    cd_window_import_network       (CdWindow       *self,
                                            GFile *const   *files,
                                            guint           n_files);
/* GraphML to target, or (csv) nodes.csv and edges.csv into the folder target. */
gboolean    cd_window_export_network_to    (CdWindow       *self,
                                            GFile          *target,
                                            gboolean        csv,
                                            GError        **error);

void        cd_window_show_toast           (CdWindow       *self,
                                            const char     *message);
/* A toast that stays until dismissed, queued after the one showing: for
 * what may lose the user's work.  Not a dialog, so a repeated cause cannot
 * pile dialogs up. */
void        cd_window_show_warning         (CdWindow       *self,
                                            const char     *message);

/* The time cursor (model time) and what the chart shows. */
double            cd_window_get_cursor_time (CdWindow      *self);
void              cd_window_set_cursor_time (CdWindow      *self,
                                             double         t);
CdTimeseriesKind  cd_window_get_series_kind (CdWindow      *self);

/* What the Model page shows now, for exporting it (transfer full). */
CdExportSnapshot *cd_window_dup_export_snapshot (CdWindow  *self);

/* For tests only. */
CdCanvas         *cd_window_get_canvas     (CdWindow       *self);
CdTimeseriesView *cd_window_get_timeseries (CdWindow       *self);
/* The message of the last error dialog shown, or NULL. */
const char       *cd_window_get_last_error (CdWindow       *self);

G_END_DECLS
