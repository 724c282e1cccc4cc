/* cd-canvas.h — the network canvas: draws through src/render, edits through
 * CdDocument.
 *
 * Tools: select and move (click, shift-click, rubber band, drag), add a
 * government, add a command line or a partnership (click the source, then
 * the target), delete, and pick governments (for an emergency's impacts).
 * Zoom with the wheel, a pinch or the keys; pan with the middle button,
 * a touchpad or by dragging the background with Ctrl.
 *
 * From the keyboard (issue 5.6): Tab and Shift+Tab move a focus ring through
 * the governments (central first, then level by level, top to bottom, left
 * to right), the arrows move the focused one (Shift: larger steps; one undo
 * step per press or held-key burst; Ctrl: pan), Enter does what a click on
 * it would with the current tool (Shift/Ctrl+Enter adds it to the
 * selection), Delete deletes the selection, Escape cancels.  The keys are
 * bound to the widget actions "canvas.focus-next", "canvas.focus-previous",
 * "canvas.move-focused" ((dd): pixels), "canvas.pan" ((dd)),
 * "canvas.activate-focused", "canvas.extend-focused",
 * "canvas.delete-selection" and "canvas.cancel".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cd-document.h"
#include "cd-runner.h"

G_BEGIN_DECLS

typedef enum
{
  CD_TOOL_SELECT,
  CD_TOOL_ADD_NODE,
  CD_TOOL_ADD_COMMAND,
  CD_TOOL_ADD_PARTNERSHIP,
  CD_TOOL_DELETE,
  CD_TOOL_PICK,
} CdTool;

#define CD_TYPE_CANVAS (cd_canvas_get_type ())
G_DECLARE_FINAL_TYPE (CdCanvas, cd_canvas, CD, CANVAS, GtkWidget)

GtkWidget    *cd_canvas_new              (void);

void          cd_canvas_set_document     (CdCanvas   *self,
                                          CdDocument *document);
/* The run to show, or NULL; ignored while it does not match the model. */
void          cd_canvas_set_run          (CdCanvas   *self,
                                          CdRun      *run);
void          cd_canvas_set_sample       (CdCanvas   *self,
                                          guint       sample);
void          cd_canvas_set_tool         (CdCanvas   *self,
                                          CdTool      tool);
CdTool        cd_canvas_get_tool         (CdCanvas   *self);
void          cd_canvas_set_add_level    (CdCanvas   *self,
                                          CdLevel     level);
void          cd_canvas_set_show_glyphs  (CdCanvas   *self,
                                          gboolean    show);
void          cd_canvas_set_show_flow    (CdCanvas   *self,
                                          gboolean    show);

void          cd_canvas_zoom             (CdCanvas   *self,
                                          double      factor);
void          cd_canvas_fit              (CdCanvas   *self);
/* The view: widget pixel = model point · zoom + pan. */
void          cd_canvas_get_transform    (CdCanvas   *self,
                                          double     *zoom,
                                          double     *pan_x,
                                          double     *pan_y);
/* The model point at the centre of the view, where keyboard-added
 * governments go. */
void          cd_canvas_get_center       (CdCanvas   *self,
                                          double     *mx,
                                          double     *my);

/* Selection, as indices into the current model (nodes in the order they
 * were selected, so "connect" knows which is the source). */
GArray       *cd_canvas_get_selected_nodes (CdCanvas *self);  /* transfer full, of guint */
GArray       *cd_canvas_get_selected_edges (CdCanvas *self);  /* transfer full, of guint */
void          cd_canvas_select_node      (CdCanvas   *self,
                                          int         index,
                                          gboolean    extend);
void          cd_canvas_select_edge      (CdCanvas   *self,
                                          int         index,
                                          gboolean    extend);
void          cd_canvas_select_all       (CdCanvas   *self);
void          cd_canvas_clear_selection  (CdCanvas   *self);
/* Deletes the selection as one undo step; FALSE if nothing was selected. */
gboolean      cd_canvas_delete_selection (CdCanvas   *self);
/* The government with the keyboard focus, or −1; setting it pans to it. */
int           cd_canvas_get_focus_node   (CdCanvas   *self);
void          cd_canvas_set_focus_node   (CdCanvas   *self,
                                          int         index);
/* The accessible description: the focused government ("Jiangsu, provincial
 * government, coordination 0.82") or how to use the canvas. */
const char   *cd_canvas_get_description  (CdCanvas   *self);
/* The device pixels a widget pixel of the last frame drawn (for tests):
 * 1 while the user moves the view on a 2× display, then 2; 0 before any. */
int           cd_canvas_get_last_frame_scale (CdCanvas *self);

/* What the canvas shows, from its own layout (for tests that check what a
 * person sees): appends the boxes of the names (CdRenderBox, owner 1 + the
 * government's index) and of the legend, in widget coordinates, to boxes;
 * sets *n_named to the governments named; returns the smallest type size
 * drawn, in px. */
double        cd_canvas_measure_text     (CdCanvas   *self,
                                          GArray     *boxes,
                                          guint      *n_named);

/* The same frame's governments' shapes (CdRenderShape) and edges
 * (CdRenderSegment), in widget coordinates, appended to shapes and
 * segments: for tests that check the names against them. */
void          cd_canvas_measure_shapes   (CdCanvas   *self,
                                          GArray     *shapes,
                                          GArray     *segments);

/* Opens the rename popover on the node (double-click does the same). */
void          cd_canvas_rename_node      (CdCanvas   *self,
                                          int         index);

G_END_DECLS
