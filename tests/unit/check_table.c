// SPDX-License-Identifier: GPL-2.0-only
/*
 * Maps and the table text (userspace/combined.c, userspace/table.c):
 * concat and gpt placement, holes after drop, appends that keep every
 * start (and under gpt every partition number), alignment refusal, and
 * the live table and status read back.
 */
#include <errno.h>

#include "check_common.h"
#include "gpt_image.h"
#include "table.h"
#include "test_maps.h"

static void assert_params(const struct combined *combined, const char *expected)
{
	char *params = table_params(combined);

	ck_assert_ptr_nonnull(params);
	ck_assert_str_eq(params, expected);
	free(params);
}

/* The table text begins with expected (the rest: other tests check it). */
static void assert_params_prefix(const struct combined *combined, const char *expected)
{
	char *params = table_params(combined);

	ck_assert_ptr_nonnull(params);
	ck_assert_msg(!strncmp(params, expected, strlen(expected)), "%s", params);
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
	ck_assert_int_eq(layout_parse("gpt", &layout), 0);
	ck_assert_int_eq(layout, LAYOUT_GPT);
	ck_assert_str_eq(layout_name(LAYOUT_GPT), "gpt");
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

	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 "
				      "18446744073709551615", 2, counters, NULL), 0);
	ck_assert(counters[0].by_kind && counters[1].by_kind);
	ck_assert_uint_eq(counters[0].reads, 1);
	ck_assert_uint_eq(counters[0].errors, 5);
	ck_assert_uint_eq(counters[0].discards, 6);
	ck_assert_uint_eq(counters[0].flush_errors, 10);
	ck_assert_uint_eq(counters[1].write_zeroes_sectors, 19);
	ck_assert_uint_eq(counters[1].flush_errors, UINT64_MAX);
	/* A target before 1.2: five counters per region. */
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 18446744073709551615", 2, counters,
				      NULL), 0);
	ck_assert(!counters[0].by_kind && !counters[1].by_kind);
	ck_assert_uint_eq(counters[0].reads, 1);
	ck_assert_uint_eq(counters[0].errors, 5);
	ck_assert_uint_eq(counters[0].discards, 0);
	ck_assert_uint_eq(counters[1].write_sectors, 9);
	ck_assert_uint_eq(counters[1].errors, UINT64_MAX);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9", 2, counters, NULL), -EINVAL);
	ck_assert_int_eq(status_parse("3 1 2 3 4 5 6 7 8 9 10", 2, counters, NULL), -EINVAL);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 10 11", 2, counters, NULL), -EINVAL);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 -1", 2, counters, NULL), -EINVAL);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 18446744073709551616", 2, counters,
				      NULL), -EINVAL);
	ck_assert_int_eq(status_parse("", 2, counters, NULL), -EINVAL);
}
END_TEST

/* The latency feature's numbers of one region: sums r and w, then read and write buckets. */
static void append_latency(char *text, size_t size, unsigned int r, unsigned int w)
{
	size_t used = strlen(text);
	unsigned int b;

	used += (size_t)snprintf(text + used, size - used, " %u %u", r, w);
	for (b = 0; b < 2 * DM_COMBINE_LATENCY_BUCKETS; b++)
		used += (size_t)snprintf(text + used, size - used, " %u", b + 1);
}

START_TEST(test_status_parse_latency)
{
	struct region_counters counters[2];
	struct region_latency latency[2];
	char text[1024];

	snprintf(text, sizeof(text), "2 1 2 3 4 5 6 7 8 9 10");
	append_latency(text, sizeof(text), 100, 200);
	strcat(text, " 11 12 13 14 15 16 17 18 19 20");
	append_latency(text, sizeof(text), 300, 400);
	ck_assert_int_eq(status_parse(text, 2, counters, latency), 0);
	ck_assert(counters[0].by_kind);
	ck_assert_uint_eq(counters[0].flush_errors, 10);
	ck_assert_uint_eq(latency[0].read.usecs, 100);
	ck_assert_uint_eq(latency[0].write.usecs, 200);
	ck_assert_uint_eq(latency[0].read.buckets[0], 1);
	ck_assert_uint_eq(latency[0].read.buckets[DM_COMBINE_LATENCY_BUCKETS - 1],
			  DM_COMBINE_LATENCY_BUCKETS);
	ck_assert_uint_eq(latency[0].write.buckets[0], DM_COMBINE_LATENCY_BUCKETS + 1);
	ck_assert_uint_eq(counters[1].reads, 11);
	ck_assert_uint_eq(latency[1].write.usecs, 400);
	ck_assert_uint_eq(latency[1].write.buckets[DM_COMBINE_LATENCY_BUCKETS - 1],
			  2 * DM_COMBINE_LATENCY_BUCKETS);
	/* Only as the live table says: with it, without it, one number short. */
	ck_assert_int_eq(status_parse(text, 2, counters, NULL), -EINVAL);
	ck_assert_int_eq(status_parse("2 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", 2,
				      counters, latency), -EINVAL);
	*strrchr(text, ' ') = '\0';
	ck_assert_int_eq(status_parse(text, 2, counters, latency), -EINVAL);
}
END_TEST

/* regions_print (target 1.4): a line per region, exactly as many as asked for. */
START_TEST(test_regions_parse)
{
	struct region_counters counters[2];
	struct region_latency latency[2];
	char text[1024];

	ck_assert_int_eq(regions_parse("1 2 3 4 5 6 7 8 9 10\n11 12 13 14 15 16 17 18 19 "
				       "18446744073709551615\n", 2, counters, NULL), 0);
	ck_assert(counters[0].by_kind && counters[1].by_kind);
	ck_assert_uint_eq(counters[0].reads, 1);
	ck_assert_uint_eq(counters[0].flush_errors, 10);
	ck_assert_uint_eq(counters[1].reads, 11);
	ck_assert_uint_eq(counters[1].flush_errors, UINT64_MAX);
	ck_assert_int_eq(regions_parse("", 0, counters, NULL), 0);
	/* A line short, one too many, a number short or too many, no newline. */
	ck_assert_int_eq(regions_parse("1 2 3 4 5 6 7 8 9 10\n", 2, counters, NULL), -EINVAL);
	ck_assert_int_eq(regions_parse("1 2 3 4 5 6 7 8 9 10\n1 2 3 4 5 6 7 8 9 10\n", 1,
				       counters, NULL), -EINVAL);
	ck_assert_int_eq(regions_parse("1 2 3 4 5 6 7 8 9\n", 1, counters, NULL), -EINVAL);
	ck_assert_int_eq(regions_parse("1 2 3 4 5 6 7 8 9 10 11\n", 1, counters, NULL), -EINVAL);
	ck_assert_int_eq(regions_parse("1 2 3 4 5 6 7 8 9 10", 1, counters, NULL), -EINVAL);
	ck_assert_int_eq(regions_parse("1 2 3 4 5 6 7 8 9 -1\n", 1, counters, NULL), -EINVAL);
	/* With the latency feature: its numbers after each line's counters. */
	snprintf(text, sizeof(text), "1 2 3 4 5 6 7 8 9 10");
	append_latency(text, sizeof(text), 100, 200);
	strcat(text, "\n11 12 13 14 15 16 17 18 19 20");
	append_latency(text, sizeof(text), 300, 400);
	strcat(text, "\n");
	ck_assert_int_eq(regions_parse(text, 2, counters, latency), 0);
	ck_assert_uint_eq(latency[0].read.usecs, 100);
	ck_assert_uint_eq(latency[1].write.usecs, 400);
	ck_assert_uint_eq(latency[1].write.buckets[DM_COMBINE_LATENCY_BUCKETS - 1],
			  2 * DM_COMBINE_LATENCY_BUCKETS);
	ck_assert_int_eq(regions_parse(text, 2, counters, NULL), -EINVAL);
	ck_assert_int_eq(regions_parse("1 2 3 4 5 6 7 8 9 10\n", 1, counters, latency), -EINVAL);
}
END_TEST

/* The latency word follows the gpt feature's; the live table must have it exactly when the map does. */
START_TEST(test_latency_table)
{
	struct combined *combined = three_volume_map();
	dev_t devnos[3];

	combined->latency = true;
	assert_params(combined, "1 latency 3 2048 8:16 0 4096 8:32 0 1024 8:48 0");
	ck_assert_int_eq(table_parse_devices("1 latency 3 2048 8:16 0 4096 8:32 0 1024 8:48 0",
					     combined, devnos), 0);
	ck_assert_int_eq(table_parse_devices("0 3 2048 8:16 0 4096 8:32 0 1024 8:48 0",
					     combined, devnos), -EINVAL);
	ck_assert_int_eq(table_parse_devices("1 gpt 3 2048 8:16 0 4096 8:32 0 1024 8:48 0",
					     combined, devnos), -EINVAL);
	combined->latency = false;
	ck_assert_int_eq(table_parse_devices("1 latency 3 2048 8:16 0 4096 8:32 0 1024 8:48 0",
					     combined, devnos), -EINVAL);
	combined_free(combined);

	combined = three_volume_gpt_map();
	combined->latency = true;
	assert_params_prefix(combined, "4 gpt 512 " TEST_UUID " latency 6 ");
	combined_free(combined);
}
END_TEST

#define GUID_A "a0b1c2d3-e4f5-4a6b-8c7d-000000000010"
#define GUID_B "a0b1c2d3-e4f5-4a6b-8c7d-000000000020"
#define GUID_C "a0b1c2d3-e4f5-4a6b-8c7d-000000000030"
#define GPT_THREE_TABLE \
	"3 gpt 512 " TEST_UUID " 6 2048 gpt 0 3000 8:16 0 1 " TEST_TYPE_LINUX " " GUID_A " a" \
	" 1096 gpt 0 4096 8:32 0 2 " TEST_TYPE_LINUX " " GUID_B " b" \
	" 1024 8:48 0 3 " TEST_TYPE_LINUX " " GUID_C " c 1024 gpt 0"

/* (start, length, partition or 0 for a gpt area, -1 for a hole) of each region. */
static void assert_regions(const struct combined *combined, const int64_t (*expected)[3],
			   size_t count)
{
	size_t i;

	ck_assert_uint_eq(combined->nr_regions, count);
	for (i = 0; i < count; i++) {
		const struct region *region = &combined->regions[i];
		int64_t kind = region->gpt_area ? 0 : region->hole ? -1 : (int64_t)region->partition;

		ck_assert_msg(region->start == (uint64_t)expected[i][0] &&
			      region->length == (uint64_t)expected[i][1] && kind == expected[i][2],
			      "region %zu: %llu+%llu kind %lld", i, (unsigned long long)region->start,
			      (unsigned long long)region->length, (long long)kind);
	}
}

START_TEST(test_gpt_placement)
{
	static const int64_t expected[][3] = {
		{ 0, 2048, 0 }, { 2048, 3000, 1 }, { 5048, 1096, 0 }, { 6144, 4096, 2 },
		{ 10240, 1024, 3 }, { 11264, 1024, 0 },
	};
	struct combined *combined = three_volume_gpt_map();

	assert_regions(combined, expected, 6);
	ck_assert_str_eq(combined->regions[3].partuuid, GUID_B);
	assert_params(combined, GPT_THREE_TABLE);
	ck_assert_uint_eq(combined_volume_count(combined), 3);
	combined_free(combined);
}
END_TEST

/* 4096-byte blocks: gpt 0+2048, a 2048+2048, b 4096+8, gpt 4104+2040. */
static struct combined *gpt_4096_map(void)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_GPT, 4096);

	ck_assert_ptr_nonnull(combined);
	add_test_volume(combined, "a", 2048, 16);
	add_test_volume(combined, "b", 8, 32);
	return combined;
}

START_TEST(test_gpt_head_tail_sizes)
{
	static const int64_t expected[][3] = {
		{ 0, 2048, 0 }, { 2048, 2048, 1 }, { 4096, 8, 2 }, { 4104, 2040, 0 },
	};
	struct combined *combined = gpt_4096_map();

	/* MBR, header, 16 KiB of entries; backup entries and header. */
	ck_assert_uint_eq(gpt_head_sectors(512), 34);
	ck_assert_uint_eq(gpt_tail_sectors(512), 33);
	ck_assert_uint_eq(gpt_head_sectors(4096), 48);
	ck_assert_uint_eq(gpt_tail_sectors(4096), 40);
	/* 4104 + 40 rounds up to 6144. */
	assert_regions(combined, expected, 4);
	assert_params(combined, "3 gpt 4096 " TEST_UUID " 4 2048 gpt 0 2048 8:16 0 1 " TEST_TYPE_LINUX
			" a0b1c2d3-e4f5-4a6b-8c7d-000000000010 a 8 8:32 0 2 " TEST_TYPE_LINUX
			" a0b1c2d3-e4f5-4a6b-8c7d-000000000020 b 2040 gpt 0");
	combined_free(combined);
}
END_TEST

/* A tail that would leave less than the backup GPT before the boundary takes the next MiB. */
START_TEST(test_gpt_tail_rounds_past_boundary)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_GPT, 512);

	add_test_volume(combined, "a", 2048 - 16, 16);
	ck_assert_uint_eq(combined->regions[2].start, 4080);
	ck_assert_uint_eq(combined->regions[2].length, 2048 + 16);
	combined_free(combined);
}
END_TEST

START_TEST(test_gpt_numbers_stable)
{
	static const int64_t expected[][3] = {
		{ 0, 2048, 0 }, { 2048, 3000, 1 }, { 5048, 1096, 0 }, { 6144, 4096, -1 },
		{ 10240, 1024, 3 }, { 11264, 1024, 0 }, { 12288, 2048, 2 }, { 14336, 2048, 4 },
		{ 16384, 2048, 0 },
	};
	struct combined *combined = three_volume_gpt_map();

	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	assert_params(combined, "3 gpt 512 " TEST_UUID " 6 2048 gpt 0 3000 8:16 0 1 " TEST_TYPE_LINUX
			" " GUID_A " a 1096 gpt 0 4096 - 0 1024 8:48 0 3 " TEST_TYPE_LINUX " " GUID_C
			" c 1024 gpt 0");
	/* d takes the free number 2 but its region goes to the end; e takes 4. */
	add_test_volume(combined, "d", 2048, 64);
	add_test_volume(combined, "e", 2048, 80);
	assert_regions(combined, expected, 9);
	combined_free(combined);
}
END_TEST

START_TEST(test_gpt_add_after_dropped_last)
{
	static const int64_t expected[][3] = {
		{ 0, 2048, 0 }, { 2048, 3000, 1 }, { 5048, 1096, 0 }, { 6144, 4096, 2 },
		{ 10240, 1024, -1 }, { 11264, 1024, 0 }, { 12288, 8, 3 }, { 12296, 2040, 0 },
	};
	struct combined *combined = three_volume_gpt_map();

	ck_assert_int_eq(combined_drop(combined, "c"), 0);
	/* The old tail's place becomes padding up to the next 1 MiB. */
	add_test_volume(combined, "d", 8, 64);
	assert_regions(combined, expected, 8);
	combined_free(combined);
}
END_TEST

START_TEST(test_gpt_129th_refused)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_GPT, 512);
	struct region volume = {
		.id = "last", .size = 8, .source = (char *)"x", .identity = (char *)"/x",
		.partuuid = GUID_A, .parttype = TEST_TYPE_LINUX,
	};
	uint64_t size;
	char id[16];
	size_t count;
	unsigned int i;

	for (i = 1; i <= DMC_GPT_ENTRIES; i++) {
		snprintf(id, sizeof(id), "v%u", i);
		add_test_volume(combined, id, 8, i);
		ck_assert_uint_eq(combined->regions[combined_find(combined, id)].partition, i);
	}
	ck_assert_uint_eq(combined_free_partition(combined), 0);
	size = combined_size(combined);
	count = combined->nr_regions;
	ck_assert_int_eq(combined_add_volume(combined, &volume), -ENOSPC);
	/* Refused with nothing changed: the tail is back where it was. */
	ck_assert_uint_eq(combined_size(combined), size);
	ck_assert_uint_eq(combined->nr_regions, count);
	ck_assert(combined->regions[count - 1].gpt_area);
	ck_assert_int_eq(combined_drop(combined, "v77"), 0);
	ck_assert_int_eq(combined_add_volume(combined, &volume), 0);
	ck_assert_uint_eq(combined->regions[combined_find(combined, "last")].partition, 77);
	combined_free(combined);
}
END_TEST

START_TEST(test_gpt_long_id_refused)
{
	struct combined *combined = three_volume_gpt_map();
	struct region volume = {
		.id = "a23456789012345678901234567890123456", .size = 8, .source = (char *)"x",
		.identity = (char *)"/x", .partuuid = GUID_A, .parttype = TEST_TYPE_LINUX,
	};
	size_t count = combined->nr_regions;

	ck_assert_int_eq(combined_add_volume(combined, &volume), 0);
	strcat(volume.id, "7");
	ck_assert_int_eq(combined_add_volume(combined, &volume), -ENAMETOOLONG);
	ck_assert_uint_eq(combined->nr_regions, count + 2);
	combined_free(combined);
}
END_TEST

START_TEST(test_gpt_types)
{
	static const char *const linux_data[] = { "ext4", "ext2", "xfs", "btrfs", "", "iso9660" };
	size_t i;

	ck_assert_str_eq(gpt_type_for("ntfs"), "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
	ck_assert_str_eq(gpt_type_for("vfat"), "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
	ck_assert_str_eq(gpt_type_for("exfat"), "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
	ck_assert_str_eq(gpt_type_for("swap"), "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f");
	ck_assert_str_eq(gpt_type_for("LVM2_member"), "e6d6d379-f507-44c2-a23c-238f2a3dd928");
	ck_assert_str_eq(gpt_type_for("linux_raid_member"), "a19d880f-05fc-4d3b-a006-743f0f84911e");
	ck_assert_str_eq(gpt_type_for("crypto_LUKS"), "ca7d7ccb-63ed-4c53-861c-1742536059cc");
	ck_assert_str_eq(gpt_type_for(NULL), TEST_TYPE_LINUX);
	for (i = 0; i < sizeof(linux_data) / sizeof(linux_data[0]); i++)
		ck_assert_str_eq(gpt_type_for(linux_data[i]), TEST_TYPE_LINUX);
}
END_TEST

START_TEST(test_gpt_read_back)
{
	static const char *const changed[][2] = {
		{ "3 gpt 512 ", "0 " },
		{ "3 gpt 512 ", "3 gpt 4096 " },
		{ "3 gpt 512 0b6f", "3 gpt 512 0B6F" },
		{ "2048 gpt 0", "2048 - 0" },
		{ "8:16 0 1 ", "8:16 0 4 " },
		{ "0 1 " TEST_TYPE_LINUX, "0 1 ebd0a0a2-b9e5-4433-87c0-68b6b72699c7" },
		{ GUID_B, GUID_C },
		{ " b 1024", " bb 1024" },
		{ "1024 gpt 0", "1024 gpt 8" },
	};
	struct combined *combined = three_volume_gpt_map();
	char text[1024];
	dev_t devnos[6];
	size_t i;

	ck_assert_int_eq(table_parse_devices(GPT_THREE_TABLE, combined, devnos), 0);
	ck_assert_uint_eq(devnos[0], 0);
	ck_assert_uint_eq(devnos[3], makedev(8, 32));
	ck_assert_uint_eq(devnos[5], 0);
	for (i = 0; i < sizeof(changed) / sizeof(changed[0]); i++) {
		const char *at = strstr(GPT_THREE_TABLE, changed[i][0]);

		ck_assert_ptr_nonnull(at);
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - GPT_THREE_TABLE), GPT_THREE_TABLE,
			 changed[i][1], at + strlen(changed[i][0]));
		ck_assert_msg(table_parse_devices(text, combined, devnos) == -EINVAL, "accepted %s", text);
	}
	combined_free(combined);
}
END_TEST

/*
 * The GPT a gpt map's device shows, built as the target builds it (through
 * dm-combine-gpt.h) and written to path; sgdisk -v must accept it, and
 * sgdisk -i shows each volume's partition with its ID, start and GUID.
 */
static void check_map_gpt(const struct combined *combined, const char *path)
{
	unsigned int block_size = combined->logical_block_size, per_block = block_size / SECTOR_SIZE;
	uint8_t type[DMC_GUID_SIZE], guid[DMC_GUID_SIZE];
	struct dmc_gpt gpt;
	char command[128], *out;
	size_t i;

	gpt_image_alloc(&gpt, block_size, combined_size(combined) / per_block);
	ck_assert_int_eq(dmc_guid_parse(combined->uuid, gpt.disk_guid), 0);
	for (i = 0; i < combined->nr_regions; i++) {
		const struct region *region = &combined->regions[i];

		if (region->hole)
			continue;
		ck_assert_int_eq(dmc_guid_parse(region->parttype, type), 0);
		ck_assert_int_eq(dmc_guid_parse(region->partuuid, guid), 0);
		ck_assert_int_eq(dmc_gpt_set_entry(&gpt, region->partition, type, guid,
						   region->start / per_block,
						   (region->start + region->length) / per_block - 1,
						   region->id), 0);
	}
	dmc_gpt_finish(&gpt);
	gpt_image_write(&gpt, path);
	gpt_image_check_sgdisk(path, block_size);
	for (i = 0; i < combined->nr_regions; i++) {
		const struct region *region = &combined->regions[i];
		char expected[128];

		if (region->hole)
			continue;
		snprintf(command, sizeof(command), "sgdisk -i %u %s", region->partition, path);
		out = gpt_image_run(command, block_size);
		snprintf(expected, sizeof(expected), "Partition name: '%s'", region->id);
		ck_assert_msg(strstr(out, expected), "%s in sgdisk -i:\n%.2000s", expected, out);
		snprintf(expected, sizeof(expected), "First sector: %llu ",
			 (unsigned long long)(region->start / per_block));
		ck_assert_msg(strstr(out, expected), "%s in sgdisk -i:\n%.2000s", expected, out);
		ck_assert_msg(strcasestr(out, region->partuuid), "%s in sgdisk -i:\n%.2000s",
			      region->partuuid, out);
		free(out);
	}
	gpt_image_free(&gpt);
	unlink(path);
}

START_TEST(test_gpt_image_512)
{
	struct combined *combined = three_volume_gpt_map();

	check_map_gpt(combined, "map-512.img");
	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	add_test_volume(combined, "d", 2048, 64);
	check_map_gpt(combined, "map-512.img");
	combined_free(combined);
}
END_TEST

START_TEST(test_gpt_image_4096)
{
	struct combined *combined = gpt_4096_map();

	check_map_gpt(combined, "map-4096.img");
	add_test_volume(combined, "c", 4096 + 8, 48);
	check_map_gpt(combined, "map-4096.img");
	combined_free(combined);
}
END_TEST

START_TEST(test_gpt_image_full)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_GPT, 512);
	char id[NAME_MAX_LEN + 1];
	unsigned int i;

	for (i = 1; i <= DMC_GPT_ENTRIES; i++) {
		snprintf(id, sizeof(id), "volume-%03u-%s", i, "abcdefghijklmnopqrstuvwxy");
		add_test_volume(combined, id, 8 * i, i);
	}
	ck_assert_int_eq(combined_drop(combined, "volume-064-abcdefghijklmnopqrstuvwxy"), 0);
	check_map_gpt(combined, "map-full.img");
	combined_free(combined);
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
	tcase = add_tcase(suite, "gpt");
	tcase_add_test(tcase, test_gpt_placement);
	tcase_add_test(tcase, test_gpt_head_tail_sizes);
	tcase_add_test(tcase, test_gpt_tail_rounds_past_boundary);
	tcase_add_test(tcase, test_gpt_numbers_stable);
	tcase_add_test(tcase, test_gpt_add_after_dropped_last);
	tcase_add_test(tcase, test_gpt_129th_refused);
	tcase_add_test(tcase, test_gpt_long_id_refused);
	tcase_add_test(tcase, test_gpt_types);
	tcase_add_test(tcase, test_gpt_read_back);
	tcase = add_tcase(suite, "gpt_image");
	tcase_add_test(tcase, test_gpt_image_512);
	tcase_add_test(tcase, test_gpt_image_4096);
	tcase_add_test(tcase, test_gpt_image_full);
	tcase = add_tcase(suite, "read_back");
	tcase_add_test(tcase, test_live_table_read_back);
	tcase_add_test(tcase, test_status_parse);
	tcase = add_tcase(suite, "latency");
	tcase_add_test(tcase, test_status_parse_latency);
	tcase_add_test(tcase, test_latency_table);
	tcase_add_test(tcase, test_regions_parse);
	return run_suite(suite);
}
