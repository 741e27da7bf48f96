// SPDX-License-Identifier: MIT
/*
 * libspotless on Windows, device management: the driver as a kernel
 * service of the Service Control Manager (the spotless_driver_* calls of
 * spotless.h), and what the system says about driver signatures.
 */
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include "spotless.h"
#include "os_windows.h"

/* How long start and stop wait for the service to settle. */
#define SERVICE_WAIT_MS		15000
#define SERVICE_POLL_MS		50

/* What NtQuerySystemInformation says about code integrity (documented in
 * the WDK's ntddk.h; mingw-w64 lacks these names). */
#define SYSTEM_CODE_INTEGRITY_INFORMATION	103
#define CODEINTEGRITY_OPTION_ENABLED		0x01
#define CODEINTEGRITY_OPTION_TESTSIGN		0x02

struct code_integrity_info {
	ULONG length;
	ULONG options;
};

typedef LONG (WINAPI *query_system_information_fn)(ULONG, void *, ULONG, ULONG *);

static spotless_err open_service(DWORD access, SC_HANDLE *scm, SC_HANDLE *service)
{
	DWORD err;

	*service = NULL;
	*scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
	if (!*scm)
		return (spotless_err)GetLastError();
	*service = OpenServiceA(*scm, SPOTLESS_SERVICE_NAME, access);
	if (!*service) {
		err = GetLastError();
		CloseServiceHandle(*scm);
		*scm = NULL;
		return (spotless_err)err;
	}
	return 0;
}

static void close_service(SC_HANDLE scm, SC_HANDLE service)
{
	if (service)
		CloseServiceHandle(service);
	if (scm)
		CloseServiceHandle(scm);
}

/* Poll until the service leaves the pending state it is in. */
static spotless_err wait_for_state(SC_HANDLE service, DWORD wanted)
{
	SERVICE_STATUS st;
	DWORD waited = 0;

	for (;;) {
		if (!QueryServiceStatus(service, &st))
			return (spotless_err)GetLastError();
		if (st.dwCurrentState == wanted)
			return 0;
		if (st.dwCurrentState != SERVICE_START_PENDING &&
		    st.dwCurrentState != SERVICE_STOP_PENDING)
			return st.dwWin32ExitCode ? (spotless_err)st.dwWin32ExitCode
						  : ERROR_SERVICE_REQUEST_TIMEOUT;
		if (waited >= SERVICE_WAIT_MS)
			return ERROR_SERVICE_REQUEST_TIMEOUT;
		Sleep(SERVICE_POLL_MS);
		waited += SERVICE_POLL_MS;
	}
}

spotless_err spotless_driver_install(const char *path)
{
	char full[MAX_PATH];
	SC_HANDLE scm, service;
	DWORD attrs, n;
	spotless_err err = 0;

	if (!path || !*path)
		return ERROR_INVALID_PARAMETER;
	n = GetFullPathNameA(path, sizeof(full), full, NULL);
	if (!n || n >= sizeof(full))
		return n ? ERROR_FILENAME_EXCED_RANGE : (spotless_err)GetLastError();
	attrs = GetFileAttributesA(full);
	if (attrs == INVALID_FILE_ATTRIBUTES)
		return (spotless_err)GetLastError();
	if (attrs & FILE_ATTRIBUTE_DIRECTORY)
		return ERROR_BAD_EXE_FORMAT;

	scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE);
	if (!scm)
		return (spotless_err)GetLastError();
	service = CreateServiceA(scm, SPOTLESS_SERVICE_NAME, SPOTLESS_SERVICE_NAME,
				 SERVICE_QUERY_STATUS, SERVICE_KERNEL_DRIVER,
				 SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
				 full, NULL, NULL, NULL, NULL, NULL);
	if (!service)
		err = (spotless_err)GetLastError();
	close_service(scm, service);
	return err;
}

spotless_err spotless_driver_start(void)
{
	SC_HANDLE scm, service;
	spotless_err err;

	err = open_service(SERVICE_START | SERVICE_QUERY_STATUS, &scm, &service);
	if (err)
		return err;
	if (!StartServiceA(service, 0, NULL))
		err = (spotless_err)GetLastError();
	else
		err = wait_for_state(service, SERVICE_RUNNING);
	close_service(scm, service);
	return err;
}

/*
 * Windows runs a legacy driver's unload only once no file object of its
 * device is left ("Unload Routine Environment"): a stop asked for while
 * handles are open stays pending, new opens fail, and pending requests are
 * not cancelled. Rather than ask for a stop that will not come, the stop
 * looks first: ERROR_DEVICE_IN_USE when handles other than its own look are
 * open. (Wine unloads at once, open handles or not.)
 */
static spotless_err device_in_use(void)
{
	struct spotless_handle *dev;
	struct spotless_stats st = { 0 };
	spotless_err err;

	if (spotless_open(&dev))
		return 0;	/* not running, or not ours to open: the SCM answers */
	err = spotless_get_stats(dev, &st);
	spotless_close(dev);
	return !err && st.open_handles > 1 ? ERROR_DEVICE_IN_USE : 0;
}

spotless_err spotless_driver_stop(void)
{
	SC_HANDLE scm, service;
	SERVICE_STATUS st;
	spotless_err err;

	err = device_in_use();
	if (err)
		return err;
	err = open_service(SERVICE_STOP | SERVICE_QUERY_STATUS, &scm, &service);
	if (err)
		return err;
	if (!ControlService(service, SERVICE_CONTROL_STOP, &st))
		err = (spotless_err)GetLastError();
	else
		err = wait_for_state(service, SERVICE_STOPPED);
	close_service(scm, service);
	return err;
}

spotless_err spotless_driver_remove(void)
{
	SC_HANDLE scm, service;
	SERVICE_STATUS st;
	spotless_err err;

	err = open_service(DELETE | SERVICE_QUERY_STATUS, &scm, &service);
	if (err)
		return err;
	/* Deleting a running driver only marks it; ask for a stop first. */
	if (!QueryServiceStatus(service, &st))
		err = (spotless_err)GetLastError();
	else if (st.dwCurrentState != SERVICE_STOPPED)
		err = ERROR_SERVICE_ALREADY_RUNNING;
	else if (!DeleteService(service))
		err = (spotless_err)GetLastError();
	close_service(scm, service);
	return err;
}

spotless_err spotless_driver_query(struct spotless_driver_status *status)
{
	/* Room for the configuration and the strings it points into. */
	DWORD_PTR storage[8192 / sizeof(DWORD_PTR)];
	QUERY_SERVICE_CONFIGA *config = (QUERY_SERVICE_CONFIGA *)storage;
	SC_HANDLE scm, service;
	SERVICE_STATUS st;
	DWORD needed;
	spotless_err err;

	if (!status)
		return ERROR_INVALID_PARAMETER;
	memset(status, 0, sizeof(*status));
	status->open_handles = -1;
	err = open_service(SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, &scm, &service);
	if (err == ERROR_SERVICE_DOES_NOT_EXIST) {
		status->state = SPOTLESS_DRIVER_NOT_INSTALLED;
		return 0;
	}
	if (err)
		return err;
	if (!QueryServiceStatus(service, &st)) {
		err = (spotless_err)GetLastError();
		goto out;
	}
	switch (st.dwCurrentState) {
	case SERVICE_RUNNING:
		status->state = SPOTLESS_DRIVER_RUNNING;
		break;
	case SERVICE_START_PENDING:
		status->state = SPOTLESS_DRIVER_STARTING;
		break;
	case SERVICE_STOP_PENDING:
		status->state = SPOTLESS_DRIVER_STOPPING;
		break;
	default:
		status->state = SPOTLESS_DRIVER_STOPPED;
		break;
	}
	if (QueryServiceConfigA(service, config, sizeof(storage), &needed) &&
	    config->lpBinaryPathName)
		snprintf(status->image_path, sizeof(status->image_path), "%s",
			 config->lpBinaryPathName);
out:
	close_service(scm, service);
	return err;
}

int spotless_driver_signing_warning(char *text, size_t size)
{
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");
	query_system_information_fn query;
	struct code_integrity_info info = { sizeof(info), 0 };

	if (!text || !size)
		return 0;
	if (!ntdll)
		return 0;
	/* Wine loads any driver, signed or not: nothing to warn about. */
	if (GetProcAddress(ntdll, "wine_get_version"))
		return 0;
	query = (query_system_information_fn)(void *)GetProcAddress(ntdll,
						"NtQuerySystemInformation");
	if (!query || query(SYSTEM_CODE_INTEGRITY_INFORMATION, &info,
			    sizeof(info), NULL) != 0)
		return 0;
	if (!(info.options & CODEINTEGRITY_OPTION_ENABLED) ||
	    (info.options & CODEINTEGRITY_OPTION_TESTSIGN))
		return 0;
	snprintf(text, size,
		 "test signing is off: Windows refuses a driver signed with a test "
		 "certificate (error 577). From an elevated prompt run "
		 "'bcdedit /set testsigning on', reboot, and import the certificate "
		 "(docs/windows.md).");
	return 1;
}
