// SPDX-License-Identifier: MIT
/*
 * The queue on Linux (os.h): an io_uring ring through liburing. Each
 * command is an IORING_OP_URING_CMD SQE for the module's SPOTLESS_IOC_CALL,
 * its command area holding the address of the slot's spotless_ioc_call (as
 * ioctl(2) would pass it). The module runs it at submission and writes
 * out_written into that structure; the CQE's res is the ioctl's result.
 *
 * WAIT_EVENT is a poll for POLLIN on the descriptor (IORING_OP_POLL_ADD;
 * the first poll subscribes the handle), and the record is taken with the
 * WAIT_EVENT ioctl when it completes, in reap. io_uring cancels a poll on
 * every kernel (destroy, and the ring's end when the process exits), which
 * a uring command left pending in the module could not be before 6.7. As
 * with spotless_event_wait_finish(), another thread taking this handle's
 * events in between makes that ioctl wait for the next one.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <liburing.h>

#include "os.h"

struct spotless_queue_os {
	struct io_uring ring;
	int fd;
	unsigned int prepared;		/* SQEs not yet submitted */
	struct spotless_ioc_call *calls;	/* by slot; read by the module */
};

/* A slot's WAIT_EVENT: its poll came back (res: the poll's result). */
static spotless_err take_event(struct spotless_queue_os *q, struct spotless_ioc_call *call,
			       int res)
{
	struct spotless_event event;

	if (call->out_len < sizeof(event))
		return ERANGE;		/* a NOP carried it: refused at once */
	if (res < 0)
		return res == -ECANCELED ? SPOTLESS_E_CANCELLED : -res;
	if (!(res & POLLIN))
		return ENOMEM;	/* POLLERR: the handle could not subscribe */
	if (ioctl(q->fd, SPOTLESS_IOC_WAIT_EVENT, &event) < 0)
		return errno;
	memcpy((void *)(uintptr_t)call->out_ptr, &event, sizeof(event));
	call->out_written = sizeof(event);
	return 0;
}

static spotless_err lxq_open(struct spotless_handle *handle, unsigned int depth,
			     struct spotless_queue_os **out)
{
	struct spotless_queue_os *q = calloc(1, sizeof(*q));
	spotless_err err = ENOMEM;
	int ret;

	if (!q)
		return err;
	q->calls = calloc(depth, sizeof(*q->calls));
	if (!q->calls)
		goto free_queue;
	q->fd = (int)spotless_os.native_handle(handle);
	/* The completion ring is twice the submission ring: never overflows
	 * with at most depth commands not reaped. */
	ret = io_uring_queue_init(depth, &q->ring, 0);
	if (ret < 0) {
		err = -ret;
		goto free_calls;
	}
	*out = q;
	return 0;

free_calls:
	free(q->calls);
free_queue:
	free(q);
	return err;
}

static spotless_err lxq_prepare(struct spotless_queue_os *q, unsigned int slot,
				uint32_t code, const void *in, size_t in_len,
				void *out, size_t out_len)
{
	struct spotless_ioc_call *call = &q->calls[slot];
	struct io_uring_sqe *sqe = io_uring_get_sqe(&q->ring);

	/* The ring has depth entries and a slot is free: there is room. */
	if (!sqe)
		return EBUSY;
	memset(call, 0, sizeof(*call));
	call->in_ptr = (uintptr_t)in;
	call->out_ptr = (uintptr_t)out;
	call->in_len = (uint32_t)in_len;
	call->out_len = (uint32_t)out_len;
	call->code = code;
	if (code == IOCTL_SPOTLESS_WAIT_EVENT && out_len < sizeof(struct spotless_event)) {
		io_uring_prep_nop(sqe);
	} else if (code == IOCTL_SPOTLESS_WAIT_EVENT) {
		io_uring_prep_poll_add(sqe, q->fd, POLLIN);
	} else {
		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = IORING_OP_URING_CMD;
		sqe->fd = q->fd;
		sqe->cmd_op = SPOTLESS_IOC_CALL;
		/* The command area's first 8 bytes: the argument's address. */
		sqe->addr3 = (uintptr_t)call;
	}
	sqe->user_data = slot;
	q->prepared++;
	return 0;
}

static spotless_err lxq_submit(struct spotless_queue_os *q, unsigned int *submitted)
{
	int ret;

	if (!q->prepared)
		return 0;
	ret = io_uring_submit(&q->ring);
	if (ret < 0)
		return -ret;
	q->prepared -= (unsigned int)ret;
	*submitted = (unsigned int)ret;
	return 0;
}

/* Move up to max - *count ready CQEs into done. */
static void take_ready(struct spotless_queue_os *q, struct spotless_completion *done,
		       unsigned int max, unsigned int *count)
{
	struct io_uring_cqe *cqe;

	while (*count < max && io_uring_peek_cqe(&q->ring, &cqe) == 0) {
		struct spotless_completion *c = &done[(*count)++];
		unsigned int slot = (unsigned int)cqe->user_data;
		struct spotless_ioc_call *call = &q->calls[slot];

		c->user_data = slot;
		if (call->code == IOCTL_SPOTLESS_WAIT_EVENT)
			c->err = take_event(q, call, cqe->res);
		else
			c->err = cqe->res < 0 ? -cqe->res : 0;
		c->written = c->err ? 0 : call->out_written;
		io_uring_cqe_seen(&q->ring, cqe);
	}
}

static spotless_err lxq_reap(struct spotless_queue_os *q, struct spotless_completion *done,
			     unsigned int max, unsigned int wait_for, int timeout_ms,
			     unsigned int *count)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long long)(timeout_ms % 1000) * 1000000,
	};
	struct io_uring_cqe *cqe;

	take_ready(q, done, max, count);
	while (*count < wait_for) {
		int ret;

		if (!timeout_ms)
			return SPOTLESS_E_TIMEOUT;
		ret = io_uring_wait_cqes(&q->ring, &cqe, wait_for - *count,
					 timeout_ms < 0 ? NULL : &ts, NULL);
		if (ret == -ETIME)
			ret = 0;
		if (ret < 0 && ret != -EINTR)
			return -ret;
		take_ready(q, done, max, count);
		/* One wait for the time given: what came is what there is. */
		if (timeout_ms > 0 && *count < wait_for)
			return SPOTLESS_E_TIMEOUT;
	}
	return 0;
}

static void lxq_close(struct spotless_queue_os *q)
{
	/* The ring's end cancels the polls of WAIT_EVENTs still pending; every
	 * other command completed at submission. */
	io_uring_queue_exit(&q->ring);
	free(q->calls);
	free(q);
}

const struct spotless_queue_backend spotless_os_queue = {
	.open = lxq_open,
	.prepare = lxq_prepare,
	.submit = lxq_submit,
	.reap = lxq_reap,
	.close = lxq_close,
};
