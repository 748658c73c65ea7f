/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which volume is which: the one place where a volume's identity is
 * chosen, matched and compared. A guest owns what is on its volumes (file
 * systems, LVM and md headers, labels, UUIDs, partition tables), never
 * which volume is which: only names the host assigns are saved, and every
 * comparison is by device (device number; for image files, device and
 * inode), never by the text of a name.
 *
 * identity.c holds the rules (kinds, ranks, the udev lines) and touches
 * nothing; identity_host.c reads what the host says about its devices
 * (sysfs, /dev/disk links, the udev database, libblkid for old registries'
 * tags) and compares volumes across maps.
 */
#ifndef DMCOMBINE_IDENTITY_H
#define DMCOMBINE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "combined.h"
#include "probe.h"

/* Best first: what a volume is saved as is the first kind it has. */
enum identity_kind {
	IDENTITY_DM_UUID,	/* "DM_UUID=...": an LVM LV, a multipath map, any dm device */
	IDENTITY_WWN,		/* by-id wwn-, nvme-eui., scsi-3 (VPD 0x83 NAA), scsi-2 (EUI-64) */
	IDENTITY_SERIAL,	/* by-id scsi-, ata-, nvme-, virtio-, usb-, mmc-: a transport serial */
	IDENTITY_PARTUUID,	/* "PARTUUID=...": the host's entry of a volume that is a partition */
	IDENTITY_BY_PATH,	/* /dev/disk/by-path/...: where the disk is plugged in */
	IDENTITY_KERNEL_NAME,	/* /dev/sdX, /dev/mapper/X: none of the above; may move */
	IDENTITY_FILE,		/* an image file's canonical path */
	IDENTITY_GUEST_DATA,	/* UUID=, LABEL=, lvm-pv-uuid-, md-uuid-...: old registries only */
};

#define IDENTITY_DM_UUID_TAG "DM_UUID="
#define IDENTITY_PARTUUID_TAG "PARTUUID="
#define BY_ID_DIR "/dev/disk/by-id"
#define BY_PATH_DIR "/dev/disk/by-path"
#define BY_UUID_DIR "/dev/disk/by-uuid"
#define BY_LABEL_DIR "/dev/disk/by-label"
#define LVM_PV_LINK BY_ID_DIR "/lvm-pv-uuid-"
#define MD_LINK BY_ID_DIR "/md-uuid-"

/* The kind of a saved identity; loop: the volume is an image file. */
enum identity_kind identity_kind_of(const char *identity, bool loop);
/* What map prints: "dm-uuid", "wwn", "serial", ... */
const char *identity_kind_name(enum identity_kind kind);
/* Kinds that do not reliably name one device: map flags them, reidentify replaces them. */
bool identity_kind_weak(enum identity_kind kind);
/*
 * The kind of a /dev/disk/by-id link name (without the directory):
 * IDENTITY_WWN or IDENTITY_SERIAL for names the host assigns,
 * IDENTITY_GUEST_DATA for everything else (lvm-pv-uuid-, md-uuid-, and
 * dm-uuid-/dm-name-, which the DM UUID itself replaces).
 */
enum identity_kind identity_link_kind(const char *name);
/*
 * Whether by-id link name a (of kind_a) is a better identity than b: the
 * better kind, then the shorter name (a disk's link before its
 * partition's), then the first in byte order, so every run picks the same.
 */
bool identity_link_better(enum identity_kind kind_a, const char *a, enum identity_kind kind_b,
			  const char *b);

/*
 * Old registries saved links udev makes from what a volume holds, which
 * the guest writes: by-uuid, by-label, lvm-pv-uuid-, md-uuid- (one link for
 * however many devices carry the header). The rules no longer give a
 * volume such links (dmcombine(8), GUEST DATA), so such a map's volume is
 * found by its content, as udev made the link: whether identity is such a
 * link naming a volume whose content libblkid read as probe, so that every
 * copy is found and two are refused.
 */
bool identity_names_content(const char *identity, const struct probe_result *probe);
/* Whether identity is such a link, one identity_names_content compares. */
bool identity_content_link(const char *identity);

/* Lines for udev's IMPORT{program}: the volume at index of combined. */
void identity_export(FILE *out, const struct combined *combined, size_t index);
/*
 * DMCOMBINE_LINKS for udev: the links it made for a volume (links, absolute
 * as DEVLINKS has them) without those derived from what the volume holds,
 * which the guest writes: by-uuid, by-label (file systems), by-id/
 * lvm-pv-uuid- (LVM PVs), by-id/md-uuid-, md-name- (md), and by-partuuid,
 * by-partlabel, gpt-auto-root unless host_partition (the volume is a
 * partition whose entry is in the host's table of a host's disk). The
 * host's names stay (by-id wwn-, scsi-, ata-, nvme-, virtio-, dm-name-,
 * dm-uuid-, by-path, by-diskseq, mapper/, VG/LV), relative to /dev as the
 * rules' SYMLINK= takes them.
 */
void identity_export_links(FILE *out, char *const *links, size_t nr_links, bool host_partition);

/* ---- identity_host.c: the host's devices ---- */

/* A volume as a device: a block device number, or an image file's device and inode. */
struct volume_device {
	bool is_file;
	dev_t devno;
	dev_t file_dev;
	ino_t file_ino;
};

/*
 * The best host-assigned identity of the block device devno (fd open on
 * it, for its partition entry) into identity; returns its kind,
 * IDENTITY_KERNEL_NAME when the host assigns none.
 */
enum identity_kind identity_choose(dev_t devno, int fd, char *identity, size_t size);
/*
 * Every block device a saved identity (a path, DM_UUID=, PARTUUID=, or an
 * old registry's UUID=, LABEL=, PARTLABEL=) names now: up to max device
 * numbers into devnos, the number found (possibly > max) into *count.
 * A tag never names a multipath path device (its map holds the same). -errno
 * only when the devices cannot be listed.
 */
int identity_resolve(const char *identity, dev_t *devnos, size_t max, size_t *count);
/*
 * Whether the saved identity names the block device devno; looks at that
 * device only (for udev, which asks once per device). links: the
 * /dev/disk links udev computed for it, which it may not have made yet.
 */
bool identity_names_device(const char *identity, dev_t devno, char *const *links,
			   size_t nr_links);
/* Whether devno is a partition; its disk into *disk. */
bool identity_partition_disk(dev_t devno, dev_t *disk);
/*
 * Whether devno is a path device of a multipath map (held by an "mpath-"
 * dm device, or marked DM_MULTIPATH_DEVICE_PATH=1 in the udev database);
 * the map's name, or "", goes to map.
 */
bool identity_multipath_path(dev_t devno, char *map, size_t size);
/*
 * The device of each region (0 for holes) in the live table of the dm
 * device dm_name, which must be combined's map; -errno (logged).
 */
int identity_live_devices(const char *dm_name, const struct combined *combined, dev_t *devnos);
/*
 * One device, one place: refuses (logged, both names in the message) a
 * volume that is a volume of another saved map (active: as its live table
 * has it; inactive: what its identities name now) or that a live combined
 * device without a map holds. own_name is the map being assembled (NULL:
 * none), skipped, and then a map that cannot be read (logged) is skipped
 * too rather than keep it down at boot; whats[i] names volumes[i] in
 * messages.
 */
int identity_check_unused(const char *config_dir, const char *own_name,
			  const struct volume_device *volumes, const char *const *whats,
			  size_t count);

#endif
