// SPDX-License-Identifier: GPL-2.0-only
/* Version 4 UUIDs: formatting, generation, validation. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "uuid.h"

void uuid_format_v4(const uint8_t bytes[16], char text[UUID_STRING_LEN + 1])
{
	uint8_t b[16];
	size_t i, pos = 0;

	memcpy(b, bytes, sizeof(b));
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			text[pos++] = '-';
		sprintf(text + pos, "%02x", b[i]);
		pos += 2;
	}
}

int uuid_generate(char text[UUID_STRING_LEN + 1])
{
	uint8_t bytes[16];

	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes))
		return errno ? -errno : -EIO;
	uuid_format_v4(bytes, text);
	return 0;
}

bool uuid_is_valid(const char *text)
{
	size_t i;

	if (strlen(text) != UUID_STRING_LEN)
		return false;
	for (i = 0; i < UUID_STRING_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return false;
		} else if (!strchr("0123456789abcdef", text[i])) {
			return false;
		}
	}
	return true;
}
