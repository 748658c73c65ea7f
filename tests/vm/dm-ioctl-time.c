// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest time of one device-mapper ioctl, without dmsetup's own start and
 * processing (60 ms of guest time under -icount, more than what the
 * benchmarks measure): for the status and message benchmarks
 * (tests/bench/50-scale.sh, 55-status.sh).
 *
 *   dm-ioctl-time RUNS NAME status
 *   dm-ioctl-time RUNS NAME message WORD...
 *
 * Prints the mean microseconds per call (CLOCK_MONOTONIC around the ioctl,
 * which -icount ties to executed instructions) and the bytes of the
 * answer. Like libdevmapper, each call starts with a 16 KiB buffer and
 * asks again with a doubled one while the kernel says it is full.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* libdevmapper's first buffer (libdm-iface.c, _flatten). */
#define FIRST_BUFFER (16 * 1024)

static struct dm_ioctl *prepare(size_t size, const char *name)
{
	struct dm_ioctl *dmi = calloc(1, size);

	if (!dmi) {
		perror("dm-ioctl-time");
		exit(1);
	}
	dmi->version[0] = DM_VERSION_MAJOR;
	dmi->data_size = (__u32)size;
	dmi->data_start = sizeof(*dmi);
	snprintf(dmi->name, sizeof(dmi->name), "%s", name);
	return dmi;
}

/* One call as libdevmapper makes it; returns the bytes of its answer. */
static size_t call(int control, const char *name, char **words, int nr_words)
{
	unsigned long request = nr_words ? DM_TARGET_MSG : DM_TABLE_STATUS;
	size_t size = FIRST_BUFFER, len, answer;
	struct dm_target_msg *msg;
	struct dm_ioctl *dmi;
	char *text;
	int i;

	for (;;) {
		dmi = prepare(size, name);
		if (nr_words) {
			msg = (struct dm_target_msg *)(dmi + 1);
			text = msg->message;
			for (i = 0; i < nr_words; i++) {
				len = strlen(text);
				snprintf(text + len, size - sizeof(*dmi) - sizeof(*msg) - len, "%s%s",
					 i ? " " : "", words[i]);
			}
		}
		if (ioctl(control, request, dmi)) {
			fprintf(stderr, "dm-ioctl-time: %s: %s\n", name, strerror(errno));
			exit(1);
		}
		if (!(dmi->flags & DM_BUFFER_FULL_FLAG))
			break;
		free(dmi);
		size *= 2;
	}
	answer = dmi->data_size > dmi->data_start ? dmi->data_size - dmi->data_start : 0;
	free(dmi);
	return answer;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	size_t answer = 0;
	int runs, control, i;
	double usecs;

	if (argc < 4 || (strcmp(argv[3], "status") && (strcmp(argv[3], "message") || argc < 5))) {
		fprintf(stderr, "usage: dm-ioctl-time RUNS NAME status|message WORD...\n");
		return 2;
	}
	runs = atoi(argv[1]);
	control = open("/dev/mapper/control", O_RDWR);
	if (control < 0 || runs < 1) {
		fprintf(stderr, "dm-ioctl-time: /dev/mapper/control: %s\n", strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < runs; i++)
		answer = call(control, argv[2], argv + 4, argc - 4);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	usecs = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / runs;
	printf("%.0f %zu\n", usecs, answer);
	close(control);
	return 0;
}
