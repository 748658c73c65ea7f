/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel helpers kernel/dm-combine.c uses, with the kernel's semantics,
 * for the userspace fuzz build.
 */
#ifndef SHIM_LINUX_KERNEL_H
#define SHIM_LINUX_KERNEL_H

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include <linux/types.h>

/* What the kernel would BUG() or WARN() on: a crash for the fuzzer. */
void shim_bug(const char *why) __attribute__((noreturn));

/* The kernel's static_assert() takes the message as optional. */
#define static_assert(expr, ...)	_Static_assert(expr, #expr)

#define noinline		__attribute__((__noinline__))
#define noinline_for_stack	noinline

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* The kernel's max() refuses operands of different types: so does this. */
#define max(a, b) ({				\
	__typeof__(a) _max_a = (a);		\
	__typeof__(b) _max_b = (b);		\
	(void)(&_max_a == &_max_b);		\
	_max_a > _max_b ? _max_a : _max_b; })

#define min(a, b) ({				\
	__typeof__(a) _min_a = (a);		\
	__typeof__(b) _min_b = (b);		\
	(void)(&_min_a == &_min_b);		\
	_min_a < _min_b ? _min_a : _min_b; })

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define min_t(type, a, b) ({		\
	type _min_a = (a);			\
	type _min_b = (b);			\
	_min_a < _min_b ? _min_a : _min_b; })

#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))

#define SECTOR_SHIFT	9
#define SECTOR_SIZE	(1 << SECTOR_SHIFT)

/* ilog2(0) is undefined in the kernel; its callers must never ask. */
static inline int ilog2(u64 n)
{
	if (!n)
		shim_bug("ilog2(0)");
	return 63 - __builtin_clzll(n);
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

#define ATOMIC64_INIT(i)	{ (i) }

static inline void atomic_inc(atomic_t *v)
{
	__atomic_fetch_add(&v->counter, 1, __ATOMIC_RELAXED);
}

static inline int atomic_read(const atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_t *v, int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic64_add(s64 i, atomic64_t *v)
{
	__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);
}

static inline void atomic64_inc(atomic64_t *v)
{
	atomic64_add(1, v);
}

static inline s64 atomic64_inc_return(atomic64_t *v)
{
	return __atomic_add_fetch(&v->counter, 1, __ATOMIC_RELAXED);
}

static inline s64 atomic64_read(const atomic64_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void atomic64_set(atomic64_t *v, s64 i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}


/* Base 10 only, as dm-combine uses it. */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
