// SPDX-License-Identifier: MIT
/*
 * Portable request handling shared by every kernel and by the unit tests.
 */
#include "spotless_core.h"

/*
 * Copy a bounded, printable view of the message into the log record. The
 * message ends at the first NUL or at the end of the input, whichever comes
 * first: the input is never read past in_len (tutorial defect 3).
 */
static void capture_message(struct spotless_log_message *msg,
			    const unsigned char *in, size_t in_len)
{
	size_t len = 0;
	size_t i;

	while (len < in_len && in[len] != '\0')
		len++;

	msg->present = 1;
	msg->length = len;
	msg->shown = len < SPOTLESS_LOG_MESSAGE_MAX ? len : SPOTLESS_LOG_MESSAGE_MAX;
	for (i = 0; i < msg->shown; i++) {
		unsigned char c = in[i];

		/* Keep log lines one line of plain ASCII. */
		msg->text[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
	}
	msg->text[msg->shown] = '\0';
}

static enum spotless_status handle_message(const struct spotless_request *req,
					   struct spotless_result *res)
{
	unsigned char *out = req->out;
	size_t i;

	/* The size is judged before the pointer, so that a kernel may leave an
	 * oversized input uncopied and still get the right answer. */
	if (req->in_len == 0)
		return SPOTLESS_ERR_EMPTY_INPUT;
	if (req->in_len > SPOTLESS_MESSAGE_MAX_INPUT)
		return SPOTLESS_ERR_INPUT_TOO_LARGE;
	if (!req->in)
		return SPOTLESS_ERR_EMPTY_INPUT;

	/* Read the whole message before writing: in and out may alias. */
	capture_message(&res->message, req->in, req->in_len);

	/* The reply's own length decides what is copied (tutorial defect 2). */
	if (!out || req->out_len < SPOTLESS_REPLY_LEN)
		return SPOTLESS_ERR_OUTPUT_TOO_SMALL;

	for (i = 0; i < SPOTLESS_REPLY_LEN; i++)
		out[i] = (unsigned char)SPOTLESS_REPLY[i];
	res->written = SPOTLESS_REPLY_LEN;
	/* A NUL when there is room, but it is not counted: the wire says 22. */
	if (req->out_len > SPOTLESS_REPLY_LEN)
		out[res->written++] = '\0';
	res->information = SPOTLESS_REPLY_LEN;
	return SPOTLESS_OK;
}

void spotless_core_handle(const struct spotless_request *req,
			  struct spotless_result *res)
{
	res->information = 0;
	res->written = 0;
	res->message.present = 0;
	res->message.length = 0;
	res->message.shown = 0;
	res->message.text[0] = '\0';

	switch (req->code) {
	case IOCTL_SPOTLESS:
		res->status = handle_message(req, res);
		break;
	default:
		/* Unknown codes fail; they never succeed (tutorial defect 6). */
		res->status = SPOTLESS_ERR_UNKNOWN_CODE;
		break;
	}

	if (res->status != SPOTLESS_OK) {
		res->information = 0;
		res->written = 0;
	}
}

const char *spotless_status_text(enum spotless_status status)
{
	switch (status) {
	case SPOTLESS_OK:
		return "success";
	case SPOTLESS_ERR_UNKNOWN_CODE:
		return "unknown control code";
	case SPOTLESS_ERR_EMPTY_INPUT:
		return "empty input";
	case SPOTLESS_ERR_INPUT_TOO_LARGE:
		return "input too large";
	case SPOTLESS_ERR_OUTPUT_TOO_SMALL:
		return "output buffer too small";
	}
	return "unknown status";
}
