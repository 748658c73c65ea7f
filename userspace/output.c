// SPDX-License-Identifier: GPL-2.0-only
/* JSON and text output of list, map and status. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"
#include "log.h"
#include "output.h"

/* The widest table: status's. */
#define MAX_COLUMNS 11

void format_iec(uint64_t bytes, char *text, size_t size)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int unit = 0;
	uint64_t tenths;

	while (unit + 1 < sizeof(units) / sizeof(units[0]) && bytes >> (10 * (unit + 1)))
		unit++;
	if (!unit) {
		snprintf(text, size, "%" PRIu64 " B", bytes);
		return;
	}
	/* Rounded tenths of the unit, computed without overflowing 64 bits. */
	tenths = (bytes >> (10 * unit)) * 10 +
		 (((bytes & ((UINT64_C(1) << (10 * unit)) - 1)) >> (10 * unit - 10)) * 10 + 512) / 1024;
	if (tenths >= 10240 && unit + 1 < sizeof(units) / sizeof(units[0])) {
		unit++;
		tenths = 10;
	}
	if (tenths % 10)
		snprintf(text, size, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10, tenths % 10, units[unit]);
	else
		snprintf(text, size, "%" PRIu64 " %s", tenths / 10, units[unit]);
}

static json_object *sectors_json(uint64_t sectors)
{
	return json_object_new_int64((int64_t)sectors);
}

/* key in 512-byte sectors and key_bytes beside it (MAX_SECTORS keeps bytes within 64 bits). */
static void add_size(json_object *obj, const char *key, uint64_t sectors)
{
	char bytes_key[64];

	snprintf(bytes_key, sizeof(bytes_key), "%s_bytes", key);
	json_object_object_add(obj, key, sectors_json(sectors));
	json_object_object_add(obj, bytes_key, json_object_new_uint64(sectors * SECTOR_SIZE));
}

/* A counter of sectors: "read_sectors" gets "read_bytes" beside it. */
static void add_sector_counter(json_object *obj, const char *key, const uint64_t *sectors)
{
	char bytes_key[64];
	size_t stem = strlen(key) - strlen("_sectors");

	snprintf(bytes_key, sizeof(bytes_key), "%.*s_bytes", (int)stem, key);
	json_object_object_add(obj, key, sectors ? sectors_json(*sectors) : NULL);
	json_object_object_add(obj, bytes_key, sectors ?
			       json_object_new_uint64(*sectors * SECTOR_SIZE) : NULL);
}

static json_object *device_header_json(const struct combined *combined)
{
	json_object *obj = json_object_new_object();

	json_object_object_add(obj, "name", json_object_new_string(combined->name));
	json_object_object_add(obj, "uuid", json_object_new_string(combined->uuid));
	json_object_object_add(obj, "layout", json_object_new_string(layout_name(combined->layout)));
	add_size(obj, "size", combined_size(combined));
	json_object_object_add(obj, "shared", json_object_new_boolean(combined->shared));
	return obj;
}

static json_object *volume_json(const struct region *region, const char *device)
{
	json_object *obj = json_object_new_object();

	json_object_object_add(obj, "id", json_object_new_string(region->id));
	json_object_object_add(obj, "source", json_object_new_string(region->source));
	json_object_object_add(obj, "identity", json_object_new_string(region->identity));
	json_object_object_add(obj, "identity_kind", json_object_new_string(
		identity_kind_name(identity_kind_of(region->identity, region->loop))));
	json_object_object_add(obj, "device", device ? json_object_new_string(device) : NULL);
	add_size(obj, "start", region->start);
	add_size(obj, "length", region->length);
	add_size(obj, "offset", region->offset);
	/* The same keys for every layout: null where the layout has no partitions. */
	json_object_object_add(obj, "partition", region->partition ?
			       json_object_new_int((int)region->partition) : NULL);
	json_object_object_add(obj, "partuuid", region->partuuid[0] ?
			       json_object_new_string(region->partuuid) : NULL);
	add_size(obj, "headroom", region->headroom);
	json_object_object_add(obj, "missing", json_object_new_boolean(region->missing));
	return obj;
}

const char *output_volume_state(const struct region_counters *counters, bool missing)
{
	if (missing)
		return "missing";
	return counters->errors || counters->flush_errors ? "failing" : "ok";
}

/*
 * Counters of one volume and its state; null values while the device is
 * not active, and for the counters a target before 1.2 does not keep.
 */
static void add_counters_json(json_object *obj, const struct region_counters *counters,
			      bool missing)
{
	const char *const keys[DM_COMBINE_STATUS_COUNTERS] = {
		"reads", "writes", "read_sectors", "write_sectors", "errors", "discards",
		"discard_sectors", "write_zeroes", "write_zeroes_sectors", "flush_errors",
	};
	uint64_t values[DM_COMBINE_STATUS_COUNTERS] = { 0 };
	size_t i, known = 0;

	if (counters) {
		values[0] = counters->reads;
		values[1] = counters->writes;
		values[2] = counters->read_sectors;
		values[3] = counters->write_sectors;
		values[4] = counters->errors;
		values[5] = counters->discards;
		values[6] = counters->discard_sectors;
		values[7] = counters->write_zeroes;
		values[8] = counters->write_zeroes_sectors;
		values[9] = counters->flush_errors;
		known = counters->by_kind ? DM_COMBINE_STATUS_COUNTERS :
					    DM_COMBINE_STATUS_COUNTERS_1_1;
	}
	for (i = 0; i < DM_COMBINE_STATUS_COUNTERS; i++) {
		if (strstr(keys[i], "_sectors"))
			add_sector_counter(obj, keys[i], i < known ? &values[i] : NULL);
		else
			json_object_object_add(obj, keys[i], i < known ?
					       json_object_new_int64((int64_t)values[i]) : NULL);
	}
	json_object_object_add(obj, "state", counters ?
			       json_object_new_string(output_volume_state(counters, missing)) : NULL);
}

static json_object *volumes_json(const struct combined *combined, char *const *devices,
				 bool with_counters, const struct region_counters *counters)
{
	json_object *obj = device_header_json(combined), *volumes = json_object_new_array();
	json_object *holes = json_object_new_array(), *hole;
	size_t i;

	for (i = 0; i < combined->nr_regions; i++) {
		const struct region *region = &combined->regions[i];
		json_object *volume;

		/* Holes a drop left; the gpt layout's own areas are not the user's. */
		if (region->hole && !region->gpt_area) {
			hole = json_object_new_object();
			add_size(hole, "start", region->start);
			add_size(hole, "length", region->length);
			json_object_array_add(holes, hole);
		}
		if (region->hole)
			continue;
		volume = volume_json(region, devices[i]);
		if (with_counters)
			add_counters_json(volume, counters ? &counters[i] : NULL, !devices[i]);
		json_object_array_add(volumes, volume);
	}
	json_object_object_add(obj, "volumes", volumes);
	json_object_object_add(obj, "holes", holes);
	return obj;
}

json_object *output_map_json(const struct combined *combined, char *const *devices)
{
	return volumes_json(combined, devices, false, NULL);
}

json_object *output_status_json(const struct combined *combined, char *const *devices,
				 const struct region_counters *counters, bool active)
{
	json_object *obj = volumes_json(combined, devices, true, counters);

	json_object_object_add(obj, "active", json_object_new_boolean(active));
	return obj;
}

json_object *output_list_entry_json(const struct combined *combined, bool active)
{
	json_object *obj = device_header_json(combined);

	json_object_object_add(obj, "volumes",
			       json_object_new_int64((int64_t)combined_volume_count(combined)));
	json_object_object_add(obj, "active", json_object_new_boolean(active));
	return obj;
}

static json_object *string_or_null(const char *text)
{
	return text[0] ? json_object_new_string(text) : NULL;
}

json_object *output_exports_json(const struct lio_export *exports, size_t count)
{
	json_object *array = json_object_new_array();
	size_t i;

	for (i = 0; i < count; i++) {
		json_object *obj = json_object_new_object();

		json_object_object_add(obj, "fabric",
				       json_object_new_string(lio_fabric_name(exports[i].fabric)));
		json_object_object_add(obj, "wwn", json_object_new_string(exports[i].wwn));
		json_object_object_add(obj, "disk", string_or_null(exports[i].disk));
		if (exports[i].fabric == LIO_ISCSI) {
			json_object_object_add(obj, "portal", string_or_null(exports[i].portal));
			json_object_object_add(obj, "initiators",
					       json_object_new_int64((int64_t)exports[i].nr_initiators));
		}
		json_object_array_add(array, obj);
	}
	return array;
}

void output_exports_text(FILE *out, const struct lio_export *exports, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		fprintf(out, "exported over %s as %s", lio_fabric_name(exports[i].fabric),
			exports[i].wwn);
		if (exports[i].disk[0])
			fprintf(out, ", disk %s", exports[i].disk);
		if (exports[i].fabric == LIO_ISCSI)
			fprintf(out, ", portal %s, %zu initiators", exports[i].portal[0] ?
				exports[i].portal : "none", exports[i].nr_initiators);
		fputc('\n', out);
	}
}

/*
 * A string field of a saved export in text ("" when absent), control
 * bytes escaped: the file is text an admin may have edited.
 */
static const char *saved_field(json_object *entry, const char *key, char *text, size_t size)
{
	json_object *field;

	if (!json_object_object_get_ex(entry, key, &field) ||
	    !json_object_is_type(field, json_type_string))
		return "";
	log_escape(text, size, json_object_get_string(field));
	return text;
}

void output_saved_exports_text(FILE *out, json_object *entries)
{
	json_object *entry, *initiators;
	char text[1024];
	size_t i;

	for (i = 0; entries && i < json_object_array_length(entries); i++) {
		entry = json_object_array_get_idx(entries, i);
		fprintf(out, "saved export over %s, made again at boot",
			saved_field(entry, "fabric", text, sizeof(text)));
		if (*saved_field(entry, "portal", text, sizeof(text)))
			fprintf(out, ", portal %s", text);
		if (json_object_object_get_ex(entry, "initiators", &initiators) &&
		    json_object_is_type(initiators, json_type_array))
			fprintf(out, ", %zu initiators", json_object_array_length(initiators));
		if (*saved_field(entry, "chap_user", text, sizeof(text)))
			fprintf(out, ", CHAP user %s", text);
		fputc('\n', out);
	}
}

void output_json(FILE *out, json_object *obj)
{
	if (json_object_is_type(obj, json_type_object) &&
	    !json_object_object_get_ex(obj, "schema", NULL))
		json_object_object_add(obj, "schema", json_object_new_int(OUTPUT_JSON_SCHEMA));
	fprintf(out, "%s\n", json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
}

/* Cells of a text table, row after row, the header first. */
struct text_table {
	size_t nr_columns, nr_cells;
	char **cells;
	bool failed;		/* out of memory: print nothing */
};

static void text_table_add(struct text_table *table, const char *text)
{
	char **cells;

	if (table->failed)
		return;
	cells = realloc(table->cells, (table->nr_cells + 1) * sizeof(*cells));
	if (cells) {
		table->cells = cells;
		cells[table->nr_cells] = strdup(text);
	}
	if (!cells || !cells[table->nr_cells]) {
		table->failed = true;
		return;
	}
	table->nr_cells++;
}

static void text_table_start(struct text_table *table, const char *const *header,
			     size_t nr_columns)
{
	size_t i;

	table->nr_columns = nr_columns;
	for (i = 0; i < nr_columns; i++)
		text_table_add(table, header[i]);
}

static void text_table_add_number(struct text_table *table, uint64_t number)
{
	char text[24];

	snprintf(text, sizeof(text), "%" PRIu64, number);
	text_table_add(table, text);
}

static void text_table_add_size(struct text_table *table, uint64_t sectors)
{
	char text[24];

	format_iec(sectors * SECTOR_SIZE, text, sizeof(text));
	text_table_add(table, text);
}

/* Columns on screen: UTF-8 continuation bytes take none. */
static size_t text_width(const char *text)
{
	size_t width = 0;

	for (; *text; text++)
		width += ((unsigned char)*text & 0xc0) != 0x80;
	return width;
}

/* Prints and frees the table; columns whose bit is set in right_aligned are numbers. */
static void text_table_print(FILE *out, struct text_table *table, unsigned int right_aligned)
{
	size_t widths[MAX_COLUMNS] = { 0 };
	size_t i, column, pad;

	for (i = 0; i < table->nr_cells && !table->failed; i++) {
		column = i % table->nr_columns;
		if (text_width(table->cells[i]) > widths[column])
			widths[column] = text_width(table->cells[i]);
	}
	for (i = 0; i < table->nr_cells && !table->failed; i++) {
		column = i % table->nr_columns;
		pad = widths[column] - text_width(table->cells[i]);
		if (right_aligned & (1U << column))
			fprintf(out, "%*s%s", (int)pad, "", table->cells[i]);
		else if (column + 1 < table->nr_columns)
			fprintf(out, "%s%*s", table->cells[i], (int)pad, "");
		else
			fputs(table->cells[i], out);
		fputs(column + 1 < table->nr_columns ? "  " : "\n", out);
	}
	if (table->failed)
		fputs("(out of memory)\n", out);
	for (i = 0; i < table->nr_cells; i++)
		free(table->cells[i]);
	free(table->cells);
}

static void print_device_header(FILE *out, const struct combined *combined, bool active)
{
	char size[24];

	format_iec(combined_size(combined) * SECTOR_SIZE, size, sizeof(size));
	fprintf(out, "%s: %s, %s, %s, logical block size %u, uuid %s%s\n", combined->name,
		active ? "active" : "not active", layout_name(combined->layout), size,
		combined->logical_block_size, combined->uuid,
		combined->shared ? ", shared with another host" : "");
}

void output_map_text(FILE *out, const struct combined *combined, char *const *devices,
		     bool active)
{
	const char *const header[] = { "ID", "PART", "SOURCE", "DEVICE", "START", "SIZE", "OFFSET",
				       "KIND", "IDENTITY", "HEADROOM" };
	bool gpt = combined->layout == LAYOUT_GPT;
	struct text_table table = { 0 };
	enum identity_kind kind;
	size_t i, weak = 0;

	print_device_header(out, combined, active);
	/* Only gpt volumes have headroom: its column is gpt's. */
	text_table_start(&table, header, sizeof(header) / sizeof(header[0]) - !gpt);
	for (i = 0; i < combined->nr_regions; i++) {
		const struct region *region = &combined->regions[i];

		/* The GPT and padding between volumes are the layout's, not the user's. */
		if (region->gpt_area)
			continue;
		text_table_add(&table, region->hole ? "-" : region->id);
		if (region->partition)
			text_table_add_number(&table, region->partition);
		else
			text_table_add(&table, "-");
		text_table_add(&table, region->hole ? "(hole)" : region->source);
		text_table_add(&table, devices[i] ? devices[i] : region->missing ? "missing" : "-");
		text_table_add_size(&table, region->start);
		text_table_add_size(&table, region->length);
		text_table_add_size(&table, region->offset);
		kind = identity_kind_of(region->hole ? "" : region->identity, region->loop);
		text_table_add(&table, region->hole ? "-" : identity_kind_name(kind));
		text_table_add(&table, region->hole ? "-" : region->identity);
		if (gpt && region->hole)
			text_table_add(&table, "-");
		else if (gpt)
			text_table_add_size(&table, region->headroom);
		weak += !region->hole && identity_kind_weak(kind);
	}
	text_table_print(out, &table, 1U << 1 | 1U << 4 | 1U << 5 | 1U << 6 | 1U << 9);
	if (weak)
		fprintf(out, "%zu volume%s saved by a weak identity (kernel-name: may move; guest-data: the guest writes it): see dmcombine reidentify %s\n",
			weak, weak == 1 ? " is" : "s are", combined->name);
}

void output_status_text(FILE *out, const struct combined *combined, char *const *devices,
			const struct region_counters *counters, bool active)
{
	const char *const header[] = { "ID", "DEVICE", "READS", "WRITES", "READ", "WRITTEN",
				       "DISCARDED", "ZEROED", "ERRORS", "FLUSH-ERRORS", "STATE" };
	struct text_table table = { 0 };
	size_t i;

	print_device_header(out, combined, active);
	if (!counters)
		return;
	text_table_start(&table, header, sizeof(header) / sizeof(header[0]));
	for (i = 0; i < combined->nr_regions; i++) {
		if (combined->regions[i].hole)
			continue;
		text_table_add(&table, combined->regions[i].id);
		text_table_add(&table, devices[i] ? devices[i] :
			       combined->regions[i].missing ? "missing" : "-");
		text_table_add_number(&table, counters[i].reads);
		text_table_add_number(&table, counters[i].writes);
		text_table_add_size(&table, counters[i].read_sectors);
		text_table_add_size(&table, counters[i].write_sectors);
		/* A target before 1.2 counts discards and write-zeroes as writes. */
		if (counters[i].by_kind) {
			text_table_add_size(&table, counters[i].discard_sectors);
			text_table_add_size(&table, counters[i].write_zeroes_sectors);
		} else {
			text_table_add(&table, "-");
			text_table_add(&table, "-");
		}
		text_table_add_number(&table, counters[i].errors);
		if (counters[i].by_kind)
			text_table_add_number(&table, counters[i].flush_errors);
		else
			text_table_add(&table, "-");
		text_table_add(&table, output_volume_state(&counters[i], !devices[i]));
	}
	text_table_print(out, &table, 0x3fcU);
}

void output_list_text(FILE *out, struct combined *const *combined, const bool *active,
		      size_t count)
{
	const char *const header[] = { "NAME", "LAYOUT", "SIZE", "VOLUMES", "STATE" };
	struct text_table table = { 0 };
	size_t i;

	text_table_start(&table, header, sizeof(header) / sizeof(header[0]));
	for (i = 0; i < count; i++) {
		text_table_add(&table, combined[i]->name);
		text_table_add(&table, layout_name(combined[i]->layout));
		text_table_add_size(&table, combined_size(combined[i]));
		text_table_add_number(&table, combined_volume_count(combined[i]));
		text_table_add(&table, active[i] ? "active" : "not active");
	}
	text_table_print(out, &table, 1U << 2 | 1U << 3);
}

/* Microseconds, rounded, or null when there is no estimate. */
static json_object *usecs_json(bool known, double usecs)
{
	return known ? json_object_new_int64((int64_t)(usecs + 0.5)) : NULL;
}

static json_object *histogram_json(const struct latency_histogram *histogram)
{
	json_object *obj = json_object_new_object(), *buckets = json_object_new_array();
	double usecs = 0;
	bool known;
	unsigned int b;

	json_object_object_add(obj, "count",
			       json_object_new_int64((int64_t)latency_count(histogram)));
	json_object_object_add(obj, "usecs", json_object_new_int64((int64_t)histogram->usecs));
	known = latency_mean(histogram, &usecs);
	json_object_object_add(obj, "mean_usecs", usecs_json(known, usecs));
	known = latency_quantile(histogram, 0.5, &usecs);
	json_object_object_add(obj, "p50_usecs", usecs_json(known, usecs));
	known = latency_quantile(histogram, 0.99, &usecs);
	json_object_object_add(obj, "p99_usecs", usecs_json(known, usecs));
	for (b = 0; b < DM_COMBINE_LATENCY_BUCKETS; b++)
		json_object_array_add(buckets, json_object_new_int64((int64_t)histogram->buckets[b]));
	json_object_object_add(obj, "buckets", buckets);
	return obj;
}

static json_object *latency_json(const struct region_latency *latency)
{
	json_object *obj;

	if (!latency)
		return NULL;
	obj = json_object_new_object();
	json_object_object_add(obj, "read", histogram_json(&latency->read));
	json_object_object_add(obj, "write", histogram_json(&latency->write));
	return obj;
}

void output_status_latency_json(json_object *status, const struct combined *combined,
				 const struct region_latency *latency)
{
	json_object *volumes = json_object_object_get(status, "volumes");
	size_t i, v = 0;

	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole)
			json_object_object_add(json_object_array_get_idx(volumes, v++), "latency",
					       latency_json(latency ? &latency[i] : NULL));
}

/* Milliseconds with two decimals, "-" without a value. */
static void text_table_add_ms(struct text_table *table, bool known, double usecs)
{
	char text[32];

	snprintf(text, sizeof(text), "%.2f", usecs / 1000);
	text_table_add(table, known ? text : "-");
}

/* Mean, p50 and p99 of one direction, in milliseconds. */
static void text_table_add_latency(struct text_table *table,
				   const struct latency_histogram *histogram)
{
	double usecs = 0;
	bool known;

	known = latency_mean(histogram, &usecs);
	text_table_add_ms(table, known, usecs);
	known = latency_quantile(histogram, 0.5, &usecs);
	text_table_add_ms(table, known, usecs);
	known = latency_quantile(histogram, 0.99, &usecs);
	text_table_add_ms(table, known, usecs);
}

void output_latency_text(FILE *out, const struct combined *combined,
			 const struct region_latency *latency)
{
	const char *const header[] = { "ID", "READ-MEAN", "READ-P50", "READ-P99", "WRITE-MEAN",
				       "WRITE-P50", "WRITE-P99" };
	struct text_table table = { 0 };
	size_t i;

	if (!latency)
		return;
	fputs("latency in ms since the table was loaded (p50, p99 estimated from log2 buckets):\n",
	      out);
	text_table_start(&table, header, sizeof(header) / sizeof(header[0]));
	for (i = 0; i < combined->nr_regions; i++) {
		if (combined->regions[i].hole)
			continue;
		text_table_add(&table, combined->regions[i].id);
		text_table_add_latency(&table, &latency[i].read);
		text_table_add_latency(&table, &latency[i].write);
	}
	text_table_print(out, &table, 0x7eU);
}

static void print_report_time(FILE *out, time_t time, bool first)
{
	char text[64];
	struct tm tm;

	strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S %z", localtime_r(&time, &tm));
	fprintf(out, "%s%s\n", text, first ? "  (averages since each table was loaded)" : "");
}

/* count per second with two decimals (scaled by divisor), "-" when the interval is unknown. */
static void text_table_add_rate(struct text_table *table, const struct volume_rate *rate,
				uint64_t count, double divisor)
{
	char text[32];
	double per_second;

	if (!rate_per_second(rate, count, &per_second)) {
		text_table_add(table, "-");
		return;
	}
	snprintf(text, sizeof(text), "%.2f", per_second / divisor);
	text_table_add(table, text);
}

/* Whether a device of the report has the latency feature: its columns are shown then. */
static bool any_latency(const struct sample *samples, size_t nr_samples)
{
	size_t i;

	for (i = 0; i < nr_samples; i++)
		if (samples[i].latency)
			return true;
	return false;
}

void output_iostat_text(FILE *out, time_t time, bool first, const struct sample *samples,
			size_t nr_samples, const struct volume_rate *rates, size_t nr_rates)
{
	const char *const header[] = { "DEVICE", "VOLUME", "r/s", "w/s", "rMB/s", "wMB/s",
				       "errors", "r_await", "w_await", "r_p99", "w_p99" };
	const double mib = 1024 * 1024 / SECTOR_SIZE;
	bool latency = any_latency(samples, nr_samples);
	struct text_table table = { 0 };
	double usecs = 0;
	bool known;
	size_t i;

	print_report_time(out, time, first);
	text_table_start(&table, header, latency ? 11 : 7);
	for (i = 0; i < nr_rates; i++) {
		const struct volume_rate *rate = &rates[i];

		text_table_add(&table, rate->sample->combined->name);
		text_table_add(&table, rate->region->id);
		text_table_add_rate(&table, rate, rate->delta.reads, 1);
		text_table_add_rate(&table, rate, rate->delta.writes, 1);
		text_table_add_rate(&table, rate, rate->delta.read_sectors, mib);
		text_table_add_rate(&table, rate, rate->delta.write_sectors, mib);
		text_table_add_number(&table, rate->delta.errors + rate->delta.flush_errors);
		if (!latency)
			continue;
		known = rate->sample->latency && latency_mean(&rate->latency.read, &usecs);
		text_table_add_ms(&table, known, usecs);
		known = rate->sample->latency && latency_mean(&rate->latency.write, &usecs);
		text_table_add_ms(&table, known, usecs);
		known = rate->sample->latency && latency_quantile(&rate->latency.read, 0.99, &usecs);
		text_table_add_ms(&table, known, usecs);
		known = rate->sample->latency && latency_quantile(&rate->latency.write, 0.99, &usecs);
		text_table_add_ms(&table, known, usecs);
	}
	text_table_print(out, &table, 0x7fcU);
	for (i = 0; i < nr_samples; i++)
		if (!samples[i].active)
			fprintf(out, "%s: not active\n", samples[i].combined->name);
	fputc('\n', out);
}

/* A rate per second, or null when the interval is unknown. */
static json_object *rate_json(const struct volume_rate *rate, uint64_t count, double scale)
{
	double per_second;

	if (!rate_per_second(rate, count, &per_second))
		return NULL;
	return json_object_new_double(per_second * scale);
}

static json_object *volume_rate_json(const struct volume_rate *rate)
{
	json_object *obj = json_object_new_object();
	const struct region *region = rate->region;

	json_object_object_add(obj, "id", json_object_new_string(region->id));
	json_object_object_add(obj, "partition", region->partition ?
			       json_object_new_int((int)region->partition) : NULL);
	json_object_object_add(obj, "seconds", rate->seconds > 0 ?
			       json_object_new_double(rate->seconds) : NULL);
	json_object_object_add(obj, "restarted", json_object_new_boolean(rate->restarted));
	add_counters_json(obj, &rate->delta, region->missing);
	json_object_object_add(obj, "reads_per_second", rate_json(rate, rate->delta.reads, 1));
	json_object_object_add(obj, "writes_per_second", rate_json(rate, rate->delta.writes, 1));
	json_object_object_add(obj, "read_bytes_per_second",
			       rate_json(rate, rate->delta.read_sectors, SECTOR_SIZE));
	json_object_object_add(obj, "write_bytes_per_second",
			       rate_json(rate, rate->delta.write_sectors, SECTOR_SIZE));
	json_object_object_add(obj, "latency",
			       latency_json(rate->sample->latency ? &rate->latency : NULL));
	return obj;
}

void output_iostat_json(FILE *out, time_t time, bool first, const struct sample *samples,
			size_t nr_samples, const struct volume_rate *rates, size_t nr_rates)
{
	json_object *report = json_object_new_object(), *devices = json_object_new_array();
	size_t s, r = 0;
	char text[64];
	struct tm tm;

	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S%z", localtime_r(&time, &tm));
	json_object_object_add(report, "time", json_object_new_string(text));
	json_object_object_add(report, "since_load", json_object_new_boolean(first));
	for (s = 0; s < nr_samples; s++) {
		json_object *device = json_object_new_object(), *volumes = json_object_new_array();

		json_object_object_add(device, "name",
				       json_object_new_string(samples[s].combined->name));
		json_object_object_add(device, "uuid",
				       json_object_new_string(samples[s].combined->uuid));
		json_object_object_add(device, "active", json_object_new_boolean(samples[s].active));
		/* The rates are in the samples' order. */
		for (; r < nr_rates && rates[r].sample == &samples[s]; r++)
			json_object_array_add(volumes, volume_rate_json(&rates[r]));
		json_object_object_add(device, "volumes", volumes);
		json_object_array_add(devices, device);
	}
	json_object_object_add(report, "devices", devices);
	fprintf(out, "%s\n", json_object_to_json_string_ext(report,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(report);
}
