/* main.c — entry point of the `coordyn` desktop application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cd-application.h"
#include "cd-atomic-file.h"
#include "cd-locale.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr (CdApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* SIGINT, SIGTERM, SIGHUP: remove the temporary file of an export or a
   * save in progress (the old file stays), then end as the signal would. */
  cd_atomic_file_handle_signals (FALSE);
  app = cd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
