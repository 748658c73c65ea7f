// SPDX-License-Identifier: GPL-2.0-only
/* CONFIG_DIR/dmcombine.conf (see settings.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "settings.h"

/* Far more than the few lines the file holds. */
#define SETTINGS_MAX_BYTES 65536

/* A whole number of seconds, 0 to SETTINGS_MAX_SECONDS. */
static int seconds_of(const char *text, size_t len, unsigned int *seconds)
{
	unsigned long value = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -EINVAL;
		value = value * 10 + (unsigned long)(text[i] - '0');
		if (value > SETTINGS_MAX_SECONDS)
			return -EINVAL;
	}
	*seconds = (unsigned int)value;
	return 0;
}

int settings_parse(const char *text, struct settings *settings, char *why, size_t size)
{
	static const char degraded_after[] = "degraded_after=";
	const char *line = text, *end;
	unsigned int number = 0;
	size_t len;

	memset(settings, 0, sizeof(*settings));
	for (; *line; line = *end ? end + 1 : end) {
		end = line + strcspn(line, "\n");
		len = (size_t)(end - line);
		number++;
		if (!len || line[0] == '#')
			continue;
		if (len > strlen(degraded_after) && !strncmp(line, degraded_after, strlen(degraded_after))) {
			if (seconds_of(line + strlen(degraded_after), len - strlen(degraded_after),
				       &settings->degraded_after)) {
				snprintf(why, size, "line %u: degraded_after is not 0 to %u seconds", number,
					 SETTINGS_MAX_SECONDS);
				return -EINVAL;
			}
			continue;
		}
		snprintf(why, size, "line %u: not a known KEY=VALUE (degraded_after=SECONDS)", number);
		return -EINVAL;
	}
	return 0;
}

int settings_load(const char *config_dir, struct settings *settings)
{
	char path[PATH_MAX], text[SETTINGS_MAX_BYTES + 1], why[128];
	ssize_t len;
	int fd, r;

	memset(settings, 0, sizeof(*settings));
	snprintf(path, sizeof(path), "%s/" SETTINGS_FILE, config_dir);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return log_error(-errno, path, "%s", strerror(errno));
	len = read(fd, text, sizeof(text));
	r = len < 0 ? -errno : 0;
	close(fd);
	if (r)
		return log_error(r, path, "%s", strerror(-r));
	if (len > SETTINGS_MAX_BYTES || memchr(text, '\0', (size_t)len))
		return log_error(-EINVAL, path, "larger than %u bytes or holds NUL bytes",
				 SETTINGS_MAX_BYTES);
	text[len] = '\0';
	r = settings_parse(text, settings, why, sizeof(why));
	if (r)
		log_error(r, path, "%s", why);
	return r;
}
