/* cd-analysis-csv.c — the analysis results as CSV (see cd-analysis-csv.h).
 *
 * coordyn-cli streams these tables to a file and the app saves them from
 * text; both call the writers here, so the two cannot drift apart
 * (tests/analysis/test-analysis-cli.c and tests/app/test-analysis-view.c
 * check the headers).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-analysis-csv.h"
#include "cd-csv.h"
#include "cd-system-private.h"

/* A table being written: the current row is built at the end of row. */
typedef struct
{
  FILE    *file;
  GString *row;        /* the sink's text itself when there is no file */
  guint    n_cells;    /* in the current row; an empty cell counts too */
} Table;

static void
table_init (Table           *t,
            const CdCsvSink *sink)
{
  g_assert (sink != NULL && (sink->file != NULL) != (sink->text != NULL));
  t->file = sink->file;
  t->row = sink->file != NULL ? g_string_new (NULL) : sink->text;
  t->n_cells = 0;
}

static void
table_finish (Table *t)
{
  if (t->file != NULL)
    g_string_free (t->row, TRUE);
  t->row = NULL;
}

/* Starts a cell: a comma before all but the first, even after an empty one. */
static void
separate (Table *t)
{
  if (t->n_cells++ > 0)
    g_string_append_c (t->row, ',');
}

static void
add_number (Table  *t,
            double  value)
{
  char buf[32];

  separate (t);
  /* NaN or infinity never reaches a file: the analyses do not produce them,
   * and an empty cell is what a spreadsheet reads as "no value". */
  if (isfinite (value))
    {
      if (value == 0.0)
        value = 0.0;   /* "0", never "-0" */
      cd_format_g17 (buf, value);
      g_string_append (t->row, buf);
    }
}

static void
add_text (Table      *t,
          const char *text)
{
  separate (t);
  cd_csv_append_cell (t->row, text);
}

static void
add_uint (Table   *t,
          guint64  value)
{
  separate (t);
  g_string_append_printf (t->row, "%" G_GUINT64_FORMAT, value);
}

/* A cell with no value: the time a run never reached, say. */
static void
add_empty (Table *t)
{
  separate (t);
}

/* Fixed column names, written as they stand: the first names of a row, or
 * more names after a leading comma. */
static void
add_header (Table      *t,
            const char *names)
{
  g_string_append (t->row, names);
  t->n_cells++;
}

static void
end_row (Table *t)
{
  g_string_append_c (t->row, '\n');
  if (t->file != NULL)
    {
      fwrite (t->row->str, 1, t->row->len, t->file);
      g_string_truncate (t->row, 0);
    }
  t->n_cells = 0;
}

void
cd_analysis_csv_equilibria (const CdCsvSink    *sink,
                            const CdEquilibria *eqs)
{
  const CdSystem *sys = eqs->system;
  gboolean replicator = sys->rule == CD_RULE_REPLICATOR;
  Table t;

  table_init (&t, sink);
  add_header (&t, "index,stable,max_real_eigenvalue,mean_coordination");
  for (guint i = 0; i < sys->n_nodes; i++)
    {
      g_autofree char *label = g_strconcat ("x:", sys->node_ids[i], NULL);
      add_text (&t, label);
    }
  for (guint e = 0; e < sys->n_partnerships; e++)
    {
      g_autofree char *label = g_strconcat ("trust:", sys->partnership_labels[e], NULL);
      add_text (&t, label);
    }
  if (replicator)
    add_header (&t, ",corner,evolutionarily_stable");
  end_row (&t);
  for (guint k = 0; k < eqs->equilibria->len; k++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (eqs->equilibria, k);
      add_uint (&t, k);
      add_uint (&t, eq->stable ? 1 : 0);
      add_number (&t, eq->max_real);
      add_number (&t, eq->mean_coordination);
      for (guint i = 0; i < sys->n_nodes + sys->n_partnerships; i++)
        add_number (&t, eq->y[i]);
      if (replicator)
        {
          add_uint (&t, eq->corner ? 1 : 0);
          add_uint (&t, eq->ess ? 1 : 0);
        }
      end_row (&t);
    }
  table_finish (&t);
}

void
cd_analysis_csv_sweep (const CdCsvSink *sink,
                       const CdSweep   *sweep)
{
  Table t;

  table_init (&t, sink);
  add_header (&t, "value,direction,mean_coordination,stable,tipping,branch");
  end_row (&t);
  for (guint i = 0; i < sweep->points->len; i++)
    {
      const CdSweepPoint *p = &g_array_index (sweep->points, CdSweepPoint, i);
      add_number (&t, p->value);
      add_text (&t, cd_sweep_direction_to_string (p->direction));
      add_number (&t, p->mean_coordination);
      add_uint (&t, p->stable ? 1 : 0);
      add_uint (&t, p->tipping ? 1 : 0);
      add_uint (&t, p->branch);
      end_row (&t);
    }
  table_finish (&t);
}

void
cd_analysis_csv_tornado (const CdCsvSink *sink,
                         const CdTornado *tornado)
{
  Table t;

  table_init (&t, sink);
  add_header (&t, "rank,parameter,base,low,high,final_mean_coordination_low,"
                  "final_mean_coordination_high,total_loss_low,total_loss_high,"
                  "swing_mean_coordination,swing_loss,base_final_mean_coordination,"
                  "base_total_loss");
  end_row (&t);
  for (guint i = 0; i < tornado->bars->len; i++)
    {
      const CdTornadoBar *bar = &g_array_index (tornado->bars, CdTornadoBar, i);
      add_uint (&t, i + 1);
      add_text (&t, cd_param_info (bar->param)->path);
      add_number (&t, bar->base);
      add_number (&t, bar->low);
      add_number (&t, bar->high);
      add_number (&t, bar->out_low.final_mean);
      add_number (&t, bar->out_high.final_mean);
      add_number (&t, bar->out_low.total_loss);
      add_number (&t, bar->out_high.total_loss);
      add_number (&t, bar->swing_mean);
      add_number (&t, bar->swing_loss);
      add_number (&t, tornado->base.final_mean);
      add_number (&t, tornado->base.total_loss);
      end_row (&t);
    }
  table_finish (&t);
}

void
cd_analysis_csv_sobol (const CdCsvSink *sink,
                       const CdSobol   *sobol)
{
  Table t;

  table_init (&t, sink);
  add_header (&t, "parameter,min,max,first_order_mean_coordination,"
                  "total_order_mean_coordination,first_order_loss,total_order_loss,"
                  "first_order_mean_coordination_conf,total_order_mean_coordination_conf,"
                  "first_order_loss_conf,total_order_loss_conf");
  end_row (&t);
  for (guint i = 0; i < sobol->n_params; i++)
    {
      add_text (&t, cd_param_info (sobol->ranges[i].param)->path);
      add_number (&t, sobol->ranges[i].min);
      add_number (&t, sobol->ranges[i].max);
      add_number (&t, sobol->first_mean[i]);
      add_number (&t, sobol->total_mean[i]);
      add_number (&t, sobol->first_loss[i]);
      add_number (&t, sobol->total_loss[i]);
      add_number (&t, sobol->first_mean_conf[i]);
      add_number (&t, sobol->total_mean_conf[i]);
      add_number (&t, sobol->first_loss_conf[i]);
      add_number (&t, sobol->total_loss_conf[i]);
      end_row (&t);
    }
  table_finish (&t);
}

void
cd_analysis_csv_montecarlo (const CdCsvSink    *sink,
                            const CdMonteCarlo *mc)
{
  guint d = mc->ranges->len;
  Table t;

  table_init (&t, sink);
  add_header (&t, "run");
  for (guint i = 0; i < d; i++)
    add_text (&t, cd_param_info (g_array_index (mc->ranges, CdRange, i).param)->path);
  add_header (&t, ",final_mean_coordination,total_loss");
  end_row (&t);
  for (guint r = 0; r < mc->n_rows; r++)
    {
      add_uint (&t, mc->first_run + r);
      for (guint i = 0; i < d; i++)
        add_number (&t, mc->samples[(gsize) r * d + i]);
      add_number (&t, mc->outcomes[r].final_mean);
      add_number (&t, mc->outcomes[r].total_loss);
      end_row (&t);
    }
  table_finish (&t);
}

gboolean
cd_analysis_csv_bands (const CdCsvSink    *sink,
                       const CdMonteCarlo *mc)
{
  static const char *const names[CD_MC_N_BANDS] = { "q05", "q25", "q50", "q75", "q95" };
  Table t;

  if (mc->n_times == 0 || mc->band_mean == NULL)
    return FALSE;
  table_init (&t, sink);
  add_header (&t, "t");
  for (guint k = 0; k < 2; k++)
    for (guint b = 0; b < CD_MC_N_BANDS; b++)
      {
        g_autofree char *name = g_strdup_printf ("%s_%s",
                                                 k == 0 ? "mean_coordination" : "loss",
                                                 names[b]);
        add_text (&t, name);
      }
  end_row (&t);
  for (guint k = 0; k < mc->n_times; k++)
    {
      add_number (&t, mc->t[k]);
      for (guint b = 0; b < CD_MC_N_BANDS; b++)
        add_number (&t, mc->band_mean[(gsize) k * CD_MC_N_BANDS + b]);
      for (guint b = 0; b < CD_MC_N_BANDS; b++)
        add_number (&t, mc->band_loss[(gsize) k * CD_MC_N_BANDS + b]);
      end_row (&t);
    }
  table_finish (&t);
  return TRUE;
}

void
cd_analysis_csv_comparison (const CdCsvSink *sink,
                            const GPtrArray *results)
{
  const CdOutcome *base;
  Table t;

  table_init (&t, sink);
  add_header (&t, "scenario,final_mean_coordination,peak_mean_coordination,time_to_half,"
                  "total_loss,diff_final_mean_coordination,diff_peak_mean_coordination,"
                  "diff_time_to_half,diff_total_loss");
  end_row (&t);
  base = results->len > 0
         ? &((CdScenarioOutcome *) g_ptr_array_index (results, 0))->outcome : NULL;
  for (guint i = 0; i < results->len; i++)
    {
      const CdScenarioOutcome *so = g_ptr_array_index (results, i);
      const CdOutcome *o = &so->outcome;
      add_text (&t, so->name);
      add_number (&t, o->final_mean);
      add_number (&t, o->peak_mean);
      if (o->reached_half)
        add_number (&t, o->time_to_half);
      else
        add_empty (&t);
      add_number (&t, o->total_loss);
      add_number (&t, o->final_mean - base->final_mean);
      add_number (&t, o->peak_mean - base->peak_mean);
      if (o->reached_half && base->reached_half)
        add_number (&t, o->time_to_half - base->time_to_half);
      else
        add_empty (&t);
      add_number (&t, o->total_loss - base->total_loss);
      end_row (&t);
    }
  table_finish (&t);
}

void
cd_analysis_csv_experiment_header (const CdCsvSink    *sink,
                                   const CdExperiment *exp)
{
  Table t;

  table_init (&t, sink);
  add_header (&t, exp->has_institutions ? "run,institution,scenario" : "run,scenario");
  for (guint i = 0; i < exp->vary->len; i++)
    add_text (&t, cd_param_info (((CdExperimentVary *) g_ptr_array_index (exp->vary, i))->param)
                    ->path);
  for (guint k = 0; k < exp->outputs->len; k++)
    add_text (&t, cd_experiment_output_name (g_array_index (exp->outputs, CdExperimentOutput, k)));
  end_row (&t);
  table_finish (&t);
}

void
cd_analysis_csv_experiment_rows (const CdCsvSink    *sink,
                                 const CdExperiment *exp,
                                 guint64             first,
                                 guint               n,
                                 const CdOutcome    *outcomes)
{
  g_autofree guint *levels = g_new0 (guint, MAX (exp->vary->len, 1));
  Table t;

  table_init (&t, sink);
  for (guint r = 0; r < n; r++)
    {
      guint scenario;
      int index;

      cd_experiment_levels (exp, first + r, &scenario, levels);
      index = g_array_index (exp->scenarios, int, scenario);
      add_uint (&t, first + r);
      if (exp->has_institutions)
        add_text (&t, cd_experiment_institution_name (exp,
                                                      cd_experiment_institution (exp, first + r)));
      add_text (&t, index < 0 ? "base"
                    : ((CdScenario *) g_ptr_array_index (exp->model->scenarios, index))->name);
      for (guint i = 0; i < exp->vary->len; i++)
        add_number (&t, ((CdExperimentVary *) g_ptr_array_index (exp->vary, i))
                          ->values[levels[i]]);
      for (guint k = 0; k < exp->outputs->len; k++)
        {
          double value;
          if (cd_experiment_output_value (g_array_index (exp->outputs, CdExperimentOutput, k),
                                          &outcomes[r], &value))
            add_number (&t, value);
          else
            add_empty (&t);
        }
      end_row (&t);
    }
  table_finish (&t);
}

void
cd_analysis_csv_metrics (const CdCsvSink *sink,
                         const CdMetrics *metrics,
                         const CdModel   *model)
{
  Table t;

  table_init (&t, sink);
  add_header (&t, "id,name,level,degree,superiors,subordinates,betweenness,"
                  "betweenness_normalized,eigenvector,broker,isolated");
  end_row (&t);
  for (guint i = 0; i < metrics->n_nodes && i < model->nodes->len; i++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, i);
      add_text (&t, node->id);
      add_text (&t, cd_node_display_name (node));
      add_text (&t, cd_level_to_string (node->level));
      add_uint (&t, metrics->degree[i]);
      add_uint (&t, metrics->n_superiors[i]);
      add_uint (&t, metrics->n_subordinates[i]);
      add_number (&t, metrics->betweenness[i]);
      add_number (&t, metrics->betweenness_normalized[i]);
      add_number (&t, metrics->eigenvector[i]);
      add_uint (&t, metrics->broker[i] ? 1 : 0);
      add_uint (&t, metrics->isolated[i] ? 1 : 0);
      end_row (&t);
    }
  table_finish (&t);
}
