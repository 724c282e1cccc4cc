/* cd-system-sell.c — the right-hand side's partner sums eight governments
 * at a time, with AVX-512 gathers.
 *
 * The node loop (cd-system.c) walks each government's partners in turn:
 * four or so on the national model, too few for a vector, and a branch or
 * a loop exit per government the predictor misses.  Here eight governments
 * go side by side, one per lane, and their k-th partners are fetched
 * together by gathers (the SELL-8 layout of sparse matrix codes: Kreutzer
 * et al., SIAM J. Sci. Comput. 36, 2014).  Each lane sums its own
 * government's partners in the order the node loop does, with the same
 * fused multiply-adds, and each trust rate is the node loop's formula with
 * the same fusion: the same bits as the node loop's FMA variant, which
 * then adds the rest of each government's forces from these sums
 * (FUSE_VECTOR).  Within windows of 64 the governments are sorted by
 * degree, so that lanes seldom idle (the national model: 13,136 slots for
 * 12,330 half-edges, against 17,344 in the layout's order).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-system-private.h"

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
# define HAVE_SELL 1
# include <immintrin.h>
#else
# define HAVE_SELL 0
#endif

#define LANES  8
#define WINDOW 64      /* divides CD_GRANULE: a granule's governments fill whole chunks */
G_STATIC_ASSERT (CD_GRANULE % WINDOW == 0 && CD_BLOCK % WINDOW == 0);

#if HAVE_SELL
static guint
degree (const CdLayout *L,
        guint           k)
{
  return L->partner_start[k + 1] - L->partner_start[k];
}
#endif

CdSell *
cd_sell_new (const CdSystem *sys)
{
#if HAVE_SELL
  const CdLayout *L = &sys->layout;
  const guint n = sys->n_nodes, n_chunks = (n + LANES - 1) / LANES;
  g_autofree guint *order = NULL;
  CdSell *s;
  guint rows = 0;

  if (n < CD_STORE_CHOICE_MIN_NODES || sys->version >= 2
      || !__builtin_cpu_supports ("avx512f") || !__builtin_cpu_supports ("avx512vl"))
    return NULL;

  /* Within each window, the governments by falling degree (stable). */
  order = g_new (guint, n);
  for (guint k = 0; k < n; k++)
    order[k] = k;
  for (guint w = 0; w < n; w += WINDOW)
    for (guint a = w + 1; a < MIN (n, w + WINDOW); a++)
      for (guint b = a; b > w && degree (L, order[b]) > degree (L, order[b - 1]); b--)
        {
          guint t = order[b];
          order[b] = order[b - 1];
          order[b - 1] = t;
        }

  s = g_new0 (CdSell, 1);
  s->n_chunks = n_chunks;
  s->chunk_start = g_new (guint, n_chunks + 1);
  s->chunk_node = g_new (gint32, (gsize) n_chunks * LANES);
  for (guint c = 0; c < n_chunks; c++)
    {
      guint longest = 0;

      for (guint l = 0; l < LANES; l++)
        {
          guint at = c * LANES + l;

          s->chunk_node[at] = at < n ? (gint32) order[at] : -1;
          if (at < n)
            longest = MAX (longest, degree (L, order[at]));
        }
      s->chunk_start[c] = rows;
      rows += longest;
    }
  s->chunk_start[n_chunks] = rows;
  s->slot_node = g_new0 (gint32, (gsize) rows * LANES);
  s->slot_edge = g_new0 (gint32, (gsize) rows * LANES);
  s->slot_interest = g_new0 (double, (gsize) rows * LANES);
  s->slot_live = g_new0 (guint8, MAX (rows, 1));
  s->slot_owner = g_new0 (guint8, MAX (rows, 1));
  for (guint c = 0; c < n_chunks; c++)
    for (guint r = s->chunk_start[c]; r < s->chunk_start[c + 1]; r++)
      for (guint l = 0; l < LANES; l++)
        {
          gint32 k = s->chunk_node[c * LANES + l];
          guint d = r - s->chunk_start[c];

          if (k >= 0 && d < degree (L, (guint) k))
            {
              const CdHalfEdge *he = &L->half_edges[L->partner_start[k] + d];

              s->slot_node[r * LANES + l] = (gint32) he->node;
              s->slot_edge[r * LANES + l] = (gint32) he->edge;
              s->slot_interest[r * LANES + l] = he->interest;
              s->slot_live[r] |= 1u << l;
              /* the trust rate is stored at the partnership's lower end,
               * as the node loop does */
              if ((guint) k < he->node)
                s->slot_owner[r] |= 1u << l;
            }
        }
  return s;
#else
  return NULL;
#endif
}

void
cd_sell_free (CdSell *s)
{
  if (s == NULL)
    return;
  g_free (s->chunk_start);
  g_free (s->chunk_node);
  g_free (s->slot_node);
  g_free (s->slot_edge);
  g_free (s->slot_interest);
  g_free (s->slot_live);
  g_free (s->slot_owner);
  g_free (s);
}

#if HAVE_SELL
# define SELL_TARGET __attribute__ ((target ("avx512f,avx512vl")))
#else
# define SELL_TARGET
#endif

/* The partner sums of the governments [from, to) of the layout (from a
 * multiple of CD_GRANULE) into sums[4 k …]: Σ b x_j, Σ τ x_j and, with an
 * emergency, Σ ι S_j and c_k + Σ c_j x_j; and the trust rates of the
 * partnerships whose lower end is among them.  Only with a table, which
 * cd_sell_new() gives only where this can run. */
SELL_TARGET void
cd_sell_partner_sums (const CdSell *s,
                      guint         from,
                      guint         to,
                      const double *x,
                      const double *trust,
                      const double *info,
                      const double *S,
                      const double *capacity,
                      gboolean      crisis_on,
                      double        eta_g,
                      double        eta_d,
                      double       *sums,
                      double       *trust_rate)
{
#if HAVE_SELL
  const __m512d zero = _mm512_setzero_pd (), one = _mm512_set1_pd (1.0);
  const __m512d gain_rate = _mm512_set1_pd (eta_g), decay_rate = _mm512_set1_pd (eta_d);
  const __m256i four = _mm256_set1_epi32 (4);
  const guint c1 = MIN (s->n_chunks, (to + LANES - 1) / LANES);

  for (guint c = from / LANES; c < c1; c++)
    {
      __m256i node = _mm256_loadu_si256 ((const __m256i *) (s->chunk_node + (gsize) c * LANES));
      __mmask8 lanes = _mm256_cmpge_epi32_mask (node, _mm256_setzero_si256 ());
      __m512d xi = _mm512_mask_i32gather_pd (zero, lanes, node, x, 8);
      __m512d with_interest = zero, with_trust = zero, shared = zero, help = zero;
      __m256i at;

      if (crisis_on)
        help = _mm512_mask_i32gather_pd (zero, lanes, node, capacity, 8);
      for (guint r = s->chunk_start[c]; r < s->chunk_start[c + 1]; r++)
        {
          const __mmask8 live = s->slot_live[r];
          const __m256i j = _mm256_loadu_si256 ((const __m256i *) (s->slot_node + (gsize) r * LANES));
          const __m256i e = _mm256_loadu_si256 ((const __m256i *) (s->slot_edge + (gsize) r * LANES));
          const __m512d b = _mm512_loadu_pd (s->slot_interest + (gsize) r * LANES);
          __m512d xj = _mm512_mask_i32gather_pd (zero, live, j, x, 8);
          __m512d tau = _mm512_mask_i32gather_pd (zero, live, e, trust, 8);
          __m512d iota = _mm512_mask_i32gather_pd (zero, live, e, info, 8);
          __m512d both, grow_part, erode, rate;

          with_interest = _mm512_mask3_fmadd_pd (b, xj, with_interest, live);
          with_trust = _mm512_mask3_fmadd_pd (tau, xj, with_trust, live);
          if (crisis_on)
            {
              __m512d Sj = _mm512_mask_i32gather_pd (zero, live, j, S, 8);
              __m512d cj = _mm512_mask_i32gather_pd (zero, live, j, capacity, 8);

              shared = _mm512_mask3_fmadd_pd (iota, Sj, shared, live);
              help = _mm512_mask3_fmadd_pd (cj, xj, help, live);
            }
          /* trust_rate_of's fused form: gain x_i x_j (1 − τ) − η_d (1 − x_i x_j) τ,
           * the first product fused into the difference */
          both = _mm512_mul_pd (xi, xj);
          grow_part = _mm512_mul_pd (_mm512_mul_pd (gain_rate, _mm512_add_pd (one, iota)), both);
          erode = _mm512_mul_pd (_mm512_mul_pd (decay_rate, _mm512_sub_pd (one, both)), tau);
          rate = _mm512_fmsub_pd (grow_part, _mm512_sub_pd (one, tau), erode);
          _mm512_mask_i32scatter_pd (trust_rate, s->slot_owner[r], e, rate, 8);
        }
      at = _mm256_mullo_epi32 (node, four);
      _mm512_mask_i32scatter_pd (sums, lanes, at, with_interest, 8);
      at = _mm256_add_epi32 (at, _mm256_set1_epi32 (1));
      _mm512_mask_i32scatter_pd (sums, lanes, at, with_trust, 8);
      if (crisis_on)
        {
          at = _mm256_add_epi32 (at, _mm256_set1_epi32 (1));
          _mm512_mask_i32scatter_pd (sums, lanes, at, shared, 8);
          at = _mm256_add_epi32 (at, _mm256_set1_epi32 (1));
          _mm512_mask_i32scatter_pd (sums, lanes, at, help, 8);
        }
    }
#else
  g_assert_not_reached ();
#endif
}
