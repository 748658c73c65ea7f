// SPDX-License-Identifier: GPL-2.0-only
/* libdevmapper: create, reload+resume, remove, info, table and status. */
#include <errno.h>
#include <fcntl.h>
#include <libdevmapper.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dm-combine.h"
#include "dm.h"
#include "log.h"
#include "stop.h"

static void dm_log(int level, const char *file, int line, int dm_errno, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* libdevmapper reports its own failures; ours say the same once, so its go to -vv. */
static void dm_log(int level, const char *file, int line, int dm_errno, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	(void)level;
	(void)file;
	(void)line;
	(void)dm_errno;
	if (log_get_level() < LOG_DEBUG)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_debug("libdevmapper: %s", text);
}

void device_setup(void)
{
	dm_log_with_errno_init(dm_log);
}

/* The errno of a failed task, never 0. */
static int task_error(struct dm_task *task)
{
	int err = dm_task_get_errno(task);

	return err > 0 ? -err : -EIO;
}

/*
 * Runs a task that changes a device node. With udev, a cookie makes us wait
 * until udev has processed the change (and dm_udev_wait must run on every
 * path once the cookie is set). Without udev, a cookie would never be
 * released: libdevmapper then creates or removes the node itself.
 */
static int run_with_udev_flags(struct dm_task *task, const char *name, const char *action,
			       uint16_t flags)
{
	uint32_t cookie = 0;
	int r = 0;

	if (dm_udev_get_sync_support()) {
		if (!dm_task_set_cookie(task, &cookie, DM_UDEV_DISABLE_LIBRARY_FALLBACK | flags))
			return log_error(-ENOMEM, name, "%s: cannot set a udev cookie", action);
		if (!dm_task_run(task))
			r = task_error(task);
		dm_udev_wait(cookie);
	} else {
		dm_task_set_add_node(task, DM_ADD_NODE_ON_CREATE);
		if (!dm_task_run(task))
			r = task_error(task);
		dm_task_update_nodes();
	}
	if (r)
		return log_error(r, name, "%s failed: %s", action, strerror(-r));
	return 0;
}

static int run_with_udev_sync(struct dm_task *task, const char *name, const char *action)
{
	return run_with_udev_flags(task, name, action, 0);
}

static struct dm_task *task_for(int type, const char *name)
{
	struct dm_task *task = dm_task_create(type);

	if (task && name && !dm_task_set_name(task, name)) {
		dm_task_destroy(task);
		task = NULL;
	}
	if (!task)
		log_error(-ENOMEM, name ? name : "device-mapper", "cannot prepare a device-mapper task");
	return task;
}

/* Runs a task of type on name that needs nothing else; fails as "failure: why". */
static int run_task(int type, const char *name, const char *failure)
{
	struct dm_task *task = task_for(type, name);
	int r = 0;

	if (!task)
		return -ENOMEM;
	if (!dm_task_run(task))
		r = log_error(task_error(task), name, "%s: %s", failure, strerror(-task_error(task)));
	dm_task_destroy(task);
	return r;
}

/* The combine target's version, major.minor.patch, as the kernel gives it. */
static int target_version(uint32_t version[3])
{
	struct dm_task *task = task_for(DM_DEVICE_GET_TARGET_VERSION, DM_COMBINE_TARGET);
	struct dm_versions *versions;
	int r = 0;

	if (!task)
		return -ENOMEM;
	/* The kernel loads dm-combine on this request when it is installed. */
	if (!dm_task_run(task) || !(versions = dm_task_get_versions(task)))
		r = log_error(-ENOENT, DM_COMBINE_TARGET, "kernel target not available (is dm-combine installed?)");
	else
		memcpy(version, versions->version, sizeof(versions->version));
	dm_task_destroy(task);
	return r;
}

int device_check_target(unsigned int min_minor, const char *feature)
{
	uint32_t version[3];
	int r = target_version(version);

	if (r)
		return r;
	if (version[0] != DM_COMBINE_VERSION_MAJOR)
		return log_error(-EPROTO, DM_COMBINE_TARGET, "kernel target version %u.%u.%u, this tool needs %u.x",
				 version[0], version[1], version[2], DM_COMBINE_VERSION_MAJOR);
	if (version[1] < min_minor)
		return log_error(-EPROTO, DM_COMBINE_TARGET, "kernel target version %u.%u.%u has no %s (needs %u.%u or later): update dm-combine",
				 version[0], version[1], version[2], feature, DM_COMBINE_VERSION_MAJOR,
				 min_minor);
	return 0;
}

int device_target_minor(unsigned int *minor)
{
	uint32_t version[3];
	int r = target_version(version);

	if (!r)
		*minor = version[1];
	return r;
}

/* Creates name with one target over size sectors; udev_flags for its rules. */
static int create_device(const char *name, const char *uuid, uint64_t size, const char *target,
			 const char *params, uint16_t udev_flags)
{
	struct dm_task *task = task_for(DM_DEVICE_CREATE, name);
	int r;

	if (!task)
		return -ENOMEM;
	if (!dm_task_set_uuid(task, uuid) || !dm_task_add_target(task, 0, size, target, params))
		r = log_error(-ENOMEM, name, "cannot prepare the device");
	else
		r = run_with_udev_flags(task, name, "create", udev_flags);
	dm_task_destroy(task);
	return r;
}

int device_create(const char *name, const char *uuid, uint64_t size, const char *params)
{
	return create_device(name, uuid, size, DM_COMBINE_TARGET, params, 0);
}

int device_create_layer(const char *name, const char *uuid, uint64_t size, const char *target,
			const char *params)
{
	/* As lvm2 hides pvmove's mirror: no links, no scans, no other rules. */
	return create_device(name, uuid, size, target, params,
			     DM_UDEV_DISABLE_SUBSYSTEM_RULES_FLAG | DM_UDEV_DISABLE_DISK_RULES_FLAG |
			     DM_UDEV_DISABLE_OTHER_RULES_FLAG);
}

/* Resumes name (with its loaded table, if one was loaded); action for errors. */
static int resume_device(const char *name, const char *action)
{
	struct dm_task *task = task_for(DM_DEVICE_RESUME, name);
	int r = task ? run_with_udev_sync(task, name, action) : -ENOMEM;

	if (task)
		dm_task_destroy(task);
	return r;
}

int device_reload(const char *name, uint64_t size, const char *params)
{
	struct dm_task *task = task_for(DM_DEVICE_RELOAD, name);
	int r = 0;

	if (!task)
		return -ENOMEM;
	if (!dm_task_add_target(task, 0, size, DM_COMBINE_TARGET, params))
		r = log_error(-ENOMEM, name, "cannot prepare the new table");
	else if (!dm_task_run(task))
		r = log_error(task_error(task), name, "the kernel refused the new table: %s",
			      strerror(-task_error(task)));
	dm_task_destroy(task);
	if (r)
		return r;
	stop_point("table-loaded");
	r = resume_device(name, "resume with the new table");
	/* The loaded table holds the new volumes (and loop devices) open: let go. */
	if (r)
		device_clear(name);
	return r;
}

int device_suspend(const char *name)
{
	return run_task(DM_DEVICE_SUSPEND, name, "cannot suspend");
}

int device_resume(const char *name)
{
	return resume_device(name, "resume");
}

int device_clear(const char *name)
{
	return run_task(DM_DEVICE_CLEAR, name, "cannot clear the loaded table");
}

int device_remove(const char *name)
{
	struct dm_task *task = task_for(DM_DEVICE_REMOVE, name);
	int r;

	if (!task)
		return -ENOMEM;
	/* udev may still be probing the device: retry a short while on EBUSY. */
	dm_task_retry_remove(task);
	r = run_with_udev_sync(task, name, "remove");
	dm_task_destroy(task);
	return r;
}

void device_drop_cache(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dm_dir(), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BLKFLSBUF, 0))
		log_verbose("%s: cached pages of %s not dropped: %s", name, path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/*
 * DM_DEVICE_INFO of name into info, all zero for no such device (not open,
 * not suspended, no tables), and with uuid its DM UUID ("" if none).
 */
static int query_info(const char *name, struct dm_info *info, char *uuid, size_t size)
{
	struct dm_task *task = task_for(DM_DEVICE_INFO, name);
	const char *dm_uuid;
	int r = 0;

	if (!task)
		return -ENOMEM;
	if (!dm_task_run(task) || !dm_task_get_info(task, info)) {
		r = log_error(task_error(task), name, "cannot query device-mapper: %s",
			      strerror(-task_error(task)));
	} else {
		if (!info->exists)
			*info = (struct dm_info){ 0 };
		dm_uuid = info->exists ? dm_task_get_uuid(task) : NULL;
		if (uuid)
			snprintf(uuid, size, "%s", dm_uuid ? dm_uuid : "");
	}
	dm_task_destroy(task);
	return r;
}

int device_info(const char *name, bool *exists, char *uuid, size_t size)
{
	struct dm_info info;
	int r = query_info(name, &info, uuid, size);

	if (!r)
		*exists = info.exists;
	return r;
}

int device_tables(const char *name, bool *live, bool *inactive)
{
	struct dm_info info;
	int r = query_info(name, &info, NULL, 0);

	if (!r) {
		*live = info.live_table;
		*inactive = info.inactive_table;
	}
	return r;
}

int device_open_count(const char *name, int *count)
{
	struct dm_info info;
	int r = query_info(name, &info, NULL, 0);

	if (!r)
		*count = info.open_count;
	return r;
}

int device_suspended(const char *name, bool *suspended)
{
	struct dm_info info;
	int r = query_info(name, &info, NULL, 0);

	if (!r)
		*suspended = info.suspended;
	return r;
}

int device_devno(const char *name, dev_t *devno)
{
	struct dm_info info;
	int r = query_info(name, &info, NULL, 0);

	if (!r && !info.exists)
		r = -ENXIO;
	if (!r)
		*devno = makedev((unsigned int)info.major, (unsigned int)info.minor);
	return r;
}

int device_params(const char *name, bool info, char **params)
{
	return device_target_params(name, DM_COMBINE_TARGET, info, params);
}

int device_target_params(const char *name, const char *target, bool info, char **params)
{
	struct dm_task *task = task_for(info ? DM_DEVICE_STATUS : DM_DEVICE_TABLE, name);
	char *target_type = NULL, *target_params = NULL;
	uint64_t start, length;
	void *next;
	int r = 0;

	if (!task)
		return -ENOMEM;
	if (!dm_task_run(task)) {
		r = log_error(task_error(task), name, "cannot read the %s: %s", info ? "status" : "table",
			      strerror(-task_error(task)));
		goto out;
	}
	next = dm_get_next_target(task, NULL, &start, &length, &target_type, &target_params);
	if (next || !target_type || strcmp(target_type, target) || !target_params) {
		r = log_error(-EINVAL, name, "not a single %s target", target);
		goto out;
	}
	*params = strdup(target_params);
	if (!*params)
		r = log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
out:
	dm_task_destroy(task);
	return r;
}

int device_message(const char *name, const char *message, char **response)
{
	struct dm_task *task = task_for(DM_DEVICE_TARGET_MSG, name);
	const char *answer;
	int r = 0;

	if (!task)
		return -ENOMEM;
	/* libdevmapper asks again with a larger buffer while the answer does not fit. */
	if (!dm_task_set_sector(task, 0) || !dm_task_set_message(task, message)) {
		r = log_error(-ENOMEM, name, "cannot prepare a device-mapper task");
		goto out;
	}
	if (!dm_task_run(task)) {
		r = log_error(task_error(task), name, "message \"%s\" failed: %s", message,
			      strerror(-task_error(task)));
		goto out;
	}
	answer = dm_task_get_message_response(task);
	*response = strdup(answer ? answer : "");
	if (!*response)
		r = log_error(-ENOMEM, name, "%s", strerror(ENOMEM));
out:
	dm_task_destroy(task);
	return r;
}
