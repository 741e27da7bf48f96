// SPDX-License-Identifier: MIT
/*
 * The queue of spotless.h, its portable part: the arguments checked, the
 * slots handed out and the callers' user_data kept. Each OS's ring or port
 * is its backend's (os.h: queue_linux.c, queue_windows.c), which sees slot
 * numbers only.
 */
#include <stdlib.h>

#include "os.h"

struct spotless_queue {
	struct spotless_queue_os *os;
	unsigned int depth;
	unsigned int free_count;	/* entries of free_slots in use */
	unsigned int *free_slots;
	uint64_t *user_data;		/* by slot */
};

static void queue_free(struct spotless_queue *q)
{
	free(q->free_slots);
	free(q->user_data);
	free(q);
}

spotless_err spotless_queue_create(struct spotless_handle *device, unsigned int depth,
				   struct spotless_queue **queue)
{
	struct spotless_queue *q;
	spotless_err err;
	unsigned int i;

	if (!queue)
		return spotless_os.invalid_argument;
	*queue = NULL;
	if (!device || !depth || depth > SPOTLESS_QUEUE_DEPTH_MAX)
		return spotless_os.invalid_argument;
	q = calloc(1, sizeof(*q));
	if (!q)
		return spotless_os.no_memory;
	q->depth = depth;
	q->free_slots = calloc(depth, sizeof(*q->free_slots));
	q->user_data = calloc(depth, sizeof(*q->user_data));
	if (!q->free_slots || !q->user_data) {
		queue_free(q);
		return spotless_os.no_memory;
	}
	/* Slot 0 is handed out first. */
	for (i = 0; i < depth; i++)
		q->free_slots[i] = depth - 1 - i;
	q->free_count = depth;
	err = spotless_os_queue.open(device, depth, &q->os);
	if (err) {
		queue_free(q);
		return err;
	}
	*queue = q;
	return 0;
}

spotless_err spotless_queue_command(struct spotless_queue *q, uint32_t code,
				    const void *in, size_t in_len, void *out, size_t out_len,
				    uint64_t user_data)
{
	unsigned int slot;
	spotless_err err;

	if (!q || in_len > UINT32_MAX || out_len > UINT32_MAX || (!in && in_len) ||
	    (!out && out_len))
		return spotless_os.invalid_argument;
	if (!q->free_count)
		return SPOTLESS_E_QUEUE_FULL;
	slot = q->free_slots[q->free_count - 1];
	err = spotless_os_queue.prepare(q->os, slot, code, in, in_len, out, out_len);
	if (err)
		return err;
	q->free_count--;
	q->user_data[slot] = user_data;
	return 0;
}

spotless_err spotless_queue_submit(struct spotless_queue *q, unsigned int *submitted)
{
	unsigned int ignored;

	if (!submitted)
		submitted = &ignored;
	*submitted = 0;
	if (!q)
		return spotless_os.invalid_argument;
	return spotless_os_queue.submit(q->os, submitted);
}

spotless_err spotless_queue_reap(struct spotless_queue *q,
				 struct spotless_completion *done, unsigned int max,
				 unsigned int wait_for, int timeout_ms, unsigned int *count)
{
	spotless_err err;
	unsigned int i;

	if (count)
		*count = 0;
	if (!q || !done || !count || !max || wait_for > max)
		return spotless_os.invalid_argument;
	err = spotless_os_queue.reap(q->os, done, max, wait_for, timeout_ms, count);
	for (i = 0; i < *count; i++) {
		unsigned int slot = (unsigned int)done[i].user_data;

		done[i].user_data = q->user_data[slot];
		q->free_slots[q->free_count++] = slot;
	}
	return err;
}

void spotless_queue_destroy(struct spotless_queue *q)
{
	if (!q)
		return;
	spotless_os_queue.close(q->os);
	queue_free(q);
}
