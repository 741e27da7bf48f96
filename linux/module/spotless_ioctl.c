// SPDX-License-Identifier: GPL-2.0
/*
 * spotless.ko ioctls: copy each request in from userland, let the portable
 * core answer it, copy the answer out. Nothing else decides anything here.
 */
#define pr_fmt(fmt) "spotless: " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "spotless/spotless_ioctl.h"
#include "spotless_core.h"
#include "spotless_module.h"

static long to_errno(enum spotless_status status)
{
	switch (status) {
	case SPOTLESS_OK:
		return 0;
	case SPOTLESS_ERR_UNKNOWN_CODE:
		return -ENOTTY;
	case SPOTLESS_ERR_EMPTY_INPUT:
		return -EINVAL;
	case SPOTLESS_ERR_INPUT_TOO_LARGE:
		return -EMSGSIZE;
	case SPOTLESS_ERR_OUTPUT_TOO_SMALL:
		return -ERANGE;
	case SPOTLESS_ERR_UNEXPECTED_INPUT:
		return -EINVAL;
	}
	return -EIO;
}

static void log_result(unsigned int cmd, const struct spotless_request *req,
		       const struct spotless_result *res)
{
	const struct spotless_log_message *msg = &res->message;

	if (msg->present)
		pr_info("input received (%zu bytes): \"%s\"%s\n", msg->length,
			msg->text, msg->shown < msg->length ? " (truncated)" : "");
	if (res->status == SPOTLESS_OK && req->code == IOCTL_SPOTLESS)
		pr_info("reply sent (%zu bytes): \"%s\"\n", res->information,
			SPOTLESS_REPLY);
	else if (res->status == SPOTLESS_OK)
		pr_info("ioctl 0x%08x answered (%zu bytes)\n", cmd, res->information);
	else
		pr_info_ratelimited("ioctl 0x%08x refused: %s (in %zu, out %zu bytes)\n",
				    cmd, spotless_status_text(res->status),
				    req->in_len, req->out_len);
}

static long spotless_ioctl_message(struct spotless_handle_state *handle,
				   unsigned int cmd, void __user *argp)
{
	struct spotless_message msg;
	struct spotless_request req = { .code = IOCTL_SPOTLESS };
	struct spotless_result res;
	/* The reply and its NUL: the core never writes more. */
	char reply[SPOTLESS_REPLY_LEN + 1];
	void *in = NULL;

	if (copy_from_user(&msg, argp, sizeof(msg)))
		return -EFAULT;
	if (msg.flags || msg.reserved[0] || msg.reserved[1])
		return -EINVAL;

	/* Only an input the core may accept is copied; it judges the rest. */
	if (msg.in_len && msg.in_len <= SPOTLESS_MESSAGE_MAX_INPUT) {
		in = memdup_user(u64_to_user_ptr(msg.in_ptr), msg.in_len);
		if (IS_ERR(in))
			return PTR_ERR(in);
		spotless_core_allocated(&spotless_device);
	}
	req.in = in;
	req.in_len = msg.in_len;
	req.out = reply;
	/* The core's decisions depend on out_len only up to 23 bytes. */
	req.out_len = min_t(size_t, msg.out_len, sizeof(reply));

	spotless_core_handle(&spotless_device, handle, &req, &res);
	if (in) {
		kfree(in);
		spotless_core_freed(&spotless_device);
	}
	req.out_len = msg.out_len;
	log_result(cmd, &req, &res);
	if (res.status != SPOTLESS_OK)
		return to_errno(res.status);

	if (copy_to_user(u64_to_user_ptr(msg.out_ptr), reply, res.written))
		return -EFAULT;
	msg.out_written = res.information;
	if (put_user(msg.out_written,
		     &((struct spotless_message __user *)argp)->out_written))
		return -EFAULT;
	return 0;
}

/*
 * Commands without input whose answer is one structure (INFO, STATS): the
 * core writes it into a kernel buffer, which is copied out whole.
 */
static long spotless_ioctl_query(struct spotless_handle_state *handle,
				 unsigned int cmd, uint32_t code,
				 void __user *argp)
{
	union {
		struct spotless_info info;
		struct spotless_stats stats;
	} answer;
	struct spotless_request req = {
		.code = code,
		.out = &answer,
		.out_len = _IOC_SIZE(cmd),
	};
	struct spotless_result res;

	spotless_core_handle(&spotless_device, handle, &req, &res);
	log_result(cmd, &req, &res);
	if (res.status != SPOTLESS_OK)
		return to_errno(res.status);
	if (copy_to_user(argp, &answer, res.information))
		return -EFAULT;
	return 0;
}

long spotless_unlocked_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	struct spotless_handle_state *handle = file->private_data;
	void __user *argp = (void __user *)arg;
	struct spotless_request unknown = { .code = SPOTLESS_CORE_UNKNOWN_CODE };
	struct spotless_result res;

	switch (cmd) {
	case SPOTLESS_IOC_MESSAGE:
		pr_info("ioctl 0x%08x issued\n", cmd);
		return spotless_ioctl_message(handle, cmd, argp);
	case SPOTLESS_IOC_INFO:
		return spotless_ioctl_query(handle, cmd, IOCTL_SPOTLESS_INFO, argp);
	case SPOTLESS_IOC_STATS:
		return spotless_ioctl_query(handle, cmd, IOCTL_SPOTLESS_STATS, argp);
	default:
		/* Counted like any request, then refused. */
		spotless_core_handle(&spotless_device, handle, &unknown, &res);
		pr_info_ratelimited("ioctl 0x%08x refused: unknown command\n", cmd);
		return -ENOTTY;
	}
}
