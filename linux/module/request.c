// SPDX-License-Identifier: GPL-2.0
/*
 * What every request's path shares, the ioctls' (dispatch.c) and the
 * events' (events.c): the errno of a status, the argument structure in and
 * the answer out by the rules of a structure that grows, a refusal, and the
 * log line of a result. Both depend on this file, not on each other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/ratelimit.h>
#include <linux/uaccess.h>

#include "spotless/wire.h"
#include "spotless_core.h"
#include "driver.h"

/*
 * The one map from the core's statuses to errno values, for every path: the
 * status table's (include/spotless/commands.h), whose rows are in the
 * statuses' order (core/spotless_status.c checks).
 */
#define SPOTLESS_ERRNO_(name, value, text, err, ...) (-(err)),
static const long status_errno[SPOTLESS_STATUS_COUNT] = {
	SPOTLESS_STATUSES(SPOTLESS_ERRNO_)
};

long spotless_to_errno(enum spotless_status status)
{
	return (unsigned int)status < SPOTLESS_STATUS_COUNT ? status_errno[status] : -EIO;
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

/*
 * Each kind of line is logged from a budget of lines every 5 s. A rate
 * limit's check takes its lock, a cache line every CPU writes; once a
 * budget is spent, the next quarter second's requests skip it for one read
 * of a word that is rarely written. (Their lines are not in the limit's
 * count of suppressed ones.)
 */
struct log_budget {
	struct ratelimit_state limit;
	unsigned long quiet_until;	/* jiffies */
};

static struct log_budget exchange_log = {
	.limit = RATELIMIT_STATE_INIT(exchange_log.limit, 5 * HZ, 60),
};

static struct log_budget issue_log = {
	.limit = RATELIMIT_STATE_INIT(issue_log.limit, 5 * HZ, 30),
};

static struct log_budget refusal_log = {
	.limit = RATELIMIT_STATE_INIT(refusal_log.limit, 5 * HZ, 10),
};

static bool log_budget_allows(struct log_budget *b)
{
	if (time_before(jiffies, READ_ONCE(b->quiet_until)))
		return false;
	if (__ratelimit(&b->limit))
		return true;
	WRITE_ONCE(b->quiet_until, jiffies + HZ / 4);
	return false;
}

/* Whether the tutorial's lines are written (the log parameter). */
bool spotless_log_exchange_on(void)
{
	return READ_ONCE(log_exchange);
}

/* The tutorial's first line, "ioctl ... issued", before the request runs. */
void spotless_log_issued(unsigned int cmd)
{
	if (READ_ONCE(log_exchange) && log_budget_allows(&issue_log))
		pr_info("ioctl 0x%08x issued\n", cmd);
}

void spotless_log_result(unsigned int cmd, const struct spotless_request *req,
			 const struct spotless_result *res)
{
	const struct spotless_log_text *msg = &res->logged;

	if (msg->present && READ_ONCE(log_exchange) && log_budget_allows(&exchange_log))
		pr_info("input received (%zu bytes): \"%s\"%s\n", msg->length,
			msg->text, msg->shown < msg->length ? " (truncated)" : "");
	if (res->status == SPOTLESS_OK && req->code == IOCTL_SPOTLESS) {
		if (READ_ONCE(log_exchange) && log_budget_allows(&exchange_log))
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
	else if (log_budget_allows(&refusal_log))
		pr_info("ioctl 0x%08x refused: %s (in %zu, out %zu bytes)\n",
			cmd, spotless_status_text(res->status), req->in_len, req->out_len);
}

/* A request whose argument structure is malformed: counted, logged, refused. */
long spotless_refuse(struct spotless_file *sf, unsigned int cmd, u32 code,
		     enum spotless_status status)
{
	struct spotless_request req = { .code = code };
	struct spotless_result res;

	spotless_core_refuse(&sf->dev->state, &sf->state, code, status, &res);
	spotless_log_result(cmd, &req, &res);
	return spotless_to_errno(status);
}

/*
 * The caller's argument structure (usize bytes, its _IOC_SIZE) into the
 * module's (ksize): what both know is copied, the rest of the module's is
 * zero, and the rest of the caller's must be zero (copy_struct_from_user):
 * E2BIG otherwise, counted as an UNKNOWN_FIELDS refusal, nothing done.
 */
long spotless_copy_arg_in(struct spotless_file *sf, unsigned int cmd, u32 code,
			  void *karg, size_t ksize, const void __user *argp, size_t usize)
{
	int ret = copy_struct_from_user(karg, ksize, argp, usize);

	if (ret == -E2BIG)
		return spotless_refuse(sf, cmd, code, SPOTLESS_ERR_UNKNOWN_FIELDS);
	return ret;
}

/* An answer structure out: what both know, then zeros to the caller's size. */
long spotless_copy_answer_out(void __user *argp, size_t usize, const void *answer,
			      size_t len)
{
	size_t n = min(usize, len);

	if (copy_to_user(argp, answer, n))
		return -EFAULT;
	if (usize > n && clear_user((char __user *)argp + n, usize - n))
		return -EFAULT;
	return 0;
}
