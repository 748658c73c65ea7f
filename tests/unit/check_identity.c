// SPDX-License-Identifier: GPL-2.0-only
/*
 * Matching a block device to the volumes of a map (userspace/identity.c):
 * each identity form the registry saves, holes and image files never
 * matched, and the lines udev imports.
 */
#include "check_common.h"
#include "identity.h"
#include "test_maps.h"

static char *paths[] = { (char *)"/dev/vdb", (char *)"/dev/disk/by-id/virtio-m1",
			 (char *)"/dev/disk/by-path/pci-0000:00:05.0" };

static const struct volume_names names = {
	.uuid = "3f1c0000-0000-4000-8000-0000000000e2",
	.partuuid = "0fc63daf-0000-4000-8000-000000000001",
	.paths = paths,
	.nr_paths = 3,
};

START_TEST(test_forms)
{
	ck_assert(identity_matches("UUID=3f1c0000-0000-4000-8000-0000000000e2", &names));
	ck_assert(identity_matches("PARTUUID=0fc63daf-0000-4000-8000-000000000001", &names));
	ck_assert(identity_matches("/dev/disk/by-id/virtio-m1", &names));
	ck_assert(identity_matches("/dev/vdb", &names));
	ck_assert(!identity_matches("/dev/disk/by-id/virtio-m2", &names));
	ck_assert(!identity_matches("UUID=3f1c", &names));
	/* A tag never matches a path that happens to spell it, nor the other tag. */
	ck_assert(!identity_matches("PARTUUID=3f1c0000-0000-4000-8000-0000000000e2", &names));
	ck_assert(!identity_matches("/dev/disk/by-id", &names));
}
END_TEST

START_TEST(test_no_uuids)
{
	const struct volume_names bare = { .uuid = "", .partuuid = NULL, .paths = paths, .nr_paths = 1 };

	/* An empty UUID is no UUID: "UUID=" must not match a volume without one. */
	ck_assert(!identity_matches("UUID=", &bare));
	ck_assert(!identity_matches("PARTUUID=", &bare));
	ck_assert(identity_matches("/dev/vdb", &bare));
	ck_assert(!identity_matches("/dev/disk/by-id/virtio-m1", &bare));
}
END_TEST

/* vm1 with volumes a, hole, c: c saved by by-id path. */
static struct combined *map_with_hole(void)
{
	struct combined *combined = three_volume_map();

	free(combined->regions[2].identity);
	combined->regions[2].identity = strdup("/dev/disk/by-id/virtio-m1");
	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	return combined;
}

START_TEST(test_find)
{
	struct combined *combined = map_with_hole();
	const struct volume_names none = { .paths = paths + 2, .nr_paths = 1 };

	ck_assert_int_eq(identity_find(combined, &names), 2);
	ck_assert_int_eq(identity_find(combined, &none), -1);
	combined_free(combined);
}
END_TEST

START_TEST(test_image_files_never_match)
{
	struct combined *combined = map_with_hole();

	/* A loop device is made by the tool; its events must not assemble anything. */
	combined->regions[2].loop = true;
	ck_assert_int_eq(identity_find(combined, &names), -1);
	combined_free(combined);
}
END_TEST

START_TEST(test_export)
{
	struct combined *combined = map_with_hole();
	char text[256] = "";
	FILE *out = fmemopen(text, sizeof(text), "w");

	ck_assert_ptr_nonnull(out);
	identity_export(out, combined, 2);
	fclose(out);
	ck_assert_str_eq(text, "ID_DMCOMBINE_MEMBER=1\nDMCOMBINE_NAME=vm1\nDMCOMBINE_VOLUME=c\n");
	combined_free(combined);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("identity");
	TCase *tcase;

	tcase = add_tcase(suite, "identity_forms");
	tcase_add_test(tcase, test_forms);
	tcase_add_test(tcase, test_no_uuids);
	tcase = add_tcase(suite, "find_volume");
	tcase_add_test(tcase, test_find);
	tcase_add_test(tcase, test_image_files_never_match);
	tcase = add_tcase(suite, "udev_export");
	tcase_add_test(tcase, test_export);
	return run_suite(suite);
}
