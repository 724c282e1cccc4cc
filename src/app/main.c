/* main.c — entry point of the `coordyn` desktop application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cd-application.h"

/* Run from the build tree (tools/run, tests), the app uses the catalogs
 * built there, so that LANGUAGE=zh_CN works before anything is installed. */
static const char *
locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe != NULL && g_str_has_prefix (exe, BUILD_ROOT G_DIR_SEPARATOR_S)
      && g_file_test (BUILD_ROOT "/po", G_FILE_TEST_IS_DIR))
    return BUILD_ROOT "/po";
  return LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (CdApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
