/* test-sparse.c — the sparse path of the equilibria: Jacobian structure and
 * colouring, eigenvalues, and agreement with the dense path.
 *
 * - Structure: on random models (partnerships, command lines, fixed
 *   governments, an emergency in force, either rule, trust moving or held)
 *   the coloured finite-difference Jacobian equals the dense one column by
 *   column, and every entry the dense one finds is inside the structure.
 *   Version-2 models take the same test once the engine reads them.
 * - A structure that misses a coupling is caught, not used.
 * - Eigenvalues: ARPACK's rightmost eigenvalues of random sparse matrices,
 *   Metzler (shift-invert) or not ("LR"), against every eigenvalue from
 *   gsl_eigen_nonsymm.
 * - Dense against sparse: on the examples and random models, each
 *   equilibrium one path finds is a root for the other, with the same
 *   stability and the same largest real part; where both find a single
 *   equilibrium it is the same state.
 * - Above the old 400-dimension limit the analysis runs, on the sparse
 *   path, and its stability agrees with a dense eigen-decomposition.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>

#include "cd-analysis-equilibria.h"
#include "cd-analysis-sweep.h"
#include "cd-generate.h"
#include "cd-jacobian.h"
#include "cd-model-json.h"
#include "cd-sparse-linalg.h"
/* a white-box test of the engine's sparse path: it maps the state the way
 * cd-analysis-equilibria.c does, from the system's own arrays */
#include "cd-system-private.h"

#define JAC_STEP 1e-6

/* ---- random models ------------------------------------------------------------ */

typedef struct
{
  guint    version;
  guint    n_nodes;
  gboolean replicator;
  gboolean hold_trust;
  gboolean emergency;
} Shape;

static double
uniform (GRand  *rng,
         double  lo,
         double  hi)
{
  return g_rand_double_range (rng, lo, hi);
}

static CdModel *
random_model (GRand       *rng,
              const Shape *shape)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const guint n = shape->n_nodes;
  double partner_p = MIN (1.0, 3.0 / MAX (n, 1)), command_p = MIN (1.0, 1.5 / MAX (n, 1));
  gboolean first = TRUE;
  CdModel *model;

  g_string_append_printf (json, "{ \"format\": \"coordyn-model\", \"version\": %u,",
                          shape->version);
  g_string_append_printf (json,
    " \"parameters\": {"
    "  \"gravity\": {\"interest\": %.6f, \"trust\": %.6f},"
    "  \"pressure\": {\"admin\": %.6f, \"crisis\": %.6f%s},"
    "  \"thrust\": {\"info\": %.6f, \"appraisal\": %.6f},",
    uniform (rng, 0, 3), uniform (rng, 0, 3), uniform (rng, 0, 2), uniform (rng, 0, 3),
    shape->version == 2 ? ", \"command\": 1.5" : "", uniform (rng, 0, 1), uniform (rng, 0, 1));
  if (shape->version == 2)
    g_string_append_printf (json,
      "  \"resistance\": {\"ideas\": %.6f, \"powers\": %.6f, \"burden\": %.6f,"
      "                  \"compensation\": %.6f, \"supervision\": %.6f, \"law\": %.6f},",
      uniform (rng, 0, 2), uniform (rng, 0, 2), uniform (rng, 0, 2), uniform (rng, 0, 1),
      uniform (rng, 0, 1), uniform (rng, 0, 1));
  else
    g_string_append_printf (json,
      "  \"resistance\": {\"fragmentation\": %.6f, \"burden\": %.6f,"
      "                  \"compensation\": %.6f, \"supervision\": %.6f, \"law\": %.6f},",
      uniform (rng, 0, 3), uniform (rng, 0, 2), uniform (rng, 0, 1), uniform (rng, 0, 1),
      uniform (rng, 0, 1));
  g_string_append_printf (json,
    "  \"dynamics\": {\"rule\": \"%s\", \"rationality\": %.6f, \"rate\": %.6f,"
    "                \"trust_gain\": %.6f, \"trust_decay\": %.6f} },",
    shape->replicator ? "replicator" : "logit", uniform (rng, 1, 8), uniform (rng, 0.3, 2),
    shape->hold_trust ? 0.0 : uniform (rng, 0.05, 1), shape->hold_trust ? 0.0
                                                                        : uniform (rng, 0.05, 1));
  g_string_append (json, " \"nodes\": [");
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (json, "%s{\"id\": \"n%u\", \"capacity\": %.6f, "
                              "\"vulnerability\": %.6f, \"x0\": %.6f%s",
                              i ? ", " : "", i, uniform (rng, 0, 1), uniform (rng, 0, 1),
                              uniform (rng, 0, 1),
                              g_rand_double (rng) < 0.15 ? ", \"fixed\": true" : "");
      if (shape->version == 2)
        g_string_append_printf (json, ", \"fragmentation_ideas\": %.6f, "
                                "\"fragmentation_powers\": %.6f, \"appraisal\": %.6f}",
                                uniform (rng, 0, 1), uniform (rng, 0, 1), uniform (rng, 0, 1));
      else
        g_string_append_printf (json, ", \"fragmentation\": %.6f}", uniform (rng, 0, 1));
    }
  g_string_append (json, "], \"edges\": [");
  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        if (g_rand_double (rng) < partner_p)
          {
            g_string_append_printf (json, "%s{\"kind\": \"partnership\", \"source\": \"n%u\", "
                                    "\"target\": \"n%u\", \"interest\": %.6f, \"trust\": %.6f, "
                                    "\"info\": %.6f}", first ? "" : ", ", i, j,
                                    uniform (rng, 0, 1), uniform (rng, 0, 1),
                                    uniform (rng, 0, 1));
            first = FALSE;
          }
        /* superiors come first in the file: no command cycle */
        if (g_rand_double (rng) < command_p)
          {
            g_string_append_printf (json, "%s{\"kind\": \"command\", \"source\": \"n%u\", "
                                    "\"target\": \"n%u\", \"weight\": %.6f%s}",
                                    first ? "" : ", ", i, j, uniform (rng, 0.1, 1),
                                    shape->version == 2 && g_rand_boolean (rng)
                                    ? ", \"role\": \"emergency\"" : "");
            first = FALSE;
          }
      }
  g_string_append (json, "]");
  if (shape->emergency && n > 0)
    g_string_append_printf (json, ", \"events\": [{\"onset\": 0, \"magnitude\": 1.5, "
                            "\"decay\": 5, \"impact\": {\"n0\": 1, \"n%u\": 0.6}}]", n / 2);
  g_string_append (json, " }");
  model = cd_model_load_data (json->str, json->len, &error);
  g_assert_no_error (error);
  return model;
}

/* ---- the structure ---------------------------------------------------------------- */

typedef struct
{
  const CdSystem *sys;
  const CdPiece  *piece;
  CdWorkspace    *ws;
  const guint    *map;
  guint           dim;
  double         *y;
  double         *dydt;
} Rhs;

static gboolean
rhs (const double *z,
     double       *f,
     gpointer      data)
{
  Rhs *r = data;

  for (guint k = 0; k < r->dim; k++)
    r->y[r->map[k]] = z[k];
  cd_system_evaluate (r->sys, r->piece, 1.0, r->y, r->dydt, NULL, r->ws);
  for (guint k = 0; k < r->dim; k++)
    f[k] = r->dydt[r->map[k]];
  return TRUE;
}

/* The coloured Jacobian of the whole state (every x that is not fixed, and
 * trust unless held) at a random point, against the dense one. */
static void
check_structure (const CdModel *model,
                 GRand         *rng,
                 gboolean       with_trust)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdWorkspace) ws = NULL;
  g_autoptr(CdJacobian) jac = NULL;
  g_autofree guint *map = NULL;
  g_autofree double *z = NULL, *zp = NULL, *fp = NULL, *fm = NULL, *dense = NULL;
  const CdSparseMatrix *m;
  guint dim = 0, max_row = 0;
  Rhs r;

  g_assert_no_error (error);
  ws = cd_workspace_new (sys);
  map = g_new (guint, sys->n_state);
  for (guint i = 0; i < sys->n_nodes; i++)
    if (!sys->fixed[i])
      map[dim++] = i;
  if (with_trust)
    for (guint e = 0; e < sys->n_partnerships; e++)
      map[dim++] = sys->n_nodes + e;
  r = (Rhs) { sys, &sys->pieces[sys->n_pieces - 1], ws, map, dim,
              g_new (double, sys->n_state), g_new (double, sys->n_state) };
  cd_system_initial_state (sys, r.y);
  z = g_new (double, MAX (dim, 1));
  zp = g_new (double, MAX (dim, 1));
  fp = g_new (double, MAX (dim, 1));
  fm = g_new (double, MAX (dim, 1));
  dense = g_new0 (double, MAX ((gsize) dim * dim, 1));
  for (guint k = 0; k < dim; k++)
    z[k] = g_rand_double (rng);

  jac = cd_jacobian_new_for_system (sys, map, dim);
  m = cd_jacobian_matrix (jac);
  g_assert_true (cd_jacobian_evaluate (jac, rhs, &r, z, JAC_STEP));

  /* dense, column by column */
  memcpy (zp, z, dim * sizeof (double));
  for (guint k = 0; k < dim; k++)
    {
      zp[k] = z[k] + JAC_STEP;
      rhs (zp, fp, &r);
      zp[k] = z[k] - JAC_STEP;
      rhs (zp, fm, &r);
      zp[k] = z[k];
      for (guint i = 0; i < dim; i++)
        dense[(gsize) i * dim + k] = (fp[i] - fm[i]) / (2 * JAC_STEP);
    }
  for (guint k = 0; k < dim; k++)
    {
      int q = m->col_start[k];
      for (guint i = 0; i < dim; i++)
        {
          double d = dense[(gsize) i * dim + k];
          if (q < m->col_start[k + 1] && m->row_index[q] == (int) i)
            {
              /* the same differences of the same evaluations, but with
               * the other columns of its colour moved too */
              g_assert_cmpfloat_with_epsilon (m->value[q], d, 1e-7 * MAX (1.0, fabs (d)));
              q++;
            }
          else if (d != 0.0)
            g_error ("row %u depends on column %u (%g) outside the structure", i, k, d);
        }
      g_assert_cmpint (q, ==, m->col_start[k + 1]);
    }
  /* Structurally orthogonal colours need at least a row's worth. */
  for (guint k = 0; k < dim; k++)
    {
      guint in_row = 0;
      for (guint l = 0; l < dim; l++)
        for (int q = m->col_start[l]; q < m->col_start[l + 1]; q++)
          in_row += m->row_index[q] == (int) k;
      max_row = MAX (max_row, in_row);
    }
  g_assert_cmpuint (cd_jacobian_n_colours (jac), >=, max_row);
  g_assert_cmpuint (cd_jacobian_n_colours (jac), <=, MAX (dim, 1));
  g_free (r.y);
  g_free (r.dydt);
}

static void
test_structure (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (17);

  for (guint trial = 0; trial < 60; trial++)
    {
      Shape shape = { 1, 1 + g_rand_int_range (rng, 0, 40), g_rand_boolean (rng),
                      trial % 5 == 0, trial % 2 == 0 };
      g_autoptr(CdModel) model = random_model (rng, &shape);

      check_structure (model, rng, !shape.hold_trust);
    }
}

static void
test_structure_model2 (void)
{
  static const char probe[] = "{ \"version\": 2, \"nodes\": [ {\"id\": \"a\"} ] }";
  g_autoptr(GRand) rng = g_rand_new_with_seed (23);
  g_autoptr(CdModel) reads = cd_model_load_data (probe, strlen (probe), NULL);

  if (reads == NULL)
    {
      g_test_skip ("SKIP: this engine does not read version-2 models yet; the structure "
                   "test runs on them as soon as it does");
      return;
    }
  for (guint trial = 0; trial < 60; trial++)
    {
      Shape shape = { 2, 1 + g_rand_int_range (rng, 0, 40), g_rand_boolean (rng),
                      trial % 5 == 0, trial % 2 == 0 };
      g_autoptr(CdModel) model = random_model (rng, &shape);

      check_structure (model, rng, !shape.hold_trust);
    }
}

/* f_0 depends on z_2, which the structure does not say. */
static gboolean
coupled (const double *z,
         double       *f,
         gpointer      data)
{
  f[0] = z[0] + z[2] * z[2];
  f[1] = z[1];
  f[2] = z[1] + z[2];
  return TRUE;
}

static void
test_structure_missing_coupling (void)
{
  /* rows 0 and 1: the diagonal; row 2: columns 1 and 2 */
  const guint row_start[4] = { 0, 0, 0, 1 };
  const guint column[1] = { 1 };
  g_autoptr(CdJacobian) jac = cd_jacobian_new (3, row_start, column);
  const double z[3] = { 0.2, 0.4, 0.6 };

  /* Columns 1 and 2 share row 2, so column 2 has a colour of its own
   * (column 0 goes with column 1); row 0 moves under it, holding none of
   * its columns.  (A coupling to a column of a colour the row does hold
   * cannot be told from the row's own entry: the tests above compare with
   * the dense Jacobian for that.) */
  g_assert_cmpuint (cd_jacobian_n_colours (jac), ==, 2);
  g_test_expect_message (NULL, G_LOG_LEVEL_CRITICAL, "*misses a coupling*");
  g_assert_false (cd_jacobian_evaluate (jac, coupled, NULL, z, JAC_STEP));
  g_test_assert_expected_messages ();
}

/* ---- eigenvalues ------------------------------------------------------------------ */

/* A random sparse matrix with about `per_row` off-diagonal entries per row:
 * Metzler (≥ 0 off the diagonal) or with random signs. */
static CdJacobian *
random_matrix (GRand    *rng,
               guint     n,
               guint     per_row,
               gboolean  metzler,
               double  **dense_out)
{
  g_autofree guint *row_start = g_new0 (guint, n + 1);
  g_autoptr(GArray) column = g_array_new (FALSE, FALSE, sizeof (guint));
  double *dense = g_new0 (double, (gsize) n * n);
  CdJacobian *jac;
  CdSparseMatrix *m;

  for (guint i = 0; i < n; i++)
    {
      for (guint p = 0; p < per_row; p++)
        {
          guint j = g_rand_int_range (rng, 0, n);
          g_array_append_val (column, j);
        }
      row_start[i + 1] = column->len;
    }
  jac = cd_jacobian_new (n, row_start, (const guint *) column->data);
  m = (CdSparseMatrix *) cd_jacobian_matrix (jac);
  for (guint k = 0; k < n; k++)
    for (int q = m->col_start[k]; q < m->col_start[k + 1]; q++)
      {
        guint i = m->row_index[q];
        double v = i == k ? uniform (rng, -3, -0.5)
                          : (metzler ? uniform (rng, 0, 0.6) : uniform (rng, -0.6, 0.6));
        m->value[q] = v;
        dense[(gsize) i * n + k] = v;
      }
  *dense_out = dense;
  return jac;
}

static void
check_eigenvalues (guint    n,
                   gboolean metzler,
                   guint32  seed)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (seed);
  g_autofree double *dense = NULL;
  g_autoptr(CdJacobian) jac = random_matrix (rng, n, 3, metzler, &dense);
  const CdSparseMatrix *m = cd_jacobian_matrix (jac);
  g_autoptr(CdSparseLU) lu = cd_sparse_lu_new (m);
  gsl_matrix_view view = gsl_matrix_view_array (dense, n, n);
  gsl_vector_complex *eval = gsl_vector_complex_alloc (n);
  gsl_eigen_nonsymm_workspace *w = gsl_eigen_nonsymm_alloc (n);
  double re[6], im[6], rightmost = -G_MAXDOUBLE;
  guint found = 0;

  g_assert_nonnull (lu);
  g_assert_true (cd_sparse_rightmost_eigenvalues (m, lu, 6, NULL, re, im, &found, NULL));
  g_assert_cmpuint (found, >=, 1);
  g_assert_cmpint (gsl_eigen_nonsymm (&view.matrix, eval, w), ==, 0);
  for (guint k = 0; k < n; k++)
    rightmost = MAX (rightmost, GSL_REAL (gsl_vector_complex_get (eval, k)));
  g_test_message ("n = %u, %s: rightmost %.12g, ARPACK %.12g%+.3gi (%u found)", n,
                  metzler ? "Metzler" : "any signs", rightmost, re[0], im[0], found);
  g_assert_cmpfloat_with_epsilon (re[0], rightmost, 1e-8 * MAX (1.0, fabs (rightmost)));
  /* every one it gives is an eigenvalue, rightmost first */
  for (guint j = 0; j < found; j++)
    {
      double nearest = G_MAXDOUBLE;
      for (guint k = 0; k < n; k++)
        {
          gsl_complex c = gsl_vector_complex_get (eval, k);
          nearest = MIN (nearest, hypot (GSL_REAL (c) - re[j], GSL_IMAG (c) - im[j]));
        }
      g_assert_cmpfloat (nearest, <, 1e-7);
      if (j > 0)
        g_assert_cmpfloat (re[j], <=, re[j - 1]);
    }
  /* one factorization says on which side of a threshold it lies */
  if (metzler)
    {
      g_autoptr(CdSparseLU) unpivoted = cd_sparse_lu_new_unpivoted (m);
      g_assert_cmpint (cd_sparse_metzler_stable (m, unpivoted, rightmost + 1e-6), ==, 1);
      g_assert_cmpint (cd_sparse_metzler_stable (m, unpivoted, rightmost - 1e-6), ==, 0);
    }
  else
    {
      g_autoptr(CdSparseLU) unpivoted = cd_sparse_lu_new_unpivoted (m);
      g_assert_cmpint (cd_sparse_metzler_stable (m, unpivoted, 0.0), ==, -1);
    }
  gsl_eigen_nonsymm_free (w);
  gsl_vector_complex_free (eval);
}

static void
test_eigenvalues (void)
{
  check_eigenvalues (40, TRUE, 1);
  check_eigenvalues (150, TRUE, 2);
  check_eigenvalues (400, TRUE, 3);
  check_eigenvalues (60, FALSE, 4);
  check_eigenvalues (200, FALSE, 5);
}

static void
test_lu (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (9);
  g_autofree double *dense = NULL;
  g_autoptr(CdJacobian) jac = random_matrix (rng, 300, 4, FALSE, &dense);
  const CdSparseMatrix *m = cd_jacobian_matrix (jac);
  g_autoptr(CdSparseLU) lu = cd_sparse_lu_new (m);
  double x[300], b[300], back[300];

  for (guint k = 0; k < 300; k++)
    x[k] = uniform (rng, -1, 1);
  /* (M − 0.5 I) x = b, solved back */
  cd_sparse_matrix_multiply (m, x, b);
  for (guint k = 0; k < 300; k++)
    b[k] -= 0.5 * x[k];
  memcpy (back, b, sizeof back);
  g_assert_true (cd_sparse_lu_factor (lu, m, 0.5));
  g_assert_true (cd_sparse_lu_solve (lu, back));
  for (guint k = 0; k < 300; k++)
    g_assert_cmpfloat_with_epsilon (back[k], x[k], 1e-10);
}

/* ---- dense against sparse --------------------------------------------------------- */

/* Each equilibrium of `found` is a root for `problem` too, with the same
 * stability and largest real part. */
static void
check_roots_agree (CdEqProblem     *problem,
                   const GPtrArray *found,
                   guint            n_state)
{
  guint dim = cd_eq_problem_dim (problem);
  g_autofree double *z = g_new (double, MAX (dim, 1));
  g_autofree double *z0 = g_new (double, MAX (dim, 1));

  for (guint i = 0; i < found->len; i++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (found, i);
      CdEquilibrium other = { 0 };
      gboolean stable = FALSE;
      double moved = 0.0;

      cd_eq_problem_pack (problem, eq->y, z0);
      memcpy (z, z0, MAX (dim, 1) * sizeof (double));
      g_assert_true (cd_eq_problem_solve (problem, z));
      for (guint k = 0; k < dim; k++)
        moved = MAX (moved, fabs (z[k] - z0[k]));
      g_assert_cmpfloat (moved, <, 1e-8);
      g_assert_true (cd_eq_problem_classify (problem, z, &other));
      g_assert_cmpint (other.stable, ==, eq->stable);
      /* the sweeps' cheaper test says the same */
      g_assert_true (cd_eq_problem_is_stable (problem, z, &stable));
      g_assert_cmpint (stable, ==, eq->stable);
      g_assert_cmpfloat_with_epsilon (other.max_real, eq->max_real,
                                      1e-6 * MAX (1.0, fabs (eq->max_real)));
      g_free (other.eigen_re);
      g_free (other.eigen_im);
    }
}

static guint
check_dense_and_sparse (const CdModel *model,
                        const char    *name)
{
  CdEquilibriaOptions dense_options = CD_EQUILIBRIA_OPTIONS_INIT;
  CdEquilibriaOptions sparse_options = CD_EQUILIBRIA_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(CdEquilibria) dense = NULL;
  g_autoptr(CdEquilibria) sparse = NULL;
  g_autoptr(CdEqProblem) as_dense = NULL;
  g_autoptr(CdEqProblem) as_sparse = NULL;
  CdParameters params;

  dense_options.method = CD_EQ_METHOD_DENSE;
  sparse_options.method = CD_EQ_METHOD_SPARSE;
  dense = cd_find_equilibria (model, 0.0, &dense_options, NULL, &error);
  g_assert_no_error (error);
  sparse = cd_find_equilibria (model, 0.0, &sparse_options, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (dense->sparse);
  g_assert_true (sparse->sparse);
  g_test_message ("%s: %u state dimensions; dense found %u equilibria, sparse %u", name,
                  dense->n_state, dense->equilibria->len, sparse->equilibria->len);

  cd_model_parameters_at (model, 0.0, &params);
  as_dense = cd_eq_problem_new (dense->system, params.values, dense->trust_held,
                                CD_EQ_METHOD_DENSE, &error);
  g_assert_no_error (error);
  as_sparse = cd_eq_problem_new (dense->system, params.values, dense->trust_held,
                                 CD_EQ_METHOD_SPARSE, &error);
  g_assert_no_error (error);
  check_roots_agree (as_sparse, dense->equilibria, dense->n_state);
  check_roots_agree (as_dense, sparse->equilibria, dense->n_state);

  if (dense->equilibria->len == 1 && sparse->equilibria->len == 1)
    {
      const CdEquilibrium *a = g_ptr_array_index (dense->equilibria, 0);
      const CdEquilibrium *b = g_ptr_array_index (sparse->equilibria, 0);
      for (guint k = 0; k + 1 < dense->n_state; k++)
        g_assert_cmpfloat_with_epsilon (a->y[k], b->y[k], 1e-8);
      return 1;
    }
  return 0;
}

static void
test_dense_and_sparse_examples (void)
{
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");
  g_autoptr(GDir) examples = NULL;
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  examples = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (examples);
  while ((name = g_dir_read_name (examples)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(CdModel) model = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      model = cd_model_load_file (path, &error);
      g_assert_no_error (error);
      check_dense_and_sparse (model, name);
      n++;
    }
  g_assert_cmpuint (n, >=, 5);
}

static void
test_dense_and_sparse_random (void)
{
  g_autoptr(GRand) rng = g_rand_new_with_seed (5);
  guint single = 0;

  for (guint trial = 0; trial < 16; trial++)
    {
      Shape shape = { 1, 8 + g_rand_int_range (rng, 0, 40), trial % 4 == 3, trial % 5 == 4,
                      FALSE };
      g_autoptr(CdModel) model = random_model (rng, &shape);
      g_autofree char *name = g_strdup_printf ("random model %u", trial);

      single += check_dense_and_sparse (model, name);
    }
  /* the same single equilibrium was compared on some of them */
  g_test_message ("%u models with one equilibrium on both paths", single);
  g_assert_cmpuint (single, >=, 3);
}

/* A sweep through a tipping point and back: the same rows on both paths
 * (the sweep takes its path from COORDYN_EQ_METHOD, as the tests do). */
static void
test_dense_and_sparse_sweep (void)
{
  g_autoptr(CdModel) model = cd_generate_hierarchy (2, 3, 9, 24);
  CdSweep *sweep[2] = { NULL, NULL };
  const char *methods[2] = { "dense", "sparse" };
  guint n_tipping = 0;

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GError) error = NULL;

      g_setenv ("COORDYN_EQ_METHOD", methods[k], TRUE);
      sweep[k] = cd_sweep_run (model, CD_PARAM_RESISTANCE_FRAGMENTATION, 0.0, 8.0, 16, 0.0,
                               FALSE, NULL, NULL, NULL, &error);
      g_unsetenv ("COORDYN_EQ_METHOD");
      g_assert_no_error (error);
    }
  g_assert_cmpuint (sweep[0]->points->len, ==, sweep[1]->points->len);
  for (guint i = 0; i < sweep[0]->points->len; i++)
    {
      const CdSweepPoint *a = &g_array_index (sweep[0]->points, CdSweepPoint, i);
      const CdSweepPoint *b = &g_array_index (sweep[1]->points, CdSweepPoint, i);

      g_assert_cmpfloat (a->value, ==, b->value);
      g_assert_cmpint (a->direction, ==, b->direction);
      g_assert_cmpint (a->stable, ==, b->stable);
      g_assert_cmpint (a->tipping, ==, b->tipping);
      g_assert_cmpuint (a->branch, ==, b->branch);
      g_assert_cmpfloat_with_epsilon (a->mean_coordination, b->mean_coordination, 1e-7);
      n_tipping += a->tipping;
    }
  g_test_message ("%u points, %u tipping", sweep[0]->points->len, n_tipping);
  g_assert_cmpuint (n_tipping, >=, 1);
  cd_sweep_free (sweep[0]);
  cd_sweep_free (sweep[1]);
}

/* Above the old limit of 400 dimensions: the analysis runs, on the sparse
 * path, and ARPACK's verdict agrees with every eigenvalue of the dense
 * Jacobian. */
static void
test_beyond_dense_limit (void)
{
  g_autoptr(CdModel) model = cd_generate_hierarchy (3, 8, 24, 120);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdEquilibria) eqs = NULL;
  CdEquilibriaOptions options = CD_EQUILIBRIA_OPTIONS_INIT;

  options.n_random = 4;
  eqs = cd_find_equilibria (model, 0.0, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (eqs->sparse);
  g_assert_false (eqs->trust_held);
  g_assert_cmpuint (eqs->n_state - 1, >, 400);
  g_assert_cmpuint (eqs->equilibria->len, >=, 1);
  for (guint i = 0; i < eqs->equilibria->len; i++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (eqs->equilibria, i);
      CdParameters params;
      g_autoptr(CdEqProblem) problem = NULL;
      g_autoptr(CdJacobian) jac = NULL;
      g_autofree guint *map = NULL;
      g_autofree double *z = NULL;
      g_autoptr(CdWorkspace) ws = cd_workspace_new (eqs->system);
      gsl_matrix *dense;
      gsl_vector_complex *eval;
      gsl_eigen_nonsymm_workspace *w;
      const CdSparseMatrix *m;
      double rightmost = -G_MAXDOUBLE;
      guint dim;
      CdPiece piece = { 0 };
      Rhs r;

      cd_model_parameters_at (model, 0.0, &params);
      problem = cd_eq_problem_new (eqs->system, params.values, eqs->trust_held,
                                   CD_EQ_METHOD_SPARSE, &error);
      g_assert_no_error (error);
      dim = cd_eq_problem_dim (problem);
      map = g_new (guint, dim);
      z = g_new (double, dim);
      for (guint k = 0, i_node = 0; i_node < eqs->system->n_nodes; i_node++)
        if (!eqs->system->fixed[i_node])
          map[k++] = i_node;
      for (guint e = 0; e < eqs->system->n_partnerships; e++)
        map[dim - eqs->system->n_partnerships + e] = eqs->system->n_nodes + e;
      cd_eq_problem_pack (problem, eq->y, z);
      memcpy (piece.params, params.values, sizeof piece.params);
      r = (Rhs) { eqs->system, &piece, ws, map, dim, g_memdup2 (eq->y, eqs->n_state * sizeof (double)),
                  g_new (double, eqs->n_state) };
      jac = cd_jacobian_new_for_system (eqs->system, map, dim);
      g_assert_true (cd_jacobian_evaluate (jac, rhs, &r, z, JAC_STEP));
      m = cd_jacobian_matrix (jac);
      dense = gsl_matrix_calloc (dim, dim);
      for (guint k = 0; k < dim; k++)
        for (int q = m->col_start[k]; q < m->col_start[k + 1]; q++)
          gsl_matrix_set (dense, m->row_index[q], k, m->value[q]);
      eval = gsl_vector_complex_alloc (dim);
      w = gsl_eigen_nonsymm_alloc (dim);
      g_assert_cmpint (gsl_eigen_nonsymm (dense, eval, w), ==, 0);
      for (guint k = 0; k < dim; k++)
        rightmost = MAX (rightmost, GSL_REAL (gsl_vector_complex_get (eval, k)));
      g_test_message ("x̄ = %.6f: ARPACK %.12g, every eigenvalue %.12g", eq->mean_coordination,
                      eq->max_real, rightmost);
      g_assert_cmpfloat_with_epsilon (eq->max_real, rightmost, 1e-7);
      g_assert_cmpint (eq->stable, ==, rightmost < -1e-8);
      gsl_eigen_nonsymm_free (w);
      gsl_vector_complex_free (eval);
      gsl_matrix_free (dense);
      g_free (r.y);
      g_free (r.dydt);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/sparse/structure", test_structure);
  g_test_add_func ("/analysis/sparse/structure-model2", test_structure_model2);
  g_test_add_func ("/analysis/sparse/structure-missing-coupling",
                   test_structure_missing_coupling);
  g_test_add_func ("/analysis/sparse/lu", test_lu);
  g_test_add_func ("/analysis/sparse/eigenvalues", test_eigenvalues);
  g_test_add_func ("/analysis/sparse/dense-and-sparse/examples", test_dense_and_sparse_examples);
  g_test_add_func ("/analysis/sparse/dense-and-sparse/random", test_dense_and_sparse_random);
  g_test_add_func ("/analysis/sparse/dense-and-sparse/sweep", test_dense_and_sparse_sweep);
  g_test_add_func ("/analysis/sparse/beyond-dense-limit", test_beyond_dense_limit);
  return g_test_run ();
}
