/* test-scale.c — the engine at scale (issue 17): the generator's larger
 * models, and a right-hand side shared among threads.
 *
 * The nearest-neighbour partnerships of cd_generate_hierarchy come from a
 * grid of buckets; here they are checked against comparing every pair.  A
 * large system's evaluation on a team of threads must give the same bits
 * as in one thread, rates, forces and loss, under both model versions, and
 * a run the same samples.
 *
 * The graph order (cd-system-order.c): a file listing its governments in
 * a random order gets one, and its evaluations and runs are the same bits
 * with it and without, in one thread and two; and the same model listed in
 * another order gives every government the same results.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-generate.h"
#include "cd-model-json.h"
#include "cd-model-upgrade.h"
#include "cd-simulate.h"
#include "cd-system.h"
#include "cd-system-private.h"

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

/* A state away from the initial one, so that every term counts: x and the
 * trusts spread over (0, 1). */
static double *
varied_state (CdSystem *sys)
{
  guint n = cd_system_get_n_nodes (sys), n_state = cd_system_get_n_state (sys);
  double *y = g_new (double, n_state);

  cd_system_initial_state (sys, y);
  for (guint i = 0; i < n; i++)
    y[i] = 0.05 + 0.9 * fmod (i * 0.6180339887, 1.0);
  for (guint e = n; e + 1 < n_state; e++)
    y[e] = fmod (e * 0.7548776662, 1.0);
  return y;
}

/* The rates of y at t as the integrator asks for them (no forces), from
 * two systems or workspaces: the same bits. */
static void
assert_same_rates (CdSystem     *sys1,
                   CdWorkspace  *ws1,
                   CdSystem     *sys2,
                   CdWorkspace  *ws2,
                   double        t,
                   const double *y)
{
  guint n_state = cd_system_get_n_state (sys1);
  g_autofree double *d1 = g_new (double, n_state);
  g_autofree double *d2 = g_new (double, n_state);
  const CdPiece *piece = cd_system_get_piece_at (sys1, t);

  memset (d1, 0xa5, n_state * sizeof (double));
  memset (d2, 0x5a, n_state * sizeof (double));
  cd_system_evaluate (sys1, piece, t, y, d1, NULL, ws1);
  cd_system_evaluate (sys2, piece, t, y, d2, NULL, ws2);
  g_assert_cmpmem (d1, n_state * sizeof (double), d2, n_state * sizeof (double));
}

/* dydt, forces and the loss of `other` on a team of `threads` against
 * `sys` in one thread, at times before, during and after the emergencies:
 * two systems of one model (built in different orders), or one. */
static void
check_same_bits_of (CdSystem *sys,
                    CdSystem *other,
                    guint     threads)
{
  g_autoptr(CdWorkspace) ws1 = NULL;
  g_autoptr(CdWorkspace) ws2 = NULL;
  g_autofree double *y = NULL;
  g_autofree double *d1 = NULL;
  g_autofree double *d2 = NULL;
  g_autofree double *f1 = NULL;
  g_autofree double *f2 = NULL;
  const double times[] = { 1.0, 6.0, 26.0, 40.0 };
  guint n, n_state;

  n = cd_system_get_n_nodes (sys);
  n_state = cd_system_get_n_state (sys);
  g_assert_cmpuint (cd_system_get_n_state (other), ==, n_state);
  ws1 = cd_workspace_new (sys);
  ws2 = cd_workspace_new (other);
  cd_workspace_set_threads (ws2, threads);
  y = varied_state (sys);
  d1 = g_new (double, n_state);
  d2 = g_new (double, n_state);
  f1 = g_new0 (double, 4 * (gsize) n);
  f2 = g_new0 (double, 4 * (gsize) n);

  for (guint k = 0; k < G_N_ELEMENTS (times); k++)
    {
      const CdPiece *piece = cd_system_get_piece_at (sys, times[k]);
      CdForces fo1 = { f1, f1 + n, f1 + 2 * n, f1 + 3 * n };
      CdForces fo2 = { f2, f2 + n, f2 + 2 * n, f2 + 3 * n };

      memset (d1, 0xa5, n_state * sizeof (double));
      memset (d2, 0x5a, n_state * sizeof (double));
      cd_system_evaluate (sys, piece, times[k], y, d1, &fo1, ws1);
      cd_system_evaluate (other, piece, times[k], y, d2, &fo2, ws2);
      g_assert_cmpmem (d1, n_state * sizeof (double), d2, n_state * sizeof (double));
      g_assert_cmpmem (f1, 4 * n * sizeof (double), f2, 4 * n * sizeof (double));
      /* forces without rates */
      cd_system_evaluate (sys, piece, times[k], y, NULL, &fo1, ws1);
      cd_system_evaluate (other, piece, times[k], y, NULL, &fo2, ws2);
      g_assert_cmpmem (f1, 4 * n * sizeof (double), f2, 4 * n * sizeof (double));
      /* rates without forces, as the integrator asks (not always the bits
       * of rates with forces: the FMA variant of the node loop fuses
       * differently when it also stores the forces) */
      assert_same_rates (sys, ws1, other, ws2, times[k], y);
    }
}

static void
check_same_bits (const CdModel *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);

  g_assert_no_error (error);
  /* large enough to be shared, in more than one block */
  g_assert_cmpuint (cd_system_threads_worth_it (sys, 2), ==, 2);
  check_same_bits_of (sys, sys, 2);
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

/* The ways the node loop can give the trust rates (cd-system.c, FuseMode;
 * the vector loop of cd-system-sell.c where the processor has AVX-512),
 * which the engine chooses among by timing them: the same rates, to the
 * bit, with and without an emergency, in the file's order and the graph's,
 * for version 1 and 2.  Returns whether the vector loop was among them. */
static gboolean
check_trust_stores (const CdModel *model,
                    CdOrderChoice  order)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdWorkspace) by_branch = NULL;
  g_autofree double *y = NULL;
  const double times[] = { 1.0, 6.0, 26.0 };
  gboolean vector = FALSE;

  g_assert_no_error (error);
  cd_system_order (sys, order);
  by_branch = cd_workspace_new (sys);
  g_assert_true (cd_workspace_set_store_choice (sys, by_branch, CD_STORE_BRANCH));
  y = varied_state (sys);
  for (CdStoreWay way = CD_STORE_SELECT; way < CD_STORE_N_WAYS; way++)
    {
      g_autoptr(CdWorkspace) other = cd_workspace_new (sys);

      if (!cd_workspace_set_store_choice (sys, other, way))
        {
          g_assert_cmpint (way, ==, CD_STORE_VECTOR);
          continue;
        }
      vector |= way == CD_STORE_VECTOR;
      for (guint k = 0; k < G_N_ELEMENTS (times); k++)
        assert_same_rates (sys, by_branch, sys, other, times[k], y);
    }
  return vector;
}

static void
test_trust_stores_same_bits (void)
{
  g_autoptr(CdModel) one = cd_generate_national (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) two = cd_model_upgrade (one, &error);
  gboolean vector;

  g_assert_no_error (error);
  vector = check_trust_stores (one, CD_ORDER_FILE);
  g_assert_true (check_trust_stores (one, CD_ORDER_GRAPH) == vector);
  /* version 2 has no vector loop */
  g_assert_false (check_trust_stores (two, CD_ORDER_FILE));
  g_assert_false (check_trust_stores (two, CD_ORDER_GRAPH));
  if (!vector)
    g_test_message ("no AVX-512 here: the vector loop was not checked");
}

/* An evaluation in parts (cd_system_evaluate_begin, _granule, _end), as a
 * pipelined run shares it between two threads: the same bits as a whole
 * one whatever order the granules come in, every way of storing the trust
 * rates, with and without an emergency, version 1 and 2. */
static void
check_split_evaluation (const CdModel *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autofree double *y = NULL;
  const double times[] = { 1.0, 6.0, 26.0, 40.0 };
  guint n_state, n_granules;

  g_assert_no_error (error);
  n_state = cd_system_get_n_state (sys);
  n_granules = cd_system_n_granules (sys);
  g_assert_cmpuint (n_granules, >, 1);
  y = varied_state (sys);
  for (CdStoreWay way = CD_STORE_BRANCH; way < CD_STORE_N_WAYS; way++)
    {
      g_autoptr(CdWorkspace) whole = cd_workspace_new (sys);
      g_autoptr(CdWorkspace) parts = cd_workspace_new (sys);
      g_autofree double *d1 = g_new (double, n_state);
      g_autofree double *d2 = g_new (double, n_state);

      if (!cd_workspace_set_store_choice (sys, parts, way))
        continue;
      g_assert_true (cd_workspace_set_store_choice (sys, whole, way));
      g_assert_true (cd_system_can_split (sys, parts));
      for (guint k = 0; k < G_N_ELEMENTS (times); k++)
        {
          const CdPiece *piece = cd_system_get_piece_at (sys, times[k]);

          memset (d1, 0xa5, n_state * sizeof (double));
          memset (d2, 0x5a, n_state * sizeof (double));
          cd_system_evaluate (sys, piece, times[k], y, d1, NULL, whole);
          cd_system_evaluate_begin (sys, piece, times[k], parts);
          /* the last first, as a helper takes them */
          for (guint g = n_granules; g-- > 0;)
            cd_system_evaluate_granule (sys, piece, y, d2, parts, g);
          cd_system_evaluate_end (sys, piece, d2, parts);
          g_assert_cmpmem (d1, n_state * sizeof (double), d2, n_state * sizeof (double));
        }
    }
}

static void
test_split_evaluation (void)
{
  g_autoptr(CdModel) one = cd_generate_national (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) two = cd_model_upgrade (one, &error);

  g_assert_no_error (error);
  check_split_evaluation (one);
  check_split_evaluation (two);
}

typedef struct
{
  GArray *rows;   /* t, mean, loss, x… of every sample */
  guint   n;
  guint   n_trust;  /* and the trusts, when kept */
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
  if (k->n_trust)
    g_array_append_vals (k->rows, s->trust, k->n_trust);
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
  Keep k1 = { g_array_new (FALSE, FALSE, sizeof (double)), 0, 0 };
  Keep k2 = { g_array_new (FALSE, FALSE, sizeof (double)), 0, 0 };

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

/* The large model with its governments listed in a random order (the
 * partnerships, command lines and events as they were). */
static CdModel *
shuffled_model (guint32 seed)
{
  CdModel *model = large_model ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint i = model->nodes->len - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i + 1);
      gpointer t = model->nodes->pdata[i];

      model->nodes->pdata[i] = model->nodes->pdata[j];
      model->nodes->pdata[j] = t;
    }
  return model;
}

/* A system of `model` in the order `how` chooses. */
static CdSystem *
system_ordered (const CdModel *model,
                CdOrderChoice  how)
{
  g_autoptr(GError) error = NULL;
  CdSystem *sys = cd_system_new (model, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sys);
  cd_system_order (sys, how);
  return sys;
}

/* A run of t_end 6 (across the flood's onset) with trust and forces,
 * into k, on `threads` threads. */
static void
run_into (CdSystem *sys,
          guint     threads,
          Keep     *k)
{
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;

  k->rows = g_array_new (FALSE, FALSE, sizeof (double));
  k->n = cd_system_get_n_nodes (sys);
  k->n_trust = cd_system_get_n_partnerships (sys);
  opt.t_end = 6.0;
  opt.dt = 0.5;
  opt.threads = threads;
  opt.trust = TRUE;
  g_assert_true (cd_simulate (sys, &opt, keep_sample, k, NULL, &error));
  g_assert_no_error (error);
}

static void
check_graph_order (CdModel *model)
{
  g_autoptr(CdSystem) plain = system_ordered (model, CD_ORDER_FILE);
  g_autoptr(CdSystem) chosen = system_ordered (model, CD_ORDER_AUTO);
  g_autoptr(CdSystem) graph = system_ordered (model, CD_ORDER_GRAPH);
  Keep k1, k3;
#ifndef __SANITIZE_THREAD__
  Keep k2;
#endif

  g_assert_null (plain->order);
  /* a random order leaves most ties far apart: the default takes the graph's */
  g_assert_nonnull (chosen->order);
  g_assert_nonnull (graph->order);
#ifndef __SANITIZE_THREAD__
  /* The graph order on one thread.  Not under ThreadSanitizer (GCC defines
   * the macro there), which has only the two-thread evaluation and run to
   * watch, still compared with the file's order on one thread: these took
   * 11 s of test-scale's 34 s under TSan (loaded machine, 2026-12-06). */
  check_same_bits_of (plain, graph, 1);
  run_into (graph, 1, &k2);
#endif
  check_same_bits_of (plain, graph, 2);
  run_into (plain, 1, &k1);
  run_into (graph, 2, &k3);
  g_assert_cmpuint (k1.rows->len, ==, 13 * (3 + k1.n + k1.n_trust));
#ifndef __SANITIZE_THREAD__
  g_assert_cmpmem (k1.rows->data, k1.rows->len * sizeof (double),
                   k2.rows->data, k2.rows->len * sizeof (double));
  g_array_unref (k2.rows);
#endif
  g_assert_cmpmem (k1.rows->data, k1.rows->len * sizeof (double),
                   k3.rows->data, k3.rows->len * sizeof (double));
  g_array_unref (k1.rows);
  g_array_unref (k3.rows);
}

static void
test_graph_order_same_bits (void)
{
  g_autoptr(CdModel) model = shuffled_model (17);
  check_graph_order (model);
}

static void
test_graph_order_same_bits_v2 (void)
{
  g_autoptr(CdModel) model = shuffled_model (18);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) two = cd_model_upgrade (model, &error);

  g_assert_no_error (error);
  check_graph_order (two);
}

/* Every bundled example (several superiors, emergency command lines,
 * fixed governments, interventions), and its version-2 upgrade, in the graph
 * order forced: the same bits as in the file's order. */
static void
test_graph_order_examples (void)
{
  g_autoptr(GDir) dir = g_dir_open (SOURCE_EXAMPLES_DIR, 0, NULL);
  const char *name;
  guint seen = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (SOURCE_EXAMPLES_DIR, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CdModel) model = NULL;
      g_autoptr(CdModel) two = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      model = cd_model_load_file (path, &error);
      g_assert_no_error (error);
      two = model->version >= 2 ? NULL : cd_model_upgrade (model, &error);
      g_assert_no_error (error);
      for (guint v = 0; v < 2; v++)
        {
          const CdModel *m = v == 0 ? model : two;
          g_autoptr(CdSystem) plain = NULL;
          g_autoptr(CdSystem) graph = NULL;
          Keep k1, k2;

          if (m == NULL)
            continue;
          plain = system_ordered (m, CD_ORDER_FILE);
          graph = system_ordered (m, CD_ORDER_GRAPH);
          g_assert_nonnull (graph->order);
          check_same_bits_of (plain, graph, 1);
          run_into (plain, 1, &k1);
          run_into (graph, 1, &k2);
          g_assert_cmpmem (k1.rows->data, k1.rows->len * sizeof (double),
                           k2.rows->data, k2.rows->len * sizeof (double));
          g_array_unref (k1.rows);
          g_array_unref (k2.rows);
          seen++;
        }
    }
  g_assert_cmpuint (seen, >=, 9);
}

/* The generator's own order keeps partners near: no graph order. */
static void
test_graph_order_not_needed (void)
{
  g_autoptr(CdModel) model = large_model ();
  g_autoptr(CdSystem) sys = system_ordered (model, CD_ORDER_AUTO);

  g_assert_null (sys->order);
}

/* The same model with its governments listed in another order: every
 * government's coordination, at every sample, as in the file's order. */
static void
test_shuffled_file (void)
{
  g_autoptr(CdModel) model = large_model ();
  g_autoptr(CdModel) shuffled = shuffled_model (17);
  g_autoptr(CdSystem) a = system_ordered (model, CD_ORDER_AUTO);
  g_autoptr(CdSystem) b = system_ordered (shuffled, CD_ORDER_AUTO);
  g_autoptr(GHashTable) where = g_hash_table_new (g_str_hash, g_str_equal);
  const char *const *ids_a = cd_system_get_node_ids (a);
  const char *const *ids_b = cd_system_get_node_ids (b);
  Keep ka, kb;
  guint n, row, differ = 0;
  double worst = 0.0;

  g_assert_null (a->order);
  g_assert_nonnull (b->order);
  run_into (a, 1, &ka);
  run_into (b, 2, &kb);
  n = ka.n;
  row = 3 + n + ka.n_trust;
  g_assert_cmpuint (ka.rows->len, ==, kb.rows->len);
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (where, (gpointer) ids_b[i], GUINT_TO_POINTER (i));
  for (guint r = 0; r < ka.rows->len / row; r++)
    {
      const double *ra = &g_array_index (ka.rows, double, r * row);
      const double *rb = &g_array_index (kb.rows, double, r * row);

      g_assert_cmpfloat (ra[0], ==, rb[0]);
      for (guint i = 0; i < n; i++)
        {
          guint j = GPOINTER_TO_UINT (g_hash_table_lookup (where, ids_a[i]));
          double d = fabs (ra[3 + i] - rb[3 + j]);

          g_assert_cmpstr (ids_a[i], ==, ids_b[j]);
          differ += d != 0.0;
          worst = MAX (worst, d);
        }
      g_assert_cmpfloat_with_epsilon (ra[2], rb[2], 1e-12 * MAX (1.0, fabs (ra[2])));
    }
  g_test_message ("shuffled file: %u of %u values differ, by at most %g", differ,
                  n * (ka.rows->len / row), worst);
  g_assert_cmpfloat (worst, <=, 1e-12);
  g_array_unref (ka.rows);
  g_array_unref (kb.rows);
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
  g_test_add_func ("/engine/scale/trust-stores-same-bits", test_trust_stores_same_bits);
  g_test_add_func ("/engine/scale/split-evaluation", test_split_evaluation);
  g_test_add_func ("/engine/scale/graph-order-same-bits", test_graph_order_same_bits);
  g_test_add_func ("/engine/scale/graph-order-same-bits-v2", test_graph_order_same_bits_v2);
  g_test_add_func ("/engine/scale/graph-order-examples", test_graph_order_examples);
  g_test_add_func ("/engine/scale/graph-order-not-needed", test_graph_order_not_needed);
  g_test_add_func ("/engine/scale/shuffled-file", test_shuffled_file);
  return g_test_run ();
}
