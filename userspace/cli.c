// SPDX-License-Identifier: GPL-2.0-only
/* Command table, options, argument counts and usage text. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

#include "dm-combine.h"
#include "cli.h"
#include "combined.h"
#include "commands.h"
#include "import.h"
#include "incremental.h"
#include "libvirt.h"
#include "lio.h"
#include "lock.h"
#include "log.h"
#include "move.h"
#include "reidentify.h"
#include "watch.h"

static const struct command commands[] = {
	{ "create", "NAME [--layout gpt|concat] [--headroom SIZE] [--latency] [--yes] [--dry-run] [--json] VOLUME...",
	  "combine volumes into a new device",
	  2, -1, OPT_LAYOUT | OPT_HEADROOM | OPT_LATENCY | OPT_CHANGE, LOCK_EX, command_create },
	{ "add", "NAME [--headroom SIZE] [--[no-]latency] [--force] [--yes] [--dry-run] [--json] VOLUME...",
	  "append volumes; the others keep their place",
	  2, -1, OPT_HEADROOM | OPT_LATENCY | OPT_FORCE | OPT_CHANGE, LOCK_EX, command_add },
	{ "drop", "NAME [--force] [--yes] [--dry-run] [--json] ID...",
	  "turn volumes into holes; the others keep their place",
	  2, -1, OPT_FORCE | OPT_CHANGE, LOCK_EX, command_drop },
	{ "resize", "NAME [--force] [--dry-run] [--json] ID",
	  "give a volume that grew its new size; the others keep their place",
	  2, 2, OPT_FORCE | OPT_DRY_RUN | OPT_JSON, LOCK_EX, command_resize },
	{ "replace", "NAME [--force] [--yes] [--dry-run] [--json] ID SOURCE",
	  "put a volume into a missing or failing volume's region",
	  3, 3, OPT_FORCE | OPT_CHANGE, LOCK_EX, command_replace },
	/* Takes the lock itself, for its steps but not for the copy: see move.h. */
	{ "move", "NAME ID NEWSOURCE [--background] [--json] | --abort NAME ID [--json]",
	  "copy a volume to another device live (--background: return at once)",
	  2, 3, OPT_ABORT | OPT_BACKGROUND | OPT_JSON, LOCK_NONE, command_move },
	{ "remove", "NAME [--forget] [--force] [--yes] [--dry-run] [--json]",
	  "remove the device; --forget also deletes its map",
	  1, 1, OPT_FORGET | OPT_FORCE | OPT_CHANGE, LOCK_EX, command_remove },
	{ "assemble", "[--degraded] [--[no-]latency] [--dry-run] [--json] NAME...|--all | --incremental DEVNODE [LINK...]",
	  "create devices again from their saved maps",
	  1, -1, OPT_ALL | OPT_INCREMENTAL | OPT_DEGRADED | OPT_LATENCY | OPT_DRY_RUN | OPT_JSON,
	  LOCK_EX, command_assemble },
	/* No lock: udev runs it for every block device, never behind an assembly. */
	{ "member", "[--udev] DEVNODE [LINK...]", "which device a volume belongs to",
	  1, -1, OPT_UDEV, LOCK_NONE, command_member },
	{ "reidentify", "NAME [--json]", "save host-assigned identities for an active device's volumes",
	  1, 1, OPT_JSON, LOCK_EX, command_reidentify },
	{ "import", "FILE|- [--name NEW] [--json]", "register a map saved on another host (shared)",
	  1, 1, OPT_NAME | OPT_JSON, LOCK_EX, command_import },
	{ "share", "NAME [--json]", "mark the map shared with another host and print it for import",
	  1, 1, OPT_JSON, LOCK_EX, command_share },
	{ "unshare", "NAME [--json]", "only this host holds the map again: layout changes allowed",
	  1, 1, OPT_JSON, LOCK_EX, command_unshare },
	{ "list", "[--json]", "list known devices",
	  0, 0, OPT_JSON, LOCK_SH, command_list },
	{ "map", "NAME [--json]", "show which volume sits where",
	  1, 1, OPT_JSON, LOCK_SH, command_map },
	{ "status", "NAME [--json] | [NAME...] --format openmetrics",
	  "show the map with per-volume I/O counters and health",
	  1, 1, OPT_JSON | OPT_FORMAT, LOCK_SH, command_status },
	/* Locks each sample itself: a long watch must not hold off changes. */
	{ "iostat", "[NAME...] [INTERVAL [COUNT]] [--json]",
	  "per-volume I/O rates (and latency) every INTERVAL seconds",
	  0, -1, OPT_JSON, LOCK_NONE, command_iostat },
	/* Takes the shared lock for each look, never for its whole run. */
	{ "monitor", "[--interval SECONDS]", "log volumes that start failing or recover",
	  0, 0, OPT_INTERVAL, LOCK_NONE, command_monitor },
	{ "export", "NAME [--fabric FABRIC] [--portal ADDRESS] [--initiator IQN]... [--chap-user USER --chap-password-file FILE] [--dry-run] [--json] | --all [--dry-run] [--json]",
	  "hand the device to a VM as one SCSI disk (LIO)",
	  1, 1, OPT_FABRIC | OPT_PORTAL | OPT_INITIATOR | OPT_CHAP | OPT_DRY_RUN | OPT_JSON | OPT_ALL,
	  LOCK_EX, command_export },
	{ "unexport", "NAME [--dry-run] [--json]", "take back and forget every export of the device",
	  1, 1, OPT_DRY_RUN | OPT_JSON, LOCK_EX, command_unexport },
	{ "xml", "NAME [--target-dev sdX]", "print libvirt <disk> XML for virsh attach-device",
	  1, 1, OPT_TARGET_DEV, LOCK_SH, command_xml },
};

/* Pairs of options that cannot be given together. */
static const struct {
	int first, second;
} conflicts[] = {
	{ 'q', 'v' },
};

enum {
	LONG_CONFIG_DIR = 256,
	LONG_LAYOUT,
	LONG_FORGET,
	LONG_ALL,
	LONG_JSON,
	LONG_INCREMENTAL,
	LONG_UDEV,
	LONG_VERSION,
	LONG_FABRIC,
	LONG_PORTAL,
	LONG_INITIATOR,
	LONG_CHAP_USER,
	LONG_CHAP_PASSWORD_FILE,
	LONG_FORCE,
	LONG_TARGET_DEV,
	LONG_WAIT,
	LONG_HEADROOM,
	LONG_DEGRADED,
	LONG_NAME,
	LONG_LATENCY,
	LONG_NO_LATENCY,
	LONG_FORMAT,
	LONG_YES,
	LONG_DRY_RUN,
	LONG_INTERVAL,
	LONG_ABORT,
	LONG_BACKGROUND,
	LONG_OPTION_END,
};

/* Sorted by name. */
static const struct option long_options[] = {
	{ "abort", no_argument, NULL, LONG_ABORT },
	{ "all", no_argument, NULL, LONG_ALL },
	{ "background", no_argument, NULL, LONG_BACKGROUND },
	{ "chap-password-file", required_argument, NULL, LONG_CHAP_PASSWORD_FILE },
	{ "chap-user", required_argument, NULL, LONG_CHAP_USER },
	{ "config-dir", required_argument, NULL, LONG_CONFIG_DIR },
	{ "degraded", no_argument, NULL, LONG_DEGRADED },
	{ "dry-run", no_argument, NULL, LONG_DRY_RUN },
	{ "fabric", required_argument, NULL, LONG_FABRIC },
	{ "force", no_argument, NULL, LONG_FORCE },
	{ "forget", no_argument, NULL, LONG_FORGET },
	{ "format", required_argument, NULL, LONG_FORMAT },
	{ "headroom", required_argument, NULL, LONG_HEADROOM },
	{ "help", no_argument, NULL, 'h' },
	{ "incremental", no_argument, NULL, LONG_INCREMENTAL },
	{ "initiator", required_argument, NULL, LONG_INITIATOR },
	{ "interval", required_argument, NULL, LONG_INTERVAL },
	{ "json", no_argument, NULL, LONG_JSON },
	{ "latency", no_argument, NULL, LONG_LATENCY },
	{ "layout", required_argument, NULL, LONG_LAYOUT },
	{ "name", required_argument, NULL, LONG_NAME },
	{ "no-latency", no_argument, NULL, LONG_NO_LATENCY },
	{ "portal", required_argument, NULL, LONG_PORTAL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "target-dev", required_argument, NULL, LONG_TARGET_DEV },
	{ "udev", no_argument, NULL, LONG_UDEV },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, LONG_VERSION },
	{ "wait", required_argument, NULL, LONG_WAIT },
	{ "yes", no_argument, NULL, LONG_YES },
	{ NULL, 0, NULL, 0 },
};

static const struct {
	unsigned int flag;
	const char *name;
} command_option_names[] = {
	{ OPT_LAYOUT, "--layout" },
	{ OPT_FORGET, "--forget" },
	{ OPT_ALL, "--all" },
	{ OPT_JSON, "--json" },
	{ OPT_FABRIC, "--fabric" },
	{ OPT_PORTAL, "--portal" },
	{ OPT_INITIATOR, "--initiator" },
	{ OPT_CHAP, "--chap-user or --chap-password-file" },
	{ OPT_FORCE, "--force" },
	{ OPT_TARGET_DEV, "--target-dev" },
	{ OPT_INCREMENTAL, "--incremental" },
	{ OPT_UDEV, "--udev" },
	{ OPT_HEADROOM, "--headroom" },
	{ OPT_DEGRADED, "--degraded" },
	{ OPT_NAME, "--name" },
	{ OPT_LATENCY, "--latency or --no-latency" },
	{ OPT_FORMAT, "--format" },
	{ OPT_YES, "--yes" },
	{ OPT_DRY_RUN, "--dry-run" },
	{ OPT_INTERVAL, "--interval" },
	{ OPT_ABORT, "--abort" },
	{ OPT_BACKGROUND, "--background" },
};

const struct command *cli_find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

void cli_usage(FILE *out, const struct command *command)
{
	size_t i;

	if (command) {
		fprintf(out, "Usage: dmcombine %s %s\n  %s\n", command->name, command->arguments,
			command->summary);
		return;
	}
	fputs("Usage: dmcombine [OPTIONS] COMMAND [ARGUMENTS]\n\nCommands:\n", out);
	/* Long arguments get their own line, the summary under the others'. */
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strlen(commands[i].arguments) > 36)
			fprintf(out, "  %-9s %s\n%48s%s\n", commands[i].name, commands[i].arguments,
				"", commands[i].summary);
		else
			fprintf(out, "  %-9s %-36s %s\n", commands[i].name, commands[i].arguments,
				commands[i].summary);
	}
	fputs("\nVOLUME is [ID=]SOURCE: a block device, a regular file (through a loop device)\n"
	      "or UUID=, LABEL=, PARTUUID=, PARTLABEL=.\n"
	      "SIZE (--headroom: room kept after each volume to grow into, gpt layout) is\n"
	      "bytes with an optional K, M, G or T suffix (powers of 1024), or N% of each\n"
	      "volume's size.\n"
	      "FABRIC is loopback (default), vhost or iscsi; iscsi needs --portal IP[:PORT]\n"
	      "and --initiator IQN (repeatable), optionally --chap-user USER and\n"
	      "--chap-password-file FILE.\n"
	      "--yes goes ahead without asking when a volume or the device is in use;\n"
	      "--dry-run prints the table line and the map change (export, unexport: the\n"
	      "configfs objects and saved exports) and makes neither;\n"
	      "--json prints what was done (or is shown) as JSON on stdout.\n"
	      "monitor --interval SECONDS: the most time between two looks (default 60).\n\n"
	      "Options:\n"
	      "      --config-dir DIR  saved maps (default " DEFAULT_CONFIG_DIR ")\n"
	      "  -q, --quiet           print errors only\n"
	      "  -v, --verbose         say more (twice: also libdevmapper's messages)\n"
	      "      --wait SECONDS    wait at most this long for another invocation (default 30;\n"
	      "                        assemble --incremental: 10)\n"
	      "      --version         print the version\n"
	      "  -h, --help            print this help (after a command: its usage)\n\n"
	      "Exit status: 0 done, 1 failed, 2 usage error; status: 0 healthy, 1 a volume\n"
	      "failing, 2 a volume missing, 3 both, 4 not active. See dmcombine(8).\n", out);
}

/*
 * --headroom: N% (1 to MAX_HEADROOM_PERCENT) or bytes with an optional
 * K, M, G or T suffix (powers of 1024), at most MAX_SECTORS sectors.
 */
static int headroom_parse(const char *text, struct options *options)
{
	static const char suffixes[] = "KMGT";
	unsigned long long value;
	const char *unit;
	size_t powers;
	char *end;

	if (*text < '0' || *text > '9')
		return -EINVAL;
	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno)
		return -EINVAL;
	if (!strcmp(end, "%")) {
		if (!value || value > MAX_HEADROOM_PERCENT)
			return -EINVAL;
		options->headroom_percent = (unsigned int)value;
		return 0;
	}
	unit = *end ? strchr(suffixes, *end) : NULL;
	if (*end && (!unit || end[1]))
		return -EINVAL;
	for (powers = unit ? (size_t)(unit - suffixes) + 1 : 0; powers; powers--) {
		if (value > MAX_SECTORS * SECTOR_SIZE / 1024)
			return -EINVAL;
		value *= 1024;
	}
	if (value / SECTOR_SIZE > MAX_SECTORS)
		return -EINVAL;
	options->headroom_bytes = value;
	return 0;
}

/* A whole number of seconds, 0 to LOCK_WAIT_MAX. */
static int seconds_parse(const char *text, int *seconds)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno || end == text || *end || *text == '-' || *text == '+' || value > LOCK_WAIT_MAX)
		return -EINVAL;
	*seconds = (int)value;
	return 0;
}

static enum cli_status usage_error(const char *what, const char *why)
{
	log_error(-EINVAL, what, "%s (see dmcombine --help)", why);
	return CLI_USAGE;
}

/* Reads one option into options; a usage error for a bad one. */
static enum cli_status take_option(int c, char **argv, struct options *options, bool seen[])
{
	char text[64];

	switch (c) {
	case 'q':
		options->log_level = LOG_QUIET;
		break;
	case 'v':
		if (options->log_level < LOG_DEBUG)
			options->log_level++;
		break;
	case LONG_CONFIG_DIR:
		options->config_dir = optarg;
		break;
	case LONG_LAYOUT:
		if (layout_parse(optarg, &(enum layout){ 0 }))
			return usage_error(optarg, "unknown layout (known: gpt, concat)");
		options->layout = optarg;
		options->given |= OPT_LAYOUT;
		break;
	case LONG_FORGET:
		options->forget = true;
		options->given |= OPT_FORGET;
		break;
	case LONG_ALL:
		options->all = true;
		options->given |= OPT_ALL;
		break;
	case LONG_JSON:
		options->json = true;
		options->given |= OPT_JSON;
		break;
	case LONG_FABRIC:
		if (lio_fabric_parse(optarg, &(enum lio_fabric){ 0 }))
			return usage_error(optarg, "unknown fabric (known: loopback, vhost, iscsi)");
		options->fabric = optarg;
		options->given |= OPT_FABRIC;
		break;
	case LONG_PORTAL:
		options->portal = optarg;
		options->given |= OPT_PORTAL;
		break;
	case LONG_INITIATOR:
		if (!lio_iscsi_name_valid(optarg))
			return usage_error(optarg, "not an iSCSI name in normal form (iqn., eui. or naa., lower case)");
		if (options->nr_initiators == MAX_INITIATORS)
			return usage_error(optarg, "too many initiators");
		options->initiators[options->nr_initiators++] = optarg;
		options->given |= OPT_INITIATOR;
		break;
	case LONG_CHAP_USER:
		options->chap_user = optarg;
		options->given |= OPT_CHAP;
		break;
	case LONG_CHAP_PASSWORD_FILE:
		options->chap_password_file = optarg;
		options->given |= OPT_CHAP;
		break;
	case LONG_FORCE:
		options->force = true;
		options->given |= OPT_FORCE;
		break;
	case LONG_TARGET_DEV:
		if (!libvirt_target_dev_valid(optarg))
			return usage_error(optarg, "not a SCSI disk name (sda to sdzzzz)");
		options->target_dev = optarg;
		options->given |= OPT_TARGET_DEV;
		break;
	case LONG_INCREMENTAL:
		options->incremental = true;
		options->given |= OPT_INCREMENTAL;
		break;
	case LONG_UDEV:
		options->udev = true;
		options->given |= OPT_UDEV;
		break;
	case LONG_HEADROOM:
		if (headroom_parse(optarg, options))
			return usage_error(optarg, "not a headroom: bytes with an optional K, M, G or T suffix, or 1% to 1000%");
		options->given |= OPT_HEADROOM;
		break;
	case LONG_DEGRADED:
		options->degraded = true;
		options->given |= OPT_DEGRADED;
		break;
	case LONG_NAME:
		if (!name_is_valid(optarg))
			return usage_error(optarg, "invalid name (allowed: [A-Za-z0-9][A-Za-z0-9._+-]{0,63})");
		options->name = optarg;
		options->given |= OPT_NAME;
		break;
	case LONG_LATENCY:
	case LONG_NO_LATENCY:
		if ((options->given & OPT_LATENCY) && options->latency != (c == LONG_LATENCY))
			return usage_error("--latency", "--latency and --no-latency cannot be used together");
		options->latency = c == LONG_LATENCY;
		options->given |= OPT_LATENCY;
		break;
	case LONG_FORMAT:
		if (strcmp(optarg, "text") && strcmp(optarg, "openmetrics"))
			return usage_error(optarg, "unknown format (known: text, openmetrics)");
		options->openmetrics = !strcmp(optarg, "openmetrics");
		options->given |= OPT_FORMAT;
		break;
	case LONG_ABORT:
		options->abort = true;
		options->given |= OPT_ABORT;
		break;
	case LONG_BACKGROUND:
		options->background = true;
		options->given |= OPT_BACKGROUND;
		break;
	case LONG_WAIT:
		if (seconds_parse(optarg, &options->wait))
			return usage_error(optarg, "not a number of seconds (0 to " LOCK_WAIT_MAX_TEXT ")");
		break;
	case LONG_YES:
		options->yes = true;
		options->given |= OPT_YES;
		break;
	case LONG_DRY_RUN:
		options->dry_run = true;
		options->given |= OPT_DRY_RUN;
		break;
	case LONG_INTERVAL:
		if (seconds_parse(optarg, &options->interval) || !options->interval)
			return usage_error(optarg, "not a number of seconds (1 to " LOCK_WAIT_MAX_TEXT ")");
		options->given |= OPT_INTERVAL;
		break;
	case ':':
		snprintf(text, sizeof(text), "%s", argv[optind - 1]);
		return usage_error(text, "needs an argument");
	default:
		if (optopt)
			snprintf(text, sizeof(text), "-%c", optopt);
		else
			snprintf(text, sizeof(text), "%s", argv[optind - 1]);
		return usage_error(text, "unknown option");
	}
	seen[c] = true;
	return CLI_RUN;
}

/* Options of the command line that the command does not take, or conflicts. */
static enum cli_status check_options(const struct command *command,
				     const struct options *options, const bool seen[])
{
	char why[64];
	size_t i;

	for (i = 0; i < sizeof(command_option_names) / sizeof(command_option_names[0]); i++) {
		if ((options->given & command_option_names[i].flag) &&
		    !(command->accepted & command_option_names[i].flag)) {
			snprintf(why, sizeof(why), "does not take %s", command_option_names[i].name);
			return usage_error(command->name, why);
		}
	}
	if ((options->given & OPT_JSON) && (options->given & OPT_FORMAT))
		return usage_error(command->name, "--json and --format cannot be used together");
	for (i = 0; i < sizeof(conflicts) / sizeof(conflicts[0]); i++) {
		if (seen[conflicts[i].first] && seen[conflicts[i].second]) {
			snprintf(why, sizeof(why), "-%c and -%c cannot be used together",
				 conflicts[i].first, conflicts[i].second);
			return usage_error(command->name, why);
		}
	}
	return CLI_RUN;
}

static enum cli_status check_counts(const struct invocation *invocation)
{
	const struct command *command = invocation->command;

	if (invocation->options.abort && invocation->options.background)
		return usage_error(command->name, "--abort and --background cannot be used together");
	/* move: NEWSOURCE, except with --abort. */
	if (command->handler == command_move && invocation->argc == 3 - invocation->options.abort)
		return CLI_RUN;
	if (command->handler == command_move)
		return usage_error(command->name, invocation->options.abort ?
				   "--abort takes NAME ID" : "takes NAME ID NEWSOURCE");
	if (invocation->options.all && invocation->options.incremental)
		return usage_error(command->name, "--all and --incremental cannot be used together");
	if (invocation->options.degraded && invocation->options.incremental)
		return usage_error(command->name, "--degraded and --incremental cannot be used together");
	if (invocation->options.dry_run && invocation->options.incremental)
		return usage_error(command->name, "--dry-run and --incremental cannot be used together");
	if (invocation->options.all) {
		if (invocation->argc)
			return usage_error(command->name, "--all takes no names");
		return CLI_RUN;
	}
	/* Metrics are for every device, or those named. */
	if (invocation->options.openmetrics)
		return CLI_RUN;
	if (invocation->argc < command->min_args)
		return usage_error(command->name, "missing arguments");
	if (command->max_args >= 0 && invocation->argc > command->max_args)
		return usage_error(command->name, "too many arguments");
	return CLI_RUN;
}

enum cli_status cli_parse(int argc, char **argv, struct invocation *invocation)
{
	bool seen[LONG_OPTION_END] = { false }, help = false, version = false;
	enum cli_status status;
	/* Arguments are gathered over argv's own slots: never past the one read. */
	char **arguments = argv + 1;
	int nr_arguments = 0, c;

	memset(invocation, 0, sizeof(*invocation));
	invocation->options.config_dir = DEFAULT_CONFIG_DIR;
	invocation->options.log_level = LOG_NORMAL;
	invocation->options.wait = -1;
	invocation->options.interval = -1;
	optind = 0;		/* 0 resets GNU getopt completely, for repeated calls */
	opterr = 0;		/* errors are reported here, in one line */
	/* "-" returns arguments in place (as 1), whatever POSIXLY_CORRECT says. */
	while ((c = getopt_long(argc, argv, "-:hqv", long_options, NULL)) != -1) {
		if (c == 1) {
			arguments[nr_arguments++] = optarg;
			continue;
		}
		if (c == 'h') {
			help = true;
			continue;
		}
		if (c == LONG_VERSION) {
			version = true;
			continue;
		}
		status = take_option(c, argv, &invocation->options, seen);
		if (status != CLI_RUN)
			return status;
	}
	/* After "--" everything is an argument. */
	while (optind < argc)
		arguments[nr_arguments++] = argv[optind++];

	if (version) {
		printf("dmcombine %s\n", DMCOMBINE_VERSION);
		return CLI_DONE;
	}
	if (nr_arguments)
		invocation->command = cli_find_command(arguments[0]);
	if (help) {
		cli_usage(stdout, invocation->command);
		return CLI_DONE;
	}
	if (!nr_arguments) {
		log_error(-EINVAL, "no command given", "see dmcombine --help");
		return CLI_USAGE;
	}
	if (!invocation->command)
		return usage_error(arguments[0], "unknown command");
	invocation->argc = nr_arguments - 1;
	invocation->argv = arguments + 1;
	status = check_options(invocation->command, &invocation->options, seen);
	return status == CLI_RUN ? check_counts(invocation) : status;
}
