/* SPDX-License-Identifier: MIT */
/*
 * Portable request handling: validation of a request against the buffer
 * lengths the kernel handed over, the reply, and what the glue should log.
 *
 * No OS header here. The Windows driver, the Linux module and the host unit
 * tests all call spotless_core_handle() and translate its result into their
 * own status codes and log calls.
 */
#ifndef SPOTLESS_CORE_H
#define SPOTLESS_CORE_H

#include "spotless/wire.h"
#include "spotless_events.h"
#include "spotless_status.h"

/*
 * The driver's identity: spotless's own unless the driver's configuration
 * header (force-included by its build, see examples/) names its own. The
 * names a client opens; and on Windows the prefix of its log lines (on
 * Linux that is the module's name, KBUILD_MODNAME).
 */
#ifndef SPOTLESS_DRIVER_LINUX_NAME
#define SPOTLESS_DRIVER_LINUX_NAME	SPOTLESS_LINUX_DEVICE_NAME	/* /dev/NAME */
#endif
#ifndef SPOTLESS_DRIVER_NT_DEVICE_NAME_W
#define SPOTLESS_DRIVER_NT_DEVICE_NAME_W	SPOTLESS_NT_DEVICE_NAME_W
#define SPOTLESS_DRIVER_NT_LINK_NAME_W		SPOTLESS_NT_LINK_NAME_W
#endif
#ifndef SPOTLESS_DRIVER_LOG_NAME
#define SPOTLESS_DRIVER_LOG_NAME	"spotless"
#endif

/* A code no command has: what a kernel's glue passes for a request that is
 * not ours in its own numbering, so that it is counted and refused.
 */
#define SPOTLESS_CORE_UNKNOWN_CODE	0u

/*
 * State of one device, kept by the glue for the driver's lifetime (Windows:
 * the device extension; Linux: the module). Updated atomically.
 */
/*
 * The device's counters come in sets, one per processor (modulo their
 * number): a request counts on its processor's set, so that requests on
 * different processors write no common cache line; STATS sums the sets.
 * Each set ends with at least a cache line of padding, so that the next
 * set's first counters never share a line with its last.
 */
#define SPOTLESS_COUNTER_SETS	32
struct spotless_counter_set {
	struct spotless_counters c;
	unsigned char gap[384 - sizeof(struct spotless_counters)];
};

_Static_assert(sizeof(struct spotless_counters) + 64 <= 384, "a cache line between sets");

struct spotless_device_state {
	uint32_t os;				/* SPOTLESS_OS_* */
	/* What INFO reports as the driver's memory per handle, and per
	 * subscribed handle's queue: the core's sizes until the glue, which
	 * knows what it really allocates, sets its own after init.
	 */
	uint32_t handle_bytes;
	uint32_t event_queue_bytes;
	/* INFO's capability bits that no command row gives (the glue's:
	 * SPOTLESS_CAP_CALL on Linux).
	 */
	uint64_t glue_capabilities;
	/* The command table's and the CRC32C's, found at init. */
	uint64_t command_capabilities;
	/* Counter sets in use, less one (a power of two, less one): all of
	 * them until the glue says how many processors there are.
	 */
	uint32_t counter_set_mask;
	uint64_t open_handles;
	uint64_t outstanding_allocations;
	uint64_t next_handle_id;
	struct spotless_counter_set counters[SPOTLESS_COUNTER_SETS];
	/* Event queues; the glue's event lock guards them (not the counters). */
	struct spotless_event_hub events;
};

/* State of one open handle, from open to close (Windows: the file object's
 * FsContext; Linux: file->private_data).
 */
struct spotless_handle_state {
	uint64_t id;
	/* What the handle was opened for: SPOTLESS_FILE_READ_ACCESS and / or
	 * SPOTLESS_FILE_WRITE_ACCESS. A code's access bits must be in it.
	 */
	uint32_t access;
	struct spotless_counters counters;
};

/*
 * One request as the kernel delivered it. With METHOD_BUFFERED on Windows,
 * in and out point into the same system buffer: the core reads all it needs
 * from in before it writes a byte to out. For IOCTL_SPOTLESS_ECHO_IN_DIRECT,
 * out is the payload, which the core reads and never writes. BATCH needs in
 * and out apart (it refuses them overlapping).
 */
struct spotless_request {
	uint32_t code;
	const void *in;		/* may be NULL when in_len is 0 */
	size_t in_len;
	void *out;		/* may be NULL when out_len is 0 */
	size_t out_len;
	/* Set when the glue will write no line with the message's text (its
	 * log is off): the core then keeps none (res->logged stays empty).
	 */
	int unlogged;
};

/* The tutorial message as a log line shows it: bounded and printable. */
struct spotless_log_text {
	int present;				/* a message was read */
	size_t length;				/* its full length in bytes */
	size_t shown;				/* bytes kept in text */
	char text[SPOTLESS_LOG_MESSAGE_MAX + 1];	/* NUL-terminated */
};

struct spotless_result {
	enum spotless_status status;
	/* Bytes of out that carry the answer; never above written. */
	size_t information;
	/* Bytes of out the core wrote (the answer and a NUL after it, if any). */
	size_t written;
	/* Payload bytes the command took in (for the bytes_in counters). */
	size_t consumed;
	/* BATCH: records run, and how many of them failed. */
	uint32_t batch_records;
	uint32_t batch_failed;
	struct spotless_log_text logged;	/* the message, as its log line shows it */
};

/*
 * The command table (include/spotless/commands.h) as the core uses it: one
 * entry a row, the protocol's and the driver's own. A handler answers a
 * request whose access and sizes the core has already checked against its
 * row: in_len within in_max (and at least in_struct, the unknown tail zero),
 * out_len at least out_struct. It writes at most out_len bytes, sets
 * res->written, res->information and res->consumed, and returns a status.
 * Requests may come from several threads at once.
 */
typedef enum spotless_status spotless_cmd_handler(struct spotless_device_state *dev,
						  struct spotless_handle_state *handle,
						  const struct spotless_request *req,
						  struct spotless_result *res);

/* A driver's own rows name handlers of its own files: declared here. */
#define SPOTLESS_DRIVER_HANDLER_(cmd, counter, fn, method, access, nr, dir, lsize, in, \
				 out, in_max, out_max, slot, cap, flags, handler) \
	spotless_cmd_handler handler;
SPOTLESS_DRIVER_COMMANDS(SPOTLESS_DRIVER_HANDLER_)
#undef SPOTLESS_DRIVER_HANDLER_

struct spotless_command {
	uint32_t code;			/* its Windows control code */
	uint32_t linux_cmd;		/* its own Linux ioctl number, or 0 */
	const char *name;		/* "ECHO_BUFFERED" */
	const char *counter;		/* its STATS slot's name: "echo" */
	uint32_t in_struct;		/* first version's input structure, or 0 */
	uint32_t out_struct;		/* first version's answer structure, or 0 */
	uint32_t in_max;
	uint32_t out_max;
	uint32_t slot;			/* SPOTLESS_STAT_* */
	uint64_t capability;		/* SPOTLESS_CAP_* */
	uint32_t flags;			/* SPOTLESS_CMD_F_* */
	spotless_cmd_handler *handler;	/* NULL: the glue answers it */
};

/* Every row, in the table's order; and the one whose code is code (NULL:
 * not a command of this driver).
 */
extern const struct spotless_command spotless_command_table[];
extern const unsigned int spotless_command_count;
const struct spotless_command *spotless_command_find(uint32_t code);

void spotless_core_device_init(struct spotless_device_state *dev, uint32_t os);
/* The processors the glue's spotless_this_cpu() numbers (0 to n - 1): the
 * counter sets requests use and STATS sums, the power of two at or above n,
 * at most SPOTLESS_COUNTER_SETS (the default).
 */
void spotless_core_set_processors(struct spotless_device_state *dev, unsigned int n);

/* The glue reports every allocation it makes and frees, for STATS. */
void spotless_core_allocated(struct spotless_device_state *dev);
void spotless_core_freed(struct spotless_device_state *dev);

/*
 * A handle's state was allocated, for a handle opened with access (read and
 * / or write, SPOTLESS_FILE_*_ACCESS) / is about to be freed. The core
 * checks every code's access bits against it, batch records included, which
 * no I/O manager sees.
 */
void spotless_core_handle_opened(struct spotless_device_state *dev,
				 struct spotless_handle_state *handle, uint32_t access);
void spotless_core_handle_closed(struct spotless_device_state *dev,
				 struct spotless_handle_state *handle);

/*
 * Answer one request from one handle: validate it, write the answer into
 * req->out, count it on the device and on the handle. Safe to call from
 * several threads at once, on one handle or on several.
 */
void spotless_core_handle(struct spotless_device_state *dev,
			  struct spotless_handle_state *handle,
			  const struct spotless_request *req,
			  struct spotless_result *res);

/*
 * The input limits of a request, checked before its buffers are touched:
 * the Windows glue calls this before it maps a direct-I/O buffer, so that a
 * request refused for its size (an IN_DIRECT payload above SPOTLESS_ECHO_MAX,
 * say) costs no mapping. SPOTLESS_OK, or SPOTLESS_ERR_INPUT_TOO_LARGE, as
 * spotless_core_handle() would answer. Output buffers larger than an answer
 * stay allowed (clients pass them), so they are not limited here.
 */
enum spotless_status spotless_core_check_sizes(uint32_t code, size_t in_len,
					       size_t out_len);

/* The device's counters, every set summed (what STATS reports). */
void spotless_core_device_counters(const struct spotless_device_state *dev,
				   struct spotless_counters *sum);

/*
 * The most bytes of a caller's output buffer the answer to code can reach,
 * given in_len bytes of input and out_len of room: an echo's input and
 * trailer, a structure's largest size, a batch's limit; an IN_DIRECT
 * payload all of out_len (check_sizes bounds it). A driver that maps the
 * caller's pages maps no more than this; an unknown code reaches nothing.
 */
size_t spotless_core_answer_reach(uint32_t code, size_t in_len, size_t out_len);

/*
 * Count a request that the glue refused before the core could see it (a
 * Linux argument structure with non-zero flags, say), as the core would
 * have: a request of code's command and an error of that status.
 */
void spotless_core_refuse(struct spotless_device_state *dev,
			  struct spotless_handle_state *handle, uint32_t code,
			  enum spotless_status status, struct spotless_result *res);

/*
 * POST: validate a message of len bytes from handle and publish it to every
 * subscribed queue, counted like a request. Call with the event lock held.
 * *reached gets the number of queues it reached (0 when refused).
 */
enum spotless_status spotless_core_post(struct spotless_device_state *dev,
					struct spotless_handle_state *handle,
					const void *msg, size_t len, uint64_t now_ns,
					uint32_t *reached);

/* Whether the handle was opened with the access code needs (for the codes
 * the glue answers itself, such as WAIT_EVENT): 1 or 0.
 */
int spotless_core_allows(const struct spotless_handle_state *handle, uint32_t code);

/* Count a request the glue answered itself (an event taken, say): code's
 * command, its status, and the bytes it took in and gave back.
 */
void spotless_core_account(struct spotless_device_state *dev,
			   struct spotless_handle_state *handle, uint32_t code,
			   enum spotless_status status, size_t in, size_t out);

#endif /* SPOTLESS_CORE_H */
