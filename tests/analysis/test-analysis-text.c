/* test-analysis-text.c — the text that summaries are built from: lists of
 * items joined for display, in English (the C locale).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "cd-analysis.h"
#include "cd-locale.h"

static void
check_join (const char *const *items,
            gssize             n,
            gboolean           and_last,
            const char        *want)
{
  g_autofree char *got = cd_locale_join_list (items, n, and_last);

  g_assert_cmpstr (got, ==, want);
}

static void
test_join_list (void)
{
  static const char *const items[] = { "Shanghai", "Suzhou", "Jiaxing", "Huzhou", NULL };

  check_join (items, 0, TRUE, "");
  check_join (NULL, 0, TRUE, "");
  check_join (items, 1, TRUE, "Shanghai");
  check_join (items, 2, TRUE, "Shanghai and Suzhou");
  check_join (items, 3, TRUE, "Shanghai, Suzhou and Jiaxing");
  check_join (items, -1, TRUE, "Shanghai, Suzhou, Jiaxing and Huzhou");
  /* Without "and": the shape of coordyn-cli validate's counts. */
  check_join (items, 2, FALSE, "Shanghai, Suzhou");
  check_join (items, -1, FALSE, "Shanghai, Suzhou, Jiaxing, Huzhou");
}

int
main (int   argc,
      char *argv[])
{
  /* English whatever the caller's LANGUAGE: glibc ignores it in the C locale. */
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/text/join-list", test_join_list);
  return g_test_run ();
}
