/* SPDX-License-Identifier: MIT */
/*
 * Internal declarations of the Windows driver (WDM). The driver is thin glue:
 * it hands each request to the portable core (core/spotless_core.c) and turns
 * the core's answer into an NTSTATUS and DbgPrintEx lines.
 */
#ifndef SPOTLESS_DRIVER_H
#define SPOTLESS_DRIVER_H

#include <ntifs.h>

#include "spotless/spotless_ioctl.h"
#include "spotless_core.h"

/* Pool tag of every allocation: the bytes "Sptl", as a pool dump shows it. */
#define SPOTLESS_POOL_TAG	0x6c747053u

/*
 * Log lines start with "spotless: ". Component IHVDRIVER; routine steps at
 * INFO level, failures at ERROR level (always shown by Windows' filter).
 * Every %s argument is bounded by the caller (see the core's log record).
 */
#define SPOTLESS_LOG(fmt, ...) \
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, \
		   "spotless: " fmt "\n", ##__VA_ARGS__)
#define SPOTLESS_LOG_ERROR(fmt, ...) \
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, \
		   "spotless: " fmt "\n", ##__VA_ARGS__)

/* A counted string over a wide literal, without a call to initialise it. */
#define SPOTLESS_UNICODE_STRING(literal) \
	{ sizeof(literal) - sizeof(WCHAR), sizeof(literal), (PWSTR)(literal) }

/*
 * Arguments for "%.*ws" from a UNICODE_STRING pointer: a length in characters
 * and the buffer, which need not be NUL-terminated. Windows also knows %wZ,
 * but Wine's DbgPrint does not, and this form prints the same on both.
 */
#define SPOTLESS_USTR_ARGS(ustr) \
	(int)((ustr)->Length / sizeof(WCHAR)), (ustr)->Buffer

/* dispatch.c */
DRIVER_DISPATCH spotless_dispatch_create;
DRIVER_DISPATCH spotless_dispatch_cleanup;
DRIVER_DISPATCH spotless_dispatch_close;
DRIVER_DISPATCH spotless_dispatch_device_control;

/* device_security.c */
NTSTATUS spotless_restrict_device(PDEVICE_OBJECT device);

#endif /* SPOTLESS_DRIVER_H */
