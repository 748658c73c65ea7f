// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmcombine: joins volumes into one device-mapper device with the combine
 * target and keeps the map of which volume sits where. main parses the
 * command line, takes the lock and turns the handler's -errno into the
 * exit status: 0 done, 1 failed, 2 usage error (status has its own: commands.h).
 */
#include <stdlib.h>
#include <unistd.h>
#include <errno.h>

#include "cli.h"
#include "dm.h"
#include "journal.h"
#include "lock.h"
#include "log.h"

#define EXIT_USAGE 2

/* A handler's -errno is a failure; a positive value is its own exit status (status's). */
static int exit_status(int r)
{
	return r < 0 ? EXIT_FAILURE : r;
}

/* --wait, else what suits who runs the command: udev must not wait long. */
static unsigned int lock_wait(const struct options *options)
{
	if (options->wait >= 0)
		return (unsigned int)options->wait;
	return options->incremental ? LOCK_WAIT_UDEV : LOCK_WAIT_DEFAULT;
}

static int run(const struct invocation *invocation)
{
	int lock, r;

	if (geteuid())
		return log_error(-EPERM, invocation->command->name, "must be root");
	device_setup();
	if (invocation->command->lock == LOCK_NONE)
		return invocation->command->handler(invocation);
	lock = lock_take(LOCK_DIR, invocation->command->lock, lock_wait(&invocation->options));
	if (lock < 0)
		return lock;
	/* Under the lock, first what an add or drop killed before its commit left. */
	r = journal_settle(invocation->options.config_dir);
	if (!r)
		r = invocation->command->handler(invocation);
	lock_release(lock);
	return r;
}

int main(int argc, char **argv)
{
	struct invocation invocation;

	switch (cli_parse(argc, argv, &invocation)) {
	case CLI_DONE:
		return EXIT_SUCCESS;
	case CLI_USAGE:
		return EXIT_USAGE;
	case CLI_RUN:
		break;
	}
	log_set_level(invocation.options.log_level);
	return exit_status(run(&invocation));
}
