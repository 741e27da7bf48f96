// SPDX-License-Identifier: MIT
/*
 * Events: one ring per device, a read position per subscribed handle. See
 * spotless_events.h. The newest sequence number, a queue's next one and its
 * hub are stored atomically (relaxed): spotless_events_pending() reads them
 * without the glue's lock; everything else happens under it.
 */
#include "spotless_atomic.h"
#include "spotless_core_internal.h"
#include "spotless_events.h"

static uint64_t last_of(const struct spotless_event_hub *hub)
{
	return spotless_counter_read(&hub->last_sequence);
}

static uint64_t next_of(const struct spotless_event_queue *q)
{
	return spotless_counter_read(&q->next_sequence);
}

static void set_next(struct spotless_event_queue *q, uint64_t sequence)
{
	spotless_store_u64(&q->next_sequence, sequence);
}

static void set_hub(struct spotless_event_queue *q, const struct spotless_event_hub *hub)
{
	spotless_store_ptr(&q->hub, hub);
}

void spotless_events_init(struct spotless_event_hub *hub)
{
	memset(hub, 0, sizeof(*hub));
}

void spotless_event_queue_init(struct spotless_event_queue *q)
{
	set_hub(q, NULL);
	set_next(q, 0);
}

void spotless_events_subscribe(struct spotless_event_hub *hub,
			       struct spotless_event_queue *q)
{
	if (q->hub)
		return;
	set_next(q, last_of(hub) + 1);
	set_hub(q, hub);
	hub->subscribers++;
}

void spotless_events_unsubscribe(struct spotless_event_hub *hub,
				 struct spotless_event_queue *q)
{
	if (q->hub != hub)
		return;
	hub->subscribers--;
	set_hub(q, NULL);
	set_next(q, 0);
}

uint32_t spotless_events_publish(struct spotless_event_hub *hub, uint32_t kind,
				 uint64_t source_handle, uint64_t timestamp_ns,
				 const void *payload, uint32_t payload_len)
{
	uint64_t sequence = last_of(hub) + 1;
	struct spotless_event *ev = &hub->ring[sequence % SPOTLESS_EVENT_QUEUE_LEN];

	if (payload_len > SPOTLESS_EVENT_PAYLOAD_MAX)
		payload_len = SPOTLESS_EVENT_PAYLOAD_MAX;
	if (!payload)
		payload_len = 0;
	memset(ev, 0, sizeof(*ev));
	ev->sequence = sequence;
	ev->source_handle = source_handle;
	ev->timestamp_ns = timestamp_ns;
	ev->kind = kind;
	ev->payload_len = payload_len;
	if (payload_len)
		memcpy(ev->payload, payload, payload_len);
	spotless_store_u64(&hub->last_sequence, sequence);
	return hub->subscribers;
}

/* The oldest record the queue can still read: its own next one, or the
 * oldest the ring holds when it fell behind. 0 when there is none.
 */
static uint64_t oldest_readable(const struct spotless_event_queue *q)
{
	uint64_t last, next, oldest;

	if (!q->hub)
		return 0;
	last = last_of(q->hub);
	next = next_of(q);
	if (next > last)
		return 0;
	oldest = last >= SPOTLESS_EVENT_QUEUE_LEN ? last - SPOTLESS_EVENT_QUEUE_LEN + 1 : 1;
	return next > oldest ? next : oldest;
}

uint32_t spotless_events_queued(const struct spotless_event_queue *q)
{
	uint64_t from = oldest_readable(q);

	return from ? (uint32_t)(last_of(q->hub) - from + 1) : 0;
}

int spotless_events_pending(const struct spotless_event_queue *q)
{
	const struct spotless_event_hub *hub = spotless_load_ptr(&q->hub);

	return hub && next_of(q) <= last_of(hub);
}

int spotless_events_peek(const struct spotless_event_queue *q, struct spotless_event *ev)
{
	uint64_t from = oldest_readable(q), skipped;

	if (!from)
		return 0;
	memcpy(ev, &q->hub->ring[from % SPOTLESS_EVENT_QUEUE_LEN], sizeof(*ev));
	skipped = from - next_of(q);
	ev->lost = skipped > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)skipped;
	return 1;
}

void spotless_events_commit(struct spotless_event_queue *q, const struct spotless_event *ev)
{
	/* Delivered, even if the ring has since overwritten it. */
	if (q->hub && ev->sequence >= next_of(q))
		set_next(q, ev->sequence + 1);
}

int spotless_events_take(struct spotless_event_queue *q, struct spotless_event *ev)
{
	if (!spotless_events_peek(q, ev))
		return 0;
	spotless_events_commit(q, ev);
	return 1;
}
