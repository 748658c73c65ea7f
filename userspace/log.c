// SPDX-License-Identifier: GPL-2.0-only
/* Message helpers: one line per message, control bytes and invalid UTF-8 escaped. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "utf8.h"

/* Long enough for a path and an explanation; longer messages are cut. */
#define LOG_LINE_MAX 8192

static int current_level = LOG_NORMAL;

void log_set_level(int level)
{
	current_level = level;
}

int log_get_level(void)
{
	return current_level;
}

void log_escape(char *dst, size_t size, const char *src)
{
	size_t used = 0;

	while (*src) {
		const unsigned char *s = (const unsigned char *)src;
		size_t len = utf8_sequence_length(s);
		int n;

		if (!len || *s < 0x20 || *s == 0x7f) {
			n = snprintf(dst + used, size - used, "\\x%02x", *s);
			len = 1;
		} else {
			n = snprintf(dst + used, size - used, "%.*s", (int)len, src);
		}
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
		src += len;
	}
	dst[used] = '\0';
}

static void print_line(const char *prefix, const char *fmt, va_list ap)
{
	char raw[LOG_LINE_MAX], line[LOG_LINE_MAX];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	log_escape(line, sizeof(line), raw);
	fprintf(stderr, "dmcombine: %s%s\n", prefix, line);
}

int log_error(int err, const char *what, const char *fmt, ...)
{
	char prefix[LOG_LINE_MAX];
	va_list ap;

	log_escape(prefix, sizeof(prefix) - 2, what);
	strcat(prefix, ": ");
	va_start(ap, fmt);
	print_line(prefix, fmt, ap);
	va_end(ap);
	return err;
}

void log_at(int level, const char *fmt, ...)
{
	va_list ap;

	if (current_level < level)
		return;
	va_start(ap, fmt);
	print_line("", fmt, ap);
	va_end(ap);
}
