/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Module glue for the fuzz build: module_init() and module_exit() leave
 * their functions where the harness calls them, as loading would.
 */
#ifndef SHIM_LINUX_MODULE_H
#define SHIM_LINUX_MODULE_H

struct module;

#define THIS_MODULE	((struct module *)0)
#define __init
#define __exit

extern int (*const shim_module_init)(void);
extern void (*const shim_module_exit)(void);

#define module_init(fn)	int (*const shim_module_init)(void) = fn
#define module_exit(fn)	void (*const shim_module_exit)(void) = fn

/* Declarations that declare nothing, so that the ';' after each is valid. */
#define MODULE_DESCRIPTION(x)	struct module
#define MODULE_AUTHOR(x)	struct module
#define MODULE_LICENSE(x)	struct module
#define MODULE_VERSION(x)	struct module

#endif
