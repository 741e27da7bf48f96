// SPDX-License-Identifier: MIT
/*
 * The queue on Linux (os.h): an io_uring ring through liburing. Each
 * command is an IORING_OP_URING_CMD SQE for the module's SPOTLESS_IOC_CALL,
 * its command area holding the address of the slot's spotless_ioc_call (as
 * ioctl(2) would pass it). The module runs it at submission and writes
 * out_written into that structure; the CQE's res is the ioctl's result.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <liburing.h>

#include "os.h"

struct spotless_queue_os {
	struct io_uring ring;
	int fd;
	unsigned int prepared;		/* SQEs not yet submitted */
	struct spotless_ioc_call *calls;	/* by slot; read by the module */
};

static spotless_err lxq_open(struct spotless_handle *handle, unsigned int depth,
			     struct spotless_queue_os **out)
{
	struct spotless_queue_os *q;
	int ret;

	q = calloc(1, sizeof(*q));
	if (!q)
		return ENOMEM;
	q->calls = calloc(depth, sizeof(*q->calls));
	if (!q->calls) {
		free(q);
		return ENOMEM;
	}
	q->fd = (int)spotless_os.native_handle(handle);
	/* The completion ring is twice the submission ring: never overflows
	 * with at most depth commands not reaped. */
	ret = io_uring_queue_init(depth, &q->ring, 0);
	if (ret < 0) {
		free(q->calls);
		free(q);
		return -ret;
	}
	*out = q;
	return 0;
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
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = q->fd;
	sqe->cmd_op = SPOTLESS_IOC_CALL;
	/* The command area's first 8 bytes: the argument's address. */
	sqe->addr3 = (uintptr_t)call;
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

		c->user_data = slot;
		c->err = cqe->res < 0 ? -cqe->res : 0;
		c->written = c->err ? 0 : q->calls[slot].out_written;
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
	/* Every command completes at submission: nothing waits in the kernel. */
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
