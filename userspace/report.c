// SPDX-License-Identifier: GPL-2.0-only
/* --dry-run's and --json's account of a change. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dm-combine.h"
#include "log.h"
#include "output.h"
#include "registry.h"
#include "sysfs.h"
#include "report.h"
#include "table.h"

int report_table_line(const struct combined *combined, char **line)
{
	char *params = table_params(combined);
	int r = 0;

	if (!params)
		return -EINVAL;
	if (asprintf(line, "0 %" PRIu64 " %s %s", combined_size(combined), DM_COMBINE_TARGET,
		     params) < 0)
		r = log_error(-ENOMEM, combined->name, "%s", strerror(ENOMEM));
	free(params);
	return r;
}

/* /dev paths of the regions' devices, as map --json names them; NULL without memory. */
static char **device_paths(const struct change *change)
{
	const struct combined *combined = change->combined;
	char **devices = calloc(combined->nr_regions + 1, sizeof(*devices));
	char path[PATH_MAX];
	size_t i;

	for (i = 0; devices && change->device_left && i < combined->nr_regions; i++)
		if (!combined->regions[i].hole && combined->regions[i].devno &&
		    !sysfs_device_path(combined->regions[i].devno, path, sizeof(path)))
			devices[i] = strdup(path);
	return devices;
}

static json_object *map_json(const struct change *change)
{
	char **devices;
	json_object *map;
	size_t i;

	if (!change->combined || change->map_deleted)
		return NULL;
	devices = device_paths(change);
	if (!devices)
		return NULL;
	map = output_map_json(change->combined, devices);
	for (i = 0; i < change->combined->nr_regions; i++)
		free(devices[i]);
	free(devices);
	return map;
}

static json_object *change_json(const struct change *change, const char *table, bool dry_run)
{
	json_object *obj = json_object_new_object(), *volumes = json_object_new_array();
	char device[PATH_MAX];
	size_t i;

	snprintf(device, sizeof(device), "/dev/mapper/%s", change->name);
	json_object_object_add(obj, "command", json_object_new_string(change->command));
	json_object_object_add(obj, "dry_run", json_object_new_boolean(dry_run));
	json_object_object_add(obj, "done", dry_run ? NULL : json_object_new_string(change->done));
	json_object_object_add(obj, "name", json_object_new_string(change->name));
	json_object_object_add(obj, "device", change->device_left ?
			       json_object_new_string(device) : NULL);
	for (i = 0; i < change->nr_volumes; i++)
		json_object_array_add(volumes, json_object_new_string(change->volumes[i]));
	json_object_object_add(obj, "volumes", volumes);
	json_object_object_add(obj, "table", table ? json_object_new_string(table) : NULL);
	json_object_object_add(obj, "map_saved", json_object_new_boolean(change->map_saved));
	json_object_object_add(obj, "map_deleted", json_object_new_boolean(change->map_deleted));
	json_object_object_add(obj, "map", map_json(change));
	return obj;
}

static int print_dry_run(const struct options *options, const struct change *change,
			 const char *table)
{
	char *map = NULL;

	printf("dry run: %s %s, nothing changed\n", change->command, change->name);
	if (table)
		printf("table: %s\n", table);
	if (change->device_removed)
		printf("device: /dev/mapper/%s would be removed\n", change->name);
	if (change->map_deleted)
		printf("map: %s/%s.json would be deleted\n", options->config_dir, change->name);
	if (change->map_saved) {
		/* As store_save writes it: the next generation. */
		struct combined next = *change->combined;

		next.generation++;
		map = registry_format(&next);
		if (!map)
			return log_error(-ENOMEM, change->name, "%s", strerror(ENOMEM));
		printf("map: %s/%s.json would be saved as generation %" PRIu64 ":\n%s",
		       options->config_dir, change->name, next.generation, map);
	}
	free(map);
	return 0;
}

json_object *report_json(const struct change *change)
{
	return change_json(change, NULL, false);
}

int report_change(const struct options *options, const struct change *change)
{
	char *table = NULL;
	int r = 0;

	if (!options->dry_run && !options->json)
		return 0;
	if (change->loads_table)
		r = report_table_line(change->combined, &table);
	if (r)
		return r;
	if (options->json)
		output_json(stdout, change_json(change, table, options->dry_run));
	else
		r = print_dry_run(options, change, table);
	free(table);
	return r;
}
