/* cd-result-table.h — sortable GtkColumnView tables of analysis results.
 *
 * Each analysis table is rows of numbers and words; one row type and one
 * set-up function give them all sorting by any column (numbers as numbers),
 * numbers that never print as "nan", and a highlight class per row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_TABLE_ROW (cd_table_row_get_type ())
G_DECLARE_FINAL_TYPE (CdTableRow, cd_table_row, CD, TABLE_ROW, GObject)

typedef enum
{
  CD_COLUMN_TEXT,
  CD_COLUMN_NUMBER,         /* shown with `digits` decimals */
  CD_COLUMN_INTEGER,
} CdColumnKind;

typedef struct
{
  const char  *title;       /* translated */
  CdColumnKind kind;
  int          digits;
  gboolean     expand;
  /* For a text column that does not expand: every word it can show
   * (NULL-terminated, translated), so it is wide enough for the widest of
   * them in the user's language whichever rows are on screen ("isolated"
   * was cut to "isol…" while only the empty cells of the column were
   * drawn).  NULL: sized by its title and the cells drawn. */
  const char *const *values;
} CdColumnSpec;

/* A row of n_columns cells; `index` is its position in the results. */
CdTableRow *cd_table_row_new         (guint       index,
                                      guint       n_columns);
guint       cd_table_row_get_index   (CdTableRow *row);
void        cd_table_row_set_text    (CdTableRow *row,
                                      guint       column,
                                      const char *text);
/* NaN or infinity shows as "–" and sorts last. */
void        cd_table_row_set_number  (CdTableRow *row,
                                      guint       column,
                                      double      value);
double      cd_table_row_get_number  (CdTableRow *row,
                                      guint       column);
const char *cd_table_row_get_text    (CdTableRow *row,
                                      guint       column);
/* A style class for every cell of the row, or NULL: "cd-mark-accent",
 * "cd-mark-warning" and "cd-mark-success" (style.css) colour the text at
 * WCAG AA contrast; "heading" sets it bold. */
void        cd_table_row_set_style   (CdTableRow *row,
                                      const char *css_class);

/* Adds the columns to `view` and gives it a sorted, single-selection model
 * over the returned store (of CdTableRow), which the caller fills. */
GListStore *cd_result_table_setup    (GtkColumnView      *view,
                                      const CdColumnSpec *columns,
                                      guint               n_columns);

/* The selected row's index, or −1. */
int         cd_result_table_get_selected (GtkColumnView  *view);

G_END_DECLS
