// SPDX-License-Identifier: MIT
/*
 * spotless: the command-line client of libspotless.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_os.h"

static const struct cli_command *const commands[] = {
	&cmd_send, &cmd_info, &cmd_echo, &cmd_stats, &cmd_batch, &cmd_post, &cmd_watch,
	&cmd_call, &cmd_bench,
	&cmd_install, &cmd_start, &cmd_stop, &cmd_remove, &cmd_status,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *to)
{
	size_t i;

	fprintf(to,
		"usage: spotless [--device PATH] COMMAND [ARGS]\n"
		"\n"
		"Talk to the spotless kernel driver and manage it. --device (or\n"
		"SPOTLESS_DEVICE) names another device that speaks the protocol: a path,\n"
		"or a name (/dev/NAME on Linux, \\\\.\\NAME on Windows).\n"
		"\n"
		"commands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(to, "  %-8s %-9s %s\n", commands[i]->name,
			commands[i]->args, commands[i]->summary);
	fprintf(to,
		"\n"
		"'spotless help' prints this, 'spotless COMMAND --help' describes one\n"
		"command; 'spotless --version' (or 'version') prints the versions of the\n"
		"program and of the library it runs with.\n"
		"exit status: 0 success, 1 the operation failed, 2 bad usage;\n"
		"'status' exits 3 when the driver is stopped, 4 when not installed.\n");
}

void cli_print_command_help(const struct cli_command *cmd)
{
	const char *p;

	printf("usage: spotless %s%s%s\n\n", cmd->name, *cmd->args ? " " : "", cmd->args);
	/* The summary's continuation lines are indented for the command list. */
	for (p = cmd->summary; *p; p++) {
		putchar(*p);
		if (*p == '\n')
			while (p[1] == ' ')
				p++;
	}
	putchar('\n');
	if (cmd->details)
		printf("\n%s", cmd->details);
}

int cli_wants_help(int argc, char **argv)
{
	int i;

	/* What follows "--" is an operand, even "-h". */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

int cli_usage_error(const struct cli_command *cmd, const char *problem)
{
	fprintf(stderr, "spotless %s: %s\nusage: spotless %s%s%s\n",
		cmd->name, problem, cmd->name, *cmd->args ? " " : "", cmd->args);
	return EXIT_USAGE;
}

static const char *hint(enum spotless_error_kind kind)
{
	switch (kind) {
	case SPOTLESS_ERROR_ACCESS_DENIED:
		return os_access_hint();
	case SPOTLESS_ERROR_ALREADY_INSTALLED:
		return "it is installed already; 'spotless remove' unregisters it";
	case SPOTLESS_ERROR_NOT_INSTALLED:
		return "the driver is not installed; 'spotless install PATH' installs it";
	case SPOTLESS_ERROR_ALREADY_RUNNING:
		return "the driver is running; 'spotless stop' stops it";
	case SPOTLESS_ERROR_NOT_RUNNING:
		return "the driver is not running";
	case SPOTLESS_ERROR_IN_USE:
		return "handles to the driver are still open; close them first";
	case SPOTLESS_ERROR_BAD_IMAGE:
		return "the image is not a driver for this kernel (built for another version?)";
	case SPOTLESS_ERROR_SIGNATURE:
		return "the kernel refused the driver's signature (see the warning above; Linux, "
		       "Secure Boot: docs/linux.md, \"Module signing and Secure Boot\")";
	case SPOTLESS_ERROR_NOT_SUPPORTED:
		return "on Linux, 'install' loads the module and 'remove' unloads it";
	default:
		return NULL;
	}
}

void cli_report(spotless_err err, const char *what)
{
	char text[512];
	const char *extra = hint(spotless_error_kind(err));

	spotless_error_text(err, text, sizeof(text));
	fflush(stdout);
	fprintf(stderr, "spotless: %s: %s (error %d)\n", what, text, err);
	if (extra)
		fprintf(stderr, "spotless: %s\n", extra);
}

/* The device --device or SPOTLESS_DEVICE names; NULL: spotless's own. */
static const char *device_path;

struct spotless_handle *cli_open_device(void)
{
	struct spotless_handle *dev;
	spotless_err err = spotless_open_path(device_path, &dev);
	char what[300];

	if (!err)
		return dev;
	snprintf(what, sizeof(what), "cannot open the device %s",
		 device_path ? device_path : os_default_device());
	cli_report(err, what);
	if (spotless_error_kind(err) == SPOTLESS_ERROR_NOT_FOUND)
		fprintf(stderr, "spotless: is the driver running? 'spotless status' tells\n");
	return NULL;
}

int main(int argc, char **argv)
{
	size_t i;

	device_path = getenv("SPOTLESS_DEVICE");
	if (device_path && !*device_path)
		device_path = NULL;
	if (argc >= 2 && !strncmp(argv[1], "--device=", 9)) {
		device_path = argv[1] + 9;
		argc--, argv++;
	} else if (argc >= 2 && !strcmp(argv[1], "--device")) {
		if (argc < 3 || !*argv[2]) {
			fprintf(stderr, "spotless: --device needs a PATH or NAME\n");
			return EXIT_USAGE;
		}
		device_path = argv[2];
		argc -= 2, argv += 2;
	}
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("spotless %s\nlibspotless %s\n", SPOTLESS_VERSION_STRING,
		       spotless_version());
		return EXIT_OK;
	}
	for (i = 0; i < N_COMMANDS; i++) {
		if (strcmp(argv[1], commands[i]->name))
			continue;
		if (cli_wants_help(argc - 1, argv + 1)) {
			cli_print_command_help(commands[i]);
			return EXIT_OK;
		}
		argc--, argv++;
		if (commands[i]->operands_only &&
		    cli_operands(commands[i], &argc, &argv) != 0)
			return EXIT_USAGE;
		return commands[i]->run(argc, argv);
	}
	fprintf(stderr, "spotless: unknown command '%s'\n\n", argv[1]);
	print_help(stderr);
	return EXIT_USAGE;
}
