// SPDX-License-Identifier: GPL-2.0-only
/* The mirror target's table line and status (see mirror.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "mirror.h"

unsigned int mirror_region_sectors(uint64_t sectors)
{
	unsigned int region = MIRROR_REGION_SECTORS;

	while (region > 2 && region > sectors)
		region /= 2;
	/* dm-log reads the size as an unsigned int. */
	while (sectors / region > MIRROR_MAX_REGIONS && region < 1U << 31)
		region *= 2;
	return region;
}

char *mirror_params(unsigned int region_sectors, dev_t old_dev, uint64_t old_offset, dev_t new_dev)
{
	char *params;

	if (asprintf(&params, "core 1 %u 2 %u:%u %" PRIu64 " %u:%u 0 1 handle_errors",
		     region_sectors, major(old_dev), minor(old_dev), old_offset,
		     major(new_dev), minor(new_dev)) < 0)
		return NULL;
	return params;
}

int mirror_parse_legs(const char *table, dev_t *old_dev, uint64_t *old_offset, dev_t *new_dev)
{
	unsigned int region, old_major, old_minor, new_major, new_minor;
	int end = 0;

	if (sscanf(table, "core 1 %u 2 %u:%u %" SCNu64 " %u:%u 0 1 handle_errors%n", &region,
		   &old_major, &old_minor, old_offset, &new_major, &new_minor, &end) != 6 ||
	    table[end])
		return -EINVAL;
	*old_dev = makedev(old_major, old_minor);
	*new_dev = makedev(new_major, new_minor);
	return 0;
}

int mirror_parse_status(const char *status, struct mirror_sync *sync)
{
	char health[3];
	int end = 0;

	/* The health words are as many letters as legs: exactly two here. */
	if (sscanf(status, "2 %*u:%*u %*u:%*u %" SCNu64 "/%" SCNu64 " 1 %2[ADSRFU]%n",
		   &sync->in_sync, &sync->regions, health, &end) != 3 ||
	    strlen(health) != 2 || (status[end] && status[end] != ' ') ||
	    sync->in_sync > sync->regions)
		return -EINVAL;
	sync->old_health = health[0];
	sync->new_health = health[1];
	return 0;
}

bool mirror_synced(const struct mirror_sync *sync)
{
	return sync->in_sync == sync->regions && sync->old_health == 'A' &&
	       sync->new_health == 'A';
}
