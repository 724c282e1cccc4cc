/* cd-window-private.h — what the window's own files share: its fields and
 * the operations its actions call.
 *
 * The window is three files along its seams: cd-window.c (the object, its
 * views, the time cursor, runs and selection, the editing commands),
 * cd-window-files.c (opening, saving, unsaved changes, recent files and
 * examples) and cd-window-actions.c (the win.* actions, each a few lines
 * calling what is declared here).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-force-view.h"
#include "cd-inspector.h"
#include "cd-edits.h"
#include "cd-param-panel.h"
#include "cd-scenario-panel.h"
#include "cd-settings.h"
#include "cd-timeline.h"
#include "cd-window.h"

G_BEGIN_DECLS

struct _CdWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwHeaderBar        *header_bar;
  AdwViewStack        *view_stack;
  AdwToastOverlay     *toast_overlay;
  GtkPaned            *side_paned;
  GtkPaned            *bottom_paned;
  GtkPaned            *force_paned;
  CdCanvas            *canvas;
  GtkWidget           *tool_hint;
  GtkWidget           *progress_bar;
  GtkWidget           *progress_box;
  GtkWidget           *outdated_box;
  GtkWidget           *preview_label;
  GtkWidget           *play_button;
  GtkAdjustment       *time_adjustment;
  GtkWidget           *time_label;
  GtkDropDown         *plot_kind;
  CdTimeline          *timeline;
  CdTimeseriesView    *timeseries;
  CdForceView         *force_view;
  GtkStack            *side_stack;
  CdParamPanel        *param_panel;
  CdInspector         *inspector;
  CdScenarioPanel     *scenario_panel;
  GMenu               *recent_submenu;
  GMenu               *examples_submenu;

  CdSettings          *settings;
  CdDocument          *document;
  CdRunner            *runner;
  double               cursor_t;
  CdTool               tool;
  gboolean             playing;
  guint                play_tick;
  gint64               play_last_us;
  guint                progress_timeout;
  gboolean             panes_moved;       /* sizes to write after the next paint */
  guint                pane_tick;
  int                  want_sidebar;      /* sizes to correct the panes to, or 0 */
  int                  want_chart;
  double               force_share;       /* the force diagram's part of its column */
  gboolean             placing_force;     /* moving force_paned ourselves */
  gboolean             close_confirmed;
  gboolean             select_on_run;
  gboolean             quiet_selection;   /* selecting for the user: keep the panel */
  gboolean             edited_since_run;  /* live re-run off and the model changed */
  gboolean             slider_held;       /* win.slider-held: previews while it is */
  gboolean             previewed;         /* a preview asked for since the last exact run */
  guint                settle_timeout;    /* the exact run when a held slider rests */
  char                 *last_error;
  GtkFileChooserNative *chooser;
};

/* cd-window.c */
void      cd_window_set_slider_held      (CdWindow     *self,
                                          gboolean      held);
void      cd_window_show_error           (CdWindow     *self,
                                          const char   *heading,
                                          const char   *body);
void      cd_window_set_tool             (CdWindow     *self,
                                          CdTool        tool);
void      cd_window_set_playing          (CdWindow     *self,
                                          gboolean      playing);
void      cd_window_run                  (CdWindow     *self);
/* Cancel, saying so when no earlier result is left on screen. */
void      cd_window_cancel_run           (CdWindow     *self);
/* Undo with a toast naming the step undone. */
void      cd_window_undo                 (CdWindow     *self);
/* A government of level at the centre of the view, selected (the keyboard
 * and tests; the add tool places it where the user clicks). */
void      cd_window_add_government       (CdWindow     *self,
                                          CdLevel       level);
/* Connects the first two selected governments: first → second. */
void      cd_window_connect_selection    (CdWindow     *self,
                                          CdEdgeKind    kind);
void      cd_window_lay_out              (CdWindow     *self,
                                          CdLayoutKind  kind);
/* A parameter by its path, e.g. "resistance.law", as one undo step. */
void      cd_window_set_parameter        (CdWindow     *self,
                                          const char   *path,
                                          double        value);

/* cd-window-thesis.c: opens conclusion n's network (1–5, docs/thesis.md),
 * sets up its experiment on the Experiments page and runs it, once unsaved
 * changes are dealt with. */
void      cd_window_open_thesis          (CdWindow     *self,
                                          guint         n);

/* cd-window-upgrade.c: asks, then makes the open version-1 model version 2
 * as one undo step; returns the dialog (NULL if the model is version 2). */
GtkWidget *cd_window_upgrade_model       (CdWindow     *self);

/* cd-window-institution.c (docs/institutions.md).  On a version-1 model
 * each says so, offers the upgrade and returns NULL / FALSE. */
/* The dialog to choose an arrangement to apply as a new scenario. */
GtkWidget *cd_window_apply_arrangement   (CdWindow     *self);
/* A bundled NAME or a FILE applied as a new scenario (one undo step). */
gboolean  cd_window_apply_arrangement_named (CdWindow   *self,
                                          const char   *name_or_file,
                                          GError      **error);
/* The Compare Arrangements window on this window's document. */
GtkWidget *cd_window_compare_arrangements (CdWindow    *self);

/* cd-window-files.c */
typedef void (*CdWindowContinueFunc) (CdWindow *self,
                                      gpointer  data);

void      cd_window_files_init           (CdWindow     *self);
/* Runs func at once if nothing would be lost, otherwise after the user
 * chose to save or discard the changes (never if they cancel). */
void      cd_window_confirm_discard      (CdWindow            *self,
                                          CdWindowContinueFunc func,
                                          gpointer             data,
                                          GDestroyNotify       destroy);
void      cd_window_new_model            (CdWindow     *self);
void      cd_window_choose_file          (CdWindow     *self);
/* Opens file once unsaved changes are dealt with. */
void      cd_window_open_when_safe       (CdWindow     *self,
                                          GFile        *file);
/* "builtin", or an example's path. */
void      cd_window_open_example         (CdWindow     *self,
                                          const char   *which);
void      cd_window_save                 (CdWindow     *self);
void      cd_window_save_as              (CdWindow     *self);
/* Closes once unsaved changes are dealt with; FALSE if it may close now. */
gboolean  cd_window_hold_close           (CdWindow     *self);

/* cd-window-network.c */
void      cd_window_choose_network       (CdWindow     *self);
void      cd_window_choose_network_export (CdWindow    *self,
                                          gboolean      csv);

/* cd-window-actions.c */
void      cd_window_class_actions_init   (CdWindowClass *klass);
void      cd_window_actions_init         (CdWindow     *self);
/* Enables undo and redo as the document allows. */
void      cd_window_update_actions       (CdWindow     *self);

G_END_DECLS
