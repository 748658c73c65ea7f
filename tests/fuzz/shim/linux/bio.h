/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bio segments for the fuzz build.  The harness sends no bios: a bio has
 * one segment so that map() compiles as the kernel builds it.
 */
#ifndef SHIM_LINUX_BIO_H
#define SHIM_LINUX_BIO_H

#include <linux/device-mapper.h>

/* A page is its bytes: a segment's data is its page plus offset. */
struct page;

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

#define bio_for_each_segment(bvl, bio, iter)				\
	for ((iter) = (bio)->bi_iter,					\
	     (bvl) = (struct bio_vec){ (bio)->bi_data, (iter).bi_size, 0 }; \
	     (iter).bi_size; (iter).bi_size = 0)

static inline void bio_endio(struct bio *bio)
{
	bio->bi_iter.bi_size = 0;
}

#endif
