/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef SHIM_LINUX_CTYPE_H
#define SHIM_LINUX_CTYPE_H

/* The kernel's isdigit() takes any char, negative ones too, unlike libc's. */
#define isdigit(c)	('0' <= (c) && (c) <= '9')

#endif
