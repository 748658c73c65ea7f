// SPDX-License-Identifier: GPL-2.0-only
/*
 * Latency histograms (userspace/latency.c): bucket bounds as dm-combine.h
 * defines them, means, quantile estimates and differences across a reset.
 */
#include <math.h>

#include "check_common.h"
#include "latency.h"

START_TEST(test_bucket_bounds)
{
	ck_assert_uint_eq(latency_bucket_low(0), 0);
	ck_assert_uint_eq(latency_bucket_high(0), 2);
	ck_assert_uint_eq(latency_bucket_low(1), 2);
	ck_assert_uint_eq(latency_bucket_high(1), 4);
	ck_assert_uint_eq(latency_bucket_low(10), 1024);
	/* The last bucket: 2.1 s and more. */
	ck_assert_uint_eq(latency_bucket_low(DM_COMBINE_LATENCY_BUCKETS - 1), 2097152);
}
END_TEST

START_TEST(test_empty)
{
	struct latency_histogram histogram = { 0 };
	double usecs = -1;

	ck_assert_uint_eq(latency_count(&histogram), 0);
	ck_assert(!latency_mean(&histogram, &usecs));
	ck_assert(!latency_quantile(&histogram, 0.99, &usecs));
	ck_assert(usecs == -1);
}
END_TEST

START_TEST(test_quantiles)
{
	/* 100 completions: 90 in 64..128 us, 9 in 1..2 ms, 1 above 2.1 s. */
	struct latency_histogram histogram = { .usecs = 90 * 100 + 9 * 1500 + 3000000 };
	double usecs;

	histogram.buckets[6] = 90;
	histogram.buckets[10] = 9;
	histogram.buckets[DM_COMBINE_LATENCY_BUCKETS - 1] = 1;
	ck_assert_uint_eq(latency_count(&histogram), 100);
	ck_assert(latency_mean(&histogram, &usecs));
	ck_assert_double_eq_tol(usecs, 30225.0, 1e-9);
	/* Rank 50 of the 90 in [64, 128): 64 + 64 * 50 / 90. */
	ck_assert(latency_quantile(&histogram, 0.5, &usecs));
	ck_assert_double_eq_tol(usecs, 64 + 64 * 50.0 / 90, 1e-9);
	/* Rank 99: the last of the 9 in [1024, 2048). */
	ck_assert(latency_quantile(&histogram, 0.99, &usecs));
	ck_assert_double_eq_tol(usecs, 2048, 1e-9);
	/* The top bucket has no upper bound: its lower one. */
	ck_assert(latency_quantile(&histogram, 1.0, &usecs));
	ck_assert_double_eq_tol(usecs, 2097152, 1e-9);
	/* All in bucket 0 (under 2 us). */
	memset(&histogram, 0, sizeof(histogram));
	histogram.buckets[0] = 4;
	ck_assert(latency_quantile(&histogram, 0.5, &usecs));
	ck_assert_double_eq_tol(usecs, 1, 1e-9);
}
END_TEST

START_TEST(test_delta)
{
	struct latency_histogram before = { .usecs = 10 }, now = { .usecs = 25 }, delta;

	before.buckets[3] = 2;
	now.buckets[3] = 5;
	now.buckets[4] = 1;
	ck_assert(latency_delta(&now, &before, &delta));
	ck_assert_uint_eq(delta.usecs, 15);
	ck_assert_uint_eq(delta.buckets[3], 3);
	ck_assert_uint_eq(delta.buckets[4], 1);
	/* A reset in between: no difference, delta untouched. */
	now.buckets[3] = 1;
	ck_assert(!latency_delta(&now, &before, &delta));
	ck_assert_uint_eq(delta.buckets[3], 3);
	now.buckets[3] = 5;
	now.usecs = 9;
	ck_assert(!latency_delta(&now, &before, &delta));
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("latency");
	TCase *tcase;

	tcase = add_tcase(suite, "buckets");
	tcase_add_test(tcase, test_bucket_bounds);
	tcase = add_tcase(suite, "estimates");
	tcase_add_test(tcase, test_empty);
	tcase_add_test(tcase, test_quantiles);
	tcase = add_tcase(suite, "delta");
	tcase_add_test(tcase, test_delta);
	return run_suite(suite);
}
