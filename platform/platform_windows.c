// SPDX-License-Identifier: MIT
/* The userland programs' OS helpers on Windows: QueryPerformanceCounter,
 * Sleep, CreateThread.
 */
#include <windows.h>

#include "platform.h"

uint64_t platform_now_ns(void)
{
	static LARGE_INTEGER freq;
	LARGE_INTEGER now;

	if (!freq.QuadPart)
		QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&now);
	/* Split so that the product does not overflow. */
	return (uint64_t)(now.QuadPart / freq.QuadPart) * 1000000000u +
	       (uint64_t)(now.QuadPart % freq.QuadPart) * 1000000000u /
	       (uint64_t)freq.QuadPart;
}

void platform_sleep_ms(unsigned int ms)
{
	Sleep(ms);
}

struct start {
	void (*fn)(void *, int);
	void *arg;
	int index;
};

static DWORD WINAPI thread_main(void *p)
{
	struct start *s = p;

	s->fn(s->arg, s->index);
	return 0;
}

int platform_run_threads(int n, void (*fn)(void *arg, int index), void *arg)
{
	HANDLE threads[PLATFORM_MAX_THREADS] = { 0 };
	struct start starts[PLATFORM_MAX_THREADS];
	int i, started = 0, rc = 0;

	if (n < 1 || n > PLATFORM_MAX_THREADS)
		return -1;
	for (i = 0; i < n; i++) {
		starts[i] = (struct start){ fn, arg, i };
		threads[i] = CreateThread(NULL, 0, thread_main, &starts[i], 0, NULL);
		if (!threads[i]) {
			rc = -1;
			break;
		}
		started++;
	}
	if (started)
		WaitForMultipleObjects((DWORD)started, threads, TRUE, INFINITE);
	for (i = 0; i < started; i++)
		CloseHandle(threads[i]);
	return rc;
}
