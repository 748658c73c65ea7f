/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test hook: with DMCOMBINE_TEST_STOP=NAME in the environment the tool
 * kills itself (SIGKILL, as kill -9 would) when it reaches the step
 * boundary NAME, so that tests can check what a kill at exactly that
 * point leaves behind and that the documented recovery clears it. The
 * names are listed in dmcombine(8), TEST HOOK.
 */
#ifndef DMCOMBINE_STOP_H
#define DMCOMBINE_STOP_H

void stop_point(const char *name);

#endif
