/* cd-experiment.h — BehaviorSpace-style experiments: every combination of
 * the values of several parameters (and of named scenarios), one row of
 * outcomes per combination.
 *
 * A spec file (docs/experiments.md) names a model, the values each varied
 * parameter takes (a list, or a from/to grid), optionally the scenarios to
 * run every combination under, and the outcomes to report.  Runs are
 * numbered in nested-loop order: the scenario varies slowest, then the
 * parameters in the order the spec lists them, the last one fastest.  A
 * run's numbers depend only on its combination and each lands in its own
 * slot, so the table is the same for any thread count and any sharding.
 *
 * Values are applied as every analysis applies them (cd-analysis.h): they
 * replace the base values of the model, or of the scenario, and
 * interventions still apply on top from their time on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-analysis.h"
#include "cd-institution.h"

G_BEGIN_DECLS

#define CD_EXPERIMENT_FORMAT  "coordyn-experiment"
#define CD_EXPERIMENT_VERSION 1

/* A study of more runs is refused (as a Monte Carlo study of more is). */
#define CD_EXPERIMENT_MAX_RUNS      100000000u
/* Values one parameter may take, and scenarios one spec may list. */
#define CD_EXPERIMENT_MAX_VALUES    1000000u
/* A spec is a page of JSON; anything near this size is not one. */
#define CD_EXPERIMENT_MAX_FILE_SIZE (16u * 1024u * 1024u)

#define CD_EXPERIMENT_ERROR (cd_experiment_error_quark ())

typedef enum
{
  CD_EXPERIMENT_ERROR_INVALID,   /* the spec is not valid JSON, or not a valid spec */
  CD_EXPERIMENT_ERROR_MODEL,     /* its model could not be loaded */
  CD_EXPERIMENT_ERROR_IO,        /* the spec could not be read or written */
} CdExperimentError;

GQuark cd_experiment_error_quark (void);

/* What a row reports of its run (CdOutcome). */
typedef enum
{
  CD_EXPERIMENT_OUTPUT_FINAL_MEAN,      /* final_mean_coordination: X at t_end */
  CD_EXPERIMENT_OUTPUT_PEAK_MEAN,       /* peak_mean_coordination: the largest X sampled */
  CD_EXPERIMENT_OUTPUT_TIME_OF_PEAK,    /* time_of_peak: the first sample time it is reached */
  CD_EXPERIMENT_OUTPUT_TIME_TO_HALF,    /* time_to_half: first sample time X ≥ 0.5, or empty */
  CD_EXPERIMENT_OUTPUT_TOTAL_LOSS,      /* total_loss: L at t_end */
  CD_N_EXPERIMENT_OUTPUTS
} CdExperimentOutput;

const char *cd_experiment_output_name      (CdExperimentOutput  output);
gboolean    cd_experiment_output_from_name (const char         *name,
                                            CdExperimentOutput *out);
/* The output's value in a run, FALSE when it has none (time_to_half of a
 * run that never reaches 0.5). */
gboolean    cd_experiment_output_value     (CdExperimentOutput  output,
                                            const CdOutcome    *outcome,
                                            double             *value);

/* A varied parameter and its values, in the order they are run. */
typedef struct
{
  CdParam  param;
  guint    n_values;
  double  *values;
  /* How the spec wrote them, so that a spec saved again reads the same:
   * a list, or from/to in `steps` equal steps (steps + 1 values). */
  gboolean grid;
  double   from;
  double   to;
  guint    steps;
} CdExperimentVary;

typedef struct
{
  char      *model_path;     /* as the spec has it: relative to the spec's folder */
  CdModel   *model;
  char      *description;    /* NULL when the spec has none */
  GPtrArray *vary;           /* of CdExperimentVary *, in the spec's order */
  GArray    *scenarios;      /* of int: a scenario of the model, −1 for the model itself */
  gboolean   has_scenarios;  /* the spec lists scenarios (else the model itself only) */
  /* Institutional arrangements (docs/institutions.md) to run every
   * combination under: of CdInstitution *, NULL for the model itself; at
   * least one entry.  They vary slowest, before the scenarios. */
  GPtrArray *institutions;
  GPtrArray *institution_refs; /* of char *: as the spec names them ("base", a name, a file) */
  gboolean   has_institutions; /* the spec lists institutions (a column of the table) */
  GArray    *outputs;        /* of CdExperimentOutput, the columns' order */
  guint64    n_runs;         /* institutions × scenarios × the values of every varied parameter */
  /* SHA-256 of the spec's and the model's bytes, when they were read from
   * files (NULL otherwise): what identifies a study's shards. */
  char      *spec_sha256;
  char      *model_sha256;
} CdExperiment;

/* Reads a spec and the model it names (relative to the spec's folder).
 * Every problem is reported with its place, as the model reader reports
 * them ("vary.resistance.law[2]: 1.5 is outside [0, 1]"), one per line;
 * a problem of the model file is reported as "model: PATH: …". */
CdExperiment *cd_experiment_load_file   (const char          *path,
                                         GError             **error);
/* The same from text; the model path is taken relative to base_dir (NULL:
 * the current folder). */
CdExperiment *cd_experiment_load_data   (const char          *data,
                                         gsize                length,
                                         const char          *base_dir,
                                         GError             **error);
/* An experiment on a model in memory (the app's): nothing varied, the
 * model itself only, the four main outputs.  model_path is what a saved
 * spec will name (may be NULL until then). */
CdExperiment *cd_experiment_new         (const CdModel       *model,
                                         const char          *model_path);
void          cd_experiment_free        (CdExperiment        *exp);

/* Adds a varied parameter with a list of values (each within the
 * parameter's range, none twice), or a grid from `from` to `to` in `steps`
 * equal steps; errors name the place as the spec reader does. */
gboolean      cd_experiment_add_vary    (CdExperiment        *exp,
                                         CdParam              param,
                                         const double        *values,
                                         guint                n,
                                         GError             **error);
gboolean      cd_experiment_add_grid    (CdExperiment        *exp,
                                         CdParam              param,
                                         double               from,
                                         double               to,
                                         guint                steps,
                                         GError             **error);

/* Runs every combination under these scenarios (indices into the model's
 * scenarios, −1 for the model itself; n ≥ 1, none twice), in this order. */
gboolean      cd_experiment_set_scenarios (CdExperiment      *exp,
                                           const int         *scenarios,
                                           guint              n,
                                           GError           **error);

/* The spec as JSON text (docs/experiments.md), ending with a newline. */
char         *cd_experiment_to_json     (const CdExperiment  *exp);

/* Run `run`'s combination: its scenario (an index into exp->scenarios)
 * and, for each varied parameter, the index of its value; its
 * institutional arrangement is cd_experiment_institution's. */
void          cd_experiment_levels      (const CdExperiment  *exp,
                                         guint64              run,
                                         guint               *scenario,
                                         guint               *levels);

/* The index into exp->institutions of run `run`'s arrangement. */
guint         cd_experiment_institution (const CdExperiment *exp,
                                         guint64             run);
/* What the table calls an entry of exp->institutions: "base" or the
 * arrangement's name. */
const char   *cd_experiment_institution_name (const CdExperiment *exp,
                                              guint               index);

/* Receives the outcomes of runs first … first + n − 1 in order; FALSE
 * (with error set) stops the experiment. */
typedef gboolean (*CdExperimentRowsFunc) (guint64          first,
                                          guint            n,
                                          const CdOutcome *outcomes,
                                          gpointer         user_data,
                                          GError         **error);

/* Runs first … first + count − 1 of the study on `threads` threads (0:
 * every core), handing their outcomes to `rows` in order, a block at a
 * time, so a study of any size streams in bounded memory. */
gboolean      cd_experiment_run         (const CdExperiment  *exp,
                                         guint64              first,
                                         guint64              count,
                                         guint                threads,
                                         CdExperimentRowsFunc rows,
                                         gpointer             rows_data,
                                         CdProgressFunc       progress,
                                         gpointer             progress_data,
                                         GCancellable        *cancellable,
                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdExperiment, cd_experiment_free)

G_END_DECLS
