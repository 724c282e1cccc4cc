/* test-scenario-panel.c — the Emergencies and Policy Changes panel driven
 * through its own buttons and spin buttons: add, pick governments, edit a
 * value, remove an impact, a setting and a policy change; each a labelled
 * undo step; picking stops when its emergency is undone away.
 *
 * Needs a display (CI: xvfb-run -a meson test).  Without one it FAILS with
 * a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-document.h"
#include "cd-model-json.h"
#include "cd-scenario-panel.h"
#include "cd-test-util.h"

static CdDocument *document;
static CdScenarioPanel *panel;
static guint n_picking_changed;

static const CdModel *
model (void)
{
  return cd_document_get_model (document);
}

/* Every widget below root of the type whose tooltip (or, for a row, title;
 * for a toggle, label) is text, in tree order. */
static void
collect (GtkWidget  *root,
         GType       type,
         const char *text,
         GPtrArray  *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      const char *tip = gtk_widget_get_tooltip_text (root);
      const char *title = ADW_IS_PREFERENCES_ROW (root)
                          ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)) : NULL;
      const char *label = GTK_IS_BUTTON (root) ? gtk_button_get_label (GTK_BUTTON (root)) : NULL;

      if (g_strcmp0 (tip, text) == 0 || g_strcmp0 (title, text) == 0
          || g_strcmp0 (label, text) == 0)
        g_ptr_array_add (found, root);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect (c, type, text, found);
}

/* The last widget matching, which belongs to the last event or policy change. */
static GtkWidget *
find_last (GType       type,
           const char *text)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  collect (GTK_WIDGET (panel), type, text, found);
  if (found->len == 0)
    g_error ("no %s \"%s\" in the panel", g_type_name (type), text);
  return g_ptr_array_index (found, found->len - 1);
}

/* A click rebuilds the panel and so destroys the button: held as a pointer
 * press would hold it. */
static void
click (const char *text)
{
  g_autoptr (GtkWidget) button = g_object_ref (find_last (GTK_TYPE_BUTTON, text));

  g_signal_emit_by_name (button, "clicked");
}

static void
set_active (GtkWidget *toggle)
{
  g_autoptr (GtkWidget) held = g_object_ref (toggle);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (held), TRUE);
}

static const CdEvent *
last_event (void)
{
  g_assert_cmpuint (model ()->events->len, >, 0);
  return g_ptr_array_index (model ()->events, model ()->events->len - 1);
}

static void
on_picking_changed (CdScenarioPanel *p,
                    gpointer         data)
{
  n_picking_changed++;
}

/* Types value into the spin button of the last row titled title. */
static void
set_last_spin (const char *title,
               double      value)
{
  GtkWidget *spin = cd_test_find_widget (find_last (ADW_TYPE_ACTION_ROW, title),
                                         GTK_TYPE_SPIN_BUTTON);

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static void
test_emergency (void)
{
  guint n_events = model ()->events->len;
  guint n_signals;

  click ("Add an emergency");
  g_assert_cmpuint (model ()->events->len, ==, n_events + 1);
  g_assert_cmpstr (cd_document_get_undo_label (document), ==, "Add Emergency");

  /* Pick two governments on the network for it. */
  n_signals = n_picking_changed;
  set_active (find_last (GTK_TYPE_TOGGLE_BUTTON, "Pick on Network"));
  g_assert_cmpint (cd_scenario_panel_get_picking (panel), ==, (int) n_events);
  g_assert_cmpuint (n_picking_changed, ==, n_signals + 1);
  cd_scenario_panel_pick_node (panel, 0);
  cd_scenario_panel_pick_node (panel, 1);
  cd_scenario_panel_pick_node (panel, 1);   /* already hit: no new step */
  g_assert_cmpuint (last_event ()->impacts->len, ==, 2);
  g_assert_cmpstr (cd_document_get_undo_label (document), ==, "Edit Emergency");

  set_last_spin ("Magnitude", 2.5);
  g_assert_cmpfloat (last_event ()->magnitude, ==, 2.5);
  /* The onset's entry is the app's time entry (cd_number_row_add_time_entry). */
  set_last_spin ("Onset", 12.25);
  g_assert_cmpfloat (last_event ()->onset, ==, 12.25);
  set_last_spin ("Decay time", 3.5);
  g_assert_cmpfloat (last_event ()->decay, ==, 3.5);
  g_assert_cmpuint (model ()->events->len, ==, n_events + 1);

  click ("No longer hit");
  g_assert_cmpuint (last_event ()->impacts->len, ==, 1);
  g_assert_cmpstr (g_array_index (last_event ()->impacts, CdImpact, 0).node, ==,
                   ((CdNode *) g_ptr_array_index (model ()->nodes, 0))->id);
  g_assert_cmpint (cd_scenario_panel_get_picking (panel), ==, (int) n_events);

  /* Undone away, the emergency takes its picking with it. */
  while (model ()->events->len > n_events)
    g_assert_true (cd_document_undo (document));
  g_assert_cmpint (cd_scenario_panel_get_picking (panel), ==, -1);
  g_assert_cmpuint (n_picking_changed, ==, n_signals + 2);
}

static void
test_remove_emergency (void)
{
  guint n_events = model ()->events->len;

  click ("Add an emergency");
  g_assert_cmpuint (model ()->events->len, ==, n_events + 1);
  click ("Remove this emergency");
  g_assert_cmpuint (model ()->events->len, ==, n_events);
  g_assert_cmpstr (cd_document_get_undo_label (document), ==, "Remove Emergency");
}

static void
test_policy_change (void)
{
  guint n = model ()->interventions->len;
  const CdIntervention *iv;

  click ("Add a policy change");
  g_assert_cmpuint (model ()->interventions->len, ==, n + 1);
  g_assert_cmpstr (cd_document_get_undo_label (document), ==, "Add Policy Change");
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpuint (iv->settings->len, ==, 1);

  /* Its time, in the same time entry as an emergency's onset: two decimals,
   * up to 10⁶. */
  {
    GtkWidget *spin = cd_test_find_widget (find_last (ADW_TYPE_ACTION_ROW, "Time"),
                                           GTK_TYPE_SPIN_BUTTON);
    GtkAdjustment *adj = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin));

    g_assert_cmpuint (gtk_spin_button_get_digits (GTK_SPIN_BUTTON (spin)), ==, 2);
    g_assert_cmpfloat (gtk_adjustment_get_lower (adj), ==, 0.0);
    g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, 1e6);
    g_assert_cmpfloat (gtk_adjustment_get_step_increment (adj), ==, 0.1);
  }
  set_last_spin ("Time", 900.75);
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpfloat (iv->at, ==, 900.75);

  /* Another lever for the first setting, so Add Setting (compensation) adds one. */
  {
    g_autoptr (GtkWidget) combo = g_object_ref (find_last (ADW_TYPE_COMBO_ROW, "Parameter"));
    adw_combo_row_set_selected (ADW_COMBO_ROW (combo), CD_PARAM_GRAVITY_TRUST);
  }
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 0).param, ==, CD_PARAM_GRAVITY_TRUST);
  click ("Add Setting");
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpuint (iv->settings->len, ==, 2);
  g_assert_cmpstr (cd_document_get_undo_label (document), ==, "Edit Policy Change");

  set_last_spin ("New value", 0.5);
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpfloat (g_array_index (iv->settings, CdSetting, 1).value, ==, 0.5);

  /* The last row's button removes the second setting, the one just set. */
  click ("Remove this setting");
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpuint (iv->settings->len, ==, 1);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 0).param, ==, CD_PARAM_GRAVITY_TRUST);

  click ("Remove this policy change");
  g_assert_cmpuint (model ()->interventions->len, ==, n);
  g_assert_cmpstr (cd_document_get_undo_label (document), ==, "Remove Policy Change");
}

/* Add Setting adds the first parameter the policy change does not set yet,
 * even while its one setting is the default (compensation), starting from
 * the value in force; once every parameter is set it is disabled.  Choosing
 * a parameter another setting already sets is refused. */
static void
test_add_setting (void)
{
  guint n = model ()->interventions->len;
  const CdIntervention *iv;
  CdParameters in_force;
  GtkWidget *add;
  CdParam list[CD_N_PARAMS];
  guint n_params;

  click ("Add a policy change");
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpuint (iv->settings->len, ==, 1);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 0).param, ==,
                   CD_PARAM_RESISTANCE_COMPENSATION);

  click ("Add Setting");
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpuint (iv->settings->len, ==, 2);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 0).param, ==,
                   CD_PARAM_RESISTANCE_COMPENSATION);
  g_assert_cmpfloat (g_array_index (iv->settings, CdSetting, 0).value, ==, 1.0);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 1).param, ==, 0);
  cd_model_parameters_at (model (), iv->at, &in_force);
  g_assert_cmpfloat (g_array_index (iv->settings, CdSetting, 1).value, ==, in_force.values[0]);
  g_assert_cmpstr (cd_document_get_undo_label (document), ==, "Edit Policy Change");

  /* The second setting's parameter set to the first's: refused, unchanged.
   * The list holds the parameters of the model's version. */
  n_params = cd_params_in_version (model ()->version, list);
  {
    g_autoptr (GtkWidget) combo = g_object_ref (find_last (ADW_TYPE_COMBO_ROW, "Parameter"));
    guint at = 0;
    while (list[at] != CD_PARAM_RESISTANCE_COMPENSATION)
      at++;
    adw_combo_row_set_selected (ADW_COMBO_ROW (combo), at);
  }
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpuint (iv->settings->len, ==, 2);
  g_assert_cmpint (g_array_index (iv->settings, CdSetting, 1).param, ==, 0);
  g_assert_cmpint (adw_combo_row_get_selected (ADW_COMBO_ROW (find_last (ADW_TYPE_COMBO_ROW,
                                                                         "Parameter"))),
                   ==, 0);

  /* Every parameter, each once; then the button is off. */
  for (guint k = 2; k < n_params; k++)
    {
      add = find_last (GTK_TYPE_BUTTON, "Add Setting");
      g_assert_true (gtk_widget_get_sensitive (add));
      click ("Add Setting");
    }
  iv = g_ptr_array_index (model ()->interventions, n);
  g_assert_cmpuint (iv->settings->len, ==, n_params);
  for (guint q = 0; q < n_params; q++)
    {
      CdParam p = list[q];
      guint times = 0;
      for (guint k = 0; k < iv->settings->len; k++)
        times += g_array_index (iv->settings, CdSetting, k).param == (CdParam) p;
      g_assert_cmpuint (times, ==, 1);
    }
  add = find_last (GTK_TYPE_BUTTON, "Add Setting");
  g_assert_false (gtk_widget_get_sensitive (add));

  /* Removing one turns it back on. */
  click ("Remove this setting");
  g_assert_true (gtk_widget_get_sensitive (find_last (GTK_TYPE_BUTTON, "Add Setting")));

  while (model ()->interventions->len > n)
    g_assert_true (cd_document_undo (document));
}

/* The rows as they look: an emergency open, then a policy change open
 * (in G_TEST_BUILDDIR, for the eye). */
static void
test_snapshot (void)
{
  guint n = model ()->interventions->len;

  cd_scenario_panel_show_event (panel, 0);
  g_object_unref (cd_test_snapshot (GTK_WIDGET (panel), "scenario-panel-event.png"));
  click ("Add a policy change");
  cd_scenario_panel_show_event (panel, -1);
  g_object_unref (cd_test_snapshot (GTK_WIDGET (panel), "scenario-panel-policy.png"));
  while (model ()->interventions->len > n)
    g_assert_true (cd_document_undo (document));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");
  GtkWidget *window;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/scenario-panel"))
    return 1;
  path = g_build_filename (dir ? dir : SOURCE_EXAMPLES_DIR, "yangtze-river-delta.json", NULL);
  document = cd_document_new ();
  cd_document_set_model (document, cd_model_load_file (path, &error), NULL);
  g_assert_no_error (error);

  panel = CD_SCENARIO_PANEL (cd_scenario_panel_new ());
  cd_scenario_panel_set_document (panel, document);
  g_signal_connect (panel, "picking-changed", G_CALLBACK (on_picking_changed), NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 900);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (panel));
  gtk_window_present (GTK_WINDOW (window));
  cd_test_wait_for (cd_test_is_mapped, panel, "the panel to map");

  g_test_add_func ("/app/scenario-panel/emergency", test_emergency);
  g_test_add_func ("/app/scenario-panel/remove-emergency", test_remove_emergency);
  g_test_add_func ("/app/scenario-panel/policy-change", test_policy_change);
  g_test_add_func ("/app/scenario-panel/add-setting", test_add_setting);
  g_test_add_func ("/app/scenario-panel/snapshot", test_snapshot);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (document);
  return status;
}
