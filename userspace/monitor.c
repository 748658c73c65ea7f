// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmcombine monitor: logs each volume of a combined device that starts
 * failing, goes missing or comes back (recovers, or is put back after a
 * degraded start: readd.h), as mdadm --monitor does for arrays.
 *
 * It waits for device-mapper events the way DM_DEVICE_WAITEVENT does, but
 * for every device at once: DM_DEV_ARM_POLL on /dev/mapper/control, then
 * poll(2) on it, which returns once any device raised an event since the
 * arming (the target raises one on a region's first error, and dm on every
 * table change). After each event, and at the latest every --interval
 * seconds (a target or kernel without events, a missed one), it reads each
 * active combined device's status and compares every volume's state with
 * the last look (target 1.4: every region's counters only when the
 * status summary shows failures). Transitions go to syslog (journald takes them), and to
 * stderr too unless stderr is the journal already (JOURNAL_STREAM).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/dm-ioctl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dm-combine.h"
#include "commands.h"
#include "counters.h"
#include "dm.h"
#include "identity.h"
#include "lock.h"
#include "log.h"
#include "output.h"
#include "store.h"
#include "sysfs.h"
#include "table.h"

/* After log.h: its LOG_ levels are not syslog's. */
#include <syslog.h>

#define MONITOR_INTERVAL_DEFAULT 60
/* A look waits this long for a change in progress, then skips a round. */
#define MONITOR_LOCK_WAIT 10

/* What the last look saw of one volume. */
struct watched {
	char name[NAME_MAX_LEN + 1];
	char id[NAME_MAX_LEN + 1];
	const char *state;		/* output_volume_state's */
	bool seen;			/* in this round */
};

struct monitor {
	struct watched *volumes;
	size_t count;
};

static volatile sig_atomic_t stopping;

static void stop(int signal_number)
{
	(void)signal_number;
	stopping = 1;
}

/* One line to syslog at priority, printed on stderr by openlog's LOG_PERROR when wanted. */
static void report(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void report(int priority, const char *fmt, ...)
{
	char raw[1024], line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	log_escape(line, sizeof(line), raw);
	syslog(priority, "%s", line);
}

/* stderr that is not the journal already gets every line too. */
static bool stderr_is_journal(void)
{
	const char *stream = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return stream && sscanf(stream, "%llu:%llu", &dev, &ino) == 2 &&
	       !fstat(STDERR_FILENO, &st) && st.st_dev == dev && st.st_ino == ino;
}

/* Arms the control node: poll(2) returns once any device raises an event after this. */
static int arm(int control)
{
	struct dm_ioctl dmi = {
		.version = { DM_VERSION_MAJOR, 0, 0 },
		.data_size = sizeof(dmi),
		.data_start = sizeof(dmi),
	};

	return ioctl(control, DM_DEV_ARM_POLL, &dmi) ? -errno : 0;
}

static struct watched *watched_find(struct monitor *monitor, const char *name, const char *id)
{
	struct watched *volumes;
	size_t i;

	for (i = 0; i < monitor->count; i++)
		if (!strcmp(monitor->volumes[i].name, name) && !strcmp(monitor->volumes[i].id, id))
			return &monitor->volumes[i];
	volumes = realloc(monitor->volumes, (monitor->count + 1) * sizeof(*volumes));
	if (!volumes)
		return NULL;
	monitor->volumes = volumes;
	volumes = &volumes[monitor->count++];
	memset(volumes, 0, sizeof(*volumes));
	snprintf(volumes->name, sizeof(volumes->name), "%s", name);
	snprintf(volumes->id, sizeof(volumes->id), "%s", id);
	volumes->state = "ok";	/* a volume is presumed well until seen otherwise */
	return volumes;
}

/* Logs the volume's change of state, if any. */
static void look_at_volume(struct monitor *monitor, const struct combined *combined,
			   const struct region *region, const struct region_counters *counters)
{
	char device[256] = "-";
	struct watched *watched = watched_find(monitor, combined->name, region->id);
	const char *state;

	if (!watched)
		return;
	watched->seen = true;
	if (region->devno && sysfs_device_path(region->devno, device, sizeof(device)))
		snprintf(device, sizeof(device), "-");
	state = output_volume_state(counters, !region->devno);
	if (!strcmp(state, watched->state))
		return;
	if (!strcmp(state, "failing"))
		report(LOG_ERR, "%s: volume %s (%s on %s) is failing: %" PRIu64 " I/O errors, %" PRIu64
		       " flush errors, %" PRIu64 " reads, %" PRIu64 " writes (/dev/mapper/%s; dmcombine status %s)",
		       combined->name, region->id, region->source, device, counters->errors,
		       counters->flush_errors, counters->reads, counters->writes, combined->name,
		       combined->name);
	else if (!strcmp(state, "missing"))
		report(LOG_ERR, "%s: volume %s (%s) is missing: its region is a hole (/dev/mapper/%s)",
		       combined->name, region->id, region->source, combined->name);
	else if (!strcmp(watched->state, "missing"))
		report(LOG_NOTICE, "%s: volume %s (%s on %s) is back: its region maps it again (/dev/mapper/%s)",
		       combined->name, region->id, region->source, device, combined->name);
	else
		report(LOG_NOTICE, "%s: volume %s (%s on %s) recovered: was %s, now %" PRIu64
		       " I/O errors, %" PRIu64 " flush errors (/dev/mapper/%s)",
		       combined->name, region->id, region->source, device, watched->state,
		       counters->errors, counters->flush_errors, combined->name);
	watched->state = state;
}

/* One device: its status, each volume's state. */
static void look_at_device(struct monitor *monitor, const char *config_dir, const char *name)
{
	char expected[256], uuid[256];
	struct region_counters *counters = NULL;
	struct region_latency *latency = NULL;
	struct combined *combined;
	dev_t *devnos = NULL;
	bool active, failures;
	size_t i;

	if (store_load(config_dir, name, &combined))
		return;
	snprintf(expected, sizeof(expected), DM_COMBINE_UUID_PREFIX "%s", combined->uuid);
	if (device_info(name, &active, uuid, sizeof(uuid)) || !active || strcmp(uuid, expected))
		goto out;
	counters = calloc(combined->nr_regions + 1, sizeof(*counters));
	devnos = calloc(combined->nr_regions + 1, sizeof(*devnos));
	/* The histograms are not looked at, but the counters' text holds them. */
	if (combined->latency)
		latency = calloc(combined->nr_regions + 1, sizeof(*latency));
	if (!counters || !devnos || (combined->latency && !latency) ||
	    identity_live_devices(name, combined, devnos) ||
	    device_region_failures(name, combined->nr_regions, &failures))
		goto out;
	/* Without failures every volume is ok or missing: zero counters say as much. */
	if (failures && device_region_counters(name, combined->nr_regions, counters, latency))
		goto out;
	for (i = 0; i < combined->nr_regions; i++) {
		if (combined->regions[i].hole)
			continue;
		combined->regions[i].devno = devnos[i];
		look_at_volume(monitor, combined, &combined->regions[i], &counters[i]);
	}
out:
	free(devnos);
	free(latency);
	free(counters);
	combined_free(combined);
}

/* A look at every saved device, under the shared lock; volumes no longer seen are forgotten. */
static void look(struct monitor *monitor, const char *config_dir)
{
	size_t i, kept, count;
	char **names;
	int lock;

	lock = lock_take(LOCK_DIR, LOCK_SH, MONITOR_LOCK_WAIT);
	if (lock < 0)
		return;
	for (i = 0; i < monitor->count; i++)
		monitor->volumes[i].seen = false;
	if (!store_list(config_dir, &names, &count)) {
		for (i = 0; i < count; i++)
			look_at_device(monitor, config_dir, names[i]);
		store_list_free(names, count);
	}
	lock_release(lock);
	/* Gone, dropped or inactive: a later failure of the same volume is news again. */
	for (i = 0, kept = 0; i < monitor->count; i++)
		if (monitor->volumes[i].seen)
			monitor->volumes[kept++] = monitor->volumes[i];
	monitor->count = kept;
}

int command_monitor(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	int interval = options->interval > 0 ? options->interval : MONITOR_INTERVAL_DEFAULT;
	struct sigaction action = { .sa_handler = stop };
	struct monitor monitor = { 0 };
	struct pollfd control;
	int r;

	/* No SA_RESTART: poll returns at once. */
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGINT, &action, NULL);
	openlog("dmcombine", LOG_PID | (stderr_is_journal() ? 0 : LOG_PERROR), LOG_DAEMON);
	control.fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	control.events = POLLIN;
	r = control.fd < 0 ? -errno : arm(control.fd);
	if (r) {
		log_info("monitor: no device-mapper events (%s): looking every %d seconds",
			 strerror(-r), interval);
		if (control.fd >= 0)
			close(control.fd);
		control.fd = -1;
	}
	report(LOG_INFO, "monitor: watching the devices of %s (events%s, at least every %d s)",
	       options->config_dir, control.fd < 0 ? " unavailable" : "", interval);
	while (!stopping) {
		look(&monitor, options->config_dir);
		if (stopping)
			break;
		/* An event between the look and the poll stays pending: poll sees it. */
		if (poll(&control, control.fd >= 0, interval * 1000) > 0 && arm(control.fd))
			break;
	}
	report(LOG_INFO, "monitor: stopped");
	if (control.fd >= 0)
		close(control.fd);
	free(monitor.volumes);
	closelog();
	return stopping ? 0 : log_error(-EIO, "monitor", "cannot wait for events any more");
}
