/* test-inspector.c — the inspector's rows come from the field table, for both model versions.
 *
 * A government of a version-1 model shows "Fragmentation"; of a version-2
 * model the fragmentation of ideas and of powers and its appraisal weight
 * (its default until set), and a command line its role, each edit undoable.
 * Snapshots go to the build folder (inspector-*.png) to be looked at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-document.h"
#include "cd-inspector.h"
#include "cd-model-json.h"
#include "cd-model-upgrade.h"
#include "cd-test-util.h"

static CdDocument *document;
static CdInspector *inspector;

static const CdModel *
model (void)
{
  return cd_document_get_model (document);
}

static void
collect (GtkWidget  *root,
         const char *title,
         GPtrArray  *found)
{
  if (ADW_IS_PREFERENCES_ROW (root)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    g_ptr_array_add (found, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect (c, title, found);
}

static GtkWidget *
row (const char *title)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new ();

  collect (GTK_WIDGET (inspector), title, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* The adjustment a number row's slider and spin button share. */
static GtkAdjustment *
find_adjustment (GtkWidget *root)
{
  if (GTK_IS_SPIN_BUTTON (root))
    return gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (root));
  if (GTK_IS_RANGE (root))
    return gtk_range_get_adjustment (GTK_RANGE (root));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkAdjustment *adj = find_adjustment (c);
      if (adj != NULL)
        return adj;
    }
  return NULL;
}

static void
load (const char *name,
      gboolean    upgrade)
{
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : SOURCE_EXAMPLES_DIR, name, NULL);
  g_autoptr (GError) error = NULL;
  CdModel *m = cd_model_load_file (path, &error);

  g_assert_no_error (error);
  if (upgrade)
    {
      CdModel *up = cd_model_upgrade (m, &error);
      g_assert_no_error (error);
      cd_model_free (m);
      m = up;
    }
  cd_document_set_model (document, m, NULL);
}

static int
first_edge (CdEdgeKind kind)
{
  for (guint e = 0; e < model ()->edges->len; e++)
    if (((CdEdge *) g_ptr_array_index (model ()->edges, e))->kind == kind)
      return (int) e;
  g_assert_not_reached ();
}

static void
test_version1 (void)
{
  load ("beijing-tianjin-hebei.json", FALSE);
  cd_inspector_set_selection (inspector, 2, -1, 1);
  g_assert_nonnull (row ("Fragmentation"));
  g_assert_null (row ("Fragmented ideas"));
  g_assert_null (row ("Appraisal weight"));
  cd_inspector_set_selection (inspector, -1, first_edge (CD_EDGE_COMMAND), 1);
  g_assert_nonnull (row ("Weight"));
  g_assert_null (row ("Role"));
}

static void
test_version2_node (void)
{
  GtkWidget *appraisal;
  GtkAdjustment *adj;
  const CdNode *node;

  load ("beijing-tianjin-hebei.json", TRUE);
  cd_inspector_set_selection (inspector, 2, -1, 1);
  g_assert_null (row ("Fragmentation"));
  g_assert_nonnull (row ("Fragmented ideas"));
  g_assert_nonnull (row ("Fragmented powers"));
  appraisal = row ("Appraisal weight");
  g_assert_nonnull (appraisal);
  g_object_unref (cd_test_snapshot (GTK_WIDGET (inspector), "inspector-government-v2.png"));

  /* The default shows (Beijing has a superior: 1) and is set by an edit. */
  node = g_ptr_array_index (model ()->nodes, 2);
  g_assert_false (node->has_appraisal);
  adj = find_adjustment (appraisal);
  g_assert_nonnull (adj);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 1.0);
  gtk_adjustment_set_value (adj, 0.4);
  node = g_ptr_array_index (model ()->nodes, 2);
  g_assert_true (node->has_appraisal);
  g_assert_cmpfloat (node->appraisal, ==, 0.4);
  g_assert_true (cd_document_undo (document));
  node = g_ptr_array_index (model ()->nodes, 2);
  g_assert_false (node->has_appraisal);
}

static void
test_version2_role (void)
{
  GtkWidget *role;
  int e;

  load ("beijing-tianjin-hebei.json", TRUE);
  e = first_edge (CD_EDGE_COMMAND);
  cd_inspector_set_selection (inspector, -1, e, 1);
  role = row ("Role");
  g_assert_nonnull (role);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (role)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (role), CD_ROLE_EMERGENCY);
  g_assert_cmpint (((CdEdge *) g_ptr_array_index (model ()->edges, e))->role, ==,
                   CD_ROLE_EMERGENCY);
  g_assert_cmpstr (cd_document_get_undo_label (document), ==, "Change Command Role");
  g_object_unref (cd_test_snapshot (GTK_WIDGET (inspector), "inspector-command-v2.png"));
  g_assert_true (cd_document_undo (document));
  g_assert_cmpint (((CdEdge *) g_ptr_array_index (model ()->edges, e))->role, ==,
                   CD_ROLE_ADMINISTRATIVE);
  /* partnerships have no role */
  cd_inspector_set_selection (inspector, -1, first_edge (CD_EDGE_PARTNERSHIP), 1);
  g_assert_null (row ("Role"));
}

int
main (int   argc,
      char *argv[])
{
  GtkWidget *window;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/inspector"))
    return 1;
  document = cd_document_new ();
  inspector = CD_INSPECTOR (cd_inspector_new ());
  cd_inspector_set_document (inspector, document);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (inspector));
  gtk_window_present (GTK_WINDOW (window));
  cd_test_wait_for (cd_test_is_mapped, inspector, "the inspector to map");

  g_test_add_func ("/app/inspector/version1", test_version1);
  g_test_add_func ("/app/inspector/version2-government", test_version2_node);
  g_test_add_func ("/app/inspector/version2-role", test_version2_role);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (document);
  return status;
}
