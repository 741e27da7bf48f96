// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the portable core: arbitrary codes, buffer lengths,
 * NULL pointers, shared (METHOD_BUFFERED-like) or separate buffers, arbitrary
 * bytes, and batches built well-formed from the input and then, on request,
 * corrupted at one byte. Each call is checked against the core's invariants;
 * a broken one aborts, and ASan / UBSan catch any read or write out of bounds
 * (every buffer is allocated to its exact length).
 *
 * Input layout: 4 bytes code, 2 bytes input length, 2 bytes output length,
 * 1 byte of switches, 1 byte code choice, then the input bytes. The device
 * and handle counters live across inputs and must add up to the calls made.
 */
#include <stdlib.h>
#include <string.h>

#include "crc32c_reference.h"
#include "guard.h"
#include "spotless.h"
#include "spotless_core.h"

#define MAX_LEN		(SPOTLESS_MESSAGE_MAX_INPUT + 64)
#define HEAD_LEN	10

#define USE_KNOWN_CODE	0x01	/* replace the code by one of ours */
#define SHARED_BUFFER	0x02	/* in and out are one buffer, as METHOD_BUFFERED */
#define NULL_IN		0x04
#define NULL_OUT	0x08
#define BUILD_BATCH	0x10	/* the input bytes describe a batch's records */
#define CORRUPT_BATCH	0x20	/* then one byte of it is changed */
#define LIMIT_ACCESS	0x40	/* the handle has the access of bits 6-7 of choice */

static struct spotless_device_state fuzz_device;
static struct spotless_handle_state fuzz_handle;

static unsigned int rd16(const uint8_t *p) { return p[0] | p[1] << 8; }

static void require(int cond)
{
	if (!cond)
		abort();
}

/* Ours, every row of the command table, and last a code that is not. */
#define KNOWN_CODE_(...) SPOTLESS_ROW_CODE(__VA_ARGS__),
static const uint32_t known_codes[] = {
	SPOTLESS_COMMANDS(KNOWN_CODE_)
	0x12345678,
};
#define N_CODES	(sizeof(known_codes) / sizeof(known_codes[0]))

static int is_known(uint32_t code)
{
	unsigned int i;

	for (i = 0; i < N_CODES - 1; i++)
		if (code == known_codes[i])
			return 1;
	return 0;
}

/* Calls so far, how many succeeded, and batch records run and failed. */
static uint64_t calls, successes, records, record_failures;

static void check_counters(void)
{
	struct spotless_counters sum;
	const struct spotless_counters *c = &sum;
	uint64_t requests = 0, errors = 0;
	int i;

	spotless_core_device_counters(&fuzz_device, &sum);

	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		requests += c->requests[i];
		errors += c->errors[i];
		require(c->requests[i] == fuzz_handle.counters.requests[i]);
		require(c->errors[i] == fuzz_handle.counters.errors[i]);
	}
	require(requests == calls + records);
	require(errors == calls - successes + record_failures);
	require(c->errors[SPOTLESS_OK] == 0);
}

/* What a successful answer must look like; data is the input as sent. */
static void check_answer(const struct spotless_request *req,
			 const struct spotless_result *res, const uint8_t *data)
{
	const unsigned char *out = req->out;
	struct spotless_echo_trailer t;
	struct spotless_batch_header hdr;
	uint32_t size;
	size_t i;

	switch (req->code) {
	case IOCTL_SPOTLESS:
		require(res->information == SPOTLESS_REPLY_LEN);
		require(!memcmp(out, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN));
		break;
	case IOCTL_SPOTLESS_INFO:
	case IOCTL_SPOTLESS_STATS:
		/* They start with their own size, and are zero-extended to the
		 * caller's room (up to the largest a structure may grow to). */
		memcpy(&size, out, sizeof(size));
		require(size == (req->code == IOCTL_SPOTLESS_INFO ?
				 sizeof(struct spotless_info) :
				 sizeof(struct spotless_stats)));
		require(res->information == (req->out_len < SPOTLESS_STRUCT_MAX ?
					     req->out_len : SPOTLESS_STRUCT_MAX));
		for (i = size; i < res->information; i++)
			require(out[i] == 0);
		break;
	case IOCTL_SPOTLESS_ECHO_BUFFERED:
	case IOCTL_SPOTLESS_ECHO_OUT_DIRECT:
	case IOCTL_SPOTLESS_ECHO_NEITHER:
		require(res->information == req->in_len + sizeof(t));
		require(!memcmp(out, data, req->in_len));
		memcpy(&t, out + req->in_len, sizeof(t));
		require(t.length == req->in_len);
		require(t.crc32c == crc32c_reference(data, req->in_len));
		break;
	case IOCTL_SPOTLESS_ECHO_IN_DIRECT:
		require(res->written == 0);
		memcpy(&t, data, sizeof(t));
		require(t.length == req->out_len);
		require(t.crc32c == crc32c_reference(out, req->out_len));
		break;
	case IOCTL_SPOTLESS_BATCH:
		memcpy(&hdr, out, sizeof(hdr));
		require(hdr.count == res->batch_records && hdr.failed == res->batch_failed);
		require(hdr.failed <= hdr.count && hdr.count <= SPOTLESS_BATCH_MAX_RECORDS);
		require(res->information <= SPOTLESS_BATCH_MAX_BYTES);
		break;
	default:
		require(0);
	}
}

static void check_result(const struct spotless_request *req,
			 const struct spotless_result *res, const uint8_t *data)
{
	const struct spotless_log_text *msg = &res->logged;

	require(res->written <= req->out_len);
	require(res->information <= res->written ||
		(req->code == IOCTL_SPOTLESS_ECHO_IN_DIRECT && res->information == 0));
	if (res->status == SPOTLESS_OK) {
		uint32_t need = SPOTLESS_CODE_ACCESS(req->code);
		const struct spotless_command *c = spotless_command_find(req->code);
		size_t bound;

		require(is_known(req->code) && c && c->handler);
		require((fuzz_handle.access & need) == need);
		/* The row's size rules held. */
		require(req->in_len <= c->in_max);
		require(!c->in_struct || req->in_len >= c->in_struct);
		require(!c->out_struct || req->out_len >= c->out_struct);
		bound = c->out_max + ((c->flags & SPOTLESS_CMD_F_ANSWER_ECHOES) ? req->in_len : 0);
		require(res->information <= bound);
		require(req->out != NULL || req->code == IOCTL_SPOTLESS_ECHO_IN_DIRECT);
		check_answer(req, res, data);
	} else {
		require(res->information == 0 && res->written == 0);
		require(res->batch_records == 0 || req->code == IOCTL_SPOTLESS_BATCH);
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

/*
 * Turn the input bytes into a well-formed batch: each record is 1 byte code
 * choice, 1 byte input length, 2 bytes room, then its input. Returns its
 * length in buf.
 */
static size_t build_batch(const uint8_t *data, size_t avail, unsigned char *buf,
			  size_t cap)
{
	struct spotless_batch_writer w;

	spotless_batch_begin(&w, buf, cap);
	while (avail >= 4) {
		uint32_t code = known_codes[data[0] % N_CODES];
		size_t in_len = data[1], out_len = rd16(data + 2) % 600;

		data += 4;
		avail -= 4;
		if (in_len > avail)
			in_len = avail;
		if (spotless_batch_add(&w, code, data, in_len, out_len))
			break;
		data += in_len;
		avail -= in_len;
	}
	return spotless_batch_end(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char batch[MAX_LEN + 64];
	struct spotless_request req;
	struct spotless_result res;
	unsigned char *in = NULL, *out = NULL, *shared = NULL;
	size_t in_len, out_len, avail;
	unsigned int switches, choice;

	if (size < HEAD_LEN)
		return 0;
	memset(&req, 0, sizeof(req));
	memcpy(&req.code, data, 4);
	in_len = rd16(data + 4) % MAX_LEN;
	out_len = rd16(data + 6) % MAX_LEN;
	switches = data[8];
	choice = data[9];
	data += HEAD_LEN;
	avail = size - HEAD_LEN;
	if (switches & USE_KNOWN_CODE)
		req.code = known_codes[choice % N_CODES];
	if (switches & BUILD_BATCH) {
		/* The batch becomes the input, then maybe loses its form. */
		req.code = IOCTL_SPOTLESS_BATCH;
		in_len = build_batch(data, avail, batch, sizeof(batch));
		if ((switches & CORRUPT_BATCH) && in_len)
			batch[(choice * 7u) % in_len] ^= (uint8_t)(choice | 1);
		data = batch;
		avail = in_len;
	}
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

	fuzz_handle.access = SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS;
	if (switches & LIMIT_ACCESS)
		fuzz_handle.access = choice >> 6;
	memset(&res, 0x5A, sizeof(res));
	spotless_core_handle(&fuzz_device, &fuzz_handle, &req, &res);
	calls++;
	if (res.status == SPOTLESS_OK) {
		successes++;
		records += res.batch_records;
		record_failures += res.batch_failed;
	}
	check_result(&req, &res, data);
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
