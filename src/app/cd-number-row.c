/* cd-number-row.c — slider + entry row (see cd-number-row.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-number-row.h"

/* The entry, after anything row holds already. */
static void
add_spin (GtkWidget     *row,
          GtkAdjustment *adj,
          double         step,
          guint          digits,
          const char    *title)
{
  GtkWidget *spin = gtk_spin_button_new (adj, step, digits);

  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
}

static GtkAdjustment *
new_adjustment (double lower,
                double upper,
                double step)
{
  return gtk_adjustment_new (lower, lower, upper, step, step * 10.0, 0.0);
}

GtkWidget *
cd_number_row_new (const char     *title,
                   const char     *subtitle,
                   const char     *tooltip,
                   double          lower,
                   double          upper,
                   double          step,
                   guint           digits,
                   gboolean        with_scale,
                   GtkAdjustment **out_adjustment)
{
  GtkWidget *row = adw_action_row_new ();
  GtkAdjustment *adj = new_adjustment (lower, upper, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (row, tooltip);
  if (with_scale)
    {
      GtkWidget *scale = gtk_scale_new (GTK_ORIENTATION_HORIZONTAL, adj);
      gtk_scale_set_draw_value (GTK_SCALE (scale), FALSE);
      gtk_widget_set_size_request (scale, 110, -1);
      gtk_widget_set_valign (scale, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (scale), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      title, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), scale);
    }
  add_spin (row, adj, step, digits, title);
  *out_adjustment = adj;
  return row;
}

GtkAdjustment *
cd_number_row_add_entry (GtkWidget *row,
                         double     lower,
                         double     upper,
                         double     step,
                         guint      digits)
{
  GtkAdjustment *adj;

  g_return_val_if_fail (ADW_IS_ACTION_ROW (row), NULL);
  adj = new_adjustment (lower, upper, step);
  add_spin (row, adj, step, digits, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return adj;
}

GtkAdjustment *
cd_number_row_add_time_entry (GtkWidget *row)
{
  return cd_number_row_add_entry (row, 0.0, 1e6, 0.1, 2);
}

GtkWidget *
cd_number_row_add_remove_button (GtkWidget  *row,
                                 const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return button;
}
