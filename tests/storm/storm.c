// SPDX-License-Identifier: MIT
/*
 * spotless_storm: sends random requests (codes, methods, lengths, bytes and,
 * on Linux, pointers) at the loaded driver from several threads that also
 * close and reopen their handles, watches for a hang, and at the end checks
 * that the driver still answers every command correctly and that STATS shows
 * no allocation left once the storm's handles are closed.
 *
 *   spotless_storm [--requests N] [--threads N] [--seed S]
 *
 * Prints progress lines, a tally, and "ok - " / "not ok - " lines; exits 0
 * when every check passed. The same seed makes the same requests (the
 * interleaving of threads aside).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "platform.h"
#include "spotless.h"
#include "storm.h"

static uint64_t now_ms(void)
{
	return platform_now_ns() / 1000000u;
}

#define MAX_THREADS	8
#define LAST_KEPT	8	/* requests remembered per thread */
#define HANG_MS		30000	/* no request finished for this long: a hang */
#define REOPEN_ONE_IN	256	/* a thread reopens its handle this often */
#define TALLY_SLOTS	64

struct worker {
	struct storm_rng rng;
	uint64_t done;
	uint64_t accepted;
	uint64_t open_failures;
	struct storm_record last[LAST_KEPT];
	unsigned int last_next;
	int tally_err[TALLY_SLOTS];
	uint64_t tally_count[TALLY_SLOTS];
};

static struct {
	uint64_t requests;
	int threads;
	uint64_t seed;
	struct worker workers[MAX_THREADS];
	volatile int finished;
} storm;

static const uint32_t sizes[] = {
	0, 1, 7, 8, 15, 16, 21, 22, 23, 127, 128, 4095, 4096, 4097, 65535, 65536,
	65537, SPOTLESS_ECHO_MAX, SPOTLESS_ECHO_MAX + 8, SPOTLESS_ECHO_MAX + 9,
};

int storm_thread_buffers(unsigned char **in, unsigned char **out)
{
	static __thread unsigned char *thread_in, *thread_out;

	if (!thread_in) {
		size_t i;

		thread_in = malloc(STORM_BIG);
		thread_out = malloc(STORM_BIG);
		if (!thread_in || !thread_out)
			return -1;
		for (i = 0; i < STORM_BIG; i++)
			thread_in[i] = (unsigned char)(i * 13 + 1);
	}
	*in = thread_in;
	*out = thread_out;
	return 0;
}

uint32_t storm_pick_len(struct storm_rng *r)
{
	if (storm_below(r, 4) == 0)
		return storm_below(r, 70000);
	return sizes[storm_below(r, sizeof(sizes) / sizeof(sizes[0]))];
}

/* Every code of the command table, and one that is none. */
#define STORM_CODE_(...) SPOTLESS_ROW_CODE(__VA_ARGS__),
static const uint32_t table_codes[] = { SPOTLESS_COMMANDS(STORM_CODE_) 0x1234 };
#define N_TABLE_CODES	(sizeof(table_codes) / sizeof(table_codes[0]))

uint32_t storm_pick_code(struct storm_rng *r)
{
	return table_codes[storm_below(r, N_TABLE_CODES)];
}

uint32_t storm_make_batch(struct storm_rng *r, unsigned char *buf)
{
	struct spotless_batch_writer w;
	uint32_t n = 1 + storm_below(r, 20), i;
	size_t len;

	spotless_batch_begin(&w, buf, SPOTLESS_BATCH_MAX_BYTES);
	for (i = 0; i < n; i++)
		spotless_batch_add(&w, storm_pick_code(r), buf + 60000,
				   storm_below(r, 300), storm_below(r, 600));
	len = spotless_batch_end(&w);
	if (storm_below(r, 3) == 0)
		buf[storm_below(r, (uint32_t)len)] ^= (unsigned char)(1 + storm_below(r, 255));
	return (uint32_t)len;
}

static void tally(struct worker *w, int err)
{
	int i;

	for (i = 0; i < TALLY_SLOTS; i++) {
		if (w->tally_count[i] && w->tally_err[i] != err)
			continue;
		w->tally_err[i] = err;
		w->tally_count[i]++;
		return;
	}
}

static void print_last_requests(void)
{
	int t;
	unsigned int i;

	for (t = 0; t < storm.threads; t++) {
		struct worker *w = &storm.workers[t];

		printf("#   thread %d, its last requests (oldest first):\n", t);
		for (i = 0; i < LAST_KEPT; i++) {
			const struct storm_record *r = &w->last[(w->last_next + i) % LAST_KEPT];

			if (!r->code && !r->in_len && !r->out_len)
				continue;
			printf("#     code 0x%08x in %u out %u how 0x%x -> %s\n", r->code,
			       r->in_len, r->out_len, r->how, storm_os_error_name(r->result));
		}
	}
}

static void work(void *arg, int index)
{
	struct worker *w = &storm.workers[index];
	uint64_t share = storm.requests / (uint64_t)storm.threads, n;
	struct storm_handle *h = storm_os_open();

	(void)arg;
	if (index == storm.threads - 1)
		share += storm.requests % (uint64_t)storm.threads;
	for (n = 0; n < share; n++) {
		struct storm_record *rec = &w->last[w->last_next];
		int err;

		if (!h || storm_below(&w->rng, REOPEN_ONE_IN) == 0) {
			storm_os_close(h);
			h = storm_os_open();
			if (!h) {
				w->open_failures++;
				continue;
			}
		}
		memset(rec, 0, sizeof(*rec));
		err = storm_os_request(h, &w->rng, rec);
		rec->result = err;
		w->last_next = (w->last_next + 1) % LAST_KEPT;
		if (!err)
			w->accepted++;
		tally(w, err);
		__atomic_store_n(&w->done, n + 1, __ATOMIC_RELAXED);
	}
	storm_os_close(h);
}

static uint64_t total_done(void)
{
	uint64_t sum = 0;
	int t;

	for (t = 0; t < storm.threads; t++)
		sum += __atomic_load_n(&storm.workers[t].done, __ATOMIC_RELAXED);
	return sum;
}

/* On its own thread: progress lines, and the end of the run on a hang. */
static void watch(void)
{
	uint64_t start = now_ms(), last_change = start, last = 0;
	uint64_t next_report = storm.requests / 10;

	while (!__atomic_load_n(&storm.finished, __ATOMIC_RELAXED)) {
		uint64_t now, done;

		platform_sleep_ms(200);
		now = now_ms();
		done = total_done();
		if (done != last) {
			last = done;
			last_change = now;
		}
		if (next_report && done >= next_report && done < storm.requests) {
			printf("# storm: %llu / %llu requests, %llu s\n",
			       (unsigned long long)done, (unsigned long long)storm.requests,
			       (unsigned long long)(now - start) / 1000);
			fflush(stdout);
			while (next_report <= done)
				next_report += storm.requests / 10;
		}
		if (now - last_change > HANG_MS) {
			printf("not ok - storm_no_hang\n#   no request finished for %d s "
			       "(seed %llu)\n", HANG_MS / 1000, (unsigned long long)storm.seed);
			print_last_requests();
			printf("# storm: 0 passed, 1 failed\n");
			fflush(stdout);
			_Exit(1);
		}
	}
}

static void run_thread(void *arg, int index)
{
	if (index == storm.threads)
		watch();
	else
		work(arg, index);
}

static void workers_then_stop(void *arg, int index)
{
	run_thread(arg, index);
	if (index != storm.threads && __atomic_add_fetch((int *)arg, 1, __ATOMIC_RELAXED) ==
	    storm.threads)
		__atomic_store_n(&storm.finished, 1, __ATOMIC_RELAXED);
}

static void print_tally(void)
{
	int errs[TALLY_SLOTS * MAX_THREADS];
	uint64_t counts[TALLY_SLOTS * MAX_THREADS];
	int n = 0, t, i, j;

	for (t = 0; t < storm.threads; t++)
		for (i = 0; i < TALLY_SLOTS; i++) {
			const struct worker *w = &storm.workers[t];

			if (!w->tally_count[i])
				continue;
			for (j = 0; j < n && errs[j] != w->tally_err[i]; j++)
				;
			if (j == n) {
				errs[n] = w->tally_err[i];
				counts[n++] = 0;
			}
			counts[j] += w->tally_count[i];
		}
	printf("# storm: answers:");
	for (j = 0; j < n; j++)
		printf(" %s %llu%s", storm_os_error_name(errs[j]),
		       (unsigned long long)counts[j], j + 1 < n ? "," : "\n");
}

/* ---- After the storm: every command answers right, nothing leaked ------ */

static void storm_driver_answers_after(void)
{
	struct spotless_handle *dev = NULL;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_info info;
	unsigned char data[4096], out[4096 + SPOTLESS_ECHO_TRAILER_LEN];
	struct spotless_batch_writer w;
	unsigned char in[256], answers[256];
	size_t len = 0, written = 0, i;
	uint32_t crc = 0;

	CHECK_EQ(spotless_open(&dev), 0);
	if (!dev)
		return;
	CHECK_EQ(spotless_send_message(dev, "after the storm", reply, &len), 0);
	CHECK(len == SPOTLESS_REPLY_LEN && !strcmp(reply, SPOTLESS_REPLY));
	CHECK_EQ(spotless_get_info(dev, &info), 0);
	CHECK_EQ(info.protocol_version, SPOTLESS_PROTOCOL_VERSION);
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7);
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_BUFFERED, data, sizeof(data), out,
			       sizeof(out), &crc), 0);
	CHECK(!memcmp(out, data, sizeof(data)) &&
	      crc == spotless_crc32c(data, sizeof(data)));
	spotless_batch_begin(&w, in, sizeof(in));
	spotless_batch_add(&w, IOCTL_SPOTLESS, "b", 1, 22);
	len = spotless_batch_end(&w);
	CHECK_EQ(spotless_batch(dev, in, len, answers, w.out_needed, &written), 0);
	CHECK_EQ(written, w.out_needed);
	spotless_close(dev);
}

static void storm_no_leaked_allocations(void)
{
	struct spotless_handle *dev = NULL;
	struct spotless_stats st;

	CHECK_EQ(spotless_open(&dev), 0);
	if (!dev)
		return;
	CHECK_EQ(spotless_get_stats(dev, &st), 0);
	printf("# storm: after it, %llu open handle(s), %llu outstanding allocation(s)\n",
	       (unsigned long long)st.open_handles,
	       (unsigned long long)st.outstanding_allocations);
	/* Ours is the only handle; its state the only allocation. */
	CHECK_EQ(st.open_handles, 1);
	CHECK_EQ(st.outstanding_allocations, 1);
	spotless_close(dev);
}

static void storm_every_open_succeeded(void)
{
	uint64_t failures = 0;
	int t;

	for (t = 0; t < storm.threads; t++)
		failures += storm.workers[t].open_failures;
	CHECK_EQ(failures, 0);
}

static int usage(void)
{
	fprintf(stderr, "usage: spotless_storm [--requests N] [--threads N (1-%d)] [--seed S]\n",
		MAX_THREADS);
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t start, ms, accepted = 0;
	int i, stopped = 0;

	storm.requests = 10000;
	storm.threads = 2;
	storm.seed = 1;
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--requests"))
			storm.requests = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--threads"))
			storm.threads = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--seed"))
			storm.seed = strtoull(argv[i + 1], NULL, 0);
		else
			return usage();
	}
	if (i != argc || storm.threads < 1 || storm.threads > MAX_THREADS || !storm.requests)
		return usage();
	if (storm_os_init()) {
		printf("not ok - storm_setup\n");
		return 1;
	}
	for (i = 0; i < storm.threads; i++)
		storm.workers[i].rng.state = (storm.seed + 1) * 0x9E3779B97F4A7C15ULL + (uint64_t)i;

	printf("# storm: %llu requests, %d threads, seed %llu\n",
	       (unsigned long long)storm.requests, storm.threads,
	       (unsigned long long)storm.seed);
	fflush(stdout);
	start = now_ms();
	if (platform_run_threads(storm.threads + 1, workers_then_stop, &stopped)) {
		fprintf(stderr, "storm: cannot start %d threads\n", storm.threads + 1);
		return 1;
	}
	ms = now_ms() - start;
	for (i = 0; i < storm.threads; i++)
		accepted += storm.workers[i].accepted;
	printf("# storm: %llu requests in %llu.%03llu s, %llu accepted, %llu refused\n",
	       (unsigned long long)total_done(), (unsigned long long)ms / 1000,
	       (unsigned long long)ms % 1000, (unsigned long long)accepted,
	       (unsigned long long)(total_done() - accepted));
	print_tally();

	printf("ok - storm_no_hang\n");
	check_passed++;
	RUN_TEST(storm_every_open_succeeded);
	RUN_TEST(storm_driver_answers_after);
	RUN_TEST(storm_no_leaked_allocations);
	if (check_failed)
		print_last_requests();
	return check_summary("storm");
}
