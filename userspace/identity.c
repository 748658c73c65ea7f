// SPDX-License-Identifier: GPL-2.0-only
/* Saved identities against the names of a block device. */
#include <string.h>

#include "identity.h"

/* value is the part after prefix in identity, compared with what the volume has. */
static bool tag_matches(const char *identity, const char *prefix, const char *value)
{
	size_t len = strlen(prefix);

	return !strncmp(identity, prefix, len) && value && value[0] &&
	       !strcmp(identity + len, value);
}

bool identity_matches(const char *identity, const struct volume_names *names)
{
	size_t i;

	if (!strncmp(identity, "UUID=", 5))
		return tag_matches(identity, "UUID=", names->uuid);
	if (!strncmp(identity, "PARTUUID=", 9))
		return tag_matches(identity, "PARTUUID=", names->partuuid);
	for (i = 0; i < names->nr_paths; i++)
		if (!strcmp(identity, names->paths[i]))
			return true;
	return false;
}

ssize_t identity_find(const struct combined *combined, const struct volume_names *names)
{
	size_t i;

	for (i = 0; i < combined->nr_regions; i++)
		if (!combined->regions[i].hole && !combined->regions[i].loop &&
		    identity_matches(combined->regions[i].identity, names))
			return (ssize_t)i;
	return -1;
}

/*
 * Names and IDs match [A-Za-z0-9][A-Za-z0-9._+-]* (the registry reader
 * refuses others), so they need no quoting for udev.
 */
void identity_export(FILE *out, const struct combined *combined, size_t index)
{
	fprintf(out, "ID_DMCOMBINE_MEMBER=1\nDMCOMBINE_NAME=%s\nDMCOMBINE_VOLUME=%s\n",
		combined->name, combined->regions[index].id);
}
