/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A map on more than one host: a VM migrating with its disk, or a cluster
 * whose nodes may each run it. The volumes are shared (LUNs every host
 * sees under the same WWN, a shared LVM volume group, multipath maps) and
 * the target keeps no data state, so the same map on two hosts gives the
 * same disk, and both may hold it active while QEMU migrates.
 *
 * - import FILE|- registers a saved map (portable.h) on this host after
 *   finding each volume here by its identity, once, of its saved size and
 *   type, used by no other map; nothing is written to any volume and
 *   nothing is activated (assemble does that). An equal map of that name
 *   makes it a no-op; a different one, or another map with its UUID, a
 *   refusal.
 * - share NAME marks the map shared here and prints it for import.
 * - unshare NAME: only this host holds it again.
 *
 * The rule: a shared map's layout does not change (add, drop and every
 * other layout change refuse it without --force), because a change on
 * one host would not reach the other host's copy, whose device would then
 * give the guest another disk. Imported maps are shared; the source marks
 * its own with share. After the migration, the host that no longer runs
 * the VM removes its device (remove --forget, or keeps the map to migrate
 * back) and the one that does runs unshare before changing the layout.
 */
#ifndef DMCOMBINE_IMPORT_H
#define DMCOMBINE_IMPORT_H

#include "cli.h"

int command_import(const struct invocation *invocation);
int command_share(const struct invocation *invocation);
int command_unshare(const struct invocation *invocation);

#endif
