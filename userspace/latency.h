/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Completion times of one region and one direction as the combine target's
 * latency feature counts them (dm-combine.h): a sum in microseconds and a
 * log2 histogram. Pure arithmetic for status, iostat and metrics.
 */
#ifndef DMCOMBINE_LATENCY_H
#define DMCOMBINE_LATENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "dm-combine.h"

struct latency_histogram {
	uint64_t usecs;				/* sum of completion times */
	uint64_t buckets[DM_COMBINE_LATENCY_BUCKETS];
};

/* Completions counted: the sum of the buckets. */
uint64_t latency_count(const struct latency_histogram *histogram);
/* Microseconds bucket b holds from (0 for bucket 0) and up to (exclusive; the last: none). */
uint64_t latency_bucket_low(unsigned int b);
uint64_t latency_bucket_high(unsigned int b);
/*
 * Estimates the q-quantile (0 < q <= 1) in microseconds by linear
 * interpolation inside its bucket (as Prometheus' histogram_quantile does);
 * in the last bucket, which has no upper bound, its lower bound. False
 * when nothing was counted.
 */
bool latency_quantile(const struct latency_histogram *histogram, double q, double *usecs);
/* Mean completion time in microseconds; false when nothing was counted. */
bool latency_mean(const struct latency_histogram *histogram, double *usecs);
/*
 * now - before, bucket by bucket, into delta; false (delta untouched) when
 * any number went backwards: the counters were reset in between.
 */
bool latency_delta(const struct latency_histogram *now, const struct latency_histogram *before,
		   struct latency_histogram *delta);

#endif
