// SPDX-License-Identifier: GPL-2.0-only
/* Finding, identifying and checking one volume. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "member.h"
#include "probe.h"
#include "sysfs.h"

#define BY_ID_DIR "/dev/disk/by-id"

/* The first /dev/disk/by-id link (sorted) to devno, if udev made any. */
static bool by_id_path(dev_t devno, char *path, size_t size)
{
	struct dirent **entries;
	char candidate[PATH_MAX];
	bool found = false;
	struct stat st;
	int count, i;

	count = scandir(BY_ID_DIR, &entries, NULL, alphasort);
	if (count < 0)
		return false;
	for (i = 0; i < count; i++) {
		snprintf(candidate, sizeof(candidate), BY_ID_DIR "/%s", entries[i]->d_name);
		if (!found && entries[i]->d_name[0] != '.' && !stat(candidate, &st) &&
		    S_ISBLK(st.st_mode) && st.st_rdev == devno) {
			snprintf(path, size, "%s", candidate);
			found = true;
		}
		free(entries[i]);
	}
	free(entries);
	return found;
}

/* Whether devno is mounted, with the mount point in where. */
static bool mounted(dev_t devno, char *where, size_t size)
{
	unsigned int major_nr, minor_nr;
	char line[PATH_MAX * 2], point[PATH_MAX];
	bool found = false;
	FILE *mountinfo = fopen("/proc/self/mountinfo", "re");

	if (!mountinfo)
		return false;
	while (!found && fgets(line, sizeof(line), mountinfo)) {
		if (sscanf(line, "%*u %*u %u:%u %*s %4095s", &major_nr, &minor_nr, point) == 3 &&
		    makedev(major_nr, minor_nr) == devno) {
			snprintf(where, size, "%s", point);
			found = true;
		}
	}
	fclose(mountinfo);
	return found;
}

/* Refusals that concern the block device alone. */
static int check_block_device(struct member *member)
{
	const char *what = member->spec.source;
	char where[PATH_MAX];
	int fd;

	if (mounted(member->devno, where, sizeof(where)))
		return log_error(-EBUSY, what, "mounted on %s", where);
	if (sysfs_on_combined(member->devno, where, sizeof(where)))
		return log_error(-EINVAL, what, "is the combined device %s or stacked on it", where);
	/* The kernel refuses O_EXCL while anyone (a dm device, md, a filesystem) holds it. */
	fd = open(member->path, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0 && errno == EBUSY)
		return log_error(-EBUSY, what, "in use (held open exclusively by another device or program)");
	if (fd < 0)
		return log_error(-errno, what, "cannot open %s: %s", member->path, strerror(errno));
	close(fd);
	return 0;
}

/*
 * How assemble finds the volume again, most stable first: what the host
 * gives the disk (a /dev/disk/by-id name: WWN, serial, LV UUID), then the
 * host's partition table, and only then the volume's own file system UUID,
 * which the guest owns: a guest that reformats its volume changes it.
 */
static void set_identity(struct member *member, const struct probe_result *probe)
{
	char *canonical;

	if (!member->is_file &&
	    by_id_path(member->devno, member->identity, sizeof(member->identity)))
		return;
	if (!member->is_file && probe->partuuid[0]) {
		snprintf(member->identity, sizeof(member->identity), "PARTUUID=%s", probe->partuuid);
	} else if (!member->is_file && probe->uuid[0]) {
		snprintf(member->identity, sizeof(member->identity), "UUID=%s", probe->uuid);
	} else {
		canonical = realpath(member->path, NULL);
		snprintf(member->identity, sizeof(member->identity), "%s",
			 canonical ? canonical : member->path);
		free(canonical);
	}
}

int member_resolve(const struct volume_spec *spec, struct member *member)
{
	const char *what = spec->source;
	struct probe_result probe;
	struct stat st;
	char *resolved;
	int r;

	memset(member, 0, sizeof(*member));
	member->spec = *spec;
	member->loop_fd = -1;
	resolved = spec->is_tag ? probe_resolve(spec->source) : NULL;
	if (spec->is_tag && !resolved)
		return log_error(-ENOENT, what, "no volume has this tag");
	snprintf(member->path, sizeof(member->path), "%s", resolved ? resolved : spec->source);
	free(resolved);
	if (stat(member->path, &st))
		return log_error(-errno, what, "%s", errno == ENOENT ? "no such volume" : strerror(errno));
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return log_error(-EINVAL, what, "neither a block device nor a regular file");
	member->is_file = S_ISREG(st.st_mode);
	if (member->is_file) {
		char *canonical = realpath(member->path, NULL);
		char loop[PATH_MAX];

		member->file_dev = st.st_dev;
		member->file_ino = st.st_ino;
		if (canonical && sysfs_loop_of_file(canonical, loop, sizeof(loop))) {
			free(canonical);
			return log_error(-EBUSY, what, "in use: already attached to %s", loop);
		}
		free(canonical);
	} else {
		member->devno = st.st_rdev;
		snprintf(member->device, sizeof(member->device), "%s", member->path);
		r = check_block_device(member);
		if (r)
			return r;
	}
	r = probe_volume(member->path, &probe);
	if (r)
		return r;
	if (!probe.size)
		return log_error(-EINVAL, what, "empty (zero size)");
	member->size = probe.size;
	/* A loop device over a file has 512-byte logical blocks. */
	member->block_size = member->is_file ? 512 : probe.block_size;
	snprintf(member->label, sizeof(member->label), "%s", probe.label);
	snprintf(member->type, sizeof(member->type), "%s", probe.type);
	set_identity(member, &probe);
	return 0;
}

int member_attach(struct member *member)
{
	int fd;

	if (!member->is_file)
		return 0;
	fd = loop_attach(member->path, member->device, sizeof(member->device), &member->devno);
	if (fd < 0)
		return fd;
	member->loop_fd = fd;
	return 0;
}

void member_release(struct member *member)
{
	if (member->loop_fd >= 0)
		close(member->loop_fd);
	member->loop_fd = -1;
}

bool member_same(const struct member *a, const struct member *b)
{
	if (a->is_file != b->is_file)
		return false;
	if (a->is_file)
		return a->file_dev == b->file_dev && a->file_ino == b->file_ino;
	return a->devno == b->devno;
}
