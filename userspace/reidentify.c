// SPDX-License-Identifier: GPL-2.0-only
/* Saved identities rewritten to host-assigned ones, checked against the live table. */
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
#include "generation.h"
#include "identity.h"
#include "log.h"
#include "loop.h"
#include "reidentify.h"
#include "store.h"
#include "sysfs.h"

/* "/dev/NAME" of devno for messages, its number when it has no node. */
static void device_name(dev_t devno, char *name, size_t size)
{
	if (sysfs_device_path(devno, name, size))
		snprintf(name, size, "device %u:%u", major(devno), minor(devno));
}

/* The saved identity of an image file must be the file behind its loop. */
static int check_file(const struct region *region, dev_t loop)
{
	struct stat st;
	dev_t file_dev;
	ino_t file_ino;
	char name[PATH_MAX];

	device_name(loop, name, sizeof(name));
	if (stat(region->identity, &st) || loop_backing(loop, &file_dev, &file_ino) ||
	    st.st_dev != file_dev || st.st_ino != file_ino)
		return log_error(-ESTALE, region->id, "%s is not the file behind %s, which the live table uses",
				 region->identity, name);
	return 0;
}

/* The saved identity must name exactly devno; then the host's identity of devno into identity. */
static int host_identity(const struct region *region, dev_t devno, char *identity, size_t size)
{
	char live[PATH_MAX], named[PATH_MAX];
	dev_t devnos[2];
	struct stat st;
	size_t count;
	int fd, r;

	device_name(devno, live, sizeof(live));
	r = identity_resolve(region->identity, devnos, 2, &count);
	if (r)
		return log_error(r, region->id, "cannot list block devices: %s", strerror(-r));
	if (count != 1 || devnos[0] != devno) {
		if (count)
			device_name(devnos[0], named, sizeof(named));
		return log_error(-ESTALE, region->id, "%s names %s, the live table uses %s: not changed",
				 region->identity,
				 !count ? "no device" : count > 1 ? "more than one device" : named, live);
	}
	fd = open(live, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return log_error(-errno, live, "%s", strerror(errno));
	if (fstat(fd, &st) || !S_ISBLK(st.st_mode) || st.st_rdev != devno)
		r = log_error(-ESTALE, live, "is not the device the live table uses");
	else
		identity_choose(devno, fd, identity, size);
	close(fd);
	return r;
}

int command_reidentify(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	char dm_uuid[256], expected[256], identity[PATH_MAX], *changed;
	struct combined *combined;
	size_t i, nr_changed = 0;
	dev_t *devnos = NULL;
	bool active;
	int r;

	r = store_load(options->config_dir, invocation->argv[0], &combined);
	if (r)
		return r;
	snprintf(expected, sizeof(expected), DM_COMBINE_UUID_PREFIX "%s", combined->uuid);
	r = device_info(combined->name, &active, dm_uuid, sizeof(dm_uuid));
	if (!r && (!active || strcmp(dm_uuid, expected)))
		r = log_error(-ENXIO, combined->name, "not active as this map: the live table is what each identity is checked against (dmcombine assemble %s)",
			      combined->name);
	if (!r) {
		devnos = calloc(combined->nr_regions + 1, sizeof(*devnos));
		r = devnos ? identity_live_devices(combined->name, combined, devnos) :
			     log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	}
	/* Every volume checked before anything is saved. */
	for (i = 0; !r && i < combined->nr_regions; i++) {
		struct region *region = &combined->regions[i];

		/* A missing volume (assembled degraded) keeps its identity. */
		if (region->hole || !devnos[i])
			continue;
		if (region->loop) {
			r = check_file(region, devnos[i]);
			continue;
		}
		r = host_identity(region, devnos[i], identity, sizeof(identity));
		if (r || !strcmp(identity, region->identity))
			continue;
		changed = strdup(identity);
		if (!changed) {
			r = log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
			break;
		}
		log_info("%s: volume %s: %s -> %s", combined->name, region->id, region->identity,
			 changed);
		free(region->identity);
		region->identity = changed;
		nr_changed++;
	}
	if (!r && nr_changed) {
		r = store_save(options->config_dir, combined);
		/* The live table is the new generation too: only identities changed. */
		if (!r) {
			generation_record(combined);
			generation_warn_images(combined);
		}
	}
	if (!r)
		log_info("%s: %zu identit%s rewritten", combined->name, nr_changed,
			 nr_changed == 1 ? "y" : "ies");
	free(devnos);
	combined_free(combined);
	return r;
}
