/* SPDX-License-Identifier: GPL-2.0-only */
/* Random (version 4) UUIDs of combined devices, in canonical text form. */
#ifndef DMCOMBINE_UUID_H
#define DMCOMBINE_UUID_H

#include <stdbool.h>
#include <stdint.h>

#include "combined.h"

/* Canonical lower-case text of 16 bytes, stamped as version 4, variant 1. */
void uuid_format_v4(const uint8_t bytes[16], char text[UUID_STRING_LEN + 1]);
/* Fills text with a new random UUID; -errno when no randomness is available. */
int uuid_generate(char text[UUID_STRING_LEN + 1]);
/* Canonical form: 8-4-4-4-12 lower-case hex digits. */
bool uuid_is_valid(const char *text);

#endif
