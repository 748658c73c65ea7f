// SPDX-License-Identifier: GPL-2.0-only
/* The identity rules: which names the host assigns, and how they rank. */
#include <ctype.h>
#include <string.h>

#include "identity.h"

static bool starts_with(const char *text, const char *prefix)
{
	return !strncmp(text, prefix, strlen(prefix));
}

/*
 * udev's 60-persistent-storage.rules: wwn- is ID_WWN_WITH_EXTENSION,
 * nvme-eui. the namespace's EUI-64 or NGUID, scsi- is scsi_id's ID_SERIAL
 * whose first character is the VPD 0x83 designator type (3 NAA, 2 EUI-64)
 * or S for a VPD 0x80 serial. The rest name the transport's serial.
 */
static const char *const wwn_prefixes[] = { "wwn-", "nvme-eui.", "scsi-3", "scsi-2" };
static const char *const serial_prefixes[] = { "scsi-", "ata-", "nvme-", "virtio-", "usb-",
					       "mmc-", "ieee1394-" };

static bool has_prefix(const char *name, const char *const *prefixes, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (starts_with(name, prefixes[i]) && name[strlen(prefixes[i])])
			return true;
	return false;
}

enum identity_kind identity_link_kind(const char *name)
{
	if (has_prefix(name, wwn_prefixes, sizeof(wwn_prefixes) / sizeof(wwn_prefixes[0])))
		return IDENTITY_WWN;
	if (has_prefix(name, serial_prefixes, sizeof(serial_prefixes) / sizeof(serial_prefixes[0])))
		return IDENTITY_SERIAL;
	return IDENTITY_GUEST_DATA;
}

bool identity_link_better(enum identity_kind kind_a, const char *a, enum identity_kind kind_b,
			  const char *b)
{
	if (kind_a != kind_b)
		return kind_a < kind_b;
	if (strlen(a) != strlen(b))
		return strlen(a) < strlen(b);
	return strcmp(a, b) < 0;
}

enum identity_kind identity_kind_of(const char *identity, bool loop)
{
	if (loop)
		return IDENTITY_FILE;
	if (starts_with(identity, IDENTITY_DM_UUID_TAG) && identity[strlen(IDENTITY_DM_UUID_TAG)])
		return IDENTITY_DM_UUID;
	if (starts_with(identity, IDENTITY_PARTUUID_TAG) && identity[strlen(IDENTITY_PARTUUID_TAG)])
		return IDENTITY_PARTUUID;
	if (starts_with(identity, BY_ID_DIR "/"))
		return identity_link_kind(identity + strlen(BY_ID_DIR "/"));
	if (starts_with(identity, BY_PATH_DIR "/"))
		return IDENTITY_BY_PATH;
	/* by-uuid, by-label, by-partlabel, UUID=, LABEL=: what the volume holds. */
	if (identity[0] != '/' || starts_with(identity, "/dev/disk/"))
		return IDENTITY_GUEST_DATA;
	return IDENTITY_KERNEL_NAME;
}

const char *identity_kind_name(enum identity_kind kind)
{
	static const char *const names[] = {
		[IDENTITY_DM_UUID] = "dm-uuid",
		[IDENTITY_WWN] = "wwn",
		[IDENTITY_SERIAL] = "serial",
		[IDENTITY_PARTUUID] = "partuuid",
		[IDENTITY_BY_PATH] = "by-path",
		[IDENTITY_KERNEL_NAME] = "kernel-name",
		[IDENTITY_FILE] = "file",
		[IDENTITY_GUEST_DATA] = "guest-data",
	};

	return names[kind];
}

bool identity_kind_weak(enum identity_kind kind)
{
	return kind == IDENTITY_KERNEL_NAME || kind == IDENTITY_GUEST_DATA;
}

/* Whether a and b are the same hex digits, whatever the separators ('-', ':') and case. */
static bool same_hex(const char *a, const char *b)
{
	for (;;) {
		while (*a == '-' || *a == ':')
			a++;
		while (*b == '-' || *b == ':')
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
		a++;
		b++;
	}
}

/*
 * Whether a by-uuid or by-label link's name, as udev wrote it (bytes it
 * does not keep as \xHH), is value.
 */
static bool same_link_name(const char *name, const char *value)
{
	unsigned int byte;

	while (*name && *value) {
		if (name[0] == '\\' && name[1] == 'x' && isxdigit((unsigned char)name[2]) &&
		    isxdigit((unsigned char)name[3])) {
			sscanf(name + 2, "%2x", &byte);
			name += 4;
		} else {
			byte = (unsigned char)*name++;
		}
		if (byte != (unsigned char)*value++)
			return false;
	}
	return !*name && !*value;
}

bool identity_content_link(const char *identity)
{
	return starts_with(identity, BY_UUID_DIR "/") || starts_with(identity, BY_LABEL_DIR "/") ||
	       starts_with(identity, LVM_PV_LINK) || starts_with(identity, MD_LINK);
}

bool identity_names_content(const char *identity, const struct probe_result *probe)
{
	/* udev: by-uuid/$ID_FS_UUID_ENC, by-label/$ID_FS_LABEL_ENC. */
	if (starts_with(identity, BY_UUID_DIR "/") && probe->uuid[0])
		return same_link_name(identity + strlen(BY_UUID_DIR "/"), probe->uuid);
	if (starts_with(identity, BY_LABEL_DIR "/") && probe->label[0])
		return same_link_name(identity + strlen(BY_LABEL_DIR "/"), probe->label);
	if (!probe->uuid[0])
		return false;
	/* lvm-pv-uuid-$ID_FS_UUID_ENC; md-uuid-$MD_UUID, the set UUID as words. */
	if (starts_with(identity, LVM_PV_LINK) && identity[strlen(LVM_PV_LINK)])
		return !strcmp(probe->type, "LVM2_member") &&
		       same_hex(identity + strlen(LVM_PV_LINK), probe->uuid);
	if (starts_with(identity, MD_LINK) && identity[strlen(MD_LINK)])
		return !strcmp(probe->type, "linux_raid_member") &&
		       same_hex(identity + strlen(MD_LINK), probe->uuid);
	return false;
}

/* udev's rules making links from contents: 60-persistent-storage(-dm), 63-md-raid-arrays, 69-lvm. */
static const char *const content_links[] = { BY_UUID_DIR "/", BY_LABEL_DIR "/",
					     LVM_PV_LINK, MD_LINK, BY_ID_DIR "/md-name-" };
/* From a partition table's entry: the host's only for a partition of a host's disk. */
static const char *const entry_links[] = { "/dev/disk/by-partuuid/", "/dev/disk/by-partlabel/",
					   "/dev/gpt-auto-root" };

static bool link_from_content(const char *link, bool host_partition)
{
	size_t i;

	for (i = 0; i < sizeof(content_links) / sizeof(content_links[0]); i++)
		if (starts_with(link, content_links[i]))
			return true;
	for (i = 0; !host_partition && i < sizeof(entry_links) / sizeof(entry_links[0]); i++)
		if (starts_with(link, entry_links[i]))
			return true;
	return false;
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

void identity_export_links(FILE *out, char *const *links, size_t nr_links, bool host_partition)
{
	const char *sep = "";
	size_t i;

	fprintf(out, "DMCOMBINE_LINKS=");
	for (i = 0; i < nr_links; i++) {
		if (link_from_content(links[i], host_partition))
			continue;
		fprintf(out, "%s%s", sep, links[i] + (starts_with(links[i], "/dev/") ? 5 : 0));
		sep = " ";
	}
	fputc('\n', out);
}
