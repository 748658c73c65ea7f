/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loop devices for regular files. They are set up with autoclear: the
 * kernel detaches one when its last user closes it. The caller keeps the
 * returned fd open until the combined device holds the loop, then closes
 * it; on any failure closing it makes the loop go away too.
 */
#ifndef DMCOMBINE_LOOP_H
#define DMCOMBINE_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * Attaches the file open read-write as file_fd (file names it) and returns
 * the open loop fd, or -errno (logged); device gets /dev/loopN. The loop
 * is on that descriptor's file, whatever the path names by now.
 */
int loop_attach(int file_fd, const char *file, char *device, size_t size, dev_t *devno);
/* The device and inode of the file behind loop device devno; -errno if none. */
int loop_backing(dev_t devno, dev_t *file_dev, ino_t *file_ino);
/* The loop device (/dev/loopN) the file (device, inode) is attached to, if any. */
bool loop_of_file(dev_t file_dev, ino_t file_ino, char *loop, size_t size);

#endif
