/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A secret (the CHAP password) read from a file that only root can read
 * or change: a regular file owned by this user (root), without access for
 * group or others, not through a symbolic link. The caller wipes the
 * buffer with explicit_bzero when done; on failure it is already wiped.
 */
#ifndef DMCOMBINE_SECRET_H
#define DMCOMBINE_SECRET_H

#include <stddef.h>

/*
 * The first line of file, without its newline, into secret (size bytes);
 * it must be 1 to max bytes long. -errno (logged, with the reason) when
 * the file is refused.
 */
int secret_read(const char *file, char *secret, size_t size, size_t max);

#endif
