/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_HIGHMEM_H
#define SHIM_LINUX_HIGHMEM_H

#define kunmap_local(addr)	((void)(addr))

#endif
