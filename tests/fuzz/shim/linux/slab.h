/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel allocators for the fuzz build: counted, so that the harness sees
 * leaks, and able to fail on demand (shim/fuzz-shim.h).
 */
#ifndef SHIM_LINUX_SLAB_H
#define SHIM_LINUX_SLAB_H

#include <linux/kernel.h>

#define GFP_KERNEL	0U
#define __GFP_NOWARN	0x2000U
#define __GFP_ZERO	0x100U
/* What kmalloc(0) returns: not NULL, and faults when dereferenced. */
#define ZERO_SIZE_PTR	((void *)16)

void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kvzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *kvcalloc(size_t n, size_t size, gfp_t flags);
void *kvmalloc_array(size_t n, size_t size, gfp_t flags);
void *__vmalloc(unsigned long size, gfp_t flags);
void kfree(const void *p);
void kvfree(const void *p);

#endif
