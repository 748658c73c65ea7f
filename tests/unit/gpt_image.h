/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * GPT images for the unit tests: the synthesised areas of a struct dmc_gpt
 * written to a sparse file the size of the device, and sgdisk -v run on
 * it with the device's block size (sector_size_preload.so makes sgdisk
 * see it). Include after check_common.h.
 */
#ifndef DMCOMBINE_GPT_IMAGE_H
#define DMCOMBINE_GPT_IMAGE_H

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>

#include "dm-combine-gpt.h"

/* A zero-filled GPT of nr_blocks blocks, ready for dmc_gpt_set_entry(). */
static inline void gpt_image_alloc(struct dmc_gpt *gpt, uint32_t block_size, uint64_t nr_blocks)
{
	gpt->block_size = block_size;
	gpt->nr_blocks = nr_blocks;
	gpt->head = calloc(1, dmc_gpt_head_bytes(block_size));
	gpt->backup_header = calloc(1, block_size);
	ck_assert_ptr_nonnull(gpt->head);
	ck_assert_ptr_nonnull(gpt->backup_header);
}

static inline void gpt_image_free(struct dmc_gpt *gpt)
{
	free(gpt->head);
	free(gpt->backup_header);
}

/*
 * Writes what the target's map returns for the head and the tail of gpt
 * to path, a sparse file of the device's size (left behind when a check
 * fails, to be looked at; make clean removes it).
 */
static inline void gpt_image_write(const struct dmc_gpt *gpt, const char *path)
{
	uint32_t block_size = gpt->block_size;
	uint64_t tail_bytes = dmc_gpt_tail_blocks(block_size) * block_size;
	uint8_t *buf;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, gpt->nr_blocks * block_size), 0);
	buf = malloc(dmc_gpt_head_bytes(block_size));
	ck_assert_ptr_nonnull(buf);
	dmc_gpt_read(gpt, 0, buf, dmc_gpt_head_bytes(block_size));
	ck_assert_int_eq(pwrite(fd, buf, dmc_gpt_head_bytes(block_size), 0),
			 (ssize_t)dmc_gpt_head_bytes(block_size));
	dmc_gpt_read(gpt, gpt->nr_blocks * block_size - tail_bytes, buf, tail_bytes);
	ck_assert_int_eq(pwrite(fd, buf, tail_bytes, gpt->nr_blocks * block_size - tail_bytes),
			 (ssize_t)tail_bytes);
	free(buf);
	close(fd);
}

/* Runs command with SECTOR_SIZE set; returns its stdout (free it). */
static inline char *gpt_image_run(const char *command, uint32_t block_size)
{
	char env[32], *out = calloc(1, 1 << 20);
	size_t len = 0, n;
	FILE *pipe;

	ck_assert_ptr_nonnull(out);
	snprintf(env, sizeof(env), "%u", block_size);
	setenv("SECTOR_SIZE", env, 1);
	setenv("LD_PRELOAD", "./sector_size_preload.so", 1);
	pipe = popen(command, "r");
	unsetenv("LD_PRELOAD");
	ck_assert_ptr_nonnull(pipe);
	while ((n = fread(out + len, 1, (1 << 20) - 1 - len, pipe)) > 0)
		len += n;
	ck_assert_msg(WEXITSTATUS(pclose(pipe)) == 0, "%s failed:\n%.2000s", command, out);
	return out;
}

/* sgdisk -v finds no problem in the image at path. */
static inline void gpt_image_check_sgdisk(const char *path, uint32_t block_size)
{
	char command[128], *out;

	snprintf(command, sizeof(command), "sgdisk -v %s 2>&1", path);
	out = gpt_image_run(command, block_size);
	ck_assert_msg(strstr(out, "No problems found."), "sgdisk -v:\n%.2000s", out);
	free(out);
}

#endif
