/* cd-canvas-private.h — what the canvas's files share (cd-canvas.c,
 * cd-canvas-input.c, cd-canvas-keyboard.c): its fields and the helpers
 * each side calls on the other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-canvas.h"
#include "cd-render-glue.h"

G_BEGIN_DECLS

/* A selected edge, by identity, so selections survive edits that shift
 * indices (and are dropped when the edge goes away). */
typedef struct
{
  CdEdgeKind kind;
  char      *source;
  char      *target;
  int        index;     /* in the model as of the last rebuild: follows renames */
} EdgeKey;

typedef enum
{
  DRAG_NONE,
  DRAG_MOVE,
  DRAG_BAND,
  DRAG_PAN,
} DragMode;

struct _CdCanvas
{
  GtkWidget       parent_instance;

  CdDocument     *document;
  CdRun          *run;
  gboolean        run_matches;   /* the run's nodes and edges are the model's */
  guint           sample;
  CdNetworkView  *view;
  CdWidgetImage  *image;         /* frames drawn in place, at the display's density */
  gboolean        quick;         /* the user is moving things: frames at scale 1 */
  guint           sharp_source;  /* the timeout that ends `quick` */
  gboolean        needs_fit;
  /* The size last allocated, and the transform the last fit gave: while the
   * view is still that one, a new size fits again (the user has not
   * zoomed or panned); otherwise the view keeps its centre. */
  int             alloc_w, alloc_h;
  double          fit_transform[3];

  CdTool          tool;
  CdLevel         add_level;
  gboolean        show_glyphs;
  gboolean        show_flow;

  GPtrArray      *sel_node_ids;  /* of char*, in selection order */
  GArray         *sel_node_index;/* of int, parallel: index at the last rebuild */
  GPtrArray      *sel_edges;     /* of EdgeKey */
  GArray         *sel_node_mask; /* of gboolean, per node of the model */
  GArray         *sel_edge_mask;
  guint           known_nodes;   /* node and edge counts at the last rebuild */
  guint           known_edges;

  /* Keyboard focus: a government by id (like the selection, so it survives
   * edits), its index at the last rebuild, and its place in the Tab order. */
  char           *focus_id;
  int             focus_index;
  guint           focus_rank;
  guint           key_burst;     /* arrow moves: one undo step per burst */
  gboolean        key_moving;
  char           *description;   /* accessible, of the focused government */

  int             hovered_node;
  int             hovered_edge;
  int             pending_source;
  double          pointer_x, pointer_y;

  DragMode        drag_mode;
  double          drag_x0, drag_y0;        /* pixels at press */
  double          drag_dx, drag_dy;
  char          **drag_ids;                /* nodes being moved */
  double         *drag_start_x, *drag_start_y;
  guint           drag_serial;
  double          pan_zoom, pan_x0, pan_y0;
  double          pinch_zoom0;

  GtkWidget      *rename_popover;
  GtkWidget      *rename_entry;
  int             rename_node;
  GtkWidget      *context_menu;
};

/* cd-canvas.c */
const CdModel *cd_canvas_model             (CdCanvas   *self);
/* For callers that only run with a document set (input handlers, edits). */
const CdModel *cd_canvas_model_of_doc      (CdCanvas   *self);
void           cd_canvas_emit_message      (CdCanvas   *self,
                                            const char *message);
void           cd_canvas_emit_node_picked  (CdCanvas   *self,
                                            int         node);
/* Drops from the selection what the model no longer has (following
 * renamed ids), and rebuilds the masks the drawing reads. */
void           cd_canvas_rebuild_masks     (CdCanvas   *self);
/* The selection changed: masks, description, redraw, signal. */
void           cd_canvas_selection_changed (CdCanvas   *self);
/* The user moved the view or what it shows (see cd-canvas.c). */
void           cd_canvas_interacted        (CdCanvas   *self);
gboolean       cd_canvas_node_selected     (CdCanvas   *self,
                                            int         index);

/* cd-canvas-input.c */
void           cd_canvas_init_input        (CdCanvas   *self);
/* Reports an edit the document refused, as a "message". */
void           cd_canvas_emit_error        (CdCanvas   *self,
                                            GError     *error);
/* With a connect tool, a government clicked or entered: the first is the
 * source, another then gets a command line or partnership (the tool's
 * kind) from it, as an undo step. */
void           cd_canvas_connect_step      (CdCanvas   *self,
                                            int         node);

/* cd-canvas-keyboard.c */
void           cd_canvas_class_init_keyboard (GtkWidgetClass *widget_class);
void           cd_canvas_init_keyboard     (CdCanvas   *self);
/* The accessible description: the focused government, or how to use the
 * canvas. */
void           cd_canvas_update_accessible (CdCanvas   *self);
/* The focused government is gone: the focus goes to the one at its place
 * in the Tab order. */
void           cd_canvas_refocus_at_rank   (CdCanvas   *self);
gboolean       cd_canvas_focus_valid       (CdCanvas   *self);
/* Ends a run of arrow-key moves (one undo step each run). */
void           cd_canvas_end_key_burst     (CdCanvas   *self);
/* The Tab order: central first, then level by level, top to bottom, left
 * to right (transfer full, of int). */
GArray        *cd_canvas_tab_order         (CdCanvas   *self);
guint          cd_canvas_rank_in           (const GArray *order,
                                            int           index);
void           cd_canvas_set_focus         (CdCanvas   *self,
                                            int         index,
                                            guint       rank,
                                            gboolean    reveal);

G_END_DECLS
