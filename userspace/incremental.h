/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Assembly driven by device events, as udev runs it (scripts/udev): which
 * registered device a block device belongs to, and assembly of that device
 * once its last volume is present. Like mdadm --incremental and LVM's event
 * activation, the order volumes appear in does not matter, and a device is
 * created once whatever the number of events: every step runs under the
 * global lock and an active device is left alone.
 */
#ifndef DMCOMBINE_INCREMENTAL_H
#define DMCOMBINE_INCREMENTAL_H

#include "cli.h"
#include "combined.h"

/* How many volumes of the map are not present now (lock-free, no logging). */
size_t incremental_missing(const struct combined *combined);

/* dmcombine member [--udev] DEVNODE [LINK...]: lock-free lookup. */
int command_member(const struct invocation *invocation);
/* dmcombine assemble --incremental DEVNODE [LINK...], under the exclusive lock. */
int assemble_incremental(const struct invocation *invocation);

/* Whether a saved identity leads to a volume now, without logging. */
bool volume_present(const struct region *region);

#endif
