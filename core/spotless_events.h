/* SPDX-License-Identifier: MIT */
/*
 * Events: one ring per device holding the last SPOTLESS_EVENT_QUEUE_LEN
 * records, and for each subscribed handle its queue: the sequence number of
 * the next record it reads. A publish writes one record whatever the number
 * of subscribers, so an idle subscriber costs a post nothing; a handle that
 * fell more than a ring behind is told how many records it lost.
 *
 * Plain data and no lock of its own: the glue holds one lock (a spinlock on
 * both kernels) around every call but spotless_events_pending(), which may
 * look without it, so that the sequence numbers follow one order.
 */
#ifndef SPOTLESS_EVENTS_H
#define SPOTLESS_EVENTS_H

#include "spotless/wire_types.h"
#include "spotless/wire.h"

struct spotless_event_hub {
	uint64_t last_sequence;		/* of the newest record; 0: none yet */
	uint32_t subscribers;		/* queues subscribed */
	struct spotless_event ring[SPOTLESS_EVENT_QUEUE_LEN];	/* record s at s % LEN */
};

/* A subscribed handle's queue: its place in the hub's ring. */
struct spotless_event_queue {
	const struct spotless_event_hub *hub;	/* NULL while not subscribed */
	uint64_t next_sequence;			/* the next record it reads */
};

void spotless_events_init(struct spotless_event_hub *hub);

/* An empty queue, not yet subscribed. */
void spotless_event_queue_init(struct spotless_event_queue *q);

/* Start / stop receiving; both may be repeated. A queue receives what is
 * published after it subscribed; unsubscribing drops what it had not read,
 * and the queue may be freed right after.
 */
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

/* Records the queue has not read (at most SPOTLESS_EVENT_QUEUE_LEN). */
uint32_t spotless_events_queued(const struct spotless_event_queue *q);

/* Whether a record waits for the queue: a wait condition, safe without the
 * glue's lock (the glue takes the lock before it reads the record).
 */
int spotless_events_pending(const struct spotless_event_queue *q);

/* Take the oldest record into *ev: 1, or 0 when the queue is empty. */
int spotless_events_take(struct spotless_event_queue *q, struct spotless_event *ev);

/*
 * The same in two steps, for a glue that must copy the record out (which may
 * fail, and may not be done under its lock) before it may drop it: peek
 * gives the oldest record as take would, without taking it; commit drops it
 * once delivered. Between the two, a publish may overwrite the peeked record
 * in the ring: it was delivered all the same, and the next record reports
 * only the records after it that were lost. One reader of a queue at a time
 * (the glue serialises them).
 */
int spotless_events_peek(const struct spotless_event_queue *q, struct spotless_event *ev);
void spotless_events_commit(struct spotless_event_queue *q, const struct spotless_event *ev);

#endif /* SPOTLESS_EVENTS_H */
