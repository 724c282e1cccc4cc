/* cd-json.h — a read-only JSON tree for the model-file reader.
 *
 * The whole tree lives in a few large blocks that are freed at once, so a
 * file of a hundred thousand values costs a handful of mallocs, not one per
 * value.  It is filled either by cd_json_parse_strict(), a single pass over
 * the bytes that accepts only plain RFC 8259 JSON and gives up on anything
 * else, or from a tree json-glib has parsed (cd-gio-glue.c), so that the
 * files json-glib accepts beyond RFC 8259 still read exactly as they
 * always did.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

typedef enum
{
  CD_JSON_NULL,
  CD_JSON_BOOLEAN,
  CD_JSON_INT,      /* written without a fraction or exponent, as json-glib reads it */
  CD_JSON_DOUBLE,
  CD_JSON_STRING,
  CD_JSON_ARRAY,
  CD_JSON_OBJECT,
} CdJsonKind;

typedef struct _CdJsonValue  CdJsonValue;
typedef struct _CdJsonMember CdJsonMember;
typedef struct _CdJsonDoc    CdJsonDoc;

struct _CdJsonValue
{
  CdJsonKind kind;
  guint      len;                   /* entries of an array or an object */
  union
  {
    gboolean            boolean;
    gint64              integer;
    double              number;
    /* NUL-terminated.  From json-glib it may hold bytes that are not UTF-8
     * (a lone \ud800 escape); the strict parser never makes such text. */
    const char         *string;
    const CdJsonValue  *items;
    const CdJsonMember *members;    /* in file order */
  } u;
};

struct _CdJsonMember
{
  const char  *key;                 /* NUL-terminated, as string above */
  CdJsonValue  value;
};

/* NULL when the bytes are not plain JSON with an object or an array at the
 * top that this parser handles exactly as json-glib would: any syntax it
 * does not take (comments, single quotes, …), invalid UTF-8, a NUL,
 * nesting deeper than max_depth, a key repeated in one object, a \u0000 or
 * lone surrogate escape, an integer outside the 64-bit integers, content
 * after the document.  The caller then asks json-glib, or for a large
 * file words the reason itself (cd_json_parse_strict_full()). */
CdJsonDoc         *cd_json_parse_strict      (const char        *data,
                                              gsize              length,
                                              int                max_depth);
/* Why cd_json_parse_strict_full() gave up, and where. */
typedef enum
{
  CD_JSON_FAILURE_NONE,
  CD_JSON_FAILURE_SYNTAX,         /* not JSON at offset: `expected` says what should be there */
  CD_JSON_FAILURE_UNSUPPORTED,    /* text the model reader's byte scan words (a raw control
                                   * character, a bad escape or number, \u0000, too deep, …) */
  CD_JSON_FAILURE_SURROGATE,      /* a \u escape naming half of a surrogate pair */
  CD_JSON_FAILURE_DUPLICATE_KEY,  /* `key` twice in the object opened at offset */
  CD_JSON_FAILURE_BUDGET,         /* the tree outgrew the memory budget at offset */
} CdJsonFailureKind;

typedef enum
{
  CD_JSON_EXPECT_VALUE,
  CD_JSON_EXPECT_KEY,
  CD_JSON_EXPECT_COLON,
  CD_JSON_EXPECT_COMMA_OR_BRACKET,
  CD_JSON_EXPECT_COMMA_OR_BRACE,
  CD_JSON_EXPECT_QUOTE,           /* offset: the opening quote of a string never closed */
  CD_JSON_EXPECT_END,             /* more after the document */
  CD_JSON_EXPECT_OBJECT,          /* something other than an object or array at the top */
} CdJsonExpect;

typedef struct
{
  CdJsonFailureKind kind;
  CdJsonExpect      expected;
  gsize             offset;       /* in bytes from the start of the data */
  char             *key;          /* DUPLICATE_KEY only; g_free() it */
} CdJsonFailure;

/* cd_json_parse_strict() that stops once the tree and its parse stacks
 * would take more than `budget` bytes (0: no limit; the last block may
 * pass it by up to 16 MiB), and says in *failure (may be NULL) why it
 * returned NULL.  A byte-order mark at the start is skipped, as json-glib
 * does, and an array at the top is read as well. */
CdJsonDoc         *cd_json_parse_strict_full (const char        *data,
                                              gsize              length,
                                              int                max_depth,
                                              gsize              budget,
                                              CdJsonFailure     *failure);
/* For a reader that builds the tree itself (cd-gio-glue.c copies
 * json-glib's into one): an empty document without a budget, room in its
 * blocks (align a power of two), and its root, which it then has. */
CdJsonDoc         *cd_json_doc_new           (void);
gpointer           cd_json_doc_alloc         (CdJsonDoc         *doc,
                                              gsize              size,
                                              gsize              align);
CdJsonValue       *cd_json_doc_take_root     (CdJsonDoc         *doc);
/* NULL for an empty document. */
const CdJsonValue *cd_json_doc_get_root      (const CdJsonDoc   *doc);
void               cd_json_doc_free          (CdJsonDoc         *doc);

const CdJsonValue *cd_json_object_get_member (const CdJsonValue *object,
                                              const char        *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdJsonDoc, cd_json_doc_free)

/* The JSON of any file Coordyn reads (a model, a ranges file, an
 * experiment spec) as the model reader takes it: RFC 8259 and UTF-8, the
 * size and depth limits, no key twice in an object, each syntax error in
 * the user's language with its line and column (CD_MODEL_ERROR_SYNTAX).
 * *utf8_checked, when not NULL, says whether every string of the tree is
 * known to be UTF-8; when FALSE, check each text read. */
CdJsonDoc         *cd_model_parse_json       (const char        *data,
                                              gsize              length,
                                              gboolean          *utf8_checked,
                                              GError           **error);
/* "an object", "a number", … in the user's language, for "expected %s, got %s". */
const char        *cd_json_value_kind_name   (const CdJsonValue *value);

/* Which kind of file a JSON object at the top is the whole of, for the
 * words that refuse anything else. */
typedef enum
{
  CD_JSON_SPEC_MODEL,
  CD_JSON_SPEC_INSTITUTION,     /* an institutional arrangement */
  CD_JSON_SPEC_EXPERIMENT,      /* an experiment spec */
} CdJsonSpec;

/* The object at the top of doc; NULL otherwise, with "a model file holds
 * one JSON object, not an array" (worded for spec) as error domain/code.
 * NULL too when its "format" names another of Coordyn's kinds of file
 * ("format: this file is a model, not an experiment spec: …"), so that the
 * wrong file is refused in one sentence rather than key by key. */
const CdJsonValue *cd_json_spec_root         (const CdJsonDoc   *doc,
                                              CdJsonSpec         spec,
                                              GQuark             domain,
                                              int                code,
                                              GError           **error);
/* The prologue of every spec reader: refuses text longer than max_size
 * ("the file is larger than 1 MiB: not an institutional arrangement"),
 * parses it as cd_model_parse_json() does, and returns the object at the
 * top (cd_json_spec_root()), whose tree *doc then holds.  On failure NULL,
 * *doc NULL, and every error (syntax too) as domain/code. */
const CdJsonValue *cd_json_read_spec         (const char        *data,
                                              gsize              length,
                                              CdJsonSpec         spec,
                                              gsize              max_size,
                                              GQuark             domain,
                                              int                code,
                                              CdJsonDoc        **doc,
                                              gboolean          *utf8_checked,
                                              GError           **error);

/* cd_model_load_data() (cd-model-json.h) the old way only, through the
 * byte scan and json-glib, never the strict parser: for the tests and the
 * fuzz target that hold the two ways to the same result. */
CdModel           *cd_model_load_data_json_glib (const char *data,
                                                 gsize       length,
                                                 GError    **error);

G_END_DECLS
