// SPDX-License-Identifier: MIT
/*
 * The portable part of libspotless: what is the same on every OS.
 */
#include <stdio.h>
#include <string.h>

#include "os.h"

spotless_err spotless_send_message(struct spotless_device *device,
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

	*reply_len = 0;
	reply[0] = '\0';
	if (!message)
		return spotless_os_invalid_argument();
	len = strnlen(message, SPOTLESS_CLIENT_BUFFER_SIZE);
	if (len > SPOTLESS_MESSAGE_MAX_LEN)
		return spotless_os_invalid_argument();
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

int spotless_own_error_text(spotless_err err, const char *os, const char *driver,
			    char *text, size_t size)
{
	switch (err) {
	case SPOTLESS_E_NOT_LOADED:
		snprintf(text, size, "the spotless %s is not loaded", driver);
		return 1;
	case SPOTLESS_E_NOT_SUPPORTED:
		snprintf(text, size, "not supported on %s", os);
		return 1;
	case SPOTLESS_E_TIMEOUT:
		snprintf(text, size, "timed out");
		return 1;
	case SPOTLESS_E_CANCELLED:
		snprintf(text, size, "cancelled");
		return 1;
	}
	return 0;
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
