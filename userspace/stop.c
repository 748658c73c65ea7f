// SPDX-License-Identifier: GPL-2.0-only
/* The kill -9 test hook (see stop.h). */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "stop.h"

void stop_point(const char *name)
{
	const char *stop = getenv("DMCOMBINE_TEST_STOP");

	if (stop && !strcmp(stop, name))
		raise(SIGKILL);
}
