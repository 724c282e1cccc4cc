/* cd-force-view.c — force-field diagram widget (see cd-force-view.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-force-view.h"
#include "cd-render-glue.h"
#include "cd-render-private.h"

struct _CdForceView
{
  GtkWidget  parent_instance;

  CdRun     *run;
  int        node;
  guint      sample;
  GtkWidget *hint;
};

G_DEFINE_FINAL_TYPE (CdForceView, cd_force_view, GTK_TYPE_WIDGET)

static gboolean
has_diagram (CdForceView *self)
{
  return self->run != NULL && self->node >= 0
         && (guint) self->node < cd_system_get_n_nodes (self->run->system);
}

/* What the diagram says first, for a screen reader: which part of the
 * forces weighs most (the diagram is an image to it). */
static void
describe (CdForceView *self)
{
  CdForceBreakdown b;
  g_autofree char *text = NULL;

  if (has_diagram (self)
      && cd_force_breakdown_compute (self->run->system, self->run->trajectory,
                                     (guint) self->node, self->sample, &b))
    text = cd_force_dominance_text (self->run->model, &b);
  if (text != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
update (CdForceView *self)
{
  gtk_widget_set_visible (self->hint, !has_diagram (self));
  describe (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cd_force_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  CdForceView *self = CD_FORCE_VIEW (widget);
  CdRenderStyle style;
  cairo_t *cr;

  if (has_diagram (self))
    {
      cd_widget_render_style (widget, &style);
      cr = cd_widget_begin_cairo (widget, snapshot);
      cd_render_force_field (cr, gtk_widget_get_width (widget), gtk_widget_get_height (widget),
                             self->run->model, self->run->system, self->run->trajectory,
                             (guint) self->node, self->sample, &style);
      cairo_destroy (cr);
    }
  gtk_widget_snapshot_child (widget, self->hint, snapshot);
}

guint
cd_force_view_count_cut (CdForceView *self,
                         int          node)
{
  CdRenderStyle style;

  g_return_val_if_fail (CD_IS_FORCE_VIEW (self), 0);
  if (node < 0)
    node = self->node;
  if (self->run == NULL || node < 0 || (guint) node >= cd_system_get_n_nodes (self->run->system))
    return 0;
  cd_widget_render_style (GTK_WIDGET (self), &style);
  return cd_render_force_field_cut (gtk_widget_get_width (GTK_WIDGET (self)),
                                    gtk_widget_get_height (GTK_WIDGET (self)), self->run->model,
                                    self->run->system, self->run->trajectory, (guint) node,
                                    self->sample, &style, TRUE);
}

static void
cd_force_view_dispose (GObject *object)
{
  CdForceView *self = CD_FORCE_VIEW (object);

  g_clear_pointer (&self->hint, gtk_widget_unparent);
  g_clear_pointer (&self->run, cd_run_unref);
  G_OBJECT_CLASS (cd_force_view_parent_class)->dispose (object);
}

static void
cd_force_view_class_init (CdForceViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cd_force_view_dispose;
  widget_class->snapshot = cd_force_view_snapshot;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cd-force-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cd_force_view_init (CdForceView *self)
{
  self->node = -1;
  self->hint = gtk_label_new (_("Select a government on the network to see the four forces "
                                "acting on it, and which partner and superior weigh most."));
  gtk_label_set_wrap (GTK_LABEL (self->hint), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->hint), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->hint, "dim-label");
  gtk_widget_set_margin_start (self->hint, 24);
  gtk_widget_set_margin_end (self->hint, 24);
  gtk_widget_set_parent (self->hint, GTK_WIDGET (self));
  gtk_widget_set_size_request (GTK_WIDGET (self), -1, 240);
  cd_widget_follow_style (GTK_WIDGET (self));
}

GtkWidget *
cd_force_view_new (void)
{
  return g_object_new (CD_TYPE_FORCE_VIEW, NULL);
}

void
cd_force_view_set_run (CdForceView *self,
                       CdRun       *run)
{
  g_return_if_fail (CD_IS_FORCE_VIEW (self));

  if (run != NULL)
    cd_run_ref (run);
  g_clear_pointer (&self->run, cd_run_unref);
  self->run = run;
  update (self);
}

void
cd_force_view_set_node (CdForceView *self,
                        int          node)
{
  g_return_if_fail (CD_IS_FORCE_VIEW (self));
  self->node = node;
  update (self);
}

void
cd_force_view_set_sample (CdForceView *self,
                          guint        sample)
{
  g_return_if_fail (CD_IS_FORCE_VIEW (self));
  self->sample = sample;
  describe (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
