/* cd-export-dialog.c — exporting the Model page's figures and the run's
 * table (see cd-export-dialog.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cd-csv.h"
#include "cd-export-dialog.h"
#include "cd-settings.h"

/* ---- The run to export -------------------------------------------------- */

/* The run on screen and a copy of its model with the document's node
 * positions — moving a government does not re-run, and the figure must
 * show the network where the canvas shows it.  Anything else that differs
 * from the document means the results are not of the model on screen. */
static gboolean
current_results (CdWindow  *win,
                 CdRun    **out_run,
                 CdModel  **out_model,
                 GError   **error)
{
  CdRunner *runner = cd_window_get_runner (win);
  CdRun *run = cd_runner_get_run (runner);
  const CdModel *doc = cd_document_get_model (cd_window_get_document (win));
  g_autoptr (CdModel) copy = NULL;

  if (run == NULL || run->trajectory->n_samples == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("There are no results yet: run the simulation (Ctrl+R) first"));
      return FALSE;
    }
  if (cd_runner_get_running (runner) || cd_runner_get_outdated (runner))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The results are out of date: wait for the run to finish, or run "
                             "the simulation again (Ctrl+R)"));
      return FALSE;
    }
  copy = cd_model_copy (run->model);
  if (copy->nodes->len == doc->nodes->len)
    for (guint i = 0; i < doc->nodes->len; i++)
      {
        CdNode *mine = g_ptr_array_index (copy->nodes, i);
        const CdNode *theirs = g_ptr_array_index (doc->nodes, i);
        if (strcmp (mine->id, theirs->id) == 0)
          {
            mine->has_pos = theirs->has_pos;
            mine->pos[0] = theirs->pos[0];
            mine->pos[1] = theirs->pos[1];
          }
      }
  if (!cd_model_equal (copy, doc))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The model has changed since the last run: run the simulation "
                             "again (Ctrl+R), then export"));
      return FALSE;
    }
  *out_run = run;
  *out_model = g_steal_pointer (&copy);
  return TRUE;
}

/* The partnership index (among partnerships, file order) of edge e, or −1. */
static int
partnership_index (const CdModel *model,
                   guint          e)
{
  int p = 0;

  if (e >= model->edges->len
      || ((CdEdge *) g_ptr_array_index (model->edges, e))->kind != CD_EDGE_PARTNERSHIP)
    return -1;
  for (guint k = 0; k < e; k++)
    p += ((CdEdge *) g_ptr_array_index (model->edges, k))->kind == CD_EDGE_PARTNERSHIP;
  return p;
}

static void
widget_size (GtkWidget *widget,
             int       *width,
             int       *height)
{
  *width = widget != NULL ? gtk_widget_get_width (widget) : 0;
  *height = widget != NULL ? gtk_widget_get_height (widget) : 0;
  /* Not yet laid out (or hidden): the command line's default size. */
  if (*width < 1 || *height < 1)
    {
      *width = 1200;
      *height = 800;
    }
}

void
cd_export_dialog_fill_spec (CdWindow      *win,
                            CdFigureView   view,
                            CdFigureSpec  *spec,
                            guint        **storage)
{
  const CdModel *doc;
  CdRun *run;
  g_autoptr (GArray) nodes = NULL;
  g_autoptr (GArray) edges = NULL;
  g_autoptr (GArray) out = g_array_new (FALSE, FALSE, sizeof (guint));
  CdSettings *settings = cd_settings_get_default ();
  guint n_nodes, n_all;
  GtkWidget *widget;

  g_return_if_fail (CD_IS_WINDOW (win));
  g_return_if_fail (spec != NULL && storage != NULL);

  doc = cd_document_get_model (cd_window_get_document (win));
  run = cd_runner_get_run (cd_window_get_runner (win));
  cd_figure_spec_init (spec);
  spec->view = view;
  spec->time = MAX (cd_window_get_cursor_time (win), 0.0);
  if (run != NULL)
    spec->time = MIN (spec->time, run->model->sim.t_end);
  spec->series = cd_window_get_series_kind (win);
  spec->show_glyphs = cd_settings_get_show_force_glyphs (settings);
  spec->show_flows = cd_settings_get_show_flow_arrows (settings);

  /* The views draw the run, whose model may lag the document: translate the
   * selection by id, as the window does for its own views. */
  nodes = cd_canvas_get_selected_nodes (cd_window_get_canvas (win));
  edges = cd_canvas_get_selected_edges (cd_window_get_canvas (win));
  for (guint k = 0; run != NULL && k < nodes->len; k++)
    {
      const CdNode *n = g_ptr_array_index (doc->nodes, g_array_index (nodes, guint, k));
      int i = cd_model_find_node (run->model, n->id);
      if (i >= 0)
        {
          guint u = (guint) i;
          g_array_append_val (out, u);
        }
    }
  n_nodes = out->len;
  for (guint k = 0; run != NULL && k < edges->len; k++)
    {
      const CdEdge *e = g_ptr_array_index (doc->edges, g_array_index (edges, guint, k));
      int i = cd_model_find_edge (run->model, e->kind, e->source, e->target);
      int p = i >= 0 ? partnership_index (run->model, (guint) i) : -1;
      if (p >= 0)
        {
          guint u = (guint) p;
          g_array_append_val (out, u);
        }
    }

  switch (view)
    {
    case CD_FIGURE_NETWORK:
      widget = GTK_WIDGET (cd_window_get_canvas (win));
      break;
    case CD_FIGURE_FORCES:
      widget = cd_window_get_force_view (win);
      break;
    case CD_FIGURE_TIMESERIES:
    default:
      widget = GTK_WIDGET (cd_window_get_timeseries (win));
      break;
    }
  widget_size (widget, &spec->width, &spec->height);

  n_all = out->len;
  *storage = (guint *) (gpointer) g_array_free (g_steal_pointer (&out), FALSE);
  spec->nodes = *storage;
  spec->n_nodes = n_nodes;
  spec->partnerships = *storage + n_nodes;
  spec->n_partnerships = n_all - n_nodes;
}

static void
remember_folder (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) parent = g_file_get_parent (file);
  g_autofree char *uri = NULL;

  if (parent == NULL)
    return;
  uri = g_file_get_uri (parent);
  cd_settings_set_last_export_dir (cd_settings_get_default (), uri);
}

/* ---- Export jobs -------------------------------------------------------- */

/* Everything an export needs, taken on the main thread when it starts, so a
 * worker can write it while the user goes on editing: the run is immutable
 * and held by reference (the runner may replace it meanwhile), the model is
 * our own copy and the spec's index arrays are copied too. */
typedef struct
{
  gboolean        csv;
  CdRun          *run;
  CdModel        *model;
  CdFigureSpec    spec;
  guint          *indices;     /* spec.nodes then spec.partnerships */
  CdExportFormat  format;
  char           *path;
  char           *tmp;         /* the temporary file beside path, while it exists */
  int             fd;          /* open on tmp until the CSV is written, else −1 */
  gint            rows_done;   /* atomic: CSV rows written, for progress */
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  /* Not committed (failed, cancelled or never finished): no half file left. */
  if (job->fd >= 0)
    close (job->fd);
  if (job->tmp != NULL)
    g_unlink (job->tmp);
  g_free (job->tmp);
  g_free (job->path);
  g_free (job->indices);
  g_clear_pointer (&job->model, cd_model_free);
  g_clear_pointer (&job->run, cd_run_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static ExportJob *
export_job_alloc (void)
{
  ExportJob *job = g_new0 (ExportJob, 1);

  job->fd = -1;
  return job;
}

/* Creates the temporary file beside the target (so the final rename stays
 * on one file system) when the export starts, on the calling thread: from
 * then until the job is freed or committed it exists, and no longer. */
static gboolean
export_job_open_tmp (ExportJob  *job,
                     GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autofree char *base = g_path_get_basename (job->path);
  int saved;

  job->tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  job->fd = g_mkstemp_full (job->tmp, O_WRONLY, 0666);
  if (job->fd < 0)
    {
      saved = errno;
      g_clear_pointer (&job->tmp, g_free);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write in %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static ExportJob *
export_job_new_figure (CdWindow           *win,
                       const CdFigureSpec *spec,
                       CdExportFormat      format,
                       const char         *path,
                       GError            **error)
{
  g_autoptr (ExportJob) job = export_job_alloc ();
  g_autoptr (CdModel) model = NULL;
  guint n = spec->n_nodes + spec->n_partnerships;
  CdRun *run;

  if (!current_results (win, &run, &model, error)
      || !cd_figure_check (model, run->trajectory, spec, error))
    return NULL;
  job->run = cd_run_ref (run);
  job->model = g_steal_pointer (&model);
  job->spec = *spec;
  job->indices = g_new0 (guint, MAX (n, 1));
  if (spec->n_nodes > 0)
    memcpy (job->indices, spec->nodes, spec->n_nodes * sizeof (guint));
  if (spec->n_partnerships > 0)
    memcpy (job->indices + spec->n_nodes, spec->partnerships,
            spec->n_partnerships * sizeof (guint));
  job->spec.nodes = job->indices;
  job->spec.partnerships = job->indices + spec->n_nodes;
  job->format = format;
  job->path = g_strdup (path);
  if (!export_job_open_tmp (job, error))
    return NULL;
  /* cd_figure_export writes over it atomically itself. */
  close (job->fd);
  job->fd = -1;
  return g_steal_pointer (&job);
}

static ExportJob *
export_job_new_csv (CdWindow    *win,
                    const char  *path,
                    GError     **error)
{
  g_autoptr (ExportJob) job = export_job_alloc ();
  g_autoptr (CdModel) model = NULL;
  CdRun *run;

  if (!current_results (win, &run, &model, error))
    return NULL;
  if (run->trajectory->gravity == NULL || run->trajectory->trust == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("These results have no forces or trust: run the simulation again"));
      return NULL;
    }
  job->csv = TRUE;
  job->run = cd_run_ref (run);
  job->model = g_steal_pointer (&model);
  job->path = g_strdup (path);
  if (!export_job_open_tmp (job, error))
    return NULL;
  return g_steal_pointer (&job);
}

static gboolean
write_csv (FILE               *out,
           ExportJob          *job,
           GCancellable       *cancellable,
           GError            **error)
{
  const CdTrajectory *traj = job->run->trajectory;
  g_autoptr (CdCsvWriter) writer = cd_csv_writer_new (out, job->run->system, TRUE, TRUE);
  gsize n = traj->n_nodes;

  if (!cd_csv_write_header (writer, error))
    return FALSE;
  for (guint s = 0; s < traj->n_samples; s++)
    {
      CdForces forces = {
        traj->gravity + s * n, traj->pressure + s * n,
        traj->thrust + s * n, traj->resistance + s * n,
      };
      CdSample sample = {
        .index = s,
        .t = traj->t[s],
        .mean_coordination = traj->mean_coordination[s],
        .loss = traj->loss[s],
        .x = traj->x + s * n,
        .trust = traj->trust + (gsize) s * traj->n_partnerships,
        .forces = &forces,
      };
      /* A row of the national model is a few hundred kilobytes: checking
       * between rows stops a cancelled export at once. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !cd_csv_write_sample (&sample, writer, error))
        return FALSE;
      g_atomic_int_set (&job->rows_done, (gint) s + 1);
    }
  return TRUE;
}

static gboolean
export_job_write_csv (ExportJob     *job,
                      GCancellable  *cancellable,
                      GError       **error)
{
  FILE *out;
  int saved;
  gboolean ok;

  out = fdopen (job->fd, "w");
  if (out == NULL)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), job->path, g_strerror (saved));
      return FALSE;
    }
  job->fd = -1;   /* out's now */
  /* A buffer suited to rows of thousands of cells. */
  setvbuf (out, NULL, _IOFBF, 1 << 20);
  ok = write_csv (out, job, cancellable, error);
  if (ok && (fflush (out) != 0 || fsync (fileno (out)) != 0))
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), job->path, g_strerror (saved));
      ok = FALSE;
    }
  if (fclose (out) != 0 && ok)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), job->path, g_strerror (saved));
      ok = FALSE;
    }
  return ok;
}

/* Writes the whole file to job->tmp; any thread.  The temporary file is
 * removed with the job unless export_job_commit renames it. */
static gboolean
export_job_write (ExportJob     *job,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr (GTimer) timer = g_timer_new ();
  gboolean ok;

  if (job->csv)
    ok = export_job_write_csv (job, cancellable, error);
  else
    {
      /* cd_figure_export writes atomically over our temporary file.  The
       * drawing cannot be interrupted, but a PNG's encoding (three quarters
       * of a large one's time) stops at a cancel. */
      ok = !g_cancellable_set_error_if_cancelled (cancellable, error)
           && cd_figure_export (job->model, job->run->system, job->run->trajectory, &job->spec,
                                job->format, job->tmp, cancellable, error);
    }
  /* The user chose job->path; the hidden temporary file means nothing to
   * them (cd_figure_export names the file it was given). */
  if (!ok && error != NULL && *error != NULL && job->tmp != NULL
      && strstr ((*error)->message, job->tmp) != NULL)
    {
      GString *message = g_string_new ((*error)->message);

      g_string_replace (message, job->tmp, job->path, 0);
      g_free ((*error)->message);
      (*error)->message = g_string_free (message, FALSE);
    }
  g_debug ("export of %s: %s in %.3f s", job->path, ok ? "written" : "not written",
           g_timer_elapsed (timer, NULL));
  return ok;
}

/* Puts the finished file in place; main thread. */
static gboolean
export_job_commit (ExportJob  *job,
                   GError    **error)
{
  int saved;

  g_return_val_if_fail (job->tmp != NULL, FALSE);
  if (g_rename (job->tmp, job->path) != 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not replace %s: %s"), job->path, g_strerror (saved));
      return FALSE;
    }
  g_clear_pointer (&job->tmp, g_free);
  remember_folder (job->path);
  return TRUE;
}

static gboolean
export_job_run (ExportJob  *job,
                GError    **error)
{
  return job != NULL && export_job_write (job, NULL, error) && export_job_commit (job, error);
}

gboolean
cd_export_dialog_export_to (CdWindow           *win,
                            const CdFigureSpec *spec,
                            CdExportFormat      format,
                            const char         *path,
                            GError            **error)
{
  g_autoptr (ExportJob) job = NULL;

  g_return_val_if_fail (CD_IS_WINDOW (win), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  job = export_job_new_figure (win, spec, format, path, error);
  return export_job_run (job, error);
}

gboolean
cd_export_dialog_export_csv_to (CdWindow    *win,
                                const char  *path,
                                GError     **error)
{
  g_autoptr (ExportJob) job = NULL;

  g_return_val_if_fail (CD_IS_WINDOW (win), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  job = export_job_new_csv (win, path, error);
  return export_job_run (job, error);
}

/* ---- Off the main thread ------------------------------------------------ */

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (export_job_write (data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The caller's callback, and the application held until it has run. */
typedef struct
{
  GAsyncReadyCallback  callback;
  gpointer             user_data;
  GApplication        *app;
} JobDone;

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  JobDone *done = data;

  done->callback (source, result, done->user_data);
  if (done->app != NULL)
    {
      g_application_release (done->app);
      g_object_unref (done->app);
    }
  g_free (done);
}

/* Starts job (or reports error if it could not be made) in a worker thread.
 * No source object: the window may go while the worker runs.  The
 * application is held until the job has finished and its temporary file
 * has been renamed into place or removed: closing the last window (or
 * Ctrl+Q, which closes them all) mid-export would otherwise end the
 * process under the worker and leave a hidden half-written file behind. */
static GTask *
export_job_start (ExportJob           *job,
                  GError              *error,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  JobDone *done = g_new0 (JobDone, 1);
  GTask *task;

  done->callback = callback;
  done->user_data = user_data;
  done->app = g_application_get_default ();
  if (done->app != NULL)
    {
      g_object_ref (done->app);
      g_application_hold (done->app);
    }
  task = g_task_new (NULL, cancellable, on_job_done, done);

  g_task_set_source_tag (task, export_job_start);
  if (job == NULL)
    {
      g_task_return_error (task, error);
      return task;
    }
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
  return task;
}

void
cd_export_dialog_export_async (CdWindow            *win,
                               const CdFigureSpec  *spec,
                               CdExportFormat       format,
                               const char          *path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GError *error = NULL;
  ExportJob *job;

  g_return_if_fail (CD_IS_WINDOW (win));
  g_return_if_fail (spec != NULL && path != NULL);

  job = export_job_new_figure (win, spec, format, path, &error);
  g_object_unref (export_job_start (job, error, cancellable, callback, user_data));
}

void
cd_export_dialog_export_csv_async (CdWindow            *win,
                                   const char          *path,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GError *error = NULL;
  ExportJob *job;

  g_return_if_fail (CD_IS_WINDOW (win));
  g_return_if_fail (path != NULL);

  job = export_job_new_csv (win, path, &error);
  g_object_unref (export_job_start (job, error, cancellable, callback, user_data));
}

gboolean
cd_export_dialog_export_finish (GAsyncResult  *result,
                                GError       **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (task) == export_job_start, FALSE);

  /* Cancelled before now (GTask checks the cancellable here too), the file
   * is never renamed into place: the rename happens on this thread, so a
   * cancel can never race it. */
  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  return export_job_commit (g_task_get_task_data (task), error);
}

/* The job's file, for messages. */
static const char *
export_job_path (GAsyncResult *result)
{
  ExportJob *job = g_task_get_task_data (G_TASK (result));

  return job != NULL ? job->path : NULL;
}

/* ---- File choosers ------------------------------------------------------ */

static void
show_error (CdWindow   *win,
            const char *heading,
            const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (win), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
chooser_free (gpointer data)
{
  GtkNativeDialog *chooser = data;

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

/* A save dialog in the last export folder (else `fallback`), kept alive by
 * owner until it answers or owner goes. */
static GtkFileChooserNative *
new_chooser (gpointer        owner,
             GtkWindow      *parent,
             const char     *title,
             const char     *name,
             GUserDirectory  fallback)
{
  const char *uri = cd_settings_get_last_export_dir (cd_settings_get_default ());
  g_autoptr (GFile) folder = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (uri[0] != '\0')
    folder = g_file_new_for_uri (uri);
  else if (g_get_user_special_dir (fallback) != NULL)
    folder = g_file_new_for_path (g_get_user_special_dir (fallback));
  if (folder != NULL && g_file_query_file_type (folder, G_FILE_QUERY_INFO_NONE, NULL)
                        == G_FILE_TYPE_DIRECTORY)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (owner), "cd-export-chooser", chooser, chooser_free);
  return chooser;
}

/* A name for the file from the model's title, safe on any file system. */
static char *
suggested_name (CdWindow   *win,
                const char *what,
                const char *extension)
{
  g_autofree char *title = cd_document_dup_title (cd_window_get_document (win));

  g_strdelimit (title, "/\\:*?\"<>|", '-');
  return what != NULL ? g_strdup_printf ("%s-%s.%s", title, what, extension)
                      : g_strdup_printf ("%s.%s", title, extension);
}

/* A CSV export in progress: the window showing it and the worker's job. */
typedef struct
{
  CdWindow       *win;          /* weak */
  GtkWidget      *progress;     /* until it is destroyed */
  GtkProgressBar *bar;
  GCancellable   *cancellable;
  ExportJob      *job;          /* owned by task */
  GTask          *task;
  guint           timeout_id;
  guint           ticks;
  gboolean        done;
} CsvExport;

static void
csv_export_free (CsvExport *csv)
{
  g_clear_handle_id (&csv->timeout_id, g_source_remove);
  if (csv->win != NULL)
    g_object_remove_weak_pointer (G_OBJECT (csv->win), (gpointer *) &csv->win);
  g_clear_object (&csv->cancellable);
  g_clear_object (&csv->task);
  g_free (csv);
}

static gboolean
csv_export_tick (gpointer data)
{
  CsvExport *csv = data;
  guint n = csv->job->run->trajectory->n_samples;

  /* Quick exports finish before the window would only flash. */
  if (++csv->ticks == 3 && csv->progress != NULL)
    gtk_window_present (GTK_WINDOW (csv->progress));
  if (csv->bar != NULL && n > 0)
    gtk_progress_bar_set_fraction (csv->bar,
                                   (double) g_atomic_int_get (&csv->job->rows_done) / n);
  return G_SOURCE_CONTINUE;
}

/* Closing the progress window, or its parent going, cancels the export. */
static void
on_csv_progress_destroy (GtkWidget *progress,
                         CsvExport *csv)
{
  csv->progress = NULL;
  csv->bar = NULL;
  if (!csv->done)
    {
      g_cancellable_cancel (csv->cancellable);
      /* Not while the window itself is going. */
      if (csv->win != NULL && gtk_widget_get_mapped (GTK_WIDGET (csv->win)))
        cd_window_show_toast (csv->win, _("Export cancelled"));
    }
}

static void
on_csv_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  CsvExport *csv = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = cd_export_dialog_export_finish (result, &error);
  gboolean cancelled = g_cancellable_is_cancelled (csv->cancellable);

  csv->done = TRUE;
  if (csv->progress != NULL)
    gtk_window_destroy (GTK_WINDOW (csv->progress));
  /* A cancel has said so already. */
  if (csv->win != NULL && gtk_widget_get_mapped (GTK_WIDGET (csv->win)) && !cancelled)
    {
      if (!ok)
        show_error (csv->win, _("Could Not Export the Results"), error->message);
      else
        {
          g_autofree char *name = g_path_get_basename (export_job_path (result));
          /* Translators: %s is a file name */
          g_autofree char *text = g_strdup_printf (_("Results saved as %s"), name);
          cd_window_show_toast (csv->win, text);
        }
    }
  csv_export_free (csv);
}

GtkWindow *
cd_export_dialog_save_csv_to (CdWindow   *win,
                              const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  CsvExport *csv;
  ExportJob *job;
  GtkWidget *box, *header, *cancel, *label;
  GtkEventController *keys;

  g_return_val_if_fail (CD_IS_WINDOW (win), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  job = export_job_new_csv (win, path, &error);
  if (job == NULL)
    {
      show_error (win, _("Could Not Export the Results"), error->message);
      return NULL;
    }
  csv = g_new0 (CsvExport, 1);
  csv->win = win;
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &csv->win);
  csv->cancellable = g_cancellable_new ();
  csv->job = job;

  csv->progress = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (csv->progress), _("Exporting Results"));
  gtk_window_set_transient_for (GTK_WINDOW (csv->progress), GTK_WINDOW (win));
  gtk_window_set_modal (GTK_WINDOW (csv->progress), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (csv->progress), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (csv->progress), 420, -1);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), csv->progress);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  gtk_box_append (GTK_BOX (box), header);
  name = g_path_get_basename (path);
  /* Translators: %s is a file name */
  text = g_strdup_printf (_("Writing %s"), name);
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  csv->bar = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (csv->bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text, -1);
  gtk_widget_set_margin_start (label, 18);
  gtk_widget_set_margin_end (label, 18);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_margin_start (GTK_WIDGET (csv->bar), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (csv->bar), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (csv->bar), 24);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (csv->bar));
  adw_window_set_content (ADW_WINDOW (csv->progress), box);
  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (csv->progress, keys);
  g_signal_connect (csv->progress, "destroy", G_CALLBACK (on_csv_progress_destroy), csv);

  csv->task = export_job_start (job, NULL, csv->cancellable, on_csv_done, csv);
  csv->timeout_id = g_timeout_add (100, csv_export_tick, csv);
  return GTK_WINDOW (csv->progress);
}

static void
on_csv_response (GtkNativeDialog *chooser,
                 int              response,
                 CdWindow        *win)
{
  /* Dropping the window's hold below must not free it under its own signal. */
  g_autoptr (GtkNativeDialog) hold = g_object_ref (chooser);
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path == NULL)
        show_error (win, _("Could Not Export the Results"),
                    _("Results can only be saved to a local file"));
      else
        cd_export_dialog_save_csv_to (win, path);
    }
  g_object_set_data (G_OBJECT (win), "cd-export-chooser", NULL);
}

void
cd_export_dialog_choose_csv (CdWindow *win)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (CdModel) model = NULL;
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  CdRun *run;

  g_return_if_fail (CD_IS_WINDOW (win));

  /* Say so now rather than after the user has chosen a file. */
  if (!current_results (win, &run, &model, &error))
    {
      show_error (win, _("Could Not Export the Results"), error->message);
      return;
    }
  name = suggested_name (win, NULL, "csv");
  chooser = new_chooser (win, GTK_WINDOW (win), _("Export Results as CSV"), name,
                         G_USER_DIRECTORY_DOCUMENTS);
  gtk_file_filter_set_name (filter, _("CSV table"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_csv_response), win);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- The dialog --------------------------------------------------------- */

struct _CdExportDialog
{
  AdwWindow    parent_instance;

  CdWindow    *win;            /* weak: the dialog is destroyed with it */
  AdwComboRow *view_row;
  AdwComboRow *format_row;
  AdwComboRow *scale_row;
  AdwComboRow *style_row;
  AdwActionRow *size_row;
  GtkSpinButton *width_spin;
  GtkSpinButton *height_spin;
  GtkWidget   *problem;
  GtkWidget   *export_button;
  GtkWidget   *page;
  GtkWidget   *status;         /* "Writing …" while busy */
  GCancellable *cancellable;   /* the export in progress, if any */
};

G_DEFINE_FINAL_TYPE (CdExportDialog, cd_export_dialog, ADW_TYPE_WINDOW)

static const CdExportFormat formats[] = { CD_EXPORT_PNG, CD_EXPORT_SVG, CD_EXPORT_PDF };
static const double scales[] = { 1.0, 2.0, 3.0 };
static const CdStylePreset styles[] = { CD_STYLE_NORMAL, CD_STYLE_DARK, CD_STYLE_PROJECTOR };

static CdFigureView
chosen_view (CdExportDialog *self)
{
  return (CdFigureView) MIN (adw_combo_row_get_selected (self->view_row), CD_FIGURE_TIMESERIES);
}

static CdExportFormat
chosen_format (CdExportDialog *self)
{
  return formats[MIN (adw_combo_row_get_selected (self->format_row), G_N_ELEMENTS (formats) - 1)];
}

/* The spec from the window's state and the dialog's choices. */
static void
chosen_spec (CdExportDialog *self,
             CdFigureSpec   *spec,
             guint         **storage)
{
  cd_export_dialog_fill_spec (self->win, chosen_view (self), spec, storage);
  spec->width = gtk_spin_button_get_value_as_int (self->width_spin);
  spec->height = gtk_spin_button_get_value_as_int (self->height_spin);
  spec->scale = scales[MIN (adw_combo_row_get_selected (self->scale_row),
                            G_N_ELEMENTS (scales) - 1)];
  spec->style = styles[MIN (adw_combo_row_get_selected (self->style_row),
                            G_N_ELEMENTS (styles) - 1)];
}

/* Says before the file dialog why the figure cannot be made, if it cannot. */
static void
update_problem (CdExportDialog *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CdModel) model = NULL;
  g_autofree guint *storage = NULL;
  CdFigureSpec spec;
  CdRun *run;
  gboolean ok;

  if (self->win == NULL)
    return;
  chosen_spec (self, &spec, &storage);
  ok = current_results (self->win, &run, &model, &error)
       && cd_figure_check (model, run->trajectory, &spec, &error);
  gtk_label_set_text (GTK_LABEL (self->problem), ok ? "" : error->message);
  gtk_widget_set_visible (self->problem, !ok);
  gtk_widget_set_sensitive (self->export_button, ok);
  /* Vector formats have no pixels to multiply. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale_row), chosen_format (self) == CD_EXPORT_PNG);
  adw_action_row_set_subtitle (self->size_row, chosen_format (self) == CD_EXPORT_PNG
                                               ? _("Pixels at 1×")
                                               : _("Points (1/72 inch)"));
}

static void
on_view_changed (CdExportDialog *self)
{
  g_autofree guint *storage = NULL;
  CdFigureSpec spec;

  if (self->win == NULL)
    return;
  /* Each view starts at its size on screen. */
  cd_export_dialog_fill_spec (self->win, chosen_view (self), &spec, &storage);
  gtk_spin_button_set_value (self->width_spin, spec.width);
  gtk_spin_button_set_value (self->height_spin, spec.height);
  update_problem (self);
}

/* While an export runs the options cannot change, the Export button turns
 * into a spinner and Cancel cancels the export rather than the dialog. */
static void
set_busy (CdExportDialog *self,
          const char     *path)
{
  gboolean busy = path != NULL;

  gtk_widget_set_sensitive (self->page, !busy);
  gtk_widget_set_visible (self->status, busy);
  if (busy)
    {
      g_autofree char *name = g_path_get_basename (path);
      /* Translators: %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Writing %s"), name);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_box_append (GTK_BOX (box), spinner);
      gtk_box_append (GTK_BOX (box), gtk_label_new (_("Exporting…")));
      gtk_button_set_child (GTK_BUTTON (self->export_button), box);
      gtk_widget_set_sensitive (self->export_button, FALSE);
      gtk_label_set_text (GTK_LABEL (self->status), text);
      gtk_widget_set_visible (self->problem, FALSE);
    }
  else
    {
      gtk_button_set_child (GTK_BUTTON (self->export_button), NULL);
      gtk_button_set_label (GTK_BUTTON (self->export_button), _("_Export…"));
      gtk_button_set_use_underline (GTK_BUTTON (self->export_button), TRUE);
      update_problem (self);
    }
}

static void
on_figure_done (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr (CdExportDialog) self = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = cd_export_dialog_export_finish (result, &error);

  /* Cancelled (the dialog has gone back to its options) or the dialog gone. */
  if (self->cancellable == NULL || self->cancellable != g_task_get_cancellable (G_TASK (result)))
    return;
  g_clear_object (&self->cancellable);
  set_busy (self, NULL);
  if (self->win == NULL)
    return;
  if (!ok)
    {
      show_error (self->win, _("Could Not Export the Figure"), error->message);
      return;
    }
  {
    g_autofree char *name = g_path_get_basename (export_job_path (result));
    /* Translators: %s is a file name */
    g_autofree char *text = g_strdup_printf (_("Figure saved as %s"), name);
    cd_window_show_toast (self->win, text);
  }
  gtk_window_destroy (GTK_WINDOW (self));
}

void
cd_export_dialog_save_to (CdExportDialog *self,
                          const char     *path)
{
  g_autofree char *with = NULL;
  g_autofree guint *storage = NULL;
  CdExportFormat format;
  CdFigureSpec spec;

  g_return_if_fail (CD_IS_EXPORT_DIALOG (self));
  g_return_if_fail (path != NULL);

  if (self->win == NULL || self->cancellable != NULL)
    return;
  /* A name typed with a known extension says the format; without one the
   * dialog's format adds its own. */
  format = chosen_format (self);
  if (!cd_export_format_from_path (path, &format))
    path = with = g_strdup_printf ("%s.%s", path, cd_export_format_to_string (format));
  chosen_spec (self, &spec, &storage);
  self->cancellable = g_cancellable_new ();
  set_busy (self, path);
  cd_export_dialog_export_async (self->win, &spec, format, path, self->cancellable,
                                 on_figure_done, g_object_ref (self));
}

gboolean
cd_export_dialog_get_busy (CdExportDialog *self)
{
  g_return_val_if_fail (CD_IS_EXPORT_DIALOG (self), FALSE);

  return self->cancellable != NULL;
}

/* Cancel and Escape while busy: stop the export, keep the options. */
static gboolean
on_close_request (CdExportDialog *self)
{
  if (self->cancellable == NULL)
    return FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, NULL);
  if (self->win != NULL)
    cd_window_show_toast (self->win, _("Export cancelled"));
  return TRUE;
}

static void
on_figure_response (GtkNativeDialog *chooser,
                    int              response,
                    CdExportDialog  *self)
{
  g_autoptr (GtkNativeDialog) hold = g_object_ref (chooser);
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response != GTK_RESPONSE_ACCEPT || self->win == NULL)
    {
      g_object_set_data (G_OBJECT (self), "cd-export-chooser", NULL);
      return;
    }
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  g_object_set_data (G_OBJECT (self), "cd-export-chooser", NULL);
  if (path == NULL)
    {
      show_error (self->win, _("Could Not Export the Figure"),
                  _("Figures can only be saved to a local file"));
      return;
    }
  cd_export_dialog_save_to (self, path);
}

static void
on_export_clicked (CdExportDialog *self)
{
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  CdExportFormat format = chosen_format (self);

  if (self->win == NULL)
    return;
  name = suggested_name (self->win, cd_figure_view_to_string (chosen_view (self)),
                         cd_export_format_to_string (format));
  chooser = new_chooser (self, GTK_WINDOW (self), _("Export Figure"), name,
                         G_USER_DIRECTORY_PICTURES);
  g_signal_connect (chooser, "response", G_CALLBACK (on_figure_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static AdwComboRow *
add_combo (AdwPreferencesGroup *group,
           const char          *title,
           const char * const  *items)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (items);
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

static GtkSpinButton *
add_spin (GtkWidget  *box,
          const char *tooltip)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (16, 20000, 10);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (spin, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_box_append (GTK_BOX (box), spin);
  return GTK_SPIN_BUTTON (spin);
}

static void
cd_export_dialog_dispose (GObject *object)
{
  CdExportDialog *self = CD_EXPORT_DIALOG (object);

  g_object_set_data (object, "cd-export-chooser", NULL);
  /* The worker's file is then never renamed into place. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->win != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->win), (gpointer *) &self->win);
  self->win = NULL;
  G_OBJECT_CLASS (cd_export_dialog_parent_class)->dispose (object);
}

static void
cd_export_dialog_class_init (CdExportDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cd_export_dialog_dispose;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0,
                                       "window.close", NULL);
}

static void
cd_export_dialog_init (CdExportDialog *self)
{
  const char *views[] = { _("Network"), _("Forces on the selected government"),
                          _("Time series, as shown"), NULL };
  const char *format_names[] = { _("PNG image"), _("SVG drawing"), _("PDF document"), NULL };
  const char *scale_names[] = { "1×", "2×", "3×", NULL };
  const char *style_names[] = { _("Light"), _("Dark"), _("Projector"), NULL };
  GtkWidget *box, *header, *cancel, *page, *size_box;
  AdwPreferencesGroup *group;

  gtk_window_set_title (GTK_WINDOW (self), _("Export Figure"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, -1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->export_button = gtk_button_new_with_mnemonic (_("_Export…"));
  gtk_widget_add_css_class (self->export_button, "suggested-action");
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->export_button);
  gtk_box_append (GTK_BOX (box), header);

  page = self->page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_description (group,
    _("The figure shows the run at the time cursor, as the command "
      "“coordyn-cli render” draws it with the same options."));
  self->view_row = add_combo (group, _("_Figure"), views);
  self->format_row = add_combo (group, _("F_ormat"), format_names);

  self->size_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->size_row), _("Size"));
  size_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->width_spin = add_spin (size_box, _("Width"));
  gtk_box_append (GTK_BOX (size_box), gtk_label_new ("×"));
  self->height_spin = add_spin (size_box, _("Height"));
  adw_action_row_add_suffix (self->size_row, size_box);
  adw_preferences_group_add (group, GTK_WIDGET (self->size_row));

  self->scale_row = add_combo (group, _("_Scale"), scale_names);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->scale_row),
                               _("More pixels for print; the layout stays the same"));
  self->style_row = add_combo (group, _("St_yle"), style_names);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  self->problem = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->problem), TRUE);
  gtk_widget_add_css_class (self->problem, "error");
  gtk_widget_set_margin_start (self->problem, 12);
  gtk_widget_set_margin_end (self->problem, 12);
  gtk_widget_set_margin_bottom (self->problem, 12);
  gtk_widget_set_visible (self->problem, FALSE);
  self->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_widget_add_css_class (self->status, "dim-label");
  gtk_widget_set_margin_start (self->status, 12);
  gtk_widget_set_margin_end (self->status, 12);
  gtk_widget_set_margin_bottom (self->status, 12);
  gtk_widget_set_visible (self->status, FALSE);
  gtk_box_append (GTK_BOX (box), page);
  gtk_box_append (GTK_BOX (box), self->problem);
  gtk_box_append (GTK_BOX (box), self->status);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
  adw_window_set_content (ADW_WINDOW (self), box);

  g_signal_connect_swapped (self->view_row, "notify::selected", G_CALLBACK (on_view_changed),
                            self);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (update_problem),
                            self);
  g_signal_connect_swapped (self->scale_row, "notify::selected", G_CALLBACK (update_problem),
                            self);
  g_signal_connect_swapped (self->style_row, "notify::selected", G_CALLBACK (update_problem),
                            self);
  g_signal_connect_swapped (self->width_spin, "value-changed", G_CALLBACK (update_problem),
                            self);
  g_signal_connect_swapped (self->height_spin, "value-changed", G_CALLBACK (update_problem),
                            self);
}

GtkWidget *
cd_export_dialog_new (CdWindow *win)
{
  CdExportDialog *self;
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_return_val_if_fail (CD_IS_WINDOW (win), NULL);

  self = g_object_new (CD_TYPE_EXPORT_DIALOG, "transient-for", win, NULL);
  self->win = win;
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &self->win);
  /* The style on screen first; light for a document is one click away. */
  adw_combo_row_set_selected (self->style_row, adw_style_manager_get_dark (manager) ? 1 : 0);
  on_view_changed (self);
  return GTK_WIDGET (self);
}

void
cd_export_dialog_present (CdWindow *win)
{
  g_return_if_fail (CD_IS_WINDOW (win));
  gtk_window_present (GTK_WINDOW (cd_export_dialog_new (win)));
}
