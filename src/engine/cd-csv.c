/* cd-csv.c — streaming CSV output of a run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "cd-csv.h"

struct _CdCsvWriter
{
  FILE           *out;
  const CdSystem *sys;
  gboolean        forces;
  gboolean        trust;
  GString        *line;
};

CdCsvWriter *
cd_csv_writer_new (FILE           *out,
                   const CdSystem *sys,
                   gboolean        forces,
                   gboolean        trust)
{
  CdCsvWriter *w = g_new0 (CdCsvWriter, 1);

  w->out = out;
  w->sys = sys;
  w->forces = forces;
  w->trust = trust;
  w->line = g_string_sized_new (64 + 24 * sys->n_nodes * (forces ? 5 : 1));
  return w;
}

void
cd_csv_writer_free (CdCsvWriter *w)
{
  if (w == NULL)
    return;
  g_string_free (w->line, TRUE);
  g_free (w);
}

void
cd_csv_append_cell (GString    *out,
                    const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

int
cd_format_g17 (char   *buf,
               double  value)
{
  g_ascii_formatd (buf, 32, "%.17g", value);
  return (int) strlen (buf);
}

static gboolean
flush_line (CdCsvWriter *w,
            GError     **error)
{
  if (fwrite (w->line->str, 1, w->line->len, w->out) != w->line->len)
    {
      int saved = errno;
      g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT,
                   "could not write the output: %s", g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
append_prefixed (GString    *line,
                 const char *prefix,
                 char      **labels)
{
  for (guint i = 0; labels[i] != NULL; i++)
    {
      g_autofree char *cell = g_strconcat (prefix, labels[i], NULL);
      g_string_append_c (line, ',');
      cd_csv_append_cell (line, cell);
    }
}

gboolean
cd_csv_write_header (CdCsvWriter *w,
                     GError     **error)
{
  g_string_assign (w->line, "t,mean_coordination,loss");
  append_prefixed (w->line, "x:", w->sys->node_ids);
  if (w->forces)
    {
      append_prefixed (w->line, "G:", w->sys->node_ids);
      append_prefixed (w->line, "P:", w->sys->node_ids);
      append_prefixed (w->line, "T:", w->sys->node_ids);
      append_prefixed (w->line, "R:", w->sys->node_ids);
    }
  if (w->trust)
    append_prefixed (w->line, "trust:", w->sys->partnership_labels);
  g_string_append_c (w->line, '\n');
  return flush_line (w, error);
}

static inline void
append_number (GString *line,
               double   v)
{
  char buf[32];
  int len = cd_format_g17 (buf, v);

  g_string_append_c (line, ',');
  g_string_append_len (line, buf, len);
}

static void
append_numbers (GString      *line,
                const double *v,
                guint         n)
{
  for (guint i = 0; i < n; i++)
    append_number (line, v[i]);
}

gboolean
cd_csv_write_sample (const CdSample *s,
                     gpointer        user_data,
                     GError        **error)
{
  CdCsvWriter *w = user_data;
  guint n = w->sys->n_nodes;
  char buf[32];
  int len = cd_format_g17 (buf, s->t);

  g_string_truncate (w->line, 0);
  g_string_append_len (w->line, buf, len);
  append_number (w->line, s->mean_coordination);
  append_number (w->line, s->loss);
  append_numbers (w->line, s->x, n);
  if (w->forces && s->forces)
    {
      append_numbers (w->line, s->forces->gravity, n);
      append_numbers (w->line, s->forces->pressure, n);
      append_numbers (w->line, s->forces->thrust, n);
      append_numbers (w->line, s->forces->resistance, n);
    }
  if (w->trust)
    append_numbers (w->line, s->trust, w->sys->n_partnerships);
  g_string_append_c (w->line, '\n');
  return flush_line (w, error);
}
