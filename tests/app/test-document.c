/* test-document.c — CdDocument undo/redo, the edits, the layouts, the runner.
 *
 * No display needed: these are the app's model-side pieces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "cd-document.h"
#include "cd-edits.h"
#include "cd-layout.h"
#include "cd-model-json.h"
#include "cd-runner.h"

static CdModel *
load_example (const char *name)
{
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  CdModel *model;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, name, NULL);
  model = cd_model_load_file (path, &error);
  g_assert_no_error (error);
  return model;
}

static CdDocument *
document_with_example (void)
{
  CdDocument *doc = cd_document_new ();
  cd_document_set_model (doc, load_example ("yangtze-river-delta.json"), NULL);
  return doc;
}

static void
test_undo_redo_roundtrip (void)
{
  g_autoptr (CdDocument) doc = document_with_example ();
  g_autoptr (CdModel) original = cd_model_copy (cd_document_get_model (doc));
  g_autoptr (CdModel) edited = NULL;
  CdAddNode add = { CD_LEVEL_COUNTY, 10.0, 20.0, NULL };
  const CdNode *first;
  CdAddEdge edge;
  CdLayoutKind kind = CD_LAYOUT_KIND_FORCE;
  int steps = 0;

  g_assert_false (cd_document_get_dirty (doc));
  g_assert_true (cd_document_apply (doc, "add", NULL, CD_CHANGE_STRUCTURE, cd_edit_add_node,
                                    &add, NULL));
  steps++;
  g_assert_nonnull (add.out_id);
  first = g_ptr_array_index (cd_document_get_model (doc)->nodes, 0);
  edge.kind = CD_EDGE_PARTNERSHIP;
  edge.source = first->id;
  edge.target = add.out_id;
  g_assert_true (cd_document_apply (doc, "edge", NULL, CD_CHANGE_STRUCTURE, cd_edit_add_edge,
                                    &edge, NULL));
  steps++;
  g_assert_true (cd_document_set_param (doc, CD_PARAM_RESISTANCE_LAW, 0.7));
  steps++;
  g_assert_true (cd_document_apply (doc, "layout", NULL, CD_CHANGE_POSITIONS, cd_edit_layout,
                                    &kind, NULL));
  steps++;
  g_assert_true (cd_document_get_dirty (doc));
  edited = cd_model_copy (cd_document_get_model (doc));

  for (int k = 0; k < steps; k++)
    g_assert_true (cd_document_undo (doc));
  g_assert_false (cd_document_undo (doc));
  g_assert_true (cd_model_equal (cd_document_get_model (doc), original));
  g_assert_false (cd_document_get_dirty (doc));

  for (int k = 0; k < steps; k++)
    g_assert_true (cd_document_redo (doc));
  g_assert_false (cd_document_redo (doc));
  g_assert_true (cd_model_equal (cd_document_get_model (doc), edited));
  g_free (add.out_id);
}

/* A slider dragged through many values is one undo step. */
static void
test_merge (void)
{
  g_autoptr (CdDocument) doc = document_with_example ();
  double before = cd_document_get_model (doc)->params.values[CD_PARAM_GRAVITY_TRUST];

  for (int k = 1; k <= 20; k++)
    g_assert_true (cd_document_set_param (doc, CD_PARAM_GRAVITY_TRUST, k * 0.1));
  g_assert_cmpfloat (cd_document_get_model (doc)->params.values[CD_PARAM_GRAVITY_TRUST], ==, 2.0);
  g_assert_true (cd_document_undo (doc));
  g_assert_false (cd_document_can_undo (doc));
  g_assert_cmpfloat (cd_document_get_model (doc)->params.values[CD_PARAM_GRAVITY_TRUST], ==,
                     before);

  /* After a break, the same slider starts a new step. */
  g_assert_true (cd_document_set_param (doc, CD_PARAM_GRAVITY_TRUST, 1.5));
  cd_document_break_merge (doc);
  g_assert_true (cd_document_set_param (doc, CD_PARAM_GRAVITY_TRUST, 1.6));
  g_assert_true (cd_document_undo (doc));
  g_assert_cmpfloat (cd_document_get_model (doc)->params.values[CD_PARAM_GRAVITY_TRUST], ==, 1.5);
}

/* An edit that breaks a rule is refused with a message and changes nothing. */
static void
test_refused_edit (void)
{
  g_autoptr (CdDocument) doc = cd_document_new ();
  g_autoptr (CdModel) model = cd_model_new ();
  g_autoptr (CdModel) before = NULL;
  g_autoptr (GError) error = NULL;
  CdAddEdge edge = { CD_EDGE_COMMAND, "a", "b" };
  CdSetField bad = { .node = 0, .edge = -1, .field = "capacity", .number = 1.5 };

  g_ptr_array_add (model->nodes, cd_node_new ("a"));
  g_ptr_array_add (model->nodes, cd_node_new ("b"));
  cd_document_set_model (doc, g_steal_pointer (&model), NULL);
  g_assert_true (cd_document_apply (doc, "ab", NULL, CD_CHANGE_STRUCTURE, cd_edit_add_edge,
                                    &edge, NULL));
  before = cd_model_copy (cd_document_get_model (doc));

  /* b → a closes a command cycle. */
  edge.source = "b";
  edge.target = "a";
  g_assert_false (cd_document_apply (doc, "ba", NULL, CD_CHANGE_STRUCTURE, cd_edit_add_edge,
                                     &edge, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_true (cd_model_equal (cd_document_get_model (doc), before));
  g_clear_error (&error);

  g_assert_false (cd_document_apply (doc, "bad", NULL, CD_CHANGE_VALUES, cd_edit_set_field,
                                     &bad, &error));
  g_assert_nonnull (error);
  g_assert_true (cd_model_equal (cd_document_get_model (doc), before));
  g_assert_cmpint (cd_document_can_undo (doc), ==, TRUE);
}

static void
test_save_reopen (void)
{
  g_autoptr (CdDocument) doc = document_with_example ();
  g_autoptr (CdDocument) again = cd_document_new ();
  g_autofree char *dir = g_dir_make_tmp ("coordyn-test-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "saved.coordyn.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (cd_document_set_param (doc, CD_PARAM_THRUST_INFO, 1.25));
  g_assert_true (cd_document_get_dirty (doc));
  g_assert_true (cd_document_save (doc, file, &error));
  g_assert_no_error (error);
  g_assert_false (cd_document_get_dirty (doc));
  g_assert_true (cd_document_load (again, file, &error));
  g_assert_no_error (error);
  g_assert_true (cd_model_equal (cd_document_get_model (doc), cd_document_get_model (again)));
  g_assert_true (g_file_equal (cd_document_get_file (again), file));
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
all_finite (const CdModel *model)
{
  for (guint i = 0; i < model->nodes->len; i++)
    {
      const CdNode *n = g_ptr_array_index (model->nodes, i);
      if (!n->has_pos || !isfinite (n->pos[0]) || !isfinite (n->pos[1]))
        return FALSE;
    }
  return TRUE;
}

static void
test_layouts (void)
{
  g_autoptr (CdModel) a = load_example ("yangtze-river-delta.json");
  g_autoptr (CdModel) b = cd_model_copy (a);
  g_autoptr (GError) error = NULL;
  const CdNode *top = NULL;

  g_assert_true (cd_layout_force_directed (a, 7, &error));
  g_assert_true (cd_layout_force_directed (b, 7, &error));
  g_assert_no_error (error);
  g_assert_true (all_finite (a));
  g_assert_true (cd_model_equal (a, b));   /* same seed, same picture */

  g_assert_true (cd_layout_hierarchy (a, &error));
  g_assert_true (all_finite (a));
  /* Central government above every other level. */
  for (guint i = 0; i < a->nodes->len; i++)
    if (((CdNode *) g_ptr_array_index (a->nodes, i))->level == CD_LEVEL_CENTRAL)
      top = g_ptr_array_index (a->nodes, i);
  if (top != NULL)
    for (guint i = 0; i < a->nodes->len; i++)
      {
        const CdNode *n = g_ptr_array_index (a->nodes, i);
        if (n->level != CD_LEVEL_CENTRAL)
          g_assert_cmpfloat (n->pos[1], >, top->pos[1]);
      }

  /* Only the unplaced move. */
  {
    CdNode *n0 = g_ptr_array_index (b->nodes, 0);
    CdNode *n1 = g_ptr_array_index (b->nodes, 1);
    double x0 = n0->pos[0], y0 = n0->pos[1];
    n1->has_pos = FALSE;
    n1->pos[0] = n1->pos[1] = 0.0;
    g_assert_true (cd_layout_place_missing (b, 1, &error));
    g_assert_true (all_finite (b));
    g_assert_cmpfloat (n0->pos[0], ==, x0);
    g_assert_cmpfloat (n0->pos[1], ==, y0);
  }
}

static void
on_run_changed (CdRunner *runner,
                gpointer  data)
{
  (*(int *) data)++;
}

/* The newest request wins: an older run still in flight is never delivered. */
static void
test_runner_newest_wins (void)
{
  g_autoptr (CdRunner) runner = cd_runner_new ();
  g_autoptr (CdModel) first = load_example ("yangtze-river-delta.json");
  g_autoptr (CdModel) second = cd_model_copy (first);
  int delivered = 0;
  CdRun *run;

  second->params.values[CD_PARAM_RESISTANCE_LAW] = 0.9;
  g_signal_connect (runner, "run-changed", G_CALLBACK (on_run_changed), &delivered);
  cd_runner_request (runner, first);
  cd_runner_request (runner, second);
  while (cd_runner_get_running (runner))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (delivered, ==, 1);
  run = cd_runner_get_run (runner);
  g_assert_nonnull (run);
  g_assert_true (cd_model_equal (run->model, second));
  g_assert_cmpuint (run->trajectory->n_samples, ==,
                    cd_run_n_samples (second->sim.t_end, second->sim.dt));
  g_assert_nonnull (run->trajectory->gravity);
  g_assert_nonnull (run->trajectory->trust);
  g_assert_null (cd_runner_get_error (runner));
}

/* A view following documents: counts the changes it is told of. */
typedef struct
{
  CdDocument *document;
  guint       n_changed;
  guint       last_flags;
} Follower;

static void
on_follower_changed (CdDocument *document,
                     guint       flags,
                     GObject    *instance)
{
  Follower *f = g_object_get_data (instance, "follower");

  g_assert_true (document == f->document);
  f->n_changed++;
  f->last_flags = flags;
}

/* cd_document_follow: told of its own document's changes only, switching
 * documents leaves the old one's signal free, unfollowing (or the view
 * going) ends it, and the view holds a reference while it follows. */
static void
test_follow (void)
{
  g_autoptr (CdDocument) a = document_with_example ();
  g_autoptr (CdDocument) b = document_with_example ();
  GObject *instance = g_object_new (G_TYPE_OBJECT, NULL);
  Follower f = { 0 };
  GObject *weak_a = G_OBJECT (a);

  g_object_set_data (instance, "follower", &f);
  cd_document_follow (&f.document, a, instance, G_CALLBACK (on_follower_changed));
  g_assert_true (f.document == a);
  g_assert_true (cd_document_set_param (a, CD_PARAM_RESISTANCE_LAW, 0.25));
  g_assert_cmpuint (f.n_changed, ==, 1);
  g_assert_cmpuint (f.last_flags, ==, CD_CHANGE_VALUES);
  g_assert_true (cd_document_set_param (b, CD_PARAM_RESISTANCE_LAW, 0.25));
  g_assert_cmpuint (f.n_changed, ==, 1);

  /* Following b: a's changes no longer arrive, b's do; once. */
  cd_document_follow (&f.document, b, instance, G_CALLBACK (on_follower_changed));
  g_assert_true (f.document == b);
  g_assert_true (cd_document_undo (a));
  g_assert_cmpuint (f.n_changed, ==, 1);
  g_assert_true (cd_document_undo (b));
  g_assert_cmpuint (f.n_changed, ==, 2);
  /* The same document again: still told once per change. */
  cd_document_follow (&f.document, b, instance, G_CALLBACK (on_follower_changed));
  g_assert_true (cd_document_redo (b));
  g_assert_cmpuint (f.n_changed, ==, 3);

  /* The view holds its document: a reference while following a, none after. */
  g_object_add_weak_pointer (weak_a, (gpointer *) &weak_a);
  cd_document_follow (&f.document, a, instance, G_CALLBACK (on_follower_changed));
  g_clear_object (&a);
  g_assert_nonnull (weak_a);
  cd_document_unfollow (&f.document, instance);
  g_assert_null (f.document);
  g_assert_null (weak_a);

  /* A view that goes without unfollowing is not called any more. */
  cd_document_follow (&f.document, b, instance, G_CALLBACK (on_follower_changed));
  g_object_unref (instance);
  g_assert_true (cd_document_undo (b));
  g_assert_cmpuint (f.n_changed, ==, 3);
  g_clear_object (&f.document);
}

/* One way of making a scenario's name unique, as text to read ("s (2)") or
 * as a key that is the same in every language ("s-2"). */
static void
test_unique_scenario_name (void)
{
  g_autoptr (CdDocument) doc = document_with_example ();
  g_autoptr (CdScenario) first = cd_scenario_new ("s");
  g_autoptr (CdScenario) second = cd_scenario_new ("s-2");
  g_autofree char *fresh = NULL, *key = NULL, *name = NULL, *next = NULL;

  fresh = cd_document_unique_scenario_key (doc, "not-a-scenario-yet");
  g_assert_cmpstr (fresh, ==, "not-a-scenario-yet");
  g_assert_true (cd_document_add_scenario (doc, "add", first, NULL));
  key = cd_document_unique_scenario_key (doc, "s");
  g_assert_cmpstr (key, ==, "s-2");
  name = cd_document_unique_scenario_name (doc, "s");
  g_assert_cmpstr (name, ==, "s (2)");
  g_assert_true (cd_document_add_scenario (doc, "add", second, NULL));
  next = cd_document_unique_scenario_key (doc, "s");
  g_assert_cmpstr (next, ==, "s-3");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/document/undo-redo-roundtrip", test_undo_redo_roundtrip);
  g_test_add_func ("/app/document/merge", test_merge);
  g_test_add_func ("/app/document/refused-edit", test_refused_edit);
  g_test_add_func ("/app/document/save-reopen", test_save_reopen);
  g_test_add_func ("/app/document/follow", test_follow);
  g_test_add_func ("/app/document/unique-scenario-name", test_unique_scenario_name);
  g_test_add_func ("/app/layout/deterministic", test_layouts);
  g_test_add_func ("/app/runner/newest-wins", test_runner_newest_wins);
  return g_test_run ();
}
