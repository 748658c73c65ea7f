/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The registry format: one JSON object per combined device, kept as
 * CONFIG_DIR/NAME.json (store.c handles the files). Reading is a pure
 * function from bytes to a map that refuses anything a corrupt or hostile
 * file could hold, so it can be fuzzed on its own.
 *
 *   {"format": 1, "name": "vm1", "uuid": "<v4>", "layout": "concat",
 *    "logical_block_size": 512, "generation": 3,
 *    "regions": [
 *      {"id": "a", "source": "/dev/sdb", "identity": "UUID=...", "size": 2048,
 *       "start": 0, "length": 2048, "offset": 0, "loop": false},
 *      {"start": 2048, "length": 1024}]}      <- a hole
 *
 * "generation" counts the saves of the map (a map without it, saved by an
 * older tool, is generation 0): see generation.h. "shared": true marks a
 * map that another host may hold too (import.h); absent means false.
 * "latency": true (only written when true; a map without it has it off)
 * loads the table with the target's latency feature.
 *
 * Under "layout": "gpt" the regions are the table's: gpt areas (GPT and
 * padding) are {"start": 0, "length": 2048, "gpt": true}, the first and the
 * last region are gpt areas, and each volume also has
 *   "partition": 1..128 (unique), "partuuid": "<GUID>" (unique),
 *   "parttype": "<GUID>"
 * (GUIDs in lower case). The type is kept rather than probed again so that
 * the GPT stays the same when what is on a volume changes. A gpt volume
 * made with a reserve also has "headroom": the sectors of gpt areas after
 * it it may still grow into (absent when 0, as in maps saved before it).
 */
#ifndef DMCOMBINE_REGISTRY_H
#define DMCOMBINE_REGISTRY_H

#include <stddef.h>

#include "combined.h"

#define REGISTRY_FORMAT 1
/* A full map of DM_COMBINE_MAX_REGIONS long paths stays below this. */
#define REGISTRY_MAX_BYTES (256U << 20)
#define REGISTRY_WHY_MAX 256

/* On -EINVAL, why says what is wrong. */
int registry_parse(const char *text, size_t len, struct combined **combined,
		   char why[REGISTRY_WHY_MAX]);
/* Pretty JSON ending in a newline (free it), or NULL without memory. */
char *registry_format(const struct combined *combined);

#endif
