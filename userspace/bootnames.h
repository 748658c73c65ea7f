/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the host names at boot: the file systems of /etc/fstab and root=,
 * mount.usr= and resume= on the kernel command line. A volume named there
 * is one the host itself needs, and it must stay a device the host can
 * open once it is combined: under the gpt layout it becomes a partition
 * of a device-mapper device, which the kernel does not create; under
 * concat only the first volume's file system is the combined device's.
 */
#ifndef DMCOMBINE_BOOTNAMES_H
#define DMCOMBINE_BOOTNAMES_H

#include <stdbool.h>
#include <stdio.h>

#include "probe.h"

/*
 * Whether spec (UUID=, LABEL=, PARTUUID=, PARTLABEL=, their
 * /dev/disk/by-* links, or a path) names the volume holding probe, known
 * by the paths in the NULL-ended list paths.
 */
bool boot_spec_names(const char *spec, const struct probe_result *probe,
		     const char *const *paths);
/*
 * The first spec of fstab (may be NULL) or of cmdline (may be NULL) that
 * names the volume, copied to spec; false if none does.
 */
bool boot_names_volume(FILE *fstab, const char *cmdline, const struct probe_result *probe,
		       const char *const *paths, char *spec, size_t size);

#endif
