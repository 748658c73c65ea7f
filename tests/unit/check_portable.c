// SPDX-License-Identifier: GPL-2.0-only
/*
 * Portable maps (userspace/portable.c), what import reads: a saved map
 * under its name or --name, marked shared, sources replaced by identities;
 * map --json output and identities another host does not share refused
 * with their reason; the comparison that makes a second import a no-op.
 */
#include <errno.h>

#include "check_common.h"
#include "portable.h"
#include "test_maps.h"

/* The gpt map of test_maps.h as its registry file. */
static char *saved_text(void)
{
	struct combined *combined = three_volume_gpt_map();
	char *text = registry_format(combined);

	ck_assert_ptr_nonnull(text);
	combined_free(combined);
	return text;
}

static struct combined *parse_ok(const char *text, const char *name)
{
	struct combined *combined = NULL;
	char why[REGISTRY_WHY_MAX] = "";

	ck_assert_msg(portable_parse(text, strlen(text), name, &combined, why) == 0, "%s", why);
	return combined;
}

static void assert_refused(const char *text, const char *name, const char *reason)
{
	struct combined *combined = NULL;
	char why[REGISTRY_WHY_MAX] = "";

	ck_assert_int_eq(portable_parse(text, strlen(text), name, &combined, why), -EINVAL);
	ck_assert_ptr_null(combined);
	ck_assert_msg(strstr(why, reason), "reason \"%s\" lacks \"%s\"", why, reason);
}

/* text with every "from" replaced by "to" (free it). */
static char *replaced(const char *text, const char *from, const char *to)
{
	size_t size = strlen(text) * 2 + 4096;
	char *out = calloc(1, size), *at;
	const char *rest = text;

	ck_assert_ptr_nonnull(out);
	while ((at = strstr(rest, from))) {
		strncat(out, rest, (size_t)(at - rest));
		strcat(out, to);
		rest = at + strlen(from);
	}
	strcat(out, rest);
	return out;
}

START_TEST(test_saved_map_imported)
{
	char *text = saved_text();
	struct combined *combined = parse_ok(text, NULL), *original = three_volume_gpt_map();
	size_t i;

	ck_assert_str_eq(combined->name, "vm1");
	ck_assert_str_eq(combined->uuid, TEST_UUID);
	ck_assert(combined->shared);
	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole)
			ck_assert_str_eq(combined->regions[i].source, combined->regions[i].identity);
	/* The same disk: UUID, regions, partitions, types. */
	ck_assert(portable_same_disk(combined, original));
	combined_free(combined);
	combined = parse_ok(text, "vm7");
	ck_assert_str_eq(combined->name, "vm7");
	combined_free(combined);
	combined_free(original);
	free(text);
}
END_TEST

START_TEST(test_portable_identities)
{
	const char *const accepted[] = {
		"DM_UUID=LVM-0Bx3cDaaaa", "/dev/disk/by-id/scsi-36001405abcdef",
		"/dev/disk/by-id/virtio-vol1", "/dev/disk/by-id/nvme-eui.0025388b71b2c3d4",
		"PARTUUID=0fc63daf-0000-4000-8000-000000000001",
	};
	const char *const refused[][2] = {
		{ "/dev/disk/by-path/pci-0000:00:05.0", "a by-path identity" },
		{ "/dev/sdb", "a kernel-name identity" },
		{ "UUID=11-22", "a guest-data identity" },
		{ "/dev/disk/by-id/lvm-pv-uuid-AAAA", "a guest-data identity" },
	};
	char *text = saved_text(), *changed;
	struct combined *combined;
	size_t i;

	for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		changed = replaced(text, "/dev/disk/by-id/wwn-0x5000c50000000001", accepted[i]);
		combined = parse_ok(changed, NULL);
		ck_assert_str_eq(combined->regions[1].source, accepted[i]);
		combined_free(combined);
		free(changed);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		changed = replaced(text, "/dev/disk/by-id/wwn-0x5000c50000000001", refused[i][0]);
		assert_refused(changed, NULL, refused[i][1]);
		free(changed);
	}
	free(text);
}
END_TEST

/* An image file is taken by its path (a shared file system). */
START_TEST(test_image_file)
{
	char *text = saved_text(), *changed;
	struct combined *combined;

	changed = replaced(text, "\"loop\":false", "\"loop\":true");
	free(text);
	text = replaced(changed, "/dev/disk/by-id/wwn-0x5000c50000000001", "/srv/images/a.img");
	combined = parse_ok(text, NULL);
	ck_assert(combined->regions[1].loop);
	ck_assert_str_eq(combined->regions[1].source, "/srv/images/a.img");
	combined_free(combined);
	free(changed);
	free(text);
}
END_TEST

START_TEST(test_refusals)
{
	char *text = saved_text(), *changed;

	assert_refused("{\"name\": \"vm1\", \"uuid\": \"" TEST_UUID "\", \"layout\": \"gpt\", \"size\": 8, \"volumes\": []}",
		       NULL, "map --json output");
	assert_refused("", NULL, "truncated JSON");
	assert_refused("[]", NULL, "not a JSON object");
	changed = replaced(text, "\"format\":1", "\"format\":2");
	assert_refused(changed, NULL, "format 2");
	free(changed);
	assert_refused(text, "bad/name", "invalid name");
	assert_refused(text, "", "invalid name");
	free(text);
}
END_TEST

START_TEST(test_same_disk)
{
	const char *const changes[][2] = {
		{ TEST_UUID, "0b6f8f5e-3c1a-4d2e-9f00-1234567890ac" },
		{ "\"partition\":2", "\"partition\":9" },
		{ "a0b1c2d3-e4f5-4a6b-8c7d-000000000020", "a0b1c2d3-e4f5-4a6b-8c7d-0000000000ff" },
		{ "\"id\":\"b\"", "\"id\":\"x\"" },
		{ "\"size\":1024", "\"size\":2048" },
	};
	char *text = saved_text(), *changed;
	struct combined *a = parse_ok(text, NULL), *b;
	size_t i;

	/* Sources, generation and the shared mark are each host's own. */
	changed = replaced(text, "\"generation\":0", "\"generation\":5");
	b = parse_ok(changed, NULL);
	free(b->regions[1].source);
	b->regions[1].source = strdup("/dev/sdq");
	b->shared = false;
	ck_assert(portable_same_disk(a, b));
	combined_free(b);
	free(changed);
	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		changed = replaced(text, changes[i][0], changes[i][1]);
		b = parse_ok(changed, NULL);
		ck_assert_msg(!portable_same_disk(a, b), "%s -> %s counted as the same disk",
			      changes[i][0], changes[i][1]);
		combined_free(b);
		free(changed);
	}
	/* A dropped volume: a hole where it was. */
	b = parse_ok(text, NULL);
	ck_assert_int_eq(combined_drop(b, "b"), 0);
	ck_assert(!portable_same_disk(a, b));
	combined_free(b);
	combined_free(a);
	free(text);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("portable");
	TCase *tcase;

	tcase = add_tcase(suite, "import_parse");
	tcase_add_test(tcase, test_saved_map_imported);
	tcase_add_test(tcase, test_portable_identities);
	tcase_add_test(tcase, test_image_file);
	tcase_add_test(tcase, test_refusals);
	tcase = add_tcase(suite, "same_disk");
	tcase_add_test(tcase, test_same_disk);
	return run_suite(suite);
}
