/* SPDX-License-Identifier: MIT */
/*
 * What the core's files share among themselves; not for the kernel glue.
 */
#ifndef SPOTLESS_CORE_INTERNAL_H
#define SPOTLESS_CORE_INTERNAL_H

#include "spotless_core.h"

/* Byte by byte: the core relies on no library routine. */
static inline void spotless_copy_bytes(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

static inline void spotless_zero_bytes(void *dst, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = 0;
}

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

/* spotless_batch.c: validate a BATCH and run its records. */
enum spotless_status spotless_batch_run(struct spotless_device_state *dev,
					struct spotless_handle_state *handle,
					const struct spotless_request *req,
					struct spotless_result *res);

#endif /* SPOTLESS_CORE_INTERNAL_H */
