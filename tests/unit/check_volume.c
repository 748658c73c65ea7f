// SPDX-License-Identifier: GPL-2.0-only
/* NAME/ID grammar and VOLUME argument parsing (userspace/volume.c). */
#include <errno.h>

#include "check_common.h"
#include "log.h"
#include "volume.h"

START_TEST(test_names_valid)
{
	ck_assert(name_is_valid("vm1"));
	ck_assert(name_is_valid("A"));
	ck_assert(name_is_valid("data-1.img_x+y"));
	/* 64 characters is the longest name. */
	ck_assert(name_is_valid("a123456789012345678901234567890123456789012345678901234567890123"));
}
END_TEST

START_TEST(test_names_invalid)
{
	ck_assert(!name_is_valid(""));
	ck_assert(!name_is_valid("-vm"));
	ck_assert(!name_is_valid(".hidden"));
	ck_assert(!name_is_valid(".."));
	ck_assert(!name_is_valid("a/b"));
	ck_assert(!name_is_valid("a b"));
	ck_assert(!name_is_valid("a\nb"));
	ck_assert(!name_is_valid("a;rm"));
	ck_assert(!name_is_valid("caf\xc3\xa9"));
	ck_assert(!name_is_valid("a1234567890123456789012345678901234567890123456789012345678901234"));
}
END_TEST

START_TEST(test_spec_plain_path)
{
	struct volume_spec spec;

	ck_assert_int_eq(volume_spec_parse("/dev/sdb", &spec), 0);
	ck_assert_str_eq(spec.id, "");
	ck_assert_str_eq(spec.source, "/dev/sdb");
	ck_assert(!spec.is_tag);
}
END_TEST

START_TEST(test_spec_with_id)
{
	struct volume_spec spec;

	ck_assert_int_eq(volume_spec_parse("data=/dev/vg/lv", &spec), 0);
	ck_assert_str_eq(spec.id, "data");
	ck_assert_str_eq(spec.source, "/dev/vg/lv");
	/* A '=' after a '/' belongs to the path. */
	ck_assert_int_eq(volume_spec_parse("/srv/a=b.img", &spec), 0);
	ck_assert_str_eq(spec.id, "");
	ck_assert_str_eq(spec.source, "/srv/a=b.img");
	ck_assert_int_eq(volume_spec_parse("x=/srv/a=b.img", &spec), 0);
	ck_assert_str_eq(spec.id, "x");
	ck_assert_str_eq(spec.source, "/srv/a=b.img");
}
END_TEST

START_TEST(test_spec_tags)
{
	const char *const tags[] = {
		"UUID=1234-abcd", "LABEL=data", "PARTUUID=0f-01", "PARTLABEL=root disk",
	};
	struct volume_spec spec;
	size_t i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		ck_assert_int_eq(volume_spec_parse(tags[i], &spec), 0);
		ck_assert_str_eq(spec.id, "");
		ck_assert_str_eq(spec.source, tags[i]);
		ck_assert(spec.is_tag);
	}
	ck_assert_int_eq(volume_spec_parse("d1=LABEL=data", &spec), 0);
	ck_assert_str_eq(spec.id, "d1");
	ck_assert_str_eq(spec.source, "LABEL=data");
	ck_assert(spec.is_tag);
}
END_TEST

START_TEST(test_spec_tag_words_are_not_ids)
{
	struct volume_spec spec;

	capture_stderr();
	ck_assert_int_eq(volume_spec_parse("uuid=/dev/sdb", &spec), -EINVAL);
	ck_assert_int_eq(volume_spec_parse("Label=/dev/sdb", &spec), -EINVAL);
	ck_assert_int_eq(volume_spec_parse("UUID=", &spec), -EINVAL);
	ck_assert_int_eq(volume_spec_parse("x=PARTLABEL=", &spec), -EINVAL);
	ck_assert_uint_eq(count_lines(captured_stderr()), 4);
}
END_TEST

START_TEST(test_spec_bad_ids)
{
	struct volume_spec spec;

	capture_stderr();
	ck_assert_int_eq(volume_spec_parse("=/dev/sdb", &spec), -EINVAL);
	ck_assert_int_eq(volume_spec_parse("-x=/dev/sdb", &spec), -EINVAL);
	ck_assert_int_eq(volume_spec_parse("..=/dev/sdb", &spec), -EINVAL);
	ck_assert_int_eq(volume_spec_parse("a;b=/dev/sdb", &spec), -EINVAL);
	ck_assert_int_eq(volume_spec_parse("$(reboot)=/dev/sdb", &spec), -EINVAL);
	ck_assert_int_eq(volume_spec_parse("id=", &spec), -EINVAL);
	ck_assert_uint_eq(count_lines(captured_stderr()), 6);
}
END_TEST

START_TEST(test_spec_hostile_sources)
{
	const char *const hostile[] = {
		"/dev/sdb\n/dev/sdc", "/dev/sd\tb", "/dev/\x1b[2Jsdb", "/dev/\xff\xfe",
		"/dev/\xc0\xaf", "/dev/\xed\xa0\x80", "x=/dev/sdb\r",
	};
	struct volume_spec spec;
	const char *errors;
	size_t i;

	capture_stderr();
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		ck_assert_int_eq(volume_spec_parse(hostile[i], &spec), -EINVAL);
	errors = captured_stderr();
	/* One line each: the newline and escape of the arguments are escaped. */
	ck_assert_uint_eq(count_lines(errors), sizeof(hostile) / sizeof(hostile[0]));
	ck_assert_ptr_null(strchr(errors, '\x1b'));
	ck_assert_ptr_nonnull(strstr(errors, "/dev/sdb\\x0a/dev/sdc"));
}
END_TEST

START_TEST(test_spec_long_source)
{
	static char source[10001];
	struct volume_spec spec;

	memset(source, 'a', sizeof(source) - 1);
	source[0] = '/';
	capture_stderr();
	ck_assert_int_eq(volume_spec_parse(source, &spec), -EINVAL);
	ck_assert_uint_eq(count_lines(captured_stderr()), 1);
	source[SOURCE_MAX_LEN] = '\0';
	ck_assert_int_eq(volume_spec_parse(source, &spec), 0);
}
END_TEST

START_TEST(test_spec_shell_characters_kept)
{
	struct volume_spec spec;

	/* Never passed to a shell: such paths are plain paths. */
	ck_assert_int_eq(volume_spec_parse("/srv/$(x);`y`|z&.img", &spec), 0);
	ck_assert_str_eq(spec.source, "/srv/$(x);`y`|z&.img");
	ck_assert_int_eq(volume_spec_parse("/srv/../srv/caf\xc3\xa9.img", &spec), 0);
}
END_TEST

START_TEST(test_default_id)
{
	struct volume_spec spec;
	char id[NAME_MAX_LEN + 1];

	ck_assert_int_eq(volume_spec_parse("/srv/images/disk1.img", &spec), 0);
	ck_assert_int_eq(volume_default_id(&spec, NULL, id), 0);
	ck_assert_str_eq(id, "disk1.img");
	ck_assert_int_eq(volume_default_id(&spec, "", id), 0);
	ck_assert_str_eq(id, "disk1.img");
	ck_assert_int_eq(volume_default_id(&spec, "data", id), 0);
	ck_assert_str_eq(id, "data");
	ck_assert_int_eq(volume_spec_parse("PARTLABEL=web1", &spec), 0);
	ck_assert_int_eq(volume_default_id(&spec, NULL, id), 0);
	ck_assert_str_eq(id, "web1");
}
END_TEST

START_TEST(test_default_id_refused)
{
	struct volume_spec spec;
	char id[NAME_MAX_LEN + 1];
	const char *errors;

	ck_assert_int_eq(volume_spec_parse("/dev/sdb", &spec), 0);
	capture_stderr();
	ck_assert_int_eq(volume_default_id(&spec, "my data", id), -EINVAL);
	ck_assert_int_eq(volume_default_id(&spec, "evil\nline", id), -EINVAL);
	errors = captured_stderr();
	ck_assert_uint_eq(count_lines(errors), 2);
	ck_assert_ptr_nonnull(strstr(errors, "ID=/dev/sdb"));
	ck_assert_int_eq(volume_spec_parse("PARTLABEL=my disk", &spec), 0);
	capture_stderr();
	ck_assert_int_eq(volume_default_id(&spec, NULL, id), -EINVAL);
	ck_assert_uint_eq(count_lines(captured_stderr()), 1);
}
END_TEST

START_TEST(test_messages_escaped)
{
	char line[64];

	log_escape(line, sizeof(line), "a\nb\x1b[2J");
	ck_assert_str_eq(line, "a\\x0ab\\x1b[2J");
	/* Valid UTF-8 stays; invalid bytes and overlong forms are escaped. */
	log_escape(line, sizeof(line), "caf\xc3\xa9 \xff\xfe \xc0\xaf");
	ck_assert_str_eq(line, "caf\xc3\xa9 \\xff\\xfe \\xc0\\xaf");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("volume");
	TCase *tcase;

	tcase = add_tcase(suite, "names");
	tcase_add_test(tcase, test_names_valid);
	tcase_add_test(tcase, test_names_invalid);
	tcase = add_tcase(suite, "spec_forms");
	tcase_add_test(tcase, test_spec_plain_path);
	tcase_add_test(tcase, test_spec_with_id);
	tcase_add_test(tcase, test_spec_tags);
	tcase_add_test(tcase, test_spec_shell_characters_kept);
	tcase = add_tcase(suite, "spec_refusals");
	tcase_add_test(tcase, test_spec_tag_words_are_not_ids);
	tcase_add_test(tcase, test_spec_bad_ids);
	tcase = add_tcase(suite, "spec_hostile");
	tcase_add_test(tcase, test_spec_hostile_sources);
	tcase_add_test(tcase, test_spec_long_source);
	tcase = add_tcase(suite, "default_id");
	tcase_add_test(tcase, test_default_id);
	tcase_add_test(tcase, test_default_id_refused);
	tcase = add_tcase(suite, "messages");
	tcase_add_test(tcase, test_messages_escaped);
	return run_suite(suite);
}
