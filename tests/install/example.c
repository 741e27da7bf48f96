// SPDX-License-Identifier: MIT
/*
 * A program as a user of the installed library writes it, built with
 * pkg-config alone: cc example.c $(pkg-config --cflags --libs spotless).
 * It prints the library's version and CRC32C of "123456789" (no driver
 * needed), then the tutorial's exchange: the reply, or why there was none.
 * Exit status: 0 the driver answered, 1 it could not be reached.
 */
#include <stdio.h>

#include <spotless.h>

int main(void)
{
	struct spotless_handle *dev;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	char text[256];
	size_t len;
	spotless_err err;

	printf("library %s (built with %s)\n", spotless_version(), SPOTLESS_VERSION_STRING);
	printf("crc32c %08x\n", spotless_crc32c("123456789", 9));
	err = spotless_open(&dev);
	if (!err) {
		err = spotless_send_message(dev, "hello from example", reply, &len);
		spotless_close(dev);
	}
	if (err) {
		spotless_error_text(err, text, sizeof(text));
		printf("no exchange: %s\n", text);
		return 1;
	}
	printf("reply %.*s (%zu bytes)\n", (int)len, reply, len);
	return 0;
}
