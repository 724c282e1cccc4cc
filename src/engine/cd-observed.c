/* cd-observed.c — reading observed data (see cd-observed.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-csv-read.h"
#include "cd-observed.h"

void
cd_observed_free (CdObserved *obs)
{
  if (obs == NULL)
    return;
  for (guint c = 0; c < obs->n_columns; c++)
    {
      g_free (obs->columns[c].name);
      g_free (obs->columns[c].a);
      g_free (obs->columns[c].b);
    }
  g_free (obs->columns);
  g_free (obs->t);
  g_free (obs->line);
  g_free (obs->values);
  g_free (obs->place);
  g_free (obs);
}

/* Reads a header cell as a column kind; FALSE if it is none. */
static gboolean
parse_column (const char       *name,
              CdObservedColumn *col)
{
  if (strcmp (name, "mean_coordination") == 0)
    col->kind = CD_OBSERVED_MEAN;
  else if (strcmp (name, "loss") == 0)
    col->kind = CD_OBSERVED_LOSS;
  else if (g_str_has_prefix (name, "x:") && name[2] != '\0')
    {
      col->kind = CD_OBSERVED_X;
      col->a = g_strdup (name + 2);
    }
  else if (g_str_has_prefix (name, "trust:"))
    {
      const char *bar = strchr (name + 6, '|');

      /* Ids may hold '|' themselves; the first one that leaves two
       * non-empty ids is taken here, and binding tries the others. */
      if (bar == NULL || bar == name + 6 || bar[1] == '\0')
        return FALSE;
      col->kind = CD_OBSERVED_TRUST;
      col->a = g_strndup (name + 6, bar - (name + 6));
      col->b = g_strdup (bar + 1);
    }
  else
    return FALSE;
  col->name = g_strdup (name);
  return TRUE;
}

static CdObserved *
observed_from_table (const CdCsvTable *table,
                     GError          **error)
{
  g_autoptr(CdObserved) obs = g_new0 (CdObserved, 1);
  const CdCsvRow *header = g_ptr_array_index (table->rows, 0);
  g_autofree guint *col_of = g_new (guint, MAX (header->n_cells, 1));  /* file col → column */
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean have_t = FALSE;

  obs->place = g_strdup (table->place);
  obs->header_line = header->line;
  obs->columns = g_new0 (CdObservedColumn, MAX (header->n_cells, 1));
  /* A missing t first: without it no other column can be read. */
  for (guint c = 0; c < header->n_cells && !have_t; c++)
    have_t = strcmp (header->cells[c], "t") == 0;
  if (!have_t)
    {
      cd_csv_table_set_error (table, error, header->line, G_MAXUINT,
                              _("no column t; the first line must name a column t (the "
                                "time of each observation)"));
      return NULL;
    }
  for (guint c = 0; c < header->n_cells; c++)
    {
      const char *name = header->cells[c];
      gpointer first;

      if (g_hash_table_lookup_extended (seen, name, NULL, &first))
        {
          cd_csv_table_set_error (table, error, header->line, c,
                                  _("the column appears twice (first as column %u)"),
                                  GPOINTER_TO_UINT (first) + 1);
          return NULL;
        }
      g_hash_table_insert (seen, (gpointer) name, GUINT_TO_POINTER (c));
      if (strcmp (name, "t") == 0)
        {
          obs->t_col = c;
          col_of[c] = G_MAXUINT;
          continue;
        }
      if (!parse_column (name, &obs->columns[obs->n_columns]))
        {
          cd_csv_table_set_error (table, error, header->line, c,
                                  _("unknown column; observed data have t and any of "
                                    "mean_coordination, loss, x:ID and trust:A|B"));
          return NULL;
        }
      obs->columns[obs->n_columns].file_col = c;
      col_of[c] = obs->n_columns++;
    }
  if (obs->n_columns == 0)
    {
      cd_csv_table_set_error (table, error, header->line, G_MAXUINT,
                              _("no observed column beside t; add mean_coordination, loss, "
                                "x:ID or trust:A|B"));
      return NULL;
    }

  obs->n_rows = table->rows->len - 1;
  obs->t = g_new (double, MAX (obs->n_rows, 1));
  obs->line = g_new (guint, MAX (obs->n_rows, 1));
  obs->values = g_new (double, MAX ((gsize) obs->n_rows * obs->n_columns, 1));
  for (guint r = 0; r < obs->n_rows; r++)
    {
      const CdCsvRow *row = g_ptr_array_index (table->rows, r + 1);

      obs->line[r] = row->line;
      for (guint c = 0; c < row->n_cells; c++)
        {
          const char *cell = row->cells[c];
          double value;
          gboolean empty;

          {
            g_autofree char *trimmed = g_strstrip (g_strdup (cell));
            empty = trimmed[0] == '\0';
          }
          if (empty && col_of[c] == G_MAXUINT)
            {
              cd_csv_table_set_error (table, error, row->line, c,
                                      _("the time is missing; every row needs one"));
              return NULL;
            }
          if (empty)
            {
              obs->values[(gsize) r * obs->n_columns + col_of[c]] = NAN;
              continue;
            }
          if (!cd_csv_parse_number (cell, &value))
            {
              cd_csv_table_set_error (table, error, row->line, c,
                                      _("\"%s\" is not a number (write numbers with a point, "
                                        "as in 0.25; leave the cell empty where nothing "
                                        "was observed)"), cell);
              return NULL;
            }
          if (col_of[c] == G_MAXUINT)
            {
              if (value < 0)
                {
                  cd_csv_table_set_error (table, error, row->line, c,
                                          _("the time %g is before the run starts (t = 0)"),
                                          value);
                  return NULL;
                }
              obs->t[r] = value;
            }
          else
            {
              obs->values[(gsize) r * obs->n_columns + col_of[c]] = value;
              obs->columns[col_of[c]].n_values++;
              obs->n_values++;
            }
        }
    }
  if (obs->n_values == 0)
    {
      cd_csv_table_set_error (table, error, header->line, G_MAXUINT,
                              _("no observed value: every cell beside t is empty"));
      return NULL;
    }
  return g_steal_pointer (&obs);
}

CdObserved *
cd_observed_parse (const char *data,
                   gsize       length,
                   const char *place,
                   GError    **error)
{
  g_autoptr(CdCsvTable) table = cd_csv_table_parse (data, length, place, error);

  return table != NULL ? observed_from_table (table, error) : NULL;
}

CdObserved *
cd_observed_load_file (const char *path,
                       GError    **error)
{
  g_autoptr(CdCsvTable) table = cd_csv_table_load_file (path, error);

  return table != NULL ? observed_from_table (table, error) : NULL;
}

/* The partnership joining a and b, as an index among partnerships in file
 * order; G_MAXUINT if there is none. */
static guint
find_partnership (const CdModel *model,
                  const char    *a,
                  const char    *b)
{
  guint k = 0;

  for (guint e = 0; e < model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);

      if (edge->kind != CD_EDGE_PARTNERSHIP)
        continue;
      if ((strcmp (edge->source, a) == 0 && strcmp (edge->target, b) == 0)
          || (strcmp (edge->source, b) == 0 && strcmp (edge->target, a) == 0))
        return k;
      k++;
    }
  return G_MAXUINT;
}

/* Same message shape as the table's: "PLACE: line L, column C (NAME): …". */
static void
set_error (const CdObserved *obs,
           GError          **error,
           guint             line,
           guint             file_col,
           const char       *name,
           const char       *what)
{
  g_autofree char *where = g_strdup_printf (_("line %u, column %u (%s)"), line, file_col + 1,
                                            name);
  g_autofree char *inner = g_strdup_printf (C_("place: message", "%s: %s"), where, what);

  g_set_error (error, CD_CSV_READ_ERROR, CD_CSV_READ_ERROR_CONTENT,
               C_("place: message", "%s: %s"), obs->place, inner);
}

gboolean
cd_observed_bind (CdObserved    *obs,
                  const CdModel *model,
                  GError       **error)
{
  g_return_val_if_fail (obs != NULL && model != NULL, FALSE);

  for (guint c = 0; c < obs->n_columns; c++)
    {
      CdObservedColumn *col = &obs->columns[c];
      g_autofree char *what = NULL;

      if (col->kind == CD_OBSERVED_X)
        {
          int i = cd_model_find_node (model, col->a);

          if (i >= 0)
            {
              col->index = i;
              continue;
            }
          what = g_strdup_printf (_("the model has no government \"%s\""), col->a);
        }
      else if (col->kind == CD_OBSERVED_TRUST)
        {
          const char *ends = col->name + 6;
          guint k = G_MAXUINT;

          /* Try every '|' as the divider: ids may contain one. */
          for (const char *bar = strchr (ends, '|'); bar != NULL && k == G_MAXUINT;
               bar = strchr (bar + 1, '|'))
            {
              g_autofree char *a = g_strndup (ends, bar - ends);

              k = find_partnership (model, a, bar + 1);
            }
          if (k != G_MAXUINT)
            {
              col->index = k;
              continue;
            }
          what = g_strdup_printf (_("the model has no partnership between \"%s\" and \"%s\""),
                                  col->a, col->b);
        }
      else
        continue;
      set_error (obs, error, obs->header_line, col->file_col, col->name, what);
      return FALSE;
    }

  for (guint r = 0; r < obs->n_rows; r++)
    if (obs->t[r] > model->sim.t_end)
      {
        g_autofree char *what = g_strdup_printf (_("the time %g is after the run ends "
                                                   "(t_end = %g)"),
                                                 obs->t[r], model->sim.t_end);
        set_error (obs, error, obs->line[r], obs->t_col, "t", what);
        return FALSE;
      }
  obs->bound = TRUE;
  return TRUE;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

double *
cd_observed_times (const CdObserved *obs,
                   guint            *n_times,
                   guint           **row_time)
{
  double *times = g_memdup2 (obs->t, sizeof (double) * MAX (obs->n_rows, 1));
  guint n = 0;

  qsort (times, obs->n_rows, sizeof (double), compare_double);
  for (guint r = 0; r < obs->n_rows; r++)
    if (n == 0 || times[r] != times[n - 1])
      times[n++] = times[r];
  if (row_time != NULL)
    {
      *row_time = g_new (guint, MAX (obs->n_rows, 1));
      for (guint r = 0; r < obs->n_rows; r++)
        {
          double *hit = bsearch (&obs->t[r], times, n, sizeof (double), compare_double);
          (*row_time)[r] = hit - times;
        }
    }
  *n_times = n;
  return times;
}
