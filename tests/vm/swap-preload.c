// SPDX-License-Identifier: GPL-2.0-only
/*
 * LD_PRELOAD shim for tests/vm/37-tool-file-swap.sh: the attacker's swap
 * at the worst moment. The file at $SWAP_PATH is renamed to
 * $SWAP_PATH.orig and a symlink to $SWAP_TARGET put in its place, once:
 * with SWAP_AT=lstat right after the program lstat()s that path (between
 * its check and its open), otherwise the first time it asks
 * /dev/loop-control for a free loop device (after the checks, before the
 * attach).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/loop.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void swap(const char *when)
{
	static int swapped;
	const char *path = getenv("SWAP_PATH"), *target = getenv("SWAP_TARGET");
	const char *at = getenv("SWAP_AT");
	char moved[4096];

	if (swapped || !path || !target || strcmp(when, at ? at : "loop"))
		return;
	swapped = 1;
	snprintf(moved, sizeof(moved), "%s.orig", path);
	if (rename(path, moved) || symlink(target, path))
		perror("swap-preload");
	else
		fprintf(stderr, "swap-preload: %s is now a symlink to %s\n", path, target);
}

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (request == LOOP_CTL_GET_FREE)
		swap("loop");
	return real_ioctl(fd, request, arg);
}

/* lstat, then the swap if path is the one to swap. */
static int lstat_then_swap(const char *name, const char *path, struct stat *st)
{
	int (*real_lstat)(const char *, struct stat *) =
		(int (*)(const char *, struct stat *))dlsym(RTLD_NEXT, name);
	const char *swap_path = getenv("SWAP_PATH");
	int r = real_lstat(path, st);

	if (swap_path && !strcmp(path, swap_path))
		swap("lstat");
	return r;
}

int lstat(const char *path, struct stat *st)
{
	return lstat_then_swap("lstat", path, st);
}

int lstat64(const char *path, struct stat64 *st)
{
	return lstat_then_swap("lstat64", path, (struct stat *)st);
}
