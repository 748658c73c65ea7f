/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One reading of a combined device's counters, for iostat and metrics:
 * every region's from a single INFO status call, so that all volumes of a
 * device are read at the same instant.
 */
#ifndef DMCOMBINE_SAMPLE_H
#define DMCOMBINE_SAMPLE_H

#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "combined.h"
#include "table.h"

struct sample {
	struct combined *combined;		/* the saved map, which the live table is */
	bool active;
	struct region_counters *counters;	/* per region while active, else NULL */
	struct region_latency *latency;		/* per region with the latency feature, else NULL */
	struct timespec loaded;			/* CLOCK_REALTIME of the table load; 0 unknown */
	struct timespec taken;			/* CLOCK_MONOTONIC right after the status call */
	struct timespec taken_real;		/* the same instant, CLOCK_REALTIME */
};

static inline void sample_free(struct sample *sample)
{
	combined_free(sample->combined);
	free(sample->counters);
	free(sample->latency);
	*sample = (struct sample){ 0 };
}

#endif
