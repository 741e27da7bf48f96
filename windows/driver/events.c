// SPDX-License-Identifier: MIT
/*
 * Events, Windows side: the inverted call. A client leaves WAIT_EVENT
 * requests pending in the driver; each handle keeps its own cancel-safe
 * queue of them (irp_queue.c), oldest first. When an event is published,
 * every subscribed handle with a record queued gets its oldest waiting
 * request completed with it: the work is one step per handle the event
 * reached, whatever the others wait for. CancelIoEx, the handle's cleanup
 * and unload take requests out and complete them with STATUS_CANCELLED.
 * The queue hands each IRP to exactly one of these paths, so none is
 * completed twice and none is left behind.
 *
 * events_lock guards the core's hub, every handle's event queue, the list of
 * subscribed handles and the file objects' FsContext at close; a handle's
 * IRP queue has its own lock, taken after events_lock. IRPs are completed
 * with neither held.
 */
#include "driver.h"

static void complete_cancelled(PIRP irp)
{
	SPOTLESS_LOG("event wait cancelled");
	spotless_complete_irp(irp, STATUS_CANCELLED, 0);
}

_Use_decl_annotations_
void spotless_events_setup(struct spotless_dev *ext)
{
	KeInitializeSpinLock(&ext->events_lock);
	InitializeListHead(&ext->subscribers);
}

void spotless_events_handle_init(struct spotless_file *handle)
{
	handle->events = NULL;
	handle->cleaned_up = FALSE;
	InitializeListHead(&handle->subscriber);
	spotless_irp_queue_init(&handle->waits, complete_cancelled);
}

/* Nanoseconds of a monotonic clock (the performance counter). */
static uint64_t now_ns(void)
{
	LARGE_INTEGER freq;
	uint64_t ticks = (uint64_t)KeQueryPerformanceCounter(&freq).QuadPart;
	uint64_t hz = (uint64_t)freq.QuadPart;

	if (!hz)
		return 0;
	return ticks / hz * 1000000000ull + ticks % hz * 1000000000ull / hz;
}

/*
 * Put the handle's next record into the IRP's buffer and count it: 1, or 0
 * when none is queued. Called under events_lock, so that the handle cannot
 * be closed (and freed) in between; only the completion comes after.
 */
/* A record's answer: the caller's room, up to the largest a structure may
 * grow to (at least one record: the dispatch routine checked). */
static ULONG event_answer_len(PIRP irp)
{
	ULONG room = IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl.OutputBufferLength;

	return room < SPOTLESS_STRUCT_MAX ? room : SPOTLESS_STRUCT_MAX;
}

_Requires_lock_held_(ext->events_lock)
static int fill_with_event(struct spotless_dev *ext,
			   struct spotless_file *handle, PIRP irp)
{
	struct spotless_event ev;

	unsigned char *out = irp->AssociatedIrp.SystemBuffer;
	ULONG len = event_answer_len(irp);

	if (!spotless_events_take(handle->events, &ev))
		return 0;
	/* The dispatch routine checked that the buffer holds one record; a
	 * newer caller's larger one reads zeros past it. */
	RtlCopyMemory(out, &ev, sizeof(ev));
	RtlZeroMemory(out + sizeof(ev), len - sizeof(ev));
	spotless_core_account(&ext->core, &handle->state, IOCTL_SPOTLESS_WAIT_EVENT,
			      SPOTLESS_OK, 0, len);
	/* The sequence rides in the IRP until it is completed and logged. */
	irp->Tail.Overlay.DriverContext[1] = (PVOID)(ULONG_PTR)ev.sequence;
	return 1;
}

static void complete_with_event(PIRP irp)
{
	SPOTLESS_LOG("event %llu delivered",
		     (unsigned long long)(ULONG_PTR)irp->Tail.Overlay.DriverContext[1]);
	spotless_complete_irp(irp, STATUS_SUCCESS, event_answer_len(irp));
}

/*
 * Give each subscribed handle that has a record queued its oldest waiting
 * request. The IRPs are gathered under the lock (taken out of their queues,
 * they are ours and their list entry is free) and completed after it.
 */
static void deliver(struct spotless_dev *ext)
{
	struct spotless_file *handle;
	LIST_ENTRY ready, *entry;
	KIRQL irql;
	PIRP irp;

	InitializeListHead(&ready);
	KeAcquireSpinLock(&ext->events_lock, &irql);
	for (entry = ext->subscribers.Flink; entry != &ext->subscribers; entry = entry->Flink) {
		handle = CONTAINING_RECORD(entry, struct spotless_file, subscriber);
		while (spotless_events_pending(handle->events) &&
		       (irp = spotless_irp_queue_remove(&handle->waits)) != NULL) {
			fill_with_event(ext, handle, irp);	/* it has one */
			InsertTailList(&ready, &irp->Tail.Overlay.ListEntry);
		}
	}
	KeReleaseSpinLock(&ext->events_lock, irql);
	while (!IsListEmpty(&ready)) {
		entry = RemoveHeadList(&ready);
		complete_with_event(CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry));
	}
}

static void publish(struct spotless_dev *ext, uint32_t kind,
		    struct spotless_file *source)
{
	uint32_t reached;
	KIRQL irql;

	KeAcquireSpinLock(&ext->events_lock, &irql);
	reached = spotless_events_publish(&ext->core.events, kind, source->state.id,
					  now_ns(), NULL, 0);
	KeReleaseSpinLock(&ext->events_lock, irql);
	if (reached)
		deliver(ext);
}

/* An event request refused: counted (unless the core did), logged and
 * completed as dispatch.c does any other. */
static NTSTATUS refuse(struct spotless_dev *ext, struct spotless_file *handle,
		       PIRP irp, uint32_t code, enum spotless_status status,
		       BOOLEAN counted)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	struct spotless_request req = {
		.code = code,
		.in_len = stack->Parameters.DeviceIoControl.InputBufferLength,
		.out_len = stack->Parameters.DeviceIoControl.OutputBufferLength,
	};
	struct spotless_result res = { .status = status };

	if (!counted)
		spotless_core_account(&ext->core, &handle->state, code, status, 0, 0);
	spotless_log_result(&req, &res);
	return spotless_complete_irp(irp, spotless_to_ntstatus(status), 0);
}

/* The handle's queue, made and subscribed the first time it waits. */
static BOOLEAN subscribe(struct spotless_dev *ext,
			 struct spotless_file *handle)
{
	struct spotless_event_queue *queue;
	KIRQL irql;

	KeAcquireSpinLock(&ext->events_lock, &irql);
	queue = handle->events;
	KeReleaseSpinLock(&ext->events_lock, irql);
	if (queue)
		return TRUE;
	queue = spotless_pool_alloc(sizeof(*queue), SPOTLESS_POOL_NON_PAGED);
	if (!queue)
		return FALSE;
	spotless_event_queue_init(queue);
	KeAcquireSpinLock(&ext->events_lock, &irql);
	if (!handle->events) {
		spotless_events_subscribe(&ext->core.events, queue);
		handle->events = queue;
		InsertTailList(&ext->subscribers, &handle->subscriber);
		queue = NULL;
	}
	KeReleaseSpinLock(&ext->events_lock, irql);
	if (queue)
		ExFreePoolWithTag(queue, SPOTLESS_POOL_TAG);	/* another wait was first */
	else
		spotless_core_allocated(&ext->core);
	return TRUE;
}

/*
 * WAIT_EVENT: no input, room for one record out. The record is taken at
 * once when one is queued; otherwise the request is left pending. Both
 * happen under events_lock, so an event published meanwhile finds the
 * request in the queue.
 */
_Use_decl_annotations_
NTSTATUS spotless_dispatch_wait_event(struct spotless_dev *ext, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	struct spotless_file *handle = stack->FileObject->FsContext;
	const uint32_t code = IOCTL_SPOTLESS_WAIT_EVENT;
	struct spotless_event ev;
	BOOLEAN taken = FALSE, closed = FALSE;
	KIRQL irql;

	if (!spotless_core_allows(&handle->state, code))
		return refuse(ext, handle, irp, code, SPOTLESS_ERR_ACCESS_DENIED, FALSE);
	if (stack->Parameters.DeviceIoControl.InputBufferLength)
		return refuse(ext, handle, irp, code, SPOTLESS_ERR_UNEXPECTED_INPUT, FALSE);
	if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(ev))
		return refuse(ext, handle, irp, code, SPOTLESS_ERR_OUTPUT_TOO_SMALL, FALSE);
	if (!subscribe(ext, handle)) {
		SPOTLESS_LOG_ERROR("no memory for a handle's event queue");
		return spotless_complete_irp(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
	}

	KeAcquireSpinLock(&ext->events_lock, &irql);
	if (handle->cleaned_up)
		closed = TRUE;
	else if (fill_with_event(ext, handle, irp))
		taken = TRUE;
	else if (!spotless_irp_queue_insert(&handle->waits, irp))
		closed = TRUE;	/* cancelled on its way in */
	KeReleaseSpinLock(&ext->events_lock, irql);

	if (closed)
		return spotless_complete_irp(irp, STATUS_CANCELLED, 0);
	if (taken) {
		complete_with_event(irp);
		return STATUS_SUCCESS;
	}
	SPOTLESS_LOG("event wait pending");
	return STATUS_PENDING;
}

/* POST: the input is the message, 1 to SPOTLESS_EVENT_PAYLOAD_MAX bytes. */
_Use_decl_annotations_
NTSTATUS spotless_dispatch_post(struct spotless_dev *ext, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	struct spotless_file *handle = stack->FileObject->FsContext;
	ULONG len = stack->Parameters.DeviceIoControl.InputBufferLength;
	enum spotless_status status;
	uint32_t reached;
	KIRQL irql;

	KeAcquireSpinLock(&ext->events_lock, &irql);
	status = spotless_core_post(&ext->core, &handle->state,
				    irp->AssociatedIrp.SystemBuffer, len, now_ns(),
				    &reached);
	KeReleaseSpinLock(&ext->events_lock, irql);
	if (reached)
		deliver(ext);
	if (status != SPOTLESS_OK)	/* spotless_core_post counted it */
		return refuse(ext, handle, irp, IOCTL_SPOTLESS_POST, status, TRUE);
	SPOTLESS_LOG("event posted (%lu bytes) to %lu queues", len, (ULONG)reached);
	return spotless_complete_irp(irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
void spotless_events_opened(struct spotless_dev *ext,
			    struct spotless_file *handle)
{
	publish(ext, SPOTLESS_EVENT_HANDLE_OPENED, handle);
}

static void complete_closing(PIRP irp)
{
	SPOTLESS_LOG("event wait cancelled: its handle is closing");
	spotless_complete_irp(irp, STATUS_CANCELLED, 0);
}

/* The last user handle is gone: its waits end, and no new one starts. */
_Use_decl_annotations_
void spotless_events_cleanup(struct spotless_dev *ext, PFILE_OBJECT file)
{
	struct spotless_file *handle = file->FsContext;
	KIRQL irql;
	PIRP irp;

	KeAcquireSpinLock(&ext->events_lock, &irql);
	handle->cleaned_up = TRUE;
	KeReleaseSpinLock(&ext->events_lock, irql);
	while ((irp = spotless_irp_queue_remove(&handle->waits)) != NULL)
		complete_closing(irp);
}

/*
 * The file object's last reference is gone. Windows sent cleanup before and
 * no IRP of the file is pending; Wine sends no cleanup and may close with
 * waits queued, so they are ended here, and the queue is drained before the
 * handle is freed. The queue leaves the hub before it is freed; the other
 * handles hear of the close.
 */
_Use_decl_annotations_
struct spotless_file *spotless_events_closed(struct spotless_dev *ext,
					       PFILE_OBJECT file)
{
	struct spotless_file *handle;
	KIRQL irql;

	KeAcquireSpinLock(&ext->events_lock, &irql);
	handle = file->FsContext;
	file->FsContext = NULL;
	if (handle) {
		handle->cleaned_up = TRUE;
		if (handle->events) {
			spotless_events_unsubscribe(&ext->core.events, handle->events);
			RemoveEntryList(&handle->subscriber);
		}
	}
	KeReleaseSpinLock(&ext->events_lock, irql);
	if (!handle)
		return NULL;
	spotless_irp_queue_drain(&handle->waits, complete_closing);
	if (handle->events) {
		ExFreePoolWithTag(handle->events, SPOTLESS_POOL_TAG);
		spotless_core_freed(&ext->core);
		handle->events = NULL;
	}
	publish(ext, SPOTLESS_EVENT_HANDLE_CLOSED, handle);
	return handle;
}

static void complete_at_unload(PIRP irp)
{
	SPOTLESS_LOG("event wait cancelled at unload");
	spotless_complete_irp(irp, STATUS_CANCELLED, 0);
}

/*
 * Unload: Windows calls it only once every file object is closed, so no
 * wait is left. Wine calls it with handles open: their waits end here.
 */
_Use_decl_annotations_
void spotless_events_unload(struct spotless_dev *ext)
{
	struct spotless_file *handle;
	LIST_ENTRY ending, *entry;
	KIRQL irql;
	PIRP irp;

	InitializeListHead(&ending);
	KeAcquireSpinLock(&ext->events_lock, &irql);
	for (entry = ext->subscribers.Flink; entry != &ext->subscribers; entry = entry->Flink) {
		handle = CONTAINING_RECORD(entry, struct spotless_file, subscriber);
		handle->cleaned_up = TRUE;
		while ((irp = spotless_irp_queue_remove(&handle->waits)) != NULL)
			InsertTailList(&ending, &irp->Tail.Overlay.ListEntry);
	}
	KeReleaseSpinLock(&ext->events_lock, irql);
	while (!IsListEmpty(&ending))
		complete_at_unload(CONTAINING_RECORD(RemoveHeadList(&ending), IRP,
						     Tail.Overlay.ListEntry));
}
