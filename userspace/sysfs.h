/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What /sys tells about block devices: names, stacking, loop backing files;
 * and reading one kernel attribute, which configfs (lio.c) shares.
 */
#ifndef DMCOMBINE_SYSFS_H
#define DMCOMBINE_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * The first line of a kernel attribute file (sysfs, configfs) into text,
 * without its newline; false when it cannot be read.
 */
bool sysfs_read_line(const char *path, char *text, size_t size);
/* "/dev/<kernel name>" of a block device; -errno when unknown. */
int sysfs_device_path(dev_t devno, char *path, size_t size);
/*
 * Whether the device is a combined device (DM UUID with our prefix) or is
 * stacked on one (through holders' slaves, partitions included); the
 * combined device's kernel name goes to name.
 */
bool sysfs_on_combined(dev_t devno, char *name, size_t size);

#endif
