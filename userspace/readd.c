// SPDX-License-Identifier: GPL-2.0-only
/* Missing volumes of a degraded device put back once present (readd.h). */
#include <errno.h>
#include <stdlib.h>

#include "commands.h"
#include "incremental.h"
#include "log.h"
#include "member.h"
#include "readd.h"
#include "report.h"
#include "table.h"

/* Volume index back in its region; *params, the live table, follows. */
static int readd_one(const struct options *options, struct combined *combined, size_t index,
		     char **params)
{
	struct region *region = &combined->regions[index];
	const char *id = region->id;
	struct change change = { .command = "assemble", .done = "re-added", .name = combined->name,
				 .combined = combined, .loads_table = true, .volumes = &id,
				 .nr_volumes = 1, .device_left = true, .map_saved = true };
	struct member member;
	bool done;
	int r;

	r = member_find_saved(region, &member);
	if (r)
		return r;
	/* take_identity copies it: the map keeps the source the user gave. */
	member.spec.source = region->source;
	r = replace_region(options, combined, index, &member, *params, &change, &done);
	member_release(&member);
	if (r)
		return r;
	log_info("%s: volume %s of %s is back: its region maps it again", combined->name, id,
		 combined->name);
	free(*params);
	*params = table_params(combined);
	return *params ? 0 : -EINVAL;
}

int readd_present(const struct options *options, struct combined *combined)
{
	char *params = NULL;
	size_t i;
	int r, one;

	r = load_live_devices(combined);
	if (!r) {
		params = table_params(combined);
		r = params ? 0 : -EINVAL;
	}
	for (i = 0; params && i < combined->nr_regions; i++) {
		if (!combined->regions[i].missing || !volume_present(&combined->regions[i]))
			continue;
		log_verbose("%s: volume %s, missing, is present: putting it back", combined->name,
			    combined->regions[i].id);
		one = readd_one(options, combined, i, &params);
		if (!r)
			r = one;
	}
	free(params);
	return r;
}
