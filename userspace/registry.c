// SPDX-License-Identifier: GPL-2.0-only
/* Registry files: JSON text to a map and back. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "dm-combine.h"
#include "registry.h"
#include "uuid.h"

/* Deeper than the format ever nests: refuses nesting bombs early. */
#define REGISTRY_MAX_DEPTH 8

/*
 * The optional keys last: maps saved before "generation" existed lack it
 * (generation 0); "latency" and "shared" are written only when true, so
 * that maps without them stay readable by tools before them.
 */
static const char *const device_keys[] = {
	"format", "name", "uuid", "layout", "logical_block_size", "regions",
	"generation", "latency", "shared",
};
#define DEVICE_REQUIRED_KEYS 6
static const char *const volume_keys[] = {
	"id", "source", "identity", "size", "start", "length", "offset", "loop",
};
/*
 * A volume under gpt: volume_keys and its partition; "headroom" last:
 * written only when not 0, so maps without it stay readable by older tools.
 */
static const char *const gpt_volume_keys[] = {
	"id", "source", "identity", "size", "start", "length", "offset", "loop",
	"partition", "partuuid", "parttype", "headroom",
};
static const char *const hole_keys[] = { "start", "length" };
static const char *const gpt_area_keys[] = { "start", "length", "gpt" };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int refuse(char why[REGISTRY_WHY_MAX], const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse(char why[REGISTRY_WHY_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, REGISTRY_WHY_MAX, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The object has exactly these keys: no unknown ones, none missing. */
static int check_keys(json_object *obj, const char *const *keys, size_t nr_keys,
		      const char *where, char why[REGISTRY_WHY_MAX])
{
	size_t i;

	json_object_object_foreach(obj, key, value) {
		(void)value;
		for (i = 0; i < nr_keys && strcmp(key, keys[i]); i++)
			;
		if (i == nr_keys)
			return refuse(why, "%s: unknown key \"%.64s\"", where, key);
	}
	for (i = 0; i < nr_keys; i++)
		if (!json_object_object_get_ex(obj, keys[i], NULL))
			return refuse(why, "%s: \"%s\" missing", where, keys[i]);
	return 0;
}

static int get_string(json_object *obj, const char *key, const char **value,
		      const char *where, char why[REGISTRY_WHY_MAX])
{
	json_object *field = json_object_object_get(obj, key);

	if (!json_object_is_type(field, json_type_string))
		return refuse(why, "%s: \"%s\" is not a string", where, key);
	*value = json_object_get_string(field);
	if (strlen(*value) != (size_t)json_object_get_string_len(field) || !text_is_safe(*value))
		return refuse(why, "%s: \"%s\" holds control characters, invalid UTF-8 or is too long", where, key);
	return 0;
}

/* A count of sectors (or bytes): an integer from 0 to MAX_SECTORS. */
static int get_number(json_object *obj, const char *key, uint64_t *value,
		      const char *where, char why[REGISTRY_WHY_MAX])
{
	json_object *field = json_object_object_get(obj, key);
	int64_t number;

	if (!json_object_is_type(field, json_type_int))
		return refuse(why, "%s: \"%s\" is not an integer", where, key);
	number = json_object_get_int64(field);
	if (number < 0 || (uint64_t)number > MAX_SECTORS)
		return refuse(why, "%s: \"%s\" out of range", where, key);
	*value = (uint64_t)number;
	return 0;
}

/* A GUID as the tool writes it: canonical, lower case, not all zeros. */
static int get_guid(json_object *obj, const char *key, char guid[UUID_STRING_LEN + 1],
		    const char *where, char why[REGISTRY_WHY_MAX])
{
	const char *text;
	int r = get_string(obj, key, &text, where, why);

	if (r)
		return r;
	if (!uuid_is_valid(text) || !strcmp(text, "00000000-0000-0000-0000-000000000000"))
		return refuse(why, "%s: \"%s\" is not a lower-case GUID", where, key);
	strcpy(guid, text);
	return 0;
}

/* The partition of a volume under gpt; numbers are checked across volumes later. */
static int parse_partition(json_object *obj, struct region *volume, const char *where,
			   char why[REGISTRY_WHY_MAX])
{
	uint64_t partition;
	int r;

	r = get_number(obj, "partition", &partition, where, why);
	if (!r)
		r = get_guid(obj, "partuuid", volume->partuuid, where, why);
	if (!r)
		r = get_guid(obj, "parttype", volume->parttype, where, why);
	if (r)
		return r;
	if (partition < 1 || partition > DMC_GPT_ENTRIES)
		return refuse(why, "%s: partition %llu (1 to %u possible)", where,
			      (unsigned long long)partition, DMC_GPT_ENTRIES);
	if (strlen(volume->id) > DMC_GPT_NAME_UNITS)
		return refuse(why, "%s: ID longer than %u characters, too long for a GPT name",
			      where, DMC_GPT_NAME_UNITS);
	volume->partition = (unsigned int)partition;
	return 0;
}

static int parse_volume(json_object *obj, const struct combined *combined,
			struct region *volume, const char *where, char why[REGISTRY_WHY_MAX])
{
	const char *id, *source, *identity;
	json_object *loop;
	int r;

	bool has_headroom = json_object_object_get_ex(obj, "headroom", NULL);

	r = combined->layout == LAYOUT_GPT ?
		check_keys(obj, gpt_volume_keys, ARRAY_SIZE(gpt_volume_keys) - !has_headroom,
			   where, why) :
		check_keys(obj, volume_keys, ARRAY_SIZE(volume_keys), where, why);
	if (!r && has_headroom)
		r = get_number(obj, "headroom", &volume->headroom, where, why);
	if (!r)
		r = get_string(obj, "id", &id, where, why);
	if (!r)
		r = get_string(obj, "source", &source, where, why);
	if (!r)
		r = get_string(obj, "identity", &identity, where, why);
	if (!r)
		r = get_number(obj, "size", &volume->size, where, why);
	if (!r)
		r = get_number(obj, "offset", &volume->offset, where, why);
	if (r)
		return r;
	if (!name_is_valid(id))
		return refuse(why, "%s: invalid ID", where);
	if (!source[0])
		return refuse(why, "%s: empty source", where);
	if (identity[0] != '/' && strncmp(identity, "DM_UUID=", 8) && strncmp(identity, "UUID=", 5) &&
	    strncmp(identity, "PARTUUID=", 9))
		return refuse(why, "%s: identity is neither a path nor DM_UUID=, PARTUUID= or UUID=", where);
	loop = json_object_object_get(obj, "loop");
	if (!json_object_is_type(loop, json_type_boolean))
		return refuse(why, "%s: \"loop\" is not a boolean", where);
	if (!volume->size || !sectors_aligned(volume->size, combined->logical_block_size) ||
	    !sectors_aligned(volume->offset, combined->logical_block_size) ||
	    !sectors_aligned(volume->headroom, combined->logical_block_size))
		return refuse(why, "%s: size, offset or headroom is zero or not a multiple of the logical block size", where);
	strcpy(volume->id, id);
	volume->source = (char *)source;
	volume->identity = (char *)identity;
	volume->loop = json_object_get_boolean(loop);
	return combined->layout == LAYOUT_GPT ? parse_partition(obj, volume, where, why) : 0;
}

static int parse_region(json_object *obj, struct combined *combined, size_t index,
			char why[REGISTRY_WHY_MAX])
{
	struct region volume = { 0 };
	uint64_t start, length;
	char where[32];
	bool hole, gpt_area;
	int r;

	snprintf(where, sizeof(where), "region %zu", index);
	if (!json_object_is_type(obj, json_type_object))
		return refuse(why, "%s: not an object", where);
	hole = !json_object_object_get_ex(obj, "id", NULL);
	gpt_area = json_object_object_get_ex(obj, "gpt", NULL);
	if (gpt_area && combined->layout != LAYOUT_GPT)
		return refuse(why, "%s: a gpt area in a map of layout %s", where,
			      layout_name(combined->layout));
	if (gpt_area && !json_object_get_boolean(json_object_object_get(obj, "gpt")))
		return refuse(why, "%s: \"gpt\" is not true", where);
	if (hole && gpt_area)
		r = check_keys(obj, gpt_area_keys, ARRAY_SIZE(gpt_area_keys), where, why);
	else if (hole)
		r = check_keys(obj, hole_keys, ARRAY_SIZE(hole_keys), where, why);
	else
		r = parse_volume(obj, combined, &volume, where, why);
	if (!r)
		r = get_number(obj, "start", &start, where, why);
	if (!r)
		r = get_number(obj, "length", &length, where, why);
	if (r)
		return r;
	if (start != combined_size(combined))
		return refuse(why, "%s: starts at %llu, not where the previous region ends (%llu)",
			      where, (unsigned long long)start,
			      (unsigned long long)combined_size(combined));
	if (!length || !sectors_aligned(length, combined->logical_block_size))
		return refuse(why, "%s: length is zero or not a multiple of the logical block size", where);
	if (!hole && (volume.offset > volume.size || length > volume.size - volume.offset))
		return refuse(why, "%s: reaches past the end of its volume", where);
	r = gpt_area ? combined_append_gpt_area(combined, length) :
		       combined_append(combined, hole ? NULL : &volume, length);
	if (r == -EEXIST)
		return refuse(why, "%s: ID \"%s\" used twice", where, volume.id);
	if (r == -E2BIG)
		return refuse(why, "%s: the device would be too large", where);
	return r;
}

/*
 * What the target needs of a gpt map besides its regions: the GPT at both
 * ends, and one partition number and GUID per volume.
 */
static int check_gpt_map(const struct combined *combined, char why[REGISTRY_WHY_MAX])
{
	const struct region *first = &combined->regions[0];
	const struct region *last = &combined->regions[combined->nr_regions - 1];
	bool taken[DMC_GPT_ENTRIES + 1] = { false };
	size_t i, j;

	if (!first->gpt_area || first->length < gpt_head_sectors(combined->logical_block_size))
		return refuse(why, "the first region is not a gpt area large enough for the GPT");
	if (!last->gpt_area || last->length < gpt_tail_sectors(combined->logical_block_size))
		return refuse(why, "the last region is not a gpt area large enough for the backup GPT");
	/* Numbers in 1..128, each once: so at most 128 volumes below. */
	for (i = 0; i < combined->nr_regions; i++) {
		const struct region *region = &combined->regions[i];

		if (region->hole)
			continue;
		if (taken[region->partition])
			return refuse(why, "region %zu: partition %u used twice", i, region->partition);
		taken[region->partition] = true;
	}
	/* A reserve is room after the volume that nothing else uses. */
	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole &&
		    combined->regions[i].headroom > combined_room(combined, i))
			return refuse(why, "region %zu: headroom larger than the gpt areas after it", i);
	for (i = 0; i < combined->nr_regions; i++)
		for (j = i + 1; !combined->regions[i].hole && j < combined->nr_regions; j++)
			if (!combined->regions[j].hole &&
			    !strcmp(combined->regions[i].partuuid, combined->regions[j].partuuid))
				return refuse(why, "region %zu: partuuid used twice", j);
	return 0;
}

/* An optional boolean key: absent is false. */
static int get_flag(json_object *root, const char *key, bool *value, char why[REGISTRY_WHY_MAX])
{
	json_object *flag;

	if (!json_object_object_get_ex(root, key, &flag))
		return 0;
	if (!json_object_is_type(flag, json_type_boolean))
		return refuse(why, "device: \"%s\" is not a boolean", key);
	*value = json_object_get_boolean(flag);
	return 0;
}

/* The device's keys: the required ones, and the optional ones the map has. */
static int check_device_keys(json_object *root, char why[REGISTRY_WHY_MAX])
{
	const char *keys[ARRAY_SIZE(device_keys)];
	size_t i, nr_keys = 0;

	for (i = 0; i < ARRAY_SIZE(device_keys); i++)
		if (i < DEVICE_REQUIRED_KEYS || json_object_object_get_ex(root, device_keys[i], NULL))
			keys[nr_keys++] = device_keys[i];
	return check_keys(root, keys, nr_keys, "device", why);
}

static int parse_device(json_object *root, struct combined **out, char why[REGISTRY_WHY_MAX])
{
	const char *name, *uuid, *layout_text;
	uint64_t format, block_size, generation = 0;
	bool has_generation = json_object_object_get_ex(root, "generation", NULL);
	bool latency = false, shared = false;
	json_object *regions;
	struct combined *combined;
	enum layout layout;
	size_t i, count;
	int r;

	if (!json_object_is_type(root, json_type_object))
		return refuse(why, "not a JSON object");
	r = check_device_keys(root, why);
	if (!r && has_generation)
		r = get_number(root, "generation", &generation, "device", why);
	if (!r)
		r = get_flag(root, "latency", &latency, why);
	if (!r)
		r = get_flag(root, "shared", &shared, why);
	if (!r)
		r = get_number(root, "format", &format, "device", why);
	if (!r)
		r = get_string(root, "name", &name, "device", why);
	if (!r)
		r = get_string(root, "uuid", &uuid, "device", why);
	if (!r)
		r = get_string(root, "layout", &layout_text, "device", why);
	if (!r)
		r = get_number(root, "logical_block_size", &block_size, "device", why);
	if (r)
		return r;
	if (format != REGISTRY_FORMAT)
		return refuse(why, "format %llu is not %d", (unsigned long long)format, REGISTRY_FORMAT);
	if (!name_is_valid(name))
		return refuse(why, "invalid name");
	if (!uuid_is_valid(uuid))
		return refuse(why, "invalid uuid");
	if (layout_parse(layout_text, &layout))
		return refuse(why, "unknown layout");
	if (block_size > MAX_LOGICAL_BLOCK_SIZE || !logical_block_size_valid((unsigned int)block_size))
		return refuse(why, "invalid logical block size");
	if (layout == LAYOUT_GPT && block_size > DMC_GPT_MAX_BLOCK_SIZE)
		return refuse(why, "logical block size larger than a GPT allows (%u)", DMC_GPT_MAX_BLOCK_SIZE);
	regions = json_object_object_get(root, "regions");
	if (!json_object_is_type(regions, json_type_array))
		return refuse(why, "\"regions\" is not an array");
	count = json_object_array_length(regions);
	if (!count || count > DM_COMBINE_MAX_REGIONS)
		return refuse(why, "%zu regions (1 to %u possible)", count, DM_COMBINE_MAX_REGIONS);

	combined = combined_new(name, uuid, layout, (unsigned int)block_size);
	if (!combined)
		return -ENOMEM;
	combined->generation = generation;
	combined->latency = latency;
	combined->shared = shared;
	for (i = 0; i < count && !r; i++)
		r = parse_region(json_object_array_get_idx(regions, i), combined, i, why);
	if (!r && !combined_volume_count(combined))
		r = refuse(why, "no volumes, only holes");
	if (!r && layout == LAYOUT_GPT)
		r = check_gpt_map(combined, why);
	if (r) {
		combined_free(combined);
		return r;
	}
	*out = combined;
	return 0;
}

int registry_parse(const char *text, size_t len, struct combined **combined,
		   char why[REGISTRY_WHY_MAX])
{
	json_tokener *tokener;
	json_object *root;
	int r;

	if (len > REGISTRY_MAX_BYTES)
		return refuse(why, "larger than %u bytes", REGISTRY_MAX_BYTES);
	if (memchr(text, '\0', len))
		return refuse(why, "holds NUL bytes");
	tokener = json_tokener_new_ex(REGISTRY_MAX_DEPTH);
	if (!tokener)
		return -ENOMEM;
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	/* Strict mode also refuses anything but white space after the object. */
	root = json_tokener_parse_ex(tokener, text, (int)len);
	if (!root && json_tokener_get_error(tokener) == json_tokener_continue)
		r = refuse(why, "truncated JSON");
	else if (!root)
		r = refuse(why, "not valid JSON (%s at byte %zu)",
			   json_tokener_error_desc(json_tokener_get_error(tokener)),
			   json_tokener_get_parse_end(tokener));
	else
		r = parse_device(root, combined, why);
	json_object_put(root);
	json_tokener_free(tokener);
	return r;
}

static json_object *format_region(const struct region *region, enum layout layout)
{
	json_object *obj = json_object_new_object();

	if (!region->hole) {
		json_object_object_add(obj, "id", json_object_new_string(region->id));
		json_object_object_add(obj, "source", json_object_new_string(region->source));
		json_object_object_add(obj, "identity", json_object_new_string(region->identity));
		json_object_object_add(obj, "size", json_object_new_int64((int64_t)region->size));
	}
	json_object_object_add(obj, "start", json_object_new_int64((int64_t)region->start));
	json_object_object_add(obj, "length", json_object_new_int64((int64_t)region->length));
	if (!region->hole) {
		json_object_object_add(obj, "offset", json_object_new_int64((int64_t)region->offset));
		json_object_object_add(obj, "loop", json_object_new_boolean(region->loop));
	}
	if (region->gpt_area)
		json_object_object_add(obj, "gpt", json_object_new_boolean(true));
	if (layout == LAYOUT_GPT && !region->hole) {
		json_object_object_add(obj, "partition", json_object_new_int((int)region->partition));
		json_object_object_add(obj, "partuuid", json_object_new_string(region->partuuid));
		json_object_object_add(obj, "parttype", json_object_new_string(region->parttype));
		if (region->headroom)
			json_object_object_add(obj, "headroom",
					       json_object_new_int64((int64_t)region->headroom));
	}
	return obj;
}

char *registry_format(const struct combined *combined)
{
	json_object *root = json_object_new_object(), *regions = json_object_new_array();
	char *text = NULL;
	size_t i;

	json_object_object_add(root, "format", json_object_new_int(REGISTRY_FORMAT));
	json_object_object_add(root, "name", json_object_new_string(combined->name));
	json_object_object_add(root, "uuid", json_object_new_string(combined->uuid));
	json_object_object_add(root, "layout", json_object_new_string(layout_name(combined->layout)));
	json_object_object_add(root, "logical_block_size",
			       json_object_new_int((int)combined->logical_block_size));
	json_object_object_add(root, "generation", json_object_new_int64((int64_t)combined->generation));
	if (combined->shared)
		json_object_object_add(root, "shared", json_object_new_boolean(true));
	if (combined->latency)
		json_object_object_add(root, "latency", json_object_new_boolean(true));
	for (i = 0; i < combined->nr_regions; i++)
		json_object_array_add(regions, format_region(&combined->regions[i], combined->layout));
	json_object_object_add(root, "regions", regions);
	if (asprintf(&text, "%s\n", json_object_to_json_string_ext(root,
		     JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)) < 0)
		text = NULL;
	json_object_put(root);
	return text;
}
