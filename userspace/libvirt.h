/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvirt XML for handing a combined device to a VM: a <disk type='block'
 * device='disk'> on the SCSI bus (a virtio-scsi controller), for
 * `virsh attach-device`. Not device='lun': that passes SCSI commands
 * through to a real SCSI device, which a device-mapper device is not.
 * Pure string building.
 */
#ifndef DMCOMBINE_LIBVIRT_H
#define DMCOMBINE_LIBVIRT_H

#include <stdbool.h>

#include "combined.h"

#define LIBVIRT_DEFAULT_TARGET_DEV "sda"

/* "sd" and one to four lower-case letters, as libvirt names SCSI disks. */
bool libvirt_target_dev_valid(const char *dev);
/* The <disk> element, newline-terminated; NULL when out of memory. Free it. */
char *libvirt_disk_xml(const struct combined *combined, const char *target_dev);

/* <hostdev> of a vhost-scsi target for libvirt (QEMU's vhost-scsi-pci). Free it. */
char *libvirt_vhost_xml(const char *wwpn);

#endif
