/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the unit test binaries: TCases with names and timeouts, a
 * standard main, and capture of stderr so tests can count the lines the
 * tool prints on failure (exactly one).
 */
#ifndef DMCOMBINE_CHECK_COMMON_H
#define DMCOMBINE_CHECK_COMMON_H

#include <check.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Every test is pure computation: anything slower is a hang. */
#define TEST_TIMEOUT_SECONDS 10

static inline TCase *add_tcase(Suite *suite, const char *name)
{
	TCase *tcase = tcase_create(name);

	tcase_set_timeout(tcase, TEST_TIMEOUT_SECONDS);
	suite_add_tcase(suite, tcase);
	return tcase;
}

static inline int run_suite(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* stderr goes to a temporary file until captured_stderr() reads it back. */
static FILE *capture_file;
static int saved_stderr = -1;

static inline void capture_stderr(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	ck_assert_ptr_nonnull(capture_file);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(capture_file), STDERR_FILENO);
}

/* The captured text (static buffer; cut at its size), stderr restored. */
static inline const char *captured_stderr(void)
{
	static char text[65536];
	size_t len;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	rewind(capture_file);
	len = fread(text, 1, sizeof(text) - 1, capture_file);
	text[len] = '\0';
	fclose(capture_file);
	return text;
}

static inline size_t count_lines(const char *text)
{
	size_t lines = 0;

	for (; *text; text++)
		lines += *text == '\n';
	return lines;
}

/*
 * A child process that takes something with hold(arg) (true when it holds
 * it: an open file, a lock) and keeps it until child_end(); returns once
 * the child holds it.
 */
static inline pid_t child_holding(bool (*hold)(const void *arg), const void *arg)
{
	int ready[2];
	pid_t pid;
	char held;

	ck_assert_int_eq(pipe(ready), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		held = hold(arg) ? 'y' : 'n';
		if (write(ready[1], &held, 1) != 1 || held != 'y')
			_exit(1);
		pause();
		_exit(0);
	}
	close(ready[1]);
	ck_assert_int_eq(read(ready[0], &held, 1), 1);
	ck_assert_int_eq(held, 'y');
	close(ready[0]);
	return pid;
}

static inline void child_end(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

#endif
