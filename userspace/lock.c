// SPDX-License-Identifier: GPL-2.0-only
/*
 * The global lock: flock on a file in a directory of root's own, waited
 * for at most a given time.
 *
 * The directory is made 0700 and checked (owner, mode, no symbolic link,
 * opened with O_DIRECTORY | O_NOFOLLOW); the file is opened relative to
 * it with O_NOFOLLOW and checked too. So nobody but root can open the
 * lock file, let alone hold it, and nothing planted is followed. The wait
 * is a blocking flock cut short by an alarm: the kernel wakes the waiter
 * as soon as the holder lets go, and the alarm bounds the wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lock.h"
#include "log.h"

/* Opens dir, making it when missing; refuses one that is not this user's alone. */
static int open_lock_dir(const char *dir)
{
	struct stat st;
	int fd;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return log_error(-errno, dir, "cannot create: %s", strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
		return log_error(-ELOOP, dir, "a symbolic link or not a directory: refused");
	if (fd < 0)
		return log_error(-errno, dir, "%s", strerror(errno));
	if (fstat(fd, &st)) {
		int err = -errno;

		close(fd);
		return log_error(err, dir, "%s", strerror(-err));
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		return log_error(-EPERM, dir, "owner uid %u, mode %04o: must be root's with mode 0700; refused",
				 (unsigned int)st.st_uid, (unsigned int)(st.st_mode & 07777));
	}
	return fd;
}

static int open_lock_file(int dir_fd, const char *path)
{
	struct stat st;
	int fd;

	fd = openat(dir_fd, LOCK_FILE, O_RDWR | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ELOOP)
		return log_error(-ELOOP, path, "a symbolic link: refused");
	if (fd < 0)
		return log_error(-errno, path, "%s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return log_error(-EPERM, path, "not a regular file of root's: refused");
	}
	return fd;
}

/*
 * The processes /proc/locks shows holding the lock (dev, ino), as
 * "pid 123 (dmcombine), ..." in text; "" when it cannot tell.
 */
static void lock_holders(dev_t dev, ino_t ino, char *text, size_t size)
{
	char line[256], comm[64], path[64], *at = text;
	unsigned int major_nr, minor_nr;
	unsigned long long inode;
	FILE *locks, *f;
	int pid;

	text[0] = '\0';
	locks = fopen("/proc/locks", "re");
	while (locks && fgets(line, sizeof(line), locks)) {
		/* "1: FLOCK  ADVISORY  WRITE 123 fe:00:456 0 EOF"; waiters have "->". */
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: FLOCK %*s %*s %d %x:%x:%llu", &pid, &major_nr, &minor_nr,
			   &inode) != 4 ||
		    makedev(major_nr, minor_nr) != dev || inode != (unsigned long long)ino)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		f = fopen(path, "re");
		if (!f || !fgets(comm, sizeof(comm), f))
			snprintf(comm, sizeof(comm), "?");
		if (f)
			fclose(f);
		comm[strcspn(comm, "\n")] = '\0';
		if ((size_t)(at - text) + 1 < size)
			at += snprintf(at, size - (size_t)(at - text), "%spid %d (%s)",
				       at == text ? "" : ", ", pid, comm);
	}
	if (locks)
		fclose(locks);
}

/* Only interrupts flock: the alarm's default action would end the process. */
static void on_alarm(int sig)
{
	(void)sig;
}

/* flock, at most wait_seconds; -ETIMEDOUT when the time ran out. */
static int flock_bounded(int fd, int how, unsigned int wait_seconds)
{
	struct sigaction action = { .sa_handler = on_alarm }, old;
	unsigned int left;
	int r = 0;

	if (!flock(fd, how | LOCK_NB))
		return 0;
	if (errno != EWOULDBLOCK)
		return -errno;
	if (!wait_seconds)
		return -ETIMEDOUT;
	/* No SA_RESTART: the alarm makes flock return EINTR. */
	sigemptyset(&action.sa_mask);
	sigaction(SIGALRM, &action, &old);
	alarm(wait_seconds);
	while (flock(fd, how)) {
		if (errno != EINTR) {
			r = -errno;
			break;
		}
		/* Another signal interrupted it: wait on while the alarm is pending. */
		left = alarm(0);
		if (!left) {
			r = -ETIMEDOUT;
			break;
		}
		alarm(left);
	}
	alarm(0);
	sigaction(SIGALRM, &old, NULL);
	return r;
}

int lock_take(const char *dir, int how, unsigned int wait_seconds)
{
	char path[4096], holders[512];
	int dir_fd, fd, r;
	struct stat st;

	snprintf(path, sizeof(path), "%s/" LOCK_FILE, dir);
	dir_fd = open_lock_dir(dir);
	if (dir_fd < 0)
		return dir_fd;
	fd = open_lock_file(dir_fd, path);
	close(dir_fd);
	if (fd < 0)
		return fd;
	r = flock_bounded(fd, how, wait_seconds);
	if (!r)
		return fd;
	if (r == -ETIMEDOUT) {
		holders[0] = '\0';
		if (!fstat(fd, &st))
			lock_holders(st.st_dev, st.st_ino, holders, sizeof(holders));
		log_error(r, path, "held by %s; gave up after %u s (--wait SECONDS waits longer)",
			  holders[0] ? holders : "another invocation", wait_seconds);
	} else {
		log_error(r, path, "%s", strerror(-r));
	}
	close(fd);
	return r;
}

void lock_release(int fd)
{
	/* Closing drops the flock. */
	close(fd);
}
