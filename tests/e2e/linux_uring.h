/* SPDX-License-Identifier: MIT */
/*
 * spotless.ko's commands through io_uring (IORING_OP_URING_CMD), from a
 * ring made with the raw system calls (no liburing), so that the 32-bit
 * build goes the same way: one SQE, one io_uring_enter, one CQE. Included
 * by test_linux_module.c, which gives open_device() and exchange_ok().
 */
#ifndef SPOTLESS_TEST_LINUX_URING_H
#define SPOTLESS_TEST_LINUX_URING_H

#include <linux/io_uring.h>
#include <sys/syscall.h>

struct ring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

/* A ring of 8 entries; 0, or the errno of io_uring_setup (ENOSYS, EPERM:
 * a kernel without io_uring, or with it turned off). */
static int ring_open(struct ring *r)
{
	struct io_uring_params p;
	unsigned char *sq, *cq;
	size_t sq_len, cq_len;

	memset(&p, 0, sizeof(p));
	r->fd = (int)syscall(__NR_io_uring_setup, 8, &p);
	if (r->fd < 0)
		return errno;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED, r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED)
		return errno;
	r->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)(sq + p.sq_off.array);
	r->cq_head = (unsigned int *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/* One command on fd: cmd_op, and the argument's address in the command
 * area. Returns the CQE's res (0 or -errno), or 1 if the ring failed. */
static int ring_command(struct ring *r, int fd, unsigned int cmd_op, uint64_t arg)
{
	unsigned int tail = *r->sq_tail, head;
	struct io_uring_sqe *sqe = &r->sqes[tail & *r->sq_mask];
	int res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	memcpy(sqe->cmd, &arg, sizeof(arg));
	sqe->user_data = 0x5107;
	r->sq_array[tail & *r->sq_mask] = tail & *r->sq_mask;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) != 1)
		return 1;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) ||
	    r->cqes[head & *r->cq_mask].user_data != 0x5107)
		return 1;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

/*
 * INFO, STATS, ECHO and the tutorial's message through the ring answer as
 * their ioctls do, and are counted like them; refusals come back in the
 * CQE: an unknown command (-ENOTTY), a bad argument address (-EFAULT), a
 * write command on a read-only handle (-EBADF), a malformed structure
 * (-EINVAL), and WAIT_EVENT (-EOPNOTSUPP: a pending command is not taken).
 * The device answers afterwards.
 */
static void test_uring_commands(void)
{
	struct ring r;
	struct spotless_info info;
	struct spotless_stats before, after;
	struct spotless_ioc_echo echo;
	struct spotless_ioc_message msg;
	struct spotless_ioc_post posted;
	struct spotless_event ev;
	unsigned char data[64], out[64] = { 0 };
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE] = "";
	int fd = open_device(), ro = open(SPOTLESS_LINUX_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	int err = ring_open(&r);

	if (err == ENOSYS || err == EPERM) {
		printf("#   no io_uring here (%s): skipped\n", strerror(err));
		close(fd);
		close(ro);
		return;
	}
	CHECK_EQ(err, 0);
	CHECK(ioctl(fd, SPOTLESS_IOC_STATS, &before) == 0);

	memset(&info, 0xEE, sizeof(info));
	CHECK_EQ(ring_command(&r, fd, SPOTLESS_IOC_INFO, (uintptr_t)&info), 0);
	CHECK_EQ(info.size, sizeof(info));
	CHECK_EQ(info.protocol_version, SPOTLESS_PROTOCOL_VERSION);

	memset(data, 0x5A, sizeof(data));
	memset(&echo, 0, sizeof(echo));
	echo.in_ptr = (uintptr_t)data;
	echo.in_len = sizeof(data);
	echo.out_ptr = (uintptr_t)out;
	echo.out_len = sizeof(out);
	CHECK_EQ(ring_command(&r, fd, SPOTLESS_IOC_ECHO, (uintptr_t)&echo), 0);
	CHECK_EQ(echo.out_written, sizeof(data));
	CHECK(!memcmp(out, data, sizeof(data)));
	CHECK_EQ(echo.crc32c, spotless_crc32c(data, sizeof(data)));

	memset(&msg, 0, sizeof(msg));
	msg.in_ptr = (uintptr_t)"hi";
	msg.in_len = 3;
	msg.out_ptr = (uintptr_t)reply;
	msg.out_len = sizeof(reply);
	CHECK_EQ(ring_command(&r, fd, SPOTLESS_IOC_MESSAGE, (uintptr_t)&msg), 0);
	CHECK_EQ(msg.out_written, SPOTLESS_REPLY_LEN);
	CHECK(!strcmp(reply, SPOTLESS_REPLY));

	CHECK(ioctl(fd, SPOTLESS_IOC_STATS, &after) == 0);
	CHECK_EQ(after.handle.requests[SPOTLESS_STAT_INFO] - before.handle.requests[SPOTLESS_STAT_INFO], 1);
	CHECK_EQ(after.handle.requests[SPOTLESS_STAT_ECHO] - before.handle.requests[SPOTLESS_STAT_ECHO], 1);
	CHECK_EQ(after.handle.requests[SPOTLESS_STAT_MESSAGE] -
		 before.handle.requests[SPOTLESS_STAT_MESSAGE], 1);

	CHECK_EQ(ring_command(&r, fd, _IO(SPOTLESS_IOC_TYPE, 0x1F), 0), -ENOTTY);
	CHECK_EQ(ring_command(&r, fd, SPOTLESS_IOC_INFO, KERNEL_ADDRESS), -EFAULT);
	CHECK_EQ(ring_command(&r, fd, SPOTLESS_IOC_INFO, 0), -EFAULT);
	memset(&posted, 0, sizeof(posted));
	posted.payload_ptr = (uintptr_t)"x";
	posted.payload_len = 1;
	CHECK_EQ(ring_command(&r, ro, SPOTLESS_IOC_POST, (uintptr_t)&posted), -EBADF);
	msg.flags = 1;
	CHECK_EQ(ring_command(&r, fd, SPOTLESS_IOC_MESSAGE, (uintptr_t)&msg), -EINVAL);
	CHECK_EQ(ring_command(&r, fd, SPOTLESS_IOC_WAIT_EVENT, (uintptr_t)&ev), -EOPNOTSUPP);

	close(r.fd);
	close(ro);
	close(fd);
	CHECK(exchange_ok());
}

#endif /* SPOTLESS_TEST_LINUX_URING_H */
