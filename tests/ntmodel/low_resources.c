// SPDX-License-Identifier: MIT
/*
 * Driver Verifier's low-resources simulation, made systematic: a walk
 * through the driver's paths (load, open, the tutorial's message, ECHO by
 * each method, a wait, a POST that ends it, BATCH, INFO and STATS, close,
 * unload) is run once per k, with the k-th fallible call failing. The step
 * that met the failure must answer with an error (STATUS_INSUFFICIENT_
 * RESOURCES; for the load, whatever DriverEntry returns, with nothing left
 * behind), the same step must then succeed, and the walk must end with no
 * pool, IRP or object left and no rule broken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_backend.h"
#include "scenarios.h"

#define RW	(GENERIC_READ | GENERIC_WRITE)

struct walk {
	ntm_handle a, b;
	struct ntm_io wait;
	struct spotless_event event;
};

static NTSTATUS request(ntm_handle h, ULONG code, const void *in, ULONG in_len, void *out,
			ULONG out_len, ULONG_PTR *info)
{
	struct ntm_io io;

	if (ntm_device_io_control(h, code, in, in_len, out, out_len, &io) == STATUS_PENDING)
		ntm_io_wait(&io, -1);
	*info = io.information;
	return io.status;
}

static NTSTATUS step_load(struct walk *w)
{
	(void)w;
	return ntm_driver_start(DriverEntry);
}

static NTSTATUS step_open_a(struct walk *w)
{
	return ntm_create_file(NTM_DEVICE_PATH, RW, NTM_TOKEN_ADMIN, &w->a);
}

static NTSTATUS step_open_b(struct walk *w)
{
	return ntm_create_file(NTM_DEVICE_PATH, RW, NTM_TOKEN_ADMIN, &w->b);
}

static NTSTATUS step_message(struct walk *w)
{
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "spotless saying ola from userland";
	char out[SPOTLESS_CLIENT_BUFFER_SIZE] = "";
	ULONG_PTR n;
	NTSTATUS status = request(w->a, IOCTL_SPOTLESS, in, sizeof(in), out, sizeof(out), &n);

	if (NT_SUCCESS(status) && (n != SPOTLESS_REPLY_LEN || strcmp(out, SPOTLESS_REPLY)))
		return STATUS_INTERNAL_ERROR;
	return status;
}

/* ECHO of len bytes by one method into room bytes (at least len and the
 * trailer); the bytes and the checksum are checked. */
static NTSTATUS echo(ntm_handle h, ULONG code, size_t len, size_t room)
{
	unsigned char *data = malloc(len), *out = malloc(room ? room : 1);
	struct spotless_echo_trailer trailer;
	ULONG_PTR n;
	NTSTATUS status;
	size_t i;

	if (!data || !out)
		abort();
	for (i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 7);
	if (code == IOCTL_SPOTLESS_ECHO_IN_DIRECT) {
		trailer.crc32c = spotless_crc32c(data, len);
		trailer.length = (uint32_t)len;
		status = request(h, code, &trailer, sizeof(trailer), data, (ULONG)len, &n);
	} else {
		status = request(h, code, data, (ULONG)len, out, (ULONG)room, &n);
		memcpy(&trailer, out + len, sizeof(trailer));
		if (NT_SUCCESS(status) &&
		    (n != len + sizeof(trailer) || memcmp(out, data, len) ||
		     trailer.crc32c != spotless_crc32c(data, len)))
			status = STATUS_INTERNAL_ERROR;
	}
	free(data);
	free(out);
	return status;
}

static NTSTATUS step_echo_buffered(struct walk *w)
{
	return echo(w->a, IOCTL_SPOTLESS_ECHO_BUFFERED, 100, 100 + SPOTLESS_ECHO_TRAILER_LEN);
}

static NTSTATUS step_echo_out_direct(struct walk *w)
{
	/* A buffer larger than the answer: the driver maps part of it. */
	return echo(w->a, IOCTL_SPOTLESS_ECHO_OUT_DIRECT, 64 * 1024, 1024 * 1024);
}

static NTSTATUS step_echo_in_direct(struct walk *w)
{
	return echo(w->a, IOCTL_SPOTLESS_ECHO_IN_DIRECT, 8 * 1024, 0);
}

/* The first wait subscribes (an allocation) and stays pending. */
static NTSTATUS step_wait(struct walk *w)
{
	NTSTATUS status = ntm_device_io_control(w->a, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0,
						&w->event, sizeof(w->event), &w->wait);

	return status == STATUS_PENDING ? STATUS_SUCCESS : status;
}

static NTSTATUS step_post(struct walk *w)
{
	ULONG_PTR n;
	NTSTATUS status = request(w->b, IOCTL_SPOTLESS_POST, "walk", 4, NULL, 0, &n);

	/* B's open already ended A's wait with its event. */
	if (NT_SUCCESS(status) && (!ntm_io_wait(&w->wait, 1000) || w->wait.status))
		return STATUS_INTERNAL_ERROR;
	return status;
}

static NTSTATUS step_batch(struct walk *w)
{
	unsigned char in[512], out[512];
	struct spotless_batch_writer bw;
	ULONG_PTR n;
	size_t len;

	spotless_batch_begin(&bw, in, sizeof(in));
	spotless_batch_add(&bw, IOCTL_SPOTLESS, "hi", 2, SPOTLESS_CLIENT_BUFFER_SIZE);
	spotless_batch_add(&bw, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(struct spotless_info));
	len = spotless_batch_end(&bw);
	return request(w->b, IOCTL_SPOTLESS_BATCH, in, (ULONG)len, out, sizeof(out), &n);
}

static NTSTATUS step_info_stats(struct walk *w)
{
	struct spotless_info info;
	struct spotless_stats stats;
	ULONG_PTR n;
	NTSTATUS status = request(w->a, IOCTL_SPOTLESS_INFO, NULL, 0, &info, sizeof(info), &n);

	if (!NT_SUCCESS(status))
		return status;
	return request(w->a, IOCTL_SPOTLESS_STATS, NULL, 0, &stats, sizeof(stats), &n);
}

static NTSTATUS step_close(struct walk *w)
{
	ntm_close_handle(w->b);
	ntm_close_handle(w->a);
	return STATUS_SUCCESS;
}

static NTSTATUS step_stop(struct walk *w)
{
	(void)w;
	return ntm_driver_stop() == NTM_DRIVER_STOPPED ? STATUS_SUCCESS : STATUS_INTERNAL_ERROR;
}

static const struct {
	const char *name;
	NTSTATUS (*run)(struct walk *w);
} steps[] = {
	{ "load", step_load },
	{ "open", step_open_a },
	{ "message", step_message },
	{ "echo buffered", step_echo_buffered },
	{ "echo out_direct 64 KiB into 1 MiB", step_echo_out_direct },
	{ "echo in_direct 8 KiB", step_echo_in_direct },
	{ "first wait", step_wait },
	{ "second open", step_open_b },
	{ "post", step_post },
	{ "batch", step_batch },
	{ "info and stats", step_info_stats },
	{ "close", step_close },
	{ "unload", step_stop },
};

/*
 * The calls whose failure the driver survives by design, and the log line
 * that must say so: the DACL's read-back only logs what the device carries
 * (the DACL set stays in force).
 */
static const struct {
	const char *site, *logged;
} tolerated[] = {
	{ "ZwQuerySecurityObject", "device DACL not read back" },
};

static int tolerated_and_logged(const char *site)
{
	size_t i;

	for (i = 0; i < sizeof(tolerated) / sizeof(tolerated[0]); i++)
		if (!strcmp(site, tolerated[i].site))
			return ntm_log_count(tolerated[i].logged) > 0;
	return 0;
}

/* One walk with the k-th fallible call failing (k = 0: none). Returns the
 * problems; *fired says whether the k-th call was reached. */
static int walk_once(unsigned long k, const char **site)
{
	struct walk w = { 0 };
	unsigned int before = ntm_verifier_count();
	int problems = 0;
	size_t i;

	*site = NULL;
	ntm_log_mark();
	ntm_fault_arm(k);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		const char *was = ntm_fault_failed_site();
		NTSTATUS status = steps[i].run(&w);
		const char *now = ntm_fault_failed_site();
		int fired = !was && now;

		if (fired)
			*site = now;
		if (NT_SUCCESS(status)) {
			if (fired && tolerated_and_logged(now)) {
				printf("#   k=%lu: %s failed in \"%s\", which went on and logged it, "
				       "by design\n", k, now, steps[i].name);
			} else if (fired) {
				printf("#   k=%lu: %s failed in \"%s\", which still succeeded\n", k,
				       now, steps[i].name);
				problems++;
			}
			continue;
		}
		if (!fired) {
			printf("#   k=%lu: \"%s\" failed (0x%08x) with no fault injected\n", k,
			       steps[i].name, (unsigned int)status);
			problems++;
		} else if (i > 0 && status != STATUS_INSUFFICIENT_RESOURCES) {
			printf("#   k=%lu: %s failed, \"%s\" answered 0x%08x\n", k, now,
			       steps[i].name, (unsigned int)status);
			problems++;
		}
		ntm_fault_arm(0);
		status = steps[i].run(&w);
		if (!NT_SUCCESS(status)) {
			printf("#   k=%lu: \"%s\" still fails (0x%08x) after the fault\n", k,
			       steps[i].name, (unsigned int)status);
			return problems + 1;
		}
	}
	ntm_fault_arm(0);
	if (ntm_verifier_count() != before || ntm_pool_blocks() ||
	    ntm_driver_state() != NTM_DRIVER_STOPPED) {
		printf("#   k=%lu: rules broken %u, pool blocks %lu after the walk\n", k,
		       ntm_verifier_count() - before, ntm_pool_blocks());
		problems++;
	}
	return problems;
}

int low_resources_walk(struct low_resources_summary *summary)
{
	const char *site;
	unsigned long k;
	unsigned int i;
	int problems = walk_once(0, &site);

	memset(summary, 0, sizeof(*summary));
	for (k = 1; k < 10000; k++) {
		problems += walk_once(k, &site);
		if (!site)
			break;
		summary->points++;
		for (i = 0; i < summary->sites && strcmp(summary->site_names[i], site); i++)
			;
		if (i == summary->sites && i < 8)
			summary->site_names[summary->sites++] = site;
		if (i < 8)
			summary->by_site[i]++;
	}
	return problems;
}
