// SPDX-License-Identifier: GPL-2.0-only
/*
 * status --format openmetrics (userspace/metrics.c): families, labels,
 * histograms, and that promtool check metrics accepts the text. Without
 * promtool (Debian's prometheus package) the binary says SKIP for that
 * part and exits 77 after the other tests pass.
 */
#include <sys/wait.h>

#include "check_common.h"
#include "metrics.h"
#include "test_maps.h"

/* Set before the tests run: the forked tests see it. */
static bool promtool_missing;

/* Two devices: vm1 (gpt, a and c, latency on), vm2 (concat, not active). */
static size_t make_samples(struct sample samples[2])
{
	size_t i;

	samples[0] = (struct sample){ .combined = three_volume_gpt_map(), .active = true };
	ck_assert_int_eq(combined_drop(samples[0].combined, "b"), 0);
	samples[0].counters = calloc(samples[0].combined->nr_regions, sizeof(*samples[0].counters));
	samples[0].latency = calloc(samples[0].combined->nr_regions, sizeof(*samples[0].latency));
	ck_assert_ptr_nonnull(samples[0].counters);
	ck_assert_ptr_nonnull(samples[0].latency);
	for (i = 0; i < samples[0].combined->nr_regions; i++) {
		samples[0].counters[i] = (struct region_counters){
			.reads = 10 + i, .read_sectors = 8, .errors = i, .by_kind = true,
		};
		samples[0].latency[i].read.usecs = 300;
		samples[0].latency[i].read.buckets[6] = 3;
		samples[0].latency[i].write.buckets[DM_COMBINE_LATENCY_BUCKETS - 1] = 1;
		samples[0].latency[i].write.usecs = 3000000;
	}
	samples[1] = (struct sample){ .combined = three_volume_map() };
	snprintf(samples[1].combined->name, sizeof(samples[1].combined->name), "vm2");
	return 2;
}

/* The metrics of the samples as text (static buffer). */
static const char *metrics_of(const struct sample *samples, size_t count)
{
	static char text[65536];
	FILE *file = fmemopen(text, sizeof(text) - 1, "w");

	ck_assert_ptr_nonnull(file);
	metrics_print(file, samples, count);
	ck_assert_int_eq(fclose(file), 0);
	return text;
}

START_TEST(test_families)
{
	struct sample samples[2];
	size_t count = make_samples(samples), i;
	const char *text = metrics_of(samples, count);

	ck_assert_ptr_nonnull(strstr(text, "# TYPE dmcombine_reads_total counter\n"));
	ck_assert_ptr_nonnull(strstr(text, "# HELP dmcombine_reads_total "));
	/* gpt: a is region 1 and partition 1, c region 4 and partition 3. */
	ck_assert_ptr_nonnull(strstr(text,
		"dmcombine_reads_total{device=\"vm1\",volume=\"a\",partition=\"1\"} 11\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"dmcombine_read_bytes_total{device=\"vm1\",volume=\"c\",partition=\"3\"} 4096\n"));
	ck_assert_ptr_null(strstr(text, "volume=\"b\""));
	ck_assert_ptr_nonnull(strstr(text, "dmcombine_device_active{device=\"vm1\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "dmcombine_device_active{device=\"vm2\"} 0\n"));
	ck_assert_ptr_null(strstr(text, "device=\"vm2\",volume"));
	/* Buckets are cumulative; the last is +Inf; sums in seconds. */
	ck_assert_ptr_nonnull(strstr(text,
		"dmcombine_latency_seconds_bucket{device=\"vm1\",volume=\"a\",partition=\"1\",op=\"read\",le=\"0.000064\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"dmcombine_latency_seconds_bucket{device=\"vm1\",volume=\"a\",partition=\"1\",op=\"read\",le=\"0.000128\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"dmcombine_latency_seconds_bucket{device=\"vm1\",volume=\"a\",partition=\"1\",op=\"write\",le=\"2.097152\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"dmcombine_latency_seconds_bucket{device=\"vm1\",volume=\"a\",partition=\"1\",op=\"write\",le=\"+Inf\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"dmcombine_latency_seconds_sum{device=\"vm1\",volume=\"a\",partition=\"1\",op=\"write\"} 3.000000\n"));
	ck_assert_ptr_nonnull(strstr(text,
		"dmcombine_latency_seconds_count{device=\"vm1\",volume=\"a\",partition=\"1\",op=\"read\"} 3\n"));
	ck_assert_str_eq(text + strlen(text) - 6, "# EOF\n");
	for (i = 0; i < count; i++)
		sample_free(&samples[i]);
}
END_TEST

/* A target before 1.2 keeps five counters: the others are left out, not zero. */
START_TEST(test_old_target)
{
	struct sample sample = { .combined = three_volume_map(), .active = true };
	const char *text;

	sample.counters = calloc(3, sizeof(*sample.counters));
	ck_assert_ptr_nonnull(sample.counters);
	text = metrics_of(&sample, 1);
	ck_assert_ptr_nonnull(strstr(text, "dmcombine_writes_total{device=\"vm1\",volume=\"b\",partition=\"\"} 0\n"));
	ck_assert_ptr_null(strstr(text, "dmcombine_discards_total{"));
	ck_assert_ptr_null(strstr(text, "dmcombine_latency_seconds_bucket{"));
	sample_free(&sample);
}
END_TEST

/* Whether promtool check metrics accepts text. */
static bool promtool_accepts(const char *text)
{
	char path[] = "/tmp/check_metrics_XXXXXX", command[128];
	int fd = mkstemp(path), status;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(command, sizeof(command), "promtool check metrics < %s", path);
	status = system(command);
	unlink(path);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

START_TEST(test_promtool)
{
	struct sample samples[2];
	size_t count, i;

	if (promtool_missing)
		return;
	count = make_samples(samples);
	ck_assert_msg(promtool_accepts(metrics_of(samples, count)), "promtool refused the metrics");
	/* No active device: families without samples. */
	ck_assert_msg(promtool_accepts(metrics_of(&samples[1], 1)), "promtool refused the metrics");
	ck_assert_msg(promtool_accepts(metrics_of(NULL, 0)), "promtool refused the metrics");
	for (i = 0; i < count; i++)
		sample_free(&samples[i]);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("metrics");
	TCase *tcase;
	int r;

	promtool_missing = system("command -v promtool >/dev/null") != 0;
	tcase = add_tcase(suite, "families");
	tcase_add_test(tcase, test_families);
	tcase_add_test(tcase, test_old_target);
	tcase = add_tcase(suite, "promtool");
	tcase_add_test(tcase, test_promtool);
	r = run_suite(suite);
	if (r == EXIT_SUCCESS && promtool_missing) {
		puts("SKIP: promtool check metrics (promtool not installed; Debian: apt-get install prometheus)");
		return 77;
	}
	return r;
}
