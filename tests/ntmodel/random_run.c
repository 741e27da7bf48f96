// SPDX-License-Identifier: MIT
/*
 * A seeded random run: threads open, close, wait, cancel, post, echo,
 * batch, stop and start at once, on shared handles, so that cancel races
 * completion, cleanup races POST, and a deferred unload meets new opens.
 * Each thread's choices follow its seed; the interleaving is the
 * scheduler's (and ThreadSanitizer's business in the TSan build).
 *
 * Checked: every answer that succeeded carries the right bytes, every wait
 * ends exactly once (event, cancelled, or refused), nothing hangs, and at
 * the end the driver unloads with nothing left and no rule broken.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib_backend.h"
#include "scenarios.h"

#define RW		(GENERIC_READ | GENERIC_WRITE)
#define SLOTS		8
#define WAITS		4

struct wait_slot {
	struct ntm_io io;
	struct spotless_event event;
	ntm_handle handle;
	int active;
};

struct runner {
	unsigned int seed;
	unsigned long steps;
	unsigned long done;
	int problems;
	struct wait_slot waits[WAITS];
	pthread_t thread;
};

static ntm_handle slots[SLOTS];

static unsigned int next_random(unsigned int *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

static ntm_handle any_handle(unsigned int *rng)
{
	return __atomic_load_n(&slots[next_random(rng) % SLOTS], __ATOMIC_ACQUIRE);
}

static void problem(struct runner *r, const char *what, NTSTATUS status)
{
	printf("#   seed %u step %lu: %s (0x%08x)\n", r->seed, r->done, what,
	       (unsigned int)status);
	r->problems++;
}

/* Statuses a request may meet in a run where handles come and go. */
static int expected_refusal(NTSTATUS s)
{
	return s == STATUS_INVALID_HANDLE || s == STATUS_CANCELLED;
}

static void op_open(struct runner *r, unsigned int *rng)
{
	unsigned int i = next_random(rng) % SLOTS;
	ntm_handle h = 0, empty = 0;
	NTSTATUS s = ntm_create_file(NTM_DEVICE_PATH, RW, NTM_TOKEN_ADMIN, &h);

	if (!NT_SUCCESS(s)) {
		/* Stopped (no link) or stopping (unload pending). */
		if (s != STATUS_OBJECT_NAME_NOT_FOUND && s != STATUS_NO_SUCH_DEVICE)
			problem(r, "open", s);
		return;
	}
	if (!__atomic_compare_exchange_n(&slots[i], &empty, h, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		ntm_close_handle(h);
}

static void op_close(unsigned int *rng)
{
	ntm_handle h = __atomic_exchange_n(&slots[next_random(rng) % SLOTS], 0,
					   __ATOMIC_ACQ_REL);

	if (h)
		ntm_close_handle(h);
}

/* A wait that ended: with one whole record, or cancelled, or refused. */
static void reap(struct runner *r, struct wait_slot *w)
{
	if (!w->active || !ntm_io_wait(&w->io, 0))
		return;
	if (NT_SUCCESS(w->io.status) && w->io.information != sizeof(w->event))
		problem(r, "wait answered a partial record", w->io.status);
	else if (!NT_SUCCESS(w->io.status) && !expected_refusal(w->io.status))
		problem(r, "wait", w->io.status);
	w->active = 0;
}

static void op_wait(struct runner *r, unsigned int *rng)
{
	struct wait_slot *w = &r->waits[next_random(rng) % WAITS];
	NTSTATUS s;

	reap(r, w);
	if (w->active || !(w->handle = any_handle(rng)))
		return;
	s = ntm_device_io_control(w->handle, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &w->event,
				  sizeof(w->event), &w->io);
	if (s == STATUS_PENDING || NT_SUCCESS(s))
		w->active = 1;
	if (NT_SUCCESS(s))
		reap(r, w);
	else if (s != STATUS_PENDING && !expected_refusal(s))
		problem(r, "wait", s);
}

static void op_cancel(struct runner *r, unsigned int *rng)
{
	struct wait_slot *w = &r->waits[next_random(rng) % WAITS];

	if (w->active)
		ntm_cancel_io(w->handle, &w->io);
	reap(r, w);
}

static void op_post(struct runner *r, unsigned int *rng)
{
	ntm_handle h = any_handle(rng);
	char text[8];
	struct ntm_io io;
	NTSTATUS s;

	if (!h)
		return;
	snprintf(text, sizeof(text), "p%u", next_random(rng) % 1000);
	s = ntm_device_io_control(h, IOCTL_SPOTLESS_POST, text, (ULONG)strlen(text), NULL, 0,
				  &io);
	if (!NT_SUCCESS(s) && !expected_refusal(s))
		problem(r, "post", s);
}

static void op_echo(struct runner *r, unsigned int *rng)
{
	static const enum spotless_echo_method methods[] = {
		SPOTLESS_ECHO_BUFFERED, SPOTLESS_ECHO_IN_DIRECT, SPOTLESS_ECHO_OUT_DIRECT,
		SPOTLESS_ECHO_NEITHER,
	};
	struct spotless_handle dev = { any_handle(rng) };
	size_t len = next_random(rng) % 9000, i;
	unsigned char *data = malloc(len + 1), *out = malloc(len + SPOTLESS_ECHO_TRAILER_LEN);
	enum spotless_echo_method m = methods[next_random(rng) % 4];
	uint32_t crc = 0;

	if (!data || !out)
		abort();
	for (i = 0; i < len; i++)
		data[i] = (unsigned char)next_random(rng);
	if (dev.handle) {
		spotless_err err = spotless_echo(&dev, m, data, len, out, len + SPOTLESS_ECHO_TRAILER_LEN, &crc);
		if (!err && (crc != spotless_crc32c(data, len) ||
			     (m != SPOTLESS_ECHO_IN_DIRECT && memcmp(out, data, len))))
			problem(r, "echo answered other bytes", 0);
		else if (err && err != NTM_ERROR_INVALID_HANDLE)
			problem(r, "echo", err);
	}
	free(data);
	free(out);
}

static void op_batch(struct runner *r, unsigned int *rng)
{
	struct spotless_handle dev = { any_handle(rng) };
	unsigned char in[512], out[1024];
	struct spotless_batch_writer w;
	struct spotless_batch_reader rd;
	struct spotless_batch_header header;
	struct spotless_batch_result result;
	const void *answer;
	size_t len, written = 0;
	spotless_err err;

	if (!dev.handle)
		return;
	spotless_batch_begin(&w, in, sizeof(in));
	spotless_batch_add(&w, IOCTL_SPOTLESS, "batch", 5, SPOTLESS_CLIENT_BUFFER_SIZE);
	spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(struct spotless_info));
	spotless_batch_add(&w, IOCTL_SPOTLESS_ECHO_BUFFERED, "abc", 3,
			   3 + SPOTLESS_ECHO_TRAILER_LEN);
	len = spotless_batch_end(&w);
	err = spotless_batch(&dev, in, len, out, sizeof(out), &written);
	if (err) {
		if (err != NTM_ERROR_INVALID_HANDLE)
			problem(r, "batch", err);
		return;
	}
	if (spotless_batch_read(&rd, out, written, &header) || header.count != 3 ||
	    header.failed != 0)
		problem(r, "batch answer", 0);
	while (spotless_batch_next(&rd, &result, &answer) == 1)
		if (result.status != SPOTLESS_STATUS_OK)
			problem(r, "batch record", (NTSTATUS)result.status);
}

static void op_stop_or_start(unsigned int *rng)
{
	if (next_random(rng) % 2)
		ntm_driver_stop();
	else if (ntm_driver_state() == NTM_DRIVER_STOPPED)
		ntm_driver_start(DriverEntry);
}

static void *run_thread(void *arg)
{
	struct runner *r = arg;
	unsigned int rng = r->seed, i;

	for (r->done = 0; r->done < r->steps; r->done++) {
		unsigned int op = next_random(&rng) % 100;

		if (op < 12)
			op_open(r, &rng);
		else if (op < 20)
			op_close(&rng);
		else if (op < 40)
			op_wait(r, &rng);
		else if (op < 52)
			op_cancel(r, &rng);
		else if (op < 67)
			op_post(r, &rng);
		else if (op < 85)
			op_echo(r, &rng);
		else if (op < 98)
			op_batch(r, &rng);
		else
			op_stop_or_start(&rng);
	}
	/* What this thread still waits for ends when its handle is closed. */
	for (i = 0; i < WAITS; i++)
		if (r->waits[i].active)
			ntm_cancel_io(r->waits[i].handle, &r->waits[i].io);
	return NULL;
}

int random_run(unsigned int seed, unsigned int threads, unsigned long steps_per_thread,
	       unsigned long *steps)
{
	struct runner *r = calloc(threads, sizeof(*r));
	unsigned int before = ntm_verifier_count(), t, i;
	int problems = 0;

	if (!r)
		abort();
	if (ntm_driver_state() == NTM_DRIVER_STOPPED)
		ntm_driver_start(DriverEntry);
	*steps = 0;
	for (t = 0; t < threads; t++) {
		r[t].seed = seed * 7919u + t;
		r[t].steps = steps_per_thread;
		pthread_create(&r[t].thread, NULL, run_thread, &r[t]);
	}
	for (t = 0; t < threads; t++)
		pthread_join(r[t].thread, NULL);
	for (i = 0; i < SLOTS; i++) {
		ntm_handle h = __atomic_exchange_n(&slots[i], 0, __ATOMIC_ACQ_REL);

		if (h)
			ntm_close_handle(h);
	}
	for (t = 0; t < threads; t++) {
		for (i = 0; i < WAITS; i++) {
			struct wait_slot *w = &r[t].waits[i];

			if (w->active && !ntm_io_wait(&w->io, 5000))
				problem(&r[t], "a wait never ended", 0);
			reap(&r[t], w);
		}
		problems += r[t].problems;
		*steps += r[t].done;
	}
	if (ntm_driver_stop() != NTM_DRIVER_STOPPED) {
		printf("#   seed %u: the driver did not unload at the end (%u file objects)\n",
		       seed, ntm_open_file_objects());
		problems++;
	}
	if (ntm_verifier_count() != before || ntm_pool_blocks()) {
		printf("#   seed %u: %u rules broken, %lu pool blocks left\n", seed,
		       ntm_verifier_count() - before, ntm_pool_blocks());
		problems++;
	}
	free(r);
	return problems;
}
