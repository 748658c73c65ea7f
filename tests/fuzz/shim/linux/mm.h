/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_MM_H
#define SHIM_LINUX_MM_H

#include <linux/types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)

/* RAM the harness gives the shim's kernel, in pages (shim.c). */
extern unsigned long shim_totalram_pages;

static inline unsigned long totalram_pages(void)
{
	return shim_totalram_pages;
}

#endif
