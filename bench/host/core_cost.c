// SPDX-License-Identifier: MIT
/*
 * core_cost: the portable core's work for one request of each kind, run N
 * times in a loop, so that an instruction counter outside it (valgrind's
 * cachegrind: scripts/bench_core_cost.sh) gives a figure per request that
 * does not move with the machine's load, as times do. A "null" case runs
 * the same loop around an empty call: the loop's own share.
 *
 *   core_cost CASE N     (core_cost --list names the cases)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotless.h"
#include "spotless_core.h"

#define RW	(SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS)

static struct spotless_device_state dev;
static struct spotless_handle_state handle;
static unsigned char in[SPOTLESS_BATCH_MAX_BYTES], out[SPOTLESS_BATCH_MAX_BYTES];

struct bench_case {
	const char *name;
	uint32_t code;
	size_t in_len, out_len;
	void (*prepare)(struct spotless_request *req);
};

static void message_in(struct spotless_request *req)
{
	strcpy((char *)in, "spotless saying ola from userland");
	req->in_len = strlen((char *)in) + 1;
}

/* The same with the glue's log off: no text kept for a log line. */
static void message_unlogged_in(struct spotless_request *req)
{
	message_in(req);
	req->unlogged = 1;
}

/* A BATCH of 64 INFO records. */
static void batch_in(struct spotless_request *req)
{
	struct spotless_batch_writer w;
	int i;

	spotless_batch_begin(&w, in, sizeof(in));
	for (i = 0; i < 64; i++)
		spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(struct spotless_info));
	req->in_len = spotless_batch_end(&w);
}

static const struct bench_case cases[] = {
	{ "null", 0, 0, 0, NULL },
	{ "refused_unknown_code", 0x00222FFCu, 0, 0, NULL },
	{ "refused_output_too_small", IOCTL_SPOTLESS_INFO, 0, 8, NULL },
	{ "info", IOCTL_SPOTLESS_INFO, 0, sizeof(struct spotless_info), NULL },
	{ "stats", IOCTL_SPOTLESS_STATS, 0, sizeof(struct spotless_stats), NULL },
	{ "message", IOCTL_SPOTLESS, 0, SPOTLESS_CLIENT_BUFFER_SIZE, message_in },
	{ "message_log_off", IOCTL_SPOTLESS, 0, SPOTLESS_CLIENT_BUFFER_SIZE, message_unlogged_in },
	{ "echo_64", IOCTL_SPOTLESS_ECHO_BUFFERED, 64, 64 + SPOTLESS_ECHO_TRAILER_LEN, NULL },
	{ "echo_4096", IOCTL_SPOTLESS_ECHO_BUFFERED, 4096, 4096 + SPOTLESS_ECHO_TRAILER_LEN, NULL },
	{ "batch_64_info", IOCTL_SPOTLESS_BATCH, 0, sizeof(out), batch_in },
};

/* Kept out of line, so that the null case's loop calls something too. */
__attribute__((noinline)) static void nothing(struct spotless_request *req,
					      struct spotless_result *res)
{
	__asm__ volatile("" : : "r"(req), "r"(res) : "memory");
}

int main(int argc, char **argv)
{
	const struct bench_case *c = NULL;
	struct spotless_request req;
	struct spotless_result res;
	unsigned long n, i;
	size_t k;

	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			printf("%s\n", cases[k].name);
		return 0;
	}
	for (k = 0; argc == 3 && k < sizeof(cases) / sizeof(cases[0]); k++)
		if (!strcmp(argv[1], cases[k].name))
			c = &cases[k];
	if (!c) {
		fprintf(stderr, "usage: core_cost CASE N (core_cost --list names the cases)\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	spotless_core_device_init(&dev, SPOTLESS_OS_LINUX);
	/* As spotless.ko on the benchmarks' 2-processor guest: STATS sums two
	 * counter sets (here every request counts on set 0). */
	spotless_core_set_processors(&dev, 2);
	spotless_core_allocated(&dev);
	spotless_core_handle_opened(&dev, &handle, RW);
	memset(&req, 0, sizeof(req));
	req.code = c->code;
	req.in = in;
	req.in_len = c->in_len;
	req.out = out;
	req.out_len = c->out_len;
	if (c->prepare)
		c->prepare(&req);
	for (i = 0; i < n; i++) {
		if (c->code)
			spotless_core_handle(&dev, &handle, &req, &res);
		else
			nothing(&req, &res);
	}
	/* The answer of the last one, so that a broken case shows. */
	printf("%s: %lu requests, last status %d, %zu bytes\n", c->name, n,
	       n && c->code ? (int)res.status : 0, n && c->code ? (size_t)res.information : 0);
	return 0;
}
