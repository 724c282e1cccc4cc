/* cd-model-fields.c — the table of node and edge fields (docs/model.md, "Network").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "cd-model-fields.h"

#ifndef N_
# define N_(s) (s)
#endif

#define V1     CD_FIELD_VERSION (1)
#define V2     CD_FIELD_VERSION (2)
#define V12    (CD_FIELD_VERSION (1) | CD_FIELD_VERSION (2))
#define NODE(member) offsetof (CdNode, member)
#define EDGE(member) offsetof (CdEdge, member)

static const CdFieldInfo node_fields[] = {
  { "id", CD_FIELD_OF_NODE, CD_FIELD_ID, V12, NODE (id), 0, CD_FIELD_RANGE_NONE, 0.0,
    N_("Id (the key in the file)"), NULL },
  { "name", CD_FIELD_OF_NODE, CD_FIELD_TEXT, V12, NODE (name), 0, CD_FIELD_RANGE_NONE, 0.0,
    N_("Name"), NULL },
  { "names", CD_FIELD_OF_NODE, CD_FIELD_NAMES, V12, NODE (names), 0, CD_FIELD_RANGE_NONE, 0.0,
    NULL, NULL },
  { "level", CD_FIELD_OF_NODE, CD_FIELD_LEVEL, V12, NODE (level), 0, CD_FIELD_RANGE_NONE,
    CD_LEVEL_OTHER, N_("Level"), NULL },
  { "capacity", CD_FIELD_OF_NODE, CD_FIELD_NUMBER, V12, NODE (capacity), 0,
    CD_FIELD_RANGE_UNIT, 0.5, N_("Capacity"),
    N_("Emergency resources and capability it can bring to coordination") },
  { "vulnerability", CD_FIELD_OF_NODE, CD_FIELD_NUMBER, V12, NODE (vulnerability), 0,
    CD_FIELD_RANGE_UNIT, 0.5, N_("Vulnerability"),
    N_("How hard an emergency hits it: raises the crisis pressure it feels") },
  { "fragmentation", CD_FIELD_OF_NODE, CD_FIELD_NUMBER, V1, NODE (fragmentation), 0,
    CD_FIELD_RANGE_UNIT, 0.5, N_("Fragmentation"),
    N_("Fragmentation of ideas and powers (local protectionism, departmentalism): "
       "feeds resistance") },
  { "fragmentation_ideas", CD_FIELD_OF_NODE, CD_FIELD_NUMBER, V2, NODE (fragmentation_ideas), 0,
    CD_FIELD_RANGE_UNIT, 0.5, N_("Fragmented ideas"),
    N_("Divergent perceptions and priorities (local protectionism, departmentalism): "
       "resistance that mutual trust dissolves") },
  { "fragmentation_powers", CD_FIELD_OF_NODE, CD_FIELD_NUMBER, V2, NODE (fragmentation_powers),
    0, CD_FIELD_RANGE_UNIT, 0.5, N_("Fragmented powers"),
    N_("Unclear or divided authority across jurisdictions: resistance that a legal basis "
       "dissolves") },
  { "appraisal", CD_FIELD_OF_NODE, CD_FIELD_OPTIONAL_NUMBER, V2, NODE (appraisal),
    NODE (has_appraisal), CD_FIELD_RANGE_UNIT, 1.0, N_("Appraisal weight"),
    N_("How much coordination counts in its performance appraisal (thrust); by default 1 "
       "with a superior, else 0") },
  { "x0", CD_FIELD_OF_NODE, CD_FIELD_NUMBER, V12, NODE (x0), 0, CD_FIELD_RANGE_UNIT, 0.1,
    N_("Initial coordination"), N_("Its coordination x at the start of the run") },
  { "fixed", CD_FIELD_OF_NODE, CD_FIELD_BOOLEAN, V12, NODE (fixed), 0, CD_FIELD_RANGE_NONE,
    0.0, N_("Fixed stance"), N_("Hold x at its initial value: a scenario input") },
  { "pos", CD_FIELD_OF_NODE, CD_FIELD_POSITION, V12, NODE (pos), NODE (has_pos),
    CD_FIELD_RANGE_NONE, 0.0, NULL, NULL },
};

static const CdFieldInfo edge_fields[] = {
  { "kind", CD_FIELD_OF_EDGE, CD_FIELD_KIND, V12, EDGE (kind), 0, CD_FIELD_RANGE_NONE, 0.0,
    NULL, NULL },
  { "source", CD_FIELD_OF_EDGE, CD_FIELD_ID, V12, EDGE (source), 0, CD_FIELD_RANGE_NONE, 0.0,
    NULL, NULL },
  { "target", CD_FIELD_OF_EDGE, CD_FIELD_ID, V12, EDGE (target), 0, CD_FIELD_RANGE_NONE, 0.0,
    NULL, NULL },
  { "weight", CD_FIELD_OF_COMMAND, CD_FIELD_NUMBER, V12, EDGE (weight), 0,
    CD_FIELD_RANGE_WEIGHT, 1.0, N_("Weight"),
    N_("How much this superior's coordination presses on the subordinate") },
  { "role", CD_FIELD_OF_COMMAND, CD_FIELD_ROLE, V2, EDGE (role), 0, CD_FIELD_RANGE_NONE,
    CD_ROLE_ADMINISTRATIVE, N_("Role"),
    N_("Administrative: the standing central-local hierarchy. Emergency: a line of the "
       "emergency command system, which presses only while a crisis is felt") },
  { "interest", CD_FIELD_OF_PARTNERSHIP, CD_FIELD_NUMBER, V12, EDGE (interest), 0,
    CD_FIELD_RANGE_UNIT, 0.5, N_("Shared interest"),
    N_("Common stakes (a shared basin, market or population): part of gravity") },
  { "trust", CD_FIELD_OF_PARTNERSHIP, CD_FIELD_NUMBER, V12, EDGE (trust), 0,
    CD_FIELD_RANGE_UNIT, 0.2, N_("Initial trust"),
    N_("Mutual trust at the start; it grows while both coordinate") },
  { "info", CD_FIELD_OF_PARTNERSHIP, CD_FIELD_NUMBER, V12, EDGE (info), 0,
    CD_FIELD_RANGE_UNIT, 0.5, N_("Information sharing"),
    N_("How freely information flows: thrust, and crisis felt across the tie") },
};

const CdFieldInfo *
cd_node_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (node_fields);
  return node_fields;
}

const CdFieldInfo *
cd_edge_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (edge_fields);
  return edge_fields;
}

const CdFieldInfo *
cd_field_find (gboolean    node,
               const char *key)
{
  const CdFieldInfo *table = node ? node_fields : edge_fields;
  guint n = node ? G_N_ELEMENTS (node_fields) : G_N_ELEMENTS (edge_fields);

  g_return_val_if_fail (key != NULL, NULL);

  /* Decided by the first byte most of the time: the reader looks up every
   * field of every government and tie. */
  for (guint i = 0; i < n; i++)
    if (table[i].key[0] == key[0] && strcmp (table[i].key, key) == 0)
      return &table[i];
  return NULL;
}

gboolean
cd_field_in_version (const CdFieldInfo *field,
                     int                version)
{
  return version >= 0 && version < 32 && (field->versions & CD_FIELD_VERSION (version)) != 0;
}

gboolean
cd_field_of_edge_kind (const CdFieldInfo *field,
                       CdEdgeKind         kind)
{
  switch (field->owner)
    {
    case CD_FIELD_OF_EDGE:        return TRUE;
    case CD_FIELD_OF_COMMAND:     return kind == CD_EDGE_COMMAND;
    case CD_FIELD_OF_PARTNERSHIP: return kind == CD_EDGE_PARTNERSHIP;
    case CD_FIELD_OF_NODE:
    default:                      return FALSE;
    }
}

#define MEMBER(type, object, offset) ((type *) (gpointer) ((char *) (object) + (offset)))

double
cd_field_get_number (const CdFieldInfo *field,
                     gconstpointer      object)
{
  g_return_val_if_fail (field->type == CD_FIELD_NUMBER
                        || field->type == CD_FIELD_OPTIONAL_NUMBER, 0.0);
  return *MEMBER (const double, object, field->offset);
}

void
cd_field_set_number (const CdFieldInfo *field,
                     gpointer           object,
                     double             value)
{
  g_return_if_fail (field->type == CD_FIELD_NUMBER || field->type == CD_FIELD_OPTIONAL_NUMBER);
  *MEMBER (double, object, field->offset) = value;
  if (field->type == CD_FIELD_OPTIONAL_NUMBER)
    *MEMBER (gboolean, object, field->flag_offset) = TRUE;
}

gboolean
cd_field_is_set (const CdFieldInfo *field,
                 gconstpointer      object)
{
  if (field->type != CD_FIELD_OPTIONAL_NUMBER)
    return TRUE;
  return *MEMBER (const gboolean, object, field->flag_offset);
}

gboolean
cd_field_value_in_range (const CdFieldInfo *field,
                         double             value)
{
  switch (field->range)
    {
    case CD_FIELD_RANGE_UNIT:   return value >= 0.0 && value <= 1.0;
    case CD_FIELD_RANGE_WEIGHT: return value > 0.0 && value <= 1.0;
    case CD_FIELD_RANGE_NONE:
    default:                    return isfinite (value);
    }
}

const char *
cd_field_range_text (const CdFieldInfo *field)
{
  switch (field->range)
    {
    case CD_FIELD_RANGE_UNIT:   return "[0, 1]";
    case CD_FIELD_RANGE_WEIGHT: return "(0, 1]";
    case CD_FIELD_RANGE_NONE:
    default:                    return "";
    }
}

gboolean
cd_field_equal (const CdFieldInfo *field,
                gconstpointer      a,
                gconstpointer      b)
{
  switch (field->type)
    {
    case CD_FIELD_ID:
    case CD_FIELD_TEXT:
      return g_strcmp0 (*MEMBER (char *const, a, field->offset),
                        *MEMBER (char *const, b, field->offset)) == 0;
    case CD_FIELD_NAMES:
      return cd_localized_array_equal (*MEMBER (GArray *const, a, field->offset),
                             *MEMBER (GArray *const, b, field->offset));
    case CD_FIELD_LEVEL:
      return *MEMBER (const CdLevel, a, field->offset) == *MEMBER (const CdLevel, b, field->offset);
    case CD_FIELD_KIND:
      return *MEMBER (const CdEdgeKind, a, field->offset)
             == *MEMBER (const CdEdgeKind, b, field->offset);
    case CD_FIELD_ROLE:
      return *MEMBER (const CdCommandRole, a, field->offset)
             == *MEMBER (const CdCommandRole, b, field->offset);
    case CD_FIELD_NUMBER:
      return cd_number_same (*MEMBER (const double, a, field->offset),
                             *MEMBER (const double, b, field->offset));
    case CD_FIELD_OPTIONAL_NUMBER:
      {
        gboolean set_a = *MEMBER (const gboolean, a, field->flag_offset);
        gboolean set_b = *MEMBER (const gboolean, b, field->flag_offset);

        if (!set_a != !set_b)
          return FALSE;
        return !set_a || cd_number_same (*MEMBER (const double, a, field->offset),
                                         *MEMBER (const double, b, field->offset));
      }
    case CD_FIELD_BOOLEAN:
      return !*MEMBER (const gboolean, a, field->offset)
             == !*MEMBER (const gboolean, b, field->offset);
    case CD_FIELD_POSITION:
      {
        gboolean has_a = *MEMBER (const gboolean, a, field->flag_offset);
        gboolean has_b = *MEMBER (const gboolean, b, field->flag_offset);
        const double *pa = MEMBER (const double, a, field->offset);
        const double *pb = MEMBER (const double, b, field->offset);

        if (!has_a != !has_b)
          return FALSE;
        return !has_a || (cd_number_same (pa[0], pb[0]) && cd_number_same (pa[1], pb[1]));
      }
    default:
      g_return_val_if_reached (FALSE);
    }
}
