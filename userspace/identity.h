/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which registered combined device a block device belongs to, for udev:
 * the names a device goes by (its node, the links udev made, its file
 * system and partition UUIDs) matched against the identities the registry
 * saved (UUID=, PARTUUID= or a path), and the KEY=VALUE lines udev imports.
 * Pure: the caller gathers the names; nothing here touches the system.
 */
#ifndef DMCOMBINE_IDENTITY_H
#define DMCOMBINE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "combined.h"

struct volume_names {
	const char *uuid;		/* file system UUID, "" or NULL if none */
	const char *partuuid;		/* partition entry UUID, "" or NULL if none */
	char *const *paths;		/* the node and its links (udev's DEVLINKS) */
	size_t nr_paths;
};

/* Whether a saved identity names the volume. */
bool identity_matches(const char *identity, const struct volume_names *names);
/* Index of the first volume region the names match, or -1. */
ssize_t identity_find(const struct combined *combined, const struct volume_names *names);
/* Lines for udev's IMPORT{program}: the volume at index of combined. */
void identity_export(FILE *out, const struct combined *combined, size_t index);

#endif
