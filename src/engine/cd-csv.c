/* cd-csv.c — streaming CSV output of a run.
 *
 * Formatting the numbers (cd-g17.c) is most of the work of writing a run
 * (1.9 million of them on the national model: 19 ms with AVX-512, three
 * times as long without, against the integration's 53 ms), so a writer may
 * format on more than one thread (cd_csv_writer_set_threads).
 * Wide rows are copied, cut into chunks of columns, and the chunks are
 * formatted by a helper thread and by the caller's thread, whichever is
 * free, then written in order by the caller.  Narrower rows are formatted
 * whole, by the caller or, while it waits for the caller, by the thread of
 * a pipelined run's integration (cd_csv_prepare_sample).  The bytes are the
 * same as one thread writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#define _GNU_SOURCE 1   /* sync_file_range */

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-csv.h"
#include "cd-system-private.h"

typedef struct _Parallel Parallel;
typedef struct _Syncer Syncer;

static void parallel_free (Parallel *par);

struct _CdCsvWriter
{
  FILE           *out;
  const CdSystem *sys;
  gboolean        forces;
  gboolean        trust;
  gboolean        factors;
  double         *factor_buf;   /* CD_N_FACTORS × n_nodes, factor-major */
  CdWorkspace    *ws;           /* for the factors */
  GString        *line;
  Parallel       *par;          /* formatting wide rows on more than one thread */
  char           *prepared[CD_RUN_PREPARE_SLOTS];   /* rows formatted ahead, or NULL */
  gsize           prepared_length[CD_RUN_PREPARE_SLOTS];
  int             fd;           /* out's file when it is a regular file, for writeback; or -1 */
  guint64         unsynced;     /* bytes written since writeback was last started */
  Syncer         *syncer;       /* syncing as the output is written, or NULL */
  int             sync_error;   /* errno of a failed sync, or 0 */
};

/* Every file Coordyn writes is synced to disk before it replaces the old one
 * (cd-atomic-file.c).  A run's CSV is large (38 MB on the national model),
 * and syncing it all at the end took 35–57 ms of waiting, a third of the
 * whole run.  Starting the disk's writeback every WRITEBACK_BYTES
 * (sync_file_range) brought that to 30–34 ms, but only that: the fsync
 * still flushes the disk's own cache (on a virtual machine the host's),
 * which takes as long as the data in it.  With cd_csv_writer_sync_as_written()
 * a thread of the writer's syncs the file (fdatasync) every WRITEBACK_BYTES
 * instead, while the integration goes on, and the final fsync waited
 * 1.5–8 ms (bench/README.md, "Issue 17, third pass").  Without it,
 * writeback is only started, and nothing is waited for here. */
#define WRITEBACK_BYTES ((guint64) 4 << 20)

struct _Syncer
{
  GMutex    lock;
  GCond     wake;
  GThread  *thread;
  int       fd;
  gboolean  pending;   /* a sync asked for */
  gboolean  stop;
  int       error;     /* errno of the first failed sync, or 0 */
};

static gpointer
syncer_main (gpointer data)
{
  Syncer *sy = data;

  g_mutex_lock (&sy->lock);
  for (;;)
    {
      while (!sy->pending && !sy->stop)
        g_cond_wait (&sy->wake, &sy->lock);
      if (!sy->pending)
        break;
      sy->pending = FALSE;
      g_mutex_unlock (&sy->lock);
      /* What the writer had handed to the kernel when it asked, and
       * whatever it wrote since: data only, the commit's fsync does the
       * rest. */
      if (fdatasync (sy->fd) != 0)
        {
          int saved = errno;

          g_mutex_lock (&sy->lock);
          if (sy->error == 0)
            sy->error = saved;
          continue;
        }
      g_mutex_lock (&sy->lock);
    }
  g_mutex_unlock (&sy->lock);
  return NULL;
}

/* Waits for a sync in progress and ends the thread; keeps its error. */
static void
syncer_stop (CdCsvWriter *w)
{
  Syncer *sy = w->syncer;

  if (sy == NULL)
    return;
  g_mutex_lock (&sy->lock);
  sy->stop = TRUE;
  sy->pending = FALSE;
  g_cond_signal (&sy->wake);
  g_mutex_unlock (&sy->lock);
  g_thread_join (sy->thread);
  if (w->sync_error == 0)
    w->sync_error = sy->error;
  g_mutex_clear (&sy->lock);
  g_cond_clear (&sy->wake);
  g_free (sy);
  w->syncer = NULL;
}

void
cd_csv_writer_sync_as_written (CdCsvWriter *w)
{
  Syncer *sy;

  g_return_if_fail (w != NULL);
  if (w->fd < 0 || w->syncer != NULL)
    return;
  sy = g_new0 (Syncer, 1);
  g_mutex_init (&sy->lock);
  g_cond_init (&sy->wake);
  sy->fd = w->fd;
  sy->thread = g_thread_try_new ("cd-csv-sync", syncer_main, sy, NULL);
  if (sy->thread == NULL)
    {
      /* writeback is started instead, as without this call */
      g_mutex_clear (&sy->lock);
      g_cond_clear (&sy->wake);
      g_free (sy);
      return;
    }
  w->syncer = sy;
}

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
  w->fd = -1;
  {
    struct stat st;
    int fd = fileno (out);

    if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
      w->fd = fd;
  }
  return w;
}

/* Counts what was handed to the stream and, every WRITEBACK_BYTES, asks the
 * syncing thread for a sync or starts the kernel's writeback (see
 * WRITEBACK_BYTES).  A failed writeback is seen again by the fsync that
 * commits the file; a failed sync by cd_csv_writer_finish(). */
static void
written (CdCsvWriter *w,
         gsize        bytes)
{
  w->unsynced += bytes;
  if (w->fd < 0 || w->unsynced < WRITEBACK_BYTES)
    return;
  w->unsynced = 0;
  if (fflush (w->out) != 0)
    return;
  if (w->syncer != NULL)
    {
      g_mutex_lock (&w->syncer->lock);
      w->syncer->pending = TRUE;
      g_cond_signal (&w->syncer->wake);
      g_mutex_unlock (&w->syncer->lock);
      return;
    }
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
  sync_file_range (w->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

void
cd_csv_writer_set_factors (CdCsvWriter *w,
                           gboolean     factors)
{
  g_return_if_fail (w != NULL);

  w->factors = factors;
  if (factors && w->factor_buf == NULL)
    {
      w->factor_buf = g_new (double, CD_N_FACTORS * (gsize) MAX (w->sys->n_nodes, 1));
      w->ws = cd_workspace_new (w->sys);
    }
}

void
cd_csv_writer_free (CdCsvWriter *w)
{
  if (w == NULL)
    return;
  syncer_stop (w);
  g_clear_pointer (&w->par, parallel_free);
  for (guint i = 0; i < CD_RUN_PREPARE_SLOTS; i++)
    g_free (w->prepared[i]);
  g_string_free (w->line, TRUE);
  g_free (w->factor_buf);
  g_clear_pointer (&w->ws, cd_workspace_free);
  g_free (w);
}

/* A cell the reader would misread unquoted at the start of a file: the
 * reader takes a file that starts (after blanks) with {, [ or < for JSON
 * or XML given by mistake, and drops a leading byte-order mark. */
static gboolean
looks_like_another_format (const char *text)
{
  const char *p = text;

  if (g_str_has_prefix (text, "\xEF\xBB\xBF"))
    return TRUE;
  while (g_ascii_isspace (*p))
    p++;
  return *p == '{' || *p == '[' || *p == '<';
}

void
cd_csv_append_cell (GString    *out,
                    const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL && !looks_like_another_format (text))
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

static gboolean
write_text (CdCsvWriter *w,
            const char  *text,
            gsize        length,
            GError     **error)
{
  if (fwrite (text, 1, length, w->out) != length)
    {
      int saved = errno;
      g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT,
                   _("could not write the output: %s"), g_strerror (saved));
      return FALSE;
    }
  written (w, length);
  return TRUE;
}

static gboolean
flush_line (CdCsvWriter *w,
            GError     **error)
{
  return write_text (w, w->line->str, w->line->len, error);
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
  if (w->factors)
    for (guint k = 0; k < CD_N_FACTORS; k++)
      {
        g_autofree char *prefix = g_strconcat (cd_factor_name (k), ":", NULL);
        append_prefixed (w->line, prefix, w->sys->node_ids);
      }
  if (w->trust)
    append_prefixed (w->line, "trust:", w->sys->partnership_labels);
  g_string_append_c (w->line, '\n');
  return flush_line (w, error);
}

/* The longest cell: ",-2.2250738585072014e-308". */
#define MAX_CELL 26

/* ---- formatting on more than one thread --------------------------------------
 *
 * A ring of PAR_ROWS rows, each the row's numbers copied in column order and
 * cut into chunks of PAR_CHUNK numbers.  Job j is chunk j % chunks of row
 * j / chunks; jobs are claimed in order by the helper thread and by the
 * caller's thread (in cd_csv_write_sample and cd_csv_writer_finish), and
 * written in order by the caller's thread alone. */

#define PAR_ROWS  4
#define PAR_CHUNK 4096

struct _Parallel
{
  GMutex    lock;
  GCond     changed;
  GThread  *helper;
  gsize     cells;        /* numbers per row */
  guint     chunks;       /* chunks per row */
  double   *numbers;      /* PAR_ROWS × cells */
  char    **text;         /* PAR_ROWS × chunks buffers */
  gsize    *length;       /* of each text */
  gboolean *done;         /* formatted */
  guint64   jobs;         /* enqueued: rows × chunks */
  guint64   claimed;      /* next job to claim */
  guint64   written;      /* next job to write */
  gboolean  stop;
  GError   *error;        /* the first write error */
};

static void
format_chunk (Parallel *par,
              guint64   job)
{
  guint slot = (guint) ((job / par->chunks) % PAR_ROWS);
  guint chunk = (guint) (job % par->chunks);
  gsize from = (gsize) chunk * PAR_CHUNK, to = MIN (from + PAR_CHUNK, par->cells);
  const double *v = par->numbers + slot * par->cells;
  gsize index = (gsize) slot * par->chunks + chunk;
  char *start = par->text[index], *p = start;

  if (from == 0)
    {
      /* t: the row's first cell, no comma before it */
      p += cd_format_g17 (p, v[0]);
      from = 1;
    }
  p = cd_g17_put_cells (p, v + from, to - from);
  if (to == par->cells)
    *p++ = '\n';
  par->length[index] = p - start;
}

/* Claims and formats one job if there is one; with the lock held on entry
 * and on return. */
static gboolean
claim_and_format (Parallel *par)
{
  guint64 job;

  if (par->claimed == par->jobs)
    return FALSE;
  job = par->claimed++;
  g_mutex_unlock (&par->lock);
  format_chunk (par, job);
  g_mutex_lock (&par->lock);
  par->done[(job / par->chunks) % PAR_ROWS * par->chunks + job % par->chunks] = TRUE;
  g_cond_broadcast (&par->changed);
  return TRUE;
}

static gpointer
parallel_helper (gpointer data)
{
  Parallel *par = data;

  g_mutex_lock (&par->lock);
  while (!par->stop)
    if (!claim_and_format (par))
      g_cond_wait (&par->changed, &par->lock);
  g_mutex_unlock (&par->lock);
  return NULL;
}

/* Writes the formatted jobs that are next in order; with the lock held on
 * entry and on return.  Only the caller's thread writes. */
static void
write_ready (CdCsvWriter *w)
{
  Parallel *par = w->par;

  while (par->written < par->jobs)
    {
      gsize index = (par->written / par->chunks) % PAR_ROWS * par->chunks
                    + par->written % par->chunks;

      if (!par->done[index])
        break;
      par->done[index] = FALSE;
      g_mutex_unlock (&par->lock);
      if (par->error == NULL)
        write_text (w, par->text[index], par->length[index], &par->error);
      g_mutex_lock (&par->lock);
      par->written++;
      g_cond_broadcast (&par->changed);
    }
}

static void
parallel_free (Parallel *par)
{
  if (par->helper != NULL)
    {
      g_mutex_lock (&par->lock);
      par->stop = TRUE;
      g_cond_broadcast (&par->changed);
      g_mutex_unlock (&par->lock);
      g_thread_join (par->helper);
    }
  for (guint i = 0; i < PAR_ROWS * par->chunks; i++)
    g_free (par->text[i]);
  g_free (par->text);
  g_free (par->length);
  g_free (par->done);
  g_free (par->numbers);
  g_clear_error (&par->error);
  g_mutex_clear (&par->lock);
  g_cond_clear (&par->changed);
  g_free (par);
}

static gsize row_cells (const CdCsvWriter *w);

void
cd_csv_writer_set_threads (CdCsvWriter *w,
                           guint        threads)
{
  Parallel *par;
  gsize cells;

  g_return_if_fail (w != NULL);
  g_return_if_fail (w->par == NULL);

  cells = row_cells (w);
  if (threads == 0)
    threads = g_get_num_processors () > 1 ? 2 : 1;
  if (threads < 2)
    return;
  /* The caller's thread claims a row's first chunk as soon as it has
   * copied the row in, so a helper would only ever format the second chunk
   * of a row and later ones: for rows of one chunk (the national model's x
   * alone: 3,212 numbers) it would be woken for every row and find nothing
   * to do, 6,000 futex calls a run and as many context switches taken from
   * the integration's thread on two cores.  Such rows are formatted whole,
   * by the caller or by the integration's thread (cd_csv_prepare_sample);
   * not with forces, which only the caller has, nor with the factors, which
   * are evaluated in the writer's one workspace. */
  if (cells <= PAR_CHUNK)
    {
      if (!w->forces && !w->factors)
        for (guint i = 0; i < CD_RUN_PREPARE_SLOTS; i++)
          /* + 32: what cd_format_g17() may touch */
          w->prepared[i] = g_malloc (cells * MAX_CELL + 32);
      return;
    }

  par = g_new0 (Parallel, 1);
  g_mutex_init (&par->lock);
  g_cond_init (&par->changed);
  par->cells = cells;
  par->chunks = (guint) ((cells + PAR_CHUNK - 1) / PAR_CHUNK);
  par->numbers = g_new (double, PAR_ROWS * cells);
  par->text = g_new0 (char *, PAR_ROWS * par->chunks);
  par->length = g_new0 (gsize, PAR_ROWS * par->chunks);
  par->done = g_new0 (gboolean, PAR_ROWS * par->chunks);
  for (guint i = 0; i < PAR_ROWS * par->chunks; i++)
    /* + 1: the row's newline; + 32: what cd_format_g17() may touch */
    par->text[i] = g_malloc ((gsize) PAR_CHUNK * MAX_CELL + 33);
  /* One helper: the caller's thread is the other formatter. */
  par->helper = g_thread_try_new ("cd-csv", parallel_helper, par, NULL);
  if (par->helper == NULL)
    {
      parallel_free (par);
      return;
    }
  w->par = par;
}

static gboolean
parallel_write_sample (CdCsvWriter    *w,
                       const CdSample *s,
                       GError        **error)
{
  Parallel *par = w->par;
  gsize n = w->sys->n_nodes;
  double *v;

  g_return_val_if_fail (!w->forces || s->forces != NULL, FALSE);

  g_mutex_lock (&par->lock);
  /* The row's slot held the row PAR_ROWS before it: help format and write
   * until that one is out. */
  while (par->jobs - par->written > (guint64) (PAR_ROWS - 1) * par->chunks
         && par->error == NULL)
    {
      write_ready (w);
      if (par->jobs - par->written <= (guint64) (PAR_ROWS - 1) * par->chunks)
        break;
      if (!claim_and_format (par))
        g_cond_wait (&par->changed, &par->lock);
    }
  if (par->error != NULL)
    {
      g_mutex_unlock (&par->lock);
      g_propagate_error (error, g_error_copy (par->error));
      return FALSE;
    }
  g_mutex_unlock (&par->lock);

  /* The row's slot is ours until its jobs are enqueued. */
  v = par->numbers + (par->jobs / par->chunks) % PAR_ROWS * par->cells;
  v[0] = s->t;
  v[1] = s->mean_coordination;
  v[2] = s->loss;
  v += 3;
  memcpy (v, s->x, n * sizeof (double));
  v += n;
  if (w->forces)
    {
      memcpy (v, s->forces->gravity, n * sizeof (double));
      memcpy (v + n, s->forces->pressure, n * sizeof (double));
      memcpy (v + 2 * n, s->forces->thrust, n * sizeof (double));
      memcpy (v + 3 * n, s->forces->resistance, n * sizeof (double));
      v += 4 * n;
    }
  if (w->factors)
    {
      cd_system_evaluate_factors (w->sys, s->t, s->x, s->trust, v, w->ws);
      v += CD_N_FACTORS * n;
    }
  if (w->trust)
    memcpy (v, s->trust, w->sys->n_partnerships * sizeof (double));

  g_mutex_lock (&par->lock);
  par->jobs += par->chunks;
  g_cond_broadcast (&par->changed);
  /* This thread formats too, as long as there is something to format. */
  while (claim_and_format (par))
    write_ready (w);
  write_ready (w);
  g_mutex_unlock (&par->lock);
  return TRUE;
}

gboolean
cd_csv_writer_finish (CdCsvWriter *w,
                      GError     **error)
{
  Parallel *par;

  g_return_val_if_fail (w != NULL, FALSE);

  par = w->par;
  if (par != NULL)
    {
      g_mutex_lock (&par->lock);
      while (par->written < par->jobs && par->error == NULL)
        {
          write_ready (w);
          if (par->written < par->jobs && !claim_and_format (par))
            g_cond_wait (&par->changed, &par->lock);
        }
      g_mutex_unlock (&par->lock);
      if (par->error != NULL)
        {
          g_propagate_error (error, g_error_copy (par->error));
          return FALSE;
        }
    }
  syncer_stop (w);
  if (w->sync_error != 0)
    {
      g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_OUTPUT,
                   _("could not write the output: %s"), g_strerror (w->sync_error));
      return FALSE;
    }
  return TRUE;
}

static gsize
row_cells (const CdCsvWriter *w)
{
  gsize n = w->sys->n_nodes;

  return 3 + n * (w->forces ? 5 : 1) + (w->factors ? n * CD_N_FACTORS : 0)
         + (w->trust ? w->sys->n_partnerships : 0);
}

/* s's row, newline included, into start (room for row_cells() × MAX_CELL
 * + 32 bytes); its length.  factors: the factor columns' numbers, with
 * cd_csv_writer_set_factors(). */
static gsize
format_row (const CdCsvWriter *w,
            const CdSample    *s,
            const double      *factors,
            char              *start)
{
  guint n = w->sys->n_nodes;
  char *p = start;

  p += cd_format_g17 (p, s->t);
  p = cd_g17_put_cells (p, &s->mean_coordination, 1);
  p = cd_g17_put_cells (p, &s->loss, 1);
  p = cd_g17_put_cells (p, s->x, n);
  if (w->forces && s->forces)
    {
      p = cd_g17_put_cells (p, s->forces->gravity, n);
      p = cd_g17_put_cells (p, s->forces->pressure, n);
      p = cd_g17_put_cells (p, s->forces->thrust, n);
      p = cd_g17_put_cells (p, s->forces->resistance, n);
    }
  if (w->factors)
    p = cd_g17_put_cells (p, factors, CD_N_FACTORS * n);
  if (w->trust)
    p = cd_g17_put_cells (p, s->trust, w->sys->n_partnerships);
  *p++ = '\n';
  return p - start;
}

gboolean
cd_csv_prepare_sample (const CdSample *s,
                       guint           slot,
                       gpointer        writer)
{
  CdCsvWriter *w = writer;

  g_return_val_if_fail (slot < CD_RUN_PREPARE_SLOTS, FALSE);

  /* (the factors may have been asked for after the buffers were made) */
  if (w->prepared[slot] == NULL || w->factors)
    return FALSE;
  w->prepared_length[slot] = format_row (w, s, NULL, w->prepared[slot]);
  return TRUE;
}

gboolean
cd_csv_write_sample (const CdSample *s,
                     gpointer        user_data,
                     GError        **error)
{
  CdCsvWriter *w = user_data;
  const double *factors = NULL;

  if (s->prepared > 0)
    return write_text (w, w->prepared[s->prepared - 1], w->prepared_length[s->prepared - 1],
                       error);
  if (w->par != NULL)
    return parallel_write_sample (w, s, error);

  if (w->factors)
    {
      /* From the sample's state, as the forces are (docs/model.md, "Numerics"). */
      cd_system_evaluate_factors (w->sys, s->t, s->x, s->trust, w->factor_buf, w->ws);
      factors = w->factor_buf;
    }
  /* Formats straight into the line's buffer: room for the widest row, plus
   * the 32 bytes cd_format_g17() may touch. */
  g_string_set_size (w->line, row_cells (w) * MAX_CELL + 32);
  g_string_truncate (w->line, format_row (w, s, factors, w->line->str));
  return flush_line (w, error);
}

/* ---- size estimates -------------------------------------------------------- */

double
cd_csv_estimate_table (double rows,
                       double columns)
{
  return rows * columns * CD_CSV_NUMBER_BYTES;
}

double
cd_csv_estimate_samples (const CdSystem *sys,
                         double          rows,
                         gboolean        forces,
                         gboolean        trust)
{
  double columns, header = 0;

  g_return_val_if_fail (sys != NULL, 0);
  columns = 3 + sys->n_nodes * (forces ? 5.0 : 1.0) + (trust ? sys->n_partnerships : 0);
  for (guint i = 0; i < sys->n_nodes; i++)
    header += (strlen (sys->node_ids[i]) + 3) * (forces ? 5 : 1);
  if (trust)
    for (guint e = 0; e < sys->n_partnerships; e++)
      header += strlen (sys->partnership_labels[e]) + 7;
  return header + cd_csv_estimate_table (rows, columns);
}

double
cd_csv_estimate_run (const CdSystem *sys,
                     double          t_end,
                     double          dt,
                     gboolean        forces,
                     gboolean        trust)
{
  g_return_val_if_fail (sys != NULL, 0);
  if (!(t_end > 0 && dt > 0 && isfinite (t_end)))
    return 0;
  /* As cd_run_n_samples() counts them, without its limit. */
  return cd_csv_estimate_samples (sys, floor (t_end / dt + 1e-9) + 1, forces, trust);
}
