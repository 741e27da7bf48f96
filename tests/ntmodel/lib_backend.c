// SPDX-License-Identifier: MIT
/*
 * libspotless over the NT model: the calls of lib/os_windows.c, made on the
 * model's handles instead of Win32's, with the same Win32 error numbers, so
 * that tests/e2e/protocol_cases.h and event_cases.h run unchanged against
 * the driver's sources under the model's rules.
 *
 * NTSTATUS becomes a Win32 error as RtlNtStatusToDosError maps the statuses
 * the driver uses (the pairs the Windows end-to-end tests already assert);
 * STATUS_NO_SUCH_DEVICE's pair is the model's guess, marked below.
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib_backend.h"
#include "ntmodel.h"
#include "os.h"

static enum ntm_token backend_token = NTM_TOKEN_ADMIN;

void ntm_backend_token(enum ntm_token token)
{
	backend_token = token;
}

spotless_err ntm_win32_error(NTSTATUS status)
{
	switch (status) {
	case STATUS_SUCCESS:
		return 0;
	case STATUS_INVALID_DEVICE_REQUEST:
		return NTM_ERROR_INVALID_FUNCTION;
	case STATUS_OBJECT_NAME_NOT_FOUND:
		return NTM_ERROR_FILE_NOT_FOUND;
	case STATUS_NO_SUCH_DEVICE:
		return NTM_ERROR_FILE_NOT_FOUND;	/* not verified on Windows */
	case STATUS_ACCESS_DENIED:
		return NTM_ERROR_ACCESS_DENIED;
	case STATUS_INVALID_HANDLE:
		return NTM_ERROR_INVALID_HANDLE;
	case STATUS_INVALID_PARAMETER:
		return NTM_ERROR_INVALID_PARAMETER;
	case STATUS_BUFFER_TOO_SMALL:
		return NTM_ERROR_INSUFFICIENT_BUFFER;
	case STATUS_INVALID_BUFFER_SIZE:
		return NTM_ERROR_INVALID_USER_BUFFER;
	case STATUS_CRC_ERROR:
		return NTM_ERROR_CRC;
	case STATUS_CANCELLED:
		return NTM_ERROR_OPERATION_ABORTED;
	case STATUS_INSUFFICIENT_RESOURCES:
		return NTM_ERROR_NO_SYSTEM_RESOURCES;
	case STATUS_INVALID_DEVICE_STATE:
		return NTM_ERROR_BAD_COMMAND;
	}
	return NTM_ERROR_GEN_FAILURE;
}

static spotless_err model_open(const char *path, struct spotless_handle **device)
{
	struct spotless_handle *dev;
	NTSTATUS status;

	/* The model has one device: another name is one nobody created. */
	if (path)
		return NTM_ERROR_FILE_NOT_FOUND;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return NTM_ERROR_NOT_ENOUGH_MEMORY;
	status = ntm_create_file(NTM_DEVICE_PATH, GENERIC_READ | GENERIC_WRITE,
				 backend_token, &dev->handle);
	if (!NT_SUCCESS(status)) {
		free(dev);
		return ntm_win32_error(status);
	}
	*device = dev;
	return 0;
}

static void model_close(struct spotless_handle *device)
{
	ntm_close_handle(device->handle);
	free(device);
}

/* One request, waited for; *bytes is what the driver reported. */
static spotless_err control(struct spotless_handle *device, ULONG code, const void *in,
			    size_t in_len, void *out, size_t out_len, size_t *bytes)
{
	struct ntm_io io;

	*bytes = 0;
	if (ntm_device_io_control(device->handle, code, in, (ULONG)in_len, out,
				  (ULONG)out_len, &io) == STATUS_PENDING)
		ntm_io_wait(&io, -1);
	if (!NT_SUCCESS(io.status))
		return ntm_win32_error(io.status);
	*bytes = io.information;
	return 0;
}

static intptr_t model_native_handle(struct spotless_handle *device)
{
	return (intptr_t)device->handle;
}

static spotless_err model_command(struct spotless_handle *device, uint32_t code,
				  const void *in, size_t in_len, void *out, size_t out_len,
				  size_t *written)
{
	return control(device, code, in, in_len, out, out_len, written);
}

static spotless_err model_message(struct spotless_handle *device, const void *in,
				  size_t in_len, void *out, size_t out_len, size_t *returned)
{
	return control(device, IOCTL_SPOTLESS, in, in_len, out, out_len, returned);
}

static spotless_err model_query(struct spotless_handle *device, uint32_t code, void *out,
				size_t size)
{
	size_t bytes;
	spotless_err err = control(device, code, NULL, 0, out, size, &bytes);

	if (err)
		return err;
	return bytes == size ? 0 : NTM_ERROR_INVALID_DATA;
}

static const ULONG echo_codes[] = {
	[SPOTLESS_ECHO_BUFFERED] = IOCTL_SPOTLESS_ECHO_BUFFERED,
	[SPOTLESS_ECHO_IN_DIRECT] = IOCTL_SPOTLESS_ECHO_IN_DIRECT,
	[SPOTLESS_ECHO_OUT_DIRECT] = IOCTL_SPOTLESS_ECHO_OUT_DIRECT,
	[SPOTLESS_ECHO_NEITHER] = IOCTL_SPOTLESS_ECHO_NEITHER,
};

static spotless_err model_echo(struct spotless_handle *device,
			      enum spotless_echo_method method,
			      const void *data, size_t len, void *out, size_t out_len,
			      uint32_t *crc32c)
{
	struct spotless_echo_trailer trailer;
	size_t bytes;
	spotless_err err;

	if (method == SPOTLESS_ECHO_IN_DIRECT) {
		trailer.crc32c = spotless_crc32c(data, len);
		trailer.length = (uint32_t)len;
		err = control(device, echo_codes[method], &trailer, sizeof(trailer),
			      (void *)data, len, &bytes);
		if (!err)
			*crc32c = trailer.crc32c;
		return err;
	}
	err = control(device, echo_codes[method], data, len, out, out_len, &bytes);
	if (err)
		return err;
	if (bytes != len + sizeof(trailer))
		return NTM_ERROR_INVALID_DATA;
	memcpy(&trailer, (unsigned char *)out + len, sizeof(trailer));
	if (trailer.length != len)
		return NTM_ERROR_INVALID_DATA;
	*crc32c = trailer.crc32c;
	return 0;
}

static spotless_err model_batch(struct spotless_handle *device, const void *in,
			       size_t in_len, void *out, size_t out_len, size_t *written)
{
	return control(device, IOCTL_SPOTLESS_BATCH, in, in_len, out, out_len, written);
}

static spotless_err model_post(struct spotless_handle *device, const void *payload,
			      size_t len)
{
	size_t bytes;

	return control(device, IOCTL_SPOTLESS_POST, payload, len, NULL, 0, &bytes);
}

struct spotless_event_wait {
	struct spotless_handle *device;
	struct ntm_io io;
	struct spotless_event event;
	int over;
	spotless_err result;
};

static void wait_over(struct spotless_event_wait *w)
{
	w->over = 1;
	if (NT_SUCCESS(w->io.status))
		w->result = w->io.information == sizeof(w->event) ? 0 : NTM_ERROR_INVALID_DATA;
	else if (w->io.status == STATUS_CANCELLED)
		w->result = SPOTLESS_E_CANCELLED;
	else
		w->result = ntm_win32_error(w->io.status);
}

static spotless_err wait_begin(struct spotless_event_wait *w)
{
	NTSTATUS status;

	w->over = 0;
	status = ntm_device_io_control(w->device->handle, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0,
				       &w->event, sizeof(w->event), &w->io);
	if (status == STATUS_PENDING)
		return 0;
	if (!NT_SUCCESS(status))
		return ntm_win32_error(status);
	wait_over(w);
	return 0;
}

static spotless_err model_wait_start(struct spotless_handle *device,
				     struct spotless_event_wait **wait)
{
	struct spotless_event_wait *w;
	spotless_err err;

	w = calloc(1, sizeof(*w));
	if (!w)
		return NTM_ERROR_NOT_ENOUGH_MEMORY;
	w->device = device;
	err = wait_begin(w);
	if (err) {
		free(w);
		return err;
	}
	*wait = w;
	return 0;
}

static spotless_err model_wait_again(struct spotless_event_wait *wait)
{
	if (!wait->over)
		return NTM_ERROR_INVALID_PARAMETER;
	return wait_begin(wait);
}

static spotless_err model_wait_finish(struct spotless_event_wait *wait, int timeout_ms,
				      struct spotless_event *event)
{
	if (!wait->over) {
		if (!ntm_io_wait(&wait->io, timeout_ms))
			return SPOTLESS_E_TIMEOUT;
		wait_over(wait);
	}
	if (!wait->result)
		*event = wait->event;
	return wait->result;
}

static spotless_err model_wait_cancel(struct spotless_event_wait *wait)
{
	ntm_cancel_io(wait->device->handle, &wait->io);
	return 0;
}

static void model_wait_free(struct spotless_event_wait *wait)
{
	if (!wait->over) {
		ntm_cancel_io(wait->device->handle, &wait->io);
		ntm_io_wait(&wait->io, -1);
	}
	free(wait);
}

static spotless_err model_refused_request(struct spotless_handle *device)
{
	size_t bytes;
	spotless_err err = control(device, SPOTLESS_NEW_CODE(0xFFFu, SPOTLESS_METHOD_BUFFERED,
							     SPOTLESS_FILE_ANY_ACCESS),
				   NULL, 0, NULL, 0, &bytes);

	if (!err)
		return NTM_ERROR_INVALID_DATA;
	return err == NTM_ERROR_INVALID_FUNCTION ? 0 : err;
}

static void model_error_text(spotless_err err, char *text, size_t size)
{
	snprintf(text, size, "Windows error %d", err);
}

/* The status table's Win32 column (spotless/commands.h) in the model's
 * names, as os_windows.c reads it with <windows.h>'s. */
#define ERROR_INVALID_FUNCTION		NTM_ERROR_INVALID_FUNCTION
#define ERROR_INVALID_PARAMETER		NTM_ERROR_INVALID_PARAMETER
#define ERROR_INVALID_USER_BUFFER	NTM_ERROR_INVALID_USER_BUFFER
#define ERROR_INSUFFICIENT_BUFFER	NTM_ERROR_INSUFFICIENT_BUFFER
#define ERROR_CRC			NTM_ERROR_CRC
#define ERROR_ACCESS_DENIED		NTM_ERROR_ACCESS_DENIED
#define WIN32_KIND_(name, value, text, err, nt, win32, kind) { win32, SPOTLESS_ERROR_##kind },
static const struct {
	spotless_err err;
	enum spotless_error_kind kind;
} status_errors[] = { SPOTLESS_STATUSES(WIN32_KIND_) };

static enum spotless_error_kind model_error_kind(spotless_err err)
{
	size_t i;

	switch (err) {
	case NTM_ERROR_FILE_NOT_FOUND:
		return SPOTLESS_ERROR_NOT_FOUND;
	case NTM_ERROR_NOT_ENOUGH_MEMORY:
	case NTM_ERROR_NO_SYSTEM_RESOURCES:
		return SPOTLESS_ERROR_NO_MEMORY;
	case NTM_ERROR_OPERATION_ABORTED:
		return SPOTLESS_ERROR_CANCELLED;
	}
	for (i = 0; i < sizeof(status_errors) / sizeof(status_errors[0]); i++)
		if (status_errors[i].err && status_errors[i].err == err)
			return status_errors[i].kind;
	return SPOTLESS_ERROR_OTHER;
}

const struct spotless_os_backend spotless_os = {
	.os_name = "the NT model",
	.driver_word = "driver",
	.invalid_argument = NTM_ERROR_INVALID_PARAMETER,
	.bad_answer = NTM_ERROR_INVALID_DATA,
	.no_memory = NTM_ERROR_NOT_ENOUGH_MEMORY,
	.message_code = IOCTL_SPOTLESS,
	.open = model_open,
	.close = model_close,
	.native_handle = model_native_handle,
	.command = model_command,
	.message = model_message,
	.query = model_query,
	.echo = model_echo,
	.batch = model_batch,
	.post = model_post,
	.wait_start = model_wait_start,
	.wait_again = model_wait_again,
	.wait_finish = model_wait_finish,
	.wait_cancel = model_wait_cancel,
	.wait_free = model_wait_free,
	.wait_event = NULL,	/* composed from the steps, as on Windows */
	.refused_request = model_refused_request,
	.error_text = model_error_text,
	.error_kind = model_error_kind,
};
