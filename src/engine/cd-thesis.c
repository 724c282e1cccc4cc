/* cd-thesis.c — finding the theory's five conclusions' experiments.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cd-thesis.h"

/* The claims, as docs/thesis.md states them. */
static const char *const claims[CD_THESIS_N_CONCLUSIONS] = {
  N_("1. The root of low efficiency is a missing dynamic mechanism"),
  N_("2. Interest and trust are the core attraction"),
  N_("3. The central-local relationship and the emergency command system optimize "
     "administrative pressure"),
  N_("4. Information sharing and performance appraisal are the thrust"),
  N_("5. Supervision and law weaken resistance"),
};

const char *
cd_thesis_dir (void)
{
  const char *env = g_getenv ("COORDYN_THESIS_DIR");

  if (env != NULL && *env != '\0')
    return env;
  if (g_file_test (PKGDATADIR "/thesis", G_FILE_TEST_IS_DIR))
    return PKGDATADIR "/thesis";
  return SOURCE_ROOT "/data/thesis";
}

char *
cd_thesis_spec_path (guint n)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *prefix = NULL;
  const char *name;

  g_return_val_if_fail (n >= 1 && n <= CD_THESIS_N_CONCLUSIONS, NULL);

  dir = g_dir_open (cd_thesis_dir (), 0, NULL);
  prefix = g_strdup_printf ("%u-", n);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ".json"))
      return g_build_filename (cd_thesis_dir (), name, NULL);
  return NULL;
}

const char *
cd_thesis_claim (guint n)
{
  g_return_val_if_fail (n >= 1 && n <= CD_THESIS_N_CONCLUSIONS, NULL);
  return claims[n - 1];
}
