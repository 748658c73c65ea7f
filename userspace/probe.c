// SPDX-License-Identifier: GPL-2.0-only
/* Volume identification with libblkid. */
#include <blkid/blkid.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"

static void copy_value(blkid_probe probe, const char *name, char value[PROBE_VALUE_MAX])
{
	const char *data;

	value[0] = '\0';
	if (!blkid_probe_lookup_value(probe, name, &data, NULL))
		snprintf(value, PROBE_VALUE_MAX, "%s", data);
}

int probe_volume(int fd, struct probe_result *result)
{
	blkid_probe probe = blkid_new_probe();
	blkid_loff_t size;
	int r;

	memset(result, 0, sizeof(*result));
	if (!probe || blkid_probe_set_device(probe, fd, 0, 0)) {
		blkid_free_probe(probe);
		return -EIO;
	}
	blkid_probe_enable_superblocks(probe, 1);
	blkid_probe_set_superblocks_flags(probe, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID |
					  BLKID_SUBLKS_TYPE);
	blkid_probe_enable_partitions(probe, 1);
	blkid_probe_set_partitions_flags(probe, BLKID_PARTS_ENTRY_DETAILS);
	/*
	 * -2 (ambiguous) leaves the values empty: no identity from them. The
	 * partition entry (read from the disk's table) comes also with 1
	 * (nothing inside).
	 */
	r = blkid_do_safeprobe(probe);
	if (r == 0) {
		copy_value(probe, "LABEL", result->label);
		copy_value(probe, "UUID", result->uuid);
		copy_value(probe, "TYPE", result->type);
	}
	if (r == 0 || r == 1) {
		copy_value(probe, "PART_ENTRY_UUID", result->partuuid);
		copy_value(probe, "PART_ENTRY_NAME", result->partlabel);
	}
	size = blkid_probe_get_size(probe);
	result->size = size > 0 ? (uint64_t)size : 0;
	result->block_size = blkid_probe_get_sectorsize(probe);
	blkid_free_probe(probe);
	return r == -1 ? -EIO : 0;
}
