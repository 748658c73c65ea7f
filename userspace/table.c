// SPDX-License-Identifier: GPL-2.0-only
/* Table line out, live table and INFO status in. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "log.h"
#include "table.h"

/* "<len> <major:minor> <offset> " with 64-bit numbers fits in this. */
#define REGION_TEXT_MAX 64
/* ... and " <partition> <type_guid> <part_guid> <name>" under gpt. */
#define GPT_REGION_TEXT_MAX (REGION_TEXT_MAX + 2 * (UUID_STRING_LEN + 1) + NAME_MAX_LEN + 8)

/* The region's words after "<len> <dev> <offset>" under gpt, or "". */
static int print_partition(char *text, const struct combined *combined,
			   const struct region *region)
{
	if (combined->layout != LAYOUT_GPT || region->hole || region->missing)
		return 0;
	return sprintf(text, " %u %s %s %s", region->partition, region->parttype,
		       region->partuuid, region->id);
}

/* Words of the map's features: the gpt layout's, then latency's, as the target prints them. */
static int feature_args(const struct combined *combined)
{
	return (combined->layout == LAYOUT_GPT ? DM_COMBINE_FEATURE_GPT_ARGS : 0) +
	       combined->latency;
}

char *table_params(const struct combined *combined)
{
	const unsigned int block_size = combined->logical_block_size;
	size_t i, used, size;
	char *params;

	if (!combined->nr_regions || combined->nr_regions > DM_COMBINE_MAX_REGIONS) {
		log_error(0, combined->name, "%zu regions (1 to %u possible)",
			  combined->nr_regions, DM_COMBINE_MAX_REGIONS);
		return NULL;
	}
	size = (combined->layout == LAYOUT_GPT ? GPT_REGION_TEXT_MAX : REGION_TEXT_MAX) *
	       (combined->nr_regions + 1);
	params = malloc(size);
	if (!params) {
		log_error(0, combined->name, "%s", strerror(ENOMEM));
		return NULL;
	}
	used = (size_t)sprintf(params, "%d", feature_args(combined));
	if (combined->layout == LAYOUT_GPT)
		used += (size_t)sprintf(params + used, " " DM_COMBINE_FEATURE_GPT " %u %s",
					block_size, combined->uuid);
	if (combined->latency)
		used += (size_t)sprintf(params + used, " " DM_COMBINE_FEATURE_LATENCY);
	used += (size_t)sprintf(params + used, " %zu", combined->nr_regions);
	for (i = 0; i < combined->nr_regions; i++) {
		const struct region *region = &combined->regions[i];

		if (!sectors_aligned(region->start, block_size) ||
		    !sectors_aligned(region->length, block_size) ||
		    !sectors_aligned(region->offset, block_size)) {
			log_error(0, combined->name, "region %zu (%s) is not aligned to the logical block size of %u bytes",
				  i, region->hole ? "a hole" : region->id, block_size);
			free(params);
			return NULL;
		}
		/* A missing volume of a degraded device is a hole: its I/O fails. */
		if (region->hole || region->missing)
			used += (size_t)sprintf(params + used, " %" PRIu64 " %s 0", region->length,
						region->gpt_area ? DM_COMBINE_GPT_AREA : DM_COMBINE_HOLE);
		else
			used += (size_t)sprintf(params + used, " %" PRIu64 " %u:%u %" PRIu64,
						region->length, major(region->devno),
						minor(region->devno), region->offset);
		used += (size_t)print_partition(params + used, combined, region);
	}
	return params;
}

/* Reads an unsigned decimal word ending at a space or the end. */
static int parse_u64(const char **pos, uint64_t *value)
{
	char *end;

	if (**pos < '0' || **pos > '9')
		return -EINVAL;
	errno = 0;
	*value = strtoull(*pos, &end, 10);
	if (errno || (*end && *end != ' '))
		return -EINVAL;
	*pos = end + (*end == ' ');
	return 0;
}

/* Reads one word ending at a space or the end into word[size]. */
static int parse_word(const char **pos, char *word, size_t size)
{
	size_t len = strcspn(*pos, " ");

	if (!len || len >= size)
		return -EINVAL;
	memcpy(word, *pos, len);
	word[len] = '\0';
	*pos += len + ((*pos)[len] == ' ');
	return 0;
}

/* Reads one word that must be expected. */
static int expect_word(const char **pos, const char *expected)
{
	char word[NAME_MAX_LEN + 1];

	return parse_word(pos, word, sizeof(word)) || strcmp(word, expected) ? -EINVAL : 0;
}

/* The feature arguments: exactly the map's (gpt for gpt, latency when on). */
static int parse_features(const char **pos, const struct combined *combined)
{
	uint64_t count, block_size;

	if (parse_u64(pos, &count) || count != (uint64_t)feature_args(combined))
		return -EINVAL;
	if (combined->layout == LAYOUT_GPT &&
	    (expect_word(pos, DM_COMBINE_FEATURE_GPT) || parse_u64(pos, &block_size) ||
	     block_size != combined->logical_block_size || expect_word(pos, combined->uuid)))
		return -EINVAL;
	if (combined->latency && expect_word(pos, DM_COMBINE_FEATURE_LATENCY))
		return -EINVAL;
	return 0;
}

/* A volume's words after its offset under gpt: they must be the map's. */
static int parse_partition(const char **pos, const struct combined *combined,
			   const struct region *region)
{
	uint64_t partition;

	if (combined->layout != LAYOUT_GPT)
		return 0;
	if (parse_u64(pos, &partition) || partition != region->partition ||
	    expect_word(pos, region->parttype) || expect_word(pos, region->partuuid) ||
	    expect_word(pos, region->id))
		return -EINVAL;
	return 0;
}

int table_parse_devices(const char *params, const struct combined *combined, dev_t *devnos)
{
	const char *pos = params;
	uint64_t count, length, offset;
	char device[REGION_TEXT_MAX];
	unsigned int major_nr, minor_nr;
	char tail;
	size_t i;

	if (parse_features(&pos, combined) || parse_u64(&pos, &count) ||
	    count != combined->nr_regions)
		return -EINVAL;
	for (i = 0; i < combined->nr_regions; i++) {
		const struct region *region = &combined->regions[i];

		if (parse_u64(&pos, &length) || length != region->length ||
		    parse_word(&pos, device, sizeof(device)) || parse_u64(&pos, &offset))
			return -EINVAL;
		devnos[i] = 0;
		/* A volume mapped as a hole: missing, the device assembled degraded. */
		if (!region->hole && !strcmp(device, DM_COMBINE_HOLE) && !offset)
			continue;
		if (region->hole) {
			if (strcmp(device, region->gpt_area ? DM_COMBINE_GPT_AREA : DM_COMBINE_HOLE) ||
			    offset)
				return -EINVAL;
			continue;
		}
		if (offset != region->offset ||
		    sscanf(device, "%u:%u%c", &major_nr, &minor_nr, &tail) != 2 ||
		    parse_partition(&pos, combined, region))
			return -EINVAL;
		devnos[i] = makedev(major_nr, minor_nr);
	}
	return *pos ? -EINVAL : 0;
}

/* Words separated by single spaces from pos on. */
static size_t count_words(const char *pos)
{
	size_t count = *pos != '\0';

	for (; *pos; pos++)
		count += *pos == ' ';
	return count;
}

uint64_t *counters_field(struct region_counters *c, size_t index)
{
	uint64_t *const fields[DM_COMBINE_STATUS_COUNTERS] = {
		&c->reads, &c->writes, &c->read_sectors, &c->write_sectors, &c->errors,
		&c->discards, &c->discard_sectors, &c->write_zeroes, &c->write_zeroes_sectors,
		&c->flush_errors,
	};

	return fields[index];
}

/* A region's completion times: both sums, then read and write buckets. */
static int parse_latency(const char **pos, struct region_latency *latency)
{
	unsigned int b;

	if (parse_u64(pos, &latency->read.usecs) || parse_u64(pos, &latency->write.usecs))
		return -EINVAL;
	for (b = 0; b < DM_COMBINE_LATENCY_BUCKETS; b++)
		if (parse_u64(pos, &latency->read.buckets[b]))
			return -EINVAL;
	for (b = 0; b < DM_COMBINE_LATENCY_BUCKETS; b++)
		if (parse_u64(pos, &latency->write.buckets[b]))
			return -EINVAL;
	return 0;
}

int status_parse(const char *status, size_t nr_regions, struct region_counters *counters,
		 struct region_latency *latency)
{
	const size_t latency_fields = 2 + 2 * DM_COMBINE_LATENCY_BUCKETS;
	const char *pos = status;
	size_t i, nr_fields;
	uint64_t count;

	if (parse_u64(&pos, &count) || count != nr_regions)
		return -EINVAL;
	nr_fields = count_words(pos);
	/* The latency feature came after the ten counters. */
	if (latency && nr_fields == nr_regions * (DM_COMBINE_STATUS_COUNTERS + latency_fields))
		nr_fields = DM_COMBINE_STATUS_COUNTERS;
	else if (!latency && nr_fields == nr_regions * DM_COMBINE_STATUS_COUNTERS)
		nr_fields = DM_COMBINE_STATUS_COUNTERS;
	else if (!latency && nr_fields == nr_regions * DM_COMBINE_STATUS_COUNTERS_1_1)
		nr_fields = DM_COMBINE_STATUS_COUNTERS_1_1;
	else
		return -EINVAL;
	for (i = 0; i < nr_regions; i++) {
		struct region_counters *c = &counters[i];
		size_t f;

		*c = (struct region_counters){ .by_kind = nr_fields == DM_COMBINE_STATUS_COUNTERS };
		for (f = 0; f < nr_fields; f++)
			if (parse_u64(&pos, counters_field(c, f)))
				return -EINVAL;
		if (latency && parse_latency(&pos, &latency[i]))
			return -EINVAL;
	}
	return *pos ? -EINVAL : 0;
}

/* Longest regions_print line: each of its numbers at most 20 digits and a separator. */
#define REGION_LINE_MAX ((DM_COMBINE_STATUS_COUNTERS + 2 + 2 * DM_COMBINE_LATENCY_BUCKETS) * 21)

int regions_parse(const char *lines, size_t nr_regions, struct region_counters *counters,
		  struct region_latency *latency)
{
	char line[REGION_LINE_MAX + 1];
	const char *pos;
	size_t i, f, len;

	for (i = 0; i < nr_regions; i++) {
		len = strcspn(lines, "\n");
		if (lines[len] != '\n' || len > REGION_LINE_MAX)
			return -EINVAL;
		memcpy(line, lines, len);
		line[len] = '\0';
		lines += len + 1;
		pos = line;
		counters[i] = (struct region_counters){ .by_kind = true };
		for (f = 0; f < DM_COMBINE_STATUS_COUNTERS; f++)
			if (parse_u64(&pos, counters_field(&counters[i], f)))
				return -EINVAL;
		if ((latency && parse_latency(&pos, &latency[i])) || *pos)
			return -EINVAL;
	}
	return *lines ? -EINVAL : 0;
}
