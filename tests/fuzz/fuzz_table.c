// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of the combine target's constructor and status, built
 * from kernel/dm-combine.c itself on the kernel shim in shim/.
 *
 * An input is one dmsetup table line, "<start> <length> <target> <args>",
 * split on white space as the dm core splits it; <target> is not read.  A
 * <length> of "*" is the sum of the region lengths, so that mutations of a
 * valid table often stay valid and reach the checks after parsing.
 *
 * The constructor must either fail, saying why and holding nothing, or
 * build a target that passes the dm core's device checks, finds every
 * region boundary through its index, prints INFO and IMA status and the
 * regions_print answer as documented into buffers of any size, and prints a TABLE status that
 * constructs the same target again.  Then the constructor runs once more
 * per allocation it made, with that allocation failing: it must fail and
 * free everything.
 */
#include "../../kernel/dm-combine.c"

#include <stdlib.h>

#include "fuzz-check.h"
#include "fuzz-shim.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The longest valid argument list, and one word more to be too long. */
#define MAX_ARGS (2 + DM_COMBINE_REGION_ARGS * DM_COMBINE_MAX_REGIONS + 1)

/* What the dm core sets before calling a constructor. */
static char unknown_error[] = "Unknown error";

/* The kernel's isspace(), which also counts Latin-1 0xa0. */
static bool is_kernel_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (unsigned char)c == 0xa0;
}

/* Words of line, as dm_split_args() makes them (no backslash escapes). */
static unsigned int split_words(char *line, char **words, unsigned int max)
{
	unsigned int n = 0;

	while (n < max) {
		while (is_kernel_space(*line))
			line++;
		if (!*line)
			break;
		words[n++] = line;
		while (*line && !is_kernel_space(*line))
			line++;
		if (*line)
			*line++ = '\0';
	}
	return n;
}

/* For <length> "*": what the region lengths add up to, 0 past 64 bits. */
static unsigned long long sum_region_lengths(char **args, unsigned int nr_args)
{
	unsigned long long sum = 0, len;
	unsigned int nr_features, i;
	bool gpt = false;

	if (nr_args < 2 || !shim_parse_uint(args[0], &nr_features) ||
	    nr_features > nr_args - 2)
		return 0;
	for (i = 1; i <= nr_features; i++)
		gpt |= !strcasecmp(args[i], DM_COMBINE_FEATURE_GPT);
	for (i = 2 + nr_features; i < nr_args; i += DM_COMBINE_REGION_ARGS) {
		if (!kstrtoull(args[i], 10, &len) &&
		    __builtin_add_overflow(sum, len, &sum))
			return 0;
		/* A volume region under gpt carries its partition's words. */
		if (gpt && i + 1 < nr_args && strcmp(args[i + 1], DM_COMBINE_HOLE) &&
		    strcmp(args[i + 1], DM_COMBINE_GPT_AREA))
			i += DM_COMBINE_PARTITION_ARGS;
	}
	return sum;
}

/* dm_table_add_target() around the constructor. */
static int construct(struct dm_target *ti, struct dm_table *table,
		     sector_t begin, sector_t len, unsigned int argc, char **argv)
{
	int r;

	*ti = (struct dm_target) {
		.table = table,
		.type = shim_target_type,
		.begin = begin,
		.len = len,
		.error = unknown_error,
	};
	r = ti->type->ctr(ti, argc, argv);
	if (!r) {
		CHECK(ti->error == unknown_error, "constructed, yet error \"%s\"",
		      ti->error);
		return 0;
	}
	CHECK(r < 0 && r >= -4095, "constructor returned %d", r);
	CHECK(ti->error && ti->error != unknown_error && ti->error[0],
	      "constructor failed (%d) without saying why", r);
	CHECK(!shim_table_nr_devices(table), "failed (%s) holding devices",
	      ti->error);
	CHECK(!shim_allocs.live, "failed (%s) leaking %ld allocations",
	      ti->error, shim_allocs.live);
	return r;
}

static void destroy(struct dm_target *ti)
{
	ti->type->dtr(ti);
	CHECK(!shim_table_nr_devices(ti->table), "destructor left devices held");
	CHECK(!shim_allocs.live, "destructor leaked %ld allocations",
	      shim_allocs.live);
}

/*
 * Status, or with argc words the answer to the message argv, into a buffer
 * of maxlen bytes that holds no NUL beforehand.
 */
static char *status(struct dm_target *ti, status_type_t type,
		    unsigned int argc, char **argv, unsigned int maxlen)
{
	char *result = malloc(maxlen);
	int r;

	CHECK(result, "out of memory");
	memset(result, 'x', maxlen);
	if (argc) {
		r = ti->type->message(ti, argc, argv, result, maxlen);
		CHECK(r == 1, "message %s: %d, not an answer", argv[0], r);
	} else {
		ti->type->status(ti, type, 0, result, maxlen);
	}
	CHECK(memchr(result, '\0', maxlen), "status %d of %u bytes unterminated",
	      type, maxlen);
	return result;
}

/*
 * The whole status (or message answer) as the dm core gets it, with a
 * larger buffer while it comes back full; then every smaller buffer must
 * hold a prefix of it.
 */
static char *output_checked(struct dm_target *ti, status_type_t type,
			    unsigned int argc, char **argv)
{
	unsigned int maxlen = 64, sizes[7], i;
	char *full, *part;
	size_t len;

	for (;;) {
		full = status(ti, type, argc, argv, maxlen);
		len = strlen(full);
		if (len + 1 < maxlen)
			break;
		free(full);
		maxlen *= 2;
	}
	sizes[0] = 1;
	sizes[1] = 2;
	sizes[2] = 3;
	sizes[3] = 8;
	sizes[4] = len / 2 + 1;
	sizes[5] = len;
	sizes[6] = len + 1;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (!sizes[i] || sizes[i] > len + 1)
			continue;
		part = status(ti, type, argc, argv, sizes[i]);
		CHECK(strlen(part) == sizes[i] - 1 &&
		      !memcmp(part, full, sizes[i] - 1),
		      "status %d into %u bytes is \"%s\", not a prefix of \"%s\"",
		      type, sizes[i], part, full);
		free(part);
	}
	return full;
}

static char *status_checked(struct dm_target *ti, status_type_t type)
{
	return output_checked(ti, type, 0, NULL);
}

/* The answer to "regions_print [start count]", checked as status_checked() does. */
static char *regions_print(struct dm_target *ti, const char *start, const char *count)
{
	char *argv[] = { (char *)DM_COMBINE_MSG_REGIONS_PRINT, (char *)start, (char *)count };

	return output_checked(ti, STATUSTYPE_INFO, start ? 3 : 1, argv);
}

/* The dm core's device_area_is_invalid(), which runs after construction. */
static int check_device_area(struct dm_target *ti, struct dm_dev *dev,
			     sector_t start, sector_t len, void *data)
{
	sector_t size = bdev_nr_sectors(dev->bdev);
	sector_t mask = (bdev_logical_block_size(dev->bdev) >> SECTOR_SHIFT) - 1;
	unsigned int *nr_areas = data;

	CHECK(len && start <= size && len <= size - start,
	      "area %llu+%llu past the end of %s", (unsigned long long)start,
	      (unsigned long long)len, dev->name);
	CHECK(!((start | len) & mask), "area %llu+%llu misaligned on %s",
	      (unsigned long long)start, (unsigned long long)len, dev->name);
	(*nr_areas)++;
	return 0;
}

/*
 * Regions cover the target, the index finds each one, and the dm core's
 * device checks pass: on every area iterate_devices reports, at least one
 * per member and at most three (span, first and odd region).
 */
static void check_regions(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;
	unsigned int i, nr_volumes = 0, nr_areas = 0;

	CHECK(!cc->starts[0] && cc->starts[cc->nr_regions] == ti->len,
	      "regions do not cover the target");
	for (i = 0; i < cc->nr_regions; i++) {
		CHECK(cc->starts[i] < cc->starts[i + 1], "region %u empty", i);
		CHECK(combine_find_region(cc, cc->starts[i]) == i &&
		      combine_find_region(cc, cc->starts[i + 1] - 1) == i,
		      "region %u not found through the index", i);
		nr_volumes += cc->regions[i].kind == COMBINE_VOLUME;
	}
	CHECK(cc->nr_members == shim_table_nr_devices(ti->table) &&
	      ti->num_flush_bios == cc->nr_members,
	      "%u members, %u distinct devices", cc->nr_members,
	      shim_table_nr_devices(ti->table));
	CHECK(!ti->type->iterate_devices(ti, check_device_area, &nr_areas) &&
	      nr_areas >= cc->nr_members && nr_areas <= 3 * cc->nr_members &&
	      nr_areas <= 3 * nr_volumes,
	      "iterate_devices reported %u areas", nr_areas);
}

/*
 * At every power-of-two granularity, a member's regions start alike
 * exactly when the first and odd regions iterate_devices reports do, so
 * that the dm core sees the misalignment a line per region would show.
 */
static void check_alignment(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;
	unsigned int m, i, shift;

	for (m = 0; m < cc->nr_members; m++) {
		const struct combine_member *member = &cc->members[m];

		for (shift = 0; shift < 64; shift++) {
			sector_t mask = ((sector_t)1 << shift) - 1;
			bool alike = true, reported_alike;

			for (i = 0; i < cc->nr_regions; i++)
				if (cc->regions[i].kind == COMBINE_VOLUME &&
				    cc->regions[i].member == m &&
				    (cc->regions[i].offset & mask) != (member->first & mask))
					alike = false;
			reported_alike = !member->misalign ||
					 (member->first & mask) == (member->odd & mask);
			CHECK(alike == reported_alike,
			      "member %u: regions %s modulo 2^%u, iterate_devices says %s",
			      m, alike ? "alike" : "differ", shift,
			      reported_alike ? "alike" : "differ");
		}
	}
}

/* Each region is on the device dm_get_device() finds by its word. */
static void check_region_devices(struct dm_target *ti, char **args)
{
	struct combine_c *cc = ti->private;
	struct dm_table table = { 0 };
	struct dm_target lookup = { .table = &table };
	struct dm_dev *dev;
	unsigned int i, nr_features;
	char **region;

	/* After "<#features> [features] <#regions>": the regions. */
	shim_parse_uint(args[0], &nr_features);
	region = args + nr_features + 2;
	for (i = 0; i < cc->nr_regions; i++, region += DM_COMBINE_REGION_ARGS) {
		const char *word = region[1];

		const struct dm_dev *member;

		if (!strcmp(word, DM_COMBINE_HOLE) ||
		    (cc->gpt.block_size && !strcmp(word, DM_COMBINE_GPT_AREA))) {
			CHECK(cc->regions[i].kind ==
			      (strcmp(word, DM_COMBINE_HOLE) ? COMBINE_GPT_AREA : COMBINE_HOLE),
			      "hole or GPT area %u has kind %u", i, cc->regions[i].kind);
			continue;
		}
		if (cc->gpt.block_size)
			region += DM_COMBINE_PARTITION_ARGS;
		CHECK(cc->regions[i].kind == COMBINE_VOLUME &&
		      cc->regions[i].member < cc->nr_members,
		      "volume region %u has kind %u, member %u", i,
		      cc->regions[i].kind, cc->regions[i].member);
		member = cc->members[cc->regions[i].member].dev;
		CHECK(!dm_get_device(&lookup, word, 0, &dev) &&
		      dev->bdev == member->bdev,
		      "region %u on %s, yet dm_get_device(\"%s\") does not find it",
		      i, member->name, word);
		dm_put_device(&lookup, dev);
	}
}

/*
 * INFO of a new target: the region count and zero failures.  regions_print:
 * a line of ten zero counters per region, with latency 2 + 2 *
 * DM_COMBINE_LATENCY_BUCKETS zeros more, or the range asked for.  Errors
 * show in INFO's summary until stats_reset.
 */
static void check_info(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;
	unsigned int nr = cc->nr_regions, i, words = DM_COMBINE_STATUS_COUNTERS +
		(cc->latency ? 2 + 2 * DM_COMBINE_LATENCY_BUCKETS : 0);
	char *info = status_checked(ti, STATUSTYPE_INFO), *zeros, *lines, expected[64];
	char last[16], past[16];
	const char *p;
	int n;

	snprintf(expected, sizeof(expected), "%u 0 0 0 0", nr);
	CHECK(!strcmp(info, expected), "INFO \"%s\", not \"%s\"", info, expected);
	free(info);
	zeros = malloc(2 * words + 1);
	CHECK(zeros, "out of memory");
	for (i = 0; i < words; i++)
		memcpy(zeros + 2 * i, i + 1 < words ? "0 " : "0\n", 3);
	lines = regions_print(ti, NULL, NULL);
	for (i = 0, p = lines; i < nr; i++, p += strlen(zeros))
		CHECK(!strncmp(p, zeros, strlen(zeros)),
		      "regions_print \"%.200s\": region %u counters not zero", lines, i);
	CHECK(!*p, "regions_print \"%.200s\" has more than the regions", lines);
	free(lines);
	snprintf(last, sizeof(last), "%u", nr - 1);
	snprintf(past, sizeof(past), "%u", nr);
	lines = regions_print(ti, last, "0");
	CHECK(!strcmp(lines, zeros), "regions_print %s 0: \"%.200s\"", last, lines);
	free(lines);
	lines = regions_print(ti, past, "1");
	CHECK(!*lines, "regions_print past the end: \"%.200s\"", lines);
	free(lines);
	free(zeros);

	/* Numbers up to 2^64 - 1, as %llu prints them; then zeros again. */
	for (i = 0; i < COMBINE_NR_COUNTERS; i++)
		atomic64_set(&cc->counters[0].count[i], i == 1 ? -1 : (s64)i * 1000000007);
	lines = regions_print(ti, "0", "1");
	for (i = 0, p = lines; i < COMBINE_NR_COUNTERS; i++) {
		unsigned long long value;

		CHECK(sscanf(p, "%llu%n", &value, &n) == 1 &&
		      value == (i == 1 ? ULLONG_MAX : (u64)i * 1000000007),
		      "regions_print \"%.200s\": counter %u misprinted", lines, i);
		p += n;
	}
	free(lines);
	combine_reset_counters(cc);

	/* Two errors on the last region, one failed flush of the first member. */
	combine_count_error(cc, &cc->counters[nr - 1].count[COMBINE_ERRORS], &cc->region_errors);
	combine_count_error(cc, &cc->counters[nr - 1].count[COMBINE_ERRORS], &cc->region_errors);
	if (cc->nr_members)
		combine_count_error(cc, &cc->members[0].flush_errors, &cc->flush_errors);
	snprintf(expected, sizeof(expected), "%u 1 2 %u %u", nr, !!cc->nr_members,
		 !!cc->nr_members);
	info = status_checked(ti, STATUSTYPE_INFO);
	CHECK(!strcmp(info, expected), "INFO \"%s\", not \"%s\"", info, expected);
	free(info);
	ti->type->postsuspend(ti);
	combine_reset_counters(cc);
	info = status_checked(ti, STATUSTYPE_INFO);
	snprintf(expected, sizeof(expected), "%u 0 0 0 0", nr);
	CHECK(!strcmp(info, expected), "INFO after stats_reset \"%s\"", info);
	free(info);
}

/*
 * IMA: the counts and the digest of the TABLE status; without the digest
 * (its allocation failed) the counts alone.
 */
static void check_ima(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;
	char *table = status_checked(ti, STATUSTYPE_TABLE), *ima, expected[256];
	u8 digest[SHA256_DIGEST_SIZE];
	unsigned int i;
	int n;

	n = snprintf(expected, sizeof(expected),
		     "target_name=%s,target_version=%u.%u.%u,region_count=%u,member_count=%u,partition_count=%u",
		     DM_COMBINE_TARGET, DM_COMBINE_VERSION_MAJOR,
		     DM_COMBINE_VERSION_MINOR, DM_COMBINE_VERSION_PATCH,
		     cc->nr_regions, cc->nr_members, cc->nr_partitions);
	shim_digest_fail = true;
	ima = status_checked(ti, STATUSTYPE_IMA);
	shim_digest_fail = false;
	CHECK(!strncmp(ima, expected, n) && !strcmp(ima + n, ";"),
	      "IMA without digest \"%s\", not \"%s;\"", ima, expected);
	free(ima);

	shim_digest(table, strlen(table), digest);
	n += snprintf(expected + n, sizeof(expected) - n, ",mapping_sha256=");
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		n += snprintf(expected + n, sizeof(expected) - n, "%02x", digest[i]);
	snprintf(expected + n, sizeof(expected) - n, ";");
	ima = status_checked(ti, STATUSTYPE_IMA);
	CHECK(!strcmp(ima, expected), "IMA \"%s\", not \"%s\"", ima, expected);
	free(ima);
	free(table);
}

/*
 * Region i has just failed its first bio: one dm event, delivered by
 * postsuspend at the latest; a second error raises none, an error after
 * stats_reset one again.
 */
static void check_events(struct dm_target *ti, unsigned int i)
{
	struct combine_c *cc = ti->private;
	unsigned int events = ti->table->events;
	struct bio bio = { .bi_opf = REQ_OP_WRITE,
			   .bi_iter = { .bi_size = SECTOR_SIZE } };
	blk_status_t error = 1;

	*(unsigned int *)dm_per_bio_data(&bio, sizeof(unsigned int)) = i;
	ti->type->postsuspend(ti);
	CHECK(ti->table->events == events + 1, "first error: %u events",
	      ti->table->events - events);
	ti->type->end_io(ti, &bio, &error);
	ti->type->postsuspend(ti);
	CHECK(ti->table->events == events + 1, "second error raised an event");
	combine_reset_counters(cc);
	ti->type->end_io(ti, &bio, &error);
	ti->type->postsuspend(ti);
	CHECK(ti->table->events == events + 2, "error after reset: %u events",
	      ti->table->events - events - 1);
}

/*
 * With latency, every read map() counts reaches the read histogram once,
 * through end_io or at once when map() fails it; then stats_reset
 * zeroes the histograms.
 */
static void check_latency(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;
	unsigned int i, b, total = 0;
	struct bio bio = { .bi_opf = REQ_OP_READ,
			   .bi_iter = { .bi_sector = ti->begin, .bi_size = SECTOR_SIZE } };
	uint8_t sector[SECTOR_SIZE];
	blk_status_t error = 0;
	int r;

	if (!cc->latency)
		return;
	bio.bi_data = sector;
	r = ti->type->map(ti, &bio);
	if (r != DM_MAPIO_KILL)
		ti->type->end_io(ti, &bio, &error);
	i = combine_find_region(cc, 0);
	for (b = 0; b < DM_COMBINE_LATENCY_BUCKETS; b++)
		total += atomic64_read(&cc->latency[i].buckets[COMBINE_DIR_READ][b]);
	CHECK(total == 1 && atomic64_read(&cc->counters[i].count[COMBINE_READS]) == 1,
	      "a read (map %d) counted %u times in region %u's histogram", r, total, i);
	combine_reset_counters(cc);
	CHECK(!atomic64_read(&cc->latency[i].buckets[COMBINE_DIR_READ][0]) &&
	      !atomic64_read(&cc->latency[i].usecs[COMBINE_DIR_READ]),
	      "stats_reset left latency");
}

/*
 * Under gpt, map() answers a read of the primary GPT with headers and
 * entries whose CRCs hold, and fails a write to it.
 */
static void check_gpt(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;
	uint32_t bs = cc->gpt.block_size, crc;
	size_t len = dmc_gpt_head_bytes(bs);
	uint8_t *data = malloc(len);
	struct dmc_gpt_header *header = (struct dmc_gpt_header *)(data + bs);
	unsigned int region_nr;
	struct bio bio = {
		.bi_opf = REQ_OP_READ,
		.bi_iter = { .bi_sector = ti->begin, .bi_size = len },
		.bi_data = data,
	};

	CHECK(data, "out of memory");
	CHECK(ti->type->map(ti, &bio) == DM_MAPIO_SUBMITTED,
	      "GPT read not answered by map");
	crc = le32toh(header->header_crc32);
	header->header_crc32 = 0;
	CHECK(!memcmp(header, "EFI PART", 8) &&
	      crc == dmc_crc32(0, (const uint8_t *)header, DMC_GPT_HEADER_SIZE) &&
	      header->partition_entry_array_crc32 ==
	      ((struct dmc_gpt_header *)(cc->gpt.head + bs))->partition_entry_array_crc32,
	      "GPT header read through map is not valid");
	region_nr = *(unsigned int *)dm_per_bio_data(&bio, sizeof(unsigned int));
	bio = (struct bio) {
		.bi_opf = 1,	/* a write */
		.bi_iter = { .bi_sector = ti->begin, .bi_size = bs },
		.bi_data = data,
	};
	CHECK(ti->type->map(ti, &bio) == DM_MAPIO_KILL &&
	      atomic64_read(&cc->counters[region_nr].count[COMBINE_ERRORS]) == 1,
	      "GPT write not failed by map");
	free(data);
	check_events(ti, region_nr);
	combine_reset_counters(cc);
}

/*
 * Bios without data: a flush clone numbered below the member count goes
 * to that member; any other (not a flush, or a number past the members,
 * with no members at all) is completed without looking at members[].
 */
static void check_empty_bios(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;
	unsigned int n;

	for (n = 0; n <= cc->nr_members + 1; n++) {
		struct bio flush = { .bi_opf = REQ_OP_WRITE | REQ_PREFLUSH,
				     .target_bio_nr = n };
		struct bio empty = { .bi_opf = REQ_OP_WRITE, .target_bio_nr = n };
		int r = ti->type->map(ti, &flush);

		if (n < cc->nr_members)
			CHECK(r == DM_MAPIO_REMAPPED &&
			      flush.bi_bdev == cc->members[n].dev->bdev,
			      "flush clone %u not sent to member %u", n, n);
		else
			CHECK(r == DM_MAPIO_SUBMITTED && !flush.bi_bdev,
			      "flush clone %u of %u members mapped", n, cc->nr_members);
		CHECK(ti->type->map(ti, &empty) == DM_MAPIO_SUBMITTED &&
		      !empty.bi_bdev, "empty bio %u mapped", n);
	}
}

/* Tables refused with the error given, whatever the fuzzer finds. */
static void check_refusals(void)
{
#define GUID "5d1b7a6e-0c4f-4a57-9c2e-000000000001"
	static const struct {
		const char *line, *error;
	} refusals[] = {
		/* Head and tail in one area: first usable 6 > last usable 0. */
		{ "3 gpt 4096 " GUID " 1 48 gpt 0",
		  "Last region must be a GPT area holding the backup GPT" },
		{ "3 gpt 4096 " GUID " 2 48 gpt 0 40 gpt 0",
		  "No usable block between the primary and backup GPT" },
		{ "3 gpt 4096 00000000-0000-0000-0000-000000000000 3 48 gpt 0 8 - 0 40 gpt 0",
		  "Invalid GPT disk GUID" },
	};
#undef GUID
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refusals); i++) {
		char *line = strdup(refusals[i].line), *args[16];
		unsigned int argc = split_words(line, args, ARRAY_SIZE(args));
		struct dm_table table = { 0 };
		struct dm_target ti;

		CHECK(line, "out of memory");
		shim_allocs_reset(0);
		CHECK(construct(&ti, &table, 0,
				sum_region_lengths(args, argc), argc, args) &&
		      !strcmp(ti.error, refusals[i].error),
		      "\"%s\": \"%s\", not \"%s\"", refusals[i].line,
		      ti.error, refusals[i].error);
		free(line);
	}
}

/* A table whose arrays would exceed a quarter of RAM is refused so. */
static void check_memory_cap(void)
{
	static char line[] = "0 2 2 - 0 2 - 0";
	unsigned long ram = shim_totalram_pages;
	struct dm_table table = { 0 };
	char *args[ARRAY_SIZE(line)];
	struct dm_target ti;
	unsigned int argc = split_words(line, args, ARRAY_SIZE(args));

	/* Two regions need more than a quarter of nothing. */
	shim_totalram_pages = 0;
	shim_allocs_reset(0);
	CHECK(construct(&ti, &table, 0, 4, argc, args) == -ENOMEM &&
	      !strcmp(ti.error, "Region tables would exceed a quarter of RAM") &&
	      !shim_allocs.nr, "table past the memory share: %s", ti.error);
	shim_totalram_pages = ram;
}

/* TABLE status constructs the same target again (the target is gone). */
static void check_round_trip(sector_t begin, sector_t len, const char *line)
{
	static char *args[MAX_ARGS];
	struct dm_table table = { 0 };
	char *words = strdup(line), *again;
	struct dm_target ti;
	unsigned int argc;
	int r;

	CHECK(words, "out of memory");
	argc = split_words(words, args, ARRAY_SIZE(args));
	r = construct(&ti, &table, begin, len, argc, args);
	CHECK(!r, "TABLE \"%s\" refused: %s", line, ti.error);
	again = status_checked(&ti, STATUSTYPE_TABLE);
	CHECK(!strcmp(again, line), "TABLE \"%s\" printed again as \"%s\"",
	      line, again);
	free(again);
	destroy(&ti);
	free(words);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	CHECK(!shim_module_init() && shim_target_type &&
	      !strcmp(shim_target_type->name, DM_COMBINE_TARGET),
	      "module init did not register the target");
	check_memory_cap();
	check_refusals();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *words[3 + MAX_ARGS];
	unsigned long long begin, len;
	struct dm_table table = { 0 };
	unsigned long nr_allocs, fail_at;
	unsigned int nr_words;
	struct dm_target ti;
	char *line, *table_status;

	line = malloc(size + 1);
	CHECK(line, "out of memory");
	memcpy(line, data, size);
	line[size] = '\0';
	nr_words = split_words(line, words, ARRAY_SIZE(words));
	if (nr_words < 3 || kstrtoull(words[0], 10, &begin))
		goto out;
	if (!strcmp(words[1], "*"))
		len = sum_region_lengths(words + 3, nr_words - 3);
	else if (kstrtoull(words[1], 10, &len))
		goto out;
	/* The dm core refuses empty targets and devices past LLONG_MAX bytes. */
	if (!len || begin + len < begin || begin + len > LLONG_MAX >> SECTOR_SHIFT)
		goto out;

	shim_allocs_reset(0);
	if (!construct(&ti, &table, begin, len, nr_words - 3, words + 3)) {
		nr_allocs = shim_allocs.nr;
		check_regions(&ti);
		check_alignment(&ti);
		check_region_devices(&ti, words + 3);
		check_info(&ti);
		check_empty_bios(&ti);
		check_latency(&ti);
		if (((struct combine_c *)ti.private)->gpt.block_size)
			check_gpt(&ti);
		check_ima(&ti);
		table_status = status_checked(&ti, STATUSTYPE_TABLE);
		destroy(&ti);
		check_round_trip(begin, len, table_status);
		free(table_status);
	} else {
		nr_allocs = shim_allocs.nr;
	}
	for (fail_at = 1; fail_at <= nr_allocs; fail_at++) {
		shim_allocs_reset(fail_at);
		CHECK(construct(&ti, &table, begin, len, nr_words - 3, words + 3),
		      "constructed although allocation %lu of %lu failed",
		      fail_at, nr_allocs);
	}
out:
	free(line);
	return 0;
}
