/* cd-fit-dialog.h — Fit to Observed Data: load an observed CSV (or drop
 * it), choose the parameters, fit in the background with progress and
 * Cancel, see the observed points over the fitted curves and the estimate
 * table, and apply the estimates as a new scenario (docs/fitting.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-document.h"
#include "cd-fit.h"

G_BEGIN_DECLS

#define CD_TYPE_FIT_DIALOG (cd_fit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CdFitDialog, cd_fit_dialog, CD, FIT_DIALOG, AdwWindow)

CdFitDialog *cd_fit_dialog_new         (GtkWindow   *parent,
                                        CdDocument  *document);

/* Loads observed data; FALSE (and the reason shown) if it cannot be read
 * or does not fit the model. */
gboolean     cd_fit_dialog_load        (CdFitDialog *self,
                                        GFile       *file);
void         cd_fit_dialog_set_param   (CdFitDialog *self,
                                        CdParam      param,
                                        gboolean     chosen);
/* Starts the fit with what is chosen; FALSE if it cannot start. */
gboolean     cd_fit_dialog_run         (CdFitDialog *self);
void         cd_fit_dialog_cancel      (CdFitDialog *self);
/* Adds the estimates to the model as a new scenario (one undo step). */
gboolean     cd_fit_dialog_apply       (CdFitDialog *self);

/* For tests. */
gboolean           cd_fit_dialog_get_running (CdFitDialog *self);
const CdFitResult *cd_fit_dialog_get_result  (CdFitDialog *self);
const char        *cd_fit_dialog_get_status  (CdFitDialog *self);

G_END_DECLS
