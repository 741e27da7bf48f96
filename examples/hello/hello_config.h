/* SPDX-License-Identifier: MIT */
/*
 * hello: a driver built on spotless. This header is its configuration: its
 * names, and its own commands as rows of spotless's command table
 * (include/spotless/commands.h has the columns). The driver's build
 * force-includes it (-include hello_config.h) into every file of the core
 * and of the glue; a client program includes it for the codes, before any
 * spotless header (its rows must be there when the table is read).
 */
#ifndef HELLO_CONFIG_H
#define HELLO_CONFIG_H

/* Names: /dev/hello on Linux; \\.\HelloDeviceLink on Windows; log lines
 * "hello: ..." (Linux: the module's name, hello.ko). */
#define SPOTLESS_DRIVER_LINUX_NAME		"hello"
#define SPOTLESS_DRIVER_NT_DEVICE_NAME_W	L"\\Device\\HelloDevice"
#define SPOTLESS_DRIVER_NT_LINK_NAME_W		L"\\??\\HelloDeviceLink"
#define SPOTLESS_DRIVER_LOG_NAME		"hello"
/* What a client passes to spotless_open_path() on each OS. */
#ifdef _WIN32
#define HELLO_DEVICE_NAME		"HelloDeviceLink"
#else
#define HELLO_DEVICE_NAME		SPOTLESS_DRIVER_LINUX_NAME
#endif

/*
 * GREET: a name in (1 to 64 bytes), "hello, NAME" back. A driver's own
 * command takes a function in 0xC00-0xFFF, no Linux number of its own (it
 * reaches Linux by SPOTLESS_IOC_CALL), a counter slot in 8-14 and a
 * capability bit in 32-63; the build refuses anything else.
 *
 *        NAME         counter  func   METHOD    ACCESS      nr LINUX_DIR lsize in out in_max out_max slot cap flags                     handler */
#define HELLO_CMD_GREET(X) \
	X(HELLO_GREET, "greet", 0xC00, BUFFERED, ANY_ACCESS, 0, LX_NONE,  0,    0, 0,  64,    71,     8,   32, SPOTLESS_CMD_F_BATCHABLE, hello_cmd_greet)

#define SPOTLESS_DRIVER_COMMANDS(X)	HELLO_CMD_GREET(X)
#define SPOTLESS_DRIVER_CAPABILITIES(X)	X(32, "greet")

#define IOCTL_HELLO_GREET	HELLO_CMD_GREET(SPOTLESS_ROW_CODE)
#define HELLO_STAT_GREET	HELLO_CMD_GREET(SPOTLESS_ROW_SLOT)
#define HELLO_CAP_GREET		HELLO_CMD_GREET(SPOTLESS_ROW_CAP)
#define HELLO_GREETING		"hello, "
#define HELLO_NAME_MAX		64u

#endif /* HELLO_CONFIG_H */
