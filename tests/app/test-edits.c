/* test-edits.c — the timeline's edits on emergencies and policy changes:
 * append, replace in place, refuse an index past the end or an invalid
 * value (leaving the model as it was), remove.
 *
 * No display needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-edits.h"

static void
test_events (void)
{
  g_autoptr (CdModel) model = cd_model_new ();
  g_autoptr (CdEvent) ev = cd_event_new ();
  g_autoptr (GError) error = NULL;
  CdSetEvent set = { -1, ev };
  int index;

  ev->onset = 2.0;
  ev->magnitude = 1.0;
  ev->decay = 0.5;
  g_assert_true (cd_edit_set_event (model, &set, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (model->events->len, ==, 1);
  g_assert_true (g_ptr_array_index (model->events, 0) != (gpointer) ev);   /* a copy */

  ev->magnitude = 3.0;
  set.index = 0;
  g_assert_true (cd_edit_set_event (model, &set, &error));
  g_assert_cmpuint (model->events->len, ==, 1);
  g_assert_cmpfloat (((CdEvent *) g_ptr_array_index (model->events, 0))->magnitude, ==, 3.0);

  set.index = 1;
  g_assert_false (cd_edit_set_event (model, &set, NULL));
  g_assert_cmpuint (model->events->len, ==, 1);

  ev->decay = 0.0;
  set.index = -1;
  g_assert_false (cd_edit_set_event (model, &set, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (model->events->len, ==, 1);

  index = 1;
  g_assert_false (cd_edit_remove_event (model, &index, NULL));
  index = -1;
  g_assert_false (cd_edit_remove_event (model, &index, NULL));
  g_assert_cmpuint (model->events->len, ==, 1);
  index = 0;
  g_assert_true (cd_edit_remove_event (model, &index, NULL));
  g_assert_cmpuint (model->events->len, ==, 0);
}

static void
test_interventions (void)
{
  g_autoptr (CdModel) model = cd_model_new ();
  g_autoptr (CdIntervention) iv = cd_intervention_new (5.0);
  g_autoptr (GError) error = NULL;
  CdSetIntervention set = { -1, iv };
  int index;

  cd_intervention_add (iv, CD_PARAM_GRAVITY_TRUST, 1.5);
  g_assert_true (cd_edit_set_intervention (model, &set, &error));
  g_assert_no_error (error);
  g_assert_true (cd_edit_set_intervention (model, &set, &error));
  g_assert_cmpuint (model->interventions->len, ==, 2);
  g_assert_true (g_ptr_array_index (model->interventions, 0) != (gpointer) iv);   /* a copy */

  iv->at = 9.0;
  set.index = 1;
  g_assert_true (cd_edit_set_intervention (model, &set, &error));
  g_assert_cmpuint (model->interventions->len, ==, 2);
  g_assert_cmpfloat (((CdIntervention *) g_ptr_array_index (model->interventions, 0))->at, ==,
                     5.0);
  g_assert_cmpfloat (((CdIntervention *) g_ptr_array_index (model->interventions, 1))->at, ==,
                     9.0);

  set.index = 2;
  g_assert_false (cd_edit_set_intervention (model, &set, NULL));
  g_assert_cmpuint (model->interventions->len, ==, 2);

  iv->at = -1.0;
  set.index = 0;
  g_assert_false (cd_edit_set_intervention (model, &set, &error));
  g_assert_nonnull (error);
  g_assert_cmpfloat (((CdIntervention *) g_ptr_array_index (model->interventions, 0))->at, ==,
                     5.0);

  index = 2;
  g_assert_false (cd_edit_remove_intervention (model, &index, NULL));
  index = 0;
  g_assert_true (cd_edit_remove_intervention (model, &index, NULL));
  g_assert_cmpuint (model->interventions->len, ==, 1);
  g_assert_cmpfloat (((CdIntervention *) g_ptr_array_index (model->interventions, 0))->at, ==,
                     9.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/edits/events", test_events);
  g_test_add_func ("/app/edits/interventions", test_interventions);
  return g_test_run ();
}
