/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The journal of add, drop, resize and replace: the changed map is saved as a pending map
 * (store_save_pending) before the kernel gets its table, and renamed over
 * the map once the table is live (store_commit_pending, the commit point).
 * A kill in between leaves the pending map behind; every invocation that
 * takes the lock settles it first, so the live table and the map agree
 * again without remove and assemble.
 */
#ifndef DMCOMBINE_JOURNAL_H
#define DMCOMBINE_JOURNAL_H

/*
 * For each map with a pending map beside it: a live table that is the
 * pending map's (for a replaced volume: mapping the device its new identity
 * names) finishes the change (commits it); one that is the saved
 * map's, or no live device at all, discards the pending map; any other
 * table leaves both for the commands to refuse. Fails only when the
 * directory cannot be listed; a problem with one device is reported and
 * left to the commands on that device.
 */
int journal_settle(const char *config_dir);
/*
 * The same for one map: also how add and drop take back their pending map
 * when a step fails. Returns a failure already logged; 0 when there is no
 * pending map, or when neither table is live (both files are left).
 */
int journal_settle_one(const char *config_dir, const char *name);

#endif
