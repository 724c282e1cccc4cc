/* cd-network-view.h — the network canvas: view transform, hit testing, drawing.
 *
 * A CdNetworkView maps model coordinates (the nodes' `pos`) to widget
 * pixels with a zoom and a pan, and keeps a uniform-grid spatial index of
 * nodes and edges so that hit tests cost O(1) on average even on the
 * 3,209-node national model.  cd_render_network() draws a model into any
 * cairo context at a given size — the app's canvas (through
 * gtk_snapshot_append_cairo) and `coordyn-cli render` share it, so an
 * exported figure is what the screen shows.
 *
 * Nodes without `pos` are placed by the view on a circle (in file order) so
 * that something sensible is always drawn; the app's layout should give
 * every node a position.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "cd-model.h"
#include "cd-palette.h"
#include "cd-simulate.h"
#include "cd-system.h"

G_BEGIN_DECLS

typedef struct _CdNetworkView CdNetworkView;

CdNetworkView *cd_network_view_new          (void);
void           cd_network_view_free         (CdNetworkView       *view);

/* Rebuilds the cached positions and the spatial index from the model.
 * Call after any edit that adds, removes or moves nodes or edges (it costs
 * about a millisecond on the national model).  Keeps zoom and pan. */
void           cd_network_view_sync         (CdNetworkView       *view,
                                             const CdModel       *model);

/* The number of nodes at the last sync (to check it still matches the model). */
guint          cd_network_view_get_n_nodes  (const CdNetworkView *view);
guint          cd_network_view_get_n_edges  (const CdNetworkView *view);

/* Zoom and pan so that every node, with its glyph, fits inside width ×
 * height pixels with `margin` pixels to spare on each side. */
void           cd_network_view_fit          (CdNetworkView       *view,
                                             int                  width,
                                             int                  height,
                                             double               margin);

/* The same, knowing what will be drawn: the room left around the nodes is
 * what `style` (NULL: the default) draws at the fitted zoom — the largest
 * node with its rings and, when `glyphs` and the level of detail shows
 * them at that zoom, the force glyph below it.  Names take no room of
 * their own: they go on whichever side of a node is free.
 * cd_network_view_fit is this with the default style and glyphs. */
void           cd_network_view_fit_for      (CdNetworkView       *view,
                                             int                  width,
                                             int                  height,
                                             double               margin,
                                             const CdRenderStyle *style,
                                             gboolean             glyphs);

/* cd_network_view_fit_for(), then, where the drawing leaves room along
 * one side (a wide screen under a compact layout), the layout stretched
 * along that side alone by up to max_stretch so that it fills it: for a
 * room, where the names need the room between the governments and a
 * small drawing in a large space cannot be read from the back.  Any other
 * fit undoes the stretch. */
void           cd_network_view_fit_fill     (CdNetworkView       *view,
                                             int                  width,
                                             int                  height,
                                             double               margin,
                                             const CdRenderStyle *style,
                                             gboolean             glyphs,
                                             double               max_stretch);
/* Whether a node drawn with on-screen radius `radius` carries a force
 * glyph (when glyphs show) in `style`, and if so how far the glyph reaches
 * left and right of the node's centre (*half) and below it (*below), in
 * pixels. */
gboolean       cd_network_glyph_reach       (double               radius,
                                             const CdRenderStyle *style,
                                             double              *half,
                                             double              *below);

/* pixel = model × zoom + pan.  zoom > 0. */
void           cd_network_view_get_transform (const CdNetworkView *view,
                                              double             *zoom,
                                              double             *pan_x,
                                              double             *pan_y);
void           cd_network_view_set_transform (CdNetworkView      *view,
                                              double              zoom,
                                              double              pan_x,
                                              double              pan_y);
/* Multiplies the zoom by `factor` keeping the pixel (px, py) fixed, as a
 * scroll-wheel zoom should.  The zoom is clamped to a sane range around the
 * fitted zoom. */
void           cd_network_view_zoom_at      (CdNetworkView       *view,
                                             double               factor,
                                             double               px,
                                             double               py);
void           cd_network_view_pan_by       (CdNetworkView       *view,
                                             double               dx,
                                             double               dy);
/* The zoom relative to the last fit (1.0 = fitted), for a zoom read-out. */
double         cd_network_view_relative_zoom (const CdNetworkView *view);

void           cd_network_view_to_pixels    (const CdNetworkView *view,
                                             double               mx,
                                             double               my,
                                             double              *px,
                                             double              *py);
void           cd_network_view_to_model     (const CdNetworkView *view,
                                             double               px,
                                             double               py,
                                             double              *mx,
                                             double              *my);

/* Where the view draws node i, in model coordinates (its `pos`, or the
 * fallback place when it has none).  i < number of nodes at the last sync. */
void           cd_network_view_node_position (const CdNetworkView *view,
                                              guint               i,
                                              double             *mx,
                                              double             *my);
/* The node indices at the ends of edge e as of the last sync; FALSE for an
 * edge whose ends were missing (mid-edit) or e out of range. */
gboolean       cd_network_view_edge_ends    (const CdNetworkView *view,
                                             guint                e,
                                             guint               *a,
                                             guint               *b);
/* The on-screen radius of node i in pixels at the current zoom. */
double         cd_network_view_node_radius  (const CdNetworkView *view,
                                             guint                i,
                                             const CdRenderStyle *style);

/* Hit tests, in widget pixels.  The topmost node whose shape contains
 * (px, py) — or is within a few pixels of it — or −1. */
int            cd_network_view_node_at      (const CdNetworkView *view,
                                             double               px,
                                             double               py,
                                             const CdRenderStyle *style);
/* The edge (index into model->edges) nearest to (px, py) within
 * `tolerance` pixels, or −1. */
int            cd_network_view_edge_at      (const CdNetworkView *view,
                                             double               px,
                                             double               py,
                                             double               tolerance);
/* The nodes whose centres lie in the rectangle with corners (x0, y0) and
 * (x1, y1) (any order), in increasing index order.  Free with
 * g_array_unref; elements are guint. */
GArray        *cd_network_view_nodes_in_rect (const CdNetworkView *view,
                                              double              x0,
                                              double              y0,
                                              double              x1,
                                              double              y1);

/* Interaction state drawn on top of the network.  Initialise with
 * cd_network_overlay_init(); every pointer may be NULL. */
typedef struct
{
  const gboolean *selected_nodes;  /* n_nodes entries, or NULL */
  const gboolean *selected_edges;  /* n_edges entries, or NULL */
  int             hovered_node;    /* −1: none */
  int             hovered_edge;    /* −1: none */
  int             focus_node;      /* keyboard focus, −1: none */
  gboolean        show_labels;     /* names, where zoom leaves room for them */
  gboolean        show_glyphs;     /* force glyphs (needs a trajectory with forces) */
  gboolean        show_flow_arrows;/* gravity/pressure shares along edges (needs a system) */
  gboolean        show_legend;     /* compact strip: force colours, x ramp, level shapes */
  gboolean        show_time;       /* "t = …" in a corner when a trajectory is given */
  gboolean        rubber_band;     /* draw the rectangle below */
  double          band_x0, band_y0, band_x1, band_y1;   /* pixels */
  int             pending_source;  /* add-edge tool: source node, −1: none */
  CdEdgeKind      pending_kind;
  double          pending_x, pending_y;                 /* pointer, pixels */
  gboolean        legend_full;     /* with show_legend: the full panel instead of the strip */
  double          inset_right;     /* pixels along the right edge under the caller's own
                                    * controls (a tool column): names and the legend keep
                                    * clear of them */
  gboolean        name_all;        /* every government gets its name, where no free place
                                    * is next to it then farther out with a leader line
                                    * (for a room: up to NAME_ALL_MAX governments) */
} CdNetworkOverlay;

/* With name_all, networks up to this size have every government named;
 * larger ones keep the usual rule (landmarks always, others where room). */
#define CD_NETWORK_NAME_ALL_MAX 30

void           cd_network_overlay_init      (CdNetworkOverlay    *overlay);

/* Draws the network into cr over (0, 0, width, height), background included.
 * system and traj may be NULL: without a trajectory nodes show x0 and
 * partnerships τ0; with one, the state at `sample` (clamped to the last).
 * Force glyphs need traj->gravity (run with forces); flow arrows need a
 * system.  overlay may be NULL (labels and legend on).  Level of detail:
 * labels appear once a node is at least ~7 px in radius and glyphs at
 * ~9 px, with label collisions avoided by priority (central first); nodes
 * and edges outside the visible area are skipped. */
void           cd_render_network            (cairo_t                *cr,
                                             int                     width,
                                             int                     height,
                                             const CdNetworkView    *view,
                                             const CdModel          *model,
                                             const CdSystem         *system,
                                             const CdTrajectory     *traj,
                                             guint                   sample,
                                             const CdNetworkOverlay *overlay,
                                             const CdRenderStyle    *style);

/* Frees what cd_render_network keeps from frame to frame in the calling
 * thread (node sprites for the last zoom and style, a frame-sized layer),
 * e.g. to time a cold frame.  The next frame rebuilds them. */
void           cd_render_network_drop_caches (void);

/* The legend alone (force colours, level shapes, coordination ramp), e.g.
 * for a side panel; drawn with its top-left corner at (x, y).  Returns the
 * height it used. */
double         cd_render_network_legend     (cairo_t             *cr,
                                             double               x,
                                             double               y,
                                             double               width,
                                             gboolean             with_forces,
                                             const CdRenderStyle *style);
/* The same for a network of `model` (may be NULL): the force colours
 * with the parts the glyphs split each force into (docs/model.md, "Force
 * factors"), and, when the model has emergency command lines, how they
 * are drawn apart from the administrative ones. */
double         cd_render_network_legend_for (cairo_t             *cr,
                                             double               x,
                                             double               y,
                                             double               width,
                                             const CdModel       *model,
                                             gboolean             with_forces,
                                             const CdRenderStyle *style);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdNetworkView, cd_network_view_free)

G_END_DECLS
