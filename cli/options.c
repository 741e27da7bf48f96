// SPDX-License-Identifier: MIT
/*
 * Options of every command, parsed with getopt_long, and their values read
 * strictly: a value that is not all number ("5x") is refused, not cut short.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cli_option(const struct cli_command *cmd, int argc, char **argv,
	       const struct option *options)
{
	int c;

	/* '+': operands end the options; ':': a missing value is reported. */
	opterr = 0;
	c = getopt_long(argc, argv, "+:", options, NULL);
	if (c == '?' || c == ':') {
		char problem[160];

		snprintf(problem, sizeof(problem), c == ':' ? "%s needs a value" :
			 "unknown option %s", argv[optind - 1]);
		cli_usage_error(cmd, problem);
		return CLI_OPTION_BAD;
	}
	return c;
}

int cli_operands(const struct cli_command *cmd, int *argc, char ***argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	int c = cli_option(cmd, *argc, *argv, none);
	char *name = (*argv)[0];

	if (c == CLI_OPTION_BAD)
		return CLI_OPTION_BAD;
	if (c != -1) {		/* an option of none: cannot happen, refuse it */
		cli_usage_error(cmd, "takes no options");
		return CLI_OPTION_BAD;
	}
	*argc -= optind - 1;
	*argv += optind - 1;
	(*argv)[0] = name;
	return 0;
}

/* A whole number with an optional K / M suffix (KiB, MiB) when allowed. */
static int parse_number(const char *text, int suffixes, long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno || end == text)
		return -1;
	if (suffixes && (*end == 'K' || *end == 'k'))
		n *= 1024, end++;
	else if (suffixes && (*end == 'M' || *end == 'm'))
		n *= 1024 * 1024, end++;
	if (*end)
		return -1;
	*out = n;
	return 0;
}

static int read_value(const struct cli_command *cmd, const char *option,
		      const char *text, int suffixes, long long min, long long max,
		      long long *out)
{
	char problem[200];

	if (!parse_number(text, suffixes, out) && *out >= min && *out <= max)
		return 0;
	snprintf(problem, sizeof(problem), "%s: '%s' is not %s from %lld to %lld",
		 option, text, suffixes ? "a size (bytes, K or M)" : "a whole number",
		 min, max);
	return cli_usage_error(cmd, problem);
}

int cli_number(const struct cli_command *cmd, const char *option, const char *text,
	       long long min, long long max, long long *out)
{
	return read_value(cmd, option, text, 0, min, max, out);
}

int cli_size(const struct cli_command *cmd, const char *option, const char *text,
	     long long max, long long *out)
{
	return read_value(cmd, option, text, 1, 0, max, out);
}
