/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every message the tool prints goes through these helpers, so that a
 * failure is always exactly one line "dmcombine: <what>: <why>" on stderr
 * and hostile strings (newlines, escape sequences) cannot forge more lines.
 */
#ifndef DMCOMBINE_LOG_H
#define DMCOMBINE_LOG_H

enum log_level {
	LOG_QUIET = -1,		/* -q: errors only */
	LOG_NORMAL = 0,
	LOG_VERBOSE = 1,	/* -v */
	LOG_DEBUG = 2,		/* -vv: also libdevmapper's own messages */
};

void log_set_level(int level);
int log_get_level(void);

/* "dmcombine: <what>: <why>" on stderr; returns err so callers can return it. */
int log_error(int err, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Progress and notices on stderr, shown from the given level on. */
void log_at(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_info(...) log_at(LOG_NORMAL, __VA_ARGS__)
#define log_verbose(...) log_at(LOG_VERBOSE, __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)

/* Copies src into dst (size > 0) with control bytes written as \xHH. */
void log_escape(char *dst, size_t size, const char *src);

#endif
