/* SPDX-License-Identifier: MIT */
/*
 * The contract between libspotless's portable part (spotless.c) and the one
 * OS backend linked beside it: os_windows.c (DeviceIoControl), os_linux.c
 * (ioctl(2) on /dev/spotless), or the NT model's tests/ntmodel/lib_backend.c.
 *
 * The portable part implements every I/O call of spotless.h: it checks the
 * arguments (a handle, lengths that fit 32 bits, a known ECHO method) and
 * then calls the backend, so a backend never sees a NULL handle or an
 * oversized length. Each member returns 0 or an error number: the OS's own
 * (errno, a Win32 error) or a SPOTLESS_E_* of spotless.h.
 *
 * Device management (the spotless_driver_* calls: the Service Control
 * Manager, finit_module / delete_module) is each OS's os_<os>_driver.c,
 * which implements those public calls directly: nothing of it is portable.
 */
#ifndef SPOTLESS_LIB_OS_H
#define SPOTLESS_LIB_OS_H

#include "spotless.h"

struct spotless_os_backend {
	/* For the library's own error texts: "Linux", "module". */
	const char *os_name;
	const char *driver_word;
	/* This OS's numbers for a bad argument, and for an answer of the
	 * wrong shape (a length the protocol does not allow). */
	spotless_err invalid_argument;
	spotless_err bad_answer;
	spotless_err no_memory;
	/* The code that carries the tutorial exchange on this OS. */
	uint32_t message_code;

	/* Open the device at path (NULL: spotless's own; a bare name is the
	 * OS's usual place for it) for reading and writing; *handle is the
	 * backend's own structure. close frees it. */
	spotless_err (*open)(const char *path, struct spotless_handle **handle);
	void (*close)(struct spotless_handle *handle);
	/* The fd or HANDLE it holds. */
	intptr_t (*native_handle)(struct spotless_handle *handle);
	/* Any command that completes at once, by its code: as
	 * spotless_command(), *written always set. */
	spotless_err (*command)(struct spotless_handle *handle, uint32_t code,
				const void *in, size_t in_len, void *out, size_t out_len,
				size_t *written);

	/* The tutorial exchange, buffers as the caller gave them; *returned
	 * is the reply length the driver reported. */
	spotless_err (*message)(struct spotless_handle *handle,
				const void *in, size_t in_len,
				void *out, size_t out_len, size_t *returned);
	/* A command without input answered by one structure (INFO, STATS,
	 * by their Windows code): anything but exactly size bytes back is
	 * bad_answer. */
	spotless_err (*query)(struct spotless_handle *handle, uint32_t code,
			      void *out, size_t size);
	/* ECHO: as spotless_echo(); *crc32c is set on success only. */
	spotless_err (*echo)(struct spotless_handle *handle,
			     enum spotless_echo_method method,
			     const void *data, size_t len, void *out, size_t out_len,
			     uint32_t *crc32c);
	spotless_err (*batch)(struct spotless_handle *handle,
			      const void *in, size_t in_len,
			      void *out, size_t out_len, size_t *written);
	spotless_err (*post)(struct spotless_handle *handle,
			     const void *payload, size_t len);

	/* The event wait of spotless.h, step by step; the portable part
	 * passes only a wait that start returned. */
	spotless_err (*wait_start)(struct spotless_handle *handle,
				   struct spotless_event_wait **wait);
	spotless_err (*wait_again)(struct spotless_event_wait *wait);
	spotless_err (*wait_finish)(struct spotless_event_wait *wait, int timeout_ms,
				    struct spotless_event *event);
	spotless_err (*wait_cancel)(struct spotless_event_wait *wait);
	void (*wait_free)(struct spotless_event_wait *wait);
	/* One whole wait, when the OS has a cheaper way than the steps above;
	 * NULL: the portable part composes it from them. */
	spotless_err (*wait_event)(struct spotless_handle *handle, int timeout_ms,
				   struct spotless_event *event);

	/* Send a code the driver does not have: 0 when it was refused as
	 * unknown, as it must be. */
	spotless_err (*refused_request)(struct spotless_handle *handle);

	/* Text and kind of this OS's error numbers (the portable part
	 * answers the SPOTLESS_E_* ones itself). */
	void (*error_text)(spotless_err err, char *text, size_t size);
	enum spotless_error_kind (*error_kind)(spotless_err err);
};

/* The backend this build links: each backend file defines it. */
extern const struct spotless_os_backend spotless_os;

/*
 * The queue of spotless.h, by slot (0 to depth - 1): the portable part
 * (queue.c) hands out the slots and keeps the callers' user_data, so a
 * completion's user_data here is its slot. open makes this OS's ring or
 * port on the handle, prepare takes a free slot's command, submit sends
 * what was prepared, reap is as spotless_queue_reap(), close cancels and
 * waits for what is in flight and frees it. queue_linux.c and
 * queue_windows.c define it.
 */
struct spotless_queue_os;

struct spotless_queue_backend {
	spotless_err (*open)(struct spotless_handle *handle, unsigned int depth,
			     struct spotless_queue_os **queue);
	spotless_err (*prepare)(struct spotless_queue_os *queue, unsigned int slot,
				uint32_t code, const void *in, size_t in_len,
				void *out, size_t out_len);
	spotless_err (*submit)(struct spotless_queue_os *queue, unsigned int *submitted);
	spotless_err (*reap)(struct spotless_queue_os *queue,
			     struct spotless_completion *done, unsigned int max,
			     unsigned int wait_for, int timeout_ms, unsigned int *count);
	void (*close)(struct spotless_queue_os *queue);
};

extern const struct spotless_queue_backend spotless_os_queue;

#endif /* SPOTLESS_LIB_OS_H */
