// SPDX-License-Identifier: GPL-2.0
/*
 * spotless.ko ioctls: copy each request in from userland, let the portable
 * core answer it, copy the answer out. Nothing else decides anything here.
 */
#define pr_fmt(fmt) "spotless: " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "spotless/wire.h"
#include "spotless_core.h"
#include "driver.h"

/* The one map from the core's statuses to errno values, for every path. */
long spotless_to_errno(enum spotless_status status)
{
	switch (status) {
	case SPOTLESS_OK:
		return 0;
	case SPOTLESS_ERR_UNKNOWN_CODE:
		return -ENOTTY;
	case SPOTLESS_ERR_EMPTY_INPUT:
	case SPOTLESS_ERR_UNEXPECTED_INPUT:
	case SPOTLESS_ERR_BAD_BATCH:
	case SPOTLESS_ERR_NOT_BATCHABLE:
	case SPOTLESS_ERR_BAD_REQUEST:
		return -EINVAL;
	case SPOTLESS_ERR_INPUT_TOO_LARGE:
		return -EMSGSIZE;
	case SPOTLESS_ERR_OUTPUT_TOO_SMALL:
		return -ERANGE;
	case SPOTLESS_ERR_CHECKSUM_MISMATCH:
		return -EBADMSG;
	case SPOTLESS_ERR_ACCESS_DENIED:
		/* As read(2) / write(2) on a descriptor not open for it. */
		return -EBADF;
	}
	return -EIO;
}

/*
 * The tutorial's exchange is logged at info level, as it does, but from a
 * shared budget, so that a user of a relaxed mode cannot flood the log.
 * log=0 leaves its three lines out (they are most of the exchange's cost);
 * refusals are logged either way.
 */
static bool log_exchange = true;
module_param_named(log, log_exchange, bool, 0644);
MODULE_PARM_DESC(log, "log the tutorial's exchange: ioctl issued, input received, reply sent (default 1)");

static DEFINE_RATELIMIT_STATE(exchange_log_limit, 5 * HZ, 60);

static void log_result(unsigned int cmd, const struct spotless_request *req,
		       const struct spotless_result *res)
{
	const struct spotless_log_text *msg = &res->logged;

	if (msg->present && READ_ONCE(log_exchange) && __ratelimit(&exchange_log_limit))
		pr_info("input received (%zu bytes): \"%s\"%s\n", msg->length,
			msg->text, msg->shown < msg->length ? " (truncated)" : "");
	if (res->status == SPOTLESS_OK && req->code == IOCTL_SPOTLESS) {
		if (READ_ONCE(log_exchange) && __ratelimit(&exchange_log_limit))
			pr_info("reply sent (%zu bytes): \"%s\"\n", res->information,
				SPOTLESS_REPLY);
	}
	/*
	 * The tutorial's steps are logged at info level, as it does; the
	 * answers to the newer commands at debug level (dynamic debug), so
	 * that a stream of them costs the request and not printk.
	 */
	else if (res->status == SPOTLESS_OK && req->code == IOCTL_SPOTLESS_BATCH)
		pr_debug("batch of %u records answered, %u failed (%zu bytes)\n",
			 res->batch_records, res->batch_failed, res->information);
	else if (res->status == SPOTLESS_OK)
		pr_debug("ioctl 0x%08x answered (%zu bytes)\n", cmd, res->information);
	else
		pr_info_ratelimited("ioctl 0x%08x refused: %s (in %zu, out %zu bytes)\n",
				    cmd, spotless_status_text(res->status),
				    req->in_len, req->out_len);
}

/* A request whose argument structure is malformed: counted, logged, refused. */
long spotless_refuse(struct spotless_file *sf, unsigned int cmd, u32 code,
		     enum spotless_status status)
{
	struct spotless_request req = { .code = code };
	struct spotless_result res;

	spotless_core_refuse(&sf->dev->state, &sf->state, code, status, &res);
	log_result(cmd, &req, &res);
	return spotless_to_errno(status);
}

static long spotless_ioctl_message(struct spotless_file *sf, unsigned int cmd,
				   void __user *argp)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_ioc_message msg;
	struct spotless_request req = { .code = IOCTL_SPOTLESS };
	struct spotless_result res;
	/* The reply and its NUL: the core never writes more. */
	char reply[SPOTLESS_REPLY_LEN + 1];
	void *in = NULL;

	if (copy_from_user(&msg, argp, sizeof(msg)))
		return -EFAULT;
	if (msg.flags || msg.reserved[0] || msg.reserved[1])
		return spotless_refuse(sf, cmd, IOCTL_SPOTLESS, SPOTLESS_ERR_BAD_REQUEST);

	/* Only an input the core may accept is copied; it judges the rest. */
	if (msg.in_len && msg.in_len <= SPOTLESS_MESSAGE_MAX_INPUT) {
		in = spotless_alloc(dev, msg.in_len, 0);
		if (!in)
			return -ENOMEM;
		if (copy_from_user(in, u64_to_user_ptr(msg.in_ptr), msg.in_len)) {
			spotless_free(dev, in);
			return -EFAULT;
		}
	}
	req.in = in;
	req.in_len = msg.in_len;
	req.out = reply;
	/* The core's decisions depend on out_len only up to 23 bytes. */
	req.out_len = min_t(size_t, msg.out_len, sizeof(reply));

	spotless_core_handle(&dev->state, &sf->state, &req, &res);
	spotless_free(dev, in);
	req.out_len = msg.out_len;
	log_result(cmd, &req, &res);
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
				void __user *argp)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_ioc_echo echo;
	struct spotless_request req = { .code = IOCTL_SPOTLESS_ECHO_BUFFERED };
	struct spotless_result res;
	struct spotless_echo_trailer trailer;
	/* Small payloads stay on the stack: no allocation on the hot path. */
	unsigned char small[256];
	unsigned char *buf = NULL;
	long ret;

	if (copy_from_user(&echo, argp, sizeof(echo)))
		return -EFAULT;
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
	log_result(cmd, &req, &res);
	ret = spotless_to_errno(res.status);
	if (ret)
		goto free_buf;

	memcpy(&trailer, buf + echo.in_len, sizeof(trailer));
	if (copy_to_user(u64_to_user_ptr(echo.out_ptr), buf, echo.in_len)) {
		ret = -EFAULT;
		goto free_buf;
	}
	echo.out_written = trailer.length;
	echo.crc32c = trailer.crc32c;
	if (copy_to_user(argp, &echo, sizeof(echo)))
		ret = -EFAULT;
free_buf:
	if (buf != small)
		spotless_free(dev, buf);
	return ret;
}

/*
 * BATCH: the records are copied in whole, so that userland cannot change a
 * record between its check and its use; the answers are built in a zeroed
 * kernel buffer and copied out once.
 */
static long spotless_ioctl_batch(struct spotless_file *sf, unsigned int cmd,
				 void __user *argp)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_ioc_batch batch;
	struct spotless_request req = { .code = IOCTL_SPOTLESS_BATCH };
	struct spotless_result res;
	void *in = NULL, *out = NULL;
	long ret;

	if (copy_from_user(&batch, argp, sizeof(batch)))
		return -EFAULT;
	if (batch.flags || batch.reserved)
		return spotless_refuse(sf, cmd, req.code, SPOTLESS_ERR_BAD_REQUEST);

	req.in_len = batch.in_len;
	req.out_len = batch.out_len;
	if (batch.in_len && batch.in_len <= SPOTLESS_BATCH_MAX_BYTES) {
		in = spotless_alloc(dev, batch.in_len, 0);
		if (!in)
			return -ENOMEM;
		if (copy_from_user(in, u64_to_user_ptr(batch.in_ptr), batch.in_len)) {
			ret = -EFAULT;
			goto free_in;
		}
		/* No answer is ever longer than the limit. */
		req.out_len = min_t(size_t, batch.out_len, SPOTLESS_BATCH_MAX_BYTES);
		if (req.out_len) {
			/* Zeroed: nothing of the kernel's leaves, whatever the core. */
			out = spotless_alloc(dev, req.out_len, __GFP_ZERO);
			if (!out) {
				ret = -ENOMEM;
				goto free_in;
			}
		}
	}
	req.in = in;
	req.out = out;

	spotless_core_handle(&dev->state, &sf->state, &req, &res);
	req.out_len = batch.out_len;
	log_result(cmd, &req, &res);
	ret = spotless_to_errno(res.status);
	if (ret)
		goto free_out;

	if (copy_to_user(u64_to_user_ptr(batch.out_ptr), out, res.information)) {
		ret = -EFAULT;
		goto free_out;
	}
	batch.out_written = res.information;
	if (copy_to_user(argp, &batch, sizeof(batch)))
		ret = -EFAULT;
free_out:
	spotless_free(dev, out);
free_in:
	spotless_free(dev, in);
	return ret;
}

/*
 * Commands without input whose answer is one structure (INFO, STATS): the
 * core writes it into a kernel buffer, which is copied out whole. The buffer
 * is allocated, not on the stack: the core builds its own copy of STATS, and
 * two of them would take half a debug kernel's stack frame limit. It is not
 * counted in STATS, which it carries while it is answered.
 */
static long spotless_ioctl_query(struct spotless_file *sf, unsigned int cmd,
				 u32 code, void __user *argp)
{
	struct spotless_dev *dev = sf->dev;
	struct spotless_request req = {
		.code = code,
		.out_len = _IOC_SIZE(cmd),
	};
	struct spotless_result res;
	long ret;

	req.out = kmalloc(req.out_len, GFP_KERNEL_ACCOUNT);
	if (!req.out)
		return -ENOMEM;
	spotless_core_handle(&dev->state, &sf->state, &req, &res);
	log_result(cmd, &req, &res);
	ret = spotless_to_errno(res.status);
	if (!ret && copy_to_user(argp, req.out, res.information))
		ret = -EFAULT;
	kfree(req.out);
	return ret;
}

static DEFINE_RATELIMIT_STATE(issue_log_limit, 5 * HZ, 30);

long spotless_file_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct spotless_file *sf = file->private_data;
	void __user *argp = (void __user *)arg;
	struct spotless_request unknown = { .code = SPOTLESS_CORE_UNKNOWN_CODE };
	struct spotless_result res;

	switch (cmd) {
	case SPOTLESS_IOC_MESSAGE:
		if (READ_ONCE(log_exchange) && __ratelimit(&issue_log_limit))
			pr_info("ioctl 0x%08x issued\n", cmd);
		return spotless_ioctl_message(sf, cmd, argp);
	case SPOTLESS_IOC_INFO:
		return spotless_ioctl_query(sf, cmd, IOCTL_SPOTLESS_INFO, argp);
	case SPOTLESS_IOC_STATS:
		return spotless_ioctl_query(sf, cmd, IOCTL_SPOTLESS_STATS, argp);
	case SPOTLESS_IOC_ECHO:
		return spotless_ioctl_echo(sf, cmd, argp);
	case SPOTLESS_IOC_BATCH:
		return spotless_ioctl_batch(sf, cmd, argp);
	case SPOTLESS_IOC_POST:
		return spotless_ioctl_post(sf, argp);
	case SPOTLESS_IOC_WAIT_EVENT:
		return spotless_ioctl_wait_event(file, argp);
	default:
		/* Counted like any request, then refused. */
		spotless_core_handle(&sf->dev->state, &sf->state, &unknown, &res);
		pr_info_ratelimited("ioctl 0x%08x refused: unknown command\n", cmd);
		return -ENOTTY;
	}
}
