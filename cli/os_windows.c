// SPDX-License-Identifier: MIT
/* The CLI's OS helpers on Windows: QueryPerformanceCounter, CreateThread. */
#include <windows.h>

#include <stdio.h>

#include "os.h"
#include "spotless/wire.h"

uint64_t os_now_ns(void)
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

int os_run_threads(int n, void (*fn)(void *arg, int index), void *arg)
{
	HANDLE threads[16] = { 0 };
	struct start starts[16];
	int i, started = 0, rc = 0;

	if (n < 1 || n > 16)
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

int os_null_syscall(void)
{
	return -1;
}

void os_describe(char *text, unsigned int size)
{
	SYSTEM_INFO si;
	OSVERSIONINFOA v = { .dwOSVersionInfoSize = sizeof(v) };
	/* Wine says so through ntdll; a real Windows has no such export. */
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");
	const char *(CDECL *wine_version)(void) = NULL;

	GetSystemInfo(&si);
	if (ntdll)
		wine_version = (const char *(CDECL *)(void))(void *)
			GetProcAddress(ntdll, "wine_get_version");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	GetVersionExA(&v);
#pragma GCC diagnostic pop
	snprintf(text, size, "Windows %lu.%lu.%lu%s%s, %lu CPU(s)", v.dwMajorVersion,
		 v.dwMinorVersion, v.dwBuildNumber, wine_version ? " under Wine " : "",
		 wine_version ? wine_version() : "", si.dwNumberOfProcessors);
}

const char *os_access_hint(void)
{
	return "this needs an elevated prompt (Administrator)";
}

/* Windows: nothing to add to the error's own words. */
const char *os_install_not_found_hint(const char *path)
{
	(void)path;
	return NULL;
}

/* No peer device on Windows: under Wine the peer is the tutorial's driver. */
int os_null_device_open(const char *path)
{
	(void)path;
	return -1;
}

int os_null_ioctl(int fd)
{
	(void)fd;
	return -1;
}

void os_null_device_close(int fd)
{
	(void)fd;
}

const char *os_default_device(void)
{
	return SPOTLESS_WIN32_PATH;
}
