/* cd-edits.h — the edits the app makes to a model, as CdEditFunc callbacks.
 *
 * Each takes its arguments in a small struct and is applied through
 * cd_document_apply(), so every one of them is undoable and validated.
 * Kept apart from the widgets so that tests and future panels (analysis,
 * presentation) make exactly the same edits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-document.h"

G_BEGIN_DECLS

typedef struct
{
  CdLevel level;
  double  x, y;
  char   *out_id;     /* set to the new id (caller frees) */
} CdAddNode;

gboolean cd_edit_add_node      (CdModel *model, gpointer data, GError **error);

typedef struct
{
  CdEdgeKind  kind;
  const char *source;
  const char *target;
} CdAddEdge;

gboolean cd_edit_add_edge      (CdModel *model, gpointer data, GError **error);

/* Deletes the governments (and everything that refers to them) and the
 * edges listed. */
typedef struct
{
  const char * const *node_ids;   /* NULL-terminated, may be NULL */
  const int          *edges;      /* indices into model->edges */
  guint               n_edges;
} CdDelete;

gboolean cd_edit_delete        (CdModel *model, gpointer data, GError **error);

typedef struct
{
  const char * const *node_ids;   /* NULL-terminated */
  const double       *x;          /* new positions, one per id */
  const double       *y;
} CdMoveNodes;

gboolean cd_edit_move_nodes    (CdModel *model, gpointer data, GError **error);

typedef enum
{
  CD_LAYOUT_KIND_AUTO,
  CD_LAYOUT_KIND_HIERARCHY,
  CD_LAYOUT_KIND_FORCE,
} CdLayoutKind;

/* data: CdLayoutKind * */
gboolean cd_edit_layout        (CdModel *model, gpointer data, GError **error);

/* A field of a node or an edge, by name ("capacity", "trust", …). */
typedef struct
{
  int         node;        /* index, or −1 */
  int         edge;        /* index, or −1 */
  const char *field;
  double      number;
  const char *text;        /* for "id", "name" */
  int         integer;     /* for "level", "fixed", "role" */
} CdSetField;

gboolean cd_edit_set_field     (CdModel *model, gpointer data, GError **error);

typedef struct
{
  CdSimSettings sim;
} CdSetSim;

gboolean cd_edit_set_sim       (CdModel *model, gpointer data, GError **error);
/* data: CdRule * */
gboolean cd_edit_set_rule      (CdModel *model, gpointer data, GError **error);
/* data: CdGroup *, or NULL: all */
gboolean cd_edit_reset_params  (CdModel *model, gpointer data, GError **error);

/* Emergencies and policy changes.  index −1 appends. */
typedef struct
{
  int      index;
  CdEvent *event;          /* replaces (or is appended); copied */
} CdSetEvent;

gboolean cd_edit_set_event     (CdModel *model, gpointer data, GError **error);
gboolean cd_edit_remove_event  (CdModel *model, gpointer data, GError **error);  /* data: int * */

typedef struct
{
  int             index;
  CdIntervention *intervention;
} CdSetIntervention;

gboolean cd_edit_set_intervention    (CdModel *model, gpointer data, GError **error);
/* data: int * */
gboolean cd_edit_remove_intervention (CdModel *model, gpointer data, GError **error);

/* Named scenarios.  index −1 appends; the scenario is copied.  Its name
 * (the key commands use) must be new to the model unless it replaces the
 * scenario of that name; the document's validation refuses the rest. */
typedef struct
{
  int               index;
  const CdScenario *scenario;
} CdSetScenario;

gboolean cd_edit_set_scenario        (CdModel *model, gpointer data, GError **error);
/* data: int * */
gboolean cd_edit_remove_scenario     (CdModel *model, gpointer data, GError **error);

/* A version-1 model made version 2 (cd_model_upgrade, docs/model.md,
 * "Upgrade"), in place, so that it is one undo step.  data: unused. */
gboolean cd_edit_upgrade             (CdModel *model, gpointer data, GError **error);

G_END_DECLS
