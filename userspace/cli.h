/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command line: one table of commands (name, arguments, counts, the
 * options each accepts, the lock it needs, its handler) and one options
 * struct filled by getopt_long. Options may stand anywhere, global ones
 * before the verb too; argument counts are checked here, once.
 */
#ifndef DMCOMBINE_CLI_H
#define DMCOMBINE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Options that only some commands accept. */
enum command_option {
	OPT_LAYOUT = 1 << 0,
	OPT_FORGET = 1 << 1,
	OPT_ALL = 1 << 2,
	OPT_JSON = 1 << 3,
	OPT_FABRIC = 1 << 4,
	OPT_PORTAL = 1 << 5,
	OPT_INITIATOR = 1 << 6,
	OPT_CHAP = 1 << 7,
	OPT_FORCE = 1 << 8,
	OPT_TARGET_DEV = 1 << 9,
	OPT_INCREMENTAL = 1 << 10,
	OPT_UDEV = 1 << 11,
	OPT_HEADROOM = 1 << 12,
	OPT_DEGRADED = 1 << 13,
	OPT_NAME = 1 << 14,
	OPT_LATENCY = 1 << 15,		/* --latency or --no-latency */
	OPT_FORMAT = 1 << 16,
	OPT_YES = 1 << 17,
	OPT_DRY_RUN = 1 << 18,
	OPT_INTERVAL = 1 << 19,
	OPT_ABORT = 1 << 20,
	OPT_BACKGROUND = 1 << 21,
};

/* What every command that changes a device or a map takes. */
#define OPT_CHANGE (OPT_YES | OPT_DRY_RUN | OPT_JSON)

/* --headroom N% takes at most this percentage of a volume's size. */
#define MAX_HEADROOM_PERCENT 1000

/* --initiator may be given this many times. */
#define MAX_INITIATORS 16

struct options {
	const char *config_dir;
	int log_level;			/* LOG_* from -q and -v */
	const char *layout;		/* NULL: the default */
	bool forget, all, json, force;
	bool yes;			/* go ahead without asking (confirm.h) */
	bool dry_run;			/* print the change, make none */
	int interval;			/* monitor: seconds between status reads; -1: default */
	const char *fabric;		/* export: NULL for the default */
	const char *portal;		/* export --fabric iscsi */
	const char *initiators[MAX_INITIATORS];
	int nr_initiators;
	const char *chap_user, *chap_password_file;
	const char *target_dev;		/* xml */
	bool incremental;		/* assemble DEVNODE: the device it completes */
	bool udev;			/* member: KEY=VALUE lines for udev */
	bool degraded;			/* assemble: missing volumes become holes */
	/* --headroom: bytes, or a percentage of each volume's size when not 0 */
	uint64_t headroom_bytes;
	unsigned int headroom_percent;
	const char *name;		/* import --name: register under this name */
	bool latency;			/* --latency (true) or --no-latency, if OPT_LATENCY */
	bool openmetrics;		/* status --format openmetrics */
	bool abort, background;		/* move */
	int wait;			/* --wait: seconds for the lock; -1: the default */
	unsigned int given;		/* OPT_* seen */
};

struct invocation;

struct command {
	const char *name;
	const char *arguments;		/* for usage */
	const char *summary;
	int min_args, max_args;		/* max_args < 0: no limit */
	unsigned int accepted;		/* OPT_* */
	int lock;			/* LOCK_SH, LOCK_EX or LOCK_NONE, see lock.h */
	int (*handler)(const struct invocation *invocation);
};

struct invocation {
	const struct command *command;
	struct options options;
	int argc;			/* arguments after the verb */
	char **argv;
};

enum cli_status {
	CLI_RUN,			/* run invocation->command */
	CLI_DONE,			/* --help or --version printed */
	CLI_USAGE,			/* usage error, one line printed */
};

#define DEFAULT_CONFIG_DIR "/etc/dmcombine"

/* argv must outlive invocation (argument pointers are kept). */
enum cli_status cli_parse(int argc, char **argv, struct invocation *invocation);
const struct command *cli_find_command(const char *name);
void cli_usage(FILE *out, const struct command *command);

#endif
