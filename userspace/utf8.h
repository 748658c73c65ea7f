/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef DMCOMBINE_UTF8_H
#define DMCOMBINE_UTF8_H

#include <stddef.h>

/* Length of the UTF-8 sequence starting at s, 0 if it is not valid. */
size_t utf8_sequence_length(const unsigned char *s);

#endif /* DMCOMBINE_UTF8_H */
