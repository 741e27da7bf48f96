/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spotless.ko internals shared between its files.
 */
#ifndef SPOTLESS_MODULE_H
#define SPOTLESS_MODULE_H

#include <linux/fs.h>
#include <linux/poll.h>

#include "spotless_core.h"

/* The one device's state: counters, open handles, allocations, events. */
extern struct spotless_device_state spotless_device;

/* One open file: the core's handle state, and its event queue once it has
 * subscribed (by waiting, reading or polling). */
struct spotless_file {
	struct spotless_handle_state state;
	struct spotless_event_queue *events;
};

long spotless_unlocked_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg);

/* spotless_events_io.c */
void spotless_events_handle_opened(struct spotless_file *sf);
void spotless_events_handle_closed(struct spotless_file *sf);
long spotless_ioctl_post(struct spotless_file *sf, void __user *argp);
long spotless_ioctl_wait_event(struct file *file, void __user *argp);
ssize_t spotless_read(struct file *file, char __user *buf, size_t count,
		      loff_t *pos);
__poll_t spotless_poll(struct file *file, struct poll_table_struct *wait);

#endif /* SPOTLESS_MODULE_H */
