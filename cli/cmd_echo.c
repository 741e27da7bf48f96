// SPDX-License-Identifier: MIT
/*
 * spotless echo: bytes through the driver and back, by each transfer method,
 * verified byte for byte and by the driver's checksum.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const method_names[] = {
	[SPOTLESS_ECHO_BUFFERED] = "buffered",
	[SPOTLESS_ECHO_IN_DIRECT] = "in_direct",
	[SPOTLESS_ECHO_OUT_DIRECT] = "out_direct",
	[SPOTLESS_ECHO_NEITHER] = "neither",
};

#define N_METHODS	4

/* Whether the driver offers method m (INFO's capabilities). */
static int offered(const struct spotless_info *info, int m)
{
	if (m == SPOTLESS_ECHO_NEITHER)
		return (info->capabilities & SPOTLESS_CAP_ECHO_NEITHER) != 0;
	if (m != SPOTLESS_ECHO_BUFFERED)
		return (info->capabilities & SPOTLESS_CAP_ECHO_DIRECT) != 0;
	return 1;
}

static unsigned char *random_data(size_t len, unsigned int seed)
{
	unsigned char *p = malloc(len ? len : 1);
	uint32_t x = seed;
	size_t i;

	for (i = 0; p && i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (unsigned char)(x >> 16);
	}
	return p;
}

/* One echo, checked; prints one line and returns an exit status. */
static int echo_once(struct spotless_handle *dev, enum spotless_echo_method m,
		     const unsigned char *data, size_t len, unsigned char *out)
{
	uint32_t ours = spotless_crc32c(data, len), theirs = 0;
	spotless_err err;
	size_t i;

	memset(out, 0, len + SPOTLESS_ECHO_TRAILER_LEN);
	err = spotless_echo(dev, m, data, len, out, len + SPOTLESS_ECHO_TRAILER_LEN,
			    &theirs);
	if (err) {
		char what[64];

		snprintf(what, sizeof(what), "echo %s of %zu bytes failed",
			 method_names[m], len);
		cli_report(err, what);
		return EXIT_FAILED;
	}
	if (theirs != ours) {
		fprintf(stderr, "spotless echo: %s: the driver's crc32c 0x%08x is not ours, 0x%08x\n",
			method_names[m], theirs, ours);
		return EXIT_FAILED;
	}
	if (m == SPOTLESS_ECHO_IN_DIRECT) {
		printf("echo %-10s %8zu bytes into the driver, crc32c 0x%08x checked there\n",
		       method_names[m], len, ours);
		return EXIT_OK;
	}
	for (i = 0; i < len; i++) {
		if (out[i] != data[i]) {
			fprintf(stderr, "spotless echo: %s: the bytes that came back differ at offset %zu\n",
				method_names[m], i);
			return EXIT_FAILED;
		}
	}
	printf("echo %-10s %8zu bytes there and back, identical, crc32c 0x%08x matches\n",
	       method_names[m], len, ours);
	return EXIT_OK;
}

static int run_echo(int argc, char **argv)
{
	struct spotless_handle *dev;
	struct spotless_info info;
	unsigned char *data, *out;
	static const struct option options[] = {
		{ "method", required_argument, NULL, 'm' },
		{ "size", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	long long size = 4096, seed = 1;
	int method = -1;	/* every one the driver has */
	int c, m, rc = EXIT_OK;
	spotless_err err;

	while ((c = cli_option(&cmd_echo, argc, argv, options)) != -1) {
		switch (c) {
		case 'm':
			for (m = 0; m < N_METHODS; m++)
				if (!strcmp(optarg, method_names[m]))
					method = m;
			if (strcmp(optarg, "all") && method < 0)
				return cli_usage_error(&cmd_echo,
					"--method is buffered, in_direct, out_direct, neither or all");
			break;
		case 's':
			/* The driver's limit: 1 MiB. */
			if (cli_size(&cmd_echo, "--size", optarg, SPOTLESS_ECHO_MAX, &size))
				return EXIT_USAGE;
			break;
		case 'r':
			if (cli_number(&cmd_echo, "--seed", optarg, 0, UINT32_MAX, &seed))
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(&cmd_echo, "no operands are taken");

	dev = cli_open_device();
	if (!dev)
		return EXIT_FAILED;
	err = spotless_get_info(dev, &info);
	if (err) {
		cli_report(err, "INFO failed");
		spotless_close(dev);
		return EXIT_FAILED;
	}
	if (!(info.capabilities & SPOTLESS_CAP_ECHO) || (method >= 0 && !offered(&info, method))) {
		fprintf(stderr, "spotless echo: this driver does not offer %s%s\n",
			method > 0 ? method_names[method] : "ECHO",
			info.os == SPOTLESS_OS_LINUX ?
			" (transfer methods are a Windows notion; Linux copies)" : "");
		spotless_close(dev);
		return EXIT_FAILED;
	}

	data = random_data((size_t)size, (unsigned int)seed);
	out = malloc((size_t)size + SPOTLESS_ECHO_TRAILER_LEN);
	if (!data || !out) {
		fprintf(stderr, "spotless echo: out of memory\n");
		rc = EXIT_FAILED;
		goto out;
	}
	for (m = 0; m < N_METHODS; m++) {
		if (method >= 0 ? m != method : !offered(&info, m))
			continue;
		if (echo_once(dev, (enum spotless_echo_method)m, data, (size_t)size, out))
			rc = EXIT_FAILED;
	}
out:
	free(data);
	free(out);
	spotless_close(dev);
	return rc;
}

const struct cli_command cmd_echo = {
	.name = "echo", .args = "[OPTIONS]",
	.summary = "send bytes through the driver and check what comes back",
	.details =
		"options:\n"
		"  --method M   buffered, in_direct, out_direct, neither (Windows), or all:\n"
		"               every method the driver offers (the default)\n"
		"  --size N     payload bytes, 0 to 1M (K and M suffixes; default 4096)\n"
		"  --seed S     seed of the pseudo-random payload (default 1)\n"
		"\n"
		"Each method's bytes must come back identical, and the CRC32C the\n"
		"driver computed over what it received must equal ours. in_direct\n"
		"moves bytes into the driver only: the driver checks our checksum.\n"
		"Exit status 1 when anything differs or the driver refuses.\n",
	.run = run_echo,
};
