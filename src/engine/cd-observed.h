/* cd-observed.h — observed data to fit the model to: a CSV with a `t`
 * column and any of the run's output columns (docs/fitting.md).
 *
 * Reading checks what the file alone can tell (a `t` column, known column
 * kinds, numbers, no duplicate column); binding to a model checks the rest
 * (the governments and partnerships named exist, every time lies in the
 * run).  Every error names the file, the line and the column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

typedef enum
{
  CD_OBSERVED_MEAN,          /* mean_coordination */
  CD_OBSERVED_LOSS,          /* loss */
  CD_OBSERVED_X,             /* x:ID */
  CD_OBSERVED_TRUST,         /* trust:A|B */
} CdObservedKind;

typedef struct
{
  CdObservedKind kind;
  char          *name;       /* as in the header */
  char          *a;          /* x: the government; trust: the partnership's first end */
  char          *b;          /* trust: its second end */
  guint          file_col;   /* 0-based column in the file, for messages */
  guint          index;      /* once bound: the node, or the partnership among partnerships */
  guint          n_values;   /* cells that are not empty */
} CdObservedColumn;

typedef struct
{
  char             *place;      /* the file's name, for messages */
  guint             n_rows;
  double           *t;          /* n_rows, in file order */
  guint            *line;       /* n_rows: the line each row is on */
  guint             header_line;
  guint             t_col;      /* 0-based column of t in the file */
  guint             n_columns;
  CdObservedColumn *columns;
  double           *values;     /* n_rows × n_columns, row-major; NaN for an empty cell */
  guint             n_values;   /* cells that are not empty */
  gboolean          bound;
} CdObserved;

CdObserved *cd_observed_parse     (const char       *data,
                                   gsize             length,
                                   const char       *place,
                                   GError          **error);
CdObserved *cd_observed_load_file (const char       *path,
                                   GError          **error);
void        cd_observed_free      (CdObserved       *observed);

/* Resolves x:ID and trust:A|B against the model (trust:B|A names the same
 * partnership) and checks that every time lies in [0, t_end]. */
gboolean    cd_observed_bind      (CdObserved       *observed,
                                   const CdModel    *model,
                                   GError          **error);

/* The distinct times in increasing order, and for each row the index of
 * its time among them. */
double     *cd_observed_times     (const CdObserved *observed,
                                   guint            *n_times,
                                   guint           **row_time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdObserved, cd_observed_free)

G_END_DECLS
