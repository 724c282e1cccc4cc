/* cd-generate.h — synthetic models for benchmarks and stress tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-model.h"

G_BEGIN_DECLS

/* Sizes of mainland China's administrative hierarchy. */
#define CD_NATIONAL_PROVINCES   31
#define CD_NATIONAL_PREFECTURES 333
#define CD_NATIONAL_COUNTIES    2844
#define CD_NATIONAL_GOVERNMENTS_BELOW \
  (CD_NATIONAL_PROVINCES + CD_NATIONAL_PREFECTURES + CD_NATIONAL_COUNTIES)

/* A model at national scale: 1 central, 31 provincial, 333 prefecture-level
 * and 2,844 county-level governments on a synthetic map; command lines down
 * the hierarchy; partnerships between the nearest neighbours of the same
 * level; a basin flood, a later wide epidemic and one policy change.  The
 * same seed gives the same model on every machine. */
CdModel *cd_generate_national (guint32 seed);

/* The same construction at any size: 1 central government over
 * `n_provinces` provincial, `n_cities` prefecture-level and `n_counties`
 * county-level ones (each level at least as many as the one above, so
 * every government has a subordinate).  cd_generate_national is this with
 * China's sizes and its own name and description. */
CdModel *cd_generate_hierarchy (guint32 seed,
                                guint   n_provinces,
                                guint   n_cities,
                                guint   n_counties);

/* `copies` disjoint copies of `model` in one model, for measuring how cost
 * grows with the network: copy k's ids are the originals with "#k"
 * appended (k from 1), each copy has its own emergencies (the same times
 * and impacts on its own governments), the policy changes are the
 * model's, and positions are shifted so the copies sit side by side.
 * Every copy evolves exactly as the original does. */
CdModel *cd_generate_copies (const CdModel *model,
                             guint          copies);

G_END_DECLS
