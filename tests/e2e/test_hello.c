// SPDX-License-Identifier: MIT
/*
 * The example driver (examples/hello) loaded beside spotless, through the
 * library's general call, the same on Linux (QEMU) and Windows (Wine):
 * hello answers its own command and the protocol's, spotless refuses
 * hello's, and each counts only its own requests.
 */
#include <stdlib.h>
#include <string.h>

/* The driver's configuration first: its rows join the table. */
#include "hello_config.h"
#include "spotless.h"
#include "check.h"

static struct spotless_handle *open_hello(void)
{
	struct spotless_handle *dev = NULL;

	CHECK_EQ(spotless_open_path(HELLO_DEVICE_NAME, &dev), 0);
	return dev;
}

static void test_hello_greets(void)
{
	struct spotless_handle *dev = open_hello();
	char answer[128];
	size_t written = 0;

	CHECK_EQ(spotless_command(dev, IOCTL_HELLO_GREET, "world", 5, answer, sizeof(answer),
				  &written), 0);
	CHECK_EQ(written, 12);
	CHECK(!memcmp(answer, "hello, world", 12));
	spotless_close(dev);
}

/* INFO: the protocol's capabilities and hello's own bit. */
static void test_hello_info_has_its_capability(void)
{
	struct spotless_handle *dev = open_hello(), *spotless = NULL;
	struct spotless_info info, theirs;

	CHECK_EQ(spotless_get_info(dev, &info), 0);
	CHECK(info.capabilities & HELLO_CAP_GREET);
	CHECK(info.capabilities & SPOTLESS_CAP_ECHO);
	CHECK_EQ(spotless_open(&spotless), 0);
	CHECK_EQ(spotless_get_info(spotless, &theirs), 0);
	CHECK(!(theirs.capabilities & HELLO_CAP_GREET));
	spotless_close(spotless);
	spotless_close(dev);
}

/* GREET's refusals, as its row says, and hello still answering. */
static void test_hello_greet_refusals(void)
{
	struct spotless_handle *dev = open_hello();
	char name[HELLO_NAME_MAX + 1], answer[128];
	size_t written;

	memset(name, 'n', sizeof(name));
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_HELLO_GREET, NULL, 0, answer,
						      sizeof(answer), &written)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_HELLO_GREET, name, sizeof(name),
						      answer, sizeof(answer), &written)),
		 SPOTLESS_ERROR_INPUT_TOO_LARGE);
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_HELLO_GREET, "w", 1, answer, 7,
						      &written)),
		 SPOTLESS_ERROR_OUTPUT_TOO_SMALL);
	CHECK_EQ(spotless_command(dev, IOCTL_HELLO_GREET, "w", 1, answer, 8, &written), 0);
	CHECK_EQ(written, 8);
	spotless_close(dev);
}

/* spotless does not know hello's command; hello answers the protocol's. */
static void test_each_driver_answers_its_own(void)
{
	struct spotless_handle *dev = open_hello(), *spotless = NULL;
	unsigned char out[64 + SPOTLESS_ECHO_TRAILER_LEN];
	size_t written;

	CHECK_EQ(spotless_open(&spotless), 0);
	CHECK_EQ(spotless_error_kind(spotless_command(spotless, IOCTL_HELLO_GREET, "world", 5,
						      out, sizeof(out), &written)),
		 SPOTLESS_ERROR_UNKNOWN_COMMAND);
	CHECK_EQ(spotless_command(dev, IOCTL_SPOTLESS_ECHO_BUFFERED, "echo", 4, out, sizeof(out),
				  &written), 0);
	CHECK_EQ(written, 4 + SPOTLESS_ECHO_TRAILER_LEN);
	CHECK(!memcmp(out, "echo", 4));
	spotless_close(spotless);
	spotless_close(dev);
}

/* GREET is counted in hello's own slot, in a BATCH too; spotless's counters
 * do not move. */
static void test_hello_counts_its_own(void)
{
	struct spotless_handle *dev = open_hello(), *spotless = NULL;
	struct spotless_stats a, b, sa, sb;
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result result;
	unsigned char in[256], out[512];
	const void *answer;
	char reply[64];
	size_t written = 0, len;

	CHECK_EQ(spotless_open(&spotless), 0);
	CHECK_EQ(spotless_get_stats(spotless, &sa), 0);
	CHECK_EQ(spotless_get_stats(dev, &a), 0);
	CHECK_EQ(spotless_command(dev, IOCTL_HELLO_GREET, "a", 1, reply, sizeof(reply),
				  &written), 0);
	spotless_batch_begin(&w, in, sizeof(in));
	CHECK_EQ(spotless_batch_add(&w, IOCTL_HELLO_GREET, "batch", 5, 64), 0);
	len = spotless_batch_end(&w);
	CHECK_EQ(spotless_batch(dev, in, len, out, sizeof(out), &written), 0);
	CHECK_EQ(spotless_batch_read(&r, out, written, &hdr), 0);
	CHECK_EQ(hdr.failed, 0);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.information, 12);
	CHECK(!memcmp(answer, "hello, batch", 12));
	CHECK_EQ(spotless_get_stats(dev, &b), 0);
	CHECK_EQ(spotless_get_stats(spotless, &sb), 0);
	CHECK_EQ(b.device.requests[HELLO_STAT_GREET] - a.device.requests[HELLO_STAT_GREET], 2);
	CHECK_EQ(sb.device.requests[HELLO_STAT_GREET], 0);
	CHECK_EQ(sb.device.requests[SPOTLESS_STAT_STATS] - sa.device.requests[SPOTLESS_STAT_STATS], 1);
	spotless_close(spotless);
	spotless_close(dev);
}

int main(void)
{
	RUN_TEST(test_hello_greets);
	RUN_TEST(test_hello_info_has_its_capability);
	RUN_TEST(test_hello_greet_refusals);
	RUN_TEST(test_each_driver_answers_its_own);
	RUN_TEST(test_hello_counts_its_own);
	return check_summary("hello beside spotless");
}
