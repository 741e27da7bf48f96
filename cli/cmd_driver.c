// SPDX-License-Identifier: MIT
/*
 * spotless install / start / stop / remove / status: the driver's lifetime.
 */
#include <stdio.h>

#include "cli.h"
#include "cli_os.h"

/* Exit codes of 'status', as for an init script. */
#define EXIT_STATUS_STOPPED		3
#define EXIT_STATUS_NOT_INSTALLED	4

/* Say so before loading when the kernel is likely to refuse our signature. */
static void warn_about_signing(void)
{
	char text[512];

	if (spotless_driver_signing_warning(text, sizeof(text))) {
		fflush(stdout);
		fprintf(stderr, "spotless: warning: %s\n", text);
	}
}

static int run_install(int argc, char **argv)
{
	spotless_err err;

	if (argc != 2)
		return cli_usage_error(&cmd_install, "PATH of the driver image is missing");
	warn_about_signing();
	err = spotless_driver_install(argv[1]);
	if (err) {
		const char *why = NULL;

		cli_report(err, "cannot install the driver");
		if (spotless_error_kind(err) == SPOTLESS_ERROR_NOT_FOUND)
			why = os_install_not_found_hint(argv[1]);
		if (why)
			fprintf(stderr, "spotless: %s\n", why);
		return EXIT_FAILED;
	}
	printf("spotless: installed %s\n", argv[1]);
	return EXIT_OK;
}

/* The commands without arguments differ only in the call and the words. */
static int run_simple(int argc, const struct cli_command *cmd,
		      spotless_err (*op)(void), const char *failed,
		      const char *done)
{
	spotless_err err;

	if (argc != 1)
		return cli_usage_error(cmd, "takes no arguments");
	err = op();
	if (err) {
		cli_report(err, failed);
		return EXIT_FAILED;
	}
	printf("spotless: %s\n", done);
	return EXIT_OK;
}

static int run_start(int argc, char **argv)
{
	(void)argv;
	if (argc == 1)
		warn_about_signing();
	return run_simple(argc, &cmd_start, spotless_driver_start,
			  "cannot start the driver", "driver started");
}

/* Who holds the driver, when a stop is refused because it is in use. */
static void report_users(void)
{
	struct spotless_handle *dev;
	struct spotless_stats st = { 0 };

	if (spotless_open(&dev))
		return;
	if (!spotless_get_stats(dev, &st))
		fprintf(stderr, "spotless: %llu other handle%s open on the device\n",
			(unsigned long long)(st.open_handles - 1),
			st.open_handles == 2 ? " is" : "s are");
	spotless_close(dev);
}

static int run_stop(int argc, char **argv)
{
	spotless_err err;

	(void)argv;
	if (argc != 1)
		return cli_usage_error(&cmd_stop, "takes no arguments");
	err = spotless_driver_stop();
	if (err) {
		cli_report(err, "cannot stop the driver");
		if (spotless_error_kind(err) == SPOTLESS_ERROR_IN_USE)
			report_users();
		return EXIT_FAILED;
	}
	printf("spotless: driver stopped\n");
	return EXIT_OK;
}

static int run_remove(int argc, char **argv)
{
	(void)argv;
	return run_simple(argc, &cmd_remove, spotless_driver_remove,
			  "cannot remove the driver", "driver removed");
}

static int run_status(int argc, char **argv)
{
	struct spotless_driver_status st;
	spotless_err err;

	(void)argv;
	if (argc != 1)
		return cli_usage_error(&cmd_status, "takes no arguments");
	err = spotless_driver_query(&st);
	if (err) {
		cli_report(err, "cannot query the driver");
		return EXIT_FAILED;
	}
	printf("spotless: %s", spotless_driver_state_name(st.state));
	if (st.image_path[0])
		printf(" (%s)", st.image_path);
	if (st.open_handles >= 0)
		printf(" (%d open handle%s)", st.open_handles,
		       st.open_handles == 1 ? "" : "s");
	printf("\n");
	switch (st.state) {
	case SPOTLESS_DRIVER_NOT_INSTALLED:
		return EXIT_STATUS_NOT_INSTALLED;
	case SPOTLESS_DRIVER_STOPPED:
		return EXIT_STATUS_STOPPED;
	default:
		return EXIT_OK;
	}
}

const struct cli_command cmd_install = {
	.name = "install", .args = "PATH",
	.summary = "install the driver image at PATH (Windows: service 'spotless',\n"
		   "                     demand start; Linux: load the module)",
	.run = run_install,
	.operands_only = 1,
};

const struct cli_command cmd_start = {
	.name = "start", .args = "",
	.summary = "start the installed driver and wait until it runs\n"
		   "                     (Windows; on Linux 'install' loads the module)",
	.run = run_start,
	.operands_only = 1,
};

const struct cli_command cmd_stop = {
	.name = "stop", .args = "",
	.summary = "stop the driver and wait for it, refused while handles are open\n"
		   "                     (Windows; on Linux 'remove' unloads the module)",
	.run = run_stop,
	.operands_only = 1,
};

const struct cli_command cmd_remove = {
	.name = "remove", .args = "",
	.summary = "remove the driver (Windows: stop it first; Linux: unload)",
	.run = run_remove,
	.operands_only = 1,
};

const struct cli_command cmd_status = {
	.name = "status", .args = "",
	.summary = "print whether the driver is installed and running",
	.run = run_status,
	.operands_only = 1,
};
