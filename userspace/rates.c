// SPDX-License-Identifier: GPL-2.0-only
/* Per-volume differences between two samples. */
#include <errno.h>
#include <string.h>

#include "rates.h"

static double seconds_between(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) + (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}

static bool same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static bool time_known(const struct timespec *t)
{
	return t->tv_sec || t->tv_nsec;
}

/* The same device in before (name and UUID), active then, or NULL. */
static const struct sample *find_before(const struct sample *now, const struct sample *before,
					size_t nr_before)
{
	size_t i;

	for (i = 0; i < nr_before; i++)
		if (before[i].active && !strcmp(before[i].combined->name, now->combined->name) &&
		    !strcmp(before[i].combined->uuid, now->combined->uuid))
			return &before[i];
	return NULL;
}

/* now - before for every counter; false (delta untouched) if one went backwards. */
static bool counters_delta(const struct region_counters *now, const struct region_counters *before,
			   struct region_counters *delta)
{
	struct region_counters result = *now;
	size_t i;

	for (i = 0; i < DM_COMBINE_STATUS_COUNTERS; i++) {
		if (counters_value(now, i) < counters_value(before, i) ||
		    now->by_kind != before->by_kind)
			return false;
		*counters_field(&result, i) = counters_value(now, i) - counters_value(before, i);
	}
	*delta = result;
	return true;
}

/* The difference of one volume found in the previous sample; false on a restart. */
static bool volume_delta(const struct sample *now, size_t i, const struct sample *before,
			 size_t j, struct volume_rate *rate)
{
	if (!counters_delta(&now->counters[i], &before->counters[j], &rate->delta))
		return false;
	if (!now->latency)
		return true;
	return before->latency &&
	       latency_delta(&now->latency[i].read, &before->latency[j].read, &rate->latency.read) &&
	       latency_delta(&now->latency[i].write, &before->latency[j].write, &rate->latency.write);
}

/*
 * The interval a restarted volume counted in: since its table was loaded
 * if that is known and came later than the previous sample, else since
 * the previous sample (a stats_reset in between is not timed), else
 * unknown.
 */
static double restart_seconds(const struct sample *now, const struct sample *before)
{
	double since_load = -1;

	if (time_known(&now->loaded))
		since_load = seconds_between(&now->loaded, &now->taken_real);
	if (!before)
		return since_load > 0 ? since_load : -1;
	if (since_load > 0 && since_load < seconds_between(&before->taken, &now->taken))
		return since_load;
	return seconds_between(&before->taken, &now->taken);
}

static void rate_of(const struct sample *now, size_t i, const struct sample *before,
		    struct volume_rate *rate)
{
	ssize_t j = before ? combined_find(before->combined, now->combined->regions[i].id) : -1;

	*rate = (struct volume_rate){ .sample = now, .region = &now->combined->regions[i] };
	if (j >= 0 && same_time(&now->loaded, &before->loaded) &&
	    volume_delta(now, i, before, (size_t)j, rate)) {
		rate->seconds = seconds_between(&before->taken, &now->taken);
		return;
	}
	rate->restarted = true;
	rate->delta = now->counters[i];
	if (now->latency)
		rate->latency = now->latency[i];
	rate->seconds = restart_seconds(now, before);
}

int rates_compute(const struct sample *now, size_t nr_now, const struct sample *before,
		  size_t nr_before, struct volume_rate **rates, size_t *nr_rates)
{
	size_t s, i, count = 0;

	for (s = 0; s < nr_now; s++)
		if (now[s].active)
			count += combined_volume_count(now[s].combined);
	*rates = calloc(count + 1, sizeof(**rates));
	if (!*rates)
		return -ENOMEM;
	*nr_rates = 0;
	for (s = 0; s < nr_now; s++) {
		const struct sample *previous = find_before(&now[s], before, nr_before);

		for (i = 0; now[s].active && i < now[s].combined->nr_regions; i++)
			if (!now[s].combined->regions[i].hole)
				rate_of(&now[s], i, previous, &(*rates)[(*nr_rates)++]);
	}
	return 0;
}

bool rate_per_second(const struct volume_rate *rate, uint64_t count, double *per_second)
{
	if (rate->seconds <= 0)
		return false;
	*per_second = (double)count / rate->seconds;
	return true;
}
