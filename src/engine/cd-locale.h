/* cd-locale.h — where the message catalogs are, installed or in the build tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *cd_locale_dir (void);

G_END_DECLS
