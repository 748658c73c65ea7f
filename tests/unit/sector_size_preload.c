// SPDX-License-Identifier: GPL-2.0-only
/*
 * LD_PRELOAD shim for check_gpt: makes an image file answer BLKSSZGET and
 * BLKPBSZGET with $SECTOR_SIZE and BLKGETSIZE(64) with its size, as a
 * block device would, so that sgdisk (which takes 512-byte sectors for a file)
 * reads a 4Kn GPT from an image without a loop device: tests never load
 * modules on the build host.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>

int ioctl(int fd, unsigned long request, ...)
{
	static int (*real_ioctl)(int, unsigned long, void *);
	const char *size = getenv("SECTOR_SIZE");
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (size && (request == BLKSSZGET || request == BLKPBSZGET)) {
		*(int *)arg = atoi(size);
		return 0;
	}
	if (size && (request == BLKGETSIZE64 || request == BLKGETSIZE)) {
		struct stat st;

		if (fstat(fd, &st))
			return -1;
		if (request == BLKGETSIZE64)
			*(uint64_t *)arg = st.st_size;
		else
			*(unsigned long *)arg = st.st_size / 512;
		return 0;
	}
	if (!real_ioctl)
		real_ioctl = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT, "ioctl");
	return real_ioctl(fd, request, arg);
}
