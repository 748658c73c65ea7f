// SPDX-License-Identifier: GPL-2.0-only
/*
 * The identity rules (userspace/identity.c): which /dev/disk/by-id names
 * the host assigns and how they rank, the kind of every identity a
 * registry may hold (old registries' guest-written ones flagged weak), and
 * the lines udev imports.
 */
#include "check_common.h"
#include "identity.h"
#include "test_maps.h"

START_TEST(test_link_kinds)
{
	/* Host-assigned: the disk's WWN / EUI-64 / NGUID / VPD 0x83 name. */
	ck_assert_int_eq(identity_link_kind("wwn-0x5000c500a1b2c3d4"), IDENTITY_WWN);
	ck_assert_int_eq(identity_link_kind("nvme-eui.0025388b91b2c3d4"), IDENTITY_WWN);
	ck_assert_int_eq(identity_link_kind("scsi-36001405a1b2c3d4e5f60718293a4b5c6"), IDENTITY_WWN);
	ck_assert_int_eq(identity_link_kind("scsi-2001b4d2000000000"), IDENTITY_WWN);
	ck_assert_int_eq(identity_link_kind("wwn-0x5000c500a1b2c3d4-part1"), IDENTITY_WWN);
	/* Host-assigned: a transport serial. */
	ck_assert_int_eq(identity_link_kind("scsi-SATA_ST1000_Z1D2"), IDENTITY_SERIAL);
	ck_assert_int_eq(identity_link_kind("scsi-0QEMU_QEMU_HARDDISK_drive0"), IDENTITY_SERIAL);
	ck_assert_int_eq(identity_link_kind("ata-ST1000_Z1D2"), IDENTITY_SERIAL);
	ck_assert_int_eq(identity_link_kind("nvme-Samsung_SSD_980_S64DNX0R"), IDENTITY_SERIAL);
	ck_assert_int_eq(identity_link_kind("virtio-vol7"), IDENTITY_SERIAL);
	ck_assert_int_eq(identity_link_kind("usb-Generic_Flash_0001-0:0"), IDENTITY_SERIAL);
	/* What the guest writes, and dm names the DM UUID replaces: never chosen. */
	ck_assert_int_eq(identity_link_kind("lvm-pv-uuid-0Bx3cD-aaaa"), IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_link_kind("md-uuid-0b6f8f5e:3c1a4d2e"), IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_link_kind("md-name-host:0"), IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_link_kind("dm-uuid-LVM-abc"), IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_link_kind("dm-name-vg-lv"), IDENTITY_GUEST_DATA);
	/* A prefix alone names nothing. */
	ck_assert_int_eq(identity_link_kind("wwn-"), IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_link_kind("virtio-"), IDENTITY_GUEST_DATA);
}
END_TEST

/* The order the issue asks for, whatever the names sort as. */
START_TEST(test_ranking)
{
	const char *const names[] = { "lvm-pv-uuid-AAAA", "md-uuid-0000", "ata-B", "virtio-S",
				      "wwn-0x5000c500a1b2c3d4", "scsi-SATA_X" };
	const char *best = NULL;
	enum identity_kind best_kind = IDENTITY_GUEST_DATA;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum identity_kind kind = identity_link_kind(names[i]);

		if (kind <= IDENTITY_SERIAL &&
		    (!best || identity_link_better(kind, names[i], best_kind, best))) {
			best = names[i];
			best_kind = kind;
		}
	}
	ck_assert_str_eq(best, "wwn-0x5000c500a1b2c3d4");
	ck_assert(IDENTITY_DM_UUID < IDENTITY_WWN && IDENTITY_WWN < IDENTITY_SERIAL &&
		  IDENTITY_SERIAL < IDENTITY_PARTUUID && IDENTITY_PARTUUID < IDENTITY_BY_PATH &&
		  IDENTITY_BY_PATH < IDENTITY_KERNEL_NAME);
	/* Same kind: the disk's link before its partition's, then byte order. */
	ck_assert(identity_link_better(IDENTITY_SERIAL, "virtio-a", IDENTITY_SERIAL, "virtio-a-part1"));
	ck_assert(identity_link_better(IDENTITY_SERIAL, "ata-A", IDENTITY_SERIAL, "ata-B"));
	ck_assert(!identity_link_better(IDENTITY_SERIAL, "ata-A", IDENTITY_WWN, "wwn-0x5"));
}
END_TEST

START_TEST(test_saved_kinds)
{
	ck_assert_int_eq(identity_kind_of("DM_UUID=LVM-abcdef", false), IDENTITY_DM_UUID);
	ck_assert_int_eq(identity_kind_of("DM_UUID=mpath-3600a0b80", false), IDENTITY_DM_UUID);
	ck_assert_int_eq(identity_kind_of("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", false),
			 IDENTITY_WWN);
	ck_assert_int_eq(identity_kind_of("/dev/disk/by-id/virtio-vol7", false), IDENTITY_SERIAL);
	ck_assert_int_eq(identity_kind_of("PARTUUID=0fc63daf-0000-4000-8000-000000000001", false),
			 IDENTITY_PARTUUID);
	ck_assert_int_eq(identity_kind_of("/dev/disk/by-path/pci-0000:00:05.0", false),
			 IDENTITY_BY_PATH);
	ck_assert_int_eq(identity_kind_of("/dev/sdb", false), IDENTITY_KERNEL_NAME);
	ck_assert_int_eq(identity_kind_of("/dev/mapper/vg-lv", false), IDENTITY_KERNEL_NAME);
	ck_assert_int_eq(identity_kind_of("/srv/images/a.img", true), IDENTITY_FILE);
	/* Old registries: what the guest wrote. */
	ck_assert_int_eq(identity_kind_of("UUID=3f1c0000-0000-4000-8000-0000000000e2", false),
			 IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_kind_of("/dev/disk/by-id/lvm-pv-uuid-AAAA", false),
			 IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_kind_of("/dev/disk/by-id/md-uuid-0000", false),
			 IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_kind_of("/dev/disk/by-uuid/3f1c", false), IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_kind_of("/dev/disk/by-label/data", false), IDENTITY_GUEST_DATA);
	/* An empty tag is no identity. */
	ck_assert_int_eq(identity_kind_of("DM_UUID=", false), IDENTITY_GUEST_DATA);
	ck_assert_int_eq(identity_kind_of("PARTUUID=", false), IDENTITY_GUEST_DATA);
}
END_TEST

/* identity_names_content of a volume holding type, uuid and label. */
static bool names_content(const char *identity, const char *type, const char *uuid, const char *label)
{
	struct probe_result probe = { 0 };

	snprintf(probe.type, sizeof(probe.type), "%s", type);
	snprintf(probe.uuid, sizeof(probe.uuid), "%s", uuid);
	snprintf(probe.label, sizeof(probe.label), "%s", label);
	return identity_names_content(identity, &probe);
}

/*
 * Old registries' content links find every device with the content, not
 * only udev's pick, and without the link (the rules drop it from volumes).
 */
START_TEST(test_content_links)
{
	const char *pv = "/dev/disk/by-id/lvm-pv-uuid-0Bx3cD-aB12-cd34-EF56-gh78-ij90-KL12mn";
	const char *md = "/dev/disk/by-id/md-uuid-a1b2c3d4:e5f60718:293a4b5c:6d7e8f90";

	ck_assert(names_content(pv, "LVM2_member", "0Bx3cD-aB12-cd34-EF56-gh78-ij90-KL12mn", ""));
	ck_assert(!names_content(pv, "LVM2_member", "0Bx3cD-aB12-cd34-EF56-gh78-ij90-KL12mm", ""));
	ck_assert(!names_content(pv, "ext4", "0Bx3cD-aB12-cd34-EF56-gh78-ij90-KL12mn", ""));
	/* blkid writes the md set UUID as a UUID, mdadm (and udev) as four words. */
	ck_assert(names_content(md, "linux_raid_member", "a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90", ""));
	ck_assert(names_content(md, "linux_raid_member", "A1B2C3D4-E5F6-0718-293A-4B5C6D7E8F90", ""));
	ck_assert(!names_content(md, "linux_raid_member", "a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f9", ""));
	ck_assert(!names_content(md, "LVM2_member", "a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90", ""));
	ck_assert(!names_content(md, "linux_raid_member", "", ""));
	/* by-uuid and by-label as udev writes them: bytes it does not keep as \xHH. */
	ck_assert(names_content("/dev/disk/by-uuid/6a1b5c3e-0d7f-4a2b-9c8d-1e2f3a4b5c6d", "ext4",
				"6a1b5c3e-0d7f-4a2b-9c8d-1e2f3a4b5c6d", "x"));
	ck_assert(!names_content("/dev/disk/by-uuid/6a1b5c3e-0d7f-4a2b-9c8d-1e2f3a4b5c6d", "ext4",
				 "6a1b5c3e-0d7f-4a2b-9c8d-1e2f3a4b5c6e", ""));
	ck_assert(names_content("/dev/disk/by-label/my\\x20data\\x2fx", "ext4", "", "my data/x"));
	ck_assert(!names_content("/dev/disk/by-label/my\\x20data", "ext4", "", "my_data"));
	ck_assert(!names_content("/dev/disk/by-label/data", "ext4", "", "data2"));
	ck_assert(!names_content("/dev/disk/by-label/data", "ext4", "data", ""));
	ck_assert(!names_content("/dev/disk/by-uuid/", "ext4", "", ""));
	/* Other names are not content links. */
	ck_assert(!names_content("/dev/disk/by-id/wwn-0x5000c500a1b2c3d4", "LVM2_member",
				 "0x5000c500a1b2c3d4", ""));
	ck_assert(!names_content("/dev/disk/by-id/lvm-pv-uuid-", "LVM2_member", "x", ""));
}
END_TEST

START_TEST(test_weak)
{
	ck_assert(identity_kind_weak(IDENTITY_GUEST_DATA));
	ck_assert(identity_kind_weak(IDENTITY_KERNEL_NAME));
	ck_assert(!identity_kind_weak(IDENTITY_DM_UUID));
	ck_assert(!identity_kind_weak(IDENTITY_WWN));
	ck_assert(!identity_kind_weak(IDENTITY_SERIAL));
	ck_assert(!identity_kind_weak(IDENTITY_PARTUUID));
	ck_assert(!identity_kind_weak(IDENTITY_BY_PATH));
	ck_assert(!identity_kind_weak(IDENTITY_FILE));
	ck_assert_str_eq(identity_kind_name(IDENTITY_DM_UUID), "dm-uuid");
	ck_assert_str_eq(identity_kind_name(IDENTITY_GUEST_DATA), "guest-data");
	ck_assert_str_eq(identity_kind_name(IDENTITY_KERNEL_NAME), "kernel-name");
}
END_TEST

START_TEST(test_export)
{
	struct combined *combined = three_volume_map();
	char text[256] = "";
	FILE *out = fmemopen(text, sizeof(text), "w");

	ck_assert_ptr_nonnull(out);
	identity_export(out, combined, 2);
	fclose(out);
	ck_assert_str_eq(text, "ID_DMCOMBINE_MEMBER=1\nDMCOMBINE_NAME=vm1\nDMCOMBINE_VOLUME=c\n");
	combined_free(combined);
}
END_TEST

/* What identity_export_links prints for udev's links (LINKS: a list of them). */
static const char *export_links(bool host_partition, char *const *links, size_t nr_links)
{
	static char text[1024];
	FILE *out;

	memset(text, 0, sizeof(text));
	out = fmemopen(text, sizeof(text), "w");
	ck_assert_ptr_nonnull(out);
	identity_export_links(out, links, nr_links, host_partition);
	fclose(out);
	return text;
}

#define LINKS(host_partition, ...) \
	export_links(host_partition, (char *const[]){ __VA_ARGS__ }, \
		     sizeof((char *const[]){ __VA_ARGS__ }) / sizeof(char *))

/* A volume keeps the links the host assigns, loses those made from what the guest wrote. */
START_TEST(test_export_links)
{
	/* Host-assigned: kept, relative to /dev. */
	ck_assert_str_eq(LINKS(false, "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4",
			       "/dev/disk/by-id/scsi-36001405a1b2c3d4", "/dev/disk/by-id/ata-ST1000_Z1D2",
			       "/dev/disk/by-id/nvme-eui.0025388b91b2c3d4", "/dev/disk/by-id/virtio-vol7",
			       "/dev/disk/by-path/pci-0000:00:05.0", "/dev/disk/by-diskseq/12",
			       "/dev/disk/by-id/dm-name-vg-lv", "/dev/disk/by-id/dm-uuid-LVM-abc",
			       "/dev/mapper/vg-lv", "/dev/vg/lv"),
			 "DMCOMBINE_LINKS=disk/by-id/wwn-0x5000c500a1b2c3d4 disk/by-id/scsi-36001405a1b2c3d4 "
			 "disk/by-id/ata-ST1000_Z1D2 disk/by-id/nvme-eui.0025388b91b2c3d4 disk/by-id/virtio-vol7 "
			 "disk/by-path/pci-0000:00:05.0 disk/by-diskseq/12 disk/by-id/dm-name-vg-lv "
			 "disk/by-id/dm-uuid-LVM-abc mapper/vg-lv vg/lv\n");
	/* File system UUID and label (60-persistent-storage, -dm, 63-md-raid-arrays). */
	ck_assert_str_eq(LINKS(false, "/dev/disk/by-uuid/0b6f8f5e-3c1a", "/dev/disk/by-id/virtio-a",
			       "/dev/disk/by-label/root"), "DMCOMBINE_LINKS=disk/by-id/virtio-a\n");
	/* An LVM PV's UUID (69-lvm), an md set's UUID and name (63-md-raid-arrays). */
	ck_assert_str_eq(LINKS(false, "/dev/disk/by-id/lvm-pv-uuid-0Bx3cD-aB12",
			       "/dev/disk/by-id/md-uuid-a1b2c3d4:e5f60718", "/dev/disk/by-id/md-name-host:0",
			       "/dev/disk/by-id/wwn-0x1"), "DMCOMBINE_LINKS=disk/by-id/wwn-0x1\n");
	/* A partition entry: the guest's on a whole disk or dm device ... */
	ck_assert_str_eq(LINKS(false, "/dev/disk/by-partuuid/p-1", "/dev/disk/by-partlabel/data",
			       "/dev/gpt-auto-root", "/dev/disk/by-id/wwn-0x1"),
			 "DMCOMBINE_LINKS=disk/by-id/wwn-0x1\n");
	/* ... the host's for a volume that is a partition of a host's disk. */
	ck_assert_str_eq(LINKS(true, "/dev/disk/by-partuuid/p-1", "/dev/disk/by-partlabel/data",
			       "/dev/disk/by-uuid/u-1", "/dev/disk/by-id/wwn-0x1-part2"),
			 "DMCOMBINE_LINKS=disk/by-partuuid/p-1 disk/by-partlabel/data "
			 "disk/by-id/wwn-0x1-part2\n");
	/* Nothing left: an empty list, which the rules' SYMLINK= makes none. */
	ck_assert_str_eq(LINKS(false, "/dev/disk/by-uuid/u-1"), "DMCOMBINE_LINKS=\n");
	ck_assert_str_eq(export_links(false, NULL, 0), "DMCOMBINE_LINKS=\n");
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("identity");
	TCase *tcase;

	tcase = add_tcase(suite, "host_assigned_links");
	tcase_add_test(tcase, test_link_kinds);
	tcase_add_test(tcase, test_ranking);
	tcase = add_tcase(suite, "saved_kinds");
	tcase_add_test(tcase, test_saved_kinds);
	tcase_add_test(tcase, test_weak);
	tcase_add_test(tcase, test_content_links);
	tcase = add_tcase(suite, "udev_export");
	tcase_add_test(tcase, test_export);
	tcase_add_test(tcase, test_export_links);
	return run_suite(suite);
}
