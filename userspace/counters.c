// SPDX-License-Identifier: GPL-2.0-only
/*
 * Region counters from the kernel. Before target 1.4 INFO status held
 * every region's counters: 2 MB of text for 100,000 regions, 2.2 s of
 * guest time per status call under -icount (tests/bench/RESULTS.md). From
 * 1.4 INFO status is a summary of constant size, and the regions are read
 * as dmstats reads a dm-stats region's areas (@stats_print with a range):
 * the regions_print message, a range at a time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "counters.h"
#include "dm-combine.h"
#include "dm.h"
#include "log.h"

/*
 * Regions per regions_print message: about 80 KiB of answer without
 * latency, 450 KiB with it. libdevmapper doubles its buffer from 16 KiB
 * until an answer fits and keeps the size for later calls, so the first
 * range pays the growth and the others fit at once.
 */
#define REGIONS_PER_MESSAGE 4096

/* Before 1.4: every region in one INFO status. */
static int counters_from_status(const char *name, size_t nr_regions,
				struct region_counters *counters, struct region_latency *latency)
{
	char *status = NULL;
	int r = device_params(name, true, &status);

	if (!r && status_parse(status, nr_regions, counters, latency))
		r = log_error(-EINVAL, name, "unexpected status from the kernel: %.80s", status);
	free(status);
	return r;
}

/* The region count that starts the 1.4 summary status: the device's, checked. */
static int check_region_count(const char *name, size_t nr_regions)
{
	char *status = NULL;
	uint64_t count;
	int r = device_params(name, true, &status);

	if (!r && (sscanf(status, "%" SCNu64, &count) != 1 || count != nr_regions))
		r = log_error(-EINVAL, name, "unexpected status from the kernel: %.80s", status);
	free(status);
	return r;
}

int device_region_counters(const char *name, size_t nr_regions, struct region_counters *counters,
			   struct region_latency *latency)
{
	char message[64], *answer;
	unsigned int minor;
	size_t first, count;
	int r = device_target_minor(&minor);

	if (r)
		return r;
	if (minor < DM_COMBINE_REGIONS_PRINT_SINCE_MINOR)
		return counters_from_status(name, nr_regions, counters, latency);
	r = check_region_count(name, nr_regions);
	for (first = 0; !r && first < nr_regions; first += count) {
		count = nr_regions - first < REGIONS_PER_MESSAGE ? nr_regions - first :
								   REGIONS_PER_MESSAGE;
		snprintf(message, sizeof(message), DM_COMBINE_MSG_REGIONS_PRINT " %zu %zu", first,
			 count);
		r = device_message(name, message, &answer);
		if (r)
			break;
		if (regions_parse(answer, count, counters + first, latency ? latency + first : NULL))
			r = log_error(-EINVAL, name, "unexpected answer to %s from the kernel: %.80s",
				      message, answer);
		free(answer);
	}
	return r;
}
