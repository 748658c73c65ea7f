/* SPDX-License-Identifier: GPL-2.0-only */
/* Every region's counters of a live combined device, from any target version. */
#ifndef DMCOMBINE_COUNTERS_H
#define DMCOMBINE_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "table.h"

/*
 * Reads the counters of the nr_regions regions of device name into
 * counters[nr_regions], and with latency (not NULL: the live table has
 * the latency feature) their completion times. Target 1.4 and later give
 * them through the regions_print message, a range of regions at a time;
 * older ones in INFO status. Logs and returns -EINVAL when the device has
 * another number of regions or the kernel's answer is malformed.
 */
int device_region_counters(const char *name, size_t nr_regions, struct region_counters *counters,
			   struct region_latency *latency);

/*
 * Whether a region of device name (of nr_regions regions) may have failed
 * I/O or its member a flush: from target 1.4 the few bytes of INFO status
 * tell, so that reading every region's counters can be left out when none
 * did; before 1.4, always true.
 */
int device_region_failures(const char *name, size_t nr_regions, bool *failures);

#endif
