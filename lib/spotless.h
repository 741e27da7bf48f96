/* SPDX-License-Identifier: MIT */
/*
 * libspotless: the userland API to the spotless driver, and to any driver
 * that speaks its protocol (a driver built on spotless: examples/).
 *
 * One API over each OS's way to reach a driver (DeviceIoControl on Windows,
 * ioctl(2) on Linux). Every call checks its arguments before it writes
 * anything, and returns 0 on success or the operating system's own error
 * number (errno; a Win32 error code on Windows): spotless_error_text() gives
 * the system's text for it and spotless_error_kind() what it means in terms
 * that are the same on every OS. Handles may be used from one thread at a
 * time each; separate handles may be used from separate threads at once.
 */
#ifndef SPOTLESS_H
#define SPOTLESS_H

#include <stddef.h>
#include <stdint.h>

#include "spotless/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef int spotless_err;

struct spotless_handle;

/* ---- Talking to the driver -------------------------------------------- */

/* Open the device with read and write access. */
spotless_err spotless_open(struct spotless_handle **device);

/*
 * Open another device that speaks the protocol, with read and write access:
 * a path ("/dev/hello", "\\.\HelloDeviceLink") or a bare name, which
 * becomes "/dev/NAME" on Linux and "\\.\NAME" on Windows. NULL: spotless's
 * own device, as spotless_open().
 */
spotless_err spotless_open_path(const char *path, struct spotless_handle **device);

/*
 * The OS's own handle of an open device, for the caller's event loop: the
 * file descriptor on Linux (poll, epoll: POLLIN when an event is queued),
 * the HANDLE on Windows (opened for overlapped I/O; an I/O completion port
 * may be associated with it). It stays the library's: do not close it.
 * -1 for NULL.
 */
intptr_t spotless_native_handle(struct spotless_handle *device);

/*
 * Any command that completes at once, by its code (the protocol's, from
 * spotless/commands.h, or a driver's own): in_len bytes of in go to the
 * driver, its answer comes back in out (out_len bytes of room) and
 * *written gets its length (written may be NULL). The bytes are the
 * command's as DeviceIoControl carries them, on every OS (ECHO: the payload,
 * then its trailer); Linux carries them by SPOTLESS_IOC_CALL (INFO's
 * SPOTLESS_CAP_CALL). in and out may be NULL only with a length of 0.
 */
spotless_err spotless_command(struct spotless_handle *device, uint32_t code,
			      const void *in, size_t in_len, void *out, size_t out_len,
			      size_t *written);

/* Close a handle from spotless_open(); NULL is allowed. */
void spotless_close(struct spotless_handle *device);

/*
 * The tutorial exchange with buffers of the caller's choosing, passed to the
 * driver as they are (for tests and tools that probe the driver's checks).
 * *returned gets the reply length the driver reported (0 on failure).
 */
spotless_err spotless_message_raw(struct spotless_handle *device,
				  const void *in, size_t in_len,
				  void *out, size_t out_len, size_t *returned);

/*
 * The tutorial exchange: message (at most SPOTLESS_MESSAGE_MAX_LEN bytes) goes
 * in a zeroed 128-byte buffer; the reply comes back NUL-terminated in reply,
 * which holds SPOTLESS_CLIENT_BUFFER_SIZE bytes, and *reply_len is the length
 * the driver reported (22).
 */
spotless_err spotless_send_message(struct spotless_handle *device,
				   const char *message,
				   char reply[SPOTLESS_CLIENT_BUFFER_SIZE],
				   size_t *reply_len);

/*
 * INFO: what the driver is and supports. Ask it before using any command
 * after the tutorial's, and use only those whose SPOTLESS_CAP_* bit is set.
 */
spotless_err spotless_get_info(struct spotless_handle *device,
			       struct spotless_info *info);

/*
 * STATS: counters of the whole device and of this handle (requests by
 * command, errors by status, bytes), open handles and outstanding
 * allocations. The STATS request counts itself. Each counter is exact; they
 * are read one after the other, not at a single instant.
 */
spotless_err spotless_get_stats(struct spotless_handle *device,
				struct spotless_stats *stats);

/* ---- ECHO ---------------------------------------------------------------- */

enum spotless_echo_method {
	SPOTLESS_ECHO_BUFFERED,		/* Windows METHOD_BUFFERED; Linux's only way */
	SPOTLESS_ECHO_IN_DIRECT,	/* Windows only: into the driver, checked there */
	SPOTLESS_ECHO_OUT_DIRECT,	/* Windows only */
	SPOTLESS_ECHO_NEITHER,		/* Windows only: raw addresses, probed and
					 * copied by the driver under __try */
};

/*
 * ECHO: len bytes of data (at most SPOTLESS_ECHO_MAX) go through the driver
 * and come back in out; *crc32c gets the CRC32C the driver computed over the
 * bytes it received (compare it with spotless_crc32c() of data).
 *
 * out must have room for len + sizeof(struct spotless_echo_trailer) bytes on
 * Windows (the driver writes its trailer after the payload) and for len bytes
 * on Linux; out_len is passed to the driver as it is, which refuses less.
 *
 * SPOTLESS_ECHO_IN_DIRECT moves the data into the driver only: the library
 * computes the checksum, the driver computes its own over what it read and
 * fails with ERROR_CRC when they differ; out is not used and *crc32c gets the
 * agreed checksum. On Linux every method but BUFFERED returns
 * SPOTLESS_E_NOT_SUPPORTED (the others are Windows' transfer methods).
 */
spotless_err spotless_echo(struct spotless_handle *device,
			   enum spotless_echo_method method,
			   const void *data, size_t len, void *out, size_t out_len,
			   uint32_t *crc32c);

/* CRC32C (Castagnoli) of len bytes, the checksum ECHO reports. */
uint32_t spotless_crc32c(const void *data, size_t len);

/* 1 when spotless_crc32c() runs on the CPU's crc32 instruction (SSE4.2),
 * 0 when on its table: the same values either way. */
int spotless_crc32c_uses_instruction(void);

/* ---- BATCH --------------------------------------------------------------
 *
 * A batch is built in a caller's buffer with spotless_batch_begin / _add /
 * _end, sent with spotless_batch(), and its answers are read back with
 * spotless_batch_read / _next. The layout is in wire_protocol.h.
 */
struct spotless_batch_writer {
	unsigned char *buf;
	size_t cap;
	size_t len;		/* bytes written so far */
	uint32_t count;		/* records added */
	size_t out_needed;	/* output the answers will take */
};

void spotless_batch_begin(struct spotless_batch_writer *w, void *buf, size_t cap);

/*
 * Add one record: the command's Windows code (IOCTL_SPOTLESS, _INFO, _STATS,
 * _ECHO_BUFFERED, on every OS), its input, and the room asked for its answer.
 * Returns 0, or -1 when the buffer or the batch limits have no room for it.
 */
int spotless_batch_add(struct spotless_batch_writer *w, uint32_t code,
		       const void *in, size_t in_len, size_t out_len);

/* Finish the header; returns the batch's length in bytes. */
size_t spotless_batch_end(struct spotless_batch_writer *w);

/*
 * Send a batch of in_len bytes; the answers go to out, *written gets their
 * length. Thread safety as for every call on one handle.
 */
spotless_err spotless_batch(struct spotless_handle *device,
			    const void *in, size_t in_len,
			    void *out, size_t out_len, size_t *written);

struct spotless_batch_reader {
	const unsigned char *buf;
	size_t len;
	size_t off;
	uint32_t left;		/* results still to read */
};

/*
 * Start reading answers; *header gets the batch header (count, failed).
 * Returns 0, or -1 when the output is not a well-formed batch answer.
 */
int spotless_batch_read(struct spotless_batch_reader *r, const void *out,
			size_t written, struct spotless_batch_header *header);

/*
 * The next result and its answer bytes (result->information of them).
 * Returns 1 for a result, 0 after the last one, -1 when malformed.
 */
int spotless_batch_next(struct spotless_batch_reader *r,
			struct spotless_batch_result *result, const void **answer);

/* ---- Events (INFO's SPOTLESS_CAP_EVENTS says the driver has them) ------- */

/* Post message (1 to SPOTLESS_EVENT_PAYLOAD_MAX bytes) to every subscriber. */
spotless_err spotless_post(struct spotless_handle *device, const void *message,
			   size_t len);

/*
 * The next event of this handle (subscribing it the first time), waiting up
 * to timeout_ms milliseconds (negative: as long as it takes). Returns 0 and *event,
 * or SPOTLESS_E_TIMEOUT when none came. An event that arrives just as the
 * time runs out is returned, not lost.
 */
spotless_err spotless_wait_event(struct spotless_handle *device, int timeout_ms,
				 struct spotless_event *event);

/*
 * The same wait, in two steps, for a caller that has other things to do.
 * start subscribes the handle and begins the wait (Windows: a WAIT_EVENT
 * request left pending in the driver, on overlapped I/O). finish waits up to
 * timeout_ms (0: just look; negative: as long as it takes) and returns 0 with
 * *event, SPOTLESS_E_TIMEOUT (still waiting: call finish again), or
 * SPOTLESS_E_CANCELLED after spotless_event_wait_cancel. cancel may be called
 * from any thread; an event that came first is still returned by finish.
 * free ends the wait (cancelling it if it still runs) and frees it; again
 * begins the next one.
 *
 * Linux keeps nothing pending in the kernel: finish polls the descriptor and
 * then takes the record. Another thread taking events from the same handle
 * in between makes finish wait for the next one, past its timeout.
 */
struct spotless_event_wait;

spotless_err spotless_event_wait_start(struct spotless_handle *device,
				       struct spotless_event_wait **wait);
spotless_err spotless_event_wait_finish(struct spotless_event_wait *wait,
					int timeout_ms, struct spotless_event *event);
spotless_err spotless_event_wait_cancel(struct spotless_event_wait *wait);
void spotless_event_wait_free(struct spotless_event_wait *wait);
/* Begin the next wait with the same resources, once finish has returned
 * anything but SPOTLESS_E_TIMEOUT (a watcher's loop; no allocation). */
spotless_err spotless_event_wait_again(struct spotless_event_wait *wait);

/* ---- Commands in flight: the queue ------------------------------------ */

/*
 * Many commands sent with one system call, their answers collected later:
 * io_uring on Linux (IORING_OP_URING_CMD, 5.19 and later, through liburing),
 * an I/O completion port with overlapped DeviceIoControl on Windows. The
 * calls and their errors are the same on both.
 *
 * create: a queue on an open device for up to depth commands (1 to
 * SPOTLESS_QUEUE_DEPTH_MAX) taken and not yet reaped. Windows binds an I/O
 * completion port to the handle for the handle's life: one queue per handle
 * there (a second one is refused: ERROR_INVALID_PARAMETER under Wine);
 * Linux has no such limit. A module without io_uring commands answers each command with
 * EOPNOTSUPP; a kernel without io_uring fails create (ENOSYS, or EPERM when
 * io_uring is switched off).
 *
 * command: takes one command, as spotless_command() describes its code and
 * bytes, without sending it; in and out stay the caller's and must stay
 * valid until its completion is reaped. user_data comes back with it.
 * SPOTLESS_E_QUEUE_FULL when depth commands are taken and not reaped.
 * WAIT_EVENT: the Linux module refuses it (EINVAL in its completion); on
 * Windows it stays pending until an event comes (destroy cancels it).
 *
 * submit: sends every command taken since the last submit (*submitted: how
 * many; may be NULL).
 *
 * reap: up to max completions into done[], waiting up to timeout_ms
 * (negative: as long as it takes; 0: only look) until at least wait_for
 * have come. *count gets how many were written, which the caller handles
 * whatever the return: 0, or SPOTLESS_E_TIMEOUT when fewer than wait_for
 * came in the time. Completions come in any order.
 *
 * destroy: cancels what is still in flight, waits for it, frees the queue;
 * the device handle stays open. NULL is allowed.
 */
struct spotless_queue;

struct spotless_completion {
	uint64_t user_data;	/* the command's, from spotless_queue_command() */
	spotless_err err;	/* 0, or its error as spotless_command() reports it */
	uint32_t written;	/* bytes of answer in its out */
};

#define SPOTLESS_QUEUE_DEPTH_MAX	4096

spotless_err spotless_queue_create(struct spotless_handle *device, unsigned int depth,
				   struct spotless_queue **queue);
spotless_err spotless_queue_command(struct spotless_queue *queue, uint32_t code,
				    const void *in, size_t in_len, void *out, size_t out_len,
				    uint64_t user_data);
spotless_err spotless_queue_submit(struct spotless_queue *queue, unsigned int *submitted);
spotless_err spotless_queue_reap(struct spotless_queue *queue,
				 struct spotless_completion *done, unsigned int max,
				 unsigned int wait_for, int timeout_ms, unsigned int *count);
void spotless_queue_destroy(struct spotless_queue *queue);

/*
 * The cheapest request that reaches the driver: a code it does not have,
 * which it counts and refuses. Returns 0 when the driver refused it as
 * unknown, as it must; for benchmarks (the floor of a round trip).
 */
spotless_err spotless_refused_request(struct spotless_handle *device);

/* What a SPOTLESS_STATUS_* number means (a batch record's status). */
const char *spotless_status_text(uint32_t status);

/* Its name as the command table spells it ("OUTPUT_TOO_SMALL"); NULL for a
 * number the table does not have. */
const char *spotless_status_name(uint32_t status);

/* This library's version, "MAJOR.MINOR.PATCH" (SPOTLESS_VERSION_STRING of
 * the library that runs, which may be newer than the header a program was
 * built with). The driver's is in spotless_get_info()'s driver_version.
 */
const char *spotless_version(void);

/* The code that carries the tutorial exchange on this OS. */
uint32_t spotless_message_code(void);

/* The system's text for an error number, without a trailing newline. */
void spotless_error_text(spotless_err err, char *text, size_t size);

/*
 * What an error number means, in terms the same on every OS. The driver's
 * refusals have a kind each where the OS reports them with a number of their
 * own; those it reports with one number (a malformed request, a command with
 * input it does not take: EINVAL, ERROR_INVALID_PARAMETER) share
 * SPOTLESS_ERROR_INVALID_ARGUMENT, and a BATCH record's status tells them
 * apart (spotless_status_error_kind). Windows reports an unknown non-zero
 * field as ERROR_INVALID_PARAMETER too; Linux as E2BIG.
 */
enum spotless_error_kind {
	SPOTLESS_ERROR_OTHER,
	SPOTLESS_ERROR_NOT_FOUND,	/* no device, file or service */
	SPOTLESS_ERROR_ACCESS_DENIED,	/* needs Administrator / root */
	SPOTLESS_ERROR_INVALID_ARGUMENT,
	SPOTLESS_ERROR_ALREADY_INSTALLED,
	SPOTLESS_ERROR_NOT_INSTALLED,
	SPOTLESS_ERROR_ALREADY_RUNNING,
	SPOTLESS_ERROR_NOT_RUNNING,
	SPOTLESS_ERROR_IN_USE,		/* handles are still open */
	SPOTLESS_ERROR_BAD_IMAGE,	/* not a driver for this kernel */
	SPOTLESS_ERROR_NOT_SUPPORTED,	/* not a thing on this OS */
	SPOTLESS_ERROR_SIGNATURE,	/* the kernel refused the driver's signature */
	SPOTLESS_ERROR_NONE,		/* 0: not an error */
	SPOTLESS_ERROR_TIMEOUT,		/* nothing came in the time given */
	SPOTLESS_ERROR_INTERRUPTED,	/* a signal, or an I/O cancelled */
	SPOTLESS_ERROR_NO_MEMORY,
	SPOTLESS_ERROR_CANCELLED,	/* the wait was cancelled */
	SPOTLESS_ERROR_UNKNOWN_COMMAND,	/* not a command of this driver */
	SPOTLESS_ERROR_INPUT_TOO_LARGE,
	SPOTLESS_ERROR_OUTPUT_TOO_SMALL,
	SPOTLESS_ERROR_CHECKSUM_MISMATCH,
	SPOTLESS_ERROR_UNKNOWN_FIELDS,	/* a structure's newer fields, not zero */
	SPOTLESS_ERROR_BAD_ANSWER,	/* the driver's answer had the wrong shape */
};
/* Busy: the device or driver is in use. */
#define SPOTLESS_ERROR_BUSY	SPOTLESS_ERROR_IN_USE

/*
 * Errors that the OS has no number for. They are negative, so that they never
 * collide with an OS error number.
 */
#define SPOTLESS_E_NOT_LOADED		(-1001)	/* the driver is not loaded */
#define SPOTLESS_E_NOT_SUPPORTED	(-1002)	/* not on this OS */
#define SPOTLESS_E_TIMEOUT		(-1003)	/* nothing came in the time given */
#define SPOTLESS_E_CANCELLED		(-1004)	/* the wait was cancelled */
#define SPOTLESS_E_QUEUE_FULL		(-1005)	/* a queue's depth is taken */

enum spotless_error_kind spotless_error_kind(spotless_err err);

/* The kind of a SPOTLESS_STATUS_* number (a BATCH record's status). */
enum spotless_error_kind spotless_status_error_kind(uint32_t status);

/* The kind's name, as the CLI prints it ("output_too_small"). */
const char *spotless_error_kind_name(enum spotless_error_kind kind);

/* ---- Installing and running the driver -------------------------------- */

enum spotless_driver_state {
	SPOTLESS_DRIVER_NOT_INSTALLED,
	SPOTLESS_DRIVER_STOPPED,
	SPOTLESS_DRIVER_STARTING,
	SPOTLESS_DRIVER_RUNNING,
	SPOTLESS_DRIVER_STOPPING,
};

struct spotless_driver_status {
	enum spotless_driver_state state;
	char image_path[1024];	/* where the driver is loaded from, if known */
	int open_handles;	/* handles open on the driver, -1 if unknown */
};

/*
 * Windows: install registers the image as a demand-start kernel service,
 * start loads it, stop unloads it (ERROR_DEVICE_IN_USE, kind
 * SPOTLESS_ERROR_IN_USE, while other handles to the device are open: Windows
 * would defer the unload until they close), remove unregisters it (refused
 * while it runs). Linux: install loads the module (finit_module), remove unloads it
 * (delete_module, refused while handles are open); start and stop return
 * SPOTLESS_E_NOT_SUPPORTED.
 */
spotless_err spotless_driver_install(const char *path);
spotless_err spotless_driver_start(void);
spotless_err spotless_driver_stop(void);
spotless_err spotless_driver_remove(void);
spotless_err spotless_driver_query(struct spotless_driver_status *status);

const char *spotless_driver_state_name(enum spotless_driver_state state);

/*
 * Whether this system is likely to refuse a test-signed (Windows) or unsigned
 * (Linux) driver: returns 1 and a sentence saying why and what to do in text,
 * or 0 when nothing speaks against loading it, or when that cannot be known.
 */
int spotless_driver_signing_warning(char *text, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* SPOTLESS_H */
