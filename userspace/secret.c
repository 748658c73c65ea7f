// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading a secret: opened once without following a symbolic link,
 * checked through that descriptor (fstat: no race with a rename), read
 * with read(2) into the caller's buffer only (no stdio buffer keeps a
 * copy), and wiped on every failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "secret.h"

/* Why the file may not hold a secret, or NULL. */
static const char *refusal(const struct stat *st, char *why, size_t size)
{
	if (!S_ISREG(st->st_mode))
		return "not a regular file: refused";
	if (st->st_uid != geteuid()) {
		snprintf(why, size, "owned by uid %u, not root: refused", (unsigned int)st->st_uid);
		return why;
	}
	if (st->st_mode & 077) {
		snprintf(why, size, "mode %04o lets group or others at it: refused (chmod 600)",
			 (unsigned int)(st->st_mode & 07777));
		return why;
	}
	return NULL;
}

/* Reads up to size - 1 bytes; the count or -errno. */
static ssize_t read_some(int fd, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n;

	while (used + 1 < size) {
		n = read(fd, buf + used, size - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		used += (size_t)n;
	}
	return (ssize_t)used;
}

int secret_read(const char *file, char *secret, size_t size, size_t max)
{
	const char *why;
	char text[96];
	struct stat st;
	ssize_t len;
	int fd, r = 0;

	explicit_bzero(secret, size);
	/* O_NONBLOCK: a FIFO planted there must not hang the open; fstat refuses it. */
	fd = open(file, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP)
		return log_error(-ELOOP, file, "a symbolic link: refused");
	if (fd < 0)
		return log_error(-errno, file, "%s", strerror(errno));
	if (fstat(fd, &st))
		r = log_error(-errno, file, "%s", strerror(errno));
	else if ((why = refusal(&st, text, sizeof(text))))
		r = log_error(-EPERM, file, "%s", why);
	len = r ? 0 : read_some(fd, secret, size);
	close(fd);
	if (len < 0)
		r = log_error((int)len, file, "cannot read: %s", strerror((int)-len));
	if (!r) {
		secret[len] = '\0';
		len = (ssize_t)strcspn(secret, "\n");
		/* A first line that filled the buffer may go on: too long. */
		if (!len || (size_t)len > max || (size_t)len + 1 >= size)
			r = log_error(-EINVAL, file, "the first line must be a secret of 1 to %zu bytes",
				      max);
		/* Whatever followed the first line goes too. */
		explicit_bzero(secret + len, size - (size_t)len);
	}
	if (r)
		explicit_bzero(secret, size);
	return r;
}
