/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A portable map: a saved map read on another host, as dmcombine import
 * does. The format is the registry's (registry.h), the file
 * CONFIG_DIR/NAME.json or what dmcombine share prints, because only it
 * rebuilds the same disk: map --json lacks the partition types, the
 * volumes' sizes, the holes and the logical block size.
 *
 * Each volume must be saved by a name every host that sees it gives it
 * alike: a DM UUID (a shared LVM volume group's LV, a multipath map), a
 * WWN or transport serial (by-id wwn-, scsi-, nvme-, virtio-), the
 * PARTUUID of a partition on a shared disk, or an image file's path (on a
 * shared file system). A by-path name says where a disk is plugged in on
 * one host, a kernel name is the order one host found its disks in, and
 * an old map's guest-written names are nobody's: those are refused.
 *
 * Pure: no system calls, so the unit tests and the fuzzer can run it.
 */
#ifndef DMCOMBINE_PORTABLE_H
#define DMCOMBINE_PORTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "combined.h"
#include "registry.h"

/*
 * The map in text, under name when it is not NULL (else its own), marked
 * shared, each volume's source replaced by its identity (the source is
 * the other host's word: its /dev/sdb may be another disk here). On
 * -EINVAL, why says what is wrong.
 */
int portable_parse(const char *text, size_t len, const char *name, struct combined **combined,
		   char why[REGISTRY_WHY_MAX]);
/*
 * Whether a and b give a guest the same disk with the same volumes: the
 * same UUID, layout, logical block size, regions, partitions and
 * identities (not the sources, the generation or the shared mark).
 */
bool portable_same_disk(const struct combined *a, const struct combined *b);

#endif
