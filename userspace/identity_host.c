// SPDX-License-Identifier: GPL-2.0-only
/*
 * Identities against the host's block devices: chosen from what the host
 * assigns, resolved to every device they name, and compared by device
 * across every saved map and every live combined device.
 *
 * The links, dm devices and (for old registries' tags) probed contents
 * are read once per invocation: the tool is one short command, and a
 * host with thousands of LUNs must not be rescanned per volume.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dm-combine.h"
#include "dm.h"
#include "identity.h"
#include "log.h"
#include "loop.h"
#include "probe.h"
#include "store.h"
#include "sysfs.h"
#include "table.h"

#define DM_UUID_SIZE 130
#define DM_NAME_SIZE 130
#define UDEV_DATA_DIR "/run/udev/data"

struct host_link {
	char *path;			/* /dev/disk/by-id/... or /dev/disk/by-path/... */
	dev_t devno;
	enum identity_kind kind;
};

struct dm_device {
	dev_t devno;
	char name[DM_NAME_SIZE];
	char uuid[DM_UUID_SIZE];
	char kernel_name[NAME_MAX + 1];	/* dm-N, for its slaves */
};

struct probed_device {
	dev_t devno;
	struct probe_result probe;
};

/* The snapshot: each part read on first use. */
static struct {
	bool links_read, dms_read, probed_read;
	struct host_link *links;
	size_t nr_links;
	struct dm_device *dms;
	size_t nr_dms;
	struct probed_device *probed;
	size_t nr_probed;
} host;

static void sysfs_dir(dev_t devno, const char *attr, char *path, size_t size)
{
	snprintf(path, size, "/sys/dev/block/%u:%u%s%s", major(devno), minor(devno),
		 attr[0] ? "/" : "", attr);
}

/* A sysfs "M:m" dev file. */
static bool read_devno(const char *path, dev_t *devno)
{
	unsigned int major_nr, minor_nr;
	char text[32];

	if (!sysfs_read_line(path, text, sizeof(text)) ||
	    sscanf(text, "%u:%u", &major_nr, &minor_nr) != 2)
		return false;
	*devno = makedev(major_nr, minor_nr);
	return true;
}

static bool is_partition(dev_t devno)
{
	char path[PATH_MAX];

	sysfs_dir(devno, "partition", path, sizeof(path));
	return !access(path, F_OK);
}

/* ---- the snapshot ---- */

static void read_links(const char *dir, bool by_id)
{
	struct host_link *grown;
	struct dirent *entry;
	char path[PATH_MAX];
	struct stat st;
	DIR *links = opendir(dir);

	while (links && (entry = readdir(links))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
		if (stat(path, &st) || !S_ISBLK(st.st_mode))
			continue;
		grown = realloc(host.links, (host.nr_links + 1) * sizeof(*grown));
		if (!grown)
			break;
		host.links = grown;
		grown[host.nr_links].path = strdup(path);
		if (!grown[host.nr_links].path)
			break;
		grown[host.nr_links].devno = st.st_rdev;
		grown[host.nr_links].kind = by_id ? identity_link_kind(entry->d_name) : IDENTITY_BY_PATH;
		host.nr_links++;
	}
	if (links)
		closedir(links);
}

static void read_all_links(void)
{
	if (host.links_read)
		return;
	host.links_read = true;
	read_links(BY_ID_DIR, true);
	read_links(BY_PATH_DIR, false);
}

static void read_dms(void)
{
	struct dm_device *grown, dm;
	struct dirent *entry;
	char path[PATH_MAX];
	DIR *block;

	if (host.dms_read)
		return;
	host.dms_read = true;
	block = opendir("/sys/block");
	while (block && (entry = readdir(block))) {
		if (strncmp(entry->d_name, "dm-", 3))
			continue;
		memset(&dm, 0, sizeof(dm));
		snprintf(dm.kernel_name, sizeof(dm.kernel_name), "%s", entry->d_name);
		snprintf(path, sizeof(path), "/sys/block/%s/dev", entry->d_name);
		if (!read_devno(path, &dm.devno))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/dm/uuid", entry->d_name);
		sysfs_read_line(path, dm.uuid, sizeof(dm.uuid));
		snprintf(path, sizeof(path), "/sys/block/%s/dm/name", entry->d_name);
		sysfs_read_line(path, dm.name, sizeof(dm.name));
		grown = realloc(host.dms, (host.nr_dms + 1) * sizeof(*grown));
		if (!grown)
			break;
		host.dms = grown;
		host.dms[host.nr_dms++] = dm;
	}
	if (block)
		closedir(block);
}

/*
 * Probes the block device devno through its /dev node, checked to be
 * that device; false when it cannot be opened or read.
 */
static bool probe_device(dev_t devno, struct probe_result *probe)
{
	char path[PATH_MAX];
	struct stat st;
	bool ok;
	int fd;

	if (sysfs_device_path(devno, path, sizeof(path)))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return false;
	ok = !fstat(fd, &st) && S_ISBLK(st.st_mode) && st.st_rdev == devno &&
	     !probe_volume(fd, probe);
	close(fd);
	return ok;
}

/*
 * What every block device holds, for old registries' tags: devices of
 * size 0, multipath paths (their map holds the same) and devices on a
 * combined device (its partitions show its volumes' contents) left out.
 */
static void read_probed(void)
{
	struct probed_device *grown;
	char path[PATH_MAX], name[NAME_MAX + 1], size[32];
	struct dirent *entry;
	dev_t devno;
	DIR *block;

	if (host.probed_read)
		return;
	host.probed_read = true;
	block = opendir("/sys/class/block");
	while (block && (entry = readdir(block))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s/size", entry->d_name);
		if (!sysfs_read_line(path, size, sizeof(size)) || !strcmp(size, "0"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/block/%s/dev", entry->d_name);
		if (!read_devno(path, &devno) || identity_multipath_path(devno, name, sizeof(name)) ||
		    sysfs_on_combined(devno, name, sizeof(name)))
			continue;
		grown = realloc(host.probed, (host.nr_probed + 1) * sizeof(*grown));
		if (!grown)
			break;
		host.probed = grown;
		grown[host.nr_probed].devno = devno;
		if (probe_device(devno, &grown[host.nr_probed].probe))
			host.nr_probed++;
	}
	if (block)
		closedir(block);
}

/* ---- choosing ---- */

enum identity_kind identity_choose(dev_t devno, int fd, char *identity, size_t size)
{
	const struct host_link *best = NULL;
	char path[PATH_MAX], text[DM_UUID_SIZE];
	struct probe_result probe;
	size_t i;

	sysfs_dir(devno, "dm/uuid", path, sizeof(path));
	if (sysfs_read_line(path, text, sizeof(text)) && text[0]) {
		snprintf(identity, size, IDENTITY_DM_UUID_TAG "%s", text);
		return IDENTITY_DM_UUID;
	}
	read_all_links();
	for (i = 0; i < host.nr_links; i++) {
		const struct host_link *link = &host.links[i];

		if (link->devno == devno && link->kind <= IDENTITY_SERIAL &&
		    (!best || identity_link_better(link->kind, link->path, best->kind, best->path)))
			best = link;
	}
	if (best) {
		snprintf(identity, size, "%s", best->path);
		return best->kind;
	}
	/* The entry in the host's table of the disk, not anything inside the volume. */
	if (is_partition(devno) && !probe_volume(fd, &probe) && probe.partuuid[0]) {
		snprintf(identity, size, IDENTITY_PARTUUID_TAG "%s", probe.partuuid);
		return IDENTITY_PARTUUID;
	}
	for (i = 0; i < host.nr_links; i++)
		if (host.links[i].devno == devno && host.links[i].kind == IDENTITY_BY_PATH &&
		    (!best || identity_link_better(IDENTITY_BY_PATH, host.links[i].path,
						   IDENTITY_BY_PATH, best->path)))
			best = &host.links[i];
	if (best) {
		snprintf(identity, size, "%s", best->path);
		return IDENTITY_BY_PATH;
	}
	sysfs_dir(devno, "dm/name", path, sizeof(path));
	if (sysfs_read_line(path, text, sizeof(text)) && text[0])
		snprintf(identity, size, "/dev/mapper/%s", text);
	else if (sysfs_device_path(devno, identity, size))
		snprintf(identity, size, "/dev/block/%u:%u", major(devno), minor(devno));
	return IDENTITY_KERNEL_NAME;
}

/* ---- resolving ---- */

/* The value of tag word in probe, NULL for an unknown word. */
static const char *probed_value(const struct probe_result *probe, const char *tag)
{
	if (!strncmp(tag, "UUID=", 5))
		return probe->uuid;
	if (!strncmp(tag, "LABEL=", 6))
		return probe->label;
	if (!strncmp(tag, IDENTITY_PARTUUID_TAG, strlen(IDENTITY_PARTUUID_TAG)))
		return probe->partuuid;
	if (!strncmp(tag, "PARTLABEL=", 10))
		return probe->partlabel;
	return NULL;
}

static bool tag_matches(const char *tag, const struct probe_result *probe)
{
	const char *value = probed_value(probe, tag);

	return value && value[0] && !strcmp(value, strchr(tag, '=') + 1);
}

/* Counts a device found, kept while there is room. */
static void note_device(dev_t devno, dev_t *devnos, size_t max, size_t *count)
{
	if (*count < max)
		devnos[*count] = devno;
	(*count)++;
}

int identity_resolve(const char *identity, dev_t *devnos, size_t max, size_t *count)
{
	struct stat st;
	size_t i;

	*count = 0;
	if (!strncmp(identity, IDENTITY_DM_UUID_TAG, strlen(IDENTITY_DM_UUID_TAG))) {
		read_dms();
		for (i = 0; i < host.nr_dms; i++)
			if (!strcmp(host.dms[i].uuid, identity + strlen(IDENTITY_DM_UUID_TAG)))
				note_device(host.dms[i].devno, devnos, max, count);
	} else if (identity[0] != '/') {
		read_probed();
		for (i = 0; i < host.nr_probed; i++)
			if (tag_matches(identity, &host.probed[i].probe))
				note_device(host.probed[i].devno, devnos, max, count);
	} else if (identity_content_link(identity)) {
		read_probed();
		for (i = 0; i < host.nr_probed; i++)
			if (identity_names_content(identity, &host.probed[i].probe))
				note_device(host.probed[i].devno, devnos, max, count);
	}
	/* The link itself when nothing readable carries its header. */
	if (!*count && identity[0] == '/' && !stat(identity, &st) && S_ISBLK(st.st_mode)) {
		/* A multipath path named by its path is refused as a member, with the reason. */
		note_device(st.st_rdev, devnos, max, count);
	}
	return 0;
}

bool identity_names_device(const char *identity, dev_t devno, char *const *links,
			   size_t nr_links)
{
	char path[PATH_MAX], text[DM_UUID_SIZE];
	struct probe_result probe;
	struct stat st;
	size_t i;

	if (identity_multipath_path(devno, text, sizeof(text)))
		return false;
	if (!strncmp(identity, IDENTITY_DM_UUID_TAG, strlen(IDENTITY_DM_UUID_TAG))) {
		sysfs_dir(devno, "dm/uuid", path, sizeof(path));
		return sysfs_read_line(path, text, sizeof(text)) &&
		       !strcmp(text, identity + strlen(IDENTITY_DM_UUID_TAG));
	}
	if (identity[0] != '/')
		return probe_device(devno, &probe) && tag_matches(identity, &probe);
	if (identity_content_link(identity))
		return probe_device(devno, &probe) && identity_names_content(identity, &probe);
	for (i = 0; i < nr_links; i++)
		if (!strcmp(identity, links[i]))
			return true;
	return !stat(identity, &st) && S_ISBLK(st.st_mode) && st.st_rdev == devno;
}

/* Whether udev's database marks devno a multipath path. */
static bool udev_marks_path(dev_t devno)
{
	char path[PATH_MAX], line[256];
	bool marked = false;
	FILE *data;

	snprintf(path, sizeof(path), UDEV_DATA_DIR "/b%u:%u", major(devno), minor(devno));
	data = fopen(path, "re");
	while (data && !marked && fgets(line, sizeof(line), data))
		marked = !strcmp(line, "E:DM_MULTIPATH_DEVICE_PATH=1\n");
	if (data)
		fclose(data);
	return marked;
}

/* Whether an "mpath-" dm device holds devno. */
static bool held_by_multipath(dev_t devno, char *map, size_t size)
{
	char path[PATH_MAX], uuid[DM_UUID_SIZE];
	struct dirent *entry;
	bool held = false;
	DIR *holders;

	sysfs_dir(devno, "holders", path, sizeof(path));
	holders = opendir(path);
	while (holders && !held && (entry = readdir(holders))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/dm/uuid", entry->d_name);
		if (sysfs_read_line(path, uuid, sizeof(uuid)) && !strncmp(uuid, "mpath-", 6)) {
			snprintf(path, sizeof(path), "/sys/block/%s/dm/name", entry->d_name);
			if (!sysfs_read_line(path, map, size))
				snprintf(map, size, "%s", entry->d_name);
			held = true;
		}
	}
	if (holders)
		closedir(holders);
	return held;
}

bool identity_partition_disk(dev_t devno, dev_t *disk)
{
	char path[PATH_MAX];

	sysfs_dir(devno, "../dev", path, sizeof(path));
	return is_partition(devno) && read_devno(path, disk);
}

bool identity_multipath_path(dev_t devno, char *map, size_t size)
{
	dev_t disk;

	map[0] = '\0';
	if (held_by_multipath(devno, map, size) || udev_marks_path(devno))
		return true;
	/* A partition of a path device is a path's too. */
	return identity_partition_disk(devno, &disk) &&
	       (held_by_multipath(disk, map, size) || udev_marks_path(disk));
}

/* ---- one device, one place ---- */

/* A device as compared: its number, and for a loop or a file the file behind it. */
struct claim {
	dev_t devno;			/* 0 for a file */
	bool has_file;
	dev_t file_dev;
	ino_t file_ino;
};

static struct claim claim_of_device(dev_t devno)
{
	struct claim claim = { .devno = devno };

	claim.has_file = !loop_backing(devno, &claim.file_dev, &claim.file_ino);
	return claim;
}

static struct claim claim_of_volume(const struct volume_device *volume)
{
	struct claim claim = { 0 };

	if (!volume->is_file)
		return claim_of_device(volume->devno);
	claim.has_file = true;
	claim.file_dev = volume->file_dev;
	claim.file_ino = volume->file_ino;
	return claim;
}

static bool claims_meet(const struct claim *a, const struct claim *b)
{
	return (a->devno && a->devno == b->devno) ||
	       (a->has_file && b->has_file && a->file_dev == b->file_dev &&
		a->file_ino == b->file_ino);
}

/* The claims of the volumes being placed. */
struct placing {
	const struct claim *claims;
	const char *const *whats;
	size_t count;
};

/* Refuses a volume being placed that meets claim, which owner describes. */
static int check_claim(const struct placing *placing, const struct claim *claim,
		       const char *owner)
{
	size_t i;

	for (i = 0; i < placing->count; i++)
		if (claims_meet(&placing->claims[i], claim))
			return log_error(-EBUSY, placing->whats[i], "the same %s as %s",
					 claim->devno ? "device" : "file", owner);
	return 0;
}

static const struct dm_device *live_combined(const char *uuid)
{
	char dm_uuid[DM_UUID_SIZE];
	size_t i;

	snprintf(dm_uuid, sizeof(dm_uuid), DM_COMBINE_UUID_PREFIX "%s", uuid);
	read_dms();
	for (i = 0; i < host.nr_dms; i++)
		if (!strcmp(host.dms[i].uuid, dm_uuid))
			return &host.dms[i];
	return NULL;
}

int identity_live_devices(const char *dm_name, const struct combined *combined, dev_t *devnos)
{
	char *params;
	int r;

	r = device_params(dm_name, false, &params);
	if (r)
		return r;
	r = table_parse_devices(params, combined, devnos);
	if (r == -EINVAL)
		log_error(r, combined->name, "the live table is not the saved map (an interrupted change, or made outside dmcombine): dmcombine remove %s and assemble %s load the map",
			  combined->name, combined->name);
	free(params);
	return r;
}

/* The devices a live combined device holds, as the kernel lists them. */
static int check_slaves(const struct placing *placing, const struct dm_device *dm,
			const char *owner)
{
	char path[PATH_MAX];
	struct dirent *entry;
	struct claim claim;
	DIR *slaves;
	dev_t devno;
	int r = 0;

	snprintf(path, sizeof(path), "/sys/block/%s/slaves", dm->kernel_name);
	slaves = opendir(path);
	while (slaves && !r && (entry = readdir(slaves))) {
		snprintf(path, sizeof(path), "/sys/block/%s/slaves/%s/dev", dm->kernel_name,
			 entry->d_name);
		if (entry->d_name[0] == '.' || !read_devno(path, &devno))
			continue;
		claim = claim_of_device(devno);
		r = check_claim(placing, &claim, owner);
	}
	if (slaves)
		closedir(slaves);
	return r;
}

/* An active map: its volumes as its live table has them. */
static int check_active_map(const struct placing *placing, const struct combined *combined,
			    const struct dm_device *dm)
{
	dev_t *devnos = calloc(combined->nr_regions + 1, sizeof(*devnos));
	char owner[PATH_MAX], *params = NULL;
	struct claim claim;
	size_t i;
	int r;

	r = devnos ? device_params(dm->name, false, &params) :
		     log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	if (!r)
		r = table_parse_devices(params, combined, devnos);
	free(params);
	/*
	 * A live table that is not its saved map (a device still running an
	 * older generation, an interrupted change) is not this command's to
	 * judge: what it holds is what the kernel lists.
	 */
	if (r == -EINVAL) {
		free(devnos);
		snprintf(owner, sizeof(owner), "a volume of the live combined device %s", dm->name);
		return check_slaves(placing, dm, owner);
	}
	for (i = 0; !r && i < combined->nr_regions; i++) {
		/* A missing volume (a hole in the table) claims nothing. */
		if (combined->regions[i].hole || !devnos[i])
			continue;
		claim = claim_of_device(devnos[i]);
		snprintf(owner, sizeof(owner), "volume %s of %s (%s)", combined->regions[i].id,
			 combined->name, combined->regions[i].identity);
		r = check_claim(placing, &claim, owner);
	}
	free(devnos);
	return r;
}

/* An inactive map: every device or file its identities name now. */
static int check_saved_map(const struct placing *placing, const struct combined *combined)
{
	char owner[PATH_MAX];
	dev_t devnos[8];
	size_t i, j, count;
	struct claim claim;
	struct stat st;
	int r = 0;

	for (i = 0; !r && i < combined->nr_regions; i++) {
		const struct region *region = &combined->regions[i];

		if (region->hole)
			continue;
		snprintf(owner, sizeof(owner), "volume %s of %s (%s)", region->id, combined->name,
			 region->identity);
		if (region->loop) {
			if (stat(region->identity, &st) || !S_ISREG(st.st_mode))
				continue;
			memset(&claim, 0, sizeof(claim));
			claim.has_file = true;
			claim.file_dev = st.st_dev;
			claim.file_ino = st.st_ino;
			r = check_claim(placing, &claim, owner);
			continue;
		}
		r = identity_resolve(region->identity, devnos, sizeof(devnos) / sizeof(devnos[0]),
				     &count);
		for (j = 0; !r && j < count && j < sizeof(devnos) / sizeof(devnos[0]); j++) {
			claim = claim_of_device(devnos[j]);
			r = check_claim(placing, &claim, owner);
		}
	}
	return r;
}

/* Whether uuid (of a live combined device) is one of the saved maps'. */
static bool uuid_saved(const char *dm_uuid, char *const *uuids, size_t count)
{
	while (count--)
		if (uuids[count] && !strcmp(dm_uuid + strlen(DM_COMBINE_UUID_PREFIX), uuids[count]))
			return true;
	return false;
}

static int check_maps(const char *config_dir, const char *own_name, const struct placing *placing)
{
	char **names, **uuids = NULL, owner[PATH_MAX];
	struct combined *combined;
	size_t n, i, nr_names;
	int r;

	r = store_list(config_dir, &names, &nr_names);
	if (r)
		return r;
	uuids = calloc(nr_names + 1, sizeof(*uuids));
	if (!uuids)
		r = log_error(-ENOMEM, "maps", "%s", strerror(ENOMEM));
	for (n = 0; !r && n < nr_names; n++) {
		const struct dm_device *dm;

		r = store_load(config_dir, names[n], &combined);
		/* Assembling (at boot): a map that cannot be read must not keep this one down. */
		if (r && own_name) {
			r = 0;
			continue;
		}
		if (r)
			break;
		uuids[n] = strdup(combined->uuid);
		dm = live_combined(combined->uuid);
		if (!uuids[n])
			r = log_error(-ENOMEM, "maps", "%s", strerror(ENOMEM));
		else if (own_name && !strcmp(names[n], own_name))
			r = 0;
		else if (dm)
			r = check_active_map(placing, combined, dm);
		else
			r = check_saved_map(placing, combined);
		combined_free(combined);
	}
	for (i = 0; !r && i < host.nr_dms; i++) {
		if (strncmp(host.dms[i].uuid, DM_COMBINE_UUID_PREFIX, strlen(DM_COMBINE_UUID_PREFIX)) ||
		    uuid_saved(host.dms[i].uuid, uuids, nr_names))
			continue;
		snprintf(owner, sizeof(owner), "a volume of the live combined device %s, which has no saved map",
			 host.dms[i].name);
		r = check_slaves(placing, &host.dms[i], owner);
	}
	for (n = 0; uuids && n < nr_names; n++)
		free(uuids[n]);
	free(uuids);
	store_list_free(names, nr_names);
	return r;
}

int identity_check_unused(const char *config_dir, const char *own_name,
			  const struct volume_device *volumes, const char *const *whats,
			  size_t count)
{
	struct placing placing = { .whats = whats, .count = count };
	struct claim *claims = calloc(count + 1, sizeof(*claims));
	size_t i;
	int r;

	if (!claims)
		return log_error(-ENOMEM, "volumes", "%s", strerror(ENOMEM));
	for (i = 0; i < count; i++)
		claims[i] = claim_of_volume(&volumes[i]);
	placing.claims = claims;
	read_dms();
	r = check_maps(config_dir, own_name, &placing);
	free(claims);
	return r;
}
