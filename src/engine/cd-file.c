/* cd-file.c — reading a file a user named, safely (see cd-file.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cd-file.h"

G_DEFINE_QUARK (cd-file-error-quark, cd_file_error)

/* Large enough that reading costs one system call per MiB, small enough
 * that a test can change the file between two of them. */
#define CHUNK ((gsize) 1 << 20)

static CdFileReadHook read_hook;
static gpointer       read_hook_data;

void
cd_file_set_read_hook (CdFileReadHook hook,
                       gpointer       user_data)
{
  read_hook = hook;
  read_hook_data = user_data;
}

static void
set_errno_error (GError **error,
                 int      saved)
{
  g_set_error_literal (error, CD_FILE_ERROR, CD_FILE_ERROR_IO, g_strerror (saved));
}

/* "is a directory" or "is not a regular file (a named pipe)". */
static void
set_not_regular (GError **error,
                 mode_t   mode)
{
  const char *kind;

  if (S_ISDIR (mode))
    {
      g_set_error_literal (error, CD_FILE_ERROR, CD_FILE_ERROR_NOT_REGULAR,
                           _("is a directory, not a file"));
      return;
    }
  if (S_ISFIFO (mode))
    kind = _("a named pipe");
  else if (S_ISCHR (mode))
    kind = _("a character device");
  else if (S_ISBLK (mode))
    kind = _("a block device");
  else if (S_ISSOCK (mode))
    kind = _("a socket");
  else
    kind = _("a special file");
  /* Translators: %s says what it is instead, e.g. "a named pipe". */
  g_set_error (error, CD_FILE_ERROR, CD_FILE_ERROR_NOT_REGULAR,
               _("is not a regular file (it is %s); only files can be read"), kind);
}

static void
set_changed (GError **error)
{
  g_set_error_literal (error, CD_FILE_ERROR, CD_FILE_ERROR_CHANGED,
                       _("the file changed while it was being read (another program is "
                         "writing or truncating it); try again when it is complete"));
}

static gboolean
same_times (const struct stat *a,
            const struct stat *b)
{
  return a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Opens path for reading, refusing anything but a regular file before it
 * is opened and without blocking; fills *opened. */
static int
open_regular (const char   *path,
              struct stat  *opened,
              GError      **error)
{
  struct stat before;
  int fd;

  if (stat (path, &before) != 0)
    {
      set_errno_error (error, errno);
      return -1;
    }
  if (!S_ISREG (before.st_mode))
    {
      set_not_regular (error, before.st_mode);
      return -1;
    }
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno);
      return -1;
    }
  if (fstat (fd, opened) != 0)
    {
      set_errno_error (error, errno);
      close (fd);
      return -1;
    }
  if (!S_ISREG (opened->st_mode))
    {
      set_not_regular (error, opened->st_mode);
      close (fd);
      return -1;
    }
  return fd;
}

FILE *
cd_file_open_regular (const char  *path,
                      GError     **error)
{
  struct stat st;
  int fd;
  FILE *in;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open_regular (path, &st, error);
  if (fd < 0)
    return NULL;
  in = fdopen (fd, "rb");
  if (in == NULL)
    {
      set_errno_error (error, errno);
      close (fd);
    }
  return in;
}

gboolean
cd_file_read_regular (const char  *path,
                      gsize        max_size,
                      char       **contents,
                      gsize       *length,
                      GError     **error)
{
  struct stat before, opened, after;
  g_autofree char *buffer = NULL;
  gsize size, done = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (contents != NULL && length != NULL, FALSE);

  /* Looked at before it is opened: opening a device or a FIFO can block
   * or have effects of its own. */
  if (stat (path, &before) != 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }
  if (!S_ISREG (before.st_mode))
    {
      set_not_regular (error, before.st_mode);
      return FALSE;
    }
  if ((guint64) before.st_size > max_size)
    {
      g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: %s is a size such as "1.0 GiB". */
      g_set_error (error, CD_FILE_ERROR, CD_FILE_ERROR_TOO_LARGE,
                   _("the file is larger than %s; larger files are refused"), limit);
      return FALSE;
    }

  /* O_NONBLOCK: if a FIFO took the file's place since stat(), the open
   * returns at once instead of waiting for a writer; fstat() then sees it. */
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }
  if (fstat (fd, &opened) != 0)
    {
      set_errno_error (error, errno);
      close (fd);
      return FALSE;
    }
  if (!S_ISREG (opened.st_mode))
    {
      set_not_regular (error, opened.st_mode);
      close (fd);
      return FALSE;
    }
  if (opened.st_dev != before.st_dev || opened.st_ino != before.st_ino
      || opened.st_size != before.st_size || (guint64) opened.st_size > max_size)
    {
      set_changed (error);
      close (fd);
      return FALSE;
    }

  size = (gsize) opened.st_size;
  buffer = g_try_malloc (size + 1);
  if (buffer == NULL)
    {
      g_autofree char *text = g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: %s is a size such as "800.0 MiB". */
      g_set_error (error, CD_FILE_ERROR, CD_FILE_ERROR_IO,
                   _("not enough memory to read the file (%s)"), text);
      close (fd);
      return FALSE;
    }
  /* One byte more than the size, to see a file that grew. */
  while (done < size + 1)
    {
      gssize n = read (fd, buffer + done, MIN (CHUNK, size + 1 - done));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          close (fd);
          set_errno_error (error, saved);
          return FALSE;
        }
      if (n == 0)
        break;
      done += (gsize) n;
      if (read_hook != NULL)
        read_hook (fd, done, read_hook_data);
    }
  if (fstat (fd, &after) != 0)
    {
      int saved = errno;
      close (fd);
      set_errno_error (error, saved);
      return FALSE;
    }
  close (fd);
  if (done != size || after.st_size != opened.st_size || !same_times (&after, &opened))
    {
      set_changed (error);
      return FALSE;
    }
  buffer[size] = '\0';
  *contents = g_steal_pointer (&buffer);
  *length = size;
  return TRUE;
}

gboolean
cd_file_same (const char *a,
              const char *b)
{
  GStatBuf sa, sb;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 && sa.st_dev == sb.st_dev
         && sa.st_ino == sb.st_ino;
}
