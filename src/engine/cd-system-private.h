/* cd-system-private.h — the layout of a CdSystem, for the engine's own files only.
 *
 * The right-hand side (cd-system.c), the force breakdown
 * (cd-system-factors.c), the integrator, the CSV writer and the analyses
 * read these arrays directly; everything outside src/engine uses the
 * accessors of cd-system.h, so that this layout can change for speed
 * without touching the render library, the app or the CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-system.h"
#include "cd-team.h"

G_BEGIN_DECLS

/* One half-edge (a partnership seen from one end), laid out for the
 * right-hand side's partner loop: one record read in sequence instead of
 * three arrays.  Only what every evaluation needs is here: ι of the
 * partnership and c of the partner, read only while an emergency is active,
 * are gathered through `edge` and `node` from pair_info and capacity (which
 * are small and read where trust and x are), so that the stream a large
 * network pulls from memory on each evaluation is 16 bytes a half-edge, not
 * 40. */
typedef struct
{
  double interest;          /* b of the partnership */
  guint  node;              /* the partner */
  guint  edge;              /* index of the partnership */
} CdHalfEdge;

/* The partner table of the vector node loop (cd-system-sell.c): the
 * half-edges of eight governments side by side, row by row; NULL where the
 * processor lacks AVX-512, for version 2, and for small systems. */
typedef struct
{
  guint   n_chunks;
  guint  *chunk_start;    /* n_chunks + 1: the rows of chunk c */
  gint32 *chunk_node;     /* 8 a chunk: the layout's government in each lane, −1 for none */
  gint32 *slot_node;      /* 8 a row: the partner, in the layout */
  gint32 *slot_edge;      /* 8 a row: the partnership, in the layout */
  double *slot_interest;  /* 8 a row: b */
  guint8 *slot_live;      /* a row: the lanes with a partner */
  guint8 *slot_owner;     /* a row: the lanes that store the trust rate (the lower end) */
} CdSell;

/* Where the right-hand side's node loop finds the network: the file's own
 * arrays of the CdSystem, or copies of them with the governments in the
 * graph order of cd-system-order.c.  Node indices in these arrays are
 * positions in that order, partnership indices too. */
typedef struct
{
  guint      *partner_start;      /* n_nodes + 1 */
  CdHalfEdge *half_edges;         /* in the order of the partners' CSR */
  double     *pair_info;          /* ι, by partnership */
  double     *capacity;           /* c, by node */
  guint      *superior_start;
  guint      *superior_node;
  double     *superior_weight;
  guint8     *superior_emergency; /* version 2 */
  guint      *subordinate_start;
  guint      *subordinate_node;
  double     *subordinate_weight;
  guint      *impacted;           /* as CdSystem's, n_impacted of them */
  guint      *impact_node;        /* as CdSystem's, per event */
} CdLayout;

struct _CdSystem
{
  guint   n_nodes;
  guint   n_partnerships;
  guint   n_state;          /* n_nodes + n_partnerships + 1 (the loss) */
  CdRule  rule;

  /* per node */
  double *capacity;
  double *vulnerability;
  double *fragmentation;
  double *x0;
  guint8 *fixed;
  double *inv_degree;       /* 1/k_i, 0 without partners */
  double *info_mean;        /* Ī_i */
  double *inv_weight_sum;   /* 1 / Σ_{s∈U_i} h_si, 0 without superiors */
  guint8 *has_superior;

  /* partners of each node: CSR; each partnership appears at both ends */
  guint  *partner_start;    /* n_nodes + 1 */
  guint  *partner_node;
  guint  *partner_edge;     /* index of the partnership */

  /* partnerships, in file order */
  guint  *pair_a;
  guint  *pair_b;
  double *pair_interest;
  double *pair_info;
  double *pair_trust0;

  /* every edge of the model, file order: its index among the partnerships
   * or among the command lines, which are listed here in file order too */
  guint   n_edges;
  guint  *edge_index;
  guint8 *edge_is_partnership;
  guint   n_commands;
  guint  *command_source;
  guint  *command_target;
  double *command_weight;

  /* superiors and subordinates: CSR over command lines */
  guint  *superior_start;
  guint  *superior_node;
  double *superior_weight;
  guint  *subordinate_start;
  guint  *subordinate_node;
  double *subordinate_weight;

  /* events sorted by onset (stable), impacts as CSR */
  guint   n_events;
  double *event_onset;
  double *event_magnitude;
  double *event_inv_decay;
  guint  *impact_start;
  guint  *impact_node;
  double *impact_a;

  guint    n_pieces;
  CdPiece *pieces;

  CdSimSettings sim;

  /* labels for output, in file order */
  char  **node_ids;         /* NULL-terminated */
  char  **partnership_labels;

  /* Laid out for the right-hand side. */
  double *burden;           /* c_i (1 − v_i), the resistance's burden term */
  CdHalfEdge *half_edges;   /* in the order of partner_node, so that the
                             * partner loop reads them in sequence */
  guint  *impacted;         /* every node some event impacts, each once */
  guint   n_impacted;
  /* the impacts again, by node: impacted[q]'s are [node_impact_start[q],
   * node_impact_start[q + 1]), events in ascending order, so that S can be
   * summed per node (and in parallel) in the order the per-event loop sums it */
  guint  *node_impact_start;
  guint  *node_impact_event;
  double *node_impact_a;
  guint  *fixed_nodes;      /* the nodes with fixed set */
  guint   n_fixed;

  /* The network as the node loop reads it (see CdLayout).  With `order`
   * NULL these are the file's arrays above; otherwise copies in which
   * position k holds the government order[k] of the file (rank[] the
   * inverse) and partnership e the file's pair_order[e].  The state
   * vector, and every result, stay in the file's order: the right-hand
   * side gathers the state into this order, and scatters the rates back
   * (cd_system_evaluate), with the same bits either way. */
  CdLayout layout;
  CdSell  *sell;            /* the layout's partner table for the vector loop, or NULL */
  guint  *order;
  guint  *rank;
  guint  *pair_order;

  /* Version 2 (docs/model.md, "Model 2"); NULL for version 1. */
  int     version;
  double *fragmentation_ideas;    /* f^I_i */
  double *fragmentation_powers;   /* f^P_i */
  double *appraisal;              /* a_i, its default resolved */
  double *supervised;             /* σ_i = min(1, Σ_{s∈U_i} h_si) */
  double *inv_weight_admin;       /* 1 / Σ_{s∈U^a_i} h_si, 0 without */
  double *inv_weight_emergency;   /* 1 / Σ_{s∈U^e_i} h_si, 0 without */
  guint8 *superior_emergency;     /* per entry of superior_node: an emergency line */
  guint8 *command_emergency;      /* per command line, file order */
};

/* Version 2's terms of one node for one set of parameters (see
 * cd_system_evaluate): T_i − R_i = steady + ideas · Σ_j τ_ij. */
typedef struct
{
  double steady;            /* T_i − D_i [r_I f^I + r_P f^P (1 − μ_l) + r_b (1 − κ) c (1 − v)] */
  double ideas;             /* D_i r_I f^I_i / k_i: trust dissolves the fragmentation of ideas */
  double thrust;            /* T_i */
  double crisis_gain;       /* p_c v_i */
  double admin;             /* p_a / Σh over administrative superiors */
  double command;           /* p_k / Σh over emergency superiors */
  double inv_degree;        /* 1/k_i, 0 without partners */
  double capacity;          /* c_i */
  double vulnerability;     /* v_i */
  double inv_engaged;       /* 1/(1 + k_i) */
  guint  partner_end;
  guint  superior_start;
  guint  superior_end;
  guint  subordinate_start;
  guint  subordinate_end;
} CdNodeTerms2;

/* Each node's terms of the right-hand side for one set of parameters, in
 * one record so that the node loop reads a single stream (and keeps its few
 * registers for the running sums).  `superior` is the one superior of a node
 * that has exactly one, with admin = p_a (h / Σh); a node without superiors
 * names itself with admin = 0; a node with several has CD_NODE_SEVERAL and
 * its superiors are summed from the CSR arrays. */
typedef struct
{
  double steady;            /* T_i − R_i */
  double crisis_gain;       /* p_c v_i */
  double admin;             /* see above */
  double inv_degree;        /* 1/k_i, 0 without partners */
  double capacity;          /* c_i */
  double vulnerability;     /* v_i */
  double inv_engaged;       /* 1/(1 + k_i), M_i's denominator */
  guint  partner_end;       /* partner_start[i + 1] */
  guint  superior;
  guint  subordinate_start;
  guint  subordinate_end;
} CdNodeTerms;

#define CD_NODE_SEVERAL G_MAXUINT

/* How the node loop gives the trust rates and partner sums (see FuseMode
 * in cd-system.c), chosen by timing the ways this system has, from this
 * many governments on: below, the branch predictor learns the whole
 * pattern of a network, and the branch is as fast as any other way. */
#define CD_STORE_CHOICE_MIN_NODES 1024

typedef enum
{
  CD_STORE_BRANCH,
  CD_STORE_SELECT,
  CD_STORE_VECTOR,    /* cd-system-sell.c; only with a partner table */
  CD_STORE_N_WAYS
} CdStoreWay;

/* Scratch space for one thread's evaluations. */
struct _CdWorkspace
{
  double *severity;   /* S_i */
  double *event_now;  /* m_k exp(−(t − t_k)/d_k) for active events */

  /* Per-node terms that depend only on the parameters, for the parameters
   * in cached_params (checked on every evaluation, so a piece edited in
   * place is never served stale values). */
  gboolean     cached;
  double       cached_params[CD_N_PARAMS];
  CdNodeTerms *terms;
  CdNodeTerms2 *terms2;     /* version 2 */

  double  *net;         /* F_i when the caller wants forces but no rates */

  /* In the graph order (CdSystem's `order`; NULL without): the state
   * gathered, the F_i, each node's part of dL/dt, the forces. */
  double  *x_ordered;       /* n_nodes, then the n_partnerships trusts */
  double  *net_ordered;
  double  *loss_ordered;
  double  *forces_ordered;  /* 4 × n_nodes */
  double  *trust_rate_ordered; /* n_partnerships */

  /* Threads for large systems (cd_workspace_set_threads; NULL: one) and
   * the loss's partial sums, one per CD_GRANULE nodes. */
  CdTeam  *team;
  double  *granule_loss;
  /* How the node loop gives the trust rates (CdStoreWay).  Chosen by
   * timing each way on the first evaluations of a large system,
   * store_trials of them so far, the best time of each in store_best_ns;
   * the same bits every way. */
  CdStoreWay store_way;
  guint      store_trials;
  gint64     store_best_ns[CD_STORE_N_WAYS];
  double    *partner_sums;  /* 4 a government, for CD_STORE_VECTOR */

  /* NULL but in the integrator's own workspace under the replicator rule
   * (cd_workspace_set_logodds): the governments whose state there is the
   * log-odds z_i = log(x_i / (1 − x_i)), whose rates are then
   * dz_i/dt = λ F_i instead of λ x_i (1 − x_i) F_i.  The state handed to
   * cd_system_evaluate is still x (the integrator turns z into x first):
   * only the rates of these governments change. */
  const guint8 *logodds;
};

/* The integrator's: from now on the rates this workspace forms are dz_i/dt
 * = λ F_i for the governments flagged in logodds (n_nodes flags, kept by
 * the caller; NULL: none, the x-space rates everyone else uses). */
void cd_workspace_set_logodds (CdWorkspace  *ws,
                               const guint8 *logodds);

/* For tests: the node loop works this way from now on instead of the way
 * timing chooses; FALSE when the system cannot (CD_STORE_VECTOR without
 * a partner table). */
gboolean cd_workspace_set_store_choice (const CdSystem *sys,
                                        CdWorkspace    *ws,
                                        CdStoreWay      way);

CdSell *cd_sell_new          (const CdSystem *sys);
void    cd_sell_free         (CdSell         *sell);
void    cd_sell_partner_sums (const CdSell   *sell,
                              guint           from,
                              guint           to,
                              const double   *x,
                              const double   *trust,
                              const double   *info,
                              const double   *S,
                              const double   *capacity,
                              gboolean        crisis_on,
                              double          eta_g,
                              double          eta_d,
                              double         *sums,
                              double         *trust_rate);

/* The right-hand side works in blocks of this many nodes (and partnerships)
 * on a team's threads, and in granules of CD_GRANULE nodes where a second
 * thread lends a hand (cd-simulate.c).  The loss is summed per granule in
 * the file's order, then the granules in order, so that the result is the
 * same whatever the number of threads and whoever did which part.  Both
 * multiples of 64, so that the vector loops (cd-system-sell.c's windows,
 * logit_rates' groups of four) split at the same places. */
#define CD_BLOCK   4096
#define CD_GRANULE 128
G_STATIC_ASSERT (CD_BLOCK % CD_GRANULE == 0 && CD_GRANULE % 64 == 0);

typedef enum
{
  CD_ORDER_AUTO,            /* the graph order where it pays */
  CD_ORDER_FILE,            /* the file's order */
  CD_ORDER_GRAPH            /* the graph order, at any size */
} CdOrderChoice;

/* Chooses the order of the governments in which the right-hand side reads
 * the network, and builds sys->layout in it (cd-system-order.c).  Called
 * last by cd_system_new, with CD_ORDER_AUTO unless COORDYN_GRAPH_ORDER
 * says `never` or `always`; tests and benchmarks call it again to compare
 * (before making workspaces: a workspace fits one order). */
void cd_system_order (CdSystem     *sys,
                      CdOrderChoice choice);

/* Frees what cd_system_order allocated. */
void cd_system_order_free (CdSystem *sys);

/* The node loop reads the file's arrays below this many state variables:
 * a network this small stays in the processor's caches whatever its order,
 * and gathering and scattering would cost more than it saves. */
#define CD_ORDER_MIN_STATE 32768

/* S_i(t) of every node into S (n_nodes values): Σ_k m_k a_ik e^{−(t−t_k)/d_k}
 * over the events active in `piece`. */
void cd_system_severity (const CdSystem *system,
                         const CdPiece  *piece,
                         double          t,
                         double         *S);

G_END_DECLS
