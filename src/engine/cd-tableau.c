/* cd-tableau.c — Dormand–Prince 5(4) and Tsitouras 5(4) with their
 * continuous extensions (see cd-tableau.h for the layout).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-tableau.h"

/* Dormand & Prince, "A family of embedded Runge-Kutta formulae", J. Comp.
 * Appl. Math. 6 (1980), the RK5(4)7M pair of MATLAB's ode45 and SciPy's
 * RK45; the dense output is Shampine's ("Some practical Runge-Kutta
 * formulas", Math. Comp. 46, 1986), in the form SciPy uses.  Exact
 * rationals. */
const CdTableau cd_tableau_dormand_prince = {
  .name = "Dormand-Prince 5(4)",
  .c = { 0.0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1.0, 1.0 },
  .a = {
    { 0 },
    { 1.0 / 5 },
    { 3.0 / 40, 9.0 / 40 },
    { 44.0 / 45, -56.0 / 15, 32.0 / 9 },
    { 19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729 },
    { 9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656 },
    { 35.0 / 384, 0.0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84 },
  },
  .e = { 71.0 / 57600, 0.0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525,
         -1.0 / 40 },
  .p = {
    { 1.0, -8048581381.0 / 2820520608, 8663915743.0 / 2820520608,
      -12715105075.0 / 11282082432 },
    { 0.0, 0.0, 0.0, 0.0 },
    { 0.0, 131558114200.0 / 32700410799, -68118460800.0 / 10900136933,
      87487479700.0 / 32700410799 },
    { 0.0, -1754552775.0 / 470086768, 14199869525.0 / 1410260304,
      -10690763975.0 / 1880347072 },
    { 0.0, 127303824393.0 / 49829197408, -318862633887.0 / 49829197408,
      701980252875.0 / 199316789632 },
    { 0.0, -282668133.0 / 205662961, 2019193451.0 / 616988883, -1453857185.0 / 822651844 },
    { 0.0, 40617522.0 / 29380423, -110615467.0 / 29380423, 69997945.0 / 29380423 },
  },
};

/* Tsitouras, "Runge–Kutta pairs of order 5(4) satisfying only the first
 * column simplifying assumption", Comput. Math. Appl. 62 (2011) 770–775,
 * with its interpolant.  The paper gives decimals; they satisfy the order
 * conditions to about 1e-15.  Copies of its error weights differ in the
 * sign of the last one: the one with which b̂ sums to 1 and is of order 4
 * is used, as e = b − b̂ (last weight +1/66; test-tableau checks it).  Its
 * coefficients were chosen to make the 5th-order solution's leading error
 * terms small rather than to satisfy Dormand and Prince's simplifying
 * assumptions; on this model it needs 8–14 % fewer evaluations for the
 * same accuracy (cd-simulate.c). */
const CdTableau cd_tableau_tsitouras = {
  .name = "Tsitouras 5(4)",
  .c = { 0.0, 0.161, 0.327, 0.9, 0.9800255409045097, 1.0, 1.0 },
  .a = {
    { 0 },
    { 0.161 },
    { -0.008480655492356989, 0.335480655492357 },
    { 2.897153057105493, -6.359448489975075, 4.3622954328695815 },
    { 5.325864828439257, -11.748883564062828, 7.4955393428898365, -0.09249506636175525 },
    { 5.86145544294642, -12.92096931784711, 8.159367898576159, -0.071584973281401,
      -0.028269050394068383 },
    { 0.09646076681806523, 0.01, 0.4798896504144996, 1.379008574103742, -3.290069515436081,
      2.324710524099774 },
  },
  .e = { -0.00178001105222577714, -0.0008164344596567469, 0.007880878010261995,
         -0.1447110071732629, 0.5823571654525552, -0.45808210592918697, 1.0 / 66 },
  .p = {
    { 1.0, -2.763706197274826, 2.9132554618219126, -1.0530884977290216 },
    { 0.0, 0.13169999999999998, -0.2234, 0.1017 },
    { 0.0, 3.930296236894751, -5.941033872131505, 2.490627285651253 },
    { 0.0, -12.411077166933676, 30.338188630282318, -16.548102889244902 },
    { 0.0, 37.50931341651104, -88.1789048947664, 47.37952196281928 },
    { 0.0, -27.896526289197286, 65.09189467479368, -34.87065786149661 },
    { 0.0, 1.5, -4.0, 2.5 },
  },
};
