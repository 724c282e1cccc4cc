/* cd-team.c — a loop shared among threads, each taking what it can.
 *
 * A large model's right-hand side is a loop over independent blocks of
 * governments (cd-system.c).  Shared the usual way (an
 * OpenMP parallel for), each loop ends at a barrier that waits for every
 * thread of the team; on a machine where other programs hold the cores, a
 * helper that is not scheduled holds up the whole run: measured on the
 * shared 2-core machine this was written on (load average 19), an
 * evaluation of 16 copies of the national model took 39 ms on two OpenMP
 * threads against 3 ms on one.  Here the caller's thread hands out the
 * items (under a mutex: an item is tens of microseconds of work), takes
 * items itself, and waits only for items a helper has already taken.  A
 * helper (a thread of the team's own, asleep on a condition between loops)
 * woken after the loop is over finds nothing to take and sleeps again.
 * Plain GMutex and GCond, no GThreadPool: its queue locks inside GLib,
 * where ThreadSanitizer cannot see them (tests/robustness/tsan-glib-sync.c
 * makes GMutex and GCond visible).  Which thread did an item never changes
 * a result: items write apart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-team.h"

struct _CdTeam
{
  guint        threads;     /* the caller and the helpers */
  GThread    **helpers;     /* threads − 1 of them */
  GMutex       lock;
  GCond        work;        /* a new loop, or quit */
  GCond        finished;
  /* the loop running, under lock */
  guint64      generation;  /* of the loop; a helper remembers the last it saw */
  gboolean     quit;
  CdTeamFunc   func;
  gpointer     data;
  guint        n_items;
  guint        next;        /* the next item to hand out */
  guint        done;        /* items finished */
};

/* Takes and does items of the current loop while there are any; with the
 * lock held on entry and on return. */
static void
take_items (CdTeam *team)
{
  while (team->next < team->n_items)
    {
      guint item = team->next++;
      CdTeamFunc func = team->func;
      gpointer data = team->data;

      g_mutex_unlock (&team->lock);
      func (data, item);
      g_mutex_lock (&team->lock);
      if (++team->done == team->n_items)
        g_cond_broadcast (&team->finished);
    }
}

static gpointer
helper_main (gpointer user_data)
{
  CdTeam *team = user_data;
  guint64 seen = 0;

  g_mutex_lock (&team->lock);
  for (;;)
    {
      while (!team->quit && team->generation == seen)
        g_cond_wait (&team->work, &team->lock);
      if (team->quit)
        break;
      seen = team->generation;
      /* nothing left if the loop is already over */
      take_items (team);
    }
  g_mutex_unlock (&team->lock);
  return NULL;
}

CdTeam *
cd_team_new (guint threads)
{
  CdTeam *team = g_new0 (CdTeam, 1);
  guint started = 0;

  g_mutex_init (&team->lock);
  g_cond_init (&team->work);
  g_cond_init (&team->finished);
  threads = MAX (threads, 1);
  team->helpers = g_new0 (GThread *, threads);
  for (guint h = 0; h + 1 < threads; h++)
    {
      /* with fewer helpers than asked if the system refuses threads */
      GThread *thread = g_thread_try_new ("cd-team", helper_main, team, NULL);
      if (thread == NULL)
        break;
      team->helpers[started++] = thread;
    }
  team->threads = started + 1;
  return team;
}

void
cd_team_free (CdTeam *team)
{
  if (team == NULL)
    return;
  g_mutex_lock (&team->lock);
  team->quit = TRUE;
  g_cond_broadcast (&team->work);
  g_mutex_unlock (&team->lock);
  for (guint h = 0; h + 1 < team->threads; h++)
    g_thread_join (team->helpers[h]);
  g_free (team->helpers);
  g_mutex_clear (&team->lock);
  g_cond_clear (&team->work);
  g_cond_clear (&team->finished);
  g_free (team);
}

guint
cd_team_size (const CdTeam *team)
{
  return team ? team->threads : 1;
}

void
cd_team_run (CdTeam     *team,
             guint       n_items,
             CdTeamFunc  func,
             gpointer    data)
{
  if (team == NULL || team->threads < 2 || n_items < 2)
    {
      for (guint i = 0; i < n_items; i++)
        func (data, i);
      return;
    }

  g_mutex_lock (&team->lock);
  team->generation++;
  team->func = func;
  team->data = data;
  team->n_items = n_items;
  team->next = 0;
  team->done = 0;
  g_cond_broadcast (&team->work);
  take_items (team);
  /* only items a helper took and has not finished */
  while (team->done < team->n_items)
    g_cond_wait (&team->finished, &team->lock);
  /* a late helper must find nothing to take */
  team->n_items = 0;
  team->next = 0;
  g_mutex_unlock (&team->lock);
}
