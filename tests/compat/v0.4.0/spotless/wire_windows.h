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

/* Each code of wire_protocol.h is what its fields make (an array of size -1
 * otherwise: a compile error wherever this header is included). */
#define SPOTLESS_CODE_IS(code, function, method, access) \
	typedef char spotless_code_check_##function[ \
		(code) == SPOTLESS_NEW_CODE(function, method, access) ? 1 : -1]

typedef char spotless_code_check_tutorial[
	IOCTL_SPOTLESS == SPOTLESS_CTL_CODE(SPOTLESS_FILE_DEVICE_UNKNOWN, 0x2049u,
					   SPOTLESS_METHOD_BUFFERED,
					   SPOTLESS_FILE_ANY_ACCESS) ? 1 : -1];
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_INFO, 0x800u, SPOTLESS_METHOD_BUFFERED,
		 SPOTLESS_FILE_ANY_ACCESS);
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_STATS, 0x801u, SPOTLESS_METHOD_BUFFERED,
		 SPOTLESS_FILE_READ_ACCESS);
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_ECHO_BUFFERED, 0x802u, SPOTLESS_METHOD_BUFFERED,
		 SPOTLESS_FILE_ANY_ACCESS);
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_ECHO_IN_DIRECT, 0x803u, SPOTLESS_METHOD_IN_DIRECT,
		 SPOTLESS_FILE_ANY_ACCESS);
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_ECHO_OUT_DIRECT, 0x804u, SPOTLESS_METHOD_OUT_DIRECT,
		 SPOTLESS_FILE_ANY_ACCESS);
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_BATCH, 0x805u, SPOTLESS_METHOD_OUT_DIRECT,
		 SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS);
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_POST, 0x806u, SPOTLESS_METHOD_BUFFERED,
		 SPOTLESS_FILE_WRITE_ACCESS);
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_WAIT_EVENT, 0x807u, SPOTLESS_METHOD_BUFFERED,
		 SPOTLESS_FILE_READ_ACCESS);
SPOTLESS_CODE_IS(IOCTL_SPOTLESS_ECHO_NEITHER, 0x808u, SPOTLESS_METHOD_NEITHER,
		 SPOTLESS_FILE_ANY_ACCESS);

#endif /* SPOTLESS_WIRE_WINDOWS_H */
