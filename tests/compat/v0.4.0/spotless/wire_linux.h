/* SPDX-License-Identifier: MIT */
/*
 * spotless on Linux (uapi): the misc device, its ioctl numbers and their
 * argument structures. The records they carry are wire_protocol.h's.
 */
#ifndef SPOTLESS_WIRE_LINUX_H
#define SPOTLESS_WIRE_LINUX_H

#include <linux/ioctl.h>
#include <linux/types.h>

#include "spotless/wire_protocol.h"

/* ---- Linux ioctls ------------------------------------------------------
 *
 * The misc device /dev/spotless carries the same commands. Type 0xD5 is not
 * taken in the kernel's Documentation/userspace-api/ioctl/ioctl-number.rst;
 * spotless uses numbers 0x00-0x1F of it. Structures have fixed-width fields,
 * no implicit padding, pointers as __u64 (the same layout for 32-bit and
 * 64-bit callers), and flags and reserved fields that must be zero.
 */

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
struct spotless_ioc_message {
	__u64 in_ptr;
	__u64 out_ptr;
	__u32 in_len;
	__u32 out_len;
	__u32 out_written;
	__u32 flags;		/* none defined: must be 0 */
	__u64 reserved[2];	/* must be 0 */
};

/*
 * ECHO: in_len bytes at in_ptr (0 to SPOTLESS_ECHO_MAX) come back at out_ptr
 * (out_len must be at least in_len); the driver sets out_written to in_len
 * and crc32c to the CRC32C of the bytes it received.
 *
 * Errors: EFAULT, EINVAL (flags, reserved), EMSGSIZE in_len above the limit,
 * ERANGE out_len under in_len, ENOMEM.
 */
struct spotless_ioc_echo {
	__u64 in_ptr;
	__u64 out_ptr;
	__u32 in_len;
	__u32 out_len;
	__u32 out_written;
	__u32 crc32c;
	__u32 flags;		/* none defined: must be 0 */
	__u32 reserved;		/* must be 0 */
};

/*
 * BATCH: the records of wire_protocol.h, in_len bytes at in_ptr,
 * the answers at out_ptr; out_written is set to the output's length.
 *
 * Errors: EFAULT, EINVAL (flags, reserved, broken framing: BAD_BATCH),
 * EMSGSIZE in_len above SPOTLESS_BATCH_MAX_BYTES, ERANGE out_len too small
 * for the results, ENOMEM.
 */
struct spotless_ioc_batch {
	__u64 in_ptr;
	__u64 out_ptr;
	__u32 in_len;
	__u32 out_len;
	__u32 out_written;
	__u32 flags;		/* none defined: must be 0 */
	__u64 reserved;		/* must be 0 */
};

/*
 * POST: payload_len bytes at payload_ptr (1 to SPOTLESS_EVENT_PAYLOAD_MAX)
 * become an event for every subscribed handle. Needs a descriptor open for writing.
 * Errors: EFAULT, EINVAL (flags, payload_len 0), EMSGSIZE, EBADF.
 *
 * WAIT_EVENT: the oldest event of this handle's queue (subscribing it the
 * first time), waiting for one unless the descriptor is O_NONBLOCK. read(2)
 * gives the same records, as many whole ones as fit; poll(2) says POLLIN
 * when one is queued. Needs a descriptor open for reading.
 * Errors: EAGAIN (O_NONBLOCK, none queued), EINTR / restart (a signal),
 * EFAULT, ENOMEM, EBADF; read(2) with room for less than one record: EINVAL.
 */
struct spotless_ioc_post {
	__u64 payload_ptr;
	__u32 payload_len;
	__u32 flags;		/* none defined: must be 0 */
};

#define SPOTLESS_IOC_MESSAGE	_IOWR(SPOTLESS_IOC_TYPE, 0x01, struct spotless_ioc_message)
#define SPOTLESS_IOC_INFO	_IOR(SPOTLESS_IOC_TYPE, 0x02, struct spotless_info)
#define SPOTLESS_IOC_STATS	_IOR(SPOTLESS_IOC_TYPE, 0x03, struct spotless_stats)
#define SPOTLESS_IOC_ECHO	_IOWR(SPOTLESS_IOC_TYPE, 0x04, struct spotless_ioc_echo)
#define SPOTLESS_IOC_BATCH	_IOWR(SPOTLESS_IOC_TYPE, 0x05, struct spotless_ioc_batch)
#define SPOTLESS_IOC_POST	_IOW(SPOTLESS_IOC_TYPE, 0x06, struct spotless_ioc_post)
#define SPOTLESS_IOC_WAIT_EVENT	_IOR(SPOTLESS_IOC_TYPE, 0x07, struct spotless_event)

#endif /* SPOTLESS_WIRE_LINUX_H */
