// SPDX-License-Identifier: MIT
/*
 * Event queues: a ring per subscriber that drops its oldest record when full
 * and tells the next reader how many went. See spotless_events.h.
 */
#include "spotless_core_internal.h"
#include "spotless_events.h"

void spotless_events_init(struct spotless_event_hub *hub)
{
	hub->subscribers = NULL;
	hub->last_sequence = 0;
}

void spotless_event_queue_init(struct spotless_event_queue *q)
{
	q->next = NULL;
	q->head = 0;
	q->count = 0;
	q->lost = 0;
	q->subscribed = 0;
}

void spotless_events_subscribe(struct spotless_event_hub *hub,
			       struct spotless_event_queue *q)
{
	if (q->subscribed)
		return;
	q->next = hub->subscribers;
	hub->subscribers = q;
	q->subscribed = 1;
}

void spotless_events_unsubscribe(struct spotless_event_hub *hub,
				 struct spotless_event_queue *q)
{
	struct spotless_event_queue **link = &hub->subscribers;

	if (!q->subscribed)
		return;
	while (*link && *link != q)
		link = &(*link)->next;
	if (*link)
		*link = q->next;
	q->next = NULL;
	q->subscribed = 0;
	q->head = 0;
	q->count = 0;
	q->lost = 0;
}

static void push(struct spotless_event_queue *q, const struct spotless_event *ev)
{
	struct spotless_event *slot;

	if (q->count == SPOTLESS_EVENT_QUEUE_LEN) {
		/* Full: the oldest goes, and the reader will be told. */
		q->head = (q->head + 1) % SPOTLESS_EVENT_QUEUE_LEN;
		q->count--;
		q->lost++;
	}
	slot = &q->ring[(q->head + q->count) % SPOTLESS_EVENT_QUEUE_LEN];
	memcpy(slot, ev, sizeof(*ev));
	q->count++;
}

uint32_t spotless_events_publish(struct spotless_event_hub *hub, uint32_t kind,
				 uint64_t source_handle, uint64_t timestamp_ns,
				 const void *payload, uint32_t payload_len)
{
	struct spotless_event ev;
	struct spotless_event_queue *q;
	uint32_t reached = 0;

	if (payload_len > SPOTLESS_EVENT_PAYLOAD_MAX)
		payload_len = SPOTLESS_EVENT_PAYLOAD_MAX;
	if (!payload)
		payload_len = 0;
	memset(&ev, 0, sizeof(ev));
	ev.sequence = ++hub->last_sequence;
	ev.source_handle = source_handle;
	ev.timestamp_ns = timestamp_ns;
	ev.kind = kind;
	ev.payload_len = payload_len;
	if (payload_len)
		memcpy(ev.payload, payload, payload_len);
	for (q = hub->subscribers; q; q = q->next) {
		push(q, &ev);
		reached++;
	}
	return reached;
}

int spotless_events_peek(const struct spotless_event_queue *q, struct spotless_event *ev)
{
	if (!q->count)
		return 0;
	memcpy(ev, &q->ring[q->head], sizeof(*ev));
	ev->lost = q->lost;
	return 1;
}

void spotless_events_commit(struct spotless_event_queue *q, const struct spotless_event *ev)
{
	/* The losses reported with it are no longer to report. */
	q->lost -= ev->lost;
	if (q->count && q->ring[q->head].sequence == ev->sequence) {
		q->head = (q->head + 1) % SPOTLESS_EVENT_QUEUE_LEN;
		q->count--;
	} else {
		/* An overflow dropped it after the peek and counted it lost;
		 * it was delivered after all. */
		q->lost--;
	}
}

int spotless_events_take(struct spotless_event_queue *q, struct spotless_event *ev)
{
	if (!spotless_events_peek(q, ev))
		return 0;
	spotless_events_commit(q, ev);
	return 1;
}
