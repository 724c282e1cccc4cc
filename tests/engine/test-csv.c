/* test-csv.c — the simulation output of docs/model.md and coordyn-cli's contract.
 *
 * The CSV is what researchers carry into R, Python or a spreadsheet, so its
 * columns, its numbers (exact, '.' whatever the locale) and its quoting are
 * checked cell by cell; the CLI is run as a real subprocess so its exit
 * statuses and messages are what a batch script sees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "cd-csv.h"
#include "cd-generate.h"
#include "cd-model-json.h"

static CdModel *
load (const char *json)
{
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_data (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  return model;
}

/* Ids that need quoting in a CSV header, and partnerships written
 * "backwards" so that trust:A|B must follow the file, not a sort order. */
static const char *const quoting_model =
  "{ \"simulation\": { \"t_end\": 1, \"dt\": 0.25 },"
  "  \"nodes\": [ { \"id\": \"a\", \"x0\": 0.3 }, { \"id\": \"b,c\", \"x0\": 0.6 },"
  "               { \"id\": \"say \\\"hi\\\"\", \"fixed\": true, \"x0\": 0.5 },"
  "               { \"id\": \"d\" } ],"
  "  \"edges\": [ { \"kind\": \"command\", \"source\": \"a\", \"target\": \"d\" },"
  "               { \"kind\": \"partnership\", \"source\": \"d\", \"target\": \"a\" },"
  "               { \"kind\": \"partnership\", \"source\": \"b,c\", \"target\": \"a\","
  "                 \"trust\": 0.7 } ],"
  "  \"events\": [ { \"onset\": 0.5, \"magnitude\": 1, \"decay\": 1,"
  "                  \"impact\": { \"a\": 1 } } ] }";

/* Splits CSV text into rows of cells, following RFC 4180. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *cell = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (quoted)
        {
          if (*p == '"' && p[1] == '"')
            {
              g_string_append_c (cell, '"');
              p++;
            }
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (cell, *p);
        }
      else if (*p == '"')
        {
          g_assert_cmpuint (cell->len, ==, 0);
          quoted = TRUE;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (row, g_strdup (cell->str));
          g_string_truncate (cell, 0);
        }
      else if (*p == '\n')
        {
          g_ptr_array_add (row, g_strdup (cell->str));
          g_string_truncate (cell, 0);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
        }
      else
        g_string_append_c (cell, *p);
    }
  g_assert_false (quoted);
  /* every row, the last one too, ends with a line break */
  g_assert_cmpuint (cell->len, ==, 0);
  g_assert_cmpuint (row->len, ==, 0);
  g_ptr_array_unref (row);
  g_string_free (cell, TRUE);
  return rows;
}

#define CELL(rows, r, c) \
  ((const char *) g_ptr_array_index ((GPtrArray *) g_ptr_array_index ((rows), (r)), (c)))

/* Runs the model into a CSV in memory. */
static char *
write_csv (const CdModel *model,
           gboolean       forces,
           gboolean       trust)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdCsvWriter) writer = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  char *buf = NULL;
  size_t size = 0;
  FILE *out = open_memstream (&buf, &size);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  opt.forces = forces;
  opt.trust = trust;
  writer = cd_csv_writer_new (out, sys, forces, trust);
  g_assert_true (cd_csv_write_header (writer, &error));
  g_assert_true (cd_simulate (sys, &opt, cd_csv_write_sample, writer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fclose (out), ==, 0);
  g_assert_cmpuint (strlen (buf), ==, size);
  return buf;
}

static void
test_header (void)
{
  g_autoptr(CdModel) model = load (quoting_model);
  g_autofree char *full = write_csv (model, TRUE, TRUE);
  g_autofree char *bare = write_csv (model, FALSE, FALSE);
  g_autofree char *trust_only = write_csv (model, FALSE, TRUE);
  g_autofree char *forces_only = write_csv (model, TRUE, FALSE);
  const char *x = "x:a,\"x:b,c\",\"x:say \"\"hi\"\"\",x:d";
  const char *trust = "trust:d|a,\"trust:b,c|a\"";
  g_autofree char *want_bare = g_strdup_printf ("t,mean_coordination,loss,%s\n", x);
  g_autofree char *want_full = g_strdup_printf (
    "t,mean_coordination,loss,%s,"
    "G:a,\"G:b,c\",\"G:say \"\"hi\"\"\",G:d,"
    "P:a,\"P:b,c\",\"P:say \"\"hi\"\"\",P:d,"
    "T:a,\"T:b,c\",\"T:say \"\"hi\"\"\",T:d,"
    "R:a,\"R:b,c\",\"R:say \"\"hi\"\"\",R:d,%s\n", x, trust);
  g_autofree char *want_trust = g_strdup_printf ("t,mean_coordination,loss,%s,%s\n", x, trust);

  g_assert_true (g_str_has_prefix (bare, want_bare));
  g_assert_true (g_str_has_prefix (full, want_full));
  g_assert_true (g_str_has_prefix (trust_only, want_trust));
  g_assert_true (g_str_has_prefix (forces_only, "t,mean_coordination,loss,x:a,"));
  g_assert_null (strstr (forces_only, "trust:"));
  g_assert_nonnull (strstr (forces_only, "R:d\n"));

  /* parsed back, the ids come out as written */
  {
    g_autoptr(GPtrArray) rows = parse_csv (full);
    GPtrArray *head = g_ptr_array_index (rows, 0);
    g_assert_cmpuint (head->len, ==, 3 + 4 * 5 + 2);
    g_assert_cmpstr (CELL (rows, 0, 4), ==, "x:b,c");
    g_assert_cmpstr (CELL (rows, 0, 5), ==, "x:say \"hi\"");
    g_assert_cmpstr (CELL (rows, 0, 23), ==, "trust:d|a");
    g_assert_cmpstr (CELL (rows, 0, 24), ==, "trust:b,c|a");
  }
}

/* Every cell is the sample value with 17 significant digits, and reads back
 * as exactly the same double. */
static void
test_values (void)
{
  g_autoptr(CdModel) model = load (quoting_model);
  g_autofree char *csv = write_csv (model, TRUE, TRUE);
  g_autoptr(GPtrArray) rows = parse_csv (csv);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdTrajectory) tr = NULL;
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  guint n = 4, m = 2, long_cells = 0;

  opt.forces = TRUE;
  opt.trust = TRUE;
  tr = cd_simulate_trajectory (sys, &opt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1 + tr->n_samples);
  for (guint k = 0; k < tr->n_samples; k++)
    {
      GPtrArray *row = g_ptr_array_index (rows, k + 1);
      double want[3 + 4 * 5 + 2];
      guint c = 0;

      want[c++] = tr->t[k];
      want[c++] = tr->mean_coordination[k];
      want[c++] = tr->loss[k];
      for (guint i = 0; i < n; i++)
        want[c++] = tr->x[k * n + i];
      for (guint i = 0; i < n; i++)
        want[c++] = tr->gravity[k * n + i];
      for (guint i = 0; i < n; i++)
        want[c++] = tr->pressure[k * n + i];
      for (guint i = 0; i < n; i++)
        want[c++] = tr->thrust[k * n + i];
      for (guint i = 0; i < n; i++)
        want[c++] = tr->resistance[k * n + i];
      for (guint e = 0; e < m; e++)
        want[c++] = tr->trust[k * m + e];
      g_assert_cmpuint (row->len, ==, c);
      for (guint j = 0; j < c; j++)
        {
          const char *cell = g_ptr_array_index (row, j);
          char expect[64];
          char *end = NULL;
          double back = g_ascii_strtod (cell, &end);

          g_ascii_formatd (expect, sizeof expect, "%.17g", want[j]);
          g_assert_cmpstr (cell, ==, expect);
          g_assert_cmpint (*end, ==, '\0');
          g_assert_cmpmem (&back, sizeof back, &want[j], sizeof want[j]);
          long_cells += strlen (cell) >= 17;
        }
    }
  /* values off the binary grid really use all the digits */
  g_assert_cmpuint (long_cells, >, 50);
  g_assert_cmpstr (CELL (rows, 1, 0), ==, "0");
  g_assert_cmpstr (CELL (rows, 2, 0), ==, "0.25");
  g_assert_cmpstr (CELL (rows, 1, 3), ==, "0.29999999999999999");
  g_assert_cmpstr (CELL (rows, 1, 5), ==, "0.5");
}

static void
test_format_g17 (void)
{
  const struct { double v; const char *text; } cases[] = {
    { 0.0, "0" },
    { 0.1, "0.10000000000000001" },
    { 1.0 / 3.0, "0.33333333333333331" },
    { -2.5, "-2.5" },
    { 1e-20, "9.9999999999999995e-21" },
    { 123456789.0, "123456789" },
    { 5e-324, "4.9406564584124654e-324" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char buf[32];
      int len = cd_format_g17 (buf, cases[i].v);
      g_assert_cmpstr (buf, ==, cases[i].text);
      g_assert_cmpint (len, ==, (int) strlen (cases[i].text));
    }
}

/* K = ⌊t_end/dt + 1e-9⌋ + 1 rows, sample k at exactly k·dt, including the
 * cases where t_end/dt falls a hair short of an integer. */
static void
test_row_count (void)
{
  const struct { double t_end, dt; guint rows; } cases[] = {
    { 1.0, 0.1, 11 },
    { 0.3, 0.1, 4 },    /* 0.3 / 0.1 = 2.9999999999999996 */
    { 0.7, 0.1, 8 },    /* 6.999999999999999 */
    { 1.0, 0.3, 4 },
    { 2.5, 0.25, 11 },
    { 1.0, 1.0, 2 },
    { 0.95, 0.1, 10 },
  };
  g_autoptr(CdModel) model = load (quoting_model);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *csv = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      guint K;

      model->sim.t_end = cases[i].t_end;
      model->sim.dt = cases[i].dt;
      K = cd_run_n_samples (cases[i].t_end, cases[i].dt);
      g_assert_cmpuint (K, ==, cases[i].rows);
      g_assert_cmpuint (K, ==, (guint) floor (cases[i].t_end / cases[i].dt + 1e-9) + 1);
      csv = write_csv (model, FALSE, FALSE);
      rows = parse_csv (csv);
      g_assert_cmpuint (rows->len, ==, 1 + K);
      for (guint k = 0; k < K; k++)
        {
          char want[32];
          cd_format_g17 (want, k * cases[i].dt);
          g_assert_cmpstr (CELL (rows, k + 1, 0), ==, want);
        }
    }
}

/* A German desktop writes "0,5"; the CSV must not. */
static void
test_locale (void)
{
  g_autoptr(CdModel) model = load (quoting_model);
  g_autofree char *c_csv = write_csv (model, TRUE, TRUE);
  g_autofree char *de_csv = NULL;
  g_autofree char *probe = NULL;
  char *old = g_strdup (setlocale (LC_NUMERIC, NULL));

  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") == NULL)
    {
      g_free (old);
      g_test_skip ("SKIP: the de_DE.UTF-8 locale is not installed (install 'locales' and run "
                   "locale-gen for de_DE.UTF-8); the comma-decimal check did not run");
      return;
    }
  probe = g_strdup_printf ("%.1f", 0.5);
  g_assert_cmpstr (probe, ==, "0,5");   /* the locale really is in force */
  de_csv = write_csv (model, TRUE, TRUE);
  {
    /* format a number directly too */
    char buf[32];
    cd_format_g17 (buf, 0.25);
    g_assert_cmpstr (buf, ==, "0.25");
  }
  setlocale (LC_NUMERIC, old);
  g_free (old);

  g_assert_cmpstr (de_csv, ==, c_csv);
  g_assert_nonnull (strstr (de_csv, ",0.25,"));
}

static void
test_append_cell (void)
{
  const char *cases[][2] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\r", "\"cr\r\"" },
    { "上海 | 江苏", "上海 | 江苏" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new ("x");
      cd_csv_append_cell (out, cases[i][0]);
      g_assert_cmpstr (out->str + 1, ==, cases[i][1]);
    }
}

/* A write that fails (a full disk) stops the run with an output error. */
static void
test_write_failure (void)
{
  g_autoptr(CdModel) model = load (quoting_model);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdSystem) sys = cd_system_new (model, &error);
  g_autoptr(CdCsvWriter) writer = NULL;
  FILE *full = fopen ("/dev/full", "w");

  if (full == NULL)
    {
      g_test_skip ("SKIP: /dev/full is not available here");
      return;
    }
  setvbuf (full, NULL, _IONBF, 0);
  writer = cd_csv_writer_new (full, sys, TRUE, TRUE);
  g_assert_false (cd_csv_write_header (writer, &error));
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT);
  g_assert_nonnull (strstr (error->message, "could not write the output"));
  g_clear_error (&error);
  g_assert_false (cd_simulate (sys, NULL, cd_csv_write_sample, writer, NULL, &error));
  g_assert_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT);
  fclose (full);
}

/* ---- coordyn-cli ------------------------------------------------------------- */

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

static const char *
cli_path (void)
{
  const char *cli = g_getenv ("COORDYN_CLI");

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("COORDYN_CLI is not set to the coordyn-cli binary (got %s); run through "
             "'meson test', which sets it", cli ? cli : "nothing");
  return cli;
}

/* Runs coordyn-cli with the arguments up to NULL. */
static void
run_cli (CliResult *r,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int wait_status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) cli_path ());
  va_start (args, r);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

typedef struct
{
  char *dir;
  char *good;
  char *bad;
} Files;

static void
files_clear (Files *f)
{
  g_autoptr(GDir) d = f->dir ? g_dir_open (f->dir, 0, NULL) : NULL;
  const char *name;

  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  if (f->dir)
    g_rmdir (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->good, g_free);
  g_clear_pointer (&f->bad, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Files, files_clear)

static void
files_init (Files *f)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("coordyn-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->good = g_build_filename (f->dir, "good.json", NULL);
  f->bad = g_build_filename (f->dir, "bad.json", NULL);
  g_assert_true (g_file_set_contents (f->good,
    "{ \"name\": \"pair\", \"simulation\": { \"t_end\": 2, \"dt\": 0.5 },"
    "  \"nodes\": [ { \"id\": \"a\", \"fixed\": true }, { \"id\": \"b\" } ],"
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"a\", \"target\": \"b\" },"
    "               { \"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\" } ] }",
    -1, &error));
  g_assert_true (g_file_set_contents (f->bad,
    "{ \"nodes\": [ { \"id\": \"a\" } ],\n"
    "  \"edges\": [ { \"kind\": \"command\", \"source\": \"a\", \"target\": \"zz\" } ] }",
    -1, &error));
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
test_cli_run (void)
{
  g_auto(Files) f = { 0 };
  g_auto(CliResult) r = { 0 };
  g_auto(CliResult) r2 = { 0 };
  g_autofree char *out_path = NULL;
  g_autofree char *written = NULL;

  files_init (&f);
  run_cli (&r, "run", f.good, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_true (g_str_has_prefix (r.out, "t,mean_coordination,loss,x:a,x:b\n0,"));
  g_assert_cmpuint (count_lines (r.out), ==, 1 + 5);
  cli_result_clear (&r);

  run_cli (&r, "run", "--forces", "--trust", "--t-end", "1", "--dt", "0.1", f.good, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "t,mean_coordination,loss,x:a,x:b,G:a,G:b,P:a,P:b,"
                                          "T:a,T:b,R:a,R:b,trust:a|b\n"));
  g_assert_cmpuint (count_lines (r.out), ==, 1 + 11);

  /* -o writes the same bytes as standard output */
  out_path = g_build_filename (f.dir, "out.csv", NULL);
  run_cli (&r2, "run", "--forces", "--trust", "--t-end", "1", "--dt", "0.1", "-o", out_path,
           f.good, NULL);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_cmpstr (r2.out, ==, "");
  g_assert_true (g_file_get_contents (out_path, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, r.out);
}

static void
test_cli_failures (void)
{
  g_auto(Files) f = { 0 };
  g_autofree char *missing = NULL;
  g_autofree char *unwritable = NULL;
  struct { const char *args[8]; int status; const char *in_err; } cases[] = {
    { { "run", "BAD", NULL }, 1, "edges[0].target: no node \"zz\"" },
    { { "validate", "BAD", NULL }, 1, "edges[0].target: no node \"zz\"" },
    { { "run", "MISSING", NULL }, 1, "missing.json" },
    { { "validate", "MISSING", NULL }, 1, "missing.json" },
    { { "run", "--frobnicate", "GOOD", NULL }, 2, "frobnicate" },
    { { "validate", "--frobnicate", "GOOD", NULL }, 2, "frobnicate" },
    { { "run", NULL }, 2, "expected one model file" },
    { { "run", "GOOD", "GOOD", NULL }, 2, "expected one model file" },
    { { "validate", NULL }, 2, "expected one model file" },
    { { "run", "--t-end", "1", "--dt", "2", "GOOD", NULL }, 2, "dt" },
    { { "run", "--t-end", "-1", "GOOD", NULL }, 2, "--t-end" },
    { { "run", "--dt", "many", "GOOD", NULL }, 2, "many" },
    { { "run", "-o", "UNWRITABLE", "GOOD", NULL }, 1, "no-such-dir" },
    { { "run", "-o", "DIR", "GOOD", NULL }, 1, "coordyn-cli run:" },
    { { "generate", "planet", NULL }, 2, "national" },
    { { "generate", "national", "--seed", "-3", NULL }, 2, "--seed" },
    { { "generate", "national", "-o", "UNWRITABLE", NULL }, 1, "no-such-dir" },
    { { "frobnicate", NULL }, 2, "unknown command 'frobnicate'" },
    { { NULL }, 2, "Usage:" },
  };

  files_init (&f);
  missing = g_build_filename (f.dir, "missing.json", NULL);
  unwritable = g_build_filename (f.dir, "no-such-dir", "out.csv", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) argv = g_ptr_array_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int wait_status;

      g_ptr_array_add (argv, (char *) cli_path ());
      for (guint k = 0; cases[i].args[k]; k++)
        {
          const char *a = cases[i].args[k];
          if (strcmp (a, "GOOD") == 0)
            a = f.good;
          else if (strcmp (a, "BAD") == 0)
            a = f.bad;
          else if (strcmp (a, "MISSING") == 0)
            a = missing;
          else if (strcmp (a, "UNWRITABLE") == 0)
            a = unwritable;
          else if (strcmp (a, "DIR") == 0)
            a = f.dir;
          g_ptr_array_add (argv, (char *) a);
        }
      g_ptr_array_add (argv, NULL);
      g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL,
                                   NULL, &out, &err, &wait_status, &error));
      g_assert_no_error (error);
      g_test_message ("case %u: status %d, stderr: %s", i, WEXITSTATUS (wait_status), err);
      g_assert_true (WIFEXITED (wait_status));
      g_assert_cmpint (WEXITSTATUS (wait_status), ==, cases[i].status);
      g_assert_nonnull (strstr (err, cases[i].in_err));
      /* a failed run never leaves CSV rows on standard output */
      g_assert_null (strstr (out, "mean_coordination"));
    }
  /* the model's errors name the file, as a compiler's do */
  {
    g_auto(CliResult) r = { 0 };
    g_autofree char *want = g_strdup_printf ("%s: edges[0].target: no node \"zz\"\n", f.bad);
    run_cli (&r, "validate", f.bad, NULL);
    g_assert_cmpstr (r.err, ==, want);
    g_assert_cmpstr (r.out, ==, "");
  }
  /* a failed -o leaves no file behind */
  g_assert_false (g_file_test (unwritable, G_FILE_TEST_EXISTS));
}

static void
test_cli_validate_and_help (void)
{
  g_auto(Files) f = { 0 };
  const char *commands[] = { "run", "validate", "generate" };

  files_init (&f);
  {
    g_auto(CliResult) r = { 0 };
    run_cli (&r, "validate", f.good, NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "ok: pair: 2 governments (1 fixed), 1 command line, "
                                "1 partnership, 0 emergencies, 0 policy changes, 0 scenarios; "
                                "rule logit, t_end 2, dt 0.5\n");
    g_assert_cmpstr (r.err, ==, "");
  }
  /* Each count in the singular for one and the plural for two. */
  {
    g_auto(CliResult) r = { 0 };
    g_autofree char *path = g_build_filename (f.dir, "one.json", NULL);
    g_assert_true (g_file_set_contents (path,
      "{ \"simulation\": { \"t_end\": 2, \"dt\": 0.5 },"
      "  \"nodes\": [ { \"id\": \"a\" } ],"
      "  \"events\": [ { \"onset\": 1, \"magnitude\": 1, \"decay\": 1,"
      "                  \"impact\": { \"a\": 1 } } ],"
      "  \"interventions\": [ { \"at\": 1, \"set\": { \"resistance.law\": 0.5 } } ],"
      "  \"scenarios\": [ { \"name\": \"s\", \"parameters\": {} } ] }", -1, NULL));
    run_cli (&r, "validate", path, NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "ok: 1 government (0 fixed), 0 command lines, 0 partnerships, "
                                "1 emergency, 1 policy change, 1 scenario; "
                                "rule logit, t_end 2, dt 0.5\n");
  }
  {
    g_auto(CliResult) r = { 0 };
    g_autofree char *path = g_build_filename (f.dir, "two.json", NULL);
    g_assert_true (g_file_set_contents (path,
      "{ \"name\": \"two\", \"simulation\": { \"t_end\": 2, \"dt\": 0.5 },"
      "  \"nodes\": [ { \"id\": \"a\", \"fixed\": true }, { \"id\": \"b\" },"
      "               { \"id\": \"c\" } ],"
      "  \"edges\": [ { \"kind\": \"command\", \"source\": \"a\", \"target\": \"b\" },"
      "             { \"kind\": \"command\", \"source\": \"a\", \"target\": \"c\" },"
      "             { \"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\" },"
      "             { \"kind\": \"partnership\", \"source\": \"b\", \"target\": \"c\" } ],"
      "  \"events\": [ { \"onset\": 1, \"magnitude\": 1, \"decay\": 1,"
      "                  \"impact\": { \"b\": 1 } },"
      "              { \"onset\": 1.5, \"magnitude\": 1, \"decay\": 1,"
      "                  \"impact\": { \"c\": 1 } } ],"
      "  \"interventions\": [ { \"at\": 1, \"set\": { \"resistance.law\": 0.5 } },"
      "                     { \"at\": 1.5, \"set\": { \"resistance.law\": 0.7 } } ],"
      "  \"scenarios\": [ { \"name\": \"s\", \"parameters\": {} },"
      "                 { \"name\": \"t\", \"parameters\": {} } ] }", -1, NULL));
    run_cli (&r, "validate", path, NULL);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "ok: two: 3 governments (1 fixed), 2 command lines, "
                                "2 partnerships, 2 emergencies, 2 policy changes, 2 scenarios; "
                                "rule logit, t_end 2, dt 0.5\n");
  }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CliResult) r = { 0 };
      run_cli (&r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "Usage:"));
      g_assert_nonnull (strstr (r.out, commands[i]));
    }
  {
    g_auto(CliResult) r = { 0 };
    run_cli (&r, "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "validate"));
    g_assert_nonnull (strstr (r.out, "generate"));
  }
  {
    g_auto(CliResult) r = { 0 };
    run_cli (&r, "--version", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "coordyn-cli " PACKAGE_VERSION));
  }
}

/* Runs coordyn-cli with LANGUAGE and LC_ALL set, as a user's shell would. */
static void
run_cli_in (CliResult  *r,
            const char *language,
            const char *lc_all,
            const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  envp = g_environ_setenv (envp, "LANGUAGE", language, TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", lc_all, TRUE);
  g_ptr_array_add (argv, (char *) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  r->status = WEXITSTATUS (wait_status);
}

static void
assert_contains (const char *text,
                 const char *part,
                 const char *what)
{
  if (strstr (text, part) == NULL)
    {
      g_test_message ("%s lacks \"%s\"; it is:\n%s", what, part, text);
      g_test_fail ();
    }
}

/* --help in Chinese with LANGUAGE=zh_CN (the CLI run from the build tree
 * finds the catalog compiled there), and in English in the C locale, where
 * glibc ignores LANGUAGE. */
static void
test_cli_help_language (void)
{
  static const char *const run_help[] = { "run", "--help", NULL };
  static const char *const top_help[] = { "--help", NULL };
  g_autofree char *mo = g_build_filename (BUILD_ROOT, "po", "zh_CN", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);

  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_message ("the compiled catalog %s is missing: build the po/ folder first", mo);
      g_test_fail ();
      return;
    }
  {
    g_auto(CliResult) r = { 0 };
    run_cli_in (&r, "zh_CN", "C.UTF-8", run_help);
    g_assert_cmpint (r.status, ==, 0);
    /* if C.UTF-8 were missing, glibc would fall back to C and print English */
    assert_contains (r.out, "模拟模型，每个采样点写一行 CSV", "run --help in zh_CN (summary)");
    assert_contains (r.out, "加入每个伙伴关系的信任", "run --help in zh_CN (--trust)");
    assert_contains (r.out, "--output=文件", "run --help in zh_CN (-o's argument)");
    assert_contains (r.out, "模型.json", "run --help in zh_CN (parameter string)");
    g_assert_null (strstr (r.out, "Add the trust of every partnership"));
  }
  {
    g_auto(CliResult) r = { 0 };
    run_cli_in (&r, "zh_CN", "C.UTF-8", top_help);
    g_assert_cmpint (r.status, ==, 0);
    assert_contains (r.out, "模拟府际应急协同的四力模型", "--help in zh_CN");
    /* the summaries in one column, as wide as "montecarlo-merge" needs */
    assert_contains (r.out, "  sweep            上下扫描一个参数", "--help in zh_CN (commands)");
  }
  {
    g_auto(CliResult) r = { 0 };
    run_cli_in (&r, "zh_CN", "C", run_help);
    g_assert_cmpint (r.status, ==, 0);
    /* GLib's own "[OPTION…]" is "[OPTION?]" in the ASCII C locale, so from the summary on */
    assert_contains (r.out, " MODEL.json\n\n"
                            "Simulate a model and write one CSV row per sample: t, "
                            "mean_coordination, loss, x:ID for\n", "run --help in C");
    /* the column as wide as "--institution=NAME|FILE" needs */
    assert_contains (r.out, "  --trust                     Add the trust of every partnership\n",
                     "run --help in C");
    assert_contains (r.out, "  -o, --output=FILE           Write the CSV to FILE (default: "
                            "standard output)\n", "run --help in C");
    g_assert_null (strstr (r.out, "信任"));
  }
}

/* The CLI's own usage errors follow the user's language too: in Chinese
 * with LANGUAGE=zh_CN, and word for word in English in the C locale. */
static void
test_cli_error_language (void)
{
  static const char *const no_model[] = { "run", NULL };
  g_autofree char *mo = g_build_filename (BUILD_ROOT, "po", "zh_CN", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);

  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_message ("the compiled catalog %s is missing: build the po/ folder first", mo);
      g_test_fail ();
      return;
    }
  {
    g_auto(CliResult) r = { 0 };
    run_cli_in (&r, "zh_CN", "C.UTF-8", no_model);
    g_assert_cmpint (r.status, ==, 2);
    assert_contains (r.err, "coordyn-cli run：应给出一个模型文件，实际有 0 个参数\n",
                     "usage error in zh_CN");
    assert_contains (r.err, "请运行 'coordyn-cli run --help' 查看用法。\n",
                     "usage hint in zh_CN");
    g_assert_null (strstr (r.err, "expected one model file"));
    g_assert_cmpstr (r.out, ==, "");
  }
  /* a file's problems are set off from it with the full-width colon too */
  {
    static const char *const missing[] = { "validate", "/nonexistent-coordyn/m.json", NULL };
    g_auto(CliResult) r = { 0 };
    run_cli_in (&r, "zh_CN", "C.UTF-8", missing);
    g_assert_cmpint (r.status, ==, 1);
    if (!g_str_has_prefix (r.err, "/nonexistent-coordyn/m.json："))
      {
        g_test_message ("a missing model in zh_CN: %s", r.err);
        g_test_fail ();
      }
  }
  {
    g_auto(CliResult) r = { 0 };
    run_cli_in (&r, "zh_CN", "C", no_model);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_cmpstr (r.err, ==, "coordyn-cli run: expected one model file, got 0 arguments\n"
                                "Try 'coordyn-cli run --help'.\n");
  }
}

/* coordyn-cli upgrade: a version-2 file written where -o says, which
 * runs, with --factors columns; a version-2 input refused; -o required. */
static void
test_cli_upgrade (void)
{
  g_auto(Files) f = { 0 };
  g_auto(CliResult) up = { 0 };
  g_auto(CliResult) again = { 0 };
  g_auto(CliResult) no_output = { 0 };
  g_auto(CliResult) run = { 0 };
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  g_autofree char *first_line = NULL;

  files_init (&f);
  out = g_build_filename (f.dir, "up.json", NULL);
  out2 = g_build_filename (f.dir, "up2.json", NULL);
  run_cli (&up, "upgrade", f.good, "-o", out, NULL);
  g_assert_cmpint (up.status, ==, 0);
  g_assert_cmpstr (up.err, ==, "");
  model = cd_model_load_file (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (model->version, ==, 2);

  run_cli (&again, "upgrade", out, "-o", out2, NULL);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "already version 2"));
  g_assert_false (g_file_test (out2, G_FILE_TEST_EXISTS));

  run_cli (&no_output, "upgrade", f.good, NULL);
  g_assert_cmpint (no_output.status, ==, 2);
  g_assert_nonnull (strstr (no_output.err, "-o FILE"));

  run_cli (&run, "run", out, "--forces", "--factors", "--trust", NULL);
  g_assert_cmpint (run.status, ==, 0);
  first_line = g_strndup (run.out, strcspn (run.out, "\n"));
  g_assert_cmpstr (first_line, ==,
                   "t,mean_coordination,loss,x:a,x:b,G:a,G:b,P:a,P:b,T:a,T:b,R:a,R:b,"
                   "G_interest:a,G_interest:b,G_trust:a,G_trust:b,P_admin:a,P_admin:b,"
                   "P_command:a,P_command:b,P_crisis:a,P_crisis:b,T_info:a,T_info:b,"
                   "T_appraisal:a,T_appraisal:b,R_ideas:a,R_ideas:b,R_powers:a,R_powers:b,"
                   "R_benefits:a,R_benefits:b,trust:a|b");
  g_remove (out);
}

static void
test_cli_generate (void)
{
  g_auto(Files) f = { 0 };
  g_auto(CliResult) a = { 0 };
  g_auto(CliResult) b = { 0 };
  g_auto(CliResult) c = { 0 };
  g_auto(CliResult) v = { 0 };
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *from_file = NULL;
  guint levels[CD_N_LEVELS] = { 0 };

  files_init (&f);
  run_cli (&a, "generate", "national", "--seed", "7", NULL);
  run_cli (&b, "generate", "national", "--seed", "7", NULL);
  run_cli (&c, "generate", "national", "--seed", "8", NULL);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_cmpstr (a.err, ==, "");
  g_assert_cmpuint (strlen (a.out), >, 100000);
  g_assert_cmpstr (a.out, ==, b.out);
  g_assert_cmpstr (a.out, !=, c.out);

  model = cd_model_load_data (a.out, strlen (a.out), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (model->nodes->len, ==, 1 + 31 + 333 + 2844);
  for (guint i = 0; i < model->nodes->len; i++)
    levels[((CdNode *) g_ptr_array_index (model->nodes, i))->level]++;
  g_assert_cmpuint (levels[CD_LEVEL_CENTRAL], ==, 1);
  g_assert_cmpuint (levels[CD_LEVEL_PROVINCIAL], ==, 31);
  g_assert_cmpuint (levels[CD_LEVEL_MUNICIPAL], ==, 333);
  g_assert_cmpuint (levels[CD_LEVEL_COUNTY], ==, 2844);
  g_assert_true (cd_model_validate (model, &error));
  g_assert_no_error (error);

  /* -o writes the same model, which the CLI itself validates */
  path = g_build_filename (f.dir, "national.json", NULL);
  {
    g_auto(CliResult) o = { 0 };
    run_cli (&o, "generate", "national", "--seed", "7", "-o", path, NULL);
    g_assert_cmpint (o.status, ==, 0);
  }
  g_assert_true (g_file_get_contents (path, &from_file, NULL, NULL));
  g_assert_cmpstr (from_file, ==, a.out);
  run_cli (&v, "validate", path, NULL);
  g_assert_cmpint (v.status, ==, 0);
  g_assert_true (g_str_has_prefix (v.out, "ok: "));
  g_assert_nonnull (strstr (v.out, " 3209 governments"));

  /* the engine's generator gives the same model in-process */
  {
    g_autoptr(CdModel) direct = cd_generate_national (7);
    g_autofree char *json = cd_model_to_json (direct, NULL);
    g_assert_cmpstr (json, ==, a.out);
  }
}

/* A valid model whose crisis pressure overflows: coordyn-cli must either
 * write only finite numbers or fail with status 1 — never "inf" or "nan"
 * in a CSV that a script will read as data. */
static void
test_cli_never_writes_non_finite (void)
{
  g_auto(Files) f = { 0 };
  g_auto(CliResult) r = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *lower = NULL;

  files_init (&f);
  path = g_build_filename (f.dir, "overflow.json", NULL);
  g_assert_true (g_file_set_contents (path,
    "{ \"simulation\": { \"t_end\": 1, \"dt\": 0.5 }, \"nodes\": [ { \"id\": \"a\" } ],"
    "  \"parameters\": { \"pressure\": { \"crisis\": 1e10 } },"
    "  \"events\": [ { \"onset\": 1, \"magnitude\": 1e308, \"decay\": 1,"
    "                  \"impact\": { \"a\": 1 } } ] }", -1, NULL));
  run_cli (&r, "run", "--forces", path, NULL);
  lower = g_ascii_strdown (r.out, -1);
  g_test_message ("status %d\nstdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
  if (r.status == 0)
    {
      if (strstr (lower, "nan") != NULL || strstr (lower, "inf") != NULL)
        g_test_fail_printf ("coordyn-cli run exited 0 and wrote a non-finite number: %s",
                            r.out);
    }
  else
    {
      g_assert_cmpint (r.status, ==, 1);
      g_assert_cmpstr (r.err, !=, "");
    }
}

/* A failed run leaves the file that was at -o as it was (output goes to a
 * temporary file renamed into place only when complete), leaves no
 * temporary file behind, and never removes a device it was pointed at. */
static void
test_cli_failed_run_keeps_old_output (void)
{
  g_auto(Files) f = { NULL };
  g_auto(CliResult) r = { 0 };
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;

  files_init (&f);
  out = g_build_filename (f.dir, "out.csv", NULL);
  g_assert_true (g_file_set_contents (out, "earlier results\n", -1, &error));
  /* t_end / dt asks for more samples than can be counted: the run fails. */
  run_cli (&r, "run", f.good, "--t-end", "1e300", "--dt", "1e-300", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_file_get_contents (out, &text, NULL, &error));
  g_assert_cmpstr (text, ==, "earlier results\n");
  dir = g_dir_open (f.dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    n_files++;
  g_assert_cmpuint (n_files, ==, 3);   /* good.json, bad.json, out.csv: no temporary left */

  cli_result_clear (&r);
  run_cli (&r, "run", f.good, "-o", "/dev/full", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (g_file_test ("/dev/full", G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test ("/dev/full", G_FILE_TEST_IS_REGULAR));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/csv/header", test_header);
  g_test_add_func ("/engine/csv/values", test_values);
  g_test_add_func ("/engine/csv/format-g17", test_format_g17);
  g_test_add_func ("/engine/csv/row-count", test_row_count);
  g_test_add_func ("/engine/csv/locale", test_locale);
  g_test_add_func ("/engine/csv/append-cell", test_append_cell);
  g_test_add_func ("/engine/csv/write-failure", test_write_failure);
  g_test_add_func ("/engine/cli/run", test_cli_run);
  g_test_add_func ("/engine/cli/failures", test_cli_failures);
  g_test_add_func ("/engine/cli/validate-and-help", test_cli_validate_and_help);
  g_test_add_func ("/engine/cli/help-language", test_cli_help_language);
  g_test_add_func ("/engine/cli/error-language", test_cli_error_language);
  g_test_add_func ("/engine/cli/generate", test_cli_generate);
  g_test_add_func ("/engine/cli/upgrade", test_cli_upgrade);
  g_test_add_func ("/engine/cli/failed-run-keeps-old-output", test_cli_failed_run_keeps_old_output);
  g_test_add_func ("/engine/cli/never-writes-non-finite", test_cli_never_writes_non_finite);

  return g_test_run ();
}
