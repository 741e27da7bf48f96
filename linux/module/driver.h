/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spotless.ko internals shared between its files.
 */
#ifndef SPOTLESS_LINUX_DRIVER_H
#define SPOTLESS_LINUX_DRIVER_H

#include <linux/fs.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "spotless_core.h"

/*
 * The device: the misc device and everything the module keeps for it,
 * reached from an open file through the miscdevice (container_of), as
 * drivers/misc does. Allocated at load, freed at unload.
 */
struct spotless_dev {
	struct miscdevice misc;
	struct spotless_device_state state;	/* the core's: counters, events */
	/* Guards state.events (the ring) and every file's queue. */
	spinlock_t events_lock;
	/* Where the files waiting for an event sleep (read, poll, WAIT_EVENT). */
	wait_queue_head_t events_wait;
};

/* One open file: the core's handle state, and its events once it has
 * subscribed (by waiting, reading or polling).
 */
struct spotless_file {
	struct spotless_handle_state state;
	struct spotless_dev *dev;
	/* NULL until the first wait; set once (smp_store_release), freed at
	 * release.
	 */
	struct spotless_event_queue *events;
	struct mutex read_lock;			/* one reader of the queue at once */
};

/* request.c: what the ioctls (dispatch.c) and the events (events.c) share. */
long spotless_to_errno(enum spotless_status status);
bool spotless_log_exchange_on(void);
void spotless_log_issued(unsigned int cmd);
long spotless_refuse(struct spotless_file *sf, unsigned int cmd, u32 code,
		     enum spotless_status status);
void spotless_log_result(unsigned int cmd, const struct spotless_request *req,
			 const struct spotless_result *res);
/*
 * An argument structure in, and an answer structure out, by the rules of a
 * structure that grows (wire_linux.h): usize is the caller's _IOC_SIZE.
 */
long spotless_copy_arg_in(struct spotless_file *sf, unsigned int cmd, u32 code,
			  void *karg, size_t ksize, const void __user *argp, size_t usize);
long spotless_copy_answer_out(void __user *argp, size_t usize, const void *answer,
			      size_t len);
/* dispatch.c: the ioctls. */
long spotless_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* uring.c: the same commands through io_uring (IORING_OP_URING_CMD). */
struct io_uring_cmd;
int spotless_file_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags);

/* main.c */
/* Driver memory for one open file, subscribed: what INFO reports. */
size_t spotless_file_bytes(void);

/* Buffers of requests, counted for STATS and charged to the caller's
 * memory cgroup; large ones virtually contiguous.
 */
void *spotless_alloc(struct spotless_dev *dev, size_t len, gfp_t extra);
void spotless_free(struct spotless_dev *dev, void *p);

/* crc32c.c: which implementation the kernel's crc32c() runs, asked once at load. */
void spotless_crc32c_probe(void);

/* events.c */
void spotless_events_file_init(struct spotless_file *sf);
void spotless_events_handle_opened(struct spotless_file *sf);
void spotless_events_handle_closed(struct spotless_file *sf);
long spotless_ioctl_post(struct spotless_file *sf, void __user *argp, size_t usize);
/* POST of a payload already in the kernel (SPOTLESS_IOC_CALL's). */
long spotless_events_post(struct spotless_file *sf, const void *payload, size_t len);
long spotless_ioctl_wait_event(struct file *file, void __user *argp, size_t usize);
ssize_t spotless_file_read(struct file *file, char __user *buf, size_t count,
			   loff_t *pos);
__poll_t spotless_file_poll(struct file *file, struct poll_table_struct *wait);

#endif /* SPOTLESS_LINUX_DRIVER_H */
