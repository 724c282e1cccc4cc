/* cd-system.c — the right-hand side of a CdSystem, its workspaces, and the
 * accessors (the system is built in cd-system-build.c, and its order for
 * large networks chosen in cd-system-order.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cd-model-json.h"
#include "cd-system.h"
#include "cd-system-private.h"

CdWorkspace *
cd_workspace_new (const CdSystem *sys)
{
  CdWorkspace *ws = g_new0 (CdWorkspace, 1);

  ws->severity = g_new0 (double, MAX (sys->n_nodes, 1));
  ws->event_now = g_new0 (double, MAX (sys->n_events, 1));
  ws->terms = g_new0 (CdNodeTerms, MAX (sys->n_nodes, 1));
  if (sys->version >= 2)
    ws->terms2 = g_new0 (CdNodeTerms2, MAX (sys->n_nodes, 1));
  ws->net = g_new0 (double, MAX (sys->n_nodes, 1));
  ws->granule_loss = g_new0 (double, sys->n_nodes / CD_GRANULE + 1);
  for (guint w = 0; w < CD_STORE_N_WAYS; w++)
    ws->store_best_ns[w] = G_MAXINT64;
  if (sys->sell != NULL)
    ws->partner_sums = g_new0 (double, 4 * (gsize) sys->n_nodes);
  if (sys->order)
    {
      ws->x_ordered = g_new0 (double, sys->n_nodes + MAX (sys->n_partnerships, 1));
      ws->net_ordered = g_new0 (double, sys->n_nodes);
      ws->loss_ordered = g_new0 (double, sys->n_nodes);
      ws->forces_ordered = g_new0 (double, 4 * (gsize) sys->n_nodes);
      ws->trust_rate_ordered = g_new0 (double, MAX (sys->n_partnerships, 1));
    }
  return ws;
}

void
cd_workspace_set_threads (CdWorkspace *ws,
                          guint        threads)
{
  g_return_if_fail (ws != NULL);

  g_clear_pointer (&ws->team, cd_team_free);
  if (threads > 1)
    ws->team = cd_team_new (threads);
}

/* Below this many state variables a parallel evaluation loses more to
 * handing out the work than it gains: the national model's 9,375 take
 * about 40 µs in one thread. */
#define PARALLEL_MIN_STATE 32768

guint
cd_system_threads_worth_it (const CdSystem *sys,
                            guint           available)
{
  g_return_val_if_fail (sys != NULL, 1);

  if (sys->n_state >= PARALLEL_MIN_STATE && available > 1)
    return MIN (available, (sys->n_nodes + CD_BLOCK - 1) / CD_BLOCK);
  return 1;
}

void
cd_workspace_free (CdWorkspace *ws)
{
  if (ws == NULL)
    return;
  g_free (ws->severity);
  g_free (ws->event_now);
  g_free (ws->terms);
  g_free (ws->terms2);
  g_free (ws->net);
  g_free (ws->granule_loss);
  g_free (ws->x_ordered);
  g_free (ws->net_ordered);
  g_free (ws->loss_ordered);
  g_free (ws->forces_ordered);
  g_free (ws->trust_rate_ordered);
  g_free (ws->partner_sums);
  cd_team_free (ws->team);
  g_free (ws);
}

guint
cd_system_piece_at (const CdSystem *sys,
                    double          t)
{
  guint lo = 0, hi = sys->n_pieces;

  /* last piece with t_start ≤ t */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (sys->pieces[mid].t_start <= t)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

void
cd_system_initial_state (const CdSystem *sys,
                         double         *y)
{
  memcpy (y, sys->x0, sys->n_nodes * sizeof (double));
  memcpy (y + sys->n_nodes, sys->pair_trust0, sys->n_partnerships * sizeof (double));
  y[sys->n_state - 1] = 0.0;
}

double
cd_system_mean_coordination (const CdSystem *sys,
                             const double   *y)
{
  double sum = 0.0;

  if (sys->n_nodes == 0)
    return 0.0;
  for (guint i = 0; i < sys->n_nodes; i++)
    sum += y[i];
  return sum / sys->n_nodes;
}

static inline double
logistic (double z)
{
  return 1.0 / (1.0 + exp (-z));
}

/* dx_i/dt = λ (σ(β F_i) − x_i) for every node, F_i given in rate[i].  These
 * exponentials are a third of a run's time one at a time; glibc's vector
 * variants (libmvec, within 4 ulp of exp) take 4 at a time with AVX2, 2 with
 * the SSE2 every x86-64 has.  The scalar loop is the reference, and the tail. */
static void
logit_rates_scalar (guint               start,
                    guint               n,
                    double *restrict    rate,
                    const double       *x,
                    double              beta,
                    double              lambda)
{
  for (guint i = start; i < n; i++)
    rate[i] = lambda * (logistic (beta * rate[i]) - x[i]);
}

#if HAVE_LIBMVEC
#include <immintrin.h>

__m128d _ZGVbN2v_exp (__m128d x);
/* Declared for AVX2 like its caller: clang refuses 256-bit vector arguments
 * to a function it would otherwise compile for plain x86-64. */
__attribute__ ((target ("avx2"))) __m256d _ZGVdN4v_exp (__m256d x);

__attribute__ ((target ("avx2,fma"))) static guint
logit_rates_avx2 (guint               n,
                  double *restrict    rate,
                  const double       *x,
                  double              beta,
                  double              lambda)
{
  const __m256d one = _mm256_set1_pd (1.0), minus_beta = _mm256_set1_pd (-beta);
  const __m256d lam = _mm256_set1_pd (lambda);
  guint i = 0;

  for (; i + 4 <= n; i += 4)
    {
      __m256d e = _ZGVdN4v_exp (_mm256_mul_pd (minus_beta, _mm256_loadu_pd (rate + i)));
      __m256d sigma = _mm256_div_pd (one, _mm256_add_pd (one, e));
      _mm256_storeu_pd (rate + i, _mm256_mul_pd (lam, _mm256_sub_pd (sigma,
                                                                      _mm256_loadu_pd (x + i))));
    }
  return i;
}

static guint
logit_rates_sse2 (guint               n,
                  double *restrict    rate,
                  const double       *x,
                  double              beta,
                  double              lambda)
{
  const __m128d one = _mm_set1_pd (1.0), minus_beta = _mm_set1_pd (-beta);
  const __m128d lam = _mm_set1_pd (lambda);
  guint i = 0;

  for (; i + 2 <= n; i += 2)
    {
      __m128d e = _ZGVbN2v_exp (_mm_mul_pd (minus_beta, _mm_loadu_pd (rate + i)));
      __m128d sigma = _mm_div_pd (one, _mm_add_pd (one, e));
      _mm_storeu_pd (rate + i, _mm_mul_pd (lam, _mm_sub_pd (sigma, _mm_loadu_pd (x + i))));
    }
  return i;
}
#endif

typedef enum { VECTOR_SCALAR = 1, VECTOR_SSE2, VECTOR_AVX2 } VectorWidth;

/* The widest the processor has; COORDYN_VECTOR_EXP=sse2 or =scalar narrows
 * it, so that the tests run every variant on any machine. */
static VectorWidth
vector_width (void)
{
  static gsize width = 0;

  if (g_once_init_enter (&width))
    {
      const char *forced = g_getenv ("COORDYN_VECTOR_EXP");
      VectorWidth w = VECTOR_SCALAR;

#if HAVE_LIBMVEC
      w = VECTOR_SSE2;
      if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
        w = VECTOR_AVX2;
#endif
      if (g_strcmp0 (forced, "scalar") == 0)
        w = VECTOR_SCALAR;
      else if (g_strcmp0 (forced, "sse2") == 0 && w > VECTOR_SSE2)
        w = VECTOR_SSE2;
      g_once_init_leave (&width, w);
    }
  return (VectorWidth) width;
}

/* The ways this system's evaluations can take (CdStoreWay): the vector
 * loop needs a partner table and the FMA node loop, whose bits it has. */
static guint
store_ways (const CdSystem *sys)
{
  return sys->sell != NULL && vector_width () == VECTOR_AVX2 ? CD_STORE_N_WAYS
                                                             : CD_STORE_VECTOR;
}

gboolean
cd_workspace_set_store_choice (const CdSystem *sys,
                               CdWorkspace    *ws,
                               CdStoreWay      way)
{
  g_return_val_if_fail (sys != NULL && ws != NULL, FALSE);

  if (way >= store_ways (sys))
    return FALSE;
  ws->store_way = way;
  ws->store_trials = G_MAXUINT;
  return TRUE;
}

static void
logit_rates (guint               n,
             double *restrict    rate,
             const double       *x,
             double              beta,
             double              lambda)
{
  guint done = 0;

#if HAVE_LIBMVEC
  switch (vector_width ())
    {
    case VECTOR_AVX2:
      done = logit_rates_avx2 (n, rate, x, beta, lambda);
      break;
    case VECTOR_SSE2:
      done = logit_rates_sse2 (n, rate, x, beta, lambda);
      break;
    case VECTOR_SCALAR:
      break;
    }
#endif
  logit_rates_scalar (done, n, rate, x, beta, lambda);
}

/* The per-node and per-partnership terms that depend only on the
 * parameters, for the parameters p. */
static void
cache_terms (const CdSystem *sys,
             const double   *p,
             CdWorkspace    *ws)
{
  const double p_a = p[CD_PARAM_PRESSURE_ADMIN], p_c = p[CD_PARAM_PRESSURE_CRISIS];
  const double t_i = p[CD_PARAM_THRUST_INFO], t_a = p[CD_PARAM_THRUST_APPRAISAL];
  const double damping = (1.0 - p[CD_PARAM_RESISTANCE_SUPERVISION])
                         * (1.0 - p[CD_PARAM_RESISTANCE_LAW]);
  const double r_f = damping * p[CD_PARAM_RESISTANCE_FRAGMENTATION];
  const double r_b = damping * p[CD_PARAM_RESISTANCE_BURDEN]
                     * (1.0 - p[CD_PARAM_RESISTANCE_COMPENSATION]);
  const CdLayout *L = &sys->layout;

  /* terms[k] for the government at k in the layout's order (i in the file) */
  for (guint k = 0; k < sys->n_nodes; k++)
    {
      CdNodeTerms *nt = &ws->terms[k];
      guint i = sys->order ? sys->order[k] : k;
      guint s0 = L->superior_start[k], s1 = L->superior_start[k + 1];
      double thrust = t_i * sys->info_mean[i] + (sys->has_superior[i] ? t_a : 0.0);
      double resistance = r_f * sys->fragmentation[i] + r_b * sys->burden[i];

      nt->steady = thrust - resistance;
      nt->crisis_gain = p_c * sys->vulnerability[i];
      nt->inv_degree = sys->inv_degree[i];
      nt->capacity = sys->capacity[i];
      nt->vulnerability = sys->vulnerability[i];
      nt->inv_engaged = 1.0 / (1.0 + (sys->partner_start[i + 1] - sys->partner_start[i]));
      nt->partner_end = L->partner_start[k + 1];
      nt->subordinate_start = L->subordinate_start[k];
      nt->subordinate_end = L->subordinate_start[k + 1];
      /* H_i = Σ h x_s / Σ h: with one superior, p_a H_i = (p_a h / h) x_s;
       * without, 0 · x_i (x_i is read but counts for nothing). */
      if (s1 - s0 == 1)
        {
          nt->superior = L->superior_node[s0];
          nt->admin = p_a * sys->inv_weight_sum[i] * L->superior_weight[s0];
        }
      else if (s1 == s0)
        {
          nt->superior = k;
          nt->admin = 0.0;
        }
      else
        {
          nt->superior = CD_NODE_SEVERAL;
          nt->admin = p_a * sys->inv_weight_sum[i];
        }
    }
  memcpy (ws->cached_params, p, sizeof ws->cached_params);
  ws->cached = TRUE;
}

/* Keeps the compiler from fusing the value into a later multiply-add. */
#if defined (__GNUC__) && (defined (__x86_64__) || defined (__i386__))
# define VALUE_BARRIER(v) __asm__ ("" : "+x" (v))
#else
# define VALUE_BARRIER(v) ((void) (v))
#endif

/* a b + c, fused in the node loop's FMA variant: spelt out rather than
 * left to the compiler's contraction, so that the vector loop of
 * cd-system-sell.c, which fuses the same way, gives the same bits whatever
 * the compiler's -ffp-contract. */
#define MADD(fma, a, b, c) ((fma) ? __builtin_fma ((a), (b), (c)) : (a) * (b) + (c))

/* dτ_ij/dt for the node loop, which meets each partnership at both ends
 * with x_i, x_j, τ_ij and ι_ij at hand: the trust rates then need no pass of
 * their own over the partnerships (on a large network, one stream of a
 * fifth of the bytes an evaluation reads).  The FMA variant of the loop
 * fuses its multiply-adds (5 % of an evaluation of the national model);
 * the product x_i x_j is the same either way round, so both ends give the
 * same bits. */
static inline __attribute__ ((always_inline)) double
trust_rate_of (double   xi,
               double   xj,
               double   tau,
               double   info,
               double   eta_g,
               double   eta_d,
               gboolean fma)
{
  double both = xi * xj, gain = eta_g * (1.0 + info);

  /* the first product fused into the difference, as GCC contracted it */
  return MADD (fma, gain * both, 1.0 - tau, -(eta_d * (1.0 - both) * tau));
}

/* How the node loop stores the trust rates it gives (the rate of each
 * partnership at its lower end).  Every way gives the same bits; which is
 * fastest depends on the processor (cd_system_evaluate() times them):
 * - FUSE_BRANCH computes the rate at the lower end only, behind a branch on
 *   i < j that the processor cannot predict on a large network;
 * - FUSE_SELECT computes it at both ends and stores the upper end's into a
 *   sink, the address picked by a conditional move: twice the arithmetic,
 *   no mispredicted branch.  On the national model 64.5 against 76.5 µs an
 *   evaluation on a Xeon VM, 32 against 29 µs on an EPYC one;
 * - FUSE_VECTOR takes each government's partner sums, and the trust rates,
 *   from the AVX-512 loop of cd-system-sell.c, eight governments at a time,
 *   and adds the rest of its forces here. */
typedef enum
{
  FUSE_NONE,
  FUSE_BRANCH,
  FUSE_SELECT,
  FUSE_VECTOR       /* the partner sums and trust rates from cd-system-sell.c */
} FuseMode;

#if defined (__GNUC__)
# define POINTER_BARRIER(p) __asm__ ("" : "+r" (p))
#else
# define POINTER_BARRIER(p) ((void) (p))
#endif

static inline __attribute__ ((always_inline)) void
fuse_trust_rate (FuseMode               fuse,
                 gboolean               fma,
                 guint                  i,
                 const CdHalfEdge      *he,
                 double                 xi,
                 double                 xj,
                 double                 tau,
                 const double *restrict info,
                 double                 eta_g,
                 double                 eta_d,
                 double *restrict       trust_rate,
                 double                *sink)
{
  if (fuse == FUSE_BRANCH)
    {
      if (i < he->node)
        trust_rate[he->edge] = trust_rate_of (xi, xj, tau, info[he->edge], eta_g, eta_d, fma);
    }
  else if (fuse == FUSE_SELECT)
    {
      double rate = trust_rate_of (xi, xj, tau, info[he->edge], eta_g, eta_d, fma);
      double *to = i < he->node ? &trust_rate[he->edge] : sink;

      /* the store through an address the compiler cannot see through, so
       * that it stays unconditional */
      POINTER_BARRIER (to);
      *to = rate;
    }
}

/* After node i of a loop ending at `end`: where a granule ends, its part of
 * the loss (acc) goes to parts[i / CD_GRANULE] and acc starts again. */
#define GRANULE_END(i, end, parts, acc) \
  G_STMT_START { \
    if ((parts) != NULL && (((i) + 1) % CD_GRANULE == 0 || (i) + 1 == (end))) \
      { \
        (parts)[(i) / CD_GRANULE] = (acc); \
        (acc) = 0.0; \
      } \
  } G_STMT_END

/* dL/dt: the granules' parts, in order. */
static double
granule_loss_sum (const CdSystem    *sys,
                  const CdWorkspace *ws)
{
  double loss_rate = 0.0;

  for (guint g = 0; g < (sys->n_nodes + CD_GRANULE - 1) / CD_GRANULE; g++)
    loss_rate += ws->granule_loss[g];
  return loss_rate;
}

/* F_i for every node into net[] (and G_i, P_i into forces), and each
 * granule's part of dL/dt into granule_loss (or each node's into
 * node_loss).  Inlined twice: for any x86-64, and with FMA where the
 * processor has AVX2, whose fused multiply-adds save a third of the partner
 * loop's instructions. */
static inline __attribute__ ((always_inline)) void
node_forces_inline (guint                        from,
                    guint                        n,
                    const CdNodeTerms *restrict  terms,
                    const CdHalfEdge *restrict   half,
                    const double *restrict       info,
                    const double *restrict       capacity,
                    const guint *restrict        superior_start,
                    const guint *restrict        superior_node,
                    const double *restrict       superior_weight,
                    const guint *restrict        subordinate_node,
                    const double *restrict       subordinate_weight,
                    const double                *x,
                    const double                *trust,
                    const double *restrict       S,
                    double                       g_b,
                    double                       g_tau,
                    gboolean                     crisis_on,
                    double *restrict             net,
                    double *restrict             node_loss,
                    double *restrict             granule_loss,
                    double *restrict             trust_rate,
                    double                       eta_g,
                    double                       eta_d,
                    FuseMode                     fuse,
                    gboolean                     fma,
                    const double *restrict       sums,
                    CdForces                    *forces)
{
  double loss_rate = 0.0, sink;
  guint q0 = from == 0 ? 0 : terms[from - 1].partner_end;

  for (guint i = from; i < n; i++)
    {
      const CdNodeTerms *nt = &terms[i];
      const guint q1 = nt->partner_end;
      double with_interest = 0.0, with_trust = 0.0;
      double gravity, pressure;

      /* One pass over the partners: gravity's two sums, and with an
       * emergency the shared crisis and the capacity drawn on (M_i). */
      if (crisis_on)
        {
          double shared = 0.0, help = nt->capacity, worst = 0.0, lost;

          if (fuse == FUSE_VECTOR)
            {
              with_interest = sums[4 * (gsize) i];
              with_trust = sums[4 * (gsize) i + 1];
              shared = sums[4 * (gsize) i + 2];
              help = sums[4 * (gsize) i + 3];
            }
          else
            for (guint q = q0; q < q1; q++)
              {
                const CdHalfEdge *he = &half[q];
                double xj = x[he->node], tau = trust[he->edge];
                with_interest = MADD (fma, he->interest, xj, with_interest);
                with_trust = MADD (fma, tau, xj, with_trust);
                shared = MADD (fma, info[he->edge], S[he->node], shared);
                help = MADD (fma, capacity[he->node], xj, help);
                fuse_trust_rate (fuse, fma, i, he, x[i], xj, tau, info, eta_g, eta_d, trust_rate,
                                 &sink);
              }
          /* C_i = S_i + (1/k_i) Σ_j ι_ij S_j + max_d h_id S_d */
          for (guint q = nt->subordinate_start; q < nt->subordinate_end; q++)
            {
              double report = subordinate_weight[q] * S[subordinate_node[q]];
              if (report > worst)
                worst = report;
            }
          pressure = nt->crisis_gain * (S[i] + nt->inv_degree * shared + worst);
          /* M_i = x_i (c_i + Σ_j c_j x_j) / (1 + k_i) */
          lost = nt->vulnerability * S[i] * (1.0 - x[i] * help * nt->inv_engaged);
          /* rounded on its own, not fused into the sum: in the graph order
           * the parts are summed afterwards, in the file's order */
          VALUE_BARRIER (lost);
          if (node_loss)
            node_loss[i] = lost;
          else
            loss_rate += lost;
        }
      else
        {
          if (fuse == FUSE_VECTOR)
            {
              with_interest = sums[4 * (gsize) i];
              with_trust = sums[4 * (gsize) i + 1];
            }
          else
            for (guint q = q0; q < q1; q++)
              {
                const CdHalfEdge *he = &half[q];
                double xj = x[he->node], tau = trust[he->edge];
                with_interest = MADD (fma, he->interest, xj, with_interest);
                with_trust = MADD (fma, tau, xj, with_trust);
                fuse_trust_rate (fuse, fma, i, he, x[i], xj, tau, info, eta_g, eta_d, trust_rate,
                                 &sink);
              }
          pressure = 0.0;
        }
      q0 = q1;
      gravity = (g_b * with_interest + g_tau * with_trust) * nt->inv_degree;
      /* F_i must be G_i + P_i + (T_i − R_i) from the G_i reported, not a
       * fused multiply-add of its last product. */
      VALUE_BARRIER (gravity);

      if (G_LIKELY (nt->superior != CD_NODE_SEVERAL))
        pressure = nt->admin * x[nt->superior] + pressure;
      else
        {
          double pulled = 0.0;

          for (guint q = superior_start[i]; q < superior_start[i + 1]; q++)
            pulled += superior_weight[q] * x[superior_node[q]];
          pressure = nt->admin * pulled + pressure;
        }
      /* and of the P_i reported: without the barrier the compiler fused
       * p_a H_i into this sum in some of the loop's variants (with forces or
       * without, trust rates or not) and not in others */
      VALUE_BARRIER (pressure);

      net[i] = gravity + pressure + nt->steady;
      if (forces)
        {
          forces->gravity[i] = gravity;
          forces->pressure[i] = pressure;
        }
      GRANULE_END (i, n, granule_loss, loss_rate);
    }
}

#define NODE_FORCES_ARGS \
  guint from, guint n, const CdNodeTerms *restrict terms, const CdHalfEdge *restrict half, \
  const double *restrict info, const double *restrict capacity, \
  const guint *restrict superior_start, const guint *restrict superior_node, \
  const double *restrict superior_weight, const guint *restrict subordinate_node, \
  const double *restrict subordinate_weight, const double *x, const double *trust, \
  const double *restrict S, double g_b, double g_tau, gboolean crisis_on, \
  double *restrict net, double *restrict node_loss, double *restrict granule_loss, \
  double *restrict trust_rate, \
  double eta_g, double eta_d, gboolean select, const double *restrict sums, CdForces *forces
/* Each combination of the flags its own loop, without tests per node; the
 * trust rates are stored by selection, or come with the partner sums, only
 * in runs (no forces); the partner sums only where the loop has FMA. */
#define NODE_FORCES_CALL \
  (trust_rate == NULL ? NODE_FORCES_CALL_FUSE (FUSE_NONE) \
   : fma && sums != NULL && forces == NULL \
     ? (crisis_on ? node_forces_inline (NODE_FORCES_CALL_WITH (TRUE, NULL, FUSE_VECTOR)) \
                  : node_forces_inline (NODE_FORCES_CALL_WITH (FALSE, NULL, FUSE_VECTOR))) \
   : select && forces == NULL \
     ? (crisis_on ? node_forces_inline (NODE_FORCES_CALL_WITH (TRUE, NULL, FUSE_SELECT)) \
                  : node_forces_inline (NODE_FORCES_CALL_WITH (FALSE, NULL, FUSE_SELECT))) \
   : NODE_FORCES_CALL_FUSE (FUSE_BRANCH))
#define NODE_FORCES_CALL_FUSE(fuse) \
  (crisis_on \
   ? (forces ? node_forces_inline (NODE_FORCES_CALL_WITH (TRUE, forces, fuse)) \
             : node_forces_inline (NODE_FORCES_CALL_WITH (TRUE, NULL, fuse))) \
   : (forces ? node_forces_inline (NODE_FORCES_CALL_WITH (FALSE, forces, fuse)) \
             : node_forces_inline (NODE_FORCES_CALL_WITH (FALSE, NULL, fuse))))
#define NODE_FORCES_CALL_WITH(crisis, f, fuse) \
  from, n, terms, half, info, capacity, superior_start, superior_node, superior_weight, \
  subordinate_node, subordinate_weight, x, trust, S, g_b, g_tau, crisis, net, node_loss, \
  granule_loss, trust_rate, eta_g, eta_d, fuse, fma, sums, f

static void
node_forces (NODE_FORCES_ARGS)
{
  const gboolean fma = FALSE;

  NODE_FORCES_CALL;
}

#if HAVE_LIBMVEC
__attribute__ ((target ("avx2,fma"))) static void
node_forces_fma (NODE_FORCES_ARGS)
{
  const gboolean fma = TRUE;

  NODE_FORCES_CALL;
}
#endif

/* ---- version 2 (docs/model.md, "Model 2") ---------------------------------- */

/* Version 2's per-node terms for the parameters p. */
static void
cache_terms2 (const CdSystem *sys,
              const double   *p,
              CdWorkspace    *ws)
{
  const double p_a = p[CD_PARAM_PRESSURE_ADMIN], p_k = p[CD_PARAM_PRESSURE_COMMAND];
  const double p_c = p[CD_PARAM_PRESSURE_CRISIS];
  const double t_i = p[CD_PARAM_THRUST_INFO], t_a = p[CD_PARAM_THRUST_APPRAISAL];
  const double mu_s = p[CD_PARAM_RESISTANCE_SUPERVISION], mu_l = p[CD_PARAM_RESISTANCE_LAW];
  const double r_I = p[CD_PARAM_RESISTANCE_IDEAS], r_P = p[CD_PARAM_RESISTANCE_POWERS];
  const double r_b = p[CD_PARAM_RESISTANCE_BURDEN] * (1.0 - p[CD_PARAM_RESISTANCE_COMPENSATION]);

  const CdLayout *L = &sys->layout;

  for (guint k = 0; k < sys->n_nodes; k++)
    {
      CdNodeTerms2 *nt = &ws->terms2[k];
      guint i = sys->order ? sys->order[k] : k;
      /* supervision reaches a government through its superiors */
      double damping = 1.0 - mu_s * sys->supervised[i];
      double ideas = damping * r_I * sys->fragmentation_ideas[i];
      double fixed_part = damping * (r_P * sys->fragmentation_powers[i] * (1.0 - mu_l)
                                     + r_b * sys->burden[i]);

      nt->thrust = t_i * sys->info_mean[i] + t_a * sys->appraisal[i];
      /* R_i's ideas term r_I f^I (1 − τ̄_i): its constant part here, and
       * −(D r_I f^I / k_i) Σ τ_ij from the partner loop. */
      nt->steady = nt->thrust - fixed_part - ideas;
      nt->ideas = ideas * sys->inv_degree[i];
      nt->crisis_gain = p_c * sys->vulnerability[i];
      nt->admin = p_a * sys->inv_weight_admin[i];
      nt->command = p_k * sys->inv_weight_emergency[i];
      nt->inv_degree = sys->inv_degree[i];
      nt->capacity = sys->capacity[i];
      nt->vulnerability = sys->vulnerability[i];
      nt->inv_engaged = 1.0 / (1.0 + (sys->partner_start[i + 1] - sys->partner_start[i]));
      nt->partner_end = L->partner_start[k + 1];
      nt->superior_start = L->superior_start[k];
      nt->superior_end = L->superior_start[k + 1];
      nt->subordinate_start = L->subordinate_start[k];
      nt->subordinate_end = L->subordinate_start[k + 1];
    }
}

/* Version 2's F_i for every node into net[] (and G, P, T, R into forces),
 * and dL/dt's parts as version 1's.  One pass over each node's partners
 * gives gravity's two sums, the trust that dissolves the fragmentation of
 * ideas and, with an emergency, the shared crisis and the capacity drawn
 * on. */
static inline __attribute__ ((always_inline)) void
node_forces2_inline (guint                         from,
                     guint                         n,
                     const CdNodeTerms2 *restrict  terms,
                     const CdHalfEdge *restrict    half,
                     const double *restrict        info,
                     const double *restrict        capacity,
                     const guint *restrict         superior_node,
                     const double *restrict        superior_weight,
                     const guint8 *restrict        superior_emergency,
                     const guint *restrict         subordinate_node,
                     const double *restrict        subordinate_weight,
                     const double                 *x,
                     const double                 *trust,
                     const double *restrict        S,
                     double                        g_b,
                     double                        g_tau,
                     gboolean                      crisis_on,
                     double *restrict              net,
                     double *restrict              node_loss,
                     double *restrict              granule_loss,
                     double *restrict              trust_rate,
                     double                        eta_g,
                     double                        eta_d,
                     FuseMode                      fuse,
                     gboolean                      fma,
                     CdForces                     *forces)
{
  double loss_rate = 0.0, sink;
  guint q0 = from == 0 ? 0 : terms[from - 1].partner_end;

  for (guint i = from; i < n; i++)
    {
      const CdNodeTerms2 *nt = &terms[i];
      const guint q1 = nt->partner_end;
      double with_interest = 0.0, with_trust = 0.0, trust_sum = 0.0;
      double pulled_admin = 0.0, pulled_command = 0.0, crisis = 0.0;
      double gravity, pressure, steady;

      if (crisis_on)
        {
          double shared = 0.0, help = nt->capacity, worst = 0.0, lost;

          for (guint q = q0; q < q1; q++)
            {
              const CdHalfEdge *he = &half[q];
              double xj = x[he->node], tau = trust[he->edge];
              with_interest = MADD (fma, he->interest, xj, with_interest);
              with_trust = MADD (fma, tau, xj, with_trust);
              trust_sum += tau;
              shared = MADD (fma, info[he->edge], S[he->node], shared);
              help = MADD (fma, capacity[he->node], xj, help);
              fuse_trust_rate (fuse, fma, i, he, x[i], xj, tau, info, eta_g, eta_d, trust_rate,
                               &sink);
            }
          for (guint q = nt->subordinate_start; q < nt->subordinate_end; q++)
            {
              double report = subordinate_weight[q] * S[subordinate_node[q]];
              if (report > worst)
                worst = report;
            }
          /* C_i = S_i + (1/k_i) Σ_j ι_ij S_j + max_d h_id S_d */
          crisis = S[i] + nt->inv_degree * shared + worst;
          lost = nt->vulnerability * S[i] * (1.0 - x[i] * help * nt->inv_engaged);
          /* rounded on its own, not fused into the sum: in the graph order
           * the parts are summed afterwards, in the file's order */
          VALUE_BARRIER (lost);
          if (node_loss)
            node_loss[i] = lost;
          else
            loss_rate += lost;
        }
      else
        for (guint q = q0; q < q1; q++)
          {
            const CdHalfEdge *he = &half[q];
            double xj = x[he->node], tau = trust[he->edge];
            with_interest = MADD (fma, he->interest, xj, with_interest);
            with_trust = MADD (fma, tau, xj, with_trust);
            trust_sum += tau;
            fuse_trust_rate (fuse, fma, i, he, x[i], xj, tau, info, eta_g, eta_d, trust_rate,
                             &sink);
          }
      q0 = q1;
      for (guint q = nt->superior_start; q < nt->superior_end; q++)
        {
          double pull = superior_weight[q] * x[superior_node[q]];
          if (superior_emergency[q])
            pulled_command += pull;
          else
            pulled_admin += pull;
        }
      gravity = (g_b * with_interest + g_tau * with_trust) * nt->inv_degree;
      VALUE_BARRIER (gravity);
      /* P_i = p_a H^a + p_k A_i H^e + p_c v_i C_i, A_i = C_i / (1 + C_i):
       * the emergency command system is activated by the crisis felt. */
      pressure = nt->admin * pulled_admin + nt->crisis_gain * crisis;
      if (pulled_command != 0.0)
        pressure += nt->command * (crisis / (1.0 + crisis)) * pulled_command;
      VALUE_BARRIER (pressure);
      steady = nt->steady + nt->ideas * trust_sum;
      net[i] = gravity + pressure + steady;
      if (forces)
        {
          forces->gravity[i] = gravity;
          forces->pressure[i] = pressure;
          forces->thrust[i] = nt->thrust;
          forces->resistance[i] = nt->thrust - steady;
        }
      GRANULE_END (i, n, granule_loss, loss_rate);
    }
}

#define NODE_FORCES2_ARGS \
  guint from, guint n, const CdNodeTerms2 *restrict terms, const CdHalfEdge *restrict half, \
  const double *restrict info, const double *restrict capacity, \
  const guint *restrict superior_node, const double *restrict superior_weight, \
  const guint8 *restrict superior_emergency, const guint *restrict subordinate_node, \
  const double *restrict subordinate_weight, const double *x, const double *trust, \
  const double *restrict S, double g_b, double g_tau, gboolean crisis_on, \
  double *restrict net, double *restrict node_loss, double *restrict granule_loss, \
  double *restrict trust_rate, \
  double eta_g, double eta_d, gboolean select, CdForces *forces
#define NODE_FORCES2_CALL_WITH(crisis, f, fuse) \
  from, n, terms, half, info, capacity, superior_node, superior_weight, superior_emergency, \
  subordinate_node, subordinate_weight, x, trust, S, g_b, g_tau, crisis, net, node_loss, \
  granule_loss, trust_rate, eta_g, eta_d, fuse, fma, f
/* Each combination of the flags its own loop, as version 1's. */
#define NODE_FORCES2_CALL \
  (trust_rate == NULL ? NODE_FORCES2_CALL_FUSE (FUSE_NONE) \
   : select && forces == NULL \
     ? (crisis_on ? node_forces2_inline (NODE_FORCES2_CALL_WITH (TRUE, NULL, FUSE_SELECT)) \
                  : node_forces2_inline (NODE_FORCES2_CALL_WITH (FALSE, NULL, FUSE_SELECT))) \
   : NODE_FORCES2_CALL_FUSE (FUSE_BRANCH))
#define NODE_FORCES2_CALL_FUSE(fuse) \
  (crisis_on \
   ? (forces ? node_forces2_inline (NODE_FORCES2_CALL_WITH (TRUE, forces, fuse)) \
             : node_forces2_inline (NODE_FORCES2_CALL_WITH (TRUE, NULL, fuse))) \
   : (forces ? node_forces2_inline (NODE_FORCES2_CALL_WITH (FALSE, forces, fuse)) \
             : node_forces2_inline (NODE_FORCES2_CALL_WITH (FALSE, NULL, fuse))))

static void
node_forces2 (NODE_FORCES2_ARGS)
{
  const gboolean fma = FALSE;

  NODE_FORCES2_CALL;
}

#if HAVE_LIBMVEC
/* With FMA where the processor has AVX2, as version 1's loop. */
__attribute__ ((target ("avx2,fma"))) static void
node_forces2_fma (NODE_FORCES2_ARGS)
{
  const gboolean fma = TRUE;

  NODE_FORCES2_CALL;
}
#endif

/* dydt[i] = F_i turned into dx_i/dt for the nodes [from, to).  `from` is
 * a multiple of 4, so the vector loop takes the same groups of four as over
 * all nodes at once. */
static void
rates_block (const CdSystem    *sys,
             const CdWorkspace *ws,
             const double      *p,
             guint              from,
             guint              to,
             const double      *x,
             double            *dydt)
{
  const double beta = p[CD_PARAM_DYNAMICS_RATIONALITY], lambda = p[CD_PARAM_DYNAMICS_RATE];

  if (sys->rule == CD_RULE_LOGIT)
    logit_rates (to - from, dydt + from, x + from, beta, lambda);
  else if (ws->logodds != NULL)
    {
      /* The integrator's log-odds (cd_workspace_set_logodds): dz_i/dt = λ F_i. */
      const guint8 *restrict logodds = ws->logodds;

      for (guint i = from; i < to; i++)
        dydt[i] = logodds[i] ? lambda * dydt[i] : lambda * x[i] * (1.0 - x[i]) * dydt[i];
    }
  else
    for (guint i = from; i < to; i++)
      dydt[i] = lambda * x[i] * (1.0 - x[i]) * dydt[i];
}

void
cd_workspace_set_logodds (CdWorkspace  *ws,
                          const guint8 *logodds)
{
  g_return_if_fail (ws != NULL);
  ws->logodds = logodds;
}

/* One block of nodes [from, to) of the layout's order (from a multiple of
 * CD_GRANULE): F_i into net[] (forces too), and with dydt the rates of x;
 * the block's parts of dL/dt into ws->granule_loss, or with node_loss each
 * node's part there.  With trust_rate, the rates of the trusts that the
 * block's nodes meet first (lower end). */
static void
evaluate_block (const CdSystem *sys,
                CdWorkspace    *ws,
                const double   *p,
                guint           from,
                guint           to,
                const double   *x,
                const double   *trust,
                gboolean        crisis_on,
                double         *net,
                double         *node_loss,
                double         *trust_rate,
                double         *dydt,
                CdForces       *forces)
{
  const double eta_g = p[CD_PARAM_DYNAMICS_TRUST_GAIN], eta_d = p[CD_PARAM_DYNAMICS_TRUST_DECAY];
  const double *restrict S = ws->severity;
  const double g_b = p[CD_PARAM_GRAVITY_INTEREST], g_tau = p[CD_PARAM_GRAVITY_TRUST];
  const CdLayout *L = &sys->layout;
  /* Every array in a local: stores to the output could otherwise alias the
   * CdSystem's fields, and each iteration would reload them. */
  const CdHalfEdge *restrict half = L->half_edges;
  const double *restrict info = L->pair_info;
  const double *restrict capacity = L->capacity;
  const guint *restrict subordinate_node = L->subordinate_node;
  const double *restrict subordinate_weight = L->subordinate_weight;
  const guint n = to;
  const gboolean select = ws->store_way == CD_STORE_SELECT;
  const double *sums = NULL;
  double *granule_loss = node_loss != NULL ? NULL : ws->granule_loss;

  /* The partner sums and the trust rates eight governments at a time
   * (store_ways() has checked that the FMA node loop takes them). */
  if (ws->store_way == CD_STORE_VECTOR && trust_rate != NULL && forces == NULL)
    {
      cd_sell_partner_sums (sys->sell, from, to, x, trust, info, S, capacity, crisis_on, eta_g,
                            eta_d, ws->partner_sums, trust_rate);
      sums = ws->partner_sums;
    }

  if (sys->version >= 2)
    {
      const CdNodeTerms2 *restrict terms = ws->terms2;

#if HAVE_LIBMVEC
      if (vector_width () == VECTOR_AVX2)
        node_forces2_fma (from, n, terms, half, info, capacity, L->superior_node,
                          L->superior_weight, L->superior_emergency, subordinate_node,
                          subordinate_weight, x, trust, S, g_b, g_tau, crisis_on, net,
                          node_loss, granule_loss, trust_rate, eta_g, eta_d, select, forces);
      else
#endif
        node_forces2 (from, n, terms, half, info, capacity, L->superior_node,
                      L->superior_weight, L->superior_emergency, subordinate_node,
                      subordinate_weight, x, trust, S, g_b, g_tau, crisis_on, net, node_loss,
                      granule_loss, trust_rate, eta_g, eta_d, select, forces);
    }
  else
    {
      const CdNodeTerms *restrict terms = ws->terms;

#if HAVE_LIBMVEC
      if (vector_width () == VECTOR_AVX2)
        node_forces_fma (from, n, terms, half, info, capacity, L->superior_start,
                         L->superior_node, L->superior_weight, subordinate_node,
                         subordinate_weight, x, trust, S, g_b, g_tau, crisis_on, net, node_loss,
                         granule_loss, trust_rate, eta_g, eta_d, select, sums, forces);
      else
#endif
        node_forces (from, n, terms, half, info, capacity, L->superior_start,
                     L->superior_node, L->superior_weight, subordinate_node, subordinate_weight,
                     x, trust, S, g_b, g_tau, crisis_on, net, node_loss, granule_loss,
                     trust_rate, eta_g, eta_d, select, sums, forces);
    }

  if (dydt)
    rates_block (sys, ws, p, from, to, x, dydt);
}

/* S_i for the impacted nodes [from, to) of the impacted list, from the
 * events' levels in ws->event_now: the per-event loop's sums, per node. */
static void
severity_by_node (const CdSystem *sys,
                  CdWorkspace    *ws,
                  guint           n_active,
                  guint           from,
                  guint           to)
{
  double *restrict S = ws->severity;

  for (guint j = from; j < to; j++)
    {
      double sum = 0.0;

      for (guint q = sys->node_impact_start[j]; q < sys->node_impact_start[j + 1]; q++)
        {
          if (sys->node_impact_event[q] >= n_active)
            break;
          sum += ws->event_now[sys->node_impact_event[q]] * sys->node_impact_a[q];
        }
      S[sys->layout.impacted[j]] = sum;
    }
}

/* The per-node terms of the parameters p, unless they are cached. */
static void
cache_terms_for (const CdSystem *sys,
                 const double   *p,
                 CdWorkspace    *ws)
{
  if (!ws->cached || memcmp (ws->cached_params, p, sizeof ws->cached_params) != 0)
    {
      cache_terms (sys, p, ws);
      if (sys->version >= 2)
        cache_terms2 (sys, p, ws);
    }
}

/* Each active event's m_k exp(−(t − t_k)/d_k) into ws->event_now.  At
 * t = t_k the factor is 1 exactly: computing it as exp(−0 · (1/d_k)) would
 * give NaN when 1/d_k overflows (a subnormal d_k). */
static void
event_levels (const CdSystem *sys,
              const CdPiece  *piece,
              double          t,
              CdWorkspace    *ws)
{
  for (guint k = 0; k < piece->n_active_events; k++)
    {
      double since = t - sys->event_onset[k];
      ws->event_now[k] = sys->event_magnitude[k]
                         * (since > 0.0 ? exp (-since * sys->event_inv_decay[k]) : 1.0);
    }
}

/* Crisis severity S_i(t) = Σ_k m_k a_ik exp(−(t − t_k)/d_k) of every
 * impacted node, event by event, from ws->event_now. */
static void
severity_by_event (const CdSystem *sys,
                   const CdPiece  *piece,
                   CdWorkspace    *ws)
{
  double *restrict S = ws->severity;
  const guint *restrict impacted = sys->layout.impacted;
  const guint *restrict impact_node = sys->layout.impact_node;

  for (guint q = 0; q < sys->n_impacted; q++)
    S[impacted[q]] = 0.0;
  for (guint k = 0; k < piece->n_active_events; k++)
    {
      double level = ws->event_now[k];
      for (guint q = sys->impact_start[k]; q < sys->impact_start[k + 1]; q++)
        S[impact_node[q]] += level * sys->impact_a[q];
    }
}

/* An evaluation shared among a team's threads (cd-team.c). */
typedef struct
{
  const CdSystem *sys;
  CdWorkspace    *ws;
  const CdPiece  *piece;
  double          t;
  const double   *y;        /* the state, in the file's order */
  const double   *x;        /* x and the trusts in the layout's order */
  const double   *trust;
  gboolean        crisis_on;
  double         *net;      /* F_i in the layout's order */
  double         *node_loss;/* with an order: each node's part of dL/dt */
  double         *trust_rate;/* the trust rates, when the node loop gives them */
  double         *out;      /* F_i or the rates, in the file's order */
  double         *dydt;
  CdForces       *forces;   /* in the layout's order */
  CdForces       *forces_out;
  guint           severity_blocks;
  guint           gather_blocks;
} Shared;

/* With an order: the state's block `item` (nodes, then partnerships) into
 * the layout's order. */
static void
gather_block (const Shared *sh,
              guint         item)
{
  const CdSystem *sys = sh->sys;
  const guint node_blocks = (sys->n_nodes + CD_BLOCK - 1) / CD_BLOCK;
  double *restrict to = sh->ws->x_ordered;

  if (item < node_blocks)
    {
      guint end = MIN (sys->n_nodes, (item + 1) * CD_BLOCK);
      for (guint k = item * CD_BLOCK; k < end; k++)
        to[k] = sh->y[sys->order[k]];
    }
  else
    {
      const double *restrict trust = sh->y + sys->n_nodes;
      guint from = (item - node_blocks) * CD_BLOCK;
      guint end = MIN (sys->n_partnerships, from + CD_BLOCK);

      to += sys->n_nodes;
      for (guint e = from; e < end; e++)
        to[e] = trust[sys->pair_order[e]];
    }
}

/* With an order: the file's block b of nodes from the layout's order (F_i,
 * forces), its part of dL/dt summed in the file's order, and the rates; the
 * blocks after the nodes' are the partnerships' trust rates. */
static void
scatter_block (const Shared *sh,
               guint         b)
{
  const CdSystem *sys = sh->sys;
  const guint *restrict rank = sys->rank;
  const double *restrict net = sh->net;
  double *restrict out = sh->out;
  const guint n_blocks = (sys->n_nodes + CD_BLOCK - 1) / CD_BLOCK;
  guint from = b * CD_BLOCK, to = MIN (sys->n_nodes, from + CD_BLOCK);
  double loss = 0.0;

  if (b >= n_blocks)
    {
      /* the trust rates of the layout's block b − n_blocks of partnerships */
      const double *restrict rate = sh->trust_rate;
      double *restrict to_rate = sh->dydt + sys->n_nodes;
      guint end;

      from = (b - n_blocks) * CD_BLOCK;
      end = MIN (sys->n_partnerships, from + CD_BLOCK);
      for (guint e = from; e < end; e++)
        to_rate[sys->pair_order[e]] = rate[e];
      return;
    }

  for (guint i = from; i < to; i++)
    out[i] = net[rank[i]];
  for (guint i = from; i < to; i++)
    {
      if (sh->crisis_on)
        loss += sh->node_loss[rank[i]];
      GRANULE_END (i, to, sh->ws->granule_loss, loss);
    }
  if (sh->forces)
    for (guint i = from; i < to; i++)
      {
        sh->forces_out->gravity[i] = sh->forces->gravity[rank[i]];
        sh->forces_out->pressure[i] = sh->forces->pressure[rank[i]];
        if (sys->version >= 2)
          {
            sh->forces_out->thrust[i] = sh->forces->thrust[rank[i]];
            sh->forces_out->resistance[i] = sh->forces->resistance[rank[i]];
          }
      }
  if (sh->dydt)
    rates_block (sys, sh->ws, sh->piece->params, from, to, sh->y, sh->dydt);
}

static void
shared_first (gpointer data,
              guint    item)
{
  Shared *sh = data;
  const CdSystem *sys = sh->sys;

  if (item < sh->severity_blocks)
    severity_by_node (sys, sh->ws, sh->piece->n_active_events, item * CD_BLOCK,
                      MIN (sys->n_impacted, (item + 1) * CD_BLOCK));
  else
    gather_block (sh, item - sh->severity_blocks);
}

static void
shared_nodes (gpointer data,
              guint    item)
{
  Shared *sh = data;

  evaluate_block (sh->sys, sh->ws, sh->piece->params, item * CD_BLOCK,
                  MIN (sh->sys->n_nodes, (item + 1) * CD_BLOCK), sh->x, sh->trust,
                  sh->crisis_on, sh->net, sh->node_loss, sh->trust_rate,
                  sh->sys->order ? NULL : sh->dydt, sh->forces);
}

static void
shared_scatter (gpointer data,
                guint    item)
{
  scatter_block (data, item);
}


/* Evaluations timed with each way of giving the trust rates before one is
 * chosen. */
#define STORE_TRIALS 8

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The first evaluations of a large system try each way the node loop can
 * give the trust rates (CdStoreWay), in turn, and keep the fastest: a
 * trial starts when this returns a time (not 0) and ends with
 * store_trial_end().  The same bits every way. */
static gint64
store_trial_start (const CdSystem *sys,
                   CdWorkspace    *ws,
                   gboolean        gives_trust_rates)
{
  guint ways = store_ways (sys);

  if (!gives_trust_rates || ws->store_trials >= ways * STORE_TRIALS)
    return 0;
  if (sys->n_nodes < CD_STORE_CHOICE_MIN_NODES)
    {
      ws->store_trials = G_MAXUINT;
      return 0;
    }
  ws->store_way = ws->store_trials % ways;
  return now_ns ();
}

static void
store_trial_end (const CdSystem *sys,
                 CdWorkspace    *ws,
                 gint64          start)
{
  static const char *const names[] = { "branch", "selection", "vector" };
  guint ways = store_ways (sys);
  gint64 took;

  if (start == 0)
    return;
  took = now_ns () - start;
  ws->store_best_ns[ws->store_way] = MIN (ws->store_best_ns[ws->store_way], took);
  if (++ws->store_trials < ways * STORE_TRIALS)
    return;
  for (guint w = 0; w < ways; w++)
    if (ws->store_best_ns[w] < ws->store_best_ns[ws->store_way])
      ws->store_way = w;
  g_debug ("cd_system_evaluate: the trust rates by branch %.1f µs, by selection %.1f µs, "
           "vector %.1f µs: %s", ws->store_best_ns[0] / 1e3, ws->store_best_ns[1] / 1e3,
           ways > CD_STORE_VECTOR ? ws->store_best_ns[CD_STORE_VECTOR] / 1e3 : NAN,
           names[ws->store_way]);
}
/* Written for speed (it is most of a run's time): terms that depend only on
 * the parameters are computed once per piece into one record per node
 * (cached in the workspace), the crisis terms are skipped while no
 * emergency is active, the partner loop reads one record per half-edge in
 * sequence, a node's single superior needs no loop, and the trust rates are
 * taken in the same pass, at each partnership's lower end.  Sums are
 * regrouped (g_b Σ b x + g_τ Σ τ x, p_a (h/Σh) x_s, x_i (c_i + Σ c_j x_j) ·
 * 1/(1 + k_i)), which changes results only in the last bits;
 * tests/reference checks them to 1e-6.
 *
 * Nodes go in blocks of CD_BLOCK, each with its own part of the loss, summed
 * in block order: on a large system and a workspace with threads the blocks
 * (and the severities and the trust rates) are shared among threads, with
 * the same bits as in one.
 *
 * With a graph order (cd-system-order.c) the node loop works in the
 * layout's order: the state is gathered into it first, and F_i, the forces
 * and each node's part of the loss are scattered back to the file's order
 * before the rates, so every result is the same bits as without. */
void
cd_system_evaluate (const CdSystem *sys,
                    const CdPiece  *piece,
                    double          t,
                    const double   *y,
                    double         *dydt,
                    CdForces       *forces,
                    CdWorkspace    *ws)
{
  const double *p = piece->params;
  const guint n = sys->n_nodes, n_edges = sys->n_partnerships;
  const gboolean ordered = sys->order != NULL;
  const gboolean crisis_on = piece->n_active_events > 0;
  const guint n_blocks = (n + CD_BLOCK - 1) / CD_BLOCK;
  const guint n_edge_blocks = (n_edges + CD_BLOCK - 1) / CD_BLOCK;
  double *restrict out = dydt ? dydt : ws->net;
  CdForces ordered_forces = { 0 };
  /* The node loop gives the trust rates too (in the layout's order). */
  double *fused = dydt == NULL ? NULL : ordered ? ws->trust_rate_ordered : dydt + n;
  Shared sh = { sys, ws, piece, t, y, y, y + n, crisis_on, out, NULL, fused, out, dydt, forces,
                forces, 0, 0 };
  double loss_rate = 0.0;
  guint threads = ws->team != NULL ? cd_system_threads_worth_it (sys, cd_team_size (ws->team))
                                   : 1;

  cache_terms_for (sys, p, ws);

  if (ordered)
    {
      sh.x = ws->x_ordered;
      sh.trust = ws->x_ordered + n;
      sh.net = ws->net_ordered;
      sh.node_loss = ws->loss_ordered;
      if (forces)
        {
          ordered_forces.gravity = ws->forces_ordered;
          ordered_forces.pressure = ws->forces_ordered + n;
          ordered_forces.thrust = ws->forces_ordered + 2 * (gsize) n;
          ordered_forces.resistance = ws->forces_ordered + 3 * (gsize) n;
          sh.forces = &ordered_forces;
        }
      sh.gather_blocks = n_blocks + n_edge_blocks;
    }

  if (crisis_on)
    event_levels (sys, piece, t, ws);

  if (threads > 1)
    {
      gint64 start;

      sh.severity_blocks = crisis_on ? (sys->n_impacted + CD_BLOCK - 1) / CD_BLOCK : 0;
      /* the severities, the trust rates (which need none) and the gathering,
       * then the nodes, then with an order the scattering */
      cd_team_run (ws->team, sh.severity_blocks + sh.gather_blocks,
                   shared_first, &sh);
      start = store_trial_start (sys, ws, fused != NULL && forces == NULL);
      cd_team_run (ws->team, n_blocks, shared_nodes, &sh);
      store_trial_end (sys, ws, start);
      if (ordered)
        cd_team_run (ws->team, n_blocks + (dydt ? n_edge_blocks : 0), shared_scatter, &sh);
    }
  else
    {
      for (guint b = 0; b < sh.gather_blocks; b++)
        gather_block (&sh, b);
      if (crisis_on)
        severity_by_event (sys, piece, ws);
      gint64 start = store_trial_start (sys, ws, fused != NULL && forces == NULL);

      for (guint b = 0; b < n_blocks; b++)
        evaluate_block (sys, ws, p, b * CD_BLOCK, MIN (n, (b + 1) * CD_BLOCK), sh.x, sh.trust,
                        crisis_on, sh.net, sh.node_loss, fused, ordered ? NULL : dydt,
                        sh.forces);
      store_trial_end (sys, ws, start);
      if (ordered)
        for (guint b = 0; b < n_blocks + (dydt ? n_edge_blocks : 0); b++)
          scatter_block (&sh, b);
    }
  if (crisis_on)
    loss_rate = granule_loss_sum (sys, ws);

  /* T_i and R_i as the cached T_i − R_i has them: outside the FMA variant
   * (version 2's node loop reports its own). */
  if (forces && sys->version < 2)
    {
      const double damping = (1.0 - p[CD_PARAM_RESISTANCE_SUPERVISION])
                             * (1.0 - p[CD_PARAM_RESISTANCE_LAW]);
      const double r_f = damping * p[CD_PARAM_RESISTANCE_FRAGMENTATION];
      const double r_b = damping * p[CD_PARAM_RESISTANCE_BURDEN]
                         * (1.0 - p[CD_PARAM_RESISTANCE_COMPENSATION]);

      for (guint i = 0; i < n; i++)
        {
          forces->thrust[i] = p[CD_PARAM_THRUST_INFO] * sys->info_mean[i]
                              + (sys->has_superior[i] ? p[CD_PARAM_THRUST_APPRAISAL] : 0.0);
          forces->resistance[i] = r_f * sys->fragmentation[i] + r_b * sys->burden[i];
        }
    }

  if (dydt)
    {
      for (guint k = 0; k < sys->n_fixed; k++)
        dydt[sys->fixed_nodes[k]] = 0.0;
      dydt[sys->n_state - 1] = loss_rate;
    }
}

void
cd_system_severity (const CdSystem *sys,
                    const CdPiece  *piece,
                    double          t,
                    double         *S)
{
  memset (S, 0, MAX (sys->n_nodes, 1) * sizeof (double));
  /* The same arithmetic as cd_system_evaluate(), so the same bits. */
  for (guint k = 0; k < piece->n_active_events; k++)
    {
      double since = t - sys->event_onset[k];
      double level = sys->event_magnitude[k]
                     * (since > 0.0 ? exp (-since * sys->event_inv_decay[k]) : 1.0);
      for (guint q = sys->impact_start[k]; q < sys->impact_start[k + 1]; q++)
        S[sys->impact_node[q]] += level * sys->impact_a[q];
    }
}

/* ---- accessors ----------------------------------------------------------- */

guint
cd_system_get_n_nodes (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, 0);
  return sys->n_nodes;
}

guint
cd_system_get_n_partnerships (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, 0);
  return sys->n_partnerships;
}

guint
cd_system_get_n_state (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, 0);
  return sys->n_state;
}

guint
cd_system_get_n_edges (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, 0);
  return sys->n_edges;
}

guint
cd_system_get_n_pieces (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, 0);
  return sys->n_pieces;
}

const CdPiece *
cd_system_get_piece (const CdSystem *sys,
                     guint           index)
{
  g_return_val_if_fail (sys != NULL && index < sys->n_pieces, NULL);
  return &sys->pieces[index];
}

const CdPiece *
cd_system_get_piece_at (const CdSystem *sys,
                        double          t)
{
  g_return_val_if_fail (sys != NULL, NULL);
  return &sys->pieces[cd_system_piece_at (sys, t)];
}

CdRule
cd_system_get_rule (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, CD_RULE_LOGIT);
  return sys->rule;
}

const CdSimSettings *
cd_system_get_sim (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, NULL);
  return &sys->sim;
}

const char *const *
cd_system_get_node_ids (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, NULL);
  return (const char *const *) sys->node_ids;
}

const char *
cd_system_get_partnership_label (const CdSystem *sys,
                                 guint           index)
{
  g_return_val_if_fail (sys != NULL && index < sys->n_partnerships, NULL);
  return sys->partnership_labels[index];
}

guint
cd_system_get_n_superiors (const CdSystem *sys,
                           guint           node)
{
  g_return_val_if_fail (sys != NULL && node < sys->n_nodes, 0);
  return sys->superior_start[node + 1] - sys->superior_start[node];
}

/* ---- an evaluation in parts ------------------------------------------------ */

gboolean
cd_system_can_split (const CdSystem    *sys,
                     const CdWorkspace *ws)
{
  g_return_val_if_fail (sys != NULL && ws != NULL, FALSE);

  /* the store trials time whole evaluations, in one thread */
  return sys->order == NULL && ws->team == NULL
         && (sys->n_nodes < CD_STORE_CHOICE_MIN_NODES
             || ws->store_trials >= store_ways (sys) * STORE_TRIALS);
}

guint
cd_system_n_granules (const CdSystem *sys)
{
  g_return_val_if_fail (sys != NULL, 0);
  return (sys->n_nodes + CD_GRANULE - 1) / CD_GRANULE;
}

void
cd_system_evaluate_begin (const CdSystem *sys,
                          const CdPiece  *piece,
                          double          t,
                          CdWorkspace    *ws)
{
  cache_terms_for (sys, piece->params, ws);
  if (piece->n_active_events > 0)
    {
      event_levels (sys, piece, t, ws);
      severity_by_event (sys, piece, ws);
    }
}

void
cd_system_evaluate_granule (const CdSystem *sys,
                            const CdPiece  *piece,
                            const double   *y,
                            double         *dydt,
                            CdWorkspace    *ws,
                            guint           granule)
{
  const guint n = sys->n_nodes;

  evaluate_block (sys, ws, piece->params, granule * CD_GRANULE,
                  MIN (n, (granule + 1) * CD_GRANULE), y, y + n, piece->n_active_events > 0,
                  dydt, NULL, dydt + n, dydt, NULL);
}

void
cd_system_evaluate_end (const CdSystem *sys,
                        const CdPiece  *piece,
                        double         *dydt,
                        CdWorkspace    *ws)
{
  for (guint k = 0; k < sys->n_fixed; k++)
    dydt[sys->fixed_nodes[k]] = 0.0;
  dydt[sys->n_state - 1] = piece->n_active_events > 0 ? granule_loss_sum (sys, ws) : 0.0;
}
