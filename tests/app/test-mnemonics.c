/* test-mnemonics.c — every Alt+letter in the app does one thing.
 *
 * A mnemonic that two visible controls share makes Alt+letter cycle
 * between them instead of acting, which a keyboard user cannot see
 * coming (Alt+R was both "Runs" and "Run Study" on the Monte Carlo pane).
 * This walks the real widgets, as built from the UI files and the code,
 * of the main window (every page and side-panel tab), of each menu and
 * popover, and of the dialogs, and fails naming both labels when two
 * controls that can be on screen together share a mnemonic.  Pages of a
 * stack are alternatives (one shows at a time); everything else in a
 * window, hidden or not, can show together.  Run once in English and
 * once with LANGUAGE=zh_CN, where the translations choose their own
 * letters.
 *
 * Needs a display (CI: xvfb-run -a meson test).  Without one it FAILS with
 * a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "cd-export-dialog.h"
#include "cd-fit-dialog.h"
#include "cd-locale.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdWindow *window;
static guint n_checked;

/* One mnemonic: its key, the label that carries it and its widget. */
typedef struct
{
  guint       keyval;
  const char *label;
  GtkWidget  *widget;
} Mnemonic;

static void check_root (GtkWidget *root, const char *where);

/* The key a label's text underlines, as GTK reads "_Run" or "运行(_R)". */
static guint
text_mnemonic (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (*p == '_')
      {
        if (p[1] == '_')
          {
            p++;
            continue;
          }
        if (p[1] != '\0')
          return gdk_keyval_to_lower (gdk_unicode_to_keyval (g_utf8_get_char (p + 1)));
      }
  return GDK_KEY_VoidSymbol;
}

/* Every mnemonic label under widget, except inside popovers, which are
 * checked on their own: their mnemonics work only while they are open,
 * and then nothing else's do. */
static void
collect (GtkWidget  *widget,
         GArray     *found,
         const char *where)
{
  if (GTK_IS_POPOVER (widget))
    {
      g_autofree char *inner = g_strdup_printf ("%s, a popover", where);
      check_root (widget, inner);
      return;
    }
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      Mnemonic m = { gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget))),
                     gtk_label_get_label (GTK_LABEL (widget)), widget };
      if (m.keyval != GDK_KEY_VoidSymbol && m.keyval != 0)
        g_array_append_val (found, m);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect (c, found, where);
}

/* Two controls can be on screen together unless they sit on different
 * pages of one stack: then their nearest common ancestor is that stack. */
static gboolean
can_show_together (GtkWidget *a,
                   GtkWidget *b)
{
  GtkWidget *common = a;

  while (common != NULL && !gtk_widget_is_ancestor (b, common))
    common = gtk_widget_get_parent (common);
  return !(GTK_IS_STACK (common) || ADW_IS_VIEW_STACK (common));
}

static void
check_set (GArray     *set,
           gboolean    by_widget,
           const char *where)
{
  for (guint i = 0; i < set->len; i++)
    {
      const Mnemonic *a = &g_array_index (set, Mnemonic, i);
      for (guint j = i + 1; j < set->len; j++)
        {
          const Mnemonic *b = &g_array_index (set, Mnemonic, j);
          if (a->keyval == b->keyval
              && (!by_widget || can_show_together (a->widget, b->widget)))
            {
              /* all of them, not only the first, so one run lists every fix */
              g_printerr ("%s: Alt+%s is both \"%s\" and \"%s\"\n", where,
                          gdk_keyval_name (a->keyval), a->label, b->label);
              g_test_fail ();
            }
        }
      n_checked++;
    }
}

static void
check_root (GtkWidget  *root,
            const char *where)
{
  g_autoptr (GArray) found = g_array_new (FALSE, FALSE, sizeof (Mnemonic));

  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect (c, found, where);
  check_set (found, TRUE, where);
}

/* A menu model's items, each level on its own (sections share their
 * level, a submenu is a level of its own). */
static void
collect_menu (GMenuModel *menu,
              GArray     *level,
              const char *where)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr (GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);

      if (section != NULL)
        collect_menu (section, level, where);
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        {
          Mnemonic m = { text_mnemonic (label), g_intern_string (label), NULL };
          if (m.keyval != GDK_KEY_VoidSymbol)
            g_array_append_val (level, m);
        }
      if (submenu != NULL)
        {
          g_autoptr (GArray) sub = g_array_new (FALSE, FALSE, sizeof (Mnemonic));
          collect_menu (submenu, sub, where);
          check_set (sub, FALSE, where);
        }
    }
}

static void
check_menus (GtkWidget  *root,
             const char *where)
{
  if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root)))
    {
      g_autoptr (GArray) level = g_array_new (FALSE, FALSE, sizeof (Mnemonic));
      g_autofree char *inner = g_strdup_printf ("%s, the menu of %s", where,
                                                gtk_widget_get_tooltip_text (root)
                                                ? gtk_widget_get_tooltip_text (root) : "a button");
      collect_menu (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root)), level, inner);
      check_set (level, FALSE, inner);
      return; /* its popover shows that same model */
    }
  if (GTK_IS_POPOVER_MENU (root) && gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (root)))
    {
      g_autoptr (GArray) level = g_array_new (FALSE, FALSE, sizeof (Mnemonic));
      collect_menu (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (root)), level, where);
      check_set (level, FALSE, where);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    check_menus (c, where);
}

static void
test_window (void)
{
  guint before = n_checked;

  check_root (GTK_WIDGET (window), "the main window");
  check_menus (GTK_WIDGET (window), "the main window");
  g_test_message ("%u mnemonics checked in the main window", n_checked - before);
  /* Run, Cancel, Reset All, the analyses' buttons: the walk must find
   * them, or it proves nothing. */
  g_assert_cmpuint (n_checked - before, >, 40);
}

static void
test_dialogs (void)
{
  GtkWidget *export = cd_export_dialog_new (GTK_WINDOW (window),
                                            cd_window_dup_export_snapshot (window));
  CdFitDialog *fit = cd_fit_dialog_new (GTK_WINDOW (window), cd_window_get_document (window));
  guint before = n_checked;

  gtk_window_present (GTK_WINDOW (export));
  cd_test_iterate (20);
  check_root (export, "Export Figure");
  check_menus (export, "Export Figure");
  gtk_window_destroy (GTK_WINDOW (export));
  gtk_window_present (GTK_WINDOW (fit));
  cd_test_iterate (20);
  check_root (GTK_WIDGET (fit), "Fit to Observed Data");
  check_menus (GTK_WIDGET (fit), "Fit to Observed Data");
  gtk_window_destroy (GTK_WINDOW (fit));
  g_test_message ("%u mnemonics checked in the dialogs", n_checked - before);
  g_assert_cmpuint (n_checked - before, >, 4);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* As the app does, so that LANGUAGE=zh_CN checks the Chinese letters. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/mnemonics"))
    return 1;
  window = cd_test_window_new (NULL, 1280, 720, NULL);
  cd_test_wait_for (cd_test_is_mapped, window, "the window to map");
  g_test_message ("language: %s", g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "default");
  /* The Chinese run must really be in Chinese, or it checks nothing new. */
  if (g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "zh"))
    g_assert_cmpstr (_("_Cancel"), !=, "_Cancel");

  g_test_add_func ("/app/mnemonics/window", test_window);
  g_test_add_func ("/app/mnemonics/dialogs", test_dialogs);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return status;
}
