/* cd-export.c — headless export of any drawing to PNG, SVG or PDF.
 *
 * Every format goes through a cairo stream into a CdAtomicFile (the engine's
 * one way of replacing a file: a temporary file renamed over the target on
 * success, the target's permissions kept and a symbolic link written
 * through, the temporary file removed on failure, cancel or a signal), so
 * the old figure stays unless the new one is complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gio/gio.h>

#include "cd-atomic-file.h"
#include "cd-export.h"

G_DEFINE_QUARK (cd-export-error-quark, cd_export_error)

static const char * const format_names[] = { "png", "svg", "pdf" };

gboolean
cd_export_format_from_string (const char     *text,
                              CdExportFormat *out_format)
{
  g_return_val_if_fail (text != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (text, format_names[i]) == 0)
      {
        if (out_format)
          *out_format = (CdExportFormat) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
cd_export_format_from_path (const char     *path,
                            CdExportFormat *out_format)
{
  const char *dot;

  g_return_val_if_fail (path != NULL, FALSE);
  dot = strrchr (path, '.');
  if (dot == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL)
    return FALSE;
  return cd_export_format_from_string (dot + 1, out_format);
}

const char *
cd_export_format_to_string (CdExportFormat format)
{
  g_return_val_if_fail ((guint) format < G_N_ELEMENTS (format_names), "");
  return format_names[format];
}

typedef struct
{
  int           fd;
  GCancellable *cancellable;
  GError       *error;   /* the first write error, or the cancellation */
} StreamClosure;

static cairo_status_t
write_to_stream (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  StreamClosure *sc = closure;

  /* cairo writes a PNG as it encodes it, a few KiB at a time, so a cancel
   * seen here stops the encoding, which is most of a large figure's time. */
  if (sc->error != NULL || g_cancellable_set_error_if_cancelled (sc->cancellable, &sc->error))
    return CAIRO_STATUS_WRITE_ERROR;
  while (length > 0)
    {
      gssize n = write (sc->fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_set_error_literal (&sc->error, G_FILE_ERROR, g_file_error_from_errno (saved),
                               g_strerror (saved));
          return CAIRO_STATUS_WRITE_ERROR;
        }
      data += n;
      length -= (unsigned int) n;
    }
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_cairo (cairo_status_t status,
             StreamClosure *sc,
             const char    *path,
             GError       **error)
{
  if (sc->error != NULL && g_error_matches (sc->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&sc->error));
      return FALSE;
    }
  if (sc->error != NULL)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_IO, "%s: %s", path,
                   sc->error->message);
      return FALSE;
    }
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_CAIRO, "%s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

gboolean
cd_export_to_atomic_file (CdExportFormat  format,
                          CdAtomicFile   *file,
                          int             width,
                          int             height,
                          double          scale,
                          CdDrawFunc      draw,
                          gpointer        user_data,
                          GCancellable   *cancellable,
                          GError        **error)
{
  StreamClosure sc = { -1, cancellable, NULL };
  const char *path;
  cairo_surface_t *surface = NULL;
  cairo_t *cr;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (file != NULL, FALSE);
  g_return_val_if_fail (draw != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = cd_atomic_file_get_path (file);
  if ((guint) format >= G_N_ELEMENTS (format_names))
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID, _("unknown export format %d"),
                   (int) format);
      return FALSE;
    }
  if (width < 1 || width > 20000 || height < 1 || height > 20000)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("size %d × %d is out of range (1 to 20000 each)"), width, height);
      return FALSE;
    }
  if (!(scale >= 0.1 && scale <= 10.0))
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("scale %g is out of range (0.1 to 10)"), scale);
      return FALSE;
    }
  if (format == CD_EXPORT_PNG)
    {
      double pw = ceil (width * scale), ph = ceil (height * scale);
      if (pw * ph > 400e6 || pw > 32767 || ph > 32767)
        {
          g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                       _("a %.0f × %.0f pixel image is too large (at most 32767 a side and "
                         "400 megapixels)"), pw, ph);
          return FALSE;
        }
    }
  sc.fd = cd_atomic_file_get_fd (file);

  switch (format)
    {
    case CD_EXPORT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * scale),
                                            (int) ceil (height * scale));
      cairo_surface_set_device_scale (surface, scale, scale);
      break;
    case CD_EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_to_stream, &sc, width, height);
      break;
    case CD_EXPORT_PDF:
      surface = cairo_pdf_surface_create_for_stream (write_to_stream, &sc, width, height);
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Coordyn");
      break;
    default:
      g_assert_not_reached ();
    }

  cr = cairo_create (surface);
  draw (cr, width, height, user_data);
  status = cairo_status (cr);
  /* a cancel during the drawing itself, which cannot be interrupted */
  if (status == CAIRO_STATUS_SUCCESS && sc.error == NULL
      && g_cancellable_set_error_if_cancelled (cancellable, &sc.error))
    status = CAIRO_STATUS_WRITE_ERROR;
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == CD_EXPORT_PNG)
    status = cairo_surface_write_to_png_stream (surface, write_to_stream, &sc);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  ok = check_cairo (status, &sc, path, error);
  g_clear_error (&sc.error);
  return ok;
}

gboolean
cd_export_to_file (CdExportFormat  format,
                   const char     *path,
                   int             width,
                   int             height,
                   double          scale,
                   CdDrawFunc      draw,
                   gpointer        user_data,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(CdAtomicFile) file = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (draw != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  file = cd_atomic_file_new (path, &local_error);
  if (file == NULL)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_IO, "%s: %s", path,
                   local_error->message);
      return FALSE;
    }
  /* On failure the temporary file goes with `file`: the target is untouched. */
  if (!cd_export_to_atomic_file (format, file, width, height, scale, draw, user_data,
                                 cancellable, error))
    return FALSE;
  if (!cd_atomic_file_commit (g_steal_pointer (&file), &local_error))
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_IO, "%s: %s", path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
