/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-or-later */
/*
 * What the dm-combine kernel target and the dmcombine tool share: the
 * package and target versions, the table grammar's words and its limits.
 * Both sides include this file so that they cannot disagree.
 *
 * Table line (after "<start> <length>" and the target name):
 *
 *   <#feature_args> [<feature_arg>...] <#regions> (<len> <dev|-> <offset>)...
 *
 * Lengths and offsets are in 512-byte sectors; "- 0" is a hole.
 *
 * INFO status: "<#regions>" then, per region in table order,
 *   "<reads> <writes> <read_sectors> <write_sectors> <errors>".
 */
#ifndef DM_COMBINE_H
#define DM_COMBINE_H

/* Package version: the module's MODULE_VERSION, the tool's --version, DKMS. */
#define DMCOMBINE_VERSION "0.1.0"

#define DM_COMBINE_TARGET "combine"
/* Target version: bump on any change to the table, status or messages. */
#define DM_COMBINE_VERSION_MAJOR 1
#define DM_COMBINE_VERSION_MINOR 0
#define DM_COMBINE_VERSION_PATCH 0

/* Device word of a hole; its offset must be written as 0. */
#define DM_COMBINE_HOLE "-"
/* Words per region in the table line: <len> <dev|-> <offset>. */
#define DM_COMBINE_REGION_ARGS 3
/*
 * The dm core splits a table line into at most ~524k words, so 131072
 * regions of 3 words leave room for feature arguments.
 */
#define DM_COMBINE_MAX_REGIONS 131072U
#define DM_COMBINE_MAX_FEATURE_ARGS 16U

/* Counters per region in INFO status, in the order given above. */
#define DM_COMBINE_STATUS_COUNTERS 5
/* Message that zeroes every region's counters. */
#define DM_COMBINE_MSG_STATS_RESET "stats_reset"

/* DM UUIDs of combined devices start with this, for udev and other tools. */
#define DM_COMBINE_UUID_PREFIX "DMCOMBINE-"

#endif /* DM_COMBINE_H */
