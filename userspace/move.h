/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmcombine move: a volume copied to another device while it serves I/O,
 * with the kernel's mirror target (mirror.h) as pvmove does it:
 *
 *   1. under the lock: the move is recorded beside the map (STORE_MOVE,
 *      state "copying"), a mirror device NAME-move-ID is made over the old
 *      device and the new one, and the combined device's region is
 *      pointed at the mirror (a table reload; the map is unchanged);
 *   2. without the lock (other commands run meanwhile): the kernel copies,
 *      and every write reaches both legs; the mover follows the status;
 *   3. under the lock again: once both legs are alive and in sync the
 *      record says "switching", the region is pointed at the new device
 *      alone, the map saved with the new device, the mirror removed, the
 *      record deleted and the outcome kept for status (STORE_MOVED).
 *
 * Until "switching" the old device holds every write (the mirror writes
 * both legs before completing), so it stays authoritative: a move whose
 * mover died (kill, reboot, power cut) while copying is abandoned, the
 * region pointed at the old device again. A move the mover recorded as
 * switching is finished instead: from then on the new device holds every
 * write, the old one may miss some. A move is not resumed: its in-memory
 * log is gone with the mirror, so resuming would copy everything again
 * anyway, and a boot should not start a long copy nobody asked for;
 * running move again does it. One move at a time per combined device.
 */
#ifndef DMCOMBINE_MOVE_H
#define DMCOMBINE_MOVE_H

#include <json-c/json.h>
#include <stdio.h>

#include "cli.h"
#include "combined.h"

int command_move(const struct invocation *invocation);

/*
 * Ends the move of NAME's volume that its mover left (killed, or the host
 * went down): abandoned or finished as above, and a leftover mirror
 * removed. 0 when no move is left; -EBUSY (unlogged) when a mover is
 * still at work. Under the lock, before the map is loaded.
 */
int move_settle(const char *config_dir, const char *name);
/* move_settle, refusing (logged) a move still at work: for commands that change the device. */
int move_settle_or_refuse(const char *config_dir, const char *name);

/*
 * move --json's report (move_report.c): the map after the move, and the
 * outcome status shows ("move"), or for --background the move begun to
 * the device to. Nothing without --json.
 */
enum move_done { MOVE_MOVED, MOVE_ABORTED, MOVE_BACKGROUND };
int move_report(const struct options *options, const char *name, const char *id,
		enum move_done done, const char *to);

/* status: the move in progress, and the outcome of the last one, shown once. */
void move_status_text(FILE *out, const char *config_dir, const struct combined *combined);
json_object *move_status_json(const char *config_dir, const struct combined *combined);

#endif
