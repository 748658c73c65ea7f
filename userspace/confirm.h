/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Before a change that takes something from whoever uses it (drop, remove,
 * replace of a combined device; create and add of a volume): who uses it,
 * and the admin's yes. "In use" is wider than the O_EXCL test member.c
 * makes: a device stacked on it (sysfs holders), a mount, any process with
 * it, one of its partitions or its image file open (/proc/PID/fd; QEMU
 * opens disks without O_EXCL), an image file's locks (/proc/locks: QEMU
 * locks its images), and the kernel's own opens (dm's open count: LIO
 * exports, swap). udev's probes and this process do not count.
 */
#ifndef DMCOMBINE_CONFIRM_H
#define DMCOMBINE_CONFIRM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cli.h"

#define IN_USE_WHY_MAX 512

/* One thing to look for: a block device (devno) or a regular file (file_dev, file_ino). */
struct in_use {
	dev_t devno;			/* 0 for a file */
	dev_t file_dev;
	ino_t file_ino;
	char why[IN_USE_WHY_MAX];	/* filled: who uses it, "" when nobody */
};

/* Whether devno is mounted (this mount namespace), with the mount point in where. */
bool in_use_mounted(dev_t devno, char *where, size_t size);

/* Fills each target's why, in one pass over the processes for all of them. */
void in_use_scan(struct in_use *targets, size_t count);

/*
 * Nothing to ask when why is empty. Otherwise prints "what: in use (why)"
 * and, on a terminal without --yes, asks "question [y/N]"; 0 to go ahead
 * (--yes, or the answer y), -EBUSY (logged) otherwise. --dry-run only
 * reports the use and goes ahead, since nothing will change.
 */
int confirm(const struct options *options, const char *what, const char *why,
	    const char *question);

/*
 * The same for the device-mapper device name (a combined device), whose
 * opens by the kernel (dm's open count: LIO exports, swap, a loop device)
 * count too. For drop, remove and replace.
 */
int confirm_in_use(const struct options *options, const char *name, const char *question);

#endif
