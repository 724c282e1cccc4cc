/* cd-layout.c — igraph layouts for the canvas (see cd-layout.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
/* igraph's headers test an undefined macro; keep -Wundef for our code. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef"
#include <igraph.h>
#pragma GCC diagnostic pop

#include "cd-layout.h"

G_DEFINE_QUARK (cd-layout-error-quark, cd_layout_error)

static gboolean
check (igraph_error_t  rc,
       const char     *what,
       GError        **error)
{
  if (rc == IGRAPH_SUCCESS)
    return TRUE;
  /* Translators: the first %s names a graph function, the second is igraph's reason. */
  g_set_error (error, CD_LAYOUT_ERROR, CD_LAYOUT_ERROR_FAILED,
               _("%s failed: %s"), what, igraph_strerror (rc));
  return FALSE;
}

/* Builds the graph of the model's ties; with command_only, partnerships are
 * left out (the layered layout only follows the chain of command). */
static gboolean
build_graph (const CdModel *model,
             gboolean       command_only,
             igraph_t      *graph,
             GError       **error)
{
  g_autoptr (GHashTable) index = cd_model_node_index (model);
  igraph_vector_int_t pairs;
  igraph_error_t rc;

  if (!check (igraph_vector_int_init (&pairs, 0), "igraph", error))
    return FALSE;
  for (guint i = 0; i < model->edges->len; i++)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, i);
      int a = GPOINTER_TO_INT (g_hash_table_lookup (index, e->source)) - 1;
      int b = GPOINTER_TO_INT (g_hash_table_lookup (index, e->target)) - 1;

      if (a < 0 || b < 0 || (command_only && e->kind != CD_EDGE_COMMAND))
        continue;
      igraph_vector_int_push_back (&pairs, a);
      igraph_vector_int_push_back (&pairs, b);
    }
  rc = igraph_create (graph, &pairs, (igraph_integer_t) model->nodes->len, IGRAPH_DIRECTED);
  igraph_vector_int_destroy (&pairs);
  return check (rc, "igraph_create", error);
}

/* A coordinate rounded to a tenth, which keeps saved files short and
 * stable; never −0 (round (−0.04) is −0), which the exports write as 0, so
 * that a network laid out, exported and imported again is the same. */
static double
to_tenth (double v)
{
  double r = round (v * 10.0) / 10.0;

  return r == 0.0 ? 0.0 : r;
}

static void
center_positions (CdModel *model)
{
  double min_x = INFINITY, max_x = -INFINITY, min_y = INFINITY, max_y = -INFINITY;

  for (guint i = 0; i < model->nodes->len; i++)
    {
      const CdNode *n = g_ptr_array_index (model->nodes, i);
      min_x = MIN (min_x, n->pos[0]);
      max_x = MAX (max_x, n->pos[0]);
      min_y = MIN (min_y, n->pos[1]);
      max_y = MAX (max_y, n->pos[1]);
    }
  for (guint i = 0; i < model->nodes->len; i++)
    {
      CdNode *n = g_ptr_array_index (model->nodes, i);
      n->pos[0] = to_tenth (n->pos[0] - 0.5 * (min_x + max_x));
      n->pos[1] = to_tenth (n->pos[1] - 0.5 * (min_y + max_y));
      n->has_pos = TRUE;
    }
}

/* The layer of each level: the levels present, top down, without gaps. */
static void
level_layers (const CdModel *model,
              int            layer_of_level[CD_N_LEVELS])
{
  gboolean present[CD_N_LEVELS] = { FALSE };
  int next = 0;

  for (guint i = 0; i < model->nodes->len; i++)
    present[((const CdNode *) g_ptr_array_index (model->nodes, i))->level] = TRUE;
  for (int l = 0; l < CD_N_LEVELS; l++)
    layer_of_level[l] = present[l] ? next++ : next;
}

gboolean
cd_layout_hierarchy (CdModel  *model,
                     GError  **error)
{
  igraph_t graph;
  igraph_matrix_t res;
  igraph_vector_int_t layers;
  int layer_of_level[CD_N_LEVELS];
  gboolean ok;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (model->nodes->len == 0)
    return TRUE;
  if (!build_graph (model, TRUE, &graph, error))
    return FALSE;

  level_layers (model, layer_of_level);
  igraph_vector_int_init (&layers, (igraph_integer_t) model->nodes->len);
  for (guint i = 0; i < model->nodes->len; i++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, i);
      VECTOR (layers)[i] = layer_of_level[node->level];
    }

  igraph_matrix_init (&res, 0, 0);
  ok = check (igraph_layout_sugiyama (&graph, &res, NULL, NULL, &layers, 1.0, 1.0, 100, NULL),
              "igraph_layout_sugiyama", error);
  if (ok)
    {
      for (guint i = 0; i < model->nodes->len; i++)
        {
          CdNode *n = g_ptr_array_index (model->nodes, i);
          n->pos[0] = MATRIX (res, i, 0) * CD_LAYOUT_SPACING;
          /* Layers further apart than neighbours: labels sit below nodes. */
          n->pos[1] = MATRIX (res, i, 1) * CD_LAYOUT_SPACING * 1.3;
        }
      center_positions (model);
    }
  igraph_matrix_destroy (&res);
  igraph_vector_int_destroy (&layers);
  igraph_destroy (&graph);
  return ok;
}

/* Runs Fruchterman–Reingold from the positions in res; pinned[i] holds node
 * i where it is.  Positions are in units of CD_LAYOUT_SPACING. */
static gboolean
run_fr (const igraph_t *graph,
        igraph_matrix_t *res,
        const gboolean  *pinned,
        GError         **error)
{
  igraph_integer_t n = igraph_vcount (graph);
  igraph_vector_t minx, maxx, miny, maxy;
  gboolean any_pinned = FALSE;
  gboolean ok;

  for (igraph_integer_t i = 0; pinned != NULL && i < n; i++)
    any_pinned |= pinned[i];
  if (any_pinned)
    {
      igraph_vector_init (&minx, n);
      igraph_vector_init (&maxx, n);
      igraph_vector_init (&miny, n);
      igraph_vector_init (&maxy, n);
      for (igraph_integer_t i = 0; i < n; i++)
        {
          VECTOR (minx)[i] = pinned[i] ? MATRIX (*res, i, 0) : -IGRAPH_INFINITY;
          VECTOR (maxx)[i] = pinned[i] ? MATRIX (*res, i, 0) : IGRAPH_INFINITY;
          VECTOR (miny)[i] = pinned[i] ? MATRIX (*res, i, 1) : -IGRAPH_INFINITY;
          VECTOR (maxy)[i] = pinned[i] ? MATRIX (*res, i, 1) : IGRAPH_INFINITY;
        }
    }
  ok = check (igraph_layout_fruchterman_reingold (graph, res, TRUE, 500, sqrt ((double) n),
                                                  n > 1000 ? IGRAPH_LAYOUT_GRID
                                                           : IGRAPH_LAYOUT_NOGRID,
                                                  NULL,
                                                  any_pinned ? &minx : NULL,
                                                  any_pinned ? &maxx : NULL,
                                                  any_pinned ? &miny : NULL,
                                                  any_pinned ? &maxy : NULL),
              "igraph_layout_fruchterman_reingold", error);
  if (any_pinned)
    {
      igraph_vector_destroy (&minx);
      igraph_vector_destroy (&maxx);
      igraph_vector_destroy (&miny);
      igraph_vector_destroy (&maxy);
    }
  return ok;
}

/* igraph draws from its own global generator inside FR; seeding it and the
 * start positions from our seed makes the result depend on the seed only. */
static void
seed_start (igraph_matrix_t *res,
            guint            n,
            guint32          seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  double r = sqrt ((double) n);

  igraph_rng_seed (igraph_rng_default (), seed);
  for (guint i = 0; i < n; i++)
    {
      MATRIX (*res, i, 0) = g_rand_double_range (rand, -r, r);
      MATRIX (*res, i, 1) = g_rand_double_range (rand, -r, r);
    }
}

gboolean
cd_layout_force_directed (CdModel  *model,
                          guint32   seed,
                          GError  **error)
{
  igraph_t graph;
  igraph_matrix_t res;
  guint n;
  gboolean ok;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = model->nodes->len;
  if (n == 0)
    return TRUE;
  if (!build_graph (model, FALSE, &graph, error))
    return FALSE;

  igraph_matrix_init (&res, n, 2);
  seed_start (&res, n, seed);
  ok = run_fr (&graph, &res, NULL, error);
  if (ok)
    {
      /* FR's natural edge length depends on n; rescale so that ties are
       * about CD_LAYOUT_SPACING long whatever the size. */
      double sum = 0.0;
      guint count = 0;
      double scale;

      for (igraph_integer_t e = 0; e < igraph_ecount (&graph); e++)
        {
          igraph_integer_t a = IGRAPH_FROM (&graph, e), b = IGRAPH_TO (&graph, e);
          sum += hypot (MATRIX (res, a, 0) - MATRIX (res, b, 0),
                        MATRIX (res, a, 1) - MATRIX (res, b, 1));
          count++;
        }
      scale = (count > 0 && sum > 0.0) ? CD_LAYOUT_SPACING * count / sum : CD_LAYOUT_SPACING;
      for (guint i = 0; i < n; i++)
        {
          CdNode *node = g_ptr_array_index (model->nodes, i);
          node->pos[0] = MATRIX (res, i, 0) * scale;
          node->pos[1] = MATRIX (res, i, 1) * scale;
        }
      center_positions (model);
    }
  igraph_matrix_destroy (&res);
  igraph_destroy (&graph);
  return ok;
}

gboolean
cd_layout_auto (CdModel  *model,
                guint32   seed,
                GError  **error)
{
  guint commands = 0, partnerships = 0;

  g_return_val_if_fail (model != NULL, FALSE);

  for (guint i = 0; i < model->edges->len; i++)
    {
      if (((const CdEdge *) g_ptr_array_index (model->edges, i))->kind == CD_EDGE_COMMAND)
        commands++;
      else
        partnerships++;
    }
  if (commands > 0 && commands >= partnerships)
    return cd_layout_hierarchy (model, error);
  return cd_layout_force_directed (model, seed, error);
}

gboolean
cd_layout_place_missing (CdModel  *model,
                         guint32   seed,
                         GError  **error)
{
  guint n, missing = 0;
  igraph_t graph;
  igraph_matrix_t res;
  g_autofree gboolean *pinned = NULL;
  gboolean ok;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = model->nodes->len;
  for (guint i = 0; i < n; i++)
    missing += !((const CdNode *) g_ptr_array_index (model->nodes, i))->has_pos;
  if (missing == 0)
    return TRUE;
  if (missing == n)
    return cd_layout_auto (model, seed, error);

  /* Some placed by hand: let only the others move, pulled by their ties. */
  if (!build_graph (model, FALSE, &graph, error))
    return FALSE;
  pinned = g_new0 (gboolean, n);
  igraph_matrix_init (&res, n, 2);
  seed_start (&res, n, seed);
  {
    double cx = 0.0, cy = 0.0;
    for (guint i = 0; i < n; i++)
      {
        const CdNode *node = g_ptr_array_index (model->nodes, i);
        if (node->has_pos)
          {
            cx += node->pos[0] / CD_LAYOUT_SPACING;
            cy += node->pos[1] / CD_LAYOUT_SPACING;
          }
      }
    cx /= (n - missing);
    cy /= (n - missing);
    for (guint i = 0; i < n; i++)
      {
        const CdNode *node = g_ptr_array_index (model->nodes, i);
        pinned[i] = node->has_pos;
        if (node->has_pos)
          {
            MATRIX (res, i, 0) = node->pos[0] / CD_LAYOUT_SPACING;
            MATRIX (res, i, 1) = node->pos[1] / CD_LAYOUT_SPACING;
          }
        else
          {
            MATRIX (res, i, 0) += cx;
            MATRIX (res, i, 1) += cy;
          }
      }
  }
  ok = run_fr (&graph, &res, pinned, error);
  if (ok)
    for (guint i = 0; i < n; i++)
      {
        CdNode *node = g_ptr_array_index (model->nodes, i);
        if (node->has_pos)
          continue;
        node->pos[0] = to_tenth (MATRIX (res, i, 0) * CD_LAYOUT_SPACING);
        node->pos[1] = to_tenth (MATRIX (res, i, 1) * CD_LAYOUT_SPACING);
        node->has_pos = TRUE;
      }
  igraph_matrix_destroy (&res);
  igraph_destroy (&graph);
  return ok;
}
