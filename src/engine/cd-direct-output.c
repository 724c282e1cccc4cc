/* cd-direct-output.c — writing a large output file to disk past the page cache
 * (see cd-direct-output.h).
 *
 * The caller fills one buffer at a time; a buffer with CHUNK bytes or more
 * is handed to the writing thread, all but its last partial block (direct
 * writes must start and end on the file system's block boundaries), and
 * that remainder is copied to the start of the next buffer.  The thread
 * writes the buffers in order and syncs every SYNC_BYTES; the last partial
 * block is written as usual by cd_direct_output_finish(), and the commit's
 * fsync (cd-atomic-file.c) makes the rest durable.
 *
 * Measured on the 2-core VM of bench/README.md ("Issue 17, fourth pass"):
 * the national run's 38 MB take about 60 ms of the disk's time, which this
 * thread spends waiting while the run goes on; written through the page
 * cache, they cost the formatting thread's core about 20 ms of copying and
 * page bookkeeping, and a syncing thread some more.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE 1  /* statx, O_DIRECT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-direct-output.h"

/* Handed to the disk at a time: large enough that the requests' own cost
 * is small, small enough that the first write starts early, that the last
 * one, which the caller waits for, is short, and that the buffers are few
 * pages: a first touch of memory is costly on a virtual machine (up to
 * 0.7 ms a MiB in huge pages, 3 ms in 4 KiB pages, on the one of
 * bench/README.md). */
#define CHUNK      ((gsize) 512 << 10)
/* One being filled, the others written or waiting to be. */
#define N_BUFFERS  3
/* Synced (fdatasync) every so often: a direct write ends in the disk's
 * cache, on a virtual machine the host's, and a sync of it all at the
 * commit would wait for 38 MB.  Writes synced every 4 MiB went at
 * 620–680 MB/s, each made durable on its own (RWF_DSYNC) at 480–540. */
#define SYNC_BYTES ((gsize) 4 << 20)

struct _CdDirectOutput
{
  int       fd;
  int       flags;                 /* the descriptor's status flags before */
  gsize     align;                 /* of direct writes' offsets and lengths */
  gsize     capacity;              /* of each buffer */
  char     *buffer[N_BUFFERS];
  gsize     length[N_BUFFERS];     /* bytes handed to the thread */
  guint64   offset[N_BUFFERS];     /* where they go */
  guint     filling;               /* the buffer being filled */
  gsize     used;                  /* bytes in it */
  guint64   next_offset;           /* where the buffer being filled starts */

  GMutex    lock;
  GCond     changed;
  GThread  *thread;
  guint64   handed;                /* buffers handed to the thread, in all */
  guint64   written;               /* buffers it has written */
  gboolean  stop;
  int       error;                 /* errno of the first failed write, or 0 */
};

#if defined(__linux__) && defined(O_DIRECT) && defined(STATX_DIOALIGN)
# define CD_HAVE_DIRECT_IO 1
#endif

static void
set_error (GError **error,
           int      saved)
{
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       g_strerror (saved));
}

#ifdef CD_HAVE_DIRECT_IO

/* Writes all of data at offset; 0 or the errno.  Where the file system
 * took O_DIRECT but refuses a write, the rest is written as usual. */
static int
write_all (CdDirectOutput *out,
           const char     *data,
           gsize           length,
           guint64         offset)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = pwrite (out->fd, data + done, length - done, (off_t) (offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EINVAL && (fcntl (out->fd, F_GETFL) & O_DIRECT))
        {
          if (fcntl (out->fd, F_SETFL, fcntl (out->fd, F_GETFL) & ~O_DIRECT) == 0)
            continue;
          return EINVAL;
        }
      if (n < 0)
        return errno;
      if (n == 0)
        return EIO;
      done += (gsize) n;
    }
  return 0;
}

static gpointer
writer_main (gpointer data)
{
  CdDirectOutput *out = data;
  gsize unsynced = 0;

  g_mutex_lock (&out->lock);
  for (;;)
    {
      guint b;
      int failed = 0;

      while (out->written == out->handed && !out->stop)
        g_cond_wait (&out->changed, &out->lock);
      if (out->written == out->handed)
        break;
      b = (guint) (out->written % N_BUFFERS);
      if (out->error == 0)
        {
          g_mutex_unlock (&out->lock);
          failed = write_all (out, out->buffer[b], out->length[b], out->offset[b]);
          unsynced += out->length[b];
          if (failed == 0 && unsynced >= SYNC_BYTES)
            {
              unsynced = 0;
              if (fdatasync (out->fd) != 0)
                failed = errno;
            }
          g_mutex_lock (&out->lock);
        }
      if (failed != 0 && out->error == 0)
        out->error = failed;
      out->written++;
      g_cond_broadcast (&out->changed);
    }
  g_mutex_unlock (&out->lock);
  return NULL;
}

CdDirectOutput *
cd_direct_output_new (int fd)
{
  CdDirectOutput *out;
  struct statx sx;
  off_t start;
  int flags;
  gsize align;

  if (fd < 0
      || statx (fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_DIOALIGN, &sx) != 0
      || !(sx.stx_mask & STATX_DIOALIGN) || !S_ISREG (sx.stx_mode)
      || sx.stx_dio_offset_align == 0 || sx.stx_dio_mem_align == 0)
    return NULL;
  /* Offsets and lengths on whole pages: the file system's blocks are at
   * most that on the systems this runs on, and a smaller figure is a
   * divisor of it. */
  align = MAX (sx.stx_dio_offset_align, 4096);
  if (align > CHUNK || (align & (align - 1)) != 0 || sx.stx_dio_mem_align > CHUNK
      || (sx.stx_dio_mem_align & (sx.stx_dio_mem_align - 1)) != 0)
    return NULL;
  start = lseek (fd, 0, SEEK_CUR);
  flags = fcntl (fd, F_GETFL);
  if (start < 0 || (guint64) start % align != 0 || flags < 0
      || fcntl (fd, F_SETFL, flags | O_DIRECT) != 0)
    return NULL;

  out = g_new0 (CdDirectOutput, 1);
  out->fd = fd;
  out->flags = flags;
  out->align = align;
  out->next_offset = (guint64) start;
  /* room for a chunk less one byte, then the largest reservation */
  out->capacity = CHUNK + CD_DIRECT_OUTPUT_MAX_RESERVE;
  g_mutex_init (&out->lock);
  g_cond_init (&out->changed);
  for (guint b = 0; b < N_BUFFERS; b++)
    {
      void *p = NULL;

      if (posix_memalign (&p, MAX (align, sx.stx_dio_mem_align), out->capacity) != 0)
        {
          cd_direct_output_free (out);
          return NULL;
        }
      out->buffer[b] = p;
    }
  out->thread = g_thread_try_new ("cd-direct-write", writer_main, out, NULL);
  if (out->thread == NULL)
    {
      cd_direct_output_free (out);
      return NULL;
    }
  return out;
}

#else /* !CD_HAVE_DIRECT_IO */

CdDirectOutput *
cd_direct_output_new (int fd)
{
  return NULL;
}

#endif

/* Hands the filled buffer's whole blocks to the thread and carries the rest
 * over to the next buffer, once that one is free. */
static void
hand_over (CdDirectOutput *out)
{
  gsize whole = out->used & ~(out->align - 1);
  guint next = (out->filling + 1) % N_BUFFERS;

  if (whole == 0)
    return;
  g_mutex_lock (&out->lock);
  /* the next buffer is free once fewer than N_BUFFERS − 1 are handed over
   * and unwritten (the one being filled is not among them) */
  while (out->handed - out->written >= N_BUFFERS - 1)
    g_cond_wait (&out->changed, &out->lock);
  g_mutex_unlock (&out->lock);

  memcpy (out->buffer[next], out->buffer[out->filling] + whole, out->used - whole);
  out->length[out->filling] = whole;
  out->offset[out->filling] = out->next_offset;

  g_mutex_lock (&out->lock);
  out->handed++;
  g_cond_broadcast (&out->changed);
  g_mutex_unlock (&out->lock);

  out->next_offset += whole;
  out->used -= whole;
  out->filling = next;
}

static gboolean
check_error (CdDirectOutput  *out,
             GError         **error)
{
  int saved;

  g_mutex_lock (&out->lock);
  saved = out->error;
  g_mutex_unlock (&out->lock);
  if (saved == 0)
    return TRUE;
  set_error (error, saved);
  return FALSE;
}

char *
cd_direct_output_reserve (CdDirectOutput  *out,
                          gsize            bytes,
                          GError         **error)
{
  g_return_val_if_fail (out != NULL, NULL);
  g_return_val_if_fail (bytes <= CD_DIRECT_OUTPUT_MAX_RESERVE, NULL);

  /* cd_direct_output_advance() hands over at CHUNK: this always fits */
  g_assert (out->used < CHUNK && out->used + bytes <= out->capacity);
  if (!check_error (out, error))
    return NULL;
  return out->buffer[out->filling] + out->used;
}

void
cd_direct_output_advance (CdDirectOutput *out,
                          gsize           bytes)
{
  g_return_if_fail (out != NULL);

  out->used += bytes;
  g_assert (out->used <= out->capacity);
  if (out->used >= CHUNK)
    hand_over (out);
}

gboolean
cd_direct_output_write (CdDirectOutput  *out,
                        const char      *data,
                        gsize            length,
                        GError         **error)
{
  g_return_val_if_fail (out != NULL, FALSE);

  while (length > 0)
    {
      gsize n = MIN (length, CD_DIRECT_OUTPUT_MAX_RESERVE);
      char *p = cd_direct_output_reserve (out, n, error);

      if (p == NULL)
        return FALSE;
      memcpy (p, data, n);
      cd_direct_output_advance (out, n);
      data += n;
      length -= n;
    }
  return TRUE;
}

/* Waits until the thread has written everything handed to it and ends it. */
static void
stop_thread (CdDirectOutput *out)
{
  if (out->thread == NULL)
    return;
  g_mutex_lock (&out->lock);
  out->stop = TRUE;
  g_cond_broadcast (&out->changed);
  g_mutex_unlock (&out->lock);
  g_thread_join (g_steal_pointer (&out->thread));
}

gboolean
cd_direct_output_finish (CdDirectOutput  *out,
                         GError         **error)
{
  const char *rest;
  gsize done = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  hand_over (out);
  stop_thread (out);
  if (!check_error (out, error))
    return FALSE;
  /* The last partial block, as usual: the commit's fsync makes it durable. */
  if (fcntl (out->fd, F_SETFL, out->flags) != 0)
    {
      set_error (error, errno);
      return FALSE;
    }
  rest = out->buffer[out->filling];
  while (done < out->used)
    {
      ssize_t n = pwrite (out->fd, rest + done, out->used - done,
                          (off_t) (out->next_offset + done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          set_error (error, n < 0 ? errno : EIO);
          return FALSE;
        }
      done += (gsize) n;
    }
  out->next_offset += out->used;
  out->used = 0;
  if (lseek (out->fd, (off_t) out->next_offset, SEEK_SET) < 0)
    {
      set_error (error, errno);
      return FALSE;
    }
  return TRUE;
}

void
cd_direct_output_free (CdDirectOutput *out)
{
  if (out == NULL)
    return;
  stop_thread (out);
  /* back to ordinary writes, whatever happened */
  fcntl (out->fd, F_SETFL, out->flags);
  for (guint b = 0; b < N_BUFFERS; b++)
    free (out->buffer[b]);
  g_mutex_clear (&out->lock);
  g_cond_clear (&out->changed);
  g_free (out);
}
