/* cd-params.c — the table of the model's parameters (docs/model.md, "Parameters").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-params.h"

#ifndef N_
# define N_(s) (s)
#endif

#define V1  CD_PARAM_VERSION (1)
#define V2  CD_PARAM_VERSION (2)
#define V12 (V1 | V2)

static const CdParamInfo param_table[CD_N_PARAMS] = {
  [CD_PARAM_GRAVITY_INTEREST] = {
    "gravity.interest", CD_GROUP_GRAVITY, "interest", "g_b", CD_BOUND_NON_NEGATIVE, 1.0, 4.0,
    N_("Shared interest weight"),
    N_("Gravity: how strongly shared interest between partners (common stakes in a basin, "
       "a market, a population) pulls a government toward partners that already coordinate."),
    V12, NULL },
  [CD_PARAM_GRAVITY_TRUST] = {
    "gravity.trust", CD_GROUP_GRAVITY, "trust", "g_τ", CD_BOUND_NON_NEGATIVE, 1.0, 4.0,
    N_("Mutual trust weight"),
    N_("Gravity: how strongly mutual trust, built up by coordinating together, pulls a "
       "government toward its partners. Trust mechanisms and joint projects raise it."),
    V12, NULL },
  [CD_PARAM_PRESSURE_ADMIN] = {
    "pressure.admin", CD_GROUP_PRESSURE, "admin", "p_a", CD_BOUND_NON_NEGATIVE, 1.0, 4.0,
    N_("Administrative pressure"),
    N_("Pressure: central-local administrative pressure passed down the command lines; a "
       "unified emergency command system makes superiors' coordination bind subordinates."), V12,
    N_("Pressure: central-local administrative pressure passed down the standing "
       "administrative command lines.") },
  [CD_PARAM_PRESSURE_COMMAND] = {
    "pressure.command", CD_GROUP_PRESSURE, "command", "p_k", CD_BOUND_NON_NEGATIVE, 1.0, 4.0,
    N_("Command pressure"),
    N_("Pressure: the pull of the emergency command system (a joint headquarters, a basin "
       "authority) on the governments it commands; it presses only while a crisis is felt."),
    V2, NULL },
  [CD_PARAM_PRESSURE_CRISIS] = {
    "pressure.crisis", CD_GROUP_PRESSURE, "crisis", "p_c", CD_BOUND_NON_NEGATIVE, 2.0, 8.0,
    N_("Crisis pressure"),
    N_("Pressure: how hard the emergency itself pushes a government to coordinate, felt "
       "through its own losses, its partners' (as far as information flows) and reports "
       "from its subordinates."), V12, NULL },
  [CD_PARAM_THRUST_INFO] = {
    "thrust.info", CD_GROUP_THRUST, "info", "t_i", CD_BOUND_NON_NEGATIVE, 0.5, 4.0,
    N_("Information-sharing thrust"),
    N_("Thrust: the steady push of unimpeded information-sharing channels with partners; "
       "information platforms raise it."), V12, NULL },
  [CD_PARAM_THRUST_APPRAISAL] = {
    "thrust.appraisal", CD_GROUP_THRUST, "appraisal", "t_a", CD_BOUND_NON_NEGATIVE, 0.5, 4.0,
    N_("Performance-appraisal thrust"),
    N_("Thrust: the push from a superior's performance appraisal that counts coordination; "
       "it acts on every government that has a superior. Appraisal reform raises it."), V12,
    N_("Thrust: the push from performance appraisal, in proportion to how much coordination "
       "counts in each government's appraisal. Appraisal reform raises it.") },
  [CD_PARAM_RESISTANCE_FRAGMENTATION] = {
    "resistance.fragmentation", CD_GROUP_RESISTANCE, "fragmentation", "r_f",
    CD_BOUND_NON_NEGATIVE, 2.0, 8.0,
    N_("Fragmentation resistance"),
    N_("Resistance: the weight of fragmented ideas and powers — local protectionism and "
       "departmentalism — rooted in a solidified administrative system."), V1, NULL },
  [CD_PARAM_RESISTANCE_IDEAS] = {
    "resistance.ideas", CD_GROUP_RESISTANCE, "ideas", "r_I", CD_BOUND_NON_NEGATIVE, 1.0, 4.0,
    N_("Ideas resistance"),
    N_("Resistance: the weight of divergent perceptions and priorities (local protectionism, "
       "departmentalism); mutual trust dissolves it."),
    V2, NULL },
  [CD_PARAM_RESISTANCE_POWERS] = {
    "resistance.powers", CD_GROUP_RESISTANCE, "powers", "r_P", CD_BOUND_NON_NEGATIVE, 1.0, 4.0,
    N_("Powers resistance"),
    N_("Resistance: the weight of unclear or divided authority across jurisdictions (a "
       "solidified administrative system); a legal basis dissolves it."),
    V2, NULL },
  [CD_PARAM_RESISTANCE_BURDEN] = {
    "resistance.burden", CD_GROUP_RESISTANCE, "burden", "r_b", CD_BOUND_NON_NEGATIVE, 1.0, 4.0,
    N_("Uncompensated-burden resistance"),
    N_("Resistance: the weight of contributing resources without compensation; it weighs "
       "most on capable governments that the emergency hardly hits."), V12, NULL },
  [CD_PARAM_RESISTANCE_COMPENSATION] = {
    "resistance.compensation", CD_GROUP_RESISTANCE, "compensation", "κ", CD_BOUND_UNIT, 0.0, 1.0,
    N_("Benefit compensation"),
    N_("A benefit-compensation mechanism (reimbursement of mutual aid): 0 none, 1 full. It "
       "removes the burden part of resistance."), V12, NULL },
  [CD_PARAM_RESISTANCE_SUPERVISION] = {
    "resistance.supervision", CD_GROUP_RESISTANCE, "supervision", "μ_s", CD_BOUND_UNIT, 0.0, 1.0,
    N_("Supervision mechanism"),
    N_("A supervision mechanism over coordination: 0 none, 1 complete. It scales all "
       "resistance down by (1 − μ_s)."), V12,
    N_("A supervision mechanism over coordination: 0 none, 1 complete. It reaches a "
       "government through its superiors and damps all its resistance by (1 − μ_s σ), σ the "
       "weight of its command lines, at most 1.") },
  [CD_PARAM_RESISTANCE_LAW] = {
    "resistance.law", CD_GROUP_RESISTANCE, "law", "μ_l", CD_BOUND_UNIT, 0.0, 1.0,
    N_("Legal basis"),
    N_("A legal system for inter-governmental coordination (a compact, a basic disaster "
       "act): 0 none, 1 complete. It scales all resistance down by (1 − μ_l)."), V12,
    N_("A legal system for inter-governmental coordination (a compact, a basic disaster "
       "act): 0 none, 1 complete. It dissolves the fragmentation of powers, scaling that part "
       "of resistance by (1 − μ_l).") },
  [CD_PARAM_DYNAMICS_RATIONALITY] = {
    "dynamics.rationality", CD_GROUP_DYNAMICS, "rationality", "β", CD_BOUND_POSITIVE, 4.0, 20.0,
    N_("Rationality"),
    N_("How sharply governments respond to the net force: small values give hesitant, "
       "noisy responses; large values an almost all-or-nothing best response."), V12, NULL },
  [CD_PARAM_DYNAMICS_RATE] = {
    "dynamics.rate", CD_GROUP_DYNAMICS, "rate", "λ", CD_BOUND_POSITIVE, 1.0, 5.0,
    N_("Adjustment rate"),
    N_("How fast governments adjust their coordination toward their best response, per unit "
       "of time."), V12, NULL },
  [CD_PARAM_DYNAMICS_TRUST_GAIN] = {
    "dynamics.trust_gain", CD_GROUP_DYNAMICS, "trust_gain", "η_g", CD_BOUND_NON_NEGATIVE,
    0.5, 2.0,
    N_("Trust building rate"),
    N_("How fast trust grows while both partners coordinate; better information sharing "
       "speeds it up."), V12, NULL },
  [CD_PARAM_DYNAMICS_TRUST_DECAY] = {
    "dynamics.trust_decay", CD_GROUP_DYNAMICS, "trust_decay", "η_d", CD_BOUND_NON_NEGATIVE,
    0.1, 1.0,
    N_("Trust erosion rate"),
    N_("How fast trust erodes while the partners do not both coordinate."), V12, NULL },
};

static const char *const group_keys[CD_N_GROUPS] = {
  "gravity", "pressure", "thrust", "resistance", "dynamics"
};

static const char *const group_labels[CD_N_GROUPS] = {
  N_("Gravity"), N_("Pressure"), N_("Thrust"), N_("Resistance"), N_("Dynamics")
};

const CdParamInfo *
cd_param_info (CdParam param)
{
  g_return_val_if_fail (param < CD_N_PARAMS, NULL);
  return &param_table[param];
}

gboolean
cd_param_in_version (CdParam param,
                     int     version)
{
  g_return_val_if_fail (param < CD_N_PARAMS, FALSE);
  return version >= 0 && version < 32 && (param_table[param].versions & (1u << version)) != 0;
}

guint
cd_params_in_version (int      version,
                      CdParam *out)
{
  guint n = 0;

  for (guint p = 0; p < CD_N_PARAMS; p++)
    if (cd_param_in_version ((CdParam) p, version))
      out[n++] = (CdParam) p;
  return n;
}

gboolean
cd_param_next_in_version (CdParam *param,
                          int      version)
{
  while (*param < CD_N_PARAMS && !cd_param_in_version (*param, version))
    (*param)++;
  return *param < CD_N_PARAMS;
}

const char *
cd_param_description (CdParam param,
                      int     version)
{
  g_return_val_if_fail (param < CD_N_PARAMS, NULL);
  if (version >= 2 && param_table[param].description_v2 != NULL)
    return param_table[param].description_v2;
  return param_table[param].description;
}

gboolean
cd_param_from_path (const char *path,
                    CdParam    *out_param)
{
  g_return_val_if_fail (path != NULL, FALSE);

  for (guint i = 0; i < CD_N_PARAMS; i++)
    if (strcmp (param_table[i].path, path) == 0)
      {
        if (out_param)
          *out_param = (CdParam) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
cd_param_value_in_range (CdParam param,
                         double  value)
{
  g_return_val_if_fail (param < CD_N_PARAMS, FALSE);

  if (!isfinite (value))
    return FALSE;
  switch (param_table[param].bound)
    {
    case CD_BOUND_NON_NEGATIVE: return value >= 0.0;
    case CD_BOUND_UNIT:         return value >= 0.0 && value <= 1.0;
    case CD_BOUND_POSITIVE:     return value > 0.0;
    default:                    g_assert_not_reached ();
    }
}

const char *
cd_param_range_text (CdParam param)
{
  g_return_val_if_fail (param < CD_N_PARAMS, NULL);

  switch (param_table[param].bound)
    {
    case CD_BOUND_NON_NEGATIVE: return "≥ 0";
    case CD_BOUND_UNIT:         return "[0, 1]";
    case CD_BOUND_POSITIVE:     return "> 0";
    default:                    g_assert_not_reached ();
    }
}

double
cd_param_lower (CdParam param)
{
  g_return_val_if_fail (param < CD_N_PARAMS, 0.0);
  return 0.0;
}

/* The top of the range a user explores: 1 for a [0, 1] parameter, the
 * slider's soft maximum for the unbounded ones. */
double
cd_param_upper (CdParam param)
{
  g_return_val_if_fail (param < CD_N_PARAMS, 1.0);
  return param_table[param].bound == CD_BOUND_UNIT ? 1.0 : param_table[param].soft_max;
}

const char *
cd_group_key (CdGroup group)
{
  g_return_val_if_fail (group < CD_N_GROUPS, NULL);
  return group_keys[group];
}

const char *
cd_group_label (CdGroup group)
{
  g_return_val_if_fail (group < CD_N_GROUPS, NULL);
  return group_labels[group];
}

const char *
cd_rule_to_string (CdRule rule)
{
  return rule == CD_RULE_REPLICATOR ? "replicator" : "logit";
}

gboolean
cd_rule_from_string (const char *text,
                     CdRule     *out_rule)
{
  g_return_val_if_fail (text != NULL, FALSE);

  if (strcmp (text, "logit") == 0)
    *out_rule = CD_RULE_LOGIT;
  else if (strcmp (text, "replicator") == 0)
    *out_rule = CD_RULE_REPLICATOR;
  else
    return FALSE;
  return TRUE;
}

void
cd_parameters_init_defaults (CdParameters *params)
{
  g_return_if_fail (params != NULL);

  for (guint i = 0; i < CD_N_PARAMS; i++)
    params->values[i] = param_table[i].default_value;
  params->rule = CD_RULE_LOGIT;
}
