// SPDX-License-Identifier: MIT
/*
 * The caller's memory under structured exception handling (see
 * user_memory.h). This is the one file of the driver built by clang for
 * x86_64-pc-windows-msvc, because mingw-w64's GCC has no __try for kernel
 * code; it is linked with the GCC-built rest by GNU ld, and its scope
 * table goes through ntoskrnl's __C_specific_handler.
 *
 * Every access to the caller's memory is a call inside __try (ProbeForRead,
 * ProbeForWrite, and RtlCopyMemory, which -fno-builtin keeps a call):
 * clang 14 covers the calls in a __try body, not a bare dereference there.
 * The exception's code is taken in the filter expression: read in the
 * handler's body, GetExceptionCode() gave 0 with clang.
 */
#include "user_memory.h"

/* One copy between the caller's memory and the driver's, the caller's side
 * probed first (read or write) unless the requestor is the kernel. */
static NTSTATUS copy_probed(void *dst, const void *src, size_t len, KPROCESSOR_MODE requestor,
			    BOOLEAN to_user)
{
	NTSTATUS status = STATUS_SUCCESS;

	if (!len)
		return STATUS_SUCCESS;
	__try {
		if (requestor != KernelMode && to_user)
			ProbeForWrite(dst, len, 1);
		else if (requestor != KernelMode)
			ProbeForRead((PVOID)src, len, 1);
		RtlCopyMemory(dst, src, len);
	} __except (status = GetExceptionCode(), EXCEPTION_EXECUTE_HANDLER) {
		if (NT_SUCCESS(status))
			status = STATUS_ACCESS_VIOLATION;
	}
	return status;
}

_Use_decl_annotations_
NTSTATUS spotless_user_read(void *dst, const void *src, size_t len,
			    KPROCESSOR_MODE requestor)
{
	return copy_probed(dst, src, len, requestor, FALSE);
}

_Use_decl_annotations_
NTSTATUS spotless_user_write(void *dst, const void *src, size_t len,
			     KPROCESSOR_MODE requestor)
{
	return copy_probed(dst, src, len, requestor, TRUE);
}
