/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a change did or, under --dry-run, would do: the table line it loads
 * and the map it saves (text, on stdout), or --json's report of it.
 */
#ifndef DMCOMBINE_REPORT_H
#define DMCOMBINE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "cli.h"
#include "combined.h"

struct change {
	const char *command;		/* "create", "drop", ... */
	const char *done;		/* "created", "dropped", ... */
	const char *name;
	/* The map after the change (NULL when none is left), its regions' devno set. */
	const struct combined *combined;
	bool loads_table;		/* combined's table goes live (create, add, drop) */
	const char *const *volumes;	/* the IDs it concerned */
	size_t nr_volumes;
	bool device_removed;		/* the change removes the device */
	bool device_left;		/* a device stands after the change */
	bool map_saved, map_deleted;
};

/*
 * --dry-run: the change as text (or JSON with --json); --json: the report
 * of what was done. Nothing without either. -ENOMEM (logged).
 */
int report_change(const struct options *options, const struct change *change);

/* combined's table as "0 SIZE combine PARAMS" (dmsetup table's form) in *line; -errno (logged). */
int report_table_line(const struct combined *combined, char **line);
/*
 * --json's report of a change done, for a command that adds its own keys
 * before output_json prints it.
 */
json_object *report_json(const struct change *change);

#endif
