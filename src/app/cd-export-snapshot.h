/* cd-export-snapshot.h — what the Model page shows, taken at one moment,
 * for exporting it: the run on screen (or why it cannot be exported), the
 * time cursor, the chart's series, the selection, the view preferences and
 * each view's size on screen.
 *
 * The window makes one (cd_window_dup_export_snapshot) and hands it to the
 * export dialog, which needs nothing else of the window.  It owns what it
 * holds: the run is referenced (immutable), the model copied.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-figure.h"
#include "cd-runner.h"

G_BEGIN_DECLS

#define CD_N_FIGURE_VIEWS 3

typedef struct
{
  /* The run on screen, or NULL. */
  CdRun            *run;
  /* The run's model with the document's node positions (moving a
   * government does not re-run, and a figure must show the network where
   * the canvas does); NULL when problem is set. */
  CdModel          *model;
  /* Why these results cannot be exported (none yet, out of date, or not of
   * the model on screen), in the user's words; NULL if they can. */
  GError           *problem;

  double            time;            /* the time cursor */
  CdTimeseriesKind  series;          /* what the chart shows */
  gboolean          show_glyphs;
  gboolean          show_flows;
  /* The selection as the run knows it: indices into run->model's nodes,
   * and partnership indices (among partnerships, file order), as guint. */
  GArray           *nodes;
  GArray           *partnerships;
  /* Each CdFigureView's size on screen, at least 1 × 1. */
  int               width[CD_N_FIGURE_VIEWS];
  int               height[CD_N_FIGURE_VIEWS];
  /* The document's title, for file names. */
  char             *title;
} CdExportSnapshot;

/* A snapshot of run for a document whose model is document: problem says
 * whether the run can be exported.  running_or_outdated: whether the
 * runner is still at work or holds a result of an older request.  The
 * rest has the command line's defaults (no selection, 1200 × 800, mean
 * and loss, glyphs on, flows off) for the caller to fill in. */
CdExportSnapshot *cd_export_snapshot_new       (const CdModel          *document,
                                                CdRun                  *run,
                                                gboolean                running_or_outdated);
void              cd_export_snapshot_free      (CdExportSnapshot       *self);

/* Sets a view's size on screen; a view not laid out (or hidden) measures
 * nothing and keeps the command line's 1200 × 800. */
void              cd_export_snapshot_set_size  (CdExportSnapshot       *self,
                                                CdFigureView            view,
                                                int                     width,
                                                int                     height);

/* Fills spec with view as the snapshot shows it: its time (within the
 * run), series, selection, view preferences and size on screen; normal
 * style, scale 1.  spec points into self's arrays: use it while self
 * lives. */
void              cd_export_snapshot_fill_spec (const CdExportSnapshot *self,
                                                CdFigureView            view,
                                                CdFigureSpec           *spec);

/* A file name for an export: "<title>-<what>.<extension>", or
 * "<title>.<extension>" without what, safe on any file system. */
char             *cd_export_snapshot_file_name (const CdExportSnapshot *self,
                                                const char             *what,
                                                const char             *extension);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdExportSnapshot, cd_export_snapshot_free)

G_END_DECLS
