/* cd-guide.h — the user guide, shown in the app (Help → User Guide, F1).
 *
 * The guide is Pango markup compiled into the program's resources, one
 * text per language (ui/guide/<lang>.markup); the user's language picks
 * it, English when there is none for it.  Written as prose rather than
 * through gettext because a guide is translated as a whole text, not
 * sentence by sentence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The guide's markup for the first of `languages` (as from
 * g_get_language_names ()) that has one, else English.  out_lang, when not
 * NULL, receives the language chosen ("en", "zh_CN").  NULL only if the
 * resources are missing, with error set. */
char      *cd_guide_dup_markup        (const char * const *languages,
                                       char              **out_lang,
                                       GError            **error);

/* Shows the guide window (one per application: an open one is raised). */
GtkWindow *cd_guide_show              (GtkWindow          *parent);

/* Adds `app.guide` with F1 to the application; call once from startup. */
void       cd_guide_install_action    (GtkApplication     *app);

G_END_DECLS
