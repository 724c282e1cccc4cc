/* cd-locale.h — where the message catalogs are, installed or in the build
 * tree, and lists joined the way the user's language joins them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cd_locale_dir (void);

/* Joins items for display in the user's language: "A, B and C" in
 * English, "A、B和C" in Chinese; with and_last FALSE every item is set off
 * by the separator alone ("A, B, C").  n is the number of items, or -1 if
 * items ends with NULL.  Returns "" for no items. */
char       *cd_locale_join_list (const char *const *items,
                                 gssize             n,
                                 gboolean           and_last);

G_END_DECLS
