// SPDX-License-Identifier: MIT
/*
 * A driver that breaks one rule per control code, so that each check of the
 * model is shown to fire: a check that never fails proves nothing. Loaded
 * by test_ntmodel.c in place of spotless; never built for Windows.
 */
#include "bad_driver.h"

#define BAD_TAG		0x20646142u	/* "Bad " */

static WCHAR device_name_w[] = L"\\Device\\NtmBad";
static WCHAR link_name_w[] = L"\\??\\NtmBad";
static UNICODE_STRING device_name = { sizeof(device_name_w) - 2, sizeof(device_name_w),
				      device_name_w };
static UNICODE_STRING link_name = { sizeof(link_name_w) - 2, sizeof(link_name_w),
				    link_name_w };
static KSPIN_LOCK lock, other_lock;
static PIRP parked;
static enum bad_unload unload_mode;

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR info)
{
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = info;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return status;
}

static NTSTATUS ok_dispatch(PDEVICE_OBJECT device, PIRP irp)
{
	UNREFERENCED_PARAMETER(device);
	return complete(irp, STATUS_SUCCESS, 0);
}

/* Keeps the cancel spin lock: the rule is that it releases it. */
static void greedy_cancel(PDEVICE_OBJECT device, PIRP irp)
{
	UNREFERENCED_PARAMETER(device);
	parked = NULL;
	complete(irp, STATUS_CANCELLED, 0);
}

/* The partial-MDL cases, on an OUT_DIRECT request's MDL. */
static NTSTATUS bad_partial(PIRP irp, ULONG out_len)
{
	ULONG which = (IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl.IoControlCode
		       >> 2) & 0xFFF;
	ULONG len = which == BAD_PARTIAL_OUTSIDE_SOURCE ? out_len + 16 : out_len / 2;
	PVOID start = MmGetMdlVirtualAddress(irp->MdlAddress);
	PMDL partial = IoAllocateMdl(start, len, FALSE, FALSE, NULL);
	NTSTATUS status;

	if (!partial)
		return complete(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
	IoBuildPartialMdl(irp->MdlAddress, partial, start, len);
	if (which == BAD_PARTIAL_FREED_MAPPED)
		MmGetSystemAddressForMdlSafe(partial, NormalPagePriority);
	if (which == BAD_PARTIAL_OUTLIVES_IRP) {
		status = complete(irp, STATUS_SUCCESS, 0);
		IoFreeMdl(partial);
		return status;
	}
	IoFreeMdl(partial);
	return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS bad_control(PDEVICE_OBJECT device, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	ULONG out_len = stack->Parameters.DeviceIoControl.OutputBufferLength;
	KIRQL irql, inner;
	void *p;

	UNREFERENCED_PARAMETER(device);
	switch ((stack->Parameters.DeviceIoControl.IoControlCode >> 2) & 0xFFF) {
	case BAD_COMPLETE_TWICE:
		irp->IoStatus.Status = STATUS_SUCCESS;
		irp->IoStatus.Information = 0;
		IoCompleteRequest(irp, IO_NO_INCREMENT);
		IoCompleteRequest(irp, IO_NO_INCREMENT);
		return STATUS_SUCCESS;
	case BAD_PENDING_WITHOUT_MARK:
		complete(irp, STATUS_SUCCESS, 0);
		return STATUS_PENDING;
	case BAD_MARKED_NOT_PENDING:
		IoMarkIrpPending(irp);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_CANCEL_ROUTINE_LEFT:
		IoSetCancelRoutine(irp, greedy_cancel);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_COMPLETE_AT_HIGH_IRQL:
		KeRaiseIrql(HIGH_LEVEL, &irql);
		irp->IoStatus.Status = STATUS_SUCCESS;
		irp->IoStatus.Information = 0;
		IoCompleteRequest(irp, IO_NO_INCREMENT);
		KeLowerIrql(irql);
		return STATUS_SUCCESS;
	case BAD_POOL_AT_HIGH_IRQL:
		KeRaiseIrql(HIGH_LEVEL, &irql);
		p = ExAllocatePoolWithTag(NonPagedPoolNx, 16, BAD_TAG);
		KeLowerIrql(irql);
		if (p)
			ExFreePoolWithTag(p, BAD_TAG);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_SPINLOCK_WRONG_IRQL:
		KeAcquireSpinLock(&lock, &irql);
		KeReleaseSpinLock(&lock, APC_LEVEL);
		KeLowerIrql(irql);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_SPINLOCK_NOT_OWNED:
		KeReleaseSpinLock(&lock, PASSIVE_LEVEL);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_RETURN_WITH_LOCK:
		KeAcquireSpinLock(&lock, &irql);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_IRQL_NOT_RESTORED:
		KeRaiseIrql(APC_LEVEL, &irql);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_FREE_WRONG_TAG:
		p = ExAllocatePoolWithTag(NonPagedPoolNx, 16, BAD_TAG);
		if (p)
			ExFreePoolWithTag(p, BAD_TAG + 1);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_FREE_TWICE:
		p = ExAllocatePoolWithTag(NonPagedPoolNx, 16, BAD_TAG);
		if (p) {
			ExFreePoolWithTag(p, BAD_TAG);
			ExFreePoolWithTag(p, BAD_TAG);
		}
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_POOL_EXECUTABLE:
		p = ExAllocatePoolWithTag(NonPagedPool, 16, BAD_TAG);
		if (p)
			ExFreePoolWithTag(p, BAD_TAG);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_POOL_NOT_CHARGED:	/* a caller's doing, charged to nobody */
		p = ExAllocatePoolWithTag(NonPagedPoolNx, 16, BAD_TAG);
		if (p)
			ExFreePoolWithTag(p, BAD_TAG);
		break;
	case BAD_QUOTA_RAISES:		/* charged, but raises when over quota */
		p = ExAllocatePoolWithQuotaTag(NonPagedPoolNx, 16, BAD_TAG);
		if (p)
			ExFreePoolWithTag(p, BAD_TAG);
		break;
	case BAD_POOL_LEAK:
		ExAllocatePoolWithTag(NonPagedPoolNx, 24, BAD_TAG);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_INFORMATION_TOO_LARGE:
		return complete(irp, STATUS_SUCCESS, out_len + 1);
	case BAD_STATUS_MISMATCH:
		complete(irp, STATUS_INVALID_PARAMETER, 0);
		return STATUS_SUCCESS;
	case BAD_NEITHER:
		parked = irp;
		return STATUS_SUCCESS;
	case BAD_FINISH_PARKED:
		if (parked)
			complete(parked, STATUS_SUCCESS, 0);
		parked = NULL;
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_UNICODE_AT_DISPATCH:
		KeAcquireSpinLock(&lock, &irql);
		DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_INFO_LEVEL, "bad: %ws\n", link_name_w);
		KeReleaseSpinLock(&lock, irql);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_PASSIVE_CALL_RAISED:
		KeAcquireSpinLock(&lock, &irql);
		IoDeleteSymbolicLink(&link_name);
		KeReleaseSpinLock(&lock, irql);
		IoCreateSymbolicLink(&link_name, &device_name);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_CANCEL_KEEPS_LOCK:
		IoMarkIrpPending(irp);
		parked = irp;
		IoSetCancelRoutine(irp, greedy_cancel);
		return STATUS_PENDING;
	case BAD_LOCK_ORDER:		/* one order here, the other just after */
		KeAcquireSpinLock(&lock, &irql);
		KeAcquireSpinLock(&other_lock, &inner);
		KeReleaseSpinLock(&other_lock, inner);
		KeReleaseSpinLock(&lock, irql);
		KeAcquireSpinLock(&other_lock, &irql);
		KeAcquireSpinLock(&lock, &inner);
		KeReleaseSpinLock(&lock, inner);
		KeReleaseSpinLock(&other_lock, irql);
		return complete(irp, STATUS_SUCCESS, 0);
	case BAD_PARTIAL_OUTSIDE_SOURCE:	/* 16 bytes past the caller's buffer */
	case BAD_PARTIAL_FREED_MAPPED:		/* mapped, then freed as it is */
	case BAD_PARTIAL_OUTLIVES_IRP:		/* freed after its IRP completed */
		return bad_partial(irp, out_len);
	case BAD_TOUCH_AFTER_COMPLETE:
		complete(irp, STATUS_SUCCESS, 0);
		return irp->IoStatus.Status;
	}
	return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

void bad_driver_unload_mode(enum bad_unload mode)
{
	unload_mode = mode;
}

static void bad_unload(PDRIVER_OBJECT driver)
{
	if (unload_mode == BAD_UNLOAD_DEVICE_FIRST) {
		IoDeleteDevice(driver->DeviceObject);
		IoDeleteSymbolicLink(&link_name);
		return;
	}
	if (unload_mode != BAD_UNLOAD_KEEP_LINK)
		IoDeleteSymbolicLink(&link_name);
	IoDeleteDevice(driver->DeviceObject);
}

NTSTATUS bad_driver_entry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
	PDEVICE_OBJECT device;
	NTSTATUS status;

	UNREFERENCED_PARAMETER(registry_path);
	KeInitializeSpinLock(&lock);
	KeInitializeSpinLock(&other_lock);
	parked = NULL;
	driver->DriverUnload = bad_unload;
	driver->MajorFunction[IRP_MJ_CREATE] = ok_dispatch;
	driver->MajorFunction[IRP_MJ_CLEANUP] = ok_dispatch;
	driver->MajorFunction[IRP_MJ_CLOSE] = ok_dispatch;
	driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = bad_control;
	status = IoCreateDevice(driver, 0, &device_name, FILE_DEVICE_UNKNOWN,
				FILE_DEVICE_SECURE_OPEN, FALSE, &device);
	if (!NT_SUCCESS(status))
		return status;
	status = IoCreateSymbolicLink(&link_name, &device_name);
	if (!NT_SUCCESS(status))
		IoDeleteDevice(device);
	return status;
}
