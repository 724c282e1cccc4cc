/* cd-csv-read.c — an RFC 4180 table reader (see cd-csv-read.h).
 *
 * Written here rather than taken from a library: RFC 4180's grammar is a
 * few lines (fields, quotes, doubled quotes, line breaks), the messages
 * must name the line each problem is on, which the one packaged C CSV
 * library (libcsv) cannot report, and the GNOME runtime the Flatpak builds
 * on ships none.  The writer (cd_csv_append_cell in cd-csv.c) is the
 * reader's mirror image, and the tests read back what it writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-csv-read.h"
#include "cd-file.h"

G_DEFINE_QUARK (cd-csv-read-error-quark, cd_csv_read_error)

static void
row_free (gpointer data)
{
  CdCsvRow *row = data;

  g_strfreev (row->cells);
  g_free (row);
}

void
cd_csv_table_free (CdCsvTable *table)
{
  if (table == NULL)
    return;
  g_clear_pointer (&table->rows, g_ptr_array_unref);
  g_free (table->place);
  g_free (table);
}

static void set_error_va (const CdCsvTable *table, GError **error, int code, guint line,
                          guint col, const char *format, va_list args) G_GNUC_PRINTF (6, 0);

static void
set_error_va (const CdCsvTable *table,
              GError          **error,
              int               code,
              guint             line,
              guint             col,
              const char       *format,
              va_list           args)
{
  g_autofree char *what = g_strdup_vprintf (format, args);
  g_autofree char *where = NULL;
  g_autofree char *inner = NULL;
  const CdCsvRow *header = table->rows->len > 0 ? g_ptr_array_index (table->rows, 0) : NULL;

  if (col == G_MAXUINT)
    /* Translators: the place of a problem in a CSV file. */
    where = g_strdup_printf (_("line %u"), line);
  else if (header != NULL && col < header->n_cells && header->cells[col][0] != '\0')
    /* Translators: the place of a problem in a CSV file: line, column
     * number and the column's name from the header. */
    where = g_strdup_printf (_("line %u, column %u (%s)"), line, col + 1, header->cells[col]);
  else
    where = g_strdup_printf (_("line %u, column %u"), line, col + 1);

  /* Translators: "PLACE: message", as in cd-cli.c; Chinese uses "%s：%s". */
  inner = g_strdup_printf (C_("place: message", "%s: %s"), where, what);
  g_set_error (error, CD_CSV_READ_ERROR, code, C_("place: message", "%s: %s"), table->place,
               inner);
}

void
cd_csv_table_set_error (const CdCsvTable *table,
                        GError          **error,
                        guint             line,
                        guint             col,
                        const char       *format,
                        ...)
{
  va_list args;

  if (error == NULL)
    return;
  va_start (args, format);
  set_error_va (table, error, CD_CSV_READ_ERROR_CONTENT, line, col, format, args);
  va_end (args);
}

static gboolean
fail (const CdCsvTable *table,
      GError          **error,
      int               code,
      guint             line,
      guint             col,
      const char       *format,
      ...) G_GNUC_PRINTF (6, 7);

static gboolean
fail (const CdCsvTable *table,
      GError          **error,
      int               code,
      guint             line,
      guint             col,
      const char       *format,
      ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  set_error_va (table, error, code, line, col, format, args);
  va_end (args);
  return FALSE;
}

/* Ends the current row: kept unless the line had nothing on it. */
static gboolean
end_row (CdCsvTable *table,
         GPtrArray  *cells,
         guint       line,
         gboolean    blank,
         GError    **error)
{
  CdCsvRow *row, *header;

  if (blank)
    {
      g_ptr_array_set_size (cells, 0);
      return TRUE;
    }
  row = g_new0 (CdCsvRow, 1);
  row->line = line;
  row->n_cells = cells->len;
  g_ptr_array_add (cells, NULL);
  row->cells = (char **) g_ptr_array_steal (cells, NULL);
  g_ptr_array_add (table->rows, row);
  header = g_ptr_array_index (table->rows, 0);
  if (row->n_cells != header->n_cells)
    return fail (table, error, CD_CSV_READ_ERROR_SHAPE, line, G_MAXUINT,
                 ngettext ("%u cell, but the header has %u; a cell that holds a comma "
                           "must be in double quotes",
                           "%u cells, but the header has %u; a cell that holds a comma "
                           "must be in double quotes", row->n_cells),
                 row->n_cells, header->n_cells);
  return TRUE;
}

CdCsvTable *
cd_csv_table_parse (const char *data,
                    gsize       length,
                    const char *place,
                    GError    **error)
{
  g_autoptr(CdCsvTable) table = g_new0 (CdCsvTable, 1);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = data, *end = data + length;
  guint line = 1, row_line = 1;
  gboolean blank = TRUE;     /* nothing on the current row yet */

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (place != NULL, NULL);

  table->place = g_strdup (place);
  table->rows = g_ptr_array_new_with_free_func (row_free);

  if (length > CD_CSV_MAX_BYTES)
    {
      g_set_error (error, CD_CSV_READ_ERROR, CD_CSV_READ_ERROR_FILE,
                   C_("place: message", "%s: %s"), place,
                   _("the file is larger than 128 MiB"));
      return NULL;
    }
  if (length >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  /* A model, a spec or a GraphML file given for a CSV one: said so, not
   * "a quote inside a cell" somewhere on its second line. */
  {
    const char *q = p;
    guint first_line = 1;

    while (q < end && g_ascii_isspace (*q))
      first_line += *q++ == '\n';
    if (q < end && *q == '<')
      {
        fail (table, error, CD_CSV_READ_ERROR_SYNTAX, first_line, G_MAXUINT,
              _("not a CSV file: it starts with <, as XML does (is it a GraphML file?); a CSV "
                "file starts with the names of its columns"));
        return NULL;
      }
    if (q < end && (*q == '{' || *q == '['))
      {
        /* Translators: %c is { or [ */
        fail (table, error, CD_CSV_READ_ERROR_SYNTAX, first_line, G_MAXUINT,
              _("not a CSV file: it starts with %c, as JSON does (is it a model?); a CSV file "
                "starts with the names of its columns"), *q);
        return NULL;
      }
  }

  while (p < end)
    {
      guint col = cells->len;

      g_string_truncate (field, 0);
      if (*p == '"')
        {
          guint open_line = line;

          blank = FALSE;
          p++;
          for (;;)
            {
              if (p >= end)
                {
                  fail (table, error, CD_CSV_READ_ERROR_SYNTAX, open_line, col,
                        _("the quote that opens this cell is never closed"));
                  return NULL;
                }
              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              /* a line break inside the cell, counted as outside one:
               * CRLF and LF once, a lone CR too */
              if (*p == '\n' || (*p == '\r' && !(p + 1 < end && p[1] == '\n')))
                line++;
              g_string_append_c (field, *p++);
            }
          if (p < end && *p != ',' && *p != '\n' && *p != '\r')
            {
              fail (table, error, CD_CSV_READ_ERROR_SYNTAX, line, col,
                    _("text after the closing quote; a quote inside a quoted cell is "
                      "written twice (\"\")"));
              return NULL;
            }
        }
      else
        {
          while (p < end && *p != ',' && *p != '\n' && *p != '\r')
            {
              if (*p == '"')
                {
                  fail (table, error, CD_CSV_READ_ERROR_SYNTAX, line, col,
                        _("a quote inside a cell that does not start with one; put the "
                          "whole cell in quotes and write the quote twice (\"\")"));
                  return NULL;
                }
              g_string_append_c (field, *p++);
            }
          if (field->len > 0)
            blank = FALSE;
        }

      if (memchr (field->str, '\0', field->len) != NULL
          || !g_utf8_validate (field->str, field->len, NULL))
        {
          fail (table, error, CD_CSV_READ_ERROR_SYNTAX, line, col,
                _("this cell is not UTF-8 text; save the file as CSV UTF-8"));
          return NULL;
        }
      g_ptr_array_add (cells, g_strndup (field->str, field->len));

      if (p >= end)
        break;
      if (*p == ',')
        {
          blank = FALSE;
          p++;
          if (p >= end)
            {
              /* "a,b," at the very end: the last cell is empty. */
              g_ptr_array_add (cells, g_strdup (""));
              break;
            }
          continue;
        }
      /* a line break: CRLF, LF or a lone CR */
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      p++;
      if (!end_row (table, cells, row_line, blank, error))
        return NULL;
      line++;
      row_line = line;
      blank = TRUE;
    }
  if (cells->len > 0 && !(cells->len == 1 && blank)
      && !end_row (table, cells, row_line, FALSE, error))
    return NULL;

  if (table->rows->len == 0)
    {
      g_set_error (error, CD_CSV_READ_ERROR, CD_CSV_READ_ERROR_SHAPE,
                   C_("place: message", "%s: %s"), place,
                   _("the file is empty; the first line must name the columns"));
      return NULL;
    }
  return g_steal_pointer (&table);
}

CdCsvTable *
cd_csv_table_load_file (const char *path,
                        GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  /* Read, never mapped (a file truncated while mapped is SIGBUS), only a
   * regular file, and a huge one refused by its size before it is read
   * (cd-file.h). */
  if (!cd_file_read_regular (path, CD_CSV_MAX_BYTES, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, CD_FILE_ERROR, CD_FILE_ERROR_TOO_LARGE))
        return cd_csv_table_parse ("", CD_CSV_MAX_BYTES + 1, display, error);
      g_set_error (error, CD_CSV_READ_ERROR, CD_CSV_READ_ERROR_FILE, "%s: %s", display,
                   local_error->message);
      return NULL;
    }
  return cd_csv_table_parse (contents, length, display, error);
}

gboolean
cd_csv_parse_number (const char *cell,
                     double     *out)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (cell));
  char *end = NULL;

  if (trimmed[0] == '\0')
    return FALSE;
  errno = 0;
  *out = g_ascii_strtod (trimmed, &end);
  /* strtod reads "nan", "inf" and hexadecimal too: none is a measurement. */
  if (errno != 0 || end == NULL || *end != '\0' || !isfinite (*out)
      || strpbrk (trimmed, "xXnN") != NULL)
    return FALSE;
  /* "-0" is 0, as the writers write it (cd_format_double_shortest of 0):
   * a −0 read here would not read back the same once exported. */
  if (*out == 0.0)
    *out = 0.0;
  return TRUE;
}
