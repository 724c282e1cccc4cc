/* cd-direct-output.h — writing a large output file to disk past the page cache.
 *
 * A run's CSV is written once and not read back by the writer: copying it
 * into the kernel's page cache, and then from there to the disk, costs CPU
 * time the run needs (the national run: 38 MB, about 20 ms of copying,
 * page bookkeeping and writeback, on the cores that integrate and format).
 * A CdDirectOutput collects the bytes in aligned buffers and a thread of
 * its own writes them straight to the disk (O_DIRECT) and syncs them every
 * few MiB, so that the fsync that commits the file (cd-atomic-file.c)
 * finds little left to flush.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CdDirectOutput CdDirectOutput;

/* Takes over writing fd (a regular file opened for writing, positioned at
 * an offset the file system's direct writes accept, nothing buffered for it
 * elsewhere) from its current offset.  NULL when the file system cannot
 * write it directly (tmpfs, some network file systems): write it as usual. */
CdDirectOutput *cd_direct_output_new     (int              fd);
/* A place for up to `bytes` bytes (at most CD_DIRECT_OUTPUT_MAX_RESERVE);
 * cd_direct_output_advance() says how many were written there.  NULL with
 * the error when an earlier write failed. */
char           *cd_direct_output_reserve (CdDirectOutput  *out,
                                          gsize            bytes,
                                          GError         **error);
void            cd_direct_output_advance (CdDirectOutput  *out,
                                          gsize            bytes);
/* Appends a copy of data, of any length. */
gboolean        cd_direct_output_write   (CdDirectOutput  *out,
                                          const char      *data,
                                          gsize            length,
                                          GError         **error);
/* Writes what is left and waits for every write; the descriptor is back to
 * ordinary writes, positioned after the last byte.  Reports the first
 * failed write. */
gboolean        cd_direct_output_finish  (CdDirectOutput  *out,
                                          GError         **error);
/* Stops the thread (after the write in progress) and frees; what was not
 * finished may or may not be in the file. */
void            cd_direct_output_free    (CdDirectOutput  *out);

/* The largest reservation: a row of a model of about 10,000 governments
 * (x alone); larger rows are formatted elsewhere and copied in. */
#define CD_DIRECT_OUTPUT_MAX_RESERVE ((gsize) 256 << 10)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdDirectOutput, cd_direct_output_free)

G_END_DECLS
