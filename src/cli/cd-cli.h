/* cd-cli.h — shared pieces of coordyn-cli's subcommands.
 *
 * Each subcommand is a function taking its own argv (argv[0] is the
 * subcommand's name) and returning the process exit status:
 * 0 success, 1 an invalid model or a failed run, 2 a usage error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>
#include <glib/gi18n.h>

#include "cd-model.h"

G_BEGIN_DECLS

enum
{
  CD_EXIT_OK = 0,
  CD_EXIT_FAILED = 1,
  CD_EXIT_USAGE = 2,
};

typedef int (*CdCliCommand) (int argc, char **argv);

int cd_cli_run         (int argc, char **argv);
int cd_cli_validate    (int argc, char **argv);
int cd_cli_generate    (int argc, char **argv);
int cd_cli_sensitivity (int argc, char **argv);
int cd_cli_montecarlo  (int argc, char **argv);
int cd_cli_montecarlo_merge (int argc, char **argv);
int cd_cli_compare     (int argc, char **argv);
/* In coordyn-cli-graphics (cairo, pango, igraph; KLU and ARPACK), which
 * coordyn-cli runs for them. */
int cd_cli_render      (int argc, char **argv);
int cd_cli_metrics     (int argc, char **argv);
int cd_cli_equilibria  (int argc, char **argv);
int cd_cli_sweep       (int argc, char **argv);

/* Parses options; prints the error and returns FALSE on a usage error.
 * --help comes out in the user's language: the context's summary and
 * parameter string and its options' texts are marked N_() where they are
 * written, and translated here, by GLib, as it prints them. */
gboolean  cd_cli_parse         (GOptionContext *context,
                                int            *argc,
                                char         ***argv,
                                const char     *command);
/* The same for a command that takes exactly one model file, which is then (*argv)[1]. */
gboolean  cd_cli_parse_model_command (GOptionContext *context,
                                      int            *argc,
                                      char         ***argv,
                                      const char     *command);
int       cd_cli_usage_error   (const char     *command,
                                const char     *fmt,
                                ...) G_GNUC_PRINTF (2, 3);

/* "PLACE: message" in the user's language: Chinese sets the place off with
 * a full-width colon.  The place is "coordyn-cli COMMAND" or a file. */
char     *cd_cli_place_message (const char     *place,
                                const char     *message);
/* Prints "PLACE: message" and a newline on standard error. */
void      cd_cli_report        (const char     *place,
                                const char     *fmt,
                                ...) G_GNUC_PRINTF (2, 3);
/* The same with "coordyn-cli COMMAND" as the place. */
void      cd_cli_report_command (const char    *command,
                                 const char    *fmt,
                                 ...) G_GNUC_PRINTF (2, 3);

/* Loads a model; on failure prints "PATH: message" and returns NULL. */
CdModel  *cd_cli_load_model    (const char     *path);

/* Opens -o FILE (or stdout for NULL or "-") with a large buffer. */
FILE     *cd_cli_open_output   (const char     *path,
                                GError        **error);
gboolean  cd_cli_close_output  (FILE           *out,
                                const char     *path,
                                GError        **error);
/* The same as cd_cli_open_output, printing "coordyn-cli COMMAND: message" on failure. */
FILE     *cd_cli_open_output_or_report (const char *command,
                                        const char *path);
/* Closes the output without keeping it: a temporary file is removed and
 * the file that was at the path before is left as it was. */
void      cd_cli_abandon_output        (FILE       *out);

/* Closes the output of COMMAND; on failure prints "coordyn-cli COMMAND: message", keeps no
 * partial output and returns CD_EXIT_FAILED, else CD_EXIT_OK. */
int       cd_cli_finish_output (const char     *command,
                                FILE           *out,
                                const char     *path);

/* Messages in the user's language, from the catalogs of the build tree or the installation. */
void      cd_cli_setup_locale  (void);
/* "coordyn-cli: unknown command 'NAME'" and an empty line, on standard error. */
void      cd_cli_report_unknown_command (const char *name);

/* The -o option of the commands that write CSV; output is a char ** (freed by the caller). */
#define CD_CLI_CSV_OUTPUT_ENTRY(output) \
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, (output), \
    N_("Write the CSV to FILE (default: standard output)"), N_("FILE") }

G_END_DECLS
