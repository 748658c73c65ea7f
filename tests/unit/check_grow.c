// SPDX-License-Identifier: GPL-2.0-only
/*
 * Growing and degraded maps: headroom placed at add and kept in the
 * registry (maps without it load as before), combined_resize moving
 * nothing but the gpt areas and holes after the volume, and missing
 * volumes written and read back as holes of the table, and the setting
 * that lets udev start a device degraded.
 */
#include <errno.h>

#include "check_common.h"
#include "registry.h"
#include "settings.h"
#include "table.h"
#include "test_maps.h"

/* Appends volume id (size sectors, 8:minor) with headroom sectors reserved. */
static void add_with_headroom(struct combined *combined, const char *id, uint64_t size,
			      unsigned int minor_nr, uint64_t headroom)
{
	struct region volume = {
		.size = size,
		.source = (char *)"/dev/test",
		.identity = (char *)"/dev/disk/by-id/wwn-0x5000c50000000001",
		.devno = makedev(8, minor_nr),
		.headroom = headroom,
	};

	snprintf(volume.id, sizeof(volume.id), "%s", id);
	snprintf(volume.partuuid, sizeof(volume.partuuid), "a0b1c2d3-e4f5-4a6b-8c7d-%012x",
		 minor_nr);
	snprintf(volume.parttype, sizeof(volume.parttype), "%s", TEST_TYPE_LINUX);
	ck_assert_int_eq(combined_add_volume(combined, &volume), combined->layout == LAYOUT_GPT ||
			 !headroom ? 0 : -EINVAL);
}

/* gpt: a (2048 sectors, 3 MiB headroom), b (2048, none). */
static struct combined *gpt_with_headroom(void)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_GPT, 512);

	ck_assert_ptr_nonnull(combined);
	add_with_headroom(combined, "a", 2048, 16, 6144);
	add_with_headroom(combined, "b", 2048, 32, 0);
	return combined;
}

static struct combined *round_trip(const struct combined *combined)
{
	char why[REGISTRY_WHY_MAX] = "", *text = registry_format(combined);
	struct combined *again = NULL;

	ck_assert_ptr_nonnull(text);
	ck_assert_msg(registry_parse(text, strlen(text), &again, why) == 0, "%s: %s", why, text);
	free(text);
	return again;
}

/* The reserve follows the volume as padding; the next volume starts after it. */
START_TEST(test_headroom_placement)
{
	struct combined *combined = gpt_with_headroom();
	ssize_t a = combined_find(combined, "a"), b = combined_find(combined, "b");

	ck_assert_int_eq(a, 1);
	ck_assert_uint_eq(combined->regions[a].start, 2048);
	ck_assert(combined->regions[a + 1].gpt_area);
	ck_assert_uint_eq(combined->regions[a + 1].length, 6144);
	ck_assert_uint_eq(combined->regions[b].start, 2048 + 2048 + 6144);
	ck_assert_uint_eq(combined_room(combined, (size_t)a), 6144);
	/* b has no reserve: the tail is not room, its growth grows the device. */
	ck_assert_uint_eq(combined_room(combined, (size_t)b), 0);
	combined_free(combined);
}
END_TEST

/* The last volume's reserve lies before the backup GPT and stays when one is added. */
START_TEST(test_headroom_last_volume)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_GPT, 512);

	add_with_headroom(combined, "a", 2048, 16, 1000);
	ck_assert_uint_eq(combined->nr_regions, 4);
	ck_assert_uint_eq(combined->regions[2].length, 2048);	/* 1000 up to 1 MiB */
	ck_assert_uint_eq(combined_size(combined), 8192);
	add_with_headroom(combined, "b", 2048, 32, 0);
	ck_assert_uint_eq(combined->regions[combined_find(combined, "b")].start, 6144);
	combined_free(combined);
}
END_TEST

START_TEST(test_headroom_concat_refused)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_CONCAT, 512);

	add_with_headroom(combined, "a", 2048, 16, 1024);
	ck_assert_uint_eq(combined->nr_regions, 0);
	combined_free(combined);
}
END_TEST

/* A middle volume grows into its reserve: nothing else moves, the size stays. */
START_TEST(test_resize_into_headroom)
{
	struct combined *combined = gpt_with_headroom();
	uint64_t size = combined_size(combined), b_start;
	size_t a = (size_t)combined_find(combined, "a");

	b_start = combined->regions[combined_find(combined, "b")].start;
	ck_assert_int_eq(combined_resize(combined, a, 4096), 0);
	ck_assert_uint_eq(combined->regions[a].length, 4096);
	ck_assert_uint_eq(combined->regions[a].size, 4096);
	ck_assert_uint_eq(combined->regions[a].headroom, 4096);
	ck_assert_uint_eq(combined->regions[a + 1].start, 2048 + 4096);
	ck_assert_uint_eq(combined->regions[a + 1].length, 4096);
	ck_assert_uint_eq(combined->regions[combined_find(combined, "b")].start, b_start);
	ck_assert_uint_eq(combined_size(combined), size);
	/* All of it: the padding goes, b follows a directly. */
	ck_assert_int_eq(combined_resize(combined, a, 8192), 0);
	ck_assert_uint_eq(combined->regions[a].headroom, 0);
	ck_assert_uint_eq(combined->regions[a + 1].start, b_start);
	ck_assert_str_eq(combined->regions[a + 1].id, "b");
	/* More is refused, and so is shrinking; the map stays. */
	ck_assert_int_eq(combined_resize(combined, a, 8193), -ENOSPC);
	ck_assert_int_eq(combined_resize(combined, a, 4096), -ERANGE);
	ck_assert_uint_eq(combined->regions[a].length, 8192);
	ck_assert_uint_eq(combined_size(combined), size);
	combined_free(combined);
}
END_TEST

/* The last gpt volume grows past the end: the backup GPT moves behind it. */
START_TEST(test_resize_last_gpt)
{
	struct combined *combined = gpt_with_headroom();
	size_t b = (size_t)combined_find(combined, "b");
	uint64_t end = combined->regions[b].start + 4096 + 2048;

	ck_assert_int_eq(combined_resize(combined, b, 4096 + 2048), 0);
	ck_assert_uint_eq(combined->nr_regions, b + 2);
	ck_assert(combined->regions[b + 1].gpt_area);
	ck_assert_uint_eq(combined->regions[b + 1].start, end);
	ck_assert_uint_eq(combined_size(combined) % DMC_GPT_ALIGN_SECTORS, 0);
	ck_assert_uint_ge(combined->regions[b + 1].length, gpt_tail_sectors(512));
	combined_free(combined);
}
END_TEST

/* concat: the last volume grows, through a trailing hole first; others only into holes. */
START_TEST(test_resize_concat)
{
	struct combined *combined = three_volume_map();
	uint64_t size;

	ck_assert_int_eq(combined_resize(combined, 0, 2049), -ENOSPC);
	ck_assert_int_eq(combined_resize(combined, 2, 2048), 0);
	ck_assert_uint_eq(combined_size(combined), 2048 + 4096 + 2048);
	/* b dropped: a grows into its hole, c stays where it is. */
	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	size = combined_size(combined);
	ck_assert_int_eq(combined_resize(combined, 0, 3072), 0);
	ck_assert_uint_eq(combined->regions[1].start, 3072);
	ck_assert_uint_eq(combined->regions[1].length, 3072);
	ck_assert_uint_eq(combined->regions[2].start, 6144);
	ck_assert_uint_eq(combined_size(combined), size);
	combined_free(combined);
}
END_TEST

/* The registry keeps headroom; a map without the key has none. */
START_TEST(test_registry_headroom)
{
	struct combined *combined = gpt_with_headroom(), *again;
	char *text = registry_format(combined);
	size_t a = (size_t)combined_find(combined, "a");

	ck_assert_ptr_nonnull(strstr(text, "\"headroom\":6144"));
	/* Written only when not 0: b's object has no such key. */
	ck_assert_ptr_null(strstr(strstr(text, "\"id\":\"b\""), "headroom"));
	free(text);
	again = round_trip(combined);
	ck_assert_uint_eq(again->regions[a].headroom, 6144);
	ck_assert_uint_eq(again->regions[combined_find(again, "b")].headroom, 0);
	combined_free(again);
	combined_free(combined);
}
END_TEST

START_TEST(test_registry_headroom_refused)
{
	struct combined *combined = gpt_with_headroom(), *again = NULL;
	char why[REGISTRY_WHY_MAX] = "", *text, *at;

	/* More reserve than the gpt areas after it hold. */
	combined->regions[combined_find(combined, "a")].headroom = 6144 + 1024;
	text = registry_format(combined);
	ck_assert_int_eq(registry_parse(text, strlen(text), &again, why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "headroom larger than"));
	free(text);
	/* Less than the room is fine; a string is not a number. */
	combined->regions[combined_find(combined, "a")].headroom = 6000;
	text = registry_format(combined);
	ck_assert_int_eq(registry_parse(text, strlen(text), &again, why), 0);
	combined_free(again);
	again = NULL;
	at = strstr(text, "6000");
	memcpy(at, "\"60\"", 4);
	ck_assert_int_eq(registry_parse(text, strlen(text), &again, why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "not an integer"));
	ck_assert_ptr_null(again);
	free(text);
	combined_free(combined);
}
END_TEST

/* concat maps have no headroom key: an old tool's rule, kept. */
START_TEST(test_registry_concat_headroom_refused)
{
	static const char text[] =
		"{\"format\": 1, \"name\": \"vm1\", \"uuid\": \"" TEST_UUID "\", \"layout\": \"concat\","
		" \"logical_block_size\": 512, \"regions\": ["
		"{\"id\": \"a\", \"source\": \"/a\", \"identity\": \"/a\", \"size\": 2048,"
		" \"start\": 0, \"length\": 2048, \"offset\": 0, \"loop\": false, \"headroom\": 8}]}";
	struct combined *combined = NULL;
	char why[REGISTRY_WHY_MAX] = "";

	ck_assert_int_eq(registry_parse(text, strlen(text), &combined, why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "unknown key"));
}
END_TEST

/* A missing volume is a hole in the table and reads back as one (devno 0). */
START_TEST(test_missing_as_hole)
{
	struct combined *combined = three_volume_gpt_map();
	size_t b = (size_t)combined_find(combined, "b"), i;
	dev_t devnos[8];
	char *params;

	combined->regions[b].missing = true;
	params = table_params(combined);
	ck_assert_ptr_nonnull(params);
	ck_assert_ptr_nonnull(strstr(params, " 4096 - 0 "));
	ck_assert_ptr_null(strstr(params, " 8:32 "));
	ck_assert_int_eq(table_parse_devices(params, combined, devnos), 0);
	ck_assert_uint_eq(devnos[b], 0);
	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole && i != b)
			ck_assert_uint_eq(devnos[i], combined->regions[i].devno);
	free(params);
	combined_free(combined);
}
END_TEST

/* dmcombine.conf: degraded_after, comments and blank lines; anything else refused. */
START_TEST(test_settings)
{
	struct settings settings;
	char why[128] = "";

	ck_assert_int_eq(settings_parse("", &settings, why, sizeof(why)), 0);
	ck_assert_uint_eq(settings.degraded_after, 0);
	ck_assert_int_eq(settings_parse("# start degraded\n\ndegraded_after=30\n", &settings, why,
					sizeof(why)), 0);
	ck_assert_uint_eq(settings.degraded_after, 30);
	ck_assert_int_eq(settings_parse("degraded_after=86400", &settings, why, sizeof(why)), 0);
	ck_assert_uint_eq(settings.degraded_after, SETTINGS_MAX_SECONDS);
	ck_assert_int_eq(settings_parse("degraded_after=86401\n", &settings, why, sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "line 1: degraded_after"));
	ck_assert_int_eq(settings_parse("\ndegraded_after=\n", &settings, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "line 2"));
	ck_assert_int_eq(settings_parse("degraded_after=30s", &settings, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(settings_parse("degraded_after = 30", &settings, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(settings_parse("degraded=30", &settings, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "not a known KEY=VALUE"));
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("grow");
	TCase *tcase;

	tcase = add_tcase(suite, "headroom");
	tcase_add_test(tcase, test_headroom_placement);
	tcase_add_test(tcase, test_headroom_last_volume);
	tcase_add_test(tcase, test_headroom_concat_refused);
	tcase = add_tcase(suite, "resize");
	tcase_add_test(tcase, test_resize_into_headroom);
	tcase_add_test(tcase, test_resize_last_gpt);
	tcase_add_test(tcase, test_resize_concat);
	tcase = add_tcase(suite, "registry");
	tcase_add_test(tcase, test_registry_headroom);
	tcase_add_test(tcase, test_registry_headroom_refused);
	tcase_add_test(tcase, test_registry_concat_headroom_refused);
	tcase = add_tcase(suite, "degraded");
	tcase_add_test(tcase, test_missing_as_hole);
	tcase_add_test(tcase, test_settings);
	return run_suite(suite);
}
