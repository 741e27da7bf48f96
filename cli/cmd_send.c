// SPDX-License-Identifier: MIT
/*
 * spotless send MESSAGE: the tutorial's exchange, with the tutorial's output.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run_send(int argc, char **argv)
{
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_handle *dev;
	uint32_t code = spotless_message_code();
	size_t reply_len = 0;
	size_t len;
	spotless_err err;

	if (argc != 2)
		return cli_usage_error(&cmd_send, argc < 2 ? "MESSAGE is missing"
							   : "give one MESSAGE (quote it)");
	len = strlen(argv[1]);
	if (len > SPOTLESS_MESSAGE_MAX_LEN) {
		char problem[96];

		snprintf(problem, sizeof(problem),
			 "MESSAGE is %zu bytes; at most %u fit", len,
			 SPOTLESS_MESSAGE_MAX_LEN);
		return cli_usage_error(&cmd_send, problem);
	}

	dev = cli_open_device();
	if (!dev)
		return EXIT_FAILED;

	printf("> Issuing IOCTL_SPOTLESS %#x\n", (unsigned int)code);
	err = spotless_send_message(dev, argv[1], reply, &reply_len);
	spotless_close(dev);
	if (err) {
		cli_report(err, "IOCTL_SPOTLESS failed");
		return EXIT_FAILED;
	}
	printf("> IOCTL_SPOTLESS %#x issued\n", (unsigned int)code);
	printf("> Received from the kernel land: %s. Received buffer size: %zu\n",
	       reply, reply_len);
	return EXIT_OK;
}

const struct cli_command cmd_send = {
	.name = "send",
	.args = "MESSAGE",
	.summary = "send MESSAGE (at most 127 bytes) and print the driver's reply",
	.run = run_send,
	.operands_only = 1,
};
