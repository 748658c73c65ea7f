/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tool's own settings, beside the maps: CONFIG_DIR/dmcombine.conf,
 * lines "KEY=VALUE", blank lines and lines starting with '#' ignored. No
 * file means every default. Keys:
 *   degraded_after=SECONDS   udev assembly under systemd starts a device
 *                            still missing volumes this long after one of
 *                            its volumes appeared, degraded (0, the
 *                            default: never)
 */
#ifndef DMCOMBINE_SETTINGS_H
#define DMCOMBINE_SETTINGS_H

#include <stddef.h>

#define SETTINGS_FILE "dmcombine.conf"
/* The longest degraded_after: a day, as --wait. */
#define SETTINGS_MAX_SECONDS 86400U

struct settings {
	unsigned int degraded_after;	/* seconds; 0: never */
};

/* Parses the file's text; on -EINVAL, why (size bytes) says which line and why. */
int settings_parse(const char *text, struct settings *settings, char *why, size_t size);
/* Reads CONFIG_DIR/dmcombine.conf; -errno (logged) when it cannot be read or is refused. */
int settings_load(const char *config_dir, struct settings *settings);

#endif
