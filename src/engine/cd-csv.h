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
void         cd_csv_writer_free     (CdCsvWriter    *writer);
gboolean     cd_csv_write_header    (CdCsvWriter    *writer,
                                     GError        **error);
/* A CdSampleFunc: pass the writer as user data to cd_simulate(). */
gboolean     cd_csv_write_sample    (const CdSample *sample,
                                     gpointer        writer,
                                     GError        **error);

/* Appends a CSV cell, quoted as RFC 4180 asks when it holds , " or a line break. */
void         cd_csv_append_cell     (GString        *out,
                                     const char     *text);

/* Writes exactly 17 significant digits ("%.17g"), '.' as the decimal point;
 * returns the length.  buf must hold 32 bytes. */
int          cd_format_g17          (char           *buf,
                                     double          value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdCsvWriter, cd_csv_writer_free)

G_END_DECLS
