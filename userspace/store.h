/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The registry directory: CONFIG_DIR/NAME.json per combined device,
 * directory mode 0700, files never followed through symlinks, written
 * atomically (temporary file, fsync, rename, fsync of the directory) so a
 * crash leaves the old map or the new one. Failures are logged here.
 */
#ifndef DMCOMBINE_STORE_H
#define DMCOMBINE_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "combined.h"

/*
 * -ENOENT (logged as "no such combined device") when there is no map;
 * *combined is NULL after any failure.
 */
int store_load(const char *dir, const char *name, struct combined **combined);
bool store_exists(const char *dir, const char *name);
/* Saves the map as its next generation (combined->generation + 1). */
int store_save(const char *dir, struct combined *combined);
/*
 * Saves a change that leaves the layout as it is (the shared mark) under
 * the same generation: a device running the map, and an initramfs copy
 * of it, stay current.
 */
int store_save_mark(const char *dir, struct combined *combined);
int store_delete(const char *dir, const char *name);

/*
 * The pending map of an add or drop, .NAME.json.pending beside NAME.json,
 * written the same atomic way before the kernel gets the new table (see
 * journal.h). Committing renames it over NAME.json, the change's commit
 * point. The pending map is the map's next generation, as store_save
 * would save it. store_load_pending and store_commit_pending return -ENOENT,
 * unlogged, when there is none.
 */
int store_save_pending(const char *dir, struct combined *combined);
int store_load_pending(const char *dir, const char *name, struct combined **combined);
int store_commit_pending(const char *dir, const char *name);
int store_discard_pending(const char *dir, const char *name);
/*
 * The saved exports of a device (exports.h), CONFIG_DIR/NAME.exports beside
 * its map, written the same atomic way; store_delete deletes them with the
 * map. store_load_exports gives the text NUL-terminated and returns
 * -ENOENT, unlogged, when there are none; deleting none is no error.
 */
int store_save_exports(const char *dir, const char *name, const char *text);
int store_load_exports(const char *dir, const char *name, char **text, size_t *len);
int store_delete_exports(const char *dir, const char *name);
/*
 * Side files of a map, ".NAME.json" SUFFIX beside NAME.json, written the
 * same atomic way and deleted with the map: the record of a move in
 * progress (STORE_MOVE) and the outcome of the last one, kept until
 * status has shown it once (STORE_MOVED). store_load_side returns -ENOENT,
 * unlogged, when there is none; text is NUL-terminated (free it).
 */
#define STORE_MOVE ".move"
#define STORE_MOVED ".moved"
int store_save_side(const char *dir, const char *name, const char *suffix, const char *text);
int store_load_side(const char *dir, const char *name, const char *suffix, char **text);
int store_delete_side(const char *dir, const char *name, const char *suffix);
/* Names with a map, sorted; none when the directory does not exist yet. */
int store_list(const char *dir, char ***names, size_t *count);
void store_list_free(char **names, size_t count);

#endif
