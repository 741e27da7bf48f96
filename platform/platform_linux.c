// SPDX-License-Identifier: MIT
/* The userland programs' OS helpers on Linux: clock_gettime, pthreads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

#include "platform.h"

uint64_t platform_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void platform_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

struct start {
	void (*fn)(void *, int);
	void *arg;
	int index;
};

static void *thread_main(void *p)
{
	struct start *s = p;

	s->fn(s->arg, s->index);
	return NULL;
}

int platform_run_threads(int n, void (*fn)(void *arg, int index), void *arg)
{
	pthread_t threads[PLATFORM_MAX_THREADS];
	struct start starts[PLATFORM_MAX_THREADS];
	int i, started = 0, rc = 0;

	if (n < 1 || n > PLATFORM_MAX_THREADS)
		return -1;
	for (i = 0; i < n; i++) {
		starts[i] = (struct start){ fn, arg, i };
		if (pthread_create(&threads[i], NULL, thread_main, &starts[i])) {
			rc = -1;
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	return rc;
}
