/* cd-csv.h — the simulation output of docs/model.md as CSV, streamed row by row.
 *
 * Columns: t, mean_coordination, loss, x:ID…; with forces G:ID…, P:ID…,
 * T:ID…, R:ID…; with trust trust:A|B….  Numbers carry 17 significant
 * digits with '.' as the decimal point whatever the locale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "cd-simulate.h"
#include "cd-g17.h"   /* cd_format_g17(), for the writer's users */

G_BEGIN_DECLS

typedef struct _CdCsvWriter CdCsvWriter;

CdCsvWriter *cd_csv_writer_new      (FILE           *out,
                                     const CdSystem *system,
                                     gboolean        forces,
                                     gboolean        trust);
/* Adds the ten factor columns of docs/model.md, "Force factors" (after the
 * forces', before trust's), computed from each sample's state. */
void         cd_csv_writer_set_factors (CdCsvWriter *writer,
                                     gboolean     factors);
/* threads > 1 (0: as many as is worth it, 1 or 2): the numbers are
 * formatted on a second thread as well as on the caller's, and written in
 * order by the caller's; then cd_csv_writer_finish() must follow the last
 * sample.  The output is the same bytes.  Rows of up to a few thousand
 * numbers (the national model's x) are not worth a thread of their own:
 * the second thread is then a pipelined run's integration, given
 * cd_csv_prepare_sample as CdRunOptions.prepare with the writer as its data. */
void         cd_csv_writer_set_threads (CdCsvWriter *writer,
                                     guint        threads);
/* While the output is written, a thread of the writer's syncs it to disk
 * (fdatasync) every few MiB, so that the fsync that commits the file
 * (cd-atomic-file.c) finds little left to wait for.  out must be a regular
 * file (else nothing happens), and cd_csv_writer_finish() must follow the
 * last sample: it reports a failed sync, which the final fsync would not
 * report again. */
void         cd_csv_writer_sync_as_written (CdCsvWriter *writer);
/* Formats and writes what is still queued, waits for a sync in progress;
 * reports the first write or sync error. */
gboolean     cd_csv_writer_finish   (CdCsvWriter    *writer,
                                     GError        **error);
void         cd_csv_writer_free     (CdCsvWriter    *writer);
gboolean     cd_csv_write_header    (CdCsvWriter    *writer,
                                     GError        **error);
/* A CdPrepareFunc: formats the sample's row, on whatever thread, for
 * cd_csv_write_sample() to write.  Declines (FALSE) unless
 * cd_csv_writer_set_threads() chose this way of sharing the work. */
gboolean     cd_csv_prepare_sample  (const CdSample *sample,
                                     guint           slot,
                                     gpointer        writer);
/* A CdSampleFunc: pass the writer as user data to cd_simulate(). */
gboolean     cd_csv_write_sample    (const CdSample *sample,
                                     gpointer        writer,
                                     GError        **error);

/* Appends a CSV cell, quoted as RFC 4180 asks when it holds , " or a line break. */
void         cd_csv_append_cell     (GString        *out,
                                     const char     *text);

/* What a CSV output may be before the CLI refuses to start writing it
 * (unless --max-output raises the limit) and the app asks first (docs/model.md,
 * "Limits"): a slip of one digit in dt multiplies a run's output by ten,
 * and `--t-end 4000 --dt 1e-6` started writing 470 GB.  16 GiB is far
 * above any run of the examples or the national model (38 MB, 261 MB with
 * forces and trust) and still holds a run of a million governments (about
 * 10 GB); beyond it a spreadsheet or a data frame on a workstation cannot
 * read the file anyway. */
#define CD_CSV_MAX_OUTPUT      ((guint64) 16 << 30)
/* The app asks before an export larger than this. */
#define CD_CSV_WARN_OUTPUT     ((guint64) 1 << 30)
/* Bytes of a number and its comma, as estimated: 17 significant digits, a
 * point, often a sign or an exponent ("0.49999999999999994,"). */
#define CD_CSV_NUMBER_BYTES    20

/* About how many bytes the CSV of a run of system from 0 to t_end, sampled
 * every dt, takes with the columns asked for (a double: it may not fit in
 * 64 bits). */
double       cd_csv_estimate_run    (const CdSystem *system,
                                     double          t_end,
                                     double          dt,
                                     gboolean        forces,
                                     gboolean        trust);
/* The same for n_samples samples. */
double       cd_csv_estimate_samples (const CdSystem *system,
                                      double          n_samples,
                                      gboolean        forces,
                                      gboolean        trust);
/* The same for any table of numbers. */
double       cd_csv_estimate_table  (double          rows,
                                     double          columns);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCsvWriter, cd_csv_writer_free)

G_END_DECLS
