/* fuzz-inputs.c — libFuzzer target for the readers of user-supplied files
 * other than the model file (which fuzz-model-load.c and fuzz-model-file.c
 * cover).
 *
 * The first byte of an input chooses the reader, the rest is the file:
 *   'c'  an RFC 4180 table (cd_csv_table_parse): it reads back the same
 *        cells once written again with the table writer's quoting;
 *   'o'  observed data (cd_observed_parse), bound to the tutorial model
 *        (cd_observed_bind) and its times listed (cd_observed_times);
 *   'g'  GraphML (cd_network_import_graphml_data): a network that imports
 *        validates, and exported as GraphML or as a CSV pair it imports
 *        again as the same model;
 *   'n'  a node and an edge CSV (cd_network_import_csv), the two split at
 *        the first NUL byte and written to files, with the same checks;
 *   'i'  an institutional arrangement (cd_institution_load_data), applied
 *        to the tutorial model (refused: it is version 1) and to its
 *        version-2 upgrade;
 *   'e'  an experiment spec (cd_experiment_load_data) whose folder holds
 *        the tutorial as model.json and its upgrade as model2.json: it
 *        saves to a spec that reads back the same, and its last run runs;
 *   's'  up to three shard files (split at NUL bytes) opened as one set
 *        (cd_shard_set_open) and merged (cd_shard_set_merge) in memory.
 * Any other first byte is mapped onto these seven by its value modulo 7.
 * With FUZZ_INPUTS_ONLY set to one of the seven letters, every input goes
 * to that reader (its first byte still skipped), to fuzz one reader alone.
 *
 * For every reader: exactly one of a result and an error; the error is in
 * the reader's own domain, with a non-empty UTF-8 message; nothing leaks
 * (LeakSanitizer in the fuzz build); no file is left in the temporary
 * folder.  The same function is linked into the replay driver
 * (fuzz-replay.c), so the seeds of corpus-inputs/ and every past finding
 * of regressions-inputs/ run in the ordinary test suite.
 *
 * The tutorial model is read from $COORDYN_EXAMPLES_DIR (which meson test
 * sets), else from the source tree this program was built from.
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

#include <glib/gstdio.h>

#include "cd-analysis-csv.h"
#include "cd-csv-read.h"
#include "cd-csv.h"
#include "cd-experiment.h"
#include "cd-file.h"
#include "cd-institution.h"
#include "cd-model-json.h"
#include "cd-model-upgrade.h"
#include "cd-network-io.h"
#include "cd-observed.h"
#include "cd-shard.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Larger inputs are not read: libFuzzer's are at most -max_len (16 KiB in
 * CI), and a seed is a few hundred bytes. */
#define FUZZ_MAX_INPUT   (64u * 1024u)
/* An imported network without positions is laid out, which takes time
 * quadratic in its governments: a few hundred stay within milliseconds. */
#define FUZZ_MAX_NETWORK (6u * 1024u)
/* Shard files at most: three are enough for every refusal of a set (a
 * foreign part, a part twice, a missing part). */
#define FUZZ_MAX_SHARDS  3

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
fail (const char *fmt, ...)
{
  va_list args;

  fputs ("fuzz-inputs: invariant broken: ", stderr);
  va_start (args, fmt);
  vfprintf (stderr, fmt, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

/* With FUZZ_INPUTS_VERBOSE set, what each reader made of the input, to
 * see what a seed reaches. */
static void
note (const char   *what,
      const GError *error)
{
  if (g_getenv ("FUZZ_INPUTS_VERBOSE") != NULL)
    fprintf (stderr, "fuzz-inputs: %s: %s\n", what, error != NULL ? error->message : "accepted");
}

/* A refusal: an error of the reader's `domain` (a file it cannot read
 * too: no reader here lets G_FILE_ERROR or CD_FILE_ERROR through), with a
 * non-empty UTF-8 message. */
static void
check_error (const GError *error,
             GQuark        domain,
             const char   *what)
{
  if (error == NULL)
    fail ("%s failed without an error", what);
  if (error->domain != domain)
    fail ("%s failed with an error of domain %s, not %s: %s", what,
          g_quark_to_string (error->domain), g_quark_to_string (domain),
          g_utf8_validate (error->message, -1, NULL) ? error->message : "(not UTF-8)");
  if (error->message == NULL || *error->message == '\0')
    fail ("%s failed with an empty message", what);
  if (!g_utf8_validate (error->message, -1, NULL))
    fail ("%s failed with a message that is not UTF-8: %s", what, error->message);
}

/* Exactly one of a result and an error. */
static void
check_one_of (gconstpointer  result,
              const GError  *error,
              const char    *what)
{
  if (result != NULL && error != NULL)
    fail ("%s gave a result and an error: %s", what, error->message);
}

static void
check_text (const char *text,
            const char *what)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    fail ("%s is not UTF-8 text", what);
}

/* ---- what every input shares: the models and the folder ------------------- */

static char     *dir;          /* the temporary folder */
static char     *tutorial_text;
static gsize     tutorial_len;
static CdModel  *tutorial;     /* version 1, as shipped */
static CdModel  *tutorial2;    /* its version-2 upgrade */

/* What the folder always holds: the experiments' models. */
static gboolean
is_fixture (const char *name)
{
  return strcmp (name, "model.json") == 0 || strcmp (name, "model2.json") == 0;
}

static void
remove_dir (void)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&tutorial_text, g_free);
  g_clear_pointer (&tutorial, cd_model_free);
  g_clear_pointer (&tutorial2, cd_model_free);
}

static void
set_up (void)
{
  const char *examples = g_getenv ("COORDYN_EXAMPLES_DIR");
  g_autofree char *path = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *model_path = NULL;
  g_autofree char *model2_path = NULL;
  g_autoptr(GError) error = NULL;
  gsize len2 = 0;

  if (examples == NULL || *examples == '\0')
    examples = CD_FUZZ_EXAMPLES_DIR;
  path = g_build_filename (examples, "tutorial.json", NULL);
  if (!g_file_get_contents (path, &tutorial_text, &tutorial_len, &error))
    fail ("cannot read the tutorial model: %s", error->message);
  tutorial = cd_model_load_data (tutorial_text, tutorial_len, &error);
  if (tutorial == NULL)
    fail ("the tutorial model does not load: %s", error->message);
  if (tutorial->version != 1)
    fail ("the tutorial model is version %d; this target expects version 1", tutorial->version);
  tutorial2 = cd_model_upgrade (tutorial, &error);
  if (tutorial2 == NULL)
    fail ("the tutorial model does not upgrade: %s", error->message);

  /* In memory where there is a tmpfs, as fuzz-model-file.c does; under
   * $FUZZ_SCRATCH when .ci/fuzz.sh sets it, which removes the folders of
   * jobs libFuzzer ends without running atexit (a crash, a timeout). */
  const char *parent = g_getenv ("FUZZ_SCRATCH");
  if (parent == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    parent = "/dev/shm";
  if (parent != NULL)
    {
      char *template = g_build_filename (parent, "fuzz-inputs-XXXXXX", NULL);
      dir = g_mkdtemp (template);
      if (dir == NULL)
        g_free (template);
    }
  if (dir == NULL)
    dir = g_dir_make_tmp ("fuzz-inputs-XXXXXX", NULL);
  if (dir == NULL)
    fail ("no temporary folder");
  atexit (remove_dir);

  model_path = g_build_filename (dir, "model.json", NULL);
  model2_path = g_build_filename (dir, "model2.json", NULL);
  json2 = cd_model_to_json (tutorial2, &len2);
  if (!g_file_set_contents (model_path, tutorial_text, (gssize) tutorial_len, NULL)
      || !g_file_set_contents (model2_path, json2, (gssize) len2, NULL))
    fail ("could not write the models into %s", dir);
}

static char *
put_file (const char *name,
          const char *data,
          gsize       size)
{
  char *path = g_build_filename (dir, name, NULL);

  if (!g_file_set_contents (path, data, (gssize) size, NULL))
    fail ("could not write %s", path);
  return path;
}

/* Removes what the input wrote, then checks that the readers left nothing. */
static void
clean_folder (const char *const *names,
              guint               n)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_unlink (path);
    }
  d = g_dir_open (dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (!is_fixture (name))
      fail ("a file was left behind in the temporary folder: %s", name);
}

/* ---- 'c': a CSV table ------------------------------------------------------------ */

/* The table as the writer quotes cells (cd_csv_append_cell), after a
 * byte-order mark as spreadsheets write one (so that a first cell that
 * starts with U+FEFF keeps it). */
static GString *
table_text (const CdCsvTable *table)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");

  for (guint r = 0; r < table->rows->len; r++)
    {
      const CdCsvRow *row = g_ptr_array_index (table->rows, r);

      /* A row of one empty cell is written "" by hand: the writer's empty
       * cell is nothing, which would be a blank line, and blank lines are
       * skipped.  (The writer is used for rows of several cells only.) */
      if (row->n_cells == 1 && row->cells[0][0] == '\0')
        g_string_append (out, "\"\"");
      for (guint c = 0; c < row->n_cells; c++)
        {
          if (c > 0)
            g_string_append_c (out, ',');
          cd_csv_append_cell (out, row->cells[c]);
        }
      g_string_append (out, r % 2 == 0 ? "\r\n" : "\n");
    }
  return out;
}

static void
check_table (const CdCsvTable *table,
             const char       *what)
{
  const CdCsvRow *header;
  guint last_line = 0;

  if (table->rows == NULL || table->rows->len == 0)
    fail ("%s: a table without a header", what);
  header = g_ptr_array_index (table->rows, 0);
  for (guint r = 0; r < table->rows->len; r++)
    {
      const CdCsvRow *row = g_ptr_array_index (table->rows, r);

      if (row->n_cells != header->n_cells)
        fail ("%s: row %u has %u cells, the header %u", what, r, row->n_cells, header->n_cells);
      if (row->line <= last_line)
        fail ("%s: row %u is on line %u, after line %u", what, r, row->line, last_line);
      last_line = row->line;
      if (row->cells[row->n_cells] != NULL)
        fail ("%s: row %u's cells are not NULL-terminated", what, r);
      for (guint c = 0; c < row->n_cells; c++)
        {
          double v;

          check_text (row->cells[c], "a cell");
          if (cd_csv_parse_number (row->cells[c], &v) && !isfinite (v))
            fail ("%s: the cell \"%s\" read as the number %g", what, row->cells[c], v);
        }
    }
}

static void
fuzz_csv (const char *data,
          gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCsvTable) table = cd_csv_table_parse (data, size, "fuzz.csv", &error);
  g_autoptr(CdCsvTable) again = NULL;
  g_autoptr(GString) text = NULL;

  note ("cd_csv_table_parse", error);
  check_one_of (table, error, "cd_csv_table_parse");
  if (table == NULL)
    {
      check_error (error, CD_CSV_READ_ERROR, "cd_csv_table_parse");
      return;
    }
  check_table (table, "cd_csv_table_parse");
  {
    /* Every place a reader of the table may name makes a message. */
    const CdCsvRow *last = g_ptr_array_index (table->rows, table->rows->len - 1);
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;

    cd_csv_table_set_error (table, &e1, last->line, last->n_cells - 1, "%s", "a problem");
    cd_csv_table_set_error (table, &e2, last->line, G_MAXUINT, "%s", "a problem");
    check_error (e1, CD_CSV_READ_ERROR, "cd_csv_table_set_error");
    check_error (e2, CD_CSV_READ_ERROR, "cd_csv_table_set_error");
  }

  text = table_text (table);
  again = cd_csv_table_parse (text->str, text->len, "again.csv", &error);
  if (again == NULL)
    fail ("a table written again does not read: %s\n--- written ---\n%s", error->message,
          text->str);
  if (again->rows->len != table->rows->len)
    fail ("a table of %u rows reads back as %u\n--- written ---\n%s", table->rows->len,
          again->rows->len, text->str);
  for (guint r = 0; r < table->rows->len; r++)
    {
      const CdCsvRow *a = g_ptr_array_index (table->rows, r);
      const CdCsvRow *b = g_ptr_array_index (again->rows, r);

      for (guint c = 0; c < a->n_cells; c++)
        if (strcmp (a->cells[c], b->cells[c]) != 0)
          fail ("row %u, cell %u: \"%s\" reads back as \"%s\"", r, c, a->cells[c], b->cells[c]);
    }
}

/* ---- 'o': observed data ------------------------------------------------------------ */

static void
fuzz_observed (const char *data,
               gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdObserved) obs = cd_observed_parse (data, size, "observed.csv", &error);
  g_autofree double *times = NULL;
  g_autofree guint *row_time = NULL;
  guint n_times = 0, n_values = 0, n_partnerships = 0;
  gboolean bound;

  note ("cd_observed_parse", error);
  check_one_of (obs, error, "cd_observed_parse");
  if (obs == NULL)
    {
      check_error (error, CD_CSV_READ_ERROR, "cd_observed_parse");
      return;
    }
  if (obs->n_columns == 0 || obs->n_values == 0 || obs->t_col == G_MAXUINT)
    fail ("observed data without a column, a value or t");
  for (guint c = 0; c < obs->n_columns; c++)
    {
      const CdObservedColumn *col = &obs->columns[c];

      check_text (col->name, "a column's name");
      if (col->file_col == obs->t_col)
        fail ("column %u is t's column", c);
      n_values += col->n_values;
    }
  if (n_values != obs->n_values)
    fail ("the columns have %u values, the data %u", n_values, obs->n_values);
  for (guint r = 0; r < obs->n_rows; r++)
    {
      if (!isfinite (obs->t[r]) || obs->t[r] < 0)
        fail ("row %u has the time %g", r, obs->t[r]);
      for (guint c = 0; c < obs->n_columns; c++)
        if (isinf (obs->values[(gsize) r * obs->n_columns + c]))
          fail ("row %u, column %u holds an infinite value", r, c);
    }

  bound = cd_observed_bind (obs, tutorial, &error);
  note ("cd_observed_bind", error);
  if (!bound)
    {
      check_error (error, CD_CSV_READ_ERROR, "cd_observed_bind");
      if (obs->bound)
        fail ("cd_observed_bind failed but says the data are bound");
      return;
    }
  if (error != NULL)
    fail ("cd_observed_bind succeeded with an error: %s", error->message);
  if (!obs->bound)
    fail ("cd_observed_bind succeeded but the data are not bound");
  for (guint e = 0; e < tutorial->edges->len; e++)
    n_partnerships += ((CdEdge *) g_ptr_array_index (tutorial->edges, e))->kind
                      == CD_EDGE_PARTNERSHIP;
  for (guint c = 0; c < obs->n_columns; c++)
    {
      const CdObservedColumn *col = &obs->columns[c];

      if (col->kind == CD_OBSERVED_X && col->index >= tutorial->nodes->len)
        fail ("column %s bound to government %u of %u", col->name, col->index,
              tutorial->nodes->len);
      if (col->kind == CD_OBSERVED_TRUST && col->index >= n_partnerships)
        fail ("column %s bound to partnership %u", col->name, col->index);
    }

  times = cd_observed_times (obs, &n_times, &row_time);
  if (n_times == 0 || n_times > obs->n_rows)
    fail ("%u distinct times in %u rows", n_times, obs->n_rows);
  for (guint k = 1; k < n_times; k++)
    if (!(times[k - 1] < times[k]))
      fail ("the times are not increasing: %g then %g", times[k - 1], times[k]);
  if (times[n_times - 1] > tutorial->sim.t_end)
    fail ("the time %g is after the run (t_end %g) yet bound", times[n_times - 1],
          tutorial->sim.t_end);
  for (guint r = 0; r < obs->n_rows; r++)
    if (row_time[r] >= n_times || times[row_time[r]] != obs->t[r])
      fail ("row %u (t = %g) is given time %u", r, obs->t[r], row_time[r]);
}

/* ---- 'g' and 'n': networks ---------------------------------------------------------- */

static void
check_warnings (GPtrArray  *warnings,
                const char *what)
{
  for (guint i = 0; i < warnings->len; i++)
    {
      const char *w = g_ptr_array_index (warnings, i);
      if (w == NULL || *w == '\0' || !g_utf8_validate (w, -1, NULL))
        fail ("%s gave a warning that is empty or not UTF-8", what);
    }
}

/* A network that imported: valid, saves as a model file, and exported
 * either way it imports again as itself. */
static void
check_network (const CdModel *model,
               const char    *place)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CdModel) from_graphml = NULL;
  g_autoptr(CdModel) from_csv = NULL;
  g_autoptr(CdModel) from_json = NULL;
  g_autoptr(CdModel) pinned = NULL;
  g_autofree char *graphml = NULL;
  g_autofree char *nodes = NULL, *edges = NULL;
  g_autofree char *nodes_path = NULL, *edges_path = NULL;
  g_autofree char *json = NULL;
  CdImportOptions options = CD_IMPORT_OPTIONS_INIT;
  gsize length = 0;

  if (!cd_model_validate (model, &error))
    fail ("an imported network does not validate: %s", error->message);
  check_text (model->name, "the model's name");
  for (guint i = 0; i < model->nodes->len; i++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, i);

      check_text (node->id, "a government's id");
      check_text (node->name, "a government's name");
      if (!node->has_pos || !isfinite (node->pos[0]) || !isfinite (node->pos[1]))
        fail ("government %s has no finite position after the import", node->id);
    }

  /* GraphML says the version and the name: the same model comes back. */
  graphml = cd_network_to_graphml (model, &length);
  if (graphml == NULL || length != strlen (graphml) || !g_utf8_validate (graphml, -1, NULL))
    fail ("cd_network_to_graphml gave no text, or text that is not UTF-8");
  from_graphml = cd_network_import_graphml_data (graphml, length, place, NULL, warnings,
                                                 &error);
  if (from_graphml == NULL)
    fail ("an exported network does not import again: %s\n--- GraphML ---\n%s",
          error->message, graphml);
  if (warnings->len > 0)
    fail ("an exported network imports with a warning: %s\n--- GraphML ---\n%s",
          (char *) g_ptr_array_index (warnings, 0), graphml);
  if (!cd_model_equal (model, from_graphml))
    {
      g_autofree char *a = cd_model_to_json (model, NULL);
      g_autofree char *b = cd_model_to_json (from_graphml, NULL);
      fail ("a network exported as GraphML imports as another\n--- GraphML ---\n%s"
            "--- imported ---\n%s--- imported again ---\n%s", graphml, a, b);
    }

  /* A CSV pair holds neither: the version is asked for, and the model is
   * named after the nodes file.  That loss is the format's, so the name is
   * not compared. */
  cd_network_to_csv (model, &nodes, &edges);
  if (!g_utf8_validate (nodes, -1, NULL) || !g_utf8_validate (edges, -1, NULL))
    fail ("cd_network_to_csv wrote text that is not UTF-8");
  nodes_path = put_file ("export-nodes.csv", nodes, strlen (nodes));
  edges_path = put_file ("export-edges.csv", edges, strlen (edges));
  options.version = model->version;
  from_csv = cd_network_import_csv (nodes_path, edges_path, &options, warnings, &error);
  clean_folder ((const char *const[]) { "export-nodes.csv", "export-edges.csv" }, 2);
  if (from_csv == NULL)
    fail ("an exported CSV pair does not import again: %s\n--- nodes ---\n%s--- edges ---\n%s",
          error->message, nodes, edges);
  if (warnings->len > 0)
    fail ("an exported CSV pair imports with a warning: %s",
          (char *) g_ptr_array_index (warnings, 0));
  g_free (from_csv->name);
  from_csv->name = g_strdup (model->name);
  if (!cd_model_equal (model, from_csv))
    {
      g_autofree char *a = cd_model_to_json (model, NULL);
      g_autofree char *b = cd_model_to_json (from_csv, NULL);
      fail ("a network exported as CSV imports as another\n--- nodes ---\n%s--- edges ---\n%s"
            "--- imported ---\n%s--- imported again ---\n%s", nodes, edges, a, b);
    }

  /* Saved as a model file (the app's Save after an import). */
  json = cd_model_to_json (model, &length);
  from_json = cd_model_load_data (json, length, &error);
  if (from_json == NULL)
    fail ("an imported network saves to a file that does not load: %s\n%s", error->message,
          json);
  pinned = cd_model_copy (model);
  cd_model_pin_default_appraisals (pinned);
  if (!cd_model_equal (pinned, from_json))
    fail ("an imported network saved and loaded is another model\n%s", json);
}

static void
fuzz_graphml (const char *data,
              gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CdModel) model = NULL;

  if (size > FUZZ_MAX_NETWORK)
    return;
  model = cd_network_import_graphml_data (data, size, "fuzz.graphml", NULL, warnings, &error);
  note ("cd_network_import_graphml_data", error);
  check_one_of (model, error, "cd_network_import_graphml_data");
  check_warnings (warnings, "cd_network_import_graphml_data");
  if (model == NULL)
    {
      check_error (error, CD_NETWORK_ERROR, "cd_network_import_graphml_data");
      return;
    }
  check_network (model, "fuzz.graphml");
}

static void
fuzz_network_csv (const char *data,
                  gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CdModel) model = NULL;
  g_autofree char *nodes_path = NULL, *edges_path = NULL;
  const char *nul;
  gsize n_nodes;

  if (size > FUZZ_MAX_NETWORK)
    return;
  nul = memchr (data, '\0', size);
  n_nodes = nul != NULL ? (gsize) (nul - data) : size;
  nodes_path = put_file ("nodes.csv", data, n_nodes);
  edges_path = nul != NULL ? put_file ("edges.csv", nul + 1, size - n_nodes - 1)
                           : put_file ("edges.csv", "", 0);
  model = cd_network_import_csv (nodes_path, edges_path, NULL, warnings, &error);
  clean_folder ((const char *const[]) { "nodes.csv", "edges.csv" }, 2);
  note ("cd_network_import_csv", error);
  check_one_of (model, error, "cd_network_import_csv");
  check_warnings (warnings, "cd_network_import_csv");
  if (model == NULL)
    {
      check_error (error, CD_NETWORK_ERROR, "cd_network_import_csv");
      return;
    }
  if (model->version != CD_MODEL_VERSION_LATEST)
    fail ("a CSV pair imported without a version is version %d", model->version);
  check_network (model, "nodes.csv");
}

/* ---- 'i': an institutional arrangement ------------------------------------------ */

static void
fuzz_institution (const char *data,
                  gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdInstitution) inst = cd_institution_load_data (data, size, &error);
  g_autoptr(CdInstitution) copy = NULL;
  g_autoptr(CdModel) on_v1 = NULL;
  g_autoptr(CdModel) on_v2 = NULL;
  CdScenario *scenario;

  note ("cd_institution_load_data", error);
  check_one_of (inst, error, "cd_institution_load_data");
  if (inst == NULL)
    {
      check_error (error, CD_INSTITUTION_ERROR, "cd_institution_load_data");
      return;
    }
  check_text (inst->name, "the arrangement's name");
  if (*inst->name == '\0')
    fail ("an arrangement without a name was read");
  check_text (cd_institution_display_name (inst), "the arrangement's display name");
  check_text (cd_institution_display_description (inst), "the arrangement's description");
  copy = cd_institution_copy (inst);

  /* The tutorial is version 1: refused, saying so. */
  on_v1 = cd_institution_apply (copy, tutorial, &error);
  check_one_of (on_v1, error, "cd_institution_apply");
  if (on_v1 != NULL)
    fail ("an arrangement applied to a version-1 model");
  check_error (error, CD_INSTITUTION_ERROR, "cd_institution_apply");
  if (error->code != CD_INSTITUTION_ERROR_MODEL)
    fail ("an arrangement refused on a version-1 model with code %d", error->code);
  g_clear_error (&error);

  on_v2 = cd_institution_apply (inst, tutorial2, &error);
  note ("cd_institution_apply", error);
  check_one_of (on_v2, error, "cd_institution_apply");
  if (on_v2 == NULL)
    check_error (error, CD_INSTITUTION_ERROR, "cd_institution_apply");
  else
    {
      g_autoptr(CdModel) again = NULL;
      g_autofree char *json = NULL;
      gsize len = 0;

      if (!cd_model_validate (on_v2, &error))
        fail ("an arrangement applied gives an invalid model: %s", error->message);
      for (guint p = 0; p < CD_N_PARAMS; p++)
        if (inst->param_set[p] && on_v2->params.values[p] != inst->param_value[p])
          fail ("the arrangement sets parameter %u, the model has another value", p);
      json = cd_model_to_json (on_v2, &len);
      again = cd_model_load_data (json, len, &error);
      if (again == NULL)
        fail ("a model under an arrangement does not save: %s", error->message);
    }
  g_clear_error (&error);

  scenario = cd_institution_to_scenario (inst, tutorial2, &error);
  if (scenario == NULL)
    fail ("an arrangement does not make a scenario: %s", error ? error->message : "");
  check_text (scenario->name, "the scenario's name");
  cd_scenario_free (scenario);
}

/* ---- 'e': an experiment spec ---------------------------------------------------- */

static gboolean
on_rows (guint64          first,
         guint            n,
         const CdOutcome *outcomes,
         gpointer         user_data,
         GError         **error)
{
  const CdExperiment *exp = user_data;
  g_autoptr(GString) text = g_string_new (NULL);
  CdCsvSink sink = { NULL, text };
  g_autofree char *lower = NULL;

  if (n != 1 || first != exp->n_runs - 1)
    fail ("asked for run %" G_GUINT64_FORMAT ", got %u from %" G_GUINT64_FORMAT,
          exp->n_runs - 1, n, first);
  cd_analysis_csv_experiment_rows (&sink, exp, first, n, outcomes);
  lower = g_ascii_strdown (text->str, -1);
  if (!g_utf8_validate (text->str, -1, NULL) || strstr (lower, "nan") != NULL
      || strstr (lower, "inf") != NULL)
    fail ("an experiment's row is not finite numbers: %s", text->str);
  return TRUE;
}

static void
fuzz_experiment (const char *data,
                 gsize       size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdExperiment) exp = cd_experiment_load_data (data, size, dir, &error);
  g_autoptr(CdExperiment) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autofree guint *levels = NULL;
  guint scenario = 0;
  gboolean ran;

  note ("cd_experiment_load_data", error);
  check_one_of (exp, error, "cd_experiment_load_data");
  if (exp == NULL)
    {
      check_error (error, CD_EXPERIMENT_ERROR, "cd_experiment_load_data");
      clean_folder (NULL, 0);
      return;
    }
  if (exp->model == NULL || exp->n_runs == 0 || exp->n_runs > CD_EXPERIMENT_MAX_RUNS
      || exp->outputs->len == 0 || exp->scenarios->len == 0 || exp->institutions->len == 0)
    fail ("a spec read with no model, runs, outputs, scenario or arrangement");
  for (guint i = 0; i < exp->vary->len; i++)
    {
      const CdExperimentVary *v = g_ptr_array_index (exp->vary, i);

      if (v->n_values == 0 || !cd_param_in_version (v->param, exp->model->version))
        fail ("vary[%u] has no values, or a parameter the model does not have", i);
      for (guint k = 0; k < v->n_values; k++)
        if (!cd_param_value_in_range (v->param, v->values[k]))
          fail ("vary[%u] holds %g, outside its parameter's range", i, v->values[k]);
    }

  /* Saved, it reads back as the same spec. */
  json = cd_experiment_to_json (exp);
  if (json == NULL || !g_utf8_validate (json, -1, NULL))
    fail ("cd_experiment_to_json gave no text, or text that is not UTF-8");
  again = cd_experiment_load_data (json, strlen (json), dir, &error);
  if (again == NULL)
    fail ("a spec saved does not read again: %s\n--- saved ---\n%s", error->message, json);
  json_again = cd_experiment_to_json (again);
  if (strcmp (json, json_again) != 0 || again->n_runs != exp->n_runs)
    fail ("a spec saved reads as another\n--- first ---\n%s--- second ---\n%s", json,
          json_again);

  /* The last run: the slowest-varying choices at their last. */
  levels = g_new0 (guint, MAX (exp->vary->len, 1));
  cd_experiment_levels (exp, exp->n_runs - 1, &scenario, levels);
  if (scenario >= exp->scenarios->len
      || cd_experiment_institution (exp, exp->n_runs - 1) >= exp->institutions->len)
    fail ("the last run has no scenario or arrangement");
  for (guint i = 0; i < exp->vary->len; i++)
    if (levels[i] >= ((CdExperimentVary *) g_ptr_array_index (exp->vary, i))->n_values)
      fail ("the last run has value %u of vary[%u]", levels[i], i);
  ran = cd_experiment_run (exp, exp->n_runs - 1, 1, 1, on_rows, exp, NULL, NULL, NULL, &error);
  note ("cd_experiment_run", error);
  if (!ran)
    {
      /* Any engine's error may stop a run (an arrangement refused, a
       * simulation failing): it must say why. */
      if (error == NULL || *error->message == '\0' || !g_utf8_validate (error->message, -1, NULL))
        fail ("an experiment's run failed without a message");
    }
  clean_folder (NULL, 0);
}

/* ---- 's': shard files ------------------------------------------------------------- */

/* The merged table reads as a table; the runs' (Monte Carlo, experiment)
 * has one row per run of the study, in order. */
static void
check_merged (const CdShardSet *set,
              const GString    *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CdCsvTable) table = cd_csv_table_parse (out->str, out->len, "merged.csv", &error);

  if (table == NULL)
    fail ("a merged table is not a table: %s\n%s", error->message, out->str);
  if (cd_shard_set_kind (set) == CD_SHARD_SOBOL)
    return;
  for (guint r = 1; r < table->rows->len; r++)
    {
      const CdCsvRow *row = g_ptr_array_index (table->rows, r);
      g_autofree char *run = g_strdup_printf ("%u", r - 1);

      if (strcmp (row->cells[0], run) != 0)
        fail ("row %u of a merged table is of run \"%s\"\n%s", r, row->cells[0], out->str);
    }
}

static void
fuzz_shards (const char *data,
             gsize       size)
{
  static const char *const names[FUZZ_MAX_SHARDS] = { "part-1.csv", "part-2.csv",
                                                       "part-3.csv" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CdShardSet) set = NULL;
  char *paths[FUZZ_MAX_SHARDS] = { NULL };
  const char *p = data, *end = data + size;
  guint n = 0;

  /* Split at NUL bytes: the last file takes the rest, NULs and all. */
  while (n < FUZZ_MAX_SHARDS)
    {
      const char *nul = n + 1 < FUZZ_MAX_SHARDS ? memchr (p, '\0', end - p) : NULL;
      const char *stop = nul != NULL ? nul : end;

      paths[n] = put_file (names[n], p, stop - p);
      n++;
      if (nul == NULL)
        break;
      p = nul + 1;
    }

  set = cd_shard_set_open ((const char *const *) paths, n, &error);
  note ("cd_shard_set_open", error);
  check_one_of (set, error, "cd_shard_set_open");
  if (set == NULL)
    check_error (error, CD_SHARD_ERROR, "cd_shard_set_open");
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GString) bands = g_string_new (NULL);
      CdCsvSink out_sink = { NULL, out };
      CdCsvSink bands_sink = { NULL, bands };

      gboolean merged = cd_shard_set_merge (set, &out_sink, &bands_sink, &error);

      note ("cd_shard_set_merge", error);
      if (!merged)
        check_error (error, CD_SHARD_ERROR, "cd_shard_set_merge");
      else
        {
          if (error != NULL)
            fail ("cd_shard_set_merge succeeded with an error: %s", error->message);
          if (out->len == 0 || out->str[out->len - 1] != '\n')
            fail ("a merge wrote no table, or an unfinished one:\n%s", out->str);
          check_merged (set, out);
          if (cd_shard_set_has_trajectories (set)
              && (bands->len == 0 || bands->str[bands->len - 1] != '\n'))
            fail ("a merge with trajectories wrote no bands");
          if (bands->len > 0)
            {
              g_autoptr(CdCsvTable) table = cd_csv_table_parse (bands->str, bands->len,
                                                                "bands.csv", &error);
              if (table == NULL)
                fail ("merged bands are not a table: %s\n%s", error->message, bands->str);
            }
        }
    }
  for (guint i = 0; i < n; i++)
    g_free (paths[i]);
  clean_folder ((const char *const *) names, n);
}

/* ---- the target ------------------------------------------------------------------- */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char selectors[] = "cognies";
  const char *only;
  const char *text;
  const char *chosen;
  gsize len;

  if (size == 0 || size > FUZZ_MAX_INPUT)
    return 0;
  if (dir == NULL)
    set_up ();
  only = g_getenv ("FUZZ_INPUTS_ONLY");
  chosen = strchr (selectors, only != NULL && *only != '\0' ? *only : data[0]);
  if (chosen == NULL || *chosen == '\0')
    chosen = &selectors[data[0] % (sizeof selectors - 1)];
  text = (const char *) data + 1;
  len = size - 1;

  switch (*chosen)
    {
    case 'c': fuzz_csv (text, len); break;
    case 'o': fuzz_observed (text, len); break;
    case 'g': fuzz_graphml (text, len); break;
    case 'n': fuzz_network_csv (text, len); break;
    case 'i': fuzz_institution (text, len); break;
    case 'e': fuzz_experiment (text, len); break;
    case 's': fuzz_shards (text, len); break;
    default: g_assert_not_reached ();
    }
  return 0;
}
