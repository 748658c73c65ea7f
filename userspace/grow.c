// SPDX-License-Identifier: GPL-2.0-only
/*
 * resize and replace: a volume's region changes (its length, or the device
 * behind it) and no other region moves. Both are changes of an active
 * device's table like add and drop, made through apply_change: pending
 * map, reload, commit, the generation recorded (journal.h, generation.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "commands.h"
#include "confirm.h"
#include "log.h"
#include "member.h"
#include "output.h"
#include "report.h"
#include "sysfs.h"

/* The volume with ID in the map, logged when there is none. */
static int find_volume(const struct combined *combined, const char *id, size_t *index)
{
	ssize_t found = combined_find(combined, id);

	if (found < 0)
		return log_error(-ENOENT, id, "%s has no such volume", combined->name);
	*index = (size_t)found;
	return 0;
}

/*
 * The size in bytes of the device the live table maps for region. A loop
 * device keeps the size its file had when attached: it is told to read
 * the file's size again first, as losetup --set-capacity does.
 */
static int live_size(const struct combined *combined, const struct region *region,
		     uint64_t *bytes)
{
	char path[256];
	int fd, r = 0;

	if (sysfs_device_path(region->devno, path, sizeof(path)))
		return log_error(-ENODEV, region->id, "the device %s maps for it is gone",
				 combined->name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return log_error(-errno, path, "%s", strerror(errno));
	if (region->loop && ioctl(fd, LOOP_SET_CAPACITY, 0))
		r = log_error(-errno, path, "cannot read its file's new size: %s", strerror(errno));
	if (!r && ioctl(fd, BLKGETSIZE64, bytes))
		r = log_error(-errno, path, "cannot read its size: %s", strerror(errno));
	close(fd);
	return r;
}

/*
 * Loads the changed map's table, or under --dry-run only reports it; *done
 * tells which. --json's report follows the change (report.h).
 */
static int apply_one(const struct options *options, const struct change *change,
		     struct combined *combined, const char *old_params, uint64_t old_size,
		     bool *done)
{
	*done = false;
	if (options->dry_run)
		return report_change(options, change);
	*done = true;
	return apply_change(options, combined, old_params, old_size);
}

int command_resize(const struct invocation *invocation)
{
	const char *id = invocation->argv[1];
	struct combined *combined;
	struct region *region;
	uint64_t bytes = 0, size, old_size, old_length;
	char *old_params, before[24], after[24];
	struct change change;
	size_t index = 0;
	bool done = false;
	int r;

	r = load_for_change(invocation, &combined, &old_params);
	if (r)
		return r;
	old_size = combined_size(combined);
	r = find_volume(combined, id, &index);
	region = &combined->regions[index];
	if (!r && region->missing)
		r = log_error(-ENXIO, id, "missing from %s (dmcombine replace %s %s SOURCE)",
			      combined->name, combined->name, id);
	if (!r)
		r = live_size(combined, region, &bytes);
	/* A tail that is not a whole logical block stays unused. */
	size = bytes / combined->logical_block_size * (combined->logical_block_size / SECTOR_SIZE);
	old_length = region->length;
	if (!r && size < region->size)
		r = log_error(-EINVAL, id, "shrank to %" PRIu64 " bytes, %s has %" PRIu64
			      ": shrinking a volume is not supported", bytes, combined->name,
			      region->size * SECTOR_SIZE);
	if (!r && size - region->offset == region->length) {
		format_iec(size * SECTOR_SIZE, after, sizeof(after));
		log_info("%s: volume %s already has its whole size, %s", combined->name, id, after);
		goto out;
	}
	if (!r) {
		r = combined_resize(combined, index, size);
		if (r == -ENOSPC)
			log_error(r, id, "grew by more than the room after it in %s: %" PRIu64
				  " bytes (only the last volume, and under gpt volumes with --headroom, can grow)",
				  combined->name, combined_room(combined, index) * SECTOR_SIZE);
		else if (r == -E2BIG)
			log_error(r, id, "%s would be too large", combined->name);
		else if (r)
			log_error(r, id, "%s", strerror(-r));
	}
	change = (struct change){ .command = "resize", .done = "resized", .name = combined->name,
				  .combined = combined, .loads_table = true, .volumes = &id,
				  .nr_volumes = 1, .device_left = true, .map_saved = true };
	if (!r)
		r = apply_one(&invocation->options, &change, combined, old_params, old_size, &done);
	if (!r && done) {
		format_iec(old_length * SECTOR_SIZE, before, sizeof(before));
		format_iec(combined->regions[index].length * SECTOR_SIZE, after, sizeof(after));
		log_info("%s: volume %s grew from %s to %s", combined->name, id, before, after);
	}
	if (!r && done && combined_size(combined) != old_size) {
		format_iec(old_size * SECTOR_SIZE, before, sizeof(before));
		format_iec(combined_size(combined) * SECTOR_SIZE, after, sizeof(after));
		log_info("%s: the device grew from %s to %s (a guest sees it after a rescan)",
			 combined->name, before, after);
	}
	if (!r && done)
		r = report_change(&invocation->options, &change);
out:
	free(old_params);
	combined_free(combined);
	return r;
}

/* The replacement fits the region: large enough, blocks no larger. */
static int check_replacement(const struct combined *combined, const struct region *region,
			     const struct member *member)
{
	uint64_t needed = (region->offset + region->length) * SECTOR_SIZE;

	if (member->block_size > combined->logical_block_size)
		return log_error(-EINVAL, member->spec.source,
				 "logical block size %u is larger than %s's (%u)",
				 member->block_size, combined->name, combined->logical_block_size);
	if (member->size % combined->logical_block_size)
		return log_error(-EINVAL, member->spec.source,
				 "size %" PRIu64 " bytes is not a multiple of the logical block size (%u bytes)",
				 member->size, combined->logical_block_size);
	if (member->size < needed)
		return log_error(-ENOSPC, member->spec.source,
				 "%" PRIu64 " bytes, smaller than volume %s's %" PRIu64,
				 member->size, region->id, needed);
	return 0;
}

/* The region's volume becomes member: identity, source, size; the place stays. */
static int take_identity(struct region *region, const struct member *member)
{
	char *source = strdup(member->spec.source), *identity = strdup(member->identity);

	if (!source || !identity) {
		free(source);
		free(identity);
		return log_error(-ENOMEM, region->id, "%s", strerror(ENOMEM));
	}
	free(region->source);
	free(region->identity);
	region->source = source;
	region->identity = identity;
	region->size = member->size / SECTOR_SIZE;
	region->loop = member->is_file;
	region->devno = member->devno;
	region->missing = false;
	return 0;
}

int replace_region(const struct options *options, struct combined *combined, size_t index,
		   struct member *member, const char *old_params, const struct change *change,
		   bool *done)
{
	struct region *region = &combined->regions[index];
	int r;

	*done = false;
	r = check_replacement(combined, region, member);
	if (!r)
		r = member_check_unused(options->config_dir, NULL, member, 1);
	/* A missing volume's region has no users to lose; a present one may. */
	if (!r && !region->missing)
		r = confirm_in_use(options, combined->name, "Replace the volume under its users?");
	if (!r)
		r = member_attach(member);
	if (!r)
		r = take_identity(region, member);
	if (!r)
		r = apply_one(options, change, combined, old_params, combined_size(combined), done);
	return r;
}

int command_replace(const struct invocation *invocation)
{
	const char *id = invocation->argv[1];
	struct member member = { .fd = -1, .loop_fd = -1 };
	struct volume_spec spec;
	struct combined *combined;
	struct region *region;
	bool was_missing = false, done = false;
	struct change change;
	char *old_params;
	size_t index = 0;
	int r;

	r = load_for_change(invocation, &combined, &old_params);
	if (r)
		return r;
	r = find_volume(combined, id, &index);
	region = &combined->regions[index];
	if (!r)
		was_missing = region->missing;
	if (!r)
		r = volume_spec_parse(invocation->argv[2], &spec);
	if (!r && spec.id[0])
		r = log_error(-EINVAL, invocation->argv[2], "give the SOURCE alone: the ID is %s", id);
	if (!r)
		r = member_resolve(&spec, &member);
	if (!r && !region->missing && !member.is_file && member.devno == region->devno)
		r = log_error(-EEXIST, member.spec.source, "is volume %s of %s already", id,
			      combined->name);
	change = (struct change){ .command = "replace", .done = "replaced", .name = combined->name,
				  .combined = combined, .loads_table = true, .volumes = &id,
				  .nr_volumes = 1, .device_left = true, .map_saved = true };
	if (!r)
		r = replace_region(&invocation->options, combined, index, &member, old_params,
				   &change, &done);
	if (!r && done) {
		log_info("%s: volume %s is now %s%s", combined->name, id, member.spec.source,
			 was_missing ? " (was missing)" : "");
		member_warn_weak(&member, 1);
		r = report_change(&invocation->options, &change);
	}
	member_release(&member);
	free(old_params);
	combined_free(combined);
	return r;
}
