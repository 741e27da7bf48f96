// SPDX-License-Identifier: MIT
/*
 * spotless info / stats [--json]: what the driver is, and its counters.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *const os_names[] = { "unknown", "Windows", "Linux" };

/*
 * Names of the counter slots and of the statuses, for text and JSON, from
 * the command table (spotless/commands.h): a slot is named by its rows'
 * counter, an error slot by its status, in lower case.
 */
struct slot_row {
	uint32_t slot;
	const char *counter;
};
#define SLOT_ROW_(...) { SPOTLESS_ROW_SLOT(__VA_ARGS__), SPOTLESS_ROW_COUNTER(__VA_ARGS__) },
static const struct slot_row slot_rows[] = { SPOTLESS_COMMANDS(SLOT_ROW_) };

static const char *request_name(int slot)
{
	size_t i;

	if (slot == SPOTLESS_STAT_UNKNOWN)
		return "unknown";
	for (i = 0; i < sizeof(slot_rows) / sizeof(slot_rows[0]); i++)
		if ((int)slot_rows[i].slot == slot)
			return slot_rows[i].counter;
	return NULL;
}

/* Error slot 0 (success) counts nothing; the others are the statuses'. */
static const char *error_name(int status, char *buf, size_t size)
{
	const char *name = status ? spotless_status_name((uint32_t)status) : NULL;
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; name[i] && i + 1 < size; i++)
		buf[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
	buf[i] = '\0';
	return buf;
}

static const struct {
	unsigned int bit;
	const char *name;
} capability_names[] = {
#define CAPABILITY_NAME_(bit, name) { bit, name },
	SPOTLESS_CAPABILITIES(CAPABILITY_NAME_)
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
		if (info.capabilities & (1ull << capability_names[i].bit))
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
	char buf[64];

	printf("\"%s\":{\"requests\":{", name);
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		if (!request_name(i))
			continue;
		printf("%s\"%s\":%llu", first ? "" : ",", request_name(i),
		       (unsigned long long)c->requests[i]);
		first = 0;
	}
	printf("},\"errors\":{");
	first = 1;
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++) {
		if (!error_name(i, buf, sizeof(buf)))
			continue;
		printf("%s\"%s\":%llu", first ? "" : ",", buf,
		       (unsigned long long)c->errors[i]);
		first = 0;
	}
	printf("},\"bytes_in\":%llu,\"bytes_out\":%llu}",
	       (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out);
}

static void print_stats_text(const struct spotless_stats *st)
{
	char buf[64];
	int i;

	printf("open handles             %llu\n", (unsigned long long)st->open_handles);
	printf("outstanding allocations  %llu\n",
	       (unsigned long long)st->outstanding_allocations);
	printf("this handle              #%llu\n", (unsigned long long)st->handle_id);
	printf("%-25s %12s %12s\n", "", "device", "this handle");
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++)
		if (request_name(i))
			printf("requests %-16s %12llu %12llu\n", request_name(i),
			       (unsigned long long)st->device.requests[i],
			       (unsigned long long)st->handle.requests[i]);
	for (i = 0; i < SPOTLESS_STAT_SLOTS; i++)
		if (error_name(i, buf, sizeof(buf)))
			printf("errors %-18s %12llu %12llu\n", buf,
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
