// SPDX-License-Identifier: MIT
/*
 * The NT model's user memory: how the I/O manager and the driver reach a
 * caller's addresses, with the faults Windows catches under __try given as
 * the statuses it would return.
 *
 * - A probe (ProbeForRead / ProbeForWrite, and the range check of
 *   MmProbeAndLockPages) refuses for a user-mode requestor any range that
 *   wraps, ends above MmUserProbeAddress, or covers the model's kernel
 *   memory (ntm_kernel_memory): STATUS_ACCESS_VIOLATION. A kernel-mode
 *   requestor is not probed, so a driver that passes KernelMode for a user's
 *   request reads kernel memory for it: the tests see those bytes come back.
 * - A copy faults on the first 64 KiB, on NTM_INVALID_BASE and the 64 KiB
 *   after it (ntmodel.h), and on pages the host has not mapped readable
 *   (MmProbeAndLockPages touches each page: the model reads one byte of each
 *   through process_vm_readv, which reports EFAULT instead of a signal).
 *
 * spotless_user_read / _write stand in for the driver's own user_memory.c
 * (clang, __try), with the same probe-then-copy order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "model_internal.h"
#include "user_memory.h"

/* MmUserProbeAddress on x64 Windows: the first address a probe refuses. */
#define NTM_USER_PROBE_ADDRESS	((ULONG_PTR)0x7FFFFFFF0000ull)
#define PAGE			4096u

static unsigned char kernel_memory[PAGE] __attribute__((aligned(PAGE)));

void *ntm_kernel_memory(size_t *len)
{
	static const char secret[] = "kernel memory: never in a user's answer";
	size_t i;

	for (i = 0; i < sizeof(kernel_memory); i++)
		kernel_memory[i] = (unsigned char)secret[i % (sizeof(secret) - 1)];
	*len = sizeof(kernel_memory);
	return kernel_memory;
}

NTSTATUS ntm_user_probe(const void *p, size_t len)
{
	ULONG_PTR start = (ULONG_PTR)p, end = start + len;
	ULONG_PTR k = (ULONG_PTR)kernel_memory;

	if (!len)
		return STATUS_SUCCESS;
	if (end < start || end > NTM_USER_PROBE_ADDRESS)
		return STATUS_ACCESS_VIOLATION;
	if (start < k + sizeof(kernel_memory) && end > k)
		return STATUS_ACCESS_VIOLATION;
	return STATUS_SUCCESS;
}

static int touches_invalid(const void *p, size_t len)
{
	ULONG_PTR start = (ULONG_PTR)p, end = start + len;

	if (end < start)
		return 1;
	if (start < 0x10000)
		return 1;
	return start < NTM_INVALID_BASE + 0x10000 && end > NTM_INVALID_BASE;
}

int ntm_user_pages_readable(const void *p, size_t len)
{
	enum { BATCH = 512 };
	struct iovec local[BATCH], remote[BATCH];
	unsigned char sink[BATCH];
	ULONG_PTR page = (ULONG_PTR)p & ~(ULONG_PTR)(PAGE - 1), end = (ULONG_PTR)p + len;
	unsigned int n, i;

	if (!len)
		return 1;
	if (touches_invalid(p, len))
		return 0;
	while (page < end) {
		for (n = 0; n < BATCH && page < end; n++, page += PAGE) {
			local[n].iov_base = &sink[n];
			local[n].iov_len = 1;
			remote[n].iov_base = (void *)(page < (ULONG_PTR)p ? (ULONG_PTR)p : page);
			remote[n].iov_len = 1;
		}
		if (process_vm_readv(getpid(), local, n, remote, n, 0) != (ssize_t)n)
			return 0;
		for (i = 0; i < n; i++)
			(void)sink[i];
	}
	return 1;
}

/* The driver's copy (user_memory.c's copy_probed): probe, then copy. */
static NTSTATUS copy_probed(void *dst, const void *src, size_t len, KPROCESSOR_MODE requestor,
			    const void *user)
{
	if (!len)
		return STATUS_SUCCESS;
	if (requestor != KernelMode && ntm_user_probe(user, len))
		return STATUS_ACCESS_VIOLATION;
	if (touches_invalid(user, len))
		return STATUS_ACCESS_VIOLATION;
	memcpy(dst, src, len);
	return STATUS_SUCCESS;
}

NTSTATUS spotless_user_read(void *dst, const void *src, size_t len,
			    KPROCESSOR_MODE requestor)
{
	return copy_probed(dst, src, len, requestor, src);
}

NTSTATUS spotless_user_write(void *dst, const void *src, size_t len,
			     KPROCESSOR_MODE requestor)
{
	return copy_probed(dst, src, len, requestor, dst);
}
