/* cd-gio-glue.h — what the model reader and the integrator ask of GIO and
 * json-glib, in one place.
 *
 * cd-gio-glue.c implements these with GIO and json-glib, and every program
 * links it (engine_dep) — except coordyn-cli.  Its commands (run,
 * validate, upgrade, generate) reach GIO and json-glib only here, and
 * without them and the libraries they bring it starts in half the time,
 * so it links its own versions (src/cli/coordyn-cli.c): it never
 * cancels, and a file the strict parser does not take is handed, with the
 * whole command, to coordyn-cli-analysis, which has json-glib.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-json.h"

G_BEGIN_DECLS

/* TRUE, with G_IO_ERROR_CANCELLED in error, once cancellable (may be NULL)
 * is cancelled: g_cancellable_set_error_if_cancelled(). */
gboolean   cd_cancelled          (GCancellable  *cancellable,
                                  GError       **error);

/* The text of a model or spec file (not empty, its bytes scanned) parsed
 * by json-glib, which takes its leniencies (comments, single quotes, …)
 * and words each syntax error: "line 3, column 14: unexpected …", in
 * CD_MODEL_ERROR_SYNTAX.  coordyn-cli's version fails with
 * CD_MODEL_ERROR_NEEDS_JSON_GLIB. */
CdJsonDoc *cd_json_parse_lenient (const char    *data,
                                  gsize          length,
                                  GError       **error);

G_END_DECLS
