/* cd-analysis-csv.h — analysis results as the CSV coordyn-cli writes.
 *
 * The same columns, the same 17-digit numbers with '.' as the decimal
 * point, empty cells where a value does not exist (never NaN), so a table
 * saved from the app and one computed on a cluster can be compared row by
 * row (docs/analysis.md).  The CLI's writers live in src/cli and stream to
 * a FILE; these build the text for an atomic save from the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-analysis-compare.h"
#include "cd-analysis-equilibria.h"
#include "cd-analysis-metrics.h"
#include "cd-analysis-montecarlo.h"
#include "cd-analysis-sensitivity.h"
#include "cd-analysis-sweep.h"

G_BEGIN_DECLS

char *cd_csv_of_equilibria  (const CdEquilibria  *eqs);
char *cd_csv_of_sweep       (const CdSweep       *sweep);
char *cd_csv_of_tornado     (const CdTornado     *tornado);
char *cd_csv_of_sobol       (const CdSobol       *sobol);
char *cd_csv_of_montecarlo  (const CdMonteCarlo  *mc);
/* NULL when the study kept no bands. */
char *cd_csv_of_bands       (const CdMonteCarlo  *mc);
/* results: of CdScenarioOutcome, the base first. */
char *cd_csv_of_comparison  (const GPtrArray     *results);
char *cd_csv_of_metrics     (const CdMetrics     *metrics,
                             const CdModel       *model);

G_END_DECLS
