// SPDX-License-Identifier: GPL-2.0-only
/* import, share and unshare: a map on more than one host (import.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "dm.h"
#include "import.h"
#include "log.h"
#include "output.h"
#include "portable.h"
#include "report.h"
#include "store.h"

/* The whole of path ("-": standard input), at most REGISTRY_MAX_BYTES. */
static int read_input(const char *path, char **text, size_t *len)
{
	size_t size = 0, used = 0;
	char *more;
	ssize_t n = 1;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : STDIN_FILENO;
	int r = 0;

	if (fd < 0)
		return log_error(-errno, path, "%s", strerror(errno));
	*text = NULL;
	/* One byte more than allowed tells a file that is too large. */
	while (!r && n && used <= REGISTRY_MAX_BYTES) {
		if (used == size) {
			size = size ? size * 2 : 65536;
			if (size > REGISTRY_MAX_BYTES + 1UL)
				size = REGISTRY_MAX_BYTES + 1UL;
			more = realloc(*text, size);
			if (!more)
				r = log_error(-ENOMEM, path, "%s", strerror(ENOMEM));
			else
				*text = more;
			continue;
		}
		n = read(fd, *text + used, size - used);
		if (n < 0 && errno != EINTR)
			r = log_error(-errno, path, "cannot read: %s", strerror(errno));
		else if (n > 0)
			used += (size_t)n;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (!r && used > REGISTRY_MAX_BYTES)
		r = log_error(-EFBIG, path, "larger than %u bytes: refused", REGISTRY_MAX_BYTES);
	if (r) {
		free(*text);
		return r;
	}
	*len = used;
	return 0;
}

/*
 * A map of that name exists here: equal, the import is done (marked shared
 * again, as another host has it); different, refused. 1 when done.
 */
static int import_again(const char *config_dir, const struct combined *combined)
{
	struct combined *existing;
	int r = store_load(config_dir, combined->name, &existing);

	if (r)
		return r;
	if (strcmp(existing->uuid, combined->uuid)) {
		r = log_error(-EEXIST, combined->name, "another map of this name exists here (import --name NEW)");
	} else if (!portable_same_disk(existing, combined)) {
		r = log_error(-EEXIST, combined->name, "this map exists here with another layout, changed on one host since (dmcombine remove %s --forget here first, once its device is unused)",
			      combined->name);
	} else if (!existing->shared) {
		existing->shared = true;
		r = store_save_mark(config_dir, existing);
	}
	if (!r)
		log_info("%s: already imported, marked shared", combined->name);
	combined_free(existing);
	return r ? r : 1;
}

/* No other map here has the UUID: device-mapper would refuse the second device. */
static int check_uuid_unused(const char *config_dir, const struct combined *combined)
{
	struct combined *other;
	char **names;
	size_t i, count;
	int r = store_list(config_dir, &names, &count);

	for (i = 0; !r && i < count; i++) {
		/* One that cannot be read is reported by its own commands, not this one's. */
		if (!strcmp(names[i], combined->name) || store_load(config_dir, names[i], &other))
			continue;
		if (!strcmp(other->uuid, combined->uuid))
			r = log_error(-EEXIST, combined->name, "this map is registered here as %s already",
				      other->name);
		combined_free(other);
	}
	store_list_free(names, count);
	return r;
}

int command_import(const struct invocation *invocation)
{
	const struct options *options = &invocation->options;
	const char *file = invocation->argv[0];
	char why[REGISTRY_WHY_MAX], uuid[256], *text = NULL;
	struct combined *combined = NULL;
	bool exists;
	size_t len = 0;
	int r;

	r = read_input(file, &text, &len);
	if (r)
		return r;
	r = portable_parse(text, len, options->name, &combined, why);
	free(text);
	if (r == -EINVAL)
		return log_error(r, file, "cannot be imported: %s", why);
	if (r)
		return log_error(r, file, "%s", strerror(-r));
	if (store_exists(options->config_dir, combined->name)) {
		r = import_again(options->config_dir, combined);
		if (r > 0)
			r = report_change(options, &(struct change){
				.command = "import", .done = "already imported",
				.name = combined->name, .combined = combined });
		combined_free(combined);
		return r;
	}
	r = check_uuid_unused(options->config_dir, combined);
	if (!r)
		r = device_info(combined->name, &exists, uuid, sizeof(uuid));
	if (!r && exists)
		r = log_error(-EEXIST, combined->name, "a device-mapper device of this name exists");
	if (!r)
		r = saved_volumes_present(options->config_dir, combined);
	/* The one change, atomic: a kill before it leaves nothing. */
	if (!r)
		r = store_save(options->config_dir, combined);
	if (!r)
		log_info("%s: imported, %zu volume%s found; shared: its layout stays until dmcombine unshare %s (dmcombine assemble %s activates it)",
			 combined->name, combined_volume_count(combined),
			 combined_volume_count(combined) == 1 ? "" : "s", combined->name,
			 combined->name);
	if (!r)
		r = report_change(options, &(struct change){
			.command = "import", .done = "imported", .name = combined->name,
			.combined = combined, .map_saved = true });
	combined_free(combined);
	return r;
}

/*
 * Marks the map NAME shared or not; the marked map in *combined, and in
 * *change what --json reports (combined's devices as map shows them).
 */
static int set_shared(const struct invocation *invocation, bool shared,
		      struct combined **combined, struct change *change)
{
	const char *config_dir = invocation->options.config_dir;
	bool active = false;
	int r = store_load(config_dir, invocation->argv[0], combined);

	if (r)
		return r;
	/*
	 * The report names the device and its volumes' devices while it is
	 * active: looked up first, so that a failure leaves the mark as it was.
	 */
	if (invocation->options.json)
		r = get_active(*combined, &active);
	if (!r && active)
		r = load_live_devices(*combined);
	*change = (struct change){ .command = shared ? "share" : "unshare",
				   .done = shared ? "shared" : "unshared",
				   .name = (*combined)->name, .combined = *combined,
				   .device_left = active };
	if (!r && (*combined)->shared != shared) {
		(*combined)->shared = shared;
		r = store_save_mark(config_dir, *combined);
		change->map_saved = !r;
	}
	if (r)
		combined_free(*combined);
	return r;
}

/* share --json: the report, and the map to import beside it as "shared_map". */
static int print_share_json(const struct change *change, const char *text)
{
	json_object *json = report_json(change), *map = json_tokener_parse(text);

	if (!map) {
		json_object_put(json);
		return log_error(-EINVAL, change->name, "cannot print the map");
	}
	json_object_object_add(json, "shared_map", map);
	output_json(stdout, json);
	return 0;
}

int command_share(const struct invocation *invocation)
{
	struct combined *combined;
	struct change change;
	char *text;
	int r = set_shared(invocation, true, &combined, &change);

	if (r)
		return r;
	text = registry_format(combined);
	if (text && invocation->options.json)
		r = print_share_json(&change, text);
	else if (!text || fputs(text, stdout) == EOF || fflush(stdout) == EOF)
		r = log_error(text ? -EIO : -ENOMEM, combined->name, "cannot print the map");
	if (!r)
		log_info("%s: shared: its layout stays until dmcombine unshare %s", combined->name,
			 combined->name);
	free(text);
	combined_free(combined);
	return r;
}

int command_unshare(const struct invocation *invocation)
{
	struct combined *combined;
	struct change change;
	int r = set_shared(invocation, false, &combined, &change);

	if (r)
		return r;
	log_info("%s: no longer shared: add and drop change it again", combined->name);
	r = report_change(&invocation->options, &change);
	combined_free(combined);
	return r;
}
