// SPDX-License-Identifier: GPL-2.0
/*
 * spotless.ko events: POST, WAIT_EVENT, read(2) and poll(2), and the events
 * the module raises when a handle opens or closes.
 *
 * The portable event ring and the files' queues (a read position each) are
 * guarded by the device's events_lock. A publish writes one record and
 * wakes the device's wait queue, where only the files that are waiting (in
 * read, poll or WAIT_EVENT) sleep: an idle subscriber costs it nothing.
 * A record is copied out before it leaves its queue: a failed copy loses
 * nothing, and only what reached the caller is counted and logged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "spotless/wire.h"
#include "driver.h"

void spotless_events_file_init(struct spotless_file *sf)
{
	sf->events = NULL;
	mutex_init(&sf->read_lock);
}

static void publish(struct spotless_dev *dev, u32 kind, u64 source)
{
	u32 reached;

	spin_lock(&dev->events_lock);
	reached = spotless_events_publish(&dev->state.events, kind, source,
					  ktime_get_ns(), NULL, 0);
	spin_unlock(&dev->events_lock);
	if (reached)
		wake_up_interruptible(&dev->events_wait);
}

void spotless_events_handle_opened(struct spotless_file *sf)
{
	publish(sf->dev, SPOTLESS_EVENT_HANDLE_OPENED, sf->state.id);
}

/* The queue leaves the hub before it is freed; the others hear of it. */
void spotless_events_handle_closed(struct spotless_file *sf)
{
	struct spotless_dev *dev = sf->dev;

	if (sf->events) {
		spin_lock(&dev->events_lock);
		spotless_events_unsubscribe(&dev->state.events, sf->events);
		spin_unlock(&dev->events_lock);
		spotless_free(dev, sf->events);
		sf->events = NULL;
	}
	publish(dev, SPOTLESS_EVENT_HANDLE_CLOSED, sf->state.id);
}

/* The file's queue, once made: readers that see it see it initialised. */
static struct spotless_event_queue *file_queue(struct spotless_file *sf)
{
	/* Pairs with the release in subscribe(). */
	return smp_load_acquire(&sf->events);
}

/* The file's queue, made and subscribed the first time it is needed. */
static int subscribe(struct spotless_file *sf)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_event_queue *q;

	if (file_queue(sf))
		return 0;
	q = spotless_alloc(dev, sizeof(*q), 0);
	if (!q)
		return -ENOMEM;
	spotless_event_queue_init(q);
	spin_lock(&dev->events_lock);
	if (!sf->events) {
		spotless_events_subscribe(&dev->state.events, q);
		/* Pairs with file_queue(): the queue is initialised first. */
		smp_store_release(&sf->events, q);
		q = NULL;
	}
	spin_unlock(&dev->events_lock);
	spotless_free(dev, q);	/* another thread of this file was first */
	return 0;
}

static int peek(struct spotless_file *sf, struct spotless_event *ev)
{
	int found;

	spin_lock(&sf->dev->events_lock);
	found = spotless_events_peek(sf->events, ev);
	spin_unlock(&sf->dev->events_lock);
	return found;
}

/* The record peek gave reached the caller: it leaves the queue, counted. */
static void delivered(struct spotless_file *sf, const struct spotless_event *ev)
{
	spin_lock(&sf->dev->events_lock);
	spotless_events_commit(sf->events, ev);
	spin_unlock(&sf->dev->events_lock);
	spotless_core_account(&sf->dev->state, &sf->state, IOCTL_SPOTLESS_WAIT_EVENT,
			      SPOTLESS_OK, 0, sizeof(*ev));
}

/*
 * Wait (unless O_NONBLOCK) until the file's queue holds a record and peek
 * at it: 0, or a negative errno. Called with the file's read_lock held.
 */
static int peek_or_wait(struct file *file, struct spotless_event *ev)
{
	struct spotless_file *sf = file->private_data;
	int ret;

	lockdep_assert_held(&sf->read_lock);
	ret = subscribe(sf);
	if (ret)
		return ret;
	for (;;) {
		if (peek(sf, ev))
			return 0;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(sf->dev->events_wait,
					       spotless_events_pending(sf->events));
		if (ret)
			return ret;	/* -ERESTARTSYS: restarted, or EINTR */
	}
}

long spotless_events_post(struct spotless_file *sf, const void *payload, size_t len)
{
	struct spotless_dev *dev = sf->dev;
	enum spotless_status status;
	u32 reached;

	spin_lock(&dev->events_lock);
	status = spotless_core_post(&dev->state, &sf->state, payload, len,
				    ktime_get_ns(), &reached);
	spin_unlock(&dev->events_lock);
	if (reached)
		wake_up_interruptible(&dev->events_wait);
	return spotless_to_errno(status);
}

long spotless_ioctl_post(struct spotless_file *sf, void __user *argp, size_t usize)
{
	struct spotless_ioc_post post;
	unsigned char payload[SPOTLESS_EVENT_PAYLOAD_MAX];
	long ret;

	ret = spotless_copy_arg_in(sf, SPOTLESS_IOC_POST, IOCTL_SPOTLESS_POST,
				   &post, sizeof(post), argp, usize);
	if (ret)
		return ret;
	if (post.flags)
		return spotless_refuse(sf, SPOTLESS_IOC_POST, IOCTL_SPOTLESS_POST,
				       SPOTLESS_ERR_BAD_REQUEST);
	/* Only a message the core may accept is copied; it judges the rest. */
	if (post.payload_len && post.payload_len <= sizeof(payload) &&
	    copy_from_user(payload, u64_to_user_ptr(post.payload_ptr), post.payload_len))
		return -EFAULT;
	return spotless_events_post(sf, payload, post.payload_len);
}

static bool may_read(struct file *file)
{
	return file->f_mode & FMODE_READ;
}

/*
 * One reader of a file's queue at a time. A reader may sleep holding the
 * lock (waiting for a record); a caller with O_NONBLOCK must not sleep
 * behind it, whoever set the flag when: it is told to try again.
 */
static int lock_reader(struct file *file)
{
	struct spotless_file *sf = file->private_data;

	if (file->f_flags & O_NONBLOCK)
		return mutex_trylock(&sf->read_lock) ? 0 : -EAGAIN;
	return mutex_lock_interruptible(&sf->read_lock) ? -ERESTARTSYS : 0;
}

long spotless_ioctl_wait_event(struct file *file, void __user *argp, size_t usize)
{
	struct spotless_file *sf = file->private_data;
	struct spotless_event ev;
	int ret;

	if (!may_read(file)) {
		spotless_core_account(&sf->dev->state, &sf->state,
				      IOCTL_SPOTLESS_WAIT_EVENT,
				      SPOTLESS_ERR_ACCESS_DENIED, 0, 0);
		return -EBADF;
	}
	ret = lock_reader(file);
	if (ret)
		return ret;
	ret = peek_or_wait(file, &ev);
	/*
	 * A newer caller's larger record reads zeros past ours; after a fault
	 * the record stays for the next wait.
	 */
	if (!ret)
		ret = spotless_copy_answer_out(argp, usize, &ev, sizeof(ev));
	if (!ret)
		delivered(sf, &ev);
	mutex_unlock(&sf->read_lock);
	return ret;
}

ssize_t spotless_file_read(struct file *file, char __user *buf, size_t count,
			   loff_t *pos)
{
	struct spotless_file *sf = file->private_data;
	struct spotless_event ev;
	ssize_t done = 0;
	int ret;

	if (count < sizeof(ev))
		return -EINVAL;
	ret = lock_reader(file);
	if (ret)
		return ret;
	/* Wait for the first record; then take what is there without waiting. */
	ret = peek_or_wait(file, &ev);
	if (ret) {
		done = ret;
		goto unlock;
	}
	do {
		if (copy_to_user(buf + done, &ev, sizeof(ev))) {
			if (!done)
				done = -EFAULT;
			break;
		}
		delivered(sf, &ev);
		done += sizeof(ev);
	} while (count - done >= sizeof(ev) && peek(sf, &ev));
unlock:
	mutex_unlock(&sf->read_lock);
	return done;
}

/* A file not open for reading has nothing to read, now or later. */
__poll_t spotless_file_poll(struct file *file, struct poll_table_struct *wait)
{
	struct spotless_file *sf = file->private_data;

	if (!may_read(file))
		return 0;
	if (subscribe(sf))
		return EPOLLERR;
	poll_wait(file, &sf->dev->events_wait, wait);
	return spotless_events_pending(sf->events) ? EPOLLIN | EPOLLRDNORM : 0;
}
