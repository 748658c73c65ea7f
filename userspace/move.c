// SPDX-License-Identifier: GPL-2.0-only
/* dmcombine move: the steps, recovery and progress (see move.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "dm-combine.h"
#include "dm.h"
#include "generation.h"
#include "identity.h"
#include "journal.h"
#include "lock.h"
#include "log.h"
#include "loop.h"
#include "member.h"
#include "mirror.h"
#include "move.h"
#include "stop.h"
#include "store.h"
#include "table.h"

/* device-mapper's name limit (DM_NAME_LEN), with its NUL. */
#define DM_NAME_MAX 128
/* Not DMCOMBINE-: nothing takes a mirror for a combined device. */
#define MOVE_UUID_PREFIX "DMCOMBINE_MOVE-"
#define STATE_COPYING "copying"
#define STATE_SWITCHING "switching"
/* How often the mover reads the mirror's status. */
#define POLL_MS 250

/* The record of a move in progress (STORE_MOVE): the new device, and how far it got. */
struct move_record {
	char id[NAME_MAX_LEN + 1];
	char source[SOURCE_MAX_LEN + 1];	/* as the user gave it */
	char identity[PATH_MAX];		/* as the map will save it */
	bool loop;
	uint64_t size;				/* of the new device, sectors */
	uint64_t started;			/* microseconds since the epoch: which move */
	bool switching;				/* the new device is authoritative */
};

/* ---- the record and the outcome beside the map ---- */

static int record_save(const char *config_dir, const char *name, const struct move_record *record)
{
	json_object *json = json_object_new_object();
	int r;

	json_object_object_add(json, "id", json_object_new_string(record->id));
	json_object_object_add(json, "source", json_object_new_string(record->source));
	json_object_object_add(json, "identity", json_object_new_string(record->identity));
	json_object_object_add(json, "loop", json_object_new_boolean(record->loop));
	json_object_object_add(json, "size", json_object_new_uint64(record->size));
	json_object_object_add(json, "started", json_object_new_uint64(record->started));
	json_object_object_add(json, "state", json_object_new_string(record->switching ?
								      STATE_SWITCHING : STATE_COPYING));
	r = store_save_side(config_dir, name, STORE_MOVE,
			    json_object_to_json_string_ext(json, JSON_C_TO_STRING_PRETTY));
	json_object_put(json);
	return r;
}

/* The string member key of json into text (size bytes), which must be safe text. */
static bool take_string(json_object *json, const char *key, char *text, size_t size)
{
	json_object *value;
	const char *string;

	if (!json_object_object_get_ex(json, key, &value) ||
	    !json_object_is_type(value, json_type_string))
		return false;
	string = json_object_get_string(value);
	if (!text_is_safe(string) || strlen(string) >= size)
		return false;
	snprintf(text, size, "%s", string);
	return true;
}

static bool take_u64(json_object *json, const char *key, uint64_t *number)
{
	json_object *value;

	if (!json_object_object_get_ex(json, key, &value) ||
	    !json_object_is_type(value, json_type_int))
		return false;
	*number = json_object_get_uint64(value);
	return true;
}

/* -ENOENT (unlogged) when NAME has no move in progress. */
static int record_load(const char *config_dir, const char *name, struct move_record *record)
{
	char *text = NULL, state[16];
	json_object *json, *loop;
	bool valid;
	int r;

	r = store_load_side(config_dir, name, STORE_MOVE, &text);
	if (r)
		return r;
	memset(record, 0, sizeof(*record));
	json = json_tokener_parse(text);
	valid = json && take_string(json, "id", record->id, sizeof(record->id)) &&
		name_is_valid(record->id) &&
		take_string(json, "source", record->source, sizeof(record->source)) &&
		take_string(json, "identity", record->identity, sizeof(record->identity)) &&
		json_object_object_get_ex(json, "loop", &loop) &&
		json_object_is_type(loop, json_type_boolean) &&
		take_u64(json, "size", &record->size) && take_u64(json, "started", &record->started) &&
		take_string(json, "state", state, sizeof(state)) &&
		(!strcmp(state, STATE_COPYING) || !strcmp(state, STATE_SWITCHING));
	if (valid) {
		record->loop = json_object_get_boolean(loop);
		record->switching = !strcmp(state, STATE_SWITCHING);
	}
	json_object_put(json);
	free(text);
	if (!valid)
		return log_error(-EINVAL, name, "the record of its move (%s/.%s.json" STORE_MOVE ") is corrupt",
				 config_dir, name);
	return 0;
}

/* The outcome status reports once; reason NULL for a finished move. */
static void outcome_save(const char *config_dir, const char *name, const struct move_record *record,
			 const char *reason)
{
	json_object *json = json_object_new_object();

	json_object_object_add(json, "id", json_object_new_string(record->id));
	json_object_object_add(json, "to", json_object_new_string(record->source));
	json_object_object_add(json, "result", json_object_new_string(reason ? "abandoned" : "finished"));
	if (reason)
		json_object_object_add(json, "reason", json_object_new_string(reason));
	json_object_object_add(json, "ended", json_object_new_int64((int64_t)time(NULL)));
	store_save_side(config_dir, name, STORE_MOVED,
			json_object_to_json_string_ext(json, JSON_C_TO_STRING_PRETTY));
	json_object_put(json);
}

/* ---- the mover's lock: held from the record's save to its deletion ---- */

/*
 * A flock on LOCK_DIR/move-NAME, held by the process that moves NAME's
 * volume: whoever can take it knows the mover is gone (killed; after a
 * reboot /run is empty). -EBUSY (unlogged) while a mover holds it.
 */
static int mover_lock(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), LOCK_DIR "/move-%s", name);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return log_error(-errno, path, "%s", strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		return errno == EWOULDBLOCK ? -EBUSY : log_error(-errno, path, "%s", strerror(errno));
	}
	return fd;
}

/* ---- devices ---- */

static int mirror_name(const char *name, const char *id, char mirror[DM_NAME_MAX])
{
	if ((size_t)snprintf(mirror, DM_NAME_MAX, "%s-move-%s", name, id) >= DM_NAME_MAX)
		return log_error(-ENAMETOOLONG, name, "the mirror's name %s-move-%s is longer than device-mapper allows (%d)",
				 name, id, DM_NAME_MAX - 1);
	return 0;
}

/* Whether the mirror of a move of combined exists; another device of its name is refused. */
static int mirror_exists(const struct combined *combined, const char *mirror, bool *exists)
{
	char expected[256], uuid[256];
	int r = device_info(mirror, exists, uuid, sizeof(uuid));

	snprintf(expected, sizeof(expected), MOVE_UUID_PREFIX "%s", combined->uuid);
	if (!r && *exists && strcmp(uuid, expected))
		r = log_error(-EEXIST, mirror, "a device-mapper device of this name exists but is not %s's mirror (DM UUID \"%s\")",
			      combined->name, uuid);
	return r;
}

/* Whether combined's device is active; its live devices into the regions then. */
static int load_live(struct combined *combined, bool *active)
{
	char expected[256], uuid[256];
	dev_t *devnos;
	size_t i;
	int r;

	r = device_info(combined->name, active, uuid, sizeof(uuid));
	snprintf(expected, sizeof(expected), DM_COMBINE_UUID_PREFIX "%s", combined->uuid);
	if (r || !*active)
		return r;
	if (strcmp(uuid, expected))
		return log_error(-EEXIST, combined->name, "a device-mapper device of this name exists but is not this combined device (DM UUID \"%s\")",
				 uuid);
	devnos = calloc(combined->nr_regions + 1, sizeof(*devnos));
	r = devnos ? identity_live_devices(combined->name, combined, devnos) :
		     log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	for (i = 0; !r && i < combined->nr_regions; i++)
		combined->regions[i].devno = devnos[i];
	free(devnos);
	return r;
}

/* Reloads combined's device with region index at devno, offset; the others as live. */
static int point_region(struct combined *combined, size_t index, dev_t devno, uint64_t offset)
{
	struct region *region = &combined->regions[index];
	uint64_t saved_offset = region->offset;
	dev_t saved_devno = region->devno;
	char *params;
	int r;

	region->devno = devno;
	region->offset = offset;
	params = table_params(combined);
	region->devno = saved_devno;
	region->offset = saved_offset;
	if (!params)
		return -EINVAL;
	r = device_reload(combined->name, combined_size(combined), params);
	free(params);
	if (!r)
		region->devno = devno;
	return r;
}

/* Whether the mirror is in sync with both legs alive; false when it cannot be read. */
static bool mirror_in_sync(const char *mirror)
{
	struct mirror_sync sync;
	char *status = NULL;
	bool synced;

	synced = !device_target_params(mirror, MIRROR_TARGET, true, &status) &&
		 !mirror_parse_status(status, &sync) && mirror_synced(&sync);
	free(status);
	return synced;
}

/* ---- ending a move: abandoned (old device) or finished (new device) ---- */

/*
 * The region back on the old device (the mirror's first leg), the mirror
 * removed, the record deleted. combined holds live devices when active.
 */
static int abandon(const char *config_dir, struct combined *combined, bool active,
		   const struct move_record *record, const char *reason)
{
	ssize_t index = combined_find(combined, record->id);
	char mirror[DM_NAME_MAX], *table = NULL;
	dev_t mirror_dev = 0, old_dev, new_dev;
	uint64_t old_offset;
	bool exists;
	int r;

	r = mirror_name(combined->name, record->id, mirror);
	if (!r)
		r = mirror_exists(combined, mirror, &exists);
	if (!r && exists)
		r = device_devno(mirror, &mirror_dev);
	if (!r && exists && active && index >= 0 && combined->regions[index].devno == mirror_dev) {
		r = device_target_params(mirror, MIRROR_TARGET, false, &table);
		if (!r && mirror_parse_legs(table, &old_dev, &old_offset, &new_dev))
			r = log_error(-EINVAL, mirror, "not a move's mirror: %s", table);
		if (!r)
			r = point_region(combined, (size_t)index, old_dev, old_offset);
		free(table);
	}
	if (!r && exists)
		r = device_remove(mirror);
	/* The outcome before the record goes: whoever sees no record sees the outcome. */
	if (!r)
		outcome_save(config_dir, combined->name, record, reason);
	if (!r)
		r = store_delete_side(config_dir, combined->name, STORE_MOVE);
	if (r)
		return log_error(r, combined->name, "the move of volume %s could not be ended: %s",
				 record->id, strerror(-r));
	log_info("%s: move of volume %s to %s abandoned (%s): the volume stays on its old device",
		 combined->name, record->id, record->source, reason);
	return 0;
}

/* A leg failed at the switch: the region on the mirror's old leg, the move abandoned. */
static int back_to_old(const char *config_dir, struct combined *combined, size_t index,
		       const struct move_record *record, const char *mirror)
{
	dev_t old_dev, new_dev;
	uint64_t old_offset;
	char *table = NULL;
	int r;

	r = device_target_params(mirror, MIRROR_TARGET, false, &table);
	if (!r && mirror_parse_legs(table, &old_dev, &old_offset, &new_dev))
		r = log_error(-EINVAL, mirror, "not a move's mirror: %s", table);
	free(table);
	if (!r)
		r = point_region(combined, index, old_dev, old_offset);
	if (!r)
		r = abandon(config_dir, combined, true, record, "a device failed at the switch");
	return r ? r : -ECANCELED;
}

/*
 * The switch: recorded as switching, the region on the new device alone,
 * the map saved with it, the mirror removed, the record deleted. The
 * mirror must be in sync with both legs alive; new_dev is its second leg.
 */
static int finish(const char *config_dir, struct combined *combined, bool active,
		  struct move_record *record, dev_t new_dev)
{
	ssize_t index = combined_find(combined, record->id);
	struct region *region;
	char mirror[DM_NAME_MAX];
	bool exists;
	int r;

	if (index < 0)
		return log_error(-ENOENT, combined->name, "volume %s vanished from the map during its move",
				 record->id);
	region = &combined->regions[index];
	r = mirror_name(combined->name, record->id, mirror);
	if (!r && !record->switching) {
		record->switching = true;
		r = record_save(config_dir, combined->name, record);
	}
	if (!r && active && region->devno != new_dev) {
		stop_point("move-switching");
		r = point_region(combined, (size_t)index, new_dev, 0);
		/*
		 * The resume waited for every write through the mirror: if a
		 * leg failed since the last look, the new device may miss one,
		 * so the old device takes the region back.
		 */
		if (!r && !mirror_in_sync(mirror))
			return back_to_old(config_dir, combined, (size_t)index, record, mirror);
	}
	if (r)
		return r;
	stop_point("move-switched");
	free(region->source);
	free(region->identity);
	region->source = strdup(record->source);
	region->identity = strdup(record->identity);
	if (!region->source || !region->identity)
		return log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	region->loop = record->loop;
	region->size = record->size;
	region->offset = 0;
	/* The device runs the map's next generation: recorded before the save, as apply_change does. */
	if (active) {
		combined->generation++;
		generation_record(combined);
		combined->generation--;
	}
	r = store_save(config_dir, combined);
	if (!r)
		r = mirror_exists(combined, mirror, &exists);
	if (!r && exists)
		r = device_remove(mirror);
	if (!r)
		outcome_save(config_dir, combined->name, record, NULL);
	if (!r)
		r = store_delete_side(config_dir, combined->name, STORE_MOVE);
	if (r)
		return r;
	log_info("%s: volume %s moved to %s", combined->name, record->id, record->source);
	generation_warn_images(combined);
	return 0;
}

/*
 * A mover killed while the device was suspended (around the mirror's
 * making, see begin) leaves it so, maybe with a table loaded that points
 * at the mirror: that table is dropped and the device resumed on its live
 * one, the old device's.
 */
static int resume_interrupted(const char *name)
{
	bool live, loaded, suspended;
	int r;

	r = device_tables(name, &live, &loaded);
	if (!r && loaded)
		r = device_clear(name);
	if (!r)
		r = device_suspended(name, &suspended);
	if (!r && suspended) {
		log_verbose("%s: resuming the device an interrupted move left suspended", name);
		r = device_resume(name);
	}
	return r;
}

/*
 * A move nobody follows any more: see move.h. While switching, a live
 * mirror that is no longer in sync (a leg failed after the record was
 * written) is abandoned rather than finished; without a live device the
 * record decides, and assemble then finds the volume where the map says.
 */
static int settle(const char *config_dir, struct combined *combined, struct move_record *record)
{
	ssize_t index = combined_find(combined, record->id);
	char mirror[DM_NAME_MAX], *text = NULL;
	dev_t mirror_dev = 0, old_dev, new_dev = 0;
	struct mirror_sync sync;
	uint64_t old_offset;
	bool active, exists;
	int r;

	r = load_live(combined, &active);
	if (!r && active)
		r = resume_interrupted(combined->name);
	if (!r)
		r = mirror_name(combined->name, record->id, mirror);
	if (!r)
		r = mirror_exists(combined, mirror, &exists);
	if (r)
		return r;
	if (index < 0 || !record->switching)
		return abandon(config_dir, combined, active, record,
			       "its mover was interrupted before the switch");
	/* Saved already: only the cleanup was left. */
	if (!strcmp(combined->regions[index].identity, record->identity)) {
		r = exists ? device_remove(mirror) : 0;
		if (!r)
			outcome_save(config_dir, combined->name, record, NULL);
		if (!r)
			r = store_delete_side(config_dir, combined->name, STORE_MOVE);
		return r;
	}
	if (!active)
		return finish(config_dir, combined, active, record, 0);
	/* Not one of the tool's orders (the mirror goes after the save): keep the old device. */
	if (!exists)
		return abandon(config_dir, combined, active, record,
			       "its mirror vanished before the switch");
	r = device_devno(mirror, &mirror_dev);
	if (!r)
		r = device_target_params(mirror, MIRROR_TARGET, false, &text);
	if (!r && mirror_parse_legs(text, &old_dev, &old_offset, &new_dev))
		r = log_error(-EINVAL, mirror, "not a move's mirror: %s", text);
	free(text);
	text = NULL;
	if (!r && combined->regions[index].devno == mirror_dev) {
		r = device_target_params(mirror, MIRROR_TARGET, true, &text);
		if (!r && (mirror_parse_status(text, &sync) || !mirror_synced(&sync))) {
			free(text);
			return abandon(config_dir, combined, active, record,
				       "a leg failed while its mover was interrupted");
		}
		free(text);
	}
	return r ? r : finish(config_dir, combined, active, record, new_dev);
}

int move_settle(const char *config_dir, const char *name)
{
	struct move_record record;
	struct combined *combined;
	int lock, r;

	r = record_load(config_dir, name, &record);
	if (r)
		return r == -ENOENT ? 0 : r;
	lock = mover_lock(name);
	if (lock < 0)
		return lock;
	r = store_load(config_dir, name, &combined);
	if (!r) {
		r = settle(config_dir, combined, &record);
		combined_free(combined);
	}
	close(lock);
	return r;
}

int move_settle_or_refuse(const char *config_dir, const char *name)
{
	struct move_record record;
	int r = move_settle(config_dir, name);

	if (r == -EBUSY && !record_load(config_dir, name, &record))
		log_error(r, name, "volume %s is being moved (wait for it, or dmcombine move --abort %s %s)",
			  record.id, name, record.id);
	return r;
}

/* ---- the mover ---- */

struct move {
	const char *config_dir;
	struct combined *combined;	/* with live devices */
	struct move_record record;
	char mirror[DM_NAME_MAX];
	uint64_t sectors;		/* to copy: the volume's region */
	dev_t new_dev;
	int lock;			/* the mover's lock */
};

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

static uint64_t now_us(void)
{
	struct timeval now;

	gettimeofday(&now, NULL);
	return (uint64_t)now.tv_sec * 1000000 + (uint64_t)now.tv_usec;
}

/*
 * A path naming the volume's own device or image file, said as such
 * before the device is opened (it is held, so that would say "in use").
 */
static int check_not_own(const char *source, const struct region *region)
{
	dev_t file_dev;
	ino_t file_ino;
	struct stat st;

	if (source[0] != '/' || stat(source, &st))
		return 0;
	if (S_ISBLK(st.st_mode) && st.st_rdev == region->devno)
		return log_error(-EINVAL, source, "is volume %s's own device", region->id);
	if (S_ISREG(st.st_mode) && !loop_backing(region->devno, &file_dev, &file_ino) &&
	    st.st_dev == file_dev && st.st_ino == file_ino)
		return log_error(-EINVAL, source, "is volume %s's own image file", region->id);
	return 0;
}

/* The refusals that need the new device, with its path in every message. */
static int check_new_device(const char *config_dir, const struct combined *combined,
			    const struct region *region, const struct member *member)
{
	const char *what = member->spec.source;
	dev_t file_dev;
	ino_t file_ino;

	if (!member->is_file && member->devno == region->devno)
		return log_error(-EINVAL, what, "is volume %s's own device", region->id);
	if (member->is_file && !loop_backing(region->devno, &file_dev, &file_ino) &&
	    file_dev == member->file_dev && file_ino == member->file_ino)
		return log_error(-EINVAL, what, "is volume %s's own image file", region->id);
	if (member->block_size > combined->logical_block_size)
		return log_error(-EINVAL, what, "logical block size %u is larger than %s's (%u)",
				 member->block_size, combined->name, combined->logical_block_size);
	if (member->size / SECTOR_SIZE < region->length)
		return log_error(-ENOSPC, what, "%llu bytes, smaller than volume %s (%llu bytes)",
				 (unsigned long long)member->size, region->id,
				 (unsigned long long)(region->length * SECTOR_SIZE));
	return member_check_unused(config_dir, NULL, member, 1);
}

static int undo_record(struct move *move)
{
	return store_delete_side(move->config_dir, move->combined->name, STORE_MOVE);
}

/* Step 1 (under the lock): checks, record, mirror, the region on the mirror. */
static int begin(const struct options *options, const char *name, const char *id,
		 const char *source, struct move *move)
{
	struct member member = { .fd = -1, .loop_fd = -1 };
	struct move_record other;
	struct volume_spec spec;
	struct region *region;
	char uuid[256], *params;
	bool active, exists;
	ssize_t index;
	dev_t mirror_dev;
	int r;

	r = move_settle(options->config_dir, name);
	if ((!r || r == -EBUSY) && !record_load(options->config_dir, name, &other))
		return log_error(r, name, "volume %s is being moved already (one move at a time; dmcombine move --abort %s %s ends it)",
				 other.id, name, other.id);
	if (!r)
		r = store_load(options->config_dir, name, &move->combined);
	if (r)
		return r;
	r = load_live(move->combined, &active);
	if (!r && !active)
		r = log_error(-ENXIO, name, "not active (run dmcombine assemble %s)", name);
	index = r ? -1 : combined_find(move->combined, id);
	if (!r && index < 0)
		r = log_error(-ENOENT, id, "%s has no such volume (holes have nothing to move)", name);
	if (r)
		return r;
	region = &move->combined->regions[index];
	r = mirror_name(name, id, move->mirror);
	if (!r)
		r = mirror_exists(move->combined, move->mirror, &exists);
	if (!r && exists)
		r = log_error(-EEXIST, move->mirror, "a mirror of an earlier move is left: dmcombine assemble %s removes it",
			      name);
	if (!r)
		r = check_not_own(source, region);
	if (!r)
		r = volume_spec_parse(source, &spec);
	if (!r && spec.id[0])
		r = log_error(-EINVAL, source, "NEWSOURCE takes no ID: the volume keeps %s", id);
	if (!r)
		r = member_resolve(&spec, &member);
	if (!r)
		r = check_new_device(options->config_dir, move->combined, region, &member);
	if (!r) {
		r = mover_lock(name);
		move->lock = r;
		r = r < 0 ? r : 0;
	}
	if (!r)
		r = member_attach(&member);
	if (r) {
		member_release(&member);
		return r;
	}
	snprintf(move->record.id, sizeof(move->record.id), "%s", id);
	snprintf(move->record.source, sizeof(move->record.source), "%s", source);
	snprintf(move->record.identity, sizeof(move->record.identity), "%s", member.identity);
	move->record.loop = member.is_file;
	move->record.size = member.size / SECTOR_SIZE;
	move->record.started = now_us();
	move->sectors = region->length;
	move->new_dev = member.devno;
	/*
	 * The record first: a kill after it leaves at most a mirror and a
	 * region pointed at it, which the next command (or assemble) ends
	 * with the old device; before it, nothing (the loop device clears
	 * itself as this process's descriptors close).
	 */
	r = record_save(options->config_dir, name, &move->record);
	/*
	 * The mirror starts copying as soon as it is made: no write may
	 * reach the old device past it from then on, or a region copied
	 * before the write would miss it on the new device. So the combined
	 * device is suspended (writes in flight complete, new ones wait)
	 * from before the mirror is made until its region points at it, as
	 * lvm2 suspends an LV around pvmove's mirror.
	 */
	if (!r) {
		stop_point("move-recorded");
		r = device_suspend(name);
		if (r)
			undo_record(move);
	}
	if (!r) {
		stop_point("move-suspended");
		snprintf(uuid, sizeof(uuid), MOVE_UUID_PREFIX "%s", move->combined->uuid);
		params = mirror_params(mirror_region_sectors(region->length), region->devno,
				       region->offset, member.devno);
		r = params ? device_create_layer(move->mirror, uuid, region->length, MIRROR_TARGET, params) :
			     log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
		free(params);
		if (!r)
			r = device_devno(move->mirror, &mirror_dev);
		/* Resumes the device, pointed at the mirror. */
		if (!r)
			r = point_region(move->combined, (size_t)index, mirror_dev, 0);
		if (r) {
			/* The old table is live (device_reload clears a refused one). */
			device_resume(name);
			device_remove(move->mirror);
			undo_record(move);
		}
	}
	member_release(&member);
	if (r)
		return r;
	log_info("%s: moving volume %s (%llu MiB) to %s", name, id,
		 (unsigned long long)(move->sectors >> 11), source);
	return 0;
}

/* "1:02:03" or "2:03". */
static void print_duration(char *text, size_t size, uint64_t seconds)
{
	if (seconds >= 3600)
		snprintf(text, size, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, seconds / 3600,
			 seconds / 60 % 60, seconds % 60);
	else
		snprintf(text, size, "%" PRIu64 ":%02" PRIu64, seconds / 60, seconds % 60);
}

static void show_progress(const struct move *move, uint64_t copied, uint64_t start_us)
{
	double seconds = (double)(now_us() - start_us) / 1e6;
	double rate = seconds > 0 ? (double)copied * SECTOR_SIZE / seconds : 0;
	char left[32] = "-";

	if (rate > 0)
		print_duration(left, sizeof(left),
			       (uint64_t)((double)(move->sectors - copied) * SECTOR_SIZE / rate));
	fprintf(stderr, "\r%s: moving %s: %5.1f %% %8.1f MiB/s %9s left ", move->combined->name,
		move->record.id, 100.0 * (double)copied / (double)move->sectors,
		rate / (1 << 20), left);
	fflush(stderr);
}

/*
 * Step 2 (no lock): the kernel copies; follows the mirror's status until
 * it is in sync (0), a leg fails or the mover is interrupted (the reason
 * in *why), or the mirror is gone (-ECANCELED: someone ended the move).
 */
static int follow(struct move *move, bool progress, const char **why)
{
	struct timespec poll = { 0, POLL_MS * 1000000L };
	uint64_t start = now_us(), copied, shown = 0;
	struct mirror_sync sync;
	char *status;
	bool first = true, exists;
	int r;

	*why = NULL;
	for (;;) {
		/* Gone: move --abort ended the move. */
		r = mirror_exists(move->combined, move->mirror, &exists);
		if (!r && !exists)
			r = -ECANCELED;
		if (!r)
			r = device_target_params(move->mirror, MIRROR_TARGET, true, &status);
		if (r)
			return r;
		r = mirror_parse_status(status, &sync);
		free(status);
		if (r)
			return log_error(r, move->mirror, "unexpected mirror status");
		if (first)
			stop_point("move-copying");
		first = false;
		copied = sync.regions ? move->sectors * sync.in_sync / sync.regions : 0;
		if (progress && (now_us() - shown >= 1000000 || mirror_synced(&sync))) {
			show_progress(move, copied, start);
			shown = now_us();
		}
		if (sync.new_health != 'A')
			*why = "the new device failed";
		else if (sync.old_health != 'A')
			*why = "the old device failed";
		else if (interrupted)
			*why = "interrupted";
		if (*why || mirror_synced(&sync))
			break;
		nanosleep(&poll, NULL);
	}
	if (progress)
		fputc('\n', stderr);
	return 0;
}

/* Step 3 (under the lock again): the switch, or back to the old device. */
static int end(const struct options *options, struct move *move, const char *why)
{
	struct move_record now;
	struct combined *combined;
	bool active;
	int r;

	/* What the map and the device are now: commands ran meanwhile. */
	r = record_load(options->config_dir, move->combined->name, &now);
	if (r == -ENOENT || (!r && now.started != move->record.started))
		return log_error(-ECANCELED, move->combined->name, "the move of volume %s was ended by another command (dmcombine status %s)",
				 move->record.id, move->combined->name);
	if (!r)
		r = store_load(options->config_dir, move->combined->name, &combined);
	if (r)
		return r;
	r = load_live(combined, &active);
	/* Commands ran since follow looked: look again before the switch. */
	if (!r && !why && !mirror_in_sync(move->mirror))
		why = "a device failed before the switch";
	if (!r && !why)
		stop_point("move-synced");
	if (!r && why)
		r = abandon(options->config_dir, combined, active, &move->record, why);
	else if (!r)
		r = finish(options->config_dir, combined, active, &move->record, move->new_dev);
	if (!r && why)
		r = -ECANCELED;
	combined_free(combined);
	return r;
}

static int move_abort(const struct options *options, const char *name, const char *id)
{
	struct move_record record;
	struct combined *combined;
	bool active;
	int r;

	r = record_load(options->config_dir, name, &record);
	if (r == -ENOENT || (!r && strcmp(record.id, id)))
		return log_error(-ENOENT, id, "%s has no move of this volume in progress", name);
	if (!r)
		r = store_load(options->config_dir, name, &combined);
	if (r)
		return r;
	r = load_live(combined, &active);
	if (!r && record.switching)
		r = log_error(-EBUSY, name, "volume %s is switching to %s already: too late to abort",
			      id, record.source);
	if (!r)
		r = abandon(options->config_dir, combined, active, &record, "aborted by move --abort");
	combined_free(combined);
	return r;
}

/* --background: the parent returns; the child follows, with no terminal. */
static int detach(const struct options *options, const struct move *move)
{
	pid_t pid = fork();
	int null;

	if (pid < 0)
		return log_error(-errno, move->combined->name, "cannot fork: %s", strerror(errno));
	if (pid > 0) {
		log_info("%s: the move goes on in the background (dmcombine status %s shows it)",
			 move->combined->name, move->combined->name);
		_exit(move_report(options, move->combined->name, move->record.id, MOVE_BACKGROUND,
				  move->record.source) ? EXIT_FAILURE : EXIT_SUCCESS);
	}
	setsid();
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	return 0;
}

int command_move(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	struct sigaction action = { .sa_handler = on_interrupt };
	struct move move = { .config_dir = options->config_dir, .lock = -1 };
	const char *name = invocation->argv[0], *id = invocation->argv[1], *why;
	unsigned int wait = options->wait >= 0 ? (unsigned int)options->wait : LOCK_WAIT_DEFAULT;
	int lock, r;

	lock = lock_take(LOCK_DIR, LOCK_EX, wait);
	if (lock < 0)
		return lock;
	r = journal_settle(options->config_dir);
	if (!r && options->abort)
		r = move_abort(options, name, id);
	else if (!r)
		r = begin(options, name, id, invocation->argv[2], &move);
	lock_release(lock);
	if (!r && options->abort)
		r = move_report(options, name, id, MOVE_ABORTED, NULL);
	if (r || options->abort) {
		if (move.lock >= 0)
			close(move.lock);
		combined_free(move.combined);
		return r;
	}
	/* Ctrl-C or a stop ends the move cleanly: back to the old device. */
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGHUP, &action, NULL);
	why = NULL;
	r = options->background ? detach(options, &move) : 0;
	if (!r)
		r = follow(&move, !options->background && isatty(STDERR_FILENO), &why);
	if (r && r != -ECANCELED)
		why = "its mirror's status could not be read";
	lock = lock_take(LOCK_DIR, LOCK_EX, LOCK_WAIT_MAX);
	r = lock < 0 ? lock : end(options, &move, why);
	if (lock >= 0)
		lock_release(lock);
	close(move.lock);
	/* The background mover's stdout is /dev/null: the parent reported. */
	if (!r && !options->background)
		r = move_report(options, name, id, MOVE_MOVED, NULL);
	combined_free(move.combined);
	return r;
}

/* ---- status ---- */

/* The move in progress: state and how much is copied (fields for text and JSON). */
struct move_view {
	bool present, mover_alive, mirror_live;
	struct move_record record;
	uint64_t copied, sectors;
	char health[3];
};

static void view_move(const char *config_dir, const struct combined *combined,
		      struct move_view *view)
{
	ssize_t index;
	struct mirror_sync sync;
	char mirror[DM_NAME_MAX], *status = NULL;
	bool exists;
	int lock;

	memset(view, 0, sizeof(*view));
	if (record_load(config_dir, combined->name, &view->record))
		return;
	view->present = true;
	index = combined_find(combined, view->record.id);
	view->sectors = index >= 0 ? combined->regions[index].length : 0;
	lock = mover_lock(combined->name);
	view->mover_alive = lock == -EBUSY;
	if (lock >= 0)
		close(lock);
	if (mirror_name(combined->name, view->record.id, mirror) ||
	    mirror_exists(combined, mirror, &exists) || !exists ||
	    device_target_params(mirror, MIRROR_TARGET, true, &status) ||
	    mirror_parse_status(status, &sync)) {
		free(status);
		return;
	}
	free(status);
	view->mirror_live = true;
	view->copied = sync.regions ? view->sectors * sync.in_sync / sync.regions : 0;
	view->health[0] = sync.old_health;
	view->health[1] = sync.new_health;
}

static const char *view_state(const struct move_view *view)
{
	if (!view->mover_alive)
		return "interrupted";
	return view->record.switching ? STATE_SWITCHING : STATE_COPYING;
}

/* The outcome of the last move, once: deleted as it is read. */
static json_object *take_outcome(const char *config_dir, const char *name)
{
	json_object *json;
	char *text;

	if (store_load_side(config_dir, name, STORE_MOVED, &text))
		return NULL;
	json = json_tokener_parse(text);
	free(text);
	store_delete_side(config_dir, name, STORE_MOVED);
	return json;
}

static const char *outcome_string(json_object *outcome, const char *key)
{
	json_object *value;

	if (!json_object_object_get_ex(outcome, key, &value) ||
	    !json_object_is_type(value, json_type_string))
		return "";
	return json_object_get_string(value);
}

void move_status_text(FILE *out, const char *config_dir, const struct combined *combined)
{
	struct move_view view;
	json_object *outcome;
	char to[256];

	view_move(config_dir, combined, &view);
	if (view.present) {
		log_escape(to, sizeof(to), view.record.source);
		fprintf(out, "move: volume %s to %s: %s", view.record.id, to, view_state(&view));
		if (view.mirror_live)
			fprintf(out, ", %.1f %% (%" PRIu64 " of %" PRIu64 " MiB), legs %s",
				view.sectors ? 100.0 * (double)view.copied / (double)view.sectors : 0.0,
				view.copied >> 11, view.sectors >> 11, view.health);
		if (!view.mover_alive)
			fprintf(out, " (dmcombine assemble %s ends it)", combined->name);
		fputc('\n', out);
	}
	outcome = take_outcome(config_dir, combined->name);
	if (outcome) {
		log_escape(to, sizeof(to), outcome_string(outcome, "to"));
		fprintf(out, "move: volume %s to %s: %s%s%s\n", outcome_string(outcome, "id"), to,
			outcome_string(outcome, "result"),
			*outcome_string(outcome, "reason") ? ": " : "",
			outcome_string(outcome, "reason"));
		json_object_put(outcome);
	}
}

json_object *move_status_json(const char *config_dir, const struct combined *combined)
{
	json_object *json = json_object_new_object(), *move = NULL, *outcome;
	struct move_view view;

	view_move(config_dir, combined, &view);
	if (view.present) {
		move = json_object_new_object();
		json_object_object_add(move, "id", json_object_new_string(view.record.id));
		json_object_object_add(move, "to", json_object_new_string(view.record.source));
		json_object_object_add(move, "state", json_object_new_string(view_state(&view)));
		json_object_object_add(move, "bytes", json_object_new_uint64(view.sectors * SECTOR_SIZE));
		json_object_object_add(move, "copied_bytes",
				       json_object_new_uint64(view.copied * SECTOR_SIZE));
		json_object_object_add(move, "legs", view.mirror_live ?
				       json_object_new_string(view.health) : NULL);
	}
	json_object_object_add(json, "in_progress", move);
	outcome = take_outcome(config_dir, combined->name);
	json_object_object_add(json, "ended", outcome);
	return json;
}
