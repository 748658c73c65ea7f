/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_SORT_H
#define SHIM_LINUX_SORT_H

#include <stdlib.h>

#include <linux/kernel.h>

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

/* Without a swap function the kernel swaps bytes, as qsort does. */
static inline void sort(void *base, size_t num, size_t size,
			cmp_func_t cmp_func, swap_func_t swap_func)
{
	if (swap_func)
		shim_bug("sort: only the default swap is simulated");
	qsort(base, num, size, cmp_func);
}

#endif
