// SPDX-License-Identifier: GPL-2.0-only
/* iostat and status --format openmetrics: samples of devices, read under the lock. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "counters.h"
#include "dm.h"
#include "generation.h"
#include "journal.h"
#include "lock.h"
#include "log.h"
#include "metrics.h"
#include "output.h"
#include "rates.h"
#include "store.h"
#include "watch.h"

/* The map of name and, while active, every region's counters. */
static int sample_read(const char *config_dir, const char *name, struct sample *sample)
{
	size_t count;
	int r;

	*sample = (struct sample){ 0 };
	r = store_load(config_dir, name, &sample->combined);
	if (!r)
		r = get_active(sample->combined, &sample->active);
	if (!r && sample->active)
		r = load_live_devices(sample->combined);
	if (r || !sample->active)
		goto out;
	count = sample->combined->nr_regions;
	sample->counters = calloc(count, sizeof(*sample->counters));
	if (sample->combined->latency)
		sample->latency = calloc(count, sizeof(*sample->latency));
	if (!sample->counters || (sample->combined->latency && !sample->latency)) {
		r = log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
		goto out;
	}
	r = device_region_counters(name, count, sample->counters, sample->latency);
	clock_gettime(CLOCK_MONOTONIC, &sample->taken);
	clock_gettime(CLOCK_REALTIME, &sample->taken_real);
	if (!r && generation_loaded_at(sample->combined, &sample->loaded))
		sample->loaded = (struct timespec){ 0 };
out:
	if (r)
		sample_free(sample);
	return r;
}

static void samples_free(struct sample *samples, size_t count)
{
	while (samples && count)
		sample_free(&samples[--count]);
	free(samples);
}

/*
 * Samples of the devices named, or of every saved map (names NULL). A
 * device that cannot be read is reported and left out; its error is
 * returned after the others are read. A named map gone since the start
 * (iostat) is left out quietly when gone_ok.
 */
static int samples_read(const char *config_dir, char **names, size_t nr_names, bool gone_ok,
			struct sample **samples, size_t *count)
{
	char **all = NULL;
	size_t i;
	int r = 0, one;

	*samples = NULL;
	*count = 0;
	if (!names) {
		r = store_list(config_dir, &all, &nr_names);
		if (r)
			return r;
		names = all;
	}
	*samples = calloc(nr_names + 1, sizeof(**samples));
	if (!*samples)
		r = log_error(-ENOMEM, "samples", "%s", strerror(ENOMEM));
	for (i = 0; *samples && i < nr_names; i++) {
		if (gone_ok && !store_exists(config_dir, names[i]))
			continue;
		one = sample_read(config_dir, names[i], &(*samples)[*count]);
		if (!one)
			(*count)++;
		else if (!r)
			r = one;
	}
	if (all)
		store_list_free(all, nr_names);
	return r;
}

int status_openmetrics(const struct invocation *invocation)
{
	struct sample *samples;
	size_t count;
	int r;

	r = samples_read(invocation->options.config_dir, invocation->argc ? invocation->argv : NULL,
			 (size_t)invocation->argc, false, &samples, &count);
	if (samples)
		metrics_print(stdout, samples, count);
	samples_free(samples, count);
	return r;
}

/* A positive decimal number: "5", "0.5". */
static bool is_number(const char *text)
{
	size_t digits = strspn(text, "0123456789");

	if (!digits)
		return false;
	if (text[digits] == '.')
		return text[digits + 1] && !text[digits + 1 + strspn(text + digits + 1, "0123456789")];
	return !text[digits];
}

/* The most INTERVAL and COUNT take: a day of seconds, and as many reports. */
#define INTERVAL_MAX 86400.0
#define COUNT_MAX 1000000000UL

/* What iostat was asked for: the names, and INTERVAL and COUNT (0: no limit). */
struct schedule {
	int nr_names;
	double interval;	/* 0: one report */
	unsigned long count;
};

static int schedule_parse(const struct invocation *invocation, struct schedule *schedule)
{
	char **argv = invocation->argv;
	int argc = invocation->argc, i;
	char *end;

	*schedule = (struct schedule){ .nr_names = argc, .count = 1 };
	if (argc >= 2 && is_number(argv[argc - 2]) && is_number(argv[argc - 1])) {
		schedule->count = strtoul(argv[argc - 1], &end, 10);
		if (*end || !schedule->count || schedule->count > COUNT_MAX)
			return log_error(-EINVAL, argv[argc - 1], "COUNT must be a whole number from 1 to %lu",
					 COUNT_MAX);
		argc--;
	} else if (argc >= 1 && is_number(argv[argc - 1])) {
		schedule->count = 0;
	}
	if (argc >= 1 && is_number(argv[argc - 1])) {
		schedule->interval = strtod(argv[argc - 1], NULL);
		if (schedule->interval < 0.01 || schedule->interval > INTERVAL_MAX)
			return log_error(-EINVAL, argv[argc - 1], "INTERVAL must be from 0.01 to %.0f seconds",
					 INTERVAL_MAX);
		argc--;
	}
	schedule->nr_names = argc;
	for (i = 0; i < argc; i++)
		if (!store_exists(invocation->options.config_dir, argv[i]))
			return log_error(-ENOENT, argv[i], "no such combined device");
	return 0;
}

/* Samples for one report, under the shared lock; pending changes are settled first. */
static int report_samples(const struct invocation *invocation, const struct schedule *schedule,
			  struct sample **samples, size_t *count)
{
	const struct options *options = &invocation->options;
	int lock, r;

	*samples = NULL;
	lock = lock_take(LOCK_DIR, LOCK_SH, options->wait >= 0 ? (unsigned int)options->wait :
			 LOCK_WAIT_DEFAULT);
	if (lock < 0)
		return lock;
	r = journal_settle(options->config_dir);
	if (!r)
		r = samples_read(options->config_dir, schedule->nr_names ? invocation->argv : NULL,
				 (size_t)schedule->nr_names, true, samples, count);
	lock_release(lock);
	return r;
}

/* Waits for the next report's time, next (CLOCK_MONOTONIC), and moves it on. */
static void wait_for(struct timespec *next, double interval)
{
	struct timespec now;
	long long nsec = (long long)(interval * 1e9);

	next->tv_sec += (time_t)(nsec / 1000000000);
	next->tv_nsec += (long)(nsec % 1000000000);
	if (next->tv_nsec >= 1000000000) {
		next->tv_sec++;
		next->tv_nsec -= 1000000000;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
	/* Behind (a slow status call, a suspended host): count on from now. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > next->tv_sec + (time_t)interval + 1)
		*next = now;
}

int command_iostat(const struct invocation *invocation)
{
	struct sample *now = NULL, *before = NULL;
	size_t nr_now = 0, nr_before = 0, nr_rates;
	struct volume_rate *rates;
	struct schedule schedule;
	struct timespec next;
	unsigned long report;
	int r, failed = 0;

	r = schedule_parse(invocation, &schedule);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (report = 0; !r && (!schedule.count || report < schedule.count); report++) {
		if (report)
			wait_for(&next, schedule.interval);
		r = report_samples(invocation, &schedule, &now, &nr_now);
		/* A device that cannot be read is left out of this report, not the next ones. */
		if (r && now) {
			failed = r;
			r = 0;
		}
		if (!r)
			r = rates_compute(now, nr_now, report ? before : NULL, nr_before, &rates,
					  &nr_rates);
		if (r == -ENOMEM)
			log_error(r, "iostat", "%s", strerror(ENOMEM));
		if (!r && invocation->options.json)
			output_iostat_json(stdout, time(NULL), !report, now, nr_now, rates, nr_rates);
		else if (!r)
			output_iostat_text(stdout, time(NULL), !report, now, nr_now, rates, nr_rates);
		if (!r)
			free(rates);
		fflush(stdout);
		samples_free(before, nr_before);
		before = now;
		nr_before = nr_now;
		now = NULL;
	}
	samples_free(before, nr_before);
	return r ? r : failed;
}
