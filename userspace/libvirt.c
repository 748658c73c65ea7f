// SPDX-License-Identifier: GPL-2.0-only
/* libvirt <disk> XML of a combined device. */
#include <stdio.h>
#include <string.h>

#include "libvirt.h"

bool libvirt_target_dev_valid(const char *dev)
{
	size_t letters = strlen(dev) - 2;

	return !strncmp(dev, "sd", 2) && letters >= 1 && letters <= 4 &&
	       strspn(dev + 2, "abcdefghijklmnopqrstuvwxyz") == letters;
}

/*
 * The device path, serial and product need no escaping: names are
 * [A-Za-z0-9._+-] (checked when the registry is read), the UUID is hex.
 * QEMU gives the disk the serial (its 36-byte maximum fits a UUID), so
 * the guest sees the same identity as through LIO; cache='none' and
 * io='native' keep the host's page cache out, discard='unmap' passes
 * TRIM down to the volumes.
 */
char *libvirt_disk_xml(const struct combined *combined, const char *target_dev)
{
	char *xml = NULL;

	if (asprintf(&xml,
		     "<disk type='block' device='disk'>\n"
		     "  <driver name='qemu' type='raw' cache='none' io='native' discard='unmap'/>\n"
		     "  <source dev='/dev/mapper/%s'/>\n"
		     "  <target dev='%s' bus='scsi'/>\n"
		     "  <serial>%s</serial>\n"
		     "  <product>dmcombine</product>\n"
		     "</disk>\n",
		     combined->name, target_dev, combined->uuid) < 0)
		return NULL;
	return xml;
}

/* managed='no': the target is dmcombine's to make and take back, not libvirt's. */
char *libvirt_vhost_xml(const char *wwpn)
{
	char *xml = NULL;

	if (asprintf(&xml,
		     "<hostdev mode='subsystem' type='scsi_host' managed='no'>\n"
		     "  <source protocol='vhost' wwpn='%s'/>\n"
		     "</hostdev>\n", wwpn) < 0)
		return NULL;
	return xml;
}
