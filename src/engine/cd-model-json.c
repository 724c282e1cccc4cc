/* cd-model-json.c — reading a model file: its text into a JSON tree, and the entry points.
 *
 * Reading happens in three passes so that each error message can name its
 * place precisely and nothing is ever half-loaded:
 *   1. the text becomes a JSON tree (cd-json.h).  Plain JSON, which is every
 *      file Coordyn writes, takes a strict single-pass parser.  Anything it
 *      does not take goes the old way, which words every syntax error: a
 *      byte scan (size, UTF-8, NUL bytes, nesting depth and repeated keys,
 *      with line and column; json-glib would recurse without bound on deep
 *      nesting), then json-glib, whose tree is copied (cd-gio-glue.c);
 *   2. the tree is read into a CdModel checking only shapes: unknown keys,
 *      wrong types, unknown enum values (cd-model-read.c);
 *   3. cd_model_validate() checks values and structure (ranges, ids, edges,
 *      command cycles) — the same checks the app runs after an edit
 *      (cd-model-validate.c).
 * This file holds pass 1 and the entry points; writing is cd-model-write.c.
 * Passes 2 and 3 are the same for both ways, so a file loads, or is
 * refused with the same words, whichever way its text was parsed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cd-experiment.h"
#include "cd-file.h"
#include "cd-gio-glue.h"
#include "cd-institution.h"
#include "cd-json.h"
#include "cd-model-json-private.h"

G_DEFINE_QUARK (cd-model-error-quark, cd_model_error)

/* ---- collecting errors ---------------------------------------------------- */

void
cd_problems_add (CdProblems *p,
                 const char *place,
                 const char *fmt,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  p->count++;
  if (p->count > CD_MODEL_MAX_ERRORS)
    return;
  va_start (args, fmt);
  message = g_strdup_vprintf (fmt, args);
  va_end (args);
  if (p->text->len > 0)
    g_string_append_c (p->text, '\n');
  if (place != NULL && *place != '\0')
    /* "：" in Chinese, as every other place and message */
    g_string_append_printf (p->text, C_("place: message", "%s: %s"), place, message);
  else
    g_string_append (p->text, message);
}

gboolean
cd_problems_report_as (CdProblems *p,
                       GQuark      domain,
                       int         code,
                       GError    **error)
{
  if (p->count == 0)
    return TRUE;
  if (p->count > CD_MODEL_MAX_ERRORS)
    {
      g_string_append_c (p->text, '\n');
      /* Translators: after the first 20 problems of a file; %u is how many more. */
      g_string_append_printf (p->text, ngettext ("… and %u more problem", "… and %u more problems",
                                                 p->count - CD_MODEL_MAX_ERRORS),
                              p->count - CD_MODEL_MAX_ERRORS);
    }
  g_set_error_literal (error, domain, code, p->text->str);
  return FALSE;
}

gboolean
cd_problems_report (CdProblems *p,
                    GError    **error)
{
  return cd_problems_report_as (p, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID, error);
}

char *
cd_number_text (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return g_strdup ("NaN");
  if (isinf (v))
    return g_strdup (v > 0 ? "infinity" : "-infinity");
  return g_strdup (cd_format_double_shortest (buf, v));
}

/* ---- pass 1, the old way: bytes --------------------------------------------------------- */

static void
line_column (const char *data,
             gsize       offset,
             guint      *line,
             guint      *column)
{
  *line = 1;
  *column = 1;
  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else if (((guchar) data[i] & 0xC0) != 0x80)
        (*column)++;
    }
}

/* The keys seen so far in each open object, by depth. */
typedef struct
{
  GHashTable *at[CD_MODEL_MAX_DEPTH + 1];
} KeySets;

/* The length of the JSON number (RFC 8259) at data[i], or 0 if what
 * starts there is not one, or runs on into letters or digits (01, .5, 1.,
 * 0x1: json-glib reads these, other JSON tools do not). */
static gsize
number_length (const char *data,
               gsize       length,
               gsize       i)
{
  gsize j = i;

  if (j < length && data[j] == '-')
    j++;
  if (j < length && data[j] == '0')
    j++;
  else if (j < length && data[j] >= '1' && data[j] <= '9')
    while (j < length && g_ascii_isdigit (data[j]))
      j++;
  else
    return 0;
  if (j < length && data[j] == '.')
    {
      if (++j >= length || !g_ascii_isdigit (data[j]))
        return 0;
      while (j < length && g_ascii_isdigit (data[j]))
        j++;
    }
  if (j < length && (data[j] == 'e' || data[j] == 'E'))
    {
      if (++j < length && (data[j] == '+' || data[j] == '-'))
        j++;
      if (j >= length || !g_ascii_isdigit (data[j]))
        return 0;
      while (j < length && g_ascii_isdigit (data[j]))
        j++;
    }
  if (j < length && (g_ascii_isalnum (data[j]) || data[j] == '.' || data[j] == '_'))
    return 0;
  return j - i;
}

/* The text of the JSON string [start, end) (between its quotes, already
 * checked by the scan: valid escapes, no \u0000), its escapes decoded; a
 * lone surrogate, which the scan refuses, never reaches it. */
static gunichar
hex4_value (const char *s)
{
  gunichar v = 0;

  for (int k = 0; k < 4; k++)
    v = (v << 4) | (gunichar) g_ascii_xdigit_value (s[k]);
  return v;
}

static char *
decode_string (const char *start,
               const char *end)
{
  GString *out = g_string_sized_new ((gsize) (end - start));

  for (const char *s = start; s < end;)
    {
      gunichar cp;

      if (*s != '\\')
        {
          g_string_append_c (out, *s++);
          continue;
        }
      switch (s[1])
        {
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          cp = hex4_value (s + 2);
          if (cp >= 0xD800 && cp <= 0xDBFF && s + 12 <= end)
            {
              gunichar low = hex4_value (s + 8);
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              s += 6;
            }
          g_string_append_unichar (out, cp);
          s += 4;
          break;
        default:  g_string_append_c (out, s[1]); break;
        }
      s += 2;
    }
  return g_string_free (out, FALSE);
}

/* FALSE when the key [start, end) was already seen in the object at depth.
 * Keys are compared decoded: "a" and "\u0061" are the same key, which
 * json-glib would silently merge. */
static gboolean
note_key (KeySets    *keys,
          int         depth,
          const char *start,
          const char *end)
{
  char *key = memchr (start, '\\', (gsize) (end - start)) != NULL
              ? decode_string (start, end) : g_strndup (start, (gsize) (end - start));

  if (keys->at[depth] == NULL)
    keys->at[depth] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return g_hash_table_add (keys->at[depth], key);
}

/* A syntax error at byte offset of data: "line 3, column 14: what". */
static void
syntax_error_at (GError     **error,
                 const char  *data,
                 gsize        offset,
                 const char  *what)
{
  guint line, column;

  line_column (data, offset, &line, &column);
  /* Translators: the last %s says what is wrong at that place in the file. */
  g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX, _("line %u, column %u: %s"), line,
               column, what);
}

/* Whether the JSON number [s, s + n) is not an integer, or an integer that
 * fits in 64 bits: json-glib wraps larger ones around (99999999999999999999
 * reads as -1), and other JSON tools read them differently again. */
static gboolean
integer_fits (const char *s,
              gsize       n)
{
  gboolean negative = s[0] == '-';
  gsize digits = n - (negative ? 1 : 0);

  if (memchr (s, '.', n) || memchr (s, 'e', n) || memchr (s, 'E', n) || digits < 19)
    return TRUE;
  return digits == 19
         && memcmp (s + (negative ? 1 : 0),
                    negative ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

static gboolean
is_json_literal (const char *word,
                 gsize       length)
{
  return (length == 4 && (memcmp (word, "true", 4) == 0 || memcmp (word, "null", 4) == 0))
         || (length == 5 && memcmp (word, "false", 5) == 0);
}

/* With check_keys FALSE, a key repeated in one object is left to the
 * caller (the strict parser finds it without a set of every key, which
 * for a large file would cost many times its size). */
static gboolean
scan_bytes (const char  *data,
            gsize        length,
            gboolean     check_keys,
            GError     **error)
{
  const char *end = NULL;
  guint line, column;
  int depth = 0;
  gboolean in_string = FALSE, expecting_key = FALSE, ok = TRUE;
  gboolean ended = FALSE;   /* the document at the top is complete */
  gboolean top_scalar = FALSE;   /* and is a string, a number or a word */
  gboolean is_object[CD_MODEL_MAX_DEPTH + 1] = { FALSE };
  gsize opened_at[CD_MODEL_MAX_DEPTH + 1] = { 0 };
  gsize comma_at = G_MAXSIZE;   /* the last significant character, if a comma */
  gsize colon_at = G_MAXSIZE;   /* the same, if a colon */
  const char *key_start = NULL;
  KeySets keys = { { NULL } };

  if (length > CD_MODEL_MAX_FILE_SIZE)
    {
      g_autofree char *limit = g_format_size_full (CD_MODEL_MAX_FILE_SIZE,
                                                   G_FORMAT_SIZE_IEC_UNITS);
      /* Translators: %s is a size such as "1.0 GiB". */
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_TOO_LARGE,
                   _("the file is larger than %s; larger files are refused"), limit);
      return FALSE;
    }
  if (!g_utf8_validate (data, length, &end))
    {
      gsize offset = (gsize) (end - data);
      syntax_error_at (error, data, offset,
                       data[offset] == '\0' ? _("a NUL byte; a model file is text")
                                            : _("invalid UTF-8; a model file must be UTF-8 text"));
      return FALSE;
    }
  /* Besides depth, this pass catches a key repeated within one object:
   * json-glib would silently keep the last, and a file that says a thing
   * twice is ambiguous.  Keys are compared as written (escapes included). */
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];
      if (in_string)
        {
          /* What RFC 8259 refuses in a string and json-glib lets through:
           * a file other JSON tools (Python, jq) would not read. */
          const char *wrong = NULL;

          if ((guchar) c < 0x20)
            wrong = _("a control character inside a string; write it as an escape such "
                      "as \\n or \\t");
          else if (c == '\\')
            {
              char e = i + 1 < length ? data[i + 1] : '\0';

              if (e != '\0' && strchr ("\"\\/bfnrt", e) != NULL)
                i++;
              else if (e == 'u')
                {
                  gunichar cp = 0, low = 0;

                  for (int k = 2; k < 6 && wrong == NULL; k++)
                    if (i + k >= length || !g_ascii_isxdigit (data[i + k]))
                      wrong = _("\\u must be followed by four hexadecimal digits");
                  if (wrong == NULL)
                    cp = hex4_value (data + i + 2);
                  /* json-glib cuts a text at \u0000, so an id "a\u0000b" became a
                   * duplicate of "a"; no text of a model may hold a NUL. */
                  if (wrong == NULL && cp == 0)
                    wrong = _("\\u0000 is a NUL character, which no text in a model may "
                              "hold");
                  else if (wrong == NULL && cp >= 0xD800 && cp <= 0xDBFF)
                    {
                      if (i + 11 < length && data[i + 6] == '\\' && data[i + 7] == 'u'
                          && g_ascii_isxdigit (data[i + 8]) && g_ascii_isxdigit (data[i + 9])
                          && g_ascii_isxdigit (data[i + 10])
                          && g_ascii_isxdigit (data[i + 11]))
                        low = hex4_value (data + i + 8);
                      if (low >= 0xDC00 && low <= 0xDFFF)
                        i += 6;
                      else
                        wrong = _("not valid text: a \\u escape names half of a "
                                  "surrogate pair");
                    }
                  else if (wrong == NULL && cp >= 0xDC00 && cp <= 0xDFFF)
                    wrong = _("not valid text: a \\u escape names half of a "
                              "surrogate pair");
                  i += wrong == NULL ? 5 : 0;
                }
              else
                wrong = _("an escape JSON does not have; a string may use \\\" \\\\ \\/ "
                          "\\b \\f \\n \\r \\t and \\uXXXX");
            }
          if (wrong != NULL)
            {
              syntax_error_at (error, data, i, wrong);
              ok = FALSE;
              break;
            }
          if (c == '\\')
            continue;
          if (c == '"')
            {
              in_string = FALSE;
              ended = depth == 0;
              top_scalar = depth == 0;
              if (key_start != NULL && check_keys && !note_key (&keys, depth, key_start, data + i))
                {
                  g_autofree char *key = g_strndup (key_start, (gsize) (data + i - key_start));
                  line_column (data, (gsize) (key_start - 1 - data), &line, &column);
                  g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX,
                               _("line %u, column %u: the key \"%s\" appears twice in one object"),
                               line, column, key);
                  ok = FALSE;
                  break;
                }
              key_start = NULL;
            }
          continue;
        }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        continue;
      /* json-glib reads the first document and ignores a second one after
       * it.  (A comment after it is worded as a comment.) */
      if (ended && c != '/' && top_scalar)
        {
          /* a CSV file ("t,x\n0,1"), or text: not JSON at all, which
           * "more text after the end" at its first comma does not say */
          gsize start = 0;

          while (start < i && g_ascii_isspace (data[start]))
            start++;
          syntax_error_at (error, data, start,
                           _("not JSON: a model (like every file of Coordyn's) is one "
                             "JSON object, { … }, and this file starts with something "
                             "else (is it a CSV file, or another kind of file?)"));
          ok = FALSE;
          break;
        }
      if (ended && c != '/')
        {
          syntax_error_at (error, data, i,
                           _("more text after the end of the JSON document; a model file "
                             "holds exactly one"));
          ok = FALSE;
          break;
        }
      /* Two more slips of hand-editing that json-glib words obscurely: a
       * comma after the last item, and a key without its quotes. */
      if ((c == '}' || c == ']') && comma_at != G_MAXSIZE)
        {
          line_column (data, comma_at, &line, &column);
          g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX,
                       _("line %u, column %u: a comma after the last item; JSON allows none "
                         "before %c"), line, column, c);
          ok = FALSE;
          break;
        }
      comma_at = c == ',' ? i : G_MAXSIZE;
      /* json-glib words {"a": } as "unexpected character '}', expected
       * character '}'" */
      if (colon_at != G_MAXSIZE && (c == '}' || c == ']' || c == ','))
        {
          syntax_error_at (error, data, colon_at,
                           _("a key without its value: write a value after the colon"));
          ok = FALSE;
          break;
        }
      colon_at = c == ':' ? i : G_MAXSIZE;
      if (expecting_key && (g_ascii_isalpha (c) || c == '_'))
        {
          syntax_error_at (error, data, i,
                           _("a key must be a string in double quotes, such as \"nodes\""));
          ok = FALSE;
          break;
        }
      if (c == '"')
        {
          in_string = TRUE;
          if (expecting_key)
            key_start = data + i + 1;
          expecting_key = FALSE;
        }
      else if (c == '-' || c == '.' || g_ascii_isdigit (c) || c == '\'' || c == '/')
        {
          /* json-glib also reads single-quoted strings and C comments */
          gsize n = c == '\'' || c == '/' ? 0 : number_length (data, length, i);

          if (n == 0)
            {
              syntax_error_at (error, data, i,
                               c == '\'' ? _("JSON strings take double quotes (\"…\"), not "
                                             "single ones")
                               : c == '/' ? _("JSON has no comments")
                                          : _("not a JSON number; write numbers as 0.5, 12, -3 "
                                              "or 1e-3 (no leading zeros, no point without "
                                              "digits on both sides, no hexadecimal)"));
              ok = FALSE;
              break;
            }
          if (!integer_fits (data + i, n))
            {
              g_autofree char *number = g_strndup (data + i, n);
              /* Translators: %s is a whole number as written in the file. */
              g_autofree char *what = g_strdup_printf (
                _("the integer %s does not fit in 64 bits, and JSON readers disagree about "
                  "such numbers; write it with an exponent, such as 1e20"), number);

              syntax_error_at (error, data, i, what);
              ok = FALSE;
              break;
            }
          i += n - 1;
          expecting_key = FALSE;
          ended = depth == 0;
          top_scalar = depth == 0;
        }
      else if (c == '{' || c == '[')
        {
          if (++depth > CD_MODEL_MAX_DEPTH)
            {
              line_column (data, i, &line, &column);
              g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX,
                           _("line %u, column %u: nested more than %d levels deep"),
                           line, column, CD_MODEL_MAX_DEPTH);
              ok = FALSE;
              break;
            }
          is_object[depth] = c == '{';
          opened_at[depth] = i;
          expecting_key = c == '{';
        }
      else if (c == '}' || c == ']')
        {
          /* A bracket that closes what it did not open is a common slip
           * when editing by hand; json-glib words it as a complaint about
           * whatever comes next.  Say which bracket it should close. */
          if (depth > 0 && is_object[depth] != (c == '}'))
            {
              guint open_line, open_column;

              line_column (data, opened_at[depth], &open_line, &open_column);
              line_column (data, i, &line, &column);
              g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX,
                           /* Translators: e.g. "line 9, column 3: ] closes the { opened at
                            * line 2, column 5" */
                           _("line %u, column %u: %c closes the %c opened at line %u, "
                             "column %u"), line, column, c, is_object[depth] ? '{' : '[',
                           open_line, open_column);
              ok = FALSE;
              break;
            }
          if (depth > 0 && keys.at[depth] != NULL)
            g_hash_table_remove_all (keys.at[depth]);
          ended = depth == 1;
          depth = MAX (depth - 1, 0);
          expecting_key = FALSE;
        }
      else if (g_ascii_isalpha (c))
        {
          /* true, false or null; at the top, any word is left to the
           * "not JSON" check above */
          gsize start = i;

          while (i + 1 < length && g_ascii_isalnum (data[i + 1]))
            i++;
          if (depth > 0 && !is_json_literal (data + start, i + 1 - start))
            {
              /* json-glib says "unexpected identifier", and when the file
               * also ends early the scan's "never closed" came first and
               * pointed at the file's first { instead */
              syntax_error_at (error, data, start,
                               _("a word that is not a JSON value: text goes in double quotes "
                                 "(\"…\"), and the other values are numbers, true, false, "
                                 "null, { … } and [ … ]"));
              ok = FALSE;
              break;
            }
          ended = depth == 0;
          top_scalar = depth == 0;
        }
      else if (c == ',')
        expecting_key = depth > 0 && is_object[depth];
    }
  if (ok && !in_string && depth > 0)
    {
      /* the file ends with a bracket open: say which, not where it ends */
      line_column (data, opened_at[depth], &line, &column);
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX,
                   _("line %u, column %u: this %c is never closed; the file ends before its %c"),
                   line, column, is_object[depth] ? '{' : '[', is_object[depth] ? '}' : ']');
      ok = FALSE;
    }
  for (int k = 0; k <= CD_MODEL_MAX_DEPTH; k++)
    g_clear_pointer (&keys.at[k], g_hash_table_unref);
  return ok;
}

/* The path every file took before the strict parser, and still the one
 * that words every syntax error: the byte scan, then json-glib
 * (cd_json_parse_lenient, cd-gio-glue.h), whose tree is copied into a
 * CdJsonDoc for the shape pass. */
static CdJsonDoc *
parse_leniently (const char  *data,
                 gsize        length,
                 GError     **error)
{
  if (!scan_bytes (data, length, TRUE, error))
    return NULL;
  if (length == 0)
    {
      g_set_error_literal (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX, _("the file is empty"));
      return NULL;
    }
  return cd_json_parse_lenient (data, length, error);
}


/* Files up to this size whose text the strict parser does not take go
 * through json-glib, which words each syntax error as it always has; its
 * tree costs up to about 40 bytes per byte of text, so a larger file
 * would cost gigabytes to refuse.  Larger ones are worded here, from
 * where the strict parser stopped. */
#define JSON_GLIB_MAX_LENGTH ((gsize) 1 << 20)

/* What the strict parser's tree (and its stacks) may take: a model as
 * Coordyn writes it takes about 1.1 bytes per byte of text, a million
 * governments with nothing but an id 3; only a large file packed with tiny
 * values, which no model needs, takes more than twice its size.  With the
 * text itself, and a last block that may pass the budget by 16 MiB, this
 * bounds the reading to 3 times the file and 64 MiB (docs/model.md,
 * "Limits"). */
static gsize
tree_budget (gsize length)
{
  return 2 * length + ((gsize) 48 << 20);
}

/* The character at offset of data, as json-glib names what it found. */
static char *
found_at (const char *data,
          gsize       length,
          gsize       offset)
{
  const char *p = data + offset;
  gunichar c;
  char utf8[8] = { 0 };

  if (offset >= length)
    return g_strdup (_("end of file"));
  c = g_utf8_get_char_validated (p, (gssize) (length - offset));
  if (c == (gunichar) -1 || c == (gunichar) -2)
    c = (guchar) *p;
  g_unichar_to_utf8 (c, utf8);
  return g_strdup_printf (_("character `%s'"), utf8);
}

static const char *
top_kind_name (char c)
{
  if (c == '"')
    return _("a string");
  if (c == 't' || c == 'f')
    return _("a boolean");
  if (c == 'n')
    return "null";
  if (c == '-' || g_ascii_isdigit (c))
    return _("a number");
  return _("something else");
}

/* The error for a file too large for json-glib that the strict parser did
 * not take: the byte scan's words when it has any (without its set of
 * every key, which the strict parser replaces), else the parser's own. */
static void
large_file_error (const char          *data,
                  gsize                length,
                  const CdJsonFailure *failure,
                  GError             **error)
{
  g_autofree char *what = NULL;
  guint line, column;

  if (failure->kind != CD_JSON_FAILURE_BUDGET && !scan_bytes (data, length, FALSE, error))
    return;
  line_column (data, failure->offset, &line, &column);
  switch (failure->kind)
    {
    case CD_JSON_FAILURE_BUDGET:
      {
        g_autofree char *limit = g_format_size_full (tree_budget (length),
                                                     G_FORMAT_SIZE_IEC_UNITS);
        g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_TOO_LARGE,
                     /* Translators: %s is a size such as "2.1 GiB". */
                     _("line %u, column %u: too many values for a file of this size: reading "
                       "them would take more than %s of memory, twice the file's size; no "
                       "model packs its values so densely"), line, column, limit);
      }
      return;
    case CD_JSON_FAILURE_DUPLICATE_KEY:
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX,
                   _("line %u, column %u: the object that opens here holds the key \"%s\" "
                     "twice"), line, column, failure->key ? failure->key : "");
      return;
    case CD_JSON_FAILURE_SURROGATE:
      what = g_strdup (_("not valid text: a \\u escape names half of a surrogate pair"));
      break;
    case CD_JSON_FAILURE_SYNTAX:
      {
        g_autofree char *found = found_at (data, length, failure->offset);
        g_autofree char *wanted = NULL;

        switch (failure->expected)
          {
          case CD_JSON_EXPECT_KEY:
            wanted = g_strdup (_("string constant"));
            break;
          case CD_JSON_EXPECT_COLON:
            wanted = g_strdup_printf (_("character `%s'"), ":");
            break;
          case CD_JSON_EXPECT_COMMA_OR_BRACKET:
            wanted = g_strdup (_("character `,' or `]'"));
            break;
          case CD_JSON_EXPECT_COMMA_OR_BRACE:
            wanted = g_strdup (_("character `,' or `}'"));
            break;
          case CD_JSON_EXPECT_END:
            wanted = g_strdup (_("end of file"));
            break;
          case CD_JSON_EXPECT_QUOTE:
            what = g_strdup (_("a string without its closing quote"));
            break;
          case CD_JSON_EXPECT_OBJECT:
            if (failure->offset < length)
              {
                g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID,
                             _("a model file holds one JSON object, not %s"),
                             top_kind_name (data[failure->offset]));
                return;
              }
            wanted = g_strdup (_("value"));
            break;
          case CD_JSON_EXPECT_VALUE:
          default:
            wanted = g_strdup (_("value"));
            break;
          }
        if (what == NULL)
          what = g_strdup_printf (_("unexpected %s, expected %s"), found, wanted);
      }
      break;
    case CD_JSON_FAILURE_UNSUPPORTED:
    case CD_JSON_FAILURE_NONE:
    default:
      /* Everything the strict parser leaves aside is worded by the scan
       * above; this is only a guard. */
      what = g_strdup (_("this JSON cannot be read"));
      break;
    }
  g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX, _("line %u, column %u: %s"), line,
               column, what);
}

/* Plain JSON (every file Coordyn writes) takes the strict parser; any
 * other input, and every error, the old path up to JSON_GLIB_MAX_LENGTH,
 * so that what loads and what each refusal says stay exactly as they
 * were.  *strict says which read it (the strict parser has checked the
 * UTF-8 of every string). */
static CdJsonDoc *
parse_json (const char  *data,
            gsize        length,
            gboolean    *strict,
            GError     **error)
{
  CdJsonFailure failure = { 0 };
  CdJsonDoc *doc = NULL;

  *strict = FALSE;
  if (length > CD_MODEL_MAX_FILE_SIZE)
    return parse_leniently (data, length, error);   /* refused by its size */
  doc = cd_json_parse_strict_full (data, length, CD_MODEL_MAX_DEPTH, tree_budget (length),
                                   &failure);
  if (doc != NULL)
    {
      *strict = TRUE;
      return doc;
    }
  if (failure.kind != CD_JSON_FAILURE_BUDGET && length <= JSON_GLIB_MAX_LENGTH)
    doc = parse_leniently (data, length, error);
  else
    large_file_error (data, length, &failure, error);
  g_free (failure.key);
  return doc;
}

gboolean
cd_model_check_json (const char *data,
                     gsize       length,
                     GError    **error)
{
  g_autoptr(CdJsonDoc) doc = NULL;
  gboolean strict;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  doc = parse_json (data, length, &strict, error);
  return doc != NULL;
}

/* Passes 2 and 3 on a tree handed over: it is freed before the validation,
 * so that the tree and the validator's tables never take memory at once. */
static CdModel *
read_model (CdJsonDoc  *doc,
            gboolean    utf8_checked,
            GError    **error)
{
  g_autoptr(CdModel) model = cd_model_read_doc_shapes (doc, utf8_checked, error);

  cd_json_doc_free (doc);
  if (model == NULL || !cd_model_validate (model, error))
    return NULL;
  return g_steal_pointer (&model);
}

CdJsonDoc *
cd_model_parse_json (const char *data,
                     gsize       length,
                     gboolean   *utf8_checked,
                     GError    **error)
{
  gboolean strict;
  CdJsonDoc *doc;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  doc = parse_json (data, length, &strict, error);
  if (utf8_checked != NULL)
    *utf8_checked = strict;
  return doc;
}

/* A model given where an experiment spec is expected (or any other pair of
 * Coordyn's three kinds of JSON file) would be refused key by key, a dozen
 * "unknown key" lines under one that says the format is wrong.  The user
 * has picked the wrong file: one sentence says which kind it is and what
 * it is for.  A format that is none of the three is left to the readers,
 * which report it with the file's other problems. */
static gboolean
another_kind_of_file (const CdJsonValue  *root,
                      CdJsonSpec          spec,
                      GQuark              domain,
                      int                 code,
                      GError            **error)
{
  const CdJsonValue *format = cd_json_object_get_member (root, "format");
  const char *found, *message = NULL;

  if (format == NULL || format->kind != CD_JSON_STRING)
    return FALSE;
  found = format->u.string;
  /* Whole sentences, each translated as it stands. */
  switch (spec)
    {
    case CD_JSON_SPEC_MODEL:
      if (strcmp (found, CD_INSTITUTION_FORMAT) == 0)
        message = _("this file is an institutional arrangement, not a model: apply it to a "
                    "model (coordyn-cli run or compare --institution, or the app's Apply "
                    "Arrangement as Scenario)");
      else if (strcmp (found, CD_EXPERIMENT_FORMAT) == 0)
        message = _("this file is an experiment spec, not a model: run it with coordyn-cli "
                    "experiment, or open it on the Experiments page of the app's Analysis view");
      break;
    case CD_JSON_SPEC_INSTITUTION:
      if (strcmp (found, CD_MODEL_FORMAT) == 0)
        message = _("this file is a model, not an institutional arrangement");
      else if (strcmp (found, CD_EXPERIMENT_FORMAT) == 0)
        message = _("this file is an experiment spec, not an institutional arrangement");
      break;
    case CD_JSON_SPEC_EXPERIMENT:
      if (strcmp (found, CD_MODEL_FORMAT) == 0)
        message = _("this file is a model, not an experiment spec: a spec names its model "
                    "under \"model\"");
      else if (strcmp (found, CD_INSTITUTION_FORMAT) == 0)
        message = _("this file is an institutional arrangement, not an experiment spec: a "
                    "spec lists arrangements under \"institutions\"");
      break;
    default:
      break;
    }
  if (message == NULL)
    return FALSE;
  g_set_error (error, domain, code, "format: %s", message);
  return TRUE;
}

const CdJsonValue *
cd_json_spec_root (const CdJsonDoc  *doc,
                   CdJsonSpec        spec,
                   GQuark            domain,
                   int               code,
                   GError          **error)
{
  const CdJsonValue *root = cd_json_doc_get_root (doc);
  const char *kind;

  if (root != NULL && root->kind == CD_JSON_OBJECT)
    return another_kind_of_file (root, spec, domain, code, error) ? NULL : root;
  kind = root != NULL ? cd_json_value_kind_name (root) : _("nothing");
  /* Whole sentences, each translated as it stands. */
  switch (spec)
    {
    case CD_JSON_SPEC_INSTITUTION:
      g_set_error (error, domain, code,
                   _("an institutional arrangement holds one JSON object, not %s"), kind);
      break;
    case CD_JSON_SPEC_EXPERIMENT:
      g_set_error (error, domain, code, _("an experiment spec holds one JSON object, not %s"),
                   kind);
      break;
    case CD_JSON_SPEC_MODEL:
    default:
      g_set_error (error, domain, code, _("a model file holds one JSON object, not %s"), kind);
      break;
    }
  return NULL;
}

const CdJsonValue *
cd_json_read_spec (const char  *data,
                   gsize        length,
                   CdJsonSpec   spec,
                   gsize        max_size,
                   GQuark       domain,
                   int          code,
                   CdJsonDoc  **doc,
                   gboolean    *utf8_checked,
                   GError     **error)
{
  g_autoptr(CdJsonDoc) parsed = NULL;
  g_autoptr(GError) local = NULL;
  const CdJsonValue *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (doc != NULL, NULL);

  *doc = NULL;
  if (length > max_size)
    {
      guint mib = (guint) (max_size >> 20);

      switch (spec)
        {
        case CD_JSON_SPEC_INSTITUTION:
          g_set_error (error, domain, code,
                       _("the file is larger than %u MiB: not an institutional arrangement"), mib);
          break;
        case CD_JSON_SPEC_EXPERIMENT:
          g_set_error (error, domain, code,
                       _("the file is larger than %u MiB: not an experiment spec"), mib);
          break;
        case CD_JSON_SPEC_MODEL:
        default:
          {
            g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);
            g_set_error (error, domain, code,
                         _("the file is larger than %s; larger files are refused"), limit);
          }
          break;
        }
      return NULL;
    }
  parsed = cd_model_parse_json (data, length, utf8_checked, &local);
  if (parsed == NULL)
    {
      g_set_error_literal (error, domain, code, local->message);
      return NULL;
    }
  root = cd_json_spec_root (parsed, spec, domain, code, error);
  if (root != NULL)
    *doc = g_steal_pointer (&parsed);
  return root;
}

/* owned (may be NULL) is data, freed as soon as the tree holds the text. */
static CdModel *
load_text (const char  *data,
           gsize        length,
           char        *owned,
           GError     **error)
{
  CdJsonDoc *doc;
  gboolean strict;

  doc = parse_json (data, length, &strict, error);
  g_free (owned);
  if (doc == NULL)
    return NULL;
  return read_model (doc, strict, error);
}

CdModel *
cd_model_load_data (const char *data,
                    gsize       length,
                    GError    **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  return load_text (data, length, NULL, error);
}

CdModel *
cd_model_load_data_json_glib (const char *data,
                              gsize       length,
                              GError    **error)
{
  CdJsonDoc *doc;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  doc = parse_leniently (data, length, error);
  if (doc == NULL)
    return NULL;
  return read_model (doc, FALSE, error);
}

CdModel *
cd_model_load_file (const char *path,
                    GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  /* Read, never mapped: see cd-file.h. */
  if (!cd_file_read_regular (path, CD_MODEL_MAX_FILE_SIZE, &contents, &length, &local_error))
    {
      g_set_error_literal (error, CD_MODEL_ERROR,
                           g_error_matches (local_error, CD_FILE_ERROR, CD_FILE_ERROR_TOO_LARGE)
                           ? CD_MODEL_ERROR_TOO_LARGE : CD_MODEL_ERROR_IO,
                           local_error->message);
      return NULL;
    }
  return load_text (contents, length, contents, error);
}
