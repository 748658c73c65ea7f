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
/*
 * The region is the unit of copying and of dirty tracking. dm-raid1
 * copies one region at a time, kcopyd splitting it into sub-jobs of 512
 * KiB (dm_mod's kcopyd_subjob_size_kb) run at once: a region of 1 MiB
 * keeps two in flight, as much as dd with 1 MiB blocks, which devices
 * with latency need to copy at dd's rate; larger regions make every
 * other I/O wait longer behind one (tests/bench/analysis.md, move).
 */
#define MIRROR_REGION_SECTORS 2048U
/* At most this many regions: the core log keeps three bitmaps of them in kernel memory. */
#define MIRROR_MAX_REGIONS (1U << 22)

/*
 * The region size for a volume of sectors: MIRROR_REGION_SECTORS, larger
 * for a volume of more than MIRROR_MAX_REGIONS of them, smaller for one
 * smaller than it (dm-log wants a power of two no larger than the device).
 */
unsigned int mirror_region_sectors(uint64_t sectors);
/* "core 1 <region> 2 <old> <offset> <new> 0 1 handle_errors"; free it; NULL without memory. */
char *mirror_params(unsigned int region_sectors, dev_t old_dev, uint64_t old_offset, dev_t new_dev);

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
