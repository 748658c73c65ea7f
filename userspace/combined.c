// SPDX-License-Identifier: GPL-2.0-only
/* The in-memory map of a combined device and the ways it may change. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm-combine.h"
#include "combined.h"

static const char *const layout_names[] = {
	[LAYOUT_CONCAT] = "concat",
	[LAYOUT_GPT] = "gpt",
};


int layout_parse(const char *name, enum layout *layout)
{
	size_t i;

	for (i = 0; i < sizeof(layout_names) / sizeof(layout_names[0]); i++) {
		if (!strcmp(name, layout_names[i])) {
			*layout = (enum layout)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *layout_name(enum layout layout)
{
	return layout_names[layout];
}

bool logical_block_size_valid(unsigned int block_size)
{
	return block_size >= MIN_LOGICAL_BLOCK_SIZE && block_size <= MAX_LOGICAL_BLOCK_SIZE &&
	       !(block_size & (block_size - 1));
}

bool sectors_aligned(uint64_t sectors, unsigned int block_size)
{
	return sectors % (block_size / SECTOR_SIZE) == 0;
}

struct combined *combined_new(const char *name, const char *uuid, enum layout layout,
			      unsigned int logical_block_size)
{
	struct combined *combined = calloc(1, sizeof(*combined));

	if (!combined)
		return NULL;
	snprintf(combined->name, sizeof(combined->name), "%s", name);
	snprintf(combined->uuid, sizeof(combined->uuid), "%s", uuid);
	combined->layout = layout;
	combined->logical_block_size = logical_block_size;
	return combined;
}

static void region_clear(struct region *region)
{
	free(region->source);
	free(region->identity);
	region->source = region->identity = NULL;
}

void combined_free(struct combined *combined)
{
	size_t i;

	if (!combined)
		return;
	for (i = 0; i < combined->nr_regions; i++)
		region_clear(&combined->regions[i]);
	free(combined->regions);
	free(combined);
}

uint64_t combined_size(const struct combined *combined)
{
	const struct region *last;

	if (!combined->nr_regions)
		return 0;
	last = &combined->regions[combined->nr_regions - 1];
	return last->start + last->length;
}

size_t combined_volume_count(const struct combined *combined)
{
	size_t i, count = 0;

	for (i = 0; i < combined->nr_regions; i++)
		count += !combined->regions[i].hole;
	return count;
}

ssize_t combined_find(const struct combined *combined, const char *id)
{
	size_t i;

	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole && !strcmp(combined->regions[i].id, id))
			return (ssize_t)i;
	return -1;
}

/* Appends a volume, or with volume == NULL a hole (a gpt area if gpt_area). */
static int append_region(struct combined *combined, const struct region *volume,
			 bool gpt_area, uint64_t length)
{
	uint64_t start = combined_size(combined);
	struct region *regions, *region;

	if (volume && combined_find(combined, volume->id) >= 0)
		return -EEXIST;
	if (combined->nr_regions >= DM_COMBINE_MAX_REGIONS || length > MAX_SECTORS - start)
		return -E2BIG;
	regions = realloc(combined->regions, (combined->nr_regions + 1) * sizeof(*regions));
	if (!regions)
		return -ENOMEM;
	combined->regions = regions;
	region = &regions[combined->nr_regions];
	memset(region, 0, sizeof(*region));
	if (volume) {
		*region = *volume;
		region->source = strdup(volume->source);
		region->identity = strdup(volume->identity);
		if (!region->source || !region->identity) {
			region_clear(region);
			return -ENOMEM;
		}
	} else {
		region->hole = true;
		region->gpt_area = gpt_area;
	}
	region->start = start;
	region->length = length;
	combined->nr_regions++;
	return 0;
}

int combined_append(struct combined *combined, const struct region *volume, uint64_t length)
{
	return append_region(combined, volume, false, length);
}

int combined_append_gpt_area(struct combined *combined, uint64_t length)
{
	return append_region(combined, NULL, true, length);
}

uint64_t gpt_head_sectors(unsigned int block_size)
{
	return dmc_gpt_head_blocks(block_size) * (block_size / SECTOR_SIZE);
}

uint64_t gpt_tail_sectors(unsigned int block_size)
{
	return dmc_gpt_tail_blocks(block_size) * (block_size / SECTOR_SIZE);
}

unsigned int combined_free_partition(const struct combined *combined)
{
	bool taken[DMC_GPT_ENTRIES + 1] = { false };
	unsigned int number;
	size_t i;

	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole && combined->regions[i].partition <= DMC_GPT_ENTRIES)
			taken[combined->regions[i].partition] = true;
	for (number = 1; number <= DMC_GPT_ENTRIES; number++)
		if (!taken[number])
			return number;
	return 0;
}

static uint64_t align_up(uint64_t sectors)
{
	return (sectors + DMC_GPT_ALIGN_SECTORS - 1) / DMC_GPT_ALIGN_SECTORS * DMC_GPT_ALIGN_SECTORS;
}

/*
 * The gpt placement: the tail area goes (the first volume gets the head
 * area instead), padding up to the next 1 MiB boundary, the volume, and a
 * new tail ending at a 1 MiB boundary. On failure the map is as before.
 */
static int gpt_add_volume(struct combined *combined, struct region *placed)
{
	size_t old_count = combined->nr_regions;
	struct region old_tail = { 0 };
	uint64_t end;
	int r;

	if (strlen(placed->id) > DMC_GPT_NAME_UNITS)
		return -ENAMETOOLONG;
	placed->partition = combined_free_partition(combined);
	if (!placed->partition)
		return -ENOSPC;
	if (old_count) {
		old_tail = combined->regions[--combined->nr_regions];
		r = 0;
	} else {
		r = combined_append_gpt_area(combined, DMC_GPT_ALIGN_SECTORS);
	}
	end = combined_size(combined);
	if (!r && align_up(end) > end)
		r = combined_append_gpt_area(combined, align_up(end) - end);
	if (!r)
		r = combined_append(combined, placed, placed->size);
	/* The reserve: padding the volume can grow into, kept when others follow. */
	end = combined_size(combined);
	if (!r && placed->headroom)
		r = combined_append_gpt_area(combined, align_up(end + placed->headroom) - end);
	end = combined_size(combined);
	if (!r)
		r = combined_append_gpt_area(combined, align_up(end + gpt_tail_sectors(
			combined->logical_block_size)) - end);
	if (r) {
		while (combined->nr_regions > old_count - !!old_count)
			region_clear(&combined->regions[--combined->nr_regions]);
		if (old_count)
			combined->regions[combined->nr_regions++] = old_tail;
	}
	return r;
}

int combined_add_volume(struct combined *combined, const struct region *volume)
{
	struct region placed = *volume;

	placed.offset = 0;
	if (combined->layout == LAYOUT_GPT)
		return gpt_add_volume(combined, &placed);
	if (placed.headroom)
		return -EINVAL;
	return combined_append(combined, &placed, volume->size);
}

/* Whether region i is the gpt layout's tail area, which a volume never grows into. */
static bool is_gpt_tail(const struct combined *combined, size_t i)
{
	return combined->layout == LAYOUT_GPT && i + 1 == combined->nr_regions;
}

/* The first volume after index, or nr_regions. */
static size_t next_volume(const struct combined *combined, size_t index)
{
	size_t i = index + 1;

	while (i < combined->nr_regions && combined->regions[i].hole)
		i++;
	return i;
}

uint64_t combined_room(const struct combined *combined, size_t index)
{
	size_t i, end = next_volume(combined, index);
	uint64_t room = 0;

	for (i = index + 1; i < end && !is_gpt_tail(combined, i); i++)
		room += combined->regions[i].length;
	return room;
}

static void remove_region(struct combined *combined, size_t i)
{
	memmove(&combined->regions[i], &combined->regions[i + 1],
		(combined->nr_regions - i - 1) * sizeof(combined->regions[0]));
	combined->nr_regions--;
}

int combined_resize(struct combined *combined, size_t index, uint64_t size)
{
	struct region *region = &combined->regions[index];
	bool last = next_volume(combined, index) == combined->nr_regions;
	uint64_t grow, take, room = combined_room(combined, index), end;
	size_t i = index + 1;

	if (size < region->offset || size - region->offset < region->length)
		return -ERANGE;
	grow = size - region->offset - region->length;
	if (grow > room && !last)
		return -ENOSPC;
	/* Both below MAX_SECTORS: the sum cannot wrap. */
	end = region->start + (size - region->offset);
	if (grow > room && (end > MAX_SECTORS || gpt_tail_sectors(combined->logical_block_size) +
			    DMC_GPT_ALIGN_SECTORS > MAX_SECTORS - end))
		return -E2BIG;
	/* Growth comes out of the holes and gpt areas after it, in order. */
	region->size = size;
	region->headroom -= grow < region->headroom ? grow : region->headroom;
	while (grow && i < combined->nr_regions && combined->regions[i].hole &&
	       !is_gpt_tail(combined, i)) {
		take = grow < combined->regions[i].length ? grow : combined->regions[i].length;
		region->length += take;
		grow -= take;
		combined->regions[i].start += take;
		combined->regions[i].length -= take;
		if (!combined->regions[i].length)
			remove_region(combined, i);
	}
	if (!grow)
		return 0;
	/* The last volume grows past the end: under gpt the tail area moves behind it. */
	region->length += grow;
	if (combined->layout != LAYOUT_GPT)
		return 0;
	end = region->start + region->length;
	combined->regions[index + 1].start = end;
	combined->regions[index + 1].length =
		align_up(end + gpt_tail_sectors(combined->logical_block_size)) - end;
	return 0;
}

const char *gpt_type_for(const char *fstype)
{
	static const struct {
		const char *fstype, *type;
	} types[] = {
		{ "ntfs", DMC_GPT_TYPE_MS_BASIC_DATA },
		{ "vfat", DMC_GPT_TYPE_MS_BASIC_DATA },
		{ "exfat", DMC_GPT_TYPE_MS_BASIC_DATA },
		{ "BitLocker", DMC_GPT_TYPE_MS_BASIC_DATA },
		{ "swap", DMC_GPT_TYPE_LINUX_SWAP },
		{ "LVM2_member", DMC_GPT_TYPE_LINUX_LVM },
		{ "linux_raid_member", DMC_GPT_TYPE_LINUX_RAID },
		{ "crypto_LUKS", DMC_GPT_TYPE_LINUX_LUKS },
	};
	size_t i;

	for (i = 0; fstype && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(fstype, types[i].fstype))
			return types[i].type;
	return DMC_GPT_TYPE_LINUX_DATA;
}

static void merge_with_next_hole(struct combined *combined, size_t i)
{
	struct region *regions = combined->regions;

	/* A gpt area reads as the GPT or zeros: it stays apart from holes. */
	if (i + 1 >= combined->nr_regions || !regions[i].hole || !regions[i + 1].hole ||
	    regions[i].gpt_area || regions[i + 1].gpt_area)
		return;
	regions[i].length += regions[i + 1].length;
	memmove(&regions[i + 1], &regions[i + 2],
		(combined->nr_regions - i - 2) * sizeof(*regions));
	combined->nr_regions--;
}

int combined_drop(struct combined *combined, const char *id)
{
	ssize_t found = combined_find(combined, id);
	size_t i;

	if (found < 0)
		return -ENOENT;
	/* A device of holes only would fail every I/O: remove it instead. */
	if (combined_volume_count(combined) == 1)
		return -EPERM;
	i = (size_t)found;
	region_clear(&combined->regions[i]);
	combined->regions[i] = (struct region){
		.start = combined->regions[i].start,
		.length = combined->regions[i].length,
		.hole = true,
	};
	merge_with_next_hole(combined, i);
	if (i > 0)
		merge_with_next_hole(combined, i - 1);
	return 0;
}
