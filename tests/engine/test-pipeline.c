/* test-pipeline.c — a pipelined run (integration on a second thread) must be
 * indistinguishable from a run in one thread.
 *
 * cd_simulate() integrates large models on a worker thread while the
 * caller's thread consumes the samples (cd-simulate.c, "pipelined runs").
 * Checked on the national model: the same numbers bit for bit, samples in
 * order, once each, in the caller's thread; a run of x alone (x_only)
 * hands over the same x and loss; a consumer failure, a
 * cancellation and a non-finite force all end the run with their error.
 * The CSV writer's formatting on two threads (cd-csv.c) writes the same
 * bytes as on one, and reports a write failure.  The consumer's work that
 * the integration's thread does while the ring is full (CdRunOptions.prepare)
 * is done once for each sample, on either thread, and handed to the
 * consumer with the sample it was done for; rows formatted that way are
 * the same bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cd-csv.h"
#include "cd-generate.h"
#include "cd-model-json.h"
#include "cd-simulate.h"

static CdSystem *
national (double   t_end,
          gboolean extreme)
{
  g_autoptr(CdModel) model = cd_generate_national (1);
  g_autoptr(GError) error = NULL;
  CdSystem *sys;

  model->sim.t_end = t_end;
  model->sim.dt = 0.1;
  if (extreme)
    {
      /* p_c v C overflows once the first emergency starts, while the state
       * stays finite (the logistic saturates). */
      model->params.values[CD_PARAM_PRESSURE_CRISIS] = 1e10;
      for (guint k = 0; k < model->events->len; k++)
        ((CdEvent *) g_ptr_array_index (model->events, k))->magnitude = 1e308;
    }
  sys = cd_system_new (model, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cd_system_get_n_state (sys), >=, 1024);   /* large enough to be pipelined */
  return sys;
}

static gboolean
have_two_cores (void)
{
  if (g_get_num_processors () > 1)
    return TRUE;
  g_test_skip ("SKIP: one processor only: cd_simulate() does not pipeline here, so there "
               "is nothing to compare");
  return FALSE;
}

typedef struct
{
  GThread *thread;
  guint    n_state;
  guint    n_nodes;
  guint    count;
  guint    fail_at;        /* G_MAXUINT: never */
  guint    cancel_at;
  GCancellable *cancellable;
  guint    after_cancel;
  GArray  *values;         /* every number of every sample, in order */
  gboolean wrong_thread;
  gboolean out_of_order;
} Record;

static gboolean
record_sample (const CdSample *s,
               gpointer        user_data,
               GError        **error)
{
  Record *r = user_data;

  if (g_thread_self () != r->thread)
    r->wrong_thread = TRUE;
  if (s->index != r->count || s->t != s->index * 0.1)
    r->out_of_order = TRUE;
  if (r->cancellable != NULL && g_cancellable_is_cancelled (r->cancellable))
    r->after_cancel++;
  r->count++;
  if (r->values != NULL)
    {
      g_array_append_val (r->values, s->t);
      g_array_append_val (r->values, s->mean_coordination);
      g_array_append_val (r->values, s->loss);
      g_array_append_vals (r->values, s->x, r->n_state - 1);   /* x and trust */
      g_array_append_vals (r->values, s->forces->gravity, r->n_nodes);
      g_array_append_vals (r->values, s->forces->pressure, r->n_nodes);
      g_array_append_vals (r->values, s->forces->thrust, r->n_nodes);
      g_array_append_vals (r->values, s->forces->resistance, r->n_nodes);
    }
  if (s->index == r->cancel_at)
    g_cancellable_cancel (r->cancellable);
  if (s->index == r->fail_at)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full at sample %u", s->index);
      return FALSE;
    }
  return TRUE;
}

static Record
record_new (const CdSystem *sys)
{
  Record r = { g_thread_self (), cd_system_get_n_state (sys), cd_system_get_n_nodes (sys), 0,
               G_MAXUINT, G_MAXUINT };
  return r;
}

static void
test_pipeline_same_numbers (void)
{
  g_autoptr(CdSystem) sys = national (4.0, FALSE);
  Record piped = record_new (sys), single = record_new (sys);
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  guint n_samples = cd_run_n_samples (4.0, 0.1);

  if (!have_two_cores ())
    return;
  opt.forces = TRUE;
  opt.trust = TRUE;
  piped.values = g_array_new (FALSE, FALSE, sizeof (double));
  single.values = g_array_new (FALSE, FALSE, sizeof (double));

  g_assert_true (cd_simulate (sys, &opt, record_sample, &piped, NULL, &error));
  g_assert_no_error (error);
  opt.threads = 1;
  g_assert_true (cd_simulate (sys, &opt, record_sample, &single, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (piped.count, ==, n_samples);
  g_assert_cmpuint (single.count, ==, n_samples);
  g_assert_false (piped.wrong_thread);
  g_assert_false (piped.out_of_order);
  g_assert_cmpuint (piped.values->len, ==, single.values->len);
  g_assert_cmpmem (piped.values->data, piped.values->len * sizeof (double),
                   single.values->data, single.values->len * sizeof (double));
  g_array_unref (piped.values);
  g_array_unref (single.values);
}

/* x and the loss of every sample, and whether any sample had trust. */
typedef struct
{
  guint    n_nodes;
  GArray  *values;
  gboolean trust_seen;
} XRecord;

static gboolean
record_x (const CdSample *s,
          gpointer        user_data,
          GError        **error)
{
  XRecord *r = user_data;

  g_array_append_val (r->values, s->t);
  g_array_append_val (r->values, s->mean_coordination);
  g_array_append_val (r->values, s->loss);
  g_array_append_vals (r->values, s->x, r->n_nodes);
  r->trust_seen |= s->trust != NULL;
  return TRUE;
}

/* A run with x_only hands over the same x and loss, bit for bit, as a run
 * of the whole state, pipelined or not, and no trust. */
static void
test_pipeline_x_only (void)
{
  g_autoptr(CdSystem) sys = national (4.0, FALSE);
  guint n = cd_system_get_n_nodes (sys);
  XRecord whole = { n, g_array_new (FALSE, FALSE, sizeof (double)) };
  XRecord piped = { n, g_array_new (FALSE, FALSE, sizeof (double)) };
  XRecord single = { n, g_array_new (FALSE, FALSE, sizeof (double)) };
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_true (cd_simulate (sys, &opt, record_x, &whole, NULL, &error));
  g_assert_no_error (error);
  opt.x_only = TRUE;
  g_assert_true (cd_simulate (sys, &opt, record_x, &piped, NULL, &error));
  g_assert_no_error (error);
  opt.threads = 1;
  g_assert_true (cd_simulate (sys, &opt, record_x, &single, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (whole.trust_seen);
  g_assert_false (piped.trust_seen);
  g_assert_false (single.trust_seen);
  g_assert_cmpuint (whole.values->len, ==, cd_run_n_samples (4.0, 0.1) * (3 + n));
  g_assert_cmpmem (piped.values->data, piped.values->len * sizeof (double),
                   whole.values->data, whole.values->len * sizeof (double));
  g_assert_cmpmem (single.values->data, single.values->len * sizeof (double),
                   whole.values->data, whole.values->len * sizeof (double));
  g_array_unref (whole.values);
  g_array_unref (piped.values);
  g_array_unref (single.values);
}

/* A consumer with little to do lends a hand with the integration's stages
 * where asked (CdRunOptions.help_integrate; cd-share.c): the same x and
 * loss, bit for bit, as in one thread, through the emergencies, the policy
 * change and the corners; and not where not asked. */
static void
test_pipeline_shared_stages (void)
{
  g_autoptr(CdSystem) sys = national (40.0, FALSE);
  guint n = cd_system_get_n_nodes (sys);
  XRecord piped = { n, g_array_new (FALSE, FALSE, sizeof (double)) };
  XRecord unhelped = { n, g_array_new (FALSE, FALSE, sizeof (double)) };
  XRecord single = { n, g_array_new (FALSE, FALSE, sizeof (double)) };
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  CdRunStats stats = { 0 };
  g_autoptr(GError) error = NULL;

  if (!have_two_cores ())
    return;
  opt.x_only = TRUE;
  opt.stats = &stats;
  opt.help_integrate = TRUE;
  g_assert_true (cd_simulate (sys, &opt, record_x, &piped, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("the consumer did %" G_GUINT64_FORMAT " parts of stages in %" G_GUINT64_FORMAT
                  " evaluations", stats.helped, stats.evaluations);
  /* only where asked: an analysis's runs on every core must not spin */
  opt.help_integrate = FALSE;
  g_assert_true (cd_simulate (sys, &opt, record_x, &unhelped, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.helped, ==, 0);
  opt.threads = 1;
  g_assert_true (cd_simulate (sys, &opt, record_x, &single, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.helped, ==, 0);
  g_assert_cmpmem (piped.values->data, piped.values->len * sizeof (double),
                   single.values->data, single.values->len * sizeof (double));
  g_assert_cmpmem (unhelped.values->data, unhelped.values->len * sizeof (double),
                   single.values->data, single.values->len * sizeof (double));
  g_array_unref (piped.values);
  g_array_unref (unhelped.values);
  g_array_unref (single.values);
}

static void
test_pipeline_consumer_failure (void)
{
  g_autoptr(CdSystem) sys = national (4.0, FALSE);
  Record r = record_new (sys);
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;

  if (!have_two_cores ())
    return;
  r.fail_at = 5;
  g_assert_false (cd_simulate (sys, &opt, record_sample, &r, NULL, &error));
  /* the consumer's own error, and not one more sample after it */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (error->message, ==, "disk full at sample 5");
  g_assert_cmpuint (r.count, ==, 6);
  g_assert_false (r.wrong_thread);
  g_assert_false (r.out_of_order);
}

static void
test_pipeline_cancel (void)
{
  g_autoptr(CdSystem) sys = national (20.0, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Record r = record_new (sys);
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;

  if (!have_two_cores ())
    return;
  r.cancel_at = 3;
  r.cancellable = cancellable;
  g_assert_false (cd_simulate (sys, &opt, record_sample, &r, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Samples integrated before the cancellation may still arrive, but only
   * the few the worker was ahead by, not the rest of the run. */
  g_test_message ("%u samples after the cancellation, %u in all", r.after_cancel, r.count);
  g_assert_cmpuint (r.after_cancel, <=, 16);
  g_assert_cmpuint (r.count, <, cd_run_n_samples (20.0, 0.1));
  g_assert_false (r.out_of_order);
}

static void
test_pipeline_not_finite (void)
{
  g_autoptr(CdSystem) sys = national (20.0, TRUE);
  Record r = record_new (sys);
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;

  if (!have_two_cores ())
    return;
  opt.forces = TRUE;
  r.values = g_array_new (FALSE, FALSE, sizeof (double));
  g_assert_false (cd_simulate (sys, &opt, record_sample, &r, NULL, &error));
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_NOT_FINITE);
  g_test_message ("%s (after %u samples)", error->message, r.count);
  g_assert_cmpuint (r.count, >, 0);
  for (guint i = 0; i < r.values->len; i++)
    g_assert_true (isfinite (g_array_index (r.values, double, i)));
  g_array_unref (r.values);
}

/* Work prepared ahead (CdRunOptions.prepare): a preparer and a consumer
 * that record which thread prepared what, for test_pipeline_prepared and
 * csv_run. */
typedef struct
{
  GThread  *caller;
  GMutex    lock;
  GCond     changed;
  guint     prepared_elsewhere;   /* by the integration's thread */
  guint     prepared_here;
  guint     times_prepared[64];   /* by sample index */
  guint     slot_holds[CD_RUN_PREPARE_SLOTS];   /* the sample index prepared in each slot */
  guint     count;
  gboolean  wrong_slot;
  gboolean  out_of_order;
  gboolean  waited_too_long;
  CdCsvWriter *writer;            /* not NULL: prepare and write CSV rows too */
} Prepared;

static gboolean
prepare_sample (const CdSample *s,
                guint           slot,
                gpointer        user_data)
{
  Prepared *p = user_data;

  g_assert_cmpuint (slot, <, CD_RUN_PREPARE_SLOTS);
  g_assert_cmpuint (s->index, <, G_N_ELEMENTS (p->times_prepared));
  g_mutex_lock (&p->lock);
  p->times_prepared[s->index]++;
  p->slot_holds[slot] = s->index;
  if (g_thread_self () == p->caller)
    p->prepared_here++;
  else
    p->prepared_elsewhere++;
  g_cond_broadcast (&p->changed);
  g_mutex_unlock (&p->lock);
  return p->writer == NULL || cd_csv_prepare_sample (s, slot, p->writer);
}

/* Holds the first sample until the integration's thread has prepared one
 * (the ring full behind it), so that both ways are taken in every run. */
static gboolean
consume_prepared (const CdSample *s,
                  gpointer        user_data,
                  GError        **error)
{
  Prepared *p = user_data;

  g_mutex_lock (&p->lock);
  if (s->index == 0)
    {
      gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

      while (p->prepared_elsewhere == 0)
        if (!g_cond_wait_until (&p->changed, &p->lock, deadline))
          {
            p->waited_too_long = TRUE;
            break;
          }
    }
  if (s->index != p->count++)
    p->out_of_order = TRUE;
  if (p->writer == NULL
      && (s->prepared == 0 || p->slot_holds[s->prepared - 1] != s->index))
    p->wrong_slot = TRUE;
  g_mutex_unlock (&p->lock);
  return p->writer == NULL || cd_csv_write_sample (s, p->writer, error);
}

/* The run as CSV in memory, formatted on `threads` threads; with
 * prepared, a run of x alone (trust too with trust) whose rows may be
 * formatted ahead by either thread (cd_csv_prepare_sample), consumed
 * through consume_prepared(). */
static char *
csv_run (const CdSystem *sys,
         guint           threads,
         gboolean        forces,
         gboolean        trust,
         gboolean        factors,
         Prepared       *prepared,
         gsize          *size)
{
  g_autoptr(CdCsvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  char *buf = NULL;
  FILE *out = open_memstream (&buf, size);

  g_assert_nonnull (out);
  opt.forces = forces;
  opt.trust = trust;
  writer = cd_csv_writer_new (out, sys, forces, trust);
  cd_csv_writer_set_factors (writer, factors);
  cd_csv_writer_set_threads (writer, threads);
  if (prepared != NULL)
    {
      opt.x_only = !forces && !trust && !factors;
      opt.prepare = prepare_sample;
      opt.prepare_data = prepared;
      prepared->writer = writer;
    }
  g_assert_true (cd_csv_write_header (writer, &error));
  g_assert_true (cd_simulate (sys, &opt, prepared ? consume_prepared : cd_csv_write_sample,
                              prepared ? (gpointer) prepared : writer, NULL, &error));
  g_assert_true (cd_csv_writer_finish (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fclose (out), ==, 0);
  return buf;
}

static char *
csv_of (const CdSystem *sys,
        guint           threads,
        gboolean        forces,
        gboolean        trust,
        gboolean        factors,
        gsize          *size)
{
  return csv_run (sys, threads, forces, trust, factors, NULL, size);
}

static void
test_csv_two_threads (void)
{
  g_autoptr(CdSystem) sys = national (3.0, FALSE);
  g_autoptr(CdModel) small_model = NULL;
  g_autoptr(CdSystem) small = NULL;
  g_autoptr(GError) error = NULL;
  const char *tiny = "{ \"simulation\": { \"t_end\": 2, \"dt\": 0.25 },"
                     "  \"nodes\": [ { \"id\": \"a\" }, { \"id\": \"b\" } ],"
                     "  \"edges\": [ { \"kind\": \"partnership\", \"source\": \"a\","
                     "                 \"target\": \"b\" } ] }";
  const gboolean columns[][3] = { { FALSE, FALSE, FALSE }, { TRUE, TRUE, FALSE },
                                  { TRUE, TRUE, TRUE } };

  if (!have_two_cores ())
    return;
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      gsize size_one, size_two;
      g_autofree char *one = csv_of (sys, 1, columns[c][0], columns[c][1], columns[c][2],
                                     &size_one);
      g_autofree char *two = csv_of (sys, 2, columns[c][0], columns[c][1], columns[c][2],
                                     &size_two);

      g_assert_cmpuint (size_one, >, 0);
      g_assert_cmpmem (one, size_one, two, size_two);
    }
  /* A row of one chunk, and far more rows than the writer's ring holds. */
  small_model = cd_model_load_data (tiny, strlen (tiny), &error);
  g_assert_no_error (error);
  small = cd_system_new (small_model, &error);
  g_assert_no_error (error);
  {
    gsize size_one, size_two;
    g_autofree char *one = csv_of (small, 1, TRUE, TRUE, FALSE, &size_one);
    g_autofree char *two = csv_of (small, 2, TRUE, TRUE, FALSE, &size_two);

    g_assert_cmpmem (one, size_one, two, size_two);
  }
}

static void
test_csv_two_threads_write_failure (void)
{
  g_autoptr(CdSystem) sys = national (3.0, FALSE);
  g_autoptr(CdCsvWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  FILE *full = fopen ("/dev/full", "w");
  gboolean ok;

  if (!have_two_cores ())
    return;
  if (full == NULL)
    {
      g_test_skip ("SKIP: /dev/full is not available here");
      return;
    }
  setvbuf (full, NULL, _IONBF, 0);
  writer = cd_csv_writer_new (full, sys, FALSE, FALSE);
  cd_csv_writer_set_threads (writer, 2);
  ok = cd_simulate (sys, &opt, cd_csv_write_sample, writer, NULL, &error)
       && cd_csv_writer_finish (writer, &error);
  g_assert_false (ok);
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT);
  g_assert_nonnull (strstr (error->message, "could not write the output"));
  fclose (full);
}

/* Synced as it is written (cd_csv_writer_sync_as_written): the file has the
 * same bytes as the run in memory, on one formatting thread and on two; and
 * an output that is not a regular file is written as before. */
static void
test_csv_sync_as_written (void)
{
  g_autoptr(CdSystem) sys = national (3.0, FALSE);
  g_autofree char *dir = g_dir_make_tmp ("coordyn-sync-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.csv", NULL);
  gsize size_memory;
  g_autofree char *memory = csv_of (sys, 1, TRUE, TRUE, FALSE, &size_memory);

  /* The national model's run with forces and trust is several times the
   * sync interval: the thread syncs while rows are written. */
  g_assert_cmpuint (size_memory, >, 3 * ((gsize) 4 << 20));
  for (guint threads = 1; threads <= 2; threads++)
    {
      g_autoptr(CdCsvWriter) writer = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      CdRunOptions opt = CD_RUN_OPTIONS_INIT;
      FILE *out = fopen (path, "wb");
      gsize size;

      g_assert_nonnull (out);
      opt.forces = TRUE;
      opt.trust = TRUE;
      writer = cd_csv_writer_new (out, sys, TRUE, TRUE);
      cd_csv_writer_set_threads (writer, threads);
      cd_csv_writer_sync_as_written (writer);
      g_assert_true (cd_csv_write_header (writer, &error));
      g_assert_true (cd_simulate (sys, &opt, cd_csv_write_sample, writer, NULL, &error));
      g_assert_true (cd_csv_writer_finish (writer, &error));
      g_assert_no_error (error);
      g_assert_cmpint (fclose (out), ==, 0);
      g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
      g_assert_cmpmem (contents, size, memory, size_memory);
    }
  g_remove (path);
  g_rmdir (dir);

  /* Not a regular file: nothing to sync, nothing changes. */
  {
    g_autoptr(CdCsvWriter) writer = NULL;
    g_autoptr(GError) error = NULL;
    CdRunOptions opt = CD_RUN_OPTIONS_INIT;
    FILE *null = fopen ("/dev/null", "w");

    if (null == NULL)
      {
        g_test_skip ("SKIP: /dev/null is not available here");
        return;
      }
    writer = cd_csv_writer_new (null, sys, FALSE, FALSE);
    cd_csv_writer_sync_as_written (writer);
    g_assert_true (cd_simulate (sys, &opt, cd_csv_write_sample, writer, NULL, &error)
                   && cd_csv_writer_finish (writer, &error));
    g_assert_no_error (error);
    fclose (null);
  }
}

static void
test_pipeline_prepared (void)
{
  g_autoptr(CdSystem) sys = national (4.0, FALSE);
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  g_autoptr(GError) error = NULL;
  guint n_samples = cd_run_n_samples (4.0, 0.1);
  Prepared p = { g_thread_self () };
  Record with_forces = record_new (sys);

  if (!have_two_cores ())
    return;
  g_mutex_init (&p.lock);
  g_cond_init (&p.changed);
  opt.x_only = TRUE;
  opt.prepare = prepare_sample;
  opt.prepare_data = &p;
  g_assert_true (cd_simulate (sys, &opt, consume_prepared, &p, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (p.waited_too_long);
  g_assert_cmpuint (p.count, ==, n_samples);
  g_assert_false (p.out_of_order);
  g_assert_false (p.wrong_slot);
  for (guint k = 0; k < n_samples; k++)
    g_assert_cmpuint (p.times_prepared[k], ==, 1);
  g_assert_cmpuint (p.prepared_elsewhere, >, 0);
  g_assert_cmpuint (p.prepared_here, >, 0);
  g_assert_cmpuint (p.prepared_elsewhere + p.prepared_here, ==, n_samples);

  /* With forces the consumer evaluates them: nothing is prepared. */
  memset (p.times_prepared, 0, sizeof p.times_prepared);
  opt.x_only = FALSE;
  opt.forces = TRUE;
  g_assert_true (cd_simulate (sys, &opt, record_sample, &with_forces, NULL, &error));
  g_assert_no_error (error);
  for (guint k = 0; k < n_samples; k++)
    g_assert_cmpuint (p.times_prepared[k], ==, 0);
  g_mutex_clear (&p.lock);
  g_cond_clear (&p.changed);
}

/* Rows formatted ahead by either thread (cd_csv_prepare_sample) are the
 * bytes of rows formatted in order on one thread: x alone, and x with
 * trust; with the factors the writer declines and formats them itself. */
static void
test_csv_prepared (void)
{
  g_autoptr(CdSystem) sys = national (4.0, FALSE);
  const gboolean columns[][2] = { { FALSE, FALSE }, { TRUE, FALSE }, { FALSE, TRUE } };

  if (!have_two_cores ())
    return;
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      gboolean trust = columns[c][0], factors = columns[c][1];
      gsize size_one, size_prepared;
      g_autofree char *one = csv_of (sys, 1, FALSE, trust, factors, &size_one);
      g_autofree char *prepared = NULL;
      Prepared p = { g_thread_self () };

      g_mutex_init (&p.lock);
      g_cond_init (&p.changed);
      prepared = csv_run (sys, 2, FALSE, trust, factors, &p, &size_prepared);
      g_assert_false (p.waited_too_long);
      g_assert_cmpuint (p.prepared_elsewhere, >, 0);
      g_assert_cmpmem (one, size_one, prepared, size_prepared);
      g_mutex_clear (&p.lock);
      g_cond_clear (&p.changed);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/pipeline/same-numbers", test_pipeline_same_numbers);
  g_test_add_func ("/engine/pipeline/x-only", test_pipeline_x_only);
  g_test_add_func ("/engine/pipeline/shared-stages", test_pipeline_shared_stages);
  g_test_add_func ("/engine/pipeline/consumer-failure", test_pipeline_consumer_failure);
  g_test_add_func ("/engine/pipeline/cancel", test_pipeline_cancel);
  g_test_add_func ("/engine/pipeline/not-finite", test_pipeline_not_finite);
  g_test_add_func ("/engine/pipeline/csv-two-threads", test_csv_two_threads);
  g_test_add_func ("/engine/pipeline/csv-two-threads-write-failure",
                   test_csv_two_threads_write_failure);
  g_test_add_func ("/engine/pipeline/csv-sync-as-written", test_csv_sync_as_written);
  g_test_add_func ("/engine/pipeline/prepared", test_pipeline_prepared);
  g_test_add_func ("/engine/pipeline/csv-prepared", test_csv_prepared);
  return g_test_run ();
}
