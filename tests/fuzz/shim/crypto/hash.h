/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The synchronous hash API for the fuzz build.  "sha256" is a stand-in
 * digest, shim_digest() (shim.c), that the harness recomputes over what
 * it expects to be hashed; shim_digest_fail makes the allocation fail.
 */
#ifndef SHIM_CRYPTO_HASH_H
#define SHIM_CRYPTO_HASH_H

#include <crypto/sha2.h>
#include <linux/types.h>

#define MAX_ERRNO	4095
#define IS_ERR(ptr)	((unsigned long)(ptr) >= (unsigned long)-MAX_ERRNO)
#define PTR_ERR(ptr)	((long)(ptr))
#define ERR_PTR(err)	((void *)(long)(err))
#define PTR_ERR_OR_ZERO(ptr)	(IS_ERR(ptr) ? PTR_ERR(ptr) : 0)

struct crypto_shash {
	int unused;
};

/* The stand-in digest's state: four 64-bit FNV-1a lanes. */
struct shash_desc {
	struct crypto_shash *tfm;
	u64 lane[SHA256_DIGEST_SIZE / 8];
};

#define SHASH_DESC_ON_STACK(shash, ctx) \
	struct shash_desc __##shash##_desc, *shash = &__##shash##_desc

extern bool shim_digest_fail;

struct crypto_shash *crypto_alloc_shash(const char *alg_name, u32 type, u32 mask);
void crypto_free_shash(struct crypto_shash *tfm);
int crypto_shash_init(struct shash_desc *desc);
int crypto_shash_update(struct shash_desc *desc, const u8 *data, unsigned int len);
int crypto_shash_final(struct shash_desc *desc, u8 *out);

static inline void shash_desc_zero(struct shash_desc *desc)
{
	memset(desc, 0, sizeof(*desc));
}

/* The stand-in digest of len bytes at data, as crypto_shash_*() give it. */
void shim_digest(const void *data, size_t len, u8 out[SHA256_DIGEST_SIZE]);

#endif
