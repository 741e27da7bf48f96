// SPDX-License-Identifier: MIT
/*
 * The NT model's user_memory.c: the driver's access to a caller's raw
 * addresses (METHOD_NEITHER), with the faults the real one catches under
 * __try given as the statuses it would return. The model declares invalid
 * the first 64 KiB (as Windows never maps them) and NTM_INVALID_BASE and
 * the 64 KiB after it (tests/ntmodel/ntmodel.h), and, for a user-mode
 * requestor, any range that wraps, as ProbeForRead / ProbeForWrite raise
 * for it. Anything else is host memory the test handed over.
 */
#include <string.h>

#include "ntmodel.h"
#include "user_memory.h"

static int touches_invalid(const void *p, size_t len)
{
	ULONG_PTR start = (ULONG_PTR)p, end = start + len;

	if (end < start)
		return 1;
	if (start < 0x10000)
		return 1;
	return start < NTM_INVALID_BASE + 0x10000 && end > NTM_INVALID_BASE;
}

NTSTATUS spotless_user_read(void *dst, const void *src, size_t len,
			    KPROCESSOR_MODE requestor)
{
	(void)requestor;
	if (!len)
		return STATUS_SUCCESS;
	if (touches_invalid(src, len))
		return STATUS_ACCESS_VIOLATION;
	memcpy(dst, src, len);
	return STATUS_SUCCESS;
}

NTSTATUS spotless_user_write(void *dst, const void *src, size_t len,
			     KPROCESSOR_MODE requestor)
{
	(void)requestor;
	if (!len)
		return STATUS_SUCCESS;
	if (touches_invalid(dst, len))
		return STATUS_ACCESS_VIOLATION;
	memcpy(dst, src, len);
	return STATUS_SUCCESS;
}
