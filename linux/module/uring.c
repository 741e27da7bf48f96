// SPDX-License-Identifier: GPL-2.0
/*
 * Commands through io_uring (IORING_OP_URING_CMD, Linux 5.19 and later): an
 * SQE whose cmd_op is one of the module's ioctl numbers and whose command
 * area starts with the 64-bit address of that ioctl's argument structure.
 * It runs the ioctl's own path, at once, in the submitting task: the same
 * access checks, size rules, copies and counters, and the CQE's res is what
 * the ioctl would have returned (0 or -errno).
 *
 * WAIT_EVENT is refused (-EOPNOTSUPP): a wait left pending in the ring
 * needs the kernel's cancellation of uring commands (6.7 and later), which
 * this module does not use. libspotless's queue waits with an io_uring poll
 * on the descriptor instead, which io_uring cancels on every kernel.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
/* Kbuild looks at the kernel's headers: where the command's structure is. */
#ifdef SPOTLESS_IO_URING_CMD_H
#include <linux/io_uring/cmd.h>
#else
#include <linux/io_uring.h>
#endif

#include "spotless/wire.h"
#include "driver.h"

/*
 * The SQE's command area. The command held a pointer to it until 6.5; from
 * 6.6 it holds the SQE itself (Kbuild finds which; tested: 6.1, 6.12, 7.2).
 */
static const void *command_area(const struct io_uring_cmd *ioucmd)
{
#ifdef SPOTLESS_URING_CMD_HAS_SQE
	return ioucmd->sqe->cmd;
#else
	return ioucmd->cmd;
#endif
}

int spotless_file_uring_cmd(struct io_uring_cmd *ioucmd, unsigned int issue_flags)
{
	/* The ring is the caller's memory: the address is read once. */
	u64 arg = READ_ONCE(*(const u64 *)command_area(ioucmd));

	if (_IOC_TYPE(ioucmd->cmd_op) == _IOC_TYPE(SPOTLESS_IOC_WAIT_EVENT) &&
	    _IOC_NR(ioucmd->cmd_op) == _IOC_NR(SPOTLESS_IOC_WAIT_EVENT))
		return -EOPNOTSUPP;
	return (int)spotless_file_ioctl(ioucmd->file, ioucmd->cmd_op, (unsigned long)arg);
}
