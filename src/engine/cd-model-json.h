/* cd-model-json.h — reading and writing model files (docs/model.md, "Model file").
 *
 * Loading is strict: every problem is reported with the place it is at
 * (`edges[3].target: no node "sx"`), and a file with any problem loads
 * nothing.  Saving writes every value and replaces the old file atomically.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <float.h>

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

#define CD_MODEL_ERROR (cd_model_error_quark ())

typedef enum
{
  CD_MODEL_ERROR_SYNTAX,     /* not JSON, not UTF-8, nested too deep */
  CD_MODEL_ERROR_INVALID,    /* JSON, but not a valid model */
  CD_MODEL_ERROR_TOO_LARGE,  /* over the size limits below */
  CD_MODEL_ERROR_IO,         /* could not read or write the file */
  CD_MODEL_ERROR_NEEDS_JSON_GLIB,  /* only in coordyn-cli, which hands the file on (cd-gio-glue.h) */
} CdModelError;

/* Limits that keep a hostile or broken file from exhausting memory; each is
 * explained in docs/model.md, "Limits".  A file is read whole and parsed
 * into a tree of at most twice its size before the model is built, so
 * reading one takes at most about 3 times its size (a million governments
 * are about 0.7 GiB of JSON). */
#define CD_MODEL_MAX_FILE_SIZE  ((gsize) 1 << 30)
#define CD_MODEL_MAX_NODES      1000000u
#define CD_MODEL_MAX_EDGES      10000000u
#define CD_MODEL_MAX_DEPTH      64
#define CD_MODEL_MAX_ERRORS     20
/* The smallest relative tolerance accepted: a step's rounding alone is
 * about DBL_EPSILON (2.2e-16) of each value, so the error control cannot
 * meet a tolerance near it and shrinks the step until the run gives up
 * (1e-300 ran for minutes).  SciPy's solve_ivp and MATLAB's ode45 raise
 * any rtol below the same floor. */
#define CD_MODEL_MIN_RTOL       (100 * DBL_EPSILON)

GQuark    cd_model_error_quark (void);

CdModel  *cd_model_load_file   (const char    *path,
                                GError       **error);
CdModel  *cd_model_load_data   (const char    *data,
                                gsize          length,
                                GError       **error);
/* Whether data is JSON as a model file must be (RFC 8259, UTF-8, the size
 * and depth limits, no key twice in an object), with the same messages as
 * the model reader's (CD_MODEL_ERROR_SYNTAX, "line 3, column 14: …"): for
 * other JSON files Coordyn reads, such as a --ranges file. */
gboolean  cd_model_check_json  (const char    *data,
                                gsize          length,
                                GError       **error);

/* Checks an in-memory model (after edits) against every rule of docs/model.md. */
gboolean  cd_model_validate    (const CdModel *model,
                                GError       **error);
/* The first control character (C0, DEL or C1) of UTF-8 text, 0 if none
 * (or if the text is not UTF-8, which its reader refuses in its own
 * words): what an id or a name that commands and CSV files refer to must
 * not hold. */
gunichar  cd_text_first_control (const char *text);

char     *cd_model_to_json     (const CdModel *model,
                                gsize         *out_length);
gboolean  cd_model_save_file   (const CdModel *model,
                                const char    *path,
                                GError       **error);

/* Shortest decimal text that reads back as the same double ("0.1", not
 * "0.10000000000000001"); buf must hold G_ASCII_DTOSTR_BUF_SIZE bytes. */
const char *cd_format_double_shortest (char   *buf,
                                       double  value);

G_END_DECLS
