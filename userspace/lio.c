// SPDX-License-Identifier: GPL-2.0-only
/*
 * LIO configfs, the way rtslib-fb (rtslib/tcm.py, target.py, fabric.py)
 * drives it, from C: nothing at run time but the kernel and modprobe.
 *
 *   core/iblock_N/dmcombine-NAME       the backstore; its own HBA, as rtslib
 *                                      makes one per storage object
 *   loopback|vhost/naa.5001405X/tpgt_1 nexus = naa.5001405Y, lun/lun_0 -> backstore
 *   iscsi/IQN/tpgt_1                   lun/lun_0, np/PORTAL, acls/INITIATOR/lun_0
 *
 * Identity: the unit serial (VPD page 0x80) is the combined device's UUID;
 * LIO derives the NAA designator of page 0x83 from the serial's hex
 * digits (OUI 00:14:05), so both follow the UUID, across boots and
 * re-exports. The vendor stays LIO-ORG, the T10 vendor ID registered for
 * LIO and its OUI (a vendor ID is 8 bytes: "dmcombine" does not fit and
 * is nobody's registered ID); the product is "dmcombine". Target WWNs
 * take their digits from the UUID too, in rtslib's formats.
 *
 * Every step is made by mkdir, write or symlink and taken back by rmdir
 * and unlink in reverse: export records each step it makes on an undo
 * list and takes them back when a later one fails; unexport removes
 * whatever of an export exists, so it also clears what a kill left.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lio.h"
#include "log.h"
#include "stop.h"
#include "sysfs.h"
#include "undo.h"

#define TARGET_ROOT "/sys/kernel/config/target"
#define BACKSTORE_PREFIX "dmcombine-"
#define LINK_NAME "dmcombine"
#define TPG "tpgt_1"
#define PRODUCT "dmcombine"
/* How long export waits for the loopback disk to show up in sysfs. */
#define DISK_WAIT_MS 30000

/* Kernel modules of the fabrics, and whether the fabric has an I_T nexus to a local initiator port. */
static const struct {
	const char *module;
	bool nexus;
} fabrics[LIO_NR_FABRICS] = {
	[LIO_LOOPBACK] = { "tcm_loop", true },
	[LIO_VHOST] = { "vhost_scsi", true },
	[LIO_ISCSI] = { "iscsi_target_mod", false },
};

/* ---- configfs primitives, each logging its own failure ---- */

static const char *pathf(char path[PATH_MAX], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *pathf(char path[PATH_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, PATH_MAX, fmt, ap);
	va_end(ap);
	return path;
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static int remove_dir(const char *path)
{
	if (rmdir(path) && errno != ENOENT)
		return log_error(-errno, path, "cannot remove: %s", strerror(errno));
	return 0;
}

static int undo_mkdir(void *context, const char *path)
{
	(void)context;
	return remove_dir(path);
}

static int undo_symlink(void *context, const char *link)
{
	(void)context;
	if (unlink(link) && errno != ENOENT)
		return log_error(-errno, link, "cannot unlink: %s", strerror(errno));
	return 0;
}

/* mkdir, recorded on undo. */
static int make_dir(struct undo *undo, const char *path)
{
	if (mkdir(path, 0755))
		return log_error(-errno, path, "cannot create: %s", strerror(errno));
	return undo_push(undo, undo_mkdir, NULL, path);
}

/* symlink, recorded on undo. */
static int make_link(struct undo *undo, const char *target, const char *link)
{
	if (symlink(target, link))
		return log_error(-errno, link, "cannot link to %s: %s", target, strerror(errno));
	return undo_push(undo, undo_symlink, NULL, link);
}

/* Writes value to a configfs attribute (values are not logged: one is a password). */
static int write_attr(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return log_error(-errno, path, "cannot open: %s", strerror(errno));
	if (write(fd, value, len) != (ssize_t)len)
		r = log_error(-errno, path, "the kernel refused the value: %s", strerror(errno));
	close(fd);
	return r;
}

/* Calls fn on each subdirectory of dir whose name starts with prefix; stops at an error. */
static int for_each_dir(const char *dir, const char *prefix, int (*fn)(const char *path))
{
	char path[PATH_MAX];
	struct dirent *entry;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : log_error(-errno, dir, "cannot read: %s", strerror(errno));
	while (!r && (entry = readdir(d))) {
		if (entry->d_type != DT_DIR || entry->d_name[0] == '.' ||
		    strncmp(entry->d_name, prefix, strlen(prefix)))
			continue;
		r = fn(pathf(path, "%s/%s", dir, entry->d_name));
	}
	closedir(d);
	return r;
}

/* Runs modprobe for a module not loaded yet (as rtslib does, before using a fabric). */
static int load_module(const char *module)
{
	char path[PATH_MAX];
	int status;
	pid_t pid;

	if (exists(pathf(path, "/sys/module/%s", module)))
		return 0;
	pid = fork();
	if (pid < 0)
		return log_error(-errno, module, "cannot run modprobe: %s", strerror(errno));
	if (!pid) {
		execlp("modprobe", "modprobe", "-q", module, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return log_error(-ENOENT, module, "modprobe failed: this kernel has no such module?");
	return 0;
}

/* ---- the backstore ---- */

#define SERIAL_PREFIX "T10 VPD Unit Serial Number:"

/*
 * Finds combined's backstore: its path into so (0), -ENOENT when there is
 * none. One of that name whose serial is another UUID belongs to another
 * device of the same name, made before that one was removed: refused.
 * whole is false for one an interrupted export left: no serial yet (it is
 * written first) or not enabled (enable comes last); nothing uses such a
 * backstore, and export and unexport remove it.
 */
static int find_backstore(const struct combined *combined, char so[PATH_MAX], bool *whole)
{
	char path[PATH_MAX], serial[128], expected[128], enabled[4];
	struct dirent *entry;
	DIR *d = opendir(TARGET_ROOT "/core");
	const char *value;
	int r = -ENOENT;

	if (!d)
		return -ENOENT;
	while (r == -ENOENT && (entry = readdir(d))) {
		if (strncmp(entry->d_name, "iblock_", 7))
			continue;
		pathf(so, TARGET_ROOT "/core/%s/" BACKSTORE_PREFIX "%s", entry->d_name, combined->name);
		if (exists(so))
			r = 0;
	}
	closedir(d);
	if (r)
		return r;
	if (!sysfs_read_line(pathf(path, "%s/wwn/vpd_unit_serial", so), serial, sizeof(serial)))
		serial[0] = '\0';
	value = strncmp(serial, SERIAL_PREFIX, strlen(SERIAL_PREFIX)) ? serial :
		serial + strlen(SERIAL_PREFIX) + strspn(serial + strlen(SERIAL_PREFIX), " ");
	snprintf(expected, sizeof(expected), SERIAL_PREFIX " %s", combined->uuid);
	if (value[0] && strcmp(serial, expected))
		return log_error(-EEXIST, so, "a backstore of another device named %s (%s); remove it first",
				 combined->name, serial);
	if (!sysfs_read_line(pathf(path, "%s/enable", so), enabled, sizeof(enabled)))
		enabled[0] = '\0';
	*whole = value[0] && !strcmp(enabled, "1");
	return 0;
}

static int remove_backstore(const char *so)
{
	char hba[PATH_MAX];
	int r = remove_dir(so);

	snprintf(hba, sizeof(hba), "%.*s", (int)(strrchr(so, '/') - so), so);
	/* The HBA is the backstore's own; another's in it stays, and so does the HBA. */
	if (!r && rmdir(hba) && errno != ENOTEMPTY && errno != EBUSY)
		r = log_error(-errno, hba, "cannot remove: %s", strerror(errno));
	return r;
}

/*
 * Its own HBA, the storage object, its device, serial and product, and
 * enable last. A kill between the two mkdirs leaves an empty HBA, which
 * holds nothing; a kill after the second leaves a backstore without
 * serial or not enabled, which find_backstore calls half-built.
 */
static int make_backstore(const struct combined *combined, char so[PATH_MAX], struct undo *undo)
{
	char hba[PATH_MAX], path[PATH_MAX], value[PATH_MAX];
	unsigned int index = 0;
	int r;

	while (exists(pathf(hba, TARGET_ROOT "/core/iblock_%u", index)))
		index++;
	r = make_dir(undo, hba);
	if (!r)
		r = make_dir(undo, pathf(so, "%s/" BACKSTORE_PREFIX "%s", hba, combined->name));
	if (r)
		return r;
	snprintf(value, sizeof(value), "/dev/mapper/%s", combined->name);
	r = write_attr(pathf(path, "%s/udev_path", so), value);
	if (!r)
		r = write_attr(pathf(path, "%s/control", so), "readonly=0");
	if (!r) {
		snprintf(value, sizeof(value), "udev_path=/dev/mapper/%s", combined->name);
		r = write_attr(pathf(path, "%s/control", so), value);
	}
	/*
	 * The serial before enable: it tells this device's backstore from
	 * another's of the same name, so a kill before it leaves one without
	 * a serial, which export and unexport know as half-built and remove.
	 */
	if (!r)
		r = write_attr(pathf(path, "%s/wwn/vpd_unit_serial", so), combined->uuid);
	if (!r)
		r = write_attr(pathf(path, "%s/wwn/product_id", so), PRODUCT);
	if (!r)
		stop_point("backstore-serial");
	/* enable opens the device (exclusively) and fixes its block size. */
	return r ? r : write_attr(pathf(path, "%s/enable", so), "1");
}

/* ---- targets ---- */

static int unlink_links(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *entry;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d)
		return log_error(-errno, dir, "cannot read: %s", strerror(errno));
	while (!r && (entry = readdir(d)))
		if (entry->d_type == DT_LNK && unlink(pathf(path, "%s/%s", dir, entry->d_name)))
			r = log_error(-errno, path, "cannot unlink: %s", strerror(errno));
	closedir(d);
	return r;
}

static int remove_lun(const char *lun)
{
	int r = unlink_links(lun);

	return r ? r : remove_dir(lun);
}

static int remove_acl(const char *acl)
{
	int r = for_each_dir(acl, "lun_", remove_lun);

	return r ? r : remove_dir(acl);
}

static int remove_tpg(const char *tpg)
{
	char path[PATH_MAX], enabled[4];
	int r = 0;

	/* iSCSI: no new logins while the rest goes; rmdir of an ACL ends its sessions. */
	if (!sysfs_read_line(pathf(path, "%s/enable", tpg), enabled, sizeof(enabled)))
		enabled[0] = '\0';
	if (!strcmp(enabled, "1"))
		r = write_attr(path, "0");
	if (!r)
		r = for_each_dir(pathf(path, "%s/acls", tpg), "", remove_acl);
	if (!r)
		r = for_each_dir(pathf(path, "%s/lun", tpg), "lun_", remove_lun);
	if (!r)
		r = for_each_dir(pathf(path, "%s/np", tpg), "", remove_dir);
	/* Removing the TPG also drops a tcm_loop or vhost nexus. */
	return r ? r : remove_dir(tpg);
}

/*
 * Removes target wwn of fabric, whatever of it exists, and the fabric's
 * directory when nothing else is in it (a fabric without targets holds
 * no state).
 */
static int remove_target(enum lio_fabric fabric, const char *wwn)
{
	char target[PATH_MAX], dir[PATH_MAX];
	int r;

	pathf(dir, TARGET_ROOT "/%s", lio_fabric_name(fabric));
	pathf(target, "%s/%s", dir, wwn);
	r = exists(target) ? for_each_dir(target, "tpgt_", remove_tpg) : 0;
	if (!r)
		r = remove_dir(target);
	if (!r && rmdir(dir) && errno != ENOENT && errno != ENOTEMPTY)
		r = log_error(-errno, dir, "cannot remove: %s", strerror(errno));
	return r;
}

static int make_lun(const char *tpg, const char *so, struct undo *undo)
{
	char path[PATH_MAX];
	int r = make_dir(undo, pathf(path, "%s/lun/lun_0", tpg));

	return r ? r : make_link(undo, so, pathf(path, "%s/lun/lun_0/" LINK_NAME, tpg));
}

/* iSCSI: no new logins before the rest goes. */
static int undo_enable(void *context, const char *enable)
{
	(void)context;
	return write_attr(enable, "0");
}

/*
 * LIO makes its attributes readable by everyone (CONFIGFS_ATTR: 0644),
 * the CHAP password included. configfs keeps a mode set by chmod for as
 * long as the item lives: the ACL's auth directory becomes root's alone
 * before the secret is written, and its password files too.
 */
static int hide_auth(const char *auth)
{
	static const char *const secrets[] = { "password", "password_mutual" };
	char path[PATH_MAX];
	size_t i;

	if (chmod(auth, 0700))
		return log_error(-errno, auth, "cannot make it root's alone: %s", strerror(errno));
	for (i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++)
		if (chmod(pathf(path, "%s/%s", auth, secrets[i]), 0600) && errno != ENOENT)
			return log_error(-errno, path, "cannot make it root's alone: %s", strerror(errno));
	return 0;
}

/*
 * Portal, ACLs (with the auth directory hidden before the secret goes in)
 * and enable last: no initiator logs in to a target still being made.
 */
static int make_iscsi(const char *tpg, const struct lio_iscsi *iscsi, struct undo *undo)
{
	char path[PATH_MAX], lun[PATH_MAX];
	size_t i;
	int r = 0;

	/* LIO binds with IP_FREEBIND: a taken port is what fails here (EINVAL, EADDRINUSE). */
	if (mkdir(pathf(path, "%s/np/%s", tpg, iscsi->portal), 0755))
		r = log_error(-errno, iscsi->portal, "LIO cannot listen there (%s): is the port taken?",
			      strerror(errno));
	else
		r = undo_push(undo, undo_mkdir, NULL, path);
	/* ACLs only: no demo mode (generate_node_acls stays 0). */
	if (!r)
		r = write_attr(pathf(path, "%s/attrib/authentication", tpg),
			       iscsi->chap_user ? "1" : "0");
	for (i = 0; !r && i < iscsi->nr_initiators; i++) {
		const char *initiator = iscsi->initiators[i];

		r = make_dir(undo, pathf(path, "%s/acls/%s", tpg, initiator));
		if (!r)
			r = make_dir(undo, pathf(path, "%s/acls/%s/lun_0", tpg, initiator));
		if (!r)
			r = make_link(undo, pathf(lun, "%s/lun/lun_0", tpg),
				      pathf(path, "%s/acls/%s/lun_0/" LINK_NAME, tpg, initiator));
		if (!r && iscsi->chap_user)
			r = hide_auth(pathf(path, "%s/acls/%s/auth", tpg, initiator));
		if (!r && iscsi->chap_user)
			r = write_attr(pathf(path, "%s/acls/%s/auth/userid", tpg, initiator),
				       iscsi->chap_user);
		if (!r && iscsi->chap_user)
			r = write_attr(pathf(path, "%s/acls/%s/auth/password", tpg, initiator),
				       iscsi->chap_password);
	}
	if (!r)
		r = write_attr(pathf(path, "%s/enable", tpg), "1");
	return r ? r : undo_push(undo, undo_enable, NULL, path);
}

/*
 * The fabric's directory when missing, target, TPG (with the nexus that
 * removing the TPG drops), LUN 0 on the backstore, and iSCSI's part.
 */
static int make_target(const struct combined *combined, enum lio_fabric fabric,
		       const struct lio_iscsi *iscsi, const char *so, struct undo *undo)
{
	char path[PATH_MAX], wwn[LIO_WWN_MAX], tpg[PATH_MAX];
	int r = 0;

	if (!exists(pathf(path, TARGET_ROOT "/%s", lio_fabric_name(fabric))))
		r = make_dir(undo, path);
	lio_target_wwn(combined, fabric, wwn);
	if (!r)
		r = make_dir(undo, pathf(path, TARGET_ROOT "/%s/%s", lio_fabric_name(fabric), wwn));
	if (!r)
		r = make_dir(undo, pathf(tpg, "%s/" TPG, path));
	if (!r && fabrics[fabric].nexus) {
		lio_initiator_wwn(combined, wwn);
		r = write_attr(pathf(path, "%s/nexus", tpg), wwn);
	}
	if (!r)
		stop_point("target-made");
	if (!r)
		r = make_lun(tpg, so, undo);
	if (!r)
		stop_point("lun-linked");
	if (!r && fabric == LIO_ISCSI)
		r = make_iscsi(tpg, iscsi, undo);
	return r;
}

/* The loopback disk: /sys/bus/scsi/devices/H:C:T:0/block/sdX, for the TPG's address "H:C:T". */
static bool loopback_disk(const char *tpg, char *disk, size_t size)
{
	char path[PATH_MAX], address[64];
	struct dirent *entry;
	bool found = false;
	DIR *d;

	if (!sysfs_read_line(pathf(path, "%s/address", tpg), address, sizeof(address)))
		address[0] = '\0';
	d = address[0] ? opendir(pathf(path, "/sys/bus/scsi/devices/%s:0/block", address)) : NULL;
	while (d && !found && (entry = readdir(d))) {
		if (entry->d_name[0] == '.')
			continue;
		snprintf(disk, size, "/dev/%.32s", entry->d_name);
		found = true;
	}
	if (d)
		closedir(d);
	return found;
}

/* sd probes asynchronously: the disk shows up shortly after the LUN. */
static int wait_loopback_disk(const char *tpg, char *disk, size_t size)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	int waited;

	for (waited = 0; waited < DISK_WAIT_MS; waited += 100) {
		if (loopback_disk(tpg, disk, size))
			return 0;
		nanosleep(&tick, NULL);
	}
	return log_error(-ETIMEDOUT, tpg, "no SCSI disk appeared for the loopback LUN");
}

static int fill_export(const struct combined *combined, enum lio_fabric fabric,
		       struct lio_export *export)
{
	char path[PATH_MAX], tpg[PATH_MAX];
	struct dirent *entry;
	DIR *d;

	memset(export, 0, sizeof(*export));
	export->fabric = fabric;
	lio_target_wwn(combined, fabric, export->wwn);
	pathf(tpg, TARGET_ROOT "/%s/%s/" TPG, lio_fabric_name(fabric), export->wwn);
	if (!exists(tpg))
		return -ENOENT;
	if (fabric == LIO_LOOPBACK)
		loopback_disk(tpg, export->disk, sizeof(export->disk));
	d = fabric == LIO_ISCSI ? opendir(pathf(path, "%s/np", tpg)) : NULL;
	while (d && (entry = readdir(d)))
		if (entry->d_type == DT_DIR && entry->d_name[0] != '.' && !export->portal[0])
			snprintf(export->portal, sizeof(export->portal), "%.63s", entry->d_name);
	if (d)
		closedir(d);
	d = fabric == LIO_ISCSI ? opendir(pathf(path, "%s/acls", tpg)) : NULL;
	while (d && (entry = readdir(d)))
		if (entry->d_type == DT_DIR && entry->d_name[0] != '.')
			export->nr_initiators++;
	if (d)
		closedir(d);
	return 0;
}

int lio_export(const struct combined *combined, enum lio_fabric fabric,
	       const struct lio_iscsi *iscsi, struct lio_export *done)
{
	char so[PATH_MAX], path[PATH_MAX], wwn[LIO_WWN_MAX];
	struct undo undo = UNDO_INIT;
	bool whole;
	int r;

	r = load_module("target_core_mod");
	if (!r && !exists(TARGET_ROOT))
		r = log_error(-ENOENT, TARGET_ROOT, "missing: is configfs mounted on /sys/kernel/config?");
	if (!r)
		r = load_module("target_core_iblock");
	if (!r)
		r = load_module(fabrics[fabric].module);
	/* The host is the initiator of a loopback LUN: its disk needs sd (udev loads it too). */
	if (!r && fabric == LIO_LOOPBACK)
		r = load_module("sd_mod");
	if (r)
		return r;
	lio_target_wwn(combined, fabric, wwn);
	if (exists(pathf(path, TARGET_ROOT "/%s/%s", lio_fabric_name(fabric), wwn)))
		return log_error(-EEXIST, combined->name, "already exported over %s as %s",
				 lio_fabric_name(fabric), wwn);
	r = find_backstore(combined, so, &whole);
	if (!r && !whole) {
		log_verbose("%s: removing the half-built backstore of an interrupted export", so);
		r = remove_backstore(so);
		if (!r)
			r = -ENOENT;
	}
	/* Every step made is recorded on undo; a failure takes them back, newest first. */
	if (r == -ENOENT)
		r = make_backstore(combined, so, &undo);
	if (!r)
		r = make_target(combined, fabric, iscsi, so, &undo);
	if (!r && fabric == LIO_LOOPBACK) {
		pathf(path, TARGET_ROOT "/%s/%s/" TPG, lio_fabric_name(fabric), wwn);
		r = wait_loopback_disk(path, done->disk, sizeof(done->disk));
	}
	if (!r)
		r = fill_export(combined, fabric, done);
	if (r)
		undo_run(&undo);
	else
		undo_forget(&undo);
	return r;
}

void lio_plan_free(char **paths)
{
	size_t i;

	for (i = 0; paths && paths[i]; i++)
		free(paths[i]);
	free(paths);
}

/* Appends a formatted path to a plan; -ENOMEM. */
static int plan_add(char **paths, size_t *count, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int plan_add(char **paths, size_t *count, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&paths[*count], fmt, ap);
	va_end(ap);
	if (n < 0) {
		paths[*count] = NULL;
		return -ENOMEM;
	}
	(*count)++;
	return 0;
}

int lio_export_plan(const struct combined *combined, enum lio_fabric fabric,
		    const struct lio_iscsi *iscsi, char ***paths)
{
	char so[PATH_MAX], hba[PATH_MAX], fabric_dir[PATH_MAX], target[PATH_MAX];
	char wwn[LIO_WWN_MAX];
	unsigned int index = 0;
	size_t i, count = 0;
	bool whole = false;
	int r;

	/* HBA, backstore, fabric, target, TPG, LUN link, portal, one per initiator, the NULL end. */
	*paths = calloc(7 + LIO_MAX_INITIATORS + 1, sizeof(**paths));
	if (!*paths)
		return log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	lio_target_wwn(combined, fabric, wwn);
	if (exists(pathf(target, TARGET_ROOT "/%s/%s", lio_fabric_name(fabric), wwn)))
		r = log_error(-EEXIST, combined->name, "already exported over %s as %s",
			      lio_fabric_name(fabric), wwn);
	else
		r = find_backstore(combined, so, &whole);
	if (r && r != -ENOENT) {
		lio_plan_free(*paths);
		*paths = NULL;
		return r;
	}
	r = 0;
	/* As make_backstore picks it: a half-built one is removed first. */
	if (!whole) {
		while (exists(pathf(hba, TARGET_ROOT "/core/iblock_%u", index)))
			index++;
		pathf(so, "%s/" BACKSTORE_PREFIX "%s", hba, combined->name);
		r = plan_add(*paths, &count, "%s", hba);
		if (!r)
			r = plan_add(*paths, &count, "%s (udev_path /dev/mapper/%s, serial %s)",
				     so, combined->name, combined->uuid);
	}
	if (!r && !exists(pathf(fabric_dir, TARGET_ROOT "/%s", lio_fabric_name(fabric))))
		r = plan_add(*paths, &count, "%s", fabric_dir);
	if (!r)
		r = plan_add(*paths, &count, "%s", target);
	if (!r)
		r = plan_add(*paths, &count, "%s/" TPG, target);
	if (!r)
		r = plan_add(*paths, &count, "%s/" TPG "/lun/lun_0/" LINK_NAME " -> %s", target, so);
	if (!r && fabric == LIO_ISCSI)
		r = plan_add(*paths, &count, "%s/" TPG "/np/%s", target, iscsi->portal);
	for (i = 0; !r && fabric == LIO_ISCSI && i < iscsi->nr_initiators; i++)
		r = plan_add(*paths, &count, "%s/" TPG "/acls/%s/lun_0/" LINK_NAME " -> %s/" TPG "/lun/lun_0",
			     target, iscsi->initiators[i], target);
	if (r) {
		lio_plan_free(*paths);
		*paths = NULL;
		return log_error(r, combined->name, "%s", strerror(-r));
	}
	return 0;
}

int lio_unexport(const struct combined *combined)
{
	char so[PATH_MAX], wwn[LIO_WWN_MAX];
	int fabric, r = 0;
	bool whole;

	if (!exists(TARGET_ROOT))
		return 0;
	for (fabric = 0; !r && fabric < LIO_NR_FABRICS; fabric++) {
		lio_target_wwn(combined, fabric, wwn);
		r = remove_target(fabric, wwn);
	}
	if (!r) {
		r = find_backstore(combined, so, &whole);
		if (!r)
			r = remove_backstore(so);
		else if (r == -ENOENT)
			r = 0;
	}
	return r;
}

int lio_exports(const struct combined *combined, struct lio_export **exports, size_t *count)
{
	int fabric;

	*count = 0;
	*exports = calloc(LIO_NR_FABRICS, sizeof(**exports));
	if (!*exports)
		return log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	for (fabric = 0; fabric < LIO_NR_FABRICS; fabric++)
		if (!fill_export(combined, fabric, &(*exports)[*count]))
			(*count)++;
	return 0;
}
