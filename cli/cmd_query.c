// SPDX-License-Identifier: MIT
/*
 * spotless info / stats [--json]: what the driver is, and its counters.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *const os_names[] = { "unknown", "Windows", "Linux" };

/* Names of the counter slots and of the statuses, for text and JSON. */
static const char *const request_names[SPOTLESS_STAT_SLOTS] = {
	[SPOTLESS_STAT_MESSAGE] = "message",
	[SPOTLESS_STAT_INFO] = "info",
	[SPOTLESS_STAT_STATS] = "stats",
	[SPOTLESS_STAT_ECHO] = "echo",
	[SPOTLESS_STAT_BATCH] = "batch",
	[SPOTLESS_STAT_POST] = "post",
	[SPOTLESS_STAT_WAIT_EVENT] = "wait_event",
	[SPOTLESS_STAT_UNKNOWN] = "unknown",
};
static const char *const error_names[SPOTLESS_STAT_SLOTS] = {
	[SPOTLESS_STATUS_UNKNOWN_CODE] = "unknown_code",
	[SPOTLESS_STATUS_EMPTY_INPUT] = "empty_input",
	[SPOTLESS_STATUS_INPUT_TOO_LARGE] = "input_too_large",
	[SPOTLESS_STATUS_OUTPUT_TOO_SMALL] = "output_too_small",
	[SPOTLESS_STATUS_UNEXPECTED_INPUT] = "unexpected_input",
	[SPOTLESS_STATUS_CHECKSUM_MISMATCH] = "checksum_mismatch",
	[SPOTLESS_STATUS_BAD_BATCH] = "bad_batch",
	[SPOTLESS_STATUS_NOT_BATCHABLE] = "not_batchable",
	[SPOTLESS_STATUS_BAD_REQUEST] = "bad_request",
};

static const struct {
	uint64_t bit;
	const char *name;
} capability_names[] = {
	{ SPOTLESS_CAP_MESSAGE, "message" },
	{ SPOTLESS_CAP_INFO, "info" },
	{ SPOTLESS_CAP_STATS, "stats" },
	{ SPOTLESS_CAP_ECHO, "echo" },
	{ SPOTLESS_CAP_ECHO_DIRECT, "echo_direct" },
	{ SPOTLESS_CAP_BATCH, "batch" },
	{ SPOTLESS_CAP_EVENTS, "events" },
	{ SPOTLESS_CAP_CRC32C_INSTRUCTION, "crc32c_instruction" },
	{ SPOTLESS_CAP_ECHO_NEITHER, "echo_neither" },
};

static int run_info(int argc, char **argv)
{
	struct spotless_handle *dev;
	struct spotless_info info;
	spotless_err err;
	size_t i;

	(void)argv;
	if (argc != 1)
		return cli_usage_error(&cmd_info, "takes no arguments");
	dev = cli_open_device();
	if (!dev)
		return EXIT_FAILED;
	err = spotless_get_info(dev, &info);
	spotless_close(dev);
	if (err) {
		cli_report(err, "INFO failed");
		return EXIT_FAILED;
	}
	printf("protocol     %u\n", info.protocol_version);
	printf("driver       %u.%u.%u\n", info.driver_version >> 16,
	       (info.driver_version >> 8) & 0xff, info.driver_version & 0xff);
	printf("library      %s\n", spotless_version());
	printf("os           %s\n", info.os < 3 ? os_names[info.os] : os_names[0]);
	printf("capabilities");
	for (i = 0; i < sizeof(capability_names) / sizeof(capability_names[0]); i++)
		if (info.capabilities & capability_names[i].bit)
			printf(" %s", capability_names[i].name);
	printf("\n");
	printf("max message  %u bytes\n", info.max_message);
	printf("max echo     %u bytes\n", info.max_echo);
	printf("max batch    %u records, %u bytes each way\n", info.max_batch_records,
	       info.max_batch_bytes);
	printf("per handle   %u bytes of driver memory", info.handle_state_bytes);
	if (info.event_queue_bytes)
		printf(", %u more once it waits for events", info.event_queue_bytes);
	printf("\n");
	return EXIT_OK;
}

static void print_counters_json(const char *name, const struct spotless_counters *c)
{
	int i, first = 1;

	printf("\"%s\":{\"requests\":{", name);
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		if (!request_names[i])
			continue;
		printf("%s\"%s\":%llu", first ? "" : ",", request_names[i],
		       (unsigned long long)c->requests[i]);
		first = 0;
	}
	printf("},\"errors\":{");
	first = 1;
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		if (!error_names[i])
			continue;
		printf("%s\"%s\":%llu", first ? "" : ",", error_names[i],
		       (unsigned long long)c->errors[i]);
		first = 0;
	}
	printf("},\"bytes_in\":%llu,\"bytes_out\":%llu}",
	       (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out);
}

static void print_stats_text(const struct spotless_stats *st)
{
	int i;

	printf("open handles             %llu\n", (unsigned long long)st->open_handles);
	printf("outstanding allocations  %llu\n",
	       (unsigned long long)st->outstanding_allocations);
	printf("this handle              #%llu\n", (unsigned long long)st->handle_id);
	printf("%-25s %12s %12s\n", "", "device", "this handle");
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++)
		if (request_names[i])
			printf("requests %-16s %12llu %12llu\n", request_names[i],
			       (unsigned long long)st->device.requests[i],
			       (unsigned long long)st->handle.requests[i]);
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++)
		if (error_names[i])
			printf("errors %-18s %12llu %12llu\n", error_names[i],
			       (unsigned long long)st->device.errors[i],
			       (unsigned long long)st->handle.errors[i]);
	printf("%-25s %12llu %12llu\n", "bytes in",
	       (unsigned long long)st->device.bytes_in,
	       (unsigned long long)st->handle.bytes_in);
	printf("%-25s %12llu %12llu\n", "bytes out",
	       (unsigned long long)st->device.bytes_out,
	       (unsigned long long)st->handle.bytes_out);
}

static int run_stats(int argc, char **argv)
{
	struct spotless_handle *dev;
	struct spotless_stats st;
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	spotless_err err;
	int c, json = 0;

	while ((c = cli_option(&cmd_stats, argc, argv, options)) != -1) {
		if (c != 'j')
			return EXIT_USAGE;
		json = 1;
	}
	if (optind < argc)
		return cli_usage_error(&cmd_stats, "the only option is --json");
	dev = cli_open_device();
	if (!dev)
		return EXIT_FAILED;
	err = spotless_get_stats(dev, &st);
	spotless_close(dev);
	if (err) {
		cli_report(err, "STATS failed");
		return EXIT_FAILED;
	}
	if (!json) {
		print_stats_text(&st);
		return EXIT_OK;
	}
	printf("{\"open_handles\":%llu,\"outstanding_allocations\":%llu,\"handle_id\":%llu,",
	       (unsigned long long)st.open_handles,
	       (unsigned long long)st.outstanding_allocations,
	       (unsigned long long)st.handle_id);
	print_counters_json("device", &st.device);
	printf(",");
	print_counters_json("handle", &st.handle);
	printf("}\n");
	return EXIT_OK;
}

const struct cli_command cmd_info = {
	.name = "info", .args = "",
	.summary = "print the driver's protocol, version, OS, capabilities and limits",
	.run = run_info,
};

const struct cli_command cmd_stats = {
	.name = "stats", .args = "[--json]",
	.summary = "print the driver's counters (the device's and this handle's)",
	.run = run_stats,
};
