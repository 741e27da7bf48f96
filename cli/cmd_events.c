// SPDX-License-Identifier: MIT
/*
 * spotless post MESSAGE, spotless watch: events between clients, through
 * the driver. Only drivers whose INFO announces SPOTLESS_CAP_EVENTS have
 * them (both of ours; an older build does not).
 */
#include <limits.h>
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
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	long long count = -1, seen = 0, timeout_ms = -1;
	int c, json = 0, rc = EXIT_OK;

	while ((c = cli_option(&cmd_watch, argc, argv, options)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'c':
			if (cli_number(&cmd_watch, "--count", optarg, 1, LLONG_MAX, &count))
				return EXIT_USAGE;
			break;
		case 't':
			/* -1: as long as it takes; at most a day. */
			if (cli_number(&cmd_watch, "--timeout", optarg, -1, 86400000, &timeout_ms))
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error(&cmd_watch, "no operands are taken");
	dev = open_with_events(&cmd_watch);
	if (!dev)
		return EXIT_FAILED;
	while (count < 0 || seen < count) {
		spotless_err err = spotless_wait_event(dev, (int)timeout_ms, &ev);

		if (err == SPOTLESS_E_TIMEOUT) {
			fprintf(stderr, "spotless watch: no event for %lld ms\n", timeout_ms);
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
	.operands_only = 1,
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
