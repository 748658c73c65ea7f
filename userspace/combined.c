// SPDX-License-Identifier: GPL-2.0-only
/* The in-memory map of a combined device and the ways it may change. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm-combine.h"
#include "combined.h"

static const char *const layout_names[] = {
	[LAYOUT_CONCAT] = "concat",
};
/* Layouts the contract names that this version cannot build yet. */
static const char *const planned_layouts[] = { "gpt" };

int layout_parse(const char *name, enum layout *layout)
{
	size_t i;

	for (i = 0; i < sizeof(layout_names) / sizeof(layout_names[0]); i++) {
		if (!strcmp(name, layout_names[i])) {
			*layout = (enum layout)i;
			return 0;
		}
	}
	for (i = 0; i < sizeof(planned_layouts) / sizeof(planned_layouts[0]); i++)
		if (!strcmp(name, planned_layouts[i]))
			return -EOPNOTSUPP;
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

int combined_append(struct combined *combined, const struct region *volume, uint64_t length)
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
	}
	region->start = start;
	region->length = length;
	combined->nr_regions++;
	return 0;
}

int combined_add_volume(struct combined *combined, const struct region *volume)
{
	struct region placed = *volume;

	placed.offset = 0;
	return combined_append(combined, &placed, volume->size);
}

static void merge_with_next_hole(struct combined *combined, size_t i)
{
	struct region *regions = combined->regions;

	if (i + 1 >= combined->nr_regions || !regions[i].hole || !regions[i + 1].hole)
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
