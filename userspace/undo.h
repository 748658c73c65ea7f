/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The steps a command has made so far, each with how to take it back:
 * when a later step fails, undo_run takes them back newest first, so a
 * failed command leaves things as they were; when the last step is done,
 * undo_forget keeps them. One list per command replaces a ladder of
 * "if this failed, undo that" written out by hand at every exit.
 */
#ifndef DMCOMBINE_UNDO_H
#define DMCOMBINE_UNDO_H

#include <stddef.h>

/* Takes one step back; logs its own failure (the list goes on regardless). */
typedef int (*undo_fn)(void *context, const char *arg);

struct undo_step {
	undo_fn fn;
	void *context;		/* the caller's, outliving the list */
	char *arg;		/* the list's copy, or NULL */
};

struct undo {
	struct undo_step *steps;
	size_t count, size;
};

#define UNDO_INIT { NULL, 0, 0 }

/*
 * Records how to take back the step just made. Without memory for the
 * record the step is taken back at once and -ENOMEM returned, so a step
 * is never left made and unrecorded.
 */
int undo_push(struct undo *undo, undo_fn fn, void *context, const char *arg);
/* Takes back every recorded step, newest first, and empties the list. */
void undo_run(struct undo *undo);
/* The steps stand: empties the list without taking anything back. */
void undo_forget(struct undo *undo);

#endif
