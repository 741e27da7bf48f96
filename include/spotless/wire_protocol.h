/* SPDX-License-Identifier: MIT */
/*
 * spotless protocol: what a request and its answer are, the same bytes on
 * every OS. Structures, statuses, limits and the command codes as numbers;
 * nothing here needs an OS header.
 *
 * Clients include <spotless/wire.h>, which adds the OS part: wire_windows.h
 * (object names, the CTL_CODE arithmetic behind the codes) and, on Linux,
 * wire_linux.h (the misc device's ioctl numbers and argument structures).
 */
#ifndef SPOTLESS_WIRE_PROTOCOL_H
#define SPOTLESS_WIRE_PROTOCOL_H

#include "spotless/commands.h"
#include "spotless/version.h"
#include "spotless/wire_types.h"

/* ---- The tutorial exchange -------------------------------------------- */

/* The reply. Its length on the wire is 22: the terminating NUL is not counted. */
#define SPOTLESS_REPLY			"ohai from them kernelz"
#define SPOTLESS_REPLY_LEN		22u

/* Size of the tutorial client's zeroed input and output buffers. */
#define SPOTLESS_CLIENT_BUFFER_SIZE	128u

/* Longest message the CLI sends: it must fit the 128-byte buffer with a NUL. */
#define SPOTLESS_MESSAGE_MAX_LEN	(SPOTLESS_CLIENT_BUFFER_SIZE - 1u)

/* Largest input the driver accepts for IOCTL_SPOTLESS; longer is refused. */
#define SPOTLESS_MESSAGE_MAX_INPUT	4096u

/* At most this many characters of a message are logged. */
#define SPOTLESS_LOG_MESSAGE_MAX	127u

/* ---- Command codes -------------------------------------------------------
 *
 * A command is named by its Windows control code on every OS: the core
 * dispatches on it, a BATCH record and SPOTLESS_IOC_CALL carry it. Layout
 * (winioctl.h's CTL_CODE): bits 31..16 device type, 15..14 the access the
 * handle needs, 13..2 function, 1..0 transfer method. Each value comes from
 * its row of the command table (commands.h); wire_windows.h checks them.
 */
#define SPOTLESS_METHOD_BUFFERED	0u
#define SPOTLESS_METHOD_IN_DIRECT	1u
#define SPOTLESS_METHOD_OUT_DIRECT	2u
#define SPOTLESS_METHOD_NEITHER		3u

#define SPOTLESS_FILE_ANY_ACCESS	0u
#define SPOTLESS_FILE_READ_ACCESS	1u
#define SPOTLESS_FILE_WRITE_ACCESS	2u

#define SPOTLESS_CODE_DEVICE(code)	(((code) >> 16) & 0xFFFFu)
#define SPOTLESS_CODE_ACCESS(code)	(((code) >> 14) & 0x3u)
#define SPOTLESS_CODE_FUNCTION(code)	(((code) >> 2) & 0xFFFu)
#define SPOTLESS_CODE_METHOD(code)	((code) & 0x3u)

/*
 * IOCTL_SPOTLESS, the tutorial's code, kept bit for bit: 0x00228124,
 * function 0x049, METHOD_BUFFERED, and (by an overflow in the tutorial, see
 * wire_windows.h) FILE_WRITE_ACCESS.
 */
#define IOCTL_SPOTLESS			SPOTLESS_CMD_MESSAGE(SPOTLESS_ROW_CODE)

/* Commands of protocol v1 (functions 0x800-0xBFF, method, access). POST's
 * input is the payload (1 to SPOTLESS_EVENT_PAYLOAD_MAX bytes); WAIT_EVENT's
 * output is one struct spotless_event. BATCH needs read and write access:
 * the most any record may need, so that the I/O manager's check of the
 * batch covers its records. */
#define IOCTL_SPOTLESS_INFO		SPOTLESS_CMD_INFO(SPOTLESS_ROW_CODE)
#define IOCTL_SPOTLESS_STATS		SPOTLESS_CMD_STATS(SPOTLESS_ROW_CODE)
#define IOCTL_SPOTLESS_ECHO_BUFFERED	SPOTLESS_CMD_ECHO_BUFFERED(SPOTLESS_ROW_CODE)
#define IOCTL_SPOTLESS_ECHO_IN_DIRECT	SPOTLESS_CMD_ECHO_IN_DIRECT(SPOTLESS_ROW_CODE)
#define IOCTL_SPOTLESS_ECHO_OUT_DIRECT	SPOTLESS_CMD_ECHO_OUT_DIRECT(SPOTLESS_ROW_CODE)
#define IOCTL_SPOTLESS_BATCH		SPOTLESS_CMD_BATCH(SPOTLESS_ROW_CODE)
#define IOCTL_SPOTLESS_POST		SPOTLESS_CMD_POST(SPOTLESS_ROW_CODE)
#define IOCTL_SPOTLESS_WAIT_EVENT	SPOTLESS_CMD_WAIT_EVENT(SPOTLESS_ROW_CODE)
#define IOCTL_SPOTLESS_ECHO_NEITHER	SPOTLESS_CMD_ECHO_NEITHER(SPOTLESS_ROW_CODE)

/* ---- Protocol v1: commands after the tutorial's -------------------------
 *
 * A client asks INFO first and uses only the commands whose capability bit
 * is set. Structures are the same bytes on every OS and for 32-bit and 64-bit
 * callers: fixed-width fields, naturally aligned, no implicit padding.
 */
#define SPOTLESS_PROTOCOL_VERSION	1u
/* INFO's driver_version: major << 16 | minor << 8 | patch (spotless/version.h) */
#define SPOTLESS_DRIVER_VERSION \
	((uint32_t)(SPOTLESS_VERSION_MAJOR << 16 | SPOTLESS_VERSION_MINOR << 8 | \
		    SPOTLESS_VERSION_PATCH))

#define SPOTLESS_OS_WINDOWS		1u
#define SPOTLESS_OS_LINUX		2u

/* Capability bits: a command's is in its row of commands.h. */
#define SPOTLESS_CAP_MESSAGE		SPOTLESS_CMD_MESSAGE(SPOTLESS_ROW_CAP)
#define SPOTLESS_CAP_INFO		SPOTLESS_CMD_INFO(SPOTLESS_ROW_CAP)
#define SPOTLESS_CAP_STATS		SPOTLESS_CMD_STATS(SPOTLESS_ROW_CAP)
#define SPOTLESS_CAP_ECHO		SPOTLESS_CMD_ECHO_BUFFERED(SPOTLESS_ROW_CAP)
#define SPOTLESS_CAP_ECHO_DIRECT	SPOTLESS_CMD_ECHO_IN_DIRECT(SPOTLESS_ROW_CAP)	/* and OUT_DIRECT */
#define SPOTLESS_CAP_BATCH		SPOTLESS_CMD_BATCH(SPOTLESS_ROW_CAP)
#define SPOTLESS_CAP_EVENTS		SPOTLESS_CMD_POST(SPOTLESS_ROW_CAP)	/* POST, WAIT_EVENT, poll, read */
#define SPOTLESS_CAP_ECHO_NEITHER	SPOTLESS_CMD_ECHO_NEITHER(SPOTLESS_ROW_CAP)
/* Bits that are not a command: the driver's CRC32C runs on the CPU's CRC
 * instruction, not a table (Windows: the core's, on SSE4.2's crc32; Linux:
 * the kernel's crc32c(), by its architecture code); the Linux module carries
 * any command by its code (SPOTLESS_IOC_CALL); no other bit below 32 is
 * free of a row (tests/unit/test_table.c checks). */
#define SPOTLESS_CAP_CRC32C_INSTRUCTION	(1ull << 7)
#define SPOTLESS_CAP_CALL		(1ull << 9)

/* Largest ECHO payload: 1 MiB. */
#define SPOTLESS_ECHO_MAX		(1024u * 1024u)

/* Bounds of one BATCH: bytes of its input and of its output, and records. */
#define SPOTLESS_BATCH_MAX_BYTES	(64u * 1024u)
#define SPOTLESS_BATCH_MAX_RECORDS	256u

/* INFO: no input; the output is this structure. */
struct spotless_info {
	uint32_t size;			/* sizeof(struct spotless_info) */
	uint32_t protocol_version;	/* SPOTLESS_PROTOCOL_VERSION */
	uint32_t driver_version;	/* SPOTLESS_DRIVER_VERSION */
	uint32_t os;			/* SPOTLESS_OS_* */
	uint64_t capabilities;		/* SPOTLESS_CAP_* */
	uint32_t max_message;		/* largest IOCTL_SPOTLESS input */
	uint32_t max_echo;		/* largest ECHO payload, 0: no ECHO */
	uint32_t max_batch_bytes;	/* 0: no BATCH */
	uint32_t max_batch_records;
	uint32_t handle_state_bytes;	/* driver memory held per open handle */
	uint32_t event_queue_bytes;	/* more of it once the handle waits for
					 * events (0 from drivers before it) */
	uint64_t reserved;		/* 0 */
};

/*
 * Counter slots: requests by command (SPOTLESS_STAT_*), errors by status
 * (SPOTLESS_STATUS_*). Requests inside a BATCH are counted by their own
 * command as well; bytes count what crossed the boundary once, at the top.
 */
#define SPOTLESS_STAT_MESSAGE		SPOTLESS_CMD_MESSAGE(SPOTLESS_ROW_SLOT)
#define SPOTLESS_STAT_INFO		SPOTLESS_CMD_INFO(SPOTLESS_ROW_SLOT)
#define SPOTLESS_STAT_STATS		SPOTLESS_CMD_STATS(SPOTLESS_ROW_SLOT)
#define SPOTLESS_STAT_ECHO		SPOTLESS_CMD_ECHO_BUFFERED(SPOTLESS_ROW_SLOT)	/* every method */
#define SPOTLESS_STAT_BATCH		SPOTLESS_CMD_BATCH(SPOTLESS_ROW_SLOT)
#define SPOTLESS_STAT_POST		SPOTLESS_CMD_POST(SPOTLESS_ROW_SLOT)
#define SPOTLESS_STAT_WAIT_EVENT	SPOTLESS_CMD_WAIT_EVENT(SPOTLESS_ROW_SLOT)	/* records taken, by ioctl or read */
#define SPOTLESS_STAT_UNKNOWN		15
#define SPOTLESS_STAT_SLOTS		16

/*
 * Statuses, the same numbers on every OS (SPOTLESS_STATUS_OK, ..._UNKNOWN_CODE
 * and so on, from the table in commands.h): the error counters are indexed by
 * them and each BATCH record reports one. Each kernel maps them to its own
 * codes, in the same table.
 */
#define SPOTLESS_STATUS_ENUM_(name, value, ...) SPOTLESS_STATUS_##name = value,
enum spotless_wire_status {
	SPOTLESS_STATUSES(SPOTLESS_STATUS_ENUM_)
};
#undef SPOTLESS_STATUS_ENUM_
/* How many there are: the table's rows (numbered 0 to COUNT - 1). */
#define SPOTLESS_STATUS_PLUS_ONE_(...) + 1
enum spotless_wire_status_rows { SPOTLESS_STATUS_ROWS_ = 0 SPOTLESS_STATUSES(SPOTLESS_STATUS_PLUS_ONE_) };
#undef SPOTLESS_STATUS_PLUS_ONE_
#define SPOTLESS_STATUS_COUNT	((int)SPOTLESS_STATUS_ROWS_)

struct spotless_counters {
	uint64_t requests[SPOTLESS_STAT_SLOTS];	/* by SPOTLESS_STAT_* */
	uint64_t errors[SPOTLESS_STAT_SLOTS];	/* by SPOTLESS_STATUS_*; [0] unused */
	uint64_t bytes_in;			/* input bytes of accepted requests */
	uint64_t bytes_out;			/* bytes reported back */
};

/* STATS: no input; the output is this structure. */
struct spotless_stats {
	uint32_t size;				/* sizeof(struct spotless_stats) */
	uint32_t reserved0;			/* 0 */
	uint64_t open_handles;			/* on the whole device */
	uint64_t outstanding_allocations;	/* allocated and not yet freed */
	uint64_t handle_id;			/* the asking handle's number */
	struct spotless_counters device;	/* every handle since load */
	struct spotless_counters handle;	/* the asking handle */
};

/*
 * ECHO: the payload goes through the driver, which computes the CRC32C
 * (Castagnoli, reflected, initial and final XOR 0xFFFFFFFF: "123456789"
 * gives 0xE3069283) over the bytes it received.
 *
 * Windows, METHOD_BUFFERED and METHOD_OUT_DIRECT: the input buffer is the
 * payload (0 to SPOTLESS_ECHO_MAX bytes); the output buffer receives the
 * payload followed by this trailer, so it needs payload + 8 bytes, and the
 * byte count returned is payload + 8. The trailer comes after the payload so
 * that with METHOD_BUFFERED, where input and output share one buffer, the
 * payload is already where it belongs.
 *
 * Windows, METHOD_IN_DIRECT: the transfer into the driver. The payload is the
 * *output* buffer (locked by the I/O manager for the driver to read), the
 * input buffer is a struct spotless_echo_trailer with the CRC32C the client
 * computed and the payload's length. The driver compares them with what it
 * read: STATUS_CRC_ERROR on a difference. Nothing is written back: under
 * METHOD_IN_DIRECT the caller's buffer may be read-only memory.
 *
 * Windows, METHOD_NEITHER: the layout of METHOD_BUFFERED (payload in, payload
 * and trailer out), but the driver gets the caller's raw addresses. It
 * probes them for a user-mode caller, copies the payload into its own memory
 * once, before any check, and writes the answer back, every access to the
 * caller's memory a call inside __try (windows/driver/user_memory.c); a
 * fault fails the request with the exception's status and 0 bytes.
 */
struct spotless_echo_trailer {
	uint32_t crc32c;
	uint32_t length;	/* payload bytes */
};
#define SPOTLESS_ECHO_TRAILER_LEN	8u

/*
 * BATCH: many requests in one call (Windows: METHOD_OUT_DIRECT, so that the
 * answers are written to a buffer other than the one the requests are read
 * from). The input is a spotless_batch_header and then `count` records, each
 * a spotless_batch_record, its input bytes, and zero padding to a multiple of
 * 8 bytes; `length` is all of that. The output is a spotless_batch_header and
 * one spotless_batch_result per record, each followed by the room the record
 * asked for (out_len, padded to 8).
 *
 * A record carries a command of the table marked batchable (MESSAGE, INFO,
 * STATS and ECHO by its buffered code), by its Windows code; any other is
 * refused as SPOTLESS_ERR_NOT_BATCHABLE. A record that fails gets its
 * status and the others run. A batch whose framing is broken (a count or
 * length that does not add up, non-zero reserved fields, over
 * SPOTLESS_BATCH_MAX_BYTES or SPOTLESS_BATCH_MAX_RECORDS) runs nothing and
 * fails as a whole, as does an output buffer too small for every result and
 * room asked for.
 */
struct spotless_batch_header {
	uint32_t size;		/* sizeof(struct spotless_batch_header) */
	uint32_t count;		/* records that follow (1 to the maximum) */
	uint32_t failed;	/* output: records whose status is not OK */
	uint32_t reserved;	/* 0 */
};

struct spotless_batch_record {
	uint32_t length;	/* this record: header, input, padding */
	uint32_t code;		/* the command's Windows code */
	uint32_t in_len;	/* input bytes that follow */
	uint32_t out_len;	/* room asked for the answer */
};

struct spotless_batch_result {
	uint32_t length;	/* this result: header, room, padding */
	uint32_t status;	/* SPOTLESS_STATUS_* */
	uint32_t information;	/* answer bytes in the room */
	uint32_t reserved;	/* 0 */
};

#define SPOTLESS_BATCH_ALIGN		8u
#define SPOTLESS_BATCH_PAD(n)		(((n) + 7u) & ~7u)

/*
 * Events: a client posts a message (POST, write access), the driver raises
 * one when a handle opens or closes. A handle subscribes by waiting, reading
 * or polling once; from then on it has its own queue of
 * SPOTLESS_EVENT_QUEUE_LEN records. When that is full the oldest record is
 * dropped, and the next record taken says how many were lost before it.
 * Both drivers have them (SPOTLESS_CAP_EVENTS). On Windows a WAIT_EVENT with
 * nothing queued stays pending until an event, CancelIoEx or the handle's
 * close (STATUS_CANCELLED). Windows does not unload a driver while a handle
 * to its device is open, so a pending wait holds the driver loaded; under
 * Wine, which unloads anyway, the unload cancels it.
 */
#define SPOTLESS_EVENT_PAYLOAD_MAX	64u
#define SPOTLESS_EVENT_QUEUE_LEN	64u

#define SPOTLESS_EVENT_POSTED		1u	/* a client posted a message */
#define SPOTLESS_EVENT_HANDLE_OPENED	2u
#define SPOTLESS_EVENT_HANDLE_CLOSED	3u

struct spotless_event {
	uint64_t sequence;	/* device-wide, from 1, never reused */
	uint64_t source_handle;	/* the handle that posted, opened or closed */
	uint64_t timestamp_ns;	/* the kernel's monotonic clock */
	uint32_t kind;		/* SPOTLESS_EVENT_* */
	uint32_t lost;		/* records dropped from this queue just before it */
	uint32_t payload_len;	/* bytes of payload that count */
	uint32_t reserved;	/* 0 */
	uint8_t payload[SPOTLESS_EVENT_PAYLOAD_MAX];
};

#endif /* SPOTLESS_WIRE_PROTOCOL_H */
