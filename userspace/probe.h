/* SPDX-License-Identifier: GPL-2.0-only */
/* libblkid behind one small interface: what a volume holds. */
#ifndef DMCOMBINE_PROBE_H
#define DMCOMBINE_PROBE_H

#include <stdint.h>

#define PROBE_VALUE_MAX 256

struct probe_result {
	char label[PROBE_VALUE_MAX];	/* filesystem label, "" if none */
	char uuid[PROBE_VALUE_MAX];	/* filesystem UUID, "" if none */
	char partuuid[PROBE_VALUE_MAX];	/* partition entry UUID, "" if none */
	char partlabel[PROBE_VALUE_MAX];	/* partition entry name, "" if none */
	char type[PROBE_VALUE_MAX];	/* what it holds ("ext4", "swap"), "" if unknown */
	uint64_t size;			/* bytes */
	unsigned int block_size;	/* logical sector size, bytes */
};

/*
 * Probes the block device or file open as fd: through that descriptor, so
 * what is probed is what is used. -EIO when it cannot be read.
 */
int probe_volume(int fd, struct probe_result *result);

#endif
