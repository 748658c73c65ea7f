/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What iostat shows: each volume's I/O between two samples of its device.
 * Counters restart when a table is loaded (add, drop, assemble, any
 * reload) and on stats_reset; a restart in the interval is seen by the
 * load time or by a counter going backwards, and the volume then counts
 * from zero, so that no rate is ever negative.
 */
#ifndef DMCOMBINE_RATES_H
#define DMCOMBINE_RATES_H

#include "sample.h"

struct volume_rate {
	const struct sample *sample;	/* the volume's device, as read now */
	const struct region *region;
	struct region_counters delta;	/* counted in the interval */
	struct region_latency latency;	/* counted in the interval, if sample->latency */
	double seconds;			/* the interval; < 0 when unknown */
	bool restarted;			/* counted from zero: new, reset or reloaded */
};

/*
 * One volume_rate per volume of the active devices in now[], in order,
 * against before[] (the previous report's samples, matched by device name
 * and UUID and by volume ID). With before == NULL (the first report) every
 * volume counts since its table was loaded, over the time since then when
 * that is known. -ENOMEM, or 0 with *rates to free.
 */
int rates_compute(const struct sample *now, size_t nr_now, const struct sample *before,
		  size_t nr_before, struct volume_rate **rates, size_t *nr_rates);
/* count per second of the rate's interval; false when it is unknown. */
bool rate_per_second(const struct volume_rate *rate, uint64_t count, double *per_second);

#endif
