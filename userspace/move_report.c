// SPDX-License-Identifier: GPL-2.0-only
/* move --json: the report of a move, as the other changes give theirs (report.h). */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "move.h"
#include "output.h"
#include "report.h"
#include "store.h"

int move_report(const struct options *options, const char *name, const char *id,
		enum move_done done, const char *to)
{
	static const char *const words[] = {
		[MOVE_MOVED] = "moved",
		[MOVE_ABORTED] = "aborted",
		[MOVE_BACKGROUND] = "moving in the background",
	};
	json_object *json, *move = NULL;
	struct combined *combined;
	bool active = false;
	char *outcome;
	int r;

	if (!options->json)
		return 0;
	r = store_load(options->config_dir, name, &combined);
	if (!r)
		r = get_active(combined, &active);
	if (!r && active)
		r = load_live_devices(combined);
	if (r) {
		combined_free(combined);
		return r;
	}
	json = report_json(&(struct change){
		.command = "move", .done = words[done], .name = name, .combined = combined,
		.volumes = &id, .nr_volumes = 1, .device_left = active,
		.map_saved = done == MOVE_MOVED });
	/* An ended move's outcome, as status shows it (and still will, once). */
	if (done != MOVE_BACKGROUND &&
	    !store_load_side(options->config_dir, name, STORE_MOVED, &outcome)) {
		move = json_tokener_parse(outcome);
		free(outcome);
	} else if (done == MOVE_BACKGROUND) {
		move = json_object_new_object();
		json_object_object_add(move, "id", json_object_new_string(id));
		json_object_object_add(move, "to", json_object_new_string(to));
		json_object_object_add(move, "state", json_object_new_string("copying"));
	}
	json_object_object_add(json, "move", move);
	output_json(stdout, json);
	combined_free(combined);
	return fflush(stdout) ? -EIO : 0;
}
