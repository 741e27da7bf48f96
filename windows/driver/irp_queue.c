// SPDX-License-Identifier: MIT
/*
 * A cancel-safe queue of pending IRPs: what IoCsqInsertIrp and
 * IoCsqRemoveNextIrp do, written out, because Wine 8 exports those two as
 * stubs that abort the driver's process (only IoCsqInitialize is there).
 *
 * The rule that makes it safe: an IRP leaves the queue only by whoever
 * clears its cancel routine. Taking it out clears it first and skips an IRP
 * whose routine is already gone (being cancelled); the cancel routine, run
 * by IoCancelIrp after it has cleared it, takes the IRP out itself. Either
 * way the IRP is completed once, by the one that took it out.
 */
#include "driver.h"

void spotless_irp_queue_init(struct spotless_irp_queue *queue,
			     spotless_irp_done_fn *cancelled)
{
	KeInitializeSpinLock(&queue->lock);
	InitializeListHead(&queue->irps);
	queue->cancelled = cancelled;
}

/*
 * IoCancelIrp calls this at DISPATCH_LEVEL with the cancel spin lock held
 * and the routine cleared. Nothing of the queue is touched after its lock is
 * released: spotless_irp_queue_drain() may free it from then on.
 */
static VOID NTAPI cancel_routine(PDEVICE_OBJECT device, PIRP irp)
{
	struct spotless_irp_queue *queue = irp->Tail.Overlay.DriverContext[0];
	spotless_irp_done_fn *cancelled;
	KIRQL irql;

	UNREFERENCED_PARAMETER(device);
	IoReleaseCancelSpinLock(irp->CancelIrql);
	KeAcquireSpinLock(&queue->lock, &irql);
	RemoveEntryList(&irp->Tail.Overlay.ListEntry);
	cancelled = queue->cancelled;
	KeReleaseSpinLock(&queue->lock, irql);
	cancelled(irp);
}

_Use_decl_annotations_
BOOLEAN spotless_irp_queue_insert(struct spotless_irp_queue *queue, PIRP irp)
{
	KIRQL irql;

	KeAcquireSpinLock(&queue->lock, &irql);
	irp->Tail.Overlay.DriverContext[0] = queue;
	IoSetCancelRoutine(irp, cancel_routine);
	/* Cancelled before the routine was set, so it will not run: not ours. */
	if (irp->Cancel && IoSetCancelRoutine(irp, NULL)) {
		KeReleaseSpinLock(&queue->lock, irql);
		return FALSE;
	}
	/* If the routine runs now, it waits for the lock and finds the IRP. */
	IoMarkIrpPending(irp);
	InsertTailList(&queue->irps, &irp->Tail.Overlay.ListEntry);
	KeReleaseSpinLock(&queue->lock, irql);
	return TRUE;
}

_Use_decl_annotations_
PIRP spotless_irp_queue_remove(struct spotless_irp_queue *queue)
{
	PLIST_ENTRY entry;
	PIRP irp;
	KIRQL irql;

	KeAcquireSpinLock(&queue->lock, &irql);
	for (entry = queue->irps.Flink; entry != &queue->irps; entry = entry->Flink) {
		irp = CONTAINING_RECORD(entry, IRP, Tail.Overlay.ListEntry);
		/* Its cancel routine is running, or about to: leave it to it. */
		if (!IoSetCancelRoutine(irp, NULL))
			continue;
		RemoveEntryList(entry);
		KeReleaseSpinLock(&queue->lock, irql);
		return irp;
	}
	KeReleaseSpinLock(&queue->lock, irql);
	return NULL;
}

_Use_decl_annotations_
void spotless_irp_queue_drain(struct spotless_irp_queue *queue, spotless_irp_done_fn *done)
{
	LARGE_INTEGER a_moment;
	BOOLEAN empty;
	KIRQL irql;
	PIRP irp;

	a_moment.QuadPart = -10000;	/* 1 ms, relative */
	for (;;) {
		while ((irp = spotless_irp_queue_remove(queue)) != NULL)
			done(irp);
		KeAcquireSpinLock(&queue->lock, &irql);
		empty = IsListEmpty(&queue->irps);
		KeReleaseSpinLock(&queue->lock, irql);
		if (empty)
			return;
		/* A cancel routine owns what is left and takes it out at once. */
		KeDelayExecutionThread(KernelMode, FALSE, &a_moment);
	}
}
