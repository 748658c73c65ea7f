// SPDX-License-Identifier: GPL-2.0-only
/*
 * The commands. Each checks everything before it changes anything, changes
 * the kernel before the registry, and undoes its own steps when a later one
 * fails, so that a failure leaves no device, loop or map behind.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dm-combine.h"
#include "commands.h"
#include "dm.h"
#include "generation.h"
#include "incremental.h"
#include "libvirt.h"
#include "lio.h"
#include "log.h"
#include "member.h"
#include "output.h"
#include "store.h"
#include "sysfs.h"
#include "table.h"
#include "uuid.h"

/* "DMCOMBINE-" and a UUID, well below device-mapper's 129 bytes. */
#define DM_UUID_MAX (sizeof(DM_COMBINE_UUID_PREFIX) + UUID_STRING_LEN)

static void dm_uuid_of(const struct combined *combined, char dm_uuid[DM_UUID_MAX])
{
	snprintf(dm_uuid, DM_UUID_MAX, DM_COMBINE_UUID_PREFIX "%s", combined->uuid);
}

/* Whether the map's device is active; a foreign device of that name is refused. */
static int get_active(const struct combined *combined, bool *active)
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

static int require_active(const struct combined *combined)
{
	bool active;
	int r = get_active(combined, &active);

	if (!r && !active)
		r = log_error(-ENXIO, combined->name, "not active (run dmcombine assemble %s)",
			      combined->name);
	return r;
}

/* Sets each region's devno from the live table, which must be the map's. */
static int load_live_devices(struct combined *combined)
{
	dev_t *devnos;
	char *params;
	size_t i;
	int r;

	r = device_params(combined->name, false, &params);
	if (r)
		return r;
	devnos = calloc(combined->nr_regions, sizeof(*devnos));
	r = devnos ? table_parse_devices(params, combined, devnos) : -ENOMEM;
	if (r == -EINVAL)
		log_error(r, combined->name, "the live table is not the saved map: changed outside dmcombine?");
	for (i = 0; !r && i < combined->nr_regions; i++)
		combined->regions[i].devno = devnos[i];
	free(devnos);
	free(params);
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
	struct member *members = calloc(count, sizeof(*members));
	struct volume_spec spec;
	size_t i;

	*r = members ? 0 : log_error(-ENOMEM, "volumes", "%s", strerror(ENOMEM));
	for (i = 0; !*r && i < count; i++) {
		*r = volume_spec_parse(args[i], &spec);
		if (!*r)
			*r = member_resolve(&spec, &members[i]);
		if (!*r && !members[i].spec.id[0])
			*r = volume_default_id(&spec, members[i].label, members[i].spec.id);
	}
	if (*r) {
		free(members);
		return NULL;
	}
	return members;
}

/* Refuses a volume that other, another registered combined device, has. */
static int check_not_in(const struct combined *other, const struct member *members, size_t count)
{
	size_t i, m;

	for (i = 0; i < other->nr_regions; i++)
		for (m = 0; m < count; m++)
			if (!other->regions[i].hole &&
			    !strcmp(other->regions[i].identity, members[m].identity))
				return log_error(-EBUSY, members[m].spec.source,
						 "already a member of combined device %s", other->name);
	return 0;
}

static int check_not_registered(const struct options *options, const char *own_name,
				const struct member *members, size_t count)
{
	struct combined *other;
	size_t n, nr_names;
	char **names;
	int r;

	r = store_list(options->config_dir, &names, &nr_names);
	for (n = 0; !r && n < nr_names; n++) {
		if (!strcmp(names[n], own_name))
			continue;
		r = store_load(options->config_dir, names[n], &other);
		if (r)
			break;
		r = check_not_in(other, members, count);
		combined_free(other);
	}
	store_list_free(names, nr_names);
	return r;
}

/* Refusals across volumes: IDs, duplicates, and volumes the device already has. */
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
		for (j = 0; j < combined->nr_regions; j++) {
			const struct region *region = &combined->regions[j];

			if (!region->hole && (!strcmp(region->identity, member->identity) ||
					      (!member->is_file && region->devno == member->devno)))
				return log_error(-EEXIST, member->spec.source, "already in %s as %s",
						 combined->name, region->id);
		}
	}
	return 0;
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
	snprintf(volume->parttype, sizeof(volume->parttype), "%s", gpt_type_for(member->type));
	r = uuid_generate(volume->partuuid);
	if (r)
		log_error(r, member->spec.source, "no random partition GUID: %s", strerror(-r));
	return r;
}

/* The target must know the layout: gpt came with target version 1.1. */
static int check_target(enum layout layout)
{
	if (layout == LAYOUT_GPT)
		return device_check_target(DM_COMBINE_GPT_SINCE_MINOR, "gpt layout");
	return device_check_target(0, NULL);
}

/* Attaches loops and appends the volumes to the map, in order. */
static int place_members(struct combined *combined, struct member *members, size_t count)
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
	bool exists;
	int r;

	if (!name_is_valid(name))
		return log_error(-EINVAL, name, "invalid name (allowed: [A-Za-z0-9][A-Za-z0-9._+-]{0,63})");
	if (options->layout && layout_parse(options->layout, &layout))
		return log_error(-EINVAL, options->layout, "unknown layout");
	if (store_exists(options->config_dir, name))
		return log_error(-EEXIST, name, "already exists (see dmcombine list)");
	r = device_info(name, &exists, dm_uuid, sizeof(dm_uuid));
	if (!r && exists)
		r = log_error(-EEXIST, name, "a device-mapper device of this name exists");
	if (!r)
		r = check_target(layout);
	if (!r)
		members = resolve_members(invocation->argv + 1, count, &r);
	if (!r)
		r = check_members(NULL, members, count);
	if (!r)
		r = check_not_registered(options, name, members, count);
	for (i = 0; !r && i < count; i++)
		if (members[i].block_size > block_size)
			block_size = members[i].block_size;
	if (!r)
		r = check_block_size(members, count, block_size);
	if (!r)
		r = check_partitions(layout, name, 0, members, count);
	if (!r) {
		log_verbose("%s: logical block size %u bytes, the largest of the volumes'", name, block_size);
		r = uuid_generate(uuid);
		if (r)
			log_error(r, name, "no random UUID: %s", strerror(-r));
	}
	if (!r) {
		combined = combined_new(name, uuid, layout, block_size);
		r = combined ? place_members(combined, members, count) :
			       log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
	}
	if (!r)
		r = create_device(combined);
	if (!r) {
		r = store_save(options->config_dir, combined);
		if (r)
			device_remove(name);
	}
	if (!r) {
		generation_record(combined);
		generation_warn_images(combined);
	}
	if (!r)
		log_info("%s: created /dev/mapper/%s, %zu volume%s", name, name, count,
			 count == 1 ? "" : "s");
	release_members(members, count);
	combined_free(combined);
	return r;
}

/*
 * Reloads the device with the changed map and then saves it; if the save
 * fails, the old table goes back so the kernel and registry still agree.
 */
static int apply_change(const struct options *options, struct combined *combined,
			const char *old_params, uint64_t old_size)
{
	char *params = table_params(combined);
	int r;

	if (!params)
		return -EINVAL;
	r = device_reload(combined->name, combined_size(combined), params);
	free(params);
	if (r)
		return r;
	/* Host-side readers (blkid, partx, a loop device) then see the new GPT. */
	if (combined->layout == LAYOUT_GPT)
		device_drop_cache(combined->name);
	r = store_save(options->config_dir, combined);
	if (r && device_reload(combined->name, old_size, old_params))
		log_error(r, combined->name, "the old table could not be restored either: check dmcombine status");
	if (!r) {
		generation_record(combined);
		generation_warn_images(combined);
	}
	return r;
}

/* Loads the map of an active device with its live devices, and its current table. */
static int load_for_change(const struct invocation *invocation, struct combined **combined,
			   char **old_params)
{
	int r = store_load(invocation->options.config_dir, invocation->argv[0], combined);

	if (r)
		return r;
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
	char *old_params;
	uint64_t old_size;
	size_t i;
	int r;

	r = load_for_change(invocation, &combined, &old_params);
	if (r)
		return r;
	old_size = combined_size(combined);
	members = resolve_members(invocation->argv + 1, count, &r);
	if (!r)
		r = check_members(combined, members, count);
	if (!r)
		r = check_not_registered(options, combined->name, members, count);
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
	if (!r)
		r = place_members(combined, members, count);
	if (!r)
		r = apply_change(options, combined, old_params, old_size);
	if (!r)
		log_info("%s: added %zu volume%s", combined->name, count, count == 1 ? "" : "s");
	release_members(members, count);
	free(old_params);
	combined_free(combined);
	return r;
}

int command_drop(const struct invocation *invocation)
{
	struct combined *combined;
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
	}
	if (!r)
		r = apply_change(&invocation->options, combined, old_params, size);
	if (!r)
		log_info("%s: dropped %d volume%s", combined->name, invocation->argc - 1,
			 invocation->argc == 2 ? "" : "s");
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
	struct combined *combined;
	bool active;
	int r;

	r = store_load(options->config_dir, invocation->argv[0], &combined);
	if (r)
		return r;
	r = get_active(combined, &active);
	if (!r && active)
		r = options->force ? lio_unexport(combined) : refuse_exported(combined);
	if (!r && active)
		r = device_remove(combined->name);
	else if (!r && !options->forget)
		r = log_error(-ENXIO, combined->name, "not active (--forget deletes its map)");
	if (!r && active)
		generation_forget(combined->name);
	if (!r && options->forget)
		r = store_delete(options->config_dir, combined->name);
	if (!r && options->forget) {
		combined->uuid[0] = '\0';	/* no image may keep it */
		generation_warn_images(combined);
	}
	if (!r)
		log_info("%s: %s", combined->name, options->forget ? "removed and forgotten" : "removed");
	combined_free(combined);
	return r;
}

/* Finds each volume by its identity and checks it is the one the map saved. */
static int find_saved_volumes(struct combined *combined, struct member *members)
{
	size_t i, m = 0;
	int r = 0;

	for (i = 0; !r && i < combined->nr_regions; i++) {
		struct region *region = &combined->regions[i];
		struct volume_spec spec = { .source = region->identity };
		struct member *member = &members[m];

		if (region->hole)
			continue;
		spec.is_tag = source_is_tag(region->identity);
		snprintf(spec.id, sizeof(spec.id), "%s", region->id);
		r = member_resolve(&spec, member);
		if (!r && member->is_file != region->loop)
			r = log_error(-EINVAL, region->identity, "volume %s was a %s", region->id,
				      region->loop ? "regular file" : "block device");
		if (!r && member->size != region->size * SECTOR_SIZE)
			r = log_error(-EINVAL, region->identity, "volume %s changed size: %llu bytes, saved %llu",
				      region->id, (unsigned long long)member->size,
				      (unsigned long long)(region->size * SECTOR_SIZE));
		if (!r && member->block_size > combined->logical_block_size)
			r = log_error(-EINVAL, region->identity, "volume %s has a larger logical block size (%u) than saved (%u)",
				      region->id, member->block_size, combined->logical_block_size);
		if (!r)
			r = member_attach(member);
		region->devno = member->devno;
		m++;
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
static int refresh_stale(const struct combined *combined, bool *active)
{
	uint64_t running;
	int r, openers = 0;
	const char *why;

	if (generation_running(combined, &running) || running == combined->generation)
		return 0;
	if (running > combined->generation)
		why = "the saved map is older than the running device (restored from a backup?)";
	else if (incremental_missing(combined))
		why = "volumes of the current map are missing";
	/* Open (mounted, held) needs no removal attempt; dm refuses it then anyway. */
	else if (device_open_count(combined->name, &openers) || openers ||
		 refuse_exported(combined) || device_remove(combined->name))
		why = "the device is in use";
	else
		why = NULL;
	if (why) {
		r = log_error(-ESTALE, combined->name, "STALE: runs generation %" PRIu64
			      " of its map, the saved map is generation %" PRIu64
			      " and is not applied: %s (see dmcombine(8), GENERATIONS)",
			      running, combined->generation, why);
		generation_syslog_stale(combined, running, why);
		return r;
	}
	generation_forget(combined->name);
	log_info("%s: was running generation %" PRIu64 " of its map: assembled again from generation %" PRIu64,
		 combined->name, running, combined->generation);
	*active = false;
	return 0;
}

int assemble_one(const struct options *options, const char *name)
{
	struct member *members = NULL;
	struct combined *combined;
	size_t count = 0;
	bool active;
	int r;

	r = store_load(options->config_dir, name, &combined);
	if (r)
		return r;
	r = get_active(combined, &active);
	if (!r && active)
		log_verbose("%s: already active", name);
	if (!r && active)
		r = refresh_stale(combined, &active);
	if (!r && !active)
		r = check_target(combined->layout);
	if (!r && !active) {
		count = combined_volume_count(combined);
		members = calloc(count, sizeof(*members));
		r = members ? find_saved_volumes(combined, members) :
			      log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
		if (!r)
			r = create_device(combined);
		if (!r)
			generation_record(combined);
		if (!r)
			log_info("%s: assembled /dev/mapper/%s", name, name);
	}
	release_members(members, count);
	combined_free(combined);
	return r;
}

int command_assemble(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	char **names = invocation->argv;
	size_t i, count = (size_t)invocation->argc;
	int r = 0, one;

	if (options->incremental)
		return assemble_incremental(invocation);
	if (options->all) {
		r = store_list(options->config_dir, &names, &count);
		if (r)
			return r;
	}
	/* Each device on its own: one that fails does not stop the others. */
	for (i = 0; i < count; i++) {
		one = assemble_one(options, names[i]);
		if (!r)
			r = one;
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
	json_object *array;
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
		output_json(stdout, array);
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

/* Shows map (counters == false) or status of the device named on the command line. */
static int show(const struct invocation *invocation, bool counters)
{
	struct region_counters *values = NULL;
	struct lio_export *exports = NULL;
	struct combined *combined;
	char **devices = NULL, *status = NULL;
	size_t nr_exports = 0;
	json_object *json;
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
		r = device_params(combined->name, true, &status);
		values = calloc(combined->nr_regions, sizeof(*values));
		if (!r && !values)
			r = log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
		if (!r && status_parse(status, combined->nr_regions, values))
			r = log_error(-EINVAL, combined->name, "unexpected status from the kernel: %.80s", status);
	}
	if (!r) {
		devices = device_paths(combined, active);
		r = devices ? 0 : -ENOMEM;
	}
	if (!r)
		r = lio_exports(combined, &exports, &nr_exports);
	if (!r && invocation->options.json) {
		json = counters ? output_status_json(combined, devices, values, active) :
				  output_map_json(combined, devices);
		json_object_object_add(json, "exports", output_exports_json(exports, nr_exports));
		output_json(stdout, json);
	} else if (!r) {
		if (counters)
			output_status_text(stdout, combined, devices, values, active);
		else
			output_map_text(stdout, combined, devices, active);
		output_exports_text(stdout, exports, nr_exports);
	}
	free(exports);
	free_devices(devices, combined->nr_regions);
	free(values);
	free(status);
	combined_free(combined);
	return r;
}

int command_map(const struct invocation *invocation)
{
	return show(invocation, false);
}

int command_status(const struct invocation *invocation)
{
	return show(invocation, true);
}

/* ---- export, unexport, xml ---- */

/* The CHAP password: the first line of file, which should be root's alone. */
static int read_password(const char *file, char *password, size_t size)
{
	FILE *f = fopen(file, "re");
	int r = 0;

	if (!f)
		return log_error(-errno, file, "%s", strerror(errno));
	if (!fgets(password, (int)size, f))
		password[0] = '\0';
	fclose(f);
	password[strcspn(password, "\n")] = '\0';
	/* LIO takes 255 bytes at most, and no empty password. */
	if (!password[0] || strlen(password) > 255)
		r = log_error(-EINVAL, file, "the first line must be a password of 1 to 255 bytes");
	return r;
}

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
	int i;

	if (!options->portal || !options->nr_initiators)
		return log_error(-EINVAL, "export", "--fabric iscsi needs --portal and at least one --initiator");
	if (lio_portal_normalize(options->portal, portal, portal_size))
		return log_error(-EINVAL, options->portal, "not a portal: IPv4[:PORT] or [IPv6][:PORT], not a wildcard address");
	if (!options->chap_user != !options->chap_password_file)
		return log_error(-EINVAL, "export", "CHAP needs both --chap-user and --chap-password-file");
	if (options->chap_password_file &&
	    read_password(options->chap_password_file, password, password_size))
		return -EINVAL;
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

/* What the admin hands the hypervisor, on stdout. */
static void print_export(const struct combined *combined, const struct lio_export *done)
{
	char *xml;

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

int command_export(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	char portal[64], password[258];
	enum lio_fabric fabric = LIO_LOOPBACK;
	struct lio_iscsi iscsi = { 0 };
	struct lio_export done = { 0 };
	struct combined *combined;
	int r;

	if (options->fabric)
		lio_fabric_parse(options->fabric, &fabric);
	if (fabric != LIO_ISCSI && (options->given & (OPT_PORTAL | OPT_INITIATOR | OPT_CHAP)))
		return log_error(-EINVAL, "export", "--portal, --initiator and CHAP are options of --fabric iscsi");
	if (fabric == LIO_ISCSI) {
		r = iscsi_options(options, &iscsi, portal, sizeof(portal), password, sizeof(password));
		if (r)
			return r;
	}
	r = store_load(options->config_dir, invocation->argv[0], &combined);
	if (r)
		return r;
	r = require_active(combined);
	if (!r)
		r = lio_export(combined, fabric, &iscsi, &done);
	if (!r)
		print_export(combined, &done);
	explicit_bzero(password, sizeof(password));
	combined_free(combined);
	return r;
}

int command_unexport(const struct invocation *invocation)
{
	struct combined *combined;
	int r = store_load(invocation->options.config_dir, invocation->argv[0], &combined);

	if (r)
		return r;
	r = lio_unexport(combined);
	if (!r)
		log_info("%s: unexported", combined->name);
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
