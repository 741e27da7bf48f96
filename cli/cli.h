/* SPDX-License-Identifier: MIT */
#ifndef SPOTLESS_CLI_H
#define SPOTLESS_CLI_H

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
};

/* Print "spotless: WHAT: SYSTEM TEXT (error N)" and a hint, to stderr. */
void cli_report(spotless_err err, const char *what);

/* Print one command's usage line to stderr and return EXIT_USAGE. */
int cli_usage_error(const struct cli_command *cmd, const char *problem);

int cli_wants_help(int argc, char **argv);

/* Open the device, or report why not (with a hint) and return NULL. */
struct spotless_handle *cli_open_device(void);
void cli_print_command_help(const struct cli_command *cmd);

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
