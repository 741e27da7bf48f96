/* SPDX-License-Identifier: MIT */
/*
 * The library's queue (spotless_queue_*): commands in flight, completions
 * reaped later. The same cases on every platform that has it: the Linux
 * module's end-to-end program (io_uring, 64- and 32-bit) and the Windows
 * driver's (an I/O completion port, under Wine here). Included after
 * general_call_cases.h, with QUEUE_SLEEP_MS(ms) and the two errors of a
 * kernel without the queue (QUEUE_UNAVAILABLE_1, _2) defined;
 * run_queue_cases() runs them.
 */
#ifndef SPOTLESS_QUEUE_CASES_H
#define SPOTLESS_QUEUE_CASES_H

#include "general_call_cases.h"

#define QUEUE_WAIT_MS	10000

/*
 * Wait up to 10 s for the driver to see every other handle closed: a dead
 * process's io_uring ring ends in a kernel worker after the exit, and under
 * Wine the wineserver passes a closed handle's IRP_MJ_CLOSE to the driver
 * after CloseHandle has returned. Then check_no_leak() can count.
 */
static void wait_for_other_handles_closed(void)
{
	int i;

	for (i = 0; i < 1000; i++) {
		struct spotless_handle *dev = open_checked();
		uint64_t open_handles = stats_of(dev).open_handles;

		spotless_close(dev);
		if (open_handles <= 1)
			return;
		QUEUE_SLEEP_MS(10);
	}
}

/* Reap exactly n completions, filed by user_data (0 to n - 1). */
static void reap_all(struct spotless_queue *q, struct spotless_completion *by_id, unsigned int n)
{
	struct spotless_completion done[16];
	unsigned int got = 0, count, i;

	memset(by_id, 0xEE, n * sizeof(*by_id));
	while (got < n) {
		unsigned int want = n - got < 16 ? n - got : 16;
		spotless_err err = spotless_queue_reap(q, done, 16, want, QUEUE_WAIT_MS, &count);

		CHECK_EQ(err, 0);
		for (i = 0; i < count; i++) {
			CHECK(done[i].user_data < n);
			if (done[i].user_data < n)
				by_id[done[i].user_data] = done[i];
		}
		got += count;
		if (err || !count)
			break;
	}
	CHECK_EQ(got, n);
}

/* Every command that completes at once, through one submit: the same
 * answers as the call without the queue. */
static void test_queue_every_command(void)
{
	enum { Q_INFO, Q_STATS, Q_ECHO, Q_MESSAGE, Q_BATCH, Q_POST, Q_COUNT };
	struct spotless_handle *dev = open_checked();
	struct spotless_queue *q = NULL;
	struct spotless_completion c[Q_COUNT];
	struct spotless_info info, queued_info;
	struct spotless_stats stats;
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header header;
	struct spotless_batch_result result;
	const void *answer;
	struct spotless_handle *sync = open_checked();
	struct spotless_stats sync_stats;
	size_t written;
	unsigned char *data = random_bytes(100, 11);
	unsigned char echo_out[100 + TRAILER_ROOM], queued_batch[256], queued_answers[512];
	char msg[SPOTLESS_CLIENT_BUFFER_SIZE] = "hello through the queue";
	char reply[128];
	struct spotless_echo_trailer t;
	unsigned int submitted = 0;
	size_t batch_len;

	CHECK_EQ(spotless_get_info(dev, &info), 0);
	CHECK_EQ(spotless_queue_create(dev, 8, &q), 0);
	if (!q) {
		spotless_close(sync);
		spotless_close(dev);
		free(data);
		return;
	}
	spotless_batch_begin(&w, queued_batch, sizeof(queued_batch));
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(info)), 0);
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_ECHO_BUFFERED, data, 16,
				    16 + TRAILER_ROOM), 0);
	batch_len = spotless_batch_end(&w);

	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_INFO, NULL, 0, &queued_info,
					sizeof(queued_info), Q_INFO), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_STATS, NULL, 0, &stats,
					sizeof(stats), Q_STATS), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_ECHO_BUFFERED, data, 100, echo_out,
					sizeof(echo_out), Q_ECHO), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS, msg, sizeof(msg), reply,
					sizeof(reply), Q_MESSAGE), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_BATCH, queued_batch, batch_len, queued_answers,
					sizeof(queued_answers), Q_BATCH), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_POST, "queued", 6, NULL, 0, Q_POST), 0);
	CHECK_EQ(spotless_queue_submit(q, &submitted), 0);
	CHECK_EQ(submitted, Q_COUNT);
	reap_all(q, c, Q_COUNT);

	CHECK_EQ(c[Q_INFO].err, 0);
	CHECK_EQ(c[Q_INFO].written, sizeof(info));
	CHECK(!memcmp(&info, &queued_info, sizeof(info)));
	CHECK_EQ(c[Q_STATS].err, 0);
	CHECK_EQ(c[Q_STATS].written, sizeof(stats));
	CHECK_EQ(stats.size, sizeof(stats));
	CHECK_EQ(c[Q_ECHO].err, 0);
	CHECK_EQ(c[Q_ECHO].written, 100 + TRAILER_ROOM);
	CHECK(!memcmp(echo_out, data, 100));
	memcpy(&t, echo_out + 100, sizeof(t));
	CHECK_EQ(t.length, 100);
	CHECK_EQ(t.crc32c, crc32c_reference(data, 100));
	CHECK_EQ(c[Q_MESSAGE].err, 0);
	CHECK_EQ(c[Q_MESSAGE].written, SPOTLESS_REPLY_LEN);
	CHECK(!memcmp(reply, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN));
	CHECK_EQ(c[Q_BATCH].err, 0);
	CHECK_EQ(spotless_batch_read(&r, queued_answers, c[Q_BATCH].written, &header), 0);
	CHECK_EQ(header.count, 2);
	CHECK_EQ(header.failed, 0);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_OK);
	CHECK_EQ(result.information, sizeof(info));
	CHECK(!memcmp(answer, &info, sizeof(info)));
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_OK);
	CHECK_EQ(result.information, 16 + TRAILER_ROOM);
	CHECK(!memcmp(answer, data, 16));
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 0);
	CHECK_EQ(c[Q_POST].err, 0);
	CHECK_EQ(c[Q_POST].written, 0);

	/* Counted as the same calls without the queue are, on another handle. */
	CHECK_EQ(spotless_get_info(sync, &info), 0);
	CHECK_EQ(spotless_command(sync, IOCTL_SPOTLESS_INFO, NULL, 0, &queued_info,
				  sizeof(queued_info), &written), 0);
	CHECK_EQ(spotless_command(sync, IOCTL_SPOTLESS_STATS, NULL, 0, &stats, sizeof(stats),
				  &written), 0);
	CHECK_EQ(spotless_command(sync, IOCTL_SPOTLESS_ECHO_BUFFERED, data, 100, echo_out,
				  sizeof(echo_out), &written), 0);
	CHECK_EQ(spotless_command(sync, IOCTL_SPOTLESS, msg, sizeof(msg), reply, sizeof(reply),
				  &written), 0);
	CHECK_EQ(spotless_command(sync, IOCTL_SPOTLESS_BATCH, queued_batch, batch_len, queued_answers,
				  sizeof(queued_answers), &written), 0);
	CHECK_EQ(spotless_command(sync, IOCTL_SPOTLESS_POST, "queued", 6, NULL, 0, &written), 0);
	sync_stats = stats_of(sync);
	stats = stats_of(dev);
	CHECK(!memcmp(&stats.handle, &sync_stats.handle, sizeof(stats.handle)));
	/* The ECHO and the batch's ECHO record. */
	CHECK_EQ(stats.handle.requests[SPOTLESS_STAT_ECHO], 2);
	spotless_close(sync);
	spotless_queue_destroy(q);
	spotless_close(dev);
	free(data);
}

/* Bad input through the queue: each refusal with its kind, the others in
 * the same submit unharmed, the driver and the queue answering after. */
static void test_queue_refusals(void)
{
	enum { R_UNKNOWN, R_SHORT, R_LARGE, R_INFO_INPUT, R_EMPTY, R_GOOD, R_COUNT };
	struct spotless_handle *dev = open_checked();
	struct spotless_queue *q = NULL;
	struct spotless_completion c[R_COUNT];
	unsigned char *big = random_bytes(SPOTLESS_ECHO_MAX + 1, 5);
	unsigned char out[64], good[8 + TRAILER_ROOM];
	struct spotless_info info;

	CHECK_EQ(spotless_queue_create(dev, R_COUNT, &q), 0);
	if (!q) {
		spotless_close(dev);
		free(big);
		return;
	}
	CHECK_EQ(spotless_queue_command(q, SPOTLESS_NEW_CODE(0xBFEu, SPOTLESS_METHOD_BUFFERED,
					SPOTLESS_FILE_ANY_ACCESS), NULL, 0, out, sizeof(out),
					R_UNKNOWN), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_ECHO_BUFFERED, big, 64, out, 8,
					R_SHORT), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_ECHO_BUFFERED, big,
					SPOTLESS_ECHO_MAX + 1, big, SPOTLESS_ECHO_MAX + 1,
					R_LARGE), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_INFO, out, 4, &info, sizeof(info),
					R_INFO_INPUT), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS, NULL, 0, out, sizeof(out), R_EMPTY), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_ECHO_BUFFERED, big, 8, good,
					sizeof(good), R_GOOD), 0);
	CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	reap_all(q, c, R_COUNT);
	CHECK_EQ(spotless_error_kind(c[R_UNKNOWN].err), SPOTLESS_ERROR_UNKNOWN_COMMAND);
	CHECK_EQ(spotless_error_kind(c[R_SHORT].err), SPOTLESS_ERROR_OUTPUT_TOO_SMALL);
	CHECK_EQ(spotless_error_kind(c[R_LARGE].err), SPOTLESS_ERROR_INPUT_TOO_LARGE);
	CHECK_EQ(spotless_error_kind(c[R_INFO_INPUT].err), SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(c[R_EMPTY].err), SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(c[R_UNKNOWN].written, 0);
	CHECK_EQ(c[R_GOOD].err, 0);
	CHECK_EQ(c[R_GOOD].written, 8 + TRAILER_ROOM);
	CHECK(!memcmp(good, big, 8));

	/* Both still answer. */
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_INFO, NULL, 0, &info, sizeof(info), 0),
		 0);
	CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	reap_all(q, c, 1);
	CHECK_EQ(c[0].err, 0);
	CHECK_EQ(info.size, sizeof(info));
	CHECK_EQ(spotless_get_info(dev, &info), 0);
	spotless_queue_destroy(q);
	spotless_close(dev);
	free(big);
}

/* The library's own checks: arguments, a full queue, an empty reap. */
static void test_queue_checks_arguments(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_queue *q = (struct spotless_queue *)&dev;
	struct spotless_completion done[4];
	struct spotless_info info[3];
	unsigned int count = 99;
	char text[128];

	CHECK_EQ(spotless_error_kind(spotless_queue_create(dev, 0, &q)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK(q == NULL);
	CHECK_EQ(spotless_error_kind(spotless_queue_create(dev, SPOTLESS_QUEUE_DEPTH_MAX + 1, &q)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_queue_create(NULL, 4, &q)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_queue_create(dev, 4, NULL)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_queue_create(dev, 2, &q), 0);
	if (!q) {
		spotless_close(dev);
		return;
	}
	CHECK_EQ(spotless_error_kind(spotless_queue_command(q, IOCTL_SPOTLESS_INFO, NULL, 4,
							    info, sizeof(info[0]), 0)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_queue_command(NULL, IOCTL_SPOTLESS_INFO, NULL, 0,
							    info, sizeof(info[0]), 0)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_queue_reap(q, done, 0, 0, 0, &count)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(count, 0);
	CHECK_EQ(spotless_error_kind(spotless_queue_reap(q, done, 2, 3, 0, &count)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_queue_reap(q, NULL, 2, 1, 0, &count)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_queue_reap(q, done, 2, 1, 0, NULL)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	/* Nothing in flight: nothing comes, in the time given. */
	count = 99;
	CHECK_EQ(spotless_queue_reap(q, done, 4, 1, 0, &count), SPOTLESS_E_TIMEOUT);
	CHECK_EQ(count, 0);
	CHECK_EQ(spotless_queue_reap(q, done, 4, 1, 50, &count), SPOTLESS_E_TIMEOUT);
	CHECK_EQ(count, 0);
	CHECK_EQ(spotless_queue_reap(q, done, 4, 0, 0, &count), 0);

	/* Depth 2: the third waits for a reap. */
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_INFO, NULL, 0, &info[0],
					sizeof(info[0]), 10), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_INFO, NULL, 0, &info[1],
					sizeof(info[1]), 11), 0);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_INFO, NULL, 0, &info[2],
					sizeof(info[2]), 12), SPOTLESS_E_QUEUE_FULL);
	CHECK_EQ(spotless_error_kind(SPOTLESS_E_QUEUE_FULL), SPOTLESS_ERROR_BUSY);
	spotless_error_text(SPOTLESS_E_QUEUE_FULL, text, sizeof(text));
	CHECK(strstr(text, "queue is full") != NULL);
	CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	CHECK_EQ(spotless_queue_reap(q, done, 1, 1, QUEUE_WAIT_MS, &count), 0);
	CHECK_EQ(count, 1);
	CHECK(done[0].user_data == 10 || done[0].user_data == 11);
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_INFO, NULL, 0, &info[2],
					sizeof(info[2]), 12), 0);
	CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	CHECK_EQ(spotless_queue_reap(q, done, 4, 2, QUEUE_WAIT_MS, &count), 0);
	CHECK_EQ(count, 2);
	CHECK_EQ(info[2].size, sizeof(info[2]));
	spotless_queue_destroy(q);
	spotless_queue_destroy(NULL);
	CHECK_EQ(spotless_get_info(dev, &info[0]), 0);
	spotless_close(dev);
}

/* 128 echoes in flight, four rounds, reaped in pieces: each its own bytes. */
static void test_queue_depth_128_rounds(void)
{
	enum { DEPTH = 128, LEN = 64, ROUNDS = 4 };
	struct spotless_handle *dev = open_checked();
	struct spotless_queue *q = NULL;
	static struct spotless_completion c[DEPTH];
	static unsigned char out[DEPTH][LEN + TRAILER_ROOM];
	unsigned char *data = random_bytes(DEPTH * LEN, 17);
	unsigned int round, i, submitted;
	int wrong = 0;

	CHECK_EQ(spotless_queue_create(dev, DEPTH, &q), 0);
	for (round = 0; q && round < ROUNDS; round++) {
		memset(out, 0, sizeof(out));
		for (i = 0; i < DEPTH; i++)
			CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_ECHO_BUFFERED,
							data + i * LEN, LEN, out[i],
							sizeof(out[i]), i), 0);
		CHECK_EQ(spotless_queue_submit(q, &submitted), 0);
		CHECK_EQ(submitted, DEPTH);
		reap_all(q, c, DEPTH);
		for (i = 0; i < DEPTH; i++)
			wrong += c[i].err || c[i].written != LEN + TRAILER_ROOM ||
				 memcmp(out[i], data + i * LEN, LEN);
	}
	CHECK_EQ(wrong, 0);
	spotless_queue_destroy(q);
	CHECK_EQ(stats_of(dev).handle.requests[SPOTLESS_STAT_ECHO], DEPTH * ROUNDS);
	spotless_close(dev);
	free(data);
}

/* WAIT_EVENT through the queue: pending until an event is posted, then the
 * record; a room too small refused at once; one still pending at destroy
 * cancelled. */
static void test_queue_wait_event(void)
{
	struct spotless_handle *dev = open_checked(), *poster = open_checked();
	struct spotless_queue *q = NULL;
	struct spotless_completion c[2];
	struct spotless_event event, never;
	unsigned char small[16];
	unsigned int count = 99, i;

	CHECK_EQ(spotless_queue_create(dev, 2, &q), 0);
	if (!q)
		goto out;
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, small,
					sizeof(small), 6), 0);
	CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	CHECK_EQ(spotless_queue_reap(q, c, 2, 1, QUEUE_WAIT_MS, &count), 0);
	CHECK_EQ(count, 1);
	CHECK_EQ(spotless_error_kind(c[0].err), SPOTLESS_ERROR_OUTPUT_TOO_SMALL);

	/*
	 * Pending until something is posted. Another handle's open or close
	 * may come first (under Wine a closed handle reaches the driver late):
	 * such an event is taken and the wait sent again.
	 */
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &event,
					sizeof(event), 7), 0);
	CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	for (i = 0; i < 16; i++) {
		spotless_err err = spotless_queue_reap(q, c, 2, 1, 100, &count);

		if (err == SPOTLESS_E_TIMEOUT && count == 0)
			break;
		CHECK_EQ(count, 1);
		CHECK(event.kind != SPOTLESS_EVENT_POSTED);
		CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &event,
						sizeof(event), 7), 0);
		CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	}
	CHECK(i < 16);
	CHECK_EQ(spotless_post(poster, "to the queue", 12), 0);
	for (i = 0; i < 16; i++) {
		CHECK_EQ(spotless_queue_reap(q, c, 2, 1, QUEUE_WAIT_MS, &count), 0);
		CHECK_EQ(count, 1);
		if (count != 1 || c[0].err || event.kind == SPOTLESS_EVENT_POSTED)
			break;
		CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &event,
						sizeof(event), 7), 0);
		CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	}
	CHECK_EQ(c[0].user_data, 7);
	CHECK_EQ(c[0].err, 0);
	CHECK_EQ(c[0].written, sizeof(event));
	CHECK_EQ(event.kind, SPOTLESS_EVENT_POSTED);
	CHECK_EQ(event.payload_len, 12);
	CHECK(!memcmp(event.payload, "to the queue", 12));
	/* One left pending: destroy cancels it. */
	CHECK_EQ(spotless_queue_command(q, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &never,
					sizeof(never), 8), 0);
	CHECK_EQ(spotless_queue_submit(q, NULL), 0);
	spotless_queue_destroy(q);
out:
	spotless_close(poster);
	spotless_close(dev);
	wait_for_other_handles_closed();
	check_no_leak();
}

/* Whether this kernel has what the queue needs: where it has no io_uring
 * (ENOSYS, EPERM when switched off), the cases are skipped and say so. */
static int queue_available(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_queue *q = NULL;
	spotless_err err = spotless_queue_create(dev, 1, &q);

	spotless_queue_destroy(q);
	spotless_close(dev);
	if (err == QUEUE_UNAVAILABLE_1 || err == QUEUE_UNAVAILABLE_2) {
		char text[128];

		spotless_error_text(err, text, sizeof(text));
		printf("#   no queue here (%s): the queue's cases skipped\n", text);
		return 0;
	}
	return 1;
}

/* The shared cases; the programs call it where queue_available(). */
static void run_queue_cases(void)
{
	RUN_TEST(test_queue_every_command);
	RUN_TEST(test_queue_refusals);
	RUN_TEST(test_queue_checks_arguments);
	RUN_TEST(test_queue_depth_128_rounds);
	RUN_TEST(test_queue_wait_event);
}

#endif /* SPOTLESS_QUEUE_CASES_H */
