/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every libdevmapper call of the tool. Changes synchronise with udev through
 * cookies when udev runs; without udev (test guests, early boot) libdevmapper
 * makes /dev/mapper/NAME itself. Failures are logged here, once.
 */
#ifndef DMCOMBINE_DM_H
#define DMCOMBINE_DM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Routes libdevmapper's own messages to -vv. */
void device_setup(void);
/*
 * Loads the combine target if needed and checks its version: the tool's
 * major, and at least min_minor, which feature (for the message) needs.
 */
int device_check_target(unsigned int min_minor, const char *feature);
/* The minor version of the combine target (loaded if needed). */
int device_target_minor(unsigned int *minor);

/* uuid is the full DM UUID (with DM_COMBINE_UUID_PREFIX); size in sectors. */
int device_create(const char *name, const char *uuid, uint64_t size, const char *params);
/*
 * A device of the tool's own under a combined device (a move's mirror):
 * udev's rules leave it alone, as lvm2's do pvmove's.
 */
int device_create_layer(const char *name, const char *uuid, uint64_t size, const char *target,
			const char *params);
/*
 * Loads a new table and resumes with it: I/O in flight completes first.
 * When the resume fails, the loaded table is cleared again, so it holds
 * no device (and no loop device) and the old table stays live.
 */
int device_reload(const char *name, uint64_t size, const char *params);
int device_remove(const char *name);
/*
 * Suspends the device (I/O in flight completes, new I/O waits), resumes it
 * (with its loaded table, if one was loaded), and says whether it is
 * suspended.
 */
int device_suspend(const char *name);
int device_resume(const char *name);
int device_suspended(const char *name, bool *suspended);
/* Drops a loaded, not yet resumed table (DM_DEVICE_CLEAR). */
int device_clear(const char *name);
/* Whether the existing device name has a live and an inactive (loaded) table. */
int device_tables(const char *name, bool *live, bool *inactive);
/*
 * Drops the host's cached pages of the device: after a reload they may hold
 * data the new table no longer shows (under gpt: the old GPT). Best effort.
 */
void device_drop_cache(const char *name);
/* exists is false for no such device; uuid gets its DM UUID ("" if none). */
int device_info(const char *name, bool *exists, char *uuid, size_t size);
/* How many openers the device has (mounts, holders, programs); 0 if none. */
int device_open_count(const char *name, int *count);
/* The single combine target's table parameters (info: its INFO status); free them. */
int device_params(const char *name, bool info, char **params);
/* The same for a device with a single target of type target. */
int device_target_params(const char *name, const char *target, bool info, char **params);
/* The device number of an existing device; -ENXIO if there is none. */
int device_devno(const char *name, dev_t *devno);
/* Sends message to the device's target at sector 0; its answer ("" if none) to free. */
int device_message(const char *name, const char *message, char **response);

#endif
