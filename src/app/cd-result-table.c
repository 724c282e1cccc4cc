/* cd-result-table.c — sortable result tables (see cd-result-table.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-result-table.h"

struct _CdTableRow
{
  GObject  parent_instance;

  guint    index;
  guint    n_columns;
  char   **texts;
  double  *numbers;
  char    *style;
};

G_DEFINE_FINAL_TYPE (CdTableRow, cd_table_row, G_TYPE_OBJECT)

static void
cd_table_row_finalize (GObject *object)
{
  CdTableRow *self = CD_TABLE_ROW (object);

  for (guint i = 0; i < self->n_columns; i++)
    g_free (self->texts[i]);
  g_free (self->texts);
  g_free (self->numbers);
  g_free (self->style);
  G_OBJECT_CLASS (cd_table_row_parent_class)->finalize (object);
}

static void
cd_table_row_class_init (CdTableRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cd_table_row_finalize;
}

static void
cd_table_row_init (CdTableRow *self)
{
}

CdTableRow *
cd_table_row_new (guint index,
                  guint n_columns)
{
  CdTableRow *self = g_object_new (CD_TYPE_TABLE_ROW, NULL);

  self->index = index;
  self->n_columns = n_columns;
  self->texts = g_new0 (char *, n_columns + 1);
  self->numbers = g_new (double, n_columns + 1);
  for (guint i = 0; i < n_columns; i++)
    self->numbers[i] = NAN;
  return self;
}

guint
cd_table_row_get_index (CdTableRow *row)
{
  g_return_val_if_fail (CD_IS_TABLE_ROW (row), 0);
  return row->index;
}

void
cd_table_row_set_text (CdTableRow *row,
                       guint       column,
                       const char *text)
{
  g_return_if_fail (CD_IS_TABLE_ROW (row));
  g_return_if_fail (column < row->n_columns);
  g_free (row->texts[column]);
  row->texts[column] = g_strdup (text);
}

void
cd_table_row_set_number (CdTableRow *row,
                         guint       column,
                         double      value)
{
  g_return_if_fail (CD_IS_TABLE_ROW (row));
  g_return_if_fail (column < row->n_columns);
  row->numbers[column] = value;
}

double
cd_table_row_get_number (CdTableRow *row,
                         guint       column)
{
  g_return_val_if_fail (CD_IS_TABLE_ROW (row), NAN);
  g_return_val_if_fail (column < row->n_columns, NAN);
  return row->numbers[column];
}

const char *
cd_table_row_get_text (CdTableRow *row,
                       guint       column)
{
  g_return_val_if_fail (CD_IS_TABLE_ROW (row), NULL);
  g_return_val_if_fail (column < row->n_columns, NULL);
  return row->texts[column];
}

void
cd_table_row_set_style (CdTableRow *row,
                        const char *css_class)
{
  g_return_if_fail (CD_IS_TABLE_ROW (row));
  g_free (row->style);
  row->style = g_strdup (css_class);
}

/* ---- Columns -------------------------------------------------------------- */

typedef struct
{
  guint        column;
  CdColumnKind kind;
  int          digits;
  char       **values;      /* NULL, or the words the column can show */
} ColumnInfo;

static void
column_info_free (gpointer data)
{
  ColumnInfo *info = data;

  g_strfreev (info->values);
  g_free (info);
}

/* The width the widest of the column's words needs in `label`'s font: the
 * label's minimum, so that the column (as wide as its widest cell) never
 * cuts one, even before a row that shows it has been drawn. */
static void
fit_values (GtkWidget  *label,
            ColumnInfo *info)
{
  int widest = 0;

  for (guint i = 0; info->values[i] != NULL; i++)
    {
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (label, info->values[i]);
      int w;

      pango_layout_get_pixel_size (layout, &w, NULL);
      widest = MAX (widest, w);
    }
  gtk_widget_set_size_request (label, widest, -1);
}

/* A name (a government's, a scenario's) shows whole up to this width; a
 * longer one is cut with "…" there. */
#define NAME_MAX_WIDTH 320

/* A free-text cell is as wide as its text, up to NAME_MAX_WIDTH: an
 * ellipsizing label asks only for "…", and the column of names, the
 * table's first, gave way to the numbers ("Central Gover…" in Network
 * Metrics at 1280 × 720) when the table is wider than its pane, which
 * then scrolls sideways instead. */
static void
fit_text (GtkWidget *label)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (label,
                                                                   gtk_label_get_text (GTK_LABEL (label)));
  int w;

  pango_layout_get_pixel_size (layout, &w, NULL);
  if (w <= NAME_MAX_WIDTH)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
      gtk_widget_set_size_request (label, -1, -1);
    }
  else
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_size_request (label, NAME_MAX_WIDTH, -1);
    }
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            ColumnInfo               *info)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* Numbers line up on the right, in tabular figures. */
  gtk_label_set_xalign (GTK_LABEL (label), info->kind == CD_COLUMN_TEXT ? 0.0 : 1.0);
  if (info->kind != CD_COLUMN_TEXT)
    gtk_widget_add_css_class (label, "numeric");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ColumnInfo               *info)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  CdTableRow *row = gtk_list_item_get_item (item);
  const char *old_style = g_object_get_data (G_OBJECT (label), "cd-style");
  g_autofree char *text = NULL;

  if (old_style != NULL)
    gtk_widget_remove_css_class (label, old_style);
  g_object_set_data_full (G_OBJECT (label), "cd-style", g_strdup (row->style), g_free);
  if (row->style != NULL)
    gtk_widget_add_css_class (label, row->style);

  if (info->values != NULL)
    fit_values (label, info);
  switch (info->kind)
    {
    case CD_COLUMN_TEXT:
      gtk_label_set_text (GTK_LABEL (label), row->texts[info->column] ? row->texts[info->column]
                                                                        : "");
      if (info->values == NULL)
        fit_text (label);
      break;
    case CD_COLUMN_INTEGER:
      if (isfinite (row->numbers[info->column]))
        text = g_strdup_printf ("%.0f", row->numbers[info->column]);
      gtk_label_set_text (GTK_LABEL (label), text ? text : "–");
      break;
    case CD_COLUMN_NUMBER:
    default:
      if (isfinite (row->numbers[info->column]))
        text = g_strdup_printf ("%.*f", info->digits, row->numbers[info->column]);
      gtk_label_set_text (GTK_LABEL (label), text ? text : "–");
      break;
    }
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const ColumnInfo *info = user_data;
  CdTableRow *ra = (CdTableRow *) a, *rb = (CdTableRow *) b;

  if (info->kind == CD_COLUMN_TEXT)
    {
      int c = g_utf8_collate (ra->texts[info->column] ? ra->texts[info->column] : "",
                              rb->texts[info->column] ? rb->texts[info->column] : "");
      return c < 0 ? GTK_ORDERING_SMALLER : c > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
    }
  else
    {
      double va = ra->numbers[info->column], vb = rb->numbers[info->column];
      /* Missing values sort last whichever way the column is sorted. */
      gboolean fa = isfinite (va), fb = isfinite (vb);
      if (fa != fb)
        return fa ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
      if (!fa || va == vb)
        return ra->index < rb->index ? GTK_ORDERING_SMALLER
               : ra->index > rb->index ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
      return va < vb ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
    }
}

GListStore *
cd_result_table_setup (GtkColumnView      *view,
                       const CdColumnSpec *columns,
                       guint               n_columns)
{
  GListStore *store = g_list_store_new (CD_TYPE_TABLE_ROW);
  GtkSortListModel *sorted;
  GtkSingleSelection *selection;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);

  for (guint c = 0; c < n_columns; c++)
    {
      ColumnInfo *info = g_new0 (ColumnInfo, 1);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      GtkSorter *sorter;

      info->column = c;
      info->kind = columns[c].kind;
      info->digits = columns[c].digits;
      info->values = columns[c].values ? g_strdupv ((char **) columns[c].values) : NULL;
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), info);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), info);
      /* The info lives as long as the factory. */
      g_object_set_data_full (G_OBJECT (factory), "cd-column-info", info, column_info_free);
      column = gtk_column_view_column_new (columns[c].title, factory);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, info, NULL));
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
      gtk_column_view_append_column (view, column);
      g_object_unref (column);
    }
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (store)),
                                    g_object_ref (gtk_column_view_get_sorter (view)));
  selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  return store;
}

int
cd_result_table_get_selected (GtkColumnView *view)
{
  GtkSelectionModel *model = gtk_column_view_get_model (view);
  CdTableRow *row;

  if (!GTK_IS_SINGLE_SELECTION (model))
    return -1;
  row = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (model));
  return row ? (int) row->index : -1;
}
