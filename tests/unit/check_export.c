// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of LIO exports (userspace/lio_names.c), libvirt XML
 * (userspace/libvirt.c, validated by libvirt's own virt-xml-validate) and
 * the exports in map and status output, and the saved exports
 * (userspace/exports.c) as export --dry-run previews them and map shows them.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/wait.h>

#include "check_common.h"
#include "exports.h"
#include "libvirt.h"
#include "lio.h"
#include "output.h"
#include "test_maps.h"

START_TEST(test_fabrics)
{
	enum lio_fabric fabric;

	ck_assert_int_eq(lio_fabric_parse("vhost", &fabric), 0);
	ck_assert_int_eq(fabric, LIO_VHOST);
	ck_assert_str_eq(lio_fabric_name(LIO_ISCSI), "iscsi");
	ck_assert_int_eq(lio_fabric_parse("Loopback", &fabric), -EINVAL);
	ck_assert_int_eq(lio_fabric_parse("", &fabric), -EINVAL);
}
END_TEST

START_TEST(test_wwns_follow_the_uuid)
{
	struct combined *combined = three_volume_map();
	char wwn[LIO_WWN_MAX];

	/* TEST_UUID 0b6f8f5e-3c1a-...: 9 hex digits each, after LIO's OUI. */
	lio_target_wwn(combined, LIO_LOOPBACK, wwn);
	ck_assert_str_eq(wwn, "naa.50014050b6f8f5e3");
	lio_target_wwn(combined, LIO_VHOST, wwn);
	ck_assert_str_eq(wwn, "naa.50014050b6f8f5e3");
	lio_initiator_wwn(combined, wwn);
	ck_assert_str_eq(wwn, "naa.5001405c1a4d2e9f");
	lio_target_wwn(combined, LIO_ISCSI, wwn);
	ck_assert_str_eq(wwn, "iqn.2003-01.org.linux-iscsi.dmcombine:" TEST_UUID);
	ck_assert(lio_iscsi_name_valid(wwn));
	combined_free(combined);
}
END_TEST

START_TEST(test_iscsi_names)
{
	ck_assert(lio_iscsi_name_valid("iqn.1993-08.org.debian:01:abc"));
	ck_assert(lio_iscsi_name_valid("eui.02004567a425678d"));
	ck_assert(!lio_iscsi_name_valid("iqn."));
	ck_assert(!lio_iscsi_name_valid("IQN.1993-08.org.debian:01"));
	ck_assert(!lio_iscsi_name_valid("iqn.1993-08.org.debian:a b"));
	ck_assert(!lio_iscsi_name_valid("iqn.1993-08.org.debian:../x"));
	ck_assert(!lio_iscsi_name_valid("host1"));
}
END_TEST

static void assert_portal(const char *portal, const char *expected)
{
	char out[64];
	int r = lio_portal_normalize(portal, out, sizeof(out));

	if (!expected) {
		ck_assert_msg(r == -EINVAL, "%s accepted as %s", portal, out);
		return;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_str_eq(out, expected);
}

START_TEST(test_portals)
{
	assert_portal("127.0.0.1", "127.0.0.1:3260");
	assert_portal("192.0.2.7:3261", "192.0.2.7:3261");
	assert_portal("[::1]", "[::1]:3260");
	assert_portal("[2001:db8::1]:860", "[2001:db8::1]:860");
	assert_portal("0.0.0.0", NULL);
	assert_portal("[::]:3260", NULL);
	assert_portal("localhost", NULL);
	assert_portal("127.0.0.1:0", NULL);
	assert_portal("127.0.0.1:65536", NULL);
	assert_portal("127.0.0.1:", NULL);
	assert_portal("127.0.0.1:32x", NULL);
	assert_portal("[::1", NULL);
	assert_portal("::1", NULL);
}
END_TEST

START_TEST(test_target_dev)
{
	ck_assert(libvirt_target_dev_valid("sda"));
	ck_assert(libvirt_target_dev_valid("sdzzzz"));
	ck_assert(!libvirt_target_dev_valid("sd"));
	ck_assert(!libvirt_target_dev_valid("s"));
	ck_assert(!libvirt_target_dev_valid("sdzzzzz"));
	ck_assert(!libvirt_target_dev_valid("sdA"));
	ck_assert(!libvirt_target_dev_valid("vda"));
	ck_assert(!libvirt_target_dev_valid("sda1"));
}
END_TEST

START_TEST(test_disk_xml)
{
	struct combined *combined = three_volume_map();
	char *xml = libvirt_disk_xml(combined, "sdb");

	ck_assert_ptr_nonnull(xml);
	ck_assert_ptr_nonnull(strstr(xml, "<disk type='block' device='disk'>\n"));
	ck_assert_ptr_nonnull(strstr(xml, "<source dev='/dev/mapper/vm1'/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<target dev='sdb' bus='scsi'/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<serial>" TEST_UUID "</serial>"));
	ck_assert_ptr_null(strstr(xml, "'lun'"));
	free(xml);
	combined_free(combined);
}
END_TEST

/* Runs virt-xml-validate on a domain around the devices; its exit status (its output only if valid was expected). */
static int validate_domain(const char *devices, bool valid)
{
	char path[] = "/tmp/check_export_XXXXXX", command[128];
	int fd = mkstemp(path), status;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	ck_assert_ptr_nonnull(f);
	fprintf(f, "<domain type='kvm'>\n<name>check</name>\n<memory>131072</memory>\n"
		"<os><type arch='x86_64'>hvm</type></os>\n<devices>\n"
		"<controller type='scsi' index='0' model='virtio-scsi'/>\n%s</devices>\n</domain>\n",
		devices);
	fclose(f);
	snprintf(command, sizeof(command), "virt-xml-validate %s domain >%s 2>&1", path,
		 valid ? "/dev/stderr" : "/dev/null");
	status = system(command);
	unlink(path);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) != 127,
		      "virt-xml-validate missing: make deps installs libvirt-clients");
	return WEXITSTATUS(status);
}

START_TEST(test_xml_validates)
{
	struct combined *combined = three_volume_map();
	char *disk = libvirt_disk_xml(combined, LIBVIRT_DEFAULT_TARGET_DEV);
	char *hostdev = libvirt_vhost_xml("naa.50014050b6f8f5e3");

	ck_assert_int_eq(validate_domain(disk, true), 0);
	ck_assert_int_eq(validate_domain(hostdev, true), 0);
	/* The check itself catches a bad element. */
	ck_assert_int_ne(validate_domain("<disk type='block' device='floppy-ish'/>\n", false), 0);
	free(disk);
	free(hostdev);
	combined_free(combined);
}
END_TEST

START_TEST(test_exports_json)
{
	struct lio_export exports[2] = {
		{ .fabric = LIO_LOOPBACK, .wwn = "naa.50014050b6f8f5e3", .disk = "/dev/sdb" },
		{ .fabric = LIO_ISCSI, .wwn = "iqn.x:y", .portal = "127.0.0.1:3260",
		  .nr_initiators = 2 },
	};
	json_object *array = output_exports_json(exports, 2), *e;

	ck_assert_uint_eq(json_object_array_length(array), 2);
	e = json_object_array_get_idx(array, 0);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(e, "fabric")), "loopback");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(e, "disk")), "/dev/sdb");
	ck_assert(!json_object_object_get_ex(e, "portal", NULL));
	e = json_object_array_get_idx(array, 1);
	ck_assert(json_object_object_get_ex(e, "disk", NULL));
	ck_assert_ptr_null(json_object_object_get(e, "disk"));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(e, "initiators")), 2);
	json_object_put(array);
}
END_TEST

START_TEST(test_exports_text)
{
	struct lio_export exports[2] = {
		{ .fabric = LIO_VHOST, .wwn = "naa.50014050b6f8f5e3" },
		{ .fabric = LIO_ISCSI, .wwn = "iqn.x:y", .portal = "[::1]:3260", .nr_initiators = 1 },
	};
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	output_exports_text(out, exports, 2);
	fclose(out);
	ck_assert_str_eq(text, "exported over vhost as naa.50014050b6f8f5e3\n"
			       "exported over iscsi as iqn.x:y, portal [::1]:3260, 1 initiators\n");
	free(text);
}
END_TEST

START_TEST(test_saved_exports_text)
{
	json_object *entries = json_tokener_parse(
		"[{\"fabric\": \"loopback\"}, {\"fabric\": \"iscsi\", \"portal\": \"192.0.2.1:3260\","
		" \"initiators\": [\"iqn.a:1\", \"iqn.b:2\"], \"chap_user\": \"u\\u001b[2J\","
		" \"chap_password_file\": \"/etc/dmcombine/chap\"}]");
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	output_saved_exports_text(out, entries);
	/* A file that could not be read: nothing shown (the error was); control bytes escaped. */
	output_saved_exports_text(out, NULL);
	fclose(out);
	ck_assert_str_eq(text, "saved export over loopback, made again at boot\n"
			       "saved export over iscsi, made again at boot, portal 192.0.2.1:3260, "
			       "2 initiators, CHAP user u\\x1b[2J\n");
	free(text);
	json_object_put(entries);
}
END_TEST

static char dir[] = "/tmp/check_export.XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* The saved exports of "vm1" in dir, as a compact JSON string (caller frees). */
static char *saved_compact(void)
{
	json_object *entries = NULL;
	char *text;

	ck_assert_int_eq(exports_load_saved(dir, "vm1", &entries), 0);
	text = strdup(json_object_to_json_string_ext(entries, JSON_C_TO_STRING_PLAIN));
	json_object_put(entries);
	return text;
}

START_TEST(test_saved_exports_preview)
{
	struct lio_iscsi iscsi = { .portal = "192.0.2.1:3260", .initiators = { "iqn.a:1" },
				   .nr_initiators = 1 };
	char *text, *before, path[64], *compact;
	FILE *file;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	compact = saved_compact();
	ck_assert_str_eq(compact, "[]");
	free(compact);
	/* The preview is what export would save; nothing is written. */
	ck_assert_int_eq(exports_preview(dir, "vm1", LIO_LOOPBACK, NULL, NULL, &text), 0);
	ck_assert_ptr_nonnull(strstr(text, "\"format\":1"));
	ck_assert_ptr_nonnull(strstr(text, "\"fabric\":\"loopback\""));
	ck_assert(!exports_saved(dir, "vm1"));
	free(text);
	ck_assert_int_eq(exports_save(dir, "vm1", LIO_LOOPBACK, NULL, NULL, &before), 0);
	ck_assert_ptr_null(before);
	ck_assert_int_eq(exports_preview(dir, "vm1", LIO_ISCSI, &iscsi, NULL, &text), 0);
	ck_assert_ptr_nonnull(strstr(text, "\"portal\":\"192.0.2.1:3260\""));
	free(text);
	compact = saved_compact();
	ck_assert_str_eq(compact, "[{\"fabric\":\"loopback\"}]");
	free(compact);
	/* A corrupt file is an error for map and status to report. */
	snprintf(path, sizeof(path), "%s/vm1.exports", dir);
	file = fopen(path, "w");
	ck_assert_ptr_nonnull(file);
	fputs("{\"format\": 2}", file);
	fclose(file);
	{
		json_object *entries = NULL;

		ck_assert_int_eq(exports_load_saved(dir, "vm1", &entries), -EINVAL);
		ck_assert_ptr_null(entries);
	}
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("export");
	TCase *tcase;

	tcase = add_tcase(suite, "lio_names");
	tcase_add_test(tcase, test_fabrics);
	tcase_add_test(tcase, test_wwns_follow_the_uuid);
	tcase_add_test(tcase, test_iscsi_names);
	tcase_add_test(tcase, test_portals);
	tcase = add_tcase(suite, "libvirt_xml");
	tcase_add_test(tcase, test_target_dev);
	tcase_add_test(tcase, test_disk_xml);
	tcase_add_test(tcase, test_xml_validates);
	tcase = add_tcase(suite, "exports_output");
	tcase_add_test(tcase, test_exports_json);
	tcase_add_test(tcase, test_exports_text);
	tcase_add_test(tcase, test_saved_exports_text);
	tcase = add_tcase(suite, "saved_exports");
	tcase_add_test(tcase, test_saved_exports_preview);
	return run_suite(suite);
}
