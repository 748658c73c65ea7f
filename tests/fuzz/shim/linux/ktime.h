/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_KTIME_H
#define SHIM_LINUX_KTIME_H

#include <time.h>

#include <linux/types.h>

#define NSEC_PER_USEC	1000UL

static inline u64 ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
