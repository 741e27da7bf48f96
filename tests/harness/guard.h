/* SPDX-License-Identifier: MIT */
/*
 * Guard bytes around output buffers: whatever a driver or the core must not
 * write stays at GUARD, and untouched() says whether it did.
 */
#ifndef SPOTLESS_GUARD_H
#define SPOTLESS_GUARD_H

#include <stddef.h>

#define GUARD	0xA5	/* fills output buffers before a call */
#define SLACK	32	/* guard bytes after each output buffer */

/* Whether p[from..to) still holds the guard byte. */
static int untouched(const unsigned char *p, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (p[i] != GUARD)
			return 0;
	return 1;
}

#endif /* SPOTLESS_GUARD_H */
