/* SPDX-License-Identifier: MIT */
/*
 * The command table: every command of the protocol is one row here, and
 * everything else is derived from the rows: the Windows control codes, the
 * Linux ioctl numbers, the core's dispatch, access check and size rules, the
 * STATS slots and their names, INFO's capability bits, the CLI's names and
 * the tests' lists of codes. The statuses are one table the same way.
 *
 * A row is a macro that hands its columns to X. Its words (BUFFERED,
 * READ_ACCESS, LX_READ, ...) are pasted onto prefixes, but a word that is a
 * macro where the table is read is expanded first: hence words no header
 * defines (a kernel's READ and WRITE are macros).
 *
 *   X(NAME, counter, function, METHOD, ACCESS, linux_nr, LINUX_DIR, linux_size,
 *     in_struct, out_struct, in_max, out_max, slot, cap, flags, handler)
 *
 *   NAME        IOCTL_SPOTLESS_<NAME> is the code (IOCTL_SPOTLESS for MESSAGE)
 *   counter     the STATS slot's name, as the CLI shows it
 *   function    the CTL_CODE function: 0x800-0xBFF for the protocol,
 *               0xC00-0xFFF for a driver's own commands (the tutorial's
 *               0x049 is the one exception, see wire_windows.h)
 *   METHOD      the transfer method: BUFFERED, IN_DIRECT, OUT_DIRECT, NEITHER
 *   ACCESS      what the handle must be open for: ANY_ACCESS, READ_ACCESS,
 *               WRITE_ACCESS, READ_WRITE_ACCESS
 *   linux_nr    its own ioctl number on Linux (type 0xD5), 0 for none: a
 *               driver's own commands, and every command, reach Linux through
 *               SPOTLESS_IOC_CALL by their code (wire_linux.h)
 *   LINUX_DIR   LX_NONE, LX_READ, LX_WRITE, LX_READ_WRITE (_IOR is LX_READ,
 *               _IOW LX_WRITE)
 *   linux_size  the first version's size of the Linux argument structure;
 *               the number carries it, and callers may pass a larger one
 *   in_struct   0: the input is bytes; else the first version's size of the
 *               input structure (a larger one must have a zero tail)
 *   out_struct  0: the output is bytes; else the first version's size of the
 *               answer structure (zero-extended to the caller's size)
 *   in_max      the largest input accepted (0: the command takes none)
 *   out_max     the largest answer (with F_ANSWER_ECHOES: plus the input)
 *   slot        its STATS counter (SPOTLESS_STAT_*)
 *   cap         its bit in INFO's capabilities (SPOTLESS_CAP_*)
 *   flags       SPOTLESS_CMD_F_*
 *   handler     the core's function that answers it, or NULL when the
 *               kernel's glue does (it may leave the request pending)
 *
 * A driver built on spotless adds its own rows, in their own ranges, through
 * SPOTLESS_DRIVER_COMMANDS (see examples/ and docs/architecture.md); the
 * protocol's rows and values never change. Every published value is pinned
 * by tests/compat/abi_pins.c.
 */
#ifndef SPOTLESS_COMMANDS_H
#define SPOTLESS_COMMANDS_H

/* Rows' flags. */
#define SPOTLESS_CMD_F_BATCHABLE	0x1u	/* may ride in a BATCH record */
#define SPOTLESS_CMD_F_WINDOWS_ONLY	0x2u	/* a transfer method of Windows' */
#define SPOTLESS_CMD_F_ANSWER_ECHOES	0x4u	/* answer <= input + out_max */
#define SPOTLESS_CMD_F_PAYLOAD_IS_OUT	0x8u	/* IN_DIRECT: the payload is the
						 * output buffer, bounded by out_max */
#define SPOTLESS_CMD_F_TUTORIAL		0x10u	/* the tutorial's own code */
#define SPOTLESS_CMD_F_PENDS		0x20u	/* may wait: not by SPOTLESS_IOC_CALL */

/* The largest structure any command will ever take or give: a caller's larger
 * size is answered up to this many bytes. */
#define SPOTLESS_STRUCT_MAX		4096u

/* Ranges: the protocol's, and those a driver built on spotless uses. */
#define SPOTLESS_PROTOCOL_FUNCTION_FIRST 0x800u
#define SPOTLESS_PROTOCOL_FUNCTION_LAST	0xBFFu
#define SPOTLESS_DRIVER_FUNCTION_FIRST	0xC00u
#define SPOTLESS_DRIVER_FUNCTION_LAST	0xFFFu
#define SPOTLESS_PROTOCOL_CAP_LAST	31	/* bits 0-31; a driver's: 32-63 */
#define SPOTLESS_DRIVER_SLOT_FIRST	8	/* slots 8-14; 15 is unknown codes */
#define SPOTLESS_DRIVER_SLOT_LAST	14

/*        NAME             counter       func   METHOD      ACCESS             nr    LINUX_DIR      lsize in out  in_max                      out_max                    slot cap flags                                                        handler */
#define SPOTLESS_CMD_MESSAGE(X) \
	X(MESSAGE,         "message",    0x049, BUFFERED,   WRITE_ACCESS,      0x01, LX_READ_WRITE, 48,  0, 0,   SPOTLESS_MESSAGE_MAX_INPUT, SPOTLESS_REPLY_LEN + 1u,   0, 0, SPOTLESS_CMD_F_BATCHABLE | SPOTLESS_CMD_F_TUTORIAL,          spotless_cmd_message)
#define SPOTLESS_CMD_INFO(X) \
	X(INFO,            "info",       0x800, BUFFERED,   ANY_ACCESS,        0x02, LX_READ,       56,  0, 56,  0,                          SPOTLESS_STRUCT_MAX,       1, 1, SPOTLESS_CMD_F_BATCHABLE,                                    spotless_cmd_info)
#define SPOTLESS_CMD_STATS(X) \
	X(STATS,           "stats",      0x801, BUFFERED,   READ_ACCESS,       0x03, LX_READ,       576, 0, 576, 0,                          SPOTLESS_STRUCT_MAX,       2, 2, SPOTLESS_CMD_F_BATCHABLE,                                    spotless_cmd_stats)
#define SPOTLESS_CMD_ECHO_BUFFERED(X) \
	X(ECHO_BUFFERED,   "echo",       0x802, BUFFERED,   ANY_ACCESS,        0x04, LX_READ_WRITE, 40,  0, 0,   SPOTLESS_ECHO_MAX,          SPOTLESS_ECHO_TRAILER_LEN, 3, 3, SPOTLESS_CMD_F_BATCHABLE | SPOTLESS_CMD_F_ANSWER_ECHOES,     spotless_cmd_echo)
#define SPOTLESS_CMD_ECHO_IN_DIRECT(X) \
	X(ECHO_IN_DIRECT,  "echo",       0x803, IN_DIRECT,  ANY_ACCESS,        0,    LX_NONE,       0,   8, 0,   SPOTLESS_STRUCT_MAX,        SPOTLESS_ECHO_MAX,         3, 4, SPOTLESS_CMD_F_WINDOWS_ONLY | SPOTLESS_CMD_F_PAYLOAD_IS_OUT, spotless_cmd_echo_in_direct)
#define SPOTLESS_CMD_ECHO_OUT_DIRECT(X) \
	X(ECHO_OUT_DIRECT, "echo",       0x804, OUT_DIRECT, ANY_ACCESS,        0,    LX_NONE,       0,   0, 0,   SPOTLESS_ECHO_MAX,          SPOTLESS_ECHO_TRAILER_LEN, 3, 4, SPOTLESS_CMD_F_WINDOWS_ONLY | SPOTLESS_CMD_F_ANSWER_ECHOES,  spotless_cmd_echo)
#define SPOTLESS_CMD_BATCH(X) \
	X(BATCH,           "batch",      0x805, OUT_DIRECT, READ_WRITE_ACCESS, 0x05, LX_READ_WRITE, 40,  0, 0,   SPOTLESS_BATCH_MAX_BYTES,   SPOTLESS_BATCH_MAX_BYTES,  4, 5, 0,                                                           spotless_cmd_batch)
#define SPOTLESS_CMD_POST(X) \
	X(POST,            "post",       0x806, BUFFERED,   WRITE_ACCESS,      0x06, LX_WRITE,      16,  0, 0,   SPOTLESS_EVENT_PAYLOAD_MAX, 0,                         5, 6, 0,                                                           NULL)
#define SPOTLESS_CMD_WAIT_EVENT(X) \
	X(WAIT_EVENT,      "wait_event", 0x807, BUFFERED,   READ_ACCESS,       0x07, LX_READ,       104, 0, 104, 0,                          SPOTLESS_STRUCT_MAX,       6, 6, SPOTLESS_CMD_F_PENDS,                                        NULL)
#define SPOTLESS_CMD_ECHO_NEITHER(X) \
	X(ECHO_NEITHER,    "echo",       0x808, NEITHER,    READ_WRITE_ACCESS, 0,    LX_NONE,       0,   0, 0,   SPOTLESS_ECHO_MAX,          SPOTLESS_ECHO_TRAILER_LEN, 3, 8, SPOTLESS_CMD_F_WINDOWS_ONLY | SPOTLESS_CMD_F_ANSWER_ECHOES,  spotless_cmd_echo)

/* The protocol's commands, every row once. */
#define SPOTLESS_PROTOCOL_COMMANDS(X) \
	SPOTLESS_CMD_MESSAGE(X) SPOTLESS_CMD_INFO(X) SPOTLESS_CMD_STATS(X) \
	SPOTLESS_CMD_ECHO_BUFFERED(X) SPOTLESS_CMD_ECHO_IN_DIRECT(X) \
	SPOTLESS_CMD_ECHO_OUT_DIRECT(X) SPOTLESS_CMD_BATCH(X) SPOTLESS_CMD_POST(X) \
	SPOTLESS_CMD_WAIT_EVENT(X) SPOTLESS_CMD_ECHO_NEITHER(X)

/*
 * A driver's own rows (same columns), given by the driver's configuration
 * header, which its build force-includes (-include): none for spotless.
 */
#ifndef SPOTLESS_DRIVER_COMMANDS
#define SPOTLESS_DRIVER_COMMANDS(X)
#endif

/* Every command this build knows: the protocol's, then the driver's. */
#define SPOTLESS_COMMANDS(X) SPOTLESS_PROTOCOL_COMMANDS(X) SPOTLESS_DRIVER_COMMANDS(X)

/* ---- Columns, for one row: SPOTLESS_CMD_INFO(SPOTLESS_ROW_CODE) ---------- */

#define SPOTLESS_METHOD_CODE_BUFFERED		0u
#define SPOTLESS_METHOD_CODE_IN_DIRECT		1u
#define SPOTLESS_METHOD_CODE_OUT_DIRECT		2u
#define SPOTLESS_METHOD_CODE_NEITHER		3u
#define SPOTLESS_ACCESS_CODE_ANY_ACCESS	0u
#define SPOTLESS_ACCESS_CODE_READ_ACCESS	1u
#define SPOTLESS_ACCESS_CODE_WRITE_ACCESS	2u
#define SPOTLESS_ACCESS_CODE_READ_WRITE_ACCESS	3u
#define SPOTLESS_LINUX_DIR_LX_NONE		0u
#define SPOTLESS_LINUX_DIR_LX_WRITE		1u	/* _IOC_WRITE */
#define SPOTLESS_LINUX_DIR_LX_READ		2u	/* _IOC_READ */
#define SPOTLESS_LINUX_DIR_LX_READ_WRITE	3u

/* The control code: CTL_CODE(FILE_DEVICE_UNKNOWN, function, method, access). */
#define SPOTLESS_ROW_CODE(name, counter, fn, method, access, ...) \
	((0x22u << 16) | (SPOTLESS_ACCESS_CODE_##access << 14) | \
	 ((unsigned int)(fn) << 2) | SPOTLESS_METHOD_CODE_##method)

/* The Linux ioctl number, as _IOC(dir, 0xD5, nr, size) builds it (asm-generic
 * layout: nr bits 0-7, type 8-15, size 16-29, direction 30-31). */
#define SPOTLESS_ROW_IOC(name, counter, fn, method, access, nr, dir, lsize, ...) \
	((SPOTLESS_LINUX_DIR_##dir << 30) | ((unsigned int)(lsize) << 16) | \
	 (0xD5u << 8) | (unsigned int)(nr))

#define SPOTLESS_ROW_COUNTER(name, counter, ...) counter
#define SPOTLESS_ROW_CAP(name, counter, fn, method, access, nr, dir, lsize, in, out, \
			 in_max, out_max, slot, cap, ...) (1ull << (cap))
#define SPOTLESS_ROW_SLOT(name, counter, fn, method, access, nr, dir, lsize, in, out, \
			  in_max, out_max, slot, ...) (slot)

/*
 * The capability bits' names (INFO, the CLI): a command's bit, shared by the
 * rows of one capability, and the bits that are not a command. A driver's
 * own come from SPOTLESS_DRIVER_CAPABILITIES, bits 32-63.
 */
#define SPOTLESS_PROTOCOL_CAPABILITIES(X) \
	X(0, "message") X(1, "info") X(2, "stats") X(3, "echo") X(4, "echo_direct") \
	X(5, "batch") X(6, "events") X(7, "crc32c_instruction") X(8, "echo_neither") \
	X(9, "call")
#ifndef SPOTLESS_DRIVER_CAPABILITIES
#define SPOTLESS_DRIVER_CAPABILITIES(X)
#endif
#define SPOTLESS_CAPABILITIES(X) \
	SPOTLESS_PROTOCOL_CAPABILITIES(X) SPOTLESS_DRIVER_CAPABILITIES(X)

/* ---- Statuses -------------------------------------------------------------
 *
 *   X(NAME, value, "text", errno, NTSTATUS, Win32 error, kind)
 *
 * NAME: SPOTLESS_STATUS_<NAME>; value: the wire's number (error counters are
 * indexed by it, a BATCH record reports it); errno: what the Linux module
 * returns (negated); NTSTATUS: what the Windows driver completes with;
 * Win32: what DeviceIoControl's caller then sees in GetLastError(); kind:
 * libspotless's SPOTLESS_ERROR_<kind>, the same on every OS. Statuses that
 * share an OS number share a kind: a BATCH record's status tells them apart.
 */
#define SPOTLESS_STATUSES(X) \
	X(OK,                0,  "success",                                   0,        0x00000000u, 0,                         NONE) \
	X(UNKNOWN_CODE,      1,  "unknown control code",                      ENOTTY,   0xC0000010u, ERROR_INVALID_FUNCTION,    UNKNOWN_COMMAND) \
	X(EMPTY_INPUT,       2,  "empty input",                               EINVAL,   0xC000000Du, ERROR_INVALID_PARAMETER,   INVALID_ARGUMENT) \
	X(INPUT_TOO_LARGE,   3,  "input too large",                           EMSGSIZE, 0xC0000206u, ERROR_INVALID_USER_BUFFER, INPUT_TOO_LARGE) \
	X(OUTPUT_TOO_SMALL,  4,  "output buffer too small",                   ERANGE,   0xC0000023u, ERROR_INSUFFICIENT_BUFFER, OUTPUT_TOO_SMALL) \
	X(UNEXPECTED_INPUT,  5,  "input given to a command that takes none",  EINVAL,   0xC000000Du, ERROR_INVALID_PARAMETER,   INVALID_ARGUMENT) \
	X(CHECKSUM_MISMATCH, 6,  "checksum mismatch",                         EBADMSG,  0xC000003Fu, ERROR_CRC,                 CHECKSUM_MISMATCH) \
	X(BAD_BATCH,         7,  "malformed batch",                           EINVAL,   0xC000000Du, ERROR_INVALID_PARAMETER,   INVALID_ARGUMENT) \
	X(NOT_BATCHABLE,     8,  "command not allowed in a batch or call",    EINVAL,   0xC000000Du, ERROR_INVALID_PARAMETER,   INVALID_ARGUMENT) \
	X(BAD_REQUEST,       9,  "malformed request structure",               EINVAL,   0xC000000Du, ERROR_INVALID_PARAMETER,   INVALID_ARGUMENT) \
	X(ACCESS_DENIED,     10, "handle not opened for this access",         EBADF,    0xC0000022u, ERROR_ACCESS_DENIED,       ACCESS_DENIED) \
	X(UNKNOWN_FIELDS,    11, "structure has unknown non-zero fields",     E2BIG,    0xC000000Du, ERROR_INVALID_PARAMETER,   UNKNOWN_FIELDS)

#endif /* SPOTLESS_COMMANDS_H */
