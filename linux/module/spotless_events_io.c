// SPDX-License-Identifier: GPL-2.0
/*
 * spotless.ko events: POST, WAIT_EVENT, read(2) and poll(2), and the events
 * the module raises when a handle opens or closes. The portable queues are
 * guarded by one spinlock; waiters sleep on one wait queue and check their
 * own queue when woken.
 */
#define pr_fmt(fmt) "spotless: " fmt

#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "spotless/spotless_ioctl.h"
#include "spotless_module.h"

static DEFINE_SPINLOCK(events_lock);
static DECLARE_WAIT_QUEUE_HEAD(events_wait);

static void publish(uint32_t kind, uint64_t source)
{
	uint32_t reached;

	spin_lock(&events_lock);
	reached = spotless_events_publish(&spotless_device.events, kind, source,
					  ktime_get_ns(), NULL, 0);
	spin_unlock(&events_lock);
	if (reached)
		wake_up_interruptible(&events_wait);
}

void spotless_events_handle_opened(struct spotless_file *sf)
{
	publish(SPOTLESS_EVENT_HANDLE_OPENED, sf->state.id);
}

/* The queue leaves the hub before it is freed; the others hear of it. */
void spotless_events_handle_closed(struct spotless_file *sf)
{
	if (sf->events) {
		spin_lock(&events_lock);
		spotless_events_unsubscribe(&spotless_device.events, sf->events);
		spin_unlock(&events_lock);
		kfree(sf->events);
		spotless_core_freed(&spotless_device);
		sf->events = NULL;
	}
	publish(SPOTLESS_EVENT_HANDLE_CLOSED, sf->state.id);
}

/* The handle's queue, made and subscribed the first time it is needed. */
static int subscribe(struct spotless_file *sf)
{
	struct spotless_event_queue *q;

	if (READ_ONCE(sf->events))
		return 0;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	spotless_event_queue_init(q);
	spin_lock(&events_lock);
	if (!sf->events) {
		spotless_events_subscribe(&spotless_device.events, q);
		WRITE_ONCE(sf->events, q);
		q = NULL;
	}
	spin_unlock(&events_lock);
	if (q)
		kfree(q);	/* another thread of this file was first */
	else
		spotless_core_allocated(&spotless_device);
	return 0;
}

static int take(struct spotless_file *sf, struct spotless_event *ev)
{
	int taken;

	spin_lock(&events_lock);
	taken = spotless_events_take(sf->events, ev);
	spin_unlock(&events_lock);
	return taken;
}

/* One record, waiting for it unless O_NONBLOCK: 0, or a negative errno. */
static int take_or_wait(struct file *file, struct spotless_event *ev)
{
	struct spotless_file *sf = file->private_data;
	int ret = subscribe(sf);

	if (ret)
		return ret;
	for (;;) {
		if (take(sf, ev))
			return 0;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(events_wait,
					       READ_ONCE(sf->events->count) != 0);
		if (ret)
			return ret;	/* -ERESTARTSYS: restarted, or EINTR */
	}
}

long spotless_ioctl_post(struct spotless_file *sf, void __user *argp)
{
	struct spotless_post post;
	unsigned char msg[SPOTLESS_EVENT_PAYLOAD_MAX];
	enum spotless_status status;
	uint32_t reached;

	if (copy_from_user(&post, argp, sizeof(post)))
		return -EFAULT;
	if (post.flags) {
		spotless_core_account(&spotless_device, &sf->state, IOCTL_SPOTLESS_POST,
				      SPOTLESS_ERR_BAD_REQUEST, 0, 0);
		return -EINVAL;
	}
	/* Only a message the core may accept is copied; it judges the rest. */
	if (post.msg_len && post.msg_len <= sizeof(msg) &&
	    copy_from_user(msg, u64_to_user_ptr(post.msg_ptr), post.msg_len))
		return -EFAULT;
	spin_lock(&events_lock);
	status = spotless_core_post(&spotless_device, &sf->state, msg, post.msg_len,
				    ktime_get_ns(), &reached);
	spin_unlock(&events_lock);
	if (reached)
		wake_up_interruptible(&events_wait);
	switch (status) {
	case SPOTLESS_OK:
		return 0;
	case SPOTLESS_ERR_ACCESS_DENIED:
		return -EBADF;
	case SPOTLESS_ERR_INPUT_TOO_LARGE:
		return -EMSGSIZE;
	default:
		return -EINVAL;
	}
}

static bool may_read(struct file *file)
{
	return file->f_mode & FMODE_READ;
}

long spotless_ioctl_wait_event(struct file *file, void __user *argp)
{
	struct spotless_file *sf = file->private_data;
	struct spotless_event ev;
	int ret;

	if (!may_read(file)) {
		spotless_core_account(&spotless_device, &sf->state,
				      IOCTL_SPOTLESS_WAIT_EVENT,
				      SPOTLESS_ERR_ACCESS_DENIED, 0, 0);
		return -EBADF;
	}
	ret = take_or_wait(file, &ev);
	if (ret)
		return ret;
	/* Taken: if it cannot be copied out it is lost, as the caller lied. */
	spotless_core_account(&spotless_device, &sf->state, IOCTL_SPOTLESS_WAIT_EVENT,
			      SPOTLESS_OK, 0, sizeof(ev));
	return copy_to_user(argp, &ev, sizeof(ev)) ? -EFAULT : 0;
}

ssize_t spotless_read(struct file *file, char __user *buf, size_t count,
		      loff_t *pos)
{
	struct spotless_file *sf = file->private_data;
	struct spotless_event ev;
	size_t done = 0;
	int ret;

	if (count < sizeof(ev))
		return -EINVAL;
	/* Wait for the first record; then take what is there without waiting. */
	ret = take_or_wait(file, &ev);
	if (ret)
		return ret;
	do {
		spotless_core_account(&spotless_device, &sf->state,
				      IOCTL_SPOTLESS_WAIT_EVENT, SPOTLESS_OK, 0, sizeof(ev));
		if (copy_to_user(buf + done, &ev, sizeof(ev)))
			return done ? done : -EFAULT;
		done += sizeof(ev);
	} while (count - done >= sizeof(ev) && take(sf, &ev));
	return done;
}

__poll_t spotless_poll(struct file *file, struct poll_table_struct *wait)
{
	struct spotless_file *sf = file->private_data;

	if (subscribe(sf))
		return EPOLLERR;
	poll_wait(file, &events_wait, wait);
	return READ_ONCE(sf->events->count) ? EPOLLIN | EPOLLRDNORM : 0;
}
