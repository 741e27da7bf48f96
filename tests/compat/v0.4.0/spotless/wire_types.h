/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width integers and size_t for code shared by every side: the Linux
 * kernel has its own headers for them, everything else has the C library's.
 */
#ifndef SPOTLESS_WIRE_TYPES_H
#define SPOTLESS_WIRE_TYPES_H

#if defined(__linux__) && defined(__KERNEL__)
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#endif /* SPOTLESS_WIRE_TYPES_H */
