/* test-direct-output.c — CdDirectOutput writes exactly the bytes it is given.
 *
 * Direct writes go to the disk in whole blocks from aligned buffers, with
 * the remainder carried from buffer to buffer and the last partial block
 * written as usual (cd-direct-output.c): every boundary is a place to lose
 * or repeat a byte.  Written here: pieces of every awkward size around the
 * block and the 2 MiB chunk, by copy and by reservation, from offset 0 and
 * after a header, compared byte for byte; a descriptor that cannot take
 * the writes reports the error; a file system without direct I/O is
 * refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE 1  /* O_DIRECT */
#include "config.h"

#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cd-direct-output.h"

/* A directory for the test's files on the file system the build is on (the
 * one CI writes its outputs to), not a tmpfs /tmp. */
static char *
make_dir (void)
{
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *templ = g_build_filename (cwd, "direct-XXXXXX", NULL);
  char *dir = g_mkdtemp (g_steal_pointer (&templ));

  g_assert_nonnull (dir);
  return dir;
}

/* Byte i of the expected text: not periodic at any block size. */
static char
byte_at (guint64 i)
{
  return (char) ('a' + (i * 7 + i / 4093) % 26);
}

static void
fill (char    *p,
      gsize    n,
      guint64  from)
{
  for (gsize k = 0; k < n; k++)
    p[k] = byte_at (from + k);
}

/* Opens path for writing, takes it over directly, or skips the test. */
static CdDirectOutput *
open_direct (const char *path,
             int        *fd)
{
  CdDirectOutput *out;

  *fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  g_assert_cmpint (*fd, >=, 0);
  out = cd_direct_output_new (*fd);
  if (out == NULL)
    g_test_skip ("this file system does not take direct writes: nothing to test here");
  return out;
}

static void
check_file (const char *path,
            gsize       expected)
{
  g_autofree char *contents = NULL;
  gsize size = 0;
  guint64 wrong = 0;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpuint (size, ==, expected);
  for (gsize k = 0; k < expected; k++)
    if (contents[k] != byte_at (k) && wrong++ < 5)
      g_test_message ("byte %" G_GSIZE_FORMAT " differs", k);
  g_assert_cmpuint (wrong, ==, 0);
}

/* Pieces of sizes around the block (4096), the chunk (2 MiB) and the
 * largest reservation, in copies and in reservations, about 13 MiB. */
static void
test_direct_pieces (void)
{
  static const gsize sizes[] = {
    1, 4095, 4096, 4097, 100, (2 << 20) - 1, 2 << 20, (2 << 20) + 1, 3, 65536,
    CD_DIRECT_OUTPUT_MAX_RESERVE, CD_DIRECT_OUTPUT_MAX_RESERVE - 1, 777777, 5 << 20, 12,
  };
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "pieces", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *piece = g_malloc (5 << 20);
  CdDirectOutput *out;
  guint64 at = 0;
  int fd;

  out = open_direct (path, &fd);
  if (out != NULL)
    {
      for (guint round = 0; round < 2; round++)
        for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
          {
            gsize n = sizes[i];

            if ((i + round) % 2 == 0 || n > CD_DIRECT_OUTPUT_MAX_RESERVE)
              {
                fill (piece, n, at);
                g_assert_true (cd_direct_output_write (out, piece, n, &error));
              }
            else
              {
                /* a reservation larger than what is written in it */
                char *p = cd_direct_output_reserve (out, n, &error);

                g_assert_nonnull (p);
                fill (p, n, at);
                cd_direct_output_advance (out, n);
              }
            g_assert_no_error (error);
            at += n;
          }
      g_assert_true (cd_direct_output_finish (out, &error));
      g_assert_no_error (error);
      /* positioned after the last byte, ordinary writes again */
      g_assert_cmpint (lseek (fd, 0, SEEK_CUR), ==, (off_t) at);
      g_assert_cmpint (fcntl (fd, F_GETFL) & O_DIRECT, ==, 0);
      cd_direct_output_free (out);
      g_assert_cmpint (close (fd), ==, 0);
      check_file (path, at);
    }
  else
    close (fd);
  g_remove (path);
  g_rmdir (dir);
}

/* After a header written as usual (one block), and with nothing to write
 * at all; a start that is not on a block boundary is refused. */
static void
test_direct_offsets (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "offsets", NULL);
  g_autoptr(GError) error = NULL;
  char header[4096];
  CdDirectOutput *out;
  int fd;

  out = open_direct (path, &fd);
  if (out == NULL)
    {
      close (fd);
      g_rmdir (dir);
      return;
    }
  /* nothing written: an empty file */
  g_assert_true (cd_direct_output_finish (out, &error));
  cd_direct_output_free (out);
  g_assert_cmpint (lseek (fd, 0, SEEK_END), ==, 0);

  /* one block first, as usual */
  memset (header, '#', sizeof header);
  g_assert_cmpint (write (fd, header, sizeof header), ==, (ssize_t) sizeof header);
  out = cd_direct_output_new (fd);
  g_assert_nonnull (out);
  {
    g_autofree char *text = g_malloc (3 << 20);

    fill (text, 3 << 20, 0);
    g_assert_true (cd_direct_output_write (out, text, 3 << 20, &error));
    g_assert_true (cd_direct_output_finish (out, &error));
    g_assert_no_error (error);
  }
  cd_direct_output_free (out);

  /* one byte further: refused, and the descriptor unchanged */
  g_assert_cmpint (write (fd, "x", 1), ==, 1);
  g_assert_null (cd_direct_output_new (fd));
  g_assert_cmpint (fcntl (fd, F_GETFL) & O_DIRECT, ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
  {
    g_autofree char *contents = NULL;
    gsize size;

    g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
    g_assert_cmpuint (size, ==, 4096 + (3 << 20) + 1);
    g_assert_cmpint (contents[4095], ==, '#');
    for (gsize k = 0; k < (3 << 20); k++)
      if (contents[4096 + k] != byte_at (k))
        g_error ("byte %" G_GSIZE_FORMAT " differs", 4096 + k);
    g_assert_cmpint (contents[size - 1], ==, 'x');
  }
  g_remove (path);
  g_rmdir (dir);
}

/* A descriptor open for reading only: every write fails, and the error
 * comes back from a later reservation or from finish, named. */
static void
test_direct_error (void)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "readonly", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_malloc (5 << 20);
  CdDirectOutput *out;
  gboolean ok = TRUE;
  int fd;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  out = cd_direct_output_new (fd);
  if (out == NULL)
    {
      g_test_skip ("this file system does not take direct writes: nothing to test here");
      close (fd);
      g_remove (path);
      g_rmdir (dir);
      return;
    }
  fill (text, 5 << 20, 0);
  for (guint i = 0; i < 4 && ok; i++)
    ok = cd_direct_output_write (out, text, 5 << 20, &error);
  if (ok)
    ok = cd_direct_output_finish (out, &error);
  g_assert_false (ok);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_BADF);
  g_test_message ("error: %s", error->message);
  cd_direct_output_free (out);
  g_assert_cmpint (fcntl (fd, F_GETFL) & O_DIRECT, ==, 0);
  close (fd);
  g_remove (path);
  g_rmdir (dir);
}

/* A file system that cannot take direct writes (tmpfs, where there is
 * one): refused, so that the caller writes as usual. */
static void
test_direct_refused (void)
{
  g_autofree char *path = NULL;
  int fd;

  if (!g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /dev/shm here");
      return;
    }
  path = g_build_filename ("/dev/shm", "coordyn-direct-XXXXXX", NULL);
  fd = g_mkstemp (path);
  if (fd < 0)
    {
      g_test_skip ("cannot create a file in /dev/shm");
      return;
    }
  g_assert_null (cd_direct_output_new (fd));
  g_assert_null (cd_direct_output_new (-1));
  close (fd);
  g_remove (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/direct-output/pieces", test_direct_pieces);
  g_test_add_func ("/direct-output/offsets", test_direct_offsets);
  g_test_add_func ("/direct-output/error", test_direct_error);
  g_test_add_func ("/direct-output/refused", test_direct_refused);
  return g_test_run ();
}
