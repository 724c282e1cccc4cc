/* cd-csv-read.h — reading a CSV table (RFC 4180) that a person or a
 * spreadsheet wrote: observed data to fit, node and edge lists to import.
 *
 * The whole table is read into memory, each cell kept with the line it
 * starts on, so that whoever interprets the cells can name the place of a
 * problem ("observed.csv: line 7, column 3 (x:sh): …").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_CSV_READ_ERROR (cd_csv_read_error_quark ())

typedef enum
{
  CD_CSV_READ_ERROR_FILE,      /* the file could not be read, or is too large */
  CD_CSV_READ_ERROR_SYNTAX,    /* not RFC 4180: a stray quote, an unclosed one, bad UTF-8 */
  CD_CSV_READ_ERROR_SHAPE,     /* a row has more or fewer cells than the header */
  CD_CSV_READ_ERROR_CONTENT,   /* the cells make no sense to the reader of the table */
} CdCsvReadError;

GQuark cd_csv_read_error_quark (void);

/* Larger files are refused before they are read: the table is held in memory. */
#define CD_CSV_MAX_BYTES ((gsize) 128 << 20)

typedef struct
{
  guint   line;        /* 1-based line the row starts on */
  guint   n_cells;
  char  **cells;       /* n_cells UTF-8 strings, quotes removed */
} CdCsvRow;

typedef struct
{
  char      *place;    /* the file name (or what stands for it) used in messages */
  GPtrArray *rows;     /* of CdCsvRow; rows[0] is the header */
} CdCsvTable;

/* Parses RFC 4180 text: fields separated by commas, records by CRLF or LF,
 * fields in double quotes may hold commas, quotes (doubled) and line breaks;
 * a UTF-8 byte-order mark at the start is skipped, lines with nothing on
 * them are skipped, and every row must have as many cells as the first.
 * Errors name `place` and the line. */
CdCsvTable *cd_csv_table_parse      (const char       *data,
                                     gsize             length,
                                     const char       *place,
                                     GError          **error);
CdCsvTable *cd_csv_table_load_file  (const char       *path,
                                     GError          **error);
void        cd_csv_table_free       (CdCsvTable       *table);

/* "PLACE: line L, column C (NAME): message", NAME being the header's cell
 * of column C (0-based col, printed 1-based); col G_MAXUINT leaves the
 * column out. */
void        cd_csv_table_set_error  (const CdCsvTable *table,
                                     GError          **error,
                                     guint             line,
                                     guint             col,
                                     const char       *format,
                                     ...) G_GNUC_PRINTF (5, 6);

/* Reads a whole cell as a finite number ('.' as the decimal point, spaces
 * around it allowed), as spreadsheets write them; "-0" reads as 0. */
gboolean    cd_csv_parse_number     (const char       *cell,
                                     double           *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCsvTable, cd_csv_table_free)

G_END_DECLS
