/* SPDX-License-Identifier: MIT */
/*
 * What spotless's userland programs need from the OS beyond libspotless: a
 * monotonic clock, a pause, and a few threads run at once. One file per OS
 * (platform_linux.c, platform_windows.c); the CLI (bench) and the IOCTL
 * storm use it.
 */
#ifndef SPOTLESS_PLATFORM_H
#define SPOTLESS_PLATFORM_H

#include <stdint.h>

/* Nanoseconds on a monotonic clock. */
uint64_t platform_now_ns(void);

/* Sleep for ms milliseconds. */
void platform_sleep_ms(unsigned int ms);

#define PLATFORM_MAX_THREADS	16

/* Run fn(arg, i) for i in 0..n-1 on n threads at once and wait for all;
 * 0, or -1 when n is outside 1..PLATFORM_MAX_THREADS or a thread could not
 * start (the ones that started are waited for).
 */
int platform_run_threads(int n, void (*fn)(void *arg, int index), void *arg);

#endif /* SPOTLESS_PLATFORM_H */
