/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_VMALLOC_H
#define SHIM_LINUX_VMALLOC_H

#include <linux/mm.h>
#include <linux/slab.h>

#endif
