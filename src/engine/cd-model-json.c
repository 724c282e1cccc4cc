/* cd-model-json.c — strict model-file reader and atomic, lossless writer.
 *
 * Reading happens in three passes so that each error message can name its
 * place precisely and nothing is ever half-loaded:
 *   1. the text becomes a JSON tree (cd-json.h).  Plain JSON, which is every
 *      file Coordyn writes, takes a strict single-pass parser.  Anything it
 *      does not take goes the old way, which words every syntax error: a
 *      byte scan (size, UTF-8, NUL bytes, nesting depth and repeated keys,
 *      with line and column; json-glib would recurse without bound on deep
 *      nesting), then json-glib, whose tree is copied;
 *   2. the tree is read into a CdModel checking only shapes: unknown keys,
 *      wrong types, unknown enum values;
 *   3. cd_model_validate() checks values and structure (ranges, ids, edges,
 *      command cycles) — the same checks the app runs after an edit.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-atomic-file.h"
#include "cd-file.h"
#include "cd-json.h"
#include "cd-model-json.h"

G_DEFINE_QUARK (cd-model-error-quark, cd_model_error)

/* ---- collecting errors ---------------------------------------------------- */

typedef struct
{
  GString *text;
  guint    count;
} Problems;

static void problems_add (Problems *p, const char *place, const char *fmt, ...)
  G_GNUC_PRINTF (3, 4);

static void
problems_add (Problems   *p,
              const char *place,
              const char *fmt,
              ...)
{
  va_list args;

  p->count++;
  if (p->count > CD_MODEL_MAX_ERRORS)
    return;
  if (p->text->len > 0)
    g_string_append_c (p->text, '\n');
  if (place != NULL && *place != '\0')
    g_string_append_printf (p->text, "%s: ", place);
  va_start (args, fmt);
  g_string_append_vprintf (p->text, fmt, args);
  va_end (args);
}

static gboolean
problems_report (Problems  *p,
                 GError   **error)
{
  if (p->count == 0)
    return TRUE;
  if (p->count > CD_MODEL_MAX_ERRORS)
    g_string_append_printf (p->text, "\n… and %u more errors", p->count - CD_MODEL_MAX_ERRORS);
  g_set_error_literal (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID, p->text->str);
  return FALSE;
}

static char *
number_text (double v)
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
  gboolean is_object[CD_MODEL_MAX_DEPTH + 1] = { FALSE };
  gsize opened_at[CD_MODEL_MAX_DEPTH + 1] = { 0 };
  gsize comma_at = G_MAXSIZE;   /* the last significant character, if a comma */
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
      else if (depth == 0 && g_ascii_isalpha (c))
        {
          /* true, false or null at the top (or a word json-glib will word) */
          while (i + 1 < length && g_ascii_isalnum (data[i + 1]))
            i++;
          ended = TRUE;
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

/* ---- pass 2: shapes -------------------------------------------------------- */

/* Where a value is in the file, as a chain up to the top.  It is spelled
 * out ("edges[3].target") only when a problem is reported there: building
 * the text for every value was a fifth of the time to read a large file. */
typedef struct _Place Place;
struct _Place
{
  const Place *parent;
  const char  *key;     /* NULL: entry `index` of an array */
  guint        index;
};

/* Joined as "base.key" ("key" at the top) and "base[index]". */
static void
place_append (GString     *out,
              const Place *place)
{
  if (place == NULL)
    return;
  place_append (out, place->parent);
  if (place->key != NULL)
    {
      if (out->len > 0)
        g_string_append_c (out, '.');
      g_string_append (out, place->key);
    }
  else
    g_string_append_printf (out, "[%u]", place->index);
}

typedef struct
{
  Problems  problems;
  CdModel  *model;
  gboolean  utf8_checked;   /* every string of the tree is known to be UTF-8 */
} Reader;

static void problem_at (Reader *r, const Place *place, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
problem_at (Reader      *r,
            const Place *place,
            const char  *fmt,
            ...)
{
  g_autoptr(GString) where = NULL;
  g_autofree char *text = NULL;
  va_list args;

  /* Past the limit only the count matters. */
  if (r->problems.count >= CD_MODEL_MAX_ERRORS)
    {
      r->problems.count++;
      return;
    }
  where = g_string_new (NULL);
  place_append (where, place);
  va_start (args, fmt);
  text = g_strdup_vprintf (fmt, args);
  va_end (args);
  problems_add (&r->problems, where->str, "%s", text);
}

static const char *
value_kind_name (const CdJsonValue *value)
{
  switch (value->kind)
    {
    /* Translators: the kinds of JSON value, shown as "expected %s, got %s". */
    case CD_JSON_OBJECT:  return _("an object");
    case CD_JSON_ARRAY:   return _("an array");
    case CD_JSON_NULL:    return "null";
    case CD_JSON_STRING:  return _("a string");
    case CD_JSON_BOOLEAN: return _("a boolean");
    case CD_JSON_INT:
    case CD_JSON_DOUBLE:  return _("a number");
    default:              return _("something else");
    }
}

static gboolean
expect (Reader            *r,
        const Place       *place,
        const CdJsonValue *value,
        gboolean           ok,
        const char        *wanted)
{
  if (!ok)
    /* Translators: both %s are kinds of JSON value, such as "a number". */
    problem_at (r, place, _("expected %s, got %s"), wanted, value_kind_name (value));
  return ok;
}

static gboolean
read_number (Reader            *r,
             const Place       *place,
             const CdJsonValue *value,
             double            *out)
{
  double v;

  if (!expect (r, place, value, value->kind == CD_JSON_INT || value->kind == CD_JSON_DOUBLE,
               _("a number")))
    return FALSE;
  v = value->kind == CD_JSON_INT ? (double) value->u.integer : value->u.number;
  if (!isfinite (v))
    {
      problem_at (r, place, _("the number is too large to be represented"));
      return FALSE;
    }
  /* -0 is read as 0: "-0" comes back from json-glib as the integer 0, so a
   * -0.0 kept here would not survive save and load (found by fuzzing), and
   * it would print as "-0" in the CSV. */
  *out = v == 0.0 ? 0.0 : v;
  return TRUE;
}

/* The text itself, which lives as long as the tree. */
static gboolean
read_text (Reader            *r,
           const Place       *place,
           const CdJsonValue *value,
           const char       **out)
{
  if (!expect (r, place, value, value->kind == CD_JSON_STRING, _("a string")))
    return FALSE;
  /* The byte scan saw valid UTF-8, but json-glib decodes a lone \ud800
   * escape into bytes that are not: such text could not be saved. */
  if (!r->utf8_checked && !g_utf8_validate (value->u.string, -1, NULL))
    {
      problem_at (r, place, _("not valid text: a \\u escape names half of a "
                  "surrogate pair"));
      return FALSE;
    }
  *out = value->u.string;
  return TRUE;
}

static gboolean
read_string (Reader            *r,
             const Place       *place,
             const CdJsonValue *value,
             char             **out)
{
  const char *text;

  if (!read_text (r, place, value, &text))
    return FALSE;
  g_free (*out);
  *out = g_strdup (text);
  return TRUE;
}

static gboolean
read_bool (Reader            *r,
           const Place       *place,
           const CdJsonValue *value,
           gboolean          *out)
{
  if (!expect (r, place, value, value->kind == CD_JSON_BOOLEAN, _("true or false")))
    return FALSE;
  *out = value->u.boolean;
  return TRUE;
}

/* Called for each member of an object; returns FALSE, having done nothing,
 * for a key it does not know. */
typedef gboolean (*FieldFunc) (Reader *r, const Place *place, const char *key,
                               const CdJsonValue *value, gpointer data);

/* Calls `field` for each member; with `closed`, keys `field` does not know
 * are reported. */
static gboolean
read_object (Reader            *r,
             const Place       *place,
             const CdJsonValue *value,
             gboolean           closed,
             FieldFunc          field,
             gpointer           data)
{
  if (!expect (r, place, value, value->kind == CD_JSON_OBJECT, _("an object")))
    return FALSE;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonMember *m = &value->u.members[i];
      Place sub = { place, m->key, 0 };

      if (!r->utf8_checked && !g_utf8_validate (m->key, -1, NULL))
        {
          g_autofree char *shown = g_utf8_make_valid (m->key, -1);
          Place bad = { place, shown, 0 };
          problem_at (r, &bad, _("not a valid key: a \\u escape names half of a "
                      "surrogate pair"));
          continue;
        }
      if (!field (r, &sub, m->key, &m->value, data) && closed)
        problem_at (r, &sub, _("unknown key"));
    }
  return TRUE;
}

static gboolean
expect_array (Reader            *r,
              const Place       *place,
              const CdJsonValue *value,
              guint              max_len)
{
  if (!expect (r, place, value, value->kind == CD_JSON_ARRAY, _("an array")))
    return FALSE;
  if (value->len > max_len)
    {
      problem_at (r, place, _("more than %u entries; such a model is refused"), max_len);
      return FALSE;
    }
  return TRUE;
}

static gboolean
localized_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
                 gpointer data)
{
  const char *text;

  if (*key == '\0')
    {
      problem_at (r, place, _("a language code must not be empty"));
      return TRUE;
    }
  if (read_text (r, place, value, &text))
    cd_localized_set (data, key, text);
  return TRUE;
}

static void
read_localized (Reader *r, const Place *place, const CdJsonValue *value, GArray *into)
{
  read_object (r, place, value, FALSE, localized_field, into);
}

/* parameters: { "gravity": { "interest": 1 }, …, "dynamics": { "rule": "logit" } } */
typedef struct
{
  gboolean *set;      /* may be NULL */
  double   *values;
  gboolean *rule_set; /* may be NULL */
  CdRule   *rule;
  CdGroup   group;
} ParamsTarget;

static gboolean
param_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
             gpointer data)
{
  ParamsTarget *t = data;
  g_autofree char *path = g_strconcat (cd_group_key (t->group), ".", key, NULL);
  CdParam param;

  if (t->group == CD_GROUP_DYNAMICS && strcmp (key, "rule") == 0)
    {
      const char *text;
      if (!read_text (r, place, value, &text))
        return TRUE;
      if (!cd_rule_from_string (text, t->rule))
        problem_at (r, place, _("\"%s\" is not a rule; use \"logit\" or \"replicator\""), text);
      else if (t->rule_set)
        *t->rule_set = TRUE;
      return TRUE;
    }
  if (!cd_param_from_path (path, &param))
    {
      problem_at (r, place, _("unknown key"));
      return TRUE;
    }
  if (read_number (r, place, value, &t->values[param]) && t->set)
    t->set[param] = TRUE;
  return TRUE;
}

static gboolean
group_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
             gpointer data)
{
  ParamsTarget *t = data;

  for (guint g = 0; g < CD_N_GROUPS; g++)
    if (strcmp (key, cd_group_key ((CdGroup) g)) == 0)
      {
        t->group = (CdGroup) g;
        read_object (r, place, value, FALSE, param_field, t);
        return TRUE;
      }
  problem_at (r, place, _("unknown key"));
  return TRUE;
}

static void
read_parameters (Reader *r, const Place *place, const CdJsonValue *value, ParamsTarget *t)
{
  read_object (r, place, value, FALSE, group_field, t);
}

static gboolean
simulation_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
                  gpointer data)
{
  CdSimSettings *sim = data;

  if (strcmp (key, "t_end") == 0)
    read_number (r, place, value, &sim->t_end);
  else if (strcmp (key, "dt") == 0)
    read_number (r, place, value, &sim->dt);
  else if (strcmp (key, "rtol") == 0)
    read_number (r, place, value, &sim->rtol);
  else if (strcmp (key, "atol") == 0)
    read_number (r, place, value, &sim->atol);
  else
    return FALSE;
  return TRUE;
}

/* strcmp (key, known) == 0, most often decided by the first byte: the
 * fields of governments and ties are looked up for every one of them. */
static inline gboolean
key_is (const char *key,
        const char *known)
{
  return key[0] == known[0] && strcmp (key, known) == 0;
}

/* ---- nodes ---- */

typedef struct
{
  CdNode   *node;
  gboolean  has_id;
  gboolean  has_name;
} NodeTarget;

static gboolean
node_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
            gpointer data)
{
  NodeTarget *t = data;
  CdNode *n = t->node;

  if (key_is (key, "id"))
    t->has_id = read_string (r, place, value, &n->id);
  else if (key_is (key, "name"))
    t->has_name = read_string (r, place, value, &n->name);
  else if (key_is (key, "names"))
    read_localized (r, place, value, n->names);
  else if (key_is (key, "level"))
    {
      const char *text;
      if (read_text (r, place, value, &text) && !cd_level_from_string (text, &n->level))
        problem_at (r, place,
                    _("\"%s\" is not a level; use central, provincial, municipal, county "
                      "or other"),
                    text);
    }
  else if (key_is (key, "capacity"))
    read_number (r, place, value, &n->capacity);
  else if (key_is (key, "vulnerability"))
    read_number (r, place, value, &n->vulnerability);
  else if (key_is (key, "fragmentation"))
    read_number (r, place, value, &n->fragmentation);
  else if (key_is (key, "x0"))
    read_number (r, place, value, &n->x0);
  else if (key_is (key, "fixed"))
    read_bool (r, place, value, &n->fixed);
  else if (key_is (key, "pos"))
    {
      if (!expect (r, place, value, value->kind == CD_JSON_ARRAY, _("an array [x, y]")))
        return TRUE;
      if (value->len != 2)
        {
          problem_at (r, place,
                      g_dngettext (GETTEXT_PACKAGE, "expected two numbers [x, y], got %u value",
                                   "expected two numbers [x, y], got %u values", value->len),
                      value->len);
          return TRUE;
        }
      n->has_pos = read_number (r, place, &value->u.items[0], &n->pos[0])
                   && read_number (r, place, &value->u.items[1], &n->pos[1]);
    }
  else
    return FALSE;
  return TRUE;
}

static void
read_nodes (Reader *r, const Place *place, const CdJsonValue *value)
{
  if (!expect_array (r, place, value, CD_MODEL_MAX_NODES))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonValue *item = &value->u.items[i];
      Place sub = { place, NULL, i };
      NodeTarget t = { cd_node_new (""), FALSE, FALSE };

      read_object (r, &sub, item, TRUE, node_field, &t);
      if (!t.has_id && item->kind == CD_JSON_OBJECT && !cd_json_object_get_member (item, "id"))
        problem_at (r, &sub, _("a government needs an \"id\""));
      if (!t.has_name)
        {
          g_free (t.node->name);
          t.node->name = g_strdup (t.node->id);
        }
      g_ptr_array_add (r->model->nodes, t.node);
    }
}

/* ---- edges ---- */

typedef struct
{
  CdEdge     *edge;
  gboolean    has[8];
  gboolean    command_field;      /* a field of a command line was present */
  gboolean    partnership_field;  /* a field of a partnership was present */
  const char *kind;
} EdgeTarget;

static gboolean
edge_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
            gpointer data)
{
  EdgeTarget *t = data;
  CdEdge *e = t->edge;

  if (key_is (key, "kind"))
    t->has[0] = read_text (r, place, value, &t->kind);
  else if (key_is (key, "source"))
    t->has[1] = read_string (r, place, value, &e->source);
  else if (key_is (key, "target"))
    t->has[2] = read_string (r, place, value, &e->target);
  else if (key_is (key, "weight"))
    {
      read_number (r, place, value, &e->weight);
      t->command_field = TRUE;
    }
  else if (key_is (key, "interest"))
    {
      t->partnership_field = TRUE;
      read_number (r, place, value, &e->interest);
    }
  else if (key_is (key, "trust"))
    {
      t->partnership_field = TRUE;
      read_number (r, place, value, &e->trust);
    }
  else if (key_is (key, "info"))
    {
      t->partnership_field = TRUE;
      read_number (r, place, value, &e->info);
    }
  else
    return FALSE;
  return TRUE;
}

static void
read_edges (Reader *r, const Place *place, const CdJsonValue *value)
{
  if (!expect_array (r, place, value, CD_MODEL_MAX_EDGES))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      Place sub = { place, NULL, i };
      EdgeTarget t = { cd_edge_new (CD_EDGE_COMMAND, "", "") };

      if (read_object (r, &sub, &value->u.items[i], TRUE, edge_field, &t))
        {
          if (!t.has[0])
            problem_at (r, &sub, _("an edge needs a \"kind\": \"command\" or \"partnership\""));
          else if (strcmp (t.kind, "command") == 0)
            {
              t.edge->kind = CD_EDGE_COMMAND;
              if (t.partnership_field)
                problem_at (r, &sub,
                            _("a command line has only a weight, not interest, trust or info"));
            }
          else if (strcmp (t.kind, "partnership") == 0)
            {
              t.edge->kind = CD_EDGE_PARTNERSHIP;
              if (t.command_field)
                problem_at (r, &sub, _("a partnership has no weight"));
            }
          else
            problem_at (r, &sub,
                        _("kind \"%s\" is not an edge kind; use \"command\" or \"partnership\""),
                        t.kind);
          if (!t.has[1])
            problem_at (r, &sub, _("an edge needs a \"source\""));
          if (!t.has[2])
            problem_at (r, &sub, _("an edge needs a \"target\""));
        }
      g_ptr_array_add (r->model->edges, t.edge);
    }
}

/* ---- events ---- */

static gboolean
impact_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
              gpointer data)
{
  CdImpact impact;

  /* Keys of one object are distinct (a repeated key is refused while
   * parsing), so append directly: cd_event_set_impact() searches the list
   * first, which made a national-scale emergency quadratic to read. */
  if (read_number (r, place, value, &impact.a))
    {
      impact.node = g_strdup (key);
      g_array_append_val (((CdEvent *) data)->impacts, impact);
    }
  return TRUE;
}

static gboolean
event_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
             gpointer data)
{
  CdEvent *ev = data;

  if (strcmp (key, "name") == 0)
    read_string (r, place, value, &ev->name);
  else if (strcmp (key, "names") == 0)
    read_localized (r, place, value, ev->names);
  else if (strcmp (key, "onset") == 0)
    read_number (r, place, value, &ev->onset);
  else if (strcmp (key, "magnitude") == 0)
    read_number (r, place, value, &ev->magnitude);
  else if (strcmp (key, "decay") == 0)
    read_number (r, place, value, &ev->decay);
  else if (strcmp (key, "impact") == 0)
    read_object (r, place, value, FALSE, impact_field, ev);
  else
    return FALSE;
  return TRUE;
}

static const char *const event_required[] = { "onset", "magnitude", "decay", NULL };

static void
require_members (Reader            *r,
                 const Place       *place,
                 const CdJsonValue *value,
                 const char *const *required,
                 const char        *what)
{
  if (value->kind != CD_JSON_OBJECT)
    return;
  for (guint k = 0; required[k]; k++)
    if (!cd_json_object_get_member (value, required[k]))
      /* Translators: the first %s is what the entry is, the second a JSON key
         kept in English. */
      problem_at (r, place, _("%s needs \"%s\""), what, required[k]);
}

static void
read_events (Reader *r, const Place *place, const CdJsonValue *value)
{
  if (!expect_array (r, place, value, CD_MODEL_MAX_EDGES))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonValue *item = &value->u.items[i];
      Place sub = { place, NULL, i };
      CdEvent *ev = cd_event_new ();

      read_object (r, &sub, item, TRUE, event_field, ev);
      require_members (r, &sub, item, event_required, _("an emergency"));
      g_ptr_array_add (r->model->events, ev);
    }
}

/* ---- interventions ---- */

static gboolean
setting_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
               gpointer data)
{
  CdParam param;
  double v;

  if (strcmp (key, "dynamics.rule") == 0)
    {
      problem_at (r, place, _("the rule is not numeric and cannot change during a run"));
      return TRUE;
    }
  if (!cd_param_from_path (key, &param))
    {
      problem_at (r, place, _("no parameter \"%s\""), key);
      return TRUE;
    }
  if (read_number (r, place, value, &v))
    cd_intervention_add (data, param, v);
  return TRUE;
}

typedef struct
{
  CdIntervention *iv;
  gboolean        has_at;
} InterventionTarget;

static gboolean
intervention_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
                    gpointer data)
{
  InterventionTarget *t = data;

  if (strcmp (key, "at") == 0)
    t->has_at = read_number (r, place, value, &t->iv->at);
  else if (strcmp (key, "set") == 0)
    read_object (r, place, value, FALSE, setting_field, t->iv);
  else
    return FALSE;
  return TRUE;
}

static void
read_interventions (Reader            *r,
                    const Place       *place,
                    const CdJsonValue *value,
                    GPtrArray         *into)
{
  if (!expect_array (r, place, value, CD_MODEL_MAX_EDGES))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonValue *item = &value->u.items[i];
      Place sub = { place, NULL, i };
      InterventionTarget t = { cd_intervention_new (0.0), FALSE };

      read_object (r, &sub, item, TRUE, intervention_field, &t);
      if (!t.has_at && item->kind == CD_JSON_OBJECT && !cd_json_object_get_member (item, "at"))
        problem_at (r, &sub, _("a policy change needs \"at\", its time"));
      g_ptr_array_add (into, t.iv);
    }
}

/* ---- scenarios and ranges (extensions) ---- */

static gboolean
scenario_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
                gpointer data)
{
  CdScenario *sc = data;

  if (strcmp (key, "name") == 0)
    read_string (r, place, value, &sc->name);
  else if (strcmp (key, "names") == 0)
    read_localized (r, place, value, sc->names);
  else if (strcmp (key, "description") == 0)
    read_string (r, place, value, &sc->description);
  else if (strcmp (key, "parameters") == 0)
    {
      ParamsTarget t = { sc->param_set, sc->param_value, &sc->rule_set, &sc->rule };
      read_parameters (r, place, value, &t);
    }
  else if (strcmp (key, "interventions") == 0)
    {
      g_clear_pointer (&sc->interventions, g_ptr_array_unref);
      sc->interventions =
        g_ptr_array_new_with_free_func ((GDestroyNotify) cd_intervention_free);
      read_interventions (r, place, value, sc->interventions);
    }
  else
    return FALSE;
  return TRUE;
}

static void
read_scenarios (Reader *r, const Place *place, const CdJsonValue *value)
{
  if (!expect_array (r, place, value, 100000))
    return;
  for (guint i = 0; i < value->len; i++)
    {
      const CdJsonValue *item = &value->u.items[i];
      Place sub = { place, NULL, i };
      CdScenario *sc = cd_scenario_new ("");

      read_object (r, &sub, item, TRUE, scenario_field, sc);
      require_members (r, &sub, item, (const char *const[]) { "name", NULL }, _("a scenario"));
      g_ptr_array_add (r->model->scenarios, sc);
    }
}

typedef struct
{
  CdRange  range;
  gboolean has_min, has_max, has_mode;
} RangeTarget;

static gboolean
range_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
             gpointer data)
{
  RangeTarget *t = data;

  if (strcmp (key, "min") == 0)
    t->has_min = read_number (r, place, value, &t->range.min);
  else if (strcmp (key, "max") == 0)
    t->has_max = read_number (r, place, value, &t->range.max);
  else if (strcmp (key, "mode") == 0)
    t->has_mode = read_number (r, place, value, &t->range.mode);
  else if (strcmp (key, "distribution") == 0)
    {
      const char *text;
      if (!read_text (r, place, value, &text))
        return TRUE;
      if (strcmp (text, "uniform") == 0)
        t->range.dist = CD_DIST_UNIFORM;
      else if (strcmp (text, "triangular") == 0)
        t->range.dist = CD_DIST_TRIANGULAR;
      else
        problem_at (r, place,
                    _("\"%s\" is not a distribution; use \"uniform\" or \"triangular\""), text);
    }
  else
    return FALSE;
  return TRUE;
}

static gboolean
ranges_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
              gpointer data)
{
  RangeTarget t = { { 0 } };

  if (!cd_param_from_path (key, &t.range.param))
    {
      problem_at (r, place, _("no numeric parameter \"%s\""), key);
      return TRUE;
    }
  read_object (r, place, value, TRUE, range_field, &t);
  if (!t.has_min || !t.has_max)
    problem_at (r, place, _("a range needs \"min\" and \"max\""));
  if (t.range.dist == CD_DIST_TRIANGULAR && !t.has_mode)
    problem_at (r, place, _("a triangular range needs \"mode\""));
  if (t.range.dist == CD_DIST_UNIFORM)
    t.range.mode = 0.5 * (t.range.min + t.range.max);
  g_array_append_val (r->model->ranges, t.range);
  return TRUE;
}

/* ---- top level ---- */

static gboolean
top_field (Reader *r, const Place *place, const char *key, const CdJsonValue *value,
           gpointer data)
{
  CdModel *m = r->model;

  if (strcmp (key, "nodes") == 0)
    read_nodes (r, place, value);
  else if (strcmp (key, "edges") == 0)
    read_edges (r, place, value);
  else if (strcmp (key, "events") == 0)
    read_events (r, place, value);
  else if (strcmp (key, "format") == 0)
    {
      const char *text;
      if (read_text (r, place, value, &text) && strcmp (text, CD_MODEL_FORMAT) != 0)
        problem_at (r, place, _("\"%s\" is not a Coordyn model; expected \"%s\""),
                    text, CD_MODEL_FORMAT);
    }
  else if (strcmp (key, "version") == 0)
    {
      double v;
      if (read_number (r, place, value, &v) && v != CD_MODEL_VERSION)
        {
          /* An integer as written: as a double, 9007199254740993 would
           * print as another number. */
          g_autofree char *vt = value->kind == CD_JSON_INT
                                ? g_strdup_printf ("%" G_GINT64_FORMAT, value->u.integer)
                                : number_text (v);
          problem_at (r, place, _("version %s is not supported; this Coordyn reads version %d"),
                      vt, CD_MODEL_VERSION);
        }
    }
  else if (strcmp (key, "name") == 0)
    read_string (r, place, value, &m->name);
  else if (strcmp (key, "description") == 0)
    read_string (r, place, value, &m->description);
  else if (strcmp (key, "names") == 0)
    read_localized (r, place, value, m->names);
  else if (strcmp (key, "descriptions") == 0)
    read_localized (r, place, value, m->descriptions);
  else if (strcmp (key, "parameters") == 0)
    {
      ParamsTarget t = { NULL, m->params.values, NULL, &m->params.rule };
      read_parameters (r, place, value, &t);
    }
  else if (strcmp (key, "simulation") == 0)
    read_object (r, place, value, TRUE, simulation_field, &m->sim);
  else if (strcmp (key, "interventions") == 0)
    read_interventions (r, place, value, m->interventions);
  else if (strcmp (key, "scenarios") == 0)
    read_scenarios (r, place, value);
  else if (strcmp (key, "ranges") == 0)
    read_object (r, place, value, FALSE, ranges_field, NULL);
  else
    return FALSE;
  return TRUE;
}

/* One side of json-glib's "unexpected A, expected B", in the user's
 * language, or NULL for a shape not known here. */
static char *
json_glib_thing (const char *t)
{
  static const struct { const char *prefix; char close; } quoted[] = {
    { "character `", '\'' }, { "identifier `", '\'' }, { "value `", '\'' },
    { "number `", '\'' }, { "string constant \"", '"' },
  };
  static const char *const plain[] = {
    N_("end of file"), N_("value"), N_("string constant"), N_("number (integer)"),
    N_("number (float)"), N_("identifier"),
  };
  gsize len = strlen (t);

  for (guint k = 0; k < G_N_ELEMENTS (plain); k++)
    if (strcmp (t, plain[k]) == 0)
      return g_strdup (_(plain[k]));
  for (guint k = 0; k < G_N_ELEMENTS (quoted); k++)
    {
      gsize n = strlen (quoted[k].prefix);
      if (len > n && g_str_has_prefix (t, quoted[k].prefix) && t[len - 1] == quoted[k].close)
        {
          g_autofree char *inner = g_strndup (t + n, len - n - 1);

          /* Translators: json-glib's words for what it found or expected
           * in a JSON file; %s is the text itself, e.g. character `,' */
          switch (k)
            {
            case 0: return g_strdup_printf (_("character `%s'"), inner);
            case 1: return g_strdup_printf (_("identifier `%s'"), inner);
            case 2: return g_strdup_printf (_("value `%s'"), inner);
            case 3: return g_strdup_printf (_("number `%s'"), inner);
            default: return g_strdup_printf (_("string constant \"%s\""), inner);
            }
        }
    }
  return NULL;
}

/* json-glib words its reasons in English only (its catalogs do not cover
 * them): "unexpected character `,', expected string constant".  The usual
 * shapes are put into the user's language here; English reads as before,
 * and any other reason is kept as json-glib gave it. */
static char *
json_glib_reason (const char *reason)
{
  const char *split = g_strrstr (reason, ", expected ");
  g_autofree char *found = NULL, *wanted = NULL;

  if (strcmp (reason, "scanner: unterminated string constant") == 0)
    return g_strdup (_("a string without its closing quote"));
  if (split == NULL || !g_str_has_prefix (reason, "unexpected "))
    return g_strdup (reason);
  {
    g_autofree char *a = g_strndup (reason + strlen ("unexpected "),
                                    (gsize) (split - reason) - strlen ("unexpected "));
    found = json_glib_thing (a);
    wanted = json_glib_thing (split + strlen (", expected "));
  }
  if (found == NULL || wanted == NULL)
    return g_strdup (reason);
  /* Translators: a JSON syntax error: what was found, and what should
   * have been there, e.g. "unexpected character `,', expected value" */
  return g_strdup_printf (_("unexpected %s, expected %s"), found, wanted);
}

/* json-glib says "<data>:3:14: Parse error: …"; users want "line 3, column 14: …". */
static char *
syntax_message (const char *raw)
{
  /* json-glib quotes the offending text, which may hold half of a
   * surrogate pair (\ud800) decoded into bytes that are not UTF-8. */
  g_autofree char *message = g_utf8_make_valid (raw, -1);
  g_autofree char *separator = NULL;
  const char *format, *last_d, *last_s;
  guint line, column;
  int consumed = 0;

  /* json-glib words its message through its own catalog, "%s:%d:%d: Parse
   * error: %s" (in Chinese with full-width colons), so the text between the
   * column and json-glib's reason is taken from that same translation. */
  format = g_dgettext ("json-glib-1.0", "%s:%d:%d: Parse error: %s");
  last_d = g_strrstr (format, "%d");
  last_s = g_strrstr (format, "%s");
  if (last_d && last_s && last_s > last_d)
    separator = g_strndup (last_d + 2, (gsize) (last_s - (last_d + 2)));

  if (g_str_has_prefix (message, "<data>:")
      && sscanf (message + 7, "%u:%u%n", &line, &column, &consumed) == 2 && consumed > 0)
    {
      const char *rest = message + 7 + consumed;
      if (separator && *separator && g_str_has_prefix (rest, separator))
        rest += strlen (separator);
      else if (g_str_has_prefix (rest, ": Parse error: "))
        rest += strlen (": Parse error: ");
      else if (rest[0] == ':')
        rest += 1 + strspn (rest + 1, " \t\n");
      else
        return g_strdup (message);
      {
        g_autofree char *reason = json_glib_reason (rest);
        return g_strdup_printf (_("line %u, column %u: %s"), line, column, reason);
      }
    }
  return g_strdup (message);
}

/* The path every file took before the strict parser, and still the one
 * that words every syntax error: the byte scan, then json-glib, whose tree
 * is copied into a CdJsonDoc for the shape pass. */
static CdJsonDoc *
parse_with_json_glib (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!scan_bytes (data, length, TRUE, error))
    return NULL;
  if (length == 0)
    {
      g_set_error_literal (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX, _("the file is empty"));
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_autofree char *msg = syntax_message (local_error->message);
      g_set_error_literal (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX, msg);
      return NULL;
    }
  return cd_json_doc_new_from_node (json_parser_get_root (parser));
}

static CdModel *read_model_shapes (const CdJsonDoc *doc, gboolean utf8_checked, GError **error);

/* Passes 2 and 3 on a tree that the caller hands over: it is freed before
 * the validation, so that the tree and the validator's tables never take
 * memory at once. */
static CdModel *
read_model (CdJsonDoc  *doc,
            gboolean    utf8_checked,
            GError    **error)
{
  g_autoptr(CdModel) model = read_model_shapes (doc, utf8_checked, error);

  cd_json_doc_free (doc);
  if (model == NULL || !cd_model_validate (model, error))
    return NULL;
  return g_steal_pointer (&model);
}

static CdModel *
read_model_shapes (const CdJsonDoc  *doc,
                   gboolean          utf8_checked,
                   GError          **error)
{
  const CdJsonValue *root = cd_json_doc_get_root (doc);
  g_autoptr(CdModel) model = NULL;
  Reader r = { { NULL, 0 }, NULL, utf8_checked };

  if (root == NULL || root->kind != CD_JSON_OBJECT)
    {
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID,
                   _("a model file holds one JSON object, not %s"),
                   root ? value_kind_name (root) : _("nothing"));
      return NULL;
    }

  model = cd_model_new ();
  r.model = model;
  r.problems.text = g_string_new (NULL);
  read_object (&r, NULL, root, TRUE, top_field, NULL);
  if (r.problems.count == 0 && !cd_json_object_get_member (root, "nodes"))
    problems_add (&r.problems, "nodes", _("a model needs a list of governments"));
  if (!problems_report (&r.problems, error))
    {
      g_string_free (r.problems.text, TRUE);
      return NULL;
    }
  g_string_free (r.problems.text, TRUE);
  return g_steal_pointer (&model);
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
    return parse_with_json_glib (data, length, error);   /* refused by its size */
  doc = cd_json_parse_strict_full (data, length, CD_MODEL_MAX_DEPTH, tree_budget (length),
                                   &failure);
  if (doc != NULL)
    {
      *strict = TRUE;
      return doc;
    }
  if (failure.kind != CD_JSON_FAILURE_BUDGET && length <= JSON_GLIB_MAX_LENGTH)
    doc = parse_with_json_glib (data, length, error);
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

  doc = parse_with_json_glib (data, length, error);
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

/* ---- pass 3: values and structure ---------------------------------------- */

/* "name[i]" into buf (32 bytes), without printf: this runs for every
 * government and tie of a file. */
static const char *
indexed_place (char        buf[32],
               const char *name,
               guint       i)
{
  gsize len = strlen (name);
  char digits[12];
  int n = 0;

  g_assert (len + sizeof digits + 3 <= 32);
  do
    digits[n++] = (char) ('0' + i % 10);
  while ((i /= 10) != 0);
  memcpy (buf, name, len);
  buf[len++] = '[';
  while (n > 0)
    buf[len++] = digits[--n];
  buf[len++] = ']';
  buf[len] = '\0';
  return buf;
}

/* The place is "<place>.<field>" (field may be NULL); it is only spelled
 * out when there is a problem, since this runs for every value of a file. */
static void
check_unit (Problems *p, const char *place, const char *field, double v)
{
  if (!(v >= 0.0 && v <= 1.0))
    {
      g_autofree char *t = number_text (v);
      g_autofree char *where = field ? g_strconcat (place, ".", field, NULL) : g_strdup (place);
      problems_add (p, where, _("%s is outside [0, 1]"), t);
    }
}

static void
check_param_value (Problems *p, const char *place, CdParam param, double v)
{
  if (!cd_param_value_in_range (param, v))
    {
      g_autofree char *t = number_text (v);
      problems_add (p, place, _("%s is outside the range of %s (%s)"), t,
                    cd_param_info (param)->path, cd_param_range_text (param));
    }
}

static void
check_interventions (Problems *p, const char *place, const GPtrArray *list)
{
  for (guint i = 0; i < list->len; i++)
    {
      const CdIntervention *iv = g_ptr_array_index (list, i);
      g_autofree char *sub = g_strdup_printf ("%s[%u]", place, i);

      if (!(iv->at >= 0.0 && isfinite (iv->at)))
        {
          g_autofree char *where = g_strdup_printf ("%s.at", sub);
          g_autofree char *t = number_text (iv->at);
          problems_add (p, where, _("%s is negative; a policy change happens at a time ≥ 0"), t);
        }
      for (guint k = 0; k < iv->settings->len; k++)
        {
          const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
          g_autofree char *where = g_strdup_printf ("%s.set.%s", sub,
                                                    cd_param_info (s->param)->path);
          check_param_value (p, where, s->param, s->value);
        }
    }
}

/* Depth-first search over command lines, in file order; reports the first
 * cycle found as the edge that closes it and the ids around it. */
typedef struct
{
  const CdModel *model;
  guint         *first_out;   /* CSR over command edges by source */
  guint         *out_edges;
  guint         *target_of;   /* edge → target node */
  guint8        *colour;      /* 0 new, 1 on the stack, 2 done */
  guint         *stack_node;
  guint         *stack_pos;
} CycleSearch;

static gboolean
find_cycle (CycleSearch *cs,
            guint        start,
            Problems    *p)
{
  guint depth = 0;

  cs->stack_node[0] = start;
  cs->stack_pos[0] = cs->first_out[start];
  cs->colour[start] = 1;
  while (TRUE)
    {
      guint u = cs->stack_node[depth];
      if (cs->stack_pos[depth] < cs->first_out[u + 1])
        {
          guint e = cs->out_edges[cs->stack_pos[depth]++];
          guint v = cs->target_of[e];
          if (cs->colour[v] == 1)
            {
              GString *path = g_string_new (NULL);
              g_autofree char *place = g_strdup_printf ("edges[%u]", e);
              guint from = depth;
              while (cs->stack_node[from] != v)
                from--;
              for (guint k = from; k <= depth; k++)
                g_string_append_printf (path, "%s → ",
                                        ((CdNode *) g_ptr_array_index (cs->model->nodes,
                                                                       cs->stack_node[k]))->id);
              g_string_append (path, ((CdNode *) g_ptr_array_index (cs->model->nodes, v))->id);
              /* Translators: %s is the chain of government ids, such as "a → b → a". */
              problems_add (p, place, _("command cycle %s"), path->str);
              g_string_free (path, TRUE);
              return TRUE;
            }
          if (cs->colour[v] == 0)
            {
              cs->colour[v] = 1;
              depth++;
              cs->stack_node[depth] = v;
              cs->stack_pos[depth] = cs->first_out[v];
            }
        }
      else
        {
          cs->colour[u] = 2;
          if (depth == 0)
            return FALSE;
          depth--;
        }
    }
}

/* ends_source and ends_target: the node at each end of each edge. */
static void
check_command_cycles (const CdModel *model,
                      const guint   *ends_source,
                      const guint   *ends_target,
                      Problems      *p)
{
  guint n = model->nodes->len, m = model->edges->len;
  CycleSearch cs = { model };
  guint *source_of = g_new (guint, m + 1);
  guint *fill;

  cs.first_out = g_new0 (guint, n + 2);
  cs.out_edges = g_new (guint, m + 1);
  cs.target_of = g_new (guint, m + 1);
  cs.colour = g_new0 (guint8, n + 1);
  cs.stack_node = g_new (guint, n + 1);
  cs.stack_pos = g_new (guint, n + 1);
  fill = g_new0 (guint, n + 1);

  for (guint e = 0; e < m; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);
      source_of[e] = G_MAXUINT;
      if (edge->kind != CD_EDGE_COMMAND)
        continue;
      source_of[e] = ends_source[e];
      cs.target_of[e] = ends_target[e];
      cs.first_out[source_of[e] + 1]++;
    }
  for (guint i = 0; i < n; i++)
    cs.first_out[i + 1] += cs.first_out[i];
  for (guint e = 0; e < m; e++)
    if (source_of[e] != G_MAXUINT)
      cs.out_edges[cs.first_out[source_of[e]] + fill[source_of[e]]++] = e;

  for (guint i = 0; i < n; i++)
    if (cs.colour[i] == 0 && find_cycle (&cs, i, p))
      break;

  g_free (source_of);
  g_free (fill);
  g_free (cs.first_out);
  g_free (cs.out_edges);
  g_free (cs.target_of);
  g_free (cs.colour);
  g_free (cs.stack_node);
  g_free (cs.stack_pos);
}

/* The ties seen so far, by kind and the nodes at their ends: an open
 * hash table of integers, where strings of the ids cost a third of the
 * time to validate a national model. */
typedef struct
{
  guint64 *keys;
  guint   *edge;   /* index + 1; 0: empty slot */
  guint64  mask;
} EdgeSet;

static void
edge_set_init (EdgeSet *set,
               guint    n_edges)
{
  guint64 size = 16;

  while (size < 2 * (guint64) n_edges)
    size *= 2;
  set->keys = g_new (guint64, size);
  set->edge = g_new0 (guint, size);
  set->mask = size - 1;
}

static void
edge_set_clear (EdgeSet *set)
{
  g_free (set->keys);
  g_free (set->edge);
}

/* The slot of the tie of `kind` between nodes a and b (partnerships are
 * undirected), which holds 0 if there is none yet. */
static guint *
edge_set_lookup (EdgeSet    *set,
                 CdEdgeKind  kind,
                 guint       a,
                 guint       b)
{
  guint64 key, at;

  if (kind == CD_EDGE_PARTNERSHIP && a > b)
    {
      guint t = a;
      a = b;
      b = t;
    }
  key = ((guint64) (kind == CD_EDGE_PARTNERSHIP) << 63) | ((guint64) a << 32) | b;
  at = (key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 32 & set->mask;
  while (set->edge[at] != 0 && set->keys[at] != key)
    at = (at + 1) & set->mask;
  set->keys[at] = key;
  return &set->edge[at];
}

/* The first control character (C0, DEL or C1) of text, 0 if none: one in
 * an id went raw into the CSV header and into messages. */
static gunichar
first_control (const char *text)
{
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char_validated (c, -1);

      if (u == (gunichar) -1 || u == (gunichar) -2)
        return 0;   /* not UTF-8: refused by the reader with its own words */
      if (g_unichar_iscntrl (u))
        return u;
    }
  return 0;
}

gboolean
cd_model_validate (const CdModel *model,
                   GError       **error)
{
  Problems p = { g_string_new (NULL), 0 };
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  EdgeSet edges_seen;
  g_autofree guint *ends_source = NULL;
  g_autofree guint *ends_target = NULL;
  gboolean edges_ok = TRUE;
  const CdSimSettings *sim = &model->sim;
  gboolean ok;
  gunichar control;

  g_return_val_if_fail (model != NULL, FALSE);

  for (guint i = 0; i < CD_N_PARAMS; i++)
    {
      g_autofree char *place = g_strdup_printf ("parameters.%s", cd_param_info (i)->path);
      check_param_value (&p, place, i, model->params.values[i]);
    }

  if (!(sim->t_end > 0.0 && isfinite (sim->t_end)))
    {
      g_autofree char *t = number_text (sim->t_end);
      problems_add (&p, "simulation.t_end", _("%s is not positive"), t);
    }
  else if (!(sim->dt > 0.0 && sim->dt <= sim->t_end))
    {
      g_autofree char *t = number_text (sim->dt);
      problems_add (&p, "simulation.dt", _("%s is outside (0, t_end]"), t);
    }
  if (!(sim->rtol > 0.0 && isfinite (sim->rtol)))
    {
      g_autofree char *t = number_text (sim->rtol);
      problems_add (&p, "simulation.rtol", _("%s is not positive"), t);
    }
  else if (sim->rtol < CD_MODEL_MIN_RTOL)
    {
      g_autofree char *t = number_text (sim->rtol);
      g_autofree char *floor_text = number_text (CD_MODEL_MIN_RTOL);
      /* Translators: the first %s is the file's rtol, the second 2.220446049250313e-14. */
      problems_add (&p, "simulation.rtol",
                    _("%s is below what double-precision numbers can deliver: rounding alone "
                      "is about 1e-16 of each value, so a relative tolerance must be at least "
                      "%s (100 times that)"), t, floor_text);
    }
  if (!(sim->atol >= 0.0 && isfinite (sim->atol)))
    {
      g_autofree char *t = number_text (sim->atol);
      problems_add (&p, "simulation.atol", _("%s is negative"), t);
    }

  if (model->nodes->len > CD_MODEL_MAX_NODES)
    problems_add (&p, "nodes", _("%u governments; models of more than %u are refused"),
                  model->nodes->len, CD_MODEL_MAX_NODES);
  for (guint i = 0; i < model->nodes->len; i++)
    {
      const CdNode *n = g_ptr_array_index (model->nodes, i);
      char place[32];
      g_autofree char *sub = NULL;

      indexed_place (place, "nodes", i);
#define FIELD(name) (g_free (sub), sub = g_strdup_printf ("%s." name, place))
      if (*n->id == '\0')
        problems_add (&p, FIELD ("id"), _("the id must not be empty"));
      else if ((control = first_control (n->id)) != 0)
        /* Translators: U+%04X is a character's code, such as U+001B. */
        problems_add (&p, FIELD ("id"), _("a control character (U+%04X) in an id; an id names "
                                          "columns of the CSV and must be printable text"),
                      control);
      else if (g_hash_table_contains (index, n->id))
        problems_add (&p, FIELD ("id"), _("duplicate id \"%s\" (also nodes[%u])"), n->id,
                      GPOINTER_TO_UINT (g_hash_table_lookup (index, n->id)) - 1);
      else
        g_hash_table_insert (index, n->id, GUINT_TO_POINTER (i + 1));
      check_unit (&p, place, "capacity", n->capacity);
      check_unit (&p, place, "vulnerability", n->vulnerability);
      check_unit (&p, place, "fragmentation", n->fragmentation);
      check_unit (&p, place, "x0", n->x0);
      if (n->has_pos && !(isfinite (n->pos[0]) && isfinite (n->pos[1])))
        problems_add (&p, FIELD ("pos"), _("the position must be two finite numbers"));
#undef FIELD
    }

  edge_set_init (&edges_seen, model->edges->len);
  ends_source = g_new (guint, model->edges->len + 1);
  ends_target = g_new (guint, model->edges->len + 1);
  for (guint i = 0; i < model->edges->len; i++)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, i);
      char place[32];
      guint source = GPOINTER_TO_UINT (g_hash_table_lookup (index, e->source));
      guint target = GPOINTER_TO_UINT (g_hash_table_lookup (index, e->target));
      guint *seen;
      gboolean ends_ok = TRUE;

      indexed_place (place, "edges", i);
      if (source == 0)
        {
          g_autofree char *where = g_strconcat (place, ".source", NULL);
          problems_add (&p, where, _("no node \"%s\""), e->source);
          ends_ok = FALSE;
        }
      if (target == 0)
        {
          g_autofree char *where = g_strconcat (place, ".target", NULL);
          problems_add (&p, where, _("no node \"%s\""), e->target);
          ends_ok = FALSE;
        }
      if (ends_ok && strcmp (e->source, e->target) == 0)
        {
          problems_add (&p, place, _("joins \"%s\" to itself"), e->source);
          ends_ok = FALSE;
        }
      edges_ok &= ends_ok;
      ends_source[i] = source - 1;
      ends_target[i] = target - 1;
      seen = ends_ok ? edge_set_lookup (&edges_seen, e->kind, source - 1, target - 1) : NULL;
      if (seen != NULL && *seen != 0)
        {
          /* Translators: %s is "command line" or "partnership"; the quoted %s
             are government ids. */
          problems_add (&p, place, _("a second %s between \"%s\" and \"%s\" (also edges[%u])"),
                        e->kind == CD_EDGE_COMMAND ? _("command line") : _("partnership"),
                        e->source, e->target, *seen - 1);
          edges_ok = FALSE;
        }
      else if (seen != NULL)
        *seen = i + 1;

      if (e->kind == CD_EDGE_COMMAND)
        {
          if (!(e->weight > 0.0 && e->weight <= 1.0))
            {
              g_autofree char *where = g_strdup_printf ("%s.weight", place);
              g_autofree char *t = number_text (e->weight);
              problems_add (&p, where, _("%s is outside (0, 1]"), t);
            }
        }
      else
        {
          check_unit (&p, place, "interest", e->interest);
          check_unit (&p, place, "trust", e->trust);
          check_unit (&p, place, "info", e->info);
        }
    }
  /* Cycles are only meaningful once every edge joins two real nodes. */
  if (edges_ok)
    check_command_cycles (model, ends_source, ends_target, &p);
  edge_set_clear (&edges_seen);

  for (guint i = 0; i < model->events->len; i++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, i);
      g_autofree char *place = g_strdup_printf ("events[%u]", i);

      if (!(ev->onset >= 0.0))
        {
          g_autofree char *where = g_strdup_printf ("%s.onset", place);
          g_autofree char *t = number_text (ev->onset);
          problems_add (&p, where, _("%s is negative; an emergency starts at a time ≥ 0"), t);
        }
      if (!(ev->magnitude >= 0.0))
        {
          g_autofree char *where = g_strdup_printf ("%s.magnitude", place);
          g_autofree char *t = number_text (ev->magnitude);
          problems_add (&p, where, _("%s is negative"), t);
        }
      if (!(ev->decay > 0.0))
        {
          g_autofree char *where = g_strdup_printf ("%s.decay", place);
          g_autofree char *t = number_text (ev->decay);
          problems_add (&p, where, _("%s is not positive; the decay time must be > 0"), t);
        }
      for (guint k = 0; k < ev->impacts->len; k++)
        {
          const CdImpact *im = &g_array_index (ev->impacts, CdImpact, k);
          g_autofree char *where = NULL;

          if (g_hash_table_contains (index, im->node) && im->a >= 0.0 && im->a <= 1.0)
            continue;
          where = g_strdup_printf ("%s.impact.%s", place, im->node);
          if (!g_hash_table_contains (index, im->node))
            problems_add (&p, where, _("no node \"%s\""), im->node);
          check_unit (&p, where, NULL, im->a);
        }
    }

  check_interventions (&p, "interventions", model->interventions);

  for (guint i = 0; i < model->scenarios->len; i++)
    {
      const CdScenario *sc = g_ptr_array_index (model->scenarios, i);
      g_autofree char *place = g_strdup_printf ("scenarios[%u]", i);

      if (*sc->name == '\0')
        {
          g_autofree char *where = g_strdup_printf ("%s.name", place);
          problems_add (&p, where, _("a scenario needs a name"));
        }
      else if ((control = first_control (sc->name)) != 0)
        {
          g_autofree char *where = g_strdup_printf ("%s.name", place);
          problems_add (&p, where, _("a control character (U+%04X) in a scenario name; the "
                                     "name is how commands and the CSV refer to the scenario, "
                                     "so it must be printable text"), control);
        }
      for (guint k = 0; k < i; k++)
        if (strcmp (((CdScenario *) g_ptr_array_index (model->scenarios, k))->name,
                    sc->name) == 0)
          {
            g_autofree char *where = g_strdup_printf ("%s.name", place);
            problems_add (&p, where, _("duplicate scenario \"%s\" (also scenarios[%u])"),
                          sc->name, k);
          }
      for (guint k = 0; k < CD_N_PARAMS; k++)
        if (sc->param_set[k])
          {
            g_autofree char *where = g_strdup_printf ("%s.parameters.%s", place,
                                                      cd_param_info (k)->path);
            check_param_value (&p, where, k, sc->param_value[k]);
          }
      if (sc->interventions)
        {
          g_autofree char *where = g_strdup_printf ("%s.interventions", place);
          check_interventions (&p, where, sc->interventions);
        }
    }

  for (guint i = 0; i < model->ranges->len; i++)
    {
      const CdRange *rg = &g_array_index (model->ranges, CdRange, i);
      g_autofree char *place = g_strdup_printf ("ranges.%s", cd_param_info (rg->param)->path);

      if (!cd_param_value_in_range (rg->param, rg->min)
          || !cd_param_value_in_range (rg->param, rg->max))
        problems_add (&p, place, _("min and max must lie within %s"),
                      cd_param_range_text (rg->param));
      else if (!(rg->min <= rg->max))
        problems_add (&p, place, _("min is greater than max"));
      else if (rg->dist == CD_DIST_TRIANGULAR && !(rg->mode >= rg->min && rg->mode <= rg->max))
        problems_add (&p, place, _("mode must lie between min and max"));
      for (guint k = 0; k < i; k++)
        if (g_array_index (model->ranges, CdRange, k).param == rg->param)
          problems_add (&p, place, _("a second range for the same parameter"));
    }

  ok = problems_report (&p, error);
  g_string_free (p.text, TRUE);
  return ok;
}

/* ---- writing ---------------------------------------------------------------- */

const char *
cd_format_double_shortest (char   *buf,
                           double  value)
{
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];
      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, format, value);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }
  return buf;
}

typedef struct
{
  GString *out;
  int      indent;
} Writer;

static void
w_newline (Writer *w)
{
  g_string_append_c (w->out, '\n');
  for (int i = 0; i < w->indent; i++)
    g_string_append (w->out, "  ");
}

static void
w_string (Writer *w, const char *s)
{
  g_string_append_c (w->out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (w->out, "\\\""); break;
        case '\\': g_string_append (w->out, "\\\\"); break;
        case '\n': g_string_append (w->out, "\\n"); break;
        case '\r': g_string_append (w->out, "\\r"); break;
        case '\t': g_string_append (w->out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (w->out, "\\u%04x", *p);
          else
            g_string_append_c (w->out, (char) *p);
        }
    }
  g_string_append_c (w->out, '"');
}

static void
w_number (Writer *w, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_string_append (w->out, cd_format_double_shortest (buf, v));
}

/* Members: `first` tracks the comma; each member starts on its own line. */
static void
w_key (Writer *w, gboolean *first, const char *key)
{
  if (!*first)
    g_string_append_c (w->out, ',');
  *first = FALSE;
  w_newline (w);
  w_string (w, key);
  g_string_append (w->out, ": ");
}

static void
w_open (Writer *w, char c)
{
  g_string_append_c (w->out, c);
  w->indent++;
}

static void
w_close (Writer *w, char c, gboolean empty)
{
  w->indent--;
  if (!empty)
    w_newline (w);
  g_string_append_c (w->out, c);
}

static void
w_localized (Writer *w, gboolean *first, const char *key, const GArray *names)
{
  gboolean f = TRUE;

  if (names == NULL || names->len == 0)
    return;
  w_key (w, first, key);
  w_open (w, '{');
  for (guint i = 0; i < names->len; i++)
    {
      const CdLocalized *l = &g_array_index (names, CdLocalized, i);
      w_key (w, &f, l->lang);
      w_string (w, l->text);
    }
  w_close (w, '}', FALSE);
}

static void
w_parameters (Writer *w, const gboolean *set, const double *values, gboolean rule_set,
              CdRule rule)
{
  gboolean first = TRUE;

  w_open (w, '{');
  for (guint g = 0; g < CD_N_GROUPS; g++)
    {
      gboolean f = TRUE;
      gboolean any = g == CD_GROUP_DYNAMICS && rule_set;
      for (guint i = 0; i < CD_N_PARAMS; i++)
        any |= cd_param_info (i)->group == g && (set == NULL || set[i]);
      if (!any)
        continue;
      w_key (w, &first, cd_group_key (g));
      w_open (w, '{');
      for (guint i = 0; i < CD_N_PARAMS; i++)
        if (cd_param_info (i)->group == g && (set == NULL || set[i]))
          {
            w_key (w, &f, cd_param_info (i)->key);
            w_number (w, values[i]);
          }
      if (g == CD_GROUP_DYNAMICS && rule_set)
        {
          w_key (w, &f, "rule");
          w_string (w, cd_rule_to_string (rule));
        }
      w_close (w, '}', f);
    }
  w_close (w, '}', first);
}

static void
w_interventions (Writer *w, const GPtrArray *list)
{
  w_open (w, '[');
  for (guint i = 0; i < list->len; i++)
    {
      const CdIntervention *iv = g_ptr_array_index (list, i);
      gboolean f = TRUE, fs = TRUE;

      if (i > 0)
        g_string_append_c (w->out, ',');
      w_newline (w);
      w_open (w, '{');
      w_key (w, &f, "at");
      w_number (w, iv->at);
      w_key (w, &f, "set");
      w_open (w, '{');
      for (guint k = 0; k < iv->settings->len; k++)
        {
          const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
          w_key (w, &fs, cd_param_info (s->param)->path);
          w_number (w, s->value);
        }
      w_close (w, '}', fs);
      w_close (w, '}', FALSE);
    }
  w_close (w, ']', list->len == 0);
}

char *
cd_model_to_json (const CdModel *model,
                  gsize         *out_length)
{
  Writer w = { g_string_sized_new (4096 + 200 * model->nodes->len), 0 };
  gboolean first = TRUE;

  g_return_val_if_fail (model != NULL, NULL);

  w_open (&w, '{');
  w_key (&w, &first, "format");
  w_string (&w, CD_MODEL_FORMAT);
  w_key (&w, &first, "version");
  w_number (&w, CD_MODEL_VERSION);
  w_key (&w, &first, "name");
  w_string (&w, model->name);
  w_localized (&w, &first, "names", model->names);
  w_key (&w, &first, "description");
  w_string (&w, model->description);
  w_localized (&w, &first, "descriptions", model->descriptions);

  w_key (&w, &first, "parameters");
  w_parameters (&w, NULL, model->params.values, TRUE, model->params.rule);

  w_key (&w, &first, "simulation");
  {
    gboolean f = TRUE;
    w_open (&w, '{');
    w_key (&w, &f, "t_end");
    w_number (&w, model->sim.t_end);
    w_key (&w, &f, "dt");
    w_number (&w, model->sim.dt);
    w_key (&w, &f, "rtol");
    w_number (&w, model->sim.rtol);
    w_key (&w, &f, "atol");
    w_number (&w, model->sim.atol);
    w_close (&w, '}', FALSE);
  }

  /* One government or tie per line keeps large files diffable. */
  w_key (&w, &first, "nodes");
  w_open (&w, '[');
  for (guint i = 0; i < model->nodes->len; i++)
    {
      const CdNode *n = g_ptr_array_index (model->nodes, i);
      GString *o = w.out;

      if (i > 0)
        g_string_append_c (o, ',');
      w_newline (&w);
      g_string_append (o, "{ \"id\": ");
      w_string (&w, n->id);
      g_string_append (o, ", \"name\": ");
      w_string (&w, n->name);
      if (n->names->len > 0)
        {
          g_string_append (o, ", \"names\": {");
          for (guint k = 0; k < n->names->len; k++)
            {
              const CdLocalized *l = &g_array_index (n->names, CdLocalized, k);
              g_string_append (o, k ? ", " : " ");
              w_string (&w, l->lang);
              g_string_append (o, ": ");
              w_string (&w, l->text);
            }
          g_string_append (o, " }");
        }
      g_string_append (o, ", \"level\": ");
      w_string (&w, cd_level_to_string (n->level));
      g_string_append (o, ", \"capacity\": ");
      w_number (&w, n->capacity);
      g_string_append (o, ", \"vulnerability\": ");
      w_number (&w, n->vulnerability);
      g_string_append (o, ", \"fragmentation\": ");
      w_number (&w, n->fragmentation);
      g_string_append (o, ", \"x0\": ");
      w_number (&w, n->x0);
      g_string_append (o, n->fixed ? ", \"fixed\": true" : ", \"fixed\": false");
      if (n->has_pos)
        {
          g_string_append (o, ", \"pos\": [");
          w_number (&w, n->pos[0]);
          g_string_append (o, ", ");
          w_number (&w, n->pos[1]);
          g_string_append (o, "]");
        }
      g_string_append (o, " }");
    }
  w_close (&w, ']', model->nodes->len == 0);

  w_key (&w, &first, "edges");
  w_open (&w, '[');
  for (guint i = 0; i < model->edges->len; i++)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, i);
      GString *o = w.out;

      if (i > 0)
        g_string_append_c (o, ',');
      w_newline (&w);
      g_string_append (o, e->kind == CD_EDGE_COMMAND ? "{ \"kind\": \"command\", \"source\": "
                                                     : "{ \"kind\": \"partnership\", \"source\": ");
      w_string (&w, e->source);
      g_string_append (o, ", \"target\": ");
      w_string (&w, e->target);
      if (e->kind == CD_EDGE_COMMAND)
        {
          g_string_append (o, ", \"weight\": ");
          w_number (&w, e->weight);
        }
      else
        {
          g_string_append (o, ", \"interest\": ");
          w_number (&w, e->interest);
          g_string_append (o, ", \"trust\": ");
          w_number (&w, e->trust);
          g_string_append (o, ", \"info\": ");
          w_number (&w, e->info);
        }
      g_string_append (o, " }");
    }
  w_close (&w, ']', model->edges->len == 0);

  w_key (&w, &first, "events");
  w_open (&w, '[');
  for (guint i = 0; i < model->events->len; i++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, i);
      gboolean f = TRUE, fi = TRUE;

      if (i > 0)
        g_string_append_c (w.out, ',');
      w_newline (&w);
      w_open (&w, '{');
      w_key (&w, &f, "name");
      w_string (&w, ev->name);
      w_localized (&w, &f, "names", ev->names);
      w_key (&w, &f, "onset");
      w_number (&w, ev->onset);
      w_key (&w, &f, "magnitude");
      w_number (&w, ev->magnitude);
      w_key (&w, &f, "decay");
      w_number (&w, ev->decay);
      w_key (&w, &f, "impact");
      w_open (&w, '{');
      for (guint k = 0; k < ev->impacts->len; k++)
        {
          const CdImpact *im = &g_array_index (ev->impacts, CdImpact, k);
          w_key (&w, &fi, im->node);
          w_number (&w, im->a);
        }
      w_close (&w, '}', fi);
      w_close (&w, '}', FALSE);
    }
  w_close (&w, ']', model->events->len == 0);

  w_key (&w, &first, "interventions");
  w_interventions (&w, model->interventions);

  if (model->scenarios->len > 0)
    {
      w_key (&w, &first, "scenarios");
      w_open (&w, '[');
      for (guint i = 0; i < model->scenarios->len; i++)
        {
          const CdScenario *sc = g_ptr_array_index (model->scenarios, i);
          gboolean f = TRUE;

          if (i > 0)
            g_string_append_c (w.out, ',');
          w_newline (&w);
          w_open (&w, '{');
          w_key (&w, &f, "name");
          w_string (&w, sc->name);
          w_localized (&w, &f, "names", sc->names);
          w_key (&w, &f, "description");
          w_string (&w, sc->description);
          w_key (&w, &f, "parameters");
          w_parameters (&w, sc->param_set, sc->param_value, sc->rule_set, sc->rule);
          if (sc->interventions)
            {
              w_key (&w, &f, "interventions");
              w_interventions (&w, sc->interventions);
            }
          w_close (&w, '}', FALSE);
        }
      w_close (&w, ']', FALSE);
    }

  if (model->ranges->len > 0)
    {
      gboolean f = TRUE;
      w_key (&w, &first, "ranges");
      w_open (&w, '{');
      for (guint i = 0; i < model->ranges->len; i++)
        {
          const CdRange *rg = &g_array_index (model->ranges, CdRange, i);
          gboolean fr = TRUE;
          w_key (&w, &f, cd_param_info (rg->param)->path);
          w_open (&w, '{');
          w_key (&w, &fr, "distribution");
          w_string (&w, rg->dist == CD_DIST_TRIANGULAR ? "triangular" : "uniform");
          w_key (&w, &fr, "min");
          w_number (&w, rg->min);
          w_key (&w, &fr, "max");
          w_number (&w, rg->max);
          if (rg->dist == CD_DIST_TRIANGULAR)
            {
              w_key (&w, &fr, "mode");
              w_number (&w, rg->mode);
            }
          w_close (&w, '}', FALSE);
        }
      w_close (&w, '}', FALSE);
    }

  w_close (&w, '}', FALSE);
  g_string_append_c (w.out, '\n');
  if (out_length)
    *out_length = w.out->len;
  return g_string_free (w.out, FALSE);
}

gboolean
cd_model_save_file (const CdModel *model,
                    const char    *path,
                    GError       **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (model != NULL && path != NULL, FALSE);

  data = cd_model_to_json (model, &length);
  /* Written to a temporary file in the same directory, flushed, then renamed
   * over the old one (cd-atomic-file.h): a failed or interrupted save leaves
   * the previous file as it was, its permissions kept and a symbolic link
   * to it still a link. */
  if (!cd_atomic_file_set_contents (path, data, length, &local_error))
    {
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO,
                   _("could not save %s; the previous file is unchanged (%s)"), path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
