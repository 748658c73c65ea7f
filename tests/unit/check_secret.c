// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading the CHAP secret (userspace/secret.c): only the first line of a
 * regular file of this user's alone; a symbolic link, a FIFO, a file group
 * or others may read or write, one of another user (when run as root), an
 * empty or too long line are refused with the reason, and the buffer is
 * wiped whenever the file is refused. No root needed.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "check_common.h"
#include "secret.h"

static char dir[] = "/tmp/check_secret.XXXXXX";
static char file[256], link_path[256];

/*
 * One directory for all the tests, made and removed by the runner itself
 * (an unchecked fixture): a failed check ends its forked test at once,
 * without the test's checked teardown, so only the runner's teardown
 * removes the directory on every path.
 */
static void make_dir(void)
{
	if (!mkdtemp(dir)) {
		perror(dir);
		exit(EXIT_FAILURE);
	}
	snprintf(file, sizeof(file), "%s/secret", dir);
	snprintf(link_path, sizeof(link_path), "%s/link", dir);
}

/* What a test may leave there, a failed one included: the file, a link to it. */
static void empty_dir(void)
{
	unlink(file);
	unlink(link_path);
}

static void remove_dir(void)
{
	empty_dir();
	rmdir(dir);
}

static void write_secret(const char *text, mode_t mode)
{
	FILE *f = fopen(file, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(file, mode), 0);
}

static bool wiped(const char *buf, size_t size)
{
	while (size--)
		if (buf[size])
			return false;
	return true;
}

/* secret_read of path fails with err, one line naming why, the buffer wiped. */
static void refused(const char *path, int err, const char *why)
{
	char secret[16];
	const char *out;
	int r;

	memset(secret, 'x', sizeof(secret));
	capture_stderr();
	r = secret_read(path, secret, sizeof(secret), 8);
	out = captured_stderr();
	ck_assert_int_eq(r, err);
	ck_assert_uint_eq(count_lines(out), 1);
	ck_assert_msg(strstr(out, why), "\"%s\" not in: %s", why, out);
	ck_assert(wiped(secret, sizeof(secret)));
}

START_TEST(test_first_line)
{
	char secret[16];

	memset(secret, 'x', sizeof(secret));
	write_secret("s3cret\nsecond line\n", 0600);
	ck_assert_int_eq(secret_read(file, secret, sizeof(secret), 8), 0);
	ck_assert_str_eq(secret, "s3cret");
	/* Nothing of the second line stays behind the first. */
	ck_assert(wiped(secret + 6, sizeof(secret) - 6));
	write_secret("12345678", 0400);
	ck_assert_int_eq(secret_read(file, secret, sizeof(secret), 8), 0);
	ck_assert_str_eq(secret, "12345678");
}
END_TEST

/* Files refused for their mode or their first line. */
static const struct refused_file {
	const char *text;
	mode_t mode;
	int err;
	const char *why;
} refused_files[] = {
	{ "s3cret\n", 0640, -EPERM, "mode 0640" },
	{ "s3cret\n", 0604, -EPERM, "mode 0604" },
	{ "s3cret\n", 0620, -EPERM, "mode 0620" },
	{ "\nsecond\n", 0600, -EINVAL, "1 to 8 bytes" },
	{ "", 0600, -EINVAL, "1 to 8 bytes" },
	{ "123456789\n", 0600, -EINVAL, "1 to 8 bytes" },
	{ "12345678901234567890", 0600, -EINVAL, "1 to 8 bytes" },
};

START_TEST(test_file_refused)
{
	const struct refused_file *test = &refused_files[_i];

	write_secret(test->text, test->mode);
	refused(file, test->err, test->why);
}
END_TEST

START_TEST(test_link_refused)
{
	write_secret("s3cret\n", 0600);
	ck_assert_int_eq(symlink(file, link_path), 0);
	refused(link_path, -ELOOP, "symbolic link");
}
END_TEST

START_TEST(test_not_regular_refused)
{
	ck_assert_int_eq(mkfifo(file, 0600), 0);
	refused(file, -EPERM, "not a regular file");
	refused(dir, -EPERM, "not a regular file");
}
END_TEST

START_TEST(test_other_owner_refused)
{
	if (geteuid())
		return;		/* only root can give a file away */
	write_secret("s3cret\n", 0600);
	ck_assert_int_eq(chown(file, 65534, 65534), 0);
	refused(file, -EPERM, "owned by uid 65534");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("secret");
	TCase *tcase = add_tcase(suite, "secret_read");

	tcase_add_unchecked_fixture(tcase, make_dir, remove_dir);
	tcase_add_checked_fixture(tcase, empty_dir, NULL);
	tcase_add_test(tcase, test_first_line);
	tcase_add_loop_test(tcase, test_file_refused, 0,
			    sizeof(refused_files) / sizeof(refused_files[0]));
	tcase_add_test(tcase, test_link_refused);
	tcase_add_test(tcase, test_not_regular_refused);
	tcase_add_test(tcase, test_other_owner_refused);
	return run_suite(suite);
}
