// SPDX-License-Identifier: GPL-2.0-only
/*
 * Registry text (userspace/registry.c): round trips, and refusal of
 * corrupt or hostile files, each with a reason.
 */
#include <errno.h>
#include <stddef.h>

#include "check_common.h"
#include "dm-combine.h"
#include "registry.h"
#include "test_maps.h"
#include "uuid.h"

/* A valid registry file: a, a hole, then a looped file. */
static const char valid_text[] =
	"{\"format\": 1, \"name\": \"vm1\", \"uuid\": \"" TEST_UUID "\", \"layout\": \"concat\",\n"
	" \"logical_block_size\": 512, \"regions\": [\n"
	"  {\"id\": \"a\", \"source\": \"LABEL=a\", \"identity\": \"UUID=11-22\", \"size\": 2048,"
	" \"start\": 0, \"length\": 2048, \"offset\": 0, \"loop\": false},\n"
	"  {\"start\": 2048, \"length\": 1024},\n"
	"  {\"id\": \"img\", \"source\": \"/srv/i.img\", \"identity\": \"/srv/i.img\", \"size\": 4096,"
	" \"start\": 3072, \"length\": 4096, \"offset\": 0, \"loop\": true}]}\n";

static int parse_text(const char *text, struct combined **combined, char *why)
{
	return registry_parse(text, strlen(text), combined, why);
}

static void assert_text_refused(const char *text, const char *reason)
{
	char why[REGISTRY_WHY_MAX] = "";
	struct combined *combined = NULL;

	ck_assert_msg(parse_text(text, &combined, why) == -EINVAL, "accepted: %s", text);
	ck_assert_ptr_null(combined);
	ck_assert_msg(strcasestr(why, reason), "reason \"%s\" lacks \"%s\"", why, reason);
}

/* base with the first `from` replaced by `to` must be refused. */
static void assert_changed_refused(const char *base, const char *from, const char *to,
				   const char *reason)
{
	const char *at = strstr(base, from);
	char text[4096];

	ck_assert_msg(at, "\"%s\" not in the valid text", from);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
	assert_text_refused(text, reason);
}

/* valid_text with the first `from` replaced by `to` must be refused. */
static void assert_refused(const char *from, const char *to, const char *reason)
{
	assert_changed_refused(valid_text, from, to, reason);
}

/* A device object of this logical block size and "regions" value. */
#define DEVICE_WITH(block_size, regions) \
	"{\"format\": 1, \"name\": \"vm1\", \"uuid\": \"" TEST_UUID "\"," \
	" \"layout\": \"concat\", \"logical_block_size\": " block_size ", \"regions\": " regions "}"
#define DEVICE_WITH_REGIONS(regions) DEVICE_WITH("512", regions)

/* Every identity form, new (host-assigned) and old (guest-written, still loaded). */
START_TEST(test_identity_forms)
{
	const char *const forms[] = {
		"DM_UUID=LVM-0Bx3cDaaaa", "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4",
		"PARTUUID=0fc63daf-0000-4000-8000-000000000001", "/dev/disk/by-path/pci-0000:00:05.0",
		"/dev/sdb", "UUID=11-22", "/dev/disk/by-id/lvm-pv-uuid-AAAA",
	};
	const char *at = strstr(valid_text, "UUID=11-22");
	struct combined *combined = NULL;
	char text[4096], why[REGISTRY_WHY_MAX];
	size_t i;

	ck_assert_ptr_nonnull(at);
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - valid_text), valid_text, forms[i],
			 at + strlen("UUID=11-22"));
		ck_assert_msg(!parse_text(text, &combined, why), "%s refused: %s", forms[i], why);
		ck_assert_str_eq(combined->regions[0].identity, forms[i]);
		combined_free(combined);
	}
}
END_TEST

START_TEST(test_valid_file)
{
	struct combined *combined = NULL;
	char why[REGISTRY_WHY_MAX];

	ck_assert_int_eq(parse_text(valid_text, &combined, why), 0);
	ck_assert_str_eq(combined->name, "vm1");
	ck_assert_str_eq(combined->uuid, TEST_UUID);
	ck_assert_uint_eq(combined->logical_block_size, 512);
	ck_assert_uint_eq(combined->nr_regions, 3);
	ck_assert(combined->regions[1].hole);
	ck_assert_str_eq(combined->regions[2].id, "img");
	ck_assert(combined->regions[2].loop);
	ck_assert_str_eq(combined->regions[0].identity, "UUID=11-22");
	ck_assert_uint_eq(combined_size(combined), 7168);
	combined_free(combined);
}
END_TEST

/* A map without "generation" (saved by an older tool) is generation 0; it round-trips. */
START_TEST(test_generation)
{
	struct combined *combined = NULL, *again;
	char why[REGISTRY_WHY_MAX], *text;

	ck_assert_int_eq(parse_text(valid_text, &combined, why), 0);
	ck_assert_uint_eq(combined->generation, 0);
	combined->generation = 7;
	text = registry_format(combined);
	ck_assert_ptr_nonnull(strstr(text, "\"generation\":7"));
	ck_assert_msg(parse_text(text, &again, why) == 0, "%s", why);
	ck_assert_uint_eq(again->generation, 7);
	free(text);
	combined_free(again);
	combined_free(combined);
	assert_refused("\"logical_block_size\": 512,", "\"logical_block_size\": 512, \"generation\": -1,",
		       "out of range");
	assert_refused("\"logical_block_size\": 512,", "\"logical_block_size\": 512, \"generation\": \"1\",",
		       "not an integer");
}
END_TEST

/*
 * An optional flag of the map ("shared", import.h; "latency"): absent is
 * false and is saved absent, true round-trips, only a boolean is taken and
 * a misspelt key is refused. flag points into combined at offset.
 */
static void assert_flag(const char *key, const char *misspelt, size_t offset)
{
	struct combined *combined = NULL, *again;
	char why[REGISTRY_WHY_MAX], *text, quoted[64], set[64], bad[128], wrong[128];

	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	snprintf(set, sizeof(set), "\"%s\":true", key);
	ck_assert_int_eq(parse_text(valid_text, &combined, why), 0);
	ck_assert(!*(bool *)((char *)combined + offset));
	text = registry_format(combined);
	ck_assert_ptr_null(strstr(text, quoted));
	free(text);
	*(bool *)((char *)combined + offset) = true;
	text = registry_format(combined);
	ck_assert_ptr_nonnull(strstr(text, set));
	ck_assert_msg(parse_text(text, &again, why) == 0, "%s", why);
	ck_assert(*(bool *)((char *)again + offset));
	free(text);
	combined_free(again);
	combined_free(combined);
	snprintf(bad, sizeof(bad), "\"logical_block_size\": 512, \"%s\": 1,", key);
	snprintf(wrong, sizeof(wrong), "\"%s\" is not a boolean", key);
	assert_refused("\"logical_block_size\": 512,", bad, wrong);
	snprintf(bad, sizeof(bad), "\"logical_block_size\": 512, \"%s\": true,", misspelt);
	snprintf(wrong, sizeof(wrong), "unknown key \"%s\"", misspelt);
	assert_refused("\"logical_block_size\": 512,", bad, wrong);
}

START_TEST(test_shared)
{
	assert_flag("shared", "sharing", offsetof(struct combined, shared));
}
END_TEST

START_TEST(test_latency)
{
	assert_flag("latency", "latencies", offsetof(struct combined, latency));
}
END_TEST

/* Formats, reads back and formats again: the same text; returns the map read back. */
static struct combined *round_trip(const struct combined *combined)
{
	struct combined *again = NULL;
	char why[REGISTRY_WHY_MAX], *text, *text_again;

	text = registry_format(combined);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(parse_text(text, &again, why) == 0, "%s", why);
	ck_assert_uint_eq(again->nr_regions, combined->nr_regions);
	text_again = registry_format(again);
	ck_assert_str_eq(text, text_again);
	free(text);
	free(text_again);
	return again;
}

START_TEST(test_round_trip)
{
	struct combined *combined = three_volume_map(), *again;

	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	again = round_trip(combined);
	ck_assert(again->regions[1].hole);
	ck_assert_uint_eq(again->regions[2].start, 6144);
	ck_assert_str_eq(again->regions[2].source, "/dev/test");
	combined_free(combined);
	combined_free(again);
}
END_TEST

START_TEST(test_round_trip_unusual_text)
{
	struct combined *combined = combined_new("x", TEST_UUID, LAYOUT_CONCAT, 4096), *again = NULL;
	struct region volume = {
		.id = "v", .size = 8,
		.source = (char *)"/srv/\"quoted\" \\ caf\xc3\xa9 $(x)/d.img",
		.identity = (char *)"/srv/\"quoted\" \\ caf\xc3\xa9 $(x)/d.img",
		.loop = true,
	};
	char why[REGISTRY_WHY_MAX], *text;

	ck_assert_int_eq(combined_add_volume(combined, &volume), 0);
	text = registry_format(combined);
	ck_assert_int_eq(parse_text(text, &again, why), 0);
	ck_assert_str_eq(again->regions[0].source, volume.source);
	ck_assert_uint_eq(again->logical_block_size, 4096);
	free(text);
	combined_free(combined);
	combined_free(again);
}
END_TEST

START_TEST(test_refuse_not_json)
{
	char why[REGISTRY_WHY_MAX];
	struct combined *combined = NULL;

	ck_assert_int_eq(parse_text("", &combined, why), -EINVAL);
	ck_assert_int_eq(parse_text("{\"format\": 1", &combined, why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "truncated"));
	ck_assert_int_eq(parse_text("[1, 2]", &combined, why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "not a JSON object"));
	ck_assert_int_eq(parse_text("\"vm1\"", &combined, why), -EINVAL);
	ck_assert_int_eq(parse_text("null", &combined, why), -EINVAL);
	ck_assert_int_eq(parse_text("{} {}", &combined, why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "unexpected character at byte 3"));
	ck_assert_int_eq(registry_parse("{}\0{}", 5, &combined, why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "NUL"));
	ck_assert_int_eq(parse_text("{'format': 1}", &combined, why), -EINVAL);
	ck_assert_ptr_null(combined);
}
END_TEST

START_TEST(test_refuse_deep_nesting)
{
	static char text[20001];
	char why[REGISTRY_WHY_MAX];
	struct combined *combined = NULL;

	memset(text, '[', 10000);
	memset(text + 10000, ']', 10000);
	ck_assert_int_eq(parse_text(text, &combined, why), -EINVAL);
}
END_TEST

START_TEST(test_refuse_invalid_utf8)
{
	assert_refused("\"/srv/i.img\", \"identity\"", "\"/srv/\xff.img\", \"identity\"", "invalid UTF-8");
	assert_refused("\"/srv/i.img\", \"identity\"", "\"/srv/\xc0\xae.img\", \"identity\"", "invalid UTF-8");
}
END_TEST

START_TEST(test_refuse_wrong_types)
{
	assert_refused("\"format\": 1", "\"format\": \"1\"", "not an integer");
	assert_refused("\"name\": \"vm1\"", "\"name\": 1", "not a string");
	assert_refused("\"logical_block_size\": 512", "\"logical_block_size\": 512.0", "not an integer");
	assert_text_refused(DEVICE_WITH_REGIONS("{}"), "not an array");
	assert_refused("\"size\": 2048", "\"size\": true", "not an integer");
	assert_refused("\"loop\": false", "\"loop\": 0", "not a boolean");
	assert_refused("\"loop\": false", "\"loop\": null", "not a boolean");
	assert_refused("{\"start\": 2048, \"length\": 1024}", "[2048, 1024]", "not an object");
}
END_TEST

START_TEST(test_refuse_keys)
{
	assert_refused("\"format\": 1, ", "", "\"format\" missing");
	assert_refused("\"format\": 1,", "\"format\": 1, \"extra\": 0,", "unknown key");
	assert_refused(", \"loop\": false", "", "\"loop\" missing");
	assert_refused("{\"start\": 2048, \"length\": 1024}",
		       "{\"start\": 2048, \"length\": 1024, \"source\": \"/x\"}", "unknown key");
}
END_TEST

START_TEST(test_refuse_bad_values)
{
	assert_refused("\"format\": 1", "\"format\": 2", "format 2");
	assert_refused("\"name\": \"vm1\"", "\"name\": \"../etc\"", "invalid name");
	assert_refused("\"uuid\": \"0b6f", "\"uuid\": \"Xb6f", "invalid uuid");
	assert_refused("\"layout\": \"concat\"", "\"layout\": \"raid0\"", "unknown layout");
	assert_refused("\"logical_block_size\": 512", "\"logical_block_size\": 1000", "block size");
	assert_refused("\"logical_block_size\": 512", "\"logical_block_size\": 9223372036854775807",
		       "out of range");
	assert_refused("\"id\": \"a\"", "\"id\": \"a b\"", "invalid ID");
	assert_refused("\"id\": \"img\"", "\"id\": \"a\"", "used twice");
	assert_refused("\"source\": \"LABEL=a\"", "\"source\": \"\"", "empty source");
	assert_refused("\"source\": \"LABEL=a\"", "\"source\": \"a\\nb\"", "control characters");
	assert_refused("\"source\": \"LABEL=a\"", "\"source\": \"a\\u0000b\"", "control characters");
	assert_refused("\"identity\": \"UUID=11-22\"", "\"identity\": \"sdb\"", "identity");
	assert_refused("\"size\": 2048", "\"size\": -2048", "out of range");
	assert_refused("\"size\": 2048", "\"size\": 99999999999999999999999", "out of range");
	assert_refused("\"size\": 2048", "\"size\": 0", "zero");
}
END_TEST

START_TEST(test_refuse_bad_regions)
{
	/* Overlap, gap, zero length, past the end of the volume, misaligned. */
	assert_refused("{\"start\": 2048,", "{\"start\": 2000,", "not where the previous region ends");
	assert_refused("{\"start\": 2048,", "{\"start\": 4096,", "not where the previous region ends");
	assert_refused("\"start\": 0,", "\"start\": 8,", "not where the previous region ends");
	assert_refused("\"length\": 1024}", "\"length\": 0}", "length is zero");
	assert_refused("\"length\": 2048, \"offset\": 0", "\"length\": 2048, \"offset\": 8",
		       "past the end");
	assert_text_refused(DEVICE_WITH_REGIONS("[]"), "0 regions (1 to");
	assert_text_refused(DEVICE_WITH("4096", "[{\"id\": \"a\", \"source\": \"/a\", \"identity\": \"/a\","
					" \"size\": 12, \"start\": 0, \"length\": 12, \"offset\": 0,"
					" \"loop\": false}]"),
			    "multiple of the logical block size");
}
END_TEST

START_TEST(test_refuse_only_holes)
{
	assert_text_refused(DEVICE_WITH_REGIONS("[{\"start\": 0, \"length\": 8}]"), "only holes");
}
END_TEST

START_TEST(test_refuse_huge_count)
{
	const size_t count = DM_COMBINE_MAX_REGIONS + 1;
	const char *head = DEVICE_WITH_REGIONS("[");
	size_t head_len = strlen(head), i, len;
	char why[REGISTRY_WHY_MAX], *text = malloc(head_len + count * 3 + 8);
	struct combined *combined = NULL;

	/* head ends in the device's closing brace: leave it off for now. */
	memcpy(text, head, head_len - 1);
	len = head_len - 1;
	for (i = 0; i < count; i++) {
		memcpy(text + len, i ? ",{}" : "{}", i ? 3 : 2);
		len += i ? 3 : 2;
	}
	memcpy(text + len, "]}", 3);
	ck_assert_int_eq(parse_text(text, &combined, why), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "131073 regions"));
	ck_assert_int_eq(registry_parse(text, REGISTRY_MAX_BYTES + 1UL, &combined, why), -EINVAL);
	free(text);
}
END_TEST

/* A valid gpt registry file: gpt area, a, padding, a hole, b, gpt area. */
static const char gpt_text[] =
	"{\"format\": 1, \"name\": \"vm1\", \"uuid\": \"" TEST_UUID "\", \"layout\": \"gpt\",\n"
	" \"logical_block_size\": 512, \"regions\": [\n"
	"  {\"start\": 0, \"length\": 2048, \"gpt\": true},\n"
	"  {\"id\": \"a\", \"source\": \"LABEL=a\", \"identity\": \"UUID=11-22\", \"size\": 1024,"
	" \"start\": 2048, \"length\": 1024, \"offset\": 0, \"loop\": false, \"partition\": 1,"
	" \"partuuid\": \"a0b1c2d3-e4f5-4a6b-8c7d-000000000001\", \"parttype\": \"" TEST_TYPE_LINUX "\"},\n"
	"  {\"start\": 3072, \"length\": 1024, \"gpt\": true},\n"
	"  {\"start\": 4096, \"length\": 2048},\n"
	"  {\"id\": \"b\", \"source\": \"/b.img\", \"identity\": \"/b.img\", \"size\": 2048,"
	" \"start\": 6144, \"length\": 2048, \"offset\": 0, \"loop\": true, \"partition\": 3,"
	" \"partuuid\": \"a0b1c2d3-e4f5-4a6b-8c7d-000000000003\","
	" \"parttype\": \"ebd0a0a2-b9e5-4433-87c0-68b6b72699c7\"},\n"
	"  {\"start\": 8192, \"length\": 2048, \"gpt\": true}]}\n";

START_TEST(test_gpt_file)
{
	struct combined *combined = NULL;
	char why[REGISTRY_WHY_MAX], *text;

	ck_assert_msg(parse_text(gpt_text, &combined, why) == 0, "%s", why);
	ck_assert_int_eq(combined->layout, LAYOUT_GPT);
	ck_assert_uint_eq(combined->nr_regions, 6);
	ck_assert(combined->regions[0].gpt_area);
	ck_assert(combined->regions[3].hole && !combined->regions[3].gpt_area);
	ck_assert_uint_eq(combined->regions[4].partition, 3);
	ck_assert_str_eq(combined->regions[4].partuuid, "a0b1c2d3-e4f5-4a6b-8c7d-000000000003");
	ck_assert_str_eq(combined->regions[4].parttype, "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7");
	/* The next volume takes the free number 2. */
	ck_assert_uint_eq(combined_free_partition(combined), 2);
	text = registry_format(combined);
	ck_assert_ptr_nonnull(strstr(text, "\"gpt\":true"));
	ck_assert_ptr_nonnull(strstr(text, "\"partition\":3"));
	free(text);
	combined_free(combined);
}
END_TEST

START_TEST(test_gpt_round_trip)
{
	struct combined *combined = three_volume_gpt_map(), *again;

	ck_assert_int_eq(combined_drop(combined, "b"), 0);
	again = round_trip(combined);
	ck_assert(again->regions[2].gpt_area);
	ck_assert(again->regions[3].hole && !again->regions[3].gpt_area);
	ck_assert_uint_eq(again->regions[4].partition, 3);
	ck_assert_str_eq(again->regions[4].partuuid, combined->regions[4].partuuid);
	ck_assert_str_eq(again->regions[4].parttype, TEST_TYPE_LINUX);
	combined_free(combined);
	combined_free(again);
}
END_TEST

START_TEST(test_gpt_refusals)
{
	/* In gpt_text: from, to, reason. */
	static const char *const changes[][3] = {
		{ "\"partition\": 3", "\"partition\": 1", "partition 1 used twice" },
		{ "\"partition\": 3", "\"partition\": 0", "partition 0 (1 to 128" },
		{ "\"partition\": 3", "\"partition\": 129", "partition 129 (1 to 128" },
		{ "\"partition\": 3", "\"partition\": \"3\"", "not an integer" },
		{ "000000000003\"", "000000000001\"", "partuuid used twice" },
		{ "a0b1c2d3-e4f5-4a6b-8c7d-000000000003", "A0B1C2D3-E4F5-4A6B-8C7D-000000000003",
		  "not a lower-case GUID" },
		{ "a0b1c2d3-e4f5-4a6b-8c7d-000000000003", "a0b1c2d3-e4f5-4a6b-8c7d-00000000003",
		  "not a lower-case GUID" },
		{ "\"ebd0a0a2-b9e5-4433-87c0-68b6b72699c7\"",
		  "\"00000000-0000-0000-0000-000000000000\"", "not a lower-case GUID" },
		{ "\"parttype\": \"ebd0a0a2", "\"parttype\": \"{ebd0a0a2", "GUID" },
		{ ", \"parttype\": \"" TEST_TYPE_LINUX "\"", "", "\"parttype\" missing" },
		{ "\"id\": \"b\"", "\"id\": \"b23456789012345678901234567890123456X\"",
		  "too long for a GPT name" },
		{ "{\"start\": 0, \"length\": 2048, \"gpt\": true}",
		  "{\"start\": 0, \"length\": 2048}", "first region is not a gpt area" },
		{ "{\"start\": 0, \"length\": 2048, \"gpt\": true},\n"
		  "  {\"id\": \"a\", \"source\": \"LABEL=a\", \"identity\": \"UUID=11-22\", \"size\": 1024,"
		  " \"start\": 2048",
		  "{\"start\": 0, \"length\": 32, \"gpt\": true},\n"
		  "  {\"start\": 32, \"length\": 2016},\n"
		  "  {\"id\": \"a\", \"source\": \"LABEL=a\", \"identity\": \"UUID=11-22\", \"size\": 1024,"
		  " \"start\": 2048", "large enough for the GPT" },
		{ "{\"start\": 8192, \"length\": 2048, \"gpt\": true}",
		  "{\"start\": 8192, \"length\": 2048}", "last region is not a gpt area" },
		{ "{\"start\": 8192, \"length\": 2048, \"gpt\": true}",
		  "{\"start\": 8192, \"length\": 32, \"gpt\": true}", "backup GPT" },
		{ "\"length\": 2048, \"gpt\": true}]", "\"length\": 2048, \"gpt\": false}]",
		  "\"gpt\" is not true" },
		{ "\"gpt\": true}]", "\"gpt\": true, \"id2\": 1}]", "unknown key" },
		{ "\"logical_block_size\": 512", "\"logical_block_size\": 8192",
		  "larger than a GPT allows" },
		{ "\"layout\": \"gpt\"", "\"layout\": \"concat\"",
		  "a gpt area in a map of layout concat" },
	};
	size_t i;

	for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		assert_changed_refused(gpt_text, changes[i][0], changes[i][1], changes[i][2]);
	/* gpt data in a concat map, a concat map's volumes in a gpt map. */
	assert_refused("{\"start\": 2048, \"length\": 1024}",
		       "{\"start\": 2048, \"length\": 1024, \"gpt\": true}", "a gpt area in a map of layout concat");
	assert_refused("\"loop\": false}", "\"loop\": false, \"partition\": 1}", "unknown key");
	assert_refused("\"layout\": \"concat\"", "\"layout\": \"gpt\"", "\"partition\" missing");
}
END_TEST

START_TEST(test_uuids)
{
	const uint8_t bytes[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	char text[UUID_STRING_LEN + 1], other[UUID_STRING_LEN + 1];

	uuid_format_v4(bytes, text);
	ck_assert_str_eq(text, "ffffffff-ffff-4fff-bfff-ffffffffffff");
	ck_assert_int_eq(uuid_generate(text), 0);
	ck_assert_int_eq(uuid_generate(other), 0);
	ck_assert(uuid_is_valid(text));
	ck_assert_str_ne(text, other);
	ck_assert_int_eq(text[14], '4');
	ck_assert(!uuid_is_valid("0b6f8f5e-3c1a-4d2e-9f00-1234567890aB"));
	ck_assert(!uuid_is_valid("0b6f8f5e3c1a-4d2e-9f00-1234567890abc"));
	ck_assert(!uuid_is_valid(""));
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("registry");
	TCase *tcase;

	tcase = add_tcase(suite, "round_trip");
	tcase_add_test(tcase, test_valid_file);
	tcase_add_test(tcase, test_identity_forms);
	tcase_add_test(tcase, test_round_trip);
	tcase_add_test(tcase, test_round_trip_unusual_text);
	tcase_add_test(tcase, test_generation);
	tcase_add_test(tcase, test_shared);
	tcase_add_test(tcase, test_latency);
	tcase = add_tcase(suite, "refuse_not_json");
	tcase_add_test(tcase, test_refuse_not_json);
	tcase_add_test(tcase, test_refuse_deep_nesting);
	tcase_add_test(tcase, test_refuse_invalid_utf8);
	tcase = add_tcase(suite, "refuse_wrong_types");
	tcase_add_test(tcase, test_refuse_wrong_types);
	tcase_add_test(tcase, test_refuse_keys);
	tcase = add_tcase(suite, "refuse_bad_values");
	tcase_add_test(tcase, test_refuse_bad_values);
	tcase = add_tcase(suite, "refuse_bad_regions");
	tcase_add_test(tcase, test_refuse_bad_regions);
	tcase_add_test(tcase, test_refuse_only_holes);
	tcase_add_test(tcase, test_refuse_huge_count);
	tcase = add_tcase(suite, "gpt");
	tcase_add_test(tcase, test_gpt_file);
	tcase_add_test(tcase, test_gpt_round_trip);
	tcase_add_test(tcase, test_gpt_refusals);
	tcase = add_tcase(suite, "uuids");
	tcase_add_test(tcase, test_uuids);
	return run_suite(suite);
}
