/* cd-model-json.c — reading a model file: its text into a JSON tree, and the entry points.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

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

gboolean
cd_problems_report (CdProblems *p,
                    GError    **error)
{
  if (p->count == 0)
    return TRUE;
  if (p->count > CD_MODEL_MAX_ERRORS)
    g_string_append_printf (p->text, "\n… and %u more errors", p->count - CD_MODEL_MAX_ERRORS);
  g_set_error_literal (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID, p->text->str);
  return FALSE;
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

/* FALSE when the key [start, end) was already seen in the object at depth. */
static gboolean
note_key (KeySets    *keys,
          int         depth,
          const char *start,
          const char *end)
{
  if (keys->at[depth] == NULL)
    keys->at[depth] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return g_hash_table_add (keys->at[depth], g_strndup (start, (gsize) (end - start)));
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

static gboolean
scan_bytes (const char  *data,
            gsize        length,
            GError     **error)
{
  const char *end = NULL;
  guint line, column;
  int depth = 0;
  gboolean in_string = FALSE, expecting_key = FALSE, ok = TRUE;
  gboolean is_object[CD_MODEL_MAX_DEPTH + 1] = { FALSE };
  gsize opened_at[CD_MODEL_MAX_DEPTH + 1] = { 0 };
  gsize comma_at = G_MAXSIZE;   /* the last significant character, if a comma */
  const char *key_start = NULL;
  KeySets keys = { { NULL } };

  if (length > CD_MODEL_MAX_FILE_SIZE)
    {
      /* Rounded down, "the file is 256 MiB" would contradict the limit. */
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_TOO_LARGE,
                   _("the file is larger than %u MiB; larger models are refused"),
                   CD_MODEL_MAX_FILE_SIZE / (1024 * 1024));
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
                  for (int k = 2; k < 6 && wrong == NULL; k++)
                    if (i + k >= length || !g_ascii_isxdigit (data[i + k]))
                      wrong = _("\\u must be followed by four hexadecimal digits");
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
              if (key_start != NULL && !note_key (&keys, depth, key_start, data + i))
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
          i += n - 1;
          expecting_key = FALSE;
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
          depth = MAX (depth - 1, 0);
          expecting_key = FALSE;
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

  if (!scan_bytes (data, length, error))
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


/* Plain JSON (every file Coordyn writes) takes the strict parser; any
 * other input, and every error, the old path, so that what loads and what
 * each refusal says stay exactly as they were.  *strict says which read
 * it (the strict parser has checked the UTF-8 of every string). */
static CdJsonDoc *
parse_json (const char  *data,
            gsize        length,
            gboolean    *strict,
            GError     **error)
{
  CdJsonDoc *doc = NULL;

  if (length <= CD_MODEL_MAX_FILE_SIZE)
    doc = cd_json_parse_strict (data, length, CD_MODEL_MAX_DEPTH);
  *strict = doc != NULL;
  return doc != NULL ? doc : parse_with_json_glib (data, length, error);
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

CdModel *
cd_model_load_data (const char *data,
                    gsize       length,
                    GError    **error)
{
  g_autoptr(CdJsonDoc) doc = NULL;
  gboolean strict;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  doc = parse_json (data, length, &strict, error);
  if (doc == NULL)
    return NULL;
  return cd_model_read_doc (doc, strict, error);
}

CdModel *
cd_model_load_data_json_glib (const char *data,
                              gsize       length,
                              GError    **error)
{
  g_autoptr(CdJsonDoc) doc = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  doc = parse_with_json_glib (data, length, error);
  if (doc == NULL)
    return NULL;
  return cd_model_read_doc (doc, FALSE, error);
}

CdModel *
cd_model_load_file (const char *path,
                    GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  const char *contents;

  g_return_val_if_fail (path != NULL, NULL);

  /* Map rather than read, so that a huge file is refused by its size
   * before any of it is copied into memory. */
  mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  if (g_mapped_file_get_length (mapped) > CD_MODEL_MAX_FILE_SIZE)
    return cd_model_load_data ("", CD_MODEL_MAX_FILE_SIZE + (gsize) 1, error);

  /* An empty file maps to NULL. */
  contents = g_mapped_file_get_contents (mapped);
  return cd_model_load_data (contents ? contents : "", g_mapped_file_get_length (mapped), error);
}
