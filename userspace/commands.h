/* SPDX-License-Identifier: GPL-2.0-only */
/* The handlers of the command table in cli.c; -errno on failure, already logged. */
#ifndef DMCOMBINE_COMMANDS_H
#define DMCOMBINE_COMMANDS_H

#include "cli.h"

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
