/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The commands that watch devices: iostat, and status --format
 * openmetrics. Each reads a sample of every device (sample.h) and hands
 * them to rates.c and output.c, or to metrics.c.
 */
#ifndef DMCOMBINE_WATCH_H
#define DMCOMBINE_WATCH_H

#include "cli.h"

/*
 * [NAME...] [INTERVAL [COUNT]]: the trailing one or two arguments that are
 * numbers are INTERVAL (seconds, decimals allowed) and COUNT. Without
 * INTERVAL one report; without COUNT reports until killed. Each sample
 * takes the shared lock only while it reads, so changes go on meanwhile.
 */
int command_iostat(const struct invocation *invocation);
/* status --format openmetrics [NAME...]: every device or those named. */
int status_openmetrics(const struct invocation *invocation);

#endif
