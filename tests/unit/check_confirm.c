// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who uses a volume (userspace/confirm.c): a child process with an image
 * file open, its OFD lock (as QEMU locks images), nobody once it is gone;
 * and confirm's answers without a terminal: --yes and --dry-run go ahead,
 * otherwise one line and -EBUSY.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "check_common.h"
#include "confirm.h"
#include "dm.h"

/* No device-mapper here: the kernel's opens are confirm_in_use's, not tested. */
int device_open_count(const char *name, int *count)
{
	(void)name;
	*count = 0;
	return 0;
}

/* An image file open, and OFD read-locked (as QEMU locks images) when lock. */
struct open_image {
	const char *path;
	bool lock;
};

static bool hold_image(const void *arg)
{
	const struct open_image *image = arg;
	struct flock range = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	int fd = open(image->path, O_RDONLY);

	return fd >= 0 && (!image->lock || !fcntl(fd, F_OFD_SETLK, &range));
}

/* A child that opens path (and takes an OFD read lock when lock) and waits. */
static pid_t holder(const char *path, bool lock)
{
	struct open_image image = { path, lock };

	return child_holding(hold_image, &image);
}

static struct in_use file_target(const char *path)
{
	struct in_use target = { 0 };
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	target.file_dev = st.st_dev;
	target.file_ino = st.st_ino;
	return target;
}

static char image[] = "/tmp/check_confirm.XXXXXX";

static void make_image(void)
{
	int fd = mkstemp(image);

	ck_assert_int_ge(fd, 0);
	close(fd);
}

START_TEST(test_open_file)
{
	struct in_use target;
	char expected[64];
	pid_t pid;

	make_image();
	target = file_target(image);
	in_use_scan(&target, 1);
	ck_assert_str_eq(target.why, "");
	pid = holder(image, false);
	in_use_scan(&target, 1);
	snprintf(expected, sizeof(expected), "(pid %d)", (int)pid);
	ck_assert_msg(strstr(target.why, "open by ") && strstr(target.why, expected),
		      "why: %s", target.why);
	child_end(pid);
	in_use_scan(&target, 1);
	ck_assert_str_eq(target.why, "");
	unlink(image);
}
END_TEST

START_TEST(test_locked_file)
{
	struct in_use target;
	pid_t pid;

	make_image();
	target = file_target(image);
	pid = holder(image, true);
	in_use_scan(&target, 1);
	ck_assert_msg(strstr(target.why, "locked (OFDLCK, as QEMU locks its images)"), "why: %s",
		      target.why);
	child_end(pid);
	unlink(image);
}
END_TEST

START_TEST(test_confirm_without_terminal)
{
	struct options options = { 0 };
	int null = open("/dev/null", O_RDONLY);

	/* Standard input is no terminal here. */
	ck_assert_int_ge(null, 0);
	dup2(null, STDIN_FILENO);
	close(null);
	ck_assert_int_eq(confirm(&options, "vm1", "", "drop?"), 0);
	capture_stderr();
	ck_assert_int_eq(confirm(&options, "vm1", "open by qemu (pid 7)", "drop?"), -EBUSY);
	ck_assert_str_eq(captured_stderr(),
			 "dmcombine: vm1: in use (open by qemu (pid 7)); --yes goes ahead anyway\n");
	options.yes = true;
	capture_stderr();
	ck_assert_int_eq(confirm(&options, "vm1", "open by qemu (pid 7)", "drop?"), 0);
	ck_assert_uint_eq(count_lines(captured_stderr()), 1);
	options.yes = false;
	options.dry_run = true;
	ck_assert_int_eq(confirm(&options, "vm1", "open by qemu (pid 7)", "drop?"), 0);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("confirm");
	TCase *tcase;

	tcase = add_tcase(suite, "in_use");
	tcase_add_test(tcase, test_open_file);
	tcase_add_test(tcase, test_locked_file);
	tcase = add_tcase(suite, "confirm");
	tcase_add_test(tcase, test_confirm_without_terminal);
	return run_suite(suite);
}
