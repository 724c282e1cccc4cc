/* cd-test-cli.c — running coordyn-cli from the analysis tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/wait.h>

#include "cd-test-cli.h"

int
cd_test_spawn (const char        *dir,
               const char        *program,
               const char *const *args,
               const char *const *extra,
               char             **out,
               char             **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, (char *) program);
  for (guint k = 0; args[k] != NULL; k++)
    g_ptr_array_add (argv, (char *) args[k]);
  for (guint k = 0; extra != NULL && extra[k] != NULL; k++)
    g_ptr_array_add (argv, (char *) extra[k]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0
         : (WIFEXITED (status) ? WEXITSTATUS (status) : -1);
}

GPtrArray *
cd_test_args_from (va_list ap)
{
  GPtrArray *args = g_ptr_array_new ();
  const char *arg;

  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  g_ptr_array_add (args, NULL);
  return args;
}
