/* test-study-cli.c — `coordyn-cli experiment` and `merge`: an experiment's
 * table, the same bytes for any thread count; the shards of `experiment`
 * and `sensitivity --sobol` (any number of parts, empty ones included)
 * merged into exactly the unsharded bytes; and every kind of bad shard —
 * foreign, repeated, missing, damaged, of another format — refused with
 * its place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cd-test-cli.h"

static const char *cli;
static char *dir;

static const char model_json[] =
  "{ \"simulation\": {\"t_end\": 10, \"dt\": 0.5},"
  "  \"nodes\": [ {\"id\": \"a\"}, {\"id\": \"b\", \"fragmentation\": 0.2},"
  "             {\"id\": \"c\", \"vulnerability\": 0.8} ],"
  "  \"edges\": [ {\"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\"},"
  "             {\"kind\": \"command\", \"source\": \"a\", \"target\": \"c\"} ],"
  "  \"events\": [ {\"onset\": 1, \"magnitude\": 1, \"decay\": 3, \"impact\": {\"c\": 1}} ],"
  "  \"scenarios\": [ {\"name\": \"law, strong\", \"parameters\": {\"resistance\": {\"law\": 1}}} ],"
  "  \"ranges\": { \"resistance.law\": {\"min\": 0, \"max\": 1},"
  "    \"gravity.interest\": {\"distribution\": \"triangular\", \"min\": 0, \"max\": 2,"
  "                           \"mode\": 1.5} } }";

static const char spec_json[] =
  "{ \"format\": \"coordyn-experiment\", \"version\": 1, \"model\": \"model.json\","
  "  \"vary\": { \"resistance.law\": [0, 0.5, 1],"
  "            \"thrust.info\": {\"from\": 0, \"to\": 2, \"steps\": 3} },"
  "  \"scenarios\": [\"base\", \"law, strong\"],"
  "  \"outputs\": [\"final_mean_coordination\", \"peak_mean_coordination\", \"time_to_half\","
  "              \"total_loss\"] }";

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* Runs the CLI with the arguments of a NULL-terminated array; returns its exit status. */
static int
run_argv (char              **out,
          char              **err,
          const char *const  *argv)
{
  /* What an earlier call left there is let go of, so calls may share them. */
  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  return cd_test_spawn (dir, cli, argv, NULL, out, err);
}

#define RUN(out, err, ...) run_argv ((out), (err), (const char *const[]) { __VA_ARGS__, NULL })

static char *
contents (const char *name)
{
  g_autofree char *path = path_of (name);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* Runs a command whole (into whole.csv) and in n parts (part-K.csv) with
 * alternating thread counts, merges the parts given in reverse, and checks
 * the merged bytes are the whole's. */
static void
check_shards (const char *const *command,
              guint              n)
{
  g_autoptr(GPtrArray) whole_args = g_ptr_array_new ();
  g_autoptr(GPtrArray) merge_args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL, *err = NULL, *whole = NULL, *merged = NULL;

  for (guint i = 0; command[i] != NULL; i++)
    g_ptr_array_add (whole_args, (char *) command[i]);
  g_ptr_array_add (whole_args, (char *) "-o");
  g_ptr_array_add (whole_args, (char *) "whole.csv");
  g_ptr_array_add (whole_args, NULL);
  g_assert_cmpint (run_argv (&out, &err, (const char *const *) whole_args->pdata), ==, 0);
  whole = contents ("whole.csv");

  g_ptr_array_add (merge_args, g_strdup ("merge"));
  g_ptr_array_add (merge_args, g_strdup ("-o"));
  g_ptr_array_add (merge_args, g_strdup ("merged.csv"));
  for (guint k = n; k >= 1; k--)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (NULL);
      g_autofree char *part = g_strdup_printf ("%u/%u", k, n);
      g_autofree char *name = g_strdup_printf ("part-%u.csv", k);
      g_autofree char *o = NULL, *e = NULL;

      for (guint i = 0; command[i] != NULL; i++)
        g_ptr_array_add (args, (char *) command[i]);
      g_ptr_array_add (args, (char *) "--shard");
      g_ptr_array_add (args, part);
      g_ptr_array_add (args, (char *) "--threads");
      g_ptr_array_add (args, (char *) (k % 2 ? "1" : "3"));
      g_ptr_array_add (args, (char *) "-o");
      g_ptr_array_add (args, name);
      g_ptr_array_add (args, NULL);
      if (run_argv (&o, &e, (const char *const *) args->pdata) != 0)
        g_error ("%s --shard %s: %s", command[0], part, e);
      g_ptr_array_add (merge_args, g_steal_pointer (&name));
    }
  g_ptr_array_add (merge_args, NULL);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  if (run_argv (&out, &err, (const char *const *) merge_args->pdata) != 0)
    g_error ("merge: %s", err);
  merged = contents ("merged.csv");
  g_assert_cmpstr (merged, ==, whole);
}

static void
test_experiment (void)
{
  g_autofree char *out = NULL, *err = NULL, *one = NULL, *many = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (RUN (&out, &err, "experiment", "spec.json", "--threads", "1", "-o",
                        "one.csv"), ==, 0);
  g_assert_cmpint (RUN (&out, &err, "experiment", "spec.json", "--threads", "3", "-o",
                        "many.csv"), ==, 0);
  one = contents ("one.csv");
  many = contents ("many.csv");
  g_assert_cmpstr (one, ==, many);
  lines = g_strsplit (one, "\n", -1);
  /* 2 scenarios × 3 laws × 4 values of information thrust, and the header */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 24 + 1);
  g_assert_cmpstr (lines[0], ==, "run,scenario,resistance.law,thrust.info,"
                                 "final_mean_coordination,peak_mean_coordination,time_to_half,"
                                 "total_loss");
  g_assert_true (g_str_has_prefix (lines[1], "0,base,0,0,"));
  g_assert_true (g_str_has_prefix (lines[2], "1,base,0,0.66666666666666663,"));
  g_assert_true (g_str_has_prefix (lines[4], "3,base,0,2,"));
  g_assert_true (g_str_has_prefix (lines[5], "4,base,0.5,0,"));
  g_assert_true (g_str_has_prefix (lines[13], "12,\"law, strong\",0,0,"));
  /* the scenario sets the law, and the varied law replaces it: rows 0 and 12 agree */
  {
    const char *a = strchr (lines[1] + 2, ',');
    const char *b = strchr (lines[13] + 3, ',');
    b = strchr (b + 1, ',');
    g_assert_cmpstr (a, ==, b);
  }
  /* standard output when there is no -o; --help */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (RUN (&out, &err, "experiment", "spec.json"), ==, 0);
  g_assert_cmpstr (out, ==, one);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (RUN (&out, &err, "experiment", "--help"), ==, 0);
  g_assert_nonnull (strstr (out, "--shard"));
}

static void
test_experiment_errors (void)
{
  struct { int status; const char *args[6]; const char *message; } cases[] = {
    { 2, { "experiment" }, "expected one experiment spec, got 0 arguments" },
    { 2, { "experiment", "spec.json", "--shard", "0/3" }, "--shard must be K/N" },
    { 2, { "experiment", "spec.json", "--threads", "-1" }, "--threads" },
    { 2, { "experiment", "spec.json", "-o", "spec.json" },
      "-o spec.json is the same file as spec.json, which this command reads" },
    { 1, { "experiment", "model.json" }, "model.json: an experiment needs \"format\"" },
    { 1, { "experiment", "bad-spec.json" },
      "bad-spec.json: vary.resistance.law[0]: 2 is outside the range of resistance.law" },
    { 1, { "experiment", "nonesuch.json" }, "nonesuch.json" },
  };
  g_autofree char *bad = path_of ("bad-spec.json");

  g_assert_true (g_file_set_contents (bad, "{ \"format\": \"coordyn-experiment\", \"version\": 1,"
                                      " \"model\": \"model.json\", \"vary\": {\"resistance.law\":"
                                      " [2]}, \"outputs\": [\"total_loss\"] }", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run_argv (&out, &err, cases[i].args);

      if (status != cases[i].status || strstr (err, cases[i].message) == NULL)
        {
          g_test_message ("case %u: exit %d, stderr: %s", i, status, err);
          g_test_fail ();
        }
    }
}

static void
test_shards (void)
{
  /* experiment: 24 runs in 1, 5 and 30 parts (6 of them empty) */
  for (guint i = 0; i < 3; i++)
    check_shards ((const char *const[]) { "experiment", "spec.json", NULL },
                  (const guint[]) { 1, 5, 30 }[i]);
  /* the Sobol design of the model's two ranges, 8 · (2 + 2) runs, in 3 parts */
  check_shards ((const char *const[]) { "sensitivity", "model.json", "--sobol", "8", NULL }, 3);
  /* without ranges: every parameter over ±0.2 of its range */
  check_shards ((const char *const[]) { "sensitivity", "nr.json", "--sobol", "4", "--delta",
                                        "0.2", NULL }, 4);
  /* montecarlo with more parts than runs */
  check_shards ((const char *const[]) { "montecarlo", "model.json", "--runs", "3", "--seed",
                                        "8", NULL }, 5);
}

/* Writes name with text. */
static void
put (const char *name,
     const char *text)
{
  g_autofree char *path = path_of (name);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* A copy of part `from` as `to`, with one line replaced (by NULL: removed) or cut. */
static void
edit (const char *from,
      const char *to,
      const char *old_line,
      const char *new_line)
{
  g_autofree char *text = contents (from);
  g_autoptr(GString) s = g_string_new (text);
  const char *at = strstr (text, old_line);

  g_assert_nonnull (at);
  g_string_erase (s, at - text, strlen (old_line));
  if (new_line != NULL)
    g_string_insert (s, at - text, new_line);
  put (to, s->str);
}

static void
test_bad_shards (void)
{
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL;
  struct { int status; const char *args[8]; const char *message; } cases[] = {
    /* another spec: its digest differs */
    { 1, { "merge", "e-1.csv", "other-2.csv", "e-3.csv" },
      "other-2.csv:6: \"spec: sha256:" },
    /* another command */
    { 1, { "merge", "e-1.csv", "s-2.csv", "e-3.csv" },
      "s-2.csv:2: a shard of \"sensitivity\", but e-1.csv is of \"experiment\"" },
    /* another split */
    { 1, { "merge", "e-1.csv", "e-2.csv", "e4-3.csv" },
      "e4-3.csv: shard 3 of 4, but e-1.csv is one of 3" },
    /* a table that is not a shard */
    { 1, { "merge", "e-1.csv", "whole-e.csv" },
      "whole-e.csv: not a shard of a Coordyn study" },
    /* a format from another Coordyn */
    { 1, { "merge", "future.csv", "e-2.csv", "e-3.csv" },
      "future.csv:1: shard format 2 is not one this Coordyn reads" },
    /* damaged: the last line cut, a row missing, a row too many, a row of another run */
    { 1, { "merge", "e-1.csv", "cut-2.csv", "e-3.csv" },
      "cut-2.csv:16: the last line is cut short (an unfinished shard?)" },
    { 1, { "merge", "e-1.csv", "short-2.csv", "e-3.csv" },
      "short-2.csv: it ends after 7 of its 8 rows (an unfinished shard?)" },
    { 1, { "merge", "e-1.csv", "long-2.csv", "e-3.csv" },
      "long-2.csv:17: a line after the last of its runs" },
    { 1, { "merge", "e-1.csv", "swap-2.csv", "e-3.csv" },
      "swap-2.csv:9: expected the row of run 8" },
    { 1, { "merge", "e-1.csv", "runs-2.csv", "e-3.csv" },
      "runs-2.csv:4: these are not the runs of shard 2 of 3 of a study of 24 runs" },
    { 1, { "merge", "nonesuch.csv" }, "nonesuch.csv" },
    /* the output over a shard */
    { 2, { "merge", "e-1.csv", "e-2.csv", "e-3.csv", "-o", "e-2.csv" },
      "-o e-2.csv is the same file as e-2.csv, which this command reads" },
    { 2, { "merge", "-o", "x.csv" }, "expected one or more shard files" },
    /* --bands for shards without trajectories */
    { 2, { "merge", "e-1.csv", "e-2.csv", "e-3.csv", "--bands", "b.csv" },
      "--bands: these shards carry no trajectories" },
  };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *e2 = NULL, *whole = NULL;

  for (guint k = 1; k <= 3; k++)
    {
      g_autofree char *part = g_strdup_printf ("%u/3", k);
      g_autofree char *name = g_strdup_printf ("e-%u.csv", k);
      g_assert_cmpint (RUN (&out, &err, "experiment", "spec.json", "--shard", part, "-o", name),
                       ==, 0);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);
    }
  g_assert_cmpint (RUN (&out, &err, "experiment", "spec.json", "-o", "whole-e.csv"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (RUN (&out, &err, "experiment", "spec.json", "--shard", "3/4", "-o",
                        "e4-3.csv"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (RUN (&out, &err, "sensitivity", "model.json", "--sobol", "4", "--shard", "2/3",
                        "-o", "s-2.csv"), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *other = g_strdup (spec_json);
    /* the same study but for one value */
    memcpy (strstr (other, "[0, 0.5, 1]"), "[0, 0.6, 1]", 11);
    put ("other.json", other);
    g_assert_cmpint (RUN (&out, &err, "experiment", "other.json", "--shard", "2/3", "-o",
                          "other-2.csv"), ==, 0);
  }

  /* rows 8 … 15 are shard 2's; its preamble has 7 lines, the header is line 8 */
  e2 = contents ("e-2.csv");
  p1 = g_strdup (strstr (e2, "\n8,") + 1);
  *strchr (p1, '\n') = '\0';
  p2 = g_strdup (strstr (e2, "\n9,") + 1);
  *strchr (p2, '\n') = '\0';
  p3 = g_strdup (strstr (e2, "\n15,") + 1);
  *strchr (p3, '\n') = '\0';
  edit ("e-2.csv", "future.csv", "# coordyn-shard: 1", "# coordyn-shard: 2");
  {
    g_autofree char *cut = g_strndup (e2, strlen (e2) - 5);
    put ("cut-2.csv", cut);
  }
  edit ("e-2.csv", "short-2.csv", p3, "");
  {
    g_autofree char *text = g_strconcat (e2, p3, "\n", NULL);
    put ("long-2.csv", text);
  }
  {
    g_autofree char *swapped = g_strconcat (p2, "\n", p1, NULL);
    g_autofree char *both = g_strconcat (p1, "\n", p2, NULL);
    edit ("e-2.csv", "swap-2.csv", both, swapped);
  }
  edit ("e-2.csv", "runs-2.csv", "# runs: 8-15 of 24", "# runs: 8-16 of 24");
  /* a short-2.csv with the row removed leaves an empty line: drop it too */
  {
    g_autofree char *text = contents ("short-2.csv");
    g_autoptr(GString) s = g_string_new (text);
    g_string_truncate (s, s->len - 1);
    put ("short-2.csv", s->str);
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *o = NULL, *e = NULL;
      int status = run_argv (&o, &e, cases[i].args);

      if (status != cases[i].status || strstr (e, cases[i].message) == NULL)
        {
          g_test_message ("case %u: exit %d, stderr: %s", i, status, e);
          g_test_fail ();
        }
    }
  /* none of the refusals wrote an output */
  {
    g_autofree char *x = path_of ("x.csv");
    g_assert_false (g_file_test (x, G_FILE_TEST_EXISTS));
  }
  whole = contents ("whole-e.csv");
  g_assert_true (g_str_has_prefix (whole, "run,"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("COORDYN_CLI");
  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      /* Without the CLI there is nothing to test: fail loudly. */
      g_printerr ("COORDYN_CLI is not set to an executable coordyn-cli\n");
      return 1;
    }
  dir = g_dir_make_tmp ("coordyn-study-cli-XXXXXX", NULL);
  g_assert_nonnull (dir);
  put ("model.json", model_json);
  put ("spec.json", spec_json);
  put ("nr.json", "{ \"simulation\": {\"t_end\": 6, \"dt\": 1},"
                  "  \"nodes\": [ {\"id\": \"a\"}, {\"id\": \"b\"} ],"
                  "  \"edges\": [ {\"kind\": \"partnership\", \"source\": \"a\","
                  "               \"target\": \"b\"} ] }");

  g_test_add_func ("/analysis/study-cli/experiment", test_experiment);
  g_test_add_func ("/analysis/study-cli/experiment-errors", test_experiment_errors);
  g_test_add_func ("/analysis/study-cli/shards", test_shards);
  g_test_add_func ("/analysis/study-cli/bad-shards", test_bad_shards);
  status = g_test_run ();

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = path_of (name);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return status;
}
