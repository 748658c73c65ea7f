/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device-mapper interface kernel/dm-combine.c uses, for the userspace
 * fuzz build.  Argument helpers and device lookup behave as in
 * drivers/md/dm-table.c; block devices are the fake ones in shim.c.  Bios
 * exist only so that map and end_io compile: the harness sends none.
 */
#ifndef SHIM_LINUX_DEVICE_MAPPER_H
#define SHIM_LINUX_DEVICE_MAPPER_H

#include <stdio.h>

#include <linux/kdev_t.h>
#include <linux/kernel.h>

#define DM_NAME "device-mapper"

struct block_device {
	dev_t bd_dev;
	const char *path;
	sector_t nr_sectors;
	unsigned int logical_block_size;
};

static inline sector_t bdev_nr_sectors(struct block_device *bdev)
{
	return bdev->nr_sectors;
}

static inline unsigned int bdev_logical_block_size(struct block_device *bdev)
{
	return bdev->logical_block_size;
}

struct dm_dev {
	struct block_device *bdev;
	blk_mode_t mode;
	char name[16];
};

/* The devices a table holds, each once with a count, as dm-table.c keeps. */
struct shim_table_device {
	struct dm_dev dm_dev;
	unsigned int count;
	struct shim_table_device *next;
};

struct dm_table {
	blk_mode_t mode;
	struct shim_table_device *devices;
	unsigned int events;	/* dm_table_event() calls */
};

static inline void dm_table_event(struct dm_table *t)
{
	t->events++;
}

static inline blk_mode_t dm_table_get_mode(struct dm_table *t)
{
	return t->mode;
}

struct dm_target {
	struct dm_table *table;
	struct target_type *type;
	sector_t begin;
	sector_t len;
	unsigned int num_flush_bios;
	unsigned int num_discard_bios;
	unsigned int num_write_zeroes_bios;
	unsigned int per_io_data_size;
	void *private;
	char *error;
};

int dm_get_device(struct dm_target *ti, const char *path, blk_mode_t mode,
		  struct dm_dev **result);
void dm_put_device(struct dm_target *ti, struct dm_dev *d);

struct dm_arg_set {
	unsigned int argc;
	char **argv;
};

struct dm_arg {
	unsigned int min;
	unsigned int max;
	char *error;
};

int dm_read_arg(const struct dm_arg *arg, struct dm_arg_set *arg_set,
		unsigned int *value, char **error);
int dm_read_arg_group(const struct dm_arg *arg, struct dm_arg_set *arg_set,
		      unsigned int *num_args, char **error);
const char *dm_shift_arg(struct dm_arg_set *as);

typedef u8 blk_status_t;
#define BLK_STS_AGAIN	((blk_status_t)12)

#define REQ_OP_MASK	0xffU
#define REQ_OP_READ	0U
#define REQ_OP_WRITE	1U
#define REQ_OP_DISCARD	3U
#define REQ_OP_WRITE_ZEROES	9U
#define REQ_PREFLUSH	(1U << 18)

struct bvec_iter {
	sector_t bi_sector;
	unsigned int bi_size;
};

struct bio {
	struct block_device *bi_bdev;
	void *bi_data;		/* its one segment (linux/bio.h) */
	unsigned int bi_opf;
	struct bvec_iter bi_iter;
	unsigned int target_bio_nr;
	/* The target's per-bio data ends where the bio begins. */
	u64 per_bio_data[2];
};

#define bio_sectors(bio)	((bio)->bi_iter.bi_size >> SECTOR_SHIFT)
#define bio_op(bio)		((bio)->bi_opf & REQ_OP_MASK)
#define op_is_write(op)		((op) & 1)
#define op_is_flush(opf)	((opf) & REQ_PREFLUSH)
#define dm_target_offset(ti, sector)	((sector) - (ti)->begin)

static inline void bio_set_dev(struct bio *bio, struct block_device *bdev)
{
	bio->bi_bdev = bdev;
}

static inline void *dm_per_bio_data(struct bio *bio, size_t data_size)
{
	if (data_size > sizeof(bio->per_bio_data))
		shim_bug("per-bio data larger than simulated");
	return (char *)(bio->per_bio_data + 2) - data_size;
}

static inline unsigned int dm_bio_get_target_bio_nr(const struct bio *bio)
{
	return bio->target_bio_nr;
}

static inline void dm_accept_partial_bio(struct bio *bio, unsigned int n_sectors)
{
	bio->bi_iter.bi_size = n_sectors << SECTOR_SHIFT;
}

#define DM_MAPIO_SUBMITTED	0
#define DM_MAPIO_REMAPPED	1
#define DM_MAPIO_KILL		4
#define DM_ENDIO_DONE		0

typedef enum {
	STATUSTYPE_INFO,
	STATUSTYPE_TABLE,
	STATUSTYPE_IMA,
} status_type_t;

typedef int (*iterate_devices_callout_fn)(struct dm_target *ti,
					  struct dm_dev *dev, sector_t start,
					  sector_t len, void *data);

#define DM_TARGET_NOWAIT	0x00000080

struct queue_limits {
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int io_min;
};

struct target_type {
	u64 features;
	const char *name;
	struct module *module;
	unsigned int version[3];
	int (*ctr)(struct dm_target *ti, unsigned int argc, char **argv);
	void (*dtr)(struct dm_target *ti);
	int (*map)(struct dm_target *ti, struct bio *bio);
	int (*end_io)(struct dm_target *ti, struct bio *bio, blk_status_t *error);
	void (*status)(struct dm_target *ti, status_type_t type,
		       unsigned int status_flags, char *result, unsigned int maxlen);
	int (*message)(struct dm_target *ti, unsigned int argc, char **argv,
		       char *result, unsigned int maxlen);
	void (*postsuspend)(struct dm_target *ti);
	int (*iterate_devices)(struct dm_target *ti,
			       iterate_devices_callout_fn fn, void *data);
	void (*io_hints)(struct dm_target *ti, struct queue_limits *limits);
};

int dm_register_target(struct target_type *t);
void dm_unregister_target(struct target_type *t);

/* As in the kernel: never past maxlen, always NUL-terminated. */
#define DMEMIT(x...) (sz += ((sz >= maxlen) ? \
			     0 : scnprintf(result + sz, maxlen - sz, x)))

#define DMEMIT_TARGET_NAME_VERSION(y) \
	DMEMIT("target_name=%s,target_version=%u.%u.%u", \
	       (y)->name, (y)->version[0], (y)->version[1], (y)->version[2])

#define DMWARN(fmt, ...) \
	fprintf(stderr, DM_NAME ": " DM_MSG_PREFIX ": " fmt "\n", ##__VA_ARGS__)

#endif
