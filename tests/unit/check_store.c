// SPDX-License-Identifier: GPL-2.0-only
/*
 * Registry files (userspace/store.c) in a temporary directory: atomic save
 * and load, listing, deletion, and refusal of symlinks, unsafe directories
 * and corrupt files. No root needed.
 */
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>

#include "check_common.h"
#include "registry.h"
#include "store.h"
#include "test_maps.h"

static char dir[] = "/tmp/check_store.XXXXXX";

static void make_dir(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* Fixture teardown: the test's directory goes, whatever it left in it. */
static void remove_dir(void)
{
	if (strcmp(dir + strlen(dir) - 6, "XXXXXX"))
		nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *name, const char *text)
{
	char path[256];
	FILE *file;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	file = fopen(path, "w");
	ck_assert_ptr_nonnull(file);
	fputs(text, file);
	fclose(file);
}

START_TEST(test_save_load)
{
	struct combined *combined = three_volume_map(), *loaded = NULL;
	char path[256];
	struct stat st;

	make_dir();
	ck_assert(!store_exists(dir, "vm1"));
	ck_assert_int_eq(store_save(dir, combined), 0);
	ck_assert(store_exists(dir, "vm1"));
	ck_assert_int_eq(store_load(dir, "vm1", &loaded), 0);
	ck_assert_uint_eq(loaded->nr_regions, 3);
	ck_assert_str_eq(loaded->regions[2].id, "c");
	snprintf(path, sizeof(path), "%s/vm1.json", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	/* Saving again replaces the file. */
	ck_assert_int_eq(combined_drop(combined, "a"), 0);
	ck_assert_int_eq(store_save(dir, combined), 0);
	combined_free(loaded);
	ck_assert_int_eq(store_load(dir, "vm1", &loaded), 0);
	ck_assert(loaded->regions[0].hole);
	/* Each save is the next generation: the first is 1. */
	ck_assert_uint_eq(loaded->generation, 2);
	combined_free(loaded);
	/* The shared mark alone keeps the generation (a running device stays current). */
	combined->shared = true;
	ck_assert_int_eq(store_save_mark(dir, combined), 0);
	ck_assert_int_eq(store_load(dir, "vm1", &loaded), 0);
	ck_assert(loaded->shared);
	ck_assert_uint_eq(loaded->generation, 2);
	combined_free(loaded);
	combined_free(combined);
}
END_TEST

START_TEST(test_creates_private_dir)
{
	struct combined *combined = three_volume_map();
	char sub[256];
	struct stat st;

	make_dir();
	snprintf(sub, sizeof(sub), "%s/config", dir);
	ck_assert_int_eq(store_save(sub, combined), 0);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0700);
	combined_free(combined);
}
END_TEST

START_TEST(test_list_and_delete)
{
	struct combined *combined = three_volume_map();
	size_t count;
	char **names;

	make_dir();
	ck_assert_int_eq(store_save(dir, combined), 0);
	snprintf(combined->name, sizeof(combined->name), "db");
	ck_assert_int_eq(store_save(dir, combined), 0);
	/* Temporary files, other files and invalid names are not devices. */
	write_file(".vm2.json.0123456789abcdef", "{}");
	write_file("notes.txt", "x");
	write_file("-x.json", "{}");
	ck_assert_int_eq(store_list(dir, &names, &count), 0);
	ck_assert_uint_eq(count, 2);
	ck_assert_str_eq(names[0], "db");
	ck_assert_str_eq(names[1], "vm1");
	store_list_free(names, count);
	ck_assert_int_eq(store_delete(dir, "db"), 0);
	ck_assert(!store_exists(dir, "db"));
	ck_assert_int_eq(store_list("/nonexistent/dmcombine", &names, &count), 0);
	ck_assert_uint_eq(count, 0);
	combined_free(combined);
}
END_TEST

/* The pending map of an add or drop: beside the map, never listed, committed over it. */
START_TEST(test_pending)
{
	struct combined *combined = three_volume_map(), *loaded = NULL;
	char **names;
	size_t count;

	make_dir();
	ck_assert_int_eq(store_save(dir, combined), 0);
	ck_assert_int_eq(store_load_pending(dir, "vm1", &loaded), -ENOENT);
	ck_assert_int_eq(combined_drop(combined, "a"), 0);
	ck_assert_int_eq(store_save_pending(dir, combined), 0);
	ck_assert_int_eq(store_list(dir, &names, &count), 0);
	ck_assert_uint_eq(count, 1);
	store_list_free(names, count);
	/* The map is still the old one until the commit. */
	ck_assert_int_eq(store_load(dir, "vm1", &loaded), 0);
	ck_assert(!loaded->regions[0].hole);
	combined_free(loaded);
	ck_assert_int_eq(store_load_pending(dir, "vm1", &loaded), 0);
	ck_assert(loaded->regions[0].hole);
	combined_free(loaded);
	ck_assert_int_eq(store_commit_pending(dir, "vm1"), 0);
	ck_assert_int_eq(store_load(dir, "vm1", &loaded), 0);
	ck_assert(loaded->regions[0].hole);
	combined_free(loaded);
	ck_assert_int_eq(store_commit_pending(dir, "vm1"), -ENOENT);
	ck_assert_int_eq(store_discard_pending(dir, "vm1"), 0);
	/* Discarded, and deleted with its map. */
	ck_assert_int_eq(store_save_pending(dir, combined), 0);
	ck_assert_int_eq(store_discard_pending(dir, "vm1"), 0);
	ck_assert_int_eq(store_load_pending(dir, "vm1", &loaded), -ENOENT);
	ck_assert_int_eq(store_save_pending(dir, combined), 0);
	ck_assert_int_eq(store_delete(dir, "vm1"), 0);
	ck_assert_int_eq(store_load_pending(dir, "vm1", &loaded), -ENOENT);
	combined_free(combined);
}
END_TEST

/* Saved exports beside the map: atomic save, load, not a map, gone with the map. */
START_TEST(test_exports)
{
	struct combined *combined = three_volume_map();
	char path[256], *text;
	struct stat st;
	size_t len, count;
	char **names;

	make_dir();
	ck_assert_int_eq(store_save(dir, combined), 0);
	ck_assert_int_eq(store_load_exports(dir, "vm1", &text, &len), -ENOENT);
	ck_assert_int_eq(store_delete_exports(dir, "vm1"), 0);
	ck_assert_int_eq(store_save_exports(dir, "vm1", "{\"format\": 1}"), 0);
	snprintf(path, sizeof(path), "%s/vm1.exports", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(store_load_exports(dir, "vm1", &text, &len), 0);
	ck_assert_str_eq(text, "{\"format\": 1}");
	ck_assert_uint_eq(len, strlen(text));
	free(text);
	ck_assert_int_eq(store_list(dir, &names, &count), 0);
	ck_assert_uint_eq(count, 1);
	store_list_free(names, count);
	ck_assert_int_eq(store_delete(dir, "vm1"), 0);
	ck_assert_int_ne(lstat(path, &st), 0);
	ck_assert_int_eq(store_save_exports(dir, "vm1", "{}"), 0);
	ck_assert_int_eq(store_delete_exports(dir, "vm1"), 0);
	ck_assert_int_ne(lstat(path, &st), 0);
	combined_free(combined);
}
END_TEST

START_TEST(test_refuse_symlinks)
{
	struct combined *combined = three_volume_map(), *loaded = NULL;
	char link_path[256], target[256];

	make_dir();
	ck_assert_int_eq(store_save(dir, combined), 0);
	snprintf(target, sizeof(target), "%s/vm1.json", dir);
	snprintf(link_path, sizeof(link_path), "%s/other.json", dir);
	ck_assert_int_eq(symlink(target, link_path), 0);
	capture_stderr();
	ck_assert_int_eq(store_load(dir, "other", &loaded), -ELOOP);
	snprintf(link_path, sizeof(link_path), "%s/link", dir);
	ck_assert_int_eq(symlink(dir, link_path), 0);
	ck_assert_int_eq(store_load(link_path, "vm1", &loaded), -ELOOP);
	ck_assert_int_eq(store_save(link_path, combined), -ELOOP);
	ck_assert_uint_eq(count_lines(captured_stderr()), 3);
	combined_free(combined);
}
END_TEST

START_TEST(test_refuse_unsafe_dir)
{
	struct combined *combined = three_volume_map();

	make_dir();
	ck_assert_int_eq(chmod(dir, 0777), 0);
	capture_stderr();
	ck_assert_int_eq(store_save(dir, combined), -EPERM);
	ck_assert_ptr_nonnull(strstr(captured_stderr(), "writable by others"));
	combined_free(combined);
}
END_TEST

START_TEST(test_refuse_corrupt)
{
	struct combined *combined = three_volume_map(), *loaded = NULL;
	const char *errors;
	char *text;

	make_dir();
	write_file("bad.json", "{\"format\": 1");
	write_file("empty.json", "");
	/* A valid map under another device's name. */
	text = registry_format(combined);
	write_file("renamed.json", text);
	free(text);
	capture_stderr();
	/*
	 * Each failure leaves NULL, which combined_free takes: callers that
	 * free on every path (move_report, watch's sample_read) freed the
	 * renamed map twice, or a pointer never set.
	 */
	loaded = combined;
	ck_assert_int_eq(store_load(dir, "bad", &loaded), -EINVAL);
	ck_assert_ptr_null(loaded);
	loaded = combined;
	ck_assert_int_eq(store_load(dir, "empty", &loaded), -EINVAL);
	ck_assert_ptr_null(loaded);
	ck_assert_int_eq(store_load(dir, "renamed", &loaded), -EINVAL);
	ck_assert_ptr_null(loaded);
	loaded = combined;
	ck_assert_int_eq(store_load(dir, "missing", &loaded), -ENOENT);
	ck_assert_ptr_null(loaded);
	errors = captured_stderr();
	ck_assert_uint_eq(count_lines(errors), 4);
	ck_assert_ptr_nonnull(strstr(errors, "bad.json: corrupt: truncated JSON"));
	ck_assert_ptr_nonnull(strstr(errors, "missing: no such combined device"));
	combined_free(combined);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("store");
	TCase *tcase;

	tcase = add_tcase(suite, "save_load");
	tcase_add_checked_fixture(tcase, NULL, remove_dir);
	tcase_add_test(tcase, test_save_load);
	tcase_add_test(tcase, test_creates_private_dir);
	tcase = add_tcase(suite, "list_delete");
	tcase_add_checked_fixture(tcase, NULL, remove_dir);
	tcase_add_test(tcase, test_list_and_delete);
	tcase_add_test(tcase, test_pending);
	tcase_add_test(tcase, test_exports);
	tcase = add_tcase(suite, "refusals");
	tcase_add_checked_fixture(tcase, NULL, remove_dir);
	tcase_add_test(tcase, test_refuse_symlinks);
	tcase_add_test(tcase, test_refuse_unsafe_dir);
	tcase_add_test(tcase, test_refuse_corrupt);
	return run_suite(suite);
}
