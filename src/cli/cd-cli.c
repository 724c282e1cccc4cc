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
#include <malloc.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/mman.h>
#endif

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cd-atomic-file.h"
#include "cd-cli.h"
#include "cd-file.h"
#include "cd-locale.h"
#include "cd-model-json.h"
#include "cd-number.h"

/* The entries of each context (GOptionContext does not tell), for the
 * look cd_cli_parse takes at the command line before GLib does. */
static GHashTable *context_entries;

void
cd_cli_add_entries (GOptionContext     *context,
                    const GOptionEntry *entries)
{
  if (context_entries == NULL)
    context_entries = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (context_entries, context, (gpointer) entries);
  g_option_context_add_main_entries (context, entries, NULL);
}

/* The entry arg names (--NAME, --NAME=…, or -N for a short option), or NULL. */
static const GOptionEntry *
find_entry (const GOptionEntry *entries,
            const char         *arg)
{
  if (arg[0] != '-' || arg[1] == '\0')
    return NULL;
  for (const GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++)
    {
      gsize len = strlen (e->long_name);

      if (arg[1] == '-' ? strncmp (arg + 2, e->long_name, len) == 0
                          && (arg[2 + len] == '\0' || arg[2 + len] == '=')
                        : e->short_name != 0 && arg[1] == e->short_name && arg[2] == '\0')
        return e;
    }
  return NULL;
}

/* GLib takes --FLAG=VALUE for a flag as --FLAG and drops the value, so
 * that --forces=no would turn the forces on: refused, naming the flag. */
static gboolean
check_flags_take_no_value (const GOptionEntry *entries,
                           int                 argc,
                           char              **argv,
                           const char         *command)
{
  for (int i = 1; i < argc; i++)
    {
      const GOptionEntry *e;

      if (strcmp (argv[i], "--") == 0)
        break;
      e = find_entry (entries, argv[i]);
      if (e == NULL)
        continue;
      if (e->arg == G_OPTION_ARG_NONE && strchr (argv[i], '=') != NULL)
        {
          g_autofree char *shown = g_utf8_make_valid (argv[i], -1);

          /* Translators: the first %s is an option such as --forces, the
           * second what was given, such as --forces=no. */
          cd_cli_usage_error (command, _("--%s takes no value: give --%s alone, not %s"),
                              e->long_name, e->long_name, shown);
          return FALSE;
        }
      /* the value of an option given apart is not an option */
      if (e->arg != G_OPTION_ARG_NONE && strchr (argv[i], '=') == NULL)
        i++;
    }
  return TRUE;
}

/* The first argument that reads as a negative number, such as -5, or NULL. */
static const char *
negative_number (int    argc,
                 char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      char *end = NULL;

      if (strcmp (argv[i], "--") == 0)
        break;
      if (argv[i][0] == '-' && (g_ascii_isdigit (argv[i][1]) || argv[i][1] == '.'))
        {
          g_ascii_strtod (argv[i], &end);
          if (end != argv[i] && *end == '\0')
            return argv[i];
        }
    }
  return NULL;
}

/* The option whose value is not text in the locale's encoding (what GLib
 * refuses with G_CONVERT_ERROR), as written: --NAME or -N; or NULL. */
static char *
invalid_value_option (const GOptionEntry *entries,
                      int                 argc,
                      char              **argv)
{
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *converted = NULL;
      const char *eq;

      if (strcmp (argv[i], "--") == 0)
        break;
      converted = g_locale_to_utf8 (argv[i], -1, NULL, NULL, NULL);
      if (converted != NULL)
        continue;
      eq = strchr (argv[i], '=');
      if (g_str_has_prefix (argv[i], "--") && eq != NULL
          && g_utf8_validate (argv[i], eq - argv[i], NULL))
        return g_strndup (argv[i], eq - argv[i]);
      if (i > 1 && argv[i - 1][0] == '-' && strchr (argv[i - 1], '=') == NULL
          && (entries == NULL || (find_entry (entries, argv[i - 1]) != NULL
                                  && find_entry (entries, argv[i - 1])->arg
                                     != G_OPTION_ARG_NONE)))
        return g_utf8_make_valid (argv[i - 1], -1);
    }
  return NULL;
}

gboolean
cd_cli_parse (GOptionContext *context,
              int            *argc,
              char         ***argv,
              const char     *command)
{
  g_autoptr(GError) error = NULL;
  GOptionGroup *main_group = g_option_context_get_main_group (context);
  const GOptionEntry *entries = context_entries != NULL
                                ? g_hash_table_lookup (context_entries, context) : NULL;
  g_autofree char *negative = NULL;
  g_autofree char *invalid = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (main_group != NULL)
    g_option_group_set_translation_domain (main_group, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_hash_table_remove (context_entries, context);
  if (entries != NULL && !check_flags_take_no_value (entries, *argc, *argv, command))
    return FALSE;
  /* GLib takes -5 for an option: said so, with the way to give it */
  negative = g_strdup (negative_number (*argc, *argv));
  /* and words a value that is not text ("--dt $'\xff'") without naming
   * the option: the option named */
  invalid = invalid_value_option (entries, *argc, *argv);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      if (invalid != NULL && error->domain == G_CONVERT_ERROR)
        /* Translators: an option such as --dt, then GLib's reason, such as
         * "Invalid byte sequence in conversion input". */
        cd_cli_usage_error (command, _("the value of %s is not text in the encoding of the "
                                       "locale (%s)"), invalid, error->message);
      else if (negative != NULL && g_error_matches (error, G_OPTION_ERROR,
                                               G_OPTION_ERROR_UNKNOWN_OPTION))
        /* Translators: GLib's "Unknown option -5", then a number such as -5
         * and a command such as sweep. */
        cd_cli_usage_error (command, _("%s (to give the negative number %s, put -- before the "
                                       "arguments: coordyn-cli %s [OPTION…] -- …)"),
                            error->message, negative, command);
      else
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
cd_cli_analysis_failed (const char *model_path,
                        GError     *error)
{
  cd_cli_report (model_path, "%s", error->message);
  return CD_EXIT_FAILED;
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

static void prefault_for_file (const char *path);

/* Freed piece by piece, the national model, its system and its CSV writer
 * took 1.1–1.4 ms at the end of a 75 ms `run`; the process's exit gives
 * the memory back at once.  Kept reachable here, so that LeakSanitizer
 * does not call it a leak. */
static gpointer left_for_exit[8];

void
cd_cli_leave_for_exit (gpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (left_for_exit); i++)
    if (left_for_exit[i] == NULL)
      {
        left_for_exit[i] = data;
        return;
      }
  g_return_if_reached ();
}

void (*cd_cli_hand_over) (void) = NULL;

CdModel *
cd_cli_load_model (const char *path)
{
  g_autoptr(GError) error = NULL;
  CdModel *model;

  prefault_for_file (path);
  model = cd_model_load_file (path, &error);
  if (model == NULL && cd_cli_hand_over != NULL
      && g_error_matches (error, CD_MODEL_ERROR, CD_MODEL_ERROR_NEEDS_JSON_GLIB))
    cd_cli_hand_over ();
  if (model == NULL)
    {
      /* One line per problem, each naming the file, as compilers do. */
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        cd_cli_report (path, "%s", lines[i]);
    }
  return model;
}

CdInstitution *
cd_cli_find_institution (const char *command,
                         const char *name_or_file)
{
  g_autoptr(GError) error = NULL;
  CdInstitution *inst = cd_institution_find (name_or_file, &error);

  if (inst == NULL)
    {
      /* A file's problems name the file on every line already. */
      if (error->code == CD_INSTITUTION_ERROR_NOT_FOUND)
        cd_cli_report_command (command, "%s", error->message);
      else
        fprintf (stderr, "%s\n", error->message);
    }
  return inst;
}

CdModel *
cd_cli_apply_institution (const char          *model_path,
                          const CdInstitution *inst,
                          const CdModel       *model)
{
  g_autoptr(GError) error = NULL;
  CdModel *applied = cd_institution_apply (inst, model, &error);

  if (applied == NULL)
    cd_cli_report (model_path, "%s", error->message);
  return applied;
}

/* Output to a file goes through cd-atomic-file.h: written to a temporary
 * file beside it and renamed over it only when complete, so a failed or
 * interrupted command (SIGINT, SIGTERM, SIGHUP included) never leaves a
 * truncated result, nor destroys the file that was there, nor leaves its
 * temporary file.  Devices and pipes (/dev/null, a FIFO) are written
 * directly and never removed. */
static GHashTable *pending_outputs;   /* FILE * → CdAtomicFile * */

/* "PATH: reason" for a GError of the system's reason only. */
static void
prefix_path (GError    **error,
             const char *path)
{
  if (error != NULL && *error != NULL)
    {
      g_autofree char *message = cd_cli_place_message (path, (*error)->message);
      g_free ((*error)->message);
      (*error)->message = g_steal_pointer (&message);
    }
}

/* Set once a failure to write standard output has been reported. */
static gboolean stdout_failure_reported;

#define STDOUT_BUFFER_SIZE ((gsize) 1 << 20)

FILE *
cd_cli_open_output (const char *path,
                    GError    **error)
{
  CdAtomicFile *file;
  FILE *out;

  if (path == NULL || strcmp (path, "-") == 0)
    {
      /* With a NULL buffer glibc ignores the size (cd-atomic-file.c);
       * this one lives until the process exits, as stdout does. */
      static char *stdout_buffer;

      if (stdout_buffer == NULL)
        {
          stdout_buffer = g_malloc (STDOUT_BUFFER_SIZE);
          setvbuf (stdout, stdout_buffer, _IOFBF, STDOUT_BUFFER_SIZE);
        }
      return stdout;
    }
  file = cd_atomic_file_new (path, error);
  if (file == NULL)
    {
      prefix_path (error, path);
      return NULL;
    }
  out = cd_atomic_file_get_stream (file);
  if (out == NULL)
    {
      int saved = errno;
      cd_atomic_file_abandon (file);
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                           g_strerror (saved));
      prefix_path (error, path);
      return NULL;
    }
  if (pending_outputs == NULL)
    pending_outputs = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (pending_outputs, out, file);
  return out;
}

/* Closes the output; with commit, a temporary file takes the target's name. */
static gboolean
finish (FILE       *out,
        const char *path,
        gboolean    commit,
        GError    **error)
{
  CdAtomicFile *file = pending_outputs ? g_hash_table_lookup (pending_outputs, out) : NULL;
  gboolean failed;
  int saved;

  if (file != NULL)
    {
      g_hash_table_remove (pending_outputs, out);
      if (!commit)
        {
          cd_atomic_file_abandon (file);
          return TRUE;
        }
      if (!cd_atomic_file_commit (file, error))
        {
          prefix_path (error, path);
          return FALSE;
        }
      return TRUE;
    }
  /* standard output */
  failed = fflush (out) != 0 || ferror (out);
  saved = errno;
  if (commit && failed)
    {
      g_autofree char *message = cd_cli_place_message (_("standard output"),
                                                       g_strerror (saved));

      stdout_failure_reported = TRUE;
      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), message);
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

gboolean
cd_cli_check_files (const char        *command,
                    const char *const *inputs,
                    const CdCliOutput *outputs,
                    guint              n_outputs)
{
  const char *to_stdout = NULL;   /* the option that writes to standard output */

  for (guint i = 0; i < n_outputs; i++)
    {
      const char *path = outputs[i].path;
      gboolean dash = path != NULL && strcmp (path, "-") == 0;

      if (dash && outputs[i].file_only)
        {
          /* render, upgrade and fit --write-model wrote a file named - */
          /* Translators: %s is an option such as -o. */
          cd_cli_usage_error (command, _("%s -: this is written to a file only, not to standard "
                                         "output; give a file name (./- for a file named -)"),
                              outputs[i].option);
          return FALSE;
        }
      if (dash || (path == NULL && strcmp (outputs[i].option, "-o") == 0
                   && !outputs[i].no_stdout && !outputs[i].file_only))
        {
          if (to_stdout != NULL)
            {
              /* Translators: two options such as -o and --bands. */
              cd_cli_usage_error (command, _("%s and %s would both write to standard output, "
                                             "one into the other: give one of them a file"),
                                  to_stdout, outputs[i].option);
              return FALSE;
            }
          to_stdout = outputs[i].option;
        }
      if (path == NULL || dash)
        continue;
      if (*path == '\0')
        {
          /* Translators: %s is an option such as -o. */
          cd_cli_usage_error (command, _("%s needs a file name, not an empty one"),
                              outputs[i].option);
          return FALSE;
        }
      /* A folder that is not there is found now, not after the work
       * (a fit of an hour, a study of a million runs) is done; a failure
       * to write, as it would have been then (exit status 1), not a usage
       * error.  Nothing is open yet. */
      {
        g_autofree char *folder = g_path_get_dirname (path);

        if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
          {
            /* Translators: an option such as -o, its file, and the folder
             * the file would be in, e.g. "-o out/a.csv: there is no folder out". */
            cd_cli_report_command (command, _("%s %s: there is no folder %s to write it in"),
                                   outputs[i].option, path, folder);
            exit (CD_EXIT_FAILED);
          }
      }
      for (guint k = 0; inputs != NULL && inputs[k] != NULL; k++)
        if (cd_file_same (path, inputs[k]))
          {
            /* Translators: an option such as -o, its file, and a file the
             * command reads, e.g. "-o m.json is the same file as m.json". */
            cd_cli_usage_error (command, _("%s %s is the same file as %s, which this command "
                                           "reads: writing it would destroy its own input"),
                                outputs[i].option, path, inputs[k]);
            return FALSE;
          }
      for (guint k = 0; k < i; k++)
        {
          const char *other = outputs[k].path;
          g_autofree char *a = NULL, *b = NULL;

          if (other == NULL || strcmp (other, "-") == 0 || *other == '\0')
            continue;
          /* /dev/null twice is fine: only files are replaced */
          if ((g_file_test (path, G_FILE_TEST_EXISTS)
               && !g_file_test (path, G_FILE_TEST_IS_REGULAR))
              || (g_file_test (other, G_FILE_TEST_EXISTS)
                  && !g_file_test (other, G_FILE_TEST_IS_REGULAR)))
            continue;
          a = g_canonicalize_filename (path, NULL);
          b = g_canonicalize_filename (other, NULL);
          if (strcmp (a, b) == 0 || cd_file_same (path, other))
            {
              /* Translators: two options such as -o and --bands, and the file. */
              cd_cli_usage_error (command, _("%s and %s name the same file, %s"),
                                  outputs[k].option, outputs[i].option, path);
              return FALSE;
            }
        }
    }
  return TRUE;
}

gboolean
cd_cli_parse_number (const char *command,
                     const char *option,
                     const char *text,
                     gboolean    positive,
                     double     *out)
{
  double v = NAN;
  CdNumberText kind = cd_number_scan (text, &v);

  if (kind == CD_NUMBER_OUT_OF_RANGE)
    {
      /* Translators: an option such as --dt, and what was given. */
      cd_cli_usage_error (command, _("%s is too large or too close to 0 for a number "
                                     "(from 2.2e-308 to 1.8e308), “%s”"), option, text);
      return FALSE;
    }
  if (kind != CD_NUMBER_OK || (positive ? !(v > 0) : !(v >= 0)))
    {
      if (positive)
        /* Translators: an option such as --dt, and what was given. */
        cd_cli_usage_error (command, _("%s must be a number greater than 0, not “%s”"), option,
                            text ? text : "");
      else
        cd_cli_usage_error (command, _("%s must be a number ≥ 0, not “%s”"), option,
                            text ? text : "");
      return FALSE;
    }
  *out = v;
  return TRUE;
}

gboolean
cd_cli_parse_size (const char *command,
                   const char *option,
                   const char *text,
                   guint64    *out)
{
  static const char units[] = "KMGTP";
  char *end = NULL;
  double v, scale = 1;
  const char *unit;

  errno = 0;
  v = text != NULL && g_ascii_isdigit (*text) ? g_ascii_strtod (text, &end) : NAN;
  if (end != NULL && *end != '\0' && (unit = strchr (units, g_ascii_toupper (*end))) != NULL)
    {
      scale = ldexp (1, 10 * (int) (unit - units + 1));
      end++;
      if (*end == 'i')
        end++;
      if (*end == 'B' || *end == 'b')
        end++;
    }
  else if (end != NULL && (*end == 'B' || *end == 'b'))
    end++;
  if (end == NULL || *end != '\0' || errno == ERANGE || !isfinite (v) || v * scale < 1
      || v * scale > (double) G_MAXUINT64 / 2)
    {
      /* Translators: an option such as --max-output, and what was given. */
      cd_cli_usage_error (command, _("%s must be a size such as 500M, 40G or 2T (K, M, G, T: "
                                     "KiB, MiB, GiB, TiB), or a number of bytes, not “%s”"),
                          option, text ? text : "");
      return FALSE;
    }
  *out = (guint64) (v * scale);
  return TRUE;
}

gboolean
cd_cli_check_output_size (const char *command,
                          const char *what,
                          double      estimate,
                          guint64     max)
{
  g_autofree char *size = NULL, *limit = NULL;

  if (estimate <= (double) max)
    return TRUE;
  size = estimate < (double) G_MAXUINT64 ? g_format_size ((guint64) estimate)
                                          : g_strdup_printf ("%.3g B", estimate);
  limit = g_format_size_full (max, G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: what (such as "the CSV"), its estimated size, and the
   * limit, e.g. "the CSV would be about 470.0 GB, over the limit of 16.0 GiB". */
  cd_cli_report_command (command, _("%s would be about %s, over the limit of %s: check the "
                                    "settings (a dt ten times too small makes it ten times "
                                    "larger), or raise the limit with --max-output"),
                         what, size, limit);
  return FALSE;
}

/* ---- memory ------------------------------------------------------------------
 *
 * A command touches every page of its memory for the first time: the model
 * file read into a buffer, the parsed tree, the model, the compiled system,
 * the integrator, the rows being formatted — about 3,000 pages of 4 KiB on
 * the national model.  On a virtual machine each first touch is a fault the
 * hypervisor takes part in: 20–30 µs on the 2-core VM this was measured on
 * (bench/README.md, "Issue 17, third pass"), so that `validate` spent half its time in
 * them.  A transparent huge page of 2 MiB is one fault and a memset: under
 * 0.3 µs a 4 KiB page there.  The kernel's default ("madvise") gives huge
 * pages only where asked, so here the heap is grown by HEAP_RESERVE at
 * once and that part marked MADV_HUGEPAGE before anything is written to it
 * (a 2 MiB range with one 4 KiB page in it stays in 4 KiB pages), blocks up
 * to MMAP_THRESHOLD come from the heap instead of mappings of their own,
 * which stay in 4 KiB pages, and the heap before its first 2 MiB boundary
 * is handed out once and kept, so that the blocks after it start on huge
 * pages.  Untouched parts cost address space only; resident memory grows
 * by at most a partly used huge page.  Where there are no transparent huge
 * pages (another kernel, another C library, a sanitizer's allocator)
 * nothing changes.
 *
 * Only where first touches are slow, though.  On the Xeon VM of 6 December
 * a 4 KiB fault took 1.3–2 µs and a huge page's 310–390 µs, now and then
 * 9 ms (the kernel finding 2 MiB together), and the national run was 11 %
 * slower with huge pages (median of 40 alternating runs, 0.130 against
 * 0.116 s).  So the first touches of SMALL_FAULT_PROBE pages are timed
 * first (some 30 µs there, 0.5 ms where faults are slow), and huge pages
 * asked for only when they took more than SLOW_FAULT_NS a page.
 * COORDYN_HUGE_PAGES=never or =always overrides the probe, for measuring. */

#define HUGE_PAGE      ((gsize) 2 << 20)
/* glibc's largest M_MMAP_THRESHOLD on 64-bit systems */
#define MMAP_THRESHOLD (32 << 20)
/* Less than MMAP_THRESHOLD: the block that grows the heap must come from it. */
#define HEAP_RESERVE   ((gsize) 30 << 20)

/* The heap before its first 2 MiB boundary, kept (see above); volatile,
 * or the compiler drops a block that is never read. */
static gpointer volatile heap_head;
/* The part of the heap marked for huge pages, or 0 and 0. */
static guintptr huge_start, huge_end;

#define SMALL_FAULT_PROBE 16
#define SLOW_FAULT_NS     5000

#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE) \
    && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
/* Whether a first touch of a page of fresh memory takes long here. */
static gboolean
small_faults_are_slow (void)
{
  const gsize page = (gsize) sysconf (_SC_PAGESIZE), size = SMALL_FAULT_PROBE * page;
  volatile char *p = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
  struct timespec t0, t1;
  gint64 took;

  if (p == MAP_FAILED)
    return FALSE;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  for (gsize at = 0; at < size; at += page)
    p[at] = 1;
  clock_gettime (CLOCK_MONOTONIC, &t1);
  munmap ((void *) p, size);
  took = (t1.tv_sec - t0.tv_sec) * G_GINT64_CONSTANT (1000000000) + (t1.tv_nsec - t0.tv_nsec);
  return took > SMALL_FAULT_PROBE * (gint64) SLOW_FAULT_NS;
}
#endif

void
cd_cli_tune_memory (void)
{
#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE) \
    && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  const char *setting = g_getenv ("COORDYN_HUGE_PAGES");
  guintptr start, end, first;
  char *probe;

  if (setting != NULL && strcmp (setting, "never") == 0)
    return;
  if (!(setting != NULL && strcmp (setting, "always") == 0) && !small_faults_are_slow ())
    return;
  /* MALLOC_PERTURB_ (which meson test sets for every test, and its
   * children inherit) makes glibc fill every block it hands out and takes
   * back: the probe below would be written in full, 60 MiB of memset and
   * 28 MB resident for nothing, 0.1 s of every command (2026-12-06).  The
   * huge pages would not come either: leave the heap alone. */
  {
    const char *perturb = g_getenv ("MALLOC_PERTURB_");
    if (perturb != NULL && atoi (perturb) != 0)
      return;
  }
  /* Freeing the block below must not give the heap back to the system. */
  if (mallopt (M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1
      || mallopt (M_TRIM_THRESHOLD, (int) (4 * HEAP_RESERVE)) != 1)
    return;
  start = (guintptr) sbrk (0);
  probe = malloc (HEAP_RESERVE);
  if (probe == NULL || start == (guintptr) -1)
    {
      free (probe);
      return;
    }
  first = (guintptr) probe;
  /* malloc wrote the block's header before it and the rest of the heap's
   * after it: the range in between is untouched. */
  start = (MAX (start, first) + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
  end = (first + HEAP_RESERVE) & ~(HUGE_PAGE - 1);
  if (end > start && madvise ((void *) start, end - start, MADV_HUGEPAGE) == 0)
    {
      huge_start = start;
      huge_end = end;
      free (probe);
      /* The next block from the heap starts where the probe did. */
      if (start > first + 64)
        heap_head = malloc (start - first - 32);
    }
  else
    free (probe);
#endif
}

/* ---- memory, ahead of the load ---------------------------------------------
 *
 * Even in huge pages a first touch is not free where the hypervisor has
 * to find the memory too: 16 MiB took 1.0 to 11 ms on the EPYC VM of
 * bench/README.md's eleventh pass, as the host went.  A large model's
 * load and compilation touch their fresh heap one page after the other on
 * one thread while the other core waits.  So before a large file is read,
 * a thread of its own faults three times the file's size of the huge-page
 * heap in (MADV_POPULATE_WRITE: page tables and zeroed pages, nothing
 * written), and the reader finds it there.  Three times is what `run`
 * touches: its peak RSS on the national model stays 15 MiB (17 MiB with
 * four times).  The thread only ever adds pages to memory that is the
 * process's already, so it needs no lock with malloc, and it is not
 * waited for.  Where cd_cli_tune_memory() left the heap alone, nothing is
 * done. */

/* From a file of 1 MiB, where a run takes tens of milliseconds, to one
 * of 8 MiB.  Beyond, the load takes a good part of a second, which the
 * few milliseconds saved do not change, and the heap faulted in ahead sat
 * partly unused: on 16 copies of the national model (35 MiB, its text
 * mapped apart from the heap) validate's peak went 87 -> 109 MiB. */
#define PREFAULT_MIN_FILE ((goffset) 1 << 20)
#define PREFAULT_MAX_FILE ((goffset) 8 << 20)
#define PREFAULT_PER_BYTE 3

#if defined(MADV_POPULATE_WRITE)
static gpointer
prefault_heap (gpointer data)
{
  gsize size = GPOINTER_TO_SIZE (data);

  madvise ((void *) huge_start, size, MADV_POPULATE_WRITE);
  return NULL;
}
#endif

static void
prefault_for_file (const char *path)
{
#if defined(MADV_POPULATE_WRITE)
  GStatBuf st;
  gsize size;
  GThread *thread;

  if (huge_end == huge_start || g_stat (path, &st) != 0 || !S_ISREG (st.st_mode)
      || st.st_size < PREFAULT_MIN_FILE || st.st_size > PREFAULT_MAX_FILE)
    return;
  size = MIN ((gsize) st.st_size * PREFAULT_PER_BYTE, huge_end - huge_start);
  thread = g_thread_try_new ("cd-prefault", prefault_heap, GSIZE_TO_POINTER (size), NULL);
  if (thread != NULL)
    g_thread_unref (thread);
#else
  (void) path;
#endif
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

/* What a command printed last (validate's "ok: …", thesis --list, GLib's
 * --help, which exits from inside the option parser) is still in the
 * buffer at exit: a full disk or a closed descriptor lost it, with exit
 * status 0.  Runs last of the exit handlers; _exit() keeps the status. */
static void
close_stdout (void)
{
  gboolean flush_failed = fflush (stdout) != 0;
  int saved = errno;

  if (!flush_failed && !ferror (stdout))
    return;
  if (!stdout_failure_reported)
    {
      g_autofree char *what = flush_failed
                              ? cd_cli_place_message (_("standard output"), g_strerror (saved))
                              : g_strdup (_("could not write to standard output"));

      cd_cli_report ("coordyn-cli", "%s", what);
    }
  fflush (stderr);
  _exit (CD_EXIT_FAILED);
}

void
cd_cli_stdout_failure_reported (void)
{
  stdout_failure_reported = TRUE;
}

void
cd_cli_check_stdout_at_exit (void)
{
  atexit (close_stdout);
}

void
cd_cli_report_unknown_command (const char *name)
{
  fprintf (stderr, _("coordyn-cli: unknown command '%s'"), name);
  fputs ("\n\n", stderr);
}

int
cd_cli_helper_main (int                       argc,
                    char                    **argv,
                    const CdCliHelperCommand *commands,
                    guint                     n_commands)
{
  cd_cli_check_stdout_at_exit ();
  cd_cli_tune_memory ();
  cd_cli_setup_locale ();
  /* SIGINT, SIGTERM, SIGHUP: remove the temporary file of an output being
   * written (the old file stays) and exit 130, 143, 129 (README). */
  cd_atomic_file_handle_signals (TRUE);

  if (argc >= 2)
    for (guint i = 0; i < n_commands; i++)
      if (strcmp (argv[1], commands[i].name) == 0)
        return commands[i].run (argc - 1, argv + 1);

  cd_cli_report_unknown_command (argc >= 2 ? argv[1] : "");
  fprintf (stderr, "%s\n", _("'coordyn-cli COMMAND --help' describes each command."));
  return CD_EXIT_USAGE;
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
      /* name the option given: not every command has --figure-outcome */
      const char *given = figure->preset != NULL ? "--preset"
                          : figure->outcome != NULL ? "--figure-outcome"
                          : figure->no_title ? "--no-title" : NULL;

      if (given != NULL)
        {
          /* Translators: %s is --preset, --figure-outcome or --no-title. */
          cd_cli_usage_error (command, _("%s goes with --figure FILE"), given);
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

gboolean
cd_cli_parse_uint (const char *text,
                   guint64     max,
                   guint64    *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0' || *text == '-' || *text == '+')
    return FALSE;
  errno = 0;
  *out = g_ascii_strtoull (text, &end, 10);
  return errno == 0 && end != NULL && *end == '\0' && *out <= max;
}

