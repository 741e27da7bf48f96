// SPDX-License-Identifier: MIT
/*
 * BATCH: many requests in one call. The framing is checked whole before any
 * record runs, so that a broken batch has no effect; then each record runs
 * as its own command and gets its own status. The layout is in
 * wire_protocol.h.
 */
#include "spotless_core_internal.h"

#define HEADER_LEN	sizeof(struct spotless_batch_header)
#define RECORD_LEN	sizeof(struct spotless_batch_record)
#define RESULT_LEN	sizeof(struct spotless_batch_result)

/*
 * Walk the records without running them: every length must add up, within
 * the input and the limits. *out_needed gets the output the answers take.
 */
static enum spotless_status check_framing(const unsigned char *in, size_t in_len,
					  uint32_t count, size_t *out_needed)
{
	struct spotless_batch_record rec;
	size_t off = HEADER_LEN, need = HEADER_LEN;
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (in_len - off < RECORD_LEN)
			return SPOTLESS_ERR_BAD_BATCH;
		memcpy(&rec, in + off, RECORD_LEN);
		/* Each field is bounded before it takes part in a sum. */
		if (rec.in_len > SPOTLESS_BATCH_MAX_BYTES ||
		    rec.out_len > SPOTLESS_BATCH_MAX_BYTES ||
		    rec.length != SPOTLESS_BATCH_PAD(RECORD_LEN + rec.in_len) ||
		    rec.length > in_len - off)
			return SPOTLESS_ERR_BAD_BATCH;
		off += rec.length;
		need += RESULT_LEN + SPOTLESS_BATCH_PAD(rec.out_len);
		if (need > SPOTLESS_BATCH_MAX_BYTES)
			return SPOTLESS_ERR_BAD_BATCH;
	}
	if (off != in_len)
		return SPOTLESS_ERR_BAD_BATCH;	/* bytes after the last record */
	*out_needed = need;
	return SPOTLESS_OK;
}

enum spotless_status spotless_cmd_batch(struct spotless_device_state *dev,
					struct spotless_handle_state *handle,
					const struct spotless_request *req,
					struct spotless_result *res)
{
	const unsigned char *in = req->in;
	unsigned char *out = req->out;
	struct spotless_batch_header hdr;
	size_t in_off = HEADER_LEN, out_off = HEADER_LEN, need = 0;
	enum spotless_status status;
	uint32_t i;

	if (req->in_len > SPOTLESS_BATCH_MAX_BYTES)
		return SPOTLESS_ERR_INPUT_TOO_LARGE;
	if (!in || req->in_len < HEADER_LEN)
		return SPOTLESS_ERR_BAD_BATCH;
	memcpy(&hdr, in, HEADER_LEN);
	if (hdr.size != HEADER_LEN || hdr.count == 0 ||
	    hdr.count > SPOTLESS_BATCH_MAX_RECORDS || hdr.failed || hdr.reserved)
		return SPOTLESS_ERR_BAD_BATCH;
	status = check_framing(in, req->in_len, hdr.count, &need);
	if (status != SPOTLESS_OK)
		return status;
	if (!out || req->out_len < need)
		return SPOTLESS_ERR_OUTPUT_TOO_SMALL;
	/* Answers are written while records are still to be read. */
	if (spotless_overlap(in, req->in_len, out, need))
		return SPOTLESS_ERR_BAD_REQUEST;

	for (i = 0; i < hdr.count; i++) {
		struct spotless_batch_record rec;
		struct spotless_batch_result result;
		struct spotless_request sub;
		struct spotless_result sub_res;
		size_t room;

		memcpy(&rec, in + in_off, RECORD_LEN);
		room = SPOTLESS_BATCH_PAD(rec.out_len);
		sub.code = rec.code;
		sub.in = in + in_off + RECORD_LEN;
		sub.in_len = rec.in_len;
		sub.out = out + out_off + RESULT_LEN;
		sub.out_len = rec.out_len;
		/* The glue logs a batch, not its records: no message text. */
		sub.unlogged = 1;
		spotless_core_run_record(dev, handle, &sub, &sub_res);

		result.length = (uint32_t)(RESULT_LEN + room);
		result.status = sub_res.status;
		result.information = (uint32_t)sub_res.information;
		result.reserved = 0;
		memcpy(out + out_off, &result, RESULT_LEN);
		/* The rest of the room leaves zeroed, never as it was. */
		memset(out + out_off + RESULT_LEN + sub_res.written, 0,
		       room - sub_res.written);
		if (sub_res.status != SPOTLESS_OK)
			res->batch_failed++;
		in_off += rec.length;
		out_off += result.length;
	}

	hdr.failed = res->batch_failed;
	memcpy(out, &hdr, HEADER_LEN);
	res->batch_records = hdr.count;
	res->information = out_off;
	res->written = res->information;
	res->consumed = req->in_len;
	return SPOTLESS_OK;
}
