// SPDX-License-Identifier: GPL-2.0-only
/* Attaching regular files to autoclear loop devices. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "sysfs.h"

#define LOOP_CONTROL "/dev/loop-control"
#define LOOP_MAJOR 7
/* Another program may take the free device first: try again this often. */
#define LOOP_ATTEMPTS 16

/* Configures loop device number nr over file_fd; its open fd or -errno. */
static int configure(int nr, int file_fd, const char *file, char *device, size_t size)
{
	struct loop_config config = { .fd = (__u32)file_fd };
	int fd;

	snprintf(device, size, "/dev/loop%d", nr);
	fd = open(device, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
	snprintf((char *)config.info.lo_file_name, sizeof(config.info.lo_file_name), "%s", file);
	if (ioctl(fd, LOOP_CONFIGURE, &config)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int loop_attach(int file_fd, const char *file, char *device, size_t size, dev_t *devno)
{
	int control, fd = -EBUSY, nr, attempt;
	struct stat st;

	control = open(LOOP_CONTROL, O_RDWR | O_CLOEXEC);
	if (control < 0)
		return log_error(-errno, LOOP_CONTROL, "%s (is the loop module loaded?)", strerror(errno));
	for (attempt = 0; attempt < LOOP_ATTEMPTS && fd == -EBUSY; attempt++) {
		nr = ioctl(control, LOOP_CTL_GET_FREE);
		fd = nr < 0 ? -errno : configure(nr, file_fd, file, device, size);
	}
	close(control);
	if (fd < 0)
		return log_error(fd, file, "cannot attach a loop device: %s", strerror(-fd));
	if (fstat(fd, &st)) {
		int err = -errno;

		close(fd);
		return log_error(err, device, "%s", strerror(-err));
	}
	*devno = st.st_rdev;
	log_verbose("%s: attached to %s", file, device);
	return fd;
}

/* LOOP_GET_STATUS64's lo_device is the kernel's huge_encode_dev(). */
static dev_t decode_kernel_dev(__u64 encoded)
{
	return makedev((unsigned int)((encoded & 0xfff00) >> 8),
		       (unsigned int)((encoded & 0xff) | ((encoded >> 12) & 0xfff00)));
}

int loop_backing(dev_t devno, dev_t *file_dev, ino_t *file_ino)
{
	struct loop_info64 info;
	char path[64];
	struct stat st;
	int fd, r = 0;

	if (major(devno) != LOOP_MAJOR)
		return -ENOTBLK;
	snprintf(path, sizeof(path), "/dev/loop%u", minor(devno));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode) || st.st_rdev != devno)
		r = -ENODEV;
	else if (ioctl(fd, LOOP_GET_STATUS64, &info))
		r = -errno;
	close(fd);
	if (!r) {
		*file_dev = decode_kernel_dev(info.lo_device);
		*file_ino = (ino_t)info.lo_inode;
	}
	return r;
}

bool loop_of_file(dev_t file_dev, ino_t file_ino, char *loop, size_t size)
{
	unsigned int major_nr, minor_nr;
	char path[PATH_MAX], text[32];
	struct dirent *entry;
	bool found = false;
	dev_t dev;
	ino_t ino;
	DIR *block;

	block = opendir("/sys/block");
	if (!block)
		return false;
	while (!found && (entry = readdir(block))) {
		if (strncmp(entry->d_name, "loop", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/dev", entry->d_name);
		if (!sysfs_read_line(path, text, sizeof(text)) ||
		    sscanf(text, "%u:%u", &major_nr, &minor_nr) != 2 ||
		    loop_backing(makedev(major_nr, minor_nr), &dev, &ino))
			continue;
		if (dev == file_dev && ino == file_ino) {
			snprintf(loop, size, "/dev/%s", entry->d_name);
			found = true;
		}
	}
	closedir(block);
	return found;
}
