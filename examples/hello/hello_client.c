// SPDX-License-Identifier: MIT
/*
 * hello_client NAME: greets NAME through the hello driver, by libspotless's
 * general call: the same program on Linux (/dev/hello) and Windows
 * (\\.\HelloDeviceLink).
 */
#include <stdio.h>
#include <string.h>

/* The driver's configuration first: its rows join the table. */
#include "hello_config.h"
#include "spotless.h"

int main(int argc, char **argv)
{
	struct spotless_handle *dev;
	struct spotless_info info;
	char answer[128];
	size_t written = 0;
	spotless_err err;

	if (argc != 2 || !strcmp(argv[1], "--help")) {
		fprintf(argc == 2 ? stdout : stderr, "usage: hello_client NAME\n"
			"Greets NAME through the hello driver (GREET, code 0x%08x).\n",
			(unsigned int)IOCTL_HELLO_GREET);
		return argc == 2 ? 0 : 2;
	}
	if (strlen(argv[1]) > HELLO_NAME_MAX) {
		fprintf(stderr, "hello_client: a name is at most %u bytes\n", HELLO_NAME_MAX);
		return 2;
	}
	/* The name the driver's configuration gives its device. */
	err = spotless_open_path(HELLO_DEVICE_NAME, &dev);
	if (!err)
		err = spotless_get_info(dev, &info);
	if (!err && !(info.capabilities & HELLO_CAP_GREET))
		err = SPOTLESS_E_NOT_SUPPORTED;
	if (!err)
		err = spotless_command(dev, IOCTL_HELLO_GREET, argv[1], strlen(argv[1]),
				       answer, sizeof(answer) - 1, &written);
	if (err) {
		char text[256];

		spotless_error_text(err, text, sizeof(text));
		fprintf(stderr, "hello_client: %s (%s)\n", text,
			spotless_error_kind_name(spotless_error_kind(err)));
		spotless_close(dev);
		return 1;
	}
	answer[written] = '\0';
	printf("%s\n", answer);
	spotless_close(dev);
	return 0;
}
