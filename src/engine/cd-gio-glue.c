/* cd-gio-glue.c — the engine's calls into GIO and json-glib
 * (cd-gio-glue.h says why they are kept apart).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cd-gio-glue.h"
#include "cd-model-json.h"

gboolean
cd_cancelled (GCancellable  *cancellable,
              GError       **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* ---- json-glib's messages, in the user's words --------------------------- */

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

/* ---- json-glib's tree, copied --------------------------------------------- */

static const char *
copy_text (CdJsonDoc  *doc,
           const char *text)
{
  gsize len = strlen (text);
  char *copy = cd_json_doc_alloc (doc, len + 1, 1);

  memcpy (copy, text, len + 1);
  return copy;
}

static void
convert_node (CdJsonDoc   *doc,
              JsonNode    *node,
              CdJsonValue *out)
{
  out->len = 0;
  out->u.integer = 0;
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        guint n = json_object_get_size (object), i = 0;
        CdJsonMember *members = n ? cd_json_doc_alloc (doc, n * sizeof (CdJsonMember), 8) : NULL;
        JsonObjectIter iter;
        const char *key;
        JsonNode *value;

        json_object_iter_init_ordered (&iter, object);
        while (i < n && json_object_iter_next_ordered (&iter, &key, &value))
          {
            members[i].key = copy_text (doc, key);
            convert_node (doc, value, &members[i].value);
            i++;
          }
        out->kind = CD_JSON_OBJECT;
        out->len = i;
        out->u.members = members;
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        CdJsonValue *items = n ? cd_json_doc_alloc (doc, n * sizeof (CdJsonValue), 8) : NULL;

        for (guint i = 0; i < n; i++)
          convert_node (doc, json_array_get_element (array, i), &items[i]);
        out->kind = CD_JSON_ARRAY;
        out->len = n;
        out->u.items = items;
      }
      break;
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          {
            out->kind = CD_JSON_INT;
            out->u.integer = json_node_get_int (node);
          }
        else if (type == G_TYPE_DOUBLE)
          {
            out->kind = CD_JSON_DOUBLE;
            out->u.number = json_node_get_double (node);
          }
        else if (type == G_TYPE_BOOLEAN)
          {
            out->kind = CD_JSON_BOOLEAN;
            out->u.boolean = json_node_get_boolean (node);
          }
        else if (type == G_TYPE_STRING)
          {
            out->kind = CD_JSON_STRING;
            out->u.string = copy_text (doc, json_node_get_string (node));
          }
        else
          /* json-glib's parser makes no other values. */
          out->kind = CD_JSON_NULL;
      }
      break;
    case JSON_NODE_NULL:
    default:
      out->kind = CD_JSON_NULL;
      break;
    }
}

CdJsonDoc *
cd_json_parse_lenient (const char  *data,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  CdJsonDoc *doc;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_autofree char *msg = syntax_message (local_error->message);
      g_set_error_literal (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX, msg);
      return NULL;
    }
  doc = cd_json_doc_new ();
  root = json_parser_get_root (parser);
  if (root != NULL)
    convert_node (doc, root, cd_json_doc_take_root (doc));
  return doc;
}
