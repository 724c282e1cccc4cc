/* cd-locale.c — where the message catalogs are, installed or in the build tree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

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
