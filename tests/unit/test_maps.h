/* SPDX-License-Identifier: GPL-2.0-only */
/* Small maps the table, registry and output tests build on. */
#ifndef DMCOMBINE_TEST_MAPS_H
#define DMCOMBINE_TEST_MAPS_H

#include <sys/sysmacros.h>

#include "combined.h"

#define TEST_UUID "0b6f8f5e-3c1a-4d2e-9f00-1234567890ab"

/* Appends volume id of size sectors on device 8:minor; fails the test if refused. */
static inline void add_test_volume(struct combined *combined, const char *id, uint64_t size,
				   unsigned int minor_nr)
{
	struct region volume = {
		.size = size,
		.source = (char *)"/dev/test",
		.identity = (char *)"/dev/disk/by-id/test",
		.devno = makedev(8, minor_nr),
	};

	snprintf(volume.id, sizeof(volume.id), "%s", id);
	ck_assert_int_eq(combined_add_volume(combined, &volume), 0);
}

/* "vm1": a (2048 sectors, 8:16), b (4096, 8:32), c (1024, 8:48), 512-byte blocks. */
static inline struct combined *three_volume_map(void)
{
	struct combined *combined = combined_new("vm1", TEST_UUID, LAYOUT_CONCAT, 512);

	ck_assert_ptr_nonnull(combined);
	add_test_volume(combined, "a", 2048, 16);
	add_test_volume(combined, "b", 4096, 32);
	add_test_volume(combined, "c", 1024, 48);
	return combined;
}

#endif
