// SPDX-License-Identifier: MIT
/*
 * Unit tests of the event queues (core/spotless_events.c), under ASan and
 * UBSan: order, sequence numbers, several subscribers, overflow with the
 * exact count of records lost, unsubscribing.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "counted.h"
#include "spotless_core.h"
#include "spotless_events.h"

static struct spotless_event_hub hub;

/* Returns the number of queues the record reached. */
static uint32_t publish_text(const char *text, uint64_t source)
{
	return spotless_events_publish(&hub, SPOTLESS_EVENT_POSTED, source, 1000 + source,
				       text, (uint32_t)strlen(text));
}

static void test_events_arrive_in_order_once(void)
{
	struct spotless_event_queue *q = malloc(sizeof(*q));
	struct spotless_event ev;

	spotless_events_init(&hub);
	spotless_event_queue_init(q);
	publish_text("before", 1);		/* not subscribed yet: not seen */
	spotless_events_subscribe(&hub, q);
	spotless_events_subscribe(&hub, q);	/* twice is once */
	publish_text("one", 7);
	publish_text("two", 8);
	CHECK_EQ(spotless_events_take(q, &ev), 1);
	CHECK_EQ(ev.sequence, 2);
	CHECK_EQ(ev.kind, SPOTLESS_EVENT_POSTED);
	CHECK_EQ(ev.source_handle, 7);
	CHECK_EQ(ev.timestamp_ns, 1007);
	CHECK_EQ(ev.payload_len, 3);
	CHECK(!memcmp(ev.payload, "one", 3));
	CHECK_EQ(ev.lost, 0);
	CHECK_EQ(ev.reserved, 0);
	CHECK_EQ(spotless_events_take(q, &ev), 1);
	CHECK_EQ(ev.sequence, 3);
	CHECK(!memcmp(ev.payload, "two", 3));
	CHECK_EQ(spotless_events_take(q, &ev), 0);	/* no event twice */
	spotless_events_unsubscribe(&hub, q);
	free(q);
}

static void test_every_subscriber_gets_every_event(void)
{
	struct spotless_event_queue *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct spotless_event ev;

	spotless_events_init(&hub);
	spotless_event_queue_init(a);
	spotless_event_queue_init(b);
	spotless_events_subscribe(&hub, a);
	spotless_events_subscribe(&hub, b);
	CHECK_EQ(spotless_events_publish(&hub, SPOTLESS_EVENT_HANDLE_OPENED, 3, 0, NULL, 5), 2);
	CHECK_EQ(spotless_events_take(a, &ev), 1);
	CHECK_EQ(ev.kind, SPOTLESS_EVENT_HANDLE_OPENED);
	CHECK_EQ(ev.payload_len, 0);		/* no payload without a pointer */
	CHECK_EQ(spotless_events_take(b, &ev), 1);
	CHECK_EQ(ev.sequence, 1);
	spotless_events_unsubscribe(&hub, a);
	CHECK_EQ(spotless_events_publish(&hub, SPOTLESS_EVENT_HANDLE_CLOSED, 3, 0, NULL, 0), 1);
	CHECK_EQ(spotless_events_take(a, &ev), 0);
	CHECK_EQ(spotless_events_take(b, &ev), 1);
	CHECK_EQ(ev.sequence, 2);
	spotless_events_unsubscribe(&hub, b);
	spotless_events_unsubscribe(&hub, b);	/* twice is once */
	CHECK_EQ(hub.subscribers, 0);
	free(a);
	free(b);
}

/* Full queue: the oldest go, and the next record taken says how many. */
static void test_overflow_reports_exact_loss(void)
{
	struct spotless_event_queue *q = malloc(sizeof(*q));
	struct spotless_event ev;
	unsigned int i, extra = 10;

	spotless_events_init(&hub);
	spotless_event_queue_init(q);
	spotless_events_subscribe(&hub, q);
	for (i = 0; i < SPOTLESS_EVENT_QUEUE_LEN + extra; i++)
		publish_text("x", i);
	CHECK_EQ(spotless_events_take(q, &ev), 1);
	CHECK_EQ(ev.lost, extra);
	CHECK_EQ(ev.sequence, extra + 1);	/* the oldest kept */
	for (i = 1; i < SPOTLESS_EVENT_QUEUE_LEN; i++) {
		CHECK_EQ(spotless_events_take(q, &ev), 1);
		CHECK_EQ(ev.lost, 0);
		CHECK_EQ(ev.sequence, extra + 1 + i);
	}
	CHECK_EQ(spotless_events_take(q, &ev), 0);
	/* After a drain, losses count afresh. */
	for (i = 0; i < SPOTLESS_EVENT_QUEUE_LEN + 1; i++)
		publish_text("y", i);
	CHECK_EQ(spotless_events_take(q, &ev), 1);
	CHECK_EQ(ev.lost, 1);
	spotless_events_unsubscribe(&hub, q);
	free(q);
}

/* A peeked record stays until committed: a failed copy-out loses nothing. */
static void test_peek_then_commit(void)
{
	struct spotless_event_queue *q = malloc(sizeof(*q));
	struct spotless_event ev, again;

	spotless_events_init(&hub);
	spotless_event_queue_init(q);
	spotless_events_subscribe(&hub, q);
	publish_text("one", 1);
	publish_text("two", 2);
	CHECK_EQ(spotless_events_peek(q, &ev), 1);
	CHECK_EQ(spotless_events_peek(q, &again), 1);
	CHECK_EQ(again.sequence, ev.sequence);
	CHECK_EQ(spotless_events_queued(q), 2);
	spotless_events_commit(q, &ev);
	CHECK_EQ(spotless_events_take(q, &ev), 1);
	CHECK(!memcmp(ev.payload, "two", 3));
	CHECK_EQ(spotless_events_peek(q, &ev), 0);
	spotless_events_unsubscribe(&hub, q);
	free(q);
}

/*
 * An overflow between peek and commit drops the peeked record and counts it
 * lost; it was delivered, so the next record reports only the others.
 */
static void test_overflow_between_peek_and_commit(void)
{
	struct spotless_event_queue *q = malloc(sizeof(*q));
	struct spotless_event ev, next;
	unsigned int i;

	spotless_events_init(&hub);
	spotless_event_queue_init(q);
	spotless_events_subscribe(&hub, q);
	for (i = 0; i < SPOTLESS_EVENT_QUEUE_LEN; i++)
		publish_text("fill", i);
	CHECK_EQ(spotless_events_peek(q, &ev), 1);
	CHECK_EQ(ev.lost, 0);
	publish_text("three more", 100);	/* drops the peeked record... */
	publish_text("three more", 101);	/* ...and two after it */
	publish_text("three more", 102);
	spotless_events_commit(q, &ev);
	CHECK_EQ(spotless_events_take(q, &next), 1);
	CHECK_EQ(next.sequence, ev.sequence + 3);
	CHECK_EQ(next.lost, 2);
	spotless_events_unsubscribe(&hub, q);
	free(q);
}

/*
 * A post writes one record whatever the number of subscribers: 256 queues
 * each read it; one that subscribes afterwards reads only what follows.
 */
static void test_one_record_for_every_subscriber(void)
{
	struct spotless_event_queue *q = calloc(257, sizeof(*q));
	struct spotless_event ev;
	int i, bad = 0;

	CHECK(q != NULL);
	if (!q)
		return;
	spotless_events_init(&hub);
	for (i = 0; i < 256; i++) {
		spotless_event_queue_init(&q[i]);
		spotless_events_subscribe(&hub, &q[i]);
	}
	CHECK_EQ(publish_text("to all", 1), 256);
	spotless_event_queue_init(&q[256]);
	spotless_events_subscribe(&hub, &q[256]);
	CHECK(!spotless_events_pending(&q[256]));
	for (i = 0; i < 256; i++)
		bad += !spotless_events_pending(&q[i]) || !spotless_events_take(&q[i], &ev) ||
		       ev.sequence != 1 || ev.lost != 0 || spotless_events_pending(&q[i]);
	CHECK_EQ(bad, 0);
	CHECK_EQ(publish_text("later", 2), 257);
	CHECK_EQ(spotless_events_take(&q[256], &ev), 1);
	CHECK_EQ(ev.sequence, 2);
	for (i = 0; i < 257; i++)
		spotless_events_unsubscribe(&hub, &q[i]);
	CHECK_EQ(hub.subscribers, 0);
	free(q);
}

static void test_payload_cut_to_its_limit(void)
{
	struct spotless_event_queue *q = malloc(sizeof(*q));
	unsigned char big[SPOTLESS_EVENT_PAYLOAD_MAX + 20];
	struct spotless_event ev;

	memset(big, 'p', sizeof(big));
	spotless_events_init(&hub);
	spotless_event_queue_init(q);
	spotless_events_subscribe(&hub, q);
	spotless_events_publish(&hub, SPOTLESS_EVENT_POSTED, 1, 0, big, sizeof(big));
	CHECK_EQ(spotless_events_take(q, &ev), 1);
	CHECK_EQ(ev.payload_len, SPOTLESS_EVENT_PAYLOAD_MAX);
	spotless_events_unsubscribe(&hub, q);
	free(q);
}

/* POST through the core: checked, published, counted. */
static void test_core_post(void)
{
	struct spotless_device_state dev;
	struct spotless_handle_state rw, ro;
	struct spotless_event_queue *q = malloc(sizeof(*q));
	unsigned char big[SPOTLESS_EVENT_PAYLOAD_MAX + 1] = { 0 };
	struct spotless_event ev;
	uint32_t reached = 9;

	spotless_core_device_init(&dev, SPOTLESS_OS_LINUX);
	spotless_core_handle_opened(&dev, &rw, SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS);
	spotless_core_handle_opened(&dev, &ro, SPOTLESS_FILE_READ_ACCESS);
	spotless_event_queue_init(q);
	spotless_events_subscribe(&dev.events, q);
	CHECK_EQ(spotless_core_post(&dev, &rw, "hello", 5, 42, &reached), SPOTLESS_OK);
	CHECK_EQ(reached, 1);
	CHECK_EQ(spotless_core_post(&dev, &ro, "hello", 5, 42, &reached),
		 SPOTLESS_ERR_ACCESS_DENIED);
	CHECK_EQ(reached, 0);
	CHECK_EQ(spotless_core_post(&dev, &rw, "", 0, 42, &reached), SPOTLESS_ERR_EMPTY_INPUT);
	CHECK_EQ(spotless_core_post(&dev, &rw, big, sizeof(big), 42, &reached),
		 SPOTLESS_ERR_INPUT_TOO_LARGE);
	CHECK_EQ(spotless_events_take(q, &ev), 1);
	CHECK_EQ(ev.source_handle, rw.id);
	CHECK_EQ(ev.timestamp_ns, 42);
	CHECK(!memcmp(ev.payload, "hello", 5));
	CHECK_EQ(spotless_events_take(q, &ev), 0);	/* refused ones never queued */
	CHECK_EQ(counted(&dev).requests[SPOTLESS_STAT_POST], 4);
	CHECK_EQ(counted(&dev).errors[SPOTLESS_STATUS_ACCESS_DENIED], 1);
	CHECK_EQ(counted(&dev).errors[SPOTLESS_STATUS_EMPTY_INPUT], 1);
	CHECK_EQ(counted(&dev).errors[SPOTLESS_STATUS_INPUT_TOO_LARGE], 1);
	CHECK_EQ(counted(&dev).bytes_in, 5);
	spotless_events_unsubscribe(&dev.events, q);
	free(q);
}

/* Through the request path the event codes are unknown, whatever the
 * handle's access (the glue answers them before the core): found by the
 * fuzzer. */
static void test_event_codes_unknown_to_requests(void)
{
	static const uint32_t codes[] = { IOCTL_SPOTLESS_POST, IOCTL_SPOTLESS_WAIT_EVENT };
	struct spotless_device_state dev;
	struct spotless_handle_state h;
	struct spotless_result res;
	unsigned char out[sizeof(struct spotless_event)];
	uint32_t access;
	size_t i;

	spotless_core_device_init(&dev, SPOTLESS_OS_WINDOWS);
	for (access = 0; access < 4; access++) {
		spotless_core_handle_opened(&dev, &h, access);
		for (i = 0; i < 2; i++) {
			struct spotless_request req = {
				.code = codes[i], .in = "x", .in_len = 1,
				.out = out, .out_len = sizeof(out),
			};

			spotless_core_handle(&dev, &h, &req, &res);
			CHECK_EQ(res.status, SPOTLESS_ERR_UNKNOWN_CODE);
			CHECK_EQ(res.information, 0);
		}
	}
}

/* What the glue asks before a WAIT_EVENT: the code's access bits. */
static void test_core_allows_by_access(void)
{
	struct spotless_device_state dev;
	struct spotless_handle_state none, ro, wo, rw;

	spotless_core_device_init(&dev, SPOTLESS_OS_WINDOWS);
	spotless_core_handle_opened(&dev, &none, 0);
	spotless_core_handle_opened(&dev, &ro, SPOTLESS_FILE_READ_ACCESS);
	spotless_core_handle_opened(&dev, &wo, SPOTLESS_FILE_WRITE_ACCESS);
	spotless_core_handle_opened(&dev, &rw, SPOTLESS_FILE_READ_ACCESS |
					       SPOTLESS_FILE_WRITE_ACCESS);
	CHECK(!spotless_core_allows(&none, IOCTL_SPOTLESS_WAIT_EVENT));
	CHECK(spotless_core_allows(&ro, IOCTL_SPOTLESS_WAIT_EVENT));
	CHECK(!spotless_core_allows(&wo, IOCTL_SPOTLESS_WAIT_EVENT));
	CHECK(spotless_core_allows(&rw, IOCTL_SPOTLESS_WAIT_EVENT));
	CHECK(!spotless_core_allows(&ro, IOCTL_SPOTLESS_POST));
	CHECK(spotless_core_allows(&wo, IOCTL_SPOTLESS_POST));
	CHECK(spotless_core_allows(&none, IOCTL_SPOTLESS_INFO));	/* any access */
	CHECK(!spotless_core_allows(&ro, IOCTL_SPOTLESS_BATCH));
}

int main(void)
{
	RUN_TEST(test_events_arrive_in_order_once);
	RUN_TEST(test_every_subscriber_gets_every_event);
	RUN_TEST(test_overflow_reports_exact_loss);
	RUN_TEST(test_peek_then_commit);
	RUN_TEST(test_overflow_between_peek_and_commit);
	RUN_TEST(test_one_record_for_every_subscriber);
	RUN_TEST(test_payload_cut_to_its_limit);
	RUN_TEST(test_core_post);
	RUN_TEST(test_event_codes_unknown_to_requests);
	RUN_TEST(test_core_allows_by_access);
	return check_summary("event queue unit tests");
}
