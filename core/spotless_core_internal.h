/* SPDX-License-Identifier: MIT */
/*
 * What the core's files share among themselves; not for the kernel glue.
 */
#ifndef SPOTLESS_CORE_INTERNAL_H
#define SPOTLESS_CORE_INTERNAL_H

#include "spotless_core.h"

/*
 * memcpy, memmove and memset: the kernel's own in a module, ntoskrnl's in
 * the Windows driver (exported by it, listed in mingw-w64's import
 * library), the C library's on the host.
 */
#if defined(__linux__) && defined(__KERNEL__)
#include <linux/string.h>
#else
#include <string.h>
#endif

/* Whether [a, a + a_len) and [b, b + b_len) share a byte. */
static inline int spotless_overlap(const void *a, size_t a_len,
				   const void *b, size_t b_len)
{
	uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b;

	return a_len && b_len && pa < pb + b_len && pb < pa + a_len;
}

/*
 * Run one record of a batch as the command its code names: counted as a
 * request of that command (and as an error when it fails), but its bytes are
 * the batch's. res is filled as by spotless_core_handle().
 */
void spotless_core_run_record(struct spotless_device_state *dev,
			      struct spotless_handle_state *handle,
			      const struct spotless_request *req,
			      struct spotless_result *res);

/* The protocol's handlers, named in its rows (commands.h). BATCH's is in
 * spotless_batch.c; the others in spotless_core.c.
 */
spotless_cmd_handler spotless_cmd_message;
spotless_cmd_handler spotless_cmd_info;
spotless_cmd_handler spotless_cmd_stats;
spotless_cmd_handler spotless_cmd_echo;
spotless_cmd_handler spotless_cmd_echo_in_direct;
spotless_cmd_handler spotless_cmd_batch;

#endif /* SPOTLESS_CORE_INTERNAL_H */
