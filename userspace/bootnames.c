// SPDX-License-Identifier: GPL-2.0-only
/* What the host names at boot (see bootnames.h). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "bootnames.h"

/* Kernel command line words whose value names a device the host needs. */
static const char *const cmdline_keys[] = { "root=", "mount.usr=", "resume=", NULL };

/* The tag forms of spec and the probed value each one must equal. */
struct tag_form {
	const char *tag;	/* "UUID=" */
	const char *link;	/* "/dev/disk/by-uuid/" */
	size_t offset;		/* of the value in struct probe_result */
	bool any_case;		/* UUIDs are hex: fstab may write either case */
};

static const struct tag_form tag_forms[] = {
	{ "UUID=", "/dev/disk/by-uuid/", offsetof(struct probe_result, uuid), true },
	{ "LABEL=", "/dev/disk/by-label/", offsetof(struct probe_result, label), false },
	{ "PARTUUID=", "/dev/disk/by-partuuid/", offsetof(struct probe_result, partuuid), true },
	{ "PARTLABEL=", "/dev/disk/by-partlabel/", offsetof(struct probe_result, partlabel), false },
};

static bool value_equal(const char *a, const char *b, bool any_case)
{
	return a[0] && (any_case ? !strcasecmp(a, b) : !strcmp(a, b));
}

bool boot_spec_names(const char *spec, const struct probe_result *probe,
		     const char *const *paths)
{
	size_t i, len;

	for (i = 0; i < sizeof(tag_forms) / sizeof(tag_forms[0]); i++) {
		const struct tag_form *form = &tag_forms[i];
		const char *value = (const char *)probe + form->offset;

		len = strlen(form->tag);
		if (!strncmp(spec, form->tag, len))
			return value_equal(value, spec + len, form->any_case);
		len = strlen(form->link);
		if (!strncmp(spec, form->link, len) && value_equal(value, spec + len, form->any_case))
			return true;
	}
	for (i = 0; paths[i]; i++)
		if (paths[i][0] && !strcmp(spec, paths[i]))
			return true;
	return false;
}

static bool fstab_names(FILE *fstab, const struct probe_result *probe,
			const char *const *paths, char *spec, size_t size)
{
	char line[4096], first[4096];

	while (fgets(line, sizeof(line), fstab))
		if (sscanf(line, " %4095s", first) == 1 && first[0] != '#' &&
		    boot_spec_names(first, probe, paths)) {
			snprintf(spec, size, "%s", first);
			return true;
		}
	return false;
}

static bool cmdline_names(const char *cmdline, const struct probe_result *probe,
			  const char *const *paths, char *spec, size_t size)
{
	char word[4096];
	const char *const *key;
	int used;

	while (sscanf(cmdline, " %4095s%n", word, &used) == 1) {
		cmdline += used;
		for (key = cmdline_keys; *key; key++)
			if (!strncmp(word, *key, strlen(*key)) &&
			    boot_spec_names(word + strlen(*key), probe, paths)) {
				snprintf(spec, size, "%s", word);
				return true;
			}
	}
	return false;
}

bool boot_names_volume(FILE *fstab, const char *cmdline, const struct probe_result *probe,
		       const char *const *paths, char *spec, size_t size)
{
	return (fstab && fstab_names(fstab, probe, paths, spec, size)) ||
	       (cmdline && cmdline_names(cmdline, probe, paths, spec, size));
}
