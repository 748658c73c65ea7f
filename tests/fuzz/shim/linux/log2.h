/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_LOG2_H
#define SHIM_LINUX_LOG2_H

/* ilog2() is in linux/kernel.h. */
#include <linux/kernel.h>

#endif
