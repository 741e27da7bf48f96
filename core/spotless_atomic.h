/* SPDX-License-Identifier: MIT */
/*
 * Counters that several threads update at once: relaxed atomic adds, which
 * GCC and clang turn into one locked instruction on x86 with no library call,
 * in a Windows driver, a Linux module and userland alike. Each counter is
 * exact; a set of them read one by one is not a snapshot taken at one instant.
 */
#ifndef SPOTLESS_ATOMIC_H
#define SPOTLESS_ATOMIC_H

#include "spotless/wire_types.h"

static inline void spotless_count(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static inline void spotless_uncount(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_sub(counter, n, __ATOMIC_RELAXED);
}

static inline uint64_t spotless_counter_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

#endif /* SPOTLESS_ATOMIC_H */
