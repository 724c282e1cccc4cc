/* cd-system.h — a model compiled into flat arrays for integration.
 *
 * A CdSystem is immutable once built, so any number of threads may
 * integrate it at once (each with its own CdWorkspace).  Everything the
 * right-hand side needs is precomputed: CSR adjacency for partners,
 * superiors and subordinates, per-event impact lists, and the "pieces"
 * between breakpoints with the parameters and active events of each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

/* An interval of time between two breakpoints (event onsets, intervention
 * times).  Within it the parameters and the set of active events are fixed:
 * those in force at t_start. */
typedef struct
{
  double t_start;
  double params[CD_N_PARAMS];
  guint  n_active_events;   /* events are sorted by onset: the first n are active */
} CdPiece;

/* One half-edge (a partnership seen from one end), laid out for the
 * right-hand side's partner loop: one record read in sequence instead of
 * four arrays. */
typedef struct
{
  double interest;          /* b of the partnership */
  double info;              /* ι of the partnership */
  double capacity;          /* c of the partner */
  guint  node;              /* the partner */
  guint  edge;              /* index of the partnership */
} CdHalfEdge;

typedef struct _CdSystem CdSystem;

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
  guint  *fixed_nodes;      /* the nodes with fixed set */
  guint   n_fixed;
};

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

/* The four forces on every node, from one evaluation. */
typedef struct
{
  double *gravity;
  double *pressure;
  double *thrust;
  double *resistance;
} CdForces;

/* Scratch space for one thread's evaluations. */
typedef struct
{
  double *severity;   /* S_i */
  double *event_now;  /* m_k exp(−(t − t_k)/d_k) for active events */

  /* Per-node terms that depend only on the parameters, for the parameters
   * in cached_params (checked on every evaluation, so a piece edited in
   * place is never served stale values). */
  gboolean     cached;
  double       cached_params[CD_N_PARAMS];
  CdNodeTerms *terms;
  double      *pair_gain;   /* η_g (1 + ι_ij) per partnership */

  double  *net;         /* F_i when the caller wants forces but no rates */
} CdWorkspace;

CdSystem    *cd_system_new            (const CdModel  *model,
                                       GError        **error);
void         cd_system_free           (CdSystem       *system);

CdWorkspace *cd_workspace_new         (const CdSystem *system);
void         cd_workspace_free        (CdWorkspace    *ws);

/* The piece in force at time t: a time exactly at a breakpoint belongs to
 * the piece that starts there. */
guint        cd_system_piece_at       (const CdSystem *system,
                                       double          t);

void         cd_system_initial_state  (const CdSystem *system,
                                       double         *y);

/* The right-hand side of docs/model.md's equations at (t, y) with the
 * parameters and active events of `piece`; forces may be NULL.
 * Allocates nothing; O(nodes + edges + impacts). */
void         cd_system_evaluate       (const CdSystem *system,
                                       const CdPiece  *piece,
                                       double          t,
                                       const double   *y,
                                       double         *dydt,
                                       CdForces       *forces,
                                       CdWorkspace    *ws);

double       cd_system_mean_coordination (const CdSystem *system,
                                          const double   *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSystem, cd_system_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdWorkspace, cd_workspace_free)

G_END_DECLS
