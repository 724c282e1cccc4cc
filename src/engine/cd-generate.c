/* cd-generate.c — synthetic government hierarchies, the national model among them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-generate.h"

#define NEIGHBOURS 3

typedef struct
{
  GRand     *rand;
  CdModel   *model;
} Gen;

static double
uniform (Gen *g, double lo, double hi)
{
  return g_rand_double_range (g->rand, lo, hi);
}

static CdNode *
add_node (Gen        *g,
          const char *id,
          const char *name,
          CdLevel     level,
          double      x,
          double      y,
          double      capacity)
{
  CdNode *node = cd_node_new (id);

  g_free (node->name);
  node->name = g_strdup (name);
  node->level = level;
  node->capacity = CLAMP (capacity, 0.0, 1.0);
  node->vulnerability = uniform (g, 0.2, 0.8);
  node->fragmentation = uniform (g, 0.3, 0.7);
  node->x0 = uniform (g, 0.05, 0.2);
  node->has_pos = TRUE;
  node->pos[0] = x;
  node->pos[1] = y;
  g_ptr_array_add (g->model->nodes, node);
  return node;
}

/* cd_event_set_impact without its search for the node, which made a
 * million governments quadratic: each is named once here. */
static void
append_impact (CdEvent    *event,
               const char *node,
               double      a)
{
  CdImpact im = { g_strdup (node), a };

  g_array_append_val (event->impacts, im);
}

static void
add_command (Gen *g, const char *source, const char *target)
{
  g_ptr_array_add (g->model->edges, cd_edge_new (CD_EDGE_COMMAND, source, target));
}

/* Splits `total` children among `parents` as evenly as possible, with a
 * little seeded variation, so that every parent has at least one. */
static guint *
split_counts (Gen *g, guint parents, guint total)
{
  guint *count = g_new (guint, parents);
  guint assigned = 0;

  for (guint i = 0; i < parents; i++)
    {
      count[i] = 1;
      assigned++;
    }
  while (assigned < total)
    {
      count[g_rand_int_range (g->rand, 0, (gint32) parents)]++;
      assigned++;
    }
  return count;
}

/* The NEIGHBOURS nearest of n points (xy pairs) to each, by (squared
 * distance, index), on a grid of buckets so that a million points take
 * seconds, not days: nearest[NEIGHBOURS i + k], G_MAXUINT where there are
 * fewer.  The same choice as comparing every pair, ties included. */
static guint *
nearest_neighbours (const double *xy,
                    guint         n)
{
  guint *nearest = g_new (guint, (gsize) NEIGHBOURS * MAX (n, 1));
  double lo_x = INFINITY, lo_y = INFINITY, hi_x = -INFINITY, hi_y = -INFINITY, cell;
  guint cols, rows;
  g_autofree guint *start = NULL;
  g_autofree guint *members = NULL;
  g_autofree guint *fill = NULL;

  for (guint i = 0; i < n; i++)
    {
      lo_x = MIN (lo_x, xy[2 * i]);
      hi_x = MAX (hi_x, xy[2 * i]);
      lo_y = MIN (lo_y, xy[2 * i + 1]);
      hi_y = MAX (hi_y, xy[2 * i + 1]);
    }
  if (n == 0)
    return nearest;
  /* about two points a bucket */
  cell = sqrt (MAX ((hi_x - lo_x) * (hi_y - lo_y), 1e-9) / MAX (n / 2, 1));
  cell = MAX (cell, 1e-9);
  cols = (guint) MIN ((hi_x - lo_x) / cell, 4096.0) + 1;
  rows = (guint) MIN ((hi_y - lo_y) / cell, 4096.0) + 1;
  cell = MAX ((hi_x - lo_x) / cols, (hi_y - lo_y) / rows) * (1 + 1e-9);
  cell = MAX (cell, 1e-9);
#define BUCKET_X(v) MIN ((guint) (((v) - lo_x) / cell), cols - 1)
#define BUCKET_Y(v) MIN ((guint) (((v) - lo_y) / cell), rows - 1)
  start = g_new0 (guint, (gsize) cols * rows + 1);
  fill = g_new0 (guint, (gsize) cols * rows);
  members = g_new (guint, n);
  for (guint i = 0; i < n; i++)
    start[(gsize) BUCKET_Y (xy[2 * i + 1]) * cols + BUCKET_X (xy[2 * i]) + 1]++;
  for (gsize b = 0; b < (gsize) cols * rows; b++)
    start[b + 1] += start[b];
  /* members of a bucket in index order */
  for (guint i = 0; i < n; i++)
    {
      gsize b = (gsize) BUCKET_Y (xy[2 * i + 1]) * cols + BUCKET_X (xy[2 * i]);
      members[start[b] + fill[b]++] = i;
    }

  for (guint i = 0; i < n; i++)
    {
      guint *best = nearest + (gsize) NEIGHBOURS * i;
      double best_d[NEIGHBOURS];
      guint bx = BUCKET_X (xy[2 * i]), by = BUCKET_Y (xy[2 * i + 1]);

      for (guint k = 0; k < NEIGHBOURS; k++)
        best[k] = G_MAXUINT, best_d[k] = INFINITY;
      /* Rings of buckets around i's, until no nearer point can remain. */
      for (guint r = 0;; r++)
        {
          /* the nearest a point r buckets away can be */
          double reach = r == 0 ? 0.0 : (r - 1) * cell;

          if (reach * reach > best_d[NEIGHBOURS - 1]
              || (r > bx && r > by && bx + r >= cols && by + r >= rows))
            break;
          for (gint64 y = (gint64) by - r; y <= (gint64) by + r; y++)
            for (gint64 x = (gint64) bx - r; x <= (gint64) bx + r; x++)
              {
                gsize b;

                if (y < 0 || x < 0 || y >= rows || x >= cols
                    || (MAX (ABS (y - (gint64) by), ABS (x - (gint64) bx)) != r))
                  continue;
                b = (gsize) y * cols + x;
                for (guint m = start[b]; m < start[b + 1]; m++)
                  {
                    guint j = members[m], k;
                    double dx = xy[2 * i] - xy[2 * j], dy = xy[2 * i + 1] - xy[2 * j + 1];
                    double d = dx * dx + dy * dy;

                    /* (d, j) lexicographic, as a scan in index order keeps it */
                    if (j == i || d > best_d[NEIGHBOURS - 1]
                        || (d == best_d[NEIGHBOURS - 1] && j > best[NEIGHBOURS - 1]))
                      continue;
                    for (k = NEIGHBOURS - 1;
                         k > 0 && (best_d[k - 1] > d || (best_d[k - 1] == d && best[k - 1] > j));
                         k--)
                      best[k] = best[k - 1], best_d[k] = best_d[k - 1];
                    best[k] = j, best_d[k] = d;
                  }
              }
        }
    }
#undef BUCKET_X
#undef BUCKET_Y
  return nearest;
}

/* Partnerships from each node of [first, first + n) to its NEIGHBOURS nearest
 * nodes of the same range, each pair once. */
static void
link_neighbours (Gen *g, guint first, guint n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = g_new (gint64, (gsize) NEIGHBOURS * MAX (n, 1));
  g_autofree double *xy = g_new (double, 2 * (gsize) MAX (n, 1));
  g_autofree guint *nearest = NULL;
  gsize n_keys = 0;

  for (guint i = 0; i < n; i++)
    {
      const CdNode *a = g_ptr_array_index (g->model->nodes, first + i);
      xy[2 * i] = a->pos[0];
      xy[2 * i + 1] = a->pos[1];
    }
  nearest = nearest_neighbours (xy, n);
  for (guint i = 0; i < n; i++)
    for (guint k = 0; k < NEIGHBOURS; k++)
      {
        guint j = nearest[(gsize) NEIGHBOURS * i + k], lo, hi;
        gint64 *key;
        CdEdge *e;

        if (j == G_MAXUINT)
          continue;
        lo = MIN (i, j), hi = MAX (i, j);
        key = &keys[n_keys];
        *key = ((gint64) lo << 32) | hi;
        /* (g_hash_table_add would put this slot in place of an equal key) */
        if (g_hash_table_contains (seen, key))
          continue;
        g_hash_table_add (seen, key);
        n_keys++;
        e = cd_edge_new (CD_EDGE_PARTNERSHIP,
                         ((CdNode *) g_ptr_array_index (g->model->nodes, first + lo))->id,
                         ((CdNode *) g_ptr_array_index (g->model->nodes, first + hi))->id);
        e->interest = uniform (g, 0.3, 0.8);
        e->trust = uniform (g, 0.1, 0.3);
        e->info = uniform (g, 0.3, 0.7);
        g_ptr_array_add (g->model->edges, e);
      }
}

CdModel *
cd_generate_hierarchy (guint32 seed,
                       guint   n_provinces,
                       guint   n_cities,
                       guint   n_counties)
{
  Gen g;
  CdModel *m;
  g_autofree guint *prefectures_of = NULL;
  g_autofree guint *counties_of = NULL;
  g_autofree double *province_xy = NULL;
  guint first_prefecture, first_county, cols, rows;
  double scale;
  CdEvent *flood, *epidemic;
  CdIntervention *iv;

  /* split_counts gives every parent at least one child. */
  g_return_val_if_fail (n_provinces >= 1, NULL);
  g_return_val_if_fail (n_cities >= n_provinces, NULL);
  g_return_val_if_fail (n_counties >= n_cities, NULL);

  g.rand = g_rand_new_with_seed (seed);
  g.model = m = cd_model_new ();
  province_xy = g_new (double, 2 * (gsize) n_provinces);
  /* A grid about as wide as the 3 : 2 map (7 × 5 for 31 provinces). */
  cols = (guint) ceil (sqrt (n_provinces * 1.5));
  rows = (n_provinces + cols - 1) / cols;

  g_free (m->name);
  m->name = g_strdup_printf ("Synthetic model (seed %u)", seed);
  g_free (m->description);
  m->description = g_strdup_printf (
    "A synthetic model of a government hierarchy: 1 central, %u provincial, %u "
    "prefecture-level and %u county-level governments on an invented map, with command "
    "lines down the hierarchy, partnerships between nearest neighbours of the same level, a "
    "basin flood, a later wide epidemic and one policy change. Generated for benchmarks and "
    "stress tests; the numbers are illustrative, not measured.",
    n_provinces, n_cities, n_counties);
  m->sim.t_end = 60.0;
  m->sim.dt = 0.1;

  add_node (&g, "CN", "Central government", CD_LEVEL_CENTRAL, 0.0, 0.0, 0.95);

  /* Provinces on a jittered grid over a 3000 × 2000 map, larger by `scale`
   * in each direction beyond 31 provinces so that governments keep the
   * national model's density (and the national model its bytes). */
  scale = MAX (1.0, sqrt (n_provinces / (double) CD_NATIONAL_PROVINCES));
  for (guint p = 0; p < n_provinces; p++)
    {
      g_autofree char *id = g_strdup_printf ("P%02u", p + 1);
      g_autofree char *name = g_strdup_printf ("Province %u", p + 1);
      double x = scale * (-1500.0 + (p % cols + 0.5) * (3000.0 / cols)) + uniform (&g, -80, 80);
      double y = scale * (-1000.0 + (p / cols + 0.5) * (2000.0 / rows)) + uniform (&g, -60, 60);
      province_xy[2 * p] = x;
      province_xy[2 * p + 1] = y;
      add_node (&g, id, name, CD_LEVEL_PROVINCIAL, x, y, uniform (&g, 0.55, 0.85));
      add_command (&g, "CN", id);
    }

  first_prefecture = m->nodes->len;
  prefectures_of = split_counts (&g, n_provinces, n_cities);
  for (guint p = 0; p < n_provinces; p++)
    for (guint q = 0; q < prefectures_of[p]; q++)
      {
        g_autofree char *parent = g_strdup_printf ("P%02u", p + 1);
        g_autofree char *id = g_strdup_printf ("P%02u-M%02u", p + 1, q + 1);
        g_autofree char *name = g_strdup_printf ("City %u-%u", p + 1, q + 1);
        double angle = uniform (&g, 0, 2 * G_PI), radius = uniform (&g, 30, 170);
        add_node (&g, id, name, CD_LEVEL_MUNICIPAL,
                  province_xy[2 * p] + radius * cos (angle),
                  province_xy[2 * p + 1] + radius * sin (angle), uniform (&g, 0.35, 0.7));
        add_command (&g, parent, id);
      }

  first_county = m->nodes->len;
  counties_of = split_counts (&g, n_cities, n_counties);
  for (guint c = 0; c < n_cities; c++)
    {
      const CdNode *city = g_ptr_array_index (m->nodes, first_prefecture + c);
      for (guint q = 0; q < counties_of[c]; q++)
        {
          g_autofree char *id = g_strdup_printf ("%s-C%02u", city->id, q + 1);
          g_autofree char *name = g_strdup_printf ("County %s-%u", city->id, q + 1);
          double angle = uniform (&g, 0, 2 * G_PI), radius = uniform (&g, 8, 45);
          add_node (&g, id, name, CD_LEVEL_COUNTY, city->pos[0] + radius * cos (angle),
                    city->pos[1] + radius * sin (angle), uniform (&g, 0.15, 0.5));
          add_command (&g, city->id, id);
        }
    }

  link_neighbours (&g, 1, n_provinces);
  link_neighbours (&g, first_prefecture, n_cities);
  link_neighbours (&g, first_county, n_counties);

  /* A basin flood along a river that meanders west to east. */
  flood = cd_event_new ();
  g_free (flood->name);
  flood->name = g_strdup ("Basin flood");
  flood->onset = 5.0;
  flood->magnitude = 3.0;
  flood->decay = 8.0;
  /* A wide epidemic later, centred in the east, reaching most of the country. */
  epidemic = cd_event_new ();
  g_free (epidemic->name);
  epidemic->name = g_strdup ("Wide epidemic");
  epidemic->onset = 25.0;
  epidemic->magnitude = 1.5;
  epidemic->decay = 15.0;
  for (guint i = 1; i < m->nodes->len; i++)
    {
      const CdNode *n = g_ptr_array_index (m->nodes, i);
      double river_y = scale * 250.0 * sin (n->pos[0] / (scale * 600.0));
      double d = fabs (n->pos[1] - river_y);
      double a = exp (-(d * d) / (2.0 * 120.0 * 120.0 * scale * scale));
      double de = hypot (n->pos[0] - scale * 900.0, n->pos[1] + scale * 200.0);
      double b = exp (-de / (scale * 1400.0)) * uniform (&g, 0.6, 1.0);
      if (a > 0.05)
        append_impact (flood, n->id, round (a * 1000) / 1000);
      if (n->level == CD_LEVEL_COUNTY || n->level == CD_LEVEL_MUNICIPAL)
        append_impact (epidemic, n->id, round (b * 1000) / 1000);
    }
  g_ptr_array_add (m->events, flood);
  g_ptr_array_add (m->events, epidemic);

  /* After the flood: a benefit-compensation mechanism and better information sharing. */
  iv = cd_intervention_new (30.0);
  cd_intervention_add (iv, CD_PARAM_RESISTANCE_COMPENSATION, 0.5);
  cd_intervention_add (iv, CD_PARAM_THRUST_INFO, 1.0);
  g_ptr_array_add (m->interventions, iv);

  g_rand_free (g.rand);
  return m;
}

CdModel *
cd_generate_national (guint32 seed)
{
  CdModel *m = cd_generate_hierarchy (seed, CD_NATIONAL_PROVINCES, CD_NATIONAL_PREFECTURES,
                                      CD_NATIONAL_COUNTIES);

  g_free (m->name);
  m->name = g_strdup_printf ("Synthetic national model (seed %u)", seed);
  g_free (m->description);
  m->description = g_strdup (
    "A synthetic model at the scale of mainland China's administrative hierarchy: 1 central, "
    "31 provincial, 333 prefecture-level and 2,844 county-level governments on an invented "
    "map, with command lines down the hierarchy, partnerships between nearest neighbours of "
    "the same level, a basin flood, a later wide epidemic and one policy change. Generated "
    "for benchmarks and stress tests; the numbers are illustrative, not measured.");
  return m;
}

CdModel *
cd_generate_copies (const CdModel *model,
                    guint          copies)
{
  CdModel *m;
  double width = 0.0;

  g_return_val_if_fail (model != NULL && copies >= 1, NULL);

  m = cd_model_copy (model);
  g_ptr_array_set_size (m->nodes, 0);
  g_ptr_array_set_size (m->edges, 0);
  g_ptr_array_set_size (m->events, 0);
  for (guint i = 0; i < model->nodes->len; i++)
    {
      const CdNode *n = g_ptr_array_index (model->nodes, i);
      if (n->has_pos)
        width = MAX (width, fabs (n->pos[0]));
    }
  width = 2.0 * width + 500.0;
  g_free (m->name);
  m->name = g_strdup_printf ("%u copies of %s", copies, cd_model_display_name (model));
  for (guint k = 1; k <= copies; k++)
    {
      for (guint i = 0; i < model->nodes->len; i++)
        {
          CdNode *n = cd_node_copy (g_ptr_array_index (model->nodes, i));
          char *id = g_strdup_printf ("%s#%u", n->id, k);

          if (strcmp (n->name, n->id) == 0)
            {
              g_free (n->name);
              n->name = g_strdup (id);
            }
          g_free (n->id);
          n->id = id;
          if (n->has_pos)
            n->pos[0] += (k - 1) * width;
          g_ptr_array_add (m->nodes, n);
        }
      for (guint e = 0; e < model->edges->len; e++)
        {
          CdEdge *edge = cd_edge_copy (g_ptr_array_index (model->edges, e));
          char *source = g_strdup_printf ("%s#%u", edge->source, k);
          char *target = g_strdup_printf ("%s#%u", edge->target, k);

          g_free (edge->source);
          g_free (edge->target);
          edge->source = source;
          edge->target = target;
          g_ptr_array_add (m->edges, edge);
        }
      for (guint v = 0; v < model->events->len; v++)
        {
          CdEvent *ev = cd_event_copy (g_ptr_array_index (model->events, v));

          for (guint q = 0; q < ev->impacts->len; q++)
            {
              CdImpact *im = &g_array_index (ev->impacts, CdImpact, q);
              char *node = g_strdup_printf ("%s#%u", im->node, k);

              g_free (im->node);
              im->node = node;
            }
          g_ptr_array_add (m->events, ev);
        }
    }
  return m;
}
