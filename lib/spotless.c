// SPDX-License-Identifier: MIT
/*
 * The portable part of libspotless: every I/O call of spotless.h, its
 * arguments checked here once, then handed to this build's backend
 * (spotless_os, see os.h).
 */
#include <stdio.h>
#include <string.h>

#include "os.h"

/* A length the protocol can carry: every length field is 32 bits. */
static int fits(size_t len)
{
	return len <= UINT32_MAX;
}

/* A buffer is a pointer, or no pointer and no length. */
static int buffer_ok(const void *p, size_t len)
{
	return p || !len;
}

const char *spotless_version(void)
{
	return SPOTLESS_VERSION_STRING;
}

uint32_t spotless_message_code(void)
{
	return spotless_os.message_code;
}

spotless_err spotless_open(struct spotless_handle **handle)
{
	return spotless_open_path(NULL, handle);
}

spotless_err spotless_open_path(const char *path, struct spotless_handle **handle)
{
	if (!handle)
		return spotless_os.invalid_argument;
	*handle = NULL;
	if (path && !*path)
		return spotless_os.invalid_argument;
	return spotless_os.open(path, handle);
}

intptr_t spotless_native_handle(struct spotless_handle *handle)
{
	return handle ? spotless_os.native_handle(handle) : -1;
}

spotless_err spotless_command(struct spotless_handle *handle, uint32_t code,
			      const void *in, size_t in_len, void *out, size_t out_len,
			      size_t *written)
{
	size_t ignored;

	if (!written)
		written = &ignored;
	*written = 0;
	if (!handle || !fits(in_len) || !fits(out_len) || !buffer_ok(in, in_len) ||
	    !buffer_ok(out, out_len))
		return spotless_os.invalid_argument;
	return spotless_os.command(handle, code, in, in_len, out, out_len, written);
}

void spotless_close(struct spotless_handle *handle)
{
	if (handle)
		spotless_os.close(handle);
}

spotless_err spotless_message_raw(struct spotless_handle *handle,
				  const void *in, size_t in_len,
				  void *out, size_t out_len, size_t *returned)
{
	if (!returned)
		return spotless_os.invalid_argument;
	*returned = 0;
	if (!handle || !fits(in_len) || !fits(out_len) || !buffer_ok(in, in_len) ||
	    !buffer_ok(out, out_len))
		return spotless_os.invalid_argument;
	return spotless_os.message(handle, in, in_len, out, out_len, returned);
}

spotless_err spotless_send_message(struct spotless_handle *device,
				   const char *message,
				   char reply[SPOTLESS_CLIENT_BUFFER_SIZE],
				   size_t *reply_len)
{
	/* Zeroed buffers of the tutorial's size, so its driver-side
	 * expectations hold too. */
	unsigned char in[SPOTLESS_CLIENT_BUFFER_SIZE] = { 0 };
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE] = { 0 };
	size_t len;
	size_t returned = 0;
	spotless_err err;

	if (!reply || !reply_len)
		return spotless_os.invalid_argument;
	*reply_len = 0;
	reply[0] = '\0';
	if (!message)
		return spotless_os.invalid_argument;
	len = strnlen(message, SPOTLESS_CLIENT_BUFFER_SIZE);
	if (len > SPOTLESS_MESSAGE_MAX_LEN)
		return spotless_os.invalid_argument;
	memcpy(in, message, len);

	err = spotless_message_raw(device, in, sizeof(in), out, sizeof(out),
				   &returned);
	if (err)
		return err;

	/* Terminate the reply ourselves rather than trust the driver to. */
	*reply_len = returned;
	if (returned > SPOTLESS_CLIENT_BUFFER_SIZE - 1)
		returned = SPOTLESS_CLIENT_BUFFER_SIZE - 1;
	memcpy(reply, out, returned);
	reply[returned] = '\0';
	return 0;
}

spotless_err spotless_get_info(struct spotless_handle *handle,
			       struct spotless_info *info)
{
	if (!handle || !info)
		return spotless_os.invalid_argument;
	return spotless_os.query(handle, IOCTL_SPOTLESS_INFO, info, sizeof(*info));
}

spotless_err spotless_get_stats(struct spotless_handle *handle,
				struct spotless_stats *stats)
{
	if (!handle || !stats)
		return spotless_os.invalid_argument;
	return spotless_os.query(handle, IOCTL_SPOTLESS_STATS, stats, sizeof(*stats));
}

spotless_err spotless_echo(struct spotless_handle *handle,
			   enum spotless_echo_method method,
			   const void *data, size_t len, void *out, size_t out_len,
			   uint32_t *crc32c)
{
	if (!crc32c)
		return spotless_os.invalid_argument;
	*crc32c = 0;
	if (!handle || (unsigned int)method > SPOTLESS_ECHO_NEITHER ||
	    !fits(len) || !fits(out_len) || !buffer_ok(data, len) || !buffer_ok(out, out_len))
		return spotless_os.invalid_argument;
	return spotless_os.echo(handle, method, data, len, out, out_len, crc32c);
}

spotless_err spotless_batch(struct spotless_handle *handle,
			    const void *in, size_t in_len,
			    void *out, size_t out_len, size_t *written)
{
	if (!written)
		return spotless_os.invalid_argument;
	*written = 0;
	if (!handle || !fits(in_len) || !fits(out_len) || !buffer_ok(in, in_len) ||
	    !buffer_ok(out, out_len))
		return spotless_os.invalid_argument;
	return spotless_os.batch(handle, in, in_len, out, out_len, written);
}

spotless_err spotless_post(struct spotless_handle *handle, const void *payload,
			   size_t len)
{
	if (!handle || !fits(len) || !buffer_ok(payload, len))
		return spotless_os.invalid_argument;
	return spotless_os.post(handle, payload, len);
}

spotless_err spotless_event_wait_start(struct spotless_handle *handle,
				       struct spotless_event_wait **wait)
{
	if (!wait)
		return spotless_os.invalid_argument;
	*wait = NULL;
	if (!handle)
		return spotless_os.invalid_argument;
	return spotless_os.wait_start(handle, wait);
}

spotless_err spotless_event_wait_again(struct spotless_event_wait *wait)
{
	if (!wait)
		return spotless_os.invalid_argument;
	return spotless_os.wait_again(wait);
}

spotless_err spotless_event_wait_finish(struct spotless_event_wait *wait,
					int timeout_ms, struct spotless_event *event)
{
	if (!wait || !event)
		return spotless_os.invalid_argument;
	return spotless_os.wait_finish(wait, timeout_ms, event);
}

spotless_err spotless_event_wait_cancel(struct spotless_event_wait *wait)
{
	if (!wait)
		return spotless_os.invalid_argument;
	return spotless_os.wait_cancel(wait);
}

void spotless_event_wait_free(struct spotless_event_wait *wait)
{
	if (wait)
		spotless_os.wait_free(wait);
}

spotless_err spotless_wait_event(struct spotless_handle *handle, int timeout_ms,
				 struct spotless_event *event)
{
	struct spotless_event_wait *wait;
	spotless_err err;

	if (!handle || !event)
		return spotless_os.invalid_argument;
	if (spotless_os.wait_event)
		return spotless_os.wait_event(handle, timeout_ms, event);
	err = spotless_os.wait_start(handle, &wait);
	if (err)
		return err;
	err = spotless_os.wait_finish(wait, timeout_ms, event);
	if (err == SPOTLESS_E_TIMEOUT) {
		/* A record that came as the time ran out completes it anyway. */
		spotless_os.wait_cancel(wait);
		err = spotless_os.wait_finish(wait, -1, event);
		if (err == SPOTLESS_E_CANCELLED)
			err = SPOTLESS_E_TIMEOUT;
	}
	spotless_os.wait_free(wait);
	return err;
}

spotless_err spotless_refused_request(struct spotless_handle *handle)
{
	if (!handle)
		return spotless_os.invalid_argument;
	return spotless_os.refused_request(handle);
}

/* The text of the library's own errors: 1, or 0 for an OS error number. */
static int own_error_text(spotless_err err, char *text, size_t size)
{
	switch (err) {
	case SPOTLESS_E_NOT_LOADED:
		snprintf(text, size, "the spotless %s is not loaded",
			 spotless_os.driver_word);
		return 1;
	case SPOTLESS_E_NOT_SUPPORTED:
		snprintf(text, size, "not supported on %s", spotless_os.os_name);
		return 1;
	case SPOTLESS_E_TIMEOUT:
		snprintf(text, size, "timed out");
		return 1;
	case SPOTLESS_E_CANCELLED:
		snprintf(text, size, "cancelled");
		return 1;
	case SPOTLESS_E_QUEUE_FULL:
		snprintf(text, size, "the queue is full: reap its completions first");
		return 1;
	}
	return 0;
}

void spotless_error_text(spotless_err err, char *text, size_t size)
{
	if (!text || !size)
		return;
	if (!own_error_text(err, text, size))
		spotless_os.error_text(err, text, size);
}

enum spotless_error_kind spotless_error_kind(spotless_err err)
{
	switch (err) {
	case 0:
		return SPOTLESS_ERROR_NONE;
	case SPOTLESS_E_NOT_LOADED:
		return SPOTLESS_ERROR_NOT_INSTALLED;
	case SPOTLESS_E_NOT_SUPPORTED:
		return SPOTLESS_ERROR_NOT_SUPPORTED;
	case SPOTLESS_E_TIMEOUT:
		return SPOTLESS_ERROR_TIMEOUT;
	case SPOTLESS_E_CANCELLED:
		return SPOTLESS_ERROR_CANCELLED;
	case SPOTLESS_E_QUEUE_FULL:
		return SPOTLESS_ERROR_BUSY;
	}
	if (err == spotless_os.bad_answer)
		return SPOTLESS_ERROR_BAD_ANSWER;
	return spotless_os.error_kind(err);
}

/* Each status's kind: the table's (spotless/commands.h). */
#define STATUS_KIND_(name, value, text, err, nt, win32, kind) [value] = SPOTLESS_ERROR_##kind,
static const enum spotless_error_kind status_kinds[SPOTLESS_STATUS_COUNT] = {
	SPOTLESS_STATUSES(STATUS_KIND_)
};

enum spotless_error_kind spotless_status_error_kind(uint32_t status)
{
	return status < SPOTLESS_STATUS_COUNT ? status_kinds[status] : SPOTLESS_ERROR_OTHER;
}

const char *spotless_error_kind_name(enum spotless_error_kind kind)
{
	static const char *const names[] = {
		[SPOTLESS_ERROR_OTHER] = "other",
		[SPOTLESS_ERROR_NOT_FOUND] = "not_found",
		[SPOTLESS_ERROR_ACCESS_DENIED] = "access_denied",
		[SPOTLESS_ERROR_INVALID_ARGUMENT] = "invalid_argument",
		[SPOTLESS_ERROR_ALREADY_INSTALLED] = "already_installed",
		[SPOTLESS_ERROR_NOT_INSTALLED] = "not_installed",
		[SPOTLESS_ERROR_ALREADY_RUNNING] = "already_running",
		[SPOTLESS_ERROR_NOT_RUNNING] = "not_running",
		[SPOTLESS_ERROR_IN_USE] = "in_use",
		[SPOTLESS_ERROR_BAD_IMAGE] = "bad_image",
		[SPOTLESS_ERROR_NOT_SUPPORTED] = "not_supported",
		[SPOTLESS_ERROR_SIGNATURE] = "signature",
		[SPOTLESS_ERROR_NONE] = "none",
		[SPOTLESS_ERROR_TIMEOUT] = "timeout",
		[SPOTLESS_ERROR_INTERRUPTED] = "interrupted",
		[SPOTLESS_ERROR_NO_MEMORY] = "no_memory",
		[SPOTLESS_ERROR_CANCELLED] = "cancelled",
		[SPOTLESS_ERROR_UNKNOWN_COMMAND] = "unknown_command",
		[SPOTLESS_ERROR_INPUT_TOO_LARGE] = "input_too_large",
		[SPOTLESS_ERROR_OUTPUT_TOO_SMALL] = "output_too_small",
		[SPOTLESS_ERROR_CHECKSUM_MISMATCH] = "checksum_mismatch",
		[SPOTLESS_ERROR_UNKNOWN_FIELDS] = "unknown_fields",
		[SPOTLESS_ERROR_BAD_ANSWER] = "bad_answer",
	};

	if ((unsigned int)kind < sizeof(names) / sizeof(names[0]) && names[kind])
		return names[kind];
	return "unknown";
}

const char *spotless_driver_state_name(enum spotless_driver_state state)
{
	switch (state) {
	case SPOTLESS_DRIVER_NOT_INSTALLED:
		return "not installed";
	case SPOTLESS_DRIVER_STOPPED:
		return "stopped";
	case SPOTLESS_DRIVER_STARTING:
		return "starting";
	case SPOTLESS_DRIVER_RUNNING:
		return "running";
	case SPOTLESS_DRIVER_STOPPING:
		return "stopping";
	}
	return "unknown";
}
