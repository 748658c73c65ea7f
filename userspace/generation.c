// SPDX-License-Identifier: GPL-2.0-only
/* Generations of maps: what active devices run, what initramfs images hold. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "generation.h"
#include "identity.h"
#include "lock.h"
#include "log.h"
#include "loop.h"
/* After log.h: syslog.h defines LOG_DEBUG, one of log.h's levels, as a macro. */
#include <syslog.h>

static void run_file(const char *name, char *path, size_t size)
{
	snprintf(path, size, GENERATION_RUN_DIR "/%s", name);
}

void generation_record(const struct combined *combined)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	FILE *file;
	int fd;

	/* /run/dmcombine may not exist yet (early boot, a test guest). */
	mkdir(LOCK_DIR, 0700);	/* root-only, as lock_take checks */
	mkdir(GENERATION_RUN_DIR, 0700);
	run_file(combined->name, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	file = fd < 0 ? NULL : fdopen(fd, "w");
	if (!file) {
		log_verbose("%s: cannot record its generation in %s: %s", combined->name, path,
			    strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	fprintf(file, "%s %" PRIu64 "\n", combined->uuid, combined->generation);
	if (fclose(file) || rename(tmp, path)) {
		log_verbose("%s: cannot record its generation in %s: %s", combined->name, path,
			    strerror(errno));
		unlink(tmp);
	}
}

void generation_forget(const char *name)
{
	char path[PATH_MAX];

	run_file(name, path, sizeof(path));
	unlink(path);
}

int generation_running(const struct combined *combined, uint64_t *generation)
{
	char path[PATH_MAX], uuid[UUID_STRING_LEN + 1];
	FILE *file;
	int fields;

	run_file(combined->name, path, sizeof(path));
	file = fopen(path, "re");
	if (!file)
		return -ENOENT;
	fields = fscanf(file, "%36s %" SCNu64, uuid, generation);
	fclose(file);
	return fields == 2 && !strcmp(uuid, combined->uuid) ? 0 : -ENOENT;
}

int generation_loaded_at(const struct combined *combined, struct timespec *when)
{
	char path[PATH_MAX];
	uint64_t generation;
	struct stat st;

	run_file(combined->name, path, sizeof(path));
	/* The record is replaced whole (rename) each time a table is loaded. */
	if (generation_running(combined, &generation) || stat(path, &st))
		return -ENOENT;
	*when = st.st_mtim;
	return 0;
}

bool generation_stale_holds(dev_t stale, const struct region *region, dev_t *devno)
{
	char path[PATH_MAX], loop[PATH_MAX];
	struct stat st;
	size_t count;

	if (region->loop) {
		if (stat(region->identity, &st) ||
		    !loop_of_file(st.st_dev, st.st_ino, loop, sizeof(loop)) || stat(loop, &st))
			return false;
		*devno = st.st_rdev;
	} else if (identity_resolve(region->identity, devno, 1, &count) || count != 1) {
		return false;
	}
	/* A dm device is dm-MINOR in sysfs, in its members' holders too. */
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/holders/dm-%u", major(*devno),
		 minor(*devno), minor(stale));
	return !access(path, F_OK);
}

void generation_syslog_stale(const struct combined *combined, uint64_t running, const char *why)
{
	char name[NAME_MAX_LEN * 4 + 1];

	log_escape(name, sizeof(name), combined->name);
	openlog("dmcombine", LOG_PID, LOG_DAEMON);
	syslog(LOG_ERR, "%s: STALE: runs generation %" PRIu64 " of its map, the saved map is generation %"
	       PRIu64 " and is not applied: %s", name, running, combined->generation, why);
	closelog();
}

/* Whether the image list file holds another copy of combined's map than the saved one. */
static bool image_differs(int dir_fd, const char *image, const struct combined *combined,
			  uint64_t *held)
{
	char listed[NAME_MAX_LEN + 1], uuid[UUID_STRING_LEN + 1];
	bool found = false;
	FILE *file;
	int fd;

	fd = openat(dir_fd, image, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	file = fd < 0 ? NULL : fdopen(fd, "r");
	if (!file) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (!found && fscanf(file, "%64s %36s %" SCNu64, listed, uuid, held) == 3)
		found = !strcmp(listed, combined->name);
	fclose(file);
	return found && (strcmp(uuid, combined->uuid) || *held != combined->generation);
}

void generation_warn_images(const struct combined *combined)
{
	struct dirent *entry;
	uint64_t held;
	DIR *dir;

	dir = opendir(GENERATION_IMAGES_DIR);
	if (!dir)
		return;
	while ((entry = readdir(dir)))
		if (entry->d_name[0] != '.' &&
		    image_differs(dirfd(dir), entry->d_name, combined, &held))
			log_info("%s: the initramfs %s holds generation %" PRIu64
				 " of another copy of this map: regenerate it (update-initramfs -u -k all, or dracut --regenerate-all --force) before the next boot",
				 combined->name, entry->d_name, held);
	closedir(dir);
}
