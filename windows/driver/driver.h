/* SPDX-License-Identifier: MIT */
/*
 * Internal declarations of the Windows driver (WDM). The driver is thin glue:
 * it hands each request to the portable core (core/spotless_core.c) and turns
 * the core's answer into an NTSTATUS and DbgPrintEx lines.
 */
#ifndef SPOTLESS_WINDOWS_DRIVER_H
#define SPOTLESS_WINDOWS_DRIVER_H

#include <ntifs.h>

#include "spotless/wire.h"
#include "spotless_core.h"

/*
 * SAL annotations, as the WDK's headers give them to Code Analysis and
 * Static Driver Verifier; mingw-w64 has none, so they read as comments.
 */
#ifndef _IRQL_requires_max_
#define _IRQL_requires_max_(irql)
#endif
#ifndef _IRQL_requires_
#define _IRQL_requires_(irql)
#endif
#ifndef _Requires_lock_held_
#define _Requires_lock_held_(lock)
#endif
#ifndef _Dispatch_type_
#define _Dispatch_type_(major)
#endif
#ifndef _Use_decl_annotations_
#define _Use_decl_annotations_
#endif

/* Pool tag of every allocation: the bytes "Sptl", as a pool dump shows it. */
#define SPOTLESS_POOL_TAG	0x6c747053u

/*
 * Log lines start with "spotless: " (the driver's own name, for a driver
 * built on spotless). Component IHVDRIVER; routine steps at
 * INFO level, failures at ERROR level (always shown by Windows' filter).
 * Every %s argument is bounded by the caller (see the core's log record).
 */
#define SPOTLESS_LOG(fmt, ...) \
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, \
		   SPOTLESS_DRIVER_LOG_NAME ": " fmt "\n", ##__VA_ARGS__)
#define SPOTLESS_LOG_ERROR(fmt, ...) \
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, \
		   SPOTLESS_DRIVER_LOG_NAME ": " fmt "\n", ##__VA_ARGS__)

/* A counted string over a wide literal, without a call to initialise it. */
#define SPOTLESS_UNICODE_STRING(literal) \
	{ sizeof(literal) - sizeof(WCHAR), sizeof(literal), (PWSTR)(literal) }

/*
 * Arguments for "%.*ws" from a UNICODE_STRING pointer: a length in characters
 * and the buffer, which need not be NUL-terminated. Windows also knows %wZ,
 * but Wine's DbgPrint does not, and this form prints the same on both.
 */
#define SPOTLESS_USTR_ARGS(ustr) \
	(int)((ustr)->Length / sizeof(WCHAR)), (ustr)->Buffer

/* irp_queue.c: pending IRPs, oldest first, safe against cancellation. */
typedef void spotless_irp_done_fn(PIRP irp);

struct spotless_irp_queue {
	KSPIN_LOCK lock;
	LIST_ENTRY irps;
	/* Completes an IRP that IoCancelIrp took out; called with no lock held. */
	spotless_irp_done_fn *cancelled;
};

void spotless_irp_queue_init(struct spotless_irp_queue *queue,
			     spotless_irp_done_fn *cancelled);
/* Marks irp pending and queues it: TRUE; FALSE when it was already
 * cancelled (then it is not queued, and the caller completes it). */
_IRQL_requires_max_(DISPATCH_LEVEL)
BOOLEAN spotless_irp_queue_insert(struct spotless_irp_queue *queue, PIRP irp);
/* Takes out the oldest IRP, which nobody can cancel any more; NULL when
 * there is none. */
_IRQL_requires_max_(DISPATCH_LEVEL)
PIRP spotless_irp_queue_remove(struct spotless_irp_queue *queue);
/* Takes out every IRP and hands each to done; returns when no cancel
 * routine can touch the queue any more, so that its memory may go. */
_IRQL_requires_(PASSIVE_LEVEL)
void spotless_irp_queue_drain(struct spotless_irp_queue *queue,
			      spotless_irp_done_fn *done);

/*
 * The device extension: the core's device state, and the events' lock and
 * the handles that wait for events (events.c says how they are used).
 */
struct spotless_dev {
	struct spotless_device_state core;
	KSPIN_LOCK events_lock;		/* the core's event hub, each handle's
					 * event queue, subscribers, FsContext */
	LIST_ENTRY subscribers;		/* handles with an event queue */
};

/* One open handle, hung on its file object's FsContext from create to close. */
struct spotless_file {
	struct spotless_handle_state state;
	struct spotless_event_queue *events;	/* NULL until its first wait */
	struct spotless_irp_queue waits;	/* its pending WAIT_EVENTs; that
						 * lock is taken after events_lock */
	LIST_ENTRY subscriber;			/* in ext->subscribers */
	BOOLEAN cleaned_up;			/* no more waits (events_lock) */
};

/* dispatch.c: one routine per major function, each completing its IRP. */
/* pool.c: what a caller causes, charged to its quota and zeroed. Paged
 * memory is for what only PASSIVE_LEVEL code touches. */
enum spotless_pool_kind {
	SPOTLESS_POOL_PAGED,
	SPOTLESS_POOL_NON_PAGED,
};
_IRQL_requires_(PASSIVE_LEVEL)
void spotless_pool_setup(void);
_IRQL_requires_max_(DISPATCH_LEVEL)
void *spotless_pool_alloc(SIZE_T size, enum spotless_pool_kind kind);

/* direct_io.c: a direct-I/O buffer mapped as far as the answer reaches;
 * *partial (or NULL) goes back to spotless_unmap_caller_pages before the
 * IRP is completed. */
_IRQL_requires_(PASSIVE_LEVEL)
void spotless_direct_io_setup(void);
_IRQL_requires_max_(DISPATCH_LEVEL)
PVOID spotless_map_caller_pages(PIRP irp, ULONG reach, ULONG priority, PMDL *partial);
_IRQL_requires_max_(DISPATCH_LEVEL)
void spotless_unmap_caller_pages(PMDL partial);

/* completion.c: what the dispatch routines and the events share. */
NTSTATUS spotless_complete_irp(PIRP irp, NTSTATUS status, ULONG_PTR information);
NTSTATUS spotless_to_ntstatus(enum spotless_status status);
void spotless_log_result(const struct spotless_request *req,
			 const struct spotless_result *res);
_Dispatch_type_(IRP_MJ_CREATE) DRIVER_DISPATCH spotless_dispatch_create;
_Dispatch_type_(IRP_MJ_CLEANUP) DRIVER_DISPATCH spotless_dispatch_cleanup;
_Dispatch_type_(IRP_MJ_CLOSE) DRIVER_DISPATCH spotless_dispatch_close;
_Dispatch_type_(IRP_MJ_DEVICE_CONTROL) DRIVER_DISPATCH spotless_dispatch_device_control;

/* events.c */
void spotless_events_setup(struct spotless_dev *ext);
void spotless_events_handle_init(struct spotless_file *handle);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS spotless_dispatch_post(struct spotless_dev *ext, PIRP irp);
_IRQL_requires_max_(DISPATCH_LEVEL)
NTSTATUS spotless_dispatch_wait_event(struct spotless_dev *ext, PIRP irp);
_IRQL_requires_(PASSIVE_LEVEL)
void spotless_events_opened(struct spotless_dev *ext,
			    struct spotless_file *handle);
_IRQL_requires_(PASSIVE_LEVEL)
void spotless_events_cleanup(struct spotless_dev *ext,
			     PFILE_OBJECT file);
/* Takes the handle off the file object (NULL if it had none), ends what it
 * still waits for and unsubscribes it; the caller frees it. */
_IRQL_requires_(PASSIVE_LEVEL)
struct spotless_file *spotless_events_closed(struct spotless_dev *ext,
					       PFILE_OBJECT file);
_IRQL_requires_(PASSIVE_LEVEL)
void spotless_events_unload(struct spotless_dev *ext);

/* device_security.c */
_IRQL_requires_(PASSIVE_LEVEL)
NTSTATUS spotless_restrict_device(PDEVICE_OBJECT device);

#endif /* SPOTLESS_WINDOWS_DRIVER_H */
