// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel functions kernel/dm-combine.c calls, in userspace for the fuzz
 * harness: allocators that count and fail on demand, the dm argument
 * helpers and kstrtoull with the kernel's semantics, and dm_get_device on a
 * few fake block devices.
 */
#include <stdarg.h>
#include <sanitizer/asan_interface.h>

#include <crypto/hash.h>
#include <linux/device-mapper.h>
#include <linux/slab.h>

#include "fuzz-shim.h"

/* kmalloc fails above 4 MiB (order 10) with a warning; kvmalloc above INT_MAX. */
#define KMALLOC_MAX_SIZE	(4UL << 20)

struct shim_allocs shim_allocs;
struct target_type *shim_target_type;
/* 1 GiB: a quarter holds the largest table the grammar allows. */
unsigned long shim_totalram_pages = 1UL << 18;

/*
 * Sizes, block sizes and names chosen to reach the target's checks: a
 * common disk, a 4096-byte-sector disk, a disk too small for most regions,
 * and one as large as the dm core allows a device to be.
 */
static struct block_device fake_disks[] = {
	{ MKDEV(8, 16), "/dev/fakea", 2097152, 512 },
	{ MKDEV(8, 32), "/dev/fakeb", 4194304, 4096 },
	{ MKDEV(8, 48), "/dev/fakec", 8, 512 },
	{ MKDEV(259, 0), "/dev/faked", LLONG_MAX >> SECTOR_SHIFT, 512 },
};

void shim_bug(const char *why)
{
	fprintf(stderr, "kernel would BUG or WARN: %s\n", why);
	abort();
}

void shim_allocs_reset(unsigned long fail_at)
{
	shim_allocs.nr = 0;
	shim_allocs.fail_at = fail_at;
}

/*
 * A poisoned header before each allocation records whether it came from
 * kvmalloc, which kfree must not free; ASan still reports any access to it.
 */
struct shim_header {
	bool virtual;
} __attribute__((aligned(16)));

/*
 * Memory the kernel would not zero comes filled with 0xa5, so that code
 * relying on zeroes it never asked for reads garbage and fails the harness.
 */
static void *shim_alloc(size_t n, size_t size, bool virtual, bool zero)
{
	struct shim_header *h;
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	if (!bytes)
		return ZERO_SIZE_PTR;
	if (bytes > (virtual ? (size_t)INT_MAX : KMALLOC_MAX_SIZE))
		shim_bug("allocation too large");
	if (++shim_allocs.nr == shim_allocs.fail_at)
		return NULL;
	h = calloc(1, sizeof(*h) + bytes);
	if (!h)
		shim_bug("out of memory in userspace");
	h->virtual = virtual;
	if (!zero)
		memset(h + 1, 0xa5, bytes);
	ASAN_POISON_MEMORY_REGION(h, sizeof(*h));
	shim_allocs.live++;
	return h + 1;
}

static void shim_free(const void *p, bool virtual)
{
	struct shim_header *h;

	if (!p || p == ZERO_SIZE_PTR)
		return;
	h = (struct shim_header *)p - 1;
	ASAN_UNPOISON_MEMORY_REGION(h, sizeof(*h));
	if (h->virtual && !virtual)
		shim_bug("kfree of kvmalloc memory");
	shim_allocs.live--;
	free(h);
}

void *kmalloc(size_t size, gfp_t flags)
{
	return shim_alloc(1, size, false, false);
}

void *kzalloc(size_t size, gfp_t flags)
{
	return shim_alloc(1, size, false, true);
}

void *kvzalloc(size_t size, gfp_t flags)
{
	return shim_alloc(1, size, true, true);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return shim_alloc(n, size, false, true);
}

void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return shim_alloc(n, size, true, true);
}

void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	return shim_alloc(n, size, true, false);
}

void *__vmalloc(unsigned long size, gfp_t flags)
{
	return shim_alloc(1, size, true, flags & __GFP_ZERO);
}

void kfree(const void *p)
{
	shim_free(p, false);
}

void kvfree(const void *p)
{
	shim_free(p, true);
}

/* Decimal digits, no sign, wrapping silently past 64 and then 32 bits. */
const char *shim_parse_uint(const char *s, unsigned int *value)
{
	unsigned long long v = 0;

	if (*s < '0' || *s > '9')
		return NULL;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned int)(*s++ - '0');
	*value = (unsigned int)v;
	return s;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	bool overflow = false;
	const char *digits;

	if (base != 10)
		shim_bug("kstrtoull: only base 10 is simulated");
	if (*s == '+')
		s++;
	for (digits = s; *s >= '0' && *s <= '9'; s++) {
		unsigned int digit = (unsigned int)(*s - '0');

		if (v > (ULLONG_MAX - digit) / 10)
			overflow = true;
		v = v * 10 + digit;
	}
	if (overflow)
		return -ERANGE;
	if (s == digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int r = kstrtoull(s, base, &v);

	if (r)
		return r;
	if (v > UINT_MAX)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int i;

	va_start(args, fmt);
	i = vsnprintf(buf, size, fmt, args);
	va_end(args);
	if (i < 0)
		shim_bug("scnprintf: bad format");
	if ((size_t)i < size)
		return i;
	return size ? (int)size - 1 : 0;
}

static int validate_next_arg(const struct dm_arg *arg,
			     struct dm_arg_set *arg_set, unsigned int *value,
			     char **error, bool grouped)
{
	const char *arg_str = dm_shift_arg(arg_set);
	const char *end = arg_str ? shim_parse_uint(arg_str, value) : NULL;

	if (!end || *end || *value < arg->min || *value > arg->max ||
	    (grouped && arg_set->argc < *value)) {
		*error = arg->error;
		return -EINVAL;
	}
	return 0;
}

int dm_read_arg(const struct dm_arg *arg, struct dm_arg_set *arg_set,
		unsigned int *value, char **error)
{
	return validate_next_arg(arg, arg_set, value, error, false);
}

int dm_read_arg_group(const struct dm_arg *arg, struct dm_arg_set *arg_set,
		      unsigned int *num_args, char **error)
{
	return validate_next_arg(arg, arg_set, num_args, error, true);
}

const char *dm_shift_arg(struct dm_arg_set *as)
{
	if (!as->argc)
		return NULL;
	as->argc--;
	return *as->argv++;
}

/* "major:minor" as sscanf("%u:%u%c") == 2 reads it, else a path. */
static int lookup_fake_disk(const char *path, struct block_device **bdev)
{
	unsigned int major, minor;
	const char *end = shim_parse_uint(path, &major);
	bool is_devnum;
	dev_t dev = 0;
	size_t i;

	if (end && *end == ':')
		end = shim_parse_uint(end + 1, &minor);
	else
		end = NULL;
	is_devnum = end && !*end;
	if (is_devnum) {
		dev = MKDEV(major, minor);
		if (MAJOR(dev) != major || MINOR(dev) != minor)
			return -EOVERFLOW;
	}
	for (i = 0; i < sizeof(fake_disks) / sizeof(fake_disks[0]); i++) {
		if (is_devnum ? fake_disks[i].bd_dev == dev :
				!strcmp(fake_disks[i].path, path)) {
			*bdev = &fake_disks[i];
			return 0;
		}
	}
	return -ENODEV;
}

int dm_get_device(struct dm_target *ti, const char *path, blk_mode_t mode,
		  struct dm_dev **result)
{
	struct shim_table_device *td;
	struct block_device *bdev;
	int r;

	r = lookup_fake_disk(path, &bdev);
	if (r)
		return r;
	for (td = ti->table->devices; td; td = td->next) {
		if (td->dm_dev.bdev == bdev) {
			td->count++;
			*result = &td->dm_dev;
			return 0;
		}
	}
	td = kzalloc(sizeof(*td), GFP_KERNEL);
	if (!td)
		return -ENOMEM;
	td->dm_dev.bdev = bdev;
	td->dm_dev.mode = mode;
	snprintf(td->dm_dev.name, sizeof(td->dm_dev.name), "%u:%u",
		 MAJOR(bdev->bd_dev), MINOR(bdev->bd_dev));
	td->count = 1;
	td->next = ti->table->devices;
	ti->table->devices = td;
	*result = &td->dm_dev;
	return 0;
}

void dm_put_device(struct dm_target *ti, struct dm_dev *d)
{
	struct shim_table_device **link, *td;

	for (link = &ti->table->devices; *link; link = &(*link)->next)
		if (&(*link)->dm_dev == d)
			break;
	td = *link;
	if (!td)
		shim_bug("dm_put_device of a device the table does not hold");
	if (--td->count)
		return;
	*link = td->next;
	kfree(td);
}

unsigned int shim_table_nr_devices(const struct dm_table *t)
{
	const struct shim_table_device *td;
	unsigned int n = 0;

	for (td = t->devices; td; td = td->next)
		n++;
	return n;
}

int dm_register_target(struct target_type *t)
{
	shim_target_type = t;
	return 0;
}

void dm_unregister_target(struct target_type *t)
{
	shim_target_type = NULL;
}

bool shim_digest_fail;
static struct crypto_shash shim_sha256;

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask)
{
	if (strcmp(alg_name, "sha256"))
		shim_bug("unknown hash algorithm");
	return shim_digest_fail ? ERR_PTR(-ENOMEM) : &shim_sha256;
}

void crypto_free_shash(struct crypto_shash *tfm)
{
}

int crypto_shash_init(struct shash_desc *desc)
{
	unsigned int i;

	for (i = 0; i < SHA256_DIGEST_SIZE / 8; i++)
		desc->lane[i] = 0xcbf29ce484222325ULL + i;
	return 0;
}

int crypto_shash_update(struct shash_desc *desc, const u8 *data, unsigned int len)
{
	unsigned int i, l;

	for (i = 0; i < len; i++)
		for (l = 0; l < SHA256_DIGEST_SIZE / 8; l++)
			desc->lane[l] = (desc->lane[l] ^ data[i]) * 0x100000001b3ULL;
	return 0;
}

int crypto_shash_final(struct shash_desc *desc, u8 *out)
{
	memcpy(out, desc->lane, SHA256_DIGEST_SIZE);
	return 0;
}

void shim_digest(const void *data, size_t len, u8 out[SHA256_DIGEST_SIZE])
{
	struct shash_desc desc;

	crypto_shash_init(&desc);
	crypto_shash_update(&desc, data, len);
	crypto_shash_final(&desc, out);
}
