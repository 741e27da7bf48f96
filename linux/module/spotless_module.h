/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spotless.ko internals shared between its files.
 */
#ifndef SPOTLESS_MODULE_H
#define SPOTLESS_MODULE_H

#include <linux/fs.h>

#include "spotless_core.h"

/* The one device's state: counters, open handles, allocations. */
extern struct spotless_device_state spotless_device;

long spotless_unlocked_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg);

#endif /* SPOTLESS_MODULE_H */
