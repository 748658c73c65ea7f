// SPDX-License-Identifier: GPL-2.0-only
/* A saved map read on another host: the refusals and the comparison of import. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "identity.h"
#include "portable.h"

/* map --json output has "volumes" where a saved map has "regions". */
static bool is_map_output(const char *text, size_t len)
{
	json_tokener *tokener = json_tokener_new();
	json_object *root;
	bool found;

	if (!tokener)
		return false;
	root = json_tokener_parse_ex(tokener, text, (int)len);
	found = json_object_is_type(root, json_type_object) &&
		json_object_object_get_ex(root, "volumes", NULL) &&
		!json_object_object_get_ex(root, "regions", NULL);
	json_object_put(root);
	json_tokener_free(tokener);
	return found;
}

static bool kind_portable(enum identity_kind kind)
{
	return kind == IDENTITY_DM_UUID || kind == IDENTITY_WWN || kind == IDENTITY_SERIAL ||
	       kind == IDENTITY_PARTUUID || kind == IDENTITY_FILE;
}

/* Each volume saved by a portable identity, which becomes its source. */
static int make_portable(struct combined *combined, char why[REGISTRY_WHY_MAX])
{
	enum identity_kind kind;
	size_t i;
	char *source;

	for (i = 0; i < combined->nr_regions; i++) {
		struct region *region = &combined->regions[i];

		if (region->hole)
			continue;
		kind = identity_kind_of(region->identity, region->loop);
		if (!kind_portable(kind)) {
			snprintf(why, REGISTRY_WHY_MAX,
				 "volume %s is saved by a %s identity, which another host does not give the same device (a WWN, serial, DM UUID, PARTUUID or image file path is needed)",
				 region->id, identity_kind_name(kind));
			return -EINVAL;
		}
		source = strdup(region->identity);
		if (!source)
			return -ENOMEM;
		free(region->source);
		region->source = source;
	}
	return 0;
}

int portable_parse(const char *text, size_t len, const char *name, struct combined **combined,
		   char why[REGISTRY_WHY_MAX])
{
	int r;

	if (name && !name_is_valid(name)) {
		snprintf(why, REGISTRY_WHY_MAX, "invalid name %s", name);
		return -EINVAL;
	}
	r = registry_parse(text, len, combined, why);
	if (r == -EINVAL && is_map_output(text, len))
		snprintf(why, REGISTRY_WHY_MAX,
			 "map --json output describes a device but cannot rebuild it: import the saved map (what dmcombine share NAME prints)");
	if (r)
		return r;
	r = make_portable(*combined, why);
	if (r) {
		combined_free(*combined);
		*combined = NULL;
		return r;
	}
	if (name)
		snprintf((*combined)->name, sizeof((*combined)->name), "%s", name);
	(*combined)->shared = true;
	return 0;
}

static bool same_region(const struct region *a, const struct region *b)
{
	if (a->start != b->start || a->length != b->length || a->hole != b->hole ||
	    a->gpt_area != b->gpt_area)
		return false;
	if (a->hole)
		return true;
	return !strcmp(a->id, b->id) && !strcmp(a->identity, b->identity) && a->size == b->size &&
	       a->offset == b->offset && a->loop == b->loop && a->partition == b->partition &&
	       !strcmp(a->partuuid, b->partuuid) && !strcmp(a->parttype, b->parttype);
}

bool portable_same_disk(const struct combined *a, const struct combined *b)
{
	size_t i;

	if (strcmp(a->uuid, b->uuid) || a->layout != b->layout ||
	    a->logical_block_size != b->logical_block_size || a->nr_regions != b->nr_regions)
		return false;
	for (i = 0; i < a->nr_regions; i++)
		if (!same_region(&a->regions[i], &b->regions[i]))
			return false;
	return true;
}
