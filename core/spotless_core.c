// SPDX-License-Identifier: MIT
/*
 * Portable request handling shared by every kernel and by the unit tests.
 */
#include "spotless_atomic.h"
#include "spotless_core_internal.h"
#include "spotless_crc32c.h"

/* Every status has its error counter slot. */
typedef char spotless_status_slots_check[
	SPOTLESS_STATUS_COUNT <= SPOTLESS_STAT_SLOTS ? 1 : -1];
typedef char spotless_trailer_size_check[
	sizeof(struct spotless_echo_trailer) == SPOTLESS_ECHO_TRAILER_LEN ? 1 : -1];


/*
 * Copy a bounded, printable view of the message into the log record. The
 * message ends at the first NUL or at the end of the input, whichever comes
 * first: the input is never read past in_len (tutorial defect 3).
 */
static void capture_message(struct spotless_log_text *msg,
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

	/* The size is judged before the pointer, so that a kernel may leave an
	 * oversized input uncopied and still get the right answer. */
	if (req->in_len == 0)
		return SPOTLESS_ERR_EMPTY_INPUT;
	if (req->in_len > SPOTLESS_MESSAGE_MAX_INPUT)
		return SPOTLESS_ERR_INPUT_TOO_LARGE;
	if (!req->in)
		return SPOTLESS_ERR_EMPTY_INPUT;

	/* Read the whole message before writing: in and out may alias. */
	capture_message(&res->logged, req->in, req->in_len);

	/* The reply's own length decides what is copied (tutorial defect 2). */
	if (!out || req->out_len < SPOTLESS_REPLY_LEN)
		return SPOTLESS_ERR_OUTPUT_TOO_SMALL;

	memcpy(out, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN);
	res->written = SPOTLESS_REPLY_LEN;
	/* A NUL when there is room, but it is not counted: the wire says 22. */
	if (req->out_len > SPOTLESS_REPLY_LEN)
		out[res->written++] = '\0';
	res->information = SPOTLESS_REPLY_LEN;
	res->consumed = req->in_len;
	return SPOTLESS_OK;
}

static enum spotless_status handle_info(const struct spotless_device_state *dev,
					const struct spotless_request *req,
					struct spotless_result *res)
{
	struct spotless_info info;

	if (req->in_len)
		return SPOTLESS_ERR_UNEXPECTED_INPUT;
	if (!req->out || req->out_len < sizeof(info))
		return SPOTLESS_ERR_OUTPUT_TOO_SMALL;
	/* Every byte set, reserved ones included: nothing uninitialised leaves. */
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.protocol_version = SPOTLESS_PROTOCOL_VERSION;
	info.driver_version = SPOTLESS_DRIVER_VERSION;
	info.os = dev->os;
	info.capabilities = SPOTLESS_CAP_MESSAGE | SPOTLESS_CAP_INFO |
			    SPOTLESS_CAP_STATS | SPOTLESS_CAP_ECHO | SPOTLESS_CAP_BATCH |
			    SPOTLESS_CAP_EVENTS;
	/* The transfer methods are a Windows notion. */
	if (dev->os == SPOTLESS_OS_WINDOWS)
		info.capabilities |= SPOTLESS_CAP_ECHO_DIRECT | SPOTLESS_CAP_ECHO_NEITHER;
	if (spotless_crc32c_hw_available())
		info.capabilities |= SPOTLESS_CAP_CRC32C_INSTRUCTION;
	info.max_message = SPOTLESS_MESSAGE_MAX_INPUT;
	info.max_echo = SPOTLESS_ECHO_MAX;
	info.max_batch_bytes = SPOTLESS_BATCH_MAX_BYTES;
	info.max_batch_records = SPOTLESS_BATCH_MAX_RECORDS;
	info.handle_state_bytes = dev->handle_bytes;
	info.event_queue_bytes = dev->event_queue_bytes;
	memcpy(req->out, &info, sizeof(info));
	res->written = res->information = sizeof(info);
	return SPOTLESS_OK;
}

/*
 * ECHO (buffered, OUT_DIRECT, Linux): the payload, then its trailer. The
 * checksum is taken before anything is written, since with METHOD_BUFFERED
 * out and in are the same bytes; there the payload is already in place.
 */
static enum spotless_status handle_echo(const struct spotless_request *req,
					struct spotless_result *res)
{
	unsigned char *out = req->out;
	const unsigned char *in = req->in;
	uint32_t crc, length = (uint32_t)req->in_len;

	/* Sizes first: a kernel may leave a refused payload uncopied. */
	if (req->in_len > SPOTLESS_ECHO_MAX)
		return SPOTLESS_ERR_INPUT_TOO_LARGE;
	if (!out || req->out_len < req->in_len + SPOTLESS_ECHO_TRAILER_LEN)
		return SPOTLESS_ERR_OUTPUT_TOO_SMALL;
	if (req->in_len && !in)
		return SPOTLESS_ERR_EMPTY_INPUT;

	crc = spotless_crc32c_update(0, in, req->in_len);
	/* In place with METHOD_BUFFERED; elsewhere the two may still overlap. */
	if (req->in_len && out != in)
		memmove(out, in, req->in_len);
	/* The trailer, field by field (struct spotless_echo_trailer). */
	memcpy(out + req->in_len, &crc, sizeof(crc));
	memcpy(out + req->in_len + sizeof(crc), &length, sizeof(length));
	res->written = res->information = req->in_len + SPOTLESS_ECHO_TRAILER_LEN;
	res->consumed = req->in_len;
	return SPOTLESS_OK;
}

/*
 * ECHO through METHOD_IN_DIRECT: the payload is the buffer the I/O manager
 * locked for reading (out); in carries the client's own checksum of it.
 */
static enum spotless_status handle_echo_in_direct(const struct spotless_request *req,
						  struct spotless_result *res)
{
	struct spotless_echo_trailer expected;

	if (req->in_len != sizeof(expected) || !req->in)
		return SPOTLESS_ERR_BAD_REQUEST;
	if (req->out_len > SPOTLESS_ECHO_MAX)
		return SPOTLESS_ERR_INPUT_TOO_LARGE;
	if (req->out_len && !req->out)
		return SPOTLESS_ERR_EMPTY_INPUT;
	memcpy(&expected, req->in, sizeof(expected));
	if (expected.length != req->out_len ||
	    expected.crc32c != spotless_crc32c_update(0, req->out, req->out_len))
		return SPOTLESS_ERR_CHECKSUM_MISMATCH;
	res->consumed = req->out_len;
	return SPOTLESS_OK;
}

static void read_counters(struct spotless_counters *to,
			  const struct spotless_counters *from)
{
	int i;

	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		to->requests[i] = spotless_counter_read(&from->requests[i]);
		to->errors[i] = spotless_counter_read(&from->errors[i]);
	}
	to->bytes_in = spotless_counter_read(&from->bytes_in);
	to->bytes_out = spotless_counter_read(&from->bytes_out);
}

/* The STATS request is counted before it is answered: it sees itself. */
static enum spotless_status handle_stats(struct spotless_device_state *dev,
					 struct spotless_handle_state *handle,
					 const struct spotless_request *req,
					 struct spotless_result *res)
{
	struct spotless_stats stats;

	if (req->in_len)
		return SPOTLESS_ERR_UNEXPECTED_INPUT;
	if (!req->out || req->out_len < sizeof(stats))
		return SPOTLESS_ERR_OUTPUT_TOO_SMALL;
	memset(&stats, 0, sizeof(stats));
	stats.size = sizeof(stats);
	stats.open_handles = spotless_counter_read(&dev->open_handles);
	stats.outstanding_allocations =
		spotless_counter_read(&dev->outstanding_allocations);
	stats.handle_id = handle->id;
	read_counters(&stats.device, &dev->counters);
	read_counters(&stats.handle, &handle->counters);
	/* This answer's own bytes are not in the bytes_out it reports. */
	memcpy(req->out, &stats, sizeof(stats));
	res->written = res->information = sizeof(stats);
	return SPOTLESS_OK;
}

static int stat_slot(uint32_t code)
{
	switch (code) {
	case IOCTL_SPOTLESS:
		return SPOTLESS_STAT_MESSAGE;
	case IOCTL_SPOTLESS_INFO:
		return SPOTLESS_STAT_INFO;
	case IOCTL_SPOTLESS_STATS:
		return SPOTLESS_STAT_STATS;
	case IOCTL_SPOTLESS_ECHO_BUFFERED:
	case IOCTL_SPOTLESS_ECHO_IN_DIRECT:
	case IOCTL_SPOTLESS_ECHO_OUT_DIRECT:
	case IOCTL_SPOTLESS_ECHO_NEITHER:
		return SPOTLESS_STAT_ECHO;
	case IOCTL_SPOTLESS_BATCH:
		return SPOTLESS_STAT_BATCH;
	case IOCTL_SPOTLESS_POST:
		return SPOTLESS_STAT_POST;
	case IOCTL_SPOTLESS_WAIT_EVENT:
		return SPOTLESS_STAT_WAIT_EVENT;
	default:
		return SPOTLESS_STAT_UNKNOWN;
	}
}

static void count_request(struct spotless_counters *c, int slot)
{
	spotless_count(&c->requests[slot], 1);
}

static void count_result(struct spotless_counters *c,
			 const struct spotless_result *res)
{
	if (res->status != SPOTLESS_OK) {
		spotless_count(&c->errors[res->status], 1);
		return;
	}
	spotless_count(&c->bytes_in, res->consumed);
	spotless_count(&c->bytes_out, res->information);
}

void spotless_core_device_init(struct spotless_device_state *dev, uint32_t os)
{
	/* In place: the state holds the event ring, too large for a stack copy. */
	memset(dev, 0, sizeof(*dev));
	dev->os = os;
	dev->handle_bytes = sizeof(struct spotless_handle_state);
	dev->event_queue_bytes = sizeof(struct spotless_event_queue);
	spotless_events_init(&dev->events);
}

void spotless_core_allocated(struct spotless_device_state *dev)
{
	spotless_count(&dev->outstanding_allocations, 1);
}

void spotless_core_freed(struct spotless_device_state *dev)
{
	spotless_uncount(&dev->outstanding_allocations, 1);
}

void spotless_core_handle_opened(struct spotless_device_state *dev,
				 struct spotless_handle_state *handle, uint32_t access)
{
	struct spotless_handle_state zero = { 0 };

	*handle = zero;
	handle->access = access;
	handle->id = __atomic_add_fetch(&dev->next_handle_id, 1, __ATOMIC_RELAXED);
	spotless_count(&dev->open_handles, 1);
}

void spotless_core_handle_closed(struct spotless_device_state *dev,
				 struct spotless_handle_state *handle)
{
	(void)handle;
	spotless_uncount(&dev->open_handles, 1);
}

static void reset_result(struct spotless_result *res)
{
	res->status = SPOTLESS_OK;
	res->information = 0;
	res->written = 0;
	res->consumed = 0;
	res->batch_records = 0;
	res->batch_failed = 0;
	res->logged.present = 0;
	res->logged.length = 0;
	res->logged.shown = 0;
	res->logged.text[0] = '\0';
}

/* A command of ours that the handle was not opened for. */
static int access_denied(const struct spotless_handle_state *handle, uint32_t code)
{
	uint32_t need = SPOTLESS_CODE_ACCESS(code);

	return stat_slot(code) != SPOTLESS_STAT_UNKNOWN && (handle->access & need) != need;
}

/* Every command but BATCH: what a request and a batch record can be. */
static enum spotless_status run_command(struct spotless_device_state *dev,
					struct spotless_handle_state *handle,
					const struct spotless_request *req,
					struct spotless_result *res)
{
	switch (req->code) {
	case IOCTL_SPOTLESS_POST:
	case IOCTL_SPOTLESS_WAIT_EVENT:
		/* Events are the glue's (spotless_core_post); a kernel that sends
		 * these codes here has none, and they are unknown to it. */
		return SPOTLESS_ERR_UNKNOWN_CODE;
	default:
		break;
	}
	if (access_denied(handle, req->code))
		return SPOTLESS_ERR_ACCESS_DENIED;

	switch (req->code) {
	case IOCTL_SPOTLESS:
		return handle_message(req, res);
	case IOCTL_SPOTLESS_INFO:
		return handle_info(dev, req, res);
	case IOCTL_SPOTLESS_STATS:
		return handle_stats(dev, handle, req, res);
	case IOCTL_SPOTLESS_ECHO_BUFFERED:
	case IOCTL_SPOTLESS_ECHO_OUT_DIRECT:
	case IOCTL_SPOTLESS_ECHO_NEITHER:
		return handle_echo(req, res);
	case IOCTL_SPOTLESS_ECHO_IN_DIRECT:
		return handle_echo_in_direct(req, res);
	default:
		/* Unknown codes fail; they never succeed (tutorial defect 6). */
		return SPOTLESS_ERR_UNKNOWN_CODE;
	}
}

/* A failed request reports nothing written, whatever a handler did. */
static void settle(struct spotless_result *res, enum spotless_status status)
{
	res->status = status;
	if (status != SPOTLESS_OK) {
		res->information = 0;
		res->written = 0;
		res->consumed = 0;
	}
}

/* A request begins: its result cleared, counted on the device and handle. */
static void begin(struct spotless_device_state *dev,
		  struct spotless_handle_state *handle, uint32_t code,
		  struct spotless_result *res)
{
	int slot = stat_slot(code);

	reset_result(res);
	count_request(&dev->counters, slot);
	count_request(&handle->counters, slot);
}

/* A request ends: its status settled and counted with its bytes. */
static void finish(struct spotless_device_state *dev,
		   struct spotless_handle_state *handle,
		   struct spotless_result *res, enum spotless_status status)
{
	settle(res, status);
	count_result(&dev->counters, res);
	count_result(&handle->counters, res);
}

void spotless_core_handle(struct spotless_device_state *dev,
			  struct spotless_handle_state *handle,
			  const struct spotless_request *req,
			  struct spotless_result *res)
{
	enum spotless_status status;

	begin(dev, handle, req->code, res);
	if (req->code != IOCTL_SPOTLESS_BATCH)
		status = run_command(dev, handle, req, res);
	else if (access_denied(handle, req->code))
		status = SPOTLESS_ERR_ACCESS_DENIED;
	else
		status = spotless_batch_run(dev, handle, req, res);
	finish(dev, handle, res, status);
}

enum spotless_status spotless_core_check_sizes(uint32_t code, size_t in_len,
					       size_t out_len)
{
	switch (code) {
	case IOCTL_SPOTLESS_ECHO_IN_DIRECT:
		return out_len > SPOTLESS_ECHO_MAX ? SPOTLESS_ERR_INPUT_TOO_LARGE : SPOTLESS_OK;
	case IOCTL_SPOTLESS_ECHO_OUT_DIRECT:
	case IOCTL_SPOTLESS_ECHO_NEITHER:
		return in_len > SPOTLESS_ECHO_MAX ? SPOTLESS_ERR_INPUT_TOO_LARGE : SPOTLESS_OK;
	case IOCTL_SPOTLESS_BATCH:
		return in_len > SPOTLESS_BATCH_MAX_BYTES ? SPOTLESS_ERR_INPUT_TOO_LARGE
							 : SPOTLESS_OK;
	}
	return SPOTLESS_OK;
}

void spotless_core_refuse(struct spotless_device_state *dev,
			  struct spotless_handle_state *handle, uint32_t code,
			  enum spotless_status status, struct spotless_result *res)
{
	begin(dev, handle, code, res);
	finish(dev, handle, res, status);
}

int spotless_core_allows(const struct spotless_handle_state *handle, uint32_t code)
{
	return !access_denied(handle, code);
}

void spotless_core_account(struct spotless_device_state *dev,
			   struct spotless_handle_state *handle, uint32_t code,
			   enum spotless_status status, size_t in, size_t out)
{
	struct spotless_result res;

	begin(dev, handle, code, &res);
	res.consumed = in;
	res.information = out;
	finish(dev, handle, &res, status);
}

enum spotless_status spotless_core_post(struct spotless_device_state *dev,
					struct spotless_handle_state *handle,
					const void *msg, size_t len, uint64_t now_ns,
					uint32_t *reached)
{
	enum spotless_status status = SPOTLESS_OK;

	*reached = 0;
	if (access_denied(handle, IOCTL_SPOTLESS_POST))
		status = SPOTLESS_ERR_ACCESS_DENIED;
	else if (!len || !msg)
		status = SPOTLESS_ERR_EMPTY_INPUT;
	else if (len > SPOTLESS_EVENT_PAYLOAD_MAX)
		status = SPOTLESS_ERR_INPUT_TOO_LARGE;
	else
		*reached = spotless_events_publish(&dev->events, SPOTLESS_EVENT_POSTED,
						   handle->id, now_ns, msg, (uint32_t)len);
	spotless_core_account(dev, handle, IOCTL_SPOTLESS_POST, status,
			      status == SPOTLESS_OK ? len : 0, 0);
	return status;
}

void spotless_core_run_record(struct spotless_device_state *dev,
			      struct spotless_handle_state *handle,
			      const struct spotless_request *req,
			      struct spotless_result *res)
{
	begin(dev, handle, req->code, res);
	/* No batch in a batch; the direct and neither methods need their own IRP. */
	if (req->code == IOCTL_SPOTLESS_BATCH ||
	    req->code == IOCTL_SPOTLESS_ECHO_IN_DIRECT ||
	    req->code == IOCTL_SPOTLESS_ECHO_OUT_DIRECT ||
	    req->code == IOCTL_SPOTLESS_ECHO_NEITHER)
		settle(res, SPOTLESS_ERR_NOT_BATCHABLE);
	else
		settle(res, run_command(dev, handle, req, res));
	/* Its bytes are the batch's: only an error is counted here. */
	if (res->status != SPOTLESS_OK) {
		spotless_count(&dev->counters.errors[res->status], 1);
		spotless_count(&handle->counters.errors[res->status], 1);
	}
}
