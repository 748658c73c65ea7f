// SPDX-License-Identifier: GPL-2.0-only
/* Settles the pending map an interrupted add or drop left (see journal.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dm-combine.h"
#include "dm.h"
#include "generation.h"
#include "identity.h"
#include "journal.h"
#include "log.h"
#include "loop.h"
#include "store.h"
#include "table.h"

/* "DMCOMBINE-" and a UUID, well below device-mapper's 129 bytes. */
#define DM_UUID_MAX (sizeof(DM_COMBINE_UUID_PREFIX) + UUID_STRING_LEN)

/* Whether the live table maps volume region to the device its identity names. */
static bool maps_volume(const struct region *region, dev_t devno)
{
	dev_t file_dev;
	ino_t file_ino;
	struct stat st;

	if (!devno)
		return false;
	if (!region->loop)
		return identity_names_device(region->identity, devno, NULL, 0);
	return !loop_backing(devno, &file_dev, &file_ino) && !stat(region->identity, &st) &&
	       st.st_dev == file_dev && st.st_ino == file_ino;
}

/*
 * A replace changes a volume's device, not the regions: where the pending
 * map gives a volume (same ID, same place) another identity than the saved
 * map, the live table must map the pending map's device for its change to
 * have taken effect.
 */
static bool replaced_volumes_live(const char *params, const struct combined *pending,
				  const struct combined *saved)
{
	dev_t *devnos = calloc(pending->nr_regions + 1, sizeof(*devnos));
	bool live = devnos && !table_parse_devices(params, pending, devnos);
	size_t i;

	for (i = 0; live && i < pending->nr_regions && i < saved->nr_regions; i++) {
		const struct region *now = &pending->regions[i], *was = &saved->regions[i];

		if (now->hole || was->hole || strcmp(now->id, was->id) ||
		    now->start != was->start || now->length != was->length)
			continue;
		if (strcmp(now->identity, was->identity) || now->loop != was->loop)
			live = maps_volume(now, devnos[i]);
	}
	free(devnos);
	return live;
}

/* Whether params is the table of combined (the same regions; devices not compared). */
static bool table_is(const char *params, const struct combined *combined)
{
	dev_t *devnos = calloc(combined->nr_regions + 1, sizeof(*devnos));
	bool same = devnos && !table_parse_devices(params, combined, devnos);

	free(devnos);
	return same;
}

/*
 * The live table of the map's device, NULL with *r 0 when the device is
 * not active: no device, or one an interrupted create left without a live
 * table. A device of that name that is not this map's is an error.
 */
static char *live_table(const struct combined *saved, int *r)
{
	char expected[DM_UUID_MAX], uuid[256], *params = NULL;
	bool exists, live, loaded;

	*r = device_info(saved->name, &exists, uuid, sizeof(uuid));
	if (*r || !exists)
		return NULL;
	snprintf(expected, sizeof(expected), DM_COMBINE_UUID_PREFIX "%s", saved->uuid);
	if (strcmp(uuid, expected)) {
		*r = log_error(-EEXIST, saved->name, "a device-mapper device of this name exists but is not this combined device (DM UUID \"%s\")",
			       uuid);
		return NULL;
	}
	*r = device_tables(saved->name, &live, &loaded);
	if (!*r && live)
		*r = device_params(saved->name, false, &params);
	return params;
}

/*
 * Without a live table the saved map is what was last committed: the
 * kernel's table never outlives a reboot, and a kill before the resume
 * left the old table live. So a pending map beside an inactive device
 * (power cut, reboot) or beside the old table is discarded: assemble
 * makes the device as the saved map has it, and the interrupted command,
 * which never reported success, can be run again.
 */
int journal_settle_one(const char *config_dir, const char *name)
{
	struct combined *saved = NULL, *pending = NULL;
	char *params = NULL;
	int r;

	r = store_load_pending(config_dir, name, &pending);
	if (r)
		return r == -ENOENT ? 0 : r;
	r = store_load(config_dir, name, &saved);
	if (!r)
		params = live_table(saved, &r);
	if (!r && params && table_is(params, pending) && replaced_volumes_live(params, pending, saved)) {
		generation_record(pending);
		r = store_commit_pending(config_dir, name);
		if (!r)
			log_info("%s: finished an interrupted change of its map", name);
		else if (r == -ENOENT)
			r = 0;	/* a reader beside this one committed it first */
	} else if (!r && (!params || table_is(params, saved))) {
		if (params)
			generation_record(saved);
		r = store_discard_pending(config_dir, name);
		if (!r)
			log_verbose("%s: discarded the map of a change that did not take effect",
				    name);
	}
	free(params);
	combined_free(pending);
	combined_free(saved);
	return r;
}

int journal_settle(const char *config_dir)
{
	size_t i, count;
	char **names;
	int r;

	r = store_list(config_dir, &names, &count);
	if (r)
		return r;
	/*
	 * Readers settle too, under the shared lock: no add or drop runs
	 * beside them, and two readers settling at once reach the same
	 * result from the same files (a commit the other made first is
	 * -ENOENT here, and the map is already the new one).
	 */
	for (i = 0; i < count; i++)
		journal_settle_one(config_dir, names[i]);
	store_list_free(names, count);
	return 0;
}
