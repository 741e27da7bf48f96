// SPDX-License-Identifier: MIT
/*
 * A stand-in for the tutorial's driver, written from the description in
 * SPEC section 1: what a reader of the tutorial builds. make bench loads it
 * in the Wine prefix in place of spotless.sys and runs the same client loop
 * against it, so that spotless's exchange is reported as a multiple of the
 * tutorial's. It keeps the tutorial's shape (one dispatch routine per major
 * function, DbgPrint for each step, the reply copied and completed in
 * place) but not its memory-safety defects: the input is printed within
 * its length and the reply copied within the output buffer, so that the
 * comparison is with a driver one could ship, not with one that reads past
 * its buffers. Never part of a package.
 */
#include <ntddk.h>

#define IOCTL_SPOTLESS CTL_CODE(FILE_DEVICE_UNKNOWN, 0x2049, METHOD_BUFFERED, FILE_ANY_ACCESS)

static const char reply[] = "ohai from them kernelz";
static UNICODE_STRING device_name = RTL_CONSTANT_STRING(L"\\Device\\SpotlessDevice");
static UNICODE_STRING link_name = RTL_CONSTANT_STRING(L"\\??\\SpotlessDeviceLink");

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = information;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return status;
}

static NTSTATUS tutorial_create(PDEVICE_OBJECT device, PIRP irp)
{
	(void)device;
	DbgPrint("tutorial: handle opened\n");
	return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS tutorial_close(PDEVICE_OBJECT device, PIRP irp)
{
	(void)device;
	DbgPrint("tutorial: handle closed\n");
	return complete(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS tutorial_control(PDEVICE_OBJECT device, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	ULONG code = stack->Parameters.DeviceIoControl.IoControlCode;
	ULONG in_len = stack->Parameters.DeviceIoControl.InputBufferLength;
	ULONG out_len = stack->Parameters.DeviceIoControl.OutputBufferLength;
	char *buffer = irp->AssociatedIrp.SystemBuffer;
	ULONG n = sizeof(reply) - 1;

	(void)device;
	if (code != IOCTL_SPOTLESS)
		return complete(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
	DbgPrint("tutorial: IOCTL 0x%08x issued\n", code);
	DbgPrint("tutorial: input received: %.*s\n", (int)(in_len < 128 ? in_len : 128),
		 buffer ? buffer : "");
	if (!buffer || out_len < n)
		return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
	RtlCopyMemory(buffer, reply, n);
	DbgPrint("tutorial: reply sent\n");
	return complete(irp, STATUS_SUCCESS, n);
}

static void tutorial_unload(PDRIVER_OBJECT driver)
{
	IoDeleteSymbolicLink(&link_name);
	IoDeleteDevice(driver->DeviceObject);
	DbgPrint("tutorial: driver unloaded\n");
}

NTSTATUS DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry)
{
	PDEVICE_OBJECT device;
	NTSTATUS status;

	(void)registry;
	driver->DriverUnload = tutorial_unload;
	driver->MajorFunction[IRP_MJ_CREATE] = tutorial_create;
	driver->MajorFunction[IRP_MJ_CLOSE] = tutorial_close;
	driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = tutorial_control;
	status = IoCreateDevice(driver, 0, &device_name, FILE_DEVICE_UNKNOWN,
				FILE_DEVICE_SECURE_OPEN, FALSE, &device);
	if (!NT_SUCCESS(status))
		return status;
	status = IoCreateSymbolicLink(&link_name, &device_name);
	if (!NT_SUCCESS(status)) {
		IoDeleteDevice(device);
		return status;
	}
	DbgPrint("tutorial: driver loaded\n");
	return STATUS_SUCCESS;
}
