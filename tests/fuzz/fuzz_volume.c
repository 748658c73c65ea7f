// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness of the NAME, ID and VOLUME grammar (userspace/volume.c).
 *
 * An input is a VOLUME argument, then optionally a NUL and the filesystem
 * label volume_default_id() is given.  Checked against what volume.h and
 * log.h promise: text_is_safe() agrees with glibc's UTF-8 decoder, names
 * match their grammar, an accepted VOLUME is exactly "[ID=]SOURCE" and
 * never hides an ID in a path, every ID made is a valid name, and each
 * refusal prints one line of clean UTF-8.
 */
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fuzz-check.h"
#include "log.h"
#include "volume.h"

#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define PREFIX "dmcombine: "

/* What the tool printed while stderr was captured. */
static FILE *real_stderr;
static char *messages;
static size_t messages_len;

/* glibc lets stderr be assigned: the tool's messages go to memory. */
static void capture_begin(void)
{
	free(messages);
	real_stderr = stderr;
	stderr = open_memstream(&messages, &messages_len);
	if (!stderr) {
		stderr = real_stderr;
		CHECK(false, "open_memstream failed");
	}
}

static void capture_end(void)
{
	fclose(stderr);
	stderr = real_stderr;
}

/* [A-Za-z0-9][A-Za-z0-9._+-]{0,63} */
static bool reference_name_is_valid(const char *name)
{
	size_t len = strlen(name);

	return len && len <= NAME_MAX_LEN && strchr(ALNUM, name[0]) &&
	       strspn(name, ALNUM "._+-") == len;
}

/* No control bytes, and Unicode scalar values as glibc decodes them. */
static bool is_clean_utf8(const char *text, size_t len)
{
	mbstate_t state = { 0 };
	wchar_t wc;
	size_t n;

	while (len) {
		if ((unsigned char)*text < 0x20 || *text == 0x7f)
			return false;
		n = mbrtowc(&wc, text, len, &state);
		/* glibc decodes past U+10FFFF, which UTF-8 no longer has. */
		if (n == (size_t)-1 || n == (size_t)-2 || (unsigned long)wc > 0x10ffff)
			return false;
		text += n;
		len -= n;
	}
	return true;
}

static bool reference_text_is_safe(const char *text)
{
	size_t len = strlen(text);

	return len <= SOURCE_MAX_LEN && is_clean_utf8(text, len);
}

/* Accepted: silence.  Refused: -EINVAL and one line, escaped to clean UTF-8. */
static void check_outcome(int r, const char *what)
{
	if (!r) {
		CHECK(!messages_len, "%s accepted, yet printed \"%s\"", what, messages);
		return;
	}
	CHECK(r == -EINVAL, "%s returned %d", what, r);
	CHECK(messages_len > strlen(PREFIX) && !strncmp(messages, PREFIX, strlen(PREFIX)) &&
	      messages[messages_len - 1] == '\n' && is_clean_utf8(messages, messages_len - 1),
	      "%s refused with \"%s\"", what, messages);
}

static void check_spec(const char *arg, const struct volume_spec *spec)
{
	size_t id_len = strlen(spec->id);
	const char *eq = strchr(arg, '='), *slash = strchr(arg, '/');

	CHECK(text_is_safe(arg), "\"%s\" accepted, yet not safe text", arg);
	if (id_len)
		CHECK(reference_name_is_valid(spec->id) && !strncmp(arg, spec->id, id_len) &&
		      arg[id_len] == '=' && spec->source == arg + id_len + 1,
		      "\"%s\" split into ID \"%s\" and \"%s\"", arg, spec->id, spec->source);
	else
		CHECK(spec->source == arg, "\"%s\" has no ID, yet source \"%s\"", arg, spec->source);
	CHECK(spec->source[0], "\"%s\" accepted with an empty source", arg);
	CHECK(spec->is_tag == source_is_tag(spec->source), "\"%s\": is_tag wrong", arg);
	/* An '=' before any '/' is an ID's or a tag's, never part of a path. */
	CHECK(id_len || !eq || (slash && slash < eq) || spec->is_tag,
	      "\"%s\" accepted as a path although its '=' comes first", arg);
}

static void check_default_id(const struct volume_spec *spec, const char *label)
{
	char id[NAME_MAX_LEN + 1];
	size_t id_len, source_len = strlen(spec->source);
	int r;

	capture_begin();
	r = volume_default_id(spec, label, id);
	capture_end();
	check_outcome(r, "volume_default_id");
	if (r)
		return;
	id_len = strlen(id);
	CHECK(reference_name_is_valid(id), "default ID \"%s\" is not a name", id);
	if (label && label[0])
		CHECK(!strcmp(id, label), "default ID \"%s\", not the label \"%s\"", id, label);
	else
		CHECK(id_len <= source_len && !strcmp(spec->source + source_len - id_len, id),
		      "default ID \"%s\" is not the end of \"%s\"", id, spec->source);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	CHECK(setlocale(LC_CTYPE, "C.UTF-8"), "no C.UTF-8 locale");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg = malloc(size + 2), *label = NULL;
	struct volume_spec spec;
	size_t arg_len;
	int r;

	CHECK(arg, "out of memory");
	memcpy(arg, data, size);
	arg[size] = arg[size + 1] = '\0';
	arg_len = strlen(arg);
	if (arg_len < size)
		label = arg + arg_len + 1;

	CHECK(text_is_safe(arg) == reference_text_is_safe(arg),
	      "text_is_safe(\"%s\") is %d", arg, text_is_safe(arg));
	CHECK(name_is_valid(arg) == reference_name_is_valid(arg),
	      "name_is_valid(\"%s\") is %d", arg, name_is_valid(arg));

	capture_begin();
	r = volume_spec_parse(arg, &spec);
	capture_end();
	check_outcome(r, "volume_spec_parse");
	if (!r) {
		check_spec(arg, &spec);
		check_default_id(&spec, label);
	}
	free(arg);
	return 0;
}
