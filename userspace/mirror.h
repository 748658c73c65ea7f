/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's mirror target (dm-raid1), as a move uses it: the copy
 * machinery pvmove uses. A move's mirror has two legs, the volume's old
 * device (at the volume's offset) and the new one (from sector 0), an
 * in-memory ("core") log that starts with every region out of sync, so
 * the kernel copies all of it from the first leg, and handle_errors, so a
 * failing leg is marked in the status instead of failing the volume.
 * Writes during the copy reach both legs. Pure text handling.
 */
#ifndef DMCOMBINE_MIRROR_H
#define DMCOMBINE_MIRROR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define MIRROR_TARGET "mirror"
/* 2 MiB regions: the unit of copying and of dirty tracking (pvmove's default order). */
#define MIRROR_REGION_SECTORS 4096U

/* "core 1 <region> 2 <old> <offset> <new> 0 1 handle_errors"; free it; NULL without memory. */
char *mirror_params(dev_t old_dev, uint64_t old_offset, dev_t new_dev);

/* The legs of a move's mirror from its TABLE status; -EINVAL for any other table. */
int mirror_parse_legs(const char *table, dev_t *old_dev, uint64_t *old_offset, dev_t *new_dev);

/* What the INFO status says: regions copied, and each leg's health letter. */
struct mirror_sync {
	uint64_t in_sync, regions;
	char old_health, new_health;	/* 'A' alive; D, S, R, F, U: failed (dm-raid1.c) */
};

/* Parses "2 <old> <new> <in_sync>/<regions> 1 <h><h> ..."; -EINVAL when malformed. */
int mirror_parse_status(const char *status, struct mirror_sync *sync);
/* Every region copied and both legs alive. */
bool mirror_synced(const struct mirror_sync *sync);

#endif
