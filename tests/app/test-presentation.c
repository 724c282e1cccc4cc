/* test-presentation.c — presentation mode opened through app.presentation,
 * stepped through time and scenarios by its key actions, snapshotted in
 * light and dark, left with Escape's action; the user guide in both
 * languages; the About window's links.
 *
 * Needs a display (CI: xvfb-run -a meson test).  Without one it FAILS with
 * a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "cd-application.h"
#include "cd-guide.h"
#include "cd-presentation.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdApplication *app;
static CdWindow *window;
static CdPresentation *presentation;

static gboolean
window_ran (gpointer data)
{
  return cd_runner_get_run (cd_window_get_runner (window)) != NULL
         && !cd_runner_get_running (cd_window_get_runner (window));
}

static gboolean
presentation_ready (gpointer data)
{
  return cd_presentation_get_ready (presentation);
}

static gboolean
presentation_gone (gpointer data)
{
  return presentation == NULL;
}

static void
activate (const char *action,
          GVariant   *param)
{
  g_assert_nonnull (presentation);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (presentation), action, param));
}

static const CdModel *
model (void)
{
  return cd_document_get_model (cd_window_get_document (window));
}

static void
test_open (void)
{
  GList *windows;

  cd_test_wait_for (window_ran, NULL, "the window's first run");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "presentation"));
  /* F5 keeps the moment the facilitator was at. */
  cd_window_set_cursor_time (window, 12.5);
  g_action_group_activate_action (G_ACTION_GROUP (app), "presentation", NULL);
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  for (GList *l = windows; l != NULL; l = l->next)
    if (CD_IS_PRESENTATION (l->data))
      presentation = l->data;
  g_assert_nonnull (presentation);
  g_object_add_weak_pointer (G_OBJECT (presentation), (gpointer *) &presentation);
  cd_test_wait_for (presentation_ready, NULL, "the presentation's run");

  g_assert_cmpint (cd_presentation_get_scenario (presentation), ==, -1);
  g_assert_cmpstr (cd_presentation_get_scenario_text (presentation), ==, "Base model");
  g_assert_cmpstr (cd_presentation_get_time_text (presentation), ==, "t = 12.5");
  g_assert_cmpfloat_with_epsilon (cd_presentation_get_time (presentation), 12.5, 1e-9);
  activate ("presentation.time-start", NULL);
  g_assert_cmpstr (cd_presentation_get_time_text (presentation), ==, "t = 0.0");
  /* The window's run is reused for the base model, not recomputed. */
  g_assert_true (cd_presentation_get_run (presentation)
                 == cd_runner_get_run (cd_window_get_runner (window)));
  /* F5 is the presentation's key now, Run has Ctrl+R. */
  {
    g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    "app.presentation");
    g_assert_cmpstr (accels[0], ==, "F5");
  }
}

static void
test_time (void)
{
  double t_end = model ()->sim.t_end;
  g_autofree char *end_text = g_strdup_printf ("t = %.1f", t_end);

  g_assert_cmpfloat (t_end, >=, 10.0);   /* the example: steps of one time unit */
  activate ("presentation.step-time", g_variant_new_int32 (1));
  g_assert_cmpstr (cd_presentation_get_time_text (presentation), ==, "t = 1.0");
  activate ("presentation.step-time", g_variant_new_int32 (10));
  g_assert_cmpstr (cd_presentation_get_time_text (presentation), ==, "t = 11.0");
  activate ("presentation.step-time", g_variant_new_int32 (-1));
  g_assert_cmpfloat_with_epsilon (cd_presentation_get_time (presentation), 10.0, 1e-9);
  activate ("presentation.time-end", NULL);
  g_assert_cmpstr (cd_presentation_get_time_text (presentation), ==, end_text);
  /* Past the end stays at the end; before the start stays at 0. */
  activate ("presentation.step-time", g_variant_new_int32 (5));
  g_assert_cmpfloat_with_epsilon (cd_presentation_get_time (presentation), t_end, 1e-9);
  activate ("presentation.time-start", NULL);
  activate ("presentation.step-time", g_variant_new_int32 (-3));
  g_assert_cmpstr (cd_presentation_get_time_text (presentation), ==, "t = 0.0");
  activate ("presentation.step-time", g_variant_new_int32 (20));
  g_assert_cmpstr (cd_presentation_get_time_text (presentation), ==, "t = 20.0");
}

static double
final_mean (CdRun *run)
{
  return run->trajectory->mean_coordination[run->trajectory->n_samples - 1];
}

static void
test_scenarios (void)
{
  const CdModel *m = model ();
  CdRun *base = cd_presentation_get_run (presentation);
  CdRun *run;
  const CdScenario *sc;
  g_autoptr (CdModel) expected = NULL;

  g_assert_cmpuint (m->scenarios->len, >=, 2);   /* the example has two */
  activate ("presentation.scenario", g_variant_new_int32 (1));
  sc = g_ptr_array_index (m->scenarios, 0);
  g_assert_cmpint (cd_presentation_get_scenario (presentation), ==, 0);
  g_assert_cmpstr (cd_presentation_get_scenario_text (presentation), ==,
                   cd_localized_lookup (sc->names, sc->name));
  /* The time is kept across scenarios. */
  g_assert_cmpstr (cd_presentation_get_time_text (presentation), ==, "t = 20.0");
  cd_test_wait_for (presentation_ready, NULL, "the first scenario's run");
  run = cd_presentation_get_run (presentation);
  g_assert_true (run != base);
  expected = cd_model_apply_scenario (m, 0, NULL);
  g_assert_true (cd_model_equal (run->model, expected));
  g_assert_false (cd_model_equal (run->model, base->model));
  g_assert_true (isfinite (final_mean (run)));
  g_test_message ("final mean coordination: base %.4f, %s %.4f", final_mean (base), sc->name,
                  final_mean (run));
  g_assert_cmpfloat (fabs (final_mean (run) - final_mean (base)), >, 1e-6);

  /* Up from the base model wraps to the last scenario (a clicker has two
   * buttons), and Down from the last back to the base. */
  activate ("presentation.scenario", g_variant_new_int32 (-1));
  g_assert_cmpint (cd_presentation_get_scenario (presentation), ==, -1);
  g_assert_true (cd_presentation_get_run (presentation) == base);
  activate ("presentation.scenario", g_variant_new_int32 (-1));
  g_assert_cmpint (cd_presentation_get_scenario (presentation), ==,
                   (int) m->scenarios->len - 1);
  cd_test_wait_for (presentation_ready, NULL, "the last scenario's run");
  activate ("presentation.scenario", g_variant_new_int32 (1));
  g_assert_cmpint (cd_presentation_get_scenario (presentation), ==, -1);
  g_assert_cmpstr (cd_presentation_get_scenario_text (presentation), ==, "Base model");
}

static void
test_chart_and_node (void)
{
  int node = cd_presentation_get_node (presentation);
  guint n = model ()->nodes->len;

  g_assert_cmpint (node, >=, 0);
  g_assert_cmpint (cd_presentation_get_chart (presentation), ==, CD_PRESENTATION_CHART_FORCES);
  activate ("presentation.chart", NULL);
  g_assert_cmpint (cd_presentation_get_chart (presentation), ==,
                   CD_PRESENTATION_CHART_TIMESERIES);
  /* Choosing a government brings its forces back. */
  activate ("presentation.node", g_variant_new_int32 (1));
  g_assert_cmpint (cd_presentation_get_node (presentation), ==, (int) ((node + 1) % n));
  g_assert_cmpint (cd_presentation_get_chart (presentation), ==, CD_PRESENTATION_CHART_FORCES);
  activate ("presentation.node", g_variant_new_int32 (-1));
  g_assert_cmpint (cd_presentation_get_node (presentation), ==, node);
}

/* Renders the presentation as it is on screen, saves it into the build
 * folder and returns the pixel at (x, y) as 0xRRGGBB. */
static guint32
snapshot_png (const char *name,
              int         x,
              int         y)
{
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int w, h;
  guchar *p;

  texture = cd_test_snapshot (GTK_WIDGET (presentation), name);
  w = gdk_texture_get_width (texture);
  h = gdk_texture_get_height (texture);
  g_assert_cmpint (w, >, x);
  g_assert_cmpint (h, >, y);
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  /* GDK_MEMORY_DEFAULT: B, G, R, A in memory on little-endian machines. */
  p = pixels + ((gsize) y * w + x) * 4;
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
#else
  return (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
#endif
}

static void
test_snapshot_light_dark (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  guint32 light, dark;

  activate ("presentation.step-time", g_variant_new_int32 (0));
  cd_test_wait_for (presentation_ready, NULL, "the run");
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  light = snapshot_png ("presentation-light.png", 20, 12);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  dark = snapshot_png ("presentation-dark.png", 20, 12);
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("corner: light #%06x, dark #%06x", light, dark);
  /* The projector style: pure paper in the light, pure black in the dark. */
  g_assert_cmphex (light, ==, 0xffffff);
  g_assert_cmphex (dark, ==, 0x000000);
}

static void
test_leave (void)
{
  g_assert_nonnull (presentation);
  /* Escape's action. */
  activate ("presentation.leave", NULL);
  cd_test_wait_for (presentation_gone, NULL, "the presentation to close");
  g_assert_null (presentation);
  /* The editor is untouched. */
  g_assert_false (cd_document_get_dirty (cd_window_get_document (window)));
}

static void
test_guide_languages (void)
{
  const char *zh[] = { "zh_CN.UTF-8", "zh_CN", "zh", "C", NULL };
  const char *fr[] = { "fr_FR", "fr", "C", NULL };
  const char *terms[] = { "府际应急协同", "动力机制", "引力", "压力", "推力", "阻力",
                          "利益补偿", "信息共享", "绩效考核", "均衡点", "迟滞", NULL };
  g_autofree char *zh_markup = NULL;
  g_autofree char *en_markup = NULL;
  g_autofree char *zh_lang = NULL;
  g_autofree char *en_lang = NULL;
  g_autoptr (GError) error = NULL;

  zh_markup = cd_guide_dup_markup (zh, &zh_lang, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (zh_lang, ==, "zh_CN");
  en_markup = cd_guide_dup_markup (fr, &en_lang, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (en_lang, ==, "en");

  /* Both parse as Pango markup (a stray & would show the raw text). */
  g_assert_true (pango_parse_markup (zh_markup, -1, 0, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (pango_parse_markup (en_markup, -1, 0, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint k = 0; terms[k] != NULL; k++)
    if (strstr (zh_markup, terms[k]) == NULL)
      g_error ("the Chinese guide does not use the term %s", terms[k]);
  /* It covers what a new user needs: the forces, building, events,
   * reading the charts, the analyses, presentation mode, the command line. */
  for (const char *const *w = (const char *[]) { "Gravity", "Pressure", "Thrust", "Resistance",
                                                 "Add Partnership", "Add an emergency",
                                                 "Add a policy change", "force diagram",
                                                 "Equilibria", "hysteresis", "Sobol",
                                                 "Monte Carlo", "Presentation mode",
                                                 "coordyn-cli", NULL };
       *w != NULL; w++)
    if (strstr (en_markup, *w) == NULL)
      g_error ("the English guide does not mention %s", *w);
}

static void
test_guide_window (void)
{
  GtkWindow *guide;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "guide"));
  guide = cd_guide_show (GTK_WINDOW (window));
  g_assert_nonnull (guide);
  g_assert_true (cd_guide_show (GTK_WINDOW (window)) == guide);   /* one at a time */
  g_assert_cmpstr (gtk_window_get_title (guide), ==, "Coordyn User Guide");
  cd_test_iterate (50);
  gtk_window_destroy (guide);
  cd_test_iterate (50);
}

static void
test_about (void)
{
  GList *windows;
  AdwAboutWindow *about = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  windows = gtk_window_list_toplevels ();
  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      about = l->data;
  g_list_free (windows);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_developer_name (about), ==, "The Coordyn developers");
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, "https://github.com/coordyn/coordyn");
  g_assert_cmpstr (adw_about_window_get_issue_url (about), ==,
                   "https://github.com/coordyn/coordyn/issues");
  gtk_window_destroy (GTK_WINDOW (about));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/presentation"))
    return 1;

  /* The real application, so the test goes through its startup (actions,
   * accelerators); not unique, so it needs no session bus. */
  app = cd_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app))
                           | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = cd_test_window_new (GTK_APPLICATION (app), 1280, 800, NULL);

  g_test_add_func ("/app/presentation/open", test_open);
  g_test_add_func ("/app/presentation/time", test_time);
  g_test_add_func ("/app/presentation/scenarios", test_scenarios);
  g_test_add_func ("/app/presentation/chart-and-node", test_chart_and_node);
  g_test_add_func ("/app/presentation/snapshot-light-dark", test_snapshot_light_dark);
  g_test_add_func ("/app/presentation/leave", test_leave);
  g_test_add_func ("/app/guide/languages", test_guide_languages);
  g_test_add_func ("/app/guide/window", test_guide_window);
  g_test_add_func ("/app/about/links", test_about);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return status;
}
