// SPDX-License-Identifier: GPL-2.0-only
/* The global lock: flock on a file under /run/lock. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lock.h"
#include "log.h"

int lock_take(int how)
{
	int fd;

	/* /run/lock is missing in minimal systems such as a test guest. */
	if (mkdir(LOCK_DIR, 01777) && errno != EEXIST)
		return log_error(-errno, LOCK_DIR, "%s", strerror(errno));
	fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return log_error(-errno, LOCK_PATH, "%s", strerror(errno));
	while (flock(fd, how)) {
		if (errno != EINTR) {
			int err = -errno;

			close(fd);
			return log_error(err, LOCK_PATH, "%s", strerror(-err));
		}
	}
	return fd;
}

void lock_release(int fd)
{
	/* Closing drops the flock. */
	close(fd);
}
