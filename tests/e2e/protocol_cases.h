/* SPDX-License-Identifier: MIT */
/*
 * Protocol v1 end-to-end cases that read the same on both kernels: they go
 * through libspotless only. Each test program includes this after defining
 * what differs between the OSes:
 *
 *   EXPECT_OS		SPOTLESS_OS_WINDOWS or SPOTLESS_OS_LINUX
 *   E_TOO_SMALL	the error for an output buffer too small
 *   E_TOO_LARGE	the error for an input above its limit
 *   E_INVALID		the error for a malformed request
 *   echo_methods[]	the transfer methods the OS has, and N_ECHO_METHODS
 */
#ifndef SPOTLESS_PROTOCOL_CASES_H
#define SPOTLESS_PROTOCOL_CASES_H

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crc32c_reference.h"
#include "driver_checks.h"
#include "spotless.h"

#define TRAILER_ROOM	SPOTLESS_ECHO_TRAILER_LEN

static const char *const method_names[] = { "buffered", "in_direct", "out_direct", "neither" };

static unsigned char *random_bytes(size_t len, uint32_t seed)
{
	unsigned char *p = malloc(len ? len : 1);
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
	return p;
}

static struct spotless_handle *open_checked(void)
{
	struct spotless_handle *dev = NULL;

	CHECK_EQ(spotless_open(&dev), 0);
	return dev;
}

static struct spotless_stats stats_of(struct spotless_handle *dev)
{
	struct spotless_stats st;

	memset(&st, 0, sizeof(st));
	CHECK_EQ(spotless_get_stats(dev, &st), 0);
	return st;
}

/* With every other handle closed, the asking handle's state is the only
 * allocation left. */
static void check_no_leak(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_stats st = stats_of(dev);

	CHECK_EQ(st.open_handles, 1);
	CHECK_EQ(st.outstanding_allocations, 1);
	spotless_close(dev);
}

/* ---- INFO ------------------------------------------------------------ */

static void test_info_v1(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_info info;
	uint64_t caps = SPOTLESS_CAP_MESSAGE | SPOTLESS_CAP_INFO | SPOTLESS_CAP_STATS |
			SPOTLESS_CAP_ECHO | SPOTLESS_CAP_BATCH | SPOTLESS_CAP_EVENTS;

	if (EXPECT_OS == SPOTLESS_OS_WINDOWS)
		caps |= SPOTLESS_CAP_ECHO_DIRECT | SPOTLESS_CAP_ECHO_NEITHER;
	else
		caps |= SPOTLESS_CAP_CALL;	/* the module's SPOTLESS_IOC_CALL */
	/* The driver (x86-64) runs on the CPU this program runs on: its CRC32C
	 * (the core's on Windows, the kernel's crc32c() on Linux) uses the
	 * crc32 instruction exactly when that CPU has SSE4.2. */
	if (__builtin_cpu_supports("sse4.2"))
		caps |= SPOTLESS_CAP_CRC32C_INSTRUCTION;
	memset(&info, 0xEE, sizeof(info));
	CHECK_EQ(spotless_get_info(dev, &info), 0);
	CHECK_EQ(info.size, sizeof(info));
	CHECK_EQ(info.protocol_version, SPOTLESS_PROTOCOL_VERSION);
	CHECK_EQ(info.driver_version, SPOTLESS_DRIVER_VERSION);
	CHECK_EQ(info.os, EXPECT_OS);
	CHECK_EQ(info.capabilities, caps);
	CHECK_EQ(info.max_message, SPOTLESS_MESSAGE_MAX_INPUT);
	CHECK_EQ(info.max_echo, SPOTLESS_ECHO_MAX);
	CHECK_EQ(info.max_batch_bytes, SPOTLESS_BATCH_MAX_BYTES);
	CHECK_EQ(info.max_batch_records, SPOTLESS_BATCH_MAX_RECORDS);
	/* One allocation per handle, of a size that is not zero or absurd. */
	CHECK(info.handle_state_bytes >= 8 && info.handle_state_bytes <= 4096);
	/*
	 * A subscribed handle's queue is its place in the device's one ring of
	 * records, not a copy of them: a small allocation, not a ring's worth.
	 */
	CHECK(info.event_queue_bytes > 0 &&
	      info.event_queue_bytes < SPOTLESS_EVENT_QUEUE_LEN * sizeof(struct spotless_event) / 16);
	CHECK_EQ(info.reserved, 0);
	spotless_close(dev);
}

/* ---- The library's own checks, on every side ------------------------- */

/*
 * A length with no buffer behind it is refused by the library, before the
 * driver sees anything (the OS's "invalid argument": EINVAL, Windows'
 * ERROR_INVALID_PARAMETER), and nothing is written through the NULL; the
 * handle answers afterwards.
 */
static void test_library_refuses_a_length_without_a_buffer(void)
{
	struct spotless_handle *dev = open_checked();
	unsigned char buf[64] = "hello";
	size_t n = 99;
	uint32_t crc = 7;

	CHECK_EQ(spotless_error_kind(spotless_message_raw(dev, NULL, 5, buf, sizeof(buf), &n)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(n, 0);
	CHECK_EQ(spotless_error_kind(spotless_message_raw(dev, buf, 5, NULL, 23, &n)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_echo(dev, SPOTLESS_ECHO_BUFFERED, NULL, 8, buf,
						   sizeof(buf), &crc)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(crc, 0);
	CHECK_EQ(spotless_error_kind(spotless_echo(dev, SPOTLESS_ECHO_BUFFERED, buf, 8, NULL,
						   16, &crc)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	n = 99;
	CHECK_EQ(spotless_error_kind(spotless_batch(dev, NULL, 16, buf, sizeof(buf), &n)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(n, 0);
	CHECK_EQ(spotless_error_kind(spotless_post(dev, NULL, 5)), SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_BUFFERED, buf, 8, buf, sizeof(buf), &crc), 0);
	spotless_close(dev);
}

/* ---- ECHO through each transfer method ------------------------------- */

/* Bytes and checksum come back, and nothing past the room is written. */
static void check_echo(size_t len)
{
	struct spotless_handle *dev = open_checked();
	unsigned char *data = random_bytes(len, (uint32_t)len);
	size_t room = len + TRAILER_ROOM;
	unsigned char *out = malloc(room + SLACK);
	uint32_t want = crc32c_reference(data, len), crc;
	int m;

	for (m = 0; m < N_ECHO_METHODS; m++) {
		enum spotless_echo_method method = echo_methods[m];

		memset(out, GUARD, room + SLACK);
		crc = 0;
		CHECK_EQ(spotless_echo(dev, method, data, len, out, room, &crc), 0);
		CHECK_EQ(crc, want);
		if (method != SPOTLESS_ECHO_IN_DIRECT) {
			if (memcmp(out, data, len)) {
				printf("#   %s: the bytes differ\n", method_names[method]);
				CHECK(!"echoed bytes equal the sent ones");
			}
		} else {
			CHECK(untouched(out, 0, room));		/* nothing comes back */
		}
		CHECK(untouched(out, room, room + SLACK));
	}
	free(data);
	free(out);
	spotless_close(dev);
}

static void test_echo_0_bytes(void) { check_echo(0); }
static void test_echo_1_byte(void) { check_echo(1); }
static void test_echo_4095_bytes(void) { check_echo(4095); }
static void test_echo_4096_bytes(void) { check_echo(4096); }
static void test_echo_4097_bytes(void) { check_echo(4097); }
static void test_echo_1_mib(void) { check_echo(SPOTLESS_ECHO_MAX); }

/* Every size above, through RUN (RUN_TEST, or a runner of its own). */
#define RUN_ECHO_SIZE_CASES(RUN) \
	do { \
		RUN(test_echo_0_bytes); \
		RUN(test_echo_1_byte); \
		RUN(test_echo_4095_bytes); \
		RUN(test_echo_4096_bytes); \
		RUN(test_echo_4097_bytes); \
		RUN(test_echo_1_mib); \
	} while (0)

static void test_echo_above_limit_refused(void)
{
	struct spotless_handle *dev = open_checked();
	size_t len = SPOTLESS_ECHO_MAX + 1;
	unsigned char *data = random_bytes(len, 1);
	unsigned char *out = malloc(len + TRAILER_ROOM);
	uint32_t crc = 1;
	int m;

	for (m = 0; m < N_ECHO_METHODS; m++) {
		CHECK_EQ(spotless_echo(dev, echo_methods[m], data, len, out,
				       len + TRAILER_ROOM, &crc), E_TOO_LARGE);
		CHECK_EQ(crc, 0);
	}
	free(data);
	free(out);
	spotless_close(dev);
	CHECK(exchange_ok());
}

/* Room one byte short of what the OS's ECHO writes. */
static void test_echo_output_one_short_refused(void)
{
	struct spotless_handle *dev = open_checked();
	unsigned char *data = random_bytes(4096, 2);
	size_t room = 4096 + (EXPECT_OS == SPOTLESS_OS_WINDOWS ? TRAILER_ROOM : 0);
	unsigned char *out = malloc(room + SLACK);
	uint32_t crc;
	int m;

	for (m = 0; m < N_ECHO_METHODS; m++) {
		if (echo_methods[m] == SPOTLESS_ECHO_IN_DIRECT)
			continue;	/* it has no output */
		memset(out, GUARD, room + SLACK);
		CHECK_EQ(spotless_echo(dev, echo_methods[m], data, 4096, out, room - 1,
				       &crc), E_TOO_SMALL);
		CHECK(untouched(out, 0, room + SLACK));
	}
	free(data);
	free(out);
	spotless_close(dev);
	CHECK(exchange_ok());
}

/* ---- BATCH ----------------------------------------------------------- */

static unsigned char batch_in[SPOTLESS_BATCH_MAX_BYTES + 64];
static unsigned char batch_out[SPOTLESS_BATCH_MAX_BYTES + 64];

static void test_batch_records_fail_alone(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result res;
	unsigned char *echo = random_bytes(1000, 3);
	const unsigned char *answer;
	struct spotless_echo_trailer t;
	struct spotless_info info;
	size_t len, written = 0;
	static const uint32_t want[] = {
		SPOTLESS_STATUS_OK, SPOTLESS_STATUS_UNKNOWN_CODE, SPOTLESS_STATUS_OK,
		SPOTLESS_STATUS_OUTPUT_TOO_SMALL, SPOTLESS_STATUS_NOT_BATCHABLE,
		SPOTLESS_STATUS_EMPTY_INPUT, SPOTLESS_STATUS_OK,
	};
	unsigned int i;

	spotless_batch_begin(&w, batch_in, sizeof(batch_in));
	spotless_batch_add(&w, IOCTL_SPOTLESS, tutorial_message, sizeof(tutorial_message), 23);
	spotless_batch_add(&w, 0x00221234, NULL, 0, 0);
	spotless_batch_add(&w, IOCTL_SPOTLESS_ECHO_BUFFERED, echo, 1000, 1000 + TRAILER_ROOM);
	spotless_batch_add(&w, IOCTL_SPOTLESS, "x", 1, 21);
	spotless_batch_add(&w, IOCTL_SPOTLESS_BATCH, NULL, 0, 0);
	spotless_batch_add(&w, IOCTL_SPOTLESS, NULL, 0, 22);
	spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(info));
	len = spotless_batch_end(&w);
	memset(batch_out, GUARD, sizeof(batch_out));

	CHECK_EQ(spotless_batch(dev, batch_in, len, batch_out, w.out_needed, &written), 0);
	CHECK_EQ(written, w.out_needed);
	CHECK(untouched(batch_out, w.out_needed, sizeof(batch_out)));
	CHECK_EQ(spotless_batch_read(&r, batch_out, written, &hdr), 0);
	CHECK_EQ(hdr.count, 7);
	CHECK_EQ(hdr.failed, 4);
	for (i = 0; i < 7; i++) {
		const void *a = NULL;

		CHECK_EQ(spotless_batch_next(&r, &res, &a), 1);
		answer = a;
		CHECK_EQ(res.status, want[i]);
		if (i == 0) {
			CHECK_EQ(res.information, SPOTLESS_REPLY_LEN);
			CHECK(answer && !memcmp(answer, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN + 1));
		} else if (i == 2) {
			CHECK_EQ(res.information, 1000 + TRAILER_ROOM);
			CHECK(answer && !memcmp(answer, echo, 1000));
			if (answer) {
				memcpy(&t, answer + 1000, sizeof(t));
				CHECK_EQ(t.crc32c, crc32c_reference(echo, 1000));
				CHECK_EQ(t.length, 1000);
			}
		} else if (i == 6 && answer) {
			memcpy(&info, answer, sizeof(info));
			CHECK_EQ(info.os, EXPECT_OS);
		} else if (want[i] != SPOTLESS_STATUS_OK) {
			CHECK_EQ(res.information, 0);
		}
	}
	CHECK_EQ(spotless_batch_next(&r, &res, (const void **)&answer), 0);
	free(echo);
	spotless_close(dev);
	CHECK(exchange_ok());
}

/* A batch of `count` one-byte messages, each with room for the reply. */
static size_t message_batch(unsigned int count, size_t *out_needed)
{
	struct spotless_batch_writer w;
	unsigned int i;

	spotless_batch_begin(&w, batch_in, sizeof(batch_in));
	for (i = 0; i < count; i++)
		spotless_batch_add(&w, IOCTL_SPOTLESS, "m", 1, 22);
	*out_needed = w.out_needed;
	return spotless_batch_end(&w);
}

static void test_batch_limits(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_batch_header hdr;
	struct spotless_batch_record rec;
	size_t len, need, written = 1;

	len = message_batch(SPOTLESS_BATCH_MAX_RECORDS, &need);
	CHECK_EQ(spotless_batch(dev, batch_in, len, batch_out, need, &written), 0);
	memcpy(&hdr, batch_out, sizeof(hdr));
	CHECK_EQ(hdr.count, SPOTLESS_BATCH_MAX_RECORDS);
	CHECK_EQ(hdr.failed, 0);

	/* One record more than the limit: the writer would not, so by hand. */
	hdr.count = SPOTLESS_BATCH_MAX_RECORDS + 1;
	hdr.failed = 0;
	memcpy(batch_in, &hdr, sizeof(hdr));
	memcpy(&rec, batch_in + sizeof(hdr), sizeof(rec));
	memcpy(batch_in + len, batch_in + sizeof(hdr), rec.length);
	CHECK_EQ(spotless_batch(dev, batch_in, len + rec.length, batch_out,
				sizeof(batch_out), &written), E_INVALID);
	CHECK_EQ(written, 0);

	/* Output one byte short of every result. */
	len = message_batch(3, &need);
	memset(batch_out, GUARD, sizeof(batch_out));
	CHECK_EQ(spotless_batch(dev, batch_in, len, batch_out, need - 1, &written),
		 E_TOO_SMALL);
	CHECK(untouched(batch_out, 0, sizeof(batch_out)));

	/* Broken framing: the first record's length. */
	memcpy(&rec, batch_in + sizeof(hdr), sizeof(rec));
	rec.length += 8;
	memcpy(batch_in + sizeof(hdr), &rec, sizeof(rec));
	CHECK_EQ(spotless_batch(dev, batch_in, len, batch_out, need, &written), E_INVALID);
	CHECK(untouched(batch_out, 0, sizeof(batch_out)));

	/* Input over the byte limit. */
	CHECK_EQ(spotless_batch(dev, batch_in, SPOTLESS_BATCH_MAX_BYTES + 8, batch_out,
				sizeof(batch_out), &written), E_TOO_LARGE);
	spotless_close(dev);
	CHECK(exchange_ok());
}

/* ---- STATS ----------------------------------------------------------- */

static void test_stats_fresh_handle(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_stats st = stats_of(dev);
	int i;

	CHECK_EQ(st.size, sizeof(st));
	CHECK_EQ(st.handle.requests[SPOTLESS_STAT_STATS], 1);
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		if (i != SPOTLESS_STAT_STATS)
			CHECK_EQ(st.handle.requests[i], 0);
		CHECK_EQ(st.handle.errors[i], 0);
	}
	/* Every other handle of this program is closed: ours is the only
	 * one, and its state the only allocation left. */
	CHECK_EQ(st.open_handles, 1);
	CHECK_EQ(st.outstanding_allocations, 1);
	spotless_close(dev);
}

/* Counters are exact after a known sequence, on the handle and the device. */
static void test_stats_after_known_sequence(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_stats a = stats_of(dev), b;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	unsigned char small[4], echo_out[100 + TRAILER_ROOM];
	unsigned char *echo = random_bytes(100, 4);
	size_t n, len, need, written;
	uint32_t crc;
	int i;

	CHECK_EQ(spotless_send_message(dev, "one", reply, &n), 0);	/* 128 in, 22 out */
	CHECK_EQ(spotless_send_message(dev, "two", reply, &n), 0);
	CHECK(spotless_message_raw(dev, "x", 1, small, sizeof(small), &n) != 0);
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_BUFFERED, echo, 100, echo_out,
			       sizeof(echo_out), &crc), 0);		/* 100 in, 108 out */
	len = message_batch(3, &need);
	CHECK_EQ(spotless_batch(dev, batch_in, len, batch_out, need, &written), 0);
	b = stats_of(dev);

#define DELTA(field) (b.field - a.field)
	CHECK_EQ(DELTA(handle.requests[SPOTLESS_STAT_MESSAGE]), 2 + 1 + 3);
	CHECK_EQ(DELTA(handle.requests[SPOTLESS_STAT_ECHO]), 1);
	CHECK_EQ(DELTA(handle.requests[SPOTLESS_STAT_BATCH]), 1);
	CHECK_EQ(DELTA(handle.requests[SPOTLESS_STAT_STATS]), 1);
	CHECK_EQ(DELTA(handle.errors[SPOTLESS_STATUS_OUTPUT_TOO_SMALL]), 1);
	CHECK_EQ(DELTA(handle.bytes_in), 2 * SPOTLESS_CLIENT_BUFFER_SIZE + 100 + len);
	CHECK_EQ(DELTA(handle.bytes_out), 2 * 22 + 108 + need + sizeof(struct spotless_stats));
	/* Nothing else talks to the driver meanwhile: the device saw the same. */
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		CHECK_EQ(DELTA(device.requests[i]), DELTA(handle.requests[i]));
		CHECK_EQ(DELTA(device.errors[i]), DELTA(handle.errors[i]));
	}
	CHECK_EQ(DELTA(device.bytes_in), DELTA(handle.bytes_in));
	CHECK_EQ(DELTA(device.bytes_out), DELTA(handle.bytes_out));
#undef DELTA
	CHECK_EQ(b.outstanding_allocations, 1);
	free(echo);
	spotless_close(dev);
}

/* Many handles at once: each is one open handle and one allocation. */
static void test_stats_many_handles(void)
{
	struct spotless_handle *devs[8];
	struct spotless_handle *dev;
	struct spotless_stats st;
	int i;

	for (i = 0; i < 8; i++)
		devs[i] = open_checked();
	st = stats_of(devs[0]);
	CHECK_EQ(st.open_handles, 8);
	CHECK_EQ(st.outstanding_allocations, 8);
	CHECK(st.handle_id != stats_of(devs[1]).handle_id);
	for (i = 0; i < 8; i++)
		spotless_close(devs[i]);
	dev = open_checked();
	st = stats_of(dev);
	CHECK_EQ(st.open_handles, 1);
	CHECK_EQ(st.outstanding_allocations, 1);
	spotless_close(dev);
}

#endif /* SPOTLESS_PROTOCOL_CASES_H */
