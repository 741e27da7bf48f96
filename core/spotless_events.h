/* SPDX-License-Identifier: MIT */
/*
 * Event queues: one per subscribed handle, fed by a device-wide hub. Plain
 * data and no lock of its own: the glue holds one lock (a spinlock on both
 * kernels) around every call, so that a publish reaches each subscriber's
 * queue at once and the sequence numbers follow one order.
 */
#ifndef SPOTLESS_EVENTS_H
#define SPOTLESS_EVENTS_H

#include "spotless/wire_types.h"
#include "spotless/wire.h"

struct spotless_event_queue {
	struct spotless_event_queue *next;	/* in the hub's subscribers */
	uint32_t head;				/* oldest record */
	uint32_t count;				/* records queued */
	uint32_t lost;				/* dropped since the last one taken */
	int subscribed;
	struct spotless_event ring[SPOTLESS_EVENT_QUEUE_LEN];
};

struct spotless_event_hub {
	struct spotless_event_queue *subscribers;
	uint64_t last_sequence;
};

void spotless_events_init(struct spotless_event_hub *hub);

/* An empty queue, not yet subscribed. */
void spotless_event_queue_init(struct spotless_event_queue *q);

/* Start / stop receiving; both may be repeated. Unsubscribing drops what
 * is queued, so that a queue can be freed right after. */
void spotless_events_subscribe(struct spotless_event_hub *hub,
			       struct spotless_event_queue *q);
void spotless_events_unsubscribe(struct spotless_event_hub *hub,
				 struct spotless_event_queue *q);

/*
 * One event to every subscriber: a new sequence number, the payload cut to
 * SPOTLESS_EVENT_PAYLOAD_MAX. Returns the number of queues it reached (the
 * glue wakes their waiters).
 */
uint32_t spotless_events_publish(struct spotless_event_hub *hub, uint32_t kind,
				 uint64_t source_handle, uint64_t timestamp_ns,
				 const void *payload, uint32_t payload_len);

/* Take the oldest record into *ev: 1, or 0 when the queue is empty. */
int spotless_events_take(struct spotless_event_queue *q, struct spotless_event *ev);

/*
 * The same in two steps, for a glue that must copy the record out (which may
 * fail, and may not be done under its lock) before it may drop it: peek
 * gives the oldest record as take would, without taking it; commit drops it
 * once delivered. Between the two, a publish may overflow the queue and drop
 * the peeked record itself: commit then only takes back the loss it counted.
 * One reader of a queue at a time (the glue serialises them).
 */
int spotless_events_peek(const struct spotless_event_queue *q, struct spotless_event *ev);
void spotless_events_commit(struct spotless_event_queue *q, const struct spotless_event *ev);

#endif /* SPOTLESS_EVENTS_H */
