/* cd-test-cli.h — what the tests of coordyn-cli's analysis commands share:
 * running the CLI and collecting what it writes and its exit status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdarg.h>

#include <glib.h>

G_BEGIN_DECLS

/* Runs program with args and then extra (both NULL-terminated; extra may
 * be NULL) in dir (NULL: the current directory), its standard output and
 * error into *out and *err (either may be NULL); returns its exit status,
 * or -1 if a signal ended it.  Failing to start it fails the test. */
int        cd_test_spawn     (const char        *dir,
                              const char        *program,
                              const char *const *args,
                              const char *const *extra,
                              char             **out,
                              char             **err);

/* The arguments of ap up to its NULL, as a NULL-terminated array. */
GPtrArray *cd_test_args_from (va_list            ap);

G_END_DECLS
