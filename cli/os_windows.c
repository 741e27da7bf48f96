// SPDX-License-Identifier: MIT
/* The CLI's OS helpers on Windows (cli_os.h). */
#include <windows.h>

#include <stdio.h>

#include "cli_os.h"
#include "spotless/wire.h"

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
