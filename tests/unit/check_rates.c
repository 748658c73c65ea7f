// SPDX-License-Identifier: GPL-2.0-only
/*
 * iostat's arithmetic (userspace/rates.c): differences over the interval,
 * the first report since the table load, counters that go backwards
 * (stats_reset) or restart with a reload, devices and volumes that come
 * and go: never a negative rate.
 */
#include "check_common.h"
#include "rates.h"
#include "test_maps.h"

/* vm1 (concat a, b, c) active, read at monotonic second at, loaded at real second 1000. */
static void make_sample(struct sample *sample, time_t at, uint64_t reads)
{
	size_t i;

	*sample = (struct sample){
		.combined = three_volume_map(),
		.active = true,
		.loaded = { .tv_sec = 1000 },
		.taken = { .tv_sec = at },
		.taken_real = { .tv_sec = 1000 + at },
	};
	sample->counters = calloc(3, sizeof(*sample->counters));
	ck_assert_ptr_nonnull(sample->counters);
	for (i = 0; i < 3; i++)
		sample->counters[i] = (struct region_counters){
			.reads = reads * (i + 1), .read_sectors = 8 * reads, .by_kind = true,
		};
}

static void assert_rate(const struct volume_rate *rate, const char *id, double reads_per_second)
{
	double per_second;

	ck_assert_str_eq(rate->region->id, id);
	ck_assert(rate_per_second(rate, rate->delta.reads, &per_second));
	ck_assert_double_eq_tol(per_second, reads_per_second, 1e-9);
}

/*
 * vm1 read at second 10 with 100 reads of a, then again as a case says:
 * the rates of a, b and c (b reads twice as often as a, c three times).
 */
static const struct interval_case {
	time_t at;			/* the second read's monotonic second */
	uint64_t reads;			/* a's reads then */
	time_t loaded;			/* its table load (real second), if not 1000 */
	bool b_backwards;		/* b's reads up to 1000, read sectors down to 1 */
	double reads_per_second[3];	/* of a, b, c */
	uint64_t read_sectors[3];	/* counted in the interval */
	bool restarted[3];		/* counted from zero */
} interval_cases[] = {
	/* a: 100 -> 300 in 2 s; c: 300 -> 900. */
	{ .at = 12, .reads = 300, .reads_per_second = { 100, 200, 300 },
	  .read_sectors = { 1600, 1600, 1600 } },
	/*
	 * stats_reset: counters below the last ones count from zero over the
	 * interval; b went backwards in one counter alone.
	 */
	{ .at = 14, .reads = 20, .b_backwards = true, .reads_per_second = { 5, 250, 15 },
	  .read_sectors = { 160, 1, 160 }, .restarted = { true, true, true } },
	/*
	 * A reload (add, drop, assemble) moves the load time, 2 s before the
	 * second read: from zero since then.
	 */
	{ .at = 20, .reads = 150, .loaded = 1018, .reads_per_second = { 75, 150, 225 },
	  .read_sectors = { 1200, 1200, 1200 }, .restarted = { true, true, true } },
};

START_TEST(test_interval)
{
	static const char *const ids[] = { "a", "b", "c" };
	const struct interval_case *test = &interval_cases[_i];
	struct sample before, now;
	struct volume_rate *rates;
	size_t count, i;

	make_sample(&before, 10, 100);
	make_sample(&now, test->at, test->reads);
	if (test->loaded)
		now.loaded.tv_sec = test->loaded;
	if (test->b_backwards) {
		now.counters[1].reads = 1000;
		now.counters[1].read_sectors = 1;
	}
	ck_assert_int_eq(rates_compute(&now, 1, &before, 1, &rates, &count), 0);
	ck_assert_uint_eq(count, 3);
	for (i = 0; i < count; i++) {
		assert_rate(&rates[i], ids[i], test->reads_per_second[i]);
		ck_assert_uint_eq(rates[i].delta.read_sectors, test->read_sectors[i]);
		ck_assert_int_eq(rates[i].restarted, test->restarted[i]);
	}
	free(rates);
	sample_free(&before);
	sample_free(&now);
}
END_TEST

/* The first report: since the table load, when its time is known. */
START_TEST(test_first_report)
{
	struct sample now;
	struct volume_rate *rates;
	double per_second;
	size_t count;

	make_sample(&now, 50, 100);
	ck_assert_int_eq(rates_compute(&now, 1, NULL, 0, &rates, &count), 0);
	assert_rate(&rates[0], "a", 2);
	ck_assert(rates[0].restarted);
	free(rates);
	now.loaded = (struct timespec){ 0 };
	ck_assert_int_eq(rates_compute(&now, 1, NULL, 0, &rates, &count), 0);
	ck_assert(!rate_per_second(&rates[0], rates[0].delta.reads, &per_second));
	ck_assert_uint_eq(rates[0].delta.reads, 100);
	free(rates);
	sample_free(&now);
}
END_TEST

/* Devices and volumes that come and go; another device of the same name is new. */
START_TEST(test_come_and_go)
{
	struct sample before[2], now[2];
	struct volume_rate *rates;
	size_t count;

	make_sample(&before[0], 10, 100);
	make_sample(&before[1], 10, 100);
	snprintf(before[1].combined->name, sizeof(before[1].combined->name), "gone");
	make_sample(&now[0], 12, 300);
	ck_assert_int_eq(combined_drop(now[0].combined, "b"), 0);
	make_sample(&now[1], 12, 10);
	snprintf(now[1].combined->name, sizeof(now[1].combined->name), "new");
	now[1].loaded.tv_sec = 1011;
	ck_assert_int_eq(rates_compute(now, 2, before, 2, &rates, &count), 0);
	ck_assert_uint_eq(count, 5);
	assert_rate(&rates[0], "a", 100);
	assert_rate(&rates[1], "c", 300);
	ck_assert_ptr_eq(rates[2].sample, &now[1]);
	assert_rate(&rates[2], "a", 10);
	ck_assert(rates[2].restarted);
	/* vm1 again with another UUID: another device. */
	free(rates);
	snprintf(now[0].combined->uuid, sizeof(now[0].combined->uuid),
		 "0b6f8f5e-3c1a-4d2e-9f00-ffffffffffff");
	ck_assert_int_eq(rates_compute(now, 1, before, 2, &rates, &count), 0);
	ck_assert(rates[0].restarted);
	free(rates);
	/* An inactive device has no volumes to show. */
	now[0].active = false;
	ck_assert_int_eq(rates_compute(now, 1, before, 2, &rates, &count), 0);
	ck_assert_uint_eq(count, 0);
	free(rates);
	sample_free(&before[0]);
	sample_free(&before[1]);
	sample_free(&now[0]);
	sample_free(&now[1]);
}
END_TEST

/* Latency differences; a histogram that shrank restarts the volume too. */
START_TEST(test_latency)
{
	struct sample before, now;
	struct volume_rate *rates;
	size_t count;

	make_sample(&before, 10, 100);
	make_sample(&now, 11, 200);
	before.latency = calloc(3, sizeof(*before.latency));
	now.latency = calloc(3, sizeof(*now.latency));
	ck_assert_ptr_nonnull(before.latency);
	ck_assert_ptr_nonnull(now.latency);
	before.latency[0].read.buckets[5] = 10;
	now.latency[0].read.buckets[5] = 25;
	before.latency[2].write.buckets[1] = 5;
	ck_assert_int_eq(rates_compute(&now, 1, &before, 1, &rates, &count), 0);
	ck_assert(!rates[0].restarted);
	ck_assert_uint_eq(rates[0].latency.read.buckets[5], 15);
	ck_assert(rates[2].restarted);
	ck_assert_uint_eq(rates[2].delta.reads, 600);
	free(rates);
	sample_free(&before);
	sample_free(&now);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("rates");
	TCase *tcase;

	tcase = add_tcase(suite, "interval");
	tcase_add_loop_test(tcase, test_interval, 0,
			    sizeof(interval_cases) / sizeof(interval_cases[0]));
	tcase_add_test(tcase, test_first_report);
	tcase = add_tcase(suite, "restarts");
	tcase_add_test(tcase, test_come_and_go);
	tcase_add_test(tcase, test_latency);
	return run_suite(suite);
}
