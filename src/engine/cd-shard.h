/* cd-shard.h — a part of a study run with --shard K/N, and merging the
 * parts back into exactly the table the whole study writes.
 *
 * A shard file is CSV preceded by lines that start with "# " (a comment to
 * most CSV readers) and say which study it is part of:
 *
 *   # coordyn-shard: 1
 *   # command: montecarlo
 *   # shard: 2/4
 *   # runs: 250-499 of 1000
 *   # coordyn: 0.1.0
 *   # model: sha256:…
 *   # study: --runs 1000 --seed 7 --bands
 *   # parameter: resistance.law,uniform,0,1,0.5
 *   # times: 601,0.10000000000000001
 *
 * Every line but "shard" and "runs" identifies the study, and so does the
 * table's header: shards merge only when those agree, every part from 1 to
 * N is there once, and each holds exactly its runs.  What a part cannot
 * reduce on its own travels in full precision (17 significant digits read
 * back to the same double): the outcomes of a Sobol design, whose indices
 * need every run, and each run's trajectory for Monte Carlo bands, whose
 * quantiles do.  Merging then runs the same code as the whole study, so
 * the merged bytes are the whole study's (docs/analysis.md, "Shards").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-analysis-csv.h"

G_BEGIN_DECLS

#define CD_SHARD_FORMAT_VERSION 1

#define CD_SHARD_ERROR (cd_shard_error_quark ())

typedef enum
{
  CD_SHARD_ERROR_IO,          /* a shard could not be read */
  CD_SHARD_ERROR_NOT_SHARD,   /* a file is not a shard, or of a format this Coordyn does not read */
  CD_SHARD_ERROR_FOREIGN,     /* shards of different studies */
  CD_SHARD_ERROR_REPEATED,    /* a part given twice */
  CD_SHARD_ERROR_MISSING,     /* a part not given */
  CD_SHARD_ERROR_DAMAGED,     /* a shard whose rows are not what its preamble says */
  CD_SHARD_ERROR_TOO_LARGE,   /* what the merge needs would not fit in memory */
} CdShardError;

GQuark cd_shard_error_quark (void);

/* The commands whose studies split into shards. */
typedef enum
{
  CD_SHARD_MONTECARLO,        /* montecarlo: rows of runs, and trajectories for --bands */
  CD_SHARD_SOBOL,             /* sensitivity --sobol: rows of design runs with their outcomes */
  CD_SHARD_EXPERIMENT,        /* experiment: rows of runs */
} CdShardKind;

/* The preamble of a shard. */
typedef struct
{
  CdShardKind kind;
  guint       shard;          /* 1-based */
  guint       n_shards;
  guint64     first;          /* this part's runs: first … first + count − 1 */
  guint64     count;
  guint64     total;          /* runs of the whole study */
  GPtrArray  *identity;       /* of char *, "key: value", in order */
} CdShardHead;

/* Runs ⌊(k−1)R/n⌋ … ⌊kR/n⌋ − 1 of R for part k of n (every command's rule). */
void         cd_shard_bounds     (guint64             total,
                                  guint               shard,
                                  guint               n_shards,
                                  guint64            *first,
                                  guint64            *count);

/* A head with the part's runs, the command and this Coordyn's version;
 * the command adds the rest of what identifies its study. */
CdShardHead *cd_shard_head_new   (CdShardKind         kind,
                                  guint               shard,
                                  guint               n_shards,
                                  guint64             total);
void         cd_shard_head_free  (CdShardHead        *head);
void         cd_shard_head_add   (CdShardHead        *head,
                                  const char         *key,
                                  const char         *format,
                                  ...) G_GNUC_PRINTF (3, 4);
/* One "parameter: PATH,DISTRIBUTION,MIN,MAX,MODE" line per range. */
void         cd_shard_head_add_ranges (CdShardHead   *head,
                                       const CdRange *ranges,
                                       guint          n);

/* "sha256:HEX" of a file's bytes, as `sha256sum` prints them. */
char        *cd_shard_file_sha256 (const char        *path,
                                   GError           **error);

/* The preamble alone (an experiment then streams its rows). */
void         cd_shard_write_head (const CdCsvSink    *sink,
                                  const CdShardHead  *head);
/* The preamble, the runs' rows as the whole study writes them, and with
 * kept series (head must then have a "times" line) every run's trajectory
 * as a line "#,RUN,X(t_0),…,X(t_T−1),L(t_0),…,L(t_T−1)". */
void         cd_shard_write_montecarlo (const CdCsvSink    *sink,
                                        const CdShardHead  *head,
                                        const CdMonteCarlo *mc);
/* The preamble and one row per design run:
 * run,PARAMETER…,final_mean_coordination,total_loss. */
void         cd_shard_write_sobol      (const CdCsvSink    *sink,
                                        const CdShardHead  *head,
                                        const CdSobolPart  *part);

/* A set of shard files read up to their tables and checked: one study,
 * every part once. */
typedef struct _CdShardSet CdShardSet;

CdShardSet  *cd_shard_set_open   (const char *const  *paths,
                                  guint               n_paths,
                                  GError            **error);
void         cd_shard_set_free   (CdShardSet         *set);
CdShardKind  cd_shard_set_kind   (const CdShardSet   *set);
/* Whether the shards carry trajectories (montecarlo with --bands). */
gboolean     cd_shard_set_has_trajectories (const CdShardSet *set);
/* Writes the whole study's table to out, and with trajectories its bands
 * to bands (which may then not be NULL); checks every row on the way. */
gboolean     cd_shard_set_merge  (CdShardSet         *set,
                                  const CdCsvSink    *out,
                                  const CdCsvSink    *bands,
                                  GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdShardHead, cd_shard_head_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdShardSet, cd_shard_set_free)

G_END_DECLS
