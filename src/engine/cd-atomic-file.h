/* cd-atomic-file.h — replacing a file so that it is never half written.
 *
 * Every file Coordyn writes (the CLI's CSV and figures, the app's exports,
 * a saved model) goes through this: the data go to a temporary file beside
 * the target, which is flushed to disk and then renamed over the target in
 * one step, so a failed, cancelled or interrupted write leaves the old
 * file as it was and no temporary file behind.  Like g_file_replace(), a
 * symbolic link is written through (its target is replaced, the link
 * stays) and a replaced file keeps its permissions (and, where the system
 * allows, its owner and group); a new file gets 0666 less the umask.  A
 * target that exists but is not a regular file (/dev/null, a FIFO, a
 * terminal) is written directly: it cannot be replaced.
 *
 * The temporary files in progress are registered where a signal handler
 * can see them: cd_atomic_file_handle_signals() makes SIGINT, SIGTERM and
 * SIGHUP remove them before the process ends.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CdAtomicFile CdAtomicFile;

/* Starts replacing path; errors are G_FILE_ERROR, their message the
 * system's reason only (the caller names the file). */
CdAtomicFile *cd_atomic_file_new          (const char    *path,
                                           GError       **error);
/* Where to write: a descriptor, or a stdio stream on it (1 MiB buffer,
 * made on first use; use one or the other). */
int           cd_atomic_file_get_fd       (CdAtomicFile  *file);
FILE         *cd_atomic_file_get_stream   (CdAtomicFile  *file);
/* The path as given to cd_atomic_file_new(). */
const char   *cd_atomic_file_get_path     (CdAtomicFile  *file);

/* Flushes, syncs and renames over the target; on failure the target is
 * as it was and the temporary file is gone.  Frees file either way. */
gboolean      cd_atomic_file_commit       (CdAtomicFile  *file,
                                           GError       **error);
/* Removes the temporary file; the target is as it was.  Frees file. */
void          cd_atomic_file_abandon      (CdAtomicFile  *file);

/* The whole of data into path, atomically (cd_atomic_file_new … commit). */
gboolean      cd_atomic_file_set_contents (const char    *path,
                                           const char    *data,
                                           gsize          length,
                                           GError       **error);

/* SIGINT, SIGTERM and SIGHUP remove every temporary file in progress, then
 * end the process: with exit_with_status, by _exit (128 + signal number:
 * 130, 143, 129; the CLI's documented statuses); else with the signal
 * itself (the app: its parent sees how it ended).  A signal the process
 * was started ignoring (nohup, a background job) stays ignored. */
void          cd_atomic_file_handle_signals (gboolean      exit_with_status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdAtomicFile, cd_atomic_file_abandon)

G_END_DECLS
