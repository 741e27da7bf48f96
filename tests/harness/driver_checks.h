/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the end-to-end tests of both drivers: guard bytes around
 * output buffers, and "does the driver still answer" through libspotless.
 */
#ifndef SPOTLESS_DRIVER_CHECKS_H
#define SPOTLESS_DRIVER_CHECKS_H

#include <string.h>

#include "guard.h"
#include "spotless.h"

static const char tutorial_message[] = "spotless saying ola from userland";

/* The tutorial exchange on a fresh handle: the driver still answers. */
static int exchange_ok(void)
{
	struct spotless_handle *dev;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len = 0;
	int ok;

	if (spotless_open(&dev))
		return 0;
	ok = !spotless_send_message(dev, tutorial_message, reply, &len) &&
	     len == SPOTLESS_REPLY_LEN && !strcmp(reply, SPOTLESS_REPLY);
	spotless_close(dev);
	return ok;
}

#endif /* SPOTLESS_DRIVER_CHECKS_H */
