// SPDX-License-Identifier: MIT
/*
 * Events, Windows side: the inverted call. A client leaves WAIT_EVENT
 * requests pending in the driver; they wait in one cancel-safe queue
 * (irp_queue.c) for the whole device, oldest first. When a handle has an
 * event queued, its oldest waiting request is taken out of the queue and
 * completed with it. CancelIoEx, the handle's cleanup and unload take
 * requests out and complete them with STATUS_CANCELLED. The queue hands each
 * IRP to exactly one of these paths, so none is completed twice and none is
 * left behind.
 *
 * Two spinlocks: events_lock guards the core's hub and every handle's event
 * queue; the IRP queue's own lock guards its list. Where both are held,
 * events_lock comes first. A cancelled IRP is completed with neither held.
 */
#include "spotless_driver.h"

static PFILE_OBJECT irp_file(PIRP irp)
{
	return IoGetCurrentIrpStackLocation(irp)->FileObject;
}

static struct spotless_handle *irp_handle(PIRP irp)
{
	return irp_file(irp)->FsContext;
}

/* A request whose handle has an event queued (called under events_lock). */
static BOOLEAN handle_has_event(PIRP irp, PVOID context)
{
	struct spotless_handle *handle = irp_handle(irp);

	UNREFERENCED_PARAMETER(context);
	return handle->events && handle->events->count;
}

static BOOLEAN from_file(PIRP irp, PVOID file)
{
	return irp_file(irp) == file;
}

static void complete_cancelled(PIRP irp)
{
	SPOTLESS_LOG("event wait cancelled");
	spotless_complete_irp(irp, STATUS_CANCELLED, 0);
}

void spotless_events_setup(struct spotless_device_extension *ext)
{
	KeInitializeSpinLock(&ext->events_lock);
	spotless_irp_queue_init(&ext->waiting, complete_cancelled);
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
static int fill_with_event(struct spotless_device_extension *ext, PIRP irp,
			   uint64_t *sequence)
{
	struct spotless_handle *handle = irp_handle(irp);
	struct spotless_event ev;

	if (!spotless_events_take(handle->events, &ev))
		return 0;
	/* The dispatch routine checked that the buffer holds one record. */
	RtlCopyMemory(irp->AssociatedIrp.SystemBuffer, &ev, sizeof(ev));
	spotless_core_account(&ext->core, &handle->state, IOCTL_SPOTLESS_WAIT_EVENT,
			      SPOTLESS_OK, 0, sizeof(ev));
	*sequence = ev.sequence;
	return 1;
}

static void complete_with_event(PIRP irp, uint64_t sequence)
{
	SPOTLESS_LOG("event %llu delivered", (unsigned long long)sequence);
	spotless_complete_irp(irp, STATUS_SUCCESS, sizeof(struct spotless_event));
}

/* Give each handle that has an event queued its oldest waiting request. */
static void deliver(struct spotless_device_extension *ext)
{
	uint64_t sequence = 0;
	KIRQL irql;
	PIRP irp;

	for (;;) {
		KeAcquireSpinLock(&ext->events_lock, &irql);
		irp = spotless_irp_queue_remove(&ext->waiting, handle_has_event, NULL);
		if (irp)
			fill_with_event(ext, irp, &sequence);	/* it has one */
		KeReleaseSpinLock(&ext->events_lock, irql);
		if (!irp)
			return;
		complete_with_event(irp, sequence);
	}
}

static void publish(struct spotless_device_extension *ext, uint32_t kind,
		    struct spotless_handle *source)
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

static NTSTATUS refuse(struct spotless_device_extension *ext,
		       struct spotless_handle *handle, PIRP irp, uint32_t code,
		       enum spotless_status status)
{
	spotless_core_account(&ext->core, &handle->state, code, status, 0, 0);
	SPOTLESS_LOG_ERROR("IOCTL 0x%08lx refused: %s", (ULONG)code,
			   spotless_status_text(status));
	return spotless_complete_irp(irp, spotless_to_ntstatus(status), 0);
}

/* The handle's queue, made and subscribed the first time it waits. */
static BOOLEAN subscribe(struct spotless_device_extension *ext,
			 struct spotless_handle *handle)
{
	struct spotless_event_queue *queue;
	KIRQL irql;

	KeAcquireSpinLock(&ext->events_lock, &irql);
	queue = handle->events;
	KeReleaseSpinLock(&ext->events_lock, irql);
	if (queue)
		return TRUE;
	queue = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(*queue), SPOTLESS_POOL_TAG);
	if (!queue)
		return FALSE;
	spotless_event_queue_init(queue);
	KeAcquireSpinLock(&ext->events_lock, &irql);
	if (!handle->events) {
		spotless_events_subscribe(&ext->core.events, queue);
		handle->events = queue;
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
NTSTATUS spotless_dispatch_wait_event(struct spotless_device_extension *ext, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	struct spotless_handle *handle = stack->FileObject->FsContext;
	const uint32_t code = IOCTL_SPOTLESS_WAIT_EVENT;
	struct spotless_event ev;
	BOOLEAN taken = FALSE, closed = FALSE;
	uint64_t sequence = 0;
	KIRQL irql;

	if (!spotless_core_allows(&handle->state, code))
		return refuse(ext, handle, irp, code, SPOTLESS_ERR_ACCESS_DENIED);
	if (stack->Parameters.DeviceIoControl.InputBufferLength)
		return refuse(ext, handle, irp, code, SPOTLESS_ERR_UNEXPECTED_INPUT);
	if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(ev))
		return refuse(ext, handle, irp, code, SPOTLESS_ERR_OUTPUT_TOO_SMALL);
	if (!subscribe(ext, handle)) {
		SPOTLESS_LOG_ERROR("no memory for a handle's event queue");
		return spotless_complete_irp(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
	}

	KeAcquireSpinLock(&ext->events_lock, &irql);
	if (handle->cleaned_up)
		closed = TRUE;
	else if (fill_with_event(ext, irp, &sequence))
		taken = TRUE;
	else if (!spotless_irp_queue_insert(&ext->waiting, irp))
		closed = TRUE;	/* cancelled on its way in */
	KeReleaseSpinLock(&ext->events_lock, irql);

	if (closed)
		return spotless_complete_irp(irp, STATUS_CANCELLED, 0);
	if (taken) {
		complete_with_event(irp, sequence);
		return STATUS_SUCCESS;
	}
	SPOTLESS_LOG("event wait pending");
	return STATUS_PENDING;
}

/* POST: the input is the message, 1 to SPOTLESS_EVENT_PAYLOAD_MAX bytes. */
NTSTATUS spotless_dispatch_post(struct spotless_device_extension *ext, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	struct spotless_handle *handle = stack->FileObject->FsContext;
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
	if (status != SPOTLESS_OK) {
		SPOTLESS_LOG_ERROR("IOCTL 0x%08lx refused: %s (in %lu bytes)",
				   (ULONG)IOCTL_SPOTLESS_POST,
				   spotless_status_text(status), len);
		return spotless_complete_irp(irp, spotless_to_ntstatus(status), 0);
	}
	SPOTLESS_LOG("event posted (%lu bytes) to %lu queues", len, (ULONG)reached);
	return spotless_complete_irp(irp, STATUS_SUCCESS, 0);
}

void spotless_events_opened(struct spotless_device_extension *ext,
			    struct spotless_handle *handle)
{
	publish(ext, SPOTLESS_EVENT_HANDLE_OPENED, handle);
}

/* The last user handle is gone: its waits end, and no new one starts. */
void spotless_events_cleanup(struct spotless_device_extension *ext, PFILE_OBJECT file)
{
	struct spotless_handle *handle = file->FsContext;
	KIRQL irql;
	PIRP irp;

	KeAcquireSpinLock(&ext->events_lock, &irql);
	handle->cleaned_up = TRUE;
	KeReleaseSpinLock(&ext->events_lock, irql);
	while ((irp = spotless_irp_queue_remove(&ext->waiting, from_file, file)) != NULL) {
		SPOTLESS_LOG("event wait cancelled: its handle is closing");
		spotless_complete_irp(irp, STATUS_CANCELLED, 0);
	}
}

/* The queue leaves the hub before it is freed; the other handles hear of it. */
void spotless_events_closed(struct spotless_device_extension *ext,
			    struct spotless_handle *handle)
{
	KIRQL irql;

	if (handle->events) {
		KeAcquireSpinLock(&ext->events_lock, &irql);
		spotless_events_unsubscribe(&ext->core.events, handle->events);
		KeReleaseSpinLock(&ext->events_lock, irql);
		ExFreePoolWithTag(handle->events, SPOTLESS_POOL_TAG);
		spotless_core_freed(&ext->core);
		handle->events = NULL;
	}
	publish(ext, SPOTLESS_EVENT_HANDLE_CLOSED, handle);
}

/* Unload: whatever still waits is cancelled, whoever's it is. */
void spotless_events_unload(struct spotless_device_extension *ext)
{
	PIRP irp;

	while ((irp = spotless_irp_queue_remove(&ext->waiting, NULL, NULL)) != NULL) {
		SPOTLESS_LOG("event wait cancelled at unload");
		spotless_complete_irp(irp, STATUS_CANCELLED, 0);
	}
}
