// SPDX-License-Identifier: MIT
/*
 * spotless batch [FILE]: requests from a file (or standard input), one per
 * line, sent to the driver in one BATCH; one line of answer per request.
 *
 *   message TEXT     the tutorial exchange with TEXT
 *   info             INFO
 *   stats            STATS
 *   echo N           ECHO of N pseudo-random bytes, checked on return
 *   code 0xCODE [N]  any control code, no input, N bytes of room (probing)
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define LINE_MAX_LEN	512

struct request {
	char kind[16];
	unsigned int line;
	unsigned char *echo;	/* ECHO's payload, to check the answer */
	size_t echo_len;
};

static unsigned char batch_in[SPOTLESS_BATCH_MAX_BYTES];
static unsigned char batch_out[SPOTLESS_BATCH_MAX_BYTES];
static struct request requests[SPOTLESS_BATCH_MAX_RECORDS];

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int add_echo(struct spotless_batch_writer *w, struct request *req,
		    const char *arg)
{
	char *end;
	unsigned long long n = strtoull(arg, &end, 0);
	size_t i;

	if (*end || n > SPOTLESS_BATCH_MAX_BYTES)
		return -1;
	req->echo = malloc(n ? n : 1);
	if (!req->echo)
		return -1;
	req->echo_len = n;
	for (i = 0; i < n; i++)
		req->echo[i] = (unsigned char)(i * 31 + req->line);
	return spotless_batch_add(w, IOCTL_SPOTLESS_ECHO_BUFFERED, req->echo, n,
				  n + SPOTLESS_ECHO_TRAILER_LEN);
}

static int add_code(struct spotless_batch_writer *w, struct request *req,
		    const char *arg)
{
	char *end;
	unsigned long long code = strtoull(arg, &end, 0), room;

	if (*end && !isspace((unsigned char)*end))
		return -1;
	room = strtoull(end, &end, 0);
	if (*end || code > 0xFFFFFFFFull || room > 4096)
		return -1;
	snprintf(req->kind, sizeof(req->kind), "code 0x%08llx", code);
	return spotless_batch_add(w, (uint32_t)code, NULL, 0, room);
}

/* One line into one record; returns 0, or -1 when it is not a request. */
static int add_line(struct spotless_batch_writer *w, struct request *req, char *line)
{
	char *arg = line + strcspn(line, " \t");

	if (*arg)
		*arg++ = '\0';
	arg = trim(arg);
	snprintf(req->kind, sizeof(req->kind), "%s", line);

	if (!strcmp(line, "message") && *arg)
		/* The text and its NUL, as the tutorial's client sends it. */
		return spotless_batch_add(w, IOCTL_SPOTLESS, arg, strlen(arg) + 1,
					  SPOTLESS_REPLY_LEN + 1);
	if (!strcmp(line, "info") && !*arg)
		return spotless_batch_add(w, IOCTL_SPOTLESS_INFO, NULL, 0,
					  sizeof(struct spotless_info));
	if (!strcmp(line, "stats") && !*arg)
		return spotless_batch_add(w, IOCTL_SPOTLESS_STATS, NULL, 0,
					  sizeof(struct spotless_stats));
	if (!strcmp(line, "echo") && *arg)
		return add_echo(w, req, arg);
	if (!strcmp(line, "code") && *arg)
		return add_code(w, req, arg);
	return -1;
}

/* Read every request; returns how many, or -1 after saying what is wrong. */
static int read_requests(FILE *f, const char *name, struct spotless_batch_writer *w)
{
	char buf[LINE_MAX_LEN];
	unsigned int line = 0;
	int count = 0;

	while (fgets(buf, sizeof(buf), f)) {
		char *text = trim(buf);

		line++;
		if (!*text || *text == '#')
			continue;
		if (count == SPOTLESS_BATCH_MAX_RECORDS) {
			fprintf(stderr, "spotless batch: %s:%u: more than %u requests\n",
				name, line, SPOTLESS_BATCH_MAX_RECORDS);
			return -1;
		}
		requests[count].line = line;
		if (add_line(w, &requests[count], text)) {
			fprintf(stderr, "spotless batch: %s:%u: not a request, or over the "
				"batch's limits: '%s'\n", name, line, text);
			return -1;
		}
		count++;
	}
	if (!count)
		fprintf(stderr, "spotless batch: %s: no requests\n", name);
	return count ? count : -1;
}

/* One line per answer; returns 1 when the record failed or is wrong. */
static int print_answer(int index, const struct request *req,
			const struct spotless_batch_result *res, const unsigned char *answer)
{
	struct spotless_echo_trailer t;

	printf("#%-3d %-16s ", index + 1, req->kind);
	if (res->status != SPOTLESS_STATUS_OK) {
		printf("failed: %s\n", spotless_status_text(res->status));
		return 1;
	}
	if (!strcmp(req->kind, "message")) {
		printf("ok: %.*s (%u bytes)\n", (int)res->information, answer, res->information);
	} else if (!strcmp(req->kind, "echo")) {
		/* The driver's count is checked before its bytes are read. */
		if (res->information != req->echo_len + sizeof(t)) {
			printf("wrong: %u bytes came back\n", res->information);
			return 1;
		}
		memcpy(&t, answer + req->echo_len, sizeof(t));
		if (memcmp(answer, req->echo, req->echo_len) ||
		    t.crc32c != spotless_crc32c(req->echo, req->echo_len)) {
			printf("wrong: the bytes or the checksum differ\n");
			return 1;
		}
		printf("ok: %zu bytes back, identical, crc32c 0x%08x\n", req->echo_len, t.crc32c);
	} else {
		printf("ok: %u bytes\n", res->information);
	}
	return 0;
}

static int run_batch(int argc, char **argv)
{
	const char *name = argc == 2 ? argv[1] : "-";
	FILE *f = stdin;
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result res;
	struct spotless_handle *dev;
	const void *answer;
	size_t len, written = 0;
	int count, i, failed = 0, rc = EXIT_FAILED;
	spotless_err err;

	if (argc > 2)
		return cli_usage_error(&cmd_batch, "give one FILE, or none for standard input");
	if (strcmp(name, "-")) {
		f = fopen(name, "r");
		if (!f) {
			fprintf(stderr, "spotless batch: cannot read %s: %s\n", name, strerror(errno));
			return EXIT_FAILED;
		}
	}
	spotless_batch_begin(&w, batch_in, sizeof(batch_in));
	count = read_requests(f, strcmp(name, "-") ? name : "standard input", &w);
	if (f != stdin)
		fclose(f);
	if (count < 0) {
		rc = EXIT_USAGE;
		goto free_requests;
	}
	len = spotless_batch_end(&w);

	dev = cli_open_device();
	if (!dev)
		goto free_requests;
	err = spotless_batch(dev, batch_in, len, batch_out, w.out_needed, &written);
	spotless_close(dev);
	if (err) {
		cli_report(err, "BATCH failed");
		goto free_requests;
	}
	if (spotless_batch_read(&r, batch_out, written, &hdr) || hdr.count != (uint32_t)count) {
		fprintf(stderr, "spotless batch: the driver's answer is malformed\n");
		goto free_requests;
	}
	for (i = 0; i < count; i++) {
		if (spotless_batch_next(&r, &res, &answer) != 1) {
			fprintf(stderr, "spotless batch: the driver's answer is malformed\n");
			goto free_requests;
		}
		failed += print_answer(i, &requests[i], &res, answer);
	}
	printf("batch: %d requests in one call, %d failed\n", count, failed);
	rc = failed ? EXIT_FAILED : EXIT_OK;
free_requests:
	for (i = 0; i < (int)SPOTLESS_BATCH_MAX_RECORDS; i++) {
		free(requests[i].echo);
		requests[i].echo = NULL;
	}
	return rc;
}

const struct cli_command cmd_batch = {
	.name = "batch", .args = "[FILE]",
	.summary = "send the requests in FILE (or standard input) in one call",
	.details =
		"One request per line ('#' starts a comment):\n"
		"  message TEXT     the tutorial exchange with TEXT\n"
		"  info             the driver's INFO\n"
		"  stats            the driver's STATS\n"
		"  echo N           N bytes through ECHO, checked on return\n"
		"  code 0xCODE [N]  any control code with N bytes of room (probing)\n"
		"\n"
		"Each request gets its own answer line; one that fails does not stop\n"
		"the others. Exit status 1 when any request failed.\n",
	.run = run_batch,
	.operands_only = 1,
};
