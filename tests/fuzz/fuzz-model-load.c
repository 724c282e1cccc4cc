/* fuzz-model-load.c — libFuzzer target for the model-file reader.
 *
 * Any bytes must either load or be refused with a CD_MODEL_ERROR whose
 * message is non-empty UTF-8, and the same way whether the strict parser
 * or json-glib read the text (the same model, or the same error word for
 * word; cd-json.c); a model that loads must save to JSON that
 * loads back equal (and saves to the same bytes again), must compile, and
 * a short run of it must only ever hand finite numbers to its consumer —
 * those are what reach the screen and the CSV files.  The same function is
 * linked into a plain replay driver (fuzz-replay.c) so the corpus and every
 * past crash run in the ordinary test suite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd-json.h"
#include "cd-model-json.h"
#include "cd-simulate.h"
#include "cd-system.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Enough samples and steps to go through the stepper, the breakpoints at
 * small times and the output path, few enough that each input stays fast. */
#define FUZZ_MAX_SAMPLES 40
#define FUZZ_MAX_STEPS   20000

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
fail (const char *fmt, ...)
{
  va_list args;

  fputs ("fuzz-model-load: invariant broken: ", stderr);
  va_start (args, fmt);
  vfprintf (stderr, fmt, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

static void
check_error (const GError *error,
             GQuark        domain,
             const char   *what)
{
  if (error == NULL)
    fail ("%s failed without an error", what);
  if (domain != 0 && error->domain != domain)
    fail ("%s failed with an error of domain %s: %s", what,
          g_quark_to_string (error->domain), error->message);
  if (error->message == NULL || *error->message == '\0')
    fail ("%s failed with an empty message", what);
  if (!g_utf8_validate (error->message, -1, NULL))
    fail ("%s failed with a message that is not UTF-8", what);
}

/* The reader's two ways — strict parser first, and json-glib only — must
 * agree on every input. */
static void
check_same_either_way (const uint8_t *data,
                       size_t         size,
                       const CdModel *model,
                       const GError  *error)
{
  g_autoptr(GError) slow_error = NULL;
  g_autoptr(CdModel) slow = cd_model_load_data_json_glib ((const char *) data, size,
                                                          &slow_error);

  if ((model == NULL) != (slow == NULL))
    fail ("%s with the strict parser, %s through json-glib: %s",
          model ? "loads" : "refused", slow ? "loads" : "refused",
          model ? slow_error->message : error->message);
  if (model == NULL)
    {
      if (error->domain != slow_error->domain || error->code != slow_error->code
          || strcmp (error->message, slow_error->message) != 0)
        fail ("the two ways refuse differently:\n  %s\n  %s", error->message,
              slow_error->message);
    }
  else
    {
      gsize len = 0, slow_len = 0;
      g_autofree char *json = cd_model_to_json (model, &len);
      g_autofree char *slow_json = cd_model_to_json (slow, &slow_len);

      if (!cd_model_equal (model, slow) || len != slow_len || memcmp (json, slow_json, len) != 0)
        fail ("the two ways load different models\n--- strict ---\n%s\n--- json-glib ---\n%s",
              json, slow_json);
    }
}

static void
check_finite (const double *v,
              guint         n,
              const char   *what,
              double        t)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (v[i]))
      fail ("%s[%u] = %g at t = %g reached the sample consumer", what, i, v[i], t);
}

typedef struct
{
  const CdSystem *sys;
  guint           count;
} Run;

static gboolean
on_sample (const CdSample *s,
           gpointer        user_data,
           GError        **error)
{
  Run *run = user_data;
  guint n = cd_system_get_n_nodes (run->sys);

  if (s->index != run->count)
    fail ("sample %u arrived as number %u", s->index, run->count);
  check_finite (&s->t, 1, "t", s->t);
  check_finite (&s->mean_coordination, 1, "mean_coordination", s->t);
  check_finite (&s->loss, 1, "loss", s->t);
  check_finite (s->x, n, "x", s->t);
  check_finite (s->trust, cd_system_get_n_partnerships (run->sys), "trust", s->t);
  if (s->forces == NULL)
    fail ("forces were asked for but not given");
  check_finite (s->forces->gravity, n, "gravity", s->t);
  check_finite (s->forces->pressure, n, "pressure", s->t);
  check_finite (s->forces->thrust, n, "thrust", s->t);
  check_finite (s->forces->resistance, n, "resistance", s->t);

  if (++run->count >= FUZZ_MAX_SAMPLES)
    {
      /* Also exercises the consumer-failure path of cd_simulate(). */
      g_set_error_literal (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT, "enough samples");
      return FALSE;
    }
  return TRUE;
}

static void
run_briefly (const CdModel *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  Run run = { NULL, 0 };

  if (sys == NULL)
    {
      /* A validated model should always compile; say so loudly if not. */
      check_error (error, 0, "cd_system_new");
      fail ("a model that passed validation did not compile: %s", error->message);
    }
  run.sys = sys;
  options.forces = TRUE;
  options.trust = TRUE;
  options.max_steps = FUZZ_MAX_STEPS;
  if (!cd_simulate (sys, &options, on_sample, &run, NULL, &error))
    {
      check_error (error, CD_SIMULATE_ERROR, "cd_simulate");
      if (error->code == CD_SIMULATE_ERROR_OUTPUT && run.count != FUZZ_MAX_SAMPLES)
        fail ("the run stopped for its consumer after %u samples", run.count);
    }
  else if (run.count != cd_run_n_samples (cd_system_get_sim (sys)->t_end,
                                          cd_system_get_sim (sys)->dt))
    fail ("the run succeeded with %u samples instead of %u", run.count,
          cd_run_n_samples (cd_system_get_sim (sys)->t_end, cd_system_get_sim (sys)->dt));
}

static void
check_scenarios (const CdModel *model)
{
  for (guint i = 0; i < model->scenarios->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CdModel) applied = cd_model_apply_scenario (model, (int) i, &error);

      if (applied == NULL)
        check_error (error, 0, "cd_model_apply_scenario");
      else
        {
          g_autoptr(CdSystem) sys = NULL;
          g_clear_error (&error);
          if (!cd_model_validate (applied, &error))
            fail ("scenario %u applied to a valid model is invalid: %s", i, error->message);
          sys = cd_system_new (applied, &error);
          if (sys == NULL)
            fail ("scenario %u did not compile: %s", i, error->message);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdModel) again = NULL;
  g_autoptr(CdModel) pinned = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  gsize len = 0, len_again = 0;

  model = cd_model_load_data ((const char *) data, size, &error);
  check_same_either_way (data, size, model, error);
  if (model == NULL)
    {
      check_error (error, CD_MODEL_ERROR, "cd_model_load_data");
      return 0;
    }
  if (!cd_model_validate (model, &error))
    fail ("a loaded model does not validate: %s", error->message);

  json = cd_model_to_json (model, &len);
  if (json == NULL || len != strlen (json) || !g_utf8_validate (json, (gssize) len, NULL))
    fail ("cd_model_to_json gave no text, or text that is not UTF-8");
  again = cd_model_load_data (json, len, &error);
  if (again == NULL)
    fail ("a saved model does not load again: %s\n--- saved text ---\n%s", error->message, json);
  /* Saving writes every value, default appraisals included, so the file
   * loads as the model with those pinned. */
  pinned = cd_model_copy (model);
  cd_model_pin_default_appraisals (pinned);
  if (!cd_model_equal (pinned, again))
    fail ("a model saved and loaded again is not equal\n--- saved text ---\n%s", json);
  json_again = cd_model_to_json (again, &len_again);
  if (len != len_again || memcmp (json, json_again, len) != 0)
    fail ("saving is not stable\n--- first ---\n%s\n--- second ---\n%s", json, json_again);

  check_scenarios (model);
  run_briefly (model);
  return 0;
}
