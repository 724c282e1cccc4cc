/* cd-settings.c — the app's preferences (see cd-settings.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-settings.h"

#define MAX_RECENT 10

struct _CdSettings
{
  GObject    parent_instance;

  GSettings *settings;
  gboolean   live_rerun;
  gboolean   show_force_glyphs;
  gboolean   show_flow_arrows;
  double     presentation_font_scale;
  char      *last_export_dir;
  GStrv      recent_files;
};

G_DEFINE_FINAL_TYPE (CdSettings, cd_settings, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LIVE_RERUN,
  PROP_SHOW_FORCE_GLYPHS,
  PROP_SHOW_FLOW_ARROWS,
  PROP_PRESENTATION_FONT_SCALE,
  PROP_LAST_EXPORT_DIR,
  PROP_RECENT_FILES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Each property is bound to the key of the same name. */
static const char *const bound_keys[] = {
  "live-rerun", "show-force-glyphs", "show-flow-arrows", "presentation-font-scale",
  "last-export-dir", "recent-files",
};

CdSettings *
cd_settings_get_default (void)
{
  static CdSettings *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, g_object_new (CD_TYPE_SETTINGS, NULL));
  return instance;
}

static void
set_boolean (CdSettings *self,
             gboolean   *field,
             gboolean    value,
             guint       prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

gboolean
cd_settings_get_live_rerun (CdSettings *self)
{
  g_return_val_if_fail (CD_IS_SETTINGS (self), TRUE);
  return self->live_rerun;
}

gboolean
cd_settings_get_show_force_glyphs (CdSettings *self)
{
  g_return_val_if_fail (CD_IS_SETTINGS (self), TRUE);
  return self->show_force_glyphs;
}

gboolean
cd_settings_get_show_flow_arrows (CdSettings *self)
{
  g_return_val_if_fail (CD_IS_SETTINGS (self), FALSE);
  return self->show_flow_arrows;
}

double
cd_settings_get_presentation_font_scale (CdSettings *self)
{
  g_return_val_if_fail (CD_IS_SETTINGS (self), 1.0);
  return self->presentation_font_scale;
}

const char *
cd_settings_get_last_export_dir (CdSettings *self)
{
  g_return_val_if_fail (CD_IS_SETTINGS (self), "");
  return self->last_export_dir != NULL ? self->last_export_dir : "";
}

void
cd_settings_set_last_export_dir (CdSettings *self,
                                 const char *uri)
{
  g_return_if_fail (CD_IS_SETTINGS (self));

  if (uri == NULL)
    uri = "";
  if (g_strcmp0 (self->last_export_dir, uri) == 0)
    return;
  g_free (self->last_export_dir);
  self->last_export_dir = g_strdup (uri);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_EXPORT_DIR]);
}

const char * const *
cd_settings_get_recent_files (CdSettings *self)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (CD_IS_SETTINGS (self), none);
  return self->recent_files != NULL ? (const char * const *) self->recent_files : none;
}

static void
set_recent_files (CdSettings         *self,
                  const char * const *uris)
{
  if (self->recent_files != NULL && uris != NULL
      && g_strv_equal ((const char * const *) self->recent_files, uris))
    return;
  g_strfreev (self->recent_files);
  self->recent_files = g_strdupv ((char **) uris);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECENT_FILES]);
}

void
cd_settings_add_recent_file (CdSettings *self,
                             const char *uri)
{
  const char * const *old;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) uris = NULL;
  guint n = 1;

  g_return_if_fail (CD_IS_SETTINGS (self));
  g_return_if_fail (uri != NULL);

  old = cd_settings_get_recent_files (self);
  g_strv_builder_add (builder, uri);
  for (guint k = 0; old[k] != NULL && n < MAX_RECENT; k++)
    if (!g_str_equal (old[k], uri))
      {
        g_strv_builder_add (builder, old[k]);
        n++;
      }
  uris = g_strv_builder_end (builder);
  set_recent_files (self, (const char * const *) uris);
}

/* ---- Windows ------------------------------------------------------------ */

/* Writes a pane's size only when the key's range allows it: while the
 * window is being laid out its panes measure 0. */
static GVariant *
size_in_range (const GValue       *value,
               const GVariantType *type,
               gpointer            user_data)
{
  GSettingsSchemaKey *key = user_data;
  g_autoptr (GVariant) variant = g_variant_ref_sink (g_variant_new_int32 (g_value_get_int (value)));

  if (!g_settings_schema_key_range_check (key, variant))
    return NULL;
  return g_steal_pointer (&variant);
}

static gboolean
size_from_variant (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_value_set_int (value, g_variant_get_int32 (variant));
  return TRUE;
}

void
cd_settings_bind_window (CdSettings *self,
                         GtkWindow  *window)
{
  /* Read once: a window must not jump when another one is resized. */
  const GSettingsBindFlags flags = G_SETTINGS_BIND_GET | G_SETTINGS_BIND_SET
                                   | G_SETTINGS_BIND_GET_NO_CHANGES;
  const char *const panes[] = { "sidebar-width", "timeseries-height" };
  g_autoptr (GSettingsSchema) schema = NULL;

  g_return_if_fail (CD_IS_SETTINGS (self));
  g_return_if_fail (GTK_IS_WINDOW (window));

  /* GTK keeps the default size at the size the window has when it is
   * neither maximized nor fullscreen: that is what is worth restoring. */
  g_settings_bind (self->settings, "window-width", window, "default-width", flags);
  g_settings_bind (self->settings, "window-height", window, "default-height", flags);
  g_settings_bind (self->settings, "window-maximized", window, "maximized", flags);

  g_object_get (self->settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (panes); i++)
    if (g_object_class_find_property (G_OBJECT_GET_CLASS (window), panes[i]) != NULL)
      g_settings_bind_with_mapping (self->settings, panes[i], window, panes[i], flags,
                                    size_from_variant, size_in_range,
                                    g_settings_schema_get_key (schema, panes[i]),
                                    (GDestroyNotify) g_settings_schema_key_unref);
}

/* ---- GObject ------------------------------------------------------------ */

static void
cd_settings_finalize (GObject *object)
{
  CdSettings *self = CD_SETTINGS (object);

  g_clear_object (&self->settings);
  g_free (self->last_export_dir);
  g_strfreev (self->recent_files);
  G_OBJECT_CLASS (cd_settings_parent_class)->finalize (object);
}

static void
cd_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CdSettings *self = CD_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_LIVE_RERUN:
      g_value_set_boolean (value, self->live_rerun);
      break;
    case PROP_SHOW_FORCE_GLYPHS:
      g_value_set_boolean (value, self->show_force_glyphs);
      break;
    case PROP_SHOW_FLOW_ARROWS:
      g_value_set_boolean (value, self->show_flow_arrows);
      break;
    case PROP_PRESENTATION_FONT_SCALE:
      g_value_set_double (value, self->presentation_font_scale);
      break;
    case PROP_LAST_EXPORT_DIR:
      g_value_set_string (value, cd_settings_get_last_export_dir (self));
      break;
    case PROP_RECENT_FILES:
      g_value_set_boxed (value, cd_settings_get_recent_files (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CdSettings *self = CD_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_LIVE_RERUN:
      set_boolean (self, &self->live_rerun, g_value_get_boolean (value), prop_id);
      break;
    case PROP_SHOW_FORCE_GLYPHS:
      set_boolean (self, &self->show_force_glyphs, g_value_get_boolean (value), prop_id);
      break;
    case PROP_SHOW_FLOW_ARROWS:
      set_boolean (self, &self->show_flow_arrows, g_value_get_boolean (value), prop_id);
      break;
    case PROP_PRESENTATION_FONT_SCALE:
      if (self->presentation_font_scale != g_value_get_double (value))
        {
          self->presentation_font_scale = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_LAST_EXPORT_DIR:
      cd_settings_set_last_export_dir (self, g_value_get_string (value));
      break;
    case PROP_RECENT_FILES:
      set_recent_files (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_settings_class_init (CdSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cd_settings_finalize;
  object_class->get_property = cd_settings_get_property;
  object_class->set_property = cd_settings_set_property;

  /* The defaults and ranges are the schema's: these come from it at once. */
  properties[PROP_LIVE_RERUN] =
    g_param_spec_boolean ("live-rerun", NULL, NULL, TRUE, flags);
  properties[PROP_SHOW_FORCE_GLYPHS] =
    g_param_spec_boolean ("show-force-glyphs", NULL, NULL, TRUE, flags);
  properties[PROP_SHOW_FLOW_ARROWS] =
    g_param_spec_boolean ("show-flow-arrows", NULL, NULL, FALSE, flags);
  properties[PROP_PRESENTATION_FONT_SCALE] =
    g_param_spec_double ("presentation-font-scale", NULL, NULL, 1.0, 4.0, 1.6, flags);
  properties[PROP_LAST_EXPORT_DIR] =
    g_param_spec_string ("last-export-dir", NULL, NULL, "", flags);
  properties[PROP_RECENT_FILES] =
    g_param_spec_boxed ("recent-files", NULL, NULL, G_TYPE_STRV, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cd_settings_init (CdSettings *self)
{
  self->settings = g_settings_new (APP_ID);
  for (guint i = 0; i < G_N_ELEMENTS (bound_keys); i++)
    g_settings_bind (self->settings, bound_keys[i], self, bound_keys[i],
                     G_SETTINGS_BIND_DEFAULT);
}
