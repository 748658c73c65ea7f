/* SPDX-License-Identifier: GPL-2.0-only */
/* What the table harness sees of the shim: allocations and registration. */
#ifndef FUZZ_SHIM_H
#define FUZZ_SHIM_H

#include <linux/device-mapper.h>

struct shim_allocs {
	unsigned long nr;	/* allocations since shim_allocs_reset() */
	unsigned long fail_at;	/* number of the one that fails, 0 for none */
	long live;		/* allocated and not yet freed */
};

extern struct shim_allocs shim_allocs;
/* The target type module init registered. */
extern struct target_type *shim_target_type;

void shim_allocs_reset(unsigned long fail_at);
/* Distinct devices the table holds: got and not yet put. */
unsigned int shim_table_nr_devices(const struct dm_table *t);
/* The kernel's sscanf("%u"); returns the end of the number or NULL. */
const char *shim_parse_uint(const char *s, unsigned int *value);

#endif
