// SPDX-License-Identifier: GPL-2.0-only
/*
 * Maps and the table text (userspace/combined.c, userspace/table.c):
 * concat placement, holes after drop, appends that keep every start,
 * alignment refusal, and the live table and status read back.
 */
#include <errno.h>

#include "check_common.h"
#include "table.h"
#include "test_maps.h"

static void assert_params(const struct combined *combined, const char *expected)
{
	char *params = table_params(combined);

	ck_assert_ptr_nonnull(params);
	ck_assert_str_eq(params, expected);
	free(params);
}

START_TEST(test_concat)
{
	struct combined *combined = three_volume_map();

	ck_assert_uint_eq(combined_size(combined), 7168);
	ck_assert_uint_eq(combined->regions[1].start, 2048);
	ck_assert_uint_eq(combined->regions[2].start, 6144);
	assert_params(combined, "0 3 2048 8:16 0 4096 8:32 0 1024 8:48 0");
	combined_free(combined);
}
END_TEST

START_TEST(test_duplicate_id)
{
	struct combined *combined = three_volume_map();
	struct region volume = { .id = "b", .size = 8, .source = (char *)"x", .identity = (char *)"/x" };

	ck_assert_int_eq(combined_add_volume(combined, &volume), -EEXIST);
	ck_assert_uint_eq(combined->nr_regions, 3);
	combined_free(combined);
}
END_TEST

START_TEST(test_drop_makes_hole)
{
	struct combined *combined = three_volume_map();

	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	ck_assert_uint_eq(combined->nr_regions, 3);
	ck_assert(combined->regions[1].hole);
	ck_assert_uint_eq(combined->regions[2].start, 6144);
	ck_assert_uint_eq(combined_size(combined), 7168);
	ck_assert_uint_eq(combined_volume_count(combined), 2);
	assert_params(combined, "0 3 2048 8:16 0 4096 - 0 1024 8:48 0");
	ck_assert_int_eq(combined_drop(combined, "b"), -ENOENT);
	ck_assert_int_eq(combined_drop(combined, "nosuch"), -ENOENT);
	combined_free(combined);
}
END_TEST

/* Also: the last volume cannot be dropped. */
START_TEST(test_drop_merges_holes)
{
	struct combined *combined = three_volume_map();

	add_test_volume(combined, "d", 512, 64);
	ck_assert_int_eq(combined_drop(combined, "a"), 0);
	ck_assert_int_eq(combined_drop(combined, "c"), 0);
	/* b between two holes: dropping it leaves one hole of all three. */
	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	ck_assert_uint_eq(combined->nr_regions, 2);
	ck_assert_uint_eq(combined->regions[1].start, 7168);
	assert_params(combined, "0 2 7168 - 0 512 8:64 0");
	ck_assert_int_eq(combined_drop(combined, "d"), -EPERM);
	combined_free(combined);
}
END_TEST

START_TEST(test_append_keeps_starts)
{
	struct combined *combined = three_volume_map();

	ck_assert_int_eq(combined_drop(combined, "c"), 0);
	add_test_volume(combined, "e", 8192, 80);
	ck_assert_uint_eq(combined->regions[0].start, 0);
	ck_assert_uint_eq(combined->regions[1].start, 2048);
	ck_assert_uint_eq(combined->regions[2].start, 6144);
	ck_assert(combined->regions[2].hole);
	ck_assert_uint_eq(combined->regions[3].start, 7168);
	assert_params(combined, "0 4 2048 8:16 0 4096 8:32 0 1024 - 0 8192 8:80 0");
	combined_free(combined);
}
END_TEST

START_TEST(test_alignment_refused)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_CONCAT, 4096);

	add_test_volume(combined, "a", 2048, 16);
	add_test_volume(combined, "odd", 2049, 32);
	capture_stderr();
	ck_assert_ptr_null(table_params(combined));
	ck_assert_ptr_nonnull(strstr(captured_stderr(), "odd"));
	ck_assert(sectors_aligned(4096, 4096));
	ck_assert(!sectors_aligned(4100, 4096));
	ck_assert(sectors_aligned(1, 512));
	combined_free(combined);
}
END_TEST

START_TEST(test_block_sizes)
{
	ck_assert(logical_block_size_valid(512));
	ck_assert(logical_block_size_valid(4096));
	ck_assert(!logical_block_size_valid(0));
	ck_assert(!logical_block_size_valid(256));
	ck_assert(!logical_block_size_valid(1536));
	ck_assert(!logical_block_size_valid(1U << 20));
}
END_TEST

START_TEST(test_too_large)
{
	struct combined *combined = three_volume_map();
	struct region volume = {
		.id = "huge", .size = MAX_SECTORS, .source = (char *)"x", .identity = (char *)"/x",
	};

	ck_assert_int_eq(combined_add_volume(combined, &volume), -E2BIG);
	combined_free(combined);
}
END_TEST

START_TEST(test_layouts)
{
	enum layout layout;

	ck_assert_int_eq(layout_parse("concat", &layout), 0);
	ck_assert_int_eq(layout, LAYOUT_CONCAT);
	ck_assert_str_eq(layout_name(LAYOUT_CONCAT), "concat");
	ck_assert_int_eq(layout_parse("gpt", &layout), -EOPNOTSUPP);
	ck_assert_int_eq(layout_parse("raid0", &layout), -EINVAL);
}
END_TEST

START_TEST(test_live_table_read_back)
{
	struct combined *combined = three_volume_map();
	dev_t devnos[3];

	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	ck_assert_int_eq(table_parse_devices("0 3 2048 8:16 0 4096 - 0 1024 253:7 0", combined,
					     devnos), 0);
	ck_assert_uint_eq(devnos[0], makedev(8, 16));
	ck_assert_uint_eq(devnos[1], 0);
	ck_assert_uint_eq(devnos[2], makedev(253, 7));
	/* Tables that are not the registry's map. */
	ck_assert_int_eq(table_parse_devices("0 2 2048 8:16 0 4096 - 0", combined, devnos), -EINVAL);
	ck_assert_int_eq(table_parse_devices("0 3 2048 8:16 0 4096 8:32 0 1024 253:7 0", combined,
					     devnos), -EINVAL);
	ck_assert_int_eq(table_parse_devices("0 3 2048 8:16 0 4096 - 0 1024 253:7 8", combined,
					     devnos), -EINVAL);
	ck_assert_int_eq(table_parse_devices("0 3 2048 8:16 0 4096 - 0 1024 253:7 0 9", combined,
					     devnos), -EINVAL);
	ck_assert_int_eq(table_parse_devices("1 x 3 2048 8:16 0 4096 - 0 1024 253:7 0", combined,
					     devnos), -EINVAL);
	combined_free(combined);
}
END_TEST

START_TEST(test_status_parse)
{
	struct region_counters counters[2];

	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 18446744073709551615", 2, counters), 0);
	ck_assert_uint_eq(counters[0].reads, 1);
	ck_assert_uint_eq(counters[0].errors, 5);
	ck_assert_uint_eq(counters[1].write_sectors, 9);
	ck_assert_uint_eq(counters[1].errors, UINT64_MAX);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9", 2, counters), -EINVAL);
	ck_assert_int_eq(status_parse("3 1 2 3 4 5 6 7 8 9 10", 2, counters), -EINVAL);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 10 11", 2, counters), -EINVAL);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 -1", 2, counters), -EINVAL);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 18446744073709551616", 2, counters),
			 -EINVAL);
	ck_assert_int_eq(status_parse("", 2, counters), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("table");
	TCase *tcase;

	tcase = add_tcase(suite, "concat");
	tcase_add_test(tcase, test_concat);
	tcase_add_test(tcase, test_duplicate_id);
	tcase_add_test(tcase, test_too_large);
	tcase = add_tcase(suite, "holes_after_drop");
	tcase_add_test(tcase, test_drop_makes_hole);
	tcase_add_test(tcase, test_drop_merges_holes);
	tcase = add_tcase(suite, "append_keeps_starts");
	tcase_add_test(tcase, test_append_keeps_starts);
	tcase = add_tcase(suite, "alignment");
	tcase_add_test(tcase, test_alignment_refused);
	tcase_add_test(tcase, test_block_sizes);
	tcase = add_tcase(suite, "layouts");
	tcase_add_test(tcase, test_layouts);
	tcase = add_tcase(suite, "read_back");
	tcase_add_test(tcase, test_live_table_read_back);
	tcase_add_test(tcase, test_status_parse);
	return run_suite(suite);
}
