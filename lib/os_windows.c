// SPDX-License-Identifier: MIT
/*
 * libspotless backend for Windows: DeviceIoControl on the device's symbolic
 * link, and the Service Control Manager for the driver's lifetime.
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"

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

/* Windows' answer to an unsigned or badly signed driver; mingw lacks it. */
#ifndef ERROR_INVALID_IMAGE_HASH
#define ERROR_INVALID_IMAGE_HASH 577L
#endif

struct spotless_device {
	HANDLE handle;
};

spotless_err spotless_os_invalid_argument(void)
{
	return ERROR_INVALID_PARAMETER;
}

uint32_t spotless_message_code(void)
{
	return IOCTL_SPOTLESS;
}

spotless_err spotless_open(struct spotless_device **device)
{
	struct spotless_device *dev;

	*device = NULL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return ERROR_NOT_ENOUGH_MEMORY;
	/* IOCTL_SPOTLESS carries FILE_WRITE_ACCESS: the handle needs write. */
	dev->handle = CreateFileW(SPOTLESS_WIN32_PATH_W,
				  GENERIC_READ | GENERIC_WRITE, 0, NULL,
				  OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	if (dev->handle == INVALID_HANDLE_VALUE) {
		DWORD err = GetLastError();

		free(dev);
		return (spotless_err)err;
	}
	*device = dev;
	return 0;
}

void spotless_close(struct spotless_device *device)
{
	if (!device)
		return;
	CloseHandle(device->handle);
	free(device);
}

spotless_err spotless_message_raw(struct spotless_device *device,
				  const void *in, size_t in_len,
				  void *out, size_t out_len, size_t *returned)
{
	DWORD bytes = 0;

	*returned = 0;
	if (!device || in_len > MAXDWORD || out_len > MAXDWORD)
		return ERROR_INVALID_PARAMETER;
	if (!DeviceIoControl(device->handle, IOCTL_SPOTLESS, (void *)in, (DWORD)in_len,
			     out, (DWORD)out_len, &bytes, NULL))
		return (spotless_err)GetLastError();
	*returned = bytes;
	return 0;
}

/* A command with no input whose answer is one structure of known size. */
static spotless_err query(struct spotless_device *device, DWORD code,
			  void *out, DWORD size)
{
	DWORD bytes = 0;

	if (!device)
		return ERROR_INVALID_PARAMETER;
	if (!DeviceIoControl(device->handle, code, NULL, 0, out, size, &bytes, NULL))
		return (spotless_err)GetLastError();
	return bytes == size ? 0 : ERROR_INVALID_DATA;
}

spotless_err spotless_get_info(struct spotless_device *device,
			       struct spotless_info *info)
{
	return query(device, IOCTL_SPOTLESS_INFO, info, sizeof(*info));
}

spotless_err spotless_get_stats(struct spotless_device *device,
				struct spotless_stats *stats)
{
	return query(device, IOCTL_SPOTLESS_STATS, stats, sizeof(*stats));
}

static const DWORD echo_codes[] = {
	[SPOTLESS_ECHO_BUFFERED] = IOCTL_SPOTLESS_ECHO_BUFFERED,
	[SPOTLESS_ECHO_IN_DIRECT] = IOCTL_SPOTLESS_ECHO_IN_DIRECT,
	[SPOTLESS_ECHO_OUT_DIRECT] = IOCTL_SPOTLESS_ECHO_OUT_DIRECT,
};

spotless_err spotless_echo(struct spotless_device *device,
			   enum spotless_echo_method method,
			   const void *data, size_t len, void *out, size_t out_len,
			   uint32_t *crc32c)
{
	struct spotless_echo_trailer trailer;
	DWORD bytes = 0;

	*crc32c = 0;
	if (!device || (unsigned int)method > SPOTLESS_ECHO_OUT_DIRECT ||
	    len > MAXDWORD || out_len > MAXDWORD)
		return ERROR_INVALID_PARAMETER;

	if (method == SPOTLESS_ECHO_IN_DIRECT) {
		/* The data is the direct buffer; our checksum rides in front. */
		trailer.crc32c = spotless_crc32c(data, len);
		trailer.length = (uint32_t)len;
		if (!DeviceIoControl(device->handle, echo_codes[method], &trailer,
				     sizeof(trailer), (void *)data, (DWORD)len,
				     &bytes, NULL))
			return (spotless_err)GetLastError();
		*crc32c = trailer.crc32c;
		return 0;
	}

	if (!DeviceIoControl(device->handle, echo_codes[method], (void *)data,
			     (DWORD)len, out, (DWORD)out_len, &bytes, NULL))
		return (spotless_err)GetLastError();
	if (bytes != len + sizeof(trailer))
		return ERROR_INVALID_DATA;
	memcpy(&trailer, (unsigned char *)out + len, sizeof(trailer));
	if (trailer.length != len)
		return ERROR_INVALID_DATA;
	*crc32c = trailer.crc32c;
	return 0;
}

spotless_err spotless_batch(struct spotless_device *device,
			    const void *in, size_t in_len,
			    void *out, size_t out_len, size_t *written)
{
	DWORD bytes = 0;

	*written = 0;
	if (!device || in_len > MAXDWORD || out_len > MAXDWORD)
		return ERROR_INVALID_PARAMETER;
	if (!DeviceIoControl(device->handle, IOCTL_SPOTLESS_BATCH, (void *)in,
			     (DWORD)in_len, out, (DWORD)out_len, &bytes, NULL))
		return (spotless_err)GetLastError();
	*written = bytes;
	return 0;
}

/* The Windows driver has no events yet (INFO does not announce them). */
spotless_err spotless_post(struct spotless_device *device, const void *message,
			   size_t len)
{
	(void)device;
	(void)message;
	(void)len;
	return SPOTLESS_E_NOT_SUPPORTED;
}

spotless_err spotless_wait_event(struct spotless_device *device, int timeout_ms,
				 struct spotless_event *event)
{
	(void)device;
	(void)timeout_ms;
	(void)event;
	return SPOTLESS_E_NOT_SUPPORTED;
}

spotless_err spotless_refused_request(struct spotless_device *device)
{
	DWORD bytes = 0;

	if (!device)
		return ERROR_INVALID_PARAMETER;
	if (DeviceIoControl(device->handle, SPOTLESS_NEW_CODE(0xFFFu, SPOTLESS_METHOD_BUFFERED,
							      SPOTLESS_FILE_ANY_ACCESS),
			    NULL, 0, NULL, 0, &bytes, NULL))
		return ERROR_INVALID_DATA;	/* it must not succeed */
	return GetLastError() == ERROR_INVALID_FUNCTION ? 0 : (spotless_err)GetLastError();
}

void spotless_strerror(spotless_err err, char *text, size_t size)
{
	DWORD n;

	if (!size)
		return;
	n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
			   FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)err,
			   0, text, (DWORD)size, NULL);
	if (!n) {
		snprintf(text, size, "Windows error %d", err);
		return;
	}
	/* FormatMessage ends its text with a line break; drop it. */
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' ||
			 text[n - 1] == ' '))
		text[--n] = '\0';
}

enum spotless_error_kind spotless_error_kind(spotless_err err)
{
	switch (err) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		return SPOTLESS_ERROR_NOT_FOUND;
	case ERROR_ACCESS_DENIED:
		return SPOTLESS_ERROR_ACCESS_DENIED;
	case ERROR_INVALID_PARAMETER:
		return SPOTLESS_ERROR_INVALID_ARGUMENT;
	case ERROR_SERVICE_EXISTS:
		return SPOTLESS_ERROR_ALREADY_INSTALLED;
	case ERROR_SERVICE_DOES_NOT_EXIST:
		return SPOTLESS_ERROR_NOT_INSTALLED;
	case ERROR_SERVICE_ALREADY_RUNNING:
		return SPOTLESS_ERROR_ALREADY_RUNNING;
	case ERROR_SERVICE_NOT_ACTIVE:
		return SPOTLESS_ERROR_NOT_RUNNING;
	case ERROR_BAD_EXE_FORMAT:
		return SPOTLESS_ERROR_BAD_IMAGE;
	case ERROR_INVALID_IMAGE_HASH:
		return SPOTLESS_ERROR_SIGNATURE;
	}
	return SPOTLESS_ERROR_OTHER;
}

/* ---- Service Control Manager ------------------------------------------ */

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

spotless_err spotless_driver_stop(void)
{
	SC_HANDLE scm, service;
	SERVICE_STATUS st;
	spotless_err err;

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
