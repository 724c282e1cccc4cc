/* cd-share.c — a loop whose items an owner thread does from the front
 * while a helper, when it has nothing else to do, takes them from the back.
 *
 * A pipelined run (cd-simulate.c) has two threads: the integration's, and
 * the caller's, which formats and writes the samples.  On the national
 * model the second is idle half the time, and the integration is most of
 * the run.  Handing it parts of each stage the way cd-team.c hands out a
 * loop (a mutex, a helper asleep on a condition) cost more than it saved:
 * waking a thread is 20–40 µs on a virtual machine, a stage 10.  Here
 * nobody sleeps and nobody waits for anybody who is not working: the owner
 * publishes a loop in one atomic word, takes items from its front and, at
 * the end, waits only for items the helper has claimed and not finished (a
 * microsecond or two of work each).  The helper claims from the back, so
 * that while both work each keeps to its own end of the state, in its own
 * cache.  A helper busy elsewhere is simply not there; the owner does
 * everything, as it would alone.
 *
 * The word holds the loop's generation, the next item from the front and
 * the end of the items not yet claimed from the back.  A claim is one
 * compare-and-swap of the word; it fails when the other thread claimed in
 * between or when the owner has moved on to the next loop.  The loop's
 * function and data are read before the claim: a claim that succeeds in
 * generation g proves the owner had not yet finished loop g, hence not
 * started writing the next one's.
 *
 * Which thread did an item never changes a result: items write apart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-share.h"

#define ITEM_BITS 20
#define ITEM_MASK ((guint64) CD_SHARE_MAX_ITEMS)
#define GEN_MASK  ((guint64) 0xffffff)
/* Pauses (some 40–100 ns each) between two offers of the processor while
 * waiting for the other thread (cd_share_wait_turn). */
#define YIELD_SPINS 1024
/* The owner claims at most a quarter of what is left, and at most 4. */
#define OWNER_SHARE    4
#define OWNER_MAX_TAKE 4

/* Apart, so that a thread polling one line does not take the other's away
 * from the thread writing it: the owner claims on `word` dozens of times a
 * stage, the helper polls `published` until a loop starts. */
#define LINE 64

struct _CdShare
{
  /* the owner's line */
  guint64      word __attribute__ ((aligned (LINE)));  /* generation << 40 | front << 20 | back, atomic */
  CdShareFunc  func;          /* atomic */
  gpointer     data;          /* atomic */
  guint64      generation;    /* the owner's count of loops */
  /* written once a loop */
  guint64      published __attribute__ ((aligned (LINE)));  /* the last loop's generation, atomic */
  /* the helper's line */
  guint        helper_done __attribute__ ((aligned (LINE)));  /* its items done in this loop, atomic */
  guint64      helper_seen;   /* the loop it found with nothing left */
  guint64      helped;        /* items it did */
};

static inline guint64
pack (guint64 generation,
      guint64 front,
      guint64 back)
{
  return (generation & GEN_MASK) << (2 * ITEM_BITS) | front << ITEM_BITS | back;
}

static inline guint
front_of (guint64 word)
{
  return (guint) ((word >> ITEM_BITS) & ITEM_MASK);
}

static inline guint
back_of (guint64 word)
{
  return (guint) (word & ITEM_MASK);
}

CdShare *
cd_share_new (void)
{
  CdShare *share = g_aligned_alloc0 (1, sizeof (CdShare), LINE);

  share->helper_seen = GEN_MASK + 1;   /* no loop */
  return share;
}

void
cd_share_free (CdShare *share)
{
  g_aligned_free (share);
}

void
cd_share_run (CdShare     *share,
              guint        n_items,
              CdShareFunc  func,
              gpointer     data)
{
  guint mine = 0;
  guint64 word;

  g_return_if_fail (share != NULL && n_items <= CD_SHARE_MAX_ITEMS);

  share->generation++;
  __atomic_store_n (&share->func, func, __ATOMIC_RELAXED);
  __atomic_store_n (&share->data, data, __ATOMIC_RELAXED);
  __atomic_store_n (&share->helper_done, 0, __ATOMIC_RELAXED);
  word = pack (share->generation, 0, n_items);
  __atomic_store_n (&share->word, word, __ATOMIC_RELEASE);
  __atomic_store_n (&share->published, share->generation & GEN_MASK, __ATOMIC_RELEASE);

  for (;;)
    {
      guint front = front_of (word), back = back_of (word), take;

      if (front >= back)
        break;
      /* a few at a time while many are left: fewer claims, each of which
       * may have to fetch the word from the helper's cache */
      take = CLAMP ((back - front) / OWNER_SHARE, 1, OWNER_MAX_TAKE);
      if (__atomic_compare_exchange_n (&share->word, &word,
                                       pack (share->generation, front + take, back),
                                       TRUE, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        {
          for (guint i = front; i < front + take; i++)
            func (data, i);
          mine += take;
          word = __atomic_load_n (&share->word, __ATOMIC_ACQUIRE);
        }
    }
  /* Every item is claimed: wait for the helper's to be done (a microsecond
   * or two, unless it was descheduled in the middle of one). */
  for (guint turns = 0;
       __atomic_load_n (&share->helper_done, __ATOMIC_ACQUIRE) != n_items - mine;)
    cd_share_wait_turn (&turns);
}

void
cd_share_wait_turn (guint *turns)
{
  if (++*turns % YIELD_SPINS == 0)
    g_thread_yield ();
  else
    {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause ();
#endif
    }
}

gboolean
cd_share_help (CdShare *share)
{
  gboolean did = FALSE;
  guint64 word;

  if (__atomic_load_n (&share->published, __ATOMIC_ACQUIRE) == share->helper_seen)
    return FALSE;
  word = __atomic_load_n (&share->word, __ATOMIC_ACQUIRE);
  for (;;)
    {
      guint back = back_of (word);
      CdShareFunc func;
      gpointer data;

      if (front_of (word) >= back)
        {
          share->helper_seen = word >> (2 * ITEM_BITS);
          return did;
        }
      func = __atomic_load_n (&share->func, __ATOMIC_RELAXED);
      data = __atomic_load_n (&share->data, __ATOMIC_RELAXED);
      if (__atomic_compare_exchange_n (&share->word, &word,
                                       (word & ~ITEM_MASK) | (back - 1),
                                       TRUE, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        {
          func (data, back - 1);
          __atomic_fetch_add (&share->helper_done, 1, __ATOMIC_RELEASE);
          share->helped++;
          did = TRUE;
          word = __atomic_load_n (&share->word, __ATOMIC_ACQUIRE);
        }
    }
}

guint64
cd_share_get_helped (CdShare *share)
{
  return share->helped;
}
