/* cd-run-bar.c — status, progress and Cancel for a view's background work
 * (see cd-run-bar.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-run-bar.h"

struct _CdRunBar
{
  GtkBox     parent_instance;

  CdWorker  *worker;          /* followed while it runs, or NULL */
  gulong     progress_id;

  /* template children */
  GtkLabel       *status;
  GtkProgressBar *progress;
  GtkButton      *cancel_button;
};

G_DEFINE_FINAL_TYPE (CdRunBar, cd_run_bar, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_STATUS,
  PROP_CANCEL_LABEL,
  PROP_CANCEL_TOOLTIP,
  PROP_CANCEL_ACTION,
  PROP_PROGRESS_WIDTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
forget_worker (CdRunBar *self)
{
  if (self->worker != NULL)
    g_clear_signal_handler (&self->progress_id, self->worker);
  g_clear_object (&self->worker);
}

/* Work that cannot say how far it is pulses. */
static void
on_progress (CdWorker *worker,
             double    fraction,
             CdRunBar *self)
{
  if (fraction < 0)
    gtk_progress_bar_pulse (self->progress);
  else
    gtk_progress_bar_set_fraction (self->progress, fraction);
}

CdRunBar *
cd_run_bar_new (void)
{
  return g_object_new (CD_TYPE_RUN_BAR, NULL);
}

void
cd_run_bar_set_status (CdRunBar   *self,
                       const char *text)
{
  g_return_if_fail (CD_IS_RUN_BAR (self));

  if (g_strcmp0 (gtk_label_get_text (self->status), text ? text : "") == 0)
    return;
  gtk_label_set_text (self->status, text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
cd_run_bar_get_status (CdRunBar *self)
{
  g_return_val_if_fail (CD_IS_RUN_BAR (self), NULL);
  return gtk_label_get_text (self->status);
}

void
cd_run_bar_show_message (CdRunBar   *self,
                         const char *text)
{
  g_return_if_fail (CD_IS_RUN_BAR (self));

  cd_run_bar_set_status (self, text);
  /* The bar is inside the window, so the window's action is found from here. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-message", "s", text);
}

void
cd_run_bar_set_worker (CdRunBar *self,
                       CdWorker *worker)
{
  g_return_if_fail (CD_IS_RUN_BAR (self));
  g_return_if_fail (worker == NULL || CD_IS_WORKER (worker));

  /* A worker replaced before it ended must not move the bar any more. */
  forget_worker (self);
  if (worker != NULL)
    {
      self->worker = g_object_ref (worker);
      self->progress_id = g_signal_connect_object (worker, "progress", G_CALLBACK (on_progress),
                                                   self, 0);
      gtk_progress_bar_set_fraction (self->progress, 0);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->progress), worker != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), worker != NULL);
}

gboolean
cd_run_bar_get_running (CdRunBar *self)
{
  g_return_val_if_fail (CD_IS_RUN_BAR (self), FALSE);
  return self->worker != NULL;
}

static void
cd_run_bar_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CdRunBar *self = CD_RUN_BAR (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_string (value, gtk_label_get_text (self->status));
      break;
    case PROP_CANCEL_LABEL:
      g_value_set_string (value, gtk_button_get_label (self->cancel_button));
      break;
    case PROP_CANCEL_TOOLTIP:
      g_value_set_string (value, gtk_widget_get_tooltip_text (GTK_WIDGET (self->cancel_button)));
      break;
    case PROP_CANCEL_ACTION:
      g_value_set_string (value,
                          gtk_actionable_get_action_name (GTK_ACTIONABLE (self->cancel_button)));
      break;
    case PROP_PROGRESS_WIDTH:
      {
        int width;

        gtk_widget_get_size_request (GTK_WIDGET (self->progress), &width, NULL);
        g_value_set_int (value, width);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_run_bar_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CdRunBar *self = CD_RUN_BAR (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      cd_run_bar_set_status (self, g_value_get_string (value));
      break;
    case PROP_CANCEL_LABEL:
      gtk_button_set_label (self->cancel_button, g_value_get_string (value));
      break;
    case PROP_CANCEL_TOOLTIP:
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button), g_value_get_string (value));
      break;
    case PROP_CANCEL_ACTION:
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->cancel_button),
                                      g_value_get_string (value));
      break;
    case PROP_PROGRESS_WIDTH:
      gtk_widget_set_size_request (GTK_WIDGET (self->progress), g_value_get_int (value), -1);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_run_bar_dispose (GObject *object)
{
  CdRunBar *self = CD_RUN_BAR (object);

  forget_worker (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_RUN_BAR);
  G_OBJECT_CLASS (cd_run_bar_parent_class)->dispose (object);
}

static void
cd_run_bar_class_init (CdRunBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cd_run_bar_get_property;
  object_class->set_property = cd_run_bar_set_property;
  object_class->dispose = cd_run_bar_dispose;

  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* With its mnemonic ("_Cancel"): each view chooses a letter its other buttons do not use. */
  properties[PROP_CANCEL_LABEL] =
    g_param_spec_string ("cancel-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CANCEL_TOOLTIP] =
    g_param_spec_string ("cancel-tooltip", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* The view's action that cancels ("policy.cancel"): it is also the view's API. */
  properties[PROP_CANCEL_ACTION] =
    g_param_spec_string ("cancel-action", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS_WIDTH] =
    g_param_spec_int ("progress-width", NULL, NULL, -1, G_MAXINT, 160,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-run-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CdRunBar, status);
  gtk_widget_class_bind_template_child (widget_class, CdRunBar, progress);
  gtk_widget_class_bind_template_child (widget_class, CdRunBar, cancel_button);
}

static void
cd_run_bar_init (CdRunBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
