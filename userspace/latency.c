// SPDX-License-Identifier: GPL-2.0-only
/* Latency histograms: counts, means, quantile estimates and differences. */
#include "latency.h"

uint64_t latency_count(const struct latency_histogram *histogram)
{
	uint64_t count = 0;
	unsigned int b;

	for (b = 0; b < DM_COMBINE_LATENCY_BUCKETS; b++)
		count += histogram->buckets[b];
	return count;
}

uint64_t latency_bucket_low(unsigned int b)
{
	return b ? UINT64_C(1) << b : 0;
}

uint64_t latency_bucket_high(unsigned int b)
{
	return UINT64_C(1) << (b + 1);
}

bool latency_quantile(const struct latency_histogram *histogram, double q, double *usecs)
{
	uint64_t count = latency_count(histogram);
	double rank = q * (double)count, below = 0;
	unsigned int b;

	if (!count)
		return false;
	for (b = 0; b + 1 < DM_COMBINE_LATENCY_BUCKETS; b++) {
		if (histogram->buckets[b] && below + (double)histogram->buckets[b] >= rank)
			break;
		below += (double)histogram->buckets[b];
	}
	*usecs = (double)latency_bucket_low(b);
	if (b + 1 < DM_COMBINE_LATENCY_BUCKETS)
		*usecs += (double)(latency_bucket_high(b) - latency_bucket_low(b)) *
			  (rank - below) / (double)histogram->buckets[b];
	return true;
}

bool latency_mean(const struct latency_histogram *histogram, double *usecs)
{
	uint64_t count = latency_count(histogram);

	if (!count)
		return false;
	*usecs = (double)histogram->usecs / (double)count;
	return true;
}

bool latency_delta(const struct latency_histogram *now, const struct latency_histogram *before,
		   struct latency_histogram *delta)
{
	struct latency_histogram result;
	unsigned int b;

	if (now->usecs < before->usecs)
		return false;
	result.usecs = now->usecs - before->usecs;
	for (b = 0; b < DM_COMBINE_LATENCY_BUCKETS; b++) {
		if (now->buckets[b] < before->buckets[b])
			return false;
		result.buckets[b] = now->buckets[b] - before->buckets[b];
	}
	*delta = result;
	return true;
}
