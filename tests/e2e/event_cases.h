/* SPDX-License-Identifier: MIT */
/*
 * Event cases that read the same on both kernels, through libspotless only:
 * order, open and close events, timeouts, cancellation, overflow, refusals,
 * and no leak after many wait / cancel cycles. Included after
 * protocol_cases.h, which defines E_TOO_LARGE and E_INVALID.
 */
#ifndef SPOTLESS_EVENT_CASES_H
#define SPOTLESS_EVENT_CASES_H

#include <stdio.h>

/* A handle subscribed to events, with nothing queued. */
static struct spotless_handle *event_subscriber(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_event ev;

	/* The first wait subscribes; its own open came before, so none. */
	CHECK_EQ(spotless_wait_event(dev, 0, &ev), SPOTLESS_E_TIMEOUT);
	return dev;
}

static void check_event(struct spotless_handle *dev, uint32_t kind, uint64_t source,
			const char *payload)
{
	struct spotless_event ev;

	memset(&ev, 0xEE, sizeof(ev));
	CHECK_EQ(spotless_wait_event(dev, 5000, &ev), 0);
	CHECK_EQ(ev.kind, kind);
	CHECK_EQ(ev.source_handle, source);
	CHECK_EQ(ev.lost, 0);
	CHECK_EQ(ev.reserved, 0);
	CHECK_EQ(ev.payload_len, payload ? strlen(payload) : 0);
	if (payload)
		CHECK(!memcmp(ev.payload, payload, strlen(payload)));
}

static void test_events_posts_arrive_in_order(void)
{
	struct spotless_handle *w = event_subscriber(), *p = open_checked();
	uint64_t source = stats_of(p).handle_id, last = 0;
	struct spotless_event ev;
	char text[24];
	int i, bad = 0;

	check_event(w, SPOTLESS_EVENT_HANDLE_OPENED, source, NULL);
	for (i = 0; i < 20; i++) {
		snprintf(text, sizeof(text), "post %d", i);
		CHECK_EQ(spotless_post(p, text, strlen(text)), 0);
	}
	for (i = 0; i < 20; i++) {
		snprintf(text, sizeof(text), "post %d", i);
		bad |= spotless_wait_event(w, 5000, &ev) != 0;
		bad |= ev.kind != SPOTLESS_EVENT_POSTED || ev.source_handle != source;
		bad |= ev.payload_len != strlen(text) || memcmp(ev.payload, text, ev.payload_len);
		bad |= ev.sequence <= last || ev.lost != 0;
		last = ev.sequence;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(spotless_wait_event(w, 0, &ev), SPOTLESS_E_TIMEOUT);	/* none twice */
	/* Taken records are counted as WAIT_EVENT requests, posts as POST. */
	CHECK_EQ(stats_of(w).handle.requests[SPOTLESS_STAT_WAIT_EVENT], 21);
	CHECK_EQ(stats_of(p).handle.requests[SPOTLESS_STAT_POST], 20);
	spotless_close(p);
	spotless_close(w);
	check_no_leak();
}

static void test_events_open_and_close(void)
{
	struct spotless_handle *w = event_subscriber(), *other = open_checked();
	uint64_t id = stats_of(other).handle_id;

	spotless_close(other);
	check_event(w, SPOTLESS_EVENT_HANDLE_OPENED, id, NULL);
	check_event(w, SPOTLESS_EVENT_HANDLE_CLOSED, id, NULL);
	spotless_close(w);
}

/* A wait that times out takes nothing: the next event still arrives. */
static void test_events_wait_times_out_then_delivers(void)
{
	struct spotless_handle *w = event_subscriber(), *p;
	struct spotless_event ev;

	CHECK_EQ(spotless_wait_event(w, 100, &ev), SPOTLESS_E_TIMEOUT);
	CHECK_EQ(spotless_wait_event(w, 100, &ev), SPOTLESS_E_TIMEOUT);
	p = open_checked();
	CHECK_EQ(spotless_post(p, "late", 4), 0);
	check_event(w, SPOTLESS_EVENT_HANDLE_OPENED, stats_of(p).handle_id, NULL);
	check_event(w, SPOTLESS_EVENT_POSTED, stats_of(p).handle_id, "late");
	spotless_close(p);
	spotless_close(w);
	check_no_leak();
}

/* The two-step wait: pending, cancelled; and an event that beats a cancel. */
static void test_events_wait_in_two_steps(void)
{
	struct spotless_handle *w = event_subscriber(), *p = open_checked();
	struct spotless_event_wait *wait = NULL;
	struct spotless_event ev;

	check_event(w, SPOTLESS_EVENT_HANDLE_OPENED, stats_of(p).handle_id, NULL);

	CHECK_EQ(spotless_event_wait_start(w, &wait), 0);
	CHECK_EQ(spotless_event_wait_finish(wait, 0, &ev), SPOTLESS_E_TIMEOUT);
	CHECK_EQ(spotless_event_wait_finish(wait, 50, &ev), SPOTLESS_E_TIMEOUT);
	CHECK_EQ(spotless_event_wait_cancel(wait), 0);
	CHECK_EQ(spotless_event_wait_finish(wait, 5000, &ev), SPOTLESS_E_CANCELLED);
	CHECK_EQ(spotless_event_wait_finish(wait, 0, &ev), SPOTLESS_E_CANCELLED);
	spotless_event_wait_free(wait);

	CHECK_EQ(spotless_event_wait_start(w, &wait), 0);
	CHECK_EQ(spotless_post(p, "first", 5), 0);
	CHECK_EQ(spotless_event_wait_cancel(wait), 0);
	memset(&ev, 0, sizeof(ev));
	CHECK_EQ(spotless_event_wait_finish(wait, 5000, &ev), 0);
	CHECK_EQ(ev.payload_len, 5);
	CHECK(!memcmp(ev.payload, "first", 5));
	spotless_event_wait_free(wait);

	/* Freed while pending: cancelled, nothing taken. */
	CHECK_EQ(spotless_event_wait_start(w, &wait), 0);
	spotless_event_wait_free(wait);
	CHECK_EQ(spotless_post(p, "second", 6), 0);
	check_event(w, SPOTLESS_EVENT_POSTED, stats_of(p).handle_id, "second");

	CHECK_EQ(spotless_event_wait_start(NULL, &wait), E_INVALID);
	CHECK_EQ(spotless_event_wait_finish(NULL, 0, &ev), E_INVALID);
	spotless_close(p);
	spotless_close(w);
	check_no_leak();
}

static void test_events_overflow_reports_loss(void)
{
	struct spotless_handle *w = event_subscriber(), *p = open_checked();
	struct spotless_event ev;
	unsigned int i, n = 1, bad = 0;

	check_event(w, SPOTLESS_EVENT_HANDLE_OPENED, stats_of(p).handle_id, NULL);
	for (i = 0; i < SPOTLESS_EVENT_QUEUE_LEN + 6; i++)
		bad |= spotless_post(p, "flood", 5) != 0;
	CHECK_EQ(bad, 0);
	CHECK_EQ(spotless_wait_event(w, 5000, &ev), 0);
	CHECK_EQ(ev.lost, 6);
	while (spotless_wait_event(w, 0, &ev) == 0) {
		bad |= ev.lost != 0;
		n++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(n, SPOTLESS_EVENT_QUEUE_LEN);
	spotless_close(p);
	spotless_close(w);
	check_no_leak();
}

static void test_events_bad_posts_refused(void)
{
	struct spotless_handle *w = event_subscriber(), *p = open_checked();
	char big[SPOTLESS_EVENT_PAYLOAD_MAX + 2];
	struct spotless_stats st;

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	check_event(w, SPOTLESS_EVENT_HANDLE_OPENED, stats_of(p).handle_id, NULL);
	CHECK_EQ(spotless_post(p, "", 0), E_INVALID);
	CHECK_EQ(spotless_post(p, NULL, 0), E_INVALID);
	CHECK_EQ(spotless_post(p, big, sizeof(big) - 1), E_TOO_LARGE);
	CHECK_EQ(spotless_post(NULL, "x", 1), E_INVALID);
	st = stats_of(p);
	CHECK_EQ(st.handle.requests[SPOTLESS_STAT_POST], 3);
	CHECK_EQ(st.handle.errors[SPOTLESS_STATUS_EMPTY_INPUT], 2);
	CHECK_EQ(st.handle.errors[SPOTLESS_STATUS_INPUT_TOO_LARGE], 1);
	/* Nothing was published; the next good post is the next event. */
	big[SPOTLESS_EVENT_PAYLOAD_MAX] = '\0';
	CHECK_EQ(spotless_post(p, big, SPOTLESS_EVENT_PAYLOAD_MAX), 0);
	check_event(w, SPOTLESS_EVENT_POSTED, stats_of(p).handle_id, big);
	spotless_close(p);
	spotless_close(w);
	check_no_leak();
	CHECK(exchange_ok());
}

/* Wait, cancel, close: 1000 times, and every allocation is returned. */
static void test_events_1000_wait_cancel_cycles(void)
{
	struct spotless_event_wait *wait;
	struct spotless_handle *dev;
	struct spotless_event ev;
	int i, failures = 0;

	for (i = 0; i < 1000; i++) {
		if (spotless_open(&dev)) {
			failures++;
			continue;
		}
		if (spotless_event_wait_start(dev, &wait)) {
			failures++;
		} else {
			failures += spotless_event_wait_cancel(wait) != 0;
			failures += spotless_event_wait_finish(wait, 5000, &ev) !=
				    SPOTLESS_E_CANCELLED;
			spotless_event_wait_free(wait);
		}
		spotless_close(dev);
	}
	CHECK_EQ(failures, 0);
	check_no_leak();
	CHECK(exchange_ok());
}

#define RUN_EVENT_CASES() \
	do { \
		RUN_TEST(test_events_posts_arrive_in_order); \
		RUN_TEST(test_events_open_and_close); \
		RUN_TEST(test_events_wait_times_out_then_delivers); \
		RUN_TEST(test_events_wait_in_two_steps); \
		RUN_TEST(test_events_overflow_reports_loss); \
		RUN_TEST(test_events_bad_posts_refused); \
		RUN_TEST(test_events_1000_wait_cancel_cycles); \
	} while (0)

#endif /* SPOTLESS_EVENT_CASES_H */
