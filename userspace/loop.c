// SPDX-License-Identifier: GPL-2.0-only
/* Attaching regular files to autoclear loop devices. */
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#define LOOP_CONTROL "/dev/loop-control"
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

int loop_attach(const char *file, char *device, size_t size, dev_t *devno)
{
	int control, file_fd, fd = -EBUSY, nr, attempt;
	struct stat st;

	file_fd = open(file, O_RDWR | O_CLOEXEC);
	if (file_fd < 0)
		return log_error(-errno, file, "cannot open: %s", strerror(errno));
	control = open(LOOP_CONTROL, O_RDWR | O_CLOEXEC);
	if (control < 0) {
		fd = log_error(-errno, LOOP_CONTROL, "%s (is the loop module loaded?)", strerror(errno));
		close(file_fd);
		return fd;
	}
	for (attempt = 0; attempt < LOOP_ATTEMPTS && fd == -EBUSY; attempt++) {
		nr = ioctl(control, LOOP_CTL_GET_FREE);
		fd = nr < 0 ? -errno : configure(nr, file_fd, file, device, size);
	}
	close(control);
	/* The loop holds its own reference to the file. */
	close(file_fd);
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
