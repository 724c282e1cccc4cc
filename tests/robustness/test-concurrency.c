/* test-concurrency.c — one compiled system, four threads at once.
 *
 * The app runs simulations, sweeps and Monte Carlo batches on worker
 * threads from a compiled CdSystem while the user goes on editing the
 * CdModel.  That is safe only if a CdSystem is immutable and shares nothing
 * with the model it came from: this test integrates one system from four
 * threads while the main thread edits (and finally frees) the model, and
 * requires every thread to get the serial result bit for bit.  Under TSan
 * (.ci/sanitizers.sh) it also checks there is no data race.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cd-generate.h"
#include "cd-model-json.h"
#include "cd-simulate.h"
#include "cd-system.h"

#define N_THREADS 4

typedef struct
{
  const CdSystem *sys;
  CdRunOptions    options;
  GCancellable   *cancellable;
  CdTrajectory   *result;
  char           *error;
  gint           *finished;   /* atomic count of jobs done */
} Job;

static gpointer
job_thread (gpointer data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;

  job->result = cd_simulate_trajectory (job->sys, &job->options, job->cancellable, &error);
  if (error)
    job->error = g_strdup (error->message);
  g_atomic_int_inc (job->finished);
  return NULL;
}

static void
assert_same_array (const double *a,
                   const double *b,
                   gsize         n,
                   const char   *what)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a != NULL && memcmp (a, b, n * sizeof (double)) != 0)
    for (gsize i = 0; i < n; i++)
      if (memcmp (&a[i], &b[i], sizeof (double)) != 0)
        g_error ("%s[%" G_GSIZE_FORMAT "] differs: %.17g vs %.17g", what, i, a[i], b[i]);
}

static void
assert_same_trajectory (const CdTrajectory *a,
                        const CdTrajectory *b)
{
  gsize rows = a->n_samples, n = a->n_nodes;

  g_assert_cmpuint (a->n_samples, ==, b->n_samples);
  g_assert_cmpuint (a->n_nodes, ==, b->n_nodes);
  g_assert_cmpuint (a->n_partnerships, ==, b->n_partnerships);
  assert_same_array (a->t, b->t, rows, "t");
  assert_same_array (a->mean_coordination, b->mean_coordination, rows, "mean_coordination");
  assert_same_array (a->loss, b->loss, rows, "loss");
  assert_same_array (a->x, b->x, rows * n, "x");
  assert_same_array (a->trust, b->trust, rows * a->n_partnerships, "trust");
  assert_same_array (a->gravity, b->gravity, rows * n, "gravity");
  assert_same_array (a->pressure, b->pressure, rows * n, "pressure");
  assert_same_array (a->thrust, b->thrust, rows * n, "thrust");
  assert_same_array (a->resistance, b->resistance, rows * n, "resistance");
}

/* The kinds of edit the app makes while a run is going. */
static void
edit_model (CdModel *model,
            guint    round)
{
  CdNode *node;
  CdEdge *edge;

  model->params.values[CD_PARAM_DYNAMICS_RATIONALITY] = 1.0 + round;
  model->params.values[CD_PARAM_RESISTANCE_LAW] = (round % 10) / 10.0;
  model->sim.t_end = 10.0 + round;
  node = model->nodes->pdata[round % model->nodes->len];
  node->x0 = (round % 7) / 7.0;
  node->capacity = (round % 5) / 5.0;
  g_free (node->name);
  node->name = g_strdup_printf ("renamed %u", round);
  if (model->edges->len > 0)
    {
      edge = model->edges->pdata[round % model->edges->len];
      edge->weight = 0.5;
      edge->trust = 0.9;
    }
  if (model->nodes->len > 2)
    cd_model_remove_node (model, model->nodes->len - 1);
}

static void
test_four_threads_one_system (void)
{
  g_autoptr(CdModel) model = cd_generate_national (20261128);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(CdTrajectory) serial = NULL;
  g_autoptr(GCancellable) never = g_cancellable_new ();
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  Job jobs[N_THREADS];
  GThread *threads[N_THREADS];
  guint rounds = 0;
  gint finished = 0;

  sys = cd_system_new (model, &error);
  g_assert_no_error (error);
  g_test_message ("%u governments, %u partnerships", cd_system_get_n_nodes (sys),
                  cd_system_get_n_partnerships (sys));

  /* Forces and trust too, so every code path that writes output runs. */
  options.forces = TRUE;
  options.trust = TRUE;
  options.t_end = 4.0;
  options.dt = 0.25;
  serial = cd_simulate_trajectory (sys, &options, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_THREADS; i++)
    {
      jobs[i] = (Job) { sys, options, never, NULL, NULL, &finished };
      threads[i] = g_thread_new ("simulate", job_thread, &jobs[i]);
    }

  /* Edit the model until half the threads are done, then free it while the
   * others may still run: the system must not see any of it. */
  while (g_atomic_int_get (&finished) < N_THREADS / 2)
    {
      edit_model (model, rounds++);
      g_thread_yield ();
    }
  g_clear_pointer (&model, cd_model_free);

  for (guint i = 0; i < N_THREADS; i++)
    {
      g_thread_join (threads[i]);
      if (jobs[i].error)
        g_error ("thread %u: %s", i, jobs[i].error);
      g_assert_nonnull (jobs[i].result);
      assert_same_trajectory (serial, jobs[i].result);
      cd_trajectory_free (jobs[i].result);
    }
  g_assert_cmpuint (rounds, >, 0);
  g_test_message ("%u edit rounds on the main thread during the runs", rounds);
}

static void
test_cancel_one_of_many (void)
{
  g_autoptr(CdModel) model = cd_generate_national (7);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdTrajectory) serial = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GCancellable) never = g_cancellable_new ();
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  Job jobs[N_THREADS];
  GThread *threads[N_THREADS];
  gint finished = 0;

  g_assert_no_error (error);
  options.t_end = 2.0;
  options.dt = 0.5;
  serial = cd_simulate_trajectory (sys, &options, NULL, &error);
  g_assert_no_error (error);

  /* Cancelling one run (the user pressed Stop) leaves the others intact. */
  g_cancellable_cancel (cancelled);
  for (guint i = 0; i < N_THREADS; i++)
    {
      jobs[i] = (Job) { sys, options, i == 0 ? cancelled : never, NULL, NULL, &finished };
      threads[i] = g_thread_new ("simulate", job_thread, &jobs[i]);
    }
  for (guint i = 0; i < N_THREADS; i++)
    {
      g_thread_join (threads[i]);
      if (i == 0)
        {
          g_assert_null (jobs[i].result);
          g_assert_nonnull (jobs[i].error);
          g_free (jobs[i].error);
          continue;
        }
      g_assert_null (jobs[i].error);
      assert_same_trajectory (serial, jobs[i].result);
      cd_trajectory_free (jobs[i].result);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/robustness/concurrency/four-threads-one-system",
                   test_four_threads_one_system);
  g_test_add_func ("/robustness/concurrency/cancel-one-of-many", test_cancel_one_of_many);

  return g_test_run ();
}
