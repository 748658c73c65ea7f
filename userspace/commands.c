// SPDX-License-Identifier: GPL-2.0-only
/*
 * The commands, each as its sequence of steps. Each checks everything
 * before it changes anything, records every change on an undo list, and
 * takes them back when a later step fails, so that a failure leaves no
 * device, loop or map behind. The order of the steps is chosen so that a
 * kill between any two leaves a state the next command or the documented
 * recovery clears; each command says why next to its steps.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dm-combine.h"
#include "commands.h"
#include "confirm.h"
#include "counters.h"
#include "dm.h"
#include "exports.h"
#include "generation.h"
#include "identity.h"
#include "incremental.h"
#include "journal.h"
#include "libvirt.h"
#include "lio.h"
#include "log.h"
#include "member.h"
#include "move.h"
#include "output.h"
#include "readd.h"
#include "report.h"
#include "secret.h"
#include "stop.h"
#include "store.h"
#include "sysfs.h"
#include "table.h"
#include "undo.h"
#include "uuid.h"
#include "watch.h"

/* "DMCOMBINE-" and a UUID, well below device-mapper's 129 bytes. */
#define DM_UUID_MAX (sizeof(DM_COMBINE_UUID_PREFIX) + UUID_STRING_LEN)
/* Looks, 100 ms apart, at a stale device's open count before calling it in use. */
#define STALE_OPEN_TRIES 20

static void dm_uuid_of(const struct combined *combined, char dm_uuid[DM_UUID_MAX])
{
	snprintf(dm_uuid, DM_UUID_MAX, DM_COMBINE_UUID_PREFIX "%s", combined->uuid);
}

int get_active(const struct combined *combined, bool *active)
{
	char expected[DM_UUID_MAX], uuid[256];
	int r;

	r = device_info(combined->name, active, uuid, sizeof(uuid));
	if (r)
		return r;
	dm_uuid_of(combined, expected);
	if (*active && strcmp(uuid, expected))
		return log_error(-EEXIST, combined->name,
				 "a device-mapper device of this name exists but is not this combined device (DM UUID \"%s\")",
				 uuid);
	return 0;
}

/*
 * A kill in the middle of a change can leave, next to the live table, a
 * loaded one that was never resumed (holding the new volumes and their
 * loop devices), and a kill inside create or assemble a device with no
 * live table at all. Every command that changes a device calls this
 * first: the loaded table is cleared, and a device without a live table
 * is removed, so it counts as inactive and assemble makes it again.
 */
static int get_active_settled(const struct combined *combined, bool *active)
{
	bool live, loaded;
	int r = get_active(combined, active);

	if (r || !*active)
		return r;
	r = device_tables(combined->name, &live, &loaded);
	if (!r && loaded) {
		log_verbose("%s: clearing a table an interrupted change loaded", combined->name);
		r = device_clear(combined->name);
	}
	if (!r && !live) {
		log_verbose("%s: removing the device an interrupted create left without a table",
			    combined->name);
		r = device_remove(combined->name);
		*active = !!r;
	}
	return r;
}

static int require_active(const struct combined *combined)
{
	bool active;
	int r = get_active_settled(combined, &active);

	if (!r && !active)
		r = log_error(-ENXIO, combined->name, "not active (run dmcombine assemble %s)",
			      combined->name);
	return r;
}

/*
 * Sets each region's devno from the live table, which must be the map's; a
 * volume it maps as a hole is missing (assembled degraded).
 */
int load_live_devices(struct combined *combined)
{
	dev_t *devnos = calloc(combined->nr_regions + 1, sizeof(*devnos));
	size_t i;
	int r;

	r = devnos ? identity_live_devices(combined->name, combined, devnos) : -ENOMEM;
	for (i = 0; !r && i < combined->nr_regions; i++) {
		combined->regions[i].devno = devnos[i];
		combined->regions[i].missing = !combined->regions[i].hole && !devnos[i];
	}
	free(devnos);
	return r;
}

/* /dev paths of the regions' devices (NULL for holes or when inactive); free with free_devices. */
static char **device_paths(const struct combined *combined, bool active)
{
	char **devices = calloc(combined->nr_regions, sizeof(*devices));
	char path[256];
	size_t i;

	for (i = 0; devices && active && i < combined->nr_regions; i++)
		if (!combined->regions[i].hole &&
		    !sysfs_device_path(combined->regions[i].devno, path, sizeof(path)))
			devices[i] = strdup(path);
	if (!devices)
		log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	return devices;
}

static void free_devices(char **devices, size_t count)
{
	while (devices && count)
		free(devices[--count]);
	free(devices);
}

/* ---- volumes given on the command line ---- */

static void release_members(struct member *members, size_t count)
{
	while (members && count)
		member_release(&members[--count]);
	free(members);
}

/* Parses and resolves each VOLUME, giving IDs to those without one. */
static struct member *resolve_members(char **args, size_t count, int *r)
{
	struct member *members = members_new(count);
	struct volume_spec spec;
	size_t i;

	*r = members ? 0 : log_error(-ENOMEM, "volumes", "%s", strerror(ENOMEM));
	for (i = 0; !*r && i < count; i++) {
		*r = volume_spec_parse(args[i], &spec);
		if (!*r)
			*r = member_resolve(&spec, &members[i]);
		if (!*r && !members[i].spec.id[0])
			*r = volume_default_id(&spec, members[i].probe.label, members[i].spec.id);
	}
	if (*r) {
		release_members(members, count);
		return NULL;
	}
	return members;
}

/* Refusals across volumes: duplicates and IDs (member_check_unused compares devices). */
static int check_members(const struct combined *combined, const struct member *members,
			 size_t count)
{
	size_t i, j;

	for (i = 0; i < count; i++) {
		const struct member *member = &members[i];

		for (j = 0; j < i; j++) {
			if (member_same(member, &members[j]))
				return log_error(-EINVAL, member->spec.source, "listed twice");
			if (!strcmp(member->spec.id, members[j].spec.id))
				return log_error(-EEXIST, member->spec.source, "ID %s given twice",
						 member->spec.id);
		}
		if (!combined)
			continue;
		if (combined_find(combined, member->spec.id) >= 0)
			return log_error(-EEXIST, member->spec.source, "%s already has a volume %s",
					 combined->name, member->spec.id);
	}
	return 0;
}

/*
 * A volume some program has open (a running VM's disk: QEMU opens without
 * O_EXCL, which member.c's check catches) is asked about before it is
 * combined, as drop asks before it takes a volume away.
 */
static int confirm_members_unused(const struct options *options, const struct member *members,
				  size_t count)
{
	struct in_use *targets = calloc(count + 1, sizeof(*targets));
	size_t i;
	int r = 0;

	if (!targets)
		return log_error(-ENOMEM, "volumes", "%s", strerror(ENOMEM));
	for (i = 0; i < count; i++) {
		targets[i].devno = members[i].is_file ? 0 : members[i].devno;
		targets[i].file_dev = members[i].file_dev;
		targets[i].file_ino = members[i].file_ino;
	}
	in_use_scan(targets, count);
	for (i = 0; !r && i < count; i++)
		r = confirm(options, members[i].spec.source, targets[i].why,
			    "combine it anyway?");
	free(targets);
	return r;
}

/* The IDs of the members, for a change's report; NULL (logged) without memory. */
static const char **member_ids(const struct member *members, size_t count)
{
	const char **ids = calloc(count + 1, sizeof(*ids));
	size_t i;

	if (!ids)
		log_error(-ENOMEM, "volumes", "%s", strerror(ENOMEM));
	for (i = 0; ids && i < count; i++)
		ids[i] = members[i].spec.id;
	return ids;
}

/* Every volume must be whole logical blocks of the device. */
static int check_block_size(const struct member *members, size_t count, unsigned int block_size)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (!logical_block_size_valid(members[i].block_size))
			return log_error(-EINVAL, members[i].spec.source,
					 "logical block size %u is not supported", members[i].block_size);
		if (members[i].size % block_size)
			return log_error(-EINVAL, members[i].spec.source,
					 "size %llu bytes is not a multiple of the logical block size (%u bytes)",
					 (unsigned long long)members[i].size, block_size);
	}
	return 0;
}

/*
 * What a GPT can hold: the IDs as partition names, 128 partitions, blocks
 * of at most 4 KiB. volumes is how many the device has already.
 */
static int check_partitions(enum layout layout, const char *name, size_t volumes,
			    const struct member *members, size_t count)
{
	size_t i;

	if (layout != LAYOUT_GPT)
		return 0;
	for (i = 0; i < count; i++) {
		if (strlen(members[i].spec.id) > DMC_GPT_NAME_UNITS)
			return log_error(-ENAMETOOLONG, members[i].spec.source,
					 "ID %s is longer than %u characters, the most a GPT partition name holds",
					 members[i].spec.id, DMC_GPT_NAME_UNITS);
		if (members[i].block_size > DMC_GPT_MAX_BLOCK_SIZE)
			return log_error(-EINVAL, members[i].spec.source,
					 "logical block size %u is larger than the gpt layout allows (%u)",
					 members[i].block_size, DMC_GPT_MAX_BLOCK_SIZE);
	}
	if (volumes + count > DMC_GPT_ENTRIES)
		return log_error(-ENOSPC, name, "the gpt layout holds at most %u volumes (%zu asked for)",
				 DMC_GPT_ENTRIES, volumes + count);
	return 0;
}

/* A new partition's GUID and its type from what the volume holds. */
static int set_partition(const struct combined *combined, const struct member *member,
			 struct region *volume)
{
	int r;

	if (combined->layout != LAYOUT_GPT)
		return 0;
	snprintf(volume->parttype, sizeof(volume->parttype), "%s", gpt_type_for(member->probe.type));
	r = uuid_generate(volume->partuuid);
	if (r)
		log_error(r, member->spec.source, "no random partition GUID: %s", strerror(-r));
	return r;
}

/* The target must know the features: gpt came with target version 1.1, latency with 1.3. */
static int check_target(enum layout layout, bool latency)
{
	if (latency)
		return device_check_target(DM_COMBINE_LATENCY_SINCE_MINOR, "latency feature");
	if (layout == LAYOUT_GPT)
		return device_check_target(DM_COMBINE_GPT_SINCE_MINOR, "gpt layout");
	return device_check_target(0, NULL);
}

#define HEADROOM_NEEDS_GPT "--headroom needs the gpt layout (under concat only the last volume grows)"

/* --headroom for a volume of size sectors: whole logical blocks, rounded up. */
static uint64_t headroom_of(const struct options *options, const struct combined *combined,
			    uint64_t size)
{
	uint64_t block = combined->logical_block_size / SECTOR_SIZE, sectors;

	sectors = options->headroom_percent ? size / 100 * options->headroom_percent +
		(size % 100 * options->headroom_percent + 99) / 100 :
		(options->headroom_bytes + SECTOR_SIZE - 1) / SECTOR_SIZE;
	return (sectors + block - 1) / block * block;
}

/* Attaches loops and appends the volumes to the map, in order. */
static int place_members(const struct options *options, struct combined *combined,
			 struct member *members, size_t count)
{
	size_t i;
	int r = 0;

	for (i = 0; !r && i < count; i++) {
		struct region volume = {
			.size = members[i].size / SECTOR_SIZE,
			.source = (char *)members[i].spec.source,
			.identity = members[i].identity,
			.loop = members[i].is_file,
		};

		snprintf(volume.id, sizeof(volume.id), "%s", members[i].spec.id);
		volume.headroom = headroom_of(options, combined, volume.size);
		r = set_partition(combined, &members[i], &volume);
		if (!r)
			r = member_attach(&members[i]);
		volume.devno = members[i].devno;
		if (!r)
			r = combined_add_volume(combined, &volume);
		if (r == -E2BIG)
			log_error(r, combined->name, "too many regions or too large");
		else if (r == -ENOMEM)
			log_error(r, combined->name, "%s", strerror(ENOMEM));
	}
	return r;
}

/* ---- create, add, drop ---- */

static int create_device(const struct combined *combined)
{
	char dm_uuid[DM_UUID_MAX], *params = table_params(combined);
	int r;

	if (!params)
		return -EINVAL;
	dm_uuid_of(combined, dm_uuid);
	r = device_create(combined->name, dm_uuid, combined_size(combined), params);
	free(params);
	return r;
}

static int undo_save(void *config_dir, const char *name)
{
	return store_delete(config_dir, name);
}

int command_create(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	const char *name = invocation->argv[0];
	size_t i, count = (size_t)invocation->argc - 1;
	char uuid[UUID_STRING_LEN + 1], dm_uuid[256];
	enum layout layout = LAYOUT_GPT;
	unsigned int block_size = 0;
	struct combined *combined = NULL;
	struct member *members = NULL;
	struct undo undo = UNDO_INIT;
	const char **ids = NULL;
	struct change change;
	bool exists;
	int r;

	if (!name_is_valid(name))
		return log_error(-EINVAL, name, "invalid name (allowed: [A-Za-z0-9][A-Za-z0-9._+-]{0,63})");
	if (options->layout && layout_parse(options->layout, &layout))
		return log_error(-EINVAL, options->layout, "unknown layout");
	if (layout != LAYOUT_GPT && (options->given & OPT_HEADROOM))
		return log_error(-EINVAL, name, HEADROOM_NEEDS_GPT);
	if (store_exists(options->config_dir, name))
		return log_error(-EEXIST, name, "already exists (see dmcombine list)");
	r = device_info(name, &exists, dm_uuid, sizeof(dm_uuid));
	if (!r && exists)
		r = log_error(-EEXIST, name, "a device-mapper device of this name exists");
	if (!r)
		r = check_target(layout, options->latency);
	if (!r)
		members = resolve_members(invocation->argv + 1, count, &r);
	if (!r)
		r = check_members(NULL, members, count);
	if (!r)
		r = member_check_unused(options->config_dir, NULL, members, count);
	for (i = 0; !r && i < count; i++)
		if (members[i].block_size > block_size)
			block_size = members[i].block_size;
	if (!r)
		r = check_block_size(members, count, block_size);
	if (!r)
		r = check_partitions(layout, name, 0, members, count);
	if (!r)
		r = confirm_members_unused(options, members, count);
	if (!r) {
		log_verbose("%s: logical block size %u bytes, the largest of the volumes'", name, block_size);
		r = uuid_generate(uuid);
		if (r)
			log_error(r, name, "no random UUID: %s", strerror(-r));
	}
	if (!r) {
		combined = combined_new(name, uuid, layout, block_size);
		r = combined ? place_members(options, combined, members, count) :
			       log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
		if (combined)
			combined->latency = options->latency;
	}
	if (!r)
		ids = member_ids(members, count);
	change = (struct change){ .command = "create", .done = "created", .name = name,
				  .combined = combined, .loads_table = true, .volumes = ids,
				  .nr_volumes = count, .device_left = true, .map_saved = true };
	if (!r && !ids)
		r = -ENOMEM;
	/* The loops attached for the table line go when their descriptors close. */
	if (!r && options->dry_run) {
		r = report_change(options, &change);
		goto out;
	}
	/*
	 * The map first, then the device. A kill before the save leaves
	 * nothing (the loop devices clear themselves when this process's
	 * descriptors close); a kill after it leaves a registered, inactive
	 * device, as after a reboot: assemble makes it, remove --forget
	 * forgets it. A kill inside the create (device made, table not yet
	 * live) leaves a device that assemble and remove recognise by its
	 * DM UUID and replace or remove (get_active_settled).
	 */
	if (!r) {
		stop_point("loops-attached");
		r = store_save(options->config_dir, combined);
	}
	if (!r)
		r = undo_push(&undo, undo_save, (void *)options->config_dir, name);
	if (!r) {
		stop_point("registry-saved");
		r = create_device(combined);
	}
	if (r)
		undo_run(&undo);
	else
		undo_forget(&undo);
	if (!r) {
		generation_record(combined);
		log_info("%s: created /dev/mapper/%s, %zu volume%s", name, name, count,
			 count == 1 ? "" : "s");
		member_warn_weak(members, count);
		member_warn_boot_names(name, members, count, layout == LAYOUT_CONCAT);
		generation_warn_images(combined);
		r = report_change(options, &change);
	}
out:
	free(ids);
	release_members(members, count);
	combined_free(combined);
	return r;
}

/* The table a change replaced, to load again when the change is taken back. */
struct old_table {
	const char *params;
	uint64_t size;
};

static int undo_reload(void *context, const char *name)
{
	const struct old_table *old = context;
	int r = device_reload(name, old->size, old->params);

	if (r)
		log_error(r, name, "the old table could not be restored either: check dmcombine status");
	return r;
}

/* Takes back a pending map: discarded while the old table is live (journal.h). */
static int undo_pending(void *config_dir, const char *name)
{
	return journal_settle_one(config_dir, name);
}

/*
 * Saves the changed map as the pending map, reloads the device with it,
 * and commits the pending map over the map once the new table is live;
 * if a step fails before the commit, the old table goes back and the
 * pending map is discarded, so kernel and registry still agree. A kill
 * before the resume leaves the old table live (a loaded table is cleared
 * by the next command); a kill after it leaves the new table live beside
 * the pending map: either way the next invocation settles the pending map
 * (journal_settle) and finishes or discards the change.
 */
int apply_change(const struct options *options, struct combined *combined,
		 const char *old_params, uint64_t old_size)
{
	struct old_table old = { old_params, old_size };
	char *params = table_params(combined);
	struct undo undo = UNDO_INIT;
	int r;

	if (!params)
		return -EINVAL;
	r = store_save_pending(options->config_dir, combined);
	if (!r)
		r = undo_push(&undo, undo_pending, (void *)options->config_dir, combined->name);
	if (!r) {
		stop_point("pending-saved");
		r = device_reload(combined->name, combined_size(combined), params);
	}
	free(params);
	if (!r)
		r = undo_push(&undo, undo_reload, &old, combined->name);
	if (!r) {
		/* Host-side readers (blkid, partx, a loop device) then see the new GPT. */
		if (combined->layout == LAYOUT_GPT)
			device_drop_cache(combined->name);
		/*
		 * The device now runs the pending map's generation: recorded
		 * before the commit, so that a kill between the two leaves the
		 * record right for the change the next invocation finishes
		 * (journal_settle_one records again whichever map stands).
		 */
		generation_record(combined);
		stop_point("table-resumed");
		r = store_commit_pending(options->config_dir, combined->name);
		if (r == -ENOENT)
			log_error(r, combined->name, "the pending map vanished before its commit");
	}
	if (r)
		undo_run(&undo);
	else
		undo_forget(&undo);
	if (!r)
		generation_warn_images(combined);
	return r;
}

/*
 * The rule for a map on two hosts (import.h): a layout changed on one
 * host would not reach the other, whose device would then show the guest
 * another disk. So a shared map's layout stays as it is until unshare,
 * or --force says the other host's copy no longer counts.
 */
static int refuse_shared(const struct options *options, const struct combined *combined)
{
	if (!combined->shared)
		return 0;
	if (options->force) {
		log_info("%s: warning: shared with another host: its copy of the map keeps the old layout",
			 combined->name);
		return 0;
	}
	return log_error(-EBUSY, combined->name,
			 "shared with another host (import or share): a layout change here would not reach it (dmcombine unshare %s once only this host holds it, or --force)",
			 combined->name);
}

int load_for_change(const struct invocation *invocation, struct combined **combined,
		    char **old_params)
{
	int r = move_settle_or_refuse(invocation->options.config_dir, invocation->argv[0]);

	if (!r)
		r = store_load(invocation->options.config_dir, invocation->argv[0], combined);
	if (r)
		return r;
	r = refuse_shared(&invocation->options, *combined);
	if (!r)
		r = require_active(*combined);
	if (!r)
		r = load_live_devices(*combined);
	if (!r) {
		*old_params = table_params(*combined);
		r = *old_params ? 0 : -EINVAL;
	}
	if (r)
		combined_free(*combined);
	return r;
}

int command_add(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	size_t count = (size_t)invocation->argc - 1;
	struct member *members = NULL;
	struct combined *combined;
	const char **ids = NULL;
	struct change change;
	char *old_params;
	uint64_t old_size;
	size_t i;
	int r;

	r = load_for_change(invocation, &combined, &old_params);
	if (r)
		return r;
	old_size = combined_size(combined);
	if (combined->layout != LAYOUT_GPT && (options->given & OPT_HEADROOM))
		r = log_error(-EINVAL, combined->name, HEADROOM_NEEDS_GPT);
	if (!r)
		members = resolve_members(invocation->argv + 1, count, &r);
	if (!r)
		r = check_members(combined, members, count);
	if (!r)
		r = member_check_unused(options->config_dir, NULL, members, count);
	/* A live device cannot change its logical block size under its users. */
	for (i = 0; !r && i < count; i++)
		if (members[i].block_size > combined->logical_block_size)
			r = log_error(-EINVAL, members[i].spec.source,
				      "logical block size %u is larger than %s's (%u)",
				      members[i].block_size, combined->name,
				      combined->logical_block_size);
	if (!r)
		r = check_block_size(members, count, combined->logical_block_size);
	if (!r)
		r = check_partitions(combined->layout, combined->name,
				     combined_volume_count(combined), members, count);
	if (!r && (options->given & OPT_LATENCY)) {
		combined->latency = options->latency;
		r = check_target(combined->layout, combined->latency);
	}
	if (!r)
		r = confirm_members_unused(options, members, count);
	if (!r)
		r = place_members(options, combined, members, count);
	if (!r) {
		ids = member_ids(members, count);
		r = ids ? 0 : -ENOMEM;
	}
	change = (struct change){ .command = "add", .done = "added", .name = combined->name,
				  .combined = combined, .loads_table = true, .volumes = ids,
				  .nr_volumes = count, .device_left = true, .map_saved = true };
	if (!r && options->dry_run) {
		r = report_change(options, &change);
	} else if (!r) {
		stop_point("loops-attached");
		r = apply_change(options, combined, old_params, old_size);
		if (!r) {
			log_info("%s: added %zu volume%s", combined->name, count, count == 1 ? "" : "s");
			member_warn_weak(members, count);
			member_warn_boot_names(combined->name, members, count, false);
			r = report_change(options, &change);
		}
	}
	free(ids);
	release_members(members, count);
	free(old_params);
	combined_free(combined);
	return r;
}

/*
 * Dropping the last present volume of a degraded device (the others
 * missing) leaves it nothing to serve: as mdadm keeps the last working
 * member of a degraded array, drop refuses that without --force.
 */
static int refuse_last_present(const struct options *options, const struct combined *combined,
			       const char *id)
{
	size_t i, present = 0;

	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole && !combined->regions[i].missing)
			present++;
	/* combined_drop keeps one volume: with none present, the rest are missing. */
	if (present || options->force)
		return 0;
	return log_error(-EBUSY, id, "the last present volume of degraded %s: nothing would be left to serve (dmcombine replace %s ID SOURCE brings a missing one back, or drop --force)",
			 combined->name, combined->name);
}

int command_drop(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	struct combined *combined;
	struct change change;
	char *old_params;
	uint64_t size;
	int i, r;

	r = load_for_change(invocation, &combined, &old_params);
	if (r)
		return r;
	/* Holes keep the size: the old table has the same length. */
	size = combined_size(combined);
	for (i = 1; !r && i < invocation->argc; i++) {
		const char *id = invocation->argv[i];

		r = combined_drop(combined, id);
		if (r == -ENOENT)
			log_error(r, id, "%s has no such volume", combined->name);
		else if (r == -EPERM)
			log_error(r, id, "the last volume of %s cannot be dropped; use dmcombine remove %s",
				  combined->name, combined->name);
		if (!r)
			r = refuse_last_present(options, combined, id);
	}
	/* The guest may use any region of a device in use: ask before taking one. */
	if (!r)
		r = confirm_in_use(options, combined->name, "drop the volumes anyway?");
	change = (struct change){ .command = "drop", .done = "dropped", .name = combined->name,
				  .combined = combined, .loads_table = true,
				  .volumes = (const char *const *)invocation->argv + 1,
				  .nr_volumes = (size_t)invocation->argc - 1, .device_left = true,
				  .map_saved = true };
	if (!r && options->dry_run)
		r = report_change(options, &change);
	else if (!r)
		r = apply_change(options, combined, old_params, size);
	if (!r && !options->dry_run) {
		log_info("%s: dropped %d volume%s", combined->name, invocation->argc - 1,
			 invocation->argc == 2 ? "" : "s");
		r = report_change(options, &change);
	}
	free(old_params);
	combined_free(combined);
	return r;
}

/* ---- remove, assemble ---- */

/* An exported device is in a VM's hands: remove takes it only with --force. */
static int refuse_exported(const struct combined *combined)
{
	struct lio_export *exports;
	size_t count;
	int r = lio_exports(combined, &exports, &count);

	if (!r && count)
		r = log_error(-EBUSY, combined->name, "exported over %s (dmcombine unexport %s, or remove --force)",
			      lio_fabric_name(exports[0].fabric), combined->name);
	free(exports);
	return r;
}

int command_remove(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	bool active = false, existed = false;
	struct combined *combined;
	struct change change;
	int r;

	/* A move's mirror sits under the device: its mover ends it first. */
	r = move_settle_or_refuse(options->config_dir, invocation->argv[0]);
	if (!r)
		r = store_load(options->config_dir, invocation->argv[0], &combined);
	if (r)
		return r;
	/*
	 * Exports, device, map: each step's leftovers are the next run's first
	 * step. A device a killed create left without a table is removed by
	 * settling it.
	 */
	r = get_active(combined, &existed);
	if (!r)
		r = get_active_settled(combined, &active);
	if (!r && active && !options->force)
		r = refuse_exported(combined);
	if (!r && active)
		r = confirm_in_use(options, combined->name, options->force ?
				   "unexport and remove it anyway?" : "remove it anyway?");
	change = (struct change){ .command = "remove",
				  .done = options->forget ? "removed and forgotten" : "removed",
				  .name = combined->name, .combined = combined,
				  .device_removed = active, .map_deleted = options->forget };
	if (!r && !active && !existed && !options->forget)
		r = log_error(-ENXIO, combined->name, "not active (--forget deletes its map)");
	if (!r && options->dry_run) {
		r = report_change(options, &change);
		combined_free(combined);
		return r;
	}
	if (!r && active && options->force)
		r = lio_unexport(combined);
	if (!r && active) {
		stop_point("exports-removed");
		r = device_remove(combined->name);
	}
	if (!r && active)
		generation_forget(combined->name);
	if (!r && options->forget)
		r = store_delete(options->config_dir, combined->name);
	if (!r && options->forget) {
		combined->uuid[0] = '\0';	/* no image may keep it */
		generation_warn_images(combined);
	}
	if (!r) {
		log_info("%s: %s", combined->name, change.done);
		r = report_change(options, &change);
	}
	combined_free(combined);
	return r;
}

/* Whether a volume of the map is missing (see load_live_devices). */
static bool degraded(const struct combined *combined)
{
	size_t i;

	for (i = 0; i < combined->nr_regions; i++)
		if (combined->regions[i].missing)
			return true;
	return false;
}

/*
 * Finds each volume by its identity and checks it is the one the map
 * saved. degraded: a volume nothing answers to is marked missing (a hole
 * in the table) rather than refused, as long as one volume is found.
 */
static int check_saved_volumes(const char *config_dir, struct combined *combined,
			       struct member *members, bool degraded)
{
	size_t i, m = 0, missing = 0;
	uint64_t saved;
	int r = 0;

	for (i = 0; !r && i < combined->nr_regions; i++) {
		struct region *region = &combined->regions[i];
		struct member *member = &members[m];

		if (region->hole)
			continue;
		if (degraded && !volume_present(region)) {
			log_info("%s: volume %s (%s) is missing: its region is a hole, its I/O fails (dmcombine replace %s %s SOURCE puts a volume there)",
				 combined->name, region->id, region->identity, combined->name,
				 region->id);
			region->missing = true;
			missing++;
			continue;
		}
		r = member_find_saved(region, member);
		if (!r && member->block_size > combined->logical_block_size)
			r = log_error(-EINVAL, region->identity, "volume %s has a larger logical block size (%u) than saved (%u)",
				      region->id, member->block_size, combined->logical_block_size);
		saved = region->size * SECTOR_SIZE;
		if (!r && member->size / combined->logical_block_size * combined->logical_block_size > saved)
			log_info("%s: volume %s grew from %" PRIu64 " to %" PRIu64 " bytes: it keeps its old size (dmcombine resize %s %s gives it the new space)",
				 combined->name, region->id, saved, member->size, combined->name,
				 region->id);
		m++;
	}
	if (!r && missing == combined_volume_count(combined))
		r = log_error(-ENOENT, combined->name, "none of its volumes is present");
	if (!r)
		r = member_check_unused(config_dir, combined->name, members, m);
	return r;
}

/* check_saved_volumes, then the devices to map: image files get their loops. */
static int find_saved_volumes(const char *config_dir, struct combined *combined,
			      struct member *members, bool degraded)
{
	size_t i, m = 0;
	int r = check_saved_volumes(config_dir, combined, members, degraded);

	for (i = 0; !r && i < combined->nr_regions; i++) {
		if (combined->regions[i].hole || combined->regions[i].missing)
			continue;
		r = member_attach(&members[m]);
		combined->regions[i].devno = members[m++].devno;
	}
	return r;
}

/*
 * A device assembled from an older copy of its map (an initramfs built
 * before an add or a drop) runs a layout the map no longer holds. The rule:
 * when every volume of the current map is present, dm is asked to remove
 * the stale device, which it does only if nothing has it open (not
 * mounted, not exported, no VM, no holder: nobody sees the layout change),
 * and the device is assembled again from the map. Otherwise it stays as
 * it is and is reported on stderr and to syslog, and dmcombine status
 * says so until it is resolved (a reboot with a regenerated initramfs).
 */
/*
 * Whether name is held open for longer than a probe: udev's workers open a
 * device for a moment when its event (or a volume's) runs, and boot's
 * coldplug runs those beside this one. A mount, holder or VM stays.
 */
static bool stays_open(const char *name)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	int tries, openers = 0;

	for (tries = 0; tries < STALE_OPEN_TRIES; tries++) {
		if (device_open_count(name, &openers))
			return true;
		if (!openers)
			return false;
		nanosleep(&tick, NULL);
	}
	return true;
}

/*
 * dry_run (assemble --dry-run): judged alike, nothing removed and nothing
 * sent to syslog; *active false then says assemble would make it again.
 */
static int refresh_stale(const struct combined *combined, bool dry_run, bool *active)
{
	uint64_t running;
	const char *why;
	int r;

	if (generation_running(combined, &running) || running == combined->generation)
		return 0;
	if (running > combined->generation)
		why = "the saved map is older than the running device (restored from a backup?)";
	else if (incremental_missing(combined))
		why = "volumes of the current map are missing";
	/* Open (mounted, held) needs no removal attempt; dm refuses it then anyway. */
	else if (stays_open(combined->name) || refuse_exported(combined) ||
		 (!dry_run && device_remove(combined->name)))
		why = "the device is in use";
	else
		why = NULL;
	if (why) {
		r = log_error(-ESTALE, combined->name, "STALE: runs generation %" PRIu64
			      " of its map, the saved map is generation %" PRIu64
			      " and is not applied: %s (see dmcombine(8), GENERATIONS)",
			      running, combined->generation, why);
		if (!dry_run)
			generation_syslog_stale(combined, running, why);
		return r;
	}
	if (dry_run) {
		log_info("%s: runs generation %" PRIu64 " of its map: assemble removes it and makes it again from generation %" PRIu64,
			 combined->name, running, combined->generation);
	} else {
		generation_forget(combined->name);
		log_info("%s: was running generation %" PRIu64 " of its map: assembled again from generation %" PRIu64,
			 combined->name, running, combined->generation);
	}
	*active = false;
	return 0;
}

int saved_volumes_present(const char *config_dir, struct combined *combined)
{
	size_t count = combined_volume_count(combined);
	struct member *members = members_new(count);
	int r;

	r = members ? check_saved_volumes(config_dir, combined, members, false) :
		      log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	release_members(members, count);
	return r;
}

/*
 * assemble --latency or --no-latency on the active device: its table is
 * loaded again with the feature turned on or off, as a change (add, drop)
 * loads it, so its counters restart; the map keeps the setting.
 */
static int change_latency(const struct options *options, struct combined *combined)
{
	char *old_params = NULL;
	int r;

	r = load_live_devices(combined);
	if (!r) {
		old_params = table_params(combined);
		r = old_params ? 0 : -EINVAL;
	}
	if (!r) {
		combined->latency = options->latency;
		r = apply_change(options, combined, old_params, combined_size(combined));
	}
	if (!r)
		log_info("%s: latency histograms %s", combined->name, combined->latency ? "on" : "off");
	free(old_params);
	return r;
}

/*
 * assemble --dry-run of an active device that runs its saved map: the
 * table line --[no-]latency would load in *table.
 */
static int plan_active(const struct options *options, struct combined *combined, char **table)
{
	int r = 0;

	if ((options->given & OPT_LATENCY) && options->latency != combined->latency) {
		r = load_live_devices(combined);
		combined->latency = options->latency;
		if (!r)
			r = report_table_line(combined, table);
	}
	return r;
}

/*
 * find_saved_volumes for assemble --dry-run of a stale device assemble
 * would make again: the volumes the stale device holds (open exclusively,
 * image files on its loops) are taken as it holds them, since the real
 * assemble removes it first (an image file may then get another loop);
 * the others are found and checked as for any assembly.
 */
static int find_volumes_beside_stale(const char *config_dir, struct combined *combined,
				     struct member *members)
{
	bool *held = calloc(combined->nr_regions + 1, sizeof(*held));
	dev_t stale, devno;
	size_t i;
	int r;

	r = held ? device_devno(combined->name, &stale) :
		   log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	/* Held ones are passed over as holes are, then get their device. */
	for (i = 0; !r && i < combined->nr_regions; i++) {
		struct region *region = &combined->regions[i];

		if (!region->hole && generation_stale_holds(stale, region, &devno)) {
			held[i] = region->hole = true;
			region->devno = devno;
		}
	}
	if (!r)
		r = find_saved_volumes(config_dir, combined, members, false);
	for (i = 0; held && i < combined->nr_regions; i++)
		if (held[i])
			combined->regions[i].hole = false;
	free(held);
	return r;
}

/*
 * assemble one device; dry_run: nothing is changed (no move settled, no
 * stale device removed), *table gets the table line that would be loaded
 * (NULL: none, the device is active and stays as it is).
 */
static int assemble_or_plan(const struct options *options, const char *name, char **table)
{
	struct member *members = NULL;
	struct combined *combined;
	size_t count = 0;
	bool active, moving, stale = false;
	int r;

	/* A move whose mover is gone ends first (move.h); one at work goes on. */
	r = options->dry_run ? 0 : move_settle(options->config_dir, name);
	moving = r == -EBUSY;
	if (!r || moving)
		r = store_load(options->config_dir, name, &combined);
	if (r)
		return r;
	/* Before anything is made: the setting must be possible. */
	r = (options->given & OPT_LATENCY) ? check_target(combined->layout, options->latency) : 0;
	if (!r)
		r = options->dry_run ? get_active(combined, &active) :
				       get_active_settled(combined, &active);
	if (!r && active)
		log_verbose("%s: already active", name);
	if (!r && active) {
		r = refresh_stale(combined, options->dry_run, &active);
		/* --dry-run: the stale device assemble would replace is still there. */
		stale = !r && !active && options->dry_run;
	}
	/* Degraded: volumes back since go in again (not under a move's layer). */
	if (!r && active && !options->dry_run && !moving) {
		r = readd_present(options, combined);
		/* udev's run: the refusal is logged, the device serves as it did. */
		if (options->incremental)
			r = 0;
	}
	if (!r && !active)
		r = check_target(combined->layout, combined->latency);
	if (!r && !active) {
		count = combined_volume_count(combined);
		members = members_new(count);
		if (!members)
			r = log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
		else if (stale)
			r = find_volumes_beside_stale(options->config_dir, combined, members);
		else
			r = find_saved_volumes(options->config_dir, combined, members,
					       options->degraded);
		/* The table it ends with: --[no-]latency's reload included. */
		if (!r && options->dry_run && (options->given & OPT_LATENCY))
			combined->latency = options->latency;
		/* The loops attached for the table line go when their descriptors close. */
		if (!r && options->dry_run)
			r = report_table_line(combined, table);
		if (!r && !options->dry_run)
			r = create_device(combined);
		if (!r && !options->dry_run)
			generation_record(combined);
		if (!r && !options->dry_run)
			log_info("%s: assembled /dev/mapper/%s%s", name, name,
				 degraded(combined) ? ", degraded" : "");
	}
	if (!r && active && options->dry_run)
		r = plan_active(options, combined, table);
	else if (!r && (options->given & OPT_LATENCY) && options->latency != combined->latency)
		r = change_latency(options, combined);
	release_members(members, count);
	combined_free(combined);
	return r;
}

int assemble_one(const struct options *options, const char *name)
{
	return assemble_or_plan(options, name, NULL);
}

/*
 * assemble --json's account of one device: {name, device, done, table}
 * (done null: failed, or --dry-run; table: the line --dry-run would load).
 */
/* A command's answer for several devices: {"command", "dry_run", "devices"}. */
static void output_devices_json(const char *command, bool dry_run, json_object *devices)
{
	json_object *document = json_object_new_object();

	json_object_object_add(document, "command", json_object_new_string(command));
	json_object_object_add(document, "dry_run", json_object_new_boolean(dry_run));
	json_object_object_add(document, "devices", devices);
	output_json(stdout, document);
}

static json_object *assembled_json(const struct options *options, const char *name, int r,
				   bool was_active, const char *table)
{
	json_object *obj = json_object_new_object();
	char device[PATH_MAX];

	snprintf(device, sizeof(device), "/dev/mapper/%s", name);
	json_object_object_add(obj, "name", json_object_new_string(name));
	json_object_object_add(obj, "device", r ? NULL : json_object_new_string(device));
	json_object_object_add(obj, "done", r || options->dry_run ? NULL : json_object_new_string(
		was_active ? "already active" : "assembled"));
	if (options->dry_run)
		json_object_object_add(obj, "table", table ? json_object_new_string(table) : NULL);
	return obj;
}

/* assemble --dry-run's text for one device. */
static void print_assemble_plan(const char *name, int r, const char *table)
{
	if (r)
		return;
	printf("dry run: assemble %s, nothing changed\n", name);
	if (table)
		printf("table: %s\n", table);
	else
		printf("device: /dev/mapper/%s is active and stays as it is\n", name);
}

int command_assemble(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	char **names = invocation->argv;
	size_t i, count = (size_t)invocation->argc;
	json_object *devices;
	int r = 0, one;

	if (options->incremental)
		return assemble_incremental(invocation);
	if (options->all) {
		r = store_list(options->config_dir, &names, &count);
		if (r)
			return r;
	}
	devices = json_object_new_array();
	/* Each device on its own: one that fails does not stop the others. */
	for (i = 0; i < count; i++) {
		bool was_active = false;
		char uuid[256], *table = NULL;

		device_info(names[i], &was_active, uuid, sizeof(uuid));
		one = assemble_or_plan(options, names[i], &table);
		if (!r)
			r = one;
		json_object_array_add(devices, assembled_json(options, names[i], one, was_active,
							      table));
		if (options->dry_run && !options->json)
			print_assemble_plan(names[i], one, table);
		free(table);
	}
	if (options->json) {
		output_devices_json("assemble", options->dry_run, devices);
	} else {
		json_object_put(devices);
	}
	if (options->all)
		store_list_free(names, count);
	return r;
}

/* ---- list, map, status ---- */

int command_list(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	struct combined **maps = NULL;
	size_t i, count, loaded = 0;
	bool *active = NULL;
	json_object *array, *document;
	char **names;
	int r, one;

	r = store_list(options->config_dir, &names, &count);
	if (r)
		return r;
	maps = calloc(count + 1, sizeof(*maps));
	active = calloc(count + 1, sizeof(*active));
	if (!maps || !active)
		r = log_error(-ENOMEM, "list", "%s", strerror(ENOMEM));
	/* A map that cannot be read is reported; the others are still listed. */
	for (i = 0; maps && active && i < count; i++) {
		one = store_load(options->config_dir, names[i], &maps[loaded]);
		if (!one) {
			one = get_active(maps[loaded], &active[loaded]);
			loaded++;
		}
		if (!r)
			r = one;
	}
	if (options->json) {
		array = json_object_new_array();
		for (i = 0; i < loaded; i++)
			json_object_array_add(array, output_list_entry_json(maps[i], active[i]));
		document = json_object_new_object();
		json_object_object_add(document, "devices", array);
		output_json(stdout, document);
	} else if (loaded) {
		output_list_text(stdout, maps, active, loaded);
	}
	for (i = 0; i < loaded; i++)
		combined_free(maps[i]);
	free(maps);
	free(active);
	store_list_free(names, count);
	return r;
}

/* A device running another generation than its saved map: see refresh_stale. */
static int report_stale(const struct combined *combined)
{
	uint64_t running;

	if (generation_running(combined, &running) || running == combined->generation)
		return 0;
	return log_error(-ESTALE, combined->name, "STALE: runs generation %" PRIu64
			 " of its map, the saved map is generation %" PRIu64
			 " (dmcombine assemble %s applies it when nothing uses the device)",
			 running, combined->generation, combined->name);
}

/* The exit status of status: see enum status_exit. */
static int health(const struct combined *combined, char *const *devices,
		  const struct region_counters *values)
{
	const char *state;
	int r = STATUS_HEALTHY;
	size_t i;

	for (i = 0; i < combined->nr_regions; i++) {
		if (combined->regions[i].hole)
			continue;
		state = output_volume_state(&values[i], !devices[i]);
		if (!strcmp(state, "failing"))
			r |= STATUS_FAILING;
		else if (!strcmp(state, "missing"))
			r |= STATUS_MISSING;
	}
	return r;
}

/*
 * Shows map (counters == false) or status of the device named on the
 * command line; status returns its health (enum status_exit).
 */
static int show(const struct invocation *invocation, bool counters)
{
	struct region_counters *values = NULL;
	struct region_latency *latency = NULL;
	struct lio_export *exports = NULL;
	struct combined *combined;
	char **devices = NULL;
	size_t nr_exports = 0;
	json_object *json, *saved = NULL;
	bool active;
	int r;

	r = store_load(invocation->options.config_dir, invocation->argv[0], &combined);
	if (r)
		return r;
	r = get_active(combined, &active);
	if (!r && active)
		r = report_stale(combined);
	if (!r && active)
		r = load_live_devices(combined);
	if (!r && active && counters) {
		values = calloc(combined->nr_regions, sizeof(*values));
		if (combined->latency)
			latency = calloc(combined->nr_regions, sizeof(*latency));
		if (!values || (combined->latency && !latency))
			r = log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
		else
			r = device_region_counters(combined->name, combined->nr_regions, values,
						   latency);
	}
	if (!r) {
		devices = device_paths(combined, active);
		r = devices ? 0 : -ENOMEM;
	}
	if (!r)
		r = lio_exports(combined, &exports, &nr_exports);
	/* A saved file that cannot be read is reported, and shown as null. */
	if (!r && exports_load_saved(invocation->options.config_dir, combined->name, &saved))
		saved = NULL;
	if (!r && invocation->options.json) {
		json = counters ? output_status_json(combined, devices, values, active) :
				  output_map_json(combined, devices);
		if (counters)
			output_status_latency_json(json, combined, latency);
		json_object_object_add(json, "exports", output_exports_json(exports, nr_exports));
		json_object_object_add(json, "saved_exports", json_object_get(saved));
		if (counters)
			json_object_object_add(json, "move",
					       move_status_json(invocation->options.config_dir, combined));
		output_json(stdout, json);
	} else if (!r) {
		if (counters) {
			output_status_text(stdout, combined, devices, values, active);
			output_latency_text(stdout, combined, latency);
		} else
			output_map_text(stdout, combined, devices, active);
		output_exports_text(stdout, exports, nr_exports);
		output_saved_exports_text(stdout, saved);
		if (counters)
			move_status_text(stdout, invocation->options.config_dir, combined);
	}
	if (!r && counters)
		r = active ? health(combined, devices, values) : STATUS_NOT_ACTIVE;
	free(exports);
	json_object_put(saved);
	free_devices(devices, combined->nr_regions);
	free(values);
	free(latency);
	combined_free(combined);
	return r;
}

int command_map(const struct invocation *invocation)
{
	return show(invocation, false);
}

int command_status(const struct invocation *invocation)
{
	int r;

	if (invocation->options.openmetrics)
		return status_openmetrics(invocation);
	r = show(invocation, true);
	return r < 0 ? STATUS_NOT_ACTIVE : r;
}

/* ---- export, unexport, xml ---- */

/* Whether name is among the first count of names. */
static bool name_listed(const char *const *names, int count, const char *name)
{
	while (count--)
		if (!strcmp(names[count], name))
			return true;
	return false;
}

/* The iSCSI part of export's options: an explicit portal, ACLs, optional CHAP. */
static int iscsi_options(const struct options *options, struct lio_iscsi *iscsi,
			 char *portal, size_t portal_size, char *password, size_t password_size)
{
	int i, r;

	if (!options->portal || !options->nr_initiators)
		return log_error(-EINVAL, "export", "--fabric iscsi needs --portal and at least one --initiator");
	if (lio_portal_normalize(options->portal, portal, portal_size))
		return log_error(-EINVAL, options->portal, "not a portal: IPv4[:PORT] or [IPv6][:PORT], not a wildcard address");
	if (!options->chap_user != !options->chap_password_file)
		return log_error(-EINVAL, "export", "CHAP needs both --chap-user and --chap-password-file");
	/* LIO takes 255 bytes at most, and no empty password. */
	r = options->chap_password_file ?
		secret_read(options->chap_password_file, password, password_size, 255) : 0;
	if (r)
		return r;
	iscsi->portal = portal;
	for (i = 0; i < options->nr_initiators; i++) {
		if (i && name_listed(options->initiators, i, options->initiators[i]))
			return log_error(-EINVAL, options->initiators[i], "initiator given twice");
		iscsi->initiators[i] = options->initiators[i];
	}
	iscsi->nr_initiators = (size_t)options->nr_initiators;
	iscsi->chap_user = options->chap_user;
	iscsi->chap_password = options->chap_user ? password : NULL;
	return 0;
}

/*
 * {command, dry_run, done, name, device, exports} of export and unexport
 * --json (done null under --dry-run), for the caller to add its keys.
 */
static json_object *export_json(const char *command, const char *done, bool dry_run,
				const char *name, const struct lio_export *exports, size_t count)
{
	json_object *obj = json_object_new_object();
	char device[PATH_MAX];

	snprintf(device, sizeof(device), "/dev/mapper/%s", name);
	json_object_object_add(obj, "command", json_object_new_string(command));
	json_object_object_add(obj, "dry_run", json_object_new_boolean(dry_run));
	json_object_object_add(obj, "done", dry_run ? NULL : json_object_new_string(done));
	json_object_object_add(obj, "name", json_object_new_string(name));
	json_object_object_add(obj, "device", json_object_new_string(device));
	json_object_object_add(obj, "exports", output_exports_json(exports, count));
	return obj;
}

/* What the admin hands the hypervisor, on stdout. */
static void print_export(const struct options *options, const struct combined *combined,
			 const struct lio_export *done)
{
	char *xml;

	if (options->json) {
		output_json(stdout, export_json("export", "exported", false, combined->name, done, 1));
		log_info("%s: exported over %s", combined->name, lio_fabric_name(done->fabric));
		return;
	}

	switch (done->fabric) {
	case LIO_LOOPBACK:
		printf("%s\n", done->disk);
		break;
	case LIO_VHOST:
		xml = libvirt_vhost_xml(done->wwn);
		printf("QEMU:    -device vhost-scsi-pci,wwpn=%s\nlibvirt: %s", done->wwn, xml ? xml : "\n");
		free(xml);
		break;
	case LIO_ISCSI:
		printf("%s on %s, LUN 0\n", done->wwn, done->portal);
		break;
	default:
		break;
	}
	log_info("%s: exported over %s", combined->name, lio_fabric_name(done->fabric));
}

/*
 * An active device's saved exports made again (dry_run: none made), each
 * one made appended to made; one not active is reported.
 */
static int restore_exports(const char *config_dir, const struct combined *combined, bool dry_run,
			   json_object *made)
{
	bool active;
	int r = get_active_settled(combined, &active);

	if (!r && !active && exports_saved(config_dir, combined->name))
		r = log_error(-ENXIO, combined->name, "not active: its saved exports are not made again (dmcombine assemble %s, then export --all)",
			      combined->name);
	if (!r && active)
		r = exports_restore(config_dir, combined, dry_run, made);
	return r;
}

/* export --all's account of one device: {name, device, done, exports} (done null: failed). */
static json_object *restored_json(const char *name, int r, bool dry_run, json_object *made)
{
	json_object *obj = json_object_new_object();
	char device[PATH_MAX];

	snprintf(device, sizeof(device), "/dev/mapper/%s", name);
	json_object_object_add(obj, "name", json_object_new_string(name));
	json_object_object_add(obj, "device", r ? NULL : json_object_new_string(device));
	json_object_object_add(obj, "done", r || dry_run ? NULL : json_object_new_string(
		json_object_array_length(made) ? "exported" : "nothing to export"));
	json_object_object_add(obj, "exports", made);
	return obj;
}

/* export --all --dry-run: a line for each saved export that would be made. */
static void print_restore_plan(json_object *devices)
{
	json_object *device, *made;
	size_t i, j;

	printf("dry run: export --all, nothing changed\n");
	for (i = 0; i < json_object_array_length(devices); i++) {
		device = json_object_array_get_idx(devices, i);
		made = json_object_object_get(device, "exports");
		for (j = 0; j < json_object_array_length(made); j++)
			printf("%s: would be exported over %s\n",
			       json_object_get_string(json_object_object_get(device, "name")),
			       json_object_get_string(json_object_object_get(
				       json_object_array_get_idx(made, j), "fabric")));
	}
}

/*
 * export --all: every saved export of every device made again where
 * configfs lacks it (at boot: dmcombine-exports.service). Each device on
 * its own: one that fails does not keep back the others.
 */
static int export_saved(const struct options *options)
{
	json_object *devices = json_object_new_array(), *made;
	struct combined *combined;
	size_t i, count = 0;
	char **names = NULL;
	int r, one;

	r = store_list(options->config_dir, &names, &count);
	for (i = 0; i < count; i++) {
		made = json_object_new_array();
		one = store_load(options->config_dir, names[i], &combined);
		if (!one) {
			one = restore_exports(options->config_dir, combined, options->dry_run, made);
			combined_free(combined);
		}
		if (!r)
			r = one;
		json_object_array_add(devices, restored_json(names[i], one, options->dry_run, made));
	}
	store_list_free(names, count);
	if (options->json) {
		output_devices_json("export", options->dry_run, devices);
		return r;
	}
	if (options->dry_run)
		print_restore_plan(devices);
	json_object_put(devices);
	return r;
}

/*
 * export --dry-run: the configfs objects the export would make and the
 * saved exports it would write, as text or JSON; nothing is changed.
 */
static int print_export_plan(const struct options *options, const struct combined *combined,
			     enum lio_fabric fabric, const struct lio_iscsi *iscsi)
{
	char **paths = NULL, *text = NULL;
	json_object *json, *array, *saved;
	size_t i;
	int r;

	r = lio_export_plan(combined, fabric, iscsi, &paths);
	if (!r)
		r = exports_preview(options->config_dir, combined->name, fabric, iscsi,
				    options->chap_password_file, &text);
	if (!r && options->json) {
		json = export_json("export", NULL, true, combined->name, NULL, 0);
		array = json_object_new_array();
		for (i = 0; paths[i]; i++)
			json_object_array_add(array, json_object_new_string(paths[i]));
		json_object_object_add(json, "configfs", array);
		saved = json_tokener_parse(text);
		json_object_object_add(json, "saved_exports",
				       json_object_get(json_object_object_get(saved, "exports")));
		json_object_put(saved);
		output_json(stdout, json);
	} else if (!r) {
		printf("dry run: export %s over %s, nothing changed\n", combined->name,
		       lio_fabric_name(fabric));
		for (i = 0; paths[i]; i++)
			printf("configfs: %s would be made\n", paths[i]);
		printf("saved exports: %s/%s.exports would be saved as:\n%s", options->config_dir,
		       combined->name, text);
	}
	lio_plan_free(paths);
	free(text);
	return r;
}

int command_export(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	char portal[64], password[258], *before = NULL;
	enum lio_fabric fabric = LIO_LOOPBACK;
	struct lio_iscsi iscsi = { 0 };
	struct lio_export done = { 0 };
	struct combined *combined;
	int r;

	if (options->all && (options->given & (OPT_FABRIC | OPT_PORTAL | OPT_INITIATOR | OPT_CHAP)))
		return log_error(-EINVAL, "export", "--all makes the saved exports again: it takes no other option");
	if (options->all)
		return export_saved(options);
	if (options->fabric)
		lio_fabric_parse(options->fabric, &fabric);
	if (fabric != LIO_ISCSI && (options->given & (OPT_PORTAL | OPT_INITIATOR | OPT_CHAP)))
		return log_error(-EINVAL, "export", "--portal, --initiator and CHAP are options of --fabric iscsi");
	r = fabric == LIO_ISCSI ?
		iscsi_options(options, &iscsi, portal, sizeof(portal), password, sizeof(password)) : 0;
	if (!r)
		r = store_load(options->config_dir, invocation->argv[0], &combined);
	if (!r) {
		r = require_active(combined);
		if (!r && options->dry_run) {
			r = print_export_plan(options, combined, fabric, &iscsi);
			combined_free(combined);
			explicit_bzero(password, sizeof(password));
			return r;
		}
		/* Saved first: a kill in between leaves an export that the next boot makes. */
		if (!r)
			r = exports_save(options->config_dir, combined->name, fabric, &iscsi,
					 options->chap_password_file, &before);
		if (!r) {
			r = lio_export(combined, fabric, &iscsi, &done);
			if (r)
				exports_put_back(options->config_dir, combined->name, before);
			else
				free(before);
		}
		if (!r)
			print_export(options, combined, &done);
		combined_free(combined);
	}
	/* The secret leaves memory on every path: only configfs keeps it. */
	explicit_bzero(password, sizeof(password));
	return r;
}

/* unexport --dry-run's text: the exports that would go, and the saved ones. */
static void print_unexport_plan(const struct options *options, const char *name,
				const struct lio_export *exports, size_t count, bool saved)
{
	size_t i;

	printf("dry run: unexport %s, nothing changed\n", name);
	for (i = 0; i < count; i++)
		printf("configfs: the export over %s as %s and its backstore would be removed\n",
		       lio_fabric_name(exports[i].fabric), exports[i].wwn);
	if (saved)
		printf("saved exports: %s/%s.exports would be deleted\n", options->config_dir, name);
}

int command_unexport(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	struct lio_export *exports = NULL;
	struct combined *combined;
	size_t count = 0;
	json_object *json;
	bool saved;
	int r = store_load(options->config_dir, invocation->argv[0], &combined);

	if (r)
		return r;
	saved = exports_saved(options->config_dir, combined->name);
	r = lio_exports(combined, &exports, &count);
	if (!r && options->dry_run && !options->json)
		print_unexport_plan(options, combined->name, exports, count, saved);
	/* Forgotten first: a kill in between leaves nothing for the next boot to make. */
	if (!r && !options->dry_run)
		r = store_delete_exports(options->config_dir, combined->name);
	if (!r && !options->dry_run)
		r = lio_unexport(combined);
	if (!r && !options->dry_run)
		log_info("%s: unexported", combined->name);
	if (!r && options->json) {
		json = export_json("unexport", "unexported", options->dry_run, combined->name,
				   exports, count);
		json_object_object_add(json, "saved_exports_deleted", json_object_new_boolean(saved));
		output_json(stdout, json);
	}
	free(exports);
	combined_free(combined);
	return r;
}

int command_xml(const struct invocation *invocation)
{
	const char *target_dev = invocation->options.target_dev;
	struct combined *combined;
	char *xml;
	int r = store_load(invocation->options.config_dir, invocation->argv[0], &combined);

	if (r)
		return r;
	xml = libvirt_disk_xml(combined, target_dev ? target_dev : LIBVIRT_DEFAULT_TARGET_DEV);
	if (xml)
		fputs(xml, stdout);
	else
		r = log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	free(xml);
	combined_free(combined);
	return r;
}
