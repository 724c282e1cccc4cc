/* cd-analysis-csv.h — the analysis results as CSV, for coordyn-cli and the app alike.
 *
 * One writer per table, so a table saved from the app and one computed on a
 * cluster with coordyn-cli have the same columns, the same 17-digit numbers
 * with '.' as the decimal point and empty cells where a value does not exist
 * (never NaN or infinity), and can be compared row by row (docs/analysis.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

#include "cd-analysis-compare.h"
#include "cd-analysis-equilibria.h"
#include "cd-analysis-metrics.h"
#include "cd-analysis-montecarlo.h"
#include "cd-analysis-sensitivity.h"
#include "cd-analysis-sweep.h"
#include "cd-experiment.h"

G_BEGIN_DECLS

/* Where a table goes.  With a file, each row is written as soon as it is
 * complete, so a study of 10^8 runs never sits in memory as text (write
 * errors show in ferror (file)); without one, the rows are appended to text,
 * for an atomic save. */
typedef struct
{
  FILE    *file;
  GString *text;
} CdCsvSink;

void     cd_analysis_csv_equilibria  (const CdCsvSink    *sink,
                                      const CdEquilibria *eqs);
void     cd_analysis_csv_sweep       (const CdCsvSink    *sink,
                                      const CdSweep      *sweep);
void     cd_analysis_csv_tornado     (const CdCsvSink    *sink,
                                      const CdTornado    *tornado);
void     cd_analysis_csv_sobol       (const CdCsvSink    *sink,
                                      const CdSobol      *sobol);
void     cd_analysis_csv_montecarlo  (const CdCsvSink    *sink,
                                      const CdMonteCarlo *mc);
/* Writes nothing and returns FALSE when the study kept no bands. */
gboolean cd_analysis_csv_bands       (const CdCsvSink    *sink,
                                      const CdMonteCarlo *mc);
/* results: of CdScenarioOutcome, the base first. */
void     cd_analysis_csv_comparison  (const CdCsvSink    *sink,
                                      const GPtrArray    *results);
/* An experiment's table: run,scenario, the varied parameters in the
 * spec's order, then the outputs; the header, then rows a block at a time
 * (outcomes of runs first … first + n − 1). */
void     cd_analysis_csv_experiment_header (const CdCsvSink    *sink,
                                            const CdExperiment *exp);
void     cd_analysis_csv_experiment_rows   (const CdCsvSink    *sink,
                                            const CdExperiment *exp,
                                            guint64             first,
                                            guint               n,
                                            const CdOutcome    *outcomes);
void     cd_analysis_csv_metrics     (const CdCsvSink    *sink,
                                      const CdMetrics    *metrics,
                                      const CdModel      *model);

G_END_DECLS
