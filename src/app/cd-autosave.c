/* cd-autosave.c — periodic autosave of unsaved changes, and crash recovery.
 *
 * An autosave file wraps the model text in a small JSON envelope:
 *   { "format": "coordyn-autosave", "version": 1,
 *     "original": "file:///…/model.json" or null, "model": "<model JSON>" }
 * The model is kept as a string so that what is recovered is byte for byte
 * what was written, and read back with the same strict reader as any model
 * file.  The original is a URI because file names need not be UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cd-autosave.h"
#include "cd-model-json.h"

#define AUTOSAVE_FORMAT  "coordyn-autosave"
#define AUTOSAVE_VERSION 1
#define AUTOSAVE_SUFFIX  ".autosave.json"

struct _CdAutosave
{
  GObject     parent_instance;

  CdDocument *document;
  char       *path;
  guint       timer;
  gboolean    pending;    /* changes since the last autosave */
  gboolean    written;    /* the file exists */
  gboolean    failing;    /* the last attempt failed: ::failed was emitted */
};

G_DEFINE_FINAL_TYPE (CdAutosave, cd_autosave, G_TYPE_OBJECT)

enum
{
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
cd_autosave_default_dir (void)
{
  return g_build_filename (g_get_user_state_dir (), "coordyn", "autosave", NULL);
}

/* ---- writing ---------------------------------------------------------------- */

static char *
envelope (const CdModel *model,
          GFile         *original)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = cd_model_to_json (model, NULL);
  g_autofree char *uri = original ? g_file_get_uri (original) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, AUTOSAVE_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, AUTOSAVE_VERSION);
  json_builder_set_member_name (b, "original");
  if (uri)
    json_builder_add_string_value (b, uri);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
write_now (CdAutosave  *self,
           GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *data = NULL;

  if (!cd_document_get_dirty (self->document))
    {
      cd_autosave_discard (self);
      return TRUE;
    }
  if (self->written && !self->pending)
    return TRUE;

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the autosave folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  data = envelope (cd_document_get_model (self->document), cd_document_get_file (self->document));
  /* Atomic: a crash while writing leaves the previous autosave whole. */
  if (!g_file_set_contents_full (self->path, data, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return FALSE;
  self->written = TRUE;
  self->pending = FALSE;
  return TRUE;
}

gboolean
cd_autosave_save_now (CdAutosave  *self,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (CD_IS_AUTOSAVE (self), FALSE);

  if (write_now (self, &local_error))
    {
      self->failing = FALSE;
      return TRUE;
    }
  /* Told once per streak of failures: the same failure every minute would
   * be noise, but one that goes unnoticed loses work after a crash. */
  if (!self->failing)
    {
      self->failing = TRUE;
      g_signal_emit (self, signals[FAILED], 0, local_error);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

void
cd_autosave_discard (CdAutosave *self)
{
  g_return_if_fail (CD_IS_AUTOSAVE (self));

  if (g_unlink (self->path) != 0 && errno != ENOENT && errno != ENOTDIR)
    g_message ("could not remove the autosave %s: %s", self->path, g_strerror (errno));
  self->written = FALSE;
  self->pending = cd_document_get_dirty (self->document);
}

static gboolean
on_timer (gpointer data)
{
  CdAutosave *self = data;
  g_autoptr(GError) error = NULL;

  /* Not a dialog every minute: the first failure of a streak emits ::failed
   * (the window shows it); it is retried at the next tick. */
  if (!cd_autosave_save_now (self, &error))
    g_message ("autosave failed: %s", error->message);
  return G_SOURCE_CONTINUE;
}

static void
on_changed (CdDocument *document,
            guint       flags,
            CdAutosave *self)
{
  self->pending = TRUE;
}

static void
on_dirty (CdDocument *document,
          GParamSpec *pspec,
          CdAutosave *self)
{
  /* Saved (or undone back to what is on disk): nothing left to recover. */
  if (!cd_document_get_dirty (document))
    cd_autosave_discard (self);
}

const char *
cd_autosave_get_path (CdAutosave *self)
{
  g_return_val_if_fail (CD_IS_AUTOSAVE (self), NULL);
  return self->path;
}

static void
cd_autosave_dispose (GObject *object)
{
  CdAutosave *self = CD_AUTOSAVE (object);

  /* Disposed means closed the normal way (saved, or changes discarded by
   * the user); after a crash nothing runs and the file stays. */
  if (self->document)
    {
      cd_autosave_discard (self);
      g_signal_handlers_disconnect_by_data (self->document, self);
    }
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (cd_autosave_parent_class)->dispose (object);
}

static void
cd_autosave_finalize (GObject *object)
{
  CdAutosave *self = CD_AUTOSAVE (object);

  g_free (self->path);
  G_OBJECT_CLASS (cd_autosave_parent_class)->finalize (object);
}

static void
cd_autosave_class_init (CdAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_autosave_dispose;
  object_class->finalize = cd_autosave_finalize;

  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cd_autosave_init (CdAutosave *self)
{
}

CdAutosave *
cd_autosave_new (CdDocument *document,
                 const char *dir)
{
  static guint counter;
  CdAutosave *self;
  g_autofree char *default_dir = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), NULL);

  if (dir == NULL)
    dir = default_dir = cd_autosave_default_dir ();
  self = g_object_new (CD_TYPE_AUTOSAVE, NULL);
  self->document = g_object_ref (document);
  /* Unique per document and per session: time, a counter and chance. */
  name = g_strdup_printf ("%" G_GINT64_FORMAT "-%u-%08x" AUTOSAVE_SUFFIX,
                          g_get_real_time (), ++counter, g_random_int ());
  self->path = g_build_filename (dir, name, NULL);
  self->pending = cd_document_get_dirty (document);
  g_signal_connect (document, "changed", G_CALLBACK (on_changed), self);
  g_signal_connect (document, "notify::dirty", G_CALLBACK (on_dirty), self);
  self->timer = g_timeout_add_seconds (CD_AUTOSAVE_INTERVAL_SECONDS, on_timer, self);
  return self;
}

/* ---- reading ---------------------------------------------------------------- */

CdModel *
cd_autosave_read (const char  *path,
                  char       **out_original,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *model_node, *original_node;
  const char *text;
  CdModel *model;

  g_return_val_if_fail (path != NULL, NULL);

  if (!json_parser_load_from_mapped_file (parser, path, &local_error))
    {
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_SYNTAX,
                   _("The autosave “%s” is damaged: %s"), path, local_error->message);
      return NULL;
    }
  root = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
         ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  model_node = root ? json_object_get_member (root, "model") : NULL;
  original_node = root ? json_object_get_member (root, "original") : NULL;
  if (root == NULL
      || g_strcmp0 (json_object_get_string_member_with_default (root, "format", ""),
                    AUTOSAVE_FORMAT) != 0
      || json_object_get_int_member_with_default (root, "version", 0) != AUTOSAVE_VERSION
      || model_node == NULL || json_node_get_value_type (model_node) != G_TYPE_STRING)
    {
      g_set_error (error, CD_MODEL_ERROR, CD_MODEL_ERROR_INVALID,
                   _("“%s” is not a Coordyn autosave"), path);
      return NULL;
    }
  text = json_node_get_string (model_node);
  model = cd_model_load_data (text, strlen (text), &local_error);
  if (model == NULL)
    {
      g_set_error (error, CD_MODEL_ERROR, local_error->code,
                   _("The autosave “%s” holds a model that does not load: %s"), path,
                   local_error->message);
      return NULL;
    }
  if (out_original)
    *out_original = (original_node && JSON_NODE_HOLDS_VALUE (original_node)
                     && json_node_get_value_type (original_node) == G_TYPE_STRING)
                    ? g_strdup (json_node_get_string (original_node)) : NULL;
  return model;
}

void
cd_autosave_entry_free (CdAutosaveEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->path);
  g_free (entry->original);
  g_free (entry->title);
  g_free (entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const CdAutosaveEntry *x = *(CdAutosaveEntry *const *) a, *y = *(CdAutosaveEntry *const *) b;
  return x->modified < y->modified ? -1 : x->modified > y->modified;
}

GPtrArray *
cd_autosave_list (const char *dir)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cd_autosave_entry_free);
  g_autofree char *default_dir = NULL;
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (dir == NULL)
    dir = default_dir = cd_autosave_default_dir ();
  d = g_dir_open (dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(CdModel) model = NULL;
      CdAutosaveEntry *entry;
      GStatBuf st;

      /* Temporary files of an interrupted atomic write end otherwise. */
      if (!g_str_has_suffix (name, AUTOSAVE_SUFFIX))
        continue;
      path = g_build_filename (dir, name, NULL);
      entry = g_new0 (CdAutosaveEntry, 1);
      model = cd_autosave_read (path, &entry->original, NULL);
      /* A damaged autosave is still listed, so the user can be told. */
      entry->title = model ? g_strdup (cd_model_display_name (model)) : NULL;
      entry->modified = g_stat (path, &st) == 0 ? (gint64) st.st_mtime : 0;
      entry->path = g_steal_pointer (&path);
      g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

/* ---- recovering ------------------------------------------------------------- */

static gboolean
swap_in (CdModel  *model,
         gpointer  data,
         GError  **error)
{
  CdModel *recovered = data;
  CdModel tmp = *model;

  /* The document validates the result and keeps the old state for Undo. */
  *model = *recovered;
  *recovered = tmp;
  return TRUE;
}

gboolean
cd_autosave_restore (CdDocument *document,
                     CdModel    *recovered,
                     const char *original,
                     GError    **error)
{
  g_autoptr(CdModel) copy = NULL;
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (CD_IS_DOCUMENT (document), FALSE);
  g_return_val_if_fail (recovered != NULL, FALSE);

  if (original)
    file = g_file_new_for_uri (original);
  /* The file as it is on disk is the state Undo goes back to; if it is gone
   * or no longer loads, an empty model under its name. */
  if (file == NULL || !cd_document_load (document, file, NULL))
    cd_document_set_model (document, cd_model_new (), file);
  copy = cd_model_copy (recovered);
  return cd_document_apply (document, _("Recover Unsaved Changes"), NULL,
                            CD_CHANGE_REPLACED | CD_CHANGE_STRUCTURE, swap_in, copy, error);
}

typedef struct
{
  GPtrArray     *entries;
  CdRecoverFunc  recover;
  gpointer       user_data;
} Offer;

static void
offer_free (Offer *offer)
{
  g_ptr_array_unref (offer->entries);
  g_free (offer);
}

static void
on_offer_response (AdwMessageDialog *dialog,
                   const char       *response,
                   Offer            *offer)
{
  for (guint i = 0; i < offer->entries->len; i++)
    {
      CdAutosaveEntry *entry = offer->entries->pdata[i];

      if (g_strcmp0 (response, "discard") == 0)
        g_unlink (entry->path);
      else if (g_strcmp0 (response, "recover") == 0)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *original = NULL;
          g_autoptr(CdModel) model = cd_autosave_read (entry->path, &original, &error);

          /* A damaged autosave stays where it is, for a person to look at. */
          if (model == NULL)
            g_message ("%s", error->message);
          else if (offer->recover (model, original, offer->user_data))
            g_unlink (entry->path);
        }
      /* "later": keep them all for the next start. */
    }
  offer_free (offer);
}

gboolean
cd_autosave_offer_recovery (GtkWindow     *parent,
                            const char    *dir,
                            CdRecoverFunc  recover,
                            gpointer       user_data)
{
  g_autoptr(GPtrArray) entries = cd_autosave_list (dir);
  g_autoptr(GString) body = NULL;
  GtkWidget *dialog;
  Offer *offer;

  g_return_val_if_fail (recover != NULL, FALSE);

  if (entries->len == 0)
    return FALSE;

  body = g_string_new (g_dngettext (GETTEXT_PACKAGE,
                                    "Coordyn did not close normally, and a model had changes "
                                    "that were not saved:",
                                    "Coordyn did not close normally, and some models had "
                                    "changes that were not saved:", entries->len));
  for (guint i = 0; i < entries->len; i++)
    {
      CdAutosaveEntry *entry = entries->pdata[i];
      g_autoptr(GFile) file = entry->original ? g_file_new_for_uri (entry->original) : NULL;
      g_autofree char *where = file ? g_file_get_parse_name (file) : g_strdup (_("never saved"));
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (entry->modified);
      g_autofree char *time = when ? g_date_time_format (when, "%x %X") : g_strdup ("");

      g_string_append_printf (body, "\n• %s (%s, %s)",
                              entry->title ? entry->title : _("damaged autosave"), where, time);
    }

  dialog = adw_message_dialog_new (parent, _("Recover Unsaved Changes?"), body->str);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Not Now"),
                                    "discard", _("_Discard"),
                                    "recover", _("_Recover"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "recover",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "recover");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");

  offer = g_new0 (Offer, 1);
  offer->entries = g_steal_pointer (&entries);
  offer->recover = recover;
  offer->user_data = user_data;
  g_signal_connect (dialog, "response", G_CALLBACK (on_offer_response), offer);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}
