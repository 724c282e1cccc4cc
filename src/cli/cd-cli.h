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

#include "cd-analysis-compare.h"
#include "cd-analysis-equilibria.h"
#include "cd-analysis-montecarlo.h"
#include "cd-analysis-optimize.h"
#include "cd-analysis-sensitivity.h"
#include "cd-analysis-sweep.h"
#include "cd-institution.h"
#include "cd-model.h"

G_BEGIN_DECLS

enum
{
  CD_EXIT_OK = 0,
  CD_EXIT_FAILED = 1,
  CD_EXIT_USAGE = 2,
};

typedef int (*CdCliCommand) (int argc, char **argv);

/* In coordyn-cli (and coordyn-cli-analysis, for what it hands over). */
int cd_cli_run         (int argc, char **argv);
int cd_cli_validate    (int argc, char **argv);
int cd_cli_generate    (int argc, char **argv);
int cd_cli_upgrade     (int argc, char **argv);
/* In coordyn-cli-analysis (GIO, json-glib, NLopt); with --figure, those
 * that take it in coordyn-cli-graphics. */
int cd_cli_sensitivity (int argc, char **argv);
int cd_cli_montecarlo  (int argc, char **argv);
int cd_cli_compare     (int argc, char **argv);
int cd_cli_fit         (int argc, char **argv);
int cd_cli_experiment  (int argc, char **argv);
int cd_cli_optimize    (int argc, char **argv);
/* Also `montecarlo-merge`, its name when it merged Monte Carlo shards only. */
int cd_cli_merge       (int argc, char **argv);
/* In coordyn-cli-graphics (cairo, pango, igraph; KLU and ARPACK), which
 * coordyn-cli runs for them. */
int cd_cli_render      (int argc, char **argv);
int cd_cli_metrics     (int argc, char **argv);
int cd_cli_equilibria  (int argc, char **argv);
int cd_cli_sweep       (int argc, char **argv);
int cd_cli_thesis      (int argc, char **argv);
int cd_cli_import      (int argc, char **argv);
int cd_cli_export      (int argc, char **argv);

/* g_option_context_add_main_entries (context, entries, NULL), the entries
 * kept for cd_cli_parse, which refuses a value given to a flag
 * (--forces=no), which GLib would take as the flag. */
void      cd_cli_add_entries   (GOptionContext     *context,
                                const GOptionEntry *entries);
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
/* An analysis of the model at model_path failed: prints "MODEL: message"
 * and returns CD_EXIT_FAILED, the status the command exits with. */
int       cd_cli_analysis_failed (const char  *model_path,
                                  GError      *error);

/* Loads a model; on failure prints "PATH: message" and returns NULL.
 * With cd_cli_hand_over set, a file that needs json-glib to be read goes
 * to cd_cli_hand_over instead, which does not return.  (Only regular
 * files are read, so it can be read again.) */
CdModel  *cd_cli_load_model    (const char     *path);

/* Leaves data (a model, a system, a CSV writer …) for the process's exit to
 * give back, instead of freeing it: for a command's last step. */
void      cd_cli_leave_for_exit (gpointer data);

/* A command of a helper, and the main () of a helper (coordyn-cli-analysis,
 * coordyn-cli-graphics), which coordyn-cli replaces itself with: sets up
 * the heap, the language and the signals, and runs argv[1] from commands;
 * run by hand with another command, it points to coordyn-cli. */
typedef struct
{
  const char  *name;
  CdCliCommand run;
} CdCliHelperCommand;

int       cd_cli_helper_main    (int                       argc,
                                 char                    **argv,
                                 const CdCliHelperCommand *commands,
                                 guint                     n_commands);

/* Set by coordyn-cli, which has no json-glib: runs the whole command in
 * coordyn-cli-analysis instead (coordyn-cli.c). */
extern void (*cd_cli_hand_over) (void);

/* Finds an institutional arrangement by NAME or FILE (cd_institution_find);
 * on failure prints why (a file's problems naming the file, an unknown
 * name as "coordyn-cli COMMAND: …") and returns NULL. */
CdInstitution *cd_cli_find_institution  (const char          *command,
                                         const char          *name_or_file);
/* The model under the arrangement; on failure prints "MODEL: message". */
CdModel       *cd_cli_apply_institution (const char          *model_path,
                                         const CdInstitution *inst,
                                         const CdModel       *model);

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

/* A file a command writes, and the option that named it ("-o", "--bands"). */
typedef struct
{
  const char *option;
  const char *path;      /* "-", and NULL for -o: standard output */
  gboolean    file_only; /* written to a file only: "-" is refused */
  gboolean    no_stdout; /* -o given NULL is not written at all */
} CdCliOutput;

/* Checks, before anything is read or written, that no output has an empty
 * name, that none is one of the inputs (the same file, also through a link
 * or another spelling of its path: `run m.json -o m.json` made m.json a
 * CSV), that no two outputs are the same file, that at most one writes to
 * standard output and none that is file_only does.  Prints a usage error and
 * returns FALSE otherwise.  inputs is NULL-terminated.  An output in a
 * folder that is not there ends the process at once with exit status 1 (a
 * failure to write, found before the work rather than after it). */
gboolean  cd_cli_check_files   (const char        *command,
                                const char *const *inputs,
                                const CdCliOutput *outputs,
                                guint              n_outputs);

/* A whole number ≤ max written in decimal digits only (no sign, nothing
 * after it); FALSE otherwise. */
gboolean  cd_cli_parse_uint    (const char     *text,
                                guint64         max,
                                guint64        *out);

/* An option's number, given as text: finite, and > 0 (positive) or ≥ 0.
 * Prints a usage error naming option and returns FALSE otherwise. */
gboolean  cd_cli_parse_number  (const char     *command,
                                const char     *option,
                                const char     *text,
                                gboolean        positive,
                                double         *out);
/* A size such as 500M, 10G, 2T or 1.5GiB (K, M, G, T, P: powers of 1024),
 * or a number of bytes. */
gboolean  cd_cli_parse_size    (const char     *command,
                                const char     *option,
                                const char     *text,
                                guint64        *out);
/* FALSE, having said why, when an output of about `estimate` bytes is over
 * max (CD_CSV_MAX_OUTPUT unless --max-output raised it). */
gboolean  cd_cli_check_output_size (const char *command,
                                    const char *what,
                                    double      estimate,
                                    guint64     max);

/* The --max-output option of the commands that write output of any size. */
#define CD_CLI_MAX_OUTPUT_ENTRY(text) \
  { "max-output", 0, 0, G_OPTION_ARG_STRING, (text), \
    N_("Refuse to write more than SIZE (such as 500M or 40G; default 16G)"), N_("SIZE") }

/* First thing in main(): the heap on transparent huge pages where the
 * system has them (cd-cli.c, "memory"). */
void      cd_cli_tune_memory   (void);
/* Messages in the user's language, from the catalogs of the build tree or the installation. */
void      cd_cli_setup_locale  (void);
/* At exit, a failure to write standard output (what is still in its
 * buffer, or an error before) is reported and the exit status made 1. */
void      cd_cli_check_stdout_at_exit (void);
/* A command that reported a failure to write standard output itself says
 * so, and the exit handler does not report it again. */
void      cd_cli_stdout_failure_reported (void);
/* "coordyn-cli: unknown command 'NAME'" and an empty line, on standard error. */
void      cd_cli_report_unknown_command (const char *name);

/* ---- --figure: the chart the app shows, from the analysis commands ------- */

/* The options; strings freed by cd_cli_figure_clear. */
typedef struct
{
  char     *path;      /* --figure FILE; NULL: no figure */
  char     *preset;    /* --preset column|page|slide */
  char     *outcome;   /* --figure-outcome coordination|loss */
  gboolean  no_title;  /* --no-title */
} CdCliFigure;

void      cd_cli_figure_clear  (CdCliFigure    *figure);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CdCliFigure, cd_cli_figure_clear)

#define CD_CLI_FIGURE_ENTRIES(figure) \
  { "figure", 0, 0, G_OPTION_ARG_FILENAME, &(figure)->path, \
    N_("Also draw the chart the app shows to FILE: PNG, SVG or PDF by its extension"), \
    N_("FILE") }, \
  { "preset", 0, 0, G_OPTION_ARG_STRING, &(figure)->preset, \
    N_("With --figure: column (85 mm) or page (175 mm) for a journal, slide for a projector"), \
    N_("PRESET") }, \
  { "no-title", 0, 0, G_OPTION_ARG_NONE, &(figure)->no_title, \
    N_("With --figure: leave out the chart's title"), NULL }
#define CD_CLI_FIGURE_OUTCOME_ENTRY(figure) \
  { "figure-outcome", 0, 0, G_OPTION_ARG_STRING, &(figure)->outcome, \
    N_("With --figure: chart coordination (default) or loss"), N_("OUTCOME") }

/* What a command computed, for its chart: the member of the command, the
 * others NULL. */
typedef struct
{
  const CdModel      *model;
  const char         *model_path;
  const CdEquilibria *equilibria;
  const CdSweep      *sweep;
  const CdTornado    *tornado;
  const CdSobol      *sobol;
  const CdMonteCarlo *montecarlo;
  const GPtrArray    *outcomes;     /* of CdScenarioOutcome */
  const CdOptimize   *optimize;
  const GPtrArray    *variants;     /* of CdModel, one per outcome, when they are not the
                                     * model's scenarios (institutional arrangements) */
} CdCliResults;

/* Drawing needs cairo and pango, so it is in coordyn-cli-graphics, whose
 * main sets these.  coordyn-cli runs the whole command there whenever
 * --figure is given (coordyn-cli.c), so in coordyn-cli they stay NULL and
 * its plain commands load nothing more than before. */
typedef struct
{
  /* the figure options are sound (format, preset, outcome); else prints a
   * usage error and returns FALSE */
  gboolean (*check) (const char *command, const CdCliFigure *figure);
  /* draws the chart to figure->path; returns the exit status */
  int      (*draw)  (const char *command, const CdCliFigure *figure,
                     const CdCliResults *results);
} CdCliFigureHooks;

extern const CdCliFigureHooks *cd_cli_figure_hooks;
/* coordyn-cli-graphics' hooks (cd-cli-figure.c, in that program only). */
extern const CdCliFigureHooks cd_cli_graphics_figure_hooks;

/* Before the analysis runs: the figure options make sense (and, without
 * --figure, none of them is given); prints a usage error and returns FALSE
 * if not. */
gboolean  cd_cli_figure_check  (const char         *command,
                                const CdCliFigure  *figure);
/* After it: draws the chart when --figure was given; the exit status. */
int       cd_cli_figure_draw   (const char         *command,
                                const CdCliFigure  *figure,
                                const CdCliResults *results);

/* The -o option of the commands that write CSV; output is a char ** (freed by the caller). */
#define CD_CLI_CSV_OUTPUT_ENTRY(output) \
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, (output), \
    N_("Write the CSV to FILE (default: standard output)"), N_("FILE") }

G_END_DECLS
