/* cd-institution.h — institutional arrangements as data (docs/institutions.md).
 *
 * An arrangement is the part of a model that stands for a country's
 * institutions rather than for its places: the force weights of
 * docs/model.md (how much compensation, law, supervision, appraisal, the
 * emergency command system are worth) and a few rules on the network's
 * attributes (appraisal weights by level or for governments with a
 * superior; command lines that become lines of the emergency command
 * system).  It is written once and laid over ANY version-2 network, so that
 * one basin and one crisis can be run under China's, the United States'
 * and Japan's arrangements.
 *
 * A file ("format": "coordyn-institution") is read as strictly as a model
 * file, every problem named at its place.  Arrangements are found by name
 * in the bundled folder (installed with Coordyn) and then in the user's
 * (~/.local/share/coordyn/institutions), or given as a file path.
 *
 * Applying one to a model: its parameters replace the model's base values
 * (the model's own policy changes still apply on top from their time on,
 * as in every analysis); each government rule, then each command-line
 * rule, is applied in file order to the governments and lines it selects.
 * A version-1 model is refused: its single fragmentation and uniform
 * appraisal cannot hold an arrangement (upgrade it first).
 *
 * This header is the API the app uses to apply an arrangement as a new
 * scenario and to compare arrangements side by side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cd-model.h"

G_BEGIN_DECLS

#define CD_INSTITUTION_FORMAT  "coordyn-institution"
#define CD_INSTITUTION_VERSION 1
/* An arrangement is a page of JSON; anything near this size is not one. */
#define CD_INSTITUTION_MAX_FILE_SIZE (1u * 1024u * 1024u)
/* Rules of each kind one file may have. */
#define CD_INSTITUTION_MAX_RULES 1000u

#define CD_INSTITUTION_ERROR (cd_institution_error_quark ())

typedef enum
{
  CD_INSTITUTION_ERROR_INVALID,    /* not valid JSON, or not a valid arrangement */
  CD_INSTITUTION_ERROR_NOT_FOUND,  /* no arrangement of that name */
  CD_INSTITUTION_ERROR_IO,         /* the file could not be read */
  CD_INSTITUTION_ERROR_MODEL,      /* it cannot be applied to this model */
} CdInstitutionError;

GQuark cd_institution_error_quark (void);

/* The attributes of a government a rule may set or scale. */
typedef enum
{
  CD_INSTITUTION_ATTR_APPRAISAL,             /* appraisal a_i */
  CD_INSTITUTION_ATTR_FRAGMENTATION_IDEAS,   /* f^I */
  CD_INSTITUTION_ATTR_FRAGMENTATION_POWERS,  /* f^P */
  CD_N_INSTITUTION_ATTRS
} CdInstitutionAttr;

const char *cd_institution_attr_key (CdInstitutionAttr attr);

/* Whether a government has a superior, for a selection. */
typedef enum
{
  CD_INSTITUTION_SUPERIOR_ANY,
  CD_INSTITUTION_SUPERIOR_WITH,
  CD_INSTITUTION_SUPERIOR_WITHOUT,
} CdInstitutionSuperior;

/* "governments": [{"where": {…}, "set": {…}, "scale": {…}}]: the
 * governments that match every condition of `where` get each attribute of
 * `set` (a value in [0, 1]) and have each of `scale` multiplied by a
 * factor ≥ 0 (the result capped at 1). */
typedef struct
{
  guint                  levels;        /* bit per CdLevel; 0: any level */
  CdInstitutionSuperior  superior;
  GStrv                  ids;           /* NULL: any government */
  gboolean               set[CD_N_INSTITUTION_ATTRS];
  double                 set_value[CD_N_INSTITUTION_ATTRS];
  gboolean               scale[CD_N_INSTITUTION_ATTRS];
  double                 scale_value[CD_N_INSTITUTION_ATTRS];
} CdInstitutionNodeRule;

/* "command_lines": [{"where": {…}, "set": {"role": …, "weight": …}}]: the
 * command lines whose source and target levels and role match get the new
 * role and weight (in (0, 1]). */
typedef struct
{
  guint    source_levels;   /* bit per CdLevel; 0: any */
  guint    target_levels;
  int      role;            /* a CdCommandRole, −1: either */
  int      set_role;        /* −1: left as it is */
  gboolean set_weight;
  double   weight;
} CdInstitutionLineRule;

typedef struct
{
  char      *name;                      /* the file's name, its key ("united-states") */
  GArray    *names;                     /* of CdLocalized */
  char      *description;               /* "" when none */
  GArray    *descriptions;              /* of CdLocalized */
  gboolean   param_set[CD_N_PARAMS];    /* which parameters it sets */
  double     param_value[CD_N_PARAMS];
  GPtrArray *node_rules;                /* of CdInstitutionNodeRule */
  GPtrArray *line_rules;                /* of CdInstitutionLineRule */
  char      *path;                      /* the file it was read from, or NULL */
  char      *sha256;                    /* of the file's bytes, or NULL */
} CdInstitution;

/* Reads an arrangement; every problem is reported with its place, one per
 * line ("parameters.resistance.law: 1.5 is outside [0, 1]"). */
CdInstitution *cd_institution_load_data (const char          *data,
                                         gsize                length,
                                         GError             **error);
CdInstitution *cd_institution_load_file (const char          *path,
                                         GError             **error);
/* NAME_OR_FILE: a path (it has a '/' or ends in ".json") is read as a file;
 * otherwise NAME.json is looked for in cd_institution_dirs(), in order.
 * CD_INSTITUTION_ERROR_NOT_FOUND names the folders searched and the
 * arrangements there. */
CdInstitution *cd_institution_find      (const char          *name_or_file,
                                         GError             **error);
CdInstitution *cd_institution_copy      (const CdInstitution *inst);
void           cd_institution_free      (CdInstitution       *inst);

/* Where arrangements are looked for, in order: $COORDYN_INSTITUTIONS_DIR
 * when set, else the bundled folder (installed, or the source tree's when
 * running uninstalled); then the user's data folder, coordyn/institutions.
 * A bundled name always means the bundled file, so that "japan" names the
 * same arrangement on every machine. */
GStrv          cd_institution_dirs      (void);

typedef struct
{
  char     *name;       /* the file's stem */
  char     *path;
  gboolean  bundled;    /* from the first folder of cd_institution_dirs() */
} CdInstitutionEntry;

/* Every arrangement that cd_institution_find can find by name, sorted by
 * name (a user's file of a bundled name is left out: it is shadowed). */
GPtrArray     *cd_institution_list      (void);
void           cd_institution_entry_free (CdInstitutionEntry *entry);

const char    *cd_institution_display_name        (const CdInstitution *inst);
const char    *cd_institution_display_description (const CdInstitution *inst);
/* Whether it has government or command-line rules, which a scenario (only
 * parameters and policy changes) cannot hold. */
gboolean       cd_institution_has_network_rules   (const CdInstitution *inst);

/* The model under the arrangement: a new, valid version-2 model with the
 * arrangement's parameters as base values and its rules applied.  Its
 * scenarios, policy changes and ranges are the model's.  A version-1
 * model is refused (CD_INSTITUTION_ERROR_MODEL), suggesting
 * `coordyn-cli upgrade`; so is a rule that names a government the model
 * does not have. */
CdModel       *cd_institution_apply     (const CdInstitution *inst,
                                         const CdModel       *model,
                                         GError             **error);
/* The arrangement's parameters as a scenario of `model` (named after the
 * arrangement, in every language it has), for the app's "apply as a new
 * scenario".  Its government and command-line rules are NOT in it
 * (cd_institution_has_network_rules says whether there are any): apply
 * those with cd_institution_apply.  The model must be version 2. */
CdScenario    *cd_institution_to_scenario (const CdInstitution *inst,
                                           const CdModel       *model,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdInstitution, cd_institution_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdInstitutionEntry, cd_institution_entry_free)

G_END_DECLS
