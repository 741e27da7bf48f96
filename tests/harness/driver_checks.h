/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the end-to-end tests of both drivers: guard bytes around
 * output buffers, and "does the driver still answer" through libspotless.
 */
#ifndef SPOTLESS_DRIVER_CHECKS_H
#define SPOTLESS_DRIVER_CHECKS_H

#include <string.h>

#include "spotless.h"

#define GUARD	0xA5	/* fills output buffers before a call */
#define SLACK	32	/* guard bytes after each output buffer */

static const char tutorial_message[] = "spotless saying ola from userland";

/* Whether p[from..to) still holds the guard byte. */
static int untouched(const unsigned char *p, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (p[i] != GUARD)
			return 0;
	return 1;
}

/* The tutorial exchange on a fresh handle: the driver still answers. */
static int exchange_ok(void)
{
	struct spotless_device *dev;
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
