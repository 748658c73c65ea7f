/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The system's <errno.h> includes <linux/errno.h> for the numbers: this
 * file stands in for both, as the kernel's does.
 */
#ifndef SHIM_LINUX_ERRNO_H
#define SHIM_LINUX_ERRNO_H

#include <asm/errno.h>

#endif
