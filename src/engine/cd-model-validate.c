/* cd-model-validate.c — pass 3 of reading a model file, and the check after every edit.
 *
 * cd_model_validate() checks values and structure: ranges, ids, edges,
 * duplicate ties and command cycles, each problem named by its place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "cd-model-fields.h"
#include "cd-model-json-private.h"

/* ---- pass 3: values and structure ---------------------------------------- */

/* "name[i]" into buf (32 bytes), without printf: this runs for every
 * government and tie of a file. */
static const char *
indexed_place (char        buf[32],
               const char *name,
               guint       i)
{
  gsize len = strlen (name);
  char digits[12];
  int n = 0;

  g_assert (len + sizeof digits + 3 <= 32);
  do
    digits[n++] = (char) ('0' + i % 10);
  while ((i /= 10) != 0);
  memcpy (buf, name, len);
  buf[len++] = '[';
  while (n > 0)
    buf[len++] = digits[--n];
  buf[len++] = ']';
  buf[len] = '\0';
  return buf;
}

/* The place is "<place>.<field>" (field may be NULL); it is only spelled
 * out when there is a problem, since this runs for every value of a file. */
static void
check_unit (CdProblems *p, const char *place, const char *field, double v)
{
  if (!(v >= 0.0 && v <= 1.0))
    {
      g_autofree char *t = cd_number_text (v);
      g_autofree char *where = field ? g_strconcat (place, ".", field, NULL) : g_strdup (place);
      cd_problems_add (p, where, _("%s is outside [0, 1]"), t);
    }
}

/* A number of a government or a tie against its range in the field table. */
static void
check_field (CdProblems *p, const char *place, const CdFieldInfo *f, gconstpointer object)
{
  double v = cd_field_get_number (f, object);

  if (cd_field_value_in_range (f, v))
    return;
  if (f->range == CD_FIELD_RANGE_WEIGHT)
    {
      g_autofree char *where = g_strconcat (place, ".", f->key, NULL);
      g_autofree char *text = cd_number_text (v);
      cd_problems_add (p, where, _("%s is outside (0, 1]"), text);
    }
  else
    check_unit (p, place, f->key, v);
}

static void
check_param_value (CdProblems *p, const char *place, CdParam param, double v)
{
  if (!cd_param_value_in_range (param, v))
    {
      g_autofree char *t = cd_number_text (v);
      cd_problems_add (p, place, _("%s is outside the range of %s (%s)"), t,
                       cd_param_info (param)->path, cd_param_range_text (param));
    }
}

/* A parameter that the model's version does not have (after an edit, or
 * from a program that built the model). */
static gboolean
check_param_version (CdProblems *p, const char *place, CdParam param, int version)
{
  if (cd_param_in_version (param, version))
    return TRUE;
  cd_problems_add (p, place, _("%s is not a parameter of version %d models"),
                   cd_param_info (param)->path, version);
  return FALSE;
}

static void
check_interventions (CdProblems *p, const char *place, const GPtrArray *list, int version)
{
  for (guint i = 0; i < list->len; i++)
    {
      const CdIntervention *iv = g_ptr_array_index (list, i);
      g_autofree char *sub = g_strdup_printf ("%s[%u]", place, i);

      if (!(iv->at >= 0.0 && isfinite (iv->at)))
        {
          g_autofree char *where = g_strdup_printf ("%s.at", sub);
          g_autofree char *t = cd_number_text (iv->at);
          cd_problems_add (p, where,
                           _("%s is negative; a policy change happens at a time ≥ 0"), t);
        }
      for (guint k = 0; k < iv->settings->len; k++)
        {
          const CdSetting *s = &g_array_index (iv->settings, CdSetting, k);
          g_autofree char *where = g_strdup_printf ("%s.set.%s", sub,
                                                    cd_param_info (s->param)->path);
          if (check_param_version (p, where, s->param, version))
            check_param_value (p, where, s->param, s->value);
        }
    }
}

/* Depth-first search over command lines, in file order; reports the first
 * cycle found as the edge that closes it and the ids around it. */
typedef struct
{
  const CdModel *model;
  guint         *first_out;   /* CSR over command edges by source */
  guint         *out_edges;
  guint         *target_of;   /* edge → target node */
  guint8        *colour;      /* 0 new, 1 on the stack, 2 done */
  guint         *stack_node;
  guint         *stack_pos;
} CycleSearch;

static gboolean
find_cycle (CycleSearch *cs,
            guint        start,
            CdProblems    *p)
{
  guint depth = 0;

  cs->stack_node[0] = start;
  cs->stack_pos[0] = cs->first_out[start];
  cs->colour[start] = 1;
  while (TRUE)
    {
      guint u = cs->stack_node[depth];
      if (cs->stack_pos[depth] < cs->first_out[u + 1])
        {
          guint e = cs->out_edges[cs->stack_pos[depth]++];
          guint v = cs->target_of[e];
          if (cs->colour[v] == 1)
            {
              GString *path = g_string_new (NULL);
              g_autofree char *place = g_strdup_printf ("edges[%u]", e);
              guint from = depth;
              while (cs->stack_node[from] != v)
                from--;
              for (guint k = from; k <= depth; k++)
                g_string_append_printf (path, "%s → ",
                                        ((CdNode *) g_ptr_array_index (cs->model->nodes,
                                                                       cs->stack_node[k]))->id);
              g_string_append (path, ((CdNode *) g_ptr_array_index (cs->model->nodes, v))->id);
              /* Translators: %s is the chain of government ids, such as "a → b → a". */
              cd_problems_add (p, place, _("command cycle %s"), path->str);
              g_string_free (path, TRUE);
              return TRUE;
            }
          if (cs->colour[v] == 0)
            {
              cs->colour[v] = 1;
              depth++;
              cs->stack_node[depth] = v;
              cs->stack_pos[depth] = cs->first_out[v];
            }
        }
      else
        {
          cs->colour[u] = 2;
          if (depth == 0)
            return FALSE;
          depth--;
        }
    }
}

/* ends_source and ends_target: the node at each end of each edge. */
static void
check_command_cycles (const CdModel *model,
                      const guint   *ends_source,
                      const guint   *ends_target,
                      CdProblems      *p)
{
  guint n = model->nodes->len, m = model->edges->len;
  CycleSearch cs = { model };
  guint *source_of = g_new (guint, m + 1);
  guint *fill;

  cs.first_out = g_new0 (guint, n + 2);
  cs.out_edges = g_new (guint, m + 1);
  cs.target_of = g_new (guint, m + 1);
  cs.colour = g_new0 (guint8, n + 1);
  cs.stack_node = g_new (guint, n + 1);
  cs.stack_pos = g_new (guint, n + 1);
  fill = g_new0 (guint, n + 1);

  for (guint e = 0; e < m; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);
      source_of[e] = G_MAXUINT;
      if (edge->kind != CD_EDGE_COMMAND)
        continue;
      source_of[e] = ends_source[e];
      cs.target_of[e] = ends_target[e];
      cs.first_out[source_of[e] + 1]++;
    }
  for (guint i = 0; i < n; i++)
    cs.first_out[i + 1] += cs.first_out[i];
  for (guint e = 0; e < m; e++)
    if (source_of[e] != G_MAXUINT)
      cs.out_edges[cs.first_out[source_of[e]] + fill[source_of[e]]++] = e;

  for (guint i = 0; i < n; i++)
    if (cs.colour[i] == 0 && find_cycle (&cs, i, p))
      break;

  g_free (source_of);
  g_free (fill);
  g_free (cs.first_out);
  g_free (cs.out_edges);
  g_free (cs.target_of);
  g_free (cs.colour);
  g_free (cs.stack_node);
  g_free (cs.stack_pos);
}

/* The ties seen so far, by kind and the nodes at their ends: an open
 * hash table of integers, where strings of the ids cost a third of the
 * time to validate a national model. */
typedef struct
{
  guint64 *keys;
  guint   *edge;   /* index + 1; 0: empty slot */
  guint64  mask;
} EdgeSet;

static void
edge_set_init (EdgeSet *set,
               guint    n_edges)
{
  guint64 size = 16;

  while (size < 2 * (guint64) n_edges)
    size *= 2;
  set->keys = g_new (guint64, size);
  set->edge = g_new0 (guint, size);
  set->mask = size - 1;
}

static void
edge_set_clear (EdgeSet *set)
{
  g_free (set->keys);
  g_free (set->edge);
}

/* The slot of the tie of `kind` between nodes a and b (partnerships are
 * undirected), which holds 0 if there is none yet. */
static guint *
edge_set_lookup (EdgeSet    *set,
                 CdEdgeKind  kind,
                 guint       a,
                 guint       b)
{
  guint64 key, at;

  if (kind == CD_EDGE_PARTNERSHIP && a > b)
    {
      guint t = a;
      a = b;
      b = t;
    }
  key = ((guint64) (kind == CD_EDGE_PARTNERSHIP) << 63) | ((guint64) a << 32) | b;
  at = (key * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)) >> 32 & set->mask;
  while (set->edge[at] != 0 && set->keys[at] != key)
    at = (at + 1) & set->mask;
  set->keys[at] = key;
  return &set->edge[at];
}

/* One in an id went raw into the CSV header and into messages. */
gunichar
cd_text_first_control (const char *text)
{
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char_validated (c, -1);

      if (u == (gunichar) -1 || u == (gunichar) -2)
        return 0;   /* not UTF-8: refused by the reader with its own words */
      if (g_unichar_iscntrl (u))
        return u;
    }
  return 0;
}

gboolean
cd_model_validate (const CdModel *model,
                   GError       **error)
{
  CdProblems p = { g_string_new (NULL), 0 };
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  EdgeSet edges_seen;
  g_autofree guint *ends_source = NULL;
  g_autofree guint *ends_target = NULL;
  gboolean edges_ok = TRUE;
  const CdSimSettings *sim = &model->sim;
  const CdFieldInfo *node_fields, *edge_fields;
  guint n_node_fields, n_edge_fields;
  gboolean ok;
  gunichar control;

  g_return_val_if_fail (model != NULL, FALSE);

  if (!(model->version >= CD_MODEL_VERSION_MIN && model->version <= CD_MODEL_VERSION_LATEST))
    {
      cd_problems_add (&p, "version", _("version %d is not supported; this Coordyn reads "
                                        "versions %d to %d"),
                       model->version, CD_MODEL_VERSION_MIN, CD_MODEL_VERSION_LATEST);
      goto report;
    }
  for (CdParam i = 0; cd_param_next_in_version (&i, model->version); i++)
    {
      g_autofree char *place = g_strdup_printf ("parameters.%s", cd_param_info (i)->path);
      check_param_value (&p, place, i, model->params.values[i]);
    }

  if (!(sim->t_end > 0.0 && isfinite (sim->t_end)))
    {
      g_autofree char *t = cd_number_text (sim->t_end);
      cd_problems_add (&p, "simulation.t_end", _("%s is not positive"), t);
    }
  else if (!(sim->dt > 0.0 && sim->dt <= sim->t_end))
    {
      g_autofree char *t = cd_number_text (sim->dt);
      cd_problems_add (&p, "simulation.dt", _("%s is outside (0, t_end]"), t);
    }
  if (!(sim->rtol > 0.0 && isfinite (sim->rtol)))
    {
      g_autofree char *t = cd_number_text (sim->rtol);
      cd_problems_add (&p, "simulation.rtol", _("%s is not positive"), t);
    }
  else if (sim->rtol < CD_MODEL_MIN_RTOL)
    {
      g_autofree char *t = cd_number_text (sim->rtol);
      g_autofree char *floor_text = cd_number_text (CD_MODEL_MIN_RTOL);
      /* Translators: the first %s is the file's rtol, the second 2.220446049250313e-14. */
      cd_problems_add (&p, "simulation.rtol",
                       _("%s is below what double-precision numbers can deliver: rounding "
                         "alone is about 1e-16 of each value, so a relative tolerance must be "
                         "at least %s (100 times that)"), t, floor_text);
    }
  if (!(sim->atol >= 0.0 && isfinite (sim->atol)))
    {
      g_autofree char *t = cd_number_text (sim->atol);
      cd_problems_add (&p, "simulation.atol", _("%s is negative"), t);
    }

  if (model->nodes->len > CD_MODEL_MAX_NODES)
    cd_problems_add (&p, "nodes", _("%u governments; models of more than %u are refused"),
                  model->nodes->len, CD_MODEL_MAX_NODES);
  node_fields = cd_node_fields (&n_node_fields);
  for (guint i = 0; i < model->nodes->len; i++)
    {
      const CdNode *n = g_ptr_array_index (model->nodes, i);
      char place[32];

      indexed_place (place, "nodes", i);
      for (guint k = 0; k < n_node_fields; k++)
        {
          const CdFieldInfo *f = &node_fields[k];

          if (!cd_field_in_version (f, model->version))
            continue;
          switch (f->type)
            {
            case CD_FIELD_ID:
              if (*n->id == '\0')
                {
                  g_autofree char *where = g_strconcat (place, ".id", NULL);
                  cd_problems_add (&p, where, _("the id must not be empty"));
                }
              else if ((control = cd_text_first_control (n->id)) != 0)
                {
                  g_autofree char *where = g_strconcat (place, ".id", NULL);
                  /* Translators: U+%04X is a character's code, such as U+001B. */
                  cd_problems_add (&p, where, _("a control character (U+%04X) in an id; an id "
                                                "names columns of the CSV and must be "
                                                "printable text"), control);
                }
              else if (g_hash_table_contains (index, n->id))
                {
                  g_autofree char *where = g_strconcat (place, ".id", NULL);
                  cd_problems_add (&p, where, _("duplicate id \"%s\" (also nodes[%u])"), n->id,
                                   GPOINTER_TO_UINT (g_hash_table_lookup (index, n->id)) - 1);
                }
              else
                g_hash_table_insert (index, n->id, GUINT_TO_POINTER (i + 1));
              break;
            case CD_FIELD_NUMBER:
              check_field (&p, place, f, n);
              break;
            case CD_FIELD_OPTIONAL_NUMBER:
              if (cd_field_is_set (f, n))
                check_field (&p, place, f, n);
              break;
            case CD_FIELD_POSITION:
              if (n->has_pos && !(isfinite (n->pos[0]) && isfinite (n->pos[1])))
                {
                  g_autofree char *where = g_strconcat (place, ".pos", NULL);
                  cd_problems_add (&p, where, _("the position must be two finite numbers"));
                }
              break;
            default:
              break;
            }
        }
    }

  edge_fields = cd_edge_fields (&n_edge_fields);
  edge_set_init (&edges_seen, model->edges->len);
  ends_source = g_new (guint, model->edges->len + 1);
  ends_target = g_new (guint, model->edges->len + 1);
  for (guint i = 0; i < model->edges->len; i++)
    {
      const CdEdge *e = g_ptr_array_index (model->edges, i);
      char place[32];
      guint source = GPOINTER_TO_UINT (g_hash_table_lookup (index, e->source));
      guint target = GPOINTER_TO_UINT (g_hash_table_lookup (index, e->target));
      guint *seen;
      gboolean ends_ok = TRUE;

      indexed_place (place, "edges", i);
      if (source == 0)
        {
          g_autofree char *where = g_strconcat (place, ".source", NULL);
          cd_problems_add (&p, where, _("no node \"%s\""), e->source);
          ends_ok = FALSE;
        }
      if (target == 0)
        {
          g_autofree char *where = g_strconcat (place, ".target", NULL);
          cd_problems_add (&p, where, _("no node \"%s\""), e->target);
          ends_ok = FALSE;
        }
      if (ends_ok && strcmp (e->source, e->target) == 0)
        {
          cd_problems_add (&p, place, _("joins \"%s\" to itself"), e->source);
          ends_ok = FALSE;
        }
      edges_ok &= ends_ok;
      ends_source[i] = source - 1;
      ends_target[i] = target - 1;
      seen = ends_ok ? edge_set_lookup (&edges_seen, e->kind, source - 1, target - 1) : NULL;
      if (seen != NULL && *seen != 0)
        {
          /* Translators: %s is "command line" or "partnership"; the quoted %s
             are government ids. */
          cd_problems_add (&p, place,
                           _("a second %s between \"%s\" and \"%s\" (also edges[%u])"),
                           e->kind == CD_EDGE_COMMAND ? _("command line") : _("partnership"),
                           e->source, e->target, *seen - 1);
          edges_ok = FALSE;
        }
      else if (seen != NULL)
        *seen = i + 1;

      for (guint k = 0; k < n_edge_fields; k++)
        if (edge_fields[k].type == CD_FIELD_NUMBER
            && cd_field_in_version (&edge_fields[k], model->version)
            && cd_field_of_edge_kind (&edge_fields[k], e->kind))
          check_field (&p, place, &edge_fields[k], e);
    }
  /* Cycles are only meaningful once every edge joins two real nodes. */
  if (edges_ok)
    check_command_cycles (model, ends_source, ends_target, &p);
  edge_set_clear (&edges_seen);

  for (guint i = 0; i < model->events->len; i++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, i);
      g_autofree char *place = g_strdup_printf ("events[%u]", i);

      if (!(ev->onset >= 0.0))
        {
          g_autofree char *where = g_strdup_printf ("%s.onset", place);
          g_autofree char *t = cd_number_text (ev->onset);
          cd_problems_add (&p, where, _("%s is negative; an emergency starts at a time ≥ 0"), t);
        }
      if (!(ev->magnitude >= 0.0))
        {
          g_autofree char *where = g_strdup_printf ("%s.magnitude", place);
          g_autofree char *t = cd_number_text (ev->magnitude);
          cd_problems_add (&p, where, _("%s is negative"), t);
        }
      if (!(ev->decay > 0.0))
        {
          g_autofree char *where = g_strdup_printf ("%s.decay", place);
          g_autofree char *t = cd_number_text (ev->decay);
          cd_problems_add (&p, where, _("%s is not positive; the decay time must be > 0"), t);
        }
      for (guint k = 0; k < ev->impacts->len; k++)
        {
          const CdImpact *im = &g_array_index (ev->impacts, CdImpact, k);
          g_autofree char *where = NULL;

          if (g_hash_table_contains (index, im->node) && im->a >= 0.0 && im->a <= 1.0)
            continue;
          where = g_strdup_printf ("%s.impact.%s", place, im->node);
          if (!g_hash_table_contains (index, im->node))
            cd_problems_add (&p, where, _("no node \"%s\""), im->node);
          check_unit (&p, where, NULL, im->a);
        }
    }

  check_interventions (&p, "interventions", model->interventions, model->version);

  for (guint i = 0; i < model->scenarios->len; i++)
    {
      const CdScenario *sc = g_ptr_array_index (model->scenarios, i);
      g_autofree char *place = g_strdup_printf ("scenarios[%u]", i);

      if (*sc->name == '\0')
        {
          g_autofree char *where = g_strdup_printf ("%s.name", place);
          cd_problems_add (&p, where, _("a scenario needs a name"));
        }
      else if ((control = cd_text_first_control (sc->name)) != 0)
        {
          g_autofree char *where = g_strdup_printf ("%s.name", place);
          cd_problems_add (&p, where, _("a control character (U+%04X) in a scenario name; "
                                        "the name is how commands and the CSV refer to the "
                                        "scenario, so it must be printable text"), control);
        }
      for (guint k = 0; k < i; k++)
        if (strcmp (((CdScenario *) g_ptr_array_index (model->scenarios, k))->name,
                       sc->name) == 0)
          {
            g_autofree char *where = g_strdup_printf ("%s.name", place);
            cd_problems_add (&p, where, _("duplicate scenario \"%s\" (also scenarios[%u])"),
                          sc->name, k);
          }
      for (guint k = 0; k < CD_N_PARAMS; k++)
        if (sc->param_set[k])
          {
            g_autofree char *where = g_strdup_printf ("%s.parameters.%s", place,
                                                      cd_param_info (k)->path);
            if (check_param_version (&p, where, k, model->version))
              check_param_value (&p, where, k, sc->param_value[k]);
          }
      if (sc->interventions)
        {
          g_autofree char *where = g_strdup_printf ("%s.interventions", place);
          check_interventions (&p, where, sc->interventions, model->version);
        }
    }

  for (guint i = 0; i < model->ranges->len; i++)
    {
      const CdRange *rg = &g_array_index (model->ranges, CdRange, i);
      g_autofree char *place = g_strdup_printf ("ranges.%s", cd_param_info (rg->param)->path);

      if (!check_param_version (&p, place, rg->param, model->version))
        continue;
      if (!cd_param_value_in_range (rg->param, rg->min)
          || !cd_param_value_in_range (rg->param, rg->max))
        cd_problems_add (&p, place, _("min and max must lie within %s"),
                      cd_param_range_text (rg->param));
      else if (!(rg->min <= rg->max))
        cd_problems_add (&p, place, _("min is greater than max"));
      else if (rg->dist == CD_DIST_TRIANGULAR && !(rg->mode >= rg->min && rg->mode <= rg->max))
        cd_problems_add (&p, place, _("mode must lie between min and max"));
      for (guint k = 0; k < i; k++)
        if (g_array_index (model->ranges, CdRange, k).param == rg->param)
          cd_problems_add (&p, place, _("a second range for the same parameter"));
    }

report:
  ok = cd_problems_report (&p, error);
  g_string_free (p.text, TRUE);
  return ok;
}
