/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bio segments for the fuzz build.  The harness sends no bios: a bio has
 * one segment so that map() compiles as the kernel builds it.
 */
#ifndef SHIM_LINUX_BIO_H
#define SHIM_LINUX_BIO_H

#include <linux/device-mapper.h>

struct bio_vec {
	void *bv_data;
	unsigned int bv_len;
};

#define bio_for_each_segment(bvl, bio, iter)				\
	for ((iter) = (bio)->bi_iter,					\
	     (bvl) = (struct bio_vec){ (bio)->bi_data, (iter).bi_size };	\
	     (iter).bi_size; (iter).bi_size = 0)

static inline void *bvec_kmap_local(struct bio_vec *bvec)
{
	return bvec->bv_data;
}

static inline void bio_endio(struct bio *bio)
{
	bio->bi_iter.bi_size = 0;
}

#endif
