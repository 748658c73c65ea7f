// SPDX-License-Identifier: GPL-2.0-only
/* Event-driven assembly: one block device at a time. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "commands.h"
#include "generation.h"
#include "identity.h"
#include "incremental.h"
#include "lock.h"
#include "log.h"
#include "settings.h"
#include "store.h"

/* Index of the first volume of combined whose identity names devno (with links), or -1. */
static ssize_t find_volume(const struct combined *combined, dev_t devno, char *const *links,
			   size_t nr_links)
{
	size_t i;

	/* An image file's loop is made by the tool: its events assemble nothing. */
	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole && !combined->regions[i].loop &&
		    identity_names_device(combined->regions[i].identity, devno, links, nr_links))
			return (ssize_t)i;
	return -1;
}

typedef int (*owner_found)(const struct invocation *invocation, const struct combined *combined,
			   size_t index, dev_t devno);

/*
 * Calls found for each registered device the block device devno (links:
 * udev's for it) belongs to (the tool refuses a volume in two maps, so at
 * most one unless edited by hand; assembly then refuses); their number
 * into *owners. Maps that cannot be read are logged and skipped: they must
 * not keep the others from assembling at boot.
 */
static int for_each_map_of(const struct invocation *invocation, dev_t devno, char *const *links,
			   size_t nr_links, owner_found found, size_t *owners)
{
	const char *config_dir = invocation->options.config_dir;
	struct combined *combined;
	char **registered;
	size_t n, nr_names;
	ssize_t index;
	int r, one;

	*owners = 0;
	r = store_list(config_dir, &registered, &nr_names);
	if (r || !nr_names)
		return r;
	for (n = 0; n < nr_names; n++) {
		if (store_load(config_dir, registered[n], &combined))
			continue;
		index = find_volume(combined, devno, links, nr_links);
		one = 0;
		if (index >= 0) {
			(*owners)++;
			one = found(invocation, combined, (size_t)index, devno);
		}
		if (!r)
			r = one;
		combined_free(combined);
	}
	store_list_free(registered, nr_names);
	return r;
}

/*
 * The block device the invocation names into *devno; 0 (and nothing to do)
 * for a multipath path device: its map is the volume.
 */
static int member_device(const struct invocation *invocation, dev_t *devno)
{
	const char *devnode = invocation->argv[0];
	const char *multipath;
	char map[256];
	struct stat st;

	if (stat(devnode, &st) || !S_ISBLK(st.st_mode))
		return log_error(-ENODEV, devnode, "not a block device");
	/* udev gives the event's properties: a path is marked before its map exists. */
	multipath = getenv("DM_MULTIPATH_DEVICE_PATH");
	if ((multipath && !strcmp(multipath, "1")) ||
	    identity_multipath_path(st.st_rdev, map, sizeof(map))) {
		log_verbose("%s: a multipath path device: its map is the volume", devnode);
		return 0;
	}
	*devno = st.st_rdev;
	return 1;
}

/* Calls found for each registered device the invocation's block device belongs to. */
static int for_each_owner(const struct invocation *invocation, owner_found found)
{
	size_t owners;
	dev_t devno;
	int r;

	r = member_device(invocation, &devno);
	if (r <= 0)
		return r;
	return for_each_map_of(invocation, devno, invocation->argv + 1,
			       (size_t)invocation->argc - 1, found, &owners);
}

bool volume_present(const struct region *region)
{
	struct stat st;
	size_t count;
	dev_t devno;

	if (region->loop)
		return !stat(region->identity, &st);
	return !identity_resolve(region->identity, &devno, 1, &count) && count;
}

/*
 * udev runs member --udev before it makes the event's links, so a volume's
 * saved by-id path may not lead to it yet, and when the last two volumes
 * of a map are processed at once, each would miss the other. So each run
 * first leaves a marker ONLINE_DIR/NAME/ID holding the volume's device
 * number, then counts: of two racing runs, the later one to count sees
 * both markers. A marker counts while its device exists; a wrong one
 * only makes assembly start early and fail on the missing volume.
 */
#define ONLINE_DIR "/run/dmcombine/online"

static void mark_online(const struct combined *combined, size_t index, dev_t devno)
{
	char path[PATH_MAX];
	FILE *marker;

	mkdir(LOCK_DIR, 0700);	/* root-only, as lock_take checks */
	mkdir(ONLINE_DIR, 0700);
	snprintf(path, sizeof(path), ONLINE_DIR "/%s", combined->name);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), ONLINE_DIR "/%s/%s", combined->name,
		 combined->regions[index].id);
	marker = fopen(path, "we");
	if (!marker)
		return;
	fprintf(marker, "%u:%u\n", major(devno), minor(devno));
	fclose(marker);
}

static bool marked_online(const struct combined *combined, size_t index)
{
	char path[PATH_MAX], devno[32];
	FILE *marker;
	bool online;

	snprintf(path, sizeof(path), ONLINE_DIR "/%s/%s", combined->name,
		 combined->regions[index].id);
	marker = fopen(path, "re");
	if (!marker)
		return false;
	online = fscanf(marker, "%31s", devno) == 1;
	fclose(marker);
	snprintf(path, sizeof(path), "/sys/dev/block/%s", devno);
	return online && !access(path, F_OK);
}

/* Volumes missing now; with online, those marked online count as present. */
static size_t count_missing(const struct combined *combined, bool online)
{
	size_t i, missing = 0;

	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole && !volume_present(&combined->regions[i]) &&
		    !(online && marked_online(combined, i)))
			missing++;
	return missing;
}

size_t incremental_missing(const struct combined *combined)
{
	return count_missing(combined, false);
}

/*
 * For udev, besides which volume of which map: DMCOMBINE_COMPLETE=1 once
 * every volume of the map is present (the rules then start assembly), and
 * DMCOMBINE_SIGNATURE=1 when the combined device begins with this volume's
 * first sector (concat, first region, offset 0), so that a file system
 * signature blkid finds on it is the combined device's. For every volume
 * DMCOMBINE_LINKS, the event's links (the command line's, as udev gave
 * them) without those made from what the volume holds, which the guest
 * writes (identity_export_links): the rules replace the volume's links
 * with it. DMCOMBINE_UNIT
 * names the transient unit systemd-run starts the assembly in: a unit name
 * may not hold the '+' a device name may, so it becomes ':', which no
 * device name holds (name_is_valid), and distinct names stay distinct.
 * Not complete, but the volume is one its active device, started
 * degraded, maps as a hole: DMCOMBINE_BACK=1 (the rules then start
 * assembly too, which puts it back: readd.h). Otherwise, while the map is
 * not complete and dmcombine.conf sets degraded_after,
 * DMCOMBINE_DEGRADED_AFTER gives those seconds; with the setting,
 * DMCOMBINE_DEGRADED_UNIT names the unit whose timer starts it degraded
 * (settings.h), complete or not: once complete, the rules stop that timer.
 */
static void print_unit(const char *key, const char *prefix, const char *name)
{
	printf("%s=%s", key, prefix);
	for (; *name; name++)
		putchar(*name == '+' ? ':' : *name);
	putchar('\n');
}

/*
 * Whether the map's device is active, runs the map and maps volume index
 * as a hole: started degraded without it (readd.h). Lock-free reads of dm.
 */
static bool missing_from_active(const struct combined *combined, size_t index)
{
	uint64_t running;
	bool active, missing = false;
	dev_t *devnos;

	if (get_active(combined, &active) || !active ||
	    generation_running(combined, &running) || running != combined->generation)
		return false;
	devnos = calloc(combined->nr_regions + 1, sizeof(*devnos));
	if (devnos && !identity_live_devices(combined->name, combined, devnos))
		missing = !devnos[index];
	free(devnos);
	return missing;
}

static int print_member(const struct invocation *invocation, const struct combined *combined,
			size_t index, dev_t devno)
{
	const struct options *options = &invocation->options;
	const struct region *region = &combined->regions[index];
	struct settings settings;
	bool degraded;
	dev_t disk;

	if (!options->udev) {
		printf("%s %s\n", combined->name, region->id);
		return 0;
	}
	identity_export(stdout, combined, index);
	mark_online(combined, index, devno);
	degraded = !settings_load(options->config_dir, &settings) && settings.degraded_after;
	if (!count_missing(combined, true))
		printf("DMCOMBINE_COMPLETE=1\n");
	else if (missing_from_active(combined, index))
		printf("DMCOMBINE_BACK=1\n");
	else if (degraded)
		printf("DMCOMBINE_DEGRADED_AFTER=%u\n", settings.degraded_after);
	/* Also once complete: the rules stop the timer an earlier volume started. */
	if (degraded)
		print_unit("DMCOMBINE_DEGRADED_UNIT", "dmcombine-degraded-", combined->name);
	print_unit("DMCOMBINE_UNIT", "dmcombine-assemble-", combined->name);
	if (combined->layout == LAYOUT_CONCAT && region->start == 0 && region->offset == 0)
		printf("DMCOMBINE_SIGNATURE=1\n");
	identity_export_links(stdout, invocation->argv + 1, (size_t)invocation->argc - 1,
			      identity_partition_disk(devno, &disk));
	return 0;
}

/*
 * A partition of a volume, one the kernel found in the table the guest
 * wrote on a whole-disk volume: DMCOMBINE_VOLUME_PARTITION=1 and the
 * volume's DMCOMBINE_NAME and DMCOMBINE_VOLUME; the rules hide it as they
 * hide the volume, with no links at all.
 */
static int print_volume_partition(const struct invocation *invocation,
				  const struct combined *combined, size_t index, dev_t disk)
{
	(void)invocation;
	(void)disk;
	printf("DMCOMBINE_VOLUME_PARTITION=1\nDMCOMBINE_NAME=%s\nDMCOMBINE_VOLUME=%s\n",
	       combined->name, combined->regions[index].id);
	return 0;
}

int command_member(const struct invocation *invocation)
{
	size_t owners;
	dev_t devno, disk;
	int r;

	if (!invocation->options.udev)
		return for_each_owner(invocation, print_member);
	r = member_device(invocation, &devno);
	if (r <= 0)
		return r;
	if (identity_partition_disk(devno, &disk)) {
		r = for_each_map_of(invocation, disk, NULL, 0, print_volume_partition, &owners);
		if (r || owners)
			return r;
	}
	return for_each_map_of(invocation, devno, invocation->argv + 1,
			       (size_t)invocation->argc - 1, print_member, &owners);
}

static int assemble_if_complete(const struct invocation *invocation,
				const struct combined *combined, size_t index, dev_t devno)
{
	const struct options *options = &invocation->options;
	size_t missing;

	(void)devno;
	log_verbose("%s: volume %s is here", combined->name, combined->regions[index].id);
	missing = incremental_missing(combined);
	/* Missing from its active device (started degraded): assemble_one puts it back. */
	if (missing && !missing_from_active(combined, index)) {
		log_verbose("%s: waiting for %zu more volumes", combined->name, missing);
		return 0;
	}
	/*
	 * Active already (an earlier event won the race, or started degraded):
	 * assemble_one leaves it, but for its missing volumes present now.
	 */
	return assemble_one(options, combined->name);
}

int assemble_incremental(const struct invocation *invocation)
{
	return for_each_owner(invocation, assemble_if_complete);
}
