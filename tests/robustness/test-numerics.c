/* test-numerics.c — extreme settings finish or stop cleanly, never hang,
 * never write NaN or infinity.
 *
 * Researchers push parameters to their ends to see what happens (a
 * rationality of 1000, a rate of 1e-12, tolerances below machine
 * precision).  Each such run must either finish with finite numbers or stop
 * with a CD_SIMULATE_ERROR that says why.  Every run here has the step
 * budget every run has (cd_max_steps(), the one the app and the CLI use:
 * no test-only cap), and a watchdog thread that cancels it if it is still
 * going after a while so that a hang cannot stall the suite; which of the
 * three ends a run took is reported, and none is timed.
 *
 * Except in a sanitizer build: there a run stops after SANITIZED_MAX_STEPS
 * steps, with the same error as at the real budget.  A stiff run repeats
 * one step millions of times; ASan and UBSan see all it does in the first
 * thousands, and spending the whole budget (about 7 million steps of this
 * network) made this test 91 s of CI's ASan run (2026-12-06: huge-rate
 * 17 s, tolerance-limits 24 s, extreme-values 44 s, on a loaded machine).
 * The real budget is this test's business in the plain build, which the
 * main suite runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

#include "cd-csv.h"
#include "cd-model-json.h"
#include "cd-simulate.h"
#include "cd-system.h"
#include "cd-test-sanitized.h"

/* Steps before a run of a sanitizer build stops (see the top): well above
 * what the runs here that finish take (long-streaming's 100,000 samples
 * included; it still finishes with a fifth of this), far below the
 * budget. */
#define SANITIZED_MAX_STEPS 500000

/* ---- a guarded run --------------------------------------------------------- */

/* Polls an atomic flag rather than waiting on a GCond: GLib's futex-based
 * GMutex and GCond are invisible to ThreadSanitizer, which would then
 * report the flag as a race. */
typedef struct
{
  gint          done;
  GCancellable *cancellable;
  gint64        patience_us;
} Watchdog;

/* The process's processor time: the run's own cost, which the machine's
 * load does not stretch (the watchdog thread itself sleeps). */
static gint64
cpu_time_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gpointer
watchdog_thread (gpointer data)
{
  Watchdog *w = data;
  gint64 end = cpu_time_us () + w->patience_us;

  while (!g_atomic_int_get (&w->done))
    {
      if (cpu_time_us () >= end)
        {
          /* The guard against a hang, not a speed check: see the top. */
          g_cancellable_cancel (w->cancellable);
          break;
        }
      g_usleep (2000);
    }
  return NULL;
}

typedef enum
{
  END_FINISHED,
  END_STOPPED,     /* a CD_SIMULATE_ERROR */
  END_CANCELLED,
} RunEnd;

static const char *const end_names[] = { "finished", "stopped with an error", "cancelled" };

typedef struct
{
  RunEnd   end;
  guint    samples;
  double   last_t;
  double   max_drift;   /* largest |x − x0| over all samples */
  double   cpu_s;       /* processor time the run took */
  char    *message;
  char    *csv;         /* the CSV written, when asked */
} RunResult;

static void
run_result_clear (RunResult *r)
{
  g_clear_pointer (&r->message, g_free);
  g_clear_pointer (&r->csv, g_free);
}

typedef struct
{
  CdCsvWriter    *csv;
  const CdSystem *sys;
  const double   *x0;     /* the initial state */
  RunResult      *result;
} Consumer;

static gboolean
consume (const CdSample *s,
         gpointer        user_data,
         GError        **error)
{
  Consumer *c = user_data;

  c->result->samples++;
  c->result->last_t = s->t;
  for (guint i = 0; i < cd_system_get_n_nodes (c->sys); i++)
    c->result->max_drift = MAX (c->result->max_drift, fabs (s->x[i] - c->x0[i]));
  return c->csv ? cd_csv_write_sample (s, c->csv, error) : TRUE;
}

static CdModel *
load (const char *text)
{
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_data (text, strlen (text), &error);

  g_assert_no_error (error);
  return model;
}

/* Runs `text` with forces and trust, optionally writing CSV; asserts that
 * the run ended in one of the three acceptable ways. */
/* In processor seconds: every run must end by the step budget well within
 * this (about 10 s of one core at worst, cd-simulate.h). */
static guint patience_s = 30;

static void
guarded_run (const char   *text,
             gboolean      write_csv,
             RunResult    *result)
{
  g_autoptr(CdModel) model = load (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CdCsvWriter) csv = NULL;
  g_autofree char *path = NULL;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  Watchdog w = { 0 };
  Consumer c = { NULL, NULL, NULL, result };
  g_autofree double *y0 = NULL;
  GThread *thread;
  FILE *out = NULL;
  gboolean ok;
  gint64 start;

  g_assert_no_error (error);
  memset (result, 0, sizeof *result);
  c.sys = sys;
  y0 = g_new (double, cd_system_get_n_state (sys));
  cd_system_initial_state (sys, y0);
  c.x0 = y0;
  if (write_csv)
    {
      int fd = g_file_open_tmp ("coordyn-numerics-XXXXXX.csv", &path, &error);
      g_assert_no_error (error);
      out = fdopen (fd, "w");
      g_assert_nonnull (out);
      csv = cd_csv_writer_new (out, sys, TRUE, TRUE);
      c.csv = csv;
      g_assert_true (cd_csv_write_header (csv, NULL));
    }

  options.forces = TRUE;
  options.trust = TRUE;
  if (SANITIZED)
    options.max_steps = MIN (SANITIZED_MAX_STEPS, cd_max_steps (sys));
  w.cancellable = cancellable;
  w.patience_us = patience_s * G_USEC_PER_SEC;
  thread = g_thread_new ("watchdog", watchdog_thread, &w);

  start = cpu_time_us ();
  ok = cd_simulate (sys, &options, consume, &c, cancellable, &error);
  result->cpu_s = (cpu_time_us () - start) / 1e6;

  g_atomic_int_set (&w.done, TRUE);
  g_thread_join (thread);

  if (ok)
    result->end = END_FINISHED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    result->end = END_CANCELLED;
  else
    {
      g_assert_true (error != NULL && error->domain == CD_SIMULATE_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpstr (error->message, !=, "");
      result->end = END_STOPPED;
    }
  if (error)
    result->message = g_strdup (error->message);
  if (ok)
    g_assert_cmpuint (result->samples, ==,
                      cd_run_n_samples (cd_system_get_sim (sys)->t_end, cd_system_get_sim (sys)->dt));

  if (out)
    {
      g_clear_pointer (&csv, cd_csv_writer_free);
      g_assert_cmpint (fclose (out), ==, 0);
      g_assert_true (g_file_get_contents (path, &result->csv, NULL, NULL));
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_test_message ("%s after %u samples (t = %g, %.2f s of processor time)%s%s",
                  end_names[result->end], result->samples, result->last_t, result->cpu_s,
                  result->message ? ": " : "", result->message ? result->message : "");
}

/* NaN and infinity print as "nan", "inf", "-nan", "infinity"; ids in the
 * header may hold anything, so only the number rows are searched. */
static const char *
find_nonfinite (const char *csv)
{
  const char *rows = strchr (csv, '\n');
  g_autofree char *lower = NULL;
  const char *hit;

  if (rows == NULL)
    return NULL;
  lower = g_ascii_strdown (rows, -1);
  hit = strstr (lower, "nan");
  if (hit == NULL)
    hit = strstr (lower, "inf");
  return hit ? rows + (hit - lower) : NULL;
}

/* A network with every kind of term: hierarchy, partnerships, an event. */
#define NETWORK \
  "\"nodes\":[{\"id\":\"c\",\"level\":\"central\",\"x0\":0.3}," \
  "{\"id\":\"p1\",\"x0\":0.1,\"vulnerability\":0.9},{\"id\":\"p2\",\"x0\":0.05}," \
  "{\"id\":\"m\",\"x0\":0.2,\"fixed\":true}]," \
  "\"edges\":[{\"kind\":\"command\",\"source\":\"c\",\"target\":\"p1\"}," \
  "{\"kind\":\"command\",\"source\":\"c\",\"target\":\"p2\",\"weight\":0.5}," \
  "{\"kind\":\"partnership\",\"source\":\"p1\",\"target\":\"p2\",\"trust\":0.3}," \
  "{\"kind\":\"partnership\",\"source\":\"p2\",\"target\":\"m\"}]," \
  "\"events\":[{\"onset\":1,\"magnitude\":3,\"decay\":2,\"impact\":{\"p1\":1,\"m\":0.4}}]"

/* ---- cases ------------------------------------------------------------------ */

static void
assert_ended_cleanly (const RunResult *r)
{
  if (r->csv)
    {
      const char *bad = find_nonfinite (r->csv);
      if (bad)
        g_error ("a non-finite number reached the CSV: …%.60s", bad);
    }
}

static void
test_high_rationality (void)
{
  static const char *const rules[] = { "logit", "replicator" };

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\"parameters\":{\"dynamics\":{\"rationality\":1000,\"rule\":\"%s\"}},"
        "\"simulation\":{\"t_end\":10,\"dt\":0.1}," NETWORK "}", rules[i]);
      RunResult r;

      guarded_run (text, TRUE, &r);
      assert_ended_cleanly (&r);
      /* The logit response at β = 1000 is a step, not a stiffness: the run
       * must get through, only more slowly. */
      if (i == 0)
        g_assert_cmpint (r.end, ==, END_FINISHED);
      run_result_clear (&r);
    }
}

static void
test_tiny_rates (void)
{
  RunResult r;

  guarded_run ("{\"parameters\":{\"dynamics\":{\"rate\":1e-12,\"trust_gain\":1e-12,"
               "\"trust_decay\":1e-12}},\"simulation\":{\"t_end\":50,\"dt\":0.5}," NETWORK "}",
               TRUE, &r);
  g_assert_cmpint (r.end, ==, END_FINISHED);
  assert_ended_cleanly (&r);
  /* dx/dt is at most λ = 1e-12, so in 50 time units x moves by < 5e-11. */
  g_assert_cmpfloat (r.max_drift, <, 1e-10);
  run_result_clear (&r);
}

static void
test_huge_rate (void)
{
  RunResult r;

  /* λ = 1e12 makes the system very stiff for an explicit method: it must
   * end by the step budget every run has, not run for hours (it ran until
   * the test's own cap; the CLI's allowed 200,000,000 steps).  The whole
   * budget is spent here, about 10 s of one idle core: under AddressSanitizer
   * on a loaded machine that exceeded 30 s of processor time (CI run on
   * 2026-12-05), so this hang guard waits longer. */
  patience_s = 150;
  guarded_run ("{\"parameters\":{\"dynamics\":{\"rate\":1e12}},"
               "\"simulation\":{\"t_end\":50,\"dt\":0.5}," NETWORK "}", TRUE, &r);
  patience_s = 30;
  assert_ended_cleanly (&r);
  g_assert_cmpint (r.end, ==, END_STOPPED);
  g_assert_nonnull (strstr (r.message, "steps"));
  run_result_clear (&r);
}

static void
test_long_streaming (void)
{
  RunResult r;

  /* 100,001 samples streamed to a file, nothing kept in memory; the 1e6
   * variant is in tests/robustness/long-run.sh (it is a benchmark).
   * Sanitizer builds are ten times slower: more patience. */
  patience_s = 300;
  guarded_run ("{\"simulation\":{\"t_end\":100000,\"dt\":1}," NETWORK "}", TRUE, &r);
  patience_s = 30;
  if (r.end == END_CANCELLED)
    {
      /* A slow machine or a sanitizer build: say so, it is not a failure of
       * the engine but the test did not see the end. */
      g_test_incomplete ("the run was still going when the watchdog stopped it");
      run_result_clear (&r);
      return;
    }
  g_assert_cmpint (r.end, ==, END_FINISHED);
  g_assert_cmpuint (r.samples, ==, 100001);
  g_assert_cmpfloat (r.last_t, ==, 100000.0);
  assert_ended_cleanly (&r);
  run_result_clear (&r);
}

static void
test_tolerance_limits (void)
{
  /* Below what doubles can deliver: refused when the file is read, with
   * the reason.  1e-300 passed validation and the run spent minutes
   * shrinking its step. */
  static const char *const refused[] = {
    "\"rtol\":1e-16,\"atol\":0",
    "\"rtol\":1e-300,\"atol\":0",
    "\"rtol\":1e-300,\"atol\":1e-300",
    "\"rtol\":2.2e-14,\"atol\":1e-10",
  };
  /* At the floor and above: each run ends cleanly within the budget. */
  static const char *const settings[] = {
    "\"rtol\":2.3e-14,\"atol\":0",
    "\"rtol\":2.3e-14,\"atol\":1e-300",
    "\"rtol\":1,\"atol\":0",
    "\"rtol\":1,\"atol\":1",
    "\"rtol\":1e300,\"atol\":1e300",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\"simulation\":{\"t_end\":20,\"dt\":0.5,%s}," NETWORK "}", refused[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CdModel) model = cd_model_load_data (text, strlen (text), &error);

      g_assert_null (model);
      g_assert_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID);
      g_test_message ("tolerances %s: %s", refused[i], error->message);
      g_assert_nonnull (strstr (error->message, "simulation.rtol: "));
      g_assert_nonnull (strstr (error->message, "double-precision numbers can deliver"));
    }
  /* The tightest accepted tolerances may spend the whole step budget
   * (about 10 s of an idle core): AddressSanitizer took over 30 s of
   * processor time on an idle machine (CI, 2026-12-05). */
  patience_s = 150;
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\"simulation\":{\"t_end\":20,\"dt\":0.5,%s}," NETWORK "}", settings[i]);
      RunResult r;

      g_test_message ("tolerances %s", settings[i]);
      guarded_run (text, TRUE, &r);
      assert_ended_cleanly (&r);
      g_assert_cmpint (r.end, !=, END_CANCELLED);
      run_result_clear (&r);
    }
  patience_s = 30;
}

static void
test_extreme_values_never_reach_csv (void)
{
  /* Each of these is a valid model; whatever the run does, no row may
   * carry nan or inf.  Forces are written. */
  static const char *const models[] = {
    "{\"parameters\":{\"gravity\":{\"interest\":1e300,\"trust\":1e300}}," NETWORK "}",
    "{\"parameters\":{\"resistance\":{\"fragmentation\":1e300,\"burden\":1e300}}," NETWORK "}",
    "{\"parameters\":{\"dynamics\":{\"trust_gain\":1e300,\"trust_decay\":1e300}}," NETWORK "}",
    "{\"parameters\":{\"dynamics\":{\"rate\":1e300}}," NETWORK "}",
    "{\"parameters\":{\"dynamics\":{\"rationality\":1e300,\"rule\":\"replicator\"}}," NETWORK "}",
    "{\"nodes\":[{\"id\":\"a\"}],\"events\":[{\"onset\":0,\"magnitude\":1e300,\"decay\":1e-300,"
    "\"impact\":{\"a\":1}}]}",
    "{\"simulation\":{\"t_end\":1e300,\"dt\":1e299}," NETWORK "}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      RunResult r;

      g_test_message ("model %u", i);
      guarded_run (models[i], TRUE, &r);
      assert_ended_cleanly (&r);
      run_result_clear (&r);
    }
}

static void
test_infinite_forces (void)
{
  RunResult r;

  /* Two events of 1e308 overflow the crisis severity to inf while the state
   * is still finite: the forces of the t = 0 sample must not reach the CSV
   * (found by fuzzing; tests/fuzz/regressions/forces-infinite-at-sample.json). */
  guarded_run ("{\"nodes\":[{\"id\":\"a\"}],\"events\":["
               "{\"onset\":0,\"magnitude\":1e308,\"decay\":1,\"impact\":{\"a\":1}},"
               "{\"onset\":0,\"magnitude\":1e308,\"decay\":1,\"impact\":{\"a\":1}}]}",
               TRUE, &r);
  assert_ended_cleanly (&r);
  g_assert_cmpint (r.end, ==, END_STOPPED);
  g_assert_nonnull (strstr (r.message, "\"a\""));
  run_result_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/robustness/numerics/high-rationality", test_high_rationality);
  g_test_add_func ("/robustness/numerics/tiny-rates", test_tiny_rates);
  g_test_add_func ("/robustness/numerics/huge-rate", test_huge_rate);
  g_test_add_func ("/robustness/numerics/long-streaming", test_long_streaming);
  g_test_add_func ("/robustness/numerics/tolerance-limits", test_tolerance_limits);
  g_test_add_func ("/robustness/numerics/extreme-values-never-reach-csv",
                   test_extreme_values_never_reach_csv);
  g_test_add_func ("/robustness/numerics/infinite-forces", test_infinite_forces);

  return g_test_run ();
}
