/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-or-later */
/*
 * What the dm-combine kernel target and the dmcombine tool share: the
 * package and target versions, the table grammar's words and its limits.
 * Both sides include this file so that they cannot disagree.
 *
 * Table line (after "<start> <length>" and the target name):
 *
 *   <#feature_args> [<feature_arg>...] <#regions> <region>...
 *   region: <len> <dev> <offset>     a member device's sectors
 *           <len> - 0                a hole: all I/O fails
 *
 * Lengths and offsets are in 512-byte sectors.
 *
 * Feature "gpt <block_size> <disk_guid>" (the gpt layout, see
 * dm-combine-gpt.h): the device carries a GUID partition table for
 * logical blocks of block_size bytes, built from the table, and
 *   region: <len> <dev> <offset> <partition> <type_guid> <part_guid> <name>
 *                                    a volume: partition number 1..128
 *           <len> - 0                a hole
 *           <len> gpt 0              the GPT or padding: reads as the GPT's
 *                                    bytes (zeros in padding), writes fail
 * The first region must be "gpt" and hold MBR, header and entries, the
 * last one "gpt" and hold the backup entries and header.
 *
 * A region's counters:
 *   "<reads> <writes> <read_sectors> <write_sectors> <errors> <discards>
 *    <discard_sectors> <write_zeroes> <write_zeroes_sectors> <flush_errors>"
 * where writes count neither discards nor write-zeroes, and flush_errors
 * are the failed flushes of the region's member device (0 for holes and
 * GPT areas).  Targets before version 1.2 give the first five only.
 *
 * Message "regions_print [<start> <count>]" (target 1.4): one line per
 * region from region start (from 0), count of them (0 or none: up to the
 * last), each the region's counters (and latency, below) and a newline,
 * as dm-stats' @stats_print prints areas; nothing for a start past the
 * last region.
 *
 * INFO status (target 1.4): a summary whose size and cost do not grow
 * with the regions,
 *   "<#regions> <#failing_regions> <errors> <#failing_members>
 *    <flush_errors>"
 * the regions with errors and the sum of their errors, the members with
 * failed flushes and the sum of those (each once, not once per volume):
 * what a monitor needs to decide whether to look closer.  Targets before
 * 1.4 give "<#regions>" and every region's counters (and latency) in
 * table order instead.
 *
 * Feature "latency" (one word, before or after gpt's): per region, after
 * the ten counters,
 *   "<read_usecs> <write_usecs> <read buckets...> <write buckets...>"
 * with DM_COMBINE_LATENCY_BUCKETS buckets each: *_usecs are the sums of
 * completion times in microseconds of reads and of writes (writes here
 * are writes, discards and write-zeroes; flushes are not counted), and
 * bucket b counts completions of l microseconds with floor(log2(l)) == b,
 * l < 2 in bucket 0 and 2^(BUCKETS-1) us and more in the last.  Each
 * read's and write's completion counts once, so that the read buckets add
 * up to <reads> and the write buckets to <writes> + <discards> +
 * <write_zeroes>.  TABLE status prints gpt's words first, then latency.
 *
 * The target raises a dm event (DM_DEVICE_WAITEVENT returns) when a
 * region's errors or its member's flush errors go from 0 to 1: once per
 * region after the table is loaded or its counters are reset.
 *
 * IMA status: target name and version, the region, member and partition
 * counts, and mapping_sha256, the SHA-256 of the TABLE status (what
 * `dmsetup table` prints after the target name).
 */
#ifndef DM_COMBINE_H
#define DM_COMBINE_H

/* Package version: the module's MODULE_VERSION, the tool's --version, DKMS. */
#define DMCOMBINE_VERSION "0.1.0"

#define DM_COMBINE_TARGET "combine"
/* Target version: bump on any change to the table, status or messages. */
#define DM_COMBINE_VERSION_MAJOR 1
#define DM_COMBINE_VERSION_MINOR 4
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

/* Feature argument of the gpt layout and the number of words it takes. */
#define DM_COMBINE_FEATURE_GPT "gpt"
#define DM_COMBINE_FEATURE_GPT_ARGS 3
/* Device word of a region the gpt layout synthesises; its offset is 0. */
#define DM_COMBINE_GPT_AREA "gpt"
/* Words a volume's region adds under gpt: partition, type, GUID, name. */
#define DM_COMBINE_PARTITION_ARGS 4
/* Target version from which the gpt feature exists. */
#define DM_COMBINE_GPT_SINCE_MINOR 1

/* Feature argument of per-region latency histograms; it takes no words. */
#define DM_COMBINE_FEATURE_LATENCY "latency"
#define DM_COMBINE_LATENCY_BUCKETS 22
/* Target version from which the latency feature exists. */
#define DM_COMBINE_LATENCY_SINCE_MINOR 3

/* Counters per region in INFO status, in the order given above. */
#define DM_COMBINE_STATUS_COUNTERS 10
/* Counters per region in the INFO status of targets 1.0 and 1.1. */
#define DM_COMBINE_STATUS_COUNTERS_1_1 5
/* Message that zeroes every region's counters. */
#define DM_COMBINE_MSG_STATS_RESET "stats_reset"
/*
 * Message "regions_print [<start> <count>]": a line of counters per region
 * (target 1.4 and later; before, INFO status held them).
 */
#define DM_COMBINE_MSG_REGIONS_PRINT "regions_print"
#define DM_COMBINE_REGIONS_PRINT_SINCE_MINOR 4

/* DM UUIDs of combined devices start with this, for udev and other tools. */
#define DM_COMBINE_UUID_PREFIX "DMCOMBINE-"

#endif /* DM_COMBINE_H */
