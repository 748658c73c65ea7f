/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-in for the kernel types kernel/dm-combine.c uses, so that
 * the file compiles unchanged for the fuzz harness.
 */
#ifndef SHIM_LINUX_TYPES_H
#define SHIM_LINUX_TYPES_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* As in the kernel on every architecture: 64 bits are "long long". */
typedef uint8_t u8;
typedef uint32_t u32;
typedef long long s64;
typedef unsigned long long u64;

typedef u64 sector_t;

/*
 * The kernel's dev_t has 32 bits, so MKDEV() truncates: userspace's has 64.
 * Every system header that declares dev_t is in above, so the rename
 * reaches only kernel code.
 */
typedef u32 shim_dev_t;
#define dev_t shim_dev_t
typedef unsigned int gfp_t;
typedef unsigned int blk_mode_t;

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

#endif
