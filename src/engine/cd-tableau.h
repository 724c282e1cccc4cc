/* cd-tableau.h — the embedded Runge–Kutta pairs of the dense integration
 * (cd-simulate.c): coefficients only, so that tests can check their order
 * conditions (tests/engine/test-tableau.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CD_TABLEAU_STAGES 7

/* A 7-stage first-same-as-last pair of orders 5 and 4 with a 4th-order
 * continuous extension:
 * - nodes c and stage coefficients a; row 6 of a is the 5th-order
 *   solution's weights b, and stage 7 is f at the step's end (c = 1), the
 *   next step's first stage;
 * - e = b − b̂, the 5th- minus the 4th-order weights: the error estimate
 *   h Σ_j e_j K_j;
 * - the interpolant y(t0 + θh) = y0 + h Σ_j K_j b_j(θ), with
 *   b_j(θ) = p_j1 θ + p_j2 θ² + p_j3 θ³ + p_j4 θ⁴ and b_j(1) = b_j. */
typedef struct
{
  const char *name;
  double      c[CD_TABLEAU_STAGES];
  double      a[CD_TABLEAU_STAGES][CD_TABLEAU_STAGES - 1];
  double      e[CD_TABLEAU_STAGES];
  double      p[CD_TABLEAU_STAGES][4];
} CdTableau;

extern const CdTableau cd_tableau_dormand_prince;
extern const CdTableau cd_tableau_tsitouras;

G_END_DECLS
