// SPDX-License-Identifier: MIT
/*
 * End-to-end tests against the loaded spotless.sys (run under Wine by
 * tests/run.sh, or on a Windows test machine as Administrator). The driver
 * must be installed and running when this starts; it is running at the end.
 */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "edges.h"
#include "driver_checks.h"
#include "spotless.h"

/* What protocol_cases.h needs to know about this OS. */
#define EXPECT_OS	SPOTLESS_OS_WINDOWS
#define E_TOO_SMALL	ERROR_INSUFFICIENT_BUFFER	/* STATUS_BUFFER_TOO_SMALL */
#define E_TOO_LARGE	ERROR_INVALID_USER_BUFFER	/* STATUS_INVALID_BUFFER_SIZE */
#define E_INVALID	ERROR_INVALID_PARAMETER
static const enum spotless_echo_method echo_methods[] = {
	SPOTLESS_ECHO_BUFFERED, SPOTLESS_ECHO_IN_DIRECT, SPOTLESS_ECHO_OUT_DIRECT,
	SPOTLESS_ECHO_NEITHER,
};
#define N_ECHO_METHODS	4

#include "protocol_cases.h"
#include "general_call_cases.h"
#define QUEUE_SLEEP_MS(ms)	Sleep(ms)
#define QUEUE_UNAVAILABLE_1	ERROR_NOT_SUPPORTED	/* never, on Windows */
#define QUEUE_UNAVAILABLE_2	ERROR_NOT_SUPPORTED
#include "queue_cases.h"
#include "event_cases.h"

static HANDLE open_device(DWORD access)
{
	return CreateFileW(SPOTLESS_WIN32_PATH_W, access, 0, NULL, OPEN_EXISTING,
			   FILE_ATTRIBUTE_NORMAL, NULL);
}

/*
 * One DeviceIoControl; returns 0 or the Win32 error, *returned the count.
 * The count starts at 0: on failure it must stay 0 (nothing reported back).
 */
static DWORD ioctl_raw(HANDLE h, DWORD code, const void *in, DWORD in_len,
		       void *out, DWORD out_len, DWORD *returned)
{
	*returned = 0;
	if (DeviceIoControl(h, code, (void *)in, in_len, out, out_len, returned, NULL))
		return 0;
	return GetLastError();
}

/* ---- The tutorial exchange -------------------------------------------- */

static void test_tutorial_exchange(void)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = { 0 };
	char out[SPOTLESS_CLIENT_BUFFER_SIZE] = { 0 };
	DWORD returned;

	CHECK(h != INVALID_HANDLE_VALUE);
	memcpy(in, tutorial_message, sizeof(tutorial_message));
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS, in, sizeof(in), out, sizeof(out), &returned), 0);
	CHECK_EQ(returned, 22);
	CHECK(!memcmp(out, "ohai from them kernelz", 22));
	/* The zeroed buffer terminates it, as the tutorial's client expects. */
	CHECK_EQ(out[22], 0);
	CloseHandle(h);
}

static void test_library_send_message(void)
{
	struct spotless_handle *dev = NULL;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len = 0;

	CHECK_EQ(spotless_open(&dev), 0);
	CHECK_EQ(spotless_send_message(dev, tutorial_message, reply, &len), 0);
	CHECK_EQ(len, 22);
	CHECK(!strcmp(reply, SPOTLESS_REPLY));
	/* Too long for the 128-byte buffer: refused before the driver sees it. */
	{
		char too_long[200];

		memset(too_long, 'x', sizeof(too_long) - 1);
		too_long[sizeof(too_long) - 1] = '\0';
		CHECK_EQ(spotless_send_message(dev, too_long, reply, &len),
			 ERROR_INVALID_PARAMETER);
		CHECK_EQ(len, 0);
	}
	spotless_close(dev);
}

/* ---- Message lengths -------------------------------------------------- */

static void check_message(DWORD in_len, size_t text_len, int nul)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	unsigned char *in = malloc(in_len);
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE + SLACK];
	DWORD returned, i;

	for (i = 0; i < in_len; i++)
		in[i] = (unsigned char)('a' + i % 26);
	if (nul)
		in[text_len] = 0;
	memset(out, GUARD, sizeof(out));
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS, in, in_len, out,
			   SPOTLESS_CLIENT_BUFFER_SIZE, &returned), 0);
	CHECK_EQ(returned, 22);
	CHECK(!memcmp(out, SPOTLESS_REPLY, 22));
	/* Only the 22 reported bytes come back to userland. */
	CHECK(untouched(out, 22, sizeof(out)));
	free(in);
	CloseHandle(h);
}

static void test_message_length_0(void) { check_message(128, 0, 1); }
#define MESSAGE_LENGTH_TEST_(n) \
	static void test_message_length_##n(void) { check_message(128, n, 1); }
SPOTLESS_MESSAGE_EDGES(MESSAGE_LENGTH_TEST_)
#define RUN_MESSAGE_LENGTH_(n) RUN_TEST(test_message_length_##n);
static void test_message_length_4096(void) { check_message(4096, 4096, 0); }

/* Defect 3: 128 bytes and no NUL; logged as 127 characters, nothing more. */
static void test_defect3_unterminated_128_bytes(void) { check_message(128, 128, 0); }

static void test_empty_input_refused(void)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	DWORD returned;

	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS, NULL, 0, out, sizeof(out), &returned),
		 ERROR_INVALID_PARAMETER);
	CHECK_EQ(returned, 0);
	CloseHandle(h);
	CHECK(exchange_ok());
}

static void test_input_over_limit_refused(void)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	DWORD len = SPOTLESS_MESSAGE_MAX_INPUT + 1;
	char *in = calloc(1, len);
	char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	DWORD returned;

	memset(in, 'y', len);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS, in, len, out, sizeof(out), &returned),
		 ERROR_INVALID_USER_BUFFER);
	CHECK_EQ(returned, 0);
	free(in);
	CloseHandle(h);
	CHECK(exchange_ok());
}

/* ---- Output sizes, with guard bytes after the buffer ---------------------- */

static void check_output(DWORD out_len)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hi";
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE + SLACK];
	DWORD returned;
	DWORD err;

	memset(out, GUARD, sizeof(out));
	err = ioctl_raw(h, IOCTL_SPOTLESS, in, sizeof(in), out_len ? out : NULL,
			out_len, &returned);
	if (out_len < SPOTLESS_REPLY_LEN) {
		CHECK_EQ(err, ERROR_INSUFFICIENT_BUFFER);
		CHECK_EQ(returned, 0);
		CHECK(untouched(out, 0, sizeof(out)));
	} else {
		CHECK_EQ(err, 0);
		CHECK_EQ(returned, 22);
		CHECK(!memcmp(out, SPOTLESS_REPLY, 22));
		CHECK(untouched(out, 22, sizeof(out)));
	}
	CloseHandle(h);
	CHECK(exchange_ok());
}

#define OUTPUT_SIZE_TEST_(n) static void test_output_size_##n(void) { check_output(n); }
SPOTLESS_REPLY_ROOM_EDGES(OUTPUT_SIZE_TEST_)
#define RUN_OUTPUT_SIZE_(n) RUN_TEST(test_output_size_##n);

/* Defect 2: a long input does not stretch the reply; a 4-byte buffer is not
 * told that 22 bytes arrived. */
static void test_defect2_reply_length_from_reply(void)
{
	check_message(100, 100, 0);
	check_output(4);
}

/* ---- Unknown codes and NULL buffers ------------------------------------ */

/* Defect 6: unknown codes fail with ERROR_INVALID_FUNCTION. */
static void test_defect6_unknown_codes_fail(void)
{
	static const DWORD codes[] = {
		0, 0xFFFFFFFF, IOCTL_SPOTLESS + 4, IOCTL_SPOTLESS - 4,
		IOCTL_SPOTLESS + SPOTLESS_METHOD_IN_DIRECT,
		IOCTL_SPOTLESS + SPOTLESS_METHOD_OUT_DIRECT,
		IOCTL_SPOTLESS + SPOTLESS_METHOD_NEITHER,
		/* what the tutorial meant: function 0x049, any access */
		SPOTLESS_CTL_CODE(SPOTLESS_FILE_DEVICE_UNKNOWN, 0x049u, 0u, 0u),
		SPOTLESS_NEW_CODE(0x8FFu, SPOTLESS_METHOD_BUFFERED, SPOTLESS_FILE_ANY_ACCESS),
		IOCTL_SPOTLESS_INFO + SPOTLESS_METHOD_OUT_DIRECT,
		/* ECHO has no METHOD_NEITHER code (see the wire header) */
		IOCTL_SPOTLESS_ECHO_BUFFERED + SPOTLESS_METHOD_NEITHER,
		SPOTLESS_NEW_CODE(0xFFFu, SPOTLESS_METHOD_BUFFERED, SPOTLESS_FILE_WRITE_ACCESS),
	};
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hello";
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	DWORD returned;
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		memset(out, GUARD, sizeof(out));
		CHECK_EQ(ioctl_raw(h, codes[i], in, sizeof(in), out, sizeof(out),
				   &returned), ERROR_INVALID_FUNCTION);
		CHECK_EQ(returned, 0);
		CHECK(untouched(out, 0, sizeof(out)));
	}
	CloseHandle(h);
	CHECK(exchange_ok());
}

static void test_null_buffers(void)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hi";
	DWORD returned;

	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS, NULL, 0, NULL, 0, &returned),
		 ERROR_INVALID_PARAMETER);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS, in, sizeof(in), NULL, 0, &returned),
		 ERROR_INSUFFICIENT_BUFFER);
	/* A length with a NULL pointer is refused before or by the driver. */
	CHECK(ioctl_raw(h, IOCTL_SPOTLESS, NULL, 128, NULL, 0, &returned) != 0);
	CHECK(ioctl_raw(h, IOCTL_SPOTLESS, in, sizeof(in), NULL, 128, &returned) != 0);
	CHECK(ioctl_raw(h, 0, NULL, 0, NULL, 0, &returned) == ERROR_INVALID_FUNCTION);
	CloseHandle(h);
	CHECK(exchange_ok());
}

/* ---- Access ------------------------------------------------------------- */

/*
 * Defect 8 (the device's DACL) is checked from the driver's log: Wine does not
 * return a device's security descriptor through a file handle, so the driver
 * reads its DACL back itself and logs it (see tests/run.sh).
 */

/*
 * IOCTL_SPOTLESS carries FILE_WRITE_ACCESS (defect 1's side effect), so
 * Windows' I/O manager refuses it on a handle opened for reading only.
 */
static void test_read_only_handle_refused(void)
{
	HANDLE h = open_device(GENERIC_READ);
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hi";
	char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	DWORD returned;

	CHECK(h != INVALID_HANDLE_VALUE);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS, in, sizeof(in), out, sizeof(out),
			   &returned), ERROR_ACCESS_DENIED);
	CloseHandle(h);
	CHECK(exchange_ok());
}

/* ---- Load ------------------------------------------------------------------ */

#define THREAD_EXCHANGES 2000

static DWORD WINAPI exchange_thread(void *arg)
{
	struct spotless_handle *dev;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len;
	LONG *failures = arg;
	int i;

	if (spotless_open(&dev)) {
		InterlockedAdd(failures, THREAD_EXCHANGES);
		return 0;
	}
	for (i = 0; i < THREAD_EXCHANGES; i++) {
		if (spotless_send_message(dev, tutorial_message, reply, &len) ||
		    len != 22 || strcmp(reply, SPOTLESS_REPLY))
			InterlockedIncrement(failures);
	}
	spotless_close(dev);
	return 0;
}

static void test_two_threads_2000_exchanges(void)
{
	LONG failures = 0;
	HANDLE threads[2];
	int i;

	for (i = 0; i < 2; i++)
		threads[i] = CreateThread(NULL, 0, exchange_thread, &failures, 0, NULL);
	CHECK_EQ(WaitForMultipleObjects(2, threads, TRUE, 300000), WAIT_OBJECT_0);
	for (i = 0; i < 2; i++)
		CloseHandle(threads[i]);
	CHECK_EQ(failures, 0);
}

static void test_300_open_exchange_close_cycles(void)
{
	int i, failures = 0;

	for (i = 0; i < 300; i++)
		if (!exchange_ok())
			failures++;
	CHECK_EQ(failures, 0);
}

/* ---- Protocol v1: what only Windows has -------------------------------- */

/* IN_DIRECT: the driver's checksum of the locked buffer must match ours. */
/* IN_DIRECT's trailer is a structure that grows by size: a newer caller's
 * zero tail is accepted, a non-zero one refused, an older one too short. */
static void test_abi_in_direct_trailer_grows(void)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	unsigned char *data = random_bytes(512, 9);
	unsigned char trailer[sizeof(struct spotless_echo_trailer) + NEWER] = { 0 };
	struct spotless_echo_trailer t = { crc32c_reference(data, 512), 512 };
	DWORD returned;

	memcpy(trailer, &t, sizeof(t));
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, trailer, sizeof(trailer), data, 512,
			   &returned), 0);
	trailer[sizeof(trailer) - 1] = 1;
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, trailer, sizeof(trailer), data, 512,
			   &returned), ERROR_INVALID_PARAMETER);
	CHECK_EQ(returned, 0);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, trailer, 4, data, 512, &returned),
		 ERROR_INVALID_PARAMETER);
	free(data);
	CloseHandle(h);
	CHECK(exchange_ok());
}

/* A newer caller's larger event record: ours, then zeros to its size. */
static void test_abi_wait_event_newer_answer(void)
{
	struct spotless_handle *dev = open_checked(), *poster = open_checked();
	unsigned char buf[sizeof(struct spotless_event) + NEWER + 16];
	struct spotless_event ev;
	size_t written = 0;

	CHECK_EQ(spotless_wait_event(dev, 0, &ev), SPOTLESS_E_TIMEOUT);	/* subscribes */
	CHECK_EQ(spotless_post(poster, "grow", 4), 0);
	memset(buf, GUARD, sizeof(buf));
	CHECK_EQ(spotless_command(dev, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, buf,
				  sizeof(ev) + NEWER, &written), 0);
	CHECK_EQ(written, sizeof(ev) + NEWER);
	memcpy(&ev, buf, sizeof(ev));
	CHECK_EQ(ev.kind, SPOTLESS_EVENT_POSTED);
	CHECK(!memcmp(ev.payload, "grow", 4));
	CHECK(all_bytes(buf + sizeof(ev), NEWER, 0));
	CHECK(untouched(buf, sizeof(ev) + NEWER, sizeof(buf)));
	spotless_close(poster);
	spotless_close(dev);
}

/* The library's handle is the HANDLE, open by name and by path. */
static void test_library_native_handle_and_paths(void)
{
	struct spotless_handle *dev = NULL, *by_path = NULL;
	struct spotless_info info;
	DWORD returned = 0;
	OVERLAPPED ov = { 0 };

	CHECK_EQ(spotless_open_path("SpotlessDeviceLink", &dev), 0);
	CHECK_EQ(spotless_open_path(SPOTLESS_WIN32_PATH, &by_path), 0);
	/* Overlapped: a request of the caller's own on it. */
	ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!DeviceIoControl((HANDLE)spotless_native_handle(dev), IOCTL_SPOTLESS_INFO, NULL, 0,
			     &info, sizeof(info), &returned, &ov))
		CHECK(GetLastError() == ERROR_IO_PENDING &&
		      GetOverlappedResult((HANDLE)spotless_native_handle(dev), &ov, &returned, TRUE));
	CHECK_EQ(returned, sizeof(info));
	CHECK_EQ(info.size, sizeof(info));
	CloseHandle(ov.hEvent);
	spotless_close(by_path);
	spotless_close(dev);
}

static void test_echo_in_direct_checksum_checked(void)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	unsigned char *data = random_bytes(4097, 5);
	struct spotless_echo_trailer t = { crc32c_reference(data, 4097), 4097 };
	DWORD returned;

	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t), data, 4097,
			   &returned), 0);
	CHECK_EQ(returned, 0);
	data[4096] ^= 1;			/* one bit changed */
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t), data, 4097,
			   &returned), ERROR_CRC);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t), data, 4096,
			   &returned), ERROR_CRC);	/* length differs */
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, &t, sizeof(t) - 1, data, 4097,
			   &returned), ERROR_INVALID_PARAMETER);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_IN_DIRECT, NULL, 0, data, 4097,
			   &returned), ERROR_INVALID_PARAMETER);
	free(data);
	CloseHandle(h);
	CHECK(exchange_ok());
}

/* The buffered ECHO where the trailer does not fit: nothing comes back. */
static void test_echo_buffered_trailer_must_fit(void)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	unsigned char buf[64 + SLACK];
	DWORD returned;

	memset(buf, GUARD, sizeof(buf));
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_BUFFERED, "abcd", 4, buf, 11, &returned),
		 ERROR_INSUFFICIENT_BUFFER);
	CHECK_EQ(returned, 0);
	CHECK(untouched(buf, 0, sizeof(buf)));
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_BUFFERED, "abcd", 4, buf, 12, &returned), 0);
	CHECK_EQ(returned, 12);
	CHECK(!memcmp(buf, "abcd", 4));
	CHECK(untouched(buf, 12, sizeof(buf)));
	CloseHandle(h);
}

/* STATS needs read access: a write-only handle is refused by the I/O manager. */
static void test_stats_needs_read_access(void)
{
	HANDLE h = open_device(GENERIC_WRITE);
	struct spotless_stats st;
	DWORD returned;

	CHECK(h != INVALID_HANDLE_VALUE);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_STATS, NULL, 0, &st, sizeof(st), &returned),
		 ERROR_ACCESS_DENIED);
	CloseHandle(h);
	h = open_device(GENERIC_READ);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_STATS, NULL, 0, &st, sizeof(st), &returned), 0);
	CloseHandle(h);
}

/*
 * The I/O manager checks a code's access bits, but it never sees the
 * records inside a batch: BATCH needs read and write access, the most a
 * record may need, so that a read-only handle cannot reach the tutorial's
 * code (write access) through a batch.
 */
/*
 * METHOD_NEITHER hands the driver raw pointers: its code asks for read and
 * write access, so the I/O manager refuses a handle with either alone
 * before the driver sees it (and the core checks the code's bits again).
 */
static void test_echo_neither_needs_read_and_write_access(void)
{
	static const DWORD modes[] = { GENERIC_READ, GENERIC_WRITE };
	unsigned char data[64] = "neither", out[64 + SPOTLESS_ECHO_TRAILER_LEN];
	DWORD returned;
	unsigned i;
	HANDLE h;

	CHECK_EQ(SPOTLESS_CODE_ACCESS(IOCTL_SPOTLESS_ECHO_NEITHER),
		 SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS);
	for (i = 0; i < 2; i++) {
		h = open_device(modes[i]);
		CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_NEITHER, data, sizeof(data), out,
				   sizeof(out), &returned), ERROR_ACCESS_DENIED);
		CloseHandle(h);
	}
	h = open_device(GENERIC_READ | GENERIC_WRITE);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_NEITHER, data, sizeof(data), out,
			   sizeof(out), &returned), 0);
	CHECK_EQ(returned, sizeof(out));
	CHECK(!memcmp(out, data, sizeof(data)));
	CloseHandle(h);
	/* 0.4.0's code, any access: no command now. */
	h = open_device(GENERIC_READ | GENERIC_WRITE);
	CHECK_EQ(ioctl_raw(h, 0x00222023u, data, sizeof(data), out, sizeof(out), &returned),
		 ERROR_INVALID_FUNCTION);
	CloseHandle(h);
}

static void test_batch_needs_read_and_write_access(void)
{
	HANDLE h = open_device(GENERIC_READ);
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result res;
	const void *answer;
	DWORD len, returned;

	spotless_batch_begin(&w, batch_in, sizeof(batch_in));
	spotless_batch_add(&w, IOCTL_SPOTLESS, "hi", 3, 23);
	spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(struct spotless_info));
	len = (DWORD)spotless_batch_end(&w);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_BATCH, batch_in, len, batch_out,
			   (DWORD)w.out_needed, &returned), ERROR_ACCESS_DENIED);
	CloseHandle(h);
	h = open_device(GENERIC_WRITE);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_BATCH, batch_in, len, batch_out,
			   (DWORD)w.out_needed, &returned), ERROR_ACCESS_DENIED);
	CloseHandle(h);

	/* With write access as well, the same batch runs whole. */
	h = open_device(GENERIC_READ | GENERIC_WRITE);
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_BATCH, batch_in, len, batch_out,
			   (DWORD)w.out_needed, &returned), 0);
	CHECK_EQ(spotless_batch_read(&r, batch_out, returned, &hdr), 0);
	CHECK_EQ(hdr.failed, 0);
	CHECK_EQ(spotless_batch_next(&r, &res, &answer), 1);
	CHECK_EQ(res.status, SPOTLESS_STATUS_OK);
	CloseHandle(h);
}

/* Two threads on one handle: its counters are exact. */
static DWORD WINAPI shared_handle_thread(void *arg)
{
	struct spotless_handle *dev = arg;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len;
	int i;

	for (i = 0; i < THREAD_EXCHANGES; i++)
		spotless_send_message(dev, "shared", reply, &len);
	return 0;
}

static void test_two_threads_one_handle_exact_counters(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_stats a = stats_of(dev), b;
	HANDLE threads[2];
	int i;

	for (i = 0; i < 2; i++)
		threads[i] = CreateThread(NULL, 0, shared_handle_thread, dev, 0, NULL);
	CHECK_EQ(WaitForMultipleObjects(2, threads, TRUE, 300000), WAIT_OBJECT_0);
	for (i = 0; i < 2; i++)
		CloseHandle(threads[i]);
	b = stats_of(dev);
	CHECK_EQ(b.handle.requests[SPOTLESS_STAT_MESSAGE] -
		 a.handle.requests[SPOTLESS_STAT_MESSAGE], 2 * THREAD_EXCHANGES);
	CHECK_EQ(b.handle.bytes_out - a.handle.bytes_out,
		 2 * THREAD_EXCHANGES * 22 + sizeof(struct spotless_stats));
	CHECK_EQ(b.device.requests[SPOTLESS_STAT_MESSAGE] -
		 a.device.requests[SPOTLESS_STAT_MESSAGE], 2 * THREAD_EXCHANGES);
	spotless_close(dev);
}

/* ---- Load and unload -------------------------------------------------------- */

/* ---- Events: the inverted call ------------------------------------------- */

/* The NTSTATUS a cancelled request ends with (ntstatus.h; not in windows.h). */
#define NT_STATUS_CANCELLED	0xC0000120u

static HANDLE open_overlapped(DWORD access)
{
	return CreateFileW(SPOTLESS_WIN32_PATH_W, access, 0, NULL, OPEN_EXISTING,
			   FILE_FLAG_OVERLAPPED, NULL);
}

/* A WAIT_EVENT left pending: its OVERLAPPED, event object and record. */
struct pending_wait {
	OVERLAPPED ov;
	struct spotless_event ev;
};

static int start_wait(HANDLE h, struct pending_wait *w)
{
	memset(w, 0, sizeof(*w));
	w->ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	return !DeviceIoControl(h, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &w->ev,
				sizeof(w->ev), NULL, &w->ov) &&
	       GetLastError() == ERROR_IO_PENDING;
}

/*
 * A request on an overlapped handle that must not stay pending: 0 or its
 * error. One that does is cancelled after 2 s and reported as pending.
 */
#define STILL_PENDING	0xFFFFu

static DWORD ioctl_no_wait(HANDLE h, DWORD code, const void *in, DWORD in_len,
			   void *out, DWORD out_len)
{
	OVERLAPPED ov = { 0 };
	DWORD bytes, err = 0;

	ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	if (!DeviceIoControl(h, code, (void *)in, in_len, out, out_len, &bytes, &ov)) {
		err = GetLastError();
		if (err == ERROR_IO_PENDING) {
			if (WaitForSingleObject(ov.hEvent, 2000) == WAIT_TIMEOUT) {
				CancelIoEx(h, &ov);
				GetOverlappedResult(h, &ov, &bytes, TRUE);
				err = STILL_PENDING;
			} else {
				err = GetOverlappedResult(h, &ov, &bytes, FALSE) ?
				      0 : GetLastError();
			}
		}
	}
	CloseHandle(ov.hEvent);
	return err;
}

/* CancelIoEx completes a pending wait once, with STATUS_CANCELLED. */
static void test_event_wait_cancelled_by_cancelioex(void)
{
	HANDLE h = open_overlapped(GENERIC_READ | GENERIC_WRITE);
	struct pending_wait w;
	DWORD bytes = 123;

	CHECK(start_wait(h, &w));
	CHECK(WaitForSingleObject(w.ov.hEvent, 100) == WAIT_TIMEOUT);	/* it waits */
	CHECK(CancelIoEx(h, &w.ov));
	CHECK(!GetOverlappedResult(h, &w.ov, &bytes, TRUE));
	CHECK_EQ(GetLastError(), ERROR_OPERATION_ABORTED);
	CHECK_EQ(w.ov.Internal, NT_STATUS_CANCELLED);
	CHECK_EQ(bytes, 0);
	/* Completed already: there is nothing left to cancel. */
	CHECK(!CancelIoEx(h, &w.ov));
	CHECK_EQ(GetLastError(), ERROR_NOT_FOUND);
	CloseHandle(w.ov.hEvent);
	CloseHandle(h);
	check_no_leak();
	CHECK(exchange_ok());
}

/* Closing a handle ends its pending waits (cleanup), each exactly once. */
static void test_event_close_with_waits_pending(void)
{
	HANDLE h = open_overlapped(GENERIC_READ | GENERIC_WRITE);
	struct spotless_handle *other = open_checked();
	struct pending_wait w[3];
	int i;

	for (i = 0; i < 3; i++)
		CHECK(start_wait(h, &w[i]));
	CloseHandle(h);
	for (i = 0; i < 3; i++) {
		CHECK(WaitForSingleObject(w[i].ov.hEvent, 5000) == WAIT_OBJECT_0);
		CHECK_EQ(w[i].ov.Internal, NT_STATUS_CANCELLED);
		CloseHandle(w[i].ov.hEvent);
	}
	/* The driver goes on: another handle posts and is answered. */
	CHECK_EQ(spotless_post(other, "after", 5), 0);
	spotless_close(other);
	check_no_leak();
	CHECK(exchange_ok());
}

/* Several handles waiting: an event completes one wait on each of them. */
static void test_event_reaches_every_waiting_handle(void)
{
	HANDLE h[3];
	struct spotless_handle *p;
	struct pending_wait w[3];
	DWORD bytes;
	int i;

	/* All open before any subscribes, so no queue holds another's open. */
	for (i = 0; i < 3; i++)
		h[i] = open_overlapped(GENERIC_READ | GENERIC_WRITE);
	for (i = 0; i < 3; i++)
		CHECK(start_wait(h[i], &w[i]));
	p = open_checked();
	for (i = 0; i < 3; i++) {
		CHECK(GetOverlappedResult(h[i], &w[i].ov, &bytes, TRUE));
		CHECK_EQ(bytes, sizeof(struct spotless_event));
		CHECK_EQ(w[i].ev.kind, SPOTLESS_EVENT_HANDLE_OPENED);
		CHECK_EQ(w[i].ev.source_handle, stats_of(p).handle_id);
		CloseHandle(w[i].ov.hEvent);
		CloseHandle(h[i]);
	}
	spotless_close(p);
	check_no_leak();
}

static void test_event_bad_requests_refused(void)
{
	HANDLE rw = open_overlapped(GENERIC_READ | GENERIC_WRITE);
	HANDLE ro = open_overlapped(GENERIC_READ);
	HANDLE wo = open_overlapped(GENERIC_WRITE);
	struct spotless_event ev;
	char in[8] = "x";

	/* WAIT_EVENT: no input, room for one whole record, read access. */
	CHECK_EQ(ioctl_no_wait(rw, IOCTL_SPOTLESS_WAIT_EVENT, in, 4, &ev, sizeof(ev)),
		 ERROR_INVALID_PARAMETER);
	CHECK_EQ(ioctl_no_wait(rw, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &ev,
			       sizeof(ev) - 1), ERROR_INSUFFICIENT_BUFFER);
	CHECK_EQ(ioctl_no_wait(rw, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, NULL, 0),
		 ERROR_INSUFFICIENT_BUFFER);
	CHECK_EQ(ioctl_no_wait(wo, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &ev, sizeof(ev)),
		 ERROR_ACCESS_DENIED);
	/* POST: write access. */
	CHECK_EQ(ioctl_no_wait(ro, IOCTL_SPOTLESS_POST, in, 1, NULL, 0),
		 ERROR_ACCESS_DENIED);
	/* The event codes with another method or access are not ours. */
	CHECK_EQ(ioctl_no_wait(rw, IOCTL_SPOTLESS_WAIT_EVENT + SPOTLESS_METHOD_OUT_DIRECT,
			       NULL, 0, &ev, sizeof(ev)), ERROR_INVALID_FUNCTION);
	CHECK_EQ(ioctl_no_wait(rw, IOCTL_SPOTLESS_POST + SPOTLESS_METHOD_NEITHER,
			       in, 1, NULL, 0), ERROR_INVALID_FUNCTION);
	CloseHandle(rw);
	CloseHandle(ro);
	CloseHandle(wo);
	check_no_leak();
	CHECK(exchange_ok());
}

/*
 * A stop with waits pending. Windows defers a driver's unload until every
 * handle to its device is closed (the NT model's
 * test_win_stop_with_handles_open_is_deferred shows it), so the library
 * refuses the stop at once: ERROR_DEVICE_IN_USE, nothing cancelled, the
 * driver still answering.
 */
/* Two waits pending at once: one through the library, one raw overlapped. */
struct two_waits {
	struct spotless_handle *dev;
	struct spotless_event_wait *wait;
	HANDLE h;
	struct pending_wait w;
	struct spotless_event ev;
};

static void two_waits_start(struct two_waits *t)
{
	t->dev = open_checked();
	t->wait = NULL;
	t->h = open_overlapped(GENERIC_READ | GENERIC_WRITE);
	CHECK(start_wait(t->h, &t->w));
	CHECK_EQ(spotless_event_wait_start(t->dev, &t->wait), 0);
}

/* The raw wait ended with status; the library's wait finishes with want. */
static void two_waits_end(struct two_waits *t, ULONG_PTR status, int want)
{
	CHECK(WaitForSingleObject(t->w.ov.hEvent, 5000) == WAIT_OBJECT_0);
	CHECK_EQ(t->w.ov.Internal, status);
	CHECK_EQ(spotless_event_wait_finish(t->wait, 5000, &t->ev), want);
	spotless_event_wait_free(t->wait);
	CloseHandle(t->w.ov.hEvent);
	CloseHandle(t->h);
	spotless_close(t->dev);
}

static void test_event_stop_refused_while_waits_pending(void)
{
	struct two_waits t;

	two_waits_start(&t);
	CHECK_EQ(spotless_driver_stop(), ERROR_DEVICE_IN_USE);
	/* The stop's look (one open) reaches the waits as an event: they end
	 * with a record, not cancelled, and the driver stays loaded. */
	two_waits_end(&t, 0, 0);
	CHECK_EQ(t.ev.kind, SPOTLESS_EVENT_HANDLE_OPENED);
	CHECK(exchange_ok());
	check_no_leak();
}

/* SERVICE_CONTROL_STOP straight to the SCM, waiting up to 5 s for the stop. */
static int scm_stop(void)
{
	SC_HANDLE scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_CONNECT);
	SC_HANDLE service = scm ? OpenServiceA(scm, SPOTLESS_SERVICE_NAME,
					       SERVICE_STOP | SERVICE_QUERY_STATUS) : NULL;
	SERVICE_STATUS st;
	int stopped = 0;

	if (service && ControlService(service, SERVICE_CONTROL_STOP, &st)) {
		int i;

		for (i = 0; i < 100 && !stopped; i++) {
			stopped = QueryServiceStatus(service, &st) &&
				  st.dwCurrentState == SERVICE_STOPPED;
			if (!stopped)
				Sleep(50);
		}
	}
	if (service)
		CloseServiceHandle(service);
	if (scm)
		CloseServiceHandle(scm);
	return stopped;
}

/*
 * Wine, or not: ntdll says its version under Wine (wine_get_version), and
 * Windows has no such export. A test that asserts Wine's behaviour runs
 * under Wine only, and says so either way, with why.
 */
static const char *wine_version(void)
{
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");
	const char *(CDECL *version)(void) = NULL;

	if (ntdll)
		version = (const char *(CDECL *)(void))(void *)GetProcAddress(ntdll, "wine_get_version");
	return version ? version() : NULL;
}

#define RUN_WINE_ONLY(test, why) \
	do { \
		if (wine_version()) { \
			printf("# wine-only: %s runs under Wine %s: %s\n", #test, wine_version(), why); \
			RUN_TEST(test); \
		} else { \
			printf("# skip: %s asserts Wine's behaviour, not Windows': %s\n", #test, why); \
		} \
	} while (0)

/*
 * Wine's behaviour, not Windows': SERVICE_CONTROL_STOP with handles open
 * runs DriverUnload at once (Windows would defer it), which cancels the
 * waits. Kept to show the driver ends them cleanly when that happens: nothing
 * crashes or hangs, and it starts again afterwards.
 */
static void test_wine_stop_with_waits_pending_unloads_at_once(void)
{
	struct two_waits t;

	two_waits_start(&t);
	CHECK(scm_stop());
	two_waits_end(&t, NT_STATUS_CANCELLED, SPOTLESS_E_CANCELLED);
	CHECK_EQ(spotless_driver_start(), 0);
	check_no_leak();
	CHECK(exchange_ok());
}

/*
 * Defect 4: a failed IoCreateDevice fails the load. A second service with the
 * same image collides on \Device\SpotlessDevice; it must fail to start and
 * leave the first one answering.
 */
static void test_defect4_device_creation_failure(void)
{
	struct spotless_driver_status st;
	SC_HANDLE scm, twin;

	CHECK_EQ(spotless_driver_query(&st), 0);
	CHECK_EQ(st.state, SPOTLESS_DRIVER_RUNNING);
	scm = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS);
	CHECK(scm != NULL);
	if (!scm)
		return;
	twin = CreateServiceA(scm, "spotless_twin", "spotless_twin", SERVICE_ALL_ACCESS,
			      SERVICE_KERNEL_DRIVER, SERVICE_DEMAND_START,
			      SERVICE_ERROR_NORMAL, st.image_path, NULL, NULL,
			      NULL, NULL, NULL);
	CHECK(twin != NULL);
	if (twin) {
		SERVICE_STATUS ss;

		CHECK(!StartServiceA(twin, 0, NULL));
		CHECK(QueryServiceStatus(twin, &ss));
		CHECK(ss.dwCurrentState != SERVICE_RUNNING);
		CHECK(DeleteService(twin));
		CloseServiceHandle(twin);
	}
	CloseServiceHandle(scm);
	CHECK(exchange_ok());
}

/*
 * Defect 5 and churn: stop removes the name first; start brings it back.
 * In every cycle two clients open, send and close, and STATS shows each
 * handle's state as the only allocations: 0 failures, 0 leaks.
 */
#define CHURN_CYCLES 200

static int churn_clients_ok(void)
{
	struct spotless_handle *a = NULL, *b = NULL;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	unsigned char data[64] = "churn", out[64 + SPOTLESS_ECHO_TRAILER_LEN];
	struct spotless_stats st;
	uint32_t crc;
	size_t len;
	int ok;

	memset(&st, 0, sizeof(st));
	ok = !spotless_open(&a) && !spotless_open(&b) &&
	     !spotless_send_message(a, "churn", reply, &len) &&
	     !spotless_echo(b, SPOTLESS_ECHO_OUT_DIRECT, data, sizeof(data), out,
			    sizeof(out), &crc) &&
	     !spotless_get_stats(a, &st) &&
	     st.open_handles == 2 && st.outstanding_allocations == 2;
	if (!ok)
		printf("#   churn clients: a %p, b %p, %llu handles, %llu allocations\n",
		       (void *)a, (void *)b, (unsigned long long)st.open_handles,
		       (unsigned long long)st.outstanding_allocations);
	spotless_close(a);
	spotless_close(b);
	return ok;
}

static void test_200_load_unload_cycles_with_clients(void)
{
	int i, failures = 0;
	HANDLE h;

	for (i = 0; i < CHURN_CYCLES; i++) {
		spotless_err err = spotless_driver_stop();

		if (err) {
			printf("#   cycle %d: stop failed: error %d\n", i, err);
			failures++;
		}
		h = open_device(GENERIC_READ | GENERIC_WRITE);
		if (h != INVALID_HANDLE_VALUE || GetLastError() != ERROR_FILE_NOT_FOUND) {
			printf("#   cycle %d: opened while stopped: error %lu\n", i,
			       (unsigned long)GetLastError());
			failures++;
		}
		if (h != INVALID_HANDLE_VALUE)
			CloseHandle(h);
		err = spotless_driver_start();
		if (err) {
			printf("#   cycle %d: start failed: error %d\n", i, err);
			failures++;
		} else if (!churn_clients_ok()) {
			printf("#   cycle %d: the clients failed\n", i);
			failures++;
		}
	}
	CHECK_EQ(failures, 0);
	CHECK(exchange_ok());
}

/*
 * METHOD_NEITHER, with a test build of the driver loaded (SPOTLESS_TEST_HOOKS,
 * never shipped): the payload "spotless:fault" makes the driver read an
 * unmapped address itself inside its __try. The request fails with
 * STATUS_ACCESS_VIOLATION (ERROR_NOACCESS) and 0 bytes, nothing is written
 * to the output, and the driver answers the next request. Under Wine a bad
 * client pointer never reaches the driver (Wine copies METHOD_NEITHER
 * buffers into the driver's process), so this is how the handler is
 * reached there.
 */
static void test_neither_fault_caught_by_the_driver(void)
{
	HANDLE h = open_device(GENERIC_READ | GENERIC_WRITE);
	static const char fault[] = "spotless:fault";
	unsigned char out[64], data[32];
	struct spotless_handle *dev;
	DWORD returned = 1;
	uint32_t crc;

	CHECK(h != INVALID_HANDLE_VALUE);
	memset(out, 0xEE, sizeof(out));
	CHECK_EQ(ioctl_raw(h, IOCTL_SPOTLESS_ECHO_NEITHER, fault, sizeof(fault) - 1, out,
			   sizeof(out), &returned), ERROR_NOACCESS);
	CHECK_EQ(returned, 0);
	CHECK(out[0] == 0xEE && out[sizeof(out) - 1] == 0xEE);
	CloseHandle(h);
	/* The driver answers afterwards, by every method. */
	memset(data, 0x42, sizeof(data));
	CHECK_EQ(spotless_open(&dev), 0);
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_NEITHER, data, sizeof(data), out,
			       sizeof(out), &crc), 0);
	CHECK_EQ(crc, crc32c_reference(data, sizeof(data)));
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_BUFFERED, data, sizeof(data), out,
			       sizeof(out), &crc), 0);
	spotless_close(dev);
}

/* The driver-management calls refuse a NULL to write through. */
static void test_driver_calls_refuse_null(void)
{
	CHECK_EQ(spotless_error_kind(spotless_driver_query(NULL)), SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_driver_signing_warning(NULL, 10), 0);
}

/* ---- The library's queue: what is Windows' own ------------------------ */

/* The child of test_queue_exit_with_commands_in_flight: 127 echoes and a
 * WAIT_EVENT that stays pending, submitted, and the process ends. */
static int queue_child(void)
{
	static unsigned char in[64], out[127][64 + TRAILER_ROOM];
	static struct spotless_event event;
	struct spotless_handle *dev = NULL;
	struct spotless_queue *q = NULL;
	unsigned int i, sent = 0;

	if (spotless_open(&dev) || spotless_queue_create(dev, 128, &q))
		return 2;
	for (i = 0; i < 127; i++)
		if (spotless_queue_command(q, IOCTL_SPOTLESS_ECHO_BUFFERED, in, sizeof(in),
					   out[i], sizeof(out[i]), i))
			return 3;
	if (spotless_queue_command(q, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &event,
				   sizeof(event), 127))
		return 3;
	if (spotless_queue_submit(q, &sent) || sent != 128)
		return 4;
	ExitProcess(0);
}

/* A process that ends with commands in flight, one of them pending in the
 * driver: the I/O manager cancels it, the handles and allocations return. */
static void test_queue_exit_with_commands_in_flight(void)
{
	char self[MAX_PATH], cmd[MAX_PATH + 32];
	STARTUPINFOA si = { .cb = sizeof(si) };
	PROCESS_INFORMATION pi;
	DWORD code = 99;

	CHECK(GetModuleFileNameA(NULL, self, sizeof(self)) > 0);
	snprintf(cmd, sizeof(cmd), "\"%s\" --queue-child", self);
	CHECK(CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
	CHECK_EQ(WaitForSingleObject(pi.hProcess, 60000), WAIT_OBJECT_0);
	CHECK(GetExitCodeProcess(pi.hProcess, &code));
	CHECK_EQ(code, 0);
	CloseHandle(pi.hThread);
	CloseHandle(pi.hProcess);
	wait_for_other_handles_closed();
	check_no_leak();
}

/* What only the Windows queue does: the completion port stays bound to the
 * handle, so a second queue on it is refused. */
static void test_queue_windows_only(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_queue *q = NULL, *second = (struct spotless_queue *)&dev;

	CHECK_EQ(spotless_queue_create(dev, 2, &q), 0);
	/* The rule is the refusal; its number is Wine's (ERROR_INVALID_PARAMETER),
	 * not checked on Windows. */
	CHECK(spotless_queue_create(dev, 2, &second) != 0);
	CHECK(second == NULL);
	spotless_queue_destroy(q);
	spotless_close(dev);
	wait_for_other_handles_closed();
	check_no_leak();
}

int main(int argc, char **argv)
{
	/* With the test build of the driver: only what its hooks are for. */
	if (argc == 2 && !strcmp(argv[1], "--test-build")) {
		RUN_TEST(test_neither_fault_caught_by_the_driver);
		return check_summary("driver end-to-end tests (Windows, test build)");
	}
	if (argc == 2 && !strcmp(argv[1], "--queue-child"))
		return queue_child();
	RUN_TEST(test_tutorial_exchange);
	RUN_TEST(test_library_send_message);
	RUN_TEST(test_message_length_0);
	SPOTLESS_MESSAGE_EDGES(RUN_MESSAGE_LENGTH_)
	RUN_TEST(test_message_length_4096);
	RUN_TEST(test_empty_input_refused);
	RUN_TEST(test_input_over_limit_refused);
	SPOTLESS_REPLY_ROOM_EDGES(RUN_OUTPUT_SIZE_)
	RUN_TEST(test_null_buffers);
	RUN_TEST(test_defect2_reply_length_from_reply);
	RUN_TEST(test_defect3_unterminated_128_bytes);
	RUN_TEST(test_defect6_unknown_codes_fail);
	RUN_TEST(test_read_only_handle_refused);
	RUN_TEST(test_two_threads_2000_exchanges);
	RUN_TEST(test_300_open_exchange_close_cycles);
	RUN_TEST(test_info_v1);
	RUN_TEST(test_library_refuses_a_length_without_a_buffer);
	RUN_TEST(test_driver_calls_refuse_null);
	run_general_call_cases();
	if (queue_available()) {
		run_queue_cases();
		RUN_TEST(test_queue_exit_with_commands_in_flight);
		RUN_TEST(test_queue_windows_only);
	}
	RUN_TEST(test_abi_in_direct_trailer_grows);
	RUN_TEST(test_abi_wait_event_newer_answer);
	RUN_TEST(test_library_native_handle_and_paths);
	RUN_ECHO_SIZE_CASES(RUN_TEST);
	RUN_TEST(test_echo_above_limit_refused);
	RUN_TEST(test_echo_output_one_short_refused);
	RUN_TEST(test_echo_in_direct_checksum_checked);
	RUN_TEST(test_echo_buffered_trailer_must_fit);
	RUN_TEST(test_batch_records_fail_alone);
	RUN_TEST(test_batch_limits);
	RUN_TEST(test_stats_fresh_handle);
	RUN_TEST(test_stats_after_known_sequence);
	RUN_TEST(test_stats_many_handles);
	RUN_TEST(test_stats_needs_read_access);
	RUN_TEST(test_batch_needs_read_and_write_access);
	RUN_TEST(test_echo_neither_needs_read_and_write_access);
	RUN_TEST(test_two_threads_one_handle_exact_counters);
	RUN_EVENT_CASES();
	RUN_TEST(test_event_wait_cancelled_by_cancelioex);
	RUN_TEST(test_event_close_with_waits_pending);
	RUN_TEST(test_event_reaches_every_waiting_handle);
	RUN_TEST(test_event_bad_requests_refused);
	RUN_TEST(test_event_stop_refused_while_waits_pending);
	RUN_WINE_ONLY(test_wine_stop_with_waits_pending_unloads_at_once,
		      "Windows defers DriverUnload while handles are open; Wine runs it at once");
	RUN_WINE_ONLY(test_defect4_device_creation_failure,
		      "Windows' loader most likely refuses a second image of a loaded driver "
		      "before its DriverEntry (not checked on Windows); Wine runs it");
	RUN_TEST(test_200_load_unload_cycles_with_clients);
	return check_summary("driver end-to-end tests (Windows)");
}
