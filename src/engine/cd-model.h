/* cd-model.h — the editable model: governments, ties, emergencies, policy changes.
 *
 * A CdModel is a plain deep-copyable struct that mirrors the model file
 * (docs/model.md) one to one, so that load → save → load is lossless.  Edges,
 * impacts and scenarios refer to governments by id, as the file does.
 * Simulation never reads a CdModel directly: it is compiled into a
 * CdSystem first (cd-system.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-params.h"

G_BEGIN_DECLS

#define CD_MODEL_FORMAT  "coordyn-model"
/* The format versions (docs/model.md): 1, and 2 ("Model 2"), which gives
 * each element of the theory its own channel.  A file without "version" is
 * version 1; new models made in the app are CD_MODEL_VERSION_LATEST. */
#define CD_MODEL_VERSION_MIN    1
#define CD_MODEL_VERSION_LATEST 2

typedef enum
{
  CD_LEVEL_CENTRAL,
  CD_LEVEL_PROVINCIAL,
  CD_LEVEL_MUNICIPAL,
  CD_LEVEL_COUNTY,
  CD_LEVEL_OTHER,
  CD_N_LEVELS
} CdLevel;

const char *cd_level_to_string   (CdLevel     level);
gboolean    cd_level_from_string (const char *text,
                                  CdLevel    *out_level);

/* A text in several languages: an ordered list of (language, text) pairs,
 * e.g. ("zh_CN", "上海"), ("en", "Shanghai").  Extension to docs/model.md. */
typedef struct
{
  char *lang;
  char *text;
} CdLocalized;

typedef struct
{
  char     *id;
  char     *name;           /* never NULL: defaults to the id */
  GArray   *names;          /* of CdLocalized, may be empty; extension */
  CdLevel   level;
  double    capacity;
  double    vulnerability;
  double    fragmentation;        /* version 1: f */
  double    fragmentation_ideas;  /* version 2: f^I */
  double    fragmentation_powers; /* version 2: f^P */
  double    appraisal;            /* version 2: a_i, when has_appraisal */
  gboolean  has_appraisal;        /* FALSE: the default, 1 with a superior, else 0
                                   * (cd_model_node_appraisal), so that a government
                                   * that gains a superior gets 1 */
  double    x0;
  gboolean  fixed;
  gboolean  has_pos;
  double    pos[2];
} CdNode;

typedef enum
{
  CD_EDGE_COMMAND,
  CD_EDGE_PARTNERSHIP,
} CdEdgeKind;

/* The role of a command line (version 2): the standing central-local
 * hierarchy, or a line of the emergency command system. */
typedef enum
{
  CD_ROLE_ADMINISTRATIVE,
  CD_ROLE_EMERGENCY,
  CD_N_ROLES
} CdCommandRole;

const char *cd_role_to_string   (CdCommandRole role);
gboolean    cd_role_from_string (const char    *text,
                                 CdCommandRole *out_role);

typedef struct
{
  CdEdgeKind kind;
  char      *source;
  char      *target;
  double     weight;        /* command: h in (0, 1] */
  CdCommandRole role;       /* command, version 2 */
  double     interest;      /* partnership: b */
  double     trust;         /* partnership: τ0 */
  double     info;          /* partnership: ι */
} CdEdge;

typedef struct
{
  char   *node;
  double  a;
} CdImpact;

typedef struct
{
  char   *name;             /* never NULL, may be "" */
  GArray *names;            /* of CdLocalized; extension */
  double  onset;
  double  magnitude;
  double  decay;
  GArray *impacts;          /* of CdImpact, in file order */
} CdEvent;

typedef struct
{
  CdParam param;
  double  value;
} CdSetting;

typedef struct
{
  double  at;
  GArray *settings;         /* of CdSetting, in file order */
} CdIntervention;

typedef struct
{
  double t_end;
  double dt;
  double rtol;
  double atol;
} CdSimSettings;

/* A scenario: the same network under other parameters and policy changes.
 * Extension to docs/model.md; see README, "File format extensions". */
typedef struct
{
  char      *name;
  GArray    *names;                     /* of CdLocalized */
  char      *description;
  gboolean   param_set[CD_N_PARAMS];    /* which parameters it overrides */
  double     param_value[CD_N_PARAMS];
  gboolean   rule_set;
  CdRule     rule;
  GPtrArray *interventions;             /* of CdIntervention; NULL: keep the base model's */
} CdScenario;

typedef enum
{
  CD_DIST_UNIFORM,
  CD_DIST_TRIANGULAR,
} CdDistribution;

/* An uncertainty range for a parameter (Monte Carlo); extension. */
typedef struct
{
  CdParam        param;
  CdDistribution dist;
  double         min;
  double         max;
  double         mode;      /* triangular only */
} CdRange;

typedef struct
{
  int            version;        /* the file format's, 1 or 2 */
  char          *name;
  char          *description;
  char          *time_unit;      /* simulation.time_unit ("days"), or NULL: not set */
  GArray        *names;          /* of CdLocalized */
  GArray        *descriptions;   /* of CdLocalized */
  CdParameters   params;
  CdSimSettings  sim;
  GPtrArray     *nodes;          /* of CdNode */
  GPtrArray     *edges;          /* of CdEdge */
  GPtrArray     *events;         /* of CdEvent */
  GPtrArray     *interventions;  /* of CdIntervention */
  GPtrArray     *scenarios;      /* of CdScenario */
  GArray        *ranges;         /* of CdRange */
} CdModel;

/* An empty model of version 1, as a file that says no version. */
CdModel        *cd_model_new             (void);
/* An empty model of the given version: the app makes new models of
 * CD_MODEL_VERSION_LATEST. */
CdModel        *cd_model_new_version     (int            version);
CdModel        *cd_model_copy            (const CdModel *model);
void            cd_model_free            (CdModel       *model);
gboolean        cd_model_equal           (const CdModel *a,
                                          const CdModel *b);

void            cd_sim_settings_init_defaults (CdSimSettings *sim);

CdNode         *cd_node_new              (const char    *id);
CdNode         *cd_node_copy             (const CdNode  *node);
void            cd_node_free             (CdNode        *node);

CdEdge         *cd_edge_new              (CdEdgeKind     kind,
                                          const char    *source,
                                          const char    *target);
CdEdge         *cd_edge_copy             (const CdEdge  *edge);
void            cd_edge_free             (CdEdge        *edge);

CdEvent        *cd_event_new             (void);
CdEvent        *cd_event_copy            (const CdEvent *event);
void            cd_event_free            (CdEvent       *event);
void            cd_event_set_impact      (CdEvent       *event,
                                          const char    *node_id,
                                          double         a);
double          cd_event_get_impact      (const CdEvent *event,
                                          const char    *node_id);

CdIntervention *cd_intervention_new      (double         at);
CdIntervention *cd_intervention_copy     (const CdIntervention *iv);
void            cd_intervention_free     (CdIntervention *iv);
void            cd_intervention_add      (CdIntervention *iv,
                                          CdParam         param,
                                          double          value);

CdScenario     *cd_scenario_new          (const char    *name);
CdScenario     *cd_scenario_copy         (const CdScenario *scenario);
void            cd_scenario_free         (CdScenario    *scenario);

GArray         *cd_localized_array_new   (void);
GArray         *cd_localized_array_copy  (const GArray  *array);
void            cd_localized_set         (GArray        *array,
                                          const char    *lang,
                                          const char    *text);
const char     *cd_localized_lookup      (const GArray  *array,
                                          const char    *fallback);
void            cd_localized_replace_shown (GArray      *array,
                                          const char    *text);
gboolean        cd_localized_array_equal (const GArray  *a,
                                          const GArray  *b);

/* Whether two numbers are the same as the file writes them: 0 and −0
 * differ, NaN equals NaN. */
gboolean        cd_number_same           (double         a,
                                          double         b);

/* A government's appraisal weight a_i (version 2): its own, or the default
 * (1 if it has a superior, else 0). */
double          cd_model_node_appraisal  (const CdModel *model,
                                          guint          index);
/* For every node, whether a command line (of either role) comes down to
 * it: n_nodes bytes, free with g_free. */
guint8         *cd_model_has_superior    (const CdModel *model);
/* Gives every government left to the default appraisal its value now, as
 * saving does ("saving writes every value"): a model saved and loaded
 * again is cd_model_equal to the model after this, not before, since a
 * pinned appraisal no longer follows a superior added later. */
void            cd_model_pin_default_appraisals (CdModel *model);

/* Look-ups and edits that keep ids consistent. */
int             cd_model_find_node       (const CdModel *model,
                                          const char    *id);
int             cd_model_find_edge       (const CdModel *model,
                                          CdEdgeKind     kind,
                                          const char    *a,
                                          const char    *b);
GHashTable     *cd_model_node_index      (const CdModel *model);
char           *cd_model_unique_node_id  (const CdModel *model,
                                          const char    *stem);
/* A new scenario named `name` that keeps the settings of `scenario` (−1:
 * none) and sets params[i] to values[i]: how a fit's estimates or a policy
 * mix become a scenario of the model. */
CdScenario     *cd_scenario_with_values  (const CdModel *model,
                                          int            scenario,
                                          const char    *name,
                                          const CdParam *params,
                                          const double  *values,
                                          guint          n);
void            cd_model_remove_node     (CdModel       *model,
                                          guint          index);
gboolean        cd_model_rename_node     (CdModel       *model,
                                          guint          index,
                                          const char    *new_id);
const char     *cd_node_display_name     (const CdNode  *node);
const char     *cd_model_display_name    (const CdModel *model);
const char     *cd_event_display_name    (const CdEvent *event);
const char     *cd_model_display_description (const CdModel *model);

/* The model as a scenario sees it: parameters overlaid, interventions
 * replaced where the scenario has its own.  index −1 is the base model. */
CdModel        *cd_model_apply_scenario  (const CdModel *model,
                                          int            index,
                                          GError       **error);
int             cd_model_find_scenario   (const CdModel *model,
                                          const char    *name);

/* The interventions in the order they apply: by `at`, file order at ties.
 * The array does not own its elements. */
GPtrArray      *cd_model_sorted_interventions (const CdModel *model);

/* Parameter values in force at time t (interventions with at ≤ t applied). */
void            cd_model_parameters_at   (const CdModel *model,
                                          double         t,
                                          CdParameters  *out_params);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdModel, cd_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdNode, cd_node_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdEdge, cd_edge_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdEvent, cd_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdIntervention, cd_intervention_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdScenario, cd_scenario_free)

G_END_DECLS
