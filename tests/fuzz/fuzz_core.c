// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the portable core: arbitrary codes, buffer lengths,
 * NULL pointers, shared (METHOD_BUFFERED-like) or separate buffers, and
 * arbitrary bytes. Each call is checked against the core's invariants; a
 * broken one aborts, and ASan / UBSan catch any read or write out of bounds
 * (every buffer is allocated to its exact length).
 *
 * Input layout: 4 bytes code, 2 bytes input length, 2 bytes output length,
 * 1 byte of switches, then the input bytes. The device and handle counters
 * live across inputs and must add up to the calls made.
 */
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "spotless_core.h"

#define MAX_LEN		(SPOTLESS_MESSAGE_MAX_INPUT + 64)

#define USE_KNOWN_CODE	0x01	/* replace the code by one of ours (bits 4-5) */
#define SHARED_BUFFER	0x02	/* in and out are one buffer, as METHOD_BUFFERED */
#define NULL_IN		0x04
#define NULL_OUT	0x08

static struct spotless_device_state fuzz_device;
static struct spotless_handle_state fuzz_handle;

static unsigned int rd16(const uint8_t *p) { return p[0] | p[1] << 8; }

static void require(int cond)
{
	if (!cond)
		abort();
}

static const uint32_t known_codes[4] = {
	IOCTL_SPOTLESS, IOCTL_SPOTLESS_INFO, IOCTL_SPOTLESS_STATS, IOCTL_SPOTLESS,
};

static int is_known(uint32_t code)
{
	return code == IOCTL_SPOTLESS || code == IOCTL_SPOTLESS_INFO ||
	       code == IOCTL_SPOTLESS_STATS;
}

/* Calls so far, and how many succeeded: the device counters must agree. */
static uint64_t calls, successes;

static void check_counters(void)
{
	const struct spotless_counters *c = &fuzz_device.counters;
	uint64_t requests = 0, errors = 0;
	int i;

	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		requests += c->requests[i];
		errors += c->errors[i];
		require(c->requests[i] == fuzz_handle.counters.requests[i]);
		require(c->errors[i] == fuzz_handle.counters.errors[i]);
	}
	require(requests == calls);
	require(errors + successes == calls);
	require(c->errors[SPOTLESS_OK] == 0);
}

static void check_result(const struct spotless_request *req,
			 const struct spotless_result *res)
{
	const struct spotless_log_message *msg = &res->message;

	require(res->written <= req->out_len);
	require(res->information <= res->written);
	if (res->status == SPOTLESS_OK) {
		require(is_known(req->code));
		require(req->out != NULL);
		if (req->code == IOCTL_SPOTLESS) {
			require(res->information == SPOTLESS_REPLY_LEN);
			require(!memcmp(req->out, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN));
		} else {
			/* INFO and STATS start with their own size. */
			uint32_t size;

			memcpy(&size, req->out, sizeof(size));
			require(res->information == size);
			require(size == (req->code == IOCTL_SPOTLESS_INFO ?
					 sizeof(struct spotless_info) :
					 sizeof(struct spotless_stats)));
		}
	} else {
		require(res->information == 0 && res->written == 0);
	}
	if (!is_known(req->code))
		require(res->status == SPOTLESS_ERR_UNKNOWN_CODE && !msg->present);
	if (req->code != IOCTL_SPOTLESS)
		require(!msg->present);
	if (msg->present) {
		size_t i;

		require(msg->length <= req->in_len);
		require(msg->shown <= SPOTLESS_LOG_MESSAGE_MAX);
		require(msg->shown == (msg->length < SPOTLESS_LOG_MESSAGE_MAX ?
				       msg->length : SPOTLESS_LOG_MESSAGE_MAX));
		require(strlen(msg->text) == msg->shown);
		for (i = 0; i < msg->shown; i++)
			require(msg->text[i] >= 0x20 && msg->text[i] < 0x7f);
	}
	require(spotless_status_text(res->status) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spotless_request req;
	struct spotless_result res;
	unsigned char *in = NULL, *out = NULL, *shared = NULL;
	size_t in_len, out_len, avail;
	unsigned int switches;

	if (size < 9)
		return 0;
	memset(&req, 0, sizeof(req));
	memcpy(&req.code, data, 4);
	in_len = rd16(data + 4) % MAX_LEN;
	out_len = rd16(data + 6) % MAX_LEN;
	switches = data[8];
	data += 9;
	avail = size - 9;
	if (switches & USE_KNOWN_CODE)
		req.code = known_codes[(switches >> 4) & 3];
	if (in_len > avail)
		in_len = avail;

	if (switches & SHARED_BUFFER) {
		size_t len = in_len > out_len ? in_len : out_len;

		/* One system buffer of max(in, out) bytes, input at its start. */
		shared = malloc(len + SLACK);
		memset(shared, GUARD, len + SLACK);
		memcpy(shared, data, in_len);
		req.in = shared;
		req.out = shared;
	} else {
		in = malloc(in_len ? in_len : 1);
		memcpy(in, data, in_len);
		out = malloc(out_len + SLACK);
		memset(out, GUARD, out_len + SLACK);
		req.in = in;
		req.out = out;
	}
	req.in_len = in_len;
	req.out_len = out_len;
	if (switches & NULL_IN)
		req.in = NULL;
	if (switches & NULL_OUT)
		req.out = NULL;

	memset(&res, 0x5A, sizeof(res));
	spotless_core_handle(&fuzz_device, &fuzz_handle, &req, &res);
	calls++;
	if (res.status == SPOTLESS_OK)
		successes++;
	check_result(&req, &res);
	check_counters();

	/* Nothing past what the core says it wrote. */
	if (out)
		require(untouched(out, res.written, out_len + SLACK));
	if (shared) {
		size_t len = in_len > out_len ? in_len : out_len;

		require(untouched(shared, len, len + SLACK));
		if (res.status != SPOTLESS_OK)
			require(!memcmp(shared, data, in_len));
	}
	free(in);
	free(out);
	free(shared);
	return 0;
}
