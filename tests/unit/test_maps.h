/* SPDX-License-Identifier: GPL-2.0-only */
/* Small maps the table, registry and output tests build on. */
#ifndef DMCOMBINE_TEST_MAPS_H
#define DMCOMBINE_TEST_MAPS_H

#include <sys/sysmacros.h>

#include "combined.h"

#define TEST_UUID "0b6f8f5e-3c1a-4d2e-9f00-1234567890ab"

#define TEST_TYPE_LINUX "0fc63daf-8483-4772-8e79-3d69d8477de4"

/*
 * Appends volume id of size sectors on device 8:minor; fails the test if
 * refused. Under gpt its partition GUID ends in the minor number.
 */
static inline void add_test_volume(struct combined *combined, const char *id, uint64_t size,
				   unsigned int minor_nr)
{
	struct region volume = {
		.size = size,
		.source = (char *)"/dev/test",
		.identity = (char *)"/dev/disk/by-id/wwn-0x5000c50000000001",
		.devno = makedev(8, minor_nr),
	};

	snprintf(volume.id, sizeof(volume.id), "%s", id);
	if (combined->layout == LAYOUT_GPT) {
		snprintf(volume.partuuid, sizeof(volume.partuuid),
			 "a0b1c2d3-e4f5-4a6b-8c7d-%012x", minor_nr);
		snprintf(volume.parttype, sizeof(volume.parttype), "%s", TEST_TYPE_LINUX);
	}
	ck_assert_int_eq(combined_add_volume(combined, &volume), 0);
}

/* "vm1": a (a_size sectors, 8:16), b (4096, 8:32), c (1024, 8:48), 512-byte blocks. */
static inline struct combined *three_volumes(enum layout layout, uint64_t a_size)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, layout, 512);

	ck_assert_ptr_nonnull(combined);
	add_test_volume(combined, "a", a_size, 16);
	add_test_volume(combined, "b", 4096, 32);
	add_test_volume(combined, "c", 1024, 48);
	return combined;
}

/* concat, a 2048 sectors: a 0+2048, b 2048+4096, c 6144+1024. */
static inline struct combined *three_volume_map(void)
{
	return three_volumes(LAYOUT_CONCAT, 2048);
}

/*
 * gpt, a 3000 sectors so that padding follows it: gpt 0+2048, a 2048+3000,
 * gpt 5048+1096, b 6144+4096, c 10240+1024, gpt 11264+1024 (backup GPT,
 * the end rounded up to 1 MiB).
 */
static inline struct combined *three_volume_gpt_map(void)
{
	return three_volumes(LAYOUT_GPT, 3000);
}

#endif
