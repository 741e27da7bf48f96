// SPDX-License-Identifier: MIT
/*
 * The storm's Linux backend: random ioctl numbers (ours, their neighbours,
 * random ones of our type, anything), argument structures with random
 * lengths, flags and pointers of every kind: valid, NULL, unmapped, kernel
 * addresses, read-only, and buffers that run into an unmapped page.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "spotless.h"
#include "storm.h"

#define KERNEL_ADDRESS	0xffffffff81000000ULL

struct storm_handle {
	int fd;
};

static unsigned char *read_only;	/* a page mapped read-only */
static unsigned char *hole;		/* a page followed by an unmapped one */
static void *unmapped;
static size_t page;

/* The request in flight on this thread, for the report on a fault. */
static __thread const struct storm_record *in_flight;

static void on_fault(int sig, siginfo_t *info, void *ctx)
{
	char line[160];
	int n;

	(void)ctx;
	n = snprintf(line, sizeof(line), "not ok - storm_itself_did_not_fault\n"
		     "#   signal %d at %p during code 0x%08x in %u out %u how 0x%x\n",
		     sig, info->si_addr, in_flight ? in_flight->code : 0,
		     in_flight ? in_flight->in_len : 0, in_flight ? in_flight->out_len : 0,
		     in_flight ? in_flight->how : 0);
	if (n > 0 && write(1, line, (size_t)n) < 0)
		_exit(3);
	_exit(3);
}

int storm_os_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	page = (size_t)sysconf(_SC_PAGESIZE);
	read_only = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hole = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	unmapped = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (read_only == MAP_FAILED || hole == MAP_FAILED || unmapped == MAP_FAILED)
		return -1;
	munmap(hole + page, page);
	/* A PROT_NONE page stays reserved: no later mapping lands there. */
	memset(hole, 'h', page);
	return 0;
}

struct storm_handle *storm_os_open(void)
{
	struct storm_handle *h = malloc(sizeof(*h));

	if (!h)
		return NULL;
	/* Non-blocking: a WAIT_EVENT with nothing queued returns at once. */
	h->fd = open(SPOTLESS_LINUX_DEVICE_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (h->fd < 0) {
		free(h);
		return NULL;
	}
	return h;
}

void storm_os_close(struct storm_handle *h)
{
	if (!h)
		return;
	close(h->fd);
	free(h);
}

/* A pointer of a random kind for len bytes; how gets its kind (0-6). */
static uint64_t pick_ptr(struct storm_rng *r, unsigned char *valid, uint32_t len,
			 uint32_t *how)
{
	uint32_t kind = storm_below(r, 16);

	*how = kind < 10 ? 0 : kind - 9;
	switch (*how) {
	case 0:
		return (uintptr_t)valid;
	case 1:
		return 0;
	case 2:
		return (uintptr_t)unmapped;
	case 3:
		return KERNEL_ADDRESS + storm_below(r, 1u << 20);
	case 4:
		return (uintptr_t)read_only;
	case 5:	/* runs into the unmapped page after the hole */
		return (uintptr_t)(hole + page - (len < page ? len / 2 + 1 : 16));
	default:
		return storm_next(r);
	}
}

static unsigned int pick_cmd(struct storm_rng *r)
{
	/* Every command's own number (the table's), and the general call. */
#define LINUX_CMD_(...) SPOTLESS_ROW_IOC(__VA_ARGS__),
	static const unsigned int ours[] = {
		SPOTLESS_COMMANDS(LINUX_CMD_)
		SPOTLESS_IOC_CALL,
	};
	unsigned int cmd;

	/* Rows without a number of their own have 0 there: the general call. */
	do {
		cmd = ours[storm_below(r, sizeof(ours) / sizeof(ours[0]))];
	} while (_IOC_NR(cmd) == 0);

	switch (storm_below(r, 10)) {
	case 0:		/* same number, another size or direction */
		return _IOC(storm_below(r, 4), SPOTLESS_IOC_TYPE, _IOC_NR(cmd),
			    storm_below(r, 128));
	case 1:		/* a neighbour number of our type */
		return _IOC(_IOC_DIR(cmd), SPOTLESS_IOC_TYPE, storm_below(r, 0x20),
			    _IOC_SIZE(cmd));
	case 2:
		return (unsigned int)storm_next(r);
	default:
		return cmd;
	}
}

int storm_os_request(struct storm_handle *h, struct storm_rng *r,
		     struct storm_record *rec)
{
	/* Room for the largest argument a number can name (_IOC_SIZE's 14
	 * bits): a newer caller's answer is zero-extended to its size. */
	uint64_t arg_buf[(1u << 14) / 8 + 8];
	unsigned char *big_in, *big_out;
	struct spotless_ioc_message *msg = (void *)arg_buf;
	struct spotless_ioc_echo *echo = (void *)arg_buf;
	struct spotless_ioc_batch *batch = (void *)arg_buf;
	unsigned int cmd = pick_cmd(r);
	uint32_t in_how = 0, out_how = 0, arg_how = 0;
	uint64_t arg = (uintptr_t)arg_buf;
	uint32_t in_len = storm_pick_len(r), out_len = storm_pick_len(r);

	/* Now and then 4 GiB - 1: the module must judge it, not trust it. */
	if (storm_below(r, 32) == 0)
		in_len = 0xFFFFFFFFu;
	if (storm_below(r, 32) == 0)
		out_len = 0xFFFFFFFFu;

	if (storm_thread_buffers(&big_in, &big_out))
		return ENOMEM;
	memset(arg_buf, 0, sizeof(arg_buf));
	if (cmd == SPOTLESS_IOC_BATCH && storm_below(r, 2))
		in_len = storm_make_batch(r, big_in);
	if (cmd == SPOTLESS_IOC_MESSAGE) {
		msg->in_ptr = pick_ptr(r, big_in, in_len, &in_how);
		msg->out_ptr = pick_ptr(r, big_out, out_len, &out_how);
		msg->in_len = in_len;
		msg->out_len = out_len;
		if (storm_below(r, 20) == 0)
			msg->flags = (uint32_t)storm_next(r);
	} else if (cmd == SPOTLESS_IOC_ECHO) {
		echo->in_ptr = pick_ptr(r, big_in, in_len, &in_how);
		echo->out_ptr = pick_ptr(r, big_out, out_len, &out_how);
		echo->in_len = in_len;
		echo->out_len = storm_below(r, 2) ? in_len : out_len;
		if (storm_below(r, 20) == 0)
			echo->reserved = (uint32_t)storm_next(r);
	} else if (cmd == SPOTLESS_IOC_POST) {
		struct spotless_ioc_post *p = (void *)arg_buf;

		p->payload_len = storm_below(r, 4) ? storm_below(r, 80) : in_len;
		p->payload_ptr = pick_ptr(r, big_in, p->payload_len, &in_how);
		if (storm_below(r, 20) == 0)
			p->flags = (uint32_t)storm_next(r);
	} else if (cmd == SPOTLESS_IOC_CALL) {
		struct spotless_ioc_call *call = (void *)arg_buf;

		call->code = storm_pick_code(r);
		call->in_ptr = pick_ptr(r, big_in, in_len, &in_how);
		call->out_ptr = pick_ptr(r, big_out, out_len, &out_how);
		call->in_len = in_len;
		call->out_len = out_len;
		if (storm_below(r, 20) == 0)
			call->flags = (uint32_t)storm_next(r);
	} else if (cmd == SPOTLESS_IOC_BATCH) {
		batch->in_ptr = pick_ptr(r, big_in, in_len, &in_how);
		batch->out_ptr = pick_ptr(r, big_out, out_len, &out_how);
		batch->in_len = in_len;
		batch->out_len = out_len;
		if (storm_below(r, 20) == 0)
			batch->flags = (uint32_t)storm_next(r);
	} else {
		unsigned int i;

		for (i = 0; i < 16; i++)
			arg_buf[i] = storm_below(r, 2) ? storm_next(r) : 0;
	}
	/* Now and then the argument itself is a bad pointer. */
	if (storm_below(r, 16) == 0)
		arg = pick_ptr(r, (unsigned char *)arg_buf, sizeof(arg_buf), &arg_how);

	rec->code = cmd;
	rec->in_len = in_len;
	rec->out_len = out_len;
	rec->how = in_how | out_how << 4 | arg_how << 8;
	in_flight = rec;
	return ioctl(h->fd, cmd, (unsigned long)arg) < 0 ? errno : 0;
}

const char *storm_os_error_name(int err)
{
	static __thread char text[16];

	switch (err) {
	case 0: return "success";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case EMSGSIZE: return "EMSGSIZE";
	case ERANGE: return "ERANGE";
	case ENOMEM: return "ENOMEM";
	case EBADMSG: return "EBADMSG";
	case EAGAIN: return "EAGAIN";
	case EBADF: return "EBADF";
	}
	snprintf(text, sizeof(text), "errno %d", err);
	return text;
}
