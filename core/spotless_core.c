// SPDX-License-Identifier: MIT
/*
 * Portable request handling shared by every kernel and by the unit tests.
 */
#include "spotless_atomic.h"
#include "spotless_core_internal.h"
#include "spotless_crc32c.h"

_Static_assert(SPOTLESS_STATUS_COUNT <= SPOTLESS_STAT_SLOTS,
	       "every status has its error counter slot");
_Static_assert(sizeof(struct spotless_echo_trailer) == SPOTLESS_ECHO_TRAILER_LEN,
	       "ECHO's trailer is 8 bytes");

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

enum spotless_status spotless_cmd_message(struct spotless_device_state *dev,
					  struct spotless_handle_state *handle,
					  const struct spotless_request *req,
					  struct spotless_result *res)
{
	unsigned char *out = req->out;

	(void)dev;
	(void)handle;
	/* The size (above its limit: refused before this) is judged before the
	 * pointer, so that a kernel may leave an oversized input uncopied.
	 */
	if (req->in_len == 0)
		return SPOTLESS_ERR_EMPTY_INPUT;
	if (!req->in)
		return SPOTLESS_ERR_EMPTY_INPUT;

	/* Read the whole message before writing: in and out may alias. */
	if (!req->unlogged)
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

/* An answer structure of size bytes goes out as far as the caller's room
 * reaches (at least the first version's, which the core checked); the core
 * zero-extends it past that to the caller's size.
 */
static void answer_struct(const struct spotless_request *req,
			  struct spotless_result *res, const void *answer, size_t size)
{
	size_t n = req->out_len < size ? req->out_len : size;

	memcpy(req->out, answer, n);
	res->information = n;
	res->written = res->information;
}

/*
 * The capability bits of this device's commands and of its CRC32C: fixed
 * for the device's life, so found once, at init, and not on every INFO.
 */
static uint64_t command_capabilities(const struct spotless_device_state *dev)
{
	uint64_t caps = 0;
	unsigned int i;

	for (i = 0; i < spotless_command_count; i++) {
		const struct spotless_command *c = &spotless_command_table[i];

		/* The transfer methods are a Windows notion. */
		if (!(c->flags & SPOTLESS_CMD_F_WINDOWS_ONLY) || dev->os == SPOTLESS_OS_WINDOWS)
			caps |= c->capability;
	}
	if (spotless_crc32c_hw_available())
		caps |= SPOTLESS_CAP_CRC32C_INSTRUCTION;
	return caps;
}

enum spotless_status spotless_cmd_info(struct spotless_device_state *dev,
				       struct spotless_handle_state *handle,
				       const struct spotless_request *req,
				       struct spotless_result *res)
{
	struct spotless_info info;

	(void)handle;
	/* Every byte set, reserved ones included: nothing uninitialised leaves. */
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.protocol_version = SPOTLESS_PROTOCOL_VERSION;
	info.driver_version = SPOTLESS_DRIVER_VERSION;
	info.os = dev->os;
	info.capabilities = dev->command_capabilities | dev->glue_capabilities;
	info.max_message = SPOTLESS_MESSAGE_MAX_INPUT;
	info.max_echo = SPOTLESS_ECHO_MAX;
	info.max_batch_bytes = SPOTLESS_BATCH_MAX_BYTES;
	info.max_batch_records = SPOTLESS_BATCH_MAX_RECORDS;
	info.handle_state_bytes = dev->handle_bytes;
	info.event_queue_bytes = dev->event_queue_bytes;
	answer_struct(req, res, &info, sizeof(info));
	return SPOTLESS_OK;
}

/*
 * ECHO (buffered, OUT_DIRECT, Linux): the payload, then its trailer. The
 * checksum is taken before anything is written, since with METHOD_BUFFERED
 * out and in are the same bytes; there the payload is already in place.
 */
enum spotless_status spotless_cmd_echo(struct spotless_device_state *dev,
				       struct spotless_handle_state *handle,
				       const struct spotless_request *req,
				       struct spotless_result *res)
{
	unsigned char *out = req->out;
	const unsigned char *in = req->in;
	uint32_t crc, length = (uint32_t)req->in_len;

	(void)dev;
	(void)handle;
	/* Sizes first (the limit was checked): a kernel may leave a refused
	 * payload uncopied.
	 */
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
	res->information = req->in_len + SPOTLESS_ECHO_TRAILER_LEN;
	res->written = res->information;
	res->consumed = req->in_len;
	return SPOTLESS_OK;
}

/*
 * ECHO through METHOD_IN_DIRECT: the payload is the buffer the I/O manager
 * locked for reading (out); in carries the client's own checksum of it.
 */
enum spotless_status spotless_cmd_echo_in_direct(struct spotless_device_state *dev,
						 struct spotless_handle_state *handle,
						 const struct spotless_request *req,
						 struct spotless_result *res)
{
	struct spotless_echo_trailer expected;

	(void)dev;
	(void)handle;
	/* The trailer's size (at least, with a zero tail) and the payload's
	 * limit were checked against the row.
	 */
	if (req->out_len && !req->out)
		return SPOTLESS_ERR_EMPTY_INPUT;
	memcpy(&expected, req->in, sizeof(expected));
	if (expected.length != req->out_len ||
	    expected.crc32c != spotless_crc32c_update(0, req->out, req->out_len))
		return SPOTLESS_ERR_CHECKSUM_MISMATCH;
	res->consumed = req->out_len;
	return SPOTLESS_OK;
}

/* from's counters added to to's. */
static void add_counters(struct spotless_counters *to,
			 const struct spotless_counters *from)
{
	int i;

	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		to->requests[i] += spotless_counter_read(&from->requests[i]);
		to->errors[i] += spotless_counter_read(&from->errors[i]);
	}
	to->bytes_in += spotless_counter_read(&from->bytes_in);
	to->bytes_out += spotless_counter_read(&from->bytes_out);
}

void spotless_core_device_counters(const struct spotless_device_state *dev,
				   struct spotless_counters *sum)
{
	int i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i <= (int)dev->counter_set_mask; i++)
		add_counters(sum, &dev->counters[i].c);
}

/* This processor's set of the device's counters. */
static struct spotless_counters *cpu_counters(struct spotless_device_state *dev)
{
	return &dev->counters[spotless_this_cpu() & dev->counter_set_mask].c;
}

void spotless_core_set_processors(struct spotless_device_state *dev, unsigned int n)
{
	unsigned int sets = 1;

	while (sets < n && sets < SPOTLESS_COUNTER_SETS)
		sets *= 2;
	dev->counter_set_mask = sets - 1;
}

/* The STATS request is counted before it is answered: it sees itself. */
enum spotless_status spotless_cmd_stats(struct spotless_device_state *dev,
					struct spotless_handle_state *handle,
					const struct spotless_request *req,
					struct spotless_result *res)
{
	struct spotless_stats stats;

	memset(&stats, 0, sizeof(stats));
	stats.size = sizeof(stats);
	stats.open_handles = spotless_counter_read(&dev->open_handles);
	stats.outstanding_allocations =
		spotless_counter_read(&dev->outstanding_allocations);
	stats.handle_id = handle->id;
	spotless_core_device_counters(dev, &stats.device);
	add_counters(&stats.handle, &handle->counters);
	/* This answer's own bytes are not in the bytes_out it reports. */
	answer_struct(req, res, &stats, sizeof(stats));
	return SPOTLESS_OK;
}

static int stat_slot(const struct spotless_command *c)
{
	return c ? (int)c->slot : SPOTLESS_STAT_UNKNOWN;
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
	dev->command_capabilities = command_capabilities(dev);
	dev->counter_set_mask = SPOTLESS_COUNTER_SETS - 1;
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
	handle->id = spotless_count_next(&dev->next_handle_id);
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

/* A command of ours (its row c) that the handle was not opened for. */
static int access_denied(const struct spotless_handle_state *handle,
			 const struct spotless_command *c)
{
	uint32_t need = c ? SPOTLESS_CODE_ACCESS(c->code) : 0;

	return c && (handle->access & need) != need;
}

/* Whether the len bytes at p past the first known ones are all zero. */
static int zero_tail(const void *p, size_t known, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = known; i < len; i++)
		if (b[i])
			return 0;
	return 1;
}

/*
 * The size rules of a command's row, before its handler sees the request:
 * the input within its limit (none for a command that takes none); an input
 * structure at least its first version, what this driver does not know of it
 * zero; an answer structure's room at least its first version.
 */
/* The row's limits on a request's lengths (spotless_core_check_sizes). */
static enum spotless_status row_sizes(const struct spotless_command *c, size_t in_len,
				      size_t out_len)
{
	if (in_len > c->in_max)
		return c->in_max ? SPOTLESS_ERR_INPUT_TOO_LARGE : SPOTLESS_ERR_UNEXPECTED_INPUT;
	/* IN_DIRECT's payload is the buffer the I/O manager locked for it. */
	if ((c->flags & SPOTLESS_CMD_F_PAYLOAD_IS_OUT) && out_len > c->out_max)
		return SPOTLESS_ERR_INPUT_TOO_LARGE;
	return SPOTLESS_OK;
}

static enum spotless_status check_row_sizes(const struct spotless_command *c,
					    const struct spotless_request *req)
{
	enum spotless_status status = row_sizes(c, req->in_len, req->out_len);

	if (status != SPOTLESS_OK)
		return status;
	if (c->in_struct) {
		if (req->in_len < c->in_struct || !req->in)
			return SPOTLESS_ERR_BAD_REQUEST;
		if (!zero_tail(req->in, c->in_struct, req->in_len))
			return SPOTLESS_ERR_UNKNOWN_FIELDS;
	}
	if (c->out_struct && (!req->out || req->out_len < c->out_struct))
		return SPOTLESS_ERR_OUTPUT_TOO_SMALL;
	return SPOTLESS_OK;
}

/* An answer structure leaves zero-extended to the caller's room, up to the
 * largest a structure may grow to: a newer caller's fields read as zero.
 */
static void extend_answer(const struct spotless_command *c,
			  const struct spotless_request *req, struct spotless_result *res)
{
	size_t room = req->out_len < c->out_max ? req->out_len : c->out_max;

	if (!c->out_struct || res->information >= room)
		return;
	memset((unsigned char *)req->out + res->information, 0, room - res->information);
	res->information = room;
	res->written = res->information;
}

/* Every command but BATCH: what a request and a batch record can be. */
static enum spotless_status run_command(struct spotless_device_state *dev,
					struct spotless_handle_state *handle,
					const struct spotless_command *c,
					const struct spotless_request *req,
					struct spotless_result *res)
{
	enum spotless_status status;

	/* Unknown codes fail; they never succeed (tutorial defect 6). Events
	 * are the glue's (spotless_core_post): a kernel that sends their codes
	 * here has none, and they are unknown to it.
	 */
	if (!c || !c->handler)
		return SPOTLESS_ERR_UNKNOWN_CODE;
	if (access_denied(handle, c))
		return SPOTLESS_ERR_ACCESS_DENIED;
	status = check_row_sizes(c, req);
	if (status != SPOTLESS_OK)
		return status;
	status = c->handler(dev, handle, req, res);
	if (status == SPOTLESS_OK)
		extend_answer(c, req, res);
	return status;
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

/* A request of row c (NULL: a code the device does not have) begins: its
 * result cleared, counted on the device and handle.
 */
static void begin(struct spotless_device_state *dev,
		  struct spotless_handle_state *handle, const struct spotless_command *c,
		  struct spotless_result *res)
{
	int slot = stat_slot(c);

	reset_result(res);
	count_request(cpu_counters(dev), slot);
	count_request(&handle->counters, slot);
}

/* A request ends: its status settled and counted with its bytes. */
static void finish(struct spotless_device_state *dev,
		   struct spotless_handle_state *handle,
		   struct spotless_result *res, enum spotless_status status)
{
	settle(res, status);
	count_result(cpu_counters(dev), res);
	count_result(&handle->counters, res);
}

void spotless_core_handle(struct spotless_device_state *dev,
			  struct spotless_handle_state *handle,
			  const struct spotless_request *req,
			  struct spotless_result *res)
{
	/* The row is looked up once: every step below takes it. */
	const struct spotless_command *c = spotless_command_find(req->code);
	enum spotless_status status;

	begin(dev, handle, c, res);
	status = run_command(dev, handle, c, req, res);
	finish(dev, handle, res, status);
}

enum spotless_status spotless_core_check_sizes(uint32_t code, size_t in_len,
					       size_t out_len)
{
	const struct spotless_command *c = spotless_command_find(code);

	if (!c)
		return SPOTLESS_OK;	/* refused as unknown when it is answered */
	return row_sizes(c, in_len, out_len);
}

size_t spotless_core_answer_reach(uint32_t code, size_t in_len, size_t out_len)
{
	const struct spotless_command *c = spotless_command_find(code);
	size_t reach;

	if (!c)
		return 0;
	if (c->flags & SPOTLESS_CMD_F_PAYLOAD_IS_OUT)
		return out_len;
	reach = c->out_max;
	if (c->flags & SPOTLESS_CMD_F_ANSWER_ECHOES)
		reach += in_len;
	return reach < out_len ? reach : out_len;
}

void spotless_core_refuse(struct spotless_device_state *dev,
			  struct spotless_handle_state *handle, uint32_t code,
			  enum spotless_status status, struct spotless_result *res)
{
	begin(dev, handle, spotless_command_find(code), res);
	finish(dev, handle, res, status);
}

int spotless_core_allows(const struct spotless_handle_state *handle, uint32_t code)
{
	return !access_denied(handle, spotless_command_find(code));
}

void spotless_core_account(struct spotless_device_state *dev,
			   struct spotless_handle_state *handle, uint32_t code,
			   enum spotless_status status, size_t in, size_t out)
{
	struct spotless_result res;

	begin(dev, handle, spotless_command_find(code), &res);
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
	if (access_denied(handle, spotless_command_find(IOCTL_SPOTLESS_POST)))
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
	const struct spotless_command *c = spotless_command_find(req->code);

	begin(dev, handle, c, res);
	/* No batch in a batch; the direct and neither methods need their own
	 * IRP (the glue's own commands are unknown to the core, as above).
	 */
	if (c && c->handler && !(c->flags & SPOTLESS_CMD_F_BATCHABLE))
		settle(res, SPOTLESS_ERR_NOT_BATCHABLE);
	else
		settle(res, run_command(dev, handle, c, req, res));
	/* Its bytes are the batch's: only an error is counted here. */
	if (res->status != SPOTLESS_OK) {
		spotless_count(&cpu_counters(dev)->errors[res->status], 1);
		spotless_count(&handle->counters.errors[res->status], 1);
	}
}
