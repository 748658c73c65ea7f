/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which generation of its map each active device runs, and which maps an
 * initramfs holds. Every save of a map increments its "generation"
 * (store_save), so a copy of the map can be told apart from the current
 * one:
 * - RUN_DIR/NAME holds "UUID GENERATION" of the map the device was created
 *   or last reloaded from. /run moves into the real root at switch_root
 *   (dracut and initramfs-tools alike), so a device the initramfs
 *   assembled from its own, older copy is recognised afterwards as stale.
 * - IMAGES_DIR holds one file per initramfs image, written by the image
 *   generator's hook (dracut 90dmcombine, initramfs-tools' hook) when it
 *   copies maps: lines "NAME UUID GENERATION". A change to a map listed
 *   there tells the admin to regenerate the image, as mdadm does.
 */
#ifndef DMCOMBINE_GENERATION_H
#define DMCOMBINE_GENERATION_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "combined.h"

#define GENERATION_RUN_DIR "/run/dmcombine/generation"
#ifndef GENERATION_IMAGES_DIR
#define GENERATION_IMAGES_DIR "/var/lib/dmcombine/initramfs"
#endif

/* Records that the active device now runs this map; best effort (logged at -v). */
void generation_record(const struct combined *combined);
/* Forgets the record of a removed device. */
void generation_forget(const char *name);
/*
 * The generation of combined's map the active device runs; -ENOENT when
 * unknown (no record: made by an older tool, or its record is for another
 * map of that name).
 */
int generation_running(const struct combined *combined, uint64_t *generation);
/*
 * When the active device's table was loaded (created, assembled or changed
 * by this tool: the time of the record, CLOCK_REALTIME); -ENOENT when
 * unknown, as for generation_running.
 */
int generation_loaded_at(const struct combined *combined, struct timespec *when);
/*
 * Whether the stale device (dm devno stale) holds region's volume: its
 * block device, or the loop an image file is attached to, has the stale
 * device among its holders; *devno is then that device. assemble --dry-run
 * takes such a volume as it is (the real assemble removes the stale
 * device, and so frees it, before it opens the volume).
 */
bool generation_stale_holds(dev_t stale, const struct region *region, dev_t *devno);
/* Says to syslog (the journal) that the device runs a stale map, and why. */
void generation_syslog_stale(const struct combined *combined, uint64_t running, const char *why);
/*
 * After a change to a map (uuid "" once forgotten): names each initramfs
 * image holding another copy, and says to regenerate it.
 */
void generation_warn_images(const struct combined *combined);

#endif
