/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The text the combine target reads and writes (grammar in dm-combine.h):
 * the table line made from a map, the live table and the region counters
 * (INFO status before target 1.4, regions_print from 1.4) parsed back.
 * Pure functions; dm.c moves the text to and from the kernel.
 */
#ifndef DMCOMBINE_TABLE_H
#define DMCOMBINE_TABLE_H

#include <stdint.h>
#include <sys/types.h>

#include "dm-combine.h"
#include "combined.h"
#include "latency.h"

/* Region counters of the INFO status, in the order dm-combine.h gives. */
struct region_counters {
	uint64_t reads, writes, read_sectors, write_sectors, errors;
	/* Target 1.2 and later (by_kind): before, writes include discards. */
	uint64_t discards, discard_sectors, write_zeroes, write_zeroes_sectors, flush_errors;
	bool by_kind;
};

/* Counter index (0 to DM_COMBINE_STATUS_COUNTERS - 1, status order) of counters. */
uint64_t *counters_field(struct region_counters *counters, size_t index);
static inline uint64_t counters_value(const struct region_counters *counters, size_t index)
{
	return *counters_field((struct region_counters *)counters, index);
}

/* A region's completion times, with the latency feature. */
struct region_latency {
	struct latency_histogram read, write;
};

/*
 * The target's parameters for a map: everything after "<start> <length>
 * combine", with major:minor for volumes (their devno must be set). Logs
 * and returns NULL when a region is not aligned to the map's logical block
 * size or there are too many regions.
 */
char *table_params(const struct combined *combined);

/*
 * Reads the parameters of a live table back into one devno per region
 * (0 for holes, and for volumes the table maps as holes: missing, the
 * device assembled degraded; table_params writes those for regions marked
 * missing). The table must have exactly nr_regions regions whose
 * lengths match the map's, or -EINVAL: it would not be the device the
 * registry describes.
 */
int table_parse_devices(const char *params, const struct combined *combined, dev_t *devnos);

/*
 * Parses INFO status into counters[nr_regions], of the current target or
 * of one before 1.2 (five counters per region, by_kind false). latency is
 * NULL unless the live table has the latency feature; then the completion
 * times after each region's counters go into latency[nr_regions]. -EINVAL
 * when malformed.
 */
int status_parse(const char *status, size_t nr_regions, struct region_counters *counters,
		 struct region_latency *latency);

/*
 * Parses the answer of the regions_print message (target 1.4) for
 * nr_regions regions: a line of counters each, with the completion times
 * after them when latency is not NULL. -EINVAL when malformed or when it
 * holds another number of lines.
 */
int regions_parse(const char *lines, size_t nr_regions, struct region_counters *counters,
		  struct region_latency *latency);

#endif
