/* SPDX-License-Identifier: MIT */
#ifndef SPOTLESS_CLI_H
#define SPOTLESS_CLI_H

#include <getopt.h>

#include "spotless.h"

/* Exit codes shared by every command. */
#define EXIT_OK		0
#define EXIT_FAILED	1	/* the operation was tried and failed */
#define EXIT_USAGE	2	/* the command line was wrong */

struct cli_command {
	const char *name;
	const char *args;
	const char *summary;
	const char *details;			/* for 'COMMAND --help'; may be NULL */
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
	/* No options: main() takes "--" away and refuses "-x" before run. */
	int operands_only;
};

/* Print "spotless: WHAT: SYSTEM TEXT (error N)" and a hint, to stderr. */
void cli_report(spotless_err err, const char *what);

/* Print one command's usage line to stderr and return EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *problem);

int cli_wants_help(int argc, char **argv);

/*
 * The next option of a command's arguments (argv[0] is the command's name),
 * by getopt_long: the option's val, -1 after the last one (operands start
 * at optind), or CLI_OPTION_BAD once an unknown option or a missing value
 * has been reported (the command then returns EXIT_USAGE).
 */
#define CLI_OPTION_BAD	(-2)
/*
 * For a command that has no options: "--" ends them, so that an operand
 * may start with '-'; anything else that looks like an option is a usage
 * error. On return argv[1..argc-1] are the operands (argv[0] stays the
 * command's name). 0, or CLI_OPTION_BAD once reported.
 */
int cli_operands(const struct cli_command *cmd, int *argc, char ***argv);
int cli_option(const struct cli_command *cmd, int argc, char **argv,
	       const struct option *options);

/* An option's value from min to max, all of it a number (cli_size: K and M
 * suffixes allowed); 0, or EXIT_USAGE once the problem is reported. */
int cli_number(const struct cli_command *cmd, const char *option, const char *text,
	       long long min, long long max, long long *out);
int cli_size(const struct cli_command *cmd, const char *option, const char *text,
	     long long max, long long *out);

/* Open the device (--device's, or spotless's), or report why not (with a
 * hint) and return NULL. */
struct spotless_handle *cli_open_device(void);
void cli_print_command_help(const struct cli_command *cmd);

/* cmd_call.c */
extern const struct cli_command cmd_call;
/* cmd_send.c */
extern const struct cli_command cmd_send;
/* cmd_query.c */
extern const struct cli_command cmd_info;
extern const struct cli_command cmd_stats;
/* cmd_echo.c */
extern const struct cli_command cmd_echo;
/* cmd_batch.c */
extern const struct cli_command cmd_batch;
/* cmd_events.c */
extern const struct cli_command cmd_post;
extern const struct cli_command cmd_watch;
/* cmd_bench.c */
extern const struct cli_command cmd_bench;
/* cmd_driver.c */
extern const struct cli_command cmd_install;
extern const struct cli_command cmd_start;
extern const struct cli_command cmd_stop;
extern const struct cli_command cmd_remove;
extern const struct cli_command cmd_status;

#endif /* SPOTLESS_CLI_H */
