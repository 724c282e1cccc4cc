/* bench-peak.c — runs a command and prints its peak resident size.
 *
 *     bench-peak COMMAND [ARG…]    → "PEAK_KIB WALL_S STATUS" on standard error
 *
 * A child's ru_maxrss counts the memory of the process it was forked from:
 * Linux keeps the parent's high-water mark across fork and exec.  Forked
 * from a benchmark script holding a few hundred megabytes of text, a small
 * command would report the script's size.  This program is small, so what
 * it reports is the command's own peak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main (int    argc,
      char **argv)
{
  struct timespec start, end;
  struct rusage usage;
  int status;
  pid_t pid;

  if (argc < 2)
    {
      fputs ("usage: bench-peak COMMAND [ARG…]\n", stderr);
      return 2;
    }
  clock_gettime (CLOCK_MONOTONIC, &start);
  pid = fork ();
  if (pid < 0)
    return 1;
  if (pid == 0)
    {
      execvp (argv[1], argv + 1);
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &usage) < 0)
    return 1;
  clock_gettime (CLOCK_MONOTONIC, &end);
  fprintf (stderr, "%ld %.3f %d\n", usage.ru_maxrss,
           (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9,
           WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
  return 0;
}
