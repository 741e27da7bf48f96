// SPDX-License-Identifier: MIT
/*
 * A program written and built against spotless 0.4.0's headers
 * (tests/compat/v0.4.0: the wire contract and libspotless's API as they
 * shipped), linked with today's library, against today's drivers: every
 * 0.4.0 call and code keeps working unchanged. Linux and Windows alike.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crc32c_reference.h"
#include "spotless.h"	/* tests/compat/v0.4.0/spotless.h */

static void test_040_calls(void)
{
	struct spotless_handle *dev = NULL;
	struct spotless_info info;
	struct spotless_stats st;
	struct spotless_event ev;
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result result;
	unsigned char data[100], out[100 + 8], in[256], answers[512];
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	const void *answer;
	size_t len, written;
	uint32_t crc = 0;
	int i;

	CHECK_EQ(sizeof(struct spotless_info), 56);
	CHECK_EQ(spotless_open(&dev), 0);
	CHECK_EQ(spotless_send_message(dev, "spotless saying ola from userland", reply, &len), 0);
	CHECK_EQ(len, SPOTLESS_REPLY_LEN);
	CHECK(!strcmp(reply, SPOTLESS_REPLY));
	CHECK_EQ(spotless_get_info(dev, &info), 0);
	CHECK_EQ(info.size, sizeof(info));
	CHECK(info.capabilities & SPOTLESS_CAP_EVENTS);
	CHECK_EQ(spotless_get_stats(dev, &st), 0);
	CHECK_EQ(st.size, sizeof(st));
	CHECK_EQ(st.handle.requests[SPOTLESS_STAT_STATS], 1);

	for (i = 0; i < 100; i++)
		data[i] = (unsigned char)(i * 7);
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_BUFFERED, data, 100, out, sizeof(out), &crc), 0);
	CHECK(!memcmp(out, data, 100));
	CHECK_EQ(crc, crc32c_reference(data, 100));

	spotless_batch_begin(&w, in, sizeof(in));
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(info)), 0);
	CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS, "hi", 2, 32), 0);
	len = spotless_batch_end(&w);
	CHECK_EQ(spotless_batch(dev, in, len, answers, sizeof(answers), &written), 0);
	CHECK_EQ(spotless_batch_read(&r, answers, written, &hdr), 0);
	CHECK_EQ(hdr.count, 2);
	CHECK_EQ(hdr.failed, 0);
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(((const struct spotless_info *)answer)->size, sizeof(info));
	CHECK_EQ(spotless_batch_next(&r, &result, &answer), 1);
	CHECK_EQ(result.information, SPOTLESS_REPLY_LEN);

	CHECK_EQ(spotless_wait_event(dev, 0, &ev), SPOTLESS_E_TIMEOUT);
	CHECK_EQ(spotless_post(dev, "040", 3), 0);
	CHECK_EQ(spotless_wait_event(dev, 5000, &ev), 0);
	CHECK_EQ(ev.kind, SPOTLESS_EVENT_POSTED);
	CHECK(!memcmp(ev.payload, "040", 3));
	CHECK_EQ(spotless_refused_request(dev), 0);
	spotless_close(dev);
}

int main(void)
{
	RUN_TEST(test_040_calls);
	return check_summary("a 0.4.0 program, unchanged");
}
