/* SPDX-License-Identifier: GPL-2.0-only */
/* Every region's counters of a live combined device, from any target version. */
#ifndef DMCOMBINE_COUNTERS_H
#define DMCOMBINE_COUNTERS_H

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

#endif
