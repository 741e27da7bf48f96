// SPDX-License-Identifier: GPL-2.0
/*
 * spotless.ko ioctls: copy each request in from userland, let the portable
 * core answer it, copy the answer out. Nothing else decides anything here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "spotless/wire.h"
#include "spotless_core.h"
#include "driver.h"

/*
 * Inputs and answers up to these sizes stay on the stack: the requests of
 * everyday sizes allocate nothing (and charge no memory cgroup). Larger
 * ones are allocated, as a caller's buffer may be up to megabytes.
 */
#define SMALL_IN	128
#define SMALL_OUT	256

/* A buffer of len bytes: small when it fits, else allocated (NULL: none). */
static void *buffer_for(struct spotless_dev *dev, size_t len, void *small,
			size_t small_len, gfp_t extra)
{
	if (len <= small_len) {
		if (extra & __GFP_ZERO)
			memset(small, 0, len);
		return small;
	}
	return spotless_alloc(dev, len, extra);
}

static void buffer_done(struct spotless_dev *dev, void *p, const void *small)
{
	if (p != small)
		spotless_free(dev, p);
}

static long spotless_ioctl_message(struct spotless_file *sf, unsigned int cmd,
				   void __user *argp, size_t usize)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_ioc_message msg;
	struct spotless_request req = {
		.code = IOCTL_SPOTLESS,
		.unlogged = !spotless_log_exchange_on(),
	};
	struct spotless_result res;
	/* The reply and its NUL: the core never writes more. */
	char reply[SPOTLESS_REPLY_LEN + 1];
	unsigned char small[SMALL_IN];
	void *in = NULL;
	long ret;

	ret = spotless_copy_arg_in(sf, cmd, req.code, &msg, sizeof(msg), argp, usize);
	if (ret)
		return ret;
	if (msg.flags || msg.reserved[0] || msg.reserved[1])
		return spotless_refuse(sf, cmd, IOCTL_SPOTLESS, SPOTLESS_ERR_BAD_REQUEST);

	/* Only an input the core may accept is copied; it judges the rest. */
	if (msg.in_len && msg.in_len <= SPOTLESS_MESSAGE_MAX_INPUT) {
		in = buffer_for(dev, msg.in_len, small, sizeof(small), 0);
		if (!in)
			return -ENOMEM;
		if (copy_from_user(in, u64_to_user_ptr(msg.in_ptr), msg.in_len)) {
			buffer_done(dev, in, small);
			return -EFAULT;
		}
	}
	req.in = in;
	req.in_len = msg.in_len;
	req.out = reply;
	/* The core's decisions depend on out_len only up to 23 bytes. */
	req.out_len = min_t(size_t, msg.out_len, sizeof(reply));

	spotless_core_handle(&dev->state, &sf->state, &req, &res);
	buffer_done(dev, in, small);
	req.out_len = msg.out_len;
	spotless_log_result(cmd, &req, &res);
	if (res.status != SPOTLESS_OK)
		return spotless_to_errno(res.status);

	if (copy_to_user(u64_to_user_ptr(msg.out_ptr), reply, res.written))
		return -EFAULT;
	msg.out_written = res.information;
	if (put_user(msg.out_written,
		     &((struct spotless_ioc_message __user *)argp)->out_written))
		return -EFAULT;
	return 0;
}

/*
 * ECHO: one kernel buffer holds the payload and receives, in place, the
 * payload and its trailer; the payload goes back to out_ptr and the trailer's
 * checksum into the argument structure.
 */
static long spotless_ioctl_echo(struct spotless_file *sf, unsigned int cmd,
				void __user *argp, size_t usize)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_ioc_echo echo;
	struct spotless_request req = { .code = IOCTL_SPOTLESS_ECHO_BUFFERED };
	struct spotless_result res;
	struct spotless_echo_trailer trailer;
	u32 out_fields[2];
	/* Small payloads stay on the stack: no allocation on the hot path. */
	unsigned char small[256];
	unsigned char *buf = NULL;
	long ret;

	ret = spotless_copy_arg_in(sf, cmd, req.code, &echo, sizeof(echo), argp, usize);
	if (ret)
		return ret;
	if (echo.flags || echo.reserved)
		return spotless_refuse(sf, cmd, req.code, SPOTLESS_ERR_BAD_REQUEST);

	req.in_len = echo.in_len;
	/* The core judges the sizes; a buffer is made only for a fitting pair. */
	req.out_len = (size_t)echo.out_len + sizeof(trailer);
	if (echo.in_len <= SPOTLESS_ECHO_MAX && echo.out_len >= echo.in_len) {
		/* Every byte is written before it is read: no need to zero. */
		if (echo.in_len + sizeof(trailer) <= sizeof(small))
			buf = small;
		else
			buf = spotless_alloc(dev, echo.in_len + sizeof(trailer), 0);
		if (!buf)
			return -ENOMEM;
		if (copy_from_user(buf, u64_to_user_ptr(echo.in_ptr), echo.in_len)) {
			ret = -EFAULT;
			goto free_buf;
		}
		req.out_len = echo.in_len + sizeof(trailer);
	}
	req.in = buf;
	req.out = buf;

	spotless_core_handle(&dev->state, &sf->state, &req, &res);
	spotless_log_result(cmd, &req, &res);
	ret = spotless_to_errno(res.status);
	if (ret)
		goto free_buf;

	memcpy(&trailer, buf + echo.in_len, sizeof(trailer));
	if (copy_to_user(u64_to_user_ptr(echo.out_ptr), buf, echo.in_len)) {
		ret = -EFAULT;
		goto free_buf;
	}
	/* Only the output fields, side by side (out_written, crc32c): the
	 * caller's input stays as it wrote it.
	 */
	BUILD_BUG_ON(offsetof(struct spotless_ioc_echo, crc32c) !=
		     offsetof(struct spotless_ioc_echo, out_written) + sizeof(u32));
	out_fields[0] = trailer.length;
	out_fields[1] = trailer.crc32c;
	if (copy_to_user(&((struct spotless_ioc_echo __user *)argp)->out_written,
			 out_fields, sizeof(out_fields)))
		ret = -EFAULT;
free_buf:
	if (buf != small)
		spotless_free(dev, buf);
	return ret;
}

/*
 * A command whose input and answer are the caller's own buffers (BATCH, and
 * whatever SPOTLESS_IOC_CALL carries). A request refused for its sizes costs
 * no allocation. The input is copied in whole, and only when the command
 * may accept its size, so that userland cannot change it between its check
 * and its use; the answer is built in a zeroed buffer no larger than the
 * command's largest answer and copied out once. *written: its length.
 */
static long run_with_buffers(struct spotless_file *sf, unsigned int cmd,
			     const struct spotless_command *c, u32 code,
			     u64 in_ptr, u32 in_len, u64 out_ptr, u32 out_len, u32 *written)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_request req = {
		.code = code,
		.in_len = in_len,
		.unlogged = !spotless_log_exchange_on(),
	};
	struct spotless_result res;
	enum spotless_status status;
	unsigned char small_in[SMALL_IN], small_out[SMALL_OUT];
	void *in = NULL, *out = NULL;
	size_t room;
	long ret;

	status = spotless_core_check_sizes(code, in_len, out_len);
	if (status != SPOTLESS_OK)
		return spotless_refuse(sf, cmd, code, status);
	if (c && in_len && in_len <= c->in_max) {
		in = buffer_for(dev, in_len, small_in, sizeof(small_in), 0);
		if (!in)
			return -ENOMEM;
		if (copy_from_user(in, u64_to_user_ptr(in_ptr), in_len)) {
			ret = -EFAULT;
			goto free_in;
		}
	}
	req.in = in;
	if (c && !c->handler) {		/* POST: the events' */
		ret = spotless_events_post(sf, in, in_len);
		goto free_in;
	}

	/*
	 * What the core decides depends on out_len only up to the answer's
	 * bound (none for a code it does not know: nothing is made).
	 */
	room = spotless_core_answer_reach(code, in_len, out_len);
	if (room) {
		out = buffer_for(dev, room, small_out, sizeof(small_out), __GFP_ZERO);
		if (!out) {
			ret = -ENOMEM;
			goto free_in;
		}
	}
	req.out = out;
	req.out_len = room;

	spotless_core_handle(&dev->state, &sf->state, &req, &res);
	req.out_len = out_len;
	spotless_log_result(cmd, &req, &res);
	ret = spotless_to_errno(res.status);
	if (ret)
		goto free_out;
	if (copy_to_user(u64_to_user_ptr(out_ptr), out, res.information))
		ret = -EFAULT;
	*written = (u32)res.information;
free_out:
	buffer_done(dev, out, small_out);
free_in:
	buffer_done(dev, in, small_in);
	return ret;
}

/* BATCH: its records in, its answers out, by run_with_buffers(). */
static long spotless_ioctl_batch(struct spotless_file *sf, unsigned int cmd,
				 void __user *argp, size_t usize)
{
	struct spotless_ioc_batch batch;
	u32 written = 0;
	long ret;

	ret = spotless_copy_arg_in(sf, cmd, IOCTL_SPOTLESS_BATCH, &batch, sizeof(batch),
				   argp, usize);
	if (ret)
		return ret;
	if (batch.flags || batch.reserved)
		return spotless_refuse(sf, cmd, IOCTL_SPOTLESS_BATCH, SPOTLESS_ERR_BAD_REQUEST);
	ret = run_with_buffers(sf, cmd, spotless_command_find(IOCTL_SPOTLESS_BATCH),
			       IOCTL_SPOTLESS_BATCH, batch.in_ptr, batch.in_len,
			       batch.out_ptr, batch.out_len, &written);
	if (!ret && put_user(written, &((struct spotless_ioc_batch __user *)argp)->out_written))
		ret = -EFAULT;
	return ret;
}

/*
 * Commands without input whose answer is one structure (INFO, STATS): the
 * core writes it, zero-extended to the caller's size, into a kernel buffer,
 * which is copied out whole. INFO fits on the stack; STATS (576 bytes, and
 * the core builds its own copy) and a newer caller's larger size are
 * allocated, and not counted in STATS, which they carry while answered.
 */
static long spotless_ioctl_query(struct spotless_file *sf, unsigned int cmd,
				 u32 code, void __user *argp, size_t usize)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_request req = {
		.code = code,
		.out_len = min_t(size_t, usize, SPOTLESS_STRUCT_MAX),
	};
	struct spotless_result res;
	unsigned char small[SMALL_OUT];
	long ret;

	req.out = req.out_len <= sizeof(small) ? small : kmalloc(req.out_len, GFP_KERNEL_ACCOUNT);
	if (!req.out)
		return -ENOMEM;
	spotless_core_handle(&dev->state, &sf->state, &req, &res);
	spotless_log_result(cmd, &req, &res);
	ret = spotless_to_errno(res.status);
	if (!ret)
		ret = spotless_copy_answer_out(argp, usize, req.out, res.information);
	if (req.out != small)
		kfree(req.out);
	return ret;
}

/* SPOTLESS_IOC_CALL: a command by its code, by run_with_buffers(). */
static long spotless_ioctl_call(struct spotless_file *sf, unsigned int cmd,
				void __user *argp, size_t usize)
{
	const struct spotless_command *c;
	struct spotless_ioc_call call;
	u32 written = 0;
	long ret;

	ret = spotless_copy_arg_in(sf, cmd, SPOTLESS_CORE_UNKNOWN_CODE, &call, sizeof(call),
				   argp, usize);
	if (ret)
		return ret;
	c = spotless_command_find(call.code);
	if (call.flags || call.reserved)
		return spotless_refuse(sf, cmd, call.code, SPOTLESS_ERR_BAD_REQUEST);
	/* A wait, or a transfer method of Windows', is not carried here. */
	if (c && (c->flags & (SPOTLESS_CMD_F_PENDS | SPOTLESS_CMD_F_WINDOWS_ONLY)))
		return spotless_refuse(sf, cmd, call.code, SPOTLESS_ERR_NOT_BATCHABLE);
	ret = run_with_buffers(sf, cmd, c, call.code, call.in_ptr, call.in_len,
			       call.out_ptr, call.out_len, &written);
	if (!ret && c && c->handler &&
	    put_user(written, &((struct spotless_ioc_call __user *)argp)->out_written))
		ret = -EFAULT;
	return ret;
}

/*
 * The ioctl a command number names, by its row of the command table: its
 * type, number and direction must be the row's, and its size at least the
 * first version's (a larger one is a newer caller's). NULL: not ours.
 */
static const struct spotless_command *linux_command(unsigned int cmd)
{
	unsigned int i;

	for (i = 0; i < spotless_command_count; i++) {
		unsigned int lc = spotless_command_table[i].linux_cmd;

		if (lc && _IOC_TYPE(cmd) == _IOC_TYPE(lc) && _IOC_NR(cmd) == _IOC_NR(lc) &&
		    _IOC_DIR(cmd) == _IOC_DIR(lc) && _IOC_SIZE(cmd) >= _IOC_SIZE(lc))
			return &spotless_command_table[i];
	}
	return NULL;
}

static bool is_call(unsigned int cmd)
{
	return _IOC_TYPE(cmd) == _IOC_TYPE(SPOTLESS_IOC_CALL) &&
	       _IOC_NR(cmd) == _IOC_NR(SPOTLESS_IOC_CALL) &&
	       _IOC_DIR(cmd) == _IOC_DIR(SPOTLESS_IOC_CALL) &&
	       _IOC_SIZE(cmd) >= _IOC_SIZE(SPOTLESS_IOC_CALL);
}

long spotless_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct spotless_file *sf = file->private_data;
	void __user *argp = (void __user *)arg;
	const struct spotless_command *c = linux_command(cmd);
	size_t usize = _IOC_SIZE(cmd);
	struct spotless_request unknown = { .code = SPOTLESS_CORE_UNKNOWN_CODE };
	struct spotless_result res;

	switch (c ? c->code : 0) {
	case IOCTL_SPOTLESS:
		spotless_log_issued(cmd);
		return spotless_ioctl_message(sf, cmd, argp, usize);
	case IOCTL_SPOTLESS_INFO:
	case IOCTL_SPOTLESS_STATS:
		return spotless_ioctl_query(sf, cmd, c->code, argp, usize);
	case IOCTL_SPOTLESS_ECHO_BUFFERED:
		return spotless_ioctl_echo(sf, cmd, argp, usize);
	case IOCTL_SPOTLESS_BATCH:
		return spotless_ioctl_batch(sf, cmd, argp, usize);
	case IOCTL_SPOTLESS_POST:
		return spotless_ioctl_post(sf, argp, usize);
	case IOCTL_SPOTLESS_WAIT_EVENT:
		return spotless_ioctl_wait_event(file, argp, usize);
	}
	if (is_call(cmd))
		return spotless_ioctl_call(sf, cmd, argp, usize);
	/*
	 * Counted like any request, then refused, silently: isatty() on the
	 * device (TCGETS) is one, and must not write a log line each time.
	 */
	spotless_core_handle(&sf->dev->state, &sf->state, &unknown, &res);
	return -ENOTTY;
}
