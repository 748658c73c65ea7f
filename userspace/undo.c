// SPDX-License-Identifier: GPL-2.0-only
/* The undo list of a command (see undo.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "undo.h"

int undo_push(struct undo *undo, undo_fn fn, void *context, const char *arg)
{
	struct undo_step *steps = undo->steps, *step;
	char *copy = NULL;

	if (undo->count == undo->size) {
		steps = realloc(undo->steps, (undo->size * 2 + 8) * sizeof(*steps));
		if (steps) {
			undo->steps = steps;
			undo->size = undo->size * 2 + 8;
		}
	}
	if (arg && steps)
		copy = strdup(arg);
	if (!steps || (arg && !copy)) {
		fn(context, arg);
		return -ENOMEM;
	}
	step = &undo->steps[undo->count++];
	step->fn = fn;
	step->context = context;
	step->arg = copy;
	return 0;
}

void undo_run(struct undo *undo)
{
	while (undo->count) {
		struct undo_step *step = &undo->steps[--undo->count];

		step->fn(step->context, step->arg);
		free(step->arg);
	}
	undo_forget(undo);
}

void undo_forget(struct undo *undo)
{
	while (undo->count)
		free(undo->steps[--undo->count].arg);
	free(undo->steps);
	undo->steps = NULL;
	undo->size = 0;
}
