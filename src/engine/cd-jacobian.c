/* cd-jacobian.c — sparse Jacobians by coloured finite differences
 * (see cd-jacobian.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd-jacobian.h"
#include "cd-system-private.h"

struct _CdJacobian
{
  CdSparseMatrix m;
  /* the same structure by rows, for the colouring */
  guint  *row_start;
  guint  *row_column;
  /* columns of each colour: CSR over colours */
  guint   n_colours;
  guint  *colour_start;
  guint  *colour_column;
  /* scratch */
  double *zs;
  double *fp;
  double *fm;
  guint  *stamp;         /* per row: 1 + the last colour that holds it */
  guint   n_evaluations;
};

/* The structure is checked at the first evaluation and every CHECK_EVERY-th
 * after (the check scans every row once per colour: on the national model a
 * sixth of a Jacobian's time when done every time). */
#define CHECK_EVERY 8

void
cd_sparse_matrix_multiply (const CdSparseMatrix *m,
                           const double         *v,
                           double               *out)
{
  memset (out, 0, m->n * sizeof (double));
  for (guint k = 0; k < m->n; k++)
    {
      double vk = v[k];
      for (int q = m->col_start[k]; q < m->col_start[k + 1]; q++)
        out[m->row_index[q]] += m->value[q] * vk;
    }
}

static int
compare_uint (const void *a,
              const void *b)
{
  guint ua = *(const guint *) a, ub = *(const guint *) b;
  return (ua > ub) - (ua < ub);
}

typedef struct
{
  guint column;
  guint weight;
} Ranked;

static int
compare_ranked (const void *a,
                const void *b)
{
  const Ranked *ra = a, *rb = b;

  /* heaviest first; ties in column order, so the colouring is the same
   * on every machine */
  if (ra->weight != rb->weight)
    return ra->weight > rb->weight ? -1 : 1;
  return (ra->column > rb->column) - (ra->column < rb->column);
}

/* Greedy distance-2 colouring of the columns, largest first: a column takes
 * the smallest colour that no column sharing one of its rows has. */
static void
colour_columns (CdJacobian *jac)
{
  const guint n = jac->m.n;
  g_autofree guint *colour = g_new (guint, MAX (n, 1));
  g_autofree guint *seen = g_new0 (guint, n + 1);
  g_autofree Ranked *order = g_new (Ranked, MAX (n, 1));
  g_autofree guint *fill = NULL;

  for (guint k = 0; k < n; k++)
    {
      order[k].column = k;
      order[k].weight = 0;
      for (int q = jac->m.col_start[k]; q < jac->m.col_start[k + 1]; q++)
        {
          guint r = jac->m.row_index[q];
          order[k].weight += jac->row_start[r + 1] - jac->row_start[r];
        }
      colour[k] = G_MAXUINT;
    }
  qsort (order, n, sizeof *order, compare_ranked);

  jac->n_colours = 0;
  for (guint o = 0; o < n; o++)
    {
      guint k = order[o].column, c = 0;

      /* seen[c] == o + 1: colour c is taken by a neighbour of k */
      for (int q = jac->m.col_start[k]; q < jac->m.col_start[k + 1]; q++)
        {
          guint r = jac->m.row_index[q];
          for (guint p = jac->row_start[r]; p < jac->row_start[r + 1]; p++)
            {
              guint l = jac->row_column[p];
              if (colour[l] != G_MAXUINT)
                seen[colour[l]] = o + 1;
            }
        }
      while (seen[c] == o + 1)
        c++;
      colour[k] = c;
      jac->n_colours = MAX (jac->n_colours, c + 1);
    }

  jac->colour_start = g_new0 (guint, jac->n_colours + 1);
  jac->colour_column = g_new (guint, MAX (n, 1));
  fill = g_new0 (guint, jac->n_colours + 1);
  for (guint k = 0; k < n; k++)
    jac->colour_start[colour[k] + 1]++;
  for (guint c = 0; c < jac->n_colours; c++)
    jac->colour_start[c + 1] += jac->colour_start[c];
  for (guint k = 0; k < n; k++)
    jac->colour_column[jac->colour_start[colour[k]] + fill[colour[k]]++] = k;
}

CdJacobian *
cd_jacobian_new (guint        n,
                 const guint *row_start,
                 const guint *column)
{
  CdJacobian *jac = g_new0 (CdJacobian, 1);
  g_autofree guint *count = g_new0 (guint, n + 1);
  guint nnz = 0;

  g_return_val_if_fail (row_start != NULL || n == 0, NULL);

  /* Rows: sorted, without repeats, with the diagonal. */
  jac->row_start = g_new0 (guint, n + 1);
  jac->row_column = g_new (guint, (gsize) row_start[n] + n + 1);
  for (guint r = 0; r < n; r++)
    {
      guint *row = jac->row_column + nnz, len = 0;

      for (guint q = row_start[r]; q < row_start[r + 1]; q++)
        {
          g_return_val_if_fail (column[q] < n, NULL);
          row[len++] = column[q];
        }
      row[len++] = r;
      qsort (row, len, sizeof *row, compare_uint);
      jac->row_start[r] = nnz;
      for (guint q = 0; q < len; q++)
        if (q == 0 || row[q] != row[q - 1])
          jac->row_column[nnz++] = row[q];
    }
  jac->row_start[n] = nnz;

  /* Columns: the transpose, rows in order within each column. */
  jac->m.n = n;
  jac->m.nnz = nnz;
  jac->m.col_start = g_new0 (int, n + 1);
  jac->m.row_index = g_new (int, MAX (nnz, 1));
  jac->m.value = g_new0 (double, MAX (nnz, 1));
  for (guint q = 0; q < nnz; q++)
    jac->m.col_start[jac->row_column[q] + 1]++;
  for (guint k = 0; k < n; k++)
    jac->m.col_start[k + 1] += jac->m.col_start[k];
  for (guint r = 0; r < n; r++)
    for (guint q = jac->row_start[r]; q < jac->row_start[r + 1]; q++)
      {
        guint k = jac->row_column[q];
        jac->m.row_index[jac->m.col_start[k] + count[k]++] = r;
      }

  colour_columns (jac);
  jac->zs = g_new (double, MAX (n, 1));
  jac->fp = g_new (double, MAX (n, 1));
  jac->fm = g_new (double, MAX (n, 1));
  jac->stamp = g_new0 (guint, MAX (n, 1));
  return jac;
}

CdJacobian *
cd_jacobian_new_for_system (const CdSystem *sys,
                            const guint    *map,
                            guint           dim)
{
  g_autofree guint *z_of = g_new (guint, sys->n_state);
  g_autofree guint *row_start = g_new0 (guint, dim + 1);
  g_autoptr(GArray) column = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint k = 0; k < sys->n_state; k++)
    z_of[k] = G_MAXUINT;
  for (guint k = 0; k < dim; k++)
    z_of[map[k]] = k;

#define ADD(y_index) \
  G_STMT_START { \
    guint z_ = z_of[(y_index)]; \
    if (z_ != G_MAXUINT) \
      g_array_append_val (column, z_); \
  } G_STMT_END

  for (guint r = 0; r < dim; r++)
    {
      guint v = map[r];

      if (v < sys->n_nodes)
        {
          /* A government: itself, everyone it is joined to, and the trust
           * of each of its partnerships. */
          ADD (v);
          for (guint q = sys->partner_start[v]; q < sys->partner_start[v + 1]; q++)
            {
              ADD (sys->partner_node[q]);
              ADD (sys->n_nodes + sys->partner_edge[q]);
            }
          for (guint q = sys->superior_start[v]; q < sys->superior_start[v + 1]; q++)
            ADD (sys->superior_node[q]);
          for (guint q = sys->subordinate_start[v]; q < sys->subordinate_start[v + 1]; q++)
            ADD (sys->subordinate_node[q]);
        }
      else if (v < sys->n_nodes + sys->n_partnerships)
        {
          /* A partnership's trust: itself and its two ends. */
          guint e = v - sys->n_nodes;
          ADD (v);
          ADD (sys->pair_a[e]);
          ADD (sys->pair_b[e]);
        }
      row_start[r + 1] = column->len;
    }
#undef ADD

  return cd_jacobian_new (dim, row_start, (const guint *) column->data);
}

void
cd_jacobian_free (CdJacobian *jac)
{
  if (jac == NULL)
    return;
  g_free (jac->m.col_start);
  g_free (jac->m.row_index);
  g_free (jac->m.value);
  g_free (jac->row_start);
  g_free (jac->row_column);
  g_free (jac->colour_start);
  g_free (jac->colour_column);
  g_free (jac->zs);
  g_free (jac->fp);
  g_free (jac->fm);
  g_free (jac->stamp);
  g_free (jac);
}

guint
cd_jacobian_n_colours (const CdJacobian *jac)
{
  return jac->n_colours;
}

const CdSparseMatrix *
cd_jacobian_matrix (const CdJacobian *jac)
{
  return &jac->m;
}

gboolean
cd_jacobian_evaluate (CdJacobian   *jac,
                      CdVectorFunc  f,
                      gpointer      data,
                      const double *z,
                      double        h)
{
  const guint n = jac->m.n;
  gboolean check = jac->n_evaluations++ % CHECK_EVERY == 0;

  memcpy (jac->zs, z, n * sizeof (double));
  if (check)
    memset (jac->stamp, 0, n * sizeof (guint));
  for (guint c = 0; c < jac->n_colours; c++)
    {
      guint c0 = jac->colour_start[c], c1 = jac->colour_start[c + 1];

      for (guint p = c0; p < c1; p++)
        jac->zs[jac->colour_column[p]] = z[jac->colour_column[p]] + h;
      if (!f (jac->zs, jac->fp, data))
        return FALSE;
      for (guint p = c0; p < c1; p++)
        jac->zs[jac->colour_column[p]] = z[jac->colour_column[p]] - h;
      if (!f (jac->zs, jac->fm, data))
        return FALSE;
      for (guint p = c0; p < c1; p++)
        {
          guint k = jac->colour_column[p];

          jac->zs[k] = z[k];
          for (int q = jac->m.col_start[k]; q < jac->m.col_start[k + 1]; q++)
            {
              guint r = jac->m.row_index[q];
              jac->m.value[q] = (jac->fp[r] - jac->fm[r]) / (2.0 * h);
              jac->stamp[r] = c + 1;
            }
        }
      /* A row that moved though it holds no column of this colour depends
       * on a variable the structure says it does not. */
      for (guint r = 0; check && r < n; r++)
        if (jac->stamp[r] != c + 1 && jac->fp[r] != jac->fm[r])
          {
            g_critical ("cd_jacobian_evaluate: row %u depends on a variable outside its "
                        "structure (colour %u): the Jacobian's pattern misses a coupling", r, c);
            return FALSE;
          }
    }
  return TRUE;
}
