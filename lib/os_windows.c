// SPDX-License-Identifier: MIT
/*
 * libspotless backend for Windows: DeviceIoControl on the device's symbolic
 * link, and the Service Control Manager for the driver's lifetime.
 *
 * The handle is opened for overlapped I/O, so that an event wait can stay
 * pending in the driver while the caller does something else, and be
 * cancelled. Every other call waits for its request to complete (control()).
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
				  OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
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

/*
 * One request, waited for: an overlapped handle needs an OVERLAPPED with its
 * own event on every call. Each thread keeps one event for this and reuses
 * it (closed by the system when the process ends).
 */
static __thread HANDLE thread_io_event;

static BOOL control(struct spotless_device *device, DWORD code,
		    const void *in, DWORD in_len, void *out, DWORD out_len,
		    DWORD *bytes)
{
	OVERLAPPED ov = { 0 };

	*bytes = 0;
	if (!thread_io_event) {
		thread_io_event = CreateEventW(NULL, TRUE, FALSE, NULL);
		if (!thread_io_event)
			return FALSE;
	}
	ov.hEvent = thread_io_event;
	if (DeviceIoControl(device->handle, code, (void *)in, in_len, out, out_len,
			    bytes, &ov))
		return TRUE;
	if (GetLastError() != ERROR_IO_PENDING)
		return FALSE;
	return GetOverlappedResult(device->handle, &ov, bytes, TRUE);
}

/* A request with caller-sized buffers: 0 and *returned, or the error. */
static spotless_err sized_request(struct spotless_device *device, DWORD code,
				  const void *in, size_t in_len,
				  void *out, size_t out_len, size_t *returned)
{
	DWORD bytes = 0;

	*returned = 0;
	if (!device || in_len > MAXDWORD || out_len > MAXDWORD)
		return ERROR_INVALID_PARAMETER;
	if (!control(device, code, in, (DWORD)in_len, out, (DWORD)out_len, &bytes))
		return (spotless_err)GetLastError();
	*returned = bytes;
	return 0;
}

spotless_err spotless_message_raw(struct spotless_device *device,
				  const void *in, size_t in_len,
				  void *out, size_t out_len, size_t *returned)
{
	return sized_request(device, IOCTL_SPOTLESS, in, in_len, out, out_len, returned);
}

/* A command with no input whose answer is one structure of known size. */
static spotless_err query(struct spotless_device *device, DWORD code,
			  void *out, DWORD size)
{
	DWORD bytes = 0;

	if (!device)
		return ERROR_INVALID_PARAMETER;
	if (!control(device, code, NULL, 0, out, size, &bytes))
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
		if (!control(device, echo_codes[method], &trailer, sizeof(trailer),
			     (void *)data, (DWORD)len, &bytes))
			return (spotless_err)GetLastError();
		*crc32c = trailer.crc32c;
		return 0;
	}

	if (!control(device, echo_codes[method], data, (DWORD)len, out,
		     (DWORD)out_len, &bytes))
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
	return sized_request(device, IOCTL_SPOTLESS_BATCH, in, in_len, out, out_len,
			     written);
}

spotless_err spotless_post(struct spotless_device *device, const void *message,
			   size_t len)
{
	DWORD bytes;

	if (!device || len > MAXDWORD)
		return ERROR_INVALID_PARAMETER;
	if (!control(device, IOCTL_SPOTLESS_POST, message, (DWORD)len, NULL, 0, &bytes))
		return (spotless_err)GetLastError();
	return 0;
}

/* A WAIT_EVENT request left pending in the driver, on overlapped I/O. */
struct spotless_event_wait {
	struct spotless_device *device;
	OVERLAPPED ov;			/* ov.hEvent is set when it completes */
	struct spotless_event event;	/* where the driver writes the record */
	int over;			/* completed, and result says how */
	spotless_err result;
};

/* The request completed: how, and whether it carried a whole record. */
static void wait_over(struct spotless_event_wait *wait, BOOL ok, DWORD bytes)
{
	wait->over = 1;
	if (ok)
		wait->result = bytes == sizeof(wait->event) ? 0 : ERROR_INVALID_DATA;
	else if (GetLastError() == ERROR_OPERATION_ABORTED)
		wait->result = SPOTLESS_E_CANCELLED;
	else
		wait->result = (spotless_err)GetLastError();
}

/* Send the WAIT_EVENT; it completes at once when a record is queued. */
static spotless_err wait_begin(struct spotless_event_wait *w)
{
	HANDLE done = w->ov.hEvent;
	DWORD bytes = 0;

	memset(&w->ov, 0, sizeof(w->ov));
	w->ov.hEvent = done;
	w->over = 0;
	ResetEvent(done);
	if (DeviceIoControl(w->device->handle, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0,
			    &w->event, sizeof(w->event), &bytes, &w->ov))
		wait_over(w, TRUE, bytes);
	else if (GetLastError() != ERROR_IO_PENDING)
		return (spotless_err)GetLastError();
	return 0;
}

spotless_err spotless_event_wait_start(struct spotless_device *device,
				       struct spotless_event_wait **wait)
{
	struct spotless_event_wait *w;
	spotless_err err;

	*wait = NULL;
	if (!device)
		return ERROR_INVALID_PARAMETER;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ERROR_NOT_ENOUGH_MEMORY;
	w->device = device;
	w->ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!w->ov.hEvent) {
		err = (spotless_err)GetLastError();
		free(w);
		return err;
	}
	err = wait_begin(w);
	if (err) {
		CloseHandle(w->ov.hEvent);
		free(w);
		return err;
	}
	*wait = w;
	return 0;
}

spotless_err spotless_event_wait_again(struct spotless_event_wait *wait)
{
	if (!wait || !wait->over)
		return ERROR_INVALID_PARAMETER;
	return wait_begin(wait);
}

spotless_err spotless_event_wait_finish(struct spotless_event_wait *wait,
					int timeout_ms, struct spotless_event *event)
{
	DWORD bytes = 0;
	BOOL ok;

	if (!wait)
		return ERROR_INVALID_PARAMETER;
	if (!wait->over) {
		if (WaitForSingleObject(wait->ov.hEvent, timeout_ms < 0 ? INFINITE :
					(DWORD)timeout_ms) == WAIT_TIMEOUT)
			return SPOTLESS_E_TIMEOUT;
		ok = GetOverlappedResult(wait->device->handle, &wait->ov, &bytes, TRUE);
		wait_over(wait, ok, bytes);
	}
	if (!wait->result)
		*event = wait->event;
	return wait->result;
}

spotless_err spotless_event_wait_cancel(struct spotless_event_wait *wait)
{
	if (!wait)
		return ERROR_INVALID_PARAMETER;
	/* Already completed: nothing to cancel, and finish has the answer. */
	if (!CancelIoEx(wait->device->handle, &wait->ov) &&
	    GetLastError() != ERROR_NOT_FOUND)
		return (spotless_err)GetLastError();
	return 0;
}

void spotless_event_wait_free(struct spotless_event_wait *wait)
{
	DWORD bytes;

	if (!wait)
		return;
	/* The driver may still write into it: cancel, and wait for the end. */
	if (!wait->over) {
		CancelIoEx(wait->device->handle, &wait->ov);
		GetOverlappedResult(wait->device->handle, &wait->ov, &bytes, TRUE);
	}
	CloseHandle(wait->ov.hEvent);
	free(wait);
}

spotless_err spotless_wait_event(struct spotless_device *device, int timeout_ms,
				 struct spotless_event *event)
{
	struct spotless_event_wait *wait;
	spotless_err err = spotless_event_wait_start(device, &wait);

	if (err)
		return err;
	err = spotless_event_wait_finish(wait, timeout_ms, event);
	if (err == SPOTLESS_E_TIMEOUT) {
		/* A record that came as the time ran out completes it anyway. */
		spotless_event_wait_cancel(wait);
		err = spotless_event_wait_finish(wait, -1, event);
		if (err == SPOTLESS_E_CANCELLED)
			err = SPOTLESS_E_TIMEOUT;
	}
	spotless_event_wait_free(wait);
	return err;
}

spotless_err spotless_refused_request(struct spotless_device *device)
{
	DWORD bytes = 0;

	if (!device)
		return ERROR_INVALID_PARAMETER;
	if (control(device, SPOTLESS_NEW_CODE(0xFFFu, SPOTLESS_METHOD_BUFFERED,
					      SPOTLESS_FILE_ANY_ACCESS),
		    NULL, 0, NULL, 0, &bytes))
		return ERROR_INVALID_DATA;	/* it must not succeed */
	return GetLastError() == ERROR_INVALID_FUNCTION ? 0 : (spotless_err)GetLastError();
}

void spotless_strerror(spotless_err err, char *text, size_t size)
{
	DWORD n;

	if (!size)
		return;
	if (spotless_own_error_text(err, "Windows", "driver", text, size))
		return;
	if (err == ERROR_DEVICE_IN_USE) {
		snprintf(text, size, "the driver's device is in use: Windows unloads the "
			 "driver only when every handle to it is closed");
		return;
	}
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
	case ERROR_DEVICE_IN_USE:
		return SPOTLESS_ERROR_IN_USE;
	case ERROR_BAD_EXE_FORMAT:
		return SPOTLESS_ERROR_BAD_IMAGE;
	case ERROR_INVALID_IMAGE_HASH:
		return SPOTLESS_ERROR_SIGNATURE;
	case SPOTLESS_E_NOT_SUPPORTED:
		return SPOTLESS_ERROR_NOT_SUPPORTED;
	case SPOTLESS_E_NOT_LOADED:
		return SPOTLESS_ERROR_NOT_INSTALLED;
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
	struct spotless_device *dev;
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
