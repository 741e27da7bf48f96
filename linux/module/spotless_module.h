/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spotless.ko internals shared between its files.
 */
#ifndef SPOTLESS_MODULE_H
#define SPOTLESS_MODULE_H

#include <linux/fs.h>

long spotless_unlocked_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg);

#endif /* SPOTLESS_MODULE_H */
