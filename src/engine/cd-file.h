/* cd-file.h — reading a file a user named, safely: the model files and
 * the other JSON inputs of the CLI and the app.
 *
 * The file is read with read(), never mapped: a mapped file that another
 * program truncates kills the reader with SIGBUS, and with it every window
 * of the app.  Anything that is not a regular file (a directory, a FIFO, a
 * device, a socket) is refused before it is opened for reading, and the
 * open itself cannot block (a FIFO with no writer would wait for ever).  A
 * file whose size or modification time changes while it is read is refused
 * too, rather than half read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

#define CD_FILE_ERROR (cd_file_error_quark ())

typedef enum
{
  CD_FILE_ERROR_IO,           /* the system refused (errno in the message) */
  CD_FILE_ERROR_NOT_REGULAR,  /* a directory, FIFO, device or socket */
  CD_FILE_ERROR_TOO_LARGE,    /* over the caller's size limit */
  CD_FILE_ERROR_CHANGED,      /* it changed while it was read */
} CdFileError;

GQuark   cd_file_error_quark  (void);

/* Reads the whole regular file at path into a new buffer (NUL-terminated,
 * *length without the NUL), refusing one over max_size bytes by its size
 * before reading any of it.  Messages do not name the path: callers put it
 * in front ("model.json: is a directory"). */
gboolean cd_file_read_regular (const char  *path,
                               gsize        max_size,
                               char       **contents,
                               gsize       *length,
                               GError     **error);

/* Opens the regular file at path for streaming ("rb"), with the same
 * refusals as cd_file_read_regular() (a directory, FIFO, device or socket,
 * before it is opened; the open cannot block).  For large inputs read line
 * by line, such as the shards of a study. */
FILE    *cd_file_open_regular (const char  *path,
                               GError     **error);

/* Whether a and b are the same file (same device and inode: a hard link, a
 * symbolic link or another spelling of the path are the same file).  FALSE
 * when either does not exist. */
gboolean cd_file_same         (const char  *a,
                               const char  *b);

/* For tests: called after each chunk cd_file_read_regular() reads, with
 * the open descriptor and the bytes read so far, so that a test can
 * change the file in the middle of a read.  NULL removes it. */
typedef void (*CdFileReadHook) (int       fd,
                                gsize     done,
                                gpointer  user_data);
void     cd_file_set_read_hook (CdFileReadHook hook,
                                gpointer       user_data);

G_END_DECLS
