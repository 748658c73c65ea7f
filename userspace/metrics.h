/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * status --format openmetrics: counters of every volume in the Prometheus
 * text exposition format (version 0.0.4, what node_exporter's textfile
 * collector and promtool read: counters named with their _total suffix),
 * ending in "# EOF" as OpenMetrics does. Labels: device, volume (the ID),
 * partition ("" under concat); latency histograms as histograms in
 * seconds with op="read" or "write".
 */
#ifndef DMCOMBINE_METRICS_H
#define DMCOMBINE_METRICS_H

#include <stdio.h>

#include "sample.h"

void metrics_print(FILE *out, const struct sample *samples, size_t count);

#endif
