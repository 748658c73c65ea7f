/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Saved exports: the exports `dmcombine export` was asked for, kept beside
 * the map (CONFIG_DIR/NAME.exports, see store.h) so that `dmcombine export
 * --all` makes them again after a reboot (dmcombine-exports.service), as
 * target.service restores targetcli's saved configuration. configfs stays
 * the record of what is live (lio.h); this file says what the admin asked
 * for. Not in the map: a map's generation tells initramfs images and
 * running devices apart (generation.h), and an export changes neither.
 * The CHAP password is not copied: the entry names its file, read again
 * on restore. unexport and remove --forget forget the exports; remove
 * keeps them. Failures are logged here.
 *
 *   {"format": 1, "exports": [{"fabric": "loopback"},
 *     {"fabric": "iscsi", "portal": "192.0.2.1:3260", "initiators": ["iqn..."],
 *      "chap_user": "u", "chap_password_file": "/etc/dmcombine/chap"}]}
 */
#ifndef DMCOMBINE_EXPORTS_H
#define DMCOMBINE_EXPORTS_H

#include <json-c/json.h>
#include <stdbool.h>

#include "combined.h"
#include "lio.h"

/*
 * Saves the export over fabric (replacing a saved one over the same
 * fabric); *before gets the saved text it replaced (NULL: there was none)
 * for exports_put_back when the export itself then fails.
 */
int exports_save(const char *dir, const char *name, enum lio_fabric fabric,
		 const struct lio_iscsi *iscsi, const char *chap_password_file, char **before);
/* export --dry-run: the text exports_save would write, in *text. */
int exports_preview(const char *dir, const char *name, enum lio_fabric fabric,
		    const struct lio_iscsi *iscsi, const char *chap_password_file, char **text);
/* Puts back what exports_save replaced, and frees it. */
int exports_put_back(const char *dir, const char *name, char *before);
/* Whether exports of the device are saved (a file that cannot be read counts). */
bool exports_saved(const char *dir, const char *name);
/*
 * The saved exports of the device, for map and status: *entries the saved
 * array (empty when none is saved). -errno (logged) when the file cannot
 * be read or is corrupt.
 */
int exports_load_saved(const char *dir, const char *name, json_object **entries);
/*
 * Makes every saved export of combined (an active device) that configfs
 * does not hold yet (dry_run: makes none); each saved entry made (or
 * that would be) is appended to the JSON array made.
 */
int exports_restore(const char *dir, const struct combined *combined, bool dry_run,
		    json_object *made);

#endif
