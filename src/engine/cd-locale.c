/* cd-locale.c — where the message catalogs are, installed or in the build
 * tree, and lists joined the way the user's language joins them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-locale.h"

/* Run from the build tree (tools/run, the tests), a program uses the
 * catalogs built there, so that LANGUAGE=zh_CN works before anything is
 * installed; installed, it uses LOCALEDIR. */
const char *
cd_locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe != NULL && g_str_has_prefix (exe, BUILD_ROOT G_DIR_SEPARATOR_S)
      && g_file_test (BUILD_ROOT "/po", G_FILE_TEST_IS_DIR))
    return BUILD_ROOT "/po";
  return LOCALEDIR;
}

char *
cd_locale_join_list (const char *const *items,
                     gssize             n,
                     gboolean           and_last)
{
  GString *text;
  /* Translators: what sets off the items of a list shown to the user, as in
   * "A, B and C" ("A、B和C" in Chinese, with no spaces). */
  const char *separator = C_("list", ", ");
  /* Translators: what comes before the last item of such a list, as in
   * "A, B and C" ("和" in Chinese). */
  const char *last = C_("list", " and ");
  gsize len;

  g_return_val_if_fail (items != NULL || n <= 0, NULL);
  text = g_string_new (NULL);
  len = n >= 0 ? (gsize) n : (items != NULL ? g_strv_length ((char **) items) : 0);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0)
        g_string_append (text, and_last && i + 1 == len ? last : separator);
      g_string_append (text, items[i] != NULL ? items[i] : "");
    }
  return g_string_free (text, FALSE);
}
