// SPDX-License-Identifier: GPL-2.0-only
/* Finding, identifying and checking one volume. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "bootnames.h"
#include "identity.h"
#include "log.h"
#include "loop.h"
#include "member.h"
#include "probe.h"
#include "sysfs.h"

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
	char where[PATH_MAX], self[64];
	int fd;

	if (identity_multipath_path(member->devno, where, sizeof(where)))
		return log_error(-EBUSY, what, "a path device of multipath map %s: use the map",
				 where[0] ? where : "(not assembled yet)");
	if (mounted(member->devno, where, sizeof(where)))
		return log_error(-EBUSY, what, "mounted on %s", where);
	if (sysfs_on_combined(member->devno, where, sizeof(where)))
		return log_error(-EINVAL, what, "is the combined device %s or stacked on it", where);
	/* The kernel refuses O_EXCL while anyone (a dm device, md, a filesystem) holds it. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", member->fd);
	fd = open(self, O_RDONLY | O_EXCL | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 && errno == EBUSY)
		return log_error(-EBUSY, what, "in use (held open exclusively by another device or program)");
	if (fd < 0)
		return log_error(-errno, what, "cannot open %s: %s", member->path, strerror(errno));
	close(fd);
	return 0;
}

/*
 * Opens the volume once: its type, size, contents and loop device all come
 * through this descriptor, so a path changed meanwhile changes nothing. A
 * final symlink is followed only when may_follow and the path was one when
 * checked (the user gave a symlink, or a /dev/disk link is saved): one put
 * there after the check is refused, and so is a FIFO or anything else that
 * is neither a block device nor a regular file (O_NONBLOCK: opening it
 * does not wait).
 */
static int open_volume(struct member *member, bool may_follow)
{
	const char *what = member->spec.source;
	int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
	char self[64];
	struct stat st;
	int fd;

	if (lstat(member->path, &st))
		return log_error(-errno, what, "%s", errno == ENOENT ? "no such volume" : strerror(errno));
	if (!may_follow || !S_ISLNK(st.st_mode))
		flags |= O_NOFOLLOW;
	member->fd = open(member->path, flags);
	if (member->fd < 0)
		return log_error(-errno, what, "%s", errno != ELOOP ? strerror(errno) : may_follow ?
				 "became a symlink while it was checked" :
				 "is a symlink now; the saved image file was not");
	if (fstat(member->fd, &st))
		return log_error(-errno, what, "%s", strerror(errno));
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return log_error(-EINVAL, what, "neither a block device nor a regular file");
	member->is_file = S_ISREG(st.st_mode);
	member->devno = member->is_file ? 0 : st.st_rdev;
	member->file_dev = member->is_file ? st.st_dev : 0;
	member->file_ino = member->is_file ? st.st_ino : 0;
	if (!member->is_file)
		return 0;
	/* The loop needs the file read-write: the same file again, not the path. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", member->fd);
	fd = open(self, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return log_error(-errno, what, "cannot open it read-write: %s", strerror(errno));
	close(member->fd);
	member->fd = fd;
	if (fstat(fd, &st) || st.st_dev != member->file_dev || st.st_ino != member->file_ino)
		return log_error(-EIO, what, "reopened as another file");
	return 0;
}

/* The checks and facts common to new and saved volumes. */
static int inspect(struct member *member, bool may_follow)
{
	const char *what = member->spec.source;
	struct probe_result *probe = &member->probe;
	char loop[PATH_MAX];
	int r;

	r = open_volume(member, may_follow);
	if (r)
		return r;
	if (member->is_file && loop_of_file(member->file_dev, member->file_ino, loop, sizeof(loop)))
		return log_error(-EBUSY, what, "in use: already attached to %s", loop);
	if (!member->is_file) {
		snprintf(member->device, sizeof(member->device), "%s", member->path);
		r = check_block_device(member);
		if (r)
			return r;
	}
	r = probe_volume(member->fd, probe);
	if (r)
		return log_error(r, what, "cannot read it");
	if (!probe->size)
		return log_error(-EINVAL, what, "empty (zero size)");
	member->size = probe->size;
	/* A loop device over a file has 512-byte logical blocks. */
	member->block_size = member->is_file ? 512 : probe->block_size;
	return 0;
}

static void member_init(struct member *member, const struct volume_spec *spec)
{
	memset(member, 0, sizeof(*member));
	member->spec = *spec;
	member->fd = -1;
	member->loop_fd = -1;
}

struct member *members_new(size_t count)
{
	struct member *members = calloc(count + 1, sizeof(*members));
	struct volume_spec none = { .source = "" };
	size_t i;

	for (i = 0; members && i < count; i++)
		member_init(&members[i], &none);
	return members;
}

/*
 * The one device an identity names into member->path; two are refused
 * with both names: a cloned file system UUID, or a tag a guest copied.
 */
static int resolve_one(struct member *member, const char *identity)
{
	const char *what = member->spec.source;
	char first[PATH_MAX], second[PATH_MAX];
	dev_t devnos[2];
	size_t count;
	int r;

	r = identity_resolve(identity, devnos, 2, &count);
	if (r)
		return log_error(r, what, "cannot list block devices: %s", strerror(-r));
	if (!count)
		return log_error(-ENOENT, what, "%s", identity[0] == '/' ? "no such volume" :
				 "no volume has this tag");
	if (sysfs_device_path(devnos[0], first, sizeof(first)))
		snprintf(first, sizeof(first), "%u:%u", major(devnos[0]), minor(devnos[0]));
	if (count > 1) {
		if (sysfs_device_path(devnos[1], second, sizeof(second)))
			snprintf(second, sizeof(second), "%u:%u", major(devnos[1]), minor(devnos[1]));
		return log_error(-ENOTUNIQ, what, "names more than one device: %s and %s%s", first,
				 second, count > 2 ? " and more" : "");
	}
	snprintf(member->path, sizeof(member->path), "%s", first);
	return 0;
}

int member_resolve(const struct volume_spec *spec, struct member *member)
{
	char self[64];
	ssize_t len;
	int r;

	member_init(member, spec);
	if (spec->is_tag)
		r = resolve_one(member, spec->source);
	else
		r = snprintf(member->path, sizeof(member->path), "%s", spec->source) < 0;
	if (!r)
		r = inspect(member, true);
	if (r) {
		member_release(member);
		return r;
	}
	if (!member->is_file) {
		member->identity_kind = identity_choose(member->devno, member->fd, member->identity,
							sizeof(member->identity));
		return 0;
	}
	/* A file is saved as the path of the file opened, every link resolved. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", member->fd);
	len = readlink(self, member->identity, sizeof(member->identity) - 1);
	if (len < 0) {
		r = log_error(-errno, spec->source, "%s", strerror(errno));
		member_release(member);
		return r;
	}
	member->identity[len] = '\0';
	member->identity_kind = IDENTITY_FILE;
	return 0;
}

int member_find_saved(const struct region *region, struct member *member)
{
	struct volume_spec spec = { .source = region->identity };
	int r;

	snprintf(spec.id, sizeof(spec.id), "%s", region->id);
	member_init(member, &spec);
	snprintf(member->identity, sizeof(member->identity), "%s", region->identity);
	member->identity_kind = identity_kind_of(region->identity, region->loop);
	if (region->loop)
		r = snprintf(member->path, sizeof(member->path), "%s", region->identity) < 0;
	else
		r = resolve_one(member, region->identity);
	/* An image file is saved by its canonical path: a symlink there is not it. */
	if (!r)
		r = inspect(member, !region->loop);
	if (!r && member->is_file != region->loop)
		r = log_error(-EINVAL, region->identity, "volume %s was a %s", region->id,
			      region->loop ? "regular file" : "block device");
	/* One that grew is used with its old size until dmcombine resize. */
	if (!r && member->size < region->size * SECTOR_SIZE)
		r = log_error(-EINVAL, region->identity, "volume %s shrank: %llu bytes, saved %llu",
			      region->id, (unsigned long long)member->size,
			      (unsigned long long)(region->size * SECTOR_SIZE));
	if (r)
		member_release(member);
	return r;
}

void member_warn_weak(const struct member *members, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (members[i].identity_kind == IDENTITY_KERNEL_NAME)
			log_info("warning: %s: no host-assigned identity (DM UUID, WWN, serial, partition entry or by-path name): saved as its kernel name %s, which may name another device after a reboot",
				 members[i].spec.source, members[i].identity);
}

void member_warn_boot_names(const char *name, const struct member *members, size_t count,
			    bool first_spans)
{
	FILE *fstab = fopen("/etc/fstab", "re");
	FILE *proc = fopen("/proc/cmdline", "re");
	char cmdline[4096] = "", spec[PATH_MAX];
	size_t i;

	if (proc && !fgets(cmdline, sizeof(cmdline), proc))
		cmdline[0] = '\0';
	for (i = first_spans ? 1 : 0; i < count; i++) {
		const char *paths[] = { members[i].spec.source, members[i].path, NULL };

		if (fstab)
			rewind(fstab);
		if (boot_names_volume(fstab, cmdline, &members[i].probe, paths, spec, sizeof(spec)))
			log_info("warning: %s: the host names it at boot (%s) but cannot find it in %s: %s",
				 members[i].spec.source, spec, name,
				 first_spans ? "only the first volume's file system is the combined device's" :
				 "its file system is in a partition, which the kernel does not create for device-mapper devices");
	}
	if (fstab)
		fclose(fstab);
	if (proc)
		fclose(proc);
}

int member_check_unused(const char *config_dir, const char *own_name,
			const struct member *members, size_t count)
{
	struct volume_device *devices = calloc(count + 1, sizeof(*devices));
	const char **whats = calloc(count + 1, sizeof(*whats));
	size_t i;
	int r;

	if (!devices || !whats) {
		r = log_error(-ENOMEM, "volumes", "%s", strerror(ENOMEM));
	} else {
		for (i = 0; i < count; i++) {
			devices[i].is_file = members[i].is_file;
			devices[i].devno = members[i].devno;
			devices[i].file_dev = members[i].file_dev;
			devices[i].file_ino = members[i].file_ino;
			whats[i] = members[i].spec.source;
		}
		r = identity_check_unused(config_dir, own_name, devices, whats, count);
	}
	free(devices);
	free(whats);
	return r;
}

int member_attach(struct member *member)
{
	int fd;

	if (!member->is_file)
		return 0;
	fd = loop_attach(member->fd, member->path, member->device, sizeof(member->device),
			 &member->devno);
	if (fd < 0)
		return fd;
	member->loop_fd = fd;
	return 0;
}

void member_release(struct member *member)
{
	if (member->loop_fd >= 0)
		close(member->loop_fd);
	if (member->fd >= 0)
		close(member->fd);
	member->loop_fd = member->fd = -1;
}

bool member_same(const struct member *a, const struct member *b)
{
	if (a->is_file != b->is_file)
		return false;
	if (a->is_file)
		return a->file_dev == b->file_dev && a->file_ino == b->file_ino;
	return a->devno == b->devno;
}
