/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_MATH64_H
#define SHIM_LINUX_MATH64_H

#include <linux/types.h>

/* n /= base, giving the remainder, as the kernel's do_div(). */
#define do_div(n, base) ({			\
	u32 _rem = (u32)((n) % (base));		\
	(n) /= (base);				\
	_rem; })

#endif
