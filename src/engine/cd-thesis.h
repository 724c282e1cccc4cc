/* cd-thesis.h — the theory's five conclusions as bundled experiments (docs/thesis.md).
 *
 * Conclusion N is the experiment spec data/thesis/N-*.json (installed
 * under PKGDATADIR/thesis), run by `coordyn-cli thesis N` and by the app's
 * Analysis menu.  This finds them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_THESIS_N_CONCLUSIONS 5

/* The folder of the specs: $COORDYN_THESIS_DIR when set, else the
 * installed one, else the source tree's (running uninstalled). */
const char *cd_thesis_dir        (void);
/* The spec of conclusion n (1 … CD_THESIS_N_CONCLUSIONS), or NULL when
 * the folder has none. */
char       *cd_thesis_spec_path  (guint n);
/* The claim, untranslated ("2. Interest and trust are the core
 * attraction"); translate with _(), as the CLI and the app do. */
const char *cd_thesis_claim      (guint n);

G_END_DECLS
