// SPDX-License-Identifier: MIT
/*
 * spotless.sys's own sources under the NT model: the protocol and event
 * cases shared with the real drivers, the sequences only Windows produces
 * (cleanup before close, deferred unload, kernel callers, access from the
 * security context), low resources, a seeded random run on several
 * threads, and the proof that each Verifier check of the model fires.
 *
 * Every case also fails when the model's Verifier saw a broken rule.
 *
 *   test_ntmodel [--seconds N] [--seed S]
 *
 * --seconds repeats the random run with new seeds for N seconds (make
 * verify-windows); the default is the short pass of make test.
 */
#define _GNU_SOURCE	/* memmem */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bad_driver.h"
#include "lib_backend.h"
#include "scenarios.h"

/* What protocol_cases.h needs to know: Windows' errors, all three methods. */
#define EXPECT_OS	SPOTLESS_OS_WINDOWS
#define E_TOO_SMALL	NTM_ERROR_INSUFFICIENT_BUFFER
#define E_TOO_LARGE	NTM_ERROR_INVALID_USER_BUFFER
#define E_INVALID	NTM_ERROR_INVALID_PARAMETER
static const enum spotless_echo_method echo_methods[] = {
	SPOTLESS_ECHO_BUFFERED, SPOTLESS_ECHO_IN_DIRECT, SPOTLESS_ECHO_OUT_DIRECT,
	SPOTLESS_ECHO_NEITHER,
};
#define N_ECHO_METHODS	4

#include "protocol_cases.h"
#include "event_cases.h"

#define RW	(GENERIC_READ | GENERIC_WRITE)

/* ---- Running a case under the model ------------------------------------------ */

static void (*model_case)(void);

/* The case, then: no rule broken, the driver running and answering. */
static void model_trampoline(void)
{
	unsigned int before = ntm_verifier_count();

	if (ntm_driver_state() == NTM_DRIVER_STOPPED)
		CHECK_EQ(ntm_driver_start(DriverEntry), STATUS_SUCCESS);
	model_case();
	if (ntm_driver_state() == NTM_DRIVER_STOPPED)
		CHECK_EQ(ntm_driver_start(DriverEntry), STATUS_SUCCESS);
	CHECK(exchange_ok());
	CHECK_EQ(ntm_verifier_count() - before, 0);
}

#define RUN_MODEL(test) (model_case = (test), check_run(#test, model_trampoline))
#define GENERAL_CALL_RUN RUN_MODEL
#include "general_call_cases.h"

static ntm_handle open_as(ACCESS_MASK access, NTSTATUS want)
{
	ntm_handle h = 0;

	CHECK_EQ(ntm_create_file(NTM_DEVICE_PATH, access, NTM_TOKEN_ADMIN, &h), want);
	return h;
}

/* One request waited for: its status, *info its byte count. */
static NTSTATUS request(ntm_handle h, ULONG code, const void *in, ULONG in_len, void *out,
			ULONG out_len, ULONG_PTR *info)
{
	struct ntm_io io;

	if (ntm_device_io_control(h, code, in, in_len, out, out_len, &io) == STATUS_PENDING)
		ntm_io_wait(&io, -1);
	if (info)
		*info = io.information;
	return io.status;
}

struct pending_wait {
	struct ntm_io io;
	struct spotless_event event;
};

static NTSTATUS start_wait(ntm_handle h, struct pending_wait *w)
{
	return ntm_device_io_control(h, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &w->event,
				     sizeof(w->event), &w->io);
}

static uint64_t open_handles(void)
{
	struct spotless_handle *dev = open_checked();
	uint64_t n = stats_of(dev).open_handles;

	spotless_close(dev);
	return n - 1;
}

/* ---- Handles and file objects -------------------------------------------------- */

/*
 * Windows: closing the last handle sends IRP_MJ_CLEANUP, which must end the
 * file's pending waits; IRP_MJ_CLOSE follows only once they completed.
 * (Wine sends no cleanup and closes with the waits still queued.)
 */
static void test_win_cleanup_then_close_with_waits_pending(void)
{
	ntm_handle h = open_as(RW, STATUS_SUCCESS);
	struct pending_wait a, b;

	CHECK_EQ(start_wait(h, &a), STATUS_PENDING);
	CHECK_EQ(start_wait(h, &b), STATUS_PENDING);
	ntm_log_mark();
	CHECK_EQ(ntm_close_handle(h), STATUS_SUCCESS);
	CHECK(ntm_io_wait(&a.io, 0) && ntm_io_wait(&b.io, 0));
	CHECK_EQ(a.io.status, STATUS_CANCELLED);
	CHECK_EQ(b.io.status, STATUS_CANCELLED);
	CHECK_EQ(ntm_log_count("event wait cancelled: its handle is closing"), 2);
	CHECK_EQ(ntm_log_count("handle cleaned up"), 1);
	CHECK_EQ(ntm_log_count("handle closed"), 1);
	CHECK_EQ(ntm_open_file_objects(), 0);
	CHECK_EQ(ntm_pending_irps(), 0);
	check_no_leak();
}

/* Two handles to one file object: cleanup only when the second goes. */
static void test_win_duplicate_handle_cleans_up_at_last_close(void)
{
	ntm_handle h = open_as(RW, STATUS_SUCCESS), copy = 0;
	struct pending_wait w;

	CHECK_EQ(ntm_duplicate_handle(h, &copy), STATUS_SUCCESS);
	CHECK_EQ(start_wait(h, &w), STATUS_PENDING);
	ntm_log_mark();
	ntm_close_handle(h);
	CHECK_EQ(ntm_log_count("handle cleaned up"), 0);
	CHECK(!ntm_io_wait(&w.io, 50));
	ntm_close_handle(copy);
	CHECK_EQ(ntm_log_count("handle cleaned up"), 1);
	CHECK(ntm_io_wait(&w.io, 0));
	CHECK_EQ(w.io.status, STATUS_CANCELLED);
	check_no_leak();
}

/*
 * A duplicated handle is the same file object, so the driver's per-handle
 * state is one (docs/windows.md): one handle number and one entry in the
 * device's count, counters that add up across both handles, and one event
 * queue, so a wait on either gets what the file object was sent.
 */
static void test_win_duplicated_handles_share_one_state(void)
{
	ntm_handle h = open_as(RW, STATUS_SUCCESS), copy = 0;
	struct spotless_stats a, b;
	struct pending_wait w;
	ULONG_PTR n = 0;

	CHECK_EQ(ntm_duplicate_handle(h, &copy), STATUS_SUCCESS);
	CHECK_EQ(request(h, IOCTL_SPOTLESS_STATS, NULL, 0, &a, sizeof(a), &n), STATUS_SUCCESS);
	CHECK_EQ(request(copy, IOCTL_SPOTLESS_STATS, NULL, 0, &b, sizeof(b), &n),
		 STATUS_SUCCESS);
	CHECK_EQ(a.handle_id, b.handle_id);
	CHECK_EQ(a.open_handles, b.open_handles);
	CHECK_EQ(b.handle.requests[SPOTLESS_STAT_STATS], a.handle.requests[SPOTLESS_STAT_STATS] + 1);
	CHECK_EQ(start_wait(copy, &w), STATUS_PENDING);
	CHECK_EQ(request(h, IOCTL_SPOTLESS_POST, "one", 3, NULL, 0, &n), STATUS_SUCCESS);
	CHECK(ntm_io_wait(&w.io, 1000));
	CHECK_EQ(w.io.status, STATUS_SUCCESS);
	ntm_close_handle(h);
	ntm_close_handle(copy);
	check_no_leak();
}

/* A thread that exits with a wait in flight: it is cancelled; others' stay. */
struct exiting_thread {
	ntm_handle h;
	struct pending_wait w;
	NTSTATUS started;
	unsigned int cancelled;
};

static void *wait_then_exit(void *arg)
{
	struct exiting_thread *t = arg;

	t->started = start_wait(t->h, &t->w);
	t->cancelled = ntm_thread_exit();
	return NULL;
}

static void test_win_thread_exit_cancels_its_requests(void)
{
	ntm_handle h = open_as(RW, STATUS_SUCCESS);
	struct exiting_thread t = { .h = h };
	struct pending_wait mine;
	pthread_t thread;
	ULONG_PTR n = 0;

	CHECK_EQ(start_wait(h, &mine), STATUS_PENDING);
	CHECK_EQ(pthread_create(&thread, NULL, wait_then_exit, &t), 0);
	pthread_join(thread, NULL);
	CHECK_EQ(t.started, STATUS_PENDING);
	CHECK_EQ(t.cancelled, 1);
	CHECK(ntm_io_wait(&t.w.io, 0));
	CHECK_EQ(t.w.io.status, STATUS_CANCELLED);
	CHECK(!ntm_io_wait(&mine.io, 0));
	CHECK_EQ(request(h, IOCTL_SPOTLESS_POST, "after", 5, NULL, 0, &n), STATUS_SUCCESS);
	CHECK(ntm_io_wait(&mine.io, 1000));
	CHECK_EQ(mine.io.status, STATUS_SUCCESS);
	ntm_close_handle(h);
	check_no_leak();
}

/*
 * Windows defers DriverUnload while a file object is open: a stop with a
 * wait pending leaves the wait pending (nothing cancels it), new opens fail
 * with STATUS_NO_SUCH_DEVICE, and the unload runs when the last handle goes.
 * Under Wine, DriverUnload runs at once and cancels the wait: the Wine test
 * of that is Wine's behaviour only.
 */
static void test_win_stop_with_handles_open_is_deferred(void)
{
	ntm_handle h = open_as(RW, STATUS_SUCCESS);
	struct pending_wait w;
	struct spotless_info info;
	ULONG_PTR n;

	CHECK_EQ(start_wait(h, &w), STATUS_PENDING);
	ntm_log_mark();
	CHECK_EQ(ntm_driver_stop(), NTM_DRIVER_UNLOAD_PENDING);
	CHECK_EQ(ntm_log_count("driver unloaded"), 0);
	CHECK(!ntm_io_wait(&w.io, 100));
	open_as(RW, STATUS_NO_SUCH_DEVICE);
	/* The handle opened before still reaches the driver. */
	CHECK_EQ(request(h, IOCTL_SPOTLESS_INFO, NULL, 0, &info, sizeof(info), &n),
		 STATUS_SUCCESS);
	CHECK_EQ(ntm_close_handle(h), STATUS_SUCCESS);
	CHECK(ntm_io_wait(&w.io, 0));
	CHECK_EQ(w.io.status, STATUS_CANCELLED);
	CHECK_EQ(ntm_log_count("driver unloaded"), 1);
	CHECK_EQ(ntm_driver_state(), NTM_DRIVER_STOPPED);
	CHECK_EQ(ntm_pool_blocks(), 0);
}

static void test_win_stop_when_idle_unloads_at_once(void)
{
	ntm_log_mark();
	CHECK_EQ(ntm_driver_stop(), NTM_DRIVER_STOPPED);
	CHECK_EQ(ntm_log_count("symbolic link \\??\\SpotlessDeviceLink deleted"), 1);
	CHECK_EQ(ntm_log_count("driver unloaded"), 1);
	CHECK_EQ(ntm_pool_blocks(), 0);
	open_as(RW, STATUS_OBJECT_NAME_NOT_FOUND);
}

/* A kernel-mode caller's IRP carries no file object: refused, not a crash. */
static void test_win_kernel_caller_without_file_object(void)
{
	struct spotless_info info;
	ULONG_PTR n = 1;

	CHECK_EQ(ntm_kernel_device_control(IOCTL_SPOTLESS_INFO, NULL, 0, &info, sizeof(info),
					   &n), STATUS_INVALID_DEVICE_REQUEST);
	CHECK_EQ(n, 0);
	CHECK_EQ(ntm_kernel_create_without_file(), STATUS_INVALID_PARAMETER);
	CHECK_EQ(open_handles(), 0);
}

/* ---- Access: the token, the DACL and the handle's granted rights ------------- */

static void check_access(ntm_handle h, ULONG code, NTSTATUS want)
{
	unsigned char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "x";
	unsigned char out[sizeof(struct spotless_stats)];
	ULONG in_len = code == IOCTL_SPOTLESS || code == IOCTL_SPOTLESS_POST ? 2 : 0;
	struct ntm_io io;
	NTSTATUS status = ntm_device_io_control(h, code, in, in_len, out, sizeof(out), &io);

	if (status == STATUS_PENDING) {
		ntm_cancel_io(h, &io);
		ntm_io_wait(&io, -1);
		status = io.status == STATUS_CANCELLED ? STATUS_PENDING : io.status;
	}
	if (status != want)
		printf("#   code 0x%08x: status 0x%08x, want 0x%08x\n", code,
		       (unsigned int)status, (unsigned int)want);
	CHECK_EQ(status, want);
}

/*
 * A handle's rights, from the security context: the I/O manager refuses a
 * code whose access field asks for more, before the driver. A read-only
 * handle; FILE_WRITE_DATA alone (the read codes refused, WAIT_EVENT too).
 */
static void test_win_read_only_and_write_only_handle_rights(void)
{
	static const struct {
		ACCESS_MASK access;
		ULONG code;
		NTSTATUS want;
	} cases[] = {
		{ GENERIC_READ, IOCTL_SPOTLESS_INFO, STATUS_SUCCESS },
		{ GENERIC_READ, IOCTL_SPOTLESS_STATS, STATUS_SUCCESS },
		{ GENERIC_READ, IOCTL_SPOTLESS, STATUS_ACCESS_DENIED },
		{ GENERIC_READ, IOCTL_SPOTLESS_POST, STATUS_ACCESS_DENIED },
		{ GENERIC_READ, IOCTL_SPOTLESS_BATCH, STATUS_ACCESS_DENIED },
		{ GENERIC_READ, IOCTL_SPOTLESS_WAIT_EVENT, STATUS_PENDING },
		{ FILE_WRITE_DATA, IOCTL_SPOTLESS, STATUS_SUCCESS },
		{ FILE_WRITE_DATA, IOCTL_SPOTLESS_POST, STATUS_SUCCESS },
		{ FILE_WRITE_DATA, IOCTL_SPOTLESS_STATS, STATUS_ACCESS_DENIED },
		{ FILE_WRITE_DATA, IOCTL_SPOTLESS_WAIT_EVENT, STATUS_ACCESS_DENIED },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ntm_handle h = open_as(cases[i].access, STATUS_SUCCESS);

		check_access(h, cases[i].code, cases[i].want);
		ntm_close_handle(h);
	}
}

/* The DACL admits SYSTEM and Administrators only, and is protected. */
static void test_win_dacl_refuses_users_and_is_protected(void)
{
	ntm_handle h = 0;
	char sddl[128];

	CHECK_EQ(ntm_create_file(NTM_DEVICE_PATH, GENERIC_READ, NTM_TOKEN_USER, &h),
		 STATUS_ACCESS_DENIED);
	ntm_device_sddl(sddl, sizeof(sddl));
	printf("#   device DACL: %s\n", sddl);
	CHECK(!strcmp(sddl, "D:P(A;;FA;;;SY)(A;;FA;;;BA)"));
}

/* A name below the device (\\.\SpotlessDeviceLink\foo) is not a file of ours. */
static void test_win_open_with_file_name_refused(void)
{
	ntm_handle h = 0;

	CHECK_EQ(ntm_create_file("\\\\.\\SpotlessDeviceLink\\foo", RW, NTM_TOKEN_ADMIN, &h),
		 STATUS_OBJECT_NAME_NOT_FOUND);
	/* A user is stopped by the DACL first (FILE_DEVICE_SECURE_OPEN). */
	CHECK_EQ(ntm_create_file("\\\\.\\SpotlessDeviceLink\\foo", RW, NTM_TOKEN_USER, &h),
		 STATUS_ACCESS_DENIED);
	CHECK_EQ(open_handles(), 0);
}

/* ---- Direct I/O ------------------------------------------------------------------ */

static void test_win_in_direct_mapped_read_only(void)
{
	struct spotless_handle *dev = open_checked();
	unsigned char data[300], out[300 + TRAILER_ROOM];
	uint32_t crc;

	memset(data, 7, sizeof(data));
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_IN_DIRECT, data, sizeof(data), NULL, 0,
			       &crc), 0);
	CHECK_EQ(ntm_last_mapping_priority() & (MdlMappingNoWrite | MdlMappingNoExecute),
		 MdlMappingNoWrite | MdlMappingNoExecute);
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_OUT_DIRECT, data, sizeof(data), out,
			       sizeof(out), &crc), 0);
	CHECK_EQ(ntm_last_mapping_priority() & (MdlMappingNoWrite | MdlMappingNoExecute),
		 MdlMappingNoExecute);
	spotless_close(dev);
}

/*
 * The caller's output pages are mapped only as far as the answer reaches: a
 * 64-byte OUT_DIRECT echo into a 96 MiB buffer maps 72 bytes (through a
 * partial MDL, freed before completion), where mapping the whole MDL took
 * 96 MiB of system space and failed above the model's 64 MiB; a BATCH maps
 * at most its 64 KiB limit.
 */
static void test_win_direct_output_mapped_as_far_as_the_answer(void)
{
	size_t big = 96ul << 20;
	unsigned char *out = mmap(NULL, big, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned char data[64], in[512];
	struct spotless_batch_writer bw;
	ntm_handle h = open_as(RW, STATUS_SUCCESS);
	ULONG_PTR n = 0;
	size_t len, mapped;

	CHECK(out != MAP_FAILED);
	memset(data, 0x42, sizeof(data));
	ntm_largest_mapping();
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_OUT_DIRECT, data, sizeof(data), out,
			 (ULONG)big, &n), STATUS_SUCCESS);
	CHECK_EQ(n, sizeof(data) + TRAILER_ROOM);
	CHECK(!memcmp(out, data, sizeof(data)));
	mapped = ntm_largest_mapping();
	printf("# a 64-byte OUT_DIRECT echo into %zu MiB mapped %zu bytes\n", big >> 20, mapped);
	CHECK_EQ(mapped, sizeof(data) + TRAILER_ROOM);

	spotless_batch_begin(&bw, in, sizeof(in));
	spotless_batch_add(&bw, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(struct spotless_info));
	len = spotless_batch_end(&bw);
	CHECK_EQ(request(h, IOCTL_SPOTLESS_BATCH, in, (ULONG)len, out, (ULONG)big, &n),
		 STATUS_SUCCESS);
	CHECK(n > 0 && n <= SPOTLESS_BATCH_MAX_BYTES);
	mapped = ntm_largest_mapping();
	printf("# a BATCH into %zu MiB mapped %zu bytes\n", big >> 20, mapped);
	CHECK_EQ(mapped, SPOTLESS_BATCH_MAX_BYTES);
	CHECK_EQ(ntm_driver_mdls(), 0);
	ntm_close_handle(h);
	munmap(out, big);
}

/*
 * A 2 GiB IN_DIRECT ECHO. The I/O manager probes and locks the caller's
 * pages before the driver sees an IRP (MmProbeAndLockPages touches each):
 * 2 GiB reserved but not readable fails there with STATUS_ACCESS_VIOLATION.
 * 2 GiB of readable pages passes the model's probe, and the driver refuses
 * it for its size before mapping any of it. Whether a real Windows can lock
 * 2 GiB for one call depends on its memory and the process's working-set
 * quota (MmProbeAndLockPages raises when it cannot): not known here, so the
 * second case asserts the driver's answer once the pages are locked.
 */
static void test_win_in_direct_2gib(void)
{
	size_t len = 2ul << 30;
	struct spotless_echo_trailer trailer = { 0, 0 };
	ntm_handle h = open_as(RW, STATUS_SUCCESS);
	ULONG_PTR n = 1;
	void *huge;

	huge = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(huge != MAP_FAILED);
	ntm_log_mark();
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, &trailer, sizeof(trailer), huge,
			 (ULONG)len, &n), STATUS_ACCESS_VIOLATION);
	CHECK_EQ(n, 0);
	CHECK_EQ(ntm_log_count("issued"), 0);	/* no IRP reached the driver */
	munmap(huge, len);

	huge = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CHECK(huge != MAP_FAILED);
	n = 1;
	ntm_largest_mapping();
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, &trailer, sizeof(trailer), huge,
			 (ULONG)len, &n), STATUS_INVALID_BUFFER_SIZE);
	CHECK_EQ(n, 0);
	CHECK_EQ(ntm_largest_mapping(), 0);
	munmap(huge, len);
	ntm_close_handle(h);
}

/*
 * Requestor mode. A user-mode caller that passes kernel memory (the model's
 * ntm_kernel_memory) is refused: as METHOD_NEITHER input or output by the
 * driver's own probe, with STATUS_ACCESS_VIOLATION and nothing of the
 * kernel's bytes in the answer or changed; in a buffered or direct request
 * by the I/O manager's probe, before any IRP. (tests/ntmodel/mutants.sh
 * builds the driver passing KernelMode instead of the IRP's requestor mode,
 * so that nothing is probed: this case then fails.)
 */
static void test_win_user_caller_cannot_reach_kernel_memory(void)
{
	size_t klen;
	unsigned char *kmem = ntm_kernel_memory(&klen), *before = malloc(klen);
	unsigned char data[64], out[256 + TRAILER_ROOM];
	void *above = (void *)(ULONG_PTR)0xFFFF800000001000ull;
	ntm_handle h = open_as(RW, STATUS_SUCCESS);
	ULONG_PTR n = 1;

	CHECK(before != NULL);
	memcpy(before, kmem, klen);
	memset(data, 0x61, sizeof(data));
	memset(out, 0, sizeof(out));
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_NEITHER, kmem, 256, out, sizeof(out), &n),
		 STATUS_ACCESS_VIOLATION);
	CHECK_EQ(n, 0);
	CHECK(!memmem(out, sizeof(out), "kernel memory", 13));
	n = 1;
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_NEITHER, data, sizeof(data), kmem,
			 sizeof(data) + TRAILER_ROOM, &n), STATUS_ACCESS_VIOLATION);
	CHECK_EQ(n, 0);
	CHECK(!memcmp(kmem, before, klen));

	ntm_log_mark();
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_BUFFERED, kmem, 64, out, sizeof(out), &n),
		 STATUS_ACCESS_VIOLATION);
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_OUT_DIRECT, data, sizeof(data), kmem,
			 sizeof(data) + TRAILER_ROOM, &n), STATUS_ACCESS_VIOLATION);
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_BUFFERED, above, 64, out, sizeof(out), &n),
		 STATUS_ACCESS_VIOLATION);
	CHECK_EQ(ntm_log_count("issued"), 0);
	CHECK(!memcmp(kmem, before, klen));
	ntm_close_handle(h);
	free(before);
}

/*
 * METHOD_NEITHER hands the driver raw addresses: an input or an output the
 * model declares invalid fails the request with STATUS_ACCESS_VIOLATION and
 * 0 bytes, nothing written to the output, and the handle answers after.
 */
/*
 * Pool a caller causes is charged to it (the model's POOL_NOT_CHARGED rule
 * holds through every case), by ExAllocatePool2 where the kernel has it, and
 * by ExAllocatePoolWithQuotaTag, failing instead of raising, where it does
 * not (Windows before 10 2004, and Wine); both ways the driver answers a
 * METHOD_NEITHER echo above 256 bytes, whose copy is that pool, and an
 * event wait, whose queue is.
 */
static void check_pool_way(int pool2)
{
	/* Above the driver's 256 bytes on the stack: the copy is pool. */
	unsigned char data[1024], out[1024 + TRAILER_ROOM];
	unsigned long by_pool2 = ntm_pool2_calls(), by_quota = ntm_pool_quota_calls();
	ntm_handle h;
	ULONG_PTR n = 0;

	CHECK_EQ(ntm_driver_stop(), NTM_DRIVER_STOPPED);
	ntm_set_pool2(pool2);
	CHECK_EQ(ntm_driver_start(DriverEntry), STATUS_SUCCESS);
	h = open_as(RW, STATUS_SUCCESS);
	memset(data, 0x5A, sizeof(data));
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_NEITHER, data, sizeof(data), out, sizeof(out),
			 &n), STATUS_SUCCESS);
	CHECK_EQ(n, sizeof(out));
	CHECK(!memcmp(out, data, sizeof(data)));
	ntm_close_handle(h);
	if (pool2) {
		CHECK(ntm_pool2_calls() >= by_pool2 + 2);	/* handle, the copy */
		CHECK_EQ(ntm_pool_quota_calls(), by_quota);
	} else {
		CHECK(ntm_pool_quota_calls() >= by_quota + 2);
		CHECK_EQ(ntm_pool2_calls(), by_pool2);
	}
	CHECK_EQ(ntm_driver_stop(), NTM_DRIVER_STOPPED);
	ntm_set_pool2(1);
}

static void test_win_pool_charged_by_exallocatepool2(void) { check_pool_way(1); }
static void test_win_pool_charged_without_exallocatepool2(void) { check_pool_way(0); }

static void test_win_neither_invalid_addresses_refused(void)
{
	unsigned char data[64], out[64 + TRAILER_ROOM];
	void *invalid = (void *)NTM_INVALID_BASE;
	ntm_handle h = open_as(RW, STATUS_SUCCESS);
	ULONG_PTR n = 1;

	memset(data, 0x3C, sizeof(data));
	memset(out, 0xEE, sizeof(out));
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_NEITHER, invalid, sizeof(data), out,
			 sizeof(out), &n), STATUS_ACCESS_VIOLATION);
	CHECK_EQ(n, 0);
	CHECK(out[0] == 0xEE && out[sizeof(out) - 1] == 0xEE);
	n = 1;
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_NEITHER, data, sizeof(data), invalid,
			 sizeof(out), &n), STATUS_ACCESS_VIOLATION);
	CHECK_EQ(n, 0);
	/* The end of the input runs into the invalid range. */
	n = 1;
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_NEITHER, (char *)invalid - 16, 64, out,
			 sizeof(out), &n), STATUS_ACCESS_VIOLATION);
	CHECK_EQ(n, 0);
	CHECK_EQ(request(h, IOCTL_SPOTLESS_ECHO_NEITHER, data, sizeof(data), out,
			 sizeof(out), &n), STATUS_SUCCESS);
	CHECK_EQ(n, sizeof(data) + TRAILER_ROOM);
	CHECK(!memcmp(out, data, sizeof(data)));
	ntm_close_handle(h);
}

/* ---- Events, per handle ----------------------------------------------------------- */

/* One POST completes the oldest wait of every waiting handle, and only it. */
static void test_win_event_completes_oldest_wait_of_each_handle(void)
{
	enum { HANDLES = 16 };
	ntm_handle h[HANDLES], poster = open_as(RW, STATUS_SUCCESS);
	struct pending_wait first[HANDLES], second[HANDLES];
	int i, ok = 1;

	/* Every handle is open before any subscribes: no open event is queued. */
	for (i = 0; i < HANDLES; i++)
		h[i] = open_as(RW, STATUS_SUCCESS);
	for (i = 0; i < HANDLES && ok; i++) {
		NTSTATUS a = start_wait(h[i], &first[i]), b = start_wait(h[i], &second[i]);

		ok = a == STATUS_PENDING && b == STATUS_PENDING;
		if (!ok)
			printf("#   handle %d: waits answered 0x%08x, 0x%08x\n", i,
			       (unsigned int)a, (unsigned int)b);
	}
	CHECK(ok);
	CHECK_EQ(request(poster, IOCTL_SPOTLESS_POST, "hello", 5, NULL, 0, NULL),
		 STATUS_SUCCESS);
	for (i = 0; i < HANDLES; i++) {
		int done = ntm_io_wait(&first[i].io, 1000);

		if (!done || first[i].io.status != STATUS_SUCCESS ||
		    first[i].event.kind != SPOTLESS_EVENT_POSTED || ntm_io_wait(&second[i].io, 0)) {
			printf("#   handle %d: first done %d status 0x%08x kind %u, second done %d\n",
			       i, done, (unsigned int)first[i].io.status, first[i].event.kind,
			       ntm_io_wait(&second[i].io, 0));
			ok = 0;
		}
	}
	CHECK(ok);
	/* Closing h[0] reaches the others' second waits; its own is cancelled. */
	for (i = 0; i < HANDLES; i++)
		ntm_close_handle(h[i]);
	ok &= ntm_io_wait(&second[0].io, 0) && second[0].io.status == STATUS_CANCELLED;
	for (i = 1; i < HANDLES; i++)
		ok &= ntm_io_wait(&second[i].io, 0) && second[i].io.status == STATUS_SUCCESS &&
		      second[i].event.kind == SPOTLESS_EVENT_HANDLE_CLOSED;
	CHECK(ok);
	ntm_close_handle(poster);
	check_no_leak();
}

struct race {
	ntm_handle poster;
	volatile int stop;
	unsigned long posts;
};

static void *race_poster(void *arg)
{
	struct race *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		request(r->poster, IOCTL_SPOTLESS_POST, "race", 4, NULL, 0, NULL);
		r->posts++;
	}
	return NULL;
}

/*
 * Cancel racing POST and cleanup: waits on a handle are started, cancelled
 * and closed away while another thread posts. Each wait ends exactly once,
 * with an event or cancelled, and nothing is left.
 */
static void test_win_cancel_racing_post_and_cleanup(void)
{
	struct race r = { .poster = open_as(RW, STATUS_SUCCESS) };
	pthread_t poster;
	int round, bad = 0;

	pthread_create(&poster, NULL, race_poster, &r);
	for (round = 0; round < 300; round++) {
		ntm_handle h = open_as(RW, STATUS_SUCCESS);
		struct pending_wait w[3];
		int i;

		for (i = 0; i < 3; i++)
			start_wait(h, &w[i]);
		if (round % 3 == 0)
			ntm_cancel_io(h, &w[1].io);
		if (round % 3 == 1)
			ntm_cancel_io(h, NULL);
		ntm_close_handle(h);
		for (i = 0; i < 3; i++) {
			if (!ntm_io_wait(&w[i].io, 5000))
				bad++;
			else if (w[i].io.status != STATUS_SUCCESS &&
				 w[i].io.status != STATUS_CANCELLED)
				bad++;
		}
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELAXED);
	pthread_join(poster, NULL);
	printf("#   300 rounds against %lu posts\n", r.posts);
	CHECK_EQ(bad, 0);
	ntm_close_handle(r.poster);
	CHECK_EQ(ntm_pending_irps(), 0);
	check_no_leak();
}

/* ---- Low resources and the random run -------------------------------------------- */

static struct low_resources_summary low_resources;

static void test_low_resources_every_fallible_call(void)
{
	unsigned int i;

	CHECK_EQ(ntm_driver_stop(), NTM_DRIVER_STOPPED);
	CHECK_EQ(low_resources_walk(&low_resources), 0);
	printf("#   %lu fault points failed one by one:", low_resources.points);
	for (i = 0; i < low_resources.sites; i++)
		printf(" %s x%lu", low_resources.site_names[i], low_resources.by_site[i]);
	printf("\n");
	CHECK(low_resources.points > 0);
}

static unsigned long random_seconds, random_seed = 1, random_steps, random_seeds_run;

static void test_random_interleaving_4_threads(void)
{
	time_t end = time(NULL) + (time_t)random_seconds;
	unsigned long seed = random_seed, steps;

	do {
		CHECK_EQ(random_run((unsigned int)seed, 4, 2500, &steps), 0);
		random_steps += steps;
		random_seeds_run++;
		seed++;
	} while (time(NULL) < end || random_seeds_run < 2);
	printf("#   seeds %lu..%lu, %lu steps on 4 threads\n", random_seed, seed - 1,
	       random_steps);
}

/* ---- Verifier's checks fire -------------------------------------------------------- */

/* Load the bad driver, send one code, and see its rule reported. */
static void expect_rule(enum bad_case which, enum ntm_rule rule)
{
	ntm_handle h = 0;
	struct ntm_io io;
	unsigned char out[16];
	unsigned int before = ntm_verifier_count_of(rule);

	CHECK_EQ(ntm_create_file(BAD_DEVICE_PATH, RW, NTM_TOKEN_ADMIN, &h), STATUS_SUCCESS);
	ntm_device_io_control(h, which >= BAD_PARTIAL_OUTSIDE_SOURCE ? BAD_DIRECT_CODE(which)
								     : BAD_CODE(which),
			      NULL, 0, out, sizeof(out), &io);
	if (which == BAD_NEITHER)
		request(h, BAD_CODE(BAD_FINISH_PARKED), NULL, 0, NULL, 0, NULL);
	if (which == BAD_CANCEL_KEEPS_LOCK)
		ntm_cancel_io(h, &io);
	ntm_close_handle(h);
	if (rule == NTM_POOL_LEAKED_AT_UNLOAD) {
		ntm_driver_stop();
		ntm_driver_start(bad_driver_entry);
	}
	if (ntm_verifier_count_of(rule) == before)
		printf("#   %s was not reported\n", ntm_rule_name(rule));
	CHECK(ntm_verifier_count_of(rule) > before);
}

static const struct {
	enum bad_case which;
	enum ntm_rule rule;
} bad_cases[] = {
	{ BAD_COMPLETE_TWICE, NTM_IRP_COMPLETED_TWICE },
	{ BAD_PENDING_WITHOUT_MARK, NTM_PENDING_WITHOUT_MARK },
	{ BAD_MARKED_NOT_PENDING, NTM_MARKED_BUT_NOT_PENDING },
	{ BAD_CANCEL_ROUTINE_LEFT, NTM_IRP_COMPLETED_WITH_CANCEL_ROUTINE },
	{ BAD_COMPLETE_AT_HIGH_IRQL, NTM_COMPLETE_AT_HIGH_IRQL },
	{ BAD_POOL_AT_HIGH_IRQL, NTM_POOL_AT_HIGH_IRQL },
	{ BAD_SPINLOCK_WRONG_IRQL, NTM_SPINLOCK_RELEASED_AT_WRONG_IRQL },
	{ BAD_SPINLOCK_NOT_OWNED, NTM_SPINLOCK_NOT_OWNED },
	{ BAD_RETURN_WITH_LOCK, NTM_RETURN_WITH_SPINLOCK_HELD },
	{ BAD_IRQL_NOT_RESTORED, NTM_IRQL_NOT_RESTORED },
	{ BAD_FREE_WRONG_TAG, NTM_POOL_FREED_WITH_WRONG_TAG },
	{ BAD_FREE_TWICE, NTM_POOL_FREED_TWICE },
	{ BAD_POOL_EXECUTABLE, NTM_POOL_EXECUTABLE },
	{ BAD_POOL_LEAK, NTM_POOL_LEAKED_AT_UNLOAD },
	{ BAD_INFORMATION_TOO_LARGE, NTM_INFORMATION_ABOVE_OUTPUT_LENGTH },
	{ BAD_POOL_NOT_CHARGED, NTM_POOL_NOT_CHARGED },
	{ BAD_QUOTA_RAISES, NTM_POOL_QUOTA_RAISES },
	{ BAD_STATUS_MISMATCH, NTM_DISPATCH_STATUS_MISMATCH },
	{ BAD_NEITHER, NTM_DISPATCH_NEITHER_COMPLETED_NOR_PENDING },
	{ BAD_UNICODE_AT_DISPATCH, NTM_UNICODE_FORMAT_ABOVE_PASSIVE },
	{ BAD_PASSIVE_CALL_RAISED, NTM_PASSIVE_CALL_AT_RAISED_IRQL },
	{ BAD_CANCEL_KEEPS_LOCK, NTM_CANCEL_LOCK_HELD_AFTER_CANCEL_ROUTINE },
#if !defined(__SANITIZE_THREAD__)
	/* ThreadSanitizer reports the inversion too, as its own failure. */
	{ BAD_LOCK_ORDER, NTM_LOCK_ORDER_INVERTED },
#endif
	{ BAD_PARTIAL_OUTSIDE_SOURCE, NTM_PARTIAL_MDL_OUTSIDE_SOURCE },
	{ BAD_PARTIAL_FREED_MAPPED, NTM_PARTIAL_MDL_FREED_MAPPED },
	{ BAD_PARTIAL_OUTLIVES_IRP, NTM_PARTIAL_MDL_OUTLIVES_IRP },
};

static void test_verifier_checks_fire(void)
{
	size_t i;

	CHECK_EQ(ntm_driver_stop(), NTM_DRIVER_STOPPED);
	printf("#   the bad driver breaks each rule on purpose: the verifier lines below are wanted\n");
	CHECK_EQ(ntm_driver_start(bad_driver_entry), STATUS_SUCCESS);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		expect_rule(bad_cases[i].which, bad_cases[i].rule);
	CHECK_EQ(ntm_driver_stop(), NTM_DRIVER_STOPPED);

	bad_driver_unload_mode(BAD_UNLOAD_DEVICE_FIRST);
	ntm_driver_start(bad_driver_entry);
	ntm_driver_stop();
	CHECK(ntm_verifier_count_of(NTM_DEVICE_DELETED_BEFORE_LINK) > 0);
	bad_driver_unload_mode(BAD_UNLOAD_KEEP_LINK);
	ntm_driver_start(bad_driver_entry);
	ntm_driver_stop();
	CHECK(ntm_verifier_count_of(NTM_OBJECT_LEFT_AT_UNLOAD) > 0);
	bad_driver_unload_mode(BAD_UNLOAD_CLEAN);
	ntm_verifier_reset();
}

#if defined(__SANITIZE_ADDRESS__)
/* The IRP is freed at completion: AddressSanitizer names a later touch. */
static void test_verifier_touch_after_completion_seen_by_asan(void)
{
	int fds[2], status = 0;
	char report[4096] = "";
	size_t len;
	ssize_t n;
	pid_t pid;

	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		ntm_handle h = 0;
		struct ntm_io io;

		dup2(fds[1], 2);
		ntm_driver_stop();
		ntm_driver_start(bad_driver_entry);
		ntm_create_file(BAD_DEVICE_PATH, RW, NTM_TOKEN_ADMIN, &h);
		ntm_device_io_control(h, BAD_CODE(BAD_TOUCH_AFTER_COMPLETE), NULL, 0, NULL, 0, &io);
		_exit(0);
	}
	close(fds[1]);
	len = 0;
	while (len < sizeof(report) - 1 &&
	       (n = read(fds[0], report + len, sizeof(report) - 1 - len)) > 0)
		len += (size_t)n;
	report[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	CHECK(strstr(report, "heap-use-after-free") != NULL);
	if (!strstr(report, "heap-use-after-free"))
		printf("#   the child said: %.300s\n", report);
}
#endif

/* ---- Main ------------------------------------------------------------------------------ */

static void print_rules(void)
{
	int i;

	printf("# rules checked (times checked, Microsoft page):\n");
	for (i = 0; i < NTM_RULE_COUNT; i++)
		printf("#   %-40s %9lu  %s\n", ntm_rule_name(i), ntm_rule_checked(i),
		       ntm_rule_source(i));
}

int main(int argc, char **argv)
{
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--seconds"))
			random_seconds = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "--seed"))
			random_seed = strtoul(argv[i + 1], NULL, 10);
	}
	if (i != argc) {
		fprintf(stderr, "usage: %s [--seconds N] [--seed S]\n", argv[0]);
		return 2;
	}

	RUN_MODEL(test_info_v1);
	RUN_MODEL(test_library_refuses_a_length_without_a_buffer);
	RUN_ECHO_SIZE_CASES(RUN_MODEL);
	RUN_MODEL(test_echo_above_limit_refused);
	RUN_MODEL(test_echo_output_one_short_refused);
	RUN_MODEL(test_batch_records_fail_alone);
	RUN_MODEL(test_batch_limits);
	RUN_MODEL(test_stats_fresh_handle);
	RUN_MODEL(test_stats_after_known_sequence);
	RUN_MODEL(test_stats_many_handles);
	RUN_MODEL(test_events_posts_arrive_in_order);
	RUN_MODEL(test_events_open_and_close);
	RUN_MODEL(test_events_wait_times_out_then_delivers);
	RUN_MODEL(test_events_wait_in_two_steps);
	RUN_MODEL(test_events_overflow_reports_loss);
	RUN_MODEL(test_events_bad_posts_refused);
	RUN_MODEL(test_events_1000_wait_cancel_cycles);
	run_general_call_cases();

	RUN_MODEL(test_win_cleanup_then_close_with_waits_pending);
	RUN_MODEL(test_win_duplicate_handle_cleans_up_at_last_close);
	RUN_MODEL(test_win_duplicated_handles_share_one_state);
	RUN_MODEL(test_win_thread_exit_cancels_its_requests);
	RUN_MODEL(test_win_stop_with_handles_open_is_deferred);
	RUN_MODEL(test_win_stop_when_idle_unloads_at_once);
	RUN_MODEL(test_win_kernel_caller_without_file_object);
	RUN_MODEL(test_win_read_only_and_write_only_handle_rights);
	RUN_MODEL(test_win_dacl_refuses_users_and_is_protected);
	RUN_MODEL(test_win_open_with_file_name_refused);
	RUN_MODEL(test_win_in_direct_mapped_read_only);
	RUN_MODEL(test_win_in_direct_2gib);
	RUN_MODEL(test_win_user_caller_cannot_reach_kernel_memory);
	RUN_MODEL(test_win_direct_output_mapped_as_far_as_the_answer);
	RUN_MODEL(test_win_neither_invalid_addresses_refused);
	RUN_MODEL(test_win_pool_charged_by_exallocatepool2);
	RUN_MODEL(test_win_pool_charged_without_exallocatepool2);
	RUN_MODEL(test_win_event_completes_oldest_wait_of_each_handle);
	RUN_MODEL(test_win_cancel_racing_post_and_cleanup);
	RUN_MODEL(test_low_resources_every_fallible_call);
	RUN_MODEL(test_random_interleaving_4_threads);

	if (ntm_driver_state() == NTM_DRIVER_RUNNING)
		ntm_driver_stop();
	RUN_TEST(test_verifier_checks_fire);
#if defined(__SANITIZE_ADDRESS__)
	RUN_TEST(test_verifier_touch_after_completion_seen_by_asan);
#endif
	print_rules();
	printf("# random run: %lu seeds from %lu, %lu steps; low resources: %lu points\n",
	       random_seeds_run, random_seed, random_steps, low_resources.points);
	return check_summary("NT model");
}
