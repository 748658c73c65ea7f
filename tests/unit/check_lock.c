// SPDX-License-Identifier: GPL-2.0-only
/*
 * The global lock (userspace/lock.c) in a temporary directory: a directory
 * or lock file that is not this user's alone, or a symbolic link, is
 * refused; a held lock makes a waiter give up after its wait and name the
 * holder; shared holders share. No root needed.
 */
#include <errno.h>
#include <sys/stat.h>
#include <time.h>

#include "check_common.h"
#include "lock.h"

static char base[] = "/tmp/check_lock.XXXXXX";
static char dir[256], file[300];

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(base));
	snprintf(dir, sizeof(dir), "%s/run", base);
	snprintf(file, sizeof(file), "%s/" LOCK_FILE, dir);
}

static void teardown(void)
{
	unlink(file);
	unlink(dir);
	rmdir(dir);
	unlink(base);
	rmdir(base);
	snprintf(base, sizeof(base), "/tmp/check_lock.XXXXXX");
}

/* lock_take fails with err and one line on stderr that contains text. */
static void refused(int how, unsigned int wait, int err, const char *text)
{
	const char *out;
	int r;

	capture_stderr();
	r = lock_take(dir, how, wait);
	out = captured_stderr();
	ck_assert_int_eq(r, err);
	ck_assert_uint_eq(count_lines(out), 1);
	ck_assert_msg(strstr(out, text), "\"%s\" not in: %s", text, out);
}

START_TEST(test_made_private)
{
	struct stat st;
	int fd = lock_take(dir, LOCK_EX, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	lock_release(fd);
}
END_TEST

START_TEST(test_open_directory_refused)
{
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	refused(LOCK_EX, 0, -EPERM, "mode 0755");
}
END_TEST

START_TEST(test_directory_link_refused)
{
	ck_assert_int_eq(symlink(base, dir), 0);
	refused(LOCK_EX, 0, -ELOOP, "symbolic link");
}
END_TEST

START_TEST(test_file_link_refused)
{
	char target[300];

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(target, sizeof(target), "%s/planted", base);
	ck_assert_int_eq(symlink(target, file), 0);
	refused(LOCK_EX, 0, -ELOOP, "symbolic link");
	ck_assert_int_eq(access(target, F_OK), -1);
}
END_TEST

START_TEST(test_file_not_regular_refused)
{
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(mkfifo(file, 0600), 0);
	refused(LOCK_EX, 0, -EPERM, "not a regular file");
}
END_TEST

static bool take_lock(const void *how)
{
	return lock_take(dir, *(const int *)how, 0) >= 0;
}

/* A child holds the lock with how until killed; returns its pid. */
static pid_t holder(int how)
{
	return child_holding(take_lock, &how);
}

START_TEST(test_wait_bounded)
{
	struct timespec start, end;
	pid_t pid = holder(LOCK_EX);
	char text[64];
	double waited;

	snprintf(text, sizeof(text), "held by pid %d (", (int)pid);
	clock_gettime(CLOCK_MONOTONIC, &start);
	refused(LOCK_SH, 1, -ETIMEDOUT, text);
	clock_gettime(CLOCK_MONOTONIC, &end);
	waited = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
	ck_assert_msg(waited > 0.5 && waited < 3, "waited %.2f s for a 1 s wait", waited);
	refused(LOCK_EX, 0, -ETIMEDOUT, "gave up after 0 s");
	child_end(pid);
}
END_TEST

START_TEST(test_taken_when_freed)
{
	pid_t pid = holder(LOCK_EX);
	int fd;

	child_end(pid);
	fd = lock_take(dir, LOCK_EX, 1);
	ck_assert_int_ge(fd, 0);
	lock_release(fd);
}
END_TEST

START_TEST(test_shared_shares)
{
	pid_t pid = holder(LOCK_SH);
	int fd = lock_take(dir, LOCK_SH, 0);

	ck_assert_int_ge(fd, 0);
	lock_release(fd);
	child_end(pid);
}
END_TEST

static Suite *lock_suite(void)
{
	Suite *suite = suite_create("lock");
	struct {
		const char *name;
		const TTest *test;
	} cases[] = {
		{ "made private", test_made_private },
		{ "open directory refused", test_open_directory_refused },
		{ "directory link refused", test_directory_link_refused },
		{ "file link refused", test_file_link_refused },
		{ "file not regular refused", test_file_not_regular_refused },
		{ "wait bounded", test_wait_bounded },
		{ "taken when freed", test_taken_when_freed },
		{ "shared shares", test_shared_shares },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tcase = add_tcase(suite, cases[i].name);

		tcase_add_checked_fixture(tcase, setup, teardown);
		tcase_add_test(tcase, cases[i].test);
	}
	return suite;
}

int main(void)
{
	return run_suite(lock_suite());
}
