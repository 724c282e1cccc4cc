/* tsan-glib-sync.c — GMutex, GRecMutex and GCond on pthreads, for TSan runs.
 *
 * On Linux GLib implements GMutex and GCond with raw futexes, which
 * ThreadSanitizer cannot see: every access guarded by a GMutex would be
 * reported as a data race.  Preloaded into a TSan test run
 * (.ci/sanitizers.sh), this library takes over the g_mutex_* and g_cond_*
 * calls our code makes and does them with pthread mutexes and condition
 * variables, which TSan intercepts.  (GLib's calls to itself are bound
 * inside libglib and keep its own implementation; they guard only GLib's
 * own data.)  Never linked into the application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include <glib.h>

/* The pthread object lives behind the GMutex's pointer, created on first
 * use, so that zero-filled static GMutexes work as GLib's do. */
static pthread_mutex_t *
mutex_get (gpointer *slot,
           int       type)
{
  pthread_mutex_t *m = g_atomic_pointer_get (slot);

  if (G_LIKELY (m != NULL))
    return m;
  {
    pthread_mutexattr_t attr;
    pthread_mutex_t *fresh = malloc (sizeof *fresh);

    if (fresh == NULL)
      abort ();
    pthread_mutexattr_init (&attr);
    pthread_mutexattr_settype (&attr, type);
    pthread_mutex_init (fresh, &attr);
    pthread_mutexattr_destroy (&attr);
    if (!g_atomic_pointer_compare_and_exchange (slot, NULL, fresh))
      {
        pthread_mutex_destroy (fresh);
        free (fresh);
      }
    return g_atomic_pointer_get (slot);
  }
}

static void
slot_free_mutex (gpointer *slot)
{
  pthread_mutex_t *m = g_atomic_pointer_get (slot);

  if (m != NULL)
    {
      pthread_mutex_destroy (m);
      free (m);
      g_atomic_pointer_set (slot, NULL);
    }
}

#define NORMAL    PTHREAD_MUTEX_NORMAL
#define RECURSIVE PTHREAD_MUTEX_RECURSIVE

void g_mutex_init (GMutex *m) { m->p = NULL; mutex_get (&m->p, NORMAL); }
void g_mutex_clear (GMutex *m) { slot_free_mutex (&m->p); }
void g_mutex_lock (GMutex *m) { pthread_mutex_lock (mutex_get (&m->p, NORMAL)); }
void g_mutex_unlock (GMutex *m) { pthread_mutex_unlock (mutex_get (&m->p, NORMAL)); }
gboolean g_mutex_trylock (GMutex *m) { return !pthread_mutex_trylock (mutex_get (&m->p, NORMAL)); }

void g_rec_mutex_init (GRecMutex *m) { m->p = NULL; mutex_get (&m->p, RECURSIVE); }
void g_rec_mutex_clear (GRecMutex *m) { slot_free_mutex (&m->p); }
void g_rec_mutex_lock (GRecMutex *m) { pthread_mutex_lock (mutex_get (&m->p, RECURSIVE)); }
void g_rec_mutex_unlock (GRecMutex *m) { pthread_mutex_unlock (mutex_get (&m->p, RECURSIVE)); }

gboolean
g_rec_mutex_trylock (GRecMutex *m)
{
  return pthread_mutex_trylock (mutex_get (&m->p, RECURSIVE)) == 0;
}

static pthread_cond_t *
cond_get (GCond *cond)
{
  pthread_cond_t *c = g_atomic_pointer_get (&cond->p);

  if (G_LIKELY (c != NULL))
    return c;
  {
    pthread_condattr_t attr;
    pthread_cond_t *fresh = malloc (sizeof *fresh);

    if (fresh == NULL)
      abort ();
    /* g_cond_wait_until() takes g_get_monotonic_time() deadlines. */
    pthread_condattr_init (&attr);
    pthread_condattr_setclock (&attr, CLOCK_MONOTONIC);
    pthread_cond_init (fresh, &attr);
    pthread_condattr_destroy (&attr);
    if (!g_atomic_pointer_compare_and_exchange (&cond->p, NULL, fresh))
      {
        pthread_cond_destroy (fresh);
        free (fresh);
      }
    return g_atomic_pointer_get (&cond->p);
  }
}

void g_cond_init (GCond *cond) { cond->p = NULL; cond_get (cond); }

void
g_cond_clear (GCond *cond)
{
  pthread_cond_t *c = g_atomic_pointer_get (&cond->p);

  if (c != NULL)
    {
      pthread_cond_destroy (c);
      free (c);
      cond->p = NULL;
    }
}

void g_cond_signal (GCond *cond) { pthread_cond_signal (cond_get (cond)); }
void g_cond_broadcast (GCond *cond) { pthread_cond_broadcast (cond_get (cond)); }

void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  pthread_cond_wait (cond_get (cond), mutex_get (&mutex->p, NORMAL));
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  struct timespec ts;

  ts.tv_sec = end_time / G_USEC_PER_SEC;
  ts.tv_nsec = (end_time % G_USEC_PER_SEC) * 1000;
  return pthread_cond_timedwait (cond_get (cond), mutex_get (&mutex->p, NORMAL),
                                 &ts) != ETIMEDOUT;
}

/* GLib's static GRWLocks (the error-domain table every g_set_error reads,
 * for one) create their pthread lock on first use and publish it with an
 * atomic TSan cannot see, since libglib is not instrumented.  When two of
 * our threads fail at once (test-fit cancels a multi-start fit), the
 * second thread's read of the lock the first created was reported as a
 * race inside GLib.  Creating one GError here, before main and before any
 * thread, makes that first use happen on the main thread; every thread
 * started later is ordered after it by pthread_create. */
__attribute__ ((constructor)) static void
warm_glib_static_locks (void)
{
  GError *error = g_error_new_literal (g_quark_from_static_string ("tsan-shim"), 0, "warm-up");

  g_error_free (error);
}
