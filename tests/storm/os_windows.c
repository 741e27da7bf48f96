// SPDX-License-Identifier: MIT
/*
 * The storm's Windows backend: random control codes (ours, ours with another
 * method or access, neighbouring functions, random ones of our device type,
 * anything) with every transfer method, random input and output lengths up
 * to past the limits, random bytes, well-formed and damaged batches, and now
 * and then no buffer at all (NULL, length 0). For the other methods lengths
 * never exceed the buffers they describe, and a NULL buffer never comes
 * with a length: such a caller only meets the I/O manager, never the
 * driver, and under Wine two such calls at once on direct-method codes were
 * seen to stall the wineserver for good (seed 1795641752, twice; the
 * driver's log shows the requests never reached it).
 *
 * METHOD_NEITHER codes get hostile pointers now and then, as the driver
 * gets them on Windows, raw: NULL with a length, a kernel-range address, an
 * unmapped page, a read-only page as output, a buffer that ends at an
 * unmapped page. On Windows those reach the driver, whose probes and __try
 * must refuse them; Wine copies METHOD_NEITHER buffers itself, so under Wine
 * they stop in Wine's copy (STATUS_ACCESS_VIOLATION) and the driver sees a
 * well-formed request or none.
 *
 * The handle is overlapped: a request the driver leaves pending (a wait for
 * an event) gets a few milliseconds, then CancelIoEx, and its end is waited
 * for, so that cancellation runs under the storm too.
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spotless.h"
#include "storm.h"


struct storm_handle {
	HANDLE h;
};

/* How long a pending request may run before the storm cancels it. */
#define STORM_PENDING_MS	5

/* One event per storm thread for its overlapped requests. */
static __thread HANDLE thread_io_event;


/* The hostile addresses of METHOD_NEITHER requests: made once. */
static unsigned char *unmapped_page, *read_only_page;

int storm_os_init(void)
{
	unsigned char *pages = VirtualAlloc(NULL, 3 * 4096, MEM_RESERVE | MEM_COMMIT,
					    PAGE_READWRITE);
	DWORD old;

	if (!pages)
		return -1;
	/* [readable and writable][read-only][no access] */
	if (!VirtualProtect(pages + 4096, 4096, PAGE_READONLY, &old) ||
	    !VirtualProtect(pages + 2 * 4096, 4096, PAGE_NOACCESS, &old))
		return -1;
	read_only_page = pages + 4096;
	unmapped_page = pages + 2 * 4096;
	return 0;
}

/* A hostile pointer for a METHOD_NEITHER buffer of len bytes; how gets its
 * kind (1-5) for the report. */
static unsigned char *hostile_ptr(struct storm_rng *r, uint32_t len, int output,
				  uint32_t *how)
{
	*how = 1 + storm_below(r, 5);
	switch (*how) {
	case 1:
		return NULL;
	case 2:		/* the kernel's half of the address space */
		return (unsigned char *)(uintptr_t)(0xFFFF800000000000ull +
						    storm_below(r, 1u << 20) * 16ull);
	case 3:
		return unmapped_page;
	case 4:
		return output ? read_only_page : unmapped_page;
	default:	/* runs from a readable page into the hole */
		return read_only_page + 4096 - (len < 4096 ? len / 2 + 1 : 16);
	}
}

struct storm_handle *storm_os_open(void)
{
	struct storm_handle *h = malloc(sizeof(*h));

	if (!h)
		return NULL;
	h->h = CreateFileW(SPOTLESS_WIN32_PATH_W, GENERIC_READ | GENERIC_WRITE, 0, NULL,
			   OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
	if (h->h == INVALID_HANDLE_VALUE) {
		free(h);
		return NULL;
	}
	return h;
}

void storm_os_close(struct storm_handle *h)
{
	if (!h)
		return;
	CloseHandle(h->h);
	free(h);
}

static uint32_t pick_code(struct storm_rng *r)
{
	uint32_t code = storm_pick_code(r);	/* a code of the table, or none */

	switch (storm_below(r, 10)) {
	case 0:		/* another transfer method */
		return (code & ~3u) | storm_below(r, 4);
	case 1:		/* another access */
		return (code & ~(3u << 14)) | storm_below(r, 4) << 14;
	case 2:		/* a neighbouring function */
		return code + (storm_below(r, 2) ? 4u : 0u - 4u);
	case 3:		/* any code of our device type */
		return SPOTLESS_FILE_DEVICE_UNKNOWN << 16 | storm_below(r, 0x10000);
	case 4:
		return (uint32_t)storm_next(r);
	default:
		return code;
	}
}

int storm_os_request(struct storm_handle *h, struct storm_rng *r,
		     struct storm_record *rec)
{
	uint32_t code = pick_code(r);
	uint32_t in_len = storm_pick_len(r), out_len = storm_pick_len(r);
	unsigned char *in, *out, *big_in, *big_out;
	OVERLAPPED ov = { 0 };
	DWORD returned = 0;
	uint32_t how = 0;

	if (storm_thread_buffers(&big_in, &big_out))
		return ERROR_OUTOFMEMORY;
	in = big_in;
	out = big_out;
	if (code == IOCTL_SPOTLESS_BATCH && storm_below(r, 2))
		in_len = storm_make_batch(r, big_in);
	if (code == IOCTL_SPOTLESS_ECHO_IN_DIRECT && storm_below(r, 2)) {
		/* A right checksum now and then, so the success path runs too. */
		struct spotless_echo_trailer t = { spotless_crc32c(big_out, out_len), out_len };

		memcpy(big_in + 2 * SPOTLESS_BATCH_MAX_BYTES, &t, sizeof(t));
		in = big_in + 2 * SPOTLESS_BATCH_MAX_BYTES;
		in_len = sizeof(t);
	}
	if (storm_below(r, 32) == 0) {
		in = NULL;
		in_len = 0;
		how |= 1;
	}
	if (storm_below(r, 32) == 0) {
		out = NULL;
		out_len = 0;
		how |= 2;
	}
	if (SPOTLESS_CODE_METHOD(code) == SPOTLESS_METHOD_NEITHER && storm_below(r, 4) == 0) {
		uint32_t kind;

		if (storm_below(r, 2)) {
			in = hostile_ptr(r, in_len ? in_len : 64, 0, &kind);
			in_len = in_len ? in_len : 64;
			how |= kind << 4;
		} else {
			out = hostile_ptr(r, out_len ? out_len : 64, 1, &kind);
			out_len = out_len ? out_len : 64;
			how |= kind << 8;
		}
	}
	rec->code = code;
	rec->in_len = in_len;
	rec->out_len = out_len;
	rec->how = how;
	if (!thread_io_event && !(thread_io_event = CreateEventW(NULL, TRUE, FALSE, NULL)))
		return (int)GetLastError();
	ov.hEvent = thread_io_event;
	if (DeviceIoControl(h->h, code, in, in_len, out, out_len, &returned, &ov))
		return 0;
	if (GetLastError() != ERROR_IO_PENDING)
		return (int)GetLastError();
	if (WaitForSingleObject(ov.hEvent, STORM_PENDING_MS) == WAIT_TIMEOUT)
		CancelIoEx(h->h, &ov);
	if (GetOverlappedResult(h->h, &ov, &returned, TRUE))
		return 0;
	return (int)GetLastError();
}

const char *storm_os_error_name(int err)
{
	static __thread char text[24];

	switch (err) {
	case 0: return "success";
	case ERROR_INVALID_FUNCTION: return "ERROR_INVALID_FUNCTION";
	case ERROR_INVALID_PARAMETER: return "ERROR_INVALID_PARAMETER";
	case ERROR_INSUFFICIENT_BUFFER: return "ERROR_INSUFFICIENT_BUFFER";
	case ERROR_INVALID_USER_BUFFER: return "ERROR_INVALID_USER_BUFFER";
	case ERROR_ACCESS_DENIED: return "ERROR_ACCESS_DENIED";
	case ERROR_CRC: return "ERROR_CRC";
	case ERROR_NOACCESS: return "ERROR_NOACCESS";
	case ERROR_INVALID_HANDLE: return "ERROR_INVALID_HANDLE";
	case ERROR_OPERATION_ABORTED: return "ERROR_OPERATION_ABORTED";
	}
	snprintf(text, sizeof(text), "error %d", err);
	return text;
}
