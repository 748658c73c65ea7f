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

/*
 * The 1.4 summary status, "<#regions> <#failing_regions> <errors>
 * <#failing_members> <flush_errors>", of a device of nr_regions regions.
 */
static int read_summary(const char *name, size_t nr_regions, uint64_t summary[5])
{
	char *status = NULL, tail;
	int r = device_params(name, true, &status);

	if (!r && (sscanf(status, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 "%c",
			  &summary[0], &summary[1], &summary[2], &summary[3], &summary[4],
			  &tail) != 5 || summary[0] != nr_regions))
		r = log_error(-EINVAL, name, "unexpected status from the kernel: %.80s", status);
	free(status);
	return r;
}

int device_region_counters(const char *name, size_t nr_regions, struct region_counters *counters,
			   struct region_latency *latency)
{
	char message[64], *answer;
	uint64_t summary[5];
	unsigned int minor;
	size_t first, count;
	int r = device_target_minor(&minor);

	if (r)
		return r;
	if (minor < DM_COMBINE_REGIONS_PRINT_SINCE_MINOR)
		return counters_from_status(name, nr_regions, counters, latency);
	r = read_summary(name, nr_regions, summary);
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

int device_region_failures(const char *name, size_t nr_regions, bool *failures)
{
	uint64_t summary[5];
	unsigned int minor;
	int r = device_target_minor(&minor);

	*failures = true;
	if (r || minor < DM_COMBINE_REGIONS_PRINT_SINCE_MINOR)
		return r;
	r = read_summary(name, nr_regions, summary);
	if (!r)
		*failures = summary[1] || summary[3];
	return r;
}
