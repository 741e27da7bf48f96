// SPDX-License-Identifier: MIT
/*
 * libspotless's Windows backend (os.h): DeviceIoControl on the device's
 * symbolic link. The Service Control Manager side is os_windows_driver.c.
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
#include "os_windows.h"

struct spotless_handle {
	HANDLE handle;
};

static spotless_err win_open(const char *path, struct spotless_handle **out)
{
	struct spotless_handle *h;
	char name[256];

	if (!path) {
		path = SPOTLESS_WIN32_PATH;
	} else if (!strchr(path, '\\')) {
		/* A bare name is a symbolic link's in \\.\ (the DOS devices). */
		if (snprintf(name, sizeof(name), "\\\\.\\%s", path) >= (int)sizeof(name))
			return ERROR_FILENAME_EXCED_RANGE;
		path = name;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return ERROR_NOT_ENOUGH_MEMORY;
	/* IOCTL_SPOTLESS carries FILE_WRITE_ACCESS: the handle needs write. */
	h->handle = CreateFileA(path, GENERIC_READ | GENERIC_WRITE,
				0, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
	if (h->handle == INVALID_HANDLE_VALUE) {
		DWORD err = GetLastError();

		free(h);
		return (spotless_err)err;
	}
	*out = h;
	return 0;
}

static void win_close(struct spotless_handle *h)
{
	CloseHandle(h->handle);
	free(h);
}

/*
 * An OVERLAPPED's event with its low bit set: the request's completion
 * signals the event and posts no packet to an I/O completion port bound to
 * the handle (a queue's, queue_windows.c). Windows documents this for
 * GetQueuedCompletionStatus; a handle's two low bits are not part of it.
 */
static HANDLE off_port(HANDLE event)
{
	return (HANDLE)((uintptr_t)event | 1);
}

/*
 * One request, waited for: an overlapped handle needs an OVERLAPPED with its
 * own event on every call. Each thread keeps one event for this and reuses
 * it (closed by the system when the process ends). 0, or the error.
 */
static __thread HANDLE thread_io_event;

static spotless_err control(struct spotless_handle *h, DWORD code,
			    const void *in, size_t in_len, void *out, size_t out_len,
			    size_t *returned)
{
	OVERLAPPED ov = { 0 };
	DWORD bytes = 0;

	*returned = 0;
	if (!thread_io_event) {
		thread_io_event = CreateEventW(NULL, TRUE, FALSE, NULL);
		if (!thread_io_event)
			return (spotless_err)GetLastError();
	}
	ov.hEvent = off_port(thread_io_event);
	if (!DeviceIoControl(h->handle, code, (void *)in, (DWORD)in_len, out,
			     (DWORD)out_len, &bytes, &ov)) {
		if (GetLastError() != ERROR_IO_PENDING ||
		    !GetOverlappedResult(h->handle, &ov, &bytes, TRUE))
			return (spotless_err)GetLastError();
	}
	*returned = bytes;
	return 0;
}

static intptr_t win_native_handle(struct spotless_handle *h)
{
	return (intptr_t)h->handle;
}

static spotless_err win_command(struct spotless_handle *h, uint32_t code,
				const void *in, size_t in_len, void *out, size_t out_len,
				size_t *written)
{
	return control(h, code, in, in_len, out, out_len, written);
}

static spotless_err win_message(struct spotless_handle *h,
				const void *in, size_t in_len,
				void *out, size_t out_len, size_t *returned)
{
	return control(h, IOCTL_SPOTLESS, in, in_len, out, out_len, returned);
}

static spotless_err win_query(struct spotless_handle *h, uint32_t code,
			      void *out, size_t size)
{
	size_t bytes;
	spotless_err err = control(h, code, NULL, 0, out, size, &bytes);

	if (err)
		return err;
	return bytes == size ? 0 : ERROR_INVALID_DATA;
}

static spotless_err win_echo(struct spotless_handle *h,
			     enum spotless_echo_method method,
			     const void *data, size_t len, void *out, size_t out_len,
			     uint32_t *crc32c)
{
	static const DWORD codes[] = {
		[SPOTLESS_ECHO_BUFFERED] = IOCTL_SPOTLESS_ECHO_BUFFERED,
		[SPOTLESS_ECHO_IN_DIRECT] = IOCTL_SPOTLESS_ECHO_IN_DIRECT,
		[SPOTLESS_ECHO_OUT_DIRECT] = IOCTL_SPOTLESS_ECHO_OUT_DIRECT,
		[SPOTLESS_ECHO_NEITHER] = IOCTL_SPOTLESS_ECHO_NEITHER,
	};
	struct spotless_echo_trailer trailer;
	size_t bytes = 0;
	spotless_err err;

	if (method == SPOTLESS_ECHO_IN_DIRECT) {
		/* The data is the direct buffer; our checksum rides in front. */
		trailer.crc32c = spotless_crc32c(data, len);
		trailer.length = (uint32_t)len;
		err = control(h, codes[method], &trailer, sizeof(trailer),
			      (void *)data, len, &bytes);
		if (!err)
			*crc32c = trailer.crc32c;
		return err;
	}
	err = control(h, codes[method], data, len, out, out_len, &bytes);
	if (err)
		return err;
	if (bytes != len + sizeof(trailer))
		return ERROR_INVALID_DATA;
	memcpy(&trailer, (unsigned char *)out + len, sizeof(trailer));
	if (trailer.length != len)
		return ERROR_INVALID_DATA;
	*crc32c = trailer.crc32c;
	return 0;
}

static spotless_err win_batch(struct spotless_handle *h,
			      const void *in, size_t in_len,
			      void *out, size_t out_len, size_t *written)
{
	return control(h, IOCTL_SPOTLESS_BATCH, in, in_len, out, out_len, written);
}

static spotless_err win_post(struct spotless_handle *h, const void *payload, size_t len)
{
	size_t bytes;

	return control(h, IOCTL_SPOTLESS_POST, payload, len, NULL, 0, &bytes);
}

/* A WAIT_EVENT request left pending in the driver, on overlapped I/O. */
struct spotless_event_wait {
	struct spotless_handle *handle;
	OVERLAPPED ov;			/* its hEvent is off_port(done) */
	HANDLE done;			/* set when the request completes */
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
	DWORD bytes = 0;

	memset(&w->ov, 0, sizeof(w->ov));
	w->ov.hEvent = off_port(w->done);
	w->over = 0;
	ResetEvent(w->done);
	if (DeviceIoControl(w->handle->handle, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0,
			    &w->event, sizeof(w->event), &bytes, &w->ov))
		wait_over(w, TRUE, bytes);
	else if (GetLastError() != ERROR_IO_PENDING)
		return (spotless_err)GetLastError();
	return 0;
}

static spotless_err win_wait_start(struct spotless_handle *h,
				   struct spotless_event_wait **wait)
{
	struct spotless_event_wait *w;
	spotless_err err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return ERROR_NOT_ENOUGH_MEMORY;
	w->handle = h;
	w->done = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!w->done) {
		err = (spotless_err)GetLastError();
		goto free_wait;
	}
	err = wait_begin(w);
	if (err)
		goto close_event;
	*wait = w;
	return 0;

close_event:
	CloseHandle(w->done);
free_wait:
	free(w);
	return err;
}

static spotless_err win_wait_again(struct spotless_event_wait *wait)
{
	if (!wait->over)
		return ERROR_INVALID_PARAMETER;
	return wait_begin(wait);
}

static spotless_err win_wait_finish(struct spotless_event_wait *wait,
				    int timeout_ms, struct spotless_event *event)
{
	DWORD bytes = 0;
	BOOL ok;

	if (!wait->over) {
		if (WaitForSingleObject(wait->done, timeout_ms < 0 ? INFINITE :
					(DWORD)timeout_ms) == WAIT_TIMEOUT)
			return SPOTLESS_E_TIMEOUT;
		ok = GetOverlappedResult(wait->handle->handle, &wait->ov, &bytes, TRUE);
		wait_over(wait, ok, bytes);
	}
	if (!wait->result)
		*event = wait->event;
	return wait->result;
}

static spotless_err win_wait_cancel(struct spotless_event_wait *wait)
{
	/* Already completed: nothing to cancel, and finish has the answer. */
	if (!CancelIoEx(wait->handle->handle, &wait->ov) &&
	    GetLastError() != ERROR_NOT_FOUND)
		return (spotless_err)GetLastError();
	return 0;
}

static void win_wait_free(struct spotless_event_wait *wait)
{
	DWORD bytes;

	/* The driver may still write into it: cancel, and wait for the end. */
	if (!wait->over) {
		CancelIoEx(wait->handle->handle, &wait->ov);
		GetOverlappedResult(wait->handle->handle, &wait->ov, &bytes, TRUE);
	}
	CloseHandle(wait->done);
	free(wait);
}

static spotless_err win_refused_request(struct spotless_handle *h)
{
	size_t bytes;
	spotless_err err = control(h, SPOTLESS_NEW_CODE(0xFFFu, SPOTLESS_METHOD_BUFFERED,
							SPOTLESS_FILE_ANY_ACCESS),
				   NULL, 0, NULL, 0, &bytes);

	if (!err)
		return ERROR_INVALID_DATA;	/* it must not succeed */
	return err == ERROR_INVALID_FUNCTION ? 0 : err;
}

static void win_error_text(spotless_err err, char *text, size_t size)
{
	DWORD n;

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

/* The driver's refusals: the status table's Win32 column (spotless/commands.h);
 * the first row with a number gives its kind. */
#define WIN32_KIND_(name, value, text, err, nt, win32, kind) { win32, SPOTLESS_ERROR_##kind },
static const struct {
	DWORD err;
	enum spotless_error_kind kind;
} status_errors[] = { SPOTLESS_STATUSES(WIN32_KIND_) };

static enum spotless_error_kind win_error_kind(spotless_err err)
{
	size_t i;

	switch (err) {
	case WAIT_TIMEOUT:
	case ERROR_TIMEOUT:
		return SPOTLESS_ERROR_TIMEOUT;
	case ERROR_OPERATION_ABORTED:
		return SPOTLESS_ERROR_CANCELLED;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
	case ERROR_NO_SYSTEM_RESOURCES:
		return SPOTLESS_ERROR_NO_MEMORY;
	case ERROR_BUSY:
		return SPOTLESS_ERROR_IN_USE;
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
	}
	for (i = 0; i < sizeof(status_errors) / sizeof(status_errors[0]); i++)
		if (status_errors[i].err && status_errors[i].err == (DWORD)err)
			return status_errors[i].kind;
	return SPOTLESS_ERROR_OTHER;
}

const struct spotless_os_backend spotless_os = {
	.os_name = "Windows",
	.driver_word = "driver",
	.invalid_argument = ERROR_INVALID_PARAMETER,
	.bad_answer = ERROR_INVALID_DATA,
	.no_memory = ERROR_NOT_ENOUGH_MEMORY,
	.message_code = IOCTL_SPOTLESS,
	.open = win_open,
	.close = win_close,
	.native_handle = win_native_handle,
	.command = win_command,
	.message = win_message,
	.query = win_query,
	.echo = win_echo,
	.batch = win_batch,
	.post = win_post,
	.wait_start = win_wait_start,
	.wait_again = win_wait_again,
	.wait_finish = win_wait_finish,
	.wait_cancel = win_wait_cancel,
	.wait_free = win_wait_free,
	.wait_event = NULL,	/* composed from the steps */
	.refused_request = win_refused_request,
	.error_text = win_error_text,
	.error_kind = win_error_kind,
};
