/* SPDX-License-Identifier: MIT */
/*
 * The library for any device: the general call (spotless_command) for each
 * command of the table that completes at once, structures that grow by size
 * as a newer and an older caller see them, the portable error kinds, and the
 * arguments checked before anything is written. The same cases on every
 * platform: included after protocol_cases.h by the Linux and Windows
 * end-to-end programs and by the NT model; run_general_call_cases() runs
 * them all, each through GENERAL_CALL_RUN (RUN_TEST unless the program
 * says otherwise: the model starts its driver around each).
 */
#ifndef SPOTLESS_GENERAL_CALL_CASES_H
#define SPOTLESS_GENERAL_CALL_CASES_H

#include "protocol_cases.h"

/* A newer caller's room: the first version and 64 bytes it knows more of. */
#define NEWER	64u

static int all_bytes(const unsigned char *p, size_t len, unsigned char value)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != value)
			return 0;
	return 1;
}

/* INFO by the general call, as INFO itself gives it. */
static void test_command_info_same_as_get_info(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_info info, by_call;
	size_t written = 99;

	CHECK_EQ(spotless_get_info(dev, &info), 0);
	memset(&by_call, 0xEE, sizeof(by_call));
	CHECK_EQ(spotless_command(dev, IOCTL_SPOTLESS_INFO, NULL, 0, &by_call,
				  sizeof(by_call), &written), 0);
	CHECK_EQ(written, sizeof(by_call));
	CHECK(!memcmp(&info, &by_call, sizeof(info)));
	spotless_close(dev);
}

/* A newer caller's larger INFO and STATS: the driver's part, then zeros,
 * the size field the driver's; an older caller's smaller room is refused. */
static void test_command_structures_grow_by_size(void)
{
	struct spotless_handle *dev = open_checked();
	unsigned char buf[sizeof(struct spotless_stats) + NEWER];
	uint32_t size;
	size_t written = 99;

	memset(buf, 0xEE, sizeof(buf));
	CHECK_EQ(spotless_command(dev, IOCTL_SPOTLESS_INFO, NULL, 0, buf,
				  sizeof(struct spotless_info) + NEWER, &written), 0);
	CHECK_EQ(written, sizeof(struct spotless_info) + NEWER);
	memcpy(&size, buf, sizeof(size));
	CHECK_EQ(size, sizeof(struct spotless_info));
	CHECK(all_bytes(buf + sizeof(struct spotless_info), NEWER, 0));
	CHECK(all_bytes(buf + sizeof(struct spotless_info) + NEWER,
			sizeof(buf) - sizeof(struct spotless_info) - NEWER, 0xEE));

	memset(buf, 0xEE, sizeof(buf));
	CHECK_EQ(spotless_command(dev, IOCTL_SPOTLESS_STATS, NULL, 0, buf, sizeof(buf),
				  &written), 0);
	CHECK_EQ(written, sizeof(buf));
	memcpy(&size, buf, sizeof(size));
	CHECK_EQ(size, sizeof(struct spotless_stats));
	CHECK(all_bytes(buf + sizeof(struct spotless_stats), NEWER, 0));

	/* Older than the first version: too small, nothing written. */
	memset(buf, 0xEE, sizeof(buf));
	written = 99;
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS_INFO, NULL, 0, buf,
						      sizeof(struct spotless_info) - 4,
						      &written)),
		 SPOTLESS_ERROR_OUTPUT_TOO_SMALL);
	CHECK_EQ(written, 0);
	CHECK(all_bytes(buf, sizeof(buf), 0xEE));
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS_STATS, NULL, 0, buf,
						      sizeof(struct spotless_stats) - 8,
						      &written)),
		 SPOTLESS_ERROR_OUTPUT_TOO_SMALL);
	spotless_close(dev);
}

/* ECHO and the tutorial exchange by the general call: the bytes of
 * DeviceIoControl on every OS. */
static void test_command_echo_and_message(void)
{
	struct spotless_handle *dev = open_checked();
	unsigned char *data = random_bytes(100, 7);
	unsigned char out[128 + TRAILER_ROOM];
	struct spotless_echo_trailer t;
	char msg[SPOTLESS_CLIENT_BUFFER_SIZE] = "hello from the general call";
	size_t written = 0;

	CHECK_EQ(spotless_command(dev, IOCTL_SPOTLESS_ECHO_BUFFERED, data, 100, out,
				  sizeof(out), &written), 0);
	CHECK_EQ(written, 100 + TRAILER_ROOM);
	CHECK(!memcmp(out, data, 100));
	memcpy(&t, out + 100, sizeof(t));
	CHECK_EQ(t.length, 100);
	CHECK_EQ(t.crc32c, crc32c_reference(data, 100));

	memset(out, 0, sizeof(out));
	CHECK_EQ(spotless_command(dev, IOCTL_SPOTLESS, msg, sizeof(msg), out, 128, &written), 0);
	CHECK_EQ(written, SPOTLESS_REPLY_LEN);
	CHECK(!memcmp(out, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN + 1));
	free(data);
	spotless_close(dev);
}

/* Each refusal has its kind, the same on every OS, and the driver answers
 * correctly afterwards. */
static void test_command_error_kinds(void)
{
	struct spotless_handle *dev = open_checked();
	unsigned char *big = random_bytes(SPOTLESS_ECHO_MAX + 1, 3);
	unsigned char out[64];
	struct spotless_info info;
	size_t written;

	CHECK_EQ(spotless_error_kind(spotless_command(dev, SPOTLESS_NEW_CODE(0xBFEu,
				SPOTLESS_METHOD_BUFFERED, SPOTLESS_FILE_ANY_ACCESS),
				NULL, 0, out, sizeof(out), &written)),
		 SPOTLESS_ERROR_UNKNOWN_COMMAND);
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS_ECHO_BUFFERED,
						      big, 64, out, 8, &written)),
		 SPOTLESS_ERROR_OUTPUT_TOO_SMALL);
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS_ECHO_BUFFERED,
						      big, SPOTLESS_ECHO_MAX + 1, big,
						      SPOTLESS_ECHO_MAX + 1, &written)),
		 SPOTLESS_ERROR_INPUT_TOO_LARGE);
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS_INFO, out, 4,
						      &info, sizeof(info), &written)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS, NULL, 0, out,
						      sizeof(out), &written)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(0), SPOTLESS_ERROR_NONE);
	CHECK_EQ(spotless_error_kind(SPOTLESS_E_TIMEOUT), SPOTLESS_ERROR_TIMEOUT);
	CHECK_EQ(spotless_error_kind(SPOTLESS_E_CANCELLED), SPOTLESS_ERROR_CANCELLED);
	/* Still answering. */
	CHECK_EQ(spotless_get_info(dev, &info), 0);
	CHECK_EQ(info.size, sizeof(info));
	free(big);
	spotless_close(dev);
}

/* Every status of the table has a kind and a name, the same on every OS. */
static void test_status_kinds_and_names(void)
{
	static const enum spotless_error_kind expected[SPOTLESS_STATUS_COUNT] = {
		[SPOTLESS_STATUS_OK] = SPOTLESS_ERROR_NONE,
		[SPOTLESS_STATUS_UNKNOWN_CODE] = SPOTLESS_ERROR_UNKNOWN_COMMAND,
		[SPOTLESS_STATUS_EMPTY_INPUT] = SPOTLESS_ERROR_INVALID_ARGUMENT,
		[SPOTLESS_STATUS_INPUT_TOO_LARGE] = SPOTLESS_ERROR_INPUT_TOO_LARGE,
		[SPOTLESS_STATUS_OUTPUT_TOO_SMALL] = SPOTLESS_ERROR_OUTPUT_TOO_SMALL,
		[SPOTLESS_STATUS_UNEXPECTED_INPUT] = SPOTLESS_ERROR_INVALID_ARGUMENT,
		[SPOTLESS_STATUS_CHECKSUM_MISMATCH] = SPOTLESS_ERROR_CHECKSUM_MISMATCH,
		[SPOTLESS_STATUS_BAD_BATCH] = SPOTLESS_ERROR_INVALID_ARGUMENT,
		[SPOTLESS_STATUS_NOT_BATCHABLE] = SPOTLESS_ERROR_INVALID_ARGUMENT,
		[SPOTLESS_STATUS_BAD_REQUEST] = SPOTLESS_ERROR_INVALID_ARGUMENT,
		[SPOTLESS_STATUS_ACCESS_DENIED] = SPOTLESS_ERROR_ACCESS_DENIED,
		[SPOTLESS_STATUS_UNKNOWN_FIELDS] = SPOTLESS_ERROR_UNKNOWN_FIELDS,
	};
	uint32_t s;

	CHECK_EQ(SPOTLESS_STATUS_COUNT, 12);
	for (s = 0; s < SPOTLESS_STATUS_COUNT; s++) {
		CHECK_EQ(spotless_status_error_kind(s), expected[s]);
		CHECK(spotless_status_name(s) != NULL);
		CHECK(strcmp(spotless_status_text(s), "unknown status") != 0);
		CHECK(strcmp(spotless_error_kind_name(spotless_status_error_kind(s)), "unknown") != 0);
	}
	CHECK(spotless_status_name(SPOTLESS_STATUS_COUNT) == NULL);
	CHECK(!strcmp(spotless_status_name(SPOTLESS_STATUS_OUTPUT_TOO_SMALL), "OUTPUT_TOO_SMALL"));
	CHECK_EQ(spotless_status_error_kind(SPOTLESS_STATUS_COUNT), SPOTLESS_ERROR_OTHER);
}

/* Arguments are checked before anything is written through them. */
static void test_library_checks_arguments_first(void)
{
	struct spotless_handle *dev = open_checked(), *other = (struct spotless_handle *)&dev;
	struct spotless_event_wait *wait;
	unsigned char data[8] = { 0 }, out[64];
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len;

	CHECK_EQ(spotless_error_kind(spotless_echo(dev, SPOTLESS_ECHO_BUFFERED, data, 8, out,
						   sizeof(out), NULL)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_message_raw(dev, data, 8, out, sizeof(out), NULL)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_send_message(dev, "x", reply, NULL)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_send_message(dev, "x", NULL, &len)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_batch(dev, data, 8, out, sizeof(out), NULL)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_event_wait_start(dev, NULL)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS_INFO, NULL, 4, out,
						      sizeof(out), &len)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS_INFO, NULL, 0, NULL,
						      sizeof(out), &len)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_command(NULL, IOCTL_SPOTLESS_INFO, NULL, 0, out,
						      sizeof(out), NULL)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_open_path("", &other)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK(other == NULL);
	CHECK_EQ(spotless_native_handle(NULL), -1);
	/* Nothing above was written through, and the handle still works. */
	CHECK(spotless_native_handle(dev) != -1);
	CHECK_EQ(spotless_event_wait_start(dev, &wait), 0);
	spotless_event_wait_free(wait);
	spotless_close(dev);
}

/* A device by a name nobody created: not found, on every OS. */
static void test_open_path_not_found(void)
{
	struct spotless_handle *dev = (struct spotless_handle *)&dev;

	CHECK_EQ(spotless_error_kind(spotless_open_path("spotless-nobody-made-this", &dev)),
		 SPOTLESS_ERROR_NOT_FOUND);
	CHECK(dev == NULL);
}

#ifndef GENERAL_CALL_RUN
#define GENERAL_CALL_RUN RUN_TEST
#endif

static void run_general_call_cases(void)
{
	GENERAL_CALL_RUN(test_command_info_same_as_get_info);
	GENERAL_CALL_RUN(test_command_structures_grow_by_size);
	GENERAL_CALL_RUN(test_command_echo_and_message);
	GENERAL_CALL_RUN(test_command_error_kinds);
	GENERAL_CALL_RUN(test_status_kinds_and_names);
	GENERAL_CALL_RUN(test_library_checks_arguments_first);
	GENERAL_CALL_RUN(test_open_path_not_found);
}

#endif /* SPOTLESS_GENERAL_CALL_CASES_H */
