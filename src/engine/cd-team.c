/* cd-team.c — a loop shared among threads, each taking what it can.
 *
 * A large model's right-hand side and the integrator's sweeps over the
 * state are loops over independent blocks.  Shared the usual way (an
 * OpenMP parallel for), each loop ends at a barrier that waits for every
 * thread of the team; on a machine where other programs hold the cores, a
 * helper that is not scheduled holds up the whole run: measured on the
 * shared 2-core machine this was written on (load average 19), an
 * evaluation of 16 copies of the national model took 39 ms on two OpenMP
 * threads against 3 ms on one.  Here the caller's thread hands out the
 * items (under a mutex: an item is tens of microseconds of work), takes
 * items itself, and waits only for items a helper has already taken.  A
 * helper (a GThreadPool worker) woken after the loop is over finds nothing
 * to take and goes back to sleep.  Which thread did an item never changes
 * a result: items write apart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-team.h"

struct _CdTeam
{
  guint        threads;
  GThreadPool *pool;        /* threads − 1 helpers; NULL for one thread */
  GMutex       lock;
  GCond        finished;
  /* the loop running, under lock */
  guint64      generation;  /* of the loop; a helper's job names the one it was sent for */
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

static void
helper (gpointer job,
        gpointer user_data)
{
  CdTeam *team = user_data;
  gsize generation = GPOINTER_TO_SIZE (job);

  g_mutex_lock (&team->lock);
  /* a job for a loop already over: nothing to do */
  if ((gsize) team->generation == generation)
    take_items (team);
  g_mutex_unlock (&team->lock);
}

CdTeam *
cd_team_new (guint threads)
{
  CdTeam *team = g_new0 (CdTeam, 1);

  team->threads = MAX (threads, 1);
  g_mutex_init (&team->lock);
  g_cond_init (&team->finished);
  if (team->threads > 1)
    {
      /* exclusive: its own threads, kept for the team's life */
      team->pool = g_thread_pool_new (helper, team, (gint) team->threads - 1, TRUE, NULL);
      if (team->pool == NULL)
        team->threads = 1;
    }
  return team;
}

void
cd_team_free (CdTeam *team)
{
  if (team == NULL)
    return;
  if (team->pool != NULL)
    /* waits for the helpers; jobs still queued belong to loops that are over */
    g_thread_pool_free (team->pool, TRUE, TRUE);
  g_mutex_clear (&team->lock);
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
  guint helpers;

  if (team == NULL || team->pool == NULL || n_items < 2)
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
  helpers = MIN (team->threads - 1, n_items - 1);
  for (guint h = 0; h < helpers; h++)
    /* the generation, never 0, as the job (GThreadPool refuses NULL) */
    g_thread_pool_push (team->pool, GSIZE_TO_POINTER ((gsize) team->generation), NULL);
  take_items (team);
  /* only items a helper took and has not finished */
  while (team->done < team->n_items)
    g_cond_wait (&team->finished, &team->lock);
  /* a late helper must find nothing to take */
  team->n_items = 0;
  team->next = 0;
  g_mutex_unlock (&team->lock);
}
