/* cd-shard.c — writing shard files, and checking and merging them (see cd-shard.h).
 *
 * Merging reads each shard twice: first its preamble only, so that a
 * foreign, repeated or missing part is refused before anything is
 * written; then its rows, in part order, streaming the tables that are
 * rows already (Monte Carlo runs, experiment runs) and collecting the
 * numbers the others need (Sobol outcomes, trajectories for bands).  Only
 * the preambles stay in memory between the two, so a merge of thousands of
 * shards keeps no file open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd-csv.h"
#include "cd-file.h"
#include "cd-locale.h"
#include "cd-shard.h"

G_DEFINE_QUARK (cd-shard-error-quark, cd_shard_error)

#define MAGIC "# coordyn-shard: "
/* The most runs a sharded study has (Monte Carlo and experiments; a Sobol
 * design of at most 10^6 base runs has fewer), and what cd_shard_bounds
 * needs for its products to fit in 64 bits. */
#define MAX_RUNS ((guint64) MAX (CD_MC_MAX_RUNS, CD_EXPERIMENT_MAX_RUNS))

static const char *const kind_names[] = {
  [CD_SHARD_MONTECARLO] = "montecarlo",
  [CD_SHARD_SOBOL] = "sensitivity",
  [CD_SHARD_EXPERIMENT] = "experiment",
};

void
cd_shard_bounds (guint64  total,
                 guint    shard,
                 guint    n_shards,
                 guint64 *first,
                 guint64 *count)
{
  guint64 lo, hi;

  if (n_shards <= 1)
    {
      *first = 0;
      *count = total;
      return;
    }
  g_return_if_fail (shard >= 1 && shard <= n_shards);
  /* total ≤ 10^8 and n_shards < 2^32: the products fit in 64 bits. */
  lo = (shard - 1) * total / n_shards;
  hi = shard * total / n_shards;
  *first = lo;
  *count = hi - lo;
}

/* ---- heads ---------------------------------------------------------------- */

CdShardHead *
cd_shard_head_new (CdShardKind kind,
                   guint       shard,
                   guint       n_shards,
                   guint64     total)
{
  CdShardHead *head = g_new0 (CdShardHead, 1);

  g_return_val_if_fail (shard >= 1 && shard <= n_shards, head);

  head->kind = kind;
  head->shard = shard;
  head->n_shards = n_shards;
  head->total = total;
  cd_shard_bounds (total, shard, n_shards, &head->first, &head->count);
  head->identity = g_ptr_array_new_with_free_func (g_free);
  /* Another version may compute other numbers: its parts are not this study's. */
  cd_shard_head_add (head, "coordyn", "%s", PACKAGE_VERSION);
  return head;
}

void
cd_shard_head_free (CdShardHead *head)
{
  if (head == NULL)
    return;
  g_clear_pointer (&head->identity, g_ptr_array_unref);
  g_free (head);
}

void
cd_shard_head_add (CdShardHead *head,
                   const char  *key,
                   const char  *format,
                   ...)
{
  g_autofree char *value = NULL;
  va_list args;

  g_return_if_fail (head != NULL && key != NULL && strchr (key, ':') == NULL);

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  g_return_if_fail (strchr (value, '\n') == NULL);
  g_ptr_array_add (head->identity, g_strdup_printf ("%s: %s", key, value));
}

/* A number as the tables write it: 17 digits, "0" for −0, empty if not finite. */
static void
append_number (GString *out,
               double   v)
{
  char buf[32];

  if (!isfinite (v))
    return;
  cd_format_g17 (buf, v == 0.0 ? 0.0 : v);
  g_string_append (out, buf);
}

void
cd_shard_head_add_ranges (CdShardHead   *head,
                          const CdRange *ranges,
                          guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) text = g_string_new (cd_param_info (ranges[i].param)->path);

      g_string_append (text, ranges[i].dist == CD_DIST_TRIANGULAR ? ",triangular,"
                                                                  : ",uniform,");
      append_number (text, ranges[i].min);
      g_string_append_c (text, ',');
      append_number (text, ranges[i].max);
      g_string_append_c (text, ',');
      append_number (text, ranges[i].mode);
      cd_shard_head_add (head, "parameter", "%s", text->str);
    }
}

char *
cd_shard_file_sha256 (const char *path,
                      GError    **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *hex = NULL;
  gsize length = 0;

  /* Read, never mapped (cd-file.h: a file truncated while mapped is SIGBUS). */
  if (!cd_file_read_regular (path, G_MAXSSIZE, &contents, &length, error))
    return NULL;
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  return g_strconcat ("sha256:", hex, NULL);
}

/* ---- writing -------------------------------------------------------------- */

static void
sink_put (const CdCsvSink *sink,
          GString         *line)
{
  if (sink->file != NULL)
    fwrite (line->str, 1, line->len, sink->file);
  else
    g_string_append_len (sink->text, line->str, line->len);
  g_string_truncate (line, 0);
}

void
cd_shard_write_head (const CdCsvSink   *sink,
                     const CdShardHead *head)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, MAGIC "%d\n# command: %s\n# shard: %u/%u\n",
                          CD_SHARD_FORMAT_VERSION, kind_names[head->kind], head->shard,
                          head->n_shards);
  if (head->count == 0)
    g_string_append_printf (text, "# runs: none of %" G_GUINT64_FORMAT "\n", head->total);
  else
    g_string_append_printf (text, "# runs: %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
                            " of %" G_GUINT64_FORMAT "\n", head->first,
                            head->first + head->count - 1, head->total);
  for (guint i = 0; i < head->identity->len; i++)
    g_string_append_printf (text, "# %s\n", (char *) g_ptr_array_index (head->identity, i));
  sink_put (sink, text);
}

void
cd_shard_write_montecarlo (const CdCsvSink    *sink,
                           const CdShardHead  *head,
                           const CdMonteCarlo *mc)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_return_if_fail (head->first == mc->first_run && head->count == mc->n_rows);

  cd_shard_write_head (sink, head);
  cd_analysis_csv_montecarlo (sink, mc);
  if (mc->series_mean == NULL)
    return;
  for (guint r = 0; r < mc->n_rows; r++)
    {
      const double *series[2] = { mc->series_mean + (gsize) r * mc->n_times,
                                  mc->series_loss + (gsize) r * mc->n_times };

      g_string_append_printf (line, "#,%u", mc->first_run + r);
      for (guint s = 0; s < 2; s++)
        for (guint k = 0; k < mc->n_times; k++)
          {
            g_string_append_c (line, ',');
            append_number (line, series[s][k]);
          }
      g_string_append_c (line, '\n');
      sink_put (sink, line);
    }
}

void
cd_shard_write_sobol (const CdCsvSink   *sink,
                      const CdShardHead *head,
                      const CdSobolPart *part)
{
  g_autoptr(GString) line = g_string_new ("run");

  g_return_if_fail (head->first == part->first_run && head->count == part->n_rows);

  cd_shard_write_head (sink, head);
  for (guint i = 0; i < part->n_params; i++)
    {
      g_string_append_c (line, ',');
      cd_csv_append_cell (line, cd_param_info (part->ranges[i].param)->path);
    }
  g_string_append (line, ",final_mean_coordination,total_loss\n");
  sink_put (sink, line);
  for (guint r = 0; r < part->n_rows; r++)
    {
      const double *values = part->values + (gsize) r * CD_N_PARAMS;

      g_string_append_printf (line, "%u", part->first_run + r);
      for (guint i = 0; i < part->n_params; i++)
        {
          g_string_append_c (line, ',');
          append_number (line, values[part->ranges[i].param]);
        }
      g_string_append_c (line, ',');
      append_number (line, part->outcomes[r].final_mean);
      g_string_append_c (line, ',');
      append_number (line, part->outcomes[r].total_loss);
      g_string_append_c (line, '\n');
      sink_put (sink, line);
    }
}

/* ---- reading -------------------------------------------------------------- */

typedef struct
{
  char        *path;
  char        *display;          /* the path as messages show it: UTF-8 */
  CdShardHead *head;
  GArray      *identity_lines;   /* of guint: the line of each identity entry */
  char        *header;           /* the table's header, without its newline */
  guint        header_line;
  goffset      data_offset;      /* where the rows start */
} ShardFile;

struct _CdShardSet
{
  CdShardKind kind;
  guint       n_shards;
  guint64     total;
  GPtrArray  *files;             /* of ShardFile *, as given */
  ShardFile **parts;             /* n_shards, by part: the files, sorted */
  /* From the first shard's preamble (the others' are the same). */
  gboolean    trajectories;
  guint       n_times;
  double      dt;
  CdRange    *ranges;
  guint       n_ranges;
  guint       n_columns;         /* the table's, by its header */
};

static void
shard_file_free (gpointer data)
{
  ShardFile *f = data;

  g_free (f->path);
  g_free (f->display);
  cd_shard_head_free (f->head);
  if (f->identity_lines != NULL)
    g_array_unref (f->identity_lines);
  g_free (f->header);
  g_free (f);
}

void
cd_shard_set_free (CdShardSet *set)
{
  if (set == NULL)
    return;
  g_clear_pointer (&set->files, g_ptr_array_unref);
  g_free (set->ranges);
  g_free (set);
}

CdShardKind
cd_shard_set_kind (const CdShardSet *set)
{
  return set->kind;
}

gboolean
cd_shard_set_has_trajectories (const CdShardSet *set)
{
  return set->trajectories;
}

static void set_error_at (GError **error, CdShardError code, const char *path, guint line,
                          const char *format, ...) G_GNUC_PRINTF (5, 6);

/* "PATH:LINE: message" (or "PATH: message" for line 0), in the user's language;
 * path is the display name (g_filename_display_name), as every path and
 * every text of a file in a message is valid UTF-8. */
static void
set_error_at (GError     **error,
              CdShardError code,
              const char  *path,
              guint        line,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  g_autofree char *place = line > 0 ? g_strdup_printf ("%s:%u", path, line) : g_strdup (path);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CD_SHARD_ERROR, code, C_("place: message", "%s: %s"), place, message);
}

static gboolean
io_error (GError    **error,
          const char *display)
{
  int saved = errno;

  set_error_at (error, CD_SHARD_ERROR_IO, display, 0, "%s", g_strerror (saved));
  return FALSE;
}

/* A line ending in '\n' (which is removed), FALSE at the end of the file;
 * a last line without one is an unfinished shard. */
static gboolean
read_line (FILE       *in,
           char      **buf,
           size_t     *cap,
           gssize     *len,
           const char *display,
           guint       line_no,
           gboolean   *failed,
           GError    **error)
{
  errno = 0;
  *len = getline (buf, cap, in);
  if (*len < 0)
    {
      if (ferror (in))
        *failed = !io_error (error, display);
      return FALSE;
    }
  if (*len == 0 || (*buf)[*len - 1] != '\n')
    {
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, line_no,
                    _("the last line is cut short (an unfinished shard?)"));
      *failed = TRUE;
      return FALSE;
    }
  (*buf)[--*len] = '\0';
  if (*len > 0 && (*buf)[*len - 1] == '\r')
    (*buf)[--*len] = '\0';
  /* Coordyn writes shards in UTF-8, without NUL bytes: anything else is
   * damage, and would otherwise be cut at a NUL or quoted in a message as
   * bytes that are no text. */
  if (!g_utf8_validate (*buf, *len, NULL))
    {
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, line_no,
                    _("the line is not UTF-8 text (a damaged shard?)"));
      *failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_u64 (const char *text,
           const char **end,
           guint64     *out)
{
  char *e = NULL;

  if (!g_ascii_isdigit (*text))
    return FALSE;
  errno = 0;
  *out = g_ascii_strtoull (text, &e, 10);
  *end = e;
  return errno == 0;
}

static gboolean
parse_part (const char *value,
            guint      *k,
            guint      *n)
{
  const char *end;
  guint64 a, b;

  if (!parse_u64 (value, &end, &a) || *end != '/' || !parse_u64 (end + 1, &end, &b)
      || *end != '\0' || b < 1 || b > G_MAXUINT || a < 1 || a > b)
    return FALSE;
  *k = (guint) a;
  *n = (guint) b;
  return TRUE;
}

/* The cells of one line of a table, read as cd-csv-read.c reads them
 * (RFC 4180: a cell in double quotes may hold commas and doubled quotes),
 * or 0 if the line is not such a row: a stray or unclosed quote, a
 * carriage return outside quotes.  The tables of studies hold no line
 * break inside a cell. */
static guint
csv_cells (const char *line)
{
  const char *p = line;
  guint n = 1;

  for (;;)
    {
      if (*p == '"')
        {
          for (p++; *p != '"' || p[1] == '"'; p += *p == '"' ? 2 : 1)
            if (*p == '\0')
              return 0;
          p++;
          if (*p != ',' && *p != '\0')
            return 0;
        }
      else
        for (; *p != ',' && *p != '\0'; p++)
          if (*p == '"' || *p == '\r')
            return 0;
      if (*p == '\0')
        return n;
      p++;
      n++;
    }
}

/* "A-B of T" or "none of T". */
static gboolean
parse_runs (const char *value,
            guint64    *first,
            guint64    *count,
            guint64    *total)
{
  const char *end;
  guint64 a, b;

  if (g_str_has_prefix (value, "none of "))
    {
      *first = *count = 0;
      return parse_u64 (value + 8, &end, total) && *end == '\0';
    }
  if (!parse_u64 (value, &end, &a) || *end != '-' || !parse_u64 (end + 1, &end, &b)
      || !g_str_has_prefix (end, " of ") || !parse_u64 (end + 4, &end, total) || *end != '\0'
      || b < a)
    return FALSE;
  *first = a;
  *count = b - a + 1;
  return TRUE;
}

/* Reads a shard's preamble and header. */
static ShardFile *
read_preamble (const char *path,
               GError    **error)
{
  g_autofree char *buf = NULL;
  size_t cap = 0;
  gssize len;
  guint line_no = 0;
  gboolean failed = FALSE, has_command = FALSE, has_shard = FALSE, has_runs = FALSE;
  guint part_line = 0, runs_line = 0;
  g_autoptr(GError) local = NULL;
  g_autofree char *display = g_filename_display_name (path);
  FILE *in;
  ShardFile *f;
  guint64 first = 0, count = 0;

  /* Not a FIFO or a device: cd-file.h */
  in = cd_file_open_regular (path, &local);
  if (in == NULL)
    {
      set_error_at (error, CD_SHARD_ERROR_IO, display, 0, "%s", local->message);
      return NULL;
    }
  f = g_new0 (ShardFile, 1);
  f->path = g_strdup (path);
  f->display = g_strdup (display);
  f->head = g_new0 (CdShardHead, 1);
  f->head->identity = g_ptr_array_new_with_free_func (g_free);
  f->identity_lines = g_array_new (FALSE, FALSE, sizeof (guint));

  while (read_line (in, &buf, &cap, &len, display, line_no + 1, &failed, error))
    {
      const char *colon, *value;

      line_no++;
      if (line_no == 1)
        {
          if (!g_str_has_prefix (buf, MAGIC))
            {
              set_error_at (error, CD_SHARD_ERROR_NOT_SHARD, display, 0,
                            _("not a shard of a Coordyn study: it does not start with \"%s\" "
                              "(shards are written with --shard K/N)"), MAGIC "1");
              failed = TRUE;
              break;
            }
          if (strcmp (buf + strlen (MAGIC), G_STRINGIFY (CD_SHARD_FORMAT_VERSION)) != 0)
            {
              set_error_at (error, CD_SHARD_ERROR_NOT_SHARD, display, 1,
                            _("shard format %s is not one this Coordyn reads (it reads %d); "
                              "merge with the Coordyn that wrote the shards"),
                            buf + strlen (MAGIC), CD_SHARD_FORMAT_VERSION);
              failed = TRUE;
              break;
            }
          continue;
        }
      if (!g_str_has_prefix (buf, "# "))
        {
          if (csv_cells (buf) == 0)
            {
              set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, line_no,
                            _("the table's header is not a line of CSV"));
              failed = TRUE;
              break;
            }
          f->header = g_strdup (buf);
          f->header_line = line_no;
          f->data_offset = ftello (in);
          break;
        }
      colon = strstr (buf + 2, ": ");
      if (colon == NULL)
        {
          set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, line_no,
                        _("expected \"# key: value\" in the preamble"));
          failed = TRUE;
          break;
        }
      value = colon + 2;
      if (g_str_has_prefix (buf + 2, "command: "))
        {
          guint k;
          for (k = 0; k < G_N_ELEMENTS (kind_names); k++)
            if (strcmp (value, kind_names[k]) == 0)
              break;
          if (k == G_N_ELEMENTS (kind_names))
            {
              set_error_at (error, CD_SHARD_ERROR_NOT_SHARD, display, line_no,
                            _("\"%s\" is not a command whose studies are sharded"), value);
              failed = TRUE;
              break;
            }
          f->head->kind = (CdShardKind) k;
          has_command = TRUE;
        }
      else if (strncmp (buf + 2, "shard: ", 7) == 0)
        {
          if (!parse_part (value, &f->head->shard, &f->head->n_shards))
            {
              set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, line_no,
                            _("expected the part as K/N with 1 ≤ K ≤ N, not \"%s\""), value);
              failed = TRUE;
              break;
            }
          has_shard = TRUE;
          part_line = line_no;
        }
      else if (strncmp (buf + 2, "runs: ", 6) == 0)
        {
          if (!parse_runs (value, &first, &count, &f->head->total))
            {
              set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, line_no,
                            _("expected the runs as \"FIRST-LAST of TOTAL\", not \"%s\""), value);
              failed = TRUE;
              break;
            }
          has_runs = TRUE;
          runs_line = line_no;
        }
      else
        {
          g_ptr_array_add (f->head->identity, g_strdup (buf + 2));
          g_array_append_val (f->identity_lines, line_no);
        }
    }
  fclose (in);

  if (!failed && f->header == NULL)
    {
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, 0,
                    _("the file ends before its table (an unfinished shard?)"));
      failed = TRUE;
    }
  if (!failed && (!has_command || !has_shard || !has_runs))
    {
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, 0,
                    _("the preamble has no \"%s\" line"),
                    !has_command ? "command" : !has_shard ? "shard" : "runs");
      failed = TRUE;
    }
  if (!failed && (f->head->total < 1 || f->head->total > MAX_RUNS))
    {
      g_autofree char *total = g_strdup_printf ("%" G_GUINT64_FORMAT, f->head->total);
      g_autofree char *most = g_strdup_printf ("%" G_GUINT64_FORMAT, MAX_RUNS);
      /* Translators: both %s are numbers of runs. */
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, runs_line,
                    _("a study of %s runs; Coordyn's studies have from 1 to %s"), total, most);
      failed = TRUE;
    }
  if (!failed)
    {
      cd_shard_bounds (f->head->total, f->head->shard, f->head->n_shards, &f->head->first,
                       &f->head->count);
      if (f->head->count != count || (count > 0 && f->head->first != first))
        {
          g_autofree char *total = g_strdup_printf ("%" G_GUINT64_FORMAT, f->head->total);
          /* Translators: the first two %u say which part (shard 2 of 4), %s the runs
           * of the whole study. */
          set_error_at (error, CD_SHARD_ERROR_DAMAGED, display, MAX (runs_line, part_line),
                        _("these are not the runs of shard %u of %u of a study of %s runs"),
                        f->head->shard, f->head->n_shards, total);
          failed = TRUE;
        }
    }
  if (failed)
    {
      shard_file_free (f);
      return NULL;
    }
  return f;
}

/* The value of the first identity line with this key, or NULL. */
static const char *
identity_value (const CdShardHead *head,
                const char        *key,
                guint              nth)
{
  gsize n = strlen (key);

  for (guint i = 0; i < head->identity->len; i++)
    {
      const char *line = g_ptr_array_index (head->identity, i);
      if (strncmp (line, key, n) == 0 && line[n] == ':' && line[n + 1] == ' ' && nth-- == 0)
        return line + n + 2;
    }
  return NULL;
}

/* Whether f is part of the same study as ref; if not, error says what differs. */
static gboolean
same_study (const ShardFile *ref,
            const ShardFile *f,
            GError         **error)
{
  guint n = MAX (ref->head->identity->len, f->head->identity->len);

  if (f->head->kind != ref->head->kind)
    {
      set_error_at (error, CD_SHARD_ERROR_FOREIGN, f->display, 2,
                    _("a shard of \"%s\", but %s is of \"%s\": the shards are not from the same "
                      "study"), kind_names[f->head->kind], ref->display,
                    kind_names[ref->head->kind]);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      const char *a = i < ref->head->identity->len ? g_ptr_array_index (ref->head->identity, i)
                                                   : NULL;
      const char *b = i < f->head->identity->len ? g_ptr_array_index (f->head->identity, i)
                                                 : NULL;
      guint line = b != NULL ? g_array_index (f->identity_lines, guint, i) : f->header_line;

      if (a != NULL && b != NULL && strcmp (a, b) == 0)
        continue;
      if (b == NULL)
        /* Translators: the first %s is a line of a shard's preamble, the second a file. */
        set_error_at (error, CD_SHARD_ERROR_FOREIGN, f->display, line,
                      _("no line \"%s\" as in %s: the shards are not from the same study"), a,
                      ref->display);
      else if (a == NULL)
        set_error_at (error, CD_SHARD_ERROR_FOREIGN, f->display, line,
                      _("\"%s\" is not in %s: the shards are not from the same study"), b,
                      ref->display);
      else
        /* Translators: the first and third %s are lines of two shards' preambles,
         * the second the other shard's file. */
        set_error_at (error, CD_SHARD_ERROR_FOREIGN, f->display, line,
                      _("\"%s\" here, but \"%s\" in %s: the shards are not from the same study"),
                      b, a, ref->display);
      return FALSE;
    }
  if (f->head->total != ref->head->total)
    {
      g_autofree char *t_f = g_strdup_printf ("%" G_GUINT64_FORMAT, f->head->total);
      g_autofree char *t_ref = g_strdup_printf ("%" G_GUINT64_FORMAT, ref->head->total);
      set_error_at (error, CD_SHARD_ERROR_FOREIGN, f->display, 0,
                    _("part of a study of %s runs, but %s is of %s: the shards are not from the "
                      "same study"), t_f, ref->display, t_ref);
      return FALSE;
    }
  if (f->head->n_shards != ref->head->n_shards)
    {
      set_error_at (error, CD_SHARD_ERROR_FOREIGN, f->display, 0,
                    _("shard %u of %u, but %s is one of %u: the shards are not from the same "
                      "split"), f->head->shard, f->head->n_shards, ref->display,
                    ref->head->n_shards);
      return FALSE;
    }
  if (strcmp (f->header, ref->header) != 0)
    {
      set_error_at (error, CD_SHARD_ERROR_FOREIGN, f->display, f->header_line,
                    _("the table's header differs from %s's: the shards are not from the same "
                      "study"), ref->display);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_number_cell (const char  *text,
                   const char **end,
                   double      *out)
{
  char *e = NULL;

  if (*text == ',' || *text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &e);
  *end = e;
  return e != text && (*e == ',' || *e == '\0') && isfinite (*out);
}

/* What the set needs from the preamble of its command: the trajectories'
 * times, the Sobol design's parameters. */
static gboolean
read_command_lines (CdShardSet *set,
                    GError    **error)
{
  const ShardFile *ref = set->parts[0];
  const char *times = identity_value (ref->head, "times", 0);
  g_autoptr(GError) local = NULL;

  if (set->kind == CD_SHARD_MONTECARLO && times != NULL)
    {
      const char *end;
      guint64 n_times;

      if (!parse_u64 (times, &end, &n_times) || *end != ',' || n_times < 1
          || n_times > G_MAXUINT || !parse_number_cell (end + 1, &end, &set->dt)
          || *end != '\0' || set->total > CD_MC_MAX_RUNS)
        {
          set_error_at (error, CD_SHARD_ERROR_DAMAGED, ref->display, 0,
                        _("expected \"times: SAMPLES,DT\", not \"%s\""), times);
          return FALSE;
        }
      set->trajectories = TRUE;
      set->n_times = (guint) n_times;
      if (!cd_montecarlo_bands_fit ((guint) set->total, set->n_times, &local))
        {
          /* The analysis's words, in the merge's domain. */
          set_error_at (error, CD_SHARD_ERROR_TOO_LARGE, ref->display, 0, "%s", local->message);
          return FALSE;
        }
    }
  if (set->kind == CD_SHARD_SOBOL)
    {
      const char *line;

      set->ranges = g_new0 (CdRange, CD_N_PARAMS);
      for (guint i = 0; (line = identity_value (ref->head, "parameter", i)) != NULL; i++)
        {
          g_auto(GStrv) cells = g_strsplit (line, ",", -1);
          CdRange r = { 0 };
          const char *end;
          gboolean ok = g_strv_length (cells) == 5 && set->n_ranges < CD_N_PARAMS
                        && cd_param_from_path (cells[0], &r.param)
                        && (strcmp (cells[1], "uniform") == 0
                            || strcmp (cells[1], "triangular") == 0);

          r.dist = ok && strcmp (cells[1], "triangular") == 0 ? CD_DIST_TRIANGULAR
                                                               : CD_DIST_UNIFORM;
          ok = ok && parse_number_cell (cells[2], &end, &r.min) && *end == '\0'
               && parse_number_cell (cells[3], &end, &r.max) && *end == '\0'
               && parse_number_cell (cells[4], &end, &r.mode) && *end == '\0';
          if (!ok)
            {
              set_error_at (error, CD_SHARD_ERROR_DAMAGED, ref->display, 0,
                            _("expected \"parameter: PATH,DISTRIBUTION,MIN,MAX,MODE\", not "
                              "\"%s\""), line);
              return FALSE;
            }
          set->ranges[set->n_ranges++] = r;
        }
      if (set->n_ranges == 0 || set->total % (set->n_ranges + 2) != 0
          || set->total / (set->n_ranges + 2) < 2
          || set->total / (set->n_ranges + 2) > CD_SOBOL_MAX_BASE)
        {
          set_error_at (error, CD_SHARD_ERROR_DAMAGED, ref->display, 0,
                        _("its parameters and runs are not those of a Sobol design"));
          return FALSE;
        }
    }
  return TRUE;
}

static int
compare_parts (gconstpointer a,
               gconstpointer b)
{
  const ShardFile *fa = *(ShardFile *const *) a, *fb = *(ShardFile *const *) b;

  return (fa->head->shard > fb->head->shard) - (fa->head->shard < fb->head->shard);
}

CdShardSet *
cd_shard_set_open (const char *const *paths,
                   guint              n_paths,
                   GError           **error)
{
  g_autoptr(CdShardSet) set = g_new0 (CdShardSet, 1);
  const ShardFile *ref;

  g_return_val_if_fail (paths != NULL && n_paths > 0, NULL);

  set->files = g_ptr_array_new_with_free_func (shard_file_free);
  for (guint i = 0; i < n_paths; i++)
    {
      ShardFile *f = read_preamble (paths[i], error);

      if (f == NULL)
        return NULL;
      g_ptr_array_add (set->files, f);
      if (i > 0 && !same_study (g_ptr_array_index (set->files, 0), f, error))
        return NULL;
    }
  ref = g_ptr_array_index (set->files, 0);
  set->kind = ref->head->kind;
  set->n_shards = ref->head->n_shards;
  set->total = ref->head->total;

  /* In part order, each part once and none left out. */
  g_ptr_array_sort (set->files, compare_parts);
  for (guint i = 1; i < set->files->len; i++)
    {
      const ShardFile *a = g_ptr_array_index (set->files, i - 1);
      const ShardFile *b = g_ptr_array_index (set->files, i);

      if (a->head->shard == b->head->shard)
        {
          /* Translators: %u of %u say which part (shard 2 of 4); the two %s are files. */
          g_set_error (error, CD_SHARD_ERROR, CD_SHARD_ERROR_REPEATED,
                       _("shard %u of %u is given twice: %s and %s"), a->head->shard,
                       set->n_shards, a->display, b->display);
          return NULL;
        }
    }
  if (set->files->len < set->n_shards)
    {
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      guint n_missing = set->n_shards - set->files->len, next = 0, first_missing = 0;

      for (guint k = 1; k <= set->n_shards && names->len < 10; k++)
        {
          const ShardFile *f = next < set->files->len ? g_ptr_array_index (set->files, next)
                                                      : NULL;
          if (f != NULL && f->head->shard == k)
            {
              next++;
              continue;
            }
          if (first_missing == 0)
            first_missing = k;
          g_ptr_array_add (names, g_strdup_printf ("%u", k));
        }
      if (n_missing == 1)
        g_set_error (error, CD_SHARD_ERROR, CD_SHARD_ERROR_MISSING,
                     _("shard %u of %u is missing (not given, or not finished?)"),
                     first_missing, set->n_shards);
      else
        {
          g_autofree char *list = NULL;

          if (n_missing > names->len)
            g_ptr_array_add (names, g_strdup ("…"));
          list = cd_locale_join_list ((const char *const *) names->pdata, names->len,
                                        n_missing <= 10);
          /* Translators: %s is a list of part numbers ("2, 3 and 4"), the first %u
           * how many parts the study has, the second how many are missing. */
          g_set_error (error, CD_SHARD_ERROR, CD_SHARD_ERROR_MISSING,
                       _("shards %s of %u are missing, %u in all (not given, or not "
                         "finished?)"), list, set->n_shards, n_missing);
        }
      return NULL;
    }
  set->parts = (ShardFile **) set->files->pdata;
  set->n_columns = csv_cells (set->parts[0]->header);
  if (!read_command_lines (set, error))
    return NULL;
  return g_steal_pointer (&set);
}

/* ---- merging -------------------------------------------------------------- */

typedef struct
{
  CdShardSet      *set;
  const CdCsvSink *out;
  GString         *line;
  double          *f_mean;        /* Sobol: every run's outcomes */
  double          *f_loss;
  double          *series_mean;   /* Monte Carlo bands: every run's trajectory */
  double          *series_loss;
} Merge;

/* A table row of run `run`: checked, then passed on or taken apart. */
static gboolean
merge_row (Merge      *m,
           const ShardFile *f,
           guint       line_no,
           const char *row,
           guint64     run,
           GError    **error)
{
  const char *end;
  guint64 got;

  if (!parse_u64 (row, &end, &got) || *end != ',' || got != run)
    {
      g_autofree char *run_s = g_strdup_printf ("%" G_GUINT64_FORMAT, run);
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, line_no,
                    _("expected the row of run %s"), run_s);
      return FALSE;
    }
  if (m->set->kind != CD_SHARD_SOBOL)
    {
      /* Passed on as it is: it must be a row of the table, or the merged
       * table would not be one. */
      guint cells = csv_cells (row);

      if (cells == 0)
        {
          set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, line_no,
                        _("the row is not a line of CSV (a stray or unclosed quote)"));
          return FALSE;
        }
      if (cells != m->set->n_columns)
        {
          set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, line_no,
                        ngettext ("expected a row of %u cell, as the header has",
                                  "expected a row of %u cells, as the header has",
                                  m->set->n_columns), m->set->n_columns);
          return FALSE;
        }
      g_string_append (m->line, row);
      g_string_append_c (m->line, '\n');
      sink_put (m->out, m->line);
      return TRUE;
    }
  {
    const char *cell = end + 1;
    double v[2] = { 0, 0 };
    guint d = m->set->n_ranges;

    /* one value per parameter, then the two outcomes */
    for (guint i = 0; i < d + 2; i++)
      {
        double x;
        if (!parse_number_cell (cell, &end, &x) || (*end == ',') != (i + 1 < d + 2))
          {
            set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, line_no,
                          _("expected the run, %u parameter values and two outcomes"), d);
            return FALSE;
          }
        if (i >= d)
          v[i - d] = x;
        cell = end + 1;
      }
    m->f_mean[run] = v[0];
    m->f_loss[run] = v[1];
  }
  return TRUE;
}

static gboolean
merge_trajectory (Merge           *m,
                  const ShardFile *f,
                  guint            line_no,
                  const char      *text,
                  guint64          run,
                  GError         **error)
{
  guint n = m->set->n_times;
  double *mean = m->series_mean + run * n, *loss = m->series_loss + run * n;
  const char *end;
  guint64 got;

  if (!g_str_has_prefix (text, "#,") || !parse_u64 (text + 2, &end, &got) || got != run)
    {
      g_autofree char *run_s = g_strdup_printf ("%" G_GUINT64_FORMAT, run);
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, line_no,
                    _("expected the trajectory of run %s (\"#,%s,…\")"), run_s, run_s);
      return FALSE;
    }
  for (guint k = 0; k < 2 * n; k++)
    {
      double *slot = k < n ? &mean[k] : &loss[k - n];
      if (*end != ',' || !parse_number_cell (end + 1, &end, slot))
        {
          set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, line_no,
                        _("expected %u numbers after the run"), 2 * n);
          return FALSE;
        }
    }
  if (*end != '\0')
    {
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, line_no,
                    _("expected %u numbers after the run"), 2 * n);
      return FALSE;
    }
  return TRUE;
}

/* Reads one part's rows (and trajectories). */
static gboolean
merge_part (Merge           *m,
            const ShardFile *f,
            GError         **error)
{
  g_autofree char *buf = NULL;
  size_t cap = 0;
  gssize len;
  guint line_no = f->header_line;
  gboolean failed = FALSE;
  guint64 rows = 0, trajectories = 0;
  FILE *in = fopen (f->path, "rb");

  if (in == NULL)
    return io_error (error, f->display);
  if (fseeko (in, f->data_offset, SEEK_SET) != 0)
    {
      fclose (in);
      return io_error (error, f->display);
    }
  while (!failed && read_line (in, &buf, &cap, &len, f->display, line_no + 1, &failed, error))
    {
      line_no++;
      if (rows < f->head->count)
        failed = !merge_row (m, f, line_no, buf, f->head->first + rows++, error);
      else if (m->set->trajectories && trajectories < f->head->count)
        failed = !merge_trajectory (m, f, line_no, buf, f->head->first + trajectories++, error);
      else
        {
          set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, line_no,
                        _("a line after the last of its runs"));
          failed = TRUE;
        }
    }
  fclose (in);
  if (!failed && (rows < f->head->count
                  || (m->set->trajectories && trajectories < f->head->count)))
    {
      g_autofree char *got = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                              rows < f->head->count ? rows : trajectories);
      g_autofree char *want = g_strdup_printf ("%" G_GUINT64_FORMAT, f->head->count);
      set_error_at (error, CD_SHARD_ERROR_DAMAGED, f->display, 0,
                    rows < f->head->count
                    ? _("it ends after %s of its %s rows (an unfinished shard?)")
                    : _("it ends after %s of its %s trajectories (an unfinished shard?)"),
                    got, want);
      failed = TRUE;
    }
  return !failed;
}

gboolean
cd_shard_set_merge (CdShardSet      *set,
                    const CdCsvSink *out,
                    const CdCsvSink *bands,
                    GError         **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree double *f_mean = NULL, *f_loss = NULL;
  g_autofree double *series_mean = NULL, *series_loss = NULL;
  Merge m = { set, out, line, NULL, NULL, NULL, NULL };

  g_return_val_if_fail (set != NULL && out != NULL, FALSE);

  if (set->kind == CD_SHARD_SOBOL)
    {
      m.f_mean = f_mean = g_new (double, set->total);
      m.f_loss = f_loss = g_new (double, set->total);
    }
  else
    {
      g_string_append (line, set->parts[0]->header);
      g_string_append_c (line, '\n');
      sink_put (out, line);
    }
  if (set->trajectories)
    {
      m.series_mean = series_mean = g_new (double, set->total * set->n_times);
      m.series_loss = series_loss = g_new (double, set->total * set->n_times);
    }
  for (guint k = 0; k < set->n_shards; k++)
    if (!merge_part (&m, set->parts[k], error))
      return FALSE;

  if (set->kind == CD_SHARD_SOBOL)
    {
      g_autoptr(CdSobol) sobol = cd_sobol_from_outcomes (set->ranges, set->n_ranges,
                                                         (guint) (set->total
                                                                  / (set->n_ranges + 2)),
                                                         f_mean, f_loss);
      cd_analysis_csv_sobol (out, sobol);
    }
  if (set->trajectories && bands != NULL)
    {
      g_autoptr(CdMonteCarlo) mc = g_new0 (CdMonteCarlo, 1);

      mc->n_runs = mc->n_rows = (guint) set->total;
      mc->n_times = set->n_times;
      mc->dt = set->dt;
      cd_montecarlo_compute_bands (mc, series_mean, series_loss);
      cd_analysis_csv_bands (bands, mc);
    }
  return TRUE;
}
