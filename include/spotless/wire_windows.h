/* SPDX-License-Identifier: MIT */
/*
 * spotless on Windows: the kernel object names a client opens, the service
 * name, and the CTL_CODE arithmetic that builds the protocol's command codes
 * (wire_protocol.h spells them as numbers; each is checked here against the
 * fields it is made of). Plain literals: no Windows header needed.
 */
#ifndef SPOTLESS_WIRE_WINDOWS_H
#define SPOTLESS_WIRE_WINDOWS_H

#include "spotless/wire_protocol.h"

/* ---- Names ------------------------------------------------------------ */

/* Kernel object names (Windows). The link is what userland opens. */
#define SPOTLESS_NT_DEVICE_NAME_W	L"\\Device\\SpotlessDevice"
#define SPOTLESS_NT_LINK_NAME_W		L"\\??\\SpotlessDeviceLink"
#define SPOTLESS_WIN32_PATH_W		L"\\\\.\\SpotlessDeviceLink"
#define SPOTLESS_WIN32_PATH		"\\\\.\\SpotlessDeviceLink"

/* Service name under the Service Control Manager. */
#define SPOTLESS_SERVICE_NAME		"spotless"

/* ---- Control codes -------------------------------------------------------
 *
 * SPOTLESS_CTL_CODE builds the same values as winioctl.h's CTL_CODE.
 */
#define SPOTLESS_FILE_DEVICE_UNKNOWN	0x00000022u

#define SPOTLESS_CTL_CODE(device, function, method, access) \
	(((device) << 16) | ((access) << 14) | ((function) << 2) | (method))

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
#define IOCTL_SPOTLESS_FUNCTION		0x049u

/*
 * Every code added after the tutorial's uses a function in 0x800-0xFFF (the
 * range Microsoft leaves to vendors; commands.h splits it between the
 * protocol and a driver's own commands). SPOTLESS_NEW_CODE refuses a
 * function outside it at compile time: the check is the size of an array
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

/*
 * Each row's code is checked where this header is included (an array of size
 * -1 otherwise): the tutorial's is the value its CTL_CODE makes; the
 * protocol's functions are in 0x800-0xBFF and a driver's own in 0xC00-0xFFF,
 * with their capability bits and counter slots in the driver's ranges. Two
 * rows with one code fail to compile in the core (a switch on every code).
 */
typedef char spotless_code_check_tutorial[
	IOCTL_SPOTLESS == SPOTLESS_CTL_CODE(SPOTLESS_FILE_DEVICE_UNKNOWN, 0x2049u,
					   SPOTLESS_METHOD_BUFFERED,
					   SPOTLESS_FILE_ANY_ACCESS) ? 1 : -1];

#define SPOTLESS_CHECK_PROTOCOL_ROW_(name, counter, fn, method, access, nr, dir, lsize, \
				     in, out, in_max, out_max, slot, cap, flags, ...) \
	typedef char spotless_code_check_##name[ \
		(((flags) & SPOTLESS_CMD_F_TUTORIAL) || \
		 ((fn) >= SPOTLESS_PROTOCOL_FUNCTION_FIRST && \
		  (fn) <= SPOTLESS_PROTOCOL_FUNCTION_LAST)) && \
		(cap) <= SPOTLESS_PROTOCOL_CAP_LAST && \
		(slot) < SPOTLESS_DRIVER_SLOT_FIRST ? 1 : -1];
#define SPOTLESS_CHECK_DRIVER_ROW_(name, counter, fn, method, access, nr, dir, lsize, \
				   in, out, in_max, out_max, slot, cap, flags, ...) \
	typedef char spotless_code_check_##name[ \
		(fn) >= SPOTLESS_DRIVER_FUNCTION_FIRST && \
		(fn) <= SPOTLESS_DRIVER_FUNCTION_LAST && \
		(nr) == 0 && (cap) > SPOTLESS_PROTOCOL_CAP_LAST && (cap) < 64 && \
		(slot) >= SPOTLESS_DRIVER_SLOT_FIRST && \
		(slot) <= SPOTLESS_DRIVER_SLOT_LAST ? 1 : -1];
SPOTLESS_PROTOCOL_COMMANDS(SPOTLESS_CHECK_PROTOCOL_ROW_)
SPOTLESS_DRIVER_COMMANDS(SPOTLESS_CHECK_DRIVER_ROW_)

#endif /* SPOTLESS_WIRE_WINDOWS_H */
