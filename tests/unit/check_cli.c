// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command line (userspace/cli.c): the command table, argument counts,
 * option placement, refusals as usage errors (exit 2) in one line.
 */
#include <stdarg.h>

#include "check_common.h"
#include "cli.h"
#include "commands.h"
#include "import.h"
#include "incremental.h"
#include "lock.h"
#include "log.h"
#include "move.h"
#include "reidentify.h"

/* Handlers are not run here: the table only has to point at them. */
#define STUB(name) \
	int name(const struct invocation *invocation) { (void)invocation; return 0; }
STUB(command_create)
STUB(command_add)
STUB(command_drop)
STUB(command_remove)
STUB(command_assemble)
STUB(command_list)
STUB(command_map)
STUB(command_status)
STUB(command_iostat)
STUB(command_export)
STUB(command_unexport)
STUB(command_xml)
STUB(command_member)
STUB(command_reidentify)
STUB(command_resize)
STUB(command_replace)
STUB(command_import)
STUB(command_share)
STUB(command_unshare)
STUB(command_monitor)
STUB(command_move)

#define MAX_TEST_ARGS 24

/* Parses the NULL-terminated words after "dmcombine". */
static enum cli_status parse(struct invocation *invocation, ...)
{
	static char *argv[MAX_TEST_ARGS + 2];
	int argc = 1;
	va_list ap;

	argv[0] = (char *)"dmcombine";
	va_start(ap, invocation);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return cli_parse(argc, argv, invocation);
}

/* The words must be a usage error with exactly one line on stderr. */
#define ASSERT_USAGE(...) do {							\
	struct invocation invocation_;						\
	capture_stderr();							\
	ck_assert_int_eq(parse(&invocation_, __VA_ARGS__, NULL), CLI_USAGE);	\
	ck_assert_uint_eq(count_lines(captured_stderr()), 1);			\
} while (0)

START_TEST(test_commands_dispatch)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "create", "vm1", "/dev/sdb", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_create);
	ck_assert_int_eq(invocation.argc, 2);
	ck_assert_str_eq(invocation.argv[0], "vm1");
	ck_assert_str_eq(invocation.argv[1], "/dev/sdb");
	ck_assert_int_eq(parse(&invocation, "status", "vm1", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_status);
	ck_assert_ptr_eq(cli_find_command("drop")->handler, command_drop);
	ck_assert_ptr_null(cli_find_command("destroy"));
}
END_TEST

/* --latency and --no-latency, --format and iostat's counts. */
START_TEST(test_watch_options)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "create", "vm1", "--latency", "/dev/sdb", NULL), CLI_RUN);
	ck_assert(invocation.options.latency && (invocation.options.given & OPT_LATENCY));
	ck_assert_int_eq(parse(&invocation, "add", "vm1", "/dev/sdc", "--no-latency", NULL), CLI_RUN);
	ck_assert(!invocation.options.latency && (invocation.options.given & OPT_LATENCY));
	ck_assert_int_eq(parse(&invocation, "assemble", "--all", "--latency", NULL), CLI_RUN);
	ck_assert_int_eq(parse(&invocation, "create", "vm1", "/dev/sdb", NULL), CLI_RUN);
	ck_assert(!(invocation.options.given & OPT_LATENCY));
	ASSERT_USAGE("create", "vm1", "/dev/sdb", "--latency", "--no-latency");
	ASSERT_USAGE("drop", "vm1", "a", "--latency");
	ASSERT_USAGE("status", "vm1", "--latency");
	/* openmetrics: every device or those named; plain status: one NAME. */
	ck_assert_int_eq(parse(&invocation, "status", "--format", "openmetrics", NULL), CLI_RUN);
	ck_assert(invocation.options.openmetrics);
	ck_assert_int_eq(parse(&invocation, "status", "vm1", "vm2", "--format", "openmetrics", NULL),
			 CLI_RUN);
	ck_assert_int_eq(invocation.argc, 2);
	ck_assert_int_eq(parse(&invocation, "status", "vm1", "--format", "text", NULL), CLI_RUN);
	ck_assert(!invocation.options.openmetrics);
	ASSERT_USAGE("status", "vm1", "vm2", "--format", "text");
	ASSERT_USAGE("status", "--format", "prometheus");
	ASSERT_USAGE("status", "vm1", "--format", "openmetrics", "--json");
	ASSERT_USAGE("map", "vm1", "--format", "openmetrics");
	ck_assert_int_eq(parse(&invocation, "iostat", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_iostat);
	ck_assert_int_eq(parse(&invocation, "iostat", "vm1", "vm2", "1", "5", "--json", NULL), CLI_RUN);
	ck_assert_int_eq(invocation.argc, 4);
}
END_TEST

START_TEST(test_unknown_command)
{
	ASSERT_USAGE("destroy", "vm1");
	ASSERT_USAGE("CREATE", "vm1", "/dev/sdb");
	ASSERT_USAGE("-v");
}
END_TEST

START_TEST(test_unknown_option)
{
	ASSERT_USAGE("list", "--jsn");
	ASSERT_USAGE("-x", "list");
	ASSERT_USAGE("map", "vm1", "--layout");
	ASSERT_USAGE("create", "vm1", "/dev/sdb", "--layout", "raid0");
}
END_TEST

START_TEST(test_option_not_for_command)
{
	ASSERT_USAGE("list", "--forget");
	ASSERT_USAGE("create", "vm1", "/dev/sdb", "--all");
	ASSERT_USAGE("remove", "vm1", "--all");
	/* Only commands that change something ask or dry-run. */
	ASSERT_USAGE("map", "vm1", "--yes");
	ASSERT_USAGE("status", "vm1", "--dry-run");
	ASSERT_USAGE("list", "--interval", "5");
	ASSERT_USAGE("monitor", "--interval", "0");
	ASSERT_USAGE("-q", "-v", "list");
}
END_TEST

START_TEST(test_counts)
{
	struct invocation invocation;

	ASSERT_USAGE("create", "vm1");
	ASSERT_USAGE("add", "vm1");
	ASSERT_USAGE("drop", "vm1");
	ASSERT_USAGE("remove");
	ASSERT_USAGE("remove", "vm1", "vm2");
	ASSERT_USAGE("list", "vm1");
	ASSERT_USAGE("map");
	ASSERT_USAGE("status", "vm1", "vm2");
	ASSERT_USAGE("assemble");
	ASSERT_USAGE("assemble", "--all", "vm1");
	ck_assert_int_eq(parse(&invocation, "assemble", "--all", NULL), CLI_RUN);
	ck_assert(invocation.options.all);
	ck_assert_int_eq(parse(&invocation, "assemble", "vm1", "vm2", "vm3", NULL), CLI_RUN);
	ck_assert_int_eq(invocation.argc, 3);
	ck_assert_int_eq(parse(&invocation, "drop", "vm1", "a", "b", NULL), CLI_RUN);
}
END_TEST

START_TEST(test_option_placement)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "--config-dir", "/tmp/c", "-v", "list", "--json", NULL),
			 CLI_RUN);
	ck_assert_str_eq(invocation.options.config_dir, "/tmp/c");
	ck_assert_int_eq(invocation.options.log_level, LOG_VERBOSE);
	ck_assert(invocation.options.json);
	ck_assert_int_eq(parse(&invocation, "create", "vm1", "--layout", "concat", "/dev/sdb", "-q",
			       NULL), CLI_RUN);
	ck_assert_str_eq(invocation.options.layout, "concat");
	ck_assert_int_eq(invocation.options.log_level, LOG_QUIET);
	ck_assert_int_eq(invocation.argc, 2);
	ck_assert_str_eq(invocation.argv[1], "/dev/sdb");
	ck_assert_int_eq(parse(&invocation, "remove", "vm1", "--forget", "--config-dir=/x", NULL),
			 CLI_RUN);
	ck_assert(invocation.options.forget);
	ck_assert_str_eq(invocation.options.config_dir, "/x");
	ck_assert_int_eq(parse(&invocation, "-vv", "map", "vm1", NULL), CLI_RUN);
	ck_assert_int_eq(invocation.options.log_level, LOG_DEBUG);
	ck_assert_str_eq(invocation.options.config_dir, DEFAULT_CONFIG_DIR);
}
END_TEST

START_TEST(test_double_dash)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "create", "vm1", "--", "-odd-file", "--json", NULL),
			 CLI_RUN);
	ck_assert_int_eq(invocation.argc, 3);
	ck_assert_str_eq(invocation.argv[1], "-odd-file");
	ck_assert_str_eq(invocation.argv[2], "--json");
	ck_assert(!invocation.options.json);
}
END_TEST

START_TEST(test_layout_gpt_passes_to_create)
{
	struct invocation invocation;

	/* create refuses it with its own message (exit 1, not a usage error). */
	ck_assert_int_eq(parse(&invocation, "create", "vm1", "/dev/sdb", "--layout", "gpt", NULL),
			 CLI_RUN);
	ck_assert_str_eq(invocation.options.layout, "gpt");
}
END_TEST

START_TEST(test_export_options)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "export", "vm1", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_export);
	ck_assert_ptr_null(invocation.options.fabric);
	ck_assert_int_eq(parse(&invocation, "export", "vm1", "--fabric", "iscsi", "--portal",
			       "127.0.0.1", "--initiator", "iqn.2025-01.org.example:a",
			       "--initiator", "iqn.2025-01.org.example:b", "--chap-user", "u",
			       "--chap-password-file", "/root/p", NULL), CLI_RUN);
	ck_assert_str_eq(invocation.options.fabric, "iscsi");
	ck_assert_str_eq(invocation.options.portal, "127.0.0.1");
	ck_assert_int_eq(invocation.options.nr_initiators, 2);
	ck_assert_str_eq(invocation.options.initiators[1], "iqn.2025-01.org.example:b");
	ck_assert_str_eq(invocation.options.chap_password_file, "/root/p");
	ASSERT_USAGE("export", "vm1", "--fabric", "fc");
	ASSERT_USAGE("export", "vm1", "--initiator", "IQN.2025-01.org.example:A");
	ASSERT_USAGE("export", "vm1", "--initiator", "host1");
	ASSERT_USAGE("export");
	ASSERT_USAGE("unexport", "vm1", "--fabric", "vhost");
	ASSERT_USAGE("map", "vm1", "--force");
	ck_assert_int_eq(parse(&invocation, "remove", "vm1", "--force", "--forget", NULL), CLI_RUN);
	ck_assert(invocation.options.force && invocation.options.forget);
	ck_assert_int_eq(parse(&invocation, "xml", "vm1", "--target-dev", "sdb", NULL), CLI_RUN);
	ck_assert_str_eq(invocation.options.target_dev, "sdb");
	ASSERT_USAGE("xml", "vm1", "--target-dev", "vda");
	ASSERT_USAGE("xml", "vm1", "--target-dev", "sd");
}
END_TEST

START_TEST(test_help_and_version)
{
	struct invocation invocation;

	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
	ck_assert_int_eq(parse(&invocation, "--help", NULL), CLI_DONE);
	ck_assert_int_eq(parse(&invocation, "create", "-h", NULL), CLI_DONE);
	ck_assert_int_eq(parse(&invocation, "--version", NULL), CLI_DONE);
	ck_assert_int_eq(parse(&invocation, "list", "--version", NULL), CLI_DONE);
}
END_TEST

START_TEST(test_usage_text)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	const char *const verbs[] = {
		"create", "add", "drop", "remove", "assemble", "list", "map", "status",
		"export", "unexport", "xml",
	};
	size_t i;

	cli_usage(out, NULL);
	fclose(out);
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		ck_assert_ptr_nonnull(strstr(text, verbs[i]));
	ck_assert_ptr_nonnull(strstr(text, "--config-dir"));
	free(text);
}
END_TEST

START_TEST(test_incremental)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "assemble", "--incremental", "/dev/vdb",
			       "/dev/disk/by-id/virtio-m1", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_assemble);
	ck_assert(invocation.options.incremental);
	ck_assert_int_eq(invocation.argc, 2);
	ck_assert_str_eq(invocation.argv[0], "/dev/vdb");
	ASSERT_USAGE("assemble", "--incremental");
	ASSERT_USAGE("assemble", "--all", "--incremental", "/dev/vdb");
	ASSERT_USAGE("create", "--incremental", "vm1", "/dev/vdb");
	ASSERT_USAGE("member", "--incremental", "/dev/vdb");
}
END_TEST

START_TEST(test_member)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "member", "--udev", "/dev/vdb", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_member);
	ck_assert(invocation.options.udev);
	/* udev must never wait behind an assembly that waits for udev. */
	ck_assert_int_eq(invocation.command->lock, LOCK_NONE);
	ck_assert_int_eq(parse(&invocation, "member", "/dev/vdb", "/dev/a", "/dev/b", NULL), CLI_RUN);
	ck_assert(!invocation.options.udev);
	ASSERT_USAGE("member");
	ASSERT_USAGE("assemble", "--udev", "vm1");
}
END_TEST

START_TEST(test_move)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "move", "vm1", "a", "/dev/sdc", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_move);
	ck_assert_int_eq(parse(&invocation, "move", "--background", "vm1", "a", "/dev/sdc", NULL),
			 CLI_RUN);
	ck_assert(invocation.options.background);
	ck_assert_int_eq(parse(&invocation, "move", "--abort", "vm1", "a", NULL), CLI_RUN);
	ck_assert(invocation.options.abort);
	ASSERT_USAGE("move", "vm1", "a");
	ASSERT_USAGE("move", "--abort", "vm1", "a", "/dev/sdc");
	ASSERT_USAGE("move", "--abort", "--background", "vm1", "a");
	ASSERT_USAGE("drop", "--abort", "vm1", "a");
}
END_TEST

START_TEST(test_wait)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "add", "vm1", "/dev/vdb", NULL), CLI_RUN);
	ck_assert_int_eq(invocation.options.wait, -1);
	ck_assert_int_eq(parse(&invocation, "--wait", "0", "add", "vm1", "/dev/vdb", NULL), CLI_RUN);
	ck_assert_int_eq(invocation.options.wait, 0);
	ck_assert_int_eq(parse(&invocation, "map", "vm1", "--wait", "86400", NULL), CLI_RUN);
	ck_assert_int_eq(invocation.options.wait, LOCK_WAIT_MAX);
	ASSERT_USAGE("map", "vm1", "--wait", "86401");
	ASSERT_USAGE("map", "vm1", "--wait", "-1");
	ASSERT_USAGE("map", "vm1", "--wait", "5s");
	ASSERT_USAGE("map", "vm1", "--wait", "");
	ASSERT_USAGE("map", "vm1", "--wait");
}
END_TEST

START_TEST(test_headroom)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "create", "vm1", "--headroom", "8M", "/dev/vdb", NULL),
			 CLI_RUN);
	ck_assert_uint_eq(invocation.options.headroom_bytes, 8U << 20);
	ck_assert_uint_eq(invocation.options.headroom_percent, 0);
	ck_assert_int_eq(parse(&invocation, "add", "vm1", "--headroom", "25%", "/dev/vdb", NULL),
			 CLI_RUN);
	ck_assert_uint_eq(invocation.options.headroom_percent, 25);
	ck_assert_int_eq(parse(&invocation, "add", "vm1", "--headroom", "4096", "/dev/vdb", NULL),
			 CLI_RUN);
	ck_assert_uint_eq(invocation.options.headroom_bytes, 4096);
	ck_assert_int_eq(parse(&invocation, "add", "vm1", "--headroom", "2T", "/dev/vdb", NULL),
			 CLI_RUN);
	ck_assert_uint_eq(invocation.options.headroom_bytes, 2ULL << 40);
	ASSERT_USAGE("add", "vm1", "--headroom", "0%", "/dev/vdb");
	ASSERT_USAGE("add", "vm1", "--headroom", "1001%", "/dev/vdb");
	ASSERT_USAGE("add", "vm1", "--headroom", "8MiB", "/dev/vdb");
	ASSERT_USAGE("add", "vm1", "--headroom", "-1", "/dev/vdb");
	ASSERT_USAGE("add", "vm1", "--headroom", "99999999999T", "/dev/vdb");
	ASSERT_USAGE("add", "vm1", "--headroom", "", "/dev/vdb");
	ASSERT_USAGE("drop", "vm1", "--headroom", "1M", "a");
}
END_TEST

START_TEST(test_resize_replace_degraded)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "resize", "vm1", "a", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_resize);
	ck_assert_int_eq(parse(&invocation, "replace", "vm1", "a", "/dev/vdc", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_replace);
	ck_assert_int_eq(parse(&invocation, "assemble", "--degraded", "vm1", NULL), CLI_RUN);
	ck_assert(invocation.options.degraded);
	ASSERT_USAGE("resize", "vm1");
	ASSERT_USAGE("resize", "vm1", "a", "b");
	ASSERT_USAGE("replace", "vm1", "a");
	ASSERT_USAGE("assemble", "--degraded", "--incremental", "/dev/vdb");
	ASSERT_USAGE("create", "--degraded", "vm1", "/dev/vdb");
}
END_TEST

START_TEST(test_import_options)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "import", "-", "--name", "vm2", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_import);
	ck_assert_str_eq(invocation.argv[0], "-");
	ck_assert_str_eq(invocation.options.name, "vm2");
	ck_assert_int_eq(parse(&invocation, "import", "/tmp/vm1.json", NULL), CLI_RUN);
	ck_assert_ptr_null(invocation.options.name);
	ASSERT_USAGE("import");
	ASSERT_USAGE("import", "a.json", "b.json");
	ASSERT_USAGE("import", "-", "--name", "bad/name");
	ASSERT_USAGE("import", "-", "--name", "");
	ASSERT_USAGE("create", "vm1", "/dev/sdb", "--name", "vm2");
	ASSERT_USAGE("import", "-", "--force");
	ck_assert_int_eq(parse(&invocation, "share", "vm1", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_share);
	ck_assert_int_eq(parse(&invocation, "unshare", "vm1", NULL), CLI_RUN);
	ck_assert_ptr_eq(invocation.command->handler, command_unshare);
	ASSERT_USAGE("share");
	ASSERT_USAGE("unshare", "vm1", "vm2");
	/* The layout rule's override (commands.c refuse_shared). */
	ck_assert_int_eq(parse(&invocation, "add", "vm1", "--force", "/dev/sdb", NULL), CLI_RUN);
	ck_assert(invocation.options.force);
	ck_assert_int_eq(parse(&invocation, "drop", "--force", "vm1", "a", NULL), CLI_RUN);
	ck_assert(invocation.options.force);
}
END_TEST

START_TEST(test_rails_and_monitor)
{
	struct invocation invocation;

	ck_assert_int_eq(parse(&invocation, "drop", "vm1", "a", "--yes", "--dry-run", "--json", NULL),
			 CLI_RUN);
	ck_assert(invocation.options.yes && invocation.options.dry_run && invocation.options.json);
	ck_assert_int_eq(parse(&invocation, "remove", "vm1", "--forget", NULL), CLI_RUN);
	ck_assert(!invocation.options.yes && !invocation.options.dry_run);
	ck_assert_int_eq(parse(&invocation, "monitor", NULL), CLI_RUN);
	ck_assert_int_eq(invocation.options.interval, -1);
	ck_assert_int_eq(parse(&invocation, "monitor", "--interval", "5", NULL), CLI_RUN);
	ck_assert_int_eq(invocation.options.interval, 5);
	ASSERT_USAGE("monitor", "vm1");
}
END_TEST

/* Every command that changes something takes --json; those that make things --dry-run. */
START_TEST(test_json_and_dry_run_everywhere)
{
	static const char *const json[][6] = {
		{ "move", "vm1", "a", "/dev/sdc", "--json" },
		{ "move", "--background", "vm1", "a", "/dev/sdc", "--json" },
		{ "move", "--abort", "vm1", "a", "--json" },
		{ "import", "-", "--json" },
		{ "share", "vm1", "--json" },
		{ "unshare", "vm1", "--json" },
		{ "export", "--all", "--json", "--dry-run" },
		{ "export", "vm1", "--dry-run", "--json" },
		{ "unexport", "vm1", "--dry-run", "--json" },
		{ "assemble", "vm1", "vm2", "--dry-run", "--json" },
		{ "assemble", "--all", "--degraded", "--dry-run" },
	};
	struct invocation invocation;
	size_t i;

	for (i = 0; i < sizeof(json) / sizeof(json[0]); i++) {
		ck_assert_int_eq(parse(&invocation, json[i][0], json[i][1], json[i][2], json[i][3],
				       json[i][4], json[i][5], NULL), CLI_RUN);
		ck_assert(invocation.options.json || invocation.options.dry_run);
	}
	/* move and import have no dry run; assemble --incremental is udev's, never dry. */
	ASSERT_USAGE("move", "vm1", "a", "/dev/sdc", "--dry-run");
	ASSERT_USAGE("import", "-", "--dry-run");
	ASSERT_USAGE("assemble", "--incremental", "--dry-run", "/dev/vdb");
}
END_TEST

/* The program's name once, not "dmcombine: dmcombine: ...". */
START_TEST(test_no_command)
{
	struct invocation invocation;

	capture_stderr();
	ck_assert_int_eq(parse(&invocation, NULL), CLI_USAGE);
	ck_assert_str_eq(captured_stderr(), "dmcombine: no command given: see dmcombine --help\n");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("cli");
	TCase *tcase;

	tcase = add_tcase(suite, "command_table");
	tcase_add_test(tcase, test_commands_dispatch);
	tcase_add_test(tcase, test_watch_options);
	tcase_add_test(tcase, test_usage_text);
	tcase = add_tcase(suite, "unknown_words");
	tcase_add_test(tcase, test_unknown_command);
	tcase_add_test(tcase, test_unknown_option);
	tcase_add_test(tcase, test_option_not_for_command);
	tcase = add_tcase(suite, "argument_counts");
	tcase_add_test(tcase, test_counts);
	tcase_add_test(tcase, test_headroom);
	tcase_add_test(tcase, test_resize_replace_degraded);
	tcase = add_tcase(suite, "option_placement");
	tcase_add_test(tcase, test_option_placement);
	tcase_add_test(tcase, test_double_dash);
	tcase_add_test(tcase, test_layout_gpt_passes_to_create);
	tcase_add_test(tcase, test_export_options);
	tcase_add_test(tcase, test_wait);
	tcase_add_test(tcase, test_import_options);
	tcase_add_test(tcase, test_rails_and_monitor);
	tcase_add_test(tcase, test_no_command);
	tcase_add_test(tcase, test_move);
	tcase = add_tcase(suite, "help_version");
	tcase_add_test(tcase, test_help_and_version);
	tcase = add_tcase(suite, "udev_events");
	tcase_add_test(tcase, test_incremental);
	tcase_add_test(tcase, test_json_and_dry_run_everywhere);
	tcase_add_test(tcase, test_member);
	return run_suite(suite);
}
