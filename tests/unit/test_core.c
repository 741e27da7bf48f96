// SPDX-License-Identifier: MIT
/*
 * Unit tests of the portable core, on the host, under ASan and UBSan: every
 * input buffer is allocated to its exact length, so a read past it aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "guard.h"
#include "spotless_core.h"
#include "spotless_crc32c.h"
#include "core_call.h"
#include "edges.h"

/* A handle opened for reading and writing. */
#define RW	(SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS)

static const char tutorial_message[] = "spotless saying ola from userland";

/* Input of exactly len bytes: text repeated, or all NUL when text is NULL. */
static unsigned char *make_input(size_t len, const char *text)
{
	unsigned char *in = malloc(len ? len : 1);
	size_t i, n = text ? strlen(text) : 0;

	for (i = 0; i < len; i++)
		in[i] = n ? (unsigned char)text[i % n] : 0;
	return in;
}

static unsigned char *make_output(size_t len)
{
	unsigned char *out = malloc(len + SLACK);

	memset(out, GUARD, len + SLACK);
	return out;
}

/* ---- The tutorial exchange ------------------------------------------- */

static void test_tutorial_exchange(void)
{
	unsigned char in[SPOTLESS_CLIENT_BUFFER_SIZE] = { 0 };
	unsigned char *out = make_output(SPOTLESS_CLIENT_BUFFER_SIZE);
	struct spotless_result res;

	memcpy(in, tutorial_message, strlen(tutorial_message));
	core_call(IOCTL_SPOTLESS, in, sizeof(in), out, SPOTLESS_CLIENT_BUFFER_SIZE, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, 22);
	CHECK(!memcmp(out, "ohai from them kernelz", 22));
	CHECK_EQ(out[22], 0);
	CHECK(untouched(out, 23, SPOTLESS_CLIENT_BUFFER_SIZE + SLACK));
	CHECK(res.logged.present);
	CHECK_EQ(res.logged.length, strlen(tutorial_message));
	CHECK(!strcmp(res.logged.text, tutorial_message));
	free(out);
}

/* METHOD_BUFFERED: input and output are one buffer; the message is read first. */
static void test_shared_buffer(void)
{
	unsigned char buf[SPOTLESS_CLIENT_BUFFER_SIZE] = { 0 };
	struct spotless_result res;

	memcpy(buf, tutorial_message, strlen(tutorial_message));
	core_call(IOCTL_SPOTLESS, buf, sizeof(buf), buf, sizeof(buf), &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK(!strcmp(res.logged.text, tutorial_message));
	CHECK(!memcmp(buf, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN + 1));
}

/* ---- Message lengths -------------------------------------------------- */

static void check_message_length(size_t text_len, size_t in_len, int nul)
{
	unsigned char *in = make_input(in_len, "abcdefghij");
	unsigned char *out = make_output(SPOTLESS_CLIENT_BUFFER_SIZE);
	struct spotless_result res;
	size_t shown = text_len < SPOTLESS_LOG_MESSAGE_MAX ? text_len : SPOTLESS_LOG_MESSAGE_MAX;

	if (nul)
		in[text_len] = 0;
	core_call(IOCTL_SPOTLESS, in, in_len, out, SPOTLESS_CLIENT_BUFFER_SIZE, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, SPOTLESS_REPLY_LEN);
	CHECK_EQ(res.logged.length, text_len);
	CHECK_EQ(res.logged.shown, shown);
	CHECK_EQ(strlen(res.logged.text), shown);
	CHECK(!memcmp(res.logged.text, in, shown));
	free(in);
	free(out);
}

static void test_message_length_0(void)
{
	check_message_length(0, SPOTLESS_CLIENT_BUFFER_SIZE, 1);
	check_message_length(0, 1, 1);
}

#define MESSAGE_LENGTH_TEST_(n) \
	static void test_message_length_##n(void) { check_message_length(n, 128, 1); }
SPOTLESS_MESSAGE_EDGES(MESSAGE_LENGTH_TEST_)
#define RUN_MESSAGE_LENGTH_(n) RUN_TEST(test_message_length_##n);
static void test_message_length_4096_no_nul(void) { check_message_length(4096, 4096, 0); }

static void test_empty_input_refused(void)
{
	unsigned char *out = make_output(SPOTLESS_CLIENT_BUFFER_SIZE);
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS, NULL, 0, out, SPOTLESS_CLIENT_BUFFER_SIZE, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_EMPTY_INPUT);
	CHECK_EQ(res.information, 0);
	CHECK(!res.logged.present);
	/* A length without a buffer is no input either. */
	core_call(IOCTL_SPOTLESS, NULL, 16, out, SPOTLESS_CLIENT_BUFFER_SIZE, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_EMPTY_INPUT);
	/* An oversized input is judged by its size, even when left uncopied. */
	core_call(IOCTL_SPOTLESS, NULL, SPOTLESS_MESSAGE_MAX_INPUT + 1, out,
	       SPOTLESS_CLIENT_BUFFER_SIZE, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_INPUT_TOO_LARGE);
	CHECK(untouched(out, 0, SPOTLESS_CLIENT_BUFFER_SIZE + SLACK));
	free(out);
}

static void test_input_over_limit_refused(void)
{
	unsigned char *in = make_input(SPOTLESS_MESSAGE_MAX_INPUT + 1, "x");
	unsigned char *out = make_output(SPOTLESS_CLIENT_BUFFER_SIZE);
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS, in, SPOTLESS_MESSAGE_MAX_INPUT + 1, out,
	       SPOTLESS_CLIENT_BUFFER_SIZE, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_INPUT_TOO_LARGE);
	CHECK_EQ(res.information, 0);
	CHECK(untouched(out, 0, SPOTLESS_CLIENT_BUFFER_SIZE + SLACK));
	free(in);
	free(out);
}

static void test_log_text_printable(void)
{
	unsigned char in[] = { 'a', '\n', 0x1b, '%', 0x80, 0xff, 'z', 0 };
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS, in, sizeof(in), out, sizeof(out), &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.logged.length, 7);
	CHECK(!strcmp(res.logged.text, "a..%..z"));
}

/* ---- Output sizes ----------------------------------------------------- */

static void check_output_size(size_t out_len)
{
	unsigned char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hi";
	unsigned char *out = make_output(out_len);
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS, in, sizeof(in), out, out_len, &res);
	if (out_len < SPOTLESS_REPLY_LEN) {
		CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
		CHECK_EQ(res.information, 0);
		CHECK(untouched(out, 0, out_len + SLACK));
	} else {
		CHECK_EQ(res.status, SPOTLESS_OK);
		CHECK_EQ(res.information, SPOTLESS_REPLY_LEN);
		CHECK_EQ(res.written, out_len > SPOTLESS_REPLY_LEN ? 23 : 22);
		CHECK(!memcmp(out, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN));
		if (out_len > SPOTLESS_REPLY_LEN) {
			CHECK_EQ(out[SPOTLESS_REPLY_LEN], 0);
			CHECK(untouched(out, SPOTLESS_REPLY_LEN + 1, out_len + SLACK));
		} else {
			CHECK(untouched(out, SPOTLESS_REPLY_LEN, out_len + SLACK));
		}
	}
	free(out);
}

#define OUTPUT_SIZE_TEST_(n) static void test_output_size_##n(void) { check_output_size(n); }
SPOTLESS_REPLY_ROOM_EDGES(OUTPUT_SIZE_TEST_)
#define RUN_OUTPUT_SIZE_(n) RUN_TEST(test_output_size_##n);

static void test_null_output_refused(void)
{
	unsigned char in[4] = "hi";
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS, in, sizeof(in), NULL, 128, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	CHECK_EQ(res.information, 0);
}

/* ---- One regression test per tutorial defect (SPEC section 1) ---------- */

/* Defect 1: CTL_CODE(FILE_DEVICE_UNKNOWN, 0x2049, ...) is not function 0x2049. */
static void test_defect1_ioctl_code_overflow(void)
{
	CHECK_EQ(SPOTLESS_CTL_CODE(SPOTLESS_FILE_DEVICE_UNKNOWN, 0x2049u,
				   SPOTLESS_METHOD_BUFFERED, SPOTLESS_FILE_ANY_ACCESS),
		 0x00228124u);
	CHECK_EQ(IOCTL_SPOTLESS, 0x00228124u);
	CHECK_EQ(SPOTLESS_CODE_DEVICE(IOCTL_SPOTLESS), SPOTLESS_FILE_DEVICE_UNKNOWN);
	CHECK_EQ(SPOTLESS_CODE_FUNCTION(IOCTL_SPOTLESS), 0x049u);
	CHECK_EQ(SPOTLESS_CODE_FUNCTION(IOCTL_SPOTLESS), IOCTL_SPOTLESS_FUNCTION);
	CHECK_EQ(SPOTLESS_CODE_METHOD(IOCTL_SPOTLESS), SPOTLESS_METHOD_BUFFERED);
	CHECK_EQ(SPOTLESS_CODE_ACCESS(IOCTL_SPOTLESS), SPOTLESS_FILE_WRITE_ACCESS);
	/* New codes are built in the vendor range and keep their fields. */
	CHECK_EQ(SPOTLESS_NEW_CODE(0x800u, SPOTLESS_METHOD_NEITHER, SPOTLESS_FILE_READ_ACCESS),
		 0x00226003u);
	CHECK_EQ(SPOTLESS_CODE_FUNCTION(SPOTLESS_NEW_CODE(0xFFFu, 0u, 0u)), 0xFFFu);
}

/* Defect 2: the reply is copied with its own length, whatever the input's. */
static void test_defect2_reply_length_from_reply(void)
{
	unsigned char *long_in = make_input(100, "0123456789");
	unsigned char *out = make_output(SPOTLESS_CLIENT_BUFFER_SIZE);
	unsigned char shared[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_result res;

	/* Longer input than the reply: only 22 bytes (+ NUL) are written. */
	core_call(IOCTL_SPOTLESS, long_in, 100, out, SPOTLESS_CLIENT_BUFFER_SIZE, &res);
	CHECK_EQ(res.information, SPOTLESS_REPLY_LEN);
	CHECK(untouched(out, SPOTLESS_REPLY_LEN + 1, SPOTLESS_CLIENT_BUFFER_SIZE + SLACK));

	/* Shorter input in a shared buffer: no input bytes left in the reply. */
	memset(shared, 'Q', sizeof(shared));
	memcpy(shared, "ola", 4);
	core_call(IOCTL_SPOTLESS, shared, sizeof(shared), shared, sizeof(shared), &res);
	CHECK(!memcmp(shared, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN + 1));

	/* A 4-byte output buffer is not told that 22 bytes came back. */
	free(out);
	out = make_output(4);
	core_call(IOCTL_SPOTLESS, "ola", 4, out, 4, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	CHECK_EQ(res.information, 0);
	CHECK(untouched(out, 0, 4 + SLACK));
	free(long_in);
	free(out);
}

/* Defect 3: 128 bytes without a NUL are read as 128 bytes, no further. */
static void test_defect3_unterminated_input(void)
{
	check_message_length(128, 128, 0);
	check_message_length(1, 1, 0);
}

/* Defect 6: unknown codes fail and write nothing. */
static void test_defect6_unknown_codes_fail(void)
{
	static const uint32_t codes[] = {
		0, 0xFFFFFFFFu, IOCTL_SPOTLESS + 4, IOCTL_SPOTLESS - 4,
		IOCTL_SPOTLESS | SPOTLESS_METHOD_NEITHER,
		/* what the tutorial meant to write: function 0x049, any access */
		SPOTLESS_CTL_CODE(SPOTLESS_FILE_DEVICE_UNKNOWN, 0x049u, 0u, 0u),
		SPOTLESS_NEW_CODE(0x8FFu, 0u, 0u),
		IOCTL_SPOTLESS_ECHO_BUFFERED + SPOTLESS_METHOD_NEITHER,
		IOCTL_SPOTLESS_INFO + SPOTLESS_METHOD_NEITHER,
		SPOTLESS_CORE_UNKNOWN_CODE,
	};
	unsigned char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hello";
	unsigned char *out = make_output(SPOTLESS_CLIENT_BUFFER_SIZE);
	struct spotless_result res;
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		core_call(codes[i], in, sizeof(in), out, SPOTLESS_CLIENT_BUFFER_SIZE, &res);
		CHECK_EQ(res.status, SPOTLESS_ERR_UNKNOWN_CODE);
		CHECK_EQ(res.information, 0);
		CHECK(!res.logged.present);
		CHECK(untouched(out, 0, SPOTLESS_CLIENT_BUFFER_SIZE + SLACK));
	}
	free(out);
}

static void test_status_texts(void)
{
	enum spotless_status s;

	for (s = SPOTLESS_OK; s < SPOTLESS_STATUS_COUNT; s++) {
		CHECK(spotless_status_text(s) != NULL);
		CHECK(strcmp(spotless_status_text(s), "unknown status") != 0);
	}
	CHECK(!strcmp(spotless_status_text((enum spotless_status)99), "unknown status"));
}

/* ---- INFO and STATS ---------------------------------------------------- */

static void test_info(void)
{
	unsigned char *out = make_output(sizeof(struct spotless_info));
	struct spotless_info info;
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS_INFO, NULL, 0, out, sizeof(info), &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, sizeof(info));
	CHECK(untouched(out, sizeof(info), sizeof(info) + SLACK));
	memcpy(&info, out, sizeof(info));
	CHECK_EQ(info.size, sizeof(info));
	CHECK_EQ(info.protocol_version, SPOTLESS_PROTOCOL_VERSION);
	CHECK_EQ(info.driver_version, SPOTLESS_DRIVER_VERSION);
	CHECK_EQ(info.os, SPOTLESS_OS_LINUX);
	/* Linux: no transfer methods; events. */
	CHECK_EQ(info.capabilities, SPOTLESS_CAP_MESSAGE | SPOTLESS_CAP_INFO |
		 SPOTLESS_CAP_STATS | SPOTLESS_CAP_ECHO | SPOTLESS_CAP_BATCH |
		 SPOTLESS_CAP_EVENTS |
		 (spotless_crc32c_hw_available() ? SPOTLESS_CAP_CRC32C_INSTRUCTION : 0));
	CHECK_EQ(info.max_message, SPOTLESS_MESSAGE_MAX_INPUT);
	CHECK_EQ(info.max_echo, SPOTLESS_ECHO_MAX);
	CHECK_EQ(info.max_batch_bytes, SPOTLESS_BATCH_MAX_BYTES);
	CHECK_EQ(info.max_batch_records, SPOTLESS_BATCH_MAX_RECORDS);
	CHECK_EQ(info.handle_state_bytes, sizeof(struct spotless_handle_state));
	CHECK_EQ(info.event_queue_bytes, sizeof(struct spotless_event_queue));
	CHECK_EQ(info.reserved, 0);
	free(out);
}

static void test_info_and_stats_refuse_input_and_small_output(void)
{
	unsigned char in[1] = { 0 };
	unsigned char *out = make_output(sizeof(struct spotless_stats));
	struct spotless_result res;

	core_call(IOCTL_SPOTLESS_INFO, in, 1, out, sizeof(struct spotless_info), &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_UNEXPECTED_INPUT);
	core_call(IOCTL_SPOTLESS_INFO, NULL, 0, out, sizeof(struct spotless_info) - 1, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	core_call(IOCTL_SPOTLESS_INFO, NULL, 0, NULL, sizeof(struct spotless_info), &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	core_call(IOCTL_SPOTLESS_STATS, in, 1, out, sizeof(struct spotless_stats), &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_UNEXPECTED_INPUT);
	core_call(IOCTL_SPOTLESS_STATS, NULL, 0, out, sizeof(struct spotless_stats) - 1, &res);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	CHECK_EQ(res.information, 0);
	CHECK(untouched(out, 0, sizeof(struct spotless_stats) + SLACK));
	free(out);
}

static struct spotless_stats ask_stats(struct spotless_device_state *dev,
				       struct spotless_handle_state *h)
{
	struct spotless_stats stats;
	struct spotless_request req = {
		.code = IOCTL_SPOTLESS_STATS, .out = &stats, .out_len = sizeof(stats),
	};
	struct spotless_result res;

	memset(&stats, 0xEE, sizeof(stats));
	spotless_core_handle(dev, h, &req, &res);
	CHECK_EQ(res.status, SPOTLESS_OK);
	return stats;
}

static void send(struct spotless_device_state *dev, struct spotless_handle_state *h,
		 uint32_t code, const void *in, size_t in_len, size_t out_len)
{
	unsigned char out[64];
	struct spotless_request req = {
		.code = code, .in = in, .in_len = in_len, .out = out, .out_len = out_len,
	};
	struct spotless_result res;

	spotless_core_handle(dev, h, &req, &res);
}

/* Counters are exact after a known sequence, on the device and per handle. */
static void test_stats_after_known_sequence(void)
{
	struct spotless_device_state dev;
	struct spotless_handle_state a, b;
	struct spotless_stats st;

	spotless_core_device_init(&dev, SPOTLESS_OS_WINDOWS);
	spotless_core_allocated(&dev);
	spotless_core_handle_opened(&dev, &a, RW);
	spotless_core_allocated(&dev);
	spotless_core_handle_opened(&dev, &b, RW);
	CHECK_EQ(a.id, 1);
	CHECK_EQ(b.id, 2);

	send(&dev, &a, IOCTL_SPOTLESS, "hello", 6, 64);		/* ok: 6 in, 22 out */
	send(&dev, &a, IOCTL_SPOTLESS, "hello", 6, 64);
	send(&dev, &a, IOCTL_SPOTLESS, "hello", 6, 4);		/* output too small */
	send(&dev, &b, 0xDEADBEEF, NULL, 0, 0);			/* unknown */
	send(&dev, &b, IOCTL_SPOTLESS, NULL, 0, 64);		/* empty input */

	st = ask_stats(&dev, &a);
	CHECK_EQ(st.size, sizeof(st));
	CHECK_EQ(st.reserved0, 0);
	CHECK_EQ(st.open_handles, 2);
	CHECK_EQ(st.outstanding_allocations, 2);
	CHECK_EQ(st.handle_id, 1);
	CHECK_EQ(st.handle.requests[SPOTLESS_STAT_MESSAGE], 3);
	CHECK_EQ(st.handle.requests[SPOTLESS_STAT_STATS], 1);
	CHECK_EQ(st.handle.requests[SPOTLESS_STAT_UNKNOWN], 0);
	CHECK_EQ(st.handle.errors[SPOTLESS_ERR_OUTPUT_TOO_SMALL], 1);
	CHECK_EQ(st.handle.bytes_in, 12);
	CHECK_EQ(st.handle.bytes_out, 44);
	CHECK_EQ(st.device.requests[SPOTLESS_STAT_MESSAGE], 4);
	CHECK_EQ(st.device.requests[SPOTLESS_STAT_UNKNOWN], 1);
	CHECK_EQ(st.device.requests[SPOTLESS_STAT_STATS], 1);
	CHECK_EQ(st.device.errors[SPOTLESS_ERR_UNKNOWN_CODE], 1);
	CHECK_EQ(st.device.errors[SPOTLESS_ERR_EMPTY_INPUT], 1);
	CHECK_EQ(st.device.errors[SPOTLESS_ERR_OUTPUT_TOO_SMALL], 1);
	CHECK_EQ(st.device.bytes_in, 12);
	CHECK_EQ(st.device.bytes_out, 44);

	spotless_core_handle_closed(&dev, &b);
	spotless_core_freed(&dev);
	st = ask_stats(&dev, &a);
	CHECK_EQ(st.open_handles, 1);
	CHECK_EQ(st.outstanding_allocations, 1);
	CHECK_EQ(st.device.requests[SPOTLESS_STAT_STATS], 2);
	/* The first STATS answer is now counted in bytes_out too. */
	CHECK_EQ(st.handle.bytes_out, 44 + sizeof(st));
	spotless_core_handle_closed(&dev, &a);
	spotless_core_freed(&dev);
	CHECK_EQ(dev.open_handles, 0);
	CHECK_EQ(dev.outstanding_allocations, 0);
}

/*
 * The device's counters are kept in one set per processor (here, as in any
 * userland build, every request counts on set 0): STATS sums every set, as
 * requests counted on other processors' sets show.
 */
static void test_stats_sums_every_processors_counters(void)
{
	struct spotless_device_state dev;
	struct spotless_handle_state h;
	struct spotless_stats st;

	spotless_core_device_init(&dev, SPOTLESS_OS_LINUX);
	spotless_core_handle_opened(&dev, &h, RW);
	dev.counters[1].c.requests[SPOTLESS_STAT_ECHO] = 5;
	dev.counters[SPOTLESS_COUNTER_SETS - 1].c.requests[SPOTLESS_STAT_ECHO] = 7;
	dev.counters[17].c.errors[SPOTLESS_ERR_CHECKSUM_MISMATCH] = 2;
	dev.counters[17].c.bytes_out = 1000;
	st = ask_stats(&dev, &h);
	CHECK_EQ(st.device.requests[SPOTLESS_STAT_ECHO], 12);
	CHECK_EQ(st.device.requests[SPOTLESS_STAT_STATS], 1);	/* on set 0 */
	CHECK_EQ(st.device.errors[SPOTLESS_ERR_CHECKSUM_MISMATCH], 2);
	CHECK_EQ(st.device.bytes_out, 1000);
	/* The handle's own counters are one set: only what it sent. */
	CHECK_EQ(st.handle.requests[SPOTLESS_STAT_ECHO], 0);
	CHECK_EQ(st.handle.requests[SPOTLESS_STAT_STATS], 1);
	spotless_core_handle_closed(&dev, &h);
}

/* With the processors the glue names, requests count on their sets and
 * STATS sums those: 3 processors, 4 sets; set 4 is never written. */
static void test_stats_sums_the_sets_of_the_processors(void)
{
	struct spotless_device_state dev;
	struct spotless_handle_state h;
	struct spotless_stats st;

	spotless_core_device_init(&dev, SPOTLESS_OS_LINUX);
	spotless_core_set_processors(&dev, 3);
	CHECK_EQ(dev.counter_set_mask, 3);
	spotless_core_handle_opened(&dev, &h, RW);
	dev.counters[3].c.requests[SPOTLESS_STAT_ECHO] = 5;
	dev.counters[4].c.requests[SPOTLESS_STAT_ECHO] = 7;
	st = ask_stats(&dev, &h);
	CHECK_EQ(st.device.requests[SPOTLESS_STAT_ECHO], 5);
	spotless_core_handle_closed(&dev, &h);
	spotless_core_set_processors(&dev, 1);
	CHECK_EQ(dev.counter_set_mask, 0);
	spotless_core_set_processors(&dev, 1000);
	CHECK_EQ(dev.counter_set_mask, SPOTLESS_COUNTER_SETS - 1);
}

int main(void)
{
	spotless_core_device_init(&device, SPOTLESS_OS_LINUX);
	spotless_core_handle_opened(&device, &handle_state, RW);

	RUN_TEST(test_tutorial_exchange);
	RUN_TEST(test_shared_buffer);
	RUN_TEST(test_message_length_0);
	SPOTLESS_MESSAGE_EDGES(RUN_MESSAGE_LENGTH_)
	RUN_TEST(test_message_length_4096_no_nul);
	RUN_TEST(test_empty_input_refused);
	RUN_TEST(test_input_over_limit_refused);
	RUN_TEST(test_log_text_printable);
	SPOTLESS_REPLY_ROOM_EDGES(RUN_OUTPUT_SIZE_)
	RUN_TEST(test_null_output_refused);
	RUN_TEST(test_defect1_ioctl_code_overflow);
	RUN_TEST(test_defect2_reply_length_from_reply);
	RUN_TEST(test_defect3_unterminated_input);
	RUN_TEST(test_defect6_unknown_codes_fail);
	RUN_TEST(test_status_texts);
	RUN_TEST(test_info);
	RUN_TEST(test_info_and_stats_refuse_input_and_small_output);
	RUN_TEST(test_stats_after_known_sequence);
	RUN_TEST(test_stats_sums_every_processors_counters);
	RUN_TEST(test_stats_sums_the_sets_of_the_processors);
	return check_summary("core unit tests");
}
