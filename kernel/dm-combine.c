// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-combine: join many volumes into one block device.
 *
 * A "combine" target is an ordered list of regions laid end to end; each
 * region maps its range to (member device, offset) or is a hole, where all
 * I/O fails.  It does what a dm-linear table with one line per region does,
 * with one target instead of many: the region of a bio is found through a
 * small index and a bounded binary search, a flush reaches each distinct
 * member once instead of once per line, and each region keeps its own I/O
 * counters, so that every volume's I/O can be seen on its own.
 *
 * With the gpt feature the device also carries a GUID partition table,
 * built from the table line, with one partition per volume region: any
 * guest finds each volume as a partition.  The GPT and the padding between
 * volumes are regions of their own whose reads are synthesised and whose
 * writes fail; volume regions are mapped as without it.
 *
 * Userspace (dmcombine) keeps track of which volume lives in which region;
 * the target knows regions, not names.
 */

#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/bio.h>
#include <linux/device-mapper.h>
#include <linux/errno.h>
#include <linux/hash.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "dm-combine.h"
#include "dm-combine-gpt.h"

#define DM_MSG_PREFIX DM_COMBINE_TARGET

/*
 * Per-bio data: the region number of a bio with data, COMBINE_FLUSH_CLONE
 * plus the member number of an empty flush clone, COMBINE_NO_REGION for
 * any other empty bio.  Region and member numbers stay below 2^31.
 */
#define COMBINE_FLUSH_CLONE (1U << 31)
#define COMBINE_NO_REGION UINT_MAX

/*
 * Per-bio data with the latency feature: the start time before the word
 * above, so that the word lies where map() and end_io() find it with or
 * without the feature (dm_per_bio_data() counts back from the bio).
 */
struct combine_timed_bio {
	u64 start_ns;
	unsigned int unused;
	unsigned int region;
};

static_assert(offsetof(struct combine_timed_bio, region) + sizeof(unsigned int) ==
	      sizeof(struct combine_timed_bio));

/*
 * Light loops over every region yield the CPU every this many regions: a
 * cond_resched() per region would cost more than the loop's own work.
 */
#define COMBINE_RESCHED_REGIONS 4096

/*
 * The per-region arrays (starts, regions, counters, index) may take at
 * most this share of RAM, as dm-stats caps its counters: a table beyond
 * it is refused with an error instead of an allocation failure.
 */
#define COMBINE_MEMORY_SHARE 4

/* Bytes of a partition name in UTF-8: at most 3 per UTF-16 code unit. */
#define COMBINE_PARTITION_NAME_MAX (3 * DMC_GPT_NAME_UNITS)

enum combine_region_kind {
	COMBINE_VOLUME,		/* sectors of a member device */
	COMBINE_HOLE,		/* all I/O fails */
	COMBINE_GPT_AREA,	/* reads as the GPT or zeros, writes fail */
};

/* What map() reads for every bio: 16 bytes, never written after the ctr. */
struct combine_region {
	sector_t offset;	/* on the member's device, 0 for others */
	unsigned int member;	/* in members[], volumes only */
	u8 kind;		/* enum combine_region_kind */
};

/*
 * One region's I/O counters, one set for all CPUs: 72 bytes per region
 * whatever the number of possible CPUs.  Per-CPU counters cost 32 bytes
 * per region for each possible CPU: 13,476 bytes per region in all with
 * 256 possible CPUs (1.3 GiB for 100,000 regions, twice that while a
 * reload keeps two tables), against 100 now and dm-linear's 126-129 per
 * line (tests/bench/RESULTS.md).  The price is an atomic add per counter,
 * 0.1 to 0.5 % of 4 KiB IOPS on one CPU, and a cache line that the CPUs
 * doing I/O to one region share, which a QEMU guest cannot measure
 * (RESULTS.md says why).  Atomics also keep 64-bit counters whole on
 * 32-bit hosts and let stats_reset race increments without a data race.
 * The counters live apart from regions[] so that their writes do not
 * evict the read-only mapping that other CPUs look up.
 */
enum combine_counter {
	/* In the order of a regions_print line, see include/dm-combine.h */
	COMBINE_READS,
	COMBINE_WRITES,
	COMBINE_READ_SECTORS,
	COMBINE_WRITE_SECTORS,
	COMBINE_ERRORS,		/* failed bios, counted from any context */
	COMBINE_DISCARDS,
	COMBINE_DISCARD_SECTORS,
	COMBINE_WRITE_ZEROES,
	COMBINE_WRITE_ZEROES_SECTORS,
	COMBINE_NR_COUNTERS
};

struct combine_counters {
	atomic64_t count[COMBINE_NR_COUNTERS];
};

/* A regions_print line gives these and the member's failed flushes. */
static_assert(DM_COMBINE_STATUS_COUNTERS == COMBINE_NR_COUNTERS + 1);

/* Latency histograms: reads, and writes with discards and write-zeroes. */
enum combine_direction {
	COMBINE_DIR_READ,
	COMBINE_DIR_WRITE,
	COMBINE_NR_DIRECTIONS
};

/*
 * One region's latency with the latency feature, in the order of a
 * regions_print line: 368 bytes per region, allocated only with the
 * feature.  Shared atomics as the counters above, for the same reasons.
 */
struct combine_latency {
	atomic64_t usecs[COMBINE_NR_DIRECTIONS];
	atomic64_t buckets[COMBINE_NR_DIRECTIONS][DM_COMBINE_LATENCY_BUCKETS];
};

/* Values of one region's latency; stats_reset zeroes both arrays as values. */
#define COMBINE_LATENCY_VALUES (COMBINE_NR_DIRECTIONS * (1 + DM_COMBINE_LATENCY_BUCKETS))
static_assert(sizeof(struct combine_latency) == COMBINE_LATENCY_VALUES * sizeof(atomic64_t));
static_assert(sizeof(struct combine_counters) == COMBINE_NR_COUNTERS * sizeof(atomic64_t));

/* A volume region's partition, kept to give the table line back. */
struct combine_partition {
	unsigned int region;
	unsigned int number;
	u8 type[DMC_GUID_SIZE];
	u8 guid[DMC_GUID_SIZE];
	char name[COMBINE_PARTITION_NAME_MAX + 1];
};

/*
 * A distinct member device, got once however many regions use it, and the
 * span of it they use: limits are stacked and checked once per member.
 */
struct combine_member {
	struct dm_dev *dev;
	sector_t begin;		/* lowest sector used */
	sector_t end;		/* past the highest sector used */
	sector_t last_end;	/* past its latest region in table order */
	/*
	 * Alignment as the dm core sees it (see combine_iterate_devices()):
	 * the first region's extent, the ORed differences of every region's
	 * offset from its offset, and a region whose difference has the
	 * lowest set bit of all.
	 */
	sector_t first, first_len;
	sector_t misalign;
	sector_t odd, odd_len;
	atomic64_t flush_errors;	/* failed empty flush clones */
};

/*
 * Totals of the errors of the regions, or of the failed flushes of the
 * members, for INFO status: counted on the error path, so that status
 * costs the same whatever the number of regions (summing every region's
 * counters took 110 ms of guest time per status with 100,000 regions,
 * tests/bench/RESULTS.md) and success costs nothing more.
 */
struct combine_error_totals {
	atomic64_t errors;	/* every error */
	atomic_t failing;	/* regions (or members) with errors */
};

struct combine_c {
	struct dm_target *ti;
	unsigned int nr_regions;
	/* nr_regions + 1 entries: region i covers [starts[i], starts[i + 1]) */
	sector_t *starts;
	struct combine_region *regions;

	/*
	 * index[s] is the region holding sector s << index_shift, plus a last
	 * entry nr_regions - 1: a region lookup searches only between two
	 * neighbouring entries, usually one or two regions.
	 */
	unsigned int index_shift;
	unsigned int *index;

	/* Empty flush clone n goes to members[n]. */
	unsigned int nr_members;
	unsigned int members_size;	/* entries allocated */
	struct combine_member *members;

	struct combine_counters *counters;	/* nr_regions entries */
	/* nr_regions entries with the latency feature, NULL without */
	struct combine_latency *latency;
	struct combine_error_totals region_errors;
	struct combine_error_totals flush_errors;	/* of the members */

	/*
	 * Raises the dm event of a region's first error: dm_table_event()
	 * takes a mutex, and end_io may run in interrupt context.
	 */
	struct work_struct event_work;

	/* The gpt layout; gpt.block_size is 0 without it. */
	struct dmc_gpt gpt;
	unsigned int nr_partitions;
	struct combine_partition *partitions;	/* in region order */
};

/* Where a region lies on its member, sorted to find overlaps. */
struct combine_extent {
	dev_t devt;
	sector_t begin;
	sector_t end;
};

static int combine_extent_cmp(const void *a, const void *b)
{
	const struct combine_extent *x = a, *y = b;

	if (x->devt != y->devt)
		return x->devt < y->devt ? -1 : 1;
	if (x->begin != y->begin)
		return x->begin < y->begin ? -1 : 1;
	return 0;
}

/*
 * Bytes per region of the arrays sized by the region count: start, region,
 * counters, up to two index entries (see combine_build_index()) and the
 * constructor's member hash (four slots).
 */
#define COMBINE_REGION_BYTES (sizeof(sector_t) +			\
			      sizeof(struct combine_region) +		\
			      sizeof(struct combine_counters) +		\
			      6 * sizeof(unsigned int))

/* Allocations sized by the region count: the share of RAM is checked first. */
#define COMBINE_GFP (GFP_KERNEL | __GFP_NOWARN)

/*
 * A zeroed array kept as long as the table, freed with kvfree().  Beyond a
 * page it comes from vmalloc, rounded to pages: kvcalloc() would take it
 * from kmalloc up to 4 MiB, rounded to a power of two (10,000 regions'
 * 720,000 bytes of counters took 1 MiB, 30 bytes more per region).
 */
static void *combine_alloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return NULL;
	if (bytes <= PAGE_SIZE)
		return kzalloc(bytes, COMBINE_GFP);
	return __vmalloc(bytes, COMBINE_GFP | __GFP_ZERO);
}

static void combine_raise_event(struct work_struct *work)
{
	struct combine_c *cc = container_of(work, struct combine_c, event_work);

	dm_table_event(cc->ti->table);
}

static struct combine_c *combine_alloc(struct dm_target *ti,
				       unsigned int nr_regions, bool latency)
{
	struct combine_c *cc = kzalloc(sizeof(*cc), GFP_KERNEL);

	if (!cc)
		return NULL;
	cc->ti = ti;
	INIT_WORK(&cc->event_work, combine_raise_event);
	cc->nr_regions = nr_regions;
	cc->starts = combine_alloc_array(nr_regions + 1, sizeof(*cc->starts));
	cc->regions = combine_alloc_array(nr_regions, sizeof(*cc->regions));
	cc->counters = combine_alloc_array(nr_regions, sizeof(*cc->counters));
	if (latency)
		cc->latency = combine_alloc_array(nr_regions, sizeof(*cc->latency));
	if (!cc->starts || !cc->regions || !cc->counters ||
	    (latency && !cc->latency)) {
		kvfree(cc->latency);
		kvfree(cc->counters);
		kvfree(cc->regions);
		kvfree(cc->starts);
		kfree(cc);
		return NULL;
	}
	return cc;
}

/* Safe on a half-built context, so that the constructor can fail through it. */
static void combine_dtr(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;
	unsigned int i;

	/* The table is no longer bound to a device: nobody to tell. */
	cancel_work_sync(&cc->event_work);
	for (i = 0; i < cc->nr_members; i++) {
		dm_put_device(ti, cc->members[i].dev);
		cond_resched();
	}
	kvfree(cc->latency);
	kvfree(cc->counters);
	kfree(cc->gpt.backup_header);
	kvfree(cc->gpt.head);
	kvfree(cc->partitions);
	kvfree(cc->members);
	kvfree(cc->index);
	kvfree(cc->regions);
	kvfree(cc->starts);
	kfree(cc);
}

/*
 * The number in a word of decimal digits, as kstrtoull() reads it (without
 * the sign and newline it also takes): -EINVAL for any other word, -ERANGE
 * past 64 bits.  A table of 100,000 regions holds 200,000 numbers.
 * Measured (tests/bench/analysis.md, commit ccbaaa4): the constructor
 * takes 313 instructions per region with this and the major:minor fast
 * path below, 473 with kstrtoull() and dm_get_device()'s sscanf(); the
 * 100,000-region load went from 2.45 s to 1.92 s of guest time.
 */
static int combine_parse_u64(const char *word, u64 *value)
{
	const char *p = word;
	u64 v = 0;

	do {
		unsigned int digit = *p - '0';

		if (digit > 9)
			return -EINVAL;
		if (unlikely(v >= U64_MAX / 10) &&
		    (v > U64_MAX / 10 || digit > U64_MAX % 10))
			return -ERANGE;
		v = v * 10 + digit;
	} while (*++p);
	*value = v;
	return 0;
}

/* Digits of a major or minor number the fast path below takes. */
#define COMBINE_DEVT_DIGITS 9

/*
 * The device number a "major:minor" word names, as dm_get_device() reads
 * it, or 0 for a word it leaves to dm_get_device(): any other word, and
 * numbers of more than COMBINE_DEVT_DIGITS digits, so that none overflows.
 * Cheaper than dm_get_device()'s sscanf() for every region: see
 * combine_parse_u64() for the measured gain of both.
 */
static dev_t combine_word_devt(const char *word)
{
	unsigned int major = 0, minor = 0, digit;
	const char *p = word;
	dev_t devt;

	for (; (digit = *p - '0') <= 9; p++) {
		if (p - word == COMBINE_DEVT_DIGITS)
			return 0;
		major = major * 10 + digit;
	}
	if (p == word || *p != ':')
		return 0;
	word = ++p;
	for (; (digit = *p - '0') <= 9; p++) {
		if (p - word == COMBINE_DEVT_DIGITS)
			return 0;
		minor = minor * 10 + digit;
	}
	devt = MKDEV(major, minor);
	if (p == word || *p || MAJOR(devt) != major || MINOR(devt) != minor)
		return 0;
	return devt;
}

/* Open-addressed hash of member device numbers, for the constructor only. */
struct combine_member_hash {
	unsigned int bits;
	unsigned int *slots;	/* member number + 1, 0 for free */
	/* The previous region's device word and the slot value of its member */
	const char *last_word;
	unsigned int last;
};

static unsigned int *combine_member_slot(struct combine_c *cc,
					 struct combine_member_hash *hash,
					 dev_t devt)
{
	unsigned int mask = (1U << hash->bits) - 1;
	unsigned int h = hash_32(devt, hash->bits);

	while (hash->slots[h] &&
	       cc->members[hash->slots[h] - 1].dev->bdev->bd_dev != devt)
		h = (h + 1) & mask;
	return &hash->slots[h];
}

/*
 * The member of a region on the device named by word: an existing one, or
 * a new one holding the reference dm_get_device() took.
 */
static int combine_get_member(struct dm_target *ti, struct combine_c *cc,
			      struct combine_member_hash *hash,
			      const char *word, struct combine_member **member)
{
	unsigned int *slot = NULL;
	struct dm_dev *dev;
	dev_t devt;
	int r;

	/* Neighbouring regions often name the same member: no parsing then. */
	if (hash->last && !strcmp(word, hash->last_word)) {
		*member = &cc->members[hash->last - 1];
		return 0;
	}
	devt = combine_word_devt(word);
	if (devt)
		slot = combine_member_slot(cc, hash, devt);
	if (!slot || !*slot) {
		r = dm_get_device(ti, word, dm_table_get_mode(ti->table), &dev);
		if (r) {
			ti->error = "Device lookup failed";
			return r;
		}
		/* A path, or another name of a member already got. */
		slot = combine_member_slot(cc, hash, dev->bdev->bd_dev);
		if (*slot) {
			dm_put_device(ti, dev);
		} else {
			if (cc->nr_members == cc->members_size) {
				struct combine_member *members;

				members = kvmalloc_array(2 * cc->members_size,
							 sizeof(*members),
							 COMBINE_GFP);
				if (!members) {
					dm_put_device(ti, dev);
					ti->error = "Cannot allocate member list";
					return -ENOMEM;
				}
				memcpy(members, cc->members,
				       cc->nr_members * sizeof(*members));
				kvfree(cc->members);
				cc->members = members;
				cc->members_size *= 2;
			}
			cc->members[cc->nr_members++] = (struct combine_member) {
				.dev = dev,
				.begin = ~(sector_t)0,
				.flush_errors = ATOMIC64_INIT(0),
			};
			*slot = cc->nr_members;
		}
	}
	hash->last_word = word;
	hash->last = *slot;
	*member = &cc->members[*slot - 1];
	return 0;
}

/* Gathers what combine_iterate_devices() reports of a member's alignment. */
static void combine_member_add_region(struct combine_member *member,
				      sector_t offset, sector_t len)
{
	sector_t diff = offset - member->first;

	if (!member->end) {
		member->first = offset;
		member->first_len = len;
		return;
	}
	if (diff && (!member->misalign ||
		     (diff & -diff) < (member->misalign & -member->misalign))) {
		member->odd = offset;
		member->odd_len = len;
	}
	member->misalign |= diff;
}

/* The partition words of a volume region under the gpt layout. */
static int combine_parse_partition(struct dm_target *ti, struct combine_c *cc,
				   unsigned int region, struct dm_arg_set *as)
{
	struct combine_partition *part = &cc->partitions[cc->nr_partitions];
	u8 utf16[2 * DMC_GPT_NAME_UNITS];
	const char *name;

	if (as->argc < DM_COMBINE_PARTITION_ARGS) {
		ti->error = "Wrong number of region arguments";
		return -EINVAL;
	}
	if (cc->nr_partitions == DMC_GPT_ENTRIES) {
		ti->error = "Too many partitions";
		return -EINVAL;
	}
	if (kstrtouint(dm_shift_arg(as), 10, &part->number) ||
	    part->number < 1 || part->number > DMC_GPT_ENTRIES) {
		ti->error = "Invalid partition number";
		return -EINVAL;
	}
	if (dmc_guid_parse(dm_shift_arg(as), part->type) ||
	    dmc_guid_is_zero(part->type)) {
		ti->error = "Invalid partition type GUID";
		return -EINVAL;
	}
	if (dmc_guid_parse(dm_shift_arg(as), part->guid) ||
	    dmc_guid_is_zero(part->guid)) {
		ti->error = "Invalid partition GUID";
		return -EINVAL;
	}
	name = dm_shift_arg(as);
	if (dmc_gpt_name_encode(name, utf16)) {
		ti->error = "Invalid partition name";
		return -EINVAL;
	}
	strscpy(part->name, name, sizeof(part->name));
	part->region = region;
	cc->nr_partitions++;
	return 0;
}

/*
 * Parse the regions.  Regions that follow each other in table order on
 * each member cannot overlap; *unordered tells whether some did not.
 * *align_bits gathers every length and offset, for the alignment check.
 */
static int combine_parse_regions(struct dm_target *ti, struct combine_c *cc,
				 struct dm_arg_set *as, bool *unordered,
				 sector_t *align_bits)
{
	struct combine_member_hash hash;
	sector_t start = 0;
	unsigned int i;
	int r = -EINVAL;

	/* At most nr_regions members: a table at most half full. */
	hash.bits = ilog2(cc->nr_regions) + 2;
	hash.last = 0;
	hash.slots = kvcalloc(1U << hash.bits, sizeof(*hash.slots), COMBINE_GFP);
	cc->members_size = 16;
	cc->members = kvmalloc_array(cc->members_size, sizeof(*cc->members),
				     COMBINE_GFP);
	if (!hash.slots || !cc->members) {
		ti->error = "Cannot allocate member list";
		r = -ENOMEM;
		goto out;
	}

	*unordered = false;
	*align_bits = 0;
	for (i = 0; i < cc->nr_regions; i++) {
		struct combine_region *region = &cc->regions[i];
		const char *len_arg, *dev_arg, *offset_arg;
		u64 len, offset;
		struct combine_member *member;
		sector_t dev_size;

		if (!(i % COMBINE_RESCHED_REGIONS))
			cond_resched();
		if (as->argc < DM_COMBINE_REGION_ARGS) {
			ti->error = "Wrong number of region arguments";
			goto out;
		}
		/* dm_shift_arg() three times, without three calls per region. */
		len_arg = as->argv[0];
		dev_arg = as->argv[1];
		offset_arg = as->argv[2];
		as->argv += DM_COMBINE_REGION_ARGS;
		as->argc -= DM_COMBINE_REGION_ARGS;
		if (combine_parse_u64(len_arg, &len)) {
			ti->error = "Invalid region length";
			goto out;
		}
		if (!len) {
			ti->error = "Zero-length region";
			goto out;
		}
		if (len > ti->len - start) {
			ti->error = "Region lengths exceed the target length";
			goto out;
		}
		if (combine_parse_u64(offset_arg, &offset)) {
			ti->error = "Invalid region offset";
			goto out;
		}
		cc->starts[i] = start;
		start += len;
		*align_bits |= len | offset;

		if (!strcmp(dev_arg, DM_COMBINE_HOLE)) {
			if (offset) {
				ti->error = "Hole offset must be 0";
				goto out;
			}
			region->kind = COMBINE_HOLE;
			continue;
		}
		if (cc->gpt.block_size && !strcmp(dev_arg, DM_COMBINE_GPT_AREA)) {
			if (offset) {
				ti->error = "GPT area offset must be 0";
				goto out;
			}
			region->kind = COMBINE_GPT_AREA;
			continue;
		}
		r = combine_get_member(ti, cc, &hash, dev_arg, &member);
		if (r)
			goto out;
		r = -EINVAL;
		dev_size = bdev_nr_sectors(member->dev->bdev);
		if (offset > dev_size || len > dev_size - offset) {
			ti->error = "Region runs past the end of its device";
			goto out;
		}
		region->kind = COMBINE_VOLUME;
		region->member = member - cc->members;
		region->offset = offset;
		combine_member_add_region(member, offset, len);
		if (offset < member->last_end)
			*unordered = true;
		member->last_end = offset + len;
		member->begin = min_t(sector_t, member->begin, offset);
		member->end = max(member->end, member->last_end);
		if (cc->gpt.block_size && combine_parse_partition(ti, cc, i, as))
			goto out;
	}
	if (as->argc) {
		ti->error = "Wrong number of region arguments";
		goto out;
	}
	if (start != ti->len) {
		ti->error = "Region lengths do not add up to the target length";
		goto out;
	}
	cc->starts[cc->nr_regions] = start;
	r = 0;
out:
	kvfree(hash.slots);
	return r;
}

/*
 * Every start, length and offset must be a multiple of the largest logical
 * block size among the members, which the dm core gives the combined device,
 * or of the gpt layout's block size, which may not be smaller.  Starts are
 * sums of lengths: align_bits, every length and offset ORed, tells for all.
 */
static int combine_check_alignment(struct dm_target *ti, struct combine_c *cc,
				   sector_t align_bits)
{
	unsigned int block_size = SECTOR_SIZE, i;

	for (i = 0; i < cc->nr_members; i++)
		block_size = max(block_size,
				 bdev_logical_block_size(cc->members[i].dev->bdev));
	if (cc->gpt.block_size) {
		if (block_size > cc->gpt.block_size) {
			ti->error = "Member logical block size exceeds the GPT's";
			return -EINVAL;
		}
		block_size = cc->gpt.block_size;
	}
	if ((ti->begin | align_bits) & ((block_size >> SECTOR_SHIFT) - 1)) {
		ti->error = "Region not aligned to the logical block size";
		return -EINVAL;
	}
	return 0;
}

/*
 * Regions out of table order on a member may still not overlap: sort
 * where they lie and compare neighbours.
 */
static int combine_check_overlaps(struct dm_target *ti, struct combine_c *cc)
{
	struct combine_extent *extents;
	unsigned int nr_extents = 0, i;
	int r = 0;

	extents = kvmalloc_array(cc->nr_regions, sizeof(*extents), COMBINE_GFP);
	if (!extents) {
		ti->error = "Cannot allocate region extents";
		return -ENOMEM;
	}
	for (i = 0; i < cc->nr_regions; i++) {
		struct combine_region *region = &cc->regions[i];

		if (region->kind != COMBINE_VOLUME)
			continue;
		extents[nr_extents++] = (struct combine_extent) {
			.devt = cc->members[region->member].dev->bdev->bd_dev,
			.begin = region->offset,
			.end = region->offset + cc->starts[i + 1] - cc->starts[i],
		};
	}
	sort(extents, nr_extents, sizeof(*extents), combine_extent_cmp, NULL);

	for (i = 1; i < nr_extents; i++) {
		if (extents[i].devt == extents[i - 1].devt &&
		    extents[i].begin < extents[i - 1].end) {
			ti->error = "Regions overlap on a member device";
			r = -EINVAL;
			break;
		}
	}
	kvfree(extents);
	return r;
}

/* About one index entry per region: slots no larger than the mean region. */
static int combine_build_index(struct dm_target *ti, struct combine_c *cc)
{
	size_t nr_slots, slot;
	unsigned int i = 0;

	cc->index_shift = ilog2(div_u64(ti->len, cc->nr_regions));
	nr_slots = ((ti->len - 1) >> cc->index_shift) + 1;
	cc->index = combine_alloc_array(nr_slots + 1, sizeof(*cc->index));
	if (!cc->index) {
		ti->error = "Cannot allocate region index";
		return -ENOMEM;
	}
	for (slot = 0; slot < nr_slots; slot++) {
		sector_t sector = (sector_t)slot << cc->index_shift;

		while (cc->starts[i + 1] <= sector)
			i++;
		cc->index[slot] = i;
		if (!(slot % COMBINE_RESCHED_REGIONS))
			cond_resched();
	}
	cc->index[nr_slots] = cc->nr_regions - 1;
	return 0;
}

/*
 * The GPT of the gpt layout: the first region must hold MBR, header and
 * entries, the last one (another region) the backup entries and header,
 * with at least one usable block between them; each volume region
 * becomes its partition's entry.
 */
static int combine_build_gpt(struct dm_target *ti, struct combine_c *cc)
{
	struct dmc_gpt *gpt = &cc->gpt;
	unsigned int block_shift = ilog2(gpt->block_size) - SECTOR_SHIFT;
	u64 head = dmc_gpt_head_blocks(gpt->block_size);
	u64 tail = dmc_gpt_tail_blocks(gpt->block_size);
	unsigned int last = cc->nr_regions - 1, i;
	int r;

	if (ti->begin) {
		ti->error = "The gpt layout must start at sector 0";
		return -EINVAL;
	}
	if (cc->regions[0].kind != COMBINE_GPT_AREA ||
	    cc->starts[1] >> block_shift < head) {
		ti->error = "First region must be a GPT area holding the primary GPT";
		return -EINVAL;
	}
	if (!last || cc->regions[last].kind != COMBINE_GPT_AREA ||
	    (ti->len - cc->starts[last]) >> block_shift < tail) {
		ti->error = "Last region must be a GPT area holding the backup GPT";
		return -EINVAL;
	}
	gpt->nr_blocks = ti->len >> block_shift;
	if (gpt->nr_blocks < head + tail + 1) {
		ti->error = "No usable block between the primary and backup GPT";
		return -EINVAL;
	}
	gpt->head = kvzalloc(dmc_gpt_head_bytes(gpt->block_size), GFP_KERNEL);
	gpt->backup_header = kzalloc(gpt->block_size, GFP_KERNEL);
	if (!gpt->head || !gpt->backup_header) {
		ti->error = "Cannot allocate GPT";
		return -ENOMEM;
	}
	for (i = 0; i < cc->nr_partitions; i++) {
		const struct combine_partition *part = &cc->partitions[i];

		r = dmc_gpt_set_entry(gpt, part->number, part->type, part->guid,
				      cc->starts[part->region] >> block_shift,
				      (cc->starts[part->region + 1] >> block_shift) - 1,
				      part->name);
		if (r) {
			/* Numbers, GUIDs and names were checked while parsing. */
			ti->error = r == -EEXIST ? "Duplicate partition number" :
				    "Partition outside the GPT's usable area";
			return -EINVAL;
		}
	}
	dmc_gpt_finish(gpt);
	return 0;
}

/* Features "gpt <block_size> <disk_guid>" and "latency", in any order. */
static int combine_parse_features(struct dm_target *ti, struct dm_arg_set *as,
				  unsigned int nr_features, struct dmc_gpt *gpt,
				  bool *latency)
{
	while (nr_features--) {
		const char *feature = dm_shift_arg(as);

		if (!strcasecmp(feature, DM_COMBINE_FEATURE_LATENCY)) {
			if (*latency) {
				ti->error = "Duplicate latency feature";
				return -EINVAL;
			}
			*latency = true;
			continue;
		}
		if (strcasecmp(feature, DM_COMBINE_FEATURE_GPT)) {
			ti->error = "Unrecognised feature argument";
			return -EINVAL;
		}
		if (gpt->block_size) {
			ti->error = "Duplicate gpt feature";
			return -EINVAL;
		}
		if (nr_features < DM_COMBINE_FEATURE_GPT_ARGS - 1) {
			ti->error = "Feature gpt needs <block_size> <disk_guid>";
			return -EINVAL;
		}
		nr_features -= DM_COMBINE_FEATURE_GPT_ARGS - 1;
		if (kstrtouint(dm_shift_arg(as), 10, &gpt->block_size) ||
		    !dmc_gpt_block_size_valid(gpt->block_size)) {
			ti->error = "Invalid GPT logical block size";
			return -EINVAL;
		}
		if (dmc_guid_parse(dm_shift_arg(as), gpt->disk_guid) ||
		    dmc_guid_is_zero(gpt->disk_guid)) {
			ti->error = "Invalid GPT disk GUID";
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Construct a combined mapping:
 *
 *   <#feature_args> [<feature_arg>...] <#regions> <region>...
 *   region: <len> <dev|-> <offset>
 *
 * Regions are laid end to end in the order given and their lengths (in
 * sectors) must add up to the target's length.  <dev> is a device path or
 * major:minor and <offset> the first sector used on it; "- 0" is a hole.
 *
 * Feature "gpt <block_size> <disk_guid>" adds a GUID partition table for
 * blocks of block_size bytes, and changes the regions to
 *
 *   region: <len> <dev> <offset> <partition> <type_guid> <part_guid> <name>
 *         | <len> - 0
 *         | <len> gpt 0
 *
 * where "gpt" regions read as the GPT (or zeros between volumes) and the
 * first and last region must be such areas, large enough for the primary
 * and backup GPT.
 *
 * Feature "latency" adds per-region latency histograms to regions_print.
 */
static int combine_ctr(struct dm_target *ti, unsigned int argc, char **argv)
{
	static const struct dm_arg _args[] = {
		{0, DM_COMBINE_MAX_FEATURE_ARGS, "Invalid number of feature arguments"},
		{1, DM_COMBINE_MAX_REGIONS, "Invalid number of regions"},
	};
	struct dm_arg_set as = { .argc = argc, .argv = argv };
	unsigned int nr_features, nr_regions;
	struct dmc_gpt gpt = { 0 };
	struct combine_c *cc;
	sector_t align_bits;
	bool unordered, latency = false;
	size_t region_bytes;
	int r;

	r = dm_read_arg_group(_args, &as, &nr_features, &ti->error);
	if (!r)
		r = combine_parse_features(ti, &as, nr_features, &gpt, &latency);
	if (!r)
		r = dm_read_arg(_args + 1, &as, &nr_regions, &ti->error);
	if (r)
		return r;
	/* Regions under gpt have more words: counted while parsing them. */
	if (gpt.block_size ? as.argc < nr_regions * DM_COMBINE_REGION_ARGS :
	    as.argc != nr_regions * DM_COMBINE_REGION_ARGS) {
		ti->error = "Wrong number of region arguments";
		return -EINVAL;
	}

	region_bytes = COMBINE_REGION_BYTES +
		       (latency ? sizeof(struct combine_latency) : 0);
	if ((u64)nr_regions * region_bytes >
	    ((u64)totalram_pages() << PAGE_SHIFT) / COMBINE_MEMORY_SHARE) {
		ti->error = "Region tables would exceed a quarter of RAM";
		return -ENOMEM;
	}
	cc = combine_alloc(ti, nr_regions, latency);
	if (!cc) {
		ti->error = "Cannot allocate combine context";
		return -ENOMEM;
	}
	ti->private = cc;
	cc->gpt = gpt;
	if (gpt.block_size) {
		cc->partitions = kvcalloc(DMC_GPT_ENTRIES, sizeof(*cc->partitions),
					  GFP_KERNEL);
		if (!cc->partitions) {
			ti->error = "Cannot allocate partition list";
			combine_dtr(ti);
			return -ENOMEM;
		}
	}

	r = combine_parse_regions(ti, cc, &as, &unordered, &align_bits);
	if (!r)
		r = combine_check_alignment(ti, cc, align_bits);
	if (!r && unordered)
		r = combine_check_overlaps(ti, cc);
	if (!r && gpt.block_size)
		r = combine_build_gpt(ti, cc);
	if (!r)
		r = combine_build_index(ti, cc);
	if (r) {
		combine_dtr(ti);
		return r;
	}

	ti->num_flush_bios = cc->nr_members;
	ti->num_discard_bios = 1;
	ti->num_write_zeroes_bios = 1;
	ti->per_io_data_size = latency ? sizeof(struct combine_timed_bio) :
					 sizeof(unsigned int);
	return 0;
}

static unsigned int combine_find_region(const struct combine_c *cc,
					sector_t sector)
{
	size_t slot = sector >> cc->index_shift;
	unsigned int lo = cc->index[slot], hi = cc->index[slot + 1];

	/* The last region in [lo, hi] that starts at or before sector. */
	while (lo < hi) {
		unsigned int mid = hi - (hi - lo) / 2;

		if (cc->starts[mid] <= sector)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * One more error on a region or member, and in their totals: the first
 * one raises the dm event (include/dm-combine.h), from process context.
 * Resetting the counters arms it again.
 */
static void combine_count_error(struct combine_c *cc, atomic64_t *errors,
				struct combine_error_totals *totals)
{
	atomic64_inc(&totals->errors);
	if (atomic64_inc_return(errors) == 1) {
		atomic_inc(&totals->failing);
		schedule_work(&cc->event_work);
	}
}

/* A completion of bio in region i after usecs microseconds. */
static void combine_count_latency(struct combine_c *cc, unsigned int i,
				  struct bio *bio, u64 usecs)
{
	struct combine_latency *latency = &cc->latency[i];
	enum combine_direction dir = bio_op(bio) == REQ_OP_READ ?
				     COMBINE_DIR_READ : COMBINE_DIR_WRITE;
	unsigned int bucket = 0;

	if (usecs)
		bucket = min_t(unsigned int, ilog2(usecs),
			       DM_COMBINE_LATENCY_BUCKETS - 1);
	atomic64_add(usecs, &latency->usecs[dir]);
	atomic64_inc(&latency->buckets[dir][bucket]);
}

/*
 * A bio in a region without a device: reads of a GPT area get the GPT's
 * bytes, as dm-zero fills its reads; anything else fails.
 */
static int combine_map_nodev(struct combine_c *cc, unsigned int i,
			     struct bio *bio, sector_t sector)
{
	u64 offset = (u64)sector << SECTOR_SHIFT;
	struct bvec_iter iter;
	struct bio_vec bv;

	if (cc->regions[i].kind != COMBINE_GPT_AREA || bio_op(bio) != REQ_OP_READ) {
		/*
		 * Killed bios skip end_io: count the error here, and the
		 * completion, at once, so that the histograms hold every bio.
		 */
		combine_count_error(cc, &cc->counters[i].count[COMBINE_ERRORS],
				    &cc->region_errors);
		if (cc->latency)
			combine_count_latency(cc, i, bio, 0);
		return DM_MAPIO_KILL;
	}
	/*
	 * memcpy_to_page() and memzero_page() flush the data cache where it
	 * can alias, as a plain memcpy() into a mapped page would not.
	 */
	bio_for_each_segment(bv, bio, iter) {
		unsigned int done = 0;

		while (done < bv.bv_len) {
			size_t n = bv.bv_len - done;
			const void *src = dmc_gpt_source(&cc->gpt, offset, &n);

			if (src)
				memcpy_to_page(bv.bv_page, bv.bv_offset + done, src, n);
			else
				memzero_page(bv.bv_page, bv.bv_offset + done, n);
			done += n;
			offset += n;
		}
	}
	bio_endio(bio);
	return DM_MAPIO_SUBMITTED;
}

/*
 * A bio without data: an empty flush clone goes to the member its number
 * names (the core sends nr_members of them, none without members); any
 * other has nothing to do.
 */
static noinline int combine_map_empty(struct combine_c *cc, struct bio *bio)
{
	unsigned int *bio_data = dm_per_bio_data(bio, sizeof(*bio_data));
	unsigned int n = dm_bio_get_target_bio_nr(bio);

	if (!op_is_flush(bio->bi_opf) || n >= cc->nr_members) {
		*bio_data = COMBINE_NO_REGION;
		bio_endio(bio);
		return DM_MAPIO_SUBMITTED;
	}
	*bio_data = COMBINE_FLUSH_CLONE | n;
	bio_set_dev(bio, cc->members[n].dev->bdev);
	return DM_MAPIO_REMAPPED;
}

/* One more bio of nr_sectors sectors in a region. */
static inline void combine_count_op(struct combine_counters *counters,
				    enum combine_counter bios,
				    enum combine_counter sectors,
				    unsigned int nr_sectors)
{
	atomic64_inc(&counters->count[bios]);
	atomic64_add(nr_sectors, &counters->count[sectors]);
}

/*
 * Each operation has its own counting with constant offsets, reads and
 * writes first: a switch that chose the offsets and counted once after
 * it took 2 to 4 instructions more per bio (the offsets in registers).
 */
static inline void combine_count(struct combine_counters *counters,
				 struct bio *bio, unsigned int nr_sectors)
{
	if (likely(bio_op(bio) == REQ_OP_READ))
		combine_count_op(counters, COMBINE_READS, COMBINE_READ_SECTORS,
				 nr_sectors);
	else if (likely(bio_op(bio) == REQ_OP_WRITE))
		combine_count_op(counters, COMBINE_WRITES,
				 COMBINE_WRITE_SECTORS, nr_sectors);
	else if (bio_op(bio) == REQ_OP_DISCARD)
		combine_count_op(counters, COMBINE_DISCARDS,
				 COMBINE_DISCARD_SECTORS, nr_sectors);
	else if (bio_op(bio) == REQ_OP_WRITE_ZEROES)
		combine_count_op(counters, COMBINE_WRITE_ZEROES,
				 COMBINE_WRITE_ZEROES_SECTORS, nr_sectors);
	else
		combine_count_op(counters, COMBINE_WRITES,
				 COMBINE_WRITE_SECTORS, nr_sectors);
}

/* The member device of volume region i. */
static inline struct block_device *combine_bdev(const struct combine_c *cc,
						unsigned int i)
{
	return cc->members[cc->regions[i].member].dev->bdev;
}

/* Where sector (from the target's start) of volume region i lies on its member. */
static inline sector_t combine_member_sector(const struct combine_c *cc,
					     unsigned int i, sector_t sector)
{
	return cc->regions[i].offset + (sector - cc->starts[i]);
}

/* Keeps the region number of bio for end_io(). */
static inline void combine_set_bio_region(struct bio *bio, unsigned int i)
{
	*(unsigned int *)dm_per_bio_data(bio, sizeof(unsigned int)) = i;
}

/*
 * What map() does beyond remapping a bio to a volume: the start time with
 * the latency feature, and regions without a device.
 */
static noinline int combine_map_slow(struct combine_c *cc, unsigned int i,
				     struct bio *bio, sector_t sector)
{
	unsigned int *bio_data = dm_per_bio_data(bio, sizeof(*bio_data));

	*bio_data = i;
	if (cc->latency)
		container_of(bio_data, struct combine_timed_bio, region)->start_ns =
			ktime_get_ns();
	if (cc->regions[i].kind != COMBINE_VOLUME)
		return combine_map_nodev(cc, i, bio, sector);
	bio_set_dev(bio, combine_bdev(cc, i));
	bio->bi_iter.bi_sector = combine_member_sector(cc, i, sector);
	return DM_MAPIO_REMAPPED;
}

/*
 * The common case, a bio to a volume without the latency feature, is all
 * here; the rest is out of line (noinline), and the calls into the core
 * come last.  Inlined rare cases and a dm_per_bio_data() call first made
 * map() save six registers and spill the bio to the stack.  With the
 * end_io() below, this raised 4 KiB random IOPS at 10,000 regions on 6.1
 * under -icount from 5290 to 5311 (reads) and 5098 to 5115 (writes), about
 * 45 instructions less per bio; dm-linear with one line: 5355 and 5157.
 */
static int combine_map(struct dm_target *ti, struct bio *bio)
{
	struct combine_c *cc = ti->private;
	unsigned int nr_sectors = bio_sectors(bio);
	sector_t sector, end, target;
	struct block_device *bdev;
	unsigned int i;

	if (unlikely(!nr_sectors))
		return combine_map_empty(cc, bio);

	sector = dm_target_offset(ti, bio->bi_iter.bi_sector);
	i = combine_find_region(cc, sector);
	end = cc->starts[i + 1];
	if (unlikely(sector + nr_sectors > end)) {
		dm_accept_partial_bio(bio, end - sector);
		nr_sectors = bio_sectors(bio);
	}
	combine_count(&cc->counters[i], bio, nr_sectors);
	if (unlikely(cc->latency || cc->regions[i].kind != COMBINE_VOLUME))
		return combine_map_slow(cc, i, bio, sector);

	target = combine_member_sector(cc, i, sector);
	bdev = combine_bdev(cc, i);
	combine_set_bio_region(bio, i);
	bio_set_dev(bio, bdev);
	bio->bi_iter.bi_sector = target;
	return DM_MAPIO_REMAPPED;
}

/* What end_io() does for a failed bio or with the latency feature. */
static noinline int combine_end_io_slow(struct combine_c *cc, struct bio *bio,
					blk_status_t error)
{
	unsigned int *bio_data = dm_per_bio_data(bio, sizeof(*bio_data));
	unsigned int i = *bio_data;

	/* Region bios only: neither flush clones nor other empty bios. */
	if (cc->latency && i < COMBINE_FLUSH_CLONE) {
		u64 start = container_of(bio_data, struct combine_timed_bio,
					 region)->start_ns;

		combine_count_latency(cc, i, bio, div_u64(ktime_get_ns() - start,
							  NSEC_PER_USEC));
	}
	/* BLK_STS_AGAIN is a REQ_NOWAIT bio its submitter retries, not a failure. */
	if (!error || error == BLK_STS_AGAIN || i == COMBINE_NO_REGION)
		return DM_ENDIO_DONE;
	if (i & COMBINE_FLUSH_CLONE)
		combine_count_error(cc, &cc->members[i & ~COMBINE_FLUSH_CLONE].flush_errors,
				    &cc->flush_errors);
	else
		combine_count_error(cc, &cc->counters[i].count[COMBINE_ERRORS],
				    &cc->region_errors);
	return DM_ENDIO_DONE;
}

/*
 * A success without the latency feature returns at once, without the
 * call into the dm core that dm_per_bio_data() is and without saving
 * registers: the rest is out of line (9 instructions instead of 20 per
 * bio, counted in the object code).
 */
static int combine_end_io(struct dm_target *ti, struct bio *bio,
			  blk_status_t *error)
{
	struct combine_c *cc = ti->private;

	if (likely(!*error) && likely(!cc->latency))
		return DM_ENDIO_DONE;
	return combine_end_io_slow(cc, bio, *error);
}

/*
 * The decimal digits of value at p, without a terminating NUL; returns
 * their number.  regions_print prints ten numbers for each of up to
 * 100,000 regions: vsnprintf() parses the format and takes its generic
 * number path for each.
 */
static unsigned int combine_format_u64(char *p, u64 value)
{
	char digits[20];
	unsigned int n = 0, i;

	/* Most counters of most regions (errors, discards...) are 0. */
	if (value < 10) {
		*p = '0' + value;
		return 1;
	}
	do
		digits[n++] = '0' + do_div(value, 10);
	while (value);
	for (i = 0; i < n; i++)
		p[i] = digits[n - 1 - i];
	return n;
}

/*
 * len bytes of words at result + *sz, as DMEMIT would print them: what
 * fits before maxlen, NUL-terminated.  Needs *sz < maxlen; returns
 * whether result has room left, false once it is full.
 */
static bool combine_emit(char *result, unsigned int maxlen, unsigned int *sz,
			 const char *words, unsigned int len)
{
	len = min(len, maxlen - 1 - *sz);
	memcpy(result + *sz, words, len);
	*sz += len;
	result[*sz] = '\0';
	return *sz + 1 < maxlen;
}

/*
 * " <value>" for each of n values (at most DM_COMBINE_LATENCY_BUCKETS), as
 * combine_emit() emits them: a region's latency words.  They are formatted
 * into a local buffer and copied in one go: formatted straight into
 * result, every digit stored through a char pointer makes the compiler
 * reload what it may alias (status took 24 % longer, RESULTS.md).
 */
static noinline_for_stack bool combine_emit_u64s(char *result,
						 unsigned int maxlen,
						 unsigned int *sz,
						 const u64 *values,
						 unsigned int n)
{
	/* Each word: a space and at most 20 digits. */
	char words[DM_COMBINE_LATENCY_BUCKETS * 21];
	unsigned int len = 0, i;

	for (i = 0; i < n; i++) {
		words[len++] = ' ';
		len += combine_format_u64(words + len, values[i]);
	}
	return combine_emit(result, maxlen, sz, words, len);
}

/*
 * One region's line of regions_print: its counters, then its latency with
 * the feature, in the order include/dm-combine.h gives, and a newline.
 */
static bool combine_emit_region(const struct combine_c *cc, unsigned int i,
				char *result, unsigned int maxlen,
				unsigned int *sz)
{
	const struct combine_region *region = &cc->regions[i];
	const struct combine_latency *latency;
	/* Each word: at most 20 digits and a space or the newline. */
	char words[DM_COMBINE_STATUS_COUNTERS * 21];
	u64 values[DM_COMBINE_LATENCY_BUCKETS];
	unsigned int len = 0, c, d, b;
	u64 value;

	/* The counters as the loop of combine_emit_u64s(), the hot case inline. */
	for (c = 0; c < DM_COMBINE_STATUS_COUNTERS; c++) {
		if (c < COMBINE_NR_COUNTERS)
			value = atomic64_read(&cc->counters[i].count[c]);
		else if (region->kind == COMBINE_VOLUME)
			/* A member's failed flush is one on each of its volumes. */
			value = atomic64_read(&cc->members[region->member].flush_errors);
		else
			value = 0;
		if (c)
			words[len++] = ' ';
		len += combine_format_u64(words + len, value);
	}
	if (!cc->latency) {
		words[len++] = '\n';
		return combine_emit(result, maxlen, sz, words, len);
	}
	if (!combine_emit(result, maxlen, sz, words, len))
		return false;
	latency = &cc->latency[i];
	for (d = 0; d < COMBINE_NR_DIRECTIONS; d++)
		values[d] = atomic64_read(&latency->usecs[d]);
	if (!combine_emit_u64s(result, maxlen, sz, values, COMBINE_NR_DIRECTIONS))
		return false;
	for (d = 0; d < COMBINE_NR_DIRECTIONS; d++) {
		for (b = 0; b < DM_COMBINE_LATENCY_BUCKETS; b++)
			values[b] = atomic64_read(&latency->buckets[d][b]);
		if (!combine_emit_u64s(result, maxlen, sz, values,
				       DM_COMBINE_LATENCY_BUCKETS))
			return false;
	}
	return combine_emit(result, maxlen, sz, "\n", 1);
}

/*
 * The most TABLE status bytes of one region: " <len> <dev> <offset>" (the
 * dm core's device names have at most 15 characters) and a partition's
 * " <number> <type_guid> <part_guid> <name>"; the words before the
 * regions are fewer.
 */
#define COMBINE_TABLE_REGION_MAX (3 * 21 + 15 + 4 + 2 * (DMC_GUID_STRING_LEN + 1) + \
				  1 + COMBINE_PARTITION_NAME_MAX + 1)

/* The TABLE status words before the regions, into words; returns their length. */
static unsigned int combine_table_head(const struct combine_c *cc, char *words)
{
	const size_t size = COMBINE_TABLE_REGION_MAX;
	char guid[DMC_GUID_STRING_LEN + 1];
	unsigned int len;

	len = scnprintf(words, size, "%u",
			(cc->gpt.block_size ? DM_COMBINE_FEATURE_GPT_ARGS : 0) +
			(cc->latency ? 1 : 0));
	if (cc->gpt.block_size) {
		dmc_guid_format(cc->gpt.disk_guid, guid);
		len += scnprintf(words + len, size - len, " %s %u %s",
				 DM_COMBINE_FEATURE_GPT, cc->gpt.block_size, guid);
	}
	if (cc->latency)
		len += scnprintf(words + len, size - len, " %s",
				 DM_COMBINE_FEATURE_LATENCY);
	len += scnprintf(words + len, size - len, " %u", cc->nr_regions);
	return len;
}

/*
 * Region i's TABLE status words, into words; returns their length.  *p
 * is the next partition in region order, moved past i's.  Numbers are
 * formatted as in regions_print: `dmsetup table` and the IMA digest go
 * through every region.
 */
static unsigned int combine_table_region(const struct combine_c *cc,
					 unsigned int i, unsigned int *p,
					 char *words)
{
	const struct combine_region *region = &cc->regions[i];
	char type[DMC_GUID_STRING_LEN + 1], guid[DMC_GUID_STRING_LEN + 1];
	const char *dev;
	unsigned int len = 0, n;

	if (region->kind == COMBINE_VOLUME)
		dev = cc->members[region->member].dev->name;
	else
		dev = region->kind == COMBINE_GPT_AREA ? DM_COMBINE_GPT_AREA :
							 DM_COMBINE_HOLE;
	words[len++] = ' ';
	len += combine_format_u64(words + len, cc->starts[i + 1] - cc->starts[i]);
	words[len++] = ' ';
	n = strlen(dev);
	memcpy(words + len, dev, n);
	len += n;
	words[len++] = ' ';
	/* Holes and GPT areas have offset 0. */
	len += combine_format_u64(words + len, region->offset);
	if (*p < cc->nr_partitions && cc->partitions[*p].region == i) {
		const struct combine_partition *part = &cc->partitions[(*p)++];

		dmc_guid_format(part->type, type);
		dmc_guid_format(part->guid, guid);
		len += scnprintf(words + len, COMBINE_TABLE_REGION_MAX - len,
				 " %u %s %s %s", part->number, type, guid,
				 part->name);
	}
	return len;
}

/*
 * The IMA record describes the mapping by the SHA-256 of the TABLE status
 * (what `dmsetup table` prints after the target name), so that a verifier
 * recomputes it from the table line it expects: `dmsetup table NAME | cut
 * -d' ' -f4- | tr -d '\n' | sha256sum`.  Listing each region would not fit
 * dm-ima's 4 KiB records past a few dozen regions, and a non-cryptographic
 * digest (crc32c, xxhash) lets whoever loads tables make a different
 * mapping measure the same, which is what measuring is meant to catch.
 * The crypto API gives the CPU's fastest SHA-256 (SHA-NI, AVX2) where the
 * library function is generic C on older kernels; dm-ima asks once per
 * table load, so the digest is computed then, not kept.  Cost: about 18
 * bytes hashed per region, which dm-ima makes every load on a CONFIG_IMA
 * kernel pay: 100,000 regions load in 4.5 s of guest time under -icount
 * instead of 1.9 (generic SHA-256; tests/bench/RESULTS.md).
 */
/*
 * The TABLE status is hashed a page of text at a time: an update per
 * region cost more than the formatting.
 */
static int combine_hash_table(const struct combine_c *cc,
			      struct crypto_shash *tfm, char *text,
			      u8 digest[SHA256_DIGEST_SIZE])
{
	SHASH_DESC_ON_STACK(desc, tfm);
	unsigned int i, p = 0, len;
	int r;

	desc->tfm = tfm;
	r = crypto_shash_init(desc);
	len = combine_table_head(cc, text);
	for (i = 0; !r && i < cc->nr_regions; i++) {
		if (PAGE_SIZE - len < COMBINE_TABLE_REGION_MAX) {
			r = crypto_shash_update(desc, (const u8 *)text, len);
			len = 0;
		}
		len += combine_table_region(cc, i, &p, text + len);
		if (!(i % COMBINE_RESCHED_REGIONS))
			cond_resched();
	}
	if (!r)
		r = crypto_shash_update(desc, (const u8 *)text, len);
	if (!r)
		r = crypto_shash_final(desc, digest);
	shash_desc_zero(desc);
	return r;
}

static int combine_mapping_digest(const struct combine_c *cc,
				  u8 digest[SHA256_DIGEST_SIZE])
{
	struct crypto_shash *tfm;
	unsigned int noio_flag;
	char *text;
	int r;

	static_assert(COMBINE_TABLE_REGION_MAX * 2 <= PAGE_SIZE);
	/*
	 * `dmsetup measure` may ask while the device is suspended: reclaim
	 * must not wait for I/O to it, as the dm ioctls' own buffers do not.
	 */
	noio_flag = memalloc_noio_save();
	text = kmalloc(PAGE_SIZE, GFP_KERNEL);
	tfm = text ? crypto_alloc_shash("sha256", 0, 0) : ERR_PTR(-ENOMEM);
	memalloc_noio_restore(noio_flag);
	r = PTR_ERR_OR_ZERO(tfm);
	if (!r) {
		r = combine_hash_table(cc, tfm, text, digest);
		crypto_free_shash(tfm);
	}
	kfree(text);
	return r;
}

static void combine_status(struct dm_target *ti, status_type_t type,
			   unsigned int status_flags, char *result,
			   unsigned int maxlen)
{
	struct combine_c *cc = ti->private;
	char words[COMBINE_TABLE_REGION_MAX];
	u8 digest[SHA256_DIGEST_SIZE];
	unsigned int sz = 0, i, p = 0;

	/*
	 * The loop stops once result is full (DMEMIT then leaves one byte
	 * unused): the ioctl reports that and libdevmapper asks again with a
	 * larger buffer, so formatting the rest would be thrown away.
	 */
	switch (type) {
	case STATUSTYPE_INFO:
		/* Kept up to date by combine_count_error(): no pass over the regions. */
		DMEMIT("%u %d %llu %d %llu", cc->nr_regions,
		       atomic_read(&cc->region_errors.failing),
		       (unsigned long long)atomic64_read(&cc->region_errors.errors),
		       atomic_read(&cc->flush_errors.failing),
		       (unsigned long long)atomic64_read(&cc->flush_errors.errors));
		break;

	case STATUSTYPE_TABLE:
		if (!combine_emit(result, maxlen, &sz, words,
				  combine_table_head(cc, words)))
			break;
		for (i = 0; i < cc->nr_regions; i++) {
			if (!combine_emit(result, maxlen, &sz, words,
					  combine_table_region(cc, i, &p, words)))
				break;
			if (!(i % COMBINE_RESCHED_REGIONS))
				cond_resched();
		}
		break;

	case STATUSTYPE_IMA:
		DMEMIT_TARGET_NAME_VERSION(ti->type);
		DMEMIT(",region_count=%u,member_count=%u,partition_count=%u",
		       cc->nr_regions, cc->nr_members, cc->nr_partitions);
		/* Without the digest (no memory), the record says so by its absence. */
		if (!combine_mapping_digest(cc, digest)) {
			DMEMIT(",mapping_sha256=");
			for (i = 0; i < SHA256_DIGEST_SIZE; i++)
				DMEMIT("%02x", digest[i]);
		}
		DMEMIT(";");
		break;
	}
}

/* Zeroes n values, yielding now and then. */
static void combine_zero(atomic64_t *values, size_t n)
{
	size_t i, k;

	for (i = 0; i + 16 <= n; i += 16) {
		/*
		 * Unrolled: 16 stores in 24 instructions.  100,000 regions'
		 * counters are 900,000 values, and a loop per region that
		 * reloaded its pointers after each store (the kernel has no
		 * strict aliasing) took 6 instructions per store, 107 ms of
		 * guest time per stats_reset (tests/bench/RESULTS.md).
		 */
#pragma GCC unroll 16
		for (k = 0; k < 16; k++)
			atomic64_set(&values[i + k], 0);
		if (!(i % (16 * COMBINE_RESCHED_REGIONS)))
			cond_resched();
	}
	for (; i < n; i++)
		atomic64_set(&values[i], 0);
}

static void combine_zero_totals(struct combine_error_totals *totals)
{
	atomic64_set(&totals->errors, 0);
	atomic_set(&totals->failing, 0);
}

/*
 * Zero every counter.  An increment racing with it lands before or after
 * the zero, never torn: good enough to start a new measurement, and it
 * keeps map() lock-free.  The totals of INFO status may then be off by
 * the racing errors until the next reset, but they are zeroed first: a
 * region's first error after its own zero is then counted in them (the
 * other way round, one in between was lost and its region never counted
 * as failing again until the next reset).
 */
static void combine_reset_counters(struct combine_c *cc)
{
	unsigned int i;

	combine_zero_totals(&cc->region_errors);
	combine_zero_totals(&cc->flush_errors);
	/* Arrays of structures of values only: arrays of values. */
	combine_zero((atomic64_t *)cc->counters,
		     (size_t)cc->nr_regions * COMBINE_NR_COUNTERS);
	if (cc->latency)
		combine_zero((atomic64_t *)cc->latency,
			     (size_t)cc->nr_regions * COMBINE_LATENCY_VALUES);
	for (i = 0; i < cc->nr_members; i++)
		atomic64_set(&cc->members[i].flush_errors, 0);
}

/*
 * regions_print [<start> <count>]: a line per region from start, count of
 * them (0 or none: up to the last), as dm-stats' @stats_print prints a
 * range of areas; a start past the last region prints nothing.  The lines
 * stop where result is full: the dm core then reports the buffer full and
 * libdevmapper asks again with a larger one.  Returns 1, as the dm core
 * expects of a message that gives output.
 */
static int combine_print_regions(struct combine_c *cc, unsigned int argc,
				 char **argv, char *result, unsigned int maxlen)
{
	unsigned int start = 0, count = 0, end, i, sz = 0;

	if (argc != 1 && argc != 3)
		return -EINVAL;
	if (argc == 3 && (kstrtouint(argv[1], 10, &start) ||
			  kstrtouint(argv[2], 10, &count)))
		return -EINVAL;
	start = min(start, cc->nr_regions);
	end = count && count < cc->nr_regions - start ? start + count :
						       cc->nr_regions;
	if (!maxlen)
		return 1;
	result[0] = '\0';
	for (i = start; i < end; i++) {
		if (!combine_emit_region(cc, i, result, maxlen, &sz))
			break;
		if (!((i - start + 1) % COMBINE_RESCHED_REGIONS))
			cond_resched();
	}
	return 1;
}

static int combine_message(struct dm_target *ti, unsigned int argc,
			   char **argv, char *result, unsigned int maxlen)
{
	int r;

	if (argc == 1 && !strcasecmp(argv[0], DM_COMBINE_MSG_STATS_RESET)) {
		combine_reset_counters(ti->private);
		return 0;
	}
	if (argc && !strcasecmp(argv[0], DM_COMBINE_MSG_REGIONS_PRINT)) {
		r = combine_print_regions(ti->private, argc, argv, result, maxlen);
		if (r < 0)
			DMWARN("Invalid %s arguments.", DM_COMBINE_MSG_REGIONS_PRINT);
		return r;
	}
	DMWARN("Unrecognised message received.");
	return -EINVAL;
}

/*
 * Every bio has completed: deliver the events of its errors before a
 * reload can unbind the table, which drops events still queued.
 */
static void combine_postsuspend(struct dm_target *ti)
{
	struct combine_c *cc = ti->private;

	flush_work(&cc->event_work);
}

/*
 * Once per member over the span its regions use: the dm core calls this
 * for every limit and capability it checks, so once per region would cost
 * a pass over every region each time.  The constructor already checked
 * each region's bounds and alignment.
 *
 * The core derives alignment (physical block size, io_min, alignment
 * offset) from where each area starts on its device: a dm-linear table
 * with a line per region is misaligned at granularity g when two regions
 * on one member start at different offsets modulo g.  That holds exactly
 * when the lowest set bit of misalign (every offset minus the first's,
 * ORed) is below g, and then the first region and the odd one, whose
 * difference has that bit, differ modulo g: reporting both makes the core
 * see what it would see of every region.
 */
static int combine_iterate_devices(struct dm_target *ti,
				   iterate_devices_callout_fn fn, void *data)
{
	struct combine_c *cc = ti->private;
	unsigned int i;
	int r;

	for (i = 0; i < cc->nr_members; i++) {
		const struct combine_member *member = &cc->members[i];

		r = fn(ti, member->dev, member->begin,
		       member->end - member->begin, data);
		if (!r && member->misalign)
			r = fn(ti, member->dev, member->first, member->first_len, data);
		if (!r && member->misalign)
			r = fn(ti, member->dev, member->odd, member->odd_len, data);
		if (r)
			return r;
	}
	return 0;
}

/* A GPT built for blocks of block_size bytes needs a device that has them. */
static void combine_io_hints(struct dm_target *ti, struct queue_limits *limits)
{
	struct combine_c *cc = ti->private;
	unsigned int block_size = cc->gpt.block_size;

	if (!block_size)
		return;
	limits->logical_block_size = max(limits->logical_block_size, block_size);
	limits->physical_block_size = max(limits->physical_block_size, block_size);
	limits->io_min = max(limits->io_min, block_size);
}

static struct target_type combine_target = {
	.name = DM_COMBINE_TARGET,
	.version = {DM_COMBINE_VERSION_MAJOR, DM_COMBINE_VERSION_MINOR,
		    DM_COMBINE_VERSION_PATCH},
	.features = DM_TARGET_NOWAIT,
	.module = THIS_MODULE,
	.ctr = combine_ctr,
	.dtr = combine_dtr,
	.map = combine_map,
	.end_io = combine_end_io,
	.status = combine_status,
	.message = combine_message,
	.postsuspend = combine_postsuspend,
	.iterate_devices = combine_iterate_devices,
	.io_hints = combine_io_hints,
};

static int __init dm_combine_init(void)
{
	return dm_register_target(&combine_target);
}

static void __exit dm_combine_exit(void)
{
	dm_unregister_target(&combine_target);
}

module_init(dm_combine_init);
module_exit(dm_combine_exit);

MODULE_DESCRIPTION(DM_NAME " target joining many volumes into one device");
MODULE_AUTHOR("dmcombine developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(DMCOMBINE_VERSION);
