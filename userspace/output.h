/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What list, map and status print: JSON objects (sizes in 512-byte
 * sectors, as the contract fixes them, each with its bytes beside it as
 * KEY_bytes) and aligned text tables for people (sizes in IEC units).
 * Pure: callers gather devices and counters first.
 */
#ifndef DMCOMBINE_OUTPUT_H
#define DMCOMBINE_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

#include "combined.h"
#include "lio.h"
#include "rates.h"
#include "table.h"

/*
 * The "schema" every JSON document carries at its top level: raised when a
 * key changes meaning or goes away (new keys do not raise it).
 */
#define OUTPUT_JSON_SCHEMA 1

/* "512 B", "1 KiB", "1.5 GiB": one decimal, dropped when it is zero. */
void format_iec(uint64_t bytes, char *text, size_t size);

/*
 * devices[i] names the block device of region i, or is NULL (hole, or
 * device not active); counters is NULL while the device is not active
 * (status then shows null counters).
 */
json_object *output_map_json(const struct combined *combined, char *const *devices);
json_object *output_status_json(const struct combined *combined, char *const *devices,
				 const struct region_counters *counters, bool active);
json_object *output_list_entry_json(const struct combined *combined, bool active);
/* The device's LIO exports: an array of {fabric, wwn, disk[, portal, initiators]}. */
json_object *output_exports_json(const struct lio_export *exports, size_t count);
/* One line per export, after the map or status. */
void output_exports_text(FILE *out, const struct lio_export *exports, size_t count);
/*
 * The exports saved beside the map (exports.h), made again at boot, one
 * line each (entries NULL: none shown). JSON carries the saved entries as
 * they are, as "saved_exports": {fabric[, portal, initiators, chap_user,
 * chap_password_file]}, null when they cannot be read.
 */
void output_saved_exports_text(FILE *out, json_object *entries);
/*
 * A volume's state in status: "missing" (on an active device: no volume
 * in its region), "failing" once its I/O or a flush of
 * its member failed since the table was loaded or the counters reset,
 * else "ok".
 */
const char *output_volume_state(const struct region_counters *counters, bool missing);
/* Prints obj pretty-printed with a newline (an object with "schema" added) and drops it. */
void output_json(FILE *out, json_object *obj);

void output_map_text(FILE *out, const struct combined *combined, char *const *devices,
		     bool active);
void output_status_text(FILE *out, const struct combined *combined, char *const *devices,
			const struct region_counters *counters, bool active);
/*
 * The latency feature's numbers for status: latency is NULL when it is off
 * (or the device not active). JSON: each volume of status gets "latency",
 * null or {"read": H, "write": H} with H = {"count", "usecs", "mean_usecs",
 * "p50_usecs", "p99_usecs", "buckets": [...]} (estimates null without
 * I/O). Text: a second table of means and estimated p50 and p99.
 */
void output_status_latency_json(json_object *status, const struct combined *combined,
				 const struct region_latency *latency);
void output_latency_text(FILE *out, const struct combined *combined,
			 const struct region_latency *latency);
/*
 * One iostat report at time: a table of rows (rates of the volumes of
 * samples' active devices, see rates.h), or one JSON object on one line.
 * first: the report since each table was loaded.
 */
void output_iostat_text(FILE *out, time_t time, bool first, const struct sample *samples,
			size_t nr_samples, const struct volume_rate *rates, size_t nr_rates);
void output_iostat_json(FILE *out, time_t time, bool first, const struct sample *samples,
			size_t nr_samples, const struct volume_rate *rates, size_t nr_rates);
/* One row per device: combined[i] and active[i]. */
void output_list_text(FILE *out, struct combined *const *combined, const bool *active,
		      size_t count);

#endif
