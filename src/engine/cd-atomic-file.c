/* cd-atomic-file.c — replacing a file so that it is never half written
 * (see cd-atomic-file.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-atomic-file.h"

/* ---- temporary files a signal handler can remove ---------------------------
 *
 * A handler may only call async-signal-safe functions and must not read
 * memory another thread may be freeing, so the paths live in fixed slots:
 * a slot is claimed (FREE → CLAIMED), its path written, and only then
 * marked READY; the handler unlinks the READY ones.  A temporary file's
 * name is registered before the file is created and released only after
 * it has been renamed away, so there is no moment when it exists unseen. */

#define N_SLOTS 16

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_READY };

static gint slot_state[N_SLOTS];
static char slot_path[N_SLOTS][PATH_MAX];

static int
slot_claim (void)
{
  for (int i = 0; i < N_SLOTS; i++)
    if (g_atomic_int_compare_and_exchange (&slot_state[i], SLOT_FREE, SLOT_CLAIMED))
      return i;
  return -1;
}

/* path must be shorter than PATH_MAX (the caller checked). */
static void
slot_set (int         slot,
          const char *path)
{
  if (slot < 0)
    return;
  g_atomic_int_set (&slot_state[slot], SLOT_CLAIMED);
  memcpy (slot_path[slot], path, strlen (path) + 1);
  g_atomic_int_set (&slot_state[slot], SLOT_READY);
}

static void
slot_release (int slot)
{
  if (slot >= 0)
    g_atomic_int_set (&slot_state[slot], SLOT_FREE);
}

static gboolean exit_with_status;

static void
on_signal (int signum)
{
  int saved = errno;

  for (int i = 0; i < N_SLOTS; i++)
    if (g_atomic_int_get (&slot_state[i]) == SLOT_READY)
      unlink (slot_path[i]);
  if (exit_with_status)
    _exit (128 + signum);
  /* End the way the signal would have: the parent sees it. */
  signal (signum, SIG_DFL);
  errno = saved;
  raise (signum);
}

void
cd_atomic_file_handle_signals (gboolean with_status)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  exit_with_status = with_status;
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      struct sigaction old, action = { 0 };

      if (sigaction (signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;
      action.sa_handler = on_signal;
      sigemptyset (&action.sa_mask);
      for (guint k = 0; k < G_N_ELEMENTS (signals); k++)
        sigaddset (&action.sa_mask, signals[k]);
      sigaction (signals[i], &action, NULL);
    }
}

/* ---- replacing ------------------------------------------------------------ */

#define STREAM_BUFFER_SIZE ((gsize) 1 << 20)

struct _CdAtomicFile
{
  char    *path;        /* as given */
  char    *target;      /* the file replaced: path with symbolic links followed */
  char    *temp;        /* NULL when writing the target directly */
  int      slot;
  int      fd;
  FILE    *stream;
  char    *stream_buffer;   /* the stream's: glibc ignores setvbuf's size without one */
  GThread *dropper;     /* dropping the replaced file's cached pages, or NULL */
};

/* The file a commit replaces is deleted by the rename, and the rename pays
 * for it: its cached pages are dropped and its blocks freed (on a file
 * system mounted with discard, a discard of them is waited for).  For the
 * national run's 38 MB CSV, run again over the last one, that took 28–35 ms
 * of the rename, 15–22 ms with its pages dropped beforehand.  So the pages
 * of a large replaced file are dropped (POSIX_FADV_DONTNEED: it stays as it
 * is on disk; a clean page is only dropped, a dirty one only written) on a
 * thread of its own while the new file is written. */
#define DROP_MIN_SIZE ((goffset) 8 << 20)

static gpointer
drop_cached_pages (gpointer data)
{
  g_autofree char *path = data;
#if defined(POSIX_FADV_DONTNEED)
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      struct stat st;

      if (fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
        posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
      close (fd);
    }
#endif
  return NULL;
}

static void
join_dropper (CdAtomicFile *f)
{
  if (f->dropper != NULL)
    g_thread_join (g_steal_pointer (&f->dropper));
}

static void
set_errno_error (GError **error,
                 int      saved)
{
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), g_strerror (saved));
}

/* path with every symbolic link along the last component followed, as
 * g_file_replace() does: the link stays and its target is written.  A link
 * to nothing gives the path it names (that file is created). */
static char *
follow_links (const char  *path,
              GError     **error)
{
  g_autofree char *current = g_strdup (path);

  for (int depth = 0; depth < 40; depth++)
    {
      GStatBuf st;
      g_autofree char *link = NULL;
      g_autofree char *dir = NULL;

      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);
      link = g_file_read_link (current, NULL);
      if (link == NULL)
        return g_steal_pointer (&current);
      if (g_path_is_absolute (link))
        {
          g_free (current);
          current = g_steal_pointer (&link);
          continue;
        }
      dir = g_path_get_dirname (current);
      g_free (current);
      current = g_build_filename (dir, link, NULL);
    }
  set_errno_error (error, ELOOP);
  return NULL;
}

/* Creates a new temporary file beside target, its name registered first. */
static gboolean
open_temp (CdAtomicFile *f,
           GError      **error)
{
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  g_autofree char *dir = g_path_get_dirname (f->target);
  g_autofree char *base = g_path_get_basename (f->target);

  f->slot = slot_claim ();
  for (int attempt = 0; attempt < 100; attempt++)
    {
      char suffix[7];

      for (int k = 0; k < 6; k++)
        suffix[k] = letters[g_random_int_range (0, sizeof letters - 1)];
      suffix[6] = '\0';
      g_free (f->temp);
      f->temp = g_strdup_printf ("%s%c.%s.%s", dir, G_DIR_SEPARATOR, base, suffix);
      if (strlen (f->temp) >= PATH_MAX)
        {
          slot_release (f->slot);
          f->slot = -1;
          set_errno_error (error, ENAMETOOLONG);
          return FALSE;
        }
      slot_set (f->slot, f->temp);
      /* 0666 less the umask, as any new file */
      f->fd = g_open (f->temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (f->fd >= 0)
        return TRUE;
      if (errno != EEXIST)
        {
          int saved = errno;
          g_autofree char *shown = g_filename_display_name (dir);

          slot_release (f->slot);
          f->slot = -1;
          g_clear_pointer (&f->temp, g_free);
          /* The file is written beside its target: say that it is the
           * folder that refused (on /proc, "No such file or directory" for
           * a file that exists would make no sense alone). */
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("cannot create a file in %s: %s"), shown, g_strerror (saved));
          return FALSE;
        }
    }
  slot_release (f->slot);
  f->slot = -1;
  g_clear_pointer (&f->temp, g_free);
  set_errno_error (error, EEXIST);
  return FALSE;
}

static void
atomic_file_free (CdAtomicFile *f)
{
  join_dropper (f);
  g_free (f->path);
  g_free (f->target);
  g_free (f->temp);
  g_free (f);
}

CdAtomicFile *
cd_atomic_file_new (const char  *path,
                    GError     **error)
{
  CdAtomicFile *f;
  GStatBuf st;
  gboolean exists;

  g_return_val_if_fail (path != NULL, NULL);

  if (*path == '\0')
    {
      set_errno_error (error, ENOENT);
      return NULL;
    }
  f = g_new0 (CdAtomicFile, 1);
  f->path = g_strdup (path);
  f->slot = -1;
  f->fd = -1;
  f->target = follow_links (path, error);
  if (f->target == NULL)
    {
      atomic_file_free (f);
      return NULL;
    }
  exists = g_stat (f->target, &st) == 0;
  if (exists && S_ISDIR (st.st_mode))
    {
      set_errno_error (error, EISDIR);
      atomic_file_free (f);
      return NULL;
    }
  if (exists && !S_ISREG (st.st_mode))
    {
      /* A device or a FIFO is written as it is; it cannot be replaced. */
      f->fd = g_open (f->target, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);
      if (f->fd < 0)
        {
          set_errno_error (error, errno);
          atomic_file_free (f);
          return NULL;
        }
      return f;
    }
  if (!open_temp (f, error))
    {
      atomic_file_free (f);
      return NULL;
    }
  if (exists)
    {
      /* Keep what the replaced file had.  The owner can only be kept by a
       * process allowed to give files away (root); the group by one in it. */
      if ((st.st_uid != geteuid () || st.st_gid != getegid ())
          && fchown (f->fd, st.st_uid, st.st_gid) != 0
          && fchown (f->fd, (uid_t) -1, st.st_gid) != 0)
        g_debug ("%s: the replacement is the writer's, not the old file's owner's", f->target);
      if (fchmod (f->fd, st.st_mode & 07777) != 0)
        {
          int saved = errno;
          cd_atomic_file_abandon (f);
          set_errno_error (error, saved);
          return NULL;
        }
      if (st.st_size >= DROP_MIN_SIZE)
        {
          char *copy = g_strdup (f->target);

          f->dropper = g_thread_try_new ("cd-drop-old", drop_cached_pages, copy, NULL);
          if (f->dropper == NULL)
            g_free (copy);
        }
    }
  return f;
}

int
cd_atomic_file_get_fd (CdAtomicFile *f)
{
  g_return_val_if_fail (f != NULL, -1);
  return f->fd;
}

FILE *
cd_atomic_file_get_stream (CdAtomicFile *f)
{
  g_return_val_if_fail (f != NULL, NULL);
  if (f->stream == NULL)
    {
      f->stream = fdopen (f->fd, "wb");
      /* Whole mebibytes at mebibyte offsets: a row of the national run's
       * CSV (64 KB) went out as a 4 KiB write and a 60 KiB one, since
       * setvbuf (…, NULL, _IOFBF, size) keeps glibc's 4 KiB buffer.  Large
       * aligned writes take fewer system calls and let the file system
       * cache them in large folios: writing the 38 MB took 10 ms of
       * system time in 64 KiB writes, 6 ms in 1 MiB ones (ext4, EPYC VM). */
      if (f->stream != NULL)
        {
          f->stream_buffer = g_malloc (STREAM_BUFFER_SIZE);
          setvbuf (f->stream, f->stream_buffer, _IOFBF, STREAM_BUFFER_SIZE);
        }
    }
  return f->stream;
}

const char *
cd_atomic_file_get_path (CdAtomicFile *f)
{
  g_return_val_if_fail (f != NULL, NULL);
  return f->path;
}

/* Closes the stream or the descriptor; the first error's errno, or 0. */
static int
close_output (CdAtomicFile *f,
              gboolean      sync)
{
  int saved = 0;

  if (f->stream != NULL)
    {
      if (fflush (f->stream) != 0 || ferror (f->stream))
        saved = errno ? errno : EIO;
      if (sync && saved == 0 && f->temp != NULL && fsync (fileno (f->stream)) != 0)
        saved = errno;
      if (fclose (f->stream) != 0 && saved == 0)
        saved = errno;
      g_clear_pointer (&f->stream_buffer, g_free);
    }
  else if (f->fd >= 0)
    {
      if (sync && f->temp != NULL && fsync (f->fd) != 0)
        saved = errno;
      if (close (f->fd) != 0 && saved == 0)
        saved = errno;
    }
  f->stream = NULL;
  f->fd = -1;
  return saved;
}

gboolean
cd_atomic_file_commit (CdAtomicFile  *f,
                       GError       **error)
{
  int saved;

  g_return_val_if_fail (f != NULL, FALSE);

  saved = close_output (f, TRUE);
  join_dropper (f);
  if (saved == 0 && f->temp != NULL && g_rename (f->temp, f->target) != 0)
    saved = errno;
  if (saved != 0)
    {
      if (f->temp != NULL)
        g_unlink (f->temp);
      slot_release (f->slot);
      atomic_file_free (f);
      set_errno_error (error, saved);
      return FALSE;
    }
  /* Renamed: the temporary name is gone, its slot can go too. */
  slot_release (f->slot);
  if (f->temp != NULL)
    {
      /* The rename itself made durable (as G_FILE_SET_CONTENTS_DURABLE). */
      g_autofree char *dir = g_path_get_dirname (f->target);
      int dfd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
      if (dfd >= 0)
        {
          fsync (dfd);
          close (dfd);
        }
    }
  atomic_file_free (f);
  return TRUE;
}

void
cd_atomic_file_abandon (CdAtomicFile *f)
{
  if (f == NULL)
    return;
  close_output (f, FALSE);
  if (f->temp != NULL)
    g_unlink (f->temp);
  slot_release (f->slot);
  atomic_file_free (f);
}

gboolean
cd_atomic_file_set_contents (const char  *path,
                             const char  *data,
                             gsize        length,
                             GError     **error)
{
  g_autoptr(CdAtomicFile) f = cd_atomic_file_new (path, error);
  gsize done = 0;

  if (f == NULL)
    return FALSE;
  while (done < length)
    {
      gssize n = write (f->fd, data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno);
          return FALSE;
        }
      done += (gsize) n;
    }
  return cd_atomic_file_commit (g_steal_pointer (&f), error);
}
