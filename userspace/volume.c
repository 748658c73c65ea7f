// SPDX-License-Identifier: GPL-2.0-only
/* NAME/ID grammar and VOLUME argument parsing. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "utf8.h"
#include "volume.h"

static const char *const tag_words[] = { "UUID", "LABEL", "PARTUUID", "PARTLABEL" };

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

bool name_is_valid(const char *name)
{
	size_t i;

	if (!is_alnum(name[0]))
		return false;
	for (i = 1; name[i]; i++) {
		if (i >= NAME_MAX_LEN)
			return false;
		if (!is_alnum(name[i]) && !strchr("._+-", name[i]))
			return false;
	}
	return true;
}

bool text_is_safe(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len;

	if (strlen(text) > SOURCE_MAX_LEN)
		return false;
	while (*s) {
		if (*s < 0x20 || *s == 0x7f)
			return false;
		len = utf8_sequence_length(s);
		if (!len)
			return false;
		s += len;
	}
	return true;
}

/* The tag word that source starts with ("WORD="), or NULL. */
static const char *tag_word(const char *source)
{
	size_t i, len;

	for (i = 0; i < sizeof(tag_words) / sizeof(tag_words[0]); i++) {
		len = strlen(tag_words[i]);
		if (!strncmp(source, tag_words[i], len) && source[len] == '=')
			return tag_words[i];
	}
	return NULL;
}

bool source_is_tag(const char *source)
{
	const char *word = tag_word(source);

	return word && source[strlen(word) + 1] != '\0';
}

static bool is_tag_word(const char *word, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(tag_words) / sizeof(tag_words[0]); i++)
		if (strlen(tag_words[i]) == len && !strncasecmp(word, tag_words[i], len))
			return true;
	return false;
}

int volume_spec_parse(const char *arg, struct volume_spec *spec)
{
	const char *eq = strchr(arg, '=');
	const char *slash = strchr(arg, '/');
	size_t id_len;

	memset(spec, 0, sizeof(*spec));
	if (!text_is_safe(arg))
		return log_error(-EINVAL, arg, "refused: control characters, invalid UTF-8 or longer than %d bytes",
				 SOURCE_MAX_LEN);
	spec->source = arg;
	/* "ID=" only when the '=' comes before any '/': paths may hold '='. */
	if (eq && (!slash || eq < slash) && !tag_word(arg)) {
		id_len = (size_t)(eq - arg);
		if (is_tag_word(arg, id_len))
			return log_error(-EINVAL, arg, "%.*s is a tag word, not an ID (tags are written in capitals)",
					 (int)id_len, arg);
		if (id_len > NAME_MAX_LEN)
			return log_error(-EINVAL, arg, "ID longer than %d characters", NAME_MAX_LEN);
		memcpy(spec->id, arg, id_len);
		spec->id[id_len] = '\0';
		if (!name_is_valid(spec->id))
			return log_error(-EINVAL, arg, "invalid ID (allowed: [A-Za-z0-9][A-Za-z0-9._+-]{0,63})");
		spec->source = eq + 1;
	}
	if (!spec->source[0])
		return log_error(-EINVAL, arg, "no source after the ID");
	if (tag_word(spec->source)) {
		if (!source_is_tag(spec->source))
			return log_error(-EINVAL, arg, "the tag has no value");
		spec->is_tag = true;
	}
	return 0;
}

int volume_default_id(const struct volume_spec *spec, const char *label,
		      char id[NAME_MAX_LEN + 1])
{
	const char *candidate, *from;

	if (label && label[0]) {
		candidate = label;
		from = "label";
	} else if (spec->is_tag) {
		candidate = strchr(spec->source, '=') + 1;
		from = "tag value";
	} else {
		candidate = strrchr(spec->source, '/');
		candidate = candidate ? candidate + 1 : spec->source;
		from = "file name";
	}
	if (!name_is_valid(candidate))
		return log_error(-EINVAL, spec->source,
				 "its %s \"%s\" is not a valid ID; give one as ID=%s",
				 from, candidate, spec->source);
	strcpy(id, candidate);
	return 0;
}
