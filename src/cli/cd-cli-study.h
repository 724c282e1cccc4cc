/* cd-cli-study.h — what the commands that shard a study share
 * (cd-cli-study.c): the --shard option, the shard's preamble, and the
 * check that an output does not replace an input.
 *
 * Apart from cd-cli.h, which coordyn-cli-graphics includes too: the
 * engine's analysis headers cd-shard.h brings clash with render's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-cli.h"
#include "cd-shard.h"

G_BEGIN_DECLS

/* --shard K/N: 1 ≤ K ≤ N. */
gboolean  cd_cli_parse_shard   (const char     *text,
                                guint          *shard,
                                guint          *n_shards);
/* The preamble of a shard of a study of `total` runs of the model at
 * model_path (whose digest it records); prints the error and returns NULL
 * when the model cannot be read. */
CdShardHead *cd_cli_shard_head (CdShardKind     kind,
                                guint           shard,
                                guint           n_shards,
                                guint64         total,
                                const char     *model_path);

G_END_DECLS
