// SPDX-License-Identifier: MIT
/*
 * spotless post MESSAGE, spotless watch: events between clients, through
 * the driver. Only drivers whose INFO announces SPOTLESS_CAP_EVENTS have
 * them (both of ours; an older build does not).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const kind_names[] = {
	[SPOTLESS_EVENT_POSTED] = "posted",
	[SPOTLESS_EVENT_HANDLE_OPENED] = "opened",
	[SPOTLESS_EVENT_HANDLE_CLOSED] = "closed",
};

/* Open the device and check that its driver has events. */
static struct spotless_handle *open_with_events(const struct cli_command *cmd)
{
	struct spotless_handle *dev = cli_open_device();
	struct spotless_info info;

	if (!dev)
		return NULL;
	if (spotless_get_info(dev, &info) || !(info.capabilities & SPOTLESS_CAP_EVENTS)) {
		fprintf(stderr, "spotless %s: this driver does not offer events\n", cmd->name);
		spotless_close(dev);
		return NULL;
	}
	return dev;
}

static int run_post(int argc, char **argv)
{
	struct spotless_handle *dev;
	spotless_err err;
	size_t len;

	if (argc != 2)
		return cli_usage_error(&cmd_post, "give one MESSAGE (quote it)");
	len = strlen(argv[1]);
	if (!len || len > SPOTLESS_EVENT_PAYLOAD_MAX)
		return cli_usage_error(&cmd_post, "MESSAGE is 1 to 64 bytes");
	dev = open_with_events(&cmd_post);
	if (!dev)
		return EXIT_FAILED;
	err = spotless_post(dev, argv[1], len);
	spotless_close(dev);
	if (err) {
		cli_report(err, "POST failed");
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

static void print_event(const struct spotless_event *ev, int json)
{
	const char *kind = ev->kind < 4 && kind_names[ev->kind] ? kind_names[ev->kind] : "other";
	unsigned int i, n = ev->payload_len < SPOTLESS_EVENT_PAYLOAD_MAX ?
			    ev->payload_len : SPOTLESS_EVENT_PAYLOAD_MAX;

	if (json)
		printf("{\"sequence\":%llu,\"kind\":\"%s\",\"source\":%llu,\"lost\":%u,"
		       "\"timestamp_ns\":%llu,\"message\":\"", (unsigned long long)ev->sequence,
		       kind, (unsigned long long)ev->source_handle, ev->lost,
		       (unsigned long long)ev->timestamp_ns);
	else
		printf("#%llu %-6s handle #%llu%s", (unsigned long long)ev->sequence, kind,
		       (unsigned long long)ev->source_handle, n ? ": " : "");
	/* Printable ASCII only; anything else as \xNN (JSON: \u00NN). cppcheck
	 * takes the record for the zeroed one of its caller's declaration. */
	// cppcheck-suppress knownConditionTrueFalse
	for (i = 0; i < n; i++) {
		unsigned char c = ev->payload[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			putchar(c);
		else
			printf(json ? "\\u%04x" : "\\x%02x", c);
	}
	if (json)
		printf("\"}\n");
	else if (ev->lost)
		printf("  (%u lost before it)\n", ev->lost);
	else
		printf("\n");
	fflush(stdout);
}

static int run_watch(int argc, char **argv)
{
	struct spotless_handle *dev;
	struct spotless_event ev;
	long count = -1, seen = 0, timeout_ms = -1;
	int i, json = 0, rc = EXIT_OK;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
			count = strtol(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout_ms = strtol(argv[++i], NULL, 10);
		} else {
			return cli_usage_error(&cmd_watch, "options are --json, --count N, --timeout MS");
		}
	}
	if (count == 0 || count < -1 || timeout_ms < -1 || timeout_ms > 86400000)
		return cli_usage_error(&cmd_watch, "--count is 1 or more, --timeout 0 to 86400000");
	dev = open_with_events(&cmd_watch);
	if (!dev)
		return EXIT_FAILED;
	while (count < 0 || seen < count) {
		spotless_err err = spotless_wait_event(dev, (int)timeout_ms, &ev);

		if (err == SPOTLESS_E_TIMEOUT) {
			fprintf(stderr, "spotless watch: no event for %ld ms\n", timeout_ms);
			rc = EXIT_FAILED;
			break;
		}
		if (err) {
			cli_report(err, "waiting for an event failed");
			rc = EXIT_FAILED;
			break;
		}
		print_event(&ev, json);
		seen++;
	}
	spotless_close(dev);
	return rc;
}

const struct cli_command cmd_post = {
	.name = "post", .args = "MESSAGE",
	.summary = "post MESSAGE (1 to 64 bytes) as an event to every watcher",
	.run = run_post,
};

const struct cli_command cmd_watch = {
	.name = "watch", .args = "[OPTIONS]",
	.summary = "print events as they arrive, one line each, until interrupted",
	.details =
		"options:\n"
		"  --json        one JSON object per line\n"
		"  --count N     stop after N events\n"
		"  --timeout MS  stop, with exit status 1, after MS milliseconds without one\n"
		"\n"
		"Events: messages from 'spotless post', and handles opening and closing.\n"
		"A line says how many events were lost before it when the queue (64)\n"
		"overflowed.\n",
	.run = run_watch,
};
