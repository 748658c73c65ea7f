/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Work items for the fuzz build: scheduled work runs when it is flushed,
 * as if the workqueue had not got to it before.
 */
#ifndef SHIM_LINUX_WORKQUEUE_H
#define SHIM_LINUX_WORKQUEUE_H

#include <stdbool.h>

struct work_struct {
	void (*func)(struct work_struct *work);
	bool pending;
};

#define INIT_WORK(work, fn) \
	(*(work) = (struct work_struct){ .func = (fn) })

static inline bool schedule_work(struct work_struct *work)
{
	bool queued = !work->pending;

	work->pending = true;
	return queued;
}

static inline bool flush_work(struct work_struct *work)
{
	bool ran = work->pending;

	work->pending = false;
	if (ran)
		work->func(work);
	return ran;
}

static inline bool cancel_work_sync(struct work_struct *work)
{
	bool was_pending = work->pending;

	work->pending = false;
	return was_pending;
}

#endif
