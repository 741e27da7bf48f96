// SPDX-License-Identifier: MIT
/*
 * Unit tests of ECHO, the CRC32C and BATCH in the portable core, with the
 * library's batch writer and reader, under ASan and UBSan. Output buffers
 * carry guard bytes after their end: the core must leave them alone.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "counted.h"
#include "crc32c_reference.h"
#include "guard.h"
#include "spotless.h"
#include "spotless_core.h"

/* A handle opened for reading and writing. */
#define RW	(SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS)
#include "spotless_crc32c.h"
#include "core_call.h"

#define TRAILER_LEN	sizeof(struct spotless_echo_trailer)

static unsigned char *pattern(size_t len, unsigned int seed)
{
	unsigned char *p = malloc(len ? len : 1);
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (unsigned char)(x >> 16);
	}
	return p;
}

/* ---- CRC32C ------------------------------------------------------------ */

static void test_crc32c_check_value(void)
{
	CHECK_EQ(spotless_crc32c_update(0, "123456789", 9), 0xE3069283u);
	CHECK_EQ(spotless_crc32c_update(0, "", 0), 0);
}

static void test_crc32c_matches_bitwise_and_splits(void)
{
	unsigned char *p = pattern(5000, 7);
	uint32_t whole = spotless_crc32c_update(0, p, 5000);
	size_t off, len;

	CHECK_EQ(whole, crc32c_reference(p, 5000));
	CHECK_EQ(spotless_crc32c_update(spotless_crc32c_update(0, p, 1234), p + 1234,
					5000 - 1234), whole);
	/* Every alignment and every tail length of the eight-byte steps. */
	for (off = 0; off < 8; off++)
		for (len = 0; len < 40; len++)
			CHECK_EQ(spotless_crc32c_update(0, p + off, len),
				 crc32c_reference(p + off, len));
	free(p);
}

/* ---- ECHO -------------------------------------------------------------- */

/* Separate buffers (OUT_DIRECT, Linux): payload and trailer, nothing more. */
static void check_echo_separate(size_t len)
{
	unsigned char *in = pattern(len, (unsigned int)len);
	unsigned char *out = malloc(len + TRAILER_LEN + SLACK);
	struct spotless_echo_trailer trailer;
	struct spotless_result res;

	memset(out, GUARD, len + TRAILER_LEN + SLACK);
	core_call(IOCTL_SPOTLESS_ECHO_OUT_DIRECT, in, len, out, len + TRAILER_LEN, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, len + TRAILER_LEN);
	CHECK(!memcmp(out, in, len));
	memcpy(&trailer, out + len, TRAILER_LEN);
	CHECK_EQ(trailer.length, len);
	CHECK_EQ(trailer.crc32c, crc32c_reference(in, len));
	CHECK(untouched(out, len + TRAILER_LEN, len + TRAILER_LEN + SLACK));
	/* METHOD_NEITHER: the driver's own copies, the same answer. */
	memset(out, GUARD, len + TRAILER_LEN + SLACK);
	core_call(IOCTL_SPOTLESS_ECHO_NEITHER, in, len, out, len + TRAILER_LEN, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, len + TRAILER_LEN);
	CHECK(!memcmp(out, in, len));
	CHECK(untouched(out, len + TRAILER_LEN, len + TRAILER_LEN + SLACK));
	free(in);
	free(out);
}

/* One shared buffer (METHOD_BUFFERED): the payload stays, the trailer follows. */
static void check_echo_shared(size_t len)
{
	unsigned char *want = pattern(len, (unsigned int)len + 1);
	unsigned char *buf = malloc(len + TRAILER_LEN + SLACK);
	struct spotless_echo_trailer trailer;
	struct spotless_result res;

	memset(buf, GUARD, len + TRAILER_LEN + SLACK);
	memcpy(buf, want, len);
	core_call(IOCTL_SPOTLESS_ECHO_BUFFERED, buf, len, buf, len + TRAILER_LEN, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, len + TRAILER_LEN);
	CHECK(!memcmp(buf, want, len));
	memcpy(&trailer, buf + len, TRAILER_LEN);
	CHECK_EQ(trailer.crc32c, crc32c_reference(want, len));
	CHECK(untouched(buf, len + TRAILER_LEN, len + TRAILER_LEN + SLACK));
	free(want);
	free(buf);
}

static void check_echo_sizes(size_t len)
{
	check_echo_separate(len);
	check_echo_shared(len);
}

static void test_echo_0(void) { check_echo_sizes(0); }
static void test_echo_1(void) { check_echo_sizes(1); }
static void test_echo_4095(void) { check_echo_sizes(4095); }
static void test_echo_4096(void) { check_echo_sizes(4096); }
static void test_echo_4097(void) { check_echo_sizes(4097); }
static void test_echo_1_mib(void) { check_echo_sizes(SPOTLESS_ECHO_MAX); }

/* Output buffer lower than the input's address, overlapping it. */
static void test_echo_overlapping_buffers(void)
{
	unsigned char *buf = pattern(100 + TRAILER_LEN + 10, 3);
	unsigned char want[100];
	struct spotless_result res;

	memcpy(want, buf + 10, 100);
	core_call(IOCTL_SPOTLESS_ECHO_BUFFERED, buf + 10, 100, buf, 100 + TRAILER_LEN, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK(!memcmp(buf, want, 100));
	free(buf);
	buf = pattern(100 + TRAILER_LEN + 10, 4);
	memcpy(want, buf, 100);
	core_call(IOCTL_SPOTLESS_ECHO_BUFFERED, buf, 100, buf + 10, 100 + TRAILER_LEN, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK(!memcmp(buf + 10, want, 100));
	free(buf);
}

static void test_echo_limits(void)
{
	size_t big = SPOTLESS_ECHO_MAX + 1;
	unsigned char *in = pattern(big, 9);
	unsigned char *out = malloc(big + TRAILER_LEN + SLACK);
	struct spotless_result res;

	memset(out, GUARD, big + TRAILER_LEN + SLACK);
	core_call(IOCTL_SPOTLESS_ECHO_OUT_DIRECT, in, big, out, big + TRAILER_LEN, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_INPUT_TOO_LARGE);
	/* One byte short of payload and trailer. */
	core_call(IOCTL_SPOTLESS_ECHO_OUT_DIRECT, in, 4096, out, 4096 + TRAILER_LEN - 1, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	core_call(IOCTL_SPOTLESS_ECHO_OUT_DIRECT, in, 0, out, TRAILER_LEN - 1, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	core_call(IOCTL_SPOTLESS_ECHO_OUT_DIRECT, in, 16, NULL, 16 + TRAILER_LEN, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	core_call(IOCTL_SPOTLESS_ECHO_OUT_DIRECT, NULL, 16, out, 16 + TRAILER_LEN, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_EMPTY_INPUT);
	CHECK_EQ(res.information, 0);
	CHECK(untouched(out, 0, big + TRAILER_LEN + SLACK));
	free(in);
	free(out);
}

static void test_echo_in_direct(void)
{
	size_t len = 4097;
	unsigned char *data = pattern(len, 11);
	unsigned char *copy = malloc(len);
	struct spotless_echo_trailer t = { .crc32c = crc32c_reference(data, len),
					   .length = (uint32_t)len };
	struct spotless_result res;

	memcpy(copy, data, len);
	core_call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t), data, len, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, 0);
	CHECK_EQ(res.written, 0);
	CHECK(!memcmp(copy, data, len));	/* read, never written */

	t.crc32c ^= 1;
	core_call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t), data, len, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_CHECKSUM_MISMATCH);
	t.crc32c ^= 1;
	t.length++;
	core_call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t), data, len, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_CHECKSUM_MISMATCH);
	t.length--;
	core_call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t) - 1, data, len, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_BAD_REQUEST);
	core_call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, NULL, 0, data, len, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_BAD_REQUEST);
	t.length = 0;
	t.crc32c = 0;
	core_call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t), NULL, 0, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	free(data);
	free(copy);
}

/* ---- BATCH ------------------------------------------------------------- */

#define BATCH_CAP	SPOTLESS_BATCH_MAX_BYTES

struct batch_out {
	unsigned char *buf;
	size_t len;
};

static struct batch_out new_out(size_t len)
{
	struct batch_out o = { malloc(len + SLACK), len };

	memset(o.buf, GUARD, len + SLACK);
	return o;
}

static void test_batch_each_record_answered(void)
{
	static unsigned char in[BATCH_CAP];
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result result;
	struct spotless_result res;
	struct batch_out out;
	const void *answer;
	const char *msg = "hello batch";
	unsigned char *echo = pattern(300, 5);
	struct spotless_echo_trailer t;
	size_t len;

	spotless_batch_begin(&w, in, sizeof(in));
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS, msg, strlen(msg) + 1, 23), 0);
	CHECK_EQ(spotless_batch_add(&w, 0xDEADBEEF, NULL, 0, 0), 0);
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_ECHO_BUFFERED, echo, 300, 308), 0);
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS, msg, 5, 4), 0);	/* too small */
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_BATCH, NULL, 0, 0), 0);
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_ECHO_OUT_DIRECT, echo, 10, 18), 0);
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_ECHO_NEITHER, echo, 10, 18), 0);
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0,
				    sizeof(struct spotless_info)), 0);
	len = spotless_batch_end(&w);
	out = new_out(w.out_needed);

	core_call(IOCTL_SPOTLESS_BATCH, in, len, out.buf, out.len, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, w.out_needed);
	CHECK_EQ(res.batch_records, 8);
	CHECK_EQ(res.batch_failed, 5);
	CHECK(untouched(out.buf, out.len, out.len + SLACK));

	CHECK_EQ(spotless_batch_read(&r, out.buf, res.information, &hdr), 0);
	CHECK_EQ(hdr.count, 8);
	CHECK_EQ(hdr.failed, 5);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_OK);
	CHECK_EQ(result.information, SPOTLESS_REPLY_LEN);
	CHECK(!memcmp(answer, SPOTLESS_REPLY "", SPOTLESS_REPLY_LEN + 1));
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_UNKNOWN_CODE);
	CHECK_EQ(result.information, 0);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_OK);
	CHECK_EQ(result.information, 308);
	CHECK(!memcmp(answer, echo, 300));
	memcpy(&t, (const unsigned char *)answer + 300, sizeof(t));
	CHECK_EQ(t.crc32c, crc32c_reference(echo, 300));
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_OUTPUT_TOO_SMALL);
	/* Its room is zeroed, not left as the buffer was. */
	CHECK(!memcmp(answer, "\0\0\0\0\0\0\0\0", 8));
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_NOT_BATCHABLE);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_NOT_BATCHABLE);
	/* METHOD_NEITHER's raw addresses are its own IRP's only. */
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_NOT_BATCHABLE);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_OK);
	CHECK_EQ(result.information, sizeof(struct spotless_info));
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 0);
	free(out.buf);
	free(echo);
}

/* Counters: each record as its command, the batch once, bytes once. */
static void test_batch_counters(void)
{
	static unsigned char in[256];
	struct spotless_device_state dev;
	struct spotless_handle_state h;
	struct spotless_batch_writer w;
	struct spotless_request req = { .code = IOCTL_SPOTLESS_BATCH };
	struct spotless_result res;
	struct batch_out out;
	int i;

	spotless_core_device_init(&dev, SPOTLESS_OS_WINDOWS);
	spotless_core_handle_opened(&dev, &h, RW);
	spotless_batch_begin(&w, in, sizeof(in));
	for (i = 0; i < 3; i++)
		spotless_batch_add(&w, IOCTL_SPOTLESS, "hi", 2, 22);
	spotless_batch_add(&w, 0x1234, NULL, 0, 0);
	req.in = in;
	req.in_len = spotless_batch_end(&w);
	out = new_out(w.out_needed);
	req.out = out.buf;
	req.out_len = out.len;
	spotless_core_handle(&dev, &h, &req, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(counted(&dev).requests[SPOTLESS_STAT_BATCH], 1);
	CHECK_EQ(counted(&dev).requests[SPOTLESS_STAT_MESSAGE], 3);
	CHECK_EQ(counted(&dev).requests[SPOTLESS_STAT_UNKNOWN], 1);
	CHECK_EQ(counted(&dev).errors[SPOTLESS_STATUS_UNKNOWN_CODE], 1);
	CHECK_EQ(h.counters.requests[SPOTLESS_STAT_MESSAGE], 3);
	CHECK_EQ(counted(&dev).bytes_in, req.in_len);
	CHECK_EQ(counted(&dev).bytes_out, w.out_needed);
	free(out.buf);
}

/* A batch of one message, with room for out_len extra bytes of output. */
static size_t one_record(unsigned char *in, size_t cap)
{
	struct spotless_batch_writer w;

	spotless_batch_begin(&w, in, cap);
	spotless_batch_add(&w, IOCTL_SPOTLESS, "x", 1, 22);
	return spotless_batch_end(&w);
}

#define ONE_RECORD_OUT	(16 + 16 + 24)

/* Broken framing runs nothing: no record is counted, nothing is written. */
static void check_batch(const unsigned char *in, size_t in_len, size_t out_len,
			  enum spotless_status want)
{
	struct batch_out out = new_out(out_len);
	uint64_t before = counted(&device).requests[SPOTLESS_STAT_MESSAGE];
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS_BATCH, in, in_len, out.buf, out.len, &res);
	CHECK_EQ(res.status, want);
	if (want == SPOTLESS_OK) {		/* a baseline that does run */
		free(out.buf);
		return;
	}
	CHECK_EQ(res.information, 0);
	CHECK_EQ(counted(&device).requests[SPOTLESS_STAT_MESSAGE], before);
	CHECK(untouched(out.buf, 0, out.len + SLACK));
	free(out.buf);
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void test_batch_framing_refused(void)
{
	unsigned char in[128];
	size_t len = one_record(in, sizeof(in));

	CHECK_EQ(len, 16 + 24);
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_OK);	/* the baseline */
	check_batch(in, len, ONE_RECORD_OUT - 1, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	check_batch(in, 15, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	check_batch(NULL, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	check_batch(in, len - 1, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);	/* cut */
	in[len] = 0;
	check_batch(in, len + 8, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);	/* trailing */

	put32(in + 0, 15);				/* header size */
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 0, 16);
	put32(in + 4, 0);				/* count 0 */
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 4, 2);				/* count past the records */
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 4, SPOTLESS_BATCH_MAX_RECORDS + 1);
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 4, 1);
	put32(in + 8, 1);				/* failed set on input */
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 8, 0);
	put32(in + 12, 1);				/* reserved */
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 12, 0);
	put32(in + 16, 16);				/* record length wrong */
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 16, 24);
	put32(in + 24, 0xFFFFFFF0u);			/* in_len huge */
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 24, 1);
	put32(in + 28, 0xFFFFFFF0u);			/* out_len huge */
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_ERR_BAD_BATCH);
	put32(in + 28, 22);
	check_batch(in, len, ONE_RECORD_OUT, SPOTLESS_OK);	/* repaired */
}

static void test_batch_limits(void)
{
	static unsigned char in[SPOTLESS_BATCH_MAX_BYTES + 64];
	struct spotless_batch_writer w;
	struct spotless_result res;
	struct batch_out out;
	unsigned char *payload;
	unsigned int i;

	/* The most records, each with no input and no room: runs. */
	spotless_batch_begin(&w, in, sizeof(in));
	for (i = 0; i < SPOTLESS_BATCH_MAX_RECORDS; i++)
		CHECK_EQ(spotless_batch_add(&w, 0x4321, NULL, 0, 0), 0);
	CHECK_EQ(spotless_batch_add(&w, 0x4321, NULL, 0, 0), -1);	/* the writer stops */
	out = new_out(w.out_needed);
	core_call(IOCTL_SPOTLESS_BATCH, in, spotless_batch_end(&w), out.buf, out.len, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.batch_failed, SPOTLESS_BATCH_MAX_RECORDS);
	free(out.buf);

	/* The most bytes: one echo record filling the limit exactly. */
	payload = pattern(SPOTLESS_BATCH_MAX_BYTES, 1);
	spotless_batch_begin(&w, in, sizeof(in));
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_ECHO_BUFFERED, payload,
				    SPOTLESS_BATCH_MAX_BYTES - 32, 0), 0);
	free(payload);
	out = new_out(64);
	core_call(IOCTL_SPOTLESS_BATCH, in, spotless_batch_end(&w), out.buf, out.len, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.batch_failed, 1);		/* no room asked: too small */
	core_call(IOCTL_SPOTLESS_BATCH, in, SPOTLESS_BATCH_MAX_BYTES + 8, out.buf, out.len, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_INPUT_TOO_LARGE);
	free(out.buf);

	/* Answers that would exceed the limit: refused whole. */
	spotless_batch_begin(&w, in, sizeof(in));
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS, "x", 1,
				    SPOTLESS_BATCH_MAX_BYTES - 32), 0);
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS, "x", 1, 8), 0);
	out = new_out(w.out_needed);
	core_call(IOCTL_SPOTLESS_BATCH, in, spotless_batch_end(&w), out.buf, out.len, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_BAD_BATCH);
	free(out.buf);
}

static void test_batch_overlapping_buffers_refused(void)
{
	unsigned char buf[256];
	size_t len = one_record(buf, sizeof(buf));
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS_BATCH, buf, len, buf + 8, ONE_RECORD_OUT, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_BAD_REQUEST);
	core_call(IOCTL_SPOTLESS_BATCH, buf, len, buf + len, ONE_RECORD_OUT, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
}

static void test_batch_reader_refuses_lies(void)
{
	unsigned char out[64] = { 0 };
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr = { .size = 16, .count = 1 };
	struct spotless_batch_result result = { .length = 200, .information = 0 };
	const void *answer;

	memcpy(out, &hdr, 16);
	memcpy(out + 16, &result, 16);
	CHECK_EQ(spotless_batch_read(&r, out, 32, &hdr), 0);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), -1);	/* past the end */
	result.length = 16;
	result.information = 1;
	memcpy(out + 16, &result, 16);
	CHECK_EQ(spotless_batch_read(&r, out, 32, &hdr), 0);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), -1);	/* more than its room */
	CHECK_EQ(spotless_batch_read(&r, out, 15, &hdr), -1);
}

/*
 * A code's access bits hold for the handle: on a read-only handle the
 * tutorial's code (write access) is refused, and so is BATCH (read and
 * write), so that no record reaches past the handle's rights; with both,
 * the batch runs whole.
 */
static void test_access_checked_for_requests_and_records(void)
{
	struct spotless_device_state dev;
	struct spotless_handle_state ro, wo, rw;
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result result;
	struct spotless_request req = { .code = IOCTL_SPOTLESS, .in = "hi", .in_len = 3 };
	struct spotless_result res;
	unsigned char in[128], out[256];
	const void *answer;

	spotless_core_device_init(&dev, SPOTLESS_OS_WINDOWS);
	spotless_core_handle_opened(&dev, &ro, SPOTLESS_FILE_READ_ACCESS);
	spotless_core_handle_opened(&dev, &wo, SPOTLESS_FILE_WRITE_ACCESS);
	req.out = out;
	req.out_len = sizeof(out);
	spotless_core_handle(&dev, &ro, &req, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_ACCESS_DENIED);
	CHECK_EQ(res.information, 0);
	spotless_core_handle(&dev, &wo, &req, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	req.code = IOCTL_SPOTLESS_STATS;	/* read access */
	req.in_len = 0;
	spotless_core_handle(&dev, &wo, &req, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_ACCESS_DENIED);

	spotless_batch_begin(&w, in, sizeof(in));
	spotless_batch_add(&w, IOCTL_SPOTLESS, "hi", 3, 23);
	spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(struct spotless_info));
	req.code = IOCTL_SPOTLESS_BATCH;
	req.in = in;
	req.in_len = spotless_batch_end(&w);
	req.out_len = w.out_needed;
	spotless_core_handle(&dev, &ro, &req, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_ACCESS_DENIED);
	CHECK_EQ(res.batch_records, 0);
	spotless_core_handle(&dev, &wo, &req, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_ACCESS_DENIED);
	spotless_core_handle_opened(&dev, &rw, RW);
	spotless_core_handle(&dev, &rw, &req, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(spotless_batch_read(&r, out, res.information, &hdr), 0);
	CHECK_EQ(hdr.failed, 0);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.status, SPOTLESS_STATUS_OK);
	CHECK_EQ(counted(&dev).errors[SPOTLESS_STATUS_ACCESS_DENIED], 4);
}

/* The writer and reader refuse what they are not given, writing nothing. */
static void test_batch_writer_and_reader_refuse_null(void)
{
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result res;
	const void *answer = NULL;
	unsigned char buf[256];

	spotless_batch_begin(NULL, buf, sizeof(buf));	/* nothing to write to: no crash */
	CHECK_EQ(spotless_batch_add(NULL, IOCTL_SPOTLESS_INFO, NULL, 0, 56), -1);
	CHECK_EQ(spotless_batch_end(NULL), 0);
	spotless_batch_begin(&w, NULL, sizeof(buf));	/* no buffer: no room */
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, 56), -1);
	CHECK_EQ(spotless_batch_end(&w), 0);
	spotless_batch_begin(&w, buf, sizeof(buf));
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, 56), 0);
	CHECK(spotless_batch_end(&w) > 0);
	CHECK_EQ(spotless_batch_read(NULL, buf, sizeof(buf), &hdr), -1);
	CHECK_EQ(spotless_batch_read(&r, buf, sizeof(buf), NULL), -1);
	CHECK_EQ(spotless_batch_read(&r, buf, spotless_batch_end(&w), &hdr), 0);
	CHECK_EQ(spotless_batch_next(NULL, &res, &answer), -1);
	CHECK_EQ(spotless_batch_next(&r, NULL, &answer), -1);
	CHECK_EQ(spotless_batch_next(&r, &res, NULL), -1);
}

int main(void)
{
	spotless_core_device_init(&device, SPOTLESS_OS_WINDOWS);
	spotless_core_handle_opened(&device, &handle_state, RW);

	RUN_TEST(test_crc32c_check_value);
	RUN_TEST(test_crc32c_matches_bitwise_and_splits);
	RUN_TEST(test_echo_0);
	RUN_TEST(test_echo_1);
	RUN_TEST(test_echo_4095);
	RUN_TEST(test_echo_4096);
	RUN_TEST(test_echo_4097);
	RUN_TEST(test_echo_1_mib);
	RUN_TEST(test_echo_overlapping_buffers);
	RUN_TEST(test_echo_limits);
	RUN_TEST(test_echo_in_direct);
	RUN_TEST(test_batch_each_record_answered);
	RUN_TEST(test_batch_counters);
	RUN_TEST(test_batch_framing_refused);
	RUN_TEST(test_batch_limits);
	RUN_TEST(test_batch_overlapping_buffers_refused);
	RUN_TEST(test_batch_reader_refuses_lies);
	RUN_TEST(test_batch_writer_and_reader_refuse_null);
	RUN_TEST(test_access_checked_for_requests_and_records);
	return check_summary("echo and batch unit tests");
}
