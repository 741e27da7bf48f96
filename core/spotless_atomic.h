/* SPDX-License-Identifier: MIT */
/*
 * What several threads share without a lock: counters (relaxed adds, each
 * exact; a set of them read one by one is not a snapshot taken at one
 * instant) and single 64-bit values and pointers read without the glue's
 * lock (relaxed loads and stores).
 *
 * In the Linux kernel these are the kernel's own (atomic64_t, READ_ONCE,
 * WRITE_ONCE): inside its memory model, seen by KCSAN, and on every
 * architecture, 32-bit ones included. Elsewhere (the Windows driver,
 * userland) the compiler's __atomic builtins, which GCC and clang turn into
 * one locked instruction on x86 with no library call.
 */
#ifndef SPOTLESS_ATOMIC_H
#define SPOTLESS_ATOMIC_H

#include "spotless/wire_types.h"

#if defined(__linux__) && defined(__KERNEL__)
#include <linux/atomic.h>
#include <linux/compiler.h>

/* The wire's counters are plain u64 fields; atomic64_t is one s64. */
#define SPOTLESS_AS_ATOMIC64(p)	((atomic64_t *)(p))

static inline void spotless_count(uint64_t *counter, uint64_t n)
{
#ifdef SPOTLESS_PLANTED_RACE
	*counter += n;		/* the calibration build's data race (Kbuild) */
#else
	atomic64_add((s64)n, SPOTLESS_AS_ATOMIC64(counter));
#endif
}

static inline void spotless_uncount(uint64_t *counter, uint64_t n)
{
	atomic64_sub((s64)n, SPOTLESS_AS_ATOMIC64(counter));
}

static inline uint64_t spotless_count_next(uint64_t *counter)
{
	return (uint64_t)atomic64_inc_return(SPOTLESS_AS_ATOMIC64(counter));
}

static inline uint64_t spotless_counter_read(const uint64_t *counter)
{
	return (uint64_t)atomic64_read(SPOTLESS_AS_ATOMIC64((uint64_t *)counter));
}

static inline void spotless_store_u64(uint64_t *p, uint64_t v)
{
	atomic64_set(SPOTLESS_AS_ATOMIC64(p), (s64)v);
}

#define spotless_load_ptr(p)		READ_ONCE(*(p))
#define spotless_store_ptr(p, v)	WRITE_ONCE(*(p), (v))

#else

static inline void spotless_count(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static inline void spotless_uncount(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_sub(counter, n, __ATOMIC_RELAXED);
}

/* Add one and return the new value: numbers handed out once each. */
static inline uint64_t spotless_count_next(uint64_t *counter)
{
	return __atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

static inline uint64_t spotless_counter_read(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

static inline void spotless_store_u64(uint64_t *p, uint64_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

#define spotless_load_ptr(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define spotless_store_ptr(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)

#endif

/*
 * The processor the caller runs on, to pick its set of device counters. A
 * hint only: the thread may move at once, and the counters' adds stay
 * atomic, so a stale number costs a shared cache line, never a count. The
 * Windows driver (built freestanding) has its glue's (windows/driver/main.c:
 * KeGetCurrentProcessorNumberEx); userland users of the core, the NT model
 * among them, run on set 0.
 */
#if defined(__linux__) && defined(__KERNEL__)
#include <linux/smp.h>
static inline unsigned int spotless_this_cpu(void)
{
	return raw_smp_processor_id();
}
#elif defined(_WIN32) && !__STDC_HOSTED__
unsigned int spotless_this_cpu(void);
#else
static inline unsigned int spotless_this_cpu(void)
{
	return 0;
}
#endif

#endif /* SPOTLESS_ATOMIC_H */
