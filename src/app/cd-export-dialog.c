/* cd-export-dialog.c — exporting the Model page's figures and the run's
 * table (see cd-export-dialog.h).
 *
 * What to export comes as a CdExportSnapshot; the files are written by a
 * CdWorker into a temporary file beside the target, renamed into place on
 * the main thread only when the worker has finished and was not cancelled.
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

#include "cd-atomic-file.h"
#include "cd-csv.h"
#include "cd-export-dialog.h"
#include "cd-settings.h"

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

/* A toast on the window the export is of, unless it is going. */
static void
show_message (GtkWindow  *parent,
              const char *text)
{
  if (parent != NULL && gtk_widget_get_mapped (GTK_WIDGET (parent)))
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.show-message", "s", text);
}

static void
show_error (GtkWindow  *parent,
            const char *heading,
            const char *body)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
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
  CdAtomicFile   *file;        /* the temporary file beside path, while it exists */
  GError         *refusal;     /* why it cannot be made: the worker reports it */
  CdWorker       *worker;      /* writing it, for the CSV's progress; not a reference */
} ExportJob;

/* Not committed (failed, cancelled or never finished): no half file left. */
static void
export_job_discard (ExportJob *job)
{
  g_clear_pointer (&job->file, cd_atomic_file_abandon);
}

static void
export_job_free (ExportJob *job)
{
  export_job_discard (job);
  g_free (job->path);
  g_free (job->indices);
  g_clear_error (&job->refusal);
  g_clear_pointer (&job->model, cd_model_free);
  g_clear_pointer (&job->run, cd_run_unref);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static ExportJob *
export_job_alloc (void)
{
  return g_new0 (ExportJob, 1);
}

/* Creates the temporary file beside the target (cd-atomic-file.h: the
 * target's permissions kept, a link written through, removed on failure,
 * cancel or a signal) when the export starts, on the calling thread: from
 * then until the job is freed or committed it exists, and no longer. */
static gboolean
export_job_open_tmp (ExportJob  *job,
                     GError    **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (job->path);

  job->file = cd_atomic_file_new (job->path, &local_error);
  if (job->file == NULL)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                   _("Could not write in %s: %s"), dir, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static ExportJob *
export_job_new_figure (const CdExportSnapshot *snapshot,
                       const CdFigureSpec     *spec,
                       CdExportFormat          format,
                       const char             *path,
                       GError                **error)
{
  g_autoptr (ExportJob) job = export_job_alloc ();
  guint n = spec->n_nodes + spec->n_partnerships;

  if (snapshot->problem != NULL)
    {
      g_propagate_error (error, g_error_copy (snapshot->problem));
      return NULL;
    }
  if (!cd_figure_check (snapshot->model, snapshot->run->trajectory, spec, error))
    return NULL;
  job->run = cd_run_ref (snapshot->run);
  job->model = cd_model_copy (snapshot->model);
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
  return g_steal_pointer (&job);
}

static ExportJob *
export_job_new_csv (const CdExportSnapshot  *snapshot,
                    const char              *path,
                    GError                 **error)
{
  g_autoptr (ExportJob) job = export_job_alloc ();

  if (snapshot->problem != NULL)
    {
      g_propagate_error (error, g_error_copy (snapshot->problem));
      return NULL;
    }
  if (snapshot->run->trajectory->gravity == NULL || snapshot->run->trajectory->trust == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("These results have no forces or trust: run the simulation again"));
      return NULL;
    }
  job->csv = TRUE;
  job->run = cd_run_ref (snapshot->run);
  job->model = cd_model_copy (snapshot->model);
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
      if (job->worker != NULL)
        cd_worker_set_fraction (job->worker, (double) (s + 1) / traj->n_samples);
    }
  return TRUE;
}

static gboolean
export_job_write_csv (ExportJob     *job,
                      GCancellable  *cancellable,
                      GError       **error)
{
  /* A stream with a buffer suited to rows of thousands of cells; synced
   * and closed when the job is committed. */
  FILE *out = cd_atomic_file_get_stream (job->file);
  int saved;
  gboolean ok;

  if (out == NULL)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), job->path, g_strerror (saved));
      return FALSE;
    }
  ok = write_csv (out, job, cancellable, error);
  if (ok && (fflush (out) != 0 || ferror (out)))
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not write %s: %s"), job->path, g_strerror (saved));
      ok = FALSE;
    }
  return ok;
}

/* Writes the whole file to job->file; any thread.  The temporary file is
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
      /* Into our temporary file.  The drawing cannot be interrupted, but a
       * PNG's encoding (three quarters of a large one's time) stops at a
       * cancel. */
      ok = !g_cancellable_set_error_if_cancelled (cancellable, error)
           && cd_figure_export_to_file (job->model, job->run->system, job->run->trajectory,
                                        &job->spec, job->format, job->file, cancellable,
                                        error);
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
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (job->file != NULL, FALSE);
  if (!cd_atomic_file_commit (g_steal_pointer (&job->file), &local_error))
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                   _("Could not replace %s: %s"), job->path, local_error->message);
      return FALSE;
    }
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
cd_export_dialog_export_to (const CdExportSnapshot  *snapshot,
                            const CdFigureSpec      *spec,
                            CdExportFormat           format,
                            const char              *path,
                            GError                 **error)
{
  g_autoptr (ExportJob) job = NULL;

  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  job = export_job_new_figure (snapshot, spec, format, path, error);
  return export_job_run (job, error);
}

gboolean
cd_export_dialog_export_csv_to (const CdExportSnapshot  *snapshot,
                                const char              *path,
                                GError                 **error)
{
  g_autoptr (ExportJob) job = NULL;

  g_return_val_if_fail (snapshot != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  job = export_job_new_csv (snapshot, path, error);
  return export_job_run (job, error);
}

/* ---- Off the main thread ------------------------------------------------ */

static gboolean
export_thread (CdWorker      *worker,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  ExportJob *job = data;

  if (job->refusal != NULL)
    {
      g_propagate_error (error, g_error_copy (job->refusal));
      return FALSE;
    }
  return export_job_write (job, cancellable, error);
}

/* The caller's callback. */
typedef struct
{
  CdWorkerDoneFunc done;
  gpointer         user_data;
} ExportDone;

static void
on_export_done (CdWorker     *worker,
                const GError *error,
                gpointer      data)
{
  g_autofree ExportDone *done = data;
  g_autoptr (GError) commit_error = NULL;
  ExportJob *job = cd_worker_get_data (worker);

  /* Cancelled before now (the worker reports any cancel before it ended as
   * one), the file is never renamed into place: the rename happens on this
   * thread, so a cancel can never race it. */
  if (error == NULL && !export_job_commit (job, &commit_error))
    error = commit_error;
  /* Whoever still holds the worker, the temporary file goes now. */
  export_job_discard (job);
  done->done (worker, error, done->user_data);
}

/* Starts job (or, if it could not be made, reports refusal) in a worker.
 * The application is held until the job has finished and its temporary
 * file has been renamed into place or removed: closing the last window (or
 * Ctrl+Q, which closes them all) mid-export would otherwise end the process
 * under the worker and leave a hidden half-written file behind. */
static CdWorker *
export_job_start (ExportJob        *job,
                  GError           *refusal,
                  GCancellable     *cancellable,
                  CdWorkerDoneFunc  done,
                  gpointer          user_data)
{
  ExportDone *d = g_new0 (ExportDone, 1);
  CdWorker *worker;

  if (job == NULL)
    {
      job = export_job_alloc ();
      job->refusal = refusal;
    }
  worker = cd_worker_new (export_thread, job, (GDestroyNotify) export_job_free);
  job->worker = worker;
  cd_worker_hold_application (worker, g_application_get_default ());
  d->done = done;
  d->user_data = user_data;
  cd_worker_start (worker, NULL, cancellable, on_export_done, d);
  return worker;
}

CdWorker *
cd_export_dialog_export_async (const CdExportSnapshot *snapshot,
                               const CdFigureSpec     *spec,
                               CdExportFormat          format,
                               const char             *path,
                               GCancellable           *cancellable,
                               CdWorkerDoneFunc        done,
                               gpointer                user_data)
{
  GError *error = NULL;
  ExportJob *job;

  g_return_val_if_fail (snapshot != NULL && spec != NULL && path != NULL, NULL);
  g_return_val_if_fail (done != NULL, NULL);

  job = export_job_new_figure (snapshot, spec, format, path, &error);
  return export_job_start (job, error, cancellable, done, user_data);
}

CdWorker *
cd_export_dialog_export_csv_async (const CdExportSnapshot *snapshot,
                                   const char             *path,
                                   GCancellable           *cancellable,
                                   CdWorkerDoneFunc        done,
                                   gpointer                user_data)
{
  GError *error = NULL;
  ExportJob *job;

  g_return_val_if_fail (snapshot != NULL && path != NULL, NULL);
  g_return_val_if_fail (done != NULL, NULL);

  job = export_job_new_csv (snapshot, path, &error);
  return export_job_start (job, error, cancellable, done, user_data);
}

/* ---- File choosers ------------------------------------------------------ */

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

/* A CSV export in progress: the window showing it and the worker. */
typedef struct
{
  GtkWindow      *parent;       /* weak */
  GtkWidget      *progress;     /* until it is destroyed */
  GtkProgressBar *bar;
  CdWorker       *worker;
  char           *path;
  guint           ticks;
  gboolean        done;
} CsvExport;

static void
csv_export_free (CsvExport *csv)
{
  if (csv->parent != NULL)
    g_object_remove_weak_pointer (G_OBJECT (csv->parent), (gpointer *) &csv->parent);
  g_signal_handlers_disconnect_by_data (csv->worker, csv);
  g_clear_object (&csv->worker);
  g_free (csv->path);
  g_free (csv);
}

static void
on_csv_progress (CdWorker  *worker,
                 double     fraction,
                 CsvExport *csv)
{
  /* Quick exports finish before the window would only flash. */
  if (++csv->ticks == 3 && csv->progress != NULL)
    gtk_window_present (GTK_WINDOW (csv->progress));
  if (csv->bar != NULL && fraction >= 0)
    gtk_progress_bar_set_fraction (csv->bar, fraction);
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
      cd_worker_cancel (csv->worker);
      /* Not while the window itself is going. */
      show_message (csv->parent, _("Export cancelled"));
    }
}

static void
on_csv_done (CdWorker     *worker,
             const GError *error,
             gpointer      data)
{
  CsvExport *csv = data;
  gboolean cancelled = g_cancellable_is_cancelled (cd_worker_get_cancellable (worker));

  csv->done = TRUE;
  if (csv->progress != NULL)
    gtk_window_destroy (GTK_WINDOW (csv->progress));
  /* A cancel has said so already. */
  if (csv->parent != NULL && gtk_widget_get_mapped (GTK_WIDGET (csv->parent)) && !cancelled)
    {
      if (error != NULL)
        show_error (csv->parent, _("Could Not Export the Results"), error->message);
      else
        {
          g_autofree char *name = g_path_get_basename (csv->path);
          /* Translators: %s is a file name */
          g_autofree char *text = g_strdup_printf (_("Results saved as %s"), name);
          show_message (csv->parent, text);
        }
    }
  csv_export_free (csv);
}

static GtkWidget *
csv_progress_window (GtkWindow  *parent,
                     const char *path,
                     CsvExport  *csv)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *text = NULL;
  GtkWidget *progress, *box, *header, *cancel, *label;
  GtkEventController *keys;

  progress = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (progress), _("Exporting Results"));
  gtk_window_set_transient_for (GTK_WINDOW (progress), parent);
  gtk_window_set_modal (GTK_WINDOW (progress), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (progress), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (progress), 420, -1);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), progress);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  gtk_box_append (GTK_BOX (box), header);
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
  adw_window_set_content (ADW_WINDOW (progress), box);
  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                      gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (progress, keys);
  g_signal_connect (progress, "destroy", G_CALLBACK (on_csv_progress_destroy), csv);
  return progress;
}

GtkWindow *
cd_export_dialog_save_csv_to (GtkWindow              *parent,
                              const CdExportSnapshot *snapshot,
                              const char             *path)
{
  g_autoptr (GError) error = NULL;
  CsvExport *csv;
  ExportJob *job;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (snapshot != NULL && path != NULL, NULL);

  job = export_job_new_csv (snapshot, path, &error);
  if (job == NULL)
    {
      show_error (parent, _("Could Not Export the Results"), error->message);
      return NULL;
    }
  csv = g_new0 (CsvExport, 1);
  csv->parent = parent;
  g_object_add_weak_pointer (G_OBJECT (parent), (gpointer *) &csv->parent);
  csv->path = g_strdup (path);
  csv->progress = csv_progress_window (parent, path, csv);
  csv->worker = export_job_start (job, NULL, NULL, on_csv_done, csv);
  g_signal_connect (csv->worker, "progress", G_CALLBACK (on_csv_progress), csv);
  return GTK_WINDOW (csv->progress);
}

static void
on_csv_response (GtkNativeDialog *chooser,
                 int              response,
                 GtkWindow       *parent)
{
  /* Dropping the window's hold below must not free it under its own signal. */
  g_autoptr (GtkNativeDialog) hold = g_object_ref (chooser);
  CdExportSnapshot *snapshot = g_object_get_data (G_OBJECT (chooser), "cd-snapshot");
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path == NULL)
        show_error (parent, _("Could Not Export the Results"),
                    _("Results can only be saved to a local file"));
      else
        cd_export_dialog_save_csv_to (parent, snapshot, path);
    }
  g_object_set_data (G_OBJECT (parent), "cd-export-chooser", NULL);
}

/* The file chooser for the CSV of snapshot (transfer full). */
static void
choose_csv_file (GtkWindow        *parent,
                 CdExportSnapshot *snapshot)
{
  g_autoptr (CdExportSnapshot) owned = snapshot;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  name = cd_export_snapshot_file_name (snapshot, NULL, "csv");
  chooser = new_chooser (parent, parent, _("Export Results as CSV"), name,
                         G_USER_DIRECTORY_DOCUMENTS);
  gtk_file_filter_set_name (filter, _("CSV table"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data_full (G_OBJECT (chooser), "cd-snapshot", g_steal_pointer (&owned),
                          (GDestroyNotify) cd_export_snapshot_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_csv_response), parent);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static guint64 csv_warning_size = CD_CSV_WARN_OUTPUT;

void
cd_export_dialog_set_csv_warning_size (guint64 bytes)
{
  csv_warning_size = bytes;
}

static void
on_large_csv_response (AdwMessageDialog *dialog,
                       const char       *response,
                       GtkWindow        *parent)
{
  CdExportSnapshot *snapshot = g_object_steal_data (G_OBJECT (dialog), "cd-snapshot");

  if (strcmp (response, "export") == 0)
    choose_csv_file (parent, snapshot);
  else
    cd_export_snapshot_free (snapshot);
}

void
cd_export_dialog_choose_csv (GtkWindow        *parent,
                             CdExportSnapshot *snapshot)
{
  g_autoptr (CdExportSnapshot) owned = snapshot;
  const CdTrajectory *traj;
  double size;

  g_return_if_fail (GTK_IS_WINDOW (parent));
  g_return_if_fail (snapshot != NULL);

  /* Say so now rather than after the user has chosen a file. */
  if (snapshot->problem != NULL)
    {
      show_error (parent, _("Could Not Export the Results"), snapshot->problem->message);
      return;
    }
  /* And ask before a file larger than a workstation's tools read well
   * (docs/model.md, "Limits"): a dt set ten times too small is easy to
   * miss until the disk fills. */
  traj = snapshot->run->trajectory;
  size = cd_csv_estimate_samples (snapshot->run->system, traj->n_samples, TRUE, TRUE);
  if (size > (double) csv_warning_size)
    {
      g_autofree char *text = g_format_size ((guint64) size);
      GtkWidget *dialog = adw_message_dialog_new (parent, _("Export a Large File?"), NULL);

      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
        /* Translators: %s is a size such as "2.1 GB", %u numbers of samples
         * and governments. */
        _("The results come to about %s of CSV: %u samples of %u governments, with their "
          "forces and trust. Writing them takes a while and that much disk space; a larger "
          "dt or a shorter run gives a smaller file."), text, traj->n_samples, traj->n_nodes);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                        "export", _("_Export Anyway"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "cd-snapshot", g_steal_pointer (&owned),
                              (GDestroyNotify) cd_export_snapshot_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_large_csv_response), parent,
                               0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  choose_csv_file (parent, g_steal_pointer (&owned));
}

/* ---- The dialog --------------------------------------------------------- */

struct _CdExportDialog
{
  AdwWindow         parent_instance;

  CdExportSnapshot *snapshot;
  CdWorker         *worker;      /* the export in progress, if any */
  char             *path;        /* its file */

  /* template children */
  AdwComboRow      *view_row;
  AdwComboRow      *format_row;
  AdwComboRow      *scale_row;
  AdwComboRow      *style_row;
  AdwActionRow     *size_row;
  GtkSpinButton    *width_spin;
  GtkSpinButton    *height_spin;
  GtkWidget        *problem;
  GtkWidget        *export_button;
  GtkWidget        *page;
  GtkWidget        *status;      /* "Writing …" while busy */
};

G_DEFINE_FINAL_TYPE (CdExportDialog, cd_export_dialog, ADW_TYPE_WINDOW)

static const CdExportFormat formats[] = { CD_EXPORT_PNG, CD_EXPORT_SVG, CD_EXPORT_PDF };
static const double scales[] = { 1.0, 2.0, 3.0 };
static const CdStylePreset styles[] = { CD_STYLE_NORMAL, CD_STYLE_DARK, CD_STYLE_PROJECTOR };

static GtkWindow *
parent_of (CdExportDialog *self)
{
  return gtk_window_get_transient_for (GTK_WINDOW (self));
}

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

/* The spec from the snapshot and the dialog's choices. */
static void
chosen_spec (CdExportDialog *self,
             CdFigureSpec   *spec)
{
  cd_export_snapshot_fill_spec (self->snapshot, chosen_view (self), spec);
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
  const GError *problem;
  CdFigureSpec spec;

  if (self->snapshot == NULL || self->worker != NULL)
    return;
  chosen_spec (self, &spec);
  problem = self->snapshot->problem;
  if (problem == NULL
      && !cd_figure_check (self->snapshot->model, self->snapshot->run->trajectory, &spec, &error))
    problem = error;
  gtk_label_set_text (GTK_LABEL (self->problem), problem != NULL ? problem->message : "");
  gtk_widget_set_visible (self->problem, problem != NULL);
  gtk_widget_set_sensitive (self->export_button, problem == NULL);
  /* Vector formats have no pixels to multiply. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->scale_row), chosen_format (self) == CD_EXPORT_PNG);
  adw_action_row_set_subtitle (self->size_row, chosen_format (self) == CD_EXPORT_PNG
                                               ? _("Pixels at 1×")
                                               : _("Points (1/72 inch)"));
}

static void
on_option_changed (CdExportDialog *self)
{
  update_problem (self);
}

static void
on_view_changed (CdExportDialog *self)
{
  CdFigureView view = chosen_view (self);

  if (self->snapshot == NULL)
    return;
  /* Each view starts at its size on screen. */
  gtk_spin_button_set_value (self->width_spin, self->snapshot->width[view]);
  gtk_spin_button_set_value (self->height_spin, self->snapshot->height[view]);
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
on_figure_done (CdWorker     *worker,
                const GError *error,
                gpointer      data)
{
  g_autoptr (CdExportDialog) self = data;

  /* Cancelled (the dialog has gone back to its options) or the dialog gone. */
  if (worker != self->worker)
    return;
  g_clear_object (&self->worker);
  set_busy (self, NULL);
  if (error != NULL)
    {
      show_error (parent_of (self), _("Could Not Export the Figure"), error->message);
      return;
    }
  {
    g_autofree char *name = g_path_get_basename (self->path);
    /* Translators: %s is a file name */
    g_autofree char *text = g_strdup_printf (_("Figure saved as %s"), name);
    show_message (parent_of (self), text);
  }
  gtk_window_destroy (GTK_WINDOW (self));
}

void
cd_export_dialog_save_to (CdExportDialog *self,
                          const char     *path)
{
  CdExportFormat format;
  CdFigureSpec spec;

  g_return_if_fail (CD_IS_EXPORT_DIALOG (self));
  g_return_if_fail (path != NULL);

  if (self->worker != NULL)
    return;
  /* A name typed with a known extension says the format; without one the
   * dialog's format adds its own. */
  format = chosen_format (self);
  g_free (self->path);
  if (cd_export_format_from_path (path, &format))
    self->path = g_strdup (path);
  else
    self->path = g_strdup_printf ("%s.%s", path, cd_export_format_to_string (format));
  chosen_spec (self, &spec);
  set_busy (self, self->path);
  /* The dialog lives until the worker is done: its callback holds it. */
  self->worker = cd_export_dialog_export_async (self->snapshot, &spec, format, self->path, NULL,
                                                on_figure_done, g_object_ref (self));
}

gboolean
cd_export_dialog_get_busy (CdExportDialog *self)
{
  g_return_val_if_fail (CD_IS_EXPORT_DIALOG (self), FALSE);

  return self->worker != NULL;
}

/* Cancel and Escape while busy: stop the export, keep the options. */
static gboolean
cd_export_dialog_close_request (GtkWindow *window)
{
  CdExportDialog *self = CD_EXPORT_DIALOG (window);

  if (self->worker == NULL)
    return GTK_WINDOW_CLASS (cd_export_dialog_parent_class)->close_request (window);
  cd_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  set_busy (self, NULL);
  show_message (parent_of (self), _("Export cancelled"));
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

  if (response != GTK_RESPONSE_ACCEPT)
    {
      g_object_set_data (G_OBJECT (self), "cd-export-chooser", NULL);
      return;
    }
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file != NULL ? g_file_get_path (file) : NULL;
  g_object_set_data (G_OBJECT (self), "cd-export-chooser", NULL);
  if (path == NULL)
    {
      show_error (parent_of (self), _("Could Not Export the Figure"),
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

  name = cd_export_snapshot_file_name (self->snapshot,
                                       cd_figure_view_to_string (chosen_view (self)),
                                       cd_export_format_to_string (format));
  chooser = new_chooser (self, GTK_WINDOW (self), _("Export Figure"), name,
                         G_USER_DIRECTORY_PICTURES);
  g_signal_connect (chooser, "response", G_CALLBACK (on_figure_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
cd_export_dialog_dispose (GObject *object)
{
  CdExportDialog *self = CD_EXPORT_DIALOG (object);

  g_object_set_data (object, "cd-export-chooser", NULL);
  /* The worker's file is then never renamed into place. */
  if (self->worker != NULL)
    cd_worker_cancel (self->worker);
  g_clear_object (&self->worker);
  gtk_widget_dispose_template (GTK_WIDGET (self), CD_TYPE_EXPORT_DIALOG);
  G_OBJECT_CLASS (cd_export_dialog_parent_class)->dispose (object);
}

static void
cd_export_dialog_finalize (GObject *object)
{
  CdExportDialog *self = CD_EXPORT_DIALOG (object);

  g_clear_pointer (&self->snapshot, cd_export_snapshot_free);
  g_free (self->path);
  G_OBJECT_CLASS (cd_export_dialog_parent_class)->finalize (object);
}

static void
cd_export_dialog_class_init (CdExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cd_export_dialog_dispose;
  object_class->finalize = cd_export_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = cd_export_dialog_close_request;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/coordyn/Coordyn/cd-export-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, CdExportDialog, name)
  BIND (view_row);
  BIND (format_row);
  BIND (scale_row);
  BIND (style_row);
  BIND (size_row);
  BIND (width_spin);
  BIND (height_spin);
  BIND (problem);
  BIND (export_button);
  BIND (page);
  BIND (status);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed);
}

static void
cd_export_dialog_init (CdExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cd_export_dialog_new (GtkWindow        *parent,
                      CdExportSnapshot *snapshot)
{
  CdExportDialog *self;
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (snapshot != NULL, NULL);

  self = g_object_new (CD_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->snapshot = snapshot;
  /* The style on screen first; light for a document is one click away. */
  adw_combo_row_set_selected (self->style_row, adw_style_manager_get_dark (manager) ? 1 : 0);
  on_view_changed (self);
  return GTK_WIDGET (self);
}

void
cd_export_dialog_set_snapshot (CdExportDialog   *self,
                               CdExportSnapshot *snapshot)
{
  g_return_if_fail (CD_IS_EXPORT_DIALOG (self));
  g_return_if_fail (snapshot != NULL);

  g_clear_pointer (&self->snapshot, cd_export_snapshot_free);
  self->snapshot = snapshot;
  update_problem (self);
}
