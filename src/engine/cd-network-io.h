/* cd-network-io.h — networks in and out: GraphML (Gephi, networkx, igraph,
 * yEd) and a pair of CSV files (a spreadsheet), to and from a CdModel.
 *
 * Attributes are the model's own field names (cd-model-fields.h): on a
 * node `name` (else `label`, else the id), `level`, `capacity`,
 * `vulnerability`, `fragmentation`, `x0`, `fixed` and `x`/`y` for the
 * position, and in model 2 `fragmentation_ideas`, `fragmentation_powers`
 * and `appraisal`; on an edge `kind`, `weight`, `interest`, `trust`,
 * `info`, and in model 2 `role`.
 * Every value, ids included, is read without the spaces around it, in
 * both formats.
 * Attributes the model does not know (Gephi's colours and sizes, `Weight`
 * beside `weight`) are ignored and listed in one warning.  Anything wrong is
 * refused with a message naming the file and the line, among it an id, name
 * or label holding a character that XML cannot (a C0 control other than
 * tab and line breaks, U+FFFE, U+FFFF), so that every network imported can
 * be exported; a model file may hold one in a name, which GraphML export
 * writes as U+FFFD.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

#define CD_NETWORK_ERROR (cd_network_error_quark ())

typedef enum
{
  CD_NETWORK_ERROR_FILE,      /* could not be read, or too large */
  CD_NETWORK_ERROR_SYNTAX,    /* not well-formed XML, not RFC 4180 CSV */
  CD_NETWORK_ERROR_INVALID,   /* well-formed, but not a network the model can hold */
} CdNetworkError;

GQuark cd_network_error_quark (void);

typedef struct
{
  CdEdgeKind edge_kind;       /* for a directed edge that names no kind */
  guint32    layout_seed;     /* for governments without a position */
  int        version;         /* of the model made: 1 or 2, or 0 for the GraphML's own
                               * `version` graph attribute (which export writes), else
                               * the latest.  In 2 a `fragmentation` becomes both
                               * fragmentation_ideas and _powers (unless they are
                               * given), and `appraisal` and a command line's `role`
                               * are read. */
} CdImportOptions;

#define CD_IMPORT_OPTIONS_INIT { CD_EDGE_PARTNERSHIP, 1, 0 }

/* The warnings array, when not NULL, receives plain sentences (char *) in
 * the user's language.  A network in which no government has a position is
 * laid out (cd_layout_auto); one in which some have, keeps theirs and the
 * others are placed around them. */
CdModel *cd_network_import_graphml      (const char            *path,
                                         const CdImportOptions *options,
                                         GPtrArray             *warnings,
                                         GError               **error);
CdModel *cd_network_import_graphml_data (const char            *data,
                                         gsize                  length,
                                         const char            *place,
                                         const CdImportOptions *options,
                                         GPtrArray             *warnings,
                                         GError               **error);
CdModel *cd_network_import_csv          (const char            *nodes_path,
                                         const char            *edges_path,
                                         const CdImportOptions *options,
                                         GPtrArray             *warnings,
                                         GError               **error);

/* GraphML with typed keys (one per field), a directed graph in which every
 * edge says its kind: what networkx, Gephi and igraph read back. */
char    *cd_network_to_graphml          (const CdModel         *model,
                                         gsize                 *length);
/* nodes.csv (id, name, level, the numbers, fixed, x, y) and edges.csv
 * (source, target, kind, then each kind's numbers; empty where a field
 * does not apply): RFC 4180, UTF-8, numbers that read back exactly. */
void     cd_network_to_csv              (const CdModel         *model,
                                         char                 **nodes_csv,
                                         char                 **edges_csv);

G_END_DECLS
