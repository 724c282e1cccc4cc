/* cd-param-panel.c — the force parameters (see cd-param-panel.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cd-edits.h"
#include "cd-number-row.h"
#include "cd-param-panel.h"

typedef enum
{
  SIM_T_END,
  SIM_DT,
  SIM_RTOL,
  SIM_ATOL,
  N_SIM
} SimField;

struct _CdParamPanel
{
  AdwBin         parent_instance;

  CdDocument    *document;
  GtkAdjustment *param_adj[CD_N_PARAMS];
  GtkWidget     *reset_button[CD_N_PARAMS];
  GtkWidget     *param_row[CD_N_PARAMS];
  GtkAdjustment *sim_adj[N_SIM];
  GtkWidget     *rule_row;
  gboolean       updating;   /* set while widgets follow the model */
};

G_DEFINE_FINAL_TYPE (CdParamPanel, cd_param_panel, ADW_TYPE_BIN)

static void
sync_from_model (CdParamPanel *self)
{
  const CdModel *model = cd_document_get_model (self->document);
  CdParameters defaults;

  cd_parameters_init_defaults (&defaults);
  self->updating = TRUE;
  for (guint p = 0; p < CD_N_PARAMS; p++)
    {
      double v = model->params.values[p];
      /* A value beyond the slider's soft end widens it rather than being cut. */
      if (v > gtk_adjustment_get_upper (self->param_adj[p]))
        gtk_adjustment_set_upper (self->param_adj[p], v);
      gtk_adjustment_set_value (self->param_adj[p], v);
      gtk_widget_set_sensitive (self->reset_button[p], v != defaults.values[p]);
      /* Exactly the parameters of the model's version, with its meaning. */
      gtk_widget_set_visible (self->param_row[p], cd_param_in_version (p, model->version));
      gtk_widget_set_tooltip_text (self->param_row[p],
                                   _(cd_param_description (p, model->version)));
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->rule_row), model->params.rule);
  gtk_adjustment_set_value (self->sim_adj[SIM_T_END], model->sim.t_end);
  gtk_adjustment_set_value (self->sim_adj[SIM_DT], model->sim.dt);
  gtk_adjustment_set_value (self->sim_adj[SIM_RTOL], log10 (model->sim.rtol));
  gtk_adjustment_set_value (self->sim_adj[SIM_ATOL],
                            model->sim.atol > 0.0 ? log10 (model->sim.atol) : -16.0);
  self->updating = FALSE;
}

static void
on_document_changed (CdDocument   *document,
                     guint         flags,
                     CdParamPanel *self)
{
  sync_from_model (self);
}

static void
on_param_changed (GtkAdjustment *adj,
                  CdParamPanel  *self)
{
  CdParam p = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (adj), "param"));
  double value = gtk_adjustment_get_value (adj);

  if (self->updating || self->document == NULL)
    return;
  /* Rationality and rate must stay > 0: the slider's 0 end means "tiny". */
  if (cd_param_info (p)->bound == CD_BOUND_POSITIVE && value <= 0.0)
    value = 0.01;
  cd_document_set_param (self->document, p, value);
}

static void
on_reset_clicked (GtkButton    *button,
                  CdParamPanel *self)
{
  CdParam p = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "param"));

  if (self->document != NULL)
    {
      cd_document_break_merge (self->document);
      cd_document_set_param (self->document, p, cd_param_info (p)->default_value);
      cd_document_break_merge (self->document);
    }
}

static void
on_reset_all_clicked (GtkButton    *button,
                      CdParamPanel *self)
{
  if (self->document != NULL)
    cd_document_apply (self->document, _("Reset Parameters"), NULL, CD_CHANGE_VALUES,
                       cd_edit_reset_params, NULL, NULL);
}

static void
on_rule_selected (AdwComboRow  *row,
                  GParamSpec   *pspec,
                  CdParamPanel *self)
{
  CdRule rule = (CdRule) adw_combo_row_get_selected (row);

  if (self->updating || self->document == NULL)
    return;
  cd_document_apply (self->document, _("Change Update Rule"), NULL, CD_CHANGE_VALUES,
                     cd_edit_set_rule, &rule, NULL);
}

static void
on_sim_changed (GtkAdjustment *adj,
                CdParamPanel  *self)
{
  CdSetSim set;
  g_autoptr (GError) error = NULL;

  if (self->updating || self->document == NULL)
    return;
  set.sim = cd_document_get_model (self->document)->sim;
  set.sim.t_end = gtk_adjustment_get_value (self->sim_adj[SIM_T_END]);
  set.sim.dt = gtk_adjustment_get_value (self->sim_adj[SIM_DT]);
  set.sim.rtol = pow (10.0, gtk_adjustment_get_value (self->sim_adj[SIM_RTOL]));
  set.sim.atol = pow (10.0, gtk_adjustment_get_value (self->sim_adj[SIM_ATOL]));
  if (!cd_document_apply (self->document, _("Change Simulation Settings"), "sim",
                          CD_CHANGE_VALUES, cd_edit_set_sim, &set, &error))
    sync_from_model (self);   /* refused (e.g. dt > t_end): show the model's values again */
}

static GtkWidget *
group_for (CdGroup group)
{
  static const char *descriptions[CD_N_GROUPS] = {
    N_("Attraction between partners: shared interest and mutual trust"),
    N_("Pressure down the command system and from the crisis itself"),
    N_("Push from information channels and performance appraisal"),
    N_("Fragmentation and uncompensated burden, and the mechanisms that lower them"),
    N_("How governments respond to the net force, and how trust changes"),
  };
  GtkWidget *g = adw_preferences_group_new ();
  g_autofree char *css = g_strdup_printf ("cd-group-%s", cd_group_key (group));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), _(cd_group_label (group)));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g), _(descriptions[group]));
  gtk_widget_add_css_class (g, css);
  return g;
}

static void
cd_param_panel_dispose (GObject *object)
{
  CdParamPanel *self = CD_PARAM_PANEL (object);

  cd_document_unfollow (&self->document, self);
  G_OBJECT_CLASS (cd_param_panel_parent_class)->dispose (object);
}

static void
cd_param_panel_class_init (CdParamPanelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_param_panel_dispose;
}

static void
cd_param_panel_init (CdParamPanel *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *groups[CD_N_GROUPS];
  GtkWidget *sim_group, *reset_all;
  g_autoptr (GtkStringList) rules = NULL;

  for (guint g = 0; g < CD_N_GROUPS; g++)
    {
      groups[g] = group_for (g);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (groups[g]));
    }
  reset_all = gtk_button_new_with_mnemonic (_("_Reset All"));
  gtk_widget_add_css_class (reset_all, "flat");
  gtk_widget_set_valign (reset_all, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (reset_all, _("Set every parameter back to its default"));
  g_signal_connect (reset_all, "clicked", G_CALLBACK (on_reset_all_clicked), self);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (groups[CD_GROUP_GRAVITY]),
                                           reset_all);

  for (guint p = 0; p < CD_N_PARAMS; p++)
    {
      const CdParamInfo *info = cd_param_info (p);
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *reset;
      double upper = info->bound == CD_BOUND_UNIT ? 1.0 : info->soft_max;

      /* Translators: a parameter's symbol and range, e.g. "g_b, ≥ 0, default 1";
       * a no-break space keeps "default" with its value in a narrow panel */
      subtitle = g_strdup_printf (_("%s, %s, default %g"), info->symbol,
                                  cd_param_range_text (p), info->default_value);
      row = cd_number_row_new (_(info->label), subtitle, _(info->description), 0.0, upper,
                               0.01, 2, TRUE, &self->param_adj[p]);
      g_object_set_data (G_OBJECT (self->param_adj[p]), "param", GUINT_TO_POINTER (p));
      g_signal_connect (self->param_adj[p], "value-changed", G_CALLBACK (on_param_changed), self);

      reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
      gtk_widget_add_css_class (reset, "flat");
      gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (reset, _("Reset to default"));
      g_object_set_data (G_OBJECT (reset), "param", GUINT_TO_POINTER (p));
      g_signal_connect (reset, "clicked", G_CALLBACK (on_reset_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), reset);
      self->reset_button[p] = reset;
      self->param_row[p] = row;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (groups[info->group]), row);
    }

  rules = gtk_string_list_new (NULL);
  gtk_string_list_append (rules, _("Logit (smoothed best response)"));
  gtk_string_list_append (rules, _("Replicator (evolutionary game)"));
  self->rule_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->rule_row), _("Update rule"));
  gtk_widget_set_tooltip_text (self->rule_row,
                               _("Logit: governments move toward a smoothed best response to "
                                 "the net force. Replicator: the classic evolutionary-game form, "
                                 "with equilibria at no and full coordination."));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->rule_row), G_LIST_MODEL (rules));
  g_signal_connect (self->rule_row, "notify::selected", G_CALLBACK (on_rule_selected), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (groups[CD_GROUP_DYNAMICS]), self->rule_row);

  sim_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (sim_group), _("Simulation"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (sim_group),
                                         _("How long and how finely the dynamics are integrated"));
  {
    struct {
      SimField f;
      const char *title, *tip;
      double lo, hi, step;
      guint digits;
    } rows[] = {
      { SIM_T_END, N_("End time"), N_("The run covers 0 ≤ t ≤ end time (model time units)"),
        0.1, 100000.0, 1.0, 1 },
      { SIM_DT, N_("Sampling interval"), N_("Time between two samples of the output"),
        0.001, 1000.0, 0.01, 3 },
      { SIM_RTOL, N_("Relative tolerance (log₁₀)"),
        N_("Relative error the integrator allows per step: −8 means 1e-8"), -14.0, -1.0, 1.0, 0 },
      { SIM_ATOL, N_("Absolute tolerance (log₁₀)"),
        N_("Absolute error the integrator allows per step: −10 means 1e-10"), -16.0, -1.0, 1.0, 0 },
    };
    for (guint k = 0; k < G_N_ELEMENTS (rows); k++)
      {
        GtkWidget *row = cd_number_row_new (_(rows[k].title), NULL, _(rows[k].tip), rows[k].lo,
                                            rows[k].hi, rows[k].step, rows[k].digits, FALSE,
                                            &self->sim_adj[rows[k].f]);
        g_signal_connect (self->sim_adj[rows[k].f], "value-changed", G_CALLBACK (on_sim_changed),
                          self);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (sim_group), row);
      }
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (sim_group));

  adw_bin_set_child (ADW_BIN (self), page);
}

GtkWidget *
cd_param_panel_new (void)
{
  return g_object_new (CD_TYPE_PARAM_PANEL, NULL);
}

void
cd_param_panel_set_document (CdParamPanel *self,
                             CdDocument   *document)
{
  g_return_if_fail (CD_IS_PARAM_PANEL (self));

  cd_document_follow (&self->document, document, self, G_CALLBACK (on_document_changed));
  if (document != NULL)
    sync_from_model (self);
}
