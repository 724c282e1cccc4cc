/* cd-arrangement-compare.h — "Compare Arrangements": the open network under
 * several institutional arrangements side by side (docs/institutions.md).
 *
 * A window of small multiples, one per chosen arrangement plus the base
 * model: each the network coloured by coordination at the end of the run
 * and the course of mean coordination, all on one scale (x in [0, 1], the
 * same time axis), with the difference table of
 * `coordyn-cli compare MODEL --institution A --institution B …` below.
 * The runs go on a CdWorker, with progress and Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_ARRANGEMENT_COMPARE (cd_arrangement_compare_get_type ())
G_DECLARE_FINAL_TYPE (CdArrangementCompare, cd_arrangement_compare, CD, ARRANGEMENT_COMPARE,
                      AdwWindow)

/* For a version-2 document; every bundled and user arrangement is offered,
 * all ticked. */
GtkWidget *cd_arrangement_compare_new      (GtkWindow            *parent,
                                            CdDocument           *document);
/* Offers the arrangement in this file too (ticked); FALSE with error naming
 * the problem if it is not one. */
gboolean   cd_arrangement_compare_add_file (CdArrangementCompare *self,
                                            const char           *path,
                                            GError              **error);
/* Ticks or unticks an offered arrangement by its name ("japan"). */
gboolean   cd_arrangement_compare_set_chosen (CdArrangementCompare *self,
                                              const char           *name,
                                              gboolean              chosen);
/* Runs the ticked arrangements against the model as it is now. */
void       cd_arrangement_compare_run      (CdArrangementCompare *self);
void       cd_arrangement_compare_cancel   (CdArrangementCompare *self);
gboolean   cd_arrangement_compare_get_running (CdArrangementCompare *self);
/* The last finished comparison's rows (of CdScenarioOutcome, base first),
 * or NULL. */
GPtrArray *cd_arrangement_compare_get_outcomes (CdArrangementCompare *self);

G_END_DECLS
