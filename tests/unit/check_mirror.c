// SPDX-License-Identifier: GPL-2.0-only
/*
 * A move's mirror (userspace/mirror.c): the table line the kernel gets
 * reads back as the same legs; the status is read only in the form
 * dm-raid1 prints for two legs, with each leg's health.
 */
#include <errno.h>
#include <sys/sysmacros.h>

#include "check_common.h"
#include "mirror.h"

START_TEST(test_params_round_trip)
{
	dev_t old_dev, new_dev;
	uint64_t offset;
	char *params = mirror_params(1024, makedev(7, 1), 4096, makedev(253, 12));

	ck_assert_str_eq(params, "core 1 1024 2 7:1 4096 253:12 0 1 handle_errors");
	ck_assert_int_eq(mirror_parse_legs(params, &old_dev, &offset, &new_dev), 0);
	ck_assert_uint_eq(old_dev, makedev(7, 1));
	ck_assert_uint_eq(offset, 4096);
	ck_assert_uint_eq(new_dev, makedev(253, 12));
	free(params);
}
END_TEST

START_TEST(test_region_sectors)
{
	/* dm-log's bounds: a power of two, 2 sectors at least, no larger than the device. */
	ck_assert_uint_eq(mirror_region_sectors(1), 2);
	ck_assert_uint_eq(mirror_region_sectors(2), 2);
	ck_assert_uint_eq(mirror_region_sectors(700), 512);
	ck_assert_uint_eq(mirror_region_sectors(MIRROR_REGION_SECTORS), MIRROR_REGION_SECTORS);
	ck_assert_uint_eq(mirror_region_sectors(2097152), MIRROR_REGION_SECTORS);
	/* 16 TiB: 4 MiB regions, MIRROR_MAX_REGIONS of them. */
	ck_assert_uint_eq(mirror_region_sectors(1ULL << 35), 8192);
	ck_assert_uint_le((1ULL << 35) / mirror_region_sectors(1ULL << 35), MIRROR_MAX_REGIONS);
	ck_assert_uint_eq(mirror_region_sectors(UINT64_MAX), 1U << 31);
}
END_TEST

START_TEST(test_legs_refused)
{
	dev_t old_dev, new_dev;
	uint64_t offset;

	ck_assert_int_eq(mirror_parse_legs("core 1 4096 3 7:1 0 7:2 0 7:3 0", &old_dev, &offset,
					   &new_dev), -EINVAL);
	ck_assert_int_eq(mirror_parse_legs("core 1 4096 2 7:1 0 7:2 0 1 handle_errors x", &old_dev,
					   &offset, &new_dev), -EINVAL);
	ck_assert_int_eq(mirror_parse_legs("disk 2 253:1 4096 2 7:1 0 7:2 0", &old_dev, &offset,
					   &new_dev), -EINVAL);
}
END_TEST

START_TEST(test_status)
{
	struct mirror_sync sync;

	ck_assert_int_eq(mirror_parse_status("2 7:1 253:12 3/8 1 AA 1 core", &sync), 0);
	ck_assert_uint_eq(sync.in_sync, 3);
	ck_assert_uint_eq(sync.regions, 8);
	ck_assert(!mirror_synced(&sync));
	ck_assert_int_eq(mirror_parse_status("2 7:1 253:12 8/8 1 AA 1 core", &sync), 0);
	ck_assert(mirror_synced(&sync));
	ck_assert_int_eq(mirror_parse_status("2 7:1 253:12 8/8 1 AD 1 core", &sync), 0);
	ck_assert_int_eq(sync.new_health, 'D');
	ck_assert(!mirror_synced(&sync));
}
END_TEST

START_TEST(test_status_refused)
{
	struct mirror_sync sync;

	ck_assert_int_eq(mirror_parse_status("3 7:1 7:2 7:3 1/8 1 AAA 1 core", &sync), -EINVAL);
	ck_assert_int_eq(mirror_parse_status("2 7:1 7:2 9/8 1 AA 1 core", &sync), -EINVAL);
	ck_assert_int_eq(mirror_parse_status("2 7:1 7:2 1/8 1 AX 1 core", &sync), -EINVAL);
	ck_assert_int_eq(mirror_parse_status("", &sync), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("mirror");
	TCase *tcase = add_tcase(suite, "table");

	tcase_add_test(tcase, test_params_round_trip);
	tcase_add_test(tcase, test_region_sectors);
	tcase_add_test(tcase, test_legs_refused);
	tcase = add_tcase(suite, "status");
	tcase_add_test(tcase, test_status);
	tcase_add_test(tcase, test_status_refused);
	return run_suite(suite);
}
