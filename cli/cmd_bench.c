// SPDX-License-Identifier: MIT
/*
 * spotless bench: what a request costs and how it scales, each case beside a
 * baseline measured in the same run, so that the figures are ratios and
 * survive a noisy machine. Each case is timed in REPS repetitions of enough
 * iterations to last TARGET_MS; the median and the spread are reported.
 *
 * Cases: latency (INFO, the tutorial exchange, a 64-byte ECHO, against the
 * driver's cheapest refused request and, on Linux, a null system call);
 * bulk (ECHO of 4 KiB to 16 MiB by each transfer method against a userland
 * copy of the same bytes in and out); batching (batches of 1 to 256 requests
 * against single calls); queue (64-byte ECHOs through the library's queue
 * at depths 1 to 128 against single calls); concurrency (1 and 2 threads, one handle each);
 * events (a post that completes a wait left pending, against the tutorial's
 * exchange: the driver's own small round trip; the same with 1, 16 and 256
 * idle subscribed handles beside the waiter, against none); exchange (the
 * tutorial's exchange alone, no INFO asked: runs against the tutorial's own
 * driver too); peer (with --peer-device, Linux: requests against an ioctl
 * of a misc device that returns at once, the floor of any round trip).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_os.h"
#include "platform.h"

#define MAX_REPS	31

static struct {
	int reps;
	unsigned int target_ms;
	const char *peer_device;
	FILE *csv;
	struct spotless_handle *dev;
	struct spotless_info info;
	int failed;
} bench;

struct figure {
	double median, min, max;	/* per operation: ns; or a rate */
};

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median and spread of bench.reps samples (sorted in place). */
static struct figure summarize(double *samples)
{
	struct figure f;

	qsort(samples, (size_t)bench.reps, sizeof(double), compare_doubles);
	f.median = samples[bench.reps / 2];
	f.min = samples[0];
	f.max = samples[bench.reps - 1];
	return f;
}

/* Nanoseconds per call of op, over bench.reps timed repetitions. */
static struct figure time_op(int (*op)(void *ctx), void *ctx)
{
	double samples[MAX_REPS] = { 0 };
	uint64_t iterations = 1, i, start;
	int r;

	/* Enough iterations for one repetition to last the target. */
	for (;;) {
		uint64_t took;

		start = platform_now_ns();
		for (i = 0; i < iterations; i++)
			if (op(ctx))
				bench.failed = 1;
		took = platform_now_ns() - start;
		if (took >= bench.target_ms * 1000000ull || iterations >= (1ull << 30))
			break;
		iterations *= 2;
	}
	for (r = 0; r < bench.reps; r++) {
		start = platform_now_ns();
		for (i = 0; i < iterations; i++)
			if (op(ctx))
				bench.failed = 1;
		samples[r] = (double)(platform_now_ns() - start) / (double)iterations;
	}
	return summarize(samples);
}

/* A per-operation time turned into a rate of `per_op` units per second. */
static struct figure rate_of(struct figure t, double per_op)
{
	struct figure f = {
		per_op * 1e9 / t.median, per_op * 1e9 / t.max, per_op * 1e9 / t.min,
	};

	return f;
}

static void report(const char *group, const char *name, const char *unit,
		   size_t size, int threads, struct figure f, const char *base_name,
		   struct figure base)
{
	/* Times: how many floors a request costs. Rates: how many baselines. */
	double ratio = f.median / base.median;

	printf("%-8s %-22s %12.2f %-6s (%.2f-%.2f)  vs %-16s %12.2f: %7.3fx\n", group,
	       name, f.median, unit, f.min, f.max, base_name, base.median, ratio);
	fflush(stdout);
	if (bench.csv)
		fprintf(bench.csv, "%s,%s,%zu,%d,%s,%.3f,%.3f,%.3f,%s,%.3f,%.4f\n", group, name,
			size, threads, unit, f.median, f.min, f.max, base_name, base.median, ratio);
}

/* ---- The operations ------------------------------------------------------ */

struct echo_ctx {
	enum spotless_echo_method method;
	unsigned char *in, *out, *copy;
	size_t len;		/* per call, at most SPOTLESS_ECHO_MAX */
	int calls;		/* calls per operation (16 MiB: 16 of 1 MiB) */
};

static int op_refused(void *ctx)
{
	(void)ctx;
	return spotless_refused_request(bench.dev) != 0;
}

static int op_null_syscall(void *ctx)
{
	(void)ctx;
	return os_null_syscall() != 0;
}

static int op_message(void *ctx)
{
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len;

	(void)ctx;
	return spotless_send_message(bench.dev, "bench", reply, &len) != 0;
}

static int op_info(void *ctx)
{
	struct spotless_info info;

	(void)ctx;
	return spotless_get_info(bench.dev, &info) != 0;
}

static int op_echo(void *ctx)
{
	struct echo_ctx *e = ctx;
	uint32_t crc;
	int i;

	for (i = 0; i < e->calls; i++)
		if (spotless_echo(bench.dev, e->method, e->in, e->len, e->out,
				  e->len + SPOTLESS_ECHO_TRAILER_LEN, &crc))
			return 1;
	return 0;
}

/* The floor of moving the bytes: into a buffer and out again, in userland. */
static int op_copy(void *ctx)
{
	struct echo_ctx *e = ctx;
	int i;

	for (i = 0; i < e->calls; i++) {
		memcpy(e->copy, e->in, e->len);
		if (e->method != SPOTLESS_ECHO_IN_DIRECT)
			memcpy(e->out, e->copy, e->len);
	}
	/* Keep the copies from being optimised away. */
	return e->out[0] == 0xFF && e->copy[0] == 0xFE && e->len == 1;
}

/* The floor of a checksummed echo: the copies and the CRC32C, in userland. */
static volatile uint32_t crc_sink;

static int op_copy_crc(void *ctx)
{
	struct echo_ctx *e = ctx;
	int i;

	for (i = 0; i < e->calls; i++) {
		memcpy(e->copy, e->in, e->len);
		crc_sink = spotless_crc32c(e->copy, e->len);
		if (e->method != SPOTLESS_ECHO_IN_DIRECT)
			memcpy(e->out, e->copy, e->len);
	}
	return 0;
}

struct batch_ctx {
	unsigned char in[SPOTLESS_BATCH_MAX_BYTES];
	unsigned char out[SPOTLESS_BATCH_MAX_BYTES];
	size_t in_len, out_len;
};

static int op_batch(void *ctx)
{
	struct batch_ctx *b = ctx;
	size_t written;

	return spotless_batch(bench.dev, b->in, b->in_len, b->out, b->out_len, &written) != 0;
}

/*
 * One event, from post to the waiter holding it: a wait is pending on the
 * watcher's handle (Windows: its WAIT_EVENT IRP in the driver; Linux: the
 * handle subscribed, polled by finish), a second handle posts, the wait
 * completes, and the next one begins. One thread: no scheduler hand-over
 * in the figure, only the kernel's path from post to completed wait.
 */
struct event_ctx {
	struct spotless_handle *poster;
	struct spotless_event_wait *wait;
};

static int op_event(void *ctx)
{
	struct event_ctx *e = ctx;
	struct spotless_event ev;

	return spotless_post(e->poster, "bench", 5) ||
	       spotless_event_wait_finish(e->wait, 5000, &ev) ||
	       ev.kind != SPOTLESS_EVENT_POSTED ||
	       spotless_event_wait_again(e->wait);
}

static int op_post(void *ctx)
{
	struct event_ctx *e = ctx;

	return spotless_post(e->poster, "bench", 5) != 0;
}

/*
 * The library's queue: depth 64-byte ECHOs taken, sent with one submit and
 * all reaped; an operation is the whole round of depth commands.
 */
#define QUEUE_DEPTH_MAX	128

struct queue_ctx {
	struct spotless_queue *q;
	unsigned int depth;
	unsigned char in[64];
	unsigned char out[QUEUE_DEPTH_MAX][64 + SPOTLESS_ECHO_TRAILER_LEN];
	struct spotless_completion done[QUEUE_DEPTH_MAX];
};

static int op_queue(void *ctx)
{
	struct queue_ctx *c = ctx;
	unsigned int i, reaped = 0, count;

	for (i = 0; i < c->depth; i++)
		if (spotless_queue_command(c->q, IOCTL_SPOTLESS_ECHO_BUFFERED, c->in, 64,
					   c->out[i], sizeof(c->out[i]), i))
			return 1;
	if (spotless_queue_submit(c->q, NULL))
		return 1;
	while (reaped < c->depth) {
		if (spotless_queue_reap(c->q, c->done, c->depth, c->depth - reaped, 5000,
					&count))
			return 1;
		for (i = 0; i < count; i++)
			if (c->done[i].err)
				return 1;
		reaped += count;
	}
	return 0;
}

/* A queue for the bench's handle, and whether it answers: NULL (and why,
 * on stdout) when this OS, kernel or driver has none. One per handle: a
 * Windows handle keeps its completion port. */
static struct queue_ctx *queue_ready(void)
{
	static struct queue_ctx *ctx;
	static int tried;
	spotless_err err;

	if (tried)
		return ctx;
	tried = 1;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	memcpy(ctx->in, "sixty-four bytes", 16);
	err = spotless_queue_create(bench.dev, QUEUE_DEPTH_MAX, &ctx->q);
	ctx->depth = 1;
	if (!err && op_queue(ctx))
		err = ctx->done[0].err ? ctx->done[0].err : -1;
	if (err) {
		char text[160];

		spotless_error_text(err, text, sizeof(text));
		printf("# queue: not measured: %s\n", text);
		spotless_queue_destroy(ctx->q);
		free(ctx);
		ctx = NULL;
	}
	return ctx;
}

static void queue_done(void)
{
	struct queue_ctx *ctx = queue_ready();

	if (ctx) {
		spotless_queue_destroy(ctx->q);
		free(ctx);
	}
}

/* ---- The cases ------------------------------------------------------------ */

static void bench_latency(void)
{
	struct echo_ctx e = { SPOTLESS_ECHO_BUFFERED, NULL, NULL, NULL, 64, 1 };
	unsigned char in[64] = "sixty-four bytes", out[64 + SPOTLESS_ECHO_TRAILER_LEN];
	struct figure floor = time_op(op_refused, NULL), f;

	e.in = in;
	e.out = out;
	report("latency", "refused_request", "ns", 0, 1, floor, "refused_request", floor);
	f = time_op(op_info, NULL);
	report("latency", "info", "ns", 0, 1, f, "refused_request", floor);
	f = time_op(op_message, NULL);
	report("latency", "message", "ns", SPOTLESS_CLIENT_BUFFER_SIZE, 1, f,
	       "refused_request", floor);
	f = time_op(op_echo, &e);
	report("latency", "echo_64", "ns", 64, 1, f, "refused_request", floor);
	if (os_null_syscall() == 0) {
		f = time_op(op_null_syscall, NULL);
		report("latency", "null_syscall", "ns", 0, 1, f, "refused_request", floor);
	}
}

static const char *const method_names[] = { "buffered", "in_direct", "out_direct", "neither" };

static void bench_bulk(void)
{
	static const size_t sizes[] = { 4096, 65536, 1024 * 1024, 16 * 1024 * 1024 };
	struct echo_ctx e;
	unsigned int s, m;
	char name[48], base[48];

	e.in = malloc(SPOTLESS_ECHO_MAX);
	e.out = malloc(SPOTLESS_ECHO_MAX + SPOTLESS_ECHO_TRAILER_LEN);
	e.copy = malloc(SPOTLESS_ECHO_MAX);
	if (!e.in || !e.out || !e.copy) {
		bench.failed = 1;
		goto out;
	}
	memset(e.in, 0x5A, SPOTLESS_ECHO_MAX);
	for (m = 0; m < 3; m++) {
		if (m && !(bench.info.capabilities & SPOTLESS_CAP_ECHO_DIRECT))
			break;
		e.method = (enum spotless_echo_method)m;
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			struct figure f, c;
			double mb;

			/* Above the driver's limit, one operation is several calls. */
			e.len = sizes[s] < SPOTLESS_ECHO_MAX ? sizes[s] : SPOTLESS_ECHO_MAX;
			e.calls = (int)(sizes[s] / e.len);
			mb = (double)sizes[s] / 1e6;
			f = rate_of(time_op(op_echo, &e), mb);
			c = rate_of(time_op(op_copy, &e), mb);
			snprintf(name, sizeof(name), "%s_%zuK", method_names[m], sizes[s] / 1024);
			snprintf(base, sizeof(base), "memcpy_%s", m == 1 ? "in" : "in_out");
			report("bulk", name, "MB/s", sizes[s], 1, f, base, c);
			/* What the checksum costs by itself: the floor with it. */
			c = rate_of(time_op(op_copy_crc, &e), mb);
			snprintf(base, sizeof(base), "memcpy_crc32c_%s", m == 1 ? "in" : "in_out");
			report("bulk_crc", name, "MB/s", sizes[s], 1, f, base, c);
		}
	}
out:
	free(e.in);
	free(e.out);
	free(e.copy);
}

static void bench_batching(void)
{
	static const unsigned int counts[] = { 1, 8, 64, 256 };
	struct batch_ctx *b = malloc(sizeof(*b));
	unsigned char payload[64] = "sixty-four bytes", out[64 + SPOTLESS_ECHO_TRAILER_LEN];
	struct echo_ctx e = { SPOTLESS_ECHO_BUFFERED, payload, out, NULL, 64, 1 };
	struct figure single;
	unsigned int c, i;

	if (!b) {
		bench.failed = 1;
		return;
	}
	/*
	 * 64-byte ECHO records against single 64-byte ECHO calls: the tutorial's
	 * exchange would weigh its log lines, which single calls write and
	 * batch records do not, not the calls.
	 */
	single = rate_of(time_op(op_echo, &e), 1);
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		struct spotless_batch_writer w;
		struct figure f;
		char name[32];

		spotless_batch_begin(&w, b->in, sizeof(b->in));
		for (i = 0; i < counts[c]; i++)
			spotless_batch_add(&w, IOCTL_SPOTLESS_ECHO_BUFFERED, payload, 64,
					   64 + SPOTLESS_ECHO_TRAILER_LEN);
		b->in_len = spotless_batch_end(&w);
		b->out_len = w.out_needed;
		f = rate_of(time_op(op_batch, b), counts[c]);
		snprintf(name, sizeof(name), "batch_%u", counts[c]);
		report("batch", name, "req/s", b->in_len, 1, f, "single_echo_64", single);
	}
	free(b);
}

/*
 * 64-byte ECHOs through the queue at depths 1 to 128, against the same
 * ECHO by a call each: what sending many per system call gains.
 */
static void bench_queue(void)
{
	static const unsigned int depths[] = { 1, 8, 32, QUEUE_DEPTH_MAX };
	unsigned char payload[64] = "sixty-four bytes", out[64 + SPOTLESS_ECHO_TRAILER_LEN];
	struct echo_ctx e = { SPOTLESS_ECHO_BUFFERED, payload, out, NULL, 64, 1 };
	struct queue_ctx *ctx = queue_ready();
	struct figure single;
	unsigned int d;

	if (!ctx)
		return;
	single = rate_of(time_op(op_echo, &e), 1);
	for (d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		char name[32];

		ctx->depth = depths[d];
		snprintf(name, sizeof(name), "queue_echo_64_depth_%u", depths[d]);
		report("queue", name, "req/s", 64, 1, rate_of(time_op(op_queue, ctx), depths[d]),
		       "single_echo_64", single);
	}
}

/* Take every event queued for the waiter; its wait is pending afterwards. */
static int drain_events(struct spotless_event_wait *wait)
{
	struct spotless_event ev;
	spotless_err err;

	while (!(err = spotless_event_wait_finish(wait, 0, &ev)))
		if (spotless_event_wait_again(wait))
			return 1;
	return err != SPOTLESS_E_TIMEOUT;
}

/*
 * The same post to a waiter with N idle handles subscribed beside it (each
 * waited once, with timeout 0, and waits no more): their queues take the
 * record, but only the waiter is woken. Against no idle handles: flat is
 * the aim. The idle handles open before the measured wait starts over, so
 * that their open events are not what the waiter receives.
 */
static void bench_events_idle(struct event_ctx *e, struct figure none)
{
	static const int counts[] = { 1, 16, 256 };
	struct spotless_handle *idle[256];
	struct spotless_event ev;
	int opened = 0, c, want;
	char name[40];

	for (c = 0; c < (int)(sizeof(counts) / sizeof(counts[0])); c++) {
		struct figure f;

		for (want = counts[c]; opened < want; opened++) {
			if (spotless_open(&idle[opened]) ||
			    spotless_wait_event(idle[opened], 0, &ev) != SPOTLESS_E_TIMEOUT) {
				bench.failed = 1;
				goto out;
			}
		}
		/* The waiter's queue now holds the idle handles' open events. */
		if (drain_events(e->wait)) {
			bench.failed = 1;
			goto out;
		}
		f = time_op(op_event, e);
		snprintf(name, sizeof(name), "post_to_waiter_idle_%d", want);
		report("events", name, "ns", 5, 1, f, "post_to_waiter", none);
	}
out:
	while (opened)
		spotless_close(idle[--opened]);
}

static void bench_events(void)
{
	struct event_ctx e = { NULL, NULL };
	struct spotless_handle *watcher = NULL;
	struct figure base, f;

	if (!(bench.info.capabilities & SPOTLESS_CAP_EVENTS))
		return;
	/* The poster opens first, so its open is no event for the watcher. */
	if (spotless_open(&e.poster) || spotless_open(&watcher)) {
		bench.failed = 1;
		goto out;
	}
	base = time_op(op_message, NULL);
	f = time_op(op_post, &e);	/* nobody subscribed yet */
	report("events", "post_unwatched", "ns", 5, 1, f, "message", base);
	if (spotless_event_wait_start(watcher, &e.wait)) {
		bench.failed = 1;
		goto out;
	}
	f = time_op(op_event, &e);
	report("events", "post_to_waiter", "ns", 5, 1, f, "message", base);
	bench_events_idle(&e, f);
out:
	spotless_event_wait_free(e.wait);
	spotless_close(watcher);
	spotless_close(e.poster);
}

/*
 * The tutorial's exchange alone, against itself: make bench runs it against
 * spotless.sys and against the tutorial's own driver (no INFO there) and
 * reports the one as a multiple of the other.
 */
static void bench_exchange(void)
{
	struct figure f = time_op(op_message, NULL);

	report("exchange", "message", "ns", SPOTLESS_CLIENT_BUFFER_SIZE, 1, f, "message", f);
}

/*
 * Requests as multiples of the floor of any ioctl on this kernel: a misc
 * device whose ioctl returns at once (bench/peers/null_misc, Linux).
 */
static int op_peer_ioctl(void *ctx)
{
	return os_null_ioctl(*(int *)ctx) != 0;
}

static void bench_peer(void)
{
	unsigned char in[64] = "sixty-four bytes", out[64 + SPOTLESS_ECHO_TRAILER_LEN];
	struct echo_ctx e = { SPOTLESS_ECHO_BUFFERED, in, out, NULL, 64, 1 };
	struct queue_ctx *qc;
	struct figure floor, f;
	int fd = os_null_device_open(bench.peer_device);

	if (fd < 0) {
		fprintf(stderr, "spotless bench: cannot open %s\n", bench.peer_device);
		bench.failed = 1;
		return;
	}
	floor = time_op(op_peer_ioctl, &fd);
	report("peer", "null_misc_ioctl", "ns", 0, 1, floor, "null_misc_ioctl", floor);
	f = time_op(op_refused, NULL);
	report("peer", "refused_request", "ns", 0, 1, f, "null_misc_ioctl", floor);
	f = time_op(op_info, NULL);
	report("peer", "info", "ns", 0, 1, f, "null_misc_ioctl", floor);
	f = time_op(op_message, NULL);
	report("peer", "message", "ns", SPOTLESS_CLIENT_BUFFER_SIZE, 1, f, "null_misc_ioctl", floor);
	f = time_op(op_echo, &e);
	report("peer", "echo_64", "ns", 64, 1, f, "null_misc_ioctl", floor);
	/* A command's share of a round of 32 through the queue. */
	qc = queue_ready();
	if (qc) {
		qc->depth = 32;
		f = time_op(op_queue, qc);
		f.median /= 32;
		f.min /= 32;
		f.max /= 32;
		report("peer", "queue_echo_64_depth_32", "ns", 64, 1, f, "null_misc_ioctl",
		       floor);
	}
	os_null_device_close(fd);
}

/* Each thread its own handle, the same number of requests of one kind. */
enum thread_op { THREAD_MESSAGE, THREAD_REFUSED, THREAD_NULL_SYSCALL };

struct threads_ctx {
	enum thread_op op;
	uint64_t per_thread;
	int errors;
};

static int one_request(struct spotless_handle *dev, enum thread_op op)
{
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len;

	switch (op) {
	case THREAD_MESSAGE:
		return spotless_send_message(dev, "bench", reply, &len) != 0;
	case THREAD_REFUSED:
		return spotless_refused_request(dev) != 0;
	default:
		return os_null_syscall() != 0;
	}
}

static void request_loop(void *arg, int index)
{
	struct threads_ctx *t = arg;
	struct spotless_handle *dev;
	uint64_t i;

	(void)index;
	if (spotless_open(&dev)) {
		__atomic_add_fetch(&t->errors, 1, __ATOMIC_RELAXED);
		return;
	}
	for (i = 0; i < t->per_thread; i++)
		if (one_request(dev, t->op))
			__atomic_add_fetch(&t->errors, 1, __ATOMIC_RELAXED);
	spotless_close(dev);
}

static struct figure threads_rate(enum thread_op op, int n, uint64_t per_thread)
{
	double samples[MAX_REPS] = { 0 };
	struct threads_ctx t = { op, per_thread, 0 };
	int r;

	for (r = 0; r < bench.reps; r++) {
		uint64_t start = platform_now_ns();

		if (platform_run_threads(n, request_loop, &t))
			bench.failed = 1;
		samples[r] = (double)(n * per_thread) * 1e9 /
			     (double)(platform_now_ns() - start);
	}
	if (t.errors)
		bench.failed = 1;
	return summarize(samples);
}

/*
 * 1 and 2 threads of the tutorial's exchange, and of two baselines: the
 * driver's cheapest refused request, and on Linux a null system call, which
 * show how far the platform itself scales on this machine.
 */
static void bench_threads(void)
{
	static const struct {
		enum thread_op op;
		const char *name;
		int (*single)(void *);
	} kinds[] = {
		{ THREAD_MESSAGE, "message", op_message },
		{ THREAD_REFUSED, "refused_request", op_refused },
		{ THREAD_NULL_SYSCALL, "null_syscall", op_null_syscall },
	};
	unsigned int k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct figure one, f1, f2;
		uint64_t per_thread;
		char name[48];

		if (kinds[k].op == THREAD_NULL_SYSCALL && os_null_syscall())
			continue;
		/* Iterations for one thread to run about the target time. */
		one = time_op(kinds[k].single, NULL);
		per_thread = (uint64_t)(bench.target_ms * 1e6 / one.median) + 1;
		f1 = threads_rate(kinds[k].op, 1, per_thread);
		f2 = threads_rate(kinds[k].op, 2, per_thread);
		snprintf(name, sizeof(name), "%s_threads_2", kinds[k].name);
		report("threads", name, "req/s", 0, 2, f2, "same_1_thread", f1);
	}
}

static int run_bench(int argc, char **argv)
{
	static const struct option options[] = {
		{ "csv", required_argument, NULL, 'c' },
		{ "reps", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ "only", required_argument, NULL, 'o' },
		{ "peer-device", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *csv_path = NULL, *only = NULL;
	long long reps = 7, target_ms = 50;
	char machine[160];
	int c;

	while ((c = cli_option(&cmd_bench, argc, argv, options)) != -1) {
		switch (c) {
		case 'c':
			csv_path = optarg;
			break;
		case 'r':
			if (cli_number(&cmd_bench, "--reps", optarg, 3, MAX_REPS, &reps))
				return EXIT_USAGE;
			break;
		case 'm':
			if (cli_number(&cmd_bench, "--ms", optarg, 1, 10000, &target_ms))
				return EXIT_USAGE;
			break;
		case 'o':
			only = optarg;
			break;
		case 'p':
			bench.peer_device = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(&cmd_bench, "no operands are taken");
	bench.reps = (int)reps;
	bench.target_ms = (unsigned int)target_ms;
	if (only && strcmp(only, "latency") && strcmp(only, "bulk") &&
	    strcmp(only, "batch") && strcmp(only, "queue") && strcmp(only, "threads") &&
	    strcmp(only, "events") &&
	    strcmp(only, "exchange") && strcmp(only, "peer"))
		return cli_usage_error(&cmd_bench, "--only is latency, bulk, batch, queue, "
				       "threads, events, exchange or peer");
	if (only && !strcmp(only, "peer") && !bench.peer_device)
		return cli_usage_error(&cmd_bench, "--only peer needs --peer-device PATH");

	bench.dev = cli_open_device();
	if (!bench.dev)
		return EXIT_FAILED;
	/* The exchange alone asks nothing else: the tutorial's driver has no INFO. */
	if (only && !strcmp(only, "exchange")) {
		memset(&bench.info, 0, sizeof(bench.info));
	} else if (spotless_get_info(bench.dev, &bench.info)) {
		fprintf(stderr, "spotless bench: INFO failed\n");
		spotless_close(bench.dev);
		return EXIT_FAILED;
	}
	if (csv_path) {
		bench.csv = fopen(csv_path, "w");
		if (!bench.csv) {
			fprintf(stderr, "spotless bench: cannot write %s\n", csv_path);
			spotless_close(bench.dev);
			return EXIT_USAGE;
		}
		fprintf(bench.csv, "group,case,bytes,threads,unit,median,min,max,"
			"baseline,baseline_median,ratio\n");
	}
	os_describe(machine, sizeof(machine));
	printf("# spotless bench: %s; %d repetitions of %u ms per case; median (min-max)\n",
	       machine, bench.reps, bench.target_ms);
	if (bench.info.size) {
		printf("# driver: %u bytes of state per open handle, one allocation\n",
		       bench.info.handle_state_bytes);
		printf("# crc32c: the driver's by %s, the library's by %s\n",
		       bench.info.capabilities & SPOTLESS_CAP_CRC32C_INSTRUCTION ?
		       "the crc32 instruction" : "its table",
		       spotless_crc32c_uses_instruction() ? "the crc32 instruction" : "its table");
	}
	if (!only || !strcmp(only, "latency"))
		bench_latency();
	if (!only || !strcmp(only, "bulk"))
		bench_bulk();
	if (!only || !strcmp(only, "batch"))
		bench_batching();
	if (!only || !strcmp(only, "queue"))
		bench_queue();
	if (!only || !strcmp(only, "threads"))
		bench_threads();
	if (!only || !strcmp(only, "events"))
		bench_events();
	if (only && !strcmp(only, "exchange"))
		bench_exchange();
	if ((!only || !strcmp(only, "peer")) && bench.peer_device)
		bench_peer();
	queue_done();
	spotless_close(bench.dev);
	if (bench.csv)
		fclose(bench.csv);
	if (bench.failed)
		fprintf(stderr, "spotless bench: some requests failed; the figures are not valid\n");
	return bench.failed ? EXIT_FAILED : EXIT_OK;
}

const struct cli_command cmd_bench = {
	.name = "bench", .args = "[OPTIONS]",
	.summary = "measure the driver against baselines from the same run",
	.details =
		"options:\n"
		"  --csv FILE   also write every figure to FILE (CSV)\n"
		"  --reps N     timed repetitions per case, 3 to 31 (default 7)\n"
		"  --ms N       milliseconds per repetition (default 50)\n"
		"  --only G     one group: latency, bulk, batch, queue, threads, events,\n"
		"               exchange (the tutorial exchange only; any driver that\n"
		"               answers it, the tutorial's own too) or peer\n"
		"  --peer-device PATH  Linux: also measure against the ioctl of a misc\n"
		"               device that returns at once (make bench's spotless_null)\n"
		"\n"
		"Every figure is printed with the baseline measured in the same run and\n"
		"their ratio: times (ns) against the driver's cheapest refused request,\n"
		"throughput (MB/s) against a userland copy of the same bytes, batches\n"
		"(requests/s) and the queue at depths 1 to 128 against single calls,\n"
		"2 threads against 1, an event from post to waiter against the\n"
		"tutorial's exchange.\n",
	.run = run_bench,
};
