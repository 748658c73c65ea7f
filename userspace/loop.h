/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loop devices for regular files. They are set up with autoclear: the
 * kernel detaches one when its last user closes it. The caller keeps the
 * returned fd open until the combined device holds the loop, then closes
 * it; on any failure closing it makes the loop go away too.
 */
#ifndef DMCOMBINE_LOOP_H
#define DMCOMBINE_LOOP_H

#include <stddef.h>
#include <sys/types.h>

/* Returns the open loop fd, or -errno (logged); device gets /dev/loopN. */
int loop_attach(const char *file, char *device, size_t size, dev_t *devno);

#endif
