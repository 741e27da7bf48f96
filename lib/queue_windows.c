// SPDX-License-Identifier: MIT
/*
 * The queue on Windows (os.h): an I/O completion port bound to the device
 * handle (opened for overlapped I/O by os_windows.c), one OVERLAPPED per
 * slot. submit issues each prepared command's DeviceIoControl; a command
 * the I/O manager or the driver fails at once posts no packet to the port,
 * so its completion is kept here and handed out by the next reap.
 * The library's own waited-for calls on the handle keep their completions
 * off the port (the low bit of their event: os_windows.c, control()).
 */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "os.h"

struct queue_slot {
	OVERLAPPED ov;		/* first: a packet's OVERLAPPED is its slot */
	uint32_t code;
	const void *in;
	void *out;
	DWORD in_len;
	DWORD out_len;
};

struct spotless_queue_os {
	HANDLE device;
	HANDLE port;
	unsigned int depth;
	unsigned int in_port;		/* sent, a packet to come */
	unsigned int prepared_count;
	unsigned int failed_count;
	unsigned int *prepared;		/* slots to send, in order */
	struct spotless_completion *failed;	/* refused at once */
	struct queue_slot *slots;
	OVERLAPPED_ENTRY *entries;
};

static void winq_free(struct spotless_queue_os *q)
{
	free(q->prepared);
	free(q->failed);
	free(q->slots);
	free(q->entries);
	free(q);
}

static spotless_err winq_open(struct spotless_handle *handle, unsigned int depth,
			      struct spotless_queue_os **out)
{
	struct spotless_queue_os *q = calloc(1, sizeof(*q));

	if (!q)
		return ERROR_NOT_ENOUGH_MEMORY;
	q->depth = depth;
	q->prepared = calloc(depth, sizeof(*q->prepared));
	q->failed = calloc(depth, sizeof(*q->failed));
	q->slots = calloc(depth, sizeof(*q->slots));
	q->entries = calloc(depth, sizeof(*q->entries));
	if (!q->prepared || !q->failed || !q->slots || !q->entries) {
		winq_free(q);
		return ERROR_NOT_ENOUGH_MEMORY;
	}
	q->device = (HANDLE)spotless_os.native_handle(handle);
	q->port = CreateIoCompletionPort(q->device, NULL, 0, 1);
	if (!q->port) {
		DWORD err = GetLastError();

		winq_free(q);
		return (spotless_err)err;
	}
	*out = q;
	return 0;
}

static spotless_err winq_prepare(struct spotless_queue_os *q, unsigned int slot,
				 uint32_t code, const void *in, size_t in_len,
				 void *out, size_t out_len)
{
	struct queue_slot *s = &q->slots[slot];

	s->code = code;
	s->in = in;
	s->in_len = (DWORD)in_len;
	s->out = out;
	s->out_len = (DWORD)out_len;
	q->prepared[q->prepared_count++] = slot;
	return 0;
}

static spotless_err winq_submit(struct spotless_queue_os *q, unsigned int *submitted)
{
	unsigned int i;

	for (i = 0; i < q->prepared_count; i++) {
		unsigned int slot = q->prepared[i];
		struct queue_slot *s = &q->slots[slot];
		DWORD err;

		memset(&s->ov, 0, sizeof(s->ov));
		if (DeviceIoControl(q->device, s->code, (void *)s->in, s->in_len, s->out,
				    s->out_len, NULL, &s->ov) ||
		    (err = GetLastError()) == ERROR_IO_PENDING) {
			q->in_port++;
			continue;
		}
		q->failed[q->failed_count++] = (struct spotless_completion){
			.user_data = slot, .err = (spotless_err)err,
		};
	}
	*submitted = q->prepared_count;
	q->prepared_count = 0;
	return 0;
}

/* A packet's completion: its slot, and the request's result. */
static void take_packet(struct spotless_queue_os *q, const OVERLAPPED_ENTRY *e,
			struct spotless_completion *c)
{
	struct queue_slot *s = (struct queue_slot *)e->lpOverlapped;
	DWORD bytes = 0;

	c->user_data = (uint64_t)(s - q->slots);
	c->err = GetOverlappedResult(q->device, &s->ov, &bytes, FALSE) ?
		 0 : (spotless_err)GetLastError();
	c->written = c->err ? 0 : bytes;
	q->in_port--;
}

/* Milliseconds left of a timeout (negative: INFINITE). */
static DWORD time_left(int timeout_ms, ULONGLONG start)
{
	ULONGLONG spent = GetTickCount64() - start;

	if (timeout_ms < 0)
		return INFINITE;
	return spent >= (ULONGLONG)timeout_ms ? 0 : (DWORD)(timeout_ms - spent);
}

static spotless_err winq_reap(struct spotless_queue_os *q, struct spotless_completion *done,
			      unsigned int max, unsigned int wait_for, int timeout_ms,
			      unsigned int *count)
{
	ULONGLONG start = GetTickCount64();

	while (*count < max && q->failed_count)
		done[(*count)++] = q->failed[--q->failed_count];
	while (*count < max && q->in_port) {
		ULONG n = 0, i;
		ULONG room = max - *count;

		if (room > q->in_port)
			room = q->in_port;
		/* Take what is there; wait only while fewer than wait_for. */
		if (!GetQueuedCompletionStatusEx(q->port, q->entries, room, &n,
						 *count < wait_for ?
						 time_left(timeout_ms, start) : 0, FALSE)) {
			DWORD err = GetLastError();

			if (err != WAIT_TIMEOUT)
				return (spotless_err)err;
			break;
		}
		for (i = 0; i < n; i++)
			take_packet(q, &q->entries[i], &done[(*count)++]);
	}
	return *count < wait_for ? SPOTLESS_E_TIMEOUT : 0;
}

static void winq_close(struct spotless_queue_os *q)
{
	OVERLAPPED_ENTRY e;
	ULONG n;
	unsigned int i;

	/* Cancel only this queue's requests, then wait for each packet: the
	 * OVERLAPPEDs are about to be freed. */
	for (i = 0; i < q->depth; i++)
		CancelIoEx(q->device, &q->slots[i].ov);
	while (q->in_port &&
	       GetQueuedCompletionStatusEx(q->port, &e, 1, &n, INFINITE, FALSE))
		q->in_port -= n;
	CloseHandle(q->port);
	winq_free(q);
}

const struct spotless_queue_backend spotless_os_queue = {
	.open = winq_open,
	.prepare = winq_prepare,
	.submit = winq_submit,
	.reap = winq_reap,
	.close = winq_close,
};
