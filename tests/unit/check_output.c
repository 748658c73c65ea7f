// SPDX-License-Identifier: GPL-2.0-only
/* Output of list, map and status (userspace/output.c): JSON shape, IEC sizes, text tables. */
#include "check_common.h"
#include "output.h"
#include "test_maps.h"

static void assert_iec(uint64_t bytes, const char *expected)
{
	char text[32];

	format_iec(bytes, text, sizeof(text));
	ck_assert_str_eq(text, expected);
}

START_TEST(test_iec)
{
	assert_iec(0, "0 B");
	assert_iec(512, "512 B");
	assert_iec(1023, "1023 B");
	assert_iec(1024, "1 KiB");
	assert_iec(1536, "1.5 KiB");
	assert_iec(1024 * 1024 - 1, "1 MiB");
	assert_iec(UINT64_C(3) << 30, "3 GiB");
	assert_iec((UINT64_C(5) << 40) + (UINT64_C(1) << 39), "5.5 TiB");
	assert_iec(UINT64_C(1) << 60, "1 EiB");
	assert_iec(UINT64_MAX, "16 EiB");
}
END_TEST

static const char *string_of(json_object *obj, const char *key)
{
	json_object *value;

	ck_assert_msg(json_object_object_get_ex(obj, key, &value), "no key %s", key);
	return json_object_get_string(value);
}

static int64_t int_of(json_object *obj, const char *key)
{
	json_object *value;

	ck_assert_msg(json_object_object_get_ex(obj, key, &value), "no key %s", key);
	ck_assert_msg(json_object_is_type(value, json_type_int), "%s not an integer", key);
	return json_object_get_int64(value);
}

/* The keys of obj, in order, joined by spaces. */
static const char *keys_of(json_object *obj)
{
	static char keys[512];

	keys[0] = '\0';
	json_object_object_foreach(obj, key, value) {
		(void)value;
		if (keys[0])
			strcat(keys, " ");
		strcat(keys, key);
	}
	return keys;
}

/* Map of three volumes with b dropped: a hole between a and c. */
static struct combined *map_with_hole(char **devices)
{
	struct combined *combined = three_volume_map();

	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	/* c is an image file behind its loop device. */
	combined->regions[2].loop = true;
	free(combined->regions[2].identity);
	combined->regions[2].identity = strdup("/srv/images/c.img");
	devices[0] = (char *)"/dev/sdb";
	devices[1] = NULL;
	devices[2] = (char *)"/dev/loop0";
	return combined;
}

START_TEST(test_map_json)
{
	char *devices[3];
	struct combined *combined = map_with_hole(devices);
	json_object *obj = output_map_json(combined, devices), *volumes, *c;

	ck_assert_str_eq(keys_of(obj), "name uuid layout size shared volumes");
	ck_assert_str_eq(string_of(obj, "name"), "vm1");
	ck_assert_str_eq(string_of(obj, "uuid"), TEST_UUID);
	ck_assert_str_eq(string_of(obj, "layout"), "concat");
	ck_assert_int_eq(int_of(obj, "size"), 7168);
	volumes = json_object_object_get(obj, "volumes");
	ck_assert_uint_eq(json_object_array_length(volumes), 2);
	c = json_object_array_get_idx(volumes, 1);
	ck_assert_str_eq(keys_of(c), "id source identity identity_kind device start length offset partition partuuid headroom missing");
	ck_assert_ptr_null(json_object_object_get(c, "partition"));
	ck_assert_ptr_null(json_object_object_get(c, "partuuid"));
	ck_assert_str_eq(string_of(c, "id"), "c");
	ck_assert_str_eq(string_of(c, "device"), "/dev/loop0");
	ck_assert_int_eq(int_of(c, "start"), 6144);
	ck_assert_int_eq(int_of(c, "length"), 1024);
	ck_assert_int_eq(int_of(c, "offset"), 0);
	json_object_put(obj);
	combined_free(combined);
}
END_TEST

/* The gpt map with b dropped, inactive: gpt, a, gpt, hole, c, gpt. */
static struct combined *gpt_map_with_hole(void)
{
	struct combined *combined = three_volume_gpt_map();

	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	return combined;
}

START_TEST(test_map_json_gpt)
{
	struct combined *combined = gpt_map_with_hole();
	char *devices[6] = { NULL };
	json_object *obj = output_map_json(combined, devices), *volumes, *c;

	ck_assert_str_eq(string_of(obj, "layout"), "gpt");
	volumes = json_object_object_get(obj, "volumes");
	/* Volumes only: no gpt areas, no hole. */
	ck_assert_uint_eq(json_object_array_length(volumes), 2);
	c = json_object_array_get_idx(volumes, 1);
	ck_assert_str_eq(string_of(c, "id"), "c");
	ck_assert_int_eq(int_of(c, "partition"), 3);
	ck_assert_str_eq(string_of(c, "partuuid"), "a0b1c2d3-e4f5-4a6b-8c7d-000000000030");
	ck_assert_int_eq(int_of(c, "start"), 10240);
	json_object_put(obj);
	combined_free(combined);
}
END_TEST

START_TEST(test_map_json_inactive)
{
	struct combined *combined = three_volume_map();
	char *devices[3] = { NULL, NULL, NULL };
	json_object *obj = output_map_json(combined, devices), *a;

	a = json_object_array_get_idx(json_object_object_get(obj, "volumes"), 0);
	ck_assert(json_object_object_get_ex(a, "device", NULL));
	ck_assert_ptr_null(json_object_object_get(a, "device"));
	json_object_put(obj);
	combined_free(combined);
}
END_TEST

/* What print writes to a memory stream. */
static char *printed(void (*print)(FILE *, const struct combined *, char *const *, bool),
		     const struct combined *combined, char *const *devices)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	print(out, combined, devices, true);
	fclose(out);
	return text;
}

/* output_status_text with the counters of status_counters, for printed(). */
static const struct region_counters *status_counters;

static void print_status(FILE *out, const struct combined *combined, char *const *devices,
			 bool active)
{
	output_status_text(out, combined, devices, status_counters, active);
}

START_TEST(test_status_json)
{
	const struct region_counters counters[3] = {
		{ 1, 2, 3, 4, 0, 5, 6, 7, 8, 0, true },
		{ 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, true },
		{ 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, true },
	};
	char *devices[3];
	struct combined *combined = map_with_hole(devices);
	json_object *obj = output_status_json(combined, devices, counters, true), *c;

	ck_assert_str_eq(keys_of(obj), "name uuid layout size shared volumes active");
	ck_assert(json_object_get_boolean(json_object_object_get(obj, "active")));
	c = json_object_array_get_idx(json_object_object_get(obj, "volumes"), 1);
	ck_assert_str_eq(keys_of(c), "id source identity identity_kind device start length offset partition partuuid "
				     "headroom missing reads writes read_sectors write_sectors errors discards "
				     "discard_sectors write_zeroes write_zeroes_sectors flush_errors "
				     "state");
	/* Region 2 is c: the hole's counters (region 1) are not a volume's. */
	ck_assert_int_eq(int_of(c, "reads"), 10);
	ck_assert_int_eq(int_of(c, "write_sectors"), 40);
	ck_assert_int_eq(int_of(c, "errors"), 50);
	ck_assert_int_eq(int_of(c, "discard_sectors"), 70);
	ck_assert_int_eq(int_of(c, "write_zeroes"), 80);
	ck_assert_int_eq(int_of(c, "flush_errors"), 100);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "state")), "failing");
	c = json_object_array_get_idx(json_object_object_get(obj, "volumes"), 0);
	ck_assert_int_eq(int_of(c, "discards"), 5);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(c, "state")), "ok");
	json_object_put(obj);
	combined_free(combined);
}
END_TEST

START_TEST(test_status_text)
{
	const struct region_counters counters[3] = {
		{ 1, 2, 3, 4, 0, 5, 2048, 7, 4096, 0, true },
		{ 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, true },
		{ 10, 20, 30, 40, 0, 60, 70, 80, 90, 1, true },
	};
	char *devices[3];
	struct combined *combined = map_with_hole(devices);
	char *text;

	status_counters = counters;
	text = printed(print_status, combined, devices);
	ck_assert_str_eq(text,
		"vm1: active, concat, 3.5 MiB, logical block size 512, uuid " TEST_UUID "\n"
		"ID  DEVICE      READS  WRITES     READ  WRITTEN  DISCARDED  ZEROED  ERRORS  FLUSH-ERRORS  STATE\n"
		"a   /dev/sdb        1       2  1.5 KiB    2 KiB      1 MiB   2 MiB       0             0  ok\n"
		"c   /dev/loop0     10      20   15 KiB   20 KiB     35 KiB  45 KiB       0             1  failing\n");
	free(text);
	combined_free(combined);
}
END_TEST

/* A target before 1.2: the counters it does not keep are null, "-" in text. */
START_TEST(test_status_old_target)
{
	const struct region_counters counters[3] = {
		{ .reads = 1, .writes = 2 }, { 0 }, { .reads = 3 },
	};
	char *devices[3], *text;
	struct combined *combined = map_with_hole(devices);
	json_object *obj = output_status_json(combined, devices, counters, true), *c;

	c = json_object_array_get_idx(json_object_object_get(obj, "volumes"), 0);
	ck_assert_int_eq(int_of(c, "writes"), 2);
	ck_assert_int_eq(int_of(c, "errors"), 0);
	ck_assert(json_object_object_get_ex(c, "discards", NULL));
	ck_assert_ptr_null(json_object_object_get(c, "discards"));
	ck_assert_ptr_null(json_object_object_get(c, "flush_errors"));
	json_object_put(obj);
	status_counters = counters;
	text = printed(print_status, combined, devices);
	ck_assert_str_eq(text,
		"vm1: active, concat, 3.5 MiB, logical block size 512, uuid " TEST_UUID "\n"
		"ID  DEVICE      READS  WRITES  READ  WRITTEN  DISCARDED  ZEROED  ERRORS  FLUSH-ERRORS  STATE\n"
		"a   /dev/sdb        1       2   0 B      0 B          -       -       0             -  ok\n"
		"c   /dev/loop0      3       0   0 B      0 B          -       -       0             -  ok\n");
	free(text);
	combined_free(combined);
}
END_TEST

START_TEST(test_status_json_inactive)
{
	struct combined *combined = three_volume_map();
	char *devices[3] = { NULL, NULL, NULL };
	json_object *obj = output_status_json(combined, devices, NULL, false), *a;

	ck_assert(!json_object_get_boolean(json_object_object_get(obj, "active")));
	a = json_object_array_get_idx(json_object_object_get(obj, "volumes"), 0);
	ck_assert(json_object_object_get_ex(a, "reads", NULL));
	ck_assert_ptr_null(json_object_object_get(a, "reads"));
	json_object_put(obj);
	combined_free(combined);
}
END_TEST

START_TEST(test_list_json)
{
	char *devices[3];
	struct combined *combined = map_with_hole(devices);
	json_object *obj = output_list_entry_json(combined, false);

	ck_assert_str_eq(keys_of(obj), "name uuid layout size shared volumes active");
	ck_assert_int_eq(int_of(obj, "volumes"), 2);
	ck_assert_int_eq(int_of(obj, "size"), 7168);
	ck_assert(!json_object_get_boolean(json_object_object_get(obj, "active")));
	json_object_put(obj);
	combined_free(combined);
}
END_TEST

START_TEST(test_map_text)
{
	char *devices[3];
	struct combined *combined = map_with_hole(devices);
	char *text = printed(output_map_text, combined, devices);

	ck_assert_str_eq(text,
		"vm1: active, concat, 3.5 MiB, logical block size 512, uuid " TEST_UUID "\n"
		"ID  PART  SOURCE     DEVICE      START     SIZE  OFFSET  KIND  IDENTITY\n"
		"a      -  /dev/test  /dev/sdb      0 B    1 MiB     0 B  wwn   /dev/disk/by-id/wwn-0x5000c50000000001\n"
		"-      -  (hole)     -           1 MiB    2 MiB     0 B  -     -\n"
		"c      -  /dev/test  /dev/loop0  3 MiB  512 KiB     0 B  file  /srv/images/c.img\n");
	free(text);
	combined_free(combined);
}
END_TEST

/* gpt: partition numbers; the GPT and padding are not listed. */
START_TEST(test_map_text_gpt)
{
	struct combined *combined = gpt_map_with_hole();
	char *devices[6] = { NULL };
	char *text;

	/* A reserve is the gpt layout's: its own column; a missing volume says so. */
	combined->regions[combined_find(combined, "a")].headroom = 1024;
	combined->regions[combined_find(combined, "c")].missing = true;
	text = printed(output_map_text, combined, devices);
	ck_assert_str_eq(text,
		"vm1: active, gpt, 6 MiB, logical block size 512, uuid " TEST_UUID "\n"
		"ID  PART  SOURCE     DEVICE   START     SIZE  OFFSET  KIND  IDENTITY                                HEADROOM\n"
		"a      1  /dev/test  -        1 MiB  1.5 MiB     0 B  wwn   /dev/disk/by-id/wwn-0x5000c50000000001   512 KiB\n"
		"-      -  (hole)     -        3 MiB    2 MiB     0 B  -     -                                              -\n"
		"c      3  /dev/test  missing  5 MiB  512 KiB     0 B  wwn   /dev/disk/by-id/wwn-0x5000c50000000001       0 B\n");
	free(text);
	combined_free(combined);
}
END_TEST

/* An old registry's guest-written identity and a kernel name are flagged. */
START_TEST(test_map_text_weak)
{
	char *devices[3];
	struct combined *combined = map_with_hole(devices);
	char *text;
	json_object *obj, *a;

	free(combined->regions[0].identity);
	combined->regions[0].identity = strdup("UUID=3f1c0000-0000-4000-8000-0000000000e2");
	text = printed(output_map_text, combined, devices);
	ck_assert_ptr_nonnull(strstr(text, "  guest-data  UUID=3f1c0000-0000-4000-8000-0000000000e2\n"));
	ck_assert_ptr_nonnull(strstr(text, "\n1 volume is saved by a weak identity (kernel-name: may move; guest-data: the guest writes it): see dmcombine reidentify vm1\n"));
	obj = output_map_json(combined, devices);
	a = json_object_array_get_idx(json_object_object_get(obj, "volumes"), 0);
	ck_assert_str_eq(string_of(a, "identity_kind"), "guest-data");
	json_object_put(obj);
	free(text);
	combined_free(combined);
}
END_TEST

/* Latency of volume a only: reads 90 in [64, 128) us, one write over 2.1 s. */
static struct region_latency *latency_of_a(void)
{
	struct region_latency *latency = calloc(3, sizeof(*latency));

	ck_assert_ptr_nonnull(latency);
	latency[0].read.usecs = 9000;
	latency[0].read.buckets[6] = 90;
	latency[0].write.usecs = 3000000;
	latency[0].write.buckets[DM_COMBINE_LATENCY_BUCKETS - 1] = 1;
	return latency;
}

START_TEST(test_status_latency)
{
	struct region_latency *latency = latency_of_a();
	char *devices[3], *text = NULL;
	struct combined *combined = map_with_hole(devices);
	json_object *obj = output_status_json(combined, devices, NULL, true), *a, *read;
	size_t size = 0;
	FILE *out;

	output_status_latency_json(obj, combined, latency);
	a = json_object_array_get_idx(json_object_object_get(obj, "volumes"), 0);
	read = json_object_object_get(json_object_object_get(a, "latency"), "read");
	ck_assert_int_eq(int_of(read, "count"), 90);
	ck_assert_int_eq(int_of(read, "mean_usecs"), 100);
	ck_assert_int_eq(int_of(read, "p50_usecs"), 96);
	ck_assert_int_eq(json_object_array_length(json_object_object_get(read, "buckets")),
			 DM_COMBINE_LATENCY_BUCKETS);
	/* c has the feature too, without I/O: estimates null. */
	read = json_object_object_get(json_object_object_get(
		json_object_array_get_idx(json_object_object_get(obj, "volumes"), 1), "latency"), "read");
	ck_assert_int_eq(int_of(read, "count"), 0);
	ck_assert(json_object_object_get_ex(read, "p99_usecs", NULL));
	ck_assert_ptr_null(json_object_object_get(read, "p99_usecs"));
	json_object_put(obj);
	/* Without the feature: "latency": null. */
	obj = output_status_json(combined, devices, NULL, true);
	output_status_latency_json(obj, combined, NULL);
	a = json_object_array_get_idx(json_object_object_get(obj, "volumes"), 0);
	ck_assert(json_object_object_get_ex(a, "latency", NULL));
	ck_assert_ptr_null(json_object_object_get(a, "latency"));
	json_object_put(obj);

	out = open_memstream(&text, &size);
	output_latency_text(out, combined, latency);
	fclose(out);
	ck_assert_str_eq(text,
		"latency in ms since the table was loaded (p50, p99 estimated from log2 buckets):\n"
		"ID  READ-MEAN  READ-P50  READ-P99  WRITE-MEAN  WRITE-P50  WRITE-P99\n"
		"a        0.10      0.10      0.13     3000.00    2097.15    2097.15\n"
		"c           -         -         -           -          -          -\n");
	free(text);
	free(latency);
	combined_free(combined);
}
END_TEST

/* iostat's text and JSON reports: rates, unknown intervals, inactive devices. */
START_TEST(test_iostat_reports)
{
	char *devices[3], *text = NULL;
	struct sample samples[2] = {
		{ .combined = map_with_hole(devices), .active = true },
		{ .combined = three_volume_map() },
	};
	struct volume_rate rates[2] = {
		{ .sample = &samples[0], .region = &samples[0].combined->regions[0], .seconds = 2,
		  .delta = { .reads = 10, .writes = 4, .read_sectors = 4096, .errors = 1 } },
		{ .sample = &samples[0], .region = &samples[0].combined->regions[2], .seconds = -1,
		  .restarted = true },
	};
	json_object *obj, *volume;
	size_t size = 0;
	FILE *out;

	snprintf(samples[1].combined->name, sizeof(samples[1].combined->name), "vm2");
	samples[0].latency = latency_of_a();
	rates[0].latency = samples[0].latency[0];
	out = open_memstream(&text, &size);
	output_iostat_text(out, 0, false, samples, 2, rates, 2);
	fclose(out);
	ck_assert_msg(strstr(text,
		"DEVICE  VOLUME   r/s   w/s  rMB/s  wMB/s  errors  r_await  w_await  r_p99    w_p99\n"
		"vm1     a       5.00  2.00   1.00   0.00       1     0.10  3000.00   0.13  2097.15\n"
		"vm1     c          -     -      -      -       0        -        -      -        -\n"
		"vm2: not active\n"), "%s", text);
	free(text);
	text = NULL;
	out = open_memstream(&text, &size);
	output_iostat_json(out, 0, true, samples, 2, rates, 2);
	fclose(out);
	ck_assert_uint_eq(count_lines(text), 1);
	obj = json_tokener_parse(text);
	ck_assert_ptr_nonnull(obj);
	ck_assert(json_object_get_boolean(json_object_object_get(obj, "since_load")));
	volume = json_object_array_get_idx(json_object_object_get(json_object_array_get_idx(
		json_object_object_get(obj, "devices"), 0), "volumes"), 0);
	ck_assert_int_eq(int_of(volume, "reads"), 10);
	ck_assert_double_eq_tol(json_object_get_double(
		json_object_object_get(volume, "read_bytes_per_second")), 1048576, 1e-6);
	volume = json_object_array_get_idx(json_object_object_get(json_object_array_get_idx(
		json_object_object_get(obj, "devices"), 0), "volumes"), 1);
	ck_assert(json_object_object_get_ex(volume, "reads_per_second", NULL));
	ck_assert_ptr_null(json_object_object_get(volume, "reads_per_second"));
	ck_assert(!json_object_get_boolean(json_object_object_get(
		json_object_array_get_idx(json_object_object_get(obj, "devices"), 1), "active")));
	json_object_put(obj);
	free(text);
	sample_free(&samples[0]);
	sample_free(&samples[1]);
}
END_TEST

START_TEST(test_list_text)
{
	struct combined *maps[2] = { three_volume_map(), three_volume_map() };
	const bool active[2] = { true, false };
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	snprintf(maps[1]->name, sizeof(maps[1]->name), "database-server");
	output_list_text(out, maps, active, 2);
	fclose(out);
	ck_assert_str_eq(text,
		"NAME             LAYOUT     SIZE  VOLUMES  STATE\n"
		"vm1              concat  3.5 MiB        3  active\n"
		"database-server  concat  3.5 MiB        3  not active\n");
	free(text);
	combined_free(maps[0]);
	combined_free(maps[1]);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("output");
	TCase *tcase;

	tcase = add_tcase(suite, "iec_sizes");
	tcase_add_test(tcase, test_iec);
	tcase = add_tcase(suite, "map_json");
	tcase_add_test(tcase, test_map_json);
	tcase_add_test(tcase, test_map_json_inactive);
	tcase_add_test(tcase, test_map_json_gpt);
	tcase = add_tcase(suite, "status_json");
	tcase_add_test(tcase, test_status_json);
	tcase_add_test(tcase, test_status_json_inactive);
	tcase_add_test(tcase, test_status_text);
	tcase_add_test(tcase, test_status_old_target);
	tcase = add_tcase(suite, "watch");
	tcase_add_test(tcase, test_status_latency);
	tcase_add_test(tcase, test_iostat_reports);
	tcase = add_tcase(suite, "list_json");
	tcase_add_test(tcase, test_list_json);
	tcase = add_tcase(suite, "text_tables");
	tcase_add_test(tcase, test_map_text);
	tcase_add_test(tcase, test_map_text_gpt);
	tcase_add_test(tcase, test_map_text_weak);
	tcase_add_test(tcase, test_list_text);
	return run_suite(suite);
}
