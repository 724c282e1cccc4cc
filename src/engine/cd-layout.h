/* cd-layout.h — placing governments on the canvas with igraph.
 *
 * Two layouts, both deterministic for a given seed so that "Lay out" gives
 * the same picture on every machine and undo/redo round-trips exactly:
 * a layered one (Sugiyama) for command hierarchies, where the level of
 * government gives the layer, and a force-directed one
 * (Fruchterman–Reingold) for partnership networks.  Both write node->pos
 * in canvas units (about CD_LAYOUT_SPACING between neighbours).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

#define CD_LAYOUT_ERROR (cd_layout_error_quark ())

typedef enum
{
  CD_LAYOUT_ERROR_FAILED,
} CdLayoutError;

/* Distance between neighbouring governments, in canvas units. */
#define CD_LAYOUT_SPACING 140.0

GQuark   cd_layout_error_quark      (void);

/* Layers by level (central on top), order within a layer by Sugiyama's
 * crossing reduction over command lines. */
gboolean cd_layout_hierarchy        (CdModel  *model,
                                     GError  **error);

/* Fruchterman–Reingold over all ties. */
gboolean cd_layout_force_directed   (CdModel  *model,
                                     guint32   seed,
                                     GError  **error);

/* The layout a model "looks like" it wants: layered when command lines are
 * at least as many as partnerships, force-directed otherwise. */
gboolean cd_layout_auto             (CdModel  *model,
                                     guint32   seed,
                                     GError  **error);

/* Places only the nodes without a position (e.g. from a hand-written file),
 * keeping the others where they are. */
gboolean cd_layout_place_missing    (CdModel  *model,
                                     guint32   seed,
                                     GError  **error);

G_END_DECLS
