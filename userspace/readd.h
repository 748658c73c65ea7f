/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A volume back in its degraded device. assemble --degraded maps each
 * missing volume's region as a hole; when the volume appears later (a
 * slow LUN logs in, a disk is reconnected), assemble of the active device
 * (udev's assemble --incremental and the systemd unit's assemble) puts it
 * back, as mdadm --incremental re-adds a late member of an array started
 * degraded. The region took no writes meanwhile (all its I/O failed), so
 * the volume's data is current: nothing is copied.
 */
#ifndef DMCOMBINE_READD_H
#define DMCOMBINE_READD_H

#include "cli.h"
#include "combined.h"

/*
 * Puts each volume the live table of the active device maps as a hole,
 * and that is present now, back in its region: found by its saved
 * identity as assembly finds it, checked and loaded as replace does
 * (grow.c), the map keeping its identity and source. A volume replace
 * would refuse (it shrank, larger logical blocks, another map's, in use)
 * stays missing: the first such refusal's -errno, logged; the others are
 * still tried.
 */
int readd_present(const struct options *options, struct combined *combined);

#endif
