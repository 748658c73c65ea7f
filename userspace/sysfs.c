// SPDX-License-Identifier: GPL-2.0-only
/* Block device facts read from /sys. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dm-combine.h"
#include "sysfs.h"

/* Stacks deeper than this are not followed (and cannot be real). */
#define MAX_STACK_DEPTH 16

bool sysfs_read_line(const char *path, char *text, size_t size)
{
	FILE *file = fopen(path, "re");
	bool ok;

	if (!file)
		return false;
	ok = fgets(text, (int)size, file) != NULL;
	fclose(file);
	if (ok)
		text[strcspn(text, "\n")] = '\0';
	return ok;
}

int sysfs_device_path(dev_t devno, char *path, size_t size)
{
	char uevent[64], line[PATH_MAX];
	FILE *file;
	int r = -ENOENT;

	snprintf(uevent, sizeof(uevent), "/sys/dev/block/%u:%u/uevent", major(devno), minor(devno));
	file = fopen(uevent, "re");
	if (!file)
		return -errno;
	while (fgets(line, sizeof(line), file)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "DEVNAME=", 8)) {
			snprintf(path, size, "/dev/%s", line + 8);
			r = 0;
			break;
		}
	}
	fclose(file);
	return r;
}

/* dir is a device's sysfs directory (/sys/dev/block/M:m resolved). */
static bool dir_on_combined(const char *dir, int depth, char *name, size_t size)
{
	char path[PATH_MAX], uuid[160];
	struct dirent *entry;
	bool found = false;
	DIR *slaves;

	if (depth > MAX_STACK_DEPTH)
		return false;
	snprintf(path, sizeof(path), "%s/dm/uuid", dir);
	if (sysfs_read_line(path, uuid, sizeof(uuid)) &&
	    !strncmp(uuid, DM_COMBINE_UUID_PREFIX, strlen(DM_COMBINE_UUID_PREFIX))) {
		snprintf(path, sizeof(path), "%s/dm/name", dir);
		if (!sysfs_read_line(path, name, size))
			snprintf(name, size, "%s", strrchr(dir, '/') + 1);
		return true;
	}
	/* A partition: its disk is the directory above. */
	snprintf(path, sizeof(path), "%s/partition", dir);
	if (!access(path, F_OK)) {
		snprintf(path, sizeof(path), "%s/..", dir);
		return dir_on_combined(path, depth + 1, name, size);
	}
	snprintf(path, sizeof(path), "%s/slaves", dir);
	slaves = opendir(path);
	if (!slaves)
		return false;
	while (!found && (entry = readdir(slaves))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/slaves/%s", dir, entry->d_name);
		found = dir_on_combined(path, depth + 1, name, size);
	}
	closedir(slaves);
	return found;
}

bool sysfs_on_combined(dev_t devno, char *name, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(devno), minor(devno));
	return dir_on_combined(path, 0, name, size);
}
