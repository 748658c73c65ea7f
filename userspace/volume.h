/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The words users type: NAME and ID grammar and VOLUME arguments
 * "[ID=]SOURCE". Pure string handling; nothing here touches the system.
 */
#ifndef DMCOMBINE_VOLUME_H
#define DMCOMBINE_VOLUME_H

#include <stdbool.h>
#include <stddef.h>

/* NAME and ID: [A-Za-z0-9][A-Za-z0-9._+-]{0,63} */
#define NAME_MAX_LEN 64
/* A SOURCE must fit a path, as the kernel counts it. */
#define SOURCE_MAX_LEN 4095

struct volume_spec {
	char id[NAME_MAX_LEN + 1];	/* "" when the user gave none */
	const char *source;		/* points into the argument */
	bool is_tag;			/* UUID=, LABEL=, PARTUUID=, PARTLABEL= */
};

bool name_is_valid(const char *name);
/* Printable, valid UTF-8, no control bytes, at most SOURCE_MAX_LEN bytes. */
bool text_is_safe(const char *text);
/* One of the four libblkid tag words followed by '=' and a value. */
bool source_is_tag(const char *source);

/* Parses "[ID=]SOURCE"; logs why and returns -EINVAL when refused. */
int volume_spec_parse(const char *arg, struct volume_spec *spec);

/*
 * The ID of a volume given without one: its filesystem label (label may be
 * NULL or ""), else the basename of the source (the value of a tag).
 * Logs and returns -EINVAL when that is not a valid ID.
 */
int volume_default_id(const struct volume_spec *spec, const char *label,
		      char id[NAME_MAX_LEN + 1]);

#endif
