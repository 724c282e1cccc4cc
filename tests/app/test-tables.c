/* test-tables.c — the result tables show their words whole and legibly.
 *
 * On the Network metrics pane of the real window at 1280×720 (the Beijing–
 * Tianjin–Hebei example has brokers and isolated governments), for the
 * Role and Level columns: the width each word the table holds needs in
 * the cell's own font (measured with the cell's Pango context, so CJK
 * glyphs count at their width) is at most the width the column gives
 * the cell, no cell is ellipsized, and the cells lie inside the table's
 * scrolled pane as it first shows.  The Role words are coloured
 * (cd-mark-accent, cd-mark-warning): their colour as GTK computes it,
 * over the list's background, must reach WCAG AA (4.5:1) in the light
 * and the dark style.  Run once in English and once with LANGUAGE=zh_CN.
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

#include "cd-analysis-view.h"
#include "cd-locale.h"
#include "cd-palette.h"
#include "cd-result-table.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdWindow *window;
static CdAnalysisView *view;
static GtkColumnView *table;

static gboolean
finished (gpointer data)
{
  return !cd_analysis_view_get_running (view) && cd_analysis_view_get_n_finished (view) >= 1;
}

/* The labels of column `col` among the table's rows on screen: a cell is
 * a GtkColumnViewCell, the col-th child of its row. */
static void
collect_cells (GtkWidget *widget,
               guint      col,
               GPtrArray *out)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      if (g_strcmp0 (G_OBJECT_TYPE_NAME (c), "GtkColumnViewCell") == 0)
        {
          guint k = 0;
          GtkWidget *label = gtk_widget_get_first_child (c);

          for (GtkWidget *s = gtk_widget_get_prev_sibling (c); s != NULL;
               s = gtk_widget_get_prev_sibling (s))
            k++;
          if (k == col && GTK_IS_LABEL (label) && gtk_widget_get_mapped (label))
            g_ptr_array_add (out, label);
          continue;
        }
      collect_cells (c, col, out);
    }
}

/* Every distinct word of column `col` in the table's rows. */
static GPtrArray *
column_words (guint col)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (table));
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (CdTableRow) row = g_list_model_get_item (model, i);
      const char *text = cd_table_row_get_text (row, col);
      gboolean seen = FALSE;

      for (guint j = 0; text != NULL && j < words->len; j++)
        seen |= strcmp (g_ptr_array_index (words, j), text) == 0;
      if (text != NULL && *text != '\0' && !seen)
        g_ptr_array_add (words, g_strdup (text));
    }
  return words;
}

static guint
column_index (const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (table);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr (GtkColumnViewColumn) c = g_list_model_get_item (columns, i);
      if (g_strcmp0 (gtk_column_view_column_get_title (c), title) == 0)
        return i;
    }
  g_error ("the metrics table has no column “%s”", title);
}

/* Needed width ≤ allocated width, for every word of the column in every
 * cell of it on screen. */
static void
check_fits (const char *title,
            guint       least_words)
{
  guint col = column_index (title);
  g_autoptr (GPtrArray) cells = g_ptr_array_new ();
  g_autoptr (GPtrArray) words = column_words (col);
  int need = 0, have = G_MAXINT;

  collect_cells (GTK_WIDGET (table), col, cells);
  g_assert_cmpuint (cells->len, >=, 3);
  g_assert_cmpuint (words->len, >=, least_words);
  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (cells, i);
      int width = gtk_widget_get_width (label);

      for (guint j = 0; j < words->len; j++)
        {
          const char *word = g_ptr_array_index (words, j);
          g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (label, word);
          int w;

          pango_layout_get_pixel_size (layout, &w, NULL);
          if (w > width)
            g_error ("column “%s”: “%s” needs %d px, the cell has %d", title, word, w, width);
          need = MAX (need, w);
        }
      if (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))))
        g_error ("column “%s”: “%s” is cut", title, gtk_label_get_text (GTK_LABEL (label)));
      /* and the cell is inside the scrolled pane's view, not scrolled off
       * its right edge: the column was cut by the window at 1280×720 */
      {
        GtkWidget *pane = gtk_widget_get_ancestor (GTK_WIDGET (table), GTK_TYPE_SCROLLED_WINDOW);
        graphene_rect_t box;

        g_assert_true (gtk_widget_compute_bounds (label, pane, &box));
        if (box.origin.x < 0 || box.origin.x + box.size.width > gtk_widget_get_width (pane))
          g_error ("column “%s”: the cell spans x %.0f–%.0f, the pane shows 0–%d", title,
                   box.origin.x, box.origin.x + box.size.width, gtk_widget_get_width (pane));
      }
      have = MIN (have, width);
    }
  g_test_message ("column “%s”: %u words, the widest needs %d px, the cells have ≥ %d px "
                  "(%u cells on screen)", title, words->len, need, have, cells->len);
}

static void
test_fit (void)
{
  check_fits (_("Role"), 2);     /* broker and isolated */
  check_fits (_("Level"), 3);
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

/* A table wider than its pane scrolls sideways and keeps its names whole:
 * the name column, the only one whose cells ellipsize freely, gave way to
 * the numbers ("Central Gover…" in Network Metrics at 1280 × 720).  A name
 * longer than the cap is still cut, at the cap. */
static void
test_names_whole (void)
{
  const CdColumnSpec columns[] = {
    { "Government", CD_COLUMN_TEXT, 0, TRUE },
    { "A long number heading", CD_COLUMN_NUMBER, 3, FALSE },
    { "Another long number heading", CD_COLUMN_NUMBER, 3, FALSE },
    { "Yet another long number heading", CD_COLUMN_NUMBER, 3, FALSE },
  };
  const char *name = "Taihu Basin Authority";
  g_autofree char *very_long = g_strnfill (80, 'W');
  GtkWidget *win = gtk_window_new ();
  GtkWidget *scroll = gtk_scrolled_window_new ();
  GtkWidget *columns_view = gtk_column_view_new (NULL);
  GListStore *store;
  GtkWidget *label;

  store = cd_result_table_setup (GTK_COLUMN_VIEW (columns_view), columns, G_N_ELEMENTS (columns));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (CdTableRow) row = cd_table_row_new (i, G_N_ELEMENTS (columns));

      cd_table_row_set_text (row, 0, i == 0 ? name : very_long);
      for (guint c = 1; c < G_N_ELEMENTS (columns); c++)
        cd_table_row_set_number (row, c, 0.5);
      g_list_store_append (store, row);
    }
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), columns_view);
  gtk_window_set_child (GTK_WINDOW (win), scroll);
  gtk_window_set_default_size (GTK_WINDOW (win), 360, 200);
  gtk_window_present (GTK_WINDOW (win));
  cd_test_wait_for (cd_test_is_mapped, columns_view, "the table to map");
  cd_test_iterate (10);

  label = cd_test_find_widget_where (columns_view, is_label_with_text, name);
  g_assert_nonnull (label);
  g_test_message ("“%s”: %d px in a %d px pane", name, gtk_widget_get_width (label),
                  gtk_widget_get_width (scroll));
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
  label = cd_test_find_widget_where (columns_view, is_label_with_text, very_long);
  g_assert_nonnull (label);
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
  g_object_unref (store);
  gtk_window_destroy (GTK_WINDOW (win));
}

static CdColor
to_color (const GdkRGBA *c)
{
  return (CdColor) { c->red, c->green, c->blue, c->alpha };
}

/* Every coloured Role word on screen against the list's background. */
static double
check_marks (const char *scheme)
{
  guint col = column_index (_("Role"));
  g_autoptr (GPtrArray) cells = g_ptr_array_new ();
  double worst = 21;
  guint n = 0;

  collect_cells (GTK_WIDGET (table), col, cells);
  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (cells, i);
      GdkRGBA fg, bg;
      CdColor text, back;
      double ratio;

      if (!gtk_widget_has_css_class (label, "cd-mark-accent")
          && !gtk_widget_has_css_class (label, "cd-mark-warning"))
        continue;
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_get_color (gtk_widget_get_style_context (label), &fg);
      g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (label),
                                                     "view_bg_color", &bg));
      G_GNUC_END_IGNORE_DEPRECATIONS
      back = to_color (&bg);
      /* text drawn with alpha: what reaches the eye is its mix with the
       * background */
      text = cd_color_mix (back, to_color (&fg), fg.alpha);
      ratio = cd_color_contrast (text, back);
      {
        g_autofree char *t = cd_color_to_hex (text), *b = cd_color_to_hex (back);
        if (ratio < 4.5)
          g_error ("%s style: “%s” in %s on %s is %.2f:1, below WCAG AA", scheme,
                   gtk_label_get_text (GTK_LABEL (label)), t, b, ratio);
        g_test_message ("%s style: “%s” %s on %s %.2f:1", scheme,
                        gtk_label_get_text (GTK_LABEL (label)), t, b, ratio);
      }
      worst = MIN (worst, ratio);
      n++;
    }
  g_assert_cmpuint (n, >=, 2);
  return worst;
}

static void
test_contrast (void)
{
  AdwStyleManager *styles = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (styles, ADW_COLOR_SCHEME_FORCE_LIGHT);
  cd_test_iterate (20);
  check_marks ("light");
  adw_style_manager_set_color_scheme (styles, ADW_COLOR_SCHEME_FORCE_DARK);
  cd_test_iterate (20);
  check_marks ("dark");
  adw_style_manager_set_color_scheme (styles, ADW_COLOR_SCHEME_DEFAULT);
  cd_test_iterate (20);
}

static gboolean
page_shown (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (table))
         && !gtk_stack_get_transition_running (GTK_STACK (data));
}

int
main (int   argc,
      char *argv[])
{
  AdwViewStack *stack;
  GtkStack *pages;
  g_autofree char *png = NULL;
  int status;

  /* As the app does, so that LANGUAGE=zh_CN measures the Chinese words. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/tables"))
    return 1;
  if (g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "zh"))
    g_assert_cmpstr (_("isolated"), !=, "isolated");

  /* the app's stylesheet, which AdwApplication loads from the resource
   * base path; the test runs without the application */
  {
    g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (css, "/io/github/coordyn/Coordyn/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  window = cd_test_window_new (NULL, 1280, 720, "beijing-tianjin-hebei.json");
  cd_test_wait_for (cd_test_is_mapped, window, "the window to map");
  view = (CdAnalysisView *) cd_test_find_widget (GTK_WIDGET (window), CD_TYPE_ANALYSIS_VIEW);
  if (view == NULL)
    g_error ("the window has no Analysis page");
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (view), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "analysis");
  cd_test_wait_for (cd_test_is_mapped, view, "the Analysis page to map");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.run", "s", "metrics"));
  cd_test_wait_for (finished, NULL, "the metrics");
  table = cd_analysis_view_get_table (view, "metrics");
  g_assert_nonnull (table);
  pages = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (table), GTK_TYPE_STACK));
  gtk_stack_set_visible_child_name (pages, "metrics");
  cd_test_wait_for (page_shown, pages, "the metrics page to show");
  /* the marked rows first: isolated, then brokers (descending by Role) */
  {
    g_autoptr (GtkColumnViewColumn) role = g_list_model_get_item (
      gtk_column_view_get_columns (table), column_index (_("Role")));
    gtk_column_view_sort_by_column (table, role, GTK_SORT_DESCENDING);
  }
  png = g_strdup_printf ("tables-metrics-%s.png",
                         g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "default");
  g_object_unref (cd_test_snapshot (GTK_WIDGET (window), png));

  g_test_add_func ("/app/tables/fit", test_fit);
  g_test_add_func ("/app/tables/contrast", test_contrast);
  g_test_add_func ("/app/tables/names-whole", test_names_whole);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return status;
}
