// SPDX-License-Identifier: MIT
/*
 * Load and unload: the device, its access control and its symbolic link.
 */
#include "driver.h"

DRIVER_INITIALIZE DriverEntry;
static DRIVER_UNLOAD spotless_unload;

#if !__STDC_HOSTED__
/* The core's counters set for this processor (core/spotless_atomic.h). The
 * NT model builds this file hosted, and the core runs on one set there. */
unsigned int spotless_this_cpu(void)
{
	return KeGetCurrentProcessorNumberEx(NULL);
}
#endif

static VOID NTAPI spotless_unload(PDRIVER_OBJECT driver)
{
	UNICODE_STRING link_name = SPOTLESS_UNICODE_STRING(SPOTLESS_DRIVER_NT_LINK_NAME_W);
	NTSTATUS status;

	/* The name goes first, so nothing new can open the device (defect 5). */
	status = IoDeleteSymbolicLink(&link_name);
	if (!NT_SUCCESS(status))
		SPOTLESS_LOG_ERROR("deleting symbolic link %.*ws failed: 0x%08lx",
				   SPOTLESS_USTR_ARGS(&link_name), (ULONG)status);
	else
		SPOTLESS_LOG("symbolic link %.*ws deleted", SPOTLESS_USTR_ARGS(&link_name));

	if (driver->DeviceObject) {
		spotless_events_unload(driver->DeviceObject->DeviceExtension);
		IoDeleteDevice(driver->DeviceObject);
		SPOTLESS_LOG("device deleted");
	}
	SPOTLESS_LOG("driver unloaded");
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
	UNICODE_STRING device_name = SPOTLESS_UNICODE_STRING(SPOTLESS_DRIVER_NT_DEVICE_NAME_W);
	UNICODE_STRING link_name = SPOTLESS_UNICODE_STRING(SPOTLESS_DRIVER_NT_LINK_NAME_W);
	struct spotless_dev *ext;
	PDEVICE_OBJECT device = NULL;
	NTSTATUS status;

	/* Names are printed from a pointer to the counted string (defect 7). */
	SPOTLESS_LOG("driver loaded from %.*ws", SPOTLESS_USTR_ARGS(registry_path));

	spotless_pool_setup();
	spotless_direct_io_setup();
	driver->DriverUnload = spotless_unload;
	driver->MajorFunction[IRP_MJ_CREATE] = spotless_dispatch_create;
	driver->MajorFunction[IRP_MJ_CLEANUP] = spotless_dispatch_cleanup;
	driver->MajorFunction[IRP_MJ_CLOSE] = spotless_dispatch_close;
	driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = spotless_dispatch_device_control;

	/* The status is kept and checked (defect 4). */
	status = IoCreateDevice(driver, sizeof(struct spotless_dev),
				&device_name, FILE_DEVICE_UNKNOWN,
				FILE_DEVICE_SECURE_OPEN, FALSE, &device);
	if (!NT_SUCCESS(status)) {
		SPOTLESS_LOG_ERROR("creating device %.*ws failed: 0x%08lx",
				   SPOTLESS_USTR_ARGS(&device_name), (ULONG)status);
		return status;
	}
	ext = device->DeviceExtension;
	spotless_core_device_init(&ext->core, SPOTLESS_OS_WINDOWS);
	/* What a handle really holds: its state, and its queue once it waits. */
	ext->core.handle_bytes = sizeof(struct spotless_file);
	ext->core.event_queue_bytes = sizeof(struct spotless_event_queue);
	spotless_events_setup(ext);
	SPOTLESS_LOG("device %.*ws created", SPOTLESS_USTR_ARGS(&device_name));

	/* Only SYSTEM and Administrators may open it (defect 8). */
	status = spotless_restrict_device(device);
	if (!NT_SUCCESS(status)) {
		SPOTLESS_LOG_ERROR("securing device %.*ws failed: 0x%08lx",
				   SPOTLESS_USTR_ARGS(&device_name), (ULONG)status);
		goto err_delete_device;
	}

	status = IoCreateSymbolicLink(&link_name, &device_name);
	if (!NT_SUCCESS(status)) {
		SPOTLESS_LOG_ERROR("creating symbolic link %.*ws failed: 0x%08lx",
				   SPOTLESS_USTR_ARGS(&link_name), (ULONG)status);
		goto err_delete_device;
	}
	SPOTLESS_LOG("symbolic link %.*ws created", SPOTLESS_USTR_ARGS(&link_name));
	return STATUS_SUCCESS;

err_delete_device:
	IoDeleteDevice(device);
	return status;
}
