/* cd-chart-view.c — a chart widget over a render callback (see cd-chart-view.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-chart-view.h"
#include "cd-render-glue.h"

/* Exported figures are at least this big in logical units, so a chart
 * exported from a small pane is still legible on a slide. */
#define MIN_EXPORT_WIDTH  900
#define MIN_EXPORT_HEIGHT 560

struct _CdChartView
{
  GtkWidget             parent_instance;

  CdChartDrawFunc       draw;
  gpointer              draw_data;
  GDestroyNotify        draw_destroy;
  gboolean              ready;
  guint                 n_draws;
  char                 *stem;
  GtkWidget            *placeholder;
  GtkWidget            *export_button;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (CdChartView, cd_chart_view, GTK_TYPE_WIDGET)

static void
cd_chart_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  CdChartView *self = CD_CHART_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (self->ready && self->draw != NULL && width > 0 && height > 0)
    {
      CdRenderStyle style;
      cairo_t *cr;

      cd_widget_render_style (widget, &style);
      /* The export button sits over the top right corner: the title ends
       * short of it (and wraps if it must) rather than run underneath. */
      if (gtk_widget_get_visible (self->export_button))
        {
          graphene_rect_t bounds;

          if (gtk_widget_compute_bounds (self->export_button, widget, &bounds))
            style.title_end_inset = width - bounds.origin.x + 6;
        }
      cr = cd_widget_begin_cairo (widget, snapshot);
      self->draw (cr, width, height, &style, self->draw_data);
      cairo_destroy (cr);
      self->n_draws++;
    }
  gtk_widget_snapshot_child (widget, self->placeholder, snapshot);
  gtk_widget_snapshot_child (widget, self->export_button, snapshot);
}

typedef struct
{
  CdChartView *self;
  CdRenderStyle style;
} ExportData;

static void
export_draw (cairo_t  *cr,
             int       width,
             int       height,
             gpointer  user_data)
{
  ExportData *data = user_data;

  data->self->draw (cr, width, height, &data->style, data->self->draw_data);
}

gboolean
cd_chart_view_export_sized (CdChartView   *self,
                            const char    *path,
                            int            width,
                            int            height,
                            double         scale,
                            CdStylePreset  style,
                            GError       **error)
{
  CdExportFormat format;
  ExportData data;

  g_return_val_if_fail (CD_IS_CHART_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!self->ready || self->draw == NULL)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("There is no chart to export yet: run the analysis first"));
      return FALSE;
    }
  if (!cd_export_format_from_path (path, &format))
    {
      g_autofree char *base = g_path_get_basename (path);
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   /* Translators: %s is a file name */
                   _("%s: unknown format; end the name with .png, .svg or .pdf"), base);
      return FALSE;
    }
  data.self = self;
  cd_render_style_init (&data.style, style);
  return cd_export_to_file (format, path, width, height, scale, export_draw, &data, NULL, error);
}

gboolean
cd_chart_view_export_to_file (CdChartView *self,
                              const char  *path,
                              GError     **error)
{
  g_return_val_if_fail (CD_IS_CHART_VIEW (self), FALSE);

  return cd_chart_view_export_sized (self, path,
                                     MAX (gtk_widget_get_width (GTK_WIDGET (self)),
                                          MIN_EXPORT_WIDTH),
                                     MAX (gtk_widget_get_height (GTK_WIDGET (self)),
                                          MIN_EXPORT_HEIGHT),
                                     2.0, CD_STYLE_NORMAL, error);
}

static void
show_message (CdChartView *self,
              const char  *message)
{
  /* The window shows it as a toast; outside a window there is no one to
   * tell, and the caller of export_to_file gets the GError instead. */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-message", "s", message);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    CdChartView     *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  CdExportFormat format;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  path = file ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      show_message (self, _("Charts can only be exported to a local file"));
      return;
    }
  if (!cd_export_format_from_path (path, &format))
    {
      /* No extension typed: take the one of the chosen filter. */
      GtkFileFilter *filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (dialog));
      const char *ext = filter ? g_object_get_data (G_OBJECT (filter), "cd-ext") : NULL;
      char *with_ext = g_strconcat (path, ext ? ext : ".png", NULL);
      g_free (path);
      path = with_ext;
    }
  if (cd_chart_view_export_to_file (self, path, &error))
    {
      g_autofree char *base = g_path_get_basename (path);
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Chart saved as %s"), base);
      show_message (self, text);
    }
  else
    show_message (self, error->message);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *mime,
            const char     *ext)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *pattern = g_strconcat ("*", ext, NULL);

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_mime_type (filter, mime);
  gtk_file_filter_add_pattern (filter, pattern);
  g_object_set_data (G_OBJECT (filter), "cd-ext", (gpointer) ext);
  gtk_file_chooser_add_filter (chooser, filter);
}

void
cd_chart_view_export (CdChartView *self)
{
  GtkRoot *root;
  g_autofree char *name = NULL;

  g_return_if_fail (CD_IS_CHART_VIEW (self));
  if (!self->ready)
    {
      show_message (self, _("There is no chart to export yet: run the analysis first"));
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Export Chart"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("PNG image"), "image/png", ".png");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("SVG drawing"), "image/svg+xml", ".svg");
  add_filter (GTK_FILE_CHOOSER (self->chooser), _("PDF document"), "application/pdf", ".pdf");
  name = g_strdup_printf ("%s.png", self->stem ? self->stem : "chart");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_export_clicked (GtkButton   *button,
                   CdChartView *self)
{
  cd_chart_view_export (self);
}

static void
update_children (CdChartView *self)
{
  gtk_widget_set_visible (self->placeholder, !self->ready);
  gtk_widget_set_visible (self->export_button, self->ready);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_chart_view_set_draw_func (CdChartView     *self,
                             CdChartDrawFunc  draw,
                             gpointer         user_data,
                             GDestroyNotify   destroy)
{
  g_return_if_fail (CD_IS_CHART_VIEW (self));
  if (self->draw_destroy != NULL)
    self->draw_destroy (self->draw_data);
  self->draw = draw;
  self->draw_data = user_data;
  self->draw_destroy = destroy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cd_chart_view_set_ready (CdChartView *self,
                         gboolean     ready)
{
  g_return_if_fail (CD_IS_CHART_VIEW (self));
  self->ready = !!ready;
  update_children (self);
}

gboolean
cd_chart_view_get_ready (CdChartView *self)
{
  g_return_val_if_fail (CD_IS_CHART_VIEW (self), FALSE);
  return self->ready;
}

void
cd_chart_view_set_placeholder (CdChartView *self,
                               const char  *text)
{
  g_return_if_fail (CD_IS_CHART_VIEW (self));
  gtk_label_set_text (GTK_LABEL (self->placeholder), text);
}

void
cd_chart_view_set_file_stem (CdChartView *self,
                             const char  *stem)
{
  g_return_if_fail (CD_IS_CHART_VIEW (self));
  g_free (self->stem);
  self->stem = g_strdup (stem);
}

guint
cd_chart_view_get_n_draws (CdChartView *self)
{
  g_return_val_if_fail (CD_IS_CHART_VIEW (self), 0);
  return self->n_draws;
}

GtkWidget *
cd_chart_view_new (void)
{
  return g_object_new (CD_TYPE_CHART_VIEW, NULL);
}

static void
cd_chart_view_dispose (GObject *object)
{
  CdChartView *self = CD_CHART_VIEW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->placeholder, gtk_widget_unparent);
  g_clear_pointer (&self->export_button, gtk_widget_unparent);
  if (self->draw_destroy != NULL)
    self->draw_destroy (self->draw_data);
  self->draw = NULL;
  self->draw_destroy = NULL;
  self->draw_data = NULL;
  G_OBJECT_CLASS (cd_chart_view_parent_class)->dispose (object);
}

static void
cd_chart_view_finalize (GObject *object)
{
  CdChartView *self = CD_CHART_VIEW (object);

  g_free (self->stem);
  G_OBJECT_CLASS (cd_chart_view_parent_class)->finalize (object);
}

static void
cd_chart_view_class_init (CdChartViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_chart_view_dispose;
  object_class->finalize = cd_chart_view_finalize;
  widget_class->snapshot = cd_chart_view_snapshot;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cd-chart-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cd_chart_view_init (CdChartView *self)
{
  self->placeholder = gtk_label_new (_("Run the analysis to see its chart."));
  gtk_label_set_wrap (GTK_LABEL (self->placeholder), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->placeholder), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->placeholder, "dim-label");
  gtk_widget_set_margin_start (self->placeholder, 24);
  gtk_widget_set_margin_end (self->placeholder, 24);
  gtk_widget_set_parent (self->placeholder, GTK_WIDGET (self));

  self->export_button = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  gtk_widget_set_tooltip_text (self->export_button,
                               _("Export this chart as a PNG image, an SVG drawing or a PDF"));
  gtk_widget_add_css_class (self->export_button, "flat");
  gtk_widget_add_css_class (self->export_button, "circular");
  gtk_widget_set_halign (self->export_button, GTK_ALIGN_END);
  gtk_widget_set_valign (self->export_button, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->export_button, 4);
  gtk_widget_set_margin_end (self->export_button, 4);
  gtk_widget_set_parent (self->export_button, GTK_WIDGET (self));
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);

  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self), 240, 180);
  cd_widget_follow_style (GTK_WIDGET (self));
  update_children (self);
}
