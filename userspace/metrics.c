// SPDX-License-Identifier: GPL-2.0-only
/* Metrics in the Prometheus text exposition format. */
#include <inttypes.h>

#include "metrics.h"

/* A per-volume counter (its index in status order) in units of scale bytes. */
struct counter_family {
	const char *name, *help;
	size_t index;
	uint64_t scale;
	bool by_kind;		/* kept by targets 1.2 and later only */
};

static const struct counter_family counter_families[] = {
	{ "dmcombine_reads_total", "Reads of the volume since its table was loaded or stats_reset.",
	  0, 1, false },
	{ "dmcombine_writes_total", "Writes to the volume (from target 1.2 on without discards and write-zeroes).",
	  1, 1, false },
	{ "dmcombine_read_bytes_total", "Bytes read from the volume.",
	  2, SECTOR_SIZE, false },
	{ "dmcombine_written_bytes_total", "Bytes written to the volume.",
	  3, SECTOR_SIZE, false },
	{ "dmcombine_errors_total", "I/Os to the volume that failed.",
	  4, 1, false },
	{ "dmcombine_discards_total", "Discards of the volume.",
	  5, 1, true },
	{ "dmcombine_discarded_bytes_total", "Bytes of the volume discarded.",
	  6, SECTOR_SIZE, true },
	{ "dmcombine_write_zeroes_total", "Write-zeroes requests to the volume.",
	  7, 1, true },
	{ "dmcombine_zeroed_bytes_total", "Bytes of the volume zeroed by write-zeroes.",
	  8, SECTOR_SIZE, true },
	{ "dmcombine_flush_errors_total", "Flushes of the volume's device that failed.",
	  9, 1, true },
};

#define LATENCY_FAMILY "dmcombine_latency_seconds"

static void print_family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value with backslash, double quote and newline escaped. */
static void print_label_value(FILE *out, const char *value)
{
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fprintf(out, "\\%c", *value);
		else if (*value == '\n')
			fputs("\\n", out);
		else
			fputc(*value, out);
	}
}

/* "{device="NAME"" with the volume's labels if region; the caller closes it. */
static void print_labels(FILE *out, const struct combined *combined, const struct region *region)
{
	fputs("{device=\"", out);
	print_label_value(out, combined->name);
	fputc('"', out);
	if (!region)
		return;
	fputs(",volume=\"", out);
	print_label_value(out, region->id);
	fputs("\",partition=\"", out);
	if (region->partition)
		fprintf(out, "%u", region->partition);
	fputc('"', out);
}

static void print_counter(FILE *out, const struct sample *samples, size_t count,
			  const struct counter_family *family)
{
	const struct region_counters *counters;
	size_t s, i;

	print_family(out, family->name, "counter", family->help);
	for (s = 0; s < count; s++) {
		const struct combined *combined = samples[s].combined;

		for (i = 0; samples[s].counters && i < combined->nr_regions; i++) {
			counters = &samples[s].counters[i];
			if (combined->regions[i].hole || (family->by_kind && !counters->by_kind))
				continue;
			fputs(family->name, out);
			print_labels(out, combined, &combined->regions[i]);
			fprintf(out, "} %" PRIu64 "\n",
				counters_value(counters, family->index) * family->scale);
		}
	}
}

/* One direction's histogram: cumulative buckets up to each bound, sum and count. */
static void print_histogram(FILE *out, const struct combined *combined,
			    const struct region *region, const char *op,
			    const struct latency_histogram *histogram)
{
	uint64_t cumulative = 0;
	unsigned int b;

	for (b = 0; b < DM_COMBINE_LATENCY_BUCKETS; b++) {
		cumulative += histogram->buckets[b];
		fputs(LATENCY_FAMILY "_bucket", out);
		print_labels(out, combined, region);
		if (b + 1 < DM_COMBINE_LATENCY_BUCKETS)
			fprintf(out, ",op=\"%s\",le=\"%.6f\"} %" PRIu64 "\n", op,
				(double)latency_bucket_high(b) / 1e6, cumulative);
		else
			fprintf(out, ",op=\"%s\",le=\"+Inf\"} %" PRIu64 "\n", op, cumulative);
	}
	fputs(LATENCY_FAMILY "_sum", out);
	print_labels(out, combined, region);
	fprintf(out, ",op=\"%s\"} %.6f\n", op, (double)histogram->usecs / 1e6);
	fputs(LATENCY_FAMILY "_count", out);
	print_labels(out, combined, region);
	fprintf(out, ",op=\"%s\"} %" PRIu64 "\n", op, cumulative);
}

static void print_latency(FILE *out, const struct sample *samples, size_t count)
{
	size_t s, i;

	print_family(out, LATENCY_FAMILY, "histogram",
		     "Completion times of the volume's I/O (with the latency feature); writes include discards and write-zeroes.");
	for (s = 0; s < count; s++) {
		const struct combined *combined = samples[s].combined;

		for (i = 0; samples[s].latency && i < combined->nr_regions; i++) {
			if (combined->regions[i].hole)
				continue;
			print_histogram(out, combined, &combined->regions[i], "read",
					&samples[s].latency[i].read);
			print_histogram(out, combined, &combined->regions[i], "write",
					&samples[s].latency[i].write);
		}
	}
}

/* The devices' gauges: active or not, and the size. */
static void print_devices(FILE *out, const struct sample *samples, size_t count)
{
	size_t s;

	print_family(out, "dmcombine_device_active", "gauge",
		     "Whether the combined device is active (1) or only saved (0).");
	for (s = 0; s < count; s++) {
		fputs("dmcombine_device_active", out);
		print_labels(out, samples[s].combined, NULL);
		fprintf(out, "} %d\n", samples[s].active);
	}
	print_family(out, "dmcombine_device_size_bytes", "gauge", "Size of the combined device.");
	for (s = 0; s < count; s++) {
		fputs("dmcombine_device_size_bytes", out);
		print_labels(out, samples[s].combined, NULL);
		fprintf(out, "} %" PRIu64 "\n", combined_size(samples[s].combined) * SECTOR_SIZE);
	}
}

void metrics_print(FILE *out, const struct sample *samples, size_t count)
{
	size_t f;

	print_devices(out, samples, count);
	for (f = 0; f < sizeof(counter_families) / sizeof(counter_families[0]); f++)
		print_counter(out, samples, count, &counter_families[f]);
	print_latency(out, samples, count);
	fputs("# EOF\n", out);
}
