/* cd-model-json-private.h — what the model reader's passes and the writer share.
 *
 * Only for the engine's readers (cd-model-*.c, and the arrangement and
 * experiment files'): the list of problems found in a file, each with its
 * place, and the way numbers are quoted in them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-json.h"
#include "cd-model-json.h"

G_BEGIN_DECLS

/* The problems found so far: the first CD_MODEL_MAX_ERRORS as text, one a
 * line, and a count of all. */
typedef struct
{
  GString *text;
  guint    count;
} CdProblems;

void      cd_problems_add    (CdProblems *p,
                              const char *place,
                              const char *fmt,
                              ...) G_GNUC_PRINTF (3, 4);
/* TRUE when there were none; otherwise sets error (CD_MODEL_ERROR_INVALID). */
gboolean  cd_problems_report (CdProblems *p,
                              GError    **error);
/* The same in another reader's error domain. */
gboolean  cd_problems_report_as (CdProblems *p,
                                 GQuark      domain,
                                 int         code,
                                 GError    **error);

/* A number as a message quotes it: shortest form, "NaN", "infinity". */
char     *cd_number_text     (double      v);

/* Passes 2 and 3 on a parsed document; utf8_checked says every string of
 * the tree is already known to be UTF-8. */
CdModel  *cd_model_read_doc  (const CdJsonDoc *doc,
                              gboolean         utf8_checked,
                              GError         **error);
/* Pass 2 only: the caller validates (after freeing the tree, for memory). */
CdModel  *cd_model_read_doc_shapes (const CdJsonDoc *doc,
                                    gboolean         utf8_checked,
                                    GError         **error);

G_END_DECLS
