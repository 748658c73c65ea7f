// SPDX-License-Identifier: GPL-2.0-only
/*
 * LD_PRELOAD shim for tests/vm/37-tool-file-swap.sh: the first time the
 * program asks /dev/loop-control for a free loop device (after it has
 * checked the image file, before it attaches it), the file at
 * $SWAP_PATH is renamed to $SWAP_PATH.orig and a symlink to $SWAP_TARGET
 * put in its place: the attacker's swap, at the worst moment.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/loop.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real_ioctl)(int, unsigned long, ...);
	static int swapped;
	const char *path = getenv("SWAP_PATH"), *target = getenv("SWAP_TARGET");
	char moved[4096];
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
	if (request == LOOP_CTL_GET_FREE && !swapped && path && target) {
		swapped = 1;
		snprintf(moved, sizeof(moved), "%s.orig", path);
		if (rename(path, moved) || symlink(target, path))
			perror("swap-preload");
		else
			fprintf(stderr, "swap-preload: %s is now a symlink to %s\n", path, target);
	}
	return real_ioctl(fd, request, arg);
}
