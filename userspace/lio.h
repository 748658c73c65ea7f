/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exports of a combined device as one SCSI disk through the kernel's own
 * SCSI target (LIO), by configfs under /sys/kernel/config/target, as
 * rtslib-fb does it: an iblock backstore on /dev/mapper/NAME and a target
 * of one fabric (tcm_loop, vhost-scsi or iSCSI) with the backstore as LUN 0.
 *
 * configfs is the only record of what is live (the saved exports,
 * exports.h, say what the admin asked for): every name is derived from
 * the combined device's name and UUID (backstore "dmcombine-NAME", unit serial = UUID,
 * target WWNs from the UUID), so status and unexport find an export
 * without a second source of truth, and an export made again gives the
 * guest the same disk identity. Failures are logged here, once.
 */
#ifndef DMCOMBINE_LIO_H
#define DMCOMBINE_LIO_H

#include <stdbool.h>
#include <stddef.h>

#include "combined.h"

enum lio_fabric {
	LIO_LOOPBACK,		/* tcm_loop: the host sees /dev/sdX */
	LIO_VHOST,		/* vhost-scsi, for QEMU's vhost-scsi-pci */
	LIO_ISCSI,		/* iSCSI, for hypervisors on other hosts */
	LIO_NR_FABRICS,
};

#define LIO_MAX_INITIATORS 16
/* iSCSI names are at most 223 bytes (RFC 3720 3.2.6.1). */
#define LIO_WWN_MAX 224

struct lio_iscsi {
	const char *portal;			/* "IPv4:PORT" or "[IPv6]:PORT" */
	const char *initiators[LIO_MAX_INITIATORS];	/* the only ones allowed */
	size_t nr_initiators;
	const char *chap_user, *chap_password;	/* NULL: no CHAP */
};

/* One export of a device, as configfs shows it. */
struct lio_export {
	enum lio_fabric fabric;
	char wwn[LIO_WWN_MAX];		/* the target's */
	char disk[64];			/* loopback: "/dev/sdX", else "" */
	char portal[64];		/* iSCSI: the first network portal */
	size_t nr_initiators;		/* iSCSI: ACLs */
};

/* -EINVAL for an unknown name. */
int lio_fabric_parse(const char *name, enum lio_fabric *fabric);
const char *lio_fabric_name(enum lio_fabric fabric);

/* The target WWN of combined's export over fabric. */
void lio_target_wwn(const struct combined *combined, enum lio_fabric fabric,
		    char wwn[LIO_WWN_MAX]);

/* The initiator port of a loopback or vhost nexus. */
void lio_initiator_wwn(const struct combined *combined, char wwn[LIO_WWN_MAX]);

/* iSCSI names "iqn.", "eui." and "naa." in normal form (lower case). */
bool lio_iscsi_name_valid(const char *name);
/* An explicit portal: a literal address (not a wildcard) and a port (default 3260). */
int lio_portal_normalize(const char *portal, char *out, size_t size);

/*
 * Exports over fabric (iscsi: may be NULL for the others): backstore (made
 * if missing), then target, LUN and, for iSCSI, portal and ACLs. Any
 * failure takes back every step, so that configfs is as it was.
 */
int lio_export(const struct combined *combined, enum lio_fabric fabric,
	       const struct lio_iscsi *iscsi, struct lio_export *done);
/*
 * export --dry-run: the configfs objects lio_export would make, in order,
 * as full paths (a link as "LINK -> TARGET") in *paths, NULL-ended; free
 * with lio_plan_free. -EEXIST (logged) when exported over fabric already.
 */
int lio_export_plan(const struct combined *combined, enum lio_fabric fabric,
		    const struct lio_iscsi *iscsi, char ***paths);
void lio_plan_free(char **paths);
/* Removes every export of combined and its backstore; 0 when there is none. */
int lio_unexport(const struct combined *combined);
/* The exports configfs holds for combined; free with free(). */
int lio_exports(const struct combined *combined, struct lio_export **exports, size_t *count);

#endif
