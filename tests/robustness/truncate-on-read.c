/* truncate-on-read.c — preloaded into coordyn-cli by test-hostile-cli.c: the
 * first time the process reads or maps the file named by
 * COORDYN_TEST_TRUNCATE (matched by device and inode), the file is
 * truncated to COORDYN_TEST_TRUNCATE_TO bytes right after that call.
 *
 * This is `truncate -s 1000 t.json` landing while coordyn-cli reads t.json,
 * made deterministic.  A reader that maps the file then dies of SIGBUS when
 * it touches a page past the new end; one that reads it sees the file
 * change and must say so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static int done;

static void
maybe_truncate (int fd)
{
  const char *path = getenv ("COORDYN_TEST_TRUNCATE");
  const char *to = getenv ("COORDYN_TEST_TRUNCATE_TO");
  struct stat a, b;

  if (done || path == NULL || fd < 0 || fstat (fd, &a) != 0 || stat (path, &b) != 0
      || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
    return;
  done = 1;
  if (truncate (path, to ? atol (to) : 0) != 0)
    abort ();
}

ssize_t
read (int    fd,
      void  *buf,
      size_t count)
{
  static ssize_t (*real_read) (int, void *, size_t);
  ssize_t n;

  if (real_read == NULL)
    real_read = (ssize_t (*) (int, void *, size_t)) dlsym (RTLD_NEXT, "read");
  n = real_read (fd, buf, count);
  if (n > 0)
    maybe_truncate (fd);
  return n;
}

void *
mmap (void  *addr,
      size_t length,
      int    prot,
      int    flags,
      int    fd,
      off_t  offset)
{
  static void *(*real_mmap) (void *, size_t, int, int, int, off_t);
  void *p;

  if (real_mmap == NULL)
    real_mmap = (void *(*) (void *, size_t, int, int, int, off_t)) dlsym (RTLD_NEXT, "mmap");
  p = real_mmap (addr, length, prot, flags, fd, offset);
  if (p != MAP_FAILED)
    maybe_truncate (fd);
  return p;
}
