/* cd-model-fields.h — one table of the fields of governments and ties.
 *
 * Every field of a node and of an edge that the model file has
 * (docs/model.md, "Network") is described once here: its JSON key, where it
 * lives in CdNode or CdEdge, its type and range, its default, its label and
 * meaning for the user, and the format versions that have it.  The reader,
 * the validator, the writer, cd_model_equal(), the app's edits and its
 * inspector all go through this table, so a new field is one line of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

/* What the field belongs to. */
typedef enum
{
  CD_FIELD_OF_NODE,
  CD_FIELD_OF_EDGE,          /* every edge: kind, source, target */
  CD_FIELD_OF_COMMAND,       /* command lines only */
  CD_FIELD_OF_PARTNERSHIP,   /* partnerships only */
} CdFieldOwner;

typedef enum
{
  CD_FIELD_ID,               /* char *, a government's key or an edge's end */
  CD_FIELD_TEXT,             /* char * */
  CD_FIELD_NAMES,            /* GArray * of CdLocalized */
  CD_FIELD_LEVEL,            /* CdLevel */
  CD_FIELD_KIND,             /* CdEdgeKind */
  CD_FIELD_ROLE,             /* CdCommandRole */
  CD_FIELD_NUMBER,           /* double */
  CD_FIELD_OPTIONAL_NUMBER,  /* double, and a gboolean at flag_offset: whether it is set;
                              * unset, its value is a rule's (cd_model_node_appraisal) */
  CD_FIELD_BOOLEAN,          /* gboolean */
  CD_FIELD_POSITION,         /* double[2], and a gboolean at flag_offset */
} CdFieldType;

typedef enum
{
  CD_FIELD_RANGE_NONE,       /* no range (not a number, or any finite number) */
  CD_FIELD_RANGE_UNIT,       /* [0, 1] */
  CD_FIELD_RANGE_WEIGHT,     /* (0, 1] */
} CdFieldRange;

typedef struct
{
  const char   *key;            /* JSON key, also the name edits use: "capacity" */
  CdFieldOwner  owner;
  CdFieldType   type;
  guint         versions;       /* bit v set: format version v has it */
  gsize         offset;         /* in CdNode or CdEdge */
  gsize         flag_offset;    /* OPTIONAL_NUMBER, POSITION: the gboolean "is set" */
  CdFieldRange  range;
  double        default_value;  /* numbers */
  const char   *label;          /* untranslated; translate with _() */
  const char   *description;    /* what it means in the theory's words; untranslated */
} CdFieldInfo;

#define CD_FIELD_VERSION(v) (1u << (v))

/* The fields in the order the file writes them. */
const CdFieldInfo *cd_node_fields            (guint             *n_fields);
const CdFieldInfo *cd_edge_fields            (guint             *n_fields);

/* The field of a node (node TRUE) or of an edge with this key, or NULL. */
const CdFieldInfo *cd_field_find             (gboolean           node,
                                              const char        *key);
gboolean           cd_field_in_version       (const CdFieldInfo *field,
                                              int                version);
/* Whether an edge of this kind has the field. */
gboolean           cd_field_of_edge_kind     (const CdFieldInfo *field,
                                              CdEdgeKind         kind);

/* NUMBER and OPTIONAL_NUMBER fields of a CdNode or CdEdge; setting an
 * optional one sets it. */
double             cd_field_get_number       (const CdFieldInfo *field,
                                              gconstpointer      object);
void               cd_field_set_number       (const CdFieldInfo *field,
                                              gpointer           object,
                                              double             value);
gboolean           cd_field_value_in_range   (const CdFieldInfo *field,
                                              double             value);
/* "[0, 1]", "(0, 1]" or "". */
const char        *cd_field_range_text       (const CdFieldInfo *field);

/* Whether an OPTIONAL_NUMBER field is set (TRUE for every other type). */
gboolean           cd_field_is_set           (const CdFieldInfo *field,
                                              gconstpointer      object);

/* Whether two nodes (or two edges) hold the same value in the field, as
 * the file would write it (an optional number: set in both to the same
 * value, or unset in both). */
gboolean           cd_field_equal            (const CdFieldInfo *field,
                                              gconstpointer      a,
                                              gconstpointer      b);

G_END_DECLS
