/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One lock serialises every invocation that reads (shared) or changes
 * (exclusive) devices and their maps, so two adds cannot interleave.
 *
 * It is a flock on LOCK_DIR/lock, in a directory only root may enter: an
 * unprivileged process cannot open the file, so it cannot hold the lock,
 * plant a link there or fill the directory. Waits are bounded.
 */
#ifndef DMCOMBINE_LOCK_H
#define DMCOMBINE_LOCK_H

#include <sys/file.h>

#define LOCK_DIR "/run/dmcombine"
#define LOCK_FILE "lock"
/* For commands that only read maps, which are replaced whole (rename). */
#define LOCK_NONE 0

/* What a person waits by default; assemble --incremental, run by udev, far less. */
#define LOCK_WAIT_DEFAULT 30
#define LOCK_WAIT_UDEV 10
/* The most --wait takes: a day. */
#define LOCK_WAIT_MAX 86400
#define LOCK_WAIT_MAX_TEXT "86400"

/*
 * Takes the lock in dir (LOCK_DIR outside tests): how is LOCK_SH or
 * LOCK_EX; waits at most wait_seconds (0: not at all). dir must be a
 * directory of this user, mode 0700, and the lock a regular file of this
 * user, neither a symbolic link. Returns the lock's fd, or -errno
 * (logged; -ETIMEDOUT naming the holders when /proc/locks shows them).
 */
int lock_take(const char *dir, int how, unsigned int wait_seconds);
void lock_release(int fd);

#endif
