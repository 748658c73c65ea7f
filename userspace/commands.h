/* SPDX-License-Identifier: GPL-2.0-only */
/* The handlers of the command table in cli.c; -errno on failure, already logged. */
#ifndef DMCOMBINE_COMMANDS_H
#define DMCOMBINE_COMMANDS_H

#include <stdint.h>

#include "cli.h"
#include "combined.h"

int command_create(const struct invocation *invocation);
int command_add(const struct invocation *invocation);
int command_drop(const struct invocation *invocation);
int command_remove(const struct invocation *invocation);
int command_assemble(const struct invocation *invocation);
int command_list(const struct invocation *invocation);
int command_map(const struct invocation *invocation);
int command_status(const struct invocation *invocation);
int command_export(const struct invocation *invocation);
int command_unexport(const struct invocation *invocation);
int command_xml(const struct invocation *invocation);
/* grow.c */
int command_resize(const struct invocation *invocation);
int command_replace(const struct invocation *invocation);
struct change;
struct member;
/*
 * replace's change of the active device combined (live devices loaded,
 * old_params its table): member, resolved, goes in the place of region
 * index, which it must fit, unused by any map (and asked for when the
 * region's volume is present and the device in use); the region takes
 * member's identity, source and size and the table is loaded
 * (apply_change; under gpt the partition entry comes with it) unless
 * --dry-run reports change instead: *done tells which. -errno, logged.
 */
int replace_region(const struct options *options, struct combined *combined, size_t index,
		   struct member *member, const char *old_params, const struct change *change,
		   bool *done);

/*
 * For the commands that change an active device's table (add, drop, and
 * grow.c's): the map of the active device named by argv[0] with its live
 * devices (volumes the table maps as holes marked missing), and its table;
 * then the changed map applied by reload, through the journal (old_params
 * and old_size restore the table when a step fails).
 */
int load_for_change(const struct invocation *invocation, struct combined **combined,
		    char **old_params);
int apply_change(const struct options *options, struct combined *combined,
		 const char *old_params, uint64_t old_size);

/*
 * Finds every volume of a saved map here and checks it as assemble does
 * (one device per identity, its type and size, used by no other map),
 * then lets go of them: nothing is attached or written. -errno, logged.
 */
int saved_volumes_present(const char *config_dir, struct combined *combined);

/* Whether the map's device is active; a foreign device of that name is refused. */
int get_active(const struct combined *combined, bool *active);
/* Sets each region's devno from the live table, which must be the map's. */
int load_live_devices(struct combined *combined);

int command_monitor(const struct invocation *invocation);

/*
 * status's exit status, bits as mdadm --detail --test's: a failing and a
 * missing volume give 3. Usage errors are 2, as for every command.
 */
enum status_exit {
	STATUS_HEALTHY = 0,
	STATUS_FAILING = 1,		/* a volume's I/O or flush failed */
	STATUS_MISSING = 2,		/* a volume's region is a hole in the live table */
	STATUS_NOT_ACTIVE = 4,		/* no device, or it could not be examined */
};

/* Creates the device NAME from its map unless it is active already. */
int assemble_one(const struct options *options, const char *name);

#endif
