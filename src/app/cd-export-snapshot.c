/* cd-export-snapshot.c — what the Model page shows, for exporting it (see
 * cd-export-snapshot.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cd-export-snapshot.h"

/* The copy of run's model with the document's positions, or NULL with the
 * reason the run cannot be exported.  Anything but the positions that
 * differs from the document means the results are not of the model on
 * screen. */
static CdModel *
exportable_model (const CdModel  *document,
                  CdRun          *run,
                  gboolean        running_or_outdated,
                  GError        **error)
{
  g_autoptr (CdModel) copy = NULL;

  if (run == NULL || run->trajectory->n_samples == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("There are no results yet: run the simulation (Ctrl+R) first"));
      return NULL;
    }
  if (running_or_outdated)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The results are out of date: wait for the run to finish, or run "
                             "the simulation again (Ctrl+R)"));
      return NULL;
    }
  copy = cd_model_copy (run->model);
  if (copy->nodes->len == document->nodes->len)
    for (guint i = 0; i < document->nodes->len; i++)
      {
        CdNode *mine = g_ptr_array_index (copy->nodes, i);
        const CdNode *theirs = g_ptr_array_index (document->nodes, i);
        if (strcmp (mine->id, theirs->id) == 0)
          {
            mine->has_pos = theirs->has_pos;
            mine->pos[0] = theirs->pos[0];
            mine->pos[1] = theirs->pos[1];
          }
      }
  if (!cd_model_equal (copy, document))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The model has changed since the last run: run the simulation "
                             "again (Ctrl+R), then export"));
      return NULL;
    }
  return g_steal_pointer (&copy);
}

CdExportSnapshot *
cd_export_snapshot_new (const CdModel *document,
                        CdRun         *run,
                        gboolean       running_or_outdated)
{
  CdExportSnapshot *self;

  g_return_val_if_fail (document != NULL, NULL);

  self = g_new0 (CdExportSnapshot, 1);
  self->run = run != NULL ? cd_run_ref (run) : NULL;
  self->model = exportable_model (document, run, running_or_outdated, &self->problem);
  self->series = CD_TIMESERIES_MEAN_AND_LOSS;
  self->show_glyphs = TRUE;
  self->nodes = g_array_new (FALSE, FALSE, sizeof (guint));
  self->partnerships = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint v = 0; v < CD_N_FIGURE_VIEWS; v++)
    cd_export_snapshot_set_size (self, (CdFigureView) v, 0, 0);
  self->title = g_strdup ("");
  return self;
}

void
cd_export_snapshot_free (CdExportSnapshot *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->run, cd_run_unref);
  g_clear_pointer (&self->model, cd_model_free);
  g_clear_error (&self->problem);
  g_clear_pointer (&self->nodes, g_array_unref);
  g_clear_pointer (&self->partnerships, g_array_unref);
  g_free (self->title);
  g_free (self);
}

void
cd_export_snapshot_set_size (CdExportSnapshot *self,
                             CdFigureView      view,
                             int               width,
                             int               height)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail ((guint) view < CD_N_FIGURE_VIEWS);

  if (width < 1 || height < 1)
    {
      width = 1200;
      height = 800;
    }
  self->width[view] = width;
  self->height[view] = height;
}

void
cd_export_snapshot_fill_spec (const CdExportSnapshot *self,
                              CdFigureView            view,
                              CdFigureSpec           *spec)
{
  g_return_if_fail (self != NULL && spec != NULL);
  g_return_if_fail ((guint) view < CD_N_FIGURE_VIEWS);

  cd_figure_spec_init (spec);
  spec->view = view;
  spec->time = MAX (self->time, 0.0);
  if (self->run != NULL)
    spec->time = MIN (spec->time, self->run->model->sim.t_end);
  spec->series = self->series;
  spec->show_glyphs = self->show_glyphs;
  spec->show_flows = self->show_flows;
  spec->nodes = (const guint *) (gpointer) self->nodes->data;
  spec->n_nodes = self->nodes->len;
  spec->partnerships = (const guint *) (gpointer) self->partnerships->data;
  spec->n_partnerships = self->partnerships->len;
  spec->width = self->width[view];
  spec->height = self->height[view];
}

char *
cd_export_snapshot_file_name (const CdExportSnapshot *self,
                              const char             *what,
                              const char             *extension)
{
  g_autofree char *title = NULL;

  g_return_val_if_fail (self != NULL && extension != NULL, NULL);

  title = g_strdup (self->title);
  g_strdelimit (title, "/\\:*?\"<>|", '-');
  return what != NULL ? g_strdup_printf ("%s-%s.%s", title, what, extension)
                      : g_strdup_printf ("%s.%s", title, extension);
}
