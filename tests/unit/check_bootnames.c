// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the host names at boot (userspace/bootnames.c): fstab's first
 * fields and root=, mount.usr=, resume= of the kernel command line, as
 * UUID=, LABEL=, PARTUUID=, PARTLABEL=, their by-* links or a path; other
 * words, comments and other volumes' names are not the volume's.
 */
#include <limits.h>

#include "bootnames.h"
#include "check_common.h"

static const struct probe_result probe = {
	.uuid = "0f3b6a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
	.label = "srv",
	.partuuid = "6c1e2f3a-01",
	.partlabel = "data",
};
static const char *const paths[] = { "/dev/vdb", "/dev/disk/by-id/virtio-data", NULL };

static bool names(const char *spec)
{
	return boot_spec_names(spec, &probe, paths);
}

START_TEST(test_spec_forms)
{
	ck_assert(names("UUID=0f3b6a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"));
	ck_assert(names("UUID=0F3B6A5E-1C2D-4E5F-8A9B-0C1D2E3F4A5B"));
	ck_assert(names("LABEL=srv"));
	ck_assert(!names("LABEL=SRV"));
	ck_assert(names("PARTUUID=6c1e2f3a-01"));
	ck_assert(names("PARTLABEL=data"));
	ck_assert(names("/dev/disk/by-uuid/0f3b6a5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"));
	ck_assert(names("/dev/disk/by-label/srv"));
	ck_assert(names("/dev/vdb"));
	ck_assert(names("/dev/disk/by-id/virtio-data"));
	ck_assert(!names("UUID=0f3b6a5e"));
	ck_assert(!names("LABEL="));
	ck_assert(!names("/dev/vdc"));
	ck_assert(!names("tmpfs"));
}
END_TEST

START_TEST(test_empty_values_name_nothing)
{
	const struct probe_result none = { .type = "swap" };

	ck_assert(!boot_spec_names("LABEL=", &none, paths));
	ck_assert(!boot_spec_names("UUID=", &none, paths));
}
END_TEST

static bool volume_named(const char *fstab_text, const char *cmdline, char *spec)
{
	FILE *fstab = NULL;
	bool named;

	if (fstab_text) {
		fstab = fmemopen((void *)fstab_text, strlen(fstab_text), "r");
		ck_assert_ptr_nonnull(fstab);
	}
	named = boot_names_volume(fstab, cmdline, &probe, paths, spec, PATH_MAX);
	if (fstab)
		fclose(fstab);
	return named;
}

START_TEST(test_fstab_and_cmdline)
{
	char spec[PATH_MAX];

	ck_assert(volume_named("# LABEL=srv /srv ext4 defaults 0 2\n"
			       "UUID=1111 / ext4 defaults 0 1\n"
			       "  LABEL=srv\t/srv ext4 defaults 0 2\n", NULL, spec));
	ck_assert_str_eq(spec, "LABEL=srv");
	ck_assert(!volume_named("# LABEL=srv /srv ext4 defaults 0 2\nproc /proc proc defaults 0 0\n",
				"BOOT_IMAGE=/vmlinuz ro quiet", spec));
	ck_assert(volume_named(NULL, "BOOT_IMAGE=/vmlinuz root=PARTUUID=6c1e2f3a-01 ro\n", spec));
	ck_assert_str_eq(spec, "root=PARTUUID=6c1e2f3a-01");
	ck_assert(volume_named("", "quiet mount.usr=/dev/vdb", spec));
	ck_assert_str_eq(spec, "mount.usr=/dev/vdb");
	ck_assert(!volume_named("", "rootfstype=ext4 noresume=LABEL=srv", spec));
	ck_assert(!volume_named(NULL, NULL, spec));
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("bootnames");
	TCase *tcase = add_tcase(suite, "boot_spec_names");

	tcase_add_test(tcase, test_spec_forms);
	tcase_add_test(tcase, test_empty_values_name_nothing);
	tcase = add_tcase(suite, "boot_names_volume");
	tcase_add_test(tcase, test_fstab_and_cmdline);
	return run_suite(suite);
}
