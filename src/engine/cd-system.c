/* cd-system.c — compiling a CdModel into flat arrays, and the right-hand side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd-model-json.h"
#include "cd-system.h"
#include "cd-system-private.h"

typedef struct
{
  double onset;
  guint  file_index;
} EventKey;

static int
event_key_compare (gconstpointer a,
                   gconstpointer b)
{
  const EventKey *ka = a, *kb = b;

  if (ka->onset != kb->onset)
    return ka->onset < kb->onset ? -1 : 1;
  return (ka->file_index > kb->file_index) - (ka->file_index < kb->file_index);
}

static int
double_compare (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

/* Builds CSR rows from (row, column, value) triples given in file order, so
 * that each row lists its entries in file order too. */
static void
build_csr (guint         n_rows,
           guint         n_entries,
           const guint  *row,
           const guint  *column,
           const double *value,
           guint       **out_start,
           guint       **out_column,
           double      **out_value)
{
  guint *start = g_new0 (guint, n_rows + 1);
  guint *fill = g_new0 (guint, n_rows + 1);
  guint *col = g_new (guint, MAX (n_entries, 1));
  double *val = out_value ? g_new (double, MAX (n_entries, 1)) : NULL;

  for (guint e = 0; e < n_entries; e++)
    start[row[e] + 1]++;
  for (guint i = 0; i < n_rows; i++)
    start[i + 1] += start[i];
  for (guint e = 0; e < n_entries; e++)
    {
      guint at = start[row[e]] + fill[row[e]]++;
      col[at] = column[e];
      if (val)
        val[at] = value[e];
    }
  g_free (fill);
  *out_start = start;
  *out_column = col;
  if (out_value)
    *out_value = val;
}

static char *
csv_label (const char *source,
           const char *target)
{
  return g_strdup_printf ("%s|%s", source, target);
}

CdSystem *
cd_system_new (const CdModel *model,
               GError       **error)
{
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(GHashTable) index = NULL;
  g_autoptr(GPtrArray) sorted_iv = NULL;
  g_autofree EventKey *event_keys = NULL;
  g_autofree double *breaks = NULL;
  guint n, n_edges, n_pairs = 0, n_cmd = 0, n_impacts = 0, n_breaks = 0;

  g_return_val_if_fail (model != NULL, NULL);

  if (!cd_model_validate (model, error))
    return NULL;

  sys = g_new0 (CdSystem, 1);
  sys->version = model->version;
  n = sys->n_nodes = model->nodes->len;
  n_edges = model->edges->len;
  sys->rule = model->params.rule;
  sys->sim = model->sim;
  index = cd_model_node_index (model);

  sys->capacity = g_new (double, MAX (n, 1));
  sys->vulnerability = g_new (double, MAX (n, 1));
  sys->fragmentation = g_new (double, MAX (n, 1));
  sys->x0 = g_new (double, MAX (n, 1));
  sys->fixed = g_new0 (guint8, MAX (n, 1));
  sys->inv_degree = g_new0 (double, MAX (n, 1));
  sys->info_mean = g_new0 (double, MAX (n, 1));
  sys->inv_weight_sum = g_new0 (double, MAX (n, 1));
  sys->has_superior = g_new0 (guint8, MAX (n, 1));
  sys->node_ids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, i);
      sys->capacity[i] = node->capacity;
      sys->vulnerability[i] = node->vulnerability;
      sys->fragmentation[i] = node->fragmentation;
      sys->x0[i] = node->x0;
      sys->fixed[i] = node->fixed ? 1 : 0;
      sys->node_ids[i] = g_strdup (node->id);
    }

  /* Edges: split by kind, keep file order within each. */
  for (guint e = 0; e < n_edges; e++)
    {
      if (((CdEdge *) g_ptr_array_index (model->edges, e))->kind == CD_EDGE_PARTNERSHIP)
        n_pairs++;
      else
        n_cmd++;
    }
  sys->n_partnerships = n_pairs;
  sys->n_state = n + n_pairs + 1;
  sys->n_edges = n_edges;
  sys->n_commands = n_cmd;
  sys->edge_index = g_new (guint, MAX (n_edges, 1));
  sys->edge_is_partnership = g_new0 (guint8, MAX (n_edges, 1));
  sys->pair_a = g_new (guint, MAX (n_pairs, 1));
  sys->pair_b = g_new (guint, MAX (n_pairs, 1));
  sys->pair_interest = g_new (double, MAX (n_pairs, 1));
  sys->pair_info = g_new (double, MAX (n_pairs, 1));
  sys->pair_trust0 = g_new (double, MAX (n_pairs, 1));
  sys->partnership_labels = g_new0 (char *, n_pairs + 1);
  {
    g_autofree guint *p_row = g_new (guint, 2 * n_pairs + 1);
    g_autofree guint *p_col = g_new (guint, 2 * n_pairs + 1);
    g_autofree double *p_edge = g_new (double, 2 * n_pairs + 1);
    g_autofree guint *c_src = g_new (guint, n_cmd + 1);
    g_autofree guint *c_dst = g_new (guint, n_cmd + 1);
    g_autofree double *c_w = g_new (double, n_cmd + 1);
    g_autofree double *c_role = g_new (double, n_cmd + 1);
    double *pe_val = NULL;
    guint kp = 0, kc = 0;

    for (guint e = 0; e < n_edges; e++)
      {
        const CdEdge *edge = g_ptr_array_index (model->edges, e);
        guint s = GPOINTER_TO_UINT (g_hash_table_lookup (index, edge->source)) - 1;
        guint t = GPOINTER_TO_UINT (g_hash_table_lookup (index, edge->target)) - 1;
        if (edge->kind == CD_EDGE_PARTNERSHIP)
          {
            sys->pair_a[kp] = s;
            sys->pair_b[kp] = t;
            sys->pair_interest[kp] = edge->interest;
            sys->pair_info[kp] = edge->info;
            sys->pair_trust0[kp] = edge->trust;
            sys->partnership_labels[kp] = csv_label (edge->source, edge->target);
            p_row[2 * kp] = s, p_col[2 * kp] = t, p_edge[2 * kp] = kp;
            p_row[2 * kp + 1] = t, p_col[2 * kp + 1] = s, p_edge[2 * kp + 1] = kp;
            sys->edge_index[e] = kp;
            sys->edge_is_partnership[e] = 1;
            kp++;
          }
        else
          {
            c_src[kc] = s, c_dst[kc] = t, c_w[kc] = edge->weight;
            c_role[kc] = model->version >= 2 && edge->role == CD_ROLE_EMERGENCY;
            sys->edge_index[e] = kc;
            kc++;
          }
      }
    build_csr (n, 2 * n_pairs, p_row, p_col, p_edge, &sys->partner_start, &sys->partner_node,
               &pe_val);
    sys->partner_edge = g_new (guint, MAX (2 * n_pairs, 1));
    for (guint k = 0; k < 2 * n_pairs; k++)
      sys->partner_edge[k] = (guint) pe_val[k];
    g_free (pe_val);
    build_csr (n, n_cmd, c_dst, c_src, c_w, &sys->superior_start, &sys->superior_node,
               &sys->superior_weight);
    sys->command_source = g_memdup2 (c_src, (n_cmd + 1) * sizeof (guint));
    sys->command_target = g_memdup2 (c_dst, (n_cmd + 1) * sizeof (guint));
    sys->command_weight = g_memdup2 (c_w, (n_cmd + 1) * sizeof (double));
    if (model->version >= 2)
      {
        g_autofree guint *start = NULL, *column = NULL;
        g_autofree double *role = NULL;

        /* The roles in the superiors' order: the same CSR build. */
        build_csr (n, n_cmd, c_dst, c_src, c_role, &start, &column, &role);
        sys->superior_emergency = g_new (guint8, MAX (n_cmd, 1));
        sys->command_emergency = g_new (guint8, MAX (n_cmd, 1));
        for (guint k = 0; k < n_cmd; k++)
          {
            sys->superior_emergency[k] = role[k] != 0.0;
            sys->command_emergency[k] = c_role[k] != 0.0;
          }
      }
    build_csr (n, n_cmd, c_src, c_dst, c_w, &sys->subordinate_start, &sys->subordinate_node,
               &sys->subordinate_weight);
  }

  sys->half_edges = g_new (CdHalfEdge, MAX (2 * n_pairs, 1));
  for (guint q = 0; q < 2 * n_pairs; q++)
    {
      CdHalfEdge *he = &sys->half_edges[q];
      he->interest = sys->pair_interest[sys->partner_edge[q]];
      he->info = sys->pair_info[sys->partner_edge[q]];
      he->capacity = sys->capacity[sys->partner_node[q]];
      he->node = sys->partner_node[q];
      he->edge = sys->partner_edge[q];
    }
  sys->burden = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    sys->burden[i] = sys->capacity[i] * (1.0 - sys->vulnerability[i]);
  sys->fixed_nodes = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    if (sys->fixed[i])
      sys->fixed_nodes[sys->n_fixed++] = i;

  /* Per-node constants of the forces. */
  for (guint i = 0; i < n; i++)
    {
      guint k = sys->partner_start[i + 1] - sys->partner_start[i];
      double info_sum = 0.0, weight_sum = 0.0;

      for (guint q = sys->partner_start[i]; q < sys->partner_start[i + 1]; q++)
        info_sum += sys->pair_info[sys->partner_edge[q]];
      sys->inv_degree[i] = k > 0 ? 1.0 / k : 0.0;
      sys->info_mean[i] = k > 0 ? info_sum / k : 0.0;
      for (guint q = sys->superior_start[i]; q < sys->superior_start[i + 1]; q++)
        weight_sum += sys->superior_weight[q];
      sys->has_superior[i] = sys->superior_start[i + 1] > sys->superior_start[i];
      sys->inv_weight_sum[i] = sys->has_superior[i] ? 1.0 / weight_sum : 0.0;
    }

  if (model->version >= 2)
    {
      sys->fragmentation_ideas = g_new (double, MAX (n, 1));
      sys->fragmentation_powers = g_new (double, MAX (n, 1));
      sys->appraisal = g_new (double, MAX (n, 1));
      sys->supervised = g_new (double, MAX (n, 1));
      sys->inv_weight_admin = g_new (double, MAX (n, 1));
      sys->inv_weight_emergency = g_new (double, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        {
          const CdNode *node = g_ptr_array_index (model->nodes, i);
          double sum_a = 0.0, sum_e = 0.0;

          for (guint q = sys->superior_start[i]; q < sys->superior_start[i + 1]; q++)
            {
              if (sys->superior_emergency[q])
                sum_e += sys->superior_weight[q];
              else
                sum_a += sys->superior_weight[q];
            }
          sys->fragmentation_ideas[i] = node->fragmentation_ideas;
          sys->fragmentation_powers[i] = node->fragmentation_powers;
          /* a_i: its own, or 1 with a superior and 0 without (model 1's rule). */
          sys->appraisal[i] = node->has_appraisal ? node->appraisal
                                                  : sys->has_superior[i] ? 1.0 : 0.0;
          sys->supervised[i] = MIN (1.0, sum_a + sum_e);
          sys->inv_weight_admin[i] = sum_a > 0.0 ? 1.0 / sum_a : 0.0;
          sys->inv_weight_emergency[i] = sum_e > 0.0 ? 1.0 / sum_e : 0.0;
        }
    }

  /* Events, sorted by onset so that the active ones are always a prefix. */
  sys->n_events = model->events->len;
  event_keys = g_new (EventKey, MAX (sys->n_events, 1));
  for (guint k = 0; k < sys->n_events; k++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, k);
      event_keys[k].onset = ev->onset;
      event_keys[k].file_index = k;
      n_impacts += ev->impacts->len;
    }
  qsort (event_keys, sys->n_events, sizeof *event_keys, event_key_compare);
  sys->event_onset = g_new (double, MAX (sys->n_events, 1));
  sys->event_magnitude = g_new (double, MAX (sys->n_events, 1));
  sys->event_inv_decay = g_new (double, MAX (sys->n_events, 1));
  sys->impact_start = g_new0 (guint, sys->n_events + 1);
  sys->impact_node = g_new (guint, MAX (n_impacts, 1));
  sys->impact_a = g_new (double, MAX (n_impacts, 1));
  for (guint k = 0, fill = 0; k < sys->n_events; k++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, event_keys[k].file_index);
      sys->event_onset[k] = ev->onset;
      sys->event_magnitude[k] = ev->magnitude;
      sys->event_inv_decay[k] = 1.0 / ev->decay;
      for (guint q = 0; q < ev->impacts->len; q++)
        {
          const CdImpact *im = &g_array_index (ev->impacts, CdImpact, q);
          sys->impact_node[fill] = GPOINTER_TO_UINT (g_hash_table_lookup (index, im->node)) - 1;
          sys->impact_a[fill] = im->a;
          fill++;
        }
      sys->impact_start[k + 1] = fill;
    }
  {
    /* The severities to clear before each evaluation sums them: only these
     * are ever written, so the rest stay 0 from cd_workspace_new. */
    g_autofree guint8 *seen = g_new0 (guint8, MAX (n, 1));

    sys->impacted = g_new (guint, MAX (n_impacts, 1));
    for (guint q = 0; q < n_impacts; q++)
      if (!seen[sys->impact_node[q]])
        {
          seen[sys->impact_node[q]] = 1;
          sys->impacted[sys->n_impacted++] = sys->impact_node[q];
        }
  }

  /* Pieces: 0 and every distinct onset or intervention time after it. */
  breaks = g_new (double, 1 + sys->n_events + model->interventions->len);
  breaks[n_breaks++] = 0.0;
  for (guint k = 0; k < sys->n_events; k++)
    breaks[n_breaks++] = sys->event_onset[k];
  for (guint k = 0; k < model->interventions->len; k++)
    breaks[n_breaks++] = ((CdIntervention *) g_ptr_array_index (model->interventions, k))->at;
  qsort (breaks, n_breaks, sizeof *breaks, double_compare);
  sorted_iv = cd_model_sorted_interventions (model);
  sys->pieces = g_new0 (CdPiece, n_breaks);
  {
    double params[CD_N_PARAMS];
    guint next_iv = 0, active = 0;

    memcpy (params, model->params.values, sizeof params);
    for (guint b = 0; b < n_breaks; b++)
      {
        CdPiece *piece;
        if (b > 0 && breaks[b] == breaks[b - 1])
          continue;
        piece = &sys->pieces[sys->n_pieces++];
        piece->t_start = breaks[b];
        while (next_iv < sorted_iv->len
               && ((CdIntervention *) g_ptr_array_index (sorted_iv, next_iv))->at <= breaks[b])
          {
            const CdIntervention *iv = g_ptr_array_index (sorted_iv, next_iv++);
            for (guint s = 0; s < iv->settings->len; s++)
              {
                const CdSetting *set = &g_array_index (iv->settings, CdSetting, s);
                params[set->param] = set->value;
              }
          }
        while (active < sys->n_events && sys->event_onset[active] <= breaks[b])
          active++;
        memcpy (piece->params, params, sizeof params);
        piece->n_active_events = active;
      }
  }

  return g_steal_pointer (&sys);
}

void
cd_system_free (CdSystem *sys)
{
  if (sys == NULL)
    return;
  g_free (sys->capacity);
  g_free (sys->vulnerability);
  g_free (sys->fragmentation);
  g_free (sys->x0);
  g_free (sys->fixed);
  g_free (sys->inv_degree);
  g_free (sys->info_mean);
  g_free (sys->inv_weight_sum);
  g_free (sys->has_superior);
  g_free (sys->partner_start);
  g_free (sys->partner_node);
  g_free (sys->partner_edge);
  g_free (sys->pair_a);
  g_free (sys->pair_b);
  g_free (sys->pair_interest);
  g_free (sys->pair_info);
  g_free (sys->pair_trust0);
  g_free (sys->edge_index);
  g_free (sys->edge_is_partnership);
  g_free (sys->command_source);
  g_free (sys->command_target);
  g_free (sys->command_weight);
  g_free (sys->superior_start);
  g_free (sys->superior_node);
  g_free (sys->superior_weight);
  g_free (sys->subordinate_start);
  g_free (sys->subordinate_node);
  g_free (sys->subordinate_weight);
  g_free (sys->event_onset);
  g_free (sys->event_magnitude);
  g_free (sys->event_inv_decay);
  g_free (sys->impact_start);
  g_free (sys->impact_node);
  g_free (sys->impact_a);
  g_free (sys->pieces);
  g_strfreev (sys->node_ids);
  g_strfreev (sys->partnership_labels);
  g_free (sys->burden);
  g_free (sys->half_edges);
  g_free (sys->impacted);
  g_free (sys->fixed_nodes);
  g_free (sys->fragmentation_ideas);
  g_free (sys->fragmentation_powers);
  g_free (sys->appraisal);
  g_free (sys->supervised);
  g_free (sys->inv_weight_admin);
  g_free (sys->inv_weight_emergency);
  g_free (sys->superior_emergency);
  g_free (sys->command_emergency);
  g_free (sys);
}

CdWorkspace *
cd_workspace_new (const CdSystem *sys)
{
  CdWorkspace *ws = g_new0 (CdWorkspace, 1);

  ws->severity = g_new0 (double, MAX (sys->n_nodes, 1));
  ws->event_now = g_new0 (double, MAX (sys->n_events, 1));
  ws->terms = g_new0 (CdNodeTerms, MAX (sys->n_nodes, 1));
  if (sys->version >= 2)
    ws->terms2 = g_new0 (CdNodeTerms2, MAX (sys->n_nodes, 1));
  ws->pair_gain = g_new0 (double, MAX (sys->n_partnerships, 1));
  ws->net = g_new0 (double, MAX (sys->n_nodes, 1));
  return ws;
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
  g_free (ws->pair_gain);
  g_free (ws->net);
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

/* dτ_ij/dt = η_g (1 + ι_ij) x_i x_j (1 − τ_ij) − η_d (1 − x_i x_j) τ_ij for
 * partnerships [start, n), with gain[e] = η_g (1 + ι_ij).  The scalar loop
 * is the reference, and the tail. */
static void
trust_rates_scalar (guint                start,
                    guint                n,
                    double *restrict     rate,
                    const double        *x,
                    const double        *trust,
                    const guint         *pair_a,
                    const guint         *pair_b,
                    const double        *gain,
                    double               eta_d)
{
  for (guint e = start; e < n; e++)
    {
      double both = x[pair_a[e]] * x[pair_b[e]];
      rate[e] = gain[e] * both * (1.0 - trust[e]) - eta_d * (1.0 - both) * trust[e];
    }
}

#if HAVE_LIBMVEC
/* Four partnerships at a time.  The ends' x are loaded one by one: AVX2's
 * gather instruction made this pass slower than the scalar loop on the AMD
 * EPYC (Zen 4) it was measured on.  No FMA: the same roundings as the
 * scalar loop, so every variant gives the same bits.  Returns how many it
 * did. */
__attribute__ ((target ("avx2"))) static guint
trust_rates_avx2 (guint                n,
                  double *restrict     rate,
                  const double        *x,
                  const double        *trust,
                  const guint         *pair_a,
                  const guint         *pair_b,
                  const double        *gain,
                  double               eta_d)
{
  const __m256d one = _mm256_set1_pd (1.0), decay = _mm256_set1_pd (eta_d);
  guint e = 0;

  for (; e + 4 <= n; e += 4)
    {
      __m256d xa = _mm256_set_pd (x[pair_a[e + 3]], x[pair_a[e + 2]], x[pair_a[e + 1]],
                                  x[pair_a[e]]);
      __m256d xb = _mm256_set_pd (x[pair_b[e + 3]], x[pair_b[e + 2]], x[pair_b[e + 1]],
                                  x[pair_b[e]]);
      __m256d tau = _mm256_loadu_pd (trust + e);
      __m256d both = _mm256_mul_pd (xa, xb);
      __m256d grow = _mm256_mul_pd (_mm256_mul_pd (_mm256_loadu_pd (gain + e), both),
                                    _mm256_sub_pd (one, tau));
      __m256d erode = _mm256_mul_pd (_mm256_mul_pd (decay, _mm256_sub_pd (one, both)), tau);
      _mm256_storeu_pd (rate + e, _mm256_sub_pd (grow, erode));
    }
  return e;
}
#endif

static void
trust_rates (guint                n,
             double *restrict     rate,
             const double        *x,
             const double        *trust,
             const guint         *pair_a,
             const guint         *pair_b,
             const double        *gain,
             double               eta_d)
{
  guint done = 0;

#if HAVE_LIBMVEC
  if (vector_width () == VECTOR_AVX2)
    done = trust_rates_avx2 (n, rate, x, trust, pair_a, pair_b, gain, eta_d);
#endif
  trust_rates_scalar (done, n, rate, x, trust, pair_a, pair_b, gain, eta_d);
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
  const double eta_g = p[CD_PARAM_DYNAMICS_TRUST_GAIN];

  for (guint i = 0; i < sys->n_nodes; i++)
    {
      CdNodeTerms *nt = &ws->terms[i];
      guint s0 = sys->superior_start[i], s1 = sys->superior_start[i + 1];
      double thrust = t_i * sys->info_mean[i] + (sys->has_superior[i] ? t_a : 0.0);
      double resistance = r_f * sys->fragmentation[i] + r_b * sys->burden[i];

      nt->steady = thrust - resistance;
      nt->crisis_gain = p_c * sys->vulnerability[i];
      nt->inv_degree = sys->inv_degree[i];
      nt->capacity = sys->capacity[i];
      nt->vulnerability = sys->vulnerability[i];
      nt->inv_engaged = 1.0 / (1.0 + (sys->partner_start[i + 1] - sys->partner_start[i]));
      nt->partner_end = sys->partner_start[i + 1];
      nt->subordinate_start = sys->subordinate_start[i];
      nt->subordinate_end = sys->subordinate_start[i + 1];
      /* H_i = Σ h x_s / Σ h: with one superior, p_a H_i = (p_a h / h) x_s;
       * without, 0 · x_i (x_i is read but counts for nothing). */
      if (s1 - s0 == 1)
        {
          nt->superior = sys->superior_node[s0];
          nt->admin = p_a * sys->inv_weight_sum[i] * sys->superior_weight[s0];
        }
      else if (s1 == s0)
        {
          nt->superior = i;
          nt->admin = 0.0;
        }
      else
        {
          nt->superior = CD_NODE_SEVERAL;
          nt->admin = p_a * sys->inv_weight_sum[i];
        }
    }
  for (guint e = 0; e < sys->n_partnerships; e++)
    ws->pair_gain[e] = eta_g * (1.0 + sys->pair_info[e]);
  memcpy (ws->cached_params, p, sizeof ws->cached_params);
  ws->cached = TRUE;
}

/* Keeps the compiler from fusing the value into a later multiply-add. */
#if defined (__GNUC__) && (defined (__x86_64__) || defined (__i386__))
# define VALUE_BARRIER(v) __asm__ ("" : "+x" (v))
#else
# define VALUE_BARRIER(v) ((void) (v))
#endif

/* F_i for every node into net[] (and G_i, P_i into forces), returning
 * dL/dt.  Inlined twice: for any x86-64, and with FMA where the processor
 * has AVX2, whose fused multiply-adds save a third of the partner loop's
 * instructions. */
static inline __attribute__ ((always_inline)) double
node_forces_inline (guint                        n,
                    const CdNodeTerms *restrict  terms,
                    const CdHalfEdge *restrict   half,
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
                    CdForces                    *forces)
{
  double loss_rate = 0.0;
  guint q0 = 0;

  for (guint i = 0; i < n; i++)
    {
      const CdNodeTerms *nt = &terms[i];
      const guint q1 = nt->partner_end;
      double with_interest = 0.0, with_trust = 0.0;
      double gravity, pressure;

      /* One pass over the partners: gravity's two sums, and with an
       * emergency the shared crisis and the capacity drawn on (M_i). */
      if (crisis_on)
        {
          double shared = 0.0, help = nt->capacity, worst = 0.0;

          for (guint q = q0; q < q1; q++)
            {
              const CdHalfEdge *he = &half[q];
              double xj = x[he->node];
              with_interest += he->interest * xj;
              with_trust += trust[he->edge] * xj;
              shared += he->info * S[he->node];
              help += he->capacity * xj;
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
          loss_rate += nt->vulnerability * S[i] * (1.0 - x[i] * help * nt->inv_engaged);
        }
      else
        {
          for (guint q = q0; q < q1; q++)
            {
              const CdHalfEdge *he = &half[q];
              double xj = x[he->node];
              with_interest += he->interest * xj;
              with_trust += trust[he->edge] * xj;
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

      net[i] = gravity + pressure + nt->steady;
      if (forces)
        {
          forces->gravity[i] = gravity;
          forces->pressure[i] = pressure;
        }
    }

  return loss_rate;
}

#define NODE_FORCES_ARGS \
  guint n, const CdNodeTerms *restrict terms, const CdHalfEdge *restrict half, \
  const guint *restrict superior_start, const guint *restrict superior_node, \
  const double *restrict superior_weight, const guint *restrict subordinate_node, \
  const double *restrict subordinate_weight, const double *x, const double *trust, \
  const double *restrict S, double g_b, double g_tau, gboolean crisis_on, \
  double *restrict net, CdForces *forces
/* Each combination of the two flags its own loop, without tests per node. */
#define NODE_FORCES_CALL \
  (crisis_on \
   ? (forces ? node_forces_inline (NODE_FORCES_CALL_WITH (TRUE, forces)) \
             : node_forces_inline (NODE_FORCES_CALL_WITH (TRUE, NULL))) \
   : (forces ? node_forces_inline (NODE_FORCES_CALL_WITH (FALSE, forces)) \
             : node_forces_inline (NODE_FORCES_CALL_WITH (FALSE, NULL))))
#define NODE_FORCES_CALL_WITH(crisis, f) \
  n, terms, half, superior_start, superior_node, superior_weight, subordinate_node, \
  subordinate_weight, x, trust, S, g_b, g_tau, crisis, net, f

static double
node_forces (NODE_FORCES_ARGS)
{
  return NODE_FORCES_CALL;
}

#if HAVE_LIBMVEC
__attribute__ ((target ("avx2,fma"))) static double
node_forces_fma (NODE_FORCES_ARGS)
{
  return NODE_FORCES_CALL;
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

  for (guint i = 0; i < sys->n_nodes; i++)
    {
      CdNodeTerms2 *nt = &ws->terms2[i];
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
      nt->partner_end = sys->partner_start[i + 1];
      nt->superior_start = sys->superior_start[i];
      nt->superior_end = sys->superior_start[i + 1];
      nt->subordinate_start = sys->subordinate_start[i];
      nt->subordinate_end = sys->subordinate_start[i + 1];
    }
}

/* Version 2's F_i for every node into net[] (and G, P, T, R into forces),
 * returning dL/dt.  One pass over each node's partners gives gravity's two
 * sums, the trust that dissolves the fragmentation of ideas and, with an
 * emergency, the shared crisis and the capacity drawn on. */
static inline __attribute__ ((always_inline)) double
node_forces2_inline (guint                         n,
                     const CdNodeTerms2 *restrict  terms,
                     const CdHalfEdge *restrict    half,
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
                     CdForces                     *forces)
{
  double loss_rate = 0.0;
  guint q0 = 0;

  for (guint i = 0; i < n; i++)
    {
      const CdNodeTerms2 *nt = &terms[i];
      const guint q1 = nt->partner_end;
      double with_interest = 0.0, with_trust = 0.0, trust_sum = 0.0;
      double pulled_admin = 0.0, pulled_command = 0.0, crisis = 0.0;
      double gravity, pressure, steady;

      if (crisis_on)
        {
          double shared = 0.0, help = nt->capacity, worst = 0.0;

          for (guint q = q0; q < q1; q++)
            {
              const CdHalfEdge *he = &half[q];
              double xj = x[he->node], tau = trust[he->edge];
              with_interest += he->interest * xj;
              with_trust += tau * xj;
              trust_sum += tau;
              shared += he->info * S[he->node];
              help += he->capacity * xj;
            }
          for (guint q = nt->subordinate_start; q < nt->subordinate_end; q++)
            {
              double report = subordinate_weight[q] * S[subordinate_node[q]];
              if (report > worst)
                worst = report;
            }
          /* C_i = S_i + (1/k_i) Σ_j ι_ij S_j + max_d h_id S_d */
          crisis = S[i] + nt->inv_degree * shared + worst;
          loss_rate += nt->vulnerability * S[i] * (1.0 - x[i] * help * nt->inv_engaged);
        }
      else
        for (guint q = q0; q < q1; q++)
          {
            const CdHalfEdge *he = &half[q];
            double xj = x[he->node], tau = trust[he->edge];
            with_interest += he->interest * xj;
            with_trust += tau * xj;
            trust_sum += tau;
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
    }
  return loss_rate;
}

#define NODE_FORCES2_ARGS \
  guint n, const CdNodeTerms2 *restrict terms, const CdHalfEdge *restrict half, \
  const guint *restrict superior_node, const double *restrict superior_weight, \
  const guint8 *restrict superior_emergency, const guint *restrict subordinate_node, \
  const double *restrict subordinate_weight, const double *x, const double *trust, \
  const double *restrict S, double g_b, double g_tau, gboolean crisis_on, \
  double *restrict net, CdForces *forces
#define NODE_FORCES2_CALL_WITH(crisis, f) \
  n, terms, half, superior_node, superior_weight, superior_emergency, subordinate_node, \
  subordinate_weight, x, trust, S, g_b, g_tau, crisis, net, f
/* Each combination of the two flags its own loop, without tests per node. */
#define NODE_FORCES2_CALL \
  (crisis_on \
   ? (forces ? node_forces2_inline (NODE_FORCES2_CALL_WITH (TRUE, forces)) \
             : node_forces2_inline (NODE_FORCES2_CALL_WITH (TRUE, NULL))) \
   : (forces ? node_forces2_inline (NODE_FORCES2_CALL_WITH (FALSE, forces)) \
             : node_forces2_inline (NODE_FORCES2_CALL_WITH (FALSE, NULL))))

static double
node_forces2 (NODE_FORCES2_ARGS)
{
  return NODE_FORCES2_CALL;
}

#if HAVE_LIBMVEC
/* With FMA where the processor has AVX2, as version 1's loop. */
__attribute__ ((target ("avx2,fma"))) static double
node_forces2_fma (NODE_FORCES2_ARGS)
{
  return NODE_FORCES2_CALL;
}
#endif

/* Written for speed (it is most of a run's time): terms that depend only on
 * the parameters are computed once per piece into one record per node
 * (cached in the workspace), the crisis terms are skipped while no
 * emergency is active, the partner loop reads one record per half-edge in
 * sequence, a node's single superior needs no loop, and the trust rates go
 * four at a time.  Sums are regrouped (g_b Σ b x + g_τ Σ τ x, p_a (h/Σh) x_s,
 * x_i (c_i + Σ c_j x_j) · 1/(1 + k_i)), which changes results only in the
 * last bits; tests/reference checks them to 1e-6. */
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
  const guint n = sys->n_nodes;
  const double *x = y;
  const double *trust = y + n;
  double *restrict S = ws->severity;
  const double g_b = p[CD_PARAM_GRAVITY_INTEREST], g_tau = p[CD_PARAM_GRAVITY_TRUST];
  const double beta = p[CD_PARAM_DYNAMICS_RATIONALITY], lambda = p[CD_PARAM_DYNAMICS_RATE];
  const double eta_d = p[CD_PARAM_DYNAMICS_TRUST_DECAY];
  const gboolean crisis_on = piece->n_active_events > 0;
  /* Every array in a local: stores to the output could otherwise alias the
   * CdSystem's fields, and each iteration would reload them. */
  const CdHalfEdge *restrict half = sys->half_edges;
  const CdNodeTerms *restrict terms;
  const guint *restrict subordinate_node = sys->subordinate_node;
  const double *restrict subordinate_weight = sys->subordinate_weight;
  double *restrict net = dydt ? dydt : ws->net;
  double loss_rate;

  /* Crisis severity S_i(t) = Σ_k m_k a_ik exp(−(t − t_k)/d_k), active events
   * only.  At t = t_k the factor is 1 exactly: computing it as
   * exp(−0 · (1/d_k)) would give NaN when 1/d_k overflows (a subnormal d_k). */
  if (crisis_on)
    {
      for (guint q = 0; q < sys->n_impacted; q++)
        S[sys->impacted[q]] = 0.0;
      for (guint k = 0; k < piece->n_active_events; k++)
        {
          double since = t - sys->event_onset[k];
          double level = sys->event_magnitude[k]
                         * (since > 0.0 ? exp (-since * sys->event_inv_decay[k]) : 1.0);
          ws->event_now[k] = level;
          for (guint q = sys->impact_start[k]; q < sys->impact_start[k + 1]; q++)
            S[sys->impact_node[q]] += level * sys->impact_a[q];
        }
    }

  if (!ws->cached || memcmp (ws->cached_params, p, sizeof ws->cached_params) != 0)
    {
      cache_terms (sys, p, ws);
      if (sys->version >= 2)
        cache_terms2 (sys, p, ws);
    }
  terms = ws->terms;

  if (sys->version >= 2)
    {
      /* Model 2: its own node loop; the rates below are model 1's. */
#if HAVE_LIBMVEC
      if (vector_width () == VECTOR_AVX2)
        loss_rate = node_forces2_fma (n, ws->terms2, half, sys->superior_node,
                                      sys->superior_weight, sys->superior_emergency,
                                      subordinate_node, subordinate_weight, x, trust, S, g_b,
                                      g_tau, crisis_on, net, forces);
      else
#endif
        loss_rate = node_forces2 (n, ws->terms2, half, sys->superior_node, sys->superior_weight,
                                  sys->superior_emergency, subordinate_node, subordinate_weight,
                                  x, trust, S, g_b, g_tau, crisis_on, net, forces);
      goto rates;
    }

#if HAVE_LIBMVEC
  if (vector_width () == VECTOR_AVX2)
    loss_rate = node_forces_fma (n, terms, half, sys->superior_start, sys->superior_node,
                                 sys->superior_weight, subordinate_node, subordinate_weight, x,
                                 trust, S, g_b, g_tau, crisis_on, net, forces);
  else
#endif
    loss_rate = node_forces (n, terms, half, sys->superior_start, sys->superior_node,
                             sys->superior_weight, subordinate_node, subordinate_weight, x,
                             trust, S, g_b, g_tau, crisis_on, net, forces);
  /* T_i and R_i as the cached T_i − R_i has them: outside the FMA variant. */
  if (forces)
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

rates:
  if (dydt)
    {
      /* net[i] = F_i turned into dx_i/dt, all nodes at once */
      if (sys->rule == CD_RULE_LOGIT)
        logit_rates (n, dydt, x, beta, lambda);
      else
        for (guint i = 0; i < n; i++)
          dydt[i] = lambda * x[i] * (1.0 - x[i]) * dydt[i];
      for (guint k = 0; k < sys->n_fixed; k++)
        dydt[sys->fixed_nodes[k]] = 0.0;
      trust_rates (sys->n_partnerships, dydt + n, x, trust, sys->pair_a, sys->pair_b,
                   ws->pair_gain, eta_d);
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
