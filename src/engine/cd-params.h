/* cd-params.h — the model's numeric parameters: paths, ranges, defaults, meaning.
 *
 * One table describes every parameter of docs/model.md so that the file format,
 * the interventions, the CLI and the app's sliders all agree on names,
 * ranges and defaults.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CD_PARAM_GRAVITY_INTEREST,
  CD_PARAM_GRAVITY_TRUST,
  CD_PARAM_PRESSURE_ADMIN,
  CD_PARAM_PRESSURE_COMMAND,        /* version 2 */
  CD_PARAM_PRESSURE_CRISIS,
  CD_PARAM_THRUST_INFO,
  CD_PARAM_THRUST_APPRAISAL,
  CD_PARAM_RESISTANCE_FRAGMENTATION, /* version 1 */
  CD_PARAM_RESISTANCE_IDEAS,         /* version 2 */
  CD_PARAM_RESISTANCE_POWERS,        /* version 2 */
  CD_PARAM_RESISTANCE_BURDEN,
  CD_PARAM_RESISTANCE_COMPENSATION,
  CD_PARAM_RESISTANCE_SUPERVISION,
  CD_PARAM_RESISTANCE_LAW,
  CD_PARAM_DYNAMICS_RATIONALITY,
  CD_PARAM_DYNAMICS_RATE,
  CD_PARAM_DYNAMICS_TRUST_GAIN,
  CD_PARAM_DYNAMICS_TRUST_DECAY,
  CD_N_PARAMS
} CdParam;

/* The force (or the dynamics) a parameter belongs to: the file's sections. */
typedef enum
{
  CD_GROUP_GRAVITY,
  CD_GROUP_PRESSURE,
  CD_GROUP_THRUST,
  CD_GROUP_RESISTANCE,
  CD_GROUP_DYNAMICS,
  CD_N_GROUPS
} CdGroup;

typedef enum
{
  CD_BOUND_NON_NEGATIVE,   /* ≥ 0 */
  CD_BOUND_UNIT,           /* [0, 1] */
  CD_BOUND_POSITIVE,       /* > 0 */
} CdBound;

typedef enum
{
  CD_RULE_LOGIT,
  CD_RULE_REPLICATOR,
} CdRule;

typedef struct
{
  const char *path;         /* "gravity.interest" */
  CdGroup     group;
  const char *key;          /* "interest" */
  const char *symbol;       /* "g_b", as in docs/model.md */
  CdBound     bound;
  double      default_value;
  double      soft_max;     /* upper end of a slider when the range is unbounded */
  const char *label;        /* untranslated; translate with _() in the app */
  const char *description;  /* what it means in the theory's words; untranslated */
  guint       versions;     /* bit v set: model version v has it */
  const char *description_v2; /* version 2's meaning where it differs, else NULL */
} CdParamInfo;

/* The parameters of model 1 and of model 2 (docs/model.md, "Model 2"):
 * version 2 replaces resistance.fragmentation with resistance.ideas and
 * resistance.powers and adds pressure.command.  Every analysis, panel and
 * list offers exactly the parameters of its model's version. */
#define CD_PARAM_VERSION(v) (1u << (v))

const CdParamInfo *cd_param_info            (CdParam      param);
gboolean           cd_param_in_version      (CdParam      param,
                                             int          version);
/* The parameters of a version in their order: writes them to out (which
 * holds CD_N_PARAMS) and returns how many.  Or step through them:
 *   for (CdParam p = 0; cd_param_next_in_version (&p, version); p++) … */
guint              cd_params_in_version     (int          version,
                                             CdParam     *out);
gboolean           cd_param_next_in_version (CdParam     *param,
                                             int          version);
/* The description for a model of this version. */
const char        *cd_param_description     (CdParam      param,
                                             int          version);
gboolean           cd_param_from_path       (const char  *path,
                                             CdParam     *out_param);
gboolean           cd_param_value_in_range  (CdParam      param,
                                             double       value);
const char        *cd_param_range_text      (CdParam      param);
double             cd_param_lower           (CdParam      param);
double             cd_param_upper           (CdParam      param);

const char        *cd_group_key             (CdGroup      group);
const char        *cd_group_label           (CdGroup      group);

const char        *cd_rule_to_string        (CdRule       rule);
gboolean           cd_rule_from_string      (const char  *text,
                                             CdRule      *out_rule);

/* A full set of parameter values and the update rule. */
typedef struct
{
  double values[CD_N_PARAMS];
  CdRule rule;
} CdParameters;

void cd_parameters_init_defaults (CdParameters *params);

G_END_DECLS
