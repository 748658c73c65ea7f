/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dmcombine reidentify NAME: rewrites the saved identities of an active
 * device's volumes to host-assigned ones (identity.h), for registries
 * written before the tool saved only those. Each volume's saved identity
 * must name exactly the device its live table uses: the live table is what
 * the new identity is taken from, so a map assembled from another device
 * is not made permanent.
 */
#ifndef DMCOMBINE_REIDENTIFY_H
#define DMCOMBINE_REIDENTIFY_H

#include "cli.h"

int command_reidentify(const struct invocation *invocation);

#endif
