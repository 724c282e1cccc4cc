/* cd-application.c — application life cycle (see cd-application.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-application.h"
#include "cd-autosave.h"
#include "cd-guide.h"
#include "cd-presentation.h"
#include "cd-window.h"

struct _CdApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CdApplication, cd_application, ADW_TYPE_APPLICATION)

/* Once per streak of failures (see CdAutosave::failed): the user should
 * know that a crash now would lose the changes, and can save them. */
static void
on_autosave_failed (CdAutosave   *autosave,
                    const GError *error,
                    CdWindow     *window)
{
  /* Translators: %s says where and why, e.g. "Failed to create file “…”: Permission denied" */
  g_autofree char *text = g_strdup_printf (_("Unsaved changes could not be autosaved: %s. "
                                             "Save them to keep them safe."), error->message);

  cd_window_show_warning (window, text);
}

static CdWindow *
new_window (CdApplication *self)
{
  CdWindow *window = cd_window_new (GTK_APPLICATION (self));
  CdAutosave *autosave = cd_autosave_new (cd_window_get_document (window), NULL);

  /* Unsaved changes are autosaved every minute; the autosave (and its file)
   * goes with the window when it is closed the normal way. */
  g_signal_connect_object (autosave, "failed", G_CALLBACK (on_autosave_failed), window, 0);
  g_object_set_data_full (G_OBJECT (window), "cd-autosave", autosave, g_object_unref);
  return window;
}

static gboolean
recover_into_window (CdModel    *recovered,
                     const char *original,
                     gpointer    user_data)
{
  CdWindow *window = new_window (CD_APPLICATION (user_data));
  g_autoptr(GError) error = NULL;

  if (!cd_autosave_restore (cd_window_get_document (window), recovered, original, &error))
    {
      g_message ("could not recover an autosave: %s", error->message);
      gtk_window_destroy (GTK_WINDOW (window));
      return FALSE;
    }
  /* Written again at once: the old autosave is removed when this returns. */
  if (!cd_autosave_save_now (g_object_get_data (G_OBJECT (window), "cd-autosave"), &error))
    g_message ("autosave failed: %s", error->message);
  gtk_window_present (GTK_WINDOW (window));
  return TRUE;
}

/* A fresh start opens the built-in example, already laid out and running,
 * so the first minute shows something alive. */
static void
cd_application_activate (GApplication *app)
{
  static gboolean recovery_offered;
  CdWindow *window = new_window (CD_APPLICATION (app));

  cd_window_open_builtin_example (window);
  gtk_window_present (GTK_WINDOW (window));
  /* What a crashed session left behind is offered once, at the first start. */
  if (!recovery_offered)
    {
      recovery_offered = TRUE;
      cd_autosave_offer_recovery (GTK_WINDOW (window), NULL, recover_into_window, app);
    }
}

static void
cd_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  for (int i = 0; i < n_files; i++)
    {
      CdWindow *window = new_window (CD_APPLICATION (app));
      gtk_window_present (GTK_WINDOW (window));
      cd_window_open_file (window, files[i]);
    }
}

static void
action_quit (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Each window asks about its own unsaved changes. */
  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
action_new_window (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  CdWindow *window = new_window (CD_APPLICATION (user_data));
  gtk_window_present (GTK_WINDOW (window));
}

static void
action_about (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *developers[] = { _("The Coordyn developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Coordyn"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Coordyn developers"),
                        "developers", developers,
                        "comments", _("Study why governments coordinate — or fail to — in "
                                      "cross-regional emergencies, through the four forces of "
                                      "gravity, pressure, thrust and resistance."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/coordyn/coordyn",
                        "issue-url", "https://github.com/coordyn/coordyn/issues",
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about), _("Built with"),
    (const char *[]) { "GTK https://gtk.org",
                       "libadwaita https://gnome.pages.gitlab.gnome.org/libadwaita/",
                       "GSL https://www.gnu.org/software/gsl/", "igraph https://igraph.org",
                       "JSON-GLib https://gitlab.gnome.org/GNOME/json-glib", NULL });
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_entries[] = {
  { "quit", action_quit },
  { "new-window", action_new_window },
  { "about", action_about },
};

static void
cd_application_startup (GApplication *app)
{
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.new", { "<Control>n", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Control><Shift>s", NULL } },
    { "win.export-figure", { "<Control>e", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
    { "win.delete", { "Delete", NULL } },
    { "win.select-all", { "<Control>a", NULL } },
    { "win.rename", { "F2", NULL } },
    { "win.play", { "space", NULL } },
    { "win.zoom-in", { "plus", "<Control>plus", NULL } },
    { "win.zoom-out", { "minus", "<Control>minus", NULL } },
    { "win.fit", { "0", "<Control>0", NULL } },
    { "win.layout::auto", { "<Control>l", NULL } },
    { "win.run", { "<Control>r", NULL } },
    { "win.fullscreen", { "F11", NULL } },
    { "win.tool::select", { "s", NULL } },
    { "win.tool::command", { "c", NULL } },
    { "win.tool::partnership", { "p", NULL } },
    { "win.tool::delete", { "x", NULL } },
    { "win.add-level::municipal", { "g", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  G_APPLICATION_CLASS (cd_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries, G_N_ELEMENTS (app_entries),
                                   app);
  cd_presentation_install_action (GTK_APPLICATION (app));
  cd_guide_install_action (GTK_APPLICATION (app));
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

static void
cd_application_class_init (CdApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = cd_application_activate;
  app_class->open = cd_application_open;
  app_class->startup = cd_application_startup;
}

static void
cd_application_init (CdApplication *self)
{
}

CdApplication *
cd_application_new (void)
{
  return g_object_new (CD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/coordyn/Coordyn",
                       NULL);
}
