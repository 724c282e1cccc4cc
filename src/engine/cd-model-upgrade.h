/* cd-model-upgrade.h — a version-1 model made a version-2 model (docs/model.md, "Upgrade").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

/* Model 1 to model 2 as docs/model.md, "Upgrade", says: f^I = f^P = f,
 * r_I = r_P = r_f / 2, every command line administrative, appraisal left
 * to its default, and every intervention, scenario override or range that
 * sets resistance.fragmentation to v setting resistance.ideas and
 * resistance.powers to v / 2 instead (a range: both to half its bounds and
 * mode).  Returns a new, valid version-2 model; CD_MODEL_ERROR_INVALID if
 * the model is not version 1, naming its version. */
CdModel *cd_model_upgrade (const CdModel *model,
                           GError       **error);

G_END_DECLS
