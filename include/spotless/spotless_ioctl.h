/* SPDX-License-Identifier: MIT */
/*
 * spotless wire contract: the one header that the Windows driver, the Linux
 * module, the portable core and userland all include.
 *
 * Everything here is a plain number or string literal so that the header
 * needs no OS header: the Windows control codes are spelled out with our own
 * SPOTLESS_CTL_CODE, which builds the same values as winioctl.h's CTL_CODE.
 */
#ifndef SPOTLESS_IOCTL_H
#define SPOTLESS_IOCTL_H

#include "spotless/spotless_types.h"

/* ---- Names ------------------------------------------------------------ */

/* Kernel object names (Windows). The link is what userland opens. */
#define SPOTLESS_NT_DEVICE_NAME_W	L"\\Device\\SpotlessDevice"
#define SPOTLESS_NT_LINK_NAME_W		L"\\??\\SpotlessDeviceLink"
#define SPOTLESS_WIN32_PATH_W		L"\\\\.\\SpotlessDeviceLink"
#define SPOTLESS_WIN32_PATH		"\\\\.\\SpotlessDeviceLink"

/* Service name under the Service Control Manager. */
#define SPOTLESS_SERVICE_NAME		"spotless"

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

/* ---- Windows I/O control codes ----------------------------------------
 *
 * Layout of a control code (as winioctl.h's CTL_CODE):
 *   bits 31..16 device type, 15..14 required access, 13..2 function,
 *   1..0 transfer method.
 */
#define SPOTLESS_FILE_DEVICE_UNKNOWN	0x00000022u

#define SPOTLESS_METHOD_BUFFERED	0u
#define SPOTLESS_METHOD_IN_DIRECT	1u
#define SPOTLESS_METHOD_OUT_DIRECT	2u
#define SPOTLESS_METHOD_NEITHER		3u

#define SPOTLESS_FILE_ANY_ACCESS	0u
#define SPOTLESS_FILE_READ_ACCESS	1u
#define SPOTLESS_FILE_WRITE_ACCESS	2u

#define SPOTLESS_CTL_CODE(device, function, method, access) \
	(((device) << 16) | ((access) << 14) | ((function) << 2) | (method))

#define SPOTLESS_CODE_DEVICE(code)	(((code) >> 16) & 0xFFFFu)
#define SPOTLESS_CODE_ACCESS(code)	(((code) >> 14) & 0x3u)
#define SPOTLESS_CODE_FUNCTION(code)	(((code) >> 2) & 0xFFFu)
#define SPOTLESS_CODE_METHOD(code)	((code) & 0x3u)

/*
 * IOCTL_SPOTLESS, the tutorial's code, kept bit for bit.
 *
 * The tutorial writes CTL_CODE(FILE_DEVICE_UNKNOWN, 0x2049, METHOD_BUFFERED,
 * FILE_ANY_ACCESS). The function field is 12 bits wide, so 0x2049 does not
 * fit: 0x2049 << 2 = 0x8124 sets bit 15, which belongs to the access field.
 * The value is therefore 0x00228124, which decodes as function 0x049,
 * METHOD_BUFFERED and FILE_WRITE_ACCESS. Programs built from the tutorial
 * send this value, so spotless accepts exactly it. A consequence on Windows:
 * the I/O manager refuses it on a handle opened without write access.
 */
#define IOCTL_SPOTLESS			0x00228124u
#define IOCTL_SPOTLESS_FUNCTION		0x049u

/*
 * Every code added after the tutorial's uses a function in 0x800-0xFFF (the
 * range Microsoft leaves to vendors). SPOTLESS_NEW_CODE refuses a function
 * outside that range at compile time: the check is the size of an array
 * whose length turns negative, an error wherever the macro is expanded.
 */
#define SPOTLESS_FUNCTION_FIRST		0x800u
#define SPOTLESS_FUNCTION_LAST		0xFFFu

#define SPOTLESS_FUNCTION_CHECKED(function) \
	((unsigned int)((function) + 0u * sizeof(char[ \
		((function) >= SPOTLESS_FUNCTION_FIRST && \
		 (function) <= SPOTLESS_FUNCTION_LAST) ? 1 : -1])))

#define SPOTLESS_NEW_CODE(function, method, access) \
	SPOTLESS_CTL_CODE(SPOTLESS_FILE_DEVICE_UNKNOWN, \
			  SPOTLESS_FUNCTION_CHECKED(function), (method), (access))

/* ---- Protocol v1: commands after the tutorial's -------------------------
 *
 * A client asks INFO first and uses only the commands whose capability bit
 * is set. Structures are the same bytes on every OS and for 32-bit and 64-bit
 * callers: fixed-width fields, naturally aligned, no implicit padding.
 */
#define SPOTLESS_PROTOCOL_VERSION	1u
#define SPOTLESS_DRIVER_VERSION		0x00000200u	/* 0.2.0: major << 16 | minor << 8 | patch */

#define SPOTLESS_OS_WINDOWS		1u
#define SPOTLESS_OS_LINUX		2u

#define SPOTLESS_CAP_MESSAGE		(1ull << 0)	/* the tutorial exchange */
#define SPOTLESS_CAP_INFO		(1ull << 1)
#define SPOTLESS_CAP_STATS		(1ull << 2)

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
	uint64_t reserved[2];		/* 0 */
};

/* Counter slots: requests by command, errors by status (enum spotless_status). */
#define SPOTLESS_STAT_MESSAGE		0
#define SPOTLESS_STAT_INFO		1
#define SPOTLESS_STAT_STATS		2
#define SPOTLESS_STAT_UNKNOWN		7
#define SPOTLESS_STAT_SLOTS		8

struct spotless_counters {
	uint64_t requests[SPOTLESS_STAT_SLOTS];	/* by SPOTLESS_STAT_* */
	uint64_t errors[SPOTLESS_STAT_SLOTS];	/* by status; [0] is unused */
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

/* Windows codes of protocol v1 (functions 0x800-0xFFF). */
#define IOCTL_SPOTLESS_INFO \
	SPOTLESS_NEW_CODE(0x800u, SPOTLESS_METHOD_BUFFERED, SPOTLESS_FILE_ANY_ACCESS)
#define IOCTL_SPOTLESS_STATS \
	SPOTLESS_NEW_CODE(0x801u, SPOTLESS_METHOD_BUFFERED, SPOTLESS_FILE_READ_ACCESS)

/* ---- Linux ioctls ------------------------------------------------------
 *
 * The misc device /dev/spotless carries the same commands. Type 0xD5 is not
 * taken in the kernel's Documentation/userspace-api/ioctl/ioctl-number.rst;
 * spotless uses numbers 0x00-0x1F of it. Structures have fixed-width fields,
 * no implicit padding, pointers as __u64 (the same layout for 32-bit and
 * 64-bit callers), and flags and reserved fields that must be zero.
 */
#ifdef __linux__
#include <linux/ioctl.h>
#include <linux/types.h>

#define SPOTLESS_LINUX_DEVICE_NAME	"spotless"
#define SPOTLESS_LINUX_DEVICE_PATH	"/dev/spotless"
#define SPOTLESS_LINUX_MODULE_NAME	"spotless"
#define SPOTLESS_IOC_TYPE		0xD5

/*
 * The tutorial exchange. in_ptr/in_len: the message (1 to
 * SPOTLESS_MESSAGE_MAX_INPUT bytes, read up to its first NUL). out_ptr/out_len:
 * room for the reply; 22 bytes are written, plus a NUL when out_len > 22.
 * out_written: set by the driver to the reply's length (22).
 *
 * Errors: EFAULT a pointer the kernel cannot use; EINVAL flags or reserved
 * not zero, or in_len 0; EMSGSIZE in_len above the limit; ERANGE out_len
 * under 22 (nothing written).
 */
struct spotless_message {
	__u64 in_ptr;
	__u64 out_ptr;
	__u32 in_len;
	__u32 out_len;
	__u32 out_written;
	__u32 flags;		/* none defined: must be 0 */
	__u64 reserved[2];	/* must be 0 */
};

#define SPOTLESS_IOC_MESSAGE	_IOWR(SPOTLESS_IOC_TYPE, 0x01, struct spotless_message)
#define SPOTLESS_IOC_INFO	_IOR(SPOTLESS_IOC_TYPE, 0x02, struct spotless_info)
#define SPOTLESS_IOC_STATS	_IOR(SPOTLESS_IOC_TYPE, 0x03, struct spotless_stats)

#endif /* __linux__ */

#endif /* SPOTLESS_IOCTL_H */
