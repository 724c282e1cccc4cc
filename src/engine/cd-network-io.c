/* cd-network-io.c — GraphML and CSV networks in and out (see cd-network-io.h).
 *
 * GraphML is read with libxml2 (its tree, with the line of every element
 * for messages) and written with its xmlTextWriter, never by hand.  Both
 * readers turn each node and edge into a list of (attribute, text, place)
 * and one function per kind of record applies the list through the field
 * table (cd-model-fields.h), so the two formats accept exactly the same
 * attributes and refuse the same values with the same words.
 *
 * GraphML written here is a directed graph in which every edge says its
 * kind: networkx refuses a graph that mixes directed and undirected edges,
 * and a partnership written as a directed edge with kind "partnership"
 * reads back as itself everywhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "cd-analysis.h"
#include "cd-csv.h"
#include "cd-csv-read.h"
#include "cd-file.h"
#include "cd-layout.h"
#include "cd-locale.h"
#include "cd-model-fields.h"
#include "cd-model-json.h"
#include "cd-network-io.h"

G_DEFINE_QUARK (cd-network-error-quark, cd_network_error)


#define MAX_FILE_BYTES ((gsize) 128 << 20)

#define MEMBER(type, object, offset) ((type *) (gpointer) ((char *) (object) + (offset)))

/* ---- one record's attributes ------------------------------------------------ */

typedef struct
{
  char *key;
  char *value;
  char *where;      /* "line 12" or "line 5, column 3 (capacity)" */
} Attr;

static void
attr_free (gpointer data)
{
  Attr *a = data;

  g_free (a->key);
  g_free (a->value);
  g_free (a->where);
  g_free (a);
}

static void
attrs_add (GPtrArray  *attrs,
           const char *key,
           const char *value,
           char       *where)
{
  Attr *a = g_new (Attr, 1);

  a->key = g_strdup (key);
  a->value = g_strstrip (g_strdup (value));
  a->where = where;
  g_ptr_array_add (attrs, a);
}

typedef struct
{
  const char            *place;     /* the file, for messages */
  const CdImportOptions *options;   /* &own */
  CdImportOptions        own;       /* version resolved: 1 or 2 */
  GHashTable            *ignored;   /* attribute names not taken, for the one warning */
} Importer;

/* What libxml2's error code means, in the user's language, for the
 * mistakes a file that is not GraphML, or is cut short or hand-edited,
 * makes; NULL for the rest. */
static const char *
xml_error_text (int code)
{
  switch (code)
    {
    case XML_ERR_DOCUMENT_EMPTY:
      return _("not XML: a GraphML file starts with <?xml or <graphml (is it a file of "
               "another kind?)");
    case XML_ERR_DOCUMENT_END:
      return _("more text after the end of the XML document");
    case XML_ERR_TAG_NOT_FINISHED:
    case XML_ERR_GT_REQUIRED:
    case XML_ERR_LTSLASH_REQUIRED:
      return _("the file ends, or the text breaks off, inside a tag (is the file cut "
               "short?)");
    case XML_ERR_TAG_NAME_MISMATCH:
      return _("a closing tag does not match the tag it should close");
    case XML_ERR_ENTITY_LOOP:
    case XML_ERR_ENTITY_BOUNDARY:
      return _("entities that expand without end or beyond a limit; GraphML needs none");
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
      return _("an entity that is not declared, such as &nbsp;; write & as &amp;");
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_INVALID_ENCODING:
      return _("a byte or character that is not allowed in XML text (is the file UTF-8?)");
    case XML_ERR_ATTRIBUTE_REDEFINED:
      return _("an attribute given twice in one tag");
    default:
      return NULL;
    }
}

static gboolean
fail (const Importer *im,
      GError        **error,
      const char     *where,
      const char     *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (const Importer *im,
      GError        **error,
      const char     *where,
      const char     *format,
      ...)
{
  g_autofree char *what = NULL;
  g_autofree char *inner = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  inner = where != NULL ? g_strdup_printf (C_("place: message", "%s: %s"), where, what)
                        : g_strdup (what);
  g_set_error (error, CD_NETWORK_ERROR, CD_NETWORK_ERROR_INVALID,
               C_("place: message", "%s: %s"), im->place, inner);
  return FALSE;
}

static gboolean
parse_boolean (const char *text,
               gboolean   *out)
{
  if (g_ascii_strcasecmp (text, "true") == 0 || strcmp (text, "1") == 0)
    *out = TRUE;
  else if (g_ascii_strcasecmp (text, "false") == 0 || strcmp (text, "0") == 0)
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* Whether XML 1.0 cannot hold u, not even as a character reference: a C0
 * control other than tab, line feed and carriage return, U+FFFE, U+FFFF. */
static gboolean
not_xml_char (gunichar u)
{
  return (u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0xFFFE || u == 0xFFFF;
}

/* The first character of text (UTF-8) that XML cannot hold, 0 if none.  A
 * CSV cell may hold one; a network that holds one could not be written as
 * GraphML. */
static gunichar
first_not_xml (const char *text)
{
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    if (not_xml_char (g_utf8_get_char (c)))
      return g_utf8_get_char (c);
  return 0;
}

/* A NUMBER or BOOLEAN field of the table, set from text. */
static gboolean
set_field (const Importer    *im,
           const CdFieldInfo *field,
           gpointer           object,
           const Attr        *a,
           GError           **error)
{
  double value;

  if (field->type == CD_FIELD_BOOLEAN)
    {
      gboolean b;

      if (!parse_boolean (a->value, &b))
        return fail (im, error, a->where, _("%s must be true or false, not \"%s\""), a->key,
                     a->value);
      *MEMBER (gboolean, object, field->offset) = b;
      return TRUE;
    }
  g_assert (field->type == CD_FIELD_NUMBER || field->type == CD_FIELD_OPTIONAL_NUMBER);
  if (!cd_csv_parse_number (a->value, &value))
    return fail (im, error, a->where, _("%s must be a number, not \"%s\""), a->key, a->value);
  if (!cd_field_value_in_range (field, value))
    return fail (im, error, a->where, _("%s is %s, outside %s"), a->key, a->value,
                 cd_field_range_text (field));
  cd_field_set_number (field, object, value);
  return TRUE;
}

static void
ignore (const Importer *im,
        const char     *key)
{
  if (!g_hash_table_contains (im->ignored, key))
    g_hash_table_add (im->ignored, g_strdup (key));
}

/* Whether the text of `key` (an id, name or label, at `where`) holds only
 * what XML can; else FALSE with the error. */
static gboolean
holds_only_xml (const Importer *im,
                const char     *key,
                const char     *text,
                const char     *where,
                GError        **error)
{
  gunichar bad = first_not_xml (text);

  if (bad == 0)
    return TRUE;
  fail (im, error, where,
        /* Translators: the first %s is a key (id, name or label); U+%04X a
         * character's code, such as U+0019. */
        _("%s holds the character U+%04X, which is not text (a control character or a "
          "noncharacter); remove it"), key, bad);
  return FALSE;
}

/* A node from its id (defined at `where`) and attributes. */
static CdNode *
make_node (const Importer *im,
           const char     *id,
           const char     *where,
           GPtrArray      *attrs,
           GError        **error)
{
  g_autoptr(CdNode) node = cd_node_new (id);
  int version = im->options->version;
  const char *label = NULL, *name = NULL;
  const Attr *x = NULL, *y = NULL, *fragmentation = NULL;
  gboolean ideas = FALSE, powers = FALSE;

  if (!holds_only_xml (im, "id", id, where, error))
    return NULL;
  for (guint i = 0; i < attrs->len; i++)
    {
      const Attr *a = g_ptr_array_index (attrs, i);
      const CdFieldInfo *field;

      if (a->value[0] == '\0')
        continue;   /* empty: the default */
      if ((strcmp (a->key, "name") == 0 || strcmp (a->key, "label") == 0)
          && !holds_only_xml (im, a->key, a->value, a->where, error))
        return NULL;
      if (strcmp (a->key, "name") == 0)
        name = a->value;
      else if (strcmp (a->key, "label") == 0)
        label = a->value;
      else if (strcmp (a->key, "x") == 0)
        x = a;
      else if (strcmp (a->key, "y") == 0)
        y = a;
      else if (strcmp (a->key, "id") == 0)
        continue;   /* the node's own id says it */
      else if (version >= 2 && strcmp (a->key, "fragmentation") == 0)
        fragmentation = a;   /* model 1's one number: both of model 2's, below */
      else if (strcmp (a->key, "level") == 0)
        {
          if (!cd_level_from_string (a->value, &node->level))
            {
              fail (im, error, a->where, _("\"%s\" is not a level; use central, provincial, "
                                           "municipal, county or other"), a->value);
              return NULL;
            }
        }
      else if ((field = cd_field_find (TRUE, a->key)) != NULL
               && cd_field_in_version (field, version)
               && (field->type == CD_FIELD_NUMBER || field->type == CD_FIELD_OPTIONAL_NUMBER
                   || field->type == CD_FIELD_BOOLEAN))
        {
          if (!set_field (im, field, node, a, error))
            return NULL;
          ideas |= strcmp (a->key, "fragmentation_ideas") == 0;
          powers |= strcmp (a->key, "fragmentation_powers") == 0;
        }
      else
        ignore (im, a->key);
    }
  /* docs/model.md, "Upgrade": f^I = f^P = f, unless the file says them. */
  if (fragmentation != NULL && (!ideas || !powers))
    {
      const CdFieldInfo *fi = cd_field_find (TRUE, "fragmentation_ideas");
      const CdFieldInfo *fp = cd_field_find (TRUE, "fragmentation_powers");
      Attr as_ideas = *fragmentation, as_powers = *fragmentation;

      if ((!ideas && !set_field (im, fi, node, &as_ideas, error))
          || (!powers && !set_field (im, fp, node, &as_powers, error)))
        return NULL;
    }
  g_free (node->name);
  node->name = g_strdup (name != NULL ? name : label != NULL ? label : id);
  if ((x == NULL) != (y == NULL))
    {
      fail (im, error, (x != NULL ? x : y)->where,
            _("a position needs both x and y; this government has only %s"),
            x != NULL ? "x" : "y");
      return NULL;
    }
  if (x != NULL)
    {
      if (!cd_csv_parse_number (x->value, &node->pos[0]))
        {
          fail (im, error, x->where, _("%s must be a number, not \"%s\""), "x", x->value);
          return NULL;
        }
      if (!cd_csv_parse_number (y->value, &node->pos[1]))
        {
          fail (im, error, y->where, _("%s must be a number, not \"%s\""), "y", y->value);
          return NULL;
        }
      node->has_pos = TRUE;
    }
  return g_steal_pointer (&node);
}

/* An edge from its ends and attributes; `directed` FALSE for an undirected
 * GraphML edge. */
static CdEdge *
make_edge (const Importer *im,
           const char     *source,
           const char     *target,
           gboolean        directed,
           GPtrArray      *attrs,
           GError        **error)
{
  CdEdgeKind kind = directed ? im->options->edge_kind : CD_EDGE_PARTNERSHIP;
  g_autoptr(CdEdge) edge = NULL;

  for (guint i = 0; i < attrs->len; i++)
    {
      const Attr *a = g_ptr_array_index (attrs, i);

      if (strcmp (a->key, "kind") != 0 || a->value[0] == '\0')
        continue;
      if (strcmp (a->value, "command") == 0)
        kind = CD_EDGE_COMMAND;
      else if (strcmp (a->value, "partnership") == 0)
        kind = CD_EDGE_PARTNERSHIP;
      else
        {
          fail (im, error, a->where, _("\"%s\" is not a kind of tie; use command or "
                                       "partnership"), a->value);
          return NULL;
        }
    }
  edge = cd_edge_new (kind, source, target);
  for (guint i = 0; i < attrs->len; i++)
    {
      const Attr *a = g_ptr_array_index (attrs, i);
      const CdFieldInfo *field;

      if (a->value[0] == '\0' || strcmp (a->key, "kind") == 0 || strcmp (a->key, "source") == 0
          || strcmp (a->key, "target") == 0 || strcmp (a->key, "id") == 0)
        continue;
      field = cd_field_find (FALSE, a->key);
      if (field == NULL || !cd_field_in_version (field, im->options->version)
          || (field->type != CD_FIELD_NUMBER && field->type != CD_FIELD_ROLE))
        {
          ignore (im, a->key);
          continue;
        }
      if (!cd_field_of_edge_kind (field, kind))
        {
          /* Gephi gives every edge a weight: on a partnership it means nothing. */
          g_autofree char *what = g_strdup_printf (kind == CD_EDGE_COMMAND
                                                   ? _("%s on a command line")
                                                   : _("%s on a partnership"), a->key);
          ignore (im, what);
          continue;
        }
      if (field->type == CD_FIELD_ROLE)
        {
          if (!cd_role_from_string (a->value, &edge->role))
            {
              fail (im, error, a->where, _("\"%s\" is not a role of a command line; use "
                                           "administrative or emergency"), a->value);
              return NULL;
            }
        }
      else if (!set_field (im, field, edge, a, error))
        return NULL;
    }
  return g_steal_pointer (&edge);
}

/* ---- the network as a whole ---------------------------------------------- */

typedef struct
{
  GHashTable *node_line;     /* id → where it was defined */
  GHashTable *edge_seen;     /* "kind\nA\nB" → where */
  GPtrArray  *edge_where;    /* where each edge of the model was, in order */
} Checks;

static gboolean
add_node (const Importer *im,
          CdModel        *model,
          Checks         *checks,
          CdNode         *node,
          const char     *where,
          GError        **error)
{
  const char *first = g_hash_table_lookup (checks->node_line, node->id);

  if (first != NULL)
    {
      fail (im, error, where, _("the government \"%s\" appears twice (first at %s)"), node->id,
            first);
      cd_node_free (node);
      return FALSE;
    }
  if (model->nodes->len >= 1000000)
    {
      cd_node_free (node);
      return fail (im, error, where, _("more than 1,000,000 governments"));
    }
  g_hash_table_insert (checks->node_line, g_strdup (node->id), g_strdup (where));
  g_ptr_array_add (model->nodes, node);
  return TRUE;
}

static gboolean
add_edge (const Importer *im,
          CdModel        *model,
          Checks         *checks,
          CdEdge         *edge,
          const char     *where,
          GError        **error)
{
  g_autoptr(CdEdge) owned = edge;
  g_autofree char *key = NULL;
  const char *a, *b, *first;

  for (guint end = 0; end < 2; end++)
    {
      const char *id = end == 0 ? edge->source : edge->target;
      if (!g_hash_table_contains (checks->node_line, id))
        return fail (im, error, where, end == 0
                     ? _("the tie's source \"%s\" is no government of the network")
                     : _("the tie's target \"%s\" is no government of the network"), id);
    }
  if (strcmp (edge->source, edge->target) == 0)
    return fail (im, error, where, _("a tie from \"%s\" to itself"), edge->source);
  /* A partnership has no direction: A–B and B–A are one. */
  a = edge->source;
  b = edge->target;
  if (edge->kind == CD_EDGE_PARTNERSHIP && strcmp (a, b) > 0)
    {
      a = edge->target;
      b = edge->source;
    }
  key = g_strdup_printf ("%d\n%s\n%s", edge->kind, a, b);
  first = g_hash_table_lookup (checks->edge_seen, key);
  if (first != NULL)
    return fail (im, error, where, edge->kind == CD_EDGE_COMMAND
                 ? _("a second command line from \"%s\" to \"%s\" (the first is at %s)")
                 : _("a second partnership between \"%s\" and \"%s\" (the first is at %s)"),
                 edge->source, edge->target, first);
  if (model->edges->len >= 10000000)
    return fail (im, error, where, _("more than 10,000,000 ties"));
  g_hash_table_insert (checks->edge_seen, g_steal_pointer (&key), g_strdup (where));
  g_ptr_array_add (checks->edge_where, g_strdup (where));
  g_ptr_array_add (model->edges, g_steal_pointer (&owned));
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      unused)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* What every import does once the records are in: the summary warning, the
 * model-wide checks (a command cycle), and a layout where positions lack. */
static CdModel *
finish_import (const Importer *im,
               CdModel        *model_in,
               const Checks   *checks,
               GPtrArray      *warnings,
               GError        **error)
{
  g_autoptr(CdModel) model = model_in;
  g_autoptr(GError) local_error = NULL;
  guint placed = 0;

  if (model->nodes->len == 0)
    {
      fail (im, error, NULL, _("no government in the network"));
      return NULL;
    }
  if (!cd_model_validate (model, &local_error))
    {
      /* The validator names "edges[N]" (a command cycle): say the line. */
      const char *at = strstr (local_error->message, "edges[");
      guint64 index = at != NULL ? g_ascii_strtoull (at + 6, NULL, 10) : G_MAXUINT64;

      if (index < checks->edge_where->len)
        {
          const char *rest = strchr (at, ']');
          fail (im, error, g_ptr_array_index (checks->edge_where, index), "%s",
                rest != NULL && rest[1] == ':' ? g_strchug ((char *) rest + 2)
                                               : local_error->message);
        }
      else
        fail (im, error, NULL, "%s", local_error->message);
      return NULL;
    }
  for (guint i = 0; i < model->nodes->len; i++)
    placed += ((CdNode *) g_ptr_array_index (model->nodes, i))->has_pos;
  if ((placed == 0 && !cd_layout_auto (model, im->options->layout_seed, &local_error))
      || (placed > 0 && placed < model->nodes->len
          && !cd_layout_place_missing (model, im->options->layout_seed, &local_error)))
    {
      fail (im, error, NULL, "%s", local_error->message);
      return NULL;
    }
  if (warnings != NULL && g_hash_table_size (im->ignored) > 0)
    {
      g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (im->ignored,
                                                                                    NULL);
      g_autofree char *list = NULL;

      g_qsort_with_data (keys, g_hash_table_size (im->ignored), sizeof (char *),
                         compare_strings, NULL);
      list = cd_locale_join_list (keys, g_hash_table_size (im->ignored), FALSE);
      g_ptr_array_add (warnings,
                       g_strdup_printf (_("%s: ignored what the model does not have: %s"),
                                        im->place, list));
    }
  return g_steal_pointer (&model);
}

static void
importer_init (Importer              *im,
               const char            *place,
               const CdImportOptions *options,
               const CdImportOptions *defaults)
{
  im->place = place;
  im->own = options != NULL ? *options : *defaults;
  if (im->own.version < CD_MODEL_VERSION_MIN || im->own.version > CD_MODEL_VERSION_LATEST)
    im->own.version = CD_MODEL_VERSION_LATEST;
  im->options = &im->own;
  im->ignored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
checks_init (Checks *c)
{
  c->node_line = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c->edge_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  c->edge_where = g_ptr_array_new_with_free_func (g_free);
}

static void
checks_clear (Checks *c)
{
  g_clear_pointer (&c->node_line, g_hash_table_unref);
  g_clear_pointer (&c->edge_seen, g_hash_table_unref);
  g_clear_pointer (&c->edge_where, g_ptr_array_unref);
}

static char *
model_name_from (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strdup (base);
}

/* ---- GraphML in ---------------------------------------------------------------- */

typedef struct
{
  char *name;
  char *domain;     /* "node", "edge", "graph", "all" */
  char *fallback;   /* <default>, or NULL */
} Key;

static void
key_free (gpointer data)
{
  Key *k = data;

  g_free (k->name);
  g_free (k->domain);
  g_free (k->fallback);
  g_free (k);
}

static gboolean
is_element (xmlNode    *n,
            const char *name)
{
  return n->type == XML_ELEMENT_NODE && strcmp ((const char *) n->name, name) == 0;
}

static char *
prop (xmlNode    *n,
      const char *name)
{
  xmlChar *v = xmlGetProp (n, (const xmlChar *) name);
  char *copy = v != NULL ? g_strdup ((const char *) v) : NULL;

  xmlFree (v);
  return copy;
}

/* An attribute that is an id (of a node, or an edge's end) as the CSV
 * reader reads one: without the spaces around it, so that both formats
 * read the same network from the same text, and what is exported (ids as
 * they are, a name that defaults to its id) imports again as itself. */
static char *
id_prop (xmlNode    *n,
         const char *name)
{
  char *v = prop (n, name);

  return v != NULL ? g_strstrip (v) : NULL;
}

static char *
text_of (xmlNode *n)
{
  xmlChar *v = xmlNodeGetContent (n);
  char *copy = g_strdup (v != NULL ? (const char *) v : "");

  xmlFree (v);
  return copy;
}

static char *
where_line (xmlNode *n)
{
  return g_strdup_printf (_("line %u"), (guint) xmlGetLineNo (n));
}

/* The attributes of a node or edge element: its <data>, then the keys'
 * defaults for those it lacks. */
static gboolean
element_attrs (const Importer *im,
               xmlNode        *element,
               GHashTable     *keys,
               const char     *domain,
               GPtrArray      *attrs,
               GError        **error)
{
  g_autoptr(GHashTable) given = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer id, value;

  for (xmlNode *d = element->children; d != NULL; d = d->next)
    {
      g_autofree char *key_id = NULL;
      g_autofree char *text = NULL;
      const Key *key;

      if (!is_element (d, "data"))
        continue;
      key_id = prop (d, "key");
      key = key_id != NULL ? g_hash_table_lookup (keys, key_id) : NULL;
      if (key == NULL)
        {
          g_autofree char *where = where_line (d);
          return fail (im, error, where, _("<data> names the key \"%s\", which no <key> "
                                           "declares"), key_id ? key_id : "");
        }
      text = text_of (d);
      attrs_add (attrs, key->name, text, where_line (d));
      g_hash_table_add (given, (gpointer) key->name);
    }
  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &id, &value))
    {
      const Key *key = value;

      if (key->fallback != NULL && !g_hash_table_contains (given, key->name)
          && (strcmp (key->domain, domain) == 0 || strcmp (key->domain, "all") == 0))
        attrs_add (attrs, key->name, key->fallback, where_line (element));
    }
  return TRUE;
}

static CdModel *
import_graphml_doc (Importer       *im,
                    int             asked_version,
                    xmlDoc         *doc,
                    GPtrArray      *warnings,
                    GError        **error)
{
  g_autoptr(CdModel) model = cd_model_new_version (im->options->version);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, key_free);
  xmlNode *root = xmlDocGetRootElement (doc), *graph = NULL;
  g_autofree char *edgedefault = NULL;
  gboolean default_directed;
  Checks checks;
  gboolean ok = TRUE;

  if (root == NULL || !is_element (root, "graphml"))
    {
      g_autofree char *where = root != NULL ? where_line (root) : NULL;
      fail (im, error, where, _("not GraphML: the document's root is not <graphml>"));
      return NULL;
    }
  for (xmlNode *n = root->children; n != NULL; n = n->next)
    {
      if (is_element (n, "key"))
        {
          Key *k = g_new0 (Key, 1);
          char *id = prop (n, "id");

          k->name = prop (n, "attr.name");
          k->domain = prop (n, "for");
          if (k->name == NULL)
            k->name = g_strdup (id != NULL ? id : "");
          if (k->domain == NULL)
            k->domain = g_strdup ("all");
          for (xmlNode *d = n->children; d != NULL; d = d->next)
            if (is_element (d, "default"))
              {
                /* Of several, the last (as for the graph's name). */
                g_free (k->fallback);
                k->fallback = text_of (d);
              }
          if (id == NULL)
            {
              g_autofree char *where = where_line (n);
              key_free (k);
              fail (im, error, where, _("a <key> without an id"));
              return NULL;
            }
          g_hash_table_replace (keys, id, k);
        }
      else if (is_element (n, "graph") && graph == NULL)
        graph = n;
    }
  if (graph == NULL)
    {
      g_autofree char *where = where_line (root);
      fail (im, error, where, _("no <graph> in the file"));
      return NULL;
    }
  edgedefault = prop (graph, "edgedefault");
  default_directed = edgedefault == NULL || strcmp (edgedefault, "undirected") != 0;

  /* The model version the file was exported from, unless told otherwise. */
  if (asked_version == 0)
    for (xmlNode *n = graph->children; n != NULL; n = n->next)
      if (is_element (n, "data"))
        {
          g_autofree char *key_id = prop (n, "key");
          const Key *key = key_id != NULL ? g_hash_table_lookup (keys, key_id) : NULL;
          g_autofree char *text = NULL;

          if (key == NULL || strcmp (key->name, "version") != 0)
            continue;
          text = g_strstrip (text_of (n));
          if (strcmp (text, "1") == 0 || strcmp (text, "2") == 0)
            im->own.version = text[0] - '0';
          else
            {
              g_autofree char *where = where_line (n);
              fail (im, error, where, _("version %s: Coordyn knows model versions 1 and 2"),
                    text);
              return NULL;
            }
        }
  g_clear_pointer (&model, cd_model_free);
  model = cd_model_new_version (im->options->version);

  g_free (model->name);
  model->name = NULL;
  checks_init (&checks);
  for (xmlNode *n = graph->children; n != NULL && ok; n = n->next)
    {
      g_autoptr(GPtrArray) attrs = g_ptr_array_new_with_free_func (attr_free);
      g_autofree char *where = NULL;

      if (n->type != XML_ELEMENT_NODE)
        continue;
      where = where_line (n);
      if (is_element (n, "data"))
        {
          g_autofree char *key_id = prop (n, "key");
          const Key *key = key_id != NULL ? g_hash_table_lookup (keys, key_id) : NULL;

          if (key != NULL && strcmp (key->name, "name") == 0)
            {
              /* Of several, the last. */
              g_free (model->name);
              model->name = text_of (n);
            }
          else if (key != NULL && strcmp (key->name, "version") != 0)
            ignore (im, key->name);
        }
      else if (is_element (n, "node"))
        {
          g_autofree char *id = id_prop (n, "id");
          CdNode *node;

          if (id == NULL || id[0] == '\0')
            ok = fail (im, error, where, _("a <node> without an id"));
          else if (!(ok = element_attrs (im, n, keys, "node", attrs, error)))
            ;
          else if ((node = make_node (im, id, where, attrs, error)) == NULL)
            ok = FALSE;
          else
            ok = add_node (im, model, &checks, node, where, error);
        }
      else if (is_element (n, "edge"))
        {
          g_autofree char *source = id_prop (n, "source");
          g_autofree char *target = id_prop (n, "target");
          g_autofree char *directed = prop (n, "directed");
          gboolean is_directed = directed != NULL ? strcmp (directed, "false") != 0
                                                  : default_directed;
          CdEdge *edge;

          if (source == NULL || target == NULL)
            ok = fail (im, error, where, _("an <edge> without a source or a target"));
          else if (!(ok = element_attrs (im, n, keys, "edge", attrs, error)))
            ;
          else if ((edge = make_edge (im, source, target, is_directed, attrs, error)) == NULL)
            ok = FALSE;
          else
            ok = add_edge (im, model, &checks, edge, where, error);
        }
      else if (is_element (n, "hyperedge"))
        ok = fail (im, error, where, _("a <hyperedge>: a tie joins exactly two governments"));
    }
  if (ok && model->name == NULL)
    model->name = g_strdup ("");
  if (ok)
    model = finish_import (im, g_steal_pointer (&model), &checks, warnings, error);
  checks_clear (&checks);
  return ok ? g_steal_pointer (&model) : NULL;
}

CdModel *
cd_network_import_graphml_data (const char            *data,
                                gsize                  length,
                                const char            *place,
                                const CdImportOptions *options,
                                GPtrArray             *warnings,
                                GError               **error)
{
  CdImportOptions defaults = CD_IMPORT_OPTIONS_INIT;
  Importer im;
  xmlParserCtxt *ctxt;
  xmlDoc *doc;
  CdModel *model = NULL;

  g_return_val_if_fail (data != NULL && place != NULL, NULL);

  importer_init (&im, place, options, &defaults);
  if (length > MAX_FILE_BYTES || length > G_MAXINT)
    {
      fail (&im, error, NULL, _("the file is larger than 128 MiB"));
      g_hash_table_unref (im.ignored);
      return NULL;
    }
  ctxt = xmlNewParserCtxt ();
  /* No network, no external entities, no DTD loading: a GraphML file is
   * data, and must not make the reader fetch or expand anything. */
  doc = xmlCtxtReadMemory (ctxt, data, (int) length, place, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  if (doc == NULL)
    {
      const xmlError *e = xmlCtxtGetLastError (ctxt);
      g_autofree char *where = g_strdup_printf (_("line %u"), e != NULL ? (guint) e->line : 0);
      /* libxml2 quotes the bytes it stopped at ("Couldn't find end of Start
       * Tag \xff…"), which need not be text: shown as U+FFFD. */
      g_autofree char *what = g_strstrip (g_utf8_make_valid (e != NULL && e->message != NULL
                                                             ? e->message : "", -1));
      const char *said = xml_error_text (e != NULL ? e->code : 0);
      g_autofree char *reason = NULL;
      g_autofree char *inner = NULL;

      /* libxml2's words are English: the common mistakes in the user's
       * language, libxml2's own for the rest */
      if (e != NULL && e->code == XML_ERR_TAG_NAME_MISMATCH && e->str1 != NULL
          && e->str2 != NULL)
        {
          g_autofree char *opened = g_utf8_make_valid (e->str1, -1);
          g_autofree char *closing = g_utf8_make_valid (e->str2, -1);

          /* Translators: e.g. "</grap> closes <graph> of line 3" */
          reason = g_strdup_printf (_("</%s> closes <%s> of line %d"), closing, opened,
                                    e->int1);
        }
      else if (said != NULL)
        reason = g_strdup (said);
      else if (what[0] != '\0')
        /* Translators: libxml2's own reason follows, in English. */
        reason = g_strdup_printf (_("not well-formed XML: %s"), what);
      else
        reason = g_strdup (_("not well-formed XML"));
      inner = g_strdup_printf (C_("place: message", "%s: %s"), where, reason);
      g_set_error (error, CD_NETWORK_ERROR, CD_NETWORK_ERROR_SYNTAX,
                   C_("place: message", "%s: %s"), place, inner);
    }
  else
    {
      model = import_graphml_doc (&im, options != NULL ? options->version : 0, doc, warnings,
                                  error);
      xmlFreeDoc (doc);
    }
  xmlFreeParserCtxt (ctxt);
  g_hash_table_unref (im.ignored);
  if (model != NULL && (model->name == NULL || model->name[0] == '\0'))
    {
      g_free (model->name);
      model->name = model_name_from (place);
    }
  return model;
}

CdModel *
cd_network_import_graphml (const char            *path,
                           const CdImportOptions *options,
                           GPtrArray             *warnings,
                           GError               **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *contents = NULL;
  gsize length = 0;

  /* Read, never mapped, and only a regular file (cd-file.h); as large as a
   * model file may be. */
  if (!cd_file_read_regular (path, CD_MODEL_MAX_FILE_SIZE, &contents, &length, &local_error))
    {
      g_set_error (error, CD_NETWORK_ERROR, CD_NETWORK_ERROR_FILE, "%s: %s", display,
                   local_error->message);
      return NULL;
    }
  return cd_network_import_graphml_data (contents, length, display, options, warnings, error);
}

/* ---- CSV in -------------------------------------------------------------------- */

/* The column named `name`, or G_MAXUINT. */
static guint
column_of (const CdCsvTable *table,
           const char       *name)
{
  const CdCsvRow *header = g_ptr_array_index (table->rows, 0);

  for (guint c = 0; c < header->n_cells; c++)
    if (strcmp (header->cells[c], name) == 0)
      return c;
  return G_MAXUINT;
}

static char *
where_cell (const CdCsvTable *table,
            guint             line,
            guint             col)
{
  const CdCsvRow *header = g_ptr_array_index (table->rows, 0);

  return g_strdup_printf (_("line %u, column %u (%s)"), line, col + 1, header->cells[col]);
}

static gboolean
check_header (const CdCsvTable *table,
              const char *const *required,
              GError          **error)
{
  const CdCsvRow *header = g_ptr_array_index (table->rows, 0);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint c = 0; c < header->n_cells; c++)
    {
      if (g_hash_table_contains (seen, header->cells[c]))
        {
          cd_csv_table_set_error (table, error, header->line, c, _("the column appears twice"));
          return FALSE;
        }
      g_hash_table_add (seen, header->cells[c]);
    }
  for (guint i = 0; required[i] != NULL; i++)
    if (!g_hash_table_contains (seen, required[i]))
      {
        cd_csv_table_set_error (table, error, header->line, G_MAXUINT,
                                _("no column %s; the first line must name it"), required[i]);
        return FALSE;
      }
  return TRUE;
}

static void
row_attrs (const CdCsvTable *table,
           const CdCsvRow   *row,
           GPtrArray        *attrs)
{
  const CdCsvRow *header = g_ptr_array_index (table->rows, 0);

  for (guint c = 0; c < row->n_cells; c++)
    attrs_add (attrs, header->cells[c], row->cells[c], where_cell (table, row->line, c));
}

/* The CSV errors are the table's (they carry its place); re-domain them. */
static void
as_network_error (GError **error)
{
  if (error != NULL && *error != NULL && (*error)->domain == CD_CSV_READ_ERROR)
    {
      (*error)->domain = CD_NETWORK_ERROR;
      (*error)->code = (*error)->code == CD_CSV_READ_ERROR_FILE ? CD_NETWORK_ERROR_FILE
                       : (*error)->code == CD_CSV_READ_ERROR_CONTENT ? CD_NETWORK_ERROR_INVALID
                       : CD_NETWORK_ERROR_SYNTAX;
    }
}

CdModel *
cd_network_import_csv (const char            *nodes_path,
                       const char            *edges_path,
                       const CdImportOptions *options,
                       GPtrArray             *warnings,
                       GError               **error)
{
  static const char *const node_required[] = { "id", NULL };
  static const char *const edge_required[] = { "source", "target", NULL };
  CdImportOptions defaults = CD_IMPORT_OPTIONS_INIT;
  g_autoptr(CdCsvTable) nodes = NULL;
  g_autoptr(CdCsvTable) edges = NULL;
  g_autoptr(CdModel) model = NULL;
  GHashTable *ignored;
  Importer im_nodes, im_edges;
  Checks checks;
  gboolean ok = TRUE;
  guint id_col, source_col, target_col;

  g_return_val_if_fail (nodes_path != NULL && edges_path != NULL, NULL);

  nodes = cd_csv_table_load_file (nodes_path, error);
  if (nodes == NULL || !check_header (nodes, node_required, error))
    {
      as_network_error (error);
      return NULL;
    }
  edges = cd_csv_table_load_file (edges_path, error);
  if (edges == NULL || !check_header (edges, edge_required, error))
    {
      as_network_error (error);
      return NULL;
    }

  importer_init (&im_nodes, nodes->place, options, &defaults);
  importer_init (&im_edges, edges->place, options, &defaults);
  /* One warning for both files: they are one network. */
  ignored = im_nodes.ignored;
  g_hash_table_unref (im_edges.ignored);
  im_edges.ignored = ignored;
  model = cd_model_new_version (im_nodes.options->version);
  g_free (model->name);
  model->name = model_name_from (nodes_path);
  checks_init (&checks);

  id_col = column_of (nodes, "id");
  for (guint r = 1; r < nodes->rows->len && ok; r++)
    {
      const CdCsvRow *row = g_ptr_array_index (nodes->rows, r);
      g_autoptr(GPtrArray) attrs = g_ptr_array_new_with_free_func (attr_free);
      g_autofree char *id = g_strstrip (g_strdup (row->cells[id_col]));
      g_autofree char *where = where_cell (nodes, row->line, id_col);
      CdNode *node;

      if (id[0] == '\0')
        {
          ok = fail (&im_nodes, error, where, _("the id is empty; every government needs one"));
          break;
        }
      row_attrs (nodes, row, attrs);
      node = make_node (&im_nodes, id, where, attrs, error);
      ok = node != NULL && add_node (&im_nodes, model, &checks, node, where, error);
    }
  source_col = column_of (edges, "source");
  target_col = column_of (edges, "target");
  for (guint r = 1; r < edges->rows->len && ok; r++)
    {
      const CdCsvRow *row = g_ptr_array_index (edges->rows, r);
      g_autoptr(GPtrArray) attrs = g_ptr_array_new_with_free_func (attr_free);
      g_autofree char *source = g_strstrip (g_strdup (row->cells[source_col]));
      g_autofree char *target = g_strstrip (g_strdup (row->cells[target_col]));
      g_autofree char *where = g_strdup_printf (_("line %u"), row->line);
      CdEdge *edge;

      row_attrs (edges, row, attrs);
      edge = make_edge (&im_edges, source, target, TRUE, attrs, error);
      ok = edge != NULL && add_edge (&im_edges, model, &checks, edge, where, error);
    }
  /* the summary names the nodes file: the pair is one network */
  if (ok)
    model = finish_import (&im_nodes, g_steal_pointer (&model), &checks, warnings, error);
  checks_clear (&checks);
  g_hash_table_unref (ignored);
  return ok ? g_steal_pointer (&model) : NULL;
}

/* ---- out ------------------------------------------------------------------------- */

static const char *
number_text (char   *buf,
             double  value)
{
  return cd_format_double_shortest (buf, value == 0.0 ? 0.0 : value);
}

/* The node fields written, in the table's order: numbers and booleans. */
static gboolean
exported_node_field (const CdModel     *model,
                     const CdFieldInfo *f)
{
  return cd_field_in_version (f, model->version)
         && (f->type == CD_FIELD_NUMBER || f->type == CD_FIELD_OPTIONAL_NUMBER
             || f->type == CD_FIELD_BOOLEAN);
}

static gboolean
exported_edge_field (const CdModel     *model,
                     const CdFieldInfo *f)
{
  return cd_field_in_version (f, model->version)
         && (f->type == CD_FIELD_NUMBER || f->type == CD_FIELD_ROLE);
}

/* A field's value as the file would write it; NULL for an optional number
 * left to its rule (appraisal), which is then not written. */
static const char *
field_text (const CdFieldInfo *f,
            gconstpointer      object,
            char              *buf)
{
  switch (f->type)
    {
    case CD_FIELD_BOOLEAN:
      return *MEMBER (const gboolean, object, f->offset) ? "true" : "false";
    case CD_FIELD_ROLE:
      return cd_role_to_string (*MEMBER (const CdCommandRole, object, f->offset));
    case CD_FIELD_OPTIONAL_NUMBER:
      if (!cd_field_is_set (f, object))
        return NULL;
      return number_text (buf, cd_field_get_number (f, object));
    default:
      return number_text (buf, cd_field_get_number (f, object));
    }
}

static const char *
key_type (const CdFieldInfo *f)
{
  return f->type == CD_FIELD_BOOLEAN ? "boolean" : f->type == CD_FIELD_ROLE ? "string" : "double";
}

/* Text as XML 1.0 can hold it: libxml2's writer escapes markup but writes
 * any character as it is, and a control character (which a name in a
 * model file may hold) would make a file no GraphML reader opens.  Each
 * character not_xml_char() refuses is written as U+FFFD. */
static char *
xml_text (const char *text)
{
  GString *out;

  if (first_not_xml (text) == 0)
    return g_strdup (text);
  out = g_string_new (NULL);
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);

      g_string_append_unichar (out, not_xml_char (u) ? 0xFFFD : u);
    }
  return g_string_free (out, FALSE);
}

static void
write_attribute (xmlTextWriter *w,
                 const char    *name,
                 const char    *value)
{
  g_autofree char *text = xml_text (value);

  xmlTextWriterWriteAttribute (w, BAD_CAST name, BAD_CAST text);
}

static void
write_key (xmlTextWriter *w,
           const char    *id,
           const char    *domain,
           const char    *name,
           const char    *type)
{
  xmlTextWriterStartElement (w, BAD_CAST "key");
  xmlTextWriterWriteAttribute (w, BAD_CAST "id", BAD_CAST id);
  xmlTextWriterWriteAttribute (w, BAD_CAST "for", BAD_CAST domain);
  xmlTextWriterWriteAttribute (w, BAD_CAST "attr.name", BAD_CAST name);
  xmlTextWriterWriteAttribute (w, BAD_CAST "attr.type", BAD_CAST type);
  xmlTextWriterEndElement (w);
}

static void
write_data (xmlTextWriter *w,
            const char    *key,
            const char    *text)
{
  g_autofree char *content = xml_text (text);

  xmlTextWriterStartElement (w, BAD_CAST "data");
  xmlTextWriterWriteAttribute (w, BAD_CAST "key", BAD_CAST key);
  xmlTextWriterWriteString (w, BAD_CAST content);
  xmlTextWriterEndElement (w);
}

char *
cd_network_to_graphml (const CdModel *model,
                       gsize         *length)
{
  xmlBuffer *buffer = xmlBufferCreate ();
  xmlTextWriter *w = xmlNewTextWriterMemory (buffer, 0);
  const CdFieldInfo *nf, *ef;
  guint n_nf, n_ef;
  char buf[G_ASCII_DTOSTR_BUF_SIZE], key[64];
  char *out;

  g_return_val_if_fail (model != NULL, NULL);

  nf = cd_node_fields (&n_nf);
  ef = cd_edge_fields (&n_ef);
  xmlTextWriterSetIndent (w, 1);
  xmlTextWriterSetIndentString (w, BAD_CAST "  ");
  xmlTextWriterStartDocument (w, "1.0", "UTF-8", NULL);
  xmlTextWriterStartElement (w, BAD_CAST "graphml");
  xmlTextWriterWriteAttribute (w, BAD_CAST "xmlns",
                               BAD_CAST "http://graphml.graphdrawing.org/xmlns");
  xmlTextWriterWriteAttribute (w, BAD_CAST "xmlns:xsi",
                               BAD_CAST "http://www.w3.org/2001/XMLSchema-instance");
  xmlTextWriterWriteAttribute (w, BAD_CAST "xsi:schemaLocation",
                               BAD_CAST "http://graphml.graphdrawing.org/xmlns "
                               "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd");
  write_key (w, "g_name", "graph", "name", "string");
  write_key (w, "g_version", "graph", "version", "int");
  write_key (w, "n_name", "node", "name", "string");
  /* Gephi and yEd show `label`: the same name, which import reads only
   * when there is no `name`. */
  write_key (w, "n_label", "node", "label", "string");
  write_key (w, "n_level", "node", "level", "string");
  for (guint i = 0; i < n_nf; i++)
    if (exported_node_field (model, &nf[i]))
      {
        g_snprintf (key, sizeof key, "n_%s", nf[i].key);
        write_key (w, key, "node", nf[i].key, key_type (&nf[i]));
      }
  write_key (w, "n_x", "node", "x", "double");
  write_key (w, "n_y", "node", "y", "double");
  write_key (w, "e_kind", "edge", "kind", "string");
  for (guint i = 0; i < n_ef; i++)
    if (exported_edge_field (model, &ef[i]))
      {
        g_snprintf (key, sizeof key, "e_%s", ef[i].key);
        write_key (w, key, "edge", ef[i].key, key_type (&ef[i]));
      }

  xmlTextWriterStartElement (w, BAD_CAST "graph");
  xmlTextWriterWriteAttribute (w, BAD_CAST "id", BAD_CAST "G");
  xmlTextWriterWriteAttribute (w, BAD_CAST "edgedefault", BAD_CAST "directed");
  write_data (w, "g_name", model->name != NULL ? model->name : "");
  write_data (w, "g_version", model->version >= 2 ? "2" : "1");
  for (guint n = 0; n < model->nodes->len; n++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, n);

      xmlTextWriterStartElement (w, BAD_CAST "node");
      write_attribute (w, "id", node->id);
      write_data (w, "n_name", node->name);
      write_data (w, "n_label", node->name);
      write_data (w, "n_level", cd_level_to_string (node->level));
      for (guint i = 0; i < n_nf; i++)
        {
          if (!exported_node_field (model, &nf[i]))
            continue;
          const char *text = field_text (&nf[i], node, buf);

          g_snprintf (key, sizeof key, "n_%s", nf[i].key);
          if (text != NULL)
            write_data (w, key, text);
        }
      if (node->has_pos)
        {
          write_data (w, "n_x", number_text (buf, node->pos[0]));
          write_data (w, "n_y", number_text (buf, node->pos[1]));
        }
      xmlTextWriterEndElement (w);
    }
  for (guint e = 0; e < model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);

      xmlTextWriterStartElement (w, BAD_CAST "edge");
      write_attribute (w, "source", edge->source);
      write_attribute (w, "target", edge->target);
      write_data (w, "e_kind", edge->kind == CD_EDGE_COMMAND ? "command" : "partnership");
      for (guint i = 0; i < n_ef; i++)
        {
          if (!exported_edge_field (model, &ef[i]) || !cd_field_of_edge_kind (&ef[i], edge->kind))
            continue;
          g_snprintf (key, sizeof key, "e_%s", ef[i].key);
          write_data (w, key, field_text (&ef[i], edge, buf));
        }
      xmlTextWriterEndElement (w);
    }
  xmlTextWriterEndElement (w);   /* graph */
  xmlTextWriterEndElement (w);   /* graphml */
  xmlTextWriterEndDocument (w);
  xmlFreeTextWriter (w);

  out = g_strndup ((const char *) xmlBufferContent (buffer), xmlBufferLength (buffer));
  if (length != NULL)
    *length = xmlBufferLength (buffer);
  xmlBufferFree (buffer);
  return out;
}

void
cd_network_to_csv (const CdModel *model,
                   char         **nodes_csv,
                   char         **edges_csv)
{
  GString *nodes = g_string_new ("id,name,level");
  GString *edges = g_string_new ("source,target,kind");
  const CdFieldInfo *nf, *ef;
  guint n_nf, n_ef;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (model != NULL && nodes_csv != NULL && edges_csv != NULL);

  nf = cd_node_fields (&n_nf);
  ef = cd_edge_fields (&n_ef);
  for (guint i = 0; i < n_nf; i++)
    if (exported_node_field (model, &nf[i]))
      g_string_append_printf (nodes, ",%s", nf[i].key);
  g_string_append (nodes, ",x,y\n");
  for (guint i = 0; i < n_ef; i++)
    if (exported_edge_field (model, &ef[i]))
      g_string_append_printf (edges, ",%s", ef[i].key);
  g_string_append_c (edges, '\n');

  for (guint n = 0; n < model->nodes->len; n++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, n);

      cd_csv_append_cell (nodes, node->id);
      g_string_append_c (nodes, ',');
      cd_csv_append_cell (nodes, node->name);
      g_string_append_printf (nodes, ",%s", cd_level_to_string (node->level));
      for (guint i = 0; i < n_nf; i++)
        {
          if (!exported_node_field (model, &nf[i]))
            continue;
          const char *text = field_text (&nf[i], node, buf);

          g_string_append_c (nodes, ',');
          if (text != NULL)
            g_string_append (nodes, text);
        }
      if (node->has_pos)
        {
          g_string_append_printf (nodes, ",%s", number_text (buf, node->pos[0]));
          g_string_append_printf (nodes, ",%s\n", number_text (buf, node->pos[1]));
        }
      else
        g_string_append (nodes, ",,\n");
    }
  for (guint e = 0; e < model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);

      cd_csv_append_cell (edges, edge->source);
      g_string_append_c (edges, ',');
      cd_csv_append_cell (edges, edge->target);
      g_string_append (edges, edge->kind == CD_EDGE_COMMAND ? ",command" : ",partnership");
      for (guint i = 0; i < n_ef; i++)
        {
          if (!exported_edge_field (model, &ef[i]))
            continue;
          g_string_append_c (edges, ',');
          if (cd_field_of_edge_kind (&ef[i], edge->kind))
            g_string_append (edges, field_text (&ef[i], edge, buf));
        }
      g_string_append_c (edges, '\n');
    }
  *nodes_csv = g_string_free (nodes, FALSE);
  *edges_csv = g_string_free (edges, FALSE);
}
