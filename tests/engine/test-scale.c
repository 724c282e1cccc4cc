/* test-scale.c — the engine at scale (issue 17): the generator's larger
 * models, and a right-hand side shared among threads.
 *
 * The nearest-neighbour partnerships of cd_generate_hierarchy come from a
 * grid of buckets; here they are checked against comparing every pair.  A
 * large system's evaluation on a team of threads must give the same bits
 * as in one thread, rates, forces and loss, under both model versions, and
 * a run the same samples.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-generate.h"
#include "cd-model-upgrade.h"
#include "cd-simulate.h"
#include "cd-system.h"

#define NEIGHBOURS 3   /* as cd-generate.c */

static char *
pair_key (const char *a,
          const char *b)
{
  return strcmp (a, b) < 0 ? g_strconcat (a, "|", b, NULL) : g_strconcat (b, "|", a, NULL);
}

/* The partnerships of a range of same-level nodes, by comparing every
 * pair in index order (ties to the lower index), into `want`. */
static void
brute_force_pairs (const CdModel *m,
                   CdLevel        level,
                   GHashTable    *want)
{
  g_autoptr(GPtrArray) range = g_ptr_array_new ();

  for (guint i = 0; i < m->nodes->len; i++)
    {
      CdNode *n = g_ptr_array_index (m->nodes, i);
      if (n->level == level)
        g_ptr_array_add (range, n);
    }
  for (guint i = 0; i < range->len; i++)
    {
      const CdNode *a = g_ptr_array_index (range, i);
      guint best[NEIGHBOURS];
      double best_d[NEIGHBOURS];

      for (guint k = 0; k < NEIGHBOURS; k++)
        best[k] = G_MAXUINT, best_d[k] = INFINITY;
      for (guint j = 0; j < range->len; j++)
        {
          const CdNode *b = g_ptr_array_index (range, j);
          double dx = a->pos[0] - b->pos[0], dy = a->pos[1] - b->pos[1];
          double d = dx * dx + dy * dy;
          guint k;

          if (j == i || d >= best_d[NEIGHBOURS - 1])
            continue;
          for (k = NEIGHBOURS - 1; k > 0 && best_d[k - 1] > d; k--)
            best[k] = best[k - 1], best_d[k] = best_d[k - 1];
          best[k] = j, best_d[k] = d;
        }
      for (guint k = 0; k < NEIGHBOURS; k++)
        if (best[k] != G_MAXUINT)
          g_hash_table_add (want,
                            pair_key (a->id, ((CdNode *) g_ptr_array_index (range, best[k]))->id));
    }
}

static void
check_neighbours (guint32 seed,
                  guint   provinces,
                  guint   cities,
                  guint   counties)
{
  g_autoptr(CdModel) m = cd_generate_hierarchy (seed, provinces, cities, counties);
  g_autoptr(GHashTable) want = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) got = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  g_assert_nonnull (m);
  g_assert_cmpuint (m->nodes->len, ==, 1 + provinces + cities + counties);
  brute_force_pairs (m, CD_LEVEL_PROVINCIAL, want);
  brute_force_pairs (m, CD_LEVEL_MUNICIPAL, want);
  brute_force_pairs (m, CD_LEVEL_COUNTY, want);
  for (guint e = 0; e < m->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (m->edges, e);
      if (edge->kind == CD_EDGE_PARTNERSHIP)
        /* each pair once */
        g_assert_true (g_hash_table_add (got, pair_key (edge->source, edge->target)));
    }
  g_assert_cmpuint (g_hash_table_size (got), ==, g_hash_table_size (want));
  g_hash_table_iter_init (&iter, want);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (got, key))
      g_error ("seed %u: partnership %s missing", seed, (const char *) key);
}

static void
test_neighbours_as_every_pair (void)
{
  /* the national proportions at a tenth, and beyond 31 provinces (a wider map) */
  check_neighbours (1, 3, 33, 284);
  check_neighbours (7, 60, 640, 5000);
  /* few points, and a single province */
  check_neighbours (3, 1, 1, 2);
  check_neighbours (4, 2, 3, 9);
}

static void
test_copies (void)
{
  g_autoptr(CdModel) one = cd_generate_hierarchy (2, 3, 8, 30);
  g_autoptr(CdModel) many = cd_generate_copies (one, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = NULL;

  g_assert_cmpuint (many->nodes->len, ==, 3 * one->nodes->len);
  g_assert_cmpuint (many->edges->len, ==, 3 * one->edges->len);
  g_assert_cmpuint (many->events->len, ==, 3 * one->events->len);
  g_assert_cmpstr (((CdNode *) g_ptr_array_index (many->nodes, one->nodes->len))->id, ==,
                   "CN#2");
  /* ids unique and every reference resolved */
  sys = cd_system_new (many, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sys);
}

/* dydt, forces and the loss of a team of `threads` against one thread, at
 * times before, during and after the emergencies. */
static void
check_same_bits (const CdModel *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdWorkspace) ws1 = NULL;
  g_autoptr(CdWorkspace) ws2 = NULL;
  g_autofree double *y = NULL;
  g_autofree double *d1 = NULL;
  g_autofree double *d2 = NULL;
  g_autofree double *f1 = NULL;
  g_autofree double *f2 = NULL;
  const double times[] = { 1.0, 6.0, 26.0, 40.0 };
  guint n, n_state;

  g_assert_no_error (error);
  n = cd_system_get_n_nodes (sys);
  n_state = cd_system_get_n_state (sys);
  /* large enough to be shared, in more than one block */
  g_assert_cmpuint (cd_system_threads_worth_it (sys, 2), ==, 2);
  ws1 = cd_workspace_new (sys);
  ws2 = cd_workspace_new (sys);
  cd_workspace_set_threads (ws2, 2);
  y = g_new (double, n_state);
  d1 = g_new (double, n_state);
  d2 = g_new (double, n_state);
  f1 = g_new0 (double, 4 * (gsize) n);
  f2 = g_new0 (double, 4 * (gsize) n);
  cd_system_initial_state (sys, y);
  /* a state away from the initial one, so that every term counts */
  for (guint i = 0; i < n; i++)
    y[i] = 0.05 + 0.9 * fmod (i * 0.6180339887, 1.0);

  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      const CdPiece *piece = cd_system_get_piece_at (sys, times[k]);
      CdForces fo1 = { f1, f1 + n, f1 + 2 * n, f1 + 3 * n };
      CdForces fo2 = { f2, f2 + n, f2 + 2 * n, f2 + 3 * n };

      memset (d1, 0xa5, n_state * sizeof (double));
      memset (d2, 0x5a, n_state * sizeof (double));
      cd_system_evaluate (sys, piece, times[k], y, d1, &fo1, ws1);
      cd_system_evaluate (sys, piece, times[k], y, d2, &fo2, ws2);
      g_assert_cmpmem (d1, n_state * sizeof (double), d2, n_state * sizeof (double));
      g_assert_cmpmem (f1, 4 * n * sizeof (double), f2, 4 * n * sizeof (double));
      /* forces without rates */
      cd_system_evaluate (sys, piece, times[k], y, NULL, &fo1, ws1);
      cd_system_evaluate (sys, piece, times[k], y, NULL, &fo2, ws2);
      g_assert_cmpmem (f1, 4 * n * sizeof (double), f2, 4 * n * sizeof (double));
    }
}

static CdModel *
large_model (void)
{
  /* 12,836 governments, 37,500 state variables: over the threshold */
  g_autoptr(CdModel) one = cd_generate_national (1);
  return cd_generate_copies (one, 4);
}

static void
test_threads_same_bits (void)
{
  g_autoptr(CdModel) model = large_model ();
  check_same_bits (model);
}

static void
test_threads_same_bits_v2 (void)
{
  g_autoptr(CdModel) model = large_model ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) two = cd_model_upgrade (model, &error);

  g_assert_no_error (error);
  g_assert_cmpint (two->version, ==, 2);
  check_same_bits (two);
}

typedef struct
{
  GArray *rows;   /* t, mean, loss, x… of every sample */
  guint   n;
} Keep;

static gboolean
keep_sample (const CdSample *s,
             gpointer        data,
             GError        **error)
{
  Keep *k = data;

  g_array_append_val (k->rows, s->t);
  g_array_append_val (k->rows, s->mean_coordination);
  g_array_append_val (k->rows, s->loss);
  g_array_append_vals (k->rows, s->x, k->n);
  return TRUE;
}

static void
test_threads_same_run (void)
{
  g_autoptr(CdModel) model = large_model ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  CdRunOptions one = CD_RUN_OPTIONS_INIT, any = CD_RUN_OPTIONS_INIT;
  CdRunStats s1 = { 0 }, s2 = { 0 };
  Keep k1 = { g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  Keep k2 = { g_array_new (FALSE, FALSE, sizeof (double)), 0 };

  g_assert_no_error (error);
  k1.n = k2.n = cd_system_get_n_nodes (sys);
  /* across the flood's onset (t = 5) */
  one.t_end = any.t_end = 6.0;
  one.dt = any.dt = 0.5;
  one.threads = 1;
  any.threads = 0;
  one.stats = &s1;
  any.stats = &s2;
  g_assert_true (cd_simulate (sys, &one, keep_sample, &k1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cd_simulate (sys, &any, keep_sample, &k2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s1.evaluations, ==, s2.evaluations);
  g_assert_cmpuint (k1.rows->len, ==, 13 * (3 + k1.n));
  g_assert_cmpmem (k1.rows->data, k1.rows->len * sizeof (double),
                   k2.rows->data, k2.rows->len * sizeof (double));
  g_array_unref (k1.rows);
  g_array_unref (k2.rows);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/scale/neighbours-as-every-pair", test_neighbours_as_every_pair);
  g_test_add_func ("/engine/scale/copies", test_copies);
  g_test_add_func ("/engine/scale/threads-same-bits", test_threads_same_bits);
  g_test_add_func ("/engine/scale/threads-same-bits-v2", test_threads_same_bits_v2);
  g_test_add_func ("/engine/scale/threads-same-run", test_threads_same_run);
  return g_test_run ();
}
