/* cd-export.h — headless export of any drawing to PNG, SVG or PDF.
 *
 * The drawing is the same callback the screen uses, so a figure on file is
 * the figure on screen.  Files are written atomically (to a temporary file
 * beside the target, renamed on success) so an interrupted export never
 * leaves a truncated figure where a good one was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "cd-atomic-file.h"

G_BEGIN_DECLS

#define CD_EXPORT_ERROR (cd_export_error_quark ())

typedef enum
{
  CD_EXPORT_ERROR_INVALID,   /* bad size, scale or format */
  CD_EXPORT_ERROR_CAIRO,     /* cairo could not draw or encode */
  CD_EXPORT_ERROR_IO,        /* the file could not be written */
} CdExportError;

GQuark cd_export_error_quark (void);

typedef enum
{
  CD_EXPORT_PNG,
  CD_EXPORT_SVG,
  CD_EXPORT_PDF,
} CdExportFormat;

gboolean    cd_export_format_from_string (const char     *text,
                                          CdExportFormat *out_format);
/* From a file name's extension (case-insensitive); FALSE if unknown. */
gboolean    cd_export_format_from_path   (const char     *path,
                                          CdExportFormat *out_format);
const char *cd_export_format_to_string   (CdExportFormat  format);

/* Draws (0, 0, width, height) in logical units. */
typedef void (*CdDrawFunc) (cairo_t  *cr,
                            int       width,
                            int       height,
                            gpointer  user_data);

/* width × height are logical units (pixels at scale 1; points for SVG and
 * PDF).  scale multiplies PNG pixels (2: a sharp figure for print);
 * vector formats ignore it.  Sizes must be 1…20000 and the PNG at most
 * 400 megapixels; scale in [0.1, 10].  cancellable (may be NULL) stops the
 * export (G_IO_ERROR_CANCELLED) at the end of the drawing or, for a PNG,
 * within its encoding; the target is then untouched. */
gboolean    cd_export_to_file            (CdExportFormat  format,
                                          const char     *path,
                                          int             width,
                                          int             height,
                                          double          scale,
                                          CdDrawFunc      draw,
                                          gpointer        user_data,
                                          GCancellable   *cancellable,
                                          GError        **error);

/* The same into file (cd-atomic-file.h), which the caller then commits on
 * the thread of its choice, or abandons.  Errors name its path. */
gboolean    cd_export_to_atomic_file     (CdExportFormat  format,
                                          CdAtomicFile   *file,
                                          int             width,
                                          int             height,
                                          double          scale,
                                          CdDrawFunc      draw,
                                          gpointer        user_data,
                                          GCancellable   *cancellable,
                                          GError        **error);

G_END_DECLS
