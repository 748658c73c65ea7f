/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The map of one combined device: which volume sits in which region. The
 * registry stores it, the table line is made from it, output prints it.
 * Sizes are 512-byte sectors throughout, as in the kernel's table.
 */
#ifndef DMCOMBINE_COMBINED_H
#define DMCOMBINE_COMBINED_H

#include <endian.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "dm-combine-gpt.h"
#include "volume.h"

#define UUID_STRING_LEN DMC_GUID_STRING_LEN
#define SECTOR_SIZE 512U
/* Logical block sizes accepted: powers of two in this range. */
#define MIN_LOGICAL_BLOCK_SIZE 512U
#define MAX_LOGICAL_BLOCK_SIZE 65536U
/* Keeps every byte offset of the device within 64 bits. */
#define MAX_SECTORS (UINT64_MAX / SECTOR_SIZE)

enum layout {
	LAYOUT_CONCAT,		/* volumes end to end in the order given */
	LAYOUT_GPT,		/* a GUID partition table, one partition per volume */
};

/*
 * Under gpt: volumes start at DMC_GPT_ALIGN_SECTORS (1 MiB) boundaries in
 * region order, the GPT and the padding are "gpt areas", and the device
 * ends at a 1 MiB boundary after the backup GPT (whole-MiB disks are what
 * hypervisors and cloud image formats expect; the cost is under 1 MiB).
 * Partition numbers are 1 to DMC_GPT_ENTRIES; IDs are ASCII, one UTF-16
 * unit per character, so at most DMC_GPT_NAME_UNITS long.
 */

struct region {
	uint64_t start;		/* first sector in the combined device */
	uint64_t length;
	bool hole;		/* no volume: the fields below are unused */
	bool gpt_area;		/* a hole the gpt layout fills: GPT or padding */
	char id[NAME_MAX_LEN + 1];
	char *source;		/* as the user gave it */
	char *identity;		/* how assemble finds the volume again */
	uint64_t size;		/* of the whole volume */
	uint64_t offset;	/* first sector used on the volume */
	bool loop;		/* a regular file behind a loop device */
	/*
	 * Reserve after the region the volume may still grow into (gpt
	 * only): gpt areas of at least this length follow it. 0 in maps
	 * saved before it existed.
	 */
	uint64_t headroom;
	dev_t devno;		/* the block device in use; not stored */
	bool missing;		/* assembled degraded: mapped as a hole; not stored */
	/* Under gpt only (partition 0 and empty strings under concat): */
	unsigned int partition;	/* 1..DMC_GPT_ENTRIES, kept for life */
	char partuuid[UUID_STRING_LEN + 1];	/* unique partition GUID */
	char parttype[UUID_STRING_LEN + 1];	/* partition type GUID */
};

struct combined {
	char name[NAME_MAX_LEN + 1];
	char uuid[UUID_STRING_LEN + 1];
	enum layout layout;
	unsigned int logical_block_size;	/* bytes */
	uint64_t generation;	/* saves of the map so far (store_save); 0 before any */
	bool shared;		/* another host may hold it too: no layout changes (import.h) */
	bool latency;		/* the target's latency feature: histograms per region */
	size_t nr_regions;
	struct region *regions;
};

/* -EINVAL for a name that is not a layout. */
int layout_parse(const char *name, enum layout *layout);
const char *layout_name(enum layout layout);

struct combined *combined_new(const char *name, const char *uuid, enum layout layout,
			      unsigned int logical_block_size);
void combined_free(struct combined *combined);
uint64_t combined_size(const struct combined *combined);
size_t combined_volume_count(const struct combined *combined);
/* Index of the volume with this ID, or -1. */
ssize_t combined_find(const struct combined *combined, const char *id);

/*
 * Appends a region at the end: volume (start, length filled in here) or,
 * with volume == NULL, a hole of length sectors (the registry reader needs
 * those). Strings are copied. -EEXIST for a taken ID, -E2BIG past the
 * kernel's region limit or past MAX_SECTORS, -ENOMEM.
 */
int combined_append(struct combined *combined, const struct region *volume, uint64_t length);
/* Appends a gpt area of length sectors (the registry reader needs those too). */
int combined_append_gpt_area(struct combined *combined, uint64_t length);
/*
 * Adds a whole volume (offset 0, its full size) as the layout places it.
 * concat: at the end. gpt: at the next 1 MiB boundary after the last
 * volume or hole, with the first free partition number, padding of at
 * least volume->headroom after it, the tail area moved behind that; the
 * caller sets partuuid and parttype. concat has no headroom (-EINVAL). gpt also gives
 * -ENAMETOOLONG for an ID longer than DMC_GPT_NAME_UNITS and -ENOSPC when all
 * DMC_GPT_ENTRIES numbers are taken.
 */
int combined_add_volume(struct combined *combined, const struct region *volume);
/*
 * Turns a volume's region into a hole, merged with holes next to it, so
 * that every other region keeps its start (and, under gpt, its partition
 * number; the dropped one's becomes free). -ENOENT for an unknown ID,
 * -EPERM for the last volume.
 */
int combined_drop(struct combined *combined, const char *id);

/*
 * Gives volume index its new whole size (sectors, a multiple of the logical
 * block size) without moving any other region: the region grows into the
 * gpt areas and holes after it up to the next volume (under gpt, the
 * backup GPT's area stays), and the last volume past the end, the device
 * growing (under gpt the tail area moves behind it, ending at a 1 MiB
 * boundary). The headroom shrinks by what the growth used of it. -ERANGE
 * for a size smaller than the region needs, -ENOSPC when the room after it
 * is too short, -E2BIG past MAX_SECTORS, -ENOMEM; on failure the map is as
 * before.
 */
int combined_resize(struct combined *combined, size_t index, uint64_t size);
/* Sectors volume index may grow by without growing the device or moving anything. */
uint64_t combined_room(const struct combined *combined, size_t index);

/* True when sectors is a whole number of logical blocks of block_size bytes. */
bool sectors_aligned(uint64_t sectors, unsigned int block_size);
bool logical_block_size_valid(unsigned int block_size);

/* The partition number the next gpt volume gets, 0 when all are taken. */
unsigned int combined_free_partition(const struct combined *combined);
/* Sectors the gpt layout's head (MBR, header, entries) and tail need at least. */
uint64_t gpt_head_sectors(unsigned int block_size);
uint64_t gpt_tail_sectors(unsigned int block_size);
/*
 * The partition type GUID for what libblkid found on a volume (its TYPE,
 * "" when nothing): Microsoft basic data for NTFS, FAT and exFAT, Linux
 * swap, LVM, RAID and LUKS for theirs, Linux filesystem data otherwise.
 */
const char *gpt_type_for(const char *fstype);

#endif
