/* SPDX-License-Identifier: MIT */
/*
 * The requesting process's memory, as METHOD_NEITHER hands it to the
 * driver: raw addresses, read and written only through these two calls,
 * each a probe (for a user-mode requestor) and a copy under structured
 * exception handling. They return STATUS_SUCCESS, or the status of the
 * exception the access raised (STATUS_ACCESS_VIOLATION, STATUS_DATATYPE_
 * MISALIGNMENT from a probe, ...); nothing is partly done but the copy.
 *
 * user_memory.c is built by clang for the MSVC target (the driver's only
 * such file); the NT model supplies its own (tests/ntmodel/user_memory.c).
 */
#ifndef SPOTLESS_USER_MEMORY_H
#define SPOTLESS_USER_MEMORY_H

#include <ntifs.h>

/* SAL's buffer annotations, empty where the headers lack them (NT model). */
#ifndef _Out_writes_bytes_
#define _Out_writes_bytes_(size)
#endif
#ifndef _In_reads_bytes_
#define _In_reads_bytes_(size)
#endif

/* len bytes from the caller's src into the driver's dst. */
NTSTATUS spotless_user_read(_Out_writes_bytes_(len) void *dst,
			    _In_reads_bytes_(len) const void *src, size_t len,
			    KPROCESSOR_MODE requestor);

/* len bytes from the driver's src into the caller's dst. */
NTSTATUS spotless_user_write(_Out_writes_bytes_(len) void *dst,
			     _In_reads_bytes_(len) const void *src, size_t len,
			     KPROCESSOR_MODE requestor);

#endif /* SPOTLESS_USER_MEMORY_H */
