/* cd-analysis-csv.c — analysis results as CSV (see cd-analysis-csv.h).
 *
 * Column for column what src/cli/cd-cli-analysis.c writes; keep the two in
 * step (tests/app/test-analysis-view.c compares the headers with the CLI's).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-analysis-csv.h"
#include "cd-csv.h"

static void
add_number (GString *row,
            double   value)
{
  char buf[32];

  if (row->len > 0 && row->str[row->len - 1] != '\n')
    g_string_append_c (row, ',');
  /* A value that does not exist is an empty cell, never "nan". */
  if (isfinite (value))
    {
      if (value == 0.0)
        value = 0.0;   /* "0", never "-0" */
      cd_format_g17 (buf, value);
      g_string_append (row, buf);
    }
}

static void
add_text (GString    *row,
          const char *text)
{
  if (row->len > 0 && row->str[row->len - 1] != '\n')
    g_string_append_c (row, ',');
  cd_csv_append_cell (row, text);
}

static void
add_uint (GString *row,
          guint64  value)
{
  if (row->len > 0 && row->str[row->len - 1] != '\n')
    g_string_append_c (row, ',');
  g_string_append_printf (row, "%" G_GUINT64_FORMAT, value);
}

static void
add_empty (GString *row)
{
  g_string_append_c (row, ',');
}

static void
end_row (GString *row)
{
  g_string_append_c (row, '\n');
}

char *
cd_csv_of_equilibria (const CdEquilibria *eqs)
{
  GString *out = g_string_new ("index,stable,max_real_eigenvalue,mean_coordination");
  const CdSystem *sys = eqs->system;
  gboolean replicator = sys->rule == CD_RULE_REPLICATOR;

  for (guint i = 0; i < sys->n_nodes; i++)
    {
      g_autofree char *label = g_strconcat ("x:", sys->node_ids[i], NULL);
      add_text (out, label);
    }
  for (guint e = 0; e < sys->n_partnerships; e++)
    {
      g_autofree char *label = g_strconcat ("trust:", sys->partnership_labels[e], NULL);
      add_text (out, label);
    }
  if (replicator)
    g_string_append (out, ",corner,evolutionarily_stable");
  end_row (out);
  for (guint k = 0; k < eqs->equilibria->len; k++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (eqs->equilibria, k);
      add_uint (out, k);
      add_uint (out, eq->stable ? 1 : 0);
      add_number (out, eq->max_real);
      add_number (out, eq->mean_coordination);
      for (guint i = 0; i < sys->n_nodes + sys->n_partnerships; i++)
        add_number (out, eq->y[i]);
      if (replicator)
        {
          add_uint (out, eq->corner ? 1 : 0);
          add_uint (out, eq->ess ? 1 : 0);
        }
      end_row (out);
    }
  return g_string_free (out, FALSE);
}

char *
cd_csv_of_sweep (const CdSweep *sweep)
{
  GString *out = g_string_new ("value,direction,mean_coordination,stable,tipping\n");

  for (guint i = 0; i < sweep->points->len; i++)
    {
      const CdSweepPoint *p = &g_array_index (sweep->points, CdSweepPoint, i);
      add_number (out, p->value);
      add_text (out, cd_sweep_direction_to_string (p->direction));
      add_number (out, p->mean_coordination);
      add_uint (out, p->stable ? 1 : 0);
      add_uint (out, p->tipping ? 1 : 0);
      end_row (out);
    }
  return g_string_free (out, FALSE);
}

char *
cd_csv_of_tornado (const CdTornado *t)
{
  GString *out = g_string_new ("rank,parameter,base,low,high,final_mean_coordination_low,"
                               "final_mean_coordination_high,total_loss_low,total_loss_high,"
                               "swing_mean_coordination,swing_loss,"
                               "base_final_mean_coordination,base_total_loss\n");

  for (guint i = 0; i < t->bars->len; i++)
    {
      const CdTornadoBar *bar = &g_array_index (t->bars, CdTornadoBar, i);
      add_uint (out, i + 1);
      add_text (out, cd_param_info (bar->param)->path);
      add_number (out, bar->base);
      add_number (out, bar->low);
      add_number (out, bar->high);
      add_number (out, bar->out_low.final_mean);
      add_number (out, bar->out_high.final_mean);
      add_number (out, bar->out_low.total_loss);
      add_number (out, bar->out_high.total_loss);
      add_number (out, bar->swing_mean);
      add_number (out, bar->swing_loss);
      add_number (out, t->base.final_mean);
      add_number (out, t->base.total_loss);
      end_row (out);
    }
  return g_string_free (out, FALSE);
}

char *
cd_csv_of_sobol (const CdSobol *s)
{
  GString *out = g_string_new ("parameter,min,max,first_order_mean_coordination,"
                               "total_order_mean_coordination,first_order_loss,"
                               "total_order_loss\n");

  for (guint i = 0; i < s->n_params; i++)
    {
      add_text (out, cd_param_info (s->ranges[i].param)->path);
      add_number (out, s->ranges[i].min);
      add_number (out, s->ranges[i].max);
      add_number (out, s->first_mean[i]);
      add_number (out, s->total_mean[i]);
      add_number (out, s->first_loss[i]);
      add_number (out, s->total_loss[i]);
      end_row (out);
    }
  return g_string_free (out, FALSE);
}

char *
cd_csv_of_montecarlo (const CdMonteCarlo *mc)
{
  GString *out = g_string_new ("run");
  guint d = mc->ranges->len;

  for (guint i = 0; i < d; i++)
    add_text (out, cd_param_info (g_array_index (mc->ranges, CdRange, i).param)->path);
  g_string_append (out, ",final_mean_coordination,total_loss\n");
  for (guint r = 0; r < mc->n_rows; r++)
    {
      add_uint (out, mc->first_run + r);
      for (guint i = 0; i < d; i++)
        add_number (out, mc->samples[(gsize) r * d + i]);
      add_number (out, mc->outcomes[r].final_mean);
      add_number (out, mc->outcomes[r].total_loss);
      end_row (out);
    }
  return g_string_free (out, FALSE);
}

char *
cd_csv_of_bands (const CdMonteCarlo *mc)
{
  static const char *const names[CD_MC_N_BANDS] = { "q05", "q25", "q50", "q75", "q95" };
  GString *out;

  if (mc->n_times == 0 || mc->band_mean == NULL)
    return NULL;
  out = g_string_new ("t");
  for (guint k = 0; k < 2; k++)
    for (guint b = 0; b < CD_MC_N_BANDS; b++)
      g_string_append_printf (out, ",%s_%s", k == 0 ? "mean_coordination" : "loss", names[b]);
  end_row (out);
  for (guint k = 0; k < mc->n_times; k++)
    {
      add_number (out, mc->t[k]);
      for (guint b = 0; b < CD_MC_N_BANDS; b++)
        add_number (out, mc->band_mean[(gsize) k * CD_MC_N_BANDS + b]);
      for (guint b = 0; b < CD_MC_N_BANDS; b++)
        add_number (out, mc->band_loss[(gsize) k * CD_MC_N_BANDS + b]);
      end_row (out);
    }
  return g_string_free (out, FALSE);
}

char *
cd_csv_of_comparison (const GPtrArray *results)
{
  GString *out = g_string_new ("scenario,final_mean_coordination,peak_mean_coordination,"
                               "time_to_half,total_loss,diff_final_mean_coordination,"
                               "diff_peak_mean_coordination,diff_time_to_half,"
                               "diff_total_loss\n");
  const CdOutcome *base;

  if (results->len == 0)
    return g_string_free (out, FALSE);
  base = &((CdScenarioOutcome *) g_ptr_array_index (results, 0))->outcome;
  for (guint i = 0; i < results->len; i++)
    {
      const CdScenarioOutcome *so = g_ptr_array_index (results, i);
      const CdOutcome *o = &so->outcome;
      add_text (out, so->name);
      add_number (out, o->final_mean);
      add_number (out, o->peak_mean);
      if (o->reached_half)
        add_number (out, o->time_to_half);
      else
        add_empty (out);
      add_number (out, o->total_loss);
      add_number (out, o->final_mean - base->final_mean);
      add_number (out, o->peak_mean - base->peak_mean);
      if (o->reached_half && base->reached_half)
        add_number (out, o->time_to_half - base->time_to_half);
      else
        add_empty (out);
      add_number (out, o->total_loss - base->total_loss);
      end_row (out);
    }
  return g_string_free (out, FALSE);
}

char *
cd_csv_of_metrics (const CdMetrics *m,
                   const CdModel   *model)
{
  GString *out = g_string_new ("id,name,level,degree,superiors,subordinates,betweenness,"
                               "betweenness_normalized,eigenvector,broker,isolated\n");

  for (guint i = 0; i < m->n_nodes && i < model->nodes->len; i++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, i);
      add_text (out, node->id);
      add_text (out, cd_node_display_name (node));
      add_text (out, cd_level_to_string (node->level));
      add_uint (out, m->degree[i]);
      add_uint (out, m->n_superiors[i]);
      add_uint (out, m->n_subordinates[i]);
      add_number (out, m->betweenness[i]);
      add_number (out, m->betweenness_normalized[i]);
      add_number (out, m->eigenvector[i]);
      add_uint (out, m->broker[i] ? 1 : 0);
      add_uint (out, m->isolated[i] ? 1 : 0);
      end_row (out);
    }
  return g_string_free (out, FALSE);
}
