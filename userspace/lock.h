/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One lock serialises every invocation that reads (shared) or changes
 * (exclusive) devices and their maps, so two adds cannot interleave.
 */
#ifndef DMCOMBINE_LOCK_H
#define DMCOMBINE_LOCK_H

#include <sys/file.h>

#define LOCK_DIR "/run/lock"
#define LOCK_PATH LOCK_DIR "/dmcombine.lock"
/* For commands that only read maps, which are replaced whole (rename). */
#define LOCK_NONE 0

/* how is LOCK_SH or LOCK_EX; waits. Returns the lock's fd or -errno (logged). */
int lock_take(int how);
void lock_release(int fd);

#endif
