/* SPDX-License-Identifier: GPL-2.0-only */
/* The handlers of the command table in cli.c; -errno on failure, already logged. */
#ifndef DMCOMBINE_COMMANDS_H
#define DMCOMBINE_COMMANDS_H

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

/* Whether the map's device is active; a foreign device of that name is refused. */
int get_active(const struct combined *combined, bool *active);
/* Sets each region's devno from the live table, which must be the map's. */
int load_live_devices(struct combined *combined);

/* Creates the device NAME from its map unless it is active already. */
int assemble_one(const struct options *options, const char *name);

#endif
