/* cd-cli.c — the pieces every coordyn-cli command shares: option parsing,
 * "PLACE: message" reports, loading a model and writing output safely.
 *
 * Linked into both coordyn-cli and coordyn-cli-graphics, so a command
 * behaves the same whichever executable runs it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cd-cli.h"
#include "cd-locale.h"
#include "cd-model-json.h"

gboolean
cd_cli_parse (GOptionContext *context,
              int            *argc,
              char         ***argv,
              const char     *command)
{
  g_autoptr(GError) error = NULL;
  GOptionGroup *main_group = g_option_context_get_main_group (context);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (main_group != NULL)
    g_option_group_set_translation_domain (main_group, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      cd_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
cd_cli_parse_model_command (GOptionContext *context,
                            int            *argc,
                            char         ***argv,
                            const char     *command)
{
  if (!cd_cli_parse (context, argc, argv, command))
    return FALSE;
  if (*argc != 2)
    {
      cd_cli_usage_error (command, ngettext ("expected one model file, got %d argument",
                                             "expected one model file, got %d arguments",
                                             *argc - 1), *argc - 1);
      return FALSE;
    }
  return TRUE;
}

char *
cd_cli_place_message (const char *place,
                      const char *message)
{
  /* Translators: an error line: where the problem is (a file, or
   * "coordyn-cli" and a command such as "run"), then what it is.  Chinese
   * sets the place off with a full-width colon: "%s：%s". */
  return g_strdup_printf (C_("place: message", "%s: %s"), place, message);
}

static void
report_va (const char *place,
           const char *fmt,
           va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (fmt, args);
  g_autofree char *line = cd_cli_place_message (place, message);

  fprintf (stderr, "%s\n", line);
}

void
cd_cli_report (const char *place,
               const char *fmt,
               ...)
{
  va_list args;

  va_start (args, fmt);
  report_va (place, fmt, args);
  va_end (args);
}

/* A problem of the command itself (not of a file): "coordyn-cli run: …". */
static void
report_command_va (const char *command,
                   const char *fmt,
                   va_list     args)
{
  g_autofree char *place = g_strdup_printf ("coordyn-cli %s", command);

  report_va (place, fmt, args);
}

void
cd_cli_report_command (const char *command,
                       const char *fmt,
                       ...)
{
  va_list args;

  va_start (args, fmt);
  report_command_va (command, fmt, args);
  va_end (args);
}

int
cd_cli_usage_error (const char *command,
                    const char *fmt,
                    ...)
{
  va_list args;

  va_start (args, fmt);
  report_command_va (command, fmt, args);
  va_end (args);
  /* Translators: %s is a command such as "run". */
  fprintf (stderr, _("Try 'coordyn-cli %s --help'."), command);
  fputc ('\n', stderr);
  return CD_EXIT_USAGE;
}

CdModel *
cd_cli_load_model (const char *path)
{
  g_autoptr(GError) error = NULL;
  CdModel *model = cd_model_load_file (path, &error);

  if (model == NULL)
    {
      /* One line per problem, each naming the file, as compilers do. */
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        cd_cli_report (path, "%s", lines[i]);
    }
  return model;
}

/* Output to a regular file is written to a temporary file beside it and
 * renamed over it only when complete, so a failed or interrupted command
 * never leaves a truncated result, nor destroys the file that was there.
 * Devices and pipes (/dev/null, a FIFO) are written directly and never
 * removed. */
typedef struct
{
  char *temp_path;
  char *path;
} PendingOutput;

static GHashTable *pending_outputs;   /* FILE * → PendingOutput */

/* "PATH: reason" for errno saved. */
static void
set_file_error (GError    **error,
                int         saved,
                const char *path)
{
  g_autofree char *message = cd_cli_place_message (path, g_strerror (saved));

  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), message);
}

static void
pending_output_free (gpointer data)
{
  PendingOutput *p = data;
  g_free (p->temp_path);
  g_free (p->path);
  g_free (p);
}

FILE *
cd_cli_open_output (const char *path,
                    GError    **error)
{
  GStatBuf st;
  FILE *out;

  if (path == NULL || strcmp (path, "-") == 0)
    out = stdout;
  else if (g_stat (path, &st) == 0 && !S_ISREG (st.st_mode))
    out = fopen (path, "wb");
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *temp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
      int fd = g_mkstemp_full (temp_path, O_WRONLY, 0666);
      PendingOutput *pending;

      if (fd < 0 || (out = fdopen (fd, "wb")) == NULL)
        {
          int saved = errno;
          if (fd >= 0)
            {
              close (fd);
              g_unlink (temp_path);
            }
          set_file_error (error, saved, path);
          return NULL;
        }
      if (pending_outputs == NULL)
        pending_outputs = g_hash_table_new_full (NULL, NULL, NULL, pending_output_free);
      pending = g_new0 (PendingOutput, 1);
      pending->temp_path = g_steal_pointer (&temp_path);
      pending->path = g_strdup (path);
      g_hash_table_insert (pending_outputs, out, pending);
    }
  if (out == NULL)
    {
      int saved = errno;
      set_file_error (error, saved, path);
      return NULL;
    }
  setvbuf (out, NULL, _IOFBF, 1 << 20);
  return out;
}

/* Closes the output; with commit, a temporary file takes the target's name. */
static gboolean
finish (FILE       *out,
        const char *path,
        gboolean    commit,
        GError    **error)
{
  PendingOutput *pending = pending_outputs ? g_hash_table_lookup (pending_outputs, out) : NULL;
  gboolean failed = fflush (out) != 0 || ferror (out);
  int saved = errno;

  if (out != stdout && fclose (out) != 0 && !failed)
    {
      failed = TRUE;
      saved = errno;
    }
  if (pending != NULL)
    {
      if (commit && !failed && g_rename (pending->temp_path, pending->path) != 0)
        {
          failed = TRUE;
          saved = errno;
        }
      if (!commit || failed)
        g_unlink (pending->temp_path);
      g_hash_table_remove (pending_outputs, out);
    }
  if (commit && failed)
    {
      set_file_error (error, saved, path ? path : _("standard output"));
      return FALSE;
    }
  return TRUE;
}

gboolean
cd_cli_close_output (FILE       *out,
                     const char *path,
                     GError    **error)
{
  return finish (out, path, TRUE, error);
}

void
cd_cli_abandon_output (FILE *out)
{
  finish (out, NULL, FALSE, NULL);
}

FILE *
cd_cli_open_output_or_report (const char *command,
                              const char *path)
{
  g_autoptr(GError) error = NULL;
  FILE *out = cd_cli_open_output (path, &error);

  if (out == NULL)
    cd_cli_report_command (command, "%s", error->message);
  return out;
}

int
cd_cli_finish_output (const char *command,
                      FILE       *out,
                      const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!cd_cli_close_output (out, path, &error))
    {
      cd_cli_report_command (command, "%s", error->message);
      return CD_EXIT_FAILED;
    }
  return CD_EXIT_OK;
}

void
cd_cli_setup_locale (void)
{
  /* Messages follow the user's language; numbers in files never do
   * (every number is written with g_ascii_formatd). */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

void
cd_cli_report_unknown_command (const char *name)
{
  fprintf (stderr, _("coordyn-cli: unknown command '%s'"), name);
  fputs ("\n\n", stderr);
}

/* ---- --figure ------------------------------------------------------------- */

const CdCliFigureHooks *cd_cli_figure_hooks = NULL;

void
cd_cli_figure_clear (CdCliFigure *figure)
{
  g_clear_pointer (&figure->path, g_free);
  g_clear_pointer (&figure->preset, g_free);
  g_clear_pointer (&figure->outcome, g_free);
  figure->no_title = FALSE;
}

gboolean
cd_cli_figure_check (const char        *command,
                     const CdCliFigure *figure)
{
  if (figure->path == NULL)
    {
      if (figure->preset != NULL || figure->outcome != NULL || figure->no_title)
        {
          cd_cli_usage_error (command, _("--preset, --figure-outcome and --no-title go with "
                                         "--figure FILE"));
          return FALSE;
        }
      return TRUE;
    }
  if (cd_cli_figure_hooks == NULL)
    {
      /* coordyn-cli hands every --figure to its helper: not reached there */
      cd_cli_report_command (command, _("this program cannot draw figures: run it as "
                                        "coordyn-cli"));
      return FALSE;
    }
  return cd_cli_figure_hooks->check (command, figure);
}

int
cd_cli_figure_draw (const char         *command,
                    const CdCliFigure  *figure,
                    const CdCliResults *results)
{
  if (figure->path == NULL)
    return CD_EXIT_OK;
  g_return_val_if_fail (cd_cli_figure_hooks != NULL, CD_EXIT_FAILED);
  return cd_cli_figure_hooks->draw (command, figure, results);
}
