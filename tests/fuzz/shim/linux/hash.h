/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_HASH_H
#define SHIM_LINUX_HASH_H

#include <linux/types.h>

#define GOLDEN_RATIO_32 0x61C88647

/* The generic hash_32(): bits must be 1 to 32, as in the kernel. */
static inline u32 hash_32(u32 val, unsigned int bits)
{
	return val * GOLDEN_RATIO_32 >> (32 - bits);
}

#endif
