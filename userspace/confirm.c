// SPDX-License-Identifier: GPL-2.0-only
/* Who uses a device or an image file, and asking before taking it from them. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "confirm.h"
#include "dm.h"
#include "log.h"

/* Partitions looked at per device: more are rare, and the first ones tell. */
#define MAX_PARTITIONS 256

/* Appends ", text" (or text first) to why, cut at its end. */
static void why_add(char *why, const char *fmt, const char *text)
{
	size_t used = strlen(why);
	char part[IN_USE_WHY_MAX];

	snprintf(part, sizeof(part), fmt, text);
	if (strstr(why, part))
		return;
	snprintf(why + used, IN_USE_WHY_MAX - used, "%s%s", used ? ", " : "", part);
}

static bool read_devno(const char *path, dev_t *devno)
{
	unsigned int major_nr, minor_nr;
	char line[32];
	FILE *file = fopen(path, "re");
	bool found;

	if (!file)
		return false;
	found = fgets(line, sizeof(line), file) && sscanf(line, "%u:%u", &major_nr, &minor_nr) == 2;
	fclose(file);
	if (found)
		*devno = makedev(major_nr, minor_nr);
	return found;
}

/* devno and its partitions into devnos (devnos[0] = devno); returns how many. */
static size_t with_partitions(dev_t devno, dev_t *devnos)
{
	char path[64];
	struct dirent *entry;
	size_t count = 1;
	DIR *dir;

	devnos[0] = devno;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(devno), minor(devno));
	dir = opendir(path);
	while (dir && count < MAX_PARTITIONS && (entry = readdir(dir))) {
		char partition[PATH_MAX];

		snprintf(partition, sizeof(partition), "%s/%s/partition", path, entry->d_name);
		if (entry->d_name[0] == '.' || access(partition, F_OK))
			continue;
		snprintf(partition, sizeof(partition), "%s/%s/dev", path, entry->d_name);
		if (read_devno(partition, &devnos[count]))
			count++;
	}
	if (dir)
		closedir(dir);
	return count;
}

/* Devices stacked on devno: dm, md, bcache list themselves in holders. */
static void add_holders(dev_t devno, char *why)
{
	char path[PATH_MAX];
	struct dirent *entry;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/holders", major(devno), minor(devno));
	dir = opendir(path);
	while (dir && (entry = readdir(dir)))
		if (entry->d_name[0] != '.')
			why_add(why, "held by %s", entry->d_name);
	if (dir)
		closedir(dir);
}

bool in_use_mounted(dev_t devno, char *where, size_t size)
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

/* Holders and mounts of a block device and its partitions. */
static void scan_block_device(struct in_use *target, dev_t *devnos, size_t count)
{
	char where[PATH_MAX];
	size_t i;

	for (i = 0; i < count; i++) {
		add_holders(devnos[i], target->why);
		if (in_use_mounted(devnos[i], where, sizeof(where)))
			why_add(target->why, "mounted on %s", where);
	}
}

/* udev's workers probe every device for a moment: not a user. */
static bool is_udev(const char *comm)
{
	return !strcmp(comm, "systemd-udevd") || !strcmp(comm, "(udev-worker)") ||
	       !strcmp(comm, "udevd");
}

static bool target_matches(const struct in_use *target, const dev_t *devnos, size_t nr_devnos,
			   const struct stat *st)
{
	size_t i;

	if (!target->devno)
		return S_ISREG(st->st_mode) && st->st_dev == target->file_dev &&
		       st->st_ino == target->file_ino;
	if (!S_ISBLK(st->st_mode))
		return false;
	for (i = 0; i < nr_devnos; i++)
		if (st->st_rdev == devnos[i])
			return true;
	return false;
}

/* Every process's open files, once for all targets: "open by COMM (pid N)". */
static void scan_processes(struct in_use *targets, size_t count, dev_t (*devnos)[MAX_PARTITIONS],
			   const size_t *nr_devnos)
{
	char path[PATH_MAX], comm[64], user[128];
	struct dirent *process, *fd;
	DIR *proc = opendir("/proc"), *fds;
	struct stat st;
	FILE *file;
	size_t i;

	while (proc && (process = readdir(proc))) {
		if (!isdigit((unsigned char)process->d_name[0]) ||
		    (pid_t)atol(process->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", process->d_name);
		comm[0] = '\0';
		file = fopen(path, "re");
		if (file && fgets(comm, sizeof(comm), file))
			comm[strcspn(comm, "\n")] = '\0';
		if (file)
			fclose(file);
		if (is_udev(comm))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", process->d_name);
		fds = opendir(path);
		while (fds && (fd = readdir(fds))) {
			if (fd->d_name[0] == '.' || fstatat(dirfd(fds), fd->d_name, &st, 0))
				continue;
			for (i = 0; i < count; i++) {
				if (!target_matches(&targets[i], devnos[i], nr_devnos[i], &st))
					continue;
				snprintf(user, sizeof(user), "open by %.63s (pid %.20s)", comm,
					 process->d_name);
				why_add(targets[i].why, "%s", user);
			}
		}
		if (fds)
			closedir(fds);
	}
	if (proc)
		closedir(proc);
}

/*
 * Locks on image files: QEMU takes OFD locks on its images, whose owner
 * /proc/locks gives as pid -1. Lines: "N: KIND ADVISORY MODE PID MAJ:MIN:INODE ..."
 * with major and minor in hex.
 */
static void scan_locks(struct in_use *targets, size_t count)
{
	unsigned int major_nr, minor_nr;
	char line[256], kind[32];
	unsigned long inode;
	FILE *locks = fopen("/proc/locks", "re");
	long pid;
	size_t i;

	while (locks && fgets(line, sizeof(line), locks)) {
		if (sscanf(line, "%*s %31s %*s %*s %ld %x:%x:%lu", kind, &pid, &major_nr, &minor_nr,
			   &inode) != 5 || pid == (long)getpid())
			continue;
		for (i = 0; i < count; i++)
			if (!targets[i].devno && targets[i].file_ino == inode &&
			    targets[i].file_dev == makedev(major_nr, minor_nr))
				why_add(targets[i].why, "locked (%s, as QEMU locks its images)", kind);
	}
	if (locks)
		fclose(locks);
}

void in_use_scan(struct in_use *targets, size_t count)
{
	dev_t (*devnos)[MAX_PARTITIONS] = calloc(count + 1, sizeof(*devnos));
	size_t *nr_devnos = calloc(count + 1, sizeof(*nr_devnos));
	size_t i;

	for (i = 0; i < count; i++)
		targets[i].why[0] = '\0';
	if (!devnos || !nr_devnos) {
		for (i = 0; i < count; i++)
			snprintf(targets[i].why, IN_USE_WHY_MAX, "unknown: out of memory");
		goto out;
	}
	for (i = 0; i < count; i++) {
		if (!targets[i].devno)
			continue;
		nr_devnos[i] = with_partitions(targets[i].devno, devnos[i]);
		scan_block_device(&targets[i], devnos[i], nr_devnos[i]);
	}
	scan_processes(targets, count, devnos, nr_devnos);
	scan_locks(targets, count);
out:
	free(devnos);
	free(nr_devnos);
}

/* A "y" or "yes" line from the terminal. */
static bool ask(const char *question)
{
	char answer[16];

	fprintf(stderr, "dmcombine: %s [y/N] ", question);
	fflush(stderr);
	if (!fgets(answer, sizeof(answer), stdin))
		return false;
	answer[strcspn(answer, "\n")] = '\0';
	return !strcasecmp(answer, "y") || !strcasecmp(answer, "yes");
}

int confirm(const struct options *options, const char *what, const char *why,
	    const char *question)
{
	if (!why[0])
		return 0;
	if (options->dry_run || options->yes) {
		log_info("%s: in use (%s)%s", what, why, options->dry_run ? "" : ": going ahead (--yes)");
		return 0;
	}
	if (!isatty(STDIN_FILENO))
		return log_error(-EBUSY, what, "in use (%s); --yes goes ahead anyway", why);
	log_info("%s: in use (%s)", what, why);
	if (ask(question))
		return 0;
	return log_error(-EBUSY, what, "not confirmed: nothing changed");
}

int confirm_in_use(const struct options *options, const char *name, const char *question)
{
	struct in_use target = { 0 };
	char path[PATH_MAX], count_text[32];
	struct stat st;
	int openers = 0;

	snprintf(path, sizeof(path), "/dev/mapper/%s", name);
	if (!stat(path, &st) && S_ISBLK(st.st_mode)) {
		target.devno = st.st_rdev;
		in_use_scan(&target, 1);
	}
	/* Opens by the kernel show nowhere else: LIO's backstore, swap, a loop device. */
	if (!target.why[0] && !device_open_count(name, &openers) && openers) {
		snprintf(count_text, sizeof(count_text), "%d", openers);
		why_add(target.why, "opened by the kernel or another namespace (count %s: an export, swap, a loop device, a mount)",
			count_text);
	}
	return confirm(options, name, target.why, question);
}
