// SPDX-License-Identifier: GPL-2.0-only
/*
 * The undo list (userspace/undo.c): steps taken back newest first, with
 * the list's own copy of their argument; forget takes nothing back.
 */
#include "check_common.h"
#include "undo.h"

static char trail[256];

static int record(void *context, const char *arg)
{
	strncat(trail, context ? (const char *)context : arg, sizeof(trail) - strlen(trail) - 1);
	return 0;
}

START_TEST(test_run_reverses)
{
	struct undo undo = UNDO_INIT;
	char arg[8];
	int i;

	trail[0] = '\0';
	for (i = 0; i < 20; i++) {
		snprintf(arg, sizeof(arg), "%c", 'a' + i);
		ck_assert_int_eq(undo_push(&undo, record, NULL, arg), 0);
		arg[0] = '?';	/* the list keeps its own copy */
	}
	ck_assert_int_eq(undo_push(&undo, record, (void *)"!", NULL), 0);
	undo_run(&undo);
	ck_assert_str_eq(trail, "!tsrqponmlkjihgfedcba");
	ck_assert_uint_eq(undo.count, 0);
	undo_run(&undo);
	ck_assert_str_eq(trail, "!tsrqponmlkjihgfedcba");
}
END_TEST

START_TEST(test_forget_keeps)
{
	struct undo undo = UNDO_INIT;

	trail[0] = '\0';
	ck_assert_int_eq(undo_push(&undo, record, NULL, "a"), 0);
	ck_assert_int_eq(undo_push(&undo, record, NULL, "b"), 0);
	undo_forget(&undo);
	undo_run(&undo);
	ck_assert_str_eq(trail, "");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("undo");
	TCase *tcase = add_tcase(suite, "undo");

	tcase_add_test(tcase, test_run_reverses);
	tcase_add_test(tcase, test_forget_keeps);
	return run_suite(suite);
}
