// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of LIO exports: fabrics, WWNs derived from the combined device's
 * UUID, iSCSI names and portals. Pure: the unit tests link it alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "lio.h"

/* IEEE OUI 00:14:05 (OpenFabrics, LIO's) in NAA 5 form, as rtslib generates them. */
#define NAA_PREFIX "naa.5001405"
/* Hex digits after the prefix: 16 in all, an NAA 5 WWN's 64 bits. */
#define NAA_DIGITS 9
/* rtslib's own naming authority, with "dmcombine" in place of the host name. */
#define IQN_PREFIX "iqn.2003-01.org.linux-iscsi.dmcombine:"
#define ISCSI_PORT 3260

/* Names of the fabrics, as LIO's configfs has them. */
static const char *const fabric_names[LIO_NR_FABRICS] = {
	[LIO_LOOPBACK] = "loopback",
	[LIO_VHOST] = "vhost",
	[LIO_ISCSI] = "iscsi",
};

int lio_fabric_parse(const char *name, enum lio_fabric *fabric)
{
	int i;

	for (i = 0; i < LIO_NR_FABRICS; i++) {
		if (!strcmp(name, fabric_names[i])) {
			*fabric = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *lio_fabric_name(enum lio_fabric fabric)
{
	return fabric_names[fabric];
}

/* NAA WWN from the UUID's hex digits from the first'th on. */
static void naa_of(const struct combined *combined, size_t first, char wwn[LIO_WWN_MAX])
{
	size_t n = 0, len = strlen(NAA_PREFIX);
	const char *p;

	memcpy(wwn, NAA_PREFIX, len);
	for (p = combined->uuid; *p && n < first + NAA_DIGITS; p++) {
		if (*p == '-')
			continue;
		if (n++ >= first)
			wwn[len++] = *p;
	}
	wwn[len] = '\0';
}

void lio_initiator_wwn(const struct combined *combined, char wwn[LIO_WWN_MAX])
{
	naa_of(combined, NAA_DIGITS, wwn);
}

void lio_target_wwn(const struct combined *combined, enum lio_fabric fabric,
		    char wwn[LIO_WWN_MAX])
{
	if (fabric == LIO_ISCSI)
		snprintf(wwn, LIO_WWN_MAX, IQN_PREFIX "%s", combined->uuid);
	else
		naa_of(combined, 0, wwn);
}

bool lio_iscsi_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (len < 5 || len >= LIO_WWN_MAX ||
	    (strncmp(name, "iqn.", 4) && strncmp(name, "eui.", 4) && strncmp(name, "naa.", 4)))
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789.:-") == len;
}

int lio_portal_normalize(const char *portal, char *out, size_t size)
{
	char host[INET6_ADDRSTRLEN + 2], *end;
	const char *colon, *port_text = NULL;
	unsigned char addr[sizeof(struct in6_addr)];
	static const unsigned char any[sizeof(struct in6_addr)];
	unsigned long port = ISCSI_PORT;
	bool v6 = portal[0] == '[';
	size_t len;

	if (v6) {
		colon = strchr(portal, ']');
		if (!colon || (colon[1] && colon[1] != ':'))
			return -EINVAL;
		len = (size_t)(colon - portal - 1);
		if (colon[1])
			port_text = colon + 2;
		portal++;
	} else {
		colon = strchr(portal, ':');
		len = colon ? (size_t)(colon - portal) : strlen(portal);
		if (colon)
			port_text = colon + 1;
	}
	if (len >= sizeof(host))
		return -EINVAL;
	memcpy(host, portal, len);
	host[len] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, host, addr) != 1 ||
	    !memcmp(addr, any, v6 ? 16 : 4))
		return -EINVAL;
	if (port_text) {
		errno = 0;
		port = strtoul(port_text, &end, 10);
		if (errno || *end || end == port_text || !port || port > 65535)
			return -EINVAL;
	}
	if ((size_t)snprintf(out, size, v6 ? "[%s]:%lu" : "%s:%lu", host, port) >= size)
		return -EINVAL;
	return 0;
}
