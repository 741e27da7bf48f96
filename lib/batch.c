// SPDX-License-Identifier: MIT
/*
 * Building BATCH requests and reading their answers: plain bytes, the same on
 * every OS, so this file has no OS code and no error numbers of its own.
 */
#include <string.h>

#include "spotless.h"

#define HEADER_LEN	sizeof(struct spotless_batch_header)
#define RECORD_LEN	sizeof(struct spotless_batch_record)
#define RESULT_LEN	sizeof(struct spotless_batch_result)

void spotless_batch_begin(struct spotless_batch_writer *w, void *buf, size_t cap)
{
	if (!w)
		return;
	w->buf = buf;
	w->cap = buf ? cap : 0;	/* no buffer: no room, every add refused */
	w->len = HEADER_LEN;
	w->count = 0;
	w->out_needed = HEADER_LEN;
}

int spotless_batch_add(struct spotless_batch_writer *w, uint32_t code,
		       const void *in, size_t in_len, size_t out_len)
{
	struct spotless_batch_record rec;
	size_t length;

	if (!w || in_len > SPOTLESS_BATCH_MAX_BYTES || out_len > SPOTLESS_BATCH_MAX_BYTES ||
	    w->count >= SPOTLESS_BATCH_MAX_RECORDS || (in_len && !in))
		return -1;
	length = SPOTLESS_BATCH_PAD(RECORD_LEN + in_len);
	if (length > w->cap || w->len > w->cap - length)
		return -1;
	rec.length = (uint32_t)length;
	rec.code = code;
	rec.in_len = (uint32_t)in_len;
	rec.out_len = (uint32_t)out_len;
	memcpy(w->buf + w->len, &rec, RECORD_LEN);
	if (in_len)
		memcpy(w->buf + w->len + RECORD_LEN, in, in_len);
	memset(w->buf + w->len + RECORD_LEN + in_len, 0, length - RECORD_LEN - in_len);
	w->len += length;
	w->count++;
	w->out_needed += RESULT_LEN + SPOTLESS_BATCH_PAD(out_len);
	return 0;
}

size_t spotless_batch_end(struct spotless_batch_writer *w)
{
	struct spotless_batch_header hdr = { .size = HEADER_LEN };

	if (!w || w->cap < HEADER_LEN)
		return 0;
	hdr.count = w->count;
	memcpy(w->buf, &hdr, HEADER_LEN);
	return w->len;
}

int spotless_batch_read(struct spotless_batch_reader *r, const void *out,
			size_t written, struct spotless_batch_header *header)
{
	if (!r || !out || !header || written < HEADER_LEN)
		return -1;
	memcpy(header, out, HEADER_LEN);
	if (header->size != HEADER_LEN || header->count > SPOTLESS_BATCH_MAX_RECORDS)
		return -1;
	r->buf = out;
	r->len = written;
	r->off = HEADER_LEN;
	r->left = header->count;
	return 0;
}

int spotless_batch_next(struct spotless_batch_reader *r,
			struct spotless_batch_result *result, const void **answer)
{
	if (!r || !result || !answer)
		return -1;
	if (!r->left)
		return r->off == r->len ? 0 : -1;
	if (r->len - r->off < RESULT_LEN)
		return -1;
	memcpy(result, r->buf + r->off, RESULT_LEN);
	/* The driver's word is checked like anyone's. */
	if (result->length < RESULT_LEN || result->length > r->len - r->off ||
	    result->information > result->length - RESULT_LEN)
		return -1;
	*answer = r->buf + r->off + RESULT_LEN;
	r->off += result->length;
	r->left--;
	return 1;
}
