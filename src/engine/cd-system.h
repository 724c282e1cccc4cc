/* cd-system.h — a model compiled into flat arrays for integration.
 *
 * A CdSystem is immutable once built, so any number of threads may
 * integrate it at once (each with its own CdWorkspace).  Everything the
 * right-hand side needs is precomputed: CSR adjacency for partners,
 * superiors and subordinates, per-event impact lists, and the "pieces"
 * between breakpoints with the parameters and active events of each.
 * Its layout is the engine's own (cd-system-private.h); callers outside
 * the engine use the accessors and the force breakdown below.
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

typedef struct _CdSystem CdSystem;

/* The four forces on every node, from one evaluation. */
typedef struct
{
  double *gravity;
  double *pressure;
  double *thrust;
  double *resistance;
} CdForces;

/* Scratch space for one thread's evaluations (cd-system-private.h). */
typedef struct _CdWorkspace CdWorkspace;

CdSystem    *cd_system_new            (const CdModel  *model,
                                       GError        **error);
/* cd_system_new() of a model that cd_model_validate() passed and that has
 * not changed since, but for sim.t_end and sim.dt (still 0 < dt ≤ t_end <
 * ∞): the validation is not repeated, which on the national model was
 * 1.5 ms of a 75 ms `coordyn-cli run`. */
CdSystem    *cd_system_new_validated  (const CdModel  *model);
void         cd_system_free           (CdSystem       *system);

CdWorkspace *cd_workspace_new         (const CdSystem *system);
void         cd_workspace_free        (CdWorkspace    *ws);
/* Evaluations through this workspace use up to `threads` threads where the
 * system is large enough to gain from it (cd_system_threads_worth_it); the
 * results are the same bits for any number.  Default 1.  A workspace is
 * still used by one thread at a time. */
void         cd_workspace_set_threads (CdWorkspace    *ws,
                                       guint           threads);
/* How many threads a system of this size gains from, at most `available`
 * (1 below some tens of thousands of state variables). */
guint        cd_system_threads_worth_it (const CdSystem *system,
                                         guint           available);

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

/* The same evaluation in parts, for two threads to share (cd-simulate.c):
 * cd_system_evaluate_begin() once, cd_system_evaluate_granule() for every
 * granule of governments (in any order, on any thread), then
 * cd_system_evaluate_end() once.  The same bits as cd_system_evaluate().
 * Only where cd_system_can_split() says so: a system in the file's order,
 * in one thread, once the node loop's way is chosen. */
gboolean     cd_system_can_split      (const CdSystem    *system,
                                       const CdWorkspace *ws);
guint        cd_system_n_granules     (const CdSystem *system);
void         cd_system_evaluate_begin (const CdSystem *system,
                                       const CdPiece  *piece,
                                       double          t,
                                       CdWorkspace    *ws);
void         cd_system_evaluate_granule (const CdSystem *system,
                                         const CdPiece  *piece,
                                         const double   *y,
                                         double         *dydt,
                                         CdWorkspace    *ws,
                                         guint           granule);
void         cd_system_evaluate_end   (const CdSystem *system,
                                       const CdPiece  *piece,
                                       double         *dydt,
                                       CdWorkspace    *ws);

double       cd_system_mean_coordination (const CdSystem *system,
                                          const double   *y);

/* ---- what callers outside the engine may know of a system --------------- */

guint                cd_system_get_n_nodes        (const CdSystem *system);
guint                cd_system_get_n_partnerships (const CdSystem *system);
/* n_nodes + n_partnerships + 1: x, then τ in file order, then the loss. */
guint                cd_system_get_n_state        (const CdSystem *system);
/* Every edge of the model it was compiled from, both kinds. */
guint                cd_system_get_n_edges        (const CdSystem *system);
guint                cd_system_get_n_pieces       (const CdSystem *system);
const CdPiece       *cd_system_get_piece          (const CdSystem *system,
                                                   guint           index);
/* The piece in force at t (cd_system_piece_at). */
const CdPiece       *cd_system_get_piece_at       (const CdSystem *system,
                                                   double          t);
CdRule               cd_system_get_rule           (const CdSystem *system);
const CdSimSettings *cd_system_get_sim            (const CdSystem *system);
/* The government ids in file order, NULL-terminated. */
const char *const   *cd_system_get_node_ids       (const CdSystem *system);
/* "A|B" for each partnership in file order, as the CSV names it. */
const char          *cd_system_get_partnership_label (const CdSystem *system,
                                                      guint           index);
/* How many command lines (of either role) come down to the node. */
guint                cd_system_get_n_superiors    (const CdSystem *system,
                                                   guint           node);

/* ---- forces split into the theory's elements (docs/model.md, "Force factors") */

typedef enum
{
  CD_FACTOR_G_INTEREST,
  CD_FACTOR_G_TRUST,
  CD_FACTOR_P_ADMIN,
  CD_FACTOR_P_COMMAND,
  CD_FACTOR_P_CRISIS,
  CD_FACTOR_T_INFO,
  CD_FACTOR_T_APPRAISAL,
  CD_FACTOR_R_IDEAS,
  CD_FACTOR_R_POWERS,
  CD_FACTOR_R_BENEFITS,
  CD_N_FACTORS
} CdFactor;

/* The force a factor is part of. */
typedef enum
{
  CD_FACTOR_OF_GRAVITY,
  CD_FACTOR_OF_PRESSURE,
  CD_FACTOR_OF_THRUST,
  CD_FACTOR_OF_RESISTANCE,
} CdFactorForce;

/* "G_interest", … as the CSV's columns name them (not translated). */
const char    *cd_factor_name   (CdFactor factor);
/* "Shared interest", …: untranslated, translate with _() in the app. */
const char    *cd_factor_label  (CdFactor factor);
CdFactorForce  cd_factor_force  (CdFactor factor);

/* Everything the force-field diagram shows of one government at one state:
 * the four forces (each the sum of its factors), the net force and the ten
 * factors, and who contributes most. */
typedef struct
{
  double t;
  double x;
  double gravity, pressure, thrust, resistance, net;
  double factor[CD_N_FACTORS];
  int    top_partner;          /* node index, −1 without partners */
  double top_partner_share;    /* its share of G_i, in [0, 1] */
  int    top_superior;         /* node index, −1 without superiors */
  double top_superior_share;   /* its share of the pressure from command lines */
} CdForceBreakdown;

/* The breakdown of the forces on `node` at time t and state y (n_state
 * values), with the parameters and active events in force at t.  The
 * forces agree with cd_system_evaluate()'s to rounding.  Returns FALSE if
 * node is out of range.  O(nodes + impacts) for the crisis severities. */
gboolean     cd_system_force_breakdown (const CdSystem   *system,
                                        double            t,
                                        const double     *y,
                                        guint             node,
                                        CdForceBreakdown *out);

/* What each tie sends at time t, for drawing the flows along it: for edge
 * e of the model (file order), to_target[e] is what its source adds to its
 * target's forces and to_source[e] the reverse.  A partnership sends its
 * part of the receiver's gravity, (g_b b_ij + g_τ τ_ij) x_j / k_i; a
 * command line its part of the subordinate's pressure from command lines
 * (to_source 0: pressure flows down only).  x has n_nodes values; trust
 * n_partnerships, or NULL for τ0. */
void         cd_system_edge_pulls      (const CdSystem   *system,
                                        double            t,
                                        const double     *x,
                                        const double     *trust,
                                        double           *to_target,
                                        double           *to_source);

/* The ten factors of every node at time t and state (x: n_nodes values,
 * trust: n_partnerships) into factors
 * (CD_N_FACTORS × n_nodes values, factor-major: factors[f * n + i]).
 * Allocates nothing; O(nodes + edges + impacts). */
void         cd_system_evaluate_factors (const CdSystem *system,
                                         double          t,
                                         const double   *x,
                                         const double   *trust,
                                         double         *factors,
                                         CdWorkspace    *ws);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdSystem, cd_system_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdWorkspace, cd_workspace_free)

G_END_DECLS
