/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A volume about to become part of a combined device: found (path, tag,
 * file, or a saved identity), opened once, identified (identity.h),
 * measured and checked for the refusals that need only the volume itself
 * (missing, wrong type, empty, mounted, held, a multipath path, combined
 * or stacked on a combined device). Across volumes: member_check_unused
 * compares devices with every map; IDs and duplicates are the commands'.
 */
#ifndef DMCOMBINE_MEMBER_H
#define DMCOMBINE_MEMBER_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "combined.h"
#include "identity.h"
#include "probe.h"
#include "volume.h"

struct member {
	struct volume_spec spec;
	char path[PATH_MAX];		/* block device or regular file */
	bool is_file;
	dev_t devno;			/* block device; for files once attached */
	dev_t file_dev;			/* a file's st_dev and st_ino: the same file twice */
	ino_t file_ino;
	uint64_t size;			/* bytes */
	unsigned int block_size;	/* logical block size, bytes */
	struct probe_result probe;	/* what it holds: label, UUIDs, type */
	char identity[PATH_MAX];	/* host-assigned: see identity.h */
	enum identity_kind identity_kind;
	char device[PATH_MAX];		/* the block device to map: path or /dev/loopN */
	int fd;				/* the volume, open from resolve to release */
	int loop_fd;			/* -1, or the loop held open until the device is made */
};

/* count members with nothing open, for member_release; NULL without memory. */
struct member *members_new(size_t count);
/*
 * Fills member from spec (a path or a tag the user gave) and chooses its
 * host-assigned identity; -errno (logged) when the volume is refused.
 */
int member_resolve(const struct volume_spec *spec, struct member *member);
/*
 * Finds the volume of region (a map's saved volume) by its identity, which
 * must name exactly one device, of the saved type, and at least the saved
 * size (one that grew is mapped as saved until it is resized).
 */
int member_find_saved(const struct region *region, struct member *member);
/* One warning line for each member saved by its kernel name: after success only. */
void member_warn_weak(const struct member *members, size_t count);
/*
 * One warning line for each member the host names at boot (/etc/fstab,
 * root= ...) that it could not find in the combined device NAME: any under
 * gpt, all but the first under concat (first_spans: the first volume's
 * file system is the combined device's). After success only.
 */
void member_warn_boot_names(const char *name, const struct member *members, size_t count,
			    bool first_spans);
/*
 * One device, one place: refuses members that another map has, or that a
 * live combined device holds (own_name: the map being assembled, skipped).
 */
int member_check_unused(const char *config_dir, const char *own_name,
			const struct member *members, size_t count);
/* Gives a file its loop device (no-op for block devices). */
int member_attach(struct member *member);
/* Lets go of the volume and the loop: after success the combined device holds it, else it goes. */
void member_release(struct member *member);
/* The same volume: same device number, or same file. */
bool member_same(const struct member *a, const struct member *b);

#endif
