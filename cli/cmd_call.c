// SPDX-License-Identifier: MIT
/*
 * spotless call COMMAND [INPUT] [--out N]: any command that completes at
 * once, by its name in the command table or by its code, through the
 * library's general call; for a driver built on spotless too (with
 * 'spotless --device PATH call 0x...').
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The protocol's commands by their table names, in lower case. */
struct named_code {
	const char *name;
	uint32_t code;
};
#define NAMED_CODE_(cmd, ...) { #cmd, SPOTLESS_ROW_CODE(cmd, __VA_ARGS__) },
static const struct named_code named_codes[] = { SPOTLESS_PROTOCOL_COMMANDS(NAMED_CODE_) };

/* A table name (any case) or a number; 0, or -1 when it is neither. */
static int parse_code(const char *text, uint32_t *code)
{
	unsigned long long value;
	char *end;
	size_t i;

	for (i = 0; i < sizeof(named_codes) / sizeof(named_codes[0]); i++) {
		const char *a = named_codes[i].name, *b = text;

		while (*a && *b && tolower((unsigned char)*a) == tolower((unsigned char)*b))
			a++, b++;
		if (!*a && !*b) {
			*code = named_codes[i].code;
			return 0;
		}
	}
	value = strtoull(text, &end, 0);
	if (!isdigit((unsigned char)*text) || *end || value > 0xFFFFFFFFull)
		return -1;
	*code = (uint32_t)value;
	return 0;
}

/* The answer: its length, then 16 bytes a line, in hex and as text. */
static void print_answer(const unsigned char *p, size_t len)
{
	size_t i, j;

	printf("answer %zu bytes\n", len);
	for (i = 0; i < len; i += 16) {
		printf("%04zx ", i);
		for (j = i; j < i + 16; j++)
			if (j < len)
				printf(" %02x", p[j]);
			else
				printf("   ");
		printf("  ");
		for (j = i; j < i + 16 && j < len; j++)
			putchar(p[j] >= 0x20 && p[j] < 0x7f ? p[j] : '.');
		printf("\n");
	}
}

static int run_call(int argc, char **argv)
{
	static const struct option options[] = {
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct spotless_handle *dev;
	long long out_len = 4096;
	unsigned char *out;
	const char *input = NULL;
	size_t written = 0;
	uint32_t code;
	spotless_err err;
	int c;

	while ((c = cli_option(&cmd_call, argc, argv, options)) != -1) {
		if (c != 'o' || cli_size(&cmd_call, "--out", optarg, 1024 * 1024, &out_len))
			return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage_error(&cmd_call, "COMMAND is missing");
	if (argc - optind > 2)
		return cli_usage_error(&cmd_call, "give one INPUT (quote it)");
	if (parse_code(argv[optind], &code)) {
		char problem[160];

		snprintf(problem, sizeof(problem), "'%s' is not a command name (info, stats, "
			 "echo_buffered, ...) or a code", argv[optind]);
		return cli_usage_error(&cmd_call, problem);
	}
	if (argc - optind == 2)
		input = argv[optind + 1];
	out = malloc((size_t)out_len ? (size_t)out_len : 1);
	if (!out) {
		fprintf(stderr, "spotless call: no memory for %lld bytes\n", out_len);
		return EXIT_FAILED;
	}
	dev = cli_open_device();
	if (!dev) {
		free(out);
		return EXIT_FAILED;
	}
	err = spotless_command(dev, code, input, input ? strlen(input) : 0, out,
			       (size_t)out_len, &written);
	spotless_close(dev);
	if (err) {
		char what[64];

		snprintf(what, sizeof(what), "command 0x%08x failed", (unsigned int)code);
		cli_report(err, what);
		fprintf(stderr, "spotless: kind: %s\n",
			spotless_error_kind_name(spotless_error_kind(err)));
		free(out);
		return EXIT_FAILED;
	}
	print_answer(out, written);
	free(out);
	return EXIT_OK;
}

const struct cli_command cmd_call = {
	.name = "call",
	.args = "[--out N] COMMAND [INPUT]",
	.summary = "send any command by its name or code, print the answer",
	.details =
		"COMMAND is a name of the command table (message, info, stats,\n"
		"echo_buffered, batch, post, ...) or a code (0x00222000), a driver's own\n"
		"too. INPUT (text) is its input; --out N the room for the answer\n"
		"(default 4096; K, M). Commands that wait (wait_event) are not for it.\n",
	.run = run_call,
};
