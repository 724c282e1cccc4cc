/* cd-guide.c — the user guide window (see cd-guide.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "cd-guide.h"
#include "coordyn-resources.h"

#define GUIDE_PATH "/io/github/coordyn/Coordyn/guide/"

char *
cd_guide_dup_markup (const char * const *languages,
                     char              **out_lang,
                     GError            **error)
{
  const char *english[] = { "en", NULL };

  (void) coordyn_get_resource ();
  for (guint pass = 0; pass < 2; pass++)
    {
      const char * const *langs = pass == 0 && languages != NULL ? languages : english;

      for (guint k = 0; langs[k] != NULL; k++)
        {
          g_autofree char *path = NULL;
          g_autoptr (GBytes) bytes = NULL;
          gsize size;
          const char *data;

          /* "C" means no translation: English. */
          if (g_str_equal (langs[k], "C") || g_str_equal (langs[k], "POSIX"))
            break;
          path = g_strconcat (GUIDE_PATH, langs[k], ".markup", NULL);
          bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
          if (bytes == NULL)
            continue;
          data = g_bytes_get_data (bytes, &size);
          if (out_lang != NULL)
            *out_lang = g_strdup (langs[k]);
          return g_strndup (data, size);
        }
    }
  g_set_error (error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND,
               "%s", _("The user guide is missing from this build of Coordyn."));
  return NULL;
}

static GtkWindow *guide_window;

GtkWindow *
cd_guide_show (GtkWindow *parent)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *markup = NULL;
  GtkWidget *window, *box, *header, *scrolled, *clamp, *label;

  if (guide_window != NULL)
    {
      gtk_window_present (guide_window);
      return guide_window;
    }

  markup = cd_guide_dup_markup (g_get_language_names (), NULL, &error);
  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Coordyn User Guide"));
  gtk_window_set_default_size (GTK_WINDOW (window), 820, 760);
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), parent);
      if (gtk_window_get_application (parent) != NULL)
        gtk_window_set_application (GTK_WINDOW (window), gtk_window_get_application (parent));
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);

  label = gtk_label_new (NULL);
  if (markup != NULL)
    gtk_label_set_markup (GTK_LABEL (label), markup);
  else
    gtk_label_set_text (GTK_LABEL (label), error->message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  /* Not selectable: a selectable label takes the focus on opening and
   * shows the whole guide selected. */
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_set_margin_top (label, 24);
  gtk_widget_set_margin_bottom (label, 36);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);

  /* A readable measure: about 80 characters a line however wide the window. */
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), label);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);

  /* Escape closes it, like a dialog. */
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                        gtk_named_action_new ("window.close")));
    gtk_widget_add_controller (window, shortcuts);
  }

  guide_window = GTK_WINDOW (window);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &guide_window);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
action_guide (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  cd_guide_show (gtk_application_get_active_window (GTK_APPLICATION (user_data)));
}

void
cd_guide_install_action (GtkApplication *app)
{
  static const GActionEntry entries[] = {
    { "guide", action_guide },
  };
  static const char *const accels[] = { "F1", NULL };

  g_return_if_fail (GTK_IS_APPLICATION (app));
  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (app, "app.guide", accels);
}
