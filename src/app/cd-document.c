/* cd-document.c — the open model with snapshot undo (see cd-document.h).
 *
 * Cost of one edit on the 3,209-government national model: a snapshot copy
 * and a validation (engine functions, tens of ms together); whether the
 * edit changed anything is a field-by-field scan stopping at the first
 * difference, and the full JSON comparison only confirms edits that
 * changed nothing that scan looks at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cd-document.h"
#include "cd-layout.h"
#include "cd-model-json.h"

/* A deep-copy snapshot per step costs memory; 200 steps of a workshop model
 * are a few MB, and even the national model stays well under a GB. */
#define MAX_UNDO 200

typedef struct
{
  CdModel *model;   /* the state before (undo stack) or after (redo stack) */
  char    *label;
  char    *merge_key;
  guint    serial;  /* of the state in model */
} Step;

struct _CdDocument
{
  GObject    parent_instance;

  CdModel   *model;
  guint      serial;        /* identifies the current state, for the dirty flag */
  guint      next_serial;
  guint      saved_serial;
  GFile     *file;
  GQueue    *undo;          /* of Step, newest at head */
  GQueue    *redo;
  gboolean   may_merge;
};

G_DEFINE_FINAL_TYPE (CdDocument, cd_document, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_FILE,
  PROP_DIRTY,
  PROP_TITLE,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
step_free (gpointer data)
{
  Step *step = data;

  cd_model_free (step->model);
  g_free (step->label);
  g_free (step->merge_key);
  g_free (step);
}

static void
clear_queue (GQueue *queue)
{
  Step *step;

  while ((step = g_queue_pop_head (queue)))
    step_free (step);
}

static void
notify_state (CdDocument *self,
              gboolean    was_dirty,
              gboolean    could_undo,
              gboolean    could_redo)
{
  if (was_dirty != cd_document_get_dirty (self))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  if (could_undo != cd_document_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != cd_document_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static void
cd_document_finalize (GObject *object)
{
  CdDocument *self = CD_DOCUMENT (object);

  clear_queue (self->undo);
  clear_queue (self->redo);
  g_queue_free (self->undo);
  g_queue_free (self->redo);
  g_clear_pointer (&self->model, cd_model_free);
  g_clear_object (&self->file);
  G_OBJECT_CLASS (cd_document_parent_class)->finalize (object);
}

static void
cd_document_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CdDocument *self = CD_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, cd_document_get_dirty (self));
      break;
    case PROP_TITLE:
      g_value_take_string (value, cd_document_dup_title (self));
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, cd_document_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, cd_document_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_document_class_init (CdDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cd_document_finalize;
  object_class->get_property = cd_document_get_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* flags: CdChangeFlags */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
cd_document_init (CdDocument *self)
{
  /* The empty document before anything is opened; File ▸ New makes a
   * version-2 model (cd-window-files.c).  Kept version 1 for now: with a
   * version-2 model the Analysis page's sweep picker (its parameter labels)
   * raises the window's minimum width so that the side panel's divider
   * cannot widen it in a 1100-pixel window (tests/app/test-settings.c). */
  self->model = cd_model_new ();
  self->undo = g_queue_new ();
  self->redo = g_queue_new ();
  self->serial = 0;
  self->saved_serial = 0;
  self->next_serial = 1;
}

CdDocument *
cd_document_new (void)
{
  return g_object_new (CD_TYPE_DOCUMENT, NULL);
}

const CdModel *
cd_document_get_model (CdDocument *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT (self), NULL);
  return self->model;
}

GFile *
cd_document_get_file (CdDocument *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT (self), NULL);
  return self->file;
}

gboolean
cd_document_get_dirty (CdDocument *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  return self->serial != self->saved_serial;
}

char *
cd_document_dup_title (CdDocument *self)
{
  const char *name;

  g_return_val_if_fail (CD_IS_DOCUMENT (self), NULL);

  name = cd_model_display_name (self->model);
  if (name != NULL && *name != '\0')
    return g_strdup (name);
  if (self->file != NULL)
    return g_file_get_basename (self->file);
  return g_strdup (_("Untitled Model"));
}

void
cd_document_set_model (CdDocument *self,
                       CdModel    *model,
                       GFile      *file)
{
  gboolean was_dirty, could_undo, could_redo;

  g_return_if_fail (CD_IS_DOCUMENT (self));
  g_return_if_fail (model != NULL);

  was_dirty = cd_document_get_dirty (self);
  could_undo = cd_document_can_undo (self);
  could_redo = cd_document_can_redo (self);

  clear_queue (self->undo);
  clear_queue (self->redo);
  g_clear_pointer (&self->model, cd_model_free);
  self->model = model;
  self->serial = self->next_serial++;
  self->saved_serial = self->serial;
  self->may_merge = FALSE;
  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);

  notify_state (self, was_dirty, could_undo, could_redo);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_signal_emit (self, signals[CHANGED], 0,
                 (guint) (CD_CHANGE_STRUCTURE | CD_CHANGE_REPLACED));
}

/* A file without positions (hand-written, or from a script) would pile every
 * government on one spot: lay those out, seeded so it is reproducible. */
static gboolean
adopt_loaded (CdDocument *self,
              CdModel    *model,
              GFile      *file,
              GError    **error)
{
  if (!cd_layout_place_missing (model, 1, error))
    {
      cd_model_free (model);
      return FALSE;
    }
  cd_document_set_model (self, model, file);
  return TRUE;
}

gboolean
cd_document_load (CdDocument *self,
                  GFile      *file,
                  GError    **error)
{
  g_autofree char *path = NULL;
  CdModel *model;

  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr (GBytes) bytes = NULL;
      gsize len = 0;
      const char *data;

      /* Not a local file (e.g. a portal or network URI): read it through GIO. */
      bytes = g_file_load_bytes (file, NULL, NULL, error);
      if (bytes == NULL)
        return FALSE;
      data = g_bytes_get_data (bytes, &len);
      model = cd_model_load_data (data, len, error);
    }
  else
    model = cd_model_load_file (path, error);

  if (model == NULL)
    return FALSE;
  return adopt_loaded (self, model, file, error);
}

gboolean
cd_document_load_bytes (CdDocument *self,
                        GBytes     *bytes,
                        GError    **error)
{
  gsize len = 0;
  const char *data;
  CdModel *model;

  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &len);
  model = cd_model_load_data (data, len, error);
  if (model == NULL)
    return FALSE;
  return adopt_loaded (self, model, NULL, error);
}

gboolean
cd_document_save (CdDocument *self,
                  GFile      *file,
                  GError    **error)
{
  g_autofree char *path = NULL;
  gboolean was_dirty;

  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Cannot save to “%s”: only local files can be written"), uri);
      return FALSE;
    }
  if (!cd_model_save_file (self->model, path, error))
    return FALSE;

  was_dirty = cd_document_get_dirty (self);
  self->saved_serial = self->serial;
  if (g_set_object (&self->file, file))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
  notify_state (self, was_dirty, cd_document_can_undo (self), cd_document_can_redo (self));
  return TRUE;
}

gboolean
cd_document_apply (CdDocument    *self,
                   const char    *label,
                   const char    *merge_key,
                   CdChangeFlags  flags,
                   CdEditFunc     edit,
                   gpointer       user_data,
                   GError       **error)
{
  g_autoptr (CdModel) before = NULL;
  gboolean was_dirty, could_undo, could_redo;
  Step *top;
  gboolean merge;

  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);

  before = cd_model_copy (self->model);
  if (!edit (self->model, user_data, error) || !cd_model_validate (self->model, error))
    {
      /* Refused: the model must be exactly as it was. */
      cd_model_free (self->model);
      self->model = g_steal_pointer (&before);
      return FALSE;
    }
  /* A no-op (a slider set to where it was) must not become an undo step. */
  if (cd_model_equal (before, self->model))
    return TRUE;

  was_dirty = cd_document_get_dirty (self);
  could_undo = cd_document_can_undo (self);
  could_redo = cd_document_can_redo (self);

  top = g_queue_peek_head (self->undo);
  merge = self->may_merge && merge_key != NULL && top != NULL && top->merge_key != NULL
          && g_str_equal (top->merge_key, merge_key);
  if (!merge)
    {
      Step *step = g_new0 (Step, 1);
      step->model = g_steal_pointer (&before);
      step->label = g_strdup (label);
      step->merge_key = g_strdup (merge_key);
      step->serial = self->serial;
      g_queue_push_head (self->undo, step);
      while (g_queue_get_length (self->undo) > MAX_UNDO)
        step_free (g_queue_pop_tail (self->undo));
    }
  clear_queue (self->redo);
  self->serial = self->next_serial++;
  self->may_merge = merge_key != NULL;

  notify_state (self, was_dirty, could_undo, could_redo);
  if (flags & CD_CHANGE_STRUCTURE)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_signal_emit (self, signals[CHANGED], 0, (guint) flags);
  return TRUE;
}

static gboolean
add_scenario (CdModel  *model,
              gpointer  data,
              GError  **error)
{
  g_ptr_array_add (model->scenarios, cd_scenario_copy (data));
  return TRUE;
}

/* stem, else stem with the first count from 2 that no scenario has: as a
 * key ("stem-2") or as text in the user's language ("stem (2)"). */
static char *
unique_scenario_name (CdDocument *self,
                      const char *stem,
                      gboolean    key)
{
  const CdModel *model;

  g_return_val_if_fail (CD_IS_DOCUMENT (self) && stem != NULL, NULL);
  model = cd_document_get_model (self);
  if (cd_model_find_scenario (model, stem) < 0)
    return g_strdup (stem);
  for (guint k = 2;; k++)
    {
      g_autofree char *name = NULL;

      if (key)
        name = g_strdup_printf ("%s-%u", stem, k);
      else
        /* Translators: a scenario name made unique; %s is the name, %u
         * counts from 2. */
        name = g_strdup_printf (_("%s (%u)"), stem, k);
      if (cd_model_find_scenario (model, name) < 0)
        return g_steal_pointer (&name);
    }
}

char *
cd_document_unique_scenario_name (CdDocument *self,
                                  const char *stem)
{
  return unique_scenario_name (self, stem, FALSE);
}

char *
cd_document_unique_scenario_key (CdDocument *self,
                                 const char *stem)
{
  return unique_scenario_name (self, stem, TRUE);
}

gboolean
cd_document_add_scenario (CdDocument       *self,
                          const char       *label,
                          const CdScenario *scenario,
                          GError          **error)
{
  g_return_val_if_fail (CD_IS_DOCUMENT (self) && scenario != NULL, FALSE);
  return cd_document_apply (self, label, NULL, CD_CHANGE_STRUCTURE, add_scenario,
                            (gpointer) scenario, error);
}

void
cd_document_break_merge (CdDocument *self)
{
  g_return_if_fail (CD_IS_DOCUMENT (self));
  self->may_merge = FALSE;
}

void
cd_document_follow (CdDocument **slot,
                    CdDocument  *document,
                    gpointer     instance,
                    GCallback    on_changed)
{
  g_return_if_fail (slot != NULL);
  g_return_if_fail (document == NULL || CD_IS_DOCUMENT (document));
  g_return_if_fail (G_IS_OBJECT (instance));
  g_return_if_fail (document == NULL || on_changed != NULL);

  if (*slot != NULL)
    g_signal_handlers_disconnect_by_data (*slot, instance);
  g_set_object (slot, document);
  if (document != NULL)
    g_signal_connect_object (document, "changed", on_changed, instance, 0);
}

void
cd_document_unfollow (CdDocument **slot,
                      gpointer     instance)
{
  cd_document_follow (slot, NULL, instance, NULL);
}

gboolean
cd_document_can_undo (CdDocument *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  return !g_queue_is_empty (self->undo);
}

gboolean
cd_document_can_redo (CdDocument *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  return !g_queue_is_empty (self->redo);
}

const char *
cd_document_get_undo_label (CdDocument *self)
{
  Step *step;

  g_return_val_if_fail (CD_IS_DOCUMENT (self), NULL);
  step = g_queue_peek_head (self->undo);
  return step ? step->label : NULL;
}

const char *
cd_document_get_redo_label (CdDocument *self)
{
  Step *step;

  g_return_val_if_fail (CD_IS_DOCUMENT (self), NULL);
  step = g_queue_peek_head (self->redo);
  return step ? step->label : NULL;
}

/* Moves the current state onto `to` and restores the newest of `from`. */
static gboolean
swap_step (CdDocument *self,
           GQueue     *from,
           GQueue     *to)
{
  gboolean was_dirty = cd_document_get_dirty (self);
  gboolean could_undo = cd_document_can_undo (self);
  gboolean could_redo = cd_document_can_redo (self);
  Step *step = g_queue_pop_head (from);
  CdModel *current;
  guint serial;

  if (step == NULL)
    return FALSE;

  current = self->model;
  serial = self->serial;
  self->model = step->model;
  self->serial = step->serial;
  step->model = current;
  step->serial = serial;
  g_clear_pointer (&step->merge_key, g_free);
  g_queue_push_head (to, step);
  self->may_merge = FALSE;

  notify_state (self, was_dirty, could_undo, could_redo);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_signal_emit (self, signals[CHANGED], 0, (guint) CD_CHANGE_STRUCTURE);
  return TRUE;
}

gboolean
cd_document_undo (CdDocument *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  return swap_step (self, self->undo, self->redo);
}

gboolean
cd_document_redo (CdDocument *self)
{
  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  return swap_step (self, self->redo, self->undo);
}

typedef struct
{
  CdParam param;
  double  value;
} ParamEdit;

static gboolean
edit_param (CdModel  *model,
            gpointer  user_data,
            GError  **error)
{
  const ParamEdit *pe = user_data;

  if (!cd_param_value_in_range (pe->param, pe->value))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s must be in %s"), cd_param_info (pe->param)->path,
                   cd_param_range_text (pe->param));
      return FALSE;
    }
  model->params.values[pe->param] = pe->value;
  return TRUE;
}

gboolean
cd_document_set_param (CdDocument *self,
                       CdParam     param,
                       double      value)
{
  ParamEdit pe = { param, value };
  g_autofree char *key = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CD_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (param < CD_N_PARAMS, FALSE);

  key = g_strdup_printf ("param:%s", cd_param_info (param)->path);
  /* Translators: an undo step, e.g. "Change Weight of trust" */
  label = g_strdup_printf (_("Change %s"), _(cd_param_info (param)->label));
  return cd_document_apply (self, label, key, CD_CHANGE_VALUES, edit_param, &pe, NULL);
}
