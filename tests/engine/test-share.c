/* test-share.c — cd-share.c: every item of every loop done exactly once,
 * with that loop's function and data, whether the helper takes part or not.
 *
 * An owner runs thousands of loops of varying length (none, one, many)
 * while a helper thread calls cd_share_help() without pause; each item
 * writes its loop's number into its slot and counts itself.  Each loop has
 * its own data, so that an item done with a stale loop's data would write
 * the wrong number or the wrong array.  How many items the helper did
 * depends on the machine's scheduler and is only reported.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-share.h"

#define LOOPS     20000
#define MAX_ITEMS 64

typedef struct
{
  guint  loop;
  guint  slot[MAX_ITEMS];
  guint  count[MAX_ITEMS];
  gint  *helper_items;   /* when done on the helper's thread */
  GThread *owner;
} Loop;

typedef struct
{
  CdShare *share;
  gint     quit;
  gint     helper_items;
} Helper;

static void
do_item (gpointer data,
         guint    item)
{
  Loop *loop = data;

  g_assert_cmpuint (item, <, MAX_ITEMS);
  loop->slot[item] = loop->loop;
  loop->count[item]++;
  if (g_thread_self () != loop->owner)
    g_atomic_int_inc (loop->helper_items);
  /* a little work, so that both threads get some */
  for (volatile guint spin = 0; spin < 50; spin++)
    ;
}

static gpointer
helper_main (gpointer data)
{
  Helper *h = data;

  while (!g_atomic_int_get (&h->quit))
    cd_share_help (h->share);
  return NULL;
}

static void
test_every_item_once (void)
{
  Helper h = { cd_share_new (), 0, 0 };
  GThread *helper = g_thread_new ("test-share-helper", helper_main, &h);
  /* two loops' data alternately: a stale item would touch the other one */
  Loop *loops = g_new0 (Loop, 2);

  for (guint l = 1; l <= LOOPS; l++)
    {
      Loop *loop = &loops[l % 2];
      guint n = l % 7 == 0 ? 0 : l % 11 == 0 ? 1 : 1 + (l * 37) % MAX_ITEMS;

      memset (loop, 0, sizeof *loop);
      loop->loop = l;
      loop->helper_items = &h.helper_items;
      loop->owner = g_thread_self ();
      cd_share_run (h.share, n, do_item, loop);
      for (guint i = 0; i < MAX_ITEMS; i++)
        {
          g_assert_cmpuint (loop->count[i], ==, i < n ? 1 : 0);
          g_assert_cmpuint (loop->slot[i], ==, i < n ? l : 0);
        }
    }
  g_atomic_int_set (&h.quit, 1);
  g_thread_join (helper);
  g_test_message ("the helper did %d items of %u loops", h.helper_items, LOOPS);
  /* and with no helper at all the owner does them all */
  for (guint l = 1; l <= 10; l++)
    {
      Loop *loop = &loops[0];

      memset (loop, 0, sizeof *loop);
      loop->loop = l;
      loop->helper_items = &h.helper_items;
      loop->owner = g_thread_self ();
      cd_share_run (h.share, MAX_ITEMS, do_item, loop);
      for (guint i = 0; i < MAX_ITEMS; i++)
        g_assert_cmpuint (loop->count[i], ==, 1);
    }
  g_assert_false (cd_share_help (h.share));   /* nothing left to help with */
  cd_share_free (h.share);
  g_free (loops);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/share/every-item-once", test_every_item_once);
  return g_test_run ();
}
